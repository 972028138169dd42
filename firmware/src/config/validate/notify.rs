//! `[notify]`: SMS / Zalo notices (issue 19). The gateway and its URL, the threshold, timeouts,
//! the webhook's headers and JSON body or the Zalo templates, and the three texts — each checked
//! on its line: placeholders known, the number (or dossier) named, and every text fitting one
//! message with the longest values this centre can give it, so no notice is ever cut.

use std::time::Duration;

use toml::Spanned;

use super::Validator;
use crate::config::model::{Centre, CounterDef};
use crate::config::raw::{RawNotify, RawZaloTemplate};
use crate::dossier::DossierCodeScheme;
use crate::notice::{self, Encoding, Notice, NoticeKind, Templates};
use crate::sync::notices::{
    Gateway, NotifyConfig, ZaloTemplate, BODY_PLACEHOLDERS, DEFAULT_AHEAD, DEFAULT_FIRST_RETRY, DEFAULT_MAX_RETRY, DEFAULT_SECRET_FILE,
    DEFAULT_TIMEOUT, HEADER_PLACEHOLDERS,
};
use crate::text::nfc;

/// Zalo's endpoint for ZNS template messages.
const ZALO_URL: &str = "https://business.openapi.zalo.me/message/template";

impl Validator<'_> {
    pub(super) fn notify(
        &mut self,
        raw: Spanned<RawNotify>,
        centre: &Centre,
        counters: &[CounterDef],
        codes: &DossierCodeScheme,
    ) -> Option<NotifyConfig> {
        let section = raw.span();
        let raw = raw.into_inner();
        let before = self.problems.len();
        let url = raw.url.as_ref().map(|u| u.get_ref().trim().to_string());
        if let Some(u) = &raw.url {
            if !(u.get_ref().starts_with("http://") || u.get_ref().starts_with("https://")) {
                self.problem(&u.span(), format!("[notify] url {:?} must start with https:// (or http:// on a test LAN)", u.get_ref()));
            }
        }
        let gateway = match raw.gateway.get_ref().as_str() {
            "webhook" => {
                if url.is_none() {
                    self.problem(&raw.gateway.span(), "[notify] gateway = \"webhook\" needs url = \"https://…\" (the SMS provider's API)");
                }
                if let Some(zalo) = &raw.zalo {
                    self.problem(&zalo.span(), "[notify.zalo] is for gateway = \"zalo\"");
                }
                self.webhook(&raw, &section)
            }
            "zalo" => {
                if let Some(body) = &raw.body {
                    self.problem(&body.span(), "[notify] body is for gateway = \"webhook\"; Zalo takes [notify.zalo]");
                }
                self.zalo(&raw, &section)
            }
            other => {
                self.problem(&raw.gateway.span(), format!("[notify] gateway {other:?} is unknown; use \"webhook\" or \"zalo\""));
                None
            }
        };
        let mut read = |v: &Option<Spanned<i64>>, key: &str, range: std::ops::RangeInclusive<u32>, default: u32| match v {
            None => default,
            Some(v) => match u32::try_from(*v.get_ref()) {
                Ok(n) if range.contains(&n) => n,
                _ => {
                    self.problem(&v.span(), format!("[notify] {key} = {} must be from {} to {}", v.get_ref(), range.start(), range.end()));
                    default
                }
            },
        };
        let ahead = read(&raw.ahead, "ahead", 1..=50, DEFAULT_AHEAD);
        let timeout = read(&raw.timeout_seconds, "timeout_seconds", 1..=120, DEFAULT_TIMEOUT.as_secs() as u32);
        let mut seconds = |v: &Option<Spanned<f64>>, key: &str, default: f64| match v {
            None => Duration::from_secs_f64(default),
            Some(v) if (0.01..=86_400.0).contains(v.get_ref()) => Duration::from_secs_f64(*v.get_ref()),
            Some(v) => {
                self.problem(&v.span(), format!("[notify] {key} = {} must be from 0.01 to 86400 (seconds)", v.get_ref()));
                Duration::from_secs_f64(default)
            }
        };
        let first_retry = seconds(&raw.first_retry_seconds, "first_retry_seconds", DEFAULT_FIRST_RETRY.as_secs_f64());
        let max_retry = seconds(&raw.max_retry_seconds, "max_retry_seconds", DEFAULT_MAX_RETRY.as_secs_f64()).max(first_retry);
        let encoding = if raw.unaccented.unwrap_or(true) { Encoding::Unaccented } else { Encoding::Unicode };
        let mut texts = Templates::default();
        for (kind, value) in [
            (NoticeKind::Approaching, &raw.approaching_text),
            (NoticeKind::Called, &raw.called_text),
            (NoticeKind::ResultReady, &raw.result_ready_text),
        ] {
            let key = format!("{}_text", kind.as_str());
            let text = value.as_ref().map(|v| nfc(v.get_ref().trim()));
            let span = value.as_ref().map(Spanned::span).unwrap_or_else(|| section.clone());
            let text = text.unwrap_or_else(|| texts.get(kind).to_string());
            if let Err(e) = notice::check_template(kind, &text) {
                self.problem(&span, format!("[notify] {key}: {e}"));
                continue;
            }
            // The longest values this centre gives: the number, the threshold, its counters, a
            // dossier code of its scheme.
            let longest_counter = counters.iter().map(|c| c.name.clone()).max_by_key(|n| n.chars().count()).unwrap_or_default();
            let all_counters = counters.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ");
            let code =
                codes.format(&centre.agency_code, chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("a date"), 99_999).to_string();
            let sample = match kind {
                NoticeKind::Approaching => Notice::Approaching { number: "A999".into(), ahead, counters: all_counters },
                NoticeKind::Called => Notice::Called { number: "A999".into(), counter: longest_counter },
                NoticeKind::ResultReady => Notice::ResultReady { dossier: code },
            };
            let values = sample.values(&centre.name);
            let filled = notice::fill(&text, &|n| values.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone())).unwrap_or_default();
            let filled = match encoding {
                Encoding::Unaccented => notice::unaccent(&filled),
                Encoding::Unicode => filled,
            };
            let length = notice::length(&filled, encoding);
            if length > encoding.limit() {
                self.problem(
                    &span,
                    format!(
                        "[notify] {key} is {length} characters with this centre's longest values, more than one SMS holds ({}{}); shorten it",
                        encoding.limit(),
                        if encoding == Encoding::Unicode { " with diacritics: unaccented = true holds 160" } else { "" }
                    ),
                );
            }
            match kind {
                NoticeKind::Approaching => texts.approaching = text,
                NoticeKind::Called => texts.called = text,
                NoticeKind::ResultReady => texts.result_ready = text,
            }
        }
        let gateway = gateway?;
        if self.problems.len() > before {
            return None;
        }
        let url = url.unwrap_or_else(|| ZALO_URL.to_string());
        Some(NotifyConfig {
            gateway,
            url,
            ahead,
            timeout: Duration::from_secs(timeout.into()),
            encoding,
            texts,
            secret_file: raw.secret_file.clone().unwrap_or_else(|| DEFAULT_SECRET_FILE.into()),
            first_retry,
            max_retry,
        })
    }

    fn webhook(&mut self, raw: &RawNotify, section: &std::ops::Range<usize>) -> Option<Gateway> {
        let mut headers = Vec::new();
        if let Some(h) = &raw.headers {
            for (name, value) in h.get_ref() {
                if let Err(p) = notice::fill(value, &|p| HEADER_PLACEHOLDERS.contains(&p).then(String::new)) {
                    self.problem(
                        &h.span(),
                        format!("[notify] headers: {name} says {{{p}}}; a header may use {{secret}} and {{idempotency_key}}"),
                    );
                }
                if name.eq_ignore_ascii_case("idempotency-key") {
                    self.problem(&h.span(), "[notify] headers: Idempotency-Key is always sent; leave it out");
                }
                headers.push((name.clone(), value.clone()));
            }
        }
        let Some(body) = &raw.body else {
            self.problem(
                section,
                "[notify] gateway = \"webhook\" needs body = { … } with \"{phone}\" and \"{text}\" where the provider wants them",
            );
            return None;
        };
        let value = match body.get_ref() {
            // JSON text with placeholders: it must be JSON once they are filled.
            toml::Value::String(template) => {
                let sample = notice::fill(template, &|p| BODY_PLACEHOLDERS.contains(&p).then(|| "x".to_string()));
                if let Ok(Err(e)) = sample.map(|t| serde_json::from_str::<serde_json::Value>(&t)) {
                    self.problem(&body.span(), format!("[notify] body is not JSON once its placeholders are filled: {e}"));
                }
                serde_json::Value::String(template.clone())
            }
            toml::Value::Table(_) => serde_json::to_value(body.get_ref()).unwrap_or_default(),
            _ => {
                self.problem(&body.span(), "[notify] body must be a table ({ to = \"{phone}\", … }) or JSON text");
                return None;
            }
        };
        let mut strings = Vec::new();
        collect_strings(&value, &mut strings);
        for s in &strings {
            if let Err(p) = notice::fill(s, &|p| BODY_PLACEHOLDERS.contains(&p).then(String::new)) {
                self.problem(
                    &body.span(),
                    format!("[notify] body says {{{p}}}; it may use {{phone}}, {{text}}, {{idempotency_key}}, {{kind}}"),
                );
            }
        }
        for needed in ["{phone}", "{text}"] {
            if !strings.iter().any(|s| s.contains(needed)) {
                self.problem(&body.span(), format!("[notify] body never says {needed}: the provider would not know what to send where"));
            }
        }
        Some(Gateway::Webhook { headers, body: value })
    }

    fn zalo(&mut self, raw: &RawNotify, section: &std::ops::Range<usize>) -> Option<Gateway> {
        let Some(zalo) = &raw.zalo else {
            self.problem(section, "[notify] gateway = \"zalo\" needs [notify.zalo.approaching], [notify.zalo.called] and [notify.zalo.result_ready] (template_id, data)");
            return None;
        };
        let span = zalo.span();
        let z = zalo.get_ref();
        let mut templates = Vec::new();
        for (kind, t) in
            [(NoticeKind::Approaching, &z.approaching), (NoticeKind::Called, &z.called), (NoticeKind::ResultReady, &z.result_ready)]
        {
            match t {
                None => self.problem(&span, format!("[notify.zalo.{}] is missing: each notice needs its approved template", kind.as_str())),
                Some(t) => templates.push((kind, self.zalo_template(kind, t))),
            }
        }
        Some(Gateway::Zalo { templates })
    }

    fn zalo_template(&mut self, kind: NoticeKind, t: &Spanned<RawZaloTemplate>) -> ZaloTemplate {
        let raw = t.get_ref();
        let id = raw.template_id.get_ref().trim();
        if id.is_empty() {
            self.problem(&raw.template_id.span(), format!("[notify.zalo.{}] template_id is empty", kind.as_str()));
        }
        let allowed = kind.placeholders();
        let mut data = Vec::new();
        for (param, value) in &raw.data {
            if let Err(p) = notice::fill(value.get_ref(), &|p| allowed.contains(&p).then(String::new)) {
                self.problem(
                    &value.span(),
                    format!(
                        "[notify.zalo.{}] data.{param} says {{{p}}}; it may use {}",
                        kind.as_str(),
                        allowed.iter().map(|a| format!("{{{a}}}")).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            data.push((param.clone(), nfc(value.get_ref())));
        }
        ZaloTemplate { template_id: id.to_string(), data }
    }
}

fn collect_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}
