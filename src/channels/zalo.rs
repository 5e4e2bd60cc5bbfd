//! Zalo through the Zalo Bot Platform's Bot API (Telegram-like, plain JSON over HTTPS):
//! a small reqwest client, update normalisation, long polling and the webhook body in
//! front of the durable inbox, and the transport the sender uses.
//!
//! What differs from Telegram and shapes this file:
//! - `getUpdates` hands out **one** update per call and answers HTTP 408 when idle;
//!   there is no offset and no update_id. The inbox is keyed on the message's
//!   `message_id` instead, so a redelivered message is stored once.
//! - Ids are strings. There are no inline buttons (the core numbers the options) and
//!   no HTML: our Telegram-style HTML is turned into plain text, split at 2000 chars.
//! - Zalo's free quotas end in an error that retrying cannot fix: such a send fails
//!   visibly (`congdoan_zalo_quota_failures_total`, a "zalo quota exceeded" error on
//!   the outbox row), never silently.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::DeliveryOutcome;
use crate::core::event::{Channel, ChatKind, InboundEvent, MediaKind, Outbound, Payload, Person};
use crate::core::text::{html_to_plain, split_message};
use crate::sender::SendLimits;
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
        Ok(ZaloClient {
            http,
            base: format!("{}/bot{}", api_url.trim_end_matches('/'), token),
        })
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

    pub async fn set_webhook(&self, url: &str, secret_token: &str) -> Result<(), ZaloError> {
        self.call(
            "setWebhook",
            &json!({ "url": url, "secret_token": secret_token }),
            CALL_TIMEOUT,
        )
        .await
        .map(|_| ())
    }

    pub async fn delete_webhook(&self) -> Result<(), ZaloError> {
        self.call("deleteWebhook", &json!({}), CALL_TIMEOUT)
            .await
            .map(|_| ())
    }

    /// `photo` is the image's URL (what Zalo hands over for received images).
    pub async fn send_photo(
        &self,
        chat_id: &str,
        photo: &str,
        caption: &str,
    ) -> Result<(), ZaloError> {
        self.call(
            "sendPhoto",
            &json!({ "chat_id": chat_id, "photo": photo, "caption": caption }),
            CALL_TIMEOUT,
        )
        .await
        .map(|_| ())
    }

    pub async fn send_message(&self, chat_id: &str, text: &str) -> Result<(), ZaloError> {
        self.call(
            "sendMessage",
            &json!({ "chat_id": chat_id, "text": text }),
            CALL_TIMEOUT,
        )
        .await
        .map(|_| ())
    }
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
    let text = str_field(msg, "text");
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
        update_id: message_id,
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
/// when Zalo is not in webhook mode (404).
pub async fn accept_webhook(
    store: &Store,
    inbox_ready: &Notify,
    expected: Option<&str>,
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
            }
            StatusCode::OK
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot store zalo webhook update");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// The sender's limits for Zalo: a global rate (from `CONGDOAN_ZALO_SEND_RATE`,
/// default 10/s), 20 per minute to a group, fewer requests in flight than Telegram.
pub fn send_limits(global_per_sec: u32) -> SendLimits {
    SendLimits {
        global_per_sec: global_per_sec.max(1),
        chat_per_sec: 1,
        group_per_min: 20,
        max_in_flight: 8,
        max_attempts: 8,
        lease: Duration::from_secs(120),
    }
}

pub struct ZaloTransport {
    pub client: ZaloClient,
}

impl ZaloTransport {
    pub async fn deliver(&self, chat_id: &str, body: &Outbound) -> DeliveryOutcome {
        match body {
            Outbound::Message { text, .. } | Outbound::Progress { text, .. } => {
                if chat_id.trim().is_empty() {
                    return DeliveryOutcome::Permanent("empty zalo chat id".into());
                }
                let plain = html_to_plain(text);
                for part in split_message(plain.trim(), MAX_MESSAGE_CHARS) {
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
            // No buttons on Zalo, so there is no spinner to stop.
            Outbound::AnswerCallback { .. } => DeliveryOutcome::Sent,
            // A received image is a URL on Zalo: it can be sent on by that URL.
            Outbound::Media {
                kind: MediaKind::Photo,
                file_id,
                caption,
                ..
            } if file_id.starts_with("https://") || file_id.starts_with("http://") => {
                let caption = html_to_plain(caption);
                let caption = split_message(caption.trim(), MAX_MESSAGE_CHARS)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                match self.client.send_photo(chat_id, file_id, &caption).await {
                    Ok(()) => DeliveryOutcome::Sent,
                    Err(e) => classify(&e),
                }
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

fn is_quota(description: &str) -> bool {
    let d = description.to_lowercase();
    d.contains("quota") || d.contains("hạn mức") || d.contains("daily limit")
}

fn is_unreachable(status: u16, code: Option<i64>, description: &str) -> bool {
    let d = description.to_lowercase();
    status == 403
        || code == Some(403)
        || d.contains("blocked")
        || d.contains("not allowed")
        || d.contains("user not found")
        || d.contains("chat not found")
}

/// Map a failed call to what the sender should do with the message.
pub fn classify(e: &ZaloError) -> DeliveryOutcome {
    match e {
        ZaloError::Api {
            status,
            error_code,
            description,
            retry_after,
        } => {
            let code = error_code.unwrap_or(i64::from(*status));
            if is_quota(description) {
                // Retrying today cannot help; count it so nobody misses it.
                metrics::counter!("congdoan_zalo_quota_failures_total").increment(1);
                tracing::warn!(error = %e, "zalo quota exceeded: message not sent");
                return DeliveryOutcome::Permanent(format!("zalo quota exceeded: {e}"));
            }
            if code == 429 || *status == 429 {
                let secs = retry_after.unwrap_or(1).clamp(1, 3600);
                return DeliveryOutcome::RetryAfter(Duration::from_secs(secs));
            }
            if is_unreachable(*status, *error_code, description) {
                return DeliveryOutcome::Unreachable(e.to_string());
            }
            if *status >= 500 || (500..600).contains(&code) || *status == 408 {
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
        assert_eq!(ev.update_id, "m1");
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

        // The webhook's wrapped shape.
        let wrapped = json!({"ok": true, "result": text_update("m3", "PRIVATE", "hi")});
        assert_eq!(normalize(&wrapped).expect("event").update_id, "m3");

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
        assert_eq!((ev.update_id.as_str(), ev.chat_id.as_str()), ("7", "9"));
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
        // 200 with ok=false is a failure.
        let e = parse_envelope(
            200,
            br#"{"ok":false,"error_code":429,"description":"Too many"}"#,
        )
        .expect_err("error");
        assert_eq!(
            classify(&e),
            DeliveryOutcome::RetryAfter(Duration::from_secs(1))
        );
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
        let e = parse_envelope(
            403,
            br#"{"ok":false,"error_code":403,"description":"User has blocked the bot"}"#,
        )
        .expect_err("error");
        assert!(matches!(classify(&e), DeliveryOutcome::Unreachable(_)));
        let e = parse_envelope(
            200,
            br#"{"ok":false,"error_code":-32,"description":"Daily quota exceeded"}"#,
        )
        .expect_err("error");
        match classify(&e) {
            DeliveryOutcome::Permanent(msg) => assert!(msg.contains("zalo quota exceeded")),
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
