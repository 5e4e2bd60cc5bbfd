//! What the bot tells people outside their own conversation: the messages the store
//! queues while it writes (bulk sends, tip alerts, progress and delivery reports,
//! reminders, digests, export labels). The store holds the rows, so it builds a
//! [`Notice`] from them and asks a [`Notices`] for the words in each language; every
//! message id and every turn of phrase lives here and in `locales/`, none in the store.

use super::digest::{DigestEvery, DigestFacts, render_digest};
use super::domain::{Lang, Role};
use super::text::{esc, percent};
use super::time::format_date;
use super::tip::{Category, TipStatus, TipView};
use crate::i18n::I18n;
use crate::tr;

/// How the messages of one broadcast or directive fared, counted from the outbox.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeliveryCounts {
    pub sent: i64,
    pub failed: i64,
    pub unreachable: i64,
    pub cancelled: i64,
    pub waiting: i64,
    /// Of `failed`: refused because the Zalo account's free quota was used up.
    pub over_quota: i64,
    /// Zalo OA: held outside the member's 48-hour window until they write ("ngoài 48
    /// giờ"); not waiting for the sender, so the report does not wait for them.
    pub outside_window: i64,
    /// Zalo OA: outside the window, but the member got it on another linked account.
    pub elsewhere: i64,
}

/// Why officers get a tip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipAlert {
    New,
    /// A copy for the unit above (the route says to notify it).
    Copy,
    /// An officer passed it up.
    Escalated,
    /// Nobody took it before the category's deadline.
    Overdue,
}

