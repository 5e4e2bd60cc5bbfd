//! Property tests: no input makes the parser panic, and summaries keep their bound.

use std::io::Write;
use std::path::Path;

use congdoan_bot::core::directive::{Directive, SummaryLabels, docx_to_text, parse, parse_bytes};
use proptest::prelude::*;

/// The two real letters, copied into the repository (public documents).
const FIXTURE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/directives");

const LABELS: SummaryLabels<'static> = SummaryLabels {
    actions: "Việc cần làm",
    dates: "Mốc thời gian",
    report: "Báo cáo",
};

fn seeds() -> Vec<String> {
    let mut out = Vec::new();
    for name in [
        "caobang-bien-gioi-2016.txt",
        "tld-phong-trao-bao-ve-an-ninh-to-quoc.txt",
    ] {
        if let Ok(t) = std::fs::read_to_string(Path::new(FIXTURE_DIR).join(name)) {
            out.push(t);
        }
    }
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/directive/messy-letter.txt");
    if let Ok(t) = std::fs::read_to_string(corpus) {
        out.push(t);
    }
    assert!(!out.is_empty(), "no seed documents found");
    out
}

fn check_summary(d: &Directive, max: usize) {
    let s = d.summary(&LABELS, max);
    assert!(
        s.chars().count() <= max,
        "summary of {} chars > {max}",
        s.chars().count()
    );
}

/// Pieces that stress the parser when spliced into documents.
const PIECES: &[&str] = &[
    "Chỉ thị số ",
    "Kế hoạch số",
    " số ",
    "48-CT/TW",
    "01/CT-TTG",
    "/",
    "-",
    " - ",
    "ngày",
    "ngày01/12/2011",
    "31/2/2021",
    "1.1.2026",
    " tháng ",
    " năm ",
    "(ngày 19/8)",
    "(",
    ")",
    "\n",
    "\n\n",
    "1. ",
    "2.",
    "Kính gửi:",
    "- ",
    "Nơi nhận:",
    "Số: ",
    "V/v ",
    "của Bộ",
    "báo cáo kết quả về Ban",
    "\u{00A0}",
    "\t",
    "\r\n",
    "uỷ",
    "hoà",
    "Ngày hội",
    "…",
    "\u{FEFF}",
    "ÀÁẢÃẠ",
    "\u{0300}",
    "\u{0323}",
    "🙂",
    "999999999999/KH-UBND",
    "Ngày 10/01/2019, ",
];

fn mutated() -> impl Strategy<Value = String> {
    let ops = prop::collection::vec(
        (any::<prop::sample::Index>(), 0usize..PIECES.len(), 0u8..3),
        0..40,
    );
    (any::<prop::sample::Index>(), ops).prop_map(|(which, ops)| {
        let seeds = seeds();
        let mut chars: Vec<char> = seeds[which.index(seeds.len())].chars().collect();
        for (at, piece, op) in ops {
            let i = at.index(chars.len() + 1);
            match op {
                0 => {
                    let p: Vec<char> = PIECES[piece].chars().collect();
                    chars.splice(i..i, p);
                }
                1 => {
                    let end = (i + 1 + piece * 7).min(chars.len());
                    if i < end {
                        chars.drain(i..end);
                    }
                }
                _ => {
                    if i < chars.len() {
                        chars[i] = PIECES[piece].chars().next().unwrap_or(' ');
                    }
                }
            }
        }
        chars.into_iter().collect()
    })
}

/// Zeros of decimal-digit runs in many scripts (full-width, Arabic-Indic, Extended
/// Arabic-Indic, N'Ko, Devanagari, Bengali, Thai, Myanmar, Khmer, Mongolian, Math bold…).
const DIGIT_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xBE6, 0xE50, 0xF20, 0x1040, 0x17E0, 0x1810,
    0xA620, 0xFF10, 0x104A0, 0x11066, 0x1D7CE, 0x1D7F6, 0x1E950, 0x1FBF0,
];

/// Characters that have broken parsers: marks, zero-width and bidi controls, NUL and C0/C1
/// controls, odd spaces.
const NOISE: &[char] = &[
    '\u{0301}', '\u{0323}', '\u{0300}', '\u{20DD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}',
    '\u{FEFF}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{061C}', '\0', '\u{0001}', '\u{001B}',
    '\u{007F}', '\u{0085}', '\u{009C}', '\u{00A0}', '\u{3000}', '\u{2028}', '\u{2029}', '\u{00AD}',
    '\u{FFFD}',
];

/// A number written in one script's digits, with noise between digits now and then.
fn digits_in(script: usize, n: &str, noise: &[(usize, usize)]) -> String {
    let zero = DIGIT_ZEROS[script % DIGIT_ZEROS.len()];
    let mut out = String::new();
    for (i, c) in n.chars().enumerate() {
        let v = c.to_digit(10).unwrap_or(0);
        out.push(char::from_u32(zero + v).unwrap_or(c));
        for (at, which) in noise {
            if *at == i {
                out.push(NOISE[*which % NOISE.len()]);
            }
        }
    }
    out
}

