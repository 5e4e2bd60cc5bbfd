//! Onboarding stories, played as users through the fake Bot API.

mod common;

use common::{Backend, TestApp, TgUser, texts};
use congdoan_bot::core::domain::Role;
use congdoan_bot::core::time::now_ms;

on_both_backends!(
    joins_with_a_good_code,
    typed_answers_and_bare_codes_work,
    used_up_expired_and_forged_codes_are_refused,
    refusing_consent_stores_nothing,
    deleting_my_data,
    commands_follow_the_role,
    odd_input_changes_nothing,
    switching_language,
    a_flood_from_one_person_is_skipped_with_one_warning,
);

async fn joins_with_a_good_code(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("CDCS-ABC", Role::Leader, 3, None).await;
    let lan = TgUser::new(1001, "Lan");

    let welcome = t.say(&lan, &format!("/start {}", code.as_str())).await;
    assert_eq!(welcome.len(), 1, "{welcome:?}");
    let w = &welcome[0];
    // The unit name is escaped before it enters HTML.
    assert!(
        w.text.contains("Công ty May &lt;ABC&gt; &amp; Co"),
        "{}",
        w.text
    );
    assert!(w.text.contains("tổ trưởng"));
    assert!(w.text.contains("Bot sẽ lưu"), "privacy notice: {}", w.text);
    assert_eq!(
        w.buttons,
        vec![
            ("1. Đồng ý".to_string(), "consent:yes".to_string()),
            ("2. Không đồng ý".to_string(), "consent:no".to_string())
        ]
    );
    // Nothing about the person is stored before consent.
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 0);

    let joined = t.press(&lan, "consent:yes").await;
    assert!(
        texts(&joined)
            .contains("Bạn đã tham gia <b>Công đoàn cơ sở Công ty May &lt;ABC&gt; &amp; Co</b>")
    );
    assert_eq!(
        t.fake.answered_callbacks().len(),
        1,
        "the button spinner is stopped"
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id
             WHERE u.code = $1 AND m.role = 'leader' AND m.display_name = 'Lan' AND m.username = 'user1001'",
            "CDCS-ABC"
        )
        .await,
        1
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM identities WHERE channel = 'telegram' AND external_id = $1",
            "1001"
        )
        .await,
        1
    );
    assert_eq!(
        t.count_for("SELECT uses FROM invites WHERE code = $1", code.as_str())
            .await,
        1
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM conversations").await, 0);
    // Processed messages are not kept in the inbox.
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE payload IS NOT NULL")
            .await,
        0
    );

    let help = texts(&t.say(&lan, "/help").await);
    assert!(
        help.contains("/camket") && help.contains("/baotin"),
        "{help}"
    );
    assert!(
        !help.contains("/guitin"),
        "a leader is not an officer: {help}"
    );

    let data = texts(&t.say(&lan, "/dulieu").await);
    assert!(
        data.contains("Tên: Lan") && data.contains("@user1001") && data.contains("telegram 1001"),
        "{data}"
    );

    let again = texts(&t.say(&lan, &format!("/start {}", code.as_str())).await);
    assert!(again.contains("Bạn đã là thành viên"), "{again}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 1);
    assert_eq!(
        t.count_for("SELECT uses FROM invites WHERE code = $1", code.as_str())
            .await,
        1
    );
    t.finish().await;
}

