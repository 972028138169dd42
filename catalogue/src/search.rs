//! Finding the procedure a citizen means from what they typed. The query is first understood
//! with the vocabulary (`query.rs`): ignored words drop out, everyday phrases become the
//! catalogue's words. Each remaining key is matched exactly, as a Telex leftover, as a prefix
//! (the word being typed), with one typo (words of four letters or more, only when nothing
//! matches otherwise) or as a procedure code. A procedure's score adds, per key, the weight of
//! the word (rare words say more than "đăng ký") times the zone it was found in (name > keywords >
//! documents); then how much of its name the keys cover, whether they stand together in the name
//! as typed, and whether the query holds one of its keywords word for word raise it. Procedures
//! far below the best match are dropped; when nothing matches, the result says so and offers the
//! fields.

use serde::Serialize;

use super::fold::field_code;
use super::index::{Index, Zone};
use super::model::{Field, Procedure};
use super::query::{Key, Origin, Query};
use super::Catalog;

/// A page of results, best first, how many procedures matched in all, and how well.
#[derive(Debug)]
pub struct SearchResults<'a> {
    pub results: Vec<&'a Procedure>,
    pub total: usize,
    /// How the results relate to the query, for the screen to word its answer.
    pub outcome: Outcome,
    /// Words typed (NFC, lower case) that match nothing in the catalogue, e.g. a bad typo:
    /// the screen may say "không tìm thấy: …".
    pub unmatched: Vec<String>,
    /// When nothing matched (`Outcome::NoMatch`): every field of the catalogue, in alphabetical
    /// order, for the screen to offer instead of an empty list. Empty otherwise.
    pub fields: Vec<&'a Field>,
}

/// How a query was understood (see [`Catalog::understand`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Understanding {
    /// The words looked up in the catalogue, folded ("khai", "tu" for "giấy chứng tử").
    pub searched: Vec<String>,
    /// The words typed that say nothing about the procedure, as typed ("bố", "tôi", "gì").
    pub ignored: Vec<String>,
}

/// How the results relate to the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Nothing typed: the field (or the whole catalogue) in alphabetical order.
    Browse,
    /// Every meaningful word typed matched.
    Found,
    /// Some words typed matched nothing (`unmatched`); the results match the others.
    Partial,
    /// Nothing matched, or only words that say nothing about a procedure were typed
    /// ("cho tôi hỏi"): `results` is empty and `fields` lists the fields to choose from.
    NoMatch,
}

/// The zones, strongest first.
const ZONES: [Zone; 3] = [Zone::Name, Zone::Keyword, Zone::Document];
/// Score of a matching procedure code, above any word.
const CODE_SCORE: f32 = 1000.0;
const TELEX_QUALITY: f32 = 0.95;
const TYPO_QUALITY: f32 = 0.6;
/// Completions of a word being typed count less when what was typed is already a word.
const COMPLETION_OF_WORD: f32 = 0.5;
/// A completion of one or two typed letters says little yet: full weight from three letters.
const PREFIX_FULL_AT: f32 = 3.0;
/// Procedures whose matched keys weigh less than this share of the best one's are dropped.
const KEEP_SHARE: f32 = 0.4;
/// Raises of the score (as shares of it): the keys cover the whole name; consecutive keys
/// stand together in the name; the name starts with the first key; the query holds one of the
/// procedure's keywords word for word (citizens' own name for it); ignored words typed that
/// are in its name or keywords ("nhận cha, mẹ, con"), each.
const COVERAGE_RAISE: f32 = 0.6;
const ADJACENT_RAISE: f32 = 0.5;
const START_RAISE: f32 = 0.15;
const KEYWORD_RAISE: f32 = 0.8;
const IGNORED_WORD_RAISE: f32 = 0.05;
const MAX_IGNORED_RAISES: usize = 3;
/// A word of at most this many letters being typed is too short to look up on its own.
const SHORT_PREFIX: usize = 2;
/// What a word just begun adds to the procedures the other words found.
const SHORT_PREFIX_QUALITY: f32 = 0.5;
/// Raises are computed for this many of the best procedures by word score (at least; four
/// times the page asked for): enough for the raises to reorder the first page.
const RAISED: usize = 64;

