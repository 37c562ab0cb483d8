//! The build pipeline: load → validate → render → write, with every
//! diagnostic of the run collected in one [`Report`].

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::rules::{self, Publication};
use crate::content::{self, Content, Item};
use crate::dates::Date;
use crate::diagnostics::{shown_path, Diagnostic, Report};
use crate::images::{self, Images};
use crate::lists::Lists;
use crate::markdown::{self, AnchorRef, Heading, LinkTarget, Rendered};
use crate::output::{self, Contents, Guard, OutputFile};
use crate::render;
use crate::spill::Spill;
use crate::templates::Engine;
use crate::theme;
use crate::urls::Urls;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `root/public`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// `false` for `vitrine check`: validate and render, write nothing.
    pub write: bool,
    /// Show the step under way on the terminal (stderr), for long builds,
    /// in this language.
    pub progress: Option<crate::i18n::Lang>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            write: true,
            progress: None,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// The result of a run. The build failed when `report.has_errors()`; the
/// previous output is then untouched.
#[derive(Debug, Default)]
pub struct Outcome {
    pub report: Report,
    /// Consents ending soon (listed by `check`).
    pub expiring: Vec<Diagnostic>,
    /// The first day a published testimonial's consent ends, and its file:
    /// the site must be built again that day.
    pub next_expiry: Option<(Date, PathBuf)>,
    /// The day the accessibility audit stops counting, if it counts today:
    /// every footer's mention changes then.
    pub audit_end: Option<Date>,
    /// The next day a published programme opens or ends, and its file: its
    /// page (« Candidater ») changes then.
    pub next_programme_change: Option<(Date, PathBuf)>,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// The folder written, resolved (`--output` may have been a relative or
    /// symlinked spelling of it).
    pub output: Option<PathBuf>,
    /// Time spent in each step, for `--verbose`.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Records how long each step of a build takes, and shows the step under
/// way when asked ([`BuildOptions::progress`]).
pub(crate) struct Stopwatch {
    last: Instant,
    progress: Option<crate::i18n::Lang>,
}

impl Stopwatch {
    pub(crate) fn new(options: &BuildOptions) -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            progress: options.progress,
        }
    }

    pub(crate) fn lap(&mut self, outcome: &mut Outcome, step: &'static str) {
        let now = Instant::now();
        outcome.timings.push((step, now - self.last));
        self.last = now;
    }

    /// Replaces the progress line with `step` (a terminal line, redrawn).
    fn show(&self, step: &crate::i18n::Text) {
        if let Some(lang) = self.progress {
            Stopwatch::redraw(crate::i18n::progress(step).get(lang));
        }
    }

    fn clear(&self) {
        if self.progress.is_some() {
            Stopwatch::redraw("");
        }
    }

    fn redraw(text: &str) {
        let mut err = std::io::stderr();
        let _ = write!(err, "\r\x1b[2K{text}");
        let _ = err.flush();
    }
}

/// Runs the whole pipeline.
pub fn build(options: &BuildOptions) -> Outcome {
    let started = Instant::now();
    let mut outcome = Outcome::default();
    let result = run(options, &mut outcome);
    Stopwatch::new(options).clear();
    if let Err(diagnostics) = result {
        outcome.report.extend(diagnostics);
    }
    outcome.report = std::mem::take(&mut outcome.report).sorted();
    outcome.elapsed = started.elapsed();
    outcome
}

fn run(options: &BuildOptions, outcome: &mut Outcome) -> Result<(), Vec<Diagnostic>> {
    let settled = settle(options)?;
    let mut watch = Stopwatch::new(options);
    let mut prepared = prepare_with(options, &settled, outcome, &mut watch, true);
    lighten(&mut prepared);
    // Pages go to the staging folder as they are rendered, unless the build
    // already failed (then nothing is written) or the output cannot be
    // replaced (`commit` reports that at the end, as for any build).
    let staging = match &settled.destination {
        Some(destination) if !outcome.report.has_errors() => {
            output::Staging::open(destination).ok()
        }
        _ => None,
    };
    let mut write_pages = |mut files: Vec<OutputFile>| match &staging {
        Some(staging) => {
            keep_last_of_each_path(&mut files);
            // A name too long for the file system is reported, with its
            // writer, by `check_output_paths`, which fails the build.
            files.retain(|f| f.path.split('/').all(|s| s.len() <= output::NAME_MAX));
            staging.write(files)
        }
        None => Ok(()),
    };
    // `check` writes nothing: its pages are made (and checked) and let go
    // as they come, not kept — at 100 000 pages that was 4 GB more than a
    // build. A build that cannot stage keeps them for `commit`.
    let checking = settled.destination.is_none();
    let sink: Option<render::Sink> = match staging.is_some() || checking {
        true => Some(&mut write_pages),
        false => None,
    };
    let everything = |input: &render::Input, engine: &mut Option<Engine>| {
        render::render_into(input, None, None, engine, sink)
    };
    let finished = finish(
        options, settled, prepared, true, outcome, &mut None, everything,
    );
    let Some(mut built) = finished? else {
        return Ok(());
    };
    watch.show(&crate::i18n::step_write());
    let files = std::mem::take(&mut built.files);
    let left = match staging {
        // After the pages: a file of `static/` at a page's path replaces it.
        Some(staging) => staging.write(files).and_then(|()| staging.swap_in()),
        None => output::commit(&built.destination, files),
    }
    .map_err(|d| vec![d])?;
    outcome.report.extend(left);
    watch.lap(outcome, "write");
    outcome.output = Some(built.destination.path().to_path_buf());
    let_go(built);
    Ok(())
}

/// Frees `value` on a thread of its own: a build's model is millions of
/// small allocations (1.5 s to free at 100 000 pages, a tenth of that at
/// 10 000) that nothing waits for once the site is written — `vitrine
/// build` exits meanwhile and the system takes the memory back at once.
fn let_go<T: Send + 'static>(value: T) {
    let dropper = std::thread::Builder::new().name("vitrine-drop".into());
    // Without a thread to be had, `spawn` drops the closure, and the value
    // with it, here.
    let _ = dropper.spawn(move || drop(value));
}

/// The site's settings, checked before any page is read: `site.yaml`, where
/// the output goes, today's date for the publication rules.
pub(crate) struct Settled {
    pub(crate) config: Config,
    pub(crate) urls: Urls,
    /// `None` for `check`, which writes nothing.
    pub(crate) destination: Option<output::Destination>,
    pub(crate) publication: Publication,
}

/// The first stage: settings checked, and `content/` there to read.
pub(crate) fn settle(options: &BuildOptions) -> Result<Settled, Vec<Diagnostic>> {
    let root = options.root.as_path();
    let mut config = config::load(root)?;
    if let Some(url) = &options.base_url {
        config.override_base_url(url).map_err(|d| vec![d])?;
    }
    let destination = if options.write {
        let guard = guard_for(root);
        Some(output::Destination::check(&options.output_dir(), &guard).map_err(|d| vec![d])?)
    } else {
        None
    };
    // Built from nothing, the site would replace the last one with an empty
    // shell.
    content_folder(root).map_err(|d| vec![d])?;
    let urls = Urls::new(&config);
    let publication = Publication {
        drafts: options.drafts,
        today: Date::today(),
    };
    Ok(Settled {
        config,
        urls,
        destination,
        publication,
    })
}

