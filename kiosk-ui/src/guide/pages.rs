//! What the audio guide says on each screen, read from the same `Api` the screen shows: the
//! screen's introduction (what it is, what it shows, how to go on), its choices in the order
//! the arrows step through them — each with its words and what choosing it does, exactly what
//! touching it does — and a short status said when only a detail changes (a key typed, a reason
//! ticked, the checklist printed). The choices' ids are the `guide-id`s of the elements the
//! screens highlight.

use slint::Model;

use super::words::spoken;
use crate::backend::KioskInfo;
use crate::Api;

/// One choice the guide steps onto.
pub(crate) struct Choice {
    /// The `guide-id` of the element that is highlighted.
    pub id: String,
    pub words: String,
    /// What choosing it does: what touching it does.
    pub act: Box<dyn Fn(&Api)>,
}

/// What the guide knows of the screen showing.
pub(crate) struct Page {
    /// Which screen with which content: a new key is a new page, introduced from the start.
    pub key: String,
    pub intro: Vec<String>,
    pub choices: Vec<Choice>,
    /// A detail of the page that changes without making it a new page; said alone when it does.
    pub status: String,
}

/// Words in the screen's language.
struct Say {
    english: bool,
}

impl Say {
    fn t(&self, vi: &str, en: &str) -> String {
        spoken(if self.english { en } else { vi }, self.english)
    }

    fn f(&self, vi: String, en: String) -> String {
        spoken(if self.english { &en } else { &vi }, self.english)
    }
}

fn choice(id: impl Into<String>, words: String, act: impl Fn(&Api) + 'static) -> Choice {
    Choice { id: id.into(), words, act: Box::new(act) }
}

/// The page on screen now.
pub(crate) fn page(api: &Api, info: &KioskInfo) -> Page {
    let say = Say { english: api.get_english() };
    let screen = api.get_screen().to_string();
    let mut page = if api.get_help_state() != "" {
        help(api, &say)
    } else if api.get_scan_problem() != "" {
        scan_problem(api, &say)
    } else if api.invoke_countdown() >= 0 {
        countdown(&say)
    } else {
        match screen.as_str() {
            "home" => home(api, &say),
            "services" => services(api, &say),
            "priority" => priority(api, &say),
            "ticket" => ticket(api, &say, info),
            "phone" => phone(api, &say),
            "search" => search(api, &say),
            "procedure" => procedure(api, &say),
            "dossier" => dossier(api, &say),
            "rate-number" => rate_number(api, &say),
            "rate" => rate(api, &say),
            "reasons" => reasons(api, &say),
            "thanks" => thanks(&say),
            other => Page { key: other.to_string(), intro: Vec::new(), choices: Vec::new(), status: String::new() },
        }
    };
    let message = api.get_message().to_string();
    if !message.is_empty() {
        page.status = format!("{} {}", page.status, spoken(&message, say.english)).trim().to_string();
    }
    if !page.key.starts_with("dialog") {
        page.choices.extend(everywhere(api, &say, &screen));
    }
    page
}

/// The choices of the header and the bar, last on every screen.
fn everywhere(api: &Api, say: &Say, screen: &str) -> Vec<Choice> {
    let mut out = Vec::new();
    if screen != "home" && screen != "thanks" {
        out.push(choice("header:home", say.t("Về trang chủ.", "Back to the start."), |api| api.invoke_go("home".into())));
    }
    out.push(choice(
        "header:language",
        if api.get_english() { "Chuyển sang tiếng Việt.".to_string() } else { "Switch to English.".to_string() },
        |api| api.invoke_toggle_language(),
    ));
    out.push(choice(
        "bar:text",
        if api.get_low_vision() {
            say.t("Chữ thường.", "Normal text.")
        } else {
            say.t("Chữ to, dễ đọc.", "Large text, easy to read.")
        },
        |api| api.invoke_toggle_low_vision(),
    ));
    out.push(choice(
        "bar:help",
        say.t("Cần hỗ trợ: báo cán bộ đến giúp quý khách.", "Ask for help: staff will come to you."),
        |api| api.invoke_ask_help(),
    ));
    out.push(choice("bar:guide", say.t("Tắt hướng dẫn bằng giọng nói.", "Stop the voice guide."), |api| {
        api.invoke_toggle_guide()
    }));
    out
}

