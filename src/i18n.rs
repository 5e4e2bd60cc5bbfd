//! Every user-visible string comes from `locales/<lang>/*.ftl` (Fluent).

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::core::domain::Lang;

/// One file per feature, so each area's strings stay together.
const VI: &[&str] = &[
    include_str!("../locales/vi/main.ftl"),
    include_str!("../locales/vi/tips.ftl"),
    include_str!("../locales/vi/broadcast.ftl"),
    include_str!("../locales/vi/reports.ftl"),
    include_str!("../locales/vi/cluster.ftl"),
    include_str!("../locales/vi/zalo.ftl"),
    include_str!("../locales/vi/calendar.ftl"),
    include_str!("../locales/vi/web.ftl"),
    include_str!("../locales/vi/officer.ftl"),
    include_str!("../locales/vi/acknowledgements.ftl"),
    include_str!("../locales/vi/report_requests.ftl"),
    include_str!("../locales/vi/polls.ftl"),
    include_str!("../locales/vi/liaison.ftl"),
    include_str!("../locales/vi/quiz.ftl"),
];
const EN: &[&str] = &[
    include_str!("../locales/en/main.ftl"),
    include_str!("../locales/en/tips.ftl"),
    include_str!("../locales/en/broadcast.ftl"),
    include_str!("../locales/en/reports.ftl"),
    include_str!("../locales/en/cluster.ftl"),
    include_str!("../locales/en/zalo.ftl"),
    include_str!("../locales/en/calendar.ftl"),
    include_str!("../locales/en/web.ftl"),
    include_str!("../locales/en/officer.ftl"),
    include_str!("../locales/en/acknowledgements.ftl"),
    include_str!("../locales/en/report_requests.ftl"),
    include_str!("../locales/en/polls.ftl"),
    include_str!("../locales/en/liaison.ftl"),
    include_str!("../locales/en/quiz.ftl"),
];

pub struct I18n {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

impl I18n {
    pub fn new() -> Self {
        let mut bundles = HashMap::new();
        for (lang, src) in [(Lang::Vi, VI), (Lang::En, EN)] {
            let id: LanguageIdentifier = lang.as_str().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Isolation marks (U+2068/U+2069) show as boxes on many phones.
            bundle.set_use_isolating(false);
            for file in src {
                // The resources are compiled in and checked by tests: a syntax error is a
                // programming error, so keep what parsed rather than failing at run time.
                let res = FluentResource::try_new(file.to_string()).unwrap_or_else(|(res, _)| res);
                let _ = bundle.add_resource(res);
            }
            bundles.insert(lang.as_str(), bundle);
        }
        I18n { bundles }
    }

    /// The message `id` in `lang`, with arguments. A missing message falls back to
    /// Vietnamese, then to the id itself (and a test keeps the two files in step).
    pub fn t(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            match v {
                Arg::Str(s) => fargs.set(*k, FluentValue::from(s.as_str())),
                Arg::Num(n) => fargs.set(*k, FluentValue::from(*n)),
            }
        }
        for l in [lang.as_str(), Lang::Vi.as_str()] {
            let Some(bundle) = self.bundles.get(l) else {
                continue;
            };
            let Some(msg) = bundle.get_message(id) else {
                continue;
            };
            let Some(pattern) = msg.value() else {
                continue;
            };
            let mut errors = vec![];
            let out = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(id, ?errors, "fluent formatting errors");
            }
            return out.into_owned();
        }
        tracing::warn!(id, "missing message");
        id.to_string()
    }

    /// Shorthand for messages without arguments.
    pub fn s(&self, lang: Lang, id: &str) -> String {
        self.t(lang, id, &[])
    }

    pub fn message_ids(&self, lang: Lang) -> Vec<String> {
        let src = match lang {
            Lang::Vi => VI,
            Lang::En => EN,
        };
        let mut ids = vec![];
        for file in src {
            let res = FluentResource::try_new(file.to_string()).unwrap_or_else(|(res, _)| res);
            ids.extend(res.entries().filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            }));
        }
        ids
    }
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Str(s.clone())
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}

/// `tr!(i18n, lang, "id")` or `tr!(i18n, lang, "id", name = value, …)`.
#[macro_export]
macro_rules! tr {
    ($i18n:expr, $lang:expr, $id:expr) => {
        $i18n.s($lang, $id)
    };
    ($i18n:expr, $lang:expr, $id:expr, $($k:ident = $v:expr),+ $(,)?) => {
        $i18n.t($lang, $id, &[$((stringify!($k), $crate::i18n::Arg::from($v))),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_messages_and_parse_cleanly() {
        for file in VI.iter().chain(EN) {
            assert!(FluentResource::try_new(file.to_string()).is_ok());
        }
        let i18n = I18n::new();
        let mut vi = i18n.message_ids(Lang::Vi);
        let mut en = i18n.message_ids(Lang::En);
        vi.sort();
        en.sort();
        let unique = vi.len();
        vi.dedup();
        assert_eq!(unique, vi.len(), "a message id is defined twice");
        assert_eq!(vi, en);
        assert!(vi.len() > 20);
    }

    #[test]
    fn no_isolation_marks() {
        let i18n = I18n::new();
        let s = tr!(i18n, Lang::Vi, "joined", unit = "Tổ 1", role = "x");
        assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'));
        assert!(s.contains("Tổ 1"));
    }
}
