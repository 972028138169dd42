//! The rating scale a centre uses: the official three levels (Rất hài lòng / Hài lòng / Không
//! hài lòng) or a local 4- or 5-button scale mapped onto them, with the reasons asked for when
//! the answer is low. Configuration, because centres differ.

use serde::{Deserialize, Serialize};

/// The official levels reported to the province.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Official {
    RatHaiLong,
    HaiLong,
    KhongHaiLong,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
    pub official: Official,
    #[serde(default)]
    pub asks_reason: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
}

/// `[ratings]` in the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingScale {
    /// Minutes after a ticket is finished (or a dossier's result returned) during which it may be rated.
    #[serde(default = "default_window")]
    pub window_minutes: u32,
    /// This kiosk's identity towards the central service.
    #[serde(default = "default_kiosk_id")]
    pub kiosk_id: String,
    /// Best first.
    #[serde(default = "default_levels", rename = "level")]
    pub levels: Vec<Level>,
    #[serde(default = "default_reasons", rename = "reason")]
    pub reasons: Vec<Reason>,
}

fn default_window() -> u32 {
    15
}

fn default_kiosk_id() -> String {
    "kiosk-1".into()
}

fn level(code: &str, vi: &str, en: &str, official: Official, asks_reason: bool) -> Level {
    Level { code: code.into(), label_vi: vi.into(), label_en: en.into(), official, asks_reason }
}

/// The official three levels.
fn default_levels() -> Vec<Level> {
    vec![
        level("rat_hai_long", "Rất hài lòng", "Very satisfied", Official::RatHaiLong, false),
        level("hai_long", "Hài lòng", "Satisfied", Official::HaiLong, false),
        level("khong_hai_long", "Không hài lòng", "Not satisfied", Official::KhongHaiLong, true),
    ]
}

fn default_reasons() -> Vec<Reason> {
    let r = |c: &str, vi: &str, en: &str| Reason { code: c.into(), label_vi: vi.into(), label_en: en.into() };
    vec![
        r("wait_long", "Chờ đợi lâu", "Waited too long"),
        r("attitude", "Thái độ phục vụ chưa tốt", "Unfriendly service"),
        r("unclear_guidance", "Hướng dẫn chưa rõ ràng", "Unclear guidance"),
        r("many_trips", "Phải đi lại nhiều lần", "Had to come back several times"),
        r("other", "Lý do khác", "Other"),
    ]
}

impl Default for RatingScale {
    fn default() -> Self {
        RatingScale { window_minutes: default_window(), kiosk_id: default_kiosk_id(), levels: default_levels(), reasons: default_reasons() }
    }
}

impl RatingScale {
    pub fn level(&self, code: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.code == code)
    }

    pub fn reason(&self, code: &str) -> Option<&Reason> {
        self.reasons.iter().find(|r| r.code == code)
    }

    /// Problems with the scale, each a sentence saying what to fix.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.levels.len() < 2 {
            out.push("[ratings]: define at least two [[ratings.level]]".to_string());
        }
        for (i, l) in self.levels.iter().enumerate() {
            if self.levels[..i].iter().any(|m| m.code == l.code) {
                out.push(format!("[ratings]: level code {:?} is defined twice", l.code));
            }
        }
        for (i, r) in self.reasons.iter().enumerate() {
            if self.reasons[..i].iter().any(|m| m.code == r.code) {
                out.push(format!("[ratings]: reason code {:?} is defined twice", r.code));
            }
        }
        if self.window_minutes == 0 {
            out.push("[ratings]: window_minutes must be at least 1".to_string());
        }
        out
    }
}
