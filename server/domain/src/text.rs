//! Rules for text people type that is printed or shown to others: names on
//! certificates, free text. What a reader cannot see must not be there: a
//! right-to-left override can make 「山田花子」 display as something else on a
//! certificate or the verify page, and zero-width characters make two names
//! that look the same differ.

/// Why a text was refused, in Japanese, to follow 「お名前に」 or 「入力に」.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HiddenCharacter {
    /// Control characters (tab, NUL, line breaks…).
    Control,
    /// Bidirectional overrides, embeddings, isolates and marks.
    Bidi,
    /// Zero-width and other invisible format characters.
    Invisible,
    /// U+FFFD: what invalid UTF-8 became when it was decoded.
    Undecodable,
    /// Private-use code points (外字 of one vendor) and unassigned surrogates.
    PrivateUse,
}

impl std::fmt::Display for HiddenCharacter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Control => "使えない制御文字（改行・タブなど）が含まれています",
            Self::Bidi => "文字の向きを変える見えない文字が含まれています。入力し直してください",
            Self::Invisible => "見えない文字（ゼロ幅スペースなど）が含まれています。入力し直してください",
            Self::Undecodable => "読み取れない文字が含まれています。入力し直してください",
            Self::PrivateUse => "表示できない文字（外字など）が含まれています。別の字で入力してください",
        })
    }
}

/// The first hidden character in `text`, if any.
#[must_use]
pub fn find_hidden_character(text: &str) -> Option<HiddenCharacter> {
    text.chars().find_map(classify)
}

/// Refuses text with hidden characters.
///
/// # Errors
/// The kind of character found.
pub fn refuse_hidden_characters(text: &str) -> Result<(), HiddenCharacter> {
    find_hidden_character(text).map_or(Ok(()), Err)
}

fn classify(c: char) -> Option<HiddenCharacter> {
    let code = u32::from(c);
    if c.is_control() {
        return Some(HiddenCharacter::Control);
    }
    match code {
        // LRM, RLM, ALM; embeddings and overrides; isolates.
        0x200E | 0x200F | 0x061C | 0x202A..=0x202E | 0x2066..=0x2069 => Some(HiddenCharacter::Bidi),
        // Soft hyphen, Mongolian vowel separator, zero-width space/joiners,
        // word joiner and invisible operators, deprecated format controls,
        // BOM, interlinear annotations, Arabic/Syriac format marks, tags.
        0x00AD
        | 0x180E
        | 0x200B..=0x200D
        | 0x2060..=0x2064
        | 0x206A..=0x206F
        | 0xFEFF
        | 0xFFF9..=0xFFFB
        | 0x0600..=0x0605
        | 0x06DD
        | 0x070F
        | 0x0890..=0x0891
        | 0x08E2
        | 0x110BD
        | 0x110CD
        | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A
        | 0xE0001
        | 0xE0020..=0xE007F => Some(HiddenCharacter::Invisible),
        0xFFFD => Some(HiddenCharacter::Undecodable),
        0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD => Some(HiddenCharacter::PrivateUse),
        // Noncharacters.
        0xFDD0..=0xFDEF => Some(HiddenCharacter::Undecodable),
        _ if code & 0xFFFE == 0xFFFE => Some(HiddenCharacter::Undecodable),
        _ => None,
    }
}

/// One CSV field for Excel: quoted, quotes doubled, and a leading `=`, `+`,
/// `-` or `@` prefixed with `'` so a name can never start a formula.
#[must_use]
pub fn csv_field(text: &str) -> String {
    let safe = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_owned() };
    format!("\"{}\"", safe.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_japanese_names_pass() {
        for name in ["山田 花子", "髙橋", "ｻﾄｳ", "Müller", "李 明", "葛\u{E0100}城", "𠮷田", "山田・ジョン"]
        {
            assert_eq!(find_hidden_character(name), None, "{name}");
        }
    }

    #[test]
    fn hidden_characters_are_found() {
        assert_eq!(find_hidden_character("a\u{0}b"), Some(HiddenCharacter::Control));
        assert_eq!(find_hidden_character("a\nb"), Some(HiddenCharacter::Control));
        assert_eq!(find_hidden_character("山田\u{202E}"), Some(HiddenCharacter::Bidi));
        assert_eq!(find_hidden_character("\u{2067}x"), Some(HiddenCharacter::Bidi));
        assert_eq!(find_hidden_character("山\u{200B}田"), Some(HiddenCharacter::Invisible));
        assert_eq!(find_hidden_character("\u{FEFF}山田"), Some(HiddenCharacter::Invisible));
        assert_eq!(find_hidden_character("山田\u{FFFD}"), Some(HiddenCharacter::Undecodable));
        assert_eq!(find_hidden_character("\u{E000}"), Some(HiddenCharacter::PrivateUse));
    }
}
