//! «Đã nắm»: an officer asks members to confirm a directive or a broadcast; members
//! confirm by the button or by a typed "1" (on Zalo, where there are no buttons); the
//! roll-up in /tonghop and the digest agrees with a recount; forged confirmations are
//! refused and change nothing.

mod common;

use common::fake_zalo::{ZaloApp, ZaloUser, ztexts};
use common::{Backend, Sent, TestApp, TgUser, cast, texts};
use congdoan_bot::core::domain::{Lang, Role};
use congdoan_bot::core::notices::{Notice, Notices};
use congdoan_bot::core::time::now_ms;
use congdoan_bot::i18n::I18n;
use congdoan_bot::store::reports;
use sqlx::Row;

on_both_backends!(
    members_confirm_a_directive_by_button_and_by_a_typed_1_on_zalo,
    forged_and_repeated_confirmations_change_nothing,
    a_broadcast_asks_for_it_and_the_tree_above_sees_the_figures,
    those_who_have_not_confirmed_are_reminded_by_day_only,
);

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/directives/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn buttons(sent: &[Sent]) -> Vec<String> {
    sent.iter()
        .flat_map(|m| m.buttons.iter().map(|(_, d)| d.clone()))
        .collect()
}

fn labels(sent: &[Sent]) -> String {
    sent.iter()
        .flat_map(|m| m.buttons.iter().map(|(l, _)| l.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The officer pastes a directive, ticks «Đã nắm» and sends it to the whole subtree;
/// returns the directive's id.
async fn publish_asking(t: &TestApp, officer: &TgUser) -> i64 {
    publish_asking_with(t, officer, 0).await
}

/// [`publish_asking`], with the reminder option pressed `remind` times first.
async fn publish_asking_with(t: &TestApp, officer: &TgUser, remind: usize) -> i64 {
    let review = t
        .say(
            officer,
            &fixture("tld-phong-trao-bao-ve-an-ninh-to-quoc.txt"),
        )
        .await;
    assert_eq!(
        buttons(&review),
        ["dir:all", "dir:pick", "dir:edit", "dir:cancel", "dir:ack"],
        "the option comes last, off"
    );
    assert!(labels(&review).contains("☐ Yêu cầu xác nhận «Đã nắm»"));
    let ticked = t.press(officer, "dir:ack").await;
    assert!(
        labels(&ticked).contains("☑ Yêu cầu xác nhận «Đã nắm»"),
        "{ticked:?}"
    );
    // Typed, as on Zalo: the fifth option unticks it, and again ticks it.
    let unticked = t.say(officer, "5").await;
    assert!(labels(&unticked).contains("☐"), "{unticked:?}");
    let ticked = t.say(officer, "5").await;
    // Ticked, the reminder schedule shows up after it: never, daily, every 3 days.
    assert!(buttons(&ticked).ends_with(&["dir:ack".into(), "dir:ackrem".into()]));
    assert!(labels(&ticked).contains("Nhắc người chưa nắm: không nhắc"));
    for _ in 0..remind {
        t.press(officer, "dir:ackrem").await;
    }
    let sent = texts(&t.press(officer, "dir:all").await);
    assert!(sent.contains("Đã gửi chỉ thị tới"), "{sent}");
    assert!(sent.contains("xác nhận «Đã nắm»"), "{sent}");
    t.count("SELECT MAX(id) FROM directives").await
}

/// Members asked and members who confirmed, in the subtree of unit `code`, recounted
/// row by row.
async fn recount(t: &TestApp, kind: &str, id: i64, code: &str) -> (i64, i64) {
    let r = sqlx::query(
        "SELECT COUNT(*) AS asked,
                CAST(SUM(CASE WHEN a.acked_at IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS acked
         FROM acknowledgements a, members m, units u, units root
         WHERE a.member_id = m.id AND m.unit_id = u.id AND root.code = $1
           AND a.kind = $2 AND a.object_id = $3
           AND substr(u.path, 1, length(root.path)) = root.path",
    )
    .bind(code.to_string())
    .bind(kind.to_string())
    .bind(id)
    .fetch_one(t.store.pool())
    .await
    .expect("recount");
    let asked: i64 = r.try_get("asked").expect("asked");
    let acked: Option<i64> = r.try_get("acked").expect("acked");
    (acked.unwrap_or(0), asked)
}

/// The line `/tonghop` shows for unit `name`, from the recount.
async fn expected_line(t: &TestApp, kind: &str, id: i64, code: &str, name: &str) -> String {
    let (acked, asked) = recount(t, kind, id, code).await;
    // Rounded to the nearest: 2 of 3 is 67%.
    let pct = (acked * 200 + asked) / (2 * asked);
    format!("{name}: {acked}/{asked} ({pct}%)")
}

const ABC: &str = "Công đoàn cơ sở Công ty May &lt;ABC&gt; &amp; Co";
const TTQ1: &str = "Tổ tự quản nhà trọ số 1";
const TTQ2: &str = "Tổ tự quản nhà trọ số 2";

async fn members_confirm_a_directive_by_button_and_by_a_typed_1_on_zalo(backend: Backend) {
    let Some(t) = ZaloApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 40_000).await;
    // A worker of TTQ-02 on Zalo.
    let mai = ZaloUser::new("z4lo-mai", "Công nhân Mai");
    let code = t.invite("TTQ-02", Role::Member, 1, None).await;
    t.say(&mai, code.as_str()).await;
    assert!(ztexts(&t.say(&mai, "1").await).contains("Bạn đã tham gia"));

    let id = publish_asking(&t.t, &c.officer).await;
    t.wait_outbox_empty().await;
    t.t.wait_outbox_empty().await;

    // Everyone below the officer was asked, in the same statement's choice of people:
    // worker, leader, direct, english (Telegram) and Mai (Zalo). Not the author, not
    // the other branch.
    assert_eq!(recount(&t, "directive", id, "CDCS-ABC").await, (0, 5));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM pending_prompts WHERE flow = 'ack_directive'")
            .await,
        5
    );
    let data = format!("ack:d:{id}");
    let got = t.fake.sent_to(c.worker.id);
    assert!(buttons(&got).contains(&data), "{got:?}");
    assert!(labels(&got).contains("✅ Đã nắm"), "{got:?}");
    assert!(texts(&got).contains("trả lời 1 để xác nhận đã nắm"));
    assert!(texts(&t.fake.sent_to(c.english.id)).contains("reply 1 to confirm"));
    assert!(!buttons(&t.fake.sent_to(c.outsider.id)).contains(&data));
    // On Zalo: the words say what to type.
    let z = ztexts(&t.zalo.sent_to(&mai.id));
    assert!(z.contains("Chỉ thị mới từ"), "{z}");
    assert!(z.contains("trả lời 1 để xác nhận đã nắm"), "{z}");

    // By the button: recorded once; pressed again, it says so and changes nothing.
    let done = texts(&t.press(&c.worker, &data).await);
    assert!(done.contains("Đã ghi nhận bạn đã nắm"), "{done}");
    let again = texts(&t.press(&c.worker, &data).await);
    assert!(again.contains("Bạn đã xác nhận nắm"), "{again}");
    // By a typed 1 on Zalo: the newest question put to Mai is this directive.
    let typed = ztexts(&t.say(&mai, "1").await);
    assert!(typed.contains("Đã ghi nhận bạn đã nắm"), "{typed}");
    // Answered: a second 1 is not taken for anything.
    let typed_again = ztexts(&t.say(&mai, "1").await);
    assert!(!typed_again.contains("Đã ghi nhận"), "{typed_again}");
    // In English, typed on Telegram.
    let en = texts(&t.t.say(&c.english, "1").await);
    assert!(en.contains("Recorded: you have understood"), "{en}");
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM acknowledgements WHERE acked_at IS NOT NULL AND channel = 'zalo'"
        )
        .await,
        1
    );
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM acknowledgements WHERE acked_at IS NOT NULL AND channel = 'telegram'"
        )
        .await,
        2
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM pending_prompts WHERE flow = 'ack_directive'")
            .await,
        2,
        "the leader's and the direct member's questions are still open"
    );

    // Mai sees what she confirmed among her data.
    let mine = ztexts(&t.say(&mai, "/dulieu").await);
    assert!(
        mine.contains("Nội dung bạn đã xác nhận «Đã nắm»") && mine.contains("qua zalo"),
        "{mine}"
    );

    // The officer's roll-up agrees with a recount, unit by unit.
    let report = texts(&t.t.say(&c.officer, "/tonghop").await);
    assert!(report.contains("Đã nắm — Chỉ thị"), "{report}");
    for (code, name) in [("CDCS-ABC", ABC), ("TTQ-01", TTQ1), ("TTQ-02", TTQ2)] {
        let line = expected_line(&t, "directive", id, code, name).await;
        assert!(report.contains(&line), "{line} in {report}");
    }
    assert_eq!(recount(&t, "directive", id, "CDCS-ABC").await, (3, 5));
    assert_eq!(recount(&t, "directive", id, "TTQ-01").await, (1, 2));
    assert_eq!(recount(&t, "directive", id, "TTQ-02").await, (2, 2));
    t.finish().await;
}

