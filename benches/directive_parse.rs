//! `cargo bench --bench directive_parse`: microseconds per document for each fixture
//! and for a ~900 KB synthetic document. Plain `Instant` timing (harness = false).

use std::hint::black_box;
use std::time::Instant;

use congdoan_bot::core::directive::{SummaryLabels, parse};

/// The two real letters, copied into the repository (public documents).
const FIXTURE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/directives");
const FIXTURES: &[&str] = &[
    "caobang-bien-gioi-2016.txt",
    "tld-phong-trao-bao-ve-an-ninh-to-quoc.txt",
];

fn time(name: &str, text: &str, iterations: u32) {
    // Warm up (regexes are compiled on first use).
    let _ = black_box(parse(black_box(text)));
    let start = Instant::now();
    let mut ok = 0u32;
    for _ in 0..iterations {
        if black_box(parse(black_box(text))).is_ok() {
            ok += 1;
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
    println!(
        "{name:<48} {:>8} bytes {iterations:>6} runs {per:>12.1} µs/doc (ok {ok})",
        text.len()
    );
}

/// A ~`target`-byte letter: one header, then the fixtures' bodies (without their
/// "Kính gửi" lists and "Nơi nhận" tails) repeated, each with a new citation.
fn synthetic(fixtures: &[String], target: usize) -> String {
    let bodies: Vec<String> = fixtures
        .iter()
        .map(|f| {
            let start = f
                .find("Thực hiện")
                .or_else(|| f.find("Căn cứ"))
                .unwrap_or(0);
            let end = f.find("Nơi nhận").unwrap_or(f.len());
            f[start..end].to_owned()
        })
        .collect();
    let mut out = String::with_capacity(target + 8192);
    out.push_str(
        "TỔNG LĐLĐ VIỆT NAM\nCÔNG ĐOÀN NGÂN HÀNG VIỆT NAM\nSố:  175  /CĐN-TGNC\n\
         Hà Nội, ngày 15 tháng 3 năm 2016\nV/v triển khai phong trào\n\n\
         Kính gửi:\n- Các Công đoàn cơ sở trực thuộc;\n\n",
    );
    let mut i = 0usize;
    while out.len() < target {
        out.push_str(&bodies[i % bodies.len()]);
        out.push_str(&format!(
            "\nThực hiện Kế hoạch số {i}/KH-LĐLĐ ngày {}/{}/2021 của LĐLĐ tỉnh; Chỉ thị số {i}.\n\n",
            i % 28 + 1,
            i % 12 + 1
        ));
        i += 1;
    }
    while out.len() > target {
        out.pop();
    }
    out
}

// The same generator as tests/directive_fuzz.rs.
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

fn main() {
    let texts: Vec<String> = FIXTURES
        .iter()
        .map(|f| {
            std::fs::read_to_string(format!("{FIXTURE_DIR}/{f}"))
                .unwrap_or_else(|e| panic!("read fixture {f}: {e}"))
        })
        .collect();
    for (name, text) in FIXTURES.iter().zip(&texts) {
        time(name, text, 2000);
    }
    for (name, text) in pathological(900 * 1024) {
        time(&format!("pathological: {name}"), &text, 3);
    }
    let big = synthetic(&texts, 900 * 1024);
    time("synthetic 900 KB", &big, 10);
    let labels = SummaryLabels {
        actions: "Việc cần làm",
        dates: "Mốc thời gian",
        report: "Báo cáo",
    };
    if let Ok(d) = parse(&big) {
        let start = Instant::now();
        let s = black_box(d.summary(&labels, 2000));
        println!(
            "{:<48} {} citations, {} actions, summary {} chars in {:.1} µs",
            "synthetic 900 KB facts",
            d.citations.len(),
            d.actions.len(),
            s.chars().count(),
            start.elapsed().as_secs_f64() * 1e6
        );
    }
}
