//! Finding the procedure a citizen means from what they typed: each query word is matched
//! exactly, as a Telex leftover, as a prefix (the word being typed), with one typo (words of four
//! letters or more, only when nothing matches otherwise) or as a procedure code; procedures that
//! match the most query words win, ranked by where the words were found (name > keywords >
//! documents), how much of the name they cover, and whether they appear as a phrase.

use super::fold::{code_digits, field_code, fold, telex_skeleton, words};
use super::index::{Index, Zone};
use super::model::Procedure;
use super::Catalog;

/// A page of results, best first, and how many procedures matched in all.
#[derive(Debug)]
pub struct SearchResults<'a> {
    pub results: Vec<&'a Procedure>,
    pub total: usize,
}

/// Words beyond this are ignored: nobody types more at a kiosk, and it bounds the work.
const MAX_WORDS: usize = 12;
/// Weight of a matching procedure code, above any word in a name.
const CODE_WEIGHT: f32 = 10.0;
const TELEX_QUALITY: f32 = 0.95;
const TYPO_QUALITY: f32 = 0.6;
/// Extra score when the whole query appears in the name, and when the name starts with it.
const PHRASE_BONUS: f32 = 2.0;
const NAME_START_BONUS: f32 = 1.0;
/// Extra score when the whole query appears in one keyword (citizens' own words for a procedure),
/// unless it already appears in the name: a phrase counts once, in its best zone.
const KEYWORD_PHRASE_BONUS: f32 = 2.5;
/// A query that is one of a procedure's keywords word for word ("giay chung tu" for the death
/// registration) is what the citizen calls that procedure: each of its words then counts as if it
/// were in the name, on top of the phrase bonus.
const WHOLE_KEYWORD_PER_WORD: f32 = 2.0;
/// Completions of a word being typed count less when what was typed is already a word.
const COMPLETION_OF_WORD: f32 = 0.5;
/// Extra score for covering the whole name (shorter names with the same words rank higher).
const NAME_COVERAGE_BONUS: f32 = 2.0;

/// One word of the query.
struct QueryWord {
    /// Folded word (or code digits).
    text: String,
    /// The word with Telex keys removed, when different.
    telex: Option<String>,
    /// Code digits, when the word looks like a procedure code.
    code: Option<String>,
    /// The last word with no space after it: the citizen may still be typing it.
    open: bool,
}

fn parse(query: &str) -> Vec<QueryWord> {
    let mut out = Vec::new();
    for chunk in query.split_whitespace() {
        if let Some(digits) = code_digits(chunk.trim_matches(|c: char| !c.is_alphanumeric())) {
            out.push(QueryWord { text: digits.clone(), telex: None, code: Some(digits), open: false });
            continue;
        }
        for w in words(&fold(chunk)) {
            out.push(QueryWord { text: w.to_owned(), telex: telex_skeleton(w), code: None, open: false });
        }
    }
    out.truncate(MAX_WORDS);
    if !query.ends_with(char::is_whitespace) {
        if let Some(last) = out.last_mut() {
            last.open = true;
        }
    }
    out
}

/// The best match of the current query word in one procedure.
#[derive(Clone, Copy, Default)]
struct WordBest {
    score: f32,
    in_name: bool,
}

/// What the query words found so far in one procedure.
#[derive(Clone, Copy, Default)]
struct Tally {
    words: u8,
    score: f32,
    name_words: u8,
}

