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

#[test]
fn pathological_inputs_parse() {
    for (name, text) in pathological(150_000) {
        let d = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_summary(&d, 4096);
        check_summary(&d, 50);
    }
}
