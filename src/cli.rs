//! The command line: parses arguments, runs the library, prints reports and
//! maps results to exit codes (0 success, 1 content or build errors, 2 usage).
//!
//! clap parses, but speaks only English: the language is decided first
//! (`--lang` in the arguments, else `LC_ALL`/`LANG`), every help text, value
//! name and heading comes from the catalogue ([`i18n::cli`]), and usage
//! errors are written here from clap's error kind and context.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstyle::{AnsiColor, Effects, Style};
use clap::builder::{PossibleValue, PossibleValuesParser, Styles, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::diagnostics::escape_line;
use crate::i18n::{self, Carried, Lang, Text};
use crate::site::{self, BuildOptions, Outcome};

/// Where `serve` listens unless told otherwise (`new` names this address).
const DEFAULT_BIND: &str = "127.0.0.1";
const DEFAULT_PORT: u16 = 1111;

// Help texts and value names come from the catalogue in the language chosen
// at start ([`words`]): no doc comments here, clap would show them.
#[derive(Debug, Parser)]
#[command(name = "vitrine", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    Build(BuildArgs),
    Check(CheckArgs),
    Serve(ServeArgs),
    New(NewArgs),
    Init(InitArgs),
    #[command(alias = "consentements")]
    Consents(ConsentsArgs),
    // Ours rather than clap's, whose description is English.
    #[command(alias = "aide")]
    Help(HelpArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[arg(long, default_value = ".")]
    root: PathBuf,
    #[arg(long, overrides_with = "no_drafts")]
    drafts: bool,
    #[arg(long, overrides_with = "drafts")]
    no_drafts: bool,
    #[arg(long, default_value = DEFAULT_BIND, value_parser = bind_arg)]
    bind: String,
    #[arg(long, default_value_t = DEFAULT_PORT, value_parser = port_arg)]
    port: u16,
    #[arg(long)]
    open: bool,
}

/// The kinds `new` writes. Each is named in the writer's language, and
/// accepts the other language's name and the accented spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NewKind {
    Testimonial,
    Programme,
    Page,
}

impl NewKind {
    const ALL: [NewKind; 3] = [NewKind::Testimonial, NewKind::Programme, NewKind::Page];

    /// The name shown, then every spelling accepted.
    fn spellings(self, t: &i18n::CliText) -> (&'static str, &'static [&'static str]) {
        match self {
            NewKind::Testimonial => (
                t.kind_testimonial,
                &["testimonial", "temoignage", "témoignage"],
            ),
            NewKind::Programme => ("programme", &["program"]),
            NewKind::Page => ("page", &[]),
        }
    }

    fn possible_value(self, t: &i18n::CliText) -> PossibleValue {
        let (name, spellings) = self.spellings(t);
        let others = spellings.iter().filter(|s| **s != name);
        PossibleValue::new(name).aliases(others.copied())
    }

    /// The parser of `new`'s first argument in the writer's language:
    /// clap lists, suggests and matches the kinds by these names.
    fn parser(t: &'static i18n::CliText) -> impl clap::builder::TypedValueParser<Value = NewKind> {
        let values = NewKind::ALL.map(|k| k.possible_value(t));
        // clap hands back the word as written, once it matched a spelling.
        PossibleValuesParser::new(values).map(move |written: String| {
            let written = written.to_lowercase();
            let is = |k: &NewKind| {
                let (name, others) = k.spellings(t);
                name == written || others.contains(&written.as_str())
            };
            NewKind::ALL.into_iter().find(is).unwrap_or(NewKind::Page)
        })
    }
}

// The type clap's derive asks for; `localise` replaces this parser with the
// one in the writer's language before anything is parsed.
impl ValueEnum for NewKind {
    fn value_variants<'a>() -> &'a [Self] {
        &NewKind::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(self.possible_value(i18n::cli(Lang::En)))
    }
}

#[derive(Debug, Args)]
struct NewArgs {
    #[arg(value_enum, ignore_case = true)]
    kind: NewKind,
    title: String,
    #[arg(long)]
    section: Option<PathBuf>,
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Args)]
struct InitArgs {
    dir: PathBuf,
}

#[derive(Debug, Args)]
struct ConsentsArgs {
    #[arg(long, default_value = ".")]
    root: PathBuf,
    #[arg(long)]
    csv: Option<PathBuf>,
    // Replaces the `--csv` file even when it is not an earlier register.
    #[arg(long, requires = "csv")]
    force: bool,
}

