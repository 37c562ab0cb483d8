//! Typed reading of YAML mappings (front matter and `site.yaml`) that collects
//! every problem instead of stopping at the first.
//!
//! A reader takes the fields it knows one by one (`required`, `optional`,
//! `nested`); whatever is left at [`Fields::finish`] is an unknown field,
//! reported with a "did you mean" built from the fields that were asked for.

use std::path::Path;

use serde_json::{Map, Value};

use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Lines, Location};
use crate::i18n;
use crate::yaml::KeyIndex;

/// The YAML text being read and where it sits in its file.
pub struct YamlSource<'a> {
    /// File as shown to the writer (relative to the site root).
    pub file: &'a Path,
    /// The whole file, for snippets.
    pub file_text: &'a str,
    /// 1-based line of the YAML's first line in the file.
    pub first_line: usize,
    pub keys: KeyIndex,
    /// Built on the first location asked for: finding a line by scanning the
    /// file each time made 50 000 unknown fields take minutes.
    lines: std::cell::OnceCell<Lines<'a>>,
}

impl<'a> YamlSource<'a> {
    pub fn new(file: &'a Path, file_text: &'a str, yaml: &str, first_line: usize) -> Self {
        YamlSource {
            file,
            file_text,
            first_line,
            keys: KeyIndex::scan(yaml),
            lines: std::cell::OnceCell::new(),
        }
    }

    /// Location of the key at `path` (`author.name`), else of its nearest
    /// indexed parent, else of the YAML's first line.
    pub fn locate(&self, path: &str) -> Location {
        let mut p = path;
        loop {
            if let Some(pos) = self.keys.get(p) {
                return self.location(pos.line, pos.column, pos.len);
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return self.location(1, 1, 0).with_whole_line(),
            }
        }
    }

    /// Location of a 1-based line/column of the YAML text.
    pub fn location(&self, line: usize, column: usize, len: usize) -> Location {
        self.lines
            .get_or_init(|| Lines::new(self.file_text))
            .location(self.file, self.first_line + line - 1, column, len)
    }
}

trait WholeLine {
    fn with_whole_line(self) -> Self;
}

impl WholeLine for Location {
    fn with_whole_line(mut self) -> Location {
        self.len = self.line_text.len();
        self
    }
}

/// A value a field can hold: knows how to read itself from YAML and how to
/// name its type in a message.
pub trait FieldValue: Sized {
    /// "du texte", "une date AAAA-MM-JJ"… (in the writer's language).
    fn expected() -> String;
    fn read(value: &Value) -> Option<Self>;
    /// Diagnostic code of a wrong value.
    fn code() -> &'static str {
        "wrong-type"
    }
    /// Extra hint for a wrong value (e.g. did-you-mean on a choice).
    fn hint(_value: &Value) -> Option<String> {
        None
    }
}

