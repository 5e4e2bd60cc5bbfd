//! Incident tips in chat: `/baotin` walks a member through category, what, where, when,
//! photos and anonymity; officers get the tip with buttons (acknowledge, escalate,
//! resolve, note) and `/tinbao` lists their open tips; `/theodoi CODE` shows where a
//! tip stands. Every answer works by button and by typing.

use serde::{Deserialize, Serialize};

use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::{Ctx, Effect, Needs, Step, handles_tips, split_command};
use crate::core::actions::{TipAction, TipOfficerAction, TipReportAction, TipWhen};
use crate::core::domain::Lang;
use crate::core::event::{InboundEvent, MediaKind, Outbound, Payload, Reply};
use crate::core::text::{esc, fold, shorten};
use crate::core::time::format_date_time;
use crate::core::tip::{
    Category, MAX_DESCRIPTION_CHARS, MAX_PHOTOS, MAX_SHORT_CHARS, MAX_TIPS_PER_HOUR,
    MIN_DESCRIPTION_CHARS, ReceiptCode, TipDraft, TipStatus, TipView,
};
use crate::i18n::I18n;
use crate::tr;

/// Open tips shown in one `/tinbao` list.
pub const MAX_LISTED: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "tip", rename_all = "snake_case")]
pub enum TipStep {
    Category,
    What {
        category: Category,
    },
    Where {
        draft: TipDraft,
    },
    When {
        draft: TipDraft,
    },
    Photos {
        draft: TipDraft,
    },
    Anonymous {
        draft: TipDraft,
    },
    /// An officer looking at `/tinbao`: a typed number opens that tip.
    List {
        ids: Vec<i64>,
    },
    /// An officer looking at one tip: typed numbers pick these actions.
    Detail {
        tip_id: i64,
        actions: Vec<String>,
    },
    /// An officer typing a note, or the result that closes the tip.
    OfficerNote {
        tip_id: i64,
        resolve: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TipEffect {
    Submit {
        draft: TipDraft,
        anonymous: bool,
        code: ReceiptCode,
    },
    /// An officer opened the tip's detail (audit log).
    Read {
        tip_id: i64,
    },
    Acknowledge {
        tip_id: i64,
    },
    Escalate {
        tip_id: i64,
    },
    Resolve {
        tip_id: i64,
        note: String,
    },
    Note {
        tip_id: i64,
        note: String,
    },
}

/// `tip:<action>:<id>` for the officer buttons.
fn parse_action(data: &str) -> Option<(&'static str, i64)> {
    let TipAction { action, tip_id } = data.parse().ok()?;
    let action = match action {
        TipOfficerAction::Show => "show",
        TipOfficerAction::Acknowledge => "ack",
        TipOfficerAction::Escalate => "esc",
        TipOfficerAction::Resolve => "res",
        TipOfficerAction::Note => "note",
    };
    Some((action, tip_id))
}

/// The data of an officer's button on tip `tip_id`.
fn tip_button(action: TipOfficerAction, tip_id: i64) -> String {
    TipAction { action, tip_id }.to_string()
}

pub(super) fn needs(ev: &InboundEvent, step: &Step, n: &mut Needs) {
    match &ev.payload {
        Payload::Text { text } => {
            let text = text.trim();
            match split_command(text) {
                Some((cmd, _)) if cmd == "baotin" => n.tips_recent = true,
                Some((cmd, arg)) if cmd == "theodoi" => n.tip_code = ReceiptCode::parse(arg).ok(),
                Some((cmd, _)) if cmd == "tinbao" => n.tips_open = true,
                Some(_) => {}
                None => match step {
                    Step::Tip(TipStep::Anonymous { .. }) => n.receipt_code = true,
                    Step::Tip(TipStep::List { ids }) => {
                        n.tip = pick(text, ids.len()).map(|i| ids[i]);
                    }
                    Step::Tip(TipStep::Detail { tip_id, .. })
                    | Step::Tip(TipStep::OfficerNote { tip_id, .. }) => n.tip = Some(*tip_id),
                    _ => {}
                },
            }
        }
        Payload::Button { data, .. } => {
            if let Some((_, id)) = parse_action(data) {
                n.tip = Some(id);
            }
            if matches!(data.parse(), Ok(TipReportAction::Anonymous(_))) {
                n.receipt_code = true;
            }
        }
        _ => {}
    }
}

fn pick(text: &str, len: usize) -> Option<usize> {
    text.trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|&i| i < len)
}

/// `/baotin`: any member may report.
pub(super) fn command_report(cx: &mut Ctx) {
    if cx.facts.tips_recent >= MAX_TIPS_PER_HOUR {
        let msg = tr!(cx.i18n, cx.lang, "tip-too-many", max = MAX_TIPS_PER_HOUR);
        return cx.say(msg);
    }
    ask_category(cx);
}

fn category_options(cx: &Ctx) -> Vec<(String, String)> {
    Category::ALL
        .iter()
        .map(|c| {
            (
                TipReportAction::Category(*c).to_string(),
                cx.t(&c.label_id()),
            )
        })
        .collect()
}

fn ask_category(cx: &mut Ctx) {
    cx.conv.step = Step::Tip(TipStep::Category);
    let text = cx.t("tip-ask-category");
    let options = category_options(cx);
    cx.ask_owned(text, &options);
}

fn ask_what(cx: &mut Ctx, category: Category) {
    cx.conv.step = Step::Tip(TipStep::What { category });
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "tip-ask-what",
        category = cx.t(&category.label_id())
    );
    cx.say(msg);
}

