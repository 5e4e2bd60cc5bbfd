//! Commitment campaigns: immutable numbered text versions, signatures, roll-ups over
//! the tree and the once-a-day reminders. Scope ("who must sign") is always decided in
//! SQL from the campaign row: members whose unit lies in the campaign's subtree and
//! whose role matches (`everyone` = every role).

use sqlx::Row;

use super::fanout::{Audience, Tag, to_members};
use super::{Conn, Store, StoreError, prompts};
use crate::core::conversation::PendingPrompt;
use crate::core::conversation::{
    CommitDraft, CommitmentView, MemberView, PromptFlow, ReminderSchedule, Rollup, RollupRow,
    text_hash, title_of,
};
use crate::core::domain::{Lang, Role};
use crate::core::event::{Button, Outbound};
use crate::core::notices::{Notice, Notices};

const VIEW_COLUMNS: &str = "c.id, c.title, c.current_version AS version, c.deadline_at,
     u.name AS unit_name, v.text, v.text_hash";

fn to_view(r: &sqlx::any::AnyRow) -> Result<CommitmentView, StoreError> {
    Ok(CommitmentView {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        version: r.try_get("version")?,
        text: r.try_get("text")?,
        text_hash: r.try_get("text_hash")?,
        deadline_at: r.try_get("deadline_at")?,
        unit_name: r.try_get("unit_name")?,
        signed_version: r.try_get("signed_version")?,
        signed_at: r.try_get("signed_at")?,
    })
}

/// Open campaigns the member must sign (their unit in the subtree, their role in
/// scope), optionally only campaign `only`, with what they signed.
async fn for_member(
    conn: &mut Conn,
    m: &MemberView,
    only: Option<i64>,
) -> Result<Vec<CommitmentView>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VIEW_COLUMNS},
            (SELECT MAX(s.version) FROM commitment_signatures s
              WHERE s.campaign_id = c.id AND s.member_id = $1) AS signed_version,
            (SELECT MAX(s.signed_at) FROM commitment_signatures s
              WHERE s.campaign_id = c.id AND s.member_id = $1) AS signed_at
         FROM commitment_campaigns c
         JOIN units u ON u.id = c.unit_id
         JOIN commitment_versions v ON v.campaign_id = c.id AND v.version = c.current_version
         WHERE c.closed_at IS NULL AND $2 LIKE u.path || '%'
           AND (c.signers = 'everyone' OR c.signers = $3)
           AND ($4 < 0 OR c.id = $4)
         ORDER BY c.deadline_at, c.id
         LIMIT 20"
    )))
    .bind(m.id)
    .bind(&m.unit_path)
    .bind(m.role.as_str())
    .bind(only.unwrap_or(-1))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(to_view).collect()
}

/// Open campaigns opened in the officer's subtree (they may edit or close them).
/// Open campaigns opened in the subtree at `officer_path`: the ones its officers may
/// revise or close.
pub async fn managed(
    conn: &mut Conn,
    officer_path: &str,
) -> Result<Vec<CommitmentView>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VIEW_COLUMNS}, NULL AS signed_version, NULL AS signed_at
         FROM commitment_campaigns c
         JOIN units u ON u.id = c.unit_id
         JOIN commitment_versions v ON v.campaign_id = c.id AND v.version = c.current_version
         WHERE c.closed_at IS NULL AND u.path LIKE $1
         ORDER BY c.id DESC LIMIT 20"
    )))
    .bind(format!("{officer_path}%"))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CommitmentView {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                version: r.try_get("version")?,
                text: r.try_get("text")?,
                text_hash: r.try_get("text_hash")?,
                deadline_at: r.try_get("deadline_at")?,
                unit_name: r.try_get("unit_name")?,
                signed_version: None,
                signed_at: None,
            })
        })
        .collect()
}

/// Look up what the core needs about commitments for this member: the list (and
/// managed ones), one campaign by id, the roll-ups.
pub async fn load_facts(
    conn: &mut Conn,
    m: &MemberView,
    (list, one, rollup): (bool, Option<i64>, bool),
    facts: &mut crate::core::conversation::Facts,
) -> Result<(), StoreError> {
    use crate::core::domain::Role;
    if list {
        facts.commitments = for_member(conn, m, None).await?;
        if m.role == Role::Officer {
            facts.managed_commitments = managed(conn, &m.unit_path).await?;
        }
    }
    if let Some(id) = one {
        facts.commitment = for_member(conn, m, Some(id)).await?.into_iter().next();
    }
    if rollup && m.role == Role::Officer {
        facts.rollups = rollups(conn, m.unit_id, &m.unit_path).await?;
    }
    Ok(())
}

