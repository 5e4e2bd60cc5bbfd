//! A fake Zalo Official Account (OA Open API v3) that behaves like Zalo's documentation
//! says: real HTTP on 127.0.0.1:0; `POST /v4/oa/access_token` (form fields, `secret_key`
//! header) hands out a new access token (with an expiry) and a new refresh token, and
//! a refresh token works **once**; `POST /v3.0/oa/message/cs` (`access_token` header)
//! answers HTTP 200 with `error: 0` or a negative code: -216 for an unknown or expired
//! access token, -213 for a user who does not follow the OA, and the 48-hour rule,
//! enforced with a settable clock (free within 48 hours of the user's last
//! interaction; from 48 hours to 7 days only with a Cloud Account, counted as paid, else
//! -320; after 7 days -230). Users "write" by webhook: the fake signs each event
//! (`X-ZEvent-Signature: mac=sha256(app_id + body + timestamp + OA secret)`) and POSTs
//! it to the bot. Every send and every refusal is recorded. Plus [`OaApp`], the test
//! harness with the bot started against it (beside the harness's Telegram).

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::Row;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Query;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use congdoan_bot::app::ServeConfig;
use congdoan_bot::channels::zalo_oa::{ZaloOaConfig, signature};
use congdoan_bot::core::time::now_ms;
use serde_json::{Value, json};

use super::{Backend, TestApp};

pub const OA_APP_ID: &str = "3608465249409039";
pub const OA_SECRET_KEY: &str = "app-secret-key-for-tests";
pub const OA_WEBHOOK_SECRET: &str = "oa-secret-key-signs-webhooks";
pub const HOUR_MS: i64 = 3_600_000;

#[derive(Debug, Clone)]
pub struct OaSent {
    pub user_id: String,
    pub text: String,
    /// An image sent by URL.
    pub image: Option<String>,
    /// Charged to the Cloud Account (outside 48 hours).
    pub paid: bool,
}

#[derive(Debug, Clone, Copy)]
struct FUser {
    last_interaction: i64,
    followed: bool,
}

#[derive(Default)]
struct FakeState {
    clock_offset_ms: i64,
    /// access token → expiry (fake clock).
    access: HashMap<String, i64>,
    /// Refresh tokens that still work (each once).
    refresh_valid: HashSet<String>,
    next_token: u64,
    access_ttl_secs: i64,
    /// After this many more accepted sends, every access token expires.
    expire_access_after: Option<u32>,
    /// The next N refreshes spend the token, make a new pair, then answer 500 (the
    /// answer is lost).
    lose_refresh_answers: u32,
    /// Refreshes spend the token and make a new pair, then take 30 s to answer (long
    /// enough for a test to kill the bot in between).
    hang_refresh_answers: bool,
    refresh_calls: u64,
    /// Refresh calls that came with a wrong app id or secret key, or a spent token.
    bad_refreshes: Vec<String>,
    users: HashMap<String, FUser>,
    cloud_account: bool,
    sent: Vec<OaSent>,
    /// Sends Zalo refused: (user, error code).
    refused: Vec<(String, i64)>,
    /// Answer the next N sends with a 502 page.
    fail_next: u32,
    /// Answer the next N sends with -32 (rate limit).
    rate_limit_next: u32,
    next_msg: u64,
    /// Profiles `/v3.0/oa/user/detail` answers: user → (display name, shared phone).
    profiles: HashMap<String, (String, Option<String>)>,
    /// Every profile call: the user asked about.
    profile_calls: Vec<String>,
    /// Answer the next N profile calls with a 502 page.
    fail_profiles: u32,
    /// Every ZNS request body accepted.
    zns: Vec<Value>,
}

#[derive(Clone)]
pub struct FakeOa {
    state: Arc<Mutex<FakeState>>,
    pub addr: SocketAddr,
    http: reqwest::Client,
}

impl FakeOa {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake oa");
        let addr = listener.local_addr().expect("addr");
        let fake = FakeOa {
            state: Arc::new(Mutex::new(FakeState {
                access_ttl_secs: 90_000,
                next_token: 1,
                next_msg: 1,
                ..FakeState::default()
            })),
            addr,
            http: reqwest::Client::new(),
        };
        let router = Router::new()
            .route("/v4/oa/access_token", post(refresh))
            .route("/v3.0/oa/message/cs", post(send_cs))
            .route("/v3.0/oa/user/detail", get(user_detail))
            .route("/message/template", post(send_zns))
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

    /// The fake's clock: real time moved by [`FakeOa::advance`].
    pub fn now(&self) -> i64 {
        now_ms() + self.lock().clock_offset_ms
    }