async fn forged_and_repeated_confirmations_change_nothing(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 41_000).await;
    let id = publish_asking(&t, &c.officer).await;
    t.wait_outbox_empty().await;
    let asked = t.count("SELECT COUNT(*) FROM acknowledgements").await;
    assert_eq!(asked, 4);
    for (who, data) in [
        // Not put to them (another branch), unknown ids, the wrong kind, junk.
        (&c.outsider, format!("ack:d:{id}")),
        (&c.officer, format!("ack:d:{id}")),
        (&c.worker, format!("ack:d:{}", id + 100)),
        (&c.worker, format!("ack:b:{id}")),
        (&c.worker, "ack:d:abc".to_string()),
        (&c.worker, format!("ack:d:-{id}")),
        (&c.worker, "ack:x:1".to_string()),
    ] {
        let r = texts(&t.press(who, &data).await);
        assert!(r.contains("Không có nội dung nào như vậy"), "{data}: {r}");
    }
    // Someone who was not asked types 1: nothing of this is theirs.
    let outsider = texts(&t.say(&c.outsider, "1").await);
    assert!(!outsider.contains("Đã ghi nhận"), "{outsider}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM acknowledgements WHERE acked_at IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM acknowledgements").await,
        asked
    );

    // The button pressed in the middle of a tip report does what it says, and the
    // report under way stays where it was.
    let tip = t.say(&c.leader, "/baotin").await;
    let ok = texts(&t.press(&c.leader, &format!("ack:d:{id}")).await);
    assert!(ok.contains("Đã ghi nhận bạn đã nắm"), "{ok}");
    let step: String = sqlx::query("SELECT state FROM conversations WHERE chat_id = $1")
        .bind(c.leader.id.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("conversation")
        .get("state");
    assert!(step.contains("tip"), "{step} after {tip:?}");
    t.say(&c.leader, "/huy").await;

    // The other branch's officer sees nothing of it; a member can't ask.
    let hn = TgUser::new(41_099, "Cán bộ HN");
    t.join(&hn, &t.invite("HN", Role::Officer, 1, None).await)
        .await;
    assert!(texts(&t.say(&hn, "/tonghop").await).contains("Chưa có cam kết"));
    assert!(texts(&t.say(&c.worker, "/tonghop").await).contains("chỉ dành cho cán bộ"));

    // A directive that did not ask: no button, nobody asked.
    t.say(&c.officer, "/huy").await;
    let review = t
        .say(&c.officer, &fixture("caobang-bien-gioi-2016.txt"))
        .await;
    assert!(
        buttons(&review).contains(&"dir:all".to_string()),
        "{review:?}"
    );
    t.press(&c.officer, "dir:all").await;
    t.wait_outbox_empty().await;
    let plain = t.count("SELECT MAX(id) FROM directives").await;
    assert_ne!(plain, id);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM directives WHERE ack_required = 1")
            .await,
        1
    );
    assert!(
        !buttons(&t.fake.sent_to(c.direct.id)).contains(&format!("ack:d:{plain}")),
        "no button"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM acknowledgements").await,
        asked
    );

    // A member who deletes their data takes their confirmation with them.
    t.say(&c.leader, "/xoadulieu").await;
    t.press(&c.leader, "delete:yes").await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM acknowledgements").await,
        asked - 1
    );
    t.finish().await;
}

