//! The bad-input corpus: `tests/fixtures/bad/NN-name/` are tiny complete
//! sites with one mistake each (or one odd but valid input). Each is built
//! over a previous output; a failing build must exit 1, name every expected
//! problem at its file and line, not panic, not flood the terminal, and leave
//! the previous output byte-identical. An `ok` case must build.
//!
//! `expected.txt`, one directive per line:
//!
//! ```text
//! setup KIND PATH        prepare the copy: huge-front-matter, huge-markdown,
//!                        unreadable (as root, the build runs as `nobody`),
//!                        symlink-loop
//! ok                     the build must succeed
//! CODE FILE LINE         an `error: … [CODE]` at `FILE:LINE:` (`-`: no line)
//! text WORDS             stderr contains WORDS
//! count N                exactly N errors (default: one per CODE line)
//! exists PATH            (ok cases) PATH is in the output
//! absent PATH            (ok cases) PATH is not in the output
//! contains PATH WORDS    (ok cases) the output file PATH contains WORDS
//! ```
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::*;

/// A build slower than this counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(180);
/// More than this on stderr is not "one clear message".
const MAX_STDERR: usize = 20_000;

#[derive(Debug, Default)]
struct Expected {
    ok: bool,
    setups: Vec<(String, String)>,
    /// (code, file, line)
    errors: Vec<(String, String, Option<usize>)>,
    texts: Vec<String>,
    count: Option<usize>,
    exists: Vec<String>,
    absent: Vec<String>,
    contains: Vec<(String, String)>,
}

fn parse_expected(text: &str) -> Expected {
    let mut e = Expected::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let pair = || {
            let (a, b) = rest.split_once(' ').unwrap_or((rest, ""));
            (a.to_string(), b.to_string())
        };
        match word {
            "ok" => e.ok = true,
            "setup" => e.setups.push(pair()),
            "text" => e.texts.push(rest.to_string()),
            "count" => e.count = Some(rest.parse().expect("count N")),
            "exists" => e.exists.push(rest.to_string()),
            "absent" => e.absent.push(rest.to_string()),
            "contains" => e.contains.push(pair()),
            code => {
                let (file, at) = rest.rsplit_once(' ').expect("CODE FILE LINE");
                let at = (at != "-").then(|| at.parse().expect("line number or -"));
                e.errors.push((code.to_string(), file.to_string(), at));
            }
        }
    }
    e
}

/// Who runs the build of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum User {
    /// The user running the tests.
    Me,
    /// An unprivileged user: the case has a file made unreadable, which
    /// the user running the tests (root) reads anyway.
    Unprivileged,
}

/// `nobody` on Debian and most systems.
const NOBODY: u32 = 65534;

/// The command that runs `program` as [`NOBODY`], the first that works here:
/// `setpriv` or `runuser` (util-linux), checked by running `program
/// --version` with it. `Err` says why neither does.
fn as_nobody(program: &Path) -> Result<Vec<String>, String> {
    let program = program.to_string_lossy().to_string();
    let id = NOBODY.to_string();
    let candidates = [
        vec![
            "setpriv".to_string(),
            format!("--reuid={id}"),
            format!("--regid={id}"),
            "--clear-groups".to_string(),
            "--".to_string(),
        ],
        ["runuser", "-u", "nobody", "--"]
            .map(str::to_string)
            .to_vec(),
    ];
    let mut tried = Vec::new();
    for prefix in candidates {
        let probe = std::process::Command::new(&prefix[0])
            .args(&prefix[1..])
            .arg(&program)
            .arg("--version")
            .output();
        match probe {
            Ok(out) if out.status.success() => return Ok(prefix),
            Ok(out) => tried.push(format!(
                "{}: {}",
                prefix[0],
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Err(e) => tried.push(format!("{}: {e}", prefix[0])),
        }
    }
    Err(format!(
        "cannot run {program} as uid {id} ({})",
        tried.join("; ")
    ))
}

/// Gives `dir` and everything in it to [`NOBODY`].
fn give_to_nobody(dir: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| e.to_string())?;
        std::os::unix::fs::lchown(entry.path(), Some(NOBODY), Some(NOBODY))
            .map_err(|e| format!("chown {}: {e}", entry.path().display()))?;
    }
    Ok(())
}

