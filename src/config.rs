//! Command line and environment, in one clap struct (every setting has an env var).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "congdoan-bot",
    version,
    about = "Chat bot for Vietnam's trade unions (Telegram, Zalo)"
)]
pub struct Cli {
    /// sqlite://FILE (created if missing) or postgres://…
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://congdoan.db",
        global = true
    )]
    pub database_url: String,

    /// Language of command-line output: vi or en.
    #[arg(long, env = "CONGDOAN_LANG", default_value = "vi", global = true)]
    pub lang: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once at start: a large `serve` variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot (Telegram when TELOXIDE_TOKEN is set; the terminal demo otherwise).
    Serve(ServeArgs),
    /// Create a demo database and chat with the bot in this terminal.
    Demo(DemoArgs),
    /// Apply database migrations.
    Migrate,
    /// The union tree.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Invite codes.
    #[command(subcommand)]
    Invite(InviteCommand),
    /// Incident tips: routing per unit and category.
    #[command(subcommand)]
    Tips(TipsCommand),
    /// Official documents (directives, plans).
    #[command(subcommand)]
    Directive(DirectiveCommand),
    /// Updates the bot could not handle after every try (parked).
    #[command(subcommand)]
    Inbox(InboxCommand),
    /// Write a unit's subtree to a file Excel opens: members, signatures, tips or
    /// delivery reports (anonymous tip reporters stay anonymous).
    Export {
        /// members, signatures, tips or deliveries
        what: String,
        #[arg(long)]
        unit: String,
        /// xlsx or csv (UTF-8 with BOM)
        #[arg(long, default_value = "xlsx")]
        format: String,
        #[arg(long)]
        out: String,
    },
    /// How often a unit's officers get the digest of their subtree (Mondays 08:00, or
    /// every day at 08:00, Asia/Ho_Chi_Minh).
    Digest {
        #[arg(long)]
        unit: String,
        /// weekly, daily or off
        #[arg(long)]
        every: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TipsCommand {
    /// Say whether a unit handles one category of tips, whether the level above gets a
    /// copy at once, and how long before an unacknowledged tip goes up.
    Route {
        #[arg(long)]
        unit: String,
        /// theft, drugs, fight, fire, stranger, vice, labour or other
        #[arg(long)]
        category: String,
        /// yes: this unit's officers take the category; no: it goes past them
        #[arg(long, default_value = "yes")]
        handles: String,
        /// Also tell the officers of the level above at once.
        #[arg(long)]
        notify_parent: bool,
        /// Minutes before an unacknowledged tip goes one level up (default: 120 for
        /// fire, theft, drugs and fights, 1440 otherwise).
        #[arg(long)]
        deadline_minutes: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum InboxCommand {
    /// List parked updates: id, channel, time, error (never what the message said).
    Parked,
    /// Queue a parked update again.
    Retry { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum DirectiveCommand {
    /// Extract number, issuer, date, citations, actions, dates and a phone summary
    /// from a .txt or .docx document.
    Parse {
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Args, Default)]
pub struct ServeArgs {
    #[arg(long, env = "TELOXIDE_TOKEN", hide_env_values = true)]
    pub telegram_token: Option<String>,
    /// Bot API base URL (a local Bot API server, or a test fake).
    #[arg(long, env = "TELOXIDE_API_URL")]
    pub telegram_api_url: Option<String>,
    #[arg(long, env = "ZALO_BOT_TOKEN", hide_env_values = true)]
    pub zalo_token: Option<String>,
    #[arg(long, env = "ZALO_API_URL")]
    pub zalo_api_url: Option<String>,
    /// Messages per second for the whole bot.
    #[arg(long, env = "CONGDOAN_SEND_RATE", default_value_t = 30)]
    pub send_rate: u32,
    /// Address for webhooks, /healthz and /metrics, e.g. 0.0.0.0:8080.
    #[arg(long, env = "CONGDOAN_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Public https base URL; with --listen, Telegram delivers by webhook.
    #[arg(long, env = "CONGDOAN_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Webhook secret token (default: derived from the bot token).
    #[arg(long, env = "CONGDOAN_WEBHOOK_SECRET", hide_env_values = true)]
    pub webhook_secret: Option<String>,
    /// Messages one person may send a minute; the bot skips the rest (0: no limit).
    #[arg(long, env = "CONGDOAN_INBOUND_PER_MIN", default_value_t = 30)]
    pub inbound_per_min: u32,
    /// Tile server of the console's tips map, e.g.
    /// `https://tile.openstreetmap.org/{z}/{x}/{y}.png` (no map when unset).
    #[arg(long, env = "CONGDOAN_MAP_TILES", value_parser = crate::web::map::MapTiles::parse)]
    pub map_tiles: Option<crate::web::map::MapTiles>,
    /// Idle hours before a web console session ends.
    #[arg(long, env = "CONGDOAN_WEB_IDLE_HOURS", default_value_t = crate::web::DEFAULT_IDLE_HOURS,
          value_parser = clap::value_parser!(u32).range(1..=720))]
    pub web_idle_hours: u32,
    /// Messages per second to Zalo.
    #[arg(long, env = "CONGDOAN_ZALO_SEND_RATE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub zalo_send_rate: u32,
    /// Seconds a message claimed by a sender stays its own before another sender may
    /// take it over (several instances on PostgreSQL).
    #[arg(long, env = "CONGDOAN_SEND_LEASE_SECS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub send_lease_secs: u64,
    /// Zalo Official Account: the app id (Zalo for Developers); the OA channel is on
    /// when it is set (webhook only: it needs CONGDOAN_LISTEN).
    #[arg(long, env = "ZALO_OA_APP_ID")]
    pub zalo_oa_app_id: Option<String>,
    /// The app's secret key, sent as `secret_key` when refreshing the access token.
    #[arg(long, env = "ZALO_OA_SECRET_KEY", hide_env_values = true)]
    pub zalo_oa_secret_key: Option<String>,
    /// The OA secret key that signs webhooks (X-ZEvent-Signature).
    #[arg(long, env = "ZALO_OA_WEBHOOK_SECRET", hide_env_values = true)]
    pub zalo_oa_webhook_secret: Option<String>,
    /// The first refresh token (then the bot keeps the rotated ones in the database).
    #[arg(long, env = "ZALO_OA_REFRESH_TOKEN", hide_env_values = true)]
    pub zalo_oa_refresh_token: Option<String>,
    /// OA Open API base URL.
    #[arg(long, env = "ZALO_OA_API_URL", default_value = crate::channels::zalo_oa::DEFAULT_API_URL)]
    pub zalo_oa_api_url: String,
    /// Zalo OAuth base URL (token refresh).
    #[arg(long, env = "ZALO_OA_OAUTH_URL", default_value = crate::channels::zalo_oa::DEFAULT_OAUTH_URL)]
    pub zalo_oa_oauth_url: String,
    /// on: outside the free 48 hours (up to 7 days) send anyway, charged to the union's
    /// Zalo Cloud Account; off: such messages wait until the member writes.
    #[arg(long, env = "ZALO_OA_PAID", default_value = "off",
          value_parser = ["on", "off"])]
    pub zalo_oa_paid: String,
    /// At most this many paid messages a month (Asia/Ho_Chi_Minh months).
    #[arg(long, env = "ZALO_OA_PAID_MONTHLY_CAP", default_value_t = 1000)]
    pub zalo_oa_paid_monthly_cap: u64,
    /// The approved ZNS template for commitment reminders to members outside the free
    /// 48 hours (sent to the phone number they shared with the OA). Off when unset.
    #[arg(long, env = "ZALO_OA_ZNS_TEMPLATE_REMINDER")]
    pub zalo_oa_zns_template_reminder: Option<String>,
    /// ZNS API base URL.
    #[arg(long, env = "ZALO_OA_ZNS_URL", default_value = crate::channels::zalo_oa::DEFAULT_ZNS_URL)]
    pub zalo_oa_zns_url: String,
    /// Seconds a Zalo sender paused by Zalo's quota (its 429) waits before trying again.
    #[arg(long, env = "CONGDOAN_ZALO_QUOTA_RETRY_SECS", default_value_t = 3600,
          value_parser = clap::value_parser!(u64).range(10..=86_400))]
    pub zalo_quota_retry_secs: u64,
}

