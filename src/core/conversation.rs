//! Conversations: what the bot answers, given the event, the stored conversation and the
//! facts the processor looked up. No I/O here; effects are applied by the processor in
//! the same transaction that marks the update processed.

use serde::{Deserialize, Serialize};

mod acknowledgements;
mod audience;
mod broadcast;
mod commitments;
mod export;
pub mod flow;
mod language;
pub mod liaison;
mod linking;
mod mydata;
pub mod officer;
mod onboarding;
pub mod polls;
mod publish;
pub mod quiz;
pub mod report_requests;
mod tips;
mod web;

#[cfg(test)]
mod table_tests;

pub use commitments::{
    COMMITMENT_MAX_CHARS, CommitDraft, CommitStep, CommitmentEffect, CommitmentView,
    REMIND_FROM_HOUR, ReminderSchedule, Rollup, RollupRow, Signers, draft_of, parse_deadline,
    reminder_due, text_hash, title_of,
};

pub use acknowledgements::{ACK_REMIND_FOR_DAYS, AckEffect, AckRollup, AckView};
pub use broadcast::{
    ActiveBroadcast, BroadcastDraft, BroadcastEffect, BroadcastMedia, BroadcastStep,
    BroadcastTarget, MAX_BROADCAST_CHARS,
};
pub use liaison::{LiaisonEffect, LiaisonFacts, LiaisonNeeds, LiaisonNotice, LiaisonStep};
pub use officer::{OfficerEffect, OfficerFacts, OfficerNeeds, OfficerStep};
pub use onboarding::invite_to_check;
pub use polls::{
    PollAnswer, PollDraft, PollEffect, PollFacts, PollNeeds, PollQuestion, PollResults, PollRow,
    PollStep, PollTexts, PollToAnswer, PollView, QuestionKind,
};
pub use publish::{
    DirectiveEffect, DirectiveStep, EDITED_SUMMARY_MAX, SUMMARY_MAX_CHARS, broadcast_text,
    draft_from, suggested_dates,
};
pub use quiz::{
    AttemptView, QuizBoardRow, QuizDraft, QuizEffect, QuizFacts, QuizNeeds, QuizQuestion,
    QuizRankRow, QuizResults, QuizStep, QuizToTake, QuizView,
};
pub use report_requests::{
    Answer, CompiledReport, ItemKind, ItemTotal, Letter, RegistrationRow, ReportEffect,
    ReportFacts, ReportItem, ReportSeed, ReportStep, RequestDraft, RequestMode, RequestView,
    TargetRow, TargetStatus, ToFill,
};
pub use tips::{TipEffect, TipStep, render_tip};
pub use web::WebEffect;

use super::actions::AckKind;
use super::calendar::CampaignView;
use super::domain::{InviteCode, Lang, LinkCode, Role};
use super::event::{Button, Channel, ChatKind, InboundEvent, Outbound, Payload, Reply};
use super::export::{ExportFormat, ExportKind};
use super::text::{esc, fold};
use super::tip::{ReceiptCode, TipSummary, TipView};
use crate::i18n::I18n;
use crate::tr;

/// Bumped when `Conversation` changes shape; an undecodable value falls back to idle.
pub const STATE_VERSION: i64 = 1;

/// After this many bad invite codes a chat waits `LOCK_MS` before trying again.
const MAX_BAD_CODES: u32 = 5;
const LOCK_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// Language chosen before joining (members keep theirs in `members.lang`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    #[serde(default)]
    pub step: Step,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub bad_codes: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<i64>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    #[default]
    Idle,
    AwaitingConsent {
        invite: String,
    },
    ChoosingLang,
    ConfirmDelete,
    /// An officer choosing what to export, then the file format.
    ExportWhat,
    ExportFormat {
        what: ExportKind,
    },
    /// Reporting an incident, or an officer handling tips.
    Tip(TipStep),
    /// An officer preparing a broadcast.
    Broadcast(BroadcastStep),
    /// Invites, units and members (`/moi`, `/donvi`), or a member moving by invite.
    Officer(OfficerStep),
    /// Report requests: preparing one, filling one, reading the compiled result.
    Report(ReportStep),
    /// Polls and surveys: preparing one, answering one, reading the results.
    Poll(PollStep),
    /// `/congan`: the police liaison's categories, menu and warning.
    Liaison(LiaisonStep),
    /// Quiz contests: preparing one, taking one, reading the results.
    Quiz(QuizStep),
    // The two below are stored with the step names they had before they moved into
    // their flows ({"step": "commit_text"}), so conversations under way survive.
    /// Signing, opening or editing a commitment.
    #[serde(untagged)]
    Commit(CommitStep),
    /// Reading, reviewing and publishing directives.
    #[serde(untagged)]
    Directive(DirectiveStep),
}