/// Progress of every open campaign that touches the officer's subtree (opened above
/// it or inside it), newest first.
pub async fn rollups(
    conn: &mut Conn,
    unit_id: i64,
    unit_path: &str,
) -> Result<Vec<Rollup>, StoreError> {
    let counts = super::tallies::MemberCounts::load(conn, unit_path).await?;
    rollups_with(conn, &counts, unit_id, unit_path).await
}

/// [`rollups`] with the subtree's member counters already read.
pub async fn rollups_with(
    conn: &mut Conn,
    counts: &super::tallies::MemberCounts,
    unit_id: i64,
    unit_path: &str,
) -> Result<Vec<Rollup>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.id, c.title, c.current_version, c.deadline_at FROM commitment_campaigns c
         JOIN units u ON u.id = c.unit_id
         WHERE c.closed_at IS NULL AND ($1 LIKE u.path || '%' OR u.path LIKE $2)
         ORDER BY c.id DESC LIMIT 5",
    )
    .bind(unit_path)
    .bind(format!("{unit_path}%"))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = vec![];
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let (rows, unsigned, unsigned_total) =
            rollup_with(conn, counts, id, unit_id, unit_path).await?;
        out.push(Rollup {
            id,
            title: r.try_get("title")?,
            version: r.try_get("current_version")?,
            deadline_at: r.try_get("deadline_at")?,
            rows,
            unsigned,
            unsigned_total,
        });
    }
    Ok(out)
}

/// One campaign's roll-up for a unit: the unit itself then each direct child, each
/// counted over its whole subtree (members in scope who signed the current version /
/// members in scope), and the names of the unit's own members who have not signed.
/// Counted from the per-unit counters, summed per subtree by path prefix.
pub async fn rollup(
    conn: &mut Conn,
    campaign_id: i64,
    unit_id: i64,
    unit_path: &str,
) -> Result<(Vec<RollupRow>, Vec<String>, i64), StoreError> {
    let counts = super::tallies::MemberCounts::load(conn, unit_path).await?;
    rollup_with(conn, &counts, campaign_id, unit_id, unit_path).await
}

/// [`rollup`] with the subtree's member counters already read (once for a page that
/// shows several campaigns).
async fn rollup_with(
    conn: &mut Conn,
    counts: &super::tallies::MemberCounts,
    campaign_id: i64,
    unit_id: i64,
    unit_path: &str,
) -> Result<(Vec<RollupRow>, Vec<String>, i64), StoreError> {
    // From the per-unit counters (store::tallies), not a scan of the members.
    let rolled = super::tallies::signatures_below(conn, counts, campaign_id, unit_path).await?;
    let rows = super::tallies::unit_and_children(conn, unit_id)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let [signed, scope] = rolled.of(unit_id, id);
            RollupRow {
                unit_id: id,
                name,
                signed,
                scope,
            }
        })
        .collect::<Vec<_>>();
    const UNSIGNED_DIRECT: &str = "FROM commitment_campaigns c
         JOIN units cu ON cu.id = c.unit_id
         JOIN members m ON m.unit_id = $2
         WHERE c.id = $1 AND $3 LIKE cu.path || '%'
           AND (c.signers = 'everyone' OR c.signers = m.role)
           AND NOT EXISTS (SELECT 1 FROM commitment_signatures s
               WHERE s.campaign_id = c.id AND s.member_id = m.id AND s.version = c.current_version)";
    let names = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT m.display_name {UNSIGNED_DIRECT} ORDER BY m.display_name, m.id LIMIT 30"
    )))
    .bind(campaign_id)
    .bind(unit_id)
    .bind(unit_path)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get("display_name"))
    .collect::<Result<Vec<String>, _>>()?;
    let total: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n {UNSIGNED_DIRECT}"
    )))
    .bind(campaign_id)
    .bind(unit_id)
    .bind(unit_path)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    Ok((rows, names, total))
}

