//! Report requests up the tree (`/baocao`, issue 21): an officer asks the units directly
//! below (all, or chosen ones) for a report by a deadline: a title and 1–10 items, each a
//! number, a yes/no or a short text. Each target unit's officers (a housing group: its
//! leader) fill it item by item, by buttons or typed answers, can stop and continue, and
//! submit; the requester sees who has submitted, the numbers summed, the yes/no counted,
//! the texts per unit, sends a report back for completion with a note, and exports it.
//! A request can also be prepared from a published directive's reporting line, ask every
//! unit of a kind further down, be closed, be exported as .xlsx or a .docx letter, and be
//! a registration (submitted once) with a later self-assessment against it.
//! Every target and every answer is checked again in SQL (`store::report_requests`).

use serde::{Deserialize, Serialize};

use super::commitments::{REMIND_FROM_HOUR, REMIND_UNTIL_HOUR};
use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::{Ctx, Effect, Needs, Step, is_officer, split_command, toggle, typed_numbers};
use crate::core::actions::ReportAction;
use crate::core::calendar::local_date;
use crate::core::event::{Button, InboundEvent, Outbound, Payload, Reply};
use crate::core::text::{esc, fold};
use crate::core::time::format_date;
use crate::tr;

pub const MAX_ITEMS: usize = 10;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_LABEL_CHARS: usize = 120;
pub const MAX_TEXT_ANSWER_CHARS: usize = 500;
/// The largest number an item takes (sums stay far from overflow).
pub const MAX_NUMBER: i64 = 1_000_000_000;
pub const MAX_OPTIONS: usize = 6;
pub const MAX_OPTION_CHARS: usize = 40;
const MAX_LISTED: usize = 5;
const MAX_TARGETS: usize = 30;
/// At most this many units are asked when the targets are every unit of a kind.
pub const MAX_KIND_TARGETS: i64 = 200;
/// At most this many kinds are offered as targets.
pub const MAX_KINDS: usize = 8;

const STOP_WORDS: &[&str] = &["dừng", "dung", "stop", "lưu", "luu"];
const KEEP_WORDS: &[&str] = &["giữ", "giu", "keep", "giữ nguyên", "giu nguyen"];

/// What an item asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Number,
    YesNo,
    Text,
    /// One of the options the requester listed.
    Choice,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Number,
        ItemKind::YesNo,
        ItemKind::Text,
        ItemKind::Choice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Number => "number",
            ItemKind::YesNo => "yes_no",
            ItemKind::Text => "text",
            ItemKind::Choice => "choice",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn label_id(self) -> &'static str {
        match self {
            ItemKind::Number => "rq-kind-number",
            ItemKind::YesNo => "rq-kind-yes-no",
            ItemKind::Text => "rq-kind-text",
            ItemKind::Choice => "rq-kind-choice",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    pub label: String,
    pub kind: ItemKind,
    /// The options of a choice (2 to 6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// One answer to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Number(i64),
    YesNo(bool),
    Text(String),
    /// The index of the option chosen.
    Choice(i64),
}

impl Answer {
    /// Whether it answers an item of `kind` (a draft from an older request shape doesn't).
    pub fn fits(&self, kind: ItemKind) -> bool {
        matches!(
            (self, kind),
            (Answer::Number(_), ItemKind::Number)
                | (Answer::YesNo(_), ItemKind::YesNo)
                | (Answer::Text(_), ItemKind::Text)
                | (Answer::Choice(_), ItemKind::Choice)
        )
    }
}

/// What a request asks for: a report (a later submission before the deadline replaces
/// the earlier one), a registration (each unit submits once), or the self-assessment
/// against a registration's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestMode {
    #[default]
    Report,
    Registration,
    Assessment,
}

impl RequestMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestMode::Report => "report",
            RequestMode::Registration => "registration",
            RequestMode::Assessment => "assessment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            RequestMode::Report,
            RequestMode::Registration,
            RequestMode::Assessment,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }

    fn label_id(self) -> &'static str {
        match self {
            RequestMode::Report => "rq-mode-report",
            RequestMode::Registration => "rq-mode-registration",
            RequestMode::Assessment => "rq-mode-assessment",
        }
    }
}

/// A request being prepared by an officer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RequestDraft {
    pub title: String,
    #[serde(default)]
    pub items: Vec<ReportItem>,
    #[serde(default)]
    pub deadline_at: i64,
    /// Chosen child units (ids); checked against the subtree in SQL when created.
    #[serde(default)]
    pub units: Vec<i64>,
    /// The request from the level above that this one passes down (same items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<i64>,
    /// Every unit of this kind in the subtree is asked (instead of `units`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub mode: RequestMode,
    /// The registration this self-assessment is measured against (same items, units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assesses: Option<i64>,
}

/// A report request a published directive asks for, offered right after publishing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSeed {
    pub draft: RequestDraft,
    /// The document's reporting line.
    pub line: String,
}

/// Where a report conversation stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rq", rename_all = "snake_case")]
pub enum ReportStep {
    /// The `/baocao` menu, with the data of its options as shown (a typed number picks
    /// what the person saw).
    Menu {
        #[serde(default)]
        choices: Vec<String>,
    },
    /// After publishing a directive with a reporting line: prepare the request?
    Offer {
        seed: ReportSeed,
    },
    Title,
    ItemLabel {
        draft: RequestDraft,
    },
    ItemKind {
        draft: RequestDraft,
        label: String,
    },
    /// The options of a choice item, typed.
    ItemOptions {
        draft: RequestDraft,
        label: String,
    },
    Deadline {
        draft: RequestDraft,
    },
    Targets {
        draft: RequestDraft,
    },
    Confirm {
        draft: RequestDraft,
    },
    /// Answering item `index` of request `request_id` for unit `unit_id`.
    Fill {
        request_id: i64,
        unit_id: i64,
        index: usize,
        answers: Vec<Option<Answer>>,
    },
    /// Every item answered: submit, go over them again, or keep for later.
    Review {
        request_id: i64,
        unit_id: i64,
        answers: Vec<Option<Answer>>,
    },
    /// The requester looking at the compiled result.
    View {
        request_id: i64,
    },
    /// The requester choosing which unit's report to send back.
    ReturnPick {
        request_id: i64,
    },
    ReturnNote {
        request_id: i64,
        unit_id: i64,
    },
}

/// What a report conversation changes; the store checks each again in SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportEffect {
    Create {
        draft: RequestDraft,
    },
    SaveDraft {
        request_id: i64,
        unit_id: i64,
        answers: Vec<Option<Answer>>,
    },
    Submit {
        request_id: i64,
        unit_id: i64,
        answers: Vec<Option<Answer>>,
    },
    Return {
        request_id: i64,
        unit_id: i64,
        note: String,
    },
    Export {
        request_id: i64,
    },
    Close {
        request_id: i64,
    },
    /// The compiled result as a .docx letter, worded here.
    Letter {
        request_id: i64,
        letter: Letter,
    },
}

/// A short letter in the usual layout, worded by the flow and written as .docx by
/// `reports::docx`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Letter {
    /// The sending unit, upper-cased at the top left.
    pub from: String,
    /// The motto lines at the top right.
    pub motto: Vec<String>,
    /// "Ngày 5 tháng 12 năm 2026".
    pub date_line: String,
    /// "BÁO CÁO" and the subject under it.
    pub heading: String,
    pub subject: String,
    /// "Kính gửi: …", if the addressee is known.
    pub to: Option<String>,
    /// The content, one paragraph each.
    pub body: Vec<String>,
    /// "Nơi nhận:" and its lines.
    pub recipients_head: String,
    pub recipients: Vec<String>,
    /// "TM. BAN CHẤP HÀNH".
    pub signer: String,
    pub file_name: String,
    pub caption: String,
}

/// Where a target unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Pending,
    Submitted,
    Returned,
}

/// Message ids of the compiled report's first export columns (unit, status, submitted
/// at); the items' own labels follow.
pub const EXPORT_COLUMN_IDS: [&str; 3] = ["rq-col-unit", "rq-col-status", "rq-col-submitted-at"];

/// Message ids of a self-assessment's export: its three roll-up columns (registered,
/// assessed, met), then the words for met and not met.
pub const ROLLUP_COLUMN_IDS: [&str; 5] = [
    "rq-col-registered",
    "rq-col-assessed",
    "rq-col-met",
    "rq-col-met-yes",
    "rq-col-met-no",
];

impl TargetStatus {
    /// The message id of its name in the compiled report's export.
    pub fn export_label_id(self) -> &'static str {
        match self {
            TargetStatus::Submitted => "rq-col-submitted",
            TargetStatus::Pending => "rq-col-pending",
            TargetStatus::Returned => "rq-col-returned",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::Pending => "pending",
            TargetStatus::Submitted => "submitted",
            TargetStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(TargetStatus::Pending),
            "submitted" => Some(TargetStatus::Submitted),
            "returned" => Some(TargetStatus::Returned),
            _ => None,
        }
    }
}

/// A request as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestView {
    pub id: i64,
    pub title: String,
    /// The unit that asks.
    pub unit_name: String,
    pub deadline_at: i64,
    pub items: Vec<ReportItem>,
    /// The request from the level above that this one passes down.
    pub parent_id: Option<i64>,
    pub mode: RequestMode,
    pub closed_at: Option<i64>,
    /// For a self-assessment: its registration.
    pub assesses: Option<i64>,
}

/// A request the member may fill for their unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToFill {
    pub request: RequestView,
    pub unit_id: i64,
    pub status: TargetStatus,
    pub note: Option<String>,
    /// Saved half-way.
    pub draft: Option<Vec<Option<Answer>>>,
    /// The unit's current report.
    pub submitted: Option<Vec<Option<Answer>>>,
    /// The unit already passed it down to the units below.
    pub passed_down: bool,
}