fn ask_where(cx: &mut Ctx, draft: TipDraft) {
    cx.conv.step = Step::Tip(TipStep::Where { draft });
    let text = cx.t("tip-ask-where");
    let options = [(TipReportAction::Skip.to_string(), cx.t("tip-skip"))];
    cx.ask_owned(text, &options);
}

fn ask_when(cx: &mut Ctx, draft: TipDraft) {
    cx.conv.step = Step::Tip(TipStep::When { draft });
    let text = cx.t("tip-ask-when");
    let options = when_options(cx);
    cx.ask_owned(text, &options);
}

fn when_options(cx: &Ctx) -> Vec<(String, String)> {
    vec![
        (
            TipReportAction::When(TipWhen::Now).to_string(),
            cx.t("tip-when-now"),
        ),
        (
            TipReportAction::When(TipWhen::Today).to_string(),
            cx.t("tip-when-today"),
        ),
        (TipReportAction::Skip.to_string(), cx.t("tip-skip")),
    ]
}

fn ask_photos(cx: &mut Ctx, draft: TipDraft) {
    let key = if draft.photos.is_empty() {
        "tip-ask-photos"
    } else {
        "tip-photo-received"
    };
    let text = tr!(
        cx.i18n,
        cx.lang,
        key,
        count = draft.photos.len() as i64,
        max = MAX_PHOTOS as i64
    );
    cx.conv.step = Step::Tip(TipStep::Photos { draft });
    let options = [(
        TipReportAction::PhotosDone.to_string(),
        cx.t("tip-photos-done"),
    )];
    cx.ask_owned(text, &options);
}

fn anonymity_options(cx: &Ctx) -> Vec<(String, String)> {
    vec![
        (
            TipReportAction::Anonymous(true).to_string(),
            cx.t("tip-anon-yes"),
        ),
        (
            TipReportAction::Anonymous(false).to_string(),
            cx.t("tip-anon-no"),
        ),
    ]
}

fn ask_anonymous(cx: &mut Ctx, draft: TipDraft) {
    cx.conv.step = Step::Tip(TipStep::Anonymous { draft });
    let text = cx.t("tip-ask-anonymous");
    let options = anonymity_options(cx);
    cx.ask_owned(text, &options);
}

/// The option a typed reply names: its number, or its label, folded.
fn typed(options: &[(String, String)], text: &str) -> Option<String> {
    if let Some(i) = pick(text, options.len()) {
        return Some(options[i].0.clone());
    }
    let folded = fold(text);
    options
        .iter()
        .find(|(_, label)| fold(label) == folded)
        .map(|(data, _)| data.clone())
}

