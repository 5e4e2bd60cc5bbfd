//! Officers run their own part of the tree from chat (issue 17): invites made in chat
//! with a QR poster, the role ceiling and other branches refused, units added, renamed,
//! moved and closed with roll-ups re-counted, members listed, re-roled, moved and
//! removed, members moving between unions by invite, and the audit log.

mod common;

use std::collections::HashMap;

use common::fake_telegram::BOT_USERNAME;
use common::fake_zalo::{ZaloApp, ZaloUser, ztexts};
use common::{Backend, FakeTelegram, Sent, TREE_CSV, TestApp, TestDb, TgUser, texts};
use congdoan_bot::core::domain::{InviteCode, Role};
use congdoan_bot::core::time::now_ms;
use congdoan_bot::org::parse_units_csv;
use congdoan_bot::store::{Store, commitments};
use sqlx::Row;

on_both_backends!(
    an_invite_made_in_chat_is_used_by_a_newcomer_then_revoked,
    the_role_ceiling_forged_buttons_and_other_branches_are_refused,
    units_are_added_renamed_moved_and_closed_and_rollups_add_up,
    a_member_moves_to_another_union_by_its_invite_with_their_history,
    officers_list_search_rerole_move_and_remove_members,
    on_zalo_every_step_is_a_typed_number_and_the_code_comes_as_text,
    invite_create_on_the_command_line_asks_getme_before_serve_ran,
    two_crossing_unit_moves_at_once_make_no_cycle,
);

/// The bot, without the per-person inbound limit: an officer's long session is not a
/// flood.
async fn spawn(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |c| c.inbound_per_min = 0).await
}

