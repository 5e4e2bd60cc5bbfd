//! `demo`: a fresh SQLite database with a small union tree, and a chat with the bot in
//! the terminal as a member, a leader, an officer or a newcomer. Messages go through
//! the same inbox, core and outbox as on Telegram; only the channel is the terminal.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::sync::Notify;

use crate::channels::DeliveryOutcome;
use crate::channels::console::{ConsoleTransport, Output};
use crate::config::DemoArgs;
use crate::core::domain::{InviteCode, Lang, Role, UnitCode};
use crate::core::event::{Channel, ChatKind, InboundEvent, Payload, Person};
use crate::core::time::now_ms;
use crate::i18n::I18n;
use crate::org::parse_units_csv;
use crate::processor::Processor;
use crate::store::outbox::Delivery;
use crate::store::{Store, members};
use crate::tr;

pub const DEMO_UNITS_CSV: &str = "code,parent_code,name,kind
TLD,,Tổng Liên đoàn Lao động Việt Nam,tong_ldld
HCM,TLD,Liên đoàn Lao động Thành phố Hồ Chí Minh,ldld_tinh
KCX-TT,HCM,Công đoàn Khu chế xuất Tân Thuận,cd_kcn
CDCS-MAYABC,KCX-TT,Công đoàn cơ sở Công ty TNHH May ABC,cdcs
TTQ-01,CDCS-MAYABC,Tổ tự quản khu nhà trọ công nhân số 1,to_tu_quan
TTQ-02,CDCS-MAYABC,Tổ tự quản khu nhà trọ công nhân số 2,to_tu_quan
";

/// The demo's commitment: its first line is its title.
const DEMO_COMMITMENT: &str = "Cam kết giữ khu nhà trọ an toàn, không tội phạm và tệ nạn
1. Không tàng trữ, sử dụng, mua bán ma tuý.
2. Báo ngay cho tổ trưởng khi thấy người lạ khả nghi.
3. Không câu mắc điện tuỳ tiện; tắt bếp, rút điện khi ra khỏi phòng.";

/// A short sample letter in the style of the real ones, for the demo's directive.
pub const DEMO_DIRECTIVE: &str = "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HỒ CHÍ MINH
CÔNG ĐOÀN KHU CHẾ XUẤT TÂN THUẬN
Số: 63/KH-CĐKCX
V/v hưởng ứng Ngày hội toàn dân bảo vệ an ninh Tổ quốc năm 2026
Thành phố Hồ Chí Minh, ngày 20 tháng 7 năm 2026

Kính gửi:
- Các Công đoàn cơ sở trực thuộc;
- Các Tổ tự quản khu nhà trọ công nhân.

Thực hiện Chỉ thị số 09-CT/TW ngày 01/12/2011 của Ban Bí thư và Kế hoạch số 414/KH-UBND ngày 07/3/2026, Công đoàn Khu chế xuất yêu cầu các cấp công đoàn thực hiện các nội dung sau:

1. Tuyên truyền đến toàn thể đoàn viên, công nhân về Ngày hội toàn dân bảo vệ an ninh Tổ quốc (ngày 19/8).
2. Vận động 100% công nhân ký cam kết thực hiện tiêu chuẩn “An toàn về an ninh, trật tự”.
3. Các tổ tự quản khu nhà trọ kịp thời báo tin về trộm cắp, ma túy, cháy nổ cho công đoàn cơ sở.

Các đơn vị báo cáo kết quả về Ban Tuyên giáo Công đoàn Khu chế xuất trước ngày 25/8/2026.
";

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ",
];
const GIVEN: &[&str] = &[
    "Văn An",
    "Thị Bình",
    "Minh Châu",
    "Thị Dung",
    "Văn Đức",
    "Thu Hà",
    "Quốc Huy",
    "Thị Lan",
    "Văn Long",
    "Thị Mai",
    "Hữu Nam",
    "Thị Ngọc",
    "Văn Phúc",
    "Thị Quyên",
    "Đức Sơn",
    "Thị Thảo",
    "Văn Tùng",
    "Thị Uyên",
    "Văn Vinh",
    "Thị Xuân",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persona {
    Member,
    Leader,
    Officer,
    New,
}

impl Persona {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "1" | "member" => Some(Persona::Member),
            "2" | "leader" => Some(Persona::Leader),
            "3" | "officer" => Some(Persona::Officer),
            "4" | "new" => Some(Persona::New),
            _ => None,
        }
    }

    fn chat_id(self) -> &'static str {
        match self {
            Persona::Member => "demo-member",
            Persona::Leader => "demo-leader",
            Persona::Officer => "demo-officer",
            Persona::New => "demo-new",
        }
    }

    fn label_id(self) -> &'static str {
        match self {
            Persona::Member => "demo-persona-member",
            Persona::Leader => "demo-persona-leader",
            Persona::Officer => "demo-persona-officer",
            Persona::New => "demo-persona-new",
        }
    }
}

