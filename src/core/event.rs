//! Channel-neutral inbound events and outbound replies: what the core speaks.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Telegram,
    Zalo,
    Console,
    /// A Zalo Official Account (OA Open API v3), beside the Zalo Bot Platform's bot.
    #[serde(rename = "zalo_oa")]
    ZaloOa,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Telegram,
        Channel::Zalo,
        Channel::Console,
        Channel::ZaloOa,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Telegram => "telegram",
            Channel::Zalo => "zalo",
            Channel::Console => "console",
            Channel::ZaloOa => "zalo_oa",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "telegram" => Some(Channel::Telegram),
            "zalo" => Some(Channel::Zalo),
            "console" => Some(Channel::Console),
            "zalo_oa" => Some(Channel::ZaloOa),
            _ => None,
        }
    }

    /// Whether the bot can send a file (an .ics calendar) here.
    pub fn can_send_files(self) -> bool {
        !matches!(self, Channel::Zalo | Channel::ZaloOa)
    }

    /// Whether the bot can show an image it made (a chart) here: uploaded on Telegram,
    /// by URL on the Zalo OA (where the processor leaves it out when the bot has no
    /// public https URL for Zalo to fetch it from). Not on the Zalo bot.
    pub fn shows_images(self) -> bool {
        !matches!(self, Channel::Zalo)
    }

    /// Whether the platform shows inline buttons; elsewhere options are numbered text.
    pub fn has_buttons(self) -> bool {
        matches!(self, Channel::Telegram)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChatKind {
    Private,
    Group,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The platform's user id, as a string (Zalo ids are strings).
    pub id: String,
    pub display_name: String,
    pub username: Option<String>,
    /// The platform's language hint (e.g. Telegram's `language_code`).
    pub lang_hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Payload {
    Text {
        text: String,
    },
    Button {
        callback_id: String,
        data: String,
    },
    Location {
        latitude: f64,
        longitude: f64,
    },
    Photo {
        file_id: String,
        caption: Option<String>,
    },
    /// A file (an officer's .txt/.docx directive); fetched by the processor.
    Document {
        file_id: String,
        file_name: Option<String>,
        size: Option<u64>,
    },
    /// An edited message: never re-processed.
    Edited,
    /// Stickers, voice, video, contacts, …: named for logs only.
    Unsupported {
        kind: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundEvent {
    pub channel: Channel,
    /// Unique per channel; the inbox is idempotent on (channel, update_id).
    pub update_id: String,
    pub chat_id: String,
    pub chat_kind: ChatKind,
    pub from: Option<Person>,
    pub payload: Payload,
    /// When the person sent it (UTC epoch ms), by the platform's clock; `None` where the
    /// platform does not say (button presses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    /// At most 64 bytes (Telegram's callback data limit).
    pub data: String,
}

/// One outgoing action. Text is Telegram-style HTML with user text escaped; adapters
/// for plain-text platforms strip the tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outbound {
    Message {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<Button>>,
    },
    AnswerCallback {
        callback_id: String,
        text: Option<String>,
    },
    /// A small generated file (an .ics calendar), sent as a document.
    Document {
        file_name: String,
        content: String,
        caption: String,
    },
    /// A photo or file the platform already holds, named by its file id on the
    /// channel the row is sent on (a tip's photo, a broadcast's attachment).
    Media {
        kind: MediaKind,
        file_id: String,
        /// HTML, like a message's text (Telegram allows 1024 characters).
        caption: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<Button>>,
    },
    /// A message that will be edited later (a broadcast's progress): the sender keeps
    /// the platform's message id.
    Progress {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<Button>>,
    },
    /// Replace the text of the [`Outbound::Progress`] message queued as outbox row `of`.
    /// The sender fills `message_id` in before delivery.
    Edit {
        of: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<Button>>,
    },
    /// A generated binary file (a chart, a spreadsheet), base64 in the outbox row.
    Upload {
        kind: MediaKind,
        file_name: String,
        data_base64: String,
        caption: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Photo,
    Document,
}

/// A reply addressed to a chat on the channel the event came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub chat_id: String,
    pub body: Outbound,
}
