//! One learner at one part of a session: when they checked in and out, and
//! how it was recorded.
use super::values::AttendanceMethod;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub enrollment_id: i32,
    pub part_id: i32,
    pub checked_in_at: DateTimeUtc,
    pub checked_out_at: Option<DateTimeUtc>,
    pub method: AttendanceMethod,
    /// The staff member who recorded it by hand.
    pub recorded_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
