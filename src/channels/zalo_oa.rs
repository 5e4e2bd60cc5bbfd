//! Zalo Official Accounts (OA Open API v3): the channel union offices already run.
//!
//! What shapes this file:
//! - **Webhook only.** Zalo POSTs events to `/webhook/zalo-oa`, signed:
//!   `X-ZEvent-Signature: mac=<hex sha256(app_id + raw body + timestamp + OA secret)>`
//!   where `timestamp` is the body's own field. A bad signature is refused (401), an
//!   app id that is not ours (403), a timestamp more than five minutes away (403: a
//!   replay of an old event); a replay inside those minutes is the same `msg_id`,
//!   stored once. The event and the member's new 48-hour window are stored in one
//!   transaction before the 200.
//! - **Tokens.** The access token (about 25 hours) is refreshed before it runs out with
//!   `POST {oauth}/v4/oa/access_token`. A refresh token is good for one use: the new
//!   pair replaces the old in one statement as soon as Zalo hands it over (see
//!   [`ZaloOaTransport::access_token`]); only the elected sender refreshes.
//! - **The 48-hour rule.** "Tin tư vấn" (`POST {api}/v3.0/oa/message/cs`) are free within
//!   48 hours of the member's last interaction, charged to the union's Zalo Cloud
//!   Account from 48 hours to 7 days, refused after. Outside the free window the bot
//!   sends only with `ZALO_OA_PAID=on` (up to a monthly cap); otherwise the message
//!   waits, not failed and not counted as an attempt (`Delivery::OutsideWindow`), until
//!   the member writes again ([`crate::store::zalo_oa::interacted`]).
//! - **Errors** are HTTP 200 with a non-zero `error`: -216/-124 the access token
//!   (refresh, retry once), -213 the user does not follow the OA (unreachable here),
//!   -230/-232 no interaction in the window and -320 no Cloud Account to pay (wait),
//!   -32 rate limit (pause the channel), -201/-210 a bad or too long parameter (this
//!   message fails). A server error never marks anyone unreachable.
//! - No buttons (the core numbers the options), no files: plain text split at 2000
//!   characters; a photo by its URL. An image the bot made (a chart) is kept under a
//!   random token and served at `/oa-image/<token>.png` (`crate::web::oa_image`) when the
//!   bot has a public https URL; without one the OA gets no images.
//! - **Names.** Events carry none: the elected sender asks `GET /v3.0/oa/user/detail`
//!   for newcomers (woken by the webhook), beside their messages, never in their way; a
//!   failure leaves the name empty, asked again at most once a day.
//! - **ZNS** (only with `ZALO_OA_ZNS_TEMPLATE_REMINDER`): a commitment reminder that may
//!   not go as "tin tư vấn" goes as that template to the member's phone, when
//!   the OA is their only account and a phone is known; otherwise it waits as above.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use super::DeliveryOutcome;
use crate::core::event::{Channel, ChatKind, InboundEvent, MediaKind, Outbound, Payload, Person};
use crate::core::text::{html_to_plain, split_message};
use crate::core::time::now_ms;
use crate::store::Store;
use crate::store::zalo_oa::Tokens;

pub const DEFAULT_API_URL: &str = "https://openapi.zalo.me";
pub const DEFAULT_OAUTH_URL: &str = "https://oauth.zaloapp.com";
/// ZNS (Zalo Notification Service) template messages.
pub const DEFAULT_ZNS_URL: &str = "https://business.openapi.zalo.me";
/// The setting that holds the base URL Zalo fetches the OA's images from (set at start
/// when `CONGDOAN_PUBLIC_URL` is https; absent: no images on the OA).
pub const IMAGE_BASE_SETTING: &str = "zalo_oa_image_base";
/// An image's token works this long (Zalo fetches it when the message is sent; a
/// member scrolling back a week later may make it fetch again).
pub const IMAGE_TTL_MS: i64 = 7 * 24 * 3_600_000;
/// Largest image served to Zalo.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// Profiles asked for per round of the profile job.
const PROFILES_PER_ROUND: i64 = 20;
/// A "tin tư vấn" text takes up to 2000 characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;
pub const SIGNATURE_HEADER: &str = "x-zevent-signature";
/// Largest webhook body taken (Zalo's events are a few hundred bytes).
pub const MAX_WEBHOOK_BYTES: usize = 64 * 1024;
/// A webhook whose timestamp is further than this from our clock is refused.
pub const MAX_SKEW_MS: i64 = 5 * 60_000;
/// Free "tin tư vấn" within this long of the member's last interaction.
pub const FREE_WINDOW_MS: i64 = 48 * 3_600_000;
/// Paid ones up to this long.
pub const PAID_WINDOW_MS: i64 = 7 * 24 * 3_600_000;
/// Kept off the edges of the windows: a message claimed just inside must not reach
/// Zalo just outside.
pub const WINDOW_MARGIN_MS: i64 = 5 * 60_000;
/// The access token is refreshed when it has less than this left.
pub const REFRESH_MARGIN_MS: i64 = 60 * 60_000;
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
const MAX_TEXT_CHARS: usize = 8000;

/// The OA's settings, from [`crate::config::ServeArgs`].
#[derive(Clone)]
pub struct ZaloOaConfig {
    pub app_id: String,
    /// The app's secret key (`secret_key` header of the token refresh).
    pub secret_key: String,
    /// The OA secret key that signs webhooks.
    pub webhook_secret: String,
    /// The first refresh token (the stored, rotated pair wins over the same one again).
    pub refresh_token: Option<String>,
    pub api_url: String,
    pub oauth_url: String,
    /// `ZALO_OA_PAID=on`: send outside the free window, up to the monthly cap.
    pub paid: bool,
    pub paid_monthly_cap: u64,
    /// How long OA sending pauses after Zalo's rate limit (-32).
    pub rate_limit_pause: Duration,
    /// How long OA sending pauses when there is no usable access token (a refresh
    /// failed): messages wait, nobody fails.
    pub token_pause: Duration,
    /// `ZALO_OA_ZNS_TEMPLATE_REMINDER`: the approved ZNS template for commitment
    /// reminders to members outside the 48 hours (off when `None`).
    pub zns_reminder_template: Option<ZnsTemplateId>,
    /// ZNS API base URL (`ZALO_OA_ZNS_URL`).
    pub zns_url: String,
    /// Tests only: serve images from the plain-http local address (Zalo itself needs
    /// the https public URL).
    #[doc(hidden)]
    pub images_over_http: bool,
}

impl std::fmt::Debug for ZaloOaConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZaloOaConfig")
            .field("app_id", &self.app_id)
            .field("api_url", &self.api_url)
            .field("oauth_url", &self.oauth_url)
            .field("paid", &self.paid)
            .field("paid_monthly_cap", &self.paid_monthly_cap)
            .field("zns_reminder_template", &self.zns_reminder_template)
            .finish_non_exhaustive()
    }
}

impl ZaloOaConfig {
    /// A config with Zalo's URLs and the default pauses.
    pub fn new(app_id: &str, secret_key: &str, webhook_secret: &str) -> Self {
        ZaloOaConfig {
            app_id: app_id.to_string(),
            secret_key: secret_key.to_string(),
            webhook_secret: webhook_secret.to_string(),
            refresh_token: None,
            api_url: DEFAULT_API_URL.to_string(),
            oauth_url: DEFAULT_OAUTH_URL.to_string(),
            paid: false,
            paid_monthly_cap: 1000,
            rate_limit_pause: Duration::from_secs(60),
            token_pause: Duration::from_secs(300),
            zns_reminder_template: None,
            zns_url: DEFAULT_ZNS_URL.to_string(),
            images_over_http: false,
        }
    }

