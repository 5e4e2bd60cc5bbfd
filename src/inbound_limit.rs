//! Keeps one person from flooding the bot. Past `per_min` messages a minute (with a burst
//! of the same size, enough for a photo album or quick button taps), their updates are
//! marked done without being processed, and they are told so at most once a minute.
//!
//! The rate is judged by when each message was *sent* (the platform's date), not when we
//! get to it: after downtime or a slow backlog, messages that were sent at a normal pace
//! are all handled. (GCRA over the message's own timestamp; governor only reads its own
//! clock, so it cannot judge a message by the time it was sent.)
//! In memory and per instance: a cheap check that spares the database, not an exact
//! cluster-wide count (with N instances a person gets at most N times the allowance).

use std::collections::HashMap;
use std::sync::Mutex;

/// What to do with one update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Process,
    /// Over the limit: drop it; `warn` the first time in a minute.
    Drop {
        warn: bool,
    },
}

#[derive(Debug, Clone, Copy)]
struct PersonState {
    /// GCRA's theoretical arrival time of the next message (epoch ms).
    next_at: i64,
    last_warned: Option<i64>,
}

pub struct InboundLimit {
    /// Milliseconds one message "costs".
    interval_ms: i64,
    /// How far ahead of the steady pace a burst may run.
    tolerance_ms: i64,
    people: Mutex<HashMap<String, PersonState>>,
}

const MINUTE_MS: i64 = 60_000;

impl InboundLimit {
    /// `None` when `per_min` is 0 (no limit).
    pub fn new(per_min: u32) -> Option<Self> {
        if per_min == 0 {
            return None;
        }
        let interval_ms = (MINUTE_MS / i64::from(per_min)).max(1);
        Some(InboundLimit {
            interval_ms,
            tolerance_ms: interval_ms * (i64::from(per_min) - 1),
            people: Mutex::new(HashMap::new()),
        })
    }

    /// `key` names the person on one channel, e.g. "telegram:12345"; `sent_at` is when
    /// the message was sent (epoch ms).
    pub fn check(&self, key: &str, sent_at: i64) -> Verdict {
        let Ok(mut people) = self.people.lock() else {
            // A poisoned lock only means another check panicked: never hold anyone back.
            return Verdict::Process;
        };
        // Forget idle people now and then, so memory follows the active ones.
        if people.len() > 10_000 {
            let horizon = sent_at - 2 * MINUTE_MS;
            people.retain(|_, p| p.next_at > horizon);
        }
        let state = people.entry(key.to_string()).or_insert(PersonState {
            next_at: sent_at,
            last_warned: None,
        });
        let next_at = state.next_at.max(sent_at);
        if next_at - sent_at <= self.tolerance_ms {
            state.next_at = next_at + self.interval_ms;
            return Verdict::Process;
        }
        let warn = state
            .last_warned
            .is_none_or(|w| sent_at - w >= MINUTE_MS || sent_at < w);
        if warn {
            state.last_warned = Some(sent_at);
        }
        Verdict::Drop { warn }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_790_000_000_000;

    #[test]
    fn a_burst_past_the_allowance_is_dropped_and_warned_once() {
        let limit = InboundLimit::new(5).expect("a limit");
        let verdicts: Vec<Verdict> = (0..8).map(|i| limit.check("telegram:1", T0 + i)).collect();
        assert_eq!(&verdicts[..5], &[Verdict::Process; 5]);
        assert_eq!(verdicts[5], Verdict::Drop { warn: true });
        assert_eq!(&verdicts[6..], &[Verdict::Drop { warn: false }; 2]);
        // Someone else is not affected.
        assert_eq!(limit.check("telegram:2", T0), Verdict::Process);
        assert_eq!(limit.check("zalo:1", T0), Verdict::Process);
        // A minute later they may write again (and would be warned again).
        assert_eq!(limit.check("telegram:1", T0 + MINUTE_MS), Verdict::Process);
    }

    #[test]
    fn messages_sent_at_a_normal_pace_pass_however_late_they_are_judged() {
        let limit = InboundLimit::new(5).expect("a limit");
        // Sent one every 15 s over ten minutes; judged all at once after downtime.
        for i in 0..40 {
            assert_eq!(
                limit.check("telegram:1", T0 + i * 15_000),
                Verdict::Process,
                "message {i}"
            );
        }
    }

    #[test]
    fn zero_means_no_limit() {
        assert!(InboundLimit::new(0).is_none());
    }
}