impl FieldValue for String {
    fn expected() -> String {
        i18n::type_text()
    }
    fn read(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(s.clone()),
            // `title: 1984` is a fine title.
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

impl FieldValue for bool {
    fn expected() -> String {
        i18n::type_bool()
    }
    fn read(value: &Value) -> Option<Self> {
        value.as_bool()
    }
    fn hint(value: &Value) -> Option<String> {
        let word = value.as_str().map(|s| s.trim().to_lowercase());
        let meant = match word.as_deref() {
            Some("oui" | "vrai" | "yes" | "o") => "true",
            Some("non" | "faux" | "no" | "n") => "false",
            _ => return Some(i18n::hint_bool()),
        };
        Some(i18n::did_you_mean(meant))
    }
}

impl FieldValue for i64 {
    fn expected() -> String {
        i18n::type_integer()
    }
    fn read(value: &Value) -> Option<Self> {
        value.as_i64()
    }
}

/// A whole number ≥ 1 (page sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Positive(pub usize);

impl FieldValue for Positive {
    fn expected() -> String {
        i18n::type_positive()
    }
    fn hint(_value: &Value) -> Option<String> {
        Some(i18n::hint_positive())
    }
    fn read(value: &Value) -> Option<Self> {
        value
            .as_u64()
            .filter(|n| *n >= 1)
            .and_then(|n| usize::try_from(n).ok())
            .map(Positive)
    }
}

impl FieldValue for Date {
    fn expected() -> String {
        i18n::type_date()
    }
    fn read(value: &Value) -> Option<Self> {
        value.as_str().and_then(Date::parse)
    }
    fn code() -> &'static str {
        "bad-date"
    }
    fn hint(value: &Value) -> Option<String> {
        Some(i18n::hint_date(value.as_str().unwrap_or("")))
    }
}

impl FieldValue for Vec<String> {
    fn expected() -> String {
        i18n::type_list()
    }
    fn read(value: &Value) -> Option<Self> {
        match value {
            // `tags: Numérique` means a list of one.
            Value::String(s) => Some(vec![s.clone()]),
            Value::Array(items) => items.iter().map(String::read).collect(),
            Value::Null => Some(Vec::new()),
            _ => None,
        }
    }
}

/// The free `extra` map.
impl FieldValue for Map<String, Value> {
    fn expected() -> String {
        i18n::type_map()
    }
    fn read(value: &Value) -> Option<Self> {
        match value {
            Value::Object(m) => Some(m.clone()),
            Value::Null => Some(Map::new()),
            _ => None,
        }
    }
}

/// An enum read from one of a fixed set of words (`format: remote`).
pub trait Choice: Sized + Copy + 'static {
    const CHOICES: &'static [(&'static str, Self)];

    fn name(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::CHOICES
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(n, _)| *n)
            .unwrap_or("")
    }
}

/// Implements [`FieldValue`] for a [`Choice`] enum.
#[macro_export]
macro_rules! choice_field {
    ($t:ty) => {
        impl $crate::fields::FieldValue for $t {
            fn expected() -> String {
                $crate::i18n::type_choice(
                    &<$t as $crate::fields::Choice>::CHOICES
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>(),
                )
            }
            fn read(value: &serde_json::Value) -> Option<Self> {
                let s = value.as_str()?.trim();
                <$t as $crate::fields::Choice>::CHOICES
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(s))
                    .map(|(_, v)| *v)
            }
            fn hint(value: &serde_json::Value) -> Option<String> {
                let names: Vec<&str> = <$t as $crate::fields::Choice>::CHOICES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                let word = value.as_str().unwrap_or("");
                $crate::fields::french_choice(word, &names)
                    .map(str::to_string)
                    .or_else(|| $crate::fields::did_you_mean(word, &names))
                    .map(|s| $crate::i18n::did_you_mean(&s))
            }
        }
    };
}

/// The closest candidate to `word`, if close enough to be a likely typo.
/// The value a writer meant by a French word for one of `names`
/// (`témoignage` → `testimonial`, `à distance` → `remote`).
pub fn french_choice<'n>(word: &str, names: &[&'n str]) -> Option<&'n str> {
    let folded = crate::content::collation_key(word.trim());
    let meant = match folded.as_str() {
        "temoignage" | "temoignages" => "testimonial",
        "programmes" => "programme",
        "pages" => "page",
        "sur site" | "sur place" | "presentiel" | "en presentiel" => "on-site",
        "a distance" | "distanciel" | "en distanciel" | "teletravail" => "remote",
        "hybride" | "mixte" => "hybrid",
        "titre" => "title",
        "poids" => "weight",
        _ => return None,
    };
    names.iter().copied().find(|n| *n == meant)
}

pub fn did_you_mean<S: AsRef<str>>(word: &str, candidates: &[S]) -> Option<String> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&word, &c.as_ref().to_lowercase()),
                c.as_ref(),
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// Reads the fields of one mapping.
pub struct Fields<'s> {
    source: &'s YamlSource<'s>,
    /// Dotted path of this mapping (`""` for the top, `author.` for a nested one).
    prefix: String,
    remaining: Map<String, Value>,
    known: Vec<&'static str>,
    diagnostics: Vec<Diagnostic>,
    /// Required fields found missing, with the index of their diagnostic.
    missing: Vec<(&'static str, usize)>,
    /// Remove curly quotes around texts, with a warning ([`Fields::unquoting`]).
    unquote: bool,
}

