//! Officers' tree actions from chat, outside the core: the facts `/moi` and `/donvi`
//! need (read only inside the officer's subtree), and the effects applied in the
//! update's transaction through the store functions that check every rule again in SQL.
//! Texts are rendered here, per recipient's language; the store takes no translations.

use base64::Engine;

use crate::core::conversation::MemberView;
use crate::core::conversation::officer::{
    AUDIT_SHOWN, Actor, LISTED_LEVELS, MEMBERS_PER_PAGE, OfficerEffect, OfficerFacts, OfficerNeeds,
};
use crate::core::domain::{InviteCode, Lang, Role, UnitCode};
use crate::core::event::{Channel, MediaKind, Outbound};
use crate::core::text::esc;
use crate::core::time::format_date;
use crate::i18n::I18n;
use crate::reports::poster::{Poster, invite_poster_png};
use crate::store::outbox::{PRIORITY_REPLY, enqueue};
use crate::store::units::TreeRefusal;
use crate::store::{Conn, StoreError, audit, invites, members, roster, settings, units};
use crate::tr;

/// Units read for lists; the core offers at most 20 of them.
const UNITS_READ: i64 = 200;
/// Invites listed by `/moi`.
const INVITES_LISTED: i64 = 10;

/// Look up what the officer flows asked for, never outside the sender's subtree.
pub async fn load_facts(
    conn: &mut Conn,
    m: &MemberView,
    needs: &OfficerNeeds,
    now: i64,
) -> Result<OfficerFacts, StoreError> {
    let mut f = OfficerFacts::default();
    if let Some(code) = &needs.invite_unit
        && let Some((id, name, _)) = invites::unit_of(conn, code).await?
    {
        f.invite_unit = Some((id, name));
    }
    if matches!(m.role, Role::Member | Role::Liaison) {
        return Ok(f);
    }
    let path = m.unit_path.as_str();
    if needs.units {
        let depth = units::brief_by_id(conn, m.unit_id)
            .await?
            .map_or(0, |u| u.depth);
        f.units = units::open_subtree(conn, path, depth, LISTED_LEVELS, UNITS_READ).await?;
        // Every child, however large the subtree (the list above may stop early).
        for c in units::open_children(conn, m.unit_id).await? {
            if !f.units.iter().any(|u| u.id == c.id) {
                f.units.push(c);
            }
        }
    }
    for id in &needs.unit_ids {
        if !f.units.iter().any(|u| u.id == *id)
            && let Some(u) = units::open_in_subtree(conn, path, *id).await?
        {
            f.units.push(u);
        }
    }
    let mut coded = None;
    if let Some(code) = needs
        .unit_code
        .as_deref()
        .and_then(|c| UnitCode::parse(c).ok())
        && let Some(u) = units::open_by_code_in_subtree(conn, path, &code).await?
    {
        coded = Some(u.id);
        if !f.units.iter().any(|x| x.id == u.id) {
            f.units.push(u);
        }
    }
    if needs.counts {
        let counts = units::subtree_member_counts(conn, path, &f.units).await?;
        f.counts = counts.into_iter().collect();
    }
    if needs.invites {
        f.invites = invites::active_in_subtree(conn, path, None, now, INVITES_LISTED).await?;
    }
    if let Some(code) = &needs.invite_code
        && !f.invites.iter().any(|i| i.code == code.as_str())
    {
        f.invites
            .extend(invites::active_in_subtree(conn, path, Some(code), now, 1).await?);
    }
    if m.role != Role::Officer {
        return Ok(f);
    }
    let members_of = match (&needs.members, coded) {
        (_, Some(id)) if needs.members_of_code => Some((id, 0, None)),
        (Some(x), _) => Some(x.clone()),
        _ => None,
    };
    if let Some((unit_id, page, query)) = members_of {
        f.members = Some(
            roster::page(
                conn,
                path,
                unit_id,
                query.as_deref(),
                page,
                MEMBERS_PER_PAGE,
            )
            .await?,
        );
    }
    if let Some(id) = needs.member {
        f.member = roster::one_in_subtree(conn, path, id).await?;
    }
    if needs.audit {
        f.audit = audit::recent_in_subtree(conn, path, AUDIT_SHOWN).await?;
    }
    Ok(f)
}

