//! Reading real documents: a parser for Vietnamese official documents (directives,
//! plans, letters) that union officers receive and must pass down.
//!
//! The text is normalised first (NFC, one tone-mark placement, whitespace, dashes,
//! soft line breaks joined into paragraphs), then the header (issuer, number, place,
//! date, subject), the "Kính gửi" list, cited documents, numbered action items, event
//! dates and the reporting instruction are picked out. Nothing here panics on any input.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{Cursor, Read};
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// Largest input accepted by [`parse`] and [`parse_bytes`] (checked before any work).
pub const MAX_INPUT_BYTES: usize = 1_000_000;

/// Largest decompressed `word/document.xml` read from a .docx (zip-bomb guard).
const MAX_DOCX_XML_BYTES: u64 = 32 * MAX_INPUT_BYTES as u64;

/// A cited (or the document's own) document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocRef {
    /// "Chỉ thị", "Kế hoạch", "Nghị quyết", … with normalised capitalisation.
    pub kind: String,
    /// Canonical number, e.g. "48-CT/TW", "01/CT-TTg", "92/KH-BCĐ 138/CP".
    pub number: String,
    pub date: Option<NaiveDate>,
    /// "Bộ Chính trị" from "… của Bộ Chính trị" right after the number/date.
    pub issuer: Option<String>,
}

/// A campaign/event date given as day/month, e.g. "Ngày hội … (ngày 19/8)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDate {
    pub label: String,
    pub day: u32,
    pub month: u32,
    pub year: Option<i32>,
}

/// The facts read from one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directive {
    /// The document's own number/type when stated ("Số: 175/CĐN-TGNC").
    pub own: Option<DocRef>,
    /// The real issuer from the header (lower line of a two-line header).
    pub issuer: Option<String>,
    /// "Cao Bằng" from "Cao Bằng, ngày 15 tháng 3 năm 2016".
    pub place: Option<String>,
    pub date: Option<NaiveDate>,
    /// The "V/v …" or "Về việc …" line.
    pub subject: Option<String>,
    /// The "Kính gửi:" list, without list marks and trailing ";" ".".
    pub addressees: Vec<String>,
    /// Every cited document, in order of first mention, without duplicates.
    pub citations: Vec<DocRef>,
    /// Numbered action items (text without the number, whitespace-collapsed).
    pub actions: Vec<String>,
    pub events: Vec<EventDate>,
    /// The sentence saying to whom results are reported.
    pub reporting: Option<String>,
}

/// Headings for [`Directive::summary`], supplied by the caller from locale files.
pub struct SummaryLabels<'a> {
    pub actions: &'a str,
    pub dates: &'a str,
    pub report: &'a str,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    TooLarge { bytes: usize },
    NotText,
    NotADirective,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty => write!(f, "the document is empty"),
            ParseError::TooLarge { bytes } => write!(
                f,
                "the document is too large ({bytes} bytes, at most {MAX_INPUT_BYTES})"
            ),
            ParseError::NotText => write!(f, "the file is neither text nor a .docx document"),
            ParseError::NotADirective => {
                write!(f, "the text does not look like an official document")
            }
        }
    }
}

impl std::error::Error for ParseError {}

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

/// Parses a document given as bytes: a .docx (zip with `word/document.xml`) or
/// UTF-8 text (a BOM is stripped; UTF-16 with a BOM is accepted too).
pub fn parse_bytes(bytes: &[u8]) -> Result<Directive, ParseError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge { bytes: bytes.len() });
    }
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let text = docx_to_text(bytes)?;
        return parse(&text);
    }
    let text = decode_text(bytes)?;
    parse(&text)
}

/// Parses a document given as text.
pub fn parse(text: &str) -> Result<Directive, ParseError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge { bytes: text.len() });
    }
    if looks_binary(text) {
        return Err(ParseError::NotText);
    }
    let norm = normalize(text);
    if norm.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let paras = paragraphs(&norm);
    let d = extract(&paras);
    if d.citations.is_empty()
        && d.actions.is_empty()
        && d.own.is_none()
        && !paras.iter().any(|p| is_kinh_gui(p))
    {
        return Err(ParseError::NotADirective);
    }
    Ok(d)
}

/// Extracts the text of a .docx: one line per paragraph.
pub fn docx_to_text(bytes: &[u8]) -> Result<String, ParseError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge { bytes: bytes.len() });
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ParseError::NotText)?;
    let mut xml = Vec::new();
    {
        let file = archive
            .by_name("word/document.xml")
            .map_err(|_| ParseError::NotText)?;
        file.take(MAX_DOCX_XML_BYTES + 1)
            .read_to_end(&mut xml)
            .map_err(|_| ParseError::NotText)?;
    }
    if xml.len() as u64 > MAX_DOCX_XML_BYTES {
        return Err(ParseError::TooLarge { bytes: xml.len() });
    }
    let xml = String::from_utf8_lossy(&xml);
    let text = docx_xml_text(&xml);
    if text.len() > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge { bytes: text.len() });
    }
    Ok(text)
}

fn docx_xml_text(xml: &str) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if e.local_name().as_ref() == "t" {
                    in_text = true;
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" | "cr" | "p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => out.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) if in_text => {
                out.push_str(t.as_ref());
            }
            Ok(Event::GeneralRef(r)) if in_text => match r.resolve_char_ref() {
                Ok(Some(c)) => out.push(c),
                _ => match &*r {
                    "amp" => out.push('&'),
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "quot" => out.push('"'),
                    "apos" => out.push('\''),
                    _ => {}
                },
            },
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

pub fn decode_text(bytes: &[u8]) -> Result<String, ParseError> {
    let utf16 = |b: &[u8], le: bool| -> Result<String, ParseError> {
        if !b.len().is_multiple_of(2) {
            return Err(ParseError::NotText);
        }
        let units = b.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| ParseError::NotText)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(str::to_owned)
            .map_err(|_| ParseError::NotText);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| ParseError::NotText)
}

/// NUL bytes or many control characters: not a text document.
pub fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return true;
        }
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}' | '\u{0B}'))
            || c == '\u{FFFD}'
        {
            bad += 1;
        }
    }
    bad > 0 && bad * 50 > total
}

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

const TONED_A: [char; 5] = ['à', 'á', 'ả', 'ã', 'ạ'];
const TONED_E: [char; 5] = ['è', 'é', 'ẻ', 'ẽ', 'ẹ'];
const TONED_Y: [char; 5] = ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'];
const TONED_O: [char; 5] = ['ò', 'ó', 'ỏ', 'õ', 'ọ'];
const TONED_U: [char; 5] = ['ù', 'ú', 'ủ', 'ũ', 'ụ'];
const TONED_A_UP: [char; 5] = ['À', 'Á', 'Ả', 'Ã', 'Ạ'];
const TONED_E_UP: [char; 5] = ['È', 'É', 'Ẻ', 'Ẽ', 'Ẹ'];
const TONED_Y_UP: [char; 5] = ['Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ'];
const TONED_O_UP: [char; 5] = ['Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ'];
const TONED_U_UP: [char; 5] = ['Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ'];

/// (base letter lower-case, tone index) of a toned a/e/y.
fn toned_second(c: char) -> Option<(char, usize)> {
    if c.is_ascii() {
        return None;
    }
    for (base, lo, up) in [
        ('a', TONED_A, TONED_A_UP),
        ('e', TONED_E, TONED_E_UP),
        ('y', TONED_Y, TONED_Y_UP),
    ] {
        if let Some(i) = lo.iter().position(|&x| x == c) {
            return Some((base, i));
        }
        if let Some(i) = up.iter().position(|&x| x == c) {
            return Some((base, i));
        }
    }
    None
}

/// For an open "oa", "oe", "uy" whose second vowel carries the tone, the pair with the
/// tone moved onto the first vowel ("oà" -> "òa", "uỷ" -> "ủy"); `before` is the letter
/// before the pair ("quý" keeps its tone on the "y").
fn retone(before: Option<char>, first: char, second: char) -> Option<(char, char)> {
    let (base, tone) = toned_second(second)?;
    let ok = match (first, base) {
        ('o' | 'O', 'a' | 'e') => true,
        ('u' | 'U', 'y') => !matches!(before, Some('q' | 'Q')),
        _ => false,
    };
    if !ok {
        return None;
    }
    let plain = match (base, second.is_uppercase()) {
        ('a', false) => 'a',
        ('a', true) => 'A',
        ('e', false) => 'e',
        ('e', true) => 'E',
        ('y', false) => 'y',
        _ => 'Y',
    };
    let new_first = match first {
        'o' => TONED_O[tone],
        'O' => TONED_O_UP[tone],
        'u' => TONED_U[tone],
        _ => TONED_U_UP[tone],
    };
    Some((new_first, plain))
}

