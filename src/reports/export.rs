//! Tables written as .xlsx (rust_xlsxwriter: a maintained, pure-Rust writer) or as
//! .csv in UTF-8 with a byte-order mark, which is what makes Excel on Windows show
//! Vietnamese correctly.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{ExportFormat, ExportKind};

/// One sheet: a header row and rows of cells (text or whole numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub sheet: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map(Cell::Text).unwrap_or(Cell::Empty)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("xlsx: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
}

/// Written in rust_xlsxwriter's constant-memory mode: each row goes to a temporary file
/// as it is written instead of staying in memory until the save (`cargo bench --bench
/// export` gives the peak memory of a 100,000-row export).
pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory();
    // Excel allows 31 characters and no []:*?/\ in a sheet name.
    let name: String = table
        .sheet
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(if name.is_empty() { "Sheet1" } else { &name })?;
    // Autofit needs the rows in memory; widths are measured here instead (characters,
    // within 8..=50 so a long description does not push the rest off a phone screen).
    for (col, header) in table.headers.iter().enumerate() {
        let widest = table
            .rows
            .iter()
            .filter_map(|row| match row.get(col) {
                Some(Cell::Text(s)) => Some(s.chars().count()),
                Some(Cell::Int(n)) => Some(n.to_string().len()),
                _ => None,
            })
            .chain([header.chars().count() + 2])
            .max()
            .unwrap_or(8);
        sheet.set_column_width(col as u16, widest.clamp(8, 50) as f64)?;
    }
    let bold = Format::new().set_bold();
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                // Always a string cell: a name starting with "=" stays a name.
                Cell::Text(s) => sheet.write_string(r, col, s)?,
                Cell::Int(n) => sheet.write_number(r, col, *n as f64)?,
                Cell::Empty => sheet,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(book.save_to_buffer()?)
}

pub fn to_csv(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(&table.headers)?;
        for row in &table.rows {
            w.write_record(row.iter().map(csv_field))?;
        }
        w.flush().map_err(csv::Error::from)?;
    }
    Ok(out)
}

/// Text that Excel would read as a formula (=, +, -, @, tab, CR first) gets a leading
/// apostrophe: names and descriptions come from chat users.
fn csv_field(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        Cell::Text(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Empty => String::new(),
    }
}

/// "doan-vien-CDCS-ABC-2026-11-24.xlsx": ASCII, so every phone and mail client keeps it.
pub fn file_name(what: ExportKind, unit_code: &str, now_ms: i64, format: ExportFormat) -> String {
    let what = match what {
        ExportKind::Members => "doan-vien",
        ExportKind::Signatures => "chu-ky-cam-ket",
        ExportKind::Tips => "tin-bao",
        ExportKind::Deliveries => "bao-cao-gui-tin",
    };
    let unit: String = unit_code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    let date = crate::core::time::to_utc(now_ms)
        .map(|t| {
            t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default();
    format!("{what}-{unit}-{date}.{}", format.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            sheet: "Đoàn viên".into(),
            headers: vec!["Họ tên".into(), "Số".into()],
            rows: vec![
                vec!["Nguyễn Thị Hoa".into(), Cell::Int(3)],
                vec!["=HYPERLINK(\"x\")".into(), Cell::Empty],
            ],
        }
    }

    #[test]
    fn csv_has_a_bom_and_defuses_formulas() {
        let bytes = to_csv(&table()).expect("csv");
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(text.contains("Nguyễn Thị Hoa,3"), "{text}");
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
    }

    #[test]
    fn xlsx_is_a_zip() {
        let bytes = to_xlsx(&table()).expect("xlsx");
        assert!(bytes.starts_with(b"PK"));
    }
}
