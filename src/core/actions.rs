//! Typed button actions: one enum per flow, rendered (`Display`) and parsed (`FromStr`)
//! in one place, so the data a button carries is built and read by the same type. The
//! wire format is the one buttons already sent carry ("cm:sign:12:3"), so old messages
//! keep working; every value fits Telegram's 64 bytes of callback data (tested).

use std::fmt;
use std::str::FromStr;

use super::conversation::{ItemKind, QuestionKind, Signers};
use super::domain::{Lang, Role};
use super::export::{ExportFormat, ExportKind};
use super::tip::Category;

/// Callback data nobody sent us (or an older version did, in a form we no longer know).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownAction;

/// Joining: the consent question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentAction {
    Yes,
    No,
}

impl fmt::Display for ConsentAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConsentAction::Yes => "consent:yes",
            ConsentAction::No => "consent:no",
        })
    }
}

impl FromStr for ConsentAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "consent:yes" => Ok(ConsentAction::Yes),
            "consent:no" => Ok(ConsentAction::No),
            _ => Err(UnknownAction),
        }
    }
}

/// `/ngonngu`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageAction(pub Lang);

impl fmt::Display for LanguageAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lang:{}", self.0.as_str())
    }
}

impl FromStr for LanguageAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "lang:vi" => Ok(LanguageAction(Lang::Vi)),
            "lang:en" => Ok(LanguageAction(Lang::En)),
            _ => Err(UnknownAction),
        }
    }
}

/// `/xoadulieu`: the confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteAction {
    Yes,
    No,
}

impl fmt::Display for DeleteAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DeleteAction::Yes => "delete:yes",
            DeleteAction::No => "delete:no",
        })
    }
}

impl FromStr for DeleteAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "delete:yes" => Ok(DeleteAction::Yes),
            "delete:no" => Ok(DeleteAction::No),
            _ => Err(UnknownAction),
        }
    }
}

/// `/xuat`: what, then which format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportAction {
    What(ExportKind),
    Format(ExportFormat),
}

impl fmt::Display for ExportAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportAction::What(k) => write!(f, "exp:what:{}", k.as_str()),
            ExportAction::Format(x) => write!(f, "exp:fmt:{}", x.as_str()),
        }
    }
}

impl FromStr for ExportAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(k) = s.strip_prefix("exp:what:") {
            return ExportKind::parse(k)
                .map(ExportAction::What)
                .ok_or(UnknownAction);
        }
        if let Some(x) = s.strip_prefix("exp:fmt:") {
            return ExportFormat::parse(x)
                .map(ExportAction::Format)
                .ok_or(UnknownAction);
        }
        Err(UnknownAction)
    }
}

/// Commitments: a member signs; an officer opens, edits or closes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentAction {
    /// Sign this version of this campaign's text (the version shown on the button's
    /// message: a newer text needs a new button).
    Sign {
        campaign_id: i64,
        version: i64,
    },
    New,
    Edit {
        campaign_id: i64,
    },
    Close {
        campaign_id: i64,
    },
    /// Who must sign a new commitment.
    Who(Signers),
    /// How often the unsigned are reminded.
    Remind(RemindChoice),
    /// Confirm what was just shown (send it, or the new text).
    Ok,
    Cancel,
}

/// The reminder schedules offered for a new commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemindChoice {
    Daily,
    EveryThreeDays,
    Mondays,
    Never,
}

impl RemindChoice {
    pub const ALL: [RemindChoice; 4] = [
        RemindChoice::Daily,
        RemindChoice::EveryThreeDays,
        RemindChoice::Mondays,
        RemindChoice::Never,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RemindChoice::Daily => "1",
            RemindChoice::EveryThreeDays => "3",
            RemindChoice::Mondays => "mon",
            RemindChoice::Never => "0",
        }
    }
}

impl fmt::Display for CommitmentAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommitmentAction::Sign {
                campaign_id,
                version,
            } => write!(f, "cm:sign:{campaign_id}:{version}"),
            CommitmentAction::New => f.write_str("cm:new"),
            CommitmentAction::Edit { campaign_id } => write!(f, "cm:edit:{campaign_id}"),
            CommitmentAction::Close { campaign_id } => write!(f, "cm:close:{campaign_id}"),
            CommitmentAction::Who(s) => write!(f, "cm:who:{}", s.as_str()),
            CommitmentAction::Remind(r) => write!(f, "cm:rem:{}", r.as_str()),
            CommitmentAction::Ok => f.write_str("cm:ok"),
            CommitmentAction::Cancel => f.write_str("cm:cancel"),
        }
    }
}

impl FromStr for CommitmentAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = |x: &str| x.parse::<i64>().map_err(|_| UnknownAction);
        if let Some(rest) = s.strip_prefix("cm:sign:") {
            let (c, v) = rest.split_once(':').ok_or(UnknownAction)?;
            return Ok(CommitmentAction::Sign {
                campaign_id: id(c)?,
                version: id(v)?,
            });
        }
        if let Some(c) = s.strip_prefix("cm:edit:") {
            return Ok(CommitmentAction::Edit {
                campaign_id: id(c)?,
            });
        }
        if let Some(c) = s.strip_prefix("cm:close:") {
            return Ok(CommitmentAction::Close {
                campaign_id: id(c)?,
            });
        }
        if let Some(w) = s.strip_prefix("cm:who:") {
            return Signers::parse(w)
                .map(CommitmentAction::Who)
                .ok_or(UnknownAction);
        }
        if let Some(r) = s.strip_prefix("cm:rem:") {
            return RemindChoice::ALL
                .into_iter()
                .find(|c| c.as_str() == r)
                .map(CommitmentAction::Remind)
                .ok_or(UnknownAction);
        }
        match s {
            "cm:new" => Ok(CommitmentAction::New),
            "cm:ok" => Ok(CommitmentAction::Ok),
            "cm:cancel" => Ok(CommitmentAction::Cancel),
            _ => Err(UnknownAction),
        }
    }
}

/// Directives: a member opens one; an officer sends a draft to the subtree or to chosen
/// child units, edits its summary or drops it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveAction {
    Show(i64),
    All,
    Pick,
    Edit,
    Cancel,
    /// Tick or untick a child unit among the chosen.
    Unit(i64),
    Send,
    Back,
    /// Tick or untick "members confirm «Đã nắm»" on the draft.
    Ack,
    /// The next reminder schedule for those who have not confirmed.
    AckRemind,
}

impl fmt::Display for DirectiveAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DirectiveAction::Show(id) => write!(f, "dir:show:{id}"),
            DirectiveAction::All => f.write_str("dir:all"),
            DirectiveAction::Pick => f.write_str("dir:pick"),
            DirectiveAction::Edit => f.write_str("dir:edit"),
            DirectiveAction::Cancel => f.write_str("dir:cancel"),
            DirectiveAction::Unit(id) => write!(f, "dir:unit:{id}"),
            DirectiveAction::Send => f.write_str("dir:send"),
            DirectiveAction::Back => f.write_str("dir:back"),
            DirectiveAction::Ack => f.write_str("dir:ack"),
            DirectiveAction::AckRemind => f.write_str("dir:ackrem"),
        }
    }
}

