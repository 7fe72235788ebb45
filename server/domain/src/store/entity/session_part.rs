//! One part of a session: a time, a mode and a place, teaching every unit
//! of the plan or only its lectures or its exercises.
use crate::programme::{DeliveryMode, UnitKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_part")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    /// 1, 2, … in time order.
    pub position: i32,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// In person or live online.
    pub mode: DeliveryMode,
    /// Venue address or meeting URL.
    pub place: String,
    /// `None`: the part teaches every unit of the plan.
    pub unit_kind: Option<UnitKind>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
