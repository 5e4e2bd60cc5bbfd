//! `/ngonngu`: Vietnamese or English, for members and guests alike.

use super::flow::{Audience, CommandSpec, Flow, Listed, TypedOptions};
use super::{Ctx, Effect, Step};
use crate::core::actions::LanguageAction;
use crate::core::domain::Lang;

pub(super) struct Language;

impl Flow for Language {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[CommandSpec::new("ngonngu", Audience::Everyone, Listed::All)
            .aliases(&["language"])
            .in_menu()];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        *step == Step::ChoosingLang
    }

    fn on_command(&self, cx: &mut Ctx, _cmd: &str, _arg: &str) {
        ask_lang(cx);
    }

    fn typed_options(&self, step: &Step) -> Option<TypedOptions> {
        (*step == Step::ChoosingLang).then_some(&[
            (
                "lang:vi",
                &["1", "vi", "tiếng việt", "tieng viet", "vietnamese"],
            ),
            ("lang:en", &["2", "en", "english", "tiếng anh", "tieng anh"]),
        ])
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        let (Step::ChoosingLang, Ok(LanguageAction(lang))) = (step, data.parse()) else {
            return false;
        };
        cx.lang = lang;
        match &cx.facts.member {
            Some(m) => cx.effects.push(Effect::SetLang {
                member_id: m.id,
                lang,
            }),
            None => cx.conv.lang = Some(lang),
        }
        let msg = cx.t("language-set");
        cx.say(msg);
        true
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        if *step == Step::ChoosingLang {
            ask_lang(cx);
        }
    }
}

fn ask_lang(cx: &mut Ctx) {
    cx.conv.step = Step::ChoosingLang;
    let text = cx.t("choose-language");
    // Each language names itself, so a person who can't read the current one finds theirs.
    let options = [
        (
            LanguageAction(Lang::Vi).to_string(),
            String::from("Tiếng Việt"),
        ),
        (
            LanguageAction(Lang::En).to_string(),
            String::from("English"),
        ),
    ];
    cx.ask_owned(text, &options);
}
