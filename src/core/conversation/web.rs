//! `/web`: an officer asks for a one-time link to the web console; `/web thoat` ends
//! every console session they have. The link itself (a random token) is made by the
//! processor when it applies [`WebEffect::Login`], so the core stays I/O-free.

use super::flow::{Audience, CommandSpec, Flow, Listed};
use super::{Ctx, Effect};
use crate::core::text::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebEffect {
    /// Create a one-time login link and send it to the officer.
    Login,
    /// End all of the officer's console sessions.
    Logout,
}

/// Words after `/web` that end the sessions.
const LOGOUT_WORDS: &[&str] = &["thoat", "thoát", "dang xuat", "đăng xuất", "logout"];

pub(super) struct Web;

impl Flow for Web {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[CommandSpec::new(
            "web",
            Audience::Officers,
            Listed::Officers,
        )];
        C
    }

    fn on_command(&self, cx: &mut Ctx, _cmd: &str, arg: &str) {
        let arg = fold(arg);
        if arg.is_empty() {
            cx.effects.push(Effect::Web(WebEffect::Login));
        } else if LOGOUT_WORDS.contains(&arg.as_str()) {
            cx.effects.push(Effect::Web(WebEffect::Logout));
            let msg = cx.t("web-logged-out");
            cx.say(msg);
        } else {
            let msg = cx.t("web-usage");
            cx.say(msg);
        }
    }
}
