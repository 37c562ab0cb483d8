//! `vitrine build` and `vitrine check` on fixture sites and on the example site.

mod common;

use common::*;
use std::path::Path;

#[test]
fn builds_the_example_site_with_clean_urls() {
    let (_dir, out) = build_example(&[]);
    assert!(out.join("index.html").is_file());
    // One page per content file, at its clean URL.
    for entry in walkdir::WalkDir::new(repo_root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let rel = path.strip_prefix(repo_root().join("content")).unwrap();
        let name = rel.file_stem().unwrap().to_string_lossy().to_string();
        let expected = match name.as_str() {
            "_index" | "index" => rel.parent().unwrap().join("index.html"),
            _ => rel.with_extension("").join("index.html"),
        };
        assert!(
            out.join(&expected).is_file(),
            "{} → {}",
            rel.display(),
            expected.display()
        );
    }
    // Section list pages (paginated), bundle files and theme static files.
    assert!(out.join("temoignages/index.html").is_file());
    assert!(out.join("temoignages/page/2/index.html").is_file());
    assert!(out.join("programmes/index.html").is_file());
    assert!(out.join("temoignages/julien/photo.jpg").is_file());
    assert!(out.join("css/site.css").is_file());
}

#[test]
fn copies_bundle_and_static_files() {
    let (_dir, root) = copy_fixture("minimal");
    build_ok(&root);
    let out = root.join("public");
    assert!(out.join("temoignages/ines/index.html").is_file());
    assert!(out.join("temoignages/ines/portrait.png").is_file());
    assert!(out.join("temoignages/ines/schema.png").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("docs/fiche.txt")).unwrap(),
        "Fiche à imprimer\n"
    );
    let page = std::fs::read_to_string(out.join("temoignages/ines/index.html")).unwrap();
    // A minor's surname never appears.
    assert!(!page.contains("Benali"));
    assert!(page.contains("Inès"));
}

