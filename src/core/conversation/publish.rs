//! Directives and the campaign calendar in chat: an officer turns a document into a
//! phone-sized summary and sends it down their subtree; members read what reached them
//! (/chithi) and see the dates ahead (/lich, with an .ics file).

use serde::{Deserialize, Serialize};

use super::flow::{Audience, CommandSpec, Flow, Listed, TypedOptions};
use super::report_requests::{self, ReportSeed};
use super::{
    Ctx, DIRECTIVE_MIN_CHARS, DocumentInput, Draft, Effect, Needs, Step, SuggestedDate, is_officer,
    split_command, toggle, typed_numbers,
};
use crate::core::actions::{CalendarAction, DirectiveAction};
use crate::core::calendar::{self, Recurrence};
use crate::core::directive::{self, Directive, ParseError, SummaryLabels};
use crate::core::domain::Lang;
use crate::core::event::{InboundEvent, Outbound, Payload};
use crate::core::text::{esc, fold};
use crate::core::time::format_date;
use crate::i18n::I18n;
use crate::tr;

/// Where a directive conversation stands. Stored under the step names used before
/// directives had a step type of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step")]
pub enum DirectiveStep {
    /// A member picking one of the directives /chithi listed.
    #[serde(rename = "choosing_directive")]
    Choosing { ids: Vec<i64> },
    /// An officer looking at the draft of a directive.
    #[serde(rename = "directive_review")]
    Review { draft: Draft },
    /// An officer choosing the child units that receive it.
    #[serde(rename = "directive_pick")]
    Pick { draft: Draft, chosen: Vec<i64> },
    /// An officer typing a new summary.
    #[serde(rename = "directive_edit")]
    Edit { draft: Draft },
    /// After publishing: add the document's dates to the calendar?
    #[serde(rename = "campaign_suggest")]
    CampaignSuggest {
        dates: Vec<SuggestedDate>,
        units: Vec<i64>,
        /// The report request the document asks for, offered next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        report: Option<ReportSeed>,
    },
}

/// What publishing changes, applied by the processor (targets checked again in SQL).
#[derive(Debug, Clone, PartialEq)]
pub enum DirectiveEffect {
    /// Send a directive to every member in the subtrees of `unit_ids`.
    Publish { unit_ids: Vec<i64>, draft: Draft },
    /// Yearly campaign dates for the subtrees of `unit_ids`.
    CreateCampaigns {
        unit_ids: Vec<i64>,
        dates: Vec<SuggestedDate>,
    },
}

/// The longest summary that still reads well on a phone (Zalo allows 2000).
pub const SUMMARY_MAX_CHARS: usize = 900;
/// An officer's own summary may be longer, but not past one Zalo message.
const EDITED_SUMMARY_MAX_CHARS: usize = 1500;
/// How many child units are offered as buttons.
const MAX_UNIT_CHOICES: usize = 30;

pub(super) fn on_document(cx: &mut Ctx) {
    match cx.facts.document.clone() {
        Some(DocumentInput::Bytes(bytes)) => match directive::parse_bytes(&bytes) {
            Ok(d) => start_draft(cx, d),
            Err(e) => parse_failed(cx, &e),
        },
        Some(DocumentInput::TooLarge) => parse_failed(
            cx,
            &ParseError::TooLarge {
                bytes: directive::MAX_INPUT_BYTES + 1,
            },
        ),
        _ => {
            let msg = cx.t("document-unavailable");
            cx.say(msg);
        }
    }
}

pub(super) fn on_directive_text(cx: &mut Ctx, text: &str) {
    match directive::parse(text) {
        Ok(d) => start_draft(cx, d),
        Err(e) => parse_failed(cx, &e),
    }
}

fn parse_failed(cx: &mut Ctx, e: &ParseError) {
    let msg = match e {
        ParseError::Empty => cx.t("directive-err-empty"),
        ParseError::TooLarge { .. } => tr!(
            cx.i18n,
            cx.lang,
            "directive-err-too-large-chat",
            max = (directive::MAX_INPUT_BYTES / 1_000_000) as i64
        ),
        ParseError::NotText => cx.t("directive-err-not-text"),
        ParseError::NotADirective => cx.t("directive-err-not-directive"),
    };
    cx.say(msg);
}

