//! The printable invite poster: a PNG (A4 proportions, 150 dpi wide enough to print)
//! with the QR code of the invite's t.me link, the unit's name, the code in large
//! letters and three short lines on how to join. The QR code comes from the `qrcode`
//! crate (modules only, no image stack); the text is drawn by plotters with the same
//! bundled DejaVu Sans as the charts, so Vietnamese prints the same on any server.

use plotters::prelude::*;
use qrcode::{Color as Module, EcLevel, QrCode};

use super::chart::{ChartError, FAMILY, register, shorten};

pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 1414;
/// Pixels per QR module (a version-4 code of 33 modules plus the quiet zone is 656 px).
const MODULE_PX: u32 = 16;
/// Blank modules around the code, as the standard asks.
const QUIET: u32 = 4;
const QR_TOP: u32 = 300;

/// What the poster says. Every text comes from `locales/` (the caller renders it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poster {
    pub title: String,
    pub unit_name: String,
    /// What the QR code holds: the `https://t.me/<bot>?start=<code>` link (or, without
    /// a known bot username, the code itself).
    pub qr_data: String,
    /// The code as read aloud: `ABCD-EFGH-JKLM`.
    pub code: String,
    /// Three short lines on joining by Telegram and by Zalo.
    pub lines: Vec<String>,
}

/// Draw the poster; returns PNG bytes.
pub fn invite_poster_png(p: &Poster) -> Result<Vec<u8>, ChartError> {
    register();
    let qr = QrCode::with_error_correction_level(p.qr_data.as_bytes(), EcLevel::M)
        .map_err(|e| ChartError::Draw(e.to_string()))?;
    let (w, h) = (WIDTH, HEIGHT);
    let mut pixels = vec![255u8; (w * h * 3) as usize];
    // The QR code first, straight into the buffer: each dark module a black square.
    let modules = qr.width() as u32;
    let side = (modules + 2 * QUIET) * MODULE_PX;
    let scale = if side > w - 80 {
        ((w - 80) / (modules + 2 * QUIET)).max(1)
    } else {
        MODULE_PX
    };
    let side = (modules + 2 * QUIET) * scale;
    let left = (w - side) / 2;
    for (i, c) in qr.to_colors().into_iter().enumerate() {
        if c != Module::Dark {
            continue;
        }
        let (mx, my) = (i as u32 % modules, i as u32 / modules);
        let x0 = left + (mx + QUIET) * scale;
        let y0 = QR_TOP + (my + QUIET) * scale;
        for y in y0..y0 + scale {
            let row = (y * w * 3) as usize;
            for x in x0..x0 + scale {
                let at = row + (x * 3) as usize;
                pixels[at..at + 3].copy_from_slice(&[0, 0, 0]);
            }
        }
    }
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        let draw = |e: DrawingAreaErrorKind<_>| ChartError::Draw(e.to_string());
        let red = RGBColor(196, 30, 36);
        let centered = |text: &str, style: &TextStyle, y: i32| -> Result<(), ChartError> {
            let (tw, _) = root.estimate_text_size(text, style).map_err(draw)?;
            let x = (w as i32 - tw as i32).max(0) / 2;
            root.draw_text(text, style, (x, y)).map_err(draw)
        };
        root.draw(&Rectangle::new([(0, 0), (w as i32, 18)], red.filled()))
            .map_err(draw)?;
        let title = TextStyle::from((FAMILY, 50).into_font()).color(&red);
        centered(&shorten(&p.title, 34), &title, 60)?;
        let unit = TextStyle::from((FAMILY, 36).into_font()).color(&BLACK);
        let (first, second) = two_lines(&p.unit_name, 44);
        centered(&first, &unit, 150)?;
        if let Some(second) = second {
            centered(&shorten(&second, 44), &unit, 200)?;
        }
        let code_y = (QR_TOP + side) as i32 + 10;
        let code = TextStyle::from((FAMILY, 84).into_font()).color(&BLACK);
        centered(&p.code, &code, code_y)?;
        let line = TextStyle::from((FAMILY, 30).into_font()).color(&RGBColor(40, 40, 40));
        for (i, l) in p.lines.iter().take(3).enumerate() {
            centered(&shorten(l, 60), &line, code_y + 130 + 52 * i as i32)?;
        }
        root.draw(&Rectangle::new(
            [(0, h as i32 - 18), (w as i32, h as i32)],
            red.filled(),
        ))
        .map_err(draw)?;
        root.present().map_err(draw)?;
    }
    let mut png_bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(png_bytes)
}

/// A long name on two lines, cut at a word.
fn two_lines(s: &str, max: usize) -> (String, Option<String>) {
    if s.chars().count() <= max {
        return (s.to_string(), None);
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut first = String::new();
    let mut rest = 0;
    for (i, word) in words.iter().enumerate() {
        if !first.is_empty() && first.chars().count() + 1 + word.chars().count() > max {
            break;
        }
        if !first.is_empty() {
            first.push(' ');
        }
        first.push_str(word);
        rest = i + 1;
    }
    if rest == 0 {
        return (shorten(s, max), None);
    }
    let second = words[rest..].join(" ");
    (shorten(&first, max), (!second.is_empty()).then_some(second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_poster_whose_qr_code_reads_back() {
        let link = "https://t.me/congdoan_bot?start=K7QM2XPD9HTR";
        let png = invite_poster_png(&Poster {
            title: "MỜI THAM GIA CÔNG ĐOÀN".into(),
            unit_name: "Công đoàn cơ sở Công ty TNHH May mặc Xuất khẩu Tân Thuận số 2".into(),
            qr_data: link.into(),
            code: "K7QM-2XPD-9HTR".into(),
            lines: vec!["Một".into(), "Hai".into(), "Ba".into()],
        })
        .expect("png");
        // POSTER_OUT=/tmp/poster.png keeps the picture to look at.
        if let Ok(path) = std::env::var("POSTER_OUT") {
            std::fs::write(path, &png).expect("write poster");
        }
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let reader = decoder.read_info().expect("decode");
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
    }

    #[test]
    fn long_names_go_on_two_lines() {
        let (a, b) = two_lines(
            "Công đoàn cơ sở Công ty TNHH May mặc Xuất khẩu Tân Thuận",
            30,
        );
        assert!(a.chars().count() <= 30, "{a}");
        assert!(b.is_some());
        assert_eq!(two_lines("Tổ 1", 30), ("Tổ 1".to_string(), None));
    }
}
