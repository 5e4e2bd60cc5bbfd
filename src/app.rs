//! `serve`: wires store, channels, processor, senders and the HTTP endpoints, and
//! stops them in order on shutdown (receivers first, then processing, then sending).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use teloxide::prelude::Requester;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::channels::Transport;
use crate::channels::telegram::{self, TelegramTransport};
use crate::channels::zalo::{self, ZaloClient, ZaloTransport};
use crate::channels::zalo_oa::{self, OaClient, ZaloOaTransport};
use crate::cluster;
use crate::health::Liveness;
use crate::i18n::I18n;
use crate::inbound_limit::InboundLimit;
use crate::processor::Processor;
use crate::scheduler::Scheduler;
use crate::sender::{SendLimits, Sender};
use crate::store::Store;

/// Everything `serve` needs, resolved from [`crate::config::ServeArgs`].
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub database_url: String,
    pub telegram_token: Option<String>,
    pub telegram_api_url: Option<String>,
    pub zalo_token: Option<String>,
    /// Zalo Bot API base URL (default https://bot-api.zaloplatforms.com).
    pub zalo_api_url: Option<String>,
    /// Hosts a Zalo photo may be downloaded from (default: Zalo's CDNs).
    pub zalo_photo_hosts: Vec<String>,
    /// How often a Zalo sender paused by the quota tries again
    /// (`CONGDOAN_ZALO_QUOTA_RETRY_SECS`, hourly).
    pub zalo_quota_retry: std::time::Duration,
    pub send_rate: u32,
    /// Messages per second to one private chat (the platforms allow 1; tests raise it).
    pub chat_rate: u32,
    pub listen: Option<SocketAddr>,
    pub public_url: Option<String>,
    pub webhook_secret: Option<String>,
    /// getUpdates long-poll timeout (seconds).
    pub poll_timeout_secs: u32,
    /// Off only in tests that stop the bot between receiving and processing.
    pub run_processor: bool,
    /// Off in tests that drive the scheduler with their own clock.
    pub run_scheduler: bool,
    /// Messages one person may send a minute before the rest is skipped (0: no limit).
    pub inbound_per_min: u32,
    /// First wait before a failed update is tried again (doubled each try, then parked).
    pub retry_base_ms: i64,
    /// Idle hours before an officer's web console session ends.
    pub web_idle_hours: u32,
    /// Tile server of the console's tips map (`CONGDOAN_MAP_TILES`).
    pub map_tiles: Option<crate::web::map::MapTiles>,
    /// Messages per second to Zalo (`CONGDOAN_ZALO_SEND_RATE`).
    pub zalo_send_rate: u32,
    /// How long a claimed message belongs to a sender (`CONGDOAN_SEND_LEASE_SECS`).
    pub send_lease: std::time::Duration,
    /// The Zalo Official Account channel (on when `ZALO_OA_APP_ID` is set).
    pub zalo_oa: Option<crate::channels::zalo_oa::ZaloOaConfig>,
    /// How often the elected OA sender checks that its access token is fresh.
    pub zalo_oa_token_check: std::time::Duration,
    /// Test-only fault injection: an update with exactly this text panics.
    #[doc(hidden)]
    pub panic_on_text: Option<String>,
}

impl ServeConfig {
    pub fn new(database_url: &str) -> Self {
        ServeConfig {
            database_url: database_url.to_string(),
            telegram_token: None,
            telegram_api_url: None,
            zalo_token: None,
            zalo_api_url: None,
            zalo_photo_hosts: zalo::DEFAULT_PHOTO_HOSTS
                .iter()
                .map(|h| h.to_string())
                .collect(),
            zalo_quota_retry: zalo::DEFAULT_QUOTA_RETRY,
            send_rate: 30,
            chat_rate: 1,
            listen: None,
            public_url: None,
            webhook_secret: None,
            poll_timeout_secs: 25,
            run_processor: true,
            run_scheduler: true,
            inbound_per_min: 30,
            retry_base_ms: 1000,
            web_idle_hours: crate::web::DEFAULT_IDLE_HOURS,
            map_tiles: None,
            zalo_send_rate: zalo::DEFAULT_SEND_RATE,
            send_lease: std::time::Duration::from_secs(120),
            panic_on_text: None,
            zalo_oa: None,
            zalo_oa_token_check: std::time::Duration::from_secs(300),
        }
    }

