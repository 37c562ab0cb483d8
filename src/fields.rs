//! Typed reading of YAML mappings (front matter and `site.yaml`) that collects
//! every problem instead of stopping at the first.
//!
//! A reader takes the fields it knows one by one, each through its
//! [`schema`] entry ([`Fields::read`], [`Fields::read_mapping`]), which says
//! whether it is required, what a blank value means and which rule it
//! carries; whatever is left at [`Fields::finish`] is an unknown field,
//! reported with a "did you mean" built from the schema's fields.

use std::path::Path;

use serde_json::{Map, Value};

use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Lines, Location};
use crate::i18n::{self, Text};
use crate::schema::{self, Blank, Field, Scope, Ty};
use crate::yaml::KeyIndex;

/// Where each key of a YAML text is in its file. Found once, when the text
/// is read, and kept with the page or section, so that a check made later
/// points at its key without reading the YAML again.
#[derive(Debug, Clone, Default)]
pub struct KeyPlaces {
    /// Every key's dotted path, one after another, in the order of `places`.
    /// Every page keeps its places until the end of a build: a map of
    /// strings took ~1.6 KiB a page, this a third of it.
    paths: Box<str>,
    /// Sorted by path.
    places: Box<[Place]>,
    /// 1-based line of the YAML's first line in the file.
    first_line: usize,
}

/// Where a key's path ends in [`KeyPlaces::paths`], and where the key is.
#[derive(Debug, Clone, Copy)]
struct Place {
    end: u32,
    line: u32,
    column: u32,
    len: u32,
}

impl KeyPlaces {
    pub fn scan(yaml: &str, first_line: usize) -> KeyPlaces {
        let mut keys = KeyIndex::scan(yaml).into_entries();
        keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut paths = String::with_capacity(keys.iter().map(|(p, _)| p.len()).sum());
        let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let places = keys
            .iter()
            .map(|(path, pos)| {
                paths.push_str(path);
                Place {
                    end: number(paths.len()),
                    line: number(pos.line),
                    column: number(pos.column),
                    len: number(pos.len),
                }
            })
            .collect();
        KeyPlaces {
            paths: paths.into_boxed_str(),
            places,
            first_line,
        }
    }

    /// The place of the key at exactly `path`.
    fn get(&self, path: &str) -> Option<&Place> {
        let path_of = |k: usize| {
            let start = k.checked_sub(1).map_or(0, |p| self.places[p].end as usize);
            self.paths.get(start..self.places[k].end as usize)
        };
        let mut range = 0..self.places.len();
        // Binary search by hand: a path is known by its neighbour's end.
        while range.start < range.end {
            let mid = range.start + (range.end - range.start) / 2;
            match path_of(mid)?.cmp(path) {
                std::cmp::Ordering::Less => range.start = mid + 1,
                std::cmp::Ordering::Greater => range.end = mid,
                std::cmp::Ordering::Equal => return self.places.get(mid),
            }
        }
        None
    }

    /// Whether the YAML has a key at exactly `path` (`consent`).
    pub fn has(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// The line in the file, column and length of the key at `path`
    /// (`author.name`), else of its nearest indexed parent.
    fn find(&self, path: &str) -> Option<(usize, usize, usize)> {
        let mut p = path;
        loop {
            if let Some(pos) = self.get(p) {
                let line = self.first_line + pos.line as usize - 1;
                return Some((line, pos.column as usize, pos.len as usize));
            }
            p = &p[..p.rfind('.')?];
        }
    }

    /// The key at `path` in `file` (whose text is `text`), else its nearest
    /// parent, else the YAML's first line.
    pub fn locate(&self, file: &Path, text: &str, path: &str) -> Location {
        match self.find(path) {
            Some((line, column, len)) => Location::in_text(file, text, line, column, len),
            None => Location::in_text(file, text, self.first_line.max(1), 1, 0).with_whole_line(),
        }
    }
}

/// The YAML text being read and where it sits in its file.
pub struct YamlSource<'a> {
    /// File as shown to the writer (relative to the site root).
    pub file: &'a Path,
    /// The whole file, for snippets.
    pub file_text: &'a str,
    places: KeyPlaces,
    /// Built on the first location asked for: finding a line by scanning the
    /// file each time made 50 000 unknown fields take minutes.
    lines: std::cell::OnceCell<Lines<'a>>,
    /// Keys (dotted paths) on lines left out because their YAML was wrong:
    /// such a field is not missing, it is unreadable (already reported).
    blanked: Vec<String>,
    /// A line left out had no key: any field may have been on it.
    blanked_unknown: bool,
}

impl<'a> YamlSource<'a> {
    pub fn new(file: &'a Path, file_text: &'a str, yaml: &str, first_line: usize) -> Self {
        YamlSource {
            file,
            file_text,
            places: KeyPlaces::scan(yaml, first_line),
            lines: std::cell::OnceCell::new(),
            blanked: Vec::new(),
            blanked_unknown: false,
        }
    }

    /// Marks the keys left out of the reading (see [`crate::yaml::Recovered`]).
    pub fn with_blanked(mut self, keys: Vec<String>, unknown: bool) -> Self {
        self.blanked = keys;
        self.blanked_unknown = unknown;
        self
    }

