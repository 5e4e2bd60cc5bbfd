//! The police liaison (issue 21): the police officer in charge of a unit's area («cán
//! bộ công an phụ trách địa bàn»), invited by the unit's officer with the special role
//! [`Role::Liaison`]. `/congan`: the unit's officer chooses which categories of tips the
//! liaison gets; the liaison writes a short warning for the unit's housing-group
//! leaders, which goes out only once one of the unit's officers approves it (buttons, or
//! a typed 1/2 on Zalo). The tips themselves reach the liaison with the officers' buttons
//! (`tips.rs`); the monthly summary is the scheduler's.

use serde::{Deserialize, Serialize};

use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::{Ctx, Effect, Needs, PromptFlow, Step};
use crate::core::actions::LiaisonAction;
use crate::core::domain::{Lang, Role};
use crate::core::event::{InboundEvent, Payload};
use crate::core::text::{esc, fold};
use crate::core::tip::{Category, TipStatus};
use crate::i18n::I18n;
use crate::tr;

/// The commands a liaison may use besides those open to everyone.
pub const LIAISON_COMMANDS: &[&str] = &["congan"];

/// The longest warning a liaison may write.
pub const MAX_WARNING_CHARS: usize = 600;

/// What a unit shares with its liaison until its officer chooses: crime (theft,
/// fights), drugs, suspicious strangers and fire risk.
pub const DEFAULT_CATEGORIES: [Category; 5] = [
    Category::Theft,
    Category::Fight,
    Category::Drugs,
    Category::Stranger,
    Category::Fire,
];

/// The categories stored for a unit ("theft,drugs"); unknown words are skipped.
pub fn parse_categories(s: &str) -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|c| s.split(',').any(|w| w.trim() == c.as_str()))
        .collect()
}

/// How the categories are stored.
pub fn categories_text(categories: &[Category]) -> String {
    Category::ALL
        .into_iter()
        .filter(|c| categories.contains(c))
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "li", rename_all = "snake_case")]
pub enum LiaisonStep {
    /// An officer ticking the categories of tips the liaison gets.
    Categories { chosen: Vec<Category> },
    /// The liaison's menu.
    Menu,
    /// The liaison writing a warning.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiaisonEffect {
    /// The officer's unit shares these categories with its liaison.
    SetCategories { categories: Vec<Category> },
    /// The liaison's warning, to wait for an officer's approval.
    Warn { body: String },
    /// An officer of the warning's unit approves (sends) or rejects it.
    Decide { warning_id: i64, approve: bool },
}

/// A warning as the officer deciding on it sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningView {
    pub id: i64,
    pub unit_id: i64,
    pub pending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiaisonFacts {
    /// The categories the member's unit shares with its liaison.
    pub categories: Vec<Category>,
    /// Liaisons of the member's unit (member id, name), for its officer.
    pub liaisons: Vec<(i64, String)>,
    /// The warning a button or a typed answer names, only for an officer of its unit.
    pub warning: Option<WarningView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiaisonNeeds {
    pub categories: bool,
    pub warning: Option<i64>,
}

/// What the store sends about the liaison: texts built here, from raw values.
#[derive(Debug, Clone, Copy)]
pub enum LiaisonNotice<'a> {
    /// To the unit's officers: a warning waiting for approval (with 1/2 to type).
    Approval {
        unit: &'a str,
        author: &'a str,
        text: &'a str,
    },
    ApproveButton,
    RejectButton,
    /// The approved warning, as the housing-group leaders get it.
    Warning {
        unit: &'a str,
        text: &'a str,
    },
    /// To the liaison: what became of their warning.
    Outcome {
        approved: bool,
        recipients: i64,
    },
    /// The monthly summary: (category, new, taken, resolved) rows of the month's tips.
    Summary {
        unit: &'a str,
        month: &'a str,
        rows: &'a [(Category, [i64; 3])],
    },
}

