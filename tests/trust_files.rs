//! Nothing is lost, and nothing from outside the site or unused leaves
//! `content/`: the output path is resolved once, checked and written
//! exactly; symlinks leading out of the site, editor and backup copies and
//! files that no page uses are never published; every URL clash names both
//! of its sources; a name too long for the file system is named at its page.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use common::*;

const SITE_YAML: &str =
    "title: \"Site de test\"\nbase_url: \"https://test.example/\"\nlanguage: fr\ntaxonomies: [tags]\n";

/// A small valid site in `TMP/site` (canonical path); returns (guard, root).
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical").join("site");
    write_skeleton(&root, SITE_YAML);
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nQui sommes-nous.\n",
    );
    (dir, root)
}

/// Every entry under `dir` (folders too), with the bytes of files and the
/// target of symlinks, so that a test sees anything created or deleted.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            let what = if e.path_is_symlink() {
                format!(
                    "-> {}",
                    std::fs::read_link(e.path()).expect("link").display()
                )
            } else if e.file_type().is_dir() {
                "dir".to_string()
            } else {
                String::from_utf8_lossy(&std::fs::read(e.path()).expect("read")).to_string()
            };
            (rel, what)
        })
        .collect()
}

/// `vitrine build ARGS` run from `cwd`: (exit code, stderr).
fn build_in(cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = vitrine()
        .current_dir(cwd)
        .arg("build")
        .args(args)
        .output()
        .expect("vitrine runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn build_root(root: &Path) -> String {
    let (code, stderr) = build_in(root, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    stderr
}

/// The headers of the warnings with `code` (`avertissement: … [code]`).
fn warnings<'a>(stderr: &'a str, code: &str) -> Vec<&'a str> {
    let tag = format!("[{code}]");
    stderr
        .lines()
        .filter(|l| l.starts_with("avertissement") && l.ends_with(&tag))
        .collect()
}

/// Output paths (relative, `/`-separated) of every file under `out`.
fn output_paths(out: &Path) -> Vec<String> {
    snapshot(out)
        .keys()
        .map(|p| p.to_string_lossy().to_string())
        .collect()
}

/// Fails when any output file holds one of `words`.
fn assert_nowhere(out: &Path, words: &[&str]) {
    for (path, bytes) in snapshot(out) {
        let text = String::from_utf8_lossy(&bytes);
        for word in words {
            assert!(
                !text.contains(word),
                "`{word}` published in {}",
                path.display()
            );
        }
    }
}

// --- The output path ---------------------------------------------------------

#[test]
fn an_output_spelt_through_a_missing_folder_never_replaces_a_foreign_one() {
    let (_dir, root) = site();
    let base = root.parent().unwrap().to_path_buf();
    write(&base.join("precious/these.odt"), "ma thèse");
    std::fs::create_dir_all(base.join("work")).unwrap();
    let before = tree(&base);
    // `nope` does not exist: `nope/..` is `work`, and `work/..` is `base`.
    let root_arg = root.to_string_lossy().to_string();
    let (code, stderr) = build_in(
        &base.join("work"),
        &["--root", &root_arg, "--output", "nope/../../precious"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[output-refused]"), "{stderr}");
    assert!(stderr.contains("precious"), "{stderr}");
    assert_eq!(tree(&base), before, "nothing may be created or deleted");
}

#[test]
fn an_output_spelt_onto_site_yaml_is_refused() {
    let (_dir, root) = site();
    let before = tree(&root);
    // `public` does not exist yet.
    let (code, stderr) = build_in(&root, &["--output", "public/../site.yaml"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[output-refused]"), "{stderr}");
    assert_eq!(tree(&root), before, "site.yaml must stay a file, untouched");
    // The site still builds afterwards.
    build_root(&root);
}

#[test]
fn an_output_spelt_through_a_symlink_to_content_is_refused() {
    let (_dir, root) = site();
    symlink("content", root.join("contentlink")).unwrap();
    let before = tree(&root);
    let (code, stderr) = build_in(&root, &["--output", "contentlink/out"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[output-refused]"), "{stderr}");
    assert_eq!(tree(&root), before, "nothing may be written into content/");
}

#[test]
fn an_output_reached_through_a_symlink_is_written_at_its_target() {
    let (dir, root) = site();
    let target = dir.path().join("www/stages");
    std::fs::create_dir_all(&target).unwrap();
    symlink(&target, root.join("public")).unwrap();
    for _ in 0..2 {
        build_root(&root);
    }
    assert!(
        std::fs::symlink_metadata(root.join("public"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert!(target.join("index.html").is_file());
    assert!(target.join(".vitrine-output").is_file());
    // Staging and old copies were made beside the target and removed.
    let beside: Vec<_> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(beside, ["stages"], "{beside:?}");
}
