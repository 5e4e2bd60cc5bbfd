//! Polls and surveys (`/khaosat`, issue 19): an officer writes 1–10 questions (single
//! choice, multiple choice, a number, a short text), chooses named or anonymous, who
//! answers (the whole subtree, chosen child units, or the housing-group leaders: the
//! broadcast's choices) and a deadline, previews and sends. Members answer question by
//! question by buttons or typed numbers, may stop and continue later, and keep one set of
//! answers (a new one before the deadline replaces it). Officers read the results over
//! their own subtree: per unit counts and % for each option, averages for numbers, the
//! short texts paged, a chart per choice question, and an .xlsx/.csv export. An anonymous
//! poll's answers are never shown with a name (`store::polls` checks everything again).

use serde::{Deserialize, Serialize};

use super::audience::{self, TypedPick, pickable, picked_target};
use super::broadcast::BroadcastTarget;
use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::report_requests::parse_number;
use super::{
    Ctx, Effect, Needs, PromptFlow, Step, is_officer, split_command, toggle, typed_numbers,
};
use crate::core::actions::{BroadcastTo, PollAction};
use crate::core::event::{Button, InboundEvent, Outbound, Payload, Reply};
use crate::core::export::ExportFormat;
use crate::core::text::{esc, fold, percent};
use crate::core::time::format_date;
use crate::tr;

pub const MAX_QUESTIONS: usize = 10;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_QUESTION_CHARS: usize = 200;
pub const MAX_OPTIONS: usize = 8;
pub const MAX_OPTION_CHARS: usize = 60;
pub const MAX_TEXT_ANSWER_CHARS: usize = 300;
/// Short texts shown per page (a page stays under Zalo's 2,000 characters).
pub const TEXTS_PER_PAGE: usize = 5;
/// Child units listed under each question of the results.
const MAX_ROWS_SHOWN: usize = 12;
const MAX_LISTED: usize = 5;
/// An anonymous poll's answers are shown (counts, texts, files) only over at least this
/// many people: a unit where one or two answered would give them away.
pub const MIN_ANONYMOUS_GROUP: i64 = 3;

/// Whether what `answered` people said must stay hidden in an anonymous poll.
pub fn too_few(anonymous: bool, answered: i64) -> bool {
    anonymous && answered < MIN_ANONYMOUS_GROUP
}

const STOP_WORDS: &[&str] = &["dừng", "dung", "stop", "lưu", "luu"];
const KEEP_WORDS: &[&str] = &["giữ", "giu", "keep"];
const START_WORDS: &[&str] = &["1", "bắt đầu", "bat dau", "trả lời", "tra loi", "start"];
const DONE_WORDS: &[&str] = &["xong", "done", "hết", "het"];

/// Message ids of the export's first columns: unit, then (named polls only) the person
/// and the time; the questions follow.
pub const EXPORT_COLUMN_IDS: [&str; 3] = ["ks-col-unit", "ks-col-name", "ks-col-time"];

/// What a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Single,
    Multi,
    Number,
    Text,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 4] = [
        QuestionKind::Single,
        QuestionKind::Multi,
        QuestionKind::Number,
        QuestionKind::Text,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multi => "multi",
            QuestionKind::Number => "number",
            QuestionKind::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multi)
    }

    fn label_id(self) -> &'static str {
        match self {
            QuestionKind::Single => "ks-kind-single",
            QuestionKind::Multi => "ks-kind-multi",
            QuestionKind::Number => "ks-kind-number",
            QuestionKind::Text => "ks-kind-text",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollQuestion {
    pub text: String,
    pub kind: QuestionKind,
    /// The options of a choice (2 to 8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// One answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollAnswer {
    /// The index of the option chosen.
    Choice(i64),
    /// The indexes of the options ticked, ascending, at least one.
    Multi(Vec<i64>),
    Number(i64),
    Text(String),
}

impl PollAnswer {
    /// Whether it is a valid answer to `q` (a forged or stale one is not).
    pub fn fits(&self, q: &PollQuestion) -> bool {
        let option = |k: &i64| usize::try_from(*k).is_ok_and(|k| k < q.options.len());
        match (self, q.kind) {
            (PollAnswer::Choice(k), QuestionKind::Single) => option(k),
            (PollAnswer::Multi(ks), QuestionKind::Multi) => {
                !ks.is_empty() && ks.iter().all(option) && ks.windows(2).all(|w| w[0] < w[1])
            }
            (PollAnswer::Number(n), QuestionKind::Number) => {
                (0..=super::report_requests::MAX_NUMBER).contains(n)
            }
            (PollAnswer::Text(t), QuestionKind::Text) => {
                !t.trim().is_empty() && t.chars().count() <= MAX_TEXT_ANSWER_CHARS
            }
            _ => false,
        }
    }
}

/// Whether `answers` answer every question of `questions`, each validly.
pub fn answers_ok(questions: &[PollQuestion], answers: &[Option<PollAnswer>]) -> bool {
    answers.len() == questions.len()
        && questions
            .iter()
            .zip(answers)
            .all(|(q, a)| a.as_ref().is_some_and(|a| a.fits(q)))
}

/// A poll being prepared by an officer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PollDraft {
    pub title: String,
    #[serde(default)]
    pub questions: Vec<PollQuestion>,
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub deadline_at: i64,
}

/// Whether a draft may be sent (checked again by the store).
pub fn draft_ok(d: &PollDraft) -> bool {
    let t = d.title.trim();
    !t.is_empty()
        && t.chars().count() <= MAX_TITLE_CHARS
        && (1..=MAX_QUESTIONS).contains(&d.questions.len())
        && d.questions.iter().all(|q| {
            !q.text.trim().is_empty()
                && q.text.chars().count() <= MAX_QUESTION_CHARS
                && if q.kind.has_options() {
                    (2..=MAX_OPTIONS).contains(&q.options.len())
                        && q.options
                            .iter()
                            .all(|o| !o.is_empty() && o.chars().count() <= MAX_OPTION_CHARS)
                } else {
                    q.options.is_empty()
                }
        })
}

/// Where a poll conversation stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ks", rename_all = "snake_case")]
pub enum PollStep {
    /// The `/khaosat` menu, with the data of its options as shown.
    Menu {
        #[serde(default)]
        choices: Vec<String>,
    },
    Title,
    Question {
        draft: PollDraft,
    },
    Kind {
        draft: PollDraft,
        text: String,
    },
    Options {
        draft: PollDraft,
        text: String,
        kind: QuestionKind,
    },
    Anonymous {
        draft: PollDraft,
    },
    Deadline {
        draft: PollDraft,
    },
    Target {
        draft: PollDraft,
    },
    Pick {
        draft: PollDraft,
        chosen: Vec<i64>,
    },
    Confirm {
        draft: PollDraft,
        target: BroadcastTarget,
    },
    /// Answering question `index` of poll `poll_id`; `ticked`: the options of a multiple
    /// choice ticked so far.
    Answer {
        poll_id: i64,
        index: usize,
        answers: Vec<Option<PollAnswer>>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ticked: Vec<i64>,
    },
    /// An officer reading results (or a page of texts), with the options offered.
    View {
        poll_id: i64,
        #[serde(default)]
        choices: Vec<String>,
    },
}

