//! One search over minutes, proposals, sessions, people and action items, in Japanese and
//! English.
//!
//! Japanese has no spaces between words, so there is no word list to miss a word: every
//! document is folded (NFKC, so full-width Ａ and half-width ｶﾅ meet their usual forms; lower
//! case; katakana to hiragana; runs of white space to one space) and indexed by character
//! bigrams. A query finds exactly the documents whose folded text contains the folded query:
//! the bigrams only narrow the candidates, and every candidate is checked as a substring, so
//! there are no false negatives and no false positives for queries of any length.

use std::collections::HashMap;

use serde::Serialize;

use crate::access::Permission;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Minutes,
    Proposal,
    Session,
    Person,
    ActionItem,
    /// An edition's published participation figures.
    Statistics,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Minutes, Kind::Proposal, Kind::Session, Kind::Person, Kind::ActionItem, Kind::Statistics];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Minutes => "minutes",
            Kind::Proposal => "proposal",
            Kind::Session => "session",
            Kind::Person => "person",
            Kind::ActionItem => "action_item",
            Kind::Statistics => "statistics",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A searchable thing, with where it lives and who may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub kind: Kind,
    pub id: String,
    pub title: String,
    pub body: String,
    pub url: String,
    pub edition: Option<String>,
    pub series: Option<String>,
    /// YYYY-MM-DD, when the thing has a date (a meeting, a due date, a session).
    pub date: Option<String>,
    pub access: Permission,
}

/// Folded text and, for each folded char, the byte offset of the original char it came from.
#[derive(Debug, Clone, Default)]
struct Folded {
    chars: Vec<char>,
    origin: Vec<usize>,
}

/// What the index keeps of a folded text: the text itself (searched with the standard
/// library's substring search) and where each of its chars came from in the original.
#[derive(Debug, Clone, Default)]
struct Stored {
    text: String,
    origin: Vec<u32>,
}

impl From<Folded> for Stored {
    fn from(f: Folded) -> Self {
        Self { text: f.chars.iter().collect(), origin: f.origin.into_iter().map(|o| o as u32).collect() }
    }
}

/// The folding used on documents and queries alike.
pub fn fold(text: &str) -> String {
    fold_mapped(text).chars.into_iter().collect()
}

/// The folded chars of a text, each with the byte offset of the original char it came from
/// (for showing a match found in folded text in the original).
pub fn fold_with_origins(text: &str) -> (Vec<char>, Vec<usize>) {
    let folded = fold_mapped(text);
    (folded.chars, folded.origin)
}

fn fold_mapped(text: &str) -> Folded {
    let nfkc = icu_normalizer::ComposingNormalizerBorrowed::new_nfkc();
    let mut out = Folded::default();
    let mut buf = [0u8; 4];
    let mut last_space = true;
    for (offset, c) in text.char_indices() {
        let normalized = nfkc.normalize(c.encode_utf8(&mut buf));
        for n in normalized.chars() {
            for l in n.to_lowercase() {
                let folded = match l {
                    // Katakana ァ..ヶ to hiragana ぁ..ゖ.
                    '\u{30A1}'..='\u{30F6}' => char::from_u32(l as u32 - 0x60).unwrap_or(l),
                    c if c.is_whitespace() => ' ',
                    c => c,
                };
                // Half-width ﾀﾞ arrives as タ + a combining mark: compose it with the char before.
                if matches!(folded, '\u{3099}' | '\u{309A}')
                    && let Some(&prev) = out.chars.last()
                {
                    let pair: String = [prev, folded].into_iter().collect();
                    let composed = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(&pair).into_owned();
                    let mut it = composed.chars();
                    if let (Some(one), None) = (it.next(), it.next()) {
                        *out.chars.last_mut().expect("prev") = one;
                        continue;
                    }
                }
                if folded == ' ' {
                    if last_space {
                        continue;
                    }
                    last_space = true;
                } else {
                    last_space = false;
                }
                out.chars.push(folded);
                out.origin.push(offset);
            }
        }
    }
    if out.chars.last() == Some(&' ') {
        out.chars.pop();
        out.origin.pop();
    }
    out
}

fn gram(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

struct Entry {
    doc: Document,
    title: Stored,
    body: Stored,
}

/// The bigram index of a set of documents.
#[derive(Default)]
pub struct Index {
    entries: Vec<Entry>,
    postings: HashMap<u64, Vec<u32>>,
}

#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub kinds: Vec<Kind>,
    pub edition: Option<String>,
    pub series: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
}

