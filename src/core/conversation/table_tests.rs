//! Table tests of the pure core, in the style of courier's handler tables: each case is a
//! stored step, an event and the facts looked up for it, and what must come out: the
//! messages (by their locale key or a fragment), the effects, and the step after.

use super::*;
use crate::core::domain::{InviteCode, Lang, Role};
use crate::core::event::{Channel, ChatKind, InboundEvent, Payload, Person};

fn member(role: Role) -> MemberView {
    MemberView {
        id: 7,
        unit_id: 3,
        unit_path: "/1/2/3/".into(),
        unit_code: "CDCS-ABC".into(),
        unit_name: "Công đoàn cơ sở ABC".into(),
        role,
        lang: Lang::Vi,
        display_name: "Hoa".into(),
        username: None,
        joined_at: 1_790_000_000_000,
        consent_at: 1_790_000_000_000,
        identities: vec![(Channel::Zalo, "z7".into())],
    }
}

fn commitment(id: i64, version: i64) -> CommitmentView {
    CommitmentView {
        id,
        title: format!("Cam kết {id}"),
        version,
        text: format!("Cam kết {id}, bản {version}"),
        text_hash: format!("hash-{id}-{version}"),
        deadline_at: 1_900_000_000_000,
        unit_name: "Công đoàn cơ sở ABC".into(),
        signed_version: None,
        signed_at: None,
    }
}

fn event(channel: Channel, payload: Payload) -> InboundEvent {
    InboundEvent {
        channel,
        update_id: "1".into(),
        chat_id: "c7".into(),
        chat_kind: ChatKind::Private,
        from: Some(Person {
            id: "z7".into(),
            display_name: "Hoa".into(),
            username: None,
            lang_hint: None,
        }),
        payload,
        sent_at: None,
    }
}

fn text(s: &str) -> Payload {
    Payload::Text { text: s.into() }
}

fn button(data: &str) -> Payload {
    Payload::Button {
        callback_id: "cb".into(),
        data: data.into(),
    }
}

/// What a case expects. `says`: locale keys whose Vietnamese text (up to its first
/// argument) some reply must contain; `effect`: a predicate on the effects.
struct Case {
    name: &'static str,
    channel: Channel,
    step: Step,
    payload: Payload,
    facts: Facts,
    says: &'static [&'static str],
    effect: fn(&[Effect]) -> bool,
    step_after: fn(&Step) -> bool,
}

fn no_effects(e: &[Effect]) -> bool {
    e.is_empty()
}

fn any_step(_: &Step) -> bool {
    true
}

fn idle(s: &Step) -> bool {
    *s == Step::Idle
}

fn facts_of(m: Option<MemberView>) -> Facts {
    Facts {
        now_ms: 1_800_000_000_000,
        member: m,
        ..Facts::default()
    }
}