impl FromStr for DirectiveAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = |x: &str| x.parse::<i64>().map_err(|_| UnknownAction);
        if let Some(d) = s.strip_prefix("dir:show:") {
            return Ok(DirectiveAction::Show(id(d)?));
        }
        if let Some(u) = s.strip_prefix("dir:unit:") {
            return Ok(DirectiveAction::Unit(id(u)?));
        }
        match s {
            "dir:all" => Ok(DirectiveAction::All),
            "dir:pick" => Ok(DirectiveAction::Pick),
            "dir:edit" => Ok(DirectiveAction::Edit),
            "dir:cancel" => Ok(DirectiveAction::Cancel),
            "dir:send" => Ok(DirectiveAction::Send),
            "dir:back" => Ok(DirectiveAction::Back),
            "dir:ack" => Ok(DirectiveAction::Ack),
            "dir:ackrem" => Ok(DirectiveAction::AckRemind),
            _ => Err(UnknownAction),
        }
    }
}

/// The campaign calendar: add a document's dates, skip them, or get the .ics file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarAction {
    Add,
    Skip,
    Ics,
}

impl fmt::Display for CalendarAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CalendarAction::Add => "cal:add",
            CalendarAction::Skip => "cal:skip",
            CalendarAction::Ics => "cal:ics",
        })
    }
}

impl FromStr for CalendarAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cal:add" => Ok(CalendarAction::Add),
            "cal:skip" => Ok(CalendarAction::Skip),
            "cal:ics" => Ok(CalendarAction::Ics),
            _ => Err(UnknownAction),
        }
    }
}

/// `/guitin`: the officer's choices while preparing a broadcast, and stopping one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BroadcastAction {
    To(BroadcastTo),
    /// Tick or untick a child unit among the chosen.
    PickUnit(i64),
    PickDone,
    PickBack,
    Send,
    Later,
    Cancel,
    /// Stop broadcast `id` (the button under its progress).
    Stop(i64),
    /// Tick or untick "members confirm «Đã nắm»" on the preview.
    Ack,
    /// The next reminder schedule for those who have not confirmed.
    AckRemind,
}

/// Who a broadcast goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BroadcastTo {
    All,
    Unit(i64),
    /// Choose several child units.
    Pick,
    Leaders,
    Officers,
}

impl fmt::Display for BroadcastAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BroadcastAction::To(BroadcastTo::All) => f.write_str("bc:to:all"),
            BroadcastAction::To(BroadcastTo::Unit(id)) => write!(f, "bc:to:unit:{id}"),
            BroadcastAction::To(BroadcastTo::Pick) => f.write_str("bc:to:pick"),
            BroadcastAction::To(BroadcastTo::Leaders) => f.write_str("bc:to:leaders"),
            BroadcastAction::To(BroadcastTo::Officers) => f.write_str("bc:to:officers"),
            BroadcastAction::PickUnit(id) => write!(f, "bc:pick:{id}"),
            BroadcastAction::PickDone => f.write_str("bc:pick:done"),
            BroadcastAction::PickBack => f.write_str("bc:pick:back"),
            BroadcastAction::Send => f.write_str("bc:send"),
            BroadcastAction::Later => f.write_str("bc:later"),
            BroadcastAction::Cancel => f.write_str("bc:cancel"),
            BroadcastAction::Stop(id) => write!(f, "bc:stop:{id}"),
            BroadcastAction::Ack => f.write_str("bc:ack"),
            BroadcastAction::AckRemind => f.write_str("bc:ackrem"),
        }
    }
}

impl FromStr for BroadcastAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = |x: &str| x.parse::<i64>().map_err(|_| UnknownAction);
        if let Some(u) = s.strip_prefix("bc:to:unit:") {
            return Ok(BroadcastAction::To(BroadcastTo::Unit(id(u)?)));
        }
        if let Some(b) = s.strip_prefix("bc:stop:") {
            return Ok(BroadcastAction::Stop(id(b)?));
        }
        match s {
            "bc:to:all" => Ok(BroadcastAction::To(BroadcastTo::All)),
            "bc:to:pick" => Ok(BroadcastAction::To(BroadcastTo::Pick)),
            "bc:to:leaders" => Ok(BroadcastAction::To(BroadcastTo::Leaders)),
            "bc:to:officers" => Ok(BroadcastAction::To(BroadcastTo::Officers)),
            "bc:pick:done" => Ok(BroadcastAction::PickDone),
            "bc:pick:back" => Ok(BroadcastAction::PickBack),
            "bc:send" => Ok(BroadcastAction::Send),
            "bc:later" => Ok(BroadcastAction::Later),
            "bc:cancel" => Ok(BroadcastAction::Cancel),
            "bc:ack" => Ok(BroadcastAction::Ack),
            "bc:ackrem" => Ok(BroadcastAction::AckRemind),
            _ => match s.strip_prefix("bc:pick:") {
                Some(u) => Ok(BroadcastAction::PickUnit(id(u)?)),
                None => Err(UnknownAction),
            },
        }
    }
}

/// A member reporting a tip: the buttons of `/baotin`'s steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipReportAction {
    Category(Category),
    /// Skip this step (the place, or when it happened).
    Skip,
    When(TipWhen),
    PhotosDone,
    /// Send it anonymously (`true`) or with one's name.
    Anonymous(bool),
}

/// The quick answers to "when did it happen?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipWhen {
    Now,
    Today,
}

impl fmt::Display for TipReportAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TipReportAction::Category(c) => write!(f, "tip:cat:{}", c.as_str()),
            TipReportAction::Skip => f.write_str("tip:skip"),
            TipReportAction::When(TipWhen::Now) => f.write_str("tip:when:now"),
            TipReportAction::When(TipWhen::Today) => f.write_str("tip:when:today"),
            TipReportAction::PhotosDone => f.write_str("tip:photos:done"),
            TipReportAction::Anonymous(true) => f.write_str("tip:anon:yes"),
            TipReportAction::Anonymous(false) => f.write_str("tip:anon:no"),
        }
    }
}

impl FromStr for TipReportAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(c) = s.strip_prefix("tip:cat:") {
            return Category::parse(c)
                .map(TipReportAction::Category)
                .ok_or(UnknownAction);
        }
        match s {
            "tip:skip" => Ok(TipReportAction::Skip),
            "tip:when:now" => Ok(TipReportAction::When(TipWhen::Now)),
            "tip:when:today" => Ok(TipReportAction::When(TipWhen::Today)),
            "tip:photos:done" => Ok(TipReportAction::PhotosDone),
            "tip:anon:yes" => Ok(TipReportAction::Anonymous(true)),
            "tip:anon:no" => Ok(TipReportAction::Anonymous(false)),
            _ => Err(UnknownAction),
        }
    }
}