/// NFC, one tone placement, spaces/dashes unified, each line trimmed and collapsed.
fn normalize(text: &str) -> String {
    let src: Box<dyn Iterator<Item = char> + '_> =
        if unicode_normalization::is_nfc_quick(text.chars()) == IsNormalized::Yes {
            Box::new(text.chars())
        } else {
            Box::new(text.nfc())
        };
    let mut prev_cr = false;
    let mut chars = src
        .filter_map(move |c| {
            let after_cr = std::mem::replace(&mut prev_cr, c == '\r');
            match c {
                '\n' if after_cr => None,
                '\r' | '\n' | '\u{2028}' | '\u{2029}' | '\u{0085}' => Some('\n'),
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}' | '\u{2060}' => None,
                // Bidi controls pasted from web pages and PDFs carry no meaning here.
                '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' => None,
                '\u{2066}'..='\u{2069}' => None,
                // "１２/2012" (full-width) or Arabic-Indic digits mean 12/2012.
                c if !c.is_ascii() && ascii_digit(c).is_some() => ascii_digit(c),
                '\u{2010}'..='\u{2015}' | '\u{2212}' => Some('-'),
                c if c.is_whitespace() || c.is_control() => Some(' '),
                c => Some(c),
            }
        })
        .peekable();
    let mut out = String::with_capacity(text.len() + 16);
    let mut line_start = true;
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                out.push('\n');
                line_start = true;
                pending_space = false;
            }
            ' ' => pending_space = !line_start,
            // A mark piled on a digit ("1\u{301}2") is noise, not a tone mark.
            c if is_combining_mark(c) && out.ends_with(|p: char| p.is_ascii_digit()) => {}
            c => {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                line_start = false;
                let mut c = c;
                if !c.is_ascii() && !chars.peek().is_some_and(|n| n.is_alphabetic()) {
                    let mut back = out.chars().rev();
                    if let Some(first) = back.next()
                        && let Some((new_first, plain)) = retone(back.next(), first, c)
                    {
                        out.pop();
                        out.push(new_first);
                        c = plain;
                    }
                }
                out.push(c);
            }
        }
    }
    out.push('\n');
    out
}

/// The first code point of each run of ten decimal digits (Unicode category Nd).
/// Unicode guarantees every Nd digit stands in such a run, from 0 to 9 (this list is the
/// regex crate's `\d`, Unicode 16; a test checks they agree).
const DIGIT_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50,
    0x11DA0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE, 0x1D7D8,
    0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// The ASCII digit a decimal digit of any script stands for.
pub fn ascii_digit(c: char) -> Option<char> {
    let cp = c as u32;
    let i = DIGIT_ZEROS.partition_point(|z| *z <= cp).checked_sub(1)?;
    let v = cp - DIGIT_ZEROS[i];
    (v < 10).then(|| char::from(b'0' + v as u8))
}

/// The last `n` bytes of `s` or a little less (on a char boundary).
fn tail(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// The first `n` bytes of `s` or a little less (on a char boundary).
fn head(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------
// Paragraphs
// ---------------------------------------------------------------------------

static RE_NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2}(?:\s*[.)]\s*|\s*/\s+)[^\d\s]").expect("valid regex"));

/// "1. Text" -> (1, "Text"); "1.1 …" and "19/8 …" are not numbered items.
fn numbered(p: &str) -> Option<(u32, &str)> {
    let m = RE_NUMBERED.find(p)?;
    let last = p[..m.end()].chars().next_back()?;
    let text = &p[m.end() - last.len_utf8()..];
    let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
    Some((digits.parse().ok()?, text))
}
static RE_SUBITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-+•*·●○■□▪✓]|[a-zđ]\s*[).]\s|\d{1,2}\.\d)").expect("valid regex")
});
static RE_ROMAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[IVX]{1,5}\s*[.)/]\s").expect("valid regex"));
static RE_KINH_GUI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:kính\s+gửi)\s*:?\s*(.*)$").expect("valid regex"));
static RE_NOI_NHAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:nơi\s+nhận)\b").expect("valid regex"));
static RE_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:v\s*/\s*v|về\s+việc)\b").expect("valid regex"));
static RE_SO_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:số)\s*[:.]?\s*(\d.*)$").expect("valid regex"));

fn is_kinh_gui(p: &str) -> bool {
    RE_KINH_GUI.is_match(p)
}

fn is_upperish(s: &str) -> bool {
    let mut letters = 0usize;
    let mut upper = 0usize;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if c.is_uppercase() {
            upper += 1;
        }
    }
    letters >= 3 && upper * 10 >= letters * 8
}

fn starts_block(line: &str) -> bool {
    RE_SUBITEM.is_match(line)
        || RE_NUMBERED.is_match(line)
        || RE_ROMAN.is_match(line)
        || RE_KINH_GUI.is_match(line)
        || RE_NOI_NHAN.is_match(line)
        || RE_SUBJECT.is_match(line)
        || RE_SO_LINE.is_match(line)
        || RE_PLACE_DATE.is_match(line)
}

const CONTINUATION_WORDS: &[&str] = &[
    "số", "ngày", "tháng", "năm", "của", "và", "về", "theo", "tại", "với", "cho", "trong", "các",
    "những", "là", "hành", "thị", "hoạch", "quyết", "luận", "định", "tư", "văn",
];

/// Whether `next` continues the paragraph `prev` (a hard line wrap).
fn continues(prev: &str, next: &str) -> bool {
    if prev.ends_with(['.', ';', ':', '!', '?']) {
        return false;
    }
    if is_upperish(prev) || is_upperish(next) || starts_block(next) {
        return false;
    }
    let Some(first) = next.chars().next() else {
        return false;
    };
    if first.is_lowercase() || first.is_ascii_digit() || matches!(first, ',' | ')' | '/') {
        return true;
    }
    if prev.ends_with([',', '-', '/', '(']) {
        return true;
    }
    let last_word = prev.rsplit(' ').next().unwrap_or("");
    if CONTINUATION_WORDS.contains(&last_word.to_lowercase().as_str()) {
        return true;
    }
    // A proper name broken across lines inside a long sentence ("của Bộ\nChính trị").
    prev.split(' ').count() >= 8 && starts_upper(last_word) && first.is_uppercase()
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// Logical paragraphs: blank lines separate, soft-wrapped lines are joined.
fn paragraphs(norm: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur: Option<String> = None;
    // The previous line alone (not the whole paragraph): keeps joining linear.
    let mut last_line = "";
    for line in norm.lines() {
        let line = line.trim();
        if line.is_empty() {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            continue;
        }
        match cur.as_mut() {
            Some(c) if continues(last_line, line) => {
                if !(c.ends_with('/') || (c.ends_with('-') && !c.ends_with(" -"))) {
                    c.push(' ');
                }
                c.push_str(line);
            }
            _ => {
                if let Some(c) = cur.take() {
                    out.push(c);
                }
                cur = Some(line.to_owned());
            }
        }
        last_line = line;
    }
    if let Some(c) = cur.take() {
        out.push(c);
    }
    out
}

/// Abbreviations that end with a dot inside a sentence ("TP. Hồ Chí Minh", "P. Tân
/// Thuận", "ThS. Lan"): no sentence ends there.
const ABBREVIATIONS: &[&str] = &[
    "TP", "Tp", "tp", "TX", "Tx", "TT", "Q", "P", "X", "H", "TS", "ThS", "Ths", "GS", "PGS", "BS",
    "KS", "Đ/c", "đ/c", "St", "v.v",
];

/// Whether `before` (text up to a dot) ends with one of [`ABBREVIATIONS`].
fn ends_with_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    ABBREVIATIONS.contains(&word)
}

/// Splits a paragraph into sentences at ". ", "! ", "? " followed by a capital.
fn sentences(p: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (i, c) in p.char_indices() {
        if c == '.' && ends_with_abbreviation(&p[..i]) {
            continue;
        }
        if matches!(c, '.' | '!' | '?') {
            let rest = &p[i + c.len_utf8()..];
            let mut r = rest.chars();
            if r.next() == Some(' ')
                && r.next()
                    .is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '“' | '('))
            {
                let end = i + c.len_utf8();
                let s = p[start..end].trim();
                if !s.is_empty() {
                    out.push(s);
                }
                start = end;
            }
        }
    }
    let s = p[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

static RE_DATE_NUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*([/.\-])\s*(\d{4})").expect("valid regex")
});
static RE_DATE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{1,2})\s*(?i:tháng)\s*(\d{1,2})\s*,?\s*(?i:năm)\s*(\d{4})")
        .expect("valid regex")
});
static RE_NGAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)ngày\s*").expect("valid regex"));

fn make_date(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A date at the start of `s` (after spaces): "22/10/2010", "12-6-2021", "1.1.2026",
/// "24 tháng 9 năm 2021". Returns the date and the byte length consumed.
fn date_at(s: &str) -> Option<(NaiveDate, usize)> {
    let not_digit_after = |end: usize| !s[end..].starts_with(|c: char| c.is_ascii_digit());
    if let Some(c) = RE_DATE_NUM.captures(s) {
        let end = c.get(0)?.end();
        if c.get(2)?.as_str() == c.get(4)?.as_str() && not_digit_after(end) {
            let d = make_date(c.get(5)?.as_str(), c.get(3)?.as_str(), c.get(1)?.as_str())?;
            return Some((d, end));
        }
        return None;
    }
    if let Some(c) = RE_DATE_TEXT.captures(s) {
        let end = c.get(0)?.end();
        if not_digit_after(end) {
            let d = make_date(c.get(3)?.as_str(), c.get(2)?.as_str(), c.get(1)?.as_str())?;
            return Some((d, end));
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------

static RE_PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(\p{Lu}\p{L}*\.?(?:\s+\p{Lu}\p{L}*\.?){0,6})\s*,\s*(?i:ngày)")
        .expect("valid regex")
});
static RE_MOTTO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam|độc\s+lập\s*-\s*tự\s+do\s*-\s*hạnh\s+phúc|đảng\s+cộng\s+sản\s+việt\s+nam",
    )
    .expect("valid regex")
});