pub fn render_notice(i18n: &I18n, lang: Lang, n: &LiaisonNotice<'_>) -> String {
    match *n {
        LiaisonNotice::Approval { unit, author, text } => tr!(
            i18n,
            lang,
            "liaison-approval",
            unit = esc(unit),
            author = esc(author),
            text = esc(text)
        ),
        LiaisonNotice::ApproveButton => i18n.s(lang, "liaison-btn-approve"),
        LiaisonNotice::RejectButton => i18n.s(lang, "liaison-btn-reject"),
        LiaisonNotice::Warning { unit, text } => {
            tr!(
                i18n,
                lang,
                "liaison-warning-message",
                unit = esc(unit),
                text = esc(text)
            )
        }
        LiaisonNotice::Outcome {
            approved: true,
            recipients,
        } => tr!(i18n, lang, "liaison-warning-sent", count = recipients),
        LiaisonNotice::Outcome {
            approved: false, ..
        } => i18n.s(lang, "liaison-warning-rejected"),
        LiaisonNotice::Summary { unit, month, rows } => {
            let mut lines = vec![tr!(
                i18n,
                lang,
                "liaison-summary-title",
                unit = esc(unit),
                month = month
            )];
            let mut total = [0i64; 3];
            for (category, [new, taken, resolved]) in rows {
                lines.push(tr!(
                    i18n,
                    lang,
                    "liaison-summary-line",
                    category = i18n.s(lang, &category.label_id()),
                    total = new + taken + resolved,
                    new = *new,
                    taken = *taken,
                    resolved = *resolved
                ));
                total[0] += new;
                total[1] += taken;
                total[2] += resolved;
            }
            if rows.is_empty() {
                lines.push(i18n.s(lang, "liaison-summary-none"));
            } else {
                lines.push(tr!(
                    i18n,
                    lang,
                    "liaison-summary-total",
                    total = total[0] + total[1] + total[2],
                    new = total[0],
                    taken = total[1],
                    resolved = total[2]
                ));
            }
            lines.join("\n")
        }
    }
}

/// Which column of the summary a tip's status counts in.
pub fn summary_column(status: TipStatus) -> usize {
    match status {
        TipStatus::New => 0,
        TipStatus::Acknowledged => 1,
        TipStatus::Resolved => 2,
    }
}

fn role(cx: &Ctx) -> Option<Role> {
    cx.facts.member.as_ref().map(|m| m.role)
}

/// Words that answer an approval question typed on Zalo.
fn typed_decision(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "1" | "duyệt" | "duyet" | "duyệt gửi" | "đồng ý" | "approve" | "yes" => {
            Some(true)
        }
        "2" | "không" | "khong" | "không gửi" | "reject" | "no" => Some(false),
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

fn command(cx: &mut Ctx) {
    match role(cx) {
        Some(Role::Officer) => {
            let chosen = cx.facts.liaison.categories.clone();
            ask_categories(cx, chosen, true);
        }
        Some(Role::Liaison) => ask_menu(cx),
        _ => {
            let msg = cx.t("officer-only");
            cx.say(msg);
        }
    }
}

fn category_options(cx: &Ctx, chosen: &[Category]) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = Category::ALL
        .into_iter()
        .map(|c| {
            let mark = if chosen.contains(&c) { "✅" } else { "⬜" };
            (
                LiaisonAction::Toggle(c).to_string(),
                format!("{mark} {}", cx.t(&c.label_id())),
            )
        })
        .collect();
    options.push((LiaisonAction::Done.to_string(), cx.t("liaison-btn-done")));
    for (id, name) in &cx.facts.liaison.liaisons {
        options.push((
            LiaisonAction::Remove(*id).to_string(),
            tr!(cx.i18n, cx.lang, "liaison-btn-remove", name = name.clone()),
        ));
    }
    options
}

fn ask_categories(cx: &mut Ctx, chosen: Vec<Category>, first: bool) {
    let options = category_options(cx, &chosen);
    let mut text = String::new();
    if first {
        let unit = cx
            .facts
            .member
            .as_ref()
            .map(|m| m.unit_name.clone())
            .unwrap_or_default();
        text.push_str(&tr!(
            cx.i18n,
            cx.lang,
            "liaison-officer-intro",
            unit = esc(&unit),
            liaisons = cx.facts.liaison.liaisons.len() as i64
        ));
        for (_, name) in &cx.facts.liaison.liaisons {
            text.push_str("\n• ");
            text.push_str(&esc(name));
        }
        text.push_str("\n\n");
    }
    text.push_str(&cx.t("liaison-ask-categories"));
    let refs: Vec<(&str, String)> = options
        .iter()
        .map(|(d, l)| (d.as_str(), l.clone()))
        .collect();
    cx.ask(text, &refs);
    cx.conv.step = Step::Liaison(LiaisonStep::Categories { chosen });
}

