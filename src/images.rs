//! Published pictures: every JPEG, PNG and WebP of `content/` (bundle
//! photos, pictures that Markdown links to) is decoded, turned upright (EXIF
//! orientation) and published re-encoded: at the original's output path, at
//! most [`MAX_WIDTH`] px wide, plus smaller variants for `srcset`.
//! Re-encoding writes pixels only, so nothing of the original's metadata
//! (EXIF with its GPS position, artist and camera serial, XMP, IPTC, ICC
//! profile, comments) is published: no original leaves the site as-is.
//!
//! Pictures published as they are (`static/`, themes) are not re-encoded:
//! their metadata segments and chunks are cut out ([`strip`]).
//!
//! Other picture formats are never published: an SVG drawing is checked
//! and cleaned as text ([`svg`]); a format whose metadata vitrine cannot
//! remove (TIFF, GIF, HEIC, AVIF, BMP, camera RAW…) is an error where a page
//! uses it, with the fix: convert it to JPEG, PNG or WebP.
//!
//! Outputs are cached under `.vitrine-cache/images/` by content hash and
//! settings, so a picture is encoded once, and the same picture always gives
//! the same bytes. Pictures are measured before they are decoded: one too
//! large to decode safely is an error, never a huge allocation.
//!
//! A cold build spends its time here, so the work is cut where the eye
//! cannot tell: a large JPEG is decoded at 1/2, 1/4 or 1/8 scale (its DCT
//! blocks give that at a fraction of the cost), never below the published
//! size; resizing is SIMD Lanczos3; and each variant is made from the next
//! larger one, not from the full picture.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, Limits};
use rayon::prelude::*;

use crate::i18n::Text;
use serde::Serialize;

use crate::content::Content;
use crate::diagnostics::{shown_path, Diagnostic};
use crate::output::{Contents, OutputFile};

/// Widths offered in `srcset` below the published picture (only those
/// smaller than it).
pub const WIDTHS: [u32; 3] = [320, 640, 1280];
/// Widest published picture, written at the original's path: sharp on a
/// 2× screen across the text column, a fraction of a camera's 4000 px.
pub const MAX_WIDTH: u32 = 1600;
const JPEG_QUALITY: u8 = 80;
pub const CACHE_DIR: &str = ".vitrine-cache/images";
/// Part of every cache key: change it whenever the bytes made from a
/// picture change (sizes, quality, encoders), so old entries are not reused.
const CACHE_VERSION: &str = "3: upright, no metadata, max 1600, DCT-scaled JPEG decoding";

/// Pictures with more pixels are refused before decoding: 50 megapixels
/// (a 48 MP phone photo passes) decode to at most 200 MB in 8-bit RGBA.
const MAX_PIXELS: u64 = 50_000_000;
/// Most bytes one decoded picture may take (16-bit pictures count double).
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;

/// A source photo above either is worth a warning: heavier than the site
/// needs (the writer may not know it is published smaller).
const HEAVY_BYTES: u64 = 5_000_000;
const HEAVY_SIDE: u32 = 4000;

/// One published picture and its variants, as templates and Markdown use them.
#[derive(Debug, Clone, Serialize)]
pub struct Responsive {
    /// Output path of the largest published picture, the original's own
    /// path (`temoignages/julien/photo.jpg`), re-encoded.
    pub path: String,
    /// Size of that picture, upright.
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

    /// Every output path this picture writes: the picture, then its variants.
    pub fn outputs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.path.as_str()).chain(self.variants.iter().map(|(p, _)| p.as_str()))
    }
}

mod strip;
mod svg;

/// A JPEG, PNG or WebP file published as it is (a site's `static/` logo, a
/// theme's picture), without its metadata and with its pixels untouched
/// ([`strip`]); `None` when `source` is not one of those.
pub fn as_is_without_metadata(root: &Path, source: &Path) -> Option<Result<Vec<u8>, Diagnostic>> {
    // The name decides when it says JPEG, PNG or WebP (a damaged one is an
    // error); else the first bytes do: `photo.jpg.bak` is a JPEG too.
    let extension = match picture(source) {
        Some(Picture::Photo) => source.extension()?.to_string_lossy().to_ascii_lowercase(),
        _ => match sniff(&first_bytes(source)) {
            Some("JPEG") => "jpg".to_string(),
            Some("PNG") => "png".to_string(),
            Some("WebP") => "webp".to_string(),
            _ => return None,
        },
    };
    let shown = shown_path(root, source);
    let bytes = match std::fs::read(source) {
        Ok(bytes) => bytes,
        Err(e) => return Some(Err(Diagnostic::unreadable(&shown, &e))),
    };
    Some(strip::strip(&extension, bytes)?.map_err(|bad| {
        Diagnostic::error(
            "unsupported-picture",
            crate::i18n::static_picture_damaged(bad.format),
        )
        .at_file(&shown)
        .help(crate::i18n::hint_static_picture_damaged())
    }))
}

