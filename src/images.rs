//! Responsive images: resized variants of the pictures of page bundles
//! (author photos, images in the text), for `srcset`.
//!
//! Variants are cached under `.vitrine-cache/images/` by content hash, so a
//! picture is resized once, and the same picture always gives the same bytes.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::Content;
use crate::diagnostics::{shown_path, Diagnostic};
use crate::output::{Contents, OutputFile};

/// Widths offered in `srcset` (never larger than the original).
pub const WIDTHS: [u32; 3] = [320, 640, 1280];
const JPEG_QUALITY: u8 = 80;
pub const CACHE_DIR: &str = ".vitrine-cache/images";

/// One picture and its variants, as templates and Markdown use them.
#[derive(Debug, Clone, Serialize)]
pub struct Responsive {
    /// Output path of the original (`temoignages/julien/photo.jpg`).
    pub path: String,
    pub width: u32,
    pub height: u32,
    /// (output path, width) of each smaller variant, smallest first.
    pub variants: Vec<(String, u32)>,
}

impl Responsive {
    /// `srcset` with URLs made by `link`.
    pub fn srcset(&self, link: impl Fn(&str) -> String) -> String {
        self.variants
            .iter()
            .map(|(path, w)| (path.as_str(), *w))
            .chain(std::iter::once((self.path.as_str(), self.width)))
            .map(|(path, w)| format!("{} {w}w", link(path)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn is_image(path: &Path) -> bool {
    matches!(
        path.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .as_deref(),
        Some("jpg" | "jpeg" | "png" | "webp")
    )
}

/// Pictures of published bundles, by source path.
#[derive(Debug, Default)]
pub struct Images {
    pub by_source: HashMap<PathBuf, Responsive>,
}

impl Images {
    /// The picture written at output path `dest`.
    pub fn by_dest(&self, dest: &str) -> Option<&Responsive> {
        self.by_source.values().find(|r| r.path == dest)
    }
}

/// `sizes` for pictures in the text column (at most ~42rem wide).
pub const PROSE_SIZES: &str = "(max-width: 44rem) 100vw, 42rem";

/// Decodes every picture of the published bundles and makes its variants
/// (`write_variants` false for `check`: only decode). Each file made comes
/// with the source picture it was made from: the build writes it only if
/// that source is published.
pub fn prepare(
    content: &Content,
    root: &Path,
    write_variants: bool,
) -> (Images, Vec<(PathBuf, OutputFile)>, Vec<Diagnostic>) {
    let bundles: Vec<&Path> = content
        .pages
        .iter()
        .filter(|p| p.is_published())
        .filter_map(|p| p.bundle_dir.as_deref())
        .collect();
    let todo: Vec<(&PathBuf, &String)> = content
        .assets
        .iter()
        .filter(|a| is_image(&a.source) && bundles.iter().any(|b| a.source.starts_with(b)))
        .map(|a| (&a.source, &a.dest))
        .collect();
    let cache = root.join(CACHE_DIR);
    let results: Vec<_> = todo
        .par_iter()
        .map(|(source, dest)| process(source, dest, &cache, write_variants, root))
        .collect();
    let mut images = Images::default();
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for ((source, _), result) in todo.iter().zip(results) {
        match result {
            Ok((responsive, variant_files)) => {
                images.by_source.insert((*source).clone(), responsive);
                files.extend(variant_files.into_iter().map(|f| ((*source).clone(), f)));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    (images, files, diagnostics)
}

/// What is wrong with a picture, in the writer's language (the image
/// crate's own messages are English and technical).
fn describe(error: &image::ImageError) -> String {
    match error {
        image::ImageError::Unsupported(_) => crate::i18n::image_unsupported(),
        image::ImageError::Decoding(_) => crate::i18n::image_damaged(),
        image::ImageError::Limits(_) => crate::i18n::image_too_large(),
        other => other.to_string(),
    }
}

fn bad_image(root: &Path, source: &Path, detail: &str) -> Diagnostic {
    Diagnostic::error("bad-image", crate::i18n::bad_image(detail))
        .at_file(&shown_path(root, source))
        .help(crate::i18n::hint_bad_image())
}

fn process(
    source: &Path,
    dest: &str,
    cache: &Path,
    write_variants: bool,
    root: &Path,
) -> Result<(Responsive, Vec<OutputFile>), Diagnostic> {
    let bytes = std::fs::read(source).map_err(|e| bad_image(root, source, &e.to_string()))?;
    let format = image::guess_format(&bytes).map_err(|e| bad_image(root, source, &describe(&e)))?;
    let (width, height) = image::ImageReader::with_format(Cursor::new(&bytes), format)
        .into_dimensions()
        .map_err(|e| bad_image(root, source, &describe(&e)))?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    // WebP is only decoded (its encoder here is lossless-only, so variants
    // would be larger than the original).
    let widths: Vec<u32> = if format == ImageFormat::WebP {
        Vec::new()
    } else {
        WIDTHS.iter().copied().filter(|w| *w < width).collect()
    };
    let mut decoded: Option<DynamicImage> = None;
    let mut variants = Vec::new();
    let mut files = Vec::new();
    if !write_variants {
        // `check` still proves the picture decodes.
        image::load_from_memory_with_format(&bytes, format)
            .map_err(|e| bad_image(root, source, &describe(&e)))?;
    }
    for w in widths {
        let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
            .max(1) as u32;
        let variant_path = variant_path(dest, w);
        if write_variants {
            let ext = extension(format);
            let cached = cache.join(format!("{}-{w}.{ext}", &hash[..32]));
            if !cached.is_file() {
                if decoded.is_none() {
                    decoded = Some(
                        image::load_from_memory_with_format(&bytes, format)
                            .map_err(|e| bad_image(root, source, &describe(&e)))?,
                    );
                }
                let img = decoded
                    .as_ref()
                    .map(|d| d.resize_exact(w, h, FilterType::Lanczos3));
                if let Some(img) = img {
                    let encoded = encode(&img, format)
                        .map_err(|e| bad_image(root, source, &e.to_string()))?;
                    write_cache(&cached, &encoded);
                    files.push(OutputFile {
                        path: variant_path.clone(),
                        contents: Contents::Bytes(encoded.into()),
                    });
                    variants.push((variant_path, w));
                    continue;
                }
            }
            files.push(OutputFile {
                path: variant_path.clone(),
                contents: Contents::Copy(cached),
            });
        }
        variants.push((variant_path, w));
    }
    Ok((
        Responsive {
            path: dest.to_string(),
            width,
            height,
            variants,
        },
        files,
    ))
}

/// `a/photo.jpg` → `a/photo-640w.jpg`.
fn variant_path(dest: &str, width: u32) -> String {
    match dest.rfind('.') {
        Some(dot) if !dest[dot..].contains('/') => {
            format!("{}-{width}w{}", &dest[..dot], &dest[dot..])
        }
        _ => format!("{dest}-{width}w"),
    }
}

fn extension(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "png",
        _ => "jpg",
    }
}

/// PNG stays PNG (keeps transparency); everything else becomes JPEG.
fn encode(img: &DynamicImage, format: ImageFormat) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        ImageFormat::Png => img.write_with_encoder(PngEncoder::new(&mut out))?,
        _ => DynamicImage::ImageRgb8(img.to_rgb8())
            .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))?,
    }
    Ok(out)
}

/// Best effort: a cache that cannot be written only costs time.
fn write_cache(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() {
        let _ = std::fs::rename(&tmp, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names() {
        assert_eq!(
            variant_path("t/julien/photo.jpg", 640),
            "t/julien/photo-640w.jpg"
        );
        assert_eq!(variant_path("t/x", 320), "t/x-320w");
    }

    #[test]
    fn srcset_lists_variants_then_original() {
        let r = Responsive {
            path: "a/p.jpg".into(),
            width: 1600,
            height: 2000,
            variants: vec![("a/p-320w.jpg".into(), 320), ("a/p-640w.jpg".into(), 640)],
        };
        assert_eq!(
            r.srcset(|p| format!("/{p}")),
            "/a/p-320w.jpg 320w, /a/p-640w.jpg 640w, /a/p.jpg 1600w"
        );
    }
}
