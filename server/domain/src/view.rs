//! What pages and the public API show: plain serialisable views, built by the
//! services and rendered by the app. None of them carries a secret (tokens,
//! correct answers) and personal data appears only where its reader may see it.

use crate::programme::Unit;
use serde::{Deserialize, Serialize};

/// `GET /api/v1/stats/national` and the home page's progress bar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NationalStats {
    /// People holding a valid certificate of the programme with the target.
    pub supporters: u64,
    /// What they are called, e.g. 「心のサポーター」.
    pub holder_title: String,
    pub target: u64,
    pub target_fiscal_year: i32,
    /// RFC 3339.
    pub as_of: String,
}

impl NationalStats {
    /// Share of the target reached, in percent, for the progress bar.
    #[must_use]
    pub fn percent(&self) -> f64 {
        if self.target == 0 { 0.0 } else { (self.supporters as f64 * 100.0 / self.target as f64).min(100.0) }
    }
}

/// A scheduled course session as a resident sees it before joining.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub code: String,
    pub title: String,
    pub programme_name: String,
    pub implementing_body: String,
    /// "令和8年11月22日 (2026-11-22) 14:00〜16:00" in JST.
    pub when: String,
    pub venue: String,
    pub elective_title: String,
}

/// What an instructor shows or prints so residents can join by scanning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPoster {
    pub session: SessionInfo,
    pub join_url: String,
    /// The QR code of `join_url`, as an SVG document made by the server.
    pub qr_svg: String,
}

/// One module in the learner's plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleStatus {
    pub id: String,
    pub title: String,
    pub minutes: u32,
    pub summary: String,
    pub elective: bool,
    pub done: bool,
}

/// The learner's course page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerOverview {
    pub session: SessionInfo,
    pub learner_name: String,
    pub municipality: String,
    pub course_title: String,
    pub total_minutes: u32,
    pub modules: Vec<ModuleStatus>,
    pub self_check_passed: bool,
    pub certificate_number: Option<String>,
    /// Why no certificate yet, once the self-check is passed.
    pub waiting_note: Option<String>,
}

impl LearnerOverview {
    #[must_use]
    pub fn done_count(&self) -> usize {
        self.modules.iter().filter(|m| m.done).count()
    }

    /// Steps on the progress bar: every module plus the self-check.
    #[must_use]
    pub fn steps(&self) -> (usize, usize) {
        (self.done_count() + usize::from(self.self_check_passed), self.modules.len() + 1)
    }

    /// Where "続きから" leads: the first module not done, else the self-check.
    #[must_use]
    pub fn next_step(&self) -> Option<&ModuleStatus> {
        self.modules.iter().find(|m| !m.done)
    }
}

/// One module page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModulePage {
    pub module: Unit,
    /// 1-based position in the learner's plan.
    pub position: usize,
    pub of: usize,
    pub done: bool,
    pub steps_done: usize,
    pub steps_total: usize,
}

/// A self-check question without its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: String,
    pub prompt: String,
    pub choices: Vec<String>,
}

/// How the learner did on one question of their last attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerFeedback {
    pub chosen: Option<usize>,
    pub correct: bool,
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub score: usize,
    pub out_of: usize,
    pub passed: bool,
    pub feedback: Vec<AnswerFeedback>,
}

/// The self-check page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfCheckPage {
    pub questions: Vec<QuestionView>,
    pub pass_mark: usize,
    /// False while modules remain: the self-check comes last.
    pub modules_done: bool,
    pub last_attempt: Option<AttemptView>,
    pub certificate_number: Option<String>,
    pub steps_done: usize,
    pub steps_total: usize,
}

/// A certificate as its holder, and anyone holding its QR code, sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub number: String,
    pub holder_name: String,
    /// 認定証 or 修了証.
    pub document_name: String,
    /// What the document calls its holder, e.g. 「心のサポーター」.
    pub certificate_title: String,
    /// The sentence the document states.
    pub statement: String,
    pub programme_name: String,
    /// 和暦 with 西暦.
    pub completed_on: String,
    pub issuer: String,
    pub verify_url: String,
    /// The QR code of `verify_url`, as an SVG document made by the server.
    pub qr_svg: String,
}

