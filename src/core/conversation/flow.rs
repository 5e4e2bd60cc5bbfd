//! The flow registry. Each conversation flow (onboarding, directives, commitments, «Đã
//! nắm» confirmations, tips, broadcasts, report requests, export, linking, language, my
//! data) is one module that implements [`Flow`]: it declares its commands (the one source
//! of /help, the role menus and Telegram's
//! command menu), the facts it needs, and how it handles a command, typed text, a button
//! and media, and how it asks its question again. The router in `conversation.rs` loops
//! over [`FLOWS`]: adding a flow is one module and one line here.

use super::{Ctx, Needs, Step};
use crate::core::domain::Role;
use crate::core::event::InboundEvent;

/// Who may use a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Guests too (joining, language, my data, help).
    Everyone,
    /// Members of a unit, any role.
    Members,
    /// Union officers.
    Officers,
}

/// Where /help lists a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Only to people who have not joined.
    Guests,
    /// To members and officers.
    Members,
    /// To guests, members and officers.
    All,
    /// To officers.
    Officers,
    /// Nowhere (`/huy` is mentioned where it helps).
    Hidden,
}

/// One chat command. Its description is the message `cmd-{name}` in `locales/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    /// Other words for it ("/trogiup" for "/help").
    pub aliases: &'static [&'static str],
    pub audience: Audience,
    pub listed: Listed,
    /// In Telegram's command menu (setMyCommands).
    pub in_menu: bool,
}

impl CommandSpec {
    pub const fn new(name: &'static str, audience: Audience, listed: Listed) -> Self {
        CommandSpec {
            name,
            aliases: &[],
            audience,
            listed,
            in_menu: false,
        }
    }

    pub const fn aliases(self, aliases: &'static [&'static str]) -> Self {
        CommandSpec { aliases, ..self }
    }

    pub const fn in_menu(self) -> Self {
        CommandSpec {
            in_menu: true,
            ..self
        }
    }

    /// Whether /help shows it to someone with `role` (`None`: not joined).
    pub fn listed_for(&self, role: Option<Role>) -> bool {
        match (self.listed, role) {
            (Listed::Hidden, _) => false,
            (Listed::All, _) => true,
            (Listed::Guests, None) => true,
            // The police liaison is not a union member: only their own commands.
            (_, Some(Role::Liaison)) => {
                super::liaison::LIAISON_COMMANDS.contains(&self.name)
                    || (self.audience == Audience::Everyone && self.listed == Listed::Members)
            }
            (Listed::Members, Some(_)) => true,
            (Listed::Officers, Some(Role::Officer)) => true,
            _ => false,
        }
    }
}

/// Typed words that pick a button's data in a step (Zalo has no buttons): the option's
/// number or a keyword.
pub type TypedOptions = &'static [(&'static str, &'static [&'static str])];

/// A conversation flow. Every method has a "not mine" default, so a flow implements what
/// it handles and nothing else.
pub(super) trait Flow: Sync {
    /// Its commands, in the order /help lists them.
    fn commands(&self) -> &'static [CommandSpec] {
        &[]
    }
    /// Whether `step` is one of this flow's questions: the flow that owns the step gets
    /// the first say on typed text and media.
    fn owns(&self, _step: &Step) -> bool {
        false
    }
    /// What the processor must look up before the core decides.
    fn needs(&self, _ev: &InboundEvent, _step: &Step, _n: &mut Needs) {}
    /// One of its commands (canonical name), once the audience was checked.
    fn on_command(&self, _cx: &mut Ctx, _cmd: &str, _arg: &str) {}
    /// Words that pick an option in `step`.
    fn typed_options(&self, _step: &Step) -> Option<TypedOptions> {
        None
    }
    /// Typed text (not a command); `false` when it is not for this flow.
    fn on_text(&self, _cx: &mut Ctx, _text: &str) -> bool {
        false
    }
    /// A button (or the data a typed option picked); `false` when it is not for this flow.
    fn on_choice(&self, _cx: &mut Ctx, _step: &Step, _data: &str) -> bool {
        false
    }
    /// A photo, file or location; `false` when it is not for this flow.
    fn on_media(&self, _cx: &mut Ctx) -> bool {
        false
    }
    /// Ask the question of `step` again.
    fn reprompt(&self, _cx: &mut Ctx, _step: &Step) {}
}

/// Every flow, in the order /help lists their commands.
pub(super) static FLOWS: &[&dyn Flow] = &[
    &super::onboarding::Onboarding,
    &super::liaison::Liaison,
    &super::publish::Directives,
    &super::commitments::Commitments,
    &super::acknowledgements::Acknowledgements,
    &super::tips::Tips,
    &super::broadcast::Broadcasts,
    &super::report_requests::ReportRequests,
    &super::polls::Polls,
    &super::quiz::Quizzes,
    &super::export::Export,
    &super::web::Web,
    &super::officer::Officer,
    &super::linking::Linking,
    &super::language::Language,
    &super::mydata::MyDataFlow,
    &Basics,
];

/// The flow whose question `step` is, if any.
pub(super) fn owner(step: &Step) -> Option<&'static dyn Flow> {
    FLOWS.iter().copied().find(|f| f.owns(step))
}