/// Free text inside a tip step. `false` when the step is not a tip step.
pub(super) fn on_text(cx: &mut Ctx, text: &str) -> bool {
    let Step::Tip(step) = cx.conv.step.clone() else {
        return false;
    };
    match step {
        TipStep::Category => {
            let options = category_options(cx);
            let words: Vec<(String, String)> = Category::ALL
                .iter()
                .map(|c| {
                    (
                        TipReportAction::Category(*c).to_string(),
                        c.as_str().to_string(),
                    )
                })
                .collect();
            match typed(&options, text).or_else(|| typed(&words, text)) {
                Some(data) => {
                    on_choice(cx, &Step::Tip(TipStep::Category), &data);
                }
                None => reask(cx),
            }
        }
        TipStep::What { category } => {
            let n = text.chars().count();
            if n < MIN_DESCRIPTION_CHARS {
                let msg = cx.t("tip-what-too-short");
                return say_true(cx, msg);
            }
            if n > MAX_DESCRIPTION_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "tip-too-long",
                    max = MAX_DESCRIPTION_CHARS as i64
                );
                return say_true(cx, msg);
            }
            let draft = TipDraft {
                category,
                description: text.to_string(),
                location_text: None,
                latitude: None,
                longitude: None,
                happened_text: None,
                photos: vec![],
            };
            ask_where(cx, draft);
        }
        TipStep::Where { mut draft } => {
            // "1" is the numbered "1. Bỏ qua" of the prompt (Zalo has no buttons), not a place.
            if is_skip(text) || pick(text, 1).is_some() {
                return ask_when_true(cx, draft);
            }
            if text.chars().count() > MAX_SHORT_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "tip-too-long",
                    max = MAX_SHORT_CHARS as i64
                );
                return say_true(cx, msg);
            }
            draft.location_text = Some(text.to_string());
            ask_when(cx, draft);
        }
        TipStep::When { mut draft } => {
            let options = when_options(cx);
            if let Some(data) = typed(&options, text) {
                on_choice(cx, &Step::Tip(TipStep::When { draft }), &data);
                return true;
            }
            if is_skip(text) {
                return ask_photos_true(cx, draft);
            }
            if text.chars().count() > MAX_SHORT_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "tip-too-long",
                    max = MAX_SHORT_CHARS as i64
                );
                return say_true(cx, msg);
            }
            draft.happened_text = Some(text.to_string());
            ask_photos(cx, draft);
        }
        TipStep::Photos { draft } => {
            let folded = fold(text);
            if matches!(
                folded.as_str(),
                "1" | "xong" | "done" | "không" | "khong" | "không có" | "khong co" | "0"
            ) || typed(&[("d".to_string(), cx.t("tip-photos-done"))], text).is_some()
            {
                ask_anonymous(cx, draft);
            } else {
                let msg = cx.t("tip-photos-or-done");
                cx.say(msg);
                ask_photos(cx, draft);
            }
        }
        TipStep::Anonymous { draft } => {
            let options = anonymity_options(cx);
            let words = [
                (
                    TipReportAction::Anonymous(true).to_string(),
                    "an danh".to_string(),
                ),
                (
                    TipReportAction::Anonymous(true).to_string(),
                    "ẩn danh".to_string(),
                ),
                (
                    TipReportAction::Anonymous(false).to_string(),
                    "ghi ten".to_string(),
                ),
                (
                    TipReportAction::Anonymous(false).to_string(),
                    "ghi tên".to_string(),
                ),
            ];
            match typed(&options, text).or_else(|| typed(&words, text)) {
                Some(data) => {
                    on_choice(cx, &Step::Tip(TipStep::Anonymous { draft }), &data);
                }
                None => reask(cx),
            }
        }
        TipStep::List { ids } => match pick(text, ids.len()) {
            Some(_) => show_tip(cx),
            None => reask(cx),
        },
        TipStep::Detail { actions, .. } => match pick(text, actions.len()) {
            Some(i) => {
                let data = actions[i].clone();
                on_choice(cx, &Step::Idle, &data);
            }
            None => reask(cx),
        },
        TipStep::OfficerNote { tip_id, resolve } => {
            if text.chars().count() > MAX_DESCRIPTION_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "tip-too-long",
                    max = MAX_DESCRIPTION_CHARS as i64
                );
                return say_true(cx, msg);
            }
            let Some(tip) = actionable(cx, tip_id) else {
                cx.conv.step = Step::Idle;
                return true;
            };
            cx.conv.step = Step::Idle;
            let note = text.to_string();
            let code = tip.code.grouped();
            if resolve {
                cx.effects
                    .push(Effect::Tip(TipEffect::Resolve { tip_id, note }));
                let msg = tr!(cx.i18n, cx.lang, "tip-resolved-ok", code = code);
                cx.say(msg);
            } else {
                cx.effects
                    .push(Effect::Tip(TipEffect::Note { tip_id, note }));
                let msg = tr!(cx.i18n, cx.lang, "tip-note-ok", code = code);
                cx.say(msg);
            }
        }
    }
    true
}

