//! The photos of `bench/photos`: COUNT photo-like JPEGs (sky, horizon,
//! hard-edged shapes, sensor noise; the generator of the tests), each
//! WIDTH × HEIGHT, numbered from 1, the same bytes every time. Saved as
//! phones save them: quality 90, colour at half resolution (4:2:0).
//!
//! Usage: `cargo run --release --example photos -- OUT_DIR COUNT WIDTH HEIGHT`

use std::path::{Path, PathBuf};

use rayon::prelude::*;

#[path = "../tests/common/pictures.rs"]
#[allow(dead_code)]
mod pictures;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [out, count, width, height] => count
            .parse::<u64>()
            .ok()
            .zip(width.parse::<u32>().ok())
            .zip(height.parse::<u32>().ok())
            .map(|((count, width), height)| (PathBuf::from(out), count, width, height)),
        _ => None,
    };
    let Some((out, count, width, height)) = parsed else {
        eprintln!("usage: photos OUT_DIR COUNT WIDTH HEIGHT");
        return std::process::ExitCode::from(2);
    };
    let failed = (1..=count)
        .into_par_iter()
        .filter(|n| write(&out, *n, width, height).is_err())
        .count();
    if failed > 0 {
        eprintln!("photos: {failed} photo(s) could not be written");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}

fn write(out: &Path, n: u64, width: u32, height: u32) -> Result<(), String> {
    let bytes = pictures::phone_jpeg(&pictures::photo_like(width, height, n));
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    std::fs::write(out.join(format!("photo-{n:02}.jpg")), bytes).map_err(|e| e.to_string())
}
