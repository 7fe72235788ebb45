//! A public key that has signed certificates. Start-up refuses a key that is not the recorded one.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub key_id: i32,
    #[sea_orm(unique)]
    pub public_key: String,
    pub first_used_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
