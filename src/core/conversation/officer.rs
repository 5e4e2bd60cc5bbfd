//! Officers run their own part of the tree from chat: `/moi` makes invites (with a QR
//! poster) for their unit or any unit below, with a role no higher than their own, lists
//! and revokes them; `/donvi` shows the child units, adds, renames, moves and closes
//! units, lists members (20 a page, search by name), changes roles, moves and removes
//! members, and reads the audit log. A member who opens another unit's invite is asked
//! whether to move there ("chuyển sinh hoạt công đoàn").
//!
//! The rules live here as functions ([`in_subtree`], [`may_grant`], [`may_manage`]) and
//! are checked again in SQL by the store functions that apply them. Every question is a
//! numbered list as well as buttons, so a typed number works on Zalo.

use serde::{Deserialize, Serialize};

use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::{Ctx, Effect, InviteStatus, MemberView, Needs, Step, split_command};
use crate::core::actions::{MemberOp, OfficerAction, OfficerMenu, UNIT_KINDS};
use crate::core::domain::{InviteCode, Role, UnitCode};
use crate::core::event::{InboundEvent, Payload};
use crate::core::text::{esc, fold};
use crate::core::time::format_date;
use crate::tr;

/// Members a page of `/donvi`'s members list.
pub const MEMBERS_PER_PAGE: i64 = 20;
/// Largest number of uses of one invite.
pub const MAX_INVITE_USES: i64 = 10_000;
/// Longest validity of an invite, in days.
pub const MAX_INVITE_DAYS: i64 = 365;
/// Units offered in one list (a typed code reaches the others).
pub const MAX_LISTED_UNITS: usize = 20;
/// Levels below the officer's unit offered in lists.
pub const LISTED_LEVELS: i64 = 2;
/// Audit entries shown in chat.
pub const AUDIT_SHOWN: i64 = 15;
pub const MAX_UNIT_NAME_CHARS: usize = 120;
pub const MAX_REASON_CHARS: usize = 300;

/// Who acts: enough to check every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub role: Role,
}

impl From<&MemberView> for Actor {
    fn from(m: &MemberView) -> Self {
        Actor {
            member_id: m.id,
            unit_id: m.unit_id,
            unit_path: m.unit_path.clone(),
            role: m.role,
        }
    }
}

/// Whether the unit at `path` is the officer's own or below it.
pub fn in_subtree(officer_path: &str, path: &str) -> bool {
    !officer_path.is_empty() && path.starts_with(officer_path)
}

/// Whether someone with role `own` may give `role` (by invite or change): never above
/// their own.
/// Only an officer invites the police liaison, and a liaison gives no role at all.
pub fn may_grant(own: Role, role: Role) -> bool {
    match (own, role) {
        (_, Role::Liaison) => own == Role::Officer,
        (Role::Liaison, _) => false,
        _ => role <= own,
    }
}

/// Whether `actor` may change the role of, move or remove a member: an officer, for
/// members of their subtree other than themselves; in their own unit, not another
/// officer (a peer).
pub fn may_manage(
    actor: &Actor,
    target_id: i64,
    target_unit_path: &str,
    target_role: Role,
) -> bool {
    actor.role == Role::Officer
        && target_id != actor.member_id
        && in_subtree(&actor.unit_path, target_unit_path)
        && !(target_unit_path == actor.unit_path && target_role == Role::Officer)
}

/// Default uses and days of a new invite: an officer's invite is for one person for a
/// week, a member's or leader's for a whole workshop for a month.
pub fn invite_defaults(role: Role) -> (i64, i64) {
    match role {
        Role::Officer | Role::Liaison => (1, 7),
        _ => (200, 30),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitBrief {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub path: String,
    pub depth: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberBrief {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteBrief {
    pub code: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: Role,
    pub uses: i64,
    pub max_uses: i64,
    pub expires_at: Option<i64>,
}

/// An audit entry as shown: names are today's (a deleted person shows as `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub at: i64,
    pub action: String,
    pub actor: Option<String>,
    pub unit: String,
    pub other_unit: Option<String>,
    pub member: Option<String>,
    pub detail: String,
}

/// What the processor looked up for these flows (only inside the officer's subtree).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OfficerFacts {
    /// Open units of the subtree offered in lists (own unit first, tree order), then any
    /// unit a button, a step or a typed code named, when it is in the subtree.
    pub units: Vec<UnitBrief>,
    /// Members of each listed unit's whole subtree.
    pub counts: Vec<(i64, i64)>,
    /// Usable invites of the subtree, newest first.
    pub invites: Vec<InviteBrief>,
    /// A page of a unit's members: (matching total, the page).
    pub members: Option<(i64, Vec<MemberBrief>)>,
    /// The member a button or step names, when in the subtree.
    pub member: Option<MemberBrief>,
    pub audit: Vec<AuditRow>,
    /// The unit of an invite a member opened: (id, name).
    pub invite_unit: Option<(i64, String)>,
}

/// What the processor must look up for these flows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficerNeeds {
    pub units: bool,
    pub counts: bool,
    pub unit_ids: Vec<i64>,
    pub unit_code: Option<String>,
    pub invites: bool,
    /// One invite a revoke button names (if usable and in the subtree).
    pub invite_code: Option<InviteCode>,
    /// (unit id, page, search)
    pub members: Option<(i64, i64, Option<String>)>,
    /// The first page of the members of the unit `unit_code` names.
    pub members_of_code: bool,
    pub member: Option<i64>,
    pub audit: bool,
    pub invite_unit: Option<InviteCode>,
}

/// A question of these flows: what is being asked, the question as shown and its
/// options (button data, label), so a typed number picks one and it can be asked again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficerStep {
    pub stage: Stage,
    pub question: String,
    #[serde(default)]
    pub options: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// `/moi`: new invite, or revoke one.
    Invites,
    /// `/donvi`'s menu.
    Units,
    /// Choosing a unit (a typed unit code works too).
    PickUnit {
        purpose: Purpose,
    },
    InviteRole {
        unit_id: i64,
    },
    InviteUses {
        unit_id: i64,
        role: Role,
    },
    InviteDays {
        unit_id: i64,
        role: Role,
        uses: i64,
    },
    NewUnitName {
        parent_id: i64,
    },
    NewUnitKind {
        parent_id: i64,
        name: String,
    },
    RenameTo {
        unit_id: i64,
    },
    /// A unit's members, one page; typed text searches by name.
    Members {
        unit_id: i64,
        page: i64,
        query: Option<String>,
    },
    Member {
        member_id: i64,
    },
    MemberRole {
        member_id: i64,
    },
    RemoveReason {
        member_id: i64,
    },
    /// A member opened another unit's invite: move there?
    Move {
        invite: String,
    },
}

