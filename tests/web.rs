//! The officers' web console over HTTP (reqwest with a cookie store), on both
//! backends: the login link comes from the fake Telegram bot after `/web`; what a page
//! shows is checked against the database; every refusal is checked to change nothing.

mod common;

use common::{Backend, Cast, Sent, TestApp, TgUser, cast, texts};
use congdoan_bot::core::domain::UnitCode;
use reqwest::StatusCode;
use sqlx::Row;

on_both_backends!(
    an_officer_signs_in_and_reads_the_roll_up,
    an_officer_takes_resolves_and_notes_a_tip,
    another_branch_is_not_found,
    a_link_works_once_and_for_ten_minutes,
    a_post_without_the_csrf_token_changes_nothing,
    web_thoat_ends_every_session,
    members_are_refused_and_bad_input_changes_nothing,
    exports_and_reads_are_in_the_audit_log,
    an_officer_broadcasts_from_the_console,
    an_officer_publishes_a_directive_from_the_console,
    an_officer_runs_a_commitment_from_the_console,
    tips_with_a_place_are_on_the_map,
);

/// Every message id a console template names exists in both languages.
#[test]
fn every_key_in_the_templates_exists_in_both_languages() {
    use congdoan_bot::core::domain::Lang;
    let i18n = congdoan_bot::i18n::I18n::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/templates");
    let mut named = 0;
    for entry in std::fs::read_dir(dir).expect("templates") {
        let html = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        for piece in html.split("l.t(\"").skip(1) {
            let key = piece.split('"').next().expect("key");
            for lang in [Lang::Vi, Lang::En] {
                assert!(
                    i18n.message_ids(lang).iter().any(|id| id == key),
                    "{key} missing in {lang:?}"
                );
            }
            named += 1;
        }
    }
    assert!(named > 40, "{named}");
}

async fn spawn(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |c| {
        c.listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
}

fn base(t: &TestApp) -> String {
    let addr = t.app.as_ref().and_then(|a| a.http_addr).expect("listening");
    format!("http://{addr}")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client")
}

/// `/web` in chat; returns the link the bot sent.
async fn login_link(t: &TestApp, who: &TgUser) -> String {
    let sent = t.say(who, "/web").await;
    let all = texts(&sent);
    let start = all.find("http://").expect("a link in the reply");
    let link: String = all[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '<')
        .collect();
    assert!(link.contains("/login?t="), "{all}");
    assert!(all.contains("10 phút"), "{all}");
    link
}

/// The value of the first hidden field `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&key)
        .map(|i| i + key.len())
        .expect("hidden field");
    html[start..].chars().take_while(|c| *c != '"').collect()
}

/// Open the link and press «Đăng nhập»; returns the dashboard's HTML.
async fn sign_in(t: &TestApp, who: &TgUser) -> (reqwest::Client, String) {
    let link = login_link(t, who).await;
    let c = client();
    let page = c.get(&link).send().await.expect("get link");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("Đăng nhập"), "{html}");
    let token = hidden(&html, "t");
    let home = c
        .post(format!("{}/login", base(t)))
        .form(&[("t", token.as_str())])
        .send()
        .await
        .expect("post login");
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.expect("html");
    assert!(html.contains("Tổng quan"), "{html}");
    (c, html)
}

async fn get(c: &reqwest::Client, url: String) -> (StatusCode, String) {
    let r = c.get(url).send().await.expect("get");
    (r.status(), r.text().await.expect("body"))
}

async fn post(c: &reqwest::Client, url: String, form: &[(&str, &str)]) -> (StatusCode, String) {
    let r = c.post(url).form(form).send().await.expect("post");
    (r.status(), r.text().await.expect("body"))
}

async fn unit_id(t: &TestApp, code: &str) -> i64 {
    t.store
        .unit_by_code(&UnitCode::parse(code).expect("code"))
        .await
        .expect("db")
        .expect("unit")
        .id
}

async fn scalar(t: &TestApp, sql: &'static str, arg: i64) -> i64 {
    sqlx::query(sql)
        .bind(arg)
        .fetch_one(t.store.pool())
        .await
        .expect("query")
        .try_get::<i64, _>(0)
        .expect("value")
}

async fn tip_status(t: &TestApp, id: i64) -> String {
    sqlx::query("SELECT status FROM tips WHERE id = $1")
        .bind(id)
        .fetch_one(t.store.pool())
        .await
        .expect("tip")
        .get("status")
}

/// A tip reported by chat (no photo, no place); returns its id.
async fn report(t: &TestApp, who: &TgUser, category: &str, what: &str, anonymous: bool) -> i64 {
    t.say(who, "/baotin").await;
    t.press(who, &format!("tip:cat:{category}")).await;
    t.say(who, what).await;
    t.press(who, "tip:skip").await;
    t.press(who, "tip:when:today").await;
    t.press(who, "tip:photos:done").await;
    let done: Vec<Sent> = t
        .press(
            who,
            if anonymous {
                "tip:anon:yes"
            } else {
                "tip:anon:no"
            },
        )
        .await;
    let all = texts(&done);
    let start = all.find("TB-").expect("receipt code");
    let code: String = all[start..].chars().take(14).collect();
    sqlx::query("SELECT id FROM tips WHERE receipt_code = $1")
        .bind(code.replace("TB-", "").replace('-', ""))
        .fetch_one(t.store.pool())
        .await
        .expect("tip row")
        .get("id")
}

