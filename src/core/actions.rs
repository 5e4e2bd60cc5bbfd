//! Typed button actions: one enum per flow, rendered (`Display`) and parsed (`FromStr`)
//! in one place, so the data a button carries is built and read by the same type. The
//! wire format is the one buttons already sent carry ("cm:sign:12:3"), so old messages
//! keep working; every value fits Telegram's 64 bytes of callback data (tested).

use std::fmt;
use std::str::FromStr;

use super::domain::Lang;
use super::export::{ExportFormat, ExportKind};

/// Callback data nobody sent us (or an older version did, in a form we no longer know).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownAction;

/// Joining: the consent question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentAction {
    Yes,
    No,
}

impl fmt::Display for ConsentAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConsentAction::Yes => "consent:yes",
            ConsentAction::No => "consent:no",
        })
    }
}

impl FromStr for ConsentAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "consent:yes" => Ok(ConsentAction::Yes),
            "consent:no" => Ok(ConsentAction::No),
            _ => Err(UnknownAction),
        }
    }
}

/// `/ngonngu`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageAction(pub Lang);

impl fmt::Display for LanguageAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lang:{}", self.0.as_str())
    }
}

impl FromStr for LanguageAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "lang:vi" => Ok(LanguageAction(Lang::Vi)),
            "lang:en" => Ok(LanguageAction(Lang::En)),
            _ => Err(UnknownAction),
        }
    }
}

/// `/xoadulieu`: the confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteAction {
    Yes,
    No,
}

impl fmt::Display for DeleteAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DeleteAction::Yes => "delete:yes",
            DeleteAction::No => "delete:no",
        })
    }
}

impl FromStr for DeleteAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "delete:yes" => Ok(DeleteAction::Yes),
            "delete:no" => Ok(DeleteAction::No),
            _ => Err(UnknownAction),
        }
    }
}

/// `/xuat`: what, then which format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportAction {
    What(ExportKind),
    Format(ExportFormat),
}

impl fmt::Display for ExportAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportAction::What(k) => write!(f, "exp:what:{}", k.as_str()),
            ExportAction::Format(x) => write!(f, "exp:fmt:{}", x.as_str()),
        }
    }
}

impl FromStr for ExportAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(k) = s.strip_prefix("exp:what:") {
            return ExportKind::parse(k)
                .map(ExportAction::What)
                .ok_or(UnknownAction);
        }
        if let Some(x) = s.strip_prefix("exp:fmt:") {
            return ExportFormat::parse(x)
                .map(ExportAction::Format)
                .ok_or(UnknownAction);
        }
        Err(UnknownAction)
    }
}

/// Commitments: a member signs; an officer opens, edits or closes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentAction {
    /// Sign this version of this campaign's text (the version shown on the button's
    /// message: a newer text needs a new button).
    Sign {
        campaign_id: i64,
        version: i64,
    },
    New,
    Edit {
        campaign_id: i64,
    },
    Close {
        campaign_id: i64,
    },
    /// Confirm what was just shown (send it, or the new text).
    Ok,
    Cancel,
}

impl fmt::Display for CommitmentAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommitmentAction::Sign {
                campaign_id,
                version,
            } => write!(f, "cm:sign:{campaign_id}:{version}"),
            CommitmentAction::New => f.write_str("cm:new"),
            CommitmentAction::Edit { campaign_id } => write!(f, "cm:edit:{campaign_id}"),
            CommitmentAction::Close { campaign_id } => write!(f, "cm:close:{campaign_id}"),
            CommitmentAction::Ok => f.write_str("cm:ok"),
            CommitmentAction::Cancel => f.write_str("cm:cancel"),
        }
    }
}

impl FromStr for CommitmentAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = |x: &str| x.parse::<i64>().map_err(|_| UnknownAction);
        if let Some(rest) = s.strip_prefix("cm:sign:") {
            let (c, v) = rest.split_once(':').ok_or(UnknownAction)?;
            return Ok(CommitmentAction::Sign {
                campaign_id: id(c)?,
                version: id(v)?,
            });
        }
        if let Some(c) = s.strip_prefix("cm:edit:") {
            return Ok(CommitmentAction::Edit {
                campaign_id: id(c)?,
            });
        }
        if let Some(c) = s.strip_prefix("cm:close:") {
            return Ok(CommitmentAction::Close {
                campaign_id: id(c)?,
            });
        }
        match s {
            "cm:new" => Ok(CommitmentAction::New),
            "cm:ok" => Ok(CommitmentAction::Ok),
            "cm:cancel" => Ok(CommitmentAction::Cancel),
            _ => Err(UnknownAction),
        }
    }
}