    /// Whether the field at `path` may be on a line left out for a YAML
    /// mistake: then its absence is not a mistake of its own.
    pub fn may_hold(&self, path: &str) -> bool {
        self.blanked_unknown
            || self.blanked.iter().any(|b| {
                path == b
                    || path
                        .strip_prefix(b.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            })
    }

    /// Location of the key at `path` (`author.name`), else of its nearest
    /// indexed parent, else of the YAML's first line.
    pub fn locate(&self, path: &str) -> Location {
        let lines = self.lines.get_or_init(|| Lines::new(self.file_text));
        match self.places.find(path) {
            Some((line, column, len)) => lines.location(self.file, line, column, len),
            None => self.location(1, 1, 0).with_whole_line(),
        }
    }

    /// The places of the keys, to keep once the reading is done.
    pub fn places(&self) -> &KeyPlaces {
        &self.places
    }

    /// Location of a 1-based line/column of the YAML text.
    pub fn location(&self, line: usize, column: usize, len: usize) -> Location {
        self.lines
            .get_or_init(|| Lines::new(self.file_text))
            .location(self.file, self.places.first_line + line - 1, column, len)
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
    fn expected() -> Text;
    fn read(value: &Value) -> Option<Self>;
    /// Diagnostic code of a wrong value.
    fn code() -> &'static str {
        "wrong-type"
    }
    /// Extra hint for a wrong value (e.g. did-you-mean on a choice).
    fn hint(_value: &Value) -> Option<Text> {
        None
    }
    /// Same, knowing how the writer wrote it, so the hint can show their
    /// own line fixed.
    fn hint_at(value: &Value, _written: &Written) -> Option<Text> {
        Self::hint(value)
    }
    /// An empty text (see [`Blank`]).
    fn is_blank(&self) -> bool {
        false
    }
    /// Whether the value turns on a [`crate::schema::Rule`]: given and not
    /// blank, or `true`.
    fn is_set(&self) -> bool {
        !self.is_blank()
    }
    /// Whether a wrong value is underlined where it is written rather than
    /// at its key: a misspelt word (`palette: vertt`) is the mistake.
    fn caret_on_value() -> bool {
        false
    }
    /// Whether a number is read as the text written (`phone: 0478000000`
    /// must keep its `0`, `+33…` its `+`).
    fn number_as_written() -> bool {
        false
    }
}

/// A field as the writer wrote it.
pub struct Written<'a> {
    /// The field's name (`expires`), without its parents.
    pub name: &'a str,
    /// The line where it is (or its parent's, for a flow mapping).
    pub line: &'a str,
}

impl Written<'_> {
    /// The writer's line with the value replaced by `value`, keeping the
    /// indentation and the key; `name: value` when the line is not the
    /// field's own.
    pub fn with_value(&self, value: &str) -> String {
        let content = self.line.trim_start_matches([' ', '-']);
        let head_len = self.line.len() - content.len();
        match content
            .strip_prefix(self.name)
            .and_then(|r| r.strip_prefix(':'))
        {
            Some(rest) => {
                let spaces = rest.len() - rest.trim_start().len();
                // A trailing comment, with the spaces before it.
                let comment = rest.find(" #").map_or("", |i| {
                    let value_end = rest[..i].trim_end().len();
                    &rest[value_end.max(spaces)..]
                });
                let key_end = head_len + self.name.len() + 1;
                format!(
                    "{}{}{value}{comment}",
                    &self.line[..key_end],
                    " ".repeat(spaces.max(1))
                )
            }
            None => format!("{}: {value}", self.name),
        }
    }
}