#[test]
fn five_mistakes_in_five_files_give_five_diagnostics_at_once() {
    let (_dir, root) = copy_fixture("five-mistakes");
    let assert = vitrine()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    let expected = [
        ("content/temoignages/champ-inconnu.md:4:", "[unknown-field]"),
        ("content/temoignages/mauvais-type.md:6:", "[wrong-type]"),
        ("content/temoignages/mauvaise-date.md:3:", "[bad-date]"),
        ("content/temoignages/lien-casse.md:9:", "[broken-link]"),
        ("templates/page.html:4:", "[template-undefined]"),
    ];
    for (position, code) in expected {
        assert!(
            stderr.contains(position),
            "missing {position} in:\n{stderr}"
        );
        assert!(stderr.contains(code), "missing {code} in:\n{stderr}");
    }
    assert_eq!(stderr.matches("erreur :").count(), 5, "{stderr}");
    assert!(stderr.contains("5 erreurs"), "{stderr}");
    assert!(
        !root.join("public").exists(),
        "a failed build must not write"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let (_dir, root) = copy_fixture("minimal");
    build_ok(&root);
    let before = snapshot(&root.join("public"));
    write(
        &root.join("content/temoignages/stage-1.md"),
        "---\ntitle: Cassé\ndate: pas une date\n---\n",
    );
    vitrine()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .assert()
        .code(1);
    assert_eq!(snapshot(&root.join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        // The picture cache is kept on purpose (made by the first build).
        .filter(|n| n.to_string_lossy().contains("vitrine") && n != ".vitrine-cache")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        vitrine()
            .args(["build", "--root"])
            .arg(repo_root())
            .arg("--output")
            .arg(out)
            .assert()
            .success();
    }
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (path, bytes) in &sa {
        assert!(sb[path] == *bytes, "{} differs", path.display());
    }
}

#[test]
fn every_internal_url_lives_under_the_sub_path_and_resolves() {
    let (_dir, out) = build_example(&["--base-url", "https://x.example/ecole/stages/"]);
    let mut checked = 0;
    for file in html_files(&out) {
        let html = std::fs::read_to_string(&file).unwrap();
        for url in urls_in(&html) {
            if url.starts_with("https://x.example/") {
                assert!(
                    url.starts_with("https://x.example/ecole/stages/"),
                    "{url} in {}",
                    file.display()
                );
                continue;
            }
            if url.starts_with("http") || url.starts_with("mailto:") || url.starts_with('#') {
                continue;
            }
            assert!(
                url.starts_with("/ecole/stages/"),
                "{url} in {}",
                file.display()
            );
            let target = file_for(&out, &url["/ecole/stages/".len()..]);
            assert!(
                target.is_file(),
                "{url} in {} → {}",
                file.display(),
                target.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn refuses_dangerous_or_foreign_output_folders() {
    let (dir, root) = copy_fixture("minimal");
    let assert = vitrine()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .args(["--output", "/"])
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("refus"));

    let foreign = dir.path().join("mes-documents");
    write(&foreign.join("important.odt"), "ne pas effacer");
    let assert = vitrine()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--output")
        .arg(&foreign)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains(".vitrine-output"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(foreign.join("important.odt")).unwrap(),
        "ne pas effacer"
    );

    vitrine()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--output")
        .arg(root.join("content"))
        .assert()
        .code(1);
    assert!(root.join("content/_index.md").is_file());
}

#[test]
fn missing_site_yaml_suggests_init_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let assert = vitrine()
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("vitrine init"));
    vitrine()
        .arg("build")
        .arg("--no-such-flag")
        .assert()
        .code(2);
    vitrine().arg("nonsense").assert().code(2);
    // A malformed value is a usage error too, reported before any build.
    let bad_url = vitrine()
        .args(["build", "--base-url", "lycee.fr"])
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&bad_url.get_output().stderr).contains("https://"));
}

#[test]
fn check_writes_nothing() {
    let (_dir, root) = copy_fixture("minimal");
    vitrine()
        .arg("check")
        .arg("--root")
        .arg(&root)
        .assert()
        .success();
    assert!(!root.join("public").exists());
}

#[test]
fn messages_switch_to_english() {
    let (_dir, root) = copy_fixture("five-mistakes");
    let assert = vitrine()
        .env("LANG", "en_GB.UTF-8")
        .arg("check")
        .arg("--root")
        .arg(&root)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("unknown field `auteur`"), "{stderr}");
    assert!(stderr.contains("did you mean `author`?"), "{stderr}");
}

#[test]
fn a_template_mistake_is_reported_once_at_its_line() {
    let (_dir, root) = copy_fixture("minimal");
    let base =
        std::fs::read_to_string(repo_root().join("themes/default/templates/base.html")).unwrap();
    let broken = base.replacen(
        "asset(path='css/site.css')",
        "asset(path='css/nope.css')",
        1,
    );
    assert_ne!(broken, base, "the theme links its stylesheet with asset()");
    write(&root.join("templates/base.html"), &broken);
    let line = broken
        .lines()
        .position(|l| l.contains("css/nope.css"))
        .unwrap()
        + 1;
    let stderr = build_fails(&root);
    assert_eq!(stderr.matches("erreur :").count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("templates/base.html:{line}:")),
        "{stderr}"
    );
    assert!(stderr.contains("autres pages"), "{stderr}");
}

#[test]
fn markdown_in_any_case_or_as_markdown_is_built_never_copied_raw() {
    let (_dir, root) = copy_fixture("minimal");
    let page = root.join("content/temoignages/stage-1.md");
    std::fs::rename(&page, root.join("content/temoignages/Majuscules.MD")).unwrap();
    write(
        &root.join("content/notes.markdown"),
        "---\ntitle: \"Notes\"\n---\nTexte des notes.\n",
    );
    build_ok(&root);
    let out = root.join("public");
    assert!(out.join("temoignages/majuscules/index.html").is_file());
    assert!(std::fs::read_to_string(out.join("notes/index.html"))
        .unwrap()
        .contains("Texte des notes"));
    // No source file reaches the output: front matter holds surnames and
    // consent data.
    let raw: Vec<_> = snapshot(&out)
        .into_keys()
        .filter(|p| {
            let name = p.to_string_lossy().to_lowercase();
            name.ends_with(".md") || name.ends_with(".markdown")
        })
        .collect();
    assert!(raw.is_empty(), "copied as raw text: {raw:?}");
}