const STEP: (&str, &str) =
    ("Nhấn nút Sau để nghe từng lựa chọn, nút Chọn để chọn.", "Press Next to hear each choice, and Choose to choose it.");

fn help(api: &Api, say: &Say) -> Page {
    let sent = api.get_help_state() == "sent";
    let words = if sent {
        say.t(
            "Đã báo cán bộ. Xin quý khách chờ tại đây, cán bộ sẽ đến hỗ trợ ngay.",
            "Staff have been told. Please wait here: someone is coming to help you.",
        )
    } else {
        say.t(
            "Chưa báo được cán bộ. Xin quý khách đến quầy gần nhất để được hỗ trợ.",
            "Staff could not be told. Please go to the nearest counter for help.",
        )
    };
    closable(format!("dialog:help:{}", api.get_help_state()), words, say, |api| api.set_help_state("".into()))
}

/// A message over the screen with its one button, "Đóng" (`dialog:close`): `close` clears it.
fn closable(key: String, words: String, say: &Say, close: impl Fn(&Api) + 'static) -> Page {
    Page {
        key,
        intro: vec![words, say.t("Nhấn nút Chọn để đóng thông báo này.", "Press Choose to close this message.")],
        choices: vec![choice("dialog:close", say.t("Đóng thông báo.", "Close the message."), move |api| {
            close(api);
            api.invoke_touched();
        })],
        status: String::new(),
    }
}

/// A scanned code that was not an identity card's QR.
fn scan_problem(api: &Api, say: &Say) -> Page {
    let problem = api.get_scan_problem().to_string();
    closable(format!("dialog:scan:{problem}"), spoken(&problem, say.english), say, |api| api.set_scan_problem("".into()))
}

fn countdown(say: &Say) -> Page {
    Page {
        key: "dialog:countdown".into(),
        intro: vec![say.t(
            "Quý khách còn dùng máy không? Nhấn nút Chọn để tiếp tục, nếu không màn hình sẽ trở về trang chủ.",
            "Are you still there? Press Choose to go on; otherwise the screen goes back to the start.",
        )],
        choices: vec![choice("dialog:stay", say.t("Tôi vẫn đang dùng.", "I am still here."), |api| api.invoke_touched())],
        status: String::new(),
    }
}

fn home(api: &Api, say: &Say) -> Page {
    let notice = say.f(api.get_notice().to_string(), api.get_notice_en().to_string());
    let mut intro = vec![say.t("Trang chủ.", "Start.")];
    if !notice.is_empty() {
        intro.push(notice.clone());
    }
    intro.push(say.t(
        "Quý khách có thể lấy số thứ tự, tra cứu thủ tục, tra cứu hồ sơ, hoặc đánh giá mức độ hài lòng.",
        "You can take a number, find a procedure, check a dossier, or rate our service.",
    ));
    intro.push(say.t(STEP.0, STEP.1));
    let go = |screen: &'static str| move |api: &Api| api.invoke_go(screen.into());
    Page {
        key: format!("home:{notice}"),
        intro,
        choices: vec![
            choice(
                "home:services",
                say.t("Lấy số thứ tự, rồi chờ gọi số tại khu vực chờ.", "Take a number, then wait to be called."),
                go("services"),
            ),
            choice(
                "home:search",
                say.t(
                    "Tra cứu thủ tục: giấy tờ cần mang, thời hạn và lệ phí.",
                    "Find a procedure: the papers to bring, the time and the fee.",
                ),
                go("search"),
            ),
            choice(
                "home:dossier",
                say.t("Tra cứu hồ sơ đã nộp, bằng mã trên giấy tiếp nhận.", "Check a dossier you handed in, by the code on your receipt."),
                go("dossier"),
            ),
            choice(
                "home:rate-number",
                say.t("Đánh giá mức độ hài lòng sau khi được phục vụ.", "Rate our service after you were served."),
                go("rate-number"),
            ),
        ],
        status: String::new(),
    }
}

