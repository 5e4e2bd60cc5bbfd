//! The terminal channel used by `demo`: no token, no network. Options are shown
//! numbered and answered by typing the number.

use std::io::Write;
use std::sync::{Arc, Mutex};

use super::DeliveryOutcome;
use crate::core::event::Outbound;
use crate::core::text::html_to_plain;

pub type Output = Arc<Mutex<dyn Write + Send>>;

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
            Outbound::Upload {
                file_name,
                data_base64,
                caption,
                ..
            } => format!(
                "📎 {file_name} (~{} B)\n{caption}",
                data_base64.len() * 3 / 4
            ),
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