/// The first bytes of `path`, enough for [`sniff`]; none when unreadable.
fn first_bytes(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut start = Vec::with_capacity(16);
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(16).read_to_end(&mut start);
    }
    start
}

/// A warning for a file of `static/`, copied as it is, that is a picture
/// vitrine cannot clean (a TIFF, a HEIC): its metadata goes with it.
pub fn uncleanable_static_picture(root: &Path, source: &Path) -> Option<Diagnostic> {
    let ext = source
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let named = ["tif", "tiff", "heic", "heif", "hif", "avif"].contains(&ext.as_str());
    let start = first_bytes(source);
    let heif_brand = [
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis",
    ]
    .iter()
    .any(|brand| start.get(4..8) == Some(b"ftyp") && start.get(8..12) == Some(&brand[..]));
    let format = match sniff(&start) {
        Some("TIFF") => "TIFF",
        Some("HEIC/AVIF") if heif_brand => "HEIC/AVIF",
        _ if named => "TIFF/HEIC",
        _ => return None,
    };
    Some(
        Diagnostic::warning(
            "unsupported-picture",
            crate::i18n::static_picture_uncleanable(format),
        )
        .at_file(&shown_path(root, source))
        .help(crate::i18n::hint_static_picture_uncleanable()),
    )
}

/// What kind of picture a file is, by its extension (any case): the one
/// place that decides what a picture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    /// Decoded and re-encoded without metadata: JPEG (`.jpg`, `.jpeg`,
    /// `.jpe`, `.jfif`), PNG, WebP.
    Photo,
    /// A drawing, checked and cleaned as text.
    Svg,
    /// A picture format whose metadata vitrine cannot remove: never published.
    Unsupported,
}

/// Extensions of picture formats that vitrine cannot clean: they carry EXIF,
/// XMP or comments (a GIF's comment block, a HEIC's GPS position).
const UNSUPPORTED: [&str; 35] = [
    "gif", "tif", "tiff", "bmp", "dib", "heic", "heif", "hif", "avif", "jxl", "jp2", "j2k", "jpf",
    "jpx", "jpm", "apng", "ico", "cur", "psd", "xcf", "dng", "cr2", "cr3", "crw", "nef", "nrw",
    "arw", "orf", "rw2", "raf", "pef", "srw", "tga", "exr", "svgz",
];

/// The kind of picture `path` is, or `None` when it is not a picture.
pub fn picture(path: &Path) -> Option<Picture> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" | "jpe" | "jfif" | "png" | "webp" => Some(Picture::Photo),
        "svg" => Some(Picture::Svg),
        e if UNSUPPORTED.contains(&e) => Some(Picture::Unsupported),
        _ => None,
    }
}

/// Whether `path` is a picture: never copied as it is, whatever its format
/// (this module publishes it cleaned, or not at all).
pub fn is_image(path: &Path) -> bool {
    picture(path).is_some()
}

/// The picture format `bytes` (a file's start) are, whatever its name:
/// `Some("JPEG")` for a photo saved as `portrait` or `m.jif`, which would
/// otherwise be copied as it is, metadata and all.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let at = |i: usize, magic: &[u8]| bytes.get(i..i + magic.len()) == Some(magic);
    if at(0, &[0xff, 0xd8, 0xff]) {
        Some("JPEG")
    } else if at(0, b"\x89PNG") {
        Some("PNG")
    } else if at(0, b"GIF8") {
        Some("GIF")
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        Some("TIFF")
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        Some("WebP")
    } else if at(4, b"ftyp") {
        Some("HEIC/AVIF")
    } else if at(0, b"BM") && bytes.len() > 14 {
        Some("BMP")
    } else {
        None
    }
}

