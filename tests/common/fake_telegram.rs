//! A fake Telegram Bot API server: real HTTP on 127.0.0.1:0, the methods the bot uses,
//! updates queued by tests and confirmed by getUpdates offsets like Telegram does, and
//! every sent message recorded. Failures can be injected per chat.

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
use serde_json::{Value, json};
use tokio::sync::Notify;

pub const BOT_USERNAME: &str = "congdoan_test_bot";
pub const BOT_ID: i64 = 999_000;

#[derive(Debug, Clone)]
pub struct Sent {
    pub chat_id: i64,
    /// The text, or a document's caption.
    pub text: String,
    /// A document: (file name, content), or (name, file id) when sent by file id.
    pub document: Option<(String, String)>,
    /// A photo: its file id, or the uploaded bytes as lossy text.
    pub photo: Option<String>,
    /// Callback data of the inline buttons, row by row flattened.
    pub buttons: Vec<(String, String)>,
}

#[derive(Default)]
struct FakeState {
    queue: Vec<Value>,
    next_update_id: i64,
    /// The highest offset the bot has sent: updates below it are confirmed.
    confirmed_offset: i64,
    sent: Vec<Sent>,
    answered_callbacks: Vec<String>,
    next_message_id: i64,
    blocked: HashSet<i64>,
    /// Answer the next N sendMessage calls with 429 retry_after 1.
    flood_next: u32,
    /// Answer the next N sendMessage calls with 502.
    fail_next: u32,
    webhook: Option<(String, Option<String>)>,
    calls: HashMap<String, u64>,
    /// Files people "sent": file_id -> content.
    files: HashMap<String, Vec<u8>>,
    /// getUpdates calls waiting now, and the ones refused because another was.
    polls_in_flight: u32,
    poll_conflicts: u64,
    /// Files the bot uploaded (documents and photos): (chat, file name, bytes).
    uploads: Vec<(i64, String, Vec<u8>)>,
    /// Telegram's limits, enforced when set: messages per second for the bot.
    global_limit: Option<usize>,
    recent: VecDeque<tokio::time::Instant>,
    last_per_chat: HashMap<i64, tokio::time::Instant>,
    /// Requests that broke a limit (answered 429).
    violations: u64,
    first_sent: Option<tokio::time::Instant>,
    last_sent: Option<tokio::time::Instant>,
    /// editMessageText calls: (chat, message id, new text).
    edits: Vec<(i64, i64, String)>,
    /// Accepted sends to each group in the last minute.
    group_sends: HashMap<i64, VecDeque<tokio::time::Instant>>,
}

#[derive(Clone)]
pub struct FakeTelegram {
    state: Arc<Mutex<FakeState>>,
    new_update: Arc<Notify>,
    pub addr: SocketAddr,
}

