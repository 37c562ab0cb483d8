//! The one place that knows about the YAML library.
//!
//! YAML is parsed into `serde_json::Value` (the value type templates use too),
//! so swapping serde_yaml — unmaintained upstream — touches only this file.

use std::collections::HashMap;

use serde_json::Value;

use crate::i18n;

/// A YAML syntax error, 1-based line/column within the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    /// In the writer's language for the mistakes we recognise, else the
    /// parser's own words.
    pub message: String,
    pub problem: YamlProblem,
}

/// The mistakes writers make most, recognised so the message can name the
/// fix instead of the parser's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlProblem {
    /// A tab in the indentation.
    Tab,
    /// The same key twice in one mapping.
    DuplicateKey(String),
    /// A `"` or `'` opened and never closed on its line: the parser reads on
    /// and fails lines later, so the error is moved back to the quote.
    UnclosedQuote(char),
    /// A value holding `: ` without quotes (`title: Mon stage : super`),
    /// the most common mistake in French, which puts a space before colons.
    ColonInValue(String),
    /// No space after a key's colon (`title:Stage`).
    MissingSpace(String),
    /// Quotes inside a value in the same quotes (`"Il a dit "oui""`).
    InnerQuote(char),
    /// A `[` or `{` list opened and not closed on its line (`tags: ["a"`).
    UnclosedBracket(char),
    Other,
}

/// Parses a YAML document. An empty document is `Value::Null`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    // Through serde_yaml's own Value first: it is the one that refuses
    // duplicate keys (a map straight into JSON would keep the last silently).
    let yaml = serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let message = strip_location(&e.to_string());
        recognise(text, line, column, message)
    })?;
    serde_json::to_value(&yaml).map_err(|e| YamlError {
        line: 1,
        column: 1,
        message: e.to_string(),
        problem: YamlProblem::Other,
    })
}

/// How to fix `problem`, for the help line of a `yaml-syntax` diagnostic.
pub fn hint(problem: &YamlProblem) -> String {
    match problem {
        YamlProblem::Tab => i18n::hint_yaml_tab(),
        YamlProblem::DuplicateKey(key) => i18n::hint_yaml_duplicate_key(key),
        YamlProblem::UnclosedQuote(quote) => i18n::hint_yaml_unclosed_quote(*quote),
        YamlProblem::ColonInValue(key) => i18n::hint_yaml_colon_in_value(key),
        YamlProblem::MissingSpace(key) => i18n::hint_yaml_missing_space(key),
        YamlProblem::InnerQuote('"') => i18n::hint_yaml_inner_double_quote(),
        YamlProblem::InnerQuote(_) => i18n::hint_yaml_inner_single_quote(),
        YamlProblem::UnclosedBracket(open) => i18n::hint_yaml_unclosed_bracket(closing(*open)),
        YamlProblem::Other => i18n::hint_yaml_syntax(),
    }
}

/// Names a parser error after the writer's mistake when it is a common one.
fn recognise(text: &str, line: usize, column: usize, message: String) -> YamlError {
    if let Some(key) = duplicate_key_name(&message) {
        // serde_yaml points at the start of the mapping; the second key is
        // where the writer must look.
        let (line, column) = duplicate_key_position(text, key).unwrap_or((line, column));
        return YamlError {
            line,
            column,
            message: i18n::yaml_duplicate_key(key),
            problem: YamlProblem::DuplicateKey(key.to_string()),
        };
    }
    let error_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let indent = &error_line[..error_line.len() - error_line.trim_start().len()];
    if indent.contains('\t') || message.contains("tab") {
        let column = indent.find('\t').map_or(column, |i| i + 1);
        return YamlError {
            line,
            column,
            message: i18n::yaml_tab(),
            problem: YamlProblem::Tab,
        };
    }
    if let Some((quote_line, quote_column, quote)) = unclosed_quote(text, line) {
        return YamlError {
            line: quote_line,
            column: quote_column,
            message: i18n::yaml_unclosed_quote(quote),
            problem: YamlProblem::UnclosedQuote(quote),
        };
    }
    if let Some((at, problem)) = value_mistake(text, line, &message) {
        let message = match &problem {
            YamlProblem::ColonInValue(key) => i18n::yaml_colon_in_value(key),
            YamlProblem::MissingSpace(key) => i18n::yaml_missing_space(key),
            YamlProblem::InnerQuote(_) => i18n::yaml_inner_quote(),
            YamlProblem::UnclosedBracket(open) => i18n::yaml_unclosed_bracket(*open),
            _ => message,
        };
        return YamlError {
            line: at,
            column: 1,
            message,
            problem,
        };
    }
    YamlError {
        line,
        column,
        message,
        problem: YamlProblem::Other,
    }
}

