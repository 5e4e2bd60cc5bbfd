//! Commitments signed by chat ("ký cam kết thi đua"): an officer opens a campaign for
//! their subtree with an immutable, numbered text; members in scope sign the exact
//! version they were shown (button, or typed "1" / "tôi cam kết"); `/tonghop` shows the
//! progress rolled up the tree.

use chrono::{Datelike, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::{Ctx, Effect, Needs, PendingPrompt, PromptFlow, Step, is_officer, split_command};
use crate::core::actions::{CommitmentAction, RemindChoice};
use crate::core::calendar::{local_date, local_time_ms};
use crate::core::event::{InboundEvent, Payload};
use crate::core::text::{esc, fold};
use crate::core::time::{format_date, format_date_time};
use crate::tr;

/// The longest commitment text (one Zalo message with room for the frame).
pub const COMMITMENT_MAX_CHARS: usize = 1500;
/// Reminders go out between these local hours only (never at night).
pub const REMIND_FROM_HOUR: u32 = 8;
pub const REMIND_UNTIL_HOUR: u32 = 20;
/// Names of people who have not signed shown in one report.
const MAX_NAMES: usize = 30;
const MAX_MANAGED: usize = 5;
const SIGN_WORDS: &[&str] = &[
    "1",
    "tôi cam kết",
    "toi cam ket",
    "cam kết",
    "cam ket",
    "ký",
    "ky",
    "i commit",
    "sign",
];

/// Where a commitment conversation stands. Stored under the step names used before
/// commitments had a step type of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step")]
pub enum CommitStep {
    /// A member shown a commitment with its sign option.
    #[serde(rename = "commit_sign")]
    Sign { campaign_id: i64, version: i64 },
    /// An officer's commitment menu (new, edit, close).
    #[serde(rename = "commit_menu")]
    Menu,
    /// An officer typing the text of a new commitment.
    #[serde(rename = "commit_text")]
    Text,
    #[serde(rename = "commit_who")]
    Who { text: String },
    #[serde(rename = "commit_deadline")]
    Deadline { text: String, signers: Signers },
    #[serde(rename = "commit_remind")]
    Remind {
        text: String,
        signers: Signers,
        deadline_at: i64,
    },
    #[serde(rename = "commit_confirm")]
    Confirm { draft: CommitDraft },
    /// An officer typing a new version of a commitment's text.
    #[serde(rename = "commit_edit_text")]
    EditText { campaign_id: i64 },
    #[serde(rename = "commit_edit_confirm")]
    EditConfirm { campaign_id: i64, text: String },
}

/// What a commitment conversation changes, applied by the processor and checked again
/// in SQL against the member's scope.
#[derive(Debug, Clone, PartialEq)]
pub enum CommitmentEffect {
    /// A campaign for the officer's subtree (version 1, sent to everyone in scope).
    Create {
        draft: CommitDraft,
    },
    /// A new version of the text: everyone in scope must sign again.
    Revise {
        campaign_id: i64,
        text: String,
    },
    Close {
        campaign_id: i64,
    },
    Sign {
        member_id: i64,
        campaign_id: i64,
        version: i64,
        text_hash: String,
    },
}

/// Who must sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signers {
    Member,
    Leader,
    Everyone,
}

impl Signers {
    pub fn as_str(self) -> &'static str {
        match self {
            Signers::Member => "member",
            Signers::Leader => "leader",
            Signers::Everyone => "everyone",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "member" => Some(Signers::Member),
            "leader" => Some(Signers::Leader),
            "everyone" => Some(Signers::Everyone),
            _ => None,
        }
    }
}

/// A commitment campaign being prepared by an officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitDraft {
    pub text: String,
    pub signers: Signers,
    pub deadline_at: i64,
    /// ISO weekdays (Mon = 1) for weekly reminders.
    #[serde(default)]
    pub remind_weekdays: Vec<u32>,
    /// Every N days (0 = not used).
    #[serde(default)]
    pub remind_every_days: u32,
    pub remind_hour: u32,
}

