//! One member, two apps: a worker on Telegram links their Zalo account with a one-time
//! code (and the codes can't be reused, guessed or used by someone already a member).

mod common;

use common::fake_zalo::{ZaloApp, ZaloUser, ztexts};
use common::{Backend, TgUser, texts};
use congdoan_bot::core::domain::Role;

on_both_backends!(
    a_telegram_member_links_zalo_with_a_one_time_code,
    link_codes_expire_and_resist_guessing,
    signing_on_zalo_is_the_same_signature,
);

fn code_in(text: &str) -> String {
    let start = text.find("<b>").expect("a code") + 3;
    text[start..start + 9].to_string()
}

async fn a_telegram_member_links_zalo_with_a_one_time_code(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let hoa = TgUser::new(3001, "Công nhân Hoa");
    t.join(&hoa, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    let got = texts(&t.t.say(&hoa, "/lienket").await);
    assert!(got.contains("Mã liên kết của bạn"), "{got}");
    let code = code_in(&got);
    assert_eq!(t.count("SELECT COUNT(*) FROM link_codes").await, 1);

    let hoa_zalo = ZaloUser::new("9f1e2d3c4b5a69788796", "Hoa trên Zalo");
    let linked = ztexts(
        &t.say(&hoa_zalo, &format!("/lienket {}", code.to_lowercase()))
            .await,
    );
    assert!(
        linked.contains("Đã liên kết")
            && linked.contains("Công nhân Hoa (Tổ tự quản nhà trọ số 1)"),
        "{linked}"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM identities WHERE member_id = (SELECT member_id FROM identities WHERE external_id = '3001')")
            .await,
        2
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM members").await, 1);
    // One member: Zalo shows the same data, with both accounts.
    let data = ztexts(&t.say(&hoa_zalo, "/dulieu").await);
    assert!(
        data.contains("telegram 3001") && data.contains("zalo 9f1e2d3c4b5a69788796"),
        "{data}"
    );

    // The code is spent: nobody else can use it, and the linked account is told so.
    let other = ZaloUser::new("0a0b0c0d0e0f10111213", "Người khác");
    assert!(ztexts(&t.say(&other, &code).await).contains("đã được dùng"));
    assert!(
        ztexts(&t.say(&hoa_zalo, &format!("/lienket {code}")).await).contains("đã là thành viên")
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM identities").await, 2);

    // Someone who joined Zalo on their own can't be folded into another member.
    let lan = ZaloUser::new("1234abcd1234abcd1234", "Lan");
    let invite = t.invite("TTQ-02", Role::Member, 1, None).await;
    t.say(&lan, invite.as_str()).await;
    t.say(&lan, "1").await;
    let code2 = code_in(&texts(&t.t.say(&hoa, "/lienket").await));
    assert!(ztexts(&t.say(&lan, &format!("/lienket {code2}")).await).contains("đã là thành viên"));
    assert_eq!(t.count("SELECT COUNT(*) FROM identities").await, 3);

    // Deleting my data on one app deletes the member and both accounts.
    t.say(&hoa_zalo, "/xoadulieu").await;
    t.say(&hoa_zalo, "1").await;
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM identities WHERE external_id IN ('3001', '9f1e2d3c4b5a69788796')"
        )
        .await,
        0
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM link_codes").await, 0);
    t.finish().await;
}

async fn link_codes_expire_and_resist_guessing(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let nam = TgUser::new(3101, "Đoàn viên Nam");
    t.join(&nam, &t.invite("CDCS-ABC", Role::Member, 1, None).await)
        .await;
    let code = code_in(&texts(&t.t.say(&nam, "/lienket").await));
    sqlx::query("UPDATE link_codes SET expires_at = 0")
        .execute(t.store.pool())
        .await
        .unwrap();
    let guest = ZaloUser::new("aaaabbbbccccddddeeee", "Nam Zalo");
    assert!(ztexts(&t.say(&guest, &format!("/lienket {code}")).await).contains("hết hạn"));

    // Asking again replaces the old code.
    let fresh = code_in(&texts(&t.t.say(&nam, "/lienket").await));
    assert_eq!(t.count("SELECT COUNT(*) FROM link_codes").await, 1);
    // Five wrong guesses lock the chat, even for the right code afterwards.
    for guess in [
        "2222-2222",
        "3333-3333",
        "4444-4444",
        "5555-5555",
        "6666-6666",
    ] {
        assert!(ztexts(&t.say(&guest, &format!("/lienket {guess}")).await).contains("không đúng"));
    }
    let locked = ztexts(&t.say(&guest, &format!("/lienket {fresh}")).await);
    assert!(locked.contains("nhập sai mã nhiều lần"), "{locked}");
    assert!(
        ztexts(&t.say(&guest, "/lienket").await).contains("gõ /lienket trên tài khoản đã tham gia")
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM identities").await, 1);
    t.finish().await;
}

async fn signing_on_zalo_is_the_same_signature(backend: Backend) {
    let Some(t) = ZaloApp::spawn(backend).await else {
        return;
    };
    let officer = TgUser::new(3201, "Cán bộ Thu");
    t.join(
        &officer,
        &t.invite("CDCS-ABC", Role::Officer, 1, None).await,
    )
    .await;
    let hoa = TgUser::new(3202, "Công nhân Hoa");
    t.join(&hoa, &t.invite("TTQ-01", Role::Member, 1, None).await)
        .await;
    let code = code_in(&texts(&t.t.say(&hoa, "/lienket").await));
    let hoa_zalo = ZaloUser::new("5a5a5a5a5a5a5a5a5a5a", "Hoa Zalo");
    t.say(&hoa_zalo, &code).await;
    let lan = ZaloUser::new("6b6b6b6b6b6b6b6b6b6b", "Lan chỉ dùng Zalo");
    let invite = t.invite("TTQ-01", Role::Member, 1, None).await;
    t.say(&lan, invite.as_str()).await;
    let joined = ztexts(&t.say(&lan, "1").await);
    assert!(joined.contains("Bạn đã tham gia"), "{joined}");

    // The officer opens a commitment on Telegram, typed all the way.
    t.t.say(&officer, "/camket moi").await;
    t.t.say(
        &officer,
        "Cam kết an toàn về an ninh, trật tự\n1. Chấp hành pháp luật.",
    )
    .await;
    t.t.say(&officer, "1").await;
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    t.t.say(&officer, &format!("31/12/{next_year}")).await;
    t.t.say(&officer, "4").await;
    assert!(texts(&t.t.say(&officer, "1").await).contains("Đã gửi cam kết"));
    t.wait_outbox_empty().await;

    // On Zalo the commitment comes as plain text that says to type 1; typing 1 signs.
    let asked = ztexts(&t.zalo.sent_to(&lan.id));
    assert!(
        asked.contains("Cam kết mới từ") && asked.contains("gõ 1 để ký"),
        "{asked}"
    );
    assert!(
        ztexts(&t.say(&lan, "1").await).contains("Đã ghi nhận"),
        "lan signs"
    );
    // Hoa signs on Zalo; on Telegram she is told she already has.
    t.say(&hoa_zalo, "/camket").await;
    assert!(ztexts(&t.say(&hoa_zalo, "1").await).contains("Đã ghi nhận"));
    let again = texts(&t.t.say(&hoa, "/camket").await);
    assert!(!again.contains("Tôi cam kết"), "{again}");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures WHERE channel = 'zalo'")
            .await,
        2
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM commitment_signatures").await,
        2
    );
    // The officer's roll-up counts both: 2 of 2 in the housing group.
    let report = texts(&t.t.say(&officer, "/tonghop").await);
    assert!(report.contains("Tổ tự quản nhà trọ số 1: 2/2"), "{report}");
    t.finish().await;
}