/// What an officer does with a tip (buttons on alerts, `/tinbao` and the tip's card).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipOfficerAction {
    Show,
    Acknowledge,
    Escalate,
    Resolve,
    Note,
}

/// A tip action on tip `tip_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TipAction {
    pub action: TipOfficerAction,
    pub tip_id: i64,
}

impl TipOfficerAction {
    fn as_str(self) -> &'static str {
        match self {
            TipOfficerAction::Show => "show",
            TipOfficerAction::Acknowledge => "ack",
            TipOfficerAction::Escalate => "esc",
            TipOfficerAction::Resolve => "res",
            TipOfficerAction::Note => "note",
        }
    }
}

impl fmt::Display for TipAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tip:{}:{}", self.action.as_str(), self.tip_id)
    }
}

impl FromStr for TipAction {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s.strip_prefix("tip:").ok_or(UnknownAction)?;
        let (action, id) = rest.split_once(':').ok_or(UnknownAction)?;
        let action = match action {
            "show" => TipOfficerAction::Show,
            "ack" => TipOfficerAction::Acknowledge,
            "esc" => TipOfficerAction::Escalate,
            "res" => TipOfficerAction::Resolve,
            "note" => TipOfficerAction::Note,
            _ => return Err(UnknownAction),
        };
        Ok(TipAction {
            action,
            tip_id: id.parse().map_err(|_| UnknownAction)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value each enum can take, with the largest ids.
    fn every_value() -> Vec<String> {
        let big = i64::MAX;
        let mut out: Vec<String> = vec![];
        out.extend([ConsentAction::Yes, ConsentAction::No].map(|a| a.to_string()));
        out.extend([Lang::Vi, Lang::En].map(|l| LanguageAction(l).to_string()));
        out.extend([DeleteAction::Yes, DeleteAction::No].map(|a| a.to_string()));
        out.extend(ExportKind::ALL.map(|k| ExportAction::What(k).to_string()));
        out.extend(
            [ExportFormat::Xlsx, ExportFormat::Csv].map(|x| ExportAction::Format(x).to_string()),
        );
        out.extend(
            [
                CommitmentAction::Sign {
                    campaign_id: big,
                    version: big,
                },
                CommitmentAction::New,
                CommitmentAction::Edit { campaign_id: big },
                CommitmentAction::Close { campaign_id: big },
                CommitmentAction::Ok,
                CommitmentAction::Cancel,
            ]
            .map(|a| a.to_string()),
        );
        for action in [
            TipOfficerAction::Show,
            TipOfficerAction::Acknowledge,
            TipOfficerAction::Escalate,
            TipOfficerAction::Resolve,
            TipOfficerAction::Note,
        ] {
            out.push(
                TipAction {
                    action,
                    tip_id: big,
                }
                .to_string(),
            );
        }
        out
    }

    #[test]
    fn every_action_round_trips_and_fits_telegrams_64_bytes() {
        for data in every_value() {
            assert!(data.len() <= 64, "{data}: {} bytes", data.len());
            let parsed = [
                data.parse::<ConsentAction>().map(|a| a.to_string()),
                data.parse::<LanguageAction>().map(|a| a.to_string()),
                data.parse::<DeleteAction>().map(|a| a.to_string()),
                data.parse::<ExportAction>().map(|a| a.to_string()),
                data.parse::<CommitmentAction>().map(|a| a.to_string()),
                data.parse::<TipAction>().map(|a| a.to_string()),
            ];
            let ok: Vec<String> = parsed.into_iter().flatten().collect();
            assert_eq!(
                ok,
                vec![data.clone()],
                "{data} parses as exactly one action"
            );
        }
    }

    #[test]
    fn forged_data_is_refused() {
        for junk in [
            "",
            "cm:sign:1",
            "cm:sign:x:1",
            "cm:sign:1:2:3",
            "cm:sign:99999999999999999999:1",
            "tip:ack:",
            "tip:zap:1",
            "tip:ack:-",
            "exp:what:passwords",
            "lang:fr",
            "consent:maybe",
            "cm:sign:１:２",
        ] {
            assert!(junk.parse::<CommitmentAction>().is_err(), "{junk}");
            assert!(junk.parse::<TipAction>().is_err(), "{junk}");
            assert!(junk.parse::<ExportAction>().is_err(), "{junk}");
            assert!(junk.parse::<LanguageAction>().is_err(), "{junk}");
            assert!(junk.parse::<ConsentAction>().is_err(), "{junk}");
        }
    }
}