fn say_true(cx: &mut Ctx, msg: String) -> bool {
    cx.say(msg);
    true
}

fn ask_when_true(cx: &mut Ctx, draft: TipDraft) -> bool {
    ask_when(cx, draft);
    true
}

fn ask_photos_true(cx: &mut Ctx, draft: TipDraft) -> bool {
    ask_photos(cx, draft);
    true
}

fn is_skip(text: &str) -> bool {
    matches!(
        fold(text).as_str(),
        "bỏ qua" | "bo qua" | "skip" | "không" | "khong" | "không rõ" | "khong ro"
    )
}

fn reask(cx: &mut Ctx) {
    let msg = cx.t("choose-an-option");
    cx.say(msg);
    let step = cx.conv.step.clone();
    reprompt(cx, &step);
}

/// A photo or a shared location during a report.
pub(super) fn on_media(cx: &mut Ctx) -> bool {
    let Step::Tip(step) = cx.conv.step.clone() else {
        return false;
    };
    match (&cx.ev.payload, step) {
        (
            Payload::Location {
                latitude,
                longitude,
            },
            TipStep::Where { mut draft },
        ) if latitude.is_finite()
            && longitude.is_finite()
            && latitude.abs() <= 90.0
            && longitude.abs() <= 180.0 =>
        {
            draft.latitude = Some(*latitude);
            draft.longitude = Some(*longitude);
            ask_when(cx, draft);
        }
        (Payload::Photo { file_id, caption }, TipStep::Photos { mut draft })
        | (Payload::Photo { file_id, caption }, TipStep::When { mut draft }) => {
            if draft.photos.len() >= MAX_PHOTOS {
                let msg = tr!(cx.i18n, cx.lang, "tip-photos-full", max = MAX_PHOTOS as i64);
                cx.say(msg);
                ask_anonymous(cx, draft);
                return true;
            }
            if file_id.is_empty() || file_id.len() > 512 {
                let msg = cx.t("unsupported-message");
                return say_true(cx, msg);
            }
            draft.photos.push(file_id.clone());
            if let Some(c) = caption.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                let extra = shorten(c, MAX_SHORT_CHARS);
                if draft.description.chars().count() + extra.chars().count() < MAX_DESCRIPTION_CHARS
                {
                    draft.description = format!("{}\n{extra}", draft.description);
                }
            }
            ask_photos(cx, draft);
        }
        (Payload::Photo { .. }, TipStep::Where { draft }) => {
            // A photo where a place was asked: keep it, ask the place again.
            let mut draft = draft;
            if let Payload::Photo { file_id, .. } = &cx.ev.payload
                && draft.photos.len() < MAX_PHOTOS
                && !file_id.is_empty()
                && file_id.len() <= 512
            {
                draft.photos.push(file_id.clone());
            }
            let msg = cx.t("tip-photo-kept-where");
            cx.say(msg);
            ask_where(cx, draft);
        }
        _ => {
            let msg = cx.t("choose-an-option");
            cx.say(msg);
            let step = cx.conv.step.clone();
            reprompt(cx, &step);
        }
    }
    true
}