/// A directive being prepared for publishing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub title: String,
    pub summary: String,
    /// The parsed facts, JSON, kept with the published directive.
    pub facts: String,
    pub dates: Vec<SuggestedDate>,
    /// Members are asked to confirm it («Đã nắm»).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ack: bool,
    /// Those who have not confirmed are reminded every so many days (0: never).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ack_remind_days: u32,
}

/// A day/month found in a document ("Ngày hội … (ngày 19/8)").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedDate {
    pub day: u32,
    pub month: u32,
    pub year: Option<i32>,
    pub label: String,
    /// A lunar day/month, every year (Tết, Trung thu, Giỗ Tổ).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lunar: bool,
    /// Days before the date to remind, and the local hour (defaults: 7, 1, 0 at 07:00).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remind: Option<(Vec<i64>, u32)>,
}

impl Conversation {
    /// Decode a stored value; anything that no longer decodes is a fresh start.
    pub fn decode(version: i64, json: &str) -> Self {
        if version != STATE_VERSION {
            return Conversation::default();
        }
        serde_json::from_str(json).unwrap_or_default()
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// Nothing worth keeping: the processor deletes the row instead of storing it.
    pub fn is_empty(&self) -> bool {
        *self == Conversation::default()
    }
}

/// A flow whose question a typed answer may reach later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptFlow {
    /// A commitment to sign (object: campaign id; version: the text version shown).
    Commitment,
    /// A directive or a broadcast to confirm as understood ("Đã nắm"; object: its id).
    Acknowledgement(AckKind),
    /// A poll to answer (object: the poll's id).
    Poll,
    /// A police liaison's warning for an officer to approve (object: the warning's id).
    LiaisonWarning,
    /// A quiz to take (object: the quiz's id).
    Quiz,
}

impl PromptFlow {
    pub fn as_str(self) -> &'static str {
        match self {
            PromptFlow::Commitment => "commitment",
            PromptFlow::Acknowledgement(AckKind::Directive) => "ack_directive",
            PromptFlow::Acknowledgement(AckKind::Broadcast) => "ack_broadcast",
            PromptFlow::Poll => "poll",
            PromptFlow::LiaisonWarning => "liaison_warning",
            PromptFlow::Quiz => "quiz",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "commitment" => Some(PromptFlow::Commitment),
            "ack_directive" => Some(PromptFlow::Acknowledgement(AckKind::Directive)),
            "ack_broadcast" => Some(PromptFlow::Acknowledgement(AckKind::Broadcast)),
            "poll" => Some(PromptFlow::Poll),
            "liaison_warning" => Some(PromptFlow::LiaisonWarning),
            "quiz" => Some(PromptFlow::Quiz),
            _ => None,
        }
    }
}

/// What the bot last put to a person that a typed "1" may answer: which flow, which
/// object, and which version of it they saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingPrompt {
    pub flow: PromptFlow,
    pub object_id: i64,
    pub version: i64,
}

/// What the processor knows about the person behind the event.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberView {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub unit_code: String,
    pub unit_name: String,
    pub role: Role,
    pub lang: Lang,
    pub display_name: String,
    pub username: Option<String>,
    pub joined_at: i64,
    pub consent_at: i64,
    /// (channel, platform user id) of every linked account.
    pub identities: Vec<(Channel, String)>,
}

