//! Roles bound to jurisdictions, and the rules of who may see and invite
//! whom. Pure functions: every server function asks these, and the
//! authorization matrix test checks them from the outside.

use crate::{UnknownWord, jurisdiction::LocalGovCode};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

stored_words! {
    /// What a staff member does, in which jurisdiction. Stored by its
    /// [`Role::as_str`] word; an unknown stored word is an error when read.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[cfg_attr(feature = "server", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
    pub enum Role {
        /// 指導者: teaches sessions.
        Instructor => "instructor",
        /// 市町村担当者.
        MunicipalityStaff => "municipality_staff",
        /// 実施主体担当者: 都道府県・指定都市・保健所設置市・特別区.
        ImplementingBodyStaff => "implementing_body_staff",
        /// 都道府県担当者: oversees the prefecture's municipalities.
        PrefectureStaff => "prefecture_staff",
        /// 事務局: the national secretariat.
        Secretariat => "secretariat",
    }
}

/// Every role, from the bottom of the hierarchy up.
pub const ALL_ROLES: [Role; 5] = Role::ALL;

impl Role {
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    #[must_use]
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::Instructor => "指導者",
            Self::MunicipalityStaff => "市町村担当者",
            Self::ImplementingBodyStaff => "実施主体担当者",
            Self::PrefectureStaff => "都道府県担当者",
            Self::Secretariat => "事務局",
        }
    }
}

/// Where a role applies: the whole country, or one local government.
/// Stored as `national` or the six-digit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
pub enum Scope {
    National,
    Local(LocalGovCode),
}

impl Scope {
    /// Stored form: `national` or the six-digit code.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        if text == "national" { Some(Self::National) } else { LocalGovCode::parse(text).ok().map(Self::Local) }
    }

    /// True when `inner` lies within this scope: the nation holds all; a
    /// prefecture holds itself and its municipalities; a municipality only
    /// itself.
    #[must_use]
    pub fn contains(self, inner: Self) -> bool {
        match (self, inner) {
            (Self::National, _) => true,
            (Self::Local(_), Self::National) => false,
            (Self::Local(outer), Self::Local(inner)) => {
                outer == inner || (outer.is_prefecture() && inner.prefecture_number() == outer.prefecture_number())
            }
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::National => f.write_str("national"),
            Self::Local(code) => write!(f, "{code}"),
        }
    }
}

impl FromStr for Scope {
    type Err = UnknownWord;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text).ok_or_else(|| UnknownWord(text.to_owned()))
    }
}

/// Where the invitee of one (inviter role, invitee role) pair may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum InviteScope {
    NationalOnly,
    AnyPrefecture,
    AnyLocal,
    /// Inside the inviter's scope, but not a prefecture itself.
    InsideBelowPrefecture,
    Inside,
}

/// Who may invite whom: down the hierarchy, never sideways or up. The one
/// table both the staff page (which roles to offer) and the invitation
/// itself (may this one go out) read.
fn invite_rule(inviter: Role, invitee: Role) -> Option<InviteScope> {
    use Role as R;
    match (inviter, invitee) {
        (R::Secretariat, R::Secretariat) => Some(InviteScope::NationalOnly),
        (R::Secretariat, R::PrefectureStaff) => Some(InviteScope::AnyPrefecture),
        (R::Secretariat, R::ImplementingBodyStaff) => Some(InviteScope::AnyLocal),
        (R::PrefectureStaff | R::ImplementingBodyStaff, R::MunicipalityStaff) => {
            Some(InviteScope::InsideBelowPrefecture)
        }
        (R::PrefectureStaff | R::ImplementingBodyStaff, R::Instructor) => Some(InviteScope::Inside),
        _ => None,
    }
}

/// One role in one scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

impl Grant {
    /// Whether this grant lets its holder oversee `target` (see its people
    /// and records). Instructors oversee no jurisdiction, only their own
    /// sessions.
    #[must_use]
    pub fn oversees(&self, target: Scope) -> bool {
        match self.role {
            Role::Secretariat => true,
            Role::PrefectureStaff | Role::ImplementingBodyStaff | Role::MunicipalityStaff => {
                self.scope.contains(target)
            }
            Role::Instructor => false,
        }
    }

