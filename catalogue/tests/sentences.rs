//! Citizens do not type procedure names: they type what happened to them ("bố tôi vừa mất"),
//! with filler, family words, everyday names of papers and question words, with or without
//! diacritics, with Telex keys left in and with typos. Each sentence below names the procedure
//! that must come back in the first three results of the sample catalogue.
//!
//! The sentences were written before the vocabulary (`config/catalog/vocabulary.toml`) and are
//! not copied into it nor into the procedures' keywords: the vocabulary holds words and short
//! phrases, these are whole sentences. Also checked here: a query that names a procedure's own
//! meaningful words always finds it, and a query that matches nothing says so (so the kiosk can
//! offer the fields) instead of returning an empty list silently.

use std::path::PathBuf;
use std::sync::OnceLock;

use catalogue::{fold, Catalog, Outcome};

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../config/catalog");
        Catalog::load_dir(dir).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// (what the citizen typed, code that must be in the top 3)
const SENTENCES: &[(&str, &str)] = &[
    // Đăng ký khai tử
    ("lam giay chung tu cho bo", "1.000656"),
    ("bo toi vua mat can lam thu tuc gi", "1.000656"),
    ("mẹ tôi mới qua đời, cần làm giấy tờ gì ở xã", "1.000656"),
    ("ong noi mat hom qua, xin giay bao tu o dau", "1.000656"),
    ("chồng tôi mất rồi làm khai tử thế nào", "1.000656"),
    ("ba em chet o benh vien, dang ki khai tu", "1.000656"),
    ("nguoi nha toi tu tran thi bao tu the nao", "1.000656"),
    ("bos tooi maats roif", "1.000656"),
    // Đăng ký khai sinh
    ("vợ tôi vừa sinh em bé, làm giấy khai sinh cho cháu", "1.001193"),
    ("con moi de duoc 1 thang chua co giay khai sinh", "1.001193"),
    ("đăng kí khai sinh cho con gái", "1.001193"),
    ("xin giay khai sinh cho be moi sinh", "1.001193"),
    ("lamf giaays khai sinh cho con", "1.001193"),
    ("khai snh cho con trai", "1.001193"),
    // Đăng ký kết hôn
    ("toi sap lay vo can giay to gi", "1.000894"),
    ("con gái tôi sắp lấy chồng, đăng ký kết hôn ở đâu", "1.000894"),
    ("hai dua muon lam giay dang ky ket hon", "1.000894"),
    ("cưới vợ thì làm giấy tờ gì ở phường", "1.000894"),
    ("ket hoon cho con trai", "1.000894"),
    // Cấp Giấy xác nhận tình trạng hôn nhân
    ("xin giay xac nhan doc than de lam ho so", "1.004873"),
    ("giấy chứng nhận độc thân để vay ngân hàng", "1.004873"),
    ("toi chua lay vo, can giay xac nhan chua ket hon", "1.004873"),
    // Cấp bản sao trích lục hộ tịch
    ("xin ban sao trich luc khai tu cua ba", "2.000635"),
    ("làm lại bản sao giấy khai sinh bị rách", "2.000635"),
    // Cư trú
    ("nhap khau cho vo ve nha chong", "1.004222"),
    ("chuyển hộ khẩu về nhà mới mua", "1.004222"),
    ("làm hộ khẩu cho con ở nhà ông bà", "1.004222"),
    ("dang ki thuong tru cho me", "1.004222"),
    ("sinh vien thue tro can dang ky tam tru khong", "1.004194"),
    ("o tro o thanh pho thi khai bao gi voi cong an", "1.004194"),
    ("đi làm xa, thuê nhà ở tạm thì đăng ký gì", "1.004194"),
    ("tam tru sap het han phai lam sao", "1.002755"),
    ("gia hạn tạm trú cho người thuê trọ", "1.002755"),
    ("cắt khẩu cho bà đã chuyển vào nam", "1.003197"),
    ("xoa ho khau cho nguoi da mat", "1.003197"),
    ("con trai lay vo ra o rieng muon tach ho khau", "1.010038"),
    ("tach so ho khau rieng", "1.010038"),
    ("di lam an xa nha lau ngay co phai bao tam vang khong", "1.003677"),
    ("nha co khach o lai qua dem thi bao cong an the nao", "2.001159"),
    ("xin giay xac nhan noi cu tru de nop cho truong hoc", "1.010041"),
    // Chứng thực
    ("photo cong chung can cuoc cong dan", "2.000815"),
    ("công chứng bằng tốt nghiệp để nộp hồ sơ xin việc", "2.000815"),
    ("sao y ban chinh hoc ba cho con", "2.000815"),
    ("xac nhan chu ky tren giay uy quyen", "2.000884"),
    ("ký tên trong đơn cần chứng thực chữ kí", "2.000884"),
    ("công chứng hợp đồng mua bán xe máy", "2.001035"),
    ("lam hop dong tang cho nha dat cho con", "2.001035"),
    ("làm di chúc để lại nhà cho con út", "2.001019"),
    ("chia tai san thua ke cua cha me de lai", "CXN.205"),
    // Hộ kinh doanh, doanh nghiệp
    ("mo tiem tap hoa nho can giay phep gi", "1.001612"),
    ("đăng ký kinh doanh quán cà phê", "1.001612"),
    ("dang ky ho ca the", "1.001612"),
    ("hộ cá thể", "1.001612"),
    ("xin giấy phép bán hàng ăn ở nhà", "1.001612"),
    ("khong buon ban nua muon dong cua tiem", "1.001266"),
    ("tam nghi ban hang vai thang co phai bao khong", "1.001570"),
    ("doi dia chi cua hang ho kinh doanh", "2.000720"),
    ("thanh lap cong ty tnhh mot thanh vien", "CXN.402"),
    // Xã hội
    ("con bi cam diec xin giay chung nhan khuyet tat", "1.001699"),
    ("ông bị liệt nửa người muốn làm giấy khuyết tật", "1.001699"),
    ("ba cu tren 80 tuoi xin tien tro cap hang thang", "1.001776"),
    ("mẹ già không lương hưu xin trợ cấp", "1.001776"),
    ("xin tien ho tro ma chay cho ong cu neo don", "1.001731"),
    ("dang ky ho ngheo", "1.011607"),
    ("nhà khó khăn muốn xin vào diện hộ cận nghèo", "1.011607"),
    ("lam so ho ngheo cho gia dinh", "1.011607"),
    ("bo toi la thuong binh vua mat, xin tien mai tang", "CXN.703"),
    ("xin giay xac nhan la con liet si", "CXN.704"),
    ("bi cong ty cho nghi viec muon nhan bao hiem that nghiep", "CXN.705"),
    ("mất việc làm xin trợ cấp", "CXN.705"),
    ("thue nguoi nuoc ngoai lam viec can giay phep gi", "CXN.706"),
    ("muốn nhận nuôi bé gái bị bỏ rơi", "2.001263"),
    ("xin phieu ly lich tu phap de di xuat khau lao dong", "3.000333"),
    ("giấy xác nhận không có tiền án tiền sự", "3.000333"),
    // Đất đai, xây dựng
    ("xin cap so do lan dau cho dat ong ba cho", "1.012753"),
    ("so do bi chay mat, xin cap lai", "CXN.502"),
    ("sang ten dat cho con trai", "CXN.501"),
    ("doi so do cu sang mau moi", "CXN.503"),
    ("chuyển đất vườn lên thổ cư", "CXN.504"),
    ("hàng xóm lấn đất nhà tôi", "CXN.506"),
    ("chia manh dat lam hai cho hai dua con", "CXN.507"),
    ("the chap so do vay ngan hang", "CXN.508"),
    ("xem quy hoach thua dat truoc khi mua", "CXN.505"),
    ("xây nhà 3 tầng có cần xin phép không", "1.013225"),
    ("sửa lại nhà cũ có phải xin giấy phép không", "1.013229"),
    ("giay phep xay dung sap het han", "1.013227"),
    // Hộ tịch, other
    ("doi ten cho con", "CXN.103"),
    ("sửa sai ngày sinh trong giấy khai sinh", "CXN.103"),
    ("lam giam ho cho em trai bi tam than", "CXN.101"),
    ("làm thủ tục nhận cha cho con", "CXN.102"),
    ("lay chong han quoc can giay to gi", "2.000806"),
    ("lam khai sinh, ho khau va the bao hiem y te cho be mot lan", "CXN.105"),
    ("mat giay khai sinh goc, so o xa cung khong con", "1.004884"),
];

