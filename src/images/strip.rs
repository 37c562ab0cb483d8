//! Pictures published as they are (a site's `static/` logo, a theme's
//! pictures) lose their metadata without being re-encoded: segments and
//! chunks are cut out of the file, and what draws the picture is copied
//! byte for byte, so the pixels are exactly the writer's.
//!
//! Kept: what a browser needs to draw the picture as its author saw it (the
//! pixels, the ICC colour profile, JFIF density and Adobe colour transform,
//! PNG gamma, transparency and animation chunks, WebP alpha and animation)
//! and the EXIF orientation alone, rewritten as a one-entry EXIF block (a
//! phone photo would otherwise turn sideways). Everything else goes: EXIF
//! (GPS position, camera serial, author), XMP, IPTC, comments, text chunks,
//! modification times, thumbnails, and bytes after the picture's end.

use image::metadata::Orientation;
use img_parts::jpeg::{markers, Jpeg, JpegSegment};
use img_parts::png::Png;
use img_parts::riff::RiffContent;
use img_parts::webp::{WebP, CHUNK_VP8X};
use img_parts::{Bytes, ImageEXIF};

/// Why a picture could not be cleaned: it is not the format its name says,
/// or it is damaged (truncated, bad checksum).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// "JPEG", "PNG" or "WebP": what the name promised.
    pub format: &'static str,
}

/// `bytes` without metadata, for a picture whose name says it is a JPEG,
/// PNG or WebP (`extension` in lower case); `None` for another extension.
pub fn strip(extension: &str, bytes: Vec<u8>) -> Option<Result<Vec<u8>, Unreadable>> {
    let bytes = Bytes::from(bytes);
    Some(match extension {
        "jpg" | "jpeg" | "jpe" | "jfif" => jpeg(bytes),
        "png" => png(bytes),
        "webp" => webp(bytes),
        _ => return None,
    })
}

fn jpeg(bytes: Bytes) -> Result<Vec<u8>, Unreadable> {
    let unreadable = Unreadable { format: "JPEG" };
    let mut jpeg = Jpeg::from_bytes(bytes).map_err(|_| unreadable.clone())?;
    let orientation = kept_orientation(jpeg.exif());
    // img-parts keeps the first scan and everything after it (later scans,
    // the end marker, bytes appended after it) as one block: cleaned apart.
    let scans = match jpeg.segments().last() {
        Some(last) if last.marker() == markers::SOS => {
            Some(last.clone().encoder().bytes().to_vec())
        }
        _ => None,
    };
    let Some(scans) = scans else {
        return Err(unreadable);
    };
    let segments = jpeg.segments_mut();
    segments.pop();
    segments.retain(keeps_segment);
    for segment in segments.iter_mut() {
        if is_jfif(segment) {
            *segment = without_thumbnail(segment);
        }
    }
    jpeg.set_exif(orientation);
    let mut out = jpeg.encoder().bytes().to_vec();
    // The encoder ends a file without a scan with its own end marker.
    if out.ends_with(&[markers::P, markers::EOI]) {
        out.truncate(out.len() - 2);
    }
    clean_scans(&scans, &mut out).ok_or(unreadable)?;
    Ok(out)
}

/// Whether a segment before the first scan is needed to draw the picture.
fn keeps_segment(segment: &JpegSegment) -> bool {
    let contents = segment.contents();
    match segment.marker() {
        markers::APP0 => is_jfif(segment),
        markers::APP2 => contents.starts_with(b"ICC_PROFILE\0"),
        markers::APP14 => contents.starts_with(b"Adobe"),
        marker => !is_metadata_marker(marker),
    }
}

fn is_metadata_marker(marker: u8) -> bool {
    (markers::APP0..=markers::APP15).contains(&marker) || marker == markers::COM
}

fn is_jfif(segment: &JpegSegment) -> bool {
    segment.marker() == markers::APP0 && segment.contents().starts_with(b"JFIF\0")
}

/// The JFIF header (version, density) without the thumbnail it may carry,
/// a small copy of the picture as it was before any crop.
fn without_thumbnail(segment: &JpegSegment) -> JpegSegment {
    const HEADER: usize = 12;
    let contents = segment.contents();
    if contents.len() < HEADER {
        return segment.clone();
    }
    let mut header = contents[..HEADER].to_vec();
    header.extend_from_slice(&[0, 0]);
    JpegSegment::new_with_contents(markers::APP0, header.into())
}

/// Copies the scans (`scans` starts at the first SOS marker) into `out`,
/// without the APPn and COM segments found between scans, and stops at the
/// end marker. `None` when the picture is cut short.
fn clean_scans(scans: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let mut i = 0;
    while i < scans.len() {
        if scans[i] != markers::P {
            out.push(scans[i]);
            i += 1;
            continue;
        }
        let marker = *scans.get(i + 1)?;
        match marker {
            // A stuffed 0xFF of entropy-coded data, or a restart marker.
            markers::Z | markers::RST0..=markers::RST7 => {
                out.extend_from_slice(&scans[i..i + 2]);
                i += 2;
            }
            // Fill byte before a marker.
            markers::P => i += 1,
            markers::EOI => {
                out.extend_from_slice(&[markers::P, markers::EOI]);
                return Some(());
            }
            _ => {
                let high = usize::from(*scans.get(i + 2)?);
                let low = usize::from(*scans.get(i + 3)?);
                let end = i + 2 + (high << 8 | low);
                let segment = scans.get(i..end)?;
                if !is_metadata_marker(marker) {
                    out.extend_from_slice(segment);
                }
                i = end;
            }
        }
    }
    // No end marker: browsers draw such files, and so they are kept.
    out.extend_from_slice(&[markers::P, markers::EOI]);
    Some(())
}

