//! The police liaison (issue 21): the categories of tips each unit shares with its
//! liaison, the liaison's warnings and their approval by one of the unit's officers,
//! and the monthly summary of the area's tips. Every rule is checked here again: only
//! an officer of the unit chooses the categories or decides on a warning, only a
//! liaison writes one, and approved warnings reach the housing-group leaders of the
//! unit's subtree and nobody else.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;

use chrono::{Datelike, TimeZone, Timelike, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use futures::FutureExt;
use sqlx::Row;

use super::audit::{self, Entry};
use super::fanout::{Audience, Tag, to_members};
use super::outbox::{PRIORITY_BULK, PRIORITY_REPLY, enqueue};
use super::{Conn, Store, StoreError, prompts};
use crate::core::actions::LiaisonAction;
use crate::core::conversation::liaison::{
    DEFAULT_CATEGORIES, WarningView, categories_text, parse_categories, summary_column,
};
use crate::core::conversation::{
    Facts, LiaisonEffect, LiaisonNeeds, LiaisonNotice, MemberView, PendingPrompt, PromptFlow,
};
use crate::core::domain::{Lang, Role};
use crate::core::event::{Button, Outbound};
use crate::core::notices::{Notice, Notices};
use crate::core::tip::{Category, TipStatus};

/// The monthly summary goes out from 8:00 (local) on the first day of the month (or, if
/// the bot was down, at the first tick in the month's first week), once per unit and
/// month.
const SUMMARY_HOUR: u32 = 8;
const SUMMARY_LAST_HOUR: u32 = 20;
/// An approval question stays answerable by a typed 1/2 for a week.
const APPROVAL_PROMPT_MS: i64 = 7 * 24 * 3600 * 1000;

/// The categories of tips `unit_id` shares with its liaison (the defaults until its
/// officer chooses).
pub async fn categories(conn: &mut Conn, unit_id: i64) -> Result<Vec<Category>, StoreError> {
    let row = sqlx::query("SELECT categories FROM liaison_settings WHERE unit_id = $1")
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => parse_categories(&r.try_get::<String, _>("categories")?),
        None => DEFAULT_CATEGORIES.to_vec(),
    })
}

/// Whether `viewer`, a liaison, may see and handle a tip of `category` reported in the
/// unit at `tip_unit_path`: it lies in the subtree of the unit that added them, and that
/// unit shares the category.
pub async fn liaison_sees(
    conn: &mut Conn,
    viewer: &MemberView,
    tip_unit_path: &str,
    category: Category,
) -> Result<bool, StoreError> {
    Ok(viewer.role == Role::Liaison
        && tip_unit_path.starts_with(&viewer.unit_path)
        && categories(conn, viewer.unit_id).await?.contains(&category))
}

/// The liaisons (member id) whose unit lies at or above `tip_unit_path` and shares
/// `category`.
pub async fn liaisons_for(
    conn: &mut Conn,
    tip_unit_path: &str,
    category: Category,
) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.id, m.unit_id, s.categories FROM members m
         JOIN units u ON u.id = m.unit_id
         LEFT JOIN liaison_settings s ON s.unit_id = m.unit_id
         WHERE m.role = 'liaison' AND $1 LIKE u.path || '%'
         ORDER BY m.id",
    )
    .bind(tip_unit_path)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = vec![];
    for r in rows {
        let chosen = match r.try_get::<Option<String>, _>("categories")? {
            Some(text) => parse_categories(&text),
            None => DEFAULT_CATEGORIES.to_vec(),
        };
        if chosen.contains(&category) {
            out.push(r.try_get("id")?);
        }
    }
    Ok(out)
}

/// Facts for `/congan` and for an officer's decision on a warning.
pub async fn load_facts(
    conn: &mut Conn,
    m: &MemberView,
    needs: &LiaisonNeeds,
    pending: Option<PendingPrompt>,
    facts: &mut Facts,
) -> Result<(), StoreError> {
    if needs.categories && matches!(m.role, Role::Officer | Role::Liaison) {
        facts.liaison.categories = categories(conn, m.unit_id).await?;
        facts.liaison.liaisons = sqlx::query(
            "SELECT id, display_name FROM members
             WHERE unit_id = $1 AND role = 'liaison' ORDER BY id LIMIT 10",
        )
        .bind(m.unit_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("display_name")?)))
        .collect::<Result<_, StoreError>>()?;
    }
    let warning = needs.warning.or(pending
        .filter(|p| p.flow == PromptFlow::LiaisonWarning)
        .map(|p| p.object_id));
    if let Some(id) = warning
        && m.role == Role::Officer
    {
        facts.liaison.warning = sqlx::query(
            "SELECT id, unit_id, status FROM liaison_warnings WHERE id = $1 AND unit_id = $2",
        )
        .bind(id)
        .bind(m.unit_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| {
            Ok::<_, StoreError>(WarningView {
                id: r.try_get("id")?,
                unit_id: r.try_get("unit_id")?,
                pending: r.try_get::<String, _>("status")? == "pending",
            })
        })
        .transpose()?;
    }
    Ok(())
}

