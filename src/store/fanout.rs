//! Messages to many members at once: one outbox row per member account, written by one
//! `INSERT … SELECT` per language (nothing is loaded into memory). Directives, campaign
//! dates, broadcasts, commitments and their reminders all go through [`to_members`]; the
//! pending prompts of a bulk question go through [`Audience`] too, so the people asked and
//! the people recorded as asked are chosen by the same SQL.

use super::outbox::PRIORITY_BULK;
use super::{Conn, StoreError};
use crate::core::actions::AckKind;
use crate::core::domain::{Lang, Role};
use crate::core::event::Outbound;

/// Which platform accounts of the chosen members get the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Accounts<'a> {
    #[default]
    All,
    /// Only accounts on this channel (a file that lives on that platform).
    On(&'a str),
    /// Accounts on every other channel.
    NotOn(&'a str),
}

/// Who a bulk message is for: reachable members of a subtree, narrowed by the optional
/// filters. Built by the store function that owns the rule (publishing, broadcasts,
/// commitments), never from input.
#[derive(Debug, Clone, Default)]
pub struct Audience<'a> {
    /// Materialised path of the subtree's root unit.
    pub path: &'a str,
    /// The author is never sent their own message.
    pub except_member: Option<i64>,
    /// Only members with this role.
    pub role: Option<Role>,
    /// Only members under one of the units chosen for this broadcast (when it chose any).
    pub chosen_units_of_broadcast: Option<i64>,
    /// Only members under one of the units chosen for this poll (when it chose any).
    pub chosen_units_of_poll: Option<i64>,
    /// Only members under one of the units chosen for this quiz (when it chose any).
    pub chosen_units_of_quiz: Option<i64>,
    /// Only members who have not signed the current version of this commitment.
    pub unsigned_commitment: Option<i64>,
    /// Only members asked to confirm this directive or broadcast («Đã nắm») who have
    /// not yet.
    pub unacknowledged: Option<(AckKind, i64)>,
    /// Only the officers and leaders of the target units of this report request, and
    /// with `true` only of the units that have not submitted.
    pub report_fillers: Option<(i64, bool)>,
    pub accounts: Accounts<'a>,
}

/// What the outbox rows are counted under, for delivery reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    None,
    Directive(i64),
    Broadcast(i64),
}

enum Bind {
    Text(String),
    Int(i64),
}

