//! Diagnostics: problems found while loading, checking and rendering a site.
//!
//! Every step pushes [`Diagnostic`]s into a [`Report`] instead of stopping at
//! the first problem, so a writer sees every mistake of a run at once. The
//! caller prints the report once ([`Report::render`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use annotate_snippets::{Level, Renderer, Snippet};
use anstyle::{AnsiColor, Effects, Style};

use crate::i18n;
/// The language a diagnostic is shown in, and its text in both.
pub use crate::i18n::{Lang, Text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a problem is: a file, a 1-based line and column, and the text of that
/// line so the snippet can be shown without reading the file again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// Length of the underlined part, in bytes (at least 1 when shown).
    pub len: usize,
    pub line_text: String,
}

impl Location {
    /// A location in `text` (the whole file), 1-based `line` and `column`.
    pub fn in_text(file: &Path, text: &str, line: usize, column: usize, len: usize) -> Location {
        let line_text = text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .to_string();
        Location {
            file: file.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            len,
            line_text,
        }
    }

    /// A location at byte `offset` of `text`, found through `lines` (see [`Lines`]).
    pub fn at_offset(file: &Path, lines: &Lines, offset: usize, len: usize) -> Location {
        let (line, start) = lines.line_of(offset);
        let offset = offset.min(lines.text.len());
        let before = lines.text.get(start..offset).unwrap_or("");
        Location {
            file: file.to_path_buf(),
            line,
            column: before.chars().count() + 1,
            len,
            line_text: lines.line_text(line).to_string(),
        }
    }

    /// A whole file, without a line (e.g. a file that cannot be read).
    pub fn file(file: &Path) -> Location {
        Location {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            len: 0,
            line_text: String::new(),
        }
    }
}