/// What a poll conversation changes; the store checks each again in SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum PollEffect {
    Create {
        draft: PollDraft,
        target: BroadcastTarget,
    },
    SaveDraft {
        poll_id: i64,
        answers: Vec<Option<PollAnswer>>,
    },
    Submit {
        poll_id: i64,
        answers: Vec<Option<PollAnswer>>,
    },
    /// A chart per choice question, over the officer's subtree.
    Charts {
        poll_id: i64,
    },
    Export {
        poll_id: i64,
        format: ExportFormat,
    },
}

/// A poll as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollView {
    pub id: i64,
    pub title: String,
    /// The author's unit.
    pub unit_name: String,
    pub deadline_at: i64,
    pub anonymous: bool,
    pub questions: Vec<PollQuestion>,
}

/// A poll put to the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollToAnswer {
    pub poll: PollView,
    /// Saved half-way.
    pub draft: Option<Vec<Option<PollAnswer>>>,
    /// Their current answers.
    pub submitted: Option<Vec<Option<PollAnswer>>>,
}

/// One unit of the results: the officer's unit first, then each direct child, each
/// counted over its whole subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollRow {
    pub unit_id: i64,
    pub name: String,
    pub asked: i64,
    pub answered: i64,
}

/// The results of one poll over an officer's subtree (counted in SQL).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PollResults {
    pub poll: Option<PollView>,
    pub rows: Vec<PollRow>,
    /// [question][row][option]: people who chose it.
    pub counts: Vec<Vec<Vec<i64>>>,
    /// [question][row]: (sum, answers) of a number question.
    pub numbers: Vec<Vec<(i64, i64)>>,
    /// [question]: short texts answered in the subtree.
    pub texts: Vec<i64>,
}

/// One page of the short texts answered to a question, over the officer's subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollTexts {
    pub poll_id: i64,
    pub question: i64,
    pub page: i64,
    pub total: i64,
    /// (who, unit, text): who only for a named poll.
    pub items: Vec<(Option<String>, Option<String>, String)>,
}

/// What the processor looked up for this flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PollFacts {
    /// Polls put to the member (open or recently closed), soonest deadline first.
    pub to_answer: Vec<PollToAnswer>,
    /// Polls whose results the officer may read, newest first.
    pub visible: Vec<PollView>,
    pub results: Option<PollResults>,
    pub texts: Option<PollTexts>,
}

/// What the processor must look up for this flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PollNeeds {
    /// Polls to answer and (officers) polls to read.
    pub lists: bool,
    pub results: Option<i64>,
    /// (poll, question, page).
    pub texts: Option<(i64, i64, i64)>,
}

fn action(data: &str) -> Option<PollAction> {
    data.parse().ok()
}

fn needs_of_action(a: PollAction, n: &mut Needs) {
    match a {
        PollAction::Results(id) => n.polls.results = Some(id),
        PollAction::Texts {
            poll_id,
            question,
            page,
        } => n.polls.texts = Some((poll_id, question, page)),
        _ => {}
    }
}

pub(super) fn needs(ev: &InboundEvent, step: &Step, n: &mut Needs) {
    let ours = matches!(step, Step::Poll(_));
    if ours {
        n.polls.lists = true;
        // Choosing who answers shows counts of the officer's subtree.
        n.officer_units = true;
        n.broadcasts = true;
    }
    match &ev.payload {
        Payload::Text { text } => match split_command(text.trim()) {
            Some((cmd, _)) if cmd == "khaosat" => n.polls.lists = true,
            Some(_) => {}
            None if ours => {
                let choices = match step {
                    Step::Poll(PollStep::Menu { choices } | PollStep::View { choices, .. }) => {
                        choices.as_slice()
                    }
                    _ => &[],
                };
                if let Some([i]) = typed_numbers(text, choices.len()).as_deref()
                    && let Some(a) = action(&choices[i - 1])
                {
                    needs_of_action(a, n);
                }
                if let Step::Poll(PollStep::View { poll_id, .. }) = step {
                    n.polls.results = n.polls.results.or(Some(*poll_id));
                }
            }
            None => {}
        },
        Payload::Button { data, .. } if data.starts_with("ks:") => {
            n.polls.lists = true;
            n.officer_units = true;
            n.broadcasts = true;
            if let Some(a) = action(data) {
                needs_of_action(a, n);
            }
        }
        _ => {}
    }
}

fn say(cx: &mut Ctx, id: &str) {
    let msg = cx.t(id);
    cx.say(msg);
}

/// Options as buttons without numbers, for questions answered by typing (a typed number
/// is the answer there, not an option).
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

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

fn pct(part: i64, whole: i64) -> String {
    if whole <= 0 {
        "—".to_string()
    } else {
        format!("{}%", percent(part, whole))
    }
}

// ---- The menu ------------------------------------------------------------------------

fn find(cx: &Ctx, id: i64) -> Option<PollToAnswer> {
    cx.facts
        .polls
        .to_answer
        .iter()
        .find(|p| p.poll.id == id)
        .cloned()
}

fn menu_options(cx: &Ctx) -> Vec<(String, String)> {
    let mut options = vec![];
    if is_officer(cx.facts) {
        options.push((PollAction::New.to_string(), cx.t("ks-new")));
    }
    let open = cx
        .facts
        .polls
        .to_answer
        .iter()
        .filter(|p| p.poll.deadline_at >= cx.facts.now_ms)
        .take(MAX_LISTED);
    for p in open {
        let key = if p.draft.is_some() {
            "ks-menu-continue"
        } else if p.submitted.is_some() {
            "ks-menu-change"
        } else {
            "ks-menu-answer"
        };
        options.push((
            PollAction::Go(p.poll.id).to_string(),
            tr!(
                cx.i18n,
                cx.lang,
                key,
                title = short(&p.poll.title),
                deadline = format_date(p.poll.deadline_at)
            ),
        ));
    }
    if is_officer(cx.facts) {
        for p in cx.facts.polls.visible.iter().take(MAX_LISTED) {
            options.push((
                PollAction::Results(p.id).to_string(),
                tr!(cx.i18n, cx.lang, "ks-menu-results", title = short(&p.title)),
            ));
        }
    }
    options
}

