//! Staff accounts: passwords, sign-in with brute-force limits, server-side
//! sessions, invitations down the hierarchy, password resets, and the audit
//! log every one of them writes to.

use super::{
    DomainError, Platform,
    audit::{self, AuditActor, Entry, Gate, RepeatGate},
    db,
    entity::{audit_event, email_token, invitation, person, role_grant, staff_session},
    learning::token_hash,
};
use crate::{
    jurisdiction::LocalGovCode,
    roles::{Grant, Role, Scope},
};
use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng},
};
use chrono::{Duration, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};

pub use crate::dto::{AuditView, InvitationView, PersonView};
use std::{collections::HashSet, net::IpAddr, num::NonZeroU32, path::Path};

/// Staff sessions end after this long without a request…
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Invitations are valid this long.
pub const INVITATION_VALIDITY: Duration = Duration::hours(72);
/// Password-reset links are valid this long.
pub const RESET_VALIDITY: Duration = Duration::hours(1);
pub const MIN_PASSWORD_CHARS: usize = 8;
pub const RECOMMENDED_PASSWORD_CHARS: usize = 15;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Password rules and brute-force limits, loaded once.
pub struct Accounts {
    common_passwords: HashSet<String>,
    /// Failed-or-not sign-in attempts per (account, address): a victim's own
    /// address is never limited by an attacker's attempts from elsewhere.
    per_account_address: DefaultKeyedRateLimiter<(String, IpAddr)>,
    /// Attempts per address, whatever the account.
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    /// Repeated identical failures are counted in the audit log, not
    /// written out each time.
    repeats: RepeatGate,
}

fn quota(per_hour: u32, burst: u32) -> Quota {
    Quota::per_hour(NonZeroU32::new(per_hour).unwrap_or(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

impl Accounts {
    /// Loads `security/common-passwords.txt` from the content folder.
    ///
    /// # Errors
    /// The list cannot be read.
    pub fn load(content_dir: &Path) -> std::io::Result<Self> {
        let list = std::fs::read_to_string(content_dir.join("security").join("common-passwords.txt"))?;
        Ok(Self::with_common_passwords(list.lines().map(str::to_lowercase).collect()))
    }

    #[must_use]
    pub fn with_common_passwords(common_passwords: HashSet<String>) -> Self {
        Self {
            common_passwords,
            // 10 attempts, then one every 6 minutes, per account and address.
            per_account_address: RateLimiter::keyed(quota(10, 10)),
            // 100 attempts, then 100 an hour, per address (an office NAT).
            per_address: RateLimiter::keyed(quota(100, 100)),
            repeats: RepeatGate::new(Duration::minutes(10), 10_000),
        }
    }

    /// Whether one more attempt for `account` from `address` is within the
    /// limits (and counts it).
    #[must_use]
    pub fn allow_attempt(&self, account: &str, address: IpAddr) -> bool {
        self.per_address.check_key(&address).is_ok()
            && self.per_account_address.check_key(&(account.to_owned(), address)).is_ok()
    }

    /// Drops idle limiter entries; call now and then.
    pub fn forget_idle(&self) {
        self.per_account_address.retain_recent();
        self.per_address.retain_recent();
    }

    /// NIST SP 800-63B / OWASP ASVS 5: length only (8 to 128), no composition
    /// rules, not a common password, not the user's own e-mail.
    ///
    /// # Errors
    /// A Japanese message saying what to change.
    pub fn check_password(&self, password: &str, email: &str) -> Result<(), DomainError> {
        let length = password.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(DomainError::validation(
                "password",
                format!(
                    "パスワードは{MIN_PASSWORD_CHARS}文字以上にしてください（{RECOMMENDED_PASSWORD_CHARS}文字以上をおすすめします）"
                ),
            ));
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(DomainError::validation(
                "password",
                format!("パスワードは{MAX_PASSWORD_CHARS}文字以内にしてください"),
            ));
        }
        let lower = password.to_lowercase();
        if self.common_passwords.contains(&lower) {
            return Err(DomainError::validation(
                "password",
                "よく使われていて推測されやすいパスワードです。別のものにしてください",
            ));
        }
        let email = email.to_lowercase();
        let local_part = email.split('@').next().unwrap_or_default();
        if lower == email || (!local_part.is_empty() && lower == local_part) {
            return Err(DomainError::validation("password", "メールアドレスをパスワードにすることはできません"));
        }
        Ok(())
    }
}

/// argon2id with 46 MiB of memory, one pass, one lane (OWASP's minimum).
fn argon2() -> Argon2<'static> {
    let params = Params::new(46 * 1024, 1, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

async fn hash_password(password: String) -> Result<String, DomainError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| DomainError::Internal(e.to_string()))?
    .map_err(|e| DomainError::Internal(e.to_string()))
}

/// Verifies off the async threads; an unknown account verifies against a
/// dummy hash so timing does not tell which e-mails exist.
async fn verify_password(hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let dummy = "$argon2id$v=19$m=47104,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$2J8P6Fz8bZ3oQeWfW6c5hYF3yq6e7r0xU2y0y2c8qkA";
        let stored = hash.clone().unwrap_or_else(|| dummy.to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        argon2().verify_password(password.as_bytes(), &parsed).is_ok() && hash.is_some()
    })
    .await
    .unwrap_or(false)
}

