//! Quiz contests (`/cuocthi`, issue 19): an officer loads 1–50 questions (typed in one
//! message, or a .txt/.docx/.csv file), each with 2–6 options and one correct; sets the
//! window, the minutes for one attempt, the attempts allowed and an optional tie-break
//! guess; chooses who takes it (the polls' choices: the subtree, one or several child
//! units, the housing-group leaders) and sends it. Members start when they
//! like within the window and get one question at a time (buttons, or the option's
//! number on Zalo); an attempt that runs out of time is scored as it stands (checked when
//! the next answer comes, and by the scheduler's sweep: no timer has to fire). Officers
//! read the ranking (score, then time, then the closest guess) and unit leaderboards at
//! each level of their subtree, and get the ranking and winners as .xlsx; everyone sees
//! the correct answers once the window closed. `store::quiz` checks everything again.

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Asia::Ho_Chi_Minh;
use serde::{Deserialize, Serialize};

use super::audience::{self, TypedPick, pickable, picked_target};
use super::broadcast::BroadcastTarget;
use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::report_requests::parse_number;
use super::{Ctx, DocumentInput, Effect, Needs, PromptFlow, Step, is_officer, typed_numbers};
use crate::core::actions::{BroadcastTo, QuizAction};
use crate::core::domain::Role;
use crate::core::event::{Button, InboundEvent, Outbound, Payload, Reply};
use crate::core::text::{esc, fold, percent};
use crate::core::time::format_date_time;
use crate::tr;

pub const MAX_QUESTIONS: usize = 50;
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 6;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_QUESTION_CHARS: usize = 300;
pub const MAX_OPTION_CHARS: usize = 150;
pub const MAX_TIEBREAK_CHARS: usize = 200;
/// A question file larger than this is refused before it is read.
pub const MAX_FILE_BYTES: usize = 256 * 1024;
pub const MAX_MINUTES: i64 = 180;
pub const MAX_ATTEMPTS: i64 = 5;
/// The winners' list: the first this many of the ranking.
pub const WINNERS: usize = 10;
/// People shown in the chat ranking.
const RANK_SHOWN: usize = 10;
/// Units listed on a leaderboard, and offered to look into.
const BOARD_SHOWN: usize = 15;
const DRILL_SHOWN: usize = 8;
const MAX_LISTED: usize = 5;
/// A reply stays under Zalo's 2,000 characters.
const CHUNK_CHARS: usize = 1800;

const START_WORDS: &[&str] = &["1", "bắt đầu", "bat dau", "thi", "start"];
const NO_WORDS: &[&str] = &["không", "khong", "0", "bỏ qua", "bo qua", "no", "skip"];

/// Message ids of the export's columns.
pub const EXPORT_COLUMN_IDS: [&str; 7] = [
    "qz-col-rank",
    "qz-col-name",
    "qz-col-unit",
    "qz-col-score",
    "qz-col-time",
    "qz-col-guess",
    "qz-col-winner",
];

/// One question: its options and the index of the correct one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizQuestion {
    pub text: String,
    pub options: Vec<String>,
    pub correct: usize,
}

/// A quiz being prepared by an officer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuizDraft {
    pub title: String,
    #[serde(default)]
    pub questions: Vec<QuizQuestion>,
    #[serde(default)]
    pub starts_at: i64,
    #[serde(default)]
    pub ends_at: i64,
    #[serde(default)]
    pub minutes: i64,
    #[serde(default)]
    pub attempts: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiebreak: Option<String>,
    /// The tie-break's answer; `None`: the number of entrants when the window closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiebreak_answer: Option<i64>,
}

fn question_ok(q: &QuizQuestion) -> bool {
    let t = q.text.trim();
    !t.is_empty()
        && t.chars().count() <= MAX_QUESTION_CHARS
        && (MIN_OPTIONS..=MAX_OPTIONS).contains(&q.options.len())
        && q.correct < q.options.len()
        && q.options
            .iter()
            .all(|o| !o.trim().is_empty() && o.chars().count() <= MAX_OPTION_CHARS)
}

/// Whether a draft may be sent (checked again by the store).
pub fn draft_ok(d: &QuizDraft) -> bool {
    let t = d.title.trim();
    !t.is_empty()
        && t.chars().count() <= MAX_TITLE_CHARS
        && (1..=MAX_QUESTIONS).contains(&d.questions.len())
        && d.questions.iter().all(question_ok)
        && d.starts_at < d.ends_at
        && (1..=MAX_MINUTES).contains(&d.minutes)
        && (1..=MAX_ATTEMPTS).contains(&d.attempts)
        && d.tiebreak
            .as_ref()
            .is_none_or(|t| !t.trim().is_empty() && t.chars().count() <= MAX_TIEBREAK_CHARS)
        && d.tiebreak_answer.is_none_or(|n| n >= 0)
}

// ---- Loading questions ---------------------------------------------------------------

/// What is wrong with one question of a file or message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowProblem {
    NoQuestion,
    QuestionTooLong,
    Options(usize),
    OptionTooLong,
    /// No option marked correct, or a correct number that is not an option's.
    NoCorrect,
    SeveralCorrect,
    TooFewCells,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadError {
    Empty,
    TooLarge,
    NotText,
    TooMany(usize),
    /// `row`: the line of the file or message where the question starts.
    Row {
        row: usize,
        problem: RowProblem,
    },
}

/// "A. ", "a) ", "1. ", "- ": the label before an option or a question, if any.
fn strip_label(s: &str) -> &str {
    let s = s.trim();
    for prefix in ["Câu hỏi", "Câu", "câu", "Question", "Q"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let mut it = rest.trim_start().chars();
            let mut digits = 0;
            while it.clone().next().is_some_and(|c| c.is_ascii_digit()) {
                it.next();
                digits += 1;
            }
            let after = it.as_str();
            if digits > 0
                && let Some(rest) = after
                    .strip_prefix(':')
                    .or_else(|| after.strip_prefix('.'))
                    .or_else(|| after.strip_prefix(')'))
            {
                return rest.trim();
            }
        }
    }
    if let Some(rest) = s.strip_prefix("- ").or_else(|| s.strip_prefix("• ")) {
        return rest.trim();
    }
    let mut it = s.chars();
    let mut head = 0;
    while it.clone().next().is_some_and(|c| c.is_ascii_alphanumeric()) && head < 2 {
        it.next();
        head += 1;
    }
    let after = it.as_str();
    let letter_or_number = head == 1 || s.chars().take(2).all(|c| c.is_ascii_digit());
    if head > 0
        && letter_or_number
        && let Some(rest) = after.strip_prefix('.').or_else(|| after.strip_prefix(')'))
        && (rest.is_empty() || rest.starts_with(char::is_whitespace))
    {
        return rest.trim();
    }
    s
}

/// An option line: its text and whether it is marked correct (`*` before or after).
fn option_line(line: &str) -> (String, bool) {
    let mut s = line.trim();
    let mut marked = false;
    if let Some(rest) = s.strip_prefix('*') {
        marked = true;
        s = rest.trim();
    }
    s = strip_label(s);
    if let Some(rest) = s.strip_prefix('*') {
        marked = true;
        s = rest.trim();
    }
    if let Some(rest) = s.strip_suffix('*') {
        marked = true;
        s = rest.trim();
    }
    (s.to_string(), marked)
}

