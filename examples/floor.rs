//! The floor of a build, for `bench/run`: every Markdown file of a
//! `content/` folder turned into HTML by pulldown-cmark, in parallel with
//! rayon, each written to its own `index.html` — no templates, no lists, no
//! checks. What no generator can beat on this machine; vitrine's time is
//! reported as a multiple of it.
//!
//! Usage: `cargo run --release --example floor -- CONTENT_DIR OUT_DIR`

use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn main() -> std::process::ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [content, out] = args.as_slice() else {
        eprintln!("usage: floor CONTENT_DIR OUT_DIR");
        return std::process::ExitCode::from(2);
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let failed = files
        .par_iter()
        .filter(|file| render(content, out, file).is_err())
        .count();
    if failed > 0 {
        eprintln!("floor: {failed} file(s) could not be read or written");
        return std::process::ExitCode::from(1);
    }
    std::process::ExitCode::SUCCESS
}

fn render(content: &Path, out: &Path, file: &Path) -> std::io::Result<()> {
    let text = std::fs::read_to_string(file)?;
    // The body: after the front matter's closing `---`, if any.
    let body = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(text.as_str(), |(_, body)| body);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    let rel = file
        .strip_prefix(content)
        .unwrap_or(file)
        .with_extension("");
    let dir = out.join(rel);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("index.html"), html)
}
