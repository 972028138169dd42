//! The `central` binary: everything lives in the library (`cli`), so tests run the same code.

fn main() -> std::process::ExitCode {
    central::cli::main()
}
