//! Exact facts for the two real fixtures and the seed corpus of messy inputs.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use congdoan_bot::core::directive::{
    Directive, DocRef, EventDate, ParseError, SummaryLabels, parse, parse_bytes,
};

/// The two real letters, copied into the repository (public documents).
const FIXTURE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/directives");

fn fixture(name: &str) -> Directive {
    let path = Path::new(FIXTURE_DIR).join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/directive")
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn cite(kind: &str, number: &str, d: Option<NaiveDate>, issuer: Option<&str>) -> DocRef {
    DocRef {
        kind: kind.into(),
        number: number.into(),
        date: d,
        issuer: issuer.map(Into::into),
    }
}

fn first_words(actions: &[String], n: usize) -> Vec<String> {
    actions
        .iter()
        .map(|a| a.split_whitespace().take(n).collect::<Vec<_>>().join(" "))
        .collect()
}

const LABELS: SummaryLabels<'static> = SummaryLabels {
    actions: "Việc cần làm",
    dates: "Mốc thời gian",
    report: "Báo cáo",
};

#[test]
fn caobang_fixture_facts() {
    let d = fixture("caobang-bien-gioi-2016.txt");
    assert_eq!(d.own, None);
    assert_eq!(d.issuer, None);
    assert_eq!(d.place.as_deref(), Some("Cao Bằng"));
    assert_eq!(d.date, date(2016, 3, 15));
    assert_eq!(
        d.subject.as_deref(),
        Some(
            "Về việc tổ chức phong trào toàn dân bảo vệ chủ quyền lãnh thổ, an ninh biên giới quốc gia trong tình hình mới"
        )
    );
    assert_eq!(
        d.addressees,
        vec![
            "Các Liên đoàn Lao động huyện, thành phố",
            "Các Công đoàn ngành, Công đoàn Viên chức tỉnh",
            "Các Công đoàn cơ sở trực thuộc",
            "Các Công đoàn TW đóng tại địa phương",
        ]
    );
    assert_eq!(
        d.citations,
        vec![
            cite(
                "Chỉ thị",
                "01/CT-TTg",
                date(2015, 1, 9),
                Some("Thủ Tướng Chính phủ")
            ),
            // "Uỷ Ban" is normalised to the one tone placement used everywhere: "Ủy Ban".
            cite(
                "Kế hoạch",
                "414/KH-UBND",
                date(2016, 3, 7),
                Some("Ủy Ban nhân dân tỉnh Cao Bằng")
            ),
        ]
    );
    assert_eq!(d.actions.len(), 4);
    assert_eq!(
        first_words(&d.actions, 3),
        vec![
            "Tiếp tục tuyên",
            "Căn cứ nhiệm",
            "Công đoàn phối",
            "Xây dựng mô",
        ]
    );
    assert!(d.actions[3].ends_with("các vụ việc phức tập xảy ra."));
    // Whitespace collapsed ("tổ chức  phong trào" in the source).
    assert!(d.actions[2].contains("tổ chức phong trào"));
    assert_eq!(d.events, vec![]);
    assert_eq!(
        d.reporting.as_deref(),
        Some(
            "Căn cứ các nội dung trên, các cấp Công đoàn xây dựng kế hoạch hoạt động cụ thể phù hợp với tình hình thực tiễn của địa phương, ngành, đơn vị, cơ sở thường xuyên báo cáo kết quả thực hiện về Liên đoàn Lao động tỉnh qua Ban Tuyên giáo-Nữ công."
        )
    );
}