fn cases() -> Vec<Case> {
    let code = InviteCode::generate();
    let invite_facts = Facts {
        invite: Some((
            code.clone(),
            InviteStatus::Valid {
                unit_name: "Tổ 1".into(),
                role: Role::Member,
            },
        )),
        ..facts_of(None)
    };
    let prompt = |version| Facts {
        commitments: vec![commitment(11, 2)],
        commitment: Some(commitment(11, 2)),
        pending_prompt: Some(PendingPrompt {
            flow: PromptFlow::Commitment,
            object_id: 11,
            version,
        }),
        ..facts_of(Some(member(Role::Member)))
    };
    vec![
        Case {
            name: "onboarding: a bare code on Zalo asks for consent",
            channel: Channel::Zalo,
            step: Step::Idle,
            payload: text(code.as_str()),
            facts: invite_facts.clone(),
            says: &["reply-with-number"],
            effect: no_effects,
            step_after: |s| matches!(s, Step::AwaitingConsent { .. }),
        },
        Case {
            name: "onboarding: a typed 1 consents and joins",
            channel: Channel::Zalo,
            step: Step::AwaitingConsent {
                invite: code.as_str().into(),
            },
            payload: text("1"),
            facts: invite_facts,
            says: &[],
            effect: |e| matches!(e, [Effect::Join { .. }]),
            step_after: idle,
        },
        Case {
            name: "language: a typed 2 picks English",
            channel: Channel::Zalo,
            step: Step::ChoosingLang,
            payload: text("2"),
            facts: facts_of(Some(member(Role::Member))),
            says: &[],
            effect: |e| matches!(e, [Effect::SetLang { lang: Lang::En, .. }]),
            step_after: any_step,
        },
        Case {
            name: "my data: yes deletes",
            channel: Channel::Telegram,
            step: Step::ConfirmDelete,
            payload: button("delete:yes"),
            facts: facts_of(Some(member(Role::Member))),
            says: &["data-deleted"],
            effect: |e| matches!(e, [Effect::DeleteMember { member_id: 7 }]),
            step_after: idle,
        },
        Case {
            name: "export: a typed 2 at the format step exports CSV",
            channel: Channel::Telegram,
            step: Step::ExportFormat {
                what: ExportKind::Tips,
            },
            payload: text("2"),
            facts: facts_of(Some(member(Role::Officer))),
            says: &[],
            effect: |e| {
                matches!(
                    e,
                    [Effect::Export {
                        what: ExportKind::Tips,
                        format: ExportFormat::Csv
                    }]
                )
            },
            step_after: any_step,
        },
        Case {
            name: "commitments: a typed 1 signs the version put to the person",
            channel: Channel::Zalo,
            step: Step::Idle,
            payload: text("1"),
            facts: prompt(2),
            says: &[],
            effect: |e| {
                e.iter().any(|e| {
                    matches!(
                        e,
                        Effect::Commitment(CommitmentEffect::Sign {
                            campaign_id: 11,
                            version: 2,
                            ..
                        })
                    )
                })
            },
            step_after: idle,
        },
        Case {
            name: "commitments: a typed 1 for an older version shows the new text",
            channel: Channel::Zalo,
            step: Step::Idle,
            payload: text("1"),
            facts: prompt(1),
            says: &["cm-text-changed"],
            effect: |e| {
                !e.iter()
                    .any(|e| matches!(e, Effect::Commitment(CommitmentEffect::Sign { .. })))
            },
            step_after: |s| {
                matches!(
                    s,
                    Step::Commit(CommitStep::Sign {
                        campaign_id: 11,
                        version: 2
                    })
                )
            },
        },
        Case {
            name: "commitments: a typed 1 with nothing pending shows the text first",
            channel: Channel::Zalo,
            step: Step::Idle,
            payload: text("1"),
            facts: Facts {
                commitments: vec![commitment(12, 1)],
                ..facts_of(Some(member(Role::Member)))
            },
            says: &[],
            effect: |e| {
                !e.iter()
                    .any(|e| matches!(e, Effect::Commitment(CommitmentEffect::Sign { .. })))
            },
            step_after: |s| {
                matches!(
                    s,
                    Step::Commit(CommitStep::Sign {
                        campaign_id: 12,
                        ..
                    })
                )
            },
        },
        Case {
            name: "tips: /baotin asks the category",
            channel: Channel::Telegram,
            step: Step::Idle,
            payload: text("/baotin"),
            facts: facts_of(Some(member(Role::Member))),
            says: &[],
            effect: no_effects,
            step_after: |s| matches!(s, Step::Tip(TipStep::Category)),
        },
        Case {
            name: "router: an officer command from a member is refused",
            channel: Channel::Telegram,
            step: Step::Idle,
            payload: text("/guitin"),
            facts: facts_of(Some(member(Role::Member))),
            says: &["officer-only"],
            effect: no_effects,
            step_after: idle,
        },
        Case {
            name: "router: a member command from a guest asks them to join",
            channel: Channel::Telegram,
            step: Step::Idle,
            payload: text("/chithi"),
            facts: facts_of(None),
            says: &["need-to-join"],
            effect: no_effects,
            step_after: idle,
        },
        Case {
            name: "router: an alias reaches its command",
            channel: Channel::Telegram,
            step: Step::Idle,
            payload: text("/trogiup"),
            facts: facts_of(None),
            says: &["help-title"],
            effect: no_effects,
            step_after: idle,
        },
        Case {
            name: "router: unknown command",
            channel: Channel::Telegram,
            step: Step::Idle,
            payload: text("/khongco"),
            facts: facts_of(None),
            says: &["unknown-command"],
            effect: no_effects,
            step_after: idle,
        },
        Case {
            name: "router: a forged button changes nothing",
            channel: Channel::Telegram,
            step: Step::ChoosingLang,
            payload: button("exp:fmt:csv"),
            facts: facts_of(Some(member(Role::Member))),
            says: &["stale-button"],
            effect: no_effects,
            step_after: |s| *s == Step::ChoosingLang,
        },
        Case {
            name: "router: an old button in the middle of a tip keeps the draft",
            channel: Channel::Telegram,
            step: Step::Tip(TipStep::Category),
            payload: button("cm:sign:11:2"),
            facts: prompt(2),
            says: &["draft-kept"],
            effect: |e| {
                e.iter()
                    .any(|e| matches!(e, Effect::Commitment(CommitmentEffect::Sign { .. })))
            },
            step_after: |s| matches!(s, Step::Tip(TipStep::Category)),
        },
        Case {
            name: "acknowledgement: a typed 1 confirms the newest question, not a commitment",
            channel: Channel::Zalo,
            step: Step::Idle,
            payload: text("1"),
            facts: ack_prompt(None),
            says: &["ack-done"],
            effect: |e| {
                matches!(
                    e,
                    [Effect::Acknowledgement(AckEffect::Acknowledge {
                        member_id: 7,
                        kind: AckKind::Broadcast,
                        id: 21,
                    })]
                )
            },
            step_after: idle,
        },
        Case {
            name: "acknowledgement: confirmed before, nothing changes",
            channel: Channel::Telegram,
            step: Step::Idle,
            payload: button("ack:b:21"),
            facts: ack_prompt(Some(1_790_000_000_000)),
            says: &["ack-already"],
            effect: no_effects,
            step_after: idle,
        },
        Case {
            name: "acknowledgement: not put to this member, refused",
            channel: Channel::Telegram,
            step: Step::Idle,
            payload: button("ack:d:21"),
            facts: ack_prompt(None),
            says: &["ack-not-for-you"],
            effect: no_effects,
            step_after: idle,
        },
        Case {
            name: "acknowledgement: a typed 1 still signs when the commitment is the newest",
            channel: Channel::Zalo,
            step: Step::Idle,
            payload: text("1"),
            facts: Facts {
                ack: ack_prompt(None).ack,
                ..prompt(2)
            },
            says: &["cm-signed"],
            effect: |e| {
                e.iter()
                    .any(|e| matches!(e, Effect::Commitment(CommitmentEffect::Sign { .. })))
            },
            step_after: idle,
        },
    ]
}

