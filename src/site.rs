//! The build pipeline: load → validate → render → write, with every
//! diagnostic of the run collected in one [`Report`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content::rules::{self, Publication};
use crate::content::{self, Content};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Report};
use crate::images::{self, Images};
use crate::markdown::{self, AnchorRef, LinkTarget, Rendered};
use crate::output::{self, Contents, Guard, OutputFile};
use crate::render;
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
    /// Update the output in place instead of swapping in a new copy (`serve`).
    pub in_place: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            write: true,
            in_place: false,
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
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub written: bool,
    /// Time spent in each step, for `--verbose`.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Records how long each step of a build takes.
struct Stopwatch {
    last: Instant,
}

impl Stopwatch {
    fn lap(&mut self, outcome: &mut Outcome, step: &'static str) {
        let now = Instant::now();
        outcome.timings.push((step, now - self.last));
        self.last = now;
    }
}

/// Runs the whole pipeline.
pub fn build(options: &BuildOptions) -> Outcome {
    let started = Instant::now();
    let mut outcome = Outcome::default();
    let result = run(options, &mut outcome);
    if let Err(diagnostics) = result {
        outcome.report.extend(diagnostics);
    }
    outcome.report = std::mem::take(&mut outcome.report).sorted();
    outcome.elapsed = started.elapsed();
    outcome
}

fn run(options: &BuildOptions, outcome: &mut Outcome) -> Result<(), Vec<Diagnostic>> {
    let root = options.root.as_path();
    let mut watch = Stopwatch {
        last: Instant::now(),
    };
    let mut config = config::load(root)?;
    if let Some(url) = &options.base_url {
        config.override_base_url(url).map_err(|d| vec![d])?;
    }
    let guard = Guard {
        site_root: root,
        sources: source_dirs(root),
    };
    if options.write {
        output::check_destination(&options.output_dir(), &guard).map_err(|d| vec![d])?;
    }

    let (mut content, load_diagnostics) = content::load(root);
    outcome.report.extend(load_diagnostics);
    watch.lap(outcome, "load");
    let publication = Publication {
        drafts: options.drafts,
        today: Date::today(),
    };
    let (rule_diagnostics, expiring) = rules::apply(&mut content, publication);
    outcome.report.extend(rule_diagnostics);
    outcome.expiring = expiring;

    let urls = Urls::new(&config);
    let (images, variant_files, image_diagnostics) = images::prepare(&content, root, options.write);
    outcome.report.extend(image_diagnostics);
    watch.lap(outcome, "rules+images");
    let (page_bodies, section_bodies) =
        render_bodies(&content, &config, &urls, &images, &mut outcome.report);
    let page_bodies = std::sync::Arc::new(page_bodies);
    watch.lap(outcome, "markdown");
    let theme = theme::load(root, &config)?;

    let input = render::Input {
        config: &config,
        content: &content,
        page_bodies: &page_bodies,
        section_bodies: &section_bodies,
        theme: &theme,
        urls: &urls,
        images: &images,
    };
    let (mut files, render_diagnostics) = render::render(&input);
    outcome.report.extend(render_diagnostics);
    watch.lap(outcome, "templates");
    outcome.pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    files.extend(static_files(&theme, &content));
    files.extend(variant_files);
    outcome.files = files.len();
    if outcome.report.has_errors() || !options.write {
        return Ok(());
    }
    if options.in_place {
        output::sync(&options.output_dir(), &guard, files).map_err(|d| vec![d])?;
    } else {
        output::commit(&options.output_dir(), &guard, files).map_err(|d| vec![d])?;
    }
    watch.lap(outcome, "write");
    outcome.written = true;
    Ok(())
}

/// Folders the output must stay out of.
fn source_dirs(root: &Path) -> Vec<PathBuf> {
    ["content", "templates", "static", "themes"]
        .iter()
        .map(|d| root.join(d))
        .collect()
}

