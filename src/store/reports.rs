//! What reports read: export tables and digest figures, always for one unit's subtree
//! (units whose path starts with the unit's path), and the periodic digest sent once
//! per unit and period (its key is taken in the transaction that queues it).

use chrono::{Datelike, TimeZone, Timelike, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use futures::{FutureExt, TryStreamExt};
use sqlx::Row;
use std::panic::AssertUnwindSafe;

use super::outbox::{PRIORITY_BULK, enqueue};
use super::{Conn, Store, StoreError, acknowledgements, commitments};
use crate::core::digest::{DigestEvery, DigestFacts, DirectiveReach};
use crate::core::domain::{Lang, Role};
use crate::core::event::Outbound;
use crate::core::notices::{ExportWord, Notice, Notices};
use crate::core::time::format_date_time;
use crate::core::tip::{Category, TipStatus};
use crate::reports::ExportKind;
use crate::reports::export::{Cell, Table};

/// Names of direct overdue tips listed in a digest; the rest are counted.
const MAX_OVERDUE_CODES: usize = 10;
/// Digests go out from 08:00, and not after 20:00 (a late start waits for the next day).
const DIGEST_HOUR: u32 = 8;
const DIGEST_LAST_HOUR: u32 = 20;

fn time_cell(ms: Option<i64>) -> Cell {
    ms.map(|t| Cell::Text(format_date_time(t)))
        .unwrap_or(Cell::Empty)
}

/// How many rows `export_table` would return: checked first, so an export too large to
/// build in memory is refused instead of attempted.
pub async fn export_rows(
    conn: &mut Conn,
    kind: ExportKind,
    unit_path: &str,
) -> Result<i64, StoreError> {
    let sql = match kind {
        ExportKind::Members => {
            "SELECT COUNT(*) AS n FROM members m JOIN units u ON u.id = m.unit_id
             WHERE u.path LIKE $1 AND m.role <> 'liaison'"
        }
        ExportKind::Signatures => {
            "SELECT COUNT(*) AS n FROM commitment_signatures s
             JOIN members m ON m.id = s.member_id JOIN units u ON u.id = m.unit_id
             WHERE u.path LIKE $1"
        }
        ExportKind::Tips => {
            "SELECT COUNT(*) AS n FROM tips t JOIN units u ON u.id = t.unit_id
             WHERE u.path LIKE $1"
        }
        ExportKind::Deliveries => {
            "SELECT COUNT(*) AS n FROM broadcasts b JOIN units u ON u.id = b.unit_id
             WHERE u.path LIKE $1"
        }
    };
    Ok(sqlx::query(sql)
        .bind(format!("{unit_path}%"))
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?)
}

/// The rows of one export for the subtree of `unit_path`, headers in `lang`.
/// Rows are streamed from the database: only the converted cells are kept in memory,
/// not the driver's rows as well.
pub async fn export_table(
    conn: &mut Conn,
    notices: &dyn Notices,
    lang: Lang,
    kind: ExportKind,
    unit_path: &str,
) -> Result<Table, StoreError> {
    let scope = format!("{unit_path}%");
    let word = |w: ExportWord| notices.text(lang, &Notice::Export(w));
    let t = |id: &str| word(ExportWord::Label(id));
    let yes_no = |b: bool| word(ExportWord::YesNo(b));
    let rows = match kind {
        ExportKind::Members => {
            let mut rows = sqlx::query(
                "SELECT u.code, u.name, m.display_name, m.role, m.joined_at, m.unreachable_at,
                        CAST(CASE WHEN EXISTS (SELECT 1 FROM identities i WHERE i.member_id = m.id AND i.channel = 'telegram') THEN 1 ELSE 0 END AS BIGINT) AS tg,
                        CAST(CASE WHEN EXISTS (SELECT 1 FROM identities i WHERE i.member_id = m.id AND i.channel = 'zalo') THEN 1 ELSE 0 END AS BIGINT) AS zl
                 FROM members m JOIN units u ON u.id = m.unit_id
                 WHERE u.path LIKE $1 AND m.role <> 'liaison'
                 ORDER BY u.path, m.display_name, m.id",
            )
            .bind(&scope)
            .fetch(&mut *conn);
            let mut out = Vec::new();
            while let Some(r) = rows.try_next().await? {
                let role = Role::parse(&r.try_get::<String, _>("role")?)
                    .map(|role| word(ExportWord::Role(role)))
                    .unwrap_or_default();
                let unreachable: Option<i64> = r.try_get("unreachable_at")?;
                out.push(vec![
                    Cell::from(r.try_get::<String, _>("code")?),
                    Cell::from(r.try_get::<String, _>("name")?),
                    Cell::from(r.try_get::<String, _>("display_name")?),
                    Cell::from(role),
                    Cell::from(yes_no(r.try_get::<i64, _>("tg")? == 1)),
                    Cell::from(yes_no(r.try_get::<i64, _>("zl")? == 1)),
                    time_cell(Some(r.try_get("joined_at")?)),
                    Cell::from(yes_no(unreachable.is_none())),
                ]);
            }
            out
        }
        ExportKind::Signatures => {
            let mut rows = sqlx::query(
                "SELECT c.title, s.version, m.display_name, u.name, s.signed_at, s.channel,
                        CAST(CASE WHEN s.version = c.current_version THEN 1 ELSE 0 END AS BIGINT) AS current
                 FROM commitment_signatures s
                 JOIN commitment_campaigns c ON c.id = s.campaign_id
                 JOIN members m ON m.id = s.member_id
                 JOIN units u ON u.id = m.unit_id
                 WHERE u.path LIKE $1
                 ORDER BY c.id, u.path, m.display_name, m.id, s.version",
            )
            .bind(&scope)
            .fetch(&mut *conn);
            let mut out = Vec::new();
            while let Some(r) = rows.try_next().await? {
                out.push(vec![
                    Cell::from(r.try_get::<String, _>("title")?),
                    Cell::Int(r.try_get("version")?),
                    Cell::from(yes_no(r.try_get::<i64, _>("current")? == 1)),
                    Cell::from(r.try_get::<String, _>("display_name")?),
                    Cell::from(r.try_get::<String, _>("name")?),
                    time_cell(Some(r.try_get("signed_at")?)),
                    Cell::from(r.try_get::<String, _>("channel")?),
                ]);
            }
            out
        }
        ExportKind::Tips => {
            // An anonymous reporter's name never leaves the database.
            let mut rows = sqlx::query(
                "SELECT t.receipt_code, t.category, t.status, u.name AS unit, h.name AS handler,
                        t.created_at, t.acknowledged_at, t.resolved_at, t.description,
                        t.location_text, t.happened_text, t.resolution_note,
                        CASE WHEN t.anonymous = 0 THEN m.display_name END AS reporter
                 FROM tips t
                 JOIN units u ON u.id = t.unit_id
                 JOIN units h ON h.id = t.handling_unit_id
                 LEFT JOIN members m ON m.id = t.reporter_member_id
                 WHERE u.path LIKE $1
                 ORDER BY t.created_at, t.id",
            )
            .bind(&scope)
            .fetch(&mut *conn);
            let mut out = Vec::new();
            while let Some(r) = rows.try_next().await? {
                let category = Category::parse(&r.try_get::<String, _>("category")?)
                    .map(|c| word(ExportWord::Category(c)))
                    .unwrap_or_default();
                let status = TipStatus::parse(&r.try_get::<String, _>("status")?)
                    .map(|s| word(ExportWord::TipStatus(s)))
                    .unwrap_or_default();
                let reporter: Option<String> = r.try_get("reporter")?;
                out.push(vec![
                    Cell::from(r.try_get::<String, _>("receipt_code")?),
                    Cell::from(category),
                    Cell::from(status),
                    Cell::from(r.try_get::<String, _>("unit")?),
                    Cell::from(r.try_get::<String, _>("handler")?),
                    time_cell(Some(r.try_get("created_at")?)),
                    time_cell(r.try_get("acknowledged_at")?),
                    time_cell(r.try_get("resolved_at")?),
                    Cell::from(r.try_get::<String, _>("description")?),
                    Cell::from(r.try_get::<Option<String>, _>("location_text")?),
                    Cell::from(r.try_get::<Option<String>, _>("happened_text")?),
                    Cell::from(reporter.unwrap_or_else(|| word(ExportWord::Anonymous))),
                    Cell::from(r.try_get::<Option<String>, _>("resolution_note")?),
                ]);
            }
            out
        }
        ExportKind::Deliveries => {
            let mut rows = sqlx::query(
                "SELECT b.id, b.created_at, b.started_at, b.finished_at, b.status, b.text, b.total,
                        u.name AS unit, a.display_name AS author,
                        (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id AND o.status = 'sent') AS sent,
                        (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id AND o.status = 'failed') AS failed,
                        (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id AND o.status = 'unreachable') AS unreachable,
                        (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id AND o.status = 'cancelled') AS cancelled
                 FROM broadcasts b
                 JOIN units u ON u.id = b.unit_id
                 LEFT JOIN members a ON a.id = b.author_member_id
                 WHERE u.path LIKE $1
                 ORDER BY b.created_at, b.id",
            )
            .bind(&scope)
            .fetch(&mut *conn);
            let mut out = Vec::new();
            while let Some(r) = rows.try_next().await? {
                let text: String = r.try_get("text")?;
                let excerpt: String = text.chars().take(200).collect();
                out.push(vec![
                    Cell::Int(r.try_get("id")?),
                    time_cell(Some(r.try_get("created_at")?)),
                    time_cell(r.try_get("started_at")?),
                    time_cell(r.try_get("finished_at")?),
                    Cell::from(r.try_get::<String, _>("unit")?),
                    Cell::from(r.try_get::<Option<String>, _>("author")?),
                    Cell::from(excerpt),
                    Cell::Int(r.try_get("total")?),
                    Cell::Int(r.try_get("sent")?),
                    Cell::Int(r.try_get("failed")?),
                    Cell::Int(r.try_get("unreachable")?),
                    Cell::Int(r.try_get("cancelled")?),
                    Cell::from(r.try_get::<String, _>("status")?),
                ]);
            }
            out
        }
    };
    Ok(Table {
        sheet: t(kind.sheet_id()),
        headers: kind.column_ids().iter().map(|id| t(id)).collect(),
        rows,
    })
}

/// The figures of one unit's digest, over its whole subtree; `since` starts the period.
pub async fn digest_facts(
    conn: &mut Conn,
    unit_id: i64,
    unit_path: &str,
    since: i64,
    now: i64,
) -> Result<DigestFacts, StoreError> {
    let scope = format!("{unit_path}%");
    // From the per-unit counters (store::tallies), not a scan of the members.
    let counts = super::tallies::MemberCounts::load(conn, unit_path).await?;
    let [members, reachable] = counts.below(unit_path).total;

    let campaigns = commitments::rollups_with(conn, &counts, unit_id, unit_path)
        .await?
        .into_iter()
        .map(|c| {
            let own = c.rows.first();
            (
                c.title,
                own.map(|r| r.signed).unwrap_or(0),
                own.map(|r| r.scope).unwrap_or(0),
            )
        })
        .collect();

    // Open tips of any age and tips reported in the period.
    let tips = sqlx::query(
        "SELECT t.category, t.status, COUNT(*) AS n
         FROM tips t JOIN units u ON u.id = t.unit_id
         WHERE u.path LIKE $1 AND (t.status <> 'resolved' OR t.created_at >= $2)
         GROUP BY t.category, t.status ORDER BY t.category, t.status",
    )
    .bind(&scope)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get::<String, _>("category")?,
            r.try_get::<String, _>("status")?,
            r.try_get::<i64, _>("n")?,
        ))
    })
    .collect::<Result<Vec<_>, StoreError>>()?;

    // Overdue: nobody has taken it and its deadline passed, now or at an earlier level.
    const OVERDUE: &str = "FROM tips t JOIN units u ON u.id = t.unit_id
         WHERE u.path LIKE $1 AND t.status = 'new'
           AND ((t.escalate_at IS NOT NULL AND t.escalate_at <= $2)
                OR EXISTS (SELECT 1 FROM tip_events e WHERE e.tip_id = t.id AND e.kind = 'overdue'))";
    let overdue = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT t.receipt_code {OVERDUE} ORDER BY t.created_at, t.id LIMIT {MAX_OVERDUE_CODES}"
    )))
    .bind(&scope)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get("receipt_code"))
    .collect::<Result<Vec<String>, _>>()?;
    let overdue_total: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n {OVERDUE}"
    )))
    .bind(&scope)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;

    let directives = sqlx::query(
        "SELECT d.title,
                (SELECT COUNT(*) FROM directive_receipts r WHERE r.directive_id = d.id) AS reached,
                (SELECT COUNT(DISTINCT i.member_id) FROM outbox o
                 JOIN identities i ON i.channel = o.channel AND i.chat_id = o.chat_id
                 WHERE o.directive_id = d.id AND o.status = 'sent') AS delivered
         FROM directives d JOIN units u ON u.id = d.unit_id
         WHERE u.path LIKE $1 AND d.published_at >= $2
         ORDER BY d.published_at, d.id",
    )
    .bind(&scope)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(DirectiveReach {
            title: r.try_get("title")?,
            sent_to: r.try_get("reached")?,
            delivered: r.try_get("delivered")?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;

    // Sends that failed for good; the partial index `outbox_failed` keeps this cheap
    // however large the outbox grows.
    let r = sqlx::query(
        "SELECT COUNT(*) AS n,
                CAST(COALESCE(SUM(CASE WHEN o.error LIKE 'zalo quota exceeded%' THEN 1 ELSE 0 END), 0) AS BIGINT) AS quota
         FROM outbox o
         JOIN identities i ON i.channel = o.channel AND i.chat_id = o.chat_id
         JOIN members m ON m.id = i.member_id JOIN units u ON u.id = m.unit_id
         WHERE o.status = 'failed' AND o.created_at >= $2 AND u.path LIKE $1",
    )
    .bind(&scope)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    let failed_sends: i64 = r.try_get("n")?;
    let over_quota: i64 = r.try_get("quota")?;
    // Held outside a Zalo OA's 48 hours now, whenever queued (partial index).
    let outside_window: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM outbox o
         JOIN identities i ON i.channel = o.channel AND i.chat_id = o.chat_id
         JOIN members m ON m.id = i.member_id JOIN units u ON u.id = m.unit_id
         WHERE o.status = 'outside_window' AND u.path LIKE $1",
    )
    .bind(&scope)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;

    let acknowledgements = acknowledgements::rollups(conn, unit_id, unit_path)
        .await?
        .into_iter()
        .filter_map(|a| {
            let own = a.rows.first()?;
            Some((a.title, own.signed, own.scope))
        })
        .collect();

    Ok(DigestFacts {
        members,
        reachable,
        failed_sends,
        over_quota,
        outside_window,
        campaigns,
        tips,
        overdue,
        overdue_total,
        directives,
        acknowledgements,
    })
}

