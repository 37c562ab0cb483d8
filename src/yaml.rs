//! The one place that knows about the YAML library.
//!
//! YAML is parsed into `serde_json::Value` (the value type templates use too),
//! so swapping serde_yaml — unmaintained upstream — touches only this file.

use std::collections::HashMap;

use serde_json::Value;

use crate::i18n::{self, Text};

/// Nesting deeper than this is refused before the parser sees the text: the
/// parser's time grows with the square of the depth (100 000 `[` took 88 s),
/// and a front matter needs a few levels.
pub const MAX_DEPTH: usize = 40;
/// YAML bigger than this is refused before parsing (a front matter is a few
/// hundred bytes; a `site.yaml` a few kilobytes).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Mistakes of one text that [`parse_recovering`] reports at most.
const MAX_RECOVERIES: usize = 10;

/// A YAML syntax error, 1-based line/column within the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    /// In the writer's language; the parser's own (English) words only in
    /// English, for mistakes not recognised.
    pub message: Text,
    pub problem: YamlProblem,
}

/// The mistakes writers make, recognised so that the message names the
/// mistake and the help shows the writer's own line fixed (`fix`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlProblem {
    /// A tab in the indentation.
    Tab {
        fix: String,
    },
    /// The same key twice in one mapping.
    DuplicateKey(String),
    /// A `"` or `'` opened and never closed on its line: the parser reads on
    /// and fails lines later, so the error is moved back to the quote.
    UnclosedQuote {
        quote: char,
        fix: String,
    },
    /// A value holding `: ` without quotes (`title: Mon stage : super`),
    /// the most common mistake in French, which puts a space before colons.
    ColonInValue {
        key: String,
        fix: String,
    },
    /// No space after a key's colon (`title:Stage`).
    MissingSpace {
        key: String,
        fix: String,
    },
    /// Quotes inside a value in the same quotes (`"Il a dit "oui""`).
    InnerQuote {
        quote: char,
        fix: String,
    },
    /// A `[` or `{` list opened and not closed on its line (`tags: ["a"`).
    UnclosedBracket {
        open: char,
        fix: String,
    },
    /// A value starting with a sign YAML reserves (`@`, `` ` ``, `*`…) or
    /// with a `[…]` followed by more text.
    NeedsQuotes {
        sign: char,
        fix: String,
    },
    /// A backslash in double quotes (`"C:\dossier"`): `fix` in single
    /// quotes; `doubled` with each backslash doubled, when the value holds
    /// no `"` (whose `\"` must stay as written).
    BadEscape {
        fix: String,
        doubled: Option<String>,
    },
    /// A key indented under a key that already has a value.
    OverIndented {
        above: String,
        fix: String,
    },
    /// A key between two indentation levels: `fix` aligns it on `sibling`;
    /// `outer` (parent key, its fix) when the outer level is as likely.
    Misaligned {
        sibling: String,
        fix: String,
        outer: Option<Box<(String, String)>>,
    },
    /// `tags: - a`: a block list on its key's line.
    ListOnKeyLine {
        key_line: String,
        item_line: String,
    },
    /// A `- item` among `key: value` lines.
    ListItemInMap,
    /// A line aligned on a list's items without `- `: the fix as an item,
    /// and (parent key, fix) aligned on the list's key.
    NotAListItem {
        as_item: String,
        outside: Option<(String, String)>,
    },
    /// A line without `key:`, most often a value continued on its own line:
    /// (key, fix) indenting it under the key whose value it continues.
    NoColon {
        continues: Option<(String, String)>,
    },
    /// The first line indented, the following ones not.
    FirstLineIndented {
        fix: String,
    },
    /// A control character (form feed, bell, escape…) the parser refuses
    /// anywhere: `fix` is its line without it.
    Control {
        fix: String,
    },
    /// Nesting deeper than [`MAX_DEPTH`], refused before parsing.
    TooDeep,
    /// More than [`MAX_BYTES`], refused before parsing.
    TooLarge,
    /// Anchors and aliases (`&a`, `*a`) repeating too much.
    Anchors,
    Other,
}

/// Parses a YAML document. An empty document is `Value::Null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    parse_at(text, 1)
}

/// [`parse`] for a text whose first line is line `first_line` of its file
/// (for the line numbers that messages name).
fn parse_at(text: &str, first_line: usize) -> Result<Value, YamlError> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    check_limits(text)?;
    // The parser refuses them before reading anything, at line 1.
    if let Some(error) = first_control(text) {
        return Err(error);
    }
    // Through serde_yaml's own Value first: it is the one that refuses
    // duplicate keys (a map straight into JSON would keep the last silently).
    let yaml = serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let raw = e.to_string();
        recognise(text, line, column, &raw, first_line)
    })?;
    let mut value = serde_json::to_value(&yaml).map_err(|e| YamlError {
        line: 1,
        column: 1,
        message: i18n::yaml_other(e.to_string()),
        problem: YamlProblem::Other,
    })?;
    clean_keys(&mut value);
    Ok(value)
}

/// Control characters no YAML or HTML text may hold (tab and line ends
/// aside): a form feed or a vertical tab pasted from a word processor, an
/// escape sequence from a terminal, a NUL.
pub fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The first control character of `text`, as a mistake at its line and
/// column with the line fixed (without it).
fn first_control(text: &str) -> Option<YamlError> {
    let (n, line) = text
        .split('\n')
        .enumerate()
        .find(|(_, l)| l.contains(is_control))?;
    let (column, c) = line.chars().enumerate().find(|(_, c)| is_control(*c))?;
    let fix: String = line.chars().filter(|c| !is_control(*c)).collect();
    Some(YamlError {
        line: n + 1,
        column: column + 1,
        message: i18n::control_character(i18n::char_name(c)),
        problem: YamlProblem::Control { fix },
    })
}

/// Characters no one sees that a French keyboard or a word processor puts
/// around a key (`title\u{a0}:`, a zero-width space before `date`): the
/// key is read without them (see [`invisible_in_keys`]).
pub fn is_invisible(c: char) -> bool {
    crate::slug::is_zero_width(c)
        || matches!(
            c,
            '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{200a}' | '\u{202f}'
        )
}

/// `key` without the invisible characters at its ends, nor the zero-width
/// ones inside (a no-break space inside stays: `photo alt` is no field).
fn clean_key(key: &str) -> std::borrow::Cow<'_, str> {
    let zero_width = |c: char| is_invisible(c) && !c.is_whitespace();
    let trimmed = key.trim_matches(is_invisible);
    if trimmed.contains(zero_width) {
        trimmed.chars().filter(|c| !zero_width(*c)).collect()
    } else {
        trimmed.into()
    }
}

/// Renames the keys of `value`'s mappings written with invisible
/// characters to the key they show, when no other key is written so.
fn clean_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let dirty: Vec<String> = map
                .keys()
                .filter(|k| k.contains(is_invisible))
                .cloned()
                .collect();
            for key in dirty {
                let clean = clean_key(&key).into_owned();
                if clean.is_empty() || map.contains_key(&clean) {
                    continue;
                }
                if let Some(v) = map.remove(&key) {
                    map.insert(clean, v);
                }
            }
            map.values_mut().for_each(clean_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(clean_keys),
        _ => {}
    }
}

/// A key written with an invisible character, read without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvisibleInKey {
    /// 1-based line and column (of the character) in the text.
    pub line: usize,
    pub column: usize,
    pub character: char,
    /// The key as read.
    pub key: String,
    /// The line without the character.
    pub fix: String,
}