async fn unit_id(t: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT id FROM units WHERE code = $1")
        .bind(code.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("unit")
        .get("id")
}

async fn unit_path(t: &TestApp, id: i64) -> (String, i64, Option<i64>) {
    let r = sqlx::query("SELECT path, depth, parent_id FROM units WHERE id = $1")
        .bind(id)
        .fetch_one(t.store.pool())
        .await
        .expect("unit");
    (r.get("path"), r.get("depth"), r.get("parent_id"))
}

async fn member_id(t: &TestApp, telegram_id: i64) -> i64 {
    sqlx::query("SELECT member_id FROM identities WHERE channel = 'telegram' AND external_id = $1")
        .bind(telegram_id.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("member")
        .get("member_id")
}

async fn unit_of_member(t: &TestApp, member: i64) -> i64 {
    sqlx::query("SELECT unit_id FROM members WHERE id = $1")
        .bind(member)
        .fetch_one(t.store.pool())
        .await
        .expect("member")
        .get("unit_id")
}

fn data(sent: &[Sent]) -> Vec<String> {
    sent.iter()
        .flat_map(|m| m.buttons.iter().map(|(_, d)| d.clone()))
        .collect()
}

fn labels(sent: &[Sent]) -> Vec<String> {
    sent.iter()
        .flat_map(|m| m.buttons.iter().map(|(l, _)| l.clone()))
        .collect()
}

async fn audit_count(t: &TestApp, action: &str) -> i64 {
    t.count_for(
        "SELECT COUNT(*) FROM officer_audit WHERE action = $1",
        action,
    )
    .await
}

/// Decode a PNG's QR code back to its text.
fn read_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("png");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("frame");
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.line_size / w;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        buf[y * info.line_size + x * channels]
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the poster");
    let (_, content) = grids[0].decode().expect("QR decodes");
    content
}

async fn an_invite_made_in_chat_is_used_by_a_newcomer_then_revoked(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let officer = TgUser::new(101, "Cán bộ Thu");
    t.join(
        &officer,
        &t.invite("CDCS-ABC", Role::Officer, 1, None).await,
    )
    .await;
    let (cdcs, ttq1, ttq2) = (
        unit_id(&t, "CDCS-ABC").await,
        unit_id(&t, "TTQ-01").await,
        unit_id(&t, "TTQ-02").await,
    );

    let list = t.say(&officer, "/moi").await;
    assert!(
        texts(&list).contains("Chưa có mã mời nào đang dùng"),
        "{list:?}"
    );
    assert_eq!(data(&list), vec!["of:m:inv".to_string()]);

    // Their own unit and the units below it; nothing above or beside.
    let pick = t.press(&officer, "of:m:inv").await;
    assert_eq!(
        data(&pick),
        vec![
            format!("of:u:{cdcs}"),
            format!("of:u:{ttq1}"),
            format!("of:u:{ttq2}")
        ]
    );
    let roles = t.press(&officer, &format!("of:u:{ttq1}")).await;
    assert_eq!(
        data(&roles),
        vec!["of:r:member", "of:r:leader", "of:r:officer", "of:r:liaison"]
    );
    let uses = t.press(&officer, "of:r:member").await;
    assert_eq!(labels(&uses)[0], "1. 200 người (mặc định)", "{uses:?}");
    // A count typed in words, then the default validity typed as its number.
    let days = t.say(&officer, "25 người").await;
    assert_eq!(labels(&days)[0], "1. 30 ngày (mặc định)", "{days:?}");
    let made = t.say(&officer, "1").await;
    let text = texts(&made);
    assert!(
        text.contains("Đã tạo mã mời vào <b>Tổ tự quản nhà trọ số 1</b> (đoàn viên, 25 người"),
        "{text}"
    );
    let prefix = format!("https://t.me/{BOT_USERNAME}?start=");
    let at = text.find(&prefix).expect("link") + prefix.len();
    let code = InviteCode::parse(&text[at..at + 12]).expect("code");
    let link = format!("{prefix}{}", code.as_str());
    assert!(
        text.contains(&format!("<code>{}</code>", code.grouped())),
        "{text}"
    );
    assert!(text.contains("Trên Zalo: nhắn mã"), "{text}");

    // The printable poster: its QR code reads back to the link.
    let uploads = t.fake.uploads_to(officer.id);
    let (name, png) = uploads.last().expect("poster sent");
    assert!(name.ends_with(".png"), "{name}");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    assert_eq!(read_qr(png), link);

    let row = sqlx::query(
        "SELECT unit_id, role, max_uses, uses, expires_at, created_by FROM invites WHERE code = $1",
    )
    .bind(code.as_str().to_string())
    .fetch_one(t.store.pool())
    .await
    .expect("invite");
    assert_eq!(row.get::<i64, _>("unit_id"), ttq1);
    assert_eq!(row.get::<String, _>("role"), "member");
    assert_eq!(row.get::<i64, _>("max_uses"), 25);
    assert_eq!(
        row.get::<Option<i64>, _>("created_by"),
        Some(member_id(&t, officer.id).await)
    );
    let expires: i64 = row.get::<Option<i64>, _>("expires_at").expect("expires");
    let month = 30 * 86_400_000;
    assert!((expires - now_ms() - month).abs() < 60_000, "30 days");

    // A newcomer joins with it.
    let newcomer = TgUser::new(150, "Công nhân Mới");
    t.join(&newcomer, &code).await;
    assert_eq!(
        unit_of_member(&t, member_id(&t, newcomer.id).await).await,
        ttq1
    );

    let list = texts(&t.say(&officer, "/moi").await);
    assert!(
        list.contains(&code.grouped()) && list.contains("còn 24/25 lượt"),
        "{list}"
    );

    // Revoked: the next person cannot use it.
    let revoked = t.press(&officer, &format!("of:rv:{}", code.as_str())).await;
    assert!(texts(&revoked).contains("Đã thu hồi mã"), "{revoked:?}");
    let late = TgUser::new(151, "Người đến muộn");
    let refused = texts(&t.say(&late, &format!("/start {}", code.as_str())).await);
    assert!(refused.contains("hết hạn"), "{refused}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 2);
    let list = texts(&t.say(&officer, "/moi").await);
    assert!(!list.contains(&code.grouped()), "{list}");

    assert_eq!(audit_count(&t, "invite.create").await, 1);
    assert_eq!(audit_count(&t, "invite.revoke").await, 1);
    t.finish().await;
}

async fn the_role_ceiling_forged_buttons_and_other_branches_are_refused(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let officer = TgUser::new(201, "Cán bộ Thu");
    let leader = TgUser::new(202, "Tổ trưởng Hùng");
    let worker = TgUser::new(203, "Công nhân Hoa");
    t.join(
        &officer,
        &t.invite("CDCS-ABC", Role::Officer, 1, None).await,
    )
    .await;
    t.join(&leader, &t.invite("TTQ-01", Role::Leader, 1, None).await)
        .await;
    t.join(&worker, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    let hanoi = t.invite("HN", Role::Member, 5, None).await;
    let (ttq1, ttq2, hn, kcx) = (
        unit_id(&t, "TTQ-01").await,
        unit_id(&t, "TTQ-02").await,
        unit_id(&t, "HN").await,
        unit_id(&t, "KCX-TT").await,
    );
    let invites_before = t.count("SELECT COUNT(*) FROM invites").await;

    // A leader invites to their own group, as a member or a leader, never an officer.
    t.say(&leader, "/moi").await;
    let pick = t.press(&leader, "of:m:inv").await;
    assert_eq!(data(&pick), vec![format!("of:u:{ttq1}")]);
    let roles = t.press(&leader, &format!("of:u:{ttq1}")).await;
    assert_eq!(data(&roles), vec!["of:r:member", "of:r:leader"]);
    let forged = texts(&t.press(&leader, "of:r:officer").await);
    assert!(
        forged.contains("không thể trao vai trò cao hơn"),
        "{forged}"
    );
    // Nor another unit, nor the officers' tree menu.
    let other = texts(&t.press(&leader, &format!("of:u:{ttq2}")).await);
    assert!(
        other.contains("Nút này đã hết hiệu lực") || other.contains("không thuộc phạm vi"),
        "{other}"
    );
    let menu = texts(&t.press(&leader, "of:m:add").await);
    assert!(menu.contains("chỉ dành cho cán bộ công đoàn"), "{menu}");
    let donvi = texts(&t.say(&leader, "/donvi").await);
    assert!(donvi.contains("chỉ dành cho cán bộ công đoàn"), "{donvi}");

    // A member makes no invites.
    let member = texts(&t.say(&worker, "/moi").await);
    assert!(
        member.contains("Chỉ cán bộ công đoàn và tổ trưởng"),
        "{member}"
    );
    let member = texts(&t.press(&worker, &format!("of:u:{ttq1}")).await);
    assert!(member.contains("chỉ dành cho cán bộ công đoàn"), "{member}");

    // An officer: units above or beside, by button or typed code, are refused.
    t.say(&officer, "/moi").await;
    t.press(&officer, "of:m:inv").await;
    for forged in [
        format!("of:u:{hn}"),
        format!("of:u:{kcx}"),
        "of:u:99999".into(),
    ] {
        let refused = texts(&t.press(&officer, &forged).await);
        assert!(
            refused.contains("không thuộc phạm vi bạn phụ trách"),
            "{forged}: {refused}"
        );
    }
    for typed in ["HN", "KCX-TT", "hn", "không có"] {
        let refused = texts(&t.say(&officer, typed).await);
        assert!(
            refused.contains("không thuộc phạm vi bạn phụ trách"),
            "{typed}: {refused}"
        );
    }
    // The question stays: a typed code of the subtree goes on.
    let roles = t.say(&officer, "TTQ-02").await;
    assert_eq!(
        data(&roles),
        vec!["of:r:member", "of:r:leader", "of:r:officer", "of:r:liaison"]
    );
    // Another branch's invite cannot be revoked; junk data changes nothing.
    let refused = texts(
        &t.press(&officer, &format!("of:rv:{}", hanoi.as_str()))
            .await,
    );
    assert!(
        refused.contains("không thuộc phạm vi bạn phụ trách"),
        "{refused}"
    );
    for junk in [
        "of:u:abc",
        "of:r:admin",
        "of:n:-5",
        "of:d:0",
        "of:zzz",
        "of:rv:0",
    ] {
        let sent = t.press(&officer, junk).await;
        assert!(!sent.is_empty(), "{junk} is answered");
    }
    let too_many = texts(&t.press(&officer, "of:r:member").await);
    assert!(too_many.contains("Bao nhiêu người"), "{too_many}");
    let bad = texts(&t.say(&officer, "50000 người").await);
    assert!(bad.contains("từ 1 đến 10000"), "{bad}");

    assert_eq!(
        t.count("SELECT COUNT(*) FROM invites").await,
        invites_before
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM invites WHERE code = $1 AND revoked_at IS NULL AND expires_at IS NULL",
            hanoi.as_str()
        )
        .await,
        1
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM officer_audit").await, 0);
    t.finish().await;
}

/// Members in scope and signed per row unit, counted by walking `parent_id` (not the
/// materialised paths the roll-up reads).
async fn recount(t: &TestApp, campaign: i64, rows: &[i64]) -> HashMap<i64, (i64, i64)> {
    let parents: HashMap<i64, Option<i64>> = sqlx::query("SELECT id, parent_id FROM units")
        .fetch_all(t.store.pool())
        .await
        .expect("units")
        .iter()
        .map(|r| (r.get("id"), r.get("parent_id")))
        .collect();
    let members = sqlx::query(
        "SELECT m.unit_id, (SELECT COUNT(*) FROM commitment_signatures s
             WHERE s.member_id = m.id AND s.campaign_id = $1) AS signed FROM members m",
    )
    .bind(campaign)
    .fetch_all(t.store.pool())
    .await
    .expect("members");
    let mut out: HashMap<i64, (i64, i64)> = rows.iter().map(|r| (*r, (0, 0))).collect();
    for m in members {
        let mut at = Some(m.get::<i64, _>("unit_id"));
        let signed: i64 = m.get("signed");
        while let Some(u) = at {
            if let Some(c) = out.get_mut(&u) {
                c.0 += 1;
                c.1 += signed.min(1);
            }
            at = parents.get(&u).copied().flatten();
        }
    }
    out
}

async fn a_campaign(t: &TestApp, unit: i64, signer: i64) -> i64 {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO commitment_campaigns (unit_id, title, signers, deadline_at, remind_hour, created_at)
         VALUES ($1, 'Cam kết an toàn', 'everyone', $2, 9, $3) RETURNING id",
    )
    .bind(unit)
    .bind(now + 86_400_000 * 30)
    .bind(now)
    .fetch_one(t.store.pool())
    .await
    .expect("campaign")
    .get("id");
    sqlx::query(
        "INSERT INTO commitment_signatures (campaign_id, member_id, version, text_hash, signed_at, channel)
         VALUES ($1, $2, 1, 'h', $3, 'telegram')",
    )
    .bind(id)
    .bind(signer)
    .bind(now)
    .execute(t.store.pool())
    .await
    .expect("signature");
    id
}

async fn check_rollup(t: &TestApp, campaign: i64, unit: i64) {
    let (path, _, _) = unit_path(t, unit).await;
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let (rows, _, _) = commitments::rollup(&mut conn, campaign, unit, &path)
        .await
        .expect("rollup");
    let ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let counted = recount(t, campaign, &ids).await;
    for r in rows {
        assert_eq!(
            (r.scope, r.signed),
            counted[&r.unit_id],
            "{}: roll-up against a recount",
            r.name
        );
    }
}

async fn units_are_added_renamed_moved_and_closed_and_rollups_add_up(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let officer = TgUser::new(301, "Cán bộ Khu chế xuất");
    let ann = TgUser::new(302, "Worker Ann");
    let hoa = TgUser::new(303, "Công nhân Hoa");
    t.join(&officer, &t.invite("KCX-TT", Role::Officer, 1, None).await)
        .await;
    t.join(&ann, &t.invite("TTQ-02", Role::Member, 1, None).await)
        .await;
    t.join(&hoa, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    let (kcx, cdcs, ttq1, ttq2) = (
        unit_id(&t, "KCX-TT").await,
        unit_id(&t, "CDCS-ABC").await,
        unit_id(&t, "TTQ-01").await,
        unit_id(&t, "TTQ-02").await,
    );
    let campaign = a_campaign(&t, kcx, member_id(&t, ann.id).await).await;

    let view = t.say(&officer, "/donvi").await;
    let text = texts(&view);
    assert!(
        text.contains("Công đoàn cơ sở Công ty May &lt;ABC&gt; &amp; Co (CDCS-ABC): 2 đoàn viên"),
        "{text}"
    );
    assert!(data(&view).contains(&"of:m:add".to_string()));

    // Add a grassroots union below the zone's union: name typed, kind chosen by number.
    t.press(&officer, "of:m:add").await;
    let ask = texts(&t.press(&officer, &format!("of:u:{kcx}")).await);
    assert!(ask.contains("Gõ tên đơn vị mới"), "{ask}");
    let kinds = t.say(&officer, "Công đoàn cơ sở Công ty Dệt   XYZ").await;
    assert_eq!(data(&kinds)[0], "of:k:cdcs");
    let added = texts(&t.say(&officer, "1").await);
    assert!(
        added.contains("Đã thêm <b>Công đoàn cơ sở Công ty Dệt XYZ</b>"),
        "{added}"
    );
    let new: i64 =
        sqlx::query("SELECT id FROM units WHERE name = 'Công đoàn cơ sở Công ty Dệt XYZ'")
            .fetch_one(t.store.pool())
            .await
            .expect("new unit")
            .get("id");
    let (kcx_path, kcx_depth, _) = unit_path(&t, kcx).await;
    let (new_path, new_depth, new_parent) = unit_path(&t, new).await;
    assert_eq!(new_path, format!("{kcx_path}{new}/"));
    assert_eq!((new_depth, new_parent), (kcx_depth + 1, Some(kcx)));

    // Rename it.
    t.press(&officer, "of:m:ren").await;
    t.press(&officer, &format!("of:u:{new}")).await;
    let renamed = texts(&t.say(&officer, "Công đoàn cơ sở Dệt XYZ").await);
    assert!(
        renamed.contains("thành <b>Công đoàn cơ sở Dệt XYZ</b>"),
        "{renamed}"
    );

    // Move the housing group TTQ-02 (with Ann and her signature) under it.
    let which = t.press(&officer, "of:m:mov").await;
    assert!(
        !data(&which).contains(&format!("of:u:{kcx}")),
        "not their own unit"
    );
    let to = t.press(&officer, &format!("of:u:{ttq2}")).await;
    let targets = data(&to);
    assert!(targets.contains(&format!("of:u:{new}")), "{targets:?}");
    assert!(
        !targets.contains(&format!("of:u:{ttq2}")) && !targets.contains(&format!("of:u:{cdcs}"))
    );
    let moved = texts(&t.press(&officer, &format!("of:u:{new}")).await);
    assert!(
        moved.contains("về trực thuộc <b>Công đoàn cơ sở Dệt XYZ</b>"),
        "{moved}"
    );
    let (p, d, parent) = unit_path(&t, ttq2).await;
    assert_eq!(
        (p, d, parent),
        (format!("{new_path}{ttq2}/"), new_depth + 1, Some(new))
    );
    check_rollup(&t, campaign, kcx).await;
    check_rollup(&t, campaign, new).await;
    let view = texts(&t.say(&officer, "/donvi").await);
    assert!(
        view.contains("Công đoàn cơ sở Dệt XYZ (DV-") && view.contains("): 1 đoàn viên"),
        "{view}"
    );

    // A unit cannot go into its own subtree; nothing moves.
    t.press(&officer, "of:m:mov").await;
    t.press(&officer, &format!("of:u:{cdcs}")).await;
    let refused = texts(&t.press(&officer, &format!("of:u:{ttq1}")).await);
    assert!(
        refused.contains("không thuộc phạm vi") || refused.contains("vào chính nó"),
        "{refused}"
    );
    assert_eq!(unit_path(&t, cdcs).await.2, Some(kcx));

    // Move the whole grassroots union (with TTQ-01 and Hoa) under the new one: a
    // subtree of depth two, paths recomputed in one go.
    t.press(&officer, "of:m:mov").await;
    t.press(&officer, &format!("of:u:{cdcs}")).await;
    t.press(&officer, &format!("of:u:{new}")).await;
    assert_eq!(
        unit_path(&t, ttq1).await.0,
        format!("{new_path}{cdcs}/{ttq1}/")
    );
    assert_eq!(unit_path(&t, ttq1).await.1, new_depth + 2);
    check_rollup(&t, campaign, kcx).await;
    check_rollup(&t, campaign, new).await;
    check_rollup(&t, campaign, cdcs).await;

    // Close: not while members remain; an emptied unit closes and is no longer offered.
    t.press(&officer, "of:m:cls").await;
    let busy = texts(&t.press(&officer, &format!("of:u:{new}")).await);
    assert!(busy.contains("còn đoàn viên"), "{busy}");
    t.press(&officer, "of:m:add").await;
    t.press(&officer, &format!("of:u:{kcx}")).await;
    t.say(&officer, "Tổ công đoàn số 9").await;
    t.press(&officer, "of:k:to_cong_doan").await;
    let nine: i64 = sqlx::query("SELECT id FROM units WHERE name = 'Tổ công đoàn số 9'")
        .fetch_one(t.store.pool())
        .await
        .expect("unit 9")
        .get("id");
    t.press(&officer, "of:m:cls").await;
    let closed = texts(&t.press(&officer, &format!("of:u:{nine}")).await);
    assert!(closed.contains("Đã đóng"), "{closed}");
    let pick = t.press(&officer, "of:m:inv").await;
    assert!(
        !data(&pick).contains(&format!("of:u:{nine}")),
        "a closed unit is not offered"
    );
    let refused = texts(&t.press(&officer, &format!("of:u:{nine}")).await);
    assert!(refused.contains("không thuộc phạm vi"), "{refused}");
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM units WHERE code = $1 AND closed_at IS NOT NULL",
            "KCX-TT"
        )
        .await,
        0
    );

    // The audit log, as the officers above read it.
    let log = texts(&t.press(&officer, "of:m:log").await);
    for what in [
        "thêm đơn vị",
        "đổi tên đơn vị",
        "chuyển đơn vị",
        "đóng đơn vị",
    ] {
        assert!(log.contains(what), "{what}: {log}");
    }
    assert!(log.contains("Cán bộ Khu chế xuất"), "{log}");
    assert_eq!(audit_count(&t, "unit.move").await, 2);
    t.finish().await;
}