/// Every flow, the owner of `step` first. (By position: the flows are zero-sized, so
/// their addresses say nothing.)
pub(super) fn in_turn(step: &Step) -> impl Iterator<Item = &'static dyn Flow> {
    let first = FLOWS.iter().position(|f| f.owns(step));
    first
        .into_iter()
        .chain((0..FLOWS.len()).filter(move |i| Some(*i) != first))
        .map(|i| FLOWS[i])
}

/// Every command of every flow, in /help order.
pub fn all_commands() -> impl Iterator<Item = &'static CommandSpec> {
    FLOWS.iter().flat_map(|f| f.commands().iter())
}

/// The command `word` names (by name or alias), with the flow that answers it.
pub(super) fn find_command(word: &str) -> Option<(&'static CommandSpec, &'static dyn Flow)> {
    FLOWS.iter().copied().find_map(|f| {
        f.commands()
            .iter()
            .find(|c| c.name == word || c.aliases.contains(&word))
            .map(|c| (c, f))
    })
}

/// `/help` and `/huy`: answered by the router itself.
pub(super) struct Basics;

impl Flow for Basics {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[
            CommandSpec::new("help", Audience::Everyone, Listed::All)
                .aliases(&["trogiup"])
                .in_menu(),
            CommandSpec::new("huy", Audience::Everyone, Listed::Hidden).aliases(&["cancel"]),
        ];
        C
    }

    fn on_command(&self, cx: &mut Ctx, cmd: &str, _arg: &str) {
        let msg = match cmd {
            "help" => help_text(cx),
            _ => cx.t("cancelled"),
        };
        cx.say(msg);
    }
}

fn help_text(cx: &Ctx) -> String {
    let role = cx.facts.member.as_ref().map(|m| m.role);
    let mut lines = vec![cx.t("help-title")];
    // Everyone's commands first, then the officers' own.
    let listed = |c: &&CommandSpec| c.listed_for(role);
    let (general, officers): (Vec<&CommandSpec>, Vec<&CommandSpec>) = all_commands()
        .filter(listed)
        .partition(|c| c.listed != Listed::Officers);
    for c in general.into_iter().chain(officers) {
        lines.push(format!(
            "/{} — {}",
            c.name,
            cx.t(&format!("cmd-{}", c.name))
        ));
    }
    if role.is_none() {
        lines.push(String::new());
        lines.push(cx.t("help-guest-footer"));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_name_and_alias_is_unique_and_answered_by_one_flow() {
        let mut seen = std::collections::HashSet::new();
        for c in all_commands() {
            for word in std::iter::once(&c.name).chain(c.aliases.iter()) {
                assert!(seen.insert(*word), "/{word} twice");
                assert_eq!(find_command(word).map(|(s, _)| s.name), Some(c.name));
            }
            assert!(
                c.name.len() <= 32 && c.name.chars().all(|ch| ch.is_ascii_lowercase()),
                "Telegram command names: {}",
                c.name
            );
        }
    }

    #[test]
    fn every_step_has_at_most_one_owner() {
        use super::super::{Conversation, Step};
        // Steps as they are stored; decoding them covers every variant's shape.
        for json in [
            r#"{"step":"idle"}"#,
            r#"{"step":"awaiting_consent","invite":"X"}"#,
            r#"{"step":"choosing_lang"}"#,
            r#"{"step":"confirm_delete"}"#,
            r#"{"step":"export_what"}"#,
            r#"{"step":"export_format","what":"tips"}"#,
            r#"{"step":"campaign_suggest","dates":[],"units":[]}"#,
            r#"{"step":"commit_menu"}"#,
            r#"{"step":"commit_text"}"#,
            r#"{"step":"tip","tip":"category"}"#,
            r#"{"step":"broadcast","bc":"compose"}"#,
            r#"{"step":"officer","stage":{"stage":"invites"},"question":"q","options":[]}"#,
            r#"{"step":"report","rq":"title"}"#,
            r#"{"step":"report","rq":"menu"}"#,
            r#"{"step":"report","rq":"view","request_id":1}"#,
            r#"{"step":"poll","ks":"title"}"#,
            r#"{"step":"liaison","li":"menu"}"#,
            r#"{"step":"liaison","li":"warning"}"#,
            r#"{"step":"liaison","li":"categories","chosen":["drugs"]}"#,
            r#"{"step":"poll","ks":"menu","choices":["ks:new"]}"#,
            r#"{"step":"poll","ks":"answer","poll_id":1,"index":0,"answers":[null]}"#,
            r#"{"step":"quiz","qz":"title"}"#,
            r#"{"step":"quiz","qz":"take","quiz_id":1}"#,
            r#"{"step":"quiz","qz":"menu","choices":["qz:new"]}"#,
        ] {
            let conv = Conversation::decode(
                super::super::STATE_VERSION,
                &format!(r#"{{"step":{json}}}"#),
            );
            let step: &Step = &conv.step;
            assert_eq!(json.contains("idle"), *step == Step::Idle, "{json} decodes");
            let owners = FLOWS.iter().filter(|f| f.owns(step)).count();
            assert!(owners <= 1, "{json}: {owners} owners");
            if *step != Step::Idle {
                assert_eq!(owners, 1, "{json} has no owner");
            }
            // Typed words pick real button data.
            for f in FLOWS {
                for (data, _) in f.typed_options(step).unwrap_or(&[]) {
                    assert!(crate::core::actions::is_known(data), "{json}: {data}");
                }
            }
        }
    }
}
