//! Sentences written after the vocabulary was finished and measured once before any change, to
//! estimate how the search does on sentences it was not tuned on (the first run's figure is in
//! docs/PERFORMANCE.md). Unlike `sentences.rs`, this table asserts a share, not every line.

use std::path::PathBuf;
use std::sync::OnceLock;

use catalogue::Catalog;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::load_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../config/catalog")).unwrap_or_else(|e| panic!("{e}"))
    })
}

const HELD_OUT: &[(&str, &str)] = &[
    ("cha toi mat tuan truoc, o xa lam giay gi", "1.000656"),
    ("ông ngoại vừa tạ thế cần báo cho xã", "1.000656"),
    ("giay bao tu cua me toi", "1.000656"),
    ("đăng ký khai tử cho bà nội", "1.000656"),
    ("con toi sinh o nha khong co giay chung sinh", "1.001193"),
    ("be moi chao doi can lam giay to gi", "1.001193"),
    ("làm giấy khai sinh muộn cho con đã 3 tuổi", "1.001193"),
    ("khai sinh cho con gai moi sinh o benh vien", "1.001193"),
    ("muon dang ky ket hon voi ban gai", "1.000894"),
    ("chúng tôi định cưới vào tháng sau, cần giấy gì", "1.000894"),
    ("lay vo nguoi trung quoc", "2.000806"),
    ("xin giấy xác nhận tình trạng độc thân để lấy chồng nước ngoài", "1.004873"),
    ("cap giay xac nhan doc than", "1.004873"),
    ("xin ban sao giay khai sinh cho con di hoc", "2.000635"),
    ("dang ky thuong tru cho vo moi cuoi", "1.004222"),
    ("nhập hộ khẩu cho cháu ngoại", "1.004222"),
    ("thuê phòng trọ gần trường cần đăng ký gì", "1.004194"),
    ("dang ky tam tru cho cong nhan thue nha", "1.004194"),
    ("gia hạn tạm trú thêm một năm", "1.002755"),
    ("xoa dang ky tam tru khi chuyen di noi khac", "1.010028"),
    ("tách hộ riêng cho con trai đã lập gia đình", "1.010038"),
    ("di xuat khau lao dong nuoc ngoai bao vang", "1.003677"),
    ("khach den o nha qua dem phai khai bao khong", "2.001159"),
    ("xin giấy xác nhận cư trú CT07", "1.010041"),
    ("chứng thực bản sao sổ đỏ", "2.000815"),
    ("photo coong chuwngs giay to", "2.000815"),
    ("chung thuc chu ky giay uy quyen", "2.000884"),
    ("chứng thực bản dịch tiếng anh", "2.001008"),
    ("chứng thực hợp đồng cho thuê nhà", "2.001035"),
    ("lap di chuc tai ubnd xa", "2.001019"),
    ("khai nhận di sản thừa kế của bố", "CXN.205"),
    ("mo quan an sang can dang ky gi", "1.001612"),
    ("dang ky ho kinh doanh ban tap hoa", "1.001612"),
    ("thay doi chu ho kinh doanh", "2.000720"),
    ("xin cấp lại giấy chứng nhận hộ kinh doanh bị mất", "2.000575"),
    ("dong cua ho kinh doanh vi thua lo", "1.001266"),
    ("xin giay phep thanh lap doanh nghiep tu nhan", "CXN.401"),
    ("xác định mức độ khuyết tật cho con bị tự kỷ", "1.001699"),
    ("tro cap cho nguoi khuyet tat nang", "1.001776"),
    ("ho tro tien chon cat cho nguoi neo don", "1.001731"),
    ("xét hộ cận nghèo năm nay", "1.011607"),
    ("thoat ngheo roi muon ra khoi danh sach", "CXN.701"),
    ("huong che do mai tang phi nguoi co cong", "CXN.703"),
    ("lanh tro cap that nghiep", "CXN.705"),
    ("giấy phép lao động cho kỹ sư người nhật", "CXN.706"),
    ("xin nhan con nuoi trong nuoc", "2.001263"),
    ("lam ly lich tu phap so 1", "3.000333"),
    ("cap so hong lan dau", "1.012753"),
    ("mat so hong xin cap lai", "CXN.502"),
    ("sang ten so do cho con", "CXN.501"),
    ("chuyen muc dich dat nong nghiep sang dat o", "CXN.504"),
    ("tranh chap ranh gioi dat voi nha ben", "CXN.506"),
    ("tach thua dat de ban", "CXN.507"),
    ("xin phep xay nha 2 tang", "1.013225"),
    ("gia han giay phep xay dung", "1.013227"),
    ("cải chính ngày tháng năm sinh cho mẹ", "CXN.103"),
    ("dang ky giam ho cho chau mo coi", "CXN.101"),
    ("nhan cha con cho chau", "CXN.102"),
    ("khai sinh cho con kem the bhyt", "CXN.105"),
];

#[test]
fn held_out_sentences_mostly_find_the_procedure() {
    let failures: Vec<String> = HELD_OUT
        .iter()
        .filter_map(|&(query, code)| {
            let found: Vec<String> = catalog().search(query, None, 3).results.iter().map(|p| p.code.clone()).collect();
            (!found.contains(&code.to_owned())).then(|| format!("{query:?}: wanted {code}, got {found:?}"))
        })
        .collect();
    let share = 1.0 - failures.len() as f64 / HELD_OUT.len() as f64;
    println!("held-out: {}/{} in the top 3 ({:.1} %)", HELD_OUT.len() - failures.len(), HELD_OUT.len(), share * 100.0);
    assert!(
        share >= 0.95,
        "{:.1} % of {} held-out sentences in the top 3; misses:\n{}",
        share * 100.0,
        HELD_OUT.len(),
        failures.join("\n")
    );
}