/// The keys of `text` written with an invisible character, one per line.
pub fn invisible_in_keys(text: &str) -> Vec<InvisibleInKey> {
    let mut found = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        if !line.contains(is_invisible) {
            continue;
        }
        let content = line.trim_start_matches([' ', '-']);
        let head = &line[..line.len() - content.len()];
        let Some((_, rest)) = split_key(content) else {
            continue;
        };
        // The key as written, up to its colon (with a no-break space
        // before the colon, which `split_key` trims).
        let written = &content[..content.len() - rest.len()];
        let Some((at, character)) = written.char_indices().find(|(_, c)| is_invisible(*c)) else {
            continue;
        };
        let bare = written.trim_end_matches(':');
        let quote = bare.chars().next().filter(|c| matches!(c, '"' | '\''));
        let inner = match quote {
            Some(q) => bare.trim_matches(q),
            None => bare,
        };
        let key = clean_key(inner);
        if key.is_empty() || key == inner {
            continue;
        }
        let quote = quote.map(String::from).unwrap_or_default();
        found.push(InvisibleInKey {
            line: n + 1,
            column: head.chars().count() + content[..at].chars().count() + 1,
            character,
            fix: format!("{head}{quote}{key}{quote}:{rest}"),
            key: key.into_owned(),
        });
    }
    found
}

/// A YAML text read despite its mistakes.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovered {
    /// What the text holds without the lines in `blanked`; `None` when it
    /// could not be read at all.
    pub value: Option<Value>,
    /// Every mistake found, in the order of the lines.
    pub errors: Vec<YamlError>,
    /// 1-based lines left out to read the rest.
    pub blanked: Vec<usize>,
    /// Dotted paths of the keys on those lines (`title`, `author.name`):
    /// fields that may be missing only because their line was left out.
    pub blanked_keys: Vec<String>,
    /// A line left out had no recognisable key: any field may be on it.
    pub blanked_unknown: bool,
}

/// Parses `text`; on a mistake, reports it, leaves out its line (and the
/// lines indented under it) and parses again, keeping every other line at
/// its place, so that one run reports every mistake and the rest of the
/// text can still be checked.
///
/// `first_line`: the line of its file where `text` starts, for the line
/// numbers that messages name; positions in the result are in `text`.
pub fn parse_recovering(text: &str, first_line: usize) -> Recovered {
    // The common case first, without copying the text.
    let first = match parse_at(text, first_line) {
        Ok(value) => {
            return Recovered {
                value: Some(value),
                errors: Vec::new(),
                blanked: Vec::new(),
                blanked_keys: Vec::new(),
                blanked_unknown: false,
            }
        }
        Err(e) => e,
    };
    let mut lines: Vec<&str> = text.split('\n').collect();
    let mut first = Some(first);
    let mut errors: Vec<YamlError> = Vec::new();
    let mut blanked: Vec<usize> = Vec::new();
    let value = loop {
        let error = match first.take() {
            Some(e) => e,
            None => match parse_at(&lines.join("\n"), first_line) {
                Ok(v) => break Some(v),
                Err(e) => e,
            },
        };
        let last = blanked.iter().max().copied().unwrap_or(0);
        let line_text = lines.get(error.line.wrapping_sub(1)).copied().unwrap_or("");
        // A new error before a line left out, or on an empty line, may be
        // made by the leaving out: not the writer's. Stop there.
        let artefact = !errors.is_empty() && (error.line <= last || line_text.trim().is_empty());
        let fatal = matches!(
            error.problem,
            YamlProblem::TooDeep | YamlProblem::TooLarge | YamlProblem::Anchors
        );
        if artefact {
            break None;
        }
        errors.push(error.clone());
        if fatal || errors.len() >= MAX_RECOVERIES || line_text.trim().is_empty() {
            break None;
        }
        let indent = indent_width(line_text);
        blanked.push(error.line);
        lines[error.line - 1] = "";
        // A tab is no measure of indentation: the lines after are siblings.
        let children = !matches!(error.problem, YamlProblem::Tab { .. });
        // The lines indented under it belong to it.
        for (i, child) in lines.iter_mut().enumerate().skip(error.line) {
            if !children {
                break;
            }
            if child.trim().is_empty() {
                continue;
            }
            if indent_width(child) <= indent {
                break;
            }
            blanked.push(i + 1);
            *child = "";
        }
    };
    blanked.sort_unstable();
    let all: Vec<&str> = text.split('\n').collect();
    let keys = KeyIndex::scan(text);
    let blanked_unknown = blanked.iter().any(|n| {
        let content = all
            .get(n - 1)
            .copied()
            .unwrap_or("")
            .trim_start_matches([' ', '\t', '-']);
        !content.trim().is_empty() && !content.starts_with('#') && split_key(content).is_none()
    });
    Recovered {
        value,
        errors,
        blanked_keys: keys.paths_on(&blanked),
        blanked,
        blanked_unknown,
    }
}

/// Width of the leading spaces and tabs of `line`.
fn indent_width(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The diagnostic code of `problem`: `yaml-too-deep` and `yaml-too-large`
/// for the limits, `yaml-syntax` for the rest.
pub fn code(problem: &YamlProblem) -> &'static str {
    match problem {
        YamlProblem::Control { .. } => "control-character",
        YamlProblem::TooDeep => "yaml-too-deep",
        YamlProblem::TooLarge => "yaml-too-large",
        _ => "yaml-syntax",
    }
}

/// How to fix `problem`, for the help line of a `yaml-syntax` diagnostic.
pub fn hint(problem: &YamlProblem) -> Text {
    match problem {
        YamlProblem::Tab { fix } => i18n::hint_yaml_tab(fix),
        YamlProblem::DuplicateKey(key) => i18n::hint_yaml_duplicate_key(key),
        YamlProblem::UnclosedQuote { quote, fix } => i18n::hint_yaml_unclosed_quote(*quote, fix),
        YamlProblem::ColonInValue { fix, .. } | YamlProblem::NeedsQuotes { fix, .. } => {
            i18n::hint_yaml_quote_value(fix)
        }
        YamlProblem::MissingSpace { fix, .. } => i18n::hint_yaml_missing_space(fix),
        YamlProblem::InnerQuote { quote: '"', fix } => i18n::hint_yaml_inner_double_quote(fix),
        YamlProblem::InnerQuote { fix, .. } => i18n::hint_yaml_inner_single_quote(fix),
        YamlProblem::UnclosedBracket { open, fix } => {
            i18n::hint_yaml_unclosed_bracket(closing(*open), fix)
        }
        YamlProblem::BadEscape { fix, doubled: None } => i18n::hint_yaml_bad_escape(fix),
        YamlProblem::BadEscape {
            fix,
            doubled: Some(doubled),
        } => i18n::hint_yaml_bad_escape_or_double(fix, doubled),
        YamlProblem::Control { fix } => i18n::hint_control_character(fix),
        YamlProblem::OverIndented { above, fix } => i18n::hint_yaml_align(above, fix),
        YamlProblem::Misaligned {
            sibling,
            fix,
            outer: None,
        } => i18n::hint_yaml_align(sibling, fix),
        YamlProblem::Misaligned {
            fix,
            outer: Some(outer),
            ..
        } => i18n::hint_yaml_align_either(&outer.0, fix, &outer.1),
        YamlProblem::ListOnKeyLine {
            key_line,
            item_line,
        } => i18n::hint_yaml_list_on_key_line(key_line, item_line),
        YamlProblem::ListItemInMap => i18n::hint_yaml_list_item_in_map(),
        YamlProblem::NotAListItem {
            as_item,
            outside: None,
        } => i18n::hint_yaml_list_item(as_item),
        YamlProblem::NotAListItem {
            as_item,
            outside: Some((parent, outside)),
        } => i18n::hint_yaml_list_item_or_field(as_item, parent, outside),
        YamlProblem::NoColon {
            continues: Some((key, fix)),
        } => i18n::hint_yaml_continued_value(key, fix),
        YamlProblem::NoColon { continues: None } => i18n::hint_yaml_no_colon(),
        YamlProblem::FirstLineIndented { fix } => i18n::hint_yaml_unindent(fix),
        YamlProblem::TooDeep => i18n::hint_yaml_too_deep(),
        YamlProblem::TooLarge => i18n::hint_yaml_too_large(),
        YamlProblem::Anchors => i18n::hint_yaml_anchors(),
        YamlProblem::Other => i18n::hint_yaml_syntax(),
    }
}

