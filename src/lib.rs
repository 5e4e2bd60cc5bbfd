//! congdoan-bot: the chat bot of Vietnam's trade unions.
//!
//! channels (telegram, console) -> inbox -> core -> outbox -> channels, with the
//! store (SQLite | PostgreSQL) underneath. See DESIGN.md in the shared folder.

pub mod app;
pub mod channels;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod core;
pub mod demo;
pub mod health;
pub mod i18n;
pub mod inbound_limit;
pub mod officer;
pub mod org;
pub mod processor;
pub mod reports;
pub mod scheduler;
pub mod sender;
pub mod store;
pub mod web;