#[test]
fn content_files_that_would_replace_generated_ones_are_errors() {
    let (_dir, root) = copy_fixture("minimal");
    // Files of `content/` are published when a page uses them.
    write(
        &root.join("content/recherche.md"),
        "---\ntitle: \"Recherche\"\n---\nTexte, [flux](atom.xml), [style](css/site.css).\n",
    );
    write(&root.join("content/atom.xml"), "<feed/>\n");
    write(&root.join("content/css/site.css"), "body {}\n");
    let stderr = build_fails(&root);
    assert_eq!(stderr.matches("[output-conflict]").count(), 3, "{stderr}");
    for named in [
        "content/recherche.md",
        "content/atom.xml",
        "content/css/site.css",
    ] {
        assert!(stderr.contains(named), "{named} not named: {stderr}");
    }
    assert!(
        stderr.contains("static/"),
        "the hint names static/: {stderr}"
    );
}

#[test]
fn a_static_file_replaces_the_generated_one() {
    let (_dir, root) = copy_fixture("minimal");
    write(
        &root.join("static/robots.txt"),
        "User-agent: *\nDisallow: /\n",
    );
    for _ in 0..3 {
        build_ok(&root);
        let robots = std::fs::read_to_string(root.join("public/robots.txt")).unwrap();
        assert_eq!(robots, "User-agent: *\nDisallow: /\n");
    }
}

#[test]
fn root_relative_links_follow_the_sub_path() {
    let (_dir, root) = copy_fixture("minimal");
    let page = root.join("content/a-propos.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\n[moi](/a-propos/#fin) [tags](/etiquettes/) [intranet](/intranet/)\n"),
    )
    .unwrap();
    let out = vitrine()
        .args([
            "build",
            "--base-url",
            "https://test.example/ecole/",
            "--root",
        ])
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // Not in the site: a warning at its line, the link left as written.
    assert_eq!(
        stderr.matches("[root-relative-link]").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("/intranet/"), "{stderr}");
    let html = std::fs::read_to_string(root.join("public/a-propos/index.html")).unwrap();
    let hrefs = urls_in(&html);
    for expected in ["/ecole/a-propos/#fin", "/ecole/etiquettes/", "/intranet/"] {
        assert!(
            hrefs.iter().any(|h| h == expected),
            "{expected} not in {hrefs:?}"
        );
    }
}

#[test]
fn progress_stays_off_when_piped() {
    let (_dir, root) = copy_fixture("minimal");
    let (ok, stderr) = build_site(&root);
    assert!(ok, "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("Site construit"),
        "the summary stays: {stderr}"
    );
}

#[test]
fn bodies_kept_in_a_temporary_file_give_the_same_site() {
    // `VITRINE_PACK_FROM=1`: every body is compressed and waits in the
    // build's temporary file, as on a site of 30 000 pages or more.
    let (_plain_dir, plain) = build_example(&[]);
    let dir = tempfile::tempdir().expect("temp dir");
    let spilled = dir.path().join("public");
    vitrine()
        .env("VITRINE_PACK_FROM", "1")
        .args(["build", "--root"])
        .arg(repo_root())
        .arg("--output")
        .arg(&spilled)
        .assert()
        .success();
    let (plain, spilled) = (snapshot(&plain), snapshot(&spilled));
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        spilled.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &plain {
        assert!(&spilled[path] == bytes, "{} differs", path.display());
    }
    // Both builds have the bodies and their text in the search index.
    let page = Path::new("temoignages/clara-vis-mon-job/index.html");
    let page = String::from_utf8_lossy(&spilled[page]);
    assert!(page.contains("Le déroulé de ma journée"), "{page}");
    let index = String::from_utf8_lossy(&spilled[Path::new("search.json")]);
    assert!(index.contains("un binome choisi avec soin"), "{index}");
}