fn check(row: usize, q: QuizQuestion) -> Result<QuizQuestion, LoadError> {
    let problem = if q.text.trim().is_empty() {
        Some(RowProblem::NoQuestion)
    } else if q.text.chars().count() > MAX_QUESTION_CHARS {
        Some(RowProblem::QuestionTooLong)
    } else if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&q.options.len()) {
        Some(RowProblem::Options(q.options.len()))
    } else if q
        .options
        .iter()
        .any(|o| o.trim().is_empty() || o.chars().count() > MAX_OPTION_CHARS)
    {
        Some(RowProblem::OptionTooLong)
    } else if q.correct >= q.options.len() {
        Some(RowProblem::NoCorrect)
    } else {
        None
    };
    match problem {
        Some(problem) => Err(LoadError::Row { row, problem }),
        None => Ok(q),
    }
}

/// Questions typed in one message (or a .txt/.docx): blocks separated by a blank line;
/// a block's first line is the question, each further line an option, the correct one
/// marked with `*`:
///
/// ```text
/// Công đoàn Việt Nam thành lập năm nào?
/// A. 1929
/// *B. 1930
/// C. 1945
/// ```
pub fn parse_text(text: &str) -> Result<Vec<QuizQuestion>, LoadError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge);
    }
    let mut blocks: Vec<(usize, Vec<&str>)> = vec![];
    let mut current: Option<(usize, Vec<&str>)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if let Some(b) = current.take() {
                blocks.push(b);
            }
        } else {
            current.get_or_insert_with(|| (i + 1, vec![])).1.push(line);
        }
    }
    blocks.extend(current);
    if blocks.is_empty() {
        return Err(LoadError::Empty);
    }
    if blocks.len() > MAX_QUESTIONS {
        return Err(LoadError::TooMany(blocks.len()));
    }
    let mut out = vec![];
    for (row, lines) in blocks {
        let text = strip_label(lines[0]).to_string();
        let mut options = vec![];
        let mut correct = vec![];
        for (k, line) in lines[1..].iter().enumerate() {
            let (o, marked) = option_line(line);
            if marked {
                correct.push(k);
            }
            options.push(o);
        }
        if correct.len() > 1 {
            return Err(LoadError::Row {
                row,
                problem: RowProblem::SeveralCorrect,
            });
        }
        let q = QuizQuestion {
            text,
            correct: correct.first().copied().unwrap_or(usize::MAX),
            options,
        };
        out.push(check(row, q)?);
    }
    Ok(out)
}

/// Questions from a .csv: one row each, `question, options, correct`: the options in one
/// cell separated by `;` or in several cells, the correct option's number (from 1) last.
/// A first row whose last cell is not a number is a header.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<QuizQuestion>, LoadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge);
    }
    let text = crate::core::directive::decode_text(bytes).map_err(|_| LoadError::NotText)?;
    if crate::core::directive::looks_binary(&text) {
        return Err(LoadError::NotText);
    }
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = vec![];
    let mut first = true;
    for record in reader.records() {
        let record = record.map_err(|e| LoadError::Row {
            row: e.position().map_or(0, |p| p.line() as usize),
            problem: RowProblem::TooFewCells,
        })?;
        let row = record.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        let was_first = std::mem::replace(&mut first, false);
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let last = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
        let cells = &cells[..=last];
        let correct_cell = cells.last().copied().unwrap_or("");
        let correct: Option<usize> = correct_cell.parse().ok();
        if was_first && correct.is_none() {
            continue; // a header
        }
        if out.len() >= MAX_QUESTIONS {
            return Err(LoadError::TooMany(out.len() + 1));
        }
        if cells.len() < 3 {
            return Err(LoadError::Row {
                row,
                problem: RowProblem::TooFewCells,
            });
        }
        let options: Vec<String> = if cells.len() == 3 {
            cells[1]
                .split(';')
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect()
        } else {
            cells[1..cells.len() - 1]
                .iter()
                .filter(|o| !o.is_empty())
                .map(|o| o.to_string())
                .collect()
        };
        let correct = correct
            .and_then(|n| n.checked_sub(1))
            .filter(|k| *k < options.len())
            .unwrap_or(usize::MAX);
        let q = QuizQuestion {
            text: strip_label(cells[0]).to_string(),
            options,
            correct,
        };
        out.push(check(row, q)?);
    }
    if out.is_empty() {
        return Err(LoadError::Empty);
    }
    Ok(out)
}

/// A file sent to the bot: .csv by its name, else text (a .docx's paragraphs, or UTF-8
/// text) in the typed format.
pub fn parse_file(file_name: Option<&str>, bytes: &[u8]) -> Result<Vec<QuizQuestion>, LoadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge);
    }
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    let is_csv = file_name.is_some_and(|n| n.to_lowercase().ends_with(".csv"));
    if is_csv {
        return parse_csv(bytes);
    }
    let text = if bytes.starts_with(b"PK\x03\x04") {
        crate::core::directive::docx_to_text(bytes).map_err(|_| LoadError::NotText)?
    } else {
        crate::core::directive::decode_text(bytes).map_err(|_| LoadError::NotText)?
    };
    if crate::core::directive::looks_binary(&text) {
        return Err(LoadError::NotText);
    }
    parse_text(&text)
}

/// "1/12/2026 - 20/12/2026" or "1/12/2026 08:00 đến 20/12/2026 20:00" (local time): the
/// window's start and end, in epoch milliseconds. A day without a time starts at 00:00
/// and ends at 23:59.
pub fn parse_window(text: &str) -> Option<(i64, i64)> {
    let mut points: Vec<(NaiveDate, Option<(u32, u32)>)> = vec![];
    for token in text.split_whitespace() {
        let t = fold(token);
        if ["-", "–", "đến", "den", "to", "tới", "toi"].contains(&t.as_str()) {
            continue;
        }
        if let Some(time) = parse_clock(&t) {
            let last = points.last_mut()?;
            if last.1.is_some() {
                return None;
            }
            last.1 = Some(time);
            continue;
        }
        let parts: Vec<u32> = t
            .split(['/', '.', '-'])
            .map(|p| p.parse().ok())
            .collect::<Option<Vec<_>>>()?;
        let [d, m, y] = parts.as_slice() else {
            return None;
        };
        let date = NaiveDate::from_ymd_opt(i32::try_from(*y).ok()?, *m, *d)?;
        points.push((date, None));
    }
    let [(d1, t1), (d2, t2)] = points.as_slice() else {
        return None;
    };
    let at = |d: NaiveDate, (h, m): (u32, u32)| {
        Ho_Chi_Minh
            .from_local_datetime(&d.and_hms_opt(h, m, 0)?)
            .earliest()
            .map(|t| t.timestamp_millis())
    };
    let start = at(*d1, t1.unwrap_or((0, 0)))?;
    let end = match t2 {
        Some(t) => at(*d2, *t)?,
        None => at(d2.succ_opt()?, (0, 0))? - 60_000,
    };
    (start < end).then_some((start, end))
}

/// "08:00", "8h", "20h30".
fn parse_clock(t: &str) -> Option<(u32, u32)> {
    let (h, m) = t.split_once(':').or_else(|| t.split_once('h'))?;
    let h: u32 = h.parse().ok()?;
    let m: u32 = if m.is_empty() { 0 } else { m.parse().ok()? };
    (h < 24 && m < 60).then_some((h, m))
}