/// One target unit in the compiled result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    pub unit_id: i64,
    pub name: String,
    pub status: TargetStatus,
    pub submitted_at: Option<i64>,
    pub answers: Vec<Option<Answer>>,
}

/// Per item, over the units' current reports (summed in SQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemTotal {
    /// Numbers: their sum; yes/no: the yeses.
    pub sum: i64,
    /// Units that answered the item.
    pub answered: i64,
}

/// The compiled result of one request, for its requester.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledReport {
    pub request: RequestView,
    pub rows: Vec<TargetRow>,
    pub totals: Vec<ItemTotal>,
    /// Per item, for choices: the units that chose each option (empty otherwise).
    pub choice_counts: Vec<Vec<i64>>,
    /// To whom the compiled result goes: the unit that asked the level above, else the
    /// parent unit.
    pub addressee: Option<String>,
    /// For a self-assessment: per unit, registered / assessed / met.
    pub rollup: Vec<RegistrationRow>,
    /// For a registration: its self-assessment, once asked.
    pub assessment: Option<i64>,
}

/// One unit of a registration's roll-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRow {
    pub name: String,
    pub registered: bool,
    pub assessed: bool,
    /// Both submitted: whether every registered target was reached.
    pub met: Option<bool>,
}

/// Whether a self-assessment reaches what was registered, item by item: a number at
/// least the one registered, a "yes" where "yes" was registered, a choice as good or
/// better (options are listed best first); texts are not compared.
pub fn meets(
    items: &[ReportItem],
    registered: &[Option<Answer>],
    assessed: &[Option<Answer>],
) -> bool {
    items.iter().enumerate().all(|(i, _)| {
        match (
            registered.get(i).cloned().flatten(),
            assessed.get(i).cloned().flatten(),
        ) {
            (Some(Answer::Number(r)), Some(Answer::Number(a))) => a >= r,
            (Some(Answer::YesNo(r)), Some(Answer::YesNo(a))) => a || !r,
            (Some(Answer::Choice(r)), Some(Answer::Choice(a))) => a <= r,
            (Some(Answer::Text(_)), _) | (None, _) => true,
            _ => false,
        }
    })
}

/// What the processor looked up for this flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportFacts {
    /// Open requests the member may fill for their own unit, soonest deadline first.
    pub to_fill: Vec<ToFill>,
    /// Open requests made in the officer's subtree, newest first.
    pub mine: Vec<RequestView>,
    /// The compiled result the step or button names, if the officer may see it.
    pub compiled: Option<CompiledReport>,
    /// Kinds of units further down the officer's subtree (below the direct children),
    /// with how many units of each kind the subtree holds.
    pub kinds: Vec<(String, i64)>,
}

fn action(data: &str) -> Option<ReportAction> {
    data.parse().ok()
}

/// The request a step or button names, for the compiled view.
fn named_request(step: &Step, data: Option<&str>) -> Option<i64> {
    if let Some(a) = data.and_then(action) {
        return match a {
            ReportAction::View(id)
            | ReportAction::Export(id)
            | ReportAction::Return(id)
            | ReportAction::Forward(id)
            | ReportAction::Close(id)
            | ReportAction::Letter(id)
            | ReportAction::Assess(id) => Some(id),
            ReportAction::ReturnUnit { request_id, .. } => Some(request_id),
            _ => None,
        };
    }
    match step {
        Step::Report(
            ReportStep::View { request_id }
            | ReportStep::ReturnPick { request_id }
            | ReportStep::ReturnNote { request_id, .. },
        ) => Some(*request_id),
        _ => None,
    }
}

pub(super) fn needs(ev: &InboundEvent, step: &Step, n: &mut Needs) {
    // The child units: for the menu (passing a request down) and choosing targets.
    let with_children = matches!(
        step,
        Step::Report(
            ReportStep::Menu { .. } | ReportStep::Deadline { .. } | ReportStep::Targets { .. }
        )
    );
    // In one of this flow's steps, whatever comes (another flow's button too) may need
    // the question asked again.
    if matches!(step, Step::Report(_)) {
        n.reports = true;
        n.report = n.report.or(named_request(step, None));
    }
    n.report_kinds |= with_children;
    match &ev.payload {
        Payload::Text { text } => match split_command(text.trim()) {
            Some((cmd, _)) if cmd == "baocao" => {
                n.reports = true;
                n.officer_units = true;
            }
            Some(_) => {}
            None if matches!(step, Step::Report(_)) => {
                n.reports = true;
                n.report = named_request(step, None);
                if let Step::Report(ReportStep::Menu { choices }) = step
                    && let Some([i]) = typed_numbers(text, choices.len()).as_deref()
                {
                    n.report = named_request(step, Some(&choices[i - 1]));
                }
                n.officer_units |= with_children;
            }
            None => {}
        },
        Payload::Button { data, .. } if data.starts_with("rq:") => {
            n.reports = true;
            n.report = named_request(step, Some(data)).or(n.report);
            n.officer_units |= with_children || data.starts_with("rq:down:");
        }
        _ => {}
    }
}

/// "12", "1.200", "1 200" (thousands grouped by three) as a whole number.
pub fn parse_number(text: &str) -> Option<i64> {
    let t = text.trim();
    let groups: Vec<&str> = t.split(['.', ' ', ',']).collect();
    let digits = if groups.len() > 1 {
        let grouped = groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3);
        if !grouped {
            return None;
        }
        groups.concat()
    } else {
        t.to_string()
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().filter(|n| *n <= MAX_NUMBER)
}

/// The reminder due for a request with this deadline at `now`, between 8:00 and 20:00
/// Asia/Ho_Chi_Minh: `Some(Some(days))` 3 days before, the day before and on the day
/// (0), `Some(None)` the overdue list once the deadline has passed. The caller sends each
/// at most once per request.
pub fn reminder_due(deadline_at: i64, now: i64) -> Option<Option<i64>> {
    use chrono::{TimeZone, Timelike, Utc};
    let local = Utc
        .timestamp_millis_opt(now)
        .single()?
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    if local.hour() < REMIND_FROM_HOUR || local.hour() >= REMIND_UNTIL_HOUR {
        return None;
    }
    if now > deadline_at {
        return Some(None);
    }
    let days = (local_date(deadline_at) - local.date_naive()).num_days();
    [3, 1, 0].contains(&days).then_some(Some(days))
}

fn say(cx: &mut Ctx, id: &str) {
    let msg = cx.t(id);
    cx.say(msg);
}

/// Options shown as buttons (labels without numbers) and described by keywords in the
/// text: for questions whose answer is typed (a number would be taken as an option).
fn ask_with_keywords(cx: &mut Ctx, text: String, options: &[(String, String)]) {
    let buttons = if cx.ev.channel.has_buttons() {
        options
            .iter()
            .map(|(data, label)| {
                vec![Button {
                    label: label.clone(),
                    data: data.clone(),
                }]
            })
            .collect()
    } else {
        vec![]
    };
    cx.replies.push(Reply {
        chat_id: cx.ev.chat_id.clone(),
        body: Outbound::Message { text, buttons },
    });
}

/// `/baocao`: the menu (new request, requests to fill, results of one's own requests).
fn menu(cx: &mut Ctx) {
    let options = menu_options(cx);
    if options.is_empty() {
        return say(cx, "rq-none");
    }
    cx.conv.step = Step::Report(ReportStep::Menu {
        choices: options.iter().map(|(d, _)| d.clone()).collect(),
    });
    let text = cx.t("rq-menu");
    cx.ask_owned(text, &options);
}