/// Everything a successful build made: the files to write, and what a
/// `serve` rebuild can start from.
pub(crate) struct Built {
    pub(crate) content: Content,
    pub(crate) cards: Arc<crate::views::Cards>,
    pub(crate) lists: Arc<Lists>,
    pub(crate) search: crate::search::Entries,
    pub(crate) page_bodies: Arc<Vec<Option<Rendered>>>,
    pub(crate) section_bodies: Vec<Rendered>,
    pub(crate) images: Images,
    /// The files of `content/` published ([`published_files`]).
    pub(crate) published: HashSet<PathBuf>,
    /// The day publication rules were applied for: consents end at midnight.
    pub(crate) day: Date,
    pub(crate) files: Vec<OutputFile>,
    /// Where they go, resolved and checked before the work began.
    pub(crate) destination: output::Destination,
    /// Whether `files` is the whole site (else only what a rebuild changed).
    pub(crate) full: bool,
}

/// Folders the output must stay out of, for the site at `root`.
fn guard_for(root: &Path) -> Guard<'_> {
    Guard {
        site_root: root,
        sources: source_dirs(root),
    }
}

/// The content with its rendered bodies, ready for the templates.
pub(crate) struct Prepared {
    pub(crate) content: Content,
    pub(crate) images: Images,
    /// Published pictures, re-encoded, and their variants (a full build
    /// only), each with its source.
    pub(crate) variant_files: Vec<(PathBuf, OutputFile)>,
    /// The files of `content/` published ([`published_files`]).
    pub(crate) published: HashSet<PathBuf>,
    pub(crate) page_bodies: Vec<Option<Rendered>>,
    pub(crate) section_bodies: Vec<Rendered>,
}

/// The last stages before writing: the theme, the templates (through
/// `render`: every page for a build, what a change affects for `serve`),
/// and for a whole site the checks of every output path. `None` when there
/// are errors (reported in `outcome`) or nothing is to be written (`check`).
pub(crate) fn finish(
    options: &BuildOptions,
    settled: Settled,
    prepared: Prepared,
    full: bool,
    outcome: &mut Outcome,
    engine: &mut Option<Engine>,
    render: impl FnOnce(&render::Input, &mut Option<Engine>) -> render::Rendering,
) -> Result<Option<Built>, Vec<Diagnostic>> {
    let root = options.root.as_path();
    let mut watch = Stopwatch::new(options);
    let Settled {
        config,
        urls,
        destination,
        publication,
    } = settled;
    let Prepared {
        content,
        images,
        variant_files,
        published,
        page_bodies,
        section_bodies,
    } = prepared;
    let page_bodies = Arc::new(page_bodies);
    watch.show(&crate::i18n::step_templates());
    let mut theme = theme::load(root, &config)?;
    outcome.report.extend(std::mem::take(&mut theme.warnings));
    if full {
        let texts = published_site_texts(root, &theme);
        outcome
            .report
            .extend(rules::check_site_files(&content, &texts));
    }
    let input = render::Input {
        config: &config,
        content: &content,
        page_bodies: &page_bodies,
        section_bodies: &section_bodies,
        theme: &theme,
        urls: &urls,
        images: &images,
    };
    let rendering = render(&input, engine);
    let mut files = rendering.files;
    let streamed = rendering.streamed;
    outcome.report.extend(rendering.diagnostics);
    watch.lap(outcome, "templates");
    let paths = files.iter().map(|f| &f.path).chain(&streamed);
    outcome.pages = paths.filter(|p| p.ends_with(".html")).count();
    if full {
        // Checked with the pages: a page at `admin/` is a clash.
        files.extend(crate::cms_config::admin_files(&config, root));
        // Pictures of unpublished sources leave nothing behind either.
        let variants: Vec<(PathBuf, OutputFile)> = variant_files
            .into_iter()
            .filter(|(source, _)| published.contains(source))
            .collect();
        let rendered = files.iter().map(|f| f.path.as_str());
        let made = Made {
            rendered: rendered
                .chain(streamed.iter().map(String::as_str))
                .collect(),
            theme: &theme,
            content: &content,
            published: &published,
            variants: &variants,
        };
        check_output_paths(&made, &mut outcome.report);
        files.extend(static_files(
            &theme,
            &content,
            &published,
            &mut outcome.report,
        ));
        files.extend(variants.into_iter().map(|(_, file)| file));
        keep_last_of_each_path(&mut files);
    }
    // Streamed pages that no later file replaced, and the rest.
    let later: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let kept_streamed = streamed.iter().filter(|p| !later.contains(p.as_str()));
    outcome.files = files.len() + kept_streamed.count();
    let Some(destination) = destination.filter(|_| !outcome.report.has_errors()) else {
        return Ok(None);
    };
    Ok(Some(Built {
        content,
        cards: rendering.cards,
        lists: rendering.lists,
        search: rendering.search,
        page_bodies,
        section_bodies,
        images,
        published,
        day: publication.today.day_only(),
        files,
        destination,
        full,
    }))
}

/// A full build's first steps: load, apply the rules, prepare pictures,
/// render every body.
pub(crate) fn prepare(
    options: &BuildOptions,
    settled: &Settled,
    outcome: &mut Outcome,
    watch: &mut Stopwatch,
) -> Prepared {
    prepare_with(options, settled, outcome, watch, false)
}

