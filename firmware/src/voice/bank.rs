//! The clip bank: one short WAV per word or phrase, rendered once by
//! `firmware/assets/voice/render.sh` (espeak-ng, Vietnamese voice) from `clips.tsv` and embedded
//! in the binary, so announcements work on a LAN with no internet and no speech engine
//! installed. What the bank can say is all an announcement can say: [`clips_for`] finds the
//! fewest clips that say a run of words (a phrase clip such as "đến quầy số" before its single
//! words), or names the word no clip says.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One recorded word or phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clip {
    /// File name without `.wav`; also the URL segment `/voice/{slug}.wav`.
    pub slug: &'static str,
    /// What it says (empty for the chime and the pause).
    pub text: &'static str,
    /// 22 050 Hz, mono, 16-bit PCM WAV.
    pub wav: &'static [u8],
}

/// The sample rate of every clip.
pub const SAMPLE_RATE: u32 = 22_050;

macro_rules! clip {
    ($slug:literal, $text:literal) => {
        Clip { slug: $slug, text: $text, wav: include_bytes!(concat!("../../assets/voice/", $slug, ".wav")) }
    };
}

macro_rules! bank {
    ($($slug:literal => $text:literal,)*) => {
        /// Every clip, in the order of `clips.tsv` (chime and pause last).
        pub const ALL: &[Clip] = &[$(clip!($slug, $text),)* CHIME, PAUSE];
    };
}

/// Three rising bell tones: the hall's attention before a call.
pub const CHIME: Clip = clip!("chime", "");
/// 250 ms of silence: a comma.
pub const PAUSE: Clip = clip!("pause", "");

bank! {
    "invite" => "Xin mời số thứ tự",
    "to-counter" => "đến quầy số",
    "digit-0" => "không",
    "digit-1" => "một",
    "digit-2" => "hai",
    "digit-3" => "ba",
    "digit-4" => "bốn",
    "digit-5" => "năm",
    "digit-6" => "sáu",
    "digit-7" => "bảy",
    "digit-8" => "tám",
    "digit-9" => "chín",
    "unit-1-mot" => "mốt",
    "unit-4-tu" => "tư",
    "unit-5-lam" => "lăm",
    "ten" => "mười",
    "tens" => "mươi",
    "hundred" => "trăm",
    "odd" => "lẻ",
    "thousand" => "nghìn",
    "letter-a" => "a",
    "letter-b" => "bê",
    "letter-c" => "xê",
    "letter-d" => "đê",
    "letter-e" => "e",
    "letter-f" => "ép",
    "letter-g" => "giê",
    "letter-h" => "hát",
    "letter-i" => "i",
    "letter-j" => "gi",
    "letter-k" => "ca",
    "letter-l" => "e-lờ",
    "letter-m" => "em-mờ",
    "letter-n" => "en-nờ",
    "letter-o" => "o",
    "letter-p" => "pê",
    "letter-q" => "quy",
    "letter-r" => "e-rờ",
    "letter-s" => "ét-xì",
    "letter-t" => "tê",
    "letter-u" => "u",
    "letter-v" => "vê",
    "letter-w" => "vê kép",
    "letter-x" => "ích-xì",
    "letter-y" => "i dài",
    "letter-z" => "dét",
    "linh" => "linh",
    "ticket-is" => "Số của quý khách là",
    "please-wait" => "Mời quý khách chờ gọi số tại khu vực chờ",
    "w-xin" => "xin",
    "w-moi" => "mời",
    "w-xin-moi" => "xin mời",
    "w-cong-dan" => "công dân",
    "w-quy-khach" => "quý khách",
    "w-ong-ba" => "ông bà",
    "w-anh-chi" => "anh chị",
    "w-nguoi" => "người",
    "w-co" => "có",
    "w-so" => "số",
    "w-thu-tu" => "thứ tự",
    "w-so-thu-tu" => "số thứ tự",
    "w-den" => "đến",
    "w-toi" => "tới",
    "w-ve" => "về",
    "w-quay" => "quầy",
    "w-quay-so" => "quầy số",
    "w-cua" => "của",
    "w-la" => "là",
    "w-cho" => "chờ",
    "w-goi" => "gọi",
    "w-goi-so" => "gọi số",
    "w-tai" => "tại",
    "w-khu-vuc" => "khu vực",
    "w-khu-vuc-cho" => "khu vực chờ",
    "w-vui-long" => "vui lòng",
    "w-cam-on" => "cảm ơn",
    "w-xin-cam-on" => "xin cảm ơn",
    "w-nhan" => "nhận",
    "w-nop" => "nộp",
    "w-tra" => "trả",
    "w-phieu" => "phiếu",
    "w-ho-so" => "hồ sơ",
    "w-ket-qua" => "kết quả",
    "w-va" => "và",
    "w-duoc" => "được",
    "w-phuc-vu" => "phục vụ",
}