/// What a picked unit is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "for", rename_all = "snake_case")]
pub enum Purpose {
    Invite,
    AddChild,
    Rename,
    MoveUnit,
    MoveUnitTo { unit_id: i64 },
    Close,
    Members,
    MemberTo { member_id: i64 },
}

impl Purpose {
    fn key(self) -> &'static str {
        match self {
            Purpose::Invite => "officer-pick-invite",
            Purpose::AddChild => "officer-pick-add",
            Purpose::Rename => "officer-pick-rename",
            Purpose::MoveUnit => "officer-pick-move",
            Purpose::MoveUnitTo { .. } => "officer-pick-move-to",
            Purpose::Close => "officer-pick-close",
            Purpose::Members => "officer-pick-members",
            Purpose::MemberTo { .. } => "officer-pick-member-to",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum OfficerEffect {
    CreateInvite {
        unit_id: i64,
        role: Role,
        uses: i64,
        days: i64,
    },
    RevokeInvite {
        code: InviteCode,
    },
    AddUnit {
        parent_id: i64,
        name: String,
        kind: String,
    },
    RenameUnit {
        unit_id: i64,
        name: String,
    },
    MoveUnit {
        unit_id: i64,
        parent_id: i64,
    },
    CloseUnit {
        unit_id: i64,
    },
    SetRole {
        member_id: i64,
        role: Role,
    },
    MoveMember {
        member_id: i64,
        unit_id: i64,
    },
    RemoveMember {
        member_id: i64,
        reason: Option<String>,
    },
    /// The sender moves to the invite's unit, with their history.
    MoveByInvite {
        invite: InviteCode,
    },
}

pub(super) struct Officer;

impl Flow for Officer {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[
            // Leaders may invite to their own group too (never above their own role).
            CommandSpec::new("moi", Audience::Members, Listed::Officers),
            CommandSpec::new("donvi", Audience::Officers, Listed::Officers),
        ];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(step, Step::Officer(_))
    }

    fn needs(&self, ev: &InboundEvent, step: &Step, n: &mut Needs) {
        let o = &mut n.officer;
        let mine = match step {
            Step::Officer(s) => Some(s),
            _ => None,
        };
        let mut data: Option<String> = None;
        match &ev.payload {
            Payload::Text { text } => {
                let text = text.trim();
                match split_command(text) {
                    Some((cmd, arg)) if cmd == "start" => {
                        o.invite_unit = InviteCode::parse(arg).ok();
                    }
                    Some((cmd, _)) if cmd == "moi" => {
                        o.units = true;
                        o.invites = true;
                    }
                    Some((cmd, _)) if cmd == "donvi" => {
                        o.units = true;
                        o.counts = true;
                    }
                    Some(_) => {}
                    None => match mine {
                        Some(s) => match picked(s, text) {
                            Some(d) => data = Some(d),
                            None => typed_needs(s, text, o),
                        },
                        None => o.invite_unit = InviteCode::parse(text).ok(),
                    },
                }
            }
            Payload::Button { data: d, .. } if d.starts_with("of:") => data = Some(d.clone()),
            _ => {}
        }
        if let Some(s) = mine {
            o.units = true;
            step_needs(&s.stage, o);
            if let Stage::Move { invite } = &s.stage {
                o.invite_unit = InviteCode::parse(invite).ok();
                if n.invite.is_none() {
                    n.invite = o.invite_unit.clone();
                }
            }
        }
        let Some(data) = data else { return };
        let o = &mut n.officer;
        o.units = true;
        match data.parse::<OfficerAction>() {
            Ok(OfficerAction::Unit(id)) => {
                o.unit_ids.push(id);
                if let Some(Stage::PickUnit {
                    purpose: Purpose::Members,
                }) = mine.map(|s| &s.stage)
                {
                    o.members = Some((id, 0, None));
                }
            }
            Ok(OfficerAction::Member(id)) => o.member = Some(id),
            Ok(OfficerAction::Page(p)) => {
                if let Some(Stage::Members { unit_id, query, .. }) = mine.map(|s| &s.stage) {
                    o.members = Some((*unit_id, p, query.clone()));
                }
            }
            Ok(OfficerAction::Revoke(code)) => o.invite_code = InviteCode::parse(&code).ok(),
            Ok(OfficerAction::Menu(OfficerMenu::Audit)) => o.audit = true,
            Ok(OfficerAction::Menu(_)) => o.counts = true,
            _ => {}
        }
    }

    fn on_command(&self, cx: &mut Ctx, cmd: &str, _arg: &str) {
        match cmd {
            "moi" => show_invites(cx),
            _ => show_units(cx),
        }
    }

    fn on_text(&self, cx: &mut Ctx, text: &str) -> bool {
        let step = match &cx.conv.step {
            Step::Officer(s) => s.clone(),
            Step::Idle => {
                // A member who types another unit's code (Zalo has no deep links).
                return match cx.facts.member.clone() {
                    Some(m) if InviteCode::parse(text).is_ok() => offer_move(cx, &m, text),
                    _ => false,
                };
            }
            _ => return false,
        };
        if let Some(data) = picked(&step, text) {
            let current = cx.conv.step.clone();
            return self.on_choice(cx, &current, &data);
        }
        on_typed(cx, &step, text)
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        let Ok(action) = data.parse::<OfficerAction>() else {
            return false;
        };
        let stage = match step {
            Step::Officer(s) => Some(s.stage.clone()),
            _ => None,
        };
        // A refusal changes nothing: the question stays.
        cx.conv.step = step.clone();
        // Everything but a member's answer about moving needs the role still held now.
        if !matches!(action, OfficerAction::Move(_)) && !allowed(cx, &action, stage.as_ref()) {
            return true;
        }
        on_action(cx, stage, action);
        true
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        if let Step::Officer(s) = step {
            cx.ask_owned(s.question.clone(), &s.options);
        }
    }
}

/// The option a typed number (or the option's words) picks in `step`.
fn picked(step: &OfficerStep, text: &str) -> Option<String> {
    if let Ok(n) = text.trim().parse::<usize>() {
        return step.options.get(n.checked_sub(1)?).map(|(d, _)| d.clone());
    }
    let typed = fold(text);
    step.options
        .iter()
        .find(|(_, label)| fold(label.trim_start_matches(['·', ' '])) == typed)
        .map(|(d, _)| d.clone())
}

fn step_needs(stage: &Stage, o: &mut OfficerNeeds) {
    match stage {
        Stage::InviteRole { unit_id }
        | Stage::InviteUses { unit_id, .. }
        | Stage::InviteDays { unit_id, .. }
        | Stage::RenameTo { unit_id } => o.unit_ids.push(*unit_id),
        Stage::NewUnitName { parent_id } | Stage::NewUnitKind { parent_id, .. } => {
            o.unit_ids.push(*parent_id)
        }
        Stage::PickUnit {
            purpose: Purpose::MoveUnitTo { unit_id },
        } => o.unit_ids.push(*unit_id),
        Stage::PickUnit {
            purpose: Purpose::MemberTo { member_id },
        }
        | Stage::Member { member_id }
        | Stage::MemberRole { member_id }
        | Stage::RemoveReason { member_id } => o.member = Some(*member_id),
        Stage::Members { unit_id, .. } => o.unit_ids.push(*unit_id),
        _ => {}
    }
}

/// Facts for typed text (not an option number) in `step`.
fn typed_needs(step: &OfficerStep, text: &str, o: &mut OfficerNeeds) {
    match &step.stage {
        Stage::PickUnit { purpose } => {
            o.unit_code = UnitCode::parse(text).ok().map(|c| c.as_str().to_string());
            // The unit's id is known only once looked up: the processor pages it.
            o.members_of_code = *purpose == Purpose::Members && o.unit_code.is_some();
        }
        Stage::Members { unit_id, .. } => o.members = Some((*unit_id, 0, Some(text.to_string()))),
        _ => {}
    }
}

/// Whether the sender may still do `action` in `stage`; says why not.
fn allowed(cx: &mut Ctx, action: &OfficerAction, stage: Option<&Stage>) -> bool {
    let role = cx.facts.member.as_ref().map(|m| m.role);
    let inviting = match action {
        OfficerAction::Menu(OfficerMenu::NewInvite) | OfficerAction::Revoke(_) => true,
        OfficerAction::Menu(_) => false,
        _ => matches!(
            stage,
            Some(
                Stage::Invites
                    | Stage::InviteRole { .. }
                    | Stage::InviteUses { .. }
                    | Stage::InviteDays { .. }
                    | Stage::PickUnit {
                        purpose: Purpose::Invite
                    }
            )
        ),
    };
    let ok = match role {
        Some(Role::Officer) => true,
        Some(Role::Leader) => inviting,
        _ => false,
    };
    if !ok {
        let key = if role.is_none() {
            "need-to-join"
        } else {
            "officer-only"
        };
        let msg = cx.t(key);
        cx.say(msg);
    }
    ok
}

fn refuse(cx: &mut Ctx, key: &str) {
    let msg = cx.t(key);
    cx.say(msg);
}

/// Ask `question` with `options` and remember both.
fn ask(cx: &mut Ctx, stage: Stage, question: String, options: Vec<(String, String)>) {
    cx.ask_owned(question.clone(), &options);
    cx.conv.step = Step::Officer(OfficerStep {
        stage,
        question,
        options,
    });
}

fn actor(cx: &Ctx) -> Option<Actor> {
    cx.facts.member.as_ref().map(Actor::from)
}

fn unit<'a>(cx: &'a Ctx, id: i64) -> Option<&'a UnitBrief> {
    let a = cx.facts.member.as_ref()?;
    cx.facts
        .officer
        .units
        .iter()
        .find(|u| u.id == id && in_subtree(&a.unit_path, &u.path))
}