fn menu(cx: &mut Ctx) {
    let options = menu_options(cx);
    if options.is_empty() {
        cx.conv.step = Step::Idle;
        return say(cx, "ks-none");
    }
    cx.conv.step = Step::Poll(PollStep::Menu {
        choices: options.iter().map(|(d, _)| d.clone()).collect(),
    });
    let text = cx.t("ks-menu");
    cx.ask_owned(text, &options);
}

// ---- Preparing a poll ----------------------------------------------------------------

fn start_new(cx: &mut Ctx) {
    cx.conv.step = Step::Poll(PollStep::Title);
    say(cx, "ks-ask-title");
}

fn ask_question(cx: &mut Ctx, draft: PollDraft) {
    let n = draft.questions.len() as i64 + 1;
    let text = if draft.questions.is_empty() {
        tr!(
            cx.i18n,
            cx.lang,
            "ks-ask-question-first",
            max = MAX_QUESTIONS as i64
        )
    } else {
        tr!(cx.i18n, cx.lang, "ks-ask-question-next", n = n)
    };
    cx.conv.step = Step::Poll(PollStep::Question { draft });
    if n > 1 {
        let options = [(
            PollAction::QuestionsDone.to_string(),
            cx.t("ks-questions-done"),
        )];
        ask_with_keywords(cx, text, &options);
    } else {
        cx.say(text);
    }
}

fn ask_kind(cx: &mut Ctx, draft: PollDraft, text: String) {
    let q = tr!(cx.i18n, cx.lang, "ks-ask-kind", question = esc(&text));
    cx.conv.step = Step::Poll(PollStep::Kind { draft, text });
    let options: Vec<(String, String)> = QuestionKind::ALL
        .iter()
        .map(|k| (PollAction::Kind(*k).to_string(), cx.t(k.label_id())))
        .collect();
    cx.ask_owned(q, &options);
}

fn ask_anonymous(cx: &mut Ctx, draft: PollDraft) {
    cx.conv.step = Step::Poll(PollStep::Anonymous { draft });
    let text = cx.t("ks-ask-anonymous");
    let options = [
        (PollAction::Anonymous(false).to_string(), cx.t("ks-named")),
        (
            PollAction::Anonymous(true).to_string(),
            cx.t("ks-anonymous"),
        ),
    ];
    cx.ask_owned(text, &options);
}

fn ask_deadline(cx: &mut Ctx, draft: PollDraft) {
    cx.conv.step = Step::Poll(PollStep::Deadline { draft });
    say(cx, "ks-ask-deadline");
}

/// Who answers: the broadcast's choices (whole subtree, one child unit, several chosen
/// child units, the housing-group leaders), with the same counts.
fn target_options(cx: &Ctx) -> Vec<(String, String)> {
    audience::target_options(cx, false, |to| PollAction::To(to).to_string())
}

fn ask_target(cx: &mut Ctx, draft: PollDraft) {
    cx.conv.step = Step::Poll(PollStep::Target { draft });
    let text = cx.t("ks-ask-target");
    let options = target_options(cx);
    cx.ask_owned(text, &options);
}

fn pick_options(cx: &Ctx, chosen: &[i64]) -> Vec<(String, String)> {
    audience::pick_options(
        cx,
        chosen,
        |id| PollAction::PickUnit(id).to_string(),
        PollAction::PickDone.to_string(),
        PollAction::PickBack.to_string(),
    )
}

fn show_pick(cx: &mut Ctx, draft: PollDraft, chosen: Vec<i64>) {
    let options = pick_options(cx, &chosen);
    let text = cx.t("bc-pick-help");
    cx.conv.step = Step::Poll(PollStep::Pick { draft, chosen });
    cx.ask_owned(text, &options);
}

fn resolve_target(cx: &Ctx, to: BroadcastTo, chosen: &[i64]) -> Option<BroadcastTarget> {
    match to {
        BroadcastTo::Pick => picked_target(cx, chosen),
        _ => audience::resolve_target(cx, to, false, |to| PollAction::To(to).to_string()),
    }
}

fn describe_questions(cx: &Ctx, questions: &[PollQuestion]) -> String {
    let mut lines = vec![];
    for (i, q) in questions.iter().enumerate() {
        lines.push(format!(
            "{}. {} <i>({})</i>",
            i + 1,
            esc(&q.text),
            cx.t(q.kind.label_id())
        ));
        for (k, o) in q.options.iter().enumerate() {
            lines.push(format!("   {}) {}", k + 1, esc(o)));
        }
    }
    lines.join("\n")
}

fn show_preview(cx: &mut Ctx, draft: PollDraft, target: BroadcastTarget) {
    let text = tr!(
        cx.i18n,
        cx.lang,
        "ks-preview",
        title = esc(&draft.title),
        questions = describe_questions(cx, &draft.questions),
        kind = cx.t(if draft.anonymous {
            "ks-anonymous"
        } else {
            "ks-named"
        }),
        deadline = format_date(draft.deadline_at),
        target = esc(&target.label),
        count = target.count
    );
    cx.conv.step = Step::Poll(PollStep::Confirm { draft, target });
    let options = [
        (PollAction::Send.to_string(), cx.t("ks-send")),
        (PollAction::Cancel.to_string(), cx.t("ks-discard")),
    ];
    cx.ask_owned(text, &options);
}

/// The question just written, with its kind and options: the next question, or (after
/// the tenth) whether it is anonymous.
fn add_question(cx: &mut Ctx, mut draft: PollDraft, q: PollQuestion) {
    draft.questions.push(q);
    if draft.questions.len() >= MAX_QUESTIONS {
        ask_anonymous(cx, draft);
    } else {
        ask_question(cx, draft);
    }
}

// ---- Answering -----------------------------------------------------------------------

/// Start, continue or change one's answers: from the saved draft, else the current
/// answers, else blank; at the first unanswered question (or the first, to change).
fn start_answer(cx: &mut Ctx, id: i64) {
    let Some(p) = find(cx, id) else {
        cx.conv.step = Step::Idle;
        return say(cx, "ks-not-for-you");
    };
    if cx.facts.now_ms > p.poll.deadline_at {
        cx.conv.step = Step::Idle;
        let msg = tr!(
            cx.i18n,
            cx.lang,
            "ks-too-late",
            title = esc(&p.poll.title),
            deadline = format_date(p.poll.deadline_at)
        );
        return cx.say(msg);
    }
    let n = p.poll.questions.len();
    let mut answers = p
        .draft
        .clone()
        .or_else(|| p.submitted.clone())
        .unwrap_or_default();
    answers.resize(n, None);
    for (a, q) in answers.iter_mut().zip(&p.poll.questions) {
        if a.as_ref().is_some_and(|x| !x.fits(q)) {
            *a = None;
        }
    }
    let mut head = tr!(
        cx.i18n,
        cx.lang,
        "ks-answer-head",
        title = esc(&p.poll.title),
        unit = esc(&p.poll.unit_name),
        count = n as i64,
        deadline = format_date(p.poll.deadline_at)
    );
    head.push('\n');
    head.push_str(&cx.t(if p.poll.anonymous {
        "ks-answer-anonymous"
    } else {
        "ks-answer-named"
    }));
    cx.say(head);
    let index = answers.iter().position(Option::is_none).unwrap_or(0);
    ask_answer(cx, &p, index, answers, vec![]);
}