#[derive(Debug, Clone, Args, Default)]
pub struct DemoArgs {
    /// Where to create the demo database (recreated at each start).
    #[arg(long, env = "CONGDOAN_DEMO_DB", default_value = "congdoan-demo.db")]
    pub file: PathBuf,
    /// Chat as: member, leader, officer or new (asked when not given).
    #[arg(long = "as")]
    pub persona: Option<String>,
    /// Where the officers' console listens during the demo (another free port on the
    /// loopback when this one is taken; "off" for none).
    #[arg(
        long = "web",
        env = "CONGDOAN_DEMO_WEB",
        default_value = "127.0.0.1:8080"
    )]
    pub web: String,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Load or update units from a CSV file with columns code,parent_code,name,kind.
    Import { file: PathBuf },
    /// Print the union tree.
    Tree,
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Create an invite code and its t.me link.
    Create {
        #[arg(long)]
        unit: String,
        /// member, leader or officer
        #[arg(long)]
        role: String,
        /// How many people may join with this code.
        #[arg(long, default_value_t = 1)]
        uses: i64,
        /// Days until the code expires.
        #[arg(long, default_value_t = 7)]
        expires: i64,
        /// The bot's Telegram username, for the link (remembered once `serve` ran).
        #[arg(long, env = "TELEGRAM_BOT_USERNAME")]
        bot_username: Option<String>,
        /// With a token and no username known yet, the link is made by asking getMe.
        #[arg(long, env = "TELOXIDE_TOKEN", hide_env_values = true)]
        telegram_token: Option<String>,
        #[arg(long, env = "TELOXIDE_API_URL")]
        telegram_api_url: Option<String>,
        /// Also write the printable poster (PNG with the link's QR code) to this file.
        #[arg(long)]
        poster: Option<PathBuf>,
    },
}