/// A campaign as one member (or its officer) sees it, with the current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentView {
    pub id: i64,
    pub title: String,
    pub version: i64,
    pub text: String,
    pub text_hash: String,
    pub deadline_at: i64,
    pub unit_name: String,
    /// The newest version this member signed, and when.
    pub signed_version: Option<i64>,
    pub signed_at: Option<i64>,
}

impl CommitmentView {
    pub fn signed_current(&self) -> bool {
        self.signed_version == Some(self.version)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupRow {
    pub unit_id: i64,
    pub name: String,
    pub signed: i64,
    pub scope: i64,
}

/// Progress of one campaign for an officer: their unit first, then each direct child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollup {
    pub id: i64,
    pub title: String,
    pub version: i64,
    pub deadline_at: i64,
    pub rows: Vec<RollupRow>,
    /// Direct members of the officer's unit who have not signed (first names only).
    pub unsigned: Vec<String>,
    pub unsigned_total: i64,
}

/// sha256 (hex) of the exact text members are shown.
pub fn text_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first line of the text, short: a campaign's title in lists and reminders.
pub fn title_of(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    let line = line.unwrap_or("");
    let mut title: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        title.push('…');
    }
    title
}

/// The reminder schedule of one open campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSchedule {
    pub weekdays: Vec<u32>,
    pub every_days: u32,
    pub hour: u32,
    pub created_at: i64,
    pub deadline_at: i64,
}

/// The local date of the reminder due at `now_ms`, if one is: on a scheduled day (never
/// the day the campaign opened), from the chosen hour to 20:00 Asia/Ho_Chi_Minh, before
/// the deadline. The caller sends at most one per (campaign, date).
pub fn reminder_due(s: &ReminderSchedule, now_ms: i64) -> Option<NaiveDate> {
    if now_ms >= s.deadline_at {
        return None;
    }
    let local = Utc
        .timestamp_millis_opt(now_ms)
        .single()?
        .with_timezone(&Ho_Chi_Minh);
    let start = s.hour.clamp(REMIND_FROM_HOUR, REMIND_UNTIL_HOUR - 1);
    if local.hour() < start || local.hour() >= REMIND_UNTIL_HOUR {
        return None;
    }
    let date = local.date_naive();
    let days = (date - local_date(s.created_at)).num_days();
    if days <= 0 {
        return None;
    }
    let due = if s.every_days > 0 {
        days % i64::from(s.every_days) == 0
    } else {
        s.weekdays.contains(&date.weekday().number_from_monday())
    };
    due.then_some(date)
}

/// A campaign's draft from the officer's choices (the chat's last question, or the
/// console's form): reminders at 8:00 on the chosen schedule.
pub fn draft_of(
    text: String,
    signers: Signers,
    deadline_at: i64,
    remind: RemindChoice,
) -> CommitDraft {
    let (remind_weekdays, remind_every_days) = match remind {
        RemindChoice::Daily => (vec![], 1),
        RemindChoice::EveryThreeDays => (vec![], 3),
        RemindChoice::Mondays => (vec![1], 0),
        RemindChoice::Never => (vec![], 0),
    };
    CommitDraft {
        text,
        signers,
        deadline_at,
        remind_weekdays,
        remind_every_days,
        remind_hour: REMIND_FROM_HOUR,
    }
}

/// Parse "30/11/2026" (also with - or .) into the end of that local day.
pub fn parse_deadline(text: &str) -> Option<i64> {
    let parts: Vec<u32> = text
        .trim()
        .split(['/', '-', '.'])
        .map(|p| p.trim().parse().ok())
        .collect::<Option<Vec<_>>>()?;
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(*y).ok()?, *m, *d)?;
    local_time_ms(date.succ_opt()?, 0).map(|ms| ms - 1)
}

