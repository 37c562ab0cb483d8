//! `serve` rebuilds only what an edit touches. Whatever it skips, its output
//! must be exactly what a full build of the same content gives: after each
//! edit below, the rebuilt folder is compared file by file with a fresh
//! `build` of the same site.

mod common;

use std::path::{Path, PathBuf};

use common::{replace_in, snapshot, write, write_skeleton};
use vitrine::serve::Session;
use vitrine::site::{self, BuildOptions, Outcome};

/// A site large enough for lists to span several pages (3 cards per page),
/// with testimonials sharing dates so that titles decide their order.
fn generated_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical temp dir");
    write_skeleton(
        &root,
        "title: \"Site généré\"\nbase_url: \"https://test.example/stages/\"\nlanguage: fr\n\
         paginate_by: 3\ntaxonomies: [tags, organisations, levels, programmes]\n",
    );
    for (slug, title) in [("vis-mon-job", "Vis mon job"), ("stage-3e", "Stage de 3e")] {
        write(
            &root.join(format!("content/programmes/{slug}.md")),
            &format!(
                "---\ntitle: \"{title}\"\norganiser: \"DINUM\"\n---\nUne journée.\n\n## Comment participer\n\nÉcrire.\n"
            ),
        );
    }
    let tags = ["Numérique", "Santé", "Économie", "Public"];
    for n in 1..=14 {
        // Days 1..=5 repeat: several testimonials share each date.
        let day = (n % 5) + 1;
        let programme = if n % 2 == 0 {
            "vis-mon-job"
        } else {
            "stage-3e"
        };
        write(
            &root.join(format!("content/temoignages/t{n:02}.md")),
            &format!(
                "---\ntitle: \"Stage {n:02}\"\ndate: 2024-03-{day:02}\nauthor:\n  name: \"Élève {n}\"\n\
                 programme: {programme}\norganisation: \"Organisation {o}\"\nlevel: \"3e\"\n\
                 tags: [\"{t1}\", \"{t2}\"]\n---\nCorps du témoignage {n}.\n\n## Ce que j'ai fait\n\n\
                 Voir [le programme](@/programmes/{programme}.md#comment-participer).\n",
                o = n % 3,
                t1 = tags[n % 4],
                t2 = tags[(n + 1) % 4],
            ),
        );
    }
    (dir, root)
}

/// A full build of `root` into a new folder, and what it said.
fn fresh_build(root: &Path) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let mut options = BuildOptions::new(root);
    options.output = Some(out.clone());
    let outcome = site::build(&options);
    assert!(
        !outcome.report.has_errors(),
        "{}",
        outcome.report.render(false, vitrine::diagnostics::Lang::Fr)
    );
    let said = outcome.report.render(false, vitrine::diagnostics::Lang::Fr);
    (dir, out, said)
}

/// The rebuilt output must equal a fresh full build, file by file. Returns
/// what the full build said.
fn assert_same_as_full_build(root: &Path, served: &Path, step: &str) -> String {
    let (_guard, fresh, said) = fresh_build(root);
    let (served_dir, fresh_dir) = (served, fresh.clone());
    let served = snapshot(served);
    let fresh = snapshot(&fresh);
    let only_served: Vec<_> = served.keys().filter(|p| !fresh.contains_key(*p)).collect();
    let only_fresh: Vec<_> = fresh.keys().filter(|p| !served.contains_key(*p)).collect();
    assert!(
        only_served.is_empty() && only_fresh.is_empty(),
        "{step}: files only in the rebuilt output {only_served:?}, only in the full build {only_fresh:?}"
    );
    let differing: Vec<_> = served
        .iter()
        .filter(|(path, bytes)| fresh.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differing.is_empty(),
        "{step}: the rebuild left these files different from a full build: {differing:?}"
    );
    // Nor an empty folder of a page that is gone.
    assert_eq!(folders(served_dir), folders(&fresh_dir), "{step}: folders");
    said
}

/// The folders under `dir`, relative to it.
fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).expect("inside").to_path_buf())
        .collect();
    found.sort();
    found
}

fn was_incremental(outcome: &Outcome) -> bool {
    !outcome.timings.iter().any(|(step, _)| *step == "load")
}

