//! 全国地方公共団体コード (local-government codes) and the index of all
//! prefectures and municipalities, with a search that works for thumbs on a
//! phone: part of the name, its kana, or the code.

use serde::{Deserialize, Serialize};
use std::{collections::HashMap, fmt};

/// A six-digit 全国地方公共団体コード whose sixth digit (検査数字) verifies.
///
/// Codes enter the system from forms, CSV uploads and URLs; parsing them
/// through this type is the one place the check digit is enforced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalGovCode(u32);

/// Why a string is not a valid local-government code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("団体コードは6桁の数字で入力してください")]
    NotSixDigits,
    #[error("団体コードの検査数字が一致しません")]
    CheckDigitMismatch,
}

impl LocalGovCode {
    /// Parses a code, accepting full-width digits (０-９) as typed on Japanese
    /// keyboards, and surrounding white space.
    ///
    /// # Errors
    /// [`CodeError`] when the input is not six digits or its check digit fails.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let digits: Vec<u32> = input
            .trim()
            .chars()
            .map(|c| match c {
                '0'..='9' => Some(u32::from(c) - u32::from('0')),
                '０'..='９' => Some(u32::from(c) - u32::from('０')),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or(CodeError::NotSixDigits)?;
        let [d1, d2, d3, d4, d5, check] = digits[..] else {
            return Err(CodeError::NotSixDigits);
        };
        if check_digit([d1, d2, d3, d4, d5]) != check {
            return Err(CodeError::CheckDigitMismatch);
        }
        Ok(Self(digits.iter().fold(0, |acc, d| acc * 10 + d)))
    }

    /// Builds the full code from the five-digit body, adding the check digit.
    #[must_use]
    pub fn from_body(body: u32) -> Option<Self> {
        if body > 99_999 {
            return None;
        }
        let d = |i: u32| (body / 10u32.pow(4 - i)) % 10;
        let check = check_digit([d(0), d(1), d(2), d(3), d(4)]);
        Some(Self(body * 10 + check))
    }

    /// The two-digit prefecture number (01 北海道 … 47 沖縄県).
    #[must_use]
    pub fn prefecture_number(self) -> u8 {
        u8::try_from(self.0 / 10_000).unwrap_or(0)
    }

    /// The code of the prefecture this code belongs to (itself for a prefecture).
    #[must_use]
    pub fn prefecture_code(self) -> Self {
        Self::from_body(u32::from(self.prefecture_number()) * 1000).unwrap_or(self)
    }

    /// True for the code of a prefecture itself (NN000x).
    #[must_use]
    pub fn is_prefecture(self) -> bool {
        (self.0 / 10).is_multiple_of(1000)
    }
}

/// 総務省's rule: weights 6,5,4,3,2 over the first five digits; the check digit
/// is 11 minus the remainder mod 11, with 10 written as 0 and 11 as 1.
fn check_digit(body: [u32; 5]) -> u32 {
    let sum: u32 = body.iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    (11 - sum % 11) % 10
}

impl fmt::Display for LocalGovCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

impl TryFrom<String> for LocalGovCode {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LocalGovCode> for String {
    fn from(code: LocalGovCode) -> Self {
        code.to_string()
    }
}

/// What kind of local government a code names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JurisdictionKind {
    Prefecture,
    Municipality,
    /// 政令指定都市の行政区: an administrative ward, not a local government.
    Ward,
}

/// One prefecture, municipality or ward.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jurisdiction {
    pub code: LocalGovCode,
    pub kind: JurisdictionKind,
    pub name: String,
    pub kana: String,
    pub parent: Option<LocalGovCode>,
}

/// A municipality offered by the picker, with the name that makes it
/// unambiguous ("東京都府中市" rather than "府中市").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityOption {
    pub code: String,
    pub full_name: String,
    pub kana: String,
}

/// Why the reference files could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file} line {line}: {message}")]
pub struct ReferenceDataError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

/// Why a typed residence could not be resolved to one municipality.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("市区町村を入力してください")]
    Empty,
    #[error("「{0}」に当たる市区町村が見つかりません")]
    NotFound(String),
    #[error("「{query}」は複数あります（{}）。都道府県名から入力してください", candidates.join("、"))]
    Ambiguous { query: String, candidates: Vec<String> },
}

/// Every prefecture and municipality, loaded once at start-up.
#[derive(Debug)]
pub struct JurisdictionIndex {
    by_code: HashMap<LocalGovCode, Jurisdiction>,
    /// Municipalities in code order, with their search keys precomputed.
    municipalities: Vec<SearchEntry>,
    prefectures: Vec<LocalGovCode>,
    populations: HashMap<u8, u64>,
}

#[derive(Debug)]
struct SearchEntry {
    code: LocalGovCode,
    name: String,
    full_name: String,
    kana: String,
}

const CODES_FILE: &str = "local_government_codes.csv";
const POPULATION_FILE: &str = "prefecture_population_2020.csv";