    /// Let time pass on Zalo's side (access tokens and the 48-hour windows age).
    pub fn advance(&self, ms: i64) {
        self.lock().clock_offset_ms += ms;
    }

    /// The OA admin authorizes the app (the OAuth consent): a new refresh token.
    pub fn authorize(&self) -> String {
        let mut s = self.lock();
        let token = format!("refresh-{:04}-{}", s.next_token, OA_APP_ID);
        s.next_token += 1;
        s.refresh_valid.insert(token.clone());
        token
    }

    /// The refresh token that works now (there is one at a time after the first use).
    pub fn live_refresh_tokens(&self) -> Vec<String> {
        self.lock().refresh_valid.iter().cloned().collect()
    }

    pub fn access_valid(&self, token: &str) -> bool {
        let now = self.now();
        self.lock().access.get(token).is_some_and(|e| *e > now)
    }

    pub fn refresh_calls(&self) -> u64 {
        self.lock().refresh_calls
    }

    pub fn bad_refreshes(&self) -> Vec<String> {
        self.lock().bad_refreshes.clone()
    }

    pub fn expire_access_after(&self, sends: u32) {
        self.lock().expire_access_after = Some(sends);
    }

    pub fn lose_refresh_answers(&self, n: u32) {
        self.lock().lose_refresh_answers = n;
    }

    pub fn hang_refresh_answers(&self, on: bool) {
        self.lock().hang_refresh_answers = on;
    }

    pub fn set_cloud_account(&self, on: bool) {
        self.lock().cloud_account = on;
    }

    pub fn fail_next(&self, n: u32) {
        self.lock().fail_next = n;
    }

    pub fn rate_limit_next(&self, n: u32) {
        self.lock().rate_limit_next = n;
    }

    pub fn sent(&self) -> Vec<OaSent> {
        self.lock().sent.clone()
    }

    pub fn sent_to(&self, user: &str) -> Vec<OaSent> {
        self.lock()
            .sent
            .iter()
            .filter(|m| m.user_id == user)
            .cloned()
            .collect()
    }

    /// What the profile call answers for `user` (a user without one gets -213).
    pub fn set_profile(&self, user: &str, name: &str, phone: Option<&str>) {
        self.lock().profiles.insert(
            user.to_string(),
            (name.to_string(), phone.map(str::to_string)),
        );
    }

    pub fn profile_calls(&self) -> Vec<String> {
        self.lock().profile_calls.clone()
    }

    pub fn fail_profiles(&self, n: u32) {
        self.lock().fail_profiles = n;
    }

    /// The ZNS requests Zalo accepted (their JSON bodies).
    pub fn zns(&self) -> Vec<Value> {
        self.lock().zns.clone()
    }

    pub fn refused(&self) -> Vec<(String, i64)> {
        self.lock().refused.clone()
    }

    /// The user's last interaction moves `hours` back (as if they had not written for
    /// that long).
    pub fn age(&self, user: &str, hours: i64) {
        if let Some(u) = self.lock().users.get_mut(user) {
            u.last_interaction -= hours * HOUR_MS;
        }
    }

    fn interact(&self, user: &str, followed: bool) {
        let now = self.now();
        self.lock().users.insert(
            user.to_string(),
            FUser {
                last_interaction: now,
                followed,
            },
        );
    }

    /// A new message id.
    pub fn msg_id(&self) -> String {
        let mut s = self.lock();
        s.next_msg += 1;
        format!("{:032x}", 0x9d3c_df3a_f150_u64 + s.next_msg)
    }

    /// The event `user_send_text`, as Zalo sends it (timestamp: now, in ms, a string).
    pub fn text_event(&self, user: &str, text: &str, msg_id: &str) -> Value {
        json!({
            "app_id": OA_APP_ID,
            "user_id_by_app": format!("app-{user}"),
            "event_name": "user_send_text",
            "timestamp": now_ms().to_string(),
            "sender": {"id": user},
            "recipient": {"id": "oa-congdoan-0001"},
            "message": {"msg_id": msg_id, "text": text}
        })
    }

    pub fn location_event(&self, user: &str, lat: f64, lon: f64, msg_id: &str) -> Value {
        json!({
            "app_id": OA_APP_ID,
            "event_name": "user_send_location",
            "timestamp": now_ms().to_string(),
            "sender": {"id": user},
            "recipient": {"id": "oa-congdoan-0001"},
            "message": {"msg_id": msg_id, "attachments": [{"type": "location",
                "payload": {"coordinates": {"latitude": lat.to_string(), "longitude": lon.to_string()}}}]}
        })
    }

