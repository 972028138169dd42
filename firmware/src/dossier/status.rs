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
            Accepted | InProgress => &[InProgress, SupplementRequested, PaymentRequested, WithdrawnByCitizen, Stopped, Processed],
            // Back to work once the papers come; a dossier never accepted may still be refused.
            SupplementRequested => &[Accepted, InProgress, NotAccepted, WithdrawnByCitizen, Stopped],
            PaymentRequested => &[InProgress, WithdrawnByCitizen, Stopped, Processed],
            Processed => &[ResultReturned],
            NotAccepted | WithdrawnByCitizen | Stopped | ResultReturned => &[],
        }
        .iter()
        .filter(move |s| **s != self)
        .collect::<Vec<_>>()
        .leak()
        .iter()
        .copied()
        .collect::<Vec<_>>()
        .leak()
    }
}