/// Refuses, before parsing, a text too big or nested too deep, at the line
/// where the limit is passed.
fn check_limits(text: &str) -> Result<(), YamlError> {
    if text.len() > MAX_BYTES {
        let mut cut = MAX_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        return Err(YamlError {
            line: text[..cut].matches('\n').count() + 1,
            column: 1,
            message: i18n::yaml_too_large(MAX_BYTES / (1024 * 1024)),
            problem: YamlProblem::TooLarge,
        });
    }
    let mut scan = DepthScan::default();
    for (i, line) in text.lines().enumerate() {
        if let Some(column) = scan.line(line) {
            return Err(YamlError {
                line: i + 1,
                column,
                message: i18n::yaml_too_deep(MAX_DEPTH),
                problem: YamlProblem::TooDeep,
            });
        }
    }
    Ok(())
}

/// Counts, line by line and in one pass, how deep collections nest: the
/// block ones (indented `key:` and `- ` lines) and the flow ones (`[`, `{`).
/// An estimate on the safe side of the parser's own limit, not a parser:
/// quoted text, comments and block scalars (`|`, `>`) are skipped so that
/// brackets in text do not count.
#[derive(Debug, Default)]
struct DepthScan {
    /// Columns of the open block collections, each with whether it is a `- ` item.
    blocks: Vec<(usize, bool)>,
    /// Open `[` and `{`.
    flow: usize,
    /// The quote of a quoted scalar still open at the end of the last line.
    quote: Option<char>,
    /// Indentation of the line that opened a block scalar, while inside it.
    block_scalar: Option<usize>,
    /// Whether the next character starts a value (a quote or bracket there opens one).
    value_start: bool,
}

impl DepthScan {
    /// Reads one line; the 1-based column where nesting passes [`MAX_DEPTH`].
    fn line(&mut self, line: &str) -> Option<usize> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = &line[indent..];
        if let Some(parent) = self.block_scalar {
            if content.is_empty() || indent > parent {
                return None;
            }
            self.block_scalar = None;
        }
        let mut start = 0;
        if self.quote.is_none() && self.flow == 0 {
            if content.is_empty() || content.starts_with('#') {
                return None;
            }
            let is_item = |s: &str| s == "-" || s.starts_with("- ");
            let first_is_item = is_item(content);
            if first_is_item || split_key(content).is_some() {
                // Close what this line is not inside of; a list may sit at
                // the column of its key.
                while let Some(&(top, top_item)) = self.blocks.last() {
                    let inside = top < indent || (top == indent && first_is_item && !top_item);
                    if inside {
                        break;
                    }
                    self.blocks.pop();
                }
            }
            let mut column = indent;
            let mut rest = content;
            while is_item(rest) {
                self.blocks.push((column, true));
                if self.blocks.len() > MAX_DEPTH {
                    return Some(line[..column].chars().count() + 1);
                }
                let after = &rest[1..];
                let spaces = after.len() - after.trim_start_matches(' ').len();
                column += 1 + spaces;
                rest = &after[spaces..];
            }
            let mut value = rest;
            if let Some((_, after_key)) = split_key(rest) {
                self.blocks.push((column, false));
                if self.blocks.len() > MAX_DEPTH {
                    return Some(line[..column].chars().count() + 1);
                }
                value = after_key;
            }
            let value = value.trim_start();
            if value.starts_with(['|', '>']) {
                self.block_scalar = Some(indent);
                return None;
            }
            start = line.len() - value.len();
            self.value_start = true;
        }
        let mut previous = if start == 0 { ' ' } else { '\u{0}' };
        let mut chars = line[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if let Some(quote) = self.quote {
                match c {
                    '\\' if quote == '"' => {
                        chars.next();
                    }
                    '\'' if quote == '\'' && chars.peek().map(|(_, c)| *c) == Some('\'') => {
                        chars.next();
                    }
                    c if c == quote => self.quote = None,
                    _ => {}
                }
                previous = c;
                continue;
            }
            match c {
                '#' if previous == ' ' || previous == '\t' => break,
                '"' | '\'' if self.value_start => {
                    self.quote = Some(c);
                    self.value_start = false;
                }
                '[' | '{' if self.value_start || self.flow > 0 => {
                    self.flow += 1;
                    self.value_start = true;
                    if self.blocks.len() + self.flow > MAX_DEPTH {
                        return Some(line[..start + i].chars().count() + 1);
                    }
                }
                ']' | '}' if self.flow > 0 => {
                    self.flow -= 1;
                    self.value_start = false;
                }
                ',' | ':' if self.flow > 0 => self.value_start = true,
                ' ' | '\t' => {}
                // Plain text: in block context nothing more opens on this line.
                _ if self.flow == 0 => break,
                _ => self.value_start = false,
            }
            previous = c;
        }
        None
    }
}

/// Names a parser error after the writer's mistake. `raw` is the parser's
/// message with its positions.
fn recognise(text: &str, line: usize, column: usize, raw: &str, first_line: usize) -> YamlError {
    let message = strip_location(raw);
    let error = |line: usize, column: usize, message: Text, problem: YamlProblem| YamlError {
        line,
        column,
        message,
        problem,
    };
    if let Some(key) = duplicate_key_name(&message) {
        // serde_yaml points at the start of the mapping; the second key is
        // where the writer must look.
        let (line, column) = duplicate_key_position(text, key).unwrap_or((line, column));
        return error(
            line,
            column,
            i18n::yaml_duplicate_key(key),
            YamlProblem::DuplicateKey(key.to_string()),
        );
    }
    if message.contains("recursion limit") {
        return error(
            line,
            column,
            i18n::yaml_too_deep(MAX_DEPTH),
            YamlProblem::TooDeep,
        );
    }
    if message.contains("repetition limit") {
        // No position from the parser: the first anchor is where to look.
        let (line, column) = first_anchor(text).unwrap_or((1, 1));
        return error(line, column, i18n::yaml_anchors(), YamlProblem::Anchors);
    }
    let error_line = line_at(text, line);
    let indent = &error_line[..error_line.len() - error_line.trim_start().len()];
    if indent.contains('\t') || message.contains("tab") {
        let column = indent.find('\t').map_or(column, |i| i + 1);
        // As indented as the line above, or two spaces more under a `key:`.
        let above = text
            .lines()
            .take(line.saturating_sub(1))
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .last();
        let spaces = above.map_or(0, |above| {
            let own = above.len() - above.trim_start_matches([' ', '\t']).len();
            let opens = split_key(above.trim_start_matches([' ', '\t', '-']))
                .is_some_and(|(_, rest)| rest.trim().is_empty());
            if opens {
                own + 2
            } else {
                own
            }
        });
        let fix = format!("{}{}", " ".repeat(spaces), error_line.trim_start());
        return error(line, column, i18n::yaml_tab(), YamlProblem::Tab { fix });
    }
    if let Some((quote_line, quote_column, quote)) = unclosed_quote(text, line) {
        let fix = format!("{}{quote}", line_at(text, quote_line).trim_end());
        return error(
            quote_line,
            quote_column,
            i18n::yaml_unclosed_quote(quote),
            YamlProblem::UnclosedQuote { quote, fix },
        );
    }
    if let Some((at, column, problem)) = value_mistake(text, line, &message) {
        let message = match &problem {
            YamlProblem::ColonInValue { key, .. } => i18n::yaml_colon_in_value(key),
            YamlProblem::MissingSpace { key, .. } => i18n::yaml_missing_space(key),
            YamlProblem::InnerQuote { .. } => i18n::yaml_inner_quote(),
            YamlProblem::UnclosedBracket { open, .. } => i18n::yaml_unclosed_bracket(*open),
            _ => i18n::yaml_other(&message),
        };
        return error(at, column, message, problem);
    }
    if let Some(found) = value_sign(text, line, column, &message) {
        return found;
    }
    if let Some(found) = indentation(text, line, &message, raw, first_line) {
        return found;
    }
    error(line, column, i18n::yaml_other(&message), YamlProblem::Other)
}

