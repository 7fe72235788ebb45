//! A scheduled delivery of a course by an implementing body.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// What residents type or scan to join, e.g. "TOKYO1".
    #[sea_orm(unique)]
    pub code: String,
    pub programme: crate::programme::ProgrammeId,
    /// The elective module the implementing body chose for this session.
    pub elective_module_id: String,
    pub title: String,
    /// 全国地方公共団体コード of the implementing body.
    pub implementing_body_code: String,
    pub venue: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub status: super::values::SessionStatus,
    /// When the session was closed and its certificates issued.
    pub closed_at: Option<DateTimeUtc>,
    /// Seats; `None`: no limit.
    pub capacity: Option<i32>,
    pub visibility: super::values::Visibility,
    /// Registration is taken from/until these; `None`: from publication,
    /// until the session starts.
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    /// Why the session was cancelled, as mailed to the registered.
    pub cancel_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