/// Queue `text_for(lang)` with the sign button to every reachable member in the
/// campaign's scope who has not signed its current version, and record the question put
/// to each of them (so a typed "1" signs exactly that version). Returns rows queued.
async fn queue_to_unsigned(
    conn: &mut Conn,
    notices: &dyn Notices,
    c: &Campaign,
    text_for: impl Fn(Lang) -> String,
    now: i64,
) -> Result<u64, StoreError> {
    let audience = Audience {
        path: &c.unit_path,
        role: c.signers,
        unsigned_commitment: Some(c.id),
        ..Audience::default()
    };
    let prompt = PendingPrompt {
        flow: PromptFlow::Commitment,
        object_id: c.id,
        version: c.version,
    };
    prompts::record_for(conn, &audience, &prompt, Some(c.deadline_at), now).await?;
    let sign = crate::core::actions::CommitmentAction::Sign {
        campaign_id: c.id,
        version: c.version,
    }
    .to_string();
    let body = |lang| Outbound::Message {
        text: text_for(lang),
        buttons: vec![vec![Button {
            label: notices.text(lang, &Notice::SignButton),
            data: sign.clone(),
        }]],
    };
    to_members(conn, &audience, body, Tag::None, now).await
}

struct Campaign {
    id: i64,
    /// `None`: everyone signs; else only members with this role.
    signers: Option<Role>,
    unit_path: String,
    title: String,
    version: i64,
    text: String,
    deadline_at: i64,
    unit_name: String,
}

async fn campaign(conn: &mut Conn, id: i64) -> Result<Option<Campaign>, StoreError> {
    let row = sqlx::query(
        "SELECT c.title, c.signers, c.current_version, c.deadline_at, v.text,
                u.name AS unit_name, u.path
         FROM commitment_campaigns c JOIN units u ON u.id = c.unit_id
         JOIN commitment_versions v ON v.campaign_id = c.id AND v.version = c.current_version
         WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Campaign {
            id,
            signers: Role::parse(&r.try_get::<String, _>("signers")?).ok(),
            unit_path: r.try_get("path")?,
            title: r.try_get("title")?,
            version: r.try_get("current_version")?,
            text: r.try_get("text")?,
            deadline_at: r.try_get("deadline_at")?,
            unit_name: r.try_get("unit_name")?,
        })
    })
    .transpose()
}

/// Send the current text to everyone in scope who has not signed it.
async fn send_sign_requests(
    conn: &mut Conn,
    notices: &dyn Notices,
    id: i64,
    now: i64,
) -> Result<u64, StoreError> {
    let Some(c) = campaign(conn, id).await? else {
        return Ok(0);
    };
    let text_for = |lang| {
        notices.text(
            lang,
            &Notice::SignRequest {
                unit: &c.unit_name,
                version: c.version,
                deadline_at: c.deadline_at,
                text: &c.text,
            },
        )
    };
    queue_to_unsigned(conn, notices, &c, text_for, now).await
}