/// Renders every published body (in parallel), then checks `@/…#anchor` links.
fn render_bodies(
    content: &Content,
    config: &Config,
    urls: &Urls,
    images: &Images,
    report: &mut Report,
) -> (Vec<Option<Rendered>>, Vec<Rendered>) {
    let mut targets: HashMap<&str, (&str, bool)> = HashMap::new();
    for page in &content.pages {
        targets.insert(page.rel.as_str(), (page.path.as_str(), page.is_published()));
    }
    for section in &content.sections {
        targets.insert(section.rel.as_str(), (section.path.as_str(), true));
    }
    let resolve = |target: &str| {
        let key = target.trim_start_matches('/');
        if content.invalid.iter().any(|rel| rel == key) {
            // Already reported in its own file; a second error here is noise.
            return Some(LinkTarget::Invalid);
        }
        targets.get(key).map(|(path, published)| {
            if *published {
                LinkTarget::Published(urls.link(path))
            } else {
                LinkTarget::Unpublished
            }
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
            let path = dest.split(['#', '?']).next().unwrap_or("");
            let decoded = crate::markdown::percent_decode(path);
            let joined = lexical_join(&dir, &decoded);
            let dest = assets.get(joined.as_path())?;
            let image = images.by_source.get(&joined).map(|r| markdown::ImageAttrs {
                srcset: r.srcset(|p| urls.link(p)),
                width: r.width,
                height: r.height,
            });
            Some(markdown::FileRef {
                url: urls.link(dest),
                image,
            })
        }
    };
    let french = config.is_french();
    let page_bodies: Vec<Option<Rendered>> = content
        .pages
        .par_iter()
        .map(|page| {
            page.is_published().then(|| {
                markdown::render(&markdown::Context {
                    file: &page.file,
                    file_text: &page.text,
                    body_start: page.body_start,
                    french,
                    resolve: &resolve,
                    resolve_file: &file_resolver(&page.file),
                })
            })
        })
        .collect();
    let section_bodies: Vec<Rendered> = content
        .sections
        .par_iter()
        .map(|section| {
            markdown::render(&markdown::Context {
                file: &section.file,
                file_text: &section.text,
                body_start: section.body_start,
                french,
                resolve: &resolve,
                resolve_file: &file_resolver(&section.file),
            })
        })
        .collect();

    let mut headings: HashMap<&str, Vec<&str>> = HashMap::new();
    for (page, body) in content.pages.iter().zip(&page_bodies) {
        if let Some(body) = body {
            headings.insert(
                page.rel.as_str(),
                body.headings.iter().map(|h| h.id.as_str()).collect(),
            );
        }
    }
    for (section, body) in content.sections.iter().zip(&section_bodies) {
        headings.insert(
            section.rel.as_str(),
            body.headings.iter().map(|h| h.id.as_str()).collect(),
        );
    }
    let bodies = page_bodies.iter().flatten().chain(section_bodies.iter());
    for body in bodies {
        report.extend(body.diagnostics.iter().cloned());
        for anchor in &body.anchor_refs {
            check_anchor(anchor, &headings, report);
        }
    }
    (page_bodies, section_bodies)
}

/// `dir/rel` with `.` and `..` resolved without touching the disk.
fn lexical_join(dir: &Path, rel: &str) -> PathBuf {
    let mut out = dir.to_path_buf();
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out
}

fn check_anchor(anchor: &AnchorRef, headings: &HashMap<&str, Vec<&str>>, report: &mut Report) {
    let ids = headings
        .get(anchor.target.trim_start_matches('/'))
        .cloned()
        .unwrap_or_default();
    if ids.contains(&anchor.anchor.as_str()) {
        return;
    }
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

/// Theme static files and the files of `content/` that are not Markdown.
fn static_files(theme: &theme::Theme, content: &Content) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> = theme
        .statics
        .iter()
        .map(|(path, file)| OutputFile {
            path: path.clone(),
            contents: match file {
                theme::StaticFile::Embedded(bytes) => {
                    Contents::Bytes(std::borrow::Cow::Borrowed(bytes))
                }
                theme::StaticFile::Disk(p) => Contents::Copy(p.clone()),
            },
        })
        .collect();
    let published_bundles: Vec<&Path> = content
        .pages
        .iter()
        .filter(|p| p.is_published())
        .filter_map(|p| p.bundle_dir.as_deref())
        .collect();
    let unpublished_bundles: Vec<&Path> = content
        .pages
        .iter()
        .filter(|p| !p.is_published())
        .filter_map(|p| p.bundle_dir.as_deref())
        .collect();
    for asset in &content.assets {
        // Files of an unpublished bundle (a withdrawn testimonial's photo) stay out.
        let hidden = unpublished_bundles
            .iter()
            .any(|b| asset.source.starts_with(b))
            && !published_bundles
                .iter()
                .any(|b| asset.source.starts_with(b));
        if !hidden {
            files.push(OutputFile {
                path: asset.dest.clone(),
                contents: Contents::Copy(asset.source.clone()),
            });
        }
    }
    files
}
