//! Sending the outbox: reminders to people on probation by email (SMTP, with `lettre`) or text
//! message (through a [`TextProvider`]; GOV.UK Notify is the first), and the pass that writes
//! tomorrow's reminders, sends what is due and records each attempt. `keepsafe serve` runs the
//! pass on an interval and `keepsafe outbox send` runs it once.
//!
//! A message is stored before anything is sent and checked again just before sending, so a
//! reminder for an appointment that has been moved or cancelled is cancelled rather than sent.
//! Failures are retried with the domain's back-off ([`RetryPolicy`]); with no provider for a
//! channel the message is kept unsent, with the reason shown on the case.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use keepsafe_domain::supervision::reminders::{
    reminder, reminder_day, send_from, still_due, AfterFailure, ReminderChannel, RetryPolicy,
};
use keepsafe_storage::supervision::outbox::{self, Attempt, OutboxMessage};
use keepsafe_storage::{Clock, Database, StorageError};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sha2::Sha256;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The reason shown on a text message kept unsent.
pub const NO_TEXT_PROVIDER: &str = "No text message provider is configured";
/// The reason shown on an email kept unsent.
pub const NO_EMAIL_SERVER: &str = "No email server is configured";
/// GOV.UK Notify's API.
pub const NOTIFY_API: &str = "https://api.notifications.service.gov.uk";
/// How many due messages one pass sends at most; the rest wait for the next pass.
const MESSAGES_PER_PASS: usize = 200;
/// How long one attempt to send may take.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// Where messages go, as the command line configured it.
#[derive(Debug, Clone, Default)]
pub struct DeliveryConfig {
    /// smtp://host:port (plain), smtp://host:port?tls=required (STARTTLS) or smtps://host:port,
    /// with user:password@ if the server wants them.
    pub smtp_url: Option<String>,
    /// The sender of emails, e.g. "Probation service <reminders@probation.example>".
    pub mail_from: Option<String>,
    /// A GOV.UK Notify API key: `{name}-{service_id}-{secret_key}`.
    pub notify_api_key: Option<String>,
    /// The Notify text message template, whose body is `((message))`.
    pub notify_sms_template_id: Option<String>,
    /// Notify's API address (its default unless testing).
    pub notify_base_url: Option<String>,
}

/// What went wrong trying to send one message, in words for the case page.
pub type SendError = String;

type Sending<'a> = Pin<Box<dyn Future<Output = Result<Option<String>, SendError>> + Send + 'a>>;

/// Something that sends text messages. Returns the provider's reference for the message.
pub trait TextProvider: Send + Sync {
    fn send<'a>(&'a self, phone_number: &'a str, body: &'a str, now: DateTime<Utc>) -> Sending<'a>;
}

/// Email over SMTP.
pub struct SmtpMail {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMail {
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("the SMTP address '{smtp_url}' cannot be used: {e}"))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("the sender '{from}' is not an email address: {e}"))?;
        Ok(Self { transport, from })
    }

    /// Sends one email, dated `now` (keepsafe's clock, not the system's).
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, SendError> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|e| format!("The email address cannot be used: {e}"))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .date(std::time::SystemTime::from(now))
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| format!("The email could not be written: {e}"))?;
        let response = self
            .transport
            .send(email)
            .await
            .map_err(|e| format!("The email server did not take the message: {e}"))?;
        Ok(Some(response.message().collect::<Vec<_>>().join(" ")).filter(|r| !r.is_empty()))
    }
}

/// GOV.UK Notify's text message API.
pub struct Notify {
    service_id: String,
    secret: String,
    template_id: String,
    base_url: String,
    client: reqwest::Client,
}

/// Splits a Notify API key, `{name}-{service_id}-{secret_key}`, into the service id and the
/// secret: both are UUIDs (36 characters), the key's last 73 characters.
pub fn parse_notify_key(key: &str) -> Result<(String, String), String> {
    let key = key.trim();
    let uuid_at = |from: usize| key.get(from..from + 36).map(str::to_owned);
    let well_formed = key.len() >= 74 && key.is_char_boundary(key.len() - 73);
    let (service, secret) = if well_formed {
        (uuid_at(key.len() - 73), uuid_at(key.len() - 36))
    } else {
        (None, None)
    };
    match (service, secret) {
        (Some(service), Some(secret))
            if uuid::Uuid::parse_str(&service).is_ok()
                && uuid::Uuid::parse_str(&secret).is_ok()
                && key.as_bytes()[key.len() - 37] == b'-' =>
        {
            Ok((service, secret))
        }
        _ => Err("the Notify API key is not in the form name-service_id-secret_key".into()),
    }
}

