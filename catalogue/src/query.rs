//! What a citizen typed, understood with the vocabulary: the words that carry the meaning
//! (keys), the ones that say nothing about the procedure (ignored), and the everyday phrases
//! replaced by the catalogue's words ("giấy chứng tử" → "khai tử"). Pure text work: the index
//! is not consulted here.

use super::fold::{code_digits, fold, nfc, spelling, words};
use super::vocabulary::{word_forms, Phrase, Vocabulary, MAX_GAP};

/// Words beyond this are ignored: it bounds the work of a query typed or pasted at the kiosk.
const MAX_TOKENS: usize = 20;
/// Keys beyond this are ignored (bit masks of keys are `u32`).
pub(crate) const MAX_KEYS: usize = 32;

/// One word as typed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// NFC, lower case, as typed (diacritics kept).
    pub typed: String,
    /// Folded search form ("Đăng" → "dang", "kí" → "ki").
    pub text: String,
    /// The word with Telex keys removed, when different ("dawng" → "dang").
    pub telex: Option<String>,
    /// Code digits, when the word looks like a procedure code.
    pub code: Option<String>,
    /// The last word with nothing after it: the citizen may still be typing it.
    pub open: bool,
    /// The token says nothing about the procedure (an ignored word, or part of a phrase
    /// whose meaning was added as keys).
    pub ignored: bool,
}

/// Where a key comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Origin {
    /// A word the citizen typed (index into `tokens`).
    Typed(usize),
    /// A word of a phrase's meaning; `share` is the weight of each of its words, so that the
    /// meaning counts as much as the words typed for it, however long it is.
    Meaning { share: f32 },
}

/// A word that must be looked up in the index.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key {
    pub text: String,
    pub telex: Option<String>,
    pub code: Option<String>,
    /// Match words starting with `text` too.
    pub prefix: bool,
    /// Only words longer than `text` (an ignored word being typed: its completions count).
    pub completions_only: bool,
    pub origin: Origin,
}