struct Served {
    session: Session,
    root: PathBuf,
    out: PathBuf,
    _guard: tempfile::TempDir,
}

impl Served {
    fn start(root: &Path) -> Served {
        let guard = tempfile::tempdir().expect("temp dir");
        let out = guard.path().join("preview");
        let mut options = BuildOptions::new(root);
        options.output = Some(out.clone());
        let mut session = Session::new(options);
        let outcome = session.rebuild(&[]);
        assert!(
            !outcome.report.has_errors(),
            "{}",
            outcome.report.render(false, vitrine::diagnostics::Lang::Fr)
        );
        Served {
            session,
            root: root.to_path_buf(),
            out,
            _guard: guard,
        }
    }

    /// Edits one file, rebuilds as `serve` does after saving it, and checks
    /// the result against a full build. Returns whether only the changed
    /// page's part of the site was redone.
    fn edit(&mut self, rel: &str, from: &str, to: &str, step: &str) -> bool {
        let path = self.root.join(rel);
        replace_in(&path, from, to);
        let outcome = self.session.rebuild(&[path]);
        let said = outcome.report.render(false, vitrine::diagnostics::Lang::Fr);
        assert!(!outcome.report.has_errors(), "{step}: {said}");
        let full = assert_same_as_full_build(&self.root, &self.out, step);
        // Every warning of the site, not only the edited page's.
        assert_eq!(said, full, "{step}: what the rebuild said");
        was_incremental(&outcome)
    }
}

#[test]
fn every_incremental_rebuild_equals_a_full_build() {
    let (_site, root) = generated_site();
    let mut served = Served::start(&root);
    assert_same_as_full_build(&root, &served.out, "first build");

    let t05 = "content/temoignages/t05.md";
    let body = served.edit(
        t05,
        "Corps du témoignage 5.",
        "Un autre corps.",
        "body edit",
    );
    assert!(body, "a body edit must not rebuild the whole site");

    // t05 shares its date with t10: renaming it swaps their order.
    let title = served.edit(
        t05,
        "title: \"Stage 05\"",
        "title: \"Stage 99\"",
        "title edit",
    );
    assert!(
        title,
        "a title edit keeps the page's URL and terms: incremental"
    );

    // From one of the oldest to the newest: every list page shifts.
    let date = served.edit(
        "content/temoignages/t10.md",
        "date: 2024-03-01",
        "date: 2025-01-01",
        "date edit",
    );
    assert!(date, "a date edit is incremental too");

    let summary = served.edit(
        "content/temoignages/t07.md",
        "title: \"Stage 07\"",
        "title: \"Stage 07\"\nsummary: \"Un résumé écrit à la main.\"",
        "summary added",
    );
    assert!(summary);

    let programme = served.edit(
        "content/programmes/vis-mon-job.md",
        "Une journée.",
        "Une journée d'immersion.",
        "programme body edit",
    );
    assert!(programme);

    // A programme's title names its term page: a full rebuild, still exact.
    served.edit(
        "content/programmes/vis-mon-job.md",
        "title: \"Vis mon job\"",
        "title: \"Vis ma vie\"",
        "programme renamed",
    );
    // New terms make new pages: a full rebuild, still exact.
    served.edit(
        "content/temoignages/t03.md",
        "tags: [",
        "tags: [\"Nouveau\", ",
        "tag added",
    );
    // A page of the root is in every page's menu: renamed, every page shows it.
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nQui sommes-nous.\n",
    );
    served.session.rebuild(&[root.join("content/a-propos.md")]);
    served.edit(
        "content/a-propos.md",
        "title: \"À propos\"",
        "title: \"Qui sommes-nous\"",
        "root page renamed",
    );
    // Back to an incremental edit after the full ones.
    assert!(served.edit(
        "content/temoignages/t03.md",
        "Corps du témoignage 3.",
        "Corps revu.",
        "body edit after a full rebuild",
    ));
}