/// Lower-cases and checks the shape of an e-mail address.
///
/// # Errors
/// A Japanese validation message.
pub fn normalize_email(input: &str) -> Result<String, DomainError> {
    let email = input.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace)
        && crate::text::find_hidden_character(&email).is_none();
    if valid {
        Ok(email)
    } else {
        Err(DomainError::validation("email", "メールアドレスの形が正しくありません"))
    }
}

/// Who is asking: a signed-in person with their grants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub person_id: i32,
    pub email: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
}

impl Actor {
    #[must_use]
    pub fn oversees(&self, scope: Scope) -> bool {
        crate::roles::any_oversees(&self.grants, scope)
    }

    #[must_use]
    pub fn may_invite(&self, role: Role, scope: Scope) -> bool {
        self.grants.iter().any(|g| g.may_invite(role, scope))
    }
}

/// Appends one audit entry. Failing to audit fails the action.
///
/// # Errors
/// Database errors.
pub async fn audit<C: ConnectionTrait>(
    db: &C,
    actor: Option<&Actor>,
    actor_label: &str,
    action: &str,
    target: &str,
    detail: &str,
    address: Option<IpAddr>,
) -> Result<(), DomainError> {
    let who = AuditActor {
        person_id: actor.map(|a| a.person_id),
        label: actor.map_or(actor_label, |a| a.email.as_str()),
        grants: actor.map_or(&[], |a| a.grants.as_slice()),
    };
    audit::append(db, who, Entry { action, target, detail, address }).await
}

/// Audits a failure that a script may repeat many times a minute: the
/// first of a run is written, the rest are counted into the next entry.
async fn audit_repeatable(platform: &Platform, action: &str, target: &str, address: IpAddr) -> Result<(), DomainError> {
    let target = audit::bounded(target);
    let key = format!("{action}\u{1f}{target}\u{1f}{address}");
    match platform.accounts.repeats.pass(&key, Utc::now()) {
        Gate::Count => Ok(()),
        Gate::Write { held_back } => {
            let detail = if held_back == 0 {
                String::new()
            } else {
                format!("前回の記録から同じ失敗が{held_back}回（個別の記録は省略）")
            };
            audit(&platform.db, None, &target, action, &target, &detail, Some(address)).await
        }
    }
}

async fn grants_of<C: ConnectionTrait>(db: &C, person_id: i32) -> Result<Vec<Grant>, DomainError> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person_id))
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|g| Some(Grant { role: Role::parse(&g.role)?, scope: Scope::parse(&g.jurisdiction)? }))
        .collect())
}

async fn actor_of<C: ConnectionTrait>(db: &C, person: &person::Model) -> Result<Actor, DomainError> {
    Ok(Actor {
        person_id: person.id,
        email: person.email.clone(),
        display_name: person.display_name.clone(),
        grants: grants_of(db, person.id).await?,
    })
}