// ---- Steps, effects, facts -------------------------------------------------------------

/// Where a quiz conversation stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "qz", rename_all = "snake_case")]
pub enum QuizStep {
    /// The `/cuocthi` menu, with the data of its options as shown.
    Menu {
        #[serde(default)]
        choices: Vec<String>,
    },
    Title,
    Questions {
        title: String,
    },
    Window {
        draft: QuizDraft,
    },
    Minutes {
        draft: QuizDraft,
    },
    Attempts {
        draft: QuizDraft,
    },
    Tiebreak {
        draft: QuizDraft,
    },
    Target {
        draft: QuizDraft,
    },
    /// Choosing several child units.
    Pick {
        draft: QuizDraft,
        chosen: Vec<i64>,
    },
    Confirm {
        draft: QuizDraft,
        target: BroadcastTarget,
    },
    /// Taking quiz `quiz_id` (the question is the attempt's next, as stored).
    Take {
        quiz_id: i64,
    },
    /// The tie-break guess, after the last question.
    Guess {
        quiz_id: i64,
    },
    /// An officer reading results, with the options offered.
    View {
        quiz_id: i64,
        #[serde(default)]
        choices: Vec<String>,
    },
}

/// What a quiz conversation changes; the store checks each again in SQL.
#[derive(Debug, Clone, PartialEq)]
pub enum QuizEffect {
    Create {
        draft: QuizDraft,
        target: BroadcastTarget,
    },
    /// A new attempt, if the window is open and attempts are left.
    Start { quiz_id: i64 },
    Answer {
        quiz_id: i64,
        question: i64,
        option: i64,
    },
    /// The open attempt ends (scored as it stands), with the tie-break guess.
    Finish { quiz_id: i64, guess: Option<i64> },
    /// The ranking and the winners, over the officer's subtree, as .xlsx.
    Export { quiz_id: i64 },
}

/// A quiz as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizView {
    pub id: i64,
    pub title: String,
    /// The author's unit.
    pub unit_name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub minutes: i64,
    pub attempts: i64,
    pub questions: Vec<QuizQuestion>,
    pub tiebreak: Option<String>,
}

/// A member's attempt under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptView {
    pub started_at: i64,
    pub deadline_at: i64,
    pub answered: i64,
    pub score: i64,
}

/// A quiz put to the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizToTake {
    pub quiz: QuizView,
    /// Attempts started.
    pub used: i64,
    pub open: Option<AttemptView>,
    /// (score, milliseconds) of their best finished attempt.
    pub best: Option<(i64, i64)>,
}

/// One unit of a leaderboard, over its whole subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizBoardRow {
    pub unit_id: i64,
    pub name: String,
    pub members: i64,
    pub entrants: i64,
    pub score_sum: i64,
}

/// One person of the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizRankRow {
    pub name: String,
    pub unit: String,
    pub score: i64,
    pub elapsed_ms: i64,
    pub guess: Option<i64>,
}

/// The results of one quiz over one unit's subtree (counted in SQL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizResults {
    pub quiz: QuizView,
    /// The unit looked at (the officer's or one below), then its direct children.
    pub rows: Vec<QuizBoardRow>,
    /// The officer's own unit (to go back up to).
    pub own_unit_id: i64,
    pub top: Vec<QuizRankRow>,
    /// The number the tie-break guesses are measured against.
    pub tiebreak_target: Option<i64>,
}

/// What the processor looked up for this flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuizFacts {
    /// Quizzes put to the member (open, coming or recently closed), soonest end first.
    pub to_take: Vec<QuizToTake>,
    /// Quizzes whose results the officer may read, newest first.
    pub visible: Vec<QuizView>,
    pub results: Option<QuizResults>,
}

/// What the processor must look up for this flow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuizNeeds {
    pub lists: bool,
    /// (quiz, unit).
    pub results: Option<(i64, i64)>,
}

fn action(data: &str) -> Option<QuizAction> {
    data.parse().ok()
}

pub(super) fn needs(ev: &InboundEvent, step: &Step, n: &mut Needs) {
    let ours = matches!(step, Step::Quiz(_));
    if ours {
        n.quiz.lists = true;
        n.officer_units = true;
        n.broadcasts = true;
    }
    match &ev.payload {
        Payload::Text { text } => match super::split_command(text.trim()) {
            Some((cmd, _)) if cmd == "cuocthi" => n.quiz.lists = true,
            Some(_) => {}
            None if ours => {
                if let Step::Quiz(QuizStep::Menu { choices } | QuizStep::View { choices, .. }) =
                    step
                    && let Some([i]) = typed_numbers(text, choices.len()).as_deref()
                    && let Some(QuizAction::Results { quiz_id, unit_id }) = action(&choices[i - 1])
                {
                    n.quiz.results = Some((quiz_id, unit_id));
                }
            }
            None => {}
        },
        Payload::Button { data, .. } if data.starts_with("qz:") => {
            n.quiz.lists = true;
            n.officer_units = true;
            n.broadcasts = true;
            if let Some(QuizAction::Results { quiz_id, unit_id }) = action(data) {
                n.quiz.results = Some((quiz_id, unit_id));
            }
        }
        Payload::Document { .. } if ours => n.document = true,
        _ => {}
    }
}