/// Where each line of a text starts. [`Location::in_text`] scans the text
/// from the top for every location, which made a page with thousands of
/// links or fields take minutes; this index is built once per text.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    text: &'a str,
    /// Byte offset of the start of each line; `starts[0] == 0`.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The text of 1-based `line`, without its line end (empty past the end).
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        let text = self.text.get(start..end.max(start)).unwrap_or("");
        text.strip_suffix('\r').unwrap_or(text)
    }

    /// 1-based line of byte `offset`, and the byte offset where that line starts.
    pub fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        (line, self.starts[line - 1])
    }

    /// Same as [`Location::in_text`] on the indexed text, without rescanning it.
    pub fn location(&self, file: &Path, line: usize, column: usize, len: usize) -> Location {
        Location {
            file: file.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            len,
            line_text: self.line_text(line.max(1)).to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier (`unknown-field`, `bad-date`…), the same in every language.
    pub code: &'static str,
    pub message: Text,
    pub location: Option<Box<Location>>,
    /// Short text under the underlined span.
    pub label: Option<Text>,
    /// How to fix it.
    pub help: Option<Text>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<Text>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            label: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<Text>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// A file or folder that could not be written (output, scaffold, cache).
    pub fn write_failed(path: &Path, error: &std::io::Error) -> Diagnostic {
        Diagnostic::error(
            "write-failed",
            i18n::write_failed(
                escape_line(&path.display().to_string()),
                i18n::io_reason(error),
            ),
        )
        .help(i18n::hint_write_failed())
    }

    /// The site a build replaced, left at `path` because it could not be
    /// deleted.
    pub fn old_output_left(path: &Path) -> Diagnostic {
        Diagnostic::warning(
            "old-output-left",
            i18n::old_output_left(escape_line(&path.display().to_string())),
        )
        .help(i18n::hint_old_output_left())
    }

    /// The body of the page `shown`, kept compressed (or in the build's
    /// temporary file) for the templates, that could not be read back.
    pub fn body_unreadable(shown: &Path, error: &std::io::Error) -> Diagnostic {
        Diagnostic::error(
            "body-unreadable",
            i18n::body_unreadable(i18n::io_reason(error)),
        )
        .at_file(shown)
        .help(i18n::hint_body_unreadable())
    }

    /// A file of the site that could not be read, shown as `shown`.
    pub fn unreadable(shown: &Path, error: &std::io::Error) -> Diagnostic {
        Diagnostic::error("unreadable", i18n::unreadable(i18n::io_reason(error)))
            .at_file(shown)
            .help(i18n::hint_unreadable())
    }

    /// YAML that could not be read (`site.yaml`, a theme's, front matter),
    /// at `location`: the same codes everywhere, `yaml-too-deep` and
    /// `yaml-too-large` for the limits, `yaml-syntax` for the rest.
    pub fn yaml(error: &crate::yaml::YamlError, location: Location) -> Diagnostic {
        Diagnostic::error(
            crate::yaml::code(&error.problem),
            i18n::yaml_syntax(&error.message),
        )
        .at(location)
        .help(crate::yaml::hint(&error.problem))
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(Box::new(location));
        self
    }

    pub fn at_file(self, file: &Path) -> Diagnostic {
        self.at(Location::file(file))
    }

    pub fn label(mut self, label: impl Into<Text>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<Text>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Same as [`Diagnostic::help`] when `help` is `Some`.
    pub fn maybe_help(self, help: Option<Text>) -> Diagnostic {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or just the file), as shown in summaries; control
    /// characters escaped ([`escape_line`]).
    pub fn position(&self) -> Option<String> {
        let loc = self.location.as_ref()?;
        let file = escape_line(&loc.file.display().to_string()).into_owned();
        Some(if loc.line == 0 {
            file
        } else {
            format!("{file}:{}:{}", loc.line, loc.column)
        })
    }

    /// rustc-style text: header, `--> file:line:col`, snippet, help.
    ///
    /// This is where every diagnostic becomes text, so every part taken from
    /// files (message, path, line, label, help) is escaped here: a file name
    /// or a line holding terminal escape sequences is shown, never obeyed.
    /// annotate-snippets draws the snippet; the header and the help lines
    /// are written here, in the words and typography of the language
    /// (« erreur : », « = aide : »), which annotate-snippets cannot do.
    pub fn render(&self, color: bool, lang: Lang) -> String {
        let palette = Palette::new(color);
        let (error, warning, help) = i18n::level_words(lang);
        let colon = i18n::colon(lang);
        let (level, word, style) = match self.severity {
            Severity::Error => (Level::Error, error, palette.error),
            Severity::Warning => (Level::Warning, warning, palette.warning),
        };
        let message = escape_text(self.message.get(lang));
        let title = match self.location.as_ref().filter(|l| l.line == 0) {
            // No snippet to show: name the file in the title.
            Some(l) => format!(
                "{}{colon} {message} [{}]",
                escape_line(&l.file.display().to_string()),
                self.code
            ),
            None => format!("{message} [{}]", self.code),
        };
        let bold = palette.emphasis;
        let mut out = format!("{style}{word}{style:#}{colon} {bold}{title}{bold:#}");
        // Spaces before the gutter (`|`, `=`): one more than the width of
        // the line number, as annotate-snippets aligns them.
        let mut gutter = 1;
        if let Some(loc) = self.location.as_ref().filter(|l| l.line > 0) {
            out.push('\n');
            out.push_str(&self.snippet(loc, level, &palette, lang));
            gutter = loc.line.to_string().len() + 1;
        }
        if let Some(text) = &self.help {
            let pad = " ".repeat(gutter);
            let line_no = palette.line_no;
            let help_style = palette.help;
            let _ = write!(
                out,
                "\n{pad}{line_no}= {line_no:#}{help_style}{help}{help_style:#}{colon} "
            );
            // Further lines of a help line up with its first one.
            let indent = " ".repeat(gutter + 2 + help.chars().count() + colon.chars().count() + 1);
            for (n, line) in escape_text(text.get(lang)).split('\n').enumerate() {
                if n > 0 {
                    out.push('\n');
                    out.push_str(&indent);
                }
                out.push_str(line);
            }
        }
        out
    }

    /// The `--> file:line:col` line, then the underlined source line drawn
    /// by annotate-snippets, its control characters escaped and the
    /// underline moved to where its characters now are. The column named
    /// is the one in the file, as the writer's editor counts it.
    fn snippet(&self, loc: &Location, level: Level, palette: &Palette, lang: Lang) -> String {
        let label = self.label.as_ref().map_or("", |l| l.get(lang));
        let label = escape_text(label).into_owned();
        // annotate-snippets prints an empty line without `:line:col` and a
        // blank one as "...": name it instead, so the position stays.
        let empty = i18n::empty_line().get(lang).to_string();
        let (source, start, end, column) = if loc.line_text.trim().is_empty() {
            (empty.clone(), 0, empty.len(), 1)
        } else {
            let line = loc.line_text.as_str();
            let (start, end) = span(line, loc.column, loc.len);
            let column = line[..start].chars().count() + 1;
            let escaped = escape_line(line).into_owned();
            let start = escape_line(&line[..start]).len();
            let end = escape_line(&line[..end]).len();
            (escaped, start, end, column)
        };
        let snippet = Snippet::source(&source)
            .line_start(loc.line)
            .annotation(level.span(start..end).label(&label));
        // An empty title: its line (the bare level name) is dropped, the
        // header being written by `render`.
        let message = level.title("").snippet(snippet);
        let renderer = if palette.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let text = renderer.render(message).to_string();
        let drawn = text.split_once('\n').map_or("", |(_, rest)| rest);
        let line_no = palette.line_no;
        format!(
            "{}{line_no}-->{line_no:#} {}:{}:{column}\n{}",
            " ".repeat(loc.line.to_string().len()),
            escape_line(&loc.file.display().to_string()),
            loc.line,
            drawn.trim_end_matches('\n')
        )
    }
}

/// The colours of annotate-snippets' styled renderer, for the parts of a
/// diagnostic written here; no style at all without colour.
struct Palette {
    color: bool,
    error: Style,
    warning: Style,
    help: Style,
    line_no: Style,
    emphasis: Style,
}

impl Palette {
    fn new(color: bool) -> Palette {
        if !color {
            return Palette {
                color,
                error: Style::new(),
                warning: Style::new(),
                help: Style::new(),
                line_no: Style::new(),
                emphasis: Style::new(),
            };
        }
        let bold = |c: AnsiColor| c.on_default().effects(Effects::BOLD);
        Palette {
            color,
            error: bold(AnsiColor::BrightRed),
            warning: bold(AnsiColor::Yellow),
            help: bold(AnsiColor::BrightCyan),
            line_no: bold(AnsiColor::BrightBlue),
            emphasis: Style::new().effects(Effects::BOLD),
        }
    }
}

/// `text` with every character a terminal would obey rather than show
/// replaced by a visible escape: C0 controls but tab (`\x1b`, `\x07`,
/// `\n`…), DEL, C1 controls (`\u{9b}`) and the bidirectional controls that
/// reorder what is displayed. For file names and source lines, which never
/// hold a line break of their own.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// [`escape_line`] for messages, labels and helps, whose line breaks come
/// from the catalogue and are kept.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let hostile = |c: char| c != '\t' && !(keep_newlines && c == '\n') && is_hostile(c);
    if !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !hostile(c) {
            out.push(c);
        } else if c.is_ascii() {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
    Cow::Owned(out)
}

/// Control characters (C0, DEL, C1) and bidirectional formatting characters.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `path` relative to the site `root`, as messages show it.
pub fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Byte range to underline in `line` for 1-based `column` (in characters,
/// as writers count them and as annotate-snippets prints them) and `len`
/// bytes: always on character boundaries and at least one character, so
/// accented text neither shifts the underline nor makes it split a letter.
fn span(line: &str, column: usize, len: usize) -> (usize, usize) {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let mut end = (start + len.max(1)).min(line.len());
    while !line.is_char_boundary(end) {
        end += 1;
    }
    if end == start {
        // Past the end of the line: underline its last character.
        let last = line.char_indices().next_back().map_or(0, |(i, _)| i);
        return (last, line.len());
    }
    (start, end)
}

/// Every diagnostic of a run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Report {
    items: Vec<Diagnostic>,
}

impl Report {
    pub fn new() -> Report {
        Report::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Sorted by file, line, column, then message, so output is deterministic
    /// whatever order the parallel steps finished in.
    pub fn sorted(mut self) -> Report {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line, l.column))
                    .unwrap_or_default()
            };
            key(a)
                .cmp(&key(b))
                .then(a.severity.cmp(&b.severity))
                .then(a.message.cmp(&b.message))
        });
        self.items.dedup();
        self
    }

    /// All diagnostics, then a one-line count.
    pub fn render(&self, color: bool, lang: Lang) -> String {
        let mut out = String::new();
        for d in &self.items {
            let _ = writeln!(out, "{}", d.render(color, lang));
        }
        if !self.items.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                i18n::problem_count(self.error_count(), self.warning_count()).get(lang)
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_snippet_and_help() {
        let text = "---\ntitle: Bonjour\nauteur: Léa\n---\n";
        let d = Diagnostic::error("unknown-field", "champ inconnu `auteur`")
            .at(Location::in_text(Path::new("content/a.md"), text, 3, 1, 6))
            .label("ici")
            .help("vouliez-vous dire `author` ?");
        let out = d.render(false, Lang::Fr);
        assert!(out.contains("content/a.md:3:1"), "{out}");
        assert!(out.contains("auteur: Léa"), "{out}");
        assert!(out.contains("vouliez-vous dire `author`"), "{out}");
        assert!(out.contains("[unknown-field]"), "{out}");
    }

    #[test]
    fn keeps_the_line_number_of_an_empty_line() {
        let d = Diagnostic::error("no-front-matter", "vide").at(Location::in_text(
            Path::new("content/a.md"),
            "",
            1,
            1,
            0,
        ));
        assert!(
            d.render(false, Lang::Fr).contains("content/a.md:1:1"),
            "{}",
            d.render(false, Lang::Fr)
        );
    }

    #[test]
    fn underlines_characters_not_bytes() {
        let text = "€€ é [x](@/nope.md)\n";
        // The link starts at the 6th character (byte 8).
        let d = Diagnostic::error("broken-link", "cassé").at(Location::in_text(
            Path::new("content/a.md"),
            text,
            1,
            6,
            "[x](@/nope.md)".len(),
        ));
        let out = d.render(false, Lang::Fr);
        assert!(out.contains("content/a.md:1:6"), "{out}");
        assert!(out.contains("|      ^^^^^^^^^^^^^^\n"), "{out}");
        // Any column and length stays on character boundaries.
        for column in 0..12 {
            for len in 0..30 {
                let (s, e) = span(text.trim_end(), column, len);
                assert!(s < e && text.is_char_boundary(s) && text.is_char_boundary(e));
            }
        }
    }

    #[test]
    fn french_header_and_help_with_wide_line_numbers() {
        // Unit tests run in French (the default language).
        let text = format!("{}clé: x\n", "\n".repeat(119));
        let d = Diagnostic::warning("w", "attention")
            .at(Location::in_text(Path::new("a.md"), &text, 120, 1, 3))
            .help("un\ndeux");
        assert_eq!(
            d.render(false, Lang::Fr),
            concat!(
                "avertissement : attention [w]\n",
                "   --> a.md:120:1\n",
                "    |\n",
                "120 | clé: x\n",
                "    | ---\n",
                "    |\n",
                "    = aide : un\n",
                "             deux",
            )
        );
        let d = Diagnostic::error("e", "illisible")
            .at_file(Path::new("a\x1b.md"))
            .help("h");
        assert_eq!(
            d.render(false, Lang::Fr),
            "erreur : a\\x1b.md : illisible [e]\n = aide : h"
        );
    }

    #[test]
    fn each_reader_gets_the_diagnostic_in_their_language() {
        let text = "auteur: Léa\n";
        let d = Diagnostic::error("unknown-field", i18n::unknown_field("auteur"))
            .at(Location::in_text(Path::new("a.md"), text, 1, 1, 6))
            .help(i18n::did_you_mean("author"));
        let fr = d.render(false, Lang::Fr);
        let en = d.render(false, Lang::En);
        assert!(fr.starts_with("erreur : champ inconnu `auteur`"), "{fr}");
        assert!(fr.contains("= aide : vouliez-vous dire `author` ?"), "{fr}");
        assert!(en.starts_with("error: unknown field `auteur`"), "{en}");
        assert!(en.contains("= help: did you mean `author`?"), "{en}");
    }

    #[test]
    fn escapes_controls_but_tabs_and_catalogue_line_breaks() {
        assert_eq!(escape_line("a\x1b]0;x\x07b"), r"a\x1b]0;x\x07b");
        assert_eq!(
            escape_line("é\u{9b}\u{202e}\x7f\r\n"),
            r"é\u{9b}\u{202e}\x7f\x0d\x0a"
        );
        assert_eq!(escape_line("a\tb"), "a\tb");
        assert_eq!(escape_text("un\ndeux\x1b"), "un\ndeux\\x1b");
        assert!(matches!(escape_line("Léa « ok »"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_part_of_a_diagnostic_is_escaped() {
        let hostile = "\x1b]0;x\x07";
        let d = Diagnostic::error("e", format!("m{hostile}"))
            .at(Location::in_text(
                Path::new(&format!("f{hostile}.md")),
                &format!("k{hostile}: v\n"),
                1,
                8,
                1,
            ))
            .label(format!("l{hostile}"))
            .help(format!("h{hostile}"));
        for color in [false, true] {
            let out = d.render(color, Lang::Fr);
            // Colours are the only escape sequences left.
            let without_colours = out.replace("\x1b[", "");
            assert!(!without_colours.contains(['\x1b', '\x07']), "{out:?}");
        }
        let out = d.render(false, Lang::Fr);
        for part in [
            r"m\x1b]0;x\x07",
            r"f\x1b]0;x\x07.md:1:8",
            r"l\x1b]0;x\x07",
            r"h\x1b]0;x\x07",
        ] {
            assert!(out.contains(part), "{part} not in {out}");
        }
        // The 8th character (`:`) is underlined where it now shows.
        assert!(
            out.contains("1 | k\\x1b]0;x\\x07: v\n  |              ^ l"),
            "{out}"
        );
    }

    #[test]
    fn lines_index_matches_in_text() {
        let text = "un\ndeux\r\n\ntrois é [x]\nfin";
        let lines = Lines::new(text);
        for line in 1..=6 {
            let a = lines.location(Path::new("f"), line, 2, 1);
            let b = Location::in_text(Path::new("f"), text, line, 2, 1);
            assert_eq!(a, b, "line {line}");
        }
        let offset = text.find('[').unwrap();
        let at = Location::at_offset(Path::new("f"), &lines, offset, 3);
        assert_eq!(
            (at.line, at.column, at.line_text.as_str()),
            (4, 9, "trois é [x]")
        );
        assert_eq!(lines.line_of(0), (1, 0));
        assert_eq!(lines.line_of(text.len()), (5, text.len() - 3));
    }

    #[test]
    fn report_sorts_and_counts() {
        let mut r = Report::new();
        let t = "a\nb\nc\n";
        r.push(Diagnostic::warning("w", "w").at(Location::in_text(Path::new("b.md"), t, 1, 1, 1)));
        r.push(Diagnostic::error("e", "e").at(Location::in_text(Path::new("a.md"), t, 2, 1, 1)));
        let r = r.sorted();
        assert_eq!(r.items()[0].code, "e");
        assert_eq!((r.error_count(), r.warning_count()), (1, 1));
        assert!(r.has_errors());
    }
}
