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

pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // Excel allows 31 characters and no []:*?/\ in a sheet name.
    let name: String = table
        .sheet
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(if name.is_empty() { "Sheet1" } else { &name })?;
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
    sheet.autofit();
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
