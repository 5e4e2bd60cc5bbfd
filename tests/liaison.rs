//! The police liaison (issue 21), played as people through the fake Bot API: an officer
//! invites the police officer in charge of the area, who gets the tips of the categories
//! the unit chose from its subtree (anonymous ones without a name), takes and resolves
//! them (every read and action recorded), sees no member list and is counted nowhere;
//! the monthly summary comes once with exact figures; a warning waits for an officer's
//! approval and then reaches exactly the housing-group leaders.

mod common;

use chrono::{Datelike, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use common::fake_zalo::{ZaloApp, ZaloUser, ztexts};
use common::{Backend, Sent, TestApp, TgUser, cast, texts};
use congdoan_bot::core::domain::{Role, UnitCode};
use congdoan_bot::core::event::Outbound;
use congdoan_bot::core::time::now_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::scheduler;
use congdoan_bot::store::fanout::{Audience, Tag, to_members};
use congdoan_bot::store::{liaison, tallies};
use sqlx::Row;

on_both_backends!(
    a_liaison_gets_only_the_chosen_tips_of_the_subtree_and_handles_them,
    the_monthly_summary_comes_once_with_exact_figures,
    a_warning_waits_for_approval_and_reaches_exactly_the_group_leaders,
    a_liaison_is_no_member_anywhere,
    on_zalo_everything_works_by_typed_numbers,
);

fn has_button(sent: &[Sent], data: &str) -> bool {
    sent.iter()
        .any(|m| m.buttons.iter().any(|(_, d)| d == data))
}

/// The receipt code in the bot's confirmation (`TB-XXXXX-XXXXX`).
fn receipt_code(sent: &[Sent]) -> String {
    let all = texts(sent);
    let start = all.find("TB-").expect("a receipt code");
    all[start..start + 14].to_string()
}

async fn tip_id(t: &TestApp, code: &str) -> i64 {
    let raw = code.replace("TB-", "").replace('-', "");
    sqlx::query("SELECT id FROM tips WHERE receipt_code = $1")
        .bind(raw)
        .fetch_one(t.store.pool())
        .await
        .expect("tip row")
        .try_get("id")
        .expect("id")
}

async fn tip_status(t: &TestApp, id: i64) -> String {
    sqlx::query("SELECT status FROM tips WHERE id = $1")
        .bind(id)
        .fetch_one(t.store.pool())
        .await
        .expect("tip")
        .get("status")
}

async fn member_id(t: &TestApp, user: &TgUser) -> i64 {
    sqlx::query("SELECT member_id FROM identities WHERE channel = 'telegram' AND external_id = $1")
        .bind(user.id.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("identity")
        .get("member_id")
}

async fn unit(t: &TestApp, code: &str) -> (i64, String) {
    let u = t
        .store
        .unit_by_code(&UnitCode::parse(code).expect("code"))
        .await
        .expect("db")
        .expect("unit");
    (u.id, u.path)
}

/// The texts waiting in the outbox for `user` (what the scheduler queued for a time
/// still to come).
async fn queued_to(t: &TestApp, user: &TgUser) -> String {
    sqlx::query("SELECT payload FROM outbox WHERE chat_id = $1 AND status = 'pending' ORDER BY id")
        .bind(user.id.to_string())
        .fetch_all(t.store.pool())
        .await
        .expect("outbox")
        .iter()
        .map(|r| {
            let payload: String = r.get("payload");
            match serde_json::from_str::<Outbound>(&payload) {
                Ok(Outbound::Message { text, .. }) => text,
                _ => payload,
            }
        })
        .collect::<Vec<_>>()
        .join("\n---\n")
}

/// Everything `user` has been sent so far.
fn all_to(t: &TestApp, user: &TgUser) -> String {
    texts(&t.fake.sent_to(user.id))
}

/// A whole report by buttons, no photo: returns the receipt code.
async fn report(t: &TestApp, who: &TgUser, category: &str, what: &str, anonymous: bool) -> String {
    t.say(who, "/baotin").await;
    t.press(who, &format!("tip:cat:{category}")).await;
    t.say(who, what).await;
    t.press(who, "tip:skip").await;
    t.press(who, "tip:when:today").await;
    t.press(who, "tip:photos:done").await;
    let done = t
        .press(
            who,
            if anonymous {
                "tip:anon:yes"
            } else {
                "tip:anon:no"
            },
        )
        .await;
    receipt_code(&done)
}

/// The liaison joins CDCS-ABC by an invite its officer made in chat (`/moi`).
async fn invite_liaison(t: &TestApp, officer: &TgUser, liaison: &TgUser) {
    let (cdcs, _) = unit(t, "CDCS-ABC").await;
    t.say(officer, "/moi").await;
    t.press(officer, "of:m:inv").await;
    let roles = t.press(officer, &format!("of:u:{cdcs}")).await;
    assert!(has_button(&roles, "of:r:liaison"), "{roles:?}");
    let uses = t.press(officer, "of:r:liaison").await;
    assert!(
        uses.iter()
            .any(|m| m.buttons.iter().any(|(l, _)| l.starts_with("1. 1 người"))),
        "one person by default: {uses:?}"
    );
    t.say(officer, "1").await;
    let made = texts(&t.say(officer, "1").await);
    assert!(made.contains("cán bộ công an phụ trách địa bàn"), "{made}");
    let code: String = sqlx::query("SELECT code FROM invites WHERE role = 'liaison'")
        .fetch_one(t.store.pool())
        .await
        .expect("liaison invite")
        .get("code");
    let code = congdoan_bot::core::domain::InviteCode::parse(&code).expect("code");
    t.join(liaison, &code).await;
    let joined = all_to(t, liaison);
    assert!(
        joined.contains("cán bộ công an phụ trách địa bàn"),
        "{joined}"
    );
}

async fn a_liaison_gets_only_the_chosen_tips_of_the_subtree_and_handles_them(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 100).await;
    let police = TgUser::new(190, "Thiếu tá Công an Bình");
    invite_liaison(&t, &c.officer, &police).await;
    let police_id = member_id(&t, &police).await;

    // Drugs (chosen by default) below the unit: the liaison gets it with the buttons.
    let before = t.fake.sent_to(police.id).len();
    let drugs = report(
        &t,
        &c.worker,
        "drugs",
        "Có người bán ma túy ở dãy trọ 3",
        false,
    )
    .await;
    let drugs_id = tip_id(&t, &drugs).await;
    t.wait_outbox_empty().await;
    let got = t.fake.sent_to(police.id).split_off(before);
    assert!(texts(&got).contains(&drugs), "{}", texts(&got));
    assert!(has_button(&got, &format!("tip:show:{drugs_id}")), "{got:?}");
    assert!(has_button(&got, &format!("tip:ack:{drugs_id}")), "{got:?}");

    // A labour dispute (not chosen) and drugs in another branch: nothing.
    let before = t.fake.sent_to(police.id).len();
    let labour = report(&t, &c.worker, "labour", "Công ty nợ lương tháng 11", false).await;
    let labour_id = tip_id(&t, &labour).await;
    let hanoi = report(&t, &c.outsider, "drugs", "Ma túy ở Hà Nội", false).await;
    let hanoi_id = tip_id(&t, &hanoi).await;
    t.wait_outbox_empty().await;
    assert_eq!(t.fake.sent_to(police.id).len(), before, "nothing unchosen");
    // Forged buttons on them show nothing and change nothing.
    for id in [labour_id, hanoi_id] {
        let refused = texts(&t.press(&police, &format!("tip:show:{id}")).await);
        assert!(refused.contains("Không tìm thấy tin báo"), "{refused}");
        t.press(&police, &format!("tip:ack:{id}")).await;
        assert_eq!(tip_status(&t, id).await, "new");
    }

    // An anonymous tip reaches the liaison without a name, in the alert and in full.
    let before = t.fake.sent_to(police.id).len();
    let anon = report(
        &t,
        &c.leader,
        "stranger",
        "Hai người lạ hỏi thăm phòng trọ",
        true,
    )
    .await;
    let anon_id = tip_id(&t, &anon).await;
    t.wait_outbox_empty().await;
    let alert = texts(&t.fake.sent_to(police.id).split_off(before));
    assert!(alert.contains(&anon), "{alert}");
    let shown = texts(&t.press(&police, &format!("tip:show:{anon_id}")).await);
    assert!(shown.contains("Hai người lạ"), "{shown}");
    for who in ["Tổ trưởng Hùng", "Hùng"] {
        assert!(!alert.contains(who) && !shown.contains(who), "{who}");
    }

    // The named tip: read, taken, resolved, each recorded with the liaison's id.
    let shown = t.press(&police, &format!("tip:show:{drugs_id}")).await;
    assert!(texts(&shown).contains("Công nhân Hoa"), "{}", texts(&shown));
    assert!(has_button(&shown, &format!("tip:res:{drugs_id}")));
    assert!(
        !has_button(&shown, &format!("tip:esc:{drugs_id}")),
        "no passing up"
    );
    t.press(&police, &format!("tip:esc:{drugs_id}")).await;
    assert_eq!(tip_status(&t, drugs_id).await, "new", "escalation refused");
    t.press(&police, &format!("tip:ack:{drugs_id}")).await;
    assert_eq!(tip_status(&t, drugs_id).await, "acknowledged");
    let ask = texts(&t.press(&police, &format!("tip:res:{drugs_id}")).await);
    assert!(!ask.is_empty());
    t.say(&police, "Đã bắt giữ đối tượng, chuyển cơ quan điều tra")
        .await;
    assert_eq!(tip_status(&t, drugs_id).await, "resolved");
    let reads = t
        .count_for(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM tip_reads WHERE member_id = CAST($1 AS BIGINT)",
            &police_id.to_string(),
        )
        .await;
    assert_eq!(reads, 2, "every read recorded");
    let acted: Vec<String> = sqlx::query(
        "SELECT kind FROM tip_events WHERE tip_id = $1 AND actor_member_id = $2 ORDER BY id",
    )
    .bind(drugs_id)
    .bind(police_id)
    .fetch_all(t.store.pool())
    .await
    .expect("events")
    .iter()
    .map(|r| r.get("kind"))
    .collect();
    assert_eq!(acted, vec!["acknowledged", "resolved"]);

    // The officer narrows the categories (by buttons and a typed number): labour on,
    // drugs off.
    let menu = t.say(&c.officer, "/congan").await;
    assert!(has_button(&menu, "li:t:labour"), "{menu:?}");
    t.press(&c.officer, "li:t:drugs").await;
    let typed = t.say(&c.officer, "7").await;
    assert!(
        typed.iter().any(|m| m
            .buttons
            .iter()
            .any(|(l, _)| l == "7. ✅ Tranh chấp lao động")),
        "{typed:?}"
    );
    let saved = texts(&t.press(&c.officer, "li:done").await);
    assert!(saved.contains("Tranh chấp lao động"), "{saved}");
    assert!(!saved.contains("Ma túy"), "{saved}");
    let before = t.fake.sent_to(police.id).len();
    let labour2 = report(&t, &c.direct, "labour", "Tăng ca không trả lương", false).await;
    report(&t, &c.direct, "drugs", "Lại có người bán ma túy", false).await;
    t.wait_outbox_empty().await;
    let got = texts(&t.fake.sent_to(police.id).split_off(before));
    assert!(got.contains(&labour2), "{got}");
    assert_eq!(got.matches("TB-").count(), 1, "{got}");
    // The liaison cannot choose the categories.
    let own = t.say(&police, "/congan").await;
    assert!(has_button(&own, "li:w"), "{own:?}");
    assert!(!has_button(&own, "li:t:drugs"), "{own:?}");
    let forged = t.press(&police, "li:done").await;
    assert!(!texts(&forged).contains("Đã lưu"), "{}", texts(&forged));
    let audited = t
        .count("SELECT CAST(COUNT(*) AS BIGINT) FROM officer_audit WHERE action = 'liaison.categories'")
        .await;
    assert_eq!(audited, 1);
    t.finish().await;
}

/// The first day of the month after `now`, at `hour`:`minute` in Vietnam.
fn next_month_at(now: i64, hour: u32, minute: u32) -> i64 {
    let local = Utc
        .timestamp_millis_opt(now)
        .single()
        .expect("now")
        .with_timezone(&Ho_Chi_Minh);
    let (y, m) = if local.month() == 12 {
        (local.year() + 1, 1)
    } else {
        (local.year(), local.month() + 1)
    };
    Ho_Chi_Minh
        .with_ymd_and_hms(y, m, 1, hour, minute, 0)
        .single()
        .expect("time")
        .timestamp_millis()
}

async fn the_monthly_summary_comes_once_with_exact_figures(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    t.digests_off().await;
    let c = cast(&t, 200).await;
    let (cdcs, _) = unit(&t, "CDCS-ABC").await;
    // The running bot's own clock may fall in a summary window today: that month is
    // taken as done, so only the ticks below send.
    if let Some((key, ..)) = liaison::summary_period(now_ms()) {
        sqlx::query("INSERT INTO liaison_summaries (unit_id, month, sent_at) VALUES ($1, $2, 0)")
            .bind(cdcs)
            .bind(key)
            .execute(t.store.pool())
            .await
            .expect("seed");
    }
    let police = TgUser::new(290, "Đại úy Công an Minh");
    t.join(&police, &t.invite("CDCS-ABC", Role::Liaison, 1, None).await)
        .await;

    // This month: drugs ×2 (one resolved), theft ×1 (taken), labour (not shared) and
    // drugs in another branch (outside).
    let d1 = tip_id(&t, &report(&t, &c.worker, "drugs", "Ma túy 1", false).await).await;
    report(&t, &c.leader, "drugs", "Ma túy 2", true).await;
    let th = tip_id(
        &t,
        &report(&t, &c.direct, "theft", "Mất xe đạp", false).await,
    )
    .await;
    report(&t, &c.worker, "labour", "Nợ lương", false).await;
    report(&t, &c.outsider, "drugs", "Ma túy Hà Nội", false).await;
    t.press(&c.officer, &format!("tip:ack:{th}")).await;
    t.press(&c.officer, &format!("tip:res:{d1}")).await;
    t.say(&c.officer, "Đã báo công an xử lý").await;

    let i18n = I18n::new();
    let at = next_month_at(now_ms(), 8, 5);
    assert_eq!(
        scheduler::tick(&t.store, &i18n, next_month_at(now_ms(), 7, 55))
            .await
            .expect("tick"),
        0,
        "not before 8:00"
    );
    let queued = scheduler::tick(&t.store, &i18n, at).await.expect("tick");
    assert_eq!(queued, 2, "the liaison and the officer");
    assert_eq!(
        scheduler::tick(&t.store, &i18n, at + 3_600_000)
            .await
            .expect("tick"),
        0,
        "once per month"
    );
    let local = Utc
        .timestamp_millis_opt(now_ms())
        .single()
        .expect("now")
        .with_timezone(&Ho_Chi_Minh);
    let month = format!("{}/{}", local.month(), local.year());
    for who in [&police, &c.officer] {
        let all = queued_to(&t, who).await;
        assert_eq!(all.matches("Tổng hợp tin báo tháng").count(), 1, "{all}");
        assert!(
            all.contains(&format!("Tổng hợp tin báo tháng {month} — Công đoàn cơ sở")),
            "{all}"
        );
        assert!(
            all.contains("• Trộm cắp: 1 (mới 0, đang xử lý 1, đã xử lý 0)"),
            "{all}"
        );
        assert!(
            all.contains("• Ma túy: 2 (mới 1, đang xử lý 0, đã xử lý 1)"),
            "{all}"
        );
        assert!(
            all.contains("<b>Cộng: 3</b> (mới 1, đang xử lý 1, đã xử lý 1)"),
            "{all}"
        );
        assert!(!all.contains("• Tranh chấp lao động"), "{all}");
    }
    for who in [&c.worker, &c.leader, &c.outsider] {
        assert!(!queued_to(&t, who).await.contains("Tổng hợp tin báo tháng"));
    }
    t.finish().await;
}

async fn a_warning_waits_for_approval_and_reaches_exactly_the_group_leaders(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 300).await;
    let leader2 = TgUser::new(381, "Tổ trưởng Lan");
    t.join(&leader2, &t.invite("TTQ-02", Role::Leader, 1, None).await)
        .await;
    let hn_leader = TgUser::new(382, "Tổ trưởng Hà Nội");
    t.join(&hn_leader, &t.invite("HN", Role::Leader, 1, None).await)
        .await;
    let police = TgUser::new(390, "Trung tá Công an Dũng");
    t.join(&police, &t.invite("CDCS-ABC", Role::Liaison, 1, None).await)
        .await;
    let warning = "Cảnh giác: đối tượng giả danh công an thu tiền tạm trú";

    let menu = t.say(&police, "/congan").await;
    assert!(has_button(&menu, "li:w"), "{menu:?}");
    t.say(&police, "1").await;
    let too_long = texts(&t.say(&police, &"x".repeat(700)).await);
    assert!(too_long.contains("dài quá"), "{too_long}");
    let waiting = texts(&t.say(&police, warning).await);
    assert!(waiting.contains("cán bộ công đoàn duyệt"), "{waiting}");
    t.wait_outbox_empty().await;
    let id: i64 = sqlx::query("SELECT id FROM liaison_warnings WHERE status = 'pending'")
        .fetch_one(t.store.pool())
        .await
        .expect("warning")
        .get("id");
    let asked = t.fake.sent_to(c.officer.id);
    assert!(has_button(&asked, &format!("li:ok:{id}")), "{asked:?}");
    assert!(texts(&asked).contains("Trả lời 1 để duyệt gửi"));
    for who in [&c.leader, &leader2] {
        assert!(!all_to(&t, who).contains(warning), "not before approval");
    }

    // Nobody but an officer of the unit decides.
    for who in [&c.worker, &c.leader, &police, &hn_leader] {
        t.press(who, &format!("li:ok:{id}")).await;
    }
    t.wait_outbox_empty().await;
    assert!(!all_to(&t, &c.leader).contains(warning));

    // The officer approves by typing 1, as on Zalo.
    let ok = texts(&t.say(&c.officer, "1").await);
    assert!(ok.contains("Đã duyệt"), "{ok}");
    t.wait_outbox_empty().await;
    for who in [&c.leader, &leader2] {
        assert_eq!(all_to(&t, who).matches(warning).count(), 1, "a leader");
    }
    for who in [
        &c.worker,
        &c.english,
        &c.direct,
        &c.outsider,
        &hn_leader,
        &police,
    ] {
        assert!(
            !all_to(&t, who).contains(warning),
            "not a leader of the unit"
        );
    }
    assert!(all_to(&t, &police).contains("đã được duyệt và gửi đi (2 tin)"));
    let again = texts(&t.press(&c.officer, &format!("li:ok:{id}")).await);
    assert!(again.contains("đã được duyệt hoặc từ chối"), "{again}");
    t.wait_outbox_empty().await;
    assert_eq!(all_to(&t, &c.leader).matches(warning).count(), 1, "once");

    // A second warning, rejected by the button: nobody gets it.
    t.say(&police, "/congan").await;
    t.press(&police, "li:w").await;
    t.say(&police, "Cảnh báo thứ hai").await;
    let id2: i64 = sqlx::query("SELECT id FROM liaison_warnings WHERE status = 'pending'")
        .fetch_one(t.store.pool())
        .await
        .expect("warning")
        .get("id");
    t.press(&c.officer, &format!("li:no:{id2}")).await;
    t.wait_outbox_empty().await;
    assert!(!all_to(&t, &c.leader).contains("Cảnh báo thứ hai"));
    assert!(all_to(&t, &police).contains("không được duyệt"));
    let audit: Vec<String> =
        sqlx::query("SELECT action FROM officer_audit WHERE action LIKE 'liaison.%' ORDER BY id")
            .fetch_all(t.store.pool())
            .await
            .expect("audit")
            .iter()
            .map(|r| r.get("action"))
            .collect();
    assert_eq!(
        audit,
        vec![
            "liaison.warning",
            "liaison.approved",
            "liaison.warning",
            "liaison.rejected"
        ]
    );
    t.finish().await;
}

