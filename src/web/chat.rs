//! What `/web` does, applied by the processor in the update's transaction: a one-time
//! login link sent to the officer's chat, or every console session ended.

use super::{BASE_URL_SETTING, session};
use crate::core::conversation::{MemberView, WebEffect};
use crate::core::domain::Role;
use crate::core::event::Outbound;
use crate::core::text::esc;
use crate::i18n::I18n;
use crate::store::outbox::{PRIORITY_REPLY, enqueue};
use crate::store::{Conn, StoreError, settings};
use crate::tr;

pub async fn apply(
    conn: &mut Conn,
    i18n: &I18n,
    m: &MemberView,
    channel: &str,
    chat_id: &str,
    effect: WebEffect,
    now: i64,
) -> Result<(), StoreError> {
    if m.role != Role::Officer {
        return Ok(());
    }
    match effect {
        WebEffect::Logout => {
            let ended = session::end_all(conn, m.id).await?;
            tracing::info!(ended, "console sessions ended from chat");
        }
        WebEffect::Login => {
            let text = match settings::get(conn, BASE_URL_SETTING).await? {
                Some(base) => {
                    let token = session::create_login(conn, m.id, now).await?;
                    let url = format!("{}/login?t={token}", base.trim_end_matches('/'));
                    tr!(
                        i18n,
                        m.lang,
                        "web-login-link",
                        url = esc(&url),
                        minutes = session::LINK_VALID_MS / 60_000
                    )
                }
                None => i18n.s(m.lang, "web-not-enabled"),
            };
            let body = Outbound::Message {
                text,
                buttons: vec![],
            };
            enqueue(conn, channel, chat_id, &body, PRIORITY_REPLY, now).await?;
        }
    }
    Ok(())
}