/// The figure in `<td class="n {class}">N</td>` of the row of unit `id`.
fn cell(html: &str, unit: i64, class: &str) -> String {
    let row_start = html
        .find(&format!("data-unit=\"{unit}\""))
        .expect("unit row");
    let row = &html[row_start..];
    let row = &row[..row.find("</tr>").expect("row end")];
    let key = format!("class=\"n {class}");
    let at = row.find(&key).expect("cell");
    let rest = &row[at..];
    let open = rest.find('>').expect(">") + 1;
    rest[open..].chars().take_while(|c| *c != '<').collect()
}

async fn members_below(t: &TestApp, unit: i64) -> i64 {
    scalar(
        t,
        "SELECT COUNT(*) FROM members m JOIN units u ON u.id = m.unit_id
         WHERE u.path LIKE (SELECT path FROM units WHERE id = $1) || '%'",
        unit,
    )
    .await
}

fn next_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year() + 1
}

fn stat(html: &str, id: &str) -> String {
    let key = format!("id=\"{id}\">");
    let start = html.find(&key).map(|i| i + key.len()).expect("stat");
    html[start..].chars().take_while(|c| *c != '<').collect()
}

async fn an_officer_signs_in_and_reads_the_roll_up(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c: Cast = cast(&t, 100).await;
    let fire = report(
        &t,
        &c.worker,
        "fire",
        "Ổ điện cháy xém ở dãy trọ số 5",
        false,
    )
    .await;
    report(&t, &c.english, "theft", "Bike stolen at block 2", true).await;
    // One tip overdue: its deadline passed without anyone taking it.
    sqlx::query("UPDATE tips SET escalate_at = 1 WHERE id = $1")
        .bind(fire)
        .execute(t.store.pool())
        .await
        .expect("overdue");
    // A member the bot can no longer reach.
    sqlx::query(
        "UPDATE members SET unreachable_at = 1 WHERE id =
           (SELECT member_id FROM identities WHERE external_id = $1)",
    )
    .bind(c.leader.id.to_string())
    .execute(t.store.pool())
    .await
    .expect("unreachable");

    // A commitment for everyone, signed by the worker only.
    t.say(&c.officer, "/camket moi").await;
    t.say(&c.officer, "Cam kết an toàn về an ninh, trật tự")
        .await;
    t.press(&c.officer, "cm:who:everyone").await;
    t.say(&c.officer, &format!("31/12/{}", next_year())).await;
    t.press(&c.officer, "cm:rem:1").await;
    t.press(&c.officer, "cm:ok").await;
    t.wait_outbox_empty().await;
    let sign = t
        .fake
        .sent_to(c.worker.id)
        .iter()
        .flat_map(|m| m.buttons.clone())
        .map(|(_, d)| d)
        .find(|d| d.starts_with("cm:sign:"))
        .expect("sign button");
    t.press(&c.worker, &sign).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures").await,
        1
    );

    let (client, html) = sign_in(&t, &c.officer).await;
    let abc = unit_id(&t, "CDCS-ABC").await;
    let ttq1 = unit_id(&t, "TTQ-01").await;
    let ttq2 = unit_id(&t, "TTQ-02").await;
    // The unit's name is "… May <ABC> & Co": escaped, never markup.
    assert!(!html.contains("<ABC>"));
    assert!(
        html.contains("May &#60;ABC&#62; &#38; Co") || html.contains("May &lt;ABC&gt; &amp; Co"),
        "escaped"
    );
    assert_eq!(
        stat(&html, "total-members"),
        members_below(&t, abc).await.to_string()
    );
    assert_eq!(stat(&html, "total-members"), "5");
    assert_eq!(stat(&html, "total-reachable"), "4");
    assert_eq!(stat(&html, "total-open"), "2");
    assert_eq!(stat(&html, "total-overdue"), "1");
    assert_eq!(
        cell(&html, ttq1, "members"),
        members_below(&t, ttq1).await.to_string()
    );
    assert_eq!(cell(&html, ttq1, "members"), "2");
    assert_eq!(cell(&html, ttq1, "reachable"), "1");
    assert_eq!(cell(&html, ttq1, "open"), "1");
    assert_eq!(cell(&html, ttq1, "overdue"), "1");
    assert_eq!(cell(&html, ttq2, "members"), "1");
    // Signed / in scope over each subtree, as /tonghop counts it.
    assert!(html.contains("Cam kết an toàn về an ninh, trật tự"));
    assert!(html.contains("<b>1/5 (20%)</b>"), "{html}");
    assert_eq!(cell(&html, ttq1, "commitment"), "1/2 (50%)");
    assert_eq!(cell(&html, ttq2, "commitment"), "0/1 (0%)");
    assert_eq!(cell(&html, ttq2, "overdue"), "0");

    // One level down, and back up; the unit above the officer's is not theirs.
    let (status, down) = get(&client, format!("{}/units/{ttq1}", base(&t))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(down.contains("Tổ tự quản nhà trọ số 1"));
    assert_eq!(stat(&down, "total-members"), "2");
    assert!(down.contains(&format!("href=\"/units/{abc}\"")));

    // Security headers on the console, none of it on the webhooks or /healthz.
    let r = client
        .get(format!("{}/", base(&t)))
        .send()
        .await
        .expect("get");
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    let health = client
        .get(format!("{}/healthz", base(&t)))
        .send()
        .await
        .expect("healthz");
    assert!(health.headers().get("content-security-policy").is_none());
    let hook = client
        .post(format!("{}/webhook/telegram", base(&t)))
        .body("{}")
        .send()
        .await
        .expect("webhook");
    assert_eq!(
        hook.status(),
        StatusCode::NOT_FOUND,
        "polling mode: no webhook"
    );
    let css = client
        .get(format!("{}/assets/console.css", base(&t)))
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), StatusCode::OK);
    t.finish().await;
}