fn count_of(cx: &Ctx, id: i64) -> i64 {
    cx.facts
        .officer
        .counts
        .iter()
        .find(|(u, _)| *u == id)
        .map_or(0, |(_, n)| *n)
}

fn role_options(cx: &Ctx, own: Role, except: Option<Role>) -> Vec<(String, String)> {
    // The police liaison comes only by a new invite, never by a role change.
    let liaison = except.is_none().then_some(Role::Liaison);
    [Role::Member, Role::Leader, Role::Officer]
        .into_iter()
        .chain(liaison)
        .filter(|r| may_grant(own, *r) && Some(*r) != except)
        .map(|r| (OfficerAction::Role(r).to_string(), cx.role_name(r)))
        .collect()
}

fn show_invites(cx: &mut Ctx) {
    let Some(m) = cx.facts.member.clone() else {
        return;
    };
    if matches!(m.role, Role::Member | Role::Liaison) {
        return refuse(cx, "officer-moi-members");
    }
    let invites = cx.facts.officer.invites.clone();
    let mut text = if invites.is_empty() {
        tr!(
            cx.i18n,
            cx.lang,
            "officer-invites-none",
            unit = esc(&m.unit_name)
        )
    } else {
        tr!(
            cx.i18n,
            cx.lang,
            "officer-invites-title",
            unit = esc(&m.unit_name)
        )
    };
    let mut options = vec![(
        OfficerAction::Menu(OfficerMenu::NewInvite).to_string(),
        cx.t("officer-new-invite"),
    )];
    for i in invites.iter().take(10) {
        let expires = i
            .expires_at
            .map(format_date)
            .unwrap_or_else(|| cx.t("officer-never"));
        let code = InviteCode::parse(&i.code)
            .map(|c| c.grouped())
            .unwrap_or_default();
        text.push('\n');
        text.push_str(&tr!(
            cx.i18n,
            cx.lang,
            "officer-invite-line",
            code = code.clone(),
            unit = esc(&i.unit_name),
            role = cx.role_name(i.role),
            left = i.max_uses - i.uses,
            uses = i.max_uses,
            expires = expires
        ));
        options.push((
            OfficerAction::Revoke(i.code.clone()).to_string(),
            tr!(cx.i18n, cx.lang, "officer-revoke", code = code),
        ));
    }
    ask(cx, Stage::Invites, text, options);
}