/// A citation or date line in foreign digits, with noise inside, numbers up to well past
/// u64, piled combining marks.
fn exotic_citation() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        (0u64..100_000).prop_map(|n| n.to_string()),
        "[0-9]{15,45}".prop_map(|s| s),
    ];
    (
        0usize..DIGIT_ZEROS.len(),
        number,
        prop::collection::vec((0usize..50, 0usize..NOISE.len()), 0..6),
        0usize..6,
        0usize..NOISE.len(),
        0u8..4,
    )
        .prop_map(|(script, n, noise, template, piled, marks)| {
            let num = digits_in(script, &n, &noise);
            let year = digits_in(script, "2012", &noise);
            let day = digits_in(script, "22", &[]);
            let pile: String = std::iter::repeat_n(NOISE[piled], marks as usize).collect();
            match template {
                0 => format!("Luật Công đoàn số {num}{pile}/{year}/QH13 ngày {day}/6/{year}"),
                1 => format!("Chỉ thị số {num}-CT/TW{pile} ngày {day}/10/{year} của Bộ Chính trị"),
                2 => format!("Kế hoạch số {num}{pile}/KH-UBND ngày {day} tháng 9 năm {year}"),
                3 => format!("(ngày {day}{pile}/8) Ngày hội toàn dân {num}"),
                4 => format!("{num}{pile}. Việc cần làm số {num}"),
                _ => format!("Số: {num} /CĐN-TGNC{pile}\nV/v {num}"),
            }
        })
}

fn fake_docx(body: &[u8]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    if z.start_file("word/document.xml", opts).is_ok() {
        let _ = z.write_all(body);
    }
    let _ = z.finish();
    buf.into_inner()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>(), max in 0usize..400) {
        if let Ok(d) = parse(&s) {
            check_summary(&d, max);
        }
    }

    #[test]
    fn vietnamese_like_strings_never_panic(
        s in "[ -~àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐ\\n\\t/\\-.()]{0,400}",
        max in 0usize..300,
    ) {
        if let Ok(d) = parse(&s) {
            check_summary(&d, max);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_bytes(&b);
        let mut pk = b"PK\x03\x04".to_vec();
        pk.extend_from_slice(&b);
        let _ = parse_bytes(&pk);
        let _ = docx_to_text(&b);
    }

    #[test]
    fn mutated_fixtures_never_panic(s in mutated(), max in 0usize..600) {
        if let Ok(d) = parse(&s) {
            check_summary(&d, max);
        }
        if let Ok(d) = parse_bytes(s.as_bytes()) {
            check_summary(&d, max);
        }
    }

    #[test]
    fn digits_of_every_script_and_controls_never_panic(
        lines in prop::collection::vec(exotic_citation(), 1..12),
        s in mutated(),
        max in 0usize..600,
    ) {
        let letter = format!("Kính gửi: Các CĐCS\n{}\n{s}", lines.join("\n"));
        if let Ok(d) = parse(&letter) {
            check_summary(&d, max);
        }
    }

    #[test]
    fn docx_with_arbitrary_xml_never_panics(s in mutated(), junk in prop::collection::vec(any::<u8>(), 0..256)) {
        let xml = format!(
            "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>",
            s.replace('\n', "</w:t></w:r></w:p><w:p><w:r><w:t>")
        );
        let _ = parse_bytes(&fake_docx(xml.as_bytes()));
        let _ = parse_bytes(&fake_docx(&junk));
    }
}

/// Inputs built to trip quadratic behaviour (one giant paragraph, thousands of
/// citations or events without punctuation). Shared with the bench, which times them.
fn pathological(size: usize) -> Vec<(&'static str, String)> {
    let fill = |unit: &dyn Fn(usize) -> String| {
        let mut s = String::from("Kính gửi: Các CĐCS\n");
        let mut i = 0;
        while s.len() < size {
            s.push_str(&unit(i));
            i += 1;
        }
        s
    };
    vec![
        ("one giant line", fill(&|_| "tuyên truyền ".to_owned())),
        (
            "many soft-wrapped lines",
            fill(&|_| "tuyên truyền sâu rộng\n".to_owned()),
        ),
        (
            "short citations",
            fill(&|i| format!("Chỉ thị số {i} của Bộ Chính trị ")),
        ),
        (
            "unique citations and events",
            fill(&|i| format!("Kế hoạch số {i}/KH-UBND ngày 1/1/2020 của Ban (ngày 19/8) ")),
        ),
        (
            "brackets and dates",
            fill(&|_| "((ngày ngày 1/1/ ".to_owned()),
        ),
        (
            "numbered items",
            fill(&|i| format!("{}. Việc\n", i % 99 + 1)),
        ),
    ]
}

/// Almost 1 MB of one kind of trouble each: foreign digits, piled marks, controls.
#[test]
fn a_megabyte_of_exotic_characters_parses() {
    let pieces: Vec<String> = vec![
        digits_in(14, "1234567890", &[]),
        digits_in(1, "٠١٢", &[]) + " ",
        format!("1{}", '\u{0301}'.to_string().repeat(40)),
        "\u{200F}\u{202E}\u{2066}\0\u{0001}".to_string(),
        format!("Luật Công đoàn số {}/2012/QH13 ", digits_in(14, "12", &[])),
        "99999999999999999999999999999999999999/KH-UBND ".to_string(),
    ];
    let max = congdoan_bot::core::directive::MAX_INPUT_BYTES - 8;
    for piece in pieces {
        let mut text = String::from("Kính gửi: Các CĐCS\n");
        while text.len() + piece.len() < max {
            text.push_str(&piece);
        }
        if let Ok(d) = parse(&text) {
            check_summary(&d, 900);
        }
    }
}

#[test]
fn pathological_inputs_parse() {
    for (name, text) in pathological(150_000) {
        let d = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_summary(&d, 4096);
        check_summary(&d, 50);
    }
}