async fn typed_answers_and_bare_codes_work(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let minh = TgUser::new(2001, "Minh");
    // As on Zalo: the bare code, grouped and in lower case, then "1" typed.
    let welcome = texts(&t.say(&minh, &code.grouped().to_lowercase()).await);
    assert!(welcome.contains("Tổ tự quản nhà trọ số 1"), "{welcome}");
    let unclear = texts(&t.say(&minh, "có lẽ").await);
    assert!(unclear.contains("Bạn hãy chọn"), "{unclear}");
    assert!(
        unclear.contains("Bot sẽ lưu"),
        "the question is asked again: {unclear}"
    );
    let joined = texts(&t.say(&minh, "1").await);
    assert!(joined.contains("Bạn đã tham gia"), "{joined}");

    let hung = TgUser::new(2002, "Hùng");
    t.say(&hung, &format!("/start {}", code.as_str())).await;
    let joined = texts(&t.say(&hung, "Đồng ý").await);
    assert!(joined.contains("Bạn đã tham gia"), "{joined}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 2);
    t.finish().await;
}

async fn used_up_expired_and_forged_codes_are_refused(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let once = t.invite("TTQ-02", Role::Member, 1, None).await;
    let a = TgUser::new(3001, "An");
    let b = TgUser::new(3002, "Bình");
    t.join(&a, &once).await;
    let used = texts(&t.say(&b, &format!("/start {}", once.as_str())).await);
    assert!(used.contains("đã dùng hết lượt"), "{used}");

    // Both opened the link before either agreed: the second agreement finds it used up.
    let twice = t.invite("TTQ-02", Role::Member, 1, None).await;
    let c = TgUser::new(3003, "Cường");
    let d = TgUser::new(3004, "Dũng");
    t.say(&c, &format!("/start {}", twice.as_str())).await;
    t.say(&d, &format!("/start {}", twice.as_str())).await;
    t.press(&c, "consent:yes").await;
    let late = texts(&t.press(&d, "consent:yes").await);
    assert!(late.contains("đã dùng hết lượt"), "{late}");

    let old = t
        .invite("TTQ-02", Role::Member, 10, Some(now_ms() - 1000))
        .await;
    let expired = texts(&t.say(&b, &format!("/start {}", old.as_str())).await);
    assert!(expired.contains("đã hết hạn"), "{expired}");

    for forged in [
        "/start AAAAAAAAAAAA",
        "/start ../../etc/passwd",
        "/start 'OR 1=1--",
        "/start ẞẞẞ",
    ] {
        let msg = texts(&t.say(&b, forged).await);
        assert!(msg.contains("Mã mời không đúng"), "{forged}: {msg}");
    }
    // A fifth wrong code locks guessing for a while, even with a good code.
    t.say(&b, "/start BBBBBBBBBBBB").await;
    let good = t.invite("TTQ-02", Role::Member, 10, None).await;
    let locked = texts(&t.say(&b, &format!("/start {}", good.as_str())).await);
    assert!(locked.contains("nhập sai mã nhiều lần"), "{locked}");

    assert_eq!(
        t.count("SELECT COUNT(*) FROM members").await,
        2,
        "only An and Cường joined"
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM identities WHERE external_id = $1",
            "3002"
        )
        .await,
        0
    );
    t.finish().await;
}

async fn refusing_consent_stores_nothing(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let u = TgUser::new(4001, "Quyên");
    t.say(&u, &format!("/start {}", code.as_str())).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM conversations").await,
        1,
        "only the pending question"
    );
    let refused = texts(&t.press(&u, "consent:no").await);
    assert!(refused.contains("Bạn đã không đồng ý"), "{refused}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM identities").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM conversations").await, 0);
    assert_eq!(
        t.count_for("SELECT uses FROM invites WHERE code = $1", code.as_str())
            .await,
        0
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE payload IS NOT NULL")
            .await,
        0
    );
    // The old button does nothing now; asking again works.
    let stale = texts(&t.press(&u, "consent:yes").await);
    assert!(stale.contains("đã hết hiệu lực"), "{stale}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 0);
    t.join(&u, &code).await;
    t.finish().await;
}

async fn deleting_my_data(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let u = TgUser::new(5001, "Thảo");
    t.join(&u, &code).await;

    let ask = t.say(&u, "/xoadulieu").await;
    assert!(ask[0].text.contains("Xoá toàn bộ dữ liệu"), "{ask:?}");
    assert_eq!(ask[0].buttons.len(), 2);
    let keep = texts(&t.press(&u, "delete:no").await);
    assert!(keep.contains("vẫn giữ nguyên"), "{keep}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 1);

    t.say(&u, "/xoadulieu").await;
    let gone = texts(&t.press(&u, "delete:yes").await);
    assert!(gone.contains("Đã xoá toàn bộ dữ liệu"), "{gone}");
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM identities").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM conversations").await, 0);
    // Messages already delivered to them (which held their name) are gone too.
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = $1 AND payload LIKE '%Thảo%'",
            "5001"
        )
        .await,
        0
    );
    let none = texts(&t.say(&u, "/dulieu").await);
    assert!(none.contains("không lưu dữ liệu nào"), "{none}");
    let help = texts(&t.say(&u, "/camket").await);
    assert!(help.contains("cần tham gia đơn vị trước"), "{help}");
    t.finish().await;
}