/// 1-based `line` of `text` ("" past the end).
fn line_at(text: &str, line: usize) -> &str {
    text.lines().nth(line.wrapping_sub(1)).unwrap_or("")
}

/// The first line, up to `last_line`, with a mistake in its value that the
/// parser reports in its own terms: `: ` in an unquoted value, no space
/// after a key's colon, or quotes inside a value in the same quotes. Its
/// line, the 1-based column of the mistake, and the mistake.
fn value_mistake(
    text: &str,
    last_line: usize,
    message: &str,
) -> Option<(usize, usize, YamlProblem)> {
    // 1-based column, in characters, of byte `at` of `line`.
    let column = |line: &str, at: usize| line[..at.min(line.len())].chars().count() + 1;
    for (i, line) in text.lines().enumerate().take(last_line) {
        let content = line.trim_start();
        let indent = line.len() - content.len();
        if content.starts_with('-') {
            // A list item with a French « : » (`- Vis : "mon" job`), on the
            // line the parser stopped at.
            let item = content.trim_start_matches(['-', ' ']);
            let is_text = !item.starts_with(['"', '\'', '[', '{']);
            if i + 1 == last_line && is_text && item.contains(" : ") {
                let head = &line[..line.len() - item.len()];
                let key = list_key(text, i).unwrap_or("-");
                let colon = head.len() + item.find(" : ").unwrap_or(0) + 1;
                return Some((
                    i + 1,
                    column(line, colon),
                    YamlProblem::ColonInValue {
                        key: key.to_string(),
                        fix: format!("{head}{}", quoted(item.trim_end())),
                    },
                ));
            }
            continue;
        }
        if content.starts_with('#') {
            continue;
        }
        if let Some(key) = missing_space_key(content) {
            let fix = insert_space_after_key(line, key);
            return Some((
                i + 1,
                column(line, indent + key.len() + 1),
                YamlProblem::MissingSpace {
                    key: key.to_string(),
                    fix,
                },
            ));
        }
        let Some((key, value)) = split_key(content) else {
            continue;
        };
        let value = value.trim();
        if let Some(open) = value.chars().next().filter(|c| matches!(c, '[' | '{')) {
            // Multi-line lists are valid YAML: only when the parser says a
            // list never ended.
            let list_error = message.contains("expected ','") || message.contains("flow");
            if list_error && !balanced(value, open) {
                let fix = format!("{}{}", line.trim_end(), closing(open));
                let at = column(line, indent + content.find(value).unwrap_or(0));
                return Some((i + 1, at, YamlProblem::UnclosedBracket { open, fix }));
            }
            continue;
        }
        if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            let after = closing_index(&value[1..], quote).map(|end| value[1 + end + 1..].trim());
            if after.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('#')) {
                // The whole value, between its first and last quote.
                let inner = value[1..]
                    .rsplit_once(quote)
                    .map_or(&value[1..], |(a, _)| a);
                let other = if quote == '"' { '\'' } else { '"' };
                let head = split_line_value(line).map_or("", |(head, _)| head);
                let fix = format!("{head}{}", quoted_with(inner, other));
                return Some((
                    i + 1,
                    column(line, head.len()),
                    YamlProblem::InnerQuote { quote, fix },
                ));
            }
            continue;
        }
        let colon = value.contains(": ") || value.ends_with(':');
        let is_flow = value.starts_with(['[', '{', '|', '>', '&', '*', '!']);
        if colon && !is_flow && message.contains("mapping values are not allowed") {
            let fix = quote_value_line(line).unwrap_or_else(|| line.to_string());
            // At the colon that YAML takes for a key's.
            let value_at = indent + content.find(value).unwrap_or(0);
            let colon = value.find(": ").unwrap_or(value.len().saturating_sub(1));
            return Some((
                i + 1,
                column(line, value_at + colon),
                YamlProblem::ColonInValue {
                    key: key.to_string(),
                    fix,
                },
            ));
        }
    }
    None
}

/// A value the parser failed on because it starts with a sign YAML
/// reserves (`@`, `` ` ``, `*`, `&`, `!`, `%`, `|`, `>`), with `[…]` or
/// `{…}` followed by more text, or with a backslash in double quotes.
fn value_sign(text: &str, line: usize, column: usize, message: &str) -> Option<YamlError> {
    let line_text = line_at(text, line);
    let (head, value) = split_line_value(line_text)?;
    let value = value.trim_end();
    let sign = value.chars().next()?;
    if message.contains("unknown escape") && sign == '"' {
        let inner = value[1..].rsplit_once('"').map_or(&value[1..], |(a, _)| a);
        let at: String = line_text
            .chars()
            .skip(column.saturating_sub(1))
            .take(2)
            .collect();
        let seq = if at.starts_with('\\') {
            at
        } else {
            "\\".to_string()
        };
        return Some(YamlError {
            line,
            column,
            message: i18n::yaml_bad_escape(&seq),
            problem: YamlProblem::BadEscape {
                fix: format!("{head}{}", quoted_with(inner, '\'')),
                doubled: (!inner.contains('"'))
                    .then(|| format!("{head}{}", quoted_with(inner, '"'))),
            },
        });
    }
    let reserved = matches!(sign, '@' | '`' | '*' | '&' | '!' | '%' | '|' | '>');
    let bracket_then_text = matches!(sign, '[' | '{') && {
        let end = bracket_end(value, sign);
        end.is_some_and(|e| {
            let rest = value[e + 1..].trim();
            !rest.is_empty() && !rest.starts_with('#')
        })
    };
    if !reserved && !bracket_then_text {
        return None;
    }
    let fix = format!("{head}{}", quoted(value));
    let message = if bracket_then_text {
        i18n::yaml_bracket_value(sign)
    } else {
        i18n::yaml_needs_quotes(sign)
    };
    Some(YamlError {
        line,
        column: line_text.chars().count() - value.chars().count() + 1,
        message,
        problem: YamlProblem::NeedsQuotes { sign, fix },
    })
}

/// Byte index of the bracket that closes the `open` starting `value`.
fn bracket_end(value: &str, open: char) -> Option<usize> {
    let close = closing(open);
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in value.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c == open => depth += 1,
            (None, c) if c == close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// One line of YAML as the indentation checks read it.
#[derive(Debug, Clone, Copy)]
struct Row<'a> {
    /// 1-based.
    line: usize,
    text: &'a str,
    /// Spaces before the first character.
    indent: usize,
    /// Column (0-based) of what follows any `- `.
    column: usize,
    item: bool,
    key: Option<&'a str>,
    /// What follows `key:`, or the item, trimmed.
    value: &'a str,
}

