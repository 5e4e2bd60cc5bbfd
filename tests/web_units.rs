//! The console's «Đơn vị & đoàn viên» page over HTTP, on both backends: the tree one
//! level down from the officer's unit (never above it), member search and pages, a
//! member's card, and the chat's actions (role, move, removal, invites), checked
//! against the database, the audit log and what the member is told in chat; every
//! refusal (another branch, a forged id, no CSRF token, bad input) changes nothing.

mod common;

use common::{Backend, TestApp, TgUser, cast, texts};
use congdoan_bot::core::domain::{Role, UnitCode};
use reqwest::StatusCode;
use sqlx::Row;

on_both_backends!(
    an_officer_sees_only_their_subtree_and_finds_members,
    role_move_and_removal_do_what_the_chat_does,
    refusals_change_nothing,
    invites_are_created_listed_and_revoked,
);

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

/// The value of the first hidden field `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&key)
        .map(|i| i + key.len())
        .expect("hidden field");
    html[start..].chars().take_while(|c| *c != '"').collect()
}

/// `/web` in chat, open the link, press «Đăng nhập»: a signed-in client and its CSRF
/// token.
async fn sign_in(t: &TestApp, who: &TgUser) -> (reqwest::Client, String) {
    let all = texts(&t.say(who, "/web").await);
    let start = all.find("http://").expect("a link in the reply");
    let link: String = all[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '<')
        .collect();
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let html = c
        .get(&link)
        .send()
        .await
        .expect("get link")
        .text()
        .await
        .expect("html");
    let token = hidden(&html, "t");
    let home = c
        .post(format!("{}/login", base(t)))
        .form(&[("t", token.as_str())])
        .send()
        .await
        .expect("post login");
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.expect("html");
    assert!(html.contains("href=\"/org\""), "the nav has the page");
    let csrf = hidden(&html, "csrf");
    (c, csrf)
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

async fn member_id(t: &TestApp, who: &TgUser) -> i64 {
    sqlx::query("SELECT member_id FROM identities WHERE external_id = $1")
        .bind(who.id.to_string())
        .fetch_one(t.store.pool())
        .await
        .expect("member")
        .get("member_id")
}

/// (unit id, role) of a member, `None` once removed.
async fn member_row(t: &TestApp, id: i64) -> Option<(i64, String)> {
    sqlx::query("SELECT unit_id, role FROM members WHERE id = $1")
        .bind(id)
        .fetch_optional(t.store.pool())
        .await
        .expect("query")
        .map(|r| (r.get("unit_id"), r.get("role")))
}

async fn audit(t: &TestApp, action: &str) -> Vec<(Option<i64>, Option<i64>, i64)> {
    sqlx::query(
        "SELECT actor_member_id, member_id, unit_id FROM officer_audit WHERE action = $1
         ORDER BY id",
    )
    .bind(action)
    .fetch_all(t.store.pool())
    .await
    .expect("audit")
    .iter()
    .map(|r| {
        (
            r.get("actor_member_id"),
            r.get("member_id"),
            r.get("unit_id"),
        )
    })
    .collect()
}

/// `n` members without a chat account directly in `unit`, named "Người số 01"….
async fn add_members(t: &TestApp, unit: i64, n: i64) {
    for i in 1..=n {
        sqlx::query(
            "INSERT INTO members (unit_id, role, display_name, lang, consent_at, joined_at)
             VALUES ($1, 'member', $2, 'vi', 1, 1)",
        )
        .bind(unit)
        .bind(format!("Người số {i:02}"))
        .execute(t.store.pool())
        .await
        .expect("member");
    }
}

fn stat(html: &str, id: &str) -> String {
    let key = format!("id=\"{id}\">");
    let start = html.find(&key).map(|i| i + key.len()).expect("stat");
    html[start..].chars().take_while(|c| *c != '<').collect()
}

/// The member count in the row of child unit `id`.
fn child_members(html: &str, id: i64) -> String {
    let row = &html[html.find(&format!("data-unit=\"{id}\"")).expect("row")..];
    let key = "class=\"n members\">";
    let start = row.find(key).expect("cell") + key.len();
    row[start..].chars().take_while(|c| *c != '<').collect()
}

async fn an_officer_sees_only_their_subtree_and_finds_members(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 710_000).await;
    let (client, _) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let (abc, ttq1, ttq2) = (
        unit_id(&t, "CDCS-ABC").await,
        unit_id(&t, "TTQ-01").await,
        unit_id(&t, "TTQ-02").await,
    );
    let (kcx, hn) = (unit_id(&t, "KCX-TT").await, unit_id(&t, "HN").await);

    // The officer's own unit: its children one level down, each with its members.
    let (status, html) = get(&client, format!("{b}/org")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("aria-current=\"page\">Đơn vị &amp; đoàn viên")
            || html.contains("Đơn vị &#38; đoàn viên"),
        "nav lit"
    );
    assert!(!html.contains("<ABC>"), "names are escaped");
    assert_eq!(stat(&html, "org-members"), "5");
    assert_eq!(stat(&html, "org-direct"), "2");
    assert_eq!(child_members(&html, ttq1), "2");
    assert_eq!(child_members(&html, ttq2), "1");
    assert!(html.contains(&format!("href=\"/org/{ttq1}\"")));
    // Nothing above the officer's unit, not even as a breadcrumb.
    assert!(!html.contains("Tân Thuận") && !html.contains(&format!("/org/{kcx}\"")));
    assert!(!html.contains("Hà Nội"));
    // Its direct members.
    assert!(html.contains("Cán bộ Thu") && html.contains("Đoàn viên Nam"));
    assert!(
        !html.contains("Công nhân Hoa"),
        "TTQ-01's member is one level down"
    );

    // One level down: breadcrumbs up to the officer's unit, never above.
    let (status, down) = get(&client, format!("{b}/org/{ttq1}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(down.contains(&format!("<a href=\"/org/{abc}\">")));
    assert!(!down.contains(&format!("/org/{kcx}\"")));
    assert!(down.contains("Công nhân Hoa") && down.contains("Tổ trưởng Hùng"));
    // Above or beside: not found.
    for other in [kcx, hn, 999_999] {
        let (status, page) = get(&client, format!("{b}/org/{other}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{other}");
        assert!(page.contains("Không tìm thấy"));
    }
    let (status, _) = get(&client, format!("{b}/org/abc")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Search by name over the whole subtree, ignoring case.
    let worker = member_id(&t, &c.worker).await;
    let outsider = member_id(&t, &c.outsider).await;
    for q in ["hoa", "CÔNG NHÂN  hoa"] {
        let (status, found) = get(&client, format!("{b}/org?q={q}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            found.contains(&format!("href=\"/org/members/{worker}\"")),
            "{q}"
        );
        assert!(found.contains("1 người có tên chứa"), "{found}");
    }
    let (_, found) = get(&client, format!("{b}/org?q=Lan")).await;
    assert!(
        found.contains("0 người có tên chứa"),
        "another branch's Lan"
    );
    assert!(!found.contains(&format!("/org/members/{outsider}")));
    let (status, found) = get(&client, format!("{b}/org?q=%3Cscript%3Ex")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!found.contains("<script>x"), "the search text is escaped");
    let long = "a".repeat(101);
    let (status, page) = get(&client, format!("{b}/org?q={long}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("quá dài"));
    let (status, _) = get(&client, format!("{b}/org?page=x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Pages of 20.
    add_members(&t, ttq2, 25).await;
    let (_, first) = get(&client, format!("{b}/org/{ttq2}")).await;
    assert!(first.contains("26 đoàn viên trực tiếp") && first.contains("trang 1/2"));
    assert_eq!(first.matches("data-member=").count(), 20);
    assert!(first.contains("id=\"next-page\""));
    let (_, second) = get(&client, format!("{b}/org/{ttq2}?page=1")).await;
    assert_eq!(second.matches("data-member=").count(), 6);
    assert!(second.contains("trang 2/2") && second.contains("id=\"prev-page\""));
    let (_, found) = get(
        &client,
        format!("{b}/org/{ttq2}?q=ng%C6%B0%E1%BB%9Di+s%E1%BB%91"),
    )
    .await;
    assert!(
        found.contains("25 người có tên chứa") && found.contains("trang 1/2"),
        "{found}"
    );

    // A member's card: unit, role, channels, never a chat id.
    let (status, card) = get(&client, format!("{b}/org/members/{worker}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(card.contains("Công nhân Hoa") && card.contains("Tổ tự quản nhà trọ số 1"));
    assert!(card.contains("Telegram") && card.contains("Liên lạc được"));
    assert!(card.contains("đoàn viên"));
    assert!(!card.contains(&c.worker.id.to_string()), "no chat id");
    assert!(card.contains("id=\"set-role\"") && card.contains("id=\"remove\""));
    // Oneself: shown, but no action.
    let me = member_id(&t, &c.officer).await;
    let (status, own) = get(&client, format!("{b}/org/members/{me}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(own.contains("id=\"not-manageable\"") && !own.contains("id=\"set-role\""));
    // Another branch's member, or nobody: not found.
    for id in [outsider.to_string(), "0".into(), "x".into()] {
        let (status, _) = get(&client, format!("{b}/org/members/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id}");
    }
    t.finish().await;
}

async fn role_move_and_removal_do_what_the_chat_does(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 720_000).await;
    let (client, csrf) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let (ttq1, ttq2) = (unit_id(&t, "TTQ-01").await, unit_id(&t, "TTQ-02").await);
    let (me, worker, english, direct) = (
        member_id(&t, &c.officer).await,
        member_id(&t, &c.worker).await,
        member_id(&t, &c.english).await,
        member_id(&t, &c.direct).await,
    );

    // A new role, as /donvi gives it: the row, the audit line, the member told.
    let (status, page) = post(
        &client,
        format!("{b}/org/members/{worker}/role"),
        &[("csrf", csrf.as_str()), ("role", "leader")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã đổi vai trò"), "{page}");
    assert_eq!(member_row(&t, worker).await, Some((ttq1, "leader".into())));
    assert_eq!(
        audit(&t, "member.role").await,
        vec![(Some(me), Some(worker), ttq1)]
    );
    t.wait_outbox_empty().await;
    let told = texts(&t.fake.sent_to(c.worker.id));
    assert!(
        told.contains("Vai trò của bạn trong") && told.contains("tổ trưởng"),
        "{told}"
    );

    // A move, by the list: told in their own language.
    let (status, page) = post(
        &client,
        format!("{b}/org/members/{english}/move"),
        &[
            ("csrf", csrf.as_str()),
            ("unit", &ttq1.to_string()),
            ("code", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã chuyển đoàn viên"), "{page}");
    assert_eq!(member_row(&t, english).await, Some((ttq1, "member".into())));
    t.wait_outbox_empty().await;
    let told = texts(&t.fake.sent_to(c.english.id));
    assert!(
        told.contains("You were moved from Tổ tự quản nhà trọ số 2"),
        "{told}"
    );
    // And by a typed unit code.
    let (status, _) = post(
        &client,
        format!("{b}/org/members/{english}/move"),
        &[("csrf", csrf.as_str()), ("unit", ""), ("code", "TTQ-02")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(member_row(&t, english).await, Some((ttq2, "member".into())));
    let moves = audit(&t, "member.move").await;
    assert_eq!(
        moves,
        vec![
            (Some(me), Some(english), ttq1),
            (Some(me), Some(english), ttq2)
        ]
    );

    // A removal with a reason: the person and their data are gone; they are told why.
    let abc = unit_id(&t, "CDCS-ABC").await;
    let (status, page) = post(
        &client,
        format!("{b}/org/members/{direct}/remove"),
        &[("csrf", csrf.as_str()), ("reason", "Đã chuyển công tác")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã đưa người đó ra khỏi đơn vị"), "{page}");
    assert_eq!(member_row(&t, direct).await, None);
    assert_eq!(
        audit(&t, "member.remove").await,
        vec![(Some(me), None, abc)]
    );
    t.wait_outbox_empty().await;
    let told = texts(&t.fake.sent_to(c.direct.id));
    assert!(
        told.contains("ra khỏi") && told.contains("Lý do: Đã chuyển công tác"),
        "{told}"
    );
    let (_, home) = get(&client, format!("{b}/org")).await;
    assert_eq!(stat(&home, "org-members"), "4");
    t.finish().await;
}

async fn refusals_change_nothing(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 730_000).await;
    // A second officer of the same unit: a peer, whom the first may not manage.
    let peer = TgUser::new(730_099, "Cán bộ Bình");
    t.join(&peer, &t.invite("CDCS-ABC", Role::Officer, 1, None).await)
        .await;
    let (client, csrf) = sign_in(&t, &c.officer).await;
    let b = base(&t);
    let (ttq1, hn) = (unit_id(&t, "TTQ-01").await, unit_id(&t, "HN").await);
    let (me, worker, outsider, peer_id) = (
        member_id(&t, &c.officer).await,
        member_id(&t, &c.worker).await,
        member_id(&t, &c.outsider).await,
        member_id(&t, &peer).await,
    );
    let sent_before = t.fake.sent_to(c.worker.id).len();
    let csrf = csrf.as_str();

    // Another branch's member: not found, whatever the action.
    for action in ["role", "move", "remove"] {
        let (status, _) = post(
            &client,
            format!("{b}/org/members/{outsider}/{action}"),
            &[
                ("csrf", csrf),
                ("role", "member"),
                ("unit", &ttq1.to_string()),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{action}");
    }
    assert!(member_row(&t, outsider).await.is_some());
    // Oneself and a peer: the chat's refusal, word for word.
    for (id, action) in [
        (me, "role"),
        (me, "remove"),
        (peer_id, "role"),
        (peer_id, "move"),
    ] {
        let (status, page) = post(
            &client,
            format!("{b}/org/members/{id}/{action}"),
            &[
                ("csrf", csrf),
                ("role", "member"),
                ("unit", &ttq1.to_string()),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{id} {action}");
        assert!(
            page.contains("Bạn không thể thao tác với đoàn viên này"),
            "{page}"
        );
    }
    assert_eq!(
        member_row(&t, peer_id).await.map(|r| r.1),
        Some("officer".into())
    );
    // A forged unit id (another branch's) in the move form: not found.
    let (status, _) = post(
        &client,
        format!("{b}/org/members/{worker}/move"),
        &[("csrf", csrf), ("unit", &hn.to_string())],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Another branch's unit code: the chat's words for it.
    let (status, page) = post(
        &client,
        format!("{b}/org/members/{worker}/move"),
        &[("csrf", csrf), ("unit", ""), ("code", "HN")],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("không thuộc phạm vi bạn phụ trách"), "{page}");
    // Bad input: a clear message each time.
    type Case = (&'static str, Vec<(&'static str, String)>, &'static str);
    let cases: [Case; 6] = [
        (
            "role",
            vec![("role", "admin".into())],
            "Vai trò không hợp lệ",
        ),
        ("role", vec![("role", "member".into())], "đã có vai trò đó"),
        (
            "move",
            vec![("unit", ttq1.to_string())],
            "không thuộc phạm vi",
        ),
        (
            "move",
            vec![("unit", "abc".into())],
            "Bạn hãy chọn một đơn vị",
        ),
        (
            "move",
            vec![("unit", "".into()), ("code", "??".into())],
            "Mã đơn vị không hợp lệ",
        ),
        ("remove", vec![("reason", "x".repeat(301))], "Lý do quá dài"),
    ];
    for (action, fields, says) in cases {
        let mut form = vec![("csrf", csrf.to_string())];
        form.extend(fields);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, page) =
            post(&client, format!("{b}/org/members/{worker}/{action}"), &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{action} {says}");
        assert!(page.contains(says), "{says}: {page}");
    }
    // Without the CSRF token, or with a wrong one: refused before anything is read.
    for token in ["", "0000"] {
        let (status, _) = post(
            &client,
            format!("{b}/org/members/{worker}/remove"),
            &[("csrf", token)],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = post(
        &client,
        format!("{b}/org/members/{worker}/role"),
        &[("role", "leader")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    assert_eq!(member_row(&t, worker).await, Some((ttq1, "member".into())));
    assert_eq!(t.count("SELECT COUNT(*) FROM officer_audit").await, 0);
    t.wait_outbox_empty().await;
    assert_eq!(
        t.fake.sent_to(c.worker.id).len(),
        sent_before,
        "nobody told"
    );
    t.finish().await;
}

async fn invites_are_created_listed_and_revoked(backend: Backend) {
    let Some(t) = spawn(backend).await else {
        return;
    };
    let c = cast(&t, 740_000).await;
    let (client, csrf) = sign_in(&t, &c.officer).await;
    let csrf = csrf.as_str();
    let b = base(&t);
    let (ttq1, hn) = (unit_id(&t, "TTQ-01").await, unit_id(&t, "HN").await);
    let me = member_id(&t, &c.officer).await;
    let invites_before = t.count("SELECT COUNT(*) FROM invites").await;

    // Refused: another branch's unit (forged), bad numbers, an unknown role.
    let cases: [(String, &str, &str, &str, StatusCode); 5] = [
        (hn.to_string(), "member", "5", "7", StatusCode::NOT_FOUND),
        (
            ttq1.to_string(),
            "member",
            "0",
            "7",
            StatusCode::BAD_REQUEST,
        ),
        (
            ttq1.to_string(),
            "member",
            "5",
            "366",
            StatusCode::BAD_REQUEST,
        ),
        (ttq1.to_string(), "boss", "5", "7", StatusCode::BAD_REQUEST),
        ("x".into(), "member", "5", "7", StatusCode::BAD_REQUEST),
    ];
    for (unit, role, uses, days, want) in &cases {
        let (status, _) = post(
            &client,
            format!("{b}/org/invites"),
            &[
                ("csrf", csrf),
                ("unit", unit),
                ("role", role),
                ("uses", uses),
                ("days", days),
            ],
        )
        .await;
        assert_eq!(status, *want, "{unit} {role} {uses} {days}");
    }
    let (status, _) = post(
        &client,
        format!("{b}/org/invites"),
        &[
            ("unit", &ttq1.to_string()),
            ("role", "member"),
            ("uses", "5"),
            ("days", "7"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM invites").await,
        invites_before
    );

    // Created as /moi creates it.
    let (status, page) = post(
        &client,
        format!("{b}/org/invites"),
        &[
            ("csrf", csrf),
            ("unit", &ttq1.to_string()),
            ("role", "leader"),
            ("uses", "25"),
            ("days", "10"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã tạo mã mời mới"), "{page}");
    let row = sqlx::query(
        "SELECT code, role, max_uses, expires_at, created_at, created_by FROM invites
         WHERE unit_id = $1 AND created_by IS NOT NULL",
    )
    .bind(ttq1)
    .fetch_one(t.store.pool())
    .await
    .expect("invite");
    let code: String = row.get("code");
    assert_eq!(row.get::<String, _>("role"), "leader");
    assert_eq!(row.get::<i64, _>("max_uses"), 25);
    assert_eq!(row.get::<Option<i64>, _>("created_by"), Some(me));
    let valid =
        row.get::<Option<i64>, _>("expires_at").expect("expires") - row.get::<i64, _>("created_at");
    assert_eq!(valid, 10 * 86_400_000);
    assert_eq!(
        audit(&t, "invite.create").await,
        vec![(Some(me), None, ttq1)]
    );
    // Listed with its poster; the poster is a PNG.
    assert!(page.contains(&format!("data-invite=\"{code}\"")));
    assert!(page.contains(&format!("href=\"/poster/{code}.png\"")));
    let poster = client
        .get(format!("{b}/poster/{code}.png"))
        .send()
        .await
        .expect("poster");
    assert_eq!(poster.status(), StatusCode::OK);
    assert_eq!(poster.headers()["content-type"], "image/png");

    // Another branch's invite: not listed, not revocable.
    let theirs = t.invite("HN", Role::Member, 10, None).await;
    let (_, home) = get(&client, format!("{b}/org")).await;
    assert!(home.contains(&format!("data-invite=\"{code}\"")));
    assert!(!home.contains(theirs.as_str()));
    let (status, _) = post(
        &client,
        format!("{b}/org/invites/{}/revoke", theirs.as_str()),
        &[("csrf", csrf)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post(&client, format!("{b}/org/invites/{code}/revoke"), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no CSRF token");
    let (status, _) = post(
        &client,
        format!("{b}/org/invites/nonsense/revoke"),
        &[("csrf", csrf)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(audit(&t, "invite.revoke").await.is_empty());

    // Revoked as /moi revokes it: the code no longer works.
    let (status, page) = post(
        &client,
        format!("{b}/org/invites/{code}/revoke"),
        &[("csrf", csrf)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã thu hồi mã mời"), "{page}");
    assert!(!page.contains(&format!("data-invite=\"{code}\"")));
    assert_eq!(
        audit(&t, "invite.revoke").await,
        vec![(Some(me), None, ttq1)]
    );
    assert_eq!(
        t.count_for(
            "SELECT COUNT(*) FROM invites WHERE code = $1 AND revoked_at IS NOT NULL",
            &code
        )
        .await,
        1
    );
    let (status, _) = post(
        &client,
        format!("{b}/org/invites/{code}/revoke"),
        &[("csrf", csrf)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already revoked");
    let stranger = TgUser::new(740_050, "Người lạ");
    let reply = texts(&t.say(&stranger, &format!("/start {code}")).await);
    assert!(reply.contains("Mã mời đã hết hạn"), "{reply}");
    let theirs_left = t
        .count_for(
            "SELECT COUNT(*) FROM invites WHERE code = $1 AND revoked_at IS NULL",
            theirs.as_str(),
        )
        .await;
    assert_eq!(theirs_left, 1);

    // The police liaison's invite is made here too, as with /moi.
    let (_, home) = get(&client, format!("{b}/org")).await;
    assert!(home.contains("<option value=\"liaison\">"), "{home}");
    let (status, page) = post(
        &client,
        format!("{b}/org/invites"),
        &[
            ("csrf", csrf),
            ("unit", &ttq1.to_string()),
            ("role", "liaison"),
            ("uses", "1"),
            ("days", "7"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Đã tạo mã mời mới"), "{page}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM invites WHERE role = 'liaison' AND created_by IS NOT NULL")
            .await,
        1
    );
    t.finish().await;
}