    fn webhook_secret(&self) -> Option<String> {
        if let Some(s) = &self.webhook_secret {
            return Some(s.clone());
        }
        // Derived, so every instance of one bot agrees without extra configuration.
        self.telegram_token.as_ref().map(|t| {
            let digest = Sha256::digest(format!("congdoan-webhook:{t}").as_bytes());
            digest.iter().take(24).map(|b| format!("{b:02x}")).collect()
        })
    }
}

pub struct RunningApp {
    pub store: Store,
    /// Held while the app runs (SQLite only); released when the app is dropped.
    _instance_lock: Option<std::fs::File>,
    pub http_addr: Option<SocketAddr>,
    /// What Zalo said about reaching the webhook URL (webhook mode only).
    pub zalo_webhook: Option<zalo::WebhookCheck>,
    shutdown: CancellationToken,
    tasks: JoinSet<()>,
    receivers: JoinSet<()>,
    processing: JoinSet<()>,
    receivers_token: CancellationToken,
    processing_token: CancellationToken,
}

impl RunningApp {
    /// Test-only: end the processing loop as a crash of that loop would, leaving the
    /// rest running (so `/healthz` can be seen to notice).
    #[doc(hidden)]
    pub async fn abort_processing(&mut self) {
        self.processing.abort_all();
        while self.processing.join_next().await.is_some() {}
    }

    /// Stop cleanly: stop receiving, finish processing what is stored, finish the
    /// messages in flight.
    pub async fn stop(mut self) {
        self.receivers_token.cancel();
        while self.receivers.join_next().await.is_some() {}
        self.processing_token.cancel();
        while self.processing.join_next().await.is_some() {}
        self.shutdown.cancel();
        while self.tasks.join_next().await.is_some() {}
        self.store.close().await;
    }

    /// Simulate a crash: abort every task where it stands.
    pub async fn kill(mut self) {
        self.receivers.abort_all();
        self.processing.abort_all();
        self.tasks.abort_all();
        while self.receivers.join_next().await.is_some() {}
        while self.processing.join_next().await.is_some() {}
        while self.tasks.join_next().await.is_some() {}
        self.store.close().await;
    }
}

pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Several apps in one test process share the first recorder; that's fine.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

#[derive(Clone)]
struct HttpState {
    store: Store,
    liveness: Arc<Liveness>,
    inbox_ready: Arc<Notify>,
    webhook_secret: Option<String>,
    /// Set when Zalo delivers by webhook.
    zalo_webhook_secret: Option<String>,
    /// Shows "typing…" on Zalo for slow answers.
    zalo_client: Option<ZaloClient>,
    /// Set when the Zalo OA channel is on.
    zalo_oa: Option<Arc<zalo_oa::OaWebhook>>,
}

/// SQLite serves one process: a second `serve` on the same file is refused. The lock is
/// the kernel's (flock on `<file>.lock`), so it goes away with the process, even after
/// kill -9, and never wrongly refuses a restart.
fn lock_sqlite(database_url: &str) -> anyhow::Result<Option<std::fs::File>> {
    let Some(rest) = database_url.strip_prefix("sqlite:") else {
        return Ok(None);
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path.contains(":memory:") {
        return Ok(None);
    }
    let lock_path = format!("{path}.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot create {lock_path}"))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "một bot khác đang chạy trên cơ sở dữ liệu SQLite này ({path}); SQLite chỉ cho một phiên bản, hãy dùng PostgreSQL để chạy nhiều phiên bản / another instance is already running on this SQLite database"
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {lock_path}"))
        }
    }
}

