//! The channel-agnostic, I/O-free heart of the bot: an inbound event and the current
//! conversation go in; the new conversation, replies and effects come out.

pub mod actions;
pub mod calendar;
pub mod conversation;
pub mod digest;
pub mod directive;
pub mod domain;
pub mod event;
pub mod export;
pub mod lunar;
pub mod notices;
pub mod text;
pub mod time;
pub mod tip;