/// A file of `content/` published as it is although its bytes are a
/// picture: an error, so that its metadata never leaves.
pub fn disguised_picture(root: &Path, source: &Path) -> Option<Diagnostic> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let n = std::fs::File::open(source)
        .and_then(|mut f| f.read(&mut head))
        .ok()?;
    let format = sniff(&head[..n])?;
    Some(
        Diagnostic::error(
            "unsupported-picture",
            crate::i18n::disguised_picture(format),
        )
        .at_file(&shown_path(root, source))
        .help(crate::i18n::hint_disguised_picture()),
    )
}

/// The pictures of `content/`, by source path. Each source's files are
/// exactly `by_source[source].outputs()`: to leave a source unpublished,
/// drop those paths from the files to write.
#[derive(Debug, Default)]
pub struct Images {
    pub by_source: HashMap<PathBuf, Responsive>,
}

impl Images {
    /// The output paths made from `source` (none if it is not a picture).
    #[cfg(test)]
    pub fn outputs_of(&self, source: &Path) -> Vec<&str> {
        self.by_source
            .get(source)
            .map(|r| r.outputs().collect())
            .unwrap_or_default()
    }
}

/// `sizes` for pictures in the text column (at most ~42rem wide).
pub const PROSE_SIZES: &str = "(max-width: 44rem) 100vw, 42rem";

/// What [`prepare`] made: the pictures, the files to write (each with the
/// source picture it was made from: the build writes it only if that source
/// is published) and the problems, each with its picture: a picture that
/// turns out to be unpublished (no page uses it) is no one's problem.
pub struct Prepared {
    pub images: Images,
    pub files: Vec<(PathBuf, OutputFile)>,
    pub problems: Vec<(PathBuf, Diagnostic)>,
}

/// Decodes every picture of `content/` outside unpublished bundles and
/// makes what is published of it (`write` false for `check`: only measure
/// and decode).
pub fn prepare(content: &Content, root: &Path, write: bool) -> Prepared {
    let mut images = Images::default();
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let mut todo: Vec<(&PathBuf, &String)> = Vec::new();
    // A withdrawn testimonial's photo is not even decoded.
    let published = content.assets.iter().filter(|a| {
        a.bundle
            .is_none_or(|p| content.pages.get(p).is_some_and(|p| p.is_published()))
    });
    for asset in published {
        match picture(&asset.source) {
            Some(Picture::Photo) => todo.push((&asset.source, &asset.dest)),
            Some(Picture::Svg) => match drawing(root, &asset.source) {
                Ok(text) if write => files.push((
                    asset.source.clone(),
                    OutputFile::text(asset.dest.clone(), text),
                )),
                Ok(_) => {}
                Err(d) => diagnostics.push((asset.source.clone(), d)),
            },
            // Markdown names it at the line that uses it; a `photo:` here.
            Some(Picture::Unsupported) if is_photo(content, asset) => {
                diagnostics.push((asset.source.clone(), unsupported(root, &asset.source)));
            }
            Some(Picture::Unsupported) | None => {}
        }
    }
    let cache = root.join(CACHE_DIR);
    let results: Vec<_> = todo
        .par_iter()
        .map(|(source, dest)| process(source, dest, &cache, write, root))
        .collect();
    for ((source, _), result) in todo.iter().zip(results) {
        match result {
            Ok(done) => {
                images.by_source.insert((*source).clone(), done.responsive);
                files.extend(done.files.into_iter().map(|f| ((*source).clone(), f)));
                diagnostics.extend(done.warning.map(|d| ((*source).clone(), d)));
            }
            Err(d) => {
                let d = crate::content::rules::at_picture_field(content, source, d);
                diagnostics.push(((*source).clone(), d));
            }
        }
    }
    Prepared {
        images,
        files,
        problems: diagnostics,
    }
}