impl Row<'_> {
    /// A key whose value is on the next lines (`author:`).
    fn opens_block(&self) -> bool {
        self.key.is_some() && (self.value.is_empty() || self.value.starts_with('#'))
    }

    /// A key or item with a value on its own line (`name: Léa`, `- a`).
    fn has_value(&self) -> bool {
        !self.value.is_empty()
            && !self
                .value
                .starts_with(['#', '|', '>', '[', '{', '"', '\'', '&', '!'])
    }

    /// The text of the line from its first character (dashes included).
    fn content(&self) -> &str {
        self.text.trim_start()
    }
}

/// The lines of `text` that hold something (not blank, not comments, not
/// inside a block scalar).
fn rows(text: &str) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    let mut block_scalar: Option<usize> = None;
    for (i, text) in text.lines().enumerate() {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let content = &text[indent..];
        if content.trim().is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some(parent) = block_scalar {
            if indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let mut column = indent;
        let mut rest = content;
        let mut item = false;
        while rest == "-" || rest.starts_with("- ") {
            item = true;
            let after = &rest[1..];
            let spaces = after.len() - after.trim_start_matches(' ').len();
            column += 1 + spaces;
            rest = &after[spaces..];
        }
        let (key, value) = match split_key(rest) {
            Some((k, v)) => (Some(k), v.trim()),
            None => (None, rest.trim()),
        };
        if value.starts_with(['|', '>']) {
            block_scalar = Some(indent);
        }
        rows.push(Row {
            line: i + 1,
            text,
            indent,
            column,
            item,
            key,
            value,
        });
    }
    rows
}

/// `text` re-indented to `column`.
fn at_column(column: usize, row: &Row) -> String {
    format!("{}{}", " ".repeat(column), row.content())
}

/// Indentation mistakes, which the parser reports in terms of its own
/// state ("did not find expected key"), explained from the lines around.
fn indentation(
    text: &str,
    line: usize,
    message: &str,
    raw: &str,
    first_line: usize,
) -> Option<YamlError> {
    let rows = rows(text);
    // A line of `text` as its file numbers it.
    let shown = |line: usize| line + first_line - 1;
    let found = |line: usize, message: Text, problem: YamlProblem| {
        let row = rows.iter().find(|r| r.line == line);
        Some(YamlError {
            line,
            column: row.map_or(1, |r| r.indent + 1),
            message,
            problem,
        })
    };
    if message.contains("more than one document") {
        // The first line indented, a later one less.
        let first = rows.first()?;
        let later = rows.iter().skip(1).any(|r| r.indent < first.indent);
        if first.indent > 0 && later {
            return found(
                first.line,
                i18n::yaml_first_line_indented(),
                YamlProblem::FirstLineIndented {
                    fix: first.content().to_string(),
                },
            );
        }
        return None;
    }
    if message.contains("could not find expected ':'") {
        // The parser names the line after; the line without `:` is its context.
        let culprit = context_line(raw).unwrap_or(line);
        let at = rows.iter().position(|r| r.line == culprit)?;
        let row = rows[at];
        if let Some(found) = not_a_list_item(&rows[..at], &row, &shown) {
            return Some(found);
        }
        let continues = rows[..at]
            .iter()
            .rev()
            .find(|r| r.key.is_some())
            .filter(|r| r.has_value())
            .map(|r| {
                (
                    r.key.unwrap_or_default().to_string(),
                    at_column(r.column + 2, &row),
                )
            });
        return found(
            row.line,
            i18n::yaml_no_colon(),
            YamlProblem::NoColon { continues },
        );
    }
    let at = rows.iter().position(|r| r.line == line)?;
    let row = rows[at];
    let before = &rows[..at];
    if message.contains("block sequence entries are not allowed") {
        let key = row.key?;
        let item = row.value.strip_prefix('-')?.trim_start();
        return found(
            row.line,
            i18n::yaml_list_on_key_line(key),
            YamlProblem::ListOnKeyLine {
                key_line: format!("{}{key}:", " ".repeat(row.column)),
                item_line: format!("{}- {item}", " ".repeat(row.column + 2)),
            },
        );
    }
    if message.contains("mapping values are not allowed") {
        let key = row.key?;
        let above = before.last()?;
        let above_key = above.key?;
        if row.indent > above.column && above.has_value() {
            return found(
                row.line,
                i18n::yaml_over_indented(key, above_key, shown(above.line)),
                YamlProblem::OverIndented {
                    above: above_key.to_string(),
                    fix: at_column(above.column, &row),
                },
            );
        }
        return None;
    }
    if message.contains("expected '-' indicator") {
        return not_a_list_item(before, &row, &shown);
    }
    if message.contains("did not find expected key") {
        if row.item {
            return found(
                row.line,
                i18n::yaml_list_item_in_map(),
                YamlProblem::ListItemInMap,
            );
        }
        let key = row.key?;
        // The mapping this line is in: its parent key and its first key.
        let parent = before
            .iter()
            .rposition(|r| r.opens_block() && r.column < row.indent);
        let siblings = match parent {
            Some(p) => &before[p + 1..],
            None => before,
        };
        let first = siblings.first()?;
        if first.column == row.indent {
            return None;
        }
        let inner = (first.key?.to_string(), at_column(first.column, &row));
        let outer = parent
            .map(|p| before[p])
            .and_then(|p| Some((p.key?.to_string(), at_column(p.column, &row), p.column)));
        let (sibling, fix, outer) = match outer {
            Some((parent_key, outer_fix, parent_column)) => {
                let to_inner = row.indent.abs_diff(first.column);
                let to_outer = row.indent.abs_diff(parent_column);
                if to_outer < to_inner {
                    (parent_key, outer_fix, None)
                } else if to_inner < to_outer {
                    (inner.0, inner.1, None)
                } else {
                    (inner.0, inner.1, Some(Box::new((parent_key, outer_fix))))
                }
            }
            None => (inner.0, inner.1, None),
        };
        let sibling_line = rows
            .iter()
            .find(|r| r.key == Some(sibling.as_str()) && r.line < row.line)
            .map_or(first.line, |r| r.line);
        return found(
            row.line,
            i18n::yaml_misaligned(key, &sibling, shown(sibling_line)),
            YamlProblem::Misaligned {
                sibling,
                fix,
                outer,
            },
        );
    }
    None
}

/// `row`, after the rows `before`, aligned on the items of a list without
/// starting with `- `. `shown`: a line of the text as its file numbers it.
fn not_a_list_item(before: &[Row], row: &Row, shown: &dyn Fn(usize) -> usize) -> Option<YamlError> {
    let list = before
        .iter()
        .rev()
        .take_while(|r| r.indent >= row.indent)
        .find(|r| r.item && r.indent == row.indent)?;
    let parent = before
        .iter()
        .rev()
        .find(|r| r.line < list.line && r.opens_block() && r.column <= list.indent);
    Some(YamlError {
        line: row.line,
        column: row.indent + 1,
        message: i18n::yaml_not_a_list_item(shown(list.line)),
        problem: YamlProblem::NotAListItem {
            as_item: format!("{}- {}", " ".repeat(row.indent), row.content()),
            outside: parent.and_then(|p| {
                let key = p.key?;
                Some((key.to_string(), at_column(p.column, row)))
            }),
        },
    })
}

/// The line of the parser's context ("…, while scanning a simple key at
/// line 2 column 1").
fn context_line(raw: &str) -> Option<usize> {
    let context = &raw[raw.find(", while ")?..];
    let at = context.find(" at line ")? + " at line ".len();
    let digits: String = context[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Line and column of the first anchor (`&name`) of `text`.
fn first_anchor(text: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let (_, value) = split_line_value(line)?;
        value
            .trim_start()
            .starts_with('&')
            .then(|| (i + 1, line.len() - value.trim_start().len() + 1))
    })
}

