//! The periodic digest an officer gets about their unit's subtree: members and how many
//! the bot can reach, commitment progress, tips by category and status (overdue ones
//! by receipt code), directives published. Rendering only; figures come from the store.

use serde::{Deserialize, Serialize};

use super::text::esc;
use super::tip::{Category, TipStatus};
use crate::core::domain::Lang;
use crate::i18n::I18n;
use crate::tr;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DigestEvery {
    #[default]
    Weekly,
    Daily,
    Off,
}

impl DigestEvery {
    pub fn as_str(self) -> &'static str {
        match self {
            DigestEvery::Weekly => "weekly",
            DigestEvery::Daily => "daily",
            DigestEvery::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<DigestEvery> {
        match s.trim().to_lowercase().as_str() {
            "weekly" | "tuan" | "tuần" => Some(DigestEvery::Weekly),
            "daily" | "ngay" | "ngày" => Some(DigestEvery::Daily),
            "off" | "tat" | "tắt" => Some(DigestEvery::Off),
            _ => None,
        }
    }
}

/// A directive published in the period: members it was sent to, and members whose
/// phone it reached (a message delivered to at least one of their accounts).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectiveReach {
    pub title: String,
    pub sent_to: i64,
    pub delivered: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestFacts {
    pub members: i64,
    pub reachable: i64,
    /// (title, signed, in scope) of each open commitment, for the whole subtree.
    pub campaigns: Vec<(String, i64, i64)>,
    /// (category, status, count): open tips and tips reported in the period.
    pub tips: Vec<(String, String, i64)>,
    /// Receipt codes of the oldest overdue tips, and how many are overdue in all.
    pub overdue: Vec<String>,
    pub overdue_total: i64,
    /// Directives published in the period.
    pub directives: Vec<DirectiveReach>,
    /// (title, confirmed, asked) of the newest directives and broadcasts that asked
    /// members to confirm «Đã nắm», for the whole subtree.
    pub acknowledgements: Vec<(String, i64, i64)>,
    /// Messages to members of the subtree that failed for good in the period (any kind:
    /// reminders, replies, broadcasts), and of those, refused by a Zalo free quota.
    pub failed_sends: i64,
    pub over_quota: i64,
    /// Messages to members of the subtree held now outside a Zalo OA's 48-hour window
    /// (they go out when the member next writes): counted apart ("ngoài 48 giờ").
    pub outside_window: i64,
}

pub fn render_digest(
    i18n: &I18n,
    lang: Lang,
    unit_name: &str,
    every: DigestEvery,
    f: &DigestFacts,
) -> String {
    let period = i18n.s(
        lang,
        if every == DigestEvery::Daily {
            "digest-period-daily"
        } else {
            "digest-period-weekly"
        },
    );
    let mut lines = vec![
        tr!(
            i18n,
            lang,
            "digest-title",
            unit = esc(unit_name),
            period = period
        ),
        tr!(
            i18n,
            lang,
            "digest-members",
            members = f.members,
            reachable = f.reachable
        ),
    ];
    if f.over_quota > 0 {
        lines.push(tr!(
            i18n,
            lang,
            "digest-failed-sends-quota",
            count = f.failed_sends,
            quota = f.over_quota
        ));
    } else if f.failed_sends > 0 {
        lines.push(tr!(
            i18n,
            lang,
            "digest-failed-sends",
            count = f.failed_sends
        ));
    }
    if f.outside_window > 0 {
        lines.push(tr!(
            i18n,
            lang,
            "digest-outside-window",
            count = f.outside_window
        ));
    }
    lines.push(String::new());
    lines.push(i18n.s(lang, "digest-commitments"));
    if f.campaigns.is_empty() {
        lines.push(i18n.s(lang, "digest-none"));
    }
    for (title, signed, scope) in &f.campaigns {
        let pct = crate::core::text::percent(*signed, *scope);
        lines.push(format!("• {}: {signed}/{scope} ({pct}%)", esc(title)));
    }
    lines.push(String::new());
    lines.push(i18n.s(lang, "digest-tips"));
    if f.tips.is_empty() {
        lines.push(i18n.s(lang, "digest-none"));
    }
    for (category, status, n) in &f.tips {
        let category = Category::parse(category)
            .map(|c| i18n.s(lang, &c.label_id()))
            .unwrap_or_else(|| category.clone());
        let status = TipStatus::parse(status)
            .map(|s| i18n.s(lang, s.label_id()))
            .unwrap_or_else(|| status.clone());
        lines.push(format!("• {category} — {status}: {n}"));
    }
    if f.overdue_total > 0 {
        let mut codes = f.overdue.join(", ");
        let more = f.overdue_total - f.overdue.len() as i64;
        if more > 0 {
            codes.push_str(&tr!(i18n, lang, "digest-more", count = more));
        }
        lines.push(tr!(
            i18n,
            lang,
            "digest-overdue",
            count = f.overdue_total,
            codes = codes
        ));
    }
    lines.push(String::new());
    lines.push(i18n.s(lang, "digest-directives"));
    if f.directives.is_empty() {
        lines.push(i18n.s(lang, "digest-none"));
    }
    for d in &f.directives {
        lines.push(tr!(
            i18n,
            lang,
            "digest-directive",
            title = esc(&d.title),
            count = d.sent_to,
            delivered = d.delivered
        ));
    }
    if !f.acknowledgements.is_empty() {
        lines.push(String::new());
        lines.push(i18n.s(lang, "digest-acknowledgements"));
        for (title, acked, asked) in &f.acknowledgements {
            let pct = crate::core::text::percent(*acked, *asked);
            lines.push(format!("• {}: {acked}/{asked} ({pct}%)", esc(title)));
        }
    }
    lines.push(String::new());
    lines.push(i18n.s(lang, "digest-footer"));
    lines.join("\n")
}