/// The first line, up to `last_line`, with a mistake in its value that the
/// parser reports in its own terms: `: ` in an unquoted value, no space
/// after a key's colon, or quotes inside a value in the same quotes.
fn value_mistake(text: &str, last_line: usize, message: &str) -> Option<(usize, YamlProblem)> {
    for (i, line) in text.lines().enumerate().take(last_line) {
        let content = line.trim_start();
        if content.starts_with(['#', '-']) {
            continue;
        }
        if let Some(key) = missing_space_key(content) {
            return Some((i + 1, YamlProblem::MissingSpace(key.to_string())));
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
                return Some((i + 1, YamlProblem::UnclosedBracket(open)));
            }
            continue;
        }
        if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            let after = closing_index(&value[1..], quote).map(|end| value[1 + end + 1..].trim());
            if after.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('#')) {
                return Some((i + 1, YamlProblem::InnerQuote(quote)));
            }
            continue;
        }
        let colon = value.contains(": ") || value.ends_with(':');
        let is_flow = value.starts_with(['[', '{', '|', '>', '&', '*', '!']);
        if colon && !is_flow && message.contains("mapping values are not allowed") {
            return Some((i + 1, YamlProblem::ColonInValue(key.to_string())));
        }
    }
    None
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
    let close = closing(open);
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in value.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c == open => depth += 1,
            (None, c) if c == close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
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
            let indent = line.len() - line.trim_start_matches([' ', '-']).len();
            let content = line.trim_start_matches([' ', '-']);
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
            let mut path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
            path.push(key);
            keys.entry(path.join(".")).or_insert(KeyPos {
                line: i + 1,
                column: indent + 1,
                len: key.len(),
            });
            let rest = rest.trim();
            if rest.starts_with('|') || rest.starts_with('>') {
                in_block_scalar = Some(indent);
            }
            stack.push((indent, key.to_string()));
        }
        KeyIndex { keys }
    }

    pub fn get(&self, path: &str) -> Option<KeyPos> {
        self.keys.get(path).copied()
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
        assert_eq!((tab.problem, tab.line), (YamlProblem::Tab, 3));
        let dup = parse("title: a\ndate: 2020-01-01\ntitle: b\n").unwrap_err();
        assert_eq!(dup.problem, YamlProblem::DuplicateKey("title".into()));
        assert!(dup.message.contains("`title`"), "{}", dup.message);
        // The parser fails on line 4; the mistake is the quote of line 1.
        let quote =
            parse("title: \"Stage\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n").unwrap_err();
        assert_eq!(
            (quote.problem, quote.line, quote.column),
            (YamlProblem::UnclosedQuote('"'), 1, 8)
        );
        let single = parse("tags:\n  - 'l''été\n  - b: [\n").unwrap_err();
        assert_eq!(
            (single.problem, single.line),
            (YamlProblem::UnclosedQuote('\''), 2)
        );
        assert!(closes("a \\\" b\"", '"') && !closes("a \\\"", '"'));
        assert!(!closes("l''été", '\'') && closes("l''été'", '\''));
        let list = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(
            (list.problem, list.line),
            (YamlProblem::UnclosedBracket('['), 1)
        );
        // A list over several lines is valid, and not taken for a mistake.
        assert!(parse("a: [1,\n  2]\nb: 3\n").is_ok());
        let colon = parse("title: Mon stage : super\ndate: 2021-01-01\n").unwrap_err();
        assert_eq!(colon.problem, YamlProblem::ColonInValue("title".into()));
        let glued = parse("date: 2021-01-01\ntitle:Stage\nb: 1\n").unwrap_err();
        assert_eq!(glued.problem, YamlProblem::MissingSpace("title".into()));
        // Other errors keep the parser's position.
        let other = parse("a: 1\n- b\n").unwrap_err();
        assert_eq!(other.problem, YamlProblem::Other);
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