impl JurisdictionIndex {
    /// Parses and validates both reference files.
    ///
    /// # Errors
    /// The first line that is malformed, has a bad check digit, names an
    /// unknown parent, or a set that is incomplete (not 47 prefectures).
    pub fn from_csv(codes_csv: &str, population_csv: &str) -> Result<Self, ReferenceDataError> {
        let err = |file, line, message: String| ReferenceDataError { file, line, message };
        let mut by_code = HashMap::new();
        let mut order = Vec::new();
        for (index, line) in codes_csv.lines().enumerate().skip(1) {
            let line_no = index + 1;
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split(',').collect();
            let [code, kind, name, kana, parent] = fields[..] else {
                return Err(err(CODES_FILE, line_no, "expected 5 columns".into()));
            };
            let code = LocalGovCode::parse(code).map_err(|e| err(CODES_FILE, line_no, e.to_string()))?;
            let kind = match kind {
                "prefecture" => JurisdictionKind::Prefecture,
                "municipality" => JurisdictionKind::Municipality,
                "ward" => JurisdictionKind::Ward,
                other => return Err(err(CODES_FILE, line_no, format!("unknown kind {other}"))),
            };
            let parent = if parent.is_empty() {
                None
            } else {
                Some(LocalGovCode::parse(parent).map_err(|e| err(CODES_FILE, line_no, e.to_string()))?)
            };
            if name.is_empty() || kana.is_empty() {
                return Err(err(CODES_FILE, line_no, "empty name or kana".into()));
            }
            let jurisdiction = Jurisdiction { code, kind, name: name.into(), kana: kana.into(), parent };
            if by_code.insert(code, jurisdiction).is_some() {
                return Err(err(CODES_FILE, line_no, format!("duplicate code {code}")));
            }
            order.push((line_no, code));
        }
        for (line_no, code) in &order {
            let j = &by_code[code];
            let parent_ok = match (j.kind, j.parent) {
                (JurisdictionKind::Prefecture, None) => true,
                (JurisdictionKind::Municipality, Some(p)) => {
                    by_code.get(&p).is_some_and(|p| p.kind == JurisdictionKind::Prefecture)
                }
                (JurisdictionKind::Ward, Some(p)) => {
                    by_code.get(&p).is_some_and(|p| p.kind == JurisdictionKind::Municipality)
                }
                _ => false,
            };
            if !parent_ok {
                return Err(err(CODES_FILE, *line_no, format!("{code}: parent missing or of the wrong kind")));
            }
        }
        let prefectures: Vec<LocalGovCode> =
            order.iter().map(|(_, c)| *c).filter(|c| by_code[c].kind == JurisdictionKind::Prefecture).collect();
        if prefectures.len() != 47 {
            return Err(err(CODES_FILE, 0, format!("expected 47 prefectures, found {}", prefectures.len())));
        }
        let mut populations = HashMap::new();
        for (index, line) in population_csv.lines().enumerate().skip(1) {
            let line_no = index + 1;
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split(',').collect();
            let [number, _name, population] = fields[..] else {
                return Err(err(POPULATION_FILE, line_no, "expected 3 columns".into()));
            };
            let number: u8 =
                number.parse().map_err(|_| err(POPULATION_FILE, line_no, "bad prefecture number".into()))?;
            let population: u64 =
                population.parse().map_err(|_| err(POPULATION_FILE, line_no, "bad population".into()))?;
            populations.insert(number, population);
        }
        if populations.len() != 47 {
            return Err(err(POPULATION_FILE, 0, format!("expected 47 prefectures, found {}", populations.len())));
        }
        let mut index = Self { by_code, municipalities: Vec::new(), prefectures, populations };
        index.municipalities = order
            .iter()
            .map(|(_, c)| *c)
            .filter(|c| index.by_code[c].kind == JurisdictionKind::Municipality)
            .map(|code| {
                let j = &index.by_code[&code];
                SearchEntry { code, name: j.name.clone(), full_name: index.full_name(code), kana: j.kana.clone() }
            })
            .collect();
        Ok(index)
    }

    #[must_use]
    pub fn get(&self, code: LocalGovCode) -> Option<&Jurisdiction> {
        self.by_code.get(&code)
    }

    /// The 47 prefectures in code order.
    pub fn prefectures(&self) -> impl Iterator<Item = &Jurisdiction> {
        self.prefectures.iter().filter_map(|c| self.by_code.get(c))
    }

    /// Number of municipalities (市町村 and 特別区).
    #[must_use]
    pub fn municipality_count(&self) -> usize {
        self.municipalities.len()
    }

    /// 2020 census population of a prefecture.
    #[must_use]
    pub fn prefecture_population(&self, prefecture_number: u8) -> Option<u64> {
        self.populations.get(&prefecture_number).copied()
    }