#[derive(Debug, Args)]
struct HelpArgs {
    // Its possible values (the commands) are set by `localise`.
    command: Option<String>,
}

#[derive(Debug, Args)]
struct SiteArgs {
    #[arg(long, default_value = ".")]
    root: PathBuf,
    #[arg(long)]
    drafts: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[arg(long)]
    output: Option<PathBuf>,
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
    let args: Vec<OsString> = std::env::args_os().collect();
    // Decided once, here, and handed to whatever speaks to the writer.
    let lang = lang_in_args(&args).unwrap_or_else(Lang::from_env);
    let command = command(lang);
    let cli = match command
        .clone()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => {
            // clap stops at its first mistake, which may be another one: a
            // language vitrine cannot speak is said first.
            let e = match e.use_stderr() {
                true => bad_lang_error(&command, &args).unwrap_or(e),
                false => e,
            };
            return usage_error(&command, &args, &e, lang);
        }
    };
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let out = Console { lang, verbosity };
    if let Some(value) = crate::dates::Date::bad_today_override() {
        return out.fail(
            &crate::diagnostics::Diagnostic::error(
                "bad-today",
                i18n::bad_today(crate::diagnostics::escape_line(&value)),
            )
            .help(i18n::hint_bad_today()),
        );
    }
    match cli.command {
        Command::Build(args) => build(args, out),
        Command::Check(args) => check(args, out),
        Command::Serve(args) => serve(args, out),
        Command::New(args) => new_page(args, out),
        Command::Init(args) => init(args, out),
        Command::Consents(args) => consents(args, out),
        Command::Help(args) => help(command, args.command.as_deref()),
    }
}

/// The language asked with `--lang fr|en` (or `--lang=…`) anywhere before a
/// `--`; `None` when absent or not one of those (clap then reports it).
fn lang_in_args(args: &[OsString]) -> Option<Lang> {
    match lang_value(args)? {
        "fr" => Some(Lang::Fr),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The last value given to `--lang` before a `--`, as written.
fn lang_value(args: &[OsString]) -> Option<&str> {
    let mut words = args.iter().skip(1).map(|a| a.to_str().unwrap_or(""));
    let mut found = None;
    while let Some(word) = words.next() {
        found = match word {
            "--" => break,
            "--lang" => Some(words.next().unwrap_or("")),
            _ => match word.strip_prefix("--lang=") {
                Some(value) => Some(value),
                None => continue,
            },
        };
    }
    found
}

/// clap's own error for a `--lang` value that is not `fr` or `en`.
fn bad_lang_error(command: &clap::Command, args: &[OsString]) -> Option<clap::Error> {
    let value = lang_value(args)?;
    let program = args.first()?.clone();
    let alone = [program, "--lang".into(), value.into()];
    let error = command.clone().try_get_matches_from(alone).err()?;
    (error.kind() == ErrorKind::InvalidValue).then_some(error)
}

/// The whole command, in `lang`.
fn command(lang: Lang) -> clap::Command {
    let t = i18n::cli(lang);
    let root = Cli::command()
        .arg(
            Arg::new("lang")
                .long("lang")
                .global(true)
                .value_parser(["fr", "en"]),
        )
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version),
        );
    localise(root, "", t)
}

/// What the catalogue says of command `command`'s argument `id`: its help
/// line and the name of its value. One table, so that the derive above
/// stays free of texts.
fn words(t: &'static i18n::CliText, command: &str, id: &str) -> (&'static str, &'static str) {
    let none = "";
    match (command, id) {
        (_, "lang") => (t.help_lang, t.value_lang),
        (_, "version") => (t.help_version, none),
        (_, "quiet") => (t.help_quiet, none),
        (_, "verbose") => (t.help_verbose, none),
        (_, "root") => (t.help_root, t.value_dir),
        ("serve", "drafts") => (t.help_serve_drafts, none),
        (_, "drafts") => (t.help_drafts, none),
        (_, "no_drafts") => (t.help_no_drafts, none),
        (_, "bind") => (t.help_bind, t.value_address),
        (_, "port") => (t.help_port, t.value_port),
        (_, "open") => (t.help_open, none),
        (_, "kind") => (t.help_kind, t.value_kind),
        (_, "title") => (t.help_title, t.value_title),
        (_, "section") => (t.help_section, t.value_dir),
        (_, "dir") => (t.help_init_dir, t.value_dir),
        (_, "csv") => (t.help_csv, t.value_file),
        (_, "force") => (t.help_force, none),
        (_, "command") => (t.help_command, t.value_command),
        (_, "output") => (t.help_output, t.value_dir),
        (_, "base_url") => (t.help_base_url, t.value_url),
        _ => (none, none),
    }
}

