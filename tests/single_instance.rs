//! SQLite serves one process: a second `serve` on the same file is refused with a clear
//! message, and the first one's stop (or crash) frees it.

use congdoan_bot::app::{self, ServeConfig};

#[tokio::test]
async fn a_second_instance_on_one_sqlite_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bot.db").display());
    let first = app::start(ServeConfig::new(&url)).await.expect("first");
    let err = match app::start(ServeConfig::new(&url)).await {
        Ok(_) => panic!("two instances on one SQLite file"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("một bot khác đang chạy"), "{err}");
    assert!(err.contains("PostgreSQL"), "{err}");
    // Another file is another bot.
    let other = format!("sqlite://{}", dir.path().join("other.db").display());
    let beside = app::start(ServeConfig::new(&other))
        .await
        .expect("other file");
    beside.stop().await;

    first.stop().await;
    let again = app::start(ServeConfig::new(&url))
        .await
        .expect("after a stop");
    // A crash (here: every task aborted) frees it too; kill -9 of the real binary is
    // covered by the broadcast crash test, which restarts on the same file.
    again.kill().await;
    let after_crash = app::start(ServeConfig::new(&url))
        .await
        .expect("after a crash");
    after_crash.stop().await;
}
