//! The command line: one error type for this boundary, rendered in the user's language.

use std::process::ExitCode;

use chrono::Duration;

use crate::app::{self, ServeConfig};
use crate::config::{
    Cli, Command, DemoArgs, DirectiveCommand, InboxCommand, InviteCommand, OrgCommand, ServeArgs,
    TipsCommand,
};
use crate::core::conversation::SUMMARY_MAX_CHARS;
use crate::core::digest::DigestEvery;
use crate::core::directive::{self, Directive, ParseError, SummaryLabels};
use crate::core::domain::{Lang, Role, UnitCode};
use crate::core::time::{format_date_time, now_ms};
use crate::core::tip::Category;
use crate::i18n::I18n;
use crate::org::{OrgCsvError, parse_units_csv};
use crate::reports::export::{to_csv, to_xlsx};
use crate::reports::{CLI_EXPORT_MAX_ROWS, ExportFormat, ExportKind};
use crate::store::reports::{export_rows, export_table};
use crate::store::units::ImportError;
use crate::store::{Store, StoreError};
use crate::tr;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Csv(#[from] OrgCsvError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("cannot read {path}: {error}")]
    File { path: String, error: std::io::Error },
    #[error("unknown unit {0}")]
    UnknownUnit(String),
    #[error("bad role")]
    BadRole,
    #[error("bad uses")]
    BadUses,
    #[error("bad expiry")]
    BadExpires,
    #[error("bad tip route")]
    BadTipRoute,
    #[error("bad export")]
    BadExport,
    #[error("export too big: {rows} rows")]
    ExportTooBig { rows: i64 },
    #[error("bad digest setting")]
    BadDigest,
    #[error("not a parked update: {0}")]
    NotParked(i64),
    #[error("{0:#}")]
    Serve(anyhow::Error),
    #[error(transparent)]
    Directive(#[from] ParseError),
}

impl CliError {
    fn render(&self, i18n: &I18n, lang: Lang) -> String {
        use OrgCsvError as C;
        match self {
            CliError::Store(e) => tr!(i18n, lang, "cli-err-db", error = e.to_string()),
            CliError::File { path, error } => {
                tr!(
                    i18n,
                    lang,
                    "cli-err-file",
                    path = path.as_str(),
                    error = error.to_string()
                )
            }
            CliError::Csv(e) => match e {
                C::TooLarge => i18n.s(lang, "cli-err-csv-too-large"),
                C::MissingColumns(c) => {
                    tr!(i18n, lang, "cli-err-csv-columns", columns = c.as_str())
                }
                C::Unreadable { line, message } => {
                    tr!(
                        i18n,
                        lang,
                        "cli-err-csv-unreadable",
                        line = *line as i64,
                        error = message.as_str()
                    )
                }
                C::BadCode { line, value } => {
                    tr!(
                        i18n,
                        lang,
                        "cli-err-csv-code",
                        line = *line as i64,
                        value = value.as_str()
                    )
                }
                C::BadParent { line, value } => {
                    tr!(
                        i18n,
                        lang,
                        "cli-err-csv-parent",
                        line = *line as i64,
                        value = value.as_str()
                    )
                }
                C::BadName { line } => tr!(i18n, lang, "cli-err-csv-name", line = *line as i64),
                C::BadKind { line } => tr!(i18n, lang, "cli-err-csv-kind", line = *line as i64),
                C::Duplicate { line, code } => {
                    tr!(
                        i18n,
                        lang,
                        "cli-err-csv-duplicate",
                        line = *line as i64,
                        code = code.as_str()
                    )
                }
                C::OwnParent { line, code } => {
                    tr!(
                        i18n,
                        lang,
                        "cli-err-csv-own-parent",
                        line = *line as i64,
                        code = code.as_str()
                    )
                }
                C::Empty => i18n.s(lang, "cli-err-csv-empty"),
            },
            CliError::Import(ImportError::UnknownParent { code, parent }) => {
                tr!(
                    i18n,
                    lang,
                    "cli-err-unknown-parent",
                    code = code.as_str(),
                    parent = parent.as_str()
                )
            }
            CliError::Import(ImportError::Cycle { code }) => {
                tr!(i18n, lang, "cli-err-cycle", code = code.as_str())
            }
            CliError::Import(ImportError::Store(e)) => {
                tr!(i18n, lang, "cli-err-db", error = e.to_string())
            }
            CliError::UnknownUnit(code) => {
                tr!(i18n, lang, "cli-err-unit-not-found", code = code.as_str())
            }
            CliError::BadRole => i18n.s(lang, "cli-err-role"),
            CliError::BadUses => i18n.s(lang, "cli-err-uses"),
            CliError::BadExpires => i18n.s(lang, "cli-err-expires"),
            CliError::BadExport => i18n.s(lang, "cli-err-export"),
            CliError::ExportTooBig { rows } => tr!(
                i18n,
                lang,
                "cli-err-export-too-big",
                rows = *rows,
                max = CLI_EXPORT_MAX_ROWS
            ),
            CliError::BadDigest => i18n.s(lang, "cli-err-digest"),
            CliError::NotParked(id) => tr!(i18n, lang, "cli-err-not-parked", id = *id),
            CliError::BadTipRoute => i18n.s(lang, "cli-err-tip-route"),
            CliError::Serve(e) => tr!(i18n, lang, "cli-err-serve", error = format!("{e:#}")),
            CliError::Directive(e) => directive_error(i18n, lang, e),
        }
    }
}

pub async fn run(cli: Cli) -> ExitCode {
    let lang = Lang::parse(&cli.lang).unwrap_or_default();
    let i18n = I18n::new();
    let command = cli
        .command
        .unwrap_or(Command::Serve(ServeArgs::default_from_env()));
    match dispatch(&cli.database_url, command, &i18n, lang).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", e.render(&i18n, lang));
            ExitCode::FAILURE
        }
    }
}

