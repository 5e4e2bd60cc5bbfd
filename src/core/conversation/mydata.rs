//! `/dulieu` shows a member everything the bot keeps about them; `/xoadulieu` deletes it
//! (Law 91/2025/QH15 on personal data protection).

use super::flow::{Audience, CommandSpec, Flow, Listed, TypedOptions};
use super::{Conversation, Ctx, Effect, MemberView, Needs, Step, split_command};
use crate::core::actions::DeleteAction;
use crate::core::event::{InboundEvent, Payload};
use crate::core::text::esc;
use crate::core::time::{format_date, format_date_time};
use crate::core::tip::ReceiptCode;
use crate::tr;

pub(super) struct MyDataFlow;

impl Flow for MyDataFlow {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[
            CommandSpec::new("dulieu", Audience::Everyone, Listed::All).in_menu(),
            CommandSpec::new("xoadulieu", Audience::Everyone, Listed::Members).in_menu(),
        ];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        *step == Step::ConfirmDelete
    }

    fn needs(&self, ev: &InboundEvent, _step: &Step, n: &mut Needs) {
        if let Payload::Text { text } = &ev.payload
            && split_command(text.trim()).is_some_and(|(cmd, _)| cmd == "dulieu")
        {
            n.my_data = true;
        }
    }

    fn on_command(&self, cx: &mut Ctx, cmd: &str, _arg: &str) {
        match (cmd, cx.facts.member.clone()) {
            ("dulieu", Some(m)) => {
                let msg = my_data(cx, &m);
                cx.say(msg);
            }
            ("xoadulieu", Some(_)) => ask_delete(cx),
            ("xoadulieu", None) => {
                // Forget what little the conversation holds, too, but not a lockout
                // after wrong codes (or deleting would be a way round it).
                cx.conv = Conversation {
                    bad_codes: cx.conv.bad_codes,
                    locked_until: cx.conv.locked_until,
                    ..Conversation::default()
                };
                let msg = cx.t("my-data-none");
                cx.say(msg);
            }
            _ => {
                let msg = cx.t("my-data-none");
                cx.say(msg);
            }
        }
    }

    fn typed_options(&self, step: &Step) -> Option<TypedOptions> {
        (*step == Step::ConfirmDelete).then_some(&[
            (
                "delete:yes",
                &["1", "xóa", "xoa", "đồng ý", "dong y", "yes", "delete"],
            ),
            (
                "delete:no",
                &["2", "không", "khong", "hủy", "huy", "no", "cancel"],
            ),
        ])
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        match (step, data.parse::<DeleteAction>()) {
            (Step::ConfirmDelete, Ok(DeleteAction::Yes)) => match &cx.facts.member {
                Some(m) => {
                    cx.effects.push(Effect::DeleteMember { member_id: m.id });
                    cx.conv = Conversation::default();
                    let msg = cx.t("data-deleted");
                    cx.say(msg);
                }
                None => {
                    let msg = cx.t("my-data-none");
                    cx.say(msg);
                }
            },
            (Step::ConfirmDelete, Ok(DeleteAction::No)) => {
                let msg = cx.t("delete-cancelled");
                cx.say(msg);
            }
            _ => return false,
        }
        true
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        if *step == Step::ConfirmDelete {
            ask_delete(cx);
        }
    }
}

fn ask_delete(cx: &mut Ctx) {
    cx.conv.step = Step::ConfirmDelete;
    let text = cx.t("confirm-delete");
    let options = [
        (DeleteAction::Yes.to_string(), cx.t("delete-yes")),
        (DeleteAction::No.to_string(), cx.t("delete-no")),
    ];
    cx.ask_owned(text, &options);
}

fn my_data(cx: &Ctx, m: &MemberView) -> String {
    let accounts: Vec<String> = m
        .identities
        .iter()
        .map(|(ch, id)| format!("{} {}", ch.as_str(), esc(id)))
        .collect();
    let mut text = tr!(
        cx.i18n,
        cx.lang,
        "my-data",
        name = esc(&m.display_name),
        username = m
            .username
            .as_deref()
            .map(|u| format!("@{}", esc(u)))
            .unwrap_or_else(|| "—".to_string()),
        accounts = accounts.join(", "),
        unit = esc(&m.unit_name),
        role = cx.role_name(m.role),
        lang = m.lang.as_str(),
        joined = format_date(m.joined_at),
        consent = format_date_time(m.consent_at)
    );
    let data = cx.facts.my_data.clone().unwrap_or_default();
    text.push_str("\n\n");
    text.push_str(&cx.t("my-data-signatures"));
    if data.signatures.is_empty() {
        text.push_str("\n—");
    }
    for (title, version, at, channel) in &data.signatures {
        text.push('\n');
        text.push_str(&tr!(
            cx.i18n,
            cx.lang,
            "my-data-signature-line",
            title = esc(title),
            version = *version,
            date = format_date_time(*at),
            channel = channel.as_str()
        ));
    }
    text.push_str("\n\n");
    text.push_str(&cx.t("my-data-tips"));
    if data.tips.is_empty() {
        text.push_str("\n—");
    }
    for (code, at, status) in &data.tips {
        text.push('\n');
        text.push_str(&tr!(
            cx.i18n,
            cx.lang,
            "my-data-tip-line",
            code = ReceiptCode::parse(code).map_or_else(|_| esc(code), |c| c.grouped()),
            date = format_date_time(*at),
            status = cx.t(&format!("tip-status-{}", status.as_str()))
        ));
    }
    if !data.acknowledgements.is_empty() {
        text.push_str("\n\n");
        text.push_str(&cx.t("my-data-acks"));
        for (title, at, channel) in &data.acknowledgements {
            text.push('\n');
            text.push_str(&tr!(
                cx.i18n,
                cx.lang,
                "my-data-ack-line",
                title = esc(title),
                date = format_date_time(*at),
                channel = channel.as_str()
            ));
        }
    }
    if !data.polls.is_empty() {
        text.push_str("\n\n");
        text.push_str(&cx.t("my-data-polls"));
        for (title, at) in &data.polls {
            text.push('\n');
            text.push_str(&tr!(
                cx.i18n,
                cx.lang,
                "my-data-poll-line",
                title = esc(title),
                date = format_date_time(*at)
            ));
        }
    }
    if let Some(phone) = &data.zalo_oa_phone {
        text.push_str("\n\n");
        text.push_str(&tr!(
            cx.i18n,
            cx.lang,
            "my-data-zalo-oa-phone",
            phone = esc(phone)
        ));
    }
    text.push_str("\n\n");
    text.push_str(&cx.t("my-data-footer"));
    text
}