/// What the processor must look up for this module.
pub(super) fn needs(ev: &InboundEvent, conv_step: &Step, n: &mut Needs) {
    match &ev.payload {
        Payload::Text { text } => {
            let text = text.trim();
            match split_command(text) {
                Some((cmd, _)) if cmd == "camket" => n.commitments = true,
                Some((cmd, _)) if cmd == "tonghop" => n.rollup = true,
                Some(_) => {}
                None => match conv_step {
                    Step::Commit(CommitStep::Sign { campaign_id, .. }) => {
                        n.commitment = Some(*campaign_id);
                        n.commitments = true;
                    }
                    Step::Commit(CommitStep::Menu) | Step::Commit(CommitStep::EditText { .. }) => {
                        n.commitments = true
                    }
                    Step::Idle if SIGN_WORDS.contains(&fold(text).as_str()) => n.commitments = true,
                    _ => {}
                },
            }
        }
        Payload::Button { data, .. } if data.starts_with("cm:") => {
            n.commitments = true;
            n.commitment = parse_sign(data).map(|(c, _)| c);
        }
        _ => {}
    }
}

fn parse_sign(data: &str) -> Option<(i64, i64)> {
    match data.parse::<CommitmentAction>() {
        Ok(CommitmentAction::Sign {
            campaign_id,
            version,
        }) => Some((campaign_id, version)),
        _ => None,
    }
}

fn pick(text: &str, len: usize) -> Option<usize> {
    text.trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|&i| i < len)
}

/// `/camket [moi|sua|dong]`.
pub(super) fn command(cx: &mut Ctx, arg: &str) {
    let arg = fold(arg);
    let officer = is_officer(cx.facts);
    match arg.as_str() {
        "moi" | "mới" | "new" if officer => start_new(cx),
        "sua" | "sửa" | "edit" | "dong" | "đóng" | "close" if officer => menu(cx),
        "" => {
            if !show_pending(cx) {
                if officer {
                    menu(cx);
                } else {
                    list_signed(cx);
                }
            } else if officer {
                let msg = cx.t("cm-officer-hint");
                cx.say(msg);
            }
        }
        _ if !officer && !arg.is_empty() => {
            let msg = cx.t("officer-only");
            cx.say(msg);
        }
        _ => {
            let msg = cx.t("cm-usage");
            cx.say(msg);
        }
    }
}

/// The first commitment this person still has to sign, in full, with the sign button
/// (and the titles of the others). `false` when there is none.
fn show_pending(cx: &mut Ctx) -> bool {
    let pending: Vec<_> = cx
        .facts
        .commitments
        .iter()
        .filter(|c| !c.signed_current())
        .cloned()
        .collect();
    let Some(first) = pending.first().cloned() else {
        return false;
    };
    ask_sign(cx, &first, pending.len() as i64 - 1);
    true
}

fn ask_sign(cx: &mut Ctx, c: &CommitmentView, others: i64) {
    let key = if c.signed_version.is_some() {
        "cm-sign-again"
    } else {
        "cm-sign-ask"
    };
    let mut text = tr!(
        cx.i18n,
        cx.lang,
        key,
        unit = esc(&c.unit_name),
        version = c.version,
        deadline = format_date(c.deadline_at),
        text = esc(&c.text)
    );
    if others > 0 {
        text.push_str("\n\n");
        text.push_str(&tr!(cx.i18n, cx.lang, "cm-more-pending", count = others));
    }
    let data = CommitmentAction::Sign {
        campaign_id: c.id,
        version: c.version,
    }
    .to_string();
    cx.conv.step = Step::Commit(CommitStep::Sign {
        campaign_id: c.id,
        version: c.version,
    });
    if let Some(m) = &cx.facts.member {
        cx.effects.push(Effect::Prompted {
            member_id: m.id,
            prompt: PendingPrompt {
                flow: PromptFlow::Commitment,
                object_id: c.id,
                version: c.version,
            },
            expires_at: Some(c.deadline_at),
        });
    }
    let options = [(data, cx.t("cm-sign-button"))];
    cx.ask_owned(text, &options);
}

fn list_signed(cx: &mut Ctx) {
    let signed: Vec<String> = cx
        .facts
        .commitments
        .iter()
        .filter(|c| c.signed_current())
        .map(|c| {
            tr!(
                cx.i18n,
                cx.lang,
                "cm-signed-line",
                title = esc(&c.title),
                version = c.version,
                date = c.signed_at.map(format_date_time).unwrap_or_default()
            )
        })
        .collect();
    let msg = if signed.is_empty() {
        cx.t("cm-none")
    } else {
        format!("{}\n{}", cx.t("cm-signed-title"), signed.join("\n"))
    };
    cx.say(msg);
}