fn start_draft(cx: &mut Ctx, d: Directive) {
    let draft = draft_from(cx.i18n, cx.lang, &d);
    show_review(cx, draft);
}

/// The draft an officer reviews, from a parsed document: a title, a phone-sized summary,
/// the facts kept with it and the yearly dates it names. The chat and the console both
/// start from this.
pub fn draft_from(i18n: &I18n, lang: Lang, d: &Directive) -> Draft {
    let (a, b, c) = (
        i18n.s(lang, "summary-actions"),
        i18n.s(lang, "summary-dates"),
        i18n.s(lang, "summary-report"),
    );
    let summary = d.summary(
        &SummaryLabels {
            actions: &a,
            dates: &b,
            report: &c,
        },
        SUMMARY_MAX_CHARS,
    );
    let title = d
        .subject
        .clone()
        .or_else(|| d.own.as_ref().map(|o| format!("{} {}", o.kind, o.number)))
        .or_else(|| summary.lines().next().map(str::to_string))
        .unwrap_or_else(|| i18n.s(lang, "directive-untitled"));
    let title: String = title.chars().take(200).collect();
    Draft {
        title,
        summary,
        facts: serde_json::to_string(d).unwrap_or_else(|_| "{}".into()),
        dates: suggested_dates(d),
        ack: false,
        ack_remind_days: 0,
    }
}

/// The yearly dates a document names that are real days of the year.
pub fn suggested_dates(d: &Directive) -> Vec<SuggestedDate> {
    d.events
        .iter()
        .filter(|e| {
            Recurrence::Yearly {
                day: e.day,
                month: e.month,
            }
            .valid()
        })
        .map(|e| SuggestedDate {
            lunar: false,
            remind: None,
            day: e.day,
            month: e.month,
            year: e.year,
            label: e.label.clone(),
        })
        .collect()
}

/// A directive as members get it.
pub fn broadcast_text(i18n: &I18n, lang: Lang, unit_name: &str, summary: &str) -> String {
    tr!(
        i18n,
        lang,
        "directive-broadcast",
        unit = esc(unit_name),
        summary = esc(summary)
    )
}

/// The longest summary an officer may write (one Zalo message).
pub const EDITED_SUMMARY_MAX: usize = EDITED_SUMMARY_MAX_CHARS;

fn show_review(cx: &mut Ctx, draft: Draft) {
    let Some(m) = cx.facts.member.clone() else {
        return;
    };
    let text = tr!(
        cx.i18n,
        cx.lang,
        "directive-review",
        chars = draft.summary.chars().count() as i64,
        summary = esc(&draft.summary)
    );
    let mut options = vec![(
        DirectiveAction::All.to_string(),
        tr!(
            cx.i18n,
            cx.lang,
            "directive-send-all",
            unit = m.unit_name.clone(),
            count = cx.facts.subtree_members
        ),
    )];
    if !cx.facts.children.is_empty() {
        options.push((DirectiveAction::Pick.to_string(), cx.t("directive-pick")));
    }
    options.push((DirectiveAction::Edit.to_string(), cx.t("directive-edit")));
    options.push((
        DirectiveAction::Cancel.to_string(),
        cx.t("directive-cancel"),
    ));
    // Last, so the numbers of the other options stay what they always were.
    options.push((DirectiveAction::Ack.to_string(), ack_toggle(cx, draft.ack)));
    if draft.ack {
        options.push((
            DirectiveAction::AckRemind.to_string(),
            super::acknowledgements::remind_label(cx, draft.ack_remind_days),
        ));
    }
    cx.conv.step = Step::Directive(DirectiveStep::Review { draft });
    cx.ask_owned(text, &options);
}