/// The period a digest covers and its once-only key, if one is due at `now`.
pub fn digest_period(every: DigestEvery, now: i64) -> Option<(String, i64)> {
    let local = Utc
        .timestamp_millis_opt(now)
        .single()?
        .with_timezone(&Ho_Chi_Minh);
    if !(DIGEST_HOUR..DIGEST_LAST_HOUR).contains(&local.hour()) {
        return None;
    }
    let day_ms = 24 * 3600 * 1000;
    match every {
        DigestEvery::Off => None,
        DigestEvery::Daily => Some((local.format("%Y-%m-%d").to_string(), now - day_ms)),
        DigestEvery::Weekly => {
            if local.weekday() != chrono::Weekday::Mon {
                return None;
            }
            let week = local.iso_week();
            Some((
                format!("{}-W{:02}", week.year(), week.week()),
                now - 7 * day_ms,
            ))
        }
    }
}

impl Store {
    /// Set how often a unit's officers get the digest.
    pub async fn set_digest_every(
        &self,
        unit_id: i64,
        every: DigestEvery,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO digest_settings (unit_id, every) VALUES ($1, $2)
             ON CONFLICT (unit_id) DO UPDATE SET every = $2",
        )
        .bind(unit_id)
        .bind(every.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Send every digest due at `now`: to the officers of each unit that has officers,
    /// once per unit and period. Returns the messages queued.
    pub async fn send_digests(&self, notices: &dyn Notices, now: i64) -> Result<u64, StoreError> {
        let units = sqlx::query(
            "SELECT u.id, u.name, u.path, COALESCE(s.every, 'weekly') AS every
             FROM units u LEFT JOIN digest_settings s ON s.unit_id = u.id
             WHERE EXISTS (SELECT 1 FROM members m WHERE m.unit_id = u.id AND m.role = 'officer')
             ORDER BY u.path",
        )
        .fetch_all(self.pool())
        .await?;
        let mut queued = 0;
        for r in units {
            let every = DigestEvery::parse(&r.try_get::<String, _>("every")?).unwrap_or_default();
            let Some((period, since)) = digest_period(every, now) else {
                continue;
            };
            let unit_id: i64 = r.try_get("id")?;
            let name: String = r.try_get("name")?;
            let path: String = r.try_get("path")?;
            // One unit's digest failing (or a bug in it) must not keep the others from
            // theirs: it is logged, counted, and its once-key rolls back for a later try.
            let one = self.digest_one(notices, unit_id, &name, &path, every, &period, since, now);
            match AssertUnwindSafe(one).catch_unwind().await {
                Ok(Ok(n)) => queued += n,
                Ok(Err(e)) => {
                    tracing::error!(unit_id, error = %e, "digest failed");
                    metrics::counter!("congdoan_scheduler_failures_total", "job" => "digest")
                        .increment(1);
                }
                Err(_) => {
                    tracing::error!(unit_id, "digest panicked");
                    metrics::counter!("congdoan_scheduler_failures_total", "job" => "digest")
                        .increment(1);
                }
            }
        }
        Ok(queued)
    }

    /// One unit's digest to its officers, in one transaction with its once-key.
    #[allow(clippy::too_many_arguments)]
    async fn digest_one(
        &self,
        notices: &dyn Notices,
        unit_id: i64,
        name: &str,
        path: &str,
        every: DigestEvery,
        period: &str,
        since: i64,
        now: i64,
    ) -> Result<u64, StoreError> {
        let mut queued = 0;
        let mut tx = self.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO digests_sent (unit_id, period, sent_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(unit_id)
        .bind(period)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(0);
        }
        let facts = digest_facts(&mut tx, unit_id, path, since, now).await?;
        let officers = sqlx::query(
            "SELECT i.channel, i.chat_id, m.lang FROM members m
             JOIN identities i ON i.member_id = m.id
             WHERE m.unit_id = $1 AND m.role = 'officer' AND m.unreachable_at IS NULL
              ",
        )
        .bind(unit_id)
        .fetch_all(&mut *tx)
        .await?;
        for o in officers {
            let lang = Lang::parse(&o.try_get::<String, _>("lang")?).unwrap_or_default();
            let channel: String = o.try_get("channel")?;
            let chat: String = o.try_get("chat_id")?;
            let text = notices.text(
                lang,
                &Notice::Digest {
                    unit: name,
                    every,
                    facts: &facts,
                },
            );
            let body = Outbound::Message {
                text,
                buttons: vec![],
            };
            enqueue(&mut tx, &channel, &chat, &body, PRIORITY_BULK, now).await?;
            queued += 1;
        }
        tx.commit().await?;
        Ok(queued)
    }
}
