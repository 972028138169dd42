//! The procedure record (thủ tục hành chính) as the national database publishes it: one struct
//! per concept, with the exact spelling used in the catalogue files (`config/catalog/*.toml`).
//! Values stay verbatim where citizens read them (fee text, time-limit text) and are also
//! structured where software computes with them (time-limit kind and amount, fee amounts).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One administrative procedure. Field names are those of the catalogue files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// Mã thủ tục, e.g. `1.001193`.
    pub code: String,
    /// Tên thủ tục.
    pub name: String,
    /// Lĩnh vực, as published (e.g. "Hộ tịch"); its code is [`field_code`](crate::field_code).
    pub field: String,
    /// Cấp thực hiện.
    pub level: Level,
    /// Cơ quan thực hiện.
    pub agency: String,
    /// Đối tượng thực hiện.
    pub applicants: Vec<Applicant>,
    /// Letter of the queue service whose counters take this procedure (`A`…`Z`).
    pub service: String,
    /// Mức độ dịch vụ công trực tuyến.
    pub online_level: OnlineLevel,
    /// Page of the online service (printed as a QR on the checklist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    /// Same-day procedures received after this time are returned the next working day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_day_cutoff: Option<CutoffTime>,
    /// Cách thức thực hiện: one entry per channel, each with its time limit and fee.
    pub channels: Vec<Channel>,
    /// Cases whose time limit differs from the channel's (e.g. "Trường hợp cần xác minh"):
    /// the officer picks one at reception and the appointment date follows its limit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
    /// Trình tự thực hiện.
    pub steps: Vec<String>,
    /// Thành phần hồ sơ.
    pub documents: Vec<Document>,
    /// Yêu cầu, điều kiện.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Kết quả thực hiện.
    pub result: String,
    /// Căn cứ pháp lý.
    pub legal_basis: Vec<String>,
    /// Words citizens use for this procedure that are not in its name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Parts of this record that were not confirmed against an official source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unconfirmed: Vec<Unconfirmed>,
    /// Free notes for editors (sources, what to verify).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Procedure {
    /// The channel of the given kind, if the procedure can be filed that way.
    pub fn channel(&self, kind: ChannelKind) -> Option<&Channel> {
        self.channels.iter().find(|c| c.kind == kind)
    }

    /// The channel a walk-in citizen uses: direct if offered, else the first one.
    pub fn counter_channel(&self) -> Option<&Channel> {
        self.channel(ChannelKind::Direct).or_else(|| self.channels.first())
    }

    /// The time limit of a dossier filed through `channel`, in the case `variant` (a variant
    /// code such as `"xac_minh"`), or the channel's own limit when `variant` is `None`. This is
    /// what an appointment date (ngày hẹn trả) is computed from.
    pub fn time_limit(&self, channel: ChannelKind, variant: Option<&str>) -> Result<&TimeLimit, TimeLimitError> {
        let default = &self.channel(channel).ok_or(TimeLimitError::NoChannel(channel))?.time_limit;
        let Some(code) = variant else {
            return Ok(default);
        };
        let v = self.variant(code).ok_or_else(|| TimeLimitError::UnknownVariant(code.to_owned()))?;
        Ok(v.limit_for(channel).unwrap_or(default))
    }

    /// The variant with this code.
    pub fn variant(&self, code: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.code == code)
    }

    /// True while the code is a local placeholder (`unconfirmed` lists `code`, e.g. the sample's
    /// `CXN.*`): no screen or paper may present it as the national "Mã thủ tục".
    pub fn code_is_placeholder(&self) -> bool {
        self.unconfirmed.contains(&Unconfirmed::Code)
    }

    /// The code to show as "Mã thủ tục", or `None` while it is a placeholder (show "đang cập
    /// nhật" or nothing). [`code`](Self::code) stays the key for look-ups and URLs.
    pub fn public_code(&self) -> Option<&str> {
        (!self.code_is_placeholder()).then_some(self.code.as_str())
    }
}

/// Why [`Procedure::time_limit`] has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeLimitError {
    #[error("the procedure cannot be filed through channel {0:?}")]
    NoChannel(ChannelKind),
    #[error("the procedure has no time-limit variant \"{0}\"")]
    UnknownVariant(String),
}