/// (place, date) from "Cao Bằng, ngày 15 tháng 3 năm 2016".
fn place_date(p: &str) -> Option<(String, Option<NaiveDate>)> {
    let c = RE_PLACE_DATE.captures(p)?;
    let raw = c.get(1)?.as_str();
    let words: Vec<&str> = raw.split_whitespace().collect();
    // Drop upper-case words of a merged header column ("VIỆT NAM Hà Nội").
    let first_mixed = words
        .iter()
        .position(|w| w.ends_with('.') || !is_upperish(w) || w.chars().count() < 2);
    let place = match first_mixed {
        Some(i) => words[i..].join(" "),
        None => words.join(" "),
    };
    let rest = &p[c.get(0)?.end()..];
    let date = date_at(rest).map(|(d, _)| d);
    Some((place, date))
}

/// Issuer candidate line in the header: upper-case, not the motto, a number, a title.
fn header_issuer_line(p: &str) -> Option<String> {
    let stripped = RE_MOTTO.replace_all(p, " ");
    let s = collapse_ws(stripped.trim_matches(|c: char| c.is_whitespace() || c == '*'));
    if s.is_empty()
        || !is_upperish(&s)
        || s.chars().count() > 120
        || RE_SO_LINE.is_match(&s)
        || RE_SUBJECT.is_match(&s)
        || is_kinh_gui(&s)
        || kind_title(&s).is_some()
        || RE_PLACE_DATE.is_match(&s)
    {
        return None;
    }
    Some(s)
}

fn is_separator(p: &str) -> bool {
    let s = RE_MOTTO.replace_all(p, "");
    s.chars().all(|c| !c.is_alphanumeric())
}

/// "KẾ HOẠCH" alone on a line: the document's kind.
fn kind_title(p: &str) -> Option<&'static str> {
    let key = collapse_ws(p.trim_matches(|c: char| !c.is_alphabetic())).to_lowercase();
    KINDS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

// ---------------------------------------------------------------------------
// Citations
// ---------------------------------------------------------------------------

const KINDS: &[(&str, &str)] = &[
    ("chỉ thị", "Chỉ thị"),
    ("kế hoạch", "Kế hoạch"),
    ("nghị quyết", "Nghị quyết"),
    ("kết luận", "Kết luận"),
    ("quyết định", "Quyết định"),
    ("thông tư liên tịch", "Thông tư liên tịch"),
    ("thông tư", "Thông tư"),
    ("công văn", "Công văn"),
    ("công điện", "Công điện"),
    ("nghị định", "Nghị định"),
    ("luật", "Luật"),
    ("pháp lệnh", "Pháp lệnh"),
    ("hướng dẫn", "Hướng dẫn"),
    ("thông báo", "Thông báo"),
    ("chương trình", "Chương trình"),
    ("quy định", "Quy định"),
    ("quy chế", "Quy chế"),
    ("thông tri", "Thông tri"),
];

/// Type codes inside a number ("KH" in "414/KH-UBND") and the kind they stand for.
const CODES: &[(&str, &str)] = &[
    ("CT", "Chỉ thị"),
    ("KH", "Kế hoạch"),
    ("NQ", "Nghị quyết"),
    ("KL", "Kết luận"),
    ("QĐ", "Quyết định"),
    ("TTLT", "Thông tư liên tịch"),
    ("TT", "Thông tư"),
    ("NĐ", "Nghị định"),
    ("HD", "Hướng dẫn"),
    ("TB", "Thông báo"),
    ("CTR", "Chương trình"),
    ("CĐ", "Công điện"),
    ("QC", "Quy chế"),
    ("QYĐ", "Quy định"),
    ("BC", "Báo cáo"),
    ("TTR", "Tờ trình"),
    ("CV", "Công văn"),
];

const KIND_PATTERN: &str = r"chỉ\s+thị|kế\s+hoạch|nghị\s+quyết|kết\s+luận|quyết\s+định|thông\s+tư\s+liên\s+tịch|thông\s+tư|công\s+văn|công\s+điện|nghị\s+định|luật|pháp\s+lệnh|hướng\s+dẫn|thông\s+báo|chương\s+trình|quy\s+định|quy\s+chế|thông\s+tri";
const SEG: &str = r"\p{Lu}[\p{Lu}\d]*[gr]?\b";

// No `\b` in regexes that scan whole paragraphs: a Unicode word boundary keeps the
// regex crate off its fast DFA for Vietnamese text. Boundaries are checked by hand.
static RE_KIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?:{KIND_PATTERN})\s*(?:số\s*[:.]?\s*)?")).expect("valid regex")
});
static RE_LAW_NAME: LazyLock<Regex> = LazyLock::new(|| {
    // Ends at the number's first digit ("Pháp lệnh Dân số số 06/2003/…" has "số" twice).
    Regex::new(r"^\p{Lu}\p{Ll}*(?:\s+\p{L}+){0,7}?\s+(?i:số)\s*[:.]?\s*\d").expect("valid regex")
});
static RE_KIND_PARTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^({KIND_PATTERN})\s*(số)?")).expect("valid regex"));

/// Whether `s[at..]` does not start with a letter or digit (a word ends before `at`).
fn word_end(s: &str, at: usize) -> bool {
    s.get(at..)
        .and_then(|r| r.chars().next())
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether no letter or digit stands right before `s[at..]`.
fn word_start(s: &str, at: usize) -> bool {
    s.get(..at)
        .and_then(|r| r.chars().next_back())
        .is_none_or(|c| !c.is_alphanumeric())
}

/// "ngày" as a word, with the spaces after it.
fn ngay_matches(s: &str) -> impl Iterator<Item = regex::Match<'_>> {
    RE_NGAY
        .find_iter(s)
        .filter(move |m| word_start(s, m.start()))
}
static RE_NUM_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\d{{1,5}})\s*-\s*{SEG}\s*/\s*{SEG}(?:\s*-\s*{SEG})*"
    ))
    .expect("valid regex")
});
static RE_NUM_STATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\d{{1,5}})\s*/\s*(?:\d{{4}}\s*/\s*)?{SEG}(?:\s*-\s*{SEG})*(\s+\d{{1,4}}\s*/\s*{SEG})?"
    ))
    .expect("valid regex")
});
static RE_NUM_SHORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,5})").expect("valid regex"));
static RE_AFTER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*,?\s*(?:(?i:ban\s+hành|ký)\s+)?(?i:ngày)\s*").expect("valid regex")
});
static RE_AFTER_ISSUER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*,?\s*(?i:của)\s*").expect("valid regex"));
static RE_ISSUING_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*?)\s*(?:(?i:đã)\s+)?(?i:ký\s+ban\s+hành|ban\s+hành|ký|có|ra)\s*$")
        .expect("valid regex")
});

fn canon_kind(matched: &str) -> &'static str {
    let key = collapse_ws(matched).to_lowercase();
    KINDS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or("Công văn")
}

/// Removes spaces, upper-cases codes, restores "TTg" and "CTr".
fn canon_number(main: &str, cont: Option<&str>) -> String {
    let mut raw: String = main.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(c) = cont {
        raw.push(' ');
        raw.extend(c.chars().filter(|c| !c.is_whitespace()));
    }
    let mut out = String::with_capacity(raw.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        let up = token.to_uppercase();
        out.push_str(match up.as_str() {
            "TTG" => "TTg",
            "CTR" => "CTr",
            _ => &up,
        });
        token.clear();
    };
    for c in raw.chars() {
        if c.is_alphanumeric() {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// The kind a number's type code stands for ("414/KH-UBND" -> Kế hoạch).
fn kind_from_number(number: &str) -> &'static str {
    let code = if let Some((_, rest)) = number.split_once('-').filter(|(a, _)| {
        a.chars().all(|c| c.is_ascii_digit()) // Party style "185-KH/TU"
    }) {
        rest.split('/').next().unwrap_or("")
    } else {
        // State style "414/KH-UBND", "124/2021/TT-BCA"
        number
            .split('/')
            .skip(1)
            .find(|s| !s.chars().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.split('-').next())
            .unwrap_or("")
    };
    let code = code.to_uppercase();
    if code.starts_with("QH") {
        return "Luật";
    }
    CODES
        .iter()
        .find(|(k, _)| *k == code)
        .map(|(_, v)| *v)
        .unwrap_or("Công văn")
}

/// Issuer at the start of `s` ("Bộ Chính trị (khoá X) về …" -> "Bộ Chính trị").
fn issuer_at(s: &str) -> Option<String> {
    let s = head(s.trim_start(), 240);
    if !starts_upper(s) {
        return None;
    }
    let end = s
        .find([',', ';', ':', '(', ')', '"', '“', '”', '.', '[', '\n'])
        .unwrap_or(s.len());
    let words: Vec<&str> = s[..end].split_whitespace().collect();
    const STOP: &[&str] = &[
        "về", "ngày", "năm", "và", "trong", "gắn", "đối", "nhằm", "tại", "đã", "hướng", "quy",
        "triển", "thực", "có", "là", "với", "theo", "để", "sau", "từ", "khi", "-", "số", "đến",
        "cho", "nay", "thì", "này", "yêu", "vừa", "mới",
    ];
    let mut kept = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            if STOP.contains(w) {
                break;
            }
            if *w == "ban" && words.get(i + 1) == Some(&"hành") {
                break;
            }
        }
        if kept.len() >= 12 {
            break;
        }
        kept.push(*w);
    }
    let out = kept.join(" ");
    (!out.is_empty()).then_some(out)
}

