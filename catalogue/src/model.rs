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