#[test]
fn tld_fixture_facts() {
    let d = fixture("tld-phong-trao-bao-ve-an-ninh-to-quoc.txt");
    assert_eq!(d.own, None);
    assert_eq!(d.issuer, None);
    assert_eq!(d.place, None);
    assert_eq!(d.date, None);
    assert_eq!(d.subject, None);
    assert_eq!(
        d.addressees,
        vec![
            "Các LĐLĐ tỉnh, thành phố",
            "Các Công đoàn ngành Trung ương",
            "Các Công đoàn Tổng công ty trực thuộc Tổng Liên đoàn",
        ]
    );
    assert_eq!(
        d.citations,
        vec![
            cite(
                "Chỉ thị",
                "48-CT/TW",
                date(2010, 10, 22),
                Some("Bộ Chính trị")
            ),
            cite("Nghị quyết", "09/CP", None, None),
            cite(
                "Kế hoạch",
                "92/KH-BCĐ 138/CP",
                date(2012, 4, 23),
                Some("Ban chỉ đạo 138/CP")
            ),
            cite(
                "Kết luận",
                "86-KL/TW",
                date(2010, 11, 5),
                Some("Bộ Chính trị")
            ),
            cite(
                "Chỉ thị",
                "05-CT/TW",
                date(2006, 10, 14),
                Some("Bộ Chính trị")
            ),
            cite("Chỉ thị", "09-CT/TW", date(2011, 12, 1), Some("Ban Bí thư")),
        ]
    );
    assert_eq!(d.actions.len(), 5);
    assert_eq!(
        first_words(&d.actions, 3),
        vec![
            "Căn cứ vào",
            "Công đoàn phối",
            "Xây dựng mô",
            "Các cơ quan,",
            "Phối hợp với",
        ]
    );
    assert!(d.actions[4].ends_with("trong công tác đảm bảo an ninh trật tự."));
    assert_eq!(
        d.events,
        vec![EventDate {
            label: "Ngày hội toàn dân bảo vệ an ninh Tổ quốc".into(),
            day: 19,
            month: 8,
            year: None,
        }]
    );
    assert_eq!(
        d.reporting.as_deref(),
        Some(
            "Căn cứ nội dung hướng dẫn trên, các cấp công đoàn xây dựng kế hoạch hoạt động cho phù hợp với tình hình thực tiễn của từng đơn vị, thường xuyên báo cáo kết quả thực hiện về Công đoàn NHVN qua Ban Tuyên giáo."
        )
    );
}

#[test]
fn fixture_summaries_fit_phones() {
    for name in [
        "caobang-bien-gioi-2016.txt",
        "tld-phong-trao-bao-ve-an-ninh-to-quoc.txt",
    ] {
        let d = fixture(name);
        for max in [0, 1, 10, 60, 160, 500, 2000, 4096] {
            let s = d.summary(&LABELS, max);
            assert!(s.chars().count() <= max, "{name} {max}: {s}");
        }
        let s = d.summary(&LABELS, 2000);
        assert!(s.contains("Việc cần làm:"), "{s}");
        assert!(s.contains("báo cáo kết quả thực hiện về"), "{s}");
    }
    let s = fixture("tld-phong-trao-bao-ve-an-ninh-to-quoc.txt").summary(&LABELS, 2000);
    assert!(
        s.contains("Mốc thời gian: 19/8 Ngày hội toàn dân bảo vệ an ninh Tổ quốc"),
        "{s}"
    );
    assert!(s.contains("\n5. Phối hợp với các ban ngành"), "{s}");
}