impl ServeArgs {
    /// `congdoan-bot` with no subcommand means `serve`, with settings from the env.
    fn default_from_env() -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            serve: ServeArgs,
        }
        Only::try_parse_from(["congdoan-bot"])
            .map(|o| o.serve)
            .unwrap_or_default()
    }
}

async fn dispatch(
    database_url: &str,
    command: Command,
    i18n: &I18n,
    lang: Lang,
) -> Result<(), CliError> {
    match command {
        Command::Serve(args) => serve(database_url, args, i18n, lang).await,
        Command::Demo(args) => crate::demo::run_terminal(args, i18n, lang)
            .await
            .map_err(CliError::Serve),
        Command::Migrate => {
            Store::open(database_url).await?;
            println!("{}", i18n.s(lang, "cli-migrated"));
            Ok(())
        }
        Command::Org(OrgCommand::Import { file }) => {
            let f = std::fs::File::open(&file).map_err(|error| CliError::File {
                path: file.display().to_string(),
                error,
            })?;
            let records = parse_units_csv(f)?;
            let store = Store::open(database_url).await?;
            let report = store.import_units(&records).await?;
            println!(
                "{}",
                tr!(
                    i18n,
                    lang,
                    "cli-import-done",
                    total = records.len() as i64,
                    created = report.created as i64,
                    updated = report.updated as i64,
                    unchanged = report.unchanged as i64
                )
            );
            Ok(())
        }
        Command::Org(OrgCommand::Tree) => {
            let store = Store::open(database_url).await?;
            print!("{}", render_tree(&store, i18n, lang).await?);
            Ok(())
        }
        Command::Export {
            what,
            unit,
            format,
            out,
        } => {
            let what = ExportKind::parse(what.trim()).ok_or(CliError::BadExport)?;
            let format = ExportFormat::parse(format.trim()).ok_or(CliError::BadExport)?;
            let code = UnitCode::parse(&unit).map_err(|_| CliError::UnknownUnit(unit.clone()))?;
            let store = Store::open(database_url).await?;
            let Some(u) = store.unit_by_code(&code).await? else {
                return Err(CliError::UnknownUnit(unit));
            };
            let mut conn = store.pool().acquire().await.map_err(StoreError::from)?;
            let rows = export_rows(&mut conn, what, &u.path).await?;
            if rows > CLI_EXPORT_MAX_ROWS {
                return Err(CliError::ExportTooBig { rows });
            }
            let table = export_table(&mut conn, i18n, lang, what, &u.path).await?;
            if what == ExportKind::Tips {
                crate::store::tips::record_export(
                    &mut conn,
                    None,
                    u.id,
                    table.rows.len() as i64,
                    now_ms(),
                )
                .await?;
            }
            drop(conn);
            let bytes = match format {
                ExportFormat::Xlsx => to_xlsx(&table),
                ExportFormat::Csv => to_csv(&table),
            }
            .map_err(|_| CliError::BadExport)?;
            std::fs::write(&out, bytes).map_err(|error| CliError::File {
                path: out.clone(),
                error,
            })?;
            println!(
                "{}",
                tr!(
                    i18n,
                    lang,
                    "cli-exported",
                    rows = table.rows.len() as i64,
                    path = out.as_str()
                )
            );
            store.close().await;
            Ok(())
        }
        Command::Digest { unit, every } => {
            let every = DigestEvery::parse(&every).ok_or(CliError::BadDigest)?;
            let code = UnitCode::parse(&unit).map_err(|_| CliError::UnknownUnit(unit.clone()))?;
            let store = Store::open(database_url).await?;
            let Some(u) = store.unit_by_code(&code).await? else {
                return Err(CliError::UnknownUnit(unit));
            };
            store.set_digest_every(u.id, every).await?;
            println!(
                "{}",
                tr!(
                    i18n,
                    lang,
                    "cli-digest-set",
                    unit = u.name.as_str(),
                    every = i18n.s(lang, &format!("cli-digest-{}", every.as_str()))
                )
            );
            store.close().await;
            Ok(())
        }
        Command::Inbox(InboxCommand::Parked) => {
            let store = Store::open(database_url).await?;
            let parked = store.inbox_parked(1000).await?;
            if parked.is_empty() {
                println!("{}", i18n.s(lang, "cli-inbox-none"));
            }
            for p in parked {
                println!(
                    "{}",
                    tr!(
                        i18n,
                        lang,
                        "cli-inbox-parked-line",
                        id = p.id,
                        channel = p.channel.as_str(),
                        time = format_date_time(p.received_at),
                        attempts = p.attempts,
                        error = p.error.unwrap_or_default()
                    )
                );
            }
            store.close().await;
            Ok(())
        }
        Command::Inbox(InboxCommand::Retry { id }) => {
            let store = Store::open(database_url).await?;
            let queued = store.inbox_retry(id).await?;
            store.close().await;
            if !queued {
                return Err(CliError::NotParked(id));
            }
            println!("{}", tr!(i18n, lang, "cli-inbox-retried", id = id));
            Ok(())
        }
        Command::Tips(TipsCommand::Route {
            unit,
            category,
            handles,
            notify_parent,
            deadline_minutes,
        }) => {
            let category = Category::parse(category.trim()).ok_or(CliError::BadTipRoute)?;
            let handles = match handles.trim().to_lowercase().as_str() {
                "yes" | "co" | "có" | "true" | "1" => true,
                "no" | "khong" | "không" | "false" | "0" => false,
                _ => return Err(CliError::BadTipRoute),
            };
            if deadline_minutes.is_some_and(|m| !(5..=7 * 24 * 60).contains(&m)) {
                return Err(CliError::BadTipRoute);
            }
            let code = UnitCode::parse(&unit).map_err(|_| CliError::UnknownUnit(unit.clone()))?;
            let store = Store::open(database_url).await?;
            let Some(u) = store.unit_by_code(&code).await? else {
                return Err(CliError::UnknownUnit(unit));
            };
            store
                .set_tip_route(u.id, category, handles, notify_parent, deadline_minutes)
                .await?;
            let minutes = deadline_minutes.unwrap_or(category.default_deadline_minutes());
            let key = if handles {
                "cli-tip-route-handles"
            } else {
                "cli-tip-route-passes"
            };
            println!(
                "{}",
                tr!(
                    i18n,
                    lang,
                    key,
                    unit = format!("{} ({})", u.name, u.code),
                    category = i18n.s(lang, &category.label_id()),
                    minutes = minutes,
                    parent = i18n.s(
                        lang,
                        if notify_parent {
                            "cli-tip-route-parent-yes"
                        } else {
                            "cli-tip-route-parent-no"
                        }
                    )
                )
            );
            Ok(())
        }
        Command::Directive(DirectiveCommand::Parse { file, json }) => {
            let bytes = std::fs::read(&file).map_err(|error| CliError::File {
                path: file.display().to_string(),
                error,
            })?;
            let d = directive::parse_bytes(&bytes)?;
            if json {
                let (a, b, c) = summary_labels(i18n, lang);
                let summary = d.summary(
                    &SummaryLabels {
                        actions: &a,
                        dates: &b,
                        report: &c,
                    },
                    SUMMARY_MAX_CHARS,
                );
                let mut value = serde_json::to_value(&d).unwrap_or_default();
                value["summary"] = serde_json::Value::String(summary);
                println!(
                    "{}",
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                );
            } else {
                println!("{}", render_directive(&d, i18n, lang));
            }
            Ok(())
        }
        Command::Invite(InviteCommand::Create {
            unit,
            role,
            uses,
            expires,
            bot_username,
            telegram_token,
            telegram_api_url,
            poster,
        }) => {
            let role = Role::parse(&role).map_err(|_| CliError::BadRole)?;
            if !(1..=100_000).contains(&uses) {
                return Err(CliError::BadUses);
            }
            if !(1..=365).contains(&expires) {
                return Err(CliError::BadExpires);
            }
            let code = UnitCode::parse(&unit).map_err(|_| CliError::UnknownUnit(unit.clone()))?;
            let store = Store::open(database_url).await?;
            let Some(u) = store.unit_by_code(&code).await? else {
                return Err(CliError::UnknownUnit(unit));
            };
            let expires_at = now_ms() + Duration::days(expires).num_milliseconds();
            let invite = store
                .create_invite(u.id, role, uses, Some(expires_at))
                .await?;
            let role_name = i18n.s(
                lang,
                match role {
                    Role::Member => "role-member",
                    Role::Leader => "role-leader",
                    Role::Officer => "role-officer",
                    Role::Liaison => "role-liaison",
                },
            );
            println!(
                "{}",
                tr!(
                    i18n,
                    lang,
                    "cli-invite-created",
                    code = invite.code.grouped(),
                    unit = format!("{} ({})", u.name, u.code),
                    role = role_name,
                    uses = uses,
                    expires = format_date_time(expires_at)
                )
            );
            let mut username = match bot_username {
                Some(u) => Some(u),
                None => store.setting("telegram_username").await?,
            };
            if username.is_none()
                && let Some(token) = &telegram_token
            {
                // `serve` has not run yet: ask Telegram who the bot is, and remember it.
                username = bot_username_from_telegram(token, telegram_api_url.as_deref()).await;
                match &username {
                    Some(name) => store.set_setting("telegram_username", name).await?,
                    None => eprintln!("{}", i18n.s(lang, "cli-invite-getme-failed")),
                }
            }
            if let Some(file) = &poster {
                let link = username.as_ref().map(|name| {
                    format!(
                        "https://t.me/{}?start={}",
                        name.trim_start_matches('@'),
                        invite.code.as_str()
                    )
                });
                let png = crate::officer::poster(
                    i18n,
                    &u.name,
                    &invite.code,
                    link.as_deref(),
                    expires_at,
                );
                if let Some(png) = png {
                    std::fs::write(file, png).map_err(|error| CliError::File {
                        path: file.display().to_string(),
                        error,
                    })?;
                    println!(
                        "{}",
                        tr!(
                            i18n,
                            lang,
                            "cli-invite-poster",
                            file = file.display().to_string()
                        )
                    );
                }
            }
            match username {
                Some(name) => {
                    let link = format!(
                        "https://t.me/{}?start={}",
                        name.trim_start_matches('@'),
                        invite.code.as_str()
                    );
                    println!("{}", tr!(i18n, lang, "cli-invite-link", link = link));
                }
                None => println!("{}", i18n.s(lang, "cli-invite-no-username")),
            }
            println!(
                "{}",
                tr!(i18n, lang, "cli-invite-zalo", code = invite.code.as_str())
            );
            Ok(())
        }
    }
}