fn ask_menu(cx: &mut Ctx) {
    let text = cx.t("liaison-menu");
    let options = [(LiaisonAction::Write.to_string(), cx.t("liaison-btn-write"))];
    let refs: Vec<(&str, String)> = options
        .iter()
        .map(|(d, l)| (d.as_str(), l.clone()))
        .collect();
    cx.ask(text, &refs);
    cx.conv.step = Step::Liaison(LiaisonStep::Menu);
}

fn decide(cx: &mut Ctx, warning_id: i64, approve: bool) {
    let own_unit = cx.facts.member.as_ref().map(|m| m.unit_id);
    let warning = cx
        .facts
        .liaison
        .warning
        .clone()
        .filter(|w| w.id == warning_id && Some(w.unit_id) == own_unit);
    let key = match warning {
        _ if role(cx) != Some(Role::Officer) => "officer-only",
        None => "liaison-warning-not-found",
        Some(w) if !w.pending => "liaison-warning-already",
        Some(_) => {
            cx.effects.push(Effect::Liaison(LiaisonEffect::Decide {
                warning_id,
                approve,
            }));
            if approve {
                "liaison-approved-ok"
            } else {
                "liaison-rejected-ok"
            }
        }
    };
    let msg = cx.t(key);
    cx.say(msg);
}

fn on_text(cx: &mut Ctx, text: &str) -> bool {
    match cx.conv.step.clone() {
        Step::Idle => {
            // A typed 1/2 after an approval request (Zalo has no buttons): it answers the
            // newest question put to this officer, if that one is ours.
            let Some(p) = cx
                .facts
                .pending_prompt
                .filter(|p| p.flow == PromptFlow::LiaisonWarning)
            else {
                return false;
            };
            let Some(approve) = typed_decision(text) else {
                return false;
            };
            decide(cx, p.object_id, approve);
            true
        }
        Step::Liaison(LiaisonStep::Categories { chosen }) => {
            let options = category_options(cx, &chosen);
            match pick(text, options.len()) {
                Some(i) => {
                    let data = options[i].0.clone();
                    on_choice(
                        cx,
                        &Step::Liaison(LiaisonStep::Categories { chosen }),
                        &data,
                    );
                }
                None => {
                    let msg = cx.t("choose-an-option");
                    cx.say(msg);
                    ask_categories(cx, chosen, false);
                }
            }
            true
        }
        Step::Liaison(LiaisonStep::Menu) => {
            if pick(text, 1).is_some() {
                on_choice(
                    cx,
                    &Step::Liaison(LiaisonStep::Menu),
                    &LiaisonAction::Write.to_string(),
                );
            } else {
                let msg = cx.t("choose-an-option");
                cx.say(msg);
                ask_menu(cx);
            }
            true
        }
        Step::Liaison(LiaisonStep::Warning) => {
            let body = text.trim();
            if body.is_empty() {
                let msg = cx.t("liaison-ask-warning");
                cx.say(msg);
                return true;
            }
            if body.chars().count() > MAX_WARNING_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "liaison-warning-too-long",
                    max = MAX_WARNING_CHARS as i64
                );
                cx.say(msg);
                return true;
            }
            cx.conv.step = Step::Idle;
            if role(cx) != Some(Role::Liaison) {
                let msg = cx.t("liaison-only");
                cx.say(msg);
                return true;
            }
            cx.effects.push(Effect::Liaison(LiaisonEffect::Warn {
                body: body.to_string(),
            }));
            let msg = cx.t("liaison-warning-waiting");
            cx.say(msg);
            true
        }
        _ => false,
    }
}

