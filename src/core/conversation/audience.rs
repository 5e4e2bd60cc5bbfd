//! The audience picker that broadcasts, polls and quizzes share: the whole subtree, one
//! child unit, several chosen child units, the housing-group leaders (and, for
//! broadcasts, the officers), each with its count. Every flow brings its own button data
//! (`to`, `unit`), so a button stays owned by the flow that parses it.

use super::broadcast::BroadcastTarget;
use super::{Ctx, toggle, typed_numbers};
use crate::core::actions::BroadcastTo;
use crate::core::domain::Role;
use crate::tr;

/// Child units offered one by one (the rest are reached through the whole subtree).
pub(super) const MAX_CHILD_TARGETS: usize = 20;

/// The choices of whom to address, as (button data, label).
pub(super) fn target_options(
    cx: &Ctx,
    officers: bool,
    to: impl Fn(BroadcastTo) -> String,
) -> Vec<(String, String)> {
    let Some(m) = &cx.facts.member else {
        return vec![];
    };
    let mut options = vec![(
        to(BroadcastTo::All),
        tr!(
            cx.i18n,
            cx.lang,
            "bc-target-all",
            unit = m.unit_name.as_str(),
            count = cx.facts.subtree_members
        ),
    )];
    for u in cx.facts.children.iter().take(MAX_CHILD_TARGETS) {
        options.push((
            to(BroadcastTo::Unit(u.id)),
            tr!(
                cx.i18n,
                cx.lang,
                "bc-target-unit",
                unit = u.name.as_str(),
                count = u.members
            ),
        ));
    }
    if cx.facts.children.len() >= 2 {
        options.push((to(BroadcastTo::Pick), cx.t("bc-target-pick")));
    }
    options.push((
        to(BroadcastTo::Leaders),
        tr!(
            cx.i18n,
            cx.lang,
            "bc-target-leaders",
            count = cx.facts.subtree_leaders
        ),
    ));
    if officers && cx.facts.subtree_officers > 0 {
        options.push((
            to(BroadcastTo::Officers),
            tr!(
                cx.i18n,
                cx.lang,
                "bc-target-officers",
                count = cx.facts.subtree_officers
            ),
        ));
    }
    options
}

/// The child units shown for picking, in order (their numbers when typed): (id, name,
/// members).
pub(super) fn pickable(cx: &Ctx) -> Vec<(i64, String, i64)> {
    cx.facts
        .children
        .iter()
        .take(MAX_CHILD_TARGETS)
        .map(|u| (u.id, u.name.clone(), u.members))
        .collect()
}

/// The picking list: each unit ticked or not, then «done» with the count, then «back».
pub(super) fn pick_options(
    cx: &Ctx,
    chosen: &[i64],
    unit: impl Fn(i64) -> String,
    done: String,
    back: String,
) -> Vec<(String, String)> {
    let units = pickable(cx);
    let mut options: Vec<(String, String)> = units
        .iter()
        .map(|(id, name, members)| {
            let mark = if chosen.contains(id) { "☑" } else { "☐" };
            (unit(*id), format!("{mark} {name} ({members})"))
        })
        .collect();
    let count: i64 = units
        .iter()
        .filter(|(id, _, _)| chosen.contains(id))
        .map(|(_, _, n)| n)
        .sum();
    options.push((
        done,
        tr!(
            cx.i18n,
            cx.lang,
            "bc-pick-done",
            units = chosen.len() as i64,
            count = count
        ),
    ));
    options.push((back, cx.t("directive-back")));
    options
}

/// What a typed answer to the picking list did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TypedPick {
    /// The units numbered were ticked or unticked in `chosen`.
    Toggled,
    /// «done», the number after the units.
    Done,
    /// «back», the number after «done».
    Back,
    /// Anything else: nothing changed.
    Unclear,
}

/// A typed answer to [`pick_options`] (Zalo has no buttons): unit numbers toggle those
/// units, or one number past them is «done» or «back».
pub(super) fn typed_pick(cx: &Ctx, text: &str, chosen: &mut Vec<i64>) -> TypedPick {
    let units = pickable(cx);
    match typed_numbers(text, units.len() + 2) {
        Some(numbers) if numbers.iter().all(|&n| n <= units.len()) => {
            for n in numbers {
                toggle(chosen, units[n - 1].0);
            }
            TypedPick::Toggled
        }
        Some(numbers) if numbers.len() == 1 => {
            if numbers[0] == units.len() + 1 {
                TypedPick::Done
            } else {
                TypedPick::Back
            }
        }
        _ => TypedPick::Unclear,
    }
}

/// The target made of the chosen child units, `None` if none is chosen.
pub(super) fn picked_target(cx: &Ctx, chosen: &[i64]) -> Option<BroadcastTarget> {
    let m = cx.facts.member.as_ref()?;
    let picked: Vec<(i64, String, i64)> = pickable(cx)
        .into_iter()
        .filter(|(id, _, _)| chosen.contains(id))
        .collect();
    if picked.is_empty() {
        return None;
    }
    let names: Vec<&str> = picked.iter().map(|(_, name, _)| name.as_str()).collect();
    Some(BroadcastTarget {
        unit_id: m.unit_id,
        role: None,
        count: picked.iter().map(|(_, _, n)| n).sum(),
        label: tr!(
            cx.i18n,
            cx.lang,
            "bc-target-units",
            count = picked.len() as i64,
            names = names.join(", ")
        ),
        units: picked.iter().map(|(id, _, _)| *id).collect(),
    })
}

/// The target of one choice of [`target_options`] (not «several units»: see
/// [`picked_target`]); `None` when it was not offered (a forged or stale button).
pub(super) fn resolve_target(
    cx: &Ctx,
    choice: BroadcastTo,
    officers: bool,
    to: impl Fn(BroadcastTo) -> String,
) -> Option<BroadcastTarget> {
    let m = cx.facts.member.as_ref()?;
    let data = to(choice);
    let label = target_options(cx, officers, &to)
        .into_iter()
        .find(|(d, _)| *d == data)
        .map(|(_, l)| l)?;
    let (unit_id, role, count) = match choice {
        BroadcastTo::All => (m.unit_id, None, cx.facts.subtree_members),
        BroadcastTo::Leaders => (m.unit_id, Some(Role::Leader), cx.facts.subtree_leaders),
        BroadcastTo::Officers => (m.unit_id, Some(Role::Officer), cx.facts.subtree_officers),
        BroadcastTo::Unit(id) => {
            let u = cx.facts.children.iter().find(|u| u.id == id)?;
            (u.id, None, u.members)
        }
        BroadcastTo::Pick => return None,
    };
    Some(BroadcastTarget {
        unit_id,
        role,
        count,
        label,
        units: vec![],
    })
}