fn say(cx: &mut Ctx, id: &str) {
    let msg = cx.t(id);
    cx.say(msg);
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// "1:05" (minutes:seconds), "1:02:05" past an hour.
pub fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// An average with one decimal, the Vietnamese way.
fn average(sum: i64, n: i64) -> String {
    super::polls::average(sum, n)
}

fn pct(part: i64, whole: i64) -> String {
    if whole <= 0 {
        "—".to_string()
    } else {
        format!("{}%", percent(part, whole))
    }
}

/// Lines joined into messages of at most [`CHUNK_CHARS`] characters each.
fn chunks(lines: Vec<String>) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    for l in lines {
        if !cur.is_empty() && cur.chars().count() + l.chars().count() + 1 > CHUNK_CHARS {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push('\n');
        }
        cur.push_str(&l);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn find(cx: &Ctx, id: i64) -> Option<QuizToTake> {
    cx.facts
        .quiz
        .to_take
        .iter()
        .find(|p| p.quiz.id == id)
        .cloned()
}

// ---- The menu ------------------------------------------------------------------------

fn menu_options(cx: &Ctx) -> Vec<(String, String)> {
    let mut options = vec![];
    let now = cx.facts.now_ms;
    if is_officer(cx.facts) {
        options.push((QuizAction::New.to_string(), cx.t("qz-new")));
    }
    for p in cx.facts.quiz.to_take.iter().take(MAX_LISTED) {
        let q = &p.quiz;
        let (data, key) = if now > q.ends_at {
            (QuizAction::Reveal(q.id), "qz-menu-reveal")
        } else if p.open.is_some() {
            (QuizAction::Go(q.id), "qz-menu-continue")
        } else {
            (QuizAction::Go(q.id), "qz-menu-take")
        };
        options.push((
            data.to_string(),
            tr!(
                cx.i18n,
                cx.lang,
                key,
                title = short(&q.title),
                end = format_date_time(q.ends_at)
            ),
        ));
    }
    if let Some(m) = &cx.facts.member
        && m.role == Role::Officer
    {
        for q in cx.facts.quiz.visible.iter().take(MAX_LISTED) {
            options.push((
                QuizAction::Results {
                    quiz_id: q.id,
                    unit_id: m.unit_id,
                }
                .to_string(),
                tr!(cx.i18n, cx.lang, "qz-menu-results", title = short(&q.title)),
            ));
        }
    }
    options
}

fn menu(cx: &mut Ctx) {
    let options = menu_options(cx);
    if options.is_empty() {
        cx.conv.step = Step::Idle;
        return say(cx, "qz-none");
    }
    cx.conv.step = Step::Quiz(QuizStep::Menu {
        choices: options.iter().map(|(d, _)| d.clone()).collect(),
    });
    let text = cx.t("qz-menu");
    cx.ask_owned(text, &options);
}

// ---- Preparing a quiz ----------------------------------------------------------------

fn start_new(cx: &mut Ctx) {
    cx.conv.step = Step::Quiz(QuizStep::Title);
    say(cx, "qz-ask-title");
}

fn ask_questions(cx: &mut Ctx, title: String) {
    cx.conv.step = Step::Quiz(QuizStep::Questions { title });
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "qz-ask-questions",
        max = MAX_QUESTIONS as i64,
        options = MAX_OPTIONS as i64
    );
    cx.say(msg);
}

fn load_failed(cx: &mut Ctx, e: LoadError) {
    let msg = match e {
        LoadError::Empty => cx.t("qz-load-empty"),
        LoadError::TooLarge => tr!(
            cx.i18n,
            cx.lang,
            "qz-load-too-large",
            kb = (MAX_FILE_BYTES / 1024) as i64
        ),
        LoadError::NotText => cx.t("qz-load-not-text"),
        LoadError::TooMany(n) => tr!(
            cx.i18n,
            cx.lang,
            "qz-load-too-many",
            count = n as i64,
            max = MAX_QUESTIONS as i64
        ),
        LoadError::Row { row, problem } => {
            let what = match problem {
                RowProblem::NoQuestion => cx.t("qz-row-no-question"),
                RowProblem::QuestionTooLong => tr!(
                    cx.i18n,
                    cx.lang,
                    "qz-row-question-too-long",
                    max = MAX_QUESTION_CHARS as i64
                ),
                RowProblem::Options(n) => tr!(
                    cx.i18n,
                    cx.lang,
                    "qz-row-options",
                    count = n as i64,
                    min = MIN_OPTIONS as i64,
                    max = MAX_OPTIONS as i64
                ),
                RowProblem::OptionTooLong => tr!(
                    cx.i18n,
                    cx.lang,
                    "qz-row-option-too-long",
                    max = MAX_OPTION_CHARS as i64
                ),
                RowProblem::NoCorrect => cx.t("qz-row-no-correct"),
                RowProblem::SeveralCorrect => cx.t("qz-row-several-correct"),
                RowProblem::TooFewCells => cx.t("qz-row-cells"),
            };
            tr!(
                cx.i18n,
                cx.lang,
                "qz-load-row",
                row = row as i64,
                what = what
            )
        }
    };
    cx.say(msg);
}

fn loaded(cx: &mut Ctx, title: String, questions: Vec<QuizQuestion>) {
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "qz-loaded",
        count = questions.len() as i64
    );
    cx.say(msg);
    let draft = QuizDraft {
        title,
        questions,
        attempts: 1,
        ..QuizDraft::default()
    };
    ask_window(cx, draft);
}

fn ask_window(cx: &mut Ctx, draft: QuizDraft) {
    cx.conv.step = Step::Quiz(QuizStep::Window { draft });
    say(cx, "qz-ask-window");
}

fn ask_minutes(cx: &mut Ctx, draft: QuizDraft) {
    cx.conv.step = Step::Quiz(QuizStep::Minutes { draft });
    let msg = tr!(cx.i18n, cx.lang, "qz-ask-minutes", max = MAX_MINUTES);
    cx.say(msg);
}

fn ask_attempts(cx: &mut Ctx, draft: QuizDraft) {
    cx.conv.step = Step::Quiz(QuizStep::Attempts { draft });
    let text = tr!(cx.i18n, cx.lang, "qz-ask-attempts", max = MAX_ATTEMPTS);
    let options: Vec<(String, String)> = (1..=3)
        .map(|n| {
            (
                QuizAction::Attempts(n).to_string(),
                tr!(cx.i18n, cx.lang, "qz-attempts-n", n = n),
            )
        })
        .collect();
    cx.ask_owned(text, &options);
}

fn ask_tiebreak(cx: &mut Ctx, draft: QuizDraft) {
    cx.conv.step = Step::Quiz(QuizStep::Tiebreak { draft });
    let text = cx.t("qz-ask-tiebreak");
    let buttons = if cx.ev.channel.has_buttons() {
        vec![vec![Button {
            label: cx.t("qz-no-tiebreak"),
            data: QuizAction::NoTiebreak.to_string(),
        }]]
    } else {
        vec![]
    };
    cx.replies.push(Reply {
        chat_id: cx.ev.chat_id.clone(),
        body: Outbound::Message { text, buttons },
    });
}

/// Who takes it: the whole subtree, one or several child units, or the housing-group
/// leaders.
fn target_options(cx: &Ctx) -> Vec<(String, String)> {
    audience::target_options(cx, false, |to| QuizAction::To(to).to_string())
}

fn ask_target(cx: &mut Ctx, draft: QuizDraft) {
    cx.conv.step = Step::Quiz(QuizStep::Target { draft });
    let text = cx.t("qz-ask-target");
    let options = target_options(cx);
    cx.ask_owned(text, &options);
}

fn show_pick(cx: &mut Ctx, draft: QuizDraft, chosen: Vec<i64>) {
    let options = audience::pick_options(
        cx,
        &chosen,
        |id| QuizAction::PickUnit(id).to_string(),
        QuizAction::PickDone.to_string(),
        QuizAction::PickBack.to_string(),
    );
    let text = cx.t("bc-pick-help");
    cx.conv.step = Step::Quiz(QuizStep::Pick { draft, chosen });
    cx.ask_owned(text, &options);
}

fn resolve_target(cx: &Ctx, to: BroadcastTo) -> Option<BroadcastTarget> {
    audience::resolve_target(cx, to, false, |to| QuizAction::To(to).to_string())
}

fn show_preview(cx: &mut Ctx, draft: QuizDraft, target: BroadcastTarget) {
    let tiebreak = match (&draft.tiebreak, draft.tiebreak_answer) {
        (None, _) => cx.t("qz-no-tiebreak"),
        (Some(t), Some(n)) => format!("{} (= {n})", esc(t)),
        (Some(t), None) => format!("{} ({})", esc(t), cx.t("qz-tiebreak-entrants")),
    };
    let text = tr!(
        cx.i18n,
        cx.lang,
        "qz-preview",
        title = esc(&draft.title),
        count = draft.questions.len() as i64,
        first = esc(&draft
            .questions
            .first()
            .map_or(String::new(), |q| q.text.clone())),
        start = format_date_time(draft.starts_at),
        end = format_date_time(draft.ends_at),
        minutes = draft.minutes,
        attempts = draft.attempts,
        tiebreak = tiebreak,
        target = esc(&target.label),
        people = target.count
    );
    cx.conv.step = Step::Quiz(QuizStep::Confirm { draft, target });
    let options = [
        (QuizAction::Send.to_string(), cx.t("qz-send")),
        (QuizAction::Cancel.to_string(), cx.t("qz-discard")),
    ];
    cx.ask_owned(text, &options);
}