/// Accounts (channel, chat id, language) of the members of `unit_id` with `role`.
async fn accounts(
    conn: &mut Conn,
    unit_id: i64,
    role: Role,
) -> Result<Vec<(i64, String, String, Lang)>, StoreError> {
    sqlx::query(
        "SELECT m.id, i.channel, i.chat_id, m.lang FROM members m
         JOIN identities i ON i.member_id = m.id
         WHERE m.unit_id = $1 AND m.role = $2 AND m.unreachable_at IS NULL
         ORDER BY m.id, i.channel",
    )
    .bind(unit_id)
    .bind(role.as_str())
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok((
            r.try_get("id")?,
            r.try_get("channel")?,
            r.try_get("chat_id")?,
            Lang::parse(&r.try_get::<String, _>("lang")?).unwrap_or_default(),
        ))
    })
    .collect()
}

/// Apply a `/congan` effect, checking the role and the unit again.
pub async fn apply(
    conn: &mut Conn,
    notices: &dyn Notices,
    m: &MemberView,
    effect: &LiaisonEffect,
    now: i64,
) -> Result<(), StoreError> {
    match effect {
        LiaisonEffect::SetCategories { categories } => {
            if m.role != Role::Officer {
                tracing::warn!(member = m.id, "liaison categories refused: not an officer");
                return Ok(());
            }
            let text = categories_text(categories);
            sqlx::query(
                "INSERT INTO liaison_settings (unit_id, categories, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (unit_id) DO UPDATE SET categories = excluded.categories,
                     updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(m.unit_id)
            .bind(&text)
            .bind(m.id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            audit::record(
                conn,
                &Entry {
                    actor_member_id: Some(m.id),
                    action: "liaison.categories",
                    unit_id: m.unit_id,
                    other_unit_id: None,
                    member_id: None,
                    detail: text,
                },
                now,
            )
            .await?;
        }
        LiaisonEffect::Warn { body } => {
            if m.role != Role::Liaison {
                tracing::warn!(member = m.id, "liaison warning refused: not a liaison");
                return Ok(());
            }
            let id: i64 = sqlx::query(
                "INSERT INTO liaison_warnings (unit_id, author_member_id, body, status, created_at)
                 VALUES ($1, $2, $3, 'pending', $4) RETURNING id",
            )
            .bind(m.unit_id)
            .bind(m.id)
            .bind(body)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
            .try_get("id")?;
            audit::record(
                conn,
                &Entry {
                    actor_member_id: Some(m.id),
                    action: "liaison.warning",
                    unit_id: m.unit_id,
                    other_unit_id: None,
                    member_id: None,
                    detail: format!("#{id}"),
                },
                now,
            )
            .await?;
            let prompt = PendingPrompt {
                flow: PromptFlow::LiaisonWarning,
                object_id: id,
                version: 1,
            };
            let mut asked = vec![];
            for (officer, channel, chat_id, lang) in
                accounts(conn, m.unit_id, Role::Officer).await?
            {
                let text = notices.text(
                    lang,
                    &Notice::Liaison(LiaisonNotice::Approval {
                        unit: &m.unit_name,
                        author: &m.display_name,
                        text: body,
                    }),
                );
                let buttons = vec![
                    vec![Button {
                        label: notices.text(lang, &Notice::Liaison(LiaisonNotice::ApproveButton)),
                        data: LiaisonAction::Approve(id).to_string(),
                    }],
                    vec![Button {
                        label: notices.text(lang, &Notice::Liaison(LiaisonNotice::RejectButton)),
                        data: LiaisonAction::Reject(id).to_string(),
                    }],
                ];
                let out = Outbound::Message { text, buttons };
                enqueue(conn, &channel, &chat_id, &out, PRIORITY_REPLY, now).await?;
                if !asked.contains(&officer) {
                    prompts::record(conn, officer, &prompt, Some(now + APPROVAL_PROMPT_MS), now)
                        .await?;
                    asked.push(officer);
                }
            }
        }
        LiaisonEffect::Decide {
            warning_id,
            approve,
        } => {
            if m.role != Role::Officer {
                tracing::warn!(member = m.id, "liaison decision refused: not an officer");
                return Ok(());
            }
            let status = if *approve { "approved" } else { "rejected" };
            // Claimed once: a second officer's tap (or a replay) changes nothing.
            let claimed = sqlx::query(
                "UPDATE liaison_warnings SET status = $1, decided_by = $2, decided_at = $3
                 WHERE id = $4 AND unit_id = $5 AND status = 'pending'",
            )
            .bind(status)
            .bind(m.id)
            .bind(now)
            .bind(warning_id)
            .bind(m.unit_id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if claimed != 1 {
                return Ok(());
            }
            let r =
                sqlx::query("SELECT author_member_id, body FROM liaison_warnings WHERE id = $1")
                    .bind(warning_id)
                    .fetch_one(&mut *conn)
                    .await?;
            let author: Option<i64> = r.try_get("author_member_id")?;
            let body: String = r.try_get("body")?;
            let mut recipients = 0;
            if *approve {
                let audience = Audience {
                    path: &m.unit_path,
                    role: Some(Role::Leader),
                    ..Audience::default()
                };
                let unit = m.unit_name.clone();
                let message = |lang| Outbound::Message {
                    text: notices.text(
                        lang,
                        &Notice::Liaison(LiaisonNotice::Warning {
                            unit: &unit,
                            text: &body,
                        }),
                    ),
                    buttons: vec![],
                };
                recipients = to_members(conn, &audience, message, Tag::None, now).await? as i64;
                sqlx::query("UPDATE liaison_warnings SET recipients = $1 WHERE id = $2")
                    .bind(recipients)
                    .bind(warning_id)
                    .execute(&mut *conn)
                    .await?;
            }
            prompts::answered(conn, None, PromptFlow::LiaisonWarning, *warning_id).await?;
            audit::record(
                conn,
                &Entry {
                    actor_member_id: Some(m.id),
                    action: if *approve {
                        "liaison.approved"
                    } else {
                        "liaison.rejected"
                    },
                    unit_id: m.unit_id,
                    other_unit_id: None,
                    member_id: author,
                    detail: format!("#{warning_id} {recipients}"),
                },
                now,
            )
            .await?;
            if let Some(author) = author {
                let rows = sqlx::query(
                    "SELECT i.channel, i.chat_id, m.lang FROM members m
                     JOIN identities i ON i.member_id = m.id WHERE m.id = $1",
                )
                .bind(author)
                .fetch_all(&mut *conn)
                .await?;
                for r in rows {
                    let lang = Lang::parse(&r.try_get::<String, _>("lang")?).unwrap_or_default();
                    let text = notices.text(
                        lang,
                        &Notice::Liaison(LiaisonNotice::Outcome {
                            approved: *approve,
                            recipients,
                        }),
                    );
                    let channel: String = r.try_get("channel")?;
                    let chat: String = r.try_get("chat_id")?;
                    let out = Outbound::Message {
                        text,
                        buttons: vec![],
                    };
                    enqueue(conn, &channel, &chat, &out, PRIORITY_REPLY, now).await?;
                }
            }
        }
    }
    Ok(())
}

/// The month a summary is due for at `now`: its key ("2026-11"), its name ("11/2026")
/// and its bounds in UTC ms (the local month). `None` outside 8:00–20:00 local and after
/// the month's first week.
pub fn summary_period(now: i64) -> Option<(String, String, i64, i64)> {
    let local = Utc
        .timestamp_millis_opt(now)
        .single()?
        .with_timezone(&Ho_Chi_Minh);
    if !(SUMMARY_HOUR..SUMMARY_LAST_HOUR).contains(&local.hour()) || local.day() > 7 {
        return None;
    }
    let (year, month) = if local.month() == 1 {
        (local.year() - 1, 12)
    } else {
        (local.year(), local.month() - 1)
    };
    let start = Ho_Chi_Minh
        .with_ymd_and_hms(year, month, 1, 0, 0, 0)
        .single()?
        .timestamp_millis();
    let end = Ho_Chi_Minh
        .with_ymd_and_hms(local.year(), local.month(), 1, 0, 0, 0)
        .single()?
        .timestamp_millis();
    Some((
        format!("{year}-{month:02}"),
        format!("{month}/{year}"),
        start,
        end,
    ))
}

impl Store {
    /// Send the monthly summary due at `now` to the liaisons and officers of every unit
    /// that has a liaison, once per unit and month. Returns the messages queued.
    pub async fn send_liaison_summaries(
        &self,
        notices: &dyn Notices,
        now: i64,
    ) -> Result<u64, StoreError> {
        let Some((key, name, start, end)) = summary_period(now) else {
            return Ok(0);
        };
        let units = sqlx::query(
            "SELECT u.id, u.name, u.path FROM units u
             WHERE EXISTS (SELECT 1 FROM members m WHERE m.unit_id = u.id AND m.role = 'liaison')
               AND NOT EXISTS (SELECT 1 FROM liaison_summaries s
                               WHERE s.unit_id = u.id AND s.month = $1)
             ORDER BY u.path",
        )
        .bind(&key)
        .fetch_all(self.pool())
        .await?;
        let mut queued = 0;
        for r in units {
            let unit_id: i64 = r.try_get("id")?;
            let unit: String = r.try_get("name")?;
            let path: String = r.try_get("path")?;
            let one = self.summary_one(
                notices,
                unit_id,
                &unit,
                &path,
                (&key, &name),
                start,
                end,
                now,
            );
            match AssertUnwindSafe(one).catch_unwind().await {
                Ok(Ok(n)) => queued += n,
                Ok(Err(e)) => {
                    tracing::error!(unit_id, error = %e, "liaison summary failed");
                    metrics::counter!("congdoan_scheduler_failures_total", "job" => "liaison_summary")
                        .increment(1);
                }
                Err(_) => {
                    tracing::error!(unit_id, "liaison summary panicked");
                    metrics::counter!("congdoan_scheduler_failures_total", "job" => "liaison_summary")
                        .increment(1);
                }
            }
        }
        Ok(queued)
    }

    /// One unit's summary, in one transaction with its once-key.
    #[allow(clippy::too_many_arguments)]
    async fn summary_one(
        &self,
        notices: &dyn Notices,
        unit_id: i64,
        unit: &str,
        path: &str,
        (key, name): (&str, &str),
        start: i64,
        end: i64,
        now: i64,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO liaison_summaries (unit_id, month, sent_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(unit_id)
        .bind(key)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(0);
        }
        let chosen = categories(&mut tx, unit_id).await?;
        let rows = sqlx::query(
            "SELECT t.category, t.status, CAST(COUNT(*) AS BIGINT) AS n
             FROM tips t JOIN units u ON u.id = t.unit_id
             WHERE u.path LIKE $1 AND t.created_at >= $2 AND t.created_at < $3
             GROUP BY t.category, t.status",
        )
        .bind(format!("{path}%"))
        .bind(start)
        .bind(end)
        .fetch_all(&mut *tx)
        .await?;
        let mut by_category: BTreeMap<usize, (Category, [i64; 3])> = BTreeMap::new();
        for r in rows {
            let (Some(category), Some(status)) = (
                Category::parse(&r.try_get::<String, _>("category")?),
                TipStatus::parse(&r.try_get::<String, _>("status")?),
            ) else {
                continue;
            };
            // The liaison's figures cover only what the unit shares with them.
            if !chosen.contains(&category) {
                continue;
            }
            let order = Category::ALL
                .iter()
                .position(|c| *c == category)
                .unwrap_or(usize::MAX);
            let entry = by_category.entry(order).or_insert((category, [0; 3]));
            entry.1[summary_column(status)] += r.try_get::<i64, _>("n")?;
        }
        let figures: Vec<(Category, [i64; 3])> = by_category.into_values().collect();
        let mut queued = 0;
        for role in [Role::Liaison, Role::Officer] {
            for (_, channel, chat, lang) in accounts(&mut tx, unit_id, role).await? {
                let text = notices.text(
                    lang,
                    &Notice::Liaison(LiaisonNotice::Summary {
                        unit,
                        month: name,
                        rows: &figures,
                    }),
                );
                let out = Outbound::Message {
                    text,
                    buttons: vec![],
                };
                enqueue(&mut tx, &channel, &chat, &out, PRIORITY_BULK, now).await?;
                queued += 1;
            }
        }
        tx.commit().await?;
        tracing::info!(unit_id, month = key, queued, "liaison summary queued");
        Ok(queued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_covers_the_previous_local_month_from_8_to_20() {
        let at = |y, mo, d, h, mi| {
            Ho_Chi_Minh
                .with_ymd_and_hms(y, mo, d, h, mi, 0)
                .single()
                .map(|t| t.timestamp_millis())
                .unwrap_or_default()
        };
        assert_eq!(summary_period(at(2027, 1, 1, 7, 59)), None);
        assert_eq!(summary_period(at(2027, 1, 1, 20, 0)), None);
        let (key, name, start, end) = summary_period(at(2027, 1, 1, 8, 0)).unwrap_or_default();
        assert_eq!((key.as_str(), name.as_str()), ("2026-12", "12/2026"));
        assert_eq!((start, end), (at(2026, 12, 1, 0, 0), at(2027, 1, 1, 0, 0)));
        let (key, ..) = summary_period(at(2026, 11, 7, 9, 0)).unwrap_or_default();
        assert_eq!(key, "2026-10");
        assert_eq!(summary_period(at(2026, 11, 8, 9, 0)), None);
    }
}