    /// Whether this grant may invite someone into `role` at `scope`: down
    /// the hierarchy, never sideways or up, and never outside its scope.
    #[must_use]
    pub fn may_invite(&self, role: Role, scope: Scope) -> bool {
        let is_prefecture = matches!(scope, Scope::Local(code) if code.is_prefecture());
        match invite_rule(self.role, role) {
            None => false,
            Some(InviteScope::NationalOnly) => scope == Scope::National,
            Some(InviteScope::AnyPrefecture) => is_prefecture,
            Some(InviteScope::AnyLocal) => matches!(scope, Scope::Local(_)),
            Some(InviteScope::InsideBelowPrefecture) => self.scope.contains(scope) && !is_prefecture,
            Some(InviteScope::Inside) => self.scope.contains(scope),
        }
    }

    /// Whether this grant runs the sessions of the implementing body `body`
    /// (plans, publishes, takes attendance, closes): the secretariat
    /// anywhere, prefectures and implementing bodies inside their scope.
    /// Municipalities run none; instructors only those assigned to them.
    #[must_use]
    pub fn runs_sessions_of(&self, body: Scope) -> bool {
        match self.role {
            Role::Secretariat => true,
            Role::PrefectureStaff | Role::ImplementingBodyStaff => self.scope.contains(body),
            Role::MunicipalityStaff | Role::Instructor => false,
        }
    }

    /// Whether this grant may invite into `role` somewhere at all.
    #[must_use]
    pub fn may_invite_some(&self, role: Role) -> bool {
        invite_rule(self.role, role).is_some()
    }
}

/// Any grant of a set may invite into `role` at `scope`.
#[must_use]
pub fn any_may_invite(grants: &[Grant], role: Role, scope: Scope) -> bool {
    grants.iter().any(|g| g.may_invite(role, scope))
}

/// The roles a set of grants may invite into somewhere, in hierarchy order.
#[must_use]
pub fn invitable_roles(grants: &[Grant]) -> Vec<Role> {
    ALL_ROLES.into_iter().filter(|role| grants.iter().any(|g| g.may_invite_some(*role))).collect()
}

/// Any grant of a set oversees `target`.
#[must_use]
pub fn any_oversees(grants: &[Grant], target: Scope) -> bool {
    grants.iter().any(|g| g.oversees(target))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(code: &str) -> Scope {
        Scope::parse(code).unwrap_or(Scope::National)
    }

    #[test]
    fn prefectures_oversee_their_own_municipalities_only() {
        let tokyo = Grant { role: Role::PrefectureStaff, scope: local("130001") };
        assert!(tokyo.oversees(local("131041")), "新宿区");
        assert!(!tokyo.oversees(local("271004")), "大阪市");
        assert!(!tokyo.oversees(local("270008")), "大阪府");
        assert!(!tokyo.oversees(Scope::National));
        let shinjuku = Grant { role: Role::MunicipalityStaff, scope: local("131041") };
        assert!(shinjuku.oversees(local("131041")));
        assert!(!shinjuku.oversees(local("131016")), "千代田区");
        let instructor = Grant { role: Role::Instructor, scope: local("131041") };
        assert!(!instructor.oversees(local("131041")));
    }

    #[test]
    fn invitations_go_down_the_hierarchy() {
        let secretariat = Grant { role: Role::Secretariat, scope: Scope::National };
        assert!(secretariat.may_invite(Role::PrefectureStaff, local("130001")));
        assert!(!secretariat.may_invite(Role::PrefectureStaff, local("131041")), "a ward is no prefecture");
        let tokyo = Grant { role: Role::PrefectureStaff, scope: local("130001") };
        assert!(tokyo.may_invite(Role::MunicipalityStaff, local("131041")));
        assert!(!tokyo.may_invite(Role::MunicipalityStaff, local("271004")), "not another prefecture's");
        assert!(!tokyo.may_invite(Role::PrefectureStaff, local("130001")), "not sideways");
        assert!(!tokyo.may_invite(Role::Secretariat, Scope::National), "not up");
        let shinjuku = Grant { role: Role::MunicipalityStaff, scope: local("131041") };
        assert!(!shinjuku.may_invite(Role::Instructor, local("131041")));
        assert_eq!(
            invitable_roles(&[secretariat]),
            vec![Role::ImplementingBodyStaff, Role::PrefectureStaff, Role::Secretariat]
        );
        assert_eq!(invitable_roles(&[tokyo]), vec![Role::Instructor, Role::MunicipalityStaff]);
        assert!(invitable_roles(&[shinjuku]).is_empty());
    }

    #[test]
    fn stored_words_read_back_and_unknown_ones_are_errors() {
        for role in ALL_ROLES {
            assert_eq!(role.to_string().parse::<Role>().ok(), Some(role));
        }
        assert!("admin".parse::<Role>().is_err());
        assert_eq!("national".parse::<Scope>().ok(), Some(Scope::National));
        assert!("131042".parse::<Scope>().is_err(), "bad check digit");
    }
}