/// The bot's username from Telegram's getMe (10 seconds at most), `None` on any failure.
async fn bot_username_from_telegram(token: &str, api_url: Option<&str>) -> Option<String> {
    use teloxide::requests::Requester;
    let bot = crate::channels::telegram::make_bot(token, api_url).ok()?;
    let me = tokio::time::timeout(std::time::Duration::from_secs(10), bot.get_me())
        .await
        .ok()?
        .ok()?;
    me.user.username.clone()
}

/// Why a document could not be read, in the user's language.
pub fn directive_error(i18n: &I18n, lang: Lang, e: &ParseError) -> String {
    match e {
        ParseError::Empty => i18n.s(lang, "directive-err-empty"),
        ParseError::TooLarge { bytes } => tr!(
            i18n,
            lang,
            "directive-err-too-large",
            size = format!("{:.1}", *bytes as f64 / 1_000_000.0),
            max = (directive::MAX_INPUT_BYTES / 1_000_000) as i64
        ),
        ParseError::NotText => i18n.s(lang, "directive-err-not-text"),
        ParseError::NotADirective => i18n.s(lang, "directive-err-not-directive"),
    }
}

fn summary_labels(i18n: &I18n, lang: Lang) -> (String, String, String) {
    (
        i18n.s(lang, "summary-actions"),
        i18n.s(lang, "summary-dates"),
        i18n.s(lang, "summary-report"),
    )
}

