//! The kill tests: `vitrine build` killed (SIGKILL) at any moment never
//! leaves a half-written site. The output is always exactly one complete
//! build, and the next build cleans what the killed ones left behind. One
//! test kills at random moments of the whole build; the other watches the
//! staging folder and kills while files are appearing in it, until enough
//! kills have landed mid-write (so it proves the same whatever the speed of
//! the machine).
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
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
    } else if let Err(e) = std::fs::remove_file(&extra) {
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{e}");
    }
}

/// The build of `root` into `out`, with SIGHUP, SIGINT and SIGTERM as the
/// system has them by default: the tests may run where they are ignored
/// (a CI job started in the background), and an ignored signal stays
/// ignored by the build. GNU `env` puts them back, then execs vitrine
/// (same process).
fn command(root: &Path, out: &Path) -> Command {
    let mut cmd = Command::new("env");
    cmd.arg("--default-signal=HUP,INT,TERM")
        .arg(env!("CARGO_BIN_EXE_vitrine"));
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
    let (mut killed, mut finished) = (0, 0);
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
    eprintln!("{ITERATIONS} runs over {span:?}: {killed} killed, {finished} finished");
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

/// Kills landed mid-write that [`kills_while_writing_leave_the_previous_site`]
/// requires, and the builds it may start to get them.
const MID_WRITE_KILLS: usize = 12;
const MAX_ATTEMPTS: usize = 80;

/// The staging folder of the build of process `pid` writing `out`.
fn staging_of(out: &Path, pid: u32) -> PathBuf {
    let name = out.file_name().unwrap().to_string_lossy();
    out.with_file_name(format!(".{name}.vitrine-staging-{pid}"))
}

/// Files (not folders) under `dir`; 0 when it does not exist.
fn files_in(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

/// A site in versions A and B, their complete outputs, and `out` built
/// from A.
struct Versions {
    dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    ref_a: Snapshot,
    ref_b: Snapshot,
}

impl Versions {
    fn new() -> Versions {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let out = dir.path().join("out");
        build(&root, &dir.path().join("ref-b"), 'B');
        build(&root, &dir.path().join("ref-a"), 'A');
        let ref_a = snapshot(&dir.path().join("ref-a"));
        let ref_b = snapshot(&dir.path().join("ref-b"));
        build(&root, &out, 'A');
        Versions {
            dir,
            root,
            out,
            ref_a,
            ref_b,
        }
    }

    fn reference(&self, v: char) -> &Snapshot {
        if v == 'A' {
            &self.ref_a
        } else {
            &self.ref_b
        }
    }
}

/// Starts a build of the site at `root` and waits until its staging folder
/// holds `threshold` files; also says whether the build finished first,
/// and how many files were seen.
fn start_until_staged(root: &Path, out: &Path, threshold: usize) -> (Child, bool, usize) {
    let mut child = command(root, out).spawn().expect("vitrine runs");
    let staging = staging_of(out, child.id());
    let mut seen = 0;
    let done = loop {
        if child.try_wait().unwrap().is_some() {
            break true;
        }
        seen = files_in(&staging);
        if seen >= threshold {
            break false;
        }
        std::thread::sleep(Duration::from_micros(100));
    };
    (child, done, seen)
}

#[test]
fn kills_while_writing_leave_the_previous_site() {
    let site = Versions::new();
    let (dir, root, out) = (&site.dir, &site.root, &site.out);
    let (ref_a, ref_b, reference) = (&site.ref_a, &site.ref_b, |v| site.reference(v));
    let mut current = 'A';

    // Each build is killed once its staging folder holds `threshold` files,
    // a number drawn over the first nine tenths of the output so the kills
    // spread over the writing. A build that finishes (or passes its
    // threshold) before it is seen is a miss, and the test tries again.
    let total = ref_a.len().min(ref_b.len()) as u64;
    let mut rng = Rng(0x0dd_ba11_5eed_0042);
    let (mut mid_write, mut attempts, mut misses) = (0, 0, 0);
    let mut failures = Vec::new();
    while mid_write < MID_WRITE_KILLS && attempts < MAX_ATTEMPTS {
        attempts += 1;
        let v = if current == 'A' { 'B' } else { 'A' };
        write_site(root, v);
        let threshold = 1 + (rng.next() % (total * 9 / 10)) as usize;
        let (mut child, done, seen) = start_until_staged(root, out, threshold);
        let staging = staging_of(out, child.id());
        child.kill().unwrap(); // SIGKILL; a no-op once it has exited
        child.wait().unwrap();
        let now = snapshot(out);
        // Files are written first, the marker last, then the folders are
        // swapped: a staging folder left with files but no marker is a
        // build killed while writing.
        let left = files_in(&staging);
        let while_writing = !done && left > 0 && !staging.join(".vitrine-output").exists();
        if while_writing {
            mid_write += 1;
            if now != *reference(current) {
                failures.push(format!(
                    "attempt {attempts}: killed while writing {v} ({seen} files seen, {left} left), \
                     output is not the previous site {current}: {}",
                    describe(&now, reference(current))
                ));
            }
            continue;
        }
        misses += 1;
        if now == *ref_a {
            current = 'A';
        } else if now == *ref_b {
            current = 'B';
        } else {
            failures.push(format!(
                "attempt {attempts} (building {v}): vs A {}; vs B {}",
                describe(&now, ref_a),
                describe(&now, ref_b)
            ));
        }
        if done && current != v {
            failures.push(format!(
                "attempt {attempts}: finished building {v}, output is not {v}"
            ));
        }
    }
    eprintln!(
        "{attempts} builds: {mid_write} killed while writing, {misses} killed too late or finished"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        mid_write >= MID_WRITE_KILLS,
        "only {mid_write} of {attempts} builds were killed while writing \
         (need {MID_WRITE_KILLS}): the test proved too little"
    );

    build(root, out, 'A');
    assert!(
        snapshot(out) == *ref_a,
        "{}",
        describe(&snapshot(out), ref_a)
    );
    let left = leftovers(dir.path());
    assert!(left.is_empty(), "left next to the output: {left:?}");
}

/// Interruptions that [`an_interrupted_build_leaves_the_previous_site_and_nothing_beside_it`]
/// requires while the staging folder fills (each signal twice).
const MID_WRITE_STOPS: usize = 6;

#[test]
fn an_interrupted_build_leaves_the_previous_site_and_nothing_beside_it() {
    let site = Versions::new();
    let (dir, root, out) = (&site.dir, &site.root, &site.out);
    let (ref_a, ref_b, reference) = (&site.ref_a, &site.ref_b, |v| site.reference(v));
    let mut current = 'A';

    // Ctrl-C in the terminal, an editor or CI stopping the task, a closed
    // terminal: each once the staging folder holds some of the files.
    let signals = ["INT", "TERM", "HUP"];
    let total = ref_a.len().min(ref_b.len()) as u64;
    let mut rng = Rng(0x0510_90a1_5eed_0007);
    let (mut stopped, mut attempts) = (0, 0);
    let mut failures = Vec::new();
    while stopped < MID_WRITE_STOPS && attempts < MAX_ATTEMPTS {
        attempts += 1;
        let v = if current == 'A' { 'B' } else { 'A' };
        let signal = signals[stopped % signals.len()];
        write_site(root, v);
        let threshold = 1 + (rng.next() % (total * 9 / 10)) as usize;
        let (mut child, done, _) = start_until_staged(root, out, threshold);
        if !done {
            let sent = Command::new("kill")
                .args(["-s", signal, &child.id().to_string()])
                .status()
                .expect("kill runs");
            assert!(sent.success(), "kill -s {signal} failed");
        }
        let status = child.wait().unwrap();
        let now = snapshot(out);
        let left = leftovers(dir.path());
        if !done && status.code() == Some(130) {
            stopped += 1;
            if now != *reference(current) {
                failures.push(format!(
                    "attempt {attempts}: SIG{signal} while writing {v}, output is not \
                     the previous site {current}: {}",
                    describe(&now, reference(current))
                ));
            }
            if !left.is_empty() {
                failures.push(format!("attempt {attempts}: SIG{signal} left {left:?}"));
            }
            continue;
        }
        // Finished, or the new site had replaced the output already: then
        // the build ends as usual.
        if !status.success() {
            failures.push(format!("attempt {attempts} (SIG{signal}): {status:?}"));
        }
        if now != *reference(v) {
            failures.push(format!(
                "attempt {attempts}: finished building {v}, output is not {v}: {}",
                describe(&now, reference(v))
            ));
        }
        current = v;
    }
    eprintln!("{attempts} builds: {stopped} interrupted while writing");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        stopped >= MID_WRITE_STOPS,
        "only {stopped} of {attempts} builds were interrupted while writing \
         (need {MID_WRITE_STOPS}): the test proved too little"
    );
}

#[test]
fn a_build_started_with_interruptions_ignored_goes_on() {
    // `nohup`, or a script's background job: SIGHUP and SIGINT ignored by
    // the caller stay ignored, and the build ends with the new site.
    let site = Versions::new();
    write_site(&site.root, 'B');
    let vitrine = command(&site.root, &site.out);
    let mut sh = Command::new("sh");
    // `env` then vitrine, as [`command`], without putting the signals back.
    let args = vitrine.get_args().skip_while(|a| *a != "build");
    sh.args(["-c", "trap '' INT HUP; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .envs(vitrine.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = sh.spawn().expect("sh runs");
    let staging = staging_of(&site.out, child.id());
    let mut signalled = false;
    while child.try_wait().unwrap().is_none() {
        if !signalled && files_in(&staging) > 0 {
            for signal in ["INT", "HUP"] {
                let pid = child.id().to_string();
                let sent = Command::new("kill").args(["-s", signal, &pid]).status();
                assert!(sent.expect("kill runs").success(), "kill -s {signal}");
            }
            signalled = true;
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    let status = child.wait().unwrap();
    assert!(signalled, "the build ended before it could be signalled");
    assert!(status.success(), "{status:?}");
    let now = snapshot(&site.out);
    assert!(now == site.ref_b, "{}", describe(&now, &site.ref_b));
}