/// PNG chunks a browser uses to draw: the critical ones (upper-case first
/// letter, which a decoder may not skip) and these ancillary ones.
const PNG_DRAWING: [&[u8; 4]; 14] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD", b"pHYs", b"cICP", b"mDCV",
    b"cLLI", b"acTL", b"fcTL", b"fdAT",
];

fn png(bytes: Bytes) -> Result<Vec<u8>, Unreadable> {
    let unreadable = Unreadable { format: "PNG" };
    let mut png = Png::from_bytes(bytes).map_err(|_| unreadable)?;
    let orientation = kept_orientation(png.exif());
    png.chunks_mut().retain(|chunk| {
        let kind = chunk.kind();
        kind[0].is_ascii_uppercase() || PNG_DRAWING.contains(&&kind)
    });
    png.set_exif(orientation);
    Ok(png.encoder().bytes().to_vec())
}

/// WebP chunks that draw the picture (with `ICCP`, its colour profile).
const WEBP_DRAWING: [&[u8; 4]; 7] = [
    b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];
/// The XMP flag of a VP8X chunk's first byte, which img-parts leaves set.
const VP8X_XMP: u8 = 0b0000_0100;

fn webp(bytes: Bytes) -> Result<Vec<u8>, Unreadable> {
    let unreadable = Unreadable { format: "WebP" };
    let mut webp = WebP::from_bytes(bytes).map_err(|_| unreadable)?;
    let orientation = kept_orientation(webp.exif());
    webp.chunks_mut()
        .retain(|chunk| WEBP_DRAWING.contains(&&chunk.id()));
    for chunk in webp.chunks_mut() {
        if chunk.id() != CHUNK_VP8X {
            continue;
        }
        if let RiffContent::Data(data) = chunk.content_mut() {
            if let Some((&flags, rest)) = data.split_first() {
                let mut cleared = vec![flags & !VP8X_XMP];
                cleared.extend_from_slice(rest);
                *data = cleared.into();
            }
        }
    }
    // Also sets the VP8X chunk's EXIF flag to match.
    webp.set_exif(orientation);
    Ok(webp.encoder().bytes().to_vec())
}

/// An EXIF block holding only the orientation of `exif`, when it turns the
/// picture: browsers apply it, and without it a phone photo lies sideways.
fn kept_orientation(exif: Option<Bytes>) -> Option<Bytes> {
    let orientation = Orientation::from_exif_chunk(&exif?)?;
    if orientation == Orientation::NoTransforms {
        return None;
    }
    // Big-endian TIFF header, one IFD at offset 8 with one SHORT entry.
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend_from_slice(&[0, orientation.to_exif(), 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    Some(tiff.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_orientation_block_reads_back_as_written() {
        let mut raw =
            b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0".to_vec();
        raw.extend_from_slice(b"GPS and more");
        let kept = kept_orientation(Some(raw.into()));
        let orientation = kept.as_deref().and_then(Orientation::from_exif_chunk);
        assert_eq!(orientation, Some(Orientation::Rotate90));
        assert_eq!(kept.map(|k| k.len()), Some(26));
    }

    #[test]
    fn an_upright_picture_keeps_no_exif_at_all() {
        let raw = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x01\0\0\0\0\0\0".to_vec();
        assert_eq!(kept_orientation(Some(raw.into())), None);
    }

    #[test]
    fn scans_lose_comments_between_them_and_bytes_after_the_end() {
        let scans = [
            0xff, 0xda, 0, 3, 1, // SOS header
            0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, // data, stuffed byte, restart
            0xff, 0xfe, 0, 5, b'h', b'i', b'!', // COM between scans
            0xff, 0xc4, 0, 3, 9, // DHT between scans
            0xff, 0xd9, b'G', b'P', b'S', // end, then a trailer
        ];
        let mut out = Vec::new();
        assert_eq!(clean_scans(&scans, &mut out), Some(()));
        let expected = [
            0xff, 0xda, 0, 3, 1, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xc4, 0, 3, 9,
            0xff, 0xd9,
        ];
        assert_eq!(out, expected);
    }

    #[test]
    fn a_file_that_is_not_its_format_is_unreadable() {
        let text = b"not a picture".to_vec();
        assert_eq!(
            strip("png", text.clone()),
            Some(Err(Unreadable { format: "PNG" }))
        );
        assert_eq!(
            strip("jpg", text.clone()),
            Some(Err(Unreadable { format: "JPEG" }))
        );
        assert_eq!(strip("txt", text), None);
    }
}