impl Key {
    pub fn share(&self) -> f32 {
        match self.origin {
            Origin::Typed(_) => 1.0,
            Origin::Meaning { share } => share,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Query {
    pub tokens: Vec<Token>,
    /// The meaningful words, in the order they were typed; a phrase's meaning stands where the
    /// phrase was.
    pub keys: Vec<Key>,
}

/// Which two words stand together in the catalogue's names: an ignorable word typed without
/// diacritics next to a word it forms a name phrase with is not ignored ("ban sao" is "bản
/// sao", not "bạn sao"; "dang ky" is "đăng ký", not "đang ký").
pub(crate) trait NamePairs {
    fn is_name_pair(&self, first: &str, second: &str) -> bool;
}

impl NamePairs for super::index::Index {
    fn is_name_pair(&self, first: &str, second: &str) -> bool {
        super::index::Index::is_name_pair(self, first, second)
    }
}

impl Query {
    pub fn understand(text: &str, vocabulary: &Vocabulary, pairs: &dyn NamePairs) -> Query {
        let mut tokens = tokenize(text);
        let mut keys = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if let Some(digits) = &t.code {
                keys.push(Key {
                    text: digits.clone(),
                    telex: None,
                    code: Some(digits.clone()),
                    prefix: false,
                    completions_only: false,
                    origin: Origin::Typed(i),
                });
                i += 1;
                continue;
            }
            if let Some((used, phrase)) = longest_phrase(&tokens, i, vocabulary) {
                let end = *used.last().unwrap_or(&i);
                for t in &mut tokens[i..=end] {
                    t.ignored = true;
                }
                if let Some(meaning) = &phrase.meaning {
                    // The meaning weighs as much as the meaningful words typed for it ("hộ khẩu"
                    // → "thường trú": one for one; "sổ đỏ" → seven words: 2/7 each; "bố … mất":
                    // one word, "bố" says nothing by itself).
                    let typed = used.iter().filter(|&&j| !is_ignorable(&tokens[j], vocabulary)).count().max(1);
                    let share = typed as f32 / meaning.len() as f32;
                    for w in meaning {
                        // Two phrases meaning the same ("thuê nhà", "ở tạm") count once.
                        match keys.iter_mut().find(|k: &&mut Key| k.text == *w && matches!(k.origin, Origin::Meaning { .. })) {
                            Some(k) => k.origin = Origin::Meaning { share: share.max(k.share()) },
                            None => keys.push(Key {
                                text: w.clone(),
                                telex: None,
                                code: None,
                                prefix: false,
                                completions_only: false,
                                origin: Origin::Meaning { share },
                            }),
                        }
                    }
                }
                i = end + 1;
                continue;
            }
            let in_name_pair = t.typed.is_ascii()
                && (i.checked_sub(1).is_some_and(|j| pairs.is_name_pair(&tokens[j].text, &t.text))
                    || tokens.get(i + 1).is_some_and(|next| pairs.is_name_pair(&t.text, &next.text)));
            let repeated = keys.iter().any(|k: &Key| matches!(k.origin, Origin::Typed(_)) && k.text == t.text && !t.open);
            if is_ignorable(t, vocabulary) && !in_name_pair {
                tokens[i].ignored = true;
            } else if repeated {
                // The same word twice counts once (and costs one look-up).
                tokens[i].ignored = true;
            } else {
                keys.push(Key {
                    text: t.text.clone(),
                    telex: t.telex.clone(),
                    code: None,
                    prefix: t.open,
                    completions_only: false,
                    origin: Origin::Typed(i),
                });
            }
            i += 1;
        }
        // One ignored word still being typed ("con" on the way to "công chứng"): what it may
        // become is what the citizen is looking for. A whole sentence of such words ("làm thủ
        // tục gì") is finished, whether or not a space follows.
        if keys.is_empty() && tokens.len() == 1 {
            if let Some(last) = tokens.last().filter(|t| t.open && t.code.is_none()) {
                keys.push(Key {
                    text: last.text.clone(),
                    telex: None,
                    code: None,
                    prefix: true,
                    completions_only: true,
                    origin: Origin::Typed(tokens.len() - 1),
                });
            }
        }
        keys.truncate(MAX_KEYS);
        Query { tokens, keys }
    }

    /// The typed words that are keys (not ignored), as typed and folded.
    pub fn typed_key(&self, key: &Key) -> Option<&Token> {
        match key.origin {
            Origin::Typed(i) => self.tokens.get(i),
            Origin::Meaning { .. } => None,
        }
    }
}

fn is_ignorable(t: &Token, vocabulary: &Vocabulary) -> bool {
    // Small numbers ("80 tuổi", "3 tầng") say nothing about the procedure.
    t.text.bytes().all(|b| b.is_ascii_digit()) || vocabulary.is_ignorable(&t.typed, &t.text, t.telex.as_deref())
}

fn tokenize(text: &str) -> Vec<Token> {
    let text = nfc(text).to_lowercase();
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        if let Some(digits) = code_digits(chunk.trim_matches(|c: char| !c.is_alphanumeric())) {
            out.push(Token { typed: chunk.to_owned(), text: digits.clone(), telex: None, code: Some(digits), open: false, ignored: false });
            continue;
        }
        for typed in chunk.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let folded = fold(typed);
            for word in words(&folded) {
                let (text, telex) = if typed.is_ascii() { word_forms(word) } else { (spelling(word), None) };
                out.push(Token { typed: typed.to_owned(), text, telex, code: None, open: false, ignored: false });
            }
        }
    }
    out.truncate(MAX_TOKENS);
    if text.chars().last().is_some_and(char::is_alphanumeric) {
        if let Some(last) = out.last_mut() {
            last.open = true;
        }
    }
    out
}

/// The longest phrase of the vocabulary starting at token `i`, with the tokens it used; between
/// its words may stand up to `MAX_GAP` ignorable words ("bố tôi vừa mất" for "bố mất").
fn longest_phrase<'v>(tokens: &[Token], i: usize, vocabulary: &'v Vocabulary) -> Option<(Vec<usize>, &'v Phrase)> {
    let first = &tokens[i];
    let mut candidates: Vec<&Phrase> = vocabulary.phrases_from(&first.text).iter().collect();
    if let Some(telex) = &first.telex {
        candidates.extend(vocabulary.phrases_from(telex));
        candidates.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    }
    candidates.into_iter().find_map(|phrase| phrase_at(tokens, i, phrase, vocabulary).map(|used| (used, phrase)))
}