/// What the catalogue says a command does.
fn about(t: &i18n::CliText, command: &str) -> &'static str {
    match command {
        "build" => t.about_build,
        "check" => t.about_check,
        "serve" => t.about_serve,
        "new" => t.about_new,
        "init" => t.about_init,
        "consents" => t.about_consents,
        "help" => t.about_help,
        _ => t.about,
    }
}

/// Gives `cmd` and its subcommands the catalogue's texts, headings and
/// usage lines, our own `--help`, and the possible and default values in
/// the help lines, where clap would write them in English.
fn localise(cmd: clap::Command, parent: &str, t: &'static i18n::CliText) -> clap::Command {
    let name = cmd.get_name().to_string();
    let path = if parent.is_empty() {
        name.clone()
    } else {
        format!("{parent} {name}")
    };
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = cmd
        .about(about(t, &name))
        .styles(Styles::plain())
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            t.usage
        ))
        .subcommand_help_heading(heading(t.commands))
        .subcommand_value_name(t.value_command)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t.help_help),
        );
    // `mut_args` changes arguments in place (`mut_arg` would move a
    // positional one to the end).
    cmd = cmd.mut_args(|arg| {
        let id = arg.get_id().as_str().to_owned();
        let (help, value) = words(t, &name, &id);
        let arg = if id == "kind" {
            arg.value_parser(NewKind::parser(t))
        } else {
            arg
        };
        let arg = if arg.get_help().is_none() && !help.is_empty() {
            arg.help(help)
        } else {
            arg
        };
        let arg = if value.is_empty() {
            arg
        } else {
            arg.value_name(value)
        };
        describe(arg, t)
    });
    let usage = usage_line(&cmd, &path, t);
    cmd = cmd.override_usage(usage);
    for sub in &names {
        cmd = cmd.mut_subcommand(sub, |c| localise(c, &path, t));
    }
    if names.iter().any(|n| n == "help") {
        // Each command by its name and its aliases (`consentements`).
        let commands: Vec<PossibleValue> = cmd
            .get_subcommands()
            .map(|c| {
                let aliases: Vec<String> = c.get_all_aliases().map(str::to_string).collect();
                PossibleValue::new(c.get_name().to_string()).aliases(aliases)
            })
            .collect();
        cmd = cmd.mut_subcommand("help", |help| {
            help.mut_arg("command", |arg| {
                describe(arg.value_parser(PossibleValuesParser::new(commands)), t)
            })
        });
    }
    cmd
}

/// A heading as clap takes it: clap adds the colon itself.
fn heading(shown: &str) -> &str {
    shown.strip_suffix(':').unwrap_or(shown)
}

/// An argument's heading, and its possible and default values at the end of
/// its help line in the current language.
fn describe(arg: Arg, t: &i18n::CliText) -> Arg {
    let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    if !arg.get_action().takes_values() {
        // A flag: its `true`/`false` are not for the writer.
        return arg.help(help).help_heading(heading(t.options));
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().to_string())
        .collect();
    let shown = if arg.is_positional() {
        t.arguments
    } else {
        t.options
    };
    let mut arg = arg.help_heading(heading(shown));
    if !values.is_empty() {
        let _ = write!(help, " [{} {}]", t.possible_values, values.join(", "));
        arg = arg.hide_possible_values(true);
    }
    if !defaults.is_empty() {
        let _ = write!(help, " [{} {}]", t.default_value, defaults.join(", "));
        arg = arg.hide_default_value(true);
    }
    arg.help(help)
}

/// `vitrine new [OPTIONS] <TYPE> <TITRE>`: the command's path, then what it
/// takes, with the catalogue's words.
fn usage_line(cmd: &clap::Command, path: &str, t: &i18n::CliText) -> String {
    let mut line = format!("{path} {}", t.options_tag);
    for arg in cmd.get_positionals() {
        let name = arg
            .get_value_names()
            .and_then(|names| names.first())
            .map_or_else(
                || arg.get_id().to_string().to_uppercase(),
                |n| n.to_string(),
            );
        if arg.is_required_set() {
            let _ = write!(line, " <{name}>");
        } else {
            let _ = write!(line, " [{name}]");
        }
    }
    if cmd.has_subcommands() {
        let _ = write!(line, " <{}>", t.value_command);
    }
    line
}

