//! Diagnostics: problems found while loading, checking and rendering a site.
//!
//! Every step pushes [`Diagnostic`]s into a [`Report`] instead of stopping at
//! the first problem, so a writer sees every mistake of a run at once. The
//! caller prints the report once ([`Report::render`]).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use annotate_snippets::{Level, Renderer, Snippet};

use crate::i18n;

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier (`unknown-field`, `bad-date`…), the same in every language.
    pub code: &'static str,
    pub message: String,
    pub location: Option<Box<Location>>,
    /// Short text under the underlined span.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            label: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(Box::new(location));
        self
    }

    pub fn at_file(self, file: &Path) -> Diagnostic {
        self.at(Location::file(file))
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Same as [`Diagnostic::help`] when `help` is `Some`.
    pub fn maybe_help(self, help: Option<String>) -> Diagnostic {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or just the file), as shown in summaries.
    pub fn position(&self) -> Option<String> {
        let loc = self.location.as_ref()?;
        let file = loc.file.display();
        Some(if loc.line == 0 {
            file.to_string()
        } else {
            format!("{file}:{}:{}", loc.line, loc.column)
        })
    }

    /// rustc-style text: header, `--> file:line:col`, snippet, help.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let title = match self.location.as_ref().filter(|l| l.line == 0) {
            // No snippet to show: name the file in the title.
            Some(l) => format!("{}: {} [{}]", l.file.display(), self.message, self.code),
            None => format!("{} [{}]", self.message, self.code),
        };
        let origin = self
            .location
            .as_ref()
            .map(|l| l.file.display().to_string())
            .unwrap_or_default();
        let help = self.help.clone().unwrap_or_default();
        let mut message = level.title(&title);
        let label = self.label.clone().unwrap_or_default();
        if let Some(loc) = self.location.as_ref().filter(|l| l.line > 0) {
            let start = (loc.column - 1).min(loc.line_text.len());
            let end = (start + loc.len.max(1)).min(loc.line_text.len());
            let mut snippet = Snippet::source(&loc.line_text)
                .line_start(loc.line)
                .origin(&origin);
            if end > start {
                snippet = snippet.annotation(level.span(start..end).label(&label));
            }
            message = message.snippet(snippet);
        }
        if self.help.is_some() {
            message = message.footer(Level::Help.title(&help));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let text = renderer.render(message).to_string();
        text
    }
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
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.items {
            let _ = writeln!(out, "{}", d.render(color));
        }
        if !self.items.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                i18n::problem_count(self.error_count(), self.warning_count())
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
        let out = d.render(false);
        assert!(out.contains("content/a.md:3:1"), "{out}");
        assert!(out.contains("auteur: Léa"), "{out}");
        assert!(out.contains("vouliez-vous dire `author`"), "{out}");
        assert!(out.contains("[unknown-field]"), "{out}");
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
