//! Staff sign-in with brute-force limits, and server-side sessions that end
//! when idle, after twelve hours, at sign-out or at a password reset.

use super::{audit, normalize_email, passwords};
use crate::{
    roles::{Grant, Role, Scope},
    service::{
        DomainError, Platform,
        support::{audit::AuditAction, audit::append_repeatable, tokens},
    },
    store::{
        db,
        entity::{person, role_grant, staff_session},
    },
};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Staff sessions end after this long without a request…
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);

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

    /// Whether the actor runs the sessions of `body` (see
    /// [`Grant::runs_sessions_of`]).
    #[must_use]
    pub fn runs_sessions_of(&self, body: Scope) -> bool {
        self.grants.iter().any(|g| g.runs_sessions_of(body))
    }

    /// Whether the actor is an instructor at all.
    #[must_use]
    pub fn is_instructor(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::Instructor)
    }

    /// The one rule of who may invite whom, asked by the staff page (to
    /// offer only what is allowed) and by the invitation itself.
    #[must_use]
    pub fn may_invite(&self, role: Role, scope: Scope) -> bool {
        crate::roles::any_may_invite(&self.grants, role, scope)
    }
}

/// A person's grants, in the order they were given.
///
/// # Errors
/// Database errors, including a stored role or jurisdiction that is not one.
pub async fn grants_of<C: ConnectionTrait>(db: &C, person_id: i32) -> Result<Vec<Grant>, DomainError> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::PersonId.eq(person_id))
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|g| Grant { role: g.role, scope: g.jurisdiction })
        .collect())
}

/// The actor a person is.
///
/// # Errors
/// Database errors.
pub async fn actor_of<C: ConnectionTrait>(db: &C, person: &person::Model) -> Result<Actor, DomainError> {
    Ok(Actor {
        person_id: person.id,
        email: person.email.clone(),
        display_name: person.display_name.clone(),
        grants: grants_of(db, person.id).await?,
    })
}

/// Starts a session and returns its token (only its hash is stored).
///
/// # Errors
/// Database errors.
pub async fn new_session<C: ConnectionTrait>(db: &C, person_id: i32) -> Result<String, DomainError> {
    let token = tokens::new_secret_token();
    let now = Utc::now();
    db::insert(
        db,
        staff_session::ActiveModel {
            token_hash: Set(tokens::token_hash(&token)),
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
    let limits = &platform.attempt_limits;
    let Ok(email) = normalize_email(email) else {
        // Not an e-mail at all: counted against the address like any
        // attempt, audited once per run, and nothing of it kept unbounded.
        if !limits.allow_address(address) {
            append_repeatable(
                &platform.db,
                &platform.audit_repeats,
                AuditAction::SignInThrottled,
                email.trim(),
                address,
            )
            .await?;
            return Err(DomainError::TooManyAttempts);
        }
        append_repeatable(&platform.db, &platform.audit_repeats, AuditAction::SignInFailed, email.trim(), address)
            .await?;
        return Err(DomainError::validation("email", "メールアドレスの形が正しくありません"));
    };
    if !limits.allow_attempt(&email, address) {
        append_repeatable(&platform.db, &platform.audit_repeats, AuditAction::SignInThrottled, &email, address).await?;
        return Err(DomainError::TooManyAttempts);
    }
    let person = person::Entity::find().filter(person::Column::Email.eq(email.clone())).one(&platform.db).await?;
    let active = person.as_ref().filter(|p| p.disabled_at.is_none());
    let ok = passwords::verify(active.and_then(|p| p.password_hash.clone()), password.to_owned()).await;
    let (true, Some(person)) = (ok, active) else {
        // Each wrong password is its own entry: the limits above allow only
        // a few an hour per account and address, so these stay bounded.
        audit(&platform.db, None, &email, AuditAction::SignInFailed, &email, "", Some(address)).await?;
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
    audit(&txn, Some(&actor), "", AuditAction::SignIn, &actor.email, "", Some(address)).await?;
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
        .filter(staff_session::Column::TokenHash.eq(tokens::token_hash(token)))
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

/// Deletes a session on the server.
///
/// # Errors
/// Database errors.
pub async fn delete_session<C: ConnectionTrait>(db: &C, token: &str) -> Result<(), DomainError> {
    staff_session::Entity::delete_many()
        .filter(staff_session::Column::TokenHash.eq(tokens::token_hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a person (after a password reset).
///
/// # Errors
/// Database errors.
pub async fn end_all_sessions<C: ConnectionTrait>(db: &C, person_id: i32) -> Result<(), DomainError> {
    staff_session::Entity::delete_many().filter(staff_session::Column::PersonId.eq(person_id)).exec(db).await?;
    Ok(())
}

/// Signs out: ends the session and records it.
///
/// # Errors
/// Database errors.
pub async fn sign_out(platform: &Platform, token: Option<&str>, address: IpAddr) -> Result<(), DomainError> {
    let Some(token) = token else { return Ok(()) };
    if let Ok(actor) = actor(platform, Some(token)).await {
        audit(&platform.db, Some(&actor), "", AuditAction::SignOut, &actor.email, "", Some(address)).await?;
    }
    delete_session(&platform.db, token).await
}

/// Records a refused authorization and returns the refusal.
///
/// # Errors
/// Always: `Forbidden` with the message, or a database error.
pub async fn refuse(platform: &Platform, actor: &Actor, what: &str, address: Option<IpAddr>) -> DomainError {
    match audit(&platform.db, Some(actor), "", AuditAction::AuthorizationRefused, what, "", address).await {
        Ok(()) => {
            DomainError::Forbidden("この操作の権限がありません。ご自分の担当の範囲だけを見ることができます".into())
        }
        Err(error) => error,
    }
}
