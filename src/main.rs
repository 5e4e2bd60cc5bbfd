//! `congdoan-bot`: parse the command line, set up logging, run.

use clap::Parser;
use congdoan_bot::config::{Cli, Command};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::prelude::*;

/// Where the terminal demo writes its log, so log lines don't cut into the chat.
const DEMO_LOG: &str = "congdoan-demo.log";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"))
    };
    let demo_log = opens_the_demo(&cli)
        .then(|| std::fs::File::create(DEMO_LOG).ok())
        .flatten();
    match demo_log {
        Some(file) => {
            // The demo: everything to the file, only warnings and errors on screen.
            tracing_subscriber::registry()
                .with(
                    tracing_subscriber::fmt::layer()
                        .with_writer(std::sync::Mutex::new(file))
                        .with_ansi(false)
                        .with_filter(filter()),
                )
                .with(
                    tracing_subscriber::fmt::layer()
                        .with_writer(std::io::stderr)
                        .with_filter(LevelFilter::WARN),
                )
                .init();
        }
        None => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .init(),
    }
    // A panic's message can quote what someone sent: log where it happened, not what.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(at, "panic (its update or message fails alone)");
    }));
    congdoan_bot::cli::run(cli).await
}

/// Whether this run is the terminal demo (`demo`, or `serve` without any token).
fn opens_the_demo(cli: &Cli) -> bool {
    let no_token = |name: &str| std::env::var(name).map_or(true, |v| v.is_empty());
    match &cli.command {
        Some(Command::Demo(_)) => true,
        Some(Command::Serve(a)) => {
            a.telegram_token.is_none() && a.zalo_token.is_none() && a.zalo_oa_app_id.is_none()
        }
        None => {
            no_token("TELOXIDE_TOKEN") && no_token("ZALO_BOT_TOKEN") && no_token("ZALO_OA_APP_ID")
        }
        Some(_) => false,
    }
}
