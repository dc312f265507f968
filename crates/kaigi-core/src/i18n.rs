//! Japanese and English. Every string a person reads comes from the Fluent files in
//! `locales/`; dates are written the way a reader of each language expects.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use time::{Date, Weekday};
use unic_langid::LanguageIdentifier;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }

    /// Picks Japanese or English from an Accept-Language header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("ja") => Lang::Ja,
                Some("en") => Lang::En,
                _ => continue,
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

const EN_FTL: &str = include_str!("../locales/en.ftl");
const JA_FTL: &str = include_str!("../locales/ja.ftl");

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static EN: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    static JA: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    let (cell, source) = match lang {
        Lang::En => (&EN, EN_FTL),
        Lang::Ja => (&JA, JA_FTL),
    };
    cell.get_or_init(|| {
        let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks: the strings go into HTML, where they would show as noise.
        bundle.set_use_isolating(false);
        // A file with errors still yields its good messages; the tests below keep both files
        // whole, so this is never seen by a reader.
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
        let _ = bundle.add_resource(resource);
        bundle
    })
}

/// The message `key` in `lang`; the key itself if it is missing (a test keeps both files complete).
pub fn t(lang: Lang, key: &str) -> String {
    t_args(lang, key, &[])
}

pub fn t_args(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned()
}

/// Whether a key exists in a language (for the completeness test).
pub fn has(lang: Lang, key: &str) -> bool {
    bundle(lang).has_message(key)
}

/// Every key in a Fluent file.
pub fn keys(lang: Lang) -> Vec<String> {
    let source = match lang {
        Lang::En => EN_FTL,
        Lang::Ja => JA_FTL,
    };
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .collect()
}

/// "2026年12月14日(月)" or "Mon 14 Dec 2026".
pub fn format_date(lang: Lang, date: Date) -> String {
    match lang {
        Lang::Ja => {
            let wd = ["月", "火", "水", "木", "金", "土", "日"][date.weekday().number_days_from_monday() as usize];
            format!("{}年{}月{}日({wd})", date.year(), u8::from(date.month()), date.day())
        }
        Lang::En => {
            let wd = match date.weekday() {
                Weekday::Monday => "Mon",
                Weekday::Tuesday => "Tue",
                Weekday::Wednesday => "Wed",
                Weekday::Thursday => "Thu",
                Weekday::Friday => "Fri",
                Weekday::Saturday => "Sat",
                Weekday::Sunday => "Sun",
            };
            let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                [u8::from(date.month()) as usize - 1];
            format!("{wd} {} {month} {}", date.day(), date.year())
        }
    }
}

/// "12月15日(火)" or "Tue 15 Dec": a day of a programme, whose year the page already says.
pub fn format_day(lang: Lang, date: Date) -> String {
    let full = format_date(lang, date);
    match lang {
        Lang::Ja => full.split_once('年').map_or(full.clone(), |(_, rest)| rest.to_owned()),
        Lang::En => full.rsplit_once(' ').map_or(full.clone(), |(rest, _)| rest.to_owned()),
    }
}

/// A programme day's name for the reader: kaigi's own default names ("Day 0", "Day 1"…) are
/// said in the reader's language ("0 日目"); a name the secretariat gave is theirs, kept.
pub fn day_name(lang: Lang, label: &str) -> String {
    let number = label.trim().strip_prefix("Day ").and_then(|n| n.trim().parse::<u32>().ok());
    match (lang, number) {
        (Lang::Ja, Some(n)) => format!("{n} 日目"),
        _ => label.to_owned(),
    }
}

/// 1000 → "1,000": both languages group thousands with commas.
pub fn format_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A timestamp shown in UTC, in the reader's format.
pub fn format_timestamp(lang: Lang, at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!("{} {:02}:{:02} UTC", format_date(lang, at.date()), at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaigis_own_day_names_are_said_in_japanese_and_given_ones_kept() {
        assert_eq!(day_name(Lang::Ja, "Day 0"), "0 日目");
        assert_eq!(day_name(Lang::Ja, "Day 12"), "12 日目");
        assert_eq!(day_name(Lang::En, "Day 2"), "Day 2");
        assert_eq!(day_name(Lang::Ja, "Day Zero"), "Day Zero");
        assert_eq!(day_name(Lang::Ja, "本会議"), "本会議");
        let date = Date::from_calendar_date(2026, time::Month::December, 15).unwrap();
        assert_eq!(format_day(Lang::Ja, date), "12月15日(火)");
        assert_eq!(format_day(Lang::En, date), "Tue 15 Dec");
    }

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(Lang::from_accept_language("ja,en-US;q=0.9"), Some(Lang::Ja));
        assert_eq!(Lang::from_accept_language("fr-FR,en;q=0.8,ja;q=0.5"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de"), None);
    }

    #[test]
    fn both_files_read_without_errors() {
        for (lang, source) in [(Lang::En, EN_FTL), (Lang::Ja, JA_FTL)] {
            let resource = FluentResource::try_new(source.to_owned());
            assert!(resource.is_ok(), "{}.ftl: {:?}", lang.code(), resource.err().map(|(_, e)| e));
        }
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let en = keys(Lang::En);
        let ja = keys(Lang::Ja);
        for key in &en {
            assert!(has(Lang::Ja, key), "ja.ftl lacks {key}");
        }
        for key in &ja {
            assert!(has(Lang::En, key), "en.ftl lacks {key}");
        }
        assert!(en.len() > 50);
    }

    /// Every refusal key written in the code (`"error-…"` in any crate) has its words in both
    /// files, and a refusal named by key alone never shows the bare key to a reader.
    #[test]
    fn every_refusal_in_the_code_has_words_in_both_languages() {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut sources = vec![crates];
        let mut found = std::collections::BTreeSet::new();
        while let Some(path) = sources.pop() {
            let Ok(entries) = std::fs::read_dir(&path) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() && !path.ends_with("target") && !path.ends_with("tests") {
                    sources.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for piece in text.split("\"error-").skip(1) {
                        let key: String = piece
                            .chars()
                            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                            .collect();
                        if piece[key.len()..].starts_with('"') && !key.is_empty() {
                            found.insert(format!("error-{key}"));
                        }
                    }
                }
            }
        }
        assert!(found.len() > 80, "only {} refusal keys found: is the source tree where it was?", found.len());
        for key in &found {
            assert!(has(Lang::En, key) && has(Lang::Ja, key), "{key} is used in the code but missing in a locale file");
        }
    }

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(format_number(1000), "1,000");
        assert_eq!(format_number(11_000), "11,000");
        assert_eq!(format_number(80), "80");
        assert_eq!(format_number(-1234567), "-1,234,567");
    }

    #[test]
    fn dates_read_naturally() {
        let d = Date::from_calendar_date(2026, time::Month::March, 9).unwrap();
        assert_eq!(format_date(Lang::Ja, d), "2026年3月9日(月)");
        assert_eq!(format_date(Lang::En, d), "Mon 9 Mar 2026");
    }
}