/// The «Đã nắm» option, ticked or not.
pub(super) fn ack_toggle(cx: &Ctx, on: bool) -> String {
    cx.t(if on {
        "ack-toggle-on"
    } else {
        "ack-toggle-off"
    })
}

fn show_pick(cx: &mut Ctx, draft: Draft, chosen: Vec<i64>) {
    let mut options: Vec<(String, String)> = cx
        .facts
        .children
        .iter()
        .take(MAX_UNIT_CHOICES)
        .map(|u| {
            let mark = if chosen.contains(&u.id) { "☑" } else { "☐" };
            (
                DirectiveAction::Unit(u.id).to_string(),
                format!("{mark} {} ({})", u.name, u.members),
            )
        })
        .collect();
    let count: i64 = cx
        .facts
        .children
        .iter()
        .filter(|u| chosen.contains(&u.id))
        .map(|u| u.members)
        .sum();
    options.push((
        DirectiveAction::Send.to_string(),
        tr!(
            cx.i18n,
            cx.lang,
            "directive-send-chosen",
            units = chosen.len() as i64,
            count = count
        ),
    ));
    options.push((DirectiveAction::Back.to_string(), cx.t("directive-back")));
    let text = cx.t("directive-pick-help");
    cx.conv.step = Step::Directive(DirectiveStep::Pick { draft, chosen });
    cx.ask_owned(text, &options);
}

/// Handles typed replies in this module's steps; `false` when the text is not ours.
pub(super) fn on_text(cx: &mut Ctx, text: &str) -> bool {
    match cx.conv.step.clone() {
        Step::Directive(DirectiveStep::Choosing { .. }) => {
            if text.parse::<usize>().is_ok() {
                show_directive(cx);
                return true;
            }
            false
        }
        Step::Directive(DirectiveStep::Review { draft }) => {
            let mut options = vec![DirectiveAction::All];
            if !cx.facts.children.is_empty() {
                options.push(DirectiveAction::Pick);
            }
            options.extend([
                DirectiveAction::Edit,
                DirectiveAction::Cancel,
                DirectiveAction::Ack,
            ]);
            if draft.ack {
                options.push(DirectiveAction::AckRemind);
            }
            match pick_number(text, options.len()) {
                Some(i) => {
                    let step = std::mem::take(&mut cx.conv.step);
                    on_choice(cx, &step, &options[i].to_string());
                }
                None => {
                    let msg = cx.t("choose-an-option");
                    cx.say(msg);
                    show_review(cx, draft);
                }
            }
            true
        }
        Step::Directive(DirectiveStep::Pick { draft, mut chosen }) => {
            let shown: Vec<i64> = cx
                .facts
                .children
                .iter()
                .take(MAX_UNIT_CHOICES)
                .map(|u| u.id)
                .collect();
            let Some(numbers) = typed_numbers(text, shown.len() + 2) else {
                let msg = cx.t("choose-an-option");
                cx.say(msg);
                show_pick(cx, draft, chosen);
                return true;
            };
            if numbers == [shown.len() + 1] {
                let step = Step::Directive(DirectiveStep::Pick { draft, chosen });
                on_choice(cx, &step, &DirectiveAction::Send.to_string());
                return true;
            }
            if numbers == [shown.len() + 2] {
                show_review(cx, draft);
                return true;
            }
            for n in numbers.into_iter().filter(|&n| n <= shown.len()) {
                toggle(&mut chosen, shown[n - 1]);
            }
            show_pick(cx, draft, chosen);
            true
        }
        Step::Directive(DirectiveStep::Edit { mut draft }) => {
            let count = text.chars().count();
            if count > EDITED_SUMMARY_MAX_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "directive-summary-too-long",
                    max = EDITED_SUMMARY_MAX_CHARS as i64,
                    chars = count as i64
                );
                cx.say(msg);
                return true;
            }
            draft.summary = text.to_string();
            show_review(cx, draft);
            true
        }
        _ => false,
    }
}

fn pick_number(text: &str, len: usize) -> Option<usize> {
    text.trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|&i| i < len)
}

