//! Gojūon (五十音) order. Japanese participant lists are sorted by reading, not by the
//! characters as written, and Latin-script names are placed by their reading too. kaigi stores
//! a sort key computed here and orders by it, so SQLite and PostgreSQL sort identically
//! without any database collation.

use std::sync::OnceLock;

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

fn japanese_collator() -> &'static CollatorBorrowed<'static> {
    static COLLATOR: OnceLock<CollatorBorrowed<'static>> = OnceLock::new();
    COLLATOR.get_or_init(|| {
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Tertiary);
        // The `ja` tailoring is compiled into icu_collator: construction cannot fail.
        Collator::try_new(locale!("ja").into(), options)
            .unwrap_or_else(|_| Collator::try_new(Default::default(), options).expect("root collator is compiled in"))
    })
}

/// The bytes that order a name in gojūon order: names with a reading (stated or derived from
/// romaji) first, by reading then by name as written; names without a reading after them.
pub fn gojuon_sort_key(reading: Option<&str>, display: &str) -> Vec<u8> {
    let collator = japanese_collator();
    let mut key = Vec::with_capacity(64);
    match reading {
        Some(reading) => {
            key.push(0);
            let _ = collator.write_sort_key_to(reading, &mut key);
        }
        None => key.push(1),
    }
    // ICU sort keys never contain 0x00, so it separates the parts without changing the order.
    key.push(0);
    let _ = collator.write_sort_key_to(display, &mut key);
    key
}

/// Compares two strings in Japanese collation order.
pub fn compare_japanese(a: &str, b: &str) -> std::cmp::Ordering {
    japanese_collator().compare(a, b)
}

/// Reads a romanised Japanese name (Hepburn or Kunrei, macrons allowed) as hiragana, word by
/// word. Returns `None` when any part is not romaji ("Carol Roach"), so that kaigi never
/// invents a reading it cannot justify.
pub fn romaji_to_hiragana(latin: &str) -> Option<String> {
    let words: Vec<&str> = latin.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        out.push(word_to_hiragana(word)?);
    }
    Some(out.join(" "))
}

fn word_to_hiragana(word: &str) -> Option<String> {
    let mut chars: Vec<char> = Vec::new();
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ā' => chars.extend(['a', 'a']),
            'ī' => chars.extend(['i', 'i']),
            'ū' | 'û' => chars.extend(['u', 'u']),
            'ē' => chars.extend(['e', 'i']),
            'ō' | 'ô' => chars.extend(['o', 'u']),
            '-' | '\'' | '’' => chars.push('\''),
            c if c.is_ascii_lowercase() => chars.push(c),
            _ => return None,
        }
    }
    let s: String = chars.into_iter().collect();
    let bytes = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &s[i..];
        if rest.starts_with('\'') {
            i += 1;
            continue;
        }
        // Syllabic n: before a consonant other than y, before an apostrophe, or at the end.
        if rest.starts_with('n') {
            let next = rest.as_bytes().get(1).copied();
            if matches!(next, None | Some(b'\'')) || next.is_some_and(|n| !b"aiueoy".contains(&n)) {
                out.push('ん');
                i += 1;
                continue;
            }
        }
        // Doubled consonant (and "tch"): small tsu.
        if let [a, b, ..] = rest.as_bytes()
            && (a == b && !b"aiueon".contains(a) || (*a == b't' && *b == b'c'))
        {
            out.push('っ');
            i += 1;
            continue;
        }
        let (kana, used) = SYLLABLES
            .iter()
            .filter(|(romaji, _)| rest.starts_with(romaji))
            .max_by_key(|(romaji, _)| romaji.len())
            .map(|(romaji, kana)| (*kana, romaji.len()))?;
        out.push_str(kana);
        i += used;
    }
    Some(out)
}