pub async fn start(cfg: ServeConfig) -> anyhow::Result<RunningApp> {
    if cfg
        .webhook_secret
        .as_deref()
        .is_some_and(|s| s.trim().is_empty())
    {
        // An empty secret would let through calls that carry none.
        anyhow::bail!(
            "CONGDOAN_WEBHOOK_SECRET trống: hãy đặt một chuỗi bí mật, hoặc bỏ biến này để bot tự tạo / CONGDOAN_WEBHOOK_SECRET is empty: set a secret or unset it"
        );
    }
    let instance_lock = lock_sqlite(&cfg.database_url)?;
    let liveness = Arc::new(Liveness::default());
    let store = Store::open(&cfg.database_url)
        .await
        .context("cannot open the database")?;
    let i18n = Arc::new(I18n::new());
    let inbox_ready = Arc::new(Notify::new());
    let outbox_ready = Arc::new(Notify::new());
    let shutdown = CancellationToken::new();
    let receivers_token = CancellationToken::new();
    let processing_token = CancellationToken::new();
    let mut tasks = JoinSet::new();
    let mut receivers = JoinSet::new();
    let mut processing = JoinSet::new();
    metrics_handle();

    let webhook_secret = cfg.webhook_secret();
    // Channels that can hand over the files people send (officers' documents).
    let mut files: Vec<Arc<Transport>> = Vec::new();
    let webhook_mode = cfg.listen.is_some() && cfg.public_url.is_some();
    // Made first: the Telegram sender downloads Zalo members' photos with it.
    let zalo_client = match &cfg.zalo_token {
        Some(token) => Some(
            ZaloClient::new(token, cfg.zalo_api_url.as_deref())?
                .with_photo_hosts(&cfg.zalo_photo_hosts),
        ),
        None => None,
    };

    if let Some(token) = &cfg.telegram_token {
        let bot = telegram::make_bot(token, cfg.telegram_api_url.as_deref())?;
        let me = bot
            .get_me()
            .await
            .context("Telegram refused the token (getMe failed)")?;
        if let Some(username) = &me.user.username {
            store.set_setting("telegram_username", username).await?;
        }
        if let Err(e) = telegram::set_commands(&bot, &i18n).await {
            tracing::warn!(error = %e, "setMyCommands failed");
        }
        if webhook_mode {
            let base = cfg.public_url.clone().unwrap_or_default();
            let url = format!("{}/webhook/telegram", base.trim_end_matches('/'));
            let mut req = bot.set_webhook(url.parse().context("CONGDOAN_PUBLIC_URL is not a URL")?);
            req.secret_token = webhook_secret.clone();
            teloxide::requests::Request::send(req)
                .await
                .context("setWebhook failed")?;
            tracing::info!(%url, "telegram webhook set");
        } else {
            let leadership =
                cluster::stand(&store, "poller:telegram", shutdown.clone(), &mut tasks);
            let (bot, store, ready) = (bot.clone(), store.clone(), inbox_ready.clone());
            let timeout = cfg.poll_timeout_secs;
            receivers.spawn(cluster::while_leading(
                leadership,
                receivers_token.clone(),
                move |token| {
                    telegram::poll(bot.clone(), store.clone(), ready.clone(), token, timeout)
                },
            ));
        }
        let transport = Arc::new(Transport::Telegram(TelegramTransport { bot }));
        files.push(transport.clone());
        let sender = Sender {
            store: store.clone(),
            transport,
            limits: SendLimits {
                chat_per_sec: cfg.chat_rate,
                lease: cfg.send_lease,
                ..SendLimits::telegram(cfg.send_rate)
            },
            outbox_ready: outbox_ready.clone(),
            leadership: cluster::stand(&store, "sender:telegram", shutdown.clone(), &mut tasks),
            zalo_photos: zalo_client.clone(),
        };
        let alive = liveness.register("sender:telegram");
        let token = shutdown.clone();
        tasks.spawn(async move {
            let _alive = alive;
            sender.run(token).await
        });
    }

    let mut zalo_webhook_secret = None;
    // Registered once the listener below accepts connections: Zalo calls it at once.
    let mut zalo_webhook_url = None;
    if let (Some(token), Some(client)) = (&cfg.zalo_token, zalo_client.clone()) {
        client
            .get_me()
            .await
            .context("Zalo refused the token (getMe failed)")?;
        if webhook_mode {
            let secret = zalo::webhook_secret(cfg.webhook_secret.as_deref(), token);
            let base = cfg.public_url.clone().unwrap_or_default();
            zalo_webhook_url = Some(format!("{}/webhook/zalo", base.trim_end_matches('/')));
            zalo_webhook_secret = Some(secret);
        } else {
            let leadership = cluster::stand(&store, "poller:zalo", shutdown.clone(), &mut tasks);
            let (client, store, ready) = (client.clone(), store.clone(), inbox_ready.clone());
            let timeout = cfg.poll_timeout_secs;
            receivers.spawn(cluster::while_leading(
                leadership,
                receivers_token.clone(),
                move |token| {
                    zalo::poll(client.clone(), store.clone(), ready.clone(), token, timeout)
                },
            ));
        }
        let transport = Arc::new(Transport::Zalo(ZaloTransport::new(client)));
        files.push(transport.clone());
        let mut sender = Sender {
            store: store.clone(),
            transport,
            limits: SendLimits {
                chat_per_sec: cfg.chat_rate,
                lease: cfg.send_lease,
                ..SendLimits::zalo(cfg.zalo_send_rate)
            },
            outbox_ready: outbox_ready.clone(),
            leadership: cluster::stand(&store, "sender:zalo", shutdown.clone(), &mut tasks),
            zalo_photos: None,
        };
        sender.limits.quota_retry = cfg.zalo_quota_retry;
        let alive = liveness.register("sender:zalo");
        let token = shutdown.clone();
        tasks.spawn(async move {
            let _alive = alive;
            sender.run(token).await
        });
    }

    let mut oa_webhook = None;
    if let Some(oa) = &cfg.zalo_oa {
        if cfg.listen.is_none() {
            anyhow::bail!(
                "Zalo OA chỉ nhận tin qua webhook: hãy đặt CONGDOAN_LISTEN / the Zalo OA channel is webhook-only: set CONGDOAN_LISTEN"
            );
        }
        let seeded = store
            .zalo_oa_seed_tokens(oa.refresh_token.as_deref(), crate::core::time::now_ms())
            .await?;
        if !seeded {
            tracing::error!(
                "zalo oa: no token pair stored and ZALO_OA_REFRESH_TOKEN is not set: the OA receives but cannot send"
            );
        }
        let client = OaClient::new(oa)?;
        // Clones share the refresh lock.
        let transport = ZaloOaTransport::new(client, store.clone(), oa.clone());
        let leadership = cluster::stand(&store, "sender:zalo_oa", shutdown.clone(), &mut tasks);
        let profiles_due = Arc::new(Notify::new());
        // The elected sender keeps the token fresh even when nothing is sent (a refresh
        // token unused for months expires), and asks for newcomers' names when woken.
        {
            let transport = transport.clone();
            let profiles_due = profiles_due.clone();
            let every = cfg
                .zalo_oa_token_check
                .max(std::time::Duration::from_millis(50));
            tasks.spawn(cluster::while_leading(
                leadership.clone(),
                shutdown.clone(),
                move |token| {
                    let transport = transport.clone();
                    let profiles_due = profiles_due.clone();
                    async move {
                        let mut fresh_at: Option<std::time::Instant> = None;
                        loop {
                            if fresh_at.is_none_or(|t| t.elapsed() >= every) {
                                transport.keep_fresh().await;
                                fresh_at = Some(std::time::Instant::now());
                            }
                            transport.fetch_profiles().await;
                            tokio::select! {
                                _ = tokio::time::sleep(every) => {}
                                _ = profiles_due.notified() => {}
                                _ = token.cancelled() => return,
                            }
                        }
                    }
                },
            ));
        }
        let sender = Sender {
            store: store.clone(),
            transport: Arc::new(Transport::ZaloOa(Box::new(transport))),
            limits: SendLimits {
                chat_per_sec: cfg.chat_rate,
                lease: cfg.send_lease,
                ..SendLimits::zalo(cfg.zalo_send_rate)
            },
            outbox_ready: outbox_ready.clone(),
            leadership,
            zalo_photos: None,
        };
        let alive = liveness.register("sender:zalo_oa");
        let token = shutdown.clone();
        tasks.spawn(async move {
            let _alive = alive;
            sender.run(token).await
        });
        oa_webhook = Some(Arc::new(zalo_oa::OaWebhook {
            cfg: oa.clone(),
            i18n: i18n.clone(),
            outbox_ready: outbox_ready.clone(),
            profiles_due,
        }));
    }

    if cfg.run_processor {
        let processor = Processor {
            store: store.clone(),
            i18n: i18n.clone(),
            inbox_ready: inbox_ready.clone(),
            outbox_ready: outbox_ready.clone(),
            files,
            inbound_limit: InboundLimit::new(cfg.inbound_per_min),
            started_at: crate::core::time::now_ms(),
            retry_base_ms: cfg.retry_base_ms.max(1),
            panic_on_text: cfg.panic_on_text.clone(),
        };
        let alive = liveness.register("processor");
        let token = processing_token.clone();
        processing.spawn(async move {
            let _alive = alive;
            processor.run(token).await
        });
    }
    if cfg.run_scheduler {
        let scheduler = Scheduler {
            store: store.clone(),
            i18n: i18n.clone(),
            outbox_ready: outbox_ready.clone(),
            every: std::time::Duration::from_secs(30),
            leadership: cluster::stand(&store, "scheduler", shutdown.clone(), &mut tasks),
            served: [
                cfg.telegram_token.as_ref().map(|_| "telegram"),
                cfg.zalo_token.as_ref().map(|_| "zalo"),
                cfg.zalo_oa.as_ref().map(|_| "zalo_oa"),
            ]
            .into_iter()
            .flatten()
            .collect(),
        };
        let alive = liveness.register("scheduler");
        let token = shutdown.clone();
        tasks.spawn(async move {
            let _alive = alive;
            scheduler.run(token).await
        });
    }

    let mut http_addr = None;
    if let Some(addr) = cfg.listen {
        let state = HttpState {
            store: store.clone(),
            liveness: liveness.clone(),
            inbox_ready: inbox_ready.clone(),
            // Only Telegram's own webhook answers to the Telegram route.
            webhook_secret: if webhook_mode && cfg.telegram_token.is_some() {
                webhook_secret
            } else {
                None
            },
            zalo_webhook_secret: zalo_webhook_secret.clone(),
            zalo_client: zalo_client.clone(),
            zalo_oa: oa_webhook.clone(),
        };
        let router = Router::new()
            .route("/healthz", get(healthz))
            .route("/metrics", get(metrics_endpoint))
            .route("/webhook/telegram", post(telegram_webhook))
            .route("/webhook/zalo", post(zalo_webhook))
            .route("/webhook/zalo-oa", post(zalo_oa_webhook))
            .with_state(state)
            .merge(crate::web::router(crate::web::WebState {
                store: store.clone(),
                i18n: i18n.clone(),
                outbox_ready: outbox_ready.clone(),
                secure_cookie: crate::web::is_https(cfg.public_url.as_deref()),
                idle_ms: i64::from(cfg.web_idle_hours.max(1)) * 3_600_000,
                map_tiles: cfg.map_tiles.clone(),
            }));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        http_addr = Some(local);
        // Where the links `/web` sends point to.
        let base = crate::web::base_url(cfg.public_url.as_deref(), local);
        store
            .set_setting(crate::web::BASE_URL_SETTING, &base)
            .await?;
        // Where Zalo fetches the OA's images: the public https URL (or, in tests, the
        // local address); none: the OA gets no images.
        if let Some(oa) = &cfg.zalo_oa {
            let image_base = if crate::web::is_https(Some(&base)) || oa.images_over_http {
                base.clone()
            } else {
                String::new()
            };
            store
                .set_setting(zalo_oa::IMAGE_BASE_SETTING, &image_base)
                .await?;
        }
        let token = receivers_token.clone();
        receivers.spawn(async move {
            let served = axum::serve(listener, router)
                .with_graceful_shutdown(async move { token.cancelled().await })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "http server failed");
            }
        });
        tracing::info!(addr = ?http_addr, "http listening");
    }
    let zalo_webhook = register_zalo_webhook(
        zalo_client.as_ref(),
        zalo_webhook_url.as_deref(),
        zalo_webhook_secret.as_deref(),
    )
    .await?;

    Ok(RunningApp {
        store,
        _instance_lock: instance_lock,
        http_addr,
        zalo_webhook,
        shutdown,
        tasks,
        receivers,
        processing,
        receivers_token,
        processing_token,
    })
}