// ---- Taking a quiz -------------------------------------------------------------------

fn done_text(cx: &Ctx, quiz: &QuizView, score: i64, elapsed: i64, left: i64) -> String {
    let mut text = tr!(
        cx.i18n,
        cx.lang,
        "qz-done",
        title = esc(&quiz.title),
        score = score,
        count = quiz.questions.len() as i64,
        time = clock(elapsed)
    );
    text.push('\n');
    text.push_str(&if left > 0 {
        tr!(cx.i18n, cx.lang, "qz-attempts-left", n = left)
    } else {
        tr!(
            cx.i18n,
            cx.lang,
            "qz-reveal-after",
            end = format_date_time(quiz.ends_at)
        )
    });
    text
}

/// The attempt ends: `elapsed` as the store will count it.
fn finish(cx: &mut Ctx, p: &QuizToTake, a: AttemptView, guess: Option<i64>, timed_out: bool) {
    cx.conv.step = Step::Idle;
    cx.effects.push(Effect::Quiz(QuizEffect::Finish {
        quiz_id: p.quiz.id,
        guess,
    }));
    if timed_out {
        say(cx, "qz-time-up");
    }
    let elapsed = if timed_out {
        a.deadline_at - a.started_at
    } else {
        cx.facts.now_ms.min(a.deadline_at) - a.started_at
    };
    let left = (p.quiz.attempts - p.used).max(0);
    let msg = done_text(cx, &p.quiz, a.score, elapsed, left);
    cx.say(msg);
}

fn ask_question(cx: &mut Ctx, quiz: &QuizView, a: AttemptView) {
    let index = usize::try_from(a.answered).unwrap_or(usize::MAX);
    let Some(q) = quiz.questions.get(index) else {
        return;
    };
    let left_min = ((a.deadline_at - cx.facts.now_ms).max(0) + 59_999) / 60_000;
    let text = tr!(
        cx.i18n,
        cx.lang,
        "qz-question",
        n = a.answered + 1,
        count = quiz.questions.len() as i64,
        minutes = left_min,
        question = esc(&q.text)
    );
    let options: Vec<(String, String)> = q
        .options
        .iter()
        .enumerate()
        .map(|(k, o)| {
            (
                QuizAction::Answer {
                    quiz_id: quiz.id,
                    question: a.answered,
                    option: k as i64,
                }
                .to_string(),
                o.clone(),
            )
        })
        .collect();
    cx.conv.step = Step::Quiz(QuizStep::Take { quiz_id: quiz.id });
    cx.ask_owned(text, &options);
}

fn ask_guess(cx: &mut Ctx, quiz: &QuizView) {
    cx.conv.step = Step::Quiz(QuizStep::Guess { quiz_id: quiz.id });
    let msg = tr!(
        cx.i18n,
        cx.lang,
        "qz-ask-guess",
        question = esc(quiz.tiebreak.as_deref().unwrap_or_default())
    );
    cx.say(msg);
}

/// Go on from where the attempt stands: the next question, the guess, or the end.
fn go_on(cx: &mut Ctx, p: &QuizToTake, a: AttemptView) {
    let n = p.quiz.questions.len() as i64;
    if a.answered < n {
        ask_question(cx, &p.quiz, a);
    } else if p.quiz.tiebreak.is_some() {
        ask_guess(cx, &p.quiz);
    } else {
        finish(cx, p, a, None, false);
    }
}

fn start(cx: &mut Ctx, id: i64) {
    let Some(p) = find(cx, id) else {
        cx.conv.step = Step::Idle;
        return say(cx, "qz-not-for-you");
    };
    let now = cx.facts.now_ms;
    if let Some(a) = p.open {
        if now <= a.deadline_at {
            return go_on(cx, &p, a);
        }
        // Ran out of time while away: scored as it stands.
        finish(cx, &p, a, None, true);
        return;
    }
    if now < p.quiz.starts_at {
        cx.conv.step = Step::Idle;
        let msg = tr!(
            cx.i18n,
            cx.lang,
            "qz-not-yet",
            start = format_date_time(p.quiz.starts_at)
        );
        return cx.say(msg);
    }
    if now > p.quiz.ends_at {
        cx.conv.step = Step::Idle;
        return reveal(cx, id);
    }
    if p.used >= p.quiz.attempts {
        cx.conv.step = Step::Idle;
        let (score, ms) = p.best.unwrap_or((0, 0));
        let msg = tr!(
            cx.i18n,
            cx.lang,
            "qz-no-attempts-left",
            score = score,
            count = p.quiz.questions.len() as i64,
            time = clock(ms),
            end = format_date_time(p.quiz.ends_at)
        );
        return cx.say(msg);
    }
    cx.effects
        .push(Effect::Quiz(QuizEffect::Start { quiz_id: p.quiz.id }));
    let head = tr!(
        cx.i18n,
        cx.lang,
        "qz-start-head",
        title = esc(&p.quiz.title),
        count = p.quiz.questions.len() as i64,
        minutes = p.quiz.minutes,
        attempt = p.used + 1,
        attempts = p.quiz.attempts
    );
    cx.say(head);
    let a = AttemptView {
        started_at: now,
        deadline_at: now
            .saturating_add(p.quiz.minutes * 60_000)
            .min(p.quiz.ends_at),
        answered: 0,
        score: 0,
    };
    ask_question(cx, &p.quiz, a);
}

fn on_answer(cx: &mut Ctx, quiz_id: i64, question: i64, option: i64) {
    let Some(p) = find(cx, quiz_id) else {
        cx.conv.step = Step::Idle;
        return say(cx, "qz-not-for-you");
    };
    let Some(a) = p.open else {
        cx.conv.step = Step::Idle;
        return say(cx, "qz-attempt-closed");
    };
    if cx.facts.now_ms > a.deadline_at {
        return finish(cx, &p, a, None, true);
    }
    if question != a.answered {
        say(cx, "stale-button");
        return go_on(cx, &p, a);
    }
    let Some(q) = usize::try_from(question)
        .ok()
        .and_then(|i| p.quiz.questions.get(i))
    else {
        return go_on(cx, &p, a);
    };
    let Some(k) = usize::try_from(option)
        .ok()
        .filter(|k| *k < q.options.len())
    else {
        say(cx, "choose-an-option");
        return ask_question(cx, &p.quiz, a);
    };
    cx.effects.push(Effect::Quiz(QuizEffect::Answer {
        quiz_id,
        question,
        option,
    }));
    let a = AttemptView {
        answered: a.answered + 1,
        score: a.score + i64::from(k == q.correct),
        ..a
    };
    go_on(cx, &p, a);
}