impl FieldValue for String {
    fn expected() -> Text {
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
    fn hint_at(_value: &Value, written: &Written) -> Option<Text> {
        Some(i18n::hint_text_value(written.with_value("\"…\"")))
    }
    fn is_blank(&self) -> bool {
        self.trim().is_empty()
    }
    fn number_as_written() -> bool {
        true
    }
}

impl FieldValue for bool {
    fn expected() -> Text {
        i18n::type_bool()
    }
    fn read(value: &Value) -> Option<Self> {
        value.as_bool()
    }
    fn is_set(&self) -> bool {
        *self
    }
    fn hint(value: &Value) -> Option<Text> {
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
    fn expected() -> Text {
        i18n::type_integer()
    }
    fn read(value: &Value) -> Option<Self> {
        value.as_i64()
    }
    fn hint_at(value: &Value, written: &Written) -> Option<Text> {
        // `edition: troisième`, `edition: "3"`.
        let text = value
            .as_str()
            .map(|s| crate::content::collation_key(s.trim()));
        let number = text.as_deref().and_then(|t| {
            t.parse::<i64>().ok().or_else(|| {
                const ORDINALS: [&[&str]; 10] = [
                    &["premier", "premiere", "1er", "1re", "un"],
                    &["deuxieme", "seconde", "second", "2e", "deux"],
                    &["troisieme", "3e", "trois"],
                    &["quatrieme", "4e", "quatre"],
                    &["cinquieme", "5e", "cinq"],
                    &["sixieme", "6e", "six"],
                    &["septieme", "7e", "sept"],
                    &["huitieme", "8e", "huit"],
                    &["neuvieme", "9e", "neuf"],
                    &["dixieme", "10e", "dix"],
                ];
                let n = ORDINALS.iter().position(|words| words.contains(&t))?;
                i64::try_from(n + 1).ok()
            })
        });
        let example = number.map_or("2".to_string(), |n| n.to_string());
        Some(i18n::hint_integer(written.with_value(&example)))
    }
}

/// A whole number ≥ 1 (page sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Positive(pub usize);

/// Only a fallback for [`Fields::read_or_default`], whose schema default
/// is checked by a test to read as a `Positive`.
impl Default for Positive {
    fn default() -> Self {
        Positive(1)
    }
}

impl FieldValue for Positive {
    fn expected() -> Text {
        i18n::type_positive()
    }
    fn hint(_value: &Value) -> Option<Text> {
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
    fn expected() -> Text {
        i18n::type_date()
    }
    fn read(value: &Value) -> Option<Self> {
        value.as_str().and_then(Date::parse)
    }
    fn code() -> &'static str {
        "bad-date"
    }
    fn hint(value: &Value) -> Option<Text> {
        Some(i18n::hint_date(written_value(value)))
    }
    fn hint_at(value: &Value, written: &Written) -> Option<Text> {
        let text = value.as_str().map(str::trim);
        let yes_no = match value {
            Value::Bool(b) => Some(*b),
            _ => match text.map(str::to_lowercase).as_deref() {
                Some("oui" | "vrai" | "yes" | "o") => Some(true),
                Some("non" | "faux" | "no" | "n") => Some(false),
                _ => None,
            },
        };
        if let Some(yes) = yes_no {
            let today = written.with_value(&Date::today().iso_day());
            return Some(match (written.name, yes) {
                ("withdrawn", true) => i18n::hint_withdrawn_date(&today),
                ("withdrawn", false) => i18n::hint_not_withdrawn(),
                _ => i18n::hint_date_not_yes_no(&today),
            });
        }
        if let Some(date) = text.and_then(french_order_date) {
            return Some(i18n::hint_date_as(written.with_value(&date)));
        }
        Self::hint(value)
    }
}

/// A date written in French order or with other separators (`12/09/2021`,
/// `12-09-2021`, `12.09.2021`, `1/9/2021`, `2021/09/12`, `2021-9-12`,
/// `12 septembre 2021`, `1er mai 2021`), as `YYYY-MM-DD` (a time that
/// follows is kept). Day/month order is French: `03/04/2021` is 3 April.
pub fn french_order_date(text: &str) -> Option<String> {
    let text = text.trim();
    let (day_part, time) = match text.split_once(['T', ' ']) {
        Some((d, t)) if t.contains(':') => (d, Some(t.trim())),
        _ => (text, None),
    };
    let date = numeric_date(day_part).or_else(|| worded_date(text))?;
    let iso = date.iso_day();
    if time.is_none() || worded_date(text).is_some() {
        return Some(iso);
    }
    let with_time = format!("{iso} {}", time.unwrap_or_default());
    Some(if Date::parse(&with_time).is_some() {
        with_time
    } else {
        iso
    })
}

fn numeric_date(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let [a, b, c] = parts[..] else { return None };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (a_n, b_n, c_n) = (number(a)?, number(b)?, number(c)?);
    let (year, month, day) = match (a.len(), c.len()) {
        (4, 1 | 2) => (a_n, b_n, c_n),
        (1 | 2, 4) => (c_n, b_n, a_n),
        _ => return None,
    };
    Date::from_ymd(
        i32::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
}

/// `12 septembre 2021`, `1er mai 2021`, `12 sept. 2021`.
fn worded_date(text: &str) -> Option<Date> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| crate::content::collation_key(w.trim_end_matches([',', '.'])))
        .collect();
    let [day, month, year] = &words[..] else {
        return None;
    };
    let day: u8 = day.strip_suffix("er").unwrap_or(day).parse().ok()?;
    const MONTHS: [&[&str]; 12] = [
        &["janvier", "janv"],
        &["fevrier", "fevr", "fev"],
        &["mars"],
        &["avril", "avr"],
        &["mai"],
        &["juin"],
        &["juillet", "juil"],
        &["aout"],
        &["septembre", "sept", "sep"],
        &["octobre", "oct"],
        &["novembre", "nov"],
        &["decembre", "dec"],
    ];
    let month = MONTHS
        .iter()
        .position(|names| names.contains(&month.as_str()))?;
    if year.len() != 4 {
        return None;
    }
    Date::from_ymd(year.parse().ok()?, u8::try_from(month + 1).ok()?, day)
}

/// A value as the writer wrote it, for a message: the text itself, or the
/// number or word YAML read.
fn written_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => show(other),
    }
}

