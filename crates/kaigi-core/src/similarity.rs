//! Similar proposals, as candidates for a merge into a joint session (PRODUCT.md §3): TF-IDF
//! vectors over words for Latin script and character bigrams for Japanese (no spaces between
//! words there), cosine similarity between every pair that shares a term, and the passages two
//! texts share, located in the original texts so they can be shown side by side.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use crate::search::fold_with_origins;

/// English words too common to say anything about a proposal.
const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "can",
    "for",
    "from",
    "has",
    "have",
    "how",
    "in",
    "into",
    "is",
    "it",
    "its",
    "of",
    "on",
    "or",
    "our",
    "that",
    "the",
    "their",
    "this",
    "to",
    "we",
    "what",
    "which",
    "will",
    "with",
    "session",
    "sessions",
    "workshop",
    "discuss",
    "discussion",
    "will",
    "also",
];

fn is_japanese(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

/// The terms of a text: folded words (2+ chars, stop words dropped) and Japanese bigrams.
pub fn terms(text: &str) -> Vec<String> {
    let (chars, _) = fold_with_origins(text);
    let mut out = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if word.chars().count() >= 2 && !STOP_WORDS.contains(&word.as_str()) {
            out.push(std::mem::take(word));
        }
        word.clear();
    };
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        if run.len() == 1 {
            out.push(run[0].to_string());
        }
        out.extend(run.windows(2).map(|w| w.iter().collect::<String>()));
        run.clear();
    };
    for c in chars {
        if is_japanese(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else if c.is_alphanumeric() || c == '+' {
            flush_run(&mut run, &mut out);
            word.push(c);
        } else {
            flush_word(&mut word, &mut out);
            flush_run(&mut run, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_run(&mut run, &mut out);
    out
}

/// Two texts and how alike they are (cosine of their TF-IDF vectors, 0–1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub score: f64,
}

/// Every pair of texts at least `threshold` alike, the most alike first (at most `limit`).
pub fn similar_pairs(texts: &[String], threshold: f64, limit: usize) -> Vec<Pair> {
    let n = texts.len();
    let documents: Vec<HashMap<String, f64>> = texts
        .iter()
        .map(|t| {
            let mut counts: HashMap<String, f64> = HashMap::new();
            for term in terms(t) {
                *counts.entry(term).or_default() += 1.0;
            }
            counts
        })
        .collect();
    let mut frequency: HashMap<&str, usize> = HashMap::new();
    for d in &documents {
        for term in d.keys() {
            *frequency.entry(term).or_default() += 1;
        }
    }
    // Smoothed idf: a term in every text still weighs a little, one in two texts a lot.
    let idf = |df: usize| ((1.0 + n as f64) / (1.0 + df as f64)).ln() + 1.0;
    let mut vectors: Vec<Vec<(usize, f64)>> = Vec::with_capacity(n);
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for d in &documents {
        let mut v: Vec<(usize, f64)> = d
            .iter()
            .map(|(term, count)| {
                let next = ids.len();
                let id = *ids.entry(term.as_str()).or_insert(next);
                (id, (1.0 + count.ln()) * idf(frequency[term.as_str()]))
            })
            .collect();
        let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        vectors.push(v);
    }
    // Dot products through the postings; terms in more than half the texts say little and
    // would make this quadratic, so they are left out of the candidate search only.
    let mut postings: HashMap<usize, Vec<(usize, f64)>> = HashMap::new();
    for (doc, v) in vectors.iter().enumerate() {
        for &(term, w) in v {
            postings.entry(term).or_default().push((doc, w));
        }
    }
    let mut dots: HashMap<(usize, usize), f64> = HashMap::new();
    for list in postings.values().filter(|l| l.len() >= 2 && l.len() * 2 <= n.max(4)) {
        for (i, &(a, wa)) in list.iter().enumerate() {
            for &(b, wb) in &list[i + 1..] {
                *dots.entry((a.min(b), a.max(b))).or_default() += wa * wb;
            }
        }
    }
    let mut pairs: Vec<Pair> = dots
        .into_keys()
        .map(|(a, b)| {
            // The exact cosine, common terms included.
            let vb: HashMap<usize, f64> = vectors[b].iter().copied().collect();
            let score = vectors[a].iter().map(|(t, w)| w * vb.get(t).copied().unwrap_or(0.0)).sum::<f64>();
            Pair { a, b, score: score.clamp(0.0, 1.0) }
        })
        .filter(|p| p.score >= threshold)
        .collect();
    pairs.sort_by(|x, y| y.score.total_cmp(&x.score).then((x.a, x.b).cmp(&(y.a, y.b))));
    pairs.truncate(limit);
    pairs
}

/// A passage two texts share: byte ranges in each original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub a: Range<usize>,
    pub b: Range<usize>,
}

/// The passages of at least `min_chars` folded characters that appear in both texts, longest
/// first, none overlapping another in `a`.
pub fn shared_passages(a: &str, b: &str, min_chars: usize) -> Vec<Passage> {
    let min_chars = min_chars.max(2);
    let (fa, oa) = fold_with_origins(a);
    let (fb, ob) = fold_with_origins(b);
    if fa.len() < min_chars || fb.len() < min_chars {
        return Vec::new();
    }
    let mut starts: HashMap<&[char], Vec<usize>> = HashMap::new();
    for j in 0..=fb.len() - min_chars {
        starts.entry(&fb[j..j + min_chars]).or_default().push(j);
    }
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while i + min_chars <= fa.len() {
        let best = starts.get(&fa[i..i + min_chars]).and_then(|js| {
            js.iter()
                .map(|&j| {
                    let len = fa[i..].iter().zip(&fb[j..]).take_while(|(x, y)| x == y).count();
                    (len, j)
                })
                .max_by_key(|&(len, j)| (len, std::cmp::Reverse(j)))
        });
        match best {
            Some((len, j)) => {
                found.push((i, j, len));
                i += len;
            }
            None => i += 1,
        }
    }
    found.sort_by_key(|&(i, _, len)| (std::cmp::Reverse(len), i));
    let end_of = |origins: &[usize], text: &str, k: usize| origins.get(k).copied().unwrap_or(text.len());
    found
        .into_iter()
        .filter_map(|(mut i, mut j, mut len)| {
            // Latin words are shown whole: a passage starting or ending inside a word gives
            // up that part of the word.
            let word = |c: char| c.is_ascii_alphanumeric();
            if i > 0 && word(fa[i - 1]) {
                while len > 0 && word(fa[i]) {
                    (i, j, len) = (i + 1, j + 1, len - 1);
                }
            }
            if i + len < fa.len() && word(fa[i + len]) {
                while len > 0 && word(fa[i + len - 1]) {
                    len -= 1;
                }
            }
            // A passage neither starts nor ends with a space, and is long enough without them.
            while len > 0 && fa[i] == ' ' {
                (i, j, len) = (i + 1, j + 1, len - 1);
            }
            while len > 0 && fa[i + len - 1] == ' ' {
                len -= 1;
            }
            (len >= min_chars).then_some((i, j, len))
        })
        .map(|(i, j, len)| {
            // The passage ends where the original char after its last folded char begins.
            let a_end = end_of(&oa, a, i + len);
            let b_end = end_of(&ob, b, j + len);
            Passage { a: oa[i]..trim_end(a, oa[i], a_end), b: ob[j]..trim_end(b, ob[j], b_end) }
        })
        .collect()
}

/// Drops trailing white space (between the passage and the next char) from a range.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_is_cut_into_bigrams_and_english_into_words() {
        assert_eq!(terms("AI ガバナンス"), ["ai", "がば", "ばな", "なん", "んす"]);
        assert_eq!(terms("The future of WSIS+20"), ["future", "wsis+20"]);
    }

    #[test]
    fn alike_proposals_are_found_across_scripts() {
        let texts = vec![
            "Youth participation in AI governance: how young people shape AI policy".to_owned(),
            "AI governance and youth: young people shaping AI policy in Asia".to_owned(),
            "海底ケーブルの強靭性と災害時の通信確保".to_owned(),
            "災害時の通信確保と海底ケーブルの強靭化に向けた国際協力".to_owned(),
            "Cybersecurity capacity building for small island states".to_owned(),
        ];
        let pairs = similar_pairs(&texts, 0.3, 10);
        let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        assert!(found.contains(&(0, 1)), "{pairs:?}");
        assert!(found.contains(&(2, 3)), "{pairs:?}");
        assert!(!found.iter().any(|&(a, b)| a == 4 || b == 4), "{pairs:?}");
        assert!(pairs.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn shared_passages_point_into_the_original_texts() {
        let a = "本ワークショップでは、海底ケーブルの強靭性について議論する。";
        let b = "災害時における海底ケーブルの強靭性を高める方策";
        let passages = shared_passages(a, b, 6);
        assert_eq!(passages.len(), 1);
        assert_eq!(&a[passages[0].a.clone()], "海底ケーブルの強靭性");
        assert_eq!(&b[passages[0].b.clone()], "海底ケーブルの強靭性");
        // Full-width and case folded, shown as written.
        let passages =
            shared_passages("Ｍｕｌｔｉｓｔａｋｅｈｏｌｄｅｒ model", "the multistakeholder MODEL works", 10);
        assert_eq!(
            &"Ｍｕｌｔｉｓｔａｋｅｈｏｌｄｅｒ model"[passages[0].a.clone()],
            "Ｍｕｌｔｉｓｔａｋｅｈｏｌｄｅｒ model"
        );
        assert!(shared_passages("abc", "xyz", 10).is_empty());
        let passages =
            shared_passages("on data flows with trust today", "cross-border data flows with trust matter", 8);
        assert_eq!(&"on data flows with trust today"[passages[0].a.clone()], "data flows with trust");
    }
}
