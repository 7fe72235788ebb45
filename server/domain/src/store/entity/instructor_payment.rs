//! What an implementing body pays an instructor for one session: 謝金
//! (honorarium) and 旅費 (travel), and when it was paid.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "instructor_payment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    pub person_id: i32,
    pub honorarium_yen: i32,
    pub travel_yen: i32,
    /// `None`: not paid yet.
    pub paid_on: Option<Date>,
    pub note: String,
    /// The staff member who last recorded it.
    pub recorded_by: i32,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
