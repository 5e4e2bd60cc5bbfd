//! Timed work: overdue tips escalated one level up, campaign reminders (7 days before,
//! the day before, the morning of, at 07:00 Asia/Ho_Chi_Minh), commitment and «Đã nắm» reminders,
//! digests, and erasure of what is kept too long. Each send is done once: its key is
//! taken in the same transaction that queues the messages, whatever restarts or other
//! instances do.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::cluster::Leadership;
use crate::core::calendar::due_reminders;
use crate::core::text::esc;
use crate::core::time::now_ms;
use crate::i18n::I18n;
use crate::store::{Store, StoreError};
use crate::tr;

pub struct Scheduler {
    pub store: Store,
    pub i18n: Arc<I18n>,
    pub outbox_ready: Arc<Notify>,
    pub every: Duration,
    /// Timed work runs on one instance at a time; the once-keys make it safe anyway,
    /// the election saves the others the work.
    pub leadership: Leadership,
    /// The channels this bot sends on: messages waiting for any other fail after a while.
    pub served: Vec<&'static str>,
}

/// Broadcast progress and scheduled broadcasts need a quicker pulse than reminders.
const FAST_EVERY: Duration = Duration::from_secs(2);

impl Scheduler {
    pub async fn run(self, shutdown: CancellationToken) {
        let mut last_slow: Option<tokio::time::Instant> = None;
        let mut leadership = self.leadership.clone();
        // Digests run beside the other jobs: for thousands of units they take minutes
        // (`cargo bench --bench rollup`), which must not hold up reminders or the progress
        // of a broadcast. One run at a time; each unit's digest is its own transaction.
        let mut digests: Option<tokio::task::JoinHandle<()>> = None;
        loop {
            if !leadership.is_leader() {
                if !leadership.wait_to_lead(&shutdown).await {
                    break;
                }
                last_slow = None;
            }
            if last_slow.is_none_or(|t| t.elapsed() >= self.every) {
                last_slow = Some(tokio::time::Instant::now());
                let served = &self.served;
                let orphans = isolated(
                    "orphaned_sends",
                    self.store.fail_orphaned_sends(served, now_ms()),
                );
                orphans.await;
                match timed_jobs(&self.store, &self.i18n, now_ms()).await {
                    Ok(n) if n > 0 => self.outbox_ready.notify_waiters(),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "scheduler tick failed"),
                }
                if digests.as_ref().is_none_or(|d| d.is_finished()) {
                    let (store, i18n) = (self.store.clone(), self.i18n.clone());
                    let ready = self.outbox_ready.clone();
                    digests = Some(tokio::spawn(async move {
                        match store.send_digests(&*i18n, now_ms()).await {
                            Ok(n) if n > 0 => ready.notify_waiters(),
                            Ok(_) => {}
                            Err(e) => tracing::error!(error = %e, "digests failed"),
                        }
                    }));
                }
            }
            match fast_tick(&self.store, &self.i18n, now_ms()).await {
                Ok(n) if n > 0 => self.outbox_ready.notify_waiters(),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "broadcast tick failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(FAST_EVERY.min(self.every)) => {}
                _ = shutdown.cancelled() => break,
            }
        }
        // A digest cut short rolls its unit back; the rest go out at the next start.
        if let Some(d) = digests {
            d.abort();
        }
        tracing::info!("scheduler stopped");
    }
}

/// Start scheduled broadcasts that are due and report on running ones.
pub async fn fast_tick(store: &Store, i18n: &I18n, now: i64) -> Result<u64, StoreError> {
    Ok(
        isolated("broadcast_start", store.start_due_broadcasts(i18n, now)).await
            + isolated("broadcast_progress", store.broadcast_progress(i18n, now)).await
            + isolated("directive_reports", store.directive_reports(i18n, now)).await,
    )
}

/// Everything timed that is due at `now` (UTC epoch ms; injectable for tests), digests
/// included. Returns the number of messages queued.
pub async fn tick(store: &Store, i18n: &I18n, now: i64) -> Result<u64, StoreError> {
    Ok(timed_jobs(store, i18n, now).await? + store.send_digests(i18n, now).await?)
}