async fn a_liaison_is_no_member_anywhere(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 400).await;
    let police = TgUser::new(490, "Thượng úy Công an Tâm");
    invite_liaison(&t, &c.officer, &police).await;
    let (cdcs, path) = unit(&t, "CDCS-ABC").await;

    // Officer, worker, English worker, leader, direct member: five, the liaison not.
    let mut conn = t.store.pool().acquire().await.expect("conn");
    let [members, reachable] = tallies::members_below(&mut conn, &path)
        .await
        .expect("tallies")
        .total;
    assert_eq!((members, reachable), (5, 5));
    assert_eq!(tallies::members_of(&mut conn, cdcs).await.expect("own"), 2);
    drop(conn);
    let mut tx = t.store.begin().await.expect("tx");
    let reached = to_members(
        &mut tx,
        &Audience {
            path: &path,
            ..Audience::default()
        },
        |_| Outbound::Message {
            text: "x".into(),
            buttons: vec![],
        },
        Tag::None,
        now_ms(),
    )
    .await
    .expect("fanout");
    assert_eq!(reached, 5, "bulk sends skip the liaison");
    drop(tx);

    // The liaison sees no member list, no export, no union command.
    for cmd in ["/donvi", "/xuat", "/tinbao", "/tonghop", "/guitin", "/web"] {
        let refused = texts(&t.say(&police, cmd).await);
        assert!(
            refused.contains("chỉ dành cho cán bộ công đoàn"),
            "{cmd}: {refused}"
        );
    }
    for cmd in [
        "/moi", "/chithi", "/camket", "/baotin", "/baocao", "/khaosat",
    ] {
        let refused = texts(&t.say(&police, cmd).await);
        assert!(refused.contains("dành cho đoàn viên"), "{cmd}: {refused}");
    }
    let help = texts(&t.say(&police, "/help").await);
    assert!(help.contains("/congan"), "{help}");
    assert!(
        !help.contains("/baotin") && !help.contains("/donvi"),
        "{help}"
    );
    let police_id = member_id(&t, &police).await;
    let role: String = sqlx::query("SELECT role FROM members WHERE id = $1")
        .bind(police_id)
        .fetch_one(t.store.pool())
        .await
        .expect("role")
        .get("role");
    assert_eq!(role, "liaison");

    // The officer's member page of the unit does not list them; `/congan` does, with a
    // button to remove them (the tree's own removal: checked, audited, the person told).
    t.say(&c.officer, "/donvi").await;
    t.press(&c.officer, "of:m:mem").await;
    let page = t.press(&c.officer, &format!("of:u:{cdcs}")).await;
    let all = format!("{page:?}");
    assert!(all.contains("Đoàn viên Nam"), "{all}");
    assert!(!all.contains("Công an Tâm"), "{all}");
    assert!(!has_button(&page, &format!("of:p:{police_id}")));
    let menu = t.say(&c.officer, "/congan").await;
    assert!(texts(&menu).contains("Thượng úy Công an Tâm"), "{menu:?}");
    assert!(has_button(&menu, &format!("li:rm:{police_id}")), "{menu:?}");
    // Not by anyone else, nor for an id that is not their unit's liaison.
    t.say(&c.officer, "/congan").await;
    let direct = member_id(&t, &c.direct).await;
    t.press(&c.officer, &format!("li:rm:{direct}")).await;
    t.say(&police, "/congan").await;
    t.press(&police, &format!("li:rm:{police_id}")).await;
    assert_eq!(
        t.count("SELECT CAST(COUNT(*) AS BIGINT) FROM members")
            .await,
        7,
        "nobody removed"
    );
    t.say(&c.officer, "/congan").await;
    t.press(&c.officer, &format!("li:rm:{police_id}")).await;
    t.wait_outbox_empty().await;
    assert_eq!(
        t.count("SELECT CAST(COUNT(*) AS BIGINT) FROM members WHERE role = 'liaison'")
            .await,
        0
    );
    assert_eq!(
        t.count("SELECT CAST(COUNT(*) AS BIGINT) FROM members")
            .await,
        6
    );
    t.finish().await;
}

