//! Telegram through teloxide's Bot API client: update normalisation, long polling with
//! the durable inbox in front (the offset moves only after updates are stored), the
//! webhook body parser, and the transport the sender uses.

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ParseMode,
    Update, UpdateKind, User,
};
use teloxide::{ApiError, RequestError};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::DeliveryOutcome;
use crate::core::event::{
    Button, Channel, ChatKind, InboundEvent, MediaKind, Outbound, Payload, Person,
};
use crate::core::text::split_message;
use crate::store::Store;

pub const MAX_MESSAGE_CHARS: usize = 4096;
pub const MAX_CAPTION_CHARS: usize = 1024;

pub fn make_bot(token: &str, api_url: Option<&str>) -> anyhow::Result<Bot> {
    let mut bot = Bot::new(token);
    if let Some(url) = api_url {
        bot = bot.set_api_url(url.parse()?);
    }
    Ok(bot)
}

fn person(u: &User) -> Person {
    Person {
        id: u.id.0.to_string(),
        // Names are shown to officers and stored: keep them to a sane length.
        display_name: crate::core::text::shorten(&u.full_name(), 128),
        username: u.username.clone(),
        lang_hint: u.language_code.clone(),
    }
}

/// Turn a Telegram update into our event; `None` for kinds the bot ignores
/// (channel posts, reactions, member updates, …).
pub fn normalize(update: &Update) -> Option<InboundEvent> {
    let update_id = update.id.0.to_string();
    let (msg, edited) = match &update.kind {
        UpdateKind::Message(m) => (m, false),
        UpdateKind::EditedMessage(m) => (m, true),
        UpdateKind::CallbackQuery(q) => {
            let (chat_id, chat_kind) = match &q.message {
                Some(m) => (
                    m.chat().id.0.to_string(),
                    if m.chat().is_private() {
                        ChatKind::Private
                    } else {
                        ChatKind::Group
                    },
                ),
                // Inaccessible or inline: the private chat with the presser.
                None => (q.from.id.0.to_string(), ChatKind::Private),
            };
            return Some(InboundEvent {
                channel: Channel::Telegram,
                update_id,
                chat_id,
                chat_kind,
                from: Some(person(&q.from)),
                payload: Payload::Button {
                    callback_id: q.id.0.clone(),
                    data: q.data.clone().unwrap_or_default(),
                },
                sent_at: None,
            });
        }
        _ => return None,
    };
    let payload = if edited {
        Payload::Edited
    } else if let Some(text) = msg.text() {
        Payload::Text {
            text: text.to_string(),
        }
    } else if let Some(photos) = msg.photo() {
        Payload::Photo {
            file_id: photos
                .last()
                .map(|p| p.file.id.0.clone())
                .unwrap_or_default(),
            caption: msg.caption().map(str::to_string),
        }
    } else if let Some(loc) = msg.location() {
        Payload::Location {
            latitude: loc.latitude,
            longitude: loc.longitude,
        }
    } else {
        if let Some(doc) = msg.document() {
            return Some(InboundEvent {
                channel: Channel::Telegram,
                update_id,
                chat_id: msg.chat.id.0.to_string(),
                chat_kind: if msg.chat.is_private() {
                    ChatKind::Private
                } else {
                    ChatKind::Group
                },
                from: msg.from.as_ref().map(person),
                payload: Payload::Document {
                    file_id: doc.file.id.0.clone(),
                    file_name: doc.file_name.clone(),
                    size: Some(u64::from(doc.file.size)),
                },
                sent_at: Some(msg.date.timestamp_millis()),
            });
        }
        let kind = if msg.sticker().is_some() {
            "sticker"
        } else if msg.voice().is_some() {
            "voice"
        } else {
            "other"
        };
        Payload::Unsupported {
            kind: kind.to_string(),
        }
    };
    Some(InboundEvent {
        channel: Channel::Telegram,
        update_id,
        chat_id: msg.chat.id.0.to_string(),
        chat_kind: if msg.chat.is_private() {
            ChatKind::Private
        } else {
            ChatKind::Group
        },
        from: msg.from.as_ref().map(person),
        payload,
        sent_at: Some(msg.date.timestamp_millis()),
    })
}

/// Parse a webhook body. Unknown update kinds parse too (teloxide keeps them as
/// `UpdateKind::Error`), so only a body that is not an update at all fails.
pub fn parse_webhook_body(body: &[u8]) -> Result<Update, serde_json::Error> {
    serde_json::from_slice(body)
}

/// The command menu shown by Telegram clients, in Vietnamese.
pub async fn set_commands(bot: &Bot, i18n: &crate::i18n::I18n) -> Result<(), RequestError> {
    let lang = crate::core::domain::Lang::Vi;
    // The registry is the one list of commands: the menu shows those marked for it.
    let commands: Vec<BotCommand> = crate::core::conversation::flow::all_commands()
        .filter(|c| c.in_menu)
        .map(|c| BotCommand::new(c.name, i18n.s(lang, &format!("cmd-{}", c.name))))
        .collect();
    bot.set_my_commands(commands).await?;
    Ok(())
}