/// Handles buttons of this module's steps; `false` when the data is not ours (the
/// caller then says the button is stale).
pub(super) fn on_choice(cx: &mut Ctx, step: &Step, data: &str) -> bool {
    if let Ok(CalendarAction::Ics) = data.parse()
        && cx.facts.member.is_some()
        && cx.ev.channel.can_send_files()
    {
        send_ics(cx);
        cx.conv.step = step.clone();
        return true;
    }
    match data.parse::<DirectiveAction>() {
        Ok(DirectiveAction::Show(_)) => {
            cx.conv.step = step.clone();
            show_directive(cx);
            true
        }
        Ok(action) if is_officer(cx.facts) => on_officer_choice(cx, step, action),
        _ => match (step, data.parse::<CalendarAction>()) {
            (
                Step::Directive(DirectiveStep::CampaignSuggest {
                    dates,
                    units,
                    report,
                }),
                Ok(CalendarAction::Add),
            ) if is_officer(cx.facts) => {
                cx.effects
                    .push(Effect::Directive(DirectiveEffect::CreateCampaigns {
                        unit_ids: units.clone(),
                        dates: dates.clone(),
                    }));
                cx.conv.step = Step::Idle;
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "campaign-added",
                    count = dates.len() as i64
                );
                cx.say(msg);
                if let Some(seed) = report {
                    report_requests::offer(cx, seed.clone());
                }
                true
            }
            (
                Step::Directive(DirectiveStep::CampaignSuggest { report, .. }),
                Ok(CalendarAction::Skip),
            ) if is_officer(cx.facts) => {
                cx.conv.step = Step::Idle;
                let msg = cx.t("campaign-skipped");
                cx.say(msg);
                if let Some(seed) = report {
                    report_requests::offer(cx, seed.clone());
                }
                true
            }
            _ => false,
        },
    }
}

/// An officer's button on a directive draft; `false` when it does not fit the step.
fn on_officer_choice(cx: &mut Ctx, step: &Step, action: DirectiveAction) -> bool {
    match (step, action) {
        (Step::Directive(DirectiveStep::Review { draft }), DirectiveAction::All) => {
            let Some(m) = cx.facts.member.clone() else {
                return false;
            };
            publish(cx, draft.clone(), vec![m.unit_id], cx.facts.subtree_members);
        }
        (Step::Directive(DirectiveStep::Review { draft }), DirectiveAction::Pick)
            if !cx.facts.children.is_empty() =>
        {
            show_pick(cx, draft.clone(), vec![]);
        }
        (Step::Directive(DirectiveStep::Review { draft }), DirectiveAction::Ack) => {
            let mut draft = draft.clone();
            draft.ack = !draft.ack;
            draft.ack_remind_days = 0;
            show_review(cx, draft);
        }
        (Step::Directive(DirectiveStep::Review { draft }), DirectiveAction::AckRemind)
            if draft.ack =>
        {
            let mut draft = draft.clone();
            draft.ack_remind_days = super::acknowledgements::next_remind(draft.ack_remind_days);
            show_review(cx, draft);
        }
        (Step::Directive(DirectiveStep::Review { draft }), DirectiveAction::Edit) => {
            cx.conv.step = Step::Directive(DirectiveStep::Edit {
                draft: draft.clone(),
            });
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "directive-edit-help",
                max = EDITED_SUMMARY_MAX_CHARS as i64
            );
            cx.say(msg);
        }
        (
            Step::Directive(DirectiveStep::Review { .. })
            | Step::Directive(DirectiveStep::Pick { .. }),
            DirectiveAction::Cancel,
        ) => {
            cx.conv.step = Step::Idle;
            let msg = cx.t("directive-cancelled");
            cx.say(msg);
        }
        (Step::Directive(DirectiveStep::Pick { draft, .. }), DirectiveAction::Back) => {
            show_review(cx, draft.clone())
        }
        (Step::Directive(DirectiveStep::Pick { draft, chosen }), DirectiveAction::Send) => {
            if chosen.is_empty() {
                let msg = cx.t("directive-pick-none");
                cx.say(msg);
                show_pick(cx, draft.clone(), chosen.clone());
            } else {
                let count = cx
                    .facts
                    .children
                    .iter()
                    .filter(|u| chosen.contains(&u.id))
                    .map(|u| u.members)
                    .sum();
                publish(cx, draft.clone(), chosen.clone(), count);
            }
        }
        (Step::Directive(DirectiveStep::Pick { draft, chosen }), DirectiveAction::Unit(id)) => {
            // Only the officer's own children can be chosen: anything else is forged.
            if !cx.facts.children.iter().any(|u| u.id == id) {
                return false;
            }
            let mut chosen = chosen.clone();
            toggle(&mut chosen, id);
            show_pick(cx, draft.clone(), chosen);
        }
        _ => return false,
    }
    true
}

