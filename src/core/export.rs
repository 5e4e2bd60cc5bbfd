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

impl ExportKind {
    /// The message id of the sheet's name.
    pub fn sheet_id(self) -> &'static str {
        match self {
            ExportKind::Members => "export-sheet-members",
            ExportKind::Signatures => "export-sheet-signatures",
            ExportKind::Tips => "export-sheet-tips",
            ExportKind::Deliveries => "export-sheet-deliveries",
        }
    }

    /// The message ids of the columns, in the order the store writes the cells.
    pub fn column_ids(self) -> &'static [&'static str] {
        match self {
            ExportKind::Members => &[
                "export-col-unit-code",
                "export-col-unit",
                "export-col-name",
                "export-col-role",
                "export-col-telegram",
                "export-col-zalo",
                "export-col-joined",
                "export-col-reachable",
            ],
            ExportKind::Signatures => &[
                "export-col-commitment",
                "export-col-version",
                "export-col-current",
                "export-col-name",
                "export-col-unit",
                "export-col-signed-at",
                "export-col-channel",
            ],
            ExportKind::Tips => &[
                "export-col-receipt",
                "export-col-category",
                "export-col-status",
                "export-col-unit",
                "export-col-handler",
                "export-col-reported-at",
                "export-col-acknowledged-at",
                "export-col-resolved-at",
                "export-col-description",
                "export-col-place",
                "export-col-when",
                "export-col-reporter",
                "export-col-resolution",
            ],
            ExportKind::Deliveries => &[
                "export-col-broadcast",
                "export-col-created-at",
                "export-col-started-at",
                "export-col-finished-at",
                "export-col-unit",
                "export-col-author",
                "export-col-text",
                "export-col-total",
                "export-col-sent",
                "export-col-failed",
                "export-col-unreachable",
                "export-col-cancelled",
                "export-col-status",
            ],
        }
    }
}