/// What the keys found so far in one procedure.
#[derive(Clone, Copy, Default)]
struct Tally {
    score: f32,
    /// Sum of the matched keys' importance, whatever the word and zone: what the filter compares.
    weight: f32,
    keys: u32,
    /// What the key being looked up added so far (its best word counts once): 1 + its index,
    /// its score and weight.
    current: u8,
    current_score: f32,
    current_weight: f32,
    in_name: bool,
    in_keywords: bool,
}

impl Tally {
    /// Key `k` found in this procedure with `score` and filter `weight`: added once per key,
    /// its best word counting.
    fn offer(&mut self, k: usize, score: f32, weight: f32, zone: Option<Zone>) {
        if usize::from(self.current) == k + 1 {
            if score > self.current_score {
                self.score += score - self.current_score;
                self.weight += weight - self.current_weight;
                self.current_score = score;
                self.current_weight = weight;
            }
        } else {
            self.current = (k + 1) as u8;
            self.keys |= 1 << k;
            self.score += score;
            self.weight += weight;
            self.current_score = score;
            self.current_weight = weight;
        }
        self.in_name |= zone == Some(Zone::Name);
        self.in_keywords |= zone == Some(Zone::Keyword);
    }
}

/// The words of the index one key or typed token stands for.
struct Matcher {
    /// (word, quality), sorted by word.
    words: Vec<(u32, f32)>,
    /// Word-id ranges (the completions of a word just begun).
    ranges: Vec<std::ops::Range<u32>>,
}

impl Matcher {
    fn words(words: Vec<(u32, f32)>) -> Matcher {
        Matcher { words, ranges: Vec::new() }
    }

    fn ranges(ranges: Vec<std::ops::Range<u32>>) -> Matcher {
        Matcher { words: Vec::new(), ranges }
    }

    fn hits(&self, word: u32) -> bool {
        self.ranges.iter().any(|r| r.contains(&word)) || self.words.binary_search_by_key(&word, |&(w, _)| w).is_ok()
    }
}

/// What a typed token matches: a key's words, or its own exact words (ignored tokens too,
/// for keywords written word for word); `true` when the token is ignored.
enum TokenMatcher {
    Key(usize),
    Own(Matcher, bool),
}

/// Per-thread working memory of a search, sized to the largest catalogue searched: a search
/// writes only the entries of the procedures it finds and clears them afterwards, so a
/// keystroke does not pay for clearing 10,000 entries.
#[derive(Default)]
struct Scratch {
    tally: Vec<Tally>,
    /// Procedures some key matched.
    touched: Vec<u32>,
    /// (score, tie rank, procedure) of the procedures kept.
    scored: Vec<(f32, u32, u32)>,
}

impl Scratch {
    fn fit(&mut self, n: usize) {
        if self.tally.len() < n {
            self.tally.resize(n, Tally::default());
        }
    }