/// [`prepare`]; `lean` for a build, which keeps nothing for a rebuild
/// (see [`Lean`]).
fn prepare_with(
    options: &BuildOptions,
    settled: &Settled,
    outcome: &mut Outcome,
    watch: &mut Stopwatch,
    lean: bool,
) -> Prepared {
    let Settled {
        config,
        urls,
        publication,
        ..
    } = settled;
    let publication = *publication;
    let root = options.root.as_path();
    watch.show(&crate::i18n::step_load());
    let (mut content, load_diagnostics) = content::load(root);
    outcome.report.extend(load_diagnostics);
    watch.lap(outcome, "load");
    watch.show(&crate::i18n::step_images());
    let (rule_diagnostics, expiring) = rules::apply(&mut content, publication);
    outcome.report.extend(rule_diagnostics);
    outcome
        .report
        .extend(rules::third_party::check(&content, urls.own_host()));
    // After the rules: the personal data page says what the published
    // pages do (every testimonial consented or not).
    crate::institution::add_pages(&mut content, config, publication);
    outcome.expiring = expiring;
    institution_notices(config, publication, outcome);
    outcome.next_expiry = next_expiry(&content, publication);
    outcome.next_programme_change = next_programme_change(&content, publication.today);
    outcome.audit_end = crate::institution::next_audit_end(config, publication.today);
    let images::Prepared {
        images,
        files: variant_files,
        problems: image_diagnostics,
    } = images::prepare(&content, root, options.write);
    watch.lap(outcome, "rules+images");
    watch.show(&crate::i18n::step_markdown(content.pages.len()));
    let mut lean = lean.then(|| Lean {
        sources: take_sources(&mut content),
        skip: surnames_reported(&outcome.report),
        kept: Vec::new(),
    });
    let (page_bodies, section_bodies) = render_bodies_with(
        &content,
        config,
        urls,
        &images,
        &mut outcome.report,
        None,
        lean.as_mut(),
    );
    let (published, unused) = published_files(&content, &page_bodies, &section_bodies);
    outcome.report.extend(unused);
    outcome
        .report
        .extend(rules::check_loose_files(&content, &published));
    let only: Option<Vec<usize>> = lean.map(|lean| {
        let kept = lean.kept.into_iter();
        kept.map(|(i, text)| {
            content.pages[i].text = text;
            i
        })
        .collect()
    });
    let hidden = surnames_as_rendered(&content, &page_bodies, only.as_deref(), &outcome.report);
    outcome.report.extend(hidden);
    let image_diagnostics = image_diagnostics.into_iter();
    outcome.report.extend(
        image_diagnostics
            .filter(|(source, _)| published.contains(source))
            .map(|(_, d)| d),
    );
    watch.lap(outcome, "markdown");
    Prepared {
        content,
        images,
        variant_files,
        published,
        page_bodies,
        section_bodies,
    }
}

/// What the institution blocks of `site.yaml` call for: a mistaken audit
/// date fails the build, an ended audit and a gap in the legal pages are
/// said at every build (and in the preview); the rest are reminders for
/// `check`.
pub(crate) fn institution_notices(
    config: &Config,
    publication: Publication,
    outcome: &mut Outcome,
) {
    let today = publication.today;
    let (now, later): (Vec<_>, Vec<_>) = crate::institution::audit_notices(config, today)
        .into_iter()
        .partition(|d| crate::institution::must_tell_now(d, config, today));
    outcome.report.extend(now);
    outcome.expiring.extend(later);
}

/// `content/` must be a folder of the site: missing (renamed, moved to a
/// synchronised drive) or linked from outside, it is an error rather than
/// an empty site.
fn content_folder(root: &Path) -> Result<(), Diagnostic> {
    let dir = root.join(content::CONTENT_DIR);
    let shown = PathBuf::from(content::CONTENT_DIR);
    let missing = || {
        Diagnostic::error("content-missing", crate::i18n::content_missing())
            .at_file(&shown)
            .help(crate::i18n::hint_content_missing())
    };
    let meta = std::fs::symlink_metadata(&dir).map_err(|_| missing())?;
    if meta.file_type().is_symlink() {
        let site = root.canonicalize().map_err(|_| missing())?;
        let target = dir.canonicalize().map_err(|_| missing())?;
        if !target.starts_with(&site) {
            let target =
                crate::diagnostics::escape_line(&target.display().to_string()).into_owned();
            return Err(Diagnostic::error(
                "content-outside",
                crate::i18n::content_outside(&target),
            )
            .at_file(&shown)
            .help(crate::i18n::hint_content_outside()));
        }
    }
    if !dir.is_dir() {
        return Err(missing());
    }
    // An empty folder is an unmounted share or a failed copy far more often
    // than a wish to publish nothing.
    let empty = std::fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_none());
    if empty {
        return Err(
            Diagnostic::error("content-empty", crate::i18n::content_empty())
                .at_file(&shown)
                .help(crate::i18n::hint_content_missing()),
        );
    }
    Ok(())
}

/// A minor's surname that only the rendered text shows (formatting or HTML
/// codes split it in the file), on the pages at `only` (all without), on
/// pages `report` does not already name for one.
pub(crate) fn surnames_as_rendered(
    content: &Content,
    page_bodies: &[Option<Rendered>],
    only: Option<&[usize]>,
    report: &Report,
) -> Vec<Diagnostic> {
    let skip = surnames_reported(report);
    let texts: Vec<(usize, &str)> = page_bodies
        .iter()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|only| only.contains(i)))
        .filter_map(|(i, body)| Some((i, body.as_ref()?.plain_text.as_str())))
        .collect();
    rules::check_rendered(content, &texts, &skip)
}

/// The files `report` already names for a minor's surname.
fn surnames_reported(report: &Report) -> HashSet<PathBuf> {
    report
        .items()
        .iter()
        .filter(|d| d.code == "minor-surname")
        .filter_map(|d| Some(d.location.as_ref()?.file.clone()))
        .collect()
}

/// Each page's whole text, by page index, leaving it its front matter
/// (messages from now on point there).
fn take_sources(content: &mut Content) -> Vec<String> {
    let pages = content.pages.iter_mut();
    pages
        .map(|page| {
            let front = page
                .text
                .get(..page.body_start)
                .unwrap_or(page.text.as_str());
            let front = front.to_string();
            std::mem::replace(&mut page.text, front)
        })
        .collect()
}

/// Extensions of `static/` files read as text for the surname check.
const TEXT_EXTENSIONS: [&str; 11] = [
    "txt", "html", "htm", "md", "css", "js", "json", "xml", "csv", "svg", "ics",
];

/// The published texts written by hand outside `content/`: `site.yaml`, the
/// site's own templates and text files of `static/` (not the embedded
/// theme's), each with the path shown to the writer.
fn published_site_texts(root: &Path, theme: &theme::Theme) -> Vec<(PathBuf, String)> {
    let mut texts = Vec::new();
    let config = root.join(config::CONFIG_FILE);
    if let Ok(text) = std::fs::read_to_string(&config) {
        texts.push((shown_path(root, &config), text));
    }
    for source in theme.templates.values() {
        if root.join(&source.file).is_file() {
            texts.push((source.file.clone(), source.text.clone()));
        }
    }
    for file in theme.statics.values() {
        let theme::StaticFile::Disk(path) = file else {
            continue;
        };
        // Its name is published too (`static/ines-benali.txt`).
        let shown = shown_path(root, path);
        texts.push((shown.clone(), shown.display().to_string()));
        let text_like = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| TEXT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if let Some(text) = text_like
            .then(|| std::fs::read_to_string(path).ok())
            .flatten()
        {
            texts.push((shown_path(root, path), text));
        }
    }
    texts
}

pub(crate) fn next_expiry(content: &Content, publication: Publication) -> Option<(Date, PathBuf)> {
    crate::consents::next_expiry(content, publication.today).map(|(d, f)| (d, f.to_path_buf()))
}

