//! One storage interface over SQLite and PostgreSQL. Both go through sqlx's `Any`
//! driver with `$1` placeholders, BIGINT/INTEGER epoch-millisecond times and TEXT
//! JSON, so one set of queries serves both; each backend has its own `migrations/`.
//! The few statements that must differ (row claiming, transaction start) branch on
//! [`Backend`].

pub mod acknowledgements;
pub mod audit;
pub mod broadcasts;
pub mod campaigns;
pub mod cluster;
pub mod commitments;
pub mod conversations;
pub mod directives;
pub mod fanout;
pub mod inbox;
pub mod invites;
pub mod liaison;
pub mod links;
pub mod members;
pub mod outbox;
pub mod polls;
pub mod prompts;
pub mod quiz;
pub mod report_requests;
pub mod reports;
pub mod retention;
pub mod roster;
pub mod settings;
pub mod tallies;
pub mod tips;
pub mod units;
pub mod zalo_oa;

use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Transaction};

pub use sqlx::Any as Db;
pub type Conn = sqlx::AnyConnection;
pub type Tx = Transaction<'static, sqlx::Any>;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported DATABASE_URL (use sqlite://… or postgres://…)")]
    UnsupportedUrl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connect (creating an SQLite file if missing) without migrating.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let (backend, url) = if url.starts_with("sqlite:") {
            let url = if url.contains('?') {
                url.to_string()
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // WAL lets readers run beside the one writer; the busy timeout
                            // makes writers queue instead of failing.
                            sqlx::query("PRAGMA journal_mode=WAL")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA synchronous=NORMAL")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA busy_timeout=10000")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA foreign_keys=ON")
                                .execute(&mut *conn)
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(10)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?
            }
        };
        Ok(Store { pool, backend })
    }

    /// Connect and apply pending migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A write transaction. On SQLite it takes the write lock up front, so a
    /// read-then-write transaction never fails half-way on a busy database.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A transaction for processing an inbox update. On PostgreSQL its commit does not
    /// wait for the disk (about +35% updates processed a second, `cargo bench --bench
    /// cluster`). Nothing can be lost or sent twice by it: receiving stays synchronous (the
    /// platform is answered only once the update is on disk), and the sender's claim of a
    /// reply is a synchronous commit later in the log, which flushes this one first. If
    /// the server crashes before, the whole transaction is gone, inbox mark included, and
    /// the update is processed again.
    pub async fn begin_processing(&self) -> Result<Tx, StoreError> {
        let mut tx = self.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET LOCAL synchronous_commit = off")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