/// What an officer does with a tip (buttons on alerts, `/tinbao` and the tip's card).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipOfficerAction {
    Show,
    Acknowledge,
    Escalate,
    Resolve,
    Note,
}

/// A tip action on tip `tip_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TipAction {
    pub action: TipOfficerAction,
    pub tip_id: i64,
}

impl TipOfficerAction {
    fn as_str(self) -> &'static str {
        match self {
            TipOfficerAction::Show => "show",
            TipOfficerAction::Acknowledge => "ack",
            TipOfficerAction::Escalate => "esc",
            TipOfficerAction::Resolve => "res",
            TipOfficerAction::Note => "note",
        }
    }
}

impl fmt::Display for TipAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tip:{}:{}", self.action.as_str(), self.tip_id)
    }
}

impl FromStr for TipAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s.strip_prefix("tip:").ok_or(UnknownAction)?;
        let (action, id) = rest.split_once(':').ok_or(UnknownAction)?;
        let action = match action {
            "show" => TipOfficerAction::Show,
            "ack" => TipOfficerAction::Acknowledge,
            "esc" => TipOfficerAction::Escalate,
            "res" => TipOfficerAction::Resolve,
            "note" => TipOfficerAction::Note,
            _ => return Err(UnknownAction),
        };
        Ok(TipAction {
            action,
            tip_id: id.parse().map_err(|_| UnknownAction)?,
        })
    }
}

/// What a member confirms having read and understood ("Đã nắm").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AckKind {
    Directive,
    Broadcast,
}

impl AckKind {
    pub const ALL: [AckKind; 2] = [AckKind::Directive, AckKind::Broadcast];

    /// As stored (`acknowledgements.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            AckKind::Directive => "directive",
            AckKind::Broadcast => "broadcast",
        }
    }

    pub fn parse(s: &str) -> Option<AckKind> {
        AckKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// In button data.
    fn code(self) -> &'static str {
        match self {
            AckKind::Directive => "d",
            AckKind::Broadcast => "b",
        }
    }
}

/// "✅ Đã nắm" under a directive or a broadcast that asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AckAction {
    pub kind: AckKind,
    pub id: i64,
}

impl fmt::Display for AckAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ack:{}:{}", self.kind.code(), self.id)
    }
}

impl FromStr for AckAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s.strip_prefix("ack:").ok_or(UnknownAction)?;
        let (kind, id) = rest.split_once(':').ok_or(UnknownAction)?;
        let kind = AckKind::ALL
            .into_iter()
            .find(|k| k.code() == kind)
            .ok_or(UnknownAction)?;
        // Digits only: no sign, no spaces, nothing `i64::from_str` would also take.
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(UnknownAction);
        }
        Ok(AckAction {
            kind,
            id: id.parse().map_err(|_| UnknownAction)?,
        })
    }
}

/// `/baocao`: report requests up the tree (preparing one, filling one, reading the
/// compiled result).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    New,
    /// The kind of the item just named.
    Kind(ItemKind),
    ItemsDone,
    /// Tick or untick a child unit among the targets.
    Unit(i64),
    AllUnits,
    UnitsDone,
    Send,
    Cancel,
    /// Fill (or continue) request `id` for one's unit.
    Fill(i64),
    Yes,
    No,
    /// Option `i` of a choice item.
    Opt(i64),
    Keep,
    Pause,
    Submit,
    Redo,
    /// The compiled result of request `id`.
    View(i64),
    Export(i64),
    Return(i64),
    ReturnUnit {
        request_id: i64,
        unit_id: i64,
    },
    /// Pass request `id` (to one's own unit) down to the units below, same items.
    PassDown(i64),
    /// Fill the parent of request `id` with its compiled result, to send it up.
    Forward(i64),
    /// Prepare the report request a published directive asks for (title and deadline
    /// filled in from it).
    Seed,
    /// Keep the deadline filled in.
    KeepDeadline,
    /// Every unit of the kind listed at this position, further down the subtree.
    UnitKind(i64),
    /// Close request `id`: no more submissions, no more reminders.
    Close(i64),
    /// The compiled result of request `id` as a short .docx letter.
    Letter(i64),
    /// Switch the request being prepared between a report and a registration.
    Mode,
    /// Ask the units of registration `id` for their self-assessment.
    Assess(i64),
}

impl fmt::Display for ReportAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportAction::New => f.write_str("rq:new"),
            ReportAction::Kind(k) => write!(f, "rq:kind:{}", k.as_str()),
            ReportAction::ItemsDone => f.write_str("rq:items:done"),
            ReportAction::Unit(id) => write!(f, "rq:unit:{id}"),
            ReportAction::AllUnits => f.write_str("rq:units:all"),
            ReportAction::UnitsDone => f.write_str("rq:units:done"),
            ReportAction::Send => f.write_str("rq:send"),
            ReportAction::Cancel => f.write_str("rq:cancel"),
            ReportAction::Fill(id) => write!(f, "rq:fill:{id}"),
            ReportAction::Yes => f.write_str("rq:yes"),
            ReportAction::No => f.write_str("rq:no"),
            ReportAction::Opt(i) => write!(f, "rq:opt:{i}"),
            ReportAction::Keep => f.write_str("rq:keep"),
            ReportAction::Pause => f.write_str("rq:pause"),
            ReportAction::Submit => f.write_str("rq:submit"),
            ReportAction::Redo => f.write_str("rq:redo"),
            ReportAction::View(id) => write!(f, "rq:view:{id}"),
            ReportAction::Export(id) => write!(f, "rq:xlsx:{id}"),
            ReportAction::Return(id) => write!(f, "rq:ret:{id}"),
            ReportAction::ReturnUnit {
                request_id,
                unit_id,
            } => write!(f, "rq:retu:{request_id}:{unit_id}"),
            ReportAction::PassDown(id) => write!(f, "rq:down:{id}"),
            ReportAction::Forward(id) => write!(f, "rq:up:{id}"),
            ReportAction::Seed => f.write_str("rq:seed"),
            ReportAction::KeepDeadline => f.write_str("rq:dl:keep"),
            ReportAction::UnitKind(i) => write!(f, "rq:ukind:{i}"),
            ReportAction::Close(id) => write!(f, "rq:close:{id}"),
            ReportAction::Letter(id) => write!(f, "rq:docx:{id}"),
            ReportAction::Mode => f.write_str("rq:mode"),
            ReportAction::Assess(id) => write!(f, "rq:assess:{id}"),
        }
    }
}

