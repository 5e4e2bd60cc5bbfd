//! 10,000 inbound `/start CODE` updates through the durable inbox and the core, as the
//! Telegram poller stores them (batches of 100) and the processor handles them (one
//! transaction per update). Prints updates/s and peak RSS.
//!
//!     cargo bench --bench inbox                      # SQLite
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/postgres cargo bench --bench inbox

use std::sync::Arc;
use std::time::Instant;

mod common;

use common::peak_rss_mb;
use congdoan_bot::core::domain::{InviteCode, Role, UnitCode};
use congdoan_bot::core::event::{Channel, ChatKind, InboundEvent, Payload, Person};
use congdoan_bot::i18n::I18n;
use congdoan_bot::org::parse_units_csv;
use congdoan_bot::processor::Processor;
use congdoan_bot::store::Store;
use tokio::sync::Notify;

const UPDATES: usize = 10_000;

async fn run(label: &str, url: &str) -> anyhow::Result<()> {
    let store = Store::open(url).await?;
    let csv = "code,parent_code,name,kind\nTLD,,Tổng Liên đoàn,tong\nCS,TLD,Công đoàn cơ sở,cdcs\n";
    store
        .import_units(&parse_units_csv(csv.as_bytes())?)
        .await?;
    let unit = store
        .unit_by_code(&UnitCode::parse("CS")?)
        .await?
        .map(|u| u.id)
        .unwrap_or(0);
    let code: InviteCode = store
        .create_invite(unit, Role::Member, UPDATES as i64, None)
        .await?
        .code;
    let events: Vec<InboundEvent> = (0..UPDATES)
        .map(|i| InboundEvent {
            channel: Channel::Telegram,
            update_id: i.to_string(),
            chat_id: (1_000_000 + i).to_string(),
            chat_kind: ChatKind::Private,
            from: Some(Person {
                id: (1_000_000 + i).to_string(),
                display_name: format!("Công nhân {i}"),
                username: None,
                lang_hint: Some("vi".into()),
            }),
            payload: Payload::Text {
                text: format!("/start {}", code.as_str()),
            },
            sent_at: None,
        })
        .collect();

    let t0 = Instant::now();
    for batch in events.chunks(100) {
        store.inbox_insert_all(batch).await?;
    }
    let ingest = t0.elapsed();

    let processor = Processor {
        store: store.clone(),
        i18n: Arc::new(I18n::new()),
        inbox_ready: Arc::new(Notify::new()),
        outbox_ready: Arc::new(Notify::new()),
        files: vec![],
        inbound_limit: None,
        started_at: congdoan_bot::core::time::now_ms(),
        retry_base_ms: 1000,
        panic_on_text: None,
    };
    let t1 = Instant::now();
    let mut done = 0;
    while done < UPDATES {
        let n = processor.drain_once().await?;
        if n == 0 {
            break;
        }
        done += n;
    }
    let process = t1.elapsed();
    let replies: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(store.pool())
        .await?;
    anyhow::ensure!(
        done == UPDATES && replies == UPDATES as i64,
        "processed {done}, replies {replies}"
    );

    let total = ingest + process;
    println!(
        "{label}: {UPDATES} /start updates | ingest {:.0} updates/s ({:.2} s) | inbox+core {:.0} updates/s ({:.2} s) | end to end {:.0} updates/s | peak RSS {:.1} MB",
        UPDATES as f64 / ingest.as_secs_f64(),
        ingest.as_secs_f64(),
        UPDATES as f64 / process.as_secs_f64(),
        process.as_secs_f64(),
        UPDATES as f64 / total.as_secs_f64(),
        peak_rss_mb(),
    );
    store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    run("sqlite", &sqlite).await?;
    if let Ok(admin_url) = std::env::var("BENCH_DATABASE_URL") {
        let name = "congdoan_bench_inbox";
        let url = common::fresh_postgres(&admin_url, name).await?;
        run("postgres", &url).await?;
        common::drop_postgres(&admin_url, name).await?;
    }
    Ok(())
}
