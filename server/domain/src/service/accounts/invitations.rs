//! Invitations: a staff member invites someone into a role in a
//! jurisdiction; the link, mailed once, creates the account or adds the
//! role, and signs the person in.

use crate::{
    roles::{Role, Scope},
    service::{
        DomainError, Platform,
        identity::{
            self, Actor, audit, passwords, refuse,
            staff_sessions::{actor_of, new_session},
        },
        support::{audit::AuditAction, mail::Mail, tokens},
    },
    store::{
        db,
        entity::{invitation, person, role_grant},
    },
    view::InvitationView,
};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use std::net::IpAddr;

/// Invitations are valid this long.
pub const INVITATION_VALIDITY: Duration = Duration::hours(72);

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
    let email = identity::normalize_email(email)?;
    let display_name = identity::parse_display_name(display_name)?;
    if let Scope::Local(code) = scope
        && platform.content.jurisdictions.get(code).is_none()
    {
        return Err(DomainError::validation("jurisdiction", "その団体コードの自治体はありません"));
    }
    if let Some(inviter) = inviter
        && !inviter.may_invite(role, scope)
    {
        return Err(refuse(platform, inviter, &format!("invite {role} {scope}"), address).await);
    }
    let token = tokens::new_secret_token();
    let now = Utc::now();
    db::insert(
        &platform.db,
        invitation::ActiveModel {
            token_hash: Set(tokens::token_hash(&token)),
            email: Set(email.clone()),
            display_name: Set(display_name.clone()),
            role: Set(role),
            jurisdiction: Set(scope),
            invited_by: Set(inviter.map(|a| a.person_id)),
            created_at: Set(now),
            expires_at: Set(now + INVITATION_VALIDITY),
            ..Default::default()
        },
    )
    .await?;
    let link = format!("{}/staff/accept?token={token}", platform.public_url);
    let place = platform.content.scope_name(scope);
    let mail = Mail::Invitation {
        display_name: &display_name,
        place: &place,
        role: role.name_ja(),
        link: &link,
        valid_for: INVITATION_VALIDITY,
    };
    platform.mailer.send(&email, &mail).await.map_err(|e| {
        DomainError::Unavailable(format!("招待メールを送れませんでした（{e}）。時間をおいてもう一度お試しください"))
    })?;
    let label = inviter.map_or("system", |_| "");
    audit(&platform.db, inviter, label, AuditAction::InvitationSent, &email, &format!("{role} {scope}"), address)
        .await?;
    Ok(link)
}

fn invitation_gone() -> DomainError {
    DomainError::NotFound(
        "この招待リンクは使えません（使用済み・期限切れ・誤り）。招待した方に再送を依頼してください".into(),
    )
}

async fn open_invitation(platform: &Platform, token: &str) -> Result<invitation::Model, DomainError> {
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(tokens::token_hash(token)))
        .one(&platform.db)
        .await?
        .ok_or_else(invitation_gone)?;
    if found.accepted_at.is_some() || Utc::now() >= found.expires_at {
        return Err(invitation_gone());
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
        role: found.role.name_ja().to_owned(),
        place: platform.content.scope_name(found.jurisdiction),
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
            if !passwords::verify(person.password_hash.clone(), password.to_owned()).await {
                return Err(DomainError::validation("password", "登録済みのパスワードを入力してください"));
            }
            None
        }
        _ => {
            platform.passwords.check(password, &found.email)?;
            Some(passwords::hash(password.to_owned()).await?)
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
        .filter(role_grant::Column::Role.eq(found.role))
        .filter(role_grant::Column::Jurisdiction.eq(found.jurisdiction))
        .one(&txn)
        .await?;
    if already.is_none() {
        db::insert(
            &txn,
            role_grant::ActiveModel {
                person_id: Set(person.id),
                role: Set(found.role),
                jurisdiction: Set(found.jurisdiction),
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
    let detail = format!("{} {}", found.role, found.jurisdiction);
    audit(&txn, Some(&actor), "", AuditAction::InvitationAccepted, &found.email, &detail, Some(address)).await?;
    txn.commit().await?;
    Ok(token)
}
