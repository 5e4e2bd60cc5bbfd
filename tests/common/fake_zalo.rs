//! A fake Zalo Bot API server that behaves like Zalo's documentation: real HTTP on
//! 127.0.0.1:0, the methods the bot uses with case-sensitive names (an unknown one is
//! a 400), Zalo's shapes (string ids, `{ok, result}` envelope, one update per
//! getUpdates and HTTP 408 when idle, no offset: an update handed out is gone),
//! Zalo's error table (a bad token is HTTP 200 with `ok:false, error_code:401`; 403 is
//! an internal server error; 429 is quota exceeded), `parse_mode: "html"` with its few
//! tags, `sendPhoto` captions of 1–2000 characters, `sendChatAction`, and setWebhook
//! calling the URL at once to verify it. Photos people "send" are served by the fake
//! itself (`/photos/...`). Every sent message is recorded. Plus [`ZaloApp`], the test
//! harness with the bot started against it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use congdoan_bot::app::ServeConfig;
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::{Backend, TestApp};

pub const ZALO_TOKEN: &str = "3154:zalo-test-token";
pub const ZALO_BOT_ID: &str = "zbot0f1e2d3c4b5a";

#[derive(Debug, Clone)]
pub struct ZSent {
    pub chat_id: String,
    /// What the person sees: in `html` mode the tags are gone.
    pub text: String,
    /// `parse_mode` as sent.
    pub parse_mode: Option<String>,
    /// The bold runs (`<b>…</b>` in html mode).
    pub bold: Vec<String>,
    /// sendPhoto: the photo's URL (`text` is then the caption, maybe empty).
    pub photo: Option<String>,
}

#[derive(Default)]
struct FakeState {
    queue: VecDeque<Value>,
    /// Every update pushed, by inbox key, for redelivery.
    pushed: HashMap<String, Value>,
    next_message_id: u64,
    sent: Vec<ZSent>,
    blocked: HashSet<String>,
    /// Answer the next N sends with 429 and a retry_after (flood control).
    flood_next: u32,
    /// Answer the next N sends with 502 (a proxy's non-JSON page).
    fail_next: u32,
    /// Answer the next N sends with 403, Zalo's "Internal server error".
    internal_next: u32,
    /// Answer the next N sends with 429 "Quota exceeded".
    quota_next: u32,
    /// While set, every send is answered 429 "Quota exceeded".
    quota_exhausted: bool,
    /// Chats whose next N messages get a 502.
    failing_chats: HashMap<String, u32>,
    /// Refuse `parse_mode` (as an older API version would).
    refuse_html: bool,
    webhook: Option<(String, String)>,
    /// What the verification call of the last setWebhook got.
    verification: Option<Value>,
    calls: HashMap<String, u64>,
    /// Sends and chat actions in order: "sendMessage:chat", "sendChatAction:chat".
    log: Vec<String>,
    /// Requests refused for a bad chat_id, text or caption length (the bot's bugs).
    refused: Vec<String>,
    /// Photos the fake serves: name → (content type, bytes).
    photos: HashMap<String, (String, Vec<u8>)>,
    photo_downloads: u64,
}

#[derive(Clone)]
pub struct FakeZalo {
    state: Arc<Mutex<FakeState>>,
    new_update: Arc<Notify>,
    pub addr: SocketAddr,
}

impl FakeZalo {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake zalo");
        let addr = listener.local_addr().expect("local addr");
        let fake = FakeZalo {
            state: Arc::new(Mutex::new(FakeState {
                next_message_id: 1,
                ..FakeState::default()
            })),
            new_update: Arc::new(Notify::new()),
            addr,
        };
        let router = Router::new()
            .route("/{bot}/{method}", post(handle))
            .route("/photos/{name}", get(photo))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        fake
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Give the update a fresh string message_id, queue it, return its inbox key.
    pub fn push(&self, update: Value) -> String {
        let (key, update) = self.stamp(update);
        {
            let mut s = self.lock();
            s.queue.push_back(update);
        }
        self.new_update.notify_waiters();
        key
    }

    /// Give the update a fresh message_id without queueing it (for webhook tests);
    /// returns the inbox key (`chat:message_id`) and the update.
    pub fn stamp(&self, mut update: Value) -> (String, Value) {
        let id = {
            let mut s = self.lock();
            let id = format!("{:020x}", 0x2d75_8cb5_e222_u64 + s.next_message_id);
            s.next_message_id += 1;
            id
        };
        self.stamp_as(&id, &mut update)
    }