fn message(text: String) -> Outbound {
    Outbound::Message {
        text,
        buttons: vec![],
    }
}

fn role_name(i18n: &I18n, lang: Lang, role: Role) -> String {
    i18n.s(
        lang,
        match role {
            Role::Member => "role-member",
            Role::Leader => "role-leader",
            Role::Officer => "role-officer",
            Role::Liaison => "role-liaison",
        },
    )
}

/// Send `text_for(lang)` to every chat of `chats`.
async fn tell(
    conn: &mut Conn,
    chats: &[(String, String, Lang)],
    text_for: impl Fn(Lang) -> String,
    now: i64,
) -> Result<(), StoreError> {
    for (channel, chat, lang) in chats {
        enqueue(
            conn,
            channel,
            chat,
            &message(text_for(*lang)),
            PRIORITY_REPLY,
            now,
        )
        .await?;
    }
    Ok(())
}

/// The chats of the officers nearest to `unit_id` (its own, else the closest above),
/// but not `except`.
async fn officer_chats(
    conn: &mut Conn,
    unit_id: i64,
    except: i64,
) -> Result<Vec<(String, String, Lang)>, StoreError> {
    let Some(unit) = units::brief_by_id(conn, unit_id).await? else {
        return Ok(vec![]);
    };
    Ok(roster::nearest_officers(conn, &unit.path)
        .await?
        .into_iter()
        .filter(|(id, ..)| *id != except)
        .map(|(_, ch, chat, lang)| (ch, chat, lang))
        .collect())
}

/// The t.me link of an invite, once the bot's username is known.
pub async fn invite_link(conn: &mut Conn, code: &InviteCode) -> Result<Option<String>, StoreError> {
    Ok(settings::get(conn, "telegram_username").await?.map(|name| {
        format!(
            "https://t.me/{}?start={}",
            name.trim_start_matches('@'),
            code.as_str()
        )
    }))
}

/// The printable poster of an invite (in Vietnamese: it is put up in the workshop).
pub fn poster(
    i18n: &I18n,
    unit_name: &str,
    code: &InviteCode,
    link: Option<&str>,
    expires_at: i64,
) -> Option<Vec<u8>> {
    let vi = Lang::Vi;
    let p = Poster {
        title: i18n.s(vi, "poster-title"),
        unit_name: unit_name.to_string(),
        qr_data: link.unwrap_or(code.as_str()).to_string(),
        code: code.grouped(),
        lines: vec![
            i18n.s(vi, "poster-line-telegram"),
            i18n.s(vi, "poster-line-zalo"),
            tr!(
                i18n,
                vi,
                "poster-line-expires",
                date = format_date(expires_at)
            ),
        ],
    };
    match invite_poster_png(&p) {
        Ok(png) => Some(png),
        Err(e) => {
            tracing::error!(error = %e, "invite poster could not be drawn");
            None
        }
    }
}

/// Apply one effect for officer (or member) `m`, answering in `chat_id`.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    conn: &mut Conn,
    i18n: &I18n,
    m: &MemberView,
    channel: &str,
    chat_id: &str,
    effect: &OfficerEffect,
    now: i64,
) -> Result<(), StoreError> {
    let done = perform(conn, i18n, m, channel, effect, now).await?;
    for body in &done.replies {
        enqueue(conn, channel, chat_id, body, PRIORITY_REPLY, now).await?;
    }
    Ok(())
}

/// What [`perform`] did: the replies for the actor's chat and, when the store refused
/// (nothing changed), the id of the message that says why.
#[derive(Debug, Default)]
pub struct Performed {
    pub replies: Vec<Outbound>,
    pub refused: Option<&'static str>,
}