impl<'s> Fields<'s> {
    /// Reads `value`, which must be a mapping (null counts as empty).
    pub fn new(source: &'s YamlSource<'s>, value: Value) -> Result<Fields<'s>, Diagnostic> {
        Fields::nested_in(source, String::new(), value)
    }

    fn nested_in(
        source: &'s YamlSource<'s>,
        prefix: String,
        value: Value,
    ) -> Result<Fields<'s>, Diagnostic> {
        let remaining = match value {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            other => {
                let field = prefix.trim_end_matches('.');
                // `name:Léa` under `author:` reads as one string: say why.
                let glued = other.as_str().and_then(crate::yaml::missing_space_key);
                if let Some(key) = glued {
                    return Err(
                        Diagnostic::error("yaml-syntax", i18n::yaml_missing_space(key))
                            .at(source.locate(field))
                            .help(i18n::hint_yaml_missing_space(key)),
                    );
                }
                let message = if field.is_empty() {
                    i18n::yaml_not_a_map(kind_of(&other))
                } else {
                    i18n::wrong_type(field, &i18n::type_map(), &show(&other))
                };
                return Err(Diagnostic::error("not-a-map", message)
                    .at(source.locate(field))
                    .help(i18n::hint_yaml_map()));
            }
        };
        Ok(Fields {
            source,
            prefix,
            remaining,
            known: Vec::new(),
            diagnostics: Vec::new(),
            missing: Vec::new(),
            unquote: false,
        })
    }

    /// Texts wrapped whole in curly quotes pasted from a word processor
    /// (`name: “Lauretta Henry”`, `« … »`, `‘…’`) are read without them, with
    /// a warning showing the line with straight quotes. For front matter:
    /// those quotes would otherwise be published as part of the value.
    pub fn unquoting(mut self) -> Self {
        self.unquote = true;
        self
    }

    fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A field that must be present.
    pub fn required<T: FieldValue>(&mut self, name: &'static str) -> Option<T> {
        let found = self.optional(name);
        if found.is_none()
            && !self
                .diagnostics
                .iter()
                .any(|d| d.label.as_deref() == Some(name))
        {
            let path = self.path(name);
            let parent = self.prefix.trim_end_matches('.').to_string();
            let location = self.source.locate(&parent);
            self.missing.push((name, self.diagnostics.len()));
            self.diagnostics.push(
                Diagnostic::error("missing-field", i18n::missing_field(&path))
                    .at(location)
                    .help(i18n::hint_missing_field(name, &T::expected())),
            );
        }
        found
    }

    /// A text field that must be present and not blank (`title: ""` would
    /// give a page without a name in every list).
    pub fn required_text(&mut self, name: &'static str) -> Option<String> {
        let text = self.required::<String>(name)?;
        if text.trim().is_empty() {
            let path = self.path(name);
            self.diagnostics.push(
                Diagnostic::error("empty-field", i18n::empty_field(&path))
                    .at(self.source.locate(&path))
                    .help(i18n::hint_empty_field(name)),
            );
            return None;
        }
        Some(text)
    }

    /// A field that may be absent; present with a wrong type is an error.
    pub fn optional<T: FieldValue>(&mut self, name: &'static str) -> Option<T> {
        self.known.push(name);
        let mut value = self.remaining.remove(name)?;
        if value.is_null() {
            return None;
        }
        if self.unquote {
            self.unquote_value(name, &mut value);
        }
        match T::read(&value) {
            Some(v) => Some(v),
            None => {
                let path = self.path(name);
                self.diagnostics.push(
                    Diagnostic::error(
                        T::code(),
                        i18n::wrong_type(&path, &T::expected(), &show(&value)),
                    )
                    .at(self.source.locate(&path))
                    // Marks the field as reported so `required` does not
                    // also call it missing.
                    .label(name)
                    .maybe_help(T::hint(&value)),
                );
                None
            }
        }
    }

    /// A field with a default.
    pub fn or<T: FieldValue>(&mut self, name: &'static str, default: T) -> T {
        self.optional(name).unwrap_or(default)
    }

    /// A nested mapping (`author:`), read by `read`. `None` when absent or
    /// not a mapping (reported).
    pub fn nested<R>(
        &mut self,
        name: &'static str,
        read: impl FnOnce(&mut Fields<'s>) -> R,
    ) -> Option<R> {
        self.known.push(name);
        let value = self.remaining.remove(name)?;
        let mut inner = match Fields::nested_in(self.source, format!("{}.", self.path(name)), value)
        {
            Ok(f) => f,
            Err(d) => {
                self.diagnostics.push(d.label(name));
                return None;
            }
        };
        inner.unquote = self.unquote;
        let result = read(&mut inner);
        self.diagnostics.extend(inner.finish());
        Some(result)
    }

    /// Takes curly quotes off a text, or off the texts of a list, and warns
    /// once for the field.
    fn unquote_value(&mut self, name: &str, value: &mut Value) {
        // (as written, without the quotes)
        let mut stripped: Vec<(String, String)> = Vec::new();
        let mut strip = |item: &mut Value| {
            if let Value::String(text) = item {
                if let Some(inner) = without_curly_quotes(text) {
                    stripped.push((std::mem::replace(text, inner.clone()), inner));
                }
            }
        };
        match value {
            Value::Array(items) => items.iter_mut().for_each(&mut strip),
            other => strip(other),
        }
        let Some((_, first)) = stripped.first() else {
            return;
        };
        let path = self.path(name);
        let location = self.source.locate(&path);
        // The writer's own line, with straight quotes.
        let mut fixed = location.line_text.clone();
        for (written, inner) in &stripped {
            let straight = yaml_quoted(inner);
            for form in [
                format!("\"{written}\""),
                format!("'{written}'"),
                written.clone(),
            ] {
                if fixed.contains(&form) {
                    fixed = fixed.replacen(&form, &straight, 1);
                    break;
                }
            }
        }
        let help = if fixed != location.line_text {
            i18n::hint_curly_quotes(fixed.trim())
        } else {
            i18n::hint_curly_quotes(&format!("{name}: {}", yaml_quoted(first)))
        };
        self.diagnostics.push(
            Diagnostic::warning("curly-quotes", i18n::curly_quotes(&path))
                .at(location)
                .help(help),
        );
    }

    /// True when the field is present (and not yet taken).
    pub fn has(&self, name: &str) -> bool {
        self.remaining.contains_key(name)
    }

    /// Where a field is, for checks made after reading (e.g. `photo_alt`).
    pub fn locate(&self, name: &str) -> Location {
        self.source.locate(&self.path(name))
    }

    /// Reports an extra problem found by the caller.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports unknown fields and returns every diagnostic.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let mut unknown: Vec<String> = self.remaining.keys().cloned().collect();
        unknown.sort();
        // Thousands of unknown fields (a pasted spreadsheet, a huge front
        // matter) would bury the message: show a few, then count the rest.
        if unknown.len() > MAX_UNKNOWN_SHOWN {
            let rest = unknown.split_off(MAX_UNKNOWN_SHOWN);
            self.diagnostics.push(
                Diagnostic::error("unknown-field", i18n::more_unknown_fields(rest.len()))
                    .at(self.source.locate(&self.path(&rest[0])))
                    .help(i18n::hint_known_fields(&self.known)),
            );
        }
        // `auteur:` for `author:` is one mistake: its "did you mean" says it
        // all, so the "missing `author`" error it causes is dropped.
        let mut explained: Vec<usize> = Vec::new();
        for key in unknown {
            let path = self.path(&key);
            let suggestion = did_you_mean(&key, &self.known).or_else(|| {
                french_alias(&key)
                    .filter(|k| self.known.contains(k))
                    .map(str::to_string)
            });
            if let Some(s) = &suggestion {
                explained.extend(
                    self.missing
                        .iter()
                        .filter(|(name, _)| name == s)
                        .map(|(_, i)| *i),
                );
            }
            let help = match suggestion {
                Some(s) => i18n::did_you_mean(&s),
                None => i18n::hint_known_fields(&self.known),
            };
            self.diagnostics.push(
                Diagnostic::error("unknown-field", i18n::unknown_field(&path))
                    .at(self.source.locate(&path))
                    .help(help),
            );
        }
        let mut index = 0;
        self.diagnostics.retain(|_| {
            index += 1;
            !explained.contains(&(index - 1))
        });
        for d in &mut self.diagnostics {
            // The label was only a marker for `required`.
            if matches!(d.code, "wrong-type" | "bad-date" | "not-a-map") {
                d.label = None;
            }
        }
        self.diagnostics
    }
}