#[derive(Default)]
struct Citations {
    list: Vec<DocRef>,
    by_number: HashMap<(&'static str, String), usize>,
    by_digits: HashMap<(&'static str, String), usize>,
}

fn leading_digits(number: &str) -> String {
    let d: String = number.chars().take_while(char::is_ascii_digit).collect();
    let t = d.trim_start_matches('0');
    if t.is_empty() && !d.is_empty() {
        "0".to_owned()
    } else {
        t.to_owned()
    }
}

impl Citations {
    fn add(
        &mut self,
        kind: &'static str,
        number: String,
        short: bool,
        date: Option<NaiveDate>,
        issuer: Option<String>,
    ) {
        let digits = leading_digits(&number);
        let existing = if short {
            self.by_digits.get(&(kind, digits.clone())).copied()
        } else {
            self.by_number
                .get(&(kind, number.clone()))
                .copied()
                .or_else(|| {
                    // An earlier short form "Chỉ thị số 27" is upgraded by the full number.
                    self.by_digits
                        .get(&(kind, digits.clone()))
                        .copied()
                        .filter(|&i| {
                            self.list
                                .get(i)
                                .is_some_and(|c| c.number.chars().all(|c| c.is_ascii_digit()))
                        })
                })
        };
        match existing.and_then(|i| self.list.get_mut(i).map(|c| (i, c))) {
            Some((i, c)) => {
                if !short && c.number.chars().all(|ch| ch.is_ascii_digit()) {
                    c.number = number.clone();
                    self.by_number.insert((kind, number), i);
                }
                if c.date.is_none() {
                    c.date = date;
                }
                if c.issuer.is_none() {
                    c.issuer = issuer;
                }
            }
            None => {
                let i = self.list.len();
                if !short {
                    self.by_number.insert((kind, number.clone()), i);
                }
                self.by_digits.entry((kind, digits)).or_insert(i);
                self.list.push(DocRef {
                    kind: kind.to_owned(),
                    number,
                    date,
                    issuer,
                });
            }
        }
    }

    fn scan(&mut self, p: &str) {
        // End of the previous citation (with its date and issuer) in this paragraph.
        let mut prev_end = 0usize;
        for all in RE_KIND.find_iter(p) {
            let Some(parts) = RE_KIND_PARTS.captures(all.as_str()) else {
                continue;
            };
            let Some(kind_m) = parts.get(1) else { continue };
            if !word_start(p, all.start()) || !word_end(p, all.start() + kind_m.end()) {
                continue;
            }
            let mut has_so = parts.get(2).is_some();
            let mut rest = &p[all.end()..];
            let kind = canon_kind(kind_m.as_str());
            // "Luật Công đoàn số 12/2012/QH13": a law's name stands before its number.
            if !has_so
                && matches!(kind, "Luật" | "Pháp lệnh")
                && let Some(m) = RE_LAW_NAME.find(rest)
            {
                // Keep the digit the match ended on (whatever its width in bytes).
                let digit_at = rest[..m.end()]
                    .char_indices()
                    .next_back()
                    .map_or(m.end(), |(i, _)| i);
                rest = &rest[digit_at..];
                has_so = true;
            }
            let (number, short, used) = if let Some(c) = RE_NUM_PARTY.captures(rest) {
                let Some(whole) = c.get(0) else { continue };
                (canon_number(whole.as_str(), None), false, whole.end())
            } else if let Some(c) = RE_NUM_STATE.captures(rest) {
                let Some(whole) = c.get(0) else { continue };
                let cont = c.get(2);
                let main_end = cont.map_or(whole.end(), |x| x.start());
                (
                    canon_number(&rest[..main_end], cont.map(|x| x.as_str())),
                    false,
                    whole.end(),
                )
            } else if let Some(c) = RE_NUM_SHORT.captures(rest) {
                let Some(whole) = c.get(0) else { continue };
                let after = &rest[whole.end()..];
                let bad_next = after
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_alphanumeric() || matches!(ch, '/' | '-' | '.'))
                    && !after.starts_with(". ")
                    && after != ".";
                if !has_so || !starts_upper(kind_m.as_str()) || bad_next {
                    continue;
                }
                (whole.as_str().to_owned(), true, whole.end())
            } else {
                continue;
            };
            let mut tail = &rest[used..];
            let mut date = None;
            if let Some(dm) = RE_AFTER_DATE.find(tail)
                && let Some((d, n)) = date_at(&tail[dm.end()..])
            {
                date = Some(d);
                tail = &tail[dm.end() + n..];
            }
            let mut issuer = RE_AFTER_ISSUER
                .find(tail)
                .and_then(|im| issuer_at(&tail[im.end()..]));
            let tail_start = p.len() - tail.len();
            if date.is_none()
                && prev_end <= all.start()
                && let Some((d, iss)) = date_before(&p[prev_end..all.start()])
            {
                date = Some(d);
                if issuer.is_none() {
                    issuer = iss;
                }
            }
            prev_end = tail_start;
            self.add(kind, number, short, date, issuer);
        }
    }
}

/// "Ngày 10/01/2019, Bộ Chính trị ban hành " before a citation: date and issuer.
fn date_before(prefix: &str) -> Option<(NaiveDate, Option<String>)> {
    // Only the current clause, and not too far back.
    let prefix = tail(prefix, 240);
    let start = prefix.rfind([';', '.', ':']).map_or(0, |i| i + 1);
    let clause = &prefix[start..];
    let mut found = None;
    for m in ngay_matches(clause) {
        if let Some((d, n)) = date_at(&clause[m.end()..]) {
            found = Some((d, m.end() + n));
        }
    }
    let (date, end) = found?;
    let between = clause[end..].trim().trim_start_matches(',').trim();
    if between.is_empty() {
        return Some((date, None));
    }
    if between.chars().count() > 80 {
        return None;
    }
    let c = RE_ISSUING_VERB.captures(between)?;
    let who = c.get(1).map(|x| x.as_str().trim()).unwrap_or("");
    Some((date, issuer_at(who)))
}

// ---------------------------------------------------------------------------
// Events and reporting
// ---------------------------------------------------------------------------

static RE_EVENT_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\(\s*(?:(?i:ngày)\s*)?(\d{1,2})\s*(?:/|-|(?i:tháng))\s*(\d{1,2})(?:\s*(?:/|-|(?i:năm))\s*(\d{4}))?\s*\)",
    )
    .expect("valid regex")
});
static RE_EVENT_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\p{L}\d])((?:Ngày|Tháng|Tuần)\s[^,;:.()]{2,80}?)\s(?i:vào\s+)?(?i:ngày)\s*(\d{1,2})\s*(?:/|-)\s*(\d{1,2})")
        .expect("valid regex")
});
static RE_EVENT_STARTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Ngày|Tháng|Tuần|Lễ|Hội|Tết|Kỷ niệm|Cuộc)\s").expect("valid regex")
});
static RE_YEAR_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[/.\-]\s*(\d{4})").expect("valid regex"));
static RE_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:báo\s+cáo)[^.;!?]*?\s(?i:gửi\s+về|về|gửi|lên)\s+(?i:cho\s+)?\p{Lu}")
        .expect("valid regex")
});

fn valid_day_month(day: u32, month: u32, year: Option<i32>) -> bool {
    NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day).is_some()
}

fn event_label(before: &str) -> Option<String> {
    let before = tail(before, 300);
    let start = before.rfind([';', ':', '.', '(', ')']).map_or(0, |i| i + 1);
    let clause = before[start..].trim();
    let trim = |s: &str| {
        s.trim()
            .trim_end_matches(|c: char| c == ',' || c.is_whitespace())
            .to_owned()
    };
    // The name of an event starts with a capitalised "Ngày", "Tháng", "Tuần", …
    if let Some(m) = RE_EVENT_STARTER.find_iter(clause).last() {
        let label = trim(&clause[m.start()..]);
        return (!label.is_empty()).then_some(label);
    }
    let clause = clause.rsplit(',').next().unwrap_or(clause);
    let words: Vec<&str> = clause.split_whitespace().collect();
    let from = words.len().saturating_sub(8);
    let label = words[from..].join(" ");
    (!label.is_empty()).then_some(label)
}

#[derive(Default)]
struct Events {
    list: Vec<EventDate>,
    seen: HashSet<(String, u32, u32)>,
}