fn on_choice(cx: &mut Ctx, step: &Step, data: &str) -> bool {
    let Ok(action) = data.parse::<LiaisonAction>() else {
        return false;
    };
    match (step, action) {
        (_, LiaisonAction::Approve(id)) => decide(cx, id, true),
        (_, LiaisonAction::Reject(id)) => decide(cx, id, false),
        (Step::Liaison(LiaisonStep::Categories { chosen }), LiaisonAction::Toggle(c)) => {
            let mut chosen = chosen.clone();
            match chosen.iter().position(|x| *x == c) {
                Some(p) => {
                    chosen.remove(p);
                }
                None => chosen.push(c),
            }
            ask_categories(cx, chosen, false);
        }
        (Step::Liaison(LiaisonStep::Categories { chosen }), LiaisonAction::Done) => {
            cx.conv.step = Step::Idle;
            if role(cx) != Some(Role::Officer) {
                let msg = cx.t("officer-only");
                cx.say(msg);
                return true;
            }
            let categories: Vec<Category> = Category::ALL
                .into_iter()
                .filter(|c| chosen.contains(c))
                .collect();
            let names = if categories.is_empty() {
                cx.t("liaison-none-chosen")
            } else {
                categories
                    .iter()
                    .map(|c| cx.t(&c.label_id()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            cx.effects
                .push(Effect::Liaison(LiaisonEffect::SetCategories { categories }));
            let msg = tr!(cx.i18n, cx.lang, "liaison-categories-saved", names = names);
            cx.say(msg);
        }
        (Step::Liaison(LiaisonStep::Categories { .. }), LiaisonAction::Remove(id)) => {
            cx.conv.step = Step::Idle;
            let listed = cx.facts.liaison.liaisons.iter().any(|(l, _)| *l == id);
            if role(cx) != Some(Role::Officer) || !listed {
                let msg = cx.t("officer-member-refused");
                cx.say(msg);
                return true;
            }
            // The tree's own removal: checked again in SQL, audited, the person told.
            cx.effects.push(Effect::Officer(
                super::officer::OfficerEffect::RemoveMember {
                    member_id: id,
                    reason: None,
                },
            ));
        }
        (Step::Liaison(LiaisonStep::Menu), LiaisonAction::Write) => {
            if role(cx) != Some(Role::Liaison) {
                cx.conv.step = Step::Idle;
                let msg = cx.t("liaison-only");
                cx.say(msg);
                return true;
            }
            cx.conv.step = Step::Liaison(LiaisonStep::Warning);
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "liaison-ask-warning-max",
                max = MAX_WARNING_CHARS as i64
            );
            cx.say(msg);
        }
        _ => {
            let msg = cx.t("stale-button");
            cx.say(msg);
        }
    }
    true
}

pub(super) struct Liaison;

impl Flow for Liaison {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[CommandSpec::new(
            "congan",
            Audience::Members,
            Listed::Officers,
        )];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(step, Step::Liaison(_))
    }

    fn needs(&self, ev: &InboundEvent, step: &Step, n: &mut Needs) {
        match &ev.payload {
            Payload::Text { text } => {
                let text = text.trim();
                let congan = super::split_command(text).is_some_and(|(cmd, _)| cmd == "congan");
                if congan {
                    n.liaison.categories = true;
                }
            }
            Payload::Button { data, .. } => match data.parse::<LiaisonAction>() {
                Ok(LiaisonAction::Approve(id) | LiaisonAction::Reject(id)) => {
                    n.liaison.warning = Some(id);
                }
                Ok(_) if matches!(step, Step::Liaison(_)) => n.liaison.categories = true,
                _ => {}
            },
            _ => {}
        }
    }

    fn on_command(&self, cx: &mut Ctx, _cmd: &str, _arg: &str) {
        command(cx);
    }

    fn on_text(&self, cx: &mut Ctx, text: &str) -> bool {
        on_text(cx, text)
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        on_choice(cx, step, data)
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        match step {
            Step::Liaison(LiaisonStep::Categories { chosen }) => {
                ask_categories(cx, chosen.clone(), false)
            }
            Step::Liaison(LiaisonStep::Menu) => ask_menu(cx),
            Step::Liaison(LiaisonStep::Warning) => {
                let msg = cx.t("liaison-ask-warning");
                cx.say(msg);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_round_trip_and_skip_unknown_words() {
        let text = categories_text(&DEFAULT_CATEGORIES);
        assert_eq!(text, "theft,drugs,fight,fire,stranger");
        assert_eq!(parse_categories(&text).len(), 5);
        assert_eq!(
            parse_categories("drugs, nonsense,,fire"),
            vec![Category::Drugs, Category::Fire]
        );
        assert!(parse_categories("").is_empty());
    }

    #[test]
    fn typed_decisions() {
        assert_eq!(typed_decision("1"), Some(true));
        assert_eq!(typed_decision(" Duyệt "), Some(true));
        assert_eq!(typed_decision("2"), Some(false));
        assert_eq!(typed_decision("3"), None);
    }
}