    fn reset(&mut self) {
        for &p in &self.touched {
            self.tally[p as usize] = Tally::default();
        }
        self.touched.clear();
        self.scored.clear();
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// What the look-up of the keys found (the procedures are in the scratch).
struct Collected {
    unmatched: Vec<String>,
    /// Per key.
    matchers: Vec<Matcher>,
}

impl Catalog {
    /// Procedures matching `query`, best first, at most `limit` of them; `field` (a field code
    /// or name, with or without diacritics) restricts the search to one field. An empty query
    /// lists the field (or the whole catalogue) in Vietnamese alphabetical order. Accepts any
    /// Unicode normalisation form. See [`Outcome`] for what the screen should say.
    pub fn search(&self, query: &str, field: Option<&str>, limit: usize) -> SearchResults<'_> {
        self.scored_search(query, field, limit).0
    }

    /// How `query` is understood: the catalogue's words searched for (a phrase of the
    /// vocabulary replaced by its meaning) and the typed words set aside. For a screen that says
    /// "Đang tìm: khai tử", and for editors of `vocabulary.toml`.
    pub fn understand(&self, query: &str) -> Understanding {
        let q = Query::understand(query, &self.vocabulary, &self.index);
        Understanding {
            searched: q.keys.iter().map(|k| k.text.clone()).collect(),
            ignored: q.tokens.iter().filter(|t| t.ignored).map(|t| t.typed.clone()).collect(),
        }
    }

    /// [`search`](Self::search) with each result's score, for tuning the vocabulary.
    #[doc(hidden)]
    pub fn search_with_scores(&self, query: &str, limit: usize) -> Vec<(f32, &Procedure)> {
        let (found, scores) = self.scored_search(query, None, limit);
        scores.into_iter().zip(found.results).collect()
    }

    fn scored_search(&self, query: &str, field: Option<&str>, limit: usize) -> (SearchResults<'_>, Vec<f32>) {
        let wanted_field = match field.map(str::trim).filter(|f| !f.is_empty()) {
            None => None,
            Some(f) => match self.fields.iter().position(|x| x.code == field_code(f)) {
                Some(i) => Some(i as u16),
                None => return (self.no_match(Vec::new()), Vec::new()),
            },
        };
        let q = Query::understand(query, &self.vocabulary, &self.index);
        if q.tokens.is_empty() {
            return (self.browse(wanted_field, limit), Vec::new());
        }
        if q.keys.is_empty() {
            return (self.no_match(Vec::new()), Vec::new());
        }
        if let [key] = q.keys.as_slice() {
            if let Some(list) = self.short_prefix_list(key) {
                return (self.first_of(list, wanted_field, limit), Vec::new());
            }
        }
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            scratch.fit(self.procedures.len());
            let found = self.collect(&q, wanted_field, &mut scratch);
            let result = self.finish(&q, found, &mut scratch, limit);
            scratch.reset();
            result
        })
    }

    /// The procedures, in short-name-first order, with a name word starting with the one or two
    /// letters typed so far: the whole query is a word just begun, too short to rank by.
    fn short_prefix_list(&self, key: &Key) -> Option<&[u32]> {
        if !key.prefix || key.code.is_some() || key.text.chars().count() > SHORT_PREFIX {
            return None;
        }
        let list = self.index.short_prefix(&key.text);
        Some(match key.telex.as_deref() {
            Some(telex) if list.is_empty() => self.index.short_prefix(telex),
            _ => list,
        })
    }

    fn first_of(&self, list: &[u32], field: Option<u16>, limit: usize) -> SearchResults<'_> {
        let ix = &self.index;
        let mut matching =
            list.iter().filter(|&&p| field.is_none_or(|f| ix.field_of[p as usize] == f)).map(|&p| &self.procedures[p as usize]);
        let results: Vec<&Procedure> = matching.by_ref().take(limit).collect();
        let total = results.len() + matching.count();
        if total == 0 {
            return self.no_match(Vec::new());
        }
        SearchResults { results, total, outcome: Outcome::Found, unmatched: Vec::new(), fields: Vec::new() }
    }

    /// Every key looked up: the procedures found (in `scratch.tally`) and the keys' words.
    ///
    /// Keys are looked up rarest first. Once the keys left could not lift a procedure found by
    /// none so far to the share of the best one that the filter keeps (`KEEP_SHARE`), they only
    /// add to the procedures already found: the result is the same, and the common words
    /// ("giấy", "đăng ký", with thousands of procedures each) cost much less.
    fn collect(&self, q: &Query, wanted_field: Option<u16>, scratch: &mut Scratch) -> Collected {
        let ix = &self.index;
        let in_field = |p: u32| wanted_field.is_none_or(|f| ix.field_of[p as usize] == f);
        let Scratch { tally, touched, .. } = scratch;
        let mut unmatched = Vec::new();
        // A word just begun (one or two letters) after other words only reorders what they
        // found: its completions are too many to look up.
        let last = q.keys.len() - 1;
        let short = |k: usize, key: &Key| key.prefix && key.text.chars().count() <= SHORT_PREFIX && q.keys.len() > 1 && k == last;
        let mut matchers: Vec<Matcher> = Vec::with_capacity(q.keys.len());
        let mut importance = vec![0.0f32; q.keys.len()];
        let mut codes: Vec<Vec<(u32, bool)>> = vec![Vec::new(); q.keys.len()];
        for (k, key) in q.keys.iter().enumerate() {
            if short(k, key) {
                let ranges = std::iter::once(key.text.as_str()).chain(key.telex.as_deref()).map(|f| ix.with_prefix(f)).collect();
                matchers.push(Matcher::ranges(ranges));
                continue;
            }
            let words = self.matching_words(key);
            // What matching this key at all is worth, whichever of its words a procedure has:
            // the filter compares procedures by the keys they match.
            importance[k] = words.iter().map(|&(w, quality)| ix.weight(w) * quality * key.share()).fold(0.0, f32::max);
            if let Some(digits) = &key.code {
                codes[k] = ix.codes_starting(digits);
                if !codes[k].is_empty() {
                    importance[k] = CODE_SCORE;
                }
            }
            if words.is_empty() && codes[k].is_empty() {
                if let Some(token) = q.typed_key(key) {
                    unmatched.push(token.typed.clone());
                }
            }
            matchers.push(Matcher::words(words));
        }
        let mut order: Vec<usize> = (0..q.keys.len()).filter(|&k| !short(k, &q.keys[k])).collect();
        order.sort_by(|&a, &b| importance[b].total_cmp(&importance[a]));
        let mut remaining: f32 = importance.iter().sum();
        // The best filter weight so far, at least: what a new procedure must come close to.
        let mut most = 0.0f32;
        for k in order {
            let key = &q.keys[k];
            let share = key.share();
            remaining -= importance[k];
            // A procedure no key found yet can reach at most this with the keys left, when this
            // key is found in `zone`.
            let may_reach = |zone: Zone| remaining + importance[k] * zone.evidence();
            let words = &matchers[k].words;
            let mut taken = 0usize;
            // Whether the procedure was taken.
            let mut offer = |p: u32, score: f32, weight: f32, zone: Option<Zone>| -> bool {
                let t = &mut tally[p as usize];
                let only_found = zone.is_some_and(|z| may_reach(z) < KEEP_SHARE * most);
                if (only_found && t.keys == 0) || !in_field(p) {
                    return false;
                }
                if t.keys == 0 {
                    touched.push(p);
                }
                t.offer(k, score, weight, zone);
                most = most.max(t.weight);
                true
            };
            for &(p, exact) in &codes[k] {
                let quality = if exact { 1.0 } else { 0.8 };
                taken += usize::from(offer(p, CODE_SCORE * quality, CODE_SCORE * quality, None));
            }
            // A word being typed is looked for in names and keywords; among documents only when
            // it is found nowhere else: its completions are many, and documents say little.
            for zone in ZONES {
                if key.prefix && zone == Zone::Document && taken > 0 {
                    break;
                }
                for &(w, quality) in words {
                    let score = ix.weight(w) * quality * share * zone.weight();
                    for posting in ix.postings_in(w, zone) {
                        taken += usize::from(offer(posting.procedure, score, importance[k] * zone.evidence(), Some(zone)));
                    }
                }
            }
        }
        if short(last, &q.keys[last]) && !touched.is_empty() {
            let key = &q.keys[last];
            let quality = SHORT_PREFIX_QUALITY * key.share();
            for form in std::iter::once(key.text.as_str()).chain(key.telex.as_deref()) {
                for posting in ix.short_prefix_postings(form) {
                    let t = &mut tally[posting.procedure as usize];
                    if t.keys != 0 && t.keys & (1 << last) == 0 {
                        t.keys |= 1 << last;
                        t.score += quality * posting.zone.weight();
                        t.weight += quality * posting.zone.evidence();
                        t.in_name |= posting.zone == Zone::Name;
                        t.in_keywords |= posting.zone == Zone::Keyword;
                    }
                }
            }
        }
        Collected { unmatched, matchers }
    }

    /// The procedures kept, ranked.
    fn finish<'c>(&'c self, q: &Query, found: Collected, scratch: &mut Scratch, limit: usize) -> (SearchResults<'c>, Vec<f32>) {
        let Collected { unmatched, matchers } = found;
        let Scratch { tally, touched, scored, .. } = scratch;
        let Some(most) = touched.iter().map(|&p| tally[p as usize].weight).max_by(f32::total_cmp) else {
            return (self.no_match(unmatched), Vec::new());
        };
        let ix = &self.index;
        scored.extend(
            touched
                .iter()
                .filter(|&&p| tally[p as usize].weight >= KEEP_SHARE * most)
                .map(|&p| (tally[p as usize].score, ix.tie_rank[p as usize], p)),
        );
        let total = scored.len();
        let tokens: Vec<TokenMatcher> = q
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| match q.keys.iter().position(|k| k.origin == Origin::Typed(i)) {
                Some(k) => TokenMatcher::Key(k),
                None => TokenMatcher::Own(self.exact_words(&t.text, t.telex.as_deref()), t.ignored),
            })
            .collect();
        let scorer = Scorer { ix: &self.index, keys: &q.keys, matchers: &matchers, tokens: &tokens };
        scorer.rank(scored, tally, limit);
        let outcome = if unmatched.is_empty() { Outcome::Found } else { Outcome::Partial };
        let scores = scored.iter().map(|&(score, _, _)| score).collect();
        let results = scored.iter().map(|&(_, _, p)| &self.procedures[p as usize]).collect();
        (SearchResults { results, total, outcome, unmatched, fields: Vec::new() }, scores)
    }

    fn no_match(&self, unmatched: Vec<String>) -> SearchResults<'_> {
        SearchResults { results: Vec::new(), total: 0, outcome: Outcome::NoMatch, unmatched, fields: self.fields.iter().collect() }
    }

    fn browse(&self, field: Option<u16>, limit: usize) -> SearchResults<'_> {
        let ix = &self.index;
        let mut matching =
            ix.alphabetical.iter().filter(|&&p| field.is_none_or(|f| ix.field_of[p as usize] == f)).map(|&p| &self.procedures[p as usize]);
        let results: Vec<&Procedure> = matching.by_ref().take(limit).collect();
        let total = results.len() + matching.count();
        SearchResults { results, total, outcome: Outcome::Browse, unmatched: Vec::new(), fields: Vec::new() }
    }

    /// The index words `word` (folded) or its Telex skeleton are, exactly.
    fn exact_words(&self, word: &str, telex: Option<&str>) -> Matcher {
        let mut words: Vec<(u32, f32)> = self.index.exact(word).map(|w| (w, 1.0)).into_iter().collect();
        if let Some(w) = telex.and_then(|t| self.index.exact(t)) {
            if !words.iter().any(|&(x, _)| x == w) {
                words.push((w, TELEX_QUALITY));
            }
        }
        words.sort_unstable_by_key(|&(w, _)| w);
        Matcher::words(words)
    }

    /// The index words a key stands for, with a match quality in (0, 1], sorted by word.
    fn matching_words(&self, key: &Key) -> Vec<(u32, f32)> {
        let ix = &self.index;
        let forms: Vec<(&str, f32)> =
            std::iter::once((key.text.as_str(), 1.0)).chain(key.telex.as_deref().map(|t| (t, TELEX_QUALITY))).collect();
        let mut found: Vec<(u32, f32)> = Vec::new();
        for &(form, quality) in &forms {
            let exact = ix.exact(form);
            if !key.completions_only {
                found.extend(exact.map(|w| (w, quality)));
            }
            if key.prefix {
                let typed = form.chars().count() as f32;
                let quality = if exact.is_some() { quality * COMPLETION_OF_WORD } else { quality } * (typed / PREFIX_FULL_AT).min(1.0);
                for w in ix.with_prefix(form).filter(|&w| Some(w) != exact) {
                    let word = ix.word(w);
                    if self.vocabulary.is_ignorable_word(word) {
                        continue;
                    }
                    let completed = typed / word.chars().count() as f32;
                    found.push((w, quality * (0.6 + 0.3 * completed)));
                }
            }
        }
        if found.is_empty() && matches!(key.origin, Origin::Typed(_)) && key.code.is_none() {
            for &(form, quality) in forms.iter().filter(|(f, _)| f.chars().count() >= 4) {
                found.extend(ix.one_typo_from(form).into_iter().map(|w| (w, quality * TYPO_QUALITY)));
            }
        }
        found.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        found.dedup_by_key(|(w, _)| *w);
        found
    }
}

