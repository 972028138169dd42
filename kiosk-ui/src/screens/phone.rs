//! `phone.slint`: after taking a number, a citizen may leave a mobile number on the keypad; the
//! centre texts it when the number comes near and when it is called (`[notify]`, issue 19).
//! The number is shown grouped as people read it ("0912 345 678") and sent to the service once;
//! the screen keeps only the masked number the service answers with, and forgets both when the
//! next citizen's turn at the kiosk begins.

use slint::ComponentHandle;

use crate::glue::{say, Glue};
use crate::Api;

/// The most digits a number has: "84" and nine digits.
const MOST_DIGITS: usize = 11;

/// The digits of what the keypad shows.
pub(crate) fn digits(shown: &str) -> String {
    shown.chars().filter(char::is_ascii_digit).collect()
}

/// `digits` grouped as a Vietnamese mobile number is read: "0912 345 678", "84 912 345 678".
pub(crate) fn grouped(digits: &str) -> String {
    let (head, rest) = match digits.strip_prefix("84") {
        Some(rest) => ("84", rest),
        None => ("", digits),
    };
    let mut out = String::from(head);
    let sizes = if head.is_empty() { [4, 3, 3] } else { [3, 3, 3] };
    let mut left = rest;
    for size in sizes.iter().copied().chain(std::iter::repeat(3)) {
        if left.is_empty() {
            break;
        }
        let (group, after) = left.split_at(size.min(left.len()));
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(group);
        left = after;
    }
    out
}

pub(crate) fn wire(api: &Api, glue: &Glue) {
    let g = glue.clone();
    api.on_phone_key(move |key| {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        let mut typed = digits(&api.get_phone_text());
        match key.as_str() {
            "back" => {
                typed.pop();
            }
            "clear" => typed.clear(),
            d if d.len() == 1 && d.chars().all(|c| c.is_ascii_digit()) && typed.len() < MOST_DIGITS => typed.push_str(d),
            _ => {}
        }
        api.set_phone_text(grouped(&typed).into());
        api.set_message("".into());
    });

    let g = glue.clone();
    api.on_send_phone(move || {
        let Some(app) = g.app.upgrade() else { return };
        let api = app.global::<Api>();
        let ticket = api.get_ticket().id.to_string();
        let phone = digits(&api.get_phone_text());
        g.run(
            true,
            move |b| b.subscribe_notices(&ticket, &phone),
            |app, answer| {
                let api = app.global::<Api>();
                match answer {
                    Ok(subscription) => {
                        api.set_phone_sent(subscription.phone.as_str().into());
                        api.set_notify_ahead(subscription.notify_ahead as i32);
                        api.set_phone_text("".into());
                        api.set_message("".into());
                        api.set_screen("ticket".into());
                    }
                    Err(e) => api.set_message(say(&api, &e)),
                }
            },
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_as_they_are_read() {
        assert_eq!(grouped("0912345678"), "0912 345 678");
        assert_eq!(grouped("091"), "091");
        assert_eq!(grouped("09123"), "0912 3");
        assert_eq!(grouped("84912345678"), "84 912 345 678");
        assert_eq!(grouped(""), "");
        assert_eq!(digits("0912 345 678"), "0912345678");
    }
}