async fn a_member_moves_to_another_union_by_its_invite_with_their_history(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let thu = TgUser::new(401, "Cán bộ Thu");
    let lan = TgUser::new(402, "Cán bộ Hà Nội Lan");
    let hoa = TgUser::new(403, "Công nhân Hoa");
    t.join(&thu, &t.invite("CDCS-ABC", Role::Officer, 1, None).await)
        .await;
    t.join(&lan, &t.invite("HN", Role::Officer, 1, None).await)
        .await;
    t.join(&hoa, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    let (cdcs, ttq1, hn) = (
        unit_id(&t, "CDCS-ABC").await,
        unit_id(&t, "TTQ-01").await,
        unit_id(&t, "HN").await,
    );
    let hoa_id = member_id(&t, hoa.id).await;
    let campaign = a_campaign(&t, cdcs, hoa_id).await;
    // An anonymous tip Hoa reported from her housing group.
    sqlx::query(
        "INSERT INTO tips (receipt_code, unit_id, handling_unit_id, category, description, anonymous,
                           reporter_member_id, status, created_at)
         VALUES ('7KQ2MX9D4P', $1, $2, 'theft', 'Mất xe đạp ở nhà xe', 1, $3, 'new', $4)",
    )
    .bind(ttq1)
    .bind(cdcs)
    .bind(hoa_id)
    .bind(now_ms())
    .execute(t.store.pool())
    .await
    .expect("tip");
    let code = t.invite("HN", Role::Member, 3, None).await;

    // Asked first, with both units' names; "no" changes nothing.
    let ask = t.say(&hoa, &format!("/start {}", code.as_str())).await;
    let text = texts(&ask);
    assert!(
        text.contains("Bạn đang sinh hoạt ở <b>Tổ tự quản nhà trọ số 1</b>")
            && text.contains("<b>Liên đoàn Lao động TP. Hà Nội</b>"),
        "{text}"
    );
    assert_eq!(data(&ask), vec!["of:mv:yes", "of:mv:no"]);
    let stay = texts(&t.press(&hoa, "of:mv:no").await);
    assert!(stay.contains("Bạn vẫn sinh hoạt ở đơn vị cũ"), "{stay}");
    assert_eq!(unit_of_member(&t, hoa_id).await, ttq1);

    // Yes, typed as its number.
    t.say(&hoa, &format!("/start {}", code.as_str())).await;
    let thu_before = t.fake.sent_to(thu.id).len();
    let lan_before = t.fake.sent_to(lan.id).len();
    let moved = texts(&t.say(&hoa, "1").await);
    assert!(
        moved.contains("Bạn đã chuyển sinh hoạt sang <b>Liên đoàn Lao động TP. Hà Nội</b>"),
        "{moved}"
    );
    assert_eq!(unit_of_member(&t, hoa_id).await, hn);
    assert_eq!(
        t.count_for("SELECT uses FROM invites WHERE code = $1", code.as_str())
            .await,
        1
    );
    // Her history moved with her: the same member, her signature, her tip, still anonymous.
    assert_eq!(member_id(&t, hoa.id).await, hoa_id);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures").await,
        1
    );
    let tip = sqlx::query("SELECT reporter_member_id, anonymous, unit_id FROM tips")
        .fetch_one(t.store.pool())
        .await
        .expect("tip");
    assert_eq!(
        tip.get::<Option<i64>, _>("reporter_member_id"),
        Some(hoa_id)
    );
    assert_eq!(tip.get::<i64, _>("anonymous"), 1);
    assert_eq!(
        tip.get::<i64, _>("unit_id"),
        ttq1,
        "a tip stays where it happened"
    );
    let follow = texts(&t.say(&hoa, "/theodoi TB-7KQ2M-X9D4P").await);
    assert!(follow.contains("TB-7KQ2M-X9D4P"), "{follow}");

    // The officers of both sides are told (the group's nearest officers: the grassroots
    // union's), and nothing about her tip.
    let told_thu = texts(&t.fake.sent_to(thu.id)[thu_before..]);
    let told_lan = texts(&t.fake.sent_to(lan.id)[lan_before..]);
    for told in [&told_thu, &told_lan] {
        assert!(
            told.contains("<b>Công nhân Hoa</b> đã chuyển sinh hoạt từ Tổ tự quản nhà trọ số 1"),
            "{told}"
        );
        assert!(
            !told.contains("TB-7KQ2M") && !told.contains("xe đạp"),
            "{told}"
        );
    }

    // Roll-ups count her in the new unit from now on: the old unit's campaign no longer
    // has her in scope nor signed.
    check_rollup(&t, campaign, cdcs).await;
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let (cdcs_path, _, _) = unit_path(&t, cdcs).await;
    let (rows, _, _) = commitments::rollup(&mut conn, campaign, cdcs, &cdcs_path)
        .await
        .expect("rollup");
    assert_eq!(
        (rows[0].scope, rows[0].signed),
        (1, 0),
        "only the officer is left"
    );
    drop(conn);

    // Her new unit's invite again: she is a member already.
    let again = texts(&t.say(&hoa, &format!("/start {}", code.as_str())).await);
    assert!(again.contains("Bạn đã là thành viên"), "{again}");
    // A used-up or unknown code is refused as before.
    let unknown = texts(&t.say(&hoa, "/start ABCD-EFGH-JKLM").await);
    assert!(
        unknown.contains("không đúng") || unknown.contains("không hợp lệ"),
        "{unknown}"
    );

    assert_eq!(audit_count(&t, "member.move_by_invite").await, 1);
    let log = texts(&t.say(&lan, "/donvi").await);
    assert!(log.contains("Liên đoàn Lao động TP. Hà Nội"), "{log}");
    let log = texts(&t.press(&lan, "of:m:log").await);
    assert!(
        log.contains("chuyển sinh hoạt bằng mã mời") && log.contains("Công nhân Hoa"),
        "{log}"
    );
    t.finish().await;
}