/// A case with its own time limit ("Trường hợp cần xác minh": up to 05 working days instead of
/// the same day).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Stable identifier within the procedure: lower-case letters, digits and `_` ("xac_minh").
    pub code: String,
    /// What the officer and the citizen read, in Vietnamese ("Trường hợp cần xác minh").
    pub label: String,
    /// The limit in this case, for every channel not listed in `channels`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<TimeLimit>,
    /// Per-channel limits in this case, where the channels differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<VariantChannel>,
}

impl Variant {
    /// The limit of this case for `channel`, if the variant gives one.
    pub fn limit_for(&self, channel: ChannelKind) -> Option<&TimeLimit> {
        self.channels.iter().find(|c| c.kind == channel).map(|c| &c.time_limit).or(self.time_limit.as_ref())
    }
}

/// A variant's limit for one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantChannel {
    pub kind: ChannelKind,
    pub time_limit: TimeLimit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    Commune,
}

impl Level {
    pub fn label_vi(self) -> &'static str {
        match self {
            Level::Province => "Cấp tỉnh",
            Level::Commune => "Cấp xã",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicant {
    Individual,
    Organisation,
}

impl Applicant {
    pub fn label_vi(self) -> &'static str {
        match self {
            Applicant::Individual => "Cá nhân",
            Applicant::Organisation => "Tổ chức",
        }
    }
}

/// NĐ 42/2022 Điều 11: fully online, partly online, or not online at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    ToanTrinh,
    MotPhan,
    None,
}

impl OnlineLevel {
    pub fn label_vi(self) -> &'static str {
        match self {
            OnlineLevel::ToanTrinh => "Dịch vụ công trực tuyến toàn trình",
            OnlineLevel::MotPhan => "Dịch vụ công trực tuyến một phần",
            OnlineLevel::None => "Chưa cung cấp dịch vụ công trực tuyến",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub kind: ChannelKind,
    pub time_limit: TimeLimit,
    pub fee: Fee,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Trực tiếp (at the counter).
    Direct,
    /// Trực tuyến (Cổng Dịch vụ công).
    Online,
    /// Bưu chính công ích (public post).
    Post,
}

impl ChannelKind {
    pub fn label_vi(self) -> &'static str {
        match self {
            ChannelKind::Direct => "Trực tiếp",
            ChannelKind::Online => "Trực tuyến",
            ChannelKind::Post => "Bưu chính công ích",
        }
    }
}

/// Thời hạn giải quyết: what the appointment-date computation needs plus the published text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    pub kind: TimeUnit,
    /// Number of units; absent for `same_day`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u32>,
    /// The published wording, verbatim.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    WorkingDays,
    CalendarDays,
    Hours,
    SameDay,
}

/// Phí, lệ phí: the published wording (exemptions included) and the amounts in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub text: String,
    /// Amounts named in `text`; empty when the text gives none (e.g. "theo Nghị quyết HĐND tỉnh").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amounts: Vec<FeeAmount>,
}

impl Fee {
    /// True when every amount is zero and there is at least one amount.
    pub fn is_free(&self) -> bool {
        !self.amounts.is_empty() && self.amounts.iter().all(|a| a.vnd == 0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeAmount {
    pub vnd: u64,
    /// What the amount is for, e.g. "mỗi trang" or "nộp trực tuyến".
    pub label: String,
}

/// One line of the thành phần hồ sơ, with the number of originals and copies to bring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub name: String,
    /// Bản chính.
    #[serde(default)]
    pub originals: u8,
    /// Bản sao.
    #[serde(default)]
    pub copies: u8,
    /// Form to fill in (mẫu đơn, tờ khai), e.g. "Mẫu CT01".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// The case (trường hợp) this document belongs to; absent when always required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// e.g. "xuất trình để đối chiếu" when nothing is handed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Document {
    /// "Chỉ khi: trường hợp trẻ bị bỏ rơi" for a document needed only in a case.
    pub fn case_text(&self) -> Option<String> {
        self.case.as_deref().map(|case| {
            let mut chars = case.chars();
            let first: String = chars.next().map(|c| c.to_lowercase().collect()).unwrap_or_default();
            format!("Chỉ khi: {first}{}", chars.as_str())
        })
    }

    /// "1 bản chính, 1 bản sao", or the note when nothing is handed in.
    pub fn count_text(&self) -> String {
        let mut parts = Vec::new();
        if self.originals > 0 {
            parts.push(format!("{} bản chính", self.originals));
        }
        if self.copies > 0 {
            parts.push(format!("{} bản sao", self.copies));
        }
        if parts.is_empty() {
            self.note.clone().unwrap_or_default()
        } else {
            parts.join(", ")
        }
    }
}

/// A time of day "HH:MM" (site-local), e.g. the 15:00 cut-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CutoffTime {
    pub hour: u8,
    pub minute: u8,
}

impl TryFrom<String> for CutoffTime {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let bad = || format!("same_day_cutoff \"{text}\" must be a time HH:MM such as \"15:00\"");
        let (h, m) = text.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let hour: u8 = h.parse().map_err(|_| bad())?;
        let minute: u8 = m.parse().map_err(|_| bad())?;
        if hour > 23 || minute > 59 {
            return Err(bad());
        }
        Ok(CutoffTime { hour, minute })
    }
}