impl Catalog {
    /// Procedures matching `query`, best first, at most `limit` of them; `field` (a field code
    /// or name, with or without diacritics) restricts the search to one field. An empty query
    /// lists the field (or the whole catalogue) in Vietnamese alphabetical order. Accepts any
    /// Unicode normalisation form.
    pub fn search(&self, query: &str, field: Option<&str>, limit: usize) -> SearchResults<'_> {
        let wanted_field = match field.map(str::trim).filter(|f| !f.is_empty()) {
            None => None,
            Some(f) => match self.fields.iter().position(|x| x.code == field_code(f)) {
                Some(i) => Some(i as u16),
                None => return SearchResults { results: Vec::new(), total: 0 },
            },
        };
        let query_words = parse(query);
        if query_words.is_empty() {
            return self.browse(wanted_field, limit);
        }
        let ix = &self.index;
        let n = self.procedures.len();
        let in_field = |p: u32| wanted_field.is_none_or(|f| ix.field_of[p as usize] == f);
        let mut best = vec![WordBest::default(); n];
        let mut tally = vec![Tally::default(); n];
        let mut touched_word: Vec<u32> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        let offer = |best: &mut [WordBest], touched_word: &mut Vec<u32>, p: u32, score: f32, in_name: bool| {
            let slot = &mut best[p as usize];
            if slot.score == 0.0 {
                touched_word.push(p);
            }
            if score > slot.score {
                *slot = WordBest { score, in_name };
            }
        };
        for word in &query_words {
            if let Some(digits) = &word.code {
                for (p, exact) in ix.codes_starting(digits) {
                    if in_field(p) {
                        let quality = if exact { 1.0 } else { 0.8 };
                        offer(&mut best, &mut touched_word, p, CODE_WEIGHT * quality, false);
                    }
                }
            }
            for (w, quality) in matching_words(ix, word) {
                for posting in ix.postings(w) {
                    if in_field(posting.procedure) {
                        let score = posting.zone.weight() * quality;
                        offer(&mut best, &mut touched_word, posting.procedure, score, posting.zone == Zone::Name);
                    }
                }
            }
            for p in touched_word.drain(..) {
                let b = std::mem::take(&mut best[p as usize]);
                let t = &mut tally[p as usize];
                if t.words == 0 {
                    touched.push(p);
                }
                t.words += 1;
                t.score += b.score;
                t.name_words += u8::from(b.in_name);
            }
        }
        let Some(most) = touched.iter().map(|&p| tally[p as usize].words).max() else {
            return SearchResults { results: Vec::new(), total: 0 };
        };
        let mut ranked: Vec<(f32, u32)> =
            touched.into_iter().filter(|&p| tally[p as usize].words == most).map(|p| (base_score(ix, p, tally[p as usize]), p)).collect();
        let total = ranked.len();
        add_phrase_bonuses(ix, &mut ranked, &phrases(&query_words), limit);
        let order = |a: &(f32, u32), b: &(f32, u32)| {
            b.0.total_cmp(&a.0)
                .then(ix.name_lengths[a.1 as usize].cmp(&ix.name_lengths[b.1 as usize]))
                .then(ix.alphabetical_rank[a.1 as usize].cmp(&ix.alphabetical_rank[b.1 as usize]))
        };
        if limit == 0 {
            ranked.clear();
        } else if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit - 1, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        SearchResults { results: ranked.into_iter().map(|(_, p)| &self.procedures[p as usize]).collect(), total }
    }

    fn browse(&self, field: Option<u16>, limit: usize) -> SearchResults<'_> {
        let ix = &self.index;
        let mut matching =
            ix.alphabetical.iter().filter(|&&p| field.is_none_or(|f| ix.field_of[p as usize] == f)).map(|&p| &self.procedures[p as usize]);
        let results: Vec<&Procedure> = matching.by_ref().take(limit).collect();
        let total = results.len() + matching.count();
        SearchResults { results, total }
    }
}

/// The vocabulary words `word` stands for, with a match quality in (0, 1].
fn matching_words(ix: &Index, word: &QueryWord) -> Vec<(u32, f32)> {
    let forms: Vec<(&str, f32)> =
        std::iter::once((word.text.as_str(), 1.0)).chain(word.telex.as_deref().map(|t| (t, TELEX_QUALITY))).collect();
    let mut found = Vec::new();
    for &(form, quality) in &forms {
        let exact = ix.exact(form);
        found.extend(exact.map(|w| (w, quality)));
        if word.open {
            let typed = form.chars().count() as f32;
            let quality = if exact.is_some() { quality * COMPLETION_OF_WORD } else { quality };
            for w in ix.with_prefix(form).filter(|&w| Some(w) != exact) {
                let completed = typed / ix.word(w).chars().count() as f32;
                found.push((w, quality * (0.6 + 0.3 * completed)));
            }
        }
    }
    if found.is_empty() {
        for &(form, quality) in forms.iter().filter(|(f, _)| f.chars().count() >= 4) {
            found.extend(ix.one_typo_from(form).into_iter().map(|w| (w, quality * TYPO_QUALITY)));
        }
    }
    found
}