    /// `None` when `ZALO_OA_APP_ID` is not set (the channel is off).
    pub fn from_args(args: &crate::config::ServeArgs) -> anyhow::Result<Option<Self>> {
        let Some(app_id) = args
            .zalo_oa_app_id
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        else {
            return Ok(None);
        };
        let need = |v: &Option<String>, name: &str| -> anyhow::Result<String> {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| anyhow::anyhow!("ZALO_OA_APP_ID is set: {name} is needed too"))
        };
        let mut cfg = ZaloOaConfig::new(
            app_id,
            &need(&args.zalo_oa_secret_key, "ZALO_OA_SECRET_KEY")?,
            &need(&args.zalo_oa_webhook_secret, "ZALO_OA_WEBHOOK_SECRET")?,
        );
        cfg.refresh_token = args
            .zalo_oa_refresh_token
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        cfg.api_url = args.zalo_oa_api_url.clone();
        cfg.oauth_url = args.zalo_oa_oauth_url.clone();
        cfg.paid = args.zalo_oa_paid == "on";
        cfg.paid_monthly_cap = args.zalo_oa_paid_monthly_cap;
        cfg.zns_reminder_template = args
            .zalo_oa_zns_template_reminder
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(ZnsTemplateId::parse)
            .transpose()?;
        cfg.zns_url = args.zalo_oa_zns_url.clone();
        cfg.validate()?;
        Ok(Some(cfg))
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        for (name, url) in [
            ("ZALO_OA_API_URL", &self.api_url),
            ("ZALO_OA_OAUTH_URL", &self.oauth_url),
            ("ZALO_OA_ZNS_URL", &self.zns_url),
        ] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                anyhow::bail!("{name} must start with https:// or http://");
            }
        }
        if self.app_id.trim().is_empty() || !self.app_id.chars().all(|c| c.is_ascii_alphanumeric())
        {
            anyhow::bail!("ZALO_OA_APP_ID is not a Zalo app id (digits)");
        }
        if self.secret_key.trim().is_empty() || self.webhook_secret.trim().is_empty() {
            anyhow::bail!("ZALO_OA_SECRET_KEY and ZALO_OA_WEBHOOK_SECRET must not be empty");
        }
        Ok(())
    }
}

/// An approved ZNS template's id (`ZALO_OA_ZNS_TEMPLATE_REMINDER`): digits or letters,
/// at most 32.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZnsTemplateId(String);

impl ZnsTemplateId {
    pub fn parse(raw: &str) -> anyhow::Result<Self> {
        let t = raw.trim();
        if t.is_empty() || t.len() > 32 || !t.chars().all(|c| c.is_ascii_alphanumeric()) {
            anyhow::bail!("ZALO_OA_ZNS_TEMPLATE_REMINDER is not a ZNS template id (digits)");
        }
        Ok(ZnsTemplateId(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Vietnamese phone number as ZNS takes it: `84` and the number without its leading
/// 0 (`0912 345 678`, `+84 912.345.678` and `84912345678` are all `84912345678`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZnsPhone(String);

impl ZnsPhone {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let t = raw.trim();
        if t.chars().count() > 24 {
            return Err("too long".into());
        }
        if !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'))
        {
            return Err("not a phone number".into());
        }
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        let national = if let Some(rest) = digits
            .strip_prefix("84")
            .filter(|_| t.starts_with('+') || digits.len() >= 11)
        {
            rest.to_string()
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest.to_string()
        } else if t.starts_with('+') {
            return Err("not a Vietnamese number".into());
        } else {
            digits.clone()
        };
        if !(9..=10).contains(&national.len()) || national.starts_with('0') {
            return Err("not a Vietnamese number".into());
        }
        Ok(ZnsPhone(format!("84{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the OA's profile call says about a user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OaProfile {
    pub display_name: Option<String>,
    /// A phone number the user shared with the OA (`shared_info.phone`).
    pub phone: Option<ZnsPhone>,
}

/// Read `data` of `/v3.0/oa/user/detail`: `display_name`, and `shared_info.phone` when
/// the user shared it. Names are cleaned (no control characters, at most 100
/// characters); anything odd is left out, never an error.
pub fn parse_profile(answer: &Value) -> OaProfile {
    let data = answer.get("data");
    let display_name = data
        .and_then(|d| d.get("display_name"))
        .and_then(Value::as_str)
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control())
                .take(100)
                .collect::<String>()
                .trim()
                .to_string()
        })
        .filter(|n| !n.is_empty());
    let phone = data
        .and_then(|d| d.get("shared_info"))
        .and_then(|s| s.get("phone"))
        .and_then(|p| match p {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .and_then(|p| ZnsPhone::parse(&p).ok());
    OaProfile {
        display_name,
        phone,
    }
}

/// What went wrong with one OA call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OaError {
    /// Zalo answered with a non-zero `error` (HTTP 200 included).
    Api {
        status: u16,
        code: i64,
        message: String,
    },
    /// No answer: connection refused or reset, timeout.
    Network(String),
    /// An answer that is not the OA API's JSON (a proxy's page, a 5xx).
    BadResponse { status: u16, detail: String },
}

impl std::fmt::Display for OaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OaError::Api {
                status,
                code,
                message,
            } => write!(f, "zalo oa error {code} (http {status}): {message}"),
            OaError::Network(e) => write!(f, "zalo oa network error: {e}"),
            OaError::BadResponse { status, detail } => {
                write!(f, "zalo oa answered http {status}: {detail}")
            }
        }
    }
}

impl std::error::Error for OaError {}

/// Read an OA answer: `{error: 0, data, message}` is success; a non-zero `error` is a
/// failure whatever the HTTP status. Bodies that are not JSON objects are bad answers.
pub fn parse_answer(status: u16, body: &[u8]) -> Result<Value, OaError> {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let Some(Value::Object(map)) = parsed else {
        let detail: String = String::from_utf8_lossy(body).chars().take(200).collect();
        return Err(OaError::BadResponse { status, detail });
    };
    let code = map.get("error").and_then(as_i64).unwrap_or(0);
    let message: String = map
        .get("message")
        .or_else(|| map.get("error_description"))
        .or_else(|| map.get("error_name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    if code != 0 {
        return Err(OaError::Api {
            status,
            code,
            message,
        });
    }
    if !(200..300).contains(&status) {
        return Err(OaError::BadResponse {
            status,
            detail: message,
        });
    }
    Ok(Value::Object(map))
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An id as a string (Zalo sends strings; numbers are accepted too).
fn id_string(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty() && s.len() <= 64 && !s.contains(char::is_whitespace)).then_some(s)
}

/// The OA API client. Tokens never reach a log (reqwest errors lose their URL, and
/// the access token travels in a header).
#[derive(Clone)]
pub struct OaClient {
    http: reqwest::Client,
    api: String,
    oauth: String,
    zns: String,
    app_id: String,
    secret_key: String,
}

impl std::fmt::Debug for OaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OaClient")
            .field("api", &self.api)
            .finish_non_exhaustive()
    }
}

impl OaClient {
    pub fn new(cfg: &ZaloOaConfig) -> anyhow::Result<Self> {
        cfg.validate()?;
        Ok(OaClient {
            http: reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .build()?,
            api: cfg.api_url.trim_end_matches('/').to_string(),
            oauth: cfg.oauth_url.trim_end_matches('/').to_string(),
            zns: cfg.zns_url.trim_end_matches('/').to_string(),
            app_id: cfg.app_id.clone(),
            secret_key: cfg.secret_key.clone(),
        })
    }