/// `vitrine help [COMMANDE]`.
fn help(mut command: clap::Command, name: Option<&str>) -> ExitCode {
    let shown = match name {
        Some(name) => command.find_subcommand_mut(name),
        None => Some(&mut command),
    };
    if let Some(cmd) = shown {
        let _ = cmd.print_help();
    }
    ExitCode::SUCCESS
}

/// Prints a clap error in the current language: help and version as they
/// are (exit 0, or 2 for the help shown when a command is missing), usage
/// errors rewritten from their kind and context (exit 2).
fn usage_error(
    command: &clap::Command,
    args: &[OsString],
    e: &clap::Error,
    lang: Lang,
) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
        }
        _ => {
            let (path, cmd) = command_in_args(command, args);
            say_raw!("{}", render_usage_error(&path, cmd, e, color(), lang));
        }
    }
    if e.use_stderr() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// `erreur : …`, the lists and suggestions clap found, then the usage line
/// of the command concerned (`cmd`, named `path`) and where to learn more.
fn render_usage_error(
    path: &str,
    cmd: &clap::Command,
    e: &clap::Error,
    color: bool,
    lang: Lang,
) -> String {
    let t = i18n::cli(lang);
    let (error_style, tip_style) = if color {
        (
            AnsiColor::BrightRed.on_default().effects(Effects::BOLD),
            AnsiColor::BrightCyan.on_default().effects(Effects::BOLD),
        )
    } else {
        (Style::new(), Style::new())
    };
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(escape_line(s).into_owned()),
        _ => None,
    };
    let texts = |kind| match e.get(kind) {
        Some(ContextValue::Strings(list)) => {
            list.iter().map(|s| escape_line(s).into_owned()).collect()
        }
        Some(ContextValue::String(s)) => vec![escape_line(s).into_owned()],
        _ => Vec::new(),
    };
    let number = |kind| match e.get(kind) {
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => "?".to_string(),
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let mut lists: Vec<String> = Vec::new();
    let message = match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => i18n::cli_value_required(&arg),
        ErrorKind::InvalidValue => {
            let valid = texts(ContextKind::ValidValue);
            if !valid.is_empty() {
                lists.push(format!("[{} {}]", t.possible_values, valid.join(", ")));
            }
            i18n::cli_invalid_value(&value, &arg)
        }
        ErrorKind::ValueValidation => {
            let message = i18n::cli_invalid_value(&value, &arg);
            match std::error::Error::source(e) {
                Some(source) => {
                    let why = Carried::text_of(source).map(|w| escape_line(w).into_owned());
                    i18n::with_reason(&message, &why)
                }
                None => message,
            }
        }
        ErrorKind::UnknownArgument => i18n::cli_unknown_argument(&arg),
        ErrorKind::InvalidSubcommand => {
            i18n::cli_unknown_command(text(ContextKind::InvalidSubcommand).unwrap_or_default())
        }
        ErrorKind::MissingSubcommand => {
            let valid = texts(ContextKind::ValidSubcommand);
            if !valid.is_empty() {
                lists.push(valid.join(", "));
            }
            i18n::cli_missing_command(text(ContextKind::InvalidSubcommand).unwrap_or_default())
        }
        ErrorKind::MissingRequiredArgument => {
            lists.extend(texts(ContextKind::InvalidArg));
            i18n::cli_missing_arguments()
        }
        ErrorKind::ArgumentConflict => {
            let prior = texts(ContextKind::PriorArg);
            if prior.is_empty() || prior == [arg.clone()] {
                i18n::cli_repeated(&arg)
            } else {
                i18n::cli_conflict(&arg, prior.join(", "))
            }
        }
        ErrorKind::TooManyValues => i18n::cli_extra_value(&value, &arg),
        ErrorKind::TooFewValues => i18n::cli_value_count(
            &arg,
            number(ContextKind::MinValues),
            number(ContextKind::ActualNumValues),
        ),
        ErrorKind::WrongNumberOfValues => i18n::cli_value_count(
            &arg,
            number(ContextKind::ExpectedNumValues),
            number(ContextKind::ActualNumValues),
        ),
        ErrorKind::NoEquals => i18n::cli_no_equals(&arg),
        ErrorKind::InvalidUtf8 => i18n::cli_not_utf8(),
        _ => i18n::cli_bad_arguments(),
    };
    let mut tips: Vec<Text> = Vec::new();
    if let Some(sub) = texts(ContextKind::SuggestedSubcommand).first() {
        tips.push(i18n::cli_similar_command(sub));
    }
    if let Some(flag) = text(ContextKind::SuggestedArg) {
        tips.push(i18n::cli_similar_argument(&flag));
    }
    if let Some(value) = texts(ContextKind::SuggestedValue).first() {
        tips.push(i18n::cli_similar_value(value));
    }
    if let Some(ContextValue::StyledStrs(suggestions)) = e.get(ContextKind::Suggested) {
        tips.extend(
            suggestions
                .iter()
                .filter_map(|s| suggestion(&s.to_string())),
        );
    }

    let colon = i18n::colon(lang);
    let mut out = format!(
        "{error_style}{}{error_style:#}{colon} {}\n",
        i18n::level_words(lang).0,
        message.get(lang)
    );
    for list in &lists {
        let _ = writeln!(out, "  {list}");
    }
    if !tips.is_empty() {
        out.push('\n');
    }
    for tip in &tips {
        let _ = writeln!(
            out,
            "  {tip_style}{}{tip_style:#}{colon} {}",
            t.tip,
            tip.get(lang)
        );
    }
    if let Some(usage) = cmd.get_overridden_usage() {
        let _ = writeln!(out, "\n{} {usage}", t.usage);
    }
    let _ = writeln!(out, "\n{}", i18n::cli_more_info(path).get(lang));
    out
}