impl Events {
    fn push(&mut self, label: String, day: u32, month: u32, year: Option<i32>) {
        if !valid_day_month(day, month, year) || label.chars().count() > 120 {
            return;
        }
        if self.seen.insert((label.to_lowercase(), day, month)) {
            self.list.push(EventDate {
                label,
                day,
                month,
                year,
            });
        }
    }

    fn scan(&mut self, p: &str) {
        for c in RE_EVENT_PAREN.captures_iter(p) {
            let (Some(all), Some(d), Some(m)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let (Ok(day), Ok(month)) = (d.as_str().parse(), m.as_str().parse()) else {
                continue;
            };
            let year = c.get(3).and_then(|y| y.as_str().parse().ok());
            if let Some(label) = event_label(&p[..all.start()]) {
                self.push(label, day, month, year);
            }
        }
        for c in RE_EVENT_INLINE.captures_iter(p) {
            let (Some(all), Some(l), Some(d), Some(m)) = (c.get(0), c.get(1), c.get(2), c.get(3))
            else {
                continue;
            };
            let after = &p[all.end()..];
            if after.starts_with(|ch: char| ch.is_ascii_digit()) {
                continue;
            }
            let year = RE_YEAR_AFTER
                .captures(after)
                .and_then(|y| y.get(1))
                .and_then(|y| y.as_str().parse().ok());
            if RE_YEAR_AFTER.is_match(after) && year.is_none() {
                continue;
            }
            let (Ok(day), Ok(month)) = (d.as_str().parse(), m.as_str().parse()) else {
                continue;
            };
            self.push(l.as_str().trim().to_owned(), day, month, year);
        }
    }
}

// ---------------------------------------------------------------------------
// Whole document
// ---------------------------------------------------------------------------

fn strip_list_mark(s: &str) -> String {
    let s = s.trim_start_matches(|c: char| {
        matches!(
            c,
            '-' | '+' | '•' | '*' | '·' | '●' | '○' | '■' | '□' | '▪' | '✓'
        ) || c.is_whitespace()
    });
    s.trim_end_matches(|c: char| matches!(c, ';' | '.' | ',') || c.is_whitespace())
        .to_owned()
}

/// A paragraph that belongs to a document header.
fn is_header_like(p: &str) -> bool {
    !RE_NUMBERED.is_match(p)
        && (is_upperish(p)
            || is_separator(p)
            || RE_MOTTO.is_match(p)
            || RE_SO_LINE.is_match(p)
            || RE_SUBJECT.is_match(p)
            || (p.chars().count() < 80 && RE_PLACE_DATE.is_match(p))
            || kind_title(p).is_some())
}

fn extract(paras: &[String]) -> Directive {
    let kg = paras.iter().position(|p| is_kinh_gui(p));
    let header_end = match kg {
        Some(i) => i,
        None => {
            let mut end = paras.len();
            for (i, p) in paras.iter().enumerate() {
                let after_title = i > 0 && kind_title(&paras[i - 1]).is_some();
                if !(after_title || is_header_like(p)) {
                    end = i;
                    break;
                }
            }
            end
        }
    }
    .min(40);
    let header = &paras[..header_end.min(paras.len())];

    // Header facts.
    let mut issuer = None;
    // 0: no issuer line yet, 1: inside the first block of issuer lines, 2: after it.
    let mut run = 0u8;
    let mut own_number = None;
    let mut own_title = None;
    let mut subject = None;
    let mut place = None;
    let mut date = None;
    for (i, p) in header.iter().enumerate() {
        if let Some(line) = header_issuer_line(p) {
            if run < 2 {
                issuer = Some(line);
                run = 1;
            }
            continue;
        }
        if run == 1 && !is_separator(p) {
            run = 2;
        }
        if own_number.is_none()
            && let Some(n) = own_number_in(p)
        {
            own_number = Some(n);
        }
        if subject.is_none() && RE_SUBJECT.is_match(p) {
            subject = Some(p.clone());
        }
        if let Some(k) = kind_title(p) {
            own_title.get_or_insert(k);
            if subject.is_none()
                && let Some(next) = header.get(i + 1)
                && !RE_SO_LINE.is_match(next)
                && !RE_PLACE_DATE.is_match(next)
            {
                subject = Some(next.clone());
            }
        }
        if place.is_none()
            && let Some((pl, d)) = place_date(p)
        {
            place = Some(pl);
            date = d;
        }
        if date.is_none()
            && let Some(m) = ngay_matches(p).next().filter(|m| m.start() == 0)
            && let Some((d, n)) = date_at(&p[m.end()..])
            && p[m.end() + n..].trim().is_empty()
        {
            date = Some(d);
        }
    }
    // Some letters put the place and date line below the subject or Kính gửi.
    if place.is_none() {
        for p in paras.iter().take(header_end + 12) {
            if p.chars().count() < 80
                && let Some((pl, d)) = place_date(p)
            {
                place = Some(pl);
                date = date.or(d);
                break;
            }
        }
    }

    // Kính gửi list.
    let mut addressees = Vec::new();
    let mut body_start = header_end;
    if let Some(k) = kg {
        if let Some(rest) = RE_KINH_GUI
            .captures(&paras[k])
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().trim())
        {
            let a = strip_list_mark(rest);
            if !a.is_empty() {
                addressees.push(a);
            }
        }
        body_start = k + 1;
        while let Some(p) = paras.get(body_start) {
            let t = p.trim_start();
            if !t.starts_with(['-', '+', '•', '*', '·', '●', '○', '■', '□', '▪', '✓'])
            {
                break;
            }
            let a = strip_list_mark(t);
            if !a.is_empty() {
                addressees.push(a);
            }
            body_start += 1;
        }
    }
    let body_end = paras
        .iter()
        .skip(body_start)
        .position(|p| RE_NOI_NHAN.is_match(p))
        .map(|i| i + body_start)
        .unwrap_or(paras.len());
    let body = paras.get(body_start..body_end).unwrap_or(&[]);

    // Citations: header and body, in order (the own-number line is not a citation).
    let mut cites = Citations::default();
    for p in paras.iter().take(body_end) {
        if !(RE_SO_LINE.is_match(p) || own_number_in(p).is_some()) {
            cites.scan(p);
        }
    }

    // Actions.
    let actions = actions_of(body);

    // Events.
    let mut events = Events::default();
    if let Some(s) = &subject {
        events.scan(s);
    }
    for p in body {
        events.scan(p);
    }

    // Reporting: the last sentence that says to whom results go.
    let mut reporting = None;
    for p in body {
        for s in sentences(p) {
            if RE_REPORT.is_match(s) {
                let s = numbered(s).map_or(s, |(_, text)| text);
                reporting = Some(s.to_owned());
            }
        }
    }

    let own = own_number.map(|number| DocRef {
        kind: own_title
            .unwrap_or_else(|| kind_from_number(&number))
            .to_owned(),
        number,
        date,
        issuer: issuer.clone(),
    });
    Directive {
        own,
        issuer,
        place,
        date,
        subject,
        addressees,
        citations: cites.list,
        actions,
        events: events.list,
        reporting,
    }
}

static RE_SO_ANY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:^|\s)số\s*[:.]?\s*").expect("valid regex"));

fn own_number_in(p: &str) -> Option<String> {
    // "Số: 175/CĐN-TGNC" possibly followed by the place and date of a merged column.
    let start = RE_SO_ANY.find(p).filter(|m| {
        m.start() == 0
            || (m.as_str().trim_start().starts_with("Số") && is_upperish(&p[..m.start()]))
    })?;
    let rest = &p[start.end()..];
    if let Some(m) = RE_NUM_PARTY.find(rest) {
        return Some(canon_number(m.as_str(), None));
    }
    if let Some(c) = RE_NUM_STATE.captures(rest) {
        let whole = c.get(0)?;
        let cont = c.get(2);
        let main_end = cont.map_or(whole.end(), |x| x.start());
        return Some(canon_number(&rest[..main_end], cont.map(|x| x.as_str())));
    }
    None
}

fn actions_of(body: &[String]) -> Vec<String> {
    let mut items: Vec<Vec<&str>> = Vec::new();
    let mut expect = 1u32;
    let mut trailing: Vec<&str> = Vec::new();
    for p in body {
        if let Some((n, text)) = numbered(p)
            && (n == expect || (n == 1 && !items.is_empty()))
        {
            if let Some(last) = items.last_mut() {
                last.append(&mut trailing);
            }
            trailing.clear();
            items.push(vec![text]);
            expect = n + 1;
            continue;
        }
        if items.is_empty() {
            continue;
        }
        if RE_ROMAN.is_match(p) || is_upperish(p) {
            trailing.clear();
            expect = 1;
            continue;
        }
        // Sub-items belong to the current item; plain paragraphs only if another
        // numbered item follows (so the closing paragraph is not an action).
        if trailing.is_empty() && (RE_SUBITEM.is_match(p) || p.starts_with(char::is_lowercase)) {
            if let Some(last) = items.last_mut() {
                last.push(p);
            }
        } else {
            trailing.push(p);
        }
    }
    items
        .into_iter()
        .map(|parts| parts.join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------

/// Shortens `s` to at most `n` chars at a word boundary, marking the cut with "…".
fn fit(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        return s.to_owned();
    }
    if n == 0 {
        return String::new();
    }
    let mut best = None;
    for (count, (i, c)) in s.char_indices().enumerate() {
        if count + 1 > n {
            break;
        }
        if c.is_whitespace() {
            best = Some(i);
        }
    }
    match best {
        Some(i) => {
            let head = s[..i].trim_end_matches(|c: char| c.is_whitespace() || ",;:-(".contains(c));
            if head.is_empty() {
                "…".to_owned()
            } else {
                format!("{head}…")
            }
        }
        None => "…".to_owned(),
    }
}

/// First sentence or clause of an action item.
fn first_clause(s: &str) -> &str {
    let mut end = s.len();
    for (i, c) in s.char_indices() {
        if matches!(c, ';' | ':') {
            end = i;
            break;
        }
        if c == '.' && s[i + 1..].starts_with(' ') && !ends_with_abbreviation(&s[..i]) {
            end = i;
            break;
        }
    }
    s[..end].trim().trim_end_matches('.')
}

static RE_BAO_CAO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)báo\s+cáo").expect("valid regex"));