/// What the reporter is told about their tip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipChange<'a> {
    Acknowledged { unit: &'a str },
    Escalated { unit: &'a str },
    Resolved { note: &'a str },
}

/// A word in an export file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWord<'a> {
    /// A sheet or column name: a message id declared by `core::export`.
    Label(&'a str),
    YesNo(bool),
    Role(Role),
    Category(Category),
    TipStatus(TipStatus),
    /// The reporter column of an anonymous tip.
    Anonymous,
}

/// One message (or a part of one) the store sends. Fields are the raw values from the
/// database; escaping for HTML happens here.
#[derive(Debug, Clone, Copy)]
pub enum Notice<'a> {
    /// A broadcast as its members get it.
    Broadcast {
        unit: &'a str,
        text: &'a str,
    },
    /// Added where a broadcast's file cannot reach the member's platform.
    BroadcastFileElsewhere,
    /// "Đang gửi 120/300 ▓▓▓▓░░░░░░ 40%", with the time left when known.
    BroadcastProgress {
        counts: &'a DeliveryCounts,
        total: i64,
        eta_secs: Option<i64>,
    },
    /// How to stop a broadcast on a channel without buttons.
    BroadcastStopTyped,
    BroadcastStopButton,
    /// The author's report once every message was tried.
    BroadcastReport {
        counts: &'a DeliveryCounts,
        total: i64,
        elapsed_secs: i64,
        stopped: bool,
    },
    /// A directive's author is told whom it did not reach.
    DirectiveReport {
        title: &'a str,
        counts: &'a DeliveryCounts,
    },
    /// A commitment to sign (a new version asks again).
    SignRequest {
        unit: &'a str,
        version: i64,
        deadline_at: i64,
        text: &'a str,
    },
    CommitmentReminder {
        title: &'a str,
        deadline_at: i64,
    },
    SignButton,
    /// «✅ Đã nắm», under a directive or broadcast that asks for it.
    AckButton,
    /// The line under such a message saying how to confirm (a button, or typed 1).
    AckHint,
    /// A reminder to those who have not confirmed yet.
    AckReminder {
        title: &'a str,
    },
    TipAlert {
        why: TipAlert,
        tip: &'a TipView,
    },
    TipOpenButton,
    TipAcknowledgeButton,
    TipPhotoCaption {
        code: &'a str,
    },
    TipUpdate {
        code: &'a str,
        change: TipChange<'a>,
    },
    Digest {
        unit: &'a str,
        every: DigestEvery,
        facts: &'a DigestFacts,
    },
    Export(ExportWord<'a>),
    /// A report request to a target unit's officers (or a housing group's leader).
    ReportRequest {
        unit: &'a str,
        title: &'a str,
        deadline_at: i64,
        items: &'a [crate::core::conversation::ReportItem],
    },
    ReportFillButton,
    /// The button under a report request's submission that opens the compiled result.
    ReportViewButton,
    /// A Zalo OA member writes back after messages waited outside the 48-hour window.
    ZaloOaWaiting {
        count: i64,
    },
    /// A unit that has not submitted, `days_before` the deadline (0: on the day).
    ReportReminder {
        title: &'a str,
        deadline_at: i64,
        days_before: i64,
    },
    /// The requester: the units that did not submit by the deadline.
    ReportOverdue {
        title: &'a str,
        units: &'a [String],
    },
    /// The requester: a unit submitted.
    ReportSubmitted {
        title: &'a str,
        unit: &'a str,
        done: i64,
        total: i64,
    },
    /// A unit's report sent back for completion.
    ReportReturned {
        title: &'a str,
        note: &'a str,
    },
    ReportExportCaption {
        title: &'a str,
        units: i64,
    },
    /// A poll as the members asked get it (how many questions, named or anonymous).
    PollAsk {
        unit: &'a str,
        title: &'a str,
        deadline_at: i64,
        questions: i64,
        anonymous: bool,
    },
    /// «Trả lời khảo sát», under it.
    PollStartButton,
    /// "3/5 · 60%" beside a bar of a poll's chart.
    PollChartFigure {
        done: i64,
        total: i64,
    },
    PollChartCaption {
        title: &'a str,
        question: i64,
    },
    PollExportCaption {
        title: &'a str,
        rows: i64,
    },
    /// The police liaison's approvals, warnings and monthly summary.
    Liaison(crate::core::conversation::LiaisonNotice<'a>),
    /// A quiz contest put to a member.
    QuizInvite {
        unit: &'a str,
        title: &'a str,
        starts_at: i64,
        ends_at: i64,
        questions: i64,
        minutes: i64,
    },
    /// «Bắt đầu thi», under it.
    QuizStartButton,
    /// The ranking file (or the winners' file).
    QuizExportCaption {
        title: &'a str,
        rows: i64,
        winners: bool,
    },
    /// An attempt the member left open ran out of time and was counted as it stood.
    QuizTimeUp {
        title: &'a str,
        score: i64,
        questions: i64,
    },
}

/// Renders notices in a language. The bot's one implementation is its Fluent bundle;
/// the trait keeps the store free of message ids.
pub trait Notices: Sync {
    fn text(&self, lang: Lang, notice: &Notice<'_>) -> String;
}

impl Notices for I18n {
    fn text(&self, lang: Lang, notice: &Notice<'_>) -> String {
        render(self, lang, notice)
    }
}

fn render(i18n: &I18n, lang: Lang, notice: &Notice<'_>) -> String {
    match *notice {
        Notice::Broadcast { unit, text } => {
            tr!(i18n, lang, "bc-message", unit = esc(unit), text = esc(text))
        }
        Notice::BroadcastFileElsewhere => i18n.s(lang, "bc-media-elsewhere"),
        Notice::BroadcastProgress {
            counts,
            total,
            eta_secs,
        } => progress(i18n, lang, counts, total, eta_secs),
        Notice::BroadcastStopTyped => i18n.s(lang, "bc-progress-stop-typed"),
        Notice::BroadcastStopButton => i18n.s(lang, "bc-stop-button"),
        Notice::BroadcastReport {
            counts: c,
            total,
            elapsed_secs,
            stopped,
        } => {
            let mut report = tr!(
                i18n,
                lang,
                "bc-report",
                sent = c.sent,
                total = total,
                failed = c.failed,
                unreachable = c.unreachable,
                time = duration(i18n, lang, elapsed_secs)
            );
            if c.over_quota > 0 {
                report.push('\n');
                report.push_str(&tr!(i18n, lang, "bc-report-quota", count = c.over_quota));
            }
            if c.outside_window > 0 {
                report.push('\n');
                report.push_str(&tr!(
                    i18n,
                    lang,
                    "bc-report-outside-window",
                    count = c.outside_window
                ));
            }
            if stopped {
                report.push('\n');
                report.push_str(&tr!(i18n, lang, "bc-report-stopped", count = c.cancelled));
            }
            report
        }
        Notice::DirectiveReport { title, counts: c } => {
            let mut text = tr!(
                i18n,
                lang,
                "directive-report",
                title = esc(title),
                sent = c.sent,
                total = c.sent + c.failed + c.unreachable + c.outside_window,
                failed = c.failed,
                unreachable = c.unreachable
            );
            if c.over_quota > 0 {
                text.push('\n');
                text.push_str(&tr!(i18n, lang, "bc-report-quota", count = c.over_quota));
            }
            if c.outside_window > 0 {
                text.push('\n');
                text.push_str(&tr!(
                    i18n,
                    lang,
                    "bc-report-outside-window",
                    count = c.outside_window
                ));
            }
            text.push('\n');
            text.push_str(&i18n.s(lang, "directive-report-advice"));
            text
        }
        Notice::SignRequest {
            unit,
            version,
            deadline_at,
            text,
        } => tr!(
            i18n,
            lang,
            if version > 1 {
                "cm-broadcast-changed"
            } else {
                "cm-broadcast"
            },
            unit = esc(unit),
            version = version,
            deadline = format_date(deadline_at),
            text = esc(text)
        ),
        Notice::CommitmentReminder { title, deadline_at } => tr!(
            i18n,
            lang,
            "cm-reminder",
            title = esc(title),
            deadline = format_date(deadline_at)
        ),
        Notice::SignButton => i18n.s(lang, "cm-sign-button"),
        Notice::AckButton => i18n.s(lang, "ack-button"),
        Notice::AckHint => i18n.s(lang, "ack-hint"),
        Notice::AckReminder { title } => tr!(i18n, lang, "ack-reminder", title = esc(title)),
        Notice::TipAlert { why, tip } => {
            let headline = match why {
                TipAlert::New => "tip-alert-new",
                TipAlert::Copy => "tip-alert-copy",
                TipAlert::Escalated => "tip-alert-escalated",
                TipAlert::Overdue => "tip-alert-overdue",
            };
            format!(
                "{}\n\n{}\n\n{}",
                i18n.s(lang, headline),
                super::conversation::render_tip(i18n, lang, tip),
                i18n.s(lang, "tip-alert-hint")
            )
        }
        Notice::Liaison(n) => crate::core::conversation::liaison::render_notice(i18n, lang, &n),
        Notice::TipOpenButton => i18n.s(lang, "tip-btn-open"),
        Notice::TipAcknowledgeButton => i18n.s(lang, "tip-btn-ack"),
        Notice::TipPhotoCaption { code } => tr!(i18n, lang, "tip-photo-caption", code = code),
        Notice::TipUpdate { code, change } => match change {
            TipChange::Acknowledged { unit } => tr!(
                i18n,
                lang,
                "tip-update-acknowledged",
                code = code,
                unit = esc(unit)
            ),
            TipChange::Escalated { unit } => tr!(
                i18n,
                lang,
                "tip-update-escalated",
                code = code,
                unit = esc(unit)
            ),
            TipChange::Resolved { note } => tr!(
                i18n,
                lang,
                "tip-update-resolved",
                code = code,
                note = esc(note)
            ),
        },
        Notice::ReportViewButton => i18n.s(lang, "rq-view-button"),
        Notice::ZaloOaWaiting { count } => tr!(i18n, lang, "zalo-oa-waiting", count = count),
        Notice::Digest { unit, every, facts } => render_digest(i18n, lang, unit, every, facts),
        Notice::Export(word) => match word {
            ExportWord::Label(id) => i18n.s(lang, id),
            ExportWord::YesNo(b) => i18n.s(lang, if b { "export-yes" } else { "export-no" }),
            ExportWord::Role(role) => i18n.s(
                lang,
                match role {
                    Role::Member => "role-member",
                    Role::Leader => "role-leader",
                    Role::Officer => "role-officer",
                    Role::Liaison => "role-liaison",
                },
            ),
            ExportWord::Category(c) => i18n.s(lang, &c.label_id()),
            ExportWord::TipStatus(s) => i18n.s(lang, s.label_id()),
            ExportWord::Anonymous => i18n.s(lang, "export-anonymous"),
        },
        Notice::ReportRequest {
            unit,
            title,
            deadline_at,
            items,
        } => {
            let items: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, it)| format!("{}. {}", i + 1, esc(&it.label)))
                .collect();
            tr!(
                i18n,
                lang,
                "rq-notice",
                unit = esc(unit),
                title = esc(title),
                deadline = format_date(deadline_at),
                items = items.join("\n")
            )
        }
        Notice::ReportFillButton => i18n.s(lang, "rq-fill-button"),
        Notice::ReportReminder {
            title,
            deadline_at,
            days_before,
        } => tr!(
            i18n,
            lang,
            if days_before == 0 {
                "rq-reminder-today"
            } else {
                "rq-reminder"
            },
            title = esc(title),
            deadline = format_date(deadline_at),
            days = days_before
        ),
        Notice::ReportOverdue { title, units } => tr!(
            i18n,
            lang,
            "rq-overdue",
            title = esc(title),
            count = units.len() as i64,
            units = units.iter().map(|u| esc(u)).collect::<Vec<_>>().join(", ")
        ),
        Notice::ReportSubmitted {
            title,
            unit,
            done,
            total,
        } => tr!(
            i18n,
            lang,
            "rq-notice-submitted",
            title = esc(title),
            unit = esc(unit),
            done = done,
            total = total
        ),
        Notice::ReportReturned { title, note } => tr!(
            i18n,
            lang,
            "rq-notice-returned",
            title = esc(title),
            note = esc(note)
        ),
        Notice::ReportExportCaption { title, units } => tr!(
            i18n,
            lang,
            "rq-export-caption",
            title = esc(title),
            units = units
        ),
        Notice::PollAsk {
            unit,
            title,
            deadline_at,
            questions,
            anonymous,
        } => tr!(
            i18n,
            lang,
            if anonymous {
                "ks-notice-anonymous"
            } else {
                "ks-notice"
            },
            unit = esc(unit),
            title = esc(title),
            deadline = format_date(deadline_at),
            count = questions
        ),
        Notice::PollStartButton => i18n.s(lang, "ks-start-button"),
        Notice::PollChartFigure { done, total } => tr!(
            i18n,
            lang,
            "chart-figure",
            done = done,
            total = total,
            pct = percent(done, total)
        ),
        Notice::PollChartCaption { title, question } => tr!(
            i18n,
            lang,
            "ks-chart-caption",
            title = esc(title),
            n = question
        ),
        Notice::PollExportCaption { title, rows } => tr!(
            i18n,
            lang,
            "ks-export-caption",
            title = esc(title),
            rows = rows
        ),
        Notice::QuizInvite {
            unit,
            title,
            starts_at,
            ends_at,
            questions,
            minutes,
        } => tr!(
            i18n,
            lang,
            "qz-notice",
            unit = esc(unit),
            title = esc(title),
            start = crate::core::time::format_date_time(starts_at),
            end = crate::core::time::format_date_time(ends_at),
            count = questions,
            minutes = minutes
        ),
        Notice::QuizStartButton => i18n.s(lang, "qz-start-button"),
        Notice::QuizTimeUp {
            title,
            score,
            questions,
        } => tr!(
            i18n,
            lang,
            "qz-swept",
            title = esc(title),
            score = score,
            count = questions
        ),
        Notice::QuizExportCaption {
            title,
            rows,
            winners,
        } => tr!(
            i18n,
            lang,
            if winners {
                "qz-winners-caption"
            } else {
                "qz-export-caption"
            },
            title = esc(title),
            rows = rows
        ),
    }
}

/// "Đang gửi 120/300 ▓▓▓▓░░░░░░ 40% · còn khoảng 6 phút".
fn progress(
    i18n: &I18n,
    lang: Lang,
    c: &DeliveryCounts,
    total: i64,
    eta_secs: Option<i64>,
) -> String {
    let done = c.sent + c.failed + c.unreachable;
    // Nearest, but never 100% while some are still to go.
    let pct = match total {
        t if t <= 0 => 100,
        t if done < t => percent(done, t).min(99),
        _ => 100,
    };
    let filled = (pct / 10) as usize;
    let bar = format!("{}{}", "▓".repeat(filled), "░".repeat(10 - filled.min(10)));
    let mut text = tr!(
        i18n,
        lang,
        "bc-progress",
        sent = c.sent,
        total = total,
        bar = bar,
        pct = pct,
        failed = c.failed,
        unreachable = c.unreachable
    );
    if let Some(secs) = eta_secs {
        text.push('\n');
        text.push_str(&tr!(
            i18n,
            lang,
            "bc-progress-eta",
            time = duration(i18n, lang, secs)
        ));
    }
    text
}

fn duration(i18n: &I18n, lang: Lang, secs: i64) -> String {
    if secs < 60 {
        tr!(i18n, lang, "bc-seconds", n = secs.max(1))
    } else if secs < 3600 {
        tr!(i18n, lang, "bc-minutes", n = (secs + 59) / 60)
    } else {
        tr!(
            i18n,
            lang,
            "bc-hours",
            h = secs / 3600,
            m = (secs % 3600) / 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_never_says_done_before_the_end() {
        let i18n = I18n::new();
        let counts = DeliveryCounts {
            sent: 299,
            ..Default::default()
        };
        let notice = Notice::BroadcastProgress {
            counts: &counts,
            total: 300,
            eta_secs: Some(5),
        };
        let text = i18n.text(Lang::Vi, &notice);
        assert!(text.contains("299/300"), "{text}");
        assert!(text.contains("99%"), "{text}");
        assert!(!text.contains("100%"), "{text}");
    }

    #[test]
    fn user_text_is_escaped_in_every_notice_that_carries_it() {
        let i18n = I18n::new();
        let evil = "<b>x</b> & y";
        for notice in [
            Notice::Broadcast {
                unit: evil,
                text: evil,
            },
            Notice::SignRequest {
                unit: evil,
                version: 2,
                deadline_at: 0,
                text: evil,
            },
            Notice::CommitmentReminder {
                title: evil,
                deadline_at: 0,
            },
            Notice::AckReminder { title: evil },
            Notice::TipUpdate {
                code: "TB-1",
                change: TipChange::Resolved { note: evil },
            },
            Notice::ReportReturned {
                title: evil,
                note: evil,
            },
            Notice::ReportOverdue {
                title: evil,
                units: &[evil.to_string()],
            },
        ] {
            for lang in Lang::ALL {
                let text = i18n.text(lang, &notice);
                assert!(!text.contains("<b>x</b>"), "{notice:?}: {text}");
                assert!(text.contains("&lt;b&gt;x&lt;/b&gt;"), "{notice:?}: {text}");
            }
        }
    }
}