/// A snippet in three parts so a page can highlight the middle and a terminal can print it whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    pub before: String,
    pub hit: String,
    pub after: String,
}

impl Snippet {
    pub fn plain(&self) -> String {
        format!("{}{}{}", self.before, self.hit, self.after)
    }
}

#[derive(Clone)]
pub struct Hit<'a> {
    pub document: &'a Document,
    pub in_title: bool,
    /// How often the query occurs (counted up to 20: enough to rank by).
    pub occurrences: usize,
    entry: &'a Entry,
    /// Byte offset of the first match in the folded body.
    first: Option<usize>,
    query: String,
}

impl Hit<'_> {
    /// The text around the first match (made only for the hits a page shows).
    pub fn snippet(&self) -> Snippet {
        let q = self.query.chars().count();
        let (d, e) = (self.document, self.entry);
        match self.first {
            Some(byte) => snippet(&d.body, &e.body, e.body.text[..byte].chars().count(), q),
            None => {
                let byte = e.title.text.find(&self.query).unwrap_or(0);
                let mut s = snippet(&d.title, &e.title, e.title.text[..byte].chars().count(), q);
                if !d.body.is_empty() {
                    s.after.push_str(" — ");
                    s.after.push_str(&d.body.chars().take(80).collect::<String>());
                }
                s
            }
        }
    }
}

impl Index {
    pub fn new(documents: impl IntoIterator<Item = Document>) -> Self {
        let mut index = Self::default();
        for d in documents {
            index.add(d);
        }
        index
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn add(&mut self, doc: Document) {
        let n = self.entries.len() as u32;
        let title = fold_mapped(&doc.title);
        let body = fold_mapped(&doc.body);
        let mut grams: Vec<u64> = Vec::with_capacity(title.chars.len() + body.chars.len());
        for text in [&title.chars, &body.chars] {
            grams.extend(text.windows(2).map(|w| gram(w[0], w[1])));
        }
        grams.sort_unstable();
        grams.dedup();
        for g in grams {
            self.postings.entry(g).or_default().push(n);
        }
        self.entries.push(Entry { doc, title: title.into(), body: body.into() });
    }

    /// Every visible document containing the query, title matches first, then by how often the
    /// query occurs, then newest first.
    pub fn search(&self, query: &str, filters: &Filters, visible: impl Fn(&Permission) -> bool) -> Vec<Hit<'_>> {
        let folded = fold(query);
        let q: Vec<char> = folded.chars().collect();
        if q.is_empty() {
            return Vec::new();
        }
        let candidates: Box<dyn Iterator<Item = u32>> = if q.len() == 1 {
            Box::new(0..self.entries.len() as u32)
        } else {
            let mut lists: Vec<&Vec<u32>> = Vec::new();
            for w in q.windows(2) {
                match self.postings.get(&gram(w[0], w[1])) {
                    Some(list) => lists.push(list),
                    None => return Vec::new(),
                }
            }
            lists.sort_by_key(|l| l.len());
            let mut current: Vec<u32> = lists[0].clone();
            for list in &lists[1..] {
                current = intersect(&current, list);
                if current.is_empty() {
                    return Vec::new();
                }
            }
            Box::new(current.into_iter())
        };
        let mut hits = Vec::new();
        for i in candidates {
            let entry = &self.entries[i as usize];
            let d = &entry.doc;
            if !filters.kinds.is_empty() && !filters.kinds.contains(&d.kind) {
                continue;
            }
            if filters.edition.as_ref().is_some_and(|e| d.edition.as_ref() != Some(e)) {
                continue;
            }
            if filters.series.as_ref().is_some_and(|s| d.series.as_ref() != Some(s)) {
                continue;
            }
            if let Some(from) = &filters.from
                && d.date.as_ref().is_none_or(|x| x < from)
            {
                continue;
            }
            if let Some(until) = &filters.until
                && d.date.as_ref().is_none_or(|x| x > until)
            {
                continue;
            }
            let in_title = entry.title.text.contains(&folded);
            let first = entry.body.text.find(&folded);
            if !in_title && first.is_none() {
                continue;
            }
            if !visible(&d.access) {
                continue;
            }
            let occurrences = usize::from(in_title)
                + first.map_or(0, |f| entry.body.text[f..].match_indices(folded.as_str()).take(20).count());
            hits.push(Hit { document: d, in_title, occurrences, entry, first, query: folded.clone() });
        }
        hits.sort_by(|a, b| {
            b.in_title
                .cmp(&a.in_title)
                .then(b.occurrences.cmp(&a.occurrences))
                .then(b.document.date.cmp(&a.document.date))
                .then(a.document.title.cmp(&b.document.title))
                .then(a.document.id.cmp(&b.document.id))
        });
        hits
    }
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    out
}

