//! One module finished by one enrollment (unique per pair).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "module_completion")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub enrollment_id: i32,
    pub module_id: String,
    pub completed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