fn services(api: &Api, say: &Say) -> Page {
    let services: Vec<_> = api.get_services().iter().collect();
    let choices = services
        .iter()
        .map(|s| {
            let name = if say.english { &s.name_en } else { &s.name };
            let note = if say.english { &s.note_en } else { &s.note };
            let closed = if s.open { String::new() } else { say.t(" Hiện chưa lấy số được.", " Not taking numbers now.") };
            let code = s.code.clone();
            choice(format!("service:{}", s.code), spoken(&format!("{}, {name}. {note}.{closed}", s.code), say.english), move |api| {
                api.invoke_choose_service(code.clone())
            })
        })
        .collect();
    let codes: Vec<String> = services.iter().map(|s| format!("{}{}", s.code, s.open)).collect();
    let mut choices: Vec<Choice> = choices;
    let mut intro = vec![say.t("Lấy số thứ tự. Chọn lĩnh vực quý khách cần giải quyết.", "Take a number. Choose what you have come for.")];
    let card = api.get_card().to_string();
    if !card.is_empty() {
        intro.push(say.t("Đã đọc thẻ căn cước của quý khách.", "Your identity card has been read."));
        if card == "elderly" {
            intro.push(if api.get_card_decline() {
                say.t("Quý khách đã chọn lấy số thường.", "You chose a normal number.")
            } else {
                say.t("Quý khách từ 60 tuổi trở lên: số được ưu tiên.", "You are 60 or older: your number gets the priority.")
            });
            choices.push(choice(
                "card:priority",
                if api.get_card_decline() {
                    say.t("Nhận ưu tiên.", "Take the priority.")
                } else {
                    say.t("Không cần ưu tiên.", "No priority, thanks.")
                },
                |api| api.invoke_toggle_card_priority(),
            ));
        }
        choices.push(choice("card:forget", say.t("Bỏ thẻ, lấy số không dùng thẻ.", "Forget the card."), |api| {
            api.invoke_forget_card()
        }));
    }
    intro.push(say.f(format!("Có {} lĩnh vực.", services.len()), format!("There are {} services.", services.len())));
    intro.push(say.t(STEP.0, STEP.1));
    Page { key: format!("services:{}:{card}", codes.join(",")), intro, choices, status: String::new() }
}

fn priority(api: &Api, say: &Say) -> Page {
    let service = api.get_chosen_service();
    let name = if say.english { service.name_en.to_string() } else { service.name.to_string() };
    let mut choices = vec![choice("priority:", say.t("Không, lấy số thường.", "No, a normal number."), |api| {
        api.invoke_choose_priority("".into())
    })];
    for p in api.get_priorities().iter() {
        let label = if say.english { p.label_en.to_string() } else { p.label.to_string() };
        let code = p.code.clone();
        choices.push(choice(
            format!("priority:{}", p.code),
            say.f(format!("Có, tôi là {}.", label.to_lowercase()), format!("Yes: {label}.")),
            move |api| api.invoke_choose_priority(code.clone()),
        ));
    }
    Page {
        key: format!("priority:{}", service.code),
        intro: vec![
            say.f(format!("Quý khách chọn {name}."), format!("You chose {name}.")),
            say.t("Quý khách có thuộc diện ưu tiên không?", "Are you entitled to priority?"),
            say.t(STEP.0, STEP.1),
        ],
        choices,
        status: String::new(),
    }
}