fn show_units(cx: &mut Ctx) {
    let Some(m) = cx.facts.member.clone() else {
        return;
    };
    let mut children: Vec<UnitBrief> = cx
        .facts
        .officer
        .units
        .iter()
        .filter(|u| u.parent_id == Some(m.unit_id))
        .cloned()
        .collect();
    children.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let mut text = tr!(
        cx.i18n,
        cx.lang,
        "officer-units-title",
        unit = esc(&m.unit_name),
        code = esc(&m.unit_code),
        members = count_of(cx, m.unit_id)
    );
    if children.is_empty() {
        text.push('\n');
        text.push_str(&cx.t("officer-units-no-children"));
    }
    for c in &children {
        text.push('\n');
        text.push_str(&tr!(
            cx.i18n,
            cx.lang,
            "officer-unit-line",
            unit = esc(&c.name),
            code = esc(&c.code),
            members = count_of(cx, c.id)
        ));
    }
    let mut menu = vec![OfficerMenu::AddUnit, OfficerMenu::Rename];
    if !children.is_empty() {
        menu.extend([OfficerMenu::MoveUnit, OfficerMenu::Close]);
    }
    menu.extend([
        OfficerMenu::Members,
        OfficerMenu::NewInvite,
        OfficerMenu::Audit,
    ]);
    let options = menu
        .into_iter()
        .map(|x| {
            (
                OfficerAction::Menu(x).to_string(),
                cx.t(&format!("officer-menu-{}", x.as_str())),
            )
        })
        .collect();
    ask(cx, Stage::Units, text, options);
}

/// Ask for a unit of the subtree, for `purpose`.
fn pick_unit(cx: &mut Ctx, purpose: Purpose) {
    let Some(m) = cx.facts.member.clone() else {
        return;
    };
    let own_depth = cx
        .facts
        .officer
        .units
        .iter()
        .find(|u| u.id == m.unit_id)
        .map_or(0, |u| u.depth);
    let moving = match purpose {
        Purpose::MoveUnitTo { unit_id } => unit(cx, unit_id).cloned(),
        _ => None,
    };
    let member_unit = match purpose {
        Purpose::MemberTo { .. } => cx.facts.officer.member.as_ref().map(|x| x.unit_id),
        _ => None,
    };
    let mut candidates: Vec<&UnitBrief> = cx
        .facts
        .officer
        .units
        .iter()
        .filter(|u| in_subtree(&m.unit_path, &u.path))
        .filter(|u| u.depth <= own_depth + LISTED_LEVELS)
        .filter(|u| fits(purpose, &m, u, moving.as_ref(), member_unit))
        .collect();
    candidates.sort_by(|a, b| a.path.cmp(&b.path));
    if candidates.len() > MAX_LISTED_UNITS {
        // A large subtree: the units one level down (the others by their code).
        candidates.retain(|u| u.depth <= own_depth + 1);
    }
    let options: Vec<(String, String)> = candidates
        .into_iter()
        .take(MAX_LISTED_UNITS)
        .map(|u| {
            let indent = "· ".repeat((u.depth - own_depth).clamp(0, 5) as usize);
            (
                OfficerAction::Unit(u.id).to_string(),
                format!("{indent}{} ({})", u.name, u.code),
            )
        })
        .collect();
    if options.is_empty() {
        cx.conv.step = Step::Idle;
        return refuse(cx, "officer-no-unit-to-pick");
    }
    let question = format!(
        "{}\n{}",
        cx.t(purpose.key()),
        cx.t("officer-pick-or-type-code")
    );
    ask(cx, Stage::PickUnit { purpose }, question, options);
}

/// Whether `u` may be picked for `purpose`.
fn fits(
    purpose: Purpose,
    m: &MemberView,
    u: &UnitBrief,
    moving: Option<&UnitBrief>,
    member_unit: Option<i64>,
) -> bool {
    match purpose {
        Purpose::MoveUnit | Purpose::Close => u.path != m.unit_path,
        Purpose::MoveUnitTo { .. } => {
            moving.is_some_and(|mv| !u.path.starts_with(&mv.path) && mv.parent_id != Some(u.id))
        }
        Purpose::MemberTo { .. } => member_unit != Some(u.id),
        _ => true,
    }
}