/// Prepares what is not committed: big files, modes, symlinks. Says who
/// must run the build for the case to test what it means to.
fn set_up(site: &Path, kind: &str, rel: &str) -> Result<User, String> {
    let path = site.join(rel);
    match kind {
        "huge-front-matter" => {
            // 2 MB of fields nobody declared.
            let mut text =
                String::from("---\ntitle: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n");
            let mut i = 0;
            while text.len() < 2_000_000 {
                text.push_str(&format!("champ_{i}: \"valeur numéro {i}\"\n"));
                i += 1;
            }
            text.push_str("---\nTexte.\n");
            write(&path, &text);
        }
        "huge-markdown" => {
            // 10 MB of ordinary Markdown after a valid front matter.
            let mut text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            let mut i = 1;
            while text.len() < 10 * 1024 * 1024 {
                text.push_str(&format!(
                    "## Semaine {i}\n\nLe stagiaire a découvert l'équipe : « c'est formidable ! » \
                     Il a écrit du *code*, des **tests** et une [page](@/temoignages/a.md#semaine-1)... \
                     Voir <https://exemple.fr/{i}>.\n\n- point un ; point deux ?\n- `code` et ~~barré~~\n\n\
                     | a | b |\n|---|---|\n| {i} | x |\n\n"
                ));
                i += 1;
            }
            write(&path, &text);
        }
        "unreadable" => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000))
                .map_err(|e| e.to_string())?;
            if std::fs::read(&path).is_ok() {
                // Root reads anything: someone else must build.
                return Ok(User::Unprivileged);
            }
        }
        "symlink-loop" => {
            std::os::unix::fs::symlink("..", &path).map_err(|e| e.to_string())?;
        }
        other => return Err(format!("unknown setup `{other}`")),
    }
    Ok(User::Me)
}

/// Lines `erreur : … [code]` (`error:` in English) and the `--> file:line:col` that follows each.
fn errors_in(stderr: &str) -> Vec<(&str, Option<&str>)> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("erreur") || l.starts_with("error"))
        .map(|(i, l)| {
            let arrow = lines
                .get(i + 1)
                .map(|n| n.trim_start())
                .and_then(|n| n.strip_prefix("--> "));
            (*l, arrow)
        })
        .collect()
}

enum Outcome {
    Passed(Duration, User),
    Skipped(String),
}

fn run_case(case: &Path, previous: &Path) -> Result<Outcome, String> {
    let expected = parse_expected(
        &std::fs::read_to_string(case.join("expected.txt")).map_err(|e| e.to_string())?,
    );
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let site = dir.path().join("site");
    copy_dir(case, &site);
    std::fs::remove_file(site.join("expected.txt")).map_err(|e| e.to_string())?;
    let mut user = User::Me;
    for (kind, rel) in &expected.setups {
        if set_up(&site, kind, rel)? == User::Unprivileged {
            user = User::Unprivileged;
        }
    }
    let out = dir.path().join("out");
    copy_dir(previous, &out);
    let before = snapshot(&out);

    // As root, `nobody` builds: the site and output become theirs, and
    // the binary is copied where they can run it (it may sit under `/root/`).
    let bin_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut command = match user {
        User::Me => vitrine(),
        User::Unprivileged => {
            use std::os::unix::fs::MetadataExt;
            let uid = dir.path().metadata().map_err(|e| e.to_string())?.uid();
            if uid != 0 {
                return Ok(Outcome::Skipped(format!(
                    "uid {uid} reads a file of mode 000: the file system ignores permissions"
                )));
            }
            let binary = bin_dir.path().join("vitrine");
            std::fs::copy(env!("CARGO_BIN_EXE_vitrine"), &binary).map_err(|e| e.to_string())?;
            give_to_nobody(bin_dir.path())?;
            let prefix = match as_nobody(&binary) {
                Ok(prefix) => prefix,
                Err(why) => return Ok(Outcome::Skipped(format!("running as root, and {why}"))),
            };
            give_to_nobody(dir.path())?;
            let mut command = with_test_env(assert_cmd::Command::new(&prefix[0]));
            command.args(&prefix[1..]).arg(&binary);
            command
        }
    };
    let started = Instant::now();
    let output = command
        .args(["build", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&out)
        .timeout(TIMEOUT)
        .output()
        .map_err(|e| format!("could not run: {e}"))?;
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let mut problems = Vec::new();
    if elapsed >= TIMEOUT {
        problems.push(format!("no answer after {TIMEOUT:?}"));
    }
    if stderr.contains("panicked") {
        problems.push("panicked".to_string());
    }
    if stderr.len() > MAX_STDERR {
        problems.push(format!("{} bytes of messages", stderr.len()));
    }
    let code = output.status.code();
    if expected.ok {
        if code != Some(0) {
            problems.push(format!("exit {code:?}, expected success"));
        }
        // The previous site (tests/fixtures/minimal) was replaced.
        if out.join("temoignages/ines/index.html").exists()
            || !out.join(".vitrine-output").is_file()
        {
            problems.push("the output was not replaced by this site".to_string());
        }
        for rel in &expected.exists {
            if !out.join(rel).is_file() {
                problems.push(format!("{rel} missing from the output"));
            }
        }
        for rel in &expected.absent {
            if out.join(rel).exists() {
                problems.push(format!("{rel} should not be in the output"));
            }
        }
        for (rel, words) in &expected.contains {
            let text = std::fs::read_to_string(out.join(rel)).unwrap_or_default();
            if !text.contains(words.as_str()) {
                problems.push(format!("{rel} does not contain `{words}`"));
            }
        }
    } else {
        if code != Some(1) {
            problems.push(format!("exit {code:?}, expected 1"));
        }
        let errors = errors_in(&stderr);
        for (code, file, line) in &expected.errors {
            let tag = format!("[{code}]");
            let found = errors.iter().any(|(title, arrow)| {
                title.ends_with(&tag)
                    && match line {
                        Some(n) => arrow.is_some_and(|a| a.starts_with(&format!("{file}:{n}:"))),
                        None => title.contains(file.as_str()),
                    }
            });
            if !found {
                let at = line.map_or("-".to_string(), |n| n.to_string());
                problems.push(format!("no {tag} at {file} {at}"));
            }
        }
        let count = expected.count.unwrap_or(expected.errors.len());
        if errors.len() != count {
            problems.push(format!("{} errors, expected {count}", errors.len()));
        }
        if snapshot(&out) != before {
            problems.push("the previous output changed".to_string());
        }
    }
    for words in &expected.texts {
        if !stderr.contains(words.as_str()) {
            problems.push(format!("messages do not say `{words}`"));
        }
    }
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != "site" && n != "out")
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!("left behind: {leftovers:?}"));
    }
    if problems.is_empty() {
        Ok(Outcome::Passed(elapsed, user))
    } else {
        Err(format!(
            "{}\n--- stderr:\n{}",
            problems.join("; "),
            tail(&stderr)
        ))
    }
}