fn next_programme_change(content: &Content, today: Date) -> Option<(Date, PathBuf)> {
    content
        .pages
        .iter()
        .filter(|page| page.is_published())
        .filter_map(|page| match &page.meta.details {
            content::Details::Programme(p) => {
                render::next_state_change(p.start, p.end, today).map(|day| (day, page.file.clone()))
            }
            _ => None,
        })
        .min()
}

/// Folders the output must stay out of.
fn source_dirs(root: &Path) -> Vec<PathBuf> {
    ["content", "templates", "static", "themes"]
        .iter()
        .map(|d| root.join(d))
        .collect()
}

/// Renders every published body (in parallel), then checks `@/…#anchor` links.
pub(crate) fn render_bodies(
    content: &Content,
    config: &Config,
    urls: &Urls,
    images: &Images,
    report: &mut Report,
    previous: Option<Previous>,
) -> (Vec<Option<Rendered>>, Vec<Rendered>) {
    render_bodies_with(content, config, urls, images, report, previous, None)
}

/// How a build renders its pages' bodies: from their sources, taken out
/// of the pages, each chunk's sources dropped once its bodies are checked
/// for minors' surnames, their text cut to what the search index reads and,
/// on a large site, both put away in a temporary file ([`PACK_FROM`]) —
/// so that a large site never holds every source, every text and every
/// body's HTML at once.
pub(crate) struct Lean {
    /// Each page's whole file text, by page index.
    pub(crate) sources: Vec<String>,
    /// Pages already reported for a minor's surname.
    pub(crate) skip: HashSet<PathBuf>,
    /// The pages whose rendered text names a minor, with their source and
    /// whole text kept for the message ([`surnames_as_rendered`]).
    pub(crate) kept: Vec<(usize, String)>,
}

/// Pages rendered (and checked) at a time by a [`Lean`] build.
const LEAN_CHUNK: usize = 8192;

/// Pages from which a [`Lean`] build puts its bodies' HTML and text away
/// in a temporary file ([`Spill`]): at 100 000 pages it takes ~490 MB off
/// the peak. At 10 000 putting them away (compressed, then) saved nothing
/// measurable: the freed room is taken again by the templates.
const PACK_FROM: usize = 30_000;

/// [`PACK_FROM`], or `VITRINE_PACK_FROM` for the tests: they compare a
/// small site built both ways.
fn pack_from() -> usize {
    let asked = std::env::var("VITRINE_PACK_FROM").ok();
    asked.and_then(|n| n.parse().ok()).unwrap_or(PACK_FROM)
}

fn render_bodies_with(
    content: &Content,
    config: &Config,
    urls: &Urls,
    images: &Images,
    report: &mut Report,
    previous: Option<Previous>,
    lean: Option<&mut Lean>,
) -> (Vec<Option<Rendered>>, Vec<Rendered>) {
    // Made on the first broken link: most builds have none.
    let candidates = std::sync::OnceLock::new();
    let resolve = |target: &str| {
        let key = target.trim_start_matches('/');
        if content.invalid.iter().any(|rel| rel == key) {
            // Already reported in its own file; a second error here is noise.
            return Some(LinkTarget::Invalid);
        }
        let Some(item) = content.item(key) else {
            let candidates = candidates.get_or_init(|| {
                let rels = content.by_rel.keys().map(String::as_str);
                markdown::LinkCandidates::new(
                    rels.chain(content.invalid.iter().map(String::as_str)),
                )
            });
            return Some(LinkTarget::Missing(
                candidates.closest(key).map(str::to_string),
            ));
        };
        let (path, published) = match item {
            Item::Page(i) => (&content.pages[i].path, content.pages[i].is_published()),
            Item::Section(i) => (&content.sections[i].path, true),
        };
        Some(if published {
            LinkTarget::Published(urls.link(path))
        } else {
            LinkTarget::Unpublished
        })
    };
    let assets: HashMap<&Path, &str> = content
        .assets
        .iter()
        .map(|a| (a.source.as_path(), a.dest.as_str()))
        .collect();
    let content_dir = content.root.join(crate::content::CONTENT_DIR);
    let assets = &assets;
    let file_resolver = |file: &Path| {
        let dir = content_dir
            .join(
                file.strip_prefix(crate::content::CONTENT_DIR)
                    .unwrap_or(file),
            )
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        move |dest: &str| {
            let find = |path: &str| {
                let joined = markdown::lexical_join(&dir, &crate::urls::percent_decode(path));
                assets.get(joined.as_path()).map(|dest| (joined, dest))
            };
            // A file named `fiche #2.pdf` is found by its name as typed;
            // else `#` and `?` start a fragment or a query.
            let (joined, dest) =
                find(dest).or_else(|| find(dest.split(['#', '?']).next().unwrap_or("")))?;
            let image = images.by_source.get(&joined).map(|r| markdown::ImageAttrs {
                srcset: r.srcset(|p| urls.link(p)),
                width: r.width,
                height: r.height,
            });
            Some(markdown::FileRef {
                url: urls.link(dest),
                image,
                dest: Some(dest.to_string()),
            })
        }
    };
    let resolve_site = site_resolver(content, config, urls);
    let french = config.is_french();
    let render_text = |page: &content::Page, text: &str| {
        markdown::render(&markdown::Context {
            file: &page.file,
            file_text: text,
            body_start: page.body_start,
            root: &content.root,
            french,
            resolve: &resolve,
            resolve_file: &file_resolver(&page.file),
            resolve_site: &resolve_site,
        })
    };
    let render_body = |page: &content::Page| render_text(page, &page.text);
    let render_page = |page: &content::Page| page.is_published().then(|| shrunk(render_body(page)));
    if let Some(Previous {
        mut page_bodies,
        section_bodies,
        changed,
    }) = previous
    {
        // Their diagnostics and anchors: `anchors_of`, for the changed pages.
        for &i in changed {
            page_bodies[i] = render_page(&content.pages[i]);
        }
        return (page_bodies, section_bodies);
    }
    let page_bodies: Vec<Option<Rendered>> = match lean {
        None => content.pages.par_iter().map(render_page).collect(),
        Some(lean) => {
            let render = |page: &content::Page, text: &str| {
                page.is_published().then(|| shrunk(render_text(page, text)))
            };
            render_lean(content, lean, render)
        }
    };
    // Pages with errors of their own: never published, their links checked.
    let partial_bodies: Vec<Rendered> = content.partial.par_iter().map(render_body).collect();
    let section_bodies: Vec<Rendered> = content
        .sections
        .par_iter()
        .map(|section| {
            markdown::render(&markdown::Context {
                file: &section.file,
                file_text: &section.text,
                body_start: section.body_start,
                root: &content.root,
                french,
                resolve: &resolve,
                resolve_file: &file_resolver(&section.file),
                resolve_site: &resolve_site,
            })
        })
        .collect();

    check_all_anchors(
        content,
        &page_bodies,
        &section_bodies,
        &partial_bodies,
        report,
    );
    (page_bodies, section_bodies)
}