    pub fn follow_event(&self, user: &str, follow: bool) -> Value {
        json!({
            "app_id": OA_APP_ID,
            "oa_id": "oa-congdoan-0001",
            "event_name": if follow { "follow" } else { "unfollow" },
            "timestamp": now_ms().to_string(),
            "follower": {"id": user},
            "user_id_by_app": format!("app-{user}")
        })
    }

    /// The signature header value Zalo would send for `body`.
    pub fn mac(body: &str) -> String {
        let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let ts = match &v["timestamp"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        format!(
            "mac={}",
            signature(OA_APP_ID, body.as_bytes(), &ts, OA_WEBHOOK_SECRET)
        )
    }

    /// POST a raw body with this signature header (or none) to the bot's webhook.
    pub async fn post_raw(&self, webhook: &str, body: &str, mac: Option<&str>) -> StatusCode {
        let mut req = self
            .http
            .post(webhook)
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(mac) = mac {
            req = req.header("X-ZEvent-Signature", mac);
        }
        let status = req.send().await.expect("webhook call").status().as_u16();
        StatusCode::from_u16(status).expect("status")
    }

    /// Deliver a signed event: a user's message or (un)follow starts their window
    /// again on Zalo's side too.
    pub async fn deliver(&self, webhook: &str, event: &Value) -> StatusCode {
        match event["event_name"].as_str() {
            Some("unfollow") => {
                let user = event["follower"]["id"].as_str().unwrap_or("").to_string();
                let mut s = self.lock();
                if let Some(u) = s.users.get_mut(&user) {
                    u.followed = false;
                }
            }
            Some("follow") => self.interact(event["follower"]["id"].as_str().unwrap_or(""), true),
            _ => self.interact(event["sender"]["id"].as_str().unwrap_or(""), true),
        }
        let body = event.to_string();
        self.post_raw(webhook, &body, Some(&Self::mac(&body))).await
    }

    /// The config that points the bot at this fake.
    pub fn config(&self, refresh_token: &str) -> ZaloOaConfig {
        let mut c = ZaloOaConfig::new(OA_APP_ID, OA_SECRET_KEY, OA_WEBHOOK_SECRET);
        c.refresh_token = Some(refresh_token.to_string());
        c.api_url = self.url();
        c.oauth_url = self.url();
        c.zns_url = self.url();
        // Pauses of a test's length, not Zalo's.
        c.rate_limit_pause = Duration::from_millis(300);
        c.token_pause = Duration::from_millis(300);
        c
    }
}

fn answer(v: Value) -> Response {
    (StatusCode::OK, axum::Json(v)).into_response()
}

fn oa_error(code: i64, message: &str) -> Response {
    answer(json!({"error": code, "message": message}))
}

async fn refresh(State(fake): State<FakeOa>, headers: HeaderMap, body: Bytes) -> Response {
    let (hang, response) = refresh_now(&fake, &headers, &body);
    if hang {
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
    response
}

/// The refresh itself; `true` when its answer is to be held back.
fn refresh_now(fake: &FakeOa, headers: &HeaderMap, body: &[u8]) -> (bool, Response) {
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let now = fake.now();
    let mut s = fake.lock();
    s.refresh_calls += 1;
    let secret = headers
        .get("secret_key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if secret != OA_SECRET_KEY
        || form.get("app_id").map(String::as_str) != Some(OA_APP_ID)
        || form.get("grant_type").map(String::as_str) != Some("refresh_token")
    {
        s.bad_refreshes.push(format!("bad app or secret: {form:?}"));
        return (
            false,
            answer(
                json!({"error": -14002, "error_name": "Invalid app or secret",
            "error_description": "app_id or secret_key is wrong"}),
            ),
        );
    }
    let token = form.get("refresh_token").cloned().unwrap_or_default();
    if !s.refresh_valid.remove(&token) {
        s.bad_refreshes
            .push(format!("spent or unknown refresh token {token}"));
        return (
            false,
            answer(
                json!({"error": -14014, "error_name": "Invalid refresh token",
            "error_description": "Refresh token is invalid"}),
            ),
        );
    }
    let n = s.next_token;
    s.next_token += 1;
    let access = format!("access-{n:04}");
    let new_refresh = format!("refresh-{n:04}-{OA_APP_ID}");
    let ttl = s.access_ttl_secs;
    s.access.insert(access.clone(), now + ttl * 1000);
    s.refresh_valid.insert(new_refresh.clone());
    if s.lose_refresh_answers > 0 {
        s.lose_refresh_answers -= 1;
        // Spent and replaced on Zalo's side; the answer never reaches the bot.
        return (
            false,
            (StatusCode::INTERNAL_SERVER_ERROR, "<html>500</html>").into_response(),
        );
    }
    // Zalo sends expires_in as a string of seconds.
    (
        s.hang_refresh_answers,
        answer(json!({"access_token": access, "refresh_token": new_refresh,
            "expires_in": ttl.to_string()})),
    )
}

async fn send_cs(State(fake): State<FakeOa>, headers: HeaderMap, body: Bytes) -> Response {
    let now = fake.now();
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let user = params["recipient"]["user_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let mut s = fake.lock();
    if s.fail_next > 0 {
        s.fail_next -= 1;
        return (StatusCode::BAD_GATEWAY, "<html>502 Bad Gateway</html>").into_response();
    }
    let token = headers
        .get("access_token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if s.access.get(&token).is_none_or(|e| *e <= now) {
        s.refused.push((user, -216));
        return oa_error(-216, "Access token is invalid");
    }
    if s.rate_limit_next > 0 {
        s.rate_limit_next -= 1;
        s.refused.push((user, -32));
        return oa_error(-32, "The number of requests exceeds the limit");
    }
    let message = &params["message"];
    let text = message["text"].as_str().unwrap_or("").to_string();
    let image = message["attachment"]["payload"]["elements"][0]["url"]
        .as_str()
        .map(str::to_string);
    if user.is_empty() || (text.is_empty() && image.is_none()) {
        s.refused.push((user, -201));
        return oa_error(-201, "Parameters are invalid");
    }
    if text.chars().count() > 2000 {
        s.refused.push((user, -210));
        return oa_error(-210, "Text is too long");
    }
    let Some(u) = s.users.get(&user).copied() else {
        s.refused.push((user, -213));
        return oa_error(-213, "User has not followed OA");
    };
    if !u.followed {
        s.refused.push((user, -213));
        return oa_error(-213, "User has not followed OA");
    }
    let age = now - u.last_interaction;
    let paid = if age <= 48 * HOUR_MS {
        false
    } else if age <= 7 * 24 * HOUR_MS {
        if !s.cloud_account {
            s.refused.push((user, -320));
            return oa_error(-320, "Your app needs to connect with Zalo Cloud Account");
        }
        true
    } else {
        s.refused.push((user, -230));
        return oa_error(
            -230,
            "User has not interacted with the OA in the last 7 days",
        );
    };
    s.sent.push(OaSent {
        user_id: user.clone(),
        text,
        image,
        paid,
    });
    if let Some(n) = s.expire_access_after.as_mut() {
        *n = n.saturating_sub(1);
        if *n == 0 {
            s.expire_access_after = None;
            for expiry in s.access.values_mut() {
                *expiry = now;
            }
        }
    }
    let id = format!("{:032x}", s.sent.len());
    answer(json!({"error": 0, "message": "Success",
        "data": {"message_id": id, "user_id": user}}))
}

fn token_ok(s: &FakeState, headers: &HeaderMap, now: i64) -> bool {
    let token = headers
        .get("access_token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    s.access.get(token).is_some_and(|e| *e > now)
}

/// `GET /v3.0/oa/user/detail?data={"user_id":"…"}` (`access_token` header).
async fn user_detail(
    State(fake): State<FakeOa>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let now = fake.now();
    let data: Value = q
        .get("data")
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or(Value::Null);
    let user = data["user_id"].as_str().unwrap_or("").to_string();
    let mut s = fake.lock();
    s.profile_calls.push(user.clone());
    if s.fail_profiles > 0 {
        s.fail_profiles -= 1;
        return (StatusCode::BAD_GATEWAY, "<html>502 Bad Gateway</html>").into_response();
    }
    if !token_ok(&s, &headers, now) {
        return oa_error(-216, "Access token is invalid");
    }
    match s.profiles.get(&user) {
        Some((name, phone)) => {
            let mut d = json!({"user_id": user, "display_name": name,
                "user_is_follower": true, "avatar": "https://s120-ava-talk.zadn.vn/a.jpg"});
            if let Some(p) = phone {
                d["shared_info"] = json!({"name": name, "phone": p});
            }
            answer(json!({"error": 0, "message": "Success", "data": d}))
        }
        None => oa_error(-213, "User has not followed OA"),
    }
}

/// `POST /message/template` (ZNS): phone, template_id, template_data, tracking_id.
async fn send_zns(State(fake): State<FakeOa>, headers: HeaderMap, body: Bytes) -> Response {
    let now = fake.now();
    let params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut s = fake.lock();
    if !token_ok(&s, &headers, now) {
        return oa_error(-216, "Access token is invalid");
    }
    let phone = params["phone"].as_str().unwrap_or("");
    if !phone.starts_with("84")
        || params["template_id"].as_str().unwrap_or("").is_empty()
        || !params["template_data"].is_object()
    {
        return oa_error(-108, "Phone number or template is invalid");
    }
    s.zns.push(params.clone());
    answer(json!({"error": 0, "message": "Success",
        "data": {"msg_id": format!("zns-{}", s.zns.len()), "sent_time": now.to_string()}}))
}

/// The bot started with the OA (beside the harness's Telegram) against a [`FakeOa`].
pub struct OaApp {
    pub t: TestApp,
    pub oa: FakeOa,
}

impl std::ops::Deref for OaApp {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.t
    }
}

impl OaApp {
    pub async fn spawn(backend: Backend) -> Option<OaApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(
        backend: Backend,
        tweak: impl FnOnce(&mut ServeConfig),
    ) -> Option<OaApp> {
        let oa = FakeOa::start().await;
        let first = oa.authorize();
        let config = oa.config(&first);
        let t = TestApp::spawn_with(backend, |cfg| {
            cfg.listen = Some("127.0.0.1:0".parse().expect("addr"));
            cfg.zalo_oa = Some(config);
            tweak(cfg);
        })
        .await?;
        Some(OaApp { t, oa })
    }

    pub async fn finish(self) {
        self.t.finish().await;
    }

    pub fn webhook(&self) -> String {
        let addr = self
            .t
            .app
            .as_ref()
            .and_then(|a| a.http_addr)
            .expect("listening");
        format!("http://{addr}/webhook/zalo-oa")
    }

    /// A user writes `text`; waits until it is processed and every reply sent; returns
    /// what the OA sent them meanwhile.
    pub async fn say(&self, user: &str, text: &str) -> Vec<OaSent> {
        let msg_id = self.oa.msg_id();
        let event = self.oa.text_event(user, text, &msg_id);
        self.send(user, &event).await
    }

    pub async fn send(&self, user: &str, event: &Value) -> Vec<OaSent> {
        let before = self.oa.sent_to(user).len();
        let status = self.oa.deliver(&self.webhook(), event).await;
        assert_eq!(status, StatusCode::OK, "webhook refused {event}");
        if let Some(msg_id) = event["message"]["msg_id"].as_str() {
            self.wait_processed(&format!("{user}:{msg_id}")).await;
        }
        self.wait_outbox_empty().await;
        self.oa.sent_to(user).split_off(before)
    }

    pub async fn inbox_status(&self, key: &str) -> Option<String> {
        super::inbox_status(&self.store, "zalo_oa", key).await
    }

    pub async fn wait_processed(&self, key: &str) {
        super::wait_handled(&self.store, "zalo_oa", key).await;
    }

    pub async fn wait_outbox_empty(&self) {
        super::drain_outbox(&self.store, "zalo_oa").await;
    }

    /// `hours` pass for this user without them writing: on Zalo's side and in the
    /// bot's record of their last interaction.
    pub async fn age(&self, user: &str, hours: i64) {
        self.oa.age(user, hours);
        sqlx::query(
            "UPDATE zalo_oa_users SET last_inbound_at = last_inbound_at - $1 WHERE user_id = $2",
        )
        .bind(hours * HOUR_MS)
        .bind(user.to_string())
        .execute(self.store.pool())
        .await
        .expect("age");
    }

    /// The stored token pair: (access, refresh).
    pub async fn stored_pair(&self) -> (String, String) {
        let r = sqlx::query("SELECT access_token, refresh_token FROM zalo_oa_tokens WHERE id = 1")
            .fetch_one(self.store.pool())
            .await
            .expect("token row");
        (r.get("access_token"), r.get("refresh_token"))
    }

    /// A member joins on the OA with `code`, typing 1 to consent.
    pub async fn join_oa(&self, user: &str, code: &str) {
        let welcome = oatexts(&self.say(user, code).await);
        assert!(welcome.contains("1. Đồng ý"), "{welcome}");
        let joined = oatexts(&self.say(user, "1").await);
        assert!(joined.contains("Bạn đã tham gia"), "{joined}");
    }
}

pub fn oatexts(sent: &[OaSent]) -> String {
    sent.iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n---\n")
}