struct Line {
    prefix: String,
    body: String,
    /// Longest body worth showing on a phone, whatever the budget.
    most: usize,
}

static RE_BEFORE_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:trước|chậm\s+nhất|hạn(?:\s+chót)?)\s*(?::\s*)?(?:ngày\s*)?")
        .expect("valid regex")
});

impl Directive {
    /// The deadline of the reporting line: the date after "trước ngày", "chậm nhất
    /// ngày" or "hạn" in it ("báo cáo kết quả về Ban Tuyên giáo trước ngày 25/8/2026").
    pub fn reporting_deadline(&self) -> Option<NaiveDate> {
        let line = self.reporting.as_deref()?;
        RE_BEFORE_DAY
            .find_iter(line)
            .find_map(|m| date_at(&line[m.end()..]).map(|(d, _)| d))
    }

    /// A short draft for phones: title, one line per action, event dates, the
    /// reporting line; at most `max_chars` characters, never cutting a word.
    pub fn summary(&self, labels: &SummaryLabels<'_>, max_chars: usize) -> String {
        // Subject, else the document's own number, else who wrote it (a letter with
        // neither still says where it comes from).
        let title = self
            .subject
            .clone()
            .or_else(|| {
                self.own
                    .as_ref()
                    .map(|o| format!("{} {}", o.kind, o.number))
            })
            .or_else(|| self.issuer.clone());
        let mut lines: Vec<Line> = Vec::new();
        if let Some(t) = title {
            lines.push(Line {
                prefix: String::new(),
                body: t,
                most: 160,
            });
        }
        if !self.actions.is_empty() {
            lines.push(Line {
                prefix: format!("{}:", labels.actions),
                body: String::new(),
                most: 0,
            });
            for (i, a) in self.actions.iter().enumerate() {
                lines.push(Line {
                    prefix: format!("{}. ", i + 1),
                    body: first_clause(a).to_owned(),
                    most: 100,
                });
            }
        }
        if !self.events.is_empty() {
            let dates = self
                .events
                .iter()
                .map(|e| match e.year {
                    Some(y) => format!("{}/{}/{} {}", e.day, e.month, y, e.label),
                    None => format!("{}/{} {}", e.day, e.month, e.label),
                })
                .collect::<Vec<_>>()
                .join("; ");
            lines.push(Line {
                prefix: format!("{}: ", labels.dates),
                body: dates,
                most: 300,
            });
        }
        if let Some(r) = &self.reporting {
            // The part that says what goes to whom: from "báo cáo" on.
            let body = RE_BAO_CAO.find(r).map_or(r.as_str(), |m| &r[m.start()..]);
            lines.push(Line {
                prefix: format!("{}: ", labels.report),
                body: body.to_owned(),
                most: 300,
            });
        }

        // One rendered line, or None when nothing of its body would be left.
        let line = |l: &Line, cap: usize| -> Option<String> {
            let body = fit(&l.body, cap.min(l.most));
            if !l.body.is_empty() && (body.is_empty() || body == "…") {
                return None;
            }
            Some(format!("{}{}", l.prefix, body).trim_end().to_owned())
        };
        let total = |lines: &[Line], cap: usize| -> usize {
            let (chars, count) = lines
                .iter()
                .filter_map(|l| line(l, cap))
                .fold((0usize, 0usize), |(c, n), s| (c + s.chars().count(), n + 1));
            chars + count.saturating_sub(1)
        };
        const MIN_CAP: usize = 12;
        // Keep the leading lines that fit even when every line is cut to MIN_CAP.
        let mut keep = 0usize;
        let mut used = 0usize;
        for l in &lines {
            let add = line(l, MIN_CAP).map_or(0, |s| s.chars().count() + usize::from(used > 0));
            if used + add > max_chars {
                break;
            }
            used += add;
            keep += 1;
        }
        if keep > 1 && lines.get(keep - 1).is_some_and(|l| l.body.is_empty()) {
            keep -= 1; // a heading left without items
        }
        lines.truncate(keep.max(1));
        // The largest per-line cap that fits.
        let max_body = lines
            .iter()
            .map(|l| l.body.chars().count())
            .max()
            .unwrap_or(0);
        let (mut lo, mut hi) = (MIN_CAP, max_body.max(MIN_CAP));
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if total(&lines, mid) <= max_chars {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let out = lines
            .iter()
            .filter_map(|l| line(l, lo))
            .collect::<Vec<_>>()
            .join("\n");
        // Last resort (tiny budgets): cut the whole text at a word boundary.
        fit(&out, max_chars)
    }
}

// ---------------------------------------------------------------------------
// Unit tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn cite(text: &str) -> Vec<DocRef> {
        parse(text).map(|x| x.citations).unwrap_or_default()
    }

    #[test]
    fn every_decimal_digit_the_regexes_match_has_its_ascii_value() {
        let re = Regex::new(r"^\d$").expect("valid regex");
        let mut buf = [0u8; 4];
        for cp in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let is_digit = re.is_match(c.encode_utf8(&mut buf));
            assert_eq!(is_digit, ascii_digit(c).is_some(), "U+{cp:04X}");
        }
        assert_eq!(ascii_digit('１'), Some('1'));
        assert_eq!(ascii_digit('٣'), Some('3'));
        assert_eq!(ascii_digit('९'), Some('9'));
        assert_eq!(ascii_digit('a'), None);
    }

    #[test]
    fn full_width_digits_and_controls_in_a_citation() {
        // Found in the wild: this once panicked (byte arithmetic on a 3-byte digit).
        let law = "Căn cứ Luật Công đoàn số １２/2012/QH13 ngày 20/6/2012 của Quốc hội;";
        let c = cite(law);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].number, "12/2012/QH13");
        let bidi = "Thực hiện Chỉ thị số \u{200F}48-CT/TW\u{202C} ngày 2\u{301}2/10/2010 của Bộ Chính trị;";
        let c = cite(bidi);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].number, "48-CT/TW");
        assert_eq!(c[0].date, d(2010, 10, 22));
        let arabic = "Thực hiện Kế hoạch số ٤١٤/KH-UBND ngày ١٢/٦/٢٠٢١ của UBND tỉnh;";
        let c = cite(arabic);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].number, "414/KH-UBND");
        assert_eq!(c[0].date, d(2021, 6, 12));
    }

    #[test]
    fn tone_marks_old_and_new_compare_equal() {
        assert_eq!(
            normalize("uỷ khoá hoà Uỷ HOÀ khoẻ"),
            normalize("ủy khóa hòa Ủy HÒA khỏe")
        );
        assert_eq!(normalize("Tỉnh uỷ").trim(), "Tỉnh ủy");
        // Not open syllables, or "qu": unchanged.
        assert_eq!(normalize("hoàn quý thuyết").trim(), "hoàn quý thuyết");
        // Decomposed input becomes NFC.
        assert_eq!(normalize("Ho\u{0061}\u{0300}").trim(), "Hòa");
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(
            normalize("a\u{00A0}\u{00A0}b\t\tc   d\r\ne").trim(),
            "a b c d\ne"
        );
    }

    #[test]
    fn missing_spaces() {
        let c = cite("Thực hiện Chỉ thị số 09-CT/TW ngày01/12/2011 của Ban Bí thư.");
        assert_eq!(c[0].number, "09-CT/TW");
        assert_eq!(c[0].date, d(2011, 12, 1));
        assert_eq!(c[0].issuer.as_deref(), Some("Ban Bí thư"));
        let c = cite("Theo Kế hoạch số 68/KH-UBND ngày 03/12/2021của UBND tỉnh.");
        assert_eq!(c[0].number, "68/KH-UBND");
        assert_eq!(c[0].date, d(2021, 12, 3));
    }

    #[test]
    fn extra_spaces() {
        let x = parse("Số:  175  /CĐN-TGNC\nV/v triển khai\n\nKính gửi: Các CĐCS").unwrap();
        assert_eq!(
            x.own.as_ref().map(|o| o.number.as_str()),
            Some("175/CĐN-TGNC")
        );
        assert_eq!(x.own.as_ref().map(|o| o.kind.as_str()), Some("Công văn"));
        let c =
            cite("Thực hiện Kế hoạch số 63/KH - LĐLĐ ngày  6   tháng 8 năm 2021 của LĐLĐ tỉnh.");
        assert_eq!(c[0].number, "63/KH-LĐLĐ");
        assert_eq!(c[0].date, d(2021, 8, 6));
    }

    #[test]
    fn line_breaks_inside_citation_and_date() {
        let c = cite("Thực hiện Chỉ thị số\n48-CT/TW ngày\n22/10/2010 của\nBộ Chính trị.");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].number, "48-CT/TW");
        assert_eq!(c[0].date, d(2010, 10, 22));
        assert_eq!(c[0].issuer.as_deref(), Some("Bộ Chính trị"));
        let c = cite("Căn cứ Kế hoạch số 414/KH-UBND, ngày 07 tháng\n3 năm 2016 của UBND tỉnh.");
        assert_eq!(c[0].date, d(2016, 3, 7));
    }

    #[test]
    fn upper_cased_codes() {
        let c = cite("Căn cứ Chỉ thị số 01/CT-TTG ngày 09/01/2015 của Thủ tướng.");
        assert_eq!(c[0].number, "01/CT-TTg");
        let c = cite("CĂN CỨ CHỈ THỊ SỐ 01/CT-TTG.");
        assert_eq!(c[0].kind, "Chỉ thị");
        assert_eq!(c[0].number, "01/CT-TTg");
    }

    #[test]
    fn party_and_state_numbers() {
        let c = cite(
            "Thực hiện Chỉ thị số 37-CT/TW, Kế hoạch số 185-KH/TU, Kế hoạch số 68/KH-UBND, Thông tư số 124/2021/TT-BCA và Luật số 91/2025/QH15.",
        );
        let n: Vec<(&str, &str)> = c
            .iter()
            .map(|c| (c.kind.as_str(), c.number.as_str()))
            .collect();
        assert_eq!(
            n,
            vec![
                ("Chỉ thị", "37-CT/TW"),
                ("Kế hoạch", "185-KH/TU"),
                ("Kế hoạch", "68/KH-UBND"),
                ("Thông tư", "124/2021/TT-BCA"),
                ("Luật", "91/2025/QH15"),
            ]
        );
    }

    #[test]
    fn date_formats() {
        for (s, want) in [
            ("22/10/2010", d(2010, 10, 22)),
            ("12-6-2021", d(2021, 6, 12)),
            ("1.1.2026", d(2026, 1, 1)),
            ("24 tháng 9 năm 2021", d(2021, 9, 24)),
            ("07 tháng 3 năm 2016", d(2016, 3, 7)),
            ("31/2/2021", None),
            ("29/2/2024", d(2024, 2, 29)),
            ("29/2/2023", None),
            ("12/6-2021", None),
            ("1/1/20261", None),
        ] {
            assert_eq!(date_at(s).map(|x| x.0), want, "{s}");
        }
        for s in [
            "Kế hoạch số 5/KH-LĐLĐ ngày 12-6-2021 của LĐLĐ.",
            "Kế hoạch số 5/KH-LĐLĐ ngày 12/6/2021 của LĐLĐ.",
            "Kế hoạch số 5/KH-LĐLĐ ngày 12 tháng 6 năm 2021 của LĐLĐ.",
        ] {
            assert_eq!(cite(s)[0].date, d(2021, 6, 12), "{s}");
        }
        assert_eq!(
            cite("Công văn số 1/LĐLĐ ngày 1.1.2026.")[0].date,
            d(2026, 1, 1)
        );
    }

    #[test]
    fn impossible_date_rejected() {
        let c = cite("Căn cứ Chỉ thị số 01/CT-TTg ngày 31/2/2015 của Thủ tướng.");
        assert_eq!(c[0].date, None);
        assert_eq!(c[0].issuer.as_deref(), None);
    }

    #[test]
    fn date_before_number() {
        let c = cite("Ngày 10/01/2019, Bộ Chính trị ban hành Chỉ thị số 27-CT/TW về tăng cường.");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].number, "27-CT/TW");
        assert_eq!(c[0].date, d(2019, 1, 10));
        assert_eq!(c[0].issuer.as_deref(), Some("Bộ Chính trị"));
    }

    #[test]
    fn short_form_merges() {
        let c = cite(
            "Ngày 10/01/2019, Bộ Chính trị ban hành Chỉ thị số 27-CT/TW. Triển khai Chỉ thị số 27 đến đoàn viên; Kế hoạch số 27/KH-LĐLĐ.",
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].number, "27-CT/TW");
        assert_eq!(c[1].number, "27/KH-LĐLĐ");
        // Short form first, full form later: upgraded in place.
        let c =
            cite("Quán triệt Chỉ thị số 27 của Bộ Chính trị. Chỉ thị số 27-CT/TW ngày 10/01/2019.");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].number, "27-CT/TW");
        assert_eq!(c[0].date, d(2019, 1, 10));
        assert_eq!(c[0].issuer.as_deref(), Some("Bộ Chính trị"));
    }

    #[test]
    fn later_mention_fills_missing_date() {
        let c =
            cite("Theo Chỉ thị số 48-CT/TW của Bộ Chính trị. Chỉ thị số 48-CT/TW ngày 22/10/2010.");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].date, d(2010, 10, 22));
    }

    #[test]
    fn so_left_out() {
        let c = cite("Thực hiện Kết luận 86-KL/TW, ngày 05/11/2010 của Bộ Chính trị về an ninh.");
        assert_eq!(c[0].kind, "Kết luận");
        assert_eq!(c[0].number, "86-KL/TW");
        assert_eq!(c[0].date, d(2010, 11, 5));
        // A bare number without "số" is not a citation.
        assert!(cite("Kính gửi: A\nChỉ thị 27 đã nêu.").is_empty());
    }

    #[test]
    fn two_line_header_lower_line_is_issuer() {
        let x = parse(
            "TỔNG LĐLĐ VIỆT NAM\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCÔNG ĐOÀN NGÂN HÀNG VIỆT NAM\tĐộc lập - Tự do - Hạnh phúc\nSố: 175/CĐN-TGNC\tHà Nội, ngày 15 tháng 3 năm 2016\nV/v triển khai phong trào\n\nKính gửi: Các CĐCS trực thuộc",
        )
        .unwrap();
        assert_eq!(x.issuer.as_deref(), Some("CÔNG ĐOÀN NGÂN HÀNG VIỆT NAM"));
        assert_eq!(x.place.as_deref(), Some("Hà Nội"));
        assert_eq!(x.date, d(2016, 3, 15));
        assert_eq!(x.subject.as_deref(), Some("V/v triển khai phong trào"));
        let own = x.own.unwrap();
        assert_eq!(own.number, "175/CĐN-TGNC");
        assert_eq!(own.issuer.as_deref(), Some("CÔNG ĐOÀN NGÂN HÀNG VIỆT NAM"));
        assert_eq!(own.date, d(2016, 3, 15));
        assert_eq!(x.addressees, vec!["Các CĐCS trực thuộc"]);
    }

    #[test]
    fn party_header_and_title() {
        let x = parse(
            "ĐẢNG BỘ TỈNH CAO BẰNG\nBAN THƯỜNG VỤ\n*\nSố 185-KH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nCao Bằng, ngày 1 tháng 2 năm 2022\nKẾ HOẠCH\nthực hiện Chỉ thị số 37-CT/TW\n\n1. Quán triệt.\n2. Tổ chức.",
        )
        .unwrap();
        assert_eq!(x.issuer.as_deref(), Some("BAN THƯỜNG VỤ"));
        let own = x.own.unwrap();
        assert_eq!(
            (own.kind.as_str(), own.number.as_str()),
            ("Kế hoạch", "185-KH/TU")
        );
        assert_eq!(x.subject.as_deref(), Some("thực hiện Chỉ thị số 37-CT/TW"));
        assert_eq!(x.citations[0].number, "37-CT/TW");
        assert_eq!(x.actions, vec!["Quán triệt.", "Tổ chức."]);
    }

    #[test]
    fn ranges_and_times_are_not_dates() {
        let x = parse(
            "Kính gửi: Các CĐCS\nGiai đoạn 2021 - 2025, lúc 20h30 ngày 19/8 tổ chức.\n1. Tuyên truyền giai đoạn 2021 - 2025.",
        )
        .unwrap();
        assert!(x.citations.is_empty());
        assert!(x.events.is_empty());
        assert_eq!(x.date, None);
        assert_eq!(date_at("2021 - 2025"), None);
        assert_eq!(date_at("20h30"), None);
    }

    #[test]
    fn events() {
        let x = parse(
            "Kính gửi: A\n1. Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc (ngày 19/8), và Tháng hành động vì an toàn lao động (1/5). Hưởng ứng Ngày Pháp luật ngày 9/11; (ngày 31/2).",
        )
        .unwrap();
        let e: Vec<(&str, u32, u32)> = x
            .events
            .iter()
            .map(|e| (e.label.as_str(), e.day, e.month))
            .collect();
        assert_eq!(
            e,
            vec![
                ("Ngày hội toàn dân bảo vệ an ninh Tổ quốc", 19, 8),
                ("Tháng hành động vì an toàn lao động", 1, 5),
                ("Ngày Pháp luật", 9, 11),
            ]
        );
    }

    #[test]
    fn numbered_items_and_closing_paragraph() {
        let x = parse(
            "Kính gửi: A\nThực hiện nhiệm vụ:\n1. Một việc.\n- ý a;\n- ý b.\n2.Hai việc\ntiếp tục dòng.\n1.1 không phải mục.\nĐề nghị các đơn vị báo cáo kết quả về Ban Tuyên giáo trước ngày 30/6/2024.\nNơi nhận:\n- Như trên;\n3. Không phải.",
        )
        .unwrap();
        assert_eq!(
            x.actions,
            vec![
                "Một việc. - ý a; - ý b.",
                "Hai việc tiếp tục dòng. 1.1 không phải mục."
            ]
        );
        assert_eq!(
            x.reporting.as_deref(),
            Some("Đề nghị các đơn vị báo cáo kết quả về Ban Tuyên giáo trước ngày 30/6/2024.")
        );
    }

    #[test]
    fn not_a_directive() {
        assert_eq!(
            parse("Canh chua cá lóc\nNguyên liệu: 1 con cá, 2 quả cà chua.\nBước 1: rửa cá."),
            Err(ParseError::NotADirective)
        );
        assert_eq!(parse("   \n\t\u{00A0}"), Err(ParseError::Empty));
        assert_eq!(parse(""), Err(ParseError::Empty));
        assert_eq!(parse("ab\0cd"), Err(ParseError::NotText));
    }

    #[test]
    fn bytes_sniffing() {
        assert_eq!(parse_bytes(b""), Err(ParseError::Empty));
        assert_eq!(
            parse_bytes(&[0xff, 0x00, 0x13, 0x88, 0x9a]),
            Err(ParseError::NotText)
        );
        assert_eq!(
            parse_bytes(&vec![b'a'; MAX_INPUT_BYTES + 1]),
            Err(ParseError::TooLarge {
                bytes: MAX_INPUT_BYTES + 1
            })
        );
        assert_eq!(parse_bytes(b"PK\x03\x04garbage"), Err(ParseError::NotText));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("Kính gửi: Các CĐCS".as_bytes());
        assert_eq!(parse_bytes(&bom).unwrap().addressees, vec!["Các CĐCS"]);
        let mut u16le = vec![0xFF, 0xFE];
        for u in "Kính gửi: Các CĐCS".encode_utf16() {
            u16le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(parse_bytes(&u16le).unwrap().addressees, vec!["Các CĐCS"]);
    }

    #[test]
    fn docx_is_read() {
        use std::io::Write;
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Kính gửi:</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">- Các LĐLĐ tỉnh &amp; </w:t></w:r><w:r><w:t>thành phố</w:t></w:r></w:p><w:p><w:r><w:t>1. Thực hiện Chỉ thị số 48-CT/TW</w:t></w:r><w:r><w:tab/><w:t>ngày 22/10/2010.</w:t></w:r></w:p></w:body></w:document>"#;
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            z.start_file("word/document.xml", opts).unwrap();
            z.write_all(xml.as_bytes()).unwrap();
            z.finish().unwrap();
        }
        let bytes = buf.into_inner();
        let text = docx_to_text(&bytes).unwrap();
        assert_eq!(
            text,
            "Kính gửi:\n- Các LĐLĐ tỉnh & thành phố\n1. Thực hiện Chỉ thị số 48-CT/TW\tngày 22/10/2010.\n"
        );
        let x = parse_bytes(&bytes).unwrap();
        assert_eq!(x.addressees, vec!["Các LĐLĐ tỉnh & thành phố"]);
        assert_eq!(x.citations[0].date, d(2010, 10, 22));
        assert_eq!(x.actions.len(), 1);
    }

    #[test]
    fn a_law_is_cited_with_its_name_before_the_number() {
        let d = parse(
            "Căn cứ Luật Công đoàn số 12/2012/QH13 ngày 20/6/2012 và Pháp lệnh Dân số số 06/2003/PL-UBTVQH11; \
             luật này áp dụng cho mọi người.",
        )
        .expect("parse");
        let cited: Vec<String> = d
            .citations
            .iter()
            .map(|c| format!("{} {}", c.kind, c.number))
            .collect();
        assert_eq!(
            cited,
            ["Luật 12/2012/QH13", "Pháp lệnh 06/2003/PL-UBTVQH11"]
        );
        assert_eq!(d.citations[0].date, NaiveDate::from_ymd_opt(2012, 6, 20));
    }

    #[test]
    fn a_letter_without_subject_or_number_is_titled_by_its_issuer() {
        let d = parse(
            "LIÊN ĐOÀN LAO ĐỘNG TP. HỒ CHÍ MINH\nCÔNG ĐOÀN KHU CHẾ XUẤT TÂN THUẬN\n\n\
             Kính gửi: Ban Chấp hành các công đoàn cơ sở.\n\n\
             1. Tuyên truyền đến đoàn viên tại các khu nhà trọ.\n\
             2. Báo cáo kết quả về Công đoàn Khu chế xuất trước ngày 25/8/2026.",
        )
        .expect("parse");
        let labels = SummaryLabels {
            actions: "Việc cần làm",
            dates: "Ngày",
            report: "Báo cáo",
        };
        let summary = d.summary(&labels, 900);
        assert!(
            summary.starts_with("CÔNG ĐOÀN KHU CHẾ XUẤT TÂN THUẬN\n"),
            "{summary}"
        );
    }

    #[test]
    fn abbreviations_do_not_end_a_sentence() {
        assert_eq!(
            first_clause("Phối hợp với Công an TP. Thủ Đức tuyên truyền. Sau đó báo cáo."),
            "Phối hợp với Công an TP. Thủ Đức tuyên truyền"
        );
        assert_eq!(
            sentences("Họp tại P. Tân Thuận. Mời ThS. Lan dự."),
            ["Họp tại P. Tân Thuận.", "Mời ThS. Lan dự."]
        );
    }

    #[test]
    fn summary_fits_and_never_cuts_words() {
        let x = Directive {
            own: None,
            issuer: None,
            place: None,
            date: None,
            subject: Some("V/v tổ chức phong trào toàn dân bảo vệ an ninh Tổ quốc".into()),
            addressees: vec![],
            citations: vec![],
            actions: vec![
                "Tuyên truyền sâu rộng cho đoàn viên; nâng cao nhận thức.".into(),
                "Phối hợp với công an. Xây dựng quy chế.".into(),
            ],
            events: vec![EventDate {
                label: "Ngày hội".into(),
                day: 19,
                month: 8,
                year: None,
            }],
            reporting: Some("Báo cáo kết quả về Ban Tuyên giáo.".into()),
        };
        let labels = SummaryLabels {
            actions: "Việc cần làm",
            dates: "Ngày",
            report: "Báo cáo",
        };
        let full = x.summary(&labels, 4096);
        assert_eq!(
            full,
            "V/v tổ chức phong trào toàn dân bảo vệ an ninh Tổ quốc\nViệc cần làm:\n1. Tuyên truyền sâu rộng cho đoàn viên\n2. Phối hợp với công an\nNgày: 19/8 Ngày hội\nBáo cáo: Báo cáo kết quả về Ban Tuyên giáo."
        );
        let words: HashSet<&str> = full.split_whitespace().collect();
        for n in 0..200 {
            let s = x.summary(&labels, n);
            assert!(s.chars().count() <= n, "{n}: {s}");
            for w in s.split_whitespace() {
                let w = w.trim_end_matches('…');
                assert!(
                    w.is_empty() || words.contains(w) || full.contains(w),
                    "{n}: {w}"
                );
            }
        }
        assert_eq!(fit("một hai ba", 6), "một…");
        assert_eq!(fit("mộthaiba", 5), "…");
    }

    #[test]
    fn the_reporting_deadline_is_the_date_after_truoc_ngay() {
        let with = |line: &str| Directive {
            reporting: Some(line.into()),
            ..parse("Kính gửi: A\n1. Một việc cần làm ngay trong tháng.").unwrap()
        };
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        for (line, want) in [
            (
                "Báo cáo kết quả về Ban Tuyên giáo trước ngày 25/8/2026.",
                d(2026, 8, 25),
            ),
            (
                "báo cáo về LĐLĐ tỉnh chậm nhất ngày  5 tháng 9 năm 2026",
                d(2026, 9, 5),
            ),
            (
                "Báo cáo về Ban Tuyên giáo trước ngày25.8.2026",
                d(2026, 8, 25),
            ),
            (
                "Báo cáo về Ban Tuyên giáo (hạn: 1-12-2026).",
                d(2026, 12, 1),
            ),
            (
                "Thường xuyên báo cáo kết quả về Công đoàn NHVN qua Ban Tuyên giáo.",
                None,
            ),
            ("Báo cáo về Ban Tuyên giáo trước ngày 31/2/2026.", None),
        ] {
            assert_eq!(with(line).reporting_deadline(), want, "{line}");
        }
        let mut none = with("x");
        none.reporting = None;
        assert_eq!(none.reporting_deadline(), None);
    }
}
