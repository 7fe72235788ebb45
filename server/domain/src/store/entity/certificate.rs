//! An issued 認定証. Holder, place and issuer are copied at issue time so the
//! certificate keeps saying what it said when it was printed.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Printed form, e.g. "KS26-7F3K-9QXM".
    #[sea_orm(unique)]
    pub number: String,
    #[sea_orm(unique)]
    pub enrollment_id: i32,
    pub programme: crate::programme::ProgrammeId,
    pub holder_name: String,
    pub municipality_code: String,
    /// Kept beside the municipality so prefecture totals need no lookup.
    pub prefecture_code: String,
    pub implementing_body_code: String,
    pub issuer_name: String,
    pub completed_on: Date,
    pub issued_at: DateTimeUtc,
    /// The signed token the QR code carries.
    pub token: String,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