async fn new_session<C: ConnectionTrait>(db: &C, person_id: i32) -> Result<String, DomainError> {
    let token = super::learning::new_secret_token();
    let now = Utc::now();
    db::insert(
        db,
        staff_session::ActiveModel {
            token_hash: Set(token_hash(&token)),
            person_id: Set(person_id),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(now + ABSOLUTE_TIMEOUT),
            ..Default::default()
        },
    )
    .await?;
    Ok(token)
}

/// Signs in with e-mail and password and returns a new session token. Any
/// session the browser already had is ended (a new ID at every sign-in).
///
/// # Errors
/// `TooManyAttempts` past the limits; one `Validation` message for a wrong
/// e-mail or password alike.
pub async fn sign_in(
    platform: &Platform,
    email: &str,
    password: &str,
    previous_session: Option<&str>,
    address: IpAddr,
) -> Result<String, DomainError> {
    let accounts = &platform.accounts;
    let Ok(email) = normalize_email(email) else {
        // Not an e-mail at all: counted against the address like any
        // attempt, audited once per run, and nothing of it kept unbounded.
        if accounts.per_address.check_key(&address).is_err() {
            audit_repeatable(platform, "sign_in_throttled", email.trim(), address).await?;
            return Err(DomainError::TooManyAttempts);
        }
        audit_repeatable(platform, "sign_in_failed", email.trim(), address).await?;
        return Err(DomainError::validation("email", "メールアドレスの形が正しくありません"));
    };
    if accounts.per_address.check_key(&address).is_err()
        || accounts.per_account_address.check_key(&(email.clone(), address)).is_err()
    {
        audit_repeatable(platform, "sign_in_throttled", &email, address).await?;
        return Err(DomainError::TooManyAttempts);
    }
    let person = person::Entity::find().filter(person::Column::Email.eq(email.clone())).one(&platform.db).await?;
    let active = person.as_ref().filter(|p| p.disabled_at.is_none());
    let ok = verify_password(active.and_then(|p| p.password_hash.clone()), password.to_owned()).await;
    let (true, Some(person)) = (ok, active) else {
        // Each wrong password is its own entry: the limits above allow only
        // a few an hour per account and address, so these stay bounded.
        audit(&platform.db, None, &email, "sign_in_failed", &email, "", Some(address)).await?;
        return Err(DomainError::validation("password", "メールアドレスかパスワードが違います"));
    };
    let actor = actor_of(&platform.db, person).await?;
    // The old session ends, the new one starts and the sign-in is recorded
    // together: a session exists only if its audit entry does.
    let txn = db::begin_write(&platform.db).await?;
    if let Some(previous) = previous_session {
        delete_session(&txn, previous).await?;
    }
    let token = new_session(&txn, person.id).await?;
    audit(&txn, Some(&actor), "", "sign_in", &actor.email, "", Some(address)).await?;
    txn.commit().await?;
    Ok(token)
}

