//! "Đã nắm": who was asked to confirm a directive or a broadcast, who did, and the
//! roll-up over the tree. The people asked are chosen by the same [`Audience`] SQL as
//! the messages that ask them, in one statement (nobody is loaded into memory); only a
//! member with a row here can confirm, once.

use sqlx::Row;

use super::fanout::{Audience, Tag, to_members};
use super::{Conn, Store, StoreError, prompts};
use crate::core::actions::{AckAction, AckKind};
use crate::core::conversation::{
    AckRollup, AckView, PendingPrompt, PromptFlow, REMIND_FROM_HOUR, ReminderSchedule, RollupRow,
    title_of,
};
use crate::core::domain::Lang;
use crate::core::event::{Button, Outbound};
use crate::core::notices::{Notice, Notices};

/// A typed "1" confirms the question for this long after it was asked.
const PROMPT_DAYS: i64 = 30;
/// Directives and broadcasts shown in `/tonghop` and the digest.
const MAX_ROLLUPS: usize = 5;

/// The message members get when `kind` `id` asks for «Đã nắm»: the text, how to confirm,
/// and the button (Zalo shows the text only; a typed "1" works there).
pub fn asking_body(
    notices: &dyn Notices,
    lang: Lang,
    text: String,
    kind: AckKind,
    id: i64,
) -> Outbound {
    Outbound::Message {
        text: format!("{text}\n\n{}", notices.text(lang, &Notice::AckHint)),
        buttons: vec![vec![Button {
            label: notices.text(lang, &Notice::AckButton),
            data: AckAction { kind, id }.to_string(),
        }]],
    }
}