/// The bearer token Notify asks for: an HS256 JWT with `iss` the service id and `iat` the time.
pub fn notify_token(service_id: &str, secret: &str, now: DateTime<Utc>) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(
        serde_json::json!({ "iss": service_id, "iat": now.timestamp() })
            .to_string()
            .as_bytes(),
    );
    let signing_input = format!("{header}.{claims}");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

impl Notify {
    pub fn new(api_key: &str, template_id: &str, base_url: Option<&str>) -> Result<Self, String> {
        let (service_id, secret) = parse_notify_key(api_key)?;
        if uuid::Uuid::parse_str(template_id.trim()).is_err() {
            return Err(format!(
                "the Notify text message template id '{template_id}' is not a template id"
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(SEND_TIMEOUT)
            .build()
            .map_err(|e| format!("cannot start the HTTP client for Notify: {e}"))?;
        Ok(Self {
            service_id,
            secret,
            template_id: template_id.trim().to_owned(),
            base_url: base_url
                .unwrap_or(NOTIFY_API)
                .trim_end_matches('/')
                .to_owned(),
            client,
        })
    }
}

impl TextProvider for Notify {
    fn send<'a>(&'a self, phone_number: &'a str, body: &'a str, now: DateTime<Utc>) -> Sending<'a> {
        Box::pin(async move {
            let response = self
                .client
                .post(format!("{}/v2/notifications/sms", self.base_url))
                .bearer_auth(notify_token(&self.service_id, &self.secret, now))
                .json(&serde_json::json!({
                    "phone_number": phone_number,
                    "template_id": self.template_id,
                    "personalisation": { "message": body },
                }))
                .send()
                .await
                .map_err(|e| format!("GOV.UK Notify could not be reached: {e}"))?;
            let status = response.status();
            let answer: serde_json::Value = response.json().await.unwrap_or_default();
            if status.is_success() {
                Ok(answer["id"].as_str().map(str::to_owned))
            } else {
                let reason = answer["errors"]
                    .as_array()
                    .map(|errors| {
                        errors
                            .iter()
                            .filter_map(|e| e["message"].as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default();
                Err(format!(
                    "GOV.UK Notify refused the message ({status}): {reason}"
                ))
            }
        })
    }
}

/// The senders configured for each channel.
#[derive(Default)]
pub struct Delivery {
    pub email: Option<SmtpMail>,
    pub text: Option<Box<dyn TextProvider>>,
    pub retry: RetryPolicy,
}

impl Delivery {
    /// The senders `config` describes; an incomplete configuration is an error saying what is
    /// missing, so a mistyped flag is caught at start rather than on the first reminder.
    pub fn from_config(config: &DeliveryConfig) -> Result<Self, String> {
        let email = match (&config.smtp_url, &config.mail_from) {
            (Some(url), Some(from)) => Some(SmtpMail::new(url, from)?),
            (Some(_), None) => {
                return Err("--smtp-url needs --mail-from, the sender's address".into())
            }
            (None, Some(_)) => return Err("--mail-from needs --smtp-url, the email server".into()),
            (None, None) => None,
        };
        let text: Option<Box<dyn TextProvider>> =
            match (&config.notify_api_key, &config.notify_sms_template_id) {
                (Some(key), Some(template)) => Some(Box::new(Notify::new(
                    key,
                    template,
                    config.notify_base_url.as_deref(),
                )?)),
                (Some(_), None) => {
                    return Err("--notify-api-key needs --notify-sms-template-id".into())
                }
                (None, Some(_)) => {
                    return Err("--notify-sms-template-id needs --notify-api-key".into())
                }
                (None, None) => None,
            };
        Ok(Self {
            email,
            text,
            retry: RetryPolicy::default(),
        })
    }

    /// Which channels can send, for the start-up log.
    pub fn describe(&self) -> String {
        match (self.email.is_some(), self.text.is_some()) {
            (true, true) => "email and text messages".into(),
            (true, false) => "email only (no text message provider is configured)".into(),
            (false, true) => "text messages only (no email server is configured)".into(),
            (false, false) => {
                "nothing (no email server is configured, and no text message provider is configured)"
                    .into()
            }
        }
    }

    async fn send(
        &self,
        message: &OutboxMessage,
        now: DateTime<Utc>,
    ) -> Option<Result<Option<String>, SendError>> {
        match message.channel {
            ReminderChannel::Email => match &self.email {
                Some(mail) => Some(
                    mail.send(&message.recipient, &message.subject, &message.body, now)
                        .await,
                ),
                None => None,
            },
            ReminderChannel::Text => match &self.text {
                Some(provider) => Some(provider.send(&message.recipient, &message.body, now).await),
                None => None,
            },
            ReminderChannel::None => Some(Err("The person does not want reminders".into())),
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxRun {
    /// Reminders written for tomorrow's appointments.
    pub queued: usize,
    pub sent: usize,
    /// Failed this time, to be tried again.
    pub retried: usize,
    /// Failed for the last time.
    pub failed: usize,
    /// Kept unsent: nothing configured to send them.
    pub not_sent: usize,
    /// The appointment moved or was cancelled.
    pub cancelled: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the outbox task stopped: {0}")]
    Task(String),
}

async fn blocking<T, F>(db: &Database, work: F) -> Result<T, DeliveryError>
where
    T: Send + 'static,
    F: FnOnce(&mut keepsafe_storage::AnyConnection) -> Result<T, StorageError> + Send + 'static,
{
    let db = db.clone();
    tokio::task::spawn_blocking(move || db.write(work))
        .await
        .map_err(|e| DeliveryError::Task(e.to_string()))?
        .map_err(DeliveryError::from)
}

/// One pass of the outbox: writes the reminders for tomorrow's appointments (each once), then
/// sends every message that is due, checking first that its appointment still stands.
pub async fn run_outbox(
    db: &Database,
    clock: Clock,
    delivery: &Delivery,
) -> Result<OutboxRun, DeliveryError> {
    let mut run = OutboxRun::default();
    let now = clock.now();
    let day = reminder_day(clock.today());
    let (queued, due) = blocking(db, move |conn| {
        let queued = outbox::queue_reminders(conn, day, send_from(day), reminder, now)?;
        let due = outbox::due(conn, now, MESSAGES_PER_PASS)?;
        Ok((queued, due))
    })
    .await?;
    run.queued = queued;
    for message in due {
        let attempt = attempt(db, clock, delivery, &message).await?;
        match &attempt {
            Attempt::Sent { .. } => run.sent += 1,
            Attempt::Retry { .. } => run.retried += 1,
            Attempt::Failed { .. } => run.failed += 1,
            Attempt::NotSent { .. } => run.not_sent += 1,
            Attempt::Cancelled { .. } => run.cancelled += 1,
        }
        let id = message.id;
        let at = clock.now();
        blocking(db, move |conn| {
            outbox::record_attempt(conn, id, &attempt, at)
        })
        .await?;
    }
    Ok(run)
}

async fn attempt(
    db: &Database,
    clock: Clock,
    delivery: &Delivery,
    message: &OutboxMessage,
) -> Result<Attempt, DeliveryError> {
    let now = clock.now();
    if let (Some(contact), Some(written_for)) = (message.contact_id, message.appointment_at) {
        let standing = blocking(db, move |conn| outbox::appointment_now(conn, contact)).await?;
        let check = match standing {
            Some((arranged, starts_at)) => {
                still_due(arranged, starts_at, written_for, now.naive_utc())
            }
            None => Err("The appointment no longer exists"),
        };
        if let Err(reason) = check {
            return Ok(Attempt::Cancelled {
                reason: reason.into(),
            });
        }
    }
    let Some(result) = delivery.send(message, now).await else {
        let reason = match message.channel {
            ReminderChannel::Email => NO_EMAIL_SERVER,
            _ => NO_TEXT_PROVIDER,
        };
        return Ok(Attempt::NotSent {
            reason: reason.into(),
        });
    };
    let after = clock.now();
    Ok(match result {
        Ok(reference) => Attempt::Sent { reference },
        Err(error) => match delivery
            .retry
            .after_failure(message.attempts + 1, after.naive_utc())
        {
            AfterFailure::RetryAt(at) => Attempt::Retry { error, at },
            AfterFailure::GiveUp => Attempt::Failed { error },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "keepsafe_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";

    #[test]
    fn a_notify_key_gives_its_service_id_and_secret() {
        let (service, secret) = parse_notify_key(KEY).unwrap();
        assert_eq!(service, "26785a09-ab16-4eb0-8407-a37497a57506");
        assert_eq!(secret, "3d844edf-8d35-48ac-975b-e847b4f122b0");
        assert!(parse_notify_key("not-a-key").is_err());
    }

    #[test]
    fn the_notify_token_is_an_hs256_jwt_of_the_service_and_time() {
        let now = DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let token = notify_token("service", "secret", now);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["iss"], "service");
        assert_eq!(claims["iat"], now.timestamp());
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
            .expect("signed with the secret");
    }

    #[test]
    fn half_a_configuration_is_refused_at_start() {
        let config = DeliveryConfig {
            smtp_url: Some("smtp://127.0.0.1:2525".into()),
            ..Default::default()
        };
        assert!(Delivery::from_config(&config).is_err());
        assert!(Delivery::from_config(&DeliveryConfig::default())
            .unwrap()
            .describe()
            .starts_with("nothing"));
    }
}
