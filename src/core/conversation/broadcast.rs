//! `/guitin`: an officer writes a message (text, or a photo or file with a caption),
//! picks who gets it (the whole subtree, one child unit, several chosen child units, only
//! the housing-group leaders, or only the union officers below), sees a preview with the number of recipients, and sends it now or at a
//! chosen time. `/guitin huy` (or the button on the progress message) stops it.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::audience::{self, pickable, picked_target};
use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::{Ctx, Effect, Needs, Step, is_officer, split_command, toggle, typed_numbers};
use crate::core::actions::{BroadcastAction, BroadcastTo};
use crate::core::calendar::{local_date, local_time_ms};
use crate::core::domain::Role;
use crate::core::event::{InboundEvent, MediaKind, Payload};
use crate::core::text::{esc, fold};
use crate::core::time::format_date_time;
use crate::tr;

/// One Telegram message with room for the header; Zalo splits longer texts itself.
pub const MAX_BROADCAST_CHARS: usize = 3500;
/// How far ahead a broadcast may be scheduled.
const MAX_SCHEDULE_DAYS: i64 = 90;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadcastMedia {
    pub kind: MediaKind,
    pub file_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadcastDraft {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<BroadcastMedia>,
    /// Members are asked to confirm it («Đã nắm»).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ack: bool,
    /// Those who have not confirmed are reminded every so many days (0: never).
    #[serde(default, skip_serializing_if = "super::is_zero")]
    pub ack_remind_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadcastTarget {
    pub unit_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    pub count: i64,
    pub label: String,
    /// Chosen child units of `unit_id`, each with its subtree; empty: all of `unit_id`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "bc", rename_all = "snake_case")]
pub enum BroadcastStep {
    Compose,
    Target {
        draft: BroadcastDraft,
    },
    Pick {
        draft: BroadcastDraft,
        chosen: Vec<i64>,
    },
    Confirm {
        draft: BroadcastDraft,
        target: BroadcastTarget,
    },
    When {
        draft: BroadcastDraft,
        target: BroadcastTarget,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BroadcastEffect {
    Create {
        draft: BroadcastDraft,
        target: BroadcastTarget,
        /// `None`: now.
        send_at: Option<i64>,
    },
    Cancel {
        id: i64,
    },
}

/// A broadcast of this officer that can still be stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveBroadcast {
    pub id: i64,
    pub scheduled: bool,
    pub send_at: i64,
    pub total: i64,
}

pub(super) fn needs(ev: &InboundEvent, step: &Step, n: &mut Needs) {
    let ours = matches!(step, Step::Broadcast(_));
    match &ev.payload {
        Payload::Text { text } => match split_command(text.trim()) {
            Some((cmd, _)) if cmd == "guitin" => {
                n.broadcasts = true;
                n.officer_units = true;
            }
            Some(_) => {}
            None if ours => {
                n.officer_units = true;
                n.broadcasts = true;
            }
            None => {}
        },
        Payload::Button { data, .. } if data.starts_with("bc:") => {
            n.broadcasts = true;
            n.officer_units = true;
        }
        Payload::Photo { .. } | Payload::Document { .. } if ours => {
            n.officer_units = true;
            n.broadcasts = true;
        }
        _ => {}
    }
}

/// `/guitin`, `/guitin huy`.
pub(super) fn command(cx: &mut Ctx, arg: &str) {
    let arg = fold(arg);
    if matches!(
        arg.as_str(),
        "huy" | "hủy" | "dung" | "dừng" | "stop" | "cancel"
    ) {
        return match cx.facts.active_broadcasts.first().cloned() {
            Some(b) => {
                cx.effects
                    .push(Effect::Broadcast(BroadcastEffect::Cancel { id: b.id }));
                let msg = cx.t("bc-cancelled");
                cx.say(msg);
            }
            None => {
                let msg = cx.t("bc-nothing-to-cancel");
                cx.say(msg);
            }
        };
    }
    cx.conv.step = Step::Broadcast(BroadcastStep::Compose);
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "bc-ask-text",
        max = MAX_BROADCAST_CHARS as i64
    );
    cx.say(msg);
}

fn target_options(cx: &Ctx) -> Vec<(String, String)> {
    audience::target_options(cx, true, |to| BroadcastAction::To(to).to_string())
}

fn ask_target(cx: &mut Ctx, draft: BroadcastDraft) {
    cx.conv.step = Step::Broadcast(BroadcastStep::Target { draft });
    let text = cx.t("bc-ask-target");
    let options = target_options(cx);
    cx.ask_owned(text, &options);
}

fn show_pick(cx: &mut Ctx, draft: BroadcastDraft, chosen: Vec<i64>) {
    let options = audience::pick_options(
        cx,
        &chosen,
        |id| BroadcastAction::PickUnit(id).to_string(),
        BroadcastAction::PickDone.to_string(),
        BroadcastAction::PickBack.to_string(),
    );
    let text = cx.t("bc-pick-help");
    cx.conv.step = Step::Broadcast(BroadcastStep::Pick { draft, chosen });
    cx.ask_owned(text, &options);
}

fn confirm_options(cx: &Ctx, draft: &BroadcastDraft) -> Vec<(String, String)> {
    let mut options = vec![
        (BroadcastAction::Send.to_string(), cx.t("bc-send-now")),
        (BroadcastAction::Later.to_string(), cx.t("bc-send-later")),
        (BroadcastAction::Cancel.to_string(), cx.t("bc-discard")),
        // Last, so the numbers of the other options stay what they always were.
        (
            BroadcastAction::Ack.to_string(),
            super::publish::ack_toggle(cx, draft.ack),
        ),
    ];
    if draft.ack {
        options.push((
            BroadcastAction::AckRemind.to_string(),
            super::acknowledgements::remind_label(cx, draft.ack_remind_days),
        ));
    }
    options
}

fn show_preview(cx: &mut Ctx, draft: BroadcastDraft, target: BroadcastTarget) {
    let mut text = tr!(
        cx.i18n,
        cx.lang,
        "bc-preview",
        text = esc(&draft.text),
        target = esc(&target.label),
        count = target.count
    );
    if draft.media.is_some() {
        text.push('\n');
        text.push_str(&cx.t("bc-preview-media"));
    }
    let options = confirm_options(cx, &draft);
    cx.conv.step = Step::Broadcast(BroadcastStep::Confirm { draft, target });
    cx.ask_owned(text, &options);
}

/// Typed text in a broadcast step; `false` when the step is not ours.
pub(super) fn on_text(cx: &mut Ctx, text: &str) -> bool {
    let Step::Broadcast(step) = cx.conv.step.clone() else {
        return false;
    };
    if !is_officer(cx.facts) {
        cx.conv.step = Step::Idle;
        let msg = cx.t("officer-only");
        cx.say(msg);
        return true;
    }
    match step {
        BroadcastStep::Compose => {
            let n = text.chars().count();
            if n > MAX_BROADCAST_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "bc-too-long",
                    max = MAX_BROADCAST_CHARS as i64,
                    count = n as i64
                );
                cx.say(msg);
            } else {
                let draft = BroadcastDraft {
                    text: text.to_string(),
                    media: None,
                    ack: false,
                    ack_remind_days: 0,
                };
                ask_target(cx, draft);
            }
        }
        BroadcastStep::Target { draft } => {
            let options = target_options(cx);
            match typed(&options, text) {
                Some(data) => {
                    on_choice(cx, &Step::Broadcast(BroadcastStep::Target { draft }), &data);
                }
                None => reask(cx),
            }
        }
        BroadcastStep::Pick { draft, mut chosen } => {
            let shown: Vec<i64> = pickable(cx).iter().map(|(id, _, _)| *id).collect();
            let Some(numbers) = typed_numbers(text, shown.len() + 2) else {
                let msg = cx.t("choose-an-option");
                cx.say(msg);
                show_pick(cx, draft, chosen);
                return true;
            };
            let step = Step::Broadcast(BroadcastStep::Pick {
                draft: draft.clone(),
                chosen: chosen.clone(),
            });
            if numbers == [shown.len() + 1] {
                on_choice(cx, &step, &BroadcastAction::PickDone.to_string());
                return true;
            }
            if numbers == [shown.len() + 2] {
                on_choice(cx, &step, &BroadcastAction::PickBack.to_string());
                return true;
            }
            for n in numbers.into_iter().filter(|&n| n <= shown.len()) {
                toggle(&mut chosen, shown[n - 1]);
            }
            show_pick(cx, draft, chosen);
        }
        BroadcastStep::Confirm { draft, target } => {
            let options = confirm_options(cx, &draft);
            let words = [
                (BroadcastAction::Send, "gửi"),
                (BroadcastAction::Send, "gui"),
                (BroadcastAction::Later, "hẹn giờ"),
                (BroadcastAction::Later, "hen gio"),
                (BroadcastAction::Cancel, "hủy"),
                (BroadcastAction::Cancel, "huy"),
            ]
            .map(|(a, w)| (a.to_string(), w.to_string()));
            match typed(&options, text).or_else(|| typed(&words, text)) {
                Some(data) => {
                    let step = Step::Broadcast(BroadcastStep::Confirm { draft, target });
                    on_choice(cx, &step, &data);
                }
                None => reask(cx),
            }
        }
        BroadcastStep::When { draft, target } => match parse_when(text, cx.facts.now_ms) {
            Ok(at) => schedule(cx, draft, target, at),
            Err(key) => {
                let msg = cx.t(key);
                cx.say(msg);
            }
        },
    }
    true
}

/// A photo or a file while composing: the attachment, with its caption as the text.
pub(super) fn on_media(cx: &mut Ctx) -> bool {
    if !matches!(cx.conv.step, Step::Broadcast(BroadcastStep::Compose)) || !is_officer(cx.facts) {
        return false;
    }
    let (kind, file_id, caption) = match &cx.ev.payload {
        Payload::Photo { file_id, caption } => (MediaKind::Photo, file_id, caption.clone()),
        Payload::Document { file_id, .. } => (MediaKind::Document, file_id, None),
        _ => return false,
    };
    if file_id.is_empty() || file_id.len() > 512 {
        let msg = cx.t("unsupported-message");
        cx.say(msg);
        return true;
    }
    let text = caption.unwrap_or_default();
    if text.chars().count() > 1000 {
        let msg = tr!(
            cx.i18n,
            cx.lang,
            "bc-too-long",
            max = 1000,
            count = text.chars().count() as i64
        );
        cx.say(msg);
        return true;
    }
    let draft = BroadcastDraft {
        text,
        media: Some(BroadcastMedia {
            kind,
            file_id: file_id.clone(),
        }),
        ack: false,
        ack_remind_days: 0,
    };
    ask_target(cx, draft);
    true
}

pub(super) fn on_choice(cx: &mut Ctx, step: &Step, data: &str) -> bool {
    if !data.starts_with("bc:") {
        return false;
    }
    if !is_officer(cx.facts) {
        let msg = cx.t("officer-only");
        cx.say(msg);
        return true;
    }
    let Ok(action) = data.parse::<BroadcastAction>() else {
        return stale(cx, step);
    };
    if let BroadcastAction::Stop(id) = action {
        match cx
            .facts
            .active_broadcasts
            .iter()
            .find(|b| b.id == id)
            .cloned()
        {
            Some(b) => {
                cx.effects
                    .push(Effect::Broadcast(BroadcastEffect::Cancel { id: b.id }));
                let msg = cx.t("bc-cancelled");
                cx.say(msg);
            }
            None => {
                let msg = cx.t("bc-nothing-to-cancel");
                cx.say(msg);
            }
        }
        cx.conv.step = step.clone();
        return true;
    }
    match (step, action) {
        (
            Step::Broadcast(BroadcastStep::Target { draft }),
            BroadcastAction::To(BroadcastTo::Pick),
        ) => {
            if cx.facts.children.len() < 2 {
                return stale(cx, step);
            }
            show_pick(cx, draft.clone(), vec![]);
        }
        (Step::Broadcast(BroadcastStep::Pick { draft, chosen }), BroadcastAction::PickDone) => {
            match picked_target(cx, chosen) {
                Some(target) if target.count > 0 => show_preview(cx, draft.clone(), target),
                Some(_) => {
                    let msg = cx.t("bc-nobody");
                    cx.say(msg);
                    show_pick(cx, draft.clone(), chosen.clone());
                }
                None => {
                    let msg = cx.t("bc-pick-none");
                    cx.say(msg);
                    show_pick(cx, draft.clone(), chosen.clone());
                }
            }
        }
        (Step::Broadcast(BroadcastStep::Pick { draft, .. }), BroadcastAction::PickBack) => {
            ask_target(cx, draft.clone());
        }
        (Step::Broadcast(BroadcastStep::Pick { draft, chosen }), BroadcastAction::PickUnit(id)) => {
            // Only the units shown can be chosen: anything else is forged or stale.
            if !pickable(cx).iter().any(|(u, _, _)| *u == id) {
                return stale(cx, step);
            }
            let mut chosen = chosen.clone();
            toggle(&mut chosen, id);
            show_pick(cx, draft.clone(), chosen);
        }
        (Step::Broadcast(BroadcastStep::Target { draft }), BroadcastAction::To(to)) => {
            let Some(target) = resolve_target(cx, to) else {
                return stale(cx, step);
            };
            if target.count == 0 {
                let msg = cx.t("bc-nobody");
                cx.say(msg);
                ask_target(cx, draft.clone());
                return true;
            }
            show_preview(cx, draft.clone(), target);
        }
        (Step::Broadcast(BroadcastStep::Confirm { draft, target }), BroadcastAction::Send) => {
            cx.conv.step = Step::Idle;
            cx.effects.push(Effect::Broadcast(BroadcastEffect::Create {
                draft: draft.clone(),
                target: target.clone(),
                send_at: None,
            }));
            let mut msg = tr!(cx.i18n, cx.lang, "bc-started", count = target.count);
            if draft.ack {
                msg.push('\n');
                msg.push_str(&cx.t("ack-asked"));
            }
            cx.say(msg);
        }
        (Step::Broadcast(BroadcastStep::Confirm { draft, target }), BroadcastAction::Ack) => {
            let mut draft = draft.clone();
            draft.ack = !draft.ack;
            draft.ack_remind_days = 0;
            show_preview(cx, draft, target.clone());
        }
        (Step::Broadcast(BroadcastStep::Confirm { draft, target }), BroadcastAction::AckRemind)
            if draft.ack =>
        {
            let mut draft = draft.clone();
            draft.ack_remind_days = super::acknowledgements::next_remind(draft.ack_remind_days);
            show_preview(cx, draft, target.clone());
        }
        (Step::Broadcast(BroadcastStep::Confirm { draft, target }), BroadcastAction::Later) => {
            cx.conv.step = Step::Broadcast(BroadcastStep::When {
                draft: draft.clone(),
                target: target.clone(),
            });
            let msg = cx.t("bc-ask-when");
            cx.say(msg);
        }
        (Step::Broadcast(BroadcastStep::Confirm { .. }), BroadcastAction::Cancel) => {
            cx.conv.step = Step::Idle;
            let msg = cx.t("bc-discarded");
            cx.say(msg);
        }
        _ => return stale(cx, step),
    }
    true
}

fn resolve_target(cx: &Ctx, to: BroadcastTo) -> Option<BroadcastTarget> {
    audience::resolve_target(cx, to, true, |to| BroadcastAction::To(to).to_string())
}

fn schedule(cx: &mut Ctx, draft: BroadcastDraft, target: BroadcastTarget, at: i64) {
    cx.conv.step = Step::Idle;
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "bc-scheduled",
        at = format_date_time(at),
        count = target.count
    );
    cx.effects.push(Effect::Broadcast(BroadcastEffect::Create {
        draft,
        target,
        send_at: Some(at),
    }));
    cx.say(msg);
}