pub struct DemoWorld {
    pub units: usize,
    pub members: usize,
    /// A member invite to TTQ-02 for the newcomer persona.
    pub invite: InviteCode,
}

/// Fill an empty database with the demo tree, 20 members of each role, the three
/// persona accounts and an invite.
pub async fn seed(store: &Store) -> anyhow::Result<DemoWorld> {
    let records = parse_units_csv(DEMO_UNITS_CSV.as_bytes())?;
    store.import_units(&records).await?;
    let unit = |code: &str| {
        let store = store.clone();
        let code = code.to_string();
        async move {
            let c = UnitCode::parse(&code)?;
            store
                .unit_by_code(&c)
                .await?
                .map(|u| u.id)
                .with_context(|| format!("demo unit {code} missing"))
        }
    };
    let ttq1 = unit("TTQ-01").await?;
    let ttq2 = unit("TTQ-02").await?;
    let cdcs = unit("CDCS-MAYABC").await?;
    let kcx = unit("KCX-TT").await?;
    let now = now_ms();
    let mut tx = store.begin().await?;
    let mut n = 0usize;
    let mut kcx_officer = None;
    for (role, units) in [
        (Role::Member, [ttq1, ttq2, cdcs]),
        (Role::Leader, [ttq1, ttq2, cdcs]),
        (Role::Officer, [cdcs, kcx, cdcs]),
    ] {
        for i in 0..20 {
            let name = format!(
                "{} {}",
                FAMILY[(i + n) % FAMILY.len()],
                GIVEN[i % GIVEN.len()]
            );
            let id = format!("seed-{n}");
            let member_id = members::create(
                &mut tx,
                &members::NewMember {
                    unit_id: units[i % units.len()],
                    role,
                    display_name: &name,
                    username: None,
                    lang: Lang::Vi,
                    invite_code: None,
                    channel: Channel::Console.as_str(),
                    external_id: &id,
                    chat_id: &id,
                },
                now,
            )
            .await?;
            if role == Role::Officer && units[i % units.len()] == kcx {
                kcx_officer.get_or_insert(member_id);
            }
            n += 1;
        }
    }
    for (persona, unit_id, role, name) in [
        (Persona::Member, ttq1, Role::Member, "Nguyễn Thị Hoa"),
        (Persona::Leader, ttq1, Role::Leader, "Trần Văn Hùng"),
        (Persona::Officer, cdcs, Role::Officer, "Lê Thị Thu"),
    ] {
        members::create(
            &mut tx,
            &members::NewMember {
                unit_id,
                role,
                display_name: name,
                username: None,
                lang: Lang::Vi,
                invite_code: None,
                channel: Channel::Console.as_str(),
                external_id: persona.chat_id(),
                chat_id: persona.chat_id(),
            },
            now,
        )
        .await?;
        n += 1;
    }
    // A directive the personas have received, and the campaign dates it set.
    let officer_id = kcx_officer.context("a demo officer of the KCX unit")?;
    let parsed = crate::core::directive::parse(DEMO_DIRECTIVE)?;
    let i18n = I18n::new();
    let summary = parsed.summary(
        &crate::core::directive::SummaryLabels {
            actions: &i18n.s(Lang::Vi, "summary-actions"),
            dates: &i18n.s(Lang::Vi, "summary-dates"),
            report: &i18n.s(Lang::Vi, "summary-report"),
        },
        crate::core::conversation::SUMMARY_MAX_CHARS,
    );
    let draft = crate::core::conversation::Draft {
        title: parsed
            .subject
            .clone()
            .unwrap_or_else(|| "Kế hoạch 63/KH-CĐKCX".into()),
        summary,
        facts: serde_json::to_string(&parsed)?,
        dates: vec![],
        ack: false,
        ack_remind_days: 0,
    };
    let kcx_path = sqlx::query_scalar::<_, String>("SELECT path FROM units WHERE id = $1")
        .bind(kcx)
        .fetch_one(&mut *tx)
        .await?;
    let author = crate::store::directives::Author {
        member_id: officer_id,
        unit_id: kcx,
        unit_path: &kcx_path,
        reply_to: None,
    };
    crate::store::directives::publish(
        &mut tx,
        &i18n,
        &author,
        &[kcx],
        &draft,
        |_| String::new(),
        now,
    )
    .await?;
    let dates = [
        (19, 8, "Ngày hội toàn dân bảo vệ an ninh Tổ quốc"),
        (28, 7, "Ngày thành lập Công đoàn Việt Nam"),
        (1, 5, "Ngày Quốc tế Lao động"),
    ]
    .map(
        |(day, month, label)| crate::core::conversation::SuggestedDate {
            lunar: false,
            remind: None,
            day,
            month,
            year: None,
            label: label.to_string(),
        },
    );
    crate::store::campaigns::create(&mut tx, &kcx_path, &[kcx], &dates, now).await?;

    // A commitment of the grassroots union that about two thirds of its seeded people have
    // signed, so /camket, /tonghop (and its chart) and /xuat have something to show.
    let officer = members::by_identity(
        &mut tx,
        Channel::Console.as_str(),
        Persona::Officer.chat_id(),
    )
    .await?
    .context("the demo officer")?;
    let draft = crate::core::conversation::CommitDraft {
        text: DEMO_COMMITMENT.to_string(),
        signers: crate::core::conversation::Signers::Everyone,
        deadline_at: now + 30 * 24 * 3600 * 1000,
        remind_weekdays: vec![],
        remind_every_days: 0,
        remind_hour: 8,
    };
    let (campaign, _) =
        crate::store::commitments::create(&mut tx, &i18n, &officer, &draft, now).await?;
    sqlx::query(
        "INSERT INTO commitment_signatures (campaign_id, member_id, version, text_hash, signed_at, channel)
         SELECT $1, m.id, 1, v.text_hash, $2, 'console'
         FROM members m
         JOIN identities i ON i.member_id = m.id
         JOIN units u ON u.id = m.unit_id
         JOIN commitment_versions v ON v.campaign_id = $1 AND v.version = 1
         WHERE i.external_id LIKE 'seed-%' AND u.path LIKE $3 AND (m.id * 7) % 10 < 7",
    )
    .bind(campaign)
    .bind(now)
    .bind(format!("{}%", officer.unit_path))
    .execute(&mut *tx)
    .await?;
    seed_quiz(&mut tx, &i18n, &officer, now).await?;
    // A moment later: the newest question put to the member personas (a typed "1").
    seed_poll(&mut tx, &i18n, &officer, now + 1).await?;
    tx.commit().await?;
    let invite = store
        .create_invite(ttq2, Role::Member, 5, Some(now + 7 * 24 * 3600 * 1000))
        .await?
        .code;
    Ok(DemoWorld {
        units: records.len(),
        members: n,
        invite,
    })
}

