//! The command line as an officer uses it: org import / tree, invite create, demo.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{Backend, TestDb};
use congdoan_bot::core::domain::{InviteCode, Lang, Role, UnitCode};
use congdoan_bot::core::time::now_ms;
use congdoan_bot::store::{Store, members};

on_both_backends!(
    importing_and_reimporting_the_tree,
    creating_invites,
    routing_tips_from_the_command_line,
);

fn bot(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    bot_in(Path::new("."), db, args, stdin)
}

/// `bot` run in `cwd` (the demo saves the files it sends there).
fn bot_in(cwd: &Path, db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_congdoan-bot"));
    cmd.current_dir(cwd)
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("TELEGRAM_BOT_USERNAME")
        .env_remove("CONGDOAN_LANG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run congdoan-bot");
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin.unwrap_or("").as_bytes());
    }
    child.wait_with_output().expect("wait")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write_csv(dir: &tempfile::TempDir, name: &str, body: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, body).expect("write csv");
    path.display().to_string()
}

async fn importing_and_reimporting_the_tree(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let first = write_csv(&dir, "units.csv", common::TREE_CSV);
    let o = bot(&db.url, &["org", "import", &first], None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("Đã nhập 7 đơn vị: 7 mới, 0 cập nhật, 0 không đổi"),
        "{}",
        out(&o)
    );

    // A member in TTQ-02, who must survive the re-import.
    let store = Store::open(&db.url).await.expect("store");
    let ttq2 = store
        .unit_by_code(&UnitCode::parse("TTQ-02").expect("code"))
        .await
        .expect("db")
        .expect("unit");
    let mut tx = store.begin().await.expect("tx");
    members::create(
        &mut tx,
        &members::NewMember {
            unit_id: ttq2.id,
            role: Role::Leader,
            display_name: "Tổ trưởng",
            username: None,
            lang: Lang::Vi,
            invite_code: None,
            channel: "telegram",
            external_id: "42",
            chat_id: "42",
        },
        now_ms(),
    )
    .await
    .expect("member");
    tx.commit().await.expect("commit");

    // TTQ-02 moves under KCX-TT and is renamed; HN is renamed; a new unit appears.
    let second = write_csv(
        &dir,
        "units2.csv",
        "\u{feff}code,parent_code,name,kind
TTQ-02,KCX-TT,Tổ tự quản khu trọ Bình Thuận,to_tu_quan
HN,TLD,LĐLĐ Thành phố Hà Nội,ldld_tinh
CDCS-XYZ,HN,Công đoàn cơ sở Công ty XYZ,cdcs
",
    );
    let o = bot(&db.url, &["org", "import", &second], None);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("1 mới, 2 cập nhật, 0 không đổi"),
        "{}",
        out(&o)
    );
    let moved = store
        .unit_by_code(&UnitCode::parse("TTQ-02").expect("code"))
        .await
        .expect("db")
        .expect("unit");
    let kcx = store
        .unit_by_code(&UnitCode::parse("KCX-TT").expect("code"))
        .await
        .expect("db")
        .expect("unit");
    assert_eq!(moved.id, ttq2.id, "same unit, same id");
    assert_eq!(moved.parent_id, Some(kcx.id));
    assert_eq!(moved.path, format!("{}{}/", kcx.path, moved.id));
    assert_eq!(moved.depth, 3);
    assert_eq!(moved.name, "Tổ tự quản khu trọ Bình Thuận");
    assert_eq!(
        store.member_counts().await.expect("counts").get(&moved.id),
        Some(&1)
    );

    let o = bot(&db.url, &["org", "tree"], None);
    let tree = out(&o);
    assert!(
        tree.starts_with("TLD  Tổng Liên đoàn Lao động Việt Nam [tong_ldld]"),
        "{tree}"
    );
    assert!(
        tree.contains("\n      TTQ-02  Tổ tự quản khu trọ Bình Thuận [to_tu_quan] · 1 thành viên"),
        "{tree}"
    );
    assert!(
        tree.contains("\n    CDCS-XYZ  Công đoàn cơ sở Công ty XYZ [cdcs]"),
        "{tree}"
    );

    // Bad files change nothing and say why, in Vietnamese, with the line.
    let units_before = store.units().await.expect("units");
    for (body, expected) in [
        (
            "code,parent_code,name,kind\nTLD,TTQ-01,Vòng,x\n",
            "vòng lặp",
        ),
        (
            "code,parent_code,name,kind\nX1,NOPE,Không cha,x\n",
            "không có trong tệp lẫn cơ sở dữ liệu",
        ),
        ("code,name\nA,B\n", "Tệp thiếu cột: parent_code, kind"),
        (
            "code,parent_code,name,kind\nA,,Một,x\nA,,Hai,x\n",
            "Dòng 3: mã A xuất hiện hai lần",
        ),
        (
            "code,parent_code,name,kind\nmã có dấu,,Tên,x\n",
            "Dòng 2: mã đơn vị “mã có dấu” không hợp lệ",
        ),
    ] {
        let path = write_csv(&dir, "bad.csv", body);
        let o = bot(&db.url, &["org", "import", &path], None);
        assert!(!o.status.success());
        assert!(err(&o).contains(expected), "{body:?}: {}", err(&o));
    }
    let binary = dir.path().join("junk.csv");
    std::fs::write(&binary, [0xffu8, 0xfe, 0x00, 0x01, 0x02]).expect("write");
    let o = bot(
        &db.url,
        &["org", "import", &binary.display().to_string()],
        None,
    );
    assert!(!o.status.success());
    let o = bot(&db.url, &["org", "import", "/nonexistent/units.csv"], None);
    assert!(err(&o).contains("Không đọc được tệp"), "{}", err(&o));
    assert_eq!(store.units().await.expect("units"), units_before);

    // English on request.
    let o = bot(
        &db.url,
        &["--lang", "en", "org", "import", "/nonexistent/units.csv"],
        None,
    );
    assert!(err(&o).contains("Cannot read"), "{}", err(&o));
    store.close().await;
    db.drop_db().await;
}

