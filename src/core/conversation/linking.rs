//! One person on several apps: `/lienket` gives a one-time code; typed on the other app
//! (by a guest), it joins that account to the same member.

use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::{Ctx, Effect, LinkStatus, Needs, Step, split_command};
use crate::core::domain::LinkCode;
use crate::core::event::{InboundEvent, Payload};
use crate::core::text::esc;
use crate::tr;

pub(super) struct Linking;

impl Flow for Linking {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[CommandSpec::new("lienket", Audience::Everyone, Listed::All)
            .aliases(&["link"])
            .in_menu()];
        C
    }

    fn needs(&self, ev: &InboundEvent, step: &Step, n: &mut Needs) {
        if let Payload::Text { text } = &ev.payload {
            match split_command(text.trim()) {
                Some((cmd, arg)) if cmd == "lienket" || cmd == "link" => {
                    n.link_code = LinkCode::parse(arg).ok();
                    n.new_link_code = arg.is_empty();
                }
                Some(_) => {}
                None if *step == Step::Idle => n.link_code = LinkCode::parse(text.trim()).ok(),
                None => {}
            }
        }
    }

    fn on_command(&self, cx: &mut Ctx, _cmd: &str, arg: &str) {
        match cx.facts.member.clone() {
            Some(m) if arg.is_empty() => {
                let Some(code) = cx.facts.new_link_code.clone() else {
                    return;
                };
                cx.effects.push(Effect::CreateLinkCode {
                    member_id: m.id,
                    code: code.clone(),
                });
                let msg = tr!(
                    cx.i18n,
                    cx.lang,
                    "link-code",
                    code = code.grouped(),
                    minutes = LinkCode::VALID_MS / 60_000
                );
                cx.say(msg);
            }
            Some(m) => {
                let mine = matches!(
                    &cx.facts.link,
                    Some((_, LinkStatus::Valid { member_id, .. })) if *member_id == m.id
                );
                let msg = cx.t(if mine {
                    "link-same-member"
                } else {
                    "link-already-member"
                });
                cx.say(msg);
            }
            None if arg.is_empty() => {
                let msg = cx.t("link-usage-guest");
                cx.say(msg);
            }
            None => link_account(cx, arg),
        }
    }

    fn on_text(&self, cx: &mut Ctx, text: &str) -> bool {
        if cx.conv.step == Step::Idle && cx.facts.member.is_none() && LinkCode::parse(text).is_ok()
        {
            link_account(cx, text);
            return true;
        }
        false
    }
}

/// A guest typed a link code: this account joins the member who asked for it.
fn link_account(cx: &mut Ctx, raw: &str) {
    if cx.refuse_if_locked() {
        return;
    }
    let status = match (LinkCode::parse(raw), &cx.facts.link) {
        (Ok(code), Some((looked_up, status))) if code == *looked_up => status.clone(),
        _ => LinkStatus::Unknown,
    };
    match status {
        LinkStatus::Valid {
            name, unit_name, ..
        } => {
            cx.conv.bad_codes = 0;
            cx.conv.locked_until = None;
            if let Some((code, _)) = cx.facts.link.clone() {
                cx.effects.push(Effect::LinkAccount { code });
            }
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "link-done",
                name = esc(&name),
                unit = esc(&unit_name)
            );
            cx.say(msg);
        }
        LinkStatus::Expired => {
            let msg = cx.t("link-expired");
            cx.say(msg);
        }
        LinkStatus::Used => {
            let msg = cx.t("link-used");
            cx.say(msg);
        }
        LinkStatus::Unknown => {
            cx.count_bad_code();
            let msg = cx.t("link-invalid");
            cx.say(msg);
        }
    }
}