/// A named poll of the grassroots union to its whole subtree, answered by about half of
/// the seeded people, so /khaosat has results, charts and files to show and the member
/// and leader personas have a poll to answer (typed "1" starts it).
async fn seed_poll(
    tx: &mut crate::store::Conn,
    i18n: &I18n,
    officer: &crate::core::conversation::MemberView,
    now: i64,
) -> anyhow::Result<()> {
    use crate::core::conversation::{PollDraft, PollQuestion, QuestionKind};
    let question = |text: &str, kind, options: &[&str]| PollQuestion {
        text: text.to_string(),
        kind,
        options: options.iter().map(|o| o.to_string()).collect(),
    };
    let draft = PollDraft {
        title: "Khảo sát đời sống công nhân khu nhà trọ".to_string(),
        questions: vec![
            question(
                "Bạn có hài lòng với nơi ở hiện nay?",
                QuestionKind::Single,
                &["Hài lòng", "Bình thường", "Chưa hài lòng"],
            ),
            question(
                "Bạn cần công đoàn hỗ trợ gì?",
                QuestionKind::Multi,
                &["Điện nước", "An ninh trật tự", "Học nghề", "Nhà trẻ"],
            ),
            question(
                "Mỗi tuần bạn làm thêm bao nhiêu giờ?",
                QuestionKind::Number,
                &[],
            ),
            question("Góp ý của bạn", QuestionKind::Text, &[]),
        ],
        anonymous: false,
        deadline_at: now + 14 * 24 * 3600 * 1000,
    };
    let members: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM members m JOIN units u ON u.id = m.unit_id WHERE u.path LIKE $1")
            .bind(format!("{}%", officer.unit_path))
            .fetch_one(&mut *tx)
            .await?;
    let target = crate::core::conversation::BroadcastTarget {
        unit_id: officer.unit_id,
        role: None,
        count: members,
        label: officer.unit_name.clone(),
        units: vec![],
    };
    let Some(poll) = crate::store::polls::create(tx, i18n, officer, &draft, &target, now).await?
    else {
        anyhow::bail!("the demo poll was refused");
    };
    sqlx::query(
        "INSERT INTO poll_responses (poll_id, member_id, unit_id, submitted_at)
         SELECT r.poll_id, r.member_id, r.unit_id, $2 FROM poll_recipients r
         JOIN identities i ON i.member_id = r.member_id
         WHERE r.poll_id = $1 AND i.external_id LIKE 'seed-%' AND (r.member_id * 3) % 10 < 6",
    )
    .bind(poll)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (question, value) in [
        (0, "member_id % 3"),
        (1, "member_id % 4"),
        (1, "(member_id + 1) % 4"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO poll_answers (poll_id, member_id, question, choice)
             SELECT poll_id, member_id, {question}, {value} FROM poll_responses WHERE poll_id = $1"
        )))
        .bind(poll)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO poll_answers (poll_id, member_id, question, num)
         SELECT poll_id, member_id, 2, 2 + member_id % 9 FROM poll_responses WHERE poll_id = $1",
    )
    .bind(poll)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO poll_answers (poll_id, member_id, question, text)
         SELECT poll_id, member_id, 3, 'Cần thêm đèn chiếu sáng ở hẻm' FROM poll_responses
         WHERE poll_id = $1 AND member_id % 4 = 0",
    )
    .bind(poll)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A quiz contest of the grassroots union to its whole subtree, open for two weeks and
