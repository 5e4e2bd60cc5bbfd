//! Reports officers can keep or forward: the commitment progress chart (PNG) and
//! exports that open in Excel (.xlsx, and .csv in UTF-8 with a BOM). Rendering only;
//! the rows come from `store::reports`, always scoped to the officer's subtree.

pub mod chart;
pub mod docx;
pub mod export;
pub mod poster;

/// Largest export sent in chat: its file stays well under Telegram's 50 MB for bots,
/// and building it (in memory, inside the processing transaction) stays short.
pub const CHAT_EXPORT_MAX_ROWS: i64 = 100_000;
/// Largest export from the command line: one Excel sheet holds 1,048,576 rows.
pub const CLI_EXPORT_MAX_ROWS: i64 = 1_000_000;

pub use crate::core::export::{ExportFormat, ExportKind};