impl FromStr for ReportAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = |x: &str| x.parse::<i64>().map_err(|_| UnknownAction);
        let rest = s.strip_prefix("rq:").ok_or(UnknownAction)?;
        let (head, tail) = rest.split_once(':').unwrap_or((rest, ""));
        Ok(match (head, tail) {
            ("new", "") => ReportAction::New,
            ("kind", k) => ReportAction::Kind(ItemKind::parse(k).ok_or(UnknownAction)?),
            ("items", "done") => ReportAction::ItemsDone,
            ("unit", u) => ReportAction::Unit(id(u)?),
            ("units", "all") => ReportAction::AllUnits,
            ("units", "done") => ReportAction::UnitsDone,
            ("send", "") => ReportAction::Send,
            ("cancel", "") => ReportAction::Cancel,
            ("fill", r) => ReportAction::Fill(id(r)?),
            ("yes", "") => ReportAction::Yes,
            ("no", "") => ReportAction::No,
            ("opt", i) => ReportAction::Opt(id(i)?),
            ("keep", "") => ReportAction::Keep,
            ("pause", "") => ReportAction::Pause,
            ("submit", "") => ReportAction::Submit,
            ("redo", "") => ReportAction::Redo,
            ("view", r) => ReportAction::View(id(r)?),
            ("xlsx", r) => ReportAction::Export(id(r)?),
            ("ret", r) => ReportAction::Return(id(r)?),
            ("down", r) => ReportAction::PassDown(id(r)?),
            ("up", r) => ReportAction::Forward(id(r)?),
            ("seed", "") => ReportAction::Seed,
            ("dl", "keep") => ReportAction::KeepDeadline,
            ("ukind", i) => ReportAction::UnitKind(id(i)?),
            ("close", r) => ReportAction::Close(id(r)?),
            ("docx", r) => ReportAction::Letter(id(r)?),
            ("mode", "") => ReportAction::Mode,
            ("assess", r) => ReportAction::Assess(id(r)?),
            ("retu", ids) => {
                let (r, u) = ids.split_once(':').ok_or(UnknownAction)?;
                ReportAction::ReturnUnit {
                    request_id: id(r)?,
                    unit_id: id(u)?,
                }
            }
            _ => return Err(UnknownAction),
        })
    }
}

/// `/moi` and `/donvi`: an officer's invites, units and members; and a member moving to
/// another unit by its invite. Ids are checked against the officer's subtree by whoever
/// reads them (a forged id is refused, never trusted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfficerAction {
    Menu(OfficerMenu),
    /// Revoke this invite code (canonical form).
    Revoke(String),
    /// A unit picked in a list.
    Unit(i64),
    Role(Role),
    /// How many people may use a new invite.
    Uses(i64),
    /// Days until a new invite expires.
    Days(i64),
    /// The kind of a new unit (one of [`UNIT_KINDS`]).
    Kind(&'static str),
    /// A member picked in a list.
    Member(i64),
    /// A page of the members list (from 0).
    Page(i64),
    MemberDo(MemberOp),
    Skip,
    /// A member opened another unit's invite: move there, or stay.
    Move(bool),
    Cancel,
}

/// What `/moi` and `/donvi` offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficerMenu {
    NewInvite,
    AddUnit,
    Rename,
    MoveUnit,
    Close,
    Members,
    Audit,
}

impl OfficerMenu {
    pub const ALL: [OfficerMenu; 7] = [
        OfficerMenu::NewInvite,
        OfficerMenu::AddUnit,
        OfficerMenu::Rename,
        OfficerMenu::MoveUnit,
        OfficerMenu::Close,
        OfficerMenu::Members,
        OfficerMenu::Audit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfficerMenu::NewInvite => "inv",
            OfficerMenu::AddUnit => "add",
            OfficerMenu::Rename => "ren",
            OfficerMenu::MoveUnit => "mov",
            OfficerMenu::Close => "cls",
            OfficerMenu::Members => "mem",
            OfficerMenu::Audit => "log",
        }
    }
}

/// What an officer does with one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberOp {
    Role,
    Move,
    Remove,
}

impl MemberOp {
    pub const ALL: [MemberOp; 3] = [MemberOp::Role, MemberOp::Move, MemberOp::Remove];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberOp::Role => "role",
            MemberOp::Move => "move",
            MemberOp::Remove => "remove",
        }
    }
}

/// Kinds of unit an officer may add (the org CSV's `kind` column).
pub const UNIT_KINDS: [&str; 5] = ["cdcs", "to_cong_doan", "to_tu_quan", "cd_xa", "khac"];

impl fmt::Display for OfficerAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OfficerAction::Menu(m) => write!(f, "of:m:{}", m.as_str()),
            OfficerAction::Revoke(code) => write!(f, "of:rv:{code}"),
            OfficerAction::Unit(id) => write!(f, "of:u:{id}"),
            OfficerAction::Role(r) => write!(f, "of:r:{}", r.as_str()),
            OfficerAction::Uses(n) => write!(f, "of:n:{n}"),
            OfficerAction::Days(n) => write!(f, "of:d:{n}"),
            OfficerAction::Kind(k) => write!(f, "of:k:{k}"),
            OfficerAction::Member(id) => write!(f, "of:p:{id}"),
            OfficerAction::Page(n) => write!(f, "of:pg:{n}"),
            OfficerAction::MemberDo(op) => write!(f, "of:mo:{}", op.as_str()),
            OfficerAction::Skip => f.write_str("of:skip"),
            OfficerAction::Move(true) => f.write_str("of:mv:yes"),
            OfficerAction::Move(false) => f.write_str("of:mv:no"),
            OfficerAction::Cancel => f.write_str("of:x"),
        }
    }
}

impl FromStr for OfficerAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s.strip_prefix("of:").ok_or(UnknownAction)?;
        let (head, arg) = rest.split_once(':').unwrap_or((rest, ""));
        let id = |x: &str| {
            x.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0 && x.bytes().all(|b| b.is_ascii_digit()))
                .ok_or(UnknownAction)
        };
        match (head, arg) {
            ("m", m) => OfficerMenu::ALL
                .into_iter()
                .find(|x| x.as_str() == m)
                .map(OfficerAction::Menu)
                .ok_or(UnknownAction),
            ("rv", code) => crate::core::domain::InviteCode::parse(code)
                .ok()
                .filter(|c| c.as_str() == code)
                .map(|c| OfficerAction::Revoke(c.as_str().to_string()))
                .ok_or(UnknownAction),
            ("u", x) => Ok(OfficerAction::Unit(id(x)?)),
            ("r", r) => Role::parse(r)
                .ok()
                .filter(|role| role.as_str() == r)
                .map(OfficerAction::Role)
                .ok_or(UnknownAction),
            ("n", x) => Ok(OfficerAction::Uses(id(x)?)),
            ("d", x) => Ok(OfficerAction::Days(id(x)?)),
            ("k", k) => UNIT_KINDS
                .into_iter()
                .find(|x| *x == k)
                .map(OfficerAction::Kind)
                .ok_or(UnknownAction),
            ("p", x) => Ok(OfficerAction::Member(id(x)?)),
            ("pg", x) => Ok(OfficerAction::Page(id(x)?)),
            ("mo", op) => MemberOp::ALL
                .into_iter()
                .find(|x| x.as_str() == op)
                .map(OfficerAction::MemberDo)
                .ok_or(UnknownAction),
            ("skip", "") => Ok(OfficerAction::Skip),
            ("mv", "yes") => Ok(OfficerAction::Move(true)),
            ("mv", "no") => Ok(OfficerAction::Move(false)),
            ("x", "") => Ok(OfficerAction::Cancel),
            _ => Err(UnknownAction),
        }
    }
}

