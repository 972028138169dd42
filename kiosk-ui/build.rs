//! Compiles the `.slint` screens. Element debug info stays on outside release builds because
//! the UI tests find elements by id and accessible label through it.
fn main() {
    let debug_info = std::env::var("PROFILE").as_deref() != Ok("release");
    let config = slint_build::CompilerConfiguration::new().with_debug_info(debug_info);
    slint_build::compile_with_config("ui/app.slint", config).expect("slint compile");
}
