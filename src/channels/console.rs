//! The terminal channel used by `demo`: no token, no network. Options are shown
//! numbered and answered by typing the number.

use std::io::Write;
use std::sync::{Arc, Mutex};

use super::DeliveryOutcome;
use crate::core::event::Outbound;
use crate::core::text::html_to_plain;

pub type Output = Arc<Mutex<dyn Write + Send>>;

/// Where the demo keeps the files the bot "sends".
const FILES_DIR: &str = "congdoan-demo-files";

fn save_upload(file_name: &str, data_base64: &str) -> Option<std::path::PathBuf> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data_base64)
        .ok()?;
    // The name is ours, but keep it to one plain file name anyway.
    let name = std::path::Path::new(file_name).file_name()?;
    let dir = std::path::Path::new(FILES_DIR);
    std::fs::create_dir_all(dir).ok()?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).ok()?;
    Some(path)
}

pub struct ConsoleTransport {
    pub out: Output,
}

impl ConsoleTransport {
    pub fn stdout() -> Self {
        ConsoleTransport {
            out: Arc::new(Mutex::new(std::io::stdout())),
        }
    }

    pub fn deliver(&self, _chat_id: &str, body: &Outbound) -> DeliveryOutcome {
        let text = match body {
            Outbound::Message { text, .. } | Outbound::Progress { text, .. } => text.clone(),
            Outbound::Edit { text, .. } => format!("✏️ {text}"),
            // The terminal can't hand over a file: name it and show its size.
            Outbound::Document {
                file_name,
                content,
                caption,
            } => format!("📎 {file_name} ({} B)\n{caption}", content.len()),
            Outbound::Media { caption, .. } => format!("🖼 {caption}"),
            // Charts and exports: kept in a folder beside the demo, so they can be opened.
            Outbound::Upload {
                file_name,
                data_base64,
                caption,
                ..
            } => match save_upload(file_name, data_base64) {
                Some(path) => format!("{caption}\n→ {}", path.display()),
                None => format!(
                    "📎 {file_name} (~{} B)\n{caption}",
                    data_base64.len() * 3 / 4
                ),
            },
            Outbound::AnswerCallback { .. } => return DeliveryOutcome::Sent,
        };
        let Ok(mut out) = self.out.lock() else {
            return DeliveryOutcome::Transient("console output poisoned".into());
        };
        let plain = html_to_plain(&text);
        let mut lines = String::new();
        for line in plain.lines() {
            lines.push_str("  │ ");
            lines.push_str(line);
            lines.push('\n');
        }
        match write!(out, "\n🤖\n{lines}").and_then(|_| out.flush()) {
            Ok(()) => DeliveryOutcome::Sent,
            Err(e) => DeliveryOutcome::Transient(e.to_string()),
        }
    }
}