impl FieldValue for Vec<String> {
    fn expected() -> Text {
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
    fn hint_at(value: &Value, written: &Written) -> Option<Text> {
        // The writer's words as the items of a list.
        let items: Vec<String> = match value {
            Value::Object(map) => map.keys().cloned().collect(),
            Value::Number(_) | Value::Bool(_) => vec![value.to_string()],
            _ => Vec::new(),
        };
        let items = if items.is_empty() {
            vec!["…".to_string(), "…".to_string()]
        } else {
            items
        };
        let list = items
            .iter()
            .map(|i| format!("\"{}\"", i.replace('"', "\\\"")))
            .collect::<Vec<_>>()
            .join(", ");
        Some(i18n::hint_list(written.with_value(&format!("[{list}]"))))
    }
}

/// The free `extra` map.
impl FieldValue for Map<String, Value> {
    fn expected() -> Text {
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
            fn expected() -> $crate::i18n::Text {
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
            fn hint(value: &serde_json::Value) -> Option<$crate::i18n::Text> {
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
            fn caret_on_value() -> bool {
                true
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
    /// The nested mappings read (`author`, `consent`), to recognise their
    /// fields written outside them.
    nested: Vec<NestedRead>,
    /// What is being read: decides which fields are required and known.
    scope: Option<Scope>,
    /// Fields read with a value that turns on a rule (`photo`, `minor: true`).
    set: Vec<&'static str>,
    /// Fields read that carry a rule, checked at [`Fields::finish`].
    ruled: Vec<&'static Field>,
    /// Fields taken through their schema entry.
    taken: Vec<&'static str>,
}

/// What a nested mapping asked for.
struct NestedRead {
    name: &'static str,
    known: Vec<&'static str>,
    /// Whether the mapping was absent from the text.
    absent: bool,
    /// Its required fields found missing, with the index of their
    /// diagnostic in the parent's list.
    missing: Vec<(&'static str, usize)>,
}

impl<'s> Fields<'s> {
    /// Reads `value`, which must be a mapping (null counts as empty).
    pub fn new(source: &'s YamlSource<'s>, value: Value) -> Result<Fields<'s>, Diagnostic> {
        Fields::nested_in(source, String::new(), value, None)
    }

    /// Reads the fields of `scope`: the schema's fields of that scope are
    /// the known ones, and its required ones are required.
    pub fn in_scope(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self.known = known_in(scope, &self.prefix);
        self
    }

    fn nested_in(
        source: &'s YamlSource<'s>,
        prefix: String,
        value: Value,
        scope: Option<Scope>,
    ) -> Result<Fields<'s>, Diagnostic> {
        let remaining = match value {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            other => {
                let field = prefix.trim_end_matches('.');
                // `name:Léa` under `author:` reads as one string: say why.
                let text = other.as_str().unwrap_or("");
                if let Some(key) = crate::yaml::missing_space_key(text) {
                    let location = source.locate(field);
                    // The glued line sits under its parent, indented.
                    let fix = format!(
                        "{}{}",
                        " ".repeat(location.column + 1),
                        crate::yaml::missing_space_fix(text, key)
                    );
                    return Err(
                        Diagnostic::error("yaml-syntax", i18n::yaml_missing_space(key))
                            .at(location)
                            .help(i18n::hint_yaml_missing_space(&fix)),
                    );
                }
                let message = if field.is_empty() {
                    i18n::yaml_not_a_map(kind_of(&other))
                } else {
                    i18n::wrong_type(field, i18n::type_map(), show(&other))
                };
                return Err(Diagnostic::error("not-a-map", message)
                    .at(source.locate(field))
                    .help(i18n::hint_yaml_map()));
            }
        };
        let known = scope.map_or_else(Vec::new, |s| known_in(s, &prefix));
        Ok(Fields {
            source,
            prefix,
            remaining,
            known,
            diagnostics: Vec::new(),
            missing: Vec::new(),
            nested: Vec::new(),
            unquote: false,
            scope,
            set: Vec::new(),
            ruled: Vec::new(),
            taken: Vec::new(),
        })
    }

    /// Reads `field`, a field of this mapping, as its schema entry says:
    /// required or not in this scope, a blank text absent or a mistake.
    pub fn read<T: FieldValue>(&mut self, field: &'static Field) -> Option<T> {
        let name = field.name();
        self.taken.push(name);
        debug_assert_eq!(self.path(name), field.key, "read from its own mapping");
        let required = self.is_required(field);
        let value = if required {
            self.required::<T>(name)
        } else {
            self.optional::<T>(name)
        };
        let value = match field.blank {
            Blank::Kept => value,
            Blank::Absent => value.filter(|v| !v.is_blank()),
            Blank::Error if required => value.filter(|v| {
                if v.is_blank() {
                    self.report_empty(name);
                }
                !v.is_blank()
            }),
            Blank::Error => value,
        };
        if value.as_ref().is_some_and(FieldValue::is_set) {
            self.set.push(name);
        }
        if field.rule.is_some() {
            self.ruled.push(field);
        }
        value
    }

    /// [`Fields::read`], with the schema's default when the field is absent
    /// or wrong (reported).
    pub fn read_or_default<T: FieldValue + Default>(&mut self, field: &'static Field) -> T {
        self.read(field).unwrap_or_else(|| {
            field
                .default
                .and_then(|text| crate::yaml::parse(text).ok())
                .and_then(|value| T::read(&value))
                .unwrap_or_default()
        })
    }

    /// Reads the mapping `field` (`author:`) with `read`; a required one
    /// that is absent is reported. `None` when absent or not a mapping.
    pub fn read_mapping<R>(
        &mut self,
        field: &'static Field,
        read: impl FnOnce(&mut Fields<'s>) -> R,
    ) -> Option<R> {
        let name = field.name();
        self.taken.push(name);
        let result = self.nested(name, read);
        if result.is_none() && self.is_required(field) {
            // Re-asked only to produce the "missing field" diagnostic (not
            // when it was there but not a mapping: that is reported).
            let _ = self.required::<Map<String, Value>>(name);
        }
        result
    }

    /// The schema's [`Field::plain`] fields of this mapping — declared only
    /// in the schema, with no Rust field — as plain values for templates,
    /// `null` when absent. Choices and mappings need a typed reader.
    pub fn read_untyped(&mut self) -> Map<String, Value> {
        let Some(scope) = self.scope else {
            return Map::new();
        };
        let parent = self.prefix.trim_end_matches('.').to_string();
        self.read_untyped_of(schema::fields_of(scope, &parent))
    }

    fn read_untyped_of(
        &mut self,
        fields: impl Iterator<Item = &'static Field>,
    ) -> Map<String, Value> {
        let mut values = Map::new();
        for field in fields.filter(|f| f.plain) {
            if self.taken.contains(&field.name()) {
                continue;
            }
            let value = match field.ty {
                Ty::Text | Ty::BundlePath | Ty::Link => self.read::<String>(field).map(Value::from),
                Ty::Date => self.read::<Date>(field).map(|d| Value::from(d.iso_day())),
                Ty::Bool => self.read::<bool>(field).map(Value::from),
                Ty::Integer => self.read::<i64>(field).map(Value::from),
                Ty::Positive => self.read::<Positive>(field).map(|p| Value::from(p.0)),
                Ty::List => self.read::<Vec<String>>(field).map(Value::from),
                Ty::Map => self.read::<Map<String, Value>>(field).map(Value::Object),
                Ty::Choice(_) | Ty::ChoiceList(_) | Ty::Mapping => continue,
            };
            values.insert(field.name().to_string(), value.unwrap_or(Value::Null));
        }
        values
    }

    fn is_required(&self, field: &Field) -> bool {
        match self.scope {
            Some(scope) => field.is_required_in(scope),
            None => !field.required.is_empty(),
        }
    }

    fn report_empty(&mut self, name: &str) {
        let path = self.path(name);
        self.diagnostics.push(
            Diagnostic::error("empty-field", i18n::empty_field(&path))
                .at(self.source.locate(&path))
                .help(i18n::hint_empty_field(name)),
        );
    }

    /// Reports the rules of the fields read (`photo` needs `photo_alt`)
    /// that are broken. A needed field on a line left out for a YAML
    /// mistake may be there: not reported.
    fn check_rules(&mut self) {
        for field in std::mem::take(&mut self.ruled) {
            let Some(rule) = field.rule else { continue };
            let name = field.name();
            if self.set.contains(&name)
                && !self.set.contains(&rule.needs)
                && !self.may_hold(rule.needs)
            {
                let location = self.locate(name);
                self.diagnostics.push(
                    Diagnostic::error(rule.code, (rule.message)())
                        .at(location)
                        .help((rule.hint)()),
                );
            }
        }
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
    fn required<T: FieldValue>(&mut self, name: &'static str) -> Option<T> {
        let found = self.optional(name);
        let path = self.path(name);
        if found.is_none()
            && !self.source.may_hold(&path)
            && !self
                .diagnostics
                .iter()
                .any(|d| d.label == Some(Text::verbatim(name)))
        {
            let parent = self.prefix.trim_end_matches('.').to_string();
            let location = self.source.locate(&parent);
            self.missing.push((name, self.diagnostics.len()));
            self.diagnostics.push(
                Diagnostic::error("missing-field", i18n::missing_field(&path))
                    .at(location)
                    .help(i18n::hint_missing_field(name, T::expected())),
            );
        }
        found
    }

    /// A field that may be absent; present with a wrong type is an error.
    fn optional<T: FieldValue>(&mut self, name: &'static str) -> Option<T> {
        self.known.push(name);
        let mut value = self.remaining.remove(name)?;
        if value.is_null() {
            return None;
        }
        if self.unquote {
            self.unquote_value(name, &mut value);
        }
        if T::number_as_written() {
            if let Some(written) = value.as_f64().and_then(|n| self.written_number(name, n)) {
                value = Value::String(written);
            }
        }
        match T::read(&value) {
            Some(v) => Some(v),
            None => {
                let path = self.path(name);
                let location = self.source.locate(&path);
                let written = Written {
                    name,
                    line: &location.line_text,
                };
                let help = T::hint_at(&value, &written);
                let location = if T::caret_on_value() {
                    at_value(location, name, &value)
                } else {
                    location
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        T::code(),
                        i18n::wrong_type(&path, T::expected(), show(&value)),
                    )
                    .at(location)
                    // Marks the field as reported so `required` does not
                    // also call it missing.
                    .label(Text::verbatim(name))
                    .maybe_help(help),
                );
                None
            }
        }
    }

    /// A nested mapping (`author:`), read by `read`. `None` when absent or
    /// not a mapping (reported).
    fn nested<R>(
        &mut self,
        name: &'static str,
        read: impl FnOnce(&mut Fields<'s>) -> R,
    ) -> Option<R> {
        self.known.push(name);
        let prefix = format!("{}.", self.path(name));
        let value = self.remaining.remove(name);
        let written = value.as_ref().and_then(Value::as_str).map(str::to_string);
        let scope = self.scope;
        let result = value.map(|v| Fields::nested_in(self.source, prefix.clone(), v, scope));
        let mut inner = match result {
            Some(Ok(inner)) => inner,
            other => {
                // Asked on an empty mapping only to learn its fields.
                let mut empty = Fields::nested_in(self.source, prefix, Value::Null, scope).ok()?;
                let _ = read(&mut empty);
                match other {
                    Some(Err(d)) => {
                        let d = match (d.code, empty.missing.first(), written) {
                            // `author: Léa`: show the field it was meant for.
                            ("not-a-map", Some((field, _)), Some(text)) => {
                                let location = self.locate(name);
                                let key_line = format!(
                                    "{}{name}:",
                                    " ".repeat(location.column.saturating_sub(1))
                                );
                                let field_line = format!(
                                    "{}{field}: {}",
                                    " ".repeat(location.column + 1),
                                    text.trim()
                                );
                                d.help(i18n::hint_nested_fields(&key_line, &field_line))
                            }
                            _ => d,
                        };
                        self.diagnostics.push(d.label(Text::verbatim(name)));
                    }
                    _ => self.nested.push(NestedRead {
                        name,
                        known: empty.known,
                        absent: true,
                        missing: Vec::new(),
                    }),
                }
                return None;
            }
        };
        inner.unquote = self.unquote;
        let result = read(&mut inner);
        let known = inner.known.clone();
        let (diagnostics, missing) = inner.finish_parts();
        let offset = self.diagnostics.len();
        self.diagnostics.extend(diagnostics);
        self.nested.push(NestedRead {
            name,
            known,
            absent: false,
            missing: missing.into_iter().map(|(n, i)| (n, offset + i)).collect(),
        });
        Some(result)
    }

    /// Takes curly quotes off a text, or off the texts of a list, and warns
    /// once for the field.
    /// The number `n` of `name:` as its line writes it (`+33478000000`),
    /// when the line holds it.
    fn written_number(&self, name: &str, n: f64) -> Option<String> {
        let location = self.source.locate(&self.path(name));
        let line = &location.line_text;
        let key = format!("{name}:");
        let rest = &line[line.find(&key)? + key.len()..];
        // Up to a comment, or the end of a flow mapping's entry.
        let written = rest
            .split(" #")
            .next()?
            .split([',', '}', ']'])
            .next()?
            .trim();
        let same = written.replace('_', "").parse::<f64>().ok() == Some(n);
        same.then(|| written.to_string())
    }

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
            i18n::hint_curly_quotes(format!("{name}: {}", yaml_quoted(first)))
        };
        self.diagnostics.push(
            Diagnostic::warning("curly-quotes", i18n::curly_quotes(&path))
                .at(location)
                .help(help),
        );
    }

    /// True when the field is present (and not yet taken).
    #[cfg(test)]
    pub fn has(&self, name: &str) -> bool {
        self.remaining.contains_key(name)
    }

    /// Whether the field `name` of this mapping has a value, read or not yet.
    pub fn holds(&self, name: &str) -> bool {
        self.remaining.get(name).is_some_and(|v| !v.is_null())
    }

    /// Where a field is, for checks made after reading (e.g. `photo_alt`).
    pub fn locate(&self, name: &str) -> Location {
        self.source.locate(&self.path(name))
    }

    /// Reports an extra problem found by the caller.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Whether the field `name` of this mapping may be on a line left out
    /// for a YAML mistake (see [`YamlSource::may_hold`]).
    pub fn may_hold(&self, name: &str) -> bool {
        self.source.may_hold(&self.path(name))
    }

    /// Reports unknown fields and returns every diagnostic.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.finish_parts().0
    }

    /// [`Fields::finish`], with the required fields still reported missing
    /// and the index of their diagnostic.
    fn finish_parts(mut self) -> (Vec<Diagnostic>, Vec<(&'static str, usize)>) {
        self.check_rules();
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
            if let Some(d) = self.misplaced(&key, &mut explained) {
                self.diagnostics.push(d);
                continue;
            }
            let suggestion = did_you_mean(&key, &self.known).or_else(|| {
                schema::alias(&key)
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
                None if self.is_testimonial_cover(&key) => i18n::hint_testimonial_cover(),
                None => i18n::hint_known_fields(&self.known),
            };
            // A key written `"":` would show as nothing.
            let named = if key.trim().is_empty() {
                format!("{}\"{key}\"", self.prefix)
            } else {
                path.clone()
            };
            self.diagnostics.push(
                Diagnostic::error("unknown-field", i18n::unknown_field(&named))
                    .at(self.source.locate(&path))
                    .help(help),
            );
        }
        // New index of each diagnostic kept.
        let mut kept = Vec::with_capacity(self.diagnostics.len());
        let mut next = 0;
        for i in 0..self.diagnostics.len() {
            if explained.contains(&i) {
                kept.push(None);
            } else {
                kept.push(Some(next));
                next += 1;
            }
        }
        let mut index = 0;
        self.diagnostics.retain(|_| {
            index += 1;
            !explained.contains(&(index - 1))
        });
        for d in &mut self.diagnostics {
            // The label was only a marker for `required`.
            if matches!(
                d.code,
                "wrong-type" | "bad-date" | "not-a-map" | "yaml-syntax"
            ) {
                d.label = None;
            }
        }
        let missing = self
            .missing
            .iter()
            .filter_map(|(name, i)| Some((*name, kept.get(*i).copied().flatten()?)))
            .collect();
        (self.diagnostics, missing)
    }

    /// `cover:` on a testimonial, whose picture is its author's photo.
    fn is_testimonial_cover(&self, key: &str) -> bool {
        self.scope == Some(Scope::Testimonial)
            && self.prefix.is_empty()
            && matches!(key, "cover" | "cover_alt")
    }

    /// `key`, unknown here, is a field of a nested mapping written outside
    /// it (`name:` not indented under `author:`): the mistake explained, and
    /// the "missing" errors it causes marked in `explained`.
    fn misplaced(&self, key: &str, explained: &mut Vec<usize>) -> Option<Diagnostic> {
        if self.known.contains(&key) {
            return None;
        }
        let parent = self.nested.iter().find(|n| n.known.contains(&key))?;
        let path = self.path(key);
        let location = self.source.locate(&path);
        let parent_path = self.path(parent.name);
        explained.extend(
            parent
                .missing
                .iter()
                .filter(|(name, _)| *name == key)
                .map(|(_, i)| *i),
        );
        let field = location.line_text.trim_start();
        let (column, key_line) = if parent.absent {
            // The parent itself is missing: its "missing" error says less.
            explained.extend(
                self.missing
                    .iter()
                    .filter(|(name, _)| *name == parent.name)
                    .map(|(_, i)| *i),
            );
            let column = location.column.saturating_sub(1);
            (
                column,
                Some(format!("{}{}:", " ".repeat(column), parent.name)),
            )
        } else {
            (
                self.source.locate(&parent_path).column.saturating_sub(1),
                None,
            )
        };
        let fix = format!("{}{field}", " ".repeat(column + 2));
        let help = match key_line {
            Some(key_line) => i18n::hint_nested_fields(&key_line, &fix),
            None => i18n::hint_indent_under(parent.name, &fix),
        };
        Some(
            Diagnostic::error(
                "misplaced-field",
                i18n::misplaced_field(&path, &parent_path),
            )
            .at(location)
            .help(help),
        )
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

/// The names of the schema's fields of `scope` in the mapping `prefix`
/// (`author.`): the fields an unknown one may be a typo of.
fn known_in(scope: Scope, prefix: &str) -> Vec<&'static str> {
    schema::fields_of(scope, prefix.trim_end_matches('.'))
        .map(Field::name)
        .collect()
}

/// What a value is, in the writer's language ("une liste", "du texte").
fn kind_of(value: &Value) -> Text {
    match value {
        Value::Null => i18n::kind_nothing(),
        Value::Bool(_) => i18n::type_bool(),
        Value::Number(_) => i18n::kind_number(),
        Value::String(_) => i18n::type_text(),
        Value::Array(_) => i18n::kind_list(),
        Value::Object(_) => i18n::type_map(),
    }
}

/// `at`, the location of the key `name`, moved onto its text `value` when
/// that is written after the key on the same line.
pub fn at_value(at: Location, name: &str, value: &Value) -> Location {
    let Some(word) = value.as_str().map(str::trim).filter(|w| !w.is_empty()) else {
        return at;
    };
    let line = &at.line_text;
    let after_key = line.find(&format!("{name}:")).map(|i| i + name.len() + 1);
    let Some(start) = after_key.and_then(|k| line[k..].find(word).map(|i| k + i)) else {
        return at;
    };
    Location {
        column: line[..start].chars().count() + 1,
        len: word.len(),
        ..at
    }
}

/// A short rendering of a value for messages.
pub fn show(value: &Value) -> String {
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

    /// Reads `text` as a testimonial's `date`, `consent` and `author`,
    /// returning every diagnostic.
    fn read_nested(text: &str) -> Vec<Diagnostic> {
        let file = Path::new("content/x.md");
        let full = format!("---\n{text}---\n");
        let source = YamlSource::new(file, &full, text, 2);
        let mut f = Fields::new(&source, yaml::parse(text).unwrap()).unwrap();
        let _: Option<Date> = f.optional("date");
        let _: Option<Vec<String>> = f.optional("tags");
        let _: Option<i64> = f.optional("edition");
        let _ = f.nested("consent", |c| {
            let _: Option<Date> = c.optional("expires");
            let _: Option<Date> = c.optional("withdrawn");
            let _: Option<bool> = c.optional("minor");
        });
        let author = f.nested("author", |a| a.required::<String>("name"));
        if author.is_none() && !f.has("author") {
            let _ = f.required::<Map<String, Value>>("author");
        }
        f.finish()
    }

    fn helps(diagnostics: &[Diagnostic]) -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| d.help.as_deref().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn dates_in_french_order_are_rewritten_on_the_writers_line() {
        for (written, iso) in [
            ("12/09/2021", "2021-09-12"),
            ("12-09-2021", "2021-09-12"),
            ("12.09.2021", "2021-09-12"),
            ("1/9/2021", "2021-09-01"),
            // Ambiguous: read in French order.
            ("03/04/2021", "2021-04-03"),
            ("2021/09/12", "2021-09-12"),
            ("2021-9-2", "2021-09-02"),
            ("12/09/2021 10:30", "2021-09-12 10:30"),
            ("12 septembre 2021", "2021-09-12"),
            ("1er mai 2021", "2021-05-01"),
            ("15 août 2021", "2021-08-15"),
        ] {
            assert_eq!(
                french_order_date(written).as_deref(),
                Some(iso),
                "{written}"
            );
        }
        for not_a_day in ["31/02/2021", "12/13/2021", "2020-02-30", "12/09/21", "hier"] {
            assert_eq!(french_order_date(not_a_day), None, "{not_a_day}");
        }
        let d = read_nested(
            "date: 12/09/2021\nconsent:\n    expires: 1.9.2031  # fin\nauthor:\n  name: L\n",
        );
        assert_eq!(
            helps(&d),
            [
                "les dates s'écrivent année-mois-jour : écrivez `date: 2021-09-12`",
                "les dates s'écrivent année-mois-jour : écrivez `    expires: 2031-09-01  # fin`",
            ],
            "{d:?}"
        );
    }

    #[test]
    fn a_yes_or_no_in_a_date_field_is_answered_with_a_date() {
        let today = Date::today().iso_day();
        let author = "author:\n  name: L\n";
        let d = read_nested(&format!("consent:\n  withdrawn: true\n{author}"));
        assert_eq!(d.len(), 1, "{d:?}");
        let help = d[0].help.clone().unwrap_or_default();
        assert!(
            help.contains(&format!(
                "écrivez la date du retrait : `  withdrawn: {today}`"
            )),
            "{help}"
        );
        let d = read_nested(&format!("consent:\n  withdrawn: non\n{author}"));
        assert!(helps(&d)[0].contains("supprimez-la"), "{d:?}");
        let d = read_nested(&format!("consent:\n  expires: oui\n{author}"));
        assert!(
            helps(&d)[0].contains(&format!("`  expires: {today}`")),
            "{d:?}"
        );
        // Not a date and not text: shown as written, never as « ».
        let d = read_nested(&format!("date: 2021\n{author}"));
        assert!(helps(&d)[0].contains("« 2021 »"), "{d:?}");
    }

    #[test]
    fn wrong_lists_and_numbers_get_the_writers_line_fixed() {
        let d = read_nested("tags:\n  numerique: oui\nedition: troisième\nauthor:\n  name: L\n");
        assert_eq!(
            helps(&d),
            [
                "écrivez une liste de textes entre crochets : `tags: [\"numerique\"]`",
                "écrivez un nombre entier, en chiffres : `edition: 3`",
            ],
            "{d:?}"
        );
    }

    #[test]
    fn a_nested_field_written_outside_its_mapping_is_explained() {
        // `name:` under an empty `author:`, not indented.
        let d = read_nested("author:\nname: Léa\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, "misplaced-field");
        assert_eq!(d[0].location.as_ref().map(|l| l.line), Some(3));
        assert!(helps(&d)[0].contains("`  name: Léa`"), "{:?}", d[0].help);
        // Without the mapping at all: the `consent:` line is part of the fix.
        let d = read_nested("minor: true\nauthor:\n  name: Léa\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            helps(&d)[0]
                .contains("`consent:` seul sur sa ligne, puis dessous, indenté : `  minor: true`"),
            "{:?}",
            d[0].help
        );
        let d = read_nested("name: Léa\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(helps(&d)[0].contains("`author:`"), "{d:?}");
        // `author: Léa`: the field it was meant for.
        let d = read_nested("author: Léa\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            helps(&d)[0]
                .contains("`author:` seul sur sa ligne, puis dessous, indenté : `  name: Léa`"),
            "{d:?}"
        );
        assert!(d[0].message.contains("`author`"), "{}", d[0].message);
    }

    #[test]
    fn fields_on_lines_left_out_are_not_also_missing() {
        let text = "title: a : b\nauthor:\n  name: \"Léa\nconsent:\n  minor: true\n";
        let file = Path::new("content/x.md");
        let full = format!("---\n{text}---\n");
        let read = yaml::parse_recovering(text, 2);
        assert_eq!(read.errors.len(), 2, "{:?}", read.errors);
        let source = YamlSource::new(file, &full, text, 2)
            .with_blanked(read.blanked_keys, read.blanked_unknown);
        let mut f = Fields::new(&source, read.value.unwrap()).unwrap();
        let title = f.required::<String>("title");
        let name = f.nested("author", |a| a.required::<String>("name"));
        let _ = f.nested("consent", |c| c.optional::<bool>("minor"));
        let d = f.finish();
        assert_eq!((title, name), (None, Some(None)));
        assert!(d.is_empty(), "{d:?}");
        assert!(source.may_hold("author.name") && !source.may_hold("author.role"));
        assert!(!source.may_hold("consent.minor") && !source.may_hold("titles"));
    }

    #[test]
    fn value_kinds_are_named_in_the_writers_language() {
        let file = Path::new("content/x.md");
        let source = YamlSource::new(file, "---\n- a\n---\n", "- a\n", 2);
        let Err(d) = Fields::new(&source, yaml::parse("- a\n").unwrap()) else {
            panic!("a list is not a map");
        };
        assert!(d.message.contains("(une liste)"), "{}", d.message);
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

    static LINK: Field = Field::new("link", Ty::Link, "Lien", "Link").plain();
    static SINCE: Field = Field::new("since", Ty::Date, "Depuis", "Since").plain();
    static TITLE: Field = Field::new("title", Ty::Text, "Titre", "Title");

    #[test]
    fn fields_without_a_typed_reader_are_read_as_plain_values() {
        let text = "title: T\nlink: https://a.example/\nsince: 12/09/2021\n";
        let file = Path::new("content/x.md");
        let full = format!("---\n{text}---\n");
        let source = YamlSource::new(file, &full, text, 2);
        let mut f = Fields::new(&source, yaml::parse(text).unwrap()).unwrap();
        let _: Option<String> = f.read(&TITLE);
        let values = f.read_untyped_of([&TITLE, &LINK, &SINCE].into_iter());
        assert_eq!(
            Value::Object(values),
            serde_json::json!({"link": "https://a.example/", "since": null})
        );
        let d = f.finish();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, "bad-date");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("auther", &["author", "title"]),
            Some("author".into())
        );
        assert_eq!(did_you_mean("zzz", &["author", "title"]), None);
        assert_eq!(schema::alias("Résumé"), Some("summary"));
    }
}