fn menu_options(cx: &Ctx) -> Vec<(String, String)> {
    let mut options = vec![];
    if is_officer(cx.facts) {
        options.push((ReportAction::New.to_string(), cx.t("rq-new")));
    }
    for f in cx.facts.reports.to_fill.iter().take(MAX_LISTED) {
        if once_done(f) {
            continue;
        }
        let key = match f.status {
            TargetStatus::Submitted => "rq-menu-fill-again",
            _ => "rq-menu-fill",
        };
        options.push((
            ReportAction::Fill(f.request.id).to_string(),
            tr!(
                cx.i18n,
                cx.lang,
                key,
                title = short(&f.request.title),
                deadline = format_date(f.request.deadline_at)
            ),
        ));
    }
    if is_officer(cx.facts) {
        for f in cx.facts.reports.to_fill.iter().take(MAX_LISTED) {
            if !f.passed_down
                && f.status != TargetStatus::Submitted
                && !cx.facts.children.is_empty()
            {
                options.push((
                    ReportAction::PassDown(f.request.id).to_string(),
                    tr!(
                        cx.i18n,
                        cx.lang,
                        "rq-menu-pass-down",
                        title = short(&f.request.title)
                    ),
                ));
            }
        }
        for r in cx.facts.reports.mine.iter().take(MAX_LISTED) {
            options.push((
                ReportAction::View(r.id).to_string(),
                tr!(cx.i18n, cx.lang, "rq-menu-view", title = short(&r.title)),
            ));
        }
    }
    options
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

// ---- Preparing a request -------------------------------------------------------------

fn start_new(cx: &mut Ctx) {
    cx.conv.step = Step::Report(ReportStep::Title);
    say(cx, "rq-ask-title");
}

/// A registration the unit has submitted is not filled again (unless sent back).
fn once_done(f: &ToFill) -> bool {
    f.request.mode == RequestMode::Registration && f.status == TargetStatus::Submitted
}

/// The report request a directive being published asks for: its reporting line, a
/// title from the directive's, and the deadline the line names (if still ahead).
pub(super) fn seed_from_directive(cx: &Ctx, draft: &super::Draft) -> Option<ReportSeed> {
    if !is_officer(cx.facts) {
        return None;
    }
    let d: crate::core::directive::Directive = serde_json::from_str(&draft.facts).ok()?;
    let line = d.reporting.clone()?;
    let deadline_at = d
        .reporting_deadline()
        .and_then(|date| crate::core::calendar::local_time_ms(date.succ_opt()?, 0))
        .map(|ms| ms - 1)
        .filter(|at| *at > cx.facts.now_ms)
        .unwrap_or(0);
    let title: String = tr!(
        cx.i18n,
        cx.lang,
        "rq-title-from-directive",
        title = draft.title.clone()
    )
    .chars()
    .take(MAX_TITLE_CHARS)
    .collect();
    Some(ReportSeed {
        draft: RequestDraft {
            title,
            deadline_at,
            ..RequestDraft::default()
        },
        line: line.chars().take(400).collect(),
    })
}

/// Offer to prepare the report request a published directive asks for.
pub(super) fn offer(cx: &mut Ctx, seed: ReportSeed) {
    let deadline = if seed.draft.deadline_at > 0 {
        format_date(seed.draft.deadline_at)
    } else {
        cx.t("rq-offer-no-deadline")
    };
    let text = tr!(
        cx.i18n,
        cx.lang,
        "rq-offer",
        line = esc(&seed.line),
        title = esc(&seed.draft.title),
        deadline = deadline
    );
    cx.conv.step = Step::Report(ReportStep::Offer { seed });
    let options = [
        (ReportAction::Seed.to_string(), cx.t("rq-offer-yes")),
        (ReportAction::Cancel.to_string(), cx.t("rq-offer-skip")),
    ];
    cx.ask_owned(text, &options);
}

fn ask_item(cx: &mut Ctx, draft: RequestDraft) {
    let n = draft.items.len() as i64 + 1;
    let text = if draft.items.is_empty() {
        tr!(
            cx.i18n,
            cx.lang,
            "rq-ask-item-first",
            max = MAX_ITEMS as i64
        )
    } else {
        tr!(cx.i18n, cx.lang, "rq-ask-item-next", n = n)
    };
    cx.conv.step = Step::Report(ReportStep::ItemLabel { draft });
    if n > 1 {
        let options = [(ReportAction::ItemsDone.to_string(), cx.t("rq-items-done"))];
        ask_with_keywords(cx, text, &options);
    } else {
        cx.say(text);
    }
}

fn ask_kind(cx: &mut Ctx, draft: RequestDraft, label: String) {
    let text = tr!(cx.i18n, cx.lang, "rq-ask-kind", label = esc(&label));
    cx.conv.step = Step::Report(ReportStep::ItemKind { draft, label });
    let options: Vec<(String, String)> = ItemKind::ALL
        .iter()
        .map(|k| (ReportAction::Kind(*k).to_string(), cx.t(k.label_id())))
        .collect();
    cx.ask_owned(text, &options);
}

fn ask_deadline(cx: &mut Ctx, draft: RequestDraft) {
    if draft.deadline_at > cx.facts.now_ms {
        let date = format_date(draft.deadline_at);
        let text = tr!(
            cx.i18n,
            cx.lang,
            "rq-ask-deadline-keep",
            deadline = date.clone()
        );
        let options = [(
            ReportAction::KeepDeadline.to_string(),
            tr!(cx.i18n, cx.lang, "rq-keep-deadline", deadline = date),
        )];
        cx.conv.step = Step::Report(ReportStep::Deadline { draft });
        return ask_with_keywords(cx, text, &options);
    }
    cx.conv.step = Step::Report(ReportStep::Deadline { draft });
    say(cx, "rq-ask-deadline");
}

/// After the deadline: the targets, except for a self-assessment (its registration's).
fn after_deadline(cx: &mut Ctx, draft: RequestDraft) {
    if draft.mode == RequestMode::Assessment {
        ask_confirm(cx, draft)
    } else {
        ask_targets(cx, draft)
    }
}

/// A unit kind's name: the known kinds by their label, others as written.
fn kind_name(cx: &Ctx, kind: &str) -> String {
    if crate::core::actions::UNIT_KINDS.contains(&kind) {
        cx.t(&format!("unit-kind-{}", kind.replace('_', "-")))
    } else {
        esc(kind)
    }
}

/// The kinds offered as targets (not too many units each).
fn offered_kinds(cx: &Ctx) -> Vec<(String, i64)> {
    cx.facts
        .reports
        .kinds
        .iter()
        .filter(|(_, n)| *n <= MAX_KIND_TARGETS)
        .take(MAX_KINDS)
        .cloned()
        .collect()
}

fn ask_targets(cx: &mut Ctx, draft: RequestDraft) {
    if cx.facts.children.is_empty() {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-no-children");
    }
    let mut lines = vec![cx.t("rq-ask-targets")];
    let mut options = vec![(ReportAction::AllUnits.to_string(), cx.t("rq-targets-all"))];
    for u in cx.facts.children.iter().take(MAX_TARGETS) {
        let mark = if draft.units.contains(&u.id) {
            "☑"
        } else {
            "☐"
        };
        options.push((
            ReportAction::Unit(u.id).to_string(),
            format!("{mark} {}", u.name),
        ));
    }
    for (i, (kind, n)) in offered_kinds(cx).iter().enumerate() {
        options.push((
            ReportAction::UnitKind(i as i64).to_string(),
            tr!(
                cx.i18n,
                cx.lang,
                "rq-targets-kind",
                kind = kind_name(cx, kind),
                count = *n
            ),
        ));
    }
    if !draft.units.is_empty() {
        lines.push(tr!(
            cx.i18n,
            cx.lang,
            "rq-targets-chosen",
            count = draft.units.len() as i64
        ));
        options.push((ReportAction::UnitsDone.to_string(), cx.t("rq-targets-done")));
    }
    cx.conv.step = Step::Report(ReportStep::Targets { draft });
    cx.ask_owned(lines.join("\n"), &options);
}

fn target_names(cx: &Ctx, draft: &RequestDraft) -> String {
    if let Some(kind) = &draft.kind {
        let count = cx
            .facts
            .reports
            .kinds
            .iter()
            .find(|(k, _)| k == kind)
            .map_or(0, |(_, n)| *n);
        return tr!(
            cx.i18n,
            cx.lang,
            "rq-targets-kind",
            kind = kind_name(cx, kind),
            count = count
        );
    }
    if draft.mode == RequestMode::Assessment {
        return tr!(
            cx.i18n,
            cx.lang,
            "rq-targets-registered",
            count = draft.units.len() as i64
        );
    }
    let units = &draft.units;
    cx.facts
        .children
        .iter()
        .filter(|u| units.contains(&u.id))
        .map(|u| esc(&u.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ask_confirm(cx: &mut Ctx, draft: RequestDraft) {
    let items: Vec<String> = draft
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            format!(
                "{}. {} ({})",
                i + 1,
                esc(&it.label),
                cx.t(it.kind.label_id())
            )
        })
        .collect();
    let text = tr!(
        cx.i18n,
        cx.lang,
        "rq-confirm",
        title = esc(&draft.title),
        items = items.join("\n"),
        deadline = format_date(draft.deadline_at),
        units = target_names(cx, &draft)
    );
    let text = format!(
        "{text}\n{}",
        tr!(
            cx.i18n,
            cx.lang,
            "rq-mode-line",
            mode = cx.t(draft.mode.label_id())
        )
    );
    let mut options = vec![
        (ReportAction::Send.to_string(), cx.t("rq-send")),
        (ReportAction::Cancel.to_string(), cx.t("directive-cancel")),
    ];
    if mode_switchable(&draft) {
        let to = match draft.mode {
            RequestMode::Registration => RequestMode::Report,
            _ => RequestMode::Registration,
        };
        options.push((
            ReportAction::Mode.to_string(),
            tr!(
                cx.i18n,
                cx.lang,
                "rq-mode-switch",
                mode = cx.t(to.label_id())
            ),
        ));
    }
    cx.conv.step = Step::Report(ReportStep::Confirm { draft });
    cx.ask_owned(text, &options);
}

/// A new request of one's own may be a report or a registration; one passed down or a
/// self-assessment keeps what it is.
fn mode_switchable(draft: &RequestDraft) -> bool {
    draft.parent.is_none() && draft.mode != RequestMode::Assessment
}

/// Parse "30/11/2026" into the end of that local day.
fn parse_deadline(text: &str) -> Option<i64> {
    super::commitments::parse_deadline(text)
}

// ---- Filling -------------------------------------------------------------------------

fn find_fill(cx: &Ctx, request_id: i64) -> Option<ToFill> {
    cx.facts
        .reports
        .to_fill
        .iter()
        .find(|f| f.request.id == request_id)
        .cloned()
}

/// Start or continue filling request `id`: from the saved draft, else the unit's current
/// report, else blank; at the first unanswered item.
fn start_fill(cx: &mut Ctx, id: i64) {
    let Some(f) = find_fill(cx, id) else {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-not-for-you");
    };
    if once_done(&f) {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-registered-once");
    }
    if f.status == TargetStatus::Submitted && cx.facts.now_ms > f.request.deadline_at {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-too-late");
    }
    let n = f.request.items.len();
    let mut answers: Vec<Option<Answer>> = f
        .draft
        .clone()
        .or_else(|| f.submitted.clone())
        .unwrap_or_default();
    answers.resize(n, None);
    for (a, item) in answers.iter_mut().zip(&f.request.items) {
        if a.as_ref().is_some_and(|x| !x.fits(item.kind)) {
            *a = None;
        }
    }
    let mut head = tr!(
        cx.i18n,
        cx.lang,
        "rq-fill-head",
        title = esc(&f.request.title),
        unit = esc(&f.request.unit_name),
        deadline = format_date(f.request.deadline_at),
        count = n as i64
    );
    if let (TargetStatus::Returned, Some(note)) = (f.status, &f.note) {
        head.push('\n');
        head.push_str(&tr!(cx.i18n, cx.lang, "rq-fill-returned", note = esc(note)));
    }
    cx.say(head);
    match answers.iter().position(Option::is_none) {
        Some(index) => ask_answer(cx, &f, index, answers),
        None => ask_review(cx, &f, answers),
    }
}

fn show_answer(cx: &Ctx, item: &ReportItem, a: &Option<Answer>) -> String {
    match a {
        None => cx.t("rq-no-answer"),
        Some(Answer::Number(n)) => n.to_string(),
        Some(Answer::YesNo(b)) => cx.t(if *b { "rq-yes" } else { "rq-no" }),
        Some(Answer::Text(t)) => esc(t),
        Some(Answer::Choice(i)) => usize::try_from(*i)
            .ok()
            .and_then(|i| item.options.get(i))
            .map(|o| esc(o))
            .unwrap_or_default(),
    }
}

/// The options offered for an item, in order (a typed number picks one): a choice's
/// options or yes/no, then keeping the earlier answer, then stopping.
fn answer_options(cx: &Ctx, item: &ReportItem, current: &Option<Answer>) -> Vec<(String, String)> {
    let mut options = vec![];
    match item.kind {
        ItemKind::YesNo => {
            options.push((ReportAction::Yes.to_string(), cx.t("rq-yes")));
            options.push((ReportAction::No.to_string(), cx.t("rq-no")));
        }
        ItemKind::Choice => {
            for (i, o) in item.options.iter().enumerate() {
                options.push((ReportAction::Opt(i as i64).to_string(), o.clone()));
            }
        }
        _ => {}
    }
    if current.is_some() {
        options.push((
            ReportAction::Keep.to_string(),
            tr!(
                cx.i18n,
                cx.lang,
                "rq-keep",
                answer = show_answer(cx, item, current)
            ),
        ));
    }
    options.push((ReportAction::Pause.to_string(), cx.t("rq-pause")));
    options
}

fn ask_answer(cx: &mut Ctx, f: &ToFill, index: usize, answers: Vec<Option<Answer>>) {
    let Some(item) = f.request.items.get(index).cloned() else {
        return ask_review(cx, f, answers);
    };
    let mut text = tr!(
        cx.i18n,
        cx.lang,
        "rq-item",
        n = index as i64 + 1,
        count = f.request.items.len() as i64,
        label = esc(&item.label)
    );
    let current = answers.get(index).cloned().flatten();
    let options = answer_options(cx, &item, &current);
    let picked = matches!(item.kind, ItemKind::YesNo | ItemKind::Choice);
    if !picked {
        text.push('\n');
        text.push_str(&cx.t(match item.kind {
            ItemKind::Number => "rq-hint-number",
            _ => "rq-hint-text",
        }));
    }
    cx.conv.step = Step::Report(ReportStep::Fill {
        request_id: f.request.id,
        unit_id: f.unit_id,
        index,
        answers,
    });
    if picked {
        cx.ask_owned(text, &options);
    } else {
        text.push('\n');
        text.push_str(&cx.t(if current.is_some() {
            "rq-hint-keep-stop"
        } else {
            "rq-hint-stop"
        }));
        ask_with_keywords(cx, text, &options);
    }
}

fn ask_review(cx: &mut Ctx, f: &ToFill, answers: Vec<Option<Answer>>) {
    let lines: Vec<String> = f
        .request
        .items
        .iter()
        .zip(&answers)
        .enumerate()
        .map(|(i, (item, a))| {
            format!(
                "{}. {}: <b>{}</b>",
                i + 1,
                esc(&item.label),
                show_answer(cx, item, a)
            )
        })
        .collect();
    let text = tr!(
        cx.i18n,
        cx.lang,
        "rq-review",
        title = esc(&f.request.title),
        answers = lines.join("\n")
    );
    cx.conv.step = Step::Report(ReportStep::Review {
        request_id: f.request.id,
        unit_id: f.unit_id,
        answers,
    });
    let options = [
        (ReportAction::Submit.to_string(), cx.t("rq-submit")),
        (ReportAction::Redo.to_string(), cx.t("rq-redo")),
        (ReportAction::Pause.to_string(), cx.t("rq-pause")),
    ];
    cx.ask_owned(text, &options);
}

/// Record `answer` for the item asked and go on to the next unanswered one.
fn answered(
    cx: &mut Ctx,
    f: &ToFill,
    index: usize,
    mut answers: Vec<Option<Answer>>,
    answer: Option<Answer>,
) {
    if let Some(a) = answer
        && let Some(slot) = answers.get_mut(index)
    {
        *slot = Some(a);
    }
    cx.effects.push(Effect::Report(ReportEffect::SaveDraft {
        request_id: f.request.id,
        unit_id: f.unit_id,
        answers: answers.clone(),
    }));
    let next = (index + 1..answers.len()).next();
    match next {
        Some(i) => ask_answer(cx, f, i, answers),
        None => ask_review(cx, f, answers),
    }
}

fn pause(cx: &mut Ctx, f: &ToFill, answers: Vec<Option<Answer>>) {
    cx.effects.push(Effect::Report(ReportEffect::SaveDraft {
        request_id: f.request.id,
        unit_id: f.unit_id,
        answers,
    }));
    cx.conv.step = Step::Idle;
    say(cx, "rq-paused");
}

fn submit(cx: &mut Ctx, f: &ToFill, answers: Vec<Option<Answer>>) {
    cx.conv.step = Step::Idle;
    if answers.len() != f.request.items.len() || answers.iter().any(Option::is_none) {
        return say(cx, "rq-incomplete");
    }
    if once_done(f) {
        return say(cx, "rq-registered-once");
    }
    if f.status == TargetStatus::Submitted && cx.facts.now_ms > f.request.deadline_at {
        return say(cx, "rq-too-late");
    }
    cx.effects.push(Effect::Report(ReportEffect::Submit {
        request_id: f.request.id,
        unit_id: f.unit_id,
        answers,
    }));
    let key = if f.status == TargetStatus::Submitted {
        "rq-submitted-again"
    } else {
        "rq-submitted"
    };
    let msg = tr!(cx.i18n, cx.lang, key, title = esc(&f.request.title));
    cx.say(msg);
}

// ---- The requester's view ------------------------------------------------------------

/// The compiled result as text: statuses, then each item's total or the units' answers.
fn render_compiled(cx: &Ctx, c: &CompiledReport) -> String {
    let submitted = c
        .rows
        .iter()
        .filter(|r| r.status == TargetStatus::Submitted)
        .count() as i64;
    let mut lines = vec![tr!(
        cx.i18n,
        cx.lang,
        "rq-view-head",
        title = esc(&c.request.title),
        deadline = format_date(c.request.deadline_at),
        done = submitted,
        total = c.rows.len() as i64
    )];
    if c.request.mode != RequestMode::Report {
        lines.push(cx.t(c.request.mode.label_id()));
    }
    if let Some(at) = c.request.closed_at {
        lines.push(tr!(
            cx.i18n,
            cx.lang,
            "rq-closed-on",
            date = format_date(at)
        ));
    }
    // Many units (every unit of a kind): those that have submitted are counted in the
    // heading and listed only in the files.
    let many = c.rows.len() > MAX_TARGETS;
    let mut hidden = 0i64;
    for r in &c.rows {
        if many && (r.status == TargetStatus::Submitted || lines.len() > MAX_TARGETS) {
            hidden += 1;
            continue;
        }
        let status = match r.status {
            TargetStatus::Submitted => tr!(
                cx.i18n,
                cx.lang,
                "rq-status-submitted",
                date = r.submitted_at.map(format_date).unwrap_or_default()
            ),
            TargetStatus::Pending if cx.facts.now_ms > c.request.deadline_at => {
                cx.t("rq-status-overdue")
            }
            TargetStatus::Pending => cx.t("rq-status-pending"),
            TargetStatus::Returned => cx.t("rq-status-returned"),
        };
        lines.push(format!("• {}: {status}", esc(&r.name)));
    }
    if hidden > 0 {
        lines.push(tr!(cx.i18n, cx.lang, "rq-more-units", count = hidden));
    }
    for (i, item) in c.request.items.iter().enumerate() {
        let total = c.totals.get(i).copied().unwrap_or_default();
        lines.push(String::new());
        lines.push(format!("<b>{}. {}</b>", i + 1, esc(&item.label)));
        match item.kind {
            ItemKind::Number => lines.push(tr!(
                cx.i18n,
                cx.lang,
                "rq-total-number",
                sum = total.sum,
                units = total.answered
            )),
            ItemKind::YesNo => lines.push(tr!(
                cx.i18n,
                cx.lang,
                "rq-total-yes-no",
                yes = total.sum,
                no = total.answered - total.sum
            )),
            ItemKind::Choice => {
                let counts = c.choice_counts.get(i).cloned().unwrap_or_default();
                let parts: Vec<String> = item
                    .options
                    .iter()
                    .enumerate()
                    .map(|(k, o)| format!("{}: {}", esc(o), counts.get(k).copied().unwrap_or(0)))
                    .collect();
                lines.push(parts.join(", "));
            }
            ItemKind::Text => {
                let texts: Vec<String> = c
                    .rows
                    .iter()
                    .filter_map(|r| match r.answers.get(i) {
                        Some(Some(Answer::Text(t))) => {
                            Some(format!("– {}: {}", esc(&r.name), esc(t)))
                        }
                        _ => None,
                    })
                    .collect();
                let more = texts.len().saturating_sub(MAX_TARGETS) as i64;
                lines.extend(texts.into_iter().take(MAX_TARGETS));
                if more > 0 {
                    lines.push(tr!(cx.i18n, cx.lang, "rq-more-units", count = more));
                }
                if total.answered == 0 {
                    lines.push(cx.t("rq-no-answer"));
                }
            }
        }
    }
    if !c.rollup.is_empty() {
        lines.push(String::new());
        lines.push(rollup_head(cx, c));
        for r in c.rollup.iter().take(MAX_TARGETS) {
            let mark = |b: bool| if b { "✓" } else { "–" };
            let met = match r.met {
                Some(true) => cx.t("rq-met-yes"),
                Some(false) => cx.t("rq-met-no"),
                None => "–".to_string(),
            };
            lines.push(tr!(
                cx.i18n,
                cx.lang,
                "rq-rollup-row",
                unit = esc(&r.name),
                registered = mark(r.registered),
                assessed = mark(r.assessed),
                met = met
            ));
        }
    }
    lines.join("\n")
}

/// "Đăng ký 2 / tự đánh giá 2 / đạt 1 (trên 3 đơn vị)".
fn rollup_head(cx: &Ctx, c: &CompiledReport) -> String {
    let count =
        |f: &dyn Fn(&RegistrationRow) -> bool| c.rollup.iter().filter(|r| f(r)).count() as i64;
    tr!(
        cx.i18n,
        cx.lang,
        "rq-rollup-head",
        registered = count(&|r| r.registered),
        assessed = count(&|r| r.assessed),
        met = count(&|r| r.met == Some(true)),
        total = c.rollup.len() as i64
    )
}

fn view(cx: &mut Ctx, id: i64) {
    let Some(c) = cx
        .facts
        .reports
        .compiled
        .clone()
        .filter(|c| c.request.id == id)
    else {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-not-found");
    };
    let text = render_compiled(cx, &c);
    cx.say(text);
    let options: Vec<(String, String)> = view_options(cx, &c)
        .into_iter()
        .map(|a| {
            let label = cx.t(match a {
                ReportAction::Forward(_) => "rq-forward",
                ReportAction::Export(_) => "rq-export",
                ReportAction::Letter(_) => "rq-letter",
                ReportAction::Close(_) => "rq-close",
                ReportAction::Assess(_) => "rq-assess",
                _ => "rq-return",
            });
            (a.to_string(), label)
        })
        .collect();
    cx.conv.step = Step::Report(ReportStep::View { request_id: id });
    if !options.is_empty() {
        let q = cx.t("rq-view-what");
        cx.ask_owned(q, &options);
    }
}

/// What the requester may do with a compiled result, in the order offered: send it up
/// (when it passes down a request to their own unit that may still be answered), the
/// .xlsx (where files can be sent), send a unit's report back.
fn view_options(cx: &Ctx, c: &CompiledReport) -> Vec<ReportAction> {
    let mut options = vec![];
    let open = c.request.closed_at.is_none();
    if let Some(parent) = c.request.parent_id
        && find_fill(cx, parent).is_some_and(|f| {
            f.status != TargetStatus::Submitted || cx.facts.now_ms <= f.request.deadline_at
        })
    {
        options.push(ReportAction::Forward(c.request.id));
    }
    if cx.ev.channel.can_send_files() {
        options.push(ReportAction::Export(c.request.id));
    }
    if open && c.rows.iter().any(|r| r.status == TargetStatus::Submitted) {
        options.push(ReportAction::Return(c.request.id));
    }
    if cx.ev.channel.can_send_files() {
        options.push(ReportAction::Letter(c.request.id));
    }
    if open {
        options.push(ReportAction::Close(c.request.id));
    }
    if c.request.mode == RequestMode::Registration && c.assessment.is_none() {
        options.push(ReportAction::Assess(c.request.id));
    }
    options
}

/// Close request `id`: no more submissions, no more reminders.
fn close(cx: &mut Ctx, id: i64) {
    let Some(c) = cx
        .facts
        .reports
        .compiled
        .clone()
        .filter(|c| c.request.id == id && c.request.closed_at.is_none())
    else {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-not-found");
    };
    cx.effects
        .push(Effect::Report(ReportEffect::Close { request_id: id }));
    cx.conv.step = Step::Idle;
    let msg = tr!(cx.i18n, cx.lang, "rq-closed", title = esc(&c.request.title));
    cx.say(msg);
}

/// Ask the units of registration `id` for their self-assessment: same items and units,
/// a deadline of its own.
fn assess(cx: &mut Ctx, id: i64) {
    let Some(c) = cx.facts.reports.compiled.clone().filter(|c| {
        c.request.id == id && c.request.mode == RequestMode::Registration && c.assessment.is_none()
    }) else {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-not-found");
    };
    let title: String = tr!(
        cx.i18n,
        cx.lang,
        "rq-assess-title",
        title = c.request.title.clone()
    )
    .chars()
    .take(MAX_TITLE_CHARS)
    .collect();
    let msg = tr!(cx.i18n, cx.lang, "rq-assess-start", title = esc(&title));
    cx.say(msg);
    ask_deadline(
        cx,
        RequestDraft {
            title,
            items: c.request.items.clone(),
            units: c.rows.iter().map(|r| r.unit_id).collect(),
            mode: RequestMode::Assessment,
            assesses: Some(id),
            ..RequestDraft::default()
        },
    );
}

/// The compiled result as a short letter in the usual layout (plain text, no HTML).
fn letter(cx: &mut Ctx, id: i64) {
    let Some(c) = cx
        .facts
        .reports
        .compiled
        .clone()
        .filter(|c| c.request.id == id)
    else {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-not-found");
    };
    let submitted = c
        .rows
        .iter()
        .filter(|r| r.status == TargetStatus::Submitted)
        .count() as i64;
    let date = crate::core::calendar::local_date(cx.facts.now_ms);
    use chrono::Datelike;
    let mut body = vec![tr!(
        cx.i18n,
        cx.lang,
        "rq-letter-intro",
        title = c.request.title.clone(),
        unit = c.request.unit_name.clone(),
        done = submitted,
        total = c.rows.len() as i64
    )];
    for (i, item) in c.request.items.iter().enumerate() {
        let total = c.totals.get(i).copied().unwrap_or_default();
        let value = match item.kind {
            ItemKind::Number => tr!(
                cx.i18n,
                cx.lang,
                "rq-letter-number",
                sum = total.sum,
                units = total.answered
            ),
            ItemKind::YesNo => tr!(
                cx.i18n,
                cx.lang,
                "rq-letter-yes-no",
                yes = total.sum,
                no = total.answered - total.sum
            ),
            ItemKind::Choice => {
                let counts = c.choice_counts.get(i).cloned().unwrap_or_default();
                item.options
                    .iter()
                    .enumerate()
                    .map(|(k, o)| format!("{o}: {}", counts.get(k).copied().unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            ItemKind::Text => {
                let texts: Vec<String> = c
                    .rows
                    .iter()
                    .filter_map(|r| match r.answers.get(i) {
                        Some(Some(Answer::Text(t))) => Some(format!("{}: {t}", r.name)),
                        _ => None,
                    })
                    .collect();
                if texts.is_empty() {
                    cx.t("rq-no-answer")
                } else {
                    texts.join("; ")
                }
            }
        };
        body.push(format!("{}. {}: {value}", i + 1, item.label));
    }
    if !c.rollup.is_empty() {
        body.push(rollup_head(cx, &c));
    }
    let pending: Vec<String> = c
        .rows
        .iter()
        .filter(|r| r.status != TargetStatus::Submitted)
        .map(|r| r.name.clone())
        .collect();
    if !pending.is_empty() {
        body.push(tr!(
            cx.i18n,
            cx.lang,
            "rq-letter-pending",
            units = pending.join(", ")
        ));
    }
    let letter = Letter {
        from: c.request.unit_name.to_uppercase(),
        motto: vec![cx.t("rq-letter-motto-1"), cx.t("rq-letter-motto-2")],
        date_line: tr!(
            cx.i18n,
            cx.lang,
            "rq-letter-date",
            day = date.day() as i64,
            month = date.month() as i64,
            year = date.year() as i64
        ),
        heading: cx.t("rq-letter-heading"),
        subject: c.request.title.clone(),
        to: c
            .addressee
            .clone()
            .map(|a| tr!(cx.i18n, cx.lang, "rq-letter-to", unit = a)),
        body,
        recipients_head: cx.t("rq-letter-recipients"),
        recipients: vec![
            cx.t("rq-letter-recipient-above"),
            cx.t("rq-letter-recipient-file"),
        ],
        signer: cx.t("rq-letter-signer"),
        file_name: format!("bao-cao-{id}.docx"),
        caption: tr!(
            cx.i18n,
            cx.lang,
            "rq-letter-caption",
            title = esc(&c.request.title)
        ),
    };
    cx.effects.push(Effect::Report(ReportEffect::Letter {
        request_id: id,
        letter,
    }));
}

/// The parent request of `id`, filled with the compiled result: numbers summed, texts
/// listed per unit; yes/no left for this level to answer. Then the usual questions, so
/// the officer adds their own unit's part before submitting.
fn forward(cx: &mut Ctx, id: i64) {
    let compiled = cx
        .facts
        .reports
        .compiled
        .clone()
        .filter(|c| c.request.id == id);
    let Some((c, f)) = compiled.and_then(|c| {
        let f = find_fill(cx, c.request.parent_id?)?;
        Some((c, f))
    }) else {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-not-found");
    };
    let answers: Vec<Option<Answer>> = f
        .request
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let total = c.totals.get(i).copied().unwrap_or_default();
            match item.kind {
                ItemKind::Number if total.answered > 0 => Some(Answer::Number(total.sum)),
                ItemKind::Text => {
                    let lines: Vec<String> = c
                        .rows
                        .iter()
                        .filter_map(|r| match r.answers.get(i) {
                            Some(Some(Answer::Text(t))) => Some(format!("{}: {t}", r.name)),
                            _ => None,
                        })
                        .collect();
                    let joined: String = lines
                        .join("; ")
                        .chars()
                        .take(MAX_TEXT_ANSWER_CHARS)
                        .collect();
                    (!joined.is_empty()).then_some(Answer::Text(joined))
                }
                _ => None,
            }
        })
        .collect();
    cx.effects.push(Effect::Report(ReportEffect::SaveDraft {
        request_id: f.request.id,
        unit_id: f.unit_id,
        answers: answers.clone(),
    }));
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "rq-forward-prefilled",
        title = esc(&f.request.title),
        unit = esc(&f.request.unit_name)
    );
    cx.say(msg);
    match answers.iter().position(Option::is_none) {
        Some(index) => ask_answer(cx, &f, index, answers),
        None => ask_review(cx, &f, answers),
    }
}

/// Pass a request to one's own unit down to the units below: the same title and items,
/// a deadline and targets of one's own.
fn pass_down(cx: &mut Ctx, id: i64) {
    let Some(f) = find_fill(cx, id) else {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-not-for-you");
    };
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "rq-pass-down",
        title = esc(&f.request.title),
        deadline = format_date(f.request.deadline_at)
    );
    cx.say(msg);
    ask_deadline(
        cx,
        RequestDraft {
            title: f.request.title.clone(),
            items: f.request.items.clone(),
            parent: Some(id),
            // A registration passed down stays one (a self-assessment goes down as a
            // report whose result is sent up).
            mode: match f.request.mode {
                RequestMode::Registration => RequestMode::Registration,
                _ => RequestMode::Report,
            },
            ..RequestDraft::default()
        },
    );
}

fn ask_return_unit(cx: &mut Ctx, id: i64) {
    let Some(c) = cx
        .facts
        .reports
        .compiled
        .clone()
        .filter(|c| c.request.id == id)
    else {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-not-found");
    };
    let options: Vec<(String, String)> = c
        .rows
        .iter()
        .filter(|r| r.status == TargetStatus::Submitted)
        .map(|r| {
            (
                ReportAction::ReturnUnit {
                    request_id: id,
                    unit_id: r.unit_id,
                }
                .to_string(),
                r.name.clone(),
            )
        })
        .collect();
    if options.is_empty() {
        cx.conv.step = Step::Idle;
        return say(cx, "rq-nothing-to-return");
    }
    cx.conv.step = Step::Report(ReportStep::ReturnPick { request_id: id });
    let q = cx.t("rq-return-which");
    cx.ask_owned(q, &options);
}

fn return_options(cx: &Ctx, id: i64) -> Vec<i64> {
    cx.facts
        .reports
        .compiled
        .iter()
        .filter(|c| c.request.id == id)
        .flat_map(|c| c.rows.iter())
        .filter(|r| r.status == TargetStatus::Submitted)
        .map(|r| r.unit_id)
        .collect()
}

// ---- Input ---------------------------------------------------------------------------

fn on_text(cx: &mut Ctx, text: &str) -> bool {
    let Step::Report(step) = cx.conv.step.clone() else {
        return false;
    };
    let folded = fold(text);
    match step {
        ReportStep::Menu { choices } => match typed_numbers(text, choices.len()).as_deref() {
            Some([i]) => {
                let data = choices[i - 1].clone();
                let step = Step::Report(ReportStep::Menu {
                    choices: choices.clone(),
                });
                on_choice(cx, &step, &data);
            }
            _ => {
                say(cx, "choose-an-option");
                menu(cx);
            }
        },
        ReportStep::Offer { seed } => {
            let data = match typed_numbers(text, 2).as_deref() {
                Some([1]) => ReportAction::Seed,
                Some([2]) => ReportAction::Cancel,
                _ => {
                    // Anything else (another document pasted…) leaves the offer; if no
                    // flow takes it, the offer is asked again.
                    cx.conv.step = Step::Idle;
                    return false;
                }
            };
            on_choice(
                cx,
                &Step::Report(ReportStep::Offer { seed }),
                &data.to_string(),
            );
        }
        ReportStep::Title => {
            let t = text.trim();
            if t.is_empty() || t.chars().count() > MAX_TITLE_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "rq-too-long",
                    max = MAX_TITLE_CHARS as i64
                );
                return {
                    cx.say(msg);
                    true
                };
            }
            ask_item(
                cx,
                RequestDraft {
                    title: t.to_string(),
                    ..RequestDraft::default()
                },
            );
        }
        ReportStep::ItemLabel { draft } => {
            let t = text.trim();
            if !draft.items.is_empty() && ["xong", "done", "hết", "het"].contains(&folded.as_str())
            {
                on_choice(
                    cx,
                    &Step::Report(ReportStep::ItemLabel { draft }),
                    &ReportAction::ItemsDone.to_string(),
                );
                return true;
            }
            if t.is_empty() || t.chars().count() > MAX_LABEL_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "rq-too-long",
                    max = MAX_LABEL_CHARS as i64
                );
                cx.say(msg);
                return true;
            }
            ask_kind(cx, draft, t.to_string());
        }
        ReportStep::ItemKind { draft, label } => {
            match typed_numbers(text, ItemKind::ALL.len()).as_deref() {
                Some([i]) => {
                    let data = ReportAction::Kind(ItemKind::ALL[i - 1]).to_string();
                    on_choice(
                        cx,
                        &Step::Report(ReportStep::ItemKind { draft, label }),
                        &data,
                    );
                }
                _ => {
                    say(cx, "choose-an-option");
                    ask_kind(cx, draft, label);
                }
            }
        }
        ReportStep::ItemOptions { mut draft, label } => {
            let options: Vec<String> = text
                .split([';', '\n'])
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect();
            let fits = (2..=MAX_OPTIONS).contains(&options.len())
                && options
                    .iter()
                    .all(|o| o.chars().count() <= MAX_OPTION_CHARS);
            if !fits {
                say(cx, "rq-bad-options");
                return true;
            }
            draft.items.push(ReportItem {
                label,
                kind: ItemKind::Choice,
                options,
            });
            if draft.items.len() >= MAX_ITEMS {
                ask_deadline(cx, draft);
            } else {
                ask_item(cx, draft);
            }
        }
        ReportStep::Deadline { mut draft } => match parse_deadline(text) {
            Some(at) if at > cx.facts.now_ms => {
                draft.deadline_at = at;
                after_deadline(cx, draft);
            }
            Some(_) => say(cx, "rq-deadline-past"),
            None if KEEP_WORDS.contains(&folded.as_str())
                && draft.deadline_at > cx.facts.now_ms =>
            {
                after_deadline(cx, draft)
            }
            None => ask_deadline(cx, draft),
        },
        ReportStep::Targets { mut draft } => {
            let shown: Vec<i64> = cx
                .facts
                .children
                .iter()
                .take(MAX_TARGETS)
                .map(|u| u.id)
                .collect();
            // 1: all units; 2..: the units as listed, then the kinds; "xong": done.
            if ["xong", "done"].contains(&folded.as_str()) && !draft.units.is_empty() {
                ask_confirm(cx, draft);
                return true;
            }
            let kinds = offered_kinds(cx).len();
            match typed_numbers(text, shown.len() + 1 + kinds) {
                Some(numbers) if numbers == [1] => {
                    draft.kind = None;
                    draft.units = shown;
                    ask_confirm(cx, draft);
                }
                Some(numbers) if numbers.len() == 1 && numbers[0] > shown.len() + 1 => {
                    let data = ReportAction::UnitKind((numbers[0] - shown.len() - 2) as i64);
                    on_choice(
                        cx,
                        &Step::Report(ReportStep::Targets { draft }),
                        &data.to_string(),
                    );
                }
                Some(numbers)
                    if !numbers.contains(&1) && numbers.iter().all(|n| *n <= shown.len() + 1) =>
                {
                    draft.kind = None;
                    for n in numbers {
                        toggle(&mut draft.units, shown[n - 2]);
                    }
                    ask_targets(cx, draft);
                }
                _ => {
                    say(cx, "choose-an-option");
                    ask_targets(cx, draft);
                }
            }
        }
        ReportStep::Confirm { draft } => {
            let max = if mode_switchable(&draft) { 3 } else { 2 };
            let data = match typed_numbers(text, max).as_deref() {
                Some([1]) => ReportAction::Send,
                Some([2]) => ReportAction::Cancel,
                Some([3]) => ReportAction::Mode,
                _ => {
                    say(cx, "choose-an-option");
                    ask_confirm(cx, draft);
                    return true;
                }
            };
            on_choice(
                cx,
                &Step::Report(ReportStep::Confirm { draft }),
                &data.to_string(),
            );
        }
        ReportStep::Fill {
            request_id,
            unit_id,
            index,
            answers,
        } => {
            let step = Step::Report(ReportStep::Fill {
                request_id,
                unit_id,
                index,
                answers: answers.clone(),
            });
            let Some(f) = find_fill(cx, request_id).filter(|f| f.unit_id == unit_id) else {
                cx.conv.step = Step::Idle;
                say(cx, "rq-not-for-you");
                return true;
            };
            let Some(item) = f.request.items.get(index).cloned() else {
                ask_review(cx, &f, answers);
                return true;
            };
            if STOP_WORDS.contains(&folded.as_str()) {
                on_choice(cx, &step, &ReportAction::Pause.to_string());
                return true;
            }
            if KEEP_WORDS.contains(&folded.as_str()) {
                on_choice(cx, &step, &ReportAction::Keep.to_string());
                return true;
            }
            if item.kind == ItemKind::Choice {
                let current = answers.get(index).cloned().flatten();
                let options = answer_options(cx, &item, &current);
                match typed_numbers(text, options.len()).as_deref() {
                    Some([i]) => {
                        let data = options[i - 1].0.clone();
                        on_choice(cx, &step, &data);
                    }
                    _ => {
                        say(cx, "choose-an-option");
                        ask_answer(cx, &f, index, answers);
                    }
                }
                return true;
            }
            match item.kind {
                ItemKind::YesNo => {
                    let yes = ["1", "có", "co", "yes", "y"].contains(&folded.as_str());
                    let no = ["2", "không", "khong", "no", "n"].contains(&folded.as_str());
                    if yes || no {
                        answered(cx, &f, index, answers, Some(Answer::YesNo(yes)));
                    } else {
                        say(cx, "choose-an-option");
                        ask_answer(cx, &f, index, answers);
                    }
                }
                ItemKind::Number => match parse_number(text) {
                    Some(n) => answered(cx, &f, index, answers, Some(Answer::Number(n))),
                    None => {
                        let msg = tr!(cx.i18n, cx.lang, "rq-bad-number", max = MAX_NUMBER);
                        cx.say(msg);
                        ask_answer(cx, &f, index, answers);
                    }
                },
                ItemKind::Text | ItemKind::Choice => {
                    let t = text.trim();
                    if t.is_empty() || t.chars().count() > MAX_TEXT_ANSWER_CHARS {
                        let msg = tr!(
                            cx.i18n,
                            cx.lang,
                            "rq-too-long",
                            max = MAX_TEXT_ANSWER_CHARS as i64
                        );
                        cx.say(msg);
                        ask_answer(cx, &f, index, answers);
                    } else {
                        answered(cx, &f, index, answers, Some(Answer::Text(t.to_string())));
                    }
                }
            }
        }
        step @ ReportStep::Review { .. } => {
            let data = match typed_numbers(text, 3).as_deref() {
                Some([1]) => ReportAction::Submit,
                Some([2]) => ReportAction::Redo,
                Some([3]) => ReportAction::Pause,
                _ => {
                    say(cx, "choose-an-option");
                    reprompt(cx, &Step::Report(step));
                    return true;
                }
            };
            on_choice(cx, &Step::Report(step), &data.to_string());
        }
        ReportStep::View { request_id } => {
            // Typed numbers pick the options as listed.
            let options = match cx.facts.reports.compiled.clone() {
                Some(c) if c.request.id == request_id => view_options(cx, &c),
                _ => vec![],
            };
            match typed_numbers(text, options.len()).as_deref() {
                Some([i]) => {
                    let data = options[i - 1].to_string();
                    on_choice(cx, &Step::Report(ReportStep::View { request_id }), &data);
                }
                _ => return false,
            }
        }
        ReportStep::ReturnPick { request_id } => {
            let units = return_options(cx, request_id);
            match typed_numbers(text, units.len()).as_deref() {
                Some([i]) => {
                    let data = ReportAction::ReturnUnit {
                        request_id,
                        unit_id: units[i - 1],
                    }
                    .to_string();
                    on_choice(
                        cx,
                        &Step::Report(ReportStep::ReturnPick { request_id }),
                        &data,
                    );
                }
                _ => {
                    say(cx, "choose-an-option");
                    ask_return_unit(cx, request_id);
                }
            }
        }
        ReportStep::ReturnNote {
            request_id,
            unit_id,
        } => {
            let t = text.trim();
            if t.is_empty() || t.chars().count() > MAX_TEXT_ANSWER_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "rq-too-long",
                    max = MAX_TEXT_ANSWER_CHARS as i64
                );
                cx.say(msg);
                return true;
            }
            if !return_options(cx, request_id).contains(&unit_id) {
                cx.conv.step = Step::Idle;
                say(cx, "rq-not-found");
                return true;
            }
            cx.effects.push(Effect::Report(ReportEffect::Return {
                request_id,
                unit_id,
                note: t.to_string(),
            }));
            cx.conv.step = Step::Idle;
            say(cx, "rq-returned");
        }
    }
    true
}