/// `/khaosat`: polls and surveys (preparing one, answering one, reading the results).
/// Ids are checked against what the reader may see by whoever reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollAction {
    New,
    /// The kind of the question just written.
    Kind(QuestionKind),
    QuestionsDone,
    /// Named (`false`) or anonymous (`true`).
    Anonymous(bool),
    /// Who answers (the broadcast's choices; `Officers` is not offered).
    To(BroadcastTo),
    PickUnit(i64),
    PickDone,
    PickBack,
    Send,
    Cancel,
    /// Start, continue or change one's answers to poll `id`.
    Go(i64),
    /// Option `i` of the question asked.
    Opt(i64),
    /// The options ticked of a multiple choice are the answer.
    Done,
    Keep,
    Stop,
    /// The results of poll `id`.
    Results(i64),
    /// A page of the short texts answered to a question.
    Texts {
        poll_id: i64,
        question: i64,
        page: i64,
    },
    Export {
        poll_id: i64,
        format: ExportFormat,
    },
}

impl fmt::Display for PollAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PollAction::New => f.write_str("ks:new"),
            PollAction::Kind(k) => write!(f, "ks:kind:{}", k.as_str()),
            PollAction::QuestionsDone => f.write_str("ks:qdone"),
            PollAction::Anonymous(true) => f.write_str("ks:anon:yes"),
            PollAction::Anonymous(false) => f.write_str("ks:anon:no"),
            PollAction::To(BroadcastTo::All) => f.write_str("ks:to:all"),
            PollAction::To(BroadcastTo::Unit(id)) => write!(f, "ks:to:unit:{id}"),
            PollAction::To(BroadcastTo::Pick) => f.write_str("ks:to:pick"),
            PollAction::To(BroadcastTo::Leaders) => f.write_str("ks:to:leaders"),
            PollAction::To(BroadcastTo::Officers) => f.write_str("ks:to:officers"),
            PollAction::PickUnit(id) => write!(f, "ks:pick:{id}"),
            PollAction::PickDone => f.write_str("ks:pick:done"),
            PollAction::PickBack => f.write_str("ks:pick:back"),
            PollAction::Send => f.write_str("ks:send"),
            PollAction::Cancel => f.write_str("ks:cancel"),
            PollAction::Go(id) => write!(f, "ks:go:{id}"),
            PollAction::Opt(i) => write!(f, "ks:opt:{i}"),
            PollAction::Done => f.write_str("ks:done"),
            PollAction::Keep => f.write_str("ks:keep"),
            PollAction::Stop => f.write_str("ks:stop"),
            PollAction::Results(id) => write!(f, "ks:res:{id}"),
            PollAction::Texts {
                poll_id,
                question,
                page,
            } => write!(f, "ks:t:{poll_id}:{question}:{page}"),
            PollAction::Export { poll_id, format } => {
                write!(f, "ks:{}:{poll_id}", format.as_str())
            }
        }
    }
}

impl FromStr for PollAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Digits only: no sign, no spaces, nothing else `i64::from_str` would take.
        let id = |x: &str| {
            x.parse::<i64>()
                .ok()
                .filter(|_| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit()))
                .ok_or(UnknownAction)
        };
        let rest = s.strip_prefix("ks:").ok_or(UnknownAction)?;
        let (head, tail) = rest.split_once(':').unwrap_or((rest, ""));
        Ok(match (head, tail) {
            ("new", "") => PollAction::New,
            ("kind", k) => PollAction::Kind(QuestionKind::parse(k).ok_or(UnknownAction)?),
            ("qdone", "") => PollAction::QuestionsDone,
            ("anon", "yes") => PollAction::Anonymous(true),
            ("anon", "no") => PollAction::Anonymous(false),
            ("to", "all") => PollAction::To(BroadcastTo::All),
            ("to", "pick") => PollAction::To(BroadcastTo::Pick),
            ("to", "leaders") => PollAction::To(BroadcastTo::Leaders),
            ("to", "officers") => PollAction::To(BroadcastTo::Officers),
            ("to", u) => {
                let u = u.strip_prefix("unit:").ok_or(UnknownAction)?;
                PollAction::To(BroadcastTo::Unit(id(u)?))
            }
            ("pick", "done") => PollAction::PickDone,
            ("pick", "back") => PollAction::PickBack,
            ("pick", u) => PollAction::PickUnit(id(u)?),
            ("send", "") => PollAction::Send,
            ("cancel", "") => PollAction::Cancel,
            ("go", p) => PollAction::Go(id(p)?),
            ("opt", i) => PollAction::Opt(id(i)?),
            ("done", "") => PollAction::Done,
            ("keep", "") => PollAction::Keep,
            ("stop", "") => PollAction::Stop,
            ("res", p) => PollAction::Results(id(p)?),
            ("t", rest) => {
                let mut parts = rest.split(':');
                let (Some(p), Some(q), Some(g), None) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return Err(UnknownAction);
                };
                PollAction::Texts {
                    poll_id: id(p)?,
                    question: id(q)?,
                    page: id(g)?,
                }
            }
            (fmt, p) => PollAction::Export {
                format: ExportFormat::parse(fmt).ok_or(UnknownAction)?,
                poll_id: id(p)?,
            },
        })
    }
}

/// `/cuocthi`: quiz contests (preparing one, taking one, reading the results). Ids are
/// checked against what the reader may see by whoever reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizAction {
    New,
    /// Attempts allowed per person.
    Attempts(i64),
    /// No tie-break question.
    NoTiebreak,
    /// Who takes it (the broadcast's choices).
    To(BroadcastTo),
    PickUnit(i64),
    PickDone,
    PickBack,
    Send,
    Cancel,
    /// Start (or go on with) an attempt at quiz `id`.
    Go(i64),
    /// Option `option` of question `question` of quiz `quiz_id`.
    Answer {
        quiz_id: i64,
        question: i64,
        option: i64,
    },
    /// The results of quiz `quiz_id` over unit `unit_id` (the officer's or one below).
    Results {
        quiz_id: i64,
        unit_id: i64,
    },
    /// The ranking and winners as .xlsx.
    Export(i64),
    /// The correct answers, after the window.
    Reveal(i64),
}

