//! What citizens really type at the kiosk, run against the sample catalogue in `config/catalog`:
//! each query names the procedure that must come back in the top three. Also checks the sample
//! catalogue against the facts of `docs/domain.md` §4 and the import of a large file.

use std::path::PathBuf;
use std::sync::OnceLock;

use catalogue::{Catalog, ChannelKind, Level, Procedure, TimeUnit};
use unicode_normalization::UnicodeNormalization;

fn catalog_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../config/catalog")
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::load_dir(catalog_dir()).unwrap_or_else(|e| panic!("{e}")))
}

/// (what the citizen typed, code that must rank in the top 3, what the case is about)
const QUERIES: &[(&str, &str, &str)] = &[
    ("dang ky khai sinh", "1.001193", "no diacritics"),
    ("Đăng ký khai sinh", "1.001193", "with diacritics"),
    ("khai sinh", "1.001193", "part of the name"),
    ("dawng kys khai sinh", "1.001193", "Telex leftovers"),
    ("lam giay khai sinh cho con", "1.001193", "everyday words"),
    ("dang ky khai si", "1.001193", "typing the last word"),
    ("1.001193", "1.001193", "code"),
    ("1001193", "1.001193", "code without the dot"),
    ("dang ky ket hon", "1.000894", "no diacritics"),
    ("keets hoon", "1.000894", "Telex doubled vowels"),
    ("đăng ký kết h", "1.000894", "typing the last word"),
    ("\u{00D0}ăng ký kết hôn", "1.000894", "U+00D0 posing as Đ"),
    ("giay doc than", "1.004873", "colloquial name of the certificate"),
    ("xac nhan tinh trang hon nhana", "1.004873", "typo: extra letter"),
    ("bao tu", "1.000656", "colloquial"),
    ("DANG KY KHAI TU", "1.000656", "capitals"),
    ("trich luc khai sinh", "2.000635", "keyword"),
    ("ban sao giay khai sinh", "2.000635", "keyword"),
    ("nhap ho khau", "1.004222", "old household-book wording"),
    ("dang ky thuong tru", "1.004222", "no diacritics"),
    ("dang ky thuogn tru", "1.004222", "typo: swapped letters"),
    ("thuowngf truss", "1.004222", "Telex tone and shape keys"),
    ("tam tru", "1.004194", "no diacritics"),
    ("dang ky tamj trus", "1.004194", "Telex tones"),
    ("gia han tam tru", "1.002755", "no diacritics"),
    ("cat ho khau", "1.003197", "colloquial"),
    ("004222", "1.004222", "code without its first digit"),
    ("photo cong chung", "2.000815", "what people call it"),
    ("chung thuc ban sao", "2.000815", "no diacritics"),
    ("chuwngs thuwcj chuwx kys", "2.000884", "Telex"),
    ("chung thuc hop dong", "2.001035", "no diacritics"),
    ("hop dong mua ban nha", "2.001035", "keyword"),
    ("mo quan", "1.001612", "what people call it"),
    ("dang ky ho kinh doanh", "1.001612", "no diacritics"),
    ("thanh lap ho kinh doan", "1.001612", "typing the last word"),
    ("dong cua ho kinh doanh", "1.001266", "colloquial"),
    ("cham dut hoat dong ho kinh doanh", "1.001266", "no diacritics"),
    ("ho ngheo", "1.011607", "no diacritics"),
    ("hộ cận nghèo", "1.011607", "with diacritics"),
    ("giay xac nhan khuyet tat", "1.001699", "keyword"),
    ("khuyeets taajt", "1.001699", "Telex"),
    ("tro cap xa hoi hang thang", "1.001776", "no diacritics"),
    ("tro cap nguoi gia", "1.001776", "colloquial"),
    ("lam so do", "1.012753", "colloquial"),
    ("mat so do", "CXN.502", "colloquial"),
    ("sang ten so do", "CXN.501", "colloquial"),
    ("xin phep xay nha", "1.013225", "colloquial"),
    ("hoà giải tranh chấp đất", "CXN.506", "new tone placement"),
    ("hòa giải tranh chấp đất", "CXN.506", "old tone placement"),
    ("ly lich tu phap", "3.000333", "no diacritics"),
    ("ly lich tu ph", "3.000333", "typing the last word"),
    ("bao hiem that nghiep", "CXN.705", "keyword"),
    ("the bhyt cho tre", "CXN.105", "abbreviation in a keyword"),
    ("ho tro chi phi mai tang", "1.001731", "no diacritics"),
    ("giay phep lao dong nguoi nuoc ngoai", "CXN.706", "no diacritics"),
    ("nhận con nuôi", "2.001263", "with diacritics"),
    ("giay chung tu", "1.000656", "what the paper is called, not the procedure"),
    ("so hong", "1.012753", "colloquial name of the land certificate"),
    ("cap lai so do", "CXN.502", "colloquial name, reissue"),
    ("tach thua", "CXN.507", "no diacritics"),
    ("giay doc than", "1.004873", "colloquial name"),
    ("xay nha", "1.013225", "what the citizen wants to do"),
    ("tro cap that nghiep", "CXN.705", "no diacritics"),
];

