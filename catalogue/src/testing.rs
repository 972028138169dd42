//! A valid procedure record to start tests from (this crate's, and those of the crates that use
//! it): tests change the one field they are about.

use crate::model::*;

/// A valid record to mutate in tests.
pub fn sample(code: &str, name: &str) -> Procedure {
    Procedure {
        code: code.into(),
        name: name.into(),
        field: "Hộ tịch".into(),
        level: Level::Commune,
        agency: "UBND cấp xã".into(),
        applicants: vec![Applicant::Individual],
        service: "A".into(),
        online_level: OnlineLevel::None,
        online_url: None,
        same_day_cutoff: None,
        channels: vec![Channel {
            kind: ChannelKind::Direct,
            time_limit: TimeLimit { kind: TimeUnit::WorkingDays, amount: Some(3), text: "03 ngày làm việc".into() },
            fee: Fee { text: "Không".into(), amounts: vec![] },
            note: None,
        }],
        variants: vec![],
        steps: vec!["Nộp hồ sơ".into()],
        documents: vec![Document { name: "Tờ khai".into(), originals: 1, copies: 0, form: None, case: None, note: None }],
        conditions: vec![],
        result: "Kết quả".into(),
        legal_basis: vec!["Luật Hộ tịch 2014".into()],
        keywords: vec![],
        unconfirmed: vec![],
        notes: None,
    }
}