fn show_answer(cx: &Ctx, q: &PollQuestion, a: &Option<PollAnswer>) -> String {
    let opt = |k: &i64| {
        usize::try_from(*k)
            .ok()
            .and_then(|k| q.options.get(k))
            .cloned()
            .unwrap_or_default()
    };
    match a {
        None => cx.t("ks-no-answer"),
        Some(PollAnswer::Choice(k)) => opt(k),
        Some(PollAnswer::Multi(ks)) => ks.iter().map(opt).collect::<Vec<_>>().join(", "),
        Some(PollAnswer::Number(n)) => n.to_string(),
        Some(PollAnswer::Text(t)) => t.clone(),
    }
}

/// The options offered for a question, in order (a typed number picks one): the
/// options (ticked or not), «Xong» for a multiple choice, keeping the earlier answer,
/// stopping.
fn answer_options(
    cx: &Ctx,
    q: &PollQuestion,
    current: &Option<PollAnswer>,
    ticked: &[i64],
) -> Vec<(String, String)> {
    let mut options = vec![];
    match q.kind {
        QuestionKind::Single => {
            for (i, o) in q.options.iter().enumerate() {
                options.push((PollAction::Opt(i as i64).to_string(), o.clone()));
            }
        }
        QuestionKind::Multi => {
            for (i, o) in q.options.iter().enumerate() {
                let mark = if ticked.contains(&(i as i64)) {
                    "☑"
                } else {
                    "☐"
                };
                options.push((PollAction::Opt(i as i64).to_string(), format!("{mark} {o}")));
            }
            options.push((
                PollAction::Done.to_string(),
                tr!(
                    cx.i18n,
                    cx.lang,
                    "ks-multi-done",
                    count = ticked.len() as i64
                ),
            ));
        }
        _ => {}
    }
    if current.is_some() {
        let shown: String = show_answer(cx, q, current).chars().take(40).collect();
        options.push((
            PollAction::Keep.to_string(),
            tr!(cx.i18n, cx.lang, "ks-keep", answer = shown),
        ));
    }
    options.push((PollAction::Stop.to_string(), cx.t("ks-stop")));
    options
}

fn ask_answer(
    cx: &mut Ctx,
    p: &PollToAnswer,
    index: usize,
    answers: Vec<Option<PollAnswer>>,
    ticked: Vec<i64>,
) {
    let Some(q) = p.poll.questions.get(index).cloned() else {
        return submit(cx, p, answers);
    };
    let mut text = tr!(
        cx.i18n,
        cx.lang,
        "ks-question",
        n = index as i64 + 1,
        count = p.poll.questions.len() as i64,
        question = esc(&q.text)
    );
    text.push('\n');
    text.push_str(&cx.t(match q.kind {
        QuestionKind::Single => "ks-hint-single",
        QuestionKind::Multi => "ks-hint-multi",
        QuestionKind::Number => "ks-hint-number",
        QuestionKind::Text => "ks-hint-text",
    }));
    let current = answers.get(index).cloned().flatten();
    let options = answer_options(cx, &q, &current, &ticked);
    cx.conv.step = Step::Poll(PollStep::Answer {
        poll_id: p.poll.id,
        index,
        answers,
        ticked,
    });
    if q.kind.has_options() {
        cx.ask_owned(text, &options);
    } else {
        text.push('\n');
        text.push_str(&cx.t(if current.is_some() {
            "ks-hint-keep-stop"
        } else {
            "ks-hint-stop"
        }));
        ask_with_keywords(cx, text, &options);
    }
}

/// Record `answer` (`None`: keep the one there) and go on: the next question, or send
/// the answers after the last.
fn answered(
    cx: &mut Ctx,
    p: &PollToAnswer,
    index: usize,
    mut answers: Vec<Option<PollAnswer>>,
    answer: Option<PollAnswer>,
) {
    if let Some(a) = answer
        && let Some(slot) = answers.get_mut(index)
    {
        *slot = Some(a);
    }
    if index + 1 < answers.len() {
        cx.effects.push(Effect::Poll(PollEffect::SaveDraft {
            poll_id: p.poll.id,
            answers: answers.clone(),
        }));
        ask_answer(cx, p, index + 1, answers, vec![]);
    } else {
        submit(cx, p, answers);
    }
}

fn stop(cx: &mut Ctx, p: &PollToAnswer, answers: Vec<Option<PollAnswer>>) {
    cx.effects.push(Effect::Poll(PollEffect::SaveDraft {
        poll_id: p.poll.id,
        answers,
    }));
    cx.conv.step = Step::Idle;
    say(cx, "ks-stopped");
}

fn submit(cx: &mut Ctx, p: &PollToAnswer, answers: Vec<Option<PollAnswer>>) {
    cx.conv.step = Step::Idle;
    if cx.facts.now_ms > p.poll.deadline_at {
        let msg = tr!(
            cx.i18n,
            cx.lang,
            "ks-too-late",
            title = esc(&p.poll.title),
            deadline = format_date(p.poll.deadline_at)
        );
        return cx.say(msg);
    }
    if !answers_ok(&p.poll.questions, &answers) {
        // Something unanswered (a question skipped by an old button): ask it.
        if let Some(i) = answers.iter().position(Option::is_none) {
            return ask_answer(cx, p, i, answers, vec![]);
        }
        return say(cx, "ks-not-for-you");
    }
    cx.effects.push(Effect::Poll(PollEffect::Submit {
        poll_id: p.poll.id,
        answers,
    }));
    let key = if p.submitted.is_some() {
        "ks-submitted-again"
    } else {
        "ks-submitted"
    };
    let msg = tr!(
        cx.i18n,
        cx.lang,
        key,
        title = esc(&p.poll.title),
        deadline = format_date(p.poll.deadline_at)
    );
    cx.say(msg);
}