fn find(cx: &Ctx, id: i64) -> Option<CommitmentView> {
    cx.facts
        .commitment
        .iter()
        .chain(cx.facts.commitments.iter())
        .find(|c| c.id == id)
        .cloned()
}

fn sign(cx: &mut Ctx, campaign_id: i64, version: i64) {
    cx.conv.step = Step::Idle;
    let Some(c) = find(cx, campaign_id) else {
        // Not in the member's scope, closed, or made up: refuse, change nothing.
        let msg = cx.t("cm-not-for-you");
        return cx.say(msg);
    };
    if c.signed_current() {
        let msg = tr!(
            cx.i18n,
            cx.lang,
            "cm-already-signed",
            version = c.version,
            date = c.signed_at.map(format_date_time).unwrap_or_default()
        );
        return cx.say(msg);
    }
    if version != c.version {
        let msg = cx.t("cm-text-changed");
        cx.say(msg);
        return ask_sign(cx, &c, 0);
    }
    let Some(m) = cx.facts.member.clone() else {
        return;
    };
    cx.effects.push(Effect::Commitment(CommitmentEffect::Sign {
        member_id: m.id,
        campaign_id: c.id,
        version: c.version,
        text_hash: c.text_hash.clone(),
    }));
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "cm-signed",
        title = esc(&c.title),
        version = c.version,
        date = format_date_time(cx.facts.now_ms),
        code = c.text_hash.chars().take(8).collect::<String>()
    );
    cx.say(msg);
    let next = cx
        .facts
        .commitments
        .iter()
        .filter(|o| o.id != c.id && !o.signed_current())
        .cloned()
        .collect::<Vec<_>>();
    if let Some(n) = next.first() {
        ask_sign(cx, n, next.len() as i64 - 1);
    }
}

fn start_new(cx: &mut Ctx) {
    cx.conv.step = Step::Commit(CommitStep::Text);
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "cm-new-text",
        max = COMMITMENT_MAX_CHARS as i64
    );
    cx.say(msg);
}

fn menu(cx: &mut Ctx) {
    let options = menu_options(cx);
    cx.conv.step = Step::Commit(CommitStep::Menu);
    let text = cx.t("cm-menu");
    cx.ask_owned(text, &options);
}

fn menu_options(cx: &Ctx) -> Vec<(String, String)> {
    let mut options = vec![(CommitmentAction::New.to_string(), cx.t("cm-new"))];
    for c in cx.facts.managed_commitments.iter().take(MAX_MANAGED) {
        let title: String = c.title.chars().take(40).collect();
        options.push((
            CommitmentAction::Edit { campaign_id: c.id }.to_string(),
            tr!(cx.i18n, cx.lang, "cm-edit", title = title.clone()),
        ));
        options.push((
            CommitmentAction::Close { campaign_id: c.id }.to_string(),
            tr!(cx.i18n, cx.lang, "cm-close", title = title),
        ));
    }
    options
}

fn ask_signers(cx: &mut Ctx, text: String) {
    cx.conv.step = Step::Commit(CommitStep::Who { text });
    let msg = cx.t("cm-who");
    let options: Vec<(String, String)> = WHO_OPTIONS
        .iter()
        .map(|s| (CommitmentAction::Who(*s).to_string(), signers_name(cx, *s)))
        .collect();
    cx.ask_owned(msg, &options);
}

fn ask_deadline(cx: &mut Ctx, text: String, signers: Signers) {
    cx.conv.step = Step::Commit(CommitStep::Deadline { text, signers });
    let msg = cx.t("cm-deadline");
    cx.say(msg);
}

/// Who may be asked to sign, in the order offered (their numbers when typed).
const WHO_OPTIONS: [Signers; 3] = [Signers::Member, Signers::Leader, Signers::Everyone];