const SYLLABLES: &[(&str, &str)] = &[
    ("a", "あ"),
    ("i", "い"),
    ("u", "う"),
    ("e", "え"),
    ("o", "お"),
    ("ka", "か"),
    ("ki", "き"),
    ("ku", "く"),
    ("ke", "け"),
    ("ko", "こ"),
    ("ga", "が"),
    ("gi", "ぎ"),
    ("gu", "ぐ"),
    ("ge", "げ"),
    ("go", "ご"),
    ("sa", "さ"),
    ("shi", "し"),
    ("si", "し"),
    ("su", "す"),
    ("se", "せ"),
    ("so", "そ"),
    ("za", "ざ"),
    ("ji", "じ"),
    ("zi", "じ"),
    ("zu", "ず"),
    ("ze", "ぜ"),
    ("zo", "ぞ"),
    ("ta", "た"),
    ("chi", "ち"),
    ("ti", "ち"),
    ("tsu", "つ"),
    ("tu", "つ"),
    ("te", "て"),
    ("to", "と"),
    ("da", "だ"),
    ("di", "ぢ"),
    ("du", "づ"),
    ("de", "で"),
    ("do", "ど"),
    ("na", "な"),
    ("ni", "に"),
    ("nu", "ぬ"),
    ("ne", "ね"),
    ("no", "の"),
    ("ha", "は"),
    ("hi", "ひ"),
    ("fu", "ふ"),
    ("hu", "ふ"),
    ("he", "へ"),
    ("ho", "ほ"),
    ("ba", "ば"),
    ("bi", "び"),
    ("bu", "ぶ"),
    ("be", "べ"),
    ("bo", "ぼ"),
    ("pa", "ぱ"),
    ("pi", "ぴ"),
    ("pu", "ぷ"),
    ("pe", "ぺ"),
    ("po", "ぽ"),
    ("ma", "ま"),
    ("mi", "み"),
    ("mu", "む"),
    ("me", "め"),
    ("mo", "も"),
    ("ya", "や"),
    ("yu", "ゆ"),
    ("yo", "よ"),
    ("ra", "ら"),
    ("ri", "り"),
    ("ru", "る"),
    ("re", "れ"),
    ("ro", "ろ"),
    ("wa", "わ"),
    ("wo", "を"),
    ("kya", "きゃ"),
    ("kyu", "きゅ"),
    ("kyo", "きょ"),
    ("gya", "ぎゃ"),
    ("gyu", "ぎゅ"),
    ("gyo", "ぎょ"),
    ("sha", "しゃ"),
    ("shu", "しゅ"),
    ("sho", "しょ"),
    ("sya", "しゃ"),
    ("syu", "しゅ"),
    ("syo", "しょ"),
    ("ja", "じゃ"),
    ("ju", "じゅ"),
    ("jo", "じょ"),
    ("zya", "じゃ"),
    ("zyu", "じゅ"),
    ("zyo", "じょ"),
    ("jya", "じゃ"),
    ("jyu", "じゅ"),
    ("jyo", "じょ"),
    ("cha", "ちゃ"),
    ("chu", "ちゅ"),
    ("cho", "ちょ"),
    ("tya", "ちゃ"),
    ("tyu", "ちゅ"),
    ("tyo", "ちょ"),
    ("nya", "にゃ"),
    ("nyu", "にゅ"),
    ("nyo", "にょ"),
    ("hya", "ひゃ"),
    ("hyu", "ひゅ"),
    ("hyo", "ひょ"),
    ("bya", "びゃ"),
    ("byu", "びゅ"),
    ("byo", "びょ"),
    ("pya", "ぴゃ"),
    ("pyu", "ぴゅ"),
    ("pyo", "ぴょ"),
    ("mya", "みゃ"),
    ("myu", "みゅ"),
    ("myo", "みょ"),
    ("rya", "りゃ"),
    ("ryu", "りゅ"),
    ("ryo", "りょ"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romaji_readings() {
        assert_eq!(romaji_to_hiragana("Nakano Ren").as_deref(), Some("なかの れん"));
        assert_eq!(romaji_to_hiragana("Ito Sakura").as_deref(), Some("いと さくら"));
        assert_eq!(romaji_to_hiragana("Satō Shinpei").as_deref(), Some("さとう しんぺい"));
        assert_eq!(romaji_to_hiragana("Hattori Jun'ichi").as_deref(), Some("はっとり じゅんいち"));
        assert_eq!(romaji_to_hiragana("Kenta Matchida").as_deref(), Some("けんた まっちだ"));
        assert_eq!(romaji_to_hiragana("Carol Roach"), None);
        assert_eq!(romaji_to_hiragana("山田"), None);
    }

    #[test]
    fn kana_sort_in_gojuon_order_with_hiragana_and_katakana_interleaved() {
        let mut readings = vec!["もり", "あおき", "カワグチ", "うえだ", "いと", "ナカノ"];
        readings.sort_by(|a, b| compare_japanese(a, b));
        assert_eq!(readings, ["あおき", "いと", "うえだ", "カワグチ", "ナカノ", "もり"]);
    }

    #[test]
    fn names_without_reading_come_after_names_with_one() {
        let with = gojuon_sort_key(Some("わたなべ"), "渡辺");
        let without = gojuon_sort_key(None, "Alice");
        assert!(with < without);
    }
}