fn top3(query: &str) -> Vec<String> {
    catalog().search(query, None, 3).results.iter().map(|p| p.code.clone()).collect()
}

#[test]
fn sentences_find_the_procedure_in_the_top_three() {
    assert!(SENTENCES.len() >= 80, "{} sentences", SENTENCES.len());
    let failures: Vec<String> = SENTENCES
        .iter()
        .filter_map(|&(query, code)| {
            let found = top3(query);
            (!found.iter().any(|c| c == code)).then(|| format!("{query:?}: wanted {code}, got {found:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} sentences failed:\n{}", failures.len(), SENTENCES.len(), failures.join("\n"));
}

#[test]
fn the_sentences_expect_procedures_that_exist() {
    for (query, code) in SENTENCES {
        assert!(catalog().get(code).is_some(), "{query:?} expects {code}, which is not in the sample catalogue");
    }
}

#[test]
fn the_sentences_are_not_copied_into_the_data() {
    let vocabulary = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../config/catalog/vocabulary.toml")).unwrap();
    let folded_vocabulary = fold(&vocabulary);
    let keywords: Vec<String> = catalog().procedures().iter().flat_map(|p| p.keywords.iter().map(|k| fold(k))).collect();
    for (query, _) in SENTENCES.iter().filter(|(q, _)| q.split_whitespace().count() >= 4) {
        let q = fold(query);
        assert!(!folded_vocabulary.contains(&q), "{query:?} is copied into vocabulary.toml");
        assert!(!keywords.contains(&q), "{query:?} is copied into a procedure's keywords");
    }
}

/// Words of a name that say which procedure it is (not "của", "và", "đối với"…).
fn meaningful_words(name: &str) -> Vec<String> {
    const GLUE: &[&str] = &["cua", "va", "cho", "doi", "voi", "trong", "tai", "cac", "mot", "ve", "do", "la", "da", "co", "khi"];
    catalogue::fold(name).split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 1 && !GLUE.contains(w)).map(str::to_owned).collect()
}

#[test]
fn a_query_naming_a_procedure_finds_it() {
    let mut failures = Vec::new();
    for p in catalog().procedures() {
        let words = meaningful_words(&p.name);
        let short: String = words.iter().take(4).cloned().collect::<Vec<_>>().join(" ");
        let queries =
            [p.name.clone(), fold(&p.name), format!("cho tôi hỏi thủ tục {} cho bố", p.name), format!("lam {short} can giay to gi")];
        for q in queries {
            let found = catalog().search(&q, None, 3);
            if found.results.is_empty() {
                failures.push(format!("{q:?} ({}) returned nothing", p.code));
            } else if !found.results.iter().any(|r| r.code == p.code) && q != format!("lam {short} can giay to gi") {
                failures.push(format!("{q:?}: wanted {}, got {:?}", p.code, found.results.iter().map(|r| &r.code).collect::<Vec<_>>()));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_first_word_of_a_name_typed_alone_finds_procedures() {
    // An ignored word must not hide a common word of the names once diacritics are left out
    // ("đang" would hide "dang", the first word of every "Đăng ký …").
    let mut failures = Vec::new();
    for p in catalog().procedures() {
        let first = fold(p.name.split_whitespace().next().unwrap());
        let found = catalog().search(&format!("{first} "), None, 5);
        if found.results.is_empty() {
            failures.push(format!("{first:?} (from {:?})", p.name));
        }
    }
    failures.dedup();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn filler_and_family_words_alone_match_nothing_and_say_so() {
    for q in ["cho tôi hỏi", "lam thu tuc gi", "bố mẹ tôi", "xin chào", "cần làm gì ở đâu "] {
        let found = catalog().search(q, None, 10);
        assert!(found.results.is_empty(), "{q:?} found {:?}", found.results.iter().map(|p| &p.name).collect::<Vec<_>>());
        assert_eq!(found.outcome, Outcome::NoMatch, "{q:?}");
        assert_eq!(found.fields.len(), catalog().fields().len(), "{q:?}: every field is offered");
    }
}

#[test]
fn an_unknown_word_is_reported_and_the_known_ones_still_match() {
    let found = catalog().search("dang ky khai tu gấpppp ", None, 3);
    assert_eq!(found.results[0].code, "1.000656");
    assert_eq!(found.outcome, Outcome::Partial);
    assert_eq!(found.unmatched, ["gấpppp"], "as typed");
    let found = catalog().search("zzxq wvvk ", None, 3);
    assert_eq!(found.outcome, Outcome::NoMatch);
    assert!(found.results.is_empty());
    let found = catalog().search("dang ky khai tu", None, 3);
    assert_eq!(found.outcome, Outcome::Found);
    assert!(found.fields.is_empty(), "fields are only offered when nothing matched");
}
