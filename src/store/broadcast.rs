//! Messages to everyone in a subtree: one outbox row per member account, written by a
//! single INSERT … SELECT per language (nothing is loaded into memory).

use super::outbox::PRIORITY_BULK;
use super::{Conn, StoreError};
use crate::core::domain::Lang;
use crate::core::event::Outbound;

/// Queue `text_for(lang)` to every reachable member whose unit is in the subtree with
/// materialised path `path` (except `except_member`), tagged with `directive_id` when
/// they carry one (for its delivery report). Returns rows queued.
pub async fn to_subtree(
    conn: &mut Conn,
    path: &str,
    except_member: Option<i64>,
    directive_id: Option<i64>,
    text_for: impl Fn(Lang) -> String,
    now: i64,
) -> Result<u64, StoreError> {
    let mut queued = 0;
    for lang in [Lang::Vi, Lang::En] {
        let body = Outbound::Message {
            text: text_for(lang),
            buttons: vec![],
        };
        let payload = serde_json::to_string(&body).unwrap_or_default();
        queued += sqlx::query(
            "INSERT INTO outbox (channel, chat_id, payload, priority, status, attempts, not_before, created_at, directive_id)
             SELECT i.channel, i.chat_id, $1, $2, 'pending', 0, $3, $3, $7
             FROM members m
             JOIN units u ON u.id = m.unit_id
             JOIN identities i ON i.member_id = m.id
             WHERE u.path LIKE $4 AND m.lang = $5 AND m.unreachable_at IS NULL
               AND m.id <> $6
             ORDER BY m.id",
        )
        .bind(payload)
        .bind(PRIORITY_BULK)
        .bind(now)
        .bind(format!("{path}%"))
        .bind(lang.as_str())
        .bind(except_member.unwrap_or(-1))
        .bind(directive_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(queued)
}