/// `line` cut after its key (`  title: `) or item dash (`  - `): the head
/// kept as written, and the value.
fn split_line_value(line: &str) -> Option<(&str, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut rest = &line[indent..];
    while rest.starts_with("- ") {
        rest = rest[1..].trim_start_matches(' ');
    }
    let value = match split_key(rest) {
        Some((_, after)) => after.trim_start(),
        None if rest.len() < line.len() - indent => rest,
        None => return None,
    };
    let head = &line[..line.len() - value.len()];
    Some((head, value))
}

/// The writer's line with its value in quotes (a trailing comment kept out).
fn quote_value_line(line: &str) -> Option<String> {
    let (head, value) = split_line_value(line)?;
    let (value, comment) = match value.find(" #") {
        Some(i) => (&value[..i], &value[i..]),
        None => (value, ""),
    };
    Some(format!("{head}{}{comment}", quoted(value.trim_end())))
}

/// `value` in YAML quotes: double quotes, or single ones when it holds `"`
/// or `\` (which double quotes would make special).
fn quoted(value: &str) -> String {
    if value.contains(['"', '\\']) {
        quoted_with(value, '\'')
    } else {
        quoted_with(value, '"')
    }
}

/// `value` between `quote`s, escaped for them.
fn quoted_with(value: &str, quote: char) -> String {
    if quote == '\'' {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// `line` with a space after `key:` (`  name:Léa` → `  name: Léa`).
fn insert_space_after_key(line: &str, key: &str) -> String {
    match line.find(&format!("{key}:")) {
        Some(i) => {
            let at = i + key.len() + 1;
            format!("{} {}", &line[..at], &line[at..])
        }
        None => line.to_string(),
    }
}

/// The key of the list whose item is on 0-based line `item` of `text`.
fn list_key(text: &str, item: usize) -> Option<&str> {
    let line = text.lines().nth(item)?;
    let indent = line.len() - line.trim_start().len();
    text.lines()
        .take(item)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find_map(|l| {
            let content = l.trim_start();
            let own = l.len() - content.len();
            if own > indent || content.is_empty() || content.starts_with(['#', '-']) {
                return None;
            }
            split_key(content).map(|(key, _)| key)
        })
}

/// `]` for `[`, `}` for `{`.
fn closing(open: char) -> char {
    if open == '[' {
        ']'
    } else {
        '}'
    }
}

/// Whether the `open` bracket starting `value` is closed on the same line
/// (brackets inside quotes do not count).
fn balanced(value: &str, open: char) -> bool {
    bracket_end(value, open).is_some()
}

/// `title` in `title:Stage` (a key, a colon, and no space before the value;
/// not a URL).
pub fn missing_space_key(content: &str) -> Option<&str> {
    let colon = content.find(':')?;
    let key = &content[..colon];
    let after = &content[colon + 1..];
    let is_key = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    let glued = after
        .chars()
        .next()
        .is_some_and(|c| !c.is_whitespace() && c != '/');
    (is_key && glued).then_some(key)
}

/// `line` (written `key:value`) with the space added after the colon.
pub fn missing_space_fix(line: &str, key: &str) -> String {
    insert_space_after_key(line, key)
}

fn duplicate_key_name(message: &str) -> Option<&str> {
    let start = message.find("duplicate entry with key \"")? + "duplicate entry with key \"".len();
    Some(&message[start..start + message[start..].find('"')?])
}

/// The first line, up to `last_line`, whose value opens a quote that its
/// line does not close (`title: "Stage`). Multi-line quoted values are valid
/// YAML but rare in front matter; this is only asked once parsing failed.
fn unclosed_quote(text: &str, last_line: usize) -> Option<(usize, usize, char)> {
    for (i, line) in text.lines().enumerate().take(last_line) {
        let content = line.trim_start_matches([' ', '-']);
        if content.starts_with('#') {
            continue;
        }
        let value = match split_key(content) {
            Some((_, rest)) => rest.trim_start(),
            // A list item (`- "a`) has no key.
            None if line.trim_start().starts_with('-') => content,
            None => continue,
        };
        let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        if !closes(&value[1..], quote) {
            let at = line.len() - value.len();
            return Some((i + 1, line[..at].chars().count() + 1, quote));
        }
    }
    None
}

/// True when `rest` (what follows an opening quote) has its closing quote.
fn closes(rest: &str, quote: char) -> bool {
    closing_index(rest, quote).is_some()
}

/// Byte index in `rest` of the quote that closes a value opened by `quote`.
fn closing_index(rest: &str, quote: char) -> Option<usize> {
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            // `''` is an escaped quote inside single quotes.
            '\'' if quote == '\'' && chars.peek().map(|(_, c)| *c) == Some('\'') => {
                chars.next();
            }
            c if c == quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// Line and column of the second occurrence of `key`.
fn duplicate_key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let trimmed = line.trim_start_matches([' ', '-']);
            let rest = trimmed.strip_prefix(key)?;
            rest.trim_start()
                .starts_with(':')
                .then(|| (i + 1, line.len() - trimmed.len() + 1))
        })
        .nth(1)
}

/// serde_yaml appends " at line X column Y" to its messages; we show the
/// position ourselves, in the snippet.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Positions of the keys of a block-style YAML mapping, by dotted path
/// (`title`, `author.name`, `consent.minor`), so a diagnostic about a field
/// can point at its line. Flow-style (`{a: 1}`) keys are not indexed; callers
/// fall back to the parent key.
#[derive(Debug, Default, Clone)]
pub struct KeyIndex {
    keys: HashMap<String, KeyPos>,
}

/// 1-based line and column of a key, and the key's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPos {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl KeyIndex {
    pub fn scan(text: &str) -> KeyIndex {
        let mut keys = HashMap::new();
        // (indent, key) of the enclosing mappings.
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut in_block_scalar: Option<usize> = None;
        for (i, line) in text.lines().enumerate() {
            // Tabs are a mistake (reported), but their key is still a key.
            let indent = line.len() - line.trim_start_matches([' ', '-', '\t']).len();
            let content = line.trim_start_matches([' ', '-', '\t']);
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if let Some(block_indent) = in_block_scalar {
                if indent > block_indent {
                    continue;
                }
                in_block_scalar = None;
            }
            let Some((key, rest)) = split_key(content) else {
                continue;
            };
            while stack.last().is_some_and(|(d, _)| *d >= indent) {
                stack.pop();
            }
            // Read without the invisible characters, as the parsed value is.
            let key = clean_key(key);
            let mut path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
            path.push(&key);
            keys.entry(path.join(".")).or_insert(KeyPos {
                line: i + 1,
                column: indent + 1,
                len: key.len(),
            });
            let rest = rest.trim();
            if rest.starts_with('|') || rest.starts_with('>') {
                in_block_scalar = Some(indent);
            }
            // Only a key without a value on its line has keys under it
            // (a wrongly indented line after `title: x` is not `title.…`).
            if rest.is_empty() || rest.starts_with(['#', '&', '!']) {
                stack.push((indent, key.to_string()));
            }
        }
        KeyIndex { keys }
    }

    #[cfg(test)]
    pub fn get(&self, path: &str) -> Option<KeyPos> {
        self.keys.get(path).copied()
    }

    /// Every key's dotted path and position, in no order.
    pub fn into_entries(self) -> Vec<(String, KeyPos)> {
        self.keys.into_iter().collect()
    }

    /// Dotted paths of the keys on `lines` (1-based), sorted.
    pub fn paths_on(&self, lines: &[usize]) -> Vec<String> {
        let mut paths: Vec<String> = self
            .keys
            .iter()
            .filter(|(_, pos)| lines.contains(&pos.line))
            .map(|(path, _)| path.clone())
            .collect();
        paths.sort();
        paths
    }
}

