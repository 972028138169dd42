//! What each refusal means to a person: the one table from the API's error codes
//! (`ServiceError::code`) to the words shown to citizens on the kiosk's screens and to officers
//! on the counter page, in Vietnamese and English. The kiosk app reads it directly; the pages
//! get it as `/assets/messages.js`. A code missing here is shown as [`FALLBACK`] (and logged).

/// The words for one error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    pub code: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

const fn m(code: &'static str, vi: &'static str, en: &'static str) -> Message {
    Message { code, vi, en }
}

/// Every error code a person may meet, with its words.
pub const MESSAGES: &[Message] = &[
    // Citizens at the kiosk.
    m("service_closed", "Lĩnh vực này hiện không lấy số. Xin xem giờ lấy số.", "This service is not taking numbers now."),
    m("daily_limit_reached", "Hôm nay đã hết số cho lĩnh vực này.", "No more numbers today for this service."),
    m(
        "unknown_dossier",
        "Không tìm thấy hồ sơ có mã này. Xin kiểm tra mã trên giấy tiếp nhận.",
        "No dossier has this code. Please check the code on your receipt.",
    ),
    m(
        "malformed_code",
        "Mã hồ sơ chưa đúng. Xin nhập đủ mã trên giấy tiếp nhận.",
        "This is not a dossier code. Please type the whole code.",
    ),
    m("unknown_ticket", "Không tìm thấy số thứ tự này trong hôm nay.", "No ticket with this number today."),
    m("already_rated", "Số này đã được đánh giá. Xin cảm ơn quý khách!", "This ticket has already been rated. Thank you!"),
    m(
        "not_finished",
        "Giao dịch của số này chưa xong. Xin đánh giá sau khi cán bộ hoàn tất.",
        "This ticket is not finished yet. Please rate once the officer has finished.",
    ),
    m("rating_window_closed", "Đã quá thời gian đánh giá cho số này.", "The time to rate this ticket has passed."),
    // Officers at the counter.
    m("bad_pin", "Sai mã PIN. Vui lòng nhập lại.", "Wrong PIN. Please try again."),
    m(
        "too_many_attempts",
        "Nhập sai quá nhiều lần. Vui lòng chờ một lát rồi thử lại.",
        "Too many wrong PINs. Please wait a moment and try again.",
    ),
    m("unauthenticated", "Phiên làm việc đã hết. Vui lòng đăng nhập lại.", "Your session has ended. Please log in again."),
    m("no_current_ticket", "Quầy chưa có số nào đang gọi.", "This counter has no current number."),
    m(
        "ticket_in_progress",
        "Hãy hoàn thành, chuyển hoặc đánh dấu vắng mặt số hiện tại trước.",
        "Finish, transfer or mark the current number absent first.",
    ),
    m("invalid_state", "Không thể làm thao tác này với số hiện tại.", "This cannot be done with the current number."),
    m("same_service", "Số này đã thuộc dịch vụ đó.", "The number is already in that service."),
];

/// What to say when nothing better is known (a network failure, an unexpected code).
pub const FALLBACK: Message = m("busy", "Hệ thống đang bận. Xin quý khách thử lại.", "The system is busy. Please try again.");

/// The words for `code`, if the table has them.
pub fn message(code: &str) -> Option<&'static Message> {
    MESSAGES.iter().find(|m| m.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_once_with_both_languages() {
        for (i, a) in MESSAGES.iter().enumerate() {
            assert!(!a.vi.is_empty() && !a.en.is_empty(), "{}", a.code);
            assert!(MESSAGES[i + 1..].iter().all(|b| b.code != a.code), "{} twice", a.code);
        }
        assert_eq!(message("bad_pin").map(|m| m.vi), Some("Sai mã PIN. Vui lòng nhập lại."));
        assert_eq!(message("no_such_code"), None);
    }
}