impl FakeTelegram {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(FakeState {
            next_update_id: 1,
            next_message_id: 1,
            ..FakeState::default()
        }));
        let new_update = Arc::new(Notify::new());
        let fake = FakeTelegram {
            state,
            new_update,
            addr: "127.0.0.1:0".parse().expect("addr"),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake");
        let addr = listener.local_addr().expect("local addr");
        let router = Router::new()
            .route("/{bot}/{method}", post(handle))
            .route("/file/{bot}/{*path}", axum::routing::get(download))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        FakeTelegram { addr, ..fake }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queue an update (without `update_id`; the fake numbers it) and return its id.
    pub fn push(&self, mut update: Value) -> i64 {
        let id = {
            let mut s = self.lock();
            let id = s.next_update_id;
            s.next_update_id += 1;
            update["update_id"] = json!(id);
            s.queue.push(update);
            id
        };
        self.new_update.notify_waiters();
        id
    }

    /// Queue an update again with an id it already had (Telegram redelivering).
    pub fn push_again(&self, update: Value) {
        self.lock().queue.push(update);
        self.new_update.notify_waiters();
    }

    pub fn confirmed_offset(&self) -> i64 {
        self.lock().confirmed_offset
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.lock().sent.clone()
    }

    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        self.lock()
            .sent
            .iter()
            .filter(|m| m.chat_id == chat_id)
            .cloned()
            .collect()
    }

    /// Edits of messages in `chat_id`: (message id, new text), in order.
    pub fn edits_in(&self, chat_id: i64) -> Vec<(i64, String)> {
        self.lock()
            .edits
            .iter()
            .filter(|(c, _, _)| *c == chat_id)
            .map(|(_, m, t)| (*m, t.clone()))
            .collect()
    }

    pub fn answered_callbacks(&self) -> Vec<String> {
        self.lock().answered_callbacks.clone()
    }

    /// Make a file available for getFile + download.
    pub fn add_file(&self, file_id: &str, content: Vec<u8>) {
        self.lock().files.insert(file_id.to_string(), content);
    }

    /// getUpdates calls refused with 409 because another long poll was running.
    pub fn poll_conflicts(&self) -> u64 {
        self.lock().poll_conflicts
    }

    /// Files the bot uploaded to `chat_id`: (file name, exact bytes).
    pub fn uploads_to(&self, chat_id: i64) -> Vec<(String, Vec<u8>)> {
        self.lock()
            .uploads
            .iter()
            .filter(|(c, _, _)| *c == chat_id)
            .map(|(_, n, b)| (n.clone(), b.clone()))
            .collect()
    }

    pub fn block(&self, chat_id: i64) {
        self.lock().blocked.insert(chat_id);
    }

    /// Enforce Telegram's limits like the real server: at most `per_sec` messages in
    /// any one-second window for the bot, one per second per private chat; a request
    /// over a limit is a violation and gets 429 retry_after.
    pub fn enforce_limits(&self, per_sec: usize) {
        self.lock().global_limit = Some(per_sec);
    }

    pub fn violations(&self) -> u64 {
        self.lock().violations
    }

    pub fn sent_count(&self) -> usize {
        self.lock().sent.len()
    }

    /// Time between the first and the last accepted message.
    pub fn sending_span(&self) -> Option<Duration> {
        let s = self.lock();
        Some(s.last_sent?.duration_since(s.first_sent?))
    }

    pub fn flood_next(&self, n: u32) {
        self.lock().flood_next = n;
    }

    pub fn fail_next(&self, n: u32) {
        self.lock().fail_next = n;
    }

    pub fn webhook(&self) -> Option<(String, Option<String>)> {
        self.lock().webhook.clone()
    }

    pub fn calls(&self, method: &str) -> u64 {
        self.lock()
            .calls
            .get(&method.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
    }
}

fn ok(result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"ok": true, "result": result})),
    )
        .into_response()
}

fn err(status: StatusCode, description: &str, extra: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": status.as_u16(), "description": description});
    if let Some(p) = extra {
        body["parameters"] = p;
    }
    (status, axum::Json(body)).into_response()
}