fn render_directive(d: &Directive, i18n: &I18n, lang: Lang) -> String {
    let date = |x: &Option<chrono::NaiveDate>| x.map(|d| d.format("%-d/%-m/%Y").to_string());
    let line = |key: &str, value: String| format!("{}: {value}", i18n.s(lang, key));
    let mut out = Vec::new();
    if let Some(own) = &d.own {
        out.push(line(
            "directive-own",
            format!("{} {}", own.kind, own.number),
        ));
    }
    if let Some(issuer) = &d.issuer {
        out.push(line("directive-issuer", issuer.clone()));
    }
    let place_date: Vec<String> = [d.place.clone(), date(&d.date)]
        .into_iter()
        .flatten()
        .collect();
    if !place_date.is_empty() {
        out.push(line("directive-place-date", place_date.join(", ")));
    }
    if let Some(subject) = &d.subject {
        out.push(line("directive-subject", subject.clone()));
    }
    if !d.addressees.is_empty() {
        out.push(format!("{}:", i18n.s(lang, "directive-addressees")));
        out.extend(d.addressees.iter().map(|a| format!("  - {a}")));
    }
    out.push(format!(
        "{} ({}):",
        i18n.s(lang, "directive-citations"),
        d.citations.len()
    ));
    for c in &d.citations {
        let mut s = format!("  - {} {}", c.kind, c.number);
        if let Some(day) = date(&c.date) {
            s.push_str(&format!(" ({day})"));
        }
        if let Some(issuer) = &c.issuer {
            s.push_str(&format!(" — {issuer}"));
        }
        out.push(s);
    }
    out.push(format!(
        "{} ({}):",
        i18n.s(lang, "directive-actions"),
        d.actions.len()
    ));
    out.extend(
        d.actions
            .iter()
            .enumerate()
            .map(|(i, a)| format!("  {}. {a}", i + 1)),
    );
    if !d.events.is_empty() {
        out.push(format!("{}:", i18n.s(lang, "directive-events")));
        for e in &d.events {
            let year = e.year.map(|y| format!("/{y}")).unwrap_or_default();
            out.push(format!("  - {}/{}{year} — {}", e.day, e.month, e.label));
        }
    }
    if let Some(r) = &d.reporting {
        out.push(line("directive-reporting", r.clone()));
    }
    let (a, b, c) = summary_labels(i18n, lang);
    let summary = d.summary(
        &SummaryLabels {
            actions: &a,
            dates: &b,
            report: &c,
        },
        SUMMARY_MAX_CHARS,
    );
    out.push(String::new());
    out.push(tr!(
        i18n,
        lang,
        "directive-summary",
        chars = summary.chars().count() as i64
    ));
    out.push(summary);
    out.join("\n")
}