/// What a verification URL turns out to be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerifyOutcome {
    /// Signature valid and the certificate is in force.
    Genuine(CertificateView),
    /// Signature valid but the certificate was revoked.
    Revoked { number: String, revoked_on: String },
    /// Anything else: a changed character, an unknown certificate.
    Unverifiable,
}

/// What an invitation link shows before it is accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub place: String,
    /// The person exists already: accepting adds a role and needs their password.
    pub existing_account: bool,
}

/// A person as listed to those who oversee their jurisdiction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    pub display_name: String,
    pub email: String,
    pub roles: Vec<String>,
}

/// One line of an audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    /// JST, for reading.
    pub at: String,
    pub action: String,
    pub target: String,
    pub address: String,
}

/// A programme as listed to anyone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeSummary {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub total_minutes: u32,
    /// 認定証 or 修了証.
    pub document_name: String,
    pub holder_title: String,
    /// Who may take it, as applicants read it.
    pub eligibility: String,
    /// The curriculum is the platform's draft, not yet the official table.
    pub draft: bool,
    pub unit_count: usize,
}

/// One unit (単元・科目) as its programme's page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitView {
    pub id: String,
    pub title: String,
    pub minutes: u32,
    pub summary: String,
    /// The programme's word for its kind: 座学, 講義, 実習, 演習.
    pub kind: String,
    /// 対面, オンライン（同時双方向）, 動画（オンデマンド）, 自習.
    pub delivery: Vec<String>,
    /// 到達目標.
    pub goals: Vec<String>,
}

/// "The implementing body chooses one of".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectiveGroupView {
    pub title: String,
    pub units: Vec<UnitView>,
}

/// Everything public about one programme: its plan, goals and rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeDetail {
    pub summary: ProgrammeSummary,
    pub common_minutes: u32,
    pub common_units: Vec<UnitView>,
    pub elective_groups: Vec<ElectiveGroupView>,
    /// The completion rule, one sentence per condition.
    pub completion: Vec<String>,
    /// What the document states.
    pub statement: String,
    pub after_completion: Option<String>,
    /// The law or notice the shape follows, if any.
    pub basis: Option<String>,
    pub sources: Vec<String>,
}

/// The staff home page: who I am and what I may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHome {
    pub display_name: String,
    pub email: String,
    /// (role, place, scope as stored) per grant.
    pub grants: Vec<(String, String, String)>,
    /// Roles this person may invite others into, with their stored names.
    pub invitable_roles: Vec<(String, String)>,
}

/// People of one jurisdiction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JurisdictionPeople {
    pub place: String,
    pub people: Vec<PersonView>,
}

/// What a resident sees after scanning the check-in code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInOutcome {
    pub session_title: String,
    pub part_label: String,
    /// "14:03", JST.
    pub checked_in_at: String,
    pub checked_out_at: Option<String>,
    /// Later than the implementing body's tolerance: not counted as attended.
    pub late: bool,
    pub left_early: bool,
    pub tolerance_minutes: i64,
}

/// The instructor's check-in screen for one part of a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInScreen {
    pub session_title: String,
    pub code: String,
    pub part_label: String,
    /// 1-based part, of `parts`.
    pub position: i32,
    pub parts: usize,
    pub checking_out: bool,
    /// The rotating code's URL, and its QR code as SVG made by the server.
    pub url: String,
    pub qr_svg: String,
    /// When the page must reload to show the next code.
    pub refresh_in_seconds: u32,
    pub enrolled: u64,
    pub checked_in: u64,
    /// For a live online part: the six digits online learners type.
    pub online_code: Option<String>,
}

/// One part of the learner's session and what is recorded of them there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceLine {
    pub part_label: String,
    /// 対面 or オンライン（同時双方向）.
    pub mode: String,
    pub place: String,
    /// "14:03 受付" or "まだ受付していません".
    pub status: String,
    /// On time, stayed: counts toward completion.
    pub attended: bool,
}