    /// Give the update this message_id (Zalo's ids are not unique across chats).
    pub fn stamp_as(&self, message_id: &str, update: &mut Value) -> (String, Value) {
        update["message"]["message_id"] = json!(message_id);
        let chat = update["message"]["chat"]["id"].as_str().unwrap_or("");
        let key = congdoan_bot::channels::zalo::inbox_key(chat, message_id);
        self.lock().pushed.insert(key.clone(), update.clone());
        (key, update.clone())
    }

    /// Queue an update as it is (already stamped).
    pub fn push_stamped(&self, update: Value) {
        self.lock().queue.push_back(update);
        self.new_update.notify_waiters();
    }

    /// Hand the same update out again (Zalo delivering twice).
    pub fn push_again(&self, key: &str) {
        {
            let mut s = self.lock();
            let Some(u) = s.pushed.get(key).cloned() else {
                panic!("unknown update {key}");
            };
            s.queue.push_back(u);
        }
        self.new_update.notify_waiters();
    }

    pub fn queued(&self) -> usize {
        self.lock().queue.len()
    }

    pub fn sent(&self) -> Vec<ZSent> {
        self.lock().sent.clone()
    }

    pub fn sent_to(&self, chat_id: &str) -> Vec<ZSent> {
        self.lock()
            .sent
            .iter()
            .filter(|m| m.chat_id == chat_id)
            .cloned()
            .collect()
    }

    pub fn refused(&self) -> Vec<String> {
        self.lock().refused.clone()
    }

    /// Sends and chat actions in the order they came.
    pub fn log(&self) -> Vec<String> {
        self.lock().log.clone()
    }

    /// `chat_id` does not exist for Zalo (a 400 about the recipient).
    pub fn block(&self, chat_id: &str) {
        self.lock().blocked.insert(chat_id.to_string());
    }

    pub fn flood_next(&self, n: u32) {
        self.lock().flood_next = n;
    }

    pub fn fail_next(&self, n: u32) {
        self.lock().fail_next = n;
    }

    pub fn internal_next(&self, n: u32) {
        self.lock().internal_next = n;
    }

    pub fn quota_next(&self, n: u32) {
        self.lock().quota_next = n;
    }

    /// The bot's quota is used up (`true`) or renewed (`false`).
    pub fn quota_exhausted(&self, on: bool) {
        self.lock().quota_exhausted = on;
    }

    pub fn refuse_html(&self) {
        self.lock().refuse_html = true;
    }

    /// The next `n` messages to `chat_id` get a 502.
    pub fn fail_for(&self, chat_id: &str, n: u32) {
        self.lock().failing_chats.insert(chat_id.to_string(), n);
    }

    pub fn webhook(&self) -> Option<(String, String)> {
        self.lock().webhook.clone()
    }

    /// What the last setWebhook's verification call got.
    pub fn verification(&self) -> Option<Value> {
        self.lock().verification.clone()
    }

    pub fn calls(&self, method: &str) -> u64 {
        self.lock().calls.get(method).copied().unwrap_or(0)
    }

    /// Serve `bytes` as a photo a person sent; returns its URL.
    pub fn serve_photo(&self, name: &str, content_type: &str, bytes: &[u8]) -> String {
        self.lock()
            .photos
            .insert(name.to_string(), (content_type.to_string(), bytes.to_vec()));
        format!("{}/photos/{name}", self.url())
    }

    pub fn photo_downloads(&self) -> u64 {
        self.lock().photo_downloads
    }
}

fn ok(result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"ok": true, "result": result})),
    )
        .into_response()
}

/// An error as Zalo's table has it: the HTTP status and `error_code` agree.
fn err(status: StatusCode, description: &str) -> Response {
    let body = json!({"ok": false, "error_code": status.as_u16(), "description": description});
    (status, axum::Json(body)).into_response()
}

