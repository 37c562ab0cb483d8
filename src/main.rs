//! The `vitrine` binary: everything lives in the library; see `cli`.

fn main() -> std::process::ExitCode {
    vitrine::cli::main()
}