fn publish(cx: &mut Ctx, draft: Draft, unit_ids: Vec<i64>, count: i64) {
    let dates = draft.dates.clone();
    let report = report_requests::seed_from_directive(cx, &draft);
    let ack = draft.ack;
    cx.effects.push(Effect::Directive(DirectiveEffect::Publish {
        unit_ids: unit_ids.clone(),
        draft,
    }));
    let mut msg = tr!(cx.i18n, cx.lang, "directive-sent", count = count);
    if ack {
        msg.push('\n');
        msg.push_str(&cx.t("ack-asked"));
    }
    cx.say(msg);
    if dates.is_empty() {
        cx.conv.step = Step::Idle;
        if let Some(seed) = report {
            report_requests::offer(cx, seed);
        }
        return;
    }
    let list: Vec<String> = dates
        .iter()
        .map(|d| format!("• {}/{} — {}", d.day, d.month, esc(&d.label)))
        .collect();
    let text = tr!(
        cx.i18n,
        cx.lang,
        "campaign-suggest",
        dates = list.join("\n")
    );
    cx.conv.step = Step::Directive(DirectiveStep::CampaignSuggest {
        dates,
        units: unit_ids,
        report,
    });
    let options = [
        (CalendarAction::Add.to_string(), cx.t("campaign-add")),
        (CalendarAction::Skip.to_string(), cx.t("campaign-skip")),
    ];
    cx.ask_owned(text, &options);
}

pub(super) fn list_directives(cx: &mut Ctx) {
    let hint = if is_officer(cx.facts) {
        format!("\n\n{}", cx.t("directive-officer-hint"))
    } else {
        String::new()
    };
    if cx.facts.directives.is_empty() {
        let msg = format!("{}{hint}", cx.t("directives-none"));
        return cx.say(msg);
    }
    let options: Vec<(String, String)> = cx
        .facts
        .directives
        .iter()
        .map(|d| {
            let title: String = d.title.chars().take(60).collect();
            (
                DirectiveAction::Show(d.id).to_string(),
                format!("{title} ({})", format_date(d.published_at)),
            )
        })
        .collect();
    let ids = cx.facts.directives.iter().map(|d| d.id).collect();
    cx.conv.step = Step::Directive(DirectiveStep::Choosing { ids });
    let text = format!("{}{hint}", cx.t("directives-title"));
    cx.ask_owned(text, &options);
}

fn show_directive(cx: &mut Ctx) {
    match cx.facts.directive.clone() {
        Some(d) => {
            // The summary usually opens with the title: don't show it twice.
            let summary = d
                .summary
                .strip_prefix(d.title.as_str())
                .map(str::trim_start)
                .unwrap_or(&d.summary);
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "directive-detail",
                title = esc(&d.title),
                unit = esc(&d.unit_name),
                date = format_date(d.published_at),
                summary = esc(summary)
            );
            cx.say(msg);
        }
        None => {
            let msg = cx.t("directive-not-found");
            cx.say(msg);
        }
    }
}