/// A member with a commitment to sign, whose newest question is broadcast 21's «Đã nắm».
fn ack_prompt(acked_at: Option<i64>) -> Facts {
    Facts {
        commitments: vec![commitment(11, 2)],
        pending_prompt: Some(PendingPrompt {
            flow: PromptFlow::Acknowledgement(AckKind::Broadcast),
            object_id: 21,
            version: 1,
        }),
        ack: Some(AckView {
            kind: AckKind::Broadcast,
            id: 21,
            title: "Họp tổ".into(),
            acked_at,
        }),
        ..facts_of(Some(member(Role::Member)))
    }
}

/// The Vietnamese text of `key` up to its first argument: what a reply must contain.
fn fragment(i18n: &I18n, key: &str) -> String {
    let full = i18n.s(Lang::Vi, key);
    let cut = full.find('{').unwrap_or(full.len());
    full[..cut].trim().chars().take(40).collect()
}

#[test]
fn every_flow_answers_its_cases() {
    let i18n = I18n::new();
    for case in cases() {
        let ev = event(case.channel, case.payload);
        let conv = Conversation {
            step: case.step,
            ..Conversation::default()
        };
        let out = handle(&i18n, &ev, conv, &case.facts);
        let said: Vec<String> = out
            .replies
            .iter()
            .filter_map(|r| match &r.body {
                Outbound::Message { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        for key in case.says {
            let want = fragment(&i18n, key);
            assert!(
                said.iter().any(|t| t.contains(&want)),
                "{}: no «{want}» ({key}) in {said:?}",
                case.name
            );
        }
        assert!(
            (case.effect)(&out.effects),
            "{}: effects {:?}",
            case.name,
            out.effects
        );
        assert!(
            (case.step_after)(&out.conversation.step),
            "{}: step after {:?}",
            case.name,
            out.conversation.step
        );
    }
}

/// Conversations stored before commitments and directives had step types of their own
/// (`{"step": {"step": "commit_text"}}`) still decode to the same question, and are stored the
/// same way, so a deploy never drops a draft.
#[test]
fn steps_stored_under_the_old_names_still_decode() {
    let draft = Draft {
        title: "Kế hoạch 414".into(),
        summary: "Tóm tắt".into(),
        facts: "{}".into(),
        dates: vec![],
        ack: false,
        ack_remind_days: 0,
    };
    let cases = [
        (r#"{"step":"commit_text"}"#, Step::Commit(CommitStep::Text)),
        (
            r#"{"step":"commit_sign","campaign_id":7,"version":2}"#,
            Step::Commit(CommitStep::Sign {
                campaign_id: 7,
                version: 2,
            }),
        ),
        (
            r#"{"step":"commit_edit_confirm","campaign_id":3,"text":"Cam kết"}"#,
            Step::Commit(CommitStep::EditConfirm {
                campaign_id: 3,
                text: "Cam kết".into(),
            }),
        ),
        (
            r#"{"step":"choosing_directive","ids":[4,5]}"#,
            Step::Directive(DirectiveStep::Choosing { ids: vec![4, 5] }),
        ),
        (
            r#"{"step":"directive_review","draft":{"title":"Kế hoạch 414","summary":"Tóm tắt","facts":"{}","dates":[]}}"#,
            Step::Directive(DirectiveStep::Review {
                draft: draft.clone(),
            }),
        ),
        (r#"{"step":"choosing_lang"}"#, Step::ChoosingLang),
        (r#"{"step":"no_such_step"}"#, Step::Idle),
    ];
    for (step_json, step) in cases {
        let json = format!(r#"{{"step":{step_json}}}"#);
        let conv = Conversation::decode(STATE_VERSION, &json);
        assert_eq!(conv.step, step, "{json}");
        if step != Step::Idle {
            assert_eq!(conv.encode(), json, "stored the same way");
        }
    }
}