async fn an_officer_takes_resolves_and_notes_a_tip(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 200).await;
    let named = report(
        &t,
        &c.worker,
        "theft",
        "Mất xe máy Honda trước dãy trọ số 5",
        false,
    )
    .await;
    let anon = report(
        &t,
        &c.english,
        "drugs",
        "Người lạ bán ma túy ở hẻm 12",
        true,
    )
    .await;
    let (client, _) = sign_in(&t, &c.officer).await;
    let b = base(&t);

    // The queue: oldest first, with the time left before it goes up.
    let (status, list) = get(&client, format!("{b}/tips")).await;
    assert_eq!(status, StatusCode::OK);
    let first = list
        .find(&format!("data-tip=\"{named}\""))
        .expect("named listed");
    let second = list
        .find(&format!("data-tip=\"{anon}\""))
        .expect("anon listed");
    assert!(first < second, "oldest first");
    assert!(
        list.contains("còn 1 giờ 59 phút") || list.contains("còn 2 giờ<"),
        "{list}"
    );
    let (_, drugs) = get(&client, format!("{b}/tips?category=drugs")).await;
    assert!(drugs.contains(&format!("data-tip=\"{anon}\"")));
    assert!(!drugs.contains(&format!("data-tip=\"{named}\"")));

    // The anonymous tip: read (and recorded), never named.
    let reads_before = scalar(&t, "SELECT COUNT(*) FROM tip_reads WHERE tip_id = $1", anon).await;
    let (status, page) = get(&client, format!("{b}/tips/{anon}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Người lạ bán ma túy"));
    assert!(page.contains("ẩn danh"));
    assert!(!page.contains("Worker Ann"), "anonymous stays anonymous");
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM tip_reads WHERE tip_id = $1", anon).await,
        reads_before + 1
    );

    // Take the named one, as the chat's «Tiếp nhận» does.
    let (_, page) = get(&client, format!("{b}/tips/{named}")).await;
    assert!(page.contains("Công nhân Hoa"), "named reporter shown");
    let csrf = hidden(&page, "csrf");
    let (status, after) = post(
        &client,
        format!("{b}/tips/{named}/take"),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(after.contains("Đã tiếp nhận tin báo"), "{after}");
    assert_eq!(tip_status(&t, named).await, "acknowledged");
    t.wait_outbox_empty().await;
    let told = texts(&t.fake.sent_to(c.worker.id));
    assert!(
        told.contains("đã được") && told.contains("tiếp nhận"),
        "{told}"
    );
    // Taking it again says so and changes nothing.
    let (_, again) = post(
        &client,
        format!("{b}/tips/{named}/take"),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert!(again.contains("đã được tiếp nhận rồi"));

    // A note, then the outcome.
    let (_, noted) = post(
        &client,
        format!("{b}/tips/{named}/note"),
        &[
            ("csrf", csrf.as_str()),
            ("note", "Đã báo công an phường <b>"),
        ],
    )
    .await;
    assert!(noted.contains("Đã ghi chú"));
    assert!(!noted.contains("phường <b>"));
    assert!(
        noted.contains("Đã báo công an phường &#60;b&#62;")
            || noted.contains("Đã báo công an phường &lt;b&gt;"),
        "escaped"
    );
    let (_, resolved) = post(
        &client,
        format!("{b}/tips/{named}/resolve"),
        &[("csrf", csrf.as_str()), ("note", "Đã tìm lại được xe")],
    )
    .await;
    assert!(resolved.contains("Đã đóng tin báo"));
    assert_eq!(tip_status(&t, named).await, "resolved");
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM tip_events WHERE tip_id = $1 AND kind IN ('acknowledged', 'note', 'resolved')", named).await,
        3
    );
    t.wait_outbox_empty().await;
    assert!(texts(&t.fake.sent_to(c.worker.id)).contains("Đã tìm lại được xe"));
    // Resolved tips leave the queue.
    let (_, list) = get(&client, format!("{b}/tips")).await;
    assert!(!list.contains(&format!("data-tip=\"{named}\"")));
    t.finish().await;
}