/// The correct answers (after the window), with the member's best score.
fn reveal(cx: &mut Ctx, id: i64) {
    let quiz = find(cx, id).map(|p| (p.quiz, p.best)).or_else(|| {
        cx.facts
            .quiz
            .visible
            .iter()
            .find(|q| q.id == id)
            .map(|q| (q.clone(), None))
    });
    let Some((quiz, best)) = quiz else {
        cx.conv.step = Step::Idle;
        return say(cx, "qz-not-for-you");
    };
    cx.conv.step = Step::Idle;
    if cx.facts.now_ms <= quiz.ends_at {
        let msg = tr!(
            cx.i18n,
            cx.lang,
            "qz-reveal-after",
            end = format_date_time(quiz.ends_at)
        );
        return cx.say(msg);
    }
    let mut lines = vec![tr!(
        cx.i18n,
        cx.lang,
        "qz-reveal-head",
        title = esc(&quiz.title)
    )];
    if let Some((score, ms)) = best {
        lines.push(tr!(
            cx.i18n,
            cx.lang,
            "qz-your-best",
            score = score,
            count = quiz.questions.len() as i64,
            time = clock(ms)
        ));
    }
    for (i, q) in quiz.questions.iter().enumerate() {
        let answer = q.options.get(q.correct).cloned().unwrap_or_default();
        lines.push(format!(
            "{}. {}\n   ✅ {}) {}",
            i + 1,
            esc(&q.text),
            q.correct + 1,
            esc(&answer)
        ));
    }
    for msg in chunks(lines) {
        cx.say(msg);
    }
}

// ---- Results -------------------------------------------------------------------------

fn results_of(cx: &Ctx, quiz_id: i64, unit_id: i64) -> Option<QuizResults> {
    cx.facts
        .quiz
        .results
        .clone()
        .filter(|r| r.quiz.id == quiz_id && r.rows.first().is_some_and(|u| u.unit_id == unit_id))
}

fn view(cx: &mut Ctx, quiz_id: i64, unit_id: i64) {
    let Some(r) = results_of(cx, quiz_id, unit_id) else {
        cx.conv.step = Step::Idle;
        return say(cx, "qz-not-found");
    };
    let n = r.quiz.questions.len() as i64;
    let Some(head_row) = r.rows.first() else {
        return;
    };
    let mut lines = vec![tr!(
        cx.i18n,
        cx.lang,
        "qz-results-head",
        title = esc(&r.quiz.title),
        unit = esc(&head_row.name),
        start = format_date_time(r.quiz.starts_at),
        end = format_date_time(r.quiz.ends_at),
        entrants = head_row.entrants,
        members = head_row.members,
        rate = pct(head_row.entrants, head_row.members),
        avg = average(head_row.score_sum, head_row.entrants),
        count = n
    )];
    lines.push(String::new());
    lines.push(cx.t("qz-ranking"));
    if r.top.is_empty() {
        lines.push(cx.t("qz-nobody-yet"));
    }
    for (i, p) in r.top.iter().take(RANK_SHOWN).enumerate() {
        let guess = match p.guess {
            Some(g) => format!(" · {} {g}", cx.t("qz-guess-short")),
            None => String::new(),
        };
        lines.push(format!(
            "{}. {} ({}) — <b>{}/{n}</b> · {}{guess}",
            i + 1,
            esc(&p.name),
            esc(&p.unit),
            p.score,
            clock(p.elapsed_ms)
        ));
    }
    let mut board: Vec<&QuizBoardRow> = r.rows.iter().skip(1).collect();
    board.sort_by(|a, b| {
        b.entrants
            .cmp(&a.entrants)
            .then_with(|| {
                // Higher participation first: a/b > c/d  <=>  a*d > c*b.
                (i128::from(b.entrants) * i128::from(a.members.max(1)))
                    .cmp(&(i128::from(a.entrants) * i128::from(b.members.max(1))))
            })
            .then_with(|| a.name.cmp(&b.name))
    });
    if !board.is_empty() {
        lines.push(String::new());
        lines.push(cx.t("qz-board"));
        for (i, row) in board.iter().take(BOARD_SHOWN).enumerate() {
            lines.push(tr!(
                cx.i18n,
                cx.lang,
                "qz-board-row",
                rank = i as i64 + 1,
                unit = esc(&row.name),
                entrants = row.entrants,
                members = row.members,
                rate = pct(row.entrants, row.members),
                avg = average(row.score_sum, row.entrants)
            ));
        }
    }
    for msg in chunks(lines) {
        cx.say(msg);
    }
    let mut options = vec![];
    for row in board.iter().filter(|r| r.entrants > 0).take(DRILL_SHOWN) {
        options.push((
            QuizAction::Results {
                quiz_id,
                unit_id: row.unit_id,
            }
            .to_string(),
            tr!(cx.i18n, cx.lang, "qz-look-into", unit = row.name.as_str()),
        ));
    }
    if unit_id != r.own_unit_id {
        options.push((
            QuizAction::Results {
                quiz_id,
                unit_id: r.own_unit_id,
            }
            .to_string(),
            cx.t("qz-back-up"),
        ));
    }
    if cx.ev.channel.can_send_files() {
        options.push((QuizAction::Export(quiz_id).to_string(), cx.t("qz-export")));
    }
    if cx.facts.now_ms > r.quiz.ends_at {
        options.push((QuizAction::Reveal(quiz_id).to_string(), cx.t("qz-reveal")));
    }
    cx.conv.step = Step::Quiz(QuizStep::View {
        quiz_id,
        choices: options.iter().map(|(d, _)| d.clone()).collect(),
    });
    if !options.is_empty() {
        let q = cx.t("qz-view-what");
        cx.ask_owned(q, &options);
    }
}

// ---- Input ---------------------------------------------------------------------------