/// Pairs of typographic quotes that word processors put around a text.
const CURLY_QUOTES: &[(char, char)] = &[
    ('“', '”'),
    ('„', '“'),
    ('”', '”'),
    ('«', '»'),
    ('»', '«'),
    ('‘', '’'),
    ('‚', '‘'),
    ('’', '’'),
    ('‹', '›'),
];

/// The text inside the curly quotes that wrap all of `text`
/// (`“Lauretta Henry”`, `« Mon stage »`), if they do. Quotes that open and
/// close inside it (`“Vis mon job” et “Back Stages”`) are the writer's.
pub fn without_curly_quotes(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let mut chars = trimmed.chars();
    let (first, last) = (chars.next()?, chars.next_back()?);
    let (open, close) = CURLY_QUOTES
        .iter()
        .copied()
        .find(|(open, close)| *open == first && *close == last)?;
    let inner = &trimmed[open.len_utf8()..trimmed.len() - close.len_utf8()];
    if inner.contains([open, close]) {
        return None;
    }
    let inner = inner.trim();
    (!inner.is_empty()).then(|| inner.to_string())
}

/// `text` as a double-quoted YAML value.
fn yaml_quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// Unknown fields reported one by one in a mapping; the others are counted.
const MAX_UNKNOWN_SHOWN: usize = 10;

