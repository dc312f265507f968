//! The directory (PRODUCT.md §1): people, organisations and the categories forums report on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary stored and exchanged as lower-case kebab-case codes.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in storage, URLs and the JSON API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl FromStr for $name {
            type Err = $crate::directory::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($code => Ok($name::$variant),)+
                    other => Err($crate::directory::UnknownCode { vocabulary: stringify!($name), code: other.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use vocabulary;

/// A code that is not part of a closed vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} code {code:?}")]
pub struct UnknownCode {
    pub vocabulary: &'static str,
    pub code: String,
}

vocabulary! {
    /// The stakeholder groups of the IGF's multistakeholder model.
    StakeholderGroup {
        Government => "government",
        IntergovernmentalOrganisation => "intergovernmental",
        PrivateSector => "private-sector",
        CivilSociety => "civil-society",
        TechnicalCommunity => "technical-community",
        Academia => "academia",
    }
}

vocabulary! {
    /// The five United Nations regional groups.
    UnRegion {
        African => "african",
        AsiaPacific => "asia-pacific",
        EasternEuropean => "eastern-european",
        LatinAmericanCaribbean => "latin-american-caribbean",
        WesternEuropeanOthers => "western-european-others",
    }
}

/// A person's name as they write it, in any script, with how it is read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    /// As written: "藤井 健太", "Carol Roach", "Nakano Ren".
    pub display: String,
    /// The reading in kana ("ふじい けんた"), used for gojūon order.
    pub reading: Option<String>,
    /// Romanisation for readers of Latin script ("Fujii Kenta").
    pub romanized: Option<String>,
}

/// Why a value could not become part of the directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    #[error("{field}: must not be empty")]
    Empty { field: &'static str },
    #[error("{field}: longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("reading: only kana, spaces and the long-vowel mark are allowed, found {found:?}")]
    ReadingNotKana { found: char },
    #[error("country: expected a two-letter ISO 3166 code such as JP, found {found:?}")]
    Country { found: String },
    #[error(transparent)]
    Code(#[from] UnknownCode),
}

const NAME_MAX: usize = 200;

impl PersonName {
    /// Parses a name from form or file input: trims, collapses runs of spaces (ASCII or
    /// ideographic), and checks that a reading is written in kana.
    pub fn parse(display: &str, reading: Option<&str>, romanized: Option<&str>) -> Result<Self, DirectoryError> {
        let display = normalize_spaces(display);
        if display.is_empty() {
            return Err(DirectoryError::Empty { field: "name" });
        }
        if display.chars().count() > NAME_MAX {
            return Err(DirectoryError::TooLong { field: "name", max: NAME_MAX });
        }
        let reading = reading.map(normalize_spaces).filter(|r| !r.is_empty());
        if let Some(reading) = &reading
            && let Some(found) = reading.chars().find(|c| !is_reading_char(*c))
        {
            return Err(DirectoryError::ReadingNotKana { found });
        }
        let romanized = romanized.map(normalize_spaces).filter(|r| !r.is_empty());
        Ok(Self { display, reading, romanized })
    }

    /// The reading used for ordering: the stated one, else one derived from a romanised
    /// Japanese name ("Suga Yuji" files under す), else none.
    pub fn sort_reading(&self) -> Option<String> {
        if let Some(reading) = &self.reading {
            return Some(reading.clone());
        }
        [Some(&self.display), self.romanized.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|latin| crate::collation::romaji_to_hiragana(latin))
    }
}

/// What a reading may hold, as a JSON Schema pattern for the API's documents: kana, the marks
/// `ー・ゝゞヽヾ`, and white space as Rust counts it (which `normalize_spaces` folds).
pub const READING_PATTERN: &str = concat!(
    r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u309d\u309e\u30fd\u30fe",
    r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$",
);

fn is_reading_char(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー' | '・' | ' ' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ')
}

/// Trims and collapses whitespace, turning the ideographic space (U+3000) into an ASCII one.
pub fn normalize_spaces(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{3000}')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The longest address kept, in characters (RFC 5321 allows a 254-octet path; counted in
/// characters so that the JSON Schema's `maxLength` says the same).
pub const EMAIL_MAX: usize = 254;

/// What [`is_email`] accepts, as a JSON Schema / ECMA-262 pattern, so that the API's document
/// and the check can never disagree: one `@`, something before it, a dot inside the part after
/// it, no whitespace, control characters or angle brackets anywhere.
pub const EMAIL_PATTERN: &str = concat!(
    r"^[^@<>\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+",
    r"@[^@<>.\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
    r"[^@<>\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*\.",
    r"[^@<>\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*",
    r"[^@<>.\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$",
);

/// Whether `text` (as typed, not trimmed) is an address kaigi will write to. Deliberately loose
/// about the local part (RFC 5322 allows far more than forms do) and strict only about what
/// breaks a letter: a missing or doubled `@`, a domain without a dot, spaces and controls.
pub fn is_email(text: &str) -> bool {
    let allowed = |c: char| !(c.is_whitespace() || c.is_control() || matches!(c, '@' | '<' | '>'));
    text.chars().count() <= EMAIL_MAX
        && text.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.chars().all(allowed)
                && domain.chars().all(allowed)
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
}

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Country(String);

impl Country {
    pub fn parse(s: &str) -> Result<Self, DirectoryError> {
        let code = s.trim().to_ascii_uppercase();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(code))
        } else {
            Err(DirectoryError::Country { found: s.to_owned() })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Gender is optional and self-described: kaigi stores what the person wrote and only
/// groups it for statistics when it matches a common answer.
pub fn gender_bucket(self_described: Option<&str>) -> &'static str {
    let Some(g) = self_described.map(|g| g.trim().to_lowercase()) else {
        return "undisclosed";
    };
    match g.as_str() {
        "" => "undisclosed",
        "woman" | "female" | "f" | "女性" | "女" => "woman",
        "man" | "male" | "m" | "男性" | "男" => "man",
        _ => "self-described",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_ideographic_spaces_folded() {
        let name = PersonName::parse("　藤井\u{3000}健太 ", Some("ふじい　けんた"), None).unwrap();
        assert_eq!(name.display, "藤井 健太");
        assert_eq!(name.reading.as_deref(), Some("ふじい けんた"));
    }

    #[test]
    fn a_reading_must_be_kana() {
        let err = PersonName::parse("藤井 健太", Some("fujii"), None).unwrap_err();
        assert_eq!(err, DirectoryError::ReadingNotKana { found: 'f' });
        assert!(PersonName::parse("  ", None, None).is_err());
    }

    #[test]
    fn romanised_japanese_names_get_a_reading() {
        let name = PersonName::parse("Suga Yuji", None, None).unwrap();
        assert_eq!(name.sort_reading().as_deref(), Some("すが ゆじ"));
        let name = PersonName::parse("Carol Roach", None, None).unwrap();
        assert_eq!(name.sort_reading(), None);
    }

    #[test]
    fn vocabularies_round_trip_through_their_codes() {
        for group in StakeholderGroup::ALL {
            assert_eq!(group.code().parse::<StakeholderGroup>().unwrap(), *group);
        }
        for region in UnRegion::ALL {
            assert_eq!(region.code().parse::<UnRegion>().unwrap(), *region);
        }
        assert!("pirates".parse::<StakeholderGroup>().is_err());
    }

    #[test]
    fn countries_are_two_letters() {
        assert_eq!(Country::parse("jp").unwrap().as_str(), "JP");
        assert!(Country::parse("Japan").is_err());
    }
}
