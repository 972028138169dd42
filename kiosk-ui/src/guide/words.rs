//! Written text as it should be heard. The catalogue and the screens write for the eye — "03
//! ngày làm việc", "07:00", "23/02", "A · Hộ tịch" — and a synthesiser reads "không ba", "bảy
//! không không" and "hai mươi ba trên không hai". Before the guide speaks a text, numbers lose
//! their leading zeros, a time becomes "7 giờ 15", a date "ngày 23 tháng 2" and a middle dot a
//! comma.

/// `text` made ready for the synthesiser, in Vietnamese (`english`: the English forms).
pub fn spoken(text: &str, english: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // "8.000" and "2,5" are one number: the digits after a digit's separator go on as they are.
        let continues = i >= 2 && matches!(chars[i - 1], '.' | ',') && chars[i - 2].is_ascii_digit();
        let starts_number = c.is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric()) && !continues;
        if starts_number {
            let (first, end) = digits(&chars, i);
            // 07:00 / 7:15 → "7 giờ" / "7 giờ 15"
            if end < chars.len() && chars[end] == ':' && first.len() <= 2 {
                let (minutes, after) = digits(&chars, end + 1);
                if minutes.len() == 2 && !followed_by_digit(&chars, after) {
                    let (h, m) = (number(&first), number(&minutes));
                    out.push_str(&match (english, m) {
                        (false, 0) => format!("{h} giờ"),
                        (false, m) => format!("{h} giờ {m}"),
                        (true, 0) => format!("{h} o'clock"),
                        (true, m) => format!("{h} {m:02}"),
                    });
                    i = after;
                    continue;
                }
            }
            // 23/02 or 23/02/2026 → "ngày 23 tháng 2 năm 2026"
            if end < chars.len() && chars[end] == '/' && first.len() <= 2 {
                let (month, after) = digits(&chars, end + 1);
                if (1..=2).contains(&month.len()) {
                    let (year, after_year) =
                        if after < chars.len() && chars[after] == '/' { digits(&chars, after + 1) } else { (String::new(), after) };
                    let (d, m) = (number(&first), number(&month));
                    let said_day = out.trim_end().to_lowercase().ends_with("ngày");
                    let date = match (english, said_day) {
                        (true, _) => format!("{d}/{m}"),
                        (false, true) => format!("{d} tháng {m}"),
                        (false, false) => format!("ngày {d} tháng {m}"),
                    };
                    if year.len() == 4 {
                        out.push_str(&if english { format!("{date}/{year}") } else { format!("{date} năm {year}") });
                        i = after_year;
                    } else {
                        out.push_str(&date);
                        i = after;
                    }
                    continue;
                }
            }
            // "50.000" stays (the synthesiser reads thousands); "03" → "3".
            if first.len() > 1 && first.starts_with('0') && !(end < chars.len() && chars[end] == '.') {
                out.push_str(&number(&first).to_string());
                i = end;
                continue;
            }
            out.push_str(&first);
            i = end;
            continue;
        }
        match c {
            '·' | '•' => out.push(','),
            '–' | '—' => out.push_str(", "),
            c => out.push(c),
        }
        i += 1;
    }
    // A sentence ending in a text that ends in a full stop: one stop, one pause.
    out.split_whitespace().collect::<Vec<_>>().join(" ").replace(" ,", ",").replace(",,", ",").replace("..", ".")
}

/// The run of digits starting at `at`, and where it ends.
fn digits(chars: &[char], at: usize) -> (String, usize) {
    let end = (at..chars.len()).find(|&j| !chars[j].is_ascii_digit()).unwrap_or(chars.len());
    (chars[at..end].iter().collect(), end)
}

fn followed_by_digit(chars: &[char], at: usize) -> bool {
    chars.get(at).is_some_and(char::is_ascii_digit)
}

fn number(digits: &str) -> u64 {
    digits.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::spoken;

    #[test]
    fn numbers_times_and_dates_are_said_as_people_say_them() {
        assert_eq!(spoken("Thời hạn: 03 ngày làm việc", false), "Thời hạn: 3 ngày làm việc");
        assert_eq!(spoken("Bắt đầu lúc 07:00", false), "Bắt đầu lúc 7 giờ");
        assert_eq!(spoken("Lấy số lại từ 13:15 thứ Hai, 23/02", false), "Lấy số lại từ 13 giờ 15 thứ Hai, ngày 23 tháng 2");
        assert_eq!(spoken("Hẹn trả: 09:06 ngày 02/03/2026", false), "Hẹn trả: 9 giờ 6 ngày 2 tháng 3 năm 2026");
        assert_eq!(spoken("Lệ phí: 50.000 đồng/bản", false), "Lệ phí: 50.000 đồng/bản");
        assert_eq!(spoken("ví dụ 8.000 đồng; 1.050.000 đồng; 2,05 triệu", false), "ví dụ 8.000 đồng; 1.050.000 đồng; 2,05 triệu");
        assert_eq!(spoken("trả kết quả trong ngày làm việc tiếp theo..", false), "trả kết quả trong ngày làm việc tiếp theo.");
        assert_eq!(spoken("A · Hộ tịch – Chứng thực", false), "A, Hộ tịch, Chứng thực");
        assert_eq!(spoken("Numbers from Mon 09/03, 07:30", true), "Numbers from Mon 9/3, 7 30");
        // Codes and words with digits inside stay whole.
        assert_eq!(spoken("Mẫu CT01, mã 1.001193", false), "Mẫu CT01, mã 1.001193");
    }
}
