//! One audited action. Append-only: the application never updates or deletes these, and database triggers refuse to.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    pub actor_person_id: Option<i32>,
    /// The e-mail of the actor, or what was typed at a failed sign-in.
    pub actor: String,
    pub jurisdiction: Option<crate::roles::Scope>,
    pub action: super::values::AuditAction,
    pub target: String,
    pub detail: String,
    pub address: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