fn on_action(cx: &mut Ctx, stage: Option<Stage>, action: OfficerAction) {
    use OfficerAction as A;
    match (stage, action) {
        (_, A::Cancel) => {
            cx.conv.step = Step::Idle;
            refuse(cx, "cancelled");
        }
        (_, A::Menu(menu)) => match menu {
            OfficerMenu::NewInvite => pick_unit(cx, Purpose::Invite),
            OfficerMenu::AddUnit => pick_unit(cx, Purpose::AddChild),
            OfficerMenu::Rename => pick_unit(cx, Purpose::Rename),
            OfficerMenu::MoveUnit => pick_unit(cx, Purpose::MoveUnit),
            OfficerMenu::Close => pick_unit(cx, Purpose::Close),
            OfficerMenu::Members => pick_unit(cx, Purpose::Members),
            OfficerMenu::Audit => show_audit(cx),
        },
        (_, A::Revoke(code)) => {
            let listed = cx.facts.officer.invites.iter().any(|i| i.code == code);
            match InviteCode::parse(&code) {
                Ok(code) if listed => {
                    cx.conv.step = Step::Idle;
                    cx.effects
                        .push(Effect::Officer(OfficerEffect::RevokeInvite { code }));
                }
                _ => refuse(cx, "officer-invite-refused"),
            }
        }
        (Some(Stage::PickUnit { purpose }), A::Unit(id)) => unit_picked(cx, purpose, id),
        (Some(Stage::InviteRole { unit_id }), A::Role(role)) => {
            let own = cx.facts.member.as_ref().map_or(Role::Member, |m| m.role);
            if !may_grant(own, role) {
                return refuse(cx, "officer-role-too-high");
            }
            ask_uses(cx, unit_id, role);
        }
        (Some(Stage::InviteUses { unit_id, role }), A::Uses(uses)) => {
            if !(1..=MAX_INVITE_USES).contains(&uses) {
                return refuse(cx, "officer-bad-uses");
            }
            ask_days(cx, unit_id, role, uses);
        }
        (
            Some(Stage::InviteDays {
                unit_id,
                role,
                uses,
            }),
            A::Days(days),
        ) => {
            if !(1..=MAX_INVITE_DAYS).contains(&days) {
                return refuse(cx, "officer-bad-days");
            }
            let own = cx.facts.member.as_ref().map_or(Role::Member, |m| m.role);
            if unit(cx, unit_id).is_none() || !may_grant(own, role) {
                cx.conv.step = Step::Idle;
                return refuse(cx, "officer-unit-refused");
            }
            cx.conv.step = Step::Idle;
            cx.effects
                .push(Effect::Officer(OfficerEffect::CreateInvite {
                    unit_id,
                    role,
                    uses,
                    days,
                }));
        }
        (Some(Stage::NewUnitKind { parent_id, name }), A::Kind(kind)) => {
            cx.conv.step = Step::Idle;
            cx.effects.push(Effect::Officer(OfficerEffect::AddUnit {
                parent_id,
                name,
                kind: kind.to_string(),
            }));
        }
        (Some(Stage::Members { unit_id, query, .. }), A::Page(page)) => {
            show_members(cx, unit_id, page, query)
        }
        (Some(Stage::Members { .. }), A::Member(id)) => show_member(cx, id),
        (Some(Stage::Member { member_id }), A::MemberDo(op)) => {
            let Some(target) = manageable(cx, member_id) else {
                cx.conv.step = Step::Idle;
                return refuse(cx, "officer-member-refused");
            };
            match op {
                // The police liaison keeps their role: they are not a union member.
                MemberOp::Role if target.role == Role::Liaison => {
                    cx.conv.step = Step::Idle;
                    refuse(cx, "officer-member-refused")
                }
                MemberOp::Role => {
                    let own = cx.facts.member.as_ref().map_or(Role::Member, |m| m.role);
                    let options = role_options(cx, own, Some(target.role));
                    let q = tr!(
                        cx.i18n,
                        cx.lang,
                        "officer-ask-role-for",
                        name = esc(&target.name),
                        role = cx.role_name(target.role)
                    );
                    ask(cx, Stage::MemberRole { member_id }, q, options);
                }
                MemberOp::Move => pick_unit(cx, Purpose::MemberTo { member_id }),
                MemberOp::Remove => {
                    let q = tr!(
                        cx.i18n,
                        cx.lang,
                        "officer-ask-reason",
                        name = esc(&target.name)
                    );
                    let options =
                        vec![(OfficerAction::Skip.to_string(), cx.t("officer-no-reason"))];
                    ask(cx, Stage::RemoveReason { member_id }, q, options);
                }
            }
        }
        (Some(Stage::MemberRole { member_id }), A::Role(role)) => {
            let own = cx.facts.member.as_ref().map_or(Role::Member, |m| m.role);
            if role == Role::Liaison || !may_grant(own, role) {
                return refuse(cx, "officer-role-too-high");
            }
            if manageable(cx, member_id).is_none() {
                cx.conv.step = Step::Idle;
                return refuse(cx, "officer-member-refused");
            }
            cx.conv.step = Step::Idle;
            cx.effects
                .push(Effect::Officer(OfficerEffect::SetRole { member_id, role }));
        }
        (Some(Stage::RemoveReason { member_id }), A::Skip) => remove(cx, member_id, None),
        (Some(Stage::Move { invite }), A::Move(yes)) => move_answer(cx, &invite, yes),
        _ => {
            let msg = cx.t("stale-button");
            cx.say(msg);
        }
    }
}