/// A button or typed option while answering question `index`.
fn on_answer_choice(
    cx: &mut Ctx,
    (poll_id, index, answers, ticked): (i64, usize, Vec<Option<PollAnswer>>, Vec<i64>),
    a: PollAction,
) {
    let Some(p) = find(cx, poll_id) else {
        cx.conv.step = Step::Idle;
        return say(cx, "ks-not-for-you");
    };
    let Some(q) = p.poll.questions.get(index).cloned() else {
        return submit(cx, &p, answers);
    };
    let is_option = |k: i64| usize::try_from(k).is_ok_and(|k| k < q.options.len());
    match a {
        PollAction::Stop => stop(cx, &p, answers),
        PollAction::Keep if answers.get(index).is_some_and(Option::is_some) => {
            answered(cx, &p, index, answers, None)
        }
        PollAction::Opt(k) if q.kind == QuestionKind::Single && is_option(k) => {
            answered(cx, &p, index, answers, Some(PollAnswer::Choice(k)))
        }
        PollAction::Opt(k) if q.kind == QuestionKind::Multi && is_option(k) => {
            let mut ticked = ticked;
            toggle(&mut ticked, k);
            ask_answer(cx, &p, index, answers, ticked);
        }
        PollAction::Done if q.kind == QuestionKind::Multi => {
            if ticked.is_empty() {
                say(cx, "ks-tick-one");
                return ask_answer(cx, &p, index, answers, ticked);
            }
            let mut ks = ticked;
            ks.sort_unstable();
            ks.dedup();
            answered(cx, &p, index, answers, Some(PollAnswer::Multi(ks)))
        }
        _ => {
            say(cx, "choose-an-option");
            ask_answer(cx, &p, index, answers, ticked);
        }
    }
}

/// Typed text while answering question `index`.
fn on_answer_text(
    cx: &mut Ctx,
    (poll_id, index, answers, ticked): (i64, usize, Vec<Option<PollAnswer>>, Vec<i64>),
    text: &str,
) {
    let Some(p) = find(cx, poll_id) else {
        cx.conv.step = Step::Idle;
        return say(cx, "ks-not-for-you");
    };
    let Some(q) = p.poll.questions.get(index).cloned() else {
        return submit(cx, &p, answers);
    };
    let folded = fold(text);
    let state = (poll_id, index, answers.clone(), ticked.clone());
    if STOP_WORDS.contains(&folded.as_str()) {
        return on_answer_choice(cx, state, PollAction::Stop);
    }
    if KEEP_WORDS.contains(&folded.as_str()) {
        return on_answer_choice(cx, state, PollAction::Keep);
    }
    match q.kind {
        QuestionKind::Single | QuestionKind::Multi => {
            let current = answers.get(index).cloned().flatten();
            let options = answer_options(cx, &q, &current, &ticked);
            let n = q.options.len();
            match typed_numbers(text, options.len()) {
                // Several numbers (or one) among a multiple choice's options: the answer.
                Some(numbers)
                    if q.kind == QuestionKind::Multi && numbers.iter().all(|&i| i <= n) =>
                {
                    let mut ks: Vec<i64> = numbers.iter().map(|&i| i as i64 - 1).collect();
                    ks.sort_unstable();
                    ks.dedup();
                    answered(cx, &p, index, answers, Some(PollAnswer::Multi(ks)));
                }
                Some(numbers) if numbers.len() == 1 => {
                    let data = options[numbers[0] - 1].0.clone();
                    match action(&data) {
                        Some(a) => on_answer_choice(cx, state, a),
                        None => ask_answer(cx, &p, index, answers, ticked),
                    }
                }
                _ => {
                    say(cx, "choose-an-option");
                    ask_answer(cx, &p, index, answers, ticked);
                }
            }
        }
        QuestionKind::Number => match parse_number(text) {
            Some(n) => answered(cx, &p, index, answers, Some(PollAnswer::Number(n))),
            None => {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "ks-bad-number",
                    max = super::report_requests::MAX_NUMBER
                );
                cx.say(msg);
                ask_answer(cx, &p, index, answers, ticked);
            }
        },
        QuestionKind::Text => {
            let t = text.trim();
            if t.is_empty() || t.chars().count() > MAX_TEXT_ANSWER_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "ks-too-long",
                    max = MAX_TEXT_ANSWER_CHARS as i64
                );
                cx.say(msg);
                ask_answer(cx, &p, index, answers, ticked);
            } else {
                answered(
                    cx,
                    &p,
                    index,
                    answers,
                    Some(PollAnswer::Text(t.to_string())),
                );
            }
        }
    }
}

// ---- Results -------------------------------------------------------------------------

/// The results as messages: the head (who answered, per unit), then one per question.
fn render_results(cx: &Ctx, r: &PollResults, poll: &PollView) -> Vec<String> {
    let mut out = vec![];
    let total = r.rows.first();
    let mut head = vec![tr!(
        cx.i18n,
        cx.lang,
        "ks-results-head",
        title = esc(&poll.title),
        kind = cx.t(if poll.anonymous {
            "ks-anonymous"
        } else {
            "ks-named"
        }),
        deadline = format_date(poll.deadline_at),
        answered = total.map_or(0, |t| t.answered),
        asked = total.map_or(0, |t| t.asked),
        pct = pct(
            total.map_or(0, |t| t.answered),
            total.map_or(0, |t| t.asked)
        )
    )];
    for row in r.rows.iter().skip(1).take(MAX_ROWS_SHOWN) {
        head.push(format!(
            "• {}: {}/{} ({})",
            esc(&row.name),
            row.answered,
            row.asked,
            pct(row.answered, row.asked)
        ));
    }
    let answered = total.map_or(0, |t| t.answered);
    if too_few(poll.anonymous, answered) {
        head.push(tr!(
            cx.i18n,
            cx.lang,
            "ks-anonymous-wait",
            min = MIN_ANONYMOUS_GROUP
        ));
        out.push(head.join("\n"));
        return out;
    }
    out.push(head.join("\n"));
    let few = |row: &PollRow| {
        tr!(
            cx.i18n,
            cx.lang,
            "ks-anonymous-few",
            unit = esc(&row.name),
            min = MIN_ANONYMOUS_GROUP
        )
    };
    for (i, q) in poll.questions.iter().enumerate() {
        let mut lines = vec![format!("<b>{}. {}</b>", i + 1, esc(&q.text))];
        match q.kind {
            QuestionKind::Single | QuestionKind::Multi => {
                let counts = r.counts.get(i);
                let of_row = |row: usize, k: usize| {
                    counts
                        .and_then(|c| c.get(row))
                        .and_then(|c| c.get(k))
                        .copied()
                        .unwrap_or(0)
                };
                let answered = total.map_or(0, |t| t.answered);
                for (k, o) in q.options.iter().enumerate() {
                    let n = of_row(0, k);
                    lines.push(format!(
                        "{}) {}: <b>{n}</b> ({})",
                        k + 1,
                        esc(o),
                        pct(n, answered)
                    ));
                }
                for (ri, row) in r.rows.iter().enumerate().skip(1).take(MAX_ROWS_SHOWN) {
                    if row.answered == 0 {
                        continue;
                    }
                    if too_few(poll.anonymous, row.answered) {
                        lines.push(few(row));
                        continue;
                    }
                    let parts: Vec<String> = (0..q.options.len())
                        .map(|k| {
                            let n = of_row(ri, k);
                            format!("{}) {n} · {}", k + 1, pct(n, row.answered))
                        })
                        .collect();
                    lines.push(format!("• {}: {}", esc(&row.name), parts.join(", ")));
                }
            }
            QuestionKind::Number => {
                let sums = r.numbers.get(i);
                let of_row = |row: usize| sums.and_then(|s| s.get(row)).copied().unwrap_or((0, 0));
                let (sum, n) = of_row(0);
                lines.push(tr!(
                    cx.i18n,
                    cx.lang,
                    "ks-average",
                    avg = average(sum, n),
                    count = n
                ));
                for (ri, row) in r.rows.iter().enumerate().skip(1).take(MAX_ROWS_SHOWN) {
                    let (sum, n) = of_row(ri);
                    if n > 0 && too_few(poll.anonymous, row.answered) {
                        lines.push(few(row));
                    } else if n > 0 {
                        lines.push(format!("• {}: {} ({n})", esc(&row.name), average(sum, n)));
                    }
                }
            }
            QuestionKind::Text => {
                let n = r.texts.get(i).copied().unwrap_or(0);
                lines.push(tr!(cx.i18n, cx.lang, "ks-texts-count", count = n));
            }
        }
        out.push(lines.join("\n"));
    }
    out
}