/// The signed-in person behind a session token, if the session is alive;
/// touching it keeps it alive (idle timeout), up to the absolute timeout.
///
/// # Errors
/// `NotSignedIn` for no, unknown, idle or expired sessions.
pub async fn actor(platform: &Platform, token: Option<&str>) -> Result<Actor, DomainError> {
    let token = token.filter(|t| !t.is_empty()).ok_or(DomainError::NotSignedIn)?;
    let session = staff_session::Entity::find()
        .filter(staff_session::Column::TokenHash.eq(token_hash(token)))
        .one(&platform.db)
        .await?
        .ok_or(DomainError::NotSignedIn)?;
    let now = Utc::now();
    if now >= session.expires_at || now - session.last_seen_at >= IDLE_TIMEOUT {
        staff_session::Entity::delete_by_id(session.id).exec(&platform.db).await?;
        return Err(DomainError::NotSignedIn);
    }
    let person = person::Entity::find_by_id(session.person_id)
        .one(&platform.db)
        .await?
        .filter(|p| p.disabled_at.is_none())
        .ok_or(DomainError::NotSignedIn)?;
    // Write at most once a minute: reading pages should not mean writing.
    if now - session.last_seen_at >= Duration::minutes(1) {
        staff_session::Entity::update_many()
            .col_expr(staff_session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
            .filter(staff_session::Column::Id.eq(session.id))
            .exec(&platform.db)
            .await?;
    }
    actor_of(&platform.db, &person).await
}

/// Deletes a session on the server (sign-out).
///
/// # Errors
/// Database errors.
pub async fn end_session(platform: &Platform, token: &str) -> Result<(), DomainError> {
    delete_session(&platform.db, token).await
}

async fn delete_session<C: ConnectionTrait>(db: &C, token: &str) -> Result<(), DomainError> {
    staff_session::Entity::delete_many()
        .filter(staff_session::Column::TokenHash.eq(token_hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Signs out: ends the session and records it.
///
/// # Errors
/// Database errors.
pub async fn sign_out(platform: &Platform, token: Option<&str>, address: IpAddr) -> Result<(), DomainError> {
    let Some(token) = token else { return Ok(()) };
    if let Ok(actor) = actor(platform, Some(token)).await {
        audit(&platform.db, Some(&actor), "", "sign_out", &actor.email, "", Some(address)).await?;
    }
    end_session(platform, token).await
}

/// Records a refused authorization and returns the refusal.
///
/// # Errors
/// Always: `Forbidden` with the message, or a database error.
pub async fn refuse(platform: &Platform, actor: &Actor, what: &str, address: Option<IpAddr>) -> DomainError {
    match audit(&platform.db, Some(actor), "", "authorization_refused", what, "", address).await {
        Ok(()) => {
            DomainError::Forbidden("この操作の権限がありません。ご自分の担当の範囲だけを見ることができます".into())
        }
        Err(error) => error,
    }
}

/// Creates an invitation and e-mails its link. `inviter` is `None` only for
/// the first secretariat account, created from the command line.
///
/// # Errors
/// `Forbidden` outside the inviter's rights; validation errors; mail errors.
pub async fn invite(
    platform: &Platform,
    inviter: Option<&Actor>,
    email: &str,
    display_name: &str,
    role: Role,
    scope: Scope,
    address: Option<IpAddr>,
) -> Result<String, DomainError> {
    let email = normalize_email(email)?;
    let display_name = super::learning::parse_display_name(display_name)?;
    if let Scope::Local(code) = scope
        && platform.content.jurisdictions.get(code).is_none()
    {
        return Err(DomainError::validation("jurisdiction", "その団体コードの自治体はありません"));
    }
    if let Some(inviter) = inviter
        && !inviter.may_invite(role, scope)
    {
        return Err(refuse(platform, inviter, &format!("invite {} {scope}", role.as_str()), address).await);
    }
    let token = super::learning::new_secret_token();
    let now = Utc::now();
    db::insert(
        &platform.db,
        invitation::ActiveModel {
            token_hash: Set(token_hash(&token)),
            email: Set(email.clone()),
            display_name: Set(display_name.clone()),
            role: Set(role.as_str().to_owned()),
            jurisdiction: Set(scope.to_string()),
            invited_by: Set(inviter.map(|a| a.person_id)),
            created_at: Set(now),
            expires_at: Set(now + INVITATION_VALIDITY),
            ..Default::default()
        },
    )
    .await?;
    let link = format!("{}/staff/accept?token={token}", platform.public_url);
    let place = scope_name(platform, scope);
    let body = format!(
        "{display_name} 様\n\nこころサポート研修の{place}の{role}として招待されました。\n\
         次のリンクを開き、パスワードを決めて登録を完了してください（{hours}時間有効、1回限り）。\n\n{link}\n\n\
         お心当たりのない場合は、このメールを破棄してください。\n",
        role = role.name_ja(),
        hours = INVITATION_VALIDITY.num_hours(),
    );
    platform.mailer.send(&email, "【こころサポート研修】担当者登録のご案内", body).await.map_err(|e| {
        DomainError::Unavailable(format!("招待メールを送れませんでした（{e}）。時間をおいてもう一度お試しください"))
    })?;
    let label = inviter.map_or("system", |_| "");
    audit(&platform.db, inviter, label, "invitation_sent", &email, &format!("{} {scope}", role.as_str()), address)
        .await?;
    Ok(link)
}

/// "東京都" for a prefecture's scope, "全国" for the nation.
#[must_use]
pub fn scope_name(platform: &Platform, scope: Scope) -> String {
    match scope {
        Scope::National => "全国".to_owned(),
        Scope::Local(code) => platform.content.jurisdictions.full_name(code),
    }
}

fn invitation_gone() -> DomainError {
    DomainError::NotFound(
        "この招待リンクは使えません（使用済み・期限切れ・誤り）。招待した方に再送を依頼してください".into(),
    )
}

async fn open_invitation(platform: &Platform, token: &str) -> Result<invitation::Model, DomainError> {
    let gone = invitation_gone;
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_hash(token)))
        .one(&platform.db)
        .await?
        .ok_or_else(gone)?;
    if found.accepted_at.is_some() || Utc::now() >= found.expires_at {
        return Err(gone());
    }
    Ok(found)
}

/// The invitation behind a link.
///
/// # Errors
/// `NotFound` for used, expired or unknown links.
pub async fn invitation(platform: &Platform, token: &str) -> Result<InvitationView, DomainError> {
    let found = open_invitation(platform, token).await?;
    let existing =
        person::Entity::find().filter(person::Column::Email.eq(found.email.clone())).one(&platform.db).await?;
    Ok(InvitationView {
        email: found.email.clone(),
        display_name: found.display_name.clone(),
        role: Role::parse(&found.role).map(Role::name_ja).unwrap_or_default().to_owned(),
        place: Scope::parse(&found.jurisdiction).map(|s| scope_name(platform, s)).unwrap_or_default(),
        existing_account: existing.is_some_and(|p| p.password_hash.is_some()),
    })
}

/// Accepts an invitation: creates the account (or adds the role to an
/// existing one, whose password must then be given), uses up the link, and
/// signs in.
///
/// # Errors
/// `NotFound` for a bad link; password validation errors.
pub async fn accept_invitation(
    platform: &Platform,
    token: &str,
    password: &str,
    address: IpAddr,
) -> Result<String, DomainError> {
    let found = open_invitation(platform, token).await?;
    let existing =
        person::Entity::find().filter(person::Column::Email.eq(found.email.clone())).one(&platform.db).await?;
    let now = Utc::now();
    // Hash (tens of milliseconds) before taking the write lock.
    let new_hash = match &existing {
        Some(person) if person.password_hash.is_some() => {
            if !verify_password(person.password_hash.clone(), password.to_owned()).await {
                return Err(DomainError::validation("password", "登録済みのパスワードを入力してください"));
            }
            None
        }
        _ => {
            platform.accounts.check_password(password, &found.email)?;
            Some(hash_password(password.to_owned()).await?)
        }
    };
    let txn = db::begin_write(&platform.db).await?;
    // The link is single-use: a second request that raced this one finds
    // it used once it gets the lock.
    let still_open = invitation::Entity::find_by_id(found.id).one(&txn).await?.is_some_and(|i| i.accepted_at.is_none());
    if !still_open {
        return Err(invitation_gone());
    }
    let person = match (existing, new_hash) {
        (Some(person), None) => person,
        (Some(person), Some(hash)) => {
            db::update(
                &txn,
                person::ActiveModel {
                    id: sea_orm::Unchanged(person.id),
                    password_hash: Set(Some(hash.clone())),
                    ..Default::default()
                },
            )
            .await?;
            person::Model { password_hash: Some(hash), ..person }
        }
        (None, hash) => {
            db::insert(
                &txn,
                person::ActiveModel {
                    email: Set(found.email.clone()),
                    display_name: Set(found.display_name.clone()),
                    password_hash: Set(hash),
                    created_at: Set(now),
                    ..Default::default()
                },
            )
            .await?;
            person::Entity::find()
                .filter(person::Column::Email.eq(found.email.clone()))
                .one(&txn)
                .await?
                .ok_or_else(|| DomainError::Internal("the new person is not there".into()))?
        }
    };
    let already = role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person.id))
        .filter(role_grant::Column::Role.eq(found.role.clone()))
        .filter(role_grant::Column::Jurisdiction.eq(found.jurisdiction.clone()))
        .one(&txn)
        .await?;
    if already.is_none() {
        db::insert(
            &txn,
            role_grant::ActiveModel {
                person_id: Set(person.id),
                role: Set(found.role.clone()),
                jurisdiction: Set(found.jurisdiction.clone()),
                granted_by: Set(found.invited_by),
                created_at: Set(now),
                ..Default::default()
            },
        )
        .await?;
    }
    db::update(
        &txn,
        invitation::ActiveModel { id: sea_orm::Unchanged(found.id), accepted_at: Set(Some(now)), ..Default::default() },
    )
    .await?;
    let token = new_session(&txn, person.id).await?;
    let actor = actor_of(&txn, &person).await?;
    audit(
        &txn,
        Some(&actor),
        "",
        "invitation_accepted",
        &found.email,
        &format!("{} {}", found.role, found.jurisdiction),
        Some(address),
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// Sends a password-reset link if the e-mail belongs to an account; answers
/// the same either way, so it tells nobody which e-mails exist.
///
/// # Errors
/// `TooManyAttempts`; mail errors.
pub async fn request_password_reset(platform: &Platform, email: &str, address: IpAddr) -> Result<(), DomainError> {
    let email = normalize_email(email)?;
    if platform.accounts.per_account_address.check_key(&(email.clone(), address)).is_err() {
        return Err(DomainError::TooManyAttempts);
    }
    let Some(person) = person::Entity::find()
        .filter(person::Column::Email.eq(email.clone()))
        .one(&platform.db)
        .await?
        .filter(|p| p.disabled_at.is_none())
    else {
        audit_repeatable(platform, "password_reset_unknown", &email, address).await?;
        return Ok(());
    };
    let token = super::learning::new_secret_token();
    let now = Utc::now();
    db::insert(
        &platform.db,
        email_token::ActiveModel {
            token_hash: Set(token_hash(&token)),
            purpose: Set("password_reset".into()),
            person_id: Set(person.id),
            created_at: Set(now),
            expires_at: Set(now + RESET_VALIDITY),
            ..Default::default()
        },
    )
    .await?;
    let link = format!("{}/staff/reset?token={token}", platform.public_url);
    let body = format!(
        "{} 様\n\nパスワード再設定のご依頼を受け付けました。次のリンクから新しいパスワードを設定してください（1時間有効、1回限り）。\n\n{link}\n\nお心当たりのない場合は、このメールを破棄してください。パスワードは変わりません。\n",
        person.display_name
    );
    platform
        .mailer
        .send(&email, "【こころサポート研修】パスワード再設定", body)
        .await
        .map_err(|e| DomainError::Unavailable(format!("メールを送れませんでした（{e}）")))?;
    audit(&platform.db, None, &email, "password_reset_requested", &email, "", Some(address)).await
}

/// Sets a new password with a reset link; every session of the person ends.
///
/// # Errors
/// `NotFound` for a bad link; password validation errors.
pub async fn reset_password(
    platform: &Platform,
    token: &str,
    password: &str,
    address: IpAddr,
) -> Result<(), DomainError> {
    let gone = || {
        DomainError::NotFound(
            "この再設定リンクは使えません（使用済み・期限切れ・誤り）。もう一度お申し込みください".into(),
        )
    };
    let found = email_token::Entity::find()
        .filter(email_token::Column::TokenHash.eq(token_hash(token)))
        .filter(email_token::Column::Purpose.eq("password_reset"))
        .one(&platform.db)
        .await?
        .filter(|t| t.used_at.is_none() && Utc::now() < t.expires_at)
        .ok_or_else(gone)?;
    let person = person::Entity::find_by_id(found.person_id).one(&platform.db).await?.ok_or_else(gone)?;
    platform.accounts.check_password(password, &person.email)?;
    let hash = hash_password(password.to_owned()).await?;
    let txn = db::begin_write(&platform.db).await?;
    // Single use, even for two requests at once: only the one that flips
    // `used_at` from empty goes on.
    let used = email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(Utc::now())))
        .filter(email_token::Column::Id.eq(found.id))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(gone());
    }
    db::update(
        &txn,
        person::ActiveModel { id: sea_orm::Unchanged(person.id), password_hash: Set(Some(hash)), ..Default::default() },
    )
    .await?;
    staff_session::Entity::delete_many().filter(staff_session::Column::PersonId.eq(person.id)).exec(&txn).await?;
    audit(&txn, None, &person.email, "password_reset", &person.email, "", Some(address)).await?;
    txn.commit().await?;
    Ok(())
}

