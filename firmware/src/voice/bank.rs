//! The clip bank: one short WAV per word or phrase, rendered once by
//! `firmware/assets/voice/render.sh` (espeak-ng, Vietnamese voice) and embedded in the binary, so
//! announcements work on a LAN with no internet and no speech engine installed.

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

macro_rules! bank {
    ($($name:ident = $slug:literal, $text:literal;)*) => {
        $(pub const $name: Clip = Clip {
            slug: $slug,
            text: $text,
            wav: include_bytes!(concat!("../../assets/voice/", $slug, ".wav")),
        };)*
        /// Every clip, in the order of `clips.tsv` (chime and pause last).
        pub const ALL: &[Clip] = &[$($name),*];
    };
}

bank! {
    INVITE = "invite", "Xin mời số thứ tự";
    TO_COUNTER = "to-counter", "đến quầy số";
    DIGIT_0 = "digit-0", "không";
    DIGIT_1 = "digit-1", "một";
    DIGIT_2 = "digit-2", "hai";
    DIGIT_3 = "digit-3", "ba";
    DIGIT_4 = "digit-4", "bốn";
    DIGIT_5 = "digit-5", "năm";
    DIGIT_6 = "digit-6", "sáu";
    DIGIT_7 = "digit-7", "bảy";
    DIGIT_8 = "digit-8", "tám";
    DIGIT_9 = "digit-9", "chín";
    UNIT_1_MOT = "unit-1-mot", "mốt";
    UNIT_4_TU = "unit-4-tu", "tư";
    UNIT_5_LAM = "unit-5-lam", "lăm";
    TEN = "ten", "mười";
    TENS = "tens", "mươi";
    HUNDRED = "hundred", "trăm";
    ODD = "odd", "lẻ";
    THOUSAND = "thousand", "nghìn";
    LETTER_A = "letter-a", "a";
    LETTER_B = "letter-b", "bê";
    LETTER_C = "letter-c", "xê";
    LETTER_D = "letter-d", "đê";
    LETTER_E = "letter-e", "e";
    LETTER_F = "letter-f", "ép";
    LETTER_G = "letter-g", "giê";
    LETTER_H = "letter-h", "hát";
    LETTER_I = "letter-i", "i";
    LETTER_J = "letter-j", "gi";
    LETTER_K = "letter-k", "ca";
    LETTER_L = "letter-l", "e-lờ";
    LETTER_M = "letter-m", "em-mờ";
    LETTER_N = "letter-n", "en-nờ";
    LETTER_O = "letter-o", "o";
    LETTER_P = "letter-p", "pê";
    LETTER_Q = "letter-q", "quy";
    LETTER_R = "letter-r", "e-rờ";
    LETTER_S = "letter-s", "ét-xì";
    LETTER_T = "letter-t", "tê";
    LETTER_U = "letter-u", "u";
    LETTER_V = "letter-v", "vê";
    LETTER_W = "letter-w", "vê kép";
    LETTER_X = "letter-x", "ích-xì";
    LETTER_Y = "letter-y", "i dài";
    LETTER_Z = "letter-z", "dét";
    CHIME = "chime", "";
    PAUSE = "pause", "";
}

/// The clip with this file name.
pub fn by_slug(slug: &str) -> Option<Clip> {
    ALL.iter().copied().find(|c| c.slug == slug)
}

/// The clip that says `word` (a word produced by `voice::reading`).
pub fn by_word(word: &str) -> Option<Clip> {
    ALL.iter().copied().find(|c| !c.text.is_empty() && c.text == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `render.sh` renders what `clips.tsv` lists; the embedded table must say the same.
    #[test]
    fn the_table_matches_the_list_render_sh_speaks() {
        let tsv = include_str!("../../assets/voice/clips.tsv");
        let listed: Vec<(&str, &str)> = tsv.lines().filter_map(|l| l.split_once('\t')).collect();
        let spoken: Vec<(&str, &str)> = ALL.iter().filter(|c| !c.text.is_empty()).map(|c| (c.slug, c.text)).collect();
        assert_eq!(listed, spoken);
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
            assert_eq!(u32_at(24), 22_050, "{}: rate", c.slug);
            assert_eq!(u16_at(34), 16, "{}: bits", c.slug);
            let seconds = (w.len() - 44) as f64 / 44_100.0;
            assert!((0.1..2.0).contains(&seconds), "{}: {seconds} s", c.slug);
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(by_slug("unit-4-tu"), Some(UNIT_4_TU));
        assert_eq!(by_word("tư"), Some(UNIT_4_TU));
        assert_eq!(by_word("mươi"), Some(TENS));
        assert_eq!(by_word("mười"), Some(TEN));
        assert_eq!(by_slug("../kiosk"), None);
        assert_eq!(by_word(""), None, "the chime is not a word");
    }
}