/// Whether `asset` is the `photo:` of the testimonial of its bundle, or a
/// page's or a section's `cover:`.
fn is_photo(content: &Content, asset: &crate::content::Asset) -> bool {
    let is_cover = |cover: Option<PathBuf>| cover.as_ref() == Some(&asset.source);
    if content
        .sections
        .iter()
        .any(|s| is_cover(s.cover_source(&content.root)))
    {
        return true;
    }
    let Some(page) = asset.bundle.and_then(|i| content.pages.get(i)) else {
        return false;
    };
    if is_cover(page.cover_source()) {
        return true;
    }
    let crate::content::Details::Testimonial(t) = &page.meta.details else {
        return false;
    };
    let photo = t.author.photo.as_deref();
    page.bundle_dir
        .as_ref()
        .zip(photo)
        .is_some_and(|(dir, photo)| dir.join(photo) == asset.source)
}

/// The error for a picture in a format vitrine cannot clean, at the file.
fn unsupported(root: &Path, source: &Path) -> Diagnostic {
    Diagnostic::error(
        "unsupported-picture",
        crate::i18n::unsupported_picture(format_name(source)),
    )
    .at_file(&shown_path(root, source))
    .help(crate::i18n::hint_unsupported_picture())
}

/// The format of `path` as writers know it (`HEIC`, `TIFF`).
pub fn format_name(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_uppercase())
        .unwrap_or_default()
}

/// The SVG drawing at `source`, cleaned, or why it is refused (at its line).
/// An SVG file of the site checked as pictures of `content/` are: an error
/// for a script, an event handler, a `javascript:` link, an outside
/// reference.
pub fn check_drawing(root: &Path, source: &Path) -> Result<(), Diagnostic> {
    drawing(root, source).map(|_| ())
}

fn drawing(root: &Path, source: &Path) -> Result<String, Diagnostic> {
    let shown = shown_path(root, source);
    let text = std::fs::read_to_string(source).map_err(|e| Diagnostic::unreadable(&shown, &e))?;
    svg::clean(&text).map_err(|p| {
        let location = match p.at {
            svg::Place::Offset(offset) => {
                let lines = crate::diagnostics::Lines::new(&text);
                let len = text[offset..].find(['>', '\n']).map_or(1, |i| i + 1);
                crate::diagnostics::Location::at_offset(&shown, &lines, offset, len)
            }
            svg::Place::LineColumn(line, column) => {
                crate::diagnostics::Location::in_text(&shown, &text, line, column, 1)
            }
        };
        let reason = match p.refusal {
            svg::Refusal::Unreadable(detail) => crate::i18n::svg_unreadable(&detail),
            svg::Refusal::Script => crate::i18n::svg_script(),
            svg::Refusal::Event(name) => crate::i18n::svg_event(&name),
            svg::Refusal::JavaScript => crate::i18n::svg_javascript(),
            svg::Refusal::Html => crate::i18n::svg_html(),
            svg::Refusal::Entity => crate::i18n::svg_entity(),
            svg::Refusal::External(what) => crate::i18n::svg_external(&what),
        };
        Diagnostic::error("unsafe-svg", crate::i18n::unsafe_svg(&reason))
            .at(location)
            .help(crate::i18n::hint_unsafe_svg())
    })
}

/// What is wrong with a picture, in the writer's language (the image
/// crate's own messages are English and technical).
fn describe(error: &image::ImageError) -> Text {
    match error {
        image::ImageError::Unsupported(_) => crate::i18n::image_unsupported(),
        image::ImageError::Decoding(_) => crate::i18n::image_damaged(),
        image::ImageError::Limits(_) => crate::i18n::image_too_large(),
        other => Text::verbatim(other.to_string()),
    }
}

fn bad_image(root: &Path, source: &Path, detail: &Text) -> Diagnostic {
    Diagnostic::error("bad-image", crate::i18n::bad_image(detail))
        .at_file(&shown_path(root, source))
        .help(crate::i18n::hint_bad_image())
}

fn too_large(root: &Path, source: &Path, width: u32, height: u32) -> Diagnostic {
    Diagnostic::error(
        "bad-image",
        crate::i18n::bad_image(crate::i18n::image_too_large()),
    )
    .at_file(&shown_path(root, source))
    .help(crate::i18n::hint_image_too_large(width, height, HEAVY_SIDE))
}