async fn handle(
    State(fake): State<FakeTelegram>,
    Path((bot, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    let upload = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split("boundary=").nth(1))
        .and_then(|b| uploaded_file(&body, b.trim_matches('"')));
    if !bot.starts_with("bot") {
        return err(StatusCode::NOT_FOUND, "Not Found", None);
    }
    // teloxide sends JSON, or multipart/form-data for methods that may carry files.
    let params: Value = serde_json::from_slice(&body).unwrap_or_else(|_| multipart_fields(&body));
    // Telegram's method names are case-insensitive (teloxide sends "GetMe").
    let method = method.to_ascii_lowercase();
    *fake.lock().calls.entry(method.clone()).or_default() += 1;
    match method.as_str() {
        "getme" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "Công đoàn", "username": BOT_USERNAME,
            "can_join_groups": false, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "can_connect_to_business": false, "has_main_web_app": false
        })),
        "getupdates" => {
            // Like Telegram: one long poll at a time per bot; another is a conflict.
            let _poll = {
                let mut s = fake.lock();
                if s.polls_in_flight > 0 {
                    s.poll_conflicts += 1;
                    return err(
                        StatusCode::CONFLICT,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                        None,
                    );
                }
                s.polls_in_flight += 1;
                PollGuard(fake.state.clone())
            };
            let offset = params["offset"].as_i64().unwrap_or(0);
            let timeout = params["timeout"].as_u64().unwrap_or(0).min(2);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
            loop {
                let notified = fake.new_update.notified();
                {
                    let mut s = fake.lock();
                    if offset > s.confirmed_offset {
                        s.confirmed_offset = offset;
                    }
                    // Telegram forgets confirmed updates.
                    s.queue
                        .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    if !s.queue.is_empty() {
                        let batch: VecDeque<Value> = s.queue.iter().take(100).cloned().collect();
                        return ok(Value::Array(batch.into()));
                    }
                }
                if tokio::time::timeout_at(deadline, notified).await.is_err() {
                    return ok(json!([]));
                }
            }
        }
        "sendmessage" => {
            let chat_id = params["chat_id"].as_i64().unwrap_or(0);
            let text = params["text"].as_str().unwrap_or("").to_string();
            let mut s = fake.lock();
            if s.flood_next > 0 {
                s.flood_next -= 1;
                return err(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too Many Requests: retry after 1",
                    Some(json!({"retry_after": 1})),
                );
            }
            if s.fail_next > 0 {
                s.fail_next -= 1;
                return err(StatusCode::BAD_GATEWAY, "Bad Gateway", None);
            }
            if let Some(refusal) = refusal(&mut s, chat_id) {
                return refusal;
            }
            if text.chars().count() > 4096 {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: message is too long",
                    None,
                );
            }
            let buttons = buttons_of(&params);
            let message_id = s.next_message_id;
            s.next_message_id += 1;
            s.sent.push(Sent {
                chat_id,
                text: text.clone(),
                document: None,
                photo: None,
                buttons,
            });
            ok(json!({
                "message_id": message_id, "date": now_secs(),
                "chat": {"id": chat_id, "type": "private", "first_name": "U"},
                "from": {"id": BOT_ID, "is_bot": true, "first_name": "Công đoàn"},
                "text": text
            }))
        }
        "editmessagetext" => {
            let chat_id = params["chat_id"]
                .as_str()
                .and_then(|c| c.parse().ok())
                .or_else(|| params["chat_id"].as_i64())
                .unwrap_or(0);
            let message_id = params["message_id"].as_i64().unwrap_or(0);
            let text = params["text"].as_str().unwrap_or("").to_string();
            let mut s = fake.lock();
            if let Some(refusal) = refusal(&mut s, chat_id) {
                return refusal;
            }
            if message_id <= 0 || message_id >= s.next_message_id {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: message to edit not found",
                    None,
                );
            }
            s.edits.push((chat_id, message_id, text.clone()));
            ok(json!({"message_id": message_id, "date": now_secs(),
                      "chat": {"id": chat_id, "type": "private", "first_name": "U"},
                      "from": {"id": BOT_ID, "is_bot": true, "first_name": "Công đoàn"},
                      "text": text}))
        }
        "getfile" => {
            let id = params["file_id"].as_str().unwrap_or("").to_string();
            let size = fake.lock().files.get(&id).map(Vec::len);
            match size {
                Some(size) => ok(json!({"file_id": id, "file_unique_id": format!("u-{id}"),
                                        "file_size": size, "file_path": format!("documents/{id}")})),
                None => err(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: invalid file_id",
                    None,
                ),
            }
        }
        "senddocument" => {
            let chat_id = params["chat_id"]
                .as_str()
                .and_then(|c| c.parse().ok())
                .or_else(|| params["chat_id"].as_i64())
                .unwrap_or(0);
            let caption = params["caption"].as_str().unwrap_or("").to_string();
            // teloxide sends `document=attach://<part>` and the bytes in that part.
            let mut content = params["document"].as_str().unwrap_or("").to_string();
            if let Some(part) = content.strip_prefix("attach://") {
                content = params[part].as_str().unwrap_or("").to_string();
            }
            let text = String::from_utf8_lossy(&body);
            let name = text
                .split("filename=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("")
                .to_string();
            let buttons = buttons_of(&params);
            let mut s = fake.lock();
            if let Some(refusal) = refusal(&mut s, chat_id) {
                return refusal;
            }
            let message_id = s.next_message_id;
            s.next_message_id += 1;
            if let Some((file_name, bytes)) = &upload {
                s.uploads.push((chat_id, file_name.clone(), bytes.clone()));
            }
            s.sent.push(Sent {
                chat_id,
                text: caption,
                document: Some((name, content)),
                photo: None,
                buttons,
            });
            ok(json!({"message_id": message_id, "date": now_secs(),
                      "chat": {"id": chat_id, "type": "private", "first_name": "U"},
                      "document": {"file_id": "d", "file_unique_id": "d"}}))
        }
        "sendphoto" => {
            let chat_id = params["chat_id"]
                .as_str()
                .and_then(|c| c.parse().ok())
                .or_else(|| params["chat_id"].as_i64())
                .unwrap_or(0);
            let caption = params["caption"].as_str().unwrap_or("").to_string();
            if caption.chars().count() > 1024 {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: message caption is too long",
                    None,
                );
            }
            let mut photo = params["photo"].as_str().unwrap_or("").to_string();
            if let Some(part) = photo.strip_prefix("attach://") {
                photo = params[part].as_str().unwrap_or("").to_string();
            }
            let buttons = buttons_of(&params);
            let mut s = fake.lock();
            if let Some(refusal) = refusal(&mut s, chat_id) {
                return refusal;
            }
            let message_id = s.next_message_id;
            s.next_message_id += 1;
            if let Some((file_name, bytes)) = &upload {
                s.uploads.push((chat_id, file_name.clone(), bytes.clone()));
            }
            s.sent.push(Sent {
                chat_id,
                text: caption,
                document: None,
                photo: Some(photo),
                buttons,
            });
            ok(json!({"message_id": message_id, "date": now_secs(),
                      "chat": {"id": chat_id, "type": "private", "first_name": "U"},
                      "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]}))
        }
        "answercallbackquery" => {
            let id = params["callback_query_id"]
                .as_str()
                .unwrap_or("")
                .to_string();
            fake.lock().answered_callbacks.push(id);
            ok(json!(true))
        }
        "setwebhook" => {
            let url = params["url"].as_str().unwrap_or("").to_string();
            let secret = params["secret_token"].as_str().map(str::to_string);
            fake.lock().webhook = Some((url, secret));
            ok(json!(true))
        }
        "deletewebhook" => {
            fake.lock().webhook = None;
            ok(json!(true))
        }
        "setmycommands" => ok(json!(true)),
        _ => err(StatusCode::NOT_FOUND, "Not Found: method not found", None),
    }
}

/// Inline buttons as (label, callback data), from JSON or a multipart text field.
fn buttons_of(params: &Value) -> Vec<(String, String)> {
    let markup = match &params["reply_markup"] {
        Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
        v => v.clone(),
    };
    markup["inline_keyboard"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .flat_map(|r| r.as_array().cloned().unwrap_or_default())
                .map(|b| {
                    (
                        b["text"].as_str().unwrap_or("").to_string(),
                        b["callback_data"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What every send method checks: blocked users, and Telegram's limits when enforced
/// (the bot's rate in any one-second window, one message a second to a private chat,
/// 20 a minute to a group). A request over a limit is a violation: 429 retry_after.
fn refusal(s: &mut FakeState, chat_id: i64) -> Option<Response> {
    if s.blocked.contains(&chat_id) {
        return Some(err(
            StatusCode::FORBIDDEN,
            "Forbidden: bot was blocked by the user",
            None,
        ));
    }
    let limit = s.global_limit?;
    let now = tokio::time::Instant::now();
    // The limits are counted when requests arrive; the sender paces when it sends. On a
    // loaded machine one request can wait a few tens of milliseconds on the loopback
    // while the next does not, so arrival gaps are allowed 100 ms less than a second
    // (Telegram's own counting is no finer). Pacing itself is checked by the stories'
    // elapsed-time assertions.
    let second = Duration::from_millis(900);
    while s
        .recent
        .front()
        .is_some_and(|t| now.duration_since(*t) >= second)
    {
        s.recent.pop_front();
    }
    let over_global = s.recent.len() >= limit;
    let over_chat = if chat_id < 0 {
        let minute = s.group_sends.entry(chat_id).or_default();
        while minute
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            minute.pop_front();
        }
        minute.len() >= 20
    } else {
        s.last_per_chat
            .get(&chat_id)
            .is_some_and(|t| now.duration_since(*t) < second)
    };
    if over_global || over_chat {
        s.violations += 1;
        return Some(err(
            StatusCode::TOO_MANY_REQUESTS,
            "Too Many Requests: retry after 1",
            Some(json!({"retry_after": 1})),
        ));
    }
    s.recent.push_back(now);
    if chat_id < 0 {
        s.group_sends.entry(chat_id).or_default().push_back(now);
    } else {
        s.last_per_chat.insert(chat_id, now);
    }
    s.first_sent.get_or_insert(now);
    s.last_sent = Some(now);
    None
}

async fn download(
    State(fake): State<FakeTelegram>,
    Path((_bot, path)): Path<(String, String)>,
) -> Response {
    let id = path.trim_start_matches("documents/").to_string();
    match fake.lock().files.get(&id).cloned() {
        Some(bytes) => (StatusCode::OK, bytes).into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// A Telegram user in tests: private chat id == user id, as on Telegram.
#[derive(Debug, Clone)]
pub struct TgUser {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
}

impl TgUser {
    pub fn new(id: i64, first_name: &str) -> Self {
        TgUser {
            id,
            first_name: first_name.to_string(),
            username: Some(format!("user{id}")),
        }
    }

    pub fn json(&self) -> Value {
        let mut u = json!({"id": self.id, "is_bot": false, "first_name": self.first_name, "language_code": "vi"});
        if let Some(name) = &self.username {
            u["username"] = json!(name);
        }
        u
    }

    fn chat(&self) -> Value {
        json!({"id": self.id, "type": "private", "first_name": self.first_name})
    }

    pub fn text(&self, text: &str) -> Value {
        json!({"message": {"message_id": 1, "date": now_secs(), "chat": self.chat(), "from": self.json(), "text": text}})
    }

    pub fn button(&self, data: &str) -> Value {
        json!({"callback_query": {
            "id": format!("cb-{}-{}", self.id, rand_suffix()),
            "from": self.json(),
            "chat_instance": "ci",
            "data": data,
            "message": {"message_id": 1, "date": now_secs(), "chat": self.chat(),
                         "from": {"id": BOT_ID, "is_bot": true, "first_name": "Công đoàn"}, "text": "…"}
        }})
    }

    pub fn sticker(&self) -> Value {
        json!({"message": {"message_id": 2, "date": now_secs(), "chat": self.chat(), "from": self.json(),
            "sticker": {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512,
                        "is_animated": false, "is_video": false}}})
    }

    pub fn document(&self, file_id: &str, file_name: &str, size: usize) -> Value {
        json!({"message": {"message_id": 4, "date": now_secs(), "chat": self.chat(), "from": self.json(),
            "document": {"file_id": file_id, "file_unique_id": format!("u-{file_id}"),
                         "file_name": file_name, "file_size": size}}})
    }

    pub fn photo(&self, file_id: &str, caption: Option<&str>) -> Value {
        let mut msg = json!({"message_id": 5, "date": now_secs(), "chat": self.chat(), "from": self.json(),
        "photo": [
            {"file_id": format!("{file_id}-small"), "file_unique_id": format!("s-{file_id}"), "file_size": 900, "width": 90, "height": 90},
            {"file_id": file_id, "file_unique_id": format!("u-{file_id}"), "file_size": 90000, "width": 1280, "height": 960}
        ]});
        if let Some(c) = caption {
            msg["caption"] = json!(c);
        }
        json!({ "message": msg })
    }

    pub fn location(&self, latitude: f64, longitude: f64) -> Value {
        json!({"message": {"message_id": 6, "date": now_secs(), "chat": self.chat(), "from": self.json(),
            "location": {"latitude": latitude, "longitude": longitude}}})
    }

    pub fn edited(&self, text: &str) -> Value {
        json!({"edited_message": {"message_id": 1, "date": now_secs(), "edit_date": 1_700_000_100,
            "chat": self.chat(), "from": self.json(), "text": text}})
    }

    pub fn in_group(&self, group_id: i64, text: &str) -> Value {
        json!({"message": {"message_id": 3, "date": now_secs(),
            "chat": {"id": group_id, "type": "supergroup", "title": "Nhóm công nhân"},
            "from": self.json(), "text": text}})
    }
}

/// Telegram dates messages in seconds; the bot judges floods by them.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Ends a long poll, however its handler returns.
struct PollGuard(Arc<Mutex<FakeState>>);

impl Drop for PollGuard {
    fn drop(&mut self) {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        s.polls_in_flight = s.polls_in_flight.saturating_sub(1);
    }
}

/// The first part of a multipart body that carries a file: (file name, exact bytes).
fn uploaded_file(body: &[u8], boundary: &str) -> Option<(String, Vec<u8>)> {
    let delimiter = format!("--{boundary}");
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut at = 0;
    while let Some(start) = find(body, delimiter.as_bytes(), at) {
        let head_start = start + delimiter.len();
        let head_end = find(body, b"\r\n\r\n", head_start)?;
        let head = String::from_utf8_lossy(&body[head_start..head_end]);
        let data_start = head_end + 4;
        let end = find(body, format!("\r\n{delimiter}").as_bytes(), data_start)?;
        if let Some(name) = head
            .split("filename=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
        {
            return Some((name.to_string(), body[data_start..end].to_vec()));
        }
        at = end;
    }
    None
}

/// The text fields of a multipart/form-data body, as a JSON object.
fn multipart_fields(body: &[u8]) -> Value {
    let text = String::from_utf8_lossy(body);
    let mut out = serde_json::Map::new();
    for part in text
        .split("Content-Disposition: form-data; name=\"")
        .skip(1)
    {
        let Some((name, rest)) = part.split_once('"') else {
            continue;
        };
        let Some((_, value)) = rest.split_once("\r\n\r\n") else {
            continue;
        };
        let value = value.split("\r\n--").next().unwrap_or("");
        out.insert(name.to_string(), json!(value));
    }
    Value::Object(out)
}
