//! Zalo through the Zalo Bot Platform's Bot API (Telegram-like, plain JSON over HTTPS):
//! a small reqwest client, update normalisation, long polling and the webhook body in
//! front of the durable inbox, and the transport the sender uses.
//!
//! What differs from Telegram and shapes this file:
//! - `getUpdates` hands out **one** update per call and answers HTTP 408 when idle;
//!   there is no offset and no update_id. The inbox is keyed on the message's chat and
//!   `message_id` instead (nothing published says message ids are unique across
//!   chats), so a redelivered message is stored once and two people's never collide.
//! - Ids are strings. There are no inline buttons (the core numbers the options). Our
//!   Telegram-style HTML becomes plain text (bold titles kept where Zalo's `html` parse
//!   mode can carry them, see [`render`]), split at 2000 chars.
//! - Zalo's error table: 400 bad request, 401 unauthorized, 403 *internal server
//!   error*, 404 not found, 408 timeout, 429 *quota exceeded*. 403 is retried like a
//!   5xx; a quota 429 pauses the whole Zalo sender (the messages stay queued) instead
//!   of failing them; only an error about the message or the recipient fails one.
//! - A received photo is a URL on Zalo's CDN: [`ZaloClient::download_photo`] fetches it
//!   (allowed hosts only, size-capped, `image/*`) so it can reach a Telegram officer.
//! - Groups (beta) deliver only messages that mention the bot: "@Bot Công đoàn /help"
//!   is read as "/help".

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::DeliveryOutcome;
use crate::core::event::{Channel, ChatKind, InboundEvent, MediaKind, Outbound, Payload, Person};
use crate::core::text::{html_to_plain, split_message};
use crate::store::Store;

pub const DEFAULT_API_URL: &str = "https://bot-api.zaloplatforms.com";
/// sendMessage takes 1–2000 characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;
/// Longest display name kept from an update.
const MAX_NAME_CHARS: usize = 128;
/// The header Zalo sends the webhook secret in.
pub const SECRET_HEADER: &str = "x-bot-api-secret-token";
/// Env var for the global Zalo send rate (messages per second).
pub const DEFAULT_SEND_RATE: u32 = 10;

/// Ordinary calls give up after this long (long polls get their timeout on top).
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Hosts a received photo may be downloaded from (a host or any of its subdomains):
/// Zalo's CDNs. Tests allow 127.0.0.1 ([`ZaloClient::with_photo_hosts`]).
pub const DEFAULT_PHOTO_HOSTS: &[&str] = &[
    "zdn.vn",
    "zadn.vn",
    "zalo.me",
    "zaloapp.com",
    "zaloplatforms.com",
];
/// Largest photo passed on (Telegram's sendPhoto takes 10 MB uploads).
pub const MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;
/// How often a quota-paused Zalo sender tries again unless configured
/// (`CONGDOAN_ZALO_QUOTA_RETRY_SECS`).
pub const DEFAULT_QUOTA_RETRY: Duration = Duration::from_secs(3600);
/// A private text this long is probably a pasted letter the bot will parse: Zalo shows
/// "typing…" while it works.
const TYPING_MIN_CHARS: usize = 200;
/// Commands whose answer takes a moment (roll-ups, exports, reports).
const SLOW_COMMANDS: &[&str] = &["/tonghop", "/xuat", "/baocao"];

/// What went wrong with one Bot API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZaloError {
    /// getUpdates had nothing to hand out (HTTP 408).
    Idle,
    /// Zalo answered, and said no.
    Api {
        status: u16,
        error_code: Option<i64>,
        description: String,
        retry_after: Option<u64>,
    },
    /// No answer: connection refused or reset, DNS, timeout.
    Network(String),
    /// An answer that is not the Bot API's envelope.
    BadResponse { status: u16, detail: String },
}

impl std::fmt::Display for ZaloError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ZaloError::Idle => write!(f, "no update (408)"),
            ZaloError::Api {
                status,
                error_code,
                description,
                ..
            } => match error_code {
                Some(code) => write!(f, "zalo api error {code} (http {status}): {description}"),
                None => write!(f, "zalo api error (http {status}): {description}"),
            },
            ZaloError::Network(e) => write!(f, "zalo network error: {e}"),
            ZaloError::BadResponse { status, detail } => {
                write!(
                    f,
                    "zalo answered http {status} with an unreadable body: {detail}"
                )
            }
        }
    }
}

impl std::error::Error for ZaloError {}

/// The Bot API client. The token is part of every URL: it is never logged (reqwest
/// errors are stripped of their URL before they go anywhere).
#[derive(Clone)]
pub struct ZaloClient {
    http: reqwest::Client,
    /// `{api_url}/bot{token}`
    base: String,
    /// Downloads photos; follows no redirect by itself (each hop's host is checked).
    download: reqwest::Client,
    photo_hosts: Arc<Vec<String>>,
}

impl std::fmt::Debug for ZaloClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZaloClient").finish_non_exhaustive()
    }
}

impl ZaloClient {
    pub fn new(token: &str, api_url: Option<&str>) -> anyhow::Result<Self> {
        let api_url = api_url
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or(DEFAULT_API_URL);
        if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
            anyhow::bail!("ZALO_API_URL must start with https:// or http://");
        }
        let token = token.trim();
        if token.is_empty() || token.contains(['/', '?', '#', ' ']) {
            anyhow::bail!("ZALO_BOT_TOKEN is not a Zalo bot token");
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()?;
        let download = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(ZaloClient {
            http,
            base: format!("{}/bot{}", api_url.trim_end_matches('/'), token),
            download,
            photo_hosts: Arc::new(DEFAULT_PHOTO_HOSTS.iter().map(|h| h.to_string()).collect()),
        })
    }

    /// Replace the hosts received photos may be downloaded from (a host matches itself
    /// and its subdomains). Plain `http://` is accepted only from loopback hosts.
    pub fn with_photo_hosts(mut self, hosts: &[String]) -> Self {
        let hosts: Vec<String> = hosts
            .iter()
            .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        self.photo_hosts = Arc::new(hosts);
        self
    }