/// `key: rest` → (`key`, `rest`), for plain or quoted keys.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let (key, rest) = if let Some(quoted) = content.strip_prefix(['"', '\'']) {
        let quote = content.chars().next()?;
        let end = quoted.find(quote)?;
        let after = quoted[end + 1..].strip_prefix(':')?;
        (&quoted[..end], after)
    } else {
        let colon = content
            .find(": ")
            .or_else(|| content.strip_suffix(':').map(|s| s.len()))?;
        let key = &content[..colon];
        if key.contains(['{', '[', '"', '\'', '#']) {
            return None;
        }
        (key.trim_end(), &content[(colon + 1).min(content.len())..])
    };
    (!key.is_empty()).then_some((key, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_to_json_values() {
        let v = parse("title: Bonjour\ntags: [a, b]\nedition: 3\n").unwrap();
        assert_eq!(v["title"], "Bonjour");
        assert_eq!(v["tags"][1], "b");
        assert_eq!(v["edition"], 3);
        assert_eq!(parse("").unwrap(), Value::Null);
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let e = parse("title: \"unclosed\nother: 1\n").unwrap_err();
        assert!(e.line >= 1);
        assert!(!e.message.contains(" at line "));
        let dup = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(dup.problem, YamlProblem::DuplicateKey("a".into()));
        assert_eq!(dup.line, 2);
    }

    #[test]
    fn names_common_mistakes() {
        let tab = parse("title: x\nauthor:\n\tname: Léa\n").unwrap_err();
        assert_eq!(tab.line, 3);
        assert_eq!(
            tab.problem,
            YamlProblem::Tab {
                fix: "  name: Léa".into()
            }
        );
        // A tab among top-level fields stands for no indentation at all.
        let sibling = parse("kind: page\n\tsort_by: date\n").unwrap_err();
        assert_eq!(
            sibling.problem,
            YamlProblem::Tab {
                fix: "sort_by: date".into()
            }
        );
        let dup = parse("title: a\ndate: 2020-01-01\ntitle: b\n").unwrap_err();
        assert_eq!(dup.problem, YamlProblem::DuplicateKey("title".into()));
        assert!(dup.message.contains("`title`"), "{}", dup.message);
        // The parser fails on line 4; the mistake is the quote of line 1.
        let quote =
            parse("title: \"Stage\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n").unwrap_err();
        assert_eq!((quote.line, quote.column), (1, 8));
        assert_eq!(
            quote.problem,
            YamlProblem::UnclosedQuote {
                quote: '"',
                fix: "title: \"Stage\"".into()
            }
        );
        let single = parse("tags:\n  - 'l''été\n  - b: [\n").unwrap_err();
        assert_eq!(single.line, 2);
        assert!(matches!(
            single.problem,
            YamlProblem::UnclosedQuote { quote: '\'', .. }
        ));
        assert!(closes("a \\\" b\"", '"') && !closes("a \\\"", '"'));
        assert!(!closes("l''été", '\'') && closes("l''été'", '\''));
        let list = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(list.line, 1);
        assert_eq!(
            list.problem,
            YamlProblem::UnclosedBracket {
                open: '[',
                fix: "a: [1, 2]".into()
            }
        );
        // A list over several lines is valid, and not taken for a mistake.
        assert!(parse("a: [1,\n  2]\nb: 3\n").is_ok());
        let glued = parse("date: 2021-01-01\ntitle:Stage\nb: 1\n").unwrap_err();
        assert_eq!(
            glued.problem,
            YamlProblem::MissingSpace {
                key: "title".into(),
                fix: "title: Stage".into()
            }
        );
        let inner = parse("title: \"Il a dit \"oui\" hier\"\n").unwrap_err();
        assert_eq!(
            inner.problem,
            YamlProblem::InnerQuote {
                quote: '"',
                fix: "title: 'Il a dit \"oui\" hier'".into()
            }
        );
    }

    #[test]
    fn a_colon_in_a_value_is_fixed_on_the_writers_own_line() {
        let colon = parse("title: Mon stage : super\ndate: 2021-01-01\n").unwrap_err();
        assert_eq!((colon.line, colon.column), (1, 18));
        assert_eq!(
            colon.problem,
            YamlProblem::ColonInValue {
                key: "title".into(),
                fix: "title: \"Mon stage : super\"".into()
            }
        );
        // Indentation and comment kept; an apostrophe needs no escaping in
        // double quotes, a double quote takes single ones.
        let nested = parse("author:\n  role: Stagiaire : l'équipe # note\n").unwrap_err();
        assert!(
            hint(&nested.problem).contains("`  role: \"Stagiaire : l'équipe\" # note`"),
            "{}",
            hint(&nested.problem)
        );
        let item = parse("tags:\n  - Vis : \"mon\" job\n").unwrap_err();
        assert!(
            hint(&item.problem).contains("`  - 'Vis : \"mon\" job'`"),
            "{}",
            hint(&item.problem)
        );
    }

    /// Parses `text`, which must fail, and returns the error.
    fn mistake(text: &str) -> YamlError {
        parse(text).expect_err(text)
    }

    #[test]
    fn indentation_mistakes_are_explained_with_the_fix() {
        // A key indented under a key that has a value.
        let over = mistake("author:\n  name: Léa\n    role: x\n");
        assert_eq!(over.line, 3);
        assert_eq!(
            over.problem,
            YamlProblem::OverIndented {
                above: "name".into(),
                fix: "  role: x".into()
            }
        );
        assert!(
            over.message.contains("`name` (ligne 2)"),
            "{}",
            over.message
        );
        // One space too many for the top level.
        let top = mistake("title: x\n date: 2021-01-01\n");
        assert_eq!(
            top.problem,
            YamlProblem::OverIndented {
                above: "title".into(),
                fix: "date: 2021-01-01".into()
            }
        );
        // Between two levels: closer to the inner one.
        let inner = mistake("author:\n    name: Léa\n   role: x\n");
        assert_eq!(inner.line, 3);
        assert_eq!(
            inner.problem,
            YamlProblem::Misaligned {
                sibling: "name".into(),
                fix: "    role: x".into(),
                outer: None
            }
        );
        // As far from both: both fixes.
        let either = mistake("title: x\nauthor:\n    name: Léa\n  role: x\n");
        assert_eq!(
            either.problem,
            YamlProblem::Misaligned {
                sibling: "name".into(),
                fix: "    role: x".into(),
                outer: Some(Box::new(("author".into(), "role: x".into())))
            }
        );
        // A list on its key's line.
        let list = mistake("title: x\ntags: - a\n");
        assert_eq!(
            list.problem,
            YamlProblem::ListOnKeyLine {
                key_line: "tags:".into(),
                item_line: "  - a".into()
            }
        );
        // A list item among fields.
        let item = mistake("author:\n  name: Léa\n  - a\n");
        assert_eq!((item.line, item.problem), (3, YamlProblem::ListItemInMap));
        // A field aligned on the items of a list.
        let field = mistake("tags:\n  - a\n  b: c\n");
        assert_eq!(field.line, 3);
        assert_eq!(
            field.problem,
            YamlProblem::NotAListItem {
                as_item: "  - b: c".into(),
                outside: Some(("tags".into(), "b: c".into()))
            }
        );
        // The same without a colon: the parser says something else.
        let word = mistake("tags:\n  - a\n  b\ndate: x\n");
        assert_eq!(word.line, 3);
        assert_eq!(
            word.problem,
            YamlProblem::NotAListItem {
                as_item: "  - b".into(),
                outside: Some(("tags".into(), "b".into()))
            }
        );
        // A value continued on a line of its own: the line without `:`.
        let continued = mistake("summary: Une phrase\nqui continue\ndate: 2021-01-01\n");
        assert_eq!(continued.line, 2);
        assert_eq!(
            continued.problem,
            YamlProblem::NoColon {
                continues: Some(("summary".into(), "  qui continue".into()))
            }
        );
        // The first line indented.
        let first = mistake("  title: x\ndate: 2021-01-01\n");
        assert_eq!(
            (first.line, first.problem),
            (
                1,
                YamlProblem::FirstLineIndented {
                    fix: "title: x".into()
                }
            )
        );
    }

    #[test]
    fn values_starting_with_a_reserved_sign_are_quoted_on_the_writers_line() {
        for (text, sign, fix) in [
            ("title: @Léa en stage\n", '@', "title: \"@Léa en stage\""),
            ("title: `Stage`\n", '`', "title: \"`Stage`\""),
            (
                "quote: *Génial* dit-elle\n",
                '*',
                "quote: \"*Génial* dit-elle\"",
            ),
            ("author:\n  name: *nom\n", '*', "  name: \"*nom\""),
            (
                "title: [Brouillon] Mon stage\n",
                '[',
                "title: \"[Brouillon] Mon stage\"",
            ),
        ] {
            let e = mistake(text);
            assert_eq!(
                e.problem,
                YamlProblem::NeedsQuotes {
                    sign,
                    fix: fix.into()
                },
                "{text}"
            );
        }
        let escape = mistake("school: \"C:\\dossier\"\n");
        assert_eq!(
            escape.problem,
            YamlProblem::BadEscape {
                fix: "school: 'C:\\dossier'".into(),
                doubled: Some("school: \"C:\\\\dossier\"".into()),
            }
        );
        let hint = hint(&escape.problem);
        assert!(hint.contains("`school: 'C:\\dossier'`"), "{hint}");
        assert!(hint.contains("`school: \"C:\\\\dossier\"`"), "{hint}");
        assert!(escape.message.contains("\\d"), "{}", escape.message);
    }

    #[test]
    fn nesting_is_capped_before_parsing_at_the_line_passing_the_limit() {
        // 100 000 levels took 88 s inside the parser.
        let deep = format!("title: x\nextra: {}\n", "[".repeat(100_000));
        let e = mistake(&deep);
        assert_eq!((e.line, e.problem.clone()), (2, YamlProblem::TooDeep));
        // `extra` is at depth 1: the bracket past the limit.
        assert_eq!(e.column, "extra: ".len() + MAX_DEPTH);
        let maps = mistake(&format!("a: {}\n", "{b: ".repeat(100_000)));
        assert_eq!(maps.problem, YamlProblem::TooDeep);
        let items = mistake(&format!("a:\n  {}x\n", "- ".repeat(100_000)));
        assert_eq!((items.line, items.problem), (2, YamlProblem::TooDeep));
        let mut indented = String::new();
        for i in 0..MAX_DEPTH + 1 {
            indented.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        let blocks = mistake(&indented);
        assert_eq!(
            (blocks.line, blocks.problem),
            (MAX_DEPTH + 1, YamlProblem::TooDeep)
        );
        // Brackets in text, quotes, comments and block scalars do not count.
        let text = format!(
            "a: Stage [{0}\nb: \"{0}\"\nc: x # {0}\nd: |\n  {0}\ne: '[{0}'\n",
            "[".repeat(200)
        );
        assert!(parse(&text).is_ok(), "{text}");
        // Ordinary nesting is fine, lists at their key's column too.
        assert!(parse("a:\n- b:\n  - c: [1, {d: [2]}]\n- e\nf: 1\n").is_ok());
    }

    #[test]
    fn size_is_capped_before_parsing() {
        let big = "a: b\n".repeat(MAX_BYTES / 5 + 1);
        let e = mistake(&big);
        assert_eq!(e.problem, YamlProblem::TooLarge);
        assert_eq!(e.line, MAX_BYTES / 5 + 1);
    }

    #[test]
    fn parser_messages_never_reach_french_text() {
        // Anchors repeating too much: serde_yaml's words, and no position.
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = mistake(&bomb);
        assert_eq!((e.line, e.problem.clone()), (1, YamlProblem::Anchors));
        assert!(!e.message.contains("limit"), "{}", e.message);
        let other = mistake("a: 1\n- b\n");
        assert!(!other.message.contains("expected"), "{}", other.message);
    }

    #[test]
    fn recovery_reports_every_mistake_and_reads_the_other_lines() {
        let text = "title: Mon stage : super\ndate: 2021-01-01\nauthor:\n\tname: Léa\n  role: x\nprogramme: vis-mon-job\nquote: \"a\n";
        let read = parse_recovering(text, 2);
        let lines: Vec<usize> = read.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 4, 7], "{:?}", read.errors);
        let value = read.value.clone().expect("the rest is read");
        assert_eq!(value["programme"], "vis-mon-job");
        assert_eq!(value["author"]["role"], "x");
        assert_eq!(value.get("title"), None);
        assert_eq!(read.blanked, [1, 4, 7]);
        assert_eq!(read.blanked_keys, ["author.name", "quote", "title"]);
        assert!(!read.blanked_unknown);
        // Messages name the lines of the file.
        let shifted = parse_recovering("author:\n  name: Léa\n    role: x\n", 2);
        assert!(
            shifted.errors[0].message.contains("(ligne 3)"),
            "{}",
            shifted.errors[0].message
        );
        // The lines under a line left out go with it.
        let parent = parse_recovering("author: a : b\n  name: Léa\ndate: x\n", 2);
        assert_eq!(parent.blanked, [1, 2]);
        assert_eq!(parent.value.unwrap()["date"], "x");
        // Past the limits, nothing is read.
        let deep = parse_recovering(&format!("a: {}\nb: 1\n", "[".repeat(1000)), 2);
        assert_eq!((deep.errors.len(), deep.value), (1, None));
        let fine = parse_recovering("a: 1\n", 2);
        assert!(fine.errors.is_empty() && fine.value.is_some());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Whatever the writer typed, explaining it never panics and every
        /// error sits on a line of the text.
        #[test]
        fn recovery_never_panics(s in "[a-zé:\\-\\[\\]{}\"' \t\n#|>*&@`\\\\,!%?]{0,160}") {
            let read = parse_recovering(&s, 2);
            let lines = s.split('\n').count().max(1);
            for e in &read.errors {
                proptest::prop_assert!(e.line >= 1 && e.line <= lines + 1, "{e:?}");
                let _ = hint(&e.problem);
            }
        }
    }

    #[test]
    fn indexes_nested_keys() {
        let text = "title: x\nauthor:\n  name: Léa\n  photo_alt: y\nconsent:\n  minor: true\nbody: |\n  name: not a key\ntags:\n  - a\n";
        let idx = KeyIndex::scan(text);
        assert_eq!(idx.get("title").map(|p| p.line), Some(1));
        assert_eq!(
            idx.get("author.name").map(|p| (p.line, p.column)),
            Some((3, 3))
        );
        assert_eq!(idx.get("author.photo_alt").map(|p| p.line), Some(4));
        assert_eq!(idx.get("consent.minor").map(|p| p.line), Some(6));
        assert_eq!(idx.get("body.name"), None);
        assert_eq!(idx.get("tags").map(|p| p.line), Some(9));
    }
}
