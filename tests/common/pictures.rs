//! Pictures carrying every kind of metadata a camera or an editor writes
//! (EXIF with orientation, artist, serial and GPS; XMP; IPTC; ICC), for the
//! tests that prove none of it is published.

use std::path::Path;

use img_parts::{Bytes, ImageEXIF, ImageICC};

/// Strings put in the metadata of the test pictures: none may be published.
pub const ARTIST: &str = "Ines Benali-Photographe";
pub const SERIAL: &str = "SN-4242-VITRINE";
/// An ASCII field of the GPS block (`GPSMapDatum`): the coordinates are
/// binary rationals, this string shows whether the GPS block survived.
pub const GPS_MARKER: &str = "WGS-84-VITRINE-GPS";
pub const ICC_MARKER: &str = "vitrine-icc-marker";
pub const XMP_NAMESPACE: &str = "http://ns.adobe.com/xap/1.0/";
pub const XMP_WORD: &str = "xmp-vitrine-secret";
pub const IPTC_MARKER: &[u8] = b"Photoshop 3.0\0";
pub const IPTC_WORD: &str = "iptc-vitrine-secret";

/// A TIFF block (the body of an EXIF segment) with the orientation "turn
/// 90° clockwise to display" (6), an artist, a camera serial and a GPS
/// position.
pub fn exif_block() -> Vec<u8> {
    use exif::{Field, In, Rational, Tag, Value};
    let ascii = |s: &str| Value::Ascii(vec![s.as_bytes().to_vec()]);
    let rational = |n: u32, d: u32| Rational { num: n, denom: d };
    let field = |tag, value| Field {
        tag,
        ifd_num: In::PRIMARY,
        value,
    };
    let fields = [
        field(Tag::Orientation, Value::Short(vec![6])),
        field(Tag::Artist, ascii(ARTIST)),
        field(Tag::BodySerialNumber, ascii(SERIAL)),
        field(Tag::GPSLatitudeRef, ascii("N")),
        field(
            Tag::GPSLatitude,
            Value::Rational(vec![rational(45, 1), rational(45, 1), rational(1234, 100)]),
        ),
        field(Tag::GPSLongitudeRef, ascii("E")),
        field(
            Tag::GPSLongitude,
            Value::Rational(vec![rational(4, 1), rational(50, 1), rational(5678, 100)]),
        ),
        field(Tag::GPSMapDatum, ascii(GPS_MARKER)),
    ];
    let mut writer = exif::experimental::Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    writer.write(&mut out, false).unwrap();
    out.into_inner()
}

pub fn xmp_packet() -> Vec<u8> {
    format!(
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:xmp=\"{XMP_NAMESPACE}\">\
         <xmp:Label>{XMP_WORD}</xmp:Label></rdf:RDF></x:xmpmeta>"
    )
    .into_bytes()
}

pub fn icc_profile() -> Bytes {
    Bytes::from(format!("{ICC_MARKER}{}", " ".repeat(100)).into_bytes())
}

/// A `width`×`height` picture as stored by a phone held upright: its
/// top-left quarter is red, so that once turned clockwise (orientation 6)
/// the red quarter is at the top right.
pub fn stored_pixels(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        if x < width / 2 && y < height / 2 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, (x % 200) as u8, 200])
        }
    })
}

/// A JPEG with EXIF (orientation 6, artist, serial, GPS), XMP, IPTC and an
/// ICC profile.
pub fn jpeg_with_metadata(path: &Path, width: u32, height: u32) {
    let mut plain = Vec::new();
    stored_pixels(width, height)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut plain, 90,
        ))
        .unwrap();
    let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(plain.into()).unwrap();
    jpeg.set_exif(Some(exif_block().into()));
    jpeg.set_icc_profile(Some(icc_profile()));
    let mut xmp = format!("{XMP_NAMESPACE}\0").into_bytes();
    xmp.extend(xmp_packet());
    let mut iptc = IPTC_MARKER.to_vec();
    iptc.extend(format!("8BIM\x04\x04\0\0{IPTC_WORD}").into_bytes());
    let segments = jpeg.segments_mut();
    for (marker, contents) in [
        (img_parts::jpeg::markers::APP1, xmp),
        (img_parts::jpeg::markers::APP13, iptc),
    ] {
        segments.insert(
            1,
            img_parts::jpeg::JpegSegment::new_with_contents(marker, contents.into()),
        );
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, jpeg.encoder().bytes()).unwrap();
}