fn on_choice(cx: &mut Ctx, step: &Step, data: &str) -> bool {
    if !data.starts_with("rq:") {
        return false;
    }
    let Some(a) = action(data) else {
        return false;
    };
    if cx.facts.member.is_none() {
        say(cx, "need-to-join");
        return true;
    }
    let officer = is_officer(cx.facts);
    let officer_only = matches!(
        a,
        ReportAction::New
            | ReportAction::Kind(_)
            | ReportAction::ItemsDone
            | ReportAction::Unit(_)
            | ReportAction::AllUnits
            | ReportAction::UnitsDone
            | ReportAction::Send
            | ReportAction::View(_)
            | ReportAction::Export(_)
            | ReportAction::Return(_)
            | ReportAction::ReturnUnit { .. }
            | ReportAction::PassDown(_)
            | ReportAction::Forward(_)
            | ReportAction::Seed
            | ReportAction::KeepDeadline
            | ReportAction::UnitKind(_)
            | ReportAction::Close(_)
            | ReportAction::Letter(_)
            | ReportAction::Mode
            | ReportAction::Assess(_)
    );
    if officer_only && !officer {
        cx.conv.step = step.clone();
        say(cx, "officer-only");
        return true;
    }
    let Step::Report(rs) = step else {
        // Buttons that stand on their own (in a menu or a notice).
        match a {
            ReportAction::New => start_new(cx),
            ReportAction::Fill(id) => start_fill(cx, id),
            ReportAction::View(id) => view(cx, id),
            ReportAction::Export(id) => export(cx, id),
            ReportAction::Return(id) => ask_return_unit(cx, id),
            ReportAction::PassDown(id) => pass_down(cx, id),
            ReportAction::Forward(id) => forward(cx, id),
            ReportAction::Close(id) => close(cx, id),
            ReportAction::Letter(id) => letter(cx, id),
            ReportAction::Assess(id) => assess(cx, id),
            _ => return false,
        }
        return true;
    };
    match (rs.clone(), a) {
        (_, ReportAction::New) => start_new(cx),
        (_, ReportAction::Fill(id)) => start_fill(cx, id),
        (_, ReportAction::View(id)) => view(cx, id),
        (_, ReportAction::Export(id)) => {
            cx.conv.step = step.clone();
            export(cx, id)
        }
        (_, ReportAction::Return(id)) => ask_return_unit(cx, id),
        (_, ReportAction::PassDown(id)) => pass_down(cx, id),
        (_, ReportAction::Forward(id)) => forward(cx, id),
        (_, ReportAction::Close(id)) => close(cx, id),
        (_, ReportAction::Letter(id)) => {
            cx.conv.step = step.clone();
            letter(cx, id)
        }
        (_, ReportAction::Assess(id)) => assess(cx, id),
        (ReportStep::Offer { seed }, ReportAction::Seed) => {
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "rq-seeded",
                title = esc(&seed.draft.title)
            );
            cx.say(msg);
            ask_item(cx, seed.draft);
        }
        (ReportStep::Offer { .. }, ReportAction::Cancel) => {
            cx.conv.step = Step::Idle;
            say(cx, "rq-offer-skipped");
        }
        (ReportStep::Deadline { draft }, ReportAction::KeepDeadline)
            if draft.deadline_at > cx.facts.now_ms =>
        {
            after_deadline(cx, draft)
        }
        (ReportStep::Targets { mut draft }, ReportAction::UnitKind(i)) => {
            let kinds = offered_kinds(cx);
            match usize::try_from(i).ok().and_then(|i| kinds.get(i)) {
                Some((kind, _)) => {
                    draft.kind = Some(kind.clone());
                    draft.units.clear();
                    ask_confirm(cx, draft);
                }
                None => ask_targets(cx, draft),
            }
        }
        (ReportStep::Confirm { mut draft }, ReportAction::Mode) if mode_switchable(&draft) => {
            draft.mode = match draft.mode {
                RequestMode::Registration => RequestMode::Report,
                _ => RequestMode::Registration,
            };
            ask_confirm(cx, draft);
        }
        (_, ReportAction::Cancel) => {
            cx.conv.step = Step::Idle;
            say(cx, "cancelled");
        }
        (ReportStep::ItemKind { draft, label }, ReportAction::Kind(ItemKind::Choice)) => {
            cx.conv.step = Step::Report(ReportStep::ItemOptions { draft, label });
            say(cx, "rq-ask-options");
        }
        (ReportStep::ItemKind { mut draft, label }, ReportAction::Kind(kind)) => {
            draft.items.push(ReportItem {
                label,
                kind,
                options: vec![],
            });
            if draft.items.len() >= MAX_ITEMS {
                ask_deadline(cx, draft);
            } else {
                ask_item(cx, draft);
            }
        }
        (ReportStep::ItemLabel { draft }, ReportAction::ItemsDone) if !draft.items.is_empty() => {
            ask_deadline(cx, draft)
        }
        (ReportStep::Targets { mut draft }, ReportAction::Unit(id)) => {
            draft.kind = None;
            if cx.facts.children.iter().any(|u| u.id == id) {
                toggle(&mut draft.units, id);
            }
            ask_targets(cx, draft);
        }
        (ReportStep::Targets { mut draft }, ReportAction::AllUnits) => {
            draft.kind = None;
            draft.units = cx
                .facts
                .children
                .iter()
                .take(MAX_TARGETS)
                .map(|u| u.id)
                .collect();
            ask_confirm(cx, draft);
        }
        (ReportStep::Targets { draft }, ReportAction::UnitsDone) if !draft.units.is_empty() => {
            ask_confirm(cx, draft)
        }
        (ReportStep::Confirm { draft }, ReportAction::Send) => {
            cx.effects.push(Effect::Report(ReportEffect::Create {
                draft: draft.clone(),
            }));
            cx.conv.step = Step::Idle;
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "rq-created",
                title = esc(&draft.title),
                units = target_names(cx, &draft)
            );
            cx.say(msg);
        }
        (
            ReportStep::Fill {
                request_id,
                unit_id,
                index,
                answers,
            },
            a @ (ReportAction::Yes
            | ReportAction::No
            | ReportAction::Keep
            | ReportAction::Pause
            | ReportAction::Opt(_)),
        ) => {
            let Some(f) = find_fill(cx, request_id).filter(|f| f.unit_id == unit_id) else {
                cx.conv.step = Step::Idle;
                say(cx, "rq-not-for-you");
                return true;
            };
            let kind = f.request.items.get(index).map(|i| i.kind);
            match a {
                ReportAction::Pause => pause(cx, &f, answers),
                ReportAction::Keep if answers.get(index).is_some_and(Option::is_some) => {
                    answered(cx, &f, index, answers, None)
                }
                ReportAction::Opt(k)
                    if kind == Some(ItemKind::Choice)
                        && f.request.items.get(index).is_some_and(|it| {
                            usize::try_from(k).is_ok_and(|k| k < it.options.len())
                        }) =>
                {
                    answered(cx, &f, index, answers, Some(Answer::Choice(k)))
                }
                ReportAction::Yes | ReportAction::No if kind == Some(ItemKind::YesNo) => answered(
                    cx,
                    &f,
                    index,
                    answers,
                    Some(Answer::YesNo(a == ReportAction::Yes)),
                ),
                _ => {
                    say(cx, "choose-an-option");
                    ask_answer(cx, &f, index, answers);
                }
            }
        }
        (
            ReportStep::Review {
                request_id,
                unit_id,
                answers,
            },
            a @ (ReportAction::Submit | ReportAction::Redo | ReportAction::Pause),
        ) => {
            let Some(f) = find_fill(cx, request_id).filter(|f| f.unit_id == unit_id) else {
                cx.conv.step = Step::Idle;
                say(cx, "rq-not-for-you");
                return true;
            };
            match a {
                ReportAction::Submit => submit(cx, &f, answers),
                ReportAction::Redo => ask_answer(cx, &f, 0, answers),
                _ => pause(cx, &f, answers),
            }
        }
        (
            ReportStep::ReturnPick { request_id },
            ReportAction::ReturnUnit {
                request_id: r,
                unit_id,
            },
        ) if r == request_id => {
            if !return_options(cx, request_id).contains(&unit_id) {
                cx.conv.step = Step::Idle;
                say(cx, "rq-not-found");
                return true;
            }
            cx.conv.step = Step::Report(ReportStep::ReturnNote {
                request_id,
                unit_id,
            });
            say(cx, "rq-return-note");
        }
        _ => return false,
    }
    true
}