/// The people holding roles within `scope`, for an actor who oversees it.
/// Viewing them is audited: it is personal data.
///
/// # Errors
/// `Forbidden` (audited) outside the actor's jurisdiction.
pub async fn people_in(
    platform: &Platform,
    actor: &Actor,
    scope: Scope,
    address: Option<IpAddr>,
) -> Result<Vec<PersonView>, DomainError> {
    if !actor.oversees(scope) {
        return Err(refuse(platform, actor, &format!("people {scope}"), address).await);
    }
    let grants = role_grant::Entity::find().order_by_asc(role_grant::Column::PersonId).all(&platform.db).await?;
    let mut people: Vec<PersonView> = Vec::new();
    let mut ids: Vec<i32> = Vec::new();
    for grant in grants {
        let Some(grant_scope) = Scope::parse(&grant.jurisdiction) else { continue };
        if !scope.contains(grant_scope) {
            continue;
        }
        let role = Role::parse(&grant.role).map(Role::name_ja).unwrap_or_default();
        let label = format!("{role}（{}）", scope_name(platform, grant_scope));
        if let Some(index) = ids.iter().position(|id| *id == grant.person_id) {
            people[index].roles.push(label);
        } else if let Some(person) = person::Entity::find_by_id(grant.person_id).one(&platform.db).await? {
            ids.push(person.id);
            people.push(PersonView { display_name: person.display_name, email: person.email, roles: vec![label] });
        }
    }
    audit(
        &platform.db,
        Some(actor),
        "",
        "personal_data_viewed",
        &format!("people {scope}"),
        &format!("{} people", people.len()),
        address,
    )
    .await?;
    Ok(people)
}