/// Buttons (and typed options mapped to them). `false` when `data` is not ours.
pub(super) fn on_choice(cx: &mut Ctx, step: &Step, data: &str) -> bool {
    match data.parse::<TipReportAction>() {
        Ok(TipReportAction::Category(category)) => {
            let Step::Tip(TipStep::Category) = step else {
                return stale(cx, step);
            };
            ask_what(cx, category);
            return true;
        }
        Ok(TipReportAction::Skip) => {
            match step {
                Step::Tip(TipStep::Where { draft }) => ask_when(cx, draft.clone()),
                Step::Tip(TipStep::When { draft }) => ask_photos(cx, draft.clone()),
                _ => return stale(cx, step),
            }
            return true;
        }
        Ok(TipReportAction::When(when)) => {
            let Step::Tip(TipStep::When { draft }) = step else {
                return stale(cx, step);
            };
            let key = match when {
                TipWhen::Now => "tip-when-now",
                TipWhen::Today => "tip-when-today",
            };
            let mut draft = draft.clone();
            draft.happened_text = Some(cx.t(key));
            ask_photos(cx, draft);
            return true;
        }
        Ok(TipReportAction::PhotosDone) => {
            let Step::Tip(TipStep::Photos { draft }) = step else {
                return stale(cx, step);
            };
            ask_anonymous(cx, draft.clone());
            return true;
        }
        Ok(TipReportAction::Anonymous(anonymous)) => {
            let (Step::Tip(TipStep::Anonymous { draft }), Some(code)) =
                (step, cx.facts.new_receipt_code.clone())
            else {
                return stale(cx, step);
            };
            submit(cx, draft.clone(), anonymous, code);
            return true;
        }
        Err(_) => {}
    }
    let Some((action, tip_id)) = parse_action(data) else {
        return false;
    };
    match action {
        "show" => show_tip(cx),
        "ack" | "esc" => {
            let Some(tip) = actionable(cx, tip_id) else {
                return true;
            };
            let code = tip.code.grouped();
            if tip.status == TipStatus::Resolved {
                let msg = tr!(cx.i18n, cx.lang, "tip-already-resolved", code = code);
                cx.say(msg);
            } else if action == "ack" {
                if tip.status == TipStatus::Acknowledged {
                    let msg = tr!(cx.i18n, cx.lang, "tip-already-acknowledged", code = code);
                    cx.say(msg);
                } else {
                    cx.effects
                        .push(Effect::Tip(TipEffect::Acknowledge { tip_id }));
                    let msg = tr!(cx.i18n, cx.lang, "tip-acknowledged-ok", code = code);
                    cx.say(msg);
                }
            } else if !tip.can_escalate {
                let msg = cx.t("tip-no-higher-level");
                cx.say(msg);
            } else {
                cx.effects.push(Effect::Tip(TipEffect::Escalate { tip_id }));
                let msg = tr!(cx.i18n, cx.lang, "tip-escalated-ok", code = code);
                cx.say(msg);
            }
        }
        _ => {
            let resolve = action == "res";
            let Some(tip) = actionable(cx, tip_id) else {
                return true;
            };
            if resolve && tip.status == TipStatus::Resolved {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "tip-already-resolved",
                    code = tip.code.grouped()
                );
                cx.say(msg);
                return true;
            }
            cx.conv.step = Step::Tip(TipStep::OfficerNote { tip_id, resolve });
            let key = if resolve {
                "tip-ask-resolution"
            } else {
                "tip-ask-note"
            };
            let msg = tr!(cx.i18n, cx.lang, key, code = tip.code.grouped());
            cx.say(msg);
        }
    }
    true
}

fn stale(cx: &mut Ctx, step: &Step) -> bool {
    cx.conv.step = step.clone();
    let msg = cx.t("stale-button");
    cx.say(msg);
    true
}

/// The tip an officer may act on: loaded only when it lies in their subtree.
fn actionable(cx: &mut Ctx, tip_id: i64) -> Option<TipView> {
    match cx.facts.tip.clone() {
        Some(t) if t.id == tip_id && t.in_scope && handles_tips(cx.facts) => Some(t),
        _ => {
            let msg = cx.t("tip-not-found");
            cx.say(msg);
            None
        }
    }
}

fn submit(cx: &mut Ctx, draft: TipDraft, anonymous: bool, code: ReceiptCode) {
    cx.conv.step = Step::Idle;
    let key = if anonymous {
        "tip-sent-anonymous"
    } else {
        "tip-sent-named"
    };
    let msg = tr!(cx.i18n, cx.lang, key, code = code.grouped());
    cx.effects.push(Effect::Tip(TipEffect::Submit {
        draft,
        anonymous,
        code,
    }));
    cx.say(msg);
}