/// The raises of the score that need a look at the name and keywords, and the final order.
struct Scorer<'q> {
    ix: &'q Index,
    keys: &'q [Key],
    /// Per key.
    matchers: &'q [Matcher],
    /// Per typed token (ignored ones too), for keywords written word for word.
    tokens: &'q [TokenMatcher],
}

impl Scorer<'_> {
    /// Keeps the first `limit` of `scored` (score, tie rank, procedure), best first. Raises are computed
    /// for the best [`RAISED`] by word score (shorter names first among equals, as the coverage
    /// raise would have them): with 10,000 procedures a common word matches thousands, and
    /// raising them all would cost more than the rest of the search.
    fn rank(&self, scored: &mut Vec<(f32, u32, u32)>, tally: &[Tally], limit: usize) {
        if limit == 0 {
            scored.clear();
        }
        if scored.is_empty() {
            return;
        }
        let order = |a: &(f32, u32, u32), b: &(f32, u32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let raised = RAISED.max(4 * limit);
        if scored.len() > raised {
            scored.select_nth_unstable_by(raised - 1, order);
            scored.truncate(raised);
        }
        for (score, _, p) in scored.iter_mut() {
            *score *= 1.0 + self.raise(*p, &tally[*p as usize]);
        }
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, order);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(order);
    }

    fn raise(&self, p: u32, t: &Tally) -> f32 {
        let mut raise = IGNORED_WORD_RAISE * self.ignored_hits(p) as f32;
        let name = &self.ix.names[p as usize];
        if t.in_name && !name.is_empty() {
            let masks: Vec<u32> = name.iter().map(|&w| self.key_mask(w, t.keys)).collect();
            let covered = masks.iter().filter(|&&m| m != 0).count();
            raise += COVERAGE_RAISE * covered as f32 / name.len() as f32;
            let pairs = self.keys.len().saturating_sub(1);
            if pairs > 0 {
                // Key k followed by key k+1 in the name, for every k: bit k of (a << 1) & b.
                let mut found = 0u32;
                for pair in masks.windows(2) {
                    found |= (pair[0] << 1) & pair[1];
                }
                raise += ADJACENT_RAISE * found.count_ones() as f32 / pairs as f32;
            }
            if masks[0] & 1 != 0 {
                raise += START_RAISE;
            }
        }
        raise + KEYWORD_RAISE * self.keyword_written(p)
    }

    /// Ignored words typed ("nhận cha, mẹ, con") that stand in the name or keywords: a little
    /// raise each, never a match on their own.
    fn ignored_hits(&self, p: u32) -> usize {
        let ix = self.ix;
        let words = || ix.names[p as usize].iter().chain(ix.keywords[p as usize].iter().flatten());
        self.tokens
            .iter()
            .filter(|t| match t {
                TokenMatcher::Own(m, true) => words().any(|&w| m.hits(w)),
                _ => false,
            })
            .count()
            .min(MAX_IGNORED_RAISES)
    }

    /// Keys (of those matched in `p`) that stand for the word `w`, as a bit mask.
    fn key_mask(&self, w: u32, matched: u32) -> u32 {
        let mut mask = 0;
        let mut rest = matched;
        while rest != 0 {
            let k = rest.trailing_zeros();
            if self.matchers[k as usize].hits(w) {
                mask |= 1 << k;
            }
            rest &= rest - 1;
        }
        mask
    }

    fn token_hits(&self, token: usize, w: u32) -> bool {
        match &self.tokens[token] {
            TokenMatcher::Key(k) => self.matchers[*k].hits(w),
            TokenMatcher::Own(m, _) => m.hits(w),
        }
    }

    /// How much of one of `p`'s keywords the query holds word for word (1 for a keyword of
    /// three words or more, less for shorter ones), 0 if none.
    fn keyword_written(&self, p: u32) -> f32 {
        let mut best = 0.0f32;
        let n = self.tokens.len();
        for keyword in self.ix.keywords[p as usize].iter().filter(|k| k.len() >= 2 && k.len() <= n) {
            let held = (0..=n - keyword.len()).any(|start| keyword.iter().enumerate().all(|(i, &w)| self.token_hits(start + i, w)));
            if held {
                best = best.max((keyword.len() as f32 / 3.0).min(1.0));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::Outcome;
    use crate::testing::sample;
    use crate::Catalog;

    fn catalog() -> Catalog {
        let mut khai_sinh = sample("1.001193", "Đăng ký khai sinh");
        khai_sinh.documents[0].name = "Tờ khai đăng ký khai sinh".into();
        let mut lai = sample("1.004884", "Đăng ký lại khai sinh");
        lai.documents[0].name = "Bản sao giấy tờ".into();
        let mut thuong_tru = sample("1.004222", "Đăng ký thường trú");
        thuong_tru.field = "Cư trú".into();
        thuong_tru.service = "B".into();
        thuong_tru.keywords = vec!["nhập hộ khẩu".into()];
        thuong_tru.documents[0].name = "Giấy khai sinh của trẻ em".into();
        let mut hoa_giai = sample("2.000001", "Hòa giải ở cơ sở");
        hoa_giai.field = "Hòa giải".into();
        Catalog::from_procedures(vec![thuong_tru, lai, khai_sinh, hoa_giai]).unwrap()
    }

    fn codes(c: &Catalog, q: &str, field: Option<&str>) -> Vec<String> {
        c.search(q, field, 10).results.iter().map(|p| p.code.clone()).collect()
    }

    #[test]
    fn names_rank_before_documents_and_short_names_first() {
        let c = catalog();
        assert_eq!(codes(&c, "khai sinh", None), ["1.001193", "1.004884"], "a match among documents only is dropped when names match");
        assert_eq!(codes(&c, "Đăng ký khai sinh", None)[0], "1.001193");
        assert_eq!(c.search("khai sinh", None, 1).total, 2);
        assert_eq!(codes(&c, "tre em", None), ["1.004222"], "documents count when nothing better matches");
    }

    #[test]
    fn folding_telex_typo_and_prefix() {
        let c = catalog();
        assert_eq!(codes(&c, "dang ky khai sinh", None)[0], "1.001193");
        assert_eq!(codes(&c, "dawng kys khai sinh", None)[0], "1.001193");
        assert_eq!(codes(&c, "dang ky thuonh tru", None)[0], "1.004222", "one typo");
        assert_eq!(codes(&c, "thuong t", None)[0], "1.004222", "prefix while typing");
        assert_eq!(codes(&c, "hoà giải", None)[0], "2.000001");
        assert_eq!(codes(&c, "nhap ho khau", None), ["1.004222"], "keywords");
    }

    #[test]
    fn a_finished_word_is_not_a_prefix() {
        let c = catalog();
        assert_eq!(c.search("khai ", None, 10).total, 2);
        assert_eq!(c.search("kha ", None, 10).total, 0, "kha is not a word");
        assert_eq!(c.search("kha", None, 10).total, 3, "khai in two names, khẩu in a keyword");
        assert_eq!(c.search("kha ", None, 10).outcome, Outcome::NoMatch);
    }

    #[test]
    fn short_words_get_no_typo_tolerance() {
        let c = catalog();
        assert_eq!(c.search("kgai ", None, 10).total, 2, "four letters: one typo allowed");
        assert_eq!(c.search("ly ", None, 10).total, 0);
    }

    #[test]
    fn codes_with_or_without_dot_and_prefixes() {
        let c = catalog();
        assert_eq!(codes(&c, "1.001193", None), ["1.001193"]);
        assert_eq!(codes(&c, "1001193", None), ["1.001193"]);
        assert_eq!(codes(&c, "004222", None), ["1.004222"]);
        assert_eq!(codes(&c, "1.00", None), ["1.001193", "1.004222", "1.004884"]);
    }

    #[test]
    fn field_filter_by_code_or_name() {
        let c = catalog();
        assert_eq!(codes(&c, "khai sinh", Some("cu-tru")), ["1.004222"]);
        assert_eq!(codes(&c, "khai sinh", Some("Cư trú")), ["1.004222"]);
        assert_eq!(codes(&c, "khai sinh", Some("CU TRU")), ["1.004222"]);
        assert_eq!(c.search("khai sinh", Some("xay-dung"), 10).total, 0);
    }

    #[test]
    fn empty_query_browses_alphabetically() {
        let c = catalog();
        let all = c.search("", None, 3);
        assert_eq!(all.total, 4);
        let names: Vec<&str> = all.results.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Đăng ký khai sinh", "Đăng ký lại khai sinh", "Đăng ký thường trú"]);
        assert_eq!(c.search("  ", Some("ho tich"), 10).total, 2);
        assert_eq!(c.search("", None, 0).total, 4);
    }
}