    /// Spend `refresh_token` for a new pair. Zalo answers
    /// `{access_token, refresh_token, expires_in}` (seconds, as a string).
    pub async fn refresh(&self, refresh_token: &str, now: i64) -> Result<Tokens, OaError> {
        let response = self
            .http
            .post(format!("{}/v4/oa/access_token", self.oauth))
            .header("secret_key", &self.secret_key)
            .form(&[
                ("refresh_token", refresh_token),
                ("app_id", self.app_id.as_str()),
                ("grant_type", "refresh_token"),
            ])
            .timeout(CALL_TIMEOUT)
            .send()
            .await
            .map_err(|e| OaError::Network(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| OaError::Network(e.without_url().to_string()))?;
        let v = parse_answer(status, &body)?;
        let access = v.get("access_token").and_then(Value::as_str).unwrap_or("");
        let refresh = v.get("refresh_token").and_then(Value::as_str).unwrap_or("");
        let expires_in = v.get("expires_in").and_then(as_i64).unwrap_or(0);
        if access.is_empty() || refresh.is_empty() || expires_in <= 0 {
            return Err(OaError::BadResponse {
                status,
                detail: "no token pair in the answer".into(),
            });
        }
        Ok(Tokens {
            access_token: access.to_string(),
            refresh_token: refresh.to_string(),
            access_expires_at: now + expires_in.min(30 * 86_400) * 1000,
        })
    }

    /// `POST /v3.0/oa/message/cs` with `message` to `user_id`.
    pub async fn send_cs(
        &self,
        access_token: &str,
        user_id: &str,
        message: &Value,
    ) -> Result<Value, OaError> {
        let response = self
            .http
            .post(format!("{}/v3.0/oa/message/cs", self.api))
            .header("access_token", access_token)
            .json(&json!({ "recipient": { "user_id": user_id }, "message": message }))
            .timeout(CALL_TIMEOUT)
            .send()
            .await
            .map_err(|e| OaError::Network(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| OaError::Network(e.without_url().to_string()))?;
        parse_answer(status, &body)
    }
}

impl OaClient {
    /// `GET /v3.0/oa/user/detail?data={"user_id": …}`: the user's profile.
    pub async fn user_detail(
        &self,
        access_token: &str,
        user_id: &str,
    ) -> Result<OaProfile, OaError> {
        let data = json!({ "user_id": user_id }).to_string();
        let response = self
            .http
            .get(format!("{}/v3.0/oa/user/detail", self.api))
            .query(&[("data", data.as_str())])
            .header("access_token", access_token)
            .timeout(CALL_TIMEOUT)
            .send()
            .await
            .map_err(|e| OaError::Network(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| OaError::Network(e.without_url().to_string()))?;
        parse_answer(status, &body).map(|v| parse_profile(&v))
    }

    /// `POST {zns}/message/template`: a ZNS template message to a phone number.
    pub async fn send_zns(
        &self,
        access_token: &str,
        phone: &ZnsPhone,
        template: &ZnsTemplateId,
        data: &Value,
        tracking_id: &str,
    ) -> Result<Value, OaError> {
        let response = self
            .http
            .post(format!("{}/message/template", self.zns))
            .header("access_token", access_token)
            .json(&json!({
                "phone": phone.as_str(),
                "template_id": template.as_str(),
                "template_data": data,
                "tracking_id": tracking_id,
            }))
            .timeout(CALL_TIMEOUT)
            .send()
            .await
            .map_err(|e| OaError::Network(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| OaError::Network(e.without_url().to_string()))?;
        parse_answer(status, &body)
    }
}

/// Whether the error says the access token is no good (refresh, then retry once).
fn is_token_error(e: &OaError) -> bool {
    matches!(
        e,
        OaError::Api {
            code: -216 | -124,
            ..
        }
    )
}

/// Map a failed send to what the sender does with the message (see the module doc).
pub fn classify(e: &OaError, cfg: &ZaloOaConfig) -> DeliveryOutcome {
    match e {
        OaError::Api { code, .. } => match code {
            -213 => DeliveryOutcome::Unreachable(e.to_string()),
            -230 | -232 | -320 => DeliveryOutcome::OutsideWindow(e.to_string()),
            -32 => DeliveryOutcome::RetryAfter(cfg.rate_limit_pause),
            // Still no good after a refresh: the bot's problem, not the message's.
            -216 | -124 => DeliveryOutcome::RetryAfter(cfg.token_pause),
            -201 | -210 => DeliveryOutcome::Permanent(e.to_string()),
            // Unknown: retried with backoff up to the attempts limit, then failed.
            _ => DeliveryOutcome::Transient(e.to_string()),
        },
        OaError::Network(_) | OaError::BadResponse { .. } => {
            DeliveryOutcome::Transient(e.to_string())
        }
    }
}

/// `YYYY-MM` in Vietnam (the month paid sends are capped by).
pub fn month_of(ms: i64) -> String {
    use chrono::TimeZone;
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    match tz.timestamp_millis_opt(ms) {
        chrono::LocalResult::Single(t) => t.format("%Y-%m").to_string(),
        _ => "0000-00".to_string(),
    }
}

/// What the window allows for a user now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Free,
    /// Between 48 hours and 7 days: sendable if paid for.
    Paid,
    Closed,
}

pub fn window(last_inbound_at: i64, now: i64) -> Window {
    let age = now - last_inbound_at;
    if age < FREE_WINDOW_MS - WINDOW_MARGIN_MS {
        Window::Free
    } else if age < PAID_WINDOW_MS - WINDOW_MARGIN_MS {
        Window::Paid
    } else {
        Window::Closed
    }
}

#[derive(Clone)]
pub struct ZaloOaTransport {
    pub client: OaClient,
    store: Store,
    cfg: ZaloOaConfig,
    /// One refresh at a time in this process (another instance never refreshes: only
    /// the elected sender does).
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

impl ZaloOaTransport {
    pub fn new(client: OaClient, store: Store, cfg: ZaloOaConfig) -> Self {
        ZaloOaTransport {
            client,
            store,
            cfg,
            refreshing: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// A usable access token. Read from the database each time (leadership can move
    /// between instances). Refreshed when less than an hour is left, or when Zalo
    /// refused `rejected`. A refresh spends the stored refresh token; the new pair is
    /// written by one compare-and-swap statement as soon as Zalo answers (no lock is
    /// held across the call: on SQLite that would stop every writer for as long as
    /// Zalo takes). If Zalo's answer is lost (a network failure, a crash of this
    /// process between its answer and that statement) the stored pair stays the old,
    /// consistent one: its access token works until it expires, and the log and the
    /// `zalo_oa_tokens.failure` column say a new ZALO_OA_REFRESH_TOKEN is needed.
    pub async fn access_token(&self, rejected: Option<&str>) -> Result<String, DeliveryOutcome> {
        let pause = |e: String| {
            tracing::error!(error = %e, "zalo oa: no usable access token; OA sending paused");
            DeliveryOutcome::RetryAfter(self.cfg.token_pause)
        };
        let usable = |t: &Tokens, now: i64| {
            !t.access_token.is_empty()
                && t.access_expires_at - now > REFRESH_MARGIN_MS
                && rejected != Some(t.access_token.as_str())
        };
        let stored = self
            .store
            .zalo_oa_tokens()
            .await
            .map_err(|e| pause(e.to_string()))?;
        let Some(stored) = stored else {
            return Err(pause(
                "no token pair stored (set ZALO_OA_REFRESH_TOKEN)".into(),
            ));
        };
        if usable(&stored, now_ms()) {
            return Ok(stored.access_token);
        }
        let _one = self.refreshing.lock().await;
        // Someone refreshed while we waited.
        let stored = match self.store.zalo_oa_tokens().await {
            Ok(Some(t)) => t,
            Ok(None) => return Err(pause("no token pair stored".into())),
            Err(e) => return Err(pause(e.to_string())),
        };
        let now = now_ms();
        if usable(&stored, now) {
            return Ok(stored.access_token);
        }
        match self.client.refresh(&stored.refresh_token, now).await {
            Ok(new) => {
                match self
                    .store
                    .zalo_oa_swap_tokens(&stored.refresh_token, &new, now_ms())
                    .await
                {
                    Ok(true) => {
                        metrics::counter!("congdoan_zalo_oa_token_refreshes_total").increment(1);
                        tracing::info!(
                            expires_in_secs = (new.access_expires_at - now) / 1000,
                            "zalo oa access token refreshed"
                        );
                        Ok(new.access_token)
                    }
                    Ok(false) => Err(pause("the stored pair changed during the refresh".into())),
                    Err(e) => {
                        // The database refused the new pair: the one we hold is the only
                        // copy. Keep using it in this process; the log says so.
                        tracing::error!(error = %e, "zalo oa: cannot store the refreshed token pair");
                        Ok(new.access_token)
                    }
                }
            }
            Err(e) => {
                metrics::counter!("congdoan_zalo_oa_token_refresh_failures_total").increment(1);
                let _ = self.store.zalo_oa_refresh_failed(&e.to_string(), now).await;
                tracing::error!(
                    error = %e,
                    "zalo oa: the token refresh failed; if Zalo says the refresh token is invalid, get a new one and set ZALO_OA_REFRESH_TOKEN"
                );
                // The old access token still works until it expires (unless Zalo just
                // refused it).
                if !stored.access_token.is_empty()
                    && stored.access_expires_at > now
                    && rejected != Some(stored.access_token.as_str())
                {
                    Ok(stored.access_token)
                } else {
                    Err(pause(e.to_string()))
                }
            }
        }
    }

    /// Refresh ahead of time when due (the elected sender calls this now and then, so
    /// an idle OA keeps its refresh token alive), and forget old non-member users.
    pub async fn keep_fresh(&self) {
        let _ = self.access_token(None).await;
        if let Err(e) = self.store.zalo_oa_sweep(now_ms()).await {
            tracing::warn!(error = %e, "zalo oa: cannot forget old non-member users");
        }
        if let Err(e) = self.store.zalo_oa_sweep_images(now_ms()).await {
            tracing::warn!(error = %e, "zalo oa: cannot drop expired images");
        }
    }

    /// Ask Zalo for the profiles of the users whose name is unknown (newcomers who
    /// wrote or followed; a failure is retried at most once a day) and keep the names.
    /// Runs beside the sender, never in a message's way: a failure leaves the name empty.
    /// Returns how many profiles were asked for.
    pub async fn fetch_profiles(&self) -> usize {
        let mut asked = 0;
        // Rounds until fewer are due than a round takes (a burst of newcomers), at
        // most 50 rounds per wake.
        for _ in 0..50 {
            let n = self.fetch_profiles_round().await;
            asked += n;
            if n < PROFILES_PER_ROUND as usize {
                break;
            }
        }
        asked
    }

    async fn fetch_profiles_round(&self) -> usize {
        let due = match self
            .store
            .zalo_oa_profiles_due(now_ms(), PROFILES_PER_ROUND)
            .await
        {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "zalo oa: cannot read the profiles to ask for");
                return 0;
            }
        };
        if due.is_empty() {
            return 0;
        }
        // Only with a token that works now: refreshing is the sender's (and
        // `keep_fresh`'s) work, so a failing refresh is never retried once per webhook.
        // Without one nobody is marked: the next round tries again.
        let token = match self.store.zalo_oa_tokens().await {
            Ok(Some(t)) if !t.access_token.is_empty() && t.access_expires_at > now_ms() => {
                t.access_token
            }
            _ => return 0,
        };
        let mut asked = 0;
        for user in due {
            let profile = match self.client.user_detail(&token, &user).await {
                Ok(p) => p,
                // The token, not the user: leave them due until it is refreshed.
                Err(e) if is_token_error(&e) => return 0,
                Err(e) => {
                    metrics::counter!("congdoan_zalo_oa_profile_failures_total").increment(1);
                    tracing::warn!(error = %e, "zalo oa: profile not read; the name stays empty and is asked for again tomorrow");
                    OaProfile::default()
                }
            };
            asked += 1;
            if let Err(e) = self
                .store
                .zalo_oa_profile_checked(
                    &user,
                    profile.display_name.as_deref(),
                    profile.phone.as_ref().map(ZnsPhone::as_str),
                    now_ms(),
                )
                .await
            {
                tracing::warn!(error = %e, "zalo oa: cannot store a profile");
            }
        }
        asked
    }

    /// The base URL Zalo fetches images from, when there is one.
    async fn image_base(&self) -> Option<String> {
        let base = self
            .store
            .setting(IMAGE_BASE_SETTING)
            .await
            .ok()
            .flatten()?;
        (base.starts_with("https://") || (self.cfg.images_over_http && base.starts_with("http://")))
            .then(|| base.trim_end_matches('/').to_string())
    }

    /// An image the bot made (a chart) becomes a photo by URL: kept under a fresh
    /// random token that only this message carries, served by `/oa-image/<token>.png`
    /// until it expires. Without a public https URL the caption goes as text (the
    /// roll-up text before it carries the figures, as on the Zalo bot).
    async fn upload_by_url(&self, body: &Outbound) -> Result<Outbound, DeliveryOutcome> {
        let Outbound::Upload {
            kind: MediaKind::Photo,
            data_base64,
            caption,
            ..
        } = body
        else {
            return Ok(body.clone());
        };
        let Some(base) = self.image_base().await else {
            return Ok(Outbound::Message {
                text: caption.clone(),
                buttons: vec![],
            });
        };
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data_base64.as_bytes())
            .map_err(|_| DeliveryOutcome::Permanent("zalo oa: undecodable image".into()))?;
        let (content_type, ext) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            ("image/png", "png")
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            ("image/jpeg", "jpg")
        } else {
            return Err(DeliveryOutcome::Permanent(
                "zalo oa: only png and jpeg images are sent".into(),
            ));
        };
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(DeliveryOutcome::Permanent(
                "zalo oa: image too large".into(),
            ));
        }
        let token = crate::web::session::random_token();
        let now = now_ms();
        self.store
            .zalo_oa_put_image(
                &crate::web::session::hash(&token),
                &crate::store::zalo_oa::OaImage {
                    content_type: content_type.to_string(),
                    data_base64: data_base64.clone(),
                },
                now,
                now + IMAGE_TTL_MS,
            )
            .await
            .map_err(|e| DeliveryOutcome::Transient(format!("zalo oa: {e}")))?;
        Ok(Outbound::Media {
            kind: MediaKind::Photo,
            file_id: format!("{base}/oa-image/{token}.{ext}"),
            caption: caption.clone(),
            buttons: vec![],
        })
    }

    /// A commitment reminder (a request to sign, once the campaign's reminders have
    /// begun) that may not go as "tin tư vấn" (outside the window) goes as the configured
    /// ZNS template to the member's phone, when there is one and the OA is their only
    /// account. `None`: not sent that way (not configured,
    /// not a reminder, no phone, or ZNS refused): the message waits as before.
    async fn try_zns(&self, user_id: &str, body: &Outbound) -> Option<DeliveryOutcome> {
        let template = self.cfg.zns_reminder_template.as_ref()?;
        let campaign_id = sign_request(body)?;
        let target = match self.store.zalo_oa_zns_target(user_id, campaign_id).await {
            Ok(t) => t?,
            Err(e) => {
                tracing::warn!(error = %e, "zalo oa: cannot read a zns recipient");
                return None;
            }
        };
        let phone = ZnsPhone::parse(&target.phone).ok()?;
        let clip = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let data = json!({
            "name": clip(target.name.trim(), 30),
            "title": clip(target.title.trim(), 100),
            "deadline": crate::core::time::format_date(target.deadline_at),
        });
        let tracking = format!("cm{campaign_id}-{}", now_ms());
        let mut token = self.access_token(None).await.ok()?;
        let mut sent = self
            .client
            .send_zns(&token, &phone, template, &data, &tracking)
            .await;
        if let Err(e) = &sent
            && is_token_error(e)
        {
            token = self.access_token(Some(&token)).await.ok()?;
            sent = self
                .client
                .send_zns(&token, &phone, template, &data, &tracking)
                .await;
        }
        match sent {
            Ok(_) => {
                metrics::counter!("congdoan_zalo_oa_zns_total", "result" => "sent").increment(1);
                Some(DeliveryOutcome::Sent)
            }
            Err(e) => {
                metrics::counter!("congdoan_zalo_oa_zns_total", "result" => "failed").increment(1);
                tracing::warn!(error = %e, "zalo oa: zns reminder not sent; the message waits for the member");
                None
            }
        }
    }

    /// One message to Zalo, with one refresh-and-retry on a token error.
    async fn send_one(&self, user_id: &str, message: &Value) -> Result<(), DeliveryOutcome> {
        let token = self.access_token(None).await?;
        match self.client.send_cs(&token, user_id, message).await {
            Ok(_) => Ok(()),
            Err(e) if is_token_error(&e) => {
                tracing::warn!(error = %e, "zalo oa refused the access token; refreshing");
                let token = self.access_token(Some(&token)).await?;
                match self.client.send_cs(&token, user_id, message).await {
                    Ok(_) => Ok(()),
                    Err(e) => Err(classify(&e, &self.cfg)),
                }
            }
            Err(e) => Err(classify(&e, &self.cfg)),
        }
    }

    /// The messages `body` becomes on the OA; `Err` when it cannot go there at all.
    fn messages(body: &Outbound) -> Result<Vec<Value>, DeliveryOutcome> {
        let texts = |html: &str| -> Vec<Value> {
            let plain = html_to_plain(html);
            split_message(plain.trim(), MAX_MESSAGE_CHARS)
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .map(|p| json!({ "text": p }))
                .collect()
        };
        match body {
            Outbound::Message { text, .. } | Outbound::Progress { text, .. } => Ok(texts(text)),
            Outbound::AnswerCallback { .. } => Ok(vec![]),
            Outbound::Media {
                kind: MediaKind::Photo,
                file_id,
                caption,
                ..
            } if super::zalo::is_photo_url(file_id) => {
                let mut parts = texts(caption);
                let first_caption = parts
                    .first()
                    .and_then(|p| p.get("text"))
                    .cloned()
                    .unwrap_or(json!(""));
                let photo = json!({
                    "text": first_caption,
                    "attachment": { "type": "template", "payload": {
                        "template_type": "media",
                        "elements": [{ "media_type": "image", "url": file_id.trim() }]
                    }}
                });
                if !parts.is_empty() {
                    parts.remove(0);
                }
                parts.insert(0, photo);
                Ok(parts)
            }
            Outbound::Edit { .. } => Err(DeliveryOutcome::Permanent(
                "zalo oa cannot edit messages".into(),
            )),
            Outbound::Document { .. } | Outbound::Media { .. } | Outbound::Upload { .. } => Err(
                DeliveryOutcome::Permanent("zalo oa: files are not sent on this channel".into()),
            ),
        }
    }

    pub async fn deliver(&self, chat_id: &str, body: &Outbound) -> DeliveryOutcome {
        let outcome = self.deliver_cs(chat_id, body).await;
        if let DeliveryOutcome::OutsideWindow(_) = &outcome
            && let Some(zns) = self.try_zns(chat_id, body).await
        {
            return zns;
        }
        outcome
    }

    /// As "tin tư vấn", within the rules of the window.
    async fn deliver_cs(&self, chat_id: &str, body: &Outbound) -> DeliveryOutcome {
        if chat_id.trim().is_empty() {
            return DeliveryOutcome::Permanent("empty zalo oa user id".into());
        }
        let image = matches!(
            body,
            Outbound::Upload {
                kind: MediaKind::Photo,
                ..
            }
        );
        if !image {
            match Self::messages(body) {
                Ok(m) if m.is_empty() => return DeliveryOutcome::Sent,
                Ok(_) => {}
                Err(outcome) => return outcome,
            }
        }
        let now = now_ms();
        let user = match self.store.zalo_oa_user(chat_id).await {
            Ok(u) => u,
            Err(e) => return DeliveryOutcome::Transient(format!("zalo oa: {e}")),
        };
        let Some(user) = user else {
            return DeliveryOutcome::OutsideWindow(
                "zalo oa: the user never wrote to the OA".into(),
            );
        };
        if !user.followed {
            return DeliveryOutcome::Unreachable("zalo oa: the user does not follow the OA".into());
        }
        let mut paid_month = None;
        match window(user.last_inbound_at, now) {
            Window::Free => {}
            Window::Paid if self.cfg.paid => {
                let month = month_of(now);
                match self
                    .store
                    .zalo_oa_reserve_paid(&month, self.cfg.paid_monthly_cap)
                    .await
                {
                    Ok(true) => paid_month = Some(month),
                    Ok(false) => {
                        return DeliveryOutcome::OutsideWindow(
                            "outside 48 hours: this month's paid messages are used up".into(),
                        );
                    }
                    Err(e) => return DeliveryOutcome::Transient(format!("zalo oa: {e}")),
                }
            }
            Window::Paid => {
                return DeliveryOutcome::OutsideWindow(
                    "outside 48 hours (paid sending is off)".into(),
                );
            }
            Window::Closed => {
                return DeliveryOutcome::OutsideWindow("outside 7 days".into());
            }
        }
        // An image the bot made is kept for Zalo to fetch only once it may be sent.
        let prepared = if image {
            self.upload_by_url(body).await
        } else {
            Ok(body.clone())
        };
        let messages = match prepared.and_then(|b| Self::messages(&b)) {
            Ok(m) => m,
            Err(o) => {
                if let Some(month) = &paid_month {
                    let _ = self.store.zalo_oa_release_paid(month).await;
                }
                return o;
            }
        };
        let mut outcome = DeliveryOutcome::Sent;
        for m in &messages {
            if let Err(o) = self.send_one(chat_id, m).await {
                outcome = o;
                break;
            }
        }
        if outcome != DeliveryOutcome::Sent
            && let Some(month) = &paid_month
        {
            let _ = self.store.zalo_oa_release_paid(month).await;
        }
        if paid_month.is_some() && outcome == DeliveryOutcome::Sent {
            metrics::counter!("congdoan_zalo_oa_paid_messages_total").increment(1);
        }
        outcome
    }
}

/// The commitment a message asks its reader to sign (its «Tôi cam kết» button): a
/// commitment's announcement or reminder.
fn sign_request(body: &Outbound) -> Option<i64> {
    let Outbound::Message { buttons, .. } = body else {
        return None;
    };
    buttons.iter().flatten().find_map(|b| {
        match b.data.parse::<crate::core::actions::CommitmentAction>() {
            Ok(crate::core::actions::CommitmentAction::Sign { campaign_id, .. }) => {
                Some(campaign_id)
            }
            _ => None,
        }
    })
}

/// What a verified webhook event asks of us.
#[derive(Debug, Clone, PartialEq)]
pub enum OaEvent {
    /// A message for the inbox (its sender interacted: the window starts again).
    Message(InboundEvent),
    Follow {
        user_id: String,
        at: i64,
    },
    Unfollow {
        user_id: String,
        at: i64,
    },
    /// Well-formed, nothing to do (the OA's own sends, "seen" receipts, …).
    Ignored,
}

/// The signature Zalo puts in `X-ZEvent-Signature`, without the `mac=`.
pub fn signature(app_id: &str, body: &[u8], timestamp: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(app_id.as_bytes());
    h.update(body);
    h.update(timestamp.as_bytes());
    h.update(secret.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The body's timestamp as sent (the signature covers its text) and as epoch ms.
fn timestamp_of(v: &Value) -> Option<(String, i64)> {
    let raw = match v.get("timestamp")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let ms: i64 = raw.trim().parse().ok().filter(|ms| *ms > 0)?;
    // Seconds in some answers.
    let ms = if ms < 100_000_000_000 {
        ms.checked_mul(1000)?
    } else {
        ms
    };
    Some((raw, ms))
}

/// Why a webhook call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooLarge,
    BadSignature,
    NotOurApp,
    Stale,
    Malformed,
}

impl Refusal {
    pub fn status(self) -> StatusCode {
        match self {
            Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::BadSignature => StatusCode::UNAUTHORIZED,
            Refusal::NotOurApp | Refusal::Stale => StatusCode::FORBIDDEN,
            Refusal::Malformed => StatusCode::BAD_REQUEST,
        }
    }
}

/// Check a webhook call (size, signature, app, freshness) and read its event.
pub fn verify_and_read(
    cfg: &ZaloOaConfig,
    headers: &HeaderMap,
    body: &[u8],
    now: i64,
) -> Result<OaEvent, Refusal> {
    if body.len() > MAX_WEBHOOK_BYTES {
        return Err(Refusal::TooLarge);
    }
    let given = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .and_then(|v| v.strip_prefix("mac="))
        .map(|v| v.trim().to_ascii_lowercase())
        .ok_or(Refusal::BadSignature)?;
    let v: Value = serde_json::from_slice(body).map_err(|_| Refusal::Malformed)?;
    if !v.is_object() {
        return Err(Refusal::Malformed);
    }
    let (raw_ts, ts) = timestamp_of(&v).ok_or(Refusal::Malformed)?;
    let expected = signature(&cfg.app_id, body, &raw_ts, &cfg.webhook_secret);
    if !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return Err(Refusal::BadSignature);
    }
    if id_string(v.get("app_id")).as_deref() != Some(cfg.app_id.as_str()) {
        return Err(Refusal::NotOurApp);
    }
    if now.saturating_sub(ts).saturating_abs() > MAX_SKEW_MS {
        return Err(Refusal::Stale);
    }
    normalize(&v, ts).ok_or(Refusal::Malformed)
}

/// Turn a (verified) OA event into what we do with it; `None` when it is malformed.
pub fn normalize(v: &Value, at: i64) -> Option<OaEvent> {
    let event = v.get("event_name").and_then(Value::as_str)?;
    match event {
        "follow" | "unfollow" => {
            let user_id = id_string(v.get("follower").and_then(|f| f.get("id")))
                .or_else(|| id_string(v.get("user_id_by_app")))?;
            Some(if event == "follow" {
                OaEvent::Follow { user_id, at }
            } else {
                OaEvent::Unfollow { user_id, at }
            })
        }
        e if e.starts_with("user_send_") => {
            let user_id = id_string(v.get("sender").and_then(|s| s.get("id")))?;
            let msg = v.get("message").filter(|m| m.is_object())?;
            let msg_id = id_string(msg.get("msg_id"))?;
            let text = msg
                .get("text")
                .and_then(Value::as_str)
                .map(|t| t.chars().take(MAX_TEXT_CHARS).collect::<String>());
            let attachment = msg
                .get("attachments")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|a| a.get("payload"));
            let payload = match e {
                "user_send_text" => Payload::Text { text: text? },
                "user_send_image" => {
                    let url = attachment
                        .and_then(|p| p.get("url"))
                        .and_then(Value::as_str)
                        .filter(|u| super::zalo::is_photo_url(u) && u.len() <= 2048)?;
                    Payload::Photo {
                        file_id: url.trim().to_string(),
                        caption: text.filter(|t| !t.trim().is_empty()),
                    }
                }
                "user_send_location" => {
                    let c = attachment.and_then(|p| p.get("coordinates"))?;
                    let latitude = c.get("latitude").and_then(as_f64)?;
                    let longitude = c.get("longitude").and_then(as_f64)?;
                    if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude)
                    {
                        return None;
                    }
                    Payload::Location {
                        latitude,
                        longitude,
                    }
                }
                "user_send_audio" => Payload::Unsupported {
                    kind: "voice".into(),
                },
                other => Payload::Unsupported {
                    kind: other
                        .strip_prefix("user_send_")
                        .filter(|k| !k.is_empty() && k.len() <= 32)
                        .unwrap_or("other")
                        .to_string(),
                },
            };
            Some(OaEvent::Message(InboundEvent {
                channel: Channel::ZaloOa,
                update_id: format!("{user_id}:{msg_id}"),
                chat_id: user_id.clone(),
                chat_kind: ChatKind::Private,
                from: Some(Person {
                    id: user_id,
                    // OA events carry no name (the profile is another API call).
                    display_name: String::new(),
                    username: None,
                    lang_hint: None,
                }),
                payload,
                sent_at: Some(at),
            }))
        }
        // The OA's own messages, receipts, and the rest.
        _ => Some(OaEvent::Ignored),
    }
}