/// The bodies of every page, a chunk at a time (see [`Lean`]).
fn render_lean(
    content: &Content,
    lean: &mut Lean,
    render: impl Fn(&content::Page, &str) -> Option<Rendered> + Sync,
) -> Vec<Option<Rendered>> {
    let mut bodies = Vec::with_capacity(content.pages.len());
    let mut sources = std::mem::take(&mut lean.sources).into_iter();
    let pack = content.pages.len() >= pack_from();
    let spill = pack.then(Spill::new).and_then(Result::ok).map(Arc::new);
    for (c, pages) in content.pages.chunks(LEAN_CHUNK).enumerate() {
        let start = c * LEAN_CHUNK;
        let texts: Vec<String> = sources.by_ref().take(pages.len()).collect();
        let mut part: Vec<Option<Rendered>> = pages
            .par_iter()
            .zip(&texts)
            .map(|(page, text)| render(page, text))
            .collect();
        let plain: Vec<(usize, &str)> = (start..)
            .zip(&part)
            .filter_map(|(i, body)| Some((i, body.as_ref()?.plain_text.as_str())))
            .collect();
        let named: HashSet<PathBuf> = rules::check_rendered(content, &plain, &lean.skip)
            .into_iter()
            .filter(|d| d.code == "minor-surname")
            .filter_map(|d| Some(d.location?.file))
            .collect();
        for ((i, page), text) in (start..).zip(pages).zip(texts) {
            if named.contains(&page.file) {
                lean.kept.push((i, text));
            } else if let Some(body) = part[i - start].as_mut() {
                cut_text(body);
            }
        }
        let spilled = spill
            .as_ref()
            .is_some_and(|spill| Rendered::spill(&mut part, spill).is_ok());
        // Without the file (none could be made or written), in memory.
        if pack && !spilled {
            part.par_iter_mut().flatten().for_each(Rendered::pack);
        }
        bodies.append(&mut part);
    }
    bodies
}

/// `body`'s text cut to what the search index reads.
fn cut_text(body: &mut Rendered) {
    let cut = body
        .plain_text
        .char_indices()
        .nth(crate::search::BODY_CHARS);
    if let Some((end, _)) = cut {
        body.plain_text.truncate(end);
        body.plain_text.shrink_to_fit();
    }
}

/// Resolves root-relative paths (`/a-propos/`, `/stages/a-propos/`) to their
/// URL under the base path, when the site has a page, section, file or
/// generated page there. The set of paths is made on first use: most sites
/// have no such link.
/// Drops what a build no longer needs once every body is rendered and
/// checked, so that memory does not hold each page twice: the pages'
/// sources past their front matter (messages from now on point into the
/// front matter), the anchor references (checked), and the text of each
/// body beyond what the search index reads (the surname check is done,
/// the word count kept). `serve` keeps them all for its rebuilds.
fn lighten(prepared: &mut Prepared) {
    let pages = prepared.content.pages.par_iter_mut();
    pages.for_each(|page| {
        if page.text.is_char_boundary(page.body_start) {
            page.text.truncate(page.body_start);
            page.text.shrink_to_fit();
        }
    });
    let bodies = prepared.page_bodies.par_iter_mut().flatten();
    bodies.for_each(|body| {
        body.anchor_refs = Vec::new();
        body.diagnostics = Vec::new();
        cut_text(body);
    });
}

/// `body` without the spare capacity its strings grew while rendering:
/// every body stays in memory until the pages are written, and the spare
/// room was about a third of it.
fn shrunk(mut body: Rendered) -> Rendered {
    body.html.shrink_to_fit();
    body.plain_text.shrink_to_fit();
    body.summary_html.shrink_to_fit();
    body.summary_text.shrink_to_fit();
    body
}

fn site_resolver<'c>(
    content: &'c Content,
    config: &Config,
    urls: &'c Urls,
) -> impl Fn(&str) -> Option<markdown::FileRef> + Sync + 'c {
    let base = urls.base_path().trim_matches('/').to_string();
    let lang = config.lang();
    let mut generated: Vec<&'static str> = config
        .taxonomies
        .iter()
        .map(|t| crate::urls::taxonomy_path(*t, lang))
        .collect();
    generated.extend([
        crate::urls::search_path(lang),
        crate::urls::FEED_FILE,
        crate::urls::SITEMAP_FILE,
    ]);
    // Each path, and whether it is a file of `content/`.
    let known: std::sync::OnceLock<HashMap<&'c str, bool>> = std::sync::OnceLock::new();
    move |path: &str| {
        let known = known.get_or_init(|| {
            let pages = content
                .pages
                .iter()
                .filter(|p| p.is_published())
                .map(|p| (p.path.as_str(), false));
            let sections = content.sections.iter().map(|s| (s.path.as_str(), false));
            let assets = content.assets.iter().map(|a| (a.dest.as_str(), true));
            pages.chain(sections).chain(assets).collect()
        });
        let mut p = path.trim_start_matches('/');
        // Written with the base path (copied from the browser): same place.
        if let Some(rest) = p.strip_prefix(base.as_str()).filter(|_| !base.is_empty()) {
            if rest.is_empty() || rest.starts_with('/') {
                p = rest.trim_start_matches('/');
            }
        }
        let p = p.strip_suffix(crate::urls::INDEX_FILE).unwrap_or(p);
        let folder = if p.is_empty() || p.ends_with('/') {
            p.to_string()
        } else {
            format!("{p}/")
        };
        let found = if let Some(&is_file) = known.get(p) {
            Some((p.to_string(), is_file))
        } else if known.contains_key(folder.as_str())
            || generated.iter().any(|g| folder.starts_with(g) || p == *g)
        {
            Some(if generated.contains(&p) {
                (p.to_string(), false)
            } else {
                (folder, false)
            })
        } else {
            None
        };
        found.map(|(f, is_file)| markdown::FileRef {
            url: urls.link(&f),
            image: None,
            dest: is_file.then_some(f),
        })
    }
}

/// Bodies of the last build, reused by a `serve` rebuild: only `changed`
/// pages are rendered again.
pub(crate) struct Previous<'a> {
    pub(crate) page_bodies: Vec<Option<Rendered>>,
    pub(crate) section_bodies: Vec<Rendered>,
    pub(crate) changed: &'a [usize],
}

/// Reports the diagnostics of every body and checks `@/…#anchor` links
/// against the headings of their targets. `partial_bodies`: those of pages
/// with errors (checked, not published).
fn check_all_anchors(
    content: &Content,
    page_bodies: &[Option<Rendered>],
    section_bodies: &[Rendered],
    partial_bodies: &[Rendered],
    report: &mut Report,
) {
    let headings = |rel: &str| headings_of(content, page_bodies, section_bodies, rel);
    let bodies = page_bodies
        .iter()
        .flatten()
        .chain(section_bodies)
        .chain(partial_bodies);
    report_bodies(bodies, headings, report);
}

