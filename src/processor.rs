//! Takes updates from the inbox, runs the core on each, and applies the outcome (state,
//! effects, replies into the outbox, inbox row done) in one transaction: an update's
//! effects happen exactly once, whatever crashes around it.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::channels::Transport;
use crate::core::conversation::{
    self, AckEffect, CommitmentEffect, DirectiveEffect, DocumentInput, Effect, Facts, InviteStatus,
    PromptFlow,
};
use crate::core::directive::MAX_INPUT_BYTES;
use crate::core::domain::{Lang, LinkCode, Role};
use crate::core::event::{Channel, ChatKind, InboundEvent, MediaKind, Outbound, Payload};
use crate::core::text::esc;
use crate::core::time::now_ms;
use crate::core::tip::ReceiptCode;
use crate::i18n::I18n;
use crate::inbound_limit::{InboundLimit, Verdict};
use crate::reports::{CHAT_EXPORT_MAX_ROWS, ExportFormat, ExportKind, chart, export};
use crate::store::inbox::InboxRow;
use crate::store::outbox::PRIORITY_REPLY;
use crate::store::{
    Store, StoreError, acknowledgements, broadcasts, campaigns, commitments, conversations,
    directives, inbox, invites, liaison, links, members, outbox, polls, prompts, quiz,
    report_requests, reports, tips,
};
use crate::tr;
use base64::Engine;

pub struct Processor {
    pub store: Store,
    pub i18n: Arc<I18n>,
    /// Rung by channels after they store an update.
    pub inbox_ready: Arc<Notify>,
    /// Rung after replies were queued.
    pub outbox_ready: Arc<Notify>,
    /// Channels that can hand over files people send (officers' documents).
    pub files: Vec<Arc<Transport>>,
    /// Drops what one person sends past a per-minute allowance (`None`: no limit).
    pub inbound_limit: Option<InboundLimit>,
    /// When this processor started: updates stored before it are never judged by the
    /// inbound limit (they waited for us, the person did not flood anyone).
    pub started_at: i64,
    /// First wait before an update that failed is tried again (doubled each time).
    pub retry_base_ms: i64,
    /// Test-only fault injection: an update whose text is exactly this panics, as a bug
    /// would. `None` in production.
    pub panic_on_text: Option<String>,
}

/// Why one update could not be handled; never carries message content.
enum Failure {
    Store(StoreError),
    Panic,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Store(e) => write!(f, "{e}"),
            Failure::Panic => write!(f, "panic while handling the update (see the log)"),
        }
    }
}

impl Processor {
    /// Whether `ev` comes from someone over the inbound allowance; the first time in a
    /// minute they are told (in a private chat; a group is not spammed with it).
    async fn over_inbound_limit(
        &self,
        tx: &mut crate::store::Conn,
        ev: &InboundEvent,
        row: &InboxRow,
        now: i64,
    ) -> Result<bool, StoreError> {
        let Some(limit) = &self.inbound_limit else {
            return Ok(false);
        };
        if row.received_at < self.started_at {
            // It waited while the bot was down: the person did nothing wrong.
            return Ok(false);
        }
        let channel = ev.channel.as_str();
        let who = ev
            .from
            .as_ref()
            .map_or(ev.chat_id.as_str(), |p| p.id.as_str());
        // Judged by when it was sent, so a backlog does not look like a flood.
        let sent_at = row.sent_at.unwrap_or(row.received_at).min(now);
        let Verdict::Drop { warn } = limit.check(&format!("{channel}:{who}"), sent_at) else {
            return Ok(false);
        };
        tracing::warn!(
            channel,
            "update dropped: its sender is over the inbound limit"
        );
        if warn && ev.chat_kind == ChatKind::Private {
            let lang = self.lang_of(tx, ev).await?;
            let body = Outbound::Message {
                text: self.i18n.s(lang, "inbound-too-fast"),
                buttons: vec![],
            };
            outbox::enqueue(tx, channel, &ev.chat_id, &body, PRIORITY_REPLY, now).await?;
        }
        Ok(true)
    }