/// The command that `args` reached (`vitrine new …` → `new`) and its path,
/// for the usage line under an error: clap does not give it with every
/// error, and gives it with an English heading.
fn command_in_args<'a>(root: &'a clap::Command, args: &[OsString]) -> (String, &'a clap::Command) {
    let mut cmd = root;
    let mut path = root.get_name().to_string();
    // The options known where the words have reached: the command's own
    // and the global ones. An unknown one is where clap stopped.
    let find = |cmd: &'a clap::Command, wanted: &dyn Fn(&Arg) -> bool| {
        cmd.get_arguments()
            .chain(root.get_arguments().filter(|a| a.is_global_set()))
            .find(|a| wanted(a))
            .map(|a| a.get_action().takes_values())
    };
    let mut words = args.iter().skip(1).map(|a| a.to_str().unwrap_or(""));
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let option = if let Some(long) = word.strip_prefix("--") {
            let (name, value) = long
                .split_once('=')
                .map_or((long, None), |(n, v)| (n, Some(v)));
            find(cmd, &|a| a.get_long() == Some(name)).map(|takes| takes && value.is_none())
        } else if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut chars = shorts.chars();
            let first = chars.next();
            let alone = chars.next().is_none();
            find(cmd, &|a| a.get_short() == first).map(|takes| takes && alone)
        } else {
            Some(false)
        };
        match option {
            None => break,
            Some(true) => {
                // Its value is the next word.
                words.next();
                continue;
            }
            Some(false) if word.starts_with('-') => continue,
            Some(false) => {}
        }
        if let Some(sub) = cmd.find_subcommand(word) {
            cmd = sub;
            path = format!("{path} {}", sub.get_name());
        } else if cmd.has_subcommands() {
            break;
        }
    }
    (path, cmd)
}

/// clap's free-text tips (English sentences around quoted values) told
/// again in the current language, recognised by their quoted values; one
/// of another shape is left out rather than shown in English.
fn suggestion(english: &str) -> Option<Text> {
    let quoted: Vec<String> = english
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(|q| escape_line(q).into_owned())
        .collect();
    match quoted.as_slice() {
        [command, dashes] if dashes == "--" => Some(i18n::cli_remove_double_dash(command)),
        [arg, written] if written.ends_with(&format!("-- {arg}")) => {
            Some(i18n::cli_pass_as_value(arg, written))
        }
        [written] => Some(i18n::cli_exists_there(written)),
        _ => None,
    }
}

/// `--bind`: an IP address of this computer, or `localhost` (a usage
/// error in the writer's language otherwise, not the resolver's English).
fn bind_arg(text: &str) -> Result<String, Carried> {
    if text == "localhost" || text.parse::<std::net::IpAddr>().is_ok() {
        Ok(text.to_string())
    } else {
        Err(Carried(i18n::cli_bad_bind()))
    }
}

