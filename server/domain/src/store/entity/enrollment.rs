//! A resident taking one session. The learner is known by a random token held
//! in an HttpOnly cookie; only its SHA-256 is stored.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrollment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    #[sea_orm(unique)]
    pub learner_token_hash: String,
    /// The name to print on the certificate.
    pub display_name: String,
    /// 全国地方公共団体コード of the municipality of residence.
    pub municipality_code: String,
    pub created_at: DateTimeUtc,
    pub self_check_passed_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    /// Set when the resident claims their certificate with an e-mail.
    pub email: Option<String>,
    pub email_verified_at: Option<DateTimeUtc>,
    /// The name's reading (カタカナ); absent for those who joined before
    /// registration asked for it.
    pub furigana: Option<String>,
    /// Holds a seat, waits for one, has been offered one, or gave it up.
    pub status: super::values::RegistrationStatus,
    /// Registered online or added on the day by staff.
    pub source: super::values::RegistrationSource,
    /// When the resident agreed to the handling of their personal data.
    pub consented_at: Option<DateTimeUtc>,
    /// An offered seat passes to the next in line after this.
    pub offer_expires_at: Option<DateTimeUtc>,
    pub reminded_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