    fn photo_host_allowed(&self, url: &reqwest::Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let loopback = matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]");
        let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
        scheme_ok
            && self.photo_hosts.iter().any(|h| {
                host == *h
                    || host
                        .strip_suffix(h.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            })
    }

    /// Download a photo a person sent (its URL on Zalo's CDN): only from the allowed
    /// hosts (redirects included), only `image/*`, at most `max_bytes`. The error says
    /// whether trying again can help.
    pub async fn download_photo(
        &self,
        url: &str,
        max_bytes: u64,
    ) -> Result<Vec<u8>, DeliveryOutcome> {
        let permanent = |m: String| DeliveryOutcome::Permanent(format!("zalo photo: {m}"));
        let transient = |m: String| DeliveryOutcome::Transient(format!("zalo photo: {m}"));
        let mut url = reqwest::Url::parse(url.trim()).map_err(|_| permanent("not a URL".into()))?;
        for _hop in 0..4 {
            if !self.photo_host_allowed(&url) {
                return Err(permanent(format!(
                    "host {} is not an allowed Zalo host",
                    url.host_str().unwrap_or("?")
                )));
            }
            let response = self
                .download
                .get(url.clone())
                .timeout(CALL_TIMEOUT)
                .send()
                .await
                .map_err(|e| transient(e.without_url().to_string()))?;
            let status = response.status();
            if status.is_redirection() {
                let next = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| url.join(l).ok());
                match next {
                    Some(next) => {
                        url = next;
                        continue;
                    }
                    None => return Err(permanent("redirect without a location".into())),
                }
            }
            let code = status.as_u16();
            if code == 408 || code == 429 || status.is_server_error() {
                return Err(transient(format!("http {code}")));
            }
            if !status.is_success() {
                return Err(permanent(format!("http {code}")));
            }
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            if !content_type.starts_with("image/") {
                return Err(permanent(format!("not an image ({content_type})")));
            }
            if response.content_length().is_some_and(|n| n > max_bytes) {
                return Err(permanent(format!("larger than {max_bytes} bytes")));
            }
            let mut response = response;
            let mut bytes = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| transient(e.without_url().to_string()))?
            {
                if (bytes.len() + chunk.len()) as u64 > max_bytes {
                    return Err(permanent(format!("larger than {max_bytes} bytes")));
                }
                bytes.extend_from_slice(&chunk);
            }
            if bytes.is_empty() {
                return Err(permanent("empty".into()));
            }
            return Ok(bytes);
        }
        Err(permanent("too many redirects".into()))
    }

    /// POST `params` as JSON to `method`; the envelope's `result` on success.
    pub async fn call(
        &self,
        method: &str,
        params: &Value,
        timeout: Duration,
    ) -> Result<Value, ZaloError> {
        let response = self
            .http
            .post(format!("{}/{method}", self.base))
            .json(params)
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| ZaloError::Network(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| ZaloError::Network(e.without_url().to_string()))?;
        parse_envelope(status, &body)
    }

    pub async fn get_me(&self) -> Result<Value, ZaloError> {
        self.call("getMe", &json!({}), CALL_TIMEOUT).await
    }

    /// Long-poll for the next update. `Ok(None)` when Zalo had nothing (408).
    pub async fn get_updates(&self, timeout_secs: u32) -> Result<Option<Value>, ZaloError> {
        // Zalo's own SDKs send the timeout as a string.
        let params = json!({ "timeout": timeout_secs.to_string() });
        let wait = Duration::from_secs(u64::from(timeout_secs)) + Duration::from_secs(10);
        match self.call("getUpdates", &params, wait).await {
            Ok(Value::Null) => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(ZaloError::Idle) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Register the webhook; Zalo calls the URL at once to verify it and says how that
    /// went (see [`WebhookCheck`]).
    pub async fn set_webhook(
        &self,
        url: &str,
        secret_token: &str,
    ) -> Result<WebhookCheck, ZaloError> {
        self.call(
            "setWebhook",
            &json!({ "url": url, "secret_token": secret_token }),
            CALL_TIMEOUT,
        )
        .await
        .map(|result| verification_of(&result))
    }

    pub async fn delete_webhook(&self) -> Result<(), ZaloError> {
        self.call("deleteWebhook", &json!({}), CALL_TIMEOUT)
            .await
            .map(|_| ())
    }

    /// `photo` is the image's URL (what Zalo hands over for received images). No
    /// `caption` field at all when there is none: Zalo wants 1–2000 characters there.
    pub async fn send_photo(
        &self,
        chat_id: &str,
        photo: &str,
        caption: Option<&str>,
    ) -> Result<(), ZaloError> {
        let mut params = json!({ "chat_id": chat_id, "photo": photo });
        if let Some(c) = caption.filter(|c| !c.trim().is_empty()) {
            params["caption"] = json!(c);
        }
        self.call("sendPhoto", &params, CALL_TIMEOUT)
            .await
            .map(|_| ())
    }

    pub async fn send_message(&self, chat_id: &str, text: &str) -> Result<(), ZaloError> {
        self.send_text(chat_id, text, None).await
    }

    /// sendMessage, with `parse_mode` ("html") when given.
    pub async fn send_text(
        &self,
        chat_id: &str,
        text: &str,
        parse_mode: Option<&str>,
    ) -> Result<(), ZaloError> {
        let mut params = json!({ "chat_id": chat_id, "text": text });
        if let Some(mode) = parse_mode {
            params["parse_mode"] = json!(mode);
        }
        self.call("sendMessage", &params, CALL_TIMEOUT)
            .await
            .map(|_| ())
    }

    /// "typing…" in the chat for up to 5 seconds (or until the bot's next message).
    pub async fn send_chat_action(&self, chat_id: &str, action: &str) -> Result<(), ZaloError> {
        self.call(
            "sendChatAction",
            &json!({ "chat_id": chat_id, "action": action }),
            Duration::from_secs(5),
        )
        .await
        .map(|_| ())
    }

    /// Show "typing…" in the background; a failure only matters to the logs.
    pub fn typing(&self, chat_id: &str) {
        let client = self.clone();
        let chat_id = chat_id.to_string();
        tokio::spawn(async move {
            if let Err(e) = client.send_chat_action(&chat_id, "typing").await {
                tracing::debug!(error = %e, "zalo sendChatAction failed");
            }
        });
    }
}

/// What Zalo said about reaching the webhook URL when it was registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookCheck {
    /// Zalo called the URL and got an answer.
    Verified,
    /// Zalo could not reach the URL (its words, or what it got back).
    Unreachable(String),
    /// The answer says nothing about a verification (older API versions).
    NotReported,
}

