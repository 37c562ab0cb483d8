//! Issue #13, acceptance 2: a site holding, beside a withdrawn minor's
//! testimonial, every backup copy of it, a stray photo, a folder linked in
//! from outside and photos full of metadata builds, and nothing of what it
//! must protect is in any output file.
#![cfg(unix)]

mod common;

use std::path::Path;

use common::pictures::*;
use common::*;

const SITE_YAML: &str =
    "title: \"Stages\"\nbase_url: \"https://lycee.example/stages/\"\nlanguage: fr\n";

/// Léa Benali, a minor who withdrew her consent: nothing of her may remain.
const WITHDRAWN: &str = "---\ntitle: \"Le stage de Léa Benali\"\ndate: 2024-03-01\n\
author:\n  name: \"Léa Benali\"\n  photo: photo.jpg\n  photo_alt: \"Léa Benali à son poste\"\n\
consent:\n  obtained: 2024-01-10\n  withdrawn: 2025-06-01\n  minor: true\n  guardian: true\n---\n\
Léa Benali raconte sa semaine au 12 rue des Lilas.\n";

/// Inès Kaddour, a minor whose testimonial is published: her first name only.
const PUBLISHED_MINOR: &str = "---\ntitle: \"Une semaine au lycée\"\ndate: 2024-04-01\n\
author:\n  name: \"Inès Kaddour\"\n  photo: portrait.jpg\n  photo_alt: \"Inès devant un écran\"\n\
consent:\n  obtained: 2024-03-01\n  minor: true\n  guardian: true\n---\nInès raconte.\n";

const BACKUPS: [&str; 12] = [
    "index.md.bak",
    "index.md.orig",
    "#index.md#",
    "index.md.save",
    "index.md.swp",
    "index.md.tmp",
    "index.md.1",
    "index.md~",
    "index.md.rej",
    "INDEX.MD.BAK",
    "index.markdown.bak",
    "Index.Md.Orig",
];

/// What no output file may hold.
fn forbidden() -> Vec<Vec<u8>> {
    let mut words: Vec<Vec<u8>> = [
        "Benali",
        "Kaddour",
        // The consent block's keys as written in front matter (the
        // generated personal data page speaks of « consentement »).
        "consent:",
        "obtained:",
        "withdrawn",
        "guardian",
        "2024-01-10",
        "rue des Lilas",
        "SECRET-DEHORS",
        "title: ",
        ARTIST,
        SERIAL,
        GPS_MARKER,
        ICC_MARKER,
        XMP_WORD,
        IPTC_WORD,
        XMP_NAMESPACE,
    ]
    .iter()
    .map(|w| w.as_bytes().to_vec())
    .collect();
    words.push(b"Exif\0\0".to_vec());
    words.push(IPTC_MARKER.to_vec());
    words
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn make_site(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("site");
    write_skeleton(&root, SITE_YAML);
    let section = root.join("content/temoignages");
    let lea = section.join("lea-benali");
    write(&lea.join("index.md"), WITHDRAWN);
    jpeg_with_metadata(&lea.join("photo.jpg"), 1200, 900);
    for name in BACKUPS {
        write(&lea.join(name), WITHDRAWN);
        write(&section.join(name.replace("index", "lea")), WITHDRAWN);
    }
    // Left beside the pages once her `photo:` line was removed elsewhere.
    jpeg_with_metadata(&section.join("Photo Léa Benali.jpg"), 800, 600);
    // A shared folder outside the site, linked in.
    let outside = dir.join("partage");
    write(&outside.join("secret.txt"), "SECRET-DEHORS");
    write(&outside.join("lea.md"), WITHDRAWN);
    std::os::unix::fs::symlink(&outside, root.join("content/partage")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("static")).unwrap();
    // Published pages whose photos carry every kind of metadata.
    let ines = section.join("ines");
    write(&ines.join("index.md"), PUBLISHED_MINOR);
    jpeg_with_metadata(&ines.join("portrait.jpg"), 2400, 1600);
    png_with_metadata(&ines.join("carte.png"), 400, 300);
    replace_in(
        &ines.join("index.md"),
        "Inès raconte.\n",
        "Inès raconte.\n\n![La carte du quartier](carte.png)\n",
    );
    root
}

#[test]
fn nothing_protected_leaves_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = make_site(dir.path());
    let (ok, stderr) = build_site(&root);
    assert!(ok, "{stderr}");
    let out = root.join("public");
    let files = snapshot(&out);
    // The published minor's page and photo are there: the test reads a real site.
    assert!(
        files.contains_key(Path::new("temoignages/ines/index.html")),
        "{:?}",
        files.keys()
    );
    assert!(files.contains_key(Path::new("temoignages/ines/portrait.jpg")));
    for (path, bytes) in &files {
        let shown = path.display().to_string();
        for word in forbidden() {
            assert!(
                !contains(bytes, &word),
                "{shown} holds {:?}",
                String::from_utf8_lossy(&word)
            );
        }
        for word in ["benali", "partage", "secret", ".bak", ".orig", "#", "~"] {
            assert!(
                !shown.to_lowercase().contains(word),
                "{shown} was published"
            );
        }
    }
    // Each protected thing was seen and named, not silently lost.
    for code in [
        "consent-withdrawn",
        "backup-file",
        "unused-file",
        "symlink-outside",
    ] {
        assert!(stderr.contains(&format!("[{code}]")), "{code}: {stderr}");
    }
}
