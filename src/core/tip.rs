//! Incident tips from worker-housing groups: categories, receipt codes, deadlines and
//! how a tip is shown. No I/O; the store routes and the conversation collects.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::domain::DomainError;

/// What happened, in the words of the union's paper forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Theft,
    Drugs,
    Fight,
    Fire,
    Stranger,
    Vice,
    Labour,
    Other,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Theft,
        Category::Drugs,
        Category::Fight,
        Category::Fire,
        Category::Stranger,
        Category::Vice,
        Category::Labour,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Theft => "theft",
            Category::Drugs => "drugs",
            Category::Fight => "fight",
            Category::Fire => "fire",
            Category::Stranger => "stranger",
            Category::Vice => "vice",
            Category::Labour => "labour",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The Fluent id of the category's name.
    pub fn label_id(self) -> String {
        format!("tip-cat-{}", self.as_str())
    }

    /// Minutes before an unacknowledged tip goes one level up, unless a unit says
    /// otherwise: danger to life and crime fast, the rest within a day.
    pub fn default_deadline_minutes(self) -> i64 {
        match self {
            Category::Fire | Category::Theft | Category::Drugs | Category::Fight => 120,
            _ => 24 * 60,
        }
    }
}

/// Where a tip stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipStatus {
    New,
    Acknowledged,
    Resolved,
}

impl TipStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TipStatus::New => "new",
            TipStatus::Acknowledged => "acknowledged",
            TipStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<TipStatus> {
        match s {
            "new" => Some(TipStatus::New),
            "acknowledged" => Some(TipStatus::Acknowledged),
            "resolved" => Some(TipStatus::Resolved),
            _ => None,
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            TipStatus::New => "tip-status-new",
            TipStatus::Acknowledged => "tip-status-acknowledged",
            TipStatus::Resolved => "tip-status-resolved",
        }
    }
}

/// A tip's receipt code: 10 characters from the invite alphabet (no 0/O, 1/I), 50
/// random bits, shown `TB-ABCDE-FGHJK` so it can be read out over the phone. Accepted
/// with or without the `TB` prefix and dashes, in any case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReceiptCode(String);

impl ReceiptCode {
    const ALPHABET: &'static [u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    pub const LEN: usize = 10;

    pub fn generate() -> Self {
        let mut rng = rand::rng();
        let code = (0..Self::LEN)
            .map(|_| Self::ALPHABET[rng.random_range(0..Self::ALPHABET.len())] as char)
            .collect();
        ReceiptCode(code)
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        if s.len() > 40 {
            return Err(DomainError::ReceiptCode);
        }
        let mut code: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '_' | '.'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.len() == Self::LEN + 2 && code.starts_with("TB") {
            code.drain(..2);
        }
        let ok = code.len() == Self::LEN && code.bytes().all(|b| Self::ALPHABET.contains(&b));
        if ok {
            Ok(ReceiptCode(code))
        } else {
            Err(DomainError::ReceiptCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `TB-ABCDE-FGHJK`.
    pub fn grouped(&self) -> String {
        let (a, b) = self.0.split_at(Self::LEN / 2);
        format!("TB-{a}-{b}")
    }
}

/// A tip as the people allowed to see it are shown it. The reporter appears only as a
/// display name, and only when they chose to be named.
#[derive(Debug, Clone, PartialEq)]
pub struct TipView {
    pub id: i64,
    pub code: ReceiptCode,
    pub category: Category,
    pub status: TipStatus,
    pub description: String,
    pub location_text: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub happened_text: Option<String>,
    /// The reporter's unit.
    pub unit_name: String,
    /// The unit that must act now.
    pub handling_unit_name: String,
    /// `None` when anonymous (or the reporter deleted their data).
    pub reporter_name: Option<String>,
    pub anonymous: bool,
    pub created_at: i64,
    pub escalate_at: Option<i64>,
    pub resolution_note: Option<String>,
    /// (channel, file id) of each photo.
    pub photos: Vec<(String, String)>,
    /// Whether the viewer reported it (then they see their own tip, not the buttons).
    pub mine: bool,
    /// Whether the viewer is an officer whose subtree holds it.
    pub in_scope: bool,
    /// Whether some unit above the handling unit has officers.
    pub can_escalate: bool,
    /// The history, oldest first.
    pub events: Vec<TipEventView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipEventView {
    pub kind: String,
    pub unit_name: Option<String>,
    pub note: Option<String>,
    pub at: i64,
}

/// One line of an officer's open-tips list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipSummary {
    pub id: i64,
    pub code: ReceiptCode,
    pub category: Category,
    pub status: TipStatus,
    pub unit_name: String,
    pub created_at: i64,
    pub overdue: bool,
    /// When it goes one level up if nobody takes it (`None` once taken).
    pub escalate_at: Option<i64>,
}

/// What the reporter filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TipDraft {
    pub category: Category,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub happened_text: Option<String>,
    /// File ids on the reporter's channel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
}

/// Limits that keep one reporter from flooding the officers.
/// Whether a tip's photo, received on channel `from` as `file_id`, can be shown to an
/// officer on channel `to`: on the same channel by its file id; a Zalo photo (a URL on
/// Zalo's CDN) on Telegram too, where the sender downloads and uploads it. A Telegram
/// photo cannot go to Zalo (Zalo's sendPhoto takes only a public URL).
pub fn photo_reaches(from: &str, to: &str, file_id: &str) -> bool {
    let url = file_id.starts_with("https://") || file_id.starts_with("http://");
    from == to || (from == "zalo" && to == "telegram" && url)
}

pub const MAX_TIPS_PER_HOUR: i64 = 5;
pub const MAX_PHOTOS: usize = 5;
pub const MAX_DESCRIPTION_CHARS: usize = 1500;
pub const MIN_DESCRIPTION_CHARS: usize = 5;
pub const MAX_SHORT_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_codes_round_trip_in_any_form() {
        for _ in 0..100 {
            let code = ReceiptCode::generate();
            assert_eq!(ReceiptCode::parse(code.as_str()), Ok(code.clone()));
            assert_eq!(ReceiptCode::parse(&code.grouped()), Ok(code.clone()));
            assert_eq!(
                ReceiptCode::parse(&code.grouped().to_lowercase()),
                Ok(code.clone())
            );
        }
        for bad in ["", "TB", "TB-ABCDE-FGHJ0", "ABCDEFGHJKLM", &"A".repeat(50)] {
            assert!(ReceiptCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn categories_round_trip_and_have_deadlines() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert_eq!(Category::Fire.default_deadline_minutes(), 120);
        assert_eq!(Category::Labour.default_deadline_minutes(), 1440);
        assert_eq!(Category::parse("nope"), None);
    }
}