async fn routing_tips_from_the_command_line(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = write_csv(&dir, "units.csv", common::TREE_CSV);
    assert!(
        bot(&db.url, &["org", "import", &csv], None)
            .status
            .success()
    );
    let route = |args: &[&str]| {
        let mut all = vec!["tips", "route"];
        all.extend_from_slice(args);
        bot(&db.url, &all, None)
    };
    let o = route(&[
        "--unit",
        "CDCS-ABC",
        "--category",
        "labour",
        "--handles",
        "no",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains("không nhận tin báo loại “Tranh chấp lao động”"),
        "{}",
        out(&o)
    );
    let o = route(&[
        "--unit",
        "CDCS-ABC",
        "--category",
        "fire",
        "--notify-parent",
        "--deadline-minutes",
        "30",
    ]);
    assert!(
        out(&o).contains("quá 30 phút") && out(&o).contains("báo ngay"),
        "{}",
        out(&o)
    );
    // Re-routing replaces, never duplicates.
    let o = route(&[
        "--unit",
        "CDCS-ABC",
        "--category",
        "fire",
        "--deadline-minutes",
        "45",
    ]);
    assert!(o.status.success(), "{}", err(&o));

    // Bad input: a clear message, nothing stored.
    for bad in [
        vec!["--unit", "CDCS-ABC", "--category", "aliens"],
        vec![
            "--unit",
            "CDCS-ABC",
            "--category",
            "fire",
            "--handles",
            "maybe",
        ],
        vec![
            "--unit",
            "CDCS-ABC",
            "--category",
            "fire",
            "--deadline-minutes",
            "0",
        ],
    ] {
        let o = route(&bad);
        assert!(!o.status.success());
        assert!(err(&o).contains("--category theft|drugs"), "{}", err(&o));
    }
    let o = route(&["--unit", "NOPE", "--category", "fire"]);
    assert!(err(&o).contains("Không có đơn vị mã NOPE"), "{}", err(&o));

    let store = Store::open(&db.url).await.expect("store");
    let rows: Vec<(String, i64, i64, Option<i64>)> = sqlx::query(
        "SELECT category, handles, notify_parent, deadline_minutes FROM tip_routes ORDER BY category",
    )
    .fetch_all(store.pool())
    .await
    .expect("routes")
    .iter()
    .map(|r| {
        use sqlx::Row;
        (r.get(0), r.get(1), r.get(2), r.get(3))
    })
    .collect();
    assert_eq!(
        rows,
        [
            ("fire".to_string(), 1, 0, Some(45)),
            ("labour".to_string(), 0, 0, None)
        ]
    );
    store.close().await;
    db.drop_db().await;
}

async fn creating_invites(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = write_csv(&dir, "units.csv", common::TREE_CSV);
    assert!(
        bot(&db.url, &["org", "import", &csv], None)
            .status
            .success()
    );

    let o = bot(
        &db.url,
        &[
            "invite",
            "create",
            "--unit",
            "TTQ-01",
            "--role",
            "leader",
            "--uses",
            "30",
            "--expires",
            "14",
        ],
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("Vai trò: tổ trưởng · Dùng được: 30 lần"),
        "{text}"
    );
    assert!(text.contains("chưa biết tên bot"), "{text}");
    let code_line = text
        .lines()
        .find(|l| l.starts_with("Mã mời: "))
        .expect("code line");
    let code = InviteCode::parse(code_line.trim_start_matches("Mã mời: ")).expect("a valid code");

    let store = Store::open(&db.url).await.expect("store");
    store
        .set_setting("telegram_username", "congdoan_bot")
        .await
        .expect("setting");
    let o = bot(
        &db.url,
        &[
            "invite", "create", "--unit", "CDCS-ABC", "--role", "officer",
        ],
        None,
    );
    let text = out(&o);
    let link = text
        .lines()
        .find_map(|l| l.strip_prefix("Link Telegram: "))
        .expect("link line")
        .to_string();
    let payload = link
        .strip_prefix("https://t.me/congdoan_bot?start=")
        .expect("deep link");
    assert!(
        payload.len() <= 64 && payload.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{payload}"
    );
    assert!(InviteCode::parse(payload).is_ok());
    assert_ne!(payload, code.as_str());
    assert!(
        text.contains("Dùng được: 1 lần"),
        "default: one use: {text}"
    );

    for (args, expected) in [
        (
            vec!["--unit", "NOPE", "--role", "member"],
            "Không có đơn vị mã NOPE",
        ),
        (
            vec!["--unit", "TTQ-01", "--role", "admin"],
            "Vai trò phải là",
        ),
        (
            vec!["--unit", "TTQ-01", "--role", "member", "--uses", "0"],
            "Số lượt dùng",
        ),
        (
            vec!["--unit", "TTQ-01", "--role", "member", "--expires", "999"],
            "Số ngày hết hạn",
        ),
    ] {
        let mut full = vec!["invite", "create"];
        full.extend(args);
        let o = bot(&db.url, &full, None);
        assert!(!o.status.success());
        assert!(err(&o).contains(expected), "{}", err(&o));
    }
    let invites: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invites")
        .fetch_one(store.pool())
        .await
        .expect("count");
    assert_eq!(invites, 2);
    store.close().await;
    db.drop_db().await;
}

#[test]
fn the_demo_chats_in_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.db").display().to_string();
    // No --as: the persona menu is answered with a wrong then a right choice.
    let o = bot(
        "sqlite://unused.db",
        &["demo", "--file", &file],
        Some("9\n3\n/help\n/dulieu\n/guitin\n/chithi\n1\n/lich\n/thoat\n"),
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("6 đơn vị và 63 thành viên"), "{text}");
    assert!(text.contains("Hãy gõ một số từ 1 đến 4"), "{text}");
    assert!(text.contains("Bạn đang là: cán bộ công đoàn"), "{text}");
    assert!(text.contains("/tonghop"), "officer help: {text}");
    assert!(text.contains("Tên: Lê Thị Thu"), "{text}");
    // The demo database has a directive that reached the persona, and campaign dates.
    assert!(text.contains("Chỉ thị đã nhận"), "{text}");
    assert!(
        text.contains("Vận động 100% công nhân ký cam kết"),
        "{text}"
    );
    assert!(
        text.contains("Ngày hội toàn dân bảo vệ an ninh Tổ quốc (còn"),
        "{text}"
    );
    assert!(text.contains("Tạm biệt!"), "{text}");
    assert!(!text.contains("<b>"), "no HTML in the terminal: {text}");

    // The demo's commitment: the officer's roll-up, and its chart saved as a file.
    let o = bot_in(
        dir.path(),
        "sqlite://unused.db",
        &["demo", "--file", &file, "--as", "officer"],
        Some("/tonghop\n/thoat\n"),
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("Cam kết giữ khu nhà trọ an toàn") && text.contains("Đã ký / trong diện"),
        "{text}"
    );
    let chart = dir.path().join("congdoan-demo-files/tien-do-cam-ket-1.png");
    let png = std::fs::read(&chart).expect("the chart file");
    assert!(png.starts_with(b"\x89PNG"), "{chart:?}");

    // A newcomer joins with the code the demo prints, answering as a person would:
    // reading the screen first, then typing.
    let mut child = Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
        .args(["demo", "--file", &file, "--as", "new"])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn demo");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = std::io::BufReader::new(stdout);
    let mut seen = String::new();
    let code = loop {
        let mut line = String::new();
        let n = std::io::BufRead::read_line(&mut reader, &mut line).expect("read");
        assert!(n > 0, "demo ended before printing a code: {seen}");
        seen.push_str(&line);
        if let Some(rest) = line.strip_prefix("Mã mời của bạn: ") {
            break rest.split('.').next().unwrap_or("").to_string();
        }
    };
    let mut stdin = child.stdin.take().expect("stdin");
    write!(stdin, "/start {code}\n1\n/dulieu\n/thoat\n").expect("type");
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).expect("read rest");
    assert!(child.wait().expect("wait").success());
    assert!(
        rest.contains("1. Đồng ý") && rest.contains("Trả lời bằng số"),
        "{rest}"
    );
    assert!(
        rest.contains("Bạn đã tham gia Tổ tự quản khu nhà trọ công nhân số 2"),
        "{rest}"
    );
    assert!(rest.contains("Vai trò: đoàn viên"), "{rest}");
}

