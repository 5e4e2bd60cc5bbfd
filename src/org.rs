//! Reading the union tree from CSV (`code,parent_code,name,kind`). The whole file is
//! checked before anything is written; errors name the line.

use std::collections::HashSet;
use std::io::Read;

use crate::core::domain::UnitCode;
use crate::store::units::UnitRecord;

pub const MAX_CSV_BYTES: u64 = 64 * 1024 * 1024;
const MAX_NAME_CHARS: usize = 300;
const MAX_KIND_CHARS: usize = 60;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrgCsvError {
    #[error("file too large")]
    TooLarge,
    #[error("missing columns: {0}")]
    MissingColumns(String),
    #[error("line {line}: {message}")]
    Unreadable { line: u64, message: String },
    #[error("line {line}: bad unit code {value:?}")]
    BadCode { line: u64, value: String },
    #[error("line {line}: bad parent code {value:?}")]
    BadParent { line: u64, value: String },
    #[error("line {line}: empty or too long name")]
    BadName { line: u64 },
    #[error("line {line}: empty or too long kind")]
    BadKind { line: u64 },
    #[error("line {line}: unit {code} appears twice")]
    Duplicate { line: u64, code: String },
    #[error("line {line}: unit {code} is its own parent")]
    OwnParent { line: u64, code: String },
    #[error("the file has no units")]
    Empty,
}

pub fn parse_units_csv(reader: impl Read) -> Result<Vec<UnitRecord>, OrgCsvError> {
    let mut limited = reader.take(MAX_CSV_BYTES + 1);
    let mut bytes = Vec::new();
    limited
        .read_to_end(&mut bytes)
        .map_err(|e| OrgCsvError::Unreadable {
            line: 0,
            message: e.to_string(),
        })?;
    if bytes.len() as u64 > MAX_CSV_BYTES {
        return Err(OrgCsvError::TooLarge);
    }
    // Excel writes a BOM; strip it so the first header is "code".
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(body);
    let headers = rdr
        .headers()
        .map_err(|e| OrgCsvError::Unreadable {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(c_code), Some(c_parent), Some(c_name), Some(c_kind)) =
        (col("code"), col("parent_code"), col("name"), col("kind"))
    else {
        let missing: Vec<&str> = ["code", "parent_code", "name", "kind"]
            .into_iter()
            .filter(|n| col(n).is_none())
            .collect();
        return Err(OrgCsvError::MissingColumns(missing.join(", ")));
    };

    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for record in rdr.records() {
        let record = record.map_err(|e| OrgCsvError::Unreadable {
            line: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let code = UnitCode::parse(field(c_code)).map_err(|_| OrgCsvError::BadCode {
            line,
            value: field(c_code).to_string(),
        })?;
        let parent = match field(c_parent) {
            "" => None,
            p => Some(UnitCode::parse(p).map_err(|_| OrgCsvError::BadParent {
                line,
                value: p.to_string(),
            })?),
        };
        let name = field(c_name)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(OrgCsvError::BadName { line });
        }
        let kind = field(c_kind).to_string();
        if kind.is_empty() || kind.chars().count() > MAX_KIND_CHARS {
            return Err(OrgCsvError::BadKind { line });
        }
        if parent.as_ref() == Some(&code) {
            return Err(OrgCsvError::OwnParent {
                line,
                code: code.to_string(),
            });
        }
        if !seen.insert(code.clone()) {
            return Err(OrgCsvError::Duplicate {
                line,
                code: code.to_string(),
            });
        }
        out.push(UnitRecord {
            code,
            parent,
            name,
            kind,
        });
    }
    if out.is_empty() {
        return Err(OrgCsvError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_tree_with_bom_and_any_column_order() {
        let csv = "\u{feff}name,code,kind,parent_code\nTổng LĐLĐ,TLD,tong,\n LĐLĐ  Hà Nội ,HN,tinh,TLD\n\n";
        let units = parse_units_csv(csv.as_bytes()).unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[1].name, "LĐLĐ Hà Nội");
        assert_eq!(units[1].parent.as_ref().map(|p| p.as_str()), Some("TLD"));
    }

    #[test]
    fn refuses_bad_files_with_the_line() {
        assert_eq!(
            parse_units_csv("code,name\nA,B\n".as_bytes()),
            Err(OrgCsvError::MissingColumns("parent_code, kind".into()))
        );
        assert!(matches!(
            parse_units_csv("code,parent_code,name,kind\nA,,X,k\nA,,Y,k\n".as_bytes()),
            Err(OrgCsvError::Duplicate { line: 3, .. })
        ));
        assert!(matches!(
            parse_units_csv("code,parent_code,name,kind\nmã sai,,X,k\n".as_bytes()),
            Err(OrgCsvError::BadCode { line: 2, .. })
        ));
        assert!(matches!(
            parse_units_csv("code,parent_code,name,kind\nA,A,X,k\n".as_bytes()),
            Err(OrgCsvError::OwnParent { .. })
        ));
        assert!(matches!(
            parse_units_csv("code,parent_code,name,kind\nA,,,k\n".as_bytes()),
            Err(OrgCsvError::BadName { line: 2 })
        ));
        assert_eq!(
            parse_units_csv("code,parent_code,name,kind\n".as_bytes()),
            Err(OrgCsvError::Empty)
        );
        assert!(parse_units_csv(&[0xff, 0xfe, 0x00, 0x41][..]).is_err());
    }
}