fn ticket(api: &Api, say: &Say, info: &KioskInfo) -> Page {
    let t = api.get_ticket();
    let number = firmware::voice::ticket_reading(&t.number, info.zero_tens).map(|r| r.text()).unwrap_or_else(|_| t.number.to_string());
    let printed = match t.print_state.as_str() {
        "printed" => say.t("Đã in phiếu. Mời quý khách nhận phiếu bên dưới.", "Your ticket is printed: please take it below."),
        "failed" => say.t("Máy in gặp sự cố. Xin nhớ số này.", "The printer failed. Please remember this number."),
        _ => say.t("Đang in phiếu.", "Printing."),
    };
    let ahead = match (t.ahead, t.wait_minutes) {
        (0, _) => say.t("Quý khách là người tiếp theo.", "You are next."),
        (n, m) if m <= 0 => say.f(format!("Trước quý khách còn {n} người."), format!("{n} ahead of you.")),
        (n, m) => say.f(format!("Trước quý khách còn {n} người, chờ khoảng {m} phút."), format!("{n} ahead of you, about {m} minutes.")),
    };
    let mut choices = Vec::new();
    let sent = api.get_phone_sent().to_string();
    if api.get_notices() && sent.is_empty() {
        choices.push(choice(
            "ticket:phone",
            say.t("Nhắn tin cho tôi khi sắp đến lượt.", "Text me when my turn is near."),
            |api| api.invoke_go("phone".into()),
        ));
    }
    choices.push(choice("ticket:done", say.t("Xong, về trang chủ.", "Done, back to the start."), |api| api.invoke_go("home".into())));
    let status = if sent.is_empty() {
        String::new()
    } else {
        say.t("Sẽ nhắn tin cho quý khách khi sắp đến lượt.", "You will get a text when your turn is near.")
    };
    Page {
        key: format!("ticket:{}", t.number),
        intro: vec![
            say.f(format!("Số thứ tự của quý khách là {number}."), format!("Your number is {}.", t.number)),
            printed,
            ahead,
            say.t("Vui lòng chờ gọi số tại khu vực chờ.", "Please wait to be called."),
        ],
        choices,
        status,
    }
}

fn search(api: &Api, say: &Say) -> Page {
    let field = api.get_field_name().to_string();
    let text = api.get_search_text().to_string();
    let outcome = api.get_search_outcome().to_string();
    let offer_fields = (text.is_empty() && field.is_empty()) || outcome == "no_match";
    let total = api.get_results_total();
    let mut choices = Vec::new();
    let mut intro = Vec::new();
    if offer_fields {
        let fields: Vec<_> = api.get_fields().iter().collect();
        intro.push(if outcome == "no_match" {
            say.t("Không tìm thấy thủ tục nào phù hợp. Xin chọn lĩnh vực.", "No procedure matches what you typed. Please choose a field.")
        } else {
            say.t(
                "Tra cứu thủ tục. Quý khách gõ tên thủ tục trên bàn phím, hoặc chọn một lĩnh vực.",
                "Find a procedure. Type its name on the keyboard, or choose a field.",
            )
        });
        intro.push(say.f(format!("Có {} lĩnh vực.", fields.len()), format!("There are {} fields.", fields.len())));
        for f in fields {
            let code = f.code.clone();
            choice_push(
                &mut choices,
                format!("field:{}", f.code),
                say.f(format!("Lĩnh vực {}, {} thủ tục.", f.name, f.count), format!("{}: {} procedures.", f.name, f.count)),
                move |api| api.invoke_browse_field(code.clone()),
            );
        }
    } else {
        intro.push(if !field.is_empty() && text.is_empty() {
            say.f(format!("Lĩnh vực {field}: {total} thủ tục."), format!("{field}: {total} procedures."))
        } else {
            say.f(format!("Tìm thấy {total} thủ tục."), format!("{total} procedures found."))
        });
        for r in api.get_results().iter() {
            let code = r.code.clone();
            choice_push(
                &mut choices,
                format!("procedure:{}", r.code),
                say.f(format!("Thủ tục {}.", r.name), format!("{}.", r.name)),
                move |api| api.invoke_open_procedure(code.clone()),
            );
        }
        if !field.is_empty() {
            choice_push(&mut choices, "search:all-fields".into(), say.t("Trở lại mọi lĩnh vực.", "Back to all fields."), |api| {
                api.invoke_browse_field("".into())
            });
        }
    }
    intro.push(say.t(STEP.0, STEP.1));
    Page { key: format!("search:{field}:{text}:{outcome}:{total}"), intro, choices, status: String::new() }
}

