//! Registering for a session: the name to print and its フリガナ, the
//! municipality of residence, an e-mail (optional, except to wait for a
//! seat), consent to the handling of personal data. Seats are held by the
//! registered and by those offered a seat; when none is left, residents
//! wait in order, and a seat that comes free is offered by mail to the
//! next, for a limited time, then passes on. Every mail is written in the
//! same transaction as the change it reports (see `support::mail::outbox`).

use super::sessions::{find_session, session_info};
use crate::{
    service::{
        DomainError, Platform,
        identity::{self, learner, parse_display_name},
        support::{
            clock::jst,
            mail::{Mail, SessionFacts, outbox},
            tokens,
        },
    },
    store::{
        db,
        entity::{
            course_session, enrollment,
            values::{RegistrationSource, RegistrationStatus, SessionStatus},
        },
    },
    text,
    view::RegistrationView,
    wareki,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

/// An offered seat is held this long (less when the session is sooner).
pub const OFFER_WINDOW: Duration = Duration::hours(24);
/// …but never less than this.
pub const SHORTEST_OFFER: Duration = Duration::minutes(30);
pub const MAX_FURIGANA_CHARS: usize = 60;
/// Separates registration links' signatures from every other use of the key.
const CONTEXT: &[u8] = b"nimo-registration-link-v1";

/// A registration as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistrationForm {
    pub code: String,
    pub name: String,
    pub furigana: String,
    pub municipality: String,
    /// Empty: none given.
    pub email: String,
    pub consent: bool,
}

/// What registering led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    /// The learner token for the resident's cookie.
    pub learner_token: String,
    pub status: RegistrationStatus,
}

/// Whose registration: the holder of a mailed link, or the learner's cookie.
#[derive(Clone, Copy, Debug)]
pub enum Holder<'a> {
    Link(&'a str),
    Learner(Option<&'a str>),
}

/// The token in a registration's mailed link: the enrollment id and the
/// platform key's signature over it. Nothing to store, and every mail about
/// the registration can carry the same link.
#[must_use]
pub fn link_token(platform: &Platform, enrollment_id: i32) -> String {
    let id = enrollment_id.to_be_bytes();
    let signature = platform.signer.sign_for(CONTEXT, &id);
    URL_SAFE_NO_PAD.encode([&id[..], &signature[..]].concat())
}

fn read_link_token(platform: &Platform, token: &str) -> Option<i32> {
    if token.len() > 200 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(token.trim().as_bytes()).ok()?;
    let (id, signature) = bytes.split_at_checked(4)?;
    if !platform.signer.verify_for(CONTEXT, id, signature) {
        return None;
    }
    Some(i32::from_be_bytes(id.try_into().ok()?))
}

/// The page a registration's mails link to.
#[must_use]
pub fn manage_link(platform: &Platform, enrollment_id: i32) -> String {
    format!("{}/my/registration?token={}", platform.public_url, link_token(platform, enrollment_id))
}

/// フリガナ in katakana: hiragana is converted, spaces are kept single.
///
/// # Errors
/// A Japanese message when it is empty, too long, or not kana.
pub fn normalize_furigana(input: &str) -> Result<String, DomainError> {
    let invalid = |message: &str| DomainError::validation("furigana", message);
    if input.chars().count() > MAX_FURIGANA_CHARS * 2 {
        return Err(invalid("フリガナは60文字以内で入力してください"));
    }
    let mut out = String::new();
    for c in input.trim().chars() {
        let c = match c {
            'ぁ'..='ゖ' => char::from_u32(u32::from(c) + 0x60).unwrap_or(c),
            c => c,
        };
        match c {
            'ァ'..='ヺ' | 'ー' | '・' => out.push(c),
            ' ' | '　' if !out.ends_with(' ') => out.push(' '),
            ' ' | '　' => {}
            _ => return Err(invalid("フリガナはカタカナかひらがなで入力してください（例：ヤマダ ハナコ）")),
        }
    }
    let out = out.trim().to_owned();
    if out.is_empty() {
        return Err(invalid("フリガナを入力してください（例：ヤマダ ハナコ）"));
    }
    if out.chars().count() > MAX_FURIGANA_CHARS {
        return Err(invalid("フリガナは60文字以内で入力してください"));
    }
    Ok(out)
}

fn jst_minute(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&jst());
    format!("{} {}", wareki::format_date(local.date_naive()), local.format("%H:%M"))
}