/// About 40 characters before the hit and 80 after, cut at character boundaries of the original.
fn snippet(original: &str, folded: &Stored, at: usize, len: usize) -> Snippet {
    if folded.origin.is_empty() {
        return Snippet { before: String::new(), hit: String::new(), after: String::new() };
    }
    let start = folded.origin[at.min(folded.origin.len() - 1)] as usize;
    let end_char = at + len;
    let mut end = if end_char < folded.origin.len() { folded.origin[end_char] as usize } else { original.len() };
    if end <= start {
        // Several folded chars from one original char (㈱ → (株)): the hit is that whole char.
        end = start + original[start..].chars().next().map_or(0, char::len_utf8);
    }
    let before_chars: Vec<char> = original[..start].chars().rev().take(41).collect();
    let mut before: String = before_chars.iter().take(40).rev().collect();
    if before_chars.len() > 40 {
        before.insert(0, '…');
    }
    let rest = &original[end..];
    let mut after: String = rest.chars().take(80).collect();
    if rest.chars().nth(80).is_some() {
        after.push('…');
    }
    let tidy = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let lead = if before.ends_with(char::is_whitespace) { " " } else { "" };
    let trail = if after.starts_with(char::is_whitespace) { " " } else { "" };
    Snippet {
        before: format!("{}{lead}", tidy(&before)),
        hit: original[start..end].to_string(),
        after: format!("{trail}{}", tidy(&after)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str, body: &str) -> Document {
        Document {
            kind: Kind::Minutes,
            id: id.into(),
            title: title.into(),
            body: body.into(),
            url: format!("/{id}"),
            edition: None,
            series: None,
            date: None,
            access: Permission::Public,
        }
    }

    #[test]
    fn widths_and_kana_are_folded() {
        assert_eq!(fold("ＡＰｒＩＧＦ　２０２５"), "aprigf 2025");
        assert_eq!(fold("ﾏﾙﾁｽﾃｰｸﾎﾙﾀﾞｰ"), fold("マルチステークホルダー"));
        assert_eq!(fold("マルチ"), fold("まるち"));
        assert_eq!(fold("WSIS＋20"), "wsis+20");
    }

    #[test]
    fn japanese_without_spaces_is_found_anywhere() {
        let index = Index::new([
            doc("a", "第3回 勉強会", "マルチステークホルダーの議論をした。"),
            doc("b", "APrIGF 2025 報告", "ＡＰｒＩＧＦ　２０２５の報告とWSIS+20レビュー"),
            doc("c", "その他", "特になし"),
        ]);
        let ids = |q: &str| -> Vec<String> {
            index.search(q, &Filters::default(), |_| true).iter().map(|h| h.document.id.clone()).collect()
        };
        assert_eq!(ids("ステークホルダー"), ["a"]);
        assert_eq!(ids("勉強会"), ["a"]);
        assert_eq!(ids("apr igf"), Vec::<String>::new());
        assert_eq!(ids("APrIGF 2025"), ["b"]);
        assert_eq!(ids("WSIS+20"), ["b"]);
        assert_eq!(ids("ｳｪﾌﾞ"), Vec::<String>::new());
        assert_eq!(ids("特"), ["c"]);
        let hits = index.search("議論", &Filters::default(), |_| true);
        assert_eq!(hits[0].snippet().hit, "議論");
        assert_eq!(hits[0].snippet().before, "マルチステークホルダーの");
    }

    #[test]
    fn titles_rank_first_and_hidden_documents_stay_hidden() {
        let mut secret = doc("s", "勉強会の議事録", "");
        secret.access = Permission::CommitteeInside("x".into());
        let index = Index::new([doc("body", "その他", "勉強会について"), doc("title", "勉強会", ""), secret]);
        let hits = index.search("勉強会", &Filters::default(), |p| *p == Permission::Public);
        let ids: Vec<&str> = hits.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["title", "body"]);
    }
}