/// The query as typed and with Telex keys removed, for phrase matching against names.
fn phrases(query_words: &[QueryWord]) -> Vec<String> {
    let plain: Vec<&QueryWord> = query_words.iter().filter(|w| w.code.is_none()).collect();
    if plain.len() < 2 {
        return Vec::new();
    }
    let typed = plain.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    let untelexed = plain.iter().map(|w| w.telex.as_deref().unwrap_or(&w.text)).collect::<Vec<_>>().join(" ");
    if typed == untelexed {
        vec![typed]
    } else {
        vec![typed, untelexed]
    }
}

/// Score of the matched words plus how much of the name they cover.
fn base_score(ix: &Index, p: u32, t: Tally) -> f32 {
    let name_len = f32::from(ix.name_lengths[p as usize].max(1));
    t.score + NAME_COVERAGE_BONUS * f32::from(t.name_words).min(name_len) / name_len
}

/// Adds the phrase bonus to the candidates that could still reach the first `limit` places
/// (the others cannot catch up, and checking phrases costs more than everything else).
fn add_phrase_bonuses(ix: &Index, ranked: &mut [(f32, u32)], phrases: &[String], limit: usize) {
    if phrases.is_empty() || limit == 0 {
        return;
    }
    let mut bar = f32::MIN;
    if ranked.len() > limit {
        let mut scores: Vec<f32> = ranked.iter().map(|r| r.0).collect();
        let (_, kth, _) = scores.select_nth_unstable_by(limit - 1, |a, b| b.total_cmp(a));
        bar = *kth - max_phrase_bonus(phrases);
    }
    for (score, p) in ranked.iter_mut().filter(|r| r.0 >= bar) {
        *score += phrase_bonus(ix, *p, phrases);
    }
}

fn whole_keyword_bonus(phrase: &str) -> f32 {
    KEYWORD_PHRASE_BONUS + WHOLE_KEYWORD_PER_WORD * phrase.split(' ').count() as f32
}

/// The most any candidate can gain from `phrases`.
fn max_phrase_bonus(phrases: &[String]) -> f32 {
    phrases.iter().map(|ph| whole_keyword_bonus(ph)).fold(PHRASE_BONUS + NAME_START_BONUS, f32::max)
}

fn phrase_bonus(ix: &Index, p: u32, phrases: &[String]) -> f32 {
    let name = &ix.names[p as usize];
    let in_name = match phrases.iter().find(|ph| name.contains(ph.as_str())) {
        Some(phrase) if name.starts_with(phrase.as_str()) => PHRASE_BONUS + NAME_START_BONUS,
        Some(_) => PHRASE_BONUS,
        None => 0.0,
    };
    let keywords = &ix.keywords[p as usize];
    let in_keywords = phrases
        .iter()
        .filter(|ph| keywords.contains(ph.as_str()))
        .map(|ph| if keywords.split(" | ").any(|k| k == ph.as_str()) { whole_keyword_bonus(ph) } else { KEYWORD_PHRASE_BONUS })
        .fold(0.0, f32::max);
    in_name.max(in_keywords)
}

#[cfg(test)]
mod tests {
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
        assert_eq!(codes(&c, "khai sinh", None), ["1.001193", "1.004884", "1.004222"]);
        assert_eq!(codes(&c, "Đăng ký khai sinh", None)[0], "1.001193");
        assert_eq!(c.search("khai sinh", None, 1).total, 3);
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
        assert_eq!(c.search("khai ", None, 10).total, 4);
        assert_eq!(c.search("kha ", None, 10).total, 0, "kha is not a word");
        assert_eq!(c.search("kha", None, 10).total, 4);
    }

    #[test]
    fn short_words_get_no_typo_tolerance() {
        let c = catalog();
        assert_eq!(c.search("kgai ", None, 10).total, 4, "four letters: one typo allowed");
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