#[test]
fn a_demo_broadcast_reaches_the_sample_members_with_a_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.db").display().to_string();
    let o = bot_in(
        dir.path(),
        "sqlite://unused.db",
        &["demo", "--file", &file, "--as", "officer"],
        Some("/guitin\nHọp tổ tự quản lúc 19h thứ Bảy\n1\n1\n/thoat\n"),
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    // Before, the sample members were skipped: "0/0 … 100%".
    assert!(text.contains("Bắt đầu gửi tới 55 người"), "{text}");
    assert!(
        text.contains("Báo cáo gửi tin") && text.contains("Đã gửi: 55/55"),
        "{text}"
    );
    // The log went to its file, not into the chat.
    assert!(!text.contains(" INFO "), "{text}");
    assert!(dir.path().join("congdoan-demo.log").exists());
}

#[test]
fn parsing_a_directive_from_the_command_line() {
    let fixture = format!(
        "{}/tests/fixtures/directives/caobang-bien-gioi-2016.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = bot(
        "sqlite://unused.db",
        &["directive", "parse", &fixture],
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("Nơi, ngày: Cao Bằng, 15/3/2016"), "{text}");
    assert!(text.contains("Chỉ thị 01/CT-TTg (9/1/2015)"), "{text}");
    assert!(text.contains("Kế hoạch 414/KH-UBND (7/3/2016)"), "{text}");
    assert!(text.contains("Bản tóm tắt cho điện thoại"), "{text}");

    let o = bot(
        "sqlite://unused.db",
        &["directive", "parse", "--json", &fixture],
        None,
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["place"], "Cao Bằng");
    assert_eq!(json["date"], "2016-03-15");
    assert_eq!(json["citations"][0]["number"], "01/CT-TTg");
    assert!(
        json["summary"]
            .as_str()
            .is_some_and(|s| s.chars().count() <= 900)
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let recipe = write_csv(
        &dir,
        "recipe.txt",
        "Canh chua: đun sôi nước, thêm me, cà chua, cá. Nêm vừa ăn.",
    );
    let o = bot("sqlite://unused.db", &["directive", "parse", &recipe], None);
    assert!(!o.status.success());
    assert!(
        err(&o).contains("không giống một văn bản chỉ đạo"),
        "{}",
        err(&o)
    );
    let empty = write_csv(&dir, "empty.txt", "");
    let o = bot("sqlite://unused.db", &["directive", "parse", &empty], None);
    assert!(err(&o).contains("Văn bản trống"), "{}", err(&o));
}

/// A newcomer on a laptop opens the officers' console from the link the demo prints:
/// the link shows the sign-in button, signing in lands on the dashboard of the demo
/// officer's unit, and the same link does not sign anyone in twice.
#[tokio::test]
async fn the_demo_prints_a_console_link_that_signs_the_officer_in() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.db").display().to_string();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_congdoan-bot"))
        .args([
            "demo",
            "--file",
            &file,
            "--as",
            "officer",
            "--web",
            "127.0.0.1:0",
        ])
        .env("RUST_LOG", "warn")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn demo");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut seen = String::new();
    let link = loop {
        let line = lines
            .next_line()
            .await
            .expect("read")
            .unwrap_or_else(|| panic!("the demo ended before printing a console link: {seen}"));
        seen.push_str(&line);
        seen.push('\n');
        if let Some(at) = line.find("http://127.0.0.1:") {
            break line[at..].trim().to_string();
        }
    };
    assert!(seen.contains("Trang quản lý cho cán bộ"), "{seen}");
    let (base, token) = link.split_once("/login?t=").expect("a login link");
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let page = c.get(&link).send().await.expect("get link");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("Đăng nhập"));
    let home = c
        .post(format!("{base}/login"))
        .form(&[("t", token)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(home.status(), 200);
    let html = home.text().await.expect("html");
    assert!(html.contains("Tổng quan"), "{html}");
    assert!(
        html.contains("Tổ tự quản") || html.contains("Công đoàn"),
        "{html}"
    );
    // Used once: a second browser gets nothing from it.
    let other = reqwest::Client::new();
    let again = other
        .post(format!("{base}/login"))
        .form(&[("t", token)])
        .send()
        .await
        .expect("reuse");
    assert!(!again.text().await.expect("html").contains("Tổng quan"));
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"/thoat\n").await.expect("quit");
    drop(stdin);
    assert!(child.wait().await.expect("wait").success());
}
