//! Certificate numbers and the compact claims a QR code carries.
//!
//! A verification URL is `<PUBLIC_URL>/v/<token>`, where the token is the
//! base64url (no padding) encoding of 75 bytes: 11 bytes of claims followed by
//! an Ed25519 signature over a domain-separation prefix and those claims.
//! 75 is a multiple of 3, so every one of the 100 characters carries six
//! significant bits: changing any character changes the bytes and breaks the
//! signature.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The four training programmes of the platform. The numeric values are part
/// of signed certificate tokens: never renumber them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Programme {
    /// 心のサポーター養成研修
    KokoroSupporter = 1,
    /// 心のサポーター指導者養成研修
    KokoroInstructor = 2,
    /// 精神保健福祉相談員 講習
    MentalHealthCounsellor = 3,
    /// 入院者訪問支援員 養成研修
    InpatientVisitor = 4,
}

impl Programme {
    /// Japanese name printed on certificates and pages.
    #[must_use]
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::KokoroSupporter => "心のサポーター養成研修",
            Self::KokoroInstructor => "心のサポーター指導者養成研修",
            Self::MentalHealthCounsellor => "精神保健福祉相談員講習",
            Self::InpatientVisitor => "入院者訪問支援員養成研修",
        }
    }

    /// Two letters that start certificate numbers.
    #[must_use]
    pub fn prefix(self) -> &'static str {
        match self {
            Self::KokoroSupporter => "KS",
            Self::KokoroInstructor => "KI",
            Self::MentalHealthCounsellor => "SS",
            Self::InpatientVisitor => "HS",
        }
    }

    /// Stable identifier stored in the database.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::KokoroSupporter => "kokoro_supporter",
            Self::KokoroInstructor => "kokoro_instructor",
            Self::MentalHealthCounsellor => "mental_health_counsellor",
            Self::InpatientVisitor => "inpatient_visitor",
        }
    }

    #[must_use]
    pub fn from_str_id(id: &str) -> Option<Self> {
        [Self::KokoroSupporter, Self::KokoroInstructor, Self::MentalHealthCounsellor, Self::InpatientVisitor]
            .into_iter()
            .find(|p| p.as_str() == id)
    }

    fn from_byte(byte: u8) -> Option<Self> {
        [Self::KokoroSupporter, Self::KokoroInstructor, Self::MentalHealthCounsellor, Self::InpatientVisitor]
            .into_iter()
            .find(|p| *p as u8 == byte)
    }

    fn from_prefix(prefix: &str) -> Option<Self> {
        [Self::KokoroSupporter, Self::KokoroInstructor, Self::MentalHealthCounsellor, Self::InpatientVisitor]
            .into_iter()
            .find(|p| p.prefix() == prefix)
    }
}

/// Crockford's base32: no I, L, O or U, so numbers read aloud over a phone
/// or copied by hand are not confused.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A certificate number such as `KS26-7F3K-9QXM`: programme, the last two
/// digits of the issue year, and 40 random bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CertificateNumber {
    pub programme: Programme,
    /// Years since 2000.
    pub year: u8,
    /// 40 random bits.
    pub serial: u64,
}

impl CertificateNumber {
    /// Builds a number from the issue year and 40 random bits.
    #[must_use]
    pub fn new(programme: Programme, issue_year: i32, random: u64) -> Self {
        let year = u8::try_from((issue_year - 2000).clamp(0, 99)).unwrap_or(0);
        Self { programme, year, serial: random & 0xFF_FFFF_FFFF }
    }

    /// Parses the printed form, ignoring case and hyphens.
    #[must_use]
    pub fn parse(input: &str) -> Option<Self> {
        let cleaned: String = input.chars().filter(|c| *c != '-').collect::<String>().to_ascii_uppercase();
        if cleaned.len() != 12 || !cleaned.is_ascii() {
            return None;
        }
        let programme = Programme::from_prefix(cleaned.get(0..2)?)?;
        let year: u8 = cleaned.get(2..4)?.parse().ok()?;
        let mut serial = 0u64;
        for byte in cleaned.get(4..)?.bytes() {
            let value = CROCKFORD.iter().position(|c| *c == byte)?;
            serial = (serial << 5) | value as u64;
        }
        Some(Self { programme, year, serial })
    }
}

impl fmt::Display for CertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars: String =
            (0..8).rev().map(|i| char::from(CROCKFORD[((self.serial >> (i * 5)) & 31) as usize])).collect();
        write!(f, "{}{:02}-{}-{}", self.programme.prefix(), self.year, &chars[..4], &chars[4..])
    }
}

/// What a certificate's QR code asserts, before the database is consulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CertificateClaims {
    pub number: CertificateNumber,
    pub completed_on: NaiveDate,
    /// First byte of SHA-256 of the public key that signed the token, so a
    /// rotated key can still verify the certificates it signed.
    pub key_id: u8,
}

/// Length of the signed claims, in bytes.
pub const CLAIMS_LEN: usize = 11;
/// Length of a whole token before base64url: claims plus an Ed25519 signature.
pub const TOKEN_LEN: usize = CLAIMS_LEN + 64;
const FORMAT_VERSION: u8 = 1;

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

impl CertificateClaims {
    /// The bytes that are signed: version, key id, programme, year, serial
    /// (5 bytes, big-endian) and the completion date as days since 2000-01-01.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; CLAIMS_LEN] {
        let days = u16::try_from((self.completed_on - epoch()).num_days()).unwrap_or(0);
        let serial = self.number.serial.to_be_bytes();
        let d = days.to_be_bytes();
        [
            FORMAT_VERSION,
            self.key_id,
            self.number.programme as u8,
            self.number.year,
            serial[3],
            serial[4],
            serial[5],
            serial[6],
            serial[7],
            d[0],
            d[1],
        ]
    }

    /// Reads claims back; `None` for an unknown version or programme.
    #[must_use]
    pub fn from_bytes(bytes: &[u8; CLAIMS_LEN]) -> Option<Self> {
        let [version, key_id, programme, year, s0, s1, s2, s3, s4, d0, d1] = *bytes;
        if version != FORMAT_VERSION {
            return None;
        }
        let serial = u64::from_be_bytes([0, 0, 0, s0, s1, s2, s3, s4]);
        let completed_on = epoch().checked_add_days(chrono::Days::new(u64::from(u16::from_be_bytes([d0, d1]))))?;
        let number = CertificateNumber { programme: Programme::from_byte(programme)?, year, serial };
        Some(Self { number, completed_on, key_id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_read_case_insensitively() {
        let number = CertificateNumber::new(Programme::KokoroSupporter, 2026, 0xAB_CDEF_0123);
        let printed = number.to_string();
        assert_eq!(printed.len(), 14);
        assert!(printed.starts_with("KS26-"));
        assert_eq!(CertificateNumber::parse(&printed), Some(number));
        assert_eq!(CertificateNumber::parse(&printed.to_lowercase()), Some(number));
        assert_eq!(CertificateNumber::parse("KS26-0000-000U"), None, "U is not Crockford");
        assert_eq!(CertificateNumber::parse("ZZ26-0000-0000"), None);
    }

    #[test]
    fn claims_round_trip() {
        let claims = CertificateClaims {
            number: CertificateNumber::new(Programme::KokoroSupporter, 2026, 42),
            completed_on: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
            key_id: 7,
        };
        assert_eq!(CertificateClaims::from_bytes(&claims.to_bytes()), Some(claims));
        assert_eq!(TOKEN_LEN % 3, 0, "every base64url character must be significant");
    }
}