/// One session in the staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSessionLine {
    pub code: String,
    pub title: String,
    pub body: String,
    pub when: String,
    /// 下書き, 公開中, 終了 …
    pub status: String,
    pub draft: bool,
    /// Holding a seat.
    pub enrolled: u64,
    /// Waiting for a seat or offered one.
    pub waitlisted: u64,
    pub capacity: Option<u64>,
    /// The viewer runs the body's sessions (not only teaches this one).
    pub runs_body: bool,
    /// The viewer may cancel it (not closed or cancelled yet).
    pub cancellable: bool,
}

/// The staff sessions page: the sessions one oversees, and what a new one
/// may be (programmes and electives, as (value, label)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSessions {
    pub sessions: Vec<StaffSessionLine>,
    pub programmes: Vec<(String, String)>,
    pub electives: Vec<(String, String)>,
}

/// What the public finder was asked (all optional, as the form sends them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderQuery {
    /// 1–47.
    pub prefecture: String,
    pub programme: String,
    /// `in_person`, `online` or empty.
    pub format: String,
    /// `YYYY-MM-DD`.
    pub from: String,
    pub until: String,
}

/// A session as anyone sees it before registering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicSession {
    pub code: String,
    pub title: String,
    pub programme: String,
    pub body: String,
    /// One line per part: when, how, where.
    pub parts: Vec<String>,
    pub online: bool,
    pub in_person: bool,
    /// `None`: no limit.
    pub seats_left: Option<u64>,
    /// Registration is open (published, within its window, not closed or
    /// cancelled).
    pub open: bool,
    /// People waiting for a seat.
    pub waiting: u64,
    /// Why registration is not open (or the cancellation), in words.
    pub notice: String,
}

/// The finder's answer, with the choices for its form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinderResult {
    pub sessions: Vec<PublicSession>,
    /// (number, name) of the 47 prefectures.
    pub prefectures: Vec<(String, String)>,
    pub programmes: Vec<(String, String)>,
}

/// One person on a session's roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub enrollment_id: i32,
    pub name: String,
    pub furigana: String,
    /// 申し込み済み, 空席待ち …
    pub status: String,
    /// Registered: may be marked present.
    pub holds_seat: bool,
    /// Added on the day by staff.
    pub walk_in: bool,
    pub municipality: String,
    /// Per part: 未, or 出席／遅刻／早退 with the time.
    pub marks: Vec<String>,
    /// Attended every part within the tolerance.
    pub attended_all: bool,
}

/// A session's roster, for the staff who run it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub code: String,
    pub title: String,
    pub parts: Vec<String>,
    pub rows: Vec<RosterRow>,
}

/// A resident's registration, as its mailed link or their phone shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub session: SessionInfo,
    pub name: String,
    pub furigana: String,
    /// The stored word: registered, waitlisted, offered, cancelled, lapsed.
    pub status: String,
    pub status_label: String,
    /// Place in line while waitlisted.
    pub position: Option<u64>,
    /// When an open offer ends (JST, in words).
    pub offer_until: Option<String>,
    pub can_accept: bool,
    /// Added on the day by staff: may continue on their own phone.
    pub walk_in: bool,
    pub can_cancel: bool,
    /// Set when the session was cancelled.
    pub cancel_reason: Option<String>,
    /// The link's token, for the page's forms; empty when the cookie is used.
    pub token: String,
}

/// One instructor's 謝金・旅費 for a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLine {
    pub session_code: String,
    pub person_id: i32,
    pub instructor_name: String,
    pub honorarium_yen: i64,
    pub travel_yen: i64,
    /// `YYYY-MM-DD`, empty when not paid.
    pub paid_on: String,
    pub note: String,
    /// Whether anything is recorded yet.
    pub recorded: bool,
}

/// A session's instructors and what they are paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPayments {
    pub code: String,
    pub title: String,
    pub lines: Vec<PaymentLine>,
}