/// `--port`: a number, with a message in the writer's language.
fn port_arg(text: &str) -> Result<u16, Carried> {
    text.parse().map_err(|_| Carried(i18n::cli_bad_port()))
}

/// `--base-url` must be a full http(s) address: a usage error (exit 2)
/// otherwise, reported before anything is built.
fn base_url_arg(text: &str) -> Result<String, Carried> {
    match crate::config::normalise_base_url(text) {
        Some(_) => Ok(text.to_string()),
        None => Err(Carried(i18n::in_parentheses(
            &i18n::bad_base_url(text),
            &i18n::hint_base_url(),
        ))),
    }
}

/// Where a command speaks to the writer: stderr, in their language, as
/// much as they asked for.
#[derive(Debug, Clone, Copy)]
struct Console {
    lang: Lang,
    verbosity: Verbosity,
}

impl Console {
    fn say(&self, text: &Text) {
        say!("{}", text.get(self.lang));
    }

    /// `text`, unless `--quiet`.
    fn tell(&self, text: &Text) {
        if self.verbosity != Verbosity::Quiet {
            self.say(text);
        }
    }

    fn fail(&self, diagnostic: &crate::diagnostics::Diagnostic) -> ExitCode {
        let text = diagnostic.render(color(), self.lang);
        say!("{}", text.trim_end_matches('\n'));
        ExitCode::from(1)
    }

    /// Steps are shown on a terminal, not when stderr is piped or `--quiet`.
    fn progress(&self) -> Option<Lang> {
        let shown = self.verbosity != Verbosity::Quiet && std::io::stderr().is_terminal();
        shown.then_some(self.lang)
    }

    /// The diagnostics (warnings hidden when quiet).
    fn report(&self, report: &crate::diagnostics::Report) {
        if self.verbosity == Verbosity::Quiet && !report.has_errors() {
            return;
        }
        let shown = report.render(color(), self.lang);
        if !shown.is_empty() {
            say_raw!("{shown}");
        }
    }
}

fn serve(args: ServeArgs, out: Console) -> ExitCode {
    let options = crate::serve::ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: !args.no_drafts,
        open: args.open,
        quiet: out.verbosity == Verbosity::Quiet,
        verbose: out.verbosity == Verbosity::Verbose,
        lang: out.lang,
    };
    match crate::serve::run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => out.fail(&d),
    }
}

fn new_page(args: NewArgs, out: Console) -> ExitCode {
    let kind = match args.kind {
        NewKind::Testimonial => crate::content::Kind::Testimonial,
        NewKind::Programme => crate::content::Kind::Programme,
        NewKind::Page => crate::content::Kind::Page,
    };
    match crate::scaffold::new_page(&args.root, kind, &args.title, args.section.as_deref()) {
        Ok(created) => {
            if let Some(section) = &created.section {
                out.say(&i18n::new_section_created(shown(section)));
            }
            // `./content/a.md` reads better as `content/a.md`.
            let path = created.path.strip_prefix(".").unwrap_or(&created.path);
            out.say(&i18n::new_created(shown(path)));
            if let Some(url) = preview_address(&args.root, &created.path) {
                out.say(&i18n::new_preview(&url));
            }
            out.say(&i18n::new_draft());
            ExitCode::SUCCESS
        }
        Err(d) => out.fail(&d),
    }
}

/// Where `vitrine serve`, as started by default, shows the page written at
/// `file`: the base path of `site.yaml`'s `base_url`, then the page's path.
/// `None` when `site.yaml` cannot be read (`serve` will say why).
fn preview_address(root: &Path, file: &Path) -> Option<String> {
    let config = crate::config::load(root).ok()?;
    let content = root.join(crate::content::CONTENT_DIR);
    let page = crate::content::plain_page_path(&content, file);
    let urls = crate::urls::Urls::from_parts(&config.base_url, false);
    Some(format!(
        "http://{DEFAULT_BIND}:{DEFAULT_PORT}{}",
        urls.link(&page)
    ))
}

/// A path as printed on the terminal: control characters escaped.
fn shown(path: &Path) -> String {
    escape_line(&path.display().to_string()).into_owned()
}