/// An average with one decimal, the Vietnamese way ("3,5"); "—" without answers.
pub fn average(sum: i64, n: i64) -> String {
    if n <= 0 {
        return "—".to_string();
    }
    let tenths = (i128::from(sum) * 20 + i128::from(n)) / (i128::from(n) * 2);
    let (whole, frac) = (tenths / 10, tenths % 10);
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole},{frac}")
    }
}

/// What the officer may do with results, in the order offered: each text question's
/// answers, then the files (where files can be sent).
fn view_options(cx: &Ctx, poll: &PollView, r: &PollResults) -> Vec<(String, String)> {
    let mut options = vec![];
    if too_few(poll.anonymous, r.rows.first().map_or(0, |t| t.answered)) {
        return options;
    }
    for (i, q) in poll.questions.iter().enumerate() {
        if q.kind == QuestionKind::Text && r.texts.get(i).copied().unwrap_or(0) > 0 {
            options.push((
                PollAction::Texts {
                    poll_id: poll.id,
                    question: i as i64,
                    page: 0,
                }
                .to_string(),
                tr!(cx.i18n, cx.lang, "ks-view-texts", n = i as i64 + 1),
            ));
        }
    }
    if cx.ev.channel.can_send_files() {
        for (format, id) in [
            (ExportFormat::Xlsx, "ks-export-xlsx"),
            (ExportFormat::Csv, "ks-export-csv"),
        ] {
            options.push((
                PollAction::Export {
                    poll_id: poll.id,
                    format,
                }
                .to_string(),
                cx.t(id),
            ));
        }
    }
    options
}

fn results_of(cx: &Ctx, id: i64) -> Option<(PollResults, PollView)> {
    let r = cx.facts.polls.results.clone()?;
    let poll = r.poll.clone().filter(|p| p.id == id)?;
    Some((r, poll))
}

fn view(cx: &mut Ctx, id: i64) {
    let Some((r, poll)) = results_of(cx, id) else {
        cx.conv.step = Step::Idle;
        return say(cx, "ks-not-found");
    };
    for msg in render_results(cx, &r, &poll) {
        cx.say(msg);
    }
    let answered = r.rows.first().map_or(0, |t| t.answered);
    if cx.ev.channel.can_send_files()
        && !too_few(poll.anonymous, answered)
        && poll.questions.iter().any(|q| q.kind.has_options())
    {
        cx.effects
            .push(Effect::Poll(PollEffect::Charts { poll_id: poll.id }));
    }
    let options = view_options(cx, &poll, &r);
    cx.conv.step = Step::Poll(PollStep::View {
        poll_id: id,
        choices: options.iter().map(|(d, _)| d.clone()).collect(),
    });
    if !options.is_empty() {
        let q = cx.t("ks-view-what");
        cx.ask_owned(q, &options);
    }
}

fn show_texts(cx: &mut Ctx, poll_id: i64, question: i64, page: i64) {
    let Some(t) = cx
        .facts
        .polls
        .texts
        .clone()
        .filter(|t| t.poll_id == poll_id && t.question == question && t.page == page)
    else {
        cx.conv.step = Step::Idle;
        return say(cx, "ks-not-found");
    };
    let pages = (t.total + TEXTS_PER_PAGE as i64 - 1) / TEXTS_PER_PAGE as i64;
    let mut lines = vec![tr!(
        cx.i18n,
        cx.lang,
        "ks-texts-head",
        n = question + 1,
        page = page + 1,
        pages = pages.max(1),
        count = t.total
    )];
    for (who, unit, text) in &t.items {
        let by = match (who, unit) {
            (Some(w), Some(u)) => format!("<i>{} ({})</i>: ", esc(w), esc(u)),
            (None, Some(u)) => format!("<i>{}</i>: ", esc(u)),
            (Some(w), None) => format!("<i>{}</i>: ", esc(w)),
            (None, None) => String::new(),
        };
        lines.push(format!("– {by}{}", esc(text)));
    }
    let mut options = vec![];
    if page + 1 < pages {
        options.push((
            PollAction::Texts {
                poll_id,
                question,
                page: page + 1,
            }
            .to_string(),
            cx.t("ks-texts-next"),
        ));
    }
    options.push((
        PollAction::Results(poll_id).to_string(),
        cx.t("ks-back-results"),
    ));
    cx.conv.step = Step::Poll(PollStep::View {
        poll_id,
        choices: options.iter().map(|(d, _)| d.clone()).collect(),
    });
    cx.ask_owned(lines.join("\n"), &options);
}

// ---- Input ---------------------------------------------------------------------------