pub(super) fn calendar(cx: &mut Ctx, arg: &str) {
    if let Some(rest) = arg
        .strip_prefix("them")
        .or_else(|| arg.strip_prefix("thêm"))
        .or_else(|| arg.strip_prefix("add"))
    {
        return add_campaign(cx, rest.trim());
    }
    let today = calendar::local_date(cx.facts.now_ms);
    let upcoming = calendar::upcoming(&cx.facts.campaigns, cx.facts.now_ms);
    let hint = if is_officer(cx.facts) {
        format!("\n\n{}", cx.t("calendar-officer-hint"))
    } else {
        String::new()
    };
    if upcoming.is_empty() {
        let msg = format!("{}{hint}", cx.t("calendar-none"));
        return cx.say(msg);
    }
    let lines: Vec<String> = upcoming
        .iter()
        .take(10)
        .map(|(date, c)| {
            let solar = date.format("%-d/%-m/%Y").to_string();
            let shown = match c.recurrence {
                Recurrence::LunarYearly { day, month } => tr!(
                    cx.i18n,
                    cx.lang,
                    "calendar-lunar-date",
                    lunar = format!("{day}/{month}"),
                    solar = solar
                ),
                _ => solar,
            };
            tr!(
                cx.i18n,
                cx.lang,
                "calendar-line",
                date = shown,
                title = esc(&c.title),
                days = (*date - today).num_days()
            )
        })
        .collect();
    let text = format!("{}\n{}{hint}", cx.t("calendar-title"), lines.join("\n"));
    if cx.ev.channel.can_send_files() {
        let options = [(CalendarAction::Ics.to_string(), cx.t("calendar-ics"))];
        cx.ask_owned(text, &options);
    } else {
        cx.say(text);
    }
}

/// `/lich them 28/7 Ngày thành lập Công đoàn Việt Nam`, or with a lunar date and the
/// reminders wanted: `/lich them 15/8 âm lịch Tết Trung thu nhắc 3,1,0 lúc 8h`. A date
/// for the officer's subtree, every year (or once, with a year).
fn add_campaign(cx: &mut Ctx, rest: &str) {
    let Some(m) = cx.facts.member.clone().filter(|_| is_officer(cx.facts)) else {
        let msg = cx.t("officer-only");
        return cx.say(msg);
    };
    let (date, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let mut words: Vec<&str> = after.split_whitespace().collect();
    // "âm lịch" / "AL" right after the date makes it lunar.
    let mut lunar = false;
    for marker in [
        &["âm", "lịch"][..],
        &["am", "lich"],
        &["al"],
        &["âl"],
        &["(al)"],
        &["(âl)"],
    ] {
        if words.len() >= marker.len()
            && words[..marker.len()]
                .iter()
                .zip(marker)
                .all(|(w, m)| fold(w) == *m)
        {
            lunar = true;
            words.drain(..marker.len());
            break;
        }
    }
    // "nhắc 3,1,0 lúc 8h" at the end: the reminders.
    let remind_at = words
        .iter()
        .position(|w| matches!(fold(w).as_str(), "nhắc" | "nhac" | "remind"));
    let remind = match remind_at {
        Some(i) => {
            let options: Vec<&str> = words.drain(i..).skip(1).collect();
            match parse_reminders(&options) {
                Some(r) => Some(r),
                None => {
                    let msg = cx.t("calendar-remind-invalid");
                    return cx.say(msg);
                }
            }
        }
        None => None,
    };
    let label: String = words.join(" ").chars().take(200).collect();
    let parts: Vec<u32> = date
        .split(['/', '-', '.'])
        .filter_map(|p| p.parse().ok())
        .collect();
    let parsed = match parts.as_slice() {
        [d, mth] => Some((*d, *mth, None)),
        [d, mth, y] if !lunar => Some((*d, *mth, i32::try_from(*y).ok())),
        _ => None,
    };
    let valid = parsed.filter(|(d, mth, y)| match y {
        Some(y) => Recurrence::Once {
            day: *d,
            month: *mth,
            year: *y,
        }
        .valid(),
        None if lunar => Recurrence::LunarYearly {
            day: *d,
            month: *mth,
        }
        .valid(),
        None => Recurrence::Yearly {
            day: *d,
            month: *mth,
        }
        .valid(),
    });
    match valid {
        Some((day, month, year)) if !label.is_empty() => {
            let (days, hour) = remind.clone().unwrap_or((
                calendar::DEFAULT_REMIND_DAYS.to_vec(),
                calendar::DEFAULT_REMIND_HOUR,
            ));
            cx.effects
                .push(Effect::Directive(DirectiveEffect::CreateCampaigns {
                    unit_ids: vec![m.unit_id],
                    dates: vec![SuggestedDate {
                        day,
                        month,
                        year,
                        label: label.clone(),
                        lunar,
                        remind,
                    }],
                }));
            let when = if lunar {
                tr!(
                    cx.i18n,
                    cx.lang,
                    "calendar-lunar-day",
                    date = format!("{day}/{month}")
                )
            } else {
                match year {
                    Some(y) => format!("{day}/{month}/{y}"),
                    None => format!("{day}/{month}"),
                }
            };
            let reminders: Vec<String> = days
                .iter()
                .map(|d| match d {
                    0 => cx.t("calendar-remind-same-day"),
                    n => tr!(cx.i18n, cx.lang, "calendar-remind-days-before", days = *n),
                })
                .collect();
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "campaign-added-detail",
                title = esc(&label),
                date = when,
                reminders = reminders.join(", "),
                hour = i64::from(hour)
            );
            cx.say(msg);
        }
        _ => {
            let msg = cx.t("calendar-add-usage");
            cx.say(msg);
        }
    }
}