/// Run one timed job so that its error or panic is its own: logged and counted, and the
/// other jobs (and the next tick) go on.
async fn isolated<F>(job: &'static str, work: F) -> u64
where
    F: std::future::Future<Output = Result<u64, StoreError>>,
{
    match AssertUnwindSafe(work).catch_unwind().await {
        Ok(Ok(n)) => n,
        Ok(Err(e)) => {
            tracing::error!(job, error = %e, "timed job failed");
            metrics::counter!("congdoan_scheduler_failures_total", "job" => job).increment(1);
            0
        }
        Err(_) => {
            tracing::error!(job, "timed job panicked");
            metrics::counter!("congdoan_scheduler_failures_total", "job" => job).increment(1);
            0
        }
    }
}

/// Reminders, commitment reminders, tip escalation and erasure of what is kept too long.
/// Each job, and each campaign's reminder, stands alone: one failing stops no other.
async fn timed_jobs(store: &Store, i18n: &I18n, now: i64) -> Result<u64, StoreError> {
    let mut queued = 0;
    let campaigns = match store.open_campaigns().await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot read campaigns");
            vec![]
        }
    };
    for (campaign, path) in campaigns {
        for due in due_reminders(&campaign, now) {
            let date = due.occurrence.format("%-d/%-m/%Y").to_string();
            let title = esc(&campaign.title);
            let message = match due.days_before {
                0 => "campaign-reminder-today",
                1 => "campaign-reminder-tomorrow",
                7 => "campaign-reminder-week",
                _ => "campaign-reminder-days",
            };
            let text_for = |lang| {
                tr!(
                    i18n,
                    lang,
                    message,
                    title = title.as_str(),
                    date = date.as_str(),
                    days = due.days_before
                )
            };
            let occurrence = due.occurrence.format("%Y-%m-%d").to_string();
            let sent = isolated("campaign_reminder", async {
                let n = store
                    .send_reminder_once(
                        campaign.id,
                        &path,
                        &occurrence,
                        due.days_before,
                        text_for,
                        now,
                    )
                    .await?;
                if let Some(n) = n {
                    tracing::info!(campaign = campaign.id, %occurrence, days_before = due.days_before, recipients = n, "reminder queued");
                    metrics::counter!("congdoan_reminders_sent_total").increment(1);
                }
                Ok(n.unwrap_or(0))
            })
            .await;
            queued += sent;
        }
    }
    queued += isolated(
        "commitment_reminders",
        commitment_reminders(store, i18n, now),
    )
    .await;
    queued += isolated("ack_reminders", ack_reminders(store, i18n, now)).await;
    queued += isolated("report_reminders", store.report_reminders(i18n, now)).await;
    queued += isolated("tip_escalation", store.escalate_overdue_tips(i18n, now)).await;
    queued += isolated("liaison_summaries", store.send_liaison_summaries(i18n, now)).await;
    // Quiz attempts past their time are closed as they stand; each member is told.
    queued += isolated("quiz_sweep", async {
        let mut tx = store.begin().await?;
        let closed = crate::store::quiz::expire(&mut tx, i18n, now).await?;
        tx.commit().await?;
        Ok(closed)
    })
    .await;
    isolated("tip_erasure", async {
        store.erase_old_tips(now).await?;
        Ok(0)
    })
    .await;
    isolated("message_erasure", async {
        store.erase_old_messages(now).await?;
        Ok(0)
    })
    .await;
    Ok(queued)
}

/// Remind members who have not signed an open commitment, per its schedule: at most
/// once a day per campaign, only between 8:00 and 20:00 Asia/Ho_Chi_Minh.
async fn commitment_reminders(store: &Store, i18n: &I18n, now: i64) -> Result<u64, StoreError> {
    let mut queued = 0;
    for (id, schedule) in store.commitment_schedules().await? {
        let Some(date) = crate::core::conversation::reminder_due(&schedule, now) else {
            continue;
        };
        let date = date.format("%Y-%m-%d").to_string();
        queued += isolated("commitment_reminder", async {
            let n = store
                .send_commitment_reminder_once(i18n, id, &date, now)
                .await?;
            if let Some(n) = n {
                tracing::info!(campaign = id, %date, recipients = n, "commitment reminder queued");
                metrics::counter!("congdoan_commitment_reminders_total").increment(1);
            }
            Ok(n.unwrap_or(0))
        })
        .await;
    }
    Ok(queued)
}

/// Remind members who have not confirmed a directive or broadcast («Đã nắm») on the
/// schedule its officer chose: the commitment reminders' rules (8:00–20:00 Asia/Ho_Chi_Minh,
/// at most once a day each, never the day it went out, none after the deadline).
async fn ack_reminders(store: &Store, i18n: &I18n, now: i64) -> Result<u64, StoreError> {
    let mut queued = 0;
    for (kind, id, schedule) in store.ack_schedules(now).await? {
        let Some(date) = crate::core::conversation::reminder_due(&schedule, now) else {
            continue;
        };
        let date = date.format("%Y-%m-%d").to_string();
        queued += isolated("ack_reminder", async {
            let n = store
                .send_ack_reminder_once(i18n, kind, id, &date, now)
                .await?;
            if let Some(n) = n {
                tracing::info!(kind = kind.as_str(), id, %date, recipients = n, "«Đã nắm» reminder queued");
                metrics::counter!("congdoan_ack_reminders_total").increment(1);
            }
            Ok(n.unwrap_or(0))
        })
        .await;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failing_or_panicking_job_stops_no_other() {
        let failing = isolated("a", async {
            Err(StoreError::from(sqlx::Error::RowNotFound))
        });
        assert_eq!(failing.await, 0);
        let panicking = isolated("b", async {
            if true {
                panic!("a bug in one job");
            }
            Ok(1)
        });
        assert_eq!(panicking.await, 0);
        // The next job runs and counts.
        assert_eq!(isolated("c", async { Ok(3) }).await, 3);
    }
}