impl From<CutoffTime> for String {
    fn from(t: CutoffTime) -> String {
        t.to_string()
    }
}

impl fmt::Display for CutoffTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// A part of a record that an editor could not confirm against an official source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unconfirmed {
    Code,
    Name,
    Field,
    Agency,
    TimeLimit,
    Fee,
    Steps,
    Documents,
    Conditions,
    Result,
    LegalBasis,
    OnlineLevel,
    SameDayCutoff,
}

/// A lĩnh vực with the number of procedures in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Folded, dash-separated name: "Hộ tịch" → `ho-tich`.
    pub code: String,
    pub name: String,
    pub count: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::sample;

    fn limit(kind: TimeUnit, amount: Option<u32>, text: &str) -> TimeLimit {
        TimeLimit { kind, amount, text: text.into() }
    }

    #[test]
    fn a_variant_limit_applies_per_channel_and_the_default_without_one() {
        let mut p = sample("2.000806", "Đăng ký kết hôn có yếu tố nước ngoài");
        p.channels[0].time_limit = limit(TimeUnit::WorkingDays, Some(5), "05 ngày làm việc");
        p.channels.push(Channel { kind: ChannelKind::Online, ..p.channels[0].clone() });
        p.variants = vec![Variant {
            code: "xac_minh".into(),
            label: "Trường hợp cần xác minh".into(),
            time_limit: Some(limit(TimeUnit::WorkingDays, Some(10), "Không quá 10 ngày làm việc")),
            channels: vec![VariantChannel { kind: ChannelKind::Online, time_limit: limit(TimeUnit::WorkingDays, Some(8), "08 ngày") }],
        }];
        let amount = |channel, variant| p.time_limit(channel, variant).map(|t| t.amount);
        assert_eq!(amount(ChannelKind::Direct, None), Ok(Some(5)));
        assert_eq!(amount(ChannelKind::Direct, Some("xac_minh")), Ok(Some(10)));
        assert_eq!(amount(ChannelKind::Online, Some("xac_minh")), Ok(Some(8)), "the channel's own entry wins");
        assert_eq!(amount(ChannelKind::Online, None), Ok(Some(5)));
        assert_eq!(amount(ChannelKind::Direct, Some("nhanh")), Err(TimeLimitError::UnknownVariant("nhanh".into())));
        assert_eq!(amount(ChannelKind::Post, None), Err(TimeLimitError::NoChannel(ChannelKind::Post)));
    }

    #[test]
    fn placeholder_codes_have_no_public_code() {
        let mut p = sample("CXN.301", "Tách hộ");
        assert_eq!(p.public_code(), Some("CXN.301"), "not flagged: shown as it is");
        p.unconfirmed = vec![Unconfirmed::Fee, Unconfirmed::Code];
        assert!(p.code_is_placeholder());
        assert_eq!(p.public_code(), None);
    }

    #[test]
    fn case_text_reads_as_a_condition() {
        let mut d = sample("1", "x").documents.remove(0);
        assert_eq!(d.case_text(), None);
        d.case = Some("Trường hợp trẻ bị bỏ rơi".into());
        assert_eq!(d.case_text().as_deref(), Some("Chỉ khi: trường hợp trẻ bị bỏ rơi"));
    }
}