/// taken by about 4 in 10 of the seeded people, so /cuocthi has a ranking, unit
/// leaderboards and files to show, and the member personas a quiz to take (/cuocthi).
async fn seed_quiz(
    tx: &mut crate::store::Conn,
    i18n: &I18n,
    officer: &crate::core::conversation::MemberView,
    now: i64,
) -> anyhow::Result<()> {
    use crate::core::conversation::QuizDraft;
    let questions = crate::core::conversation::quiz::parse_text(
        "Công đoàn Việt Nam được thành lập năm nào?\nA. 1929\n*B. 1930\nC. 1945\n\n\
         Bộ luật Lao động 2019 có hiệu lực từ ngày nào?\nA. 1/1/2020\n*B. 1/1/2021\nC. 1/7/2021\n\n\
         Người lao động làm việc bình thường không quá bao nhiêu giờ một ngày?\nA. 6 giờ\n*B. 8 giờ\nC. 10 giờ\n\n\
         Ngày truyền thống Công đoàn Việt Nam là ngày nào?\n*A. 28/7\nB. 1/5\nC. 2/9\n\n\
         Đoàn viên công đoàn đóng đoàn phí bằng bao nhiêu phần trăm tiền lương?\nA. 0,5%\n*B. 1%\nC. 2%",
    )
    .map_err(|e| anyhow::anyhow!("demo quiz: {e:?}"))?;
    let draft = QuizDraft {
        title: "Tìm hiểu pháp luật lao động và tổ chức Công đoàn".to_string(),
        questions,
        starts_at: now - 3600 * 1000,
        ends_at: now + 14 * 24 * 3600 * 1000,
        minutes: 10,
        attempts: 1,
        tiebreak: Some("Dự đoán số người tham gia cuộc thi?".to_string()),
        tiebreak_answer: None,
    };
    let members: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM members m JOIN units u ON u.id = m.unit_id WHERE u.path LIKE $1")
            .bind(format!("{}%", officer.unit_path))
            .fetch_one(&mut *tx)
            .await?;
    let target = crate::core::conversation::BroadcastTarget {
        unit_id: officer.unit_id,
        role: None,
        count: members,
        label: officer.unit_name.clone(),
        units: vec![],
    };
    let Some(quiz) = crate::store::quiz::create(tx, i18n, officer, &draft, &target, now).await?
    else {
        anyhow::bail!("the demo quiz was refused");
    };
    sqlx::query(
        "INSERT INTO quiz_attempts (quiz_id, member_id, unit_id, attempt_no, started_at,
                                    deadline_at, answered, score, last_at, finished_at, guess)
         SELECT r.quiz_id, r.member_id, r.unit_id, 1, $2, $2 + 600000, 5,
                (r.member_id * 7) % 6, $2 + 60000 + (r.member_id * 7919) % 500000,
                $2 + 60000 + (r.member_id * 7919) % 500000, 20 + r.member_id % 60
         FROM quiz_recipients r
         JOIN identities i ON i.member_id = r.member_id
         WHERE r.quiz_id = $1 AND i.external_id LIKE 'seed-%' AND (r.member_id * 3) % 10 < 4",
    )
    .bind(quiz)
    .bind(now - 1800 * 1000)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO quiz_results (quiz_id, member_id, unit_id, score, elapsed_ms, guess,
                                   finished_at)
         SELECT quiz_id, member_id, unit_id, score, last_at - started_at, guess, finished_at
         FROM quiz_attempts WHERE quiz_id = $1",
    )
    .bind(quiz)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// One person chatting through the console channel.