#[test]
fn json_round_trip() {
    let d = fixture("tld-phong-trao-bao-ve-an-ninh-to-quoc.txt");
    let json = serde_json::to_string(&d).expect("serialize");
    assert!(json.contains(r#""date":"2010-10-22""#));
    let back: Directive = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, d);
}

/// The facts of tests/corpus/directive/messy-letter.* (txt, docx, BOM+CRLF+NFD).
fn assert_messy_letter(d: &Directive, file: &str) {
    let own = d.own.as_ref().expect("own number");
    assert_eq!(
        (own.kind.as_str(), own.number.as_str()),
        ("Công văn", "175/CĐN-TGNC"),
        "{file}"
    );
    assert_eq!(own.date, date(2021, 8, 6), "{file}");
    assert_eq!(
        d.issuer.as_deref(),
        Some("CÔNG ĐOÀN NGÂN HÀNG VIỆT NAM"),
        "{file}"
    );
    assert_eq!(d.place.as_deref(), Some("Hà Nội"), "{file}");
    assert_eq!(d.date, date(2021, 8, 6), "{file}");
    assert_eq!(
        d.subject.as_deref(),
        Some("V/v triển khai Chỉ thị số 01/CT-TTG và phong trào bảo vệ an ninh Tổ quốc"),
        "{file}"
    );
    assert_eq!(
        d.addressees,
        vec![
            "Các Công đoàn cơ sở trực thuộc",
            "Ban Thường vụ Công đoàn các Tổng công ty"
        ],
        "{file}"
    );
    assert_eq!(
        d.citations,
        vec![
            cite("Chỉ thị", "01/CT-TTg", None, None),
            cite(
                "Chỉ thị",
                "27-CT/TW",
                date(2019, 1, 10),
                Some("Bộ Chính trị")
            ),
            cite("Chỉ thị", "09-CT/TW", date(2011, 12, 1), Some("Ban Bí thư")),
            cite(
                "Kế hoạch",
                "68/KH-UBND",
                date(2021, 12, 3),
                Some("Ủy ban nhân dân tỉnh")
            ),
            cite(
                "Kế hoạch",
                "63/KH-LĐLĐ",
                date(2021, 6, 12),
                Some("LĐLĐ tỉnh")
            ),
            cite(
                "Thông tư",
                "124/2021/TT-BCA",
                date(2021, 9, 24),
                Some("Bộ Công an")
            ),
            cite("Kế hoạch", "185-KH/TU", None, Some("Ban Thường vụ Tỉnh ủy")),
            cite("Kết luận", "86-KL/TW", None, None),
            cite(
                "Chỉ thị",
                "37-CT/TW",
                date(2019, 10, 22),
                Some("Bộ Chính trị")
            ),
            cite("Luật", "91/2025/QH15", None, None),
        ],
        "{file}"
    );
    assert_eq!(
        first_words(&d.actions, 2),
        vec!["Quán triệt", "Tổ chức", "Hưởng ứng"],
        "{file}"
    );
    assert!(d.actions[1].ends_with("- Ký cam kết thi đua."), "{file}");
    assert_eq!(
        d.events,
        vec![
            EventDate {
                label: "Ngày hội toàn dân bảo vệ an ninh Tổ quốc".into(),
                day: 19,
                month: 8,
                year: None
            },
            EventDate {
                label: "Tháng hành động vì an toàn, vệ sinh lao động".into(),
                day: 1,
                month: 5,
                year: None
            },
        ],
        "{file}"
    );
    assert_eq!(
        d.reporting.as_deref(),
        Some(
            "Các đơn vị thường xuyên báo cáo kết quả về Công đoàn Ngân hàng Việt Nam (qua Ban Tuyên giáo - Nữ công) trước ngày 15/12/2021."
        ),
        "{file}"
    );
}

/// Every corpus file must be listed here with its expected outcome.
const CORPUS: &[(&str, Result<(), ParseError>)] = &[
    ("messy-letter.txt", Ok(())),
    ("messy-letter.docx", Ok(())),
    ("messy-letter-crlf-bom-nfd.txt", Ok(())),
    ("recipe-canh-chua.txt", Err(ParseError::NotADirective)),
    ("empty.txt", Err(ParseError::Empty)),
    ("whitespace-only.txt", Err(ParseError::Empty)),
    ("junk.bin", Err(ParseError::NotText)),
    ("fake-docx.docx", Err(ParseError::NotText)),
    // Once stopped the bot: a 3-byte digit in a law's number (see the assertions below).
    ("full-width-digits-law.txt", Ok(())),
];

#[test]
fn corpus_outcomes() {
    let dir = corpus_dir();
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("corpus dir") {
        let path = entry.expect("dir entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name")
            .to_owned();
        let Some((_, want)) = CORPUS.iter().find(|(n, _)| *n == name) else {
            panic!("corpus file {name} has no expected outcome in CORPUS");
        };
        let bytes = std::fs::read(&path).expect("read corpus file");
        let got = parse_bytes(&bytes);
        match (want, &got) {
            (Ok(()), Ok(d)) => {
                if name.starts_with("messy-letter") {
                    assert_messy_letter(d, &name);
                }
                if name == "full-width-digits-law.txt" {
                    let numbers: Vec<&str> =
                        d.citations.iter().map(|c| c.number.as_str()).collect();
                    assert_eq!(numbers, ["12/2012/QH13", "48-CT/TW", "414/KH-UBND"]);
                    assert!(
                        d.events.iter().any(|e| (e.day, e.month) == (19, 8)),
                        "{:?}",
                        d.events
                    );
                }
                for max in [0, 5, 40, 300, 4096] {
                    assert!(d.summary(&LABELS, max).chars().count() <= max);
                }
            }
            (Err(w), Err(g)) => assert_eq!(w, g, "{name}"),
            _ => panic!("{name}: expected {want:?}, got {got:?}"),
        }
        // Text files give the same answer through parse().
        if let Ok(text) = std::str::from_utf8(&bytes)
            && !name.ends_with(".docx")
            && !text.starts_with('\u{FEFF}')
        {
            assert_eq!(parse(text).map(|_| ()), want.clone(), "{name} via parse");
        }
        seen.push(name);
    }
    for (n, _) in CORPUS {
        assert!(seen.iter().any(|s| s == n), "corpus file {n} is missing");
    }
}