/// What a link code says, looked up for the account that typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkStatus {
    Valid {
        member_id: i64,
        name: String,
        unit_name: String,
    },
    Expired,
    Used,
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InviteStatus {
    Valid { unit_name: String, role: Role },
    Expired,
    UsedUp,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    pub now_ms: i64,
    pub member: Option<MemberView>,
    pub invite: Option<(InviteCode, InviteStatus)>,
    /// An officer's unit: members in its whole subtree, and its direct children.
    pub subtree_members: i64,
    pub children: Vec<UnitCount>,
    /// Directives that reached the member (or they published), newest first.
    pub directives: Vec<DirectiveRef>,
    /// One directive's full text, when the member may read it.
    pub directive: Option<DirectiveRef>,
    /// Campaigns that apply to the member's unit.
    pub campaigns: Vec<CampaignView>,
    /// The file an officer sent, fetched from the platform.
    pub document: Option<DocumentInput>,
    /// Open commitments in the member's scope, with what they signed.
    pub commitments: Vec<CommitmentView>,
    /// The commitment a button names, only if it is in the member's scope.
    pub commitment: Option<CommitmentView>,
    /// Open commitments an officer may edit or close (opened in their subtree).
    pub managed_commitments: Vec<CommitmentView>,
    /// `/tonghop`: progress of each open commitment over the officer's subtree.
    pub rollups: Vec<Rollup>,
    /// The tip a button, list or `/theodoi` names, if this person may see it.
    pub tip: Option<TipView>,
    /// `/tinbao`: open tips in the officer's subtree, oldest first.
    pub open_tips: Vec<TipSummary>,
    /// Tips this member reported in the last hour (flood limit).
    pub tips_recent: i64,
    /// A fresh receipt code, for a tip about to be sent.
    pub new_receipt_code: Option<ReceiptCode>,
    /// Housing-group leaders in the officer's subtree.
    pub subtree_leaders: i64,
    /// Other union officers in the officer's subtree (the officer not counted).
    pub subtree_officers: i64,
    /// The officer's broadcasts that can still be stopped, newest first.
    pub active_broadcasts: Vec<ActiveBroadcast>,
    /// A link code someone typed, and what it says.
    pub link: Option<(LinkCode, LinkStatus)>,
    /// A fresh link code, for `/lienket`.
    pub new_link_code: Option<LinkCode>,
    /// The newest question put to this member that a typed answer may be for.
    pub pending_prompt: Option<PendingPrompt>,
    /// `/dulieu`: the member's signatures and the tips they reported.
    pub my_data: Option<MyData>,
    /// `/moi`, `/donvi` and moving by invite.
    pub officer: OfficerFacts,
    /// The directive or broadcast a «Đã nắm» button or typed "1" names, only if it was
    /// put to this member.
    pub ack: Option<AckView>,
    /// `/tonghop`: «Đã nắm» figures of the newest directives and broadcasts that asked.
    pub ack_rollups: Vec<AckRollup>,
    /// `/baocao`: requests to fill, one's own requests, one compiled result.
    pub reports: ReportFacts,
    /// `/khaosat`: polls to answer, polls to read, one poll's results.
    pub polls: PollFacts,
    /// `/congan`: the police liaison's categories and a warning to approve.
    pub liaison: LiaisonFacts,
    /// `/cuocthi`: quizzes to take, quizzes to read, one quiz's results.
    pub quiz: QuizFacts,
}

