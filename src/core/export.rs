//! What an officer can export, and in which format: decided by the core, written by
//! `reports::export` (the core does no I/O and does not depend on the writers).

use serde::{Deserialize, Serialize};

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