async fn insert_version(
    conn: &mut Conn,
    id: i64,
    version: i64,
    text: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO commitment_versions (campaign_id, version, text, text_hash, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version)
    .bind(text)
    .bind(text_hash(text))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Open a campaign for the officer's own subtree, version 1, and send it. Returns
/// (campaign id, messages queued).
pub async fn create(
    conn: &mut Conn,
    notices: &dyn Notices,
    officer: &MemberView,
    draft: &CommitDraft,
    now: i64,
) -> Result<(i64, u64), StoreError> {
    let weekdays: Vec<String> = draft
        .remind_weekdays
        .iter()
        .map(|d| d.to_string())
        .collect();
    let id: i64 = sqlx::query(
        "INSERT INTO commitment_campaigns (unit_id, title, signers, deadline_at, current_version,
            remind_weekdays, remind_every_days, remind_hour, created_by, created_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(officer.unit_id)
    .bind(title_of(&draft.text))
    .bind(draft.signers.as_str())
    .bind(draft.deadline_at)
    .bind(weekdays.join(","))
    .bind(i64::from(draft.remind_every_days))
    .bind(i64::from(draft.remind_hour))
    .bind(officer.id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    insert_version(conn, id, 1, &draft.text, now).await?;
    let queued = send_sign_requests(conn, notices, id, now).await?;
    Ok((id, queued))
}

/// A new version of the text of a campaign opened in the officer's subtree; everyone
/// in scope is asked to sign again. `None` if the campaign is not theirs or closed.
pub async fn revise(
    conn: &mut Conn,
    notices: &dyn Notices,
    officer: &MemberView,
    id: i64,
    text: &str,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "SELECT c.current_version FROM commitment_campaigns c JOIN units u ON u.id = c.unit_id
         WHERE c.id = $1 AND c.closed_at IS NULL AND u.path LIKE $2",
    )
    .bind(id)
    .bind(format!("{}%", officer.unit_path))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let version: i64 = row.try_get::<i64, _>("current_version")? + 1;
    insert_version(conn, id, version, text, now).await?;
    sqlx::query("UPDATE commitment_campaigns SET current_version = $1, title = $2 WHERE id = $3")
        .bind(version)
        .bind(title_of(text))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    send_sign_requests(conn, notices, id, now).await?;
    Ok(Some(version))
}

/// Close a campaign opened in the officer's subtree: no more signatures or reminders.
pub async fn close(
    conn: &mut Conn,
    officer: &MemberView,
    id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let closed = sqlx::query(
        "UPDATE commitment_campaigns SET closed_at = $1
         WHERE id = $2 AND closed_at IS NULL
           AND unit_id IN (SELECT id FROM units WHERE path LIKE $3)",
    )
    .bind(now)
    .bind(id)
    .bind(format!("{}%", officer.unit_path))
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if closed {
        super::prompts::answered(conn, None, PromptFlow::Commitment, id).await?;
    }
    Ok(closed)
}

/// Record a signature of the current version, only if the campaign is open, the
/// member is in its scope and the hash is the version's. Signing twice changes
/// nothing. Returns whether a signature was recorded.
pub async fn sign(
    conn: &mut Conn,
    member: &MemberView,
    campaign_id: i64,
    version: i64,
    hash: &str,
    channel: &str,
    now: i64,
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO commitment_signatures (campaign_id, member_id, version, text_hash, signed_at, channel)
         SELECT c.id, $2, v.version, v.text_hash, $6, $7
         FROM commitment_campaigns c
         JOIN units u ON u.id = c.unit_id
         JOIN commitment_versions v ON v.campaign_id = c.id AND v.version = c.current_version
         WHERE c.id = $1 AND c.closed_at IS NULL AND c.current_version = $3
           AND v.text_hash = $4 AND $5 LIKE u.path || '%'
           AND (c.signers = 'everyone' OR c.signers = $8)
         ON CONFLICT DO NOTHING",
    )
    .bind(campaign_id)
    .bind(member.id)
    .bind(version)
    .bind(hash)
    .bind(&member.unit_path)
    .bind(now)
    .bind(channel)
    .bind(member.role.as_str())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0)
}

impl Store {
    /// Open campaigns with their reminder schedules.
    pub async fn commitment_schedules(&self) -> Result<Vec<(i64, ReminderSchedule)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, remind_weekdays, remind_every_days, remind_hour, created_at, deadline_at
             FROM commitment_campaigns WHERE closed_at IS NULL ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let weekdays: String = r.try_get("remind_weekdays")?;
                Ok((
                    r.try_get("id")?,
                    ReminderSchedule {
                        weekdays: weekdays
                            .split(',')
                            .filter_map(|d| d.trim().parse().ok())
                            .collect(),
                        every_days: r.try_get::<i64, _>("remind_every_days")?.clamp(0, 365) as u32,
                        hour: r.try_get::<i64, _>("remind_hour")?.clamp(0, 23) as u32,
                        created_at: r.try_get("created_at")?,
                        deadline_at: r.try_get("deadline_at")?,
                    },
                ))
            })
            .collect()
    }

    /// Remind everyone in scope who has not signed, once per (campaign, local date):
    /// the key is taken in the transaction that queues the messages. `None` if taken.
    pub async fn send_commitment_reminder_once(
        &self,
        notices: &dyn Notices,
        campaign_id: i64,
        local_date: &str,
        now: i64,
    ) -> Result<Option<u64>, StoreError> {
        let mut tx = self.begin().await?;
        let taken = sqlx::query(
            "INSERT INTO commitment_reminders (campaign_id, local_date, sent_at, recipients)
             VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING",
        )
        .bind(campaign_id)
        .bind(local_date)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            return Ok(None);
        }
        let Some(c) = campaign(&mut tx, campaign_id).await? else {
            return Ok(None);
        };
        let text_for = |lang| {
            notices.text(
                lang,
                &Notice::CommitmentReminder {
                    title: &c.title,
                    deadline_at: c.deadline_at,
                },
            )
        };
        // `now` may be a test's clock; the messages themselves are due right away.
        let queued =
            queue_to_unsigned(&mut tx, notices, &c, text_for, crate::core::time::now_ms()).await?;
        sqlx::query(
            "UPDATE commitment_reminders SET recipients = $1 WHERE campaign_id = $2 AND local_date = $3",
        )
        .bind(queued as i64)
        .bind(campaign_id)
        .bind(local_date)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(queued))
    }
}