fn on_text(cx: &mut Ctx, text: &str) -> bool {
    let Step::Quiz(step) = cx.conv.step.clone() else {
        // A typed "1" in Idle starts the newest quiz put to the person.
        if cx.conv.step == Step::Idle
            && let Some(p) = cx.facts.pending_prompt
            && p.flow == PromptFlow::Quiz
            && START_WORDS.contains(&fold(text).as_str())
        {
            start(cx, p.object_id);
            return true;
        }
        return false;
    };
    let t = text.trim();
    match step {
        QuizStep::Menu { choices } | QuizStep::View { choices, .. } => {
            match typed_numbers(text, choices.len()).as_deref() {
                Some([i]) => {
                    let data = choices[i - 1].clone();
                    let step = cx.conv.step.clone();
                    on_choice(cx, &step, &data);
                }
                _ => return false,
            }
        }
        QuizStep::Title => {
            if t.is_empty() || t.chars().count() > MAX_TITLE_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "qz-too-long",
                    max = MAX_TITLE_CHARS as i64
                );
                cx.say(msg);
                return true;
            }
            ask_questions(cx, t.to_string());
        }
        QuizStep::Questions { title } => match parse_text(text) {
            Ok(questions) => loaded(cx, title, questions),
            Err(e) => load_failed(cx, e),
        },
        QuizStep::Window { mut draft } => match parse_window(t) {
            Some((start, end)) if end > cx.facts.now_ms => {
                draft.starts_at = start;
                draft.ends_at = end;
                ask_minutes(cx, draft);
            }
            Some(_) => say(cx, "qz-window-past"),
            None => say(cx, "qz-ask-window"),
        },
        QuizStep::Minutes { mut draft } => match t.parse::<i64>() {
            Ok(n) if (1..=MAX_MINUTES).contains(&n) => {
                draft.minutes = n;
                ask_attempts(cx, draft);
            }
            _ => {
                let msg = tr!(cx.i18n, cx.lang, "qz-ask-minutes", max = MAX_MINUTES);
                cx.say(msg);
            }
        },
        QuizStep::Attempts { mut draft } => match t.parse::<i64>() {
            Ok(n) if (1..=MAX_ATTEMPTS).contains(&n) => {
                draft.attempts = n;
                ask_tiebreak(cx, draft);
            }
            _ => {
                say(cx, "choose-an-option");
                ask_attempts(cx, draft);
            }
        },
        QuizStep::Tiebreak { mut draft } => {
            if NO_WORDS.contains(&fold(t).as_str()) {
                draft.tiebreak = None;
                ask_target(cx, draft);
                return true;
            }
            let (question, answer) = match t.rsplit_once('|') {
                Some((q, a)) => match parse_number(a) {
                    Some(n) => (q.trim(), Some(n)),
                    None => {
                        say(cx, "qz-bad-tiebreak");
                        return true;
                    }
                },
                None => (t, None),
            };
            if question.is_empty() || question.chars().count() > MAX_TIEBREAK_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "qz-too-long",
                    max = MAX_TIEBREAK_CHARS as i64
                );
                cx.say(msg);
                return true;
            }
            draft.tiebreak = Some(question.to_string());
            draft.tiebreak_answer = answer;
            ask_target(cx, draft);
        }
        QuizStep::Target { draft } => {
            let options = target_options(cx);
            match typed_numbers(text, options.len()).as_deref() {
                Some([i]) => {
                    let data = options[i - 1].0.clone();
                    on_choice(cx, &Step::Quiz(QuizStep::Target { draft }), &data);
                }
                _ => {
                    say(cx, "choose-an-option");
                    ask_target(cx, draft);
                }
            }
        }
        QuizStep::Pick { draft, mut chosen } => match audience::typed_pick(cx, text, &mut chosen) {
            TypedPick::Toggled => show_pick(cx, draft, chosen),
            pressed @ (TypedPick::Done | TypedPick::Back) => {
                let data = if pressed == TypedPick::Done {
                    QuizAction::PickDone
                } else {
                    QuizAction::PickBack
                };
                on_choice(
                    cx,
                    &Step::Quiz(QuizStep::Pick { draft, chosen }),
                    &data.to_string(),
                );
            }
            TypedPick::Unclear => {
                say(cx, "choose-an-option");
                show_pick(cx, draft, chosen);
            }
        },
        QuizStep::Confirm { draft, target } => {
            let data = match typed_numbers(text, 2).as_deref() {
                Some([1]) => QuizAction::Send,
                Some([2]) => QuizAction::Cancel,
                _ => {
                    say(cx, "choose-an-option");
                    show_preview(cx, draft, target);
                    return true;
                }
            };
            on_choice(
                cx,
                &Step::Quiz(QuizStep::Confirm { draft, target }),
                &data.to_string(),
            );
        }
        QuizStep::Take { quiz_id } => {
            let Some(p) = find(cx, quiz_id) else {
                cx.conv.step = Step::Idle;
                say(cx, "qz-not-for-you");
                return true;
            };
            let Some(a) = p.open else {
                cx.conv.step = Step::Idle;
                say(cx, "qz-attempt-closed");
                return true;
            };
            let options = usize::try_from(a.answered)
                .ok()
                .and_then(|i| p.quiz.questions.get(i))
                .map_or(0, |q| q.options.len());
            match typed_numbers(text, options).as_deref() {
                Some([k]) => on_answer(cx, quiz_id, a.answered, *k as i64 - 1),
                _ if cx.facts.now_ms > a.deadline_at => finish(cx, &p, a, None, true),
                _ => {
                    say(cx, "choose-an-option");
                    go_on(cx, &p, a);
                }
            }
        }
        QuizStep::Guess { quiz_id } => {
            let Some(p) = find(cx, quiz_id) else {
                cx.conv.step = Step::Idle;
                say(cx, "qz-not-for-you");
                return true;
            };
            let Some(a) = p.open else {
                cx.conv.step = Step::Idle;
                say(cx, "qz-attempt-closed");
                return true;
            };
            if cx.facts.now_ms > a.deadline_at {
                finish(cx, &p, a, None, true);
                return true;
            }
            match parse_number(t) {
                Some(n) => finish(cx, &p, a, Some(n), false),
                None => {
                    let msg = tr!(
                        cx.i18n,
                        cx.lang,
                        "qz-bad-guess",
                        max = super::report_requests::MAX_NUMBER
                    );
                    cx.say(msg);
                }
            }
        }
    }
    true
}

fn on_media(cx: &mut Ctx) -> bool {
    let Step::Quiz(QuizStep::Questions { title }) = cx.conv.step.clone() else {
        return false;
    };
    let Payload::Document { file_name, .. } = &cx.ev.payload else {
        return false;
    };
    match cx.facts.document.clone() {
        Some(DocumentInput::Bytes(bytes)) => match parse_file(file_name.as_deref(), &bytes) {
            Ok(questions) => loaded(cx, title, questions),
            Err(e) => load_failed(cx, e),
        },
        Some(DocumentInput::TooLarge) => load_failed(cx, LoadError::TooLarge),
        _ => say(cx, "document-unavailable"),
    }
    true
}