/// What `/dulieu` lists beyond the profile.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MyData {
    /// (campaign title, version, signed at, channel), newest first.
    pub signatures: Vec<(String, i64, i64, String)>,
    /// (receipt code, reported at, status), newest first.
    pub tips: Vec<(String, i64, super::tip::TipStatus)>,
    /// (directive or broadcast title, confirmed at, channel) of what they confirmed as
    /// understood («Đã nắm»), newest first.
    pub acknowledgements: Vec<(String, i64, String)>,
    /// (poll title, answered at) of the polls they answered, newest first (`/khaosat`
    /// shows and changes the answers themselves).
    pub polls: Vec<(String, i64)>,
    /// The phone number kept for ZNS reminders on the Zalo OA (shared with the OA, or
    /// set by the union), if any.
    pub zalo_oa_phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCount {
    pub id: i64,
    pub name: String,
    /// Members in the unit's whole subtree.
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveRef {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub unit_name: String,
    pub published_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentInput {
    Bytes(Vec<u8>),
    TooLarge,
    Unavailable,
}

/// What the processor must look up before calling [`handle`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    pub invite: Option<InviteCode>,
    /// Subtree count and children of an officer's unit.
    pub officer_units: bool,
    pub directives: bool,
    pub directive: Option<i64>,
    pub campaigns: bool,
    /// Fetch the document in the event (only done for officers).
    pub document: bool,
    /// The member's open commitments (and, for officers, those they manage).
    pub commitments: bool,
    pub commitment: Option<i64>,
    pub rollup: bool,
    pub tip: Option<i64>,
    pub tip_code: Option<ReceiptCode>,
    pub tips_open: bool,
    pub tips_recent: bool,
    pub receipt_code: bool,
    /// The officer's active broadcasts (and, with `officer_units`, leader counts).
    pub broadcasts: bool,
    pub link_code: Option<LinkCode>,
    pub new_link_code: bool,
    /// The member's newest pending prompt (a typed answer in Idle).
    pub pending_prompt: bool,
    /// `/dulieu`.
    pub my_data: bool,
    /// `/moi`, `/donvi` and moving by invite.
    pub officer: OfficerNeeds,
    /// What a «Đã nắm» button names.
    pub ack: Option<(AckKind, i64)>,
    /// `/baocao`: requests to fill and one's own requests.
    pub reports: bool,
    /// The compiled result of this request (for its requester).
    pub report: Option<i64>,
    /// The kinds of units further down (choosing a request's targets).
    pub report_kinds: bool,
    /// `/khaosat`.
    pub polls: PollNeeds,
    /// `/congan`.
    pub liaison: LiaisonNeeds,
    /// `/cuocthi`.
    pub quiz: QuizNeeds,
}

/// Pasted text at least this long, from an officer, is taken as a directive.
pub const DIRECTIVE_MIN_CHARS: usize = 300;

pub fn needs(ev: &InboundEvent, conv: &Conversation) -> Needs {
    let mut n = Needs::default();
    for flow in flow::FLOWS {
        flow.needs(ev, &conv.step, &mut n);
    }
    // A short typed answer in Idle may answer the newest question put to the person.
    if let Payload::Text { text } = &ev.payload
        && conv.step == Step::Idle
        && split_command(text.trim()).is_none()
        && text.chars().count() < 40
    {
        n.pending_prompt = true;
    }
    n
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Bind the sender to the invite's unit and role (and count one use).
    Join {
        invite: InviteCode,
        display_name: String,
        username: Option<String>,
        lang: Lang,
    },
    SetLang {
        member_id: i64,
        lang: Lang,
    },
    DeleteMember {
        member_id: i64,
    },
    /// Publishing a directive and its campaign dates.
    Directive(DirectiveEffect),
    /// Opening, revising, closing and signing commitments.
    Commitment(CommitmentEffect),
    Tip(TipEffect),
    Broadcast(BroadcastEffect),
    /// Report requests: created, filled, submitted, sent back, exported.
    Report(ReportEffect),
    /// Polls: created, answered (saved half-way or sent), charted, exported.
    Poll(PollEffect),
    /// The police liaison: categories chosen, a warning written, approved or rejected.
    Liaison(LiaisonEffect),
    /// Quizzes: created, started, answered, finished, exported.
    Quiz(QuizEffect),
    /// `/web`: a console login link, or the end of every console session.
    Web(WebEffect),
    /// Invites, units, members (checked again in SQL against the officer's subtree).
    Officer(OfficerEffect),
    /// A member confirms a directive or broadcast as understood.
    Acknowledgement(AckEffect),
    /// A one-time code for linking another chat account to this member.
    CreateLinkCode {
        member_id: i64,
        code: LinkCode,
    },
    /// Link the sender's account to the member the code belongs to.
    LinkAccount {
        code: LinkCode,
    },
    /// Send the officer a file of their subtree's rows.
    Export {
        what: ExportKind,
        format: ExportFormat,
    },
    /// Send the officer a chart per open commitment of the roll-up just shown.
    ProgressCharts,
    /// A question was put to the member that a typed answer may reach later.
    Prompted {
        member_id: i64,
        prompt: PendingPrompt,
        expires_at: Option<i64>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub conversation: Conversation,
    pub replies: Vec<Reply>,
    pub effects: Vec<Effect>,
}

/// `/cmd@bot arg` -> ("cmd", "arg"), lower-cased command.
fn split_command(text: &str) -> Option<(String, &str)> {
    let rest = text.strip_prefix('/')?;
    let (head, arg) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let cmd = head.split('@').next().unwrap_or("").to_lowercase();
    Some((cmd, arg))
}

struct Ctx<'a> {
    i18n: &'a I18n,
    ev: &'a InboundEvent,
    facts: &'a Facts,
    lang: Lang,
    conv: Conversation,
    replies: Vec<Reply>,
    effects: Vec<Effect>,
}

impl Ctx<'_> {
    fn t(&self, id: &str) -> String {
        self.i18n.s(self.lang, id)
    }

    fn say(&mut self, text: String) {
        self.replies.push(Reply {
            chat_id: self.ev.chat_id.clone(),
            body: Outbound::Message {
                text,
                buttons: vec![],
            },
        });
    }

    /// A question with choices: buttons where the platform has them, and always the
    /// numbered options so a typed "1" or keyword works too. Labels are plain text
    /// (buttons show them as they are; the numbered list escapes them).
    fn ask(&mut self, text: String, options: &[(&str, String)]) {
        let numbered: Vec<String> = options
            .iter()
            .enumerate()
            .map(|(i, (_, label))| format!("{}. {}", i + 1, label))
            .collect();
        if self.ev.channel.has_buttons() {
            let buttons = options
                .iter()
                .zip(&numbered)
                .map(|((data, _), label)| {
                    vec![Button {
                        label: label.clone(),
                        data: data.to_string(),
                    }]
                })
                .collect();
            self.replies.push(Reply {
                chat_id: self.ev.chat_id.clone(),
                body: Outbound::Message { text, buttons },
            });
        } else {
            let hint = self.t("reply-with-number");
            let numbered: Vec<String> = numbered.iter().map(|l| esc(l)).collect();
            let text = format!("{text}\n\n{}\n\n<i>{hint}</i>", numbered.join("\n"));
            self.say(text);
        }
    }

    /// [`Ctx::ask`] with option data built at run time.
    fn ask_owned(&mut self, text: String, options: &[(String, String)]) {
        let borrowed: Vec<(&str, String)> = options
            .iter()
            .map(|(d, l)| (d.as_str(), l.clone()))
            .collect();
        self.ask(text, &borrowed);
    }

    fn answer_callback(&mut self, callback_id: &str) {
        self.replies.push(Reply {
            chat_id: self.ev.chat_id.clone(),
            body: Outbound::AnswerCallback {
                callback_id: callback_id.to_string(),
                text: None,
            },
        });
    }

    /// A chat locked after too many wrong codes is told until when, and `true` comes
    /// back; an expired lock is lifted.
    fn refuse_if_locked(&mut self) -> bool {
        match self.conv.locked_until {
            Some(until) if until > self.facts.now_ms => {
                let msg = tr!(
                    self.i18n,
                    self.lang,
                    "too-many-bad-codes",
                    until = super::time::format_date_time(until)
                );
                self.say(msg);
                true
            }
            Some(_) => {
                self.conv.locked_until = None;
                false
            }
            None => false,
        }
    }

    /// One more wrong invite or link code: the fifth locks the chat for a while.
    fn count_bad_code(&mut self) {
        self.conv.bad_codes += 1;
        if self.conv.bad_codes >= MAX_BAD_CODES {
            self.conv.bad_codes = 0;
            self.conv.locked_until = Some(self.facts.now_ms + LOCK_MS);
        }
    }

    fn role_name(&self, role: Role) -> String {
        self.t(match role {
            Role::Member => "role-member",
            Role::Leader => "role-leader",
            Role::Officer => "role-officer",
            Role::Liaison => "role-liaison",
        })
    }
}