async fn officers_list_search_rerole_move_and_remove_members(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let thu = TgUser::new(501, "Cán bộ Thu");
    let binh = TgUser::new(502, "Phó chủ tịch Bình");
    let hoa = TgUser::new(503, "Công nhân Hoa");
    let out = TgUser::new(504, "Hà Nội Lan");
    t.join(&thu, &t.invite("CDCS-ABC", Role::Officer, 2, None).await)
        .await;
    t.join(&binh, &t.invite("CDCS-ABC", Role::Officer, 1, None).await)
        .await;
    t.join(&hoa, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    t.join(&out, &t.invite("HN", Role::Member, 1, None).await)
        .await;
    let (ttq1, ttq2) = (unit_id(&t, "TTQ-01").await, unit_id(&t, "TTQ-02").await);
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 45)
         INSERT INTO members (unit_id, role, display_name, lang, consent_at, joined_at)
         SELECT $1, 'member', 'CN ' || CAST(i AS TEXT), 'vi', 0, 0 FROM n",
    )
    .bind(ttq1)
    .execute(t.store.pool())
    .await
    .expect("members");
    let hoa_id = member_id(&t, hoa.id).await;

    t.say(&thu, "/donvi").await;
    t.press(&thu, "of:m:mem").await;
    let page1 = t.press(&thu, &format!("of:u:{ttq1}")).await;
    let text = texts(&page1);
    assert!(
        text.contains("46 người") && text.contains("Trang 1/3"),
        "{text}"
    );
    assert_eq!(data(&page1).len(), 21, "20 members and the next page");
    assert!(data(&page1).contains(&"of:pg:1".to_string()));
    let page2 = t.press(&thu, "of:pg:1").await;
    assert!(texts(&page2).contains("Trang 2/3"));
    assert_eq!(data(&page2).len(), 22, "20, next and previous");
    // A search by name, tone marks and case aside.
    let found = t.say(&thu, "hoa").await;
    assert!(
        texts(&found).contains("có tên chứa «hoa»: 1 người"),
        "{found:?}"
    );
    assert_eq!(data(&found), vec![format!("of:p:{hoa_id}")]);
    let card = t.say(&thu, "1").await;
    assert_eq!(
        data(&card),
        vec!["of:mo:role", "of:mo:move", "of:mo:remove"]
    );
    let roles = t.press(&thu, "of:mo:role").await;
    assert_eq!(data(&roles), vec!["of:r:leader", "of:r:officer"]);
    let hoa_before = t.fake.sent_to(hoa.id).len();
    let set = texts(&t.press(&thu, "of:r:leader").await);
    assert!(set.contains("thành tổ trưởng"), "{set}");
    assert!(texts(&t.fake.sent_to(hoa.id)[hoa_before..]).contains("nay là: tổ trưởng"));
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM members WHERE display_name = $1 AND role = 'leader'",
            "Công nhân Hoa"
        )
        .await,
        1
    );

    // A peer officer, oneself and another branch's member are refused, by forged buttons.
    let ids = [
        member_id(&t, binh.id).await,
        member_id(&t, thu.id).await,
        member_id(&t, out.id).await,
    ];
    t.say(&thu, "/donvi").await;
    t.press(&thu, "of:m:mem").await;
    t.press(&thu, &format!("of:u:{ttq1}")).await;
    for id in ids {
        let refused = texts(&t.press(&thu, &format!("of:p:{id}")).await);
        assert!(
            refused.contains("Bạn không thể thao tác với đoàn viên này"),
            "{refused}"
        );
    }

    // Move Hoa to the other housing group.
    t.say(&thu, "hoa").await;
    t.say(&thu, "1").await;
    let pick = t.press(&thu, "of:mo:move").await;
    assert!(
        !data(&pick).contains(&format!("of:u:{ttq1}")),
        "not where she is"
    );
    let moved = texts(&t.press(&thu, &format!("of:u:{ttq2}")).await);
    assert!(
        moved.contains("Đã chuyển <b>Công nhân Hoa</b> sang <b>Tổ tự quản nhà trọ số 2</b>"),
        "{moved}"
    );
    assert_eq!(unit_of_member(&t, hoa_id).await, ttq2);
    assert!(texts(&t.fake.sent_to(hoa.id)).contains("Bạn đã được chuyển sinh hoạt"));

    // Remove her, with a reason she is told, and how to join again.
    t.say(&thu, "/donvi").await;
    t.press(&thu, "of:m:mem").await;
    t.press(&thu, &format!("of:u:{ttq2}")).await;
    t.say(&thu, "1").await;
    let why = texts(&t.press(&thu, "of:mo:remove").await);
    assert!(why.contains("Gõ lý do"), "{why}");
    let hoa_before = t.fake.sent_to(hoa.id).len();
    let removed = texts(&t.say(&thu, "Đã nghỉ việc ở công ty").await);
    assert!(
        removed.contains("Đã đưa <b>Công nhân Hoa</b> ra khỏi"),
        "{removed}"
    );
    let told = texts(&t.fake.sent_to(hoa.id)[hoa_before..]);
    assert!(
        told.contains("đưa bạn ra khỏi <b>Tổ tự quản nhà trọ số 2</b>")
            && told.contains("Lý do: Đã nghỉ việc ở công ty")
            && told.contains("Muốn tham gia lại"),
        "{told}"
    );
    let left: i64 = sqlx::query("SELECT COUNT(*) AS n FROM members WHERE id = $1")
        .bind(hoa_id)
        .fetch_one(t.store.pool())
        .await
        .expect("count")
        .get("n");
    assert_eq!(left, 0, "her membership and data are gone");
    let help = texts(&t.say(&hoa, "/baotin").await);
    assert!(
        help.contains("Bạn cần tham gia"),
        "she is no longer a member: {help}"
    );

    for action in ["member.role", "member.move", "member.remove"] {
        assert_eq!(audit_count(&t, action).await, 1, "{action}");
    }
    // The audit keeps no words: no reason, no name of the removed person.
    assert_eq!(
        t.count("SELECT COUNT(*) FROM officer_audit WHERE detail LIKE '%nghỉ việc%' OR detail LIKE '%Hoa%'")
            .await,
        0
    );
    t.finish().await;
}