fn choice_push(choices: &mut Vec<Choice>, id: String, words: String, act: impl Fn(&Api) + 'static) {
    choices.push(choice(id, words, act));
}

/// "1 bản chính, 2 bản sao", or "".
fn counted(say: &Say, originals: i32, copies: i32) -> String {
    let o = (originals > 0).then(|| say.f(format!("{originals} bản chính"), format!("{originals} original")));
    let c = (copies > 0).then(|| say.f(format!("{copies} bản sao"), format!("{copies} copy")));
    [o, c].into_iter().flatten().collect::<Vec<_>>().join(", ")
}

fn procedure(api: &Api, say: &Say) -> Page {
    let p = api.get_procedure();
    let mut intro = vec![say.f(format!("Thủ tục {}.", p.name), format!("Procedure: {}.", p.name))];
    let documents: Vec<_> = p.documents.iter().collect();
    let in_case: Vec<_> = p.case_documents.iter().collect();
    intro.push(say.f(format!("Giấy tờ cần mang: {} loại.", documents.len()), format!("Papers to bring: {} kinds.", documents.len())));
    for (i, d) in documents.iter().chain(in_case.iter()).enumerate() {
        let form = if d.form.is_empty() { String::new() } else { say.f(format!(", theo {}", d.form), format!(", form {}", d.form)) };
        let count = counted(say, d.originals, d.copies);
        let mut line = say.f(format!("{}. {}{form}.", i + 1, d.name), format!("{}. {}{form}.", i + 1, d.name));
        if !d.case.is_empty() {
            line = format!("{} {}", say.f(format!("Chỉ khi {}:", d.case), format!("Only when {}:", d.case)), line);
        }
        if !count.is_empty() {
            line.push_str(&format!(" {count}."));
        }
        if !d.note.is_empty() {
            line.push_str(&format!(" {}.", spoken(&d.note, say.english)));
        }
        intro.push(line);
        if i + 1 == documents.len() && !in_case.is_empty() {
            intro.push(say.t("Giấy tờ chỉ cần trong một số trường hợp:", "Papers needed only in some cases:"));
        }
    }
    for c in p.channels.iter() {
        let name = if say.english { c.name_en.to_string() } else { c.name.to_string() };
        intro.push(say.f(format!("{name}: thời hạn giải quyết {}.", c.time), format!("{name}: time limit {}.", c.time)));
        for k in c.cases.iter() {
            intro.push(say.f(format!("{}: {}.", k.label, k.time), format!("{}: {}.", k.label, k.time)));
        }
        intro.push(say.f(format!("Phí, lệ phí: {}.", c.fee), format!("Fee: {}.", c.fee)));
    }
    if !p.result.is_empty() {
        intro.push(say.f(format!("Kết quả: {}.", p.result), format!("Result: {}.", p.result)));
    }
    intro.push(say.t(
        "Nhấn nút Sau để in danh mục giấy tờ, hoặc lấy số cho thủ tục này.",
        "Press Next to print the list of papers, or to take a number for this procedure.",
    ));
    let status = match api.get_checklist_state().as_str() {
        "printed" => say.t("Đã in danh mục giấy tờ. Mời nhận phiếu bên dưới.", "The list is printed: please take it below."),
        "failed" => say.t("Không in được danh mục giấy tờ.", "The list could not be printed."),
        _ => String::new(),
    };
    Page {
        key: format!("procedure:{}", p.code),
        intro,
        choices: vec![
            choice("procedure:print", say.t("In danh mục giấy tờ cần mang.", "Print the list of papers to bring."), |api| {
                api.invoke_print_checklist()
            }),
            choice("procedure:take", say.t("Lấy số thứ tự cho thủ tục này.", "Take a number for this procedure."), |api| {
                api.invoke_take_for_procedure()
            }),
        ],
        status,
    }
}

