//! One submission of the self-check, kept so the learner sees feedback.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "self_check_attempt")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub enrollment_id: i32,
    /// JSON array of the chosen index per question (null when unanswered).
    pub answers_json: String,
    pub score: i32,
    pub out_of: i32,
    pub passed: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