/// The warning for a source photo heavier than the site needs, if it is.
fn heaviness(
    root: &Path,
    source: &Path,
    bytes: u64,
    width: u32,
    height: u32,
) -> Option<Diagnostic> {
    let too_wide = width.max(height) > HEAVY_SIDE;
    let too_big = bytes > HEAVY_BYTES;
    if !too_wide && !too_big {
        return None;
    }
    let mut details = Vec::new();
    if too_wide {
        details.push(Text::verbatim(format!("{width} × {height} px")));
    }
    if too_big {
        details.push(crate::i18n::megabytes(bytes));
    }
    Some(
        Diagnostic::warning(
            "heavy-image",
            crate::i18n::heavy_image(Text::join(&details, ", ")),
        )
        .at_file(&shown_path(root, source))
        .help(crate::i18n::hint_heavy_image(
            HEAVY_SIDE,
            HEAVY_BYTES / 1_000_000,
            MAX_WIDTH,
        )),
    )
}

/// One picture done: what templates need, its files, a warning if heavy.
struct Processed {
    responsive: Responsive,
    files: Vec<OutputFile>,
    warning: Option<Diagnostic>,
}

/// Limits on what the decoders may allocate (a second line behind the
/// pixel count checked before decoding).
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    limits
}

/// `height` scaled like `width` to `new_width`, at least 1.
fn scaled(height: u32, width: u32, new_width: u32) -> u32 {
    let h = (u64::from(height) * u64::from(new_width) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

/// Whether displaying with `orientation` swaps width and height.
fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

fn process(
    source: &Path,
    dest: &str,
    cache: &Path,
    write: bool,
    root: &Path,
) -> Result<Processed, Diagnostic> {
    let bytes =
        std::fs::read(source).map_err(|e| bad_image(root, source, &crate::i18n::io_reason(&e)))?;
    let format = image::guess_format(&bytes).map_err(|e| bad_image(root, source, &describe(&e)))?;
    let mut reader = image::ImageReader::with_format(Cursor::new(&bytes), format);
    reader.limits(limits());
    // Reads the header only: nothing is decoded yet.
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| bad_image(root, source, &describe(&e)))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS
        || decoder.total_bytes() > MAX_DECODED_BYTES
    {
        return Err(too_large(root, source, width, height));
    }
    let warning = heaviness(root, source, bytes.len() as u64, width, height);
    // An unreadable EXIF block only loses the orientation.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (upright_w, upright_h) = if swaps_sides(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    let out_w = upright_w.clamp(1, MAX_WIDTH);
    let out_h = scaled(upright_h, upright_w.max(1), out_w);
    let widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < out_w).collect();
    let variants: Vec<(String, u32)> = widths
        .iter()
        .map(|w| (crate::urls::variant_path(dest, *w), *w))
        .collect();
    let responsive = Responsive {
        path: dest.to_string(),
        width: out_w,
        height: out_h,
        variants,
    };

    let key = cache_key(&bytes);
    let ext = extension(format);
    let cached: Vec<(String, PathBuf)> = responsive
        .outputs()
        .zip(std::iter::once(out_w).chain(widths.iter().copied()))
        .map(|(path, w)| (path.to_string(), cache.join(format!("{key}-{w}.{ext}"))))
        .collect();
    if cached.iter().all(|(_, file)| file.is_file()) {
        // Made by an earlier build from these very bytes and settings.
        let files = cached
            .into_iter()
            .map(|(path, file)| OutputFile {
                path,
                contents: Contents::Copy(file),
            })
            .collect();
        return Ok(Processed {
            responsive,
            files: if write { files } else { Vec::new() },
            warning,
        });
    }

    if !write {
        // `check` only proves the picture decodes.
        DynamicImage::from_decoder(decoder).map_err(|e| bad_image(root, source, &describe(&e)))?;
        return Ok(Processed {
            responsive,
            files: Vec::new(),
            warning,
        });
    }
    // Shrink first, in the stored orientation (less to turn), then turn.
    let (w, h) = if swaps_sides(orientation) {
        (out_h, out_w)
    } else {
        (out_w, out_h)
    };
    let img = match jpeg_scaled(&bytes, format, (width, height), (w, h)) {
        Some(img) => img,
        None => DynamicImage::from_decoder(decoder)
            .map_err(|e| bad_image(root, source, &describe(&e)))?,
    };
    let mut img = resized(img, w, h);
    img.apply_orientation(orientation);
    let mut files = Vec::new();
    for ((path, file), encoded) in cached.into_iter().zip(encoded_sizes(img, format, &widths)) {
        let encoded = encoded.map_err(|e| bad_image(root, source, &Text::verbatim(e)))?;
        write_cache(&file, &encoded);
        files.push(OutputFile {
            path,
            contents: Contents::Bytes(encoded.into()),
        });
    }
    Ok(Processed {
        responsive,
        files,
        warning,
    })
}