fn unit_picked(cx: &mut Ctx, purpose: Purpose, id: i64) {
    let Some(m) = cx.facts.member.clone() else {
        return;
    };
    let Some(u) = unit(cx, id).cloned() else {
        // Not a unit of the subtree (a forged button, another branch's code): nothing.
        return refuse(cx, "officer-unit-refused");
    };
    let moving = match purpose {
        Purpose::MoveUnitTo { unit_id } => unit(cx, unit_id).cloned(),
        _ => None,
    };
    let member_unit = match purpose {
        Purpose::MemberTo { .. } => cx.facts.officer.member.as_ref().map(|x| x.unit_id),
        _ => None,
    };
    if !fits(purpose, &m, &u, moving.as_ref(), member_unit) {
        let key = match purpose {
            Purpose::MoveUnitTo { .. } => "officer-move-into-itself",
            _ => "officer-unit-refused",
        };
        return refuse(cx, key);
    }
    match purpose {
        Purpose::Invite => {
            let q = tr!(cx.i18n, cx.lang, "officer-ask-role", unit = esc(&u.name));
            let options = role_options(cx, m.role, None);
            ask(cx, Stage::InviteRole { unit_id: u.id }, q, options);
        }
        Purpose::AddChild => {
            let q = tr!(
                cx.i18n,
                cx.lang,
                "officer-ask-new-name",
                unit = esc(&u.name)
            );
            ask(cx, Stage::NewUnitName { parent_id: u.id }, q, vec![]);
        }
        Purpose::Rename => {
            let q = tr!(cx.i18n, cx.lang, "officer-ask-rename", unit = esc(&u.name));
            ask(cx, Stage::RenameTo { unit_id: u.id }, q, vec![]);
        }
        Purpose::MoveUnit => pick_unit(cx, Purpose::MoveUnitTo { unit_id: u.id }),
        Purpose::MoveUnitTo { unit_id } => {
            cx.conv.step = Step::Idle;
            cx.effects.push(Effect::Officer(OfficerEffect::MoveUnit {
                unit_id,
                parent_id: u.id,
            }));
        }
        Purpose::Close => {
            cx.conv.step = Step::Idle;
            cx.effects
                .push(Effect::Officer(OfficerEffect::CloseUnit { unit_id: u.id }));
        }
        Purpose::Members => show_members(cx, u.id, 0, None),
        Purpose::MemberTo { member_id } => {
            if manageable(cx, member_id).is_none() {
                cx.conv.step = Step::Idle;
                return refuse(cx, "officer-member-refused");
            }
            cx.conv.step = Step::Idle;
            cx.effects.push(Effect::Officer(OfficerEffect::MoveMember {
                member_id,
                unit_id: u.id,
            }));
        }
    }
}

/// The member a step or button names, if the sender may manage them.
fn manageable(cx: &Ctx, member_id: i64) -> Option<MemberBrief> {
    let a = actor(cx)?;
    cx.facts
        .officer
        .member
        .clone()
        .filter(|t| t.id == member_id && may_manage(&a, t.id, &t.unit_path, t.role))
}

fn ask_uses(cx: &mut Ctx, unit_id: i64, role: Role) {
    let (default, _) = invite_defaults(role);
    let mut choices = vec![default];
    choices.extend([1, 30, 200].into_iter().filter(|n| *n != default));
    let options = choices
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let label = tr!(cx.i18n, cx.lang, "officer-uses-option", n = n);
            let label = if i == 0 {
                tr!(cx.i18n, cx.lang, "officer-default", option = label)
            } else {
                label
            };
            (OfficerAction::Uses(n).to_string(), label)
        })
        .collect();
    let q = cx.t("officer-ask-uses");
    ask(cx, Stage::InviteUses { unit_id, role }, q, options);
}

fn ask_days(cx: &mut Ctx, unit_id: i64, role: Role, uses: i64) {
    let (_, default) = invite_defaults(role);
    let mut choices = vec![default];
    choices.extend([7, 30, 90].into_iter().filter(|n| *n != default));
    let options = choices
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let label = tr!(cx.i18n, cx.lang, "officer-days-option", n = n);
            let label = if i == 0 {
                tr!(cx.i18n, cx.lang, "officer-default", option = label)
            } else {
                label
            };
            (OfficerAction::Days(n).to_string(), label)
        })
        .collect();
    let q = cx.t("officer-ask-days");
    ask(
        cx,
        Stage::InviteDays {
            unit_id,
            role,
            uses,
        },
        q,
        options,
    );
}

fn show_members(cx: &mut Ctx, unit_id: i64, page: i64, query: Option<String>) {
    let Some(u) = unit(cx, unit_id).cloned() else {
        cx.conv.step = Step::Idle;
        return refuse(cx, "officer-unit-refused");
    };
    let (total, rows) = cx.facts.officer.members.clone().unwrap_or_default();
    let pages = ((total + MEMBERS_PER_PAGE - 1) / MEMBERS_PER_PAGE).max(1);
    let page = page.clamp(0, pages - 1);
    let mut text = match &query {
        Some(q) => tr!(
            cx.i18n,
            cx.lang,
            "officer-members-found",
            unit = esc(&u.name),
            query = esc(q),
            total = total
        ),
        None => tr!(
            cx.i18n,
            cx.lang,
            "officer-members-title",
            unit = esc(&u.name),
            total = total
        ),
    };
    if pages > 1 {
        text.push_str(&tr!(
            cx.i18n,
            cx.lang,
            "officer-page",
            page = page + 1,
            pages = pages
        ));
    }
    text.push('\n');
    text.push_str(&cx.t("officer-members-hint"));
    let mut options: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                OfficerAction::Member(r.id).to_string(),
                format!("{} — {}", r.name, cx.role_name(r.role)),
            )
        })
        .collect();
    if page + 1 < pages {
        options.push((
            OfficerAction::Page(page + 1).to_string(),
            cx.t("officer-next-page"),
        ));
    }
    if page > 0 {
        options.push((
            OfficerAction::Page(page - 1).to_string(),
            cx.t("officer-prev-page"),
        ));
    }
    ask(
        cx,
        Stage::Members {
            unit_id,
            page,
            query,
        },
        text,
        options,
    );
}