fn on_text(cx: &mut Ctx, text: &str) -> bool {
    let Step::Poll(step) = cx.conv.step.clone() else {
        // A typed "1" in Idle answering the newest question put to the person.
        if cx.conv.step == Step::Idle
            && let Some(p) = cx.facts.pending_prompt
            && p.flow == PromptFlow::Poll
            && START_WORDS.contains(&fold(text).as_str())
        {
            start_answer(cx, p.object_id);
            return true;
        }
        return false;
    };
    let folded = fold(text);
    let t = text.trim();
    match step {
        PollStep::Menu { choices } | PollStep::View { choices, .. } => {
            match typed_numbers(text, choices.len()).as_deref() {
                Some([i]) => {
                    let data = choices[i - 1].clone();
                    let step = cx.conv.step.clone();
                    on_choice(cx, &step, &data);
                }
                _ => return false,
            }
        }
        PollStep::Title => {
            if t.is_empty() || t.chars().count() > MAX_TITLE_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "ks-too-long",
                    max = MAX_TITLE_CHARS as i64
                );
                cx.say(msg);
                return true;
            }
            ask_question(
                cx,
                PollDraft {
                    title: t.to_string(),
                    ..PollDraft::default()
                },
            );
        }
        PollStep::Question { draft } => {
            if !draft.questions.is_empty() && DONE_WORDS.contains(&folded.as_str()) {
                ask_anonymous(cx, draft);
                return true;
            }
            if t.is_empty() || t.chars().count() > MAX_QUESTION_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "ks-too-long",
                    max = MAX_QUESTION_CHARS as i64
                );
                cx.say(msg);
                return true;
            }
            ask_kind(cx, draft, t.to_string());
        }
        PollStep::Kind { draft, text: q } => {
            match typed_numbers(text, QuestionKind::ALL.len()).as_deref() {
                Some([i]) => {
                    let data = PollAction::Kind(QuestionKind::ALL[i - 1]).to_string();
                    on_choice(cx, &Step::Poll(PollStep::Kind { draft, text: q }), &data);
                }
                _ => {
                    say(cx, "choose-an-option");
                    ask_kind(cx, draft, q);
                }
            }
        }
        PollStep::Options {
            draft,
            text: q,
            kind,
        } => {
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
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "ks-bad-options",
                    max = MAX_OPTIONS as i64,
                    chars = MAX_OPTION_CHARS as i64
                );
                cx.say(msg);
                return true;
            }
            add_question(
                cx,
                draft,
                PollQuestion {
                    text: q,
                    kind,
                    options,
                },
            );
        }
        PollStep::Anonymous { draft } => match typed_numbers(text, 2).as_deref() {
            Some([i]) => {
                let data = PollAction::Anonymous(*i == 2).to_string();
                on_choice(cx, &Step::Poll(PollStep::Anonymous { draft }), &data);
            }
            _ => {
                say(cx, "choose-an-option");
                ask_anonymous(cx, draft);
            }
        },
        PollStep::Deadline { mut draft } => match super::commitments::parse_deadline(text) {
            Some(at) if at > cx.facts.now_ms => {
                draft.deadline_at = at;
                ask_target(cx, draft);
            }
            Some(_) => say(cx, "ks-deadline-past"),
            None => say(cx, "ks-ask-deadline"),
        },
        PollStep::Target { draft } => {
            let options = target_options(cx);
            match typed_numbers(text, options.len()).as_deref() {
                Some([i]) => {
                    let data = options[i - 1].0.clone();
                    on_choice(cx, &Step::Poll(PollStep::Target { draft }), &data);
                }
                _ => {
                    say(cx, "choose-an-option");
                    ask_target(cx, draft);
                }
            }
        }
        PollStep::Pick { draft, mut chosen } => match audience::typed_pick(cx, text, &mut chosen) {
            TypedPick::Toggled => show_pick(cx, draft, chosen),
            pressed @ (TypedPick::Done | TypedPick::Back) => {
                let data = if pressed == TypedPick::Done {
                    PollAction::PickDone
                } else {
                    PollAction::PickBack
                };
                on_choice(
                    cx,
                    &Step::Poll(PollStep::Pick { draft, chosen }),
                    &data.to_string(),
                );
            }
            TypedPick::Unclear => {
                say(cx, "choose-an-option");
                show_pick(cx, draft, chosen);
            }
        },
        PollStep::Confirm { draft, target } => {
            let data = match typed_numbers(text, 2).as_deref() {
                Some([1]) => PollAction::Send,
                Some([2]) => PollAction::Cancel,
                _ => {
                    say(cx, "choose-an-option");
                    show_preview(cx, draft, target);
                    return true;
                }
            };
            on_choice(
                cx,
                &Step::Poll(PollStep::Confirm { draft, target }),
                &data.to_string(),
            );
        }
        PollStep::Answer {
            poll_id,
            index,
            answers,
            ticked,
        } => on_answer_text(cx, (poll_id, index, answers, ticked), text),
    }
    true
}