fn ask_remind(cx: &mut Ctx, text: String, signers: Signers, deadline_at: i64) {
    cx.conv.step = Step::Commit(CommitStep::Remind {
        text,
        signers,
        deadline_at,
    });
    let msg = cx.t("cm-remind");
    let options: Vec<(String, String)> = RemindChoice::ALL
        .iter()
        .map(|r| {
            let label = cx.t(match r {
                RemindChoice::Daily => "cm-remind-daily",
                RemindChoice::EveryThreeDays => "cm-remind-3days",
                RemindChoice::Mondays => "cm-remind-monday",
                RemindChoice::Never => "cm-remind-none",
            });
            (CommitmentAction::Remind(*r).to_string(), label)
        })
        .collect();
    cx.ask_owned(msg, &options);
}

fn signers_name(cx: &Ctx, s: Signers) -> String {
    cx.t(match s {
        Signers::Member => "cm-who-member",
        Signers::Leader => "cm-who-leader",
        Signers::Everyone => "cm-who-everyone",
    })
}

fn remind_name(cx: &Ctx, d: &CommitDraft) -> String {
    if d.remind_every_days == 1 {
        cx.t("cm-remind-daily")
    } else if d.remind_every_days == 3 {
        cx.t("cm-remind-3days")
    } else if d.remind_weekdays == [1] {
        cx.t("cm-remind-monday")
    } else {
        cx.t("cm-remind-none")
    }
}

fn ask_confirm(cx: &mut Ctx, draft: CommitDraft) {
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "cm-confirm",
        text = esc(&draft.text),
        who = signers_name(cx, draft.signers),
        deadline = format_date(draft.deadline_at),
        remind = remind_name(cx, &draft),
        hour = i64::from(draft.remind_hour)
    );
    cx.conv.step = Step::Commit(CommitStep::Confirm { draft });
    let options = [
        (CommitmentAction::Ok.to_string(), cx.t("cm-send")),
        (
            CommitmentAction::Cancel.to_string(),
            cx.t("directive-cancel"),
        ),
    ];
    cx.ask_owned(msg, &options);
}

fn ask_edit_confirm(cx: &mut Ctx, campaign_id: i64, text: String) {
    let msg = tr!(cx.i18n, cx.lang, "cm-edit-confirm", text = esc(&text));
    cx.conv.step = Step::Commit(CommitStep::EditConfirm { campaign_id, text });
    let options = [
        (CommitmentAction::Ok.to_string(), cx.t("cm-send")),
        (
            CommitmentAction::Cancel.to_string(),
            cx.t("directive-cancel"),
        ),
    ];
    cx.ask_owned(msg, &options);
}

/// A commitment text typed by an officer: `None` (after saying why) when it can't be used.
fn take_text(cx: &mut Ctx, text: &str) -> Option<String> {
    let count = text.chars().count();
    if count > COMMITMENT_MAX_CHARS {
        let msg = tr!(
            cx.i18n,
            cx.lang,
            "cm-text-too-long",
            max = COMMITMENT_MAX_CHARS as i64,
            chars = count as i64
        );
        cx.say(msg);
        return None;
    }
    if title_of(text).is_empty() {
        let msg = tr!(
            cx.i18n,
            cx.lang,
            "cm-new-text",
            max = COMMITMENT_MAX_CHARS as i64
        );
        cx.say(msg);
        return None;
    }
    Some(text.to_string())
}

