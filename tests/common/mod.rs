//! Test harness: a fresh database per test (SQLite always; PostgreSQL when
//! TEST_DATABASE_URL is set), the fake Bot API, and the real bot started against both.
#![allow(dead_code)]

pub mod fake_telegram;
pub mod fake_zalo;
pub mod fake_zalo_oa;

use std::time::Duration;

use congdoan_bot::app::{self, RunningApp, ServeConfig};
use congdoan_bot::core::domain::{InviteCode, Role, UnitCode};
use congdoan_bot::org::parse_units_csv;
use congdoan_bot::store::Store;
use serde_json::Value;
use sqlx::Row;

pub use fake_telegram::{FakeTelegram, Sent, TgUser};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub url: String,
    admin: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// `None` when the backend is not available here (PostgreSQL without
    /// TEST_DATABASE_URL).
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Some(TestDb {
                    url,
                    admin: None,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_DATABASE_URL").ok()?;
                let name = format!(
                    "congdoan_test_{}",
                    InviteCode::generate().as_str().to_lowercase()
                );
                let admin = Store::connect(&admin_url)
                    .await
                    .expect("connect TEST_DATABASE_URL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(admin.pool())
                    .await
                    .expect("create test database");
                admin.close().await;
                let base = admin_url.split('?').next().unwrap_or(&admin_url);
                let base = &base[..base.rfind('/').unwrap_or(base.len())];
                Some(TestDb {
                    url: format!("{base}/{name}"),
                    admin: Some((admin_url.clone(), name)),
                    _dir: None,
                })
            }
        }
    }

    pub async fn drop_db(&self) {
        if let Some((admin_url, name)) = &self.admin
            && let Ok(admin) = Store::connect(admin_url).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(admin.pool())
            .await;
            admin.close().await;
        }
    }
}

pub const TREE_CSV: &str = "code,parent_code,name,kind
TLD,,Tổng Liên đoàn Lao động Việt Nam,tong_ldld
HCM,TLD,Liên đoàn Lao động TP. Hồ Chí Minh,ldld_tinh
HN,TLD,Liên đoàn Lao động TP. Hà Nội,ldld_tinh
KCX-TT,HCM,Công đoàn Khu chế xuất Tân Thuận,cd_kcn
CDCS-ABC,KCX-TT,Công đoàn cơ sở Công ty May <ABC> & Co,cdcs
TTQ-01,CDCS-ABC,Tổ tự quản nhà trọ số 1,to_tu_quan
TTQ-02,CDCS-ABC,Tổ tự quản nhà trọ số 2,to_tu_quan
";