/// The headings of the page or section at `rel`: a page has a few, looked
/// up rather than gathered for the whole site.
fn headings_of<'b>(
    content: &Content,
    page_bodies: &'b [Option<Rendered>],
    section_bodies: &'b [Rendered],
    rel: &str,
) -> &'b [Heading] {
    match content.item(rel) {
        Some(Item::Page(i)) => page_bodies
            .get(i)
            .and_then(Option::as_ref)
            .map_or(&[], |b| &b.headings),
        Some(Item::Section(i)) => section_bodies.get(i).map_or(&[], |b| &b.headings),
        None => &[],
    }
}

/// What [`check_all_anchors`] says of the pages at `pages` alone: their
/// bodies' diagnostics and `#anchor` links, and `linking`, the links of the
/// other bodies to an anchor of theirs ([`anchors_to`]). A `serve` rebuild
/// asks it before and after an edit, to change only that part of the last
/// build's diagnostics.
pub(crate) fn anchors_of(
    content: &Content,
    page_bodies: &[Option<Rendered>],
    section_bodies: &[Rendered],
    pages: &[usize],
    linking: &[AnchorRef],
) -> Vec<Diagnostic> {
    let mut report = Report::new();
    let headings = |rel: &str| headings_of(content, page_bodies, section_bodies, rel);
    let bodies = pages.iter().filter_map(|&i| page_bodies.get(i)?.as_ref());
    report_bodies(bodies, headings, &mut report);
    for anchor in linking {
        check_anchor(
            anchor,
            headings(anchor.target.trim_start_matches('/')),
            &mut report,
        );
    }
    report.items().to_vec()
}

/// The `#anchor` links of every body but those of `pages` to one of them.
pub(crate) fn anchors_to(
    content: &Content,
    page_bodies: &[Option<Rendered>],
    section_bodies: &[Rendered],
    pages: &[usize],
) -> Vec<AnchorRef> {
    // The addresses the pages are linked by: compared as text, no lookup
    // for each link of the site.
    let names: Vec<&str> = content
        .by_rel
        .iter()
        .filter(|(_, item)| matches!(item, Item::Page(i) if pages.contains(i)))
        .map(|(rel, _)| rel.as_str())
        .collect();
    let others = page_bodies.iter().enumerate();
    let others = others.filter(|(i, _)| !pages.contains(i));
    let bodies = others.filter_map(|(_, b)| b.as_ref()).chain(section_bodies);
    let anchors = bodies.flat_map(|body| &body.anchor_refs);
    anchors
        .filter(|a| names.contains(&a.target.trim_start_matches('/')))
        .cloned()
        .collect()
}

/// `ids`: the headings of the link's target.
/// Each of `bodies`' own diagnostics, and its `#anchor` links checked
/// against `headings` of their targets.
fn report_bodies<'b, 'h>(
    bodies: impl Iterator<Item = &'b Rendered>,
    headings: impl Fn(&str) -> &'h [Heading],
    report: &mut Report,
) {
    for body in bodies {
        report.extend(body.diagnostics.iter().cloned());
        for anchor in &body.anchor_refs {
            check_anchor(
                anchor,
                headings(anchor.target.trim_start_matches('/')),
                report,
            );
        }
    }
}

fn check_anchor(anchor: &AnchorRef, ids: &[Heading], report: &mut Report) {
    if ids.iter().any(|h| h.id == anchor.anchor) {
        return;
    }
    // Only a broken link pays for listing the anchors.
    let mut ids: Vec<&str> = ids.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let help = match crate::fields::did_you_mean(&anchor.anchor, &ids) {
        Some(s) => crate::i18n::did_you_mean(&s),
        None => crate::i18n::hint_anchors(&ids.join(", ")),
    };
    report.push(
        Diagnostic::error(
            "broken-anchor",
            crate::i18n::broken_anchor(&anchor.target, &anchor.anchor),
        )
        .at(anchor.location.clone())
        .help(help),
    );
}

/// Everything a full build writes, by where it comes from.
struct Made<'a> {
    /// Pages, list and term pages, feeds, search: what the templates made.
    rendered: Vec<&'a str>,
    theme: &'a theme::Theme,
    content: &'a Content,
    /// The files of `content/` published ([`published_files`]).
    published: &'a HashSet<PathBuf>,
    /// Resized pictures, each with its source.
    variants: &'a [(PathBuf, OutputFile)],
}

/// Who writes an output file, to name it in messages.
#[derive(Clone, Copy)]
enum Writer<'a> {
    Page(&'a content::Page),
    /// A section's list page (its `_index.md`).
    Section(&'a content::Section),
    /// A page made by vitrine: term lists, search, feeds, sitemap.
    Generated,
    /// A file of the theme, or of the site's `static/`.
    Static(&'a theme::StaticFile),
    /// A file of `content/`.
    Asset(&'a Path),
    /// A resized copy of this picture of `content/`.
    Variant(&'a Path),
}

impl Writer<'_> {
    /// `content/a.md`, « le thème », « la version réduite de l'image … ».
    fn describe(&self, root: &Path) -> crate::i18n::Text {
        let file =
            |p: &Path| crate::i18n::Text::verbatim(format!("`{}`", shown_path(root, p).display()));
        match self {
            Writer::Page(page) => file(&page.file),
            Writer::Section(section) => file(&section.file),
            Writer::Generated => crate::i18n::output_generated(),
            Writer::Static(theme::StaticFile::Disk(p)) => file(p),
            Writer::Static(theme::StaticFile::Embedded(_)) => crate::i18n::output_theme(),
            Writer::Asset(p) => file(p),
            Writer::Variant(p) => crate::i18n::output_variant(file(p)),
        }
    }

    /// Where to point a message about this writer's output.
    fn locate(&self, root: &Path) -> Option<crate::diagnostics::Location> {
        use crate::diagnostics::Location;
        match self {
            Writer::Page(page) => Some(match &page.meta.common.slug {
                // A `slug:` is what the writer chose: point at it.
                Some(_) => page.locate("slug"),
                None => Location::in_text(&page.file, &page.text, 1, 1, 0),
            }),
            Writer::Section(section) => {
                Some(Location::in_text(&section.file, &section.text, 1, 1, 0))
            }
            Writer::Asset(p) | Writer::Variant(p) => Some(Location::file(&shown_path(root, p))),
            Writer::Static(theme::StaticFile::Disk(p)) => {
                Some(Location::file(&shown_path(root, p)))
            }
            Writer::Generated | Writer::Static(_) => None,
        }
    }
}

impl Made<'_> {
    /// Every writer of each of `paths`, in a stable order: pages, sections,
    /// generated pages, theme and `static/` files, files of `content/`,
    /// resized pictures.
    fn writers<'m>(&'m self, paths: &HashSet<&str>) -> HashMap<String, Vec<Writer<'m>>> {
        fn add<'w>(
            found: &mut HashMap<String, Vec<Writer<'w>>>,
            paths: &HashSet<&str>,
            path: &str,
            writer: Writer<'w>,
        ) {
            if paths.contains(path) {
                found.entry(path.to_string()).or_default().push(writer);
            }
        }
        let mut found: HashMap<String, Vec<Writer<'m>>> = HashMap::new();
        let content = self.content;
        for page in content.pages.iter().filter(|p| p.is_published()) {
            let path = crate::urls::page_file(&page.path);
            add(&mut found, paths, &path, Writer::Page(page));
        }
        for section in &content.sections {
            let path = crate::urls::page_file(&section.path);
            add(&mut found, paths, &path, Writer::Section(section));
        }
        // What the templates made that is neither a page nor a section.
        let mut rendered: HashMap<&str, usize> = HashMap::new();
        for &path in &self.rendered {
            if paths.contains(path) {
                *rendered.entry(path).or_default() += 1;
            }
        }
        for (path, count) in rendered {
            let known = found.get(path).map_or(0, Vec::len);
            for _ in known..count {
                add(&mut found, paths, path, Writer::Generated);
            }
        }
        for (path, file) in &self.theme.statics {
            add(&mut found, paths, path, Writer::Static(file));
        }
        for asset in copied_assets(content, self.published) {
            add(&mut found, paths, &asset.dest, Writer::Asset(&asset.source));
        }
        for (source, file) in self.variants {
            add(&mut found, paths, &file.path, Writer::Variant(source));
        }
        found
    }

    /// Every output path, once per writer.
    fn paths(&self) -> impl Iterator<Item = &str> {
        let content = self.content;
        self.rendered
            .iter()
            .copied()
            .chain(self.theme.statics.keys().map(String::as_str))
            .chain(copied_assets(content, self.published).map(|a| a.dest.as_str()))
            .chain(self.variants.iter().map(|(_, f)| f.path.as_str()))
    }
}

