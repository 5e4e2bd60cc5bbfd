//! The outbox sender of one channel: claims due rows (replies before bulk), keeps the
//! platform's limits with `governor` (global rate, one message per second per chat,
//! 20 per minute per group), honours 429 retry_after for the whole bot, retries
//! transient failures with backoff, and records every result.

use std::num::NonZeroU32;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::FutureExt;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::{Mutex, Notify, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::channels::zalo::ZaloClient;
use crate::channels::{DeliveryOutcome, Transport};
use crate::cluster::Leadership;
use crate::core::event::{MediaKind, Outbound};
use crate::core::time::now_ms;
use crate::store::outbox::{Delivery, OutboxRow};
use crate::store::{Backend, Store};

#[derive(Debug, Clone)]
pub struct SendLimits {
    /// Messages per second for the whole bot (Telegram: about 30).
    pub global_per_sec: u32,
    /// Messages per second to one private chat (Telegram: 1). Tests raise it so a
    /// conversation story does not wait a second per reply.
    pub chat_per_sec: u32,
    /// Messages per minute to one group chat (Telegram: 20).
    pub group_per_min: u32,
    /// Requests in flight at once.
    pub max_in_flight: usize,
    /// Attempts before a transiently failing message is given up.
    pub max_attempts: i64,
    /// A row claimed longer ago than this belongs to a dead sender.
    pub lease: Duration,
    /// After the platform says its sending quota is used up (Zalo's 429), the whole
    /// sender waits this long before trying again (hourly by default; tests ~1 s).
    pub quota_retry: Duration,
}

impl SendLimits {
    pub fn telegram(global_per_sec: u32) -> Self {
        SendLimits {
            global_per_sec: global_per_sec.max(1),
            chat_per_sec: 1,
            group_per_min: 20,
            max_in_flight: 32,
            max_attempts: 8,
            lease: Duration::from_secs(120),
            quota_retry: Duration::from_secs(3600),
        }
    }

    /// Zalo: a global rate (`CONGDOAN_ZALO_SEND_RATE`, default 10/s), 20 per minute to a
    /// group, fewer requests in flight than Telegram. (Here, not in the channel: the
    /// channels know nothing of the sender.)
    pub fn zalo(global_per_sec: u32) -> Self {
        SendLimits {
            global_per_sec: global_per_sec.max(1),
            chat_per_sec: 1,
            group_per_min: 20,
            max_in_flight: 8,
            max_attempts: 8,
            lease: Duration::from_secs(120),
            quota_retry: crate::channels::zalo::DEFAULT_QUOTA_RETRY,
        }
    }
}

pub struct Sender {
    pub store: Store,
    pub transport: Arc<Transport>,
    pub limits: SendLimits,
    pub outbox_ready: Arc<Notify>,
    /// Whether this instance sends for the bot now (always on SQLite).
    pub leadership: Leadership,
    /// Set on the Telegram sender when Zalo runs too: a Zalo member's photo (a URL)
    /// is downloaded with it and uploaded to Telegram.
    pub zalo_photos: Option<ZaloClient>,
}

struct Limiters {
    global: DefaultDirectRateLimiter,
    per_chat: DefaultKeyedRateLimiter<String>,
    per_group: DefaultKeyedRateLimiter<String>,
    /// Set by a 429: nobody sends before this instant.
    paused_until: Mutex<Option<Instant>>,
    /// How long a quota pause lasts ([`SendLimits::quota_retry`]).
    quota_retry: Duration,
    /// The officers were told of the current quota pause (cleared by the next send).
    quota_told: AtomicBool,
    /// Downloads Zalo photos for a channel that cannot fetch their URLs.
    zalo_photos: Option<ZaloClient>,
}

impl Sender {
    pub async fn run(self, shutdown: CancellationToken) {
        let channel = self.transport.channel().as_str();
        let nz = |n: u32| NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        // Burst 1: messages are spaced evenly, so no one-second window ever holds
        // more than the rate.
        let limiters = Arc::new(Limiters {
            global: RateLimiter::direct(
                Quota::per_second(nz(self.limits.global_per_sec)).allow_burst(nz(1)),
            ),
            per_chat: RateLimiter::keyed(Quota::per_second(nz(self.limits.chat_per_sec))),
            per_group: RateLimiter::keyed(
                Quota::per_minute(nz(self.limits.group_per_min)).allow_burst(nz(1)),
            ),
            paused_until: Mutex::new(None),
            quota_retry: self.limits.quota_retry.max(Duration::from_millis(100)),
            quota_told: AtomicBool::new(false),
            zalo_photos: self.zalo_photos.clone(),
        });
        let in_flight = Arc::new(Semaphore::new(self.limits.max_in_flight.max(1)));
        let mut tasks = JoinSet::new();
        let lease_ms = self.limits.lease.as_millis() as i64;
        let mut leadership = self.leadership.clone();
        let mut leading = false;
        let mut last_housekeeping = Instant::now();
        // Results are written in batches by one recorder task: one transaction per
        // batch instead of one per message. A crash loses at most the unwritten batch,
        // whose rows are still 'sending' and go out again after the lease.
        let (results, recorded) = tokio::sync::mpsc::channel::<(OutboxRow, Delivery, i64)>(4096);
        let recorder = tokio::spawn(record_results(self.store.clone(), recorded));

        while !shutdown.is_cancelled() {
            while tasks.try_join_next().is_some() {}
            if !leading || !leadership.is_leader() {
                // Only the leader sends: the platform's limit is the token's, not ours.
                if !leadership.wait_to_lead(&shutdown).await {
                    break;
                }
                self.take_over(channel, &limiters).await;
                leading = true;
                continue;
            }
            if last_housekeeping.elapsed() > self.limits.lease.min(Duration::from_secs(30)) {
                last_housekeeping = Instant::now();
                limiters.per_chat.retain_recent();
                limiters.per_group.retain_recent();
                if let Err(e) = self
                    .store
                    .outbox_requeue_stale(channel, now_ms() - lease_ms)
                    .await
                {
                    tracing::warn!(channel, error = %e, "requeue failed");
                }
            }
            let pause = *limiters.paused_until.lock().await;
            if let Some(until) = pause
                && until > Instant::now()
            {
                tokio::select! {
                    _ = tokio::time::sleep_until(until.into()) => {}
                    _ = shutdown.cancelled() => break,
                }
                continue;
            }
            // About two seconds of sending per claim (at most 512 rows): enough to keep
            // the pipe full with few database round trips, and a stopped broadcast only
            // lets out what was already claimed.
            let batch = (i64::from(self.limits.global_per_sec) * 2).clamp(2, 512);
            let rows = match self.store.outbox_claim(channel, batch, now_ms()).await {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!(channel, error = %e, "outbox claim failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if rows.is_empty() {
                tokio::select! {
                    _ = self.outbox_ready.notified() => {}
                    _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                    _ = shutdown.cancelled() => break,
                }
                continue;
            }
            let mut rows = rows.into_iter();
            for row in rows.by_ref() {
                if shutdown.is_cancelled() {
                    let _ = self.store.outbox_release(row.id, now_ms()).await;
                    continue;
                }
                // A pause that began during this batch (a 429, a quota) holds the rest
                // of it back too.
                let paused = *limiters.paused_until.lock().await;
                if let Some(until) = paused
                    && let Some(wait) = until.checked_duration_since(Instant::now())
                {
                    let _ = self
                        .store
                        .outbox_release(row.id, now_ms() + wait.as_millis() as i64)
                        .await;
                    continue;
                }
                let Some(body) = row.body() else {
                    let _ = self
                        .store
                        .outbox_record(
                            &row,
                            &Delivery::Failed("undecodable payload".into()),
                            now_ms(),
                        )
                        .await;
                    continue;
                };
                // Every visible message counts against the chat's limit; answering a
                // button press does not.
                if !matches!(body, Outbound::AnswerCallback { .. }) {
                    // Groups: marked by the processor, and negative ids on Telegram.
                    let limiter = if row.in_group || row.chat_id.starts_with('-') {
                        &limiters.per_group
                    } else {
                        &limiters.per_chat
                    };
                    if let Err(not_until) = limiter.check_key(&row.chat_id) {
                        let wait = not_until.wait_time_from(DefaultClock::default().now());
                        let _ = self
                            .store
                            .outbox_release(row.id, now_ms() + wait.as_millis() as i64 + 1)
                            .await;
                        continue;
                    }
                    limiters.global.until_ready().await;
                }
                let Ok(permit) = in_flight.clone().acquire_owned().await else {
                    break;
                };
                let store = self.store.clone();
                let transport = self.transport.clone();
                let limiters = limiters.clone();
                let max_attempts = self.limits.max_attempts;
                let results = results.clone();
                tasks.spawn(async move {
                    let _permit = permit;
                    // A message that makes the sender panic fails alone, recorded as
                    // such; it must not stay 'sending' to crash every sender after us.
                    let kept = row.clone();
                    let sent = deliver_one(&store, &transport, &limiters, row, body, max_attempts);
                    let (row, result, at) = match AssertUnwindSafe(sent).catch_unwind().await {
                        Ok(done) => done,
                        Err(_) => {
                            tracing::error!(outbox_id = kept.id, "panic while sending");
                            let failed = Delivery::Failed("panic while sending".into());
                            (kept, failed, now_ms())
                        }
                    };
                    let _ = results.send((row, result, at)).await;
                });
            }
        }
        // Finish what is in flight; unsent claims were released above.
        while tasks.join_next().await.is_some() {}
        drop(results);
        let _ = recorder.await;
        tracing::info!(channel, "sender stopped");
    }
}

impl Sender {
    /// Becoming the sender: whatever is still 'sending' was claimed by an earlier
    /// sender that is gone (a crash, or another instance that lost the lead), since
    /// only the leader sends. Take it back at once, then let one second pass so that no
    /// per-chat or one-second window holds sends of both the old and the new sender.
    /// Groups are paced over a minute, longer than that pause: each group the earlier
    /// sender wrote to in the last minute starts with its next message a full interval
    /// away, as if this sender had sent the last one.
    async fn take_over(&self, channel: &'static str, limiters: &Limiters) {
        let since = now_ms() - 60_000;
        match self.store.outbox_recent_groups(channel, since).await {
            Ok(groups) => {
                for chat in &groups {
                    let _ = limiters.per_group.check_key(chat);
                }
            }
            Err(e) => tracing::error!(channel, error = %e, "cannot read recent group sends"),
        }
        match self.store.outbox_requeue_stale(channel, now_ms() + 1).await {
            Ok(n) if n > 0 => {
                tracing::info!(
                    channel,
                    requeued = n,
                    "resuming messages of an earlier sender"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::error!(channel, error = %e, "cannot requeue stale outbox rows"),
        }
        if self.store.backend() == Backend::Postgres {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// Write delivery results as they come, up to 256 per transaction.
async fn record_results(
    store: Store,
    mut results: tokio::sync::mpsc::Receiver<(OutboxRow, Delivery, i64)>,
) {
    let mut batch = Vec::with_capacity(256);
    while results.recv_many(&mut batch, 256).await > 0 {
        if let Err(e) = store.outbox_record_batch(&batch).await {
            tracing::error!(error = %e, rows = batch.len(), "cannot record deliveries; retrying one by one");
            for (row, result, at) in &batch {
                if let Err(e) = store.outbox_record(row, result, *at).await {
                    tracing::error!(outbox_id = row.id, error = %e, "cannot record delivery");
                }
            }
        }
        batch.clear();
    }
}

async fn deliver_one(
    store: &Store,
    transport: &Transport,
    limiters: &Limiters,
    row: OutboxRow,
    body: Outbound,
    max_attempts: i64,
) -> (OutboxRow, Delivery, i64) {
    let channel = transport.channel().as_str();
    let mut body = body;
    if let Outbound::Edit { of, message_id, .. } = &mut body {
        *message_id = store.outbox_message_id(*of).await.ok().flatten();
    }
    let outcome = match remote_photo(transport, &body) {
        Some(url) => {
            let zalo = limiters.zalo_photos.as_ref();
            deliver_remote_photo(transport, zalo, &row.chat_id, &body, &url).await
        }
        None => transport.deliver(&row.chat_id, &body).await,
    };
    let now = now_ms();
    if matches!(outcome, DeliveryOutcome::Sent | DeliveryOutcome::SentId(_)) {
        // Sending works again: a later quota pause is news for the officers.
        limiters.quota_told.store(false, Ordering::Relaxed);
    }
    let result = match outcome {
        DeliveryOutcome::Sent => Delivery::Sent,
        DeliveryOutcome::SentId(id) => {
            if let Err(e) = store.outbox_set_message_id(row.id, &id).await {
                tracing::warn!(channel, outbox_id = row.id, error = %e, "cannot keep the message id");
            }
            Delivery::Sent
        }
        DeliveryOutcome::RetryAfter(d) => {
            let until = Instant::now() + d;
            let mut paused = limiters.paused_until.lock().await;
            if paused.is_none_or(|p| p < until) {
                *paused = Some(until);
            }
            tracing::warn!(
                channel,
                retry_after_ms = d.as_millis() as u64,
                "flood control: pausing"
            );
            metrics::counter!("congdoan_send_retry_after_total", "channel" => channel).increment(1);
            // Not the message's fault: don't count it against its attempts.
            Delivery::Deferred {
                not_before: now + d.as_millis() as i64,
                error: "retry_after".into(),
            }
        }
        DeliveryOutcome::QuotaExceeded(e) => {
            // The quota is the bot's, not this message's: the whole channel waits and
            // tries again after `quota_retry`; the message keeps its place.
            let d = limiters.quota_retry;
            let until = Instant::now() + d;
            {
                let mut paused = limiters.paused_until.lock().await;
                if paused.is_none_or(|p| p < until) {
                    *paused = Some(until);
                }
            }
            metrics::counter!("congdoan_send_quota_pauses_total", "channel" => channel)
                .increment(1);
            if !limiters.quota_told.swap(true, Ordering::Relaxed) {
                tracing::error!(
                    channel,
                    retry_in_secs = d.as_secs(),
                    error = %e,
                    "sending quota used up: sending paused, messages kept"
                );
                match crate::channels::zalo::tell_officers_quota_paused(store, d, now).await {
                    Ok(n) => tracing::info!(channel, notices = n, "officers told of the pause"),
                    Err(err) => {
                        tracing::error!(channel, error = %err, "cannot tell officers of the pause")
                    }
                }
            }
            Delivery::Deferred {
                not_before: now + d.as_millis() as i64,
                error: format!("waiting for the quota: {e}"),
            }
        }
        DeliveryOutcome::OutsideWindow(e) => Delivery::OutsideWindow(e),
        DeliveryOutcome::Unreachable(e) => Delivery::Unreachable(e),
        DeliveryOutcome::Permanent(e) => Delivery::Failed(e),
        DeliveryOutcome::Transient(e) if row.attempts + 1 >= max_attempts => Delivery::Failed(e),
        DeliveryOutcome::Transient(e) => {
            // 1 s, 2 s, 4 s, … up to 5 minutes.
            let backoff = 1000i64 << row.attempts.clamp(0, 8);
            Delivery::Retry {
                not_before: now + backoff.min(300_000),
                error: e,
            }
        }
    };
    let label = match &result {
        Delivery::Sent => "sent",
        Delivery::Unreachable(_) => "unreachable",
        Delivery::Failed(_) => "failed",
        Delivery::Retry { .. } => "retry",
        Delivery::Deferred { .. } => "deferred",
        Delivery::OutsideWindow(_) => "outside_window",
    };
    metrics::counter!("congdoan_messages_total", "channel" => channel, "result" => label)
        .increment(1);
    if let Delivery::Failed(e) = &result {
        tracing::warn!(channel, outbox_id = row.id, error = %e, "message not delivered");
    }
    (row, result, now)
}

/// A Zalo member's photo (a URL on Zalo's CDN, e.g. on a tip) going to Telegram, which
/// could not fetch that URL itself: its URL.
fn remote_photo(transport: &Transport, body: &Outbound) -> Option<String> {
    match (transport, body) {
        (
            Transport::Telegram(_),
            Outbound::Media {
                kind: MediaKind::Photo,
                file_id,
                ..
            },
        ) if crate::channels::zalo::is_photo_url(file_id) => Some(file_id.clone()),
        _ => None,
    }
}

/// Download the photo from Zalo (allowed hosts, size-capped, image only) and upload the
/// bytes with the same caption.
async fn deliver_remote_photo(
    transport: &Transport,
    zalo: Option<&ZaloClient>,
    chat_id: &str,
    body: &Outbound,
    url: &str,
) -> DeliveryOutcome {
    let Some(zalo) = zalo else {
        return DeliveryOutcome::Permanent("a zalo photo, but zalo is not configured".into());
    };
    let caption = match body {
        Outbound::Media { caption, .. } => caption.clone(),
        _ => String::new(),
    };
    let bytes = match zalo
        .download_photo(url, crate::channels::zalo::MAX_PHOTO_BYTES)
        .await
    {
        Ok(b) => b,
        Err(outcome) => return outcome,
    };
    use base64::Engine;
    let upload = Outbound::Upload {
        kind: MediaKind::Photo,
        file_name: "zalo-photo.jpg".into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        caption,
    };
    transport.deliver(chat_id, &upload).await
}