/// Whether the session takes registrations at `now`.
///
/// # Errors
/// `NotFound` for a draft; a Japanese validation message otherwise.
pub fn check_open(session: &course_session::Model, now: DateTime<Utc>) -> Result<(), DomainError> {
    let closed = |message: String| DomainError::validation("code", message);
    match session.status {
        SessionStatus::Draft => return Err(DomainError::NotFound("その研修はまだ公開されていません".into())),
        SessionStatus::Cancelled => {
            return Err(closed("この研修は中止になりました。実施する自治体の案内をご覧ください".into()));
        }
        SessionStatus::Closed => return Err(closed("この研修は終了しました。ほかの日程をおさがしください".into())),
        SessionStatus::Published | SessionStatus::Held => {}
    }
    if let Some(opens) = session.registration_opens_at
        && now < opens
    {
        return Err(closed(format!("申し込みの受付は{}からです", jst_minute(opens))));
    }
    // Without a deadline, people may still register at the venue until
    // the session ends (the join poster is scanned on the day).
    if now > session.registration_closes_at.unwrap_or(session.ends_at) {
        return Err(closed("この研修の申し込みの受付は終了しました。ほかの日程をおさがしください".into()));
    }
    Ok(())
}

/// Seats held: the registered and those with an open offer.
///
/// # Errors
/// Database errors.
pub async fn seats_taken<C: ConnectionTrait>(db: &C, session_id: i32) -> Result<u64, DomainError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::SessionId.eq(session_id))
        .filter(enrollment::Column::Status.is_in([RegistrationStatus::Registered, RegistrationStatus::Offered]))
        .count(db)
        .await?)
}

fn has_free_seat(session: &course_session::Model, taken: u64) -> bool {
    session.capacity.is_none_or(|capacity| taken < u64::try_from(capacity).unwrap_or(0))
}

/// The words a mail uses for a session and a person.
pub struct Facts {
    name: String,
    title: String,
    when: String,
    place: String,
    body: String,
}

impl Facts {
    #[must_use]
    pub fn of(platform: &Platform, session: &course_session::Model, name: &str) -> Self {
        let info = session_info(platform, session);
        Self {
            name: name.to_owned(),
            title: info.title,
            when: info.when,
            place: info.venue,
            body: info.implementing_body,
        }
    }

    #[must_use]
    pub fn mail(&self) -> SessionFacts<'_> {
        SessionFacts { name: &self.name, title: &self.title, when: &self.when, place: &self.place, body: &self.body }
    }
}