/// Reports output paths written twice, where one file would silently
/// replace another, naming both writers: a page named `recherche.md` and the
/// search page, two folders that slug alike (`Économie/`, `economie/`) each
/// with its `fiche.pdf`, a file of `content/` and one of `static/`. A file
/// of `static/` or of the theme that replaces a generated one does so on
/// purpose (a site's own `robots.txt`); pages and sections at one URL are
/// reported by the loader. Also reports names longer than file systems
/// allow ([`output::NAME_MAX`]), once per name.
fn check_output_paths(made: &Made, report: &mut Report) {
    let root = made.content.root.as_path();
    let mut count: HashMap<&str, usize> = HashMap::new();
    // Each too long name, by the path up to it, and a file below it.
    let mut too_long: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for path in made.paths() {
        *count.entry(path).or_default() += 1;
        let mut end = 0;
        for segment in path.split('/') {
            end += segment.len();
            if segment.len() > output::NAME_MAX {
                too_long.entry(&path[..end]).or_insert(path);
                break;
            }
            end += 1;
        }
    }
    let mut clashes: Vec<&str> = count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(path, _)| path)
        .collect();
    clashes.sort_unstable();
    let asked: HashSet<&str> = clashes
        .iter()
        .copied()
        .chain(too_long.values().copied())
        .collect();
    let writers = made.writers(&asked);
    let none = Vec::new();
    for path in clashes {
        let all = writers.get(path).unwrap_or(&none);
        let loader_reports = all
            .iter()
            .all(|w| matches!(w, Writer::Page(_) | Writer::Section(_)));
        let blamed = all
            .iter()
            .position(|w| matches!(w, Writer::Page(_)))
            .or_else(|| all.iter().position(|w| matches!(w, Writer::Section(_))))
            .or_else(|| all.iter().rposition(|w| matches!(w, Writer::Asset(_))))
            .or_else(|| all.iter().position(|w| matches!(w, Writer::Variant(_))));
        let in_place = static_in_place_of_generated(all, root)
            .or_else(|| static_in_place_of_sitemap_part(path, all, root));
        if let Some(diagnostic) = in_place {
            report.push(diagnostic);
            continue;
        }
        let (Some(blamed), false) = (blamed, loader_reports) else {
            // Pages and sections only: the loader named both files. Nothing
            // of the writer's (generated, theme and `static/` files): a
            // file of `static/` or of the theme overrides on purpose.
            continue;
        };
        let other = all
            .iter()
            .enumerate()
            .find(|(i, _)| *i != blamed)
            .map_or_else(crate::i18n::output_generated, |(_, w)| w.describe(root));
        let mut diagnostic = Diagnostic::error(
            "output-conflict",
            crate::i18n::output_conflict(format!("/{path}"), &other),
        )
        .help(crate::i18n::hint_output_conflict());
        if let Some(location) = all[blamed].locate(root) {
            diagnostic = diagnostic.at(location);
        }
        report.push(diagnostic);
    }
    for (name, file) in too_long {
        let bytes = name.rsplit('/').next().map_or(0, str::len);
        let mut diagnostic = Diagnostic::error(
            "name-too-long",
            crate::i18n::output_name_too_long(format!("/{name}"), bytes, output::NAME_MAX),
        )
        .help(crate::i18n::hint_output_name_too_long());
        let location = writers
            .get(file)
            .and_then(|all| all.iter().find_map(|w| w.locate(root)));
        if let Some(location) = location {
            diagnostic = diagnostic.at(location);
        }
        report.push(diagnostic);
    }
}

/// A file of `static/` where vitrine writes a page from `site.yaml` (the
/// legal notice…): reported at that file, since a writer replaces such a
/// page with a content file of its path, not with a static file.
fn static_in_place_of_generated(all: &[Writer], root: &Path) -> Option<Diagnostic> {
    let page = all.iter().find_map(|w| match w {
        Writer::Page(page) if page.is_generated() => Some(*page),
        _ => None,
    })?;
    let file = static_of_site(all)?;
    Some(
        Diagnostic::error(
            "output-conflict",
            crate::i18n::static_replaces_generated(
                format!("/{}", page.path),
                &page.meta.common.title,
            ),
        )
        .at_file(&shown_path(root, file))
        .help(crate::i18n::hint_static_replaces_generated(&page.rel)),
    )
}

/// A file of `static/` named like a part of the sitemap vitrine splits
/// past 50 000 addresses: it would silently drop those addresses from the
/// sitemap, so it is an error at that file, not an override.
fn static_in_place_of_sitemap_part(path: &str, all: &[Writer], root: &Path) -> Option<Diagnostic> {
    let generated = all.iter().any(|w| matches!(w, Writer::Generated));
    if !generated || !crate::urls::is_sitemap_part(path) {
        return None;
    }
    let file = static_of_site(all)?;
    Some(
        Diagnostic::error(
            "output-conflict",
            crate::i18n::static_replaces_sitemap_part(format!("/{path}")),
        )
        .at_file(&shown_path(root, file))
        .help(crate::i18n::hint_static_replaces_sitemap_part()),
    )
}