async fn on_zalo_everything_works_by_typed_numbers(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let thu = ZaloUser::new("7a1b2c3d4e5f60718201", "Cán bộ Thu");
    t.say(
        &thu,
        t.invite("CDCS-ABC", Role::Officer, 1, None).await.as_str(),
    )
    .await;
    t.say(&thu, "1").await;
    let leader = TgUser::new(701, "Tổ trưởng Hùng");
    t.join(&leader, &t.invite("TTQ-01", Role::Leader, 1, None).await)
        .await;
    let binh = ZaloUser::new("7a1b2c3d4e5f60718202", "Công an Bình");
    t.say(
        &binh,
        t.invite("CDCS-ABC", Role::Liaison, 1, None).await.as_str(),
    )
    .await;
    let joined = ztexts(&t.say(&binh, "1").await);
    assert!(
        joined.contains("cán bộ công an phụ trách địa bàn"),
        "{joined}"
    );

    // The officer ticks by typed numbers: 8 (other) on, then 9 (done).
    let menu = ztexts(&t.say(&thu, "/congan").await);
    assert!(
        menu.contains("✅ Ma túy") && menu.contains("9. Xong"),
        "{menu}"
    );
    let ticked = ztexts(&t.say(&thu, "8").await);
    assert!(ticked.contains("8. ✅ Khác"), "{ticked}");
    let saved = ztexts(&t.say(&thu, "9").await);
    assert!(saved.contains("Khác"), "{saved}");

    // The liaison writes a warning by typing; the officer approves with a typed 1.
    let own = ztexts(&t.say(&binh, "/congan").await);
    assert!(own.contains("1. Gửi cảnh báo"), "{own}");
    t.say(&binh, "1").await;
    t.say(&binh, "Phòng chống cháy nổ: không sạc xe điện qua đêm")
        .await;
    t.wait_outbox_empty().await;
    let asked = ztexts(&t.zalo.sent_to(&thu.id));
    assert!(asked.contains("Trả lời 1 để duyệt gửi"), "{asked}");
    assert!(!all_to(&t, &leader).contains("sạc xe điện"));
    let ok = ztexts(&t.say(&thu, "1").await);
    assert!(ok.contains("Đã duyệt"), "{ok}");
    t.t.wait_outbox_empty().await;
    assert!(all_to(&t, &leader).contains("không sạc xe điện qua đêm"));
    t.wait_outbox_empty().await;
    assert!(ztexts(&t.zalo.sent_to(&binh.id)).contains("đã được duyệt và gửi đi (1 tin)"));
    t.finish().await;
}