/// Warnings of other pages and files stay in view after an edit, as a full
/// build shows them; those of the edited page come and go with it.
#[test]
fn a_rebuild_says_every_warning_of_the_site_as_a_full_build_does() {
    let (_site, root) = generated_site();
    // A backup copy (said when reading `content/`), a picture of another site
    // (a rule), a link to a missing file (a body's own problem).
    write(&root.join("content/temoignages/t01.md.orig"), "copie");
    replace_in(
        &root.join("content/temoignages/t02.md"),
        "Corps du témoignage 2.",
        "Corps du témoignage 2. ![Logo](https://autre.example/logo.png)",
    );
    replace_in(
        &root.join("content/temoignages/t04.md"),
        "Corps du témoignage 4.",
        "Corps du témoignage 4. [La fiche](absente.pdf)",
    );
    let mut served = Served::start(&root);
    let codes = ["backup-file", "third-party-resource", "broken-link"];
    let said = |served: &mut Served, rel: &str, from: &str, to: &str| {
        let path = root.join(rel);
        replace_in(&path, from, to);
        let outcome = served.session.rebuild(&[path]);
        assert!(was_incremental(&outcome), "{rel}: {from} → {to}");
        outcome.report.render(false, vitrine::diagnostics::Lang::Fr)
    };
    let t05 = "content/temoignages/t05.md";
    let after = said(&mut served, t05, "Corps du témoignage 5.", "Autre corps.");
    for code in codes {
        assert!(after.contains(code), "{code} lost after an edit: {after}");
    }
    // The edited page's own warnings come and go.
    let (from, to) = (
        "Autre corps.",
        "Autre corps. ![Vue](https://vue.example/a.jpg)",
    );
    let after = said(&mut served, t05, from, to);
    assert!(after.contains("vue.example"), "{after}");
    let after = said(&mut served, t05, to, from);
    assert!(!after.contains("vue.example"), "{after}");
    // An error of its front matter (an unknown field) is said with every
    // warning of the site, as `build` says it, until it is fixed.
    let said_fully = |served: &mut Served, from: &str, to: &str| {
        let path = root.join(t05);
        replace_in(&path, from, to);
        let outcome = served.session.rebuild(&[path]);
        assert!(outcome.report.has_errors(), "{from} → {to}");
        outcome.report.render(false, vitrine::diagnostics::Lang::Fr)
    };
    let (from, to) = ("Stage 05\"", "Stage 05\"\ncouleur: bleu");
    for (a, b) in [(from, to), ("Autre corps.", "Autre corps encore.")] {
        let after = said_fully(&mut served, a, b);
        assert!(after.contains("couleur"), "{after}");
        for code in codes {
            assert!(after.contains(code), "{code} hidden by the error: {after}");
        }
    }
    // Fixed: a full build, since the last one failed; clean again.
    assert!(!served.edit(t05, to, from, "couleur removed"));
    let t04 = "content/temoignages/t04.md";
    let after = said(&mut served, t04, " [La fiche](absente.pdf)", "");
    assert!(!after.contains("absente.pdf"), "{after}");
    assert!(after.contains("autre.example"), "{after}");
    // The same as a full build, every warning included.
    assert!(served.edit(t05, "Autre corps encore.", "Corps.", "after the edits"));
}

#[test]
fn a_heading_renamed_under_an_anchor_link_fails_then_recovers() {
    let (_site, root) = generated_site();
    let mut served = Served::start(&root);
    let programme = root.join("content/programmes/stage-3e.md");
    replace_in(&programme, "## Comment participer", "## Pour participer");
    let outcome = served.session.rebuild(std::slice::from_ref(&programme));
    let report = outcome.report.render(false, vitrine::diagnostics::Lang::Fr);
    assert!(
        report.contains("broken-anchor") && report.contains("comment-participer"),
        "links to the old heading must be reported: {report}"
    );
    replace_in(&programme, "## Pour participer", "## Comment participer");
    let outcome = served.session.rebuild(std::slice::from_ref(&programme));
    assert!(
        !outcome.report.has_errors(),
        "{}",
        outcome.report.render(false, vitrine::diagnostics::Lang::Fr)
    );
    assert_same_as_full_build(&root, &served.out, "heading restored");
}