/// One tip in full, for an officer in scope (with the action buttons) or for its
/// reporter (status and history only).
fn show_tip(cx: &mut Ctx) {
    let Some(tip) = cx.facts.tip.clone() else {
        let msg = cx.t("tip-not-found");
        return cx.say(msg);
    };
    if tip.in_scope && handles_tips(cx.facts) {
        cx.effects
            .push(Effect::Tip(TipEffect::Read { tip_id: tip.id }));
        let mut text = render_tip(cx.i18n, cx.lang, &tip);
        text.push_str("\n\n");
        text.push_str(&render_history(cx.i18n, cx.lang, &tip, false));
        send_photos(cx, &tip);
        let mut actions = vec![];
        if tip.status == TipStatus::New {
            actions.push((
                tip_button(TipOfficerAction::Acknowledge, tip.id),
                cx.t("tip-btn-ack"),
            ));
        }
        if tip.status != TipStatus::Resolved {
            if tip.can_escalate {
                actions.push((
                    tip_button(TipOfficerAction::Escalate, tip.id),
                    cx.t("tip-btn-escalate"),
                ));
            }
            actions.push((
                tip_button(TipOfficerAction::Resolve, tip.id),
                cx.t("tip-btn-resolve"),
            ));
        }
        actions.push((
            tip_button(TipOfficerAction::Note, tip.id),
            cx.t("tip-btn-note"),
        ));
        cx.conv.step = Step::Tip(TipStep::Detail {
            tip_id: tip.id,
            actions: actions.iter().map(|(d, _)| d.clone()).collect(),
        });
        cx.ask_owned(text, &actions);
    } else if tip.mine {
        let text = render_for_reporter(cx.i18n, cx.lang, &tip);
        cx.say(text);
    } else {
        let msg = cx.t("tip-not-found");
        cx.say(msg);
    }
}

fn send_photos(cx: &mut Ctx, tip: &TipView) {
    let channel = cx.ev.channel.as_str();
    for (ch, file_id) in &tip.photos {
        if crate::core::tip::photo_reaches(ch, channel, file_id) {
            cx.replies.push(Reply {
                chat_id: cx.ev.chat_id.clone(),
                body: Outbound::Media {
                    kind: MediaKind::Photo,
                    file_id: file_id.clone(),
                    caption: tr!(
                        cx.i18n,
                        cx.lang,
                        "tip-photo-caption",
                        code = tip.code.grouped()
                    ),
                    buttons: vec![],
                },
            });
        }
    }
}

/// `/theodoi CODE`.
pub(super) fn follow(cx: &mut Ctx, arg: &str) {
    if arg.trim().is_empty() {
        let msg = cx.t("tip-follow-usage");
        return cx.say(msg);
    }
    if ReceiptCode::parse(arg).is_err() {
        let msg = cx.t("tip-code-invalid");
        return cx.say(msg);
    }
    show_tip(cx);
}

/// `/tinbao`: the officer's open tips, oldest first.
pub(super) fn inbox(cx: &mut Ctx) {
    let tips = cx.facts.open_tips.clone();
    if tips.is_empty() {
        let msg = cx.t("tip-inbox-empty");
        return cx.say(msg);
    }
    let mut lines = vec![tr!(
        cx.i18n,
        cx.lang,
        "tip-inbox-title",
        count = tips.len() as i64
    )];
    let mut options = vec![];
    for t in tips.iter().take(MAX_LISTED) {
        let overdue = if t.overdue {
            format!(" {}", cx.t("tip-overdue-mark"))
        } else {
            String::new()
        };
        let label = tr!(
            cx.i18n,
            cx.lang,
            "tip-inbox-line",
            code = t.code.grouped(),
            category = cx.t(&t.category.label_id()),
            status = cx.t(t.status.label_id()),
            unit = esc(&t.unit_name),
            at = format_date_time(t.created_at)
        );
        lines.push(String::new());
        lines.push(format!("{}{overdue}", label));
        options.push((tip_button(TipOfficerAction::Show, t.id), t.code.grouped()));
    }
    cx.conv.step = Step::Tip(TipStep::List {
        ids: tips.iter().take(MAX_LISTED).map(|t| t.id).collect(),
    });
    cx.ask_owned(lines.join("\n"), &options);
}

pub(super) fn reprompt(cx: &mut Ctx, step: &Step) {
    let Step::Tip(t) = step else {
        return;
    };
    match t.clone() {
        TipStep::Category => ask_category(cx),
        TipStep::What { category } => ask_what(cx, category),
        TipStep::Where { draft } => ask_where(cx, draft),
        TipStep::When { draft } => ask_when(cx, draft),
        TipStep::Photos { draft } => ask_photos(cx, draft),
        TipStep::Anonymous { draft } => ask_anonymous(cx, draft),
        TipStep::List { .. } | TipStep::Detail { .. } => {
            let msg = cx.t("tip-pick-number");
            cx.say(msg);
        }
        TipStep::OfficerNote { .. } => {}
    }
}

/// Incident tips as one flow of the registry.
pub(super) struct Tips;