    /// The name people write on forms: the prefecture followed by the
    /// municipality (and ward), e.g. "大阪府大阪市北区"; a prefecture alone
    /// is its own name. Unknown codes show the code itself.
    #[must_use]
    pub fn full_name(&self, code: LocalGovCode) -> String {
        let mut parts = Vec::new();
        let mut current = self.by_code.get(&code);
        while let Some(j) = current {
            parts.push(j.name.as_str());
            current = j.parent.and_then(|p| self.by_code.get(&p));
        }
        if parts.is_empty() {
            return code.to_string();
        }
        parts.reverse();
        parts.concat()
    }

    /// Municipalities whose name, full name or kana contains the query
    /// (katakana and full-width input are folded), or whose code starts with
    /// it. Exact and prefix matches come first.
    #[must_use]
    pub fn search_municipalities(&self, query: &str, limit: usize) -> Vec<MunicipalityOption> {
        let query = normalize(query);
        if query.is_empty() {
            return Vec::new();
        }
        let mut ranked: Vec<(u8, &SearchEntry)> = self
            .municipalities
            .iter()
            .filter_map(|e| {
                let code = e.code.to_string();
                let rank = if e.name == query || e.full_name == query {
                    0
                } else if e.name.starts_with(&query) || e.kana.starts_with(&query) || code.starts_with(&query) {
                    1
                } else if e.full_name.contains(&query) || e.kana.contains(&query) {
                    2
                } else {
                    return None;
                };
                Some((rank, e))
            })
            .collect();
        ranked.sort_by_key(|(rank, e)| (*rank, e.code));
        ranked
            .into_iter()
            .take(limit)
            .map(|(_, e)| MunicipalityOption {
                code: e.code.to_string(),
                full_name: e.full_name.clone(),
                kana: e.kana.clone(),
            })
            .collect()
    }

    /// Turns what a resident typed as their place of residence into one
    /// municipality: a code, a full name ("東京都府中市"), a name ("府中市")
    /// or its kana. Names shared by several municipalities ask for the
    /// prefecture rather than guessing.
    ///
    /// # Errors
    /// [`ResolveError`] when nothing or more than one municipality matches.
    pub fn resolve_municipality(&self, input: &str) -> Result<LocalGovCode, ResolveError> {
        let query = normalize(input);
        if query.is_empty() {
            return Err(ResolveError::Empty);
        }
        if query.chars().all(|c| c.is_ascii_digit()) {
            return LocalGovCode::parse(&query)
                .ok()
                .filter(|c| self.get(*c).is_some_and(|j| j.kind == JurisdictionKind::Municipality))
                .ok_or(ResolveError::NotFound(input.trim().to_owned()));
        }
        let exact: Vec<&SearchEntry> =
            self.municipalities.iter().filter(|e| e.full_name == query || e.name == query || e.kana == query).collect();
        match exact[..] {
            [one] => Ok(one.code),
            [] => Err(ResolveError::NotFound(input.trim().to_owned())),
            _ => Err(ResolveError::Ambiguous {
                query: input.trim().to_owned(),
                candidates: exact.iter().map(|e| e.full_name.clone()).collect(),
            }),
        }
    }
}

/// Folds what people type on phones to the form stored in the reference
/// data: full-width ASCII to half-width, katakana to hiragana, no spaces.
fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '！'..='～' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            'ァ'..='ヶ' => char::from_u32(u32::from(c) - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_follows_the_soumusho_rule() {
        assert_eq!(LocalGovCode::parse("130001").map(|c| c.to_string()), Ok("130001".into()));
        assert_eq!(LocalGovCode::parse("131016").map(|c| c.to_string()), Ok("131016".into()));
        assert_eq!(LocalGovCode::parse("131017"), Err(CodeError::CheckDigitMismatch));
        assert_eq!(LocalGovCode::parse("13101"), Err(CodeError::NotSixDigits));
        assert_eq!(LocalGovCode::parse("abcdef"), Err(CodeError::NotSixDigits));
        assert_eq!(LocalGovCode::parse("１３１０１６").map(|c| c.to_string()), Ok("131016".into()));
        assert_eq!(LocalGovCode::from_body(13101).map(|c| c.to_string()), Some("131016".into()));
    }

    #[test]
    fn prefecture_of_a_municipality() {
        let shinjuku = LocalGovCode::parse("131041").ok();
        assert_eq!(shinjuku.map(|c| c.prefecture_code().to_string()), Some("130001".into()));
        assert_eq!(shinjuku.map(LocalGovCode::is_prefecture), Some(false));
        assert_eq!(LocalGovCode::parse("130001").map(LocalGovCode::is_prefecture), Ok(true));
    }

    #[test]
    fn normalize_folds_katakana_and_full_width() {
        assert_eq!(normalize("フチュウ シ"), "ふちゅうし");
        assert_eq!(normalize("１３１"), "131");
    }
}