async fn photo(State(fake): State<FakeZalo>, Path(name): Path<String>) -> Response {
    let mut s = fake.lock();
    s.photo_downloads += 1;
    match s.photos.get(&name).cloned() {
        Some((content_type, bytes)) => {
            ([(axum::http::header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// What a person sees of a text sent in `html` mode, and its bold runs; `None` when
/// the markup is not Zalo's (only b, i and u tags, balanced).
fn render_html(text: &str) -> Option<(String, Vec<String>)> {
    let mut out = String::new();
    let mut bold = Vec::new();
    let mut current: Option<String> = None;
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        let (before, tag_on) = rest.split_at(at);
        out.push_str(before);
        if let Some(b) = current.as_mut() {
            b.push_str(before);
        }
        let end = tag_on.find('>')?;
        match &tag_on[..=end] {
            "<b>" if current.is_none() => current = Some(String::new()),
            "</b>" => bold.push(current.take()?),
            "<i>" | "</i>" | "<u>" | "</u>" => {}
            _ => return None,
        }
        rest = &tag_on[end + 1..];
    }
    if current.is_some() {
        return None;
    }
    out.push_str(rest);
    Some((out, bold))
}

/// The failures a test asked for, on any send.
fn injected_failure(s: &mut FakeState, chat_id: &str) -> Option<Response> {
    if s.flood_next > 0 {
        s.flood_next -= 1;
        let body = json!({"ok": false, "error_code": 429, "description": "Too Many Requests",
            "parameters": {"retry_after": 1}});
        return Some((StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response());
    }
    if s.fail_next > 0 {
        s.fail_next -= 1;
        return Some((StatusCode::BAD_GATEWAY, "<html>502 Bad Gateway</html>").into_response());
    }
    if s.internal_next > 0 {
        s.internal_next -= 1;
        return Some(err(StatusCode::FORBIDDEN, "Internal server error"));
    }
    if let Some(n) = s.failing_chats.get_mut(chat_id)
        && *n > 0
    {
        *n -= 1;
        return Some((StatusCode::BAD_GATEWAY, "<html>502 Bad Gateway</html>").into_response());
    }
    if s.quota_next > 0 || s.quota_exhausted {
        s.quota_next = s.quota_next.saturating_sub(1);
        return Some(err(StatusCode::TOO_MANY_REQUESTS, "Quota exceeded"));
    }
    if s.blocked.contains(chat_id) {
        return Some(err(StatusCode::BAD_REQUEST, "Bad Request: user not found"));
    }
    None
}

fn sent_ok(s: &mut FakeState, sent: ZSent) -> Response {
    s.log.push(format!(
        "{}:{}",
        if sent.photo.is_some() {
            "sendPhoto"
        } else {
            "sendMessage"
        },
        sent.chat_id
    ));
    s.sent.push(sent);
    let message_id = format!("sent{:016x}", s.sent.len());
    ok(json!({"message_id": message_id, "date": 1_750_316_131_602_i64}))
}

async fn handle(
    State(fake): State<FakeZalo>,
    Path((bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if bot.strip_prefix("bot") != Some(ZALO_TOKEN) {
        // Zalo answers a bad token with HTTP 200 and ok:false.
        return (
            StatusCode::OK,
            axum::Json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"})),
        )
            .into_response();
    }
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    *fake.lock().calls.entry(method.clone()).or_default() += 1;
    // Method names are case-sensitive.
    match method.as_str() {
        "getMe" => ok(json!({
            "id": ZALO_BOT_ID, "account_name": "bot.congdoan", "account_type": "BASIC",
            "can_join_groups": true
        })),
        "getUpdates" => {
            // Zalo's SDKs send the timeout as a string.
            let timeout = match &params["timeout"] {
                Value::String(s) => s.parse::<u64>().unwrap_or(0),
                v => v.as_u64().unwrap_or(0),
            }
            .min(2);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
            loop {
                let notified = fake.new_update.notified();
                if let Some(update) = fake.lock().queue.pop_front() {
                    return ok(update);
                }
                if tokio::time::timeout_at(deadline, notified).await.is_err() {
                    return err(StatusCode::REQUEST_TIMEOUT, "Request timeout");
                }
            }
        }
        "sendMessage" => {
            let mut s = fake.lock();
            let Some(chat_id) = params["chat_id"].as_str().map(str::to_string) else {
                s.refused
                    .push(format!("chat_id not a string: {}", params["chat_id"]));
                return err(StatusCode::BAD_REQUEST, "Bad Request: chat_id is required");
            };
            let raw = params["text"].as_str().unwrap_or("").to_string();
            let n = raw.chars().count();
            if !(1..=2000).contains(&n) {
                s.refused.push(format!("text of {n} characters"));
                return err(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: text must be 1-2000 characters",
                );
            }
            let parse_mode = params["parse_mode"].as_str().map(str::to_string);
            let (text, bold) = match parse_mode.as_deref() {
                None => (raw, vec![]),
                Some(_) if s.refuse_html => {
                    return err(StatusCode::BAD_REQUEST, "Bad Request: unknown parse_mode");
                }
                Some("html") => match render_html(&raw) {
                    Some(r) => r,
                    None => {
                        s.refused.push(format!("bad html: {raw}"));
                        return err(StatusCode::BAD_REQUEST, "Bad Request: can't parse html");
                    }
                },
                Some(other) => {
                    s.refused.push(format!("parse_mode {other}"));
                    return err(StatusCode::BAD_REQUEST, "Bad Request: unknown parse_mode");
                }
            };
            if let Some(failure) = injected_failure(&mut s, &chat_id) {
                return failure;
            }
            sent_ok(
                &mut s,
                ZSent {
                    chat_id,
                    text,
                    parse_mode,
                    bold,
                    photo: None,
                },
            )
        }
        "sendPhoto" => {
            let mut s = fake.lock();
            let (Some(chat_id), Some(photo)) = (
                params["chat_id"].as_str().map(str::to_string),
                params["photo"].as_str().map(str::to_string),
            ) else {
                s.refused
                    .push(format!("sendPhoto without chat_id or photo: {params}"));
                return err(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: chat_id and photo are required",
                );
            };
            let caption = match params.get("caption") {
                None => String::new(),
                Some(c) => {
                    let c = c.as_str().unwrap_or("").to_string();
                    let n = c.chars().count();
                    if !(1..=2000).contains(&n) {
                        s.refused.push(format!("caption of {n} characters"));
                        return err(
                            StatusCode::BAD_REQUEST,
                            "Bad Request: caption must be 1-2000 characters",
                        );
                    }
                    c
                }
            };
            if let Some(failure) = injected_failure(&mut s, &chat_id) {
                return failure;
            }
            sent_ok(
                &mut s,
                ZSent {
                    chat_id,
                    text: caption,
                    parse_mode: None,
                    bold: vec![],
                    photo: Some(photo),
                },
            )
        }
        "sendChatAction" => {
            let mut s = fake.lock();
            let chat_id = params["chat_id"].as_str().unwrap_or("").to_string();
            let action = params["action"].as_str().unwrap_or("");
            if chat_id.is_empty() || !matches!(action, "typing" | "upload_photo") {
                s.refused.push(format!("sendChatAction {params}"));
                return err(StatusCode::BAD_REQUEST, "Bad Request: chat_id and action");
            }
            s.log.push(format!("sendChatAction:{chat_id}"));
            (StatusCode::OK, axum::Json(json!({"ok": true}))).into_response()
        }
        "setWebhook" => {
            let url = params["url"].as_str().unwrap_or("").to_string();
            let secret = params["secret_token"].as_str().unwrap_or("").to_string();
            if url.is_empty() || !(8..=256).contains(&secret.chars().count()) {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: url and a secret_token of 8-256 characters are required",
                );
            }
            // Zalo calls the URL at once, with the secret, and says what it got.
            let verification = verify(&url, &secret).await;
            {
                let mut s = fake.lock();
                s.webhook = Some((url, secret));
                s.verification = Some(verification.clone());
            }
            ok(
                json!({"url": params["url"], "updated_at": 1_750_316_131_602_i64,
                "verification": verification}),
            )
        }
        "deleteWebhook" => {
            fake.lock().webhook = None;
            ok(json!({"url": "", "updated_at": 1_750_316_131_602_i64}))
        }
        _ => err(StatusCode::BAD_REQUEST, "Bad Request: method not found"),
    }
}

/// The verification call setWebhook makes: a POST with the secret header.
async fn verify(url: &str, secret: &str) -> Value {
    let client = reqwest::Client::new();
    let body = json!({"ok": true, "result": {"event_name": "webhook.verification"}});
    match client
        .post(url)
        .header("X-Bot-Api-Secret-Token", secret)
        .json(&body)
        .timeout(Duration::from_secs(2))
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => json!({"ok": true, "status_code": r.status().as_u16()}),
        Ok(r) => json!({"ok": false, "status_code": r.status().as_u16(),
            "description": "the webhook answered with an error"}),
        Err(_) => json!({"ok": false, "description": "cannot connect to the webhook URL"}),
    }
}

/// A Zalo user in tests. Ids are strings; the private chat id equals the user id.
#[derive(Debug, Clone)]
pub struct ZaloUser {
    pub id: String,
    pub name: String,
}

impl ZaloUser {
    pub fn new(id: &str, name: &str) -> Self {
        ZaloUser {
            id: id.to_string(),
            name: name.to_string(),
        }
    }

    fn from(&self) -> Value {
        json!({"id": self.id, "display_name": self.name, "is_bot": false})
    }

    fn private(&self) -> Value {
        json!({"id": self.id, "chat_type": "PRIVATE"})
    }

    /// Updates come without message_id; the fake stamps one.
    pub fn text(&self, text: &str) -> Value {
        json!({"event_name": "message.text.received", "message": {
            "date": 1_750_316_131_602_i64, "text": text, "from": self.from(), "chat": self.private()}})
    }

    pub fn image(&self, caption: &str) -> Value {
        json!({"event_name": "message.image.received", "message": {
            "date": 1_750_316_131_602_i64, "photo": "https://photo.example/abc.jpg",
            "caption": caption, "from": self.from(), "chat": self.private()}})
    }

    /// A photo at `url` (one the fake serves, see [`FakeZalo::serve_photo`]).
    pub fn image_at(&self, url: &str, caption: &str) -> Value {
        json!({"event_name": "message.image.received", "message": {
            "date": 1_750_316_131_602_i64, "photo": url,
            "caption": caption, "from": self.from(), "chat": self.private()}})
    }

    pub fn voice(&self) -> Value {
        json!({"event_name": "message.voice.received", "message": {
            "date": 1_750_316_131_602_i64,
            "voice_url": "https://voice-aac.zdn.vn/abc.aac",
            "from": self.from(), "chat": self.private()}})
    }

    /// Zalo's event for content it withholds (privacy rules).
    pub fn withheld(&self) -> Value {
        json!({"event_name": "message.unsupported.received", "message": {
            "date": 1_750_316_131_602_i64, "from": self.from(), "chat": self.private()}})
    }

    pub fn sticker(&self) -> Value {
        json!({"event_name": "message.sticker.received", "message": {
            "date": 1_750_316_131_602_i64, "sticker": "bfe4a0c6ed8c04d25d9d",
            "url": "https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=1",
            "from": self.from(), "chat": self.private()}})
    }

    pub fn in_group(&self, group_id: &str, text: &str) -> Value {
        json!({"event_name": "message.text.received", "message": {
            "date": 1_750_316_131_602_i64, "text": text, "from": self.from(),
            "chat": {"id": group_id, "chat_type": "GROUP"}}})
    }
}

/// The bot started with Zalo (beside the harness's Telegram) against a [`FakeZalo`].
pub struct ZaloApp {
    pub t: TestApp,
    pub zalo: FakeZalo,
}

impl std::ops::Deref for ZaloApp {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.t
    }
}

impl ZaloApp {
    pub async fn spawn(backend: Backend) -> Option<ZaloApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(
        backend: Backend,
        tweak: impl FnOnce(&mut ServeConfig),
    ) -> Option<ZaloApp> {
        let zalo = FakeZalo::start().await;
        let url = zalo.url();
        let t = TestApp::spawn_with(backend, |cfg| {
            cfg.zalo_token = Some(ZALO_TOKEN.to_string());
            cfg.zalo_api_url = Some(url);
            // The fake serves the photos people send.
            cfg.zalo_photo_hosts = vec!["127.0.0.1".to_string()];
            // A quota pause lasts a second, not an hour.
            cfg.zalo_quota_retry = Duration::from_secs(1);
            tweak(cfg);
        })
        .await?;
        Some(ZaloApp { t, zalo })
    }

    pub async fn finish(self) {
        self.t.finish().await;
    }

    /// Push an update through getUpdates, wait until it is processed and every reply
    /// sent; returns what was sent to `chat` because of it.
    pub async fn send(&self, chat: &str, update: Value) -> Vec<ZSent> {
        let before = self.zalo.sent_to(chat).len();
        let id = self.zalo.push(update);
        self.wait_processed(&id).await;
        self.wait_outbox_empty().await;
        self.zalo.sent_to(chat).split_off(before)
    }

    pub async fn say(&self, user: &ZaloUser, text: &str) -> Vec<ZSent> {
        self.send(&user.id, user.text(text)).await
    }

    /// The inbox row's status, by inbox key (`chat:message_id`, what push returns).
    pub async fn inbox_status(&self, key: &str) -> Option<String> {
        super::inbox_status(&self.store, "zalo", key).await
    }

    pub async fn wait_processed(&self, message_id: &str) {
        super::wait_handled(&self.store, "zalo", message_id).await;
    }

    pub async fn wait_outbox_empty(&self) {
        super::drain_outbox(&self.store, "zalo").await;
    }
}

pub fn ztexts(sent: &[ZSent]) -> String {
    sent.iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n---\n")
}