fn init(args: InitArgs, out: Console) -> ExitCode {
    match crate::scaffold::init(&args.dir) {
        Ok(_) => {
            out.say(&i18n::init_created(shown(&args.dir)));
            ExitCode::SUCCESS
        }
        Err(d) => out.fail(&d),
    }
}

/// The consent register on stdout, and in a CSV file when asked.
fn consents(args: ConsentsArgs, out: Console) -> ExitCode {
    if let Err(diagnostics) = crate::config::load(&args.root) {
        let mut report = crate::diagnostics::Report::new();
        report.extend(diagnostics);
        say_raw!("{}", report.render(color(), out.lang));
        return ExitCode::from(1);
    }
    let (content, _) = crate::content::load(&args.root);
    let entries = crate::consents::register(&content, crate::dates::Date::today());
    if !content.invalid.is_empty() {
        out.say(&i18n::consent_register_content_errors(
            content.invalid.len(),
        ));
    }
    if entries.is_empty() {
        out.say(&i18n::consent_register_empty());
    } else if let Err(e) = print_table(&crate::consents::table(&entries, out.lang)) {
        // Redirected to a full disk: an empty file must not look like a
        // register. A closed pipe (`| head`) is the reader's choice.
        return out.fail(&crate::diagnostics::Diagnostic::write_failed(
            Path::new("stdout"),
            &e,
        ));
    }
    let Some(file) = args.csv else {
        return ExitCode::SUCCESS;
    };
    match crate::consents::write_csv(&args.root, &file, &entries, out.lang, args.force) {
        Ok(()) => {
            out.say(&i18n::consent_register_written(
                &shown(&file),
                entries.len(),
            ));
            ExitCode::SUCCESS
        }
        Err(d) => out.fail(&d),
    }
}

