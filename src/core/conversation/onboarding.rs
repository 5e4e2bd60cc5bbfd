//! Joining: `/start CODE` (or the bare code, on Zalo), the privacy notice and consent.

use super::flow::{Audience, CommandSpec, Flow, Listed, TypedOptions};
use super::{Conversation, Ctx, Effect, InviteStatus, Needs, Step, split_command};
use crate::core::actions::ConsentAction;
use crate::core::domain::{InviteCode, Role};
use crate::core::event::{InboundEvent, Payload};
use crate::core::text::esc;
use crate::tr;

pub(super) struct Onboarding;

impl Flow for Onboarding {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] =
            &[CommandSpec::new("start", Audience::Everyone, Listed::Guests).in_menu()];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(step, Step::AwaitingConsent { .. })
    }

    fn needs(&self, ev: &InboundEvent, step: &Step, n: &mut Needs) {
        n.invite = invite_to_check(ev, step);
    }

    fn on_command(&self, cx: &mut Ctx, _cmd: &str, arg: &str) {
        match cx.facts.member.clone() {
            // Another unit's invite: asked whether to move there.
            Some(m) if super::officer::offer_move(cx, &m, arg) => {}
            Some(m) => {
                let msg = tr!(cx.i18n, cx.lang, "already-member", unit = esc(&m.unit_name));
                cx.say(msg);
            }
            None if arg.is_empty() => {
                let msg = cx.t("start-without-code");
                cx.say(msg);
            }
            None => start_with_code(cx, arg),
        }
    }

    fn typed_options(&self, step: &Step) -> Option<TypedOptions> {
        match step {
            Step::AwaitingConsent { .. } => Some(&[
                (
                    "consent:yes",
                    &["1", "đồng ý", "dong y", "có", "co", "ok", "yes", "agree"],
                ),
                (
                    "consent:no",
                    &["2", "không", "khong", "không đồng ý", "khong dong y", "no"],
                ),
            ]),
            _ => None,
        }
    }

    fn on_text(&self, cx: &mut Ctx, text: &str) -> bool {
        // On Zalo there are no deep links: a bare code means /start CODE.
        if cx.conv.step == Step::Idle
            && cx.facts.member.is_none()
            && InviteCode::parse(text).is_ok()
        {
            start_with_code(cx, text);
            return true;
        }
        false
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        match (step, data.parse::<ConsentAction>()) {
            (Step::AwaitingConsent { .. }, Ok(ConsentAction::Yes)) => consent_given(cx),
            (Step::AwaitingConsent { .. }, Ok(ConsentAction::No)) => {
                // Keep nothing but the language, if one was chosen.
                cx.conv = Conversation {
                    lang: cx.conv.lang,
                    ..Conversation::default()
                };
                let msg = cx.t("consent-refused");
                cx.say(msg);
            }
            _ => return false,
        }
        true
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        if let Step::AwaitingConsent { .. } = step
            && let Some((_, InviteStatus::Valid { unit_name, role })) = cx.facts.invite.clone()
        {
            ask_consent(cx, &unit_name, role);
        }
    }
}

/// Which invite the processor must look up before the core decides.
pub fn invite_to_check(ev: &InboundEvent, step: &Step) -> Option<InviteCode> {
    if let Step::AwaitingConsent { invite } = step {
        return InviteCode::parse(invite).ok();
    }
    if let Payload::Text { text } = &ev.payload {
        let text = text.trim();
        if let Some((cmd, arg)) = split_command(text) {
            if cmd == "start" {
                return InviteCode::parse(arg).ok();
            }
            return None;
        }
        return InviteCode::parse(text).ok();
    }
    None
}

fn consent_given(cx: &mut Ctx) {
    match cx.facts.invite.clone() {
        Some((code, InviteStatus::Valid { unit_name, role })) => {
            let from = cx.ev.from.clone();
            cx.effects.push(Effect::Join {
                invite: code,
                display_name: from
                    .as_ref()
                    .map(|p| p.display_name.clone())
                    .unwrap_or_default(),
                username: from.and_then(|p| p.username),
                lang: cx.lang,
            });
            cx.conv = Conversation::default();
            let msg = tr!(
                cx.i18n,
                cx.lang,
                "joined",
                unit = esc(&unit_name),
                role = cx.role_name(role)
            );
            cx.say(msg);
        }
        Some((_, InviteStatus::Expired)) => {
            let msg = cx.t("invite-expired");
            cx.say(msg);
        }
        Some((_, InviteStatus::UsedUp)) => {
            let msg = cx.t("invite-used-up");
            cx.say(msg);
        }
        _ => {
            let msg = cx.t("invite-invalid");
            cx.say(msg);
        }
    }
}

fn start_with_code(cx: &mut Ctx, raw: &str) {
    if cx.refuse_if_locked() {
        return;
    }
    let status = match InviteCode::parse(raw) {
        Ok(code) => match &cx.facts.invite {
            Some((looked_up, status)) if *looked_up == code => status.clone(),
            _ => InviteStatus::Unknown,
        },
        Err(_) => InviteStatus::Unknown,
    };
    match status {
        InviteStatus::Valid { unit_name, role } => {
            cx.conv.bad_codes = 0;
            if let Some((code, _)) = &cx.facts.invite {
                cx.conv.step = Step::AwaitingConsent {
                    invite: code.as_str().to_string(),
                };
            }
            ask_consent(cx, &unit_name, role);
        }
        InviteStatus::Expired => {
            let msg = cx.t("invite-expired");
            cx.say(msg);
        }
        InviteStatus::UsedUp => {
            let msg = cx.t("invite-used-up");
            cx.say(msg);
        }
        InviteStatus::Unknown => {
            cx.count_bad_code();
            let msg = cx.t("invite-invalid");
            cx.say(msg);
        }
    }
}

fn ask_consent(cx: &mut Ctx, unit_name: &str, role: Role) {
    let text = tr!(
        cx.i18n,
        cx.lang,
        "welcome-consent",
        unit = esc(unit_name),
        role = cx.role_name(role)
    );
    let options = [
        (ConsentAction::Yes.to_string(), cx.t("consent-yes")),
        (ConsentAction::No.to_string(), cx.t("consent-no")),
    ];
    cx.ask_owned(text, &options);
}