fn tail(text: &str) -> String {
    let start = text.len().saturating_sub(3000);
    let start = (start..=text.len())
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    text[start..].to_string()
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixture("bad"))
        .expect("tests/fixtures/bad")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected.txt").is_file())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_bad_input_gives_clear_errors_and_keeps_the_previous_site() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());

    // A previous site to protect: the minimal fixture, built once.
    let base = tempfile::tempdir().unwrap();
    let minimal = base.path().join("minimal");
    copy_dir(&fixture("minimal"), &minimal);
    let previous = base.path().join("previous");
    vitrine()
        .args(["build", "--root"])
        .arg(&minimal)
        .arg("--output")
        .arg(&previous)
        .assert()
        .success();

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(String, Result<Outcome, String>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = cases.get(i) else { break };
                let name = case.file_name().unwrap().to_string_lossy().to_string();
                let result = std::panic::catch_unwind(|| run_case(case, &previous))
                    .unwrap_or_else(|_| Err("the test itself panicked".to_string()));
                results.lock().unwrap().push((name, result));
            });
        }
    });

    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut failures = Vec::new();
    for (name, result) in &results {
        match result {
            Ok(Outcome::Passed(t, user)) => {
                let whom = if *user == User::Unprivileged {
                    ", as nobody"
                } else {
                    ""
                };
                eprintln!("ok      {name} ({} ms{whom})", t.as_millis());
            }
            Ok(Outcome::Skipped(why)) => eprintln!("skipped {name}: {why}"),
            Err(problem) => failures.push(format!("== {name}: {problem}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
}

#[test]
fn expected_files_parse() {
    let e = parse_expected(
        "setup unreadable content/a b.md\nunknown-field content/a b.md 4\nwalk-error content/x -\ntext vouliez-vous dire `author`\ncount 3\n",
    );
    assert_eq!(
        e.setups,
        [("unreadable".to_string(), "content/a b.md".to_string())]
    );
    assert_eq!(
        e.errors,
        [
            (
                "unknown-field".to_string(),
                "content/a b.md".to_string(),
                Some(4)
            ),
            ("walk-error".to_string(), "content/x".to_string(), None)
        ]
    );
    assert_eq!(e.texts, ["vouliez-vous dire `author`"]);
    assert_eq!((e.count, e.ok), (Some(3), false));
    for case in cases() {
        let text = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        let e = parse_expected(&text);
        assert!(
            e.ok == e.errors.is_empty(),
            "{}: either `ok` or errors",
            case.display()
        );
    }
}
