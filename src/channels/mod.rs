//! Platform adapters. Each turns platform updates into [`InboundEvent`]s for the inbox
//! and delivers [`Outbound`] messages for the sender.
//!
//! [`InboundEvent`]: crate::core::event::InboundEvent
//! [`Outbound`]: crate::core::event::Outbound

pub mod console;
pub mod telegram;
pub mod zalo;
pub mod zalo_oa;

use std::time::Duration;

use crate::core::event::{Channel, Outbound};

/// What a platform said about one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Sent,
    /// Sent, and the platform's message id is worth keeping (to edit it later).
    SentId(String),
    /// Flood control: wait this long (applies to the whole bot).
    RetryAfter(Duration),
    /// Blocked by the user, account deleted, chat gone.
    Unreachable(String),
    /// 5xx, timeout, connection reset: try again later.
    Transient(String),
    /// The request itself is wrong: retrying can't help.
    Permanent(String),
    /// The platform's sending quota is used up (Zalo's 429): nothing can go out on this
    /// channel for a while. The sender pauses the whole channel and keeps the message.
    QuotaExceeded(String),
    /// Zalo OA: the member is outside the free 48-hour window (and paid sending is off
    /// or used up): the message waits for them to write; not an attempt, not a failure.
    OutsideWindow(String),
}

pub enum Transport {
    Telegram(telegram::TelegramTransport),
    Console(console::ConsoleTransport),
    Zalo(zalo::ZaloTransport),
    ZaloOa(Box<zalo_oa::ZaloOaTransport>),
}

impl Transport {
    pub fn channel(&self) -> Channel {
        match self {
            Transport::Telegram(_) => Channel::Telegram,
            Transport::Console(_) => Channel::Console,
            Transport::Zalo(_) => Channel::Zalo,
            Transport::ZaloOa(_) => Channel::ZaloOa,
        }
    }

    pub async fn deliver(&self, chat_id: &str, body: &Outbound) -> DeliveryOutcome {
        match self {
            Transport::Telegram(t) => t.deliver(chat_id, body).await,
            Transport::Console(t) => t.deliver(chat_id, body),
            Transport::Zalo(t) => t.deliver(chat_id, body).await,
            Transport::ZaloOa(t) => t.deliver(chat_id, body).await,
        }
    }

    /// Download a file a person sent, at most `max_bytes`.
    pub async fn fetch_file(&self, file_id: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
        match self {
            Transport::Telegram(t) => t.fetch_file(file_id, max_bytes).await,
            // A Zalo file id is the photo's URL on Zalo's CDN.
            Transport::Zalo(t) => t
                .client
                .download_photo(file_id, max_bytes)
                .await
                .map_err(|o| format!("{o:?}")),
            Transport::Console(_) | Transport::ZaloOa(_) => {
                Err("this channel does not hand over files".into())
            }
        }
    }
}