/// French words writers are likely to type for our English field names.
fn french_alias(word: &str) -> Option<&'static str> {
    let folded = crate::slug::slugify(word);
    Some(match folded.as_str() {
        "titre" => "title",
        "auteur" | "autrice" => "author",
        "nom" => "name",
        "ecole" | "etablissement" => "school",
        "resume" => "summary",
        "citation" => "quote",
        "niveau" => "level",
        "duree" => "duration",
        "mots-cles" | "etiquettes" | "tags" => "tags",
        "brouillon" => "draft",
        "organisateur" | "organisatrice" => "organiser",
        "partenaires" => "partners",
        "public" => "audience",
        "lieu" => "location",
        "debut" => "start",
        "fin" => "end",
        "consentement" => "consent",
        "mineur" | "mineure" => "minor",
        "tuteur" | "parent" | "responsable-legal" => "guardian",
        "poids" => "weight",
        "date-de-mise-a-jour" | "mise-a-jour" => "updated",
        "role" | "fonction" => "role",
        _ => return None,
    })
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "map",
    }
}

/// A short rendering of a value for messages.
fn show(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    type Read = Option<(String, Option<i64>, Option<Date>)>;

    fn read(text: &str) -> (Read, Vec<Diagnostic>) {
        let file = Path::new("content/x.md");
        let full = format!("---\n{text}---\n");
        let source = YamlSource::new(file, &full, text, 2);
        let mut f = Fields::new(&source, yaml::parse(text).unwrap()).unwrap();
        let title: Option<String> = f.required("title");
        let edition: Option<i64> = f.optional("edition");
        let date: Option<Date> = f.optional("date");
        let _ = f.nested("author", |a| a.required::<String>("name"));
        let diags = f.finish();
        (title.map(|t| (t, edition, date)), diags)
    }

    #[test]
    fn reads_typed_fields() {
        let (v, d) = read("title: Bonjour\nedition: 3\ndate: 2020-04-16\n");
        assert!(d.is_empty(), "{d:?}");
        let (t, e, date) = v.unwrap();
        assert_eq!((t.as_str(), e), ("Bonjour", Some(3)));
        assert_eq!(date.unwrap().to_string(), "2020-04-16");
    }

    #[test]
    fn collects_every_problem_with_lines() {
        let (_, d) = read("edition: troisième\ndate: 2020-02-30\nauteur: x\nauthor:\n  nme: Léa\n");
        let codes: Vec<_> = d
            .iter()
            .map(|d| (d.code, d.location.as_ref().map(|l| l.line)))
            .collect();
        assert!(codes.contains(&("missing-field", Some(2))), "{codes:?}");
        assert!(codes.contains(&("wrong-type", Some(2))), "{codes:?}");
        assert!(codes.contains(&("bad-date", Some(3))), "{codes:?}");
        assert!(codes.contains(&("unknown-field", Some(4))), "{codes:?}");
        assert!(codes.contains(&("unknown-field", Some(6))), "{codes:?}");
        let auteur = d.iter().find(|d| d.message.contains("auteur")).unwrap();
        assert!(
            auteur.help.as_deref().unwrap_or("").contains("author"),
            "{auteur:?}"
        );
        let edition = d.iter().find(|d| d.message.contains("edition")).unwrap();
        assert!(
            edition.message.contains("\"troisième\""),
            "{}",
            edition.message
        );
    }

    #[test]
    fn thousands_of_unknown_fields_give_a_short_report_quickly() {
        let mut text = String::from("title: x\n");
        for i in 0..50_000 {
            text.push_str(&format!("champ_{i}: valeur {i}\n"));
        }
        let started = std::time::Instant::now();
        let (_, d) = read(&text);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        assert_eq!(d.len(), MAX_UNKNOWN_SHOWN + 1);
        assert!(d.iter().any(|d| d.message.contains("49990")), "{d:?}");
    }

    #[test]
    fn a_misspelt_required_field_is_one_error() {
        let (_, d) = read("titel: Bonjour\nauthor:\n  nom: Léa\n");
        let mut found: Vec<_> = d
            .iter()
            .map(|d| (d.code, d.location.as_ref().map(|l| l.line)))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [("unknown-field", Some(2)), ("unknown-field", Some(4))],
            "{d:?}"
        );
        // Without a likely match, the missing field is still reported.
        let (_, d) = read("zzz: Bonjour\n");
        assert!(d.iter().any(|d| d.code == "missing-field"), "{d:?}");
    }

    #[test]
    fn curly_quotes_around_a_whole_text() {
        assert_eq!(
            without_curly_quotes("“Lauretta Henry”").as_deref(),
            Some("Lauretta Henry")
        );
        assert_eq!(
            without_curly_quotes("«\u{a0}Mon stage\u{a0}»").as_deref(),
            Some("Mon stage")
        );
        assert_eq!(
            without_curly_quotes("‘Stagiaire’").as_deref(),
            Some("Stagiaire")
        );
        for kept in [
            "“Vis mon job” et “Back Stages”",
            "Lauretta",
            "“”",
            "l’école’",
            "«",
        ] {
            assert_eq!(without_curly_quotes(kept), None, "{kept}");
        }
    }

    #[test]
    fn unquoting_warns_with_the_line_in_straight_quotes() {
        let text = "name: “Lauretta Henry”\ntags: [“A”, B]\nplain: “x”\n";
        let file = Path::new("content/x.md");
        let full = format!("---\n{text}---\n");
        let source = YamlSource::new(file, &full, text, 2);
        let mut f = Fields::new(&source, yaml::parse(text).unwrap())
            .unwrap()
            .unquoting();
        let name: Option<String> = f.optional("name");
        let tags: Option<Vec<String>> = f.optional("tags");
        let _: Option<String> = f.optional("plain");
        let d = f.finish();
        assert_eq!(name.as_deref(), Some("Lauretta Henry"));
        assert_eq!(tags.unwrap(), ["A", "B"]);
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d.iter().all(|d| !d.is_error() && d.code == "curly-quotes"));
        assert!(
            d[0].help
                .as_deref()
                .unwrap()
                .contains("`name: \"Lauretta Henry\"`"),
            "{:?}",
            d[0].help
        );
        assert!(
            d[1].help.as_deref().unwrap().contains("`tags: [\"A\", B]`"),
            "{:?}",
            d[1].help
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("auther", &["author", "title"]),
            Some("author".into())
        );
        assert_eq!(did_you_mean("zzz", &["author", "title"]), None);
        assert_eq!(french_alias("Résumé"), Some("summary"));
    }
}