fn export(cx: &mut Ctx, id: i64) {
    if cx
        .facts
        .reports
        .compiled
        .as_ref()
        .is_none_or(|c| c.request.id != id)
    {
        return say(cx, "rq-not-found");
    }
    cx.effects
        .push(Effect::Report(ReportEffect::Export { request_id: id }));
}

fn reprompt(cx: &mut Ctx, step: &Step) {
    let Step::Report(rs) = step else { return };
    match rs.clone() {
        ReportStep::Menu { .. } => menu(cx),
        ReportStep::Offer { seed } => offer(cx, seed),
        ReportStep::Title => start_new(cx),
        ReportStep::ItemLabel { draft } => ask_item(cx, draft),
        ReportStep::ItemKind { draft, label } => ask_kind(cx, draft, label),
        ReportStep::ItemOptions { .. } => say(cx, "rq-ask-options"),
        ReportStep::Deadline { draft } => ask_deadline(cx, draft),
        ReportStep::Targets { draft } => ask_targets(cx, draft),
        ReportStep::Confirm { draft } => ask_confirm(cx, draft),
        ReportStep::Fill {
            request_id,
            unit_id,
            index,
            answers,
        } => match find_fill(cx, request_id).filter(|f| f.unit_id == unit_id) {
            Some(f) => ask_answer(cx, &f, index, answers),
            None => cx.conv.step = Step::Idle,
        },
        ReportStep::Review {
            request_id,
            unit_id,
            answers,
        } => match find_fill(cx, request_id).filter(|f| f.unit_id == unit_id) {
            Some(f) => ask_review(cx, &f, answers),
            None => cx.conv.step = Step::Idle,
        },
        ReportStep::View { request_id } => view(cx, request_id),
        ReportStep::ReturnPick { request_id } => ask_return_unit(cx, request_id),
        ReportStep::ReturnNote { .. } => say(cx, "rq-return-note"),
    }
}

