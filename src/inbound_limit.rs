//! Keeps one person from flooding the bot. Past `per_min` messages a minute (with a burst
//! of the same size, enough for a photo album or quick button taps), their updates are
//! marked done without being processed, and they are told so at most once a minute.
//! In memory and per instance: a cheap check that spares the database, not an exact
//! cluster-wide count (with N instances a person gets at most N times the allowance).

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// What to do with one update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Process,
    /// Over the limit: drop it; `warn` the first time in a minute.
    Drop {
        warn: bool,
    },
}

pub struct InboundLimit {
    per_person: DefaultKeyedRateLimiter<String>,
    warnings: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
}

impl InboundLimit {
    /// `None` when `per_min` is 0 (no limit).
    pub fn new(per_min: u32) -> Option<Self> {
        let per_min = NonZeroU32::new(per_min)?;
        Some(InboundLimit {
            per_person: RateLimiter::keyed(Quota::per_minute(per_min).allow_burst(per_min)),
            warnings: RateLimiter::keyed(Quota::per_minute(NonZeroU32::MIN)),
            checks: AtomicU64::new(0),
        })
    }

    /// `key` names the person on one channel, e.g. "telegram:12345".
    pub fn check(&self, key: &str) -> Verdict {
        // Forget idle people now and then, so memory follows the active ones.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 10_000 == 9_999 {
            self.per_person.retain_recent();
            self.warnings.retain_recent();
        }
        let key = key.to_string();
        if self.per_person.check_key(&key).is_ok() {
            Verdict::Process
        } else {
            Verdict::Drop {
                warn: self.warnings.check_key(&key).is_ok(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_past_the_allowance_is_dropped_and_warned_once() {
        let limit = InboundLimit::new(5).expect("a limit");
        let verdicts: Vec<Verdict> = (0..8).map(|_| limit.check("telegram:1")).collect();
        assert_eq!(&verdicts[..5], &[Verdict::Process; 5]);
        assert_eq!(verdicts[5], Verdict::Drop { warn: true });
        assert_eq!(&verdicts[6..], &[Verdict::Drop { warn: false }; 2]);
        // Someone else is not affected.
        assert_eq!(limit.check("telegram:2"), Verdict::Process);
        assert_eq!(limit.check("zalo:1"), Verdict::Process);
    }

    #[test]
    fn zero_means_no_limit() {
        assert!(InboundLimit::new(0).is_none());
    }
}