/// Typed replies in this module's steps; `false` when the text is not ours.
pub(super) fn on_text(cx: &mut Ctx, text: &str) -> bool {
    let folded = fold(text);
    match cx.conv.step.clone() {
        Step::Idle => {
            // "1" / "tôi cam kết" after a broadcast (Zalo has no buttons): it answers the
            // newest question put to this person, and signs exactly the version they saw.
            if !SIGN_WORDS.contains(&folded.as_str()) {
                return false;
            }
            match cx.facts.pending_prompt {
                Some(p) if p.flow == PromptFlow::Commitment => {
                    sign(cx, p.object_id, p.version);
                    true
                }
                // A "1" answers the newest question, and that one is another flow's.
                Some(_) if folded == "1" => false,
                // Nothing of ours is pending: show the text in full before any signature.
                _ => show_pending(cx),
            }
        }
        Step::Commit(CommitStep::Sign {
            campaign_id,
            version,
        }) => {
            if SIGN_WORDS.contains(&folded.as_str()) {
                sign(cx, campaign_id, version);
            } else {
                let msg = cx.t("choose-an-option");
                cx.say(msg);
                match find(cx, campaign_id) {
                    Some(c) => ask_sign(cx, &c, 0),
                    None => cx.conv.step = Step::Idle,
                }
            }
            true
        }
        Step::Commit(CommitStep::Menu) => {
            let options = menu_options(cx);
            match pick(text, options.len()) {
                Some(i) => {
                    let data = options[i].0.clone();
                    on_choice(cx, &Step::Commit(CommitStep::Menu), &data);
                }
                None => {
                    let msg = cx.t("choose-an-option");
                    cx.say(msg);
                    menu(cx);
                }
            }
            true
        }
        Step::Commit(CommitStep::Text) => {
            if let Some(t) = take_text(cx, text) {
                ask_signers(cx, t);
            }
            true
        }
        Step::Commit(CommitStep::Who { text: draft }) => {
            match pick(text, WHO_OPTIONS.len()) {
                Some(i) => {
                    let data = CommitmentAction::Who(WHO_OPTIONS[i]).to_string();
                    on_choice(cx, &Step::Commit(CommitStep::Who { text: draft }), &data);
                }
                None => {
                    let msg = cx.t("choose-an-option");
                    cx.say(msg);
                    ask_signers(cx, draft);
                }
            }
            true
        }
        Step::Commit(CommitStep::Deadline {
            text: draft,
            signers,
        }) => {
            match parse_deadline(text) {
                Some(at) if at > cx.facts.now_ms => ask_remind(cx, draft, signers, at),
                Some(_) => {
                    let msg = cx.t("cm-deadline-past");
                    cx.say(msg);
                }
                None => {
                    let msg = cx.t("cm-deadline");
                    cx.say(msg);
                }
            }
            true
        }
        Step::Commit(CommitStep::Remind {
            text: draft,
            signers,
            deadline_at,
        }) => {
            let step = Step::Commit(CommitStep::Remind {
                text: draft.clone(),
                signers,
                deadline_at,
            });
            match pick(text, RemindChoice::ALL.len()) {
                Some(i) => {
                    let data = CommitmentAction::Remind(RemindChoice::ALL[i]).to_string();
                    on_choice(cx, &step, &data);
                }
                None => {
                    let msg = cx.t("choose-an-option");
                    cx.say(msg);
                    ask_remind(cx, draft, signers, deadline_at);
                }
            }
            true
        }
        step @ (Step::Commit(CommitStep::Confirm { .. })
        | Step::Commit(CommitStep::EditConfirm { .. })) => {
            match pick(text, 2) {
                Some(0) => {
                    on_choice(cx, &step, &CommitmentAction::Ok.to_string());
                }
                Some(_) => {
                    on_choice(cx, &step, &CommitmentAction::Cancel.to_string());
                }
                None => {
                    let msg = cx.t("choose-an-option");
                    cx.say(msg);
                    reprompt(cx, &step);
                }
            }
            true
        }
        Step::Commit(CommitStep::EditText { campaign_id }) => {
            if let Some(t) = take_text(cx, text) {
                ask_edit_confirm(cx, campaign_id, t);
            }
            true
        }
        _ => false,
    }
}