fn on_choice(cx: &mut Ctx, step: &Step, data: &str) -> bool {
    if !data.starts_with("ks:") {
        return false;
    }
    let Some(a) = action(data) else {
        return false;
    };
    if cx.facts.member.is_none() {
        say(cx, "need-to-join");
        return true;
    }
    let officer_only = !matches!(
        a,
        PollAction::Go(_)
            | PollAction::Opt(_)
            | PollAction::Done
            | PollAction::Keep
            | PollAction::Stop
            | PollAction::Cancel
    );
    if officer_only && !is_officer(cx.facts) {
        cx.conv.step = step.clone();
        say(cx, "officer-only");
        return true;
    }
    // Buttons that stand on their own (a menu, a notice, the results).
    match a {
        PollAction::New => {
            start_new(cx);
            return true;
        }
        PollAction::Go(id) => {
            start_answer(cx, id);
            return true;
        }
        PollAction::Results(id) => {
            view(cx, id);
            return true;
        }
        PollAction::Texts {
            poll_id,
            question,
            page,
        } => {
            show_texts(cx, poll_id, question, page);
            return true;
        }
        PollAction::Export { poll_id, format } => {
            cx.conv.step = step.clone();
            if results_of(cx, poll_id).is_none()
                && !cx.facts.polls.visible.iter().any(|p| p.id == poll_id)
            {
                say(cx, "ks-not-found");
            } else {
                cx.effects
                    .push(Effect::Poll(PollEffect::Export { poll_id, format }));
            }
            return true;
        }
        _ => {}
    }
    let Step::Poll(ps) = step else {
        return false;
    };
    match (ps.clone(), a) {
        (_, PollAction::Cancel) if !matches!(ps, PollStep::Answer { .. }) => {
            cx.conv.step = Step::Idle;
            say(cx, "ks-discarded");
        }
        (PollStep::Kind { draft, text }, PollAction::Kind(kind)) => {
            if kind.has_options() {
                cx.conv.step = Step::Poll(PollStep::Options { draft, text, kind });
                let msg = tr!(cx.i18n, cx.lang, "ks-ask-options", max = MAX_OPTIONS as i64);
                cx.say(msg);
            } else {
                add_question(
                    cx,
                    draft,
                    PollQuestion {
                        text,
                        kind,
                        options: vec![],
                    },
                );
            }
        }
        (PollStep::Question { draft }, PollAction::QuestionsDone)
            if !draft.questions.is_empty() =>
        {
            ask_anonymous(cx, draft)
        }
        (PollStep::Anonymous { mut draft }, PollAction::Anonymous(anon)) => {
            draft.anonymous = anon;
            ask_deadline(cx, draft);
        }
        (PollStep::Target { draft }, PollAction::To(BroadcastTo::Pick)) => {
            if cx.facts.children.len() < 2 {
                return stale(cx, step);
            }
            show_pick(cx, draft, vec![]);
        }
        (PollStep::Target { draft }, PollAction::To(to)) => match resolve_target(cx, to, &[]) {
            Some(target) if target.count > 0 => show_preview(cx, draft, target),
            Some(_) => {
                say(cx, "bc-nobody");
                ask_target(cx, draft);
            }
            None => return stale(cx, step),
        },
        (PollStep::Pick { draft, chosen }, PollAction::PickUnit(id)) => {
            if !pickable(cx).iter().any(|(u, _, _)| *u == id) {
                return stale(cx, step);
            }
            let mut chosen = chosen;
            toggle(&mut chosen, id);
            show_pick(cx, draft, chosen);
        }
        (PollStep::Pick { draft, chosen }, PollAction::PickDone) => {
            match resolve_target(cx, BroadcastTo::Pick, &chosen) {
                Some(target) if target.count > 0 => show_preview(cx, draft, target),
                Some(_) => {
                    say(cx, "bc-nobody");
                    show_pick(cx, draft, chosen);
                }
                None => {
                    say(cx, "bc-pick-none");
                    show_pick(cx, draft, chosen);
                }
            }
        }
        (PollStep::Pick { draft, .. }, PollAction::PickBack) => ask_target(cx, draft),
        (PollStep::Confirm { draft, target }, PollAction::Send) => {
            cx.conv.step = Step::Idle;
            if !draft_ok(&draft) || draft.deadline_at <= cx.facts.now_ms {
                return stale(cx, &Step::Idle);
            }
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "ks-sent",
                title = esc(&draft.title),
                count = target.count
            );
            cx.effects
                .push(Effect::Poll(PollEffect::Create { draft, target }));
            cx.say(msg);
        }
        (
            PollStep::Answer {
                poll_id,
                index,
                answers,
                ticked,
            },
            a @ (PollAction::Opt(_)
            | PollAction::Done
            | PollAction::Keep
            | PollAction::Stop
            | PollAction::Cancel),
        ) => {
            let a = if a == PollAction::Cancel {
                PollAction::Stop
            } else {
                a
            };
            on_answer_choice(cx, (poll_id, index, answers, ticked), a)
        }
        _ => return stale(cx, step),
    }
    true
}

fn stale(cx: &mut Ctx, step: &Step) -> bool {
    cx.conv.step = step.clone();
    say(cx, "stale-button");
    true
}

fn reprompt(cx: &mut Ctx, step: &Step) {
    let Step::Poll(ps) = step else { return };
    match ps.clone() {
        PollStep::Menu { .. } => menu(cx),
        PollStep::Title => start_new(cx),
        PollStep::Question { draft } => ask_question(cx, draft),
        PollStep::Kind { draft, text } => ask_kind(cx, draft, text),
        PollStep::Options { .. } => {
            let msg = tr!(cx.i18n, cx.lang, "ks-ask-options", max = MAX_OPTIONS as i64);
            cx.say(msg);
        }
        PollStep::Anonymous { draft } => ask_anonymous(cx, draft),
        PollStep::Deadline { draft } => ask_deadline(cx, draft),
        PollStep::Target { draft } => ask_target(cx, draft),
        PollStep::Pick { draft, chosen } => show_pick(cx, draft, chosen),
        PollStep::Confirm { draft, target } => show_preview(cx, draft, target),
        PollStep::Answer {
            poll_id,
            index,
            answers,
            ticked,
        } => match find(cx, poll_id) {
            Some(p) => ask_answer(cx, &p, index, answers, ticked),
            None => cx.conv.step = Step::Idle,
        },
        PollStep::View { poll_id, .. } => view(cx, poll_id),
    }
}

/// Polls and surveys as one flow of the registry.
pub(super) struct Polls;

impl Flow for Polls {
    fn commands(&self) -> &'static [CommandSpec] {
        // Members answer with it too (to continue where they stopped); /help lists it
        // with the officers' commands.
        const C: &[CommandSpec] =
            &[CommandSpec::new("khaosat", Audience::Members, Listed::Members).in_menu()];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(step, Step::Poll(_))
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

    fn q(kind: QuestionKind, options: &[&str]) -> PollQuestion {
        PollQuestion {
            text: "Câu hỏi".into(),
            kind,
            options: options.iter().map(|o| o.to_string()).collect(),
        }
    }

    #[test]
    fn answers_fit_their_questions_only() {
        let single = q(QuestionKind::Single, &["A", "B"]);
        let multi = q(QuestionKind::Multi, &["A", "B", "C"]);
        assert!(PollAnswer::Choice(1).fits(&single));
        assert!(!PollAnswer::Choice(2).fits(&single));
        assert!(!PollAnswer::Choice(-1).fits(&single));
        assert!(PollAnswer::Multi(vec![0, 2]).fits(&multi));
        assert!(!PollAnswer::Multi(vec![2, 0]).fits(&multi), "ascending");
        assert!(!PollAnswer::Multi(vec![]).fits(&multi));
        assert!(!PollAnswer::Multi(vec![0, 0]).fits(&multi));
        assert!(!PollAnswer::Number(3).fits(&multi));
        assert!(PollAnswer::Number(0).fits(&q(QuestionKind::Number, &[])));
        assert!(!PollAnswer::Number(-1).fits(&q(QuestionKind::Number, &[])));
        assert!(!PollAnswer::Text(" ".into()).fits(&q(QuestionKind::Text, &[])));
    }

    #[test]
    fn averages_have_one_decimal_with_a_comma() {
        assert_eq!(average(0, 0), "—");
        assert_eq!(average(10, 4), "2,5");
        assert_eq!(average(12, 4), "3");
        assert_eq!(average(10, 3), "3,3");
        assert_eq!(average(i64::MAX, 1), i64::MAX.to_string());
    }

    #[test]
    fn steps_round_trip_through_json() {
        let step = Step::Poll(PollStep::Answer {
            poll_id: 3,
            index: 1,
            answers: vec![Some(PollAnswer::Multi(vec![0, 2])), None],
            ticked: vec![1],
        });
        let json = serde_json::to_string(&step).expect("json");
        assert!(json.contains(r#""step":"poll""#), "{json}");
        let back: Step = serde_json::from_str(&json).expect("decode");
        assert_eq!(back, step);
    }
}