pub fn handle(i18n: &I18n, ev: &InboundEvent, conv: Conversation, facts: &Facts) -> Outcome {
    let lang = facts
        .member
        .as_ref()
        .map(|m| m.lang)
        .or(conv.lang)
        .unwrap_or_default();
    let mut cx = Ctx {
        i18n,
        ev,
        facts,
        lang,
        conv,
        replies: vec![],
        effects: vec![],
    };

    if ev.chat_kind == ChatKind::Group {
        // Only answer when addressed; never chatter in a group, never store anything.
        match &ev.payload {
            Payload::Text { text } if text.trim_start().starts_with('/') => {
                let msg = cx.t("group-not-supported");
                cx.say(msg);
            }
            Payload::Button { callback_id, .. } => cx.answer_callback(callback_id),
            _ => {}
        }
        return Outcome {
            conversation: cx.conv,
            replies: cx.replies,
            effects: cx.effects,
        };
    }

    match &ev.payload {
        // A voice message: say what to do instead (a question that was pending stays
        // pending). Stickers and the rest get the general answer.
        Payload::Unsupported { kind } if kind == "voice" => {
            let msg = cx.t("unsupported-voice");
            cx.say(msg);
        }
        Payload::Text { text } => on_text(&mut cx, text),
        Payload::Button { callback_id, data } => {
            cx.answer_callback(callback_id);
            on_choice(&mut cx, data);
        }
        Payload::Edited => {
            let msg = cx.t("edited-ignored");
            cx.say(msg);
        }
        Payload::Photo { .. } | Payload::Document { .. } | Payload::Location { .. }
            if flow::in_turn(&cx.conv.step.clone()).any(|f| f.on_media(&mut cx)) => {}
        Payload::Photo { .. }
        | Payload::Location { .. }
        | Payload::Unsupported { .. }
        | Payload::Document { .. } => {
            let msg = cx.t("unsupported-message");
            cx.say(msg);
        }
    }
    Outcome {
        conversation: cx.conv,
        replies: cx.replies,
        effects: cx.effects,
    }
}

