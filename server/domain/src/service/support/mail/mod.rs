//! Outgoing e-mail through lettre: SMTP (plain, STARTTLS or TLS) when
//! configured, otherwise `.eml` files in an outbox folder, so a fresh
//! install works without a mail server and nothing is silently dropped.

pub mod outbox;
pub mod templates;

pub use templates::{Mail, SessionFacts};

use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
    transport::smtp::authentication::Credentials,
};
use std::path::PathBuf;

/// How SMTP connections are secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain text: only for a relay on the same machine or in tests.
    None,
    /// Upgrade with STARTTLS (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// Mail settings, from configuration.
#[derive(Clone, Debug)]
pub struct MailSettings {
    pub from: String,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    /// Where messages go when no SMTP host is configured.
    pub outbox: PathBuf,
}

pub enum Mailer {
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
    Outbox { transport: AsyncFileTransport<Tokio1Executor>, from: Mailbox, dir: PathBuf },
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address {0}")]
    Address(String),
    #[error("smtp: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("outbox: {0}")]
    File(#[from] lettre::transport::file::Error),
    #[error("message: {0}")]
    Message(#[from] lettre::error::Error),
    #[error("outbox folder: {0}")]
    Io(#[from] std::io::Error),
}

impl Mailer {
    /// Builds the transport.
    ///
    /// # Errors
    /// A malformed sender address or SMTP host, or an outbox that cannot be created.
    pub fn new(settings: &MailSettings) -> Result<Self, MailError> {
        let from: Mailbox = settings.from.parse().map_err(|_| MailError::Address(settings.from.clone()))?;
        match &settings.smtp_host {
            Some(host) => {
                let mut builder = match settings.smtp_security {
                    SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
                };
                if let Some(port) = settings.smtp_port {
                    builder = builder.port(port);
                }
                if let (Some(user), Some(password)) = (&settings.smtp_username, &settings.smtp_password) {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                Ok(Self::Smtp { transport: builder.build(), from })
            }
            None => {
                std::fs::create_dir_all(&settings.outbox)?;
                tracing::info!(outbox = %settings.outbox.display(), "no SMTP_HOST configured: mail is written to the outbox folder");
                Ok(Self::Outbox {
                    transport: AsyncFileTransport::new(&settings.outbox),
                    from,
                    dir: settings.outbox.clone(),
                })
            }
        }
    }

    /// Sends one of the platform's mails (see [`templates`]).
    ///
    /// # Errors
    /// As [`Mailer::send_text`].
    pub async fn send(&self, to: &str, mail: &Mail<'_>) -> Result<(), MailError> {
        let (subject, body) = mail.render();
        self.send_text(to, &subject, body).await
    }

    /// Sends a plain-text message.
    ///
    /// # Errors
    /// A bad recipient address or a transport failure.
    pub async fn send_text(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let to: Mailbox = to.parse().map_err(|_| MailError::Address(to.to_owned()))?;
        let from = match self {
            Self::Smtp { from, .. } | Self::Outbox { from, .. } => from.clone(),
        };
        let message =
            Message::builder().from(from).to(to).subject(subject).header(ContentType::TEXT_PLAIN).body(body)?;
        match self {
            Self::Smtp { transport, .. } => {
                transport.send(message).await?;
            }
            Self::Outbox { transport, dir, .. } => {
                let id = transport.send(message).await?;
                tracing::info!(file = %dir.join(format!("{id}.eml")).display(), "mail written to the outbox");
            }
        }
        Ok(())
    }
}
