//! The dossier status codes 1–10 used in the national synchronisation, with their official
//! Vietnamese texts, and which changes staff may make. The public lookup shows the text; the
//! sync carries the number.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A dossier's processing status (trạng thái hồ sơ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum DossierStatus {
    /// 1 Mới đăng ký: filed (online), not yet accepted.
    Registered = 1,
    /// 2 Được tiếp nhận.
    Accepted = 2,
    /// 3 Không được tiếp nhận.
    NotAccepted = 3,
    /// 4 Đang xử lý.
    InProgress = 4,
    /// 5 Yêu cầu bổ sung giấy tờ.
    SupplementRequested = 5,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính.
    PaymentRequested = 6,
    /// 7 Công dân yêu cầu rút hồ sơ.
    WithdrawnByCitizen = 7,
    /// 8 Dừng xử lý.
    Stopped = 8,
    /// 9 Đã xử lý xong.
    Processed = 9,
    /// 10 Đã trả kết quả.
    ResultReturned = 10,
}

/// A status change that the rules do not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("không thể chuyển hồ sơ từ \"{}\" sang \"{}\" / a dossier cannot go from {} to {}", from.text(), to.text(), *from as u8, *to as u8)]
pub struct TransitionRefused {
    pub from: DossierStatus,
    pub to: DossierStatus,
}

/// A number outside 1..=10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown dossier status {0}; expected 1 to 10")]
pub struct UnknownStatus(pub u8);

impl DossierStatus {
    pub const ALL: [DossierStatus; 10] = [
        DossierStatus::Registered,
        DossierStatus::Accepted,
        DossierStatus::NotAccepted,
        DossierStatus::InProgress,
        DossierStatus::SupplementRequested,
        DossierStatus::PaymentRequested,
        DossierStatus::WithdrawnByCitizen,
        DossierStatus::Stopped,
        DossierStatus::Processed,
        DossierStatus::ResultReturned,
    ];

    /// The national sync code, 1..=10.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The official Vietnamese text.
    pub fn text(self) -> &'static str {
        match self {
            DossierStatus::Registered => "Mới đăng ký",
            DossierStatus::Accepted => "Được tiếp nhận",
            DossierStatus::NotAccepted => "Không được tiếp nhận",
            DossierStatus::InProgress => "Đang xử lý",
            DossierStatus::SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            DossierStatus::PaymentRequested => "Yêu cầu thực hiện nghĩa vụ tài chính",
            DossierStatus::WithdrawnByCitizen => "Công dân yêu cầu rút hồ sơ",
            DossierStatus::Stopped => "Dừng xử lý",
            DossierStatus::Processed => "Đã xử lý xong",
            DossierStatus::ResultReturned => "Đã trả kết quả",
        }
    }

    /// The same status in English, for the kiosk's and the pages' English screens.
    pub fn text_en(self) -> &'static str {
        match self {
            DossierStatus::Registered => "Filed, not yet accepted",
            DossierStatus::Accepted => "Accepted",
            DossierStatus::NotAccepted => "Not accepted",
            DossierStatus::InProgress => "Being processed",
            DossierStatus::SupplementRequested => "More documents needed",
            DossierStatus::PaymentRequested => "Fees or charges to pay",
            DossierStatus::WithdrawnByCitizen => "Withdrawn at the applicant's request",
            DossierStatus::Stopped => "Processing stopped",
            DossierStatus::Processed => "Result ready",
            DossierStatus::ResultReturned => "Result collected",
        }
    }

    /// No change is possible after this status.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// The statuses staff may move a dossier to from this one. Imports from the province's
    /// system are authoritative and need not follow these.
    pub fn next(self) -> &'static [DossierStatus] {
        use DossierStatus::*;
        match self {
            Registered => &[Accepted, NotAccepted, SupplementRequested, WithdrawnByCitizen],
            Accepted => &[InProgress, SupplementRequested, PaymentRequested, WithdrawnByCitizen, Stopped, Processed],
            InProgress => &[SupplementRequested, PaymentRequested, WithdrawnByCitizen, Stopped, Processed],
            // Back to work once the papers come; a dossier never accepted may still be refused.
            SupplementRequested => &[Accepted, InProgress, NotAccepted, WithdrawnByCitizen, Stopped],
            PaymentRequested => &[InProgress, WithdrawnByCitizen, Stopped, Processed],
            Processed => &[ResultReturned],
            NotAccepted | WithdrawnByCitizen | Stopped | ResultReturned => &[],
        }
    }

    /// `to` if staff may move a dossier there from this status.
    pub fn transition(self, to: DossierStatus) -> Result<DossierStatus, TransitionRefused> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(TransitionRefused { from: self, to })
        }
    }
}

impl fmt::Display for DossierStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl From<DossierStatus> for u8 {
    fn from(status: DossierStatus) -> u8 {
        status.code()
    }
}

impl TryFrom<u8> for DossierStatus {
    type Error = UnknownStatus;
    fn try_from(code: u8) -> Result<DossierStatus, UnknownStatus> {
        DossierStatus::ALL.get(usize::from(code).wrapping_sub(1)).copied().ok_or(UnknownStatus(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus::*;

    #[test]
    fn codes_and_texts_round_trip() {
        for (i, status) in DossierStatus::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(status.code()), i + 1);
            assert_eq!(DossierStatus::try_from(status.code()), Ok(status));
        }
        assert_eq!(DossierStatus::try_from(0), Err(UnknownStatus(0)));
        assert_eq!(DossierStatus::try_from(11), Err(UnknownStatus(11)));
        assert_eq!(Registered.text(), "Mới đăng ký");
        assert_eq!(PaymentRequested.to_string(), "Yêu cầu thực hiện nghĩa vụ tài chính");
        assert_eq!(ResultReturned.text(), "Đã trả kết quả");
        assert_eq!(InProgress.text_en(), "Being processed");
        let english: std::collections::HashSet<_> = DossierStatus::ALL.iter().map(|s| s.text_en()).collect();
        assert_eq!(english.len(), 10, "one English text per status");
        assert_eq!(serde_json::to_string(&InProgress).unwrap(), "4");
        assert_eq!(serde_json::from_str::<DossierStatus>("9").unwrap(), Processed);
        assert!(serde_json::from_str::<DossierStatus>("12").is_err());
    }

    #[test]
    fn transitions() {
        assert_eq!(Registered.transition(Accepted), Ok(Accepted));
        assert_eq!(Accepted.transition(Processed), Ok(Processed));
        assert_eq!(Processed.transition(ResultReturned), Ok(ResultReturned));
        assert_eq!(SupplementRequested.transition(InProgress), Ok(InProgress));
        let refused = ResultReturned.transition(InProgress).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "không thể chuyển hồ sơ từ \"Đã trả kết quả\" sang \"Đang xử lý\" / a dossier cannot go from 10 to 4"
        );
        assert!(Registered.transition(Processed).is_err(), "must be accepted first");
        assert!(Accepted.transition(Accepted).is_err());
        let finals: Vec<_> = DossierStatus::ALL.into_iter().filter(|s| s.is_final()).collect();
        assert_eq!(finals, [NotAccepted, WithdrawnByCitizen, Stopped, ResultReturned]);
        // Every non-final status can reach a final one.
        for s in DossierStatus::ALL {
            assert!(s.is_final() || s.next().iter().any(|n| n.is_final() || n.next().iter().any(|m| m.is_final())));
        }
    }
}