fn dossier(api: &Api, say: &Say) -> Page {
    let found = api.get_dossier_found();
    let d = api.get_dossier();
    let intro = if found {
        let status = if say.english { d.status_text_en.to_string() } else { d.status_text.to_string() };
        let due = if say.english { d.due_en.to_string() } else { d.due.to_string() };
        let mut lines = vec![
            say.f(format!("Hồ sơ {}.", d.procedure_name), format!("Dossier: {}.", d.procedure_name)),
            say.f(format!("Tình trạng: {status}."), format!("Status: {status}.")),
            say.f(format!("Hẹn trả kết quả: {due}."), format!("Result due: {due}.")),
        ];
        if !d.new_due.is_empty() {
            let new_due = if say.english { d.new_due_en.to_string() } else { d.new_due.to_string() };
            lines.push(say.f(format!("Hẹn lại: {new_due}."), format!("Rescheduled to {new_due}.")));
        }
        lines
    } else {
        vec![say.t(
            "Tra cứu hồ sơ. Xin đưa mã vạch trên giấy tiếp nhận vào máy quét, hoặc gõ mã hồ sơ trên bàn phím.",
            "Check a dossier. Hold the barcode of your receipt to the scanner, or type the code on the keyboard.",
        )]
    };
    Page {
        key: format!("dossier:{found}:{}", d.code),
        intro,
        choices: vec![choice("dossier:lookup", say.t("Tra cứu mã đã nhập.", "Look up the code typed."), |api| {
            api.invoke_lookup_dossier()
        })],
        status: String::new(),
    }
}

fn phone(api: &Api, say: &Say) -> Page {
    let ahead = api.get_notify_ahead();
    let mut choices = Vec::new();
    for key in ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"] {
        choices.push(choice(format!("phone:{key}"), key.to_string(), move |api| api.invoke_phone_key(key.into())));
    }
    choices.push(choice("phone:back", say.t("Xóa số cuối.", "Delete the last digit."), |api| api.invoke_phone_key("back".into())));
    choices.push(choice("phone:clear", say.t("Xóa hết.", "Clear."), |api| api.invoke_phone_key("clear".into())));
    choices.push(choice("phone:send", say.t("Gửi.", "Send."), |api| api.invoke_send_phone()));
    choices.push(choice("phone:cancel", say.t("Quay lại, không nhận tin nhắn.", "Back, no text messages."), |api| {
        api.set_phone_text("".into());
        api.set_message("".into());
        api.set_screen("ticket".into());
    }));
    let typed = crate::screens::phone::digits(&api.get_phone_text());
    let status = typed_status(say, &typed);
    Page {
        key: "phone".into(),
        intro: vec![
            say.t("Nhận tin nhắn khi sắp đến lượt.", "A text message when your turn is near."),
            say.f(
                format!("Xin nhập số điện thoại di động, rồi chọn Gửi. Chúng tôi nhắn tin khi còn {ahead} người trước quý khách và khi đến lượt."),
                format!("Type your mobile number, then choose Send. We text you when {ahead} people are ahead of you, and when you are called."),
            ),
        ],
        choices,
        status,
    }
}

/// What was typed so far on a keypad, one character at a time ("Đã nhập: 0 9 1."); "" for nothing.
fn typed_status(say: &Say, typed: &str) -> String {
    if typed.is_empty() {
        return String::new();
    }
    let spelled: Vec<String> = typed.chars().map(|c| c.to_string()).collect();
    say.f(format!("Đã nhập: {}.", spelled.join(" ")), format!("Typed: {}.", spelled.join(" ")))
}