async fn another_branch_is_not_found(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 300).await;
    let theirs = report(
        &t,
        &c.outsider,
        "fight",
        "Đánh nhau ở khu trọ Hà Nội",
        false,
    )
    .await;
    let (client, html) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let csrf = hidden(&html, "csrf");
    let hn = unit_id(&t, "HN").await;
    let hcm = unit_id(&t, "HCM").await;
    for path in [
        format!("/tips/{theirs}"),
        format!("/units/{hn}"),
        format!("/units/{hcm}"),
        "/units/abc".to_string(),
        "/tips/-1".to_string(),
        "/tips/99999999999999999999999".to_string(),
        "/khong-co".to_string(),
    ] {
        let (status, page) = get(&client, format!("{b}{path}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.contains("Không tìm thấy"), "{path}: {page}");
    }
    let (_, list) = get(&client, format!("{b}/tips")).await;
    assert!(!list.contains(&format!("data-tip=\"{theirs}\"")));
    for action in ["take", "escalate"] {
        let (status, _) = post(
            &client,
            format!("{b}/tips/{theirs}/{action}"),
            &[("csrf", csrf.as_str())],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = post(
        &client,
        format!("{b}/tips/{theirs}/resolve"),
        &[("csrf", csrf.as_str()), ("note", "xong")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(tip_status(&t, theirs).await, "new");
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM tip_reads WHERE tip_id = $1",
            theirs
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM tip_events WHERE tip_id = $1",
            theirs
        )
        .await,
        1,
        "only its creation"
    );
    t.finish().await;
}

async fn a_link_works_once_and_for_ten_minutes(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 400).await;
    let link = login_link(&t, &c.officer).await;
    let token = link.split("t=").nth(1).expect("token").to_string();
    // Only its hash is stored.
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM web_logins WHERE token_hash = $1",
            &token
        )
        .await,
        0
    );
    let b = base(&t);
    let first = client();
    // A form posted from another site can't sign a browser in, nor use the link up.
    let forged = first
        .post(format!("{b}/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("t", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.count("SELECT COUNT(*) FROM web_sessions").await, 0);
    let (status, _) = post(&first, format!("{b}/login"), &[("t", token.as_str())]).await;
    assert_eq!(status, StatusCode::OK);
    // Reused, by anyone: refused, and no second session.
    let other = client();
    let (status, page) = get(&other, link.clone()).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("đã được dùng rồi"), "{page}");
    let (status, _) = post(&other, format!("{b}/login"), &[("t", token.as_str())]).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(t.count("SELECT COUNT(*) FROM web_sessions").await, 1);
    let (status, _) = get(&other, format!("{b}/")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Expired: ten minutes passed.
    let late = login_link(&t, &c.officer).await;
    sqlx::query("UPDATE web_logins SET expires_at = expires_at - 600001 WHERE used_at IS NULL")
        .execute(t.store.pool())
        .await
        .expect("age the link");
    let (status, page) = get(&other, late.clone()).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("hết hạn"), "{page}");
    let late_token = late.split("t=").nth(1).expect("token").to_string();
    let (status, _) = post(&other, format!("{b}/login"), &[("t", late_token.as_str())]).await;
    assert_eq!(status, StatusCode::GONE);

    // Made up, or malformed.
    for bad in [
        "0".repeat(64),
        "xyz".to_string(),
        "%FF%FE".to_string(),
        String::new(),
    ] {
        let (status, page) = get(&other, format!("{b}/login?t={bad}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
        assert!(page.contains("Link đăng nhập không đúng"));
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM web_sessions").await, 1);

    // A session idle past its time is over.
    sqlx::query("UPDATE web_sessions SET expires_at = 1")
        .execute(t.store.pool())
        .await
        .expect("idle");
    let (status, page) = get(&first, format!("{b}/")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("Gõ /web"), "{page}");
    t.finish().await;
}

async fn a_post_without_the_csrf_token_changes_nothing(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 500).await;
    let tip = report(&t, &c.worker, "fire", "Bình gas rò rỉ ở phòng 3", false).await;
    let (client, html) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let csrf = hidden(&html, "csrf");
    let wrong = "0".repeat(64);
    let outbox_before = t.count("SELECT COUNT(*) FROM outbox").await;
    for form in [vec![], vec![("csrf", wrong.as_str())], vec![("csrf", "")]] {
        for action in ["take", "escalate", "resolve", "note"] {
            let mut f = form.clone();
            f.push(("note", "thử"));
            let (status, page) = post(&client, format!("{b}/tips/{tip}/{action}"), &f).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{action} {form:?}");
            assert!(page.contains("mã bảo vệ"), "{page}");
        }
        let mut f = form.clone();
        f.extend([("what", "tips"), ("format", "csv")]);
        let (status, _) = post(&client, format!("{b}/export"), &f).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = post(&client, format!("{b}/logout"), &form).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    // Another session's token is not this session's.
    let (other, other_html) = sign_in(&t, &c.officer).await;
    let other_csrf = hidden(&other_html, "csrf");
    assert_ne!(other_csrf, csrf);
    let (status, _) = post(
        &client,
        format!("{b}/tips/{tip}/take"),
        &[("csrf", other_csrf.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    drop(other);
    assert_eq!(tip_status(&t, tip).await, "new");
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM tip_events WHERE tip_id = $1", tip).await,
        1
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM tip_exports").await, 0);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM outbox").await,
        outbox_before + 1,
        "only the second /web link"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM web_sessions").await,
        2,
        "still signed in"
    );
    // With the token it works.
    let (status, _) = post(
        &client,
        format!("{b}/tips/{tip}/take"),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tip_status(&t, tip).await, "acknowledged");
    t.finish().await;
}

async fn web_thoat_ends_every_session(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 600).await;
    let (phone, _) = sign_in(&t, &c.officer).await;
    let (desk, html) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    assert_eq!(t.count("SELECT COUNT(*) FROM web_sessions").await, 2);
    // Signing out in the browser ends that session only.
    let csrf = hidden(&html, "csrf");
    let (status, page) = post(&desk, format!("{b}/logout"), &[("csrf", csrf.as_str())]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã đăng xuất"));
    assert_eq!(
        get(&desk, format!("{b}/")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(get(&phone, format!("{b}/")).await.0, StatusCode::OK);
    let (_, _) = sign_in(&t, &c.officer).await;

    let bye = t.say(&c.officer, "/web thoat").await;
    assert!(
        texts(&bye).contains("Đã đăng xuất khỏi trang quản lý"),
        "{}",
        texts(&bye)
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM web_sessions").await, 0);
    let (status, page) = get(&phone, format!("{b}/tips")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("chưa đăng nhập"), "{page}");
    let usage = t.say(&c.officer, "/web abc").await;
    assert!(texts(&usage).contains("/web thoat"));
    t.finish().await;
}

async fn members_are_refused_and_bad_input_changes_nothing(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 700).await;
    for who in [&c.worker, &c.leader] {
        let no = t.say(who, "/web").await;
        assert!(
            texts(&no).contains("chỉ dành cho cán bộ công đoàn"),
            "{}",
            texts(&no)
        );
        assert!(!texts(&no).contains("http://"));
    }
    let guest = TgUser::new(799, "Khách");
    let no = t.say(&guest, "/web").await;
    assert!(!texts(&no).contains("http://"));
    assert_eq!(t.count("SELECT COUNT(*) FROM web_logins").await, 0);

    // An officer demoted after the link was sent can't use it.
    let link = login_link(&t, &c.officer).await;
    sqlx::query(
        "UPDATE members SET role = 'member' WHERE id =
           (SELECT member_id FROM identities WHERE external_id = $1)",
    )
    .bind(c.officer.id.to_string())
    .execute(t.store.pool())
    .await
    .expect("demote");
    let browser = client();
    let token = link.split("t=").nth(1).expect("token").to_string();
    let (status, page) = post(
        &browser,
        format!("{}/login", base(&t)),
        &[("t", token.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("chỉ dành cho cán bộ"));
    assert_eq!(t.count("SELECT COUNT(*) FROM web_sessions").await, 0);
    sqlx::query(
        "UPDATE members SET role = 'officer' WHERE id =
           (SELECT member_id FROM identities WHERE external_id = $1)",
    )
    .bind(c.officer.id.to_string())
    .execute(t.store.pool())
    .await
    .expect("promote");

    let tip = report(&t, &c.worker, "fire", "Dây điện chập ở dãy trọ số 2", false).await;
    let (client, html) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let csrf = hidden(&html, "csrf");
    for q in [
        "category=xyz",
        "status=resolved",
        "category=%FF",
        "status=new&status=x",
    ] {
        let (status, page) = get(&client, format!("{b}/tips?{q}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}");
        assert!(page.contains("Bộ lọc không hợp lệ"), "{page}");
    }
    for note in ["", "   ", &"x".repeat(1501)] {
        let (status, page) = post(
            &client,
            format!("{b}/tips/{tip}/resolve"),
            &[("csrf", csrf.as_str()), ("note", note)],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(page.contains("Không thực hiện được"));
    }
    let (status, _) = post(
        &client,
        format!("{b}/export"),
        &[
            ("csrf", csrf.as_str()),
            ("what", "passwords"),
            ("format", "csv"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A body past the limit.
    let big = "n".repeat(64 * 1024);
    let (status, _) = post(
        &client,
        format!("{b}/tips/{tip}/note"),
        &[("csrf", csrf.as_str()), ("note", big.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // A cookie that is not ours.
    let r = reqwest::Client::new()
        .get(format!("{b}/"))
        .header("cookie", "cd_session=../../etc; cd_session=é")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(tip_status(&t, tip).await, "new");
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM tip_events WHERE tip_id = $1", tip).await,
        1
    );
    t.finish().await;
}

async fn exports_and_reads_are_in_the_audit_log(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 800).await;
    let tip = report(&t, &c.worker, "vice", "Đánh bạc ở phòng 7", true).await;
    let (client, html) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let csrf = hidden(&html, "csrf");
    get(&client, format!("{b}/tips/{tip}")).await;
    let r = client
        .post(format!("{b}/export"))
        .form(&[("csrf", csrf.as_str()), ("what", "tips"), ("format", "csv")])
        .send()
        .await
        .expect("export");
    assert_eq!(r.status(), StatusCode::OK);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"tin-bao-CDCS-ABC-"),
        "{disposition}"
    );
    let csv = r.text().await.expect("csv");
    assert!(csv.contains("Đánh bạc ở phòng 7"));
    assert!(!csv.contains("Công nhân Hoa"), "anonymous in the file too");
    let officer_id: i64 = sqlx::query("SELECT member_id FROM identities WHERE external_id = $1")
        .bind(c.officer.id.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("officer")
        .get("member_id");
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM tip_exports WHERE member_id = $1 AND tips = 1",
            officer_id
        )
        .await,
        1
    );
    let r = client
        .post(format!("{b}/export"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("what", "members"),
            ("format", "xlsx"),
        ])
        .send()
        .await
        .expect("export");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.expect("xlsx").starts_with(b"PK"));

    // An invite made in chat: the officers' actions are in the same log.
    let ttq1: i64 = sqlx::query("SELECT id FROM units WHERE code = 'TTQ-01'")
        .fetch_one(t.store.pool())
        .await
        .expect("unit")
        .get("id");
    t.say(&c.officer, "/moi").await;
    t.press(&c.officer, "of:m:inv").await;
    t.press(&c.officer, &format!("of:u:{ttq1}")).await;
    t.press(&c.officer, "of:r:member").await;
    t.say(&c.officer, "1").await;
    t.say(&c.officer, "1").await;

    let (status, audit) = get(&client, format!("{b}/audit")).await;
    assert_eq!(status, StatusCode::OK);
    let actions = &audit[audit.find("id=\"actions\"").expect("actions table")..];
    assert!(
        actions.contains("tạo mã mời") && actions.contains("Tổ tự quản nhà trọ số 1"),
        "{actions}"
    );
    assert!(audit.contains("Cán bộ Thu"));
    assert!(audit.contains(&format!("href=\"/tips/{tip}\"")));
    assert!(!audit.contains("Công nhân Hoa"));
    let exports = &audit[audit.find("id=\"exports\"").expect("exports table")..];
    assert!(exports.contains("Cán bộ Thu"));
    t.finish().await;
}

/// Gửi tin: the officer writes to one housing group from the console; exactly its
/// members get it (escaped), the page follows the sending to the end, a scheduled
/// message waits and can be stopped, and a target outside the subtree, an empty text or
/// a past time change nothing.
async fn an_officer_broadcasts_from_the_console(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 900).await;
    let (client, _) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let (status, page) = get(&client, format!("{b}/broadcasts")).await;
    assert_eq!(status, StatusCode::OK);
    let ttq1 = unit_id(&t, "TTQ-01").await;
    let hn = unit_id(&t, "HN").await;
    assert!(
        page.contains("Toàn bộ đoàn viên trong đơn vị (4 người)"),
        "{page}"
    );
    assert!(
        page.contains("Chỉ tổ trưởng tổ tự quản (1 người)"),
        "{page}"
    );
    assert!(page.contains(&format!("value=\"unit:{ttq1}\"")), "{page}");
    assert!(
        !page.contains(&format!("unit:{hn}")),
        "another branch offered: {page}"
    );
    let csrf = hidden(&page, "csrf");
    let broadcasts = || t.count("SELECT COUNT(*) FROM broadcasts");

    // Refused: a unit of another branch, an empty text, a time in the past.
    let target = format!("unit:{hn}");
    for (form, why) in [
        (
            vec![
                ("text", "Họp tổ"),
                ("target", target.as_str()),
                ("when", "now"),
            ],
            "Nơi nhận không hợp lệ",
        ),
        (
            vec![("text", "   "), ("target", "all"), ("when", "now")],
            "viết nội dung",
        ),
        (
            vec![
                ("text", "Họp tổ"),
                ("target", "all"),
                ("when", "later"),
                ("at", "2020-01-01T08:00"),
            ],
            "trong vòng 90 ngày",
        ),
    ] {
        let mut form = form;
        form.push(("csrf", csrf.as_str()));
        let (status, page) = post(&client, format!("{b}/broadcasts"), &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{why}");
        assert!(page.contains(why), "{why}: {page}");
    }
    assert_eq!(broadcasts().await, 0);

    // To TTQ-01 only, now.
    let target = format!("unit:{ttq1}");
    let (status, page) = post(
        &client,
        format!("{b}/broadcasts"),
        &[
            ("csrf", csrf.as_str()),
            ("text", "Họp tổ <b>tối nay</b> lúc 19h tại nhà văn hoá"),
            ("target", target.as_str()),
            ("when", "now"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Họp tổ &#60;b&#62;tối nay&#60;/b&#62;"),
        "escaped: {page}"
    );
    let id = t.count("SELECT MAX(id) FROM broadcasts").await;
    t.wait_outbox_empty().await;
    for (who, gets) in [
        (&c.worker, true),
        (&c.leader, true),
        (&c.english, false),
        (&c.direct, false),
        (&c.outsider, false),
    ] {
        let got = texts(&t.fake.sent_to(who.id)).contains("Họp tổ");
        assert_eq!(got, gets, "{}", who.first_name);
    }
    assert!(texts(&t.fake.sent_to(c.worker.id)).contains("Họp tổ &lt;b&gt;tối nay"));
    assert_eq!(
        scalar(&t, "SELECT total FROM broadcasts WHERE id = $1", id).await,
        2
    );
    // The page follows it to the end.
    let mut done = String::new();
    for _ in 0..100 {
        let (_, page) = get(&client, format!("{b}/broadcasts/{id}")).await;
        if page.contains("Đã gửi xong") {
            done = page;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(done.contains("id=\"bc-sent\">2<"), "{done}");
    assert!(done.contains("100%"), "{done}");
    assert!(
        !done.contains("http-equiv=\"refresh\""),
        "no reload once done: {done}"
    );

    // Tomorrow 08:00: it waits, then is stopped.
    let tomorrow = congdoan_bot::core::calendar::local_date(congdoan_bot::core::time::now_ms())
        .succ_opt()
        .expect("tomorrow");
    let at = format!("{}T08:00", tomorrow.format("%Y-%m-%d"));
    let outbox = t.count("SELECT COUNT(*) FROM outbox").await;
    let (status, page) = post(
        &client,
        format!("{b}/broadcasts"),
        &[
            ("csrf", csrf.as_str()),
            ("text", "Nhắc lịch trực an ninh"),
            ("target", "leaders"),
            ("when", "later"),
            ("at", at.as_str()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Đã hẹn giờ") && page.contains("http-equiv=\"refresh\""),
        "{page}"
    );
    let later = t.count("SELECT MAX(id) FROM broadcasts").await;
    assert_eq!(t.count("SELECT COUNT(*) FROM outbox").await, outbox);
    let (status, page) = post(
        &client,
        format!("{b}/broadcasts/{later}/stop"),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã dừng"), "{page}");
    let status: String = sqlx::query("SELECT status FROM broadcasts WHERE id = $1")
        .bind(later)
        .fetch_one(t.store.pool())
        .await
        .expect("row")
        .get("status");
    assert_eq!(status, "cancelled");
    let (status, _) = get(&client, format!("{b}/broadcasts/{}", later + 1000)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    t.finish().await;
}

/// Văn bản: the officer uploads the union's real letter, reads the draft the parser
/// made, shortens the summary and sends it to one housing group with its dates; exactly
/// that group gets it and the history counts them. A forged target, forged facts, a
/// missing token or an unreadable file change nothing.
async fn an_officer_publishes_a_directive_from_the_console(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1000).await;
    let (client, _) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let (status, page) = get(&client, format!("{b}/directives")).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = hidden(&page, "csrf");
    let letter = std::fs::read(format!(
        "{}/tests/fixtures/directives/tld-phong-trao-bao-ve-an-ninh-to-quoc.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    let upload = |csrf: &str, bytes: Vec<u8>| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("ke-hoach.txt"),
            )
    };
    // Without the token: refused before the file is read.
    let r = client
        .post(format!("{b}/directives/draft"))
        .multipart(upload(&"0".repeat(64), letter.clone()))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Not a document.
    let r = client
        .post(format!("{b}/directives/draft"))
        .multipart(upload(&csrf, vec![0xff, 0xfe, 0x00, 0x01]))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Không đọc được văn bản")
    );

    let r = client
        .post(format!("{b}/directives/draft"))
        .multipart(upload(&csrf, letter))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    let draft = r.text().await.expect("html");
    assert!(draft.contains("Xem lại trước khi gửi"), "{draft}");
    assert!(draft.contains("19/8"), "the festival date: {draft}");
    let facts = html_escape::decode_html_entities(&hidden(&draft, "facts")).into_owned();
    assert!(facts.starts_with('{'), "{facts}");
    let title = html_escape::decode_html_entities(&hidden(&draft, "title")).into_owned();
    let ttq1 = unit_id(&t, "TTQ-01").await;
    let hn = unit_id(&t, "HN").await;
    let (ttq1_s, hn_s) = (ttq1.to_string(), hn.to_string());
    let summary = "Tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc 19/8 tại khu nhà trọ.";
    let publish = |unit: &str, facts: &str| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            ("facts".to_string(), facts.to_string()),
            ("title".to_string(), title.clone()),
            ("summary".to_string(), summary.to_string()),
            ("to".to_string(), "units".to_string()),
            ("unit".to_string(), unit.to_string()),
            ("dates".to_string(), "on".to_string()),
            ("ack".to_string(), "on".to_string()),
            ("ack_remind".to_string(), "1".to_string()),
        ]
    };
    let send = |form: Vec<(String, String)>| {
        let client = client.clone();
        let url = format!("{b}/directives/publish");
        async move {
            let r = client.post(url).form(&form).send().await.expect("post");
            (r.status(), r.text().await.expect("body"))
        }
    };
    // Another branch's unit, and facts that are not the parser's.
    let (status, page) = send(publish(&hn_s, &facts)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Đơn vị nhận không hợp lệ"), "{page}");
    let (status, _) = send(publish(&ttq1_s, "<script>")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(t.count("SELECT COUNT(*) FROM directives").await, 0);

    let (status, page) = send(publish(&ttq1_s, &facts)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã gửi văn bản tới 2 đoàn viên"), "{page}");
    t.wait_outbox_empty().await;
    for (who, gets) in [
        (&c.worker, true),
        (&c.leader, true),
        (&c.english, false),
        (&c.direct, false),
        (&c.outsider, false),
    ] {
        let got = texts(&t.fake.sent_to(who.id)).contains("khu nhà trọ");
        assert_eq!(got, gets, "{}", who.first_name);
    }
    let (_, page) = get(&client, format!("{b}/directives")).await;
    let id = t.count("SELECT MAX(id) FROM directives").await;
    assert!(page.contains(&format!("data-directive=\"{id}\"")), "{page}");
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM directive_receipts WHERE directive_id = $1",
            id
        )
        .await,
        2
    );
    // Both were asked to confirm «Đã nắm», with a daily reminder.
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM acknowledgements WHERE kind = 'directive' AND object_id = $1",
            id
        )
        .await,
        2
    );
    assert_eq!(
        scalar(
            &t,
            "SELECT ack_remind_days FROM directives WHERE id = $1",
            id
        )
        .await,
        1
    );
    assert!(texts(&t.fake.sent_to(c.worker.id)).contains("Đã nắm"));
    // The festival date is now on TTQ-01's calendar.
    assert!(
        t.count("SELECT COUNT(*) FROM campaigns WHERE month = 8 AND day = 19")
            .await
            >= 1
    );
    t.finish().await;
}

/// Cam kết: opened from the console with the chat's choices, signed in chat, rolled up
/// per unit on the page (with its chart), revised (everyone asked again) and closed; a
/// past deadline, a campaign that is not theirs and a missing token change nothing.
async fn an_officer_runs_a_commitment_from_the_console(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1100).await;
    let (client, _) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let (status, page) = get(&client, format!("{b}/commitments")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Chưa có cam kết nào"), "{page}");
    let csrf = hidden(&page, "csrf");
    let deadline = format!("{}-12-31", next_year());
    let open = |deadline: &str| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            (
                "text".to_string(),
                "Cam kết giữ khu trọ an toàn, không ma tuý".to_string(),
            ),
            ("signers".to_string(), "everyone".to_string()),
            ("deadline".to_string(), deadline.to_string()),
            ("remind".to_string(), "mon".to_string()),
        ]
    };
    let send = |url: String, form: Vec<(String, String)>| {
        let client = client.clone();
        async move {
            let r = client.post(url).form(&form).send().await.expect("post");
            (r.status(), r.text().await.expect("body"))
        }
    };
    let (status, page) = send(format!("{b}/commitments"), open("2020-01-01")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Hạn ký phải sau hôm nay"), "{page}");
    let mut no_token = open(&deadline);
    no_token.remove(0);
    let (status, _) = send(format!("{b}/commitments"), no_token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_campaigns").await,
        0
    );

    let (status, page) = send(format!("{b}/commitments"), open(&deadline)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã mở cam kết"), "{page}");
    let id = t.count("SELECT MAX(id) FROM commitment_campaigns").await;
    assert_eq!(
        scalar(
            &t,
            "SELECT CAST(CASE WHEN remind_weekdays = '1' AND remind_every_days = 0 THEN 1 ELSE 0 END AS BIGINT)
             FROM commitment_campaigns WHERE id = $1",
            id
        )
        .await,
        1
    );
    t.wait_outbox_empty().await;
    let sign = t
        .fake
        .sent_to(c.worker.id)
        .iter()
        .flat_map(|m| m.buttons.clone())
        .map(|(_, d)| d)
        .find(|d| d.starts_with("cm:sign:"))
        .expect("sign button");
    t.press(&c.worker, &sign).await;
    let (_, page) = get(&client, format!("{b}/commitments")).await;
    let ttq1 = unit_id(&t, "TTQ-01").await;
    let row_start = page
        .find(&format!("data-unit=\"{ttq1}\""))
        .expect("TTQ-01 row");
    let row = &page[row_start..row_start + page[row_start..].find("</tr>").expect("row end")];
    assert!(
        row.contains("signed\">1<") && row.contains("scope\">2<"),
        "{row}"
    );
    let png = client
        .get(format!("{b}/commitments/{id}/chart.png"))
        .send()
        .await
        .expect("chart");
    assert_eq!(png.status(), StatusCode::OK);
    assert!(png.bytes().await.expect("bytes").starts_with(b"\x89PNG"));

    // A new version: the worker, who signed v1, is asked again.
    let (status, _) = send(
        format!("{b}/commitments/{}/revise", id + 50),
        vec![
            ("csrf".into(), csrf.clone()),
            ("text".into(), "Bản khác".into()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let before = t.fake.sent_to(c.worker.id).len();
    let (status, page) = send(
        format!("{b}/commitments/{id}/revise"),
        vec![
            ("csrf".into(), csrf.clone()),
            (
                "text".into(),
                "Cam kết giữ khu trọ an toàn, không ma tuý, không cờ bạc".into(),
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Phiên bản 2"), "{page}");
    t.wait_outbox_empty().await;
    assert!(t.fake.sent_to(c.worker.id).len() > before, "asked again");
    let (status, page) = send(
        format!("{b}/commitments/{id}/close"),
        vec![("csrf".into(), csrf.clone())],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Đã đóng cam kết") && !page.contains("data-commitment"),
        "{page}"
    );
    t.finish().await;
}

/// Bản đồ: tips that carry a shared place are listed on the map page of their
/// subtree only, without words or reporter; the map itself and its tile server appear
/// only when one is configured, and then the page's policy lets images come from it.
async fn tips_with_a_place_are_on_the_map(backend: Backend) {
    let Some(t) = TestApp::spawn_with(backend, |c| {
        c.listen = Some("127.0.0.1:0".parse().expect("addr"));
        c.map_tiles = Some(
            congdoan_bot::web::map::MapTiles::parse(
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            )
            .expect("tiles"),
        );
    })
    .await
    else {
        return;
    };
    let c = cast(&t, 1200).await;
    // A tip with a place, by the worker; an anonymous one without a place.
    t.say(&c.worker, "/baotin").await;
    t.press(&c.worker, "tip:cat:theft").await;
    t.say(&c.worker, "Mất xe máy trước dãy trọ số 5").await;
    t.send(c.worker.id, c.worker.location(10.7626, 106.7421))
        .await;
    t.press(&c.worker, "tip:when:now").await;
    t.press(&c.worker, "tip:photos:done").await;
    t.press(&c.worker, "tip:anon:yes").await;
    report(&t, &c.english, "fire", "Smoke at block 2", true).await;
    let located: i64 = t
        .count("SELECT MAX(id) FROM tips WHERE latitude IS NOT NULL")
        .await;

    let (client, _) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let r = client
        .get(format!("{b}/tips/map"))
        .send()
        .await
        .expect("map");
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r
        .headers()
        .get("content-security-policy")
        .expect("csp")
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        csp.contains("img-src 'self' data: https://tile.openstreetmap.org;"),
        "{csp}"
    );
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let page = r.text().await.expect("html");
    assert!(
        page.contains("id=\"map\"") && page.contains("/assets/tips-map.js"),
        "{page}"
    );
    assert!(page.contains("10.76260, 106.74210"), "{page}");
    assert!(
        !page.contains("Mất xe máy") && !page.contains("Công nhân Hoa"),
        "no words, no reporter: {page}"
    );
    let json: serde_json::Value = client
        .get(format!("{b}/tips/map.json"))
        .send()
        .await
        .expect("points")
        .json()
        .await
        .expect("json");
    let points = json.as_array().expect("a list");
    assert_eq!(points.len(), 1, "{json}");
    assert_eq!(points[0]["id"], located);
    assert!(!json.to_string().contains("Hoa"), "{json}");
    for asset in [
        "/assets/leaflet.js",
        "/assets/leaflet.css",
        "/assets/tips-map.js",
    ] {
        let r = client
            .get(format!("{b}{asset}"))
            .send()
            .await
            .expect("asset");
        assert_eq!(r.status(), StatusCode::OK, "{asset}");
    }
    t.finish().await;

    // Without a tile server: the list, no map, no script, no outside images.
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 1300).await;
    let (client, _) = sign_in(&t, &c.officer).await;
    let r = client
        .get(format!("{}/tips/map", base(&t)))
        .send()
        .await
        .expect("map");
    let csp = r
        .headers()
        .get("content-security-policy")
        .expect("csp")
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(csp.contains("img-src 'self' data:;"), "{csp}");
    let page = r.text().await.expect("html");
    assert!(
        page.contains("id=\"map-off\"") && !page.contains("<script"),
        "{page}"
    );
    t.finish().await;
}