/// Registers a resident: a seat while there is one, else a place in line.
///
/// # Errors
/// Japanese validation messages naming the field; database errors.
pub async fn register(
    platform: &Platform,
    form: &RegistrationForm,
    now: DateTime<Utc>,
) -> Result<Registration, DomainError> {
    let session = find_session(platform, &form.code).await?;
    check_open(&session, now)?;
    let display_name = parse_display_name(&form.name)?;
    let furigana = normalize_furigana(&form.furigana)?;
    let municipality = resolve_residence(platform, &form.municipality)?;
    let email = match form.email.trim() {
        "" => None,
        given => Some(identity::normalize_email(given).map_err(|_| {
            DomainError::validation("email", "メールアドレスの形が正しくありません（例：hanako@example.jp）")
        })?),
    };
    if !form.consent {
        return Err(DomainError::validation(
            "consent",
            "個人情報の取り扱いをお読みのうえ、同意のチェックを入れてください",
        ));
    }
    let token = tokens::new_secret_token();
    let txn = db::begin_write(&platform.db).await?;
    if let Some(email) = &email {
        let already = enrollment::Entity::find()
            .filter(enrollment::Column::SessionId.eq(session.id))
            .filter(enrollment::Column::Email.eq(email.clone()))
            .filter(enrollment::Column::Status.is_in([
                RegistrationStatus::Registered,
                RegistrationStatus::Offered,
                RegistrationStatus::Waitlisted,
            ]))
            .count(&txn)
            .await?;
        if already > 0 {
            return Err(DomainError::validation(
                "email",
                "このメールアドレスで、この研修にはすでに申し込まれています。届いたメールのリンクからご確認ください",
            ));
        }
    }
    let status = if has_free_seat(&session, seats_taken(&txn, session.id).await?) {
        RegistrationStatus::Registered
    } else {
        RegistrationStatus::Waitlisted
    };
    if status == RegistrationStatus::Waitlisted && email.is_none() {
        return Err(DomainError::validation(
            "email",
            "この研修は満席のため、空席待ちでの受付になります。空席のお知らせはメールでお送りしますので、メールアドレスを入力してください",
        ));
    }
    db::insert(
        &txn,
        enrollment::ActiveModel {
            session_id: Set(session.id),
            learner_token_hash: Set(tokens::token_hash(&token)),
            display_name: Set(display_name.clone()),
            municipality_code: Set(municipality),
            created_at: Set(now),
            email: Set(email.clone()),
            furigana: Set(Some(furigana)),
            status: Set(status),
            source: Set(RegistrationSource::Online),
            consented_at: Set(Some(now)),
            ..Default::default()
        },
    )
    .await?;
    if let Some(email) = &email {
        let stored = enrollment::Entity::find()
            .filter(enrollment::Column::LearnerTokenHash.eq(tokens::token_hash(&token)))
            .one(&txn)
            .await?
            .ok_or_else(|| DomainError::Internal("the new enrollment is not there".into()))?;
        let facts = Facts::of(platform, &session, &display_name);
        let link = manage_link(platform, stored.id);
        let mail = if status == RegistrationStatus::Registered {
            Mail::Registered { session: facts.mail(), manage_link: &link }
        } else {
            Mail::Waitlisted {
                session: facts.mail(),
                position: position_in_line(&txn, &stored).await?,
                manage_link: &link,
            }
        };
        outbox::queue(&txn, email, &mail, now).await?;
    }
    // Only a committed registration may become the learner's cookie.
    txn.commit().await?;
    platform.mail_wakeup.notify_one();
    Ok(Registration { learner_token: token, status })
}

/// Resolves the municipality of residence as typed or picked.
///
/// # Errors
/// A Japanese validation message.
pub fn resolve_residence(platform: &Platform, residence: &str) -> Result<String, DomainError> {
    if residence.chars().count() > 40 || text::find_hidden_character(residence).is_some() {
        return Err(DomainError::validation(
            "municipality",
            "お住まいの市区町村名を、候補から選ぶか正しく入力してください",
        ));
    }
    platform
        .content
        .jurisdictions
        .resolve_municipality(residence)
        .map(|code| code.to_string())
        .map_err(|e| DomainError::validation("municipality", e.to_string()))
}

async fn position_in_line<C: ConnectionTrait>(db: &C, waiting: &enrollment::Model) -> Result<u64, DomainError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::SessionId.eq(waiting.session_id))
        .filter(enrollment::Column::Status.eq(RegistrationStatus::Waitlisted))
        .filter(enrollment::Column::Id.lte(waiting.id))
        .count(db)
        .await?)
}

/// Offers every free seat to the next in line, mailing each an offer.
/// Runs inside the caller's transaction.
///
/// # Errors
/// Database errors.
pub async fn offer_free_seats<C: ConnectionTrait>(
    platform: &Platform,
    txn: &C,
    session: &course_session::Model,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    if !matches!(session.status, SessionStatus::Published | SessionStatus::Held) || now >= session.ends_at {
        return Ok(0);
    }
    let mut offered = 0;
    while has_free_seat(session, seats_taken(txn, session.id).await?) {
        let Some(next) = enrollment::Entity::find()
            .filter(enrollment::Column::SessionId.eq(session.id))
            .filter(enrollment::Column::Status.eq(RegistrationStatus::Waitlisted))
            .order_by_asc(enrollment::Column::Id)
            .one(txn)
            .await?
        else {
            break;
        };
        let until = (now + OFFER_WINDOW).min(session.starts_at).max(now + SHORTEST_OFFER);
        db::update(
            txn,
            enrollment::ActiveModel {
                id: sea_orm::Unchanged(next.id),
                status: Set(RegistrationStatus::Offered),
                offer_expires_at: Set(Some(until)),
                ..Default::default()
            },
        )
        .await?;
        if let Some(email) = &next.email {
            let facts = Facts::of(platform, session, &next.display_name);
            let link = manage_link(platform, next.id);
            let until = jst_minute(until);
            outbox::queue(
                txn,
                email,
                &Mail::SeatOffered { session: facts.mail(), until: &until, manage_link: &link },
                now,
            )
            .await?;
        }
        offered += 1;
    }
    Ok(offered)
}

