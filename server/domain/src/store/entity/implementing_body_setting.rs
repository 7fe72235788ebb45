//! What an implementing body decides for its own sessions.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "implementing_body_setting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub implementing_body_code: String,
    /// Minutes late (or early) that still count as attended.
    pub late_tolerance_minutes: i32,
    /// Days before a session its reminder mail goes out.
    pub reminder_days_before: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
