//! Campaign dates and the reminders sent for them.

use sqlx::Row;

use super::fanout::{Audience, Tag, to_members};
use super::{Conn, Store, StoreError};
use crate::core::calendar::{CampaignView, DEFAULT_REMIND_DAYS, DEFAULT_REMIND_HOUR, Recurrence};
use crate::core::conversation::SuggestedDate;
use crate::core::domain::Lang;

/// Add dates for the subtrees of `unit_ids` (those inside `root_path` only).
pub async fn create(
    conn: &mut Conn,
    root_path: &str,
    unit_ids: &[i64],
    dates: &[SuggestedDate],
    now: i64,
) -> Result<u64, StoreError> {
    let mut n = 0;
    for &unit_id in unit_ids {
        let path: Option<String> = sqlx::query("SELECT path FROM units WHERE id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get("path"))
            .transpose()?;
        if !path.is_some_and(|p| p.starts_with(root_path)) {
            continue;
        }
        for d in dates {
            let (recurrence, year) = match d.year {
                _ if d.lunar => ("lunar_yearly", None),
                Some(y) => ("once", Some(i64::from(y))),
                None => ("yearly", None),
            };
            let (remind_days, remind_hour) = d
                .remind
                .clone()
                .unwrap_or((DEFAULT_REMIND_DAYS.to_vec(), DEFAULT_REMIND_HOUR));
            sqlx::query(
                "INSERT INTO campaigns (unit_id, title, recurrence, day, month, year, remind_days, remind_hour, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(unit_id)
            .bind(&d.label)
            .bind(recurrence)
            .bind(i64::from(d.day))
            .bind(i64::from(d.month))
            .bind(year)
            .bind(serde_json::to_string(&remind_days).unwrap_or_else(|_| "[7,1,0]".into()))
            .bind(i64::from(remind_hour))
            .bind(now)
            .execute(&mut *conn)
            .await?;
            n += 1;
        }
    }
    Ok(n)
}

fn to_view(r: &sqlx::any::AnyRow) -> Result<(CampaignView, String), StoreError> {
    let day: i64 = r.try_get("day")?;
    let month: i64 = r.try_get("month")?;
    let year: Option<i64> = r.try_get("year")?;
    let recurrence = match (r.try_get::<String, _>("recurrence")?.as_str(), year) {
        ("lunar_yearly", _) => Recurrence::LunarYearly {
            day: day as u32,
            month: month as u32,
        },
        ("once", Some(y)) => Recurrence::Once {
            day: day as u32,
            month: month as u32,
            year: y as i32,
        },
        _ => Recurrence::Yearly {
            day: day as u32,
            month: month as u32,
        },
    };
    let remind_days: Vec<i64> = serde_json::from_str(&r.try_get::<String, _>("remind_days")?)
        .unwrap_or_else(|_| DEFAULT_REMIND_DAYS.to_vec());
    Ok((
        CampaignView {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            unit_name: r.try_get("unit_name")?,
            recurrence,
            remind_days,
            remind_hour: r.try_get::<i64, _>("remind_hour")?.clamp(0, 23) as u32,
        },
        r.try_get("path")?,
    ))
}

const CAMPAIGN_COLUMNS: &str =
    "c.id, c.title, c.recurrence, c.day, c.month, c.year, c.remind_days, c.remind_hour,
     u.name AS unit_name, u.path";

/// Open campaigns that apply to a unit: those of the unit itself and of its ancestors.
pub async fn for_unit_path(
    conn: &mut Conn,
    unit_path: &str,
) -> Result<Vec<CampaignView>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns c JOIN units u ON u.id = c.unit_id
         WHERE c.closed_at IS NULL AND $1 LIKE u.path || '%' ORDER BY c.id"
    )))
    .bind(unit_path)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| to_view(r).map(|(c, _)| c)).collect()
}

impl Store {
    /// Every open campaign with the path of its target subtree.
    pub async fn open_campaigns(&self) -> Result<Vec<(CampaignView, String)>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaigns c JOIN units u ON u.id = c.unit_id
             WHERE c.closed_at IS NULL ORDER BY c.id"
        )))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(to_view).collect()
    }

    /// Send one reminder once: the (campaign, occurrence, days_before) key is taken in
    /// the same transaction that queues the messages, so a restart or a second
    /// instance finds it taken. Returns the rows queued, or `None` if already sent.
    pub async fn send_reminder_once(
        &self,
        campaign_id: i64,
        subtree_path: &str,
        occurrence: &str,
        days_before: i64,
        text_for: impl Fn(Lang) -> String,
        now: i64,
    ) -> Result<Option<u64>, StoreError> {
        let mut tx = self.begin().await?;
        let taken = sqlx::query(
            "INSERT INTO campaign_reminders (campaign_id, occurrence, days_before, sent_at, recipients)
             VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING",
        )
        .bind(campaign_id)
        .bind(occurrence)
        .bind(days_before)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            return Ok(None);
        }
        // `now` may be a test's clock; the messages themselves are due right away.
        let audience = Audience {
            path: subtree_path,
            ..Audience::default()
        };
        let queued = to_members(
            &mut tx,
            &audience,
            |lang| crate::core::event::Outbound::Message {
                text: text_for(lang),
                buttons: vec![],
            },
            Tag::None,
            crate::core::time::now_ms(),
        )
        .await?;
        sqlx::query(
            "UPDATE campaign_reminders SET recipients = $1 WHERE campaign_id = $2 AND occurrence = $3 AND days_before = $4",
        )
        .bind(queued as i64)
        .bind(campaign_id)
        .bind(occurrence)
        .bind(days_before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(queued))
    }
}
