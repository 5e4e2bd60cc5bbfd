//! A fake Zalo Bot API server: real HTTP on 127.0.0.1:0, the methods the bot uses,
//! Zalo's shapes (string ids, `{ok, result}` envelope, one update per getUpdates and
//! HTTP 408 when idle, no offset: an update handed out is gone), every sent message
//! recorded, failures injectable (429, 5xx, quota, blocked). Plus [`ZaloApp`], the
//! test harness with the bot started against it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use congdoan_bot::app::ServeConfig;
use serde_json::{Value, json};
use sqlx::Row;
use tokio::sync::Notify;

use super::{Backend, TestApp};

pub const ZALO_TOKEN: &str = "3154:zalo-test-token";
pub const ZALO_BOT_ID: &str = "zbot0f1e2d3c4b5a";

#[derive(Debug, Clone)]
pub struct ZSent {
    pub chat_id: String,
    pub text: String,
}

#[derive(Default)]
struct FakeState {
    queue: VecDeque<Value>,
    /// Every update pushed, by message_id, for redelivery.
    pushed: HashMap<String, Value>,
    next_message_id: u64,
    sent: Vec<ZSent>,
    blocked: HashSet<String>,
    /// Answer the next N sendMessage calls with 429.
    flood_next: u32,
    /// Answer the next N sendMessage calls with 502 (a proxy's non-JSON page).
    fail_next: u32,
    /// Answer the next N sendMessage calls with a quota error.
    quota_next: u32,
    /// Chats whose messages always hit the quota error.
    quota_chats: HashSet<String>,
    /// Chats whose next N messages get a 502.
    failing_chats: HashMap<String, u32>,
    webhook: Option<(String, String)>,
    calls: HashMap<String, u64>,
    /// Requests refused for a bad chat_id or text length (the bot's bugs).
    refused: Vec<String>,
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

    /// Give the update a fresh string message_id, queue it, return the id.
    pub fn push(&self, update: Value) -> String {
        let (id, update) = self.stamp(update);
        {
            let mut s = self.lock();
            s.queue.push_back(update);
        }
        self.new_update.notify_waiters();
        id
    }

    /// Give the update a fresh message_id without queueing it (for webhook tests).
    pub fn stamp(&self, mut update: Value) -> (String, Value) {
        let mut s = self.lock();
        let id = format!("{:020x}", 0x2d75_8cb5_e222_u64 + s.next_message_id);
        s.next_message_id += 1;
        update["message"]["message_id"] = json!(id);
        s.pushed.insert(id.clone(), update.clone());
        (id, update)
    }

    /// Hand the same update out again (Zalo delivering twice).
    pub fn push_again(&self, message_id: &str) {
        {
            let mut s = self.lock();
            let Some(u) = s.pushed.get(message_id).cloned() else {
                panic!("unknown message_id {message_id}");
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

    pub fn block(&self, chat_id: &str) {
        self.lock().blocked.insert(chat_id.to_string());
    }

    pub fn flood_next(&self, n: u32) {
        self.lock().flood_next = n;
    }

    pub fn fail_next(&self, n: u32) {
        self.lock().fail_next = n;
    }

    pub fn quota_next(&self, n: u32) {
        self.lock().quota_next = n;
    }

    /// Every message to `chat_id` is refused for quota.
    pub fn quota_for(&self, chat_id: &str) {
        self.lock().quota_chats.insert(chat_id.to_string());
    }

    /// The next `n` messages to `chat_id` get a 502.
    pub fn fail_for(&self, chat_id: &str, n: u32) {
        self.lock().failing_chats.insert(chat_id.to_string(), n);
    }

    pub fn webhook(&self) -> Option<(String, String)> {
        self.lock().webhook.clone()
    }

    pub fn calls(&self, method: &str) -> u64 {
        self.lock().calls.get(method).copied().unwrap_or(0)
    }
}

fn ok(result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"ok": true, "result": result})),
    )
        .into_response()
}

fn err(status: StatusCode, description: &str) -> Response {
    let body = json!({"ok": false, "error_code": status.as_u16(), "description": description});
    (status, axum::Json(body)).into_response()
}

async fn handle(
    State(fake): State<FakeZalo>,
    Path((bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if bot.strip_prefix("bot") != Some(ZALO_TOKEN) {
        return err(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    *fake.lock().calls.entry(method.clone()).or_default() += 1;
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
            let text = params["text"].as_str().unwrap_or("").to_string();
            let n = text.chars().count();
            if !(1..=2000).contains(&n) {
                s.refused.push(format!("text of {n} characters"));
                return err(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: text must be 1-2000 characters",
                );
            }
            if s.flood_next > 0 {
                s.flood_next -= 1;
                return err(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
            }
            if s.fail_next > 0 {
                s.fail_next -= 1;
                return (StatusCode::BAD_GATEWAY, "<html>502 Bad Gateway</html>").into_response();
            }
            if let Some(n) = s.failing_chats.get_mut(&chat_id)
                && *n > 0
            {
                *n -= 1;
                return (StatusCode::BAD_GATEWAY, "<html>502 Bad Gateway</html>").into_response();
            }
            if s.quota_next > 0 || s.quota_chats.contains(&chat_id) {
                s.quota_next = s.quota_next.saturating_sub(1);
                return err(StatusCode::BAD_REQUEST, "Daily quota exceeded for this bot");
            }
            if s.blocked.contains(&chat_id) {
                return err(StatusCode::FORBIDDEN, "Forbidden: user blocked the bot");
            }
            s.sent.push(ZSent {
                chat_id: chat_id.clone(),
                text,
            });
            let message_id = format!("sent{:016x}", s.sent.len());
            ok(json!({"message_id": message_id, "date": 1_750_316_131_602_i64}))
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
            fake.lock().webhook = Some((url, secret));
            ok(json!({"url": params["url"], "updated_at": 1_750_316_131_602_i64}))
        }
        "deleteWebhook" => {
            fake.lock().webhook = None;
            ok(json!({"url": "", "updated_at": 1_750_316_131_602_i64}))
        }
        _ => err(StatusCode::NOT_FOUND, "Not Found: method not found"),
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

    pub async fn inbox_status(&self, message_id: &str) -> Option<String> {
        sqlx::query("SELECT status FROM inbox WHERE channel = 'zalo' AND update_id = $1")
            .bind(message_id.to_string())
            .fetch_optional(self.store.pool())
            .await
            .expect("db")
            .map(|r| r.try_get::<String, _>("status").expect("status"))
    }

    pub async fn wait_processed(&self, message_id: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.inbox_status(message_id).await
                && status != "pending"
                && status != "processing"
            {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "zalo message {message_id} not processed in time"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn wait_outbox_empty(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while self.store.outbox_pending_count("zalo").await.expect("db") > 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "zalo outbox not drained in time"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

pub fn ztexts(sent: &[ZSent]) -> String {
    sent.iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n---\n")
}