/// Buttons of this module; `false` when the data is not ours.
pub(super) fn on_choice(cx: &mut Ctx, step: &Step, data: &str) -> bool {
    if !data.starts_with("cm:") {
        return false;
    }
    if cx.facts.member.is_none() {
        let msg = cx.t("need-to-join");
        cx.say(msg);
        return true;
    }
    if let Some((c, v)) = parse_sign(data) {
        sign(cx, c, v);
        return true;
    }
    if data.starts_with("cm:sign:") {
        let msg = cx.t("cm-not-for-you");
        cx.say(msg);
        return true;
    }
    if !is_officer(cx.facts) {
        let msg = cx.t("officer-only");
        cx.say(msg);
        return true;
    }
    let managed = |id: &str| -> Option<CommitmentView> {
        let id: i64 = id.parse().ok()?;
        cx.facts
            .managed_commitments
            .iter()
            .find(|c| c.id == id)
            .cloned()
    };
    if let Some(id) = data.strip_prefix("cm:edit:") {
        match managed(id) {
            Some(c) => {
                cx.conv.step = Step::Commit(CommitStep::EditText { campaign_id: c.id });
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "cm-edit-text",
                    version = c.version,
                    text = esc(&c.text),
                    max = COMMITMENT_MAX_CHARS as i64
                );
                cx.say(msg);
            }
            None => {
                let msg = cx.t("cm-not-found");
                cx.say(msg);
            }
        }
        return true;
    }
    if let Some(id) = data.strip_prefix("cm:close:") {
        match managed(id) {
            Some(c) => {
                cx.effects.push(Effect::Commitment(CommitmentEffect::Close {
                    campaign_id: c.id,
                }));
                cx.conv.step = Step::Idle;
                let msg = tr!(cx.i18n, cx.lang, "cm-closed", title = esc(&c.title));
                cx.say(msg);
            }
            None => {
                let msg = cx.t("cm-not-found");
                cx.say(msg);
            }
        }
        return true;
    }
    match (step, data) {
        (_, "cm:new") => start_new(cx),
        (Step::Commit(CommitStep::Who { text }), who) if who.starts_with("cm:who:") => {
            match who.parse::<CommitmentAction>() {
                Ok(CommitmentAction::Who(s)) => ask_deadline(cx, text.clone(), s),
                _ => return false,
            }
        }
        (
            Step::Commit(CommitStep::Remind {
                text,
                signers,
                deadline_at,
            }),
            rem,
        ) if rem.starts_with("cm:rem:") => {
            let Ok(CommitmentAction::Remind(choice)) = rem.parse::<CommitmentAction>() else {
                return false;
            };
            ask_confirm(cx, draft_of(text.clone(), *signers, *deadline_at, choice));
        }
        (Step::Commit(CommitStep::Confirm { draft }), "cm:ok") => {
            cx.effects
                .push(Effect::Commitment(CommitmentEffect::Create {
                    draft: draft.clone(),
                }));
            cx.conv.step = Step::Idle;
            let msg = cx.t("cm-created");
            cx.say(msg);
        }
        (Step::Commit(CommitStep::EditConfirm { campaign_id, text }), "cm:ok") => {
            cx.effects
                .push(Effect::Commitment(CommitmentEffect::Revise {
                    campaign_id: *campaign_id,
                    text: text.clone(),
                }));
            cx.conv.step = Step::Idle;
            let msg = cx.t("cm-revised");
            cx.say(msg);
        }
        (_, "cm:cancel") => {
            cx.conv.step = Step::Idle;
            let msg = cx.t("cancelled");
            cx.say(msg);
        }
        _ => return false,
    }
    true
}

pub(super) fn reprompt(cx: &mut Ctx, step: &Step) {
    match step {
        Step::Commit(CommitStep::Confirm { draft }) => ask_confirm(cx, draft.clone()),
        Step::Commit(CommitStep::EditConfirm { campaign_id, text }) => {
            ask_edit_confirm(cx, *campaign_id, text.clone())
        }
        _ => {}
    }
}

fn percent(signed: i64, scope: i64) -> String {
    if scope == 0 {
        "—".to_string()
    } else {
        format!("{}%", crate::core::text::percent(signed, scope))
    }
}

