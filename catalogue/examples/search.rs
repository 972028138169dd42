//! How the kiosk understands and ranks a query, for editors of `config/catalog/vocabulary.toml`
//! and of procedures' `keywords`:
//! `cargo run -p catalogue --example search -- "bố tôi vừa mất cần làm gì"`.

fn main() {
    let dir = std::env::var("CATALOG_DIR").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../config/catalog").to_owned());
    let catalog = catalogue::Catalog::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    for query in std::env::args().skip(1) {
        let understood = catalog.understand(&query);
        println!("{query:?}\n  searched: {}\n  ignored:  {}", understood.searched.join(" "), understood.ignored.join(" "));
        let found = catalog.search(&query, None, 10);
        println!(
            "  outcome:  {:?} ({} matched){}",
            found.outcome,
            found.total,
            if found.unmatched.is_empty() { String::new() } else { format!(", unmatched: {}", found.unmatched.join(" ")) }
        );
        for (score, p) in catalog.search_with_scores(&query, 8) {
            println!("  {score:8.2}  {:<9} {}", p.code, p.name);
        }
    }
}