async fn enrollment_of(platform: &Platform, holder: Holder<'_>) -> Result<enrollment::Model, DomainError> {
    let gone =
        || DomainError::NotFound("このリンクは使えません。届いたメールのリンクをもう一度お確かめください".into());
    match holder {
        Holder::Link(token) => {
            let id = read_link_token(platform, token).ok_or_else(gone)?;
            enrollment::Entity::find_by_id(id).one(&platform.db).await?.ok_or_else(gone)
        }
        Holder::Learner(token) => Ok(learner(platform, token).await?.enrollment),
    }
}

fn status_label(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Registered => "申し込み済み（席を確保しています）",
        RegistrationStatus::Waitlisted => "空席待ち",
        RegistrationStatus::Offered => "空席のご案内中（期限までに確定してください）",
        RegistrationStatus::Cancelled => "キャンセル済み",
        RegistrationStatus::Lapsed => "ご案内の期限切れ（席は次の方に回りました）",
    }
}

/// A registration as its holder sees it.
///
/// # Errors
/// `NotFound` for a bad link; `NoLearner` without a cookie.
pub async fn registration_page(
    platform: &Platform,
    holder: Holder<'_>,
    now: DateTime<Utc>,
) -> Result<RegistrationView, DomainError> {
    let found = enrollment_of(platform, holder).await?;
    let session = course_session::Entity::find_by_id(found.session_id)
        .one(&platform.db)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("enrollment {} has no session", found.id)))?;
    let position = if found.status == RegistrationStatus::Waitlisted {
        Some(position_in_line(&platform.db, &found).await?)
    } else {
        None
    };
    let offer_open = found.status == RegistrationStatus::Offered && found.offer_expires_at.is_some_and(|t| now < t);
    let active = matches!(
        found.status,
        RegistrationStatus::Registered | RegistrationStatus::Offered | RegistrationStatus::Waitlisted
    );
    Ok(RegistrationView {
        session: session_info(platform, &session),
        name: found.display_name.clone(),
        furigana: found.furigana.clone().unwrap_or_default(),
        status: found.status.as_str().to_owned(),
        status_label: status_label(found.status).to_owned(),
        position,
        offer_until: found.offer_expires_at.filter(|_| offer_open).map(jst_minute),
        can_accept: offer_open,
        walk_in: found.source == RegistrationSource::WalkIn,
        can_cancel: active && matches!(session.status, SessionStatus::Published | SessionStatus::Held),
        cancel_reason: (session.status == SessionStatus::Cancelled)
            .then(|| session.cancel_reason.clone().unwrap_or_default()),
        token: match holder {
            Holder::Link(token) => token.chars().take(200).collect(),
            Holder::Learner(_) => String::new(),
        },
    })
}

/// Takes an offered seat.
///
/// # Errors
/// A Japanese message when there is no open offer (expired, taken back).
pub async fn accept_offer(platform: &Platform, holder: Holder<'_>, now: DateTime<Utc>) -> Result<(), DomainError> {
    let found = enrollment_of(platform, holder).await?;
    let txn = db::begin_write(&platform.db).await?;
    // Only an offer still open becomes a seat, even against the upkeep
    // passing it on at this very moment.
    let taken = enrollment::Entity::update_many()
        .col_expr(enrollment::Column::Status, sea_orm::sea_query::Expr::value(RegistrationStatus::Registered.as_str()))
        .filter(enrollment::Column::Id.eq(found.id))
        .filter(enrollment::Column::Status.eq(RegistrationStatus::Offered))
        .filter(enrollment::Column::OfferExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        return Err(DomainError::validation(
            "offer",
            "ご案内の期限が過ぎたか、すでに確定・キャンセルされています。現在の状況をご確認ください",
        ));
    }
    txn.commit().await?;
    Ok(())
}