/// A site of `pages` plain pages of about `kb` KB each, built with every
/// body put away in the temporary file (`VITRINE_PACK_FROM=1`), under
/// `ulimit -f` of `limit_kb`.
#[cfg(unix)]
fn build_large_bodies_under_a_file_size_limit(pages: usize, kb: usize, limit_kb: usize) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    write_skeleton(&root, "title: Stages\nbase_url: https://lycee.example/\n");
    let paragraph = "Une journée au service numérique de la mairie, racontée en détail. ";
    let body = format!("{}\n\n", paragraph.repeat(15)).repeat(kb);
    for n in 0..pages {
        let page = format!("---\ntitle: \"Page {n}\"\n---\n\n{body}");
        write(&root.join(format!("content/page-{n}.md")), &page);
    }
    let binary = assert_cmd::cargo::cargo_bin("vitrine");
    let script = format!("ulimit -f {limit_kb}; exec \"$0\" build --quiet --root \"$1\"");
    let out = with_test_env(assert_cmd::Command::new("sh"))
        .env("VITRINE_PACK_FROM", "1")
        .args(["-c", &script])
        .arg(&binary)
        .arg(&root)
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    let page = std::fs::read_to_string(root.join("public/page-3/index.html")).expect("page");
    assert!(page.contains("Une journée au service numérique"), "{page}");
    stderr
}

#[test]
#[cfg(unix)]
fn bodies_past_the_file_size_limit_stay_in_memory_and_the_build_succeeds() {
    // 30 pages of ~100 KB: each page fits under 1 MB, all bodies (3 MB) in
    // one temporary file would not. The system used to kill the build
    // (SIGXFSZ) when the file passed the limit.
    build_large_bodies_under_a_file_size_limit(30, 100, 1024);
}

/// `vitrine build` of the site at `root`, run as `nobody` when the tests
/// run as root (root may delete anything, so nothing could stay).
#[cfg(unix)]
fn build_unprivileged(root: &Path) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("vitrine");
    let uid = std::process::Command::new("id")
        .arg("-u")
        .output()
        .expect("id runs");
    let root_user = String::from_utf8_lossy(&uid.stdout).trim() == "0";
    let mut cmd = match root_user {
        true => {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
                .arg(&binary);
            c
        }
        false => std::process::Command::new(&binary),
    };
    cmd.arg("build").arg("--root").arg(root);
    with_test_env(assert_cmd::Command::from_std(cmd))
        .output()
        .expect("vitrine runs")
}

#[test]
#[cfg(unix)]
fn a_replaced_site_that_cannot_be_deleted_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    // The replaced site stayed beside the output, hidden and unsaid, with
    // whatever had been taken off the site since (a withdrawn testimonial).
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    write_skeleton(&root, "title: Stages\nbase_url: https://lycee.example/\n");
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: À propos\n---\nTexte.\n",
    );
    let open = |path: &Path| {
        for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
            let mode = if entry.file_type().is_dir() {
                0o777
            } else {
                0o666
            };
            let perms = std::fs::Permissions::from_mode(mode);
            std::fs::set_permissions(entry.path(), perms).expect("chmod");
        }
    };
    open(dir.path());
    let first = build_unprivileged(&root);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let kept = root.join("public/a-propos");
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let second = build_unprivileged(&root);
    let said = String::from_utf8_lossy(&second.stderr).to_string();
    open(dir.path());
    assert!(second.status.success(), "{said}");
    let left: Vec<String> = std::fs::read_dir(&root)
        .expect("site folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public.vitrine-old-"))
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(said.contains("[old-output-left]"), "{said}");
    assert!(said.contains(&left[0]), "the folder is named: {said}");
    assert!(
        said.contains("le site remplacé n'a pas pu être supprimé"),
        "{said}"
    );
}
