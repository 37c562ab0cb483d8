//! The kill test: `vitrine build` killed (SIGKILL) at any moment never leaves
//! a half-written site. The output is always exactly one complete build,
//! and the next build cleans what the killed ones left behind.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{snapshot, write};

const ITERATIONS: usize = 50;
const PAGES: usize = 150;

type Snapshot = BTreeMap<PathBuf, Vec<u8>>;

/// Writes version `v` ('A' or 'B') of a generated site. The versions differ
/// in every page (the site title is in each) and in their file lists.
fn write_site(root: &Path, v: char) {
    write(
        &root.join("site.yaml"),
        &format!("title: \"Version {v}\"\nbase_url: \"https://test.example/\"\n"),
    );
    write(
        &root.join("content/_index.md"),
        &format!("---\ntitle: Accueil {v}\n---\nBienvenue ({v}).\n"),
    );
    write(
        &root.join("content/temoignages/_index.md"),
        "---\ntitle: Témoignages\nkind: testimonial\n---\n",
    );
    for i in 1..=PAGES {
        write(
            &root.join(format!("content/temoignages/stage-{i}.md")),
            &format!(
                "---\ntitle: \"Stage {i}\"\ndate: 2021-03-01\nauthor:\n  name: \"Élève {i}\"\ntags: [\"Tag {}\"]\n---\n\
                 Premier paragraphe du stage {i}, version {v}.\n\n## Ce que j'ai fait\n\nCoder, tester, écrire.\n",
                i % 7
            ),
        );
    }
    let extra = root.join("content/temoignages/nouveau.md");
    if v == 'B' {
        write(
            &extra,
            "---\ntitle: \"Nouveau\"\ndate: 2022-01-01\nauthor:\n  name: \"Zoé\"\n---\nSeulement en B.\n",
        );
    } else {
        let _ = std::fs::remove_file(extra);
    }
}

fn command(root: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitrine"));
    cmd.args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("LANG", "fr_FR.UTF-8")
        .env("VITRINE_TODAY", common::TODAY)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// A clean build of version `v` into `out`; returns how long it took.
fn build(root: &Path, out: &Path, v: char) -> Duration {
    write_site(root, v);
    let started = Instant::now();
    let status = command(root, out).status().expect("vitrine runs");
    assert!(status.success(), "clean build of {v} failed");
    started.elapsed()
}

/// xorshift64*: deterministic delays, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn describe(actual: &Snapshot, reference: &Snapshot) -> String {
    let mut diffs: Vec<String> = Vec::new();
    for (path, bytes) in reference {
        match actual.get(path) {
            None => diffs.push(format!("missing {}", path.display())),
            Some(b) if b != bytes => diffs.push(format!("differs {}", path.display())),
            _ => {}
        }
    }
    for path in actual.keys().filter(|p| !reference.contains_key(*p)) {
        diffs.push(format!("extra {}", path.display()));
    }
    let shown = diffs.len().min(8);
    format!("{} differences: {:?}", diffs.len(), &diffs[..shown])
}

/// Names next to the output other than the ones the test made.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !matches!(n.as_str(), "site" | "out" | "ref-a" | "ref-b"))
        .collect()
}

#[test]
fn a_killed_build_leaves_one_complete_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = dir.path().join("out");

    // The two complete outputs the killed builds may leave.
    let time_b = build(&root, &dir.path().join("ref-b"), 'B');
    let time_a = build(&root, &dir.path().join("ref-a"), 'A');
    let ref_a = snapshot(&dir.path().join("ref-a"));
    let ref_b = snapshot(&dir.path().join("ref-b"));
    assert_ne!(ref_a, ref_b);
    build(&root, &out, 'A');
    assert!(snapshot(&out) == ref_a, "a clean build differs from itself");

    // Kills spread over the whole of a build, the writing at the end
    // included (a fixed 0–300 ms would never reach it in a slow debug build).
    let span = time_a
        .max(time_b)
        .mul_f64(1.5)
        .max(Duration::from_millis(300));
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let (mut killed, mut finished, mut mid_write) = (0, 0, 0);
    let mut failures = Vec::new();
    for i in 0..ITERATIONS {
        let v = if i % 2 == 0 { 'B' } else { 'A' };
        write_site(&root, v);
        let delay = Duration::from_micros(rng.next() % span.as_micros() as u64);
        let mut child = command(&root, &out).spawn().expect("vitrine runs");
        std::thread::sleep(delay);
        let done = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL; a no-op once it has exited
        child.wait().unwrap();
        if done {
            finished += 1;
        } else {
            killed += 1;
            // Its staging (or replaced) folder is named after its process.
            let pid = format!("-{}", child.id());
            if leftovers(dir.path()).iter().any(|n| n.ends_with(&pid)) {
                mid_write += 1;
            }
        }
        let now = snapshot(&out);
        if now != ref_a && now != ref_b {
            failures.push(format!(
                "iteration {i} (building {v}, killed after {delay:?}): vs A {}; vs B {}",
                describe(&now, &ref_a),
                describe(&now, &ref_b)
            ));
        } else if done && now != *(if v == 'A' { &ref_a } else { &ref_b }) {
            failures.push(format!(
                "iteration {i}: finished building {v}, output is not {v}"
            ));
        }
    }
    eprintln!(
        "{ITERATIONS} runs over {span:?}: {killed} killed ({mid_write} while writing), {finished} finished"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(killed > 0, "no build was killed: the test proved nothing");

    // One normal build: the site is right and the leftovers are gone.
    build(&root, &out, 'A');
    assert!(
        snapshot(&out) == ref_a,
        "{}",
        describe(&snapshot(&out), &ref_a)
    );
    let left = leftovers(dir.path());
    assert!(left.is_empty(), "left next to the output: {left:?}");
}
