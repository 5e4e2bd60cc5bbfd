//! Commitment progress per child unit as a PNG for phones: one row per unit, its name
//! above a wide bar, the count and percentage beside it. Drawn with plotters on its
//! bitmap backend with DejaVu Sans compiled in (ab_glyph), so Vietnamese diacritics
//! render the same on any server, without system fonts.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

/// Wide enough to read on a phone without zooming; Telegram shows it full width.
pub const WIDTH: u32 = 800;
const TOP: u32 = 96;
const ROW: u32 = 88;
const BOTTOM: u32 = 24;
/// More rows would make the picture too tall to read; the text lists them all.
pub const MAX_BARS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub done: i64,
    pub total: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("png encoding failed: {0}")]
    Png(#[from] png::EncodingError),
}

fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if register_font(FAMILY, FontStyle::Normal, FONT).is_err()
            || register_font(FAMILY, FontStyle::Bold, FONT).is_err()
        {
            tracing::error!("the bundled chart font could not be loaded");
        }
    });
}

/// One commitment's roll-up as a picture: a bar per child unit (the unit itself, first
/// in the roll-up, is the title's), with "12/20 · 60%" in the reader's language. The
/// chat's `/tonghop` and the console's Cam kết draw the same picture.
pub fn rollup_png(
    i18n: &crate::i18n::I18n,
    lang: crate::core::domain::Lang,
    r: &crate::core::conversation::Rollup,
) -> Result<Vec<u8>, ChartError> {
    let bars: Vec<Bar> = r
        .rows
        .iter()
        .skip(1)
        .map(|row| Bar {
            label: row.name.clone(),
            done: row.signed,
            total: row.scope,
        })
        .collect();
    let figure = |done: i64, total: i64| {
        crate::tr!(
            i18n,
            lang,
            "chart-figure",
            done = done,
            total = total,
            pct = crate::core::text::percent(done, total)
        )
    };
    progress_png(&r.title, &bars, figure)
}

/// Height of the picture for `bars` rows.
pub fn height_for(bars: usize) -> u32 {
    TOP + ROW * bars.clamp(1, MAX_BARS) as u32 + BOTTOM
}

/// Draw `title` and one bar per unit (at most [`MAX_BARS`]); returns PNG bytes.
/// `caption_of(done, total)` writes the figure beside each bar ("12/20 · 60%").
pub fn progress_png(
    title: &str,
    bars: &[Bar],
    caption_of: impl Fn(i64, i64) -> String,
) -> Result<Vec<u8>, ChartError> {
    register();
    let bars = &bars[..bars.len().min(MAX_BARS)];
    let (w, h) = (WIDTH, height_for(bars.len()));
    let mut pixels = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        let draw = |e: DrawingAreaErrorKind<_>| ChartError::Draw(e.to_string());
        root.fill(&WHITE).map_err(draw)?;
        let title_style = TextStyle::from((FAMILY, 30).into_font()).color(&BLACK);
        root.draw_text(&shorten(title, 44), &title_style, (24, 28))
            .map_err(draw)?;
        let label_style = TextStyle::from((FAMILY, 24).into_font()).color(&RGBColor(40, 40, 40));
        let figure_style = TextStyle::from((FAMILY, 22).into_font()).color(&BLACK);
        let track = RGBColor(230, 233, 240);
        let full = 560i32;
        for (i, bar) in bars.iter().enumerate() {
            let y = (TOP + ROW * i as u32) as i32;
            root.draw_text(&shorten(&bar.label, 48), &label_style, (24, y))
                .map_err(draw)?;
            let pct = if bar.total > 0 {
                (bar.done.clamp(0, bar.total) as f64 / bar.total as f64).min(1.0)
            } else {
                0.0
            };
            let (x0, y0, y1) = (24, y + 32, y + 60);
            root.draw(&Rectangle::new([(x0, y0), (x0 + full, y1)], track.filled()))
                .map_err(draw)?;
            let color = if pct >= 0.8 {
                RGBColor(46, 139, 87)
            } else if pct >= 0.5 {
                RGBColor(230, 160, 30)
            } else {
                RGBColor(200, 60, 50)
            };
            let len = (full as f64 * pct).round() as i32;
            if len > 0 {
                root.draw(&Rectangle::new([(x0, y0), (x0 + len, y1)], color.filled()))
                    .map_err(draw)?;
            }
            root.draw_text(
                &caption_of(bar.done, bar.total),
                &figure_style,
                (x0 + full + 14, y0 + 2),
            )
            .map_err(draw)?;
        }
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

/// Cut a long unit name at a word with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_png_of_the_expected_size() {
        let bars = vec![
            Bar {
                label: "Tổ tự quản nhà trọ số 1".into(),
                done: 3,
                total: 4,
            },
            Bar {
                label: "Công đoàn cơ sở Công ty May ABC — một cái tên rất dài để cắt".into(),
                done: 0,
                total: 0,
            },
        ];
        let png = progress_png("Cam kết an toàn", &bars, |d, t| format!("{d}/{t}")).expect("png");
        // CHART_OUT=/tmp/chart.png keeps the picture to look at.
        if let Ok(path) = std::env::var("CHART_OUT") {
            std::fs::write(path, &png).expect("write chart");
        }
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let reader = decoder.read_info().expect("decode");
        assert_eq!(reader.info().width, WIDTH);
        assert_eq!(reader.info().height, height_for(2));
    }

    #[test]
    fn long_names_are_cut_at_a_word() {
        assert_eq!(shorten("Tổ 1", 10), "Tổ 1");
        let s = shorten("Công đoàn cơ sở Công ty May ABC", 20);
        assert!(s.ends_with('…') && s.chars().count() <= 20, "{s}");
    }
}