    /// The language to answer the sender of `ev` in.
    async fn lang_of(
        &self,
        conn: &mut crate::store::Conn,
        ev: &InboundEvent,
    ) -> Result<Lang, StoreError> {
        if let Some(p) = &ev.from
            && let Some(m) = members::by_identity(conn, ev.channel.as_str(), &p.id).await?
        {
            return Ok(m.lang);
        }
        let conv = conversations::load(conn, ev.channel.as_str(), &ev.chat_id).await?;
        Ok(conv.lang.unwrap_or_default())
    }

    pub async fn run(self, shutdown: CancellationToken) {
        loop {
            // Finish the batch in hand before looking at the shutdown signal: an
            // update is either fully processed or not at all, never half.
            let did = match self.drain_once().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "inbox processing failed");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    0
                }
            };
            if shutdown.is_cancelled() {
                break;
            }
            if did == 0 {
                tokio::select! {
                    _ = self.inbox_ready.notified() => {}
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    _ = shutdown.cancelled() => break,
                }
            }
        }
        tracing::info!("processor stopped");
    }

    /// Process what is pending now; returns how many updates this instance handled
    /// (others may be handling the rest). One update's error or panic is that update's
    /// failure alone: it is tried again later and parked after the last try, and the
    /// others go on.
    pub async fn drain_once(&self) -> Result<usize, StoreError> {
        let rows = self.store.inbox_pending(100, now_ms()).await?;
        let mut n = 0;
        for row in rows {
            let (id, attempts) = (row.id, row.attempts);
            let failure = match AssertUnwindSafe(self.process(row)).catch_unwind().await {
                Ok(Ok(true)) => {
                    n += 1;
                    continue;
                }
                Ok(Ok(false)) => continue,
                Ok(Err(e)) => Failure::Store(e),
                Err(_) => Failure::Panic,
            };
            n += 1;
            let kind = match failure {
                Failure::Store(_) => "error",
                Failure::Panic => "panic",
            };
            metrics::counter!("congdoan_update_failures_total", "kind" => kind).increment(1);
            // 1 s, 2 s, 4 s, 8 s (by default), then parked.
            let wait = self.retry_base_ms << attempts.clamp(0, 10);
            let parked = self
                .record_failure(id, &failure.to_string(), now_ms() + wait)
                .await?;
            if parked {
                tracing::error!(inbox_id = id, error = %failure, "update parked after its last try");
                metrics::counter!("congdoan_updates_parked_total").increment(1);
            } else {
                tracing::warn!(inbox_id = id, error = %failure, "update failed; will retry");
            }
        }
        if n > 0 {
            self.outbox_ready.notify_waiters();
        }
        Ok(n)
    }

    /// Count the failure; when it was the last try, park the update and tell the person
    /// once, in their language, that their message could not be handled (one transaction,
    /// so nobody sees it parked before the apology is queued).
    async fn record_failure(
        &self,
        id: i64,
        error: &str,
        retry_at: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.store.begin().await?;
        let parked = inbox::failed_attempt(&mut tx, id, error, retry_at).await?;
        if parked
            && let Some(payload) = inbox::payload_of(&mut tx, id).await?
            && let Ok(ev) = serde_json::from_str::<InboundEvent>(&payload)
            && ev.chat_kind == ChatKind::Private
        {
            // The language lookup reads data the failing update may have touched: if
            // even that fails, the apology goes out in Vietnamese.
            let lang = self.lang_of(&mut tx, &ev).await.unwrap_or_default();
            let body = Outbound::Message {
                text: self.i18n.s(lang, "update-failed"),
                buttons: vec![],
            };
            outbox::enqueue(
                &mut tx,
                ev.channel.as_str(),
                &ev.chat_id,
                &body,
                PRIORITY_REPLY,
                now_ms(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(parked)
    }

    /// Download an officer's document before the transaction: network time must not
    /// hold the database's write lock.
    async fn prefetch_document(&self, row: &InboxRow) -> Option<DocumentInput> {
        let ev: InboundEvent = serde_json::from_str(row.payload.as_deref()?).ok()?;
        let Payload::Document { file_id, size, .. } = &ev.payload else {
            return None;
        };
        let from = ev.from.as_ref()?;
        let mut conn = self.store.pool().acquire().await.ok()?;
        let member = members::by_identity(&mut conn, ev.channel.as_str(), &from.id)
            .await
            .ok()??;
        if member.role != Role::Officer {
            return None;
        }
        if size.is_some_and(|s| s > MAX_INPUT_BYTES as u64) {
            return Some(DocumentInput::TooLarge);
        }
        let transport = self.files.iter().find(|t| t.channel() == ev.channel)?;
        Some(
            match transport.fetch_file(file_id, MAX_INPUT_BYTES as u64).await {
                Ok(bytes) => DocumentInput::Bytes(bytes),
                Err(e) => {
                    tracing::warn!(channel = ev.channel.as_str(), error = %e, "document download failed");
                    DocumentInput::Unavailable
                }
            },
        )
    }

    /// `false` when the update was not ours to process now (see [`inbox::claim`]).
    /// Load facts, decide, apply, save: one transaction. The span names the update,
    /// never what it says.
    #[tracing::instrument(skip_all, fields(inbox_id = row.id, channel = row.channel.as_str()))]
    async fn process(&self, row: InboxRow) -> Result<bool, StoreError> {
        let document = self.prefetch_document(&row).await;
        let now = now_ms();
        let mut tx = self.store.begin_processing().await?;
        if !inbox::claim(&mut tx, self.store.backend(), &row).await? {
            return Ok(false);
        }
        let mut ev: InboundEvent = match row.payload.as_deref().map(serde_json::from_str) {
            Some(Ok(ev)) => ev,
            _ => {
                // Written by an older version, or damaged: park it, don't loop on it.
                inbox::finish(&mut tx, row.id, "failed", Some("undecodable payload"), now).await?;
                tx.commit().await?;
                tracing::warn!(
                    inbox_id = row.id,
                    channel = row.channel,
                    "undecodable inbox payload"
                );
                return Ok(true);
            }
        };
        // An OA event carries no name: the one the OA's profile call gave, if any.
        if ev.channel == Channel::ZaloOa
            && let Some(from) = ev.from.as_mut().filter(|p| p.display_name.is_empty())
            && let Some(name) = crate::store::zalo_oa::display_name(&mut tx, &from.id).await?
        {
            from.display_name = name;
        }
        let channel = ev.channel.as_str();
        if let (Some(poison), Payload::Text { text }) = (&self.panic_on_text, &ev.payload)
            && text == poison
        {
            panic!("fault injected for a test");
        }
        if self.over_inbound_limit(&mut tx, &ev, &row, now).await? {
            inbox::finish(
                &mut tx,
                row.id,
                "dropped",
                Some("over the inbound limit"),
                now,
            )
            .await?;
            tx.commit().await?;
            metrics::counter!("congdoan_updates_dropped_total", "channel" => channel).increment(1);
            return Ok(true);
        }
        let conv = conversations::load(&mut tx, channel, &ev.chat_id).await?;
        let mut facts = self.load_facts(&mut tx, &ev, &conv, document, now).await?;
        let (outcome, join_target) = self.decide(&mut tx, &ev, conv, &mut facts, now).await?;
        self.apply(&mut tx, &ev, &outcome, &facts, join_target, now)
            .await?;
        conversations::save(&mut tx, channel, &ev.chat_id, &outcome.conversation, now).await?;
        inbox::finish(&mut tx, row.id, "done", None, now).await?;
        tx.commit().await?;
        metrics::counter!("congdoan_updates_processed_total", "channel" => channel).increment(1);
        Ok(true)
    }

    /// Load what the core needs to decide: who the sender is (they wrote to us, so they
    /// have not blocked the bot) and the facts the flows asked for.
    async fn load_facts(
        &self,
        tx: &mut crate::store::Conn,
        ev: &InboundEvent,
        conv: &conversation::Conversation,
        document: Option<DocumentInput>,
        now: i64,
    ) -> Result<Facts, StoreError> {
        let channel = ev.channel.as_str();
        let member = match &ev.from {
            Some(p) => members::by_identity(tx, channel, &p.id).await?,
            None => None,
        };
        if let Some(m) = &member {
            // They wrote to us, so they have not blocked the bot.
            members::mark_reachable(tx, m.id).await?;
        }
        let needs = conversation::needs(ev, conv);
        let invite = match needs.invite {
            Some(code) => {
                let status = invites::status(tx, &code, now).await?;
                Some((code, status))
            }
            None => None,
        };
        let mut facts = Facts {
            now_ms: now,
            invite,
            document,
            ..Facts::default()
        };
        if let Some(code) = needs.link_code.clone() {
            let status = links::status(tx, &code, now).await?;
            facts.link = Some((code, status));
        }
        if needs.new_link_code {
            facts.new_link_code = Some(LinkCode::generate());
        }
        if let Some(m) = &member {
            if needs.officer_units && m.role == Role::Officer {
                // Everyone below and beside the officer, not the officer.
                facts.subtree_members = directives::subtree_members(tx, &m.unit_path).await? - 1;
                facts.children = directives::children(tx, m.unit_id).await?;
            }
            if needs.directives {
                facts.directives = directives::for_member(tx, m.id, 10).await?;
            }
            if let Some(id) = needs.directive {
                facts.directive = directives::one_for_member(tx, m.id, id).await?;
            }
            if needs.campaigns {
                facts.campaigns = campaigns::for_unit_path(tx, &m.unit_path).await?;
            }
            if needs.commitments || needs.commitment.is_some() || needs.rollup {
                let wanted = (needs.commitments, needs.commitment, needs.rollup);
                commitments::load_facts(tx, m, wanted, &mut facts).await?;
            }
            if needs.tip.is_some() || needs.tip_code.is_some() {
                facts.tip = tips::for_viewer(tx, needs.tip, needs.tip_code.as_ref(), m).await?;
            }
            if needs.broadcasts && m.role == Role::Officer {
                facts.active_broadcasts = broadcasts::active_for(tx, m.id).await?;
                (facts.subtree_leaders, facts.subtree_officers) =
                    broadcasts::subtree_roles(tx, &m.unit_path, m.id).await?;
            }
            if needs.tips_open && m.role == Role::Officer {
                facts.open_tips = tips::open_for_officer(tx, m, now, 50).await?;
            }
            if needs.tips_recent {
                facts.tips_recent = tips::recent_count(tx, m.id, tips::recent_since(now)).await?;
            }
            if needs.receipt_code {
                facts.new_receipt_code = Some(ReceiptCode::generate());
            }
            if needs.reports || needs.report.is_some() {
                let wanted = (needs.reports, needs.report, needs.report_kinds);
                report_requests::load_facts(tx, m, wanted, now, &mut facts).await?;
            }
            if needs.polls != conversation::PollNeeds::default() {
                polls::load_facts(tx, m, &needs.polls, now, &mut facts).await?;
            }
            if needs.liaison != conversation::LiaisonNeeds::default() {
                liaison::load_facts(tx, m, &needs.liaison, None, &mut facts).await?;
            }
            if needs.quiz != conversation::QuizNeeds::default() {
                quiz::load_facts(tx, m, &needs.quiz, now, &mut facts).await?;
            }
            if needs.my_data {
                facts.my_data = Some(members::my_data(tx, m.id).await?);
            }
            facts.officer = crate::officer::load_facts(tx, m, &needs.officer, now).await?;
            if let Some((kind, id)) = needs.ack {
                facts.ack = acknowledgements::view(tx, m.id, kind, id).await?;
            }
            if needs.rollup && m.role == Role::Officer {
                facts.ack_rollups = acknowledgements::rollups(tx, m.unit_id, &m.unit_path).await?;
            }
            if needs.pending_prompt {
                facts.pending_prompt = prompts::newest(tx, m.id, now).await?;
                match facts.pending_prompt.map(|p| (p.flow, p.object_id)) {
                    Some((PromptFlow::Commitment, id)) if facts.commitment.is_none() => {
                        commitments::load_facts(tx, m, (false, Some(id), false), &mut facts)
                            .await?;
                    }
                    Some((PromptFlow::Acknowledgement(kind), id)) if facts.ack.is_none() => {
                        facts.ack = acknowledgements::view(tx, m.id, kind, id).await?;
                    }
                    Some((PromptFlow::LiaisonWarning, _)) if needs.liaison.warning.is_none() => {
                        let pending = facts.pending_prompt;
                        liaison::load_facts(tx, m, &needs.liaison, pending, &mut facts).await?;
                    }
                    Some((PromptFlow::Poll, _)) if !needs.polls.lists => {
                        let lists = conversation::PollNeeds {
                            lists: true,
                            ..Default::default()
                        };
                        polls::load_facts(tx, m, &lists, now, &mut facts).await?;
                    }
                    Some((PromptFlow::Quiz, _)) if !needs.quiz.lists => {
                        let lists = conversation::QuizNeeds {
                            lists: true,
                            ..Default::default()
                        };
                        quiz::load_facts(tx, m, &lists, now, &mut facts).await?;
                    }
                    _ => {}
                }
            }
        }
        facts.member = member;
        Ok(facts)
    }

    /// Run the core. Applying an effect can find the world changed (the last use of an
    /// invite, or a link code, taken a moment ago): then the core decides again with the
    /// new facts. Returns the outcome and, for a join, the unit and role it joins.
    async fn decide(
        &self,
        tx: &mut crate::store::Conn,
        ev: &InboundEvent,
        conv: conversation::Conversation,
        facts: &mut Facts,
        now: i64,
    ) -> Result<(conversation::Outcome, Option<(i64, Role)>), StoreError> {
        let channel = ev.channel.as_str();
        let mut outcome = conversation::handle(&self.i18n, ev, conv.clone(), facts);

        // Applying an effect can find the world changed (the last use of an invite
        // taken a moment ago): then the core decides again with the new facts.
        let mut join_target = None;
        // Likewise a link code used by someone else a moment ago.
        let link = outcome.effects.iter().find_map(|e| match e {
            Effect::LinkAccount { code, .. } => Some(code.clone()),
            _ => None,
        });
        if let (Some(code), Some(from)) = (link, &ev.from) {
            let linked = links::consume(tx, &code, channel, &from.id, &ev.chat_id, now).await?;
            if linked.is_none() {
                facts.link = Some((code, conversation::LinkStatus::Used));
                outcome = conversation::handle(&self.i18n, ev, conv.clone(), facts);
            } else {
                metrics::counter!("congdoan_accounts_linked_total", "channel" => channel)
                    .increment(1);
            }
        }
        let join_code = outcome.effects.iter().find_map(|e| match e {
            Effect::Join { invite, .. } => Some(invite.clone()),
            _ => None,
        });
        if let Some(code) = join_code {
            join_target = invites::consume(tx, &code, now).await?;
            if join_target.is_none() {
                let status = match invites::status(tx, &code, now).await? {
                    InviteStatus::Valid { .. } => InviteStatus::UsedUp,
                    other => other,
                };
                facts.invite = Some((code, status));
                outcome = conversation::handle(&self.i18n, ev, conv, facts);
            }
        }
        Ok((outcome, join_target))
    }

    /// Queue the replies, then apply the effects, each checked again in SQL.
    async fn apply(
        &self,
        tx: &mut crate::store::Conn,
        ev: &InboundEvent,
        outcome: &conversation::Outcome,
        facts: &Facts,
        join_target: Option<(i64, Role)>,
        now: i64,
    ) -> Result<(), StoreError> {
        let channel = ev.channel.as_str();
        // Replies first: a message an effect queues for the same chat (a broadcast's
        // progress) must come after the answer that announces it.
        for reply in &outcome.replies {
            let in_group = ev.chat_kind == ChatKind::Group && reply.chat_id == ev.chat_id;
            outbox::enqueue_to(
                tx,
                channel,
                &reply.chat_id,
                in_group,
                &reply.body,
                PRIORITY_REPLY,
                now,
            )
            .await?;
        }
        for effect in &outcome.effects {
            match effect {
                Effect::Join {
                    invite: code,
                    display_name,
                    username,
                    lang,
                } => {
                    let (Some(from), Some((unit_id, role))) = (&ev.from, join_target) else {
                        continue;
                    };
                    members::create(
                        tx,
                        &members::NewMember {
                            unit_id,
                            role,
                            display_name,
                            username: username.as_deref(),
                            lang: *lang,
                            invite_code: Some(code.as_str()),
                            channel,
                            external_id: &from.id,
                            chat_id: &ev.chat_id,
                        },
                        now,
                    )
                    .await?;
                    metrics::counter!("congdoan_members_joined_total", "channel" => channel)
                        .increment(1);
                }
                Effect::SetLang { member_id, lang } => {
                    members::set_lang(tx, *member_id, *lang).await?
                }
                Effect::Directive(effect) => {
                    if let Some(m) = facts.member.as_ref().filter(|m| m.role == Role::Officer) {
                        self.apply_directive(tx, m, channel, &ev.chat_id, effect, now)
                            .await?;
                    }
                }
                Effect::Commitment(effect) => {
                    if let Some(m) = &facts.member {
                        self.apply_commitment(tx, m, channel, effect, now).await?;
                    }
                }
                Effect::Acknowledgement(AckEffect::Acknowledge {
                    member_id,
                    kind,
                    id,
                }) => {
                    if facts.member.as_ref().is_some_and(|m| m.id == *member_id)
                        && acknowledgements::acknowledge(tx, *member_id, *kind, *id, channel, now)
                            .await?
                    {
                        metrics::counter!("congdoan_acknowledgements_total", "channel" => channel.to_string())
                            .increment(1);
                    }
                }
                Effect::CreateLinkCode { member_id, code } => {
                    if facts.member.as_ref().is_some_and(|m| m.id == *member_id) {
                        links::create(tx, *member_id, code, now).await?;
                    }
                }
                // Applied above, before the other effects.
                Effect::LinkAccount { .. } => {}
                Effect::Tip(effect) => {
                    if let Some(m) = &facts.member {
                        tips::apply(tx, &*self.i18n, m, channel, effect, now).await?;
                    }
                }
                Effect::Broadcast(effect) => {
                    if let Some(m) = &facts.member {
                        broadcasts::apply(tx, &*self.i18n, m, channel, &ev.chat_id, effect, now)
                            .await?;
                    }
                }
                Effect::Report(effect) => {
                    if let Some(m) = &facts.member {
                        report_requests::apply(
                            tx,
                            &*self.i18n,
                            m,
                            channel,
                            &ev.chat_id,
                            effect,
                            now,
                        )
                        .await?;
                    }
                }
                Effect::Liaison(effect) => {
                    if let Some(m) = &facts.member {
                        liaison::apply(tx, &*self.i18n, m, effect, now).await?;
                    }
                }
                Effect::Poll(effect) => {
                    if let Some(m) = &facts.member {
                        polls::apply(tx, &*self.i18n, m, channel, &ev.chat_id, effect, now).await?;
                    }
                }
                Effect::Quiz(effect) => {
                    if let Some(m) = &facts.member {
                        quiz::apply(tx, &*self.i18n, m, channel, &ev.chat_id, effect, now).await?;
                    }
                }
                Effect::Web(effect) => {
                    if let Some(m) = facts.member.as_ref().filter(|m| m.role == Role::Officer) {
                        crate::web::chat::apply(
                            tx,
                            &self.i18n,
                            m,
                            channel,
                            &ev.chat_id,
                            *effect,
                            now,
                        )
                        .await?;
                    }
                }
                Effect::Officer(effect) => {
                    if let Some(m) = &facts.member {
                        crate::officer::apply(tx, &self.i18n, m, channel, &ev.chat_id, effect, now)
                            .await?;
                    }
                }
                Effect::Export { what, format } => {
                    if let Some(m) = facts.member.as_ref().filter(|m| m.role == Role::Officer) {
                        let body = self.export_file(tx, m, *what, *format).await?;
                        outbox::enqueue(tx, channel, &ev.chat_id, &body, PRIORITY_REPLY, now)
                            .await?;
                    }
                }
                Effect::ProgressCharts => {
                    // On the OA an image goes by URL: none without a public one (the
                    // roll-up's text carries the figures, as on the Zalo bot).
                    let shown = ev.channel != Channel::ZaloOa
                        || crate::store::settings::get(
                            tx,
                            crate::channels::zalo_oa::IMAGE_BASE_SETTING,
                        )
                        .await?
                        .is_some_and(|b| !b.is_empty());
                    if let Some(m) = facts.member.as_ref().filter(|_| shown) {
                        for body in self.progress_charts(m.lang, &facts.rollups) {
                            outbox::enqueue(tx, channel, &ev.chat_id, &body, PRIORITY_REPLY, now)
                                .await?;
                        }
                    }
                }
                Effect::Prompted {
                    member_id,
                    prompt,
                    expires_at,
                } => {
                    if facts.member.as_ref().is_some_and(|m| m.id == *member_id) {
                        prompts::record(tx, *member_id, prompt, *expires_at, now).await?;
                    }
                }
                Effect::DeleteMember { member_id } => {
                    members::delete(tx, *member_id).await?;
                    metrics::counter!("congdoan_members_deleted_total").increment(1);
                }
            }
        }
        Ok(())
    }
}

impl Processor {
    /// The officer's export as a file message (or a short apology if it cannot be made).
    async fn export_file(
        &self,
        tx: &mut crate::store::Conn,
        m: &conversation::MemberView,
        what: ExportKind,
        format: ExportFormat,
    ) -> Result<Outbound, StoreError> {
        let rows = reports::export_rows(tx, what, &m.unit_path).await?;
        if rows > CHAT_EXPORT_MAX_ROWS {
            return Ok(Outbound::Message {
                text: tr!(
                    self.i18n,
                    m.lang,
                    "export-too-big",
                    rows = rows,
                    max = CHAT_EXPORT_MAX_ROWS
                ),
                buttons: vec![],
            });
        }
        let table = reports::export_table(tx, &*self.i18n, m.lang, what, &m.unit_path).await?;
        let bytes = match format {
            ExportFormat::Xlsx => export::to_xlsx(&table),
            ExportFormat::Csv => export::to_csv(&table),
        };
        let Ok(bytes) = bytes else {
            tracing::error!(what = what.as_str(), "export could not be written");
            return Ok(Outbound::Message {
                text: self.i18n.s(m.lang, "export-failed"),
                buttons: vec![],
            });
        };
        if what == ExportKind::Tips {
            tips::record_export(tx, Some(m.id), m.unit_id, table.rows.len() as i64, now_ms())
                .await?;
        }
        metrics::counter!("congdoan_exports_total", "what" => what.as_str()).increment(1);
        Ok(Outbound::Upload {
            kind: MediaKind::Document,
            file_name: export::file_name(what, &m.unit_code, now_ms(), format),
            data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
            caption: tr!(
                self.i18n,
                m.lang,
                "export-caption",
                what = self
                    .i18n
                    .s(m.lang, &format!("export-what-{}", what.as_str())),
                unit = esc(&m.unit_name),
                rows = table.rows.len() as i64
            ),
        })
    }

    /// One chart per campaign of the roll-up, comparing the child units.
    fn progress_charts(&self, lang: Lang, rollups: &[conversation::Rollup]) -> Vec<Outbound> {
        let mut out = vec![];
        for r in rollups.iter().filter(|r| r.rows.len() > 1) {
            match chart::rollup_png(&self.i18n, lang, r) {
                Ok(png) => out.push(Outbound::Upload {
                    kind: MediaKind::Photo,
                    file_name: format!("tien-do-cam-ket-{}.png", r.id),
                    data_base64: base64::engine::general_purpose::STANDARD.encode(png),
                    caption: tr!(self.i18n, lang, "chart-caption", title = esc(&r.title)),
                }),
                Err(e) => tracing::error!(error = %e, "chart could not be drawn"),
            }
        }
        out
    }

    /// An officer's directive and its dates, targets checked again in SQL.
    async fn apply_directive(
        &self,
        tx: &mut crate::store::Conn,
        m: &conversation::MemberView,
        channel: &str,
        chat_id: &str,
        effect: &DirectiveEffect,
        now: i64,
    ) -> Result<(), StoreError> {
        match effect {
            DirectiveEffect::Publish { unit_ids, draft } => {
                let text_for = |lang| {
                    conversation::broadcast_text(&self.i18n, lang, &m.unit_name, &draft.summary)
                };
                let author = directives::Author {
                    member_id: m.id,
                    unit_id: m.unit_id,
                    unit_path: &m.unit_path,
                    reply_to: Some((channel, chat_id, m.lang)),
                };
                let reached =
                    directives::publish(tx, &*self.i18n, &author, unit_ids, draft, text_for, now)
                        .await?;
                metrics::counter!("congdoan_directives_published_total").increment(1);
                tracing::info!(reached, "directive published");
            }
            DirectiveEffect::CreateCampaigns { unit_ids, dates } => {
                campaigns::create(tx, &m.unit_path, unit_ids, dates, now).await?;
            }
        }
        Ok(())
    }

    /// Commitment effects, each checked again in SQL against the member's scope.
    async fn apply_commitment(
        &self,
        tx: &mut crate::store::Conn,
        m: &conversation::MemberView,
        channel: &str,
        effect: &CommitmentEffect,
        now: i64,
    ) -> Result<(), StoreError> {
        let officer = m.role == Role::Officer;
        match effect {
            CommitmentEffect::Create { draft } if officer => {
                let (id, queued) = commitments::create(tx, &*self.i18n, m, draft, now).await?;
                metrics::counter!("congdoan_commitments_created_total").increment(1);
                tracing::info!(campaign = id, queued, "commitment campaign opened");
            }
            CommitmentEffect::Revise { campaign_id, text } if officer => {
                let v = commitments::revise(tx, &*self.i18n, m, *campaign_id, text, now).await?;
                tracing::info!(campaign = campaign_id, version = ?v, "commitment text revised");
            }
            CommitmentEffect::Close { campaign_id } if officer => {
                commitments::close(tx, m, *campaign_id, now).await?;
            }
            CommitmentEffect::Sign {
                member_id,
                campaign_id,
                version,
                text_hash,
            } if *member_id == m.id => {
                // Signed now or before: either way the question is answered.
                prompts::answered(tx, Some(m.id), PromptFlow::Commitment, *campaign_id).await?;
                if commitments::sign(tx, m, *campaign_id, *version, text_hash, channel, now).await?
                {
                    metrics::counter!("congdoan_commitments_signed_total", "channel" => channel.to_string())
                        .increment(1);
                }
            }
            _ => tracing::warn!("commitment effect refused"),
        }
        Ok(())
    }
}