/// "3,1,0 lúc 8h" → ([3, 1, 0], 8). Days 0–60 (at most 5), hour 6–21 (default 7).
fn parse_reminders(words: &[&str]) -> Option<(Vec<i64>, u32)> {
    let mut days: Vec<i64> = vec![];
    let mut hour = None;
    let mut at = false;
    for w in words {
        let w = fold(w);
        if matches!(w.as_str(), "lúc" | "luc" | "at") {
            at = true;
            continue;
        }
        if matches!(w.as_str(), "ngày" | "ngay" | "days" | "trước" | "truoc") {
            continue;
        }
        if at {
            let h = w.trim_end_matches(['h', 'g']).split([':', 'h']).next()?;
            hour = Some(h.parse::<u32>().ok()?);
            at = false;
            continue;
        }
        for n in w.split([',', ';']).filter(|n| !n.is_empty()) {
            days.push(n.parse().ok()?);
        }
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    let hour = hour.unwrap_or(calendar::DEFAULT_REMIND_HOUR);
    let ok = !days.is_empty()
        && days.len() <= 5
        && days.iter().all(|d| (0..=60).contains(d))
        && (6..=21).contains(&hour);
    ok.then_some((days, hour))
}

fn send_ics(cx: &mut Ctx) {
    let name = cx.t("calendar-ics-name");
    let content = calendar::ics(&cx.facts.campaigns, &name, cx.facts.now_ms);
    let caption = cx.t("calendar-ics-caption");
    cx.replies.push(super::Reply {
        chat_id: cx.ev.chat_id.clone(),
        body: Outbound::Document {
            file_name: "lich-cong-doan.ics".into(),
            content,
            caption,
        },
    });
}

pub(super) fn reprompt(cx: &mut Ctx, step: &Step) {
    match step {
        Step::Directive(DirectiveStep::Review { draft }) => show_review(cx, draft.clone()),
        Step::Directive(DirectiveStep::Pick { draft, chosen }) => {
            show_pick(cx, draft.clone(), chosen.clone())
        }
        Step::Directive(DirectiveStep::CampaignSuggest {
            dates,
            units,
            report,
        }) => {
            let options = [
                (CalendarAction::Add.to_string(), cx.t("campaign-add")),
                (CalendarAction::Skip.to_string(), cx.t("campaign-skip")),
            ];
            let list: Vec<String> = dates
                .iter()
                .map(|d| format!("• {}/{} — {}", d.day, d.month, esc(&d.label)))
                .collect();
            let text = tr!(
                cx.i18n,
                cx.lang,
                "campaign-suggest",
                dates = list.join("\n")
            );
            cx.conv.step = Step::Directive(DirectiveStep::CampaignSuggest {
                dates: dates.clone(),
                units: units.clone(),
                report: report.clone(),
            });
            cx.ask_owned(text, &options);
        }
        _ => {}
    }
}

/// Directives and the campaign calendar as one flow of the registry.
pub(super) struct Directives;

impl Flow for Directives {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[
            CommandSpec::new("chithi", Audience::Members, Listed::Members).in_menu(),
            CommandSpec::new("lich", Audience::Members, Listed::Members).in_menu(),
        ];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(
            step,
            Step::Directive(DirectiveStep::Choosing { .. })
                | Step::Directive(DirectiveStep::Review { .. })
                | Step::Directive(DirectiveStep::Pick { .. })
                | Step::Directive(DirectiveStep::Edit { .. })
                | Step::Directive(DirectiveStep::CampaignSuggest { .. })
        )
    }

    fn needs(&self, ev: &InboundEvent, step: &Step, n: &mut Needs) {
        let drafting = matches!(
            step,
            Step::Directive(DirectiveStep::Review { .. })
                | Step::Directive(DirectiveStep::Pick { .. })
                | Step::Directive(DirectiveStep::Edit { .. })
        );
        match &ev.payload {
            Payload::Text { text } => {
                let text = text.trim();
                match split_command(text) {
                    Some((cmd, _)) if cmd == "chithi" => n.directives = true,
                    Some((cmd, _)) if cmd == "lich" => n.campaigns = true,
                    Some(_) => {}
                    None => {
                        n.officer_units |= drafting || text.chars().count() >= DIRECTIVE_MIN_CHARS;
                        if let Step::Directive(DirectiveStep::Choosing { ids }) = step {
                            n.directive = text
                                .parse::<usize>()
                                .ok()
                                .and_then(|i| i.checked_sub(1))
                                .and_then(|i| ids.get(i).copied());
                        }
                    }
                }
            }
            Payload::Button { data, .. } => {
                n.officer_units |= drafting || data.starts_with("dir:");
                if let Ok(DirectiveAction::Show(id)) = data.parse() {
                    n.directive = n.directive.or(Some(id));
                }
                n.campaigns |= matches!(data.parse(), Ok(CalendarAction::Ics));
            }
            Payload::Document { .. } => {
                n.document = true;
                n.officer_units = true;
            }
            _ => {}
        }
    }

    fn on_command(&self, cx: &mut Ctx, cmd: &str, arg: &str) {
        match cmd {
            "chithi" => list_directives(cx),
            _ => calendar(cx, arg),
        }
    }

    fn typed_options(&self, step: &Step) -> Option<TypedOptions> {
        matches!(step, Step::Directive(DirectiveStep::CampaignSuggest { .. })).then_some(&[
            (
                "cal:add",
                &[
                    "1",
                    "có",
                    "co",
                    "thêm",
                    "them",
                    "đồng ý",
                    "dong y",
                    "yes",
                    "add",
                ],
            ),
            (
                "cal:skip",
                &["2", "không", "khong", "no", "bỏ qua", "bo qua", "skip"],
            ),
        ])
    }

    fn on_text(&self, cx: &mut Ctx, text: &str) -> bool {
        if on_text(cx, text) {
            return true;
        }
        // Pasted text this long, from an officer, is a directive to pass down.
        if cx.conv.step == Step::Idle
            && is_officer(cx.facts)
            && text.chars().count() >= DIRECTIVE_MIN_CHARS
        {
            on_directive_text(cx, text);
            return true;
        }
        false
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        on_choice(cx, step, data)
    }

    fn on_media(&self, cx: &mut Ctx) -> bool {
        if matches!(cx.ev.payload, Payload::Document { .. }) && is_officer(cx.facts) {
            on_document(cx);
            return true;
        }
        false
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        reprompt(cx, step);
    }
}
