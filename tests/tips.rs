//! Incident tips, played as people through the fake Bot API (and the fake Zalo): a
//! worker reports with photo and location, officers take, pass up and close it, overdue
//! tips climb the tree by the scheduler's clock, and the reporter stays anonymous when
//! they ask to be.

mod common;

use common::fake_zalo::{ZaloApp, ZaloUser, ztexts};
use common::{Backend, Sent, TestApp, TgUser, cast, texts};
use congdoan_bot::core::domain::{Role, UnitCode};
use congdoan_bot::core::time::now_ms;
use congdoan_bot::core::tip::Category;
use congdoan_bot::i18n::I18n;
use congdoan_bot::scheduler;
use congdoan_bot::store::Store;
use sqlx::Row;

on_both_backends!(
    a_named_report_with_photo_and_location_is_taken_and_resolved,
    an_anonymous_tip_never_names_its_reporter,
    tips_go_to_the_nearest_unit_that_handles_the_category,
    overdue_tips_climb_the_tree_once_per_deadline,
    outsiders_and_forged_buttons_change_nothing,
    a_reporter_who_blocked_the_bot_does_not_stop_the_officer,
    a_flood_of_tips_is_refused,
    a_tip_reported_on_zalo_by_typing,
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

async fn tip_field(t: &TestApp, id: i64, column: &'static str) -> Option<String> {
    let sql = format!("SELECT CAST({column} AS TEXT) AS v FROM tips WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(t.store.pool())
        .await
        .expect("tip row")
        .try_get("v")
        .expect("value")
}

/// The texts waiting in the outbox for one chat.
async fn queued_to(t: &TestApp, chat: i64) -> String {
    sqlx::query("SELECT payload FROM outbox WHERE chat_id = $1 AND status = 'pending' ORDER BY id")
        .bind(chat.to_string())
        .fetch_all(t.store.pool())
        .await
        .expect("outbox")
        .iter()
        .map(|r| r.get::<String, _>("payload"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn unit_id(t: &TestApp, code: &str) -> i64 {
    t.store
        .unit_by_code(&UnitCode::parse(code).expect("code"))
        .await
        .expect("db")
        .expect("unit")
        .id
}

/// A whole report by buttons, no photo: returns the receipt code.
async fn report(t: &TestApp, who: &TgUser, category: &str, what: &str, anonymous: bool) -> String {
    let menu = t.say(who, "/baotin").await;
    assert!(
        has_button(&menu, &format!("tip:cat:{category}")),
        "{menu:?}"
    );
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

async fn a_named_report_with_photo_and_location_is_taken_and_resolved(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 100).await;

    let menu = t.say(&c.worker, "/baotin").await;
    assert!(
        texts(&menu).contains("Việc gì đã xảy ra"),
        "{}",
        texts(&menu)
    );
    for cat in Category::ALL {
        assert!(has_button(&menu, &format!("tip:cat:{}", cat.as_str())));
    }
    assert!(texts(&t.press(&c.worker, "tip:cat:theft").await).contains("Trộm cắp"));
    let where_ = t
        .say(&c.worker, "Mất xe máy Honda trước dãy trọ số 5")
        .await;
    assert!(has_button(&where_, "tip:skip"), "{where_:?}");
    let when = t
        .send(c.worker.id, c.worker.location(10.7626, 106.7421))
        .await;
    assert!(has_button(&when, "tip:when:now"), "{when:?}");
    let photos = t.press(&c.worker, "tip:when:now").await;
    assert!(has_button(&photos, "tip:photos:done"));
    let got = t
        .send(c.worker.id, c.worker.photo("ph-xe-1", Some("biển số 59X")))
        .await;
    assert!(texts(&got).contains("Đã nhận 1/5 ảnh"), "{}", texts(&got));
    let ask = t.press(&c.worker, "tip:photos:done").await;
    assert!(has_button(&ask, "tip:anon:yes") && has_button(&ask, "tip:anon:no"));
    let done = t.press(&c.worker, "tip:anon:no").await;
    assert!(texts(&done).contains("Mã theo dõi"), "{}", texts(&done));
    let code = receipt_code(&done);
    let id = tip_id(&t, &code).await;

    // Stored: routed to CDCS-ABC (TTQ-01 has no officers), due in 2 hours.
    let abc = unit_id(&t, "CDCS-ABC").await;
    assert_eq!(
        tip_field(&t, id, "handling_unit_id").await,
        Some(abc.to_string())
    );
    assert_eq!(tip_field(&t, id, "status").await.as_deref(), Some("new"));
    assert_eq!(tip_field(&t, id, "anonymous").await.as_deref(), Some("0"));
    let created: i64 = tip_field(&t, id, "created_at")
        .await
        .unwrap()
        .parse()
        .unwrap();
    let due: i64 = tip_field(&t, id, "escalate_at")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(due - created, 2 * 3600 * 1000);
    assert!(
        tip_field(&t, id, "description")
            .await
            .unwrap()
            .contains("biển số 59X")
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM tip_photos WHERE file_id = 'ph-xe-1'")
            .await,
        1
    );

    // The officer got the tip, the photo and the buttons; named, so the name shows.
    let officer_got = t.fake.sent_to(c.officer.id);
    let alert = officer_got
        .iter()
        .find(|m| m.text.contains("Tin báo mới"))
        .expect("alert");
    assert!(alert.text.contains("Trộm cắp") && alert.text.contains(&code));
    assert!(alert.text.contains("Công nhân Hoa"), "{}", alert.text);
    assert!(alert.text.contains("maps.google.com/?q=10.76260,106.74210"));
    assert!(has_button(&officer_got, &format!("tip:ack:{id}")));
    assert!(
        officer_got
            .iter()
            .any(|m| m.photo.as_deref() == Some("ph-xe-1")),
        "photo forwarded on the same channel"
    );

    // Opening it is recorded; the buttons follow the status.
    let detail = t.press(&c.officer, &format!("tip:show:{id}")).await;
    assert!(texts(&detail).contains("Diễn biến"), "{}", texts(&detail));
    assert!(has_button(&detail, &format!("tip:ack:{id}")));
    assert!(has_button(&detail, &format!("tip:res:{id}")));
    // Nobody above CDCS-ABC has officers: no "pass up".
    assert!(!has_button(&detail, &format!("tip:esc:{id}")));
    assert_eq!(t.count("SELECT COUNT(*) FROM tip_reads").await, 1);

    let before = t.fake.sent_to(c.worker.id).len();
    let ack = t.press(&c.officer, &format!("tip:ack:{id}")).await;
    assert!(texts(&ack).contains("Đã tiếp nhận"), "{}", texts(&ack));
    assert_eq!(
        tip_field(&t, id, "status").await.as_deref(),
        Some("acknowledged")
    );
    assert_eq!(tip_field(&t, id, "escalate_at").await, None);
    let told = t.fake.sent_to(c.worker.id).split_off(before);
    assert!(
        texts(&told).contains("đã được <b>Công đoàn cơ sở"),
        "{}",
        texts(&told)
    );

    // Acknowledging twice says so and changes nothing.
    let again = t.press(&c.officer, &format!("tip:ack:{id}")).await;
    assert!(texts(&again).contains("đã được tiếp nhận rồi"));

    // A note stays among officers; the result goes to the reporter.
    t.press(&c.officer, &format!("tip:note:{id}")).await;
    t.say(&c.officer, "Đã gọi công an phường").await;
    t.press(&c.officer, &format!("tip:res:{id}")).await;
    let before = t.fake.sent_to(c.worker.id).len();
    let closed = t
        .say(&c.officer, "Công an đã tìm lại được xe, trả cho chủ")
        .await;
    assert!(texts(&closed).contains("Đã đóng tin báo"));
    assert_eq!(
        tip_field(&t, id, "status").await.as_deref(),
        Some("resolved")
    );
    let told = texts(&t.fake.sent_to(c.worker.id).split_off(before));
    assert!(
        told.contains("đã được xử lý") && told.contains("tìm lại được xe"),
        "{told}"
    );
    let kinds: Vec<String> =
        sqlx::query("SELECT kind FROM tip_events WHERE tip_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(t.store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("kind"))
            .collect();
    assert_eq!(kinds, ["created", "acknowledged", "note", "resolved"]);

    // The reporter follows it by code: status and history, never the officers' notes.
    let follow = texts(
        &t.say(&c.worker, &format!("/theodoi {}", code.to_lowercase()))
            .await,
    );
    assert!(follow.contains("Đã xử lý xong"), "{follow}");
    assert!(!follow.contains("công an phường"), "{follow}");
    // Resolved tips leave the officer's list.
    let inbox = texts(&t.say(&c.officer, "/tinbao").await);
    assert!(inbox.contains("Không có tin báo"), "{inbox}");

    // Sensitive data is kept no longer than needed: 180 days after resolution the
    // words, place, photos and the link to the reporter are erased; the counts stay.
    let i18n = I18n::new();
    scheduler::tick(&t.store, &i18n, now_ms() + 179 * 86_400_000)
        .await
        .unwrap();
    assert!(tip_field(&t, id, "reporter_member_id").await.is_some());
    scheduler::tick(&t.store, &i18n, now_ms() + 181 * 86_400_000)
        .await
        .unwrap();
    assert_eq!(tip_field(&t, id, "reporter_member_id").await, None);
    assert_eq!(tip_field(&t, id, "description").await.as_deref(), Some(""));
    assert_eq!(tip_field(&t, id, "latitude").await, None);
    assert_eq!(t.count("SELECT COUNT(*) FROM tip_photos").await, 0);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM tip_events WHERE note IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        tip_field(&t, id, "status").await.as_deref(),
        Some("resolved")
    );
    t.finish().await;
}

async fn an_anonymous_tip_never_names_its_reporter(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 200).await;
    let kcx = TgUser::new(209, "Cán bộ KCX Tâm");
    t.join(&kcx, &t.invite("KCX-TT", Role::Officer, 1, None).await)
        .await;
    let secret = TgUser {
        id: 987_654_321,
        first_name: "Nguyễn Bí Mật".into(),
        username: Some("bimat_nguoibao".into()),
    };
    t.join(&secret, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    let watched_from = t.fake.sent().len();

    // All typed, as on a phone without buttons.
    t.say(&secret, "/baotin").await;
    assert!(texts(&t.say(&secret, "2").await).contains("Ma túy"));
    t.say(&secret, "Có người bán ma túy ở phòng 12 ban đêm")
        .await;
    t.say(&secret, "bỏ qua").await;
    t.say(&secret, "khoảng 23h tối qua").await;
    t.send(secret.id, secret.photo("ph-anon", None)).await;
    t.say(&secret, "xong").await;
    let done = t.say(&secret, "1").await;
    assert!(texts(&done).contains("ẩn danh"), "{}", texts(&done));
    let code = receipt_code(&done);
    let id = tip_id(&t, &code).await;
    assert_eq!(tip_field(&t, id, "anonymous").await.as_deref(), Some("1"));
    assert_eq!(
        tip_field(&t, id, "happened_text").await.as_deref(),
        Some("khoảng 23h tối qua")
    );

    // The whole life of the tip: read, note, passed up, taken, resolved.
    t.say(&c.officer, "/tinbao").await;
    let detail = t.say(&c.officer, "1").await;
    assert!(
        texts(&detail).contains("Người báo: ẩn danh"),
        "{}",
        texts(&detail)
    );
    assert!(has_button(&detail, &format!("tip:esc:{id}")));
    t.press(&c.officer, &format!("tip:note:{id}")).await;
    t.say(&c.officer, "Cần xác minh thêm").await;
    t.press(&c.officer, &format!("tip:esc:{id}")).await;
    let kcx_id = unit_id(&t, "KCX-TT").await;
    assert_eq!(
        tip_field(&t, id, "handling_unit_id").await,
        Some(kcx_id.to_string())
    );
    assert!(texts(&t.fake.sent_to(kcx.id)).contains("chuyển lên"));
    t.press(&kcx, &format!("tip:show:{id}")).await;
    t.press(&kcx, &format!("tip:ack:{id}")).await;
    t.press(&kcx, &format!("tip:res:{id}")).await;
    t.say(&kcx, "Đã phối hợp công an xử lý").await;
    assert_eq!(
        tip_field(&t, id, "status").await.as_deref(),
        Some("resolved")
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM tip_reads").await, 2);

    // Everything the bot sent to anyone but the reporter, during the tip's whole life.
    let others: Vec<Sent> = t.fake.sent()[watched_from..]
        .iter()
        .filter(|m| m.chat_id != secret.id)
        .cloned()
        .collect();
    assert!(others.len() >= 8, "{others:?}");
    for m in &others {
        let all = format!("{} {:?} {:?} {:?}", m.text, m.buttons, m.document, m.photo);
        for leak in ["987654321", "Bí Mật", "bimat_nguoibao", "Nguyễn"] {
            assert!(!all.contains(leak), "{leak} leaked in {all}");
        }
    }
    // The reporter heard of each step, through the bot.
    let mine = texts(&t.fake.sent_to(secret.id));
    for step in ["chuyển lên", "tiếp nhận", "đã được xử lý"] {
        assert!(mine.contains(step), "{step}: {mine}");
    }
    t.finish().await;
}

async fn tips_go_to_the_nearest_unit_that_handles_the_category(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 300).await;
    let kcx = TgUser::new(309, "Cán bộ KCX");
    t.join(&kcx, &t.invite("KCX-TT", Role::Officer, 1, None).await)
        .await;
    let ttq2 = TgUser::new(310, "Tổ trưởng TTQ-02 kiêm cán bộ");
    t.join(&ttq2, &t.invite("TTQ-02", Role::Officer, 1, None).await)
        .await;
    let abc = unit_id(&t, "CDCS-ABC").await;
    let kcx_unit = unit_id(&t, "KCX-TT").await;
    // CDCS-ABC leaves labour disputes to the zone union; fire goes up at once too.
    t.store
        .set_tip_route(abc, Category::Labour, false, false, None)
        .await
        .unwrap();
    t.store
        .set_tip_route(abc, Category::Fire, true, true, Some(30))
        .await
        .unwrap();

    let theft = report(&t, &c.worker, "theft", "Mất điện thoại trong phòng", false).await;
    let labour = report(&t, &c.leader, "labour", "Công ty nợ lương 2 tháng", false).await;
    let fire = report(&t, &c.worker, "fire", "Ổ điện bốc khói ở dãy B", true).await;
    let own = report(
        &t,
        &c.english,
        "stranger",
        "A stranger sleeps on the stairs",
        false,
    )
    .await;

    let handled = |code: String| {
        let t = &t;
        async move {
            let id = tip_id(t, &code).await;
            tip_field(t, id, "handling_unit_id").await.unwrap()
        }
    };
    assert_eq!(handled(theft.clone()).await, abc.to_string());
    assert_eq!(handled(labour.clone()).await, kcx_unit.to_string());
    assert_eq!(handled(fire.clone()).await, abc.to_string());
    let ttq2_unit = unit_id(&t, "TTQ-02").await;
    assert_eq!(handled(own.clone()).await, ttq2_unit.to_string());

    // The fire deadline is the unit's own 30 minutes, and the zone got a copy.
    let fire_id = tip_id(&t, &fire).await;
    let created: i64 = tip_field(&t, fire_id, "created_at")
        .await
        .unwrap()
        .parse()
        .unwrap();
    let due: i64 = tip_field(&t, fire_id, "escalate_at")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(due - created, 30 * 60 * 1000);
    let zone = texts(&t.fake.sent_to(kcx.id));
    assert!(
        zone.contains(&fire) && zone.contains("gửi kèm cấp trên"),
        "{zone}"
    );
    assert!(zone.contains(&labour), "{zone}");
    assert!(!zone.contains(&theft), "{zone}");
    let cdcs = texts(&t.fake.sent_to(c.officer.id));
    assert!(cdcs.contains(&theft) && cdcs.contains(&fire) && !cdcs.contains(&labour));
    assert!(!cdcs.contains(&own), "TTQ-02's own officer takes it");

    // Each officer's list holds what lies in their subtree, oldest first.
    let list = texts(&t.say(&c.officer, "/tinbao").await);
    assert!(list.contains("Tin báo chưa xử lý: 4"), "{list}");
    let (a, b) = (list.find(&theft).unwrap(), list.find(&fire).unwrap());
    assert!(a < b, "oldest first: {list}");
    let list2 = texts(&t.say(&ttq2, "/tinbao").await);
    assert!(list2.contains(&own) && !list2.contains(&theft), "{list2}");
    t.finish().await;
}

async fn overdue_tips_climb_the_tree_once_per_deadline(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |cfg| cfg.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 400).await;
    let kcx = TgUser::new(409, "Cán bộ KCX");
    t.join(&kcx, &t.invite("KCX-TT", Role::Officer, 1, None).await)
        .await;
    let hcm = TgUser::new(410, "Cán bộ LĐLĐ TP");
    t.join(&hcm, &t.invite("HCM", Role::Officer, 1, None).await)
        .await;
    t.digests_off().await;
    let code = report(&t, &c.worker, "fire", "Cháy nhỏ ở bếp chung", false).await;
    let id = tip_id(&t, &code).await;
    let i18n = I18n::new();
    let start = now_ms();
    let hour = 3_600_000;

    assert_eq!(
        scheduler::tick(&t.store, &i18n, start + hour)
            .await
            .unwrap(),
        0
    );
    let abc = unit_id(&t, "CDCS-ABC").await;
    assert_eq!(
        tip_field(&t, id, "handling_unit_id").await,
        Some(abc.to_string())
    );

    // Past 2 hours: one hop, once, whichever store instance ticks.
    let second = Store::open(&t.db.url).await.unwrap();
    let at = start + 2 * hour + 60_000;
    scheduler::tick(&t.store, &i18n, at).await.unwrap();
    scheduler::tick(&second, &i18n, at).await.unwrap();
    let kcx_unit = unit_id(&t, "KCX-TT").await;
    assert_eq!(
        tip_field(&t, id, "handling_unit_id").await,
        Some(kcx_unit.to_string())
    );
    // Queued at the injected time, so they wait in the outbox until then.
    let zone = queued_to(&t, kcx.id).await;
    assert_eq!(zone.matches("quá hạn").count(), 1, "{zone}");
    assert!(
        queued_to(&t, c.worker.id)
            .await
            .contains("chuyển lên <b>Công đoàn Khu chế xuất")
    );

    // The next deadline counts from the hop; then HCM; then nobody above: it stays.
    scheduler::tick(&t.store, &i18n, at + hour).await.unwrap();
    assert_eq!(
        tip_field(&t, id, "handling_unit_id").await,
        Some(kcx_unit.to_string())
    );
    scheduler::tick(&second, &i18n, at + 2 * hour + 60_000)
        .await
        .unwrap();
    let hcm_unit = unit_id(&t, "HCM").await;
    assert_eq!(
        tip_field(&t, id, "handling_unit_id").await,
        Some(hcm_unit.to_string())
    );
    scheduler::tick(&t.store, &i18n, at + 5 * hour)
        .await
        .unwrap();
    assert_eq!(
        tip_field(&t, id, "handling_unit_id").await,
        Some(hcm_unit.to_string())
    );
    assert_eq!(tip_field(&t, id, "escalate_at").await, None);
    let hops: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query(
        "SELECT kind, from_unit_id, to_unit_id FROM tip_events WHERE tip_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(t.store.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("kind"), r.get("from_unit_id"), r.get("to_unit_id")))
    .collect();
    assert_eq!(
        hops,
        [
            ("created".to_string(), None, Some(abc)),
            ("overdue".to_string(), Some(abc), Some(kcx_unit)),
            ("overdue".to_string(), Some(kcx_unit), Some(hcm_unit)),
            ("top".to_string(), Some(hcm_unit), None),
        ]
    );
    // Time catches up with the injected clock: the queued messages go out.
    sqlx::query("UPDATE outbox SET not_before = 0 WHERE status = 'pending'")
        .execute(t.store.pool())
        .await
        .unwrap();
    t.wait_outbox_empty().await;
    assert!(texts(&t.fake.sent_to(hcm.id)).contains("quá hạn"));
    // An acknowledged tip stops climbing.
    let code2 = report(&t, &c.worker, "theft", "Mất ví ở nhà xe", false).await;
    let id2 = tip_id(&t, &code2).await;
    t.press(&c.officer, &format!("tip:ack:{id2}")).await;
    scheduler::tick(&t.store, &i18n, now_ms() + 10 * hour)
        .await
        .unwrap();
    assert_eq!(
        tip_field(&t, id2, "handling_unit_id").await,
        Some(abc.to_string())
    );
    second.close().await;
    t.finish().await;
}

async fn outsiders_and_forged_buttons_change_nothing(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 500).await;
    let hn_officer = TgUser::new(509, "Cán bộ Hà Nội");
    t.join(&hn_officer, &t.invite("HN", Role::Officer, 1, None).await)
        .await;
    let code = report(&t, &c.worker, "fight", "Hai nhóm đánh nhau ở cổng", false).await;
    let id = tip_id(&t, &code).await;

    for data in [
        format!("tip:show:{id}"),
        format!("tip:ack:{id}"),
        format!("tip:esc:{id}"),
        format!("tip:res:{id}"),
    ] {
        let got = texts(&t.press(&hn_officer, &data).await);
        assert!(got.contains("Không tìm thấy tin báo"), "{data}: {got}");
    }
    let follow = texts(&t.say(&hn_officer, &format!("/theodoi {code}")).await);
    assert!(follow.contains("Không tìm thấy"), "{follow}");
    assert!(texts(&t.say(&hn_officer, "/tinbao").await).contains("Không có tin báo"));
    // A member of the same unit is no officer; another member can't follow it.
    assert!(texts(&t.press(&c.leader, &format!("tip:ack:{id}")).await).contains("Không tìm thấy"));
    assert!(texts(&t.say(&c.leader, "/tinbao").await).contains("cán bộ"));
    assert!(texts(&t.say(&c.direct, &format!("/theodoi {code}")).await).contains("Không tìm thấy"));
    // Forged and stale data.
    for data in [
        "tip:ack:abc".to_string(),
        "tip:ack:99999999".to_string(),
        "tip:cat:nuclear".to_string(),
        "tip:anon:yes".to_string(),
        format!("tip:zap:{id}"),
        "tip:".to_string(),
    ] {
        let got = texts(&t.press(&c.officer, &data).await);
        assert!(
            got.contains("Không tìm thấy") || got.contains("hết hiệu lực"),
            "{data}: {got}"
        );
    }
    assert!(texts(&t.say(&c.worker, "/theodoi TB-00000-00000").await).contains("không đúng"));
    assert_eq!(tip_field(&t, id, "status").await.as_deref(), Some("new"));
    assert_eq!(t.count("SELECT COUNT(*) FROM tip_reads").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM tip_events").await, 1);
    assert_eq!(t.count("SELECT COUNT(*) FROM tips").await, 1);
    t.finish().await;
}

async fn a_reporter_who_blocked_the_bot_does_not_stop_the_officer(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let c = cast(&t, 600).await;
    let code = report(&t, &c.worker, "vice", "Tụ tập cờ bạc ở phòng 3", false).await;
    let id = tip_id(&t, &code).await;
    t.fake.block(c.worker.id);
    let ack = texts(&t.press(&c.officer, &format!("tip:ack:{id}")).await);
    assert!(ack.contains("Đã tiếp nhận"), "{ack}");
    assert_eq!(
        tip_field(&t, id, "status").await.as_deref(),
        Some("acknowledged")
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND status = 'unreachable'",
            &c.worker.id.to_string()
        )
        .await,
        1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM members WHERE unreachable_at IS NOT NULL")
            .await,
        1
    );
    t.finish().await;
}

async fn a_flood_of_tips_is_refused(backend: Backend) {
    // Five whole reports tapped through in a few seconds is faster than any person types,
    // so the per-minute message limit is raised: what is under test is the 5-per-hour
    // tip limit kept in the database.
    let Some(t) = TestApp::spawn_with(backend, |c| c.inbound_per_min = 600).await else {
        return;
    };
    let c = cast(&t, 700).await;
    for i in 0..5 {
        report(
            &t,
            &c.worker,
            "other",
            &format!("Việc số {i} cần báo"),
            true,
        )
        .await;
    }
    let refused = texts(&t.say(&c.worker, "/baotin").await);
    assert!(refused.contains("5 tin báo trong một giờ"), "{refused}");
    assert_eq!(t.count("SELECT COUNT(*) FROM tips").await, 5);
    // Others are not held back by one person's limit.
    assert!(texts(&t.say(&c.leader, "/baotin").await).contains("Việc gì đã xảy ra"));
    t.finish().await;
}

async fn a_tip_reported_on_zalo_by_typing(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let officer = TgUser::new(801, "Cán bộ Thu");
    t.join(
        &officer,
        &t.invite("CDCS-ABC", Role::Officer, 1, None).await,
    )
    .await;
    let code = t.invite("TTQ-01", Role::Leader, 1, None).await;
    let lan = ZaloUser::new("8a1b2c3d4e5f60718293", "Lan Tổ trưởng");
    t.say(&lan, code.as_str()).await;
    t.say(&lan, "1").await;

    let menu = ztexts(&t.say(&lan, "/baotin").await);
    assert!(
        menu.contains("1. Trộm cắp") && menu.contains("8. Khác"),
        "{menu}"
    );
    assert!(ztexts(&t.say(&lan, "người lạ khả nghi").await).contains("Người lạ khả nghi"));
    t.say(&lan, "Hai người lạ hỏi thăm phòng trống lúc nửa đêm")
        .await;
    t.say(&lan, "Dãy trọ số 2").await;
    t.say(&lan, "2").await;
    t.send(&lan.id, lan.image("thêm ảnh")).await;
    let photos = ztexts(&t.say(&lan, "xong").await);
    assert!(photos.contains("1. Ẩn danh"), "{photos}");
    let done = ztexts(&t.say(&lan, "2").await);
    assert!(done.contains("Mã theo dõi: TB-"), "{done}");
    let start = done.find("TB-").unwrap();
    let receipt = done[start..start + 14].to_string();

    // The officer on Telegram gets it; this photo's URL is not on a Zalo host (see
    // tests/zalo.rs for one that is), so it is not fetched: it is counted.
    let alert = texts(&t.fake.sent_to(officer.id));
    assert!(
        alert.contains(&receipt) && alert.contains("Lan Tổ trưởng"),
        "{alert}"
    );
    assert!(alert.contains("Ảnh kèm: 1"), "{alert}");
    assert!(t.fake.sent_to(officer.id).iter().all(|m| m.photo.is_none()));
    let id = tip_id(&t, &receipt).await;
    t.press(&officer, &format!("tip:ack:{id}")).await;
    let follow = ztexts(&t.say(&lan, &format!("/theodoi {receipt}")).await);
    assert!(follow.contains("Đã tiếp nhận, đang xử lý"), "{follow}");
    assert!(!follow.contains("<b>"), "plain text on Zalo: {follow}");
    t.finish().await;
}
