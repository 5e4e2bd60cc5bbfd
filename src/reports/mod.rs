//! Reports officers can keep or forward: the commitment progress chart (PNG) and
//! exports that open in Excel (.xlsx, and .csv in UTF-8 with a BOM). Rendering only;
//! the rows come from `store::reports`, always scoped to the officer's subtree.

pub mod chart;
pub mod export;

use serde::{Deserialize, Serialize};

/// Largest export sent in chat: its file stays well under Telegram's 50 MB for bots,
/// and building it (in memory, inside the processing transaction) stays short.
pub const CHAT_EXPORT_MAX_ROWS: i64 = 100_000;
/// Largest export from the command line: one Excel sheet holds 1,048,576 rows.
pub const CLI_EXPORT_MAX_ROWS: i64 = 1_000_000;

/// What an officer can export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Members,
    Signatures,
    Tips,
    Deliveries,
}

impl ExportKind {
    pub const ALL: [ExportKind; 4] = [
        ExportKind::Members,
        ExportKind::Signatures,
        ExportKind::Tips,
        ExportKind::Deliveries,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Members => "members",
            ExportKind::Signatures => "signatures",
            ExportKind::Tips => "tips",
            ExportKind::Deliveries => "deliveries",
        }
    }

    pub fn parse(s: &str) -> Option<ExportKind> {
        ExportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s {
            "xlsx" => Some(ExportFormat::Xlsx),
            "csv" => Some(ExportFormat::Csv),
            _ => None,
        }
    }
}