/// The tree, `n` workers of TTQ-01 with Telegram accounts (chat ids from 3,000,001),
/// and a broadcast to all of them queued in the outbox. Returns TTQ-01's id.
/// Wait until nothing for `channel` is left to send (30 s at most).
pub async fn drain_outbox(store: &Store, channel: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while store.outbox_pending_count(channel).await.expect("db") > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{channel} outbox not drained in time"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The inbox status of update `key` on `channel`, once it is stored.
pub async fn inbox_status(store: &Store, channel: &str, key: &str) -> Option<String> {
    sqlx::query("SELECT status FROM inbox WHERE channel = $1 AND update_id = $2")
        .bind(channel.to_string())
        .bind(key.to_string())
        .fetch_optional(store.pool())
        .await
        .expect("db")
        .map(|r| r.try_get::<String, _>("status").expect("status"))
}

/// Wait until update `key` on `channel` is handled (20 s at most).
pub async fn wait_handled(store: &Store, channel: &str, key: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = inbox_status(store, channel, key).await
            && status != "pending"
            && status != "processing"
        {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{channel} message {key} not processed in time"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn seed_broadcast(store: &Store, n: i64) -> i64 {
    use congdoan_bot::core::domain::Lang;
    use congdoan_bot::core::event::Outbound;
    use congdoan_bot::core::time::now_ms;
    use congdoan_bot::store::fanout::{Audience, Tag, to_members};

    store
        .import_units(&parse_units_csv(TREE_CSV.as_bytes()).expect("csv"))
        .await
        .expect("tree");
    let (unit_id, unit_path): (i64, String) = {
        let r = sqlx::query("SELECT id, path FROM units WHERE code = 'TTQ-01'")
            .fetch_one(store.pool())
            .await
            .expect("unit");
        (r.get("id"), r.get("path"))
    };
    let now = now_ms();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO members (unit_id, role, display_name, lang, consent_at, joined_at)
         SELECT $2, 'member', 'CN ' || CAST(i AS TEXT), 'vi', $3, $3 FROM n",
    )
    .bind(n)
    .bind(unit_id)
    .bind(now)
    .execute(store.pool())
    .await
    .expect("members");
    sqlx::query(
        "INSERT INTO identities (channel, external_id, chat_id, member_id, linked_at)
         SELECT 'telegram', CAST(3000000 + id AS TEXT), CAST(3000000 + id AS TEXT), id, $1
         FROM members",
    )
    .bind(now)
    .execute(store.pool())
    .await
    .expect("identities");
    let mut tx = store.begin().await.expect("tx");
    let audience = Audience {
        path: &unit_path,
        ..Audience::default()
    };
    let queued = to_members(
        &mut tx,
        &audience,
        |lang| Outbound::Message {
            text: match lang {
                Lang::Vi => "📣 Ngày hội 19/8: tập trung 7h tại sân nhà văn hóa.".to_string(),
                Lang::En => "📣 19/8 festival: 7 am at the community hall.".to_string(),
            },
            buttons: vec![],
        },
        Tag::None,
        now,
    )
    .await
    .expect("queue");
    tx.commit().await.expect("commit");
    assert_eq!(queued, n as u64);
    unit_id
}

pub struct TestApp {
    pub fake: FakeTelegram,
    pub db: TestDb,
    /// A separate connection for assertions.
    pub store: Store,
    pub app: Option<RunningApp>,
    pub config: ServeConfig,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(
        backend: Backend,
        tweak: impl FnOnce(&mut ServeConfig),
    ) -> Option<TestApp> {
        let Some(db) = TestDb::new(backend).await else {
            eprintln!("skipped: TEST_DATABASE_URL is not set");
            return None;
        };
        let fake = FakeTelegram::start().await;
        let mut config = ServeConfig {
            telegram_token: Some("123:TEST".to_string()),
            telegram_api_url: Some(fake.url()),
            poll_timeout_secs: 1,
            // Tests must not wait on the real limits' pacing more than needed.
            send_rate: 1000,
            // One reply a second per chat is the platform's rule, not the story's:
            // stories that test pacing set it back to 1.
            chat_rate: 50,
            ..ServeConfig::new(&db.url)
        };
        tweak(&mut config);
        let app = app::start(config.clone()).await.expect("start app");
        let store = Store::open(&db.url).await.expect("open store");
        let records = parse_units_csv(TREE_CSV.as_bytes()).expect("tree csv");
        store.import_units(&records).await.expect("import tree");
        Some(TestApp {
            fake,
            db,
            store,
            app: Some(app),
            config,
        })
    }

    pub async fn stop(&mut self) {
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
    }

    pub async fn kill(&mut self) {
        if let Some(app) = self.app.take() {
            app.kill().await;
        }
    }

    pub async fn restart(&mut self, tweak: impl FnOnce(&mut ServeConfig)) {
        self.stop().await;
        tweak(&mut self.config);
        self.app = Some(app::start(self.config.clone()).await.expect("restart app"));
    }

    /// Stops the app, checks that every per-unit counter the triggers kept equals a full
    /// recount (so every story is also a test of the counters), and drops the database.
    pub async fn finish(mut self) {
        self.stop().await;
        let mut conn = self.store.pool().acquire().await.expect("conn");
        let drift = congdoan_bot::store::tallies::drift(&mut conn)
            .await
            .expect("recount");
        drop(conn);
        assert!(drift.is_empty(), "counters drifted: {drift:#?}");
        self.store.close().await;
        self.db.drop_db().await;
    }

    pub async fn invite(
        &self,
        unit: &str,
        role: Role,
        uses: i64,
        expires_at: Option<i64>,
    ) -> InviteCode {
        let unit = self
            .store
            .unit_by_code(&UnitCode::parse(unit).expect("code"))
            .await
            .expect("db")
            .expect("unit exists");
        self.store
            .create_invite(unit.id, role, uses, expires_at)
            .await
            .expect("invite")
            .code
    }

    /// Push an update and wait until the bot has processed it and sent every reply;
    /// returns the messages sent to `chat` because of it.
    pub async fn send(&self, chat: i64, update: Value) -> Vec<Sent> {
        let before = self.fake.sent_to(chat).len();
        let id = self.fake.push(update);
        self.wait_processed(id).await;
        self.wait_outbox_empty().await;
        self.fake.sent_to(chat).split_off(before)
    }

    pub async fn say(&self, user: &TgUser, text: &str) -> Vec<Sent> {
        self.send(user.id, user.text(text)).await
    }

    pub async fn press(&self, user: &TgUser, data: &str) -> Vec<Sent> {
        self.send(user.id, user.button(data)).await
    }

    pub async fn wait_processed(&self, update_id: i64) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let row = sqlx::query(
                "SELECT status FROM inbox WHERE channel = 'telegram' AND update_id = $1",
            )
            .bind(update_id.to_string())
            .fetch_optional(self.store.pool())
            .await
            .expect("db");
            if let Some(r) = row {
                let status: String = r.try_get("status").expect("status");
                if status != "pending" {
                    return;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "update {update_id} not processed in time"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn wait_outbox_empty(&self) {
        drain_outbox(&self.store, "telegram").await;
    }

    /// Turn the weekly digest off for every unit there is: stories that count what a
    /// scheduler tick queues would otherwise depend on whether today is a Monday.
    /// (`WHERE true`: SQLite needs it to parse an upsert fed by a SELECT.)
    pub async fn digests_off(&self) {
        sqlx::query(
            "INSERT INTO digest_settings (unit_id, every) SELECT id, 'off' FROM units WHERE true
             ON CONFLICT (unit_id) DO UPDATE SET every = 'off'",
        )
        .execute(self.store.pool())
        .await
        .expect("digests off");
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query(sql)
            .fetch_one(self.store.pool())
            .await
            .expect("count query")
            .try_get::<i64, _>(0)
            .expect("count")
    }

    pub async fn count_for(&self, sql: &'static str, arg: &str) -> i64 {
        sqlx::query(sql)
            .bind(arg.to_string())
            .fetch_one(self.store.pool())
            .await
            .expect("count query")
            .try_get::<i64, _>(0)
            .expect("count")
    }

    /// A member joined through `/start CODE` and the consent button.
    pub async fn join(&self, user: &TgUser, code: &InviteCode) {
        let welcome = self.say(user, &format!("/start {}", code.as_str())).await;
        assert!(
            welcome
                .iter()
                .any(|m| m.buttons.iter().any(|(_, d)| d == "consent:yes"))
        );
        let joined = self.press(user, "consent:yes").await;
        assert!(
            joined.iter().any(|m| m.text.contains("Bạn đã tham gia")),
            "{joined:?}"
        );
    }
}

/// The people of most stories: an officer of CDCS-ABC and, below it, a worker and a
/// leader in TTQ-01, an English-speaking worker in TTQ-02, a member directly in
/// CDCS-ABC; and an outsider in another branch (HN). User ids start at `base + 1`.
pub struct Cast {
    pub officer: TgUser,
    pub worker: TgUser,
    pub english: TgUser,
    pub leader: TgUser,
    pub direct: TgUser,
    pub outsider: TgUser,
}

pub async fn cast(t: &TestApp, base: i64) -> Cast {
    let c = Cast {
        officer: TgUser::new(base + 1, "Cán bộ Thu"),
        worker: TgUser::new(base + 2, "Công nhân Hoa"),
        english: TgUser::new(base + 3, "Worker Ann"),
        leader: TgUser::new(base + 4, "Tổ trưởng Hùng"),
        direct: TgUser::new(base + 5, "Đoàn viên Nam"),
        outsider: TgUser::new(base + 6, "Hà Nội Lan"),
    };
    t.join(
        &c.officer,
        &t.invite("CDCS-ABC", Role::Officer, 1, None).await,
    )
    .await;
    t.join(&c.worker, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    t.join(&c.english, &t.invite("TTQ-02", Role::Member, 1, None).await)
        .await;
    t.say(&c.english, "/ngonngu").await;
    t.press(&c.english, "lang:en").await;
    t.join(&c.leader, &t.invite("TTQ-01", Role::Leader, 1, None).await)
        .await;
    t.join(
        &c.direct,
        &t.invite("CDCS-ABC", Role::Member, 1, None).await,
    )
    .await;
    t.join(&c.outsider, &t.invite("HN", Role::Member, 1, None).await)
        .await;
    c
}

pub fn texts(sent: &[Sent]) -> String {
    sent.iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n---\n")
}

/// Run each story on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await;
                }
            )*
        }
    };
}