async fn on_zalo_every_step_is_a_typed_number_and_the_code_comes_as_text(backend: Backend) {
    let Some(t) = ZaloApp::spawn_with(backend, |c| {
        c.inbound_per_min = 0;
        c.listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    else {
        return;
    };
    // Behind a public https address, Zalo can fetch the poster from the console.
    t.store
        .set_setting("web_base_url", "https://bot.example.org")
        .await
        .expect("setting");
    let officer = ZaloUser::new("9f1e2d3c4b5a6978", "Cán bộ Zalo");
    let join = t.invite("CDCS-ABC", Role::Officer, 1, None).await;
    t.say(&officer, join.as_str()).await;
    t.say(&officer, "1").await;
    let list = ztexts(&t.say(&officer, "/moi").await);
    assert!(list.contains("1. Tạo mã mời mới"), "{list}");
    let pick = ztexts(&t.say(&officer, "1").await);
    assert!(
        pick.contains("1. Công đoàn cơ sở") && pick.contains("Trả lời bằng số"),
        "{pick}"
    );
    t.say(&officer, "2").await; // TTQ-01
    t.say(&officer, "1").await; // member
    t.say(&officer, "1").await; // 200 people (default)
    let made = ztexts(&t.say(&officer, "1").await); // 30 days (default)
    assert!(
        made.contains("Đã tạo mã mời vào Tổ tự quản nhà trọ số 1"),
        "{made}"
    );
    assert!(made.contains("Trên Zalo: nhắn mã"), "{made}");
    let code: String = sqlx::query("SELECT code FROM invites WHERE created_by IS NOT NULL")
        .fetch_one(t.store.pool())
        .await
        .expect("invite")
        .get("code");
    assert!(made.contains(&code), "{made}");
    // Zalo takes no files: the poster goes as a photo by its URL on the console, and
    // the console serves it (its QR code is the t.me link).
    let photo = t
        .zalo
        .sent_to(&officer.id)
        .iter()
        .find_map(|m| m.photo.clone())
        .expect("the poster as a photo");
    assert_eq!(photo, format!("https://bot.example.org/poster/{code}.png"));
    let addr = t.app.as_ref().and_then(|a| a.http_addr).expect("listening");
    let got = reqwest::get(format!("http://{addr}/poster/{code}.png"))
        .await
        .expect("poster");
    assert_eq!(got.status(), reqwest::StatusCode::OK);
    let png = got.bytes().await.expect("png");
    assert_eq!(
        read_qr(&png),
        format!("https://t.me/{BOT_USERNAME}?start={code}")
    );
    for wrong in ["ABCDEFGHJKLM.png", "x.png", &format!("{code}.jpg"), &code] {
        let r = reqwest::get(format!("http://{addr}/poster/{wrong}"))
            .await
            .expect("request");
        assert_eq!(r.status(), reqwest::StatusCode::NOT_FOUND, "{wrong}");
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
            .await,
        0
    );

    // A member on Zalo moves by typing the code, then "1".
    let worker = ZaloUser::new("1a2b3c4d5e6f7788", "Công nhân Zalo");
    let first = t.invite("HN", Role::Member, 1, None).await;
    t.say(&worker, first.as_str()).await;
    t.say(&worker, "1").await;
    let ask = ztexts(&t.say(&worker, &code).await);
    assert!(ask.contains("1. Chuyển sang đơn vị mới"), "{ask}");
    let moved = ztexts(&t.say(&worker, "1").await);
    assert!(
        moved.contains("Bạn đã chuyển sinh hoạt sang Tổ tự quản nhà trọ số 1"),
        "{moved}"
    );
    assert!(
        ztexts(&t.zalo.sent_to(&officer.id)).contains("Công nhân Zalo đã chuyển sinh hoạt"),
        "the officer on Zalo is told"
    );
    t.finish().await;
}

async fn invite_create_on_the_command_line_asks_getme_before_serve_ran(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else {
        return;
    };
    let fake = FakeTelegram::start().await;
    let store = Store::open(&db.url).await.expect("open");
    store
        .import_units(&parse_units_csv(TREE_CSV.as_bytes()).expect("csv"))
        .await
        .expect("tree");
    assert_eq!(store.setting("telegram_username").await.expect("db"), None);
    let dir = tempfile::tempdir().expect("tempdir");
    let poster = dir.path().join("moi.png");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
        .args(["invite", "create", "--unit", "TTQ-01", "--role", "member"])
        .args(["--uses", "50", "--expires", "14", "--poster"])
        .arg(&poster)
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .env("TELOXIDE_TOKEN", "123:TEST")
        .env("TELOXIDE_API_URL", fake.url())
        .env_remove("TELEGRAM_BOT_USERNAME")
        .env_remove("CONGDOAN_LANG")
        .output()
        .expect("run congdoan-bot");
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let prefix = format!("https://t.me/{BOT_USERNAME}?start=");
    let at = out.find(&prefix).unwrap_or_else(|| panic!("a link: {out}")) + prefix.len();
    let link = format!("{prefix}{}", &out[at..at + 12]);
    assert_eq!(
        read_qr(&std::fs::read(&poster).expect("poster written")),
        link
    );
    assert_eq!(
        store
            .setting("telegram_username")
            .await
            .expect("db")
            .as_deref(),
        Some(BOT_USERNAME),
        "remembered for the next time"
    );
    store.close().await;
    db.drop_db().await;
}

/// The terminal demo's officer makes an invite by typed numbers; its poster is saved.
#[test]
fn the_demo_officer_makes_an_invite_and_its_poster_is_saved() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.db").display().to_string();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
        .current_dir(dir.path())
        .args(["demo", "--file", &file, "--as", "officer"])
        .env("DATABASE_URL", "sqlite://unused.db")
        .env("RUST_LOG", "warn")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("TELEGRAM_BOT_USERNAME")
        .env_remove("CONGDOAN_LANG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run the demo");
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(b"/moi\n1\n1\n1\n1\n1\n/donvi\n/thoat\n");
    }
    let o = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("Đã tạo mã mời vào"), "{text}");
    assert!(text.contains("Đơn vị trực thuộc:"), "{text}");
    let posters: Vec<_> = std::fs::read_dir(dir.path().join("congdoan-demo-files"))
        .expect("demo files")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("moi-"))
        .collect();
    assert_eq!(posters.len(), 1, "one poster saved");
    let code = read_qr(&std::fs::read(posters[0].path()).expect("poster"));
    // Without a bot username yet, the QR code holds the code itself.
    assert!(text.contains(&code), "{code} in {text}");
}