/// Broadcasts as one flow of the registry.
pub(super) struct Broadcasts;

impl Flow for Broadcasts {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[CommandSpec::new(
            "guitin",
            Audience::Officers,
            Listed::Officers,
        )];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(step, Step::Broadcast(_))
    }

    fn needs(&self, ev: &InboundEvent, step: &Step, n: &mut Needs) {
        needs(ev, step, n);
    }

    fn on_command(&self, cx: &mut Ctx, _cmd: &str, arg: &str) {
        command(cx, arg);
    }

    fn on_text(&self, cx: &mut Ctx, text: &str) -> bool {
        on_text(cx, text)
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        on_choice(cx, step, data)
    }

    fn on_media(&self, cx: &mut Ctx) -> bool {
        on_media(cx)
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        reprompt(cx, step);
    }
}

/// "19/8 7:00", "19/8/2026 07h30", "7h 20/11": a local date and time in the future
/// (within 90 days). A date without a year is the next such date.
pub fn parse_when(text: &str, now_ms: i64) -> Result<i64, &'static str> {
    let folded = fold(text).replace(['h', 'g'], ":");
    let mut date = None;
    let mut time = None;
    for part in folded.split_whitespace() {
        if part.contains('/') || part.contains('-') {
            let nums: Vec<u32> = part
                .split(['/', '-'])
                .map(|p| p.parse().ok())
                .collect::<Option<Vec<_>>>()
                .ok_or("bc-when-invalid")?;
            date = Some(match nums.as_slice() {
                [d, m] => (*d, *m, None),
                [d, m, y] => (
                    *d,
                    *m,
                    Some(i32::try_from(*y).map_err(|_| "bc-when-invalid")?),
                ),
                _ => return Err("bc-when-invalid"),
            });
        } else if part.contains(':') || part.chars().all(|c| c.is_ascii_digit()) {
            let mut it = part.split(':');
            let h: u32 = it
                .next()
                .unwrap_or("")
                .parse()
                .map_err(|_| "bc-when-invalid")?;
            let m: u32 = match it.next() {
                Some("") | None => 0,
                Some(m) => m.parse().map_err(|_| "bc-when-invalid")?,
            };
            time = Some(NaiveTime::from_hms_opt(h, m, 0).ok_or("bc-when-invalid")?);
        }
    }
    let (Some((d, m, y)), Some(time)) = (date, time) else {
        return Err("bc-when-invalid");
    };
    let today = local_date(now_ms);
    let resolve = |year: i32| NaiveDate::from_ymd_opt(year, m, d);
    let day = match y {
        Some(y) => resolve(if y < 100 { 2000 + y } else { y }).ok_or("bc-when-invalid")?,
        None => {
            let this_year = resolve(today.year()).ok_or("bc-when-invalid")?;
            if this_year < today {
                resolve(today.year() + 1).ok_or("bc-when-invalid")?
            } else {
                this_year
            }
        }
    };
    let at = local_time_ms(day, time.hour()).ok_or("bc-when-invalid")?
        + i64::from(time.minute()) * 60_000;
    if at <= now_ms + 60_000 {
        return Err("bc-when-past");
    }
    if at > now_ms + MAX_SCHEDULE_DAYS * 24 * 3_600_000 {
        return Err("bc-when-too-far");
    }
    Ok(at)
}