/// Apply one effect for `m` through the store functions that check every rule again,
/// tell the people concerned, and audit it; the replies to the actor are returned (the
/// chat sends them, the console shows its own words). `channel` is the actor's channel
/// (it decides how a poster is sent); the console passes "web".
pub async fn perform(
    conn: &mut Conn,
    i18n: &I18n,
    m: &MemberView,
    channel: &str,
    effect: &OfficerEffect,
    now: i64,
) -> Result<Performed, StoreError> {
    let actor = Actor::from(m);
    let lang = m.lang;
    let path = m.unit_path.as_str();
    let mut replies: Vec<Outbound> = vec![];
    let mut refused: Option<&'static str> = None;
    let mut refuse = |replies: &mut Vec<Outbound>, key: &'static str| {
        replies.push(message(i18n.s(lang, key)));
        refused = Some(key);
    };
    let record = |action: &'static str,
                  unit_id: i64,
                  other: Option<i64>,
                  member: Option<i64>,
                  detail: String| { (action, unit_id, other, member, detail) };
    let mut entry = None;
    match effect {
        OfficerEffect::CreateInvite {
            unit_id,
            role,
            uses,
            days,
        } => {
            let expires_at = now + days * 86_400_000;
            let created = invites::create_in_subtree(
                conn, path, m.role, m.id, *unit_id, *role, *uses, expires_at, now,
            )
            .await?;
            let unit = units::brief_by_id(conn, *unit_id).await?;
            match (created, unit) {
                (Some(code), Some(unit)) => {
                    let link = invite_link(conn, &code).await?;
                    let mut text = tr!(
                        i18n,
                        lang,
                        "officer-invite-created",
                        code = code.grouped(),
                        unit = esc(&unit.name),
                        role = role_name(i18n, lang, *role),
                        uses = *uses,
                        expires = format_date(expires_at)
                    );
                    text.push_str("\n\n");
                    text.push_str(&match &link {
                        Some(l) => tr!(i18n, lang, "officer-invite-link", link = esc(l)),
                        None => i18n.s(lang, "officer-invite-no-link"),
                    });
                    text.push('\n');
                    text.push_str(&tr!(
                        i18n,
                        lang,
                        "officer-invite-zalo",
                        code = code.as_str()
                    ));
                    replies.push(message(text));
                    let files = Channel::parse(channel).is_some_and(|c| c.can_send_files());
                    let base = settings::get(conn, crate::web::BASE_URL_SETTING).await?;
                    if !files
                        && let Some(url) = base.and_then(|b| crate::web::poster::url(&b, &code))
                    {
                        // Zalo takes a photo only by URL: the console serves the poster.
                        replies.push(Outbound::Media {
                            kind: MediaKind::Photo,
                            file_id: url,
                            caption: tr!(
                                i18n,
                                lang,
                                "officer-poster-caption",
                                unit = esc(&unit.name)
                            ),
                            buttons: vec![],
                        });
                    }
                    if files
                        && let Some(png) =
                            poster(i18n, &unit.name, &code, link.as_deref(), expires_at)
                    {
                        replies.push(Outbound::Upload {
                            kind: MediaKind::Photo,
                            file_name: format!("moi-{}-{}.png", unit.code, code.as_str()),
                            data_base64: base64::engine::general_purpose::STANDARD.encode(png),
                            caption: tr!(
                                i18n,
                                lang,
                                "officer-poster-caption",
                                unit = esc(&unit.name)
                            ),
                        });
                    }
                    entry = Some(record(
                        "invite.create",
                        unit.id,
                        None,
                        None,
                        format!("{} {} {}x {}d", code.grouped(), role.as_str(), uses, days),
                    ));
                }
                _ => refuse(&mut replies, "officer-invite-refused"),
            }
        }
        OfficerEffect::RevokeInvite { code } => {
            match invites::revoke_in_subtree(conn, path, code, now).await? {
                Some(unit_id) => {
                    replies.push(message(tr!(
                        i18n,
                        lang,
                        "officer-invite-revoked",
                        code = code.grouped()
                    )));
                    entry = Some(record("invite.revoke", unit_id, None, None, code.grouped()));
                }
                None => refuse(&mut replies, "officer-invite-refused"),
            }
        }
        OfficerEffect::AddUnit {
            parent_id,
            name,
            kind,
        } => match units::add_child(conn, path, *parent_id, name, kind, now).await? {
            Some(u) => {
                let parent = units::brief_by_id(conn, *parent_id).await?;
                replies.push(message(tr!(
                    i18n,
                    lang,
                    "officer-unit-added",
                    unit = esc(&u.name),
                    code = esc(&u.code),
                    parent = esc(&parent.map(|p| p.name).unwrap_or_default())
                )));
                entry = Some(record("unit.add", u.id, Some(*parent_id), None, u.kind));
            }
            None => refuse(&mut replies, "officer-unit-refused"),
        },
        OfficerEffect::RenameUnit { unit_id, name } => {
            match units::rename(conn, path, *unit_id, name, now).await? {
                Some(old) => {
                    replies.push(message(tr!(
                        i18n,
                        lang,
                        "officer-unit-renamed",
                        old = esc(&old),
                        unit = esc(name)
                    )));
                    entry = Some(record("unit.rename", *unit_id, None, None, old));
                }
                None => refuse(&mut replies, "officer-unit-refused"),
            }
        }
        OfficerEffect::MoveUnit { unit_id, parent_id } => {
            match units::move_under(conn, path, *unit_id, *parent_id, now).await? {
                Ok(old_parent) => {
                    let (u, p) = (
                        units::brief_by_id(conn, *unit_id).await?,
                        units::brief_by_id(conn, *parent_id).await?,
                    );
                    replies.push(message(tr!(
                        i18n,
                        lang,
                        "officer-unit-moved",
                        unit = esc(&u.map(|u| u.name).unwrap_or_default()),
                        parent = esc(&p.as_ref().map(|p| p.name.clone()).unwrap_or_default())
                    )));
                    entry = Some(record(
                        "unit.move",
                        *unit_id,
                        old_parent,
                        None,
                        format!("→ {}", p.map(|p| p.code).unwrap_or_default()),
                    ));
                }
                Err(TreeRefusal::IntoItself) => refuse(&mut replies, "officer-move-into-itself"),
                Err(_) => refuse(&mut replies, "officer-unit-refused"),
            }
        }
        OfficerEffect::CloseUnit { unit_id } => {
            match units::close(conn, path, *unit_id, now).await? {
                Ok(u) => {
                    replies.push(message(tr!(
                        i18n,
                        lang,
                        "officer-unit-closed",
                        unit = esc(&u.name)
                    )));
                    entry = Some(record("unit.close", u.id, None, None, String::new()));
                }
                Err(TreeRefusal::NotEmpty) => refuse(&mut replies, "officer-unit-not-empty"),
                Err(_) => refuse(&mut replies, "officer-unit-refused"),
            }
        }
        OfficerEffect::SetRole { member_id, role } => {
            match roster::set_role(conn, &actor, *member_id, *role).await? {
                Some(before) => {
                    replies.push(message(tr!(
                        i18n,
                        lang,
                        "officer-role-set",
                        name = esc(&before.name),
                        role = role_name(i18n, lang, *role)
                    )));
                    let chats = roster::chats_of(conn, before.id).await?;
                    tell(
                        conn,
                        &chats,
                        |l| {
                            tr!(
                                i18n,
                                l,
                                "member-role-changed",
                                unit = esc(&before.unit_name),
                                role = role_name(i18n, l, *role)
                            )
                        },
                        now,
                    )
                    .await?;
                    entry = Some(record(
                        "member.role",
                        before.unit_id,
                        None,
                        Some(before.id),
                        format!("{} → {}", before.role.as_str(), role.as_str()),
                    ));
                }
                None => refuse(&mut replies, "officer-member-refused"),
            }
        }
        OfficerEffect::MoveMember { member_id, unit_id } => {
            match roster::move_to(conn, &actor, *member_id, *unit_id).await? {
                Some(before) => {
                    let to = units::brief_by_id(conn, *unit_id)
                        .await?
                        .map(|u| u.name)
                        .unwrap_or_default();
                    replies.push(message(tr!(
                        i18n,
                        lang,
                        "officer-member-moved",
                        name = esc(&before.name),
                        unit = esc(&to)
                    )));
                    let chats = roster::chats_of(conn, before.id).await?;
                    tell(
                        conn,
                        &chats,
                        |l| {
                            tr!(
                                i18n,
                                l,
                                "member-moved",
                                from = esc(&before.unit_name),
                                to = esc(&to)
                            )
                        },
                        now,
                    )
                    .await?;
                    entry = Some(record(
                        "member.move",
                        *unit_id,
                        Some(before.unit_id),
                        Some(before.id),
                        String::new(),
                    ));
                }
                None => refuse(&mut replies, "officer-member-refused"),
            }
        }
        OfficerEffect::RemoveMember { member_id, reason } => {
            match roster::removable(conn, &actor, *member_id).await? {
                Some(t) => {
                    let chats = roster::chats_of(conn, t.id).await?;
                    members::delete(conn, t.id).await?;
                    replies.push(message(tr!(
                        i18n,
                        lang,
                        "officer-member-removed",
                        name = esc(&t.name),
                        unit = esc(&t.unit_name)
                    )));
                    let reason = reason.as_deref().map(esc);
                    tell(
                        conn,
                        &chats,
                        |l| {
                            let why = match &reason {
                                Some(r) => {
                                    tr!(i18n, l, "member-removed-reason", reason = r.as_str())
                                }
                                None => String::new(),
                            };
                            tr!(
                                i18n,
                                l,
                                "member-removed",
                                unit = esc(&t.unit_name),
                                why = why
                            )
                        },
                        now,
                    )
                    .await?;
                    // The person's data is gone; the log keeps only that a member left.
                    entry = Some(record(
                        "member.remove",
                        t.unit_id,
                        None,
                        None,
                        String::new(),
                    ));
                }
                None => refuse(&mut replies, "officer-member-refused"),
            }
        }
        OfficerEffect::MoveByInvite { invite } => {
            match roster::move_by_invite(conn, m.id, invite, now).await? {
                Some((from, to, role)) => {
                    let names = (
                        units::brief_by_id(conn, from).await?.map(|u| u.name),
                        units::brief_by_id(conn, to).await?.map(|u| u.name),
                    );
                    let (from_name, to_name) = (
                        esc(&names.0.unwrap_or_default()),
                        esc(&names.1.unwrap_or_default()),
                    );
                    replies.push(message(tr!(
                        i18n,
                        lang,
                        "move-done",
                        to = to_name.as_str(),
                        role = role_name(i18n, lang, role)
                    )));
                    let name = esc(&m.display_name);
                    // Officers of both sides; one told once when both sides are theirs.
                    let mut told: Vec<(String, String, Lang)> = vec![];
                    for (unit, key) in [(from, "move-officer-left"), (to, "move-officer-joined")] {
                        let chats: Vec<_> = officer_chats(conn, unit, m.id)
                            .await?
                            .into_iter()
                            .filter(|c| !told.contains(c))
                            .collect();
                        told.extend(chats.iter().cloned());
                        tell(
                            conn,
                            &chats,
                            |l| {
                                tr!(
                                    i18n,
                                    l,
                                    key,
                                    name = name.as_str(),
                                    from = from_name.as_str(),
                                    to = to_name.as_str()
                                )
                            },
                            now,
                        )
                        .await?;
                    }
                    entry = Some(record(
                        "member.move_by_invite",
                        to,
                        Some(from),
                        Some(m.id),
                        invite.grouped(),
                    ));
                    metrics::counter!("congdoan_members_moved_total").increment(1);
                }
                None => refuse(&mut replies, "invite-used-up"),
            }
        }
    }
    if let Some((action, unit_id, other_unit_id, member_id, detail)) = entry {
        audit::record(
            conn,
            &audit::Entry {
                actor_member_id: Some(m.id),
                action,
                unit_id,
                other_unit_id,
                member_id,
                detail,
            },
            now,
        )
        .await?;
        tracing::info!(action, "officer action");
    }
    Ok(Performed { replies, refused })
}