/// Zalo's setWebhook, called once the listener accepts connections (Zalo calls the
/// URL at once to verify it).
async fn register_zalo_webhook(
    client: Option<&ZaloClient>,
    url: Option<&str>,
    secret: Option<&str>,
) -> anyhow::Result<Option<zalo::WebhookCheck>> {
    let (Some(client), Some(url), Some(secret)) = (client, url, secret) else {
        return Ok(None);
    };
    let check = zalo::register_webhook(client, url, secret)
        .await
        .context("Zalo setWebhook failed")?;
    Ok(Some(check))
}

/// 200 "ok" when the database answers and every processing, sending and scheduling loop
/// runs; 503 naming what is down otherwise.
async fn healthz(State(state): State<HttpState>) -> impl IntoResponse {
    let down = state.liveness.down();
    if !down.is_empty() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("down: {}", down.join(", ")),
        );
    }
    match sqlx::query("SELECT 1").execute(state.store.pool()).await {
        Ok(_) => (StatusCode::OK, "ok".to_string()),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable".to_string(),
        ),
    }
}

async fn metrics_endpoint(State(state): State<HttpState>) -> impl IntoResponse {
    if let Ok(counts) = state.store.inbox_counts().await {
        for (status, n) in counts {
            metrics::gauge!("congdoan_inbox_updates", "status" => status).set(n as f64);
        }
    }
    metrics_handle().render()
}

