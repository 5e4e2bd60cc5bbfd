//! Validated domain values. Everything that comes from outside (CSV, chat, CLI) goes
//! through one of these `parse` functions before it reaches the store.

use std::fmt;

use rand::Rng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid unit code")]
    UnitCode,
    #[error("invalid role")]
    Role,
    #[error("invalid invite code")]
    InviteCode,
    #[error("invalid language")]
    Lang,
    #[error("invalid receipt code")]
    ReceiptCode,
}

/// The role a person holds in their unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Leader,
    Officer,
    /// The police officer in charge of a unit's area (cán bộ công an phụ trách địa bàn):
    /// joins by the unit's special invite, is never counted or listed as a union member,
    /// and receives the tips of the categories the unit chose from its subtree.
    Liaison,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Leader => "leader",
            Role::Officer => "officer",
            Role::Liaison => "liaison",
        }
    }

    /// Whether the role is a union member's (member, leader, officer): the police
    /// liaison is not.
    pub fn is_union_member(self) -> bool {
        self != Role::Liaison
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "member" => Ok(Role::Member),
            "leader" => Ok(Role::Leader),
            "officer" => Ok(Role::Officer),
            "liaison" => Ok(Role::Liaison),
            _ => Err(DomainError::Role),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Interface language. Vietnamese first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// Every interface language, for messages rendered once per language.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            _ => Err(DomainError::Lang),
        }
    }
}

/// A unit's code in the union tree, as written in the org CSV.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnitCode(String);

impl UnitCode {
    pub const MAX_LEN: usize = 40;

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        let ok = !s.is_empty()
            && s.len() <= Self::MAX_LEN
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Ok(UnitCode(s.to_string()))
        } else {
            Err(DomainError::UnitCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A one-time code that links a member's second chat account: 8 characters from the
/// invite alphabet (40 bits), valid 10 minutes, single use, shown `ABCD-EFGH`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LinkCode(String);

impl LinkCode {
    pub const LEN: usize = 8;
    pub const VALID_MS: i64 = 10 * 60 * 1000;

    pub fn generate() -> Self {
        let mut rng = rand::rng();
        let code = (0..Self::LEN)
            .map(|_| InviteCode::ALPHABET[rng.random_range(0..InviteCode::ALPHABET.len())] as char)
            .collect();
        LinkCode(code)
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        if s.len() > 32 {
            return Err(DomainError::InviteCode);
        }
        let code: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '_'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let ok = code.len() == Self::LEN && code.bytes().all(|b| InviteCode::ALPHABET.contains(&b));
        if ok {
            Ok(LinkCode(code))
        } else {
            Err(DomainError::InviteCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `ABCD-EFGH`.
    pub fn grouped(&self) -> String {
        let (a, b) = self.0.split_at(Self::LEN / 2);
        format!("{a}-{b}")
    }
}

/// An invite code: 12 characters from an alphabet without look-alikes (no 0/O, 1/I),
/// 60 random bits. It fits Telegram's /start payload and can be read over the phone;
/// shown grouped as `ABCD-EFGH-JKLM`, accepted with or without dashes, any case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InviteCode(String);

impl InviteCode {
    const ALPHABET: &'static [u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    pub const LEN: usize = 12;

    pub fn generate() -> Self {
        let mut rng = rand::rng();
        let code = (0..Self::LEN)
            .map(|_| Self::ALPHABET[rng.random_range(0..Self::ALPHABET.len())] as char)
            .collect();
        InviteCode(code)
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        if s.len() > 64 {
            return Err(DomainError::InviteCode);
        }
        let code: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '_'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let ok = code.len() == Self::LEN && code.bytes().all(|b| Self::ALPHABET.contains(&b));
        if ok {
            Ok(InviteCode(code))
        } else {
            Err(DomainError::InviteCode)
        }
    }

    /// The canonical form, used in the database and in deep links.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped for reading aloud: `ABCD-EFGH-JKLM`.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_codes_round_trip_in_any_form() {
        for _ in 0..100 {
            let code = InviteCode::generate();
            assert_eq!(InviteCode::parse(code.as_str()), Ok(code.clone()));
            assert_eq!(InviteCode::parse(&code.grouped()), Ok(code.clone()));
            assert_eq!(
                InviteCode::parse(&code.grouped().to_lowercase()),
                Ok(code.clone())
            );
        }
    }

    #[test]
    fn bad_invite_codes_are_refused() {
        for bad in [
            "",
            "abc",
            "ABCDEFGHJKL0",
            "ABCDEFGHJKLMN",
            "ÀBCDEFGHJKLM",
            &"A".repeat(100),
        ] {
            assert!(InviteCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unit_codes() {
        assert!(UnitCode::parse(" HCM-01 ").is_ok());
        assert!(UnitCode::parse("").is_err());
        assert!(UnitCode::parse("có dấu").is_err());
        assert!(UnitCode::parse(&"x".repeat(41)).is_err());
    }

    #[test]
    fn roles_and_langs() {
        assert_eq!(Role::parse("Officer"), Ok(Role::Officer));
        assert!(Role::parse("admin").is_err());
        assert_eq!(Lang::parse("EN"), Ok(Lang::En));
    }
}