/// Read setWebhook's `result.verification`, leniently: a boolean, a word ("success",
/// "failed"), or an object with `ok`/`success` and a `status_code`/`description`.
pub fn verification_of(result: &Value) -> WebhookCheck {
    let Some(v) = result.get("verification").filter(|v| !v.is_null()) else {
        return WebhookCheck::NotReported;
    };
    let passed_word = |s: &str| {
        matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "ok" | "success" | "succeeded" | "passed" | "verified" | "true"
        )
    };
    let detail = |v: &Value| -> String {
        let words = v
            .get("description")
            .or_else(|| v.get("message"))
            .or_else(|| v.get("error"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let status = v
            .get("status_code")
            .or_else(|| v.get("status"))
            .and_then(as_i64);
        let text = match (status, words.is_empty()) {
            (Some(s), true) => format!("http {s}"),
            (Some(s), false) => format!("http {s}: {words}"),
            (None, _) => words.to_string(),
        };
        text.chars().take(300).collect()
    };
    let passed = match v {
        Value::Bool(b) => *b,
        Value::String(s) => passed_word(s),
        Value::Object(o) => o
            .get("ok")
            .or_else(|| o.get("success"))
            .and_then(Value::as_bool)
            .or_else(|| o.get("result").and_then(Value::as_str).map(passed_word))
            .or_else(|| {
                o.get("status_code")
                    .or_else(|| o.get("status"))
                    .and_then(as_i64)
                    .map(|s| (200..300).contains(&s))
            })
            .unwrap_or(false),
        _ => false,
    };
    if passed {
        WebhookCheck::Verified
    } else {
        let d = match v {
            Value::Object(_) => detail(v),
            other => other.to_string(),
        };
        WebhookCheck::Unreachable(if d.is_empty() {
            "no answer".to_string()
        } else {
            d
        })
    }
}

/// Register the webhook once the listener accepts connections (Zalo calls the URL at
/// once) and say clearly in the log when Zalo could not reach it. A refusal of the
/// call itself (bad URL or secret) is an error.
pub async fn register_webhook(
    client: &ZaloClient,
    url: &str,
    secret: &str,
) -> Result<WebhookCheck, ZaloError> {
    let check = client.set_webhook(url, secret).await?;
    match &check {
        WebhookCheck::Verified => tracing::info!(%url, "zalo webhook set; Zalo reached it"),
        WebhookCheck::NotReported => tracing::info!(%url, "zalo webhook set"),
        WebhookCheck::Unreachable(detail) => tracing::error!(
            %url,
            %detail,
            "zalo webhook set, but Zalo could not reach it: nothing will arrive from Zalo until the URL answers (check CONGDOAN_PUBLIC_URL, HTTPS and the firewall)"
        ),
    }
    Ok(check)
}

/// Read the Bot API envelope `{ok, result, error_code?, description?}`. HTTP 200 is
/// not success on its own: `ok` decides.
pub fn parse_envelope(status: u16, body: &[u8]) -> Result<Value, ZaloError> {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let error_code = parsed
        .as_ref()
        .and_then(|v| v.get("error_code"))
        .and_then(as_i64);
    if status == 408 || error_code == Some(408) {
        return Err(ZaloError::Idle);
    }
    let Some(Value::Object(envelope)) = parsed else {
        let detail: String = String::from_utf8_lossy(body).chars().take(200).collect();
        return Err(if (200..300).contains(&status) {
            ZaloError::BadResponse { status, detail }
        } else {
            // A proxy's HTML error page, an empty 502, …
            ZaloError::Api {
                status,
                error_code: None,
                description: detail,
                retry_after: None,
            }
        });
    };
    let ok = envelope.get("ok").and_then(Value::as_bool).unwrap_or(false);
    if ok && (200..300).contains(&status) {
        return Ok(envelope.get("result").cloned().unwrap_or(Value::Null));
    }
    let description = envelope
        .get("description")
        .or_else(|| envelope.get("message"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .chars()
        .take(500)
        .collect();
    let retry_after = envelope
        .get("parameters")
        .and_then(|p| p.get("retry_after"))
        .or_else(|| envelope.get("retry_after"))
        .and_then(as_i64)
        .and_then(|s| u64::try_from(s).ok());
    Err(ZaloError::Api {
        status,
        error_code,
        description,
        retry_after,
    })
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An id as a string: Zalo sends strings; numbers are accepted too.
fn id_string(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Webhook bodies arrive wrapped as `{ok, result: {event_name, message}}` (as the
/// getUpdates answer is); accept the bare update too.
pub fn unwrap_update(v: &Value) -> &Value {
    match v.get("result") {
        Some(inner) if inner.is_object() && v.get("event_name").is_none() => inner,
        _ => v,
    }
}

/// Turn a Zalo update into our event; `None` when it is not a message we can key
/// (no message, no message_id, no chat).
pub fn normalize(update: &Value) -> Option<InboundEvent> {
    let update = unwrap_update(update);
    let msg = update.get("message").filter(|m| m.is_object())?;
    let message_id = id_string(msg.get("message_id"))?;
    let from = msg.get("from").filter(|f| f.is_object()).and_then(|f| {
        Some(Person {
            id: id_string(f.get("id"))?,
            // Zalo names are short; a runaway one must not swell every message.
            display_name: str_field(f, "display_name")
                .or_else(|| str_field(f, "name"))
                .unwrap_or_default()
                .chars()
                .take(MAX_NAME_CHARS)
                .collect(),
            username: None,
            lang_hint: None,
        })
    });
    let chat = msg.get("chat");
    let chat_id = id_string(chat.and_then(|c| c.get("id")))
        .or_else(|| from.as_ref().map(|p| p.id.clone()))?;
    let chat_kind = match chat
        .and_then(|c| c.get("chat_type"))
        .and_then(Value::as_str)
    {
        Some(t) if t.eq_ignore_ascii_case("group") => ChatKind::Group,
        _ => ChatKind::Private,
    };
    let event = update
        .get("event_name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let text = str_field(msg, "text").map(|t| match chat_kind {
        ChatKind::Group => strip_mention(&t),
        ChatKind::Private => t,
    });
    let update_id = inbox_key(&chat_id, &message_id);
    let payload = match event {
        "message.text.received" | "" if text.is_some() => Payload::Text {
            text: text.unwrap_or_default(),
        },
        "message.image.received" => Payload::Photo {
            file_id: str_field(msg, "photo")
                .or_else(|| str_field(msg, "photo_url"))
                .unwrap_or_default(),
            caption: str_field(msg, "caption"),
        },
        other => Payload::Unsupported {
            kind: other
                .strip_prefix("message.")
                .and_then(|k| k.strip_suffix(".received"))
                .filter(|k| !k.is_empty() && k.len() <= 32)
                .unwrap_or("other")
                .to_string(),
        },
    };
    Some(InboundEvent {
        channel: Channel::Zalo,
        update_id,
        chat_id,
        chat_kind,
        from,
        payload,
        // Zalo's `date` is epoch milliseconds (seconds in some answers).
        sent_at: msg
            .get("date")
            .and_then(Value::as_i64)
            .map(|d| if d < 100_000_000_000 { d * 1000 } else { d }),
    })
}

/// The inbox key of a Zalo message: its chat and its message id (Zalo's ids are hex, so
/// the colon cannot be part of either).
pub fn inbox_key(chat_id: &str, message_id: &str) -> String {
    format!("{chat_id}:{message_id}")
}

/// In a group Zalo delivers only messages that mention the bot, so a command comes as
/// "@Bot Công đoàn /help extra" (the mention is the bot's display name, spaces and
/// all). Read that as "/help extra"; anything else stays as it was.
fn strip_mention(text: &str) -> String {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('@') {
        return text.to_string();
    }
    let first_line = trimmed.lines().next().unwrap_or_default();
    // The command is the first " /" of the first line (a byte index of an ASCII
    // space, so slicing after it stays on a character boundary).
    match first_line.find(" /") {
        Some(at) => trimmed[at + 1..].to_string(),
        None => text.to_string(),
    }
}

/// Whether Zalo should show "typing…" while the bot answers `ev`: a long text in a
/// private chat (a pasted letter to parse) or a command whose answer takes a moment.
pub fn wants_typing(ev: &InboundEvent) -> bool {
    if ev.chat_kind != ChatKind::Private {
        return false;
    }
    let Payload::Text { text } = &ev.payload else {
        return false;
    };
    let text = text.trim();
    let command = text.split_whitespace().next().unwrap_or_default();
    text.chars().count() >= TYPING_MIN_CHARS
        || SLOW_COMMANDS
            .iter()
            .any(|c| command.eq_ignore_ascii_case(c))
}

/// getUpdates hands out one update; be lenient and take a list too.
fn updates_of(result: Value) -> Vec<Value> {
    match result {
        Value::Array(list) => list,
        Value::Null => vec![],
        one => vec![one],
    }
}

/// Long polling. Zalo has no offset: an update handed out is gone from Zalo's side, so
/// it is stored (retrying until the database takes it) before the next poll. Webhook
/// mode is the durable one in production: there Zalo gets 200 only after the store.
pub async fn poll(
    client: ZaloClient,
    store: Store,
    inbox_ready: Arc<Notify>,
    shutdown: CancellationToken,
    poll_timeout_secs: u32,
) {
    if let Err(e) = client.delete_webhook().await {
        tracing::debug!(error = %e, "zalo deleteWebhook failed");
    }
    let mut backoff = Duration::from_millis(500);
    loop {
        let result = tokio::select! {
            r = client.get_updates(poll_timeout_secs) => r,
            _ = shutdown.cancelled() => break,
        };
        let updates = match result {
            Ok(Some(v)) => {
                backoff = Duration::from_millis(500);
                updates_of(v)
            }
            Ok(None) => {
                backoff = Duration::from_millis(500);
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "zalo getUpdates failed; retrying");
                metrics::counter!("congdoan_poll_errors_total", "channel" => "zalo").increment(1);
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = shutdown.cancelled() => break,
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        let events: Vec<InboundEvent> = updates.iter().filter_map(normalize).collect();
        if events.len() < updates.len() {
            metrics::counter!("congdoan_updates_ignored_total", "channel" => "zalo")
                .increment((updates.len() - events.len()) as u64);
        }
        if events.is_empty() {
            continue;
        }
        let mut store_backoff = Duration::from_millis(500);
        loop {
            match store.inbox_insert_all(&events).await {
                Ok(new) => {
                    metrics::counter!("congdoan_updates_received_total", "channel" => "zalo")
                        .increment(new as u64);
                    if new > 0 {
                        for ev in events.iter().filter(|e| wants_typing(e)) {
                            client.typing(&ev.chat_id);
                        }
                    }
                    break;
                }
                Err(e) => {
                    // Keep the update in hand: Zalo will not hand it out again.
                    tracing::error!(error = %e, "cannot store zalo update; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(store_backoff) => {}
                        _ = shutdown.cancelled() => return,
                    }
                    store_backoff = (store_backoff * 2).min(Duration::from_secs(30));
                }
            }
        }
        inbox_ready.notify_waiters();
    }
    tracing::info!("zalo polling stopped");
}

/// The webhook secret: the configured one, else derived from the token so every
/// instance of one bot agrees. 48 hex characters (Zalo takes 8–256).
pub fn webhook_secret(configured: Option<&str>, token: &str) -> String {
    if let Some(s) = configured {
        return s.to_string();
    }
    let digest = Sha256::digest(format!("congdoan-zalo-webhook:{token}").as_bytes());
    digest.iter().take(24).map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Zalo's webhook: check the secret, store the update, then answer 200. A database
/// failure answers 500 so Zalo delivers again: nothing is lost. `expected` is `None`
/// when Zalo is not in webhook mode (404). `client` shows "typing…" for slow answers.
pub async fn accept_webhook(
    store: &Store,
    inbox_ready: &Notify,
    expected: Option<&str>,
    client: Option<&ZaloClient>,
    headers: &HeaderMap,
    body: &[u8],
) -> StatusCode {
    let Some(expected) = expected else {
        return StatusCode::NOT_FOUND;
    };
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !constant_time_eq(given, expected.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(update) = serde_json::from_slice::<Value>(body) else {
        return StatusCode::BAD_REQUEST;
    };
    if !update.is_object() {
        return StatusCode::BAD_REQUEST;
    }
    let Some(event) = normalize(&update) else {
        // Well-formed but nothing we act on (another event kind): acknowledged.
        metrics::counter!("congdoan_updates_ignored_total", "channel" => "zalo").increment(1);
        return StatusCode::OK;
    };
    match store.inbox_insert(&event).await {
        Ok(new) => {
            if new {
                metrics::counter!("congdoan_updates_received_total", "channel" => "zalo")
                    .increment(1);
                inbox_ready.notify_waiters();
                if let Some(client) = client.filter(|_| wants_typing(&event)) {
                    client.typing(&event.chat_id);
                }
            }
            StatusCode::OK
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot store zalo webhook update");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

pub struct ZaloTransport {
    pub client: ZaloClient,
    /// Set once Zalo refused a message in `html` parse mode that it took as plain text:
    /// from then on everything goes as plain text.
    html_refused: AtomicBool,
}

/// A message as Zalo gets it: always the plain text; with bold titles as `html` too
/// when that is safe (see [`render`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub plain: String,
    pub html: Option<String>,
}

const BOLD_OPEN: char = '\u{E000}';
const BOLD_CLOSE: char = '\u{E001}';

/// Turn the core's Telegram-style HTML into what Zalo shows.
///
/// Zalo's `sendMessage` takes `parse_mode: "html"`, but its documentation does not say
/// which tags it knows or whether it decodes entities. So this stays conservative: the
/// plain text is what is sent, except that a message with bold (`<b>`, our titles) is
/// sent in `html` mode with only `<b>` tags, and only when its text needs no entity at
/// all (no `<`, `>` or `&` anywhere, so it reads the same whether Zalo decodes entities
/// or not) and fits one message. If Zalo refuses that, the transport sends the plain
/// text and stays plain (`html_refused`).
pub fn render(html: &str) -> Rendered {
    let plain = html_to_plain(html).trim().to_string();
    let marked = html.replace("<b>", "\u{E000}").replace("</b>", "\u{E001}");
    let with_marks = html_to_plain(&marked);
    let with_marks = with_marks.trim();
    let clean = !html.contains([BOLD_OPEN, BOLD_CLOSE])
        && with_marks.contains(BOLD_OPEN)
        && !with_marks.contains(['<', '>', '&'])
        && with_marks.matches(BOLD_OPEN).count() == with_marks.matches(BOLD_CLOSE).count();
    let html = clean
        .then(|| {
            with_marks
                .replace(BOLD_OPEN, "<b>")
                .replace(BOLD_CLOSE, "</b>")
        })
        .filter(|h| h.chars().count() <= MAX_MESSAGE_CHARS && !h.contains("<b></b>"));
    Rendered { plain, html }
}

impl ZaloTransport {
    pub fn new(client: ZaloClient) -> Self {
        ZaloTransport {
            client,
            html_refused: AtomicBool::new(false),
        }
    }

    /// One text (split at 2000 characters when long).
    async fn send_text(&self, chat_id: &str, text: &str) -> DeliveryOutcome {
        let rendered = render(text);
        if let Some(html) = rendered
            .html
            .as_deref()
            .filter(|_| !self.html_refused.load(Ordering::Relaxed))
        {
            match self.client.send_text(chat_id, html, Some("html")).await {
                Ok(()) => return DeliveryOutcome::Sent,
                // Refused as a bad request: maybe the formatting. Plain text decides.
                Err(ZaloError::Api {
                    status, error_code, ..
                }) if error_code.unwrap_or(i64::from(status)) == 400 => {
                    let plain = self.send_plain(chat_id, &rendered.plain).await;
                    if plain == DeliveryOutcome::Sent {
                        tracing::warn!(
                            "zalo refused a message in html parse mode and took it as plain text: sending plain text from now on"
                        );
                        self.html_refused.store(true, Ordering::Relaxed);
                    }
                    return plain;
                }
                Err(e) => return classify(&e),
            }
        }
        self.send_plain(chat_id, &rendered.plain).await
    }

    async fn send_plain(&self, chat_id: &str, plain: &str) -> DeliveryOutcome {
        for part in split_message(plain, MAX_MESSAGE_CHARS) {
            // Zalo refuses empty texts; there is nothing to say anyway.
            if part.trim().is_empty() {
                continue;
            }
            if let Err(e) = self.client.send_message(chat_id, &part).await {
                return classify(&e);
            }
        }
        DeliveryOutcome::Sent
    }

    pub async fn deliver(&self, chat_id: &str, body: &Outbound) -> DeliveryOutcome {
        if chat_id.trim().is_empty() {
            return DeliveryOutcome::Permanent("empty zalo chat id".into());
        }
        match body {
            Outbound::Message { text, .. } | Outbound::Progress { text, .. } => {
                self.send_text(chat_id, text).await
            }
            // No buttons on Zalo, so there is no spinner to stop.
            Outbound::AnswerCallback { .. } => DeliveryOutcome::Sent,
            // A received image is a URL on Zalo: it can be sent on by that URL. The
            // caption goes with it up to 2000 characters; the rest follows as messages.
            Outbound::Media {
                kind: MediaKind::Photo,
                file_id,
                caption,
                ..
            } if is_photo_url(file_id) => {
                let caption = html_to_plain(caption);
                let parts: Vec<String> = split_message(caption.trim(), MAX_MESSAGE_CHARS)
                    .into_iter()
                    .filter(|p| !p.trim().is_empty())
                    .collect();
                if let Err(e) = self
                    .client
                    .send_photo(chat_id, file_id, parts.first().map(String::as_str))
                    .await
                {
                    return classify(&e);
                }
                for part in parts.iter().skip(1) {
                    if let Err(e) = self.client.send_message(chat_id, part).await {
                        return classify(&e);
                    }
                }
                DeliveryOutcome::Sent
            }
            // Files (there is no sendDocument): the core offers them only where the
            // channel can send them.
            // Zalo cannot edit a message; progress there comes as the final report.
            Outbound::Edit { .. } => DeliveryOutcome::Permanent("zalo cannot edit messages".into()),
            Outbound::Document { .. } | Outbound::Media { .. } | Outbound::Upload { .. } => {
                DeliveryOutcome::Permanent("zalo bots cannot send files".into())
            }
        }
    }
}

/// Whether a file id is a photo URL (what Zalo hands over for a received image; a
/// Telegram file id never is one).
pub fn is_photo_url(file_id: &str) -> bool {
    let f = file_id.trim_start();
    f.starts_with("https://") || f.starts_with("http://")
}

fn is_quota(description: &str) -> bool {
    let d = description.to_lowercase();
    d.contains("quota") || d.contains("hạn mức") || d.contains("daily limit")
}

/// An error about the recipient: it does not exist, or will not take messages from us.
fn is_unreachable(description: &str) -> bool {
    let d = description.to_lowercase();
    d.contains("blocked")
        || d.contains("not allowed")
        || d.contains("user not found")
        || d.contains("chat not found")
        || d.contains("recipient not found")
}

/// Map a failed call to what the sender should do with the message, by Zalo's error
/// table: a message fails for good only on an error about it or its recipient.
pub fn classify(e: &ZaloError) -> DeliveryOutcome {
    match e {
        ZaloError::Api {
            status,
            error_code,
            description,
            retry_after,
        } => {
            let code = error_code.unwrap_or(i64::from(*status));
            let too_many = code == 429 || *status == 429;
            // Flood control that says when to come back: honoured as such.
            if too_many && let Some(secs) = retry_after {
                return DeliveryOutcome::RetryAfter(Duration::from_secs((*secs).clamp(1, 3600)));
            }
            // 429 is "Quota exceeded" in Zalo's table: nothing goes out for a while.
            if too_many || is_quota(description) {
                metrics::counter!("congdoan_zalo_quota_exceeded_total").increment(1);
                return DeliveryOutcome::QuotaExceeded(format!("zalo quota exceeded: {e}"));
            }
            if is_unreachable(description) {
                return DeliveryOutcome::Unreachable(e.to_string());
            }
            // 403 is Zalo's "Internal server error"; 401 (a token revoked while running)
            // is about the bot, not the message: both are retried like a 5xx.
            if *status >= 500
                || (500..600).contains(&code)
                || matches!(code, 401 | 403 | 408)
                || matches!(*status, 401 | 403 | 408)
            {
                return DeliveryOutcome::Transient(e.to_string());
            }
            DeliveryOutcome::Permanent(e.to_string())
        }
        // A 408 on a send is a timeout like any other.
        ZaloError::Idle | ZaloError::Network(_) | ZaloError::BadResponse { .. } => {
            DeliveryOutcome::Transient(e.to_string())
        }
    }
}

/// Tell officers, once per pause, that Zalo's quota stopped sending: the authors of the
/// broadcasts and directives whose Zalo messages are waiting (they are the ones
/// expecting a delivery); when no such message waits (only replies or reminders), the
/// topmost officers of each branch of the tree (officers with no officer above them).
/// On every account they have: an officer on Telegram learns it at once, one on Zalo
/// only when sending resumes.
pub async fn tell_officers_quota_paused(
    store: &Store,
    retry_every: Duration,
    now: i64,
) -> Result<usize, crate::store::StoreError> {
    use sqlx::Row;
    let mut tx = store.begin().await?;
    let waiting: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM outbox WHERE channel = 'zalo' AND status IN ('pending', 'sending')",
    )
    .fetch_one(&mut *tx)
    .await?
    .try_get("n")?;
    let mut officers = sqlx::query(
        "SELECT m.id, m.lang FROM members m WHERE m.role = 'officer' AND m.id IN (
             SELECT b.author_member_id FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id
             WHERE o.channel = 'zalo' AND o.status IN ('pending', 'sending')
             UNION
             SELECT d.author_member_id FROM outbox o JOIN directives d ON d.id = o.directive_id
             WHERE o.channel = 'zalo' AND o.status IN ('pending', 'sending'))
         ORDER BY m.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    if officers.is_empty() {
        officers = sqlx::query(
            "SELECT m.id, m.lang FROM members m JOIN units u ON u.id = m.unit_id
             WHERE m.role = 'officer' AND NOT EXISTS (
                 SELECT 1 FROM members m2 JOIN units u2 ON u2.id = m2.unit_id
                 WHERE m2.role = 'officer' AND u2.id <> u.id
                   AND u.path LIKE u2.path || '%')
             ORDER BY m.id",
        )
        .fetch_all(&mut *tx)
        .await?;
    }
    let i18n = crate::i18n::I18n::new();
    let minutes = (retry_every.as_secs() / 60).max(1) as i64;
    let mut told = 0;
    for officer in officers {
        let id: i64 = officer.try_get("id")?;
        let lang = crate::core::domain::Lang::parse(&officer.try_get::<String, _>("lang")?)
            .unwrap_or_default();
        let accounts = sqlx::query(
            "SELECT channel, chat_id FROM identities
             WHERE member_id = $1 AND channel <> 'console' ORDER BY channel",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let body = Outbound::Message {
            text: crate::tr!(
                i18n,
                lang,
                "zalo-quota-paused",
                count = waiting,
                minutes = minutes
            ),
            buttons: vec![],
        };
        for a in accounts {
            let channel: String = a.try_get("channel")?;
            let chat_id: String = a.try_get("chat_id")?;
            crate::store::outbox::enqueue(
                &mut tx,
                &channel,
                &chat_id,
                &body,
                crate::store::outbox::PRIORITY_REPLY,
                now,
            )
            .await?;
            told += 1;
        }
    }
    tx.commit().await?;
    Ok(told)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_update(id: &str, chat_type: &str, text: &str) -> Value {
        json!({
            "event_name": "message.text.received",
            "message": {
                "message_id": id, "date": 1_750_316_131_602_i64, "text": text,
                "from": {"id": "6ede9afa66b88fe6d6a9", "display_name": "Ted", "is_bot": false},
                "chat": {"id": "chat-1", "chat_type": chat_type}
            }
        })
    }

    #[test]
    fn normalizes_text_photo_sticker_and_groups() {
        let ev = normalize(&text_update("m1", "PRIVATE", "Xin chào")).expect("event");
        assert_eq!(ev.channel, Channel::Zalo);
        // Keyed on the chat and the message: ids are not known to be unique across chats.
        assert_eq!(ev.update_id, "chat-1:m1");
        assert_eq!(ev.chat_id, "chat-1");
        assert_eq!(ev.chat_kind, ChatKind::Private);
        let from = ev.from.expect("from");
        assert_eq!(from.id, "6ede9afa66b88fe6d6a9");
        assert_eq!(from.display_name, "Ted");
        assert_eq!(
            ev.payload,
            Payload::Text {
                text: "Xin chào".into()
            }
        );

        let group = normalize(&text_update("m2", "GROUP", "/help")).expect("event");
        assert_eq!(group.chat_kind, ChatKind::Group);
        // A group command comes after the bot's mention.
        for (sent, read) in [
            ("@Bot Công Đoàn /help", "/help"),
            ("  @bot.congdoan /start ABC", "/start ABC"),
            ("@Bot chào cả nhà", "@Bot chào cả nhà"),
            ("@Bot\n/help", "@Bot\n/help"),
            ("/help", "/help"),
        ] {
            let ev = normalize(&text_update("m2", "GROUP", sent)).expect("event");
            assert_eq!(ev.payload, Payload::Text { text: read.into() }, "{sent}");
        }
        // Not in a private chat: there the text is the person's own.
        let private = normalize(&text_update("m2", "PRIVATE", "@Bot /help")).expect("event");
        assert_eq!(
            private.payload,
            Payload::Text {
                text: "@Bot /help".into()
            }
        );

        // The webhook's wrapped shape.
        let wrapped = json!({"ok": true, "result": text_update("m3", "PRIVATE", "hi")});
        assert_eq!(normalize(&wrapped).expect("event").update_id, "chat-1:m3");

        let photo = json!({"event_name": "message.image.received", "message": {
            "message_id": "m4", "photo": "https://img/x.jpg", "caption": "cháy",
            "from": {"id": "u"}, "chat": {"id": "u", "chat_type": "PRIVATE"}}});
        assert_eq!(
            normalize(&photo).expect("event").payload,
            Payload::Photo {
                file_id: "https://img/x.jpg".into(),
                caption: Some("cháy".into())
            }
        );
        let sticker = json!({"event_name": "message.sticker.received", "message": {
            "message_id": "m5", "sticker": "s", "from": {"id": "u"}, "chat": {"id": "u"}}});
        assert_eq!(
            normalize(&sticker).expect("event").payload,
            Payload::Unsupported {
                kind: "sticker".into()
            }
        );
    }

    #[test]
    fn odd_updates_do_not_panic() {
        for v in [
            json!(null),
            json!([]),
            json!({}),
            json!({"message": 5}),
            json!({"message": {"message_id": null}}),
            json!({"message": {"message_id": "x"}}),
            json!({"message": {"message_id": {}, "chat": {"id": "c"}}}),
            json!({"result": {"message": {"message_id": "", "chat": {"id": "c"}}}}),
        ] {
            assert!(normalize(&v).is_none(), "{v}");
        }
        // Numbers where strings are expected still work; text missing is unsupported.
        let ev = normalize(&json!({"event_name": "message.text.received",
            "message": {"message_id": 7, "chat": {"id": 9}}}))
        .expect("event");
        assert_eq!((ev.update_id.as_str(), ev.chat_id.as_str()), ("9:7", "9"));
        assert!(ev.from.is_none());
        assert!(matches!(ev.payload, Payload::Unsupported { .. }));
    }

    #[test]
    fn envelope_and_errors() {
        assert_eq!(
            parse_envelope(200, br#"{"ok":true,"result":{"a":1}}"#),
            Ok(json!({"a":1}))
        );
        assert_eq!(parse_envelope(408, b"{\"ok\":false}"), Err(ZaloError::Idle));
        assert_eq!(parse_envelope(408, b""), Err(ZaloError::Idle));
        assert!(matches!(
            parse_envelope(200, b"<html>"),
            Err(ZaloError::BadResponse { .. })
        ));
        // 200 with ok=false is a failure; 429 is Zalo's "Quota exceeded".
        let e = parse_envelope(
            200,
            br#"{"ok":false,"error_code":429,"description":"Quota exceeded"}"#,
        )
        .expect_err("error");
        assert!(matches!(classify(&e), DeliveryOutcome::QuotaExceeded(_)));
        // A bad token: 200, ok=false, 401. About the bot, not the message: retried.
        let e = parse_envelope(
            200,
            br#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#,
        )
        .expect_err("error");
        assert!(matches!(classify(&e), DeliveryOutcome::Transient(_)));
        let e = parse_envelope(
            429,
            br#"{"ok":false,"error_code":429,"description":"slow down","parameters":{"retry_after":7}}"#,
        )
        .expect_err("error");
        assert_eq!(
            classify(&e),
            DeliveryOutcome::RetryAfter(Duration::from_secs(7))
        );
        let e = parse_envelope(502, b"Bad Gateway").expect_err("error");
        assert!(matches!(classify(&e), DeliveryOutcome::Transient(_)));
        // 403 is Zalo's "Internal server error": retried, nobody marked unreachable.
        let e = parse_envelope(
            403,
            br#"{"ok":false,"error_code":403,"description":"Internal server error"}"#,
        )
        .expect_err("error");
        assert!(matches!(classify(&e), DeliveryOutcome::Transient(_)));
        let e = parse_envelope(
            400,
            br#"{"ok":false,"error_code":400,"description":"Bad Request: user not found"}"#,
        )
        .expect_err("error");
        assert!(matches!(classify(&e), DeliveryOutcome::Unreachable(_)));
        let e = parse_envelope(
            200,
            br#"{"ok":false,"error_code":-32,"description":"Daily quota exceeded"}"#,
        )
        .expect_err("error");
        match classify(&e) {
            DeliveryOutcome::QuotaExceeded(msg) => assert!(msg.contains("zalo quota exceeded")),
            other => panic!("{other:?}"),
        }
        let e = parse_envelope(400, br#"{"ok":false,"error_code":400,"description":"bad"}"#)
            .expect_err("error");
        assert!(matches!(classify(&e), DeliveryOutcome::Permanent(_)));
        assert!(matches!(
            classify(&ZaloError::Network("reset".into())),
            DeliveryOutcome::Transient(_)
        ));
    }

    #[test]
    fn bold_titles_only_when_no_entity_is_needed() {
        let r = render("<b>Mã liên kết</b>: ABCD-EFGH\n<i>một lần</i>");
        assert_eq!(r.plain, "Mã liên kết: ABCD-EFGH\nmột lần");
        assert_eq!(
            r.html.as_deref(),
            Some("<b>Mã liên kết</b>: ABCD-EFGH\nmột lần")
        );
        // Text that would need an entity, no bold, or too long: plain only.
        assert_eq!(render("<b>May &lt;ABC&gt; &amp; Co</b>").html, None);
        assert_eq!(render("không đậm").html, None);
        assert_eq!(render(&format!("<b>t</b>{}", "x".repeat(2000))).html, None);
        assert_eq!(render("<b>mở").html, None);
        assert_eq!(render("\u{E000}<b>x</b>").html, None);
    }

    #[test]
    fn webhook_verification_answers() {
        assert_eq!(
            verification_of(&json!({"url": "u"})),
            WebhookCheck::NotReported
        );
        assert_eq!(
            verification_of(&json!({"verification": true})),
            WebhookCheck::Verified
        );
        assert_eq!(
            verification_of(&json!({"verification": "success"})),
            WebhookCheck::Verified
        );
        assert_eq!(
            verification_of(&json!({"verification": {"status_code": 204}})),
            WebhookCheck::Verified
        );
        assert_eq!(
            verification_of(&json!({"verification": {"ok": false, "status_code": 502}})),
            WebhookCheck::Unreachable("http 502".into())
        );
        assert!(matches!(
            verification_of(&json!({"verification": "failed"})),
            WebhookCheck::Unreachable(_)
        ));
    }

    #[test]
    fn photo_hosts() {
        let c = ZaloClient::new("1:t", None).expect("client");
        let ok = |u: &str| c.photo_host_allowed(&reqwest::Url::parse(u).expect("url"));
        assert!(ok("https://f20-zpc.zdn.vn/jpg/abc.jpg"));
        assert!(ok("https://zalo.me/x"));
        assert!(!ok("http://f20-zpc.zdn.vn/jpg/abc.jpg"), "https only");
        assert!(!ok("https://evilzdn.vn/x"));
        assert!(!ok("https://zdn.vn.evil.org/x"));
        assert!(!ok("https://127.0.0.1/x"));
        let t = c.with_photo_hosts(&["127.0.0.1".into()]);
        let ok = |u: &str| t.photo_host_allowed(&reqwest::Url::parse(u).expect("url"));
        assert!(ok("http://127.0.0.1:8080/photos/a.jpg"));
        assert!(!ok("https://f20-zpc.zdn.vn/jpg/abc.jpg"));
    }

    #[test]
    fn secrets_and_clients() {
        let s = webhook_secret(None, "tok");
        assert_eq!(s.len(), 48);
        assert_eq!(s, webhook_secret(None, "tok"));
        assert_ne!(s, webhook_secret(None, "other"));
        assert_eq!(webhook_secret(Some("mine-123"), "tok"), "mine-123");
        assert!(ZaloClient::new("", None).is_err());
        assert!(ZaloClient::new("a/b", None).is_err());
        assert!(ZaloClient::new("t", Some("ftp://x")).is_err());
        let c = ZaloClient::new("123:abc", Some("http://127.0.0.1:1/")).expect("client");
        assert_eq!(c.base, "http://127.0.0.1:1/bot123:abc");
        assert!(!format!("{c:?}").contains("abc"));
    }
}
