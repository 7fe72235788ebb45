//! The typed values of enum-like columns. Each is stored as a fixed word;
//! reading a word that names no variant is an error, never a default.
//! (Roles, jurisdictions and programme ids are typed the same way where
//! they are defined: `crate::roles`, `crate::programme`.)

stored_words! {
    /// What an e-mailed single-use link does. Stored in `email_token.purpose`
    /// and `resident_link.purpose`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, sea_orm::DeriveValueType)]
    #[sea_orm(value_type = "String")]
    pub enum TokenPurpose {
        /// A staff member sets a new password.
        PasswordReset => "password_reset",
        /// A resident attaches a verified e-mail to their certificate.
        ResidentClaim => "claim",
        /// A resident signs in on another device.
        ResidentSignIn => "sign_in",
    }
}

stored_words! {
    /// What was done. Stored in `audit_event.action`; the stored words never
    /// change.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sea_orm::DeriveValueType)]
    #[sea_orm(value_type = "String")]
    pub enum AuditAction {
        SignIn => "sign_in",
        SignInFailed => "sign_in_failed",
        SignInThrottled => "sign_in_throttled",
        SignOut => "sign_out",
        AuthorizationRefused => "authorization_refused",
        InvitationSent => "invitation_sent",
        InvitationAccepted => "invitation_accepted",
        PasswordResetRequested => "password_reset_requested",
        PasswordResetUnknown => "password_reset_unknown",
        PasswordReset => "password_reset",
        PersonalDataViewed => "personal_data_viewed",
        ResidentEmailClaimed => "resident_email_claimed",
        ResidentSignIn => "resident_sign_in",
        SessionClosed => "session_closed",
        SessionCreated => "session_created",
        SessionPublished => "session_published",
        AttendanceRecorded => "attendance_recorded",
        InstructorAssigned => "instructor_assigned",
        SessionCancelled => "session_cancelled",
        WalkInAdded => "walk_in_added",
        NameCorrected => "name_corrected",
        PaymentRecorded => "payment_recorded",
    }
}

stored_words! {
    /// Where a session is in its life. Stored in `course_session.status`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sea_orm::DeriveValueType)]
    #[sea_orm(value_type = "String")]
    pub enum SessionStatus {
        Draft => "draft",
        Published => "published",
        Held => "held",
        Closed => "closed",
        Cancelled => "cancelled",
    }
}

stored_words! {
    /// How an attendance was recorded. Stored in `attendance.method`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sea_orm::DeriveValueType)]
    #[sea_orm(value_type = "String")]
    pub enum AttendanceMethod {
        /// The learner scanned the rotating code on the instructor's screen.
        Qr => "qr",
        /// The instructor ticked the name on the roster.
        Manual => "manual",
        /// A code shown during a live online part, confirmed by the instructor.
        OnlineCode => "online_code",
    }
}

stored_words! {
    /// Whether a session is in the public finder. Stored in
    /// `course_session.visibility`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sea_orm::DeriveValueType)]
    #[sea_orm(value_type = "String")]
    pub enum Visibility {
        /// Listed in the finder for anyone.
        Public => "public",
        /// Reachable only by its private link (a school, a company).
        Closed => "closed",
    }
}

stored_words! {
    /// Where a registration stands. Stored in `enrollment.status`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sea_orm::DeriveValueType)]
    #[sea_orm(value_type = "String")]
    pub enum RegistrationStatus {
        /// Holds a seat.
        Registered => "registered",
        /// Waits for a seat, in order of registration.
        Waitlisted => "waitlisted",
        /// A seat is held for them until `offer_expires_at`.
        Offered => "offered",
        /// Gave up the seat (or the session was cancelled).
        Cancelled => "cancelled",
        /// Did not answer an offer in time; the seat passed on.
        Lapsed => "lapsed",
    }
}

stored_words! {
    /// How someone came to be registered. Stored in `enrollment.source`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sea_orm::DeriveValueType)]
    #[sea_orm(value_type = "String")]
    pub enum RegistrationSource {
        /// The resident registered on the web.
        Online => "online",
        /// Staff added them on the day.
        WalkIn => "walk_in",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_words_read_back_and_unknown_ones_are_errors() {
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>().ok(), Some(action));
        }
        assert!("deleted_everything".parse::<AuditAction>().is_err());
        for purpose in TokenPurpose::ALL {
            assert_eq!(purpose.as_str().parse::<TokenPurpose>().ok(), Some(purpose));
        }
        assert!("admin".parse::<TokenPurpose>().is_err());
    }
}