fn top3(query: &str) -> Vec<String> {
    catalog().search(query, None, 3).results.iter().map(|p| p.code.clone()).collect()
}

#[test]
fn realistic_queries_find_the_procedure_in_the_top_three() {
    assert!(QUERIES.len() >= 40);
    let failures: Vec<String> = QUERIES
        .iter()
        .filter_map(|&(query, code, why)| {
            let found = top3(query);
            (!found.iter().any(|c| c == code)).then(|| format!("{query:?} ({why}): wanted {code}, got {found:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} queries failed:\n{}", failures.len(), QUERIES.len(), failures.join("\n"));
}

#[test]
fn exact_names_and_codes_rank_first() {
    for (query, code) in [
        ("dang ky khai sinh", "1.001193"),
        ("đăng ký kết hôn", "1.000894"),
        ("dang ky thuong tru", "1.004222"),
        ("1.004194", "1.004194"),
        ("2000815", "2.000815"),
        ("giay chung tu", "1.000656"),
    ] {
        assert_eq!(top3(query)[0], code, "{query}");
    }
}

#[test]
fn decomposed_input_finds_the_same_procedure() {
    let nfd: String = "Đăng ký khai tử".nfd().collect();
    assert_eq!(top3(&nfd)[0], "1.000656");
}

#[test]
fn field_filter_keeps_only_that_field() {
    let found = catalog().search("dang ky", Some("Cư trú"), 100);
    assert!(found.total >= 2);
    assert!(found.results.iter().all(|p| p.field == "Cư trú"));
    let by_code = catalog().search("dang ky", Some("cu-tru"), 100);
    assert_eq!(by_code.total, found.total);
}

fn get(code: &str) -> &'static Procedure {
    catalog().get(code).unwrap_or_else(|| panic!("{code} missing from the sample catalogue"))
}

#[test]
fn the_sample_holds_every_procedure_of_domain_md_with_its_facts() {
    assert!(catalog().len() >= 80);
    for code in [
        "1.001193", "1.000894", "1.000656", "1.004873", "2.000635", "2.000815", "2.000884", "2.001035", "1.004222", "1.004194", "1.001612",
        "1.001266", "1.001699", "1.001776", "1.011607",
    ] {
        get(code);
    }
    let khai_sinh = get("1.001193");
    assert_eq!(khai_sinh.same_day_cutoff.unwrap().to_string(), "15:00");
    assert_eq!(khai_sinh.channel(ChannelKind::Direct).unwrap().time_limit.kind, TimeUnit::SameDay);
    let ket_hon = get("1.000894").channel(ChannelKind::Direct).unwrap();
    assert!(ket_hon.time_limit.text.contains("05 ngày làm việc"));
    let ban_sao = get("2.000815");
    assert_eq!(ban_sao.same_day_cutoff.unwrap().to_string(), "15:00");
    let vnd: Vec<u64> = ban_sao.channel(ChannelKind::Direct).unwrap().fee.amounts.iter().map(|a| a.vnd).collect();
    assert_eq!(vnd, [2000, 1000, 200000]);
    assert_eq!(get("2.000884").channels[0].fee.amounts[0].vnd, 10_000);
    assert_eq!(get("2.001035").channels[0].fee.amounts[0].vnd, 50_000, "chứng thực hợp đồng, giao dịch");
    assert_eq!(get("2.001019").name, "Chứng thực di chúc");
    let thuong_tru = get("1.004222");
    assert_eq!(thuong_tru.agency, "Công an cấp xã");
    let direct = thuong_tru.channel(ChannelKind::Direct).unwrap();
    assert_eq!((direct.time_limit.kind, direct.time_limit.amount), (TimeUnit::WorkingDays, Some(7)));
    assert_eq!(direct.fee.amounts[0].vnd, 20_000);
    assert_eq!(thuong_tru.channel(ChannelKind::Online).unwrap().fee.amounts[0].vnd, 10_000);
    let tam_tru = get("1.004194");
    assert_eq!(tam_tru.channel(ChannelKind::Direct).unwrap().fee.amounts[0].vnd, 15_000);
    assert_eq!(tam_tru.channel(ChannelKind::Online).unwrap().fee.amounts[0].vnd, 7_000);
    assert_eq!(get("1.001612").channels[0].time_limit.amount, Some(3));
}

#[test]
fn the_sample_is_after_the_2025_reform_and_uses_the_default_services() {
    let services = [
        ("Hộ tịch", "A"),
        ("Chứng thực", "A"),
        ("Lý lịch tư pháp", "A"),
        ("Nuôi con nuôi", "A"),
        ("Cư trú", "B"),
        ("Đất đai", "C"),
        ("Xây dựng", "C"),
        ("Hộ kinh doanh", "D"),
        ("Thành lập và hoạt động doanh nghiệp", "D"),
    ];
    for p in catalog().procedures() {
        assert!(!p.agency.to_lowercase().contains("huyện"), "{}: {}", p.code, p.agency);
        if let Some((_, letter)) = services.iter().find(|(field, _)| *field == p.field) {
            assert_eq!(p.service, *letter, "{}", p.code);
        } else {
            assert_eq!(p.service, "E", "{} ({})", p.code, p.field);
        }
    }
    let levels: Vec<Level> = catalog().procedures().iter().map(|p| p.level).collect();
    assert!(levels.contains(&Level::Province) && levels.contains(&Level::Commune));
}

#[test]
fn checklist_of_birth_registration() {
    let lines = get("1.001193").checklist().lines();
    let expected = [
        "[ ] 2. Giấy chứng sinh: 1 bản chính (Không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận việc sinh)",
        "[ ] 3. Biên bản xác nhận việc trẻ bị bỏ rơi: 1 bản chính - Chỉ khi: trường hợp trẻ bị bỏ rơi",
        "[ ] 5. Giấy tờ tùy thân của người đi đăng ký (Căn cước, hộ chiếu): 1 bản chính (xuất trình để đối chiếu)",
    ];
    for line in expected {
        assert!(lines.contains(&line.to_owned()), "missing {line:?} in {lines:#?}");
    }
    assert!(lines.iter().any(|l| l.starts_with("Nộp trực tuyến: https://dichvucong.gov.vn/")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("sau 15:00")), "{lines:#?}");
}

#[test]
fn a_large_provincial_file_imports() {
    let dir = std::env::temp_dir().join(format!("catalog-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = catalog().procedures();
    let procedures: Vec<Procedure> = (0..2_500)
        .map(|i| {
            let mut p = base[i % base.len()].clone();
            p.code = format!("9.{i:06}");
            p.name = format!("{} (bản {})", p.name, i / base.len());
            p
        })
        .collect();
    let path = dir.join("province.json");
    std::fs::write(&path, serde_json::to_string(&serde_json::json!({ "procedure": procedures })).unwrap()).unwrap();
    let imported = Catalog::load_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.len(), 2_500);
    assert_eq!(imported.get("9.002499").unwrap().code, "9.002499");
    assert!(imported.search("dang ky khai sinh", None, 10).total >= 2_500 / base.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn documents_needed_only_in_a_case_say_so_and_papers_shown_have_a_note() {
    for p in catalog().procedures() {
        for d in &p.documents {
            let name = d.name.to_lowercase();
            if name.contains("nếu có") || name.starts_with("trường hợp") {
                assert!(d.case.is_some(), "{} {:?}: write the case in `case`, not in the name", p.code, d.name);
            }
            if name.contains("tùy thân") && d.originals > 0 {
                assert!(
                    d.note.as_deref().is_some_and(|n| n.contains("đối chiếu")),
                    "{} {:?}: a paper shown needs its note",
                    p.code,
                    d.name
                );
            }
        }
    }
    let khai_sinh = get("1.001193").checklist();
    let abandoned = khai_sinh.documents.iter().find(|d| d.name.contains("bỏ rơi")).unwrap();
    assert_eq!(abandoned.case_text.as_deref(), Some("Chỉ khi: trường hợp trẻ bị bỏ rơi"));
}

#[test]
fn time_limit_variants_of_the_sample() {
    use catalogue::TimeLimitError;
    let days = |code: &str, channel: ChannelKind, variant: Option<&str>| {
        let t = get(code).time_limit(channel, variant).unwrap_or_else(|e| panic!("{code}: {e}"));
        (t.kind, t.amount)
    };
    assert_eq!(days("1.000894", ChannelKind::Direct, None), (TimeUnit::SameDay, None), "kết hôn: the same day");
    assert_eq!(days("1.000894", ChannelKind::Direct, Some("xac_minh")), (TimeUnit::WorkingDays, Some(5)));
    assert_eq!(days("1.000894", ChannelKind::Online, Some("xac_minh")), (TimeUnit::WorkingDays, Some(5)));
    assert_eq!(days("1.000656", ChannelKind::Direct, Some("xac_minh")), (TimeUnit::WorkingDays, Some(3)), "khai tử");
    assert_eq!(days("1.004873", ChannelKind::Direct, Some("xac_minh")), (TimeUnit::CalendarDays, Some(23)), "tình trạng hôn nhân");
    assert_eq!(days("CXN.105", ChannelKind::Direct, None), (TimeUnit::WorkingDays, Some(3)), "child bundle");
    assert_eq!(days("CXN.105", ChannelKind::Direct, Some("xac_minh")), (TimeUnit::WorkingDays, Some(5)));
    assert_eq!(days("1.000689", ChannelKind::Direct, Some("xac_minh")), (TimeUnit::WorkingDays, Some(5)));
    assert_eq!(days("1.010041", ChannelKind::Direct, None), (TimeUnit::Hours, Some(4)), "xác nhận cư trú: 1/2 working day");
    assert_eq!(days("3.000333", ChannelKind::Post, Some("xac_minh")), (TimeUnit::CalendarDays, Some(15)), "lý lịch tư pháp");
    assert_eq!(get("1.000894").time_limit(ChannelKind::Direct, Some("nhanh")), Err(TimeLimitError::UnknownVariant("nhanh".into())));
    let with_variants = catalog().procedures().iter().filter(|p| !p.variants.is_empty()).count();
    assert!(with_variants >= 12, "{with_variants} procedures with variants");
}

#[test]
fn placeholder_codes_are_never_shown_as_the_procedure_code() {
    let placeholders: Vec<&Procedure> = catalog().procedures().iter().filter(|p| p.code.starts_with("CXN.")).collect();
    assert!(!placeholders.is_empty());
    for p in placeholders {
        assert!(p.code_is_placeholder(), "{}: a local code must list \"code\" in `unconfirmed`", p.code);
        assert_eq!(p.public_code(), None);
        let lines = p.checklist().lines();
        assert!(lines.iter().any(|l| l.starts_with("Mã thủ tục: đang cập nhật")), "{lines:#?}");
        assert!(!lines.iter().any(|l| l.contains(&p.code)), "{} printed on the checklist: {lines:#?}", p.code);
    }
    assert_eq!(get("1.010038").public_code(), Some("1.010038"), "Tách hộ has its national code");
}

#[test]
fn agencies_follow_the_2025_organisation() {
    for p in catalog().procedures() {
        let agency = p.agency.to_lowercase();
        assert!(!agency.contains("thương binh"), "{}: the labour–invalids ministry was merged on 1/3/2025: {}", p.code, p.agency);
        if p.field == "Lý lịch tư pháp" {
            assert!(agency.contains("công an"), "{}: criminal records are issued by the police since 2025: {}", p.code, p.agency);
        }
    }
    let tach_ho = get("1.010038");
    assert_eq!(tach_ho.channel(ChannelKind::Direct).unwrap().time_limit.amount, Some(5), "Luật Cư trú art. 25: 05 working days");
    assert!(tach_ho.documents.iter().any(|d| d.case.as_deref().is_some_and(|c| c.contains("ly hôn"))), "the divorce case has its paper");
}