/// `table` on stdout; a closed pipe is no error.
fn print_table(table: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(table.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// The day the site must be built again, when a published consent ends.
fn print_next_expiry(outcome: &Outcome, out: Console) {
    if let Some((date, file)) = &outcome.next_expiry {
        out.tell(&i18n::next_expiry(date.iso_day(), shown(file)));
    }
    // Another day the site must be built again.
    if let Some(end) = outcome.audit_end {
        out.tell(&i18n::next_audit_end(i18n::long_date(end)));
    }
    if let Some((date, file)) = &outcome.next_programme_change {
        out.tell(&i18n::next_programme_change(date.iso_day(), shown(file)));
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn build(args: BuildArgs, out: Console) -> ExitCode {
    let options = BuildOptions {
        root: args.site.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.site.drafts,
        write: true,
        progress: out.progress(),
    };
    stop_cleanly_when_interrupted(out.lang);
    let outcome = site::build(&options);
    out.report(&outcome.report);
    if outcome.report.has_errors() {
        out.say(&i18n::build_failed());
        return ExitCode::from(1);
    }
    if out.verbosity == Verbosity::Verbose {
        for (step, time) in &outcome.timings {
            let step = i18n::timing_label(step);
            say!(
                "  {:<14} {:>6.1} ms",
                step.get(out.lang),
                time.as_secs_f64() * 1000.0
            );
        }
    }
    let folder = outcome
        .output
        .clone()
        .unwrap_or_else(|| options.output_dir());
    out.tell(&i18n::build_done(
        outcome.pages,
        outcome.files,
        outcome.elapsed.as_millis(),
        shown(&folder),
    ));
    print_next_expiry(&outcome, out);
    ExitCode::SUCCESS
}

/// Ctrl-C, and (ctrlc's `termination` feature) SIGTERM and SIGHUP, during a
/// build: the half-written staging folder is deleted and the process ends
/// (130, as a shell reports an interrupted command), the previous output
/// untouched. Once the new site has replaced it, the build ends normally.
/// Signals the caller ignored (`nohup`, a script's background job) stay
/// ignored: the build goes on, as it was asked to.
fn stop_cleanly_when_interrupted(lang: i18n::Lang) {
    if !crate::terminal::stop_signals_left_to_us() {
        return;
    }
    let message = i18n::build_interrupted().get(lang).to_string();
    let terminal = std::io::stderr().is_terminal();
    // Only one handler per process: a second `set_handler` fails, harmlessly.
    let _ = ctrlc::set_handler(move || {
        let (stop, _swaps_wait) = crate::output::interruption::stop();
        if stop == crate::output::interruption::Stop::Replaced {
            return;
        }
        if terminal {
            // Over the progress line, or the `^C` the terminal echoed.
            say_raw!("\r\x1b[2K");
        }
        say!("{message}");
        std::process::exit(130);
    });
}

fn check(args: CheckArgs, out: Console) -> ExitCode {
    let mut options = BuildOptions::new(args.site.root);
    options.drafts = args.site.drafts;
    options.write = false;
    options.progress = out.progress();
    let mut outcome = site::build(&options);
    let expiring = std::mem::take(&mut outcome.expiring);
    outcome.report.extend(expiring);
    outcome.report = std::mem::take(&mut outcome.report).sorted();
    out.report(&outcome.report);
    if outcome.report.has_errors() {
        out.say(&i18n::check_failed());
        return ExitCode::from(1);
    }
    out.tell(&i18n::check_done(
        outcome.pages,
        outcome.elapsed.as_millis(),
    ));
    print_next_expiry(&outcome, out);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        std::iter::once("vitrine")
            .chain(words.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn the_command_is_well_formed() {
        // clap checks its own rules (a hidden list needs values…) only
        // when asked, in debug builds.
        command(Lang::Fr).debug_assert();
    }

    #[test]
    fn language_is_found_in_the_arguments() {
        assert_eq!(
            lang_in_args(&args(&["--lang", "en", "build"])),
            Some(Lang::En)
        );
        assert_eq!(lang_in_args(&args(&["build", "--lang=fr"])), Some(Lang::Fr));
        assert_eq!(lang_in_args(&args(&["build", "--lang", "de"])), None);
        assert_eq!(
            lang_in_args(&args(&["new", "page", "--", "--lang=en"])),
            None
        );
        assert_eq!(lang_in_args(&args(&["build"])), None);
    }

    #[test]
    fn the_command_reached_by_the_arguments_names_the_usage() {
        let root = command(Lang::Fr);
        let path = |words: &[&str]| command_in_args(&root, &args(words)).0;
        assert_eq!(path(&["new", "temoinage", "X"]), "vitrine new");
        assert_eq!(path(&["--lang", "fr", "build", "--nope"]), "vitrine build");
        // `build` is the value of `--root` here, not the command.
        assert_eq!(path(&["new", "--root", "build", "page"]), "vitrine new");
        assert_eq!(path(&["--root", "x", "build"]), "vitrine");
        assert_eq!(path(&["aide", "nwe"]), "vitrine help");
        assert_eq!(path(&["-q", "buidl"]), "vitrine");
    }

    #[test]
    fn clap_tips_are_told_again_or_left_out() {
        assert_eq!(
            suggestion("to pass '--nope' as a value, use '-- --nope'").as_deref(),
            Some("pour donner `--nope` comme valeur, écrivez `-- --nope`")
        );
        assert_eq!(
            suggestion("'build --drafts' exists").as_deref(),
            Some("`build --drafts` existe")
        );
        assert_eq!(
            suggestion("subcommand 'build' exists; to use it, remove the '--' before it")
                .as_deref(),
            Some("la commande `build` existe : retirez le `--` qui la précède")
        );
        assert_eq!(suggestion("something new from clap"), None);
    }

    #[test]
    fn kinds_are_named_in_the_writers_language_and_accept_every_spelling() {
        for lang in [Lang::Fr, Lang::En] {
            let root = command(lang);
            for (word, kind) in [
                ("temoignage", NewKind::Testimonial),
                ("témoignage", NewKind::Testimonial),
                ("Témoignage", NewKind::Testimonial),
                ("testimonial", NewKind::Testimonial),
                ("programme", NewKind::Programme),
                ("program", NewKind::Programme),
                ("page", NewKind::Page),
            ] {
                let matches = root
                    .clone()
                    .try_get_matches_from(args(&["new", word, "Titre"]))
                    .and_then(|m| Cli::from_arg_matches(&m));
                let parsed = match matches.map(|cli| cli.command) {
                    Ok(Command::New(new)) => Some(new.kind),
                    _ => None,
                };
                assert_eq!(parsed, Some(kind), "{word} in {lang:?}");
            }
            let new = root.find_subcommand("new").unwrap();
            let kind = new.get_arguments().find(|a| a.get_id() == "kind").unwrap();
            let names: Vec<String> = kind
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect();
            let first = if lang == Lang::Fr {
                "temoignage"
            } else {
                "testimonial"
            };
            assert_eq!(names, [first, "programme", "page"]);
        }
    }
}