async fn serve(
    database_url: &str,
    args: ServeArgs,
    i18n: &I18n,
    lang: Lang,
) -> Result<(), CliError> {
    if args.telegram_token.is_none() && args.zalo_token.is_none() && args.zalo_oa_app_id.is_none() {
        eprintln!("{}", i18n.s(lang, "cli-serve-no-channel"));
        return crate::demo::run_terminal(DemoArgs::default_from_env(), i18n, lang)
            .await
            .map_err(CliError::Serve);
    }
    let zalo_oa =
        crate::channels::zalo_oa::ZaloOaConfig::from_args(&args).map_err(CliError::Serve)?;
    let console_on_loopback = args.public_url.is_none();
    let cfg = ServeConfig {
        telegram_token: args.telegram_token,
        telegram_api_url: args.telegram_api_url,
        zalo_token: args.zalo_token,
        zalo_api_url: args.zalo_api_url,
        send_rate: args.send_rate,
        listen: args.listen,
        public_url: args.public_url,
        webhook_secret: args.webhook_secret,
        inbound_per_min: args.inbound_per_min,
        web_idle_hours: args.web_idle_hours,
        map_tiles: args.map_tiles,
        zalo_send_rate: args.zalo_send_rate,
        send_lease: std::time::Duration::from_secs(args.send_lease_secs),
        zalo_quota_retry: std::time::Duration::from_secs(args.zalo_quota_retry_secs),
        zalo_oa,
        ..ServeConfig::new(database_url)
    };
    let running = app::start(cfg).await.map_err(CliError::Serve)?;
    eprintln!("{}", i18n.s(lang, "cli-serve-running"));
    // Without a public URL the console is only for this machine: say where it is.
    if let (true, Some(addr)) = (console_on_loopback, running.http_addr) {
        let base = crate::web::base_url(None, addr);
        eprintln!("{}", tr!(i18n, lang, "cli-serve-console", url = base));
    }
    if let Some(crate::channels::zalo::WebhookCheck::Unreachable(detail)) = &running.zalo_webhook {
        eprintln!(
            "{}",
            tr!(
                i18n,
                lang,
                "cli-zalo-webhook-unreachable",
                detail = detail.as_str()
            )
        );
    }
    app::shutdown_signal().await;
    eprintln!("{}", i18n.s(lang, "cli-serve-stopping"));
    running.stop().await;
    Ok(())
}

impl DemoArgs {
    fn default_from_env() -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            demo: DemoArgs,
        }
        Only::try_parse_from(["congdoan-bot"])
            .map(|o| o.demo)
            .unwrap_or_default()
    }
}

/// The tree as indented lines: code, name, kind, members directly in the unit.
pub async fn render_tree(store: &Store, i18n: &I18n, lang: Lang) -> Result<String, StoreError> {
    let units = store.units().await?;
    if units.is_empty() {
        return Ok(format!("{}\n", i18n.s(lang, "cli-tree-empty")));
    }
    let counts = store.member_counts().await?;
    let mut out = String::new();
    for u in units {
        let n = counts.get(&u.id).copied().unwrap_or(0);
        let members = if n > 0 {
            format!(" · {}", tr!(i18n, lang, "cli-tree-members", count = n))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{}{}  {} [{}]{}\n",
            "  ".repeat(u.depth.max(0) as usize),
            u.code,
            u.name,
            u.kind,
            members
        ));
    }
    Ok(out)
}