/// Two officers move two units under each other at the same moment: the tree's changes
/// take turns, so the second sees the first and is refused; no cycle is ever stored.
async fn two_crossing_unit_moves_at_once_make_no_cycle(backend: Backend) {
    use congdoan_bot::store::units::{self, TreeRefusal};
    let Some(t) = spawn(backend).await else {
        return;
    };
    let (cdcs, ttq1, ttq2) = (
        unit_id(&t, "CDCS-ABC").await,
        unit_id(&t, "TTQ-01").await,
        unit_id(&t, "TTQ-02").await,
    );
    let (path, _, _) = unit_path(&t, cdcs).await;
    let mut first = t.store.begin().await.expect("tx");
    let moved = units::move_under(&mut first, &path, ttq2, ttq1, now_ms())
        .await
        .expect("db");
    assert_eq!(moved, Ok(Some(cdcs)));
    let store = t.store.clone();
    let other_path = path.clone();
    let second = tokio::spawn(async move {
        let mut tx = store.begin().await.expect("tx");
        let r = units::move_under(&mut tx, &other_path, ttq1, ttq2, now_ms())
            .await
            .expect("db");
        tx.commit().await.expect("commit");
        r
    });
    if backend == Backend::Postgres {
        // Let the second reach the tree before the first commits: it either waits for its
        // turn (seen in pg_locks) or, without one, would finish on the old paths.
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while !second.is_finished()
            && t.count("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                .await
                == 0
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the second move never ran"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
    first.commit().await.expect("commit");
    assert_eq!(second.await.expect("task"), Err(TreeRefusal::IntoItself));
    let (p1, _, parent1) = unit_path(&t, ttq1).await;
    let (p2, _, parent2) = unit_path(&t, ttq2).await;
    assert_eq!((parent1, parent2), (Some(cdcs), Some(ttq1)));
    assert_eq!(p2, format!("{p1}{ttq2}/"));
    t.finish().await;
}