/// The option a typed reply names: its number, or its label.
fn typed(options: &[(String, String)], text: &str) -> Option<String> {
    if let Some(i) = text
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
    {
        return options.get(i).map(|(d, _)| d.clone());
    }
    let folded = fold(text);
    options
        .iter()
        .find(|(_, label)| fold(label) == folded)
        .map(|(d, _)| d.clone())
}

fn reask(cx: &mut Ctx) {
    let msg = cx.t("choose-an-option");
    cx.say(msg);
    let step = cx.conv.step.clone();
    reprompt(cx, &step);
}

fn stale(cx: &mut Ctx, step: &Step) -> bool {
    cx.conv.step = step.clone();
    let msg = cx.t("stale-button");
    cx.say(msg);
    true
}

pub(super) fn reprompt(cx: &mut Ctx, step: &Step) {
    let Step::Broadcast(s) = step else {
        return;
    };
    match s.clone() {
        BroadcastStep::Compose => {
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "bc-ask-text",
                max = MAX_BROADCAST_CHARS as i64
            );
            cx.say(msg);
        }
        BroadcastStep::Target { draft } => ask_target(cx, draft),
        BroadcastStep::Pick { draft, chosen } => show_pick(cx, draft, chosen),
        BroadcastStep::Confirm { draft, target } => show_preview(cx, draft, target),
        BroadcastStep::When { .. } => {
            let msg = cx.t("bc-ask-when");
            cx.say(msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_times_the_vietnamese_way() {
        // 24/11/2026 10:00 in Hanoi.
        let now = local_time_ms(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(), 10).unwrap();
        let at = |s: &str| parse_when(s, now);
        let expect = |d: u32, m: u32, y: i32, h: u32, min: i64| {
            local_time_ms(NaiveDate::from_ymd_opt(y, m, d).unwrap(), h).unwrap() + min * 60_000
        };
        assert_eq!(at("25/11 7:00"), Ok(expect(25, 11, 2026, 7, 0)));
        assert_eq!(at("25/11/2026 07h30"), Ok(expect(25, 11, 2026, 7, 30)));
        assert_eq!(at("19g 24/11"), Ok(expect(24, 11, 2026, 19, 0)));
        assert_eq!(at("1/1 8h"), Ok(expect(1, 1, 2027, 8, 0)));
        assert_eq!(at("24/11 9:00"), Err("bc-when-past"));
        assert_eq!(at("1/6/2027 8:00"), Err("bc-when-too-far"));
        for bad in [
            "mai",
            "32/1 8:00",
            "25/11",
            "8:00",
            "25/11 25:00",
            "a/b 8h",
            "",
        ] {
            assert_eq!(at(bad), Err("bc-when-invalid"), "{bad}");
        }
    }
}