/// `img` (upright, at its published size) encoded, then at each of
/// `widths` (ascending, all narrower): in the order of
/// [`Responsive::outputs`]. Each variant is made from the next larger one.
fn encoded_sizes(
    mut img: DynamicImage,
    format: ImageFormat,
    widths: &[u32],
) -> Vec<Result<Vec<u8>, String>> {
    let (out_w, out_h) = (img.width(), img.height());
    let mut encoded = vec![encode(&img, format)];
    for &w in widths.iter().rev() {
        img = resized(img, w, scaled(out_h, out_w, w));
        encoded.push(encode(&img, format));
    }
    encoded[1..].reverse();
    encoded
}

/// A JPEG of `size` decoded at the smallest DCT scale (1/2, 1/4, 1/8) that
/// still covers `target`, in the stored orientation; `None` when that gains
/// nothing or the picture is anything but 8-bit grey or RGB (CMYK, 12-bit):
/// the full decoder then does it, and reports damage in its own words.
fn jpeg_scaled(
    bytes: &[u8],
    format: ImageFormat,
    size: (u32, u32),
    target: (u32, u32),
) -> Option<DynamicImage> {
    let covers = |d: u32| size.0.div_ceil(d) >= target.0 && size.1.div_ceil(d) >= target.1;
    if format != ImageFormat::Jpeg || !covers(2) {
        return None;
    }
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size(usize::try_from(MAX_DECODED_BYTES).ok()?);
    let denominator = [8, 4, 2].into_iter().find(|d| covers(*d))?;
    let request = |side: u32| u16::try_from(side.div_ceil(denominator)).ok();
    let (w, h) = decoder.scale(request(size.0)?, request(size.1)?).ok()?;
    let pixels = decoder.decode().ok()?;
    let (w, h) = (u32::from(w), u32::from(h));
    match decoder.info()?.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            image::RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::L16 | jpeg_decoder::PixelFormat::CMYK32 => None,
    }
}

/// `img` at `w` × `h` (itself when it already is), Lanczos3 with SIMD;
/// alpha is premultiplied while resizing, so transparent pixels do not
/// darken the edges.
fn resized(img: DynamicImage, w: u32, h: u32) -> DynamicImage {
    if (img.width(), img.height()) == (w, h) {
        return img;
    }
    let mut out = DynamicImage::new(w, h, img.color());
    let options = fast_image_resize::ResizeOptions::new().resize_alg(
        fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3),
    );
    match fast_image_resize::Resizer::new().resize(&img, &mut out, &options) {
        Ok(()) => out,
        // Every pixel type the decoders make is supported; should one not
        // be, the picture is still published.
        Err(_) => img.resize_exact(w, h, FilterType::Lanczos3),
    }
}

/// The cache name of what is made from `bytes` with today's settings.
fn cache_key(bytes: &[u8]) -> String {
    let settings = format!(
        "{CACHE_VERSION}; widths {WIDTHS:?}; max {MAX_WIDTH}; jpeg-encoder {JPEG_QUALITY} 4:4:4; \
         fast_image_resize lanczos3, each variant from the next larger\n"
    );
    let mut hasher = blake3::Hasher::new();
    hasher.update(settings.as_bytes());
    hasher.update(bytes);
    hasher.finalize().to_hex()[..32].to_string()
}

fn extension(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "png",
        ImageFormat::WebP => "webp",
        _ => "jpg",
    }
}

