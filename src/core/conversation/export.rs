//! `/xuat`: an officer's subtree as an Excel or CSV file.

use super::flow::{Audience, CommandSpec, Flow, Listed, TypedOptions};
use super::{Ctx, Effect, Step, is_officer};
use crate::core::actions::ExportAction;
use crate::core::export::{ExportFormat, ExportKind};

pub(super) struct Export;

impl Flow for Export {
    fn commands(&self) -> &'static [CommandSpec] {
        const C: &[CommandSpec] = &[CommandSpec::new(
            "xuat",
            Audience::Officers,
            Listed::Officers,
        )];
        C
    }

    fn owns(&self, step: &Step) -> bool {
        matches!(step, Step::ExportWhat | Step::ExportFormat { .. })
    }

    fn on_command(&self, cx: &mut Ctx, _cmd: &str, _arg: &str) {
        if cx.ev.channel.can_send_files() {
            ask_export_what(cx);
        } else {
            let msg = cx.t("export-not-here");
            cx.say(msg);
        }
    }

    fn typed_options(&self, step: &Step) -> Option<TypedOptions> {
        match step {
            Step::ExportWhat => Some(&[
                (
                    "exp:what:members",
                    &["1", "doan vien", "đoàn viên", "members"],
                ),
                (
                    "exp:what:signatures",
                    &["2", "chu ky", "chữ ký", "cam ket", "cam kết", "signatures"],
                ),
                ("exp:what:tips", &["3", "tin bao", "tin báo", "tips"]),
                (
                    "exp:what:deliveries",
                    &["4", "gui tin", "gửi tin", "deliveries"],
                ),
            ]),
            Step::ExportFormat { .. } => Some(&[
                ("exp:fmt:xlsx", &["1", "excel", "xlsx"]),
                ("exp:fmt:csv", &["2", "csv"]),
            ]),
            _ => None,
        }
    }

    fn on_choice(&self, cx: &mut Ctx, step: &Step, data: &str) -> bool {
        if !is_officer(cx.facts) {
            return false;
        }
        match (step, data.parse::<ExportAction>()) {
            (Step::ExportWhat, Ok(ExportAction::What(what))) => ask_export_format(cx, what),
            (Step::ExportFormat { what }, Ok(ExportAction::Format(format))) => {
                cx.effects.push(Effect::Export {
                    what: *what,
                    format,
                })
            }
            _ => return false,
        }
        true
    }

    fn reprompt(&self, cx: &mut Ctx, step: &Step) {
        match step {
            Step::ExportWhat => ask_export_what(cx),
            Step::ExportFormat { what } => ask_export_format(cx, *what),
            _ => {}
        }
    }
}

fn ask_export_what(cx: &mut Ctx) {
    cx.conv.step = Step::ExportWhat;
    let text = cx.t("export-ask-what");
    let options: Vec<(String, String)> = ExportKind::ALL
        .iter()
        .map(|k| {
            (
                ExportAction::What(*k).to_string(),
                cx.t(&format!("export-what-{}", k.as_str())),
            )
        })
        .collect();
    cx.ask_owned(text, &options);
}

fn ask_export_format(cx: &mut Ctx, what: ExportKind) {
    cx.conv.step = Step::ExportFormat { what };
    let text = cx.t("export-ask-format");
    let options = [
        (
            ExportAction::Format(ExportFormat::Xlsx).to_string(),
            cx.t("export-format-xlsx"),
        ),
        (
            ExportAction::Format(ExportFormat::Csv).to_string(),
            cx.t("export-format-csv"),
        ),
    ];
    cx.ask_owned(text, &options);
}