/// Long polling. Each batch goes into the inbox in one transaction before the next
/// getUpdates call confirms it by moving the offset: a crash re-fetches, and the
/// inbox's (channel, update_id) key drops the repeats.
pub async fn poll(
    bot: Bot,
    store: Store,
    inbox_ready: Arc<Notify>,
    shutdown: CancellationToken,
    poll_timeout_secs: u32,
) {
    if let Err(e) = bot.delete_webhook().await {
        tracing::warn!(error = %e, "deleteWebhook failed");
    }
    let mut offset: i32 = 0;
    let mut backoff = Duration::from_millis(500);
    loop {
        let request = bot
            .get_updates()
            .offset(offset)
            .timeout(poll_timeout_secs)
            .allowed_updates(vec![
                AllowedUpdate::Message,
                AllowedUpdate::EditedMessage,
                AllowedUpdate::CallbackQuery,
            ]);
        let result = tokio::select! {
            r = request.send() => r,
            _ = shutdown.cancelled() => break,
        };
        let updates = match result {
            Ok(u) => {
                backoff = Duration::from_millis(500);
                u
            }
            Err(e) => {
                tracing::warn!(error = %e, "getUpdates failed; retrying");
                metrics::counter!("congdoan_poll_errors_total", "channel" => "telegram")
                    .increment(1);
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = shutdown.cancelled() => break,
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
                continue;
            }
        };
        if updates.is_empty() {
            continue;
        }
        // In i64: `id as i32 + 1` wrapped past 2^31 into a negative offset, which tells
        // Telegram to forget all but the last updates. teloxide's request takes an i32, so
        // an id past it saturates (logged) rather than wrapping.
        let next_offset =
            updates
                .iter()
                .map(|u| i64::from(u.id.0) + 1)
                .max()
                .map_or(offset, |next| {
                    i32::try_from(next).unwrap_or_else(|_| {
                        tracing::error!(next, "update id past i32: offset saturated");
                        i32::MAX
                    })
                });
        let events: Vec<InboundEvent> = updates.iter().filter_map(normalize).collect();
        // Retry the store until it works: moving the offset first would lose updates.
        loop {
            match store.inbox_insert_all(&events).await {
                Ok(new) => {
                    metrics::counter!("congdoan_updates_received_total", "channel" => "telegram")
                        .increment(new as u64);
                    break;
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot store updates; holding the offset");
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = shutdown.cancelled() => return,
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
        }
        offset = next_offset;
        inbox_ready.notify_waiters();
    }
    tracing::info!("telegram polling stopped");
}

pub struct TelegramTransport {
    pub bot: Bot,
}

impl TelegramTransport {
    pub async fn deliver(&self, chat_id: &str, body: &Outbound) -> DeliveryOutcome {
        match body {
            Outbound::Message { text, buttons } => {
                let Ok(chat) = chat_id.parse::<i64>() else {
                    return DeliveryOutcome::Permanent(format!("bad chat id {chat_id}"));
                };
                let parts = split_message(text, MAX_MESSAGE_CHARS);
                let last = parts.len().saturating_sub(1);
                for (i, part) in parts.into_iter().enumerate() {
                    let mut req = self
                        .bot
                        .send_message(ChatId(chat), part)
                        .parse_mode(ParseMode::Html);
                    if i == last && !buttons.is_empty() {
                        req = req.reply_markup(keyboard(buttons));
                    }
                    if let Err(e) = req.send().await {
                        return classify(e);
                    }
                }
                DeliveryOutcome::Sent
            }
            Outbound::Document {
                file_name,
                content,
                caption,
            } => {
                let Ok(chat) = chat_id.parse::<i64>() else {
                    return DeliveryOutcome::Permanent(format!("bad chat id {chat_id}"));
                };
                let file =
                    InputFile::memory(content.clone().into_bytes()).file_name(file_name.clone());
                match self
                    .bot
                    .send_document(ChatId(chat), file)
                    .caption(caption.clone())
                    .send()
                    .await
                {
                    Ok(_) => DeliveryOutcome::Sent,
                    Err(e) => classify(e),
                }
            }
            Outbound::Progress { text, buttons } => {
                let Ok(chat) = chat_id.parse::<i64>() else {
                    return DeliveryOutcome::Permanent(format!("bad chat id {chat_id}"));
                };
                let text = split_message(text, MAX_MESSAGE_CHARS)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                let mut req = self
                    .bot
                    .send_message(ChatId(chat), text)
                    .parse_mode(ParseMode::Html);
                if !buttons.is_empty() {
                    req = req.reply_markup(keyboard(buttons));
                }
                match req.send().await {
                    Ok(m) => DeliveryOutcome::SentId(m.id.0.to_string()),
                    Err(e) => classify(e),
                }
            }
            Outbound::Edit {
                message_id,
                text,
                buttons,
                ..
            } => {
                let Ok(chat) = chat_id.parse::<i64>() else {
                    return DeliveryOutcome::Permanent(format!("bad chat id {chat_id}"));
                };
                let Some(id) = message_id.as_deref().and_then(|m| m.parse::<i32>().ok()) else {
                    // The message to edit has not gone out yet: try again shortly.
                    return DeliveryOutcome::Transient("message to edit not sent yet".into());
                };
                let text = split_message(text, MAX_MESSAGE_CHARS)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                let mut req = self
                    .bot
                    .edit_message_text(ChatId(chat), teloxide::types::MessageId(id), text)
                    .parse_mode(ParseMode::Html);
                if !buttons.is_empty() {
                    req = req.reply_markup(keyboard(buttons));
                }
                match req.send().await {
                    Ok(_) => DeliveryOutcome::Sent,
                    // Nothing changed since the last edit: fine.
                    Err(RequestError::Api(ApiError::MessageNotModified)) => DeliveryOutcome::Sent,
                    Err(e) => classify(e),
                }
            }
            Outbound::Media {
                kind,
                file_id,
                caption,
                buttons,
            } => {
                let file = InputFile::file_id(teloxide::types::FileId(file_id.clone()));
                self.send_file(chat_id, *kind, file, caption, buttons).await
            }
            Outbound::Upload {
                kind,
                file_name,
                data_base64,
                caption,
            } => {
                use base64::Engine;
                let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data_base64)
                else {
                    return DeliveryOutcome::Permanent("undecodable upload".into());
                };
                let file = InputFile::memory(bytes).file_name(file_name.clone());
                self.send_file(chat_id, *kind, file, caption, &[]).await
            }
            Outbound::AnswerCallback { callback_id, text } => {
                let mut req = self
                    .bot
                    .answer_callback_query(teloxide::types::CallbackQueryId(callback_id.clone()));
                if let Some(t) = text {
                    req = req.text(t.clone());
                }
                match req.send().await {
                    Ok(_) => DeliveryOutcome::Sent,
                    // A callback older than a few minutes can't be answered: harmless.
                    Err(RequestError::Api(ApiError::InvalidQueryId)) => DeliveryOutcome::Sent,
                    Err(e) => classify(e),
                }
            }
        }
    }
}

fn keyboard(buttons: &[Vec<Button>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(buttons.iter().map(|row| {
        row.iter()
            .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
            .collect::<Vec<_>>()
    }))
}

impl TelegramTransport {
    /// sendPhoto or sendDocument with an HTML caption (cut to Telegram's 1024
    /// characters) and optional buttons.
    async fn send_file(
        &self,
        chat_id: &str,
        kind: MediaKind,
        file: InputFile,
        caption: &str,
        buttons: &[Vec<Button>],
    ) -> DeliveryOutcome {
        let Ok(chat) = chat_id.parse::<i64>() else {
            return DeliveryOutcome::Permanent(format!("bad chat id {chat_id}"));
        };
        let caption = split_message(caption, MAX_CAPTION_CHARS)
            .into_iter()
            .next()
            .unwrap_or_default();
        let markup = (!buttons.is_empty()).then(|| keyboard(buttons));
        let result = match kind {
            MediaKind::Photo => {
                let mut req = self
                    .bot
                    .send_photo(ChatId(chat), file)
                    .caption(caption)
                    .parse_mode(ParseMode::Html);
                if let Some(m) = markup {
                    req = req.reply_markup(m);
                }
                req.send().await.map(|_| ())
            }
            MediaKind::Document => {
                let mut req = self
                    .bot
                    .send_document(ChatId(chat), file)
                    .caption(caption)
                    .parse_mode(ParseMode::Html);
                if let Some(m) = markup {
                    req = req.reply_markup(m);
                }
                req.send().await.map(|_| ())
            }
        };
        match result {
            Ok(()) => DeliveryOutcome::Sent,
            Err(e) => classify(e),
        }
    }

    /// getFile, then download it; refuses files over `max_bytes`.
    pub async fn fetch_file(&self, file_id: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
        use teloxide::net::Download;
        let file = self
            .bot
            .get_file(teloxide::types::FileId(file_id.to_string()))
            .await
            .map_err(|e| e.to_string())?;
        if u64::from(file.size) > max_bytes {
            return Err(format!("file of {} bytes is too large", file.size));
        }
        let mut buf = Vec::new();
        self.bot
            .download_file(&file.path, &mut buf)
            .await
            .map_err(|e| e.to_string())?;
        if buf.len() as u64 > max_bytes {
            return Err("file too large".into());
        }
        Ok(buf)
    }
}

fn classify(e: RequestError) -> DeliveryOutcome {
    match e {
        RequestError::RetryAfter(s) => DeliveryOutcome::RetryAfter(s.duration()),
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots,
        ) => DeliveryOutcome::Unreachable(e.to_string()),
        // Unknown API errors include 5xx answers: worth another try.
        RequestError::Api(ApiError::Unknown(_))
        | RequestError::Network(_)
        | RequestError::Io(_)
        | RequestError::InvalidJson { .. } => DeliveryOutcome::Transient(e.to_string()),
        other => DeliveryOutcome::Permanent(other.to_string()),
    }
}