/// Telegram's webhook: check the secret, store the update, then answer 200. A
/// database failure answers 500 so Telegram delivers again: nothing is lost.
async fn telegram_webhook(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Some(expected) = &state.webhook_secret else {
        return StatusCode::NOT_FOUND;
    };
    let given = headers
        .get("x-telegram-bot-api-secret-token")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !constant_time_eq(given, expected.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(update) = telegram::parse_webhook_body(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let Some(event) = telegram::normalize(&update) else {
        return StatusCode::OK;
    };
    match state.store.inbox_insert(&event).await {
        Ok(new) => {
            if new {
                metrics::counter!("congdoan_updates_received_total", "channel" => "telegram")
                    .increment(1);
                state.inbox_ready.notify_waiters();
            }
            StatusCode::OK
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot store webhook update");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// Zalo's webhook (see [`zalo::accept_webhook`]).
async fn zalo_webhook(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    zalo::accept_webhook(
        &state.store,
        &state.inbox_ready,
        state.zalo_webhook_secret.as_deref(),
        state.zalo_client.as_ref(),
        &headers,
        &body,
    )
    .await
}

/// The Zalo OA's webhook (see [`zalo_oa::accept_webhook`]); 404 when the OA is off.
async fn zalo_oa_webhook(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Some(oa) = &state.zalo_oa else {
        return StatusCode::NOT_FOUND;
    };
    zalo_oa::accept_webhook(&state.store, oa, &state.inbox_ready, &headers, &body).await
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Wait for SIGINT (Ctrl-C) or SIGTERM (systemd, Kubernetes, docker stop).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