fn show_member(cx: &mut Ctx, member_id: i64) {
    let Some(t) = manageable(cx, member_id) else {
        return refuse(cx, "officer-member-refused");
    };
    let text = tr!(
        cx.i18n,
        cx.lang,
        "officer-member-card",
        name = esc(&t.name),
        role = cx.role_name(t.role),
        unit = esc(&t.unit_name)
    );
    let options = MemberOp::ALL
        .into_iter()
        .map(|op| {
            (
                OfficerAction::MemberDo(op).to_string(),
                cx.t(&format!("officer-member-{}", op.as_str())),
            )
        })
        .collect();
    ask(cx, Stage::Member { member_id }, text, options);
}

fn remove(cx: &mut Ctx, member_id: i64, reason: Option<String>) {
    cx.conv.step = Step::Idle;
    if manageable(cx, member_id).is_none() {
        return refuse(cx, "officer-member-refused");
    }
    cx.effects
        .push(Effect::Officer(OfficerEffect::RemoveMember {
            member_id,
            reason,
        }));
}

fn show_audit(cx: &mut Ctx) {
    cx.conv.step = Step::Idle;
    let rows = cx.facts.officer.audit.clone();
    if rows.is_empty() {
        return refuse(cx, "officer-audit-empty");
    }
    let mut lines = vec![cx.t("officer-audit-title")];
    let removed = cx.t("officer-removed-person");
    for r in rows {
        let what = cx.t(&format!("audit-{}", r.action.replace(['.', '_'], "-")));
        let mut line = format!(
            "{} — {}: {} — {}",
            crate::core::time::format_date_time(r.at),
            esc(r.actor.as_deref().unwrap_or(&removed)),
            what,
            esc(&r.unit)
        );
        if let Some(o) = &r.other_unit {
            line.push_str(&format!(" ← {}", esc(o)));
        }
        if let Some(name) = &r.member {
            line.push_str(&format!(" — {}", esc(name)));
        }
        if !r.detail.is_empty() {
            line.push_str(&format!(" ({})", esc(&r.detail)));
        }
        lines.push(line);
    }
    cx.say(lines.join("\n"));
}

/// Typed text (not an option number) in one of these steps.
fn on_typed(cx: &mut Ctx, step: &OfficerStep, text: &str) -> bool {
    let text = text.trim();
    match step.stage.clone() {
        Stage::PickUnit { purpose } => {
            if !allowed(cx, &OfficerAction::Skip, Some(&step.stage)) {
                return true;
            }
            let found = UnitCode::parse(text).ok().and_then(|code| {
                cx.facts
                    .officer
                    .units
                    .iter()
                    .find(|u| u.code == code.as_str())
                    .map(|u| u.id)
            });
            match found {
                Some(id) => unit_picked(cx, purpose, id),
                None => refuse(cx, "officer-unit-refused"),
            }
            true
        }
        Stage::InviteUses { .. } => match typed_number(text, MAX_INVITE_USES) {
            Some(n) => {
                on_action(cx, Some(step.stage.clone()), OfficerAction::Uses(n));
                true
            }
            None => {
                refuse(cx, "officer-bad-uses");
                true
            }
        },
        Stage::InviteDays { .. } => match typed_number(text, MAX_INVITE_DAYS) {
            Some(n) => {
                on_action(cx, Some(step.stage.clone()), OfficerAction::Days(n));
                true
            }
            None => {
                refuse(cx, "officer-bad-days");
                true
            }
        },
        Stage::NewUnitName { parent_id } => {
            if !allowed(cx, &OfficerAction::Skip, Some(&step.stage)) {
                return true;
            }
            let Some(name) = unit_name(text) else {
                refuse(cx, "officer-bad-name");
                return true;
            };
            let options = UNIT_KINDS
                .into_iter()
                .map(|k| {
                    (
                        OfficerAction::Kind(k).to_string(),
                        cx.t(&format!("unit-kind-{}", k.replace('_', "-"))),
                    )
                })
                .collect();
            let q = tr!(cx.i18n, cx.lang, "officer-ask-kind", name = esc(&name));
            ask(cx, Stage::NewUnitKind { parent_id, name }, q, options);
            true
        }
        Stage::RenameTo { unit_id } => {
            if !allowed(cx, &OfficerAction::Skip, Some(&step.stage)) {
                return true;
            }
            let Some(name) = unit_name(text) else {
                refuse(cx, "officer-bad-name");
                return true;
            };
            cx.conv.step = Step::Idle;
            if unit(cx, unit_id).is_none() {
                refuse(cx, "officer-unit-refused");
                return true;
            }
            cx.effects
                .push(Effect::Officer(OfficerEffect::RenameUnit { unit_id, name }));
            true
        }
        Stage::Members { unit_id, .. } => {
            if !allowed(cx, &OfficerAction::Skip, Some(&step.stage)) {
                return true;
            }
            show_members(cx, unit_id, 0, Some(text.to_string()));
            true
        }
        Stage::RemoveReason { member_id } => {
            if !allowed(cx, &OfficerAction::Skip, Some(&step.stage)) {
                return true;
            }
            if text.chars().count() > MAX_REASON_CHARS {
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "officer-reason-too-long",
                    max = MAX_REASON_CHARS as i64
                );
                cx.say(msg);
                return true;
            }
            remove(cx, member_id, Some(text.to_string()));
            true
        }
        _ => false,
    }
}

