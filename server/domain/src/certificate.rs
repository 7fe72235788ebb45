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

/// The two capital letters that start a programme's certificate numbers
/// (`KS` in `KS26-7F3K-9QXM`), set in the programme's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NumberPrefix([u8; 2]);

/// Why a text is not a number prefix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a certificate number prefix: use two capital letters A–Z")]
pub struct BadPrefix(pub String);

impl NumberPrefix {
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII capitals get in (see `parse`).
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// Two capital letters A–Z.
    ///
    /// # Errors
    /// [`BadPrefix`] for anything else.
    pub fn parse(text: &str) -> Result<Self, BadPrefix> {
        match text.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Ok(Self([*a, *b])),
            _ => Err(BadPrefix(text.to_owned())),
        }
    }
}

impl TryFrom<String> for NumberPrefix {
    type Error = BadPrefix;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<NumberPrefix> for String {
    fn from(prefix: NumberPrefix) -> Self {
        prefix.as_str().to_owned()
    }
}

/// Crockford's base32: no I, L, O or U, so numbers read aloud over a phone
/// or copied by hand are not confused.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A certificate number such as `KS26-7F3K-9QXM`: the programme's prefix,
/// the last two digits of the issue year, and 40 random bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CertificateNumber {
    pub prefix: NumberPrefix,
    /// Years since 2000.
    pub year: u8,
    /// 40 random bits.
    pub serial: u64,
}

impl CertificateNumber {
    /// Builds a number from the issue year and 40 random bits.
    #[must_use]
    pub fn new(prefix: NumberPrefix, issue_year: i32, random: u64) -> Self {
        let year = u8::try_from((issue_year - 2000).clamp(0, 99)).unwrap_or(0);
        Self { prefix, year, serial: random & 0xFF_FFFF_FFFF }
    }

    /// Parses the printed form, ignoring case and hyphens.
    #[must_use]
    pub fn parse(input: &str) -> Option<Self> {
        let cleaned: String = input.chars().filter(|c| *c != '-').collect::<String>().to_ascii_uppercase();
        if cleaned.len() != 12 || !cleaned.is_ascii() {
            return None;
        }
        let prefix = NumberPrefix::parse(cleaned.get(0..2)?).ok()?;
        let year: u8 = cleaned.get(2..4)?.parse().ok()?;
        let mut serial = 0u64;
        for byte in cleaned.get(4..)?.bytes() {
            let value = CROCKFORD.iter().position(|c| *c == byte)?;
            serial = (serial << 5) | value as u64;
        }
        Some(Self { prefix, year, serial })
    }
}

impl fmt::Display for CertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars: String =
            (0..8).rev().map(|i| char::from(CROCKFORD[((self.serial >> (i * 5)) & 31) as usize])).collect();
        write!(f, "{}{:02}-{}-{}", self.prefix.as_str(), self.year, &chars[..4], &chars[4..])
    }
}

/// What a certificate's QR code asserts, before the database is consulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CertificateClaims {
    /// The programme's `certificate_code` from its content.
    pub programme_code: u8,
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
            self.programme_code,
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

    /// Reads claims back; `None` for an unknown version. The number's prefix
    /// is not part of the claims: the caller sets it from the programme the
    /// code names, and the stored token must match byte for byte.
    #[must_use]
    pub fn from_bytes(bytes: &[u8; CLAIMS_LEN], prefix_of: impl Fn(u8) -> Option<NumberPrefix>) -> Option<Self> {
        let [version, key_id, programme, year, s0, s1, s2, s3, s4, d0, d1] = *bytes;
        if version != FORMAT_VERSION {
            return None;
        }
        let serial = u64::from_be_bytes([0, 0, 0, s0, s1, s2, s3, s4]);
        let completed_on = epoch().checked_add_days(chrono::Days::new(u64::from(u16::from_be_bytes([d0, d1]))))?;
        let number = CertificateNumber { prefix: prefix_of(programme)?, year, serial };
        Some(Self { programme_code: programme, number, completed_on, key_id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_read_case_insensitively() {
        let Ok(prefix) = NumberPrefix::parse("KS") else { panic!("KS is a prefix") };
        let number = CertificateNumber::new(prefix, 2026, 0xAB_CDEF_0123);
        let printed = number.to_string();
        assert_eq!(printed.len(), 14);
        assert!(printed.starts_with("KS26-"));
        assert_eq!(CertificateNumber::parse(&printed), Some(number));
        assert_eq!(CertificateNumber::parse(&printed.to_lowercase()), Some(number));
        assert_eq!(CertificateNumber::parse("KS26-0000-000U"), None, "U is not Crockford");
        assert_eq!(CertificateNumber::parse("K126-0000-0000"), None, "the prefix is two letters");
        assert!(NumberPrefix::parse("ks").is_err() && NumberPrefix::parse("KSS").is_err());
    }

    #[test]
    fn claims_round_trip() {
        let Ok(prefix) = NumberPrefix::parse("KS") else { panic!("KS is a prefix") };
        let claims = CertificateClaims {
            programme_code: 1,
            number: CertificateNumber::new(prefix, 2026, 42),
            completed_on: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
            key_id: 7,
        };
        let prefix_of = |code: u8| (code == 1).then_some(prefix);
        assert_eq!(CertificateClaims::from_bytes(&claims.to_bytes(), prefix_of), Some(claims));
        let other = CertificateClaims { programme_code: 9, ..claims };
        assert_eq!(CertificateClaims::from_bytes(&other.to_bytes(), prefix_of), None, "unknown programme");
        assert_eq!(TOKEN_LEN % 3, 0, "every base64url character must be significant");
    }
}