impl fmt::Display for QuizAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuizAction::New => f.write_str("qz:new"),
            QuizAction::Attempts(n) => write!(f, "qz:att:{n}"),
            QuizAction::NoTiebreak => f.write_str("qz:notb"),
            QuizAction::To(BroadcastTo::All) => f.write_str("qz:to:all"),
            QuizAction::To(BroadcastTo::Unit(id)) => write!(f, "qz:to:unit:{id}"),
            QuizAction::To(BroadcastTo::Pick) => f.write_str("qz:to:pick"),
            QuizAction::To(BroadcastTo::Leaders) => f.write_str("qz:to:leaders"),
            QuizAction::To(BroadcastTo::Officers) => f.write_str("qz:to:officers"),
            QuizAction::PickUnit(id) => write!(f, "qz:pick:{id}"),
            QuizAction::PickDone => f.write_str("qz:pick:done"),
            QuizAction::PickBack => f.write_str("qz:pick:back"),
            QuizAction::Send => f.write_str("qz:send"),
            QuizAction::Cancel => f.write_str("qz:cancel"),
            QuizAction::Go(id) => write!(f, "qz:go:{id}"),
            QuizAction::Answer {
                quiz_id,
                question,
                option,
            } => write!(f, "qz:a:{quiz_id}:{question}:{option}"),
            QuizAction::Results { quiz_id, unit_id } => write!(f, "qz:res:{quiz_id}:{unit_id}"),
            QuizAction::Export(id) => write!(f, "qz:xlsx:{id}"),
            QuizAction::Reveal(id) => write!(f, "qz:ans:{id}"),
        }
    }
}

impl FromStr for QuizAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Digits only: no sign, no spaces, nothing else `i64::from_str` would take.
        let id = |x: &str| {
            x.parse::<i64>()
                .ok()
                .filter(|_| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit()))
                .ok_or(UnknownAction)
        };
        let rest = s.strip_prefix("qz:").ok_or(UnknownAction)?;
        let (head, tail) = rest.split_once(':').unwrap_or((rest, ""));
        let parts: Vec<&str> = tail.split(':').collect();
        Ok(match (head, parts.as_slice()) {
            ("new", [""]) => QuizAction::New,
            ("att", [n]) => QuizAction::Attempts(id(n)?),
            ("notb", [""]) => QuizAction::NoTiebreak,
            ("to", ["all"]) => QuizAction::To(BroadcastTo::All),
            ("to", ["pick"]) => QuizAction::To(BroadcastTo::Pick),
            ("to", ["leaders"]) => QuizAction::To(BroadcastTo::Leaders),
            ("to", ["officers"]) => QuizAction::To(BroadcastTo::Officers),
            ("to", ["unit", u]) => QuizAction::To(BroadcastTo::Unit(id(u)?)),
            ("pick", ["done"]) => QuizAction::PickDone,
            ("pick", ["back"]) => QuizAction::PickBack,
            ("pick", [u]) => QuizAction::PickUnit(id(u)?),
            ("send", [""]) => QuizAction::Send,
            ("cancel", [""]) => QuizAction::Cancel,
            ("go", [q]) => QuizAction::Go(id(q)?),
            ("a", [q, n, o]) => QuizAction::Answer {
                quiz_id: id(q)?,
                question: id(n)?,
                option: id(o)?,
            },
            ("res", [q, u]) => QuizAction::Results {
                quiz_id: id(q)?,
                unit_id: id(u)?,
            },
            ("xlsx", [q]) => QuizAction::Export(id(q)?),
            ("ans", [q]) => QuizAction::Reveal(id(q)?),
            _ => return Err(UnknownAction),
        })
    }
}

/// Whether `data` is the data of some button the bot makes (for tests of tables that
/// hold button data as text, such as the words typed options map to).
/// `/congan`: the police liaison's categories (an officer), their warning (the liaison)
/// and its approval (an officer of the unit). The warning's id is checked against the
/// officer's unit by whoever reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiaisonAction {
    /// Tick or untick a category of tips the liaison gets.
    Toggle(Category),
    /// The categories are chosen.
    Done,
    /// The liaison writes a warning.
    Write,
    Approve(i64),
    Reject(i64),
    /// The unit's officer removes this liaison (a member id).
    Remove(i64),
}

impl fmt::Display for LiaisonAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiaisonAction::Toggle(c) => write!(f, "li:t:{}", c.as_str()),
            LiaisonAction::Done => f.write_str("li:done"),
            LiaisonAction::Write => f.write_str("li:w"),
            LiaisonAction::Approve(id) => write!(f, "li:ok:{id}"),
            LiaisonAction::Reject(id) => write!(f, "li:no:{id}"),
            LiaisonAction::Remove(id) => write!(f, "li:rm:{id}"),
        }
    }
}

impl FromStr for LiaisonAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s.strip_prefix("li:").ok_or(UnknownAction)?;
        let (head, arg) = match rest.split_once(':') {
            Some((head, arg)) => (head, Some(arg)),
            None => (rest, None),
        };
        let id = |x: &str| {
            x.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0 && x.bytes().all(|b| b.is_ascii_digit()))
                .ok_or(UnknownAction)
        };
        match (head, arg) {
            ("t", Some(c)) => Category::parse(c)
                .map(LiaisonAction::Toggle)
                .ok_or(UnknownAction),
            ("done", None) => Ok(LiaisonAction::Done),
            ("w", None) => Ok(LiaisonAction::Write),
            ("ok", Some(x)) => Ok(LiaisonAction::Approve(id(x)?)),
            ("no", Some(x)) => Ok(LiaisonAction::Reject(id(x)?)),
            ("rm", Some(x)) => Ok(LiaisonAction::Remove(id(x)?)),
            _ => Err(UnknownAction),
        }
    }
}