/// A PNG with an eXIf chunk (orientation 6…), XMP in an iTXt chunk and an
/// ICC profile.
pub fn png_with_metadata(path: &Path, width: u32, height: u32) {
    let mut plain = Vec::new();
    stored_pixels(width, height)
        .write_with_encoder(image::codecs::png::PngEncoder::new(&mut plain))
        .unwrap();
    let mut png = img_parts::png::Png::from_bytes(plain.into()).unwrap();
    png.set_exif(Some(exif_block().into()));
    png.set_icc_profile(Some(icc_profile()));
    let mut itxt = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    itxt.extend(xmp_packet());
    png.chunks_mut()
        .insert(1, img_parts::png::PngChunk::new(*b"iTXt", itxt.into()));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, png.encoder().bytes()).unwrap();
}

/// A lossless WebP with an EXIF chunk (orientation 6…), XMP and an ICC profile.
pub fn webp_with_metadata(path: &Path, width: u32, height: u32) {
    let mut plain = Vec::new();
    stored_pixels(width, height)
        .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut plain))
        .unwrap();
    let mut webp = img_parts::webp::WebP::from_bytes(plain.into()).unwrap();
    webp.set_exif(Some(exif_block().into()));
    webp.set_icc_profile(Some(icc_profile()));
    webp.chunks_mut().push(img_parts::riff::RiffChunk::new(
        *b"XMP ",
        img_parts::riff::RiffContent::Data(xmp_packet().into()),
    ));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, webp.encoder().bytes()).unwrap();
}

/// A deterministic `width`×`height` picture with what resizing can get
/// wrong in a photo: a smooth sky, a wavy horizon, hard-edged shapes and
/// per-pixel sensor noise, and fine stripes on one shape (brickwork,
/// foliage: detail that aliases when shrunk carelessly). Drawn in proportions, so any size looks alike;
/// `seed` moves the shapes.
pub fn photo_like(width: u32, height: u32, seed: u64) -> image::RgbImage {
    let mut state = seed;
    let mut next = move || {
        state = splitmix(state);
        (state >> 11) as f32 / (1u64 << 53) as f32
    };
    let phase = next() * std::f32::consts::TAU;
    // (left, top, right, bottom, colour), in fractions of the picture.
    let shapes: Vec<([f32; 4], [f32; 3])> = (0..8)
        .map(|_| {
            let (x, y, w, h) = (next(), next() * 0.8 + 0.1, next() * 0.3, next() * 0.3);
            (
                [x, y, x + w, y + h],
                [next() * 255.0, next() * 255.0, next() * 255.0],
            )
        })
        .collect();
    let (fw, fh) = (width as f32, height as f32);
    image::RgbImage::from_fn(width, height, |x, y| {
        let (u, v) = (x as f32 / fw, y as f32 / fh);
        let horizon = 0.55 + 0.08 * (u * 9.0 + phase).sin();
        let mut c = if v < horizon {
            [90.0 + 120.0 * v, 140.0 + 80.0 * v, 235.0 - 60.0 * v]
        } else {
            [70.0 + 60.0 * u, 120.0 - 40.0 * v, 40.0 + 30.0 * u]
        };
        for (i, ([l, t, r, b], colour)) in shapes.iter().enumerate() {
            if u >= *l && u < *r && v >= *t && v < *b {
                let mut shade = 0.7 + 0.3 * (u - l) / (r - l);
                if i == 0 && (u * 754.0 + v * 251.0).sin() > 0.0 {
                    shade *= 0.6;
                }
                c = colour.map(|k| k * shade);
            }
        }
        let noise = (splitmix(seed ^ (u64::from(y) << 32 | u64::from(x))) % 17) as f32 - 8.0;
        image::Rgb(c.map(|k| (k + noise).clamp(0.0, 255.0) as u8))
    })
}

/// `pixels` as a phone saves a photo: JPEG at quality 90, colour at half
/// resolution both ways (4:2:0).
pub fn phone_jpeg(pixels: &image::RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    let side = |n: u32| u16::try_from(n).expect("under 65 536 px");
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 90);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder
        .encode(
            pixels,
            side(pixels.width()),
            side(pixels.height()),
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("encodable");
    bytes
}

/// One step of SplitMix64: cheap, well-mixed, the same everywhere.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