/// Each picture keeps its format, so its path and type stay right: PNG
/// stays PNG (transparency, drawings); WebP stays WebP, lossless since that
/// is the only WebP encoder of the `image` crate (bigger than a lossy
/// original, but bounded by [`MAX_WIDTH`], and JPEG would need another
/// file name); everything else becomes JPEG. Encoders write pixels only:
/// no EXIF, XMP, IPTC or ICC block is ever set.
fn encode(img: &DynamicImage, format: ImageFormat) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        ImageFormat::Png => img
            .write_with_encoder(PngEncoder::new_with_quality(
                &mut out,
                CompressionType::Default,
                PngFilter::Adaptive,
            ))
            .map_err(|e| e.to_string())?,
        ImageFormat::WebP => {
            let pixels = if img.color().has_alpha() {
                DynamicImage::ImageRgba8(img.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(img.to_rgb8())
            };
            pixels
                .write_with_encoder(WebPEncoder::new_lossless(&mut out))
                .map_err(|e| e.to_string())?
        }
        _ => {
            let rgb = img.to_rgb8();
            let side = |n: u32| u16::try_from(n).map_err(|e| e.to_string());
            let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
            // Full-resolution colour, as before: thin coloured lines stay sharp.
            encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
            encoder
                .encode(
                    &rgb,
                    side(rgb.width())?,
                    side(rgb.height())?,
                    jpeg_encoder::ColorType::Rgb,
                )
                .map_err(|e| e.to_string())?
        }
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
    use image::codecs::jpeg::JpegEncoder;

    #[test]
    fn outputs_are_the_picture_then_its_variants() {
        let r = Responsive {
            path: "a/p.png".into(),
            width: 700,
            height: 700,
            variants: vec![("a/p-320w.png".into(), 320), ("a/p-640w.png".into(), 640)],
        };
        let expected = ["a/p.png", "a/p-320w.png", "a/p-640w.png"];
        assert_eq!(r.outputs().collect::<Vec<_>>(), expected);
        let mut images = Images::default();
        images.by_source.insert(PathBuf::from("content/a/p.png"), r);
        assert_eq!(images.outputs_of(Path::new("content/a/p.png")), expected);
        assert!(images.outputs_of(Path::new("content/a/q.png")).is_empty());
    }

    #[test]
    fn sizes_are_scaled_rounded_and_never_zero() {
        assert_eq!(scaled(2000, 3000, 1600), 1067);
        assert_eq!(scaled(2, 4001, 1600), 1);
        assert_eq!(scaled(1, 5000, 320), 1);
        assert!(swaps_sides(Orientation::Rotate90) && swaps_sides(Orientation::Rotate270FlipH));
        assert!(!swaps_sides(Orientation::Rotate180) && !swaps_sides(Orientation::FlipVertical));
    }

    #[test]
    fn heavy_means_over_4000_px_or_5_mb() {
        let heavy = |bytes, w, h| heaviness(Path::new("/s"), Path::new("/s/p.jpg"), bytes, w, h);
        assert!(heavy(5_000_000, 4000, 4000).is_none());
        assert!(heavy(5_000_001, 100, 100).is_some());
        assert!(heavy(1_000, 4001, 100).is_some());
        assert!(heavy(1_000, 100, 4001).is_some());
        let warning = heavy(6_200_000, 6000, 4000).map(|d| (d.code, d.severity));
        assert_eq!(
            warning,
            Some(("heavy-image", crate::diagnostics::Severity::Warning))
        );
    }

    #[test]
    fn the_cache_key_covers_the_settings() {
        let bytes = b"some picture";
        let content_only = blake3::hash(bytes).to_hex()[..32].to_string();
        assert_ne!(cache_key(bytes), content_only);
        assert_ne!(cache_key(bytes), cache_key(b"another picture"));
        assert_eq!(cache_key(bytes), cache_key(bytes));
    }

    /// A 40×20 JPEG whose EXIF says "turn 90° clockwise" and names an artist.
    fn turned_jpeg() -> Vec<u8> {
        use exif::{Field, In, Tag, Value};
        let mut plain = Vec::new();
        image::RgbImage::from_pixel(40, 20, image::Rgb([200, 30, 30]))
            .write_with_encoder(JpegEncoder::new_with_quality(&mut plain, 90))
            .unwrap();
        let fields = [
            Field {
                tag: Tag::Orientation,
                ifd_num: In::PRIMARY,
                value: Value::Short(vec![6]),
            },
            Field {
                tag: Tag::Artist,
                ifd_num: In::PRIMARY,
                value: Value::Ascii(vec![b"Artiste Secret".to_vec()]),
            },
        ];
        let mut writer = exif::experimental::Writer::new();
        for f in &fields {
            writer.push_field(f);
        }
        let mut tiff = Cursor::new(Vec::new());
        writer.write(&mut tiff, false).unwrap();
        let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(plain.into()).unwrap();
        img_parts::ImageEXIF::set_exif(&mut jpeg, Some(tiff.into_inner().into()));
        jpeg.encoder().bytes().to_vec()
    }

    #[test]
    fn a_picture_is_published_upright_and_without_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("p.jpg");
        std::fs::write(&source, turned_jpeg()).unwrap();
        let cache = dir.path().join("cache");
        let done = process(&source, "a/p.jpg", &cache, true, dir.path()).unwrap();
        assert_eq!((done.responsive.width, done.responsive.height), (20, 40));
        assert!(done.warning.is_none());
        let [file] = done.files.as_slice() else {
            panic!("one file: {:?}", done.files.len());
        };
        assert_eq!(file.path, "a/p.jpg");
        let Contents::Bytes(bytes) = &file.contents else {
            panic!("encoded bytes");
        };
        assert!(!bytes.windows(6).any(|w| w == b"Exif\0\0"));
        assert!(!bytes.windows(7).any(|w| w == b"Artiste"));
        let img = image::load_from_memory(bytes).unwrap();
        assert_eq!((img.width(), img.height()), (20, 40));
        // Again, from the cache: the same picture, the same bytes.
        let again = process(&source, "a/p.jpg", &cache, true, dir.path()).unwrap();
        let Contents::Copy(cached) = &again.files[0].contents else {
            panic!("from the cache");
        };
        assert!(cached.starts_with(&cache));
        assert_eq!(std::fs::read(cached).unwrap(), bytes.as_ref());
    }

    #[test]
    fn a_picture_over_50_megapixels_is_refused_before_decoding() {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bad/101-picture-too-large/content/img/immense.png");
        let dir = tempfile::tempdir().unwrap();
        let error = process(&source, "img/immense.png", dir.path(), true, dir.path())
            .err()
            .expect("too large");
        assert_eq!(error.code, "bad-image");
        assert!(error.message.contains(&*crate::i18n::image_too_large()));
        assert!(error.help.unwrap_or_default().contains("8000 × 7000"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// `pixels` saved as a JPEG, as a camera does.
    fn jpeg_of(pixels: DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        pixels
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, 90))
            .unwrap();
        bytes
    }

    #[test]
    fn a_jpeg_is_decoded_at_the_smallest_scale_that_covers_the_target() {
        let colour = jpeg_of(DynamicImage::new_rgb8(800, 600));
        let size = (800, 600);
        let at = |bytes: &[u8], target| {
            jpeg_scaled(bytes, ImageFormat::Jpeg, size, target).map(|i| (i.width(), i.height()))
        };
        assert_eq!(at(&colour, (200, 150)), Some((200, 150)));
        assert_eq!(at(&colour, (201, 151)), Some((400, 300)));
        assert_eq!(at(&colour, (60, 45)), Some((100, 75)));
        // Nothing to gain: decoded in full by the image crate.
        assert_eq!(at(&colour, (401, 301)), None);
        let png = jpeg_scaled(&colour, ImageFormat::Png, size, (100, 75));
        assert!(png.is_none());
        let grey = jpeg_of(DynamicImage::new_luma8(800, 600));
        let decoded = jpeg_scaled(&grey, ImageFormat::Jpeg, size, (200, 150));
        assert!(matches!(decoded, Some(DynamicImage::ImageLuma8(_))));
        assert!(
            jpeg_scaled(b"\xff\xd8\xff damaged", ImageFormat::Jpeg, size, (200, 150)).is_none()
        );
    }

    #[test]
    fn every_pixel_type_is_resized_to_the_size_asked() {
        for img in [
            DynamicImage::new_luma8(90, 60),
            DynamicImage::new_luma_a8(90, 60),
            DynamicImage::new_rgb8(90, 60),
            DynamicImage::new_rgba8(90, 60),
            DynamicImage::new_luma16(90, 60),
            DynamicImage::new_rgba16(90, 60),
            DynamicImage::new_rgb32f(90, 60),
        ] {
            let colour = img.color();
            let small = resized(img, 30, 20);
            assert_eq!(
                (small.width(), small.height(), small.color()),
                (30, 20, colour)
            );
        }
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