/// The file of the site's own `static/` among `all` writers of a path.
fn static_of_site<'a>(all: &[Writer<'a>]) -> Option<&'a PathBuf> {
    all.iter().find_map(|w| match w {
        Writer::Static(theme::StaticFile::Disk(file)) => Some(file),
        _ => None,
    })
}

/// A file of the site's `static/` folder (say its own `robots.txt`)
/// replaces the generated one: only the last file of each path is kept, so
/// that parallel writing cannot pick either at random.
fn keep_last_of_each_path(files: &mut Vec<OutputFile>) {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        last.insert(file.path.as_str(), i);
    }
    if last.len() == files.len() {
        return;
    }
    let keep: Vec<bool> = files
        .iter()
        .enumerate()
        .map(|(i, f)| last.get(f.path.as_str()) == Some(&i))
        .collect();
    let mut index = 0;
    files.retain(|_| {
        index += 1;
        keep[index - 1]
    });
}

/// Theme static files and the published files of `content/`. Pictures of
/// `static/` and of themes go without their metadata; one that cannot be
/// cleaned is an error in `report`, never copied as it is.
fn static_files(
    theme: &theme::Theme,
    content: &Content,
    published: &HashSet<PathBuf>,
    report: &mut Report,
) -> Vec<OutputFile> {
    let root = content.root.as_path();
    let mut files: Vec<OutputFile> = theme
        .statics
        .iter()
        .filter_map(|(path, file)| {
            let contents = match file {
                theme::StaticFile::Embedded(bytes) => {
                    Contents::Bytes(std::borrow::Cow::Borrowed(bytes))
                }
                // Editor and backup copies are never published, as in `content/`.
                theme::StaticFile::Disk(p) if is_backup_copy(p) => return None,
                theme::StaticFile::Disk(p) => match images::as_is_without_metadata(root, p) {
                    None => {
                        report.extend(images::uncleanable_static_picture(root, p));
                        Contents::Copy(p.clone())
                    }
                    Some(Ok(bytes)) => Contents::Bytes(std::borrow::Cow::Owned(bytes)),
                    Some(Err(diagnostic)) => {
                        report.push(diagnostic);
                        return None;
                    }
                },
            };
            let path = path.clone();
            Some(OutputFile { path, contents })
        })
        .collect();
    files.extend(copied_assets(content, published).map(|asset| OutputFile {
        path: asset.dest.clone(),
        contents: Contents::Copy(asset.source.clone()),
    }));
    files
}

fn is_backup_copy(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| content::is_backup(&n.to_string_lossy()))
}

/// The published files of `content/` that are copied as they are: every one
/// but pictures, which `images` publishes re-encoded (never the original).
fn copied_assets<'c>(
    content: &'c Content,
    published: &'c HashSet<PathBuf>,
) -> impl Iterator<Item = &'c content::Asset> {
    content
        .assets
        .iter()
        .filter(|a| published.contains(&a.source) && !images::is_image(&a.source))
}

/// Decides which files of `content/` are published: the one place that
/// does. A bundle's files go with their page: published with a published
/// page, never with a draft or a page whose consent ended. Any other file is
/// published only when a published page or a section uses it (a Markdown
/// link or picture, from its folder or from the site's root); an unused one
/// is named in a warning, since the writer may have meant to link it.
/// (Backup copies and files from outside the site never get this far.)
pub(crate) fn published_files(
    content: &Content,
    page_bodies: &[Option<Rendered>],
    section_bodies: &[Rendered],
) -> (HashSet<PathBuf>, Vec<Diagnostic>) {
    let used: HashSet<&str> = page_bodies
        .iter()
        .flatten()
        .chain(section_bodies)
        .flat_map(|body| body.files_used.iter().map(String::as_str))
        .collect();
    // A section's cover leaves with it: sections are always published.
    let covers: HashSet<PathBuf> = content
        .sections
        .iter()
        .filter_map(|s| s.cover_source(&content.root))
        .collect();
    let mut published = HashSet::new();
    let mut unused = Vec::new();
    for asset in &content.assets {
        // A bundle's file leaves with its page only when the page uses it: a
        // scanned consent form left beside `index.md` stays home.
        let page = asset.bundle.and_then(|i| content.pages.get(i));
        if page.is_some_and(|p| !p.is_published()) {
            continue;
        }
        let is_photo = page.is_some_and(|p| {
            photo_of(p).as_deref() == Some(&asset.source)
                || p.cover_source().as_deref() == Some(&asset.source)
        });
        if is_photo || covers.contains(&asset.source) || used.contains(asset.dest.as_str()) {
            // Pictures are re-encoded by `images`; anything else is copied
            // as it is, so it must not be a picture under another name.
            let disguised = (!images::is_image(&asset.source))
                .then(|| images::disguised_picture(&content.root, &asset.source))
                .flatten();
            match disguised {
                Some(error) => unused.push(error),
                None => {
                    published.insert(asset.source.clone());
                }
            }
        } else {
            unused.push(unused_file(&content.root, &asset.source));
        }
    }
    (published, unused)
}

/// The file of a testimonial's `photo:`, in its bundle.
fn photo_of(page: &content::Page) -> Option<PathBuf> {
    let content::Details::Testimonial(t) = &page.meta.details else {
        return None;
    };
    Some(page.bundle_dir.as_ref()?.join(t.author.photo.as_ref()?))
}

/// The warning for a file of `content/` that no page uses, with the link
/// that would publish it, written with its own name.
fn unused_file(root: &Path, source: &Path) -> Diagnostic {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    // A name with spaces or brackets needs `<…>` in a Markdown link.
    let target = if name.contains(|c: char| c.is_whitespace() || "()<>".contains(c)) {
        format!("<{name}>")
    } else {
        name
    };
    let picture = images::is_image(source);
    let link = if picture {
        crate::i18n::picture_text().map(|text| format!("![{text}]({target})"))
    } else {
        crate::i18n::link_text().map(|text| format!("[{text}]({target})"))
    };
    Diagnostic::warning("unused-file", crate::i18n::unused_file())
        .at_file(&shown_path(root, source))
        .help(crate::i18n::hint_unused_file(&link))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_static_file_in_place_of_a_sitemap_part_is_an_error_at_that_file() {
        let root = Path::new("/site");
        let file = theme::StaticFile::Disk(root.join("static/sitemap-1.xml"));
        let both = [Writer::Generated, Writer::Static(&file)];
        let error =
            static_in_place_of_sitemap_part("sitemap-1.xml", &both, root).expect("an error");
        assert_eq!(error.code, "output-conflict");
        let at = error.location.expect("a location").file;
        assert_eq!(at, Path::new("static/sitemap-1.xml"));
        // Without a sitemap part of vitrine's there, the file is the site's own.
        let alone = [Writer::Static(&file)];
        assert!(static_in_place_of_sitemap_part("sitemap-1.xml", &alone, root).is_none());
        // Another generated file is overridden on purpose (`robots.txt`).
        assert!(static_in_place_of_sitemap_part("robots.txt", &both, root).is_none());
    }
}
