//! The one place that knows about the YAML library.
//!
//! YAML is parsed into `serde_json::Value` (the value type templates use too),
//! so swapping serde_yaml — unmaintained upstream — touches only this file.

use std::collections::HashMap;

use serde_json::Value;

/// A YAML syntax error, 1-based line/column within the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
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
        // serde_yaml points at the start of the mapping; the second key is
        // where the writer must look.
        let (line, column) = duplicate_key_position(text, &message).unwrap_or((line, column));
        YamlError {
            line,
            column,
            message,
        }
    })?;
    serde_json::to_value(&yaml).map_err(|e| YamlError {
        line: 1,
        column: 1,
        message: e.to_string(),
    })
}

/// Line and column of the second occurrence of the key named in a
/// "duplicate entry with key" message.
fn duplicate_key_position(text: &str, message: &str) -> Option<(usize, usize)> {
    let start = message.find("duplicate entry with key \"")? + "duplicate entry with key \"".len();
    let key = &message[start..start + message[start..].find('"')?];
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
        assert!(dup.message.contains("duplicate"), "{}", dup.message);
        assert_eq!(dup.line, 2);
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
