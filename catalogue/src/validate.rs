//! Checks on one procedure record that the type system cannot express, each failure worded as
//! what to fix. Cross-record checks (duplicate codes, one spelling per field) live in `load`.

use super::fold::{fold, words};
use super::model::{ChannelKind, OnlineLevel, Procedure, TimeLimit, TimeUnit};

/// Everything wrong with `p`, one message per problem; empty when the record is usable.
pub fn problems(p: &Procedure) -> Vec<String> {
    let mut out = Vec::new();
    let mut require = |value: &str, what: &str| {
        if value.trim().is_empty() {
            out.push(format!("`{what}` is empty: write the published text"));
        }
    };
    require(&p.code, "code");
    require(&p.name, "name");
    require(&p.field, "field");
    require(&p.agency, "agency");
    require(&p.result, "result");
    for (i, s) in p.steps.iter().enumerate() {
        require(s, &format!("steps[{i}]"));
    }
    for (i, s) in p.conditions.iter().enumerate() {
        require(s, &format!("conditions[{i}]"));
    }
    for (i, s) in p.legal_basis.iter().enumerate() {
        require(s, &format!("legal_basis[{i}]"));
    }
    for (i, s) in p.keywords.iter().enumerate() {
        require(s, &format!("keywords[{i}]"));
    }

    if !p.code.is_empty() && !code_is_well_formed(&p.code) {
        out.push(format!(
            "`code` \"{}\" is not a procedure code: use the national code such as \"1.001193\" \
             (letters, digits, '.', '-' or '_', at least one digit, at most 40 characters)",
            p.code
        ));
    }
    if words(&fold(&p.agency)).any(|w| w == "huyen") {
        out.push(format!(
            "`agency` \"{}\" names the district level, abolished on 1/7/2025: name the commune \
             (UBND cấp xã) or provincial body that handles it now",
            p.agency
        ));
    }
    if p.applicants.is_empty() {
        out.push("`applicants` is empty: list \"individual\" and/or \"organisation\"".into());
    }
    let letter = p.service.as_bytes();
    if !(letter.len() == 1 && letter[0].is_ascii_uppercase()) {
        out.push(format!("`service` \"{}\" must be one queue service letter A–Z (A Hộ tịch – Chứng thực, B Cư trú, …)", p.service));
    }
    if p.steps.is_empty() {
        out.push("`steps` is empty: list the trình tự thực hiện".into());
    }
    if p.documents.is_empty() {
        out.push("`documents` is empty: list the thành phần hồ sơ".into());
    }
    if p.legal_basis.is_empty() {
        out.push("`legal_basis` is empty: list the căn cứ pháp lý".into());
    }
    for (i, d) in p.documents.iter().enumerate() {
        if d.name.trim().is_empty() {
            out.push(format!("`documents[{i}].name` is empty"));
        }
        if d.originals == 0 && d.copies == 0 && d.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            out.push(format!(
                "`documents[{i}]` (\"{}\") asks for 0 originals and 0 copies: set `originals`/`copies`, \
                 or a `note` such as \"xuất trình để đối chiếu\"",
                d.name
            ));
        }
    }
    channel_problems(p, &mut out);
    variant_problems(p, &mut out);
    if let Some(url) = &p.online_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            out.push(format!("`online_url` \"{url}\" must start with https://"));
        }
    }
    let mut seen = Vec::new();
    for u in &p.unconfirmed {
        if seen.contains(u) {
            out.push(format!("`unconfirmed` lists {u:?} twice"));
        }
        seen.push(*u);
    }
    out
}

fn channel_problems(p: &Procedure, out: &mut Vec<String>) {
    if p.channels.is_empty() {
        out.push("`channels` is empty: give at least the `direct` channel with its time limit and fee".into());
    }
    let mut kinds: Vec<ChannelKind> = Vec::new();
    for (i, c) in p.channels.iter().enumerate() {
        let at = format!("channels[{i}] ({})", c.kind.label_vi());
        if kinds.contains(&c.kind) {
            out.push(format!("`{at}` repeats a channel kind: merge the two entries"));
        }
        kinds.push(c.kind);
        time_limit_problems(&format!("{at}.time_limit"), &c.time_limit, out);
        if c.fee.text.trim().is_empty() {
            out.push(format!("`{at}.fee.text` is empty: copy the published wording, exemptions included (\"Không\" if none)"));
        }
        for (j, a) in c.fee.amounts.iter().enumerate() {
            if a.label.trim().is_empty() {
                out.push(format!("`{at}.fee.amounts[{j}].label` is empty: say what the amount is for"));
            }
        }
    }
    let online = kinds.contains(&ChannelKind::Online);
    match (p.online_level, online) {
        (OnlineLevel::None, true) => {
            out.push("an `online` channel is listed but `online_level` is \"none\": set toan_trinh or mot_phan".into())
        }
        (OnlineLevel::ToanTrinh | OnlineLevel::MotPhan, false) => {
            out.push("`online_level` says the procedure is online but no `online` channel is listed: add it".into())
        }
        _ => {}
    }
}

fn time_limit_problems(at: &str, t: &TimeLimit, out: &mut Vec<String>) {
    match (t.kind, t.amount) {
        (TimeUnit::SameDay, Some(_)) => out.push(format!("`{at}` is same_day: remove `amount`")),
        (TimeUnit::SameDay, None) => {}
        (_, None | Some(0)) => out.push(format!("`{at}` needs an `amount` of 1 or more for kind {:?}", t.kind)),
        (_, Some(_)) => {}
    }
    if t.text.trim().is_empty() {
        out.push(format!("`{at}.text` is empty: copy the published wording"));
    }
}