#[test]
fn linking_a_file_from_a_page_publishes_it_as_a_full_build_does() {
    let (_site, root) = generated_site();
    write(&root.join("content/temoignages/fiche.pdf"), "FICHE");
    let mut served = Served::start(&root);
    assert_same_as_full_build(&root, &served.out, "first build");
    let t05 = "content/temoignages/t05.md";
    served.edit(
        t05,
        "Corps du témoignage 5.",
        "Corps avec [la fiche](fiche.pdf).",
        "file linked",
    );
    assert!(served.out.join("temoignages/fiche.pdf").is_file());
    served.edit(
        t05,
        "Corps avec [la fiche](fiche.pdf).",
        "Corps sans fiche.",
        "link removed",
    );
    assert!(!served.out.join("temoignages/fiche.pdf").exists());
}

/// The files of the search page's index, each with its inode: a rewritten
/// file gets a new one (written beside, then renamed over).
#[cfg(unix)]
fn search_parts(out: &Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(out.join("search-data"))
        .expect("search-data/")
        .map(|e| {
            let e = e.expect("entry");
            let inode = e.metadata().expect("metadata").ino();
            (e.file_name().to_string_lossy().to_string(), inode)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_body_edit_rewrites_only_the_search_parts_it_changes() {
    let (_site, root) = generated_site();
    let mut served = Served::start(&root);
    let before = search_parts(&served.out);
    assert!(served.edit(
        "content/temoignages/t05.md",
        "Corps du témoignage 5.",
        "Un autre corps.",
        "body edit",
    ));
    let after = search_parts(&served.out);
    let kept = after
        .iter()
        .filter(|(name, inode)| before.get(*name) == Some(inode));
    let new: Vec<&String> = after.keys().filter(|n| !before.contains_key(*n)).collect();
    // The manifest and the shard of the new words are new files; facet lists
    // and result packs (no body in them) are the same files, not rewritten.
    assert!(new.len() >= 2, "new parts: {new:?}");
    assert!(
        kept.count() >= 5,
        "parts rewritten although unchanged: {before:?} -> {after:?}"
    );
}

/// A legal page vitrine makes can be replaced by a writer's file of the
/// same path while `serve` runs, then edited, then removed again: each
/// time the preview is what a full build gives.
#[test]
fn a_legal_page_overridden_while_serving_equals_a_full_build() {
    let (_site, root) = generated_site();
    let mut served = Served::start(&root);
    let page = served.out.join("accessibilite/index.html");
    let generated = std::fs::read_to_string(&page).expect("generated statement");
    let file = root.join("content/accessibilite.md");
    write(
        &file,
        "---\ntitle: Accessibilité\n---\nNotre propre déclaration.\n",
    );
    let outcome = served.session.rebuild(std::slice::from_ref(&file));
    assert!(
        !outcome.report.has_errors(),
        "{}",
        outcome.report.render(false, vitrine::diagnostics::Lang::Fr)
    );
    assert!(std::fs::read_to_string(&page)
        .expect("statement")
        .contains("Notre propre déclaration."));
    assert_same_as_full_build(&root, &served.out, "override created");
    served.edit(
        "content/accessibilite.md",
        "Notre propre",
        "Notre nouvelle",
        "override edited",
    );
    std::fs::remove_file(&file).expect("remove");
    let outcome = served.session.rebuild(std::slice::from_ref(&file));
    assert!(
        !outcome.report.has_errors(),
        "{}",
        outcome.report.render(false, vitrine::diagnostics::Lang::Fr)
    );
    assert_eq!(
        std::fs::read_to_string(&page).expect("statement"),
        generated
    );
    assert_same_as_full_build(&root, &served.out, "override removed");
}

/// A site whose search index has several shards: 150 testimonials, each
/// with words of its own.
fn site_with_many_words() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = generated_site();
    for n in 100..250 {
        let words: Vec<String> = (0..40).map(|k| format!("mot{n}x{k}")).collect();
        write(
            &root.join(format!("content/temoignages/t{n}.md")),
            &format!(
                "---\ntitle: \"Stage {n}\"\ndate: 2024-04-{day:02}\nauthor:\n  name: \"Élève {n}\"\n\
                 programme: stage-3e\n---\nCorps {n} : {words}.\n",
                day = n % 28 + 1,
                words = words.join(" "),
            ),
        );
    }
    (dir, root)
}

#[cfg(unix)]
#[test]
fn title_and_body_edits_give_a_full_builds_search_data_rewriting_only_changed_parts() {
    let (_site, root) = site_with_many_words();
    let mut served = Served::start(&root);
    let before = search_parts(&served.out);
    assert!(before.len() > 20, "several shards wanted: {}", before.len());
    let page = "content/temoignages/t180.md";
    // `edit` compares every file, search-data/ included, with a full build.
    assert!(served.edit(
        page,
        "title: \"Stage 180\"",
        "title: \"Stage 180 remanié\"",
        "title edit",
    ));
    let after_title = search_parts(&served.out);
    let rewritten = |before: &std::collections::BTreeMap<String, u64>,
                     after: &std::collections::BTreeMap<String, u64>| {
        after
            .iter()
            .filter(|(name, inode)| before.get(*name) != Some(*inode))
            .count()
    };
    let title_rewritten = rewritten(&before, &after_title);
    // The manifest, the shards of the title's words, a node or two, its
    // pack: a few parts, not all of them.
    assert!(
        title_rewritten >= 2 && title_rewritten * 4 < after_title.len(),
        "{title_rewritten} of {} parts rewritten after a title edit",
        after_title.len()
    );
    assert!(served.edit(
        page,
        "Corps 180 :",
        "Corps 180 revu avec zythum :",
        "body edit",
    ));
    let after_body = search_parts(&served.out);
    let body_rewritten = rewritten(&after_title, &after_body);
    assert!(
        body_rewritten >= 2 && body_rewritten * 4 < after_body.len(),
        "{body_rewritten} of {} parts rewritten after a body edit",
        after_body.len()
    );
}

/// Review of #17: while a page's front matter was broken, saving another
/// page rebuilt that one alone from the last good build: the error was no
/// longer said (the preview looked clean, `build` still failed), and the
/// broken save itself hid every other warning of the site.
#[test]
fn an_error_of_one_page_stays_said_while_others_are_saved() {
    let (_site, root) = generated_site();
    write(&root.join("content/temoignages/t01.md.orig"), "copie");
    let mut served = Served::start(&root);
    let render = |o: &Outcome| o.report.render(false, vitrine::diagnostics::Lang::Fr);
    let t03 = root.join("content/temoignages/t03.md");
    replace_in(&t03, "date: 2024-03-04", "date: 2024-13-45");
    let broken = served.session.rebuild(std::slice::from_ref(&t03));
    let said = render(&broken);
    assert!(broken.report.has_errors(), "{said}");
    // As `build` says it: the error and the site's other warnings.
    assert!(
        said.contains("2024-13-45") && said.contains("backup-file"),
        "{said}"
    );
    for n in [5, 6] {
        let other = root.join(format!("content/temoignages/t{n:02}.md"));
        replace_in(&other, "## Ce que j'ai fait", "## Ce que j'ai appris");
        let outcome = served.session.rebuild(&[other]);
        let said = render(&outcome);
        assert!(outcome.report.has_errors(), "t{n:02} saved: {said}");
        assert!(
            said.contains("2024-13-45") && said.contains("backup-file"),
            "{said}"
        );
    }
    // Fixed: the preview is the site a full build makes, every save in it.
    assert!(!served.edit(
        "content/temoignages/t03.md",
        "date: 2024-13-45",
        "date: 2024-03-04",
        "t03 fixed"
    ));
}

/// Review of #17: a page removed while `serve` runs left its empty folder
/// (and its tags' and pagers' folders) in the preview.
#[test]
fn a_removed_page_leaves_no_folder_behind() {
    let (_site, root) = generated_site();
    let mut served = Served::start(&root);
    let gone = root.join("content/temoignages/t14.md");
    std::fs::remove_file(&gone).expect("remove");
    let outcome = served.session.rebuild(&[gone]);
    assert!(!outcome.report.has_errors());
    assert_same_as_full_build(&root, &served.out, "t14 removed");
}