fn phrase_at(tokens: &[Token], i: usize, phrase: &Phrase, vocabulary: &Vocabulary) -> Option<Vec<usize>> {
    let mut used = vec![i];
    let mut at = i;
    for word in &phrase.words[1..] {
        let mut found = None;
        for (gap, j) in (at + 1..tokens.len()).enumerate() {
            if gap > MAX_GAP {
                break;
            }
            let t = &tokens[j];
            if t.code.is_none() && (t.text == *word || t.telex.as_deref() == Some(word)) {
                found = Some(j);
                break;
            }
            if t.code.is_some() || !is_ignorable(t, vocabulary) {
                break;
            }
        }
        at = found?;
        used.push(at);
    }
    Some(used)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::parse(
            "[ignore]\nfiller = [\"làm\", \"cho\", \"cần\", \"gì\", \"thủ tục\"]\nkinship = [\"bố\", \"tôi\"]\ntime = [\"vừa\"]\n\n\
             [[term]]\nsays = [\"giấy chứng tử\", \"bố mất\"]\nmeans = \"khai tử\"\n\n\
             [[term]]\nsays = [\"sổ đỏ\"]\nmeans = \"giấy chứng nhận quyền sử dụng đất\"\n",
            "v.toml",
        )
        .unwrap()
    }

    struct Names;

    impl NamePairs for Names {
        fn is_name_pair(&self, first: &str, second: &str) -> bool {
            matches!((first, second), ("ban", "sao") | ("xa", "hoi"))
        }
    }

    fn understand(text: &str) -> Query {
        Query::understand(text, &vocabulary(), &Names)
    }

    fn keys(q: &Query) -> Vec<&str> {
        q.keys.iter().map(|k| k.text.as_str()).collect()
    }

    #[test]
    fn filler_and_family_words_are_not_keys() {
        let q = understand("lam giay chung tu cho bo");
        assert_eq!(keys(&q), ["khai", "tu"]);
        assert!(q.tokens.iter().all(|t| t.ignored), "{q:?}");
        assert_eq!(q.keys[0].share(), 1.5, "three words typed for two");
        let q = understand("bo toi vua mat");
        assert_eq!(q.keys[0].share(), 0.5, "bố says nothing: one word typed for two");
        let q = understand("giay chung tu bo mat");
        assert_eq!(keys(&q), ["khai", "tu"], "one meaning, counted once");
        assert_eq!(q.keys[0].share(), 1.5);
    }

    #[test]
    fn a_phrase_may_have_ignorable_words_inside() {
        let q = understand("bo toi vua mat can lam thu tuc gi");
        assert_eq!(keys(&q), ["khai", "tu"]);
        let q = understand("bos tooi maats");
        assert_eq!(keys(&q), ["khai", "tu"], "Telex leftovers");
        let q = understand("bo ban mat");
        assert_eq!(keys(&q), ["ban", "mat"], "ban is not a gap word");
    }

    #[test]
    fn diacritics_decide_between_family_and_other_words() {
        assert_eq!(keys(&understand("bộ hồ sơ")), ["bo", "ho", "so"]);
        assert_eq!(keys(&understand("bố ")), Vec::<&str>::new());
    }

    #[test]
    fn the_last_word_is_open_and_ignored_words_being_typed_complete() {
        let q = understand("dang ky khai s");
        assert!(q.keys.last().unwrap().prefix);
        assert_eq!(q.keys[1].text, "ki", "ký and kí are one spelling");
        let q = understand("cho");
        assert_eq!(q.keys.len(), 1);
        assert!(q.keys[0].completions_only);
        assert!(understand("cho ").keys.is_empty());
        assert!(!understand("khai sinh,").keys[1].prefix, "a comma ends the word");
    }

    #[test]
    fn ignorable_words_in_a_name_phrase_count() {
        let v = Vocabulary::parse("[ignore]\nfiller = [\"bạn\", \"xã\", \"hỏi\"]\n", "v.toml").unwrap();
        let keys_of = |text: &str| Query::understand(text, &v, &Names).keys.into_iter().map(|k| k.text).collect::<Vec<_>>();
        assert_eq!(keys_of("ban sao "), ["ban", "sao"]);
        assert_eq!(keys_of("tro cap xa hoi "), ["tro", "cap", "xa", "hoi"]);
        assert_eq!(keys_of("bạn sao "), ["sao"], "typed with diacritics, bạn is the pronoun");
        assert_eq!(keys_of("hoi ban "), Vec::<String>::new());
    }

    #[test]
    fn a_word_typed_twice_is_one_key() {
        assert_eq!(keys(&understand("khai sinh khai sinh ")), ["khai", "sinh"]);
        assert_eq!(keys(&understand("khai khai")), ["khai", "khai"], "the last one may still be growing");
    }

    #[test]
    fn codes_and_small_numbers() {
        let q = understand("1.001193 ");
        assert_eq!(q.keys[0].code.as_deref(), Some("1001193"));
        assert!(understand("80 tuoi ").keys.iter().all(|k| k.text != "80"));
    }
}