impl Audience<'_> {
    /// The `WHERE` conditions over `members m` and `units u` (and `identities i` when
    /// `with_accounts`), with their values numbered from `$first`.
    fn conditions(&self, first: usize, with_accounts: bool) -> (String, Vec<Bind>) {
        // The police liaison is not a union member: never in a bulk send's audience.
        let mut sql =
            String::from("u.path LIKE $P AND m.unreachable_at IS NULL AND m.role <> 'liaison'");
        let mut binds = vec![Bind::Text(format!("{}%", self.path))];
        let next = |sql: &mut String, cond: &str, bind: Bind, binds: &mut Vec<Bind>| {
            binds.push(bind);
            sql.push_str(" AND ");
            sql.push_str(&cond.replace("$V", &format!("${}", first + binds.len() - 1)));
        };
        if let Some(id) = self.except_member {
            next(&mut sql, "m.id <> $V", Bind::Int(id), &mut binds);
        }
        if let Some(role) = self.role {
            next(
                &mut sql,
                "m.role = $V",
                Bind::Text(role.as_str().into()),
                &mut binds,
            );
        }
        if let Some(id) = self.chosen_units_of_broadcast {
            next(
                &mut sql,
                "(NOT EXISTS (SELECT 1 FROM broadcast_units bu WHERE bu.broadcast_id = $V)
                  OR EXISTS (SELECT 1 FROM broadcast_units bu JOIN units cu ON cu.id = bu.unit_id
                             WHERE bu.broadcast_id = $V AND u.path LIKE cu.path || '%'))",
                Bind::Int(id),
                &mut binds,
            );
        }
        if let Some(id) = self.chosen_units_of_poll {
            next(
                &mut sql,
                "(NOT EXISTS (SELECT 1 FROM poll_units pu WHERE pu.poll_id = $V)
                  OR EXISTS (SELECT 1 FROM poll_units pu JOIN units cu ON cu.id = pu.unit_id
                             WHERE pu.poll_id = $V AND u.path LIKE cu.path || '%'))",
                Bind::Int(id),
                &mut binds,
            );
        }
        if let Some(id) = self.chosen_units_of_quiz {
            next(
                &mut sql,
                "(NOT EXISTS (SELECT 1 FROM quiz_units qu WHERE qu.quiz_id = $V)
                  OR EXISTS (SELECT 1 FROM quiz_units qu JOIN units cu ON cu.id = qu.unit_id
                             WHERE qu.quiz_id = $V AND u.path LIKE cu.path || '%'))",
                Bind::Int(id),
                &mut binds,
            );
        }
        if let Some(id) = self.unsigned_commitment {
            next(
                &mut sql,
                "NOT EXISTS (SELECT 1 FROM commitment_signatures s
                     JOIN commitment_campaigns c ON c.id = s.campaign_id
                     WHERE s.campaign_id = $V AND s.member_id = m.id
                       AND s.version = c.current_version)",
                Bind::Int(id),
                &mut binds,
            );
        }
        if let Some((kind, id)) = self.unacknowledged {
            // The kind is one of two constants, never input.
            let cond = format!(
                "EXISTS (SELECT 1 FROM acknowledgements a
                     WHERE a.kind = '{}' AND a.object_id = $V AND a.member_id = m.id
                       AND a.acked_at IS NULL)",
                kind.as_str()
            );
            next(&mut sql, &cond, Bind::Int(id), &mut binds);
        }
        if let Some((id, unsubmitted_only)) = self.report_fillers {
            let cond = if unsubmitted_only {
                "m.role IN ('officer', 'leader') AND EXISTS (SELECT 1 FROM report_targets t
                     WHERE t.request_id = $V AND t.unit_id = m.unit_id AND t.status <> 'submitted')"
            } else {
                "m.role IN ('officer', 'leader') AND EXISTS (SELECT 1 FROM report_targets t
                     WHERE t.request_id = $V AND t.unit_id = m.unit_id)"
            };
            next(&mut sql, cond, Bind::Int(id), &mut binds);
        }
        if with_accounts {
            match self.accounts {
                Accounts::All => {}
                Accounts::On(c) => {
                    next(&mut sql, "i.channel = $V", Bind::Text(c.into()), &mut binds)
                }
                Accounts::NotOn(c) => next(
                    &mut sql,
                    "i.channel <> $V",
                    Bind::Text(c.into()),
                    &mut binds,
                ),
            }
        } else {
            sql.push_str(" AND EXISTS (SELECT 1 FROM identities i WHERE i.member_id = m.id)");
        }
        (sql.replace("$P", &format!("${first}")), binds)
    }

    /// The members chosen, as `SELECT m.id …` text with its values numbered from
    /// `$first`: for statements that record something per person (pending prompts).
    pub(super) fn member_ids(&self, first: usize) -> (String, Vec<BindValue>) {
        let (cond, binds) = self.conditions(first, false);
        (
            format!(
                "SELECT DISTINCT m.id FROM members m JOIN units u ON u.id = m.unit_id WHERE {cond}"
            ),
            binds.into_iter().map(BindValue).collect(),
        )
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// A value of a condition built by [`Audience`], bound in order.
pub(super) struct BindValue(Bind);

impl BindValue {
    pub(super) fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        match self.0 {
            Bind::Text(s) => q.bind(s),
            Bind::Int(n) => q.bind(n),
        }
    }
}

/// Queue `body_for(lang)` to every account of every member in `audience`, in their
/// language, counted under `tag`. Returns rows queued.
#[tracing::instrument(skip_all)]
pub async fn to_members(
    conn: &mut Conn,
    audience: &Audience<'_>,
    body_for: impl Fn(Lang) -> Outbound,
    tag: Tag,
    now: i64,
) -> Result<u64, StoreError> {
    let (directive_id, broadcast_id) = match tag {
        Tag::None => (None, None),
        Tag::Directive(id) => (Some(id), None),
        Tag::Broadcast(id) => (None, Some(id)),
    };
    let (cond, _) = audience.conditions(7, true);
    let sql = format!(
        "INSERT INTO outbox (channel, chat_id, payload, priority, status, attempts, not_before,
                             created_at, directive_id, broadcast_id)
         SELECT i.channel, i.chat_id, $1, $2, 'pending', 0, $3, $3, $4, $5
         FROM members m
         JOIN units u ON u.id = m.unit_id
         JOIN identities i ON i.member_id = m.id
         WHERE m.lang = $6 AND {cond}
         ORDER BY m.id"
    );
    let mut queued = 0;
    for lang in Lang::ALL {
        let payload = serde_json::to_string(&body_for(lang)).unwrap_or_default();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(payload)
            .bind(PRIORITY_BULK)
            .bind(now)
            .bind(directive_id)
            .bind(broadcast_id)
            .bind(lang.as_str());
        for b in audience.conditions(7, true).1 {
            q = BindValue(b).bind(q);
        }
        queued += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(queued)
}