/// `/tonghop`: progress of every open campaign over the officer's subtree.
pub(super) fn rollup(cx: &mut Ctx) {
    if cx.facts.rollups.is_empty() && cx.facts.ack_rollups.is_empty() {
        let msg = cx.t("rollup-none");
        return cx.say(msg);
    }
    for r in cx.facts.rollups.clone() {
        let mut lines = vec![tr!(
            cx.i18n,
            cx.lang,
            "rollup-title",
            title = esc(&r.title),
            version = r.version,
            deadline = format_date(r.deadline_at)
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
        if r.unsigned_total > 0 {
            let mut names: Vec<String> =
                r.unsigned.iter().take(MAX_NAMES).map(|n| esc(n)).collect();
            let more = r.unsigned_total - names.len() as i64;
            if more > 0 {
                names.push(tr!(cx.i18n, cx.lang, "rollup-more", count = more));
            }
            lines.push(tr!(
                cx.i18n,
                cx.lang,
                "rollup-unsigned",
                names = names.join(", ")
            ));
        }
        cx.say(lines.join("\n"));
    }
    // Then who confirmed the newest directives and broadcasts that asked («Đã nắm»).
    super::acknowledgements::rollup(cx);
    // A chart per campaign where there are child units to compare.
    if cx.ev.channel.shows_images() && cx.facts.rollups.iter().any(|r| r.rows.len() > 1) {
        cx.effects.push(Effect::ProgressCharts);
    }
}

/// Commitments as one flow of the registry.
pub(super) struct Commitments;

impl Flow for Commitments {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[
            CommandSpec::new("camket", Audience::Members, Listed::Members).in_menu(),
            CommandSpec::new("tonghop", Audience::Officers, Listed::Officers),
        ];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(
            step,
            Step::Commit(CommitStep::Sign { .. })
                | Step::Commit(CommitStep::Menu)
                | Step::Commit(CommitStep::Text)
                | Step::Commit(CommitStep::Who { .. })
                | Step::Commit(CommitStep::Deadline { .. })
                | Step::Commit(CommitStep::Remind { .. })
                | Step::Commit(CommitStep::Confirm { .. })
                | Step::Commit(CommitStep::EditText { .. })
                | Step::Commit(CommitStep::EditConfirm { .. })
        )
    }

    fn needs(&self, ev: &InboundEvent, step: &Step, n: &mut Needs) {
        needs(ev, step, n);
    }

    fn on_command(&self, cx: &mut Ctx, cmd: &str, arg: &str) {
        match cmd {
            "camket" => command(cx, arg),
            _ => rollup(cx),
        }
    }

    fn on_text(&self, cx: &mut Ctx, text: &str) -> bool {
        on_text(cx, text)
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        on_choice(cx, step, data)
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        reprompt(cx, step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> i64 {
        local_time_ms(NaiveDate::from_ymd_opt(y, m, d).expect("date"), h).expect("time")
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            text_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn deadline_is_end_of_local_day() {
        let ms = parse_deadline("30/11/2026").expect("date");
        assert_eq!(format_date_time(ms), "30/11/2026, 23:59");
        assert_eq!(parse_deadline("31/2/2026"), None);
        assert_eq!(parse_deadline("mai"), None);
    }

    #[test]
    fn reminders_only_by_day_and_never_at_night() {
        let s = ReminderSchedule {
            weekdays: vec![],
            every_days: 3,
            hour: 8,
            created_at: at(2026, 11, 2, 10),
            deadline_at: at(2026, 11, 30, 23),
        };
        assert_eq!(reminder_due(&s, at(2026, 11, 2, 12)), None, "opening day");
        assert_eq!(reminder_due(&s, at(2026, 11, 4, 9)), None, "not a 3rd day");
        assert!(reminder_due(&s, at(2026, 11, 5, 8)).is_some());
        assert_eq!(reminder_due(&s, at(2026, 11, 5, 7)), None, "too early");
        assert_eq!(reminder_due(&s, at(2026, 11, 5, 20)), None, "night");
        assert_eq!(reminder_due(&s, at(2026, 12, 2, 9)), None, "after deadline");
        let weekly = ReminderSchedule {
            weekdays: vec![1],
            every_days: 0,
            ..s
        };
        // 9/11/2026 is a Monday.
        assert!(reminder_due(&weekly, at(2026, 11, 9, 15)).is_some());
        assert_eq!(reminder_due(&weekly, at(2026, 11, 10, 15)), None);
    }
}