/// "25", "25 người", "25 lượt", "30 ngày": a number from 1 to `max`.
fn typed_number(text: &str, max: i64) -> Option<i64> {
    let first = fold(text);
    let word = first.split_whitespace().next()?;
    word.parse::<i64>().ok().filter(|n| (1..=max).contains(n))
}

/// A unit name: one line, 2 to 120 characters.
fn unit_name(text: &str) -> Option<String> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = name.chars().count();
    ((2..=MAX_UNIT_NAME_CHARS).contains(&n) && !text.contains('\n')).then_some(name)
}

/// A member sent `/start CODE` (or the bare code) of another unit's invite: ask whether
/// to move there. `false` when the code is their own unit's (they are told they are a
/// member already).
pub(super) fn offer_move(cx: &mut Ctx, m: &MemberView, raw: &str) -> bool {
    let Ok(code) = InviteCode::parse(raw) else {
        return false;
    };
    let status = match &cx.facts.invite {
        Some((looked_up, status)) if *looked_up == code => status.clone(),
        _ => InviteStatus::Unknown,
    };
    if cx.refuse_if_locked() {
        return true;
    }
    let target = cx.facts.officer.invite_unit.clone();
    match (status, target) {
        (InviteStatus::Valid { .. }, Some((unit_id, _))) if unit_id == m.unit_id => false,
        (InviteStatus::Valid { unit_name, role }, Some(_)) => {
            cx.conv.bad_codes = 0;
            let q = tr!(
                cx.i18n,
                cx.lang,
                "move-ask",
                from = esc(&m.unit_name),
                to = esc(&unit_name),
                role = cx.role_name(role)
            );
            let options = vec![
                (OfficerAction::Move(true).to_string(), cx.t("move-yes")),
                (OfficerAction::Move(false).to_string(), cx.t("move-no")),
            ];
            ask(
                cx,
                Stage::Move {
                    invite: code.as_str().to_string(),
                },
                q,
                options,
            );
            true
        }
        (InviteStatus::Expired, _) => {
            refuse(cx, "invite-expired");
            true
        }
        (InviteStatus::UsedUp, _) => {
            refuse(cx, "invite-used-up");
            true
        }
        _ => {
            cx.count_bad_code();
            refuse(cx, "invite-invalid");
            true
        }
    }
}

fn move_answer(cx: &mut Ctx, invite: &str, yes: bool) {
    cx.conv.step = Step::Idle;
    if !yes {
        return refuse(cx, "move-cancelled");
    }
    let Ok(code) = InviteCode::parse(invite) else {
        return refuse(cx, "invite-invalid");
    };
    match cx.facts.invite.clone() {
        Some((looked_up, InviteStatus::Valid { .. })) if looked_up == code => {
            if cx.facts.member.is_some() {
                cx.effects
                    .push(Effect::Officer(OfficerEffect::MoveByInvite {
                        invite: code,
                    }));
            }
        }
        Some((_, InviteStatus::Expired)) => refuse(cx, "invite-expired"),
        Some((_, InviteStatus::UsedUp)) => refuse(cx, "invite-used-up"),
        _ => refuse(cx, "invite-invalid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(path: &str, role: Role) -> Actor {
        Actor {
            member_id: 1,
            unit_id: 5,
            unit_path: path.into(),
            role,
        }
    }

    #[test]
    fn subtree_and_role_rules() {
        assert!(in_subtree("/1/5/", "/1/5/"));
        assert!(in_subtree("/1/5/", "/1/5/23/"));
        assert!(!in_subtree("/1/5/", "/1/50/"));
        assert!(!in_subtree("/1/5/", "/1/"));
        assert!(!in_subtree("", "/1/"));
        assert!(may_grant(Role::Officer, Role::Officer));
        assert!(may_grant(Role::Leader, Role::Member));
        assert!(!may_grant(Role::Leader, Role::Officer));
        assert!(!may_grant(Role::Member, Role::Leader));
        let a = actor("/1/5/", Role::Officer);
        assert!(may_manage(&a, 2, "/1/5/", Role::Member));
        assert!(may_manage(&a, 2, "/1/5/9/", Role::Officer));
        assert!(!may_manage(&a, 2, "/1/5/", Role::Officer), "a peer");
        assert!(!may_manage(&a, 1, "/1/5/", Role::Member), "oneself");
        assert!(!may_manage(&a, 2, "/1/6/", Role::Member), "another branch");
        assert!(!may_manage(
            &actor("/1/5/", Role::Leader),
            2,
            "/1/5/",
            Role::Member
        ));
    }

    #[test]
    fn typed_counts() {
        assert_eq!(typed_number("25", 100), Some(25));
        assert_eq!(typed_number("25 người", 100), Some(25));
        assert_eq!(typed_number("0", 100), None);
        assert_eq!(typed_number("1000", 100), None);
        assert_eq!(typed_number("nhiều", 100), None);
        assert_eq!(unit_name("  Tổ   3 "), Some("Tổ 3".into()));
        assert_eq!(unit_name("x"), None);
    }

    #[test]
    fn an_option_is_picked_by_its_number_or_its_words() {
        let step = OfficerStep {
            stage: Stage::Invites,
            question: String::new(),
            options: vec![
                ("of:u:1".into(), "Công đoàn cơ sở (CDCS)".into()),
                ("of:u:2".into(), "· Tổ tự quản số 1 (TTQ-01)".into()),
            ],
        };
        assert_eq!(picked(&step, " 2 ").as_deref(), Some("of:u:2"));
        assert_eq!(
            picked(&step, "tổ tự quản số 1 (ttq-01)").as_deref(),
            Some("of:u:2")
        );
        assert_eq!(picked(&step, "3"), None);
        assert_eq!(picked(&step, "0"), None);
        assert_eq!(picked(&step, "Tổ"), None);
    }
}