/// Time-limit variants: unique well-formed codes, a label, and a limit for every channel.
fn variant_problems(p: &Procedure, out: &mut Vec<String>) {
    let mut codes: Vec<&str> = Vec::new();
    for (i, v) in p.variants.iter().enumerate() {
        let at = format!("variants[{i}] ({})", v.code);
        if v.code.is_empty() || !v.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            out.push(format!("`{at}.code` must be lower-case letters, digits or '_' (e.g. \"xac_minh\")"));
        }
        if codes.contains(&v.code.as_str()) {
            out.push(format!("`{at}.code` is used twice: each variant needs its own code"));
        }
        codes.push(&v.code);
        if v.label.trim().is_empty() {
            out.push(format!("`{at}.label` is empty: write the case in Vietnamese (\"Trường hợp cần xác minh\")"));
        }
        if let Some(t) = &v.time_limit {
            time_limit_problems(&format!("{at}.time_limit"), t, out);
        }
        let mut kinds: Vec<ChannelKind> = Vec::new();
        for (j, c) in v.channels.iter().enumerate() {
            let cat = format!("{at}.channels[{j}] ({})", c.kind.label_vi());
            if p.channel(c.kind).is_none() {
                out.push(format!("`{cat}`: the procedure has no {} channel", c.kind.label_vi()));
            }
            if kinds.contains(&c.kind) {
                out.push(format!("`{cat}` repeats a channel kind"));
            }
            kinds.push(c.kind);
            time_limit_problems(&format!("{cat}.time_limit"), &c.time_limit, out);
        }
        for c in &p.channels {
            if v.limit_for(c.kind).is_none() {
                out.push(format!(
                    "`{at}` gives no limit for the {} channel: add `time_limit` (all channels) or a `channels` entry for it",
                    c.kind.label_vi()
                ));
            }
        }
    }
}

fn code_is_well_formed(code: &str) -> bool {
    code.len() <= 40
        && code.chars().any(|c| c.is_ascii_digit())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::testing::sample;

    #[test]
    fn a_complete_record_has_no_problems() {
        assert_eq!(problems(&sample("1.001193", "Đăng ký khai sinh")), Vec::<String>::new());
    }

    #[test]
    fn district_agencies_are_rejected() {
        let mut p = sample("1.001193", "Đăng ký khai sinh");
        p.agency = "UBND cấp huyện".into();
        let found = problems(&p);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("district level"), "{found:?}");
    }

    #[test]
    fn inconsistent_channels_are_named() {
        let mut p = sample("1.001193", "Đăng ký khai sinh");
        p.online_level = OnlineLevel::ToanTrinh;
        p.channels[0].time_limit = TimeLimit { kind: TimeUnit::SameDay, amount: Some(1), text: "Trong ngày".into() };
        p.channels.push(p.channels[0].clone());
        let found = problems(&p).join("\n");
        assert!(found.contains("remove `amount`"), "{found}");
        assert!(found.contains("repeats a channel kind"), "{found}");
        assert!(found.contains("no `online` channel"), "{found}");
    }

    #[test]
    fn variants_need_codes_labels_and_a_limit_for_every_channel() {
        let mut p = sample("1.000894", "Đăng ký kết hôn");
        p.channels.push(Channel { kind: ChannelKind::Online, ..p.channels[0].clone() });
        p.online_level = OnlineLevel::ToanTrinh;
        let five = TimeLimit { kind: TimeUnit::WorkingDays, amount: Some(5), text: "Không quá 05 ngày làm việc".into() };
        let good =
            Variant {
                code: "xac_minh".into(), label: "Trường hợp cần xác minh".into(), time_limit: Some(five.clone()), channels: vec![]
            };
        p.variants = vec![good.clone()];
        assert_eq!(problems(&p), Vec::<String>::new());
        let only_direct = Variant {
            code: "Xác minh".into(),
            label: " ".into(),
            time_limit: None,
            channels: vec![
                VariantChannel { kind: ChannelKind::Direct, time_limit: TimeLimit { amount: Some(0), ..five.clone() } },
                VariantChannel { kind: ChannelKind::Post, time_limit: five.clone() },
            ],
        };
        p.variants = vec![good.clone(), good, only_direct];
        let found = problems(&p).join("\n");
        assert!(found.contains("`variants[1] (xac_minh).code` is used twice"), "{found}");
        assert!(found.contains("`variants[2] (Xác minh).code` must be lower-case"), "{found}");
        assert!(found.contains("`variants[2] (Xác minh).label` is empty"), "{found}");
        assert!(found.contains("`variants[2] (Xác minh).channels[0] (Trực tiếp).time_limit` needs an `amount` of 1 or more"), "{found}");
        assert!(found.contains("channels[1] (Bưu chính công ích)`: the procedure has no Bưu chính công ích channel"), "{found}");
        assert!(found.contains("`variants[2] (Xác minh)` gives no limit for the Trực tuyến channel"), "{found}");
    }

    #[test]
    fn bad_codes_letters_and_counts_are_named() {
        let mut p = sample("khai sinh", "Đăng ký khai sinh");
        p.service = "AB".into();
        p.documents[0].originals = 0;
        let found = problems(&p).join("\n");
        assert!(found.contains("not a procedure code"), "{found}");
        assert!(found.contains("one queue service letter"), "{found}");
        assert!(found.contains("0 originals and 0 copies"), "{found}");
    }
}