/// Report requests as one flow of the registry.
pub(super) struct ReportRequests;

impl Flow for ReportRequests {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] =
            &[CommandSpec::new("baocao", Audience::Members, Listed::Officers).in_menu()];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(step, Step::Report(_))
    }

    fn needs(&self, ev: &InboundEvent, step: &Step, n: &mut Needs) {
        needs(ev, step, n);
    }

    fn on_command(&self, cx: &mut Ctx, _cmd: &str, arg: &str) {
        match fold(arg).as_str() {
            "moi" | "mới" | "new" if is_officer(cx.facts) => start_new(cx),
            _ => menu(cx),
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

    #[test]
    fn numbers_are_whole_and_grouped_by_three() {
        assert_eq!(parse_number("12"), Some(12));
        assert_eq!(parse_number(" 0 "), Some(0));
        assert_eq!(parse_number("1.200"), Some(1200));
        assert_eq!(parse_number("1 200 000"), Some(1_200_000));
        assert_eq!(parse_number("1,5"), None);
        assert_eq!(parse_number("12.5"), None);
        assert_eq!(parse_number("-3"), None);
        assert_eq!(parse_number("ba"), None);
        assert_eq!(parse_number("99999999999999999999"), None);
        assert_eq!(parse_number("1000000001"), None);
    }

    #[test]
    fn reminders_3_1_0_days_before_by_day_then_the_overdue_list() {
        use crate::core::calendar::local_time_ms;
        use chrono::NaiveDate;
        let at = |d: u32, h: u32| {
            local_time_ms(NaiveDate::from_ymd_opt(2026, 8, d).expect("date"), h).expect("t")
        };
        // Deadline: end of 25/8.
        let deadline = at(26, 0) - 1;
        assert_eq!(reminder_due(deadline, at(21, 9)), None, "4 days before");
        assert_eq!(reminder_due(deadline, at(22, 9)), Some(Some(3)));
        assert_eq!(reminder_due(deadline, at(22, 7)), None, "before 8:00");
        assert_eq!(reminder_due(deadline, at(22, 20)), None, "after 20:00");
        assert_eq!(reminder_due(deadline, at(23, 9)), None);
        assert_eq!(reminder_due(deadline, at(24, 19)), Some(Some(1)));
        assert_eq!(reminder_due(deadline, at(25, 8)), Some(Some(0)));
        assert_eq!(reminder_due(deadline, at(26, 8)), Some(None), "overdue");
        assert_eq!(reminder_due(deadline, at(26, 5)), None, "not at night");
    }

    #[test]
    fn met_means_every_registered_target_reached() {
        let item = |kind| ReportItem {
            label: "x".into(),
            kind,
            options: if kind == ItemKind::Choice {
                vec!["Tốt".into(), "Khá".into(), "Trung bình".into()]
            } else {
                vec![]
            },
        };
        let items = [
            item(ItemKind::Number),
            item(ItemKind::YesNo),
            item(ItemKind::Choice),
            item(ItemKind::Text),
        ];
        let reg = [
            Some(Answer::Number(10)),
            Some(Answer::YesNo(true)),
            Some(Answer::Choice(1)),
            Some(Answer::Text("a".into())),
        ];
        let ok = [
            Some(Answer::Number(10)),
            Some(Answer::YesNo(true)),
            Some(Answer::Choice(0)),
            Some(Answer::Text("b".into())),
        ];
        assert!(meets(&items, &reg, &ok));
        for (i, worse) in [Answer::Number(9), Answer::YesNo(false), Answer::Choice(2)]
            .into_iter()
            .enumerate()
        {
            let mut a = ok.clone();
            a[i] = Some(worse);
            assert!(!meets(&items, &reg, &a), "{a:?}");
        }
        let mut missing = ok.clone();
        missing[0] = None;
        assert!(!meets(&items, &reg, &missing));
        // "No" registered: either answer meets it.
        let mut reg_no = reg.clone();
        reg_no[1] = Some(Answer::YesNo(false));
        let mut a = ok.clone();
        a[1] = Some(Answer::YesNo(false));
        assert!(meets(&items, &reg_no, &a));
    }

    #[test]
    fn the_directives_offer_survives_a_deploy() {
        // A calendar question stored before the offer existed still decodes.
        let before = Step::Directive(super::super::DirectiveStep::CampaignSuggest {
            dates: vec![],
            units: vec![1],
            report: None,
        });
        let old = serde_json::to_string(&before).expect("json");
        assert!(!old.contains("report"), "{old}");
        assert_eq!(serde_json::from_str::<Step>(&old).expect("decode"), before);
        let step = Step::Report(ReportStep::Offer {
            seed: ReportSeed {
                draft: RequestDraft {
                    title: "Báo cáo".into(),
                    deadline_at: 5,
                    ..RequestDraft::default()
                },
                line: "báo cáo về Ban Tuyên giáo trước ngày 25/8/2026".into(),
            },
        });
        let json = serde_json::to_string(&step).expect("json");
        assert_eq!(serde_json::from_str::<Step>(&json).expect("decode"), step);
    }

    #[test]
    fn steps_round_trip_through_json() {
        let step = Step::Report(ReportStep::Fill {
            request_id: 3,
            unit_id: 9,
            index: 1,
            answers: vec![
                Some(Answer::Number(4)),
                None,
                Some(Answer::Text("x".into())),
            ],
        });
        let json = serde_json::to_string(&step).expect("json");
        assert!(json.contains(r#""step":"report""#), "{json}");
        let back: Step = serde_json::from_str(&json).expect("decode");
        assert_eq!(back, step);
    }
}