pub struct DemoChat {
    store: Store,
    processor: Processor,
    transport: ConsoleTransport,
    persona: Persona,
    next_update: u64,
}

impl DemoChat {
    pub fn new(store: Store, i18n: Arc<I18n>, persona: Persona, out: Output) -> Self {
        let processor = Processor {
            store: store.clone(),
            i18n,
            inbox_ready: Arc::new(Notify::new()),
            outbox_ready: Arc::new(Notify::new()),
            files: vec![],
            // One person at a keyboard.
            inbound_limit: None,
            started_at: crate::core::time::now_ms(),
            retry_base_ms: 1000,
            panic_on_text: None,
        };
        DemoChat {
            store,
            processor,
            transport: ConsoleTransport { out },
            persona,
            next_update: 1,
        }
    }

    /// Send one line as the persona and print the bot's answers.
    pub async fn say(&mut self, text: &str) -> anyhow::Result<()> {
        let ev = InboundEvent {
            channel: Channel::Console,
            update_id: format!("{}-{}", self.persona.chat_id(), self.next_update),
            chat_id: self.persona.chat_id().to_string(),
            chat_kind: ChatKind::Private,
            from: Some(Person {
                id: self.persona.chat_id().to_string(),
                display_name: "Người dùng demo".to_string(),
                username: None,
                lang_hint: None,
            }),
            payload: Payload::Text {
                text: text.to_string(),
            },
            sent_at: Some(crate::core::time::now_ms()),
        };
        self.next_update += 1;
        self.store.inbox_insert(&ev).await?;
        self.processor.drain_once().await?;
        self.deliver().await?;
        // What the scheduler does every couple of seconds in `serve`: broadcast progress
        // and delivery reports, once the simulated members got their messages.
        for _ in 0..3 {
            if crate::scheduler::fast_tick(&self.store, &self.processor.i18n, now_ms()).await? == 0
            {
                break;
            }
            self.deliver().await?;
        }
        Ok(())
    }

    /// The terminal has no rate limits: deliver everything queued, in order. Only what
    /// goes to this persona is printed; the sample members are simulated recipients who
    /// get their messages at once, so counts, progress and reports add up as on Telegram.
    async fn deliver(&mut self) -> anyhow::Result<()> {
        loop {
            let rows = self
                .store
                .outbox_claim(Channel::Console.as_str(), 100, now_ms())
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let result = match row.body() {
                    Some(_) if row.chat_id != self.persona.chat_id() => Delivery::Sent,
                    Some(body) => match self.transport.deliver(&row.chat_id, &body) {
                        DeliveryOutcome::Sent => Delivery::Sent,
                        other => Delivery::Failed(format!("{other:?}")),
                    },
                    None => Delivery::Failed("undecodable payload".into()),
                };
                self.store.outbox_record(&row, &result, now_ms()).await?;
            }
        }
        Ok(())
    }
}

/// Create the demo database at `file` (replacing an older one) and seed it.
pub async fn create_database(file: &Path) -> anyhow::Result<(Store, DemoWorld)> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = file.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(&p);
    }
    let url = format!("sqlite://{}", file.display());
    let store = Store::open(&url).await?;
    let world = seed(&store).await?;
    Ok((store, world))
}