/// Whether the person handles tips sent to them: an officer, or the police liaison
/// (for the categories their unit shares; the store checks which tips).
fn handles_tips(facts: &Facts) -> bool {
    facts
        .member
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Officer | Role::Liaison))
}

fn is_officer(facts: &Facts) -> bool {
    facts
        .member
        .as_ref()
        .is_some_and(|m| m.role == Role::Officer)
}

fn on_text(cx: &mut Ctx, text: &str) {
    let text = text.trim();
    if let Some((cmd, arg)) = split_command(text) {
        // A command always leaves the question that was pending.
        cx.conv.step = Step::Idle;
        return on_command(cx, &cmd, arg);
    }
    let step = cx.conv.step.clone();
    // A typed number or keyword picks an option of the question asked.
    let folded = fold(text);
    let picked = flow::FLOWS.iter().find_map(|f| {
        f.typed_options(&step)?
            .iter()
            .find(|(_, words)| words.contains(&folded.as_str()))
            .map(|(data, _)| *data)
    });
    if let Some(data) = picked {
        return on_choice(cx, data);
    }
    if flow::in_turn(&step).any(|f| f.on_text(cx, text)) {
        return;
    }
    if step == Step::Idle {
        let msg = cx.t("not-understood");
        cx.say(msg);
    } else {
        let msg = cx.t("choose-an-option");
        cx.say(msg);
        reprompt(cx, &step);
    }
}

/// Numbers typed to pick several options at once ("1 3", "1, 3"): `None` unless every
/// word is a number from 1 to `max`.
fn typed_numbers(text: &str, max: usize) -> Option<Vec<usize>> {
    let numbers = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().ok().filter(|&n| (1..=max).contains(&n)))
        .collect::<Option<Vec<_>>>()?;
    (!numbers.is_empty()).then_some(numbers)
}

/// Tick `id` among the chosen, or untick it if it was.
fn toggle(chosen: &mut Vec<i64>, id: i64) {
    match chosen.iter().position(|&c| c == id) {
        Some(p) => {
            chosen.remove(p);
        }
        None => chosen.push(id),
    }
}

fn reprompt(cx: &mut Ctx, step: &Step) {
    if let Some(owner) = flow::owner(step) {
        owner.reprompt(cx, step);
    }
}