/// Gives up a seat or a place in line; a freed seat is offered to the next.
///
/// # Errors
/// A Japanese message when there is nothing to cancel.
pub async fn cancel(platform: &Platform, holder: Holder<'_>, now: DateTime<Utc>) -> Result<(), DomainError> {
    let found = enrollment_of(platform, holder).await?;
    let session = course_session::Entity::find_by_id(found.session_id)
        .one(&platform.db)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("enrollment {} has no session", found.id)))?;
    if !matches!(session.status, SessionStatus::Published | SessionStatus::Held) {
        return Err(DomainError::validation(
            "cancel",
            "この研修は終了または中止されているため、キャンセルの必要はありません",
        ));
    }
    let txn = db::begin_write(&platform.db).await?;
    let cancelled = enrollment::Entity::update_many()
        .col_expr(enrollment::Column::Status, sea_orm::sea_query::Expr::value(RegistrationStatus::Cancelled.as_str()))
        .col_expr(enrollment::Column::CancelledAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(enrollment::Column::Id.eq(found.id))
        .filter(enrollment::Column::Status.is_in([
            RegistrationStatus::Registered,
            RegistrationStatus::Offered,
            RegistrationStatus::Waitlisted,
        ]))
        .exec(&txn)
        .await?;
    if cancelled.rows_affected != 1 {
        return Err(DomainError::validation("cancel", "このお申し込みはすでにキャンセルされています"));
    }
    offer_free_seats(platform, &txn, &session, now).await?;
    txn.commit().await?;
    platform.mail_wakeup.notify_one();
    Ok(())
}

/// The link (and its QR code) a walk-in scans to continue on their phone:
/// the registration page, where 「この端末で受講する」 signs the phone in.
///
/// # Errors
/// `NotFound` for a person not on this session's roster.
pub async fn walk_in_link(
    platform: &Platform,
    session: &course_session::Model,
    enrollment_id: i32,
) -> Result<(String, String), DomainError> {
    enrollment::Entity::find_by_id(enrollment_id)
        .one(&platform.db)
        .await?
        .filter(|e| e.session_id == session.id)
        .ok_or_else(|| DomainError::NotFound("この研修の名簿にその方はいません".into()))?;
    let link = manage_link(platform, enrollment_id);
    Ok((crate::service::certificates::render::qr_svg(&link), link))
}

/// Continues a walk-in's registration on this device (they scan the link
/// staff showed them): a new learner token for it. Only for walk-ins, who
/// have no other way in; a resident who registered online signs in on a new
/// phone with the expiring e-mailed link instead, since the links in their
/// mails do not expire.
///
/// # Errors
/// `NotFound` for a bad link; validation when not registered.
pub async fn use_on_this_device(platform: &Platform, link: &str, now: DateTime<Utc>) -> Result<String, DomainError> {
    let found = enrollment_of(platform, Holder::Link(link)).await?;
    if found.status != RegistrationStatus::Registered || found.source != RegistrationSource::WalkIn {
        return Err(DomainError::validation(
            "token",
            "このリンクからは受講を始められません。申し込んだ端末で続けてください（認定証にメールアドレスを登録すると、ほかの端末でも開けます）",
        ));
    }
    let token = tokens::new_secret_token();
    db::insert(
        &platform.db,
        crate::store::entity::learner_device::ActiveModel {
            token_hash: Set(tokens::token_hash(&token)),
            enrollment_id: Set(found.id),
            created_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furigana_is_katakana_with_single_spaces() {
        assert_eq!(normalize_furigana(" やまだ　　はなこ ").ok().as_deref(), Some("ヤマダ ハナコ"));
        assert_eq!(normalize_furigana("ヴィクトリア・スミス").ok().as_deref(), Some("ヴィクトリア・スミス"));
        assert!(normalize_furigana("山田").is_err());
        assert!(normalize_furigana("   ").is_err());
        assert!(normalize_furigana(&"ア".repeat(61)).is_err());
    }
}
