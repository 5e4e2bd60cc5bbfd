//! "Đã nắm": a directive or a broadcast can ask its members to confirm they have read
//! and understood it. Members press «✅ Đã nắm» (or type "1" on Zalo, which answers the
//! newest question put to them); the officer who published it, and every officer
//! above, see acknowledged / sent per unit in `/tonghop` and in the digest.
//!
//! The officer's choice is made in the publishing and broadcasting flows (a toggle on
//! the review and the preview); this flow takes the members' confirmations and renders
//! the roll-up.

use super::flow::Flow;
use super::{Ctx, Effect, Needs, PromptFlow, RollupRow, Step};
use crate::core::actions::{AckAction, AckKind};
use crate::core::event::{InboundEvent, Payload};
use crate::core::text::{esc, fold};
use crate::core::time::{format_date, format_date_time};
use crate::tr;

/// Typed words that confirm the newest «Đã nắm» question (Zalo has no buttons).
const ACK_WORDS: &[&str] = &[
    "1",
    "đã nắm",
    "da nam",
    "đã nắm được",
    "da nam duoc",
    "nắm rồi",
    "nam roi",
    "got it",
    "understood",
];

/// A directive or broadcast put to one member with the «Đã nắm» question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckView {
    pub kind: AckKind,
    pub id: i64,
    pub title: String,
    /// When this member confirmed it, if they did.
    pub acked_at: Option<i64>,
}

/// What a confirmation changes, applied by the processor and checked again in SQL (only
/// a member who was asked can confirm, once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AckEffect {
    Acknowledge {
        member_id: i64,
        kind: AckKind,
        id: i64,
    },
}

/// «Đã nắm» figures of one directive or broadcast for an officer: their unit first, then
/// each direct child, each over its whole subtree (`signed`: acknowledged, `scope`:
/// members it was put to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckRollup {
    pub kind: AckKind,
    pub id: i64,
    pub title: String,
    pub sent_at: i64,
    pub rows: Vec<RollupRow>,
}

/// Reminder schedules an officer can choose for members who have not confirmed: every
/// so many days (0: never), cycled through by one option.
const REMIND_CHOICES: [u32; 3] = [0, 1, 3];
/// Reminders stop this many days after the message went out (its deadline).
pub const ACK_REMIND_FOR_DAYS: i64 = 7;

/// The schedule after `days` in the cycle.
pub(super) fn next_remind(days: u32) -> u32 {
    let i = REMIND_CHOICES.iter().position(|&d| d == days).unwrap_or(0);
    REMIND_CHOICES[(i + 1) % REMIND_CHOICES.len()]
}

/// The option that shows (and changes) the reminder schedule.
pub(super) fn remind_label(cx: &Ctx, days: u32) -> String {
    match days {
        0 => cx.t("ack-remind-none"),
        1 => tr!(
            cx.i18n,
            cx.lang,
            "ack-remind-daily",
            days = ACK_REMIND_FOR_DAYS
        ),
        n => tr!(
            cx.i18n,
            cx.lang,
            "ack-remind-every",
            every = i64::from(n),
            days = ACK_REMIND_FOR_DAYS
        ),
    }
}

fn is_ack_word(text: &str) -> bool {
    ACK_WORDS.contains(&fold(text).as_str())
}

/// Record the member's confirmation of `kind` `id`, if it was put to them.
fn acknowledge(cx: &mut Ctx, kind: AckKind, id: i64) {
    let Some(m) = cx.facts.member.clone() else {
        let msg = cx.t("need-to-join");
        return cx.say(msg);
    };
    let asked = cx
        .facts
        .ack
        .clone()
        .filter(|a| a.kind == kind && a.id == id);
    match asked {
        // Not put to this member (another unit's, or made up): refuse, change nothing.
        None => {
            let msg = cx.t("ack-not-for-you");
            cx.say(msg);
        }
        Some(AckView {
            title,
            acked_at: Some(at),
            ..
        }) => {
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "ack-already",
                title = esc(&title),
                date = format_date_time(at)
            );
            cx.say(msg);
        }
        Some(a) => {
            cx.effects
                .push(Effect::Acknowledgement(AckEffect::Acknowledge {
                    member_id: m.id,
                    kind,
                    id,
                }));
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "ack-done",
                title = esc(&a.title),
                date = format_date_time(cx.facts.now_ms)
            );
            cx.say(msg);
        }
    }
}

fn percent(done: i64, total: i64) -> String {
    if total == 0 {
        "—".to_string()
    } else {
        format!("{}%", crate::core::text::percent(done, total))
    }
}

/// The «Đã nắm» part of `/tonghop`: one message per directive or broadcast that asked.
pub(super) fn rollup(cx: &mut Ctx) {
    for r in cx.facts.ack_rollups.clone() {
        let what = cx.t(match r.kind {
            AckKind::Directive => "ack-kind-directive",
            AckKind::Broadcast => "ack-kind-broadcast",
        });
        let mut lines = vec![tr!(
            cx.i18n,
            cx.lang,
            "ack-rollup-title",
            what = what,
            title = esc(&r.title),
            date = format_date(r.sent_at)
        )];
        for (i, row) in r.rows.iter().enumerate() {
            let bullet = if i == 0 { "•" } else { "  ◦" };
            lines.push(format!(
                "{bullet} {}: {}/{} ({})",
                esc(&row.name),
                row.signed,
                row.scope,
                percent(row.signed, row.scope)
            ));
        }
        cx.say(lines.join("\n"));
    }
}

/// Members' confirmations as one flow of the registry (no command of its own: the
/// roll-up is part of `/tonghop`).
pub(super) struct Acknowledgements;

impl Flow for Acknowledgements {
    fn needs(&self, ev: &InboundEvent, _step: &Step, n: &mut Needs) {
        // A typed "1" in Idle: the pending prompt is looked up for every short answer,
        // and the processor loads what it names.
        if let Payload::Button { data, .. } = &ev.payload
            && let Ok(a) = data.parse::<AckAction>()
        {
            n.ack = Some((a.kind, a.id));
        }
    }

    fn on_text(&self, cx: &mut Ctx, text: &str) -> bool {
        if cx.conv.step != Step::Idle || !is_ack_word(text) {
            return false;
        }
        match cx.facts.pending_prompt {
            Some(p) => match p.flow {
                PromptFlow::Acknowledgement(kind) => {
                    acknowledge(cx, kind, p.object_id);
                    true
                }
                _ => false,
            },
            None => false,
        }
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        if !data.starts_with("ack:") {
            return false;
        }
        // The button answers a message, not the question under way: the step stays.
        cx.conv.step = step.clone();
        match data.parse::<AckAction>() {
            Ok(a) => acknowledge(cx, a.kind, a.id),
            Err(_) => {
                let msg = cx.t("ack-not-for-you");
                cx.say(msg);
            }
        }
        true
    }
}
