//! Small text helpers shared by the core and the adapters.

use unicode_normalization::UnicodeNormalization;

/// Escape user-supplied text before it enters an HTML message.
pub fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

/// Normalise typed text for matching: NFC, lower case, collapsed spaces, no trailing
/// punctuation, and the old tone placement (xoá/hoà/uỷ) mapped to the new (xóa/hòa/ủy).
pub fn fold(s: &str) -> String {
    let lower: String = s.nfc().collect::<String>().to_lowercase();
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(|c: char| matches!(c, '.' | '!' | '?' | ',' | ';' | ':'));
    trimmed
        .replace("oá", "óa")
        .replace("oà", "òa")
        .replace("oả", "ỏa")
        .replace("oã", "õa")
        .replace("oạ", "ọa")
        .replace("uỷ", "ủy")
        .replace("uý", "úy")
}

/// `part` of `whole` in whole percent, rounded to the nearest (2 of 3 is 67%, not 66%);
/// 0 when there is no whole.
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    let (part, whole) = (i128::from(part), i128::from(whole));
    ((part * 200 + whole) / (whole * 2)) as i64
}

/// At most `max` characters, cut at a word boundary with "…".
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > 0 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

/// Plain-text rendering of our HTML subset, for channels without HTML (Zalo, console).
pub fn html_to_plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    html_escape::decode_html_entities(&out).into_owned()
}

/// Split a message into parts of at most `max` characters, preferring line breaks,
/// then spaces, never inside a character.
pub fn split_message(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut parts = Vec::new();
    let mut rest = text;
    while rest.chars().count() > max {
        let cut_byte = rest
            .char_indices()
            .nth(max)
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let window = &rest[..cut_byte];
        let at = window
            .rfind('\n')
            .filter(|&i| i > 0)
            .or_else(|| window.rfind(' ').filter(|&i| i > 0))
            .unwrap_or(cut_byte);
        parts.push(rest[..at].trim_end().to_string());
        rest = rest[at..].trim_start();
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_string());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_the_nearest() {
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(1, 200), 1);
        assert_eq!(percent(1, 201), 0);
        assert_eq!(percent(3, 3), 100);
        assert_eq!(percent(5, 0), 0);
    }

    #[test]
    fn folds_old_tone_marks_and_case() {
        assert_eq!(fold("  Xoá! "), "xóa");
        assert_eq!(fold("ĐỒNG   Ý"), "đồng ý");
    }

    #[test]
    fn shortens_at_words() {
        assert_eq!(
            shorten("Ngày hội toàn dân năm 2026", 20),
            "Ngày hội toàn dân…"
        );
        assert_eq!(shorten("ngắn", 20), "ngắn");
    }

    #[test]
    fn strips_html() {
        assert_eq!(html_to_plain("<b>A &amp; B</b> &lt;x&gt;"), "A & B <x>");
    }

    #[test]
    fn splits_long_text_cleanly() {
        let text = "một hai ba\n".repeat(500);
        let parts = split_message(&text, 2000);
        assert!(parts.iter().all(|p| p.chars().count() <= 2000));
        assert_eq!(parts.join("\n").split_whitespace().count(), 1500);
        let word = "a".repeat(5000);
        let parts = split_message(&word, 2000);
        assert_eq!(parts.len(), 3);
        assert_eq!(split_message("", 10), vec![String::new()]);
        let viet = "ệ".repeat(4100);
        assert!(
            split_message(&viet, 4096)
                .iter()
                .all(|p| p.chars().count() <= 4096)
        );
    }
}