/// The actor's own audit trail, newest first (at most 200 entries).
///
/// # Errors
/// Database errors.
pub async fn own_audit_trail(platform: &Platform, actor: &Actor) -> Result<Vec<AuditView>, DomainError> {
    let jst = super::learning::jst();
    Ok(audit_event::Entity::find()
        .filter(
            Condition::any()
                .add(audit_event::Column::ActorPersonId.eq(actor.person_id))
                .add(audit_event::Column::Actor.eq(actor.email.clone())),
        )
        .order_by_desc(audit_event::Column::Id)
        .limit(200)
        .all(&platform.db)
        .await?
        .into_iter()
        .map(|e| AuditView {
            at: e.at.with_timezone(&jst).format("%Y-%m-%d %H:%M:%S").to_string(),
            action: e.action,
            target: e.target,
            address: e.address.unwrap_or_default(),
        })
        .collect())
}

/// Parses a jurisdiction typed or chosen in a form: `national`, a code, or
/// a full name ("東京都", "大阪府大阪市").
///
/// # Errors
/// A Japanese validation message.
pub fn parse_scope(platform: &Platform, input: &str) -> Result<Scope, DomainError> {
    let input = input.trim();
    if input.chars().count() > 40 || crate::text::find_hidden_character(input).is_some() {
        return Err(DomainError::validation("jurisdiction", "団体名か団体コードを正しく入力してください"));
    }
    if input == "national" || input == "全国" {
        return Ok(Scope::National);
    }
    if let Ok(code) = LocalGovCode::parse(input) {
        return platform
            .content
            .jurisdictions
            .get(code)
            .map(|_| Scope::Local(code))
            .ok_or_else(|| DomainError::validation("jurisdiction", "その団体コードの自治体はありません"));
    }
    let index = &platform.content.jurisdictions;
    if let Some(prefecture) = index.prefectures().find(|p| p.name == input) {
        return Ok(Scope::Local(prefecture.code));
    }
    index
        .resolve_municipality(input)
        .map(Scope::Local)
        .map_err(|e| DomainError::validation("jurisdiction", e.to_string()))
}