fn rate_number(api: &Api, say: &Say) -> Page {
    let typed = api.get_rating_number().to_string();
    let mut letters: Vec<String> = api.get_services().iter().map(|s| s.code.to_lowercase()).collect();
    if letters.is_empty() {
        letters = ["a", "b", "c", "d", "e", "f"].map(String::from).to_vec();
    }
    let mut choices = Vec::new();
    for key in letters.iter().map(String::as_str).chain(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]) {
        let k = key.to_string();
        choices.push(choice(format!("key:{key}"), key.to_uppercase(), move |api| api.invoke_key(k.clone().into())));
    }
    choices.push(choice("key:backspace", say.t("Xóa chữ cuối.", "Delete the last one."), |api| api.invoke_backspace()));
    choices.push(choice("rate-number:next", say.t("Tiếp tục.", "Next."), |api| api.invoke_rate_ticket()));
    let status = typed_status(say, &typed);
    Page {
        key: "rate-number".into(),
        intro: vec![
            say.t("Đánh giá mức độ hài lòng.", "Rate our service."),
            say.t(
                "Xin nhập số thứ tự trên phiếu của quý khách: nhấn nút Sau để đến từng chữ và số, nút Chọn để nhập, rồi chọn Tiếp tục.",
                "Type the number on your ticket: press Next to reach each letter and digit, Choose to type it, then choose Next.",
            ),
        ],
        choices,
        status,
    }
}

fn rate(api: &Api, say: &Say) -> Page {
    let choices = api
        .get_levels()
        .iter()
        .map(|l| {
            let code = l.code.clone();
            let label = if say.english { l.label_en.to_string() } else { l.label.to_string() };
            choice(format!("level:{}", l.code), format!("{label}."), move |api| api.invoke_choose_level(code.clone()))
        })
        .collect();
    Page {
        key: format!("rate:{}", api.get_rating_number()),
        intro: vec![
            say.t("Quý khách có hài lòng với sự phục vụ hôm nay không?", "Were you satisfied with our service today?"),
            say.t(STEP.0, STEP.1),
        ],
        choices,
        status: String::new(),
    }
}

fn reasons(api: &Api, say: &Say) -> Page {
    let reasons: Vec<_> = api.get_reasons().iter().collect();
    let mut choices: Vec<Choice> = reasons
        .iter()
        .map(|r| {
            let label = if say.english { r.label_en.to_string() } else { r.label.to_string() };
            let chosen = if r.chosen { say.t(", đã chọn", ", chosen") } else { String::new() };
            let code = r.code.clone();
            choice(format!("reason:{}", r.code), format!("{label}{chosen}."), move |api| api.invoke_toggle_reason(code.clone()))
        })
        .collect();
    choices.push(choice("reasons:send", say.t("Gửi đánh giá.", "Send."), |api| api.invoke_send_rating()));
    let chosen: Vec<String> =
        reasons.iter().filter(|r| r.chosen).map(|r| if say.english { r.label_en.to_string() } else { r.label.to_string() }).collect();
    let status = if chosen.is_empty() {
        String::new()
    } else {
        say.f(format!("Đã chọn: {}.", chosen.join(", ")), format!("Chosen: {}.", chosen.join(", ")))
    };
    Page {
        key: "reasons".into(),
        intro: vec![
            say.t(
                "Xin lỗi quý khách. Vì sao quý khách chưa hài lòng? Có thể chọn một hoặc nhiều lý do, rồi chọn Gửi đánh giá.",
                "We are sorry. What went wrong? Choose one or more reasons, then choose Send.",
            ),
            say.t(STEP.0, STEP.1),
        ],
        choices,
        status,
    }
}

fn thanks(say: &Say) -> Page {
    Page {
        key: "thanks".into(),
        intro: vec![say.t(
            "Xin cảm ơn quý khách! Ý kiến của quý khách giúp chúng tôi phục vụ tốt hơn.",
            "Thank you! Your opinion helps us serve you better.",
        )],
        choices: vec![choice("thanks:home", say.t("Về trang chủ.", "Back to the start."), |api| api.invoke_go("home".into()))],
        status: String::new(),
    }
}