fn on_choice(cx: &mut Ctx, step: &Step, data: &str) -> bool {
    if !data.starts_with("qz:") {
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
        QuizAction::Go(_) | QuizAction::Answer { .. } | QuizAction::Reveal(_) | QuizAction::Cancel
    );
    if officer_only && !is_officer(cx.facts) {
        cx.conv.step = step.clone();
        say(cx, "officer-only");
        return true;
    }
    match a {
        QuizAction::New => {
            start_new(cx);
            return true;
        }
        QuizAction::Go(id) => {
            start(cx, id);
            return true;
        }
        QuizAction::Answer {
            quiz_id,
            question,
            option,
        } => {
            on_answer(cx, quiz_id, question, option);
            return true;
        }
        QuizAction::Reveal(id) => {
            reveal(cx, id);
            return true;
        }
        QuizAction::Results { quiz_id, unit_id } => {
            view(cx, quiz_id, unit_id);
            return true;
        }
        QuizAction::Export(id) => {
            cx.conv.step = step.clone();
            if cx.facts.quiz.visible.iter().any(|q| q.id == id)
                || cx
                    .facts
                    .quiz
                    .results
                    .as_ref()
                    .is_some_and(|r| r.quiz.id == id)
            {
                cx.effects
                    .push(Effect::Quiz(QuizEffect::Export { quiz_id: id }));
                say(cx, "qz-export-coming");
            } else {
                say(cx, "qz-not-found");
            }
            return true;
        }
        _ => {}
    }
    let Step::Quiz(qs) = step else {
        return stale(cx, step);
    };
    match (qs.clone(), a) {
        (QuizStep::Take { .. } | QuizStep::Guess { .. }, QuizAction::Cancel) => {
            return stale(cx, step);
        }
        (_, QuizAction::Cancel) => {
            cx.conv.step = Step::Idle;
            say(cx, "qz-discarded");
        }
        (QuizStep::Attempts { mut draft }, QuizAction::Attempts(n))
            if (1..=MAX_ATTEMPTS).contains(&n) =>
        {
            draft.attempts = n;
            ask_tiebreak(cx, draft);
        }
        (QuizStep::Tiebreak { mut draft }, QuizAction::NoTiebreak) => {
            draft.tiebreak = None;
            draft.tiebreak_answer = None;
            ask_target(cx, draft);
        }
        (QuizStep::Target { draft }, QuizAction::To(BroadcastTo::Pick)) => {
            if cx.facts.children.len() < 2 {
                return stale(cx, step);
            }
            show_pick(cx, draft, vec![]);
        }
        (QuizStep::Pick { draft, chosen }, QuizAction::PickUnit(id)) => {
            if !pickable(cx).iter().any(|(u, _, _)| *u == id) {
                return stale(cx, step);
            }
            let mut chosen = chosen;
            super::toggle(&mut chosen, id);
            show_pick(cx, draft, chosen);
        }
        (QuizStep::Pick { draft, chosen }, QuizAction::PickDone) => {
            match picked_target(cx, &chosen) {
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
        (QuizStep::Pick { draft, .. }, QuizAction::PickBack) => ask_target(cx, draft),
        (QuizStep::Target { draft }, QuizAction::To(to)) => match resolve_target(cx, to) {
            Some(target) if target.count > 0 => show_preview(cx, draft, target),
            Some(_) => {
                say(cx, "bc-nobody");
                ask_target(cx, draft);
            }
            None => return stale(cx, step),
        },
        (QuizStep::Confirm { draft, target }, QuizAction::Send) => {
            cx.conv.step = Step::Idle;
            if !draft_ok(&draft) || draft.ends_at <= cx.facts.now_ms {
                return stale(cx, &Step::Idle);
            }
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "qz-sent",
                title = esc(&draft.title),
                count = target.count,
                start = format_date_time(draft.starts_at)
            );
            cx.effects
                .push(Effect::Quiz(QuizEffect::Create { draft, target }));
            cx.say(msg);
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
    let Step::Quiz(qs) = step else { return };
    match qs.clone() {
        QuizStep::Menu { .. } => menu(cx),
        QuizStep::Title => start_new(cx),
        QuizStep::Questions { title } => ask_questions(cx, title),
        QuizStep::Window { draft } => ask_window(cx, draft),
        QuizStep::Minutes { draft } => ask_minutes(cx, draft),
        QuizStep::Attempts { draft } => ask_attempts(cx, draft),
        QuizStep::Tiebreak { draft } => ask_tiebreak(cx, draft),
        QuizStep::Target { draft } => ask_target(cx, draft),
        QuizStep::Pick { draft, chosen } => show_pick(cx, draft, chosen),
        QuizStep::Confirm { draft, target } => show_preview(cx, draft, target),
        QuizStep::Take { quiz_id } | QuizStep::Guess { quiz_id } => match find(cx, quiz_id) {
            Some(p) => match p.open {
                Some(a) if cx.facts.now_ms <= a.deadline_at => go_on(cx, &p, a),
                Some(a) => finish(cx, &p, a, None, true),
                None => cx.conv.step = Step::Idle,
            },
            None => cx.conv.step = Step::Idle,
        },
        QuizStep::View { quiz_id, .. } => {
            let unit = cx
                .facts
                .quiz
                .results
                .as_ref()
                .and_then(|r| r.rows.first().map(|u| u.unit_id));
            match unit {
                Some(u) => view(cx, quiz_id, u),
                None => cx.conv.step = Step::Idle,
            }
        }
    }
}

/// Quiz contests as one flow of the registry.
pub(super) struct Quizzes;

impl Flow for Quizzes {
    fn commands(&self) -> &'static [CommandSpec] {
        // Members take quizzes with it too; /help lists it for everyone who joined.
        const C: &[CommandSpec] =
            &[CommandSpec::new("cuocthi", Audience::Members, Listed::Members).in_menu()];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(step, Step::Quiz(_))
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

    fn on_media(&self, cx: &mut Ctx) -> bool {
        on_media(cx)
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        reprompt(cx, step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_questions_parse_with_labels_and_marks() {
        let qs = parse_text(
            "Câu 1: Công đoàn Việt Nam thành lập năm nào?\nA. 1929\n*B. 1930\nC. 1945\n\n\
             2. Ngày Quốc tế Lao động?\n1) 1/5 *\n2) 2/9\n",
        )
        .expect("parses");
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].text, "Công đoàn Việt Nam thành lập năm nào?");
        assert_eq!(qs[0].options, ["1929", "1930", "1945"]);
        assert_eq!(qs[0].correct, 1);
        assert_eq!(qs[1].options, ["1/5", "2/9"]);
        assert_eq!(qs[1].correct, 0);
    }

    #[test]
    fn bad_questions_name_their_line() {
        let e = parse_text("Hỏi?\nA\n*B\n\nHỏi nữa?\nA\nB\n").expect_err("no correct");
        assert_eq!(
            e,
            LoadError::Row {
                row: 5,
                problem: RowProblem::NoCorrect
            }
        );
        let e = parse_text("Hỏi?\n*A\n").expect_err("one option");
        assert_eq!(
            e,
            LoadError::Row {
                row: 1,
                problem: RowProblem::Options(1)
            }
        );
        let e = parse_text("Hỏi?\n*A\n*B\n").expect_err("two marked");
        assert!(matches!(
            e,
            LoadError::Row {
                problem: RowProblem::SeveralCorrect,
                ..
            }
        ));
        assert_eq!(parse_text("  \n\n"), Err(LoadError::Empty));
    }

    #[test]
    fn csv_takes_either_layout_and_names_a_bad_row() {
        let qs = parse_csv(
            "Câu hỏi,Phương án,Đáp án\n\"Năm thành lập?\",1929;1930;1945,2\nHỏi 2?,Có,Không,1\n"
                .as_bytes(),
        )
        .expect("parses");
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].correct, 1);
        assert_eq!(qs[1].options, ["Có", "Không"]);
        let e = parse_csv("Hỏi?,A;B,1\nHỏi 2?,A;B,7\n".as_bytes()).expect_err("bad");
        assert_eq!(
            e,
            LoadError::Row {
                row: 2,
                problem: RowProblem::NoCorrect
            }
        );
        assert!(parse_csv(&[0xff, 0xfe, 0x00]).is_err());
        assert_eq!(
            parse_file(Some("q.csv"), &vec![b'a'; MAX_FILE_BYTES + 1]),
            Err(LoadError::TooLarge)
        );
    }

    #[test]
    fn windows_parse_in_local_time() {
        let (s, e) = parse_window("1/12/2026 - 20/12/2026").expect("window");
        assert_eq!(format_date_time(s), "1/12/2026, 00:00");
        assert_eq!(format_date_time(e), "20/12/2026, 23:59");
        let (s, e) = parse_window("1/12/2026 08:00 đến 1/12/2026 20h30").expect("window");
        assert_eq!(format_date_time(s), "1/12/2026, 08:00");
        assert_eq!(format_date_time(e), "1/12/2026, 20:30");
        assert!(parse_window("20/12/2026 - 1/12/2026").is_none());
        assert!(parse_window("hôm nay").is_none());
        assert!(parse_window("1/12/2026").is_none());
    }

    #[test]
    fn clocks_read_as_minutes_and_seconds() {
        assert_eq!(clock(65_000), "1:05");
        assert_eq!(clock(3_725_000), "1:02:05");
        assert_eq!(clock(-5), "0:00");
    }
}