async fn commands_follow_the_role(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let guest = TgUser::new(6001, "Khách");
    let member = TgUser::new(6002, "Đoàn viên");
    let officer = TgUser::new(6003, "Cán bộ");
    t.join(&member, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    t.join(
        &officer,
        &t.invite("CDCS-ABC", Role::Officer, 1, None).await,
    )
    .await;

    let g = texts(&t.say(&guest, "/chithi").await);
    assert!(g.contains("cần tham gia đơn vị trước"), "{g}");
    let g = texts(&t.say(&guest, "/guitin").await);
    assert!(g.contains("cần tham gia đơn vị trước"), "{g}");
    let m = texts(&t.say(&member, "/guitin").await);
    assert!(m.contains("chỉ dành cho cán bộ"), "{m}");
    let m = texts(&t.say(&member, "/tonghop@congdoan_test_bot").await);
    assert!(m.contains("chỉ dành cho cán bộ"), "{m}");
    let o = texts(&t.say(&officer, "/help").await);
    assert!(
        o.contains("/guitin") && o.contains("/tonghop") && o.contains("/tinbao"),
        "{o}"
    );
    let o = texts(&t.say(&officer, "/nonsense").await);
    assert!(o.contains("Không có lệnh này"), "{o}");
    let g = texts(&t.say(&guest, "/help").await);
    assert!(g.contains("/start") && !g.contains("/camket"), "{g}");
    t.finish().await;
}

async fn odd_input_changes_nothing(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let u = TgUser::new(7001, "Vinh");
    t.join(&u, &code).await;
    let members_before = t.count("SELECT COUNT(*) FROM members").await;

    let r = texts(&t.say(&u, "xin chào bot ơi").await);
    assert!(r.contains("Bot chưa hiểu"), "{r}");
    let r = texts(&t.send(u.id, u.sticker()).await);
    assert!(r.contains("chỉ đọc được tin nhắn chữ"), "{r}");
    let r = texts(&t.send(u.id, u.edited("/xoadulieu")).await);
    assert!(r.contains("tin nhắn đã sửa"), "{r}");
    let r = texts(&t.press(&u, "delete:yes").await);
    assert!(
        r.contains("đã hết hiệu lực"),
        "a forged delete does nothing: {r}"
    );
    let long_junk = "x".repeat(64);
    let r = texts(&t.press(&u, &long_junk).await);
    assert!(r.contains("đã hết hiệu lực"), "{r}");
    let r = texts(&t.say(&u, &"ệ".repeat(5000)).await);
    assert!(r.contains("Bot chưa hiểu"), "{r}");
    let r = texts(&t.say(&u, "\u{0}\u{202e}/start").await);
    assert!(r.contains("Bot chưa hiểu"), "{r}");

    // Groups: a command gets a pointer to the private chat, chatter gets nothing.
    let group = -100_123;
    let r = t.send(group, u.in_group(group, "/start")).await;
    assert!(texts(&r).contains("chỉ làm việc trong chat riêng"), "{r:?}");
    let r = t.send(group, u.in_group(group, "mọi người ơi")).await;
    assert!(r.is_empty(), "{r:?}");

    assert_eq!(
        t.count("SELECT COUNT(*) FROM members").await,
        members_before
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM conversations").await, 0);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE status <> 'done'")
            .await,
        0
    );
    t.finish().await;
}

async fn switching_language(backend: Backend) {
    let Some(t) = TestApp::spawn(backend).await else {
        return;
    };
    let guest = TgUser::new(8001, "Guest");
    let ask = t.say(&guest, "/ngonngu").await;
    assert_eq!(
        ask[0]
            .buttons
            .iter()
            .map(|(_, d)| d.as_str())
            .collect::<Vec<_>>(),
        ["lang:vi", "lang:en"]
    );
    let set = texts(&t.press(&guest, "lang:en").await);
    assert!(set.contains("Switched to English"), "{set}");
    let code = t.invite("TTQ-01", Role::Member, 5, None).await;
    let welcome = texts(&t.say(&guest, &format!("/start {}", code.as_str())).await);
    assert!(welcome.contains("You are invited to join"), "{welcome}");
    let joined = texts(&t.say(&guest, "yes").await);
    assert!(joined.contains("You have joined"), "{joined}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM members WHERE lang = 'en'")
            .await,
        1
    );

    t.say(&guest, "/ngonngu").await;
    let back = texts(&t.say(&guest, "1").await);
    assert!(back.contains("Đã chuyển sang tiếng Việt"), "{back}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM members WHERE lang = 'vi'")
            .await,
        1
    );
    t.finish().await;
}

/// Someone who sends far more than a person types gets their excess skipped (marked in
/// the inbox, nothing else done) and one warning; everyone else is served as usual.
async fn a_flood_from_one_person_is_skipped_with_one_warning(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.inbound_per_min = 5).await else {
        return;
    };
    let spammer = TgUser::new(7001, "Spam");
    let calm = TgUser::new(7002, "Bình");
    let ids: Vec<i64> = (0..12)
        .map(|_| t.fake.push(spammer.text("/help")))
        .collect();
    for id in &ids {
        t.wait_processed(*id).await;
    }
    let id = t.fake.push(calm.text("/help"));
    t.wait_processed(id).await;
    t.wait_outbox_empty().await;

    let got = t.fake.sent_to(spammer.id);
    let helps = got
        .iter()
        .filter(|m| m.text.contains("Các lệnh bạn dùng được"))
        .count();
    let warnings = got
        .iter()
        .filter(|m| m.text.contains("Bạn gửi nhanh quá"))
        .count();
    assert_eq!((helps, warnings, got.len()), (5, 1, 6), "{got:?}");
    assert!(texts(&t.fake.sent_to(calm.id)).contains("Các lệnh bạn dùng được"));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE status = 'dropped'")
            .await,
        7
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM inbox WHERE status = 'done'")
            .await,
        6
    );
    t.finish().await;
}
