//! The search index, built once when the catalogue loads so that a query per keystroke costs
//! well under a millisecond on 10,000 procedures: a sorted vocabulary of folded words (exact and
//! prefix look-up by binary search), postings that remember the best zone a word occurs in
//! (name > keywords > documents), a weight per word (rare words say more about the procedure
//! than "đăng ký" or "giấy"), each name and keyword as a sequence of word ids (for phrases), a
//! one-deletion table for typos, and sorted code keys.

use std::collections::{HashMap, HashSet};

use super::collate::sort_key;
use super::fold::{field_code, fold, spelling, words};
use super::model::Procedure;

/// Where in a record a word was found; the order is the ranking order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Zone {
    Document,
    Keyword,
    Name,
}

impl Zone {
    /// What a word found here adds to a procedure's score, as a multiple of the word's weight.
    pub fn weight(self) -> f32 {
        match self {
            Zone::Document => 0.5,
            Zone::Keyword => 2.0,
            Zone::Name => 4.0,
        }
    }

    /// How much finding a key here counts towards "the procedure matches the query", whatever
    /// the score: a word only among the documents ("bệnh viện") is weak evidence.
    pub fn evidence(self) -> f32 {
        match self {
            Zone::Document => 0.3,
            Zone::Keyword => 0.8,
            Zone::Name => 1.0,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Posting {
    pub procedure: u32,
    pub zone: Zone,
}

pub(super) struct Index {
    /// Sorted, distinct folded words.
    words: Vec<Box<str>>,
    /// `postings[w]`: the procedures containing `words[w]`, each once, with its best zone;
    /// names first, then keywords, then documents.
    postings: Vec<Vec<Posting>>,
    /// `weight[w]`: how much finding `words[w]` says about a procedure (squared inverse
    /// frequency among names and keywords).
    weight: Vec<f32>,
    /// A word with one letter deleted → the words (of three letters or more) it came from.
    deletions: HashMap<Box<str>, Vec<u32>>,
    /// (code digits, procedure) sorted, e.g. ("1001193", 0).
    codes: Vec<(Box<str>, u32)>,
    /// (digits after the dot, procedure) sorted, e.g. ("001193", 0).
    code_tails: Vec<(Box<str>, u32)>,
    /// Each procedure's name as word ids.
    pub names: Vec<Box<[u32]>>,
    /// Two words that follow each other in some name ("bản sao", "xã hội", "đăng ký"), as
    /// `first << 32 | second`: an ignorable word typed without diacritics in such a pair is
    /// not the ignorable word ("ban sao" is not "bạn sao").
    pairs: HashSet<u64>,
    /// Each procedure's keywords, each as word ids.
    pub keywords: Vec<Box<[Box<[u32]>]>>,
    /// For each first letter and first two letters of name words: the procedures with such a
    /// name word, shortest name first then alphabetical (what a query of one word just begun
    /// lists).
    short_prefixes: HashMap<Box<str>, Vec<u32>>,
    /// The same prefixes over names and keywords: procedures in id order, each once with its
    /// best zone (to mark, without touching each procedure's words, which of the procedures
    /// other words found have a word starting with them).
    short_prefix_postings: HashMap<Box<str>, Vec<Posting>>,
    /// Index of each procedure's field in the catalogue's field list.
    pub field_of: Vec<u16>,
    /// Procedures in Vietnamese alphabetical order of name.
    pub alphabetical: Vec<u32>,
    /// Position of each procedure in the order shortest name first, then alphabetical: how
    /// procedures of equal score are ordered.
    pub tie_rank: Vec<u32>,
}

/// The search words of a text: folded, one spelling for i/y.
pub(super) fn search_words(text: &str) -> Vec<String> {
    words(&fold(text)).map(spelling).collect()
}

impl Index {
    /// `field_codes` lists the catalogue's field codes; every procedure's field is among them.
    pub fn build(procedures: &[Procedure], field_codes: &[String]) -> Index {
        let mut by_word: HashMap<String, Vec<Posting>> = HashMap::new();
        let mut name_words: Vec<Vec<String>> = Vec::with_capacity(procedures.len());
        let mut keyword_words: Vec<Vec<Vec<String>>> = Vec::with_capacity(procedures.len());
        let mut codes = Vec::with_capacity(procedures.len());
        let mut code_tails = Vec::with_capacity(procedures.len());
        let mut field_of = Vec::with_capacity(procedures.len());
        for (i, p) in procedures.iter().enumerate() {
            let id = i as u32;
            let mut best: HashMap<String, Zone> = HashMap::new();
            let mut add = |text: &str, zone: Zone| {
                for w in search_words(text) {
                    let slot = best.entry(w).or_insert(zone);
                    *slot = (*slot).max(zone);
                }
            };
            add(&p.name, Zone::Name);
            for k in p.keywords.iter().chain([&p.field, &p.result]) {
                add(k, Zone::Keyword);
            }
            for d in &p.documents {
                add(&d.name, Zone::Document);
            }
            for (word, zone) in best {
                by_word.entry(word).or_default().push(Posting { procedure: id, zone });
            }
            name_words.push(search_words(&p.name));
            keyword_words.push(p.keywords.iter().map(|k| search_words(k)).collect());
            let digits: String = p.code.chars().filter(char::is_ascii_digit).collect();
            codes.push((digits.into_boxed_str(), id));
            if let Some((_, tail)) = p.code.split_once('.') {
                code_tails.push((tail.into(), id));
            }
            let field = field_code(&p.field);
            field_of.push(field_codes.iter().position(|f| *f == field).unwrap_or(0) as u16);
        }
        let mut vocabulary: Vec<(String, Vec<Posting>)> = by_word.into_iter().collect();
        vocabulary.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (_, postings) in &mut vocabulary {
            // Names first, then keywords, then documents: the search can stop adding new
            // procedures from a zone too weak to matter.
            postings.sort_unstable_by_key(|p| (std::cmp::Reverse(p.zone), p.procedure));
        }
        let n = procedures.len().max(1) as f32;
        let weight = vocabulary
            .iter()
            .map(|(_, postings)| {
                // Frequency among names and keywords: a word found only in documents is rare
                // where it counts, and its zone weight already keeps it low.
                let df = postings.iter().filter(|p| p.zone >= Zone::Keyword).count().max(1) as f32;
                let idf = (1.0 + n / df).ln();
                idf * idf
            })
            .collect();
        let mut deletions: HashMap<Box<str>, Vec<u32>> = HashMap::new();
        for (w, (word, _)) in vocabulary.iter().enumerate() {
            for deleted in one_deletions(word) {
                deletions.entry(deleted.into_boxed_str()).or_default().push(w as u32);
            }
        }
        codes.sort_unstable();
        code_tails.sort_unstable();
        let keys: Vec<Vec<u32>> = procedures.iter().map(|p| sort_key(&p.name)).collect();
        let mut alphabetical: Vec<u32> = (0..procedures.len() as u32).collect();
        alphabetical.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        let mut alphabetical_rank = vec![0; procedures.len()];
        for (rank, &p) in alphabetical.iter().enumerate() {
            alphabetical_rank[p as usize] = rank as u32;
        }
        let (words, postings): (Vec<Box<str>>, Vec<Vec<Posting>>) = vocabulary.into_iter().map(|(w, p)| (w.into_boxed_str(), p)).unzip();
        let id = |w: &String| words.binary_search_by(|x| (**x).cmp(w.as_str())).map(|i| i as u32).unwrap_or(u32::MAX);
        let names: Vec<Box<[u32]>> = name_words.iter().map(|ws| ws.iter().map(id).collect()).collect();
        let keywords = keyword_words.iter().map(|ks| ks.iter().map(|ws| ws.iter().map(id).collect()).collect()).collect();
        let pairs = names.iter().flat_map(|name| name.windows(2).map(|w| u64::from(w[0]) << 32 | u64::from(w[1]))).collect();
        let mut short_prefix_postings: HashMap<Box<str>, Vec<Posting>> = HashMap::new();
        for (p, (name, keywords)) in name_words.iter().zip(&keyword_words).enumerate() {
            // Names come first, so the first zone seen for a prefix is its best.
            let mut seen: Vec<&str> = Vec::new();
            let zoned = name.iter().map(|w| (w, Zone::Name)).chain(keywords.iter().flatten().map(|w| (w, Zone::Keyword)));
            for (word, zone) in zoned {
                for prefix in short_prefixes_of(word) {
                    if !seen.contains(&prefix) {
                        seen.push(prefix);
                        short_prefix_postings.entry(prefix.into()).or_default().push(Posting { procedure: p as u32, zone });
                    }
                }
            }
        }
        let mut short_first: Vec<u32> = (0..procedures.len() as u32).collect();
        short_first.sort_by_key(|&p| (name_words[p as usize].len(), alphabetical_rank[p as usize]));
        let mut tie_rank = vec![0; procedures.len()];
        for (rank, &p) in short_first.iter().enumerate() {
            tie_rank[p as usize] = rank as u32;
        }
        let mut short_prefixes: HashMap<Box<str>, Vec<u32>> = HashMap::new();
        for &p in &short_first {
            let mut seen: Vec<&str> = Vec::new();
            for word in &name_words[p as usize] {
                for prefix in short_prefixes_of(word) {
                    if !seen.contains(&prefix) {
                        seen.push(prefix);
                        short_prefixes.entry(prefix.into()).or_default().push(p);
                    }
                }
            }
        }
        Index {
            words,
            postings,
            weight,
            deletions,
            codes,
            code_tails,
            names,
            pairs,
            keywords,
            short_prefixes,
            short_prefix_postings,
            field_of,
            alphabetical,
            tie_rank,
        }
    }

    /// Procedures with a name word starting with `prefix` (one or two letters), shortest name
    /// first.
    pub fn short_prefix(&self, prefix: &str) -> &[u32] {
        self.short_prefixes.get(prefix).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Procedures with a name or keyword word starting with `prefix` (one or two letters), in id
    /// order, each with its best zone.
    pub fn short_prefix_postings(&self, prefix: &str) -> &[Posting] {
        self.short_prefix_postings.get(prefix).map(Vec::as_slice).unwrap_or(&[])
    }

    /// True when `first second` (search words) stand together in some procedure's name.
    pub fn is_name_pair(&self, first: &str, second: &str) -> bool {
        match (self.exact(first), self.exact(second)) {
            (Some(a), Some(b)) => self.pairs.contains(&(u64::from(a) << 32 | u64::from(b))),
            _ => false,
        }
    }

    pub fn weight(&self, word: u32) -> f32 {
        self.weight[word as usize]
    }

    #[cfg(test)]
    pub fn postings(&self, word: u32) -> &[Posting] {
        &self.postings[word as usize]
    }

    /// The postings of `word` in `zone` only.
    pub fn postings_in(&self, word: u32, zone: Zone) -> &[Posting] {
        let all = &self.postings[word as usize];
        let start = all.partition_point(|p| p.zone > zone);
        let len = all[start..].partition_point(|p| p.zone == zone);
        &all[start..start + len]
    }

    pub fn word(&self, word: u32) -> &str {
        &self.words[word as usize]
    }

    /// The id of `word`, if the catalogue contains it.
    pub fn exact(&self, word: &str) -> Option<u32> {
        self.words.binary_search_by(|w| (**w).cmp(word)).ok().map(|i| i as u32)
    }

    /// Ids of the words that start with `prefix` (including `prefix` itself).
    pub fn with_prefix(&self, prefix: &str) -> std::ops::Range<u32> {
        prefix_range(&self.words, prefix, |w| &**w)
    }

    /// Ids of the words one typo away from `word` (see [`one_edit_apart`](super::fold::one_edit_apart)).
    pub fn one_typo_from(&self, word: &str) -> Vec<u32> {
        let mut found: Vec<u32> = std::iter::once(word.to_owned())
            .chain(one_deletions(word))
            .filter_map(|key| self.deletions.get(key.as_str()))
            .flatten()
            .copied()
            .chain(one_deletions(word).filter_map(|d| self.exact(&d)))
            .filter(|&w| super::fold::one_edit_apart(word, self.word(w)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Procedures whose code digits start with `digits`, whole code or the part after the dot,
    /// each with `true` when the match is exact.
    pub fn codes_starting(&self, digits: &str) -> Vec<(u32, bool)> {
        let mut found: Vec<(u32, bool)> = Vec::new();
        for list in [&self.codes, &self.code_tails] {
            for (code, id) in &list[as_usize(prefix_range(list, digits, |(c, _)| &**c))] {
                found.push((*id, **code == *digits));
            }
        }
        found.sort_unstable_by_key(|&(id, exact)| (id, !exact));
        found.dedup_by_key(|(id, _)| *id);
        found
    }
}

fn as_usize(r: std::ops::Range<u32>) -> std::ops::Range<usize> {
    r.start as usize..r.end as usize
}

fn prefix_range<T>(sorted: &[T], prefix: &str, key: impl Fn(&T) -> &str) -> std::ops::Range<u32> {
    let start = sorted.partition_point(|t| key(t) < prefix);
    let len = sorted[start..].partition_point(|t| key(t).starts_with(prefix));
    start as u32..(start + len) as u32
}

/// The first letter and the first two letters of `word`.
fn short_prefixes_of(word: &str) -> impl Iterator<Item = &str> {
    word.char_indices().take(2).map(move |(i, c)| &word[..i + c.len_utf8()])
}

/// `word` with one letter removed, at each position (words of three letters or more).
fn one_deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<(usize, char)> = if word.chars().count() >= 3 { word.char_indices().collect() } else { Vec::new() };
    chars.into_iter().map(move |(at, c)| {
        let mut s = String::with_capacity(word.len());
        s.push_str(&word[..at]);
        s.push_str(&word[at + c.len_utf8()..]);
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::sample;

    fn index() -> Index {
        let mut a = sample("1.001193", "Đăng ký khai sinh");
        a.documents[0].name = "Giấy chứng sinh".into();
        let mut b = sample("1.004222", "Đăng ký thường trú");
        b.field = "Cư trú".into();
        b.keywords = vec!["nhập hộ khẩu".into()];
        b.documents[0].name = "Giấy khai sinh".into();
        Index::build(&[a, b], &["ho-tich".into(), "cu-tru".into()])
    }

    #[test]
    fn words_keep_their_best_zone() {
        let ix = index();
        let sinh = ix.exact("sinh").unwrap();
        let zones: Vec<(u32, Zone)> = ix.postings(sinh).iter().map(|p| (p.procedure, p.zone)).collect();
        assert!(zones.contains(&(0, Zone::Name)) && zones.contains(&(1, Zone::Document)), "{zones:?}");
        let khau = ix.exact("khau").unwrap();
        assert_eq!(ix.postings(khau)[0].zone, Zone::Keyword);
        assert_eq!(ix.field_of, [0, 1]);
    }

    #[test]
    fn prefix_typo_and_code_lookups() {
        let ix = index();
        let words: Vec<&str> = ix.with_prefix("th").map(|w| ix.word(w)).collect();
        assert_eq!(words, ["thuong"]);
        let typos: Vec<&str> = ix.one_typo_from("thuonh").iter().map(|&w| ix.word(w)).collect();
        assert_eq!(typos, ["thuong"]);
        let swapped: Vec<&str> = ix.one_typo_from("khia").iter().map(|&w| ix.word(w)).collect();
        assert_eq!(swapped, ["khai"]);
        let longer: Vec<&str> = ix.one_typo_from("sinhh").iter().map(|&w| ix.word(w)).collect();
        assert_eq!(longer, ["sinh"]);
        assert_eq!(ix.codes_starting("1001193"), [(0, true)]);
        assert_eq!(ix.codes_starting("004222"), [(1, true)]);
        assert_eq!(ix.codes_starting("100"), [(0, false), (1, false)]);
    }
}