impl Flow for Tips {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[
            CommandSpec::new("baotin", Audience::Members, Listed::Members).in_menu(),
            CommandSpec::new("theodoi", Audience::Members, Listed::Members).in_menu(),
            CommandSpec::new("tinbao", Audience::Officers, Listed::Officers),
        ];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(step, Step::Tip(_))
    }

    fn needs(&self, ev: &InboundEvent, step: &Step, n: &mut Needs) {
        needs(ev, step, n);
    }

    fn on_command(&self, cx: &mut Ctx, cmd: &str, arg: &str) {
        match cmd {
            "baotin" => command_report(cx),
            "theodoi" => follow(cx, arg),
            _ => inbox(cx),
        }
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

/// A tip as officers see it. Never the reporter's account: a name only when they
/// chose to be named.
pub fn render_tip(i18n: &I18n, lang: Lang, tip: &TipView) -> String {
    let mut lines = vec![tr!(
        i18n,
        lang,
        "tip-card-title",
        code = tip.code.grouped(),
        category = i18n.s(lang, &tip.category.label_id())
    )];
    let status = i18n.s(lang, tip.status.label_id());
    lines.push(tr!(i18n, lang, "tip-card-status", status = status));
    if let (TipStatus::New, Some(at)) = (tip.status, tip.escalate_at) {
        lines.push(tr!(
            i18n,
            lang,
            "tip-card-deadline",
            at = format_date_time(at)
        ));
    }
    lines.push(tr!(
        i18n,
        lang,
        "tip-card-what",
        text = esc(&tip.description)
    ));
    if let Some(place) = &tip.location_text {
        lines.push(tr!(i18n, lang, "tip-card-where", place = esc(place)));
    }
    if let (Some(lat), Some(lon)) = (tip.latitude, tip.longitude) {
        lines.push(tr!(
            i18n,
            lang,
            "tip-card-map",
            link = format!("https://maps.google.com/?q={lat:.5},{lon:.5}")
        ));
    }
    if let Some(when) = &tip.happened_text {
        lines.push(tr!(i18n, lang, "tip-card-when", when = esc(when)));
    }
    lines.push(tr!(
        i18n,
        lang,
        "tip-card-from",
        unit = esc(&tip.unit_name),
        at = format_date_time(tip.created_at)
    ));
    let reporter = match (&tip.reporter_name, tip.anonymous) {
        (Some(name), false) => esc(name),
        _ => i18n.s(lang, "tip-card-anonymous"),
    };
    lines.push(tr!(i18n, lang, "tip-card-reporter", name = reporter));
    if !tip.photos.is_empty() {
        lines.push(tr!(
            i18n,
            lang,
            "tip-card-photos",
            count = tip.photos.len() as i64
        ));
    }
    if let Some(note) = &tip.resolution_note {
        lines.push(tr!(i18n, lang, "tip-card-result", note = esc(note)));
    }
    lines.join("\n")
}

/// The tip's history; officers' internal notes are not for the reporter.
fn render_history(i18n: &I18n, lang: Lang, tip: &TipView, for_reporter: bool) -> String {
    let mut lines = vec![i18n.s(lang, "tip-history-title")];
    for e in &tip.events {
        if for_reporter && e.kind == "note" {
            continue;
        }
        let what = i18n.s(lang, &format!("tip-event-{}", e.kind));
        let mut line = format!("• {} — {what}", format_date_time(e.at));
        if let Some(u) = &e.unit_name {
            line.push_str(&format!(" ({})", esc(u)));
        }
        if let Some(n) = &e.note {
            line.push_str(&format!(": {}", esc(n)));
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// What the reporter sees of their own tip: status and history, no officer names.
fn render_for_reporter(i18n: &I18n, lang: Lang, tip: &TipView) -> String {
    let mut lines = vec![tr!(
        i18n,
        lang,
        "tip-card-title",
        code = tip.code.grouped(),
        category = i18n.s(lang, &tip.category.label_id())
    )];
    lines.push(tr!(
        i18n,
        lang,
        "tip-card-status",
        status = i18n.s(lang, tip.status.label_id())
    ));
    lines.push(tr!(
        i18n,
        lang,
        "tip-card-handler",
        unit = esc(&tip.handling_unit_name)
    ));
    if let Some(note) = &tip.resolution_note {
        lines.push(tr!(i18n, lang, "tip-card-result", note = esc(note)));
    }
    lines.push(String::new());
    lines.push(render_history(i18n, lang, tip, true));
    lines.join("\n")
}
