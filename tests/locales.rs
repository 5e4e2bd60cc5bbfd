//! Every locale file is loaded, and every message key the code names exists in both
//! languages (a missing key would show its id to a user).

use std::path::{Path, PathBuf};

use congdoan_bot::core::domain::Lang;
use congdoan_bot::i18n::I18n;
use regex::Regex;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_locale_file_is_loaded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let i18n_rs = std::fs::read_to_string(root.join("src/i18n.rs")).expect("i18n.rs");
    for lang in ["vi", "en"] {
        for entry in std::fs::read_dir(root.join("locales").join(lang)).expect("locales") {
            let name = entry.expect("entry").file_name();
            let name = name.to_string_lossy();
            let include = format!("include_str!(\"../locales/{lang}/{name}\")");
            assert!(i18n_rs.contains(&include), "{lang}/{name} is not loaded");
        }
    }
}

#[test]
fn every_key_named_in_code_exists_in_both_languages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    rust_files(&root.join("src"), &mut files);
    // `cx.t("key")`, `i18n.s(lang, "key")`, `tr!(i18n, lang, "key", …)`.
    let patterns = [
        Regex::new(r#"\.t\(\s*"([a-z][a-z0-9-]*)""#).expect("re"),
        Regex::new(r#"\.s\(\s*[^,()"]+,\s*"([a-z][a-z0-9-]*)""#).expect("re"),
        Regex::new(r#"tr!\(\s*[^,"]+,\s*[^,"]+,\s*"([a-z][a-z0-9-]*)""#).expect("re"),
    ];
    let i18n = I18n::new();
    let known: Vec<(Lang, Vec<String>)> = [Lang::Vi, Lang::En]
        .into_iter()
        .map(|l| (l, i18n.message_ids(l)))
        .collect();
    let mut checked = 0;
    // i18n.rs itself only passes ids through.
    files.retain(|f| !f.ends_with("src/i18n.rs"));
    for file in files {
        let src = std::fs::read_to_string(&file).expect("source");
        for re in &patterns {
            for c in re.captures_iter(&src) {
                let key = &c[1];
                checked += 1;
                for (lang, ids) in &known {
                    assert!(
                        ids.iter().any(|id| id == key),
                        "{key} ({}) is missing in {}",
                        file.display(),
                        lang.as_str()
                    );
                }
            }
        }
    }
    assert!(checked > 200, "the scan found only {checked} keys");
    // Keys built at run time: each command's description.
    for c in congdoan_bot::core::conversation::flow::all_commands() {
        for (lang, ids) in &known {
            let key = format!("cmd-{}", c.name);
            assert!(ids.contains(&key), "{key} is missing in {}", lang.as_str());
        }
    }
}
