//! What every other room leans on and that knows nothing of them: the
//! clock, secret tokens, the audit log, rate limits and outgoing mail with
//! its templates.

pub mod audit;
pub mod clock;
pub mod limiter;
pub mod mail;
pub mod tokens;