/// The whole terminal session, reading lines from `input` and writing to `out`.
pub async fn run_session(
    args: DemoArgs,
    i18n: Arc<I18n>,
    lang: Lang,
    mut input: impl AsyncBufRead + Unpin,
    out: Output,
) -> anyhow::Result<()> {
    let (store, world) = create_database(&args.file).await?;
    let print = |text: String| {
        if let Ok(mut o) = out.lock() {
            let _ = writeln!(o, "{text}");
            let _ = o.flush();
        }
    };
    print(tr!(
        i18n,
        lang,
        "demo-intro",
        file = args.file.display().to_string(),
        units = world.units as i64,
        members = world.members as i64
    ));
    let console_stop = tokio_util::sync::CancellationToken::new();
    match start_console(&store, i18n.clone(), &args.web, console_stop.clone()).await {
        Ok(Some(link)) => print(tr!(i18n, lang, "demo-console", link = link)),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "the demo console did not start"),
    }
    let _stop_console_on_exit = console_stop.drop_guard();
    let mut line = String::new();
    let persona = match args.persona.as_deref().and_then(Persona::parse) {
        Some(p) => p,
        None => loop {
            print(i18n.s(lang, "demo-choose"));
            print(i18n.s(lang, "demo-choose-prompt"));
            line.clear();
            if input.read_line(&mut line).await? == 0 {
                store.close().await;
                return Ok(());
            }
            match Persona::parse(&line) {
                Some(p) => break p,
                None => print(i18n.s(lang, "demo-persona-invalid")),
            }
        },
    };
    print(tr!(
        i18n,
        lang,
        "demo-you-are",
        who = i18n.s(lang, persona.label_id())
    ));
    if persona == Persona::New {
        print(tr!(
            i18n,
            lang,
            "demo-new-code",
            code = world.invite.grouped()
        ));
    }
    let mut chat = DemoChat::new(store.clone(), i18n.clone(), persona, out.clone());
    let you = i18n.s(lang, "demo-you");
    loop {
        if let Ok(mut o) = out.lock() {
            let _ = write!(o, "\n{you}> ");
            let _ = o.flush();
        }
        line.clear();
        if input.read_line(&mut line).await? == 0 {
            break;
        }
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        if matches!(text, "/thoat" | "/thoát" | "/quit" | "/exit") {
            break;
        }
        chat.say(text).await?;
    }
    print(format!("\n{}", i18n.s(lang, "demo-bye")));
    store.close().await;
    Ok(())
}

/// The officers' console beside the terminal chat, on the loopback, and a one-time
/// login link for the demo officer (`None` when `--web off`).
async fn start_console(
    store: &Store,
    i18n: Arc<I18n>,
    addr: &str,
    stop: tokio_util::sync::CancellationToken,
) -> anyhow::Result<Option<String>> {
    if addr.trim().eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let addr: std::net::SocketAddr = addr.trim().parse().context("--web address")?;
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        // Taken (another demo, another program): any free port on the same address.
        Err(_) => tokio::net::TcpListener::bind((addr.ip(), 0)).await?,
    };
    let base = crate::web::base_url(None, listener.local_addr()?);
    store
        .set_setting(crate::web::BASE_URL_SETTING, &base)
        .await?;
    let router = crate::web::router(crate::web::WebState {
        store: store.clone(),
        i18n,
        outbox_ready: Arc::new(Notify::new()),
        secure_cookie: false,
        idle_ms: 8 * 3_600_000,
        map_tiles: None,
    });
    tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await;
        if let Err(e) = served {
            tracing::warn!(error = %e, "the demo console stopped");
        }
    });
    let mut conn = store.pool().acquire().await?;
    let officer = members::by_identity(
        &mut conn,
        Channel::Console.as_str(),
        Persona::Officer.chat_id(),
    )
    .await?
    .context("the demo officer")?;
    let token = crate::web::session::create_login(&mut conn, officer.id, now_ms()).await?;
    Ok(Some(format!("{base}/login?t={token}")))
}

pub async fn run_terminal(args: DemoArgs, i18n: &I18n, lang: Lang) -> anyhow::Result<()> {
    let _ = i18n; // the session owns its own copy (it is shared with the processor)
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    let out: Output = Arc::new(std::sync::Mutex::new(std::io::stdout()));
    run_session(args, Arc::new(I18n::new()), lang, stdin, out).await
}
