//! Several instances on one PostgreSQL. Every instance receives webhooks and processes
//! the shared inbox; the jobs that belong to the bot as a whole (each channel's sender,
//! whose rate limit is the token's, and the scheduler) run on one instance at a time,
//! elected with a PostgreSQL session advisory lock. The lock lives as long as the
//! leader's database connection, so when the leader dies (even kill -9) PostgreSQL frees
//! it at once and the next instance that asks takes over.
//!
//! SQLite serves a single instance (see `app::lock_sqlite`): it leads everything.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::store::{Backend, Store, cluster};

/// How often a follower asks for the lock, and how often a leader checks that its
/// connection (and so its lock) is still alive.
const ASK_EVERY: Duration = Duration::from_secs(1);
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// Whether this instance leads one job now. Cheap to clone and to ask.
#[derive(Clone)]
pub struct Leadership {
    job: &'static str,
    rx: watch::Receiver<bool>,
}

impl Leadership {
    /// Leads for ever (one instance on SQLite, tests).
    pub fn always(job: &'static str) -> Self {
        let (tx, rx) = watch::channel(true);
        // Keep the sender alive so `changed()` never reports a closed channel.
        std::mem::forget(tx);
        Leadership { job, rx }
    }

    pub fn is_leader(&self) -> bool {
        *self.rx.borrow()
    }

    /// Wait until this instance leads; `false` if shutdown came first.
    pub async fn wait_to_lead(&mut self, shutdown: &CancellationToken) -> bool {
        loop {
            if *self.rx.borrow_and_update() {
                return true;
            }
            tokio::select! {
                changed = self.rx.changed() => {
                    if changed.is_err() {
                        return false;
                    }
                }
                _ = shutdown.cancelled() => return false,
            }
        }
    }

    /// Resolves when this instance stops leading (or shutdown).
    pub async fn lost(&mut self, shutdown: &CancellationToken) {
        loop {
            if !*self.rx.borrow_and_update() {
                return;
            }
            tokio::select! {
                changed = self.rx.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
                _ = shutdown.cancelled() => return,
            }
        }
    }

    pub fn job(&self) -> &'static str {
        self.job
    }
}

/// Run `job` only while this instance leads: started when it wins, its token cancelled
/// when it loses (then started again if it wins again), until `stop`. Used for polling,
/// which the platforms allow from one client at a time (Telegram answers 409 otherwise).
pub async fn while_leading<F, Fut>(mut leadership: Leadership, stop: CancellationToken, job: F)
where
    F: Fn(CancellationToken) -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        if !leadership.wait_to_lead(&stop).await {
            return;
        }
        let term = stop.child_token();
        let run = job(term.clone());
        tokio::pin!(run);
        tokio::select! {
            _ = &mut run => {}
            _ = leadership.lost(&stop) => {
                term.cancel();
                run.await;
            }
        }
        if stop.is_cancelled() {
            return;
        }
    }
}

/// Stand for election for `job` until shutdown. On SQLite this instance simply leads.
/// The campaign runs in `tasks`, so a stopped or killed app lets the lock go.
pub fn stand(
    store: &Store,
    job: &'static str,
    shutdown: CancellationToken,
    tasks: &mut JoinSet<()>,
) -> Leadership {
    if store.backend() == Backend::Sqlite {
        return Leadership::always(job);
    }
    let (tx, rx) = watch::channel(false);
    tasks.spawn(campaign(store.clone(), job, tx, shutdown));
    Leadership { job, rx }
}

async fn campaign(
    store: Store,
    job: &'static str,
    tx: watch::Sender<bool>,
    stop: CancellationToken,
) {
    let key = cluster::job_key(job);
    while !stop.is_cancelled() {
        // A connection of its own, outside the pool: the lock is tied to it.
        let mut conn = match store.pool().acquire().await {
            Ok(c) => c.detach(),
            Err(e) => {
                tracing::warn!(job, error = %e, "election: no database connection");
                sleep_or_stop(ASK_EVERY, &stop).await;
                continue;
            }
        };
        // Follower: ask until we get it.
        let won = loop {
            match cluster::try_lock(&mut conn, key).await {
                Ok(true) => break true,
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(job, error = %e, "election: lock request failed");
                    break false;
                }
            }
            if sleep_or_stop(ASK_EVERY, &stop).await {
                break false;
            }
        };
        if !won {
            continue;
        }
        tracing::info!(job, "this instance now leads");
        metrics::gauge!("congdoan_leader", "job" => job).set(1.0);
        let _ = tx.send(true);
        // Leader: keep checking the connection; if it is gone, so is the lock.
        loop {
            if sleep_or_stop(CHECK_EVERY, &stop).await {
                let _ = tx.send(false);
                let _ = cluster::unlock(&mut conn, key).await;
                break;
            }
            if let Err(e) = cluster::ping(&mut conn).await {
                tracing::error!(job, error = %e, "election: lost the database connection; stepping down");
                let _ = tx.send(false);
                break;
            }
        }
        metrics::gauge!("congdoan_leader", "job" => job).set(0.0);
        drop(conn);
    }
    let _ = tx.send(false);
}

/// Sleep, or return `true` at once when stopping.
async fn sleep_or_stop(d: Duration, stop: &CancellationToken) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => stop.is_cancelled(),
        _ = stop.cancelled() => true,
    }
}