/// Record that `kind` `id` asks everyone in `audience` to confirm it, and the question
/// put to each of them (so a typed "1" confirms exactly this). Returns members asked.
#[tracing::instrument(skip_all)]
pub async fn ask(
    conn: &mut Conn,
    kind: AckKind,
    id: i64,
    audience: &Audience<'_>,
    now: i64,
) -> Result<u64, StoreError> {
    let (members, binds) = audience.member_ids(4);
    let sql = format!(
        "INSERT INTO acknowledgements (kind, object_id, member_id, asked_at)
         SELECT $1, $2, ids.id, $3 FROM ({members}) ids WHERE true
         ON CONFLICT (kind, object_id, member_id) DO NOTHING"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(kind.as_str())
        .bind(id)
        .bind(now);
    for b in binds {
        q = b.bind(q);
    }
    let asked = q.execute(&mut *conn).await?.rows_affected();
    let prompt = PendingPrompt {
        flow: PromptFlow::Acknowledgement(kind),
        object_id: id,
        version: 1,
    };
    let expires = now + PROMPT_DAYS * 24 * 3_600_000;
    prompts::record_for(conn, audience, &prompt, Some(expires), now).await?;
    Ok(asked)
}

/// What `kind` `id` is called in lists: a directive's title, a broadcast's first line.
async fn title(
    conn: &mut Conn,
    kind: AckKind,
    id: i64,
) -> Result<Option<(String, i64)>, StoreError> {
    let sql = match kind {
        AckKind::Directive => "SELECT title AS t, published_at AS at FROM directives WHERE id = $1",
        AckKind::Broadcast => "SELECT text AS t, send_at AS at FROM broadcasts WHERE id = $1",
    };
    let row = sqlx::query(sql).bind(id).fetch_optional(&mut *conn).await?;
    row.map(|r| {
        let t: String = r.try_get("t")?;
        let t = match kind {
            AckKind::Directive => t,
            AckKind::Broadcast => title_of(&t),
        };
        Ok((t, r.try_get("at")?))
    })
    .transpose()
}

/// `kind` `id` as `member_id` was asked it; `None` if it was not put to them.
pub async fn view(
    conn: &mut Conn,
    member_id: i64,
    kind: AckKind,
    id: i64,
) -> Result<Option<AckView>, StoreError> {
    let row = sqlx::query(
        "SELECT acked_at FROM acknowledgements
         WHERE kind = $1 AND object_id = $2 AND member_id = $3",
    )
    .bind(kind.as_str())
    .bind(id)
    .bind(member_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let acked_at: Option<i64> = r.try_get("acked_at")?;
    let Some((title, _)) = title(conn, kind, id).await? else {
        return Ok(None);
    };
    Ok(Some(AckView {
        kind,
        id,
        title,
        acked_at,
    }))
}

/// `member_id` confirms `kind` `id` from `channel`: only if it was put to them, once
/// (a second confirmation changes nothing). The question is answered either way.
/// Returns whether this was the first confirmation.
pub async fn acknowledge(
    conn: &mut Conn,
    member_id: i64,
    kind: AckKind,
    id: i64,
    channel: &str,
    now: i64,
) -> Result<bool, StoreError> {
    prompts::answered(conn, Some(member_id), PromptFlow::Acknowledgement(kind), id).await?;
    let changed = sqlx::query(
        "UPDATE acknowledgements SET acked_at = $1, channel = $2
         WHERE kind = $3 AND object_id = $4 AND member_id = $5 AND acked_at IS NULL",
    )
    .bind(now)
    .bind(channel)
    .bind(kind.as_str())
    .bind(id)
    .bind(member_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// «Đã nắm» figures of the newest directives and broadcasts that asked and reached the
/// officer's subtree (sent from above it or inside it), newest first; each with the
/// officer's unit and its direct children, counted over whole subtrees.
pub async fn rollups(
    conn: &mut Conn,
    unit_id: i64,
    unit_path: &str,
) -> Result<Vec<AckRollup>, StoreError> {
    let below = format!("{unit_path}%");
    let directives = sqlx::query(
        "SELECT d.id, d.published_at AS at FROM directives d
         WHERE d.ack_required = 1 AND EXISTS (
             SELECT 1 FROM directive_targets t JOIN units tu ON tu.id = t.unit_id
             WHERE t.directive_id = d.id AND ($1 LIKE tu.path || '%' OR tu.path LIKE $2))
         ORDER BY d.published_at DESC, d.id DESC LIMIT 5",
    )
    .bind(unit_path)
    .bind(&below)
    .fetch_all(&mut *conn)
    .await?;
    let broadcasts = sqlx::query(
        "SELECT b.id, b.send_at AS at FROM broadcasts b JOIN units u ON u.id = b.unit_id
         WHERE b.ack_required = 1 AND b.status <> 'scheduled'
           AND ($1 LIKE u.path || '%' OR u.path LIKE $2)
         ORDER BY b.send_at DESC, b.id DESC LIMIT 5",
    )
    .bind(unit_path)
    .bind(&below)
    .fetch_all(&mut *conn)
    .await?;
    let mut objects: Vec<(i64, AckKind, i64)> = vec![];
    for (kind, rows) in [
        (AckKind::Directive, directives),
        (AckKind::Broadcast, broadcasts),
    ] {
        for r in rows {
            objects.push((r.try_get("at")?, kind, r.try_get("id")?));
        }
    }
    objects.sort_by(|a, b| b.0.cmp(&a.0).then(b.2.cmp(&a.2)));
    let mut out = vec![];
    for (at, kind, id) in objects {
        if out.len() >= MAX_ROLLUPS {
            break;
        }
        let rows = rollup(conn, kind, id, unit_id, unit_path).await?;
        // Put to nobody in this subtree (leaders only, and none here): not shown.
        if rows.first().is_none_or(|r| r.scope == 0) {
            continue;
        }
        let Some((title, _)) = title(conn, kind, id).await? else {
            continue;
        };
        out.push(AckRollup {
            kind,
            id,
            title,
            sent_at: at,
            rows,
        });
    }
    Ok(out)
}

/// One directive's or broadcast's figures for a unit: the unit itself then each direct
/// child, each over its whole subtree (`signed`: confirmed, `scope`: asked). Counted
/// per unit first, then summed per subtree by path prefix (the commitments' shape).
pub async fn rollup(
    conn: &mut Conn,
    kind: AckKind,
    id: i64,
    unit_id: i64,
    unit_path: &str,
) -> Result<Vec<RollupRow>, StoreError> {
    // From the per-unit counters (store::tallies), not a scan of the members.
    let rolled = super::tallies::acks_below(conn, kind.as_str(), id, unit_path).await?;
    Ok(super::tallies::unit_and_children(conn, unit_id)
        .await?
        .into_iter()
        .map(|(unit, name)| {
            let [signed, scope] = rolled.of(unit_id, unit);
            RollupRow {
                unit_id: unit,
                name,
                signed,
                scope,
            }
        })
        .collect())
}

impl Store {
    /// Directives and broadcasts whose members who have not confirmed are reminded, with
    /// their schedules (every so many days from the day after sending, until the
    /// deadline). Stopped broadcasts and those still waiting to go out are left out.
    pub async fn ack_schedules(
        &self,
        now: i64,
    ) -> Result<Vec<(AckKind, i64, ReminderSchedule)>, StoreError> {
        let rows = sqlx::query(
            "SELECT 'directive' AS kind, id, ack_remind_days, published_at AS at, ack_deadline_at
             FROM directives
             WHERE ack_required = 1 AND ack_remind_days > 0 AND ack_deadline_at > $1
             UNION ALL
             SELECT 'broadcast' AS kind, id, ack_remind_days, send_at AS at, ack_deadline_at
             FROM broadcasts
             WHERE ack_required = 1 AND ack_remind_days > 0 AND ack_deadline_at > $1
               AND status NOT IN ('scheduled', 'cancelled')
             ORDER BY kind, id",
        )
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        let mut out = vec![];
        for r in rows {
            let Some(kind) = AckKind::parse(&r.try_get::<String, _>("kind")?) else {
                continue;
            };
            out.push((
                kind,
                r.try_get("id")?,
                ReminderSchedule {
                    weekdays: vec![],
                    every_days: r.try_get::<i64, _>("ack_remind_days")?.clamp(0, 365) as u32,
                    hour: REMIND_FROM_HOUR,
                    created_at: r.try_get("at")?,
                    deadline_at: r.try_get::<Option<i64>, _>("ack_deadline_at")?.unwrap_or(0),
                },
            ));
        }
        Ok(out)
    }

    /// Remind everyone asked to confirm `kind` `id` who has not, once per local date:
    /// the key is taken in the transaction that queues the messages (with the button,
    /// and the question recorded again so a typed "1" confirms it). `None` if taken.
    pub async fn send_ack_reminder_once(
        &self,
        notices: &dyn Notices,
        kind: AckKind,
        id: i64,
        local_date: &str,
        now: i64,
    ) -> Result<Option<u64>, StoreError> {
        let mut tx = self.begin().await?;
        let taken = sqlx::query(
            "INSERT INTO ack_reminders (kind, object_id, local_date, sent_at, recipients)
             VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING",
        )
        .bind(kind.as_str())
        .bind(id)
        .bind(local_date)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            return Ok(None);
        }
        let Some((title, _)) = title(&mut tx, kind, id).await? else {
            return Ok(None);
        };
        // Whoever was asked, wherever they are now in the tree.
        let audience = Audience {
            path: "",
            unacknowledged: Some((kind, id)),
            ..Audience::default()
        };
        // `now` may be a test's clock; the messages themselves are due right away.
        let due = crate::core::time::now_ms();
        let prompt = PendingPrompt {
            flow: PromptFlow::Acknowledgement(kind),
            object_id: id,
            version: 1,
        };
        let expires = due + PROMPT_DAYS * 24 * 3_600_000;
        prompts::record_for(&mut tx, &audience, &prompt, Some(expires), due).await?;
        let body = |lang| {
            let text = notices.text(lang, &Notice::AckReminder { title: &title });
            asking_body(notices, lang, text, kind, id)
        };
        let queued = to_members(&mut tx, &audience, body, Tag::None, due).await?;
        sqlx::query(
            "UPDATE ack_reminders SET recipients = $1
             WHERE kind = $2 AND object_id = $3 AND local_date = $4",
        )
        .bind(queued as i64)
        .bind(kind.as_str())
        .bind(id)
        .bind(local_date)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(queued))
    }
}
