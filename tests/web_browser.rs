//! The console in a real browser: Debian's chromium, headless, driven over WebDriver
//! (chromedriver on a free loopback port), against the bot on 127.0.0.1:0 with the
//! fake Bot API. An officer signs in through the link `/web` sent, reads the roll-up,
//! opens the tips queue and takes a tip. Screenshots of the dashboard and the queue go
//! to `target/screenshots/`. Without chromium and chromedriver the story says so and
//! passes; every other test still runs.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{Backend, TestApp, TgUser, cast, texts};
use fantoccini::{ClientBuilder, Locator};
use sqlx::Row;

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// A tip reported by chat; returns its id.
async fn report(t: &TestApp, who: &TgUser, category: &str, what: &str) -> i64 {
    t.say(who, "/baotin").await;
    t.press(who, &format!("tip:cat:{category}")).await;
    t.say(who, what).await;
    t.press(who, "tip:skip").await;
    t.press(who, "tip:when:today").await;
    t.press(who, "tip:photos:done").await;
    let done = texts(&t.press(who, "tip:anon:no").await);
    let start = done.find("TB-").expect("receipt code");
    let code: String = done[start..].chars().take(14).collect();
    sqlx::query("SELECT id FROM tips WHERE receipt_code = $1")
        .bind(code.replace("TB-", "").replace('-', ""))
        .fetch_one(t.store.pool())
        .await
        .expect("tip row")
        .get("id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_signs_in_reads_the_roll_up_and_takes_a_tip_in_chromium() {
    let (Some(driver), Some(browser)) = (
        find_program(&["chromedriver"]),
        find_program(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        eprintln!(
            "skipped: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let Some(t) = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    else {
        return;
    };
    let c = cast(&t, 900).await;
    let tip = report(
        &t,
        &c.worker,
        "fire",
        "Ổ cắm điện bốc khói ở phòng 12, dãy trọ số 5",
    )
    .await;
    report(&t, &c.english, "theft", "Mất xe đạp trước cổng khu trọ").await;
    // A commitment two members of five have signed, for the roll-up.
    t.say(&c.officer, "/camket moi").await;
    t.say(&c.officer, "Cam kết an toàn về an ninh, trật tự")
        .await;
    t.press(&c.officer, "cm:who:everyone").await;
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    t.say(&c.officer, &format!("31/12/{year}")).await;
    t.press(&c.officer, "cm:rem:1").await;
    t.press(&c.officer, "cm:ok").await;
    t.wait_outbox_empty().await;
    for who in [&c.worker, &c.english] {
        let sign = t
            .fake
            .sent_to(who.id)
            .iter()
            .flat_map(|m| m.buttons.clone())
            .map(|(_, d)| d)
            .find(|d| d.starts_with("cm:sign:"))
            .expect("sign button");
        t.press(who, &sign).await;
    }
    let sent = texts(&t.say(&c.officer, "/web").await);
    let start = sent.find("http://").expect("login link");
    let link: String = sent[start..]
        .chars()
        .take_while(|ch| !ch.is_whitespace() && *ch != '<')
        .collect();

    let port = free_port();
    let mut chromedriver = tokio::process::Command::new(&driver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromedriver");
    let webdriver = format!("http://127.0.0.1:{port}");
    let probe = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while probe
        .get(format!("{webdriver}/status"))
        .send()
        .await
        .is_err()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Debian's /usr/bin/chromium is a wrapper script; the real binary sits beside the libs.
    let binary = ["/usr/lib/chromium/chromium"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or(browser);
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": binary.display().to_string(),
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,900", "--lang=vi-VN"]
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!("an object literal")
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&webdriver)
        .await
        .expect("WebDriver session");

    // The link shows a sign-in button (a link preview can't use it up); press it.
    client.goto(&link).await.expect("open link");
    client
        .wait()
        .for_element(Locator::Css("#login"))
        .await
        .expect("sign-in button")
        .click()
        .await
        .expect("sign in");
    let members = client
        .wait()
        .for_element(Locator::Css("#total-members"))
        .await
        .expect("dashboard")
        .text()
        .await
        .expect("text");
    let in_db: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM members m JOIN units u ON u.id = m.unit_id
         WHERE u.path LIKE (SELECT path FROM units WHERE code = 'CDCS-ABC') || '%'",
    )
    .fetch_one(t.store.pool())
    .await
    .expect("count")
    .get("n");
    assert_eq!(members, in_db.to_string());
    let open = client
        .find(Locator::Css("#total-open"))
        .await
        .expect("open tips")
        .text()
        .await
        .expect("text");
    assert_eq!(open, "2");
    let page = client.source().await.expect("source");
    assert!(page.contains("Tổ tự quản nhà trọ số 1"), "children listed");
    assert!(page.contains("2/5 (40%)"), "commitment roll-up");
    let dir = screenshot_dir();
    std::fs::write(
        dir.join("dashboard.png"),
        client.screenshot().await.expect("png"),
    )
    .expect("save");

    // The queue, then the tip, then «Tiếp nhận».
    client
        .find(Locator::LinkText("Tin báo"))
        .await
        .expect("tips tab")
        .click()
        .await
        .expect("open tips");
    client
        .wait()
        .for_element(Locator::Css("#tips"))
        .await
        .expect("tips table");
    std::fs::write(
        dir.join("tips.png"),
        client.screenshot().await.expect("png"),
    )
    .expect("save");
    client.set_window_size(390, 844).await.expect("phone size");
    std::fs::write(
        dir.join("tips-phone.png"),
        client.screenshot().await.expect("png"),
    )
    .expect("save");
    client.set_window_size(1280, 900).await.expect("desk size");
    client
        .find(Locator::Css(&format!("tr[data-tip=\"{tip}\"] a")))
        .await
        .expect("tip row")
        .click()
        .await
        .expect("open tip");
    client
        .wait()
        .for_element(Locator::Css("#take"))
        .await
        .expect("take button")
        .click()
        .await
        .expect("take");
    let flash = client
        .wait()
        .for_element(Locator::Css("#flash"))
        .await
        .expect("flash")
        .text()
        .await
        .expect("text");
    assert!(flash.contains("Đã tiếp nhận"), "{flash}");
    std::fs::write(dir.join("tip.png"), client.screenshot().await.expect("png")).expect("save");
    let status: String = sqlx::query("SELECT status FROM tips WHERE id = $1")
        .bind(tip)
        .fetch_one(t.store.pool())
        .await
        .expect("tip")
        .get("status");
    assert_eq!(status, "acknowledged");

    // Gửi tin: a message to one housing group, watched until it is sent.
    client
        .find(Locator::LinkText("Gửi tin"))
        .await
        .expect("broadcasts tab")
        .click()
        .await
        .expect("open broadcasts");
    client
        .wait()
        .for_element(Locator::Css("#bc-text"))
        .await
        .expect("text box")
        .send_keys("Tối nay 19h họp tổ tự quản về phòng cháy chữa cháy")
        .await
        .expect("type");
    let ttq1: i64 = sqlx::query("SELECT id FROM units WHERE code = 'TTQ-01'")
        .fetch_one(t.store.pool())
        .await
        .expect("unit")
        .get("id");
    client
        .find(Locator::Css(&format!(
            "#bc-target option[value=\"unit:{ttq1}\"]"
        )))
        .await
        .expect("the housing group as a target")
        .click()
        .await
        .expect("choose");
    client
        .find(Locator::Css("#bc-send"))
        .await
        .expect("send button")
        .click()
        .await
        .expect("send");
    let mut progress = String::new();
    for _ in 0..40 {
        progress = client
            .wait()
            .for_element(Locator::Css("#bc-status"))
            .await
            .expect("status")
            .text()
            .await
            .expect("text");
        if progress.contains("Đã gửi xong") {
            break;
        }
        // The page reloads itself every 5 s; a reader may also press reload.
        tokio::time::sleep(Duration::from_millis(250)).await;
        client.refresh().await.expect("reload");
    }
    assert!(progress.contains("Đã gửi xong"), "{progress}");
    std::fs::write(
        dir.join("broadcast.png"),
        client.screenshot().await.expect("png"),
    )
    .expect("save");
    assert!(
        texts(&t.fake.sent_to(c.worker.id)).contains("họp tổ tự quản"),
        "the worker of TTQ-01 got it"
    );

    // Đơn vị & đoàn viên: the officer's unit, then a member found by name.
    client
        .find(Locator::Css("header nav a[href=\"/org\"]"))
        .await
        .expect("units tab")
        .click()
        .await
        .expect("open units");
    let unit = client
        .wait()
        .for_element(Locator::Css("#unit-name"))
        .await
        .expect("unit name")
        .text()
        .await
        .expect("text");
    assert!(unit.contains("Công ty May"), "{unit}");
    client
        .find(Locator::Css("#search"))
        .await
        .expect("search box")
        .send_keys("hoa")
        .await
        .expect("type");
    client
        .find(Locator::Css("form[role=\"search\"] button"))
        .await
        .expect("search button")
        .click()
        .await
        .expect("search");
    // The click starts a navigation: until the results page replaces the list, the old
    // one is still there (or already stale), so read until the results show.
    let mut found = String::new();
    for _ in 0..100 {
        if let Ok(list) = client.find(Locator::Css("#member-list")).await
            && let Ok(text) = list.text().await
        {
            found = text;
            if found.contains("Công nhân Hoa") {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(found.contains("Công nhân Hoa"), "{found}");
    std::fs::write(dir.join("org.png"), client.screenshot().await.expect("png")).expect("save");

    // `/web thoat` in chat: the browser is signed out.
    t.say(&c.officer, "/web thoat").await;
    client.refresh().await.expect("reload");
    let page = client.source().await.expect("source");
    assert!(page.contains("chưa đăng nhập"), "{page}");

    client.close().await.expect("close browser");
    let _ = chromedriver.kill().await;
    t.finish().await;
}