/// The webhook: verify, then store the event and the user's interaction in one
/// transaction, and only then answer 200. A database failure answers 500 so Zalo
/// delivers again; a refusal stores nothing.
pub async fn accept_webhook(
    store: &Store,
    hook: &OaWebhook,
    inbox_ready: &Notify,
    headers: &HeaderMap,
    body: &[u8],
) -> StatusCode {
    let (i18n, cfg) = (&*hook.i18n, &hook.cfg);
    let (outbox_ready, profiles_due) = (&hook.outbox_ready, &hook.profiles_due);
    let now = now_ms();
    let event = match verify_and_read(cfg, headers, body, now) {
        Ok(e) => e,
        Err(r) => {
            metrics::counter!("congdoan_webhook_refused_total", "channel" => "zalo_oa")
                .increment(1);
            tracing::warn!(refusal = ?r, "zalo oa webhook refused");
            return r.status();
        }
    };
    let stored = store_event(store, i18n, &event, now).await;
    match stored {
        Ok((new, released)) => {
            if new {
                metrics::counter!("congdoan_updates_received_total", "channel" => "zalo_oa")
                    .increment(1);
                inbox_ready.notify_waiters();
            }
            if released > 0 {
                outbox_ready.notify_waiters();
            }
            // A newcomer's name is asked for beside, never in the way of, their message.
            if (new && matches!(event, OaEvent::Message(_)))
                || matches!(event, OaEvent::Follow { .. })
            {
                profiles_due.notify_one();
            }
            StatusCode::OK
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot store zalo oa webhook event");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// `(stored a new inbox row, messages released)`.
async fn store_event(
    store: &Store,
    i18n: &crate::i18n::I18n,
    event: &OaEvent,
    now: i64,
) -> Result<(bool, i64), crate::store::StoreError> {
    use crate::store::zalo_oa;
    let mut tx = store.begin().await?;
    let result = match event {
        OaEvent::Ignored => (false, 0),
        OaEvent::Message(ev) => {
            let payload = serde_json::to_string(ev).unwrap_or_default();
            let n = sqlx::query(
                "INSERT INTO inbox (channel, update_id, chat_id, payload, status, received_at, sent_at)
                 VALUES ($1, $2, $3, $4, 'pending', $5, $6)
                 ON CONFLICT (channel, update_id) DO NOTHING",
            )
            .bind(ev.channel.as_str())
            .bind(&ev.update_id)
            .bind(&ev.chat_id)
            .bind(payload)
            .bind(now)
            .bind(ev.sent_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                // A redelivery, or a replay inside the five minutes: already here.
                (false, 0)
            } else {
                let at = ev.sent_at.unwrap_or(now).min(now);
                let released = zalo_oa::interacted(&mut tx, i18n, &ev.chat_id, at, now).await?;
                (true, released)
            }
        }
        OaEvent::Follow { user_id, at } => {
            let released = zalo_oa::interacted(&mut tx, i18n, user_id, (*at).min(now), now).await?;
            (false, released)
        }
        OaEvent::Unfollow { user_id, at } => {
            zalo_oa::unfollowed(&mut tx, user_id, (*at).min(now)).await?;
            (false, 0)
        }
    };
    tx.commit().await?;
    Ok(result)
}

/// Shared by the HTTP route.
pub struct OaWebhook {
    pub cfg: ZaloOaConfig,
    pub i18n: Arc<crate::i18n::I18n>,
    pub outbox_ready: Arc<Notify>,
    /// Wakes the profile job (a user wrote or followed).
    pub profiles_due: Arc<Notify>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> ZaloOaConfig {
        ZaloOaConfig::new("3608465249", "app-secret", "oa-secret")
    }

    fn signed(body: &str, ts: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        let mac = signature("3608465249", body.as_bytes(), ts, "oa-secret");
        h.insert(
            SIGNATURE_HEADER,
            format!("mac={mac}").parse().expect("header"),
        );
        h
    }

    #[test]
    fn signatures_app_and_freshness() {
        let now = 1_750_000_000_000_i64;
        let ts = now.to_string();
        let body = format!(
            r#"{{"app_id":"3608465249","event_name":"user_send_text","timestamp":"{ts}","sender":{{"id":"u1"}},"recipient":{{"id":"oa"}},"message":{{"msg_id":"m1","text":"Xin chào"}}}}"#
        );
        let ev =
            verify_and_read(&cfg(), &signed(&body, &ts), body.as_bytes(), now).expect("accepted");
        let OaEvent::Message(ev) = ev else {
            panic!("{ev:?}")
        };
        assert_eq!(ev.channel, Channel::ZaloOa);
        assert_eq!(ev.update_id, "u1:m1");
        assert_eq!(
            ev.payload,
            Payload::Text {
                text: "Xin chào".into()
            }
        );
        // Tampered body, wrong secret, no header, stale, someone else's app.
        let tampered = body.replace("Xin chào", "Xin chao");
        assert_eq!(
            verify_and_read(&cfg(), &signed(&body, &ts), tampered.as_bytes(), now),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify_and_read(&cfg(), &HeaderMap::new(), body.as_bytes(), now),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify_and_read(
                &cfg(),
                &signed(&body, &ts),
                body.as_bytes(),
                now + 6 * 60_000
            ),
            Err(Refusal::Stale)
        );
        let other = body.replace("3608465249", "999");
        let mut h = HeaderMap::new();
        let mac = signature("3608465249", other.as_bytes(), &ts, "oa-secret");
        h.insert(
            SIGNATURE_HEADER,
            format!("mac={mac}").parse().expect("header"),
        );
        assert_eq!(
            verify_and_read(&cfg(), &h, other.as_bytes(), now),
            Err(Refusal::NotOurApp)
        );
        let huge = "x".repeat(MAX_WEBHOOK_BYTES + 1);
        assert_eq!(
            verify_and_read(&cfg(), &signed(&huge, &ts), huge.as_bytes(), now),
            Err(Refusal::TooLarge)
        );
        for bad in [
            "",
            "null",
            "[]",
            "{}",
            r#"{"timestamp":{}}"#,
            "{\"timestamp\":\"x\"}",
        ] {
            assert!(
                verify_and_read(&cfg(), &signed(bad, &ts), bad.as_bytes(), now).is_err(),
                "{bad}"
            );
        }
        // Extreme timestamps, correctly signed: refused, no overflow.
        for raw in [
            "-9223372036854775808",
            "9223372036854775807",
            "99999999999",
            "0",
        ] {
            let body = format!(r#"{{"app_id":"3608465249","timestamp":"{raw}"}}"#);
            assert!(
                verify_and_read(&cfg(), &signed(&body, raw), body.as_bytes(), now).is_err(),
                "{raw}"
            );
        }
    }

    #[test]
    fn events_and_odd_shapes() {
        let at = 5;
        let img = json!({"event_name": "user_send_image", "sender": {"id": "u"},
            "message": {"msg_id": "m", "text": "cháy", "attachments": [{"type": "image",
            "payload": {"url": "https://f1.zdn.vn/a.jpg", "thumbnail": "x"}}]}});
        let Some(OaEvent::Message(ev)) = normalize(&img, at) else {
            panic!()
        };
        assert_eq!(
            ev.payload,
            Payload::Photo {
                file_id: "https://f1.zdn.vn/a.jpg".into(),
                caption: Some("cháy".into())
            }
        );
        let loc = json!({"event_name": "user_send_location", "sender": {"id": "u"},
            "message": {"msg_id": "m", "attachments": [{"type": "location",
            "payload": {"coordinates": {"latitude": "10.75", "longitude": "106.7"}}}]}});
        let Some(OaEvent::Message(ev)) = normalize(&loc, at) else {
            panic!()
        };
        assert_eq!(
            ev.payload,
            Payload::Location {
                latitude: 10.75,
                longitude: 106.7
            }
        );
        let sticker = json!({"event_name": "user_send_sticker", "sender": {"id": "u"},
            "message": {"msg_id": "m", "attachments": [{"type": "sticker", "payload": {"id": "s"}}]}});
        let Some(OaEvent::Message(ev)) = normalize(&sticker, at) else {
            panic!()
        };
        assert_eq!(
            ev.payload,
            Payload::Unsupported {
                kind: "sticker".into()
            }
        );
        assert_eq!(
            normalize(
                &json!({"event_name": "follow", "follower": {"id": "u"}}),
                at
            ),
            Some(OaEvent::Follow {
                user_id: "u".into(),
                at
            })
        );
        assert_eq!(
            normalize(
                &json!({"event_name": "unfollow", "follower": {"id": 7}}),
                at
            ),
            Some(OaEvent::Unfollow {
                user_id: "7".into(),
                at
            })
        );
        assert_eq!(
            normalize(&json!({"event_name": "oa_send_text"}), at),
            Some(OaEvent::Ignored)
        );
        for bad in [
            json!({}),
            json!({"event_name": 5}),
            json!({"event_name": "user_send_text", "sender": {"id": "u"}}),
            json!({"event_name": "user_send_text", "sender": {"id": "u"}, "message": {"msg_id": "m"}}),
            json!({"event_name": "user_send_text", "sender": {}, "message": {"msg_id": "m", "text": "x"}}),
            json!({"event_name": "user_send_image", "sender": {"id": "u"}, "message": {"msg_id": "m", "attachments": []}}),
            json!({"event_name": "user_send_location", "sender": {"id": "u"}, "message": {"msg_id": "m",
                "attachments": [{"payload": {"coordinates": {"latitude": "999", "longitude": "1"}}}]}}),
            json!({"event_name": "follow", "follower": {"id": ""}}),
        ] {
            assert_eq!(normalize(&bad, at), None, "{bad}");
        }
    }

    #[test]
    fn answers_and_error_codes() {
        let c = cfg();
        assert!(parse_answer(200, br#"{"error":0,"message":"Success","data":{}}"#).is_ok());
        let e = |code: i64| OaError::Api {
            status: 200,
            code,
            message: "x".into(),
        };
        // HTTP 200 with a non-zero error is a failure.
        assert_eq!(
            parse_answer(
                200,
                br#"{"error":-213,"message":"User has not followed OA"}"#
            ),
            Err(OaError::Api {
                status: 200,
                code: -213,
                message: "User has not followed OA".into()
            })
        );
        assert!(matches!(
            classify(&e(-213), &c),
            DeliveryOutcome::Unreachable(_)
        ));
        for code in [-230, -232, -320] {
            assert!(matches!(
                classify(&e(code), &c),
                DeliveryOutcome::OutsideWindow(_)
            ));
        }
        assert_eq!(
            classify(&e(-32), &c),
            DeliveryOutcome::RetryAfter(c.rate_limit_pause)
        );
        for code in [-201, -210] {
            assert!(matches!(
                classify(&e(code), &c),
                DeliveryOutcome::Permanent(_)
            ));
        }
        // A server error or an unreadable answer never marks anyone unreachable.
        let five = parse_answer(502, b"<html>Bad Gateway</html>").expect_err("502");
        assert!(matches!(classify(&five, &c), DeliveryOutcome::Transient(_)));
        let five = parse_answer(500, br#"{"message":"oops"}"#).expect_err("500");
        assert!(matches!(classify(&five, &c), DeliveryOutcome::Transient(_)));
        assert!(is_token_error(&e(-216)));
    }

    #[test]
    fn windows_and_months() {
        let h = 3_600_000;
        assert_eq!(window(0, 47 * h), Window::Free);
        assert_eq!(window(0, 48 * h), Window::Paid);
        assert_eq!(window(0, 6 * 24 * h), Window::Paid);
        assert_eq!(window(0, 7 * 24 * h), Window::Closed);
        // 31/12 20:00 UTC is already January in Vietnam.
        assert_eq!(month_of(1_767_211_200_000), "2026-01");
    }

    #[test]
    fn config_from_the_command_line() {
        use clap::Parser;
        let parse = |args: &[&str]| {
            let cli = crate::config::Cli::try_parse_from(
                ["congdoan-bot", "serve"].iter().chain(args.iter()),
            )
            .expect("parses");
            match cli.command {
                Some(crate::config::Command::Serve(a)) => ZaloOaConfig::from_args(&a),
                _ => panic!("serve"),
            }
        };
        assert!(parse(&[]).expect("off").is_none());
        // The app id alone is not enough: both secrets are needed.
        assert!(parse(&["--zalo-oa-app-id", "123"]).is_err());
        assert!(parse(&["--zalo-oa-app-id", "123", "--zalo-oa-secret-key", "s"]).is_err());
        let c = parse(&[
            "--zalo-oa-app-id",
            "123",
            "--zalo-oa-secret-key",
            "s",
            "--zalo-oa-webhook-secret",
            "w",
            "--zalo-oa-paid",
            "on",
            "--zalo-oa-paid-monthly-cap",
            "50",
        ])
        .expect("ok")
        .expect("on");
        assert_eq!(
            (c.api_url.as_str(), c.oauth_url.as_str()),
            (DEFAULT_API_URL, DEFAULT_OAUTH_URL)
        );
        assert!(c.paid && c.paid_monthly_cap == 50 && c.refresh_token.is_none());
        assert!(
            parse(&[
                "--zalo-oa-app-id",
                "12/3",
                "--zalo-oa-secret-key",
                "s",
                "--zalo-oa-webhook-secret",
                "w"
            ])
            .is_err()
        );
        assert!(
            crate::config::Cli::try_parse_from(["congdoan-bot", "serve", "--zalo-oa-paid", "yes"])
                .is_err()
        );
        // ZNS reminders: off unless a template id is given; a bad one stops the start.
        assert!(c.zns_reminder_template.is_none() && c.zns_url == DEFAULT_ZNS_URL);
        let zns = |id: &str| {
            parse(&[
                "--zalo-oa-app-id",
                "123",
                "--zalo-oa-secret-key",
                "s",
                "--zalo-oa-webhook-secret",
                "w",
                "--zalo-oa-zns-template-reminder",
                id,
            ])
        };
        assert_eq!(
            zns("248391")
                .expect("ok")
                .expect("on")
                .zns_reminder_template
                .map(|t| t.as_str().to_string())
                .as_deref(),
            Some("248391")
        );
        assert!(zns("24 8391").is_err());
    }

    #[test]
    fn phones_templates_and_profiles() {
        for (raw, want) in [
            ("0912 345 678", "84912345678"),
            ("+84 912.345.678", "84912345678"),
            ("84912345678", "84912345678"),
            ("912345678", "84912345678"),
            ("(028) 3829-1234", "842838291234"),
        ] {
            assert_eq!(
                ZnsPhone::parse(raw).map(|p| p.0),
                Ok(want.to_string()),
                "{raw}"
            );
        }
        for bad in [
            "",
            "0",
            "12345",
            "+1 415 555 0100",
            "0912a345678",
            "00912345678",
            "0912345678901234567890123",
            "٠٩١٢٣٤٥٦٧٨",
        ] {
            assert!(ZnsPhone::parse(bad).is_err(), "{bad}");
        }
        assert!(ZnsTemplateId::parse(" 248391 ").is_ok());
        for bad in ["", "24 83", "x/y", &"9".repeat(33)] {
            assert!(ZnsTemplateId::parse(bad).is_err(), "{bad}");
        }
        let p = parse_profile(
            &json!({"error": 0, "data": {"display_name": " Lan\u{0007} ",
            "shared_info": {"phone": 84912345678_i64}}}),
        );
        assert_eq!(p.display_name.as_deref(), Some("Lan"));
        assert_eq!(p.phone.map(|p| p.0).as_deref(), Some("84912345678"));
        for odd in [
            json!(null),
            json!({"data": []}),
            json!({"data": {"display_name": 5, "shared_info": {"phone": "abc"}}}),
            json!({"data": {"display_name": "   "}}),
        ] {
            assert_eq!(parse_profile(&odd), OaProfile::default(), "{odd}");
        }
        let long = parse_profile(&json!({"data": {"display_name": "ă".repeat(500)}}));
        assert_eq!(long.display_name.map(|n| n.chars().count()), Some(100));
    }

    #[test]
    fn reminders_are_known_by_their_sign_button() {
        use crate::core::event::Button;
        let with = |data: &str| Outbound::Message {
            text: "x".into(),
            buttons: vec![vec![Button {
                label: "Tôi cam kết".into(),
                data: data.into(),
            }]],
        };
        assert_eq!(sign_request(&with("cm:sign:7:2")), Some(7));
        assert_eq!(sign_request(&with("ack:d:7")), None);
        assert_eq!(sign_request(&with("cm:sign:x:2")), None);
        assert_eq!(
            sign_request(&Outbound::Message {
                text: "x".into(),
                buttons: vec![]
            }),
            None
        );
    }

    #[test]
    fn configs_hide_secrets() {
        let c = cfg();
        let shown = format!("{c:?}");
        assert!(!shown.contains("app-secret") && !shown.contains("oa-secret"));
        let mut bad = cfg();
        bad.api_url = "ftp://x".into();
        assert!(bad.validate().is_err());
    }
}