pub fn is_known(data: &str) -> bool {
    data.parse::<ConsentAction>().is_ok()
        || data.parse::<LanguageAction>().is_ok()
        || data.parse::<DeleteAction>().is_ok()
        || data.parse::<ExportAction>().is_ok()
        || data.parse::<CommitmentAction>().is_ok()
        || data.parse::<TipAction>().is_ok()
        || data.parse::<TipReportAction>().is_ok()
        || data.parse::<BroadcastAction>().is_ok()
        || data.parse::<DirectiveAction>().is_ok()
        || data.parse::<CalendarAction>().is_ok()
        || data.parse::<AckAction>().is_ok()
        || data.parse::<ReportAction>().is_ok()
        || data.parse::<OfficerAction>().is_ok()
        || data.parse::<PollAction>().is_ok()
        || data.parse::<LiaisonAction>().is_ok()
        || data.parse::<QuizAction>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value each enum can take, with the largest ids.
    fn every_value() -> Vec<String> {
        let big = i64::MAX;
        let mut out: Vec<String> = vec![];
        out.extend([ConsentAction::Yes, ConsentAction::No].map(|a| a.to_string()));
        out.extend([Lang::Vi, Lang::En].map(|l| LanguageAction(l).to_string()));
        out.extend([DeleteAction::Yes, DeleteAction::No].map(|a| a.to_string()));
        out.extend(ExportKind::ALL.map(|k| ExportAction::What(k).to_string()));
        out.extend(
            [ExportFormat::Xlsx, ExportFormat::Csv].map(|x| ExportAction::Format(x).to_string()),
        );
        out.extend(
            [
                CommitmentAction::Sign {
                    campaign_id: big,
                    version: big,
                },
                CommitmentAction::New,
                CommitmentAction::Edit { campaign_id: big },
                CommitmentAction::Close { campaign_id: big },
                CommitmentAction::Ok,
                CommitmentAction::Cancel,
            ]
            .map(|a| a.to_string()),
        );
        out.extend(
            [Signers::Member, Signers::Leader, Signers::Everyone]
                .map(|s| CommitmentAction::Who(s).to_string()),
        );
        out.extend(RemindChoice::ALL.map(|r| CommitmentAction::Remind(r).to_string()));
        out.extend(Category::ALL.map(|c| TipReportAction::Category(c).to_string()));
        out.extend(Category::ALL.map(|c| LiaisonAction::Toggle(c).to_string()));
        out.extend(
            [
                LiaisonAction::Done,
                LiaisonAction::Write,
                LiaisonAction::Approve(big),
                LiaisonAction::Reject(big),
                LiaisonAction::Remove(big),
            ]
            .map(|a| a.to_string()),
        );
        out.extend(
            [
                DirectiveAction::Show(big),
                DirectiveAction::All,
                DirectiveAction::Pick,
                DirectiveAction::Edit,
                DirectiveAction::Cancel,
                DirectiveAction::Unit(big),
                DirectiveAction::Send,
                DirectiveAction::Back,
                DirectiveAction::Ack,
                DirectiveAction::AckRemind,
            ]
            .map(|a| a.to_string()),
        );
        out.extend(
            [
                CalendarAction::Add,
                CalendarAction::Skip,
                CalendarAction::Ics,
            ]
            .map(|a| a.to_string()),
        );
        out.extend(
            [
                BroadcastAction::To(BroadcastTo::All),
                BroadcastAction::To(BroadcastTo::Unit(big)),
                BroadcastAction::To(BroadcastTo::Pick),
                BroadcastAction::To(BroadcastTo::Leaders),
                BroadcastAction::To(BroadcastTo::Officers),
                BroadcastAction::PickUnit(big),
                BroadcastAction::PickDone,
                BroadcastAction::PickBack,
                BroadcastAction::Send,
                BroadcastAction::Later,
                BroadcastAction::Cancel,
                BroadcastAction::Stop(big),
                BroadcastAction::Ack,
                BroadcastAction::AckRemind,
            ]
            .map(|a| a.to_string()),
        );
        out.extend(AckKind::ALL.map(|kind| AckAction { kind, id: big }.to_string()));
        out.extend(
            [
                TipReportAction::Skip,
                TipReportAction::When(TipWhen::Now),
                TipReportAction::When(TipWhen::Today),
                TipReportAction::PhotosDone,
                TipReportAction::Anonymous(true),
                TipReportAction::Anonymous(false),
            ]
            .map(|a| a.to_string()),
        );
        out.extend(OfficerMenu::ALL.map(|m| OfficerAction::Menu(m).to_string()));
        out.extend(MemberOp::ALL.map(|op| OfficerAction::MemberDo(op).to_string()));
        out.extend(UNIT_KINDS.map(|k| OfficerAction::Kind(k).to_string()));
        out.extend(
            [Role::Member, Role::Leader, Role::Officer, Role::Liaison]
                .map(|r| OfficerAction::Role(r).to_string()),
        );
        out.extend(
            [
                OfficerAction::Revoke("ZZZZZZZZZZZZ".into()),
                OfficerAction::Unit(big),
                OfficerAction::Uses(big),
                OfficerAction::Days(big),
                OfficerAction::Member(big),
                OfficerAction::Page(big),
                OfficerAction::Skip,
                OfficerAction::Move(true),
                OfficerAction::Move(false),
                OfficerAction::Cancel,
            ]
            .map(|a| a.to_string()),
        );
        for action in [
            TipOfficerAction::Show,
            TipOfficerAction::Acknowledge,
            TipOfficerAction::Escalate,
            TipOfficerAction::Resolve,
            TipOfficerAction::Note,
        ] {
            out.push(
                TipAction {
                    action,
                    tip_id: big,
                }
                .to_string(),
            );
        }
        out.extend(
            [
                ReportAction::New,
                ReportAction::Kind(ItemKind::Number),
                ReportAction::Kind(ItemKind::YesNo),
                ReportAction::Kind(ItemKind::Text),
                ReportAction::Kind(ItemKind::Choice),
                ReportAction::Opt(big),
                ReportAction::ItemsDone,
                ReportAction::Unit(big),
                ReportAction::AllUnits,
                ReportAction::UnitsDone,
                ReportAction::Send,
                ReportAction::Cancel,
                ReportAction::Fill(big),
                ReportAction::Yes,
                ReportAction::No,
                ReportAction::Keep,
                ReportAction::Pause,
                ReportAction::Submit,
                ReportAction::Redo,
                ReportAction::View(big),
                ReportAction::Export(big),
                ReportAction::Return(big),
                ReportAction::ReturnUnit {
                    request_id: big,
                    unit_id: big,
                },
                ReportAction::PassDown(big),
                ReportAction::Forward(big),
                ReportAction::Seed,
                ReportAction::KeepDeadline,
                ReportAction::UnitKind(big),
                ReportAction::Close(big),
                ReportAction::Letter(big),
                ReportAction::Mode,
                ReportAction::Assess(big),
            ]
            .map(|a| a.to_string()),
        );
        out.extend(QuestionKind::ALL.map(|k| PollAction::Kind(k).to_string()));
        out.extend(
            [
                PollAction::New,
                PollAction::QuestionsDone,
                PollAction::Anonymous(true),
                PollAction::Anonymous(false),
                PollAction::To(BroadcastTo::All),
                PollAction::To(BroadcastTo::Unit(big)),
                PollAction::To(BroadcastTo::Pick),
                PollAction::To(BroadcastTo::Leaders),
                PollAction::To(BroadcastTo::Officers),
                PollAction::PickUnit(big),
                PollAction::PickDone,
                PollAction::PickBack,
                PollAction::Send,
                PollAction::Cancel,
                PollAction::Go(big),
                PollAction::Opt(big),
                PollAction::Done,
                PollAction::Keep,
                PollAction::Stop,
                PollAction::Results(big),
                PollAction::Texts {
                    poll_id: big,
                    question: big,
                    page: big,
                },
                PollAction::Export {
                    poll_id: big,
                    format: ExportFormat::Xlsx,
                },
                PollAction::Export {
                    poll_id: big,
                    format: ExportFormat::Csv,
                },
            ]
            .map(|a| a.to_string()),
        );
        out.extend(
            [
                QuizAction::New,
                QuizAction::Attempts(big),
                QuizAction::NoTiebreak,
                QuizAction::To(BroadcastTo::All),
                QuizAction::To(BroadcastTo::Unit(big)),
                QuizAction::To(BroadcastTo::Pick),
                QuizAction::To(BroadcastTo::Leaders),
                QuizAction::To(BroadcastTo::Officers),
                QuizAction::PickUnit(big),
                QuizAction::PickDone,
                QuizAction::PickBack,
                QuizAction::Send,
                QuizAction::Cancel,
                QuizAction::Go(big),
                QuizAction::Answer {
                    quiz_id: big,
                    question: 49,
                    option: 5,
                },
                QuizAction::Results {
                    quiz_id: big,
                    unit_id: big,
                },
                QuizAction::Export(big),
                QuizAction::Reveal(big),
            ]
            .map(|a| a.to_string()),
        );
        out
    }

    #[test]
    fn every_action_round_trips_and_fits_telegrams_64_bytes() {
        for data in every_value() {
            assert!(data.len() <= 64, "{data}: {} bytes", data.len());
            let parsed = [
                data.parse::<ConsentAction>().map(|a| a.to_string()),
                data.parse::<LanguageAction>().map(|a| a.to_string()),
                data.parse::<DeleteAction>().map(|a| a.to_string()),
                data.parse::<ExportAction>().map(|a| a.to_string()),
                data.parse::<CommitmentAction>().map(|a| a.to_string()),
                data.parse::<TipAction>().map(|a| a.to_string()),
                data.parse::<TipReportAction>().map(|a| a.to_string()),
                data.parse::<BroadcastAction>().map(|a| a.to_string()),
                data.parse::<DirectiveAction>().map(|a| a.to_string()),
                data.parse::<CalendarAction>().map(|a| a.to_string()),
                data.parse::<AckAction>().map(|a| a.to_string()),
                data.parse::<ReportAction>().map(|a| a.to_string()),
                data.parse::<OfficerAction>().map(|a| a.to_string()),
                data.parse::<PollAction>().map(|a| a.to_string()),
                data.parse::<LiaisonAction>().map(|a| a.to_string()),
                data.parse::<QuizAction>().map(|a| a.to_string()),
            ];
            let ok: Vec<String> = parsed.into_iter().flatten().collect();
            assert_eq!(
                ok,
                vec![data.clone()],
                "{data} parses as exactly one action"
            );
        }
    }

    #[test]
    fn forged_data_is_refused() {
        for junk in [
            "",
            "cm:sign:1",
            "cm:sign:x:1",
            "cm:sign:1:2:3",
            "cm:sign:99999999999999999999:1",
            "tip:ack:",
            "tip:zap:1",
            "tip:ack:-",
            "exp:what:passwords",
            "lang:fr",
            "consent:maybe",
            "cm:sign:１:２",
            "ack:d:",
            "ack:x:1",
            "ack:d:-1",
            "ack:d:+1",
            "ack:d:1:2",
            "ack:d:99999999999999999999",
            "ack:b: 1",
            "rq:fill:",
            "rq:fill:x",
            "rq:kind:date",
            "rq:retu:1",
            "rq:retu:1:2:3",
            "rq:new:1",
            "rq:seed:1",
            "rq:dl:x",
            "rq:ukind:",
            "rq:close:x",
            "rq:docx:-",
        ] {
            assert!(junk.parse::<AckAction>().is_err(), "{junk}");
            assert!(junk.parse::<ReportAction>().is_err(), "{junk}");
            assert!(junk.parse::<CommitmentAction>().is_err(), "{junk}");
            assert!(junk.parse::<TipAction>().is_err(), "{junk}");
            assert!(junk.parse::<ExportAction>().is_err(), "{junk}");
            assert!(junk.parse::<LanguageAction>().is_err(), "{junk}");
            assert!(junk.parse::<ConsentAction>().is_err(), "{junk}");
        }
    }

    #[test]
    fn forged_officer_data_is_refused() {
        for junk in [
            "of:",
            "of:u:",
            "of:u:-1",
            "of:u:+5",
            "of:u:1:2",
            "of:r:admin",
            "of:r:Officer",
            "of:rv:abcd-efgh-jklm",
            "of:rv:ABCDEFGHJKL0",
            "of:k:province",
            "of:mo:promote",
            "of:m:root",
            "of:mv:maybe",
            "of:skip:1",
            "of:n:99999999999999999999",
        ] {
            assert!(junk.parse::<OfficerAction>().is_err(), "{junk}");
        }
    }

    #[test]
    fn forged_liaison_data_is_refused() {
        for junk in [
            "li:",
            "li:t:",
            "li:t:murder",
            "li:t:Theft",
            "li:ok:",
            "li:ok:-1",
            "li:ok:+1",
            "li:ok:1:2",
            "li:no:x",
            "li:rm:",
            "li:rm:-3",
            "li:ok:99999999999999999999",
            "li:done:1",
            "li:w:",
        ] {
            assert!(junk.parse::<LiaisonAction>().is_err(), "{junk}");
            assert!(!is_known(junk), "{junk}");
        }
    }

    #[test]
    fn forged_poll_data_is_refused() {
        for junk in [
            "ks:",
            "ks:go:",
            "ks:go:-1",
            "ks:go:+1",
            "ks:go:1:2",
            "ks:kind:date",
            "ks:to:unit:",
            "ks:to:everyone",
            "ks:t:1:2",
            "ks:t:1:2:3:4",
            "ks:pdf:1",
            "ks:xlsx:",
            "ks:anon:maybe",
            "ks:opt:99999999999999999999",
            "ks:new:1",
        ] {
            assert!(junk.parse::<PollAction>().is_err(), "{junk}");
        }
    }

    #[test]
    fn forged_quiz_data_is_refused() {
        for junk in [
            "qz:",
            "qz:go:",
            "qz:go:-1",
            "qz:go:+1",
            "qz:go:1:2",
            "qz:a:1:2",
            "qz:a:1:2:3:4",
            "qz:a:1:2:-3",
            "qz:res:1",
            "qz:to:unit:",
            "qz:to:everyone",
            "qz:att:x",
            "qz:new:1",
            "qz:xlsx:99999999999999999999",
            "qz:csv:1",
        ] {
            assert!(junk.parse::<QuizAction>().is_err(), "{junk}");
        }
    }
}