/// The clip with this file name.
pub fn by_slug(slug: &str) -> Option<Clip> {
    ALL.iter().copied().find(|c| c.slug == slug)
}

/// The words of a text as the bank matches them: lower case, split at spaces; a hyphen stays
/// inside its word ("e-lờ"). Punctuation is not a word (callers turn it into pauses first).
pub fn words_of(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_lowercase).collect()
}

/// Spoken clips by their first word, each with all its words.
type Index = HashMap<String, Vec<(Vec<String>, Clip)>>;

/// The index of every spoken clip, built once.
fn by_first_word() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = Index::new();
        for c in ALL.iter().filter(|c| !c.text.is_empty()) {
            let words = words_of(c.text);
            index.entry(words[0].clone()).or_default().push((words, *c));
        }
        index
    })
}

/// A word that no clip says where it stands in the run of words asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsaid {
    pub word: String,
    /// The phrases that begin with it ("công" is only recorded in "công dân").
    pub only_in: Vec<&'static str>,
}

impl std::fmt::Display for Unsaid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no voice clip says {:?}", self.word)?;
        if !self.only_in.is_empty() {
            let phrases: Vec<String> = self.only_in.iter().map(|p| format!("{p:?}")).collect();
            write!(f, " (it is recorded only in {})", phrases.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for Unsaid {}

/// The fewest clips that say `words` (lower case, as [`words_of`] gives them) in order, or the
/// first word at which no clip can go on.
pub fn clips_for(words: &[String]) -> Result<Vec<Clip>, Unsaid> {
    let n = words.len();
    // best[i]: the fewest clips that say words[i..], and the clip that starts that way.
    let mut best: Vec<Option<(usize, Clip, usize)>> = vec![None; n + 1];
    best[n] = Some((0, PAUSE, 0));
    for i in (0..n).rev() {
        for (clip_words, clip) in by_first_word().get(&words[i]).into_iter().flatten() {
            let end = i + clip_words.len();
            if end > n || words[i..end] != clip_words[..] {
                continue;
            }
            if let Some((count, _, _)) = best[end] {
                if best[i].is_none_or(|(c, _, _)| count + 1 < c) {
                    best[i] = Some((count + 1, *clip, end));
                }
            }
        }
    }
    if best[0].is_none() {
        // Name the word at the furthest place the words can be said up to.
        let mut reach = vec![false; n + 1];
        reach[0] = true;
        for i in 0..n {
            if !reach[i] {
                continue;
            }
            for (clip_words, _) in by_first_word().get(&words[i]).into_iter().flatten() {
                let end = i + clip_words.len();
                if end <= n && words[i..end] == clip_words[..] {
                    reach[end] = true;
                }
            }
        }
        let stuck = (0..n).rev().find(|&i| reach[i]).unwrap_or(0);
        let only_in = by_first_word().get(&words[stuck]).into_iter().flatten().map(|(_, c)| c.text).collect();
        return Err(Unsaid { word: words[stuck].clone(), only_in });
    }
    let mut clips = Vec::new();
    let mut i = 0;
    while i < n {
        let (_, clip, end) = best[i].expect("a way on from every place on the best path");
        clips.push(clip);
        i = end;
    }
    Ok(clips)
}

/// The words and phrases of the bank that are not parts of numbers or letters' names: what a
/// centre may write in an announcement sentence besides `{number}` and `{counter}`.
pub fn sentence_words() -> impl Iterator<Item = &'static str> {
    let reading = |slug: &str| {
        ["digit-", "unit-", "letter-"].iter().any(|p| slug.starts_with(p))
            || matches!(slug, "ten" | "tens" | "hundred" | "thousand" | "odd" | "linh")
    };
    ALL.iter().filter(move |c| !c.text.is_empty() && !reading(c.slug)).map(|c| c.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        words_of(text)
    }

    fn slugs(clips: &[Clip]) -> Vec<&'static str> {
        clips.iter().map(|c| c.slug).collect()
    }

    /// `render.sh` renders what `clips.tsv` lists; the embedded table must say the same.
    #[test]
    fn the_table_matches_the_list_render_sh_speaks() {
        let tsv = include_str!("../../assets/voice/clips.tsv");
        let listed: Vec<(&str, &str)> = tsv.lines().filter_map(|l| l.split_once('\t')).collect();
        let spoken: Vec<(&str, &str)> = ALL.iter().filter(|c| !c.text.is_empty()).map(|c| (c.slug, c.text)).collect();
        assert_eq!(listed, spoken);
        let mut distinct = listed.iter().map(|(s, _)| *s).collect::<Vec<_>>();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), listed.len(), "a slug is listed twice");
    }

    #[test]
    fn every_clip_is_short_mono_16_bit_pcm_at_22050_hz() {
        for c in ALL {
            let w = c.wav;
            assert_eq!(&w[0..4], b"RIFF", "{}", c.slug);
            assert_eq!(&w[8..12], b"WAVE", "{}", c.slug);
            let u16_at = |i: usize| u16::from_le_bytes([w[i], w[i + 1]]);
            let u32_at = |i: usize| u32::from_le_bytes([w[i], w[i + 1], w[i + 2], w[i + 3]]);
            assert_eq!(u16_at(20), 1, "{}: PCM", c.slug);
            assert_eq!(u16_at(22), 1, "{}: mono", c.slug);
            assert_eq!(u32_at(24), SAMPLE_RATE, "{}: rate", c.slug);
            assert_eq!(u16_at(34), 16, "{}: bits", c.slug);
            let seconds = (w.len() - 44) as f64 / 44_100.0;
            // A word is short; the kiosk's phrases take a few seconds.
            let longest = if c.text.split_whitespace().count() > 4 { 4.0 } else { 2.0 };
            assert!((0.1..longest).contains(&seconds), "{}: {seconds} s", c.slug);
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(by_slug("unit-4-tu").map(|c| c.text), Some("tư"));
        assert_eq!(by_slug("../kiosk"), None);
        assert_eq!(by_slug("chime"), Some(CHIME));
    }

    #[test]
    fn a_phrase_clip_before_its_words() {
        let said = clips_for(&words("Xin mời số thứ tự a")).unwrap();
        assert_eq!(slugs(&said), ["invite", "letter-a"]);
        let said = clips_for(&words("đến quầy số hai mươi tư")).unwrap();
        assert_eq!(slugs(&said), ["to-counter", "digit-2", "tens", "unit-4-tu"]);
        let said = clips_for(&words("mời công dân có số thứ tự")).unwrap();
        assert_eq!(slugs(&said), ["w-moi", "w-cong-dan", "w-co", "w-so-thu-tu"]);
        // "mười" and "mươi" are different words, and so are their clips.
        assert_eq!(slugs(&clips_for(&words("mười mươi")).unwrap()), ["ten", "tens"]);
        assert_eq!(clips_for(&[]).unwrap(), []);
    }

    #[test]
    fn the_word_no_clip_says_is_named() {
        let e = clips_for(&words("mời công nhân")).unwrap_err();
        assert_eq!(e, Unsaid { word: "công".into(), only_in: vec!["công dân"] });
        assert_eq!(e.to_string(), "no voice clip says \"công\" (it is recorded only in \"công dân\")");
        assert_eq!(clips_for(&words("mời công dân hỏi")), Err(Unsaid { word: "hỏi".into(), only_in: vec![] }));
        assert_eq!(clips_for(&words("quầy 3")), Err(Unsaid { word: "3".into(), only_in: vec![] }));
    }

    #[test]
    fn every_sentence_word_can_be_said_on_its_own() {
        let listed: Vec<&str> = sentence_words().collect();
        assert!(listed.contains(&"công dân") && listed.contains(&"quý khách") && listed.contains(&"Xin mời số thứ tự"), "{listed:?}");
        for w in listed {
            assert!(clips_for(&words(w)).is_ok(), "{w}");
        }
    }
}
