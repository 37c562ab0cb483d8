//! The command line: parses arguments, runs the library, prints reports and
//! maps results to exit codes (0 success, 1 content or build errors, 2 usage).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::i18n::{self, Lang};
use crate::site::{self, BuildOptions, Outcome};

#[derive(Debug, Parser)]
#[command(
    name = "vitrine",
    version,
    about = "Static site generator for intern testimonials and programme pages"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages (default: from LANG/LC_ALL, else French).
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    /// Only print errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more details (every warning, timings).
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Fr,
    En,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build(BuildArgs),
    /// Validate everything (content, links, templates) and write nothing.
    Check(CheckArgs),
    /// Preview the site with live reload while you edit.
    Serve(ServeArgs),
    /// Create a new page from a commented template.
    New(NewArgs),
    /// Create a new site that builds as-is.
    Init(InitArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Folder of the site (with site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Show pages marked `draft: true`, with a « Brouillon » banner (the default).
    #[arg(long, overrides_with = "no_drafts")]
    drafts: bool,
    /// Hide pages marked `draft: true`, as `build` does.
    #[arg(long, overrides_with = "drafts")]
    no_drafts: bool,
    /// Address to listen on (loopback by default: only this computer).
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Port to listen on (the next free one is used if it is taken).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Open the preview in the web browser.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum NewKind {
    Testimonial,
    Programme,
    Page,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// Kind of page.
    #[arg(value_enum)]
    kind: NewKind,
    /// Title of the page (the file name is made from it).
    title: String,
    /// Folder inside content/ (default: the section of that kind).
    #[arg(long)]
    section: Option<PathBuf>,
    /// Folder of the site (with site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Folder to create the site in (must be empty or missing).
    dir: PathBuf,
}

#[derive(Debug, Args)]
struct SiteArgs {
    /// Folder of the site (with site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Also build pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Output folder (default: ROOT/public).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Replaces base_url of site.yaml (e.g. https://lycee.example/stages/).
    #[arg(long, value_parser = base_url_arg)]
    base_url: Option<String>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
}

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    i18n::set_lang(match cli.lang {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Fr) => Lang::Fr,
        None => Lang::from_env(),
    });
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    match cli.command {
        Command::Build(args) => build(args, verbosity),
        Command::Check(args) => check(args, verbosity),
        Command::Serve(args) => serve(args, verbosity),
        Command::New(args) => new_page(args),
        Command::Init(args) => init(args),
    }
}

/// `--base-url` must be a full http(s) address: a usage error (exit 2)
/// otherwise, reported before anything is built.
fn base_url_arg(text: &str) -> Result<String, String> {
    match crate::config::normalise_base_url(text) {
        Some(_) => Ok(text.to_string()),
        None => Err(format!(
            "{} ({})",
            i18n::bad_base_url(text),
            i18n::hint_base_url()
        )),
    }
}

fn fail(diagnostic: crate::diagnostics::Diagnostic) -> ExitCode {
    let text = diagnostic.render(color());
    eprintln!("{}", text.trim_end_matches('\n'));
    ExitCode::from(1)
}

fn serve(args: ServeArgs, verbosity: Verbosity) -> ExitCode {
    let options = crate::serve::ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: !args.no_drafts,
        open: args.open,
        quiet: verbosity == Verbosity::Quiet,
        verbose: verbosity == Verbosity::Verbose,
    };
    match crate::serve::run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => fail(d),
    }
}

fn new_page(args: NewArgs) -> ExitCode {
    let kind = match args.kind {
        NewKind::Testimonial => crate::content::Kind::Testimonial,
        NewKind::Programme => crate::content::Kind::Programme,
        NewKind::Page => crate::content::Kind::Page,
    };
    match crate::scaffold::new_page(&args.root, kind, &args.title, args.section.as_deref()) {
        Ok(created) => {
            if let Some(section) = &created.section {
                eprintln!(
                    "{}",
                    i18n::new_section_created(&section.display().to_string())
                );
            }
            eprintln!("{}", i18n::new_created(&created.path.display().to_string()));
            ExitCode::SUCCESS
        }
        Err(d) => fail(d),
    }
}

fn init(args: InitArgs) -> ExitCode {
    match crate::scaffold::init(&args.dir) {
        Ok(_) => {
            eprintln!("{}", i18n::init_created(&args.dir.display().to_string()));
            ExitCode::SUCCESS
        }
        Err(d) => fail(d),
    }
}

/// Steps are shown on a terminal, not when stderr is piped or `--quiet`.
fn show_progress(verbosity: Verbosity) -> bool {
    verbosity != Verbosity::Quiet && std::io::stderr().is_terminal()
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints the diagnostics (warnings hidden when quiet).
fn print_report(outcome: &Outcome, verbosity: Verbosity) {
    let report = &outcome.report;
    let shown = if verbosity == Verbosity::Quiet && !report.has_errors() {
        return;
    } else {
        report.render(color())
    };
    if !shown.is_empty() {
        eprint!("{shown}");
    }
}

fn build(args: BuildArgs, verbosity: Verbosity) -> ExitCode {
    let options = BuildOptions {
        root: args.site.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.site.drafts,
        write: true,
        in_place: false,
        progress: show_progress(verbosity),
    };
    let outcome = site::build(&options);
    print_report(&outcome, verbosity);
    if outcome.report.has_errors() {
        eprintln!("{}", i18n::build_failed());
        return ExitCode::from(1);
    }
    if verbosity == Verbosity::Verbose {
        for (step, time) in &outcome.timings {
            eprintln!("  {step:<14} {:>6.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    if verbosity != Verbosity::Quiet {
        let out = outcome
            .output
            .clone()
            .unwrap_or_else(|| options.output_dir());
        eprintln!(
            "{}",
            i18n::build_done(
                outcome.pages,
                outcome.files,
                outcome.elapsed.as_millis(),
                &out.display().to_string()
            )
        );
    }
    ExitCode::SUCCESS
}

fn check(args: CheckArgs, verbosity: Verbosity) -> ExitCode {
    let mut options = BuildOptions::new(args.site.root);
    options.drafts = args.site.drafts;
    options.write = false;
    options.progress = show_progress(verbosity);
    let mut outcome = site::build(&options);
    let expiring = std::mem::take(&mut outcome.expiring);
    outcome.report.extend(expiring);
    outcome.report = std::mem::take(&mut outcome.report).sorted();
    print_report(&outcome, verbosity);
    if outcome.report.has_errors() {
        eprintln!("{}", i18n::check_failed());
        return ExitCode::from(1);
    }
    if verbosity != Verbosity::Quiet {
        eprintln!(
            "{}",
            i18n::check_done(outcome.pages, outcome.elapsed.as_millis())
        );
    }
    ExitCode::SUCCESS
}
