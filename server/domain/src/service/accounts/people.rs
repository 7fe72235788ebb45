//! What a staff member may see of the people of their jurisdiction, and of
//! their own doings.

use crate::{
    roles::Scope,
    service::{
        DomainError, Platform,
        identity::{Actor, audit, refuse},
        support::{audit::AuditAction, clock::jst},
    },
    store::entity::{audit_event, person, role_grant},
    view::{AuditView, JurisdictionPeople, PersonView, StaffHome},
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::net::IpAddr;

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
        if !scope.contains(grant.jurisdiction) {
            continue;
        }
        let label = format!("{}（{}）", grant.role.name_ja(), platform.content.scope_name(grant.jurisdiction));
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
        AuditAction::PersonalDataViewed,
        &format!("people {scope}"),
        &format!("{} people", people.len()),
        address,
    )
    .await?;
    Ok(people)
}

/// The staff home page: who the actor is, their grants, and the roles the
/// one invitation rule lets them invite into.
#[must_use]
pub fn staff_home(platform: &Platform, actor: &Actor) -> StaffHome {
    StaffHome {
        display_name: actor.display_name.clone(),
        email: actor.email.clone(),
        grants: actor
            .grants
            .iter()
            .map(|g| (g.role.name_ja().to_owned(), platform.content.scope_name(g.scope), g.scope.to_string()))
            .collect(),
        invitable_roles: crate::roles::invitable_roles(&actor.grants)
            .into_iter()
            .map(|role| (role.as_str().to_owned(), role.name_ja().to_owned()))
            .collect(),
    }
}

/// The people of a jurisdiction typed or chosen in a form (see
/// [`people_in`]).
///
/// # Errors
/// As [`people_in`]; a validation message for an unknown jurisdiction.
pub async fn people_of(
    platform: &Platform,
    actor: &Actor,
    jurisdiction: &str,
    address: Option<IpAddr>,
) -> Result<JurisdictionPeople, DomainError> {
    let scope = platform.content.parse_scope(jurisdiction)?;
    let people = people_in(platform, actor, scope, address).await?;
    Ok(JurisdictionPeople { place: platform.content.scope_name(scope), people })
}

/// The actor's own audit trail, newest first (at most 200 entries).
///
/// # Errors
/// Database errors.
pub async fn own_audit_trail(platform: &Platform, actor: &Actor) -> Result<Vec<AuditView>, DomainError> {
    let jst = jst();
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
            action: e.action.to_string(),
            target: e.target,
            address: e.address.unwrap_or_default(),
        })
        .collect())
}