/// A command goes to the flow that declares it, once its audience is checked.
fn on_command(cx: &mut Ctx, cmd: &str, arg: &str) {
    let Some((spec, flow)) = flow::find_command(cmd) else {
        let msg = cx.t("unknown-command");
        return cx.say(msg);
    };
    let refusal = match (spec.audience, &cx.facts.member) {
        (flow::Audience::Everyone, _) => None,
        (_, None) => Some("need-to-join"),
        (flow::Audience::Officers, Some(m)) if m.role != Role::Officer => Some("officer-only"),
        // The police liaison is not a union member: only their own menu and the tips
        // sent to them.
        (flow::Audience::Members, Some(m))
            if m.role == Role::Liaison && !liaison::LIAISON_COMMANDS.contains(&spec.name) =>
        {
            Some("liaison-not-member")
        }
        _ => None,
    };
    match refusal {
        Some(key) => {
            let msg = cx.t(key);
            cx.say(msg);
        }
        None => flow.on_command(cx, spec.name, arg),
    }
}

/// Whether `step` is something the person is writing (a tip report, a broadcast, a
/// directive or commitment draft): `Some(prefixes)` of the buttons that belong to it.
fn draft_buttons(step: &Step) -> Option<&'static [&'static str]> {
    match step {
        Step::Tip(
            TipStep::Category
            | TipStep::What { .. }
            | TipStep::Where { .. }
            | TipStep::When { .. }
            | TipStep::Photos { .. }
            | TipStep::Anonymous { .. },
        ) => Some(&["tip:cat", "tip:skip", "tip:when", "tip:photos", "tip:anon"]),
        Step::Tip(_) => None,
        Step::Broadcast(_) => Some(&["bc:"]),
        // Preparing or filling a report (a menu or a result shown is not a draft).
        Step::Report(
            ReportStep::Menu { .. }
            | ReportStep::Offer { .. }
            | ReportStep::View { .. }
            | ReportStep::ReturnPick { .. },
        ) => None,
        Step::Report(_) => Some(&["rq:"]),
        // Preparing or answering a poll (the menu and the results are not drafts).
        Step::Poll(PollStep::Menu { .. } | PollStep::View { .. }) => None,
        Step::Poll(_) => Some(&["ks:"]),
        // Preparing a quiz (taking one is timed: other buttons do what they say).
        Step::Quiz(
            QuizStep::Menu { .. }
            | QuizStep::View { .. }
            | QuizStep::Take { .. }
            | QuizStep::Guess { .. },
        ) => None,
        Step::Quiz(_) => Some(&["qz:"]),
        Step::Directive(DirectiveStep::Review { .. })
        | Step::Directive(DirectiveStep::Pick { .. })
        | Step::Directive(DirectiveStep::Edit { .. }) => Some(&["dir:"]),
        Step::Commit(CommitStep::Text)
        | Step::Commit(CommitStep::Who { .. })
        | Step::Commit(CommitStep::Deadline { .. })
        | Step::Commit(CommitStep::Remind { .. })
        | Step::Commit(CommitStep::Confirm { .. })
        | Step::Commit(CommitStep::EditText { .. })
        | Step::Commit(CommitStep::EditConfirm { .. }) => Some(&["cm:"]),
        _ => None,
    }
}

/// A button of an older message (a commitment's «Tôi cam kết», an officer's «Tiếp nhận»
/// on a new tip) pressed in the middle of a draft: it does what it says, and the draft
/// is kept and asked again, never silently lost.
fn on_choice(cx: &mut Ctx, data: &str) {
    let before = cx.conv.step.clone();
    let foreign = draft_buttons(&before)
        .is_some_and(|own| !own.iter().any(|prefix| data.starts_with(prefix)));
    on_choice_in_step(cx, data);
    if foreign && cx.conv.step != before {
        cx.conv.step = before.clone();
        let msg = cx.t("draft-kept");
        cx.say(msg);
        reprompt(cx, &before);
    }
}

fn on_choice_in_step(cx: &mut Ctx, data: &str) {
    let step = std::mem::take(&mut cx.conv.step);
    if !flow::in_turn(&step).any(|f| f.on_choice(cx, &step, data)) {
        // An old button, or data nobody sent us: say so, change nothing.
        cx.conv.step = step;
        let msg = cx.t("stale-button");
        cx.say(msg);
    }
}