async fn a_broadcast_asks_for_it_and_the_tree_above_sees_the_figures(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| {
        c.run_scheduler = false;
        c.listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    else {
        return;
    };
    let c = cast(&t, 42_000).await;
    let province = TgUser::new(42_100, "Cán bộ Tỉnh");
    t.join(&province, &t.invite("HCM", Role::Officer, 1, None).await)
        .await;

    t.say(&c.officer, "/guitin").await;
    t.say(
        &c.officer,
        "Họp tổ 19h tối nay tại nhà văn hóa. Mang theo thẻ đoàn viên.",
    )
    .await;
    let preview = t.press(&c.officer, "bc:to:all").await;
    assert_eq!(
        buttons(&preview),
        ["bc:send", "bc:later", "bc:cancel", "bc:ack"],
        "{preview:?}"
    );
    // Typed: 4 ticks it; the preview says so.
    let ticked = t.say(&c.officer, "4").await;
    assert!(labels(&ticked).contains("☑"), "{ticked:?}");
    let started = texts(&t.say(&c.officer, "1").await);
    assert!(started.contains("xác nhận «Đã nắm»"), "{started}");
    t.wait_outbox_empty().await;
    let id = t.count("SELECT MAX(id) FROM broadcasts").await;
    let data = format!("ack:b:{id}");
    for u in [&c.worker, &c.leader, &c.direct, &c.english] {
        assert!(buttons(&t.fake.sent_to(u.id)).contains(&data), "{}", u.id);
    }
    assert_eq!(recount(&t, "broadcast", id, "CDCS-ABC").await, (0, 4));

    let done = texts(&t.press(&c.leader, &data).await);
    assert!(
        done.contains("Đã ghi nhận bạn đã nắm «Họp tổ 19h"),
        "{done}"
    );
    let typed = texts(&t.say(&c.worker, "Đã nắm").await);
    assert!(typed.contains("Đã ghi nhận bạn đã nắm"), "{typed}");

    // The province officer, above the author, sees it rolled up over whole subtrees.
    let report = texts(&t.say(&province, "/tonghop").await);
    assert!(report.contains("Đã nắm — Tin «Họp tổ 19h"), "{report}");
    for (code, name) in [
        ("HCM", "Liên đoàn Lao động TP. Hồ Chí Minh"),
        ("KCX-TT", "Công đoàn Khu chế xuất Tân Thuận"),
    ] {
        let line = expected_line(&t, "broadcast", id, code, name).await;
        assert!(report.contains(&line), "{line} in {report}");
    }
    assert_eq!(recount(&t, "broadcast", id, "HCM").await, (2, 4));
    // The author sees the units below them.
    let own = texts(&t.say(&c.officer, "/tonghop").await);
    for (code, name) in [("CDCS-ABC", ABC), ("TTQ-01", TTQ1), ("TTQ-02", TTQ2)] {
        let line = expected_line(&t, "broadcast", id, code, name).await;
        assert!(own.contains(&line), "{line} in {own}");
    }

    // The digest carries the same figures.
    let unit: (i64, String) = {
        let r = sqlx::query("SELECT id, path FROM units WHERE code = 'HCM'")
            .fetch_one(t.store.pool())
            .await
            .expect("unit");
        (r.get("id"), r.get("path"))
    };
    let mut tx = t.store.begin().await.expect("tx");
    let facts = reports::digest_facts(&mut tx, unit.0, &unit.1, 0, now_ms())
        .await
        .expect("digest facts");
    tx.commit().await.expect("commit");
    assert_eq!(facts.acknowledgements.len(), 1, "{facts:?}");
    let (title, acked, asked) = &facts.acknowledgements[0];
    assert!(title.starts_with("Họp tổ 19h"), "{title}");
    assert_eq!((*acked, *asked), (2, 4));
    let i18n = I18n::new();
    let digest = i18n.text(
        Lang::Vi,
        &Notice::Digest {
            unit: "HCM",
            every: Default::default(),
            facts: &facts,
        },
    );
    assert!(digest.contains("Xác nhận «Đã nắm»"), "{digest}");
    assert!(digest.contains(": 2/4 (50%)"), "{digest}");

    // And so does the console, for the author's unit and each child unit.
    let html = console_home(&t, &c.officer).await;
    assert!(html.contains("Xác nhận «Đã nắm»"), "{html}");
    assert!(html.contains("<b id=\"ack-0\">2/4 (50%)</b>"), "{html}");
    for code in ["TTQ-01", "TTQ-02"] {
        let (acked, asked) = recount(&t, "broadcast", id, code).await;
        let pct = (acked * 200 + asked) / (2 * asked);
        assert_eq!(
            ack_cell(&html, unit_id(&t, code).await),
            format!("{acked}/{asked} ({pct}%)"),
            "{code}"
        );
    }
    t.finish().await;
}

async fn unit_id(t: &TestApp, code: &str) -> i64 {
    sqlx::query("SELECT id FROM units WHERE code = $1")
        .bind(code.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("unit")
        .get("id")
}

/// `/web` in chat, the link opened and «Đăng nhập» pressed: the console's home page.
async fn console_home(t: &TestApp, who: &TgUser) -> String {
    let all = texts(&t.say(who, "/web").await);
    let start = all.find("http://").expect("a link in the reply");
    let link: String = all[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '<')
        .collect();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let page = client.get(&link).send().await.expect("get link");
    let html = page.text().await.expect("html");
    let key = "name=\"t\" value=\"";
    let at = html.find(key).expect("token field") + key.len();
    let token: String = html[at..].chars().take_while(|c| *c != '"').collect();
    let addr = t.app.as_ref().and_then(|a| a.http_addr).expect("listening");
    client
        .post(format!("http://{addr}/login"))
        .form(&[("t", token.as_str())])
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("home")
}

/// The «Đã nắm» cell of a unit's row on the console's home page.
fn ack_cell(html: &str, unit: i64) -> String {
    let row = &html[html.find(&format!("data-unit=\"{unit}\"")).expect("row")..];
    let row = &row[..row.find("</tr>").expect("row end")];
    let at = row.find("class=\"n ack\"").expect("ack cell");
    let rest = &row[at..];
    let open = rest.find('>').expect(">") + 1;
    rest[open..].chars().take_while(|c| *c != '<').collect()
}

async fn those_who_have_not_confirmed_are_reminded_by_day_only(backend: Backend) {
    use chrono::Duration;
    use congdoan_bot::core::calendar::{local_date, local_time_ms};
    use congdoan_bot::scheduler;

    let Some(t) = TestApp::spawn_with(backend, |c| c.run_scheduler = false).await else {
        return;
    };
    let c = cast(&t, 43_000).await;
    // Once: daily reminders.
    let id = publish_asking_with(&t, &c.officer, 1).await;
    t.wait_outbox_empty().await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM directives WHERE ack_remind_days = 1")
            .await,
        1
    );
    let data = format!("ack:d:{id}");
    t.press(&c.worker, &data).await;
    t.digests_off().await;
    let i18n = I18n::new();
    let today = local_date(now_ms());
    let at = |days: i64, hour: u32| local_time_ms(today + Duration::days(days), hour).expect("t");
    let tick = |ms: i64| {
        let store = t.store.clone();
        let i18n = &i18n;
        async move { scheduler::tick(&store, i18n, ms).await.expect("tick") }
    };
    // Not confirmed: leader, direct, english. Not the worker who did, not the author,
    // not the other branch.
    assert_eq!(tick(at(0, 15)).await, 0, "not on the day it went out");
    assert_eq!(tick(at(1, 7)).await, 0, "not before 8:00");
    assert_eq!(tick(at(1, 9)).await, 3);
    assert_eq!(tick(at(1, 15)).await, 0, "once a day");
    assert_eq!(tick(at(1, 21)).await, 0, "never at night");
    t.wait_outbox_empty().await;
    let got = t.fake.sent_to(c.direct.id);
    assert!(texts(&got).contains("Bạn chưa xác nhận đã nắm"), "{got:?}");
    assert!(buttons(&got).iter().filter(|d| **d == data).count() >= 2);
    assert!(texts(&t.fake.sent_to(c.english.id)).contains("You have not yet confirmed"));
    assert!(!texts(&t.fake.sent_to(c.worker.id)).contains("Bạn chưa xác nhận"));
    assert!(!texts(&t.fake.sent_to(c.outsider.id)).contains("Bạn chưa xác nhận"));
    // A typed 1 after the reminder confirms it: only the other two are reminded.
    let typed = texts(&t.say(&c.direct, "1").await);
    assert!(typed.contains("Đã ghi nhận bạn đã nắm"), "{typed}");
    assert_eq!(tick(at(2, 10)).await, 2);
    // After the deadline (a week after it went out): no more.
    assert_eq!(tick(at(8, 10)).await, 0, "after the deadline");
    assert_eq!(t.count("SELECT COUNT(*) FROM ack_reminders").await, 2);
    t.finish().await;
}
