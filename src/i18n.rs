//! The catalogue of every message meant for writers, in French (default) and
//! English (`LANG`/`LC_ALL` starting with `en`, or `--lang en`).
//!
//! Field names, paths and slugs are inserted verbatim in both languages.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// `en`, `en_GB.UTF-8`, `en-US` → English; anything else → French.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }

    /// From `LC_ALL`, then `LANG` (French when neither says English).
    pub fn from_env() -> Lang {
        let var = std::env::var("LC_ALL")
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| std::env::var("LANG").ok())
            .unwrap_or_default();
        Lang::from_tag(&var)
    }
}

/// The words printed before a diagnostic and its help (`error`,
/// `warning`, `help`).
pub fn level_words(lang: Lang) -> (&'static str, &'static str, &'static str) {
    match lang {
        Lang::Fr => ("erreur", "avertissement", "aide"),
        Lang::En => ("error", "warning", "help"),
    }
}

/// What follows a label before its text: « erreur : » in French (a space
/// before the colon), `error:` in English.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => " :",
        Lang::En => ":",
    }
}

/// A message for writers in both languages. Messages are made where the
/// fact is known, deep in the build, without knowing who reads them; the
/// terminal, the preview and the editor each show them in their reader's
/// language.
///
/// Boxed: a diagnostic holds three of them and travels in `Result`s.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Text(Box<Sides>);

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Sides {
    fr: String,
    en: String,
}

impl Text {
    pub fn new(fr: String, en: String) -> Text {
        Text(Box::new(Sides { fr, en }))
    }

    /// Words that are the same in both languages: a path, a quoted line,
    /// what a library said.
    pub fn verbatim(text: impl Into<String>) -> Text {
        let text = text.into();
        Text::new(text.clone(), text)
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.0.fr,
            Lang::En => &self.0.en,
        }
    }

    /// The same change made to both languages' texts.
    pub fn map(&self, f: impl Fn(&str) -> String) -> Text {
        Text::new(f(&self.0.fr), f(&self.0.en))
    }

    /// The texts put one after the other, `separator` between them.
    pub fn join(parts: &[Text], separator: &str) -> Text {
        let side = |lang| {
            parts
                .iter()
                .map(|p: &Text| p.get(lang))
                .collect::<Vec<_>>()
                .join(separator)
        };
        Text::new(side(Lang::Fr), side(Lang::En))
    }
}

/// A message carried through a library's error type (clap's, Tera's), to
/// be taken back out, whole, where it is shown.
#[derive(Debug, Clone)]
pub struct Carried(pub Text);

impl std::fmt::Display for Carried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.get(Lang::En))
    }
}

impl std::error::Error for Carried {}

impl Carried {
    /// The message of `error` if it carries one, else its own words.
    pub fn text_of(error: &(dyn std::error::Error + 'static)) -> Text {
        match error.downcast_ref::<Carried>() {
            Some(Carried(text)) => text.clone(),
            None => Text::verbatim(error.to_string()),
        }
    }
}

/// `message : reason` in French, `message: reason` in English.
pub fn with_reason(message: &Text, reason: &Text) -> Text {
    t(
        format!("{} : {}", message.get(Lang::Fr), reason.get(Lang::Fr)),
        format!("{}: {}", message.get(Lang::En), reason.get(Lang::En)),
    )
}

/// `message (aside)`.
pub fn in_parentheses(message: &Text, aside: &Text) -> Text {
    t(
        format!("{} ({})", message.get(Lang::Fr), aside.get(Lang::Fr)),
        format!("{} ({})", message.get(Lang::En), aside.get(Lang::En)),
    )
}

// Unit tests write their messages as plain strings, and read them in
// French, the default language, with `str`'s methods.
#[cfg(test)]
impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.get(Lang::Fr)
    }
}

#[cfg(test)]
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.get(Lang::Fr))
    }
}

#[cfg(test)]
impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::verbatim(text)
    }
}

#[cfg(test)]
impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::verbatim(text)
    }
}

/// Both languages' texts.
fn t(fr: String, en: String) -> Text {
    Text::new(fr, en)
}

/// A value put into a message: the same words in both languages (a name,
/// a number) or a [`Text`] of its own (a type, a character's name).
pub trait Part {
    fn side(&self, lang: Lang) -> std::borrow::Cow<'_, str>;
}

impl Part for str {
    fn side(&self, _: Lang) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self)
    }
}

impl Part for Text {
    fn side(&self, lang: Lang) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self.get(lang))
    }
}

impl Part for std::borrow::Cow<'_, str> {
    fn side(&self, _: Lang) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self)
    }
}

impl Part for String {
    fn side(&self, _: Lang) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self)
    }
}

impl<T: Part + ?Sized> Part for &T {
    fn side(&self, lang: Lang) -> std::borrow::Cow<'_, str> {
        (**self).side(lang)
    }
}

macro_rules! numbers_are_parts {
    ($($ty:ty),*) => {$(
        impl Part for $ty {
            fn side(&self, _: Lang) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Owned(self.to_string())
            }
        }
    )*};
}
numbers_are_parts!(char, i64, u16, u32, u64, u128, usize);

macro_rules! msg {
    ($name:ident($($arg:ident),*) => $fr:literal, $en:literal) => {
        pub fn $name($($arg: impl Part),*) -> Text {
            // A language may leave a value out (`yaml_other` in French).
            #[allow(unused_variables)]
            let fr = {
                $(let $arg = Part::side(&$arg, Lang::Fr);)*
                format!($fr)
            };
            #[allow(unused_variables)]
            let en = {
                $(let $arg = Part::side(&$arg, Lang::En);)*
                format!($en)
            };
            t(fr, en)
        }
    };
}

// --- Words of the published site, in the site's language ----------------------
// Not the writer's messages: these follow `site.yaml`'s `language`, passed
// explicitly.

/// « 3e édition », « 1re édition »; "3rd edition", "11th edition".
pub fn edition(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Fr if n == 1 => "1re édition".to_string(),
        Lang::Fr => format!("{n}e édition"),
        Lang::En => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix} edition")
        }
    }
}

/// The name of month `month` (1–12), as dates are written in the text.
pub fn month_name(lang: Lang, month: u8) -> &'static str {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = if lang == Lang::Fr { &FR } else { &EN };
    names[usize::from(month.clamp(1, 12)) - 1]
}

/// A day as messages write it: « 2 décembre 2026 », "2 December 2026".
pub fn long_date(date: crate::dates::Date) -> Text {
    Text::new(date.long(Lang::Fr), date.long(Lang::En))
}

/// How an internship's `format` is shown.
pub fn format_label(format: crate::content::Format, lang: Lang) -> &'static str {
    use crate::content::Format;
    match (format, lang) {
        (Format::OnSite, Lang::Fr) => "sur site",
        (Format::Remote, Lang::Fr) => "à distance",
        (Format::Hybrid, Lang::Fr) => "hybride",
        (Format::OnSite, Lang::En) => "on site",
        (Format::Remote, Lang::En) => "remote",
        (Format::Hybrid, Lang::En) => "hybrid",
    }
}

/// The accessible name of a task list's checkbox.
pub fn task_label(done: bool, lang: Lang) -> &'static str {
    match (done, lang) {
        (true, Lang::Fr) => "fait",
        (false, Lang::Fr) => "à faire",
        (true, Lang::En) => "done",
        (false, Lang::En) => "to do",
    }
}

// --- Types named in messages -------------------------------------------------
msg!(type_text() => "du texte", "text");
msg!(type_bool() => "true ou false", "true or false");
msg!(type_integer() => "un nombre entier", "a whole number");
msg!(type_positive() => "un nombre entier supérieur ou égal à 1", "a whole number of at least 1");
msg!(type_date() => "une date AAAA-MM-JJ", "a date YYYY-MM-DD");
msg!(type_list() => "une liste de textes", "a list of texts");
msg!(type_map() => "une liste de champs (clé: valeur)", "a map of fields (key: value)");

pub fn type_choice(choices: &[&str]) -> Text {
    let list = choices.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>();
    let (last, first) = list
        .split_last()
        .map(|(l, f)| (l.clone(), f.join(", ")))
        .unwrap_or_default();
    if first.is_empty() {
        return Text::verbatim(last);
    }
    t(
        format!("une de ces valeurs : {first} ou {last}"),
        format!("one of {first} or {last}"),
    )
}

// --- Fields ------------------------------------------------------------------
msg!(unknown_field(field) => "champ inconnu `{field}`", "unknown field `{field}`");
msg!(more_unknown_fields(count) =>
    "… et {count} autres champs inconnus (dont celui-ci)",
    "… and {count} more unknown fields (this one among them)");
msg!(misplaced_field(field, parent) =>
    "`{field}` est un champ de `{parent}`, mais il n'est pas indenté sous `{parent}:`",
    "`{field}` is a field of `{parent}`, but it is not indented under `{parent}:`");
msg!(hint_indent_under(parent, fix) =>
    "indentez-le sous `{parent}:`, de deux espaces de plus : `{fix}`",
    "indent it under `{parent}:`, two spaces further: `{fix}`");
msg!(hint_nested_fields(key_line, field_line) =>
    "écrivez `{key_line}` seul sur sa ligne, puis dessous, indenté : `{field_line}`",
    "write `{key_line}` alone on its line, then below it, indented: `{field_line}`");
msg!(missing_field(field) => "champ obligatoire `{field}` manquant", "required field `{field}` is missing");
msg!(wrong_type(field, expected, found) =>
    "`{field}` doit être {expected}, trouvé {found}",
    "`{field}` must be {expected}, found {found}");
msg!(hint_text_value(fix) =>
    "écrivez du texte, entre guillemets : `{fix}`",
    "write text, in quotes: `{fix}`");
msg!(hint_integer(fix) =>
    "écrivez un nombre entier, en chiffres : `{fix}`",
    "write a whole number, in digits: `{fix}`");
msg!(hint_list(fix) =>
    "écrivez une liste de textes entre crochets : `{fix}`",
    "write a list of texts in square brackets: `{fix}`");
msg!(hint_bool() => "écrivez `true` (oui) ou `false` (non)", "write `true` or `false`");
msg!(hint_positive() => "écrivez un nombre entier, 1 ou plus (par exemple `12`)", "write a whole number, 1 or more (for example `12`)");
msg!(did_you_mean(word) => "vouliez-vous dire `{word}` ?", "did you mean `{word}`?");
msg!(empty_field(field) => "le champ obligatoire `{field}` est vide", "required field `{field}` is empty");
msg!(hint_empty_field(field) =>
    "écrivez le texte après `{field}:`, entre guillemets s'il contient « : » (`{field}: \"Mon texte\"`)",
    "write the text after `{field}:`, in quotes if it contains \": \" (`{field}: \"My text\"`)");
msg!(hint_missing_field(field, expected) =>
    "ajoutez une ligne `{field}: …` ({expected})",
    "add a line `{field}: …` ({expected})");
msg!(hint_date(found) =>
    "écrivez la date sous la forme AAAA-MM-JJ, par exemple 2024-03-15 (« {found} » n'est pas une date du calendrier)",
    "write the date as YYYY-MM-DD, e.g. 2024-03-15 (\"{found}\" is not a calendar date)");
msg!(hint_date_as(fix) =>
    "les dates s'écrivent année-mois-jour : écrivez `{fix}`",
    "dates are written year-month-day: write `{fix}`");
msg!(hint_withdrawn_date(fix) =>
    "écrivez la date du retrait : `{fix}` (le témoignage n'est plus publié à partir de ce jour)",
    "write the date consent was withdrawn: `{fix}` (the testimonial is unpublished from that day)");
msg!(hint_not_withdrawn() =>
    "sans retrait, n'écrivez pas de ligne `withdrawn:` : supprimez-la",
    "without withdrawal, write no `withdrawn:` line: remove it");
msg!(hint_date_not_yes_no(fix) =>
    "ce champ attend une date, pas oui ou non : par exemple `{fix}`",
    "this field expects a date, not yes or no: for example `{fix}`");
msg!(kind_nothing() => "rien", "nothing");
msg!(kind_number() => "un nombre", "a number");
msg!(kind_list() => "une liste", "a list");
msg!(curly_quotes(field) =>
    "la valeur de `{field}` est entourée de guillemets typographiques (copiés d'un traitement de texte) : ils sont retirés, sinon ils seraient publiés avec elle",
    "the value of `{field}` is wrapped in curly quotes (pasted from a word processor): they are removed, or they would be published with it");
msg!(hint_curly_quotes(line) =>
    "écrivez la ligne avec des guillemets droits : `{line}`",
    "write the line with straight quotes: `{line}`");

/// An invisible or control character by its code and name, for messages:
/// `U+000C (saut de page)`.
pub fn char_name(c: char) -> Text {
    let code = format!("U+{:04X}", u32::from(c));
    let name = |lang| match (c, lang) {
        ('\u{0}', Lang::Fr) => Some("caractère nul"),
        ('\u{0}', Lang::En) => Some("null character"),
        ('\u{7}', Lang::Fr) => Some("sonnerie"),
        ('\u{7}', Lang::En) => Some("bell"),
        ('\u{8}', Lang::Fr) => Some("retour arrière"),
        ('\u{8}', Lang::En) => Some("backspace"),
        ('\u{b}', Lang::Fr) => Some("saut de ligne manuel d'un traitement de texte"),
        ('\u{b}', Lang::En) => Some("a word processor's manual line break"),
        ('\u{c}', Lang::Fr) => Some("saut de page"),
        ('\u{c}', Lang::En) => Some("form feed"),
        ('\u{1b}', Lang::Fr) => Some("échappement, début d'un code de terminal"),
        ('\u{1b}', Lang::En) => Some("escape, start of a terminal code"),
        ('\u{7f}', Lang::Fr) => Some("suppression"),
        ('\u{7f}', Lang::En) => Some("delete"),
        ('\u{a0}', Lang::Fr) => Some("espace insécable"),
        ('\u{a0}', Lang::En) => Some("no-break space"),
        ('\u{202f}', Lang::Fr) => Some("espace fine insécable"),
        ('\u{202f}', Lang::En) => Some("narrow no-break space"),
        ('\u{2007}' | '\u{2009}' | '\u{200a}', Lang::Fr) => Some("espace fine"),
        ('\u{2007}' | '\u{2009}' | '\u{200a}', Lang::En) => Some("thin space"),
        ('\u{200b}', Lang::Fr) => Some("espace de largeur nulle"),
        ('\u{200b}', Lang::En) => Some("zero-width space"),
        ('\u{200c}' | '\u{200d}' | '\u{2060}', Lang::Fr) => Some("liant invisible"),
        ('\u{200c}' | '\u{200d}' | '\u{2060}', Lang::En) => Some("invisible joiner"),
        ('\u{feff}', Lang::Fr) => Some("marque d'ordre des octets"),
        ('\u{feff}', Lang::En) => Some("byte order mark"),
        ('\u{ad}', Lang::Fr) => Some("trait d'union conditionnel"),
        ('\u{ad}', Lang::En) => Some("soft hyphen"),
        _ => None,
    };
    let side = |lang| match name(lang) {
        Some(name) => format!("{code} ({name})"),
        None => code.clone(),
    };
    t(side(Lang::Fr), side(Lang::En))
}
msg!(control_character(name) =>
    "caractère de contrôle {name} : invisible dans l'éditeur, il n'a pas sa place dans un texte",
    "control character {name}: invisible in the editor, it has no place in a text");
msg!(hint_control_character(fix) =>
    "supprimez-le ; s'il ne se voit pas, effacez la ligne et retapez-la : `{fix}`",
    "delete it; if it does not show, erase the line and type it again: `{fix}`");
msg!(escaped_control_character(name) =>
    "caractère de contrôle {name}, écrit avec `\\` dans cette valeur : invisible, il n'a pas sa place dans un texte publié",
    "control character {name}, written with `\\` in this value: invisible, it has no place in a published text");
msg!(hint_escaped_control_character() =>
    "retirez de la valeur la suite qui commence par `\\` (`\\u0007`, `\\a`, `\\x1b`…) ; gardez `\\n` seulement pour un retour à la ligne",
    "remove from the value the sequence that starts with `\\` (`\\u0007`, `\\a`, `\\x1b`…); keep `\\n` only for a line break");
msg!(hint_remove_control_escape(escape, fix) =>
    "retirez `{escape}` de la valeur : `{fix}`",
    "remove `{escape}` from the value: `{fix}`");
pub fn body_control_characters(names: &[Text]) -> Text {
    let list = Text::join(names, ", ");
    let (fr, en) = (list.get(Lang::Fr), list.get(Lang::En));
    if names.len() == 1 {
        t(
            format!("caractère de contrôle {fr}, invisible dans l'éditeur : il est remplacé par une espace, sinon la page ne serait pas du HTML valide"),
            format!("control character {en}, invisible in the editor: it is replaced with a space, or the page would not be valid HTML"),
        )
    } else {
        t(
            format!("caractères de contrôle {fr}, invisibles dans l'éditeur : ils sont remplacés par des espaces, sinon la page ne serait pas du HTML valide"),
            format!("control characters {en}, invisible in the editor: they are replaced with spaces, or the page would not be valid HTML"),
        )
    }
}
msg!(hint_body_control_character() =>
    "supprimez-les ; s'ils ne se voient pas, effacez la ligne à partir de la colonne indiquée et retapez-la",
    "delete them; if they do not show, erase the line from the column shown and type it again");
msg!(invisible_in_key(key, name) =>
    "le nom du champ `{key}` contient un caractère invisible, {name} : il est lu comme `{key}`",
    "the name of the field `{key}` holds an invisible character, {name}: it is read as `{key}`");
msg!(hint_invisible_in_key(fix) =>
    "écrivez la ligne sans lui : `{fix}`",
    "write the line without it: `{fix}`");
msg!(hint_yaml_map() =>
    "l'en-tête doit être une suite de lignes `champ: valeur`",
    "front matter must be lines of `field: value`");
msg!(yaml_not_a_map(kind) =>
    "l'en-tête doit contenir des champs `clé: valeur`, pas une valeur seule ({kind})",
    "front matter must hold `key: value` fields, not a single value ({kind})");

pub fn hint_known_fields(known: &[&str]) -> Text {
    let mut names: Vec<&str> = known.to_vec();
    names.sort_unstable();
    names.dedup();
    let list = names.join(", ");
    t(
        format!("champs possibles : {list} (ou rangez vos champs libres sous `extra:`)"),
        format!("possible fields: {list} (or put free fields under `extra:`)"),
    )
}

msg!(empty_line() => "(ligne vide)", "(empty line)");

// --- YAML and front matter ---------------------------------------------------
msg!(yaml_syntax(detail) => "YAML invalide : {detail}", "invalid YAML: {detail}");
msg!(yaml_tab() =>
    "tabulation dans l'indentation",
    "tab in the indentation");
msg!(yaml_duplicate_key(key) =>
    "le champ `{key}` apparaît deux fois",
    "field `{key}` appears twice");
msg!(hint_yaml_duplicate_key(key) =>
    "gardez une seule ligne `{key}:` (les deux valeurs ne peuvent pas coexister)",
    "keep a single `{key}:` line (both values cannot be kept)");
msg!(yaml_unclosed_quote(quote) =>
    "le guillemet {quote} ouvert ici n'est jamais fermé",
    "the {quote} quote opened here is never closed");
msg!(hint_yaml_unclosed_quote(quote, fix) =>
    "ajoutez {quote} à la fin de la valeur, sur la même ligne : `{fix}`",
    "add {quote} at the end of the value, on the same line: `{fix}`");
msg!(yaml_colon_in_value(key) =>
    "la valeur de `{key}` contient « : », que YAML lit comme une nouvelle clé",
    "the value of `{key}` contains \": \", which YAML reads as a new key");
msg!(hint_yaml_quote_value(fix) =>
    "mettez la valeur entre guillemets : `{fix}`",
    "put the value in quotes: `{fix}`");
msg!(yaml_missing_space(key) =>
    "il manque une espace après `{key}:`",
    "a space is missing after `{key}:`");
msg!(hint_yaml_missing_space(fix) =>
    "écrivez `{fix}`, avec une espace après les deux-points",
    "write `{fix}`, with a space after the colon");
msg!(yaml_inner_quote() =>
    "des guillemets à l'intérieur de la valeur la ferment trop tôt",
    "quotes inside the value close it too early");
msg!(hint_yaml_inner_double_quote(fix) =>
    "entourez la valeur de guillemets simples : `{fix}` (ou utilisez les guillemets français « … » à l'intérieur)",
    "wrap the value in single quotes: `{fix}` (or use other quotes inside)");
msg!(hint_yaml_inner_single_quote(fix) =>
    "entourez la valeur de guillemets doubles : `{fix}` (ou doublez l'apostrophe : `''`)",
    "wrap the value in double quotes: `{fix}` (or double the apostrophe: `''`)");
msg!(yaml_unclosed_bracket(open) =>
    "la liste ouverte par « {open} » n'est pas fermée sur sa ligne",
    "the list opened with \"{open}\" is not closed on its line");
msg!(hint_yaml_unclosed_bracket(close, fix) =>
    "ajoutez « {close} » à la fin de la ligne : `{fix}`",
    "add \"{close}\" at the end of the line: `{fix}`");
msg!(yaml_needs_quotes(sign) =>
    "une valeur ne peut pas commencer par « {sign} » sans guillemets : YAML réserve ce signe",
    "a value cannot start with \"{sign}\" without quotes: YAML reserves that sign");
msg!(yaml_bracket_value(open) =>
    "une valeur qui commence par « {open} » est lue comme une liste, et le texte qui la suit n'a pas sa place",
    "a value starting with \"{open}\" is read as a list, and the text after it does not fit");
msg!(yaml_bad_escape(sequence) =>
    "« {sequence} » n'est pas permis entre guillemets doubles, où la barre oblique inverse annonce un caractère spécial",
    "\"{sequence}\" is not allowed in double quotes, where a backslash starts a special character");
msg!(hint_yaml_bad_escape(fix) =>
    "entourez la valeur de guillemets simples, où `\\` n'a rien de spécial : `{fix}`",
    "wrap the value in single quotes, where `\\` is nothing special: `{fix}`");
msg!(hint_yaml_bad_escape_or_double(fix, doubled) =>
    "entourez la valeur de guillemets simples, où `\\` n'a rien de spécial : `{fix}`, ou doublez chaque barre oblique inverse : `{doubled}`",
    "wrap the value in single quotes, where `\\` is nothing special: `{fix}`, or double each backslash: `{doubled}`");
msg!(yaml_over_indented(key, above, line) =>
    "`{key}` est plus indenté que `{above}` (ligne {line}), qui a déjà une valeur : YAML lit cette ligne comme la suite de cette valeur",
    "`{key}` is indented more than `{above}` (line {line}), which already has a value: YAML reads this line as the rest of that value");
msg!(yaml_misaligned(key, sibling, line) =>
    "`{key}` n'est pas aligné sur `{sibling}` (ligne {line}) : les champs d'un même niveau commencent à la même colonne",
    "`{key}` is not aligned with `{sibling}` (line {line}): fields of one level start at the same column");
msg!(hint_yaml_align(other, fix) =>
    "alignez-le sur `{other}:`, avec le même nombre d'espaces : `{fix}`",
    "align it with `{other}:`, with the same number of spaces: `{fix}`");
msg!(hint_yaml_align_either(parent, fix, outer) =>
    "si ce champ fait partie de `{parent}`, écrivez `{fix}` ; sinon, `{outer}`",
    "if this field belongs to `{parent}`, write `{fix}`; otherwise, `{outer}`");
msg!(yaml_list_on_key_line(key) =>
    "la liste de `{key}` commence sur la même ligne que `{key}:`",
    "the list of `{key}` starts on the same line as `{key}:`");
msg!(hint_yaml_list_on_key_line(key_line, item_line) =>
    "écrivez `{key_line}` seul sur sa ligne, puis chaque élément sur une ligne en dessous : `{item_line}`",
    "write `{key_line}` alone on its line, then each item on a line below: `{item_line}`");
msg!(yaml_list_item_in_map() =>
    "un élément de liste (`- …`) se trouve au milieu de champs `clé: valeur`",
    "a list item (`- …`) sits among `key: value` fields");
msg!(hint_yaml_list_item_in_map() =>
    "un champ s'écrit `champ: valeur` ; les éléments `- …` d'une liste se placent sous leur champ (par exemple `tags:`), plus indentés que lui",
    "a field is written `field: value`; the `- …` items of a list go under their field (for example `tags:`), indented more than it");
msg!(yaml_not_a_list_item(line) =>
    "cette ligne est alignée sur les éléments de la liste de la ligne {line}, mais ne commence pas par `- `",
    "this line is aligned with the items of the list on line {line}, but does not start with `- `");
msg!(hint_yaml_list_item(as_item) =>
    "si c'est un élément de la liste, écrivez `{as_item}`",
    "if it is an item of the list, write `{as_item}`");
msg!(hint_yaml_list_item_or_field(as_item, parent, outside) =>
    "si c'est un élément de la liste, écrivez `{as_item}` ; si c'est un autre champ, alignez-le sur `{parent}:` : `{outside}`",
    "if it is an item of the list, write `{as_item}`; if it is another field, align it with `{parent}:`: `{outside}`");
msg!(yaml_no_colon() =>
    "cette ligne n'a pas de « : » : chaque ligne de l'en-tête s'écrit `champ: valeur`",
    "this line has no \": \": each front matter line is written `field: value`");
msg!(hint_yaml_continued_value(key, fix) =>
    "si elle continue la valeur de `{key}`, indentez-la : `{fix}` (ou écrivez toute la valeur sur une ligne, entre guillemets)",
    "if it continues the value of `{key}`, indent it: `{fix}` (or write the whole value on one line, in quotes)");
msg!(hint_yaml_no_colon() =>
    "ajoutez le nom du champ devant (`champ: valeur`), ou supprimez la ligne",
    "add the field name before it (`field: value`), or remove the line");
msg!(yaml_first_line_indented() =>
    "la première ligne commence par des espaces, pas les suivantes : les champs du premier niveau commencent tous en début de ligne",
    "the first line starts with spaces, the next ones do not: top-level fields all start at the beginning of the line");
msg!(hint_yaml_unindent(fix) =>
    "retirez les espaces du début : `{fix}`",
    "remove the leading spaces: `{fix}`");
msg!(yaml_too_deep(limit) =>
    "plus de {limit} niveaux imbriqués (listes ou champs les uns dans les autres) : vitrine ne lit pas au-delà",
    "more than {limit} nested levels (lists or fields inside each other): vitrine reads no further");
msg!(hint_yaml_too_deep() =>
    "un en-tête n'a besoin que de quelques niveaux : fermez les « [ » et « {{ » ouverts, ou réduisez l'indentation",
    "a front matter needs only a few levels: close the open \"[\" and \"{{\", or reduce the indentation");
msg!(yaml_too_large(limit) =>
    "plus de {limit} Mo de YAML : vitrine ne le lit pas",
    "more than {limit} MB of YAML: vitrine does not read it");
msg!(hint_yaml_too_large() =>
    "gardez dans l'en-tête les champs de la page ; un long texte va dans le corps, après la ligne `---`",
    "keep the page's fields in the front matter; long text goes in the body, after the `---` line");
msg!(yaml_anchors() =>
    "les ancres YAML (`&nom`, `*nom`) répètent ici trop de valeurs",
    "YAML anchors (`&name`, `*name`) repeat too many values here");
msg!(hint_yaml_anchors() =>
    "écrivez les valeurs en entier, sans `&nom` ni `*nom`",
    "write the values in full, without `&name` or `*name`");
msg!(yaml_other(detail) =>
    "cette ligne n'est pas du YAML valide",
    "{detail}");
msg!(hint_yaml_syntax() =>
    "vérifiez les guillemets, les deux-points et l'indentation (des espaces, jamais de tabulations)",
    "check quotes, colons and indentation (spaces, never tabs)");
msg!(hint_yaml_tab(fix) =>
    "remplacez les tabulations par des espaces : `{fix}`",
    "replace tabs with spaces: `{fix}`");
msg!(front_matter_unclosed() =>
    "l'en-tête commence par `---` mais n'est jamais fermé",
    "front matter starts with `---` but is never closed");
msg!(hint_front_matter_unclosed() =>
    "ajoutez une ligne `---` après le dernier champ de l'en-tête",
    "add a `---` line after the last front matter field");
msg!(front_matter_missing() =>
    "ce fichier n'a pas d'en-tête (les lignes entre `---` en haut du fichier)",
    "this file has no front matter (the lines between `---` at the top)");
msg!(hint_front_matter_missing() =>
    "commencez le fichier par :\n---\ntitle: \"Titre de la page\"\n---",
    "start the file with:\n---\ntitle: \"Page title\"\n---");
msg!(not_utf8(line) =>
    "le fichier n'est pas encodé en UTF-8 (octet invalide à la ligne {line})",
    "the file is not UTF-8 encoded (invalid byte on line {line})");
msg!(hint_not_utf8() =>
    "enregistrez-le en UTF-8 depuis votre éditeur (« Enregistrer sous » → encodage UTF-8)",
    "save it as UTF-8 from your editor (\"Save as\" → UTF-8 encoding)");
msg!(unreadable(detail) => "impossible de lire ce fichier : {detail}", "cannot read this file: {detail}");
/// Why a file could not be read, in the writer's language (the system's
/// own words are English).
pub fn io_reason(error: &std::io::Error) -> Text {
    t(io_reason_fr(error), error.to_string())
}

fn io_reason_fr(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    // Linux's numbers for the kinds std names only in newer versions.
    let reason = match (error.kind(), error.raw_os_error()) {
        (K::PermissionDenied, _) | (_, Some(1)) => "accès refusé",
        (K::NotFound, _) => "fichier ou dossier introuvable",
        (K::AlreadyExists, _) => "un fichier de ce nom existe déjà",
        (_, Some(28)) => "le disque est plein",
        (_, Some(122)) => "le quota de disque est dépassé",
        (_, Some(30)) => "le disque est en lecture seule",
        (_, Some(36)) => "le nom de fichier est trop long (255 octets au plus)",
        (_, Some(20)) => "une partie du chemin est un fichier, pas un dossier",
        (_, Some(21)) => "c'est un dossier, pas un fichier",
        (_, Some(39)) => "le dossier n'est pas vide",
        (_, Some(18)) => "déplacement impossible d'un disque à un autre",
        (_, Some(40)) => "trop de liens symboliques (une boucle ?)",
        // A mount point (a Docker volume) cannot be renamed or replaced.
        (_, Some(16)) => "le dossier est occupé : un point de montage (un volume Docker, par exemple) ou un dossier qu'un autre programme utilise ne peut être ni renommé ni remplacé",
        (K::AddrInUse, _) => "l'adresse est déjà utilisée par un autre programme",
        (K::AddrNotAvailable, _) => "cette adresse n'appartient pas à cet ordinateur",
        (K::InvalidData, _) => "le contenu n'est pas du texte UTF-8",
        (K::UnexpectedEof, _) => "le fichier est plus court que prévu (coupé ou abîmé)",
        _ => {
            return match error.raw_os_error() {
                Some(code) => format!("erreur du système (code {code})"),
                None => "erreur du système".to_string(),
            }
        }
    };
    reason.to_string()
}
msg!(hint_unreadable() =>
    "vérifiez que le fichier existe et que vous avez le droit de le lire",
    "check that the file exists and that you may read it");
msg!(walk_error(detail) => "impossible de parcourir le dossier : {detail}", "cannot walk the folder: {detail}");
msg!(symlink_loop(ancestor) =>
    "ce lien symbolique mène à `{ancestor}`, un dossier qui le contient : il formerait une boucle sans fin",
    "this symbolic link leads to `{ancestor}`, a folder that contains it: it would loop forever");
msg!(hint_symlink_loop() =>
    "supprimez ce lien, ou faites-le pointer vers un dossier en dehors de celui-ci",
    "remove the link, or point it at a folder outside this one");
msg!(symlink_broken(target) =>
    "ce lien symbolique mène à `{target}`, qui n'existe pas",
    "this symbolic link leads to `{target}`, which does not exist");
msg!(hint_symlink_broken() =>
    "corrigez le lien, ou supprimez-le s'il ne sert plus",
    "fix the link, or delete it if it is no longer needed");
msg!(symlink_cycle(chain) =>
    "ces liens symboliques mènent l'un à l'autre, sans jamais arriver à un fichier ou à un dossier : {chain}",
    "these symbolic links lead to each other and never reach a file or folder: {chain}");
msg!(hint_symlink_cycle() =>
    "faites pointer l'un d'eux vers un vrai fichier ou dossier, ou supprimez-les",
    "point one of them at a real file or folder, or delete them");
msg!(hint_walk_error() =>
    "un lien symbolique forme peut-être une boucle, ou un dossier n'est pas lisible",
    "a symbolic link may form a loop, or a folder is not readable");

// --- Content rules -----------------------------------------------------------
msg!(bad_slug(slug) => "le slug `{slug}` n'est pas valide", "the slug `{slug}` is not valid");
msg!(empty_slug() => "le slug est vide", "the slug is empty");
msg!(hint_bad_slug(suggestion) =>
    "un slug n'a que des minuscules sans accent, des chiffres et des tirets : essayez `{suggestion}`",
    "a slug has only lowercase ASCII letters, digits and dashes: try `{suggestion}`");
msg!(duplicate_url(url, other) =>
    "deux pages écriraient la même adresse `{url}` : ce fichier et `{other}`",
    "two pages would write the same URL `{url}`: this file and `{other}`");
msg!(hint_duplicate_url() =>
    "renommez l'un des fichiers ou donnez-lui un `slug:` différent",
    "rename one of the files or give it a different `slug:`");
msg!(hint_duplicate_section_url() =>
    "renommez l'un des dossiers : les noms de dossier ne gardent dans l'adresse que des minuscules sans accent",
    "rename one of the folders: folder names keep only unaccented lowercase letters in the address");
msg!(output_conflict(path, other) =>
    "ce fichier écrirait `{path}`, que {other} écrit déjà : l'un remplacerait l'autre",
    "this file would write `{path}`, which {other} already writes: one would replace the other");
msg!(output_generated() =>
    "vitrine (page de liste, recherche, flux ou plan du site)",
    "vitrine (list page, search, feed or sitemap)");
msg!(output_theme() =>
    "le thème",
    "the theme");
msg!(output_variant(file) =>
    "la version réduite de l'image {file}",
    "the resized copy of picture {file}");
msg!(hint_output_conflict() =>
    "renommez ce fichier (ou donnez à la page un `slug:` différent) ; pour remplacer un fichier du thème, placez-le dans `static/`",
    "rename this file (or give the page a different `slug:`); to replace a theme file, put yours in `static/`");
msg!(static_replaces_generated(path, title) =>
    "ce fichier prendrait la place de la page « {title} » (`{path}`), que vitrine écrit à partir de `site.yaml`",
    "this file would take the place of the page \"{title}\" (`{path}`), which vitrine writes from `site.yaml`");
msg!(static_replaces_sitemap_part(path) =>
    "ce fichier prendrait la place d'une partie du plan du site (`{path}`), que vitrine écrit quand le site dépasse 50 000 adresses : ces adresses disparaîtraient du plan",
    "this file would take the place of a part of the sitemap (`{path}`), which vitrine writes when the site has more than 50,000 addresses: those addresses would drop out of the sitemap");
msg!(hint_static_replaces_sitemap_part() =>
    "renommez ou retirez ce fichier de `static/` ; pour changer le plan du site, écrivez vos gabarits `sitemap.xml` et `sitemap_index.xml`",
    "rename this file or remove it from `static/`; to change the sitemap, write your own `sitemap.xml` and `sitemap_index.xml` templates");
msg!(hint_static_replaces_generated(rel) =>
    "pour écrire cette page vous-même, mettez son texte dans `content/{rel}` (une page du même chemin remplace la page générée), puis retirez ce fichier de `static/`",
    "to write this page yourself, put its text in `content/{rel}` (a page of the same path replaces the generated one), then remove this file from `static/`");
msg!(output_name_too_long(path, bytes, max) =>
    "l'adresse `{path}` contient un nom de {bytes} octets : les systèmes de fichiers n'en acceptent pas plus de {max}",
    "address `{path}` holds a name of {bytes} bytes: file systems accept at most {max}");
msg!(hint_output_name_too_long() =>
    "raccourcissez ce dont ce nom est tiré : le nom du fichier ou du dossier, le `slug:` de la page, ou l'étiquette",
    "shorten where this name comes from: the file or folder name, the page's `slug:`, or the tag");
msg!(slug_too_long(bytes, max) =>
    "l'adresse de cette page aurait un nom de {bytes} octets : les systèmes de fichiers n'en acceptent pas plus de {max}",
    "this page's address would hold a name of {bytes} bytes: file systems accept at most {max}");
msg!(hint_slug_too_long(suggestion) =>
    "donnez à la page un `slug:` plus court, par exemple `slug: {suggestion}`",
    "give the page a shorter `slug:`, for example `slug: {suggestion}`");
msg!(unused_file() =>
    "fichier non publié : aucune page ne l'utilise",
    "file not published: no page uses it");
msg!(hint_unused_file(link) =>
    "pour le publier, liez-le depuis une page de son dossier : `{link}` ; sinon, retirez-le de `content/`",
    "to publish it, link it from a page in its folder: `{link}`; otherwise, move it out of `content/`");
msg!(link_text() => "texte", "text");
msg!(picture_text() => "description", "description");
msg!(root_relative_link(dest) =>
    "le lien `{dest}` part de la racine du serveur et ne mène à aucune page de ce site : hébergé sous un sous-chemin, il sortirait du site",
    "link `{dest}` starts at the server's root and leads to no page of this site: hosted under a sub-path, it would leave the site");
msg!(hint_root_relative_link() =>
    "pour une page du site, écrivez `@/chemin/fichier.md` ; pour un autre site, l'adresse complète (`https://…`)",
    "for a page of the site, write `@/path/file.md`; for another site, the full address (`https://…`)");
msg!(unknown_programme(slug) =>
    "le programme `{slug}` n'existe pas",
    "programme `{slug}` does not exist");
msg!(hint_programmes(list) =>
    "programmes existants : {list}",
    "existing programmes: {list}");
msg!(hint_no_programmes() =>
    "créez d'abord le programme avec `vitrine new programme \"Nom\"`",
    "create the programme first with `vitrine new programme \"Name\"`");
msg!(minor_without_guardian() =>
    "un témoignage de mineur (`consent.minor: true`) exige l'accord d'un représentant légal",
    "a minor's testimonial (`consent.minor: true`) needs a guardian's consent");
msg!(hint_guardian() =>
    "une fois l'autorisation signée obtenue, ajoutez `guardian: true` sous `consent:`",
    "once the signed authorisation is obtained, add `guardian: true` under `consent:`");
msg!(programme_unpublished(slug) =>
    "le programme `{slug}` n'est pas publié (brouillon) : ce témoignage s'affichera sans lien vers lui",
    "programme `{slug}` is not published (draft): this testimonial will be shown without a link to it");
msg!(hint_programme_unpublished(file) =>
    "publiez le programme (retirez `draft: true` de `{file}`), ou retirez la ligne `programme:`",
    "publish the programme (remove `draft: true` from `{file}`), or remove the `programme:` line");
msg!(consent_missing() =>
    "ce témoignage n'a pas de bloc `consent:` : rien n'indique que l'accord de publication a été obtenu, ni si l'auteur ou l'autrice est mineur(e)",
    "this testimonial has no `consent:` block: nothing says that consent to publish was obtained, nor whether the author is a minor");
msg!(hint_consent_missing(today) =>
    "ajoutez à l'en-tête ce bloc, complété :\nconsent:\n  obtained: {today}   # date de l'accord écrit\n  minor: false   # true pour une personne mineure, avec guardian: true",
    "add this block to the front matter, filled in:\nconsent:\n  obtained: {today}   # date of the written consent\n  minor: false   # true for a minor, with guardian: true");
msg!(minor_surname_formatted(written) =>
    "le texte de cette page, une fois sa mise en forme lue, montre le nom de famille « {written} » : seul le prénom d'une personne mineure peut être publié",
    "this page's text, once its formatting is read, shows the surname \"{written}\": only a minor's first name may be published");
msg!(minor_full_name_formatted(name, file) =>
    "le texte de cette page, une fois sa mise en forme lue, nomme {name}, mineur ou mineure (voir `{file}`) : seul son prénom peut être publié",
    "this page's text, once its formatting is read, names {name}, a minor (see `{file}`): only the first name may be published");
msg!(hint_minor_surname_formatted(first) =>
    "le nom y est coupé par une mise en forme (`**`, `_`), une balise HTML ou un code comme `&#108;` : le lecteur le voit quand même ; écrivez seulement « {first} »",
    "the name is split by formatting (`**`, `_`), an HTML tag or a code such as `&#108;`: readers still see it; write only \"{first}\"");
msg!(minor_surname(surname) =>
    "le nom de famille « {surname} » d'une personne mineure serait publié ici : seul le prénom d'une personne mineure peut être publié (`consent.minor: true`)",
    "the surname \"{surname}\" of a minor would be published here: only a minor's first name may be published (`consent.minor: true`)");
msg!(minor_full_name(name, file) =>
    "« {name} » est une personne mineure (`{file}`) : son nom de famille serait publié ici, or seul le prénom d'une personne mineure peut être publié",
    "\"{name}\" is a minor (`{file}`): their surname would be published here, but only a minor's first name may be published");
msg!(hint_minor_name_only(first) =>
    "écrivez seulement le prénom (« {first} ») : avec le nom de famille, on pourrait retrouver cette personne mineure",
    "write the first name only (\"{first}\"): with the surname, this minor could be found");
msg!(hint_minor_surname_alone(first) =>
    "retirez ce nom de famille, ou remplacez-le par le prénom (« {first} »)",
    "remove this surname, or write the first name instead (\"{first}\")");
msg!(hint_minor_surname(first, phrase, entry) =>
    "écrivez seulement le prénom (« {first} ») ; si « {phrase} » n'est pas son nom mais des mots courants, ajoutez sous `consent:` du témoignage la ligne `surname_ok: {entry}`",
    "write the first name only (\"{first}\"); if \"{phrase}\" is not their name but ordinary words, add under `consent:` of the testimonial the line `surname_ok: {entry}`");
msg!(hint_minor_surname_elsewhere(first, phrase, entry, file) =>
    "écrivez seulement le prénom (« {first} ») ; si « {phrase} » désigne quelqu'un d'autre, ajoutez sous `consent:` de `{file}` la ligne `surname_ok: {entry}`",
    "write the first name only (\"{first}\"); if \"{phrase}\" is someone else, add under `consent:` of `{file}` the line `surname_ok: {entry}`");
msg!(minor_surname_in_url(url, surname) =>
    "l'adresse `{url}`, tirée du nom de ce fichier ou dossier, contient le nom de famille « {surname} » d'une personne mineure : seul le prénom d'une personne mineure peut être publié",
    "the address `{url}`, made from this file or folder name, contains the surname \"{surname}\" of a minor: only a minor's first name may be published");
msg!(hint_minor_surname_url(slug) =>
    "renommez le fichier ou le dossier, ou choisissez l'adresse dans l'en-tête : `slug: {slug}`",
    "rename the file or folder, or choose the address in the front matter: `slug: {slug}`");
msg!(minor_surname_in_file(surname) =>
    "le nom de ce fichier, publié avec la page, contient le nom de famille « {surname} » d'une personne mineure : seul le prénom d'une personne mineure peut être publié",
    "the name of this file, published with the page, contains the surname \"{surname}\" of a minor: only a minor's first name may be published");
msg!(hint_minor_surname_file() =>
    "renommez le fichier (par exemple `portrait.jpg`) et corrigez les lignes qui le citent (`photo:`, images du texte)",
    "rename the file (for example `portrait.jpg`) and update the lines that name it (`photo:`, pictures in the text)");
msg!(surname_ok_invalid(phrase) =>
    "« {phrase} » ne peut pas être accepté : une expression de `surname_ok` contient le nom de famille et au moins un autre mot, tels qu'écrits dans le texte",
    "\"{phrase}\" cannot be accepted: a `surname_ok` phrase holds the surname and at least one other word, as written in the text");
msg!(hint_surname_ok() =>
    "recopiez les mots exacts du texte autour du nom, par exemple `surname_ok: [\"petit déjeuner\"]` quand le nom est « Petit »",
    "copy the exact words of the text around the name, for example `surname_ok: [\"petit déjeuner\"]` when the surname is \"Petit\"");
msg!(too_many_terms(field, count, max) =>
    "{count} valeurs dans `{field}` : une page en accepte au plus {max} (chacune a sa page de liste, qui répète toutes les autres)",
    "{count} values in `{field}`: a page takes at most {max} (each gets a list page, which repeats all the others)");
msg!(hint_too_many_terms() =>
    "gardez les quelques mots-clés qui décrivent le mieux la page",
    "keep the few keywords that describe the page best");
msg!(too_many_terms_site(field, max) =>
    "le site a plus de {max} valeurs différentes de `{field}` : au-delà, chacune ferait une page de liste de plus",
    "the site has more than {max} different values of `{field}`: past that, each would add one more list page");
msg!(hint_too_many_terms_site() =>
    "réutilisez les valeurs existantes, ou retirez cette classification de `taxonomies:` dans site.yaml",
    "reuse existing values, or remove that taxonomy from `taxonomies:` in site.yaml");
/// `here`: the label is also written on the page warned; `elsewhere`: the
/// number of other pages writing it.
pub fn term_variant(written: &str, label: &str, here: bool, elsewhere: usize) -> Text {
    let (fr, en) = match (here, elsewhere) {
        (true, 0) => ("cette page".to_string(), "this page".to_string()),
        (true, 1) => (
            "cette page et sur une autre".to_string(),
            "this page and another one".to_string(),
        ),
        (true, n) => (
            format!("cette page et sur {n} autres"),
            format!("this page and {n} others"),
        ),
        (false, 1) => ("une autre page".to_string(), "another page".to_string()),
        (false, n) => (format!("{n} autres pages"), format!("{n} other pages")),
    };
    t(
        format!("« {written} » est écrit « {label} » sur {fr} : les deux ne font qu'une seule entrée, affichée « {label} » partout"),
        format!("\"{written}\" is written \"{label}\" on {en}: both are one entry, shown \"{label}\" everywhere"),
    )
}
msg!(letterless_tag(tag) =>
    "l'étiquette « {tag} » n'a ni lettre ni chiffre : elle n'aurait pas d'adresse",
    "the tag \"{tag}\" has no letter nor digit: it would have no address");
msg!(letterless_term(field, value) =>
    "la valeur « {value} » de `{field}` n'a ni lettre ni chiffre : elle n'aurait pas d'adresse",
    "the value \"{value}\" of `{field}` has no letter nor digit: it would have no address");
msg!(hint_letterless_term() =>
    "écrivez-la avec des lettres (« C++ », « Numérique »), ou retirez-la",
    "write it with letters (\"C++\", \"Digital\"), or remove it");
msg!(hint_term_variant(label) =>
    "écrivez « {label} » ici aussi, pour la même orthographe partout (c'est l'orthographe la plus utilisée)",
    "write \"{label}\" here too, for one spelling everywhere (it is the most used one)");
msg!(field_link_scheme(field, scheme) =>
    "`{field}` est une adresse `{scheme}:` : seuls les liens `https:`, `http:`, `mailto:` et les pages du site sont acceptés",
    "`{field}` is a `{scheme}:` address: only `https:`, `http:`, `mailto:` links and pages of the site are accepted");
msg!(field_link_no_scheme(field) =>
    "l'adresse de `{field}` ne commence pas par `https://` : le lien mènerait à une page inexistante de ce site",
    "the address in `{field}` does not start with `https://`: the link would lead to a missing page of this site");
msg!(field_link_relative(field) =>
    "`{field}` n'est ni une adresse complète (`https://…`) ni une page du site (`@/…`)",
    "`{field}` is neither a full address (`https://…`) nor a page of the site (`@/…`)");
msg!(field_link_broken(field, target) =>
    "`{field}` mène à `@/{target}`, qui n'existe pas",
    "`{field}` leads to `@/{target}`, which does not exist");
msg!(field_link_unpublished(field, target) =>
    "`{field}` mène à `@/{target}`, qui n'est pas publiée : le lien est retiré",
    "`{field}` leads to `@/{target}`, which is not published: the link is left out");
msg!(hint_field_link() =>
    "écrivez l'adresse complète (`https://…`), une adresse e-mail, ou une page du site (`@/programmes/vis-mon-job.md`)",
    "write the full address (`https://…`), an e-mail address, or a page of the site (`@/programmes/vis-mon-job.md`)");
msg!(hint_field_link_fixed(line) =>
    "écrivez `{line}`",
    "write `{line}`");
msg!(photo_without_alt() =>
    "la photo n'a pas de texte alternatif (`photo_alt`)",
    "the photo has no alternative text (`photo_alt`)");
msg!(hint_photo_alt() =>
    "ajoutez sous `author:` une ligne `photo_alt: \"…\"` décrivant la photo pour les personnes qui ne la voient pas",
    "add under `author:` a line `photo_alt: \"…\"` describing the photo for people who cannot see it");
msg!(cover_without_alt() =>
    "l'image de couverture n'a pas de texte alternatif (`cover_alt`)",
    "the cover picture has no alternative text (`cover_alt`)");
msg!(hint_cover_alt() =>
    "ajoutez une ligne `cover_alt: \"…\"` décrivant l'image pour les personnes qui ne la voient pas",
    "add a line `cover_alt: \"…\"` describing the picture for people who cannot see it");
msg!(cover_missing(cover) =>
    "l'image de couverture `{cover}` est introuvable à côté de la page",
    "cover picture `{cover}` is not found next to the page");
msg!(hint_cover_missing() =>
    "placez l'image dans le dossier de la page (page/index.md + page/couverture.jpg ; pour l'accueil, dans `content/`) et indiquez son nom exact",
    "put the picture in the page's folder (page/index.md + page/cover.jpg; for the home page, in `content/`) and give its exact name");
msg!(cover_outside(cover) =>
    "l'image de couverture `{cover}` est hors du dossier de la page : vitrine ne publie une couverture que depuis ce dossier",
    "cover picture `{cover}` is outside the page's folder: vitrine publishes a cover only from that folder");
msg!(hint_cover_outside() =>
    "copiez l'image dans le dossier de la page (page/index.md + page/couverture.jpg ; pour l'accueil, dans `content/`) et écrivez son seul nom, sans `../` ni `/` au début",
    "copy the picture into the page's folder (page/index.md + page/cover.jpg; for the home page, into `content/`) and write its name alone, without `../` or a leading `/`");
msg!(hint_testimonial_cover() =>
    "un témoignage n'a pas d'image de couverture : sa photo se donne sous `author:`, avec `photo:` et `photo_alt:`",
    "a testimonial has no cover picture: its picture is given under `author:`, with `photo:` and `photo_alt:`");
msg!(logo_without_alt() =>
    "le logo n'a pas de texte alternatif (`logo_alt`)",
    "the logo has no alternative text (`logo_alt`)");
msg!(hint_logo_alt() =>
    "ajoutez sous `identity:` une ligne `logo_alt: \"…\"` avec ce qu'écrit le logo (souvent le nom de l'établissement)",
    "add under `identity:` a line `logo_alt: \"…\"` with what the logo says (often the organisation's name)");
msg!(hint_old_logo_alt() =>
    "ajoutez sous `extra:` une ligne `logo_alt: \"…\"` avec ce qu'écrit le logo (souvent le nom de l'établissement) ; mieux, placez `logo` et `logo_alt` sous `identity:`",
    "add under `extra:` a line `logo_alt: \"…\"` with what the logo says (often the organisation's name); better, put `logo` and `logo_alt` under `identity:`");
msg!(logo_missing(logo) =>
    "le logo `{logo}` est introuvable dans le dossier `static/`",
    "logo `{logo}` is not found in the `static/` folder");
msg!(logo_outside_site(logo) =>
    "le logo `{logo}` est un lien symbolique qui mène hors du dossier du site : il ne peut pas être publié",
    "logo `{logo}` is a symbolic link leading outside the site folder: it cannot be published");
msg!(hint_logo_missing() =>
    "placez l'image dans `static/` (à côté de `site.yaml`) et indiquez son chemin depuis ce dossier, par exemple `logo.svg`",
    "put the image in `static/` (next to `site.yaml`) and give its path from that folder, e.g. `logo.svg`");
msg!(photo_missing(photo) =>
    "la photo `{photo}` est introuvable à côté de la page",
    "photo `{photo}` is not found next to the page");
msg!(hint_photo_missing() =>
    "placez la photo dans le dossier de la page (page/index.md + page/photo.jpg) et indiquez son nom exact",
    "put the photo in the page's folder (page/index.md + page/photo.jpg) and give its exact name");
msg!(consent_expired(date) =>
    "consentement expiré le {date} : ce témoignage n'est pas publié",
    "consent expired on {date}: this testimonial is not published");
msg!(programme_ends_before_start(end, start) =>
    "le programme finit le {end}, avant de commencer le {start}",
    "the programme ends on {end}, before it starts on {start}");
msg!(hint_programme_dates() =>
    "vérifiez les deux dates : `start` est le premier jour, `end` le dernier (AAAA-MM-JJ)",
    "check both dates: `start` is the first day, `end` the last (YYYY-MM-DD)");
msg!(consent_undated() =>
    "le bloc `consent:` n'a pas de date `obtained` : rien ne prouve que l'accord de publication a été donné",
    "the `consent:` block has no `obtained` date: nothing proves that consent to publish was given");
msg!(hint_consent_undated(today) =>
    "ajoutez la date de l'accord écrit, sous `consent:` : `  obtained: {today}`",
    "add the date of the written consent, under `consent:`: `  obtained: {today}`");
msg!(consent_not_yet(date) =>
    "l'accord de publication date du {date}, un jour à venir : ce témoignage n'est pas publié avant",
    "consent to publish is dated {date}, a day still to come: this testimonial is not published before");
msg!(hint_consent_not_yet() =>
    "si la date est une faute de frappe, corrigez-la ; sinon, reconstruisez le site ce jour-là pour le publier",
    "if the date is a typo, correct it; otherwise build the site again that day to publish it");
msg!(consent_ends_before_obtained(field, date, obtained) =>
    "`{field}` ({date}) est avant la date de l'accord (`consent.obtained` : {obtained}) : un accord ne peut pas finir avant d'être donné",
    "`{field}` ({date}) is before the consent's date (`consent.obtained`: {obtained}): consent cannot end before it is given");
msg!(hint_consent_dates_order(key, date) =>
    "vérifiez l'année et l'ordre jour-mois de `{key}: {date}` et de `obtained` (AAAA-MM-JJ)",
    "check the year and the day-month order of `{key}: {date}` and of `obtained` (YYYY-MM-DD)");
msg!(consent_withdrawal_planned(date) =>
    "retrait de l'accord prévu le {date} : le témoignage reste publié jusqu'à ce jour, puis il est retiré à la première construction ce jour-là ou après",
    "consent withdrawal planned for {date}: the testimonial stays published until that day, then leaves the site at the first build on or after it");
msg!(hint_consent_withdrawal_planned(date) =>
    "si `withdrawn: {date}` est une faute de frappe (l'année ?), corrigez-la ; un retrait déjà demandé s'écrit à la date du jour, et le témoignage est retiré à la construction suivante",
    "if `withdrawn: {date}` is a typo (the year?), correct it; a withdrawal already asked for is written with today's date, and the testimonial leaves at the next build");
msg!(consent_withdrawn(date) =>
    "consentement retiré le {date} : ce témoignage n'est pas publié",
    "consent withdrawn on {date}: this testimonial is not published");
msg!(hint_consent_renew() =>
    "pour le republier, obtenez un nouveau consentement et mettez à jour `consent:`",
    "to publish it again, obtain new consent and update `consent:`");
pub fn consent_expires_soon(date: &str, days: i64) -> Text {
    match days {
        0 => t(
            format!("le consentement expire le {date} (aujourd'hui : dernier jour publié)"),
            format!("consent expires on {date} (today: last day published)"),
        ),
        1 => t(
            format!("le consentement expire le {date} (demain)"),
            format!("consent expires on {date} (tomorrow)"),
        ),
        _ => t(
            format!("le consentement expire le {date} (dans {days} jours)"),
            format!("consent expires on {date} (in {days} days)"),
        ),
    }
}
msg!(hint_consent_expires_soon() =>
    "sans renouvellement, le témoignage sera retiré du site à la première construction après cette date",
    "without renewal, the testimonial leaves the site at the first build after that date");

msg!(bad_image(detail) =>
    "image illisible ou d'un format non pris en charge : {detail}",
    "unreadable or unsupported image: {detail}");
msg!(image_unsupported() =>
    "format non reconnu (ce fichier n'est pas une image JPEG, PNG ou WebP)",
    "unrecognised format (this file is not a JPEG, PNG or WebP image)");
msg!(image_damaged() =>
    "le fichier est abîmé ou incomplet",
    "the file is damaged or incomplete");
msg!(image_too_large() =>
    "l'image est trop grande pour être traitée",
    "the image is too large to process");
msg!(hint_image_too_large(width, height, max_side) =>
    "cette image fait {width} × {height} px : réduisez-la dans un logiciel de retouche ({max_side} px de côté suffisent largement), puis reconstruisez",
    "this picture is {width} × {height} px: shrink it in an image editor ({max_side} px on a side is plenty), then build again");
msg!(heavy_image(details) =>
    "photo lourde ({details}) : elle est publiée réduite, mais ralentit chaque construction et alourdit les sources du site",
    "heavy photo ({details}): it is published smaller, but it slows every build and weighs down the site's sources");
msg!(hint_heavy_image(max_side, max_mb, published) =>
    "réduisez la photo avant de l'ajouter : {max_side} px de côté et {max_mb} Mo au plus suffisent (le site la publie à {published} px de large au plus)",
    "shrink the photo before adding it: {max_side} px on a side and {max_mb} MB at most are plenty (the site publishes it at most {published} px wide)");
/// A file size in megabytes, one decimal (« 6,2 Mo », "6.2 MB").
pub fn megabytes(bytes: u64) -> Text {
    let tenths = (bytes + 50_000) / 100_000;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    t(format!("{whole},{tenth} Mo"), format!("{whole}.{tenth} MB"))
}
msg!(unsupported_picture(format) =>
    "image au format {format} : vitrine ne sait pas en retirer les métadonnées (position GPS, appareil, auteur), elle n'est donc jamais publiée",
    "{format} picture: vitrine cannot remove its metadata (GPS position, camera, author), so it is never published");
msg!(hint_unsupported_picture() =>
    "convertissez-la en JPEG, PNG ou WebP (« Exporter » ou « Enregistrer sous » dans une visionneuse), puis changez le nom du fichier là où la page l'utilise",
    "convert it to JPEG, PNG or WebP (\"Export\" or \"Save as\" in an image viewer), then change the file name where the page uses it");
msg!(cover_not_picture(cover) =>
    "`{cover}` n'est pas une image (JPEG, PNG, WebP ou SVG) : une couverture en est une",
    "`{cover}` is not a picture (JPEG, PNG, WebP or SVG): a cover must be one");
msg!(disguised_picture(format) =>
    "ce fichier est une image {format} sous un nom qui ne le dit pas : vitrine ne la publierait pas nettoyée de ses métadonnées (position GPS, appareil, auteur)",
    "this file is a {format} picture under a name that does not say so: vitrine would not publish it cleaned of its metadata (GPS position, camera, author)");
msg!(hint_disguised_picture() =>
    "donnez-lui l'extension de son format (`.jpg`, `.png`, `.webp`), puis changez son nom là où la page l'utilise",
    "give it its format's extension (`.jpg`, `.png`, `.webp`), then change its name where the page uses it");
msg!(static_picture_damaged(format) =>
    "cette image n'est pas un {format} lisible (abîmée, incomplète ou d'un autre format) : vitrine ne peut pas la publier sans ses métadonnées (position GPS, appareil, auteur)",
    "this picture is not a readable {format} (damaged, incomplete or of another format): vitrine cannot publish it without its metadata (GPS position, camera, author)");
msg!(hint_static_picture_damaged() =>
    "ouvrez-la dans une visionneuse et enregistrez-la de nouveau en JPEG, PNG ou WebP, sous une extension qui dit son format",
    "open it in an image viewer and save it again as JPEG, PNG or WebP, under an extension that says its format");
msg!(static_picture_uncleanable(format) =>
    "cette image ({format}) est publiée telle quelle, avec ses métadonnées (position GPS, appareil, auteur) : vitrine ne sait pas les retirer de ce format",
    "this picture ({format}) is published as it is, with its metadata (GPS position, camera, author): vitrine cannot remove them from this format");
msg!(hint_static_picture_uncleanable() =>
    "convertissez-la en JPEG ou en PNG, puis remplacez ce fichier",
    "convert it to JPEG or PNG, then replace this file");
msg!(unsafe_svg(reason) =>
    "dessin SVG refusé : {reason}",
    "SVG drawing refused: {reason}");
msg!(svg_unreadable(detail) => "le fichier n'est pas un SVG lisible ({detail})", "the file is not a readable SVG ({detail})");
msg!(svg_script() => "il contient un script (`<script>`)", "it holds a script (`<script>`)");
msg!(svg_event(name) =>
    "l'attribut `{name}` fait exécuter du code",
    "the `{name}` attribute runs code");
msg!(svg_javascript() => "il contient un lien `javascript:`", "it holds a `javascript:` link");
msg!(svg_html() => "il contient du HTML (`<foreignObject>`)", "it holds HTML (`<foreignObject>`)");
msg!(svg_entity() => "il déclare des entités XML (`<!ENTITY`)", "it declares XML entities (`<!ENTITY`)");
msg!(svg_external(what) =>
    "il charge un autre fichier ou site (`{what}`)",
    "it loads another file or site (`{what}`)");
msg!(hint_unsafe_svg() =>
    "un dessin publié ne peut ni exécuter de code ni charger autre chose que lui-même : retirez cet élément (Inkscape : Édition › Éditeur XML), enregistrez en « SVG simple », ou exportez le dessin en PNG",
    "a published drawing may neither run code nor load anything but itself: remove this element (Inkscape: Edit › XML Editor), save as \"Plain SVG\", or export the drawing as PNG");
msg!(hint_bad_image() =>
    "utilisez une photo JPEG, PNG ou WebP, et vérifiez qu'elle s'ouvre dans une visionneuse",
    "use a JPEG, PNG or WebP photo, and check that it opens in an image viewer");

msg!(logo_not_picture(logo) =>
    "`{logo}` n'est pas une image (JPEG, PNG, WebP ou SVG) : un logo en est une",
    "`{logo}` is not a picture (JPEG, PNG, WebP or SVG): a logo must be one");
msg!(hint_logo_not_picture() =>
    "indiquez le fichier du logo lui-même (par exemple `logo.svg` ou `logo.png`), placé dans `static/`",
    "give the logo's own file (e.g. `logo.svg` or `logo.png`), placed in `static/`");
msg!(picture_field(file, problem) =>
    "`{file}` : {problem}",
    "`{file}`: {problem}");

msg!(symlink_outside(target) =>
    "ce lien symbolique mène hors du dossier du site (vers `{target}`) : il est ignoré, rien n'en est lu ni publié",
    "this symbolic link leads outside the site folder (to `{target}`): it is ignored, nothing of it is read or published");
msg!(hint_symlink_outside() =>
    "copiez le fichier ou le dossier dans le site au lieu de le lier",
    "copy the file or folder into the site instead of linking it");
msg!(backup_file() =>
    "ce fichier ressemble à une copie de sauvegarde ou d'éditeur : il n'est jamais publié",
    "this file looks like a backup or editor copy: it is never published");
msg!(hint_backup_file() =>
    "supprimez-le, ou rangez-le hors de `content/`, s'il ne vous sert plus",
    "delete it, or move it out of `content/`, if you no longer need it");

// --- Markdown ----------------------------------------------------------------
msg!(broken_link(target) =>
    "le lien interne `@/{target}` ne mène à aucune page",
    "internal link `@/{target}` points to no page");
msg!(missing_file(dest) =>
    "le fichier `{dest}` n'existe pas (un lien relatif part du dossier de la page) : le lien ne mènera à rien",
    "file `{dest}` does not exist (a relative link starts from the page's folder): the link will lead nowhere");
msg!(missing_picture(dest) =>
    "l'image `{dest}` n'existe pas (un chemin relatif part du dossier de la page) : la page montrerait un cadre vide",
    "picture `{dest}` does not exist (a relative path starts from the page's folder): the page would show an empty frame");
msg!(picture_outside_site(dest) =>
    "l'image `{dest}` est un lien symbolique qui mène hors du dossier du site : elle n'est pas publiée, la page montrerait un cadre vide",
    "picture `{dest}` is a symbolic link leading outside the site folder: it is not published, the page would show an empty frame");
msg!(file_outside_site(dest) =>
    "le fichier `{dest}` est un lien symbolique qui mène hors du dossier du site : il n'est pas publié, ce lien mènerait à une page d'erreur",
    "file `{dest}` is a symbolic link leading outside the site folder: it is not published, this link would lead to an error page");
msg!(hint_missing_file() =>
    "vérifiez le nom du fichier, majuscules et extension comprises, et qu'il est bien dans le dossier de la page",
    "check the file name, capitals and extension included, and that the file is in the page's folder");
msg!(link_outside_content(dest) =>
    "`{dest}` mène hors du dossier `content/` : ce fichier n'est jamais publié",
    "`{dest}` leads outside the `content/` folder: that file is never published");
msg!(hint_link_outside_content() =>
    "placez le fichier dans `content/`, à côté de la page, ou dans `static/` et liez-le depuis la racine du site (`/fiche.pdf`)",
    "put the file in `content/`, beside the page, or in `static/` and link it from the site's root (`/fiche.pdf`)");
msg!(relative_page_link(dest) =>
    "`{dest}` est le fichier d'une page : ce lien ne mènera à rien sur le site",
    "`{dest}` is a page's file: this link will lead nowhere on the site");
msg!(broken_anchor(target, anchor) =>
    "la page `{target}` n'a pas de titre avec l'ancre `#{anchor}`",
    "page `{target}` has no heading with the anchor `#{anchor}`");
msg!(hint_link_path() =>
    "écrivez le chemin depuis le dossier content/, par exemple `@/temoignages/lea.md`",
    "write the path from the content/ folder, e.g. `@/temoignages/lea.md`");
pub fn hint_anchors(list: &str) -> Text {
    // "available anchors: " followed by nothing reads like a bug.
    if list.trim().is_empty() {
        return t(
            "cette page n'a aucun titre auquel lier : retirez la partie `#…` du lien, ou ajoutez à la page un titre `## …`".to_string(),
            "that page has no heading to link to: remove the `#…` part of the link, or add a `## …` heading to the page".to_string(),
        );
    }
    t(
        format!("ancres disponibles : {list}"),
        format!("available anchors: {list}"),
    )
}
msg!(image_without_alt(dest) =>
    "l'image `{dest}` n'a pas de texte alternatif",
    "image `{dest}` has no text alternative");
msg!(hint_image_alt(dest) =>
    "décrivez entre les crochets ce que montre l'image : `![Ce que montre l'image]({dest})` ; si elle est purement décorative, écrivez `![décoration]({dest})`",
    "describe between the brackets what the image shows: `![What the image shows]({dest})`; if it is purely decorative, write `![decoration]({dest})`");
msg!(link_to_unpublished(target) =>
    "le lien vers `@/{target}` est affiché sans lien : cette page n'est pas publiée",
    "the link to `@/{target}` is shown as plain text: that page is not published");

// --- Templates ---------------------------------------------------------------
msg!(template_error(detail) => "erreur de gabarit : {detail}", "template error: {detail}");
msg!(template_rendering(name) => "rendu de `{name}`", "rendering `{name}`");
msg!(template_in_page(page, chain) =>
    "en construisant `{page}` : {chain}",
    "while building `{page}`: {chain}");
msg!(template_undefined(variable, page) =>
    "variable `{variable}` inconnue dans le gabarit (en construisant `{page}`)",
    "unknown variable `{variable}` in the template (while building `{page}`)");
msg!(hint_template_undefined() =>
    "vérifiez l'orthographe, ou protégez-la : {{% if … is defined %}}",
    "check the spelling, or guard it: {{% if … is defined %}}");
msg!(same_error_elsewhere(count) =>
    "la même erreur touche {count} autres pages",
    "the same error affects {count} other pages");
msg!(template_missing(name) => "gabarit `{name}` introuvable", "template `{name}` not found");
msg!(hint_template_missing(list) =>
    "gabarits disponibles : {list}",
    "available templates: {list}");

// --- Config ------------------------------------------------------------------
msg!(config_missing(path) =>
    "fichier de configuration `{path}` introuvable",
    "configuration file `{path}` not found");
msg!(hint_config_missing() =>
    "créez un site avec `vitrine init DOSSIER`, ou indiquez le dossier du site avec `--root`",
    "create a site with `vitrine init DIR`, or give the site folder with `--root`");
msg!(bad_base_url(url) =>
    "`base_url` doit être une adresse complète http(s), trouvé \"{url}\"",
    "`base_url` must be a full http(s) address, found \"{url}\"");
msg!(hint_base_url() =>
    "par exemple `base_url: \"https://lycee.example/stages/\"`",
    "for example `base_url: \"https://lycee.example/stages/\"`");
msg!(unknown_theme(theme) =>
    "thème `{theme}` introuvable (ni dans themes/, ni intégré)",
    "theme `{theme}` not found (neither in themes/ nor built in)");
msg!(hint_themes(list) =>
    "thèmes disponibles : {list}",
    "available themes: {list}");

// --- Output ------------------------------------------------------------------
msg!(output_refused(path, reason) =>
    "refus d'écrire dans `{path}` : {reason}",
    "refusing to write into `{path}`: {reason}");
msg!(output_refused_resolved(path, resolved, reason) =>
    "refus d'écrire dans `{path}`, c'est-à-dire `{resolved}` : {reason}",
    "refusing to write into `{path}`, that is `{resolved}`: {reason}");
msg!(reason_root() => "c'est la racine du disque ou votre dossier personnel", "it is the filesystem root or your home folder");
msg!(reason_site() => "ce dossier contient le site lui-même", "it contains the site itself");
msg!(reason_content() => "c'est un dossier de sources du site", "it is a source folder of the site");
msg!(reason_foreign() =>
    "le dossier n'est pas vide et n'a pas été créé par vitrine (fichier `.vitrine-output` absent)",
    "the folder is not empty and was not created by vitrine (no `.vitrine-output` file)");
msg!(reason_symlink() => "c'est un lien symbolique", "it is a symbolic link");
msg!(reason_file() => "c'est un fichier, pas un dossier", "it is a file, not a folder");
msg!(reason_file_in_path(path) =>
    "`{path}` est un fichier, pas un dossier",
    "`{path}` is a file, not a folder");
msg!(reason_broken_link(path) =>
    "le lien symbolique `{path}` ne mène nulle part",
    "symbolic link `{path}` leads nowhere");
msg!(reason_path(detail) =>
    "ce chemin ne mène pas à un dossier possible ({detail})",
    "this path cannot lead to a folder ({detail})");
msg!(hint_output() =>
    "choisissez un dossier vide ou inexistant avec `--output`",
    "choose an empty or missing folder with `--output`");
msg!(write_failed(path, detail) =>
    "échec de l'écriture de `{path}` : {detail}",
    "failed to write `{path}`: {detail}");
msg!(body_unreadable(detail) =>
    "vitrine n'a pas pu relire le texte de cette page, qu'il avait mis de côté dans un fichier temporaire pendant la construction ({detail}) ; la page elle-même n'est pas en cause",
    "vitrine could not read back this page's text, which it had put aside in a temporary file during the build ({detail}); the page itself is fine");
msg!(hint_body_unreadable() =>
    "le site précédent est intact ; relancez la construction, et si cela se reproduit, vérifiez le disque du dossier temporaire ou choisissez-en un autre avec la variable TMPDIR",
    "the previous site is untouched; build again, and if it happens again, check the disk of the temporary folder or choose another one with the TMPDIR variable");
msg!(old_output_left(path) =>
    "le site remplacé n'a pas pu être supprimé : il reste dans `{path}`, et peut contenir des pages retirées depuis (un témoignage dont l'accord a été retiré, par exemple)",
    "the replaced site could not be deleted: it stays in `{path}`, and may hold pages taken off since (a testimonial whose consent was withdrawn, for instance)");
msg!(hint_old_output_left() =>
    "le nouveau site est en place ; rendez ses dossiers modifiables (`chmod -R u+w`) puis supprimez ce dossier, surtout s'il est à portée du serveur web",
    "the new site is in place; make its folders writable (`chmod -R u+w`), then delete this folder, above all if the web server can reach it");
msg!(hint_write_failed() =>
    "le site précédent est intact ; vérifiez l'espace disque et les droits du dossier",
    "the previous site is untouched; check disk space and folder permissions");

// --- Command line ------------------------------------------------------------
/// The words of `--help`, `--version` and usage errors that are not
/// messages with values: one table per language. clap speaks only English,
/// so `cli` builds its command and writes its errors from these.
#[derive(Debug)]
pub struct CliText {
    /// Headings, written as shown (`cli` hands clap what is before the colon).
    pub usage: &'static str,
    pub commands: &'static str,
    pub arguments: &'static str,
    pub options: &'static str,
    /// In usage lines: `vitrine [OPTIONS] <COMMANDE>`.
    pub options_tag: &'static str,
    /// Before the lists shown at the end of a help line or under an error.
    pub possible_values: &'static str,
    pub default_value: &'static str,
    /// The label of a suggestion under a usage error.
    pub tip: &'static str,
    /// Names of values in usage lines and help (`--root <DOSSIER>`).
    pub value_dir: &'static str,
    pub value_url: &'static str,
    pub value_address: &'static str,
    pub value_port: &'static str,
    pub value_kind: &'static str,
    pub value_title: &'static str,
    pub value_lang: &'static str,
    pub value_command: &'static str,
    /// The name of the testimonial kind shown by `new` (the other language's
    /// name stays accepted).
    pub kind_testimonial: &'static str,
    pub about: &'static str,
    pub about_build: &'static str,
    pub about_check: &'static str,
    pub about_serve: &'static str,
    pub about_new: &'static str,
    pub about_init: &'static str,
    pub about_help: &'static str,
    pub about_consents: &'static str,
    pub help_csv: &'static str,
    pub help_force: &'static str,
    pub value_file: &'static str,
    pub help_help: &'static str,
    pub help_version: &'static str,
    pub help_lang: &'static str,
    pub help_quiet: &'static str,
    pub help_verbose: &'static str,
    pub help_root: &'static str,
    pub help_drafts: &'static str,
    pub help_serve_drafts: &'static str,
    pub help_no_drafts: &'static str,
    pub help_output: &'static str,
    pub help_base_url: &'static str,
    pub help_bind: &'static str,
    pub help_port: &'static str,
    pub help_open: &'static str,
    pub help_kind: &'static str,
    pub help_title: &'static str,
    pub help_section: &'static str,
    pub help_init_dir: &'static str,
    pub help_command: &'static str,
}

const CLI_FR: CliText = CliText {
    usage: "Utilisation :",
    commands: "Commandes :",
    arguments: "Arguments :",
    options: "Options :",
    options_tag: "[OPTIONS]",
    possible_values: "valeurs possibles :",
    default_value: "par défaut :",
    tip: "aide",
    value_dir: "DOSSIER",
    value_url: "URL",
    value_address: "ADRESSE",
    value_port: "PORT",
    value_kind: "TYPE",
    value_title: "TITRE",
    value_lang: "LANGUE",
    value_command: "COMMANDE",
    kind_testimonial: "temoignage",
    about: "Générateur de sites pour les témoignages de stagiaires et les pages de programmes",
    about_build: "Construit le site dans le dossier de sortie (par défaut : public/)",
    about_check: "Vérifie tout (contenu, liens, gabarits) sans rien écrire",
    about_serve: "Prévisualise le site, rechargé à chaque enregistrement",
    about_new: "Crée une page à partir d'un modèle commenté",
    about_init: "Crée un nouveau site, prêt à construire",
    about_help: "Affiche cette aide, ou celle d'une commande",
    about_consents:
        "Registre des consentements : chaque témoignage, le plus urgent en premier (jamais publié)",
    help_csv: "Écrit aussi le registre dans ce fichier CSV (hors du site publié)",
    help_force:
        "Remplace le fichier de --csv même s'il n'est pas un registre déjà écrit par vitrine",
    value_file: "FICHIER",
    help_help: "Affiche l'aide",
    help_version: "Affiche la version",
    help_lang: "Langue des messages (par défaut : selon LANG/LC_ALL, sinon le français)",
    help_quiet: "N'affiche que les erreurs",
    help_verbose: "Affiche plus de détails (chaque avertissement, les durées)",
    help_root: "Dossier du site (celui de site.yaml)",
    help_drafts: "Inclut aussi les pages marquées `draft: true`",
    help_serve_drafts:
        "Montre les pages marquées `draft: true`, avec un bandeau « Brouillon » (par défaut)",
    help_no_drafts: "Cache les pages marquées `draft: true`, comme `build`",
    help_output: "Dossier de sortie (par défaut : public/ dans le dossier du site)",
    help_base_url: "Remplace le base_url de site.yaml (par exemple https://lycee.example/stages/)",
    help_bind: "Adresse d'écoute (celle par défaut ne montre l'aperçu qu'à cet ordinateur)",
    help_port: "Port d'écoute (le suivant libre s'il est déjà pris)",
    help_open: "Ouvre l'aperçu dans le navigateur",
    help_kind: "Type de page",
    help_title: "Titre de la page (le nom du fichier en est tiré)",
    help_section: "Dossier dans content/ (par défaut : la section de ce type)",
    help_init_dir: "Dossier où créer le site (vide ou inexistant)",
    help_command: "La commande dont afficher l'aide",
};

const CLI_EN: CliText = CliText {
    usage: "Usage:",
    commands: "Commands:",
    arguments: "Arguments:",
    options: "Options:",
    options_tag: "[OPTIONS]",
    possible_values: "possible values:",
    default_value: "default:",
    tip: "tip",
    value_dir: "DIR",
    value_url: "URL",
    value_address: "ADDRESS",
    value_port: "PORT",
    value_kind: "KIND",
    value_title: "TITLE",
    value_lang: "LANG",
    value_command: "COMMAND",
    kind_testimonial: "testimonial",
    about: "Static site generator for intern testimonials and programme pages",
    about_build: "Build the site into the output folder (default: public/)",
    about_check: "Validate everything (content, links, templates) and write nothing",
    about_serve: "Preview the site with live reload while you edit",
    about_new: "Create a new page from a commented template",
    about_init: "Create a new site that builds as-is",
    about_help: "Print this help, or the help of a command",
    about_consents: "Consent register: every testimonial, most urgent first (never published)",
    help_csv: "Also write the register to this CSV file (outside the published site)",
    help_force: "Replace the --csv file even if it is not a register vitrine wrote before",
    value_file: "FILE",
    help_help: "Print help",
    help_version: "Print version",
    help_lang: "Language of messages (default: from LANG/LC_ALL, else French)",
    help_quiet: "Only print errors",
    help_verbose: "Print more details (every warning, timings)",
    help_root: "Folder of the site (with site.yaml)",
    help_drafts: "Also build pages marked `draft: true`",
    help_serve_drafts: "Show pages marked `draft: true`, with a \"Draft\" banner (the default)",
    help_no_drafts: "Hide pages marked `draft: true`, as `build` does",
    help_output: "Output folder (default: public/ in the site folder)",
    help_base_url: "Replaces base_url of site.yaml (e.g. https://lycee.example/stages/)",
    help_bind: "Address to listen on (the default one shows the preview to this computer only)",
    help_port: "Port to listen on (the next free one is used if it is taken)",
    help_open: "Open the preview in the web browser",
    help_kind: "Kind of page",
    help_title: "Title of the page (the file name is made from it)",
    help_section: "Folder inside content/ (default: the section of that kind)",
    help_init_dir: "Folder to create the site in (must be empty or missing)",
    help_command: "The command to show the help of",
};

/// The command line's words in the current language.
pub fn cli(lang: Lang) -> &'static CliText {
    match lang {
        Lang::Fr => &CLI_FR,
        Lang::En => &CLI_EN,
    }
}

msg!(cli_invalid_value(value, arg) =>
    "valeur invalide `{value}` pour {arg}",
    "invalid value `{value}` for {arg}");
msg!(cli_value_required(arg) =>
    "il manque la valeur de {arg}",
    "a value is required for {arg} but none was supplied");
msg!(cli_unknown_argument(arg) =>
    "argument inattendu `{arg}`",
    "unexpected argument `{arg}`");
msg!(cli_unknown_command(command) =>
    "commande inconnue `{command}`",
    "unrecognized subcommand `{command}`");
msg!(cli_missing_arguments() =>
    "il manque ces arguments obligatoires :",
    "the following required arguments were not provided:");
msg!(cli_missing_command(command) =>
    "`{command}` attend une commande",
    "`{command}` requires a subcommand");
msg!(cli_conflict(arg, other) =>
    "{arg} ne peut pas être utilisé avec {other}",
    "the argument {arg} cannot be used with {other}");
msg!(cli_repeated(arg) =>
    "{arg} ne peut être donné qu'une fois",
    "the argument {arg} cannot be used multiple times");
msg!(cli_extra_value(value, arg) =>
    "valeur en trop `{value}` pour {arg}",
    "unexpected value `{value}` for {arg}");
msg!(cli_value_count(arg, expected, actual) =>
    "{arg} attend {expected} valeur(s), {actual} donnée(s)",
    "{arg} takes {expected} value(s), {actual} given");
msg!(cli_no_equals(arg) =>
    "donnez la valeur de {arg} après un signe `=`",
    "equal sign is needed when assigning values to {arg}");
msg!(cli_not_utf8() =>
    "un argument contient des caractères illisibles (pas en UTF-8)",
    "an argument is not valid UTF-8");
msg!(cli_bad_arguments() => "arguments invalides", "invalid arguments");
msg!(cli_similar_value(value) =>
    "une valeur proche existe : `{value}`",
    "a similar value exists: `{value}`");
msg!(cli_similar_argument(arg) =>
    "un argument proche existe : `{arg}`",
    "a similar argument exists: `{arg}`");
msg!(cli_similar_command(command) =>
    "une commande proche existe : `{command}`",
    "a similar subcommand exists: `{command}`");
msg!(cli_pass_as_value(arg, written) =>
    "pour donner `{arg}` comme valeur, écrivez `{written}`",
    "to pass `{arg}` as a value, use `{written}`");
msg!(cli_exists_there(written) =>
    "`{written}` existe",
    "`{written}` exists");
msg!(cli_remove_double_dash(command) =>
    "la commande `{command}` existe : retirez le `--` qui la précède",
    "subcommand `{command}` exists; to use it, remove the `--` before it");
msg!(cli_more_info(command) =>
    "Pour en savoir plus : `{command} --help`",
    "For more information, try `{command} --help`.");
msg!(cli_bad_bind() =>
    "l'adresse d'écoute est une adresse IP de cet ordinateur (127.0.0.1, ::1, 0.0.0.0…) ou `localhost`",
    "the address to listen on is an IP address of this computer (127.0.0.1, ::1, 0.0.0.0…) or `localhost`");
msg!(cli_bad_port() =>
    "le port est un nombre entier de 0 à 65535",
    "the port is a whole number from 0 to 65535");

// --- new / init --------------------------------------------------------------
msg!(file_exists(path) => "`{path}` existe déjà", "`{path}` already exists");
msg!(new_title_letterless(title) =>
    "le titre « {title} » n'a ni lettre ni chiffre : la page n'aurait pas de nom de fichier",
    "the title \"{title}\" has neither a letter nor a digit: the page would have no file name");
pub fn hint_new_title((fr, en): (&str, &str)) -> Text {
    t(
        format!("donnez un titre fait de mots, entre guillemets : `vitrine new {fr} \"Mon stage à la mairie\"`"),
        format!("give a title made of words, in quotes: `vitrine new {en} \"My internship at the town hall\"`"),
    )
}
msg!(hint_file_exists() =>
    "choisissez un autre titre, ou modifiez le fichier existant",
    "choose another title, or edit the existing file");
msg!(init_not_empty(path) => "le dossier `{path}` n'est pas vide", "folder `{path}` is not empty");
msg!(init_not_folder(path) =>
    "`{path}` est un fichier, pas un dossier",
    "`{path}` is a file, not a folder");
msg!(hint_init_not_empty() =>
    "choisissez un nouveau dossier : `vitrine init mon-site`",
    "choose a new folder: `vitrine init my-site`");
msg!(new_created(path) => "Page créée : {path}", "Page created: {path}");
msg!(new_preview(url) =>
    "Aperçu : {url} — lancez `vitrine serve`",
    "Preview: {url} — run `vitrine serve`");
msg!(new_draft() =>
    "C'est un brouillon : complétez les champs, puis retirez `draft: true` pour publier.",
    "It is a draft: fill in the fields, then remove `draft: true` to publish it.");
msg!(new_section_created(path) =>
    "Section créée : {path}",
    "Section created: {path}");
msg!(bad_section(path) =>
    "le dossier `{path}` n'est pas dans `content/`",
    "folder `{path}` is not inside `content/`");
msg!(hint_bad_section() =>
    "donnez un dossier de `content/`, par exemple `--section temoignages`",
    "give a folder of `content/`, for example `--section temoignages`");
msg!(section_other_kind(dir, found, wanted) =>
    "la section `{dir}` contient des pages `{found}`, pas `{wanted}`",
    "section `{dir}` holds `{found}` pages, not `{wanted}`");
msg!(hint_section_other_kind(wanted) =>
    "choisissez avec `--section` un dossier dont le `_index.md` déclare `kind: {wanted}`, ou un nouveau dossier",
    "choose with `--section` a folder whose `_index.md` declares `kind: {wanted}`, or a new folder");
msg!(hint_section_add_kind(wanted) =>
    "ajoutez la ligne `kind: {wanted}` dans ce `_index.md` si toute la section doit en contenir, ou choisissez un autre dossier",
    "add the line `kind: {wanted}` to this `_index.md` if the whole section should hold them, or choose another folder");
msg!(init_created(path) =>
    "Site créé dans {path}\nPour le prévisualiser : cd {path} && vitrine serve",
    "Site created in {path}\nTo preview it: cd {path} && vitrine serve");

// --- serve -------------------------------------------------------------------
msg!(serve_ready(url) =>
    "Aperçu disponible sur {url} (Ctrl-C pour arrêter). Les pages se rechargent à chaque enregistrement.",
    "Preview at {url} (Ctrl-C to stop). Pages reload on every save.");
msg!(serve_changed(files, ms) => "Modifié : {files} — reconstruit en {ms} ms", "Changed: {files} — rebuilt in {ms} ms");
msg!(serve_kept_last_good() =>
    "L'aperçu garde la dernière version correcte ; corrigez le fichier et enregistrez.",
    "The preview keeps the last good version; fix the file and save.");
msg!(serve_stopped() => "Aperçu arrêté.", "Preview stopped.");
msg!(serve_watch_failed(detail) =>
    "impossible de surveiller les fichiers ({detail}) : rechargez la page à la main",
    "cannot watch files ({detail}): reload the page by hand");
msg!(serve_public_bind(bind) =>
    "attention : l'aperçu écoute sur {bind}, il est visible des autres machines du réseau (l'éditeur, lui, reste réservé à cet ordinateur)",
    "warning: the preview listens on {bind} and is visible to other machines on the network (the editor stays reserved to this computer)");
msg!(port_in_use(port) => "le port {port} est déjà utilisé", "port {port} is already in use");
msg!(hint_port_in_use() => "choisissez un autre port avec `--port 8080`", "choose another port with `--port 8080`");
msg!(port_moved(port, next) =>
    "Le port {port} est déjà utilisé : l'aperçu utilise le port {next}.",
    "Port {port} is already in use: the preview uses port {next}.");
msg!(serve_failed(detail) => "impossible de démarrer l'aperçu : {detail}", "cannot start the preview: {detail}");
msg!(serve_no_good_build_yet() =>
    "Le site n'a pas encore pu être construit : l'aperçu l'affichera dès que l'erreur sera corrigée et le fichier enregistré.",
    "The site could not be built yet: the preview will show it as soon as the error is fixed and the file saved.");
msg!(serve_foreign_host(url) =>
    "Refusé : l'aperçu de vitrine ne répond qu'aux adresses de cet ordinateur. Ouvrez {url}",
    "Refused: the vitrine preview only answers to this computer's addresses. Open {url}");
msg!(serve_accept_died(detail) =>
    "l'aperçu ne peut plus accepter de connexions ({detail}) : vitrine serve s'arrête ; relancez `vitrine serve`",
    "the preview can no longer accept connections ({detail}): vitrine serve stops; run `vitrine serve` again");
msg!(serve_draft_banner() =>
    "Brouillon — cette page n'est pas publiée ; retirez la ligne `draft: true` pour la publier.",
    "Draft — this page is not published; remove the line `draft: true` to publish it.");
msg!(serve_draft_badge() => "Brouillon", "Draft");
msg!(serve_moved(url) =>
    "`base_url` a changé : l'aperçu est maintenant sur {url} (l'ancienne adresse y mène).",
    "`base_url` changed: the preview is now at {url} (the old address leads there).");
msg!(serve_waiting_title() => "Aperçu en attente", "Preview waiting");
msg!(serve_waiting_text() =>
    "Le site n'a pas encore pu être construit. Corrigez l'erreur indiquée ici et dans le terminal, puis enregistrez : cette page se rechargera toute seule.",
    "The site could not be built yet. Fix the error shown here and in the terminal, then save: this page reloads by itself.");

// --- Summaries ---------------------------------------------------------------
pub fn problem_count(errors: usize, warnings: usize) -> Text {
    let fr_e = if errors > 1 { "erreurs" } else { "erreur" };
    let fr_w = if warnings > 1 {
        "avertissements"
    } else {
        "avertissement"
    };
    let en_e = if errors == 1 { "error" } else { "errors" };
    let en_w = if warnings == 1 { "warning" } else { "warnings" };
    t(
        format!("{errors} {fr_e}, {warnings} {fr_w}"),
        format!("{errors} {en_e}, {warnings} {en_w}"),
    )
}

msg!(build_done(pages, files, ms, out) =>
    "Site construit : {pages} pages, {files} fichiers dans `{out}` en {ms} ms",
    "Site built: {pages} pages, {files} files in `{out}` in {ms} ms");
msg!(build_failed() =>
    "La construction a échoué ; le site précédent n'a pas été modifié.",
    "The build failed; the previous site was left untouched.");
msg!(build_interrupted() =>
    "Construction interrompue : rien n'a été écrit dans le dossier de sortie.",
    "Build interrupted: nothing was written to the output folder.");
msg!(check_done(pages, ms) =>
    "Vérification terminée : {pages} pages, aucune erreur ({ms} ms)",
    "Check finished: {pages} pages, no errors ({ms} ms)");
msg!(check_failed() => "La vérification a trouvé des erreurs.", "The check found errors.");
msg!(filter_not_a_date(text) =>
    "date_fr : `{text}` n'est pas une date AAAA-MM-JJ (un champ de date vide ? testez-le avec `{{% if … %}}`)",
    "date_fr: `{text}` is not a date YYYY-MM-DD (an empty date field? test it with `{{% if … %}}`)");
// --- Consent register ----------------------------------------------------------
pub fn consent_register_headings(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Fr => [
            "fichier",
            "nom publié",
            "mineur",
            "représentant légal",
            "obtenu le",
            "expire le",
            "retiré le",
            "statut",
        ],
        Lang::En => [
            "file",
            "published name",
            "minor",
            "guardian",
            "obtained",
            "expires",
            "withdrawn",
            "status",
        ],
    }
}
pub fn yes_no(yes: bool) -> Text {
    match yes {
        true => t("oui".into(), "yes".into()),
        false => t("non".into(), "no".into()),
    }
}
msg!(standing_invalid() => "non publié : fichier à corriger (vitrine check)", "not published: file to fix (vitrine check)");
msg!(standing_missing() => "publié sans consentement", "published without consent");
pub fn standing_expires_in(days: i64) -> Text {
    match days {
        0 => t(
            "expire aujourd'hui (dernier jour publié)".into(),
            "expires today (last day published)".into(),
        ),
        1 => t("expire demain".into(), "expires tomorrow".into()),
        _ => t(
            format!("expire dans {days} jours"),
            format!("expires in {days} days"),
        ),
    }
}
msg!(standing_published() => "publié", "published");
msg!(unknown_value() => "?", "unknown");
msg!(standing_not_yet(date) => "pas encore publié : publié à partir du {date}", "not yet published: published from {date}");
msg!(standing_draft() => "brouillon", "draft");
msg!(standing_expired() => "expiré", "expired");
msg!(standing_withdrawn() => "retiré", "withdrawn");
msg!(consent_register_empty() => "Aucun témoignage.", "No testimonials.");
pub fn consent_register_written(file: &str, count: usize) -> Text {
    let (fr, en) = if count == 1 {
        ("témoignage", "testimonial")
    } else {
        ("témoignages", "testimonials")
    };
    t(
        format!("Registre des consentements écrit dans `{file}` ({count} {fr})."),
        format!("Consent register written to `{file}` ({count} {en})."),
    )
}
pub fn consent_register_content_errors(count: usize) -> Text {
    if count == 1 {
        t(
            "1 fichier du contenu a des erreurs : le registre montre ce qui a pu en être lu (vitrine check les détaille).".into(),
            "1 content file has errors: the register shows what could be read of it (vitrine check details them).".into(),
        )
    } else {
        t(
            format!("{count} fichiers du contenu ont des erreurs : le registre montre ce qui a pu en être lu (vitrine check les détaille)."),
            format!("{count} content files have errors: the register shows what could be read of them (vitrine check details them)."),
        )
    }
}
msg!(csv_inside_site(file) =>
    "`{file}` est dans le dossier du site : le registre des consentements (des données personnelles) n'y est jamais écrit, car ce dossier part dans Git et sur le serveur",
    "`{file}` is in the site's folder: the consent register (personal data) is never written there, as that folder goes to Git and to the server");
msg!(csv_in_output(file) =>
    "`{file}` est dans un site construit par vitrine, prêt à publier : le registre n'y est jamais écrit",
    "`{file}` is in a site built by vitrine, ready to publish: the register is never written there");
msg!(csv_is_folder(file) =>
    "`{file}` est un dossier : donnez le nom du fichier à écrire",
    "`{file}` is a folder: give the name of the file to write");
msg!(csv_would_replace(file) =>
    "`{file}` existe et n'est pas un fichier CSV : le registre ne le remplace pas",
    "`{file}` exists and is not a CSV file: the register does not replace it");
msg!(csv_not_register(file) =>
    "`{file}` existe et n'est pas un registre des consentements (sa première ligne n'est pas celle du registre) : vitrine ne le remplace pas",
    "`{file}` exists and is not a consent register (its first line is not the register's): vitrine does not replace it");
msg!(hint_csv_force() =>
    "donnez un autre nom de fichier à `--csv`, ou ajoutez `--force` pour le remplacer quand même",
    "give `--csv` another file name, or add `--force` to replace it anyway");
msg!(csv_unusable(file, reason) =>
    "impossible d'écrire le registre dans `{file}` : {reason}",
    "cannot write the register to `{file}`: {reason}");
msg!(hint_csv_inside_site() =>
    "écrivez-le hors du site, par exemple `--csv ../consentements.csv`",
    "write it outside the site, for example `--csv ../consents.csv`");
msg!(non_conformities_missing(rate_fr, rate_en) =>
    "l'audit respecte {rate_fr} % des critères, mais `non_conformities` ne liste aucun défaut : la déclaration ne peut pas dire ce qui n'est pas accessible",
    "the audit meets {rate_en} % of the criteria, but `non_conformities` lists no problem: the statement cannot say what is not accessible");
msg!(hint_non_conformities_missing() =>
    "sous `accessibility:`, listez les défauts relevés par l'audit, un par ligne : `non_conformities:` puis `  - \"Les vidéos n'ont pas de sous-titres\"`",
    "under `accessibility:`, list the problems the audit found, one per line: `non_conformities:` then `  - \"Videos have no captions\"`");
msg!(next_audit_end(date) =>
    "L'audit d'accessibilité cesse de compter le {date} : ce jour-là, reconstruisez le site, la mention de chaque page passe à « non conforme ».",
    "The accessibility audit stops counting on {date}: rebuild the site that day, every page's mention then turns to \"not compliant\".");
msg!(next_expiry(date, file) =>
    "Prochaine date de consentement : {date} ({file}). Ce jour-là, reconstruisez le site : un témoignage y est dépublié ou publié.",
    "Next consent date: {date} ({file}). Rebuild the site that day: a testimonial is unpublished or published then.");
msg!(next_programme_change(date, file) =>
    "Prochain changement d'état d'un programme : {date} ({file}). Ce jour-là, reconstruisez le site : le programme ouvre, ou se termine et « Candidater » disparaît.",
    "Next change of a programme's state: {date} ({file}). Rebuild the site that day: the programme opens, or ends and \"Apply\" disappears.");

msg!(content_missing() =>
    "le dossier `content/` est introuvable : sans lui, le site serait vide",
    "the `content/` folder is missing: without it, the site would be empty");
msg!(content_empty() =>
    "le dossier `content/` est vide : le site serait vide (un partage réseau non monté ? une copie interrompue ?)",
    "the `content/` folder is empty: the site would be empty (a network share not mounted? an interrupted copy?)");
msg!(hint_content_missing() =>
    "remettez le dossier `content/` à côté de `site.yaml` (le site déjà publié n'a pas été modifié)",
    "put the `content/` folder back beside `site.yaml` (the site already published was left untouched)");
msg!(content_outside(target) =>
    "`content/` est un lien vers `{target}`, hors du dossier du site : vitrine ne lit rien hors du site",
    "`content/` is a link to `{target}`, outside the site's folder: vitrine reads nothing outside the site");
msg!(hint_content_outside() =>
    "remplacez le lien par le dossier lui-même, ou déplacez tout le site (avec `site.yaml`) dans ce dossier",
    "replace the link with the folder itself, or move the whole site (with `site.yaml`) into that folder");
// --- Institution pages -----------------------------------------------------------
msg!(bad_rate(text) =>
    "`{text}` n'est pas un taux de conformité : un pourcentage de 0 à 100 est attendu",
    "`{text}` is not a compliance rate: a percentage from 0 to 100 is expected");
msg!(hint_rate() =>
    "écrivez la part des critères respectés, par exemple `rate: \"87,5 %\"`",
    "write the share of criteria met, for example `rate: \"87.5 %\"`");
msg!(rate_fraction(text) =>
    "`{text}` se lit {text} % : un taux de conformité s'écrit en pourcentage, de 0 à 100",
    "`{text}` reads as {text} %: a compliance rate is written as a percentage, from 0 to 100");
msg!(hint_rate_fraction(percent, exact) =>
    "pour une part des critères, écrivez `{percent}` ; si le taux est vraiment si bas, écrivez `{exact}`",
    "for a share of the criteria, write `{percent}`; if the rate really is that low, write `{exact}`");
msg!(rate_spelling(text) =>
    "`{text}` n'est pas écrit comme un taux de conformité : un nombre de 0 à 100 en chiffres, avec au plus une virgule et suivi ou non de « % », est attendu",
    "`{text}` is not written as a compliance rate: a number from 0 to 100 in digits, with at most one decimal point and `%` or not, is expected");
msg!(hint_rate_written(fix) =>
    "écrivez `{fix}`",
    "write `{fix}`");
msg!(audit_incomplete(key) =>
    "l'audit d'accessibilité n'est pas complet : il manque `{key}`",
    "the accessibility audit is incomplete: `{key}` is missing");
msg!(hint_audit_incomplete() =>
    "un audit, c'est sa date (`audit_date`), qui l'a fait (`audited_by`) et son taux (`rate`) ; sans audit, retirez les trois : le site est alors déclaré non conforme",
    "an audit is its date (`audit_date`), who made it (`audited_by`) and its rate (`rate`); without an audit, remove all three: the site is then declared not compliant");
msg!(bad_today(value) =>
    "la variable d'environnement `VITRINE_TODAY` vaut « {value} », qui n'est pas une date : vitrine ne sait pas quel jour appliquer aux règles de publication",
    "the environment variable `VITRINE_TODAY` is \"{value}\", which is not a date: vitrine cannot tell which day to apply the publication rules for");
msg!(hint_bad_today() =>
    "elle sert aux essais et à prévoir une publication : écrivez un jour AAAA-MM-JJ (`VITRINE_TODAY=2026-01-15`), ou retirez-la pour la date du jour",
    "it is for tests and for previewing a publication: write a day as YYYY-MM-DD (`VITRINE_TODAY=2026-01-15`), or unset it for today's date");
msg!(audit_outdated(date, end) =>
    "l'audit d'accessibilité du {date} a plus de trois ans (il valait jusqu'au {end}) : le site est déclaré non conforme",
    "the accessibility audit of {date} is more than three years old (valid until {end}): the site is declared not compliant");
msg!(audit_ending(last, days) =>
    "l'audit d'accessibilité vaut jusqu'au {last} : il faut le refaire d'ici {days}",
    "the accessibility audit is valid until {last}: it must be redone within {days}");
/// « 1 jour », « 26 jours »; "1 day", "26 days".
pub fn day_count(days: i64) -> Text {
    match days {
        1 | -1 => t(format!("{days} jour"), format!("{days} day")),
        _ => t(format!("{days} jours"), format!("{days} days")),
    }
}
msg!(hint_audit_renew() =>
    "faites refaire l'audit RGAA, puis mettez à jour `audit_date`, `audited_by` et `rate` dans `site.yaml`",
    "have the RGAA audit made again, then update `audit_date`, `audited_by` and `rate` in `site.yaml`");
msg!(audit_in_future(date, today) =>
    "l'audit d'accessibilité est daté du {date}, un jour à venir (nous sommes le {today}) : c'est sans doute une faute de frappe, et l'audit ne compte pas",
    "the accessibility audit is dated {date}, a day still to come (today is {today}): likely a typing mistake, and the audit does not count");
msg!(hint_audit_in_future() =>
    "écrivez dans `audit_date` le jour où le rapport d'audit a été remis, au format AAAA-MM-JJ",
    "write in `audit_date` the day the audit report was delivered, as YYYY-MM-DD");
msg!(hint_audit_year_swapped(fix) =>
    "deux chiffres de l'année inversés ? écrivez `audit_date: {fix}`",
    "two digits of the year swapped? write `audit_date: {fix}`");
msg!(no_publisher() =>
    "pas de bloc `publisher:` dans `site.yaml` : le site n'a pas de page « Mentions légales »",
    "no `publisher:` block in `site.yaml`: the site has no legal notice page");
msg!(hint_no_publisher() =>
    "ajoutez à `site.yaml` un bloc `publisher:` (nom, adresse, directeur ou directrice de la publication, hébergeur) : la page est alors écrite pour vous",
    "add a `publisher:` block to `site.yaml` (name, address, director of publication, host): the page is then written for you");
msg!(bad_plan_url(url) =>
    "`plan_url` doit être l'adresse complète d'une page web (`https://…`), trouvé « {url} » : la déclaration ne pourrait pas y renvoyer",
    "`plan_url` must be the full address of a web page (`https://…`), found \"{url}\": the statement could not link to it");
msg!(hint_bad_plan_url() =>
    "écrivez l'adresse entière du plan pluriannuel, par exemple `plan_url: \"https://lycee.example/accessibilite/plan.pdf\"`",
    "write the multi-year plan's whole address, for example `plan_url: \"https://lycee.example/accessibility/plan.pdf\"`");
msg!(publisher_incomplete(list) =>
    "le bloc `publisher:` de `site.yaml` ne donne pas {list} : la page « Mentions légales » affiche « à compléter » à leur place",
    "the `publisher:` block of `site.yaml` does not give {list}: the legal notice page shows \"to be filled in\" in their place");
msg!(hint_publisher_incomplete() =>
    "la loi demande l'adresse, le téléphone et l'adresse e-mail (`contact`) de l'éditeur, le nom du directeur ou de la directrice de la publication, et le nom, l'adresse et le téléphone de l'hébergeur : ajoutez-les sous `publisher:`",
    "the law asks for the publisher's address, phone and e-mail address (`contact`), the director of publication's name, and the host's name, address and phone: add them under `publisher:`");
msg!(no_audit() =>
    "aucun audit d'accessibilité dans `site.yaml` : la déclaration dit le site non conforme",
    "no accessibility audit in `site.yaml`: the statement declares the site not compliant");
msg!(hint_no_audit() =>
    "après un audit RGAA, ajoutez à `site.yaml` un bloc `accessibility:` avec `audit_date`, `audited_by` et `rate`",
    "after an RGAA audit, add to `site.yaml` an `accessibility:` block with `audit_date`, `audited_by` and `rate`");
// --- Institution pages: what they must say, and only while true ---------------
msg!(accessibility_no_contact() =>
    "ni `accessibility.contact` ni `publisher.contact` dans `site.yaml` : la déclaration d'accessibilité ne dit pas à qui signaler un défaut",
    "neither `accessibility.contact` nor `publisher.contact` in `site.yaml`: the accessibility statement does not say whom to tell about a problem");
msg!(hint_accessibility_no_contact() =>
    "ajoutez sous `accessibility:` une adresse e-mail ou la page d'un formulaire, par exemple `contact: \"accessibilite@lycee.example\"`",
    "add under `accessibility:` an e-mail address or a form's page, for example `contact: \"accessibility@school.example\"`");
msg!(third_party_resource(url) =>
    "cette page demande « {url} » à un autre site : le navigateur du lecteur le bloque (le site n'appelle aucun service tiers, sa politique de sécurité l'interdit), et un intranet sans accès à internet ne pourrait pas le montrer non plus ; la page montrera un cadre vide ou une image cassée",
    "this page asks another site for \"{url}\": the reader's browser blocks it (the site calls no third party, its security policy forbids it), and an intranet without internet access could not show it either; the page will show an empty frame or a broken picture");
msg!(hint_third_party_resource() =>
    "pour une image, enregistrez-la à côté de la page et écrivez `![description](image.jpg)` ; pour une vidéo, mettez plutôt un lien : `[Voir la vidéo](https://…)`",
    "for a picture, save it beside the page and write `![description](picture.jpg)`; for a video, put a link instead: `[Watch the video](https://…)`");
msg!(legal_footer_missing() =>
    "ce gabarit remplace celui du thème sans reprendre son pied de page : les pages n'affichent plus la mention « Accessibilité : … » ni les liens vers les mentions légales et les données personnelles, que la loi demande sur chaque page",
    "this template replaces the theme's without its footer: pages no longer show the \"Accessibility: …\" mention nor the links to the legal notice and personal data pages, which the law asks for on every page");
msg!(hint_legal_footer_missing() =>
    "recopiez dans votre gabarit le bloc `<div class=\"wrap footer-legal\">` du `base.html` du thème (voir docs/theme.md), ou supprimez ce fichier pour retrouver celui du thème",
    "copy into your template the theme's `<div class=\"wrap footer-legal\">` block of `base.html` (see docs/theme.md), or delete this file to get the theme's back");

msg!(progress(step) => "… {step}", "… {step}");
/// The name of a step in `--verbose` timings (its key, as the build
/// records it, when it has none here).
pub fn timing_label(step: &str) -> Text {
    let (fr, en) = match step {
        "load" => ("lecture", "load"),
        "rules+images" => ("règles+images", "rules+images"),
        "markdown" => ("texte", "markdown"),
        "templates" => ("gabarits", "templates"),
        "write" => ("écriture", "write"),
        other => (other, other),
    };
    t(fr.to_owned(), en.to_owned())
}
msg!(step_load() => "lecture du contenu", "reading the content");
msg!(step_images() => "règles de publication et images", "publication rules and pictures");
msg!(step_markdown(pages) => "mise en page du texte de {pages} pages", "formatting the text of {pages} pages");
msg!(step_templates() => "remplissage des gabarits", "filling the templates");
msg!(step_write() => "écriture du site", "writing the site");

// --- Browser editing (`serve`, Decap CMS) ------------------------------------
msg!(serve_admin_ready(address) =>
    "Édition dans le navigateur : {address}",
    "Editing in the browser: {address}");
msg!(serve_admin_off() =>
    "Édition dans le navigateur indisponible : pas de source aléatoire pour le jeton de cette session, ou pas de dossier content/.",
    "Editing in the browser unavailable: no random source for this run's token, or no content/ folder.");
msg!(cms_path_refused(path) =>
    "« {path} » refusé : l'éditeur n'écrit que des pages Markdown et des images (jpg, png, webp) dans content/, sans lien symbolique ni « .. ».",
    "\"{path}\" refused: the editor only writes Markdown pages and pictures (jpg, png, webp) in content/, without symbolic links or \"..\".");
msg!(cms_path_missing(path) =>
    "« {path} » introuvable.",
    "\"{path}\" not found.");
msg!(cms_io_failed(path, error) =>
    "« {path} » : lecture ou écriture impossible ({error}).",
    "\"{path}\": could not read or write it ({error}).");
msg!(cms_bad_request(detail) =>
    "Requête de l'éditeur illisible ({detail}).",
    "Unreadable editor request ({detail}).");
msg!(cms_unknown_action(action) =>
    "Action « {action} » inconnue de vitrine (seul le mode de publication simple est pris en charge).",
    "Action \"{action}\" unknown to vitrine (only the simple publish mode is supported).");
msg!(cms_forbidden() =>
    "Jeton d'édition absent ou faux : rouvrez l'éditeur depuis l'adresse affichée par vitrine serve.",
    "Missing or wrong editing token: reopen the editor from the address vitrine serve printed.");
msg!(cms_remote(address) =>
    "Refusé : l'éditeur de vitrine ne répond qu'à l'ordinateur qui lance vitrine serve, même quand l'aperçu est ouvert au réseau (--bind). Ouvrez-le sur cet ordinateur : {address}",
    "Refused: vitrine's editor only answers the computer running vitrine serve, even when the preview is open to the network (--bind). Open it on that computer: {address}");
msg!(cms_wrong_origin(address) =>
    "Requête refusée : elle ne vient pas de l'éditeur de cet aperçu (en-tête Origin absent, ou page d'une autre adresse ou d'un autre port). Ouvrez l'éditeur à l'adresse {address}",
    "Request refused: it does not come from this preview's editor (no Origin header, or a page of another address or port). Open the editor at {address}");
msg!(cms_not_json() =>
    "Requête de l'éditeur illisible : ce n'est pas du JSON valide.",
    "Unreadable editor request: it is not valid JSON.");
msg!(cms_no_action() =>
    "Requête de l'éditeur incomplète : elle ne dit pas quelle action faire.",
    "Incomplete editor request: it does not say which action to take.");
msg!(cms_bad_params(action) =>
    "Requête « {action} » de l'éditeur incomplète : un paramètre manque ou n'a pas le bon type.",
    "Incomplete editor request \"{action}\": a parameter is missing or has the wrong type.");
msg!(cms_too_large(megabytes) =>
    "Requête de l'éditeur trop volumineuse (plus de {megabytes} Mo) : envoyez des images plus petites, ou une à la fois.",
    "Editor request too large (over {megabytes} MB): send smaller pictures, or one at a time.");
msg!(cms_too_slow() =>
    "Requête de l'éditeur arrivée trop lentement : réessayez.",
    "The editor's request arrived too slowly: try again.");
msg!(cms_page_too_large(path, kilobytes) =>
    "« {path} » trop volumineuse : le texte d'une page dépasse {kilobytes} Ko (un témoignage en fait quelques-uns).",
    "\"{path}\" too large: the page's text is over {kilobytes} KB (a testimonial is a few).");
msg!(cms_bad_picture(path) =>
    "« {path} » : l'image envoyée est mal encodée (base64 attendu).",
    "\"{path}\": the picture sent is badly encoded (base64 expected).");
msg!(cms_delete_folder(path) =>
    "« {path} » est un dossier : l'éditeur ne supprime que des pages et des images, jamais un dossier.",
    "\"{path}\" is a folder: the editor deletes only pages and pictures, never a folder.");
msg!(cms_admin_title() => "Édition", "Editing");
msg!(cms_panel_close() => "Fermer", "Close");
msg!(cms_panel_checking() =>
    "Enregistré : vitrine vérifie la page…",
    "Saved: vitrine is checking the page…");
msg!(cms_panel_clean() =>
    "Enregistré : vitrine ne signale rien sur cette page",
    "Saved: vitrine reports nothing on this page");
msg!(cms_panel_warnings() =>
    "Enregistré, avec des avertissements de vitrine",
    "Saved, with warnings from vitrine");
msg!(cms_panel_errors() =>
    "Enregistré, mais le site ne se construit plus",
    "Saved, but the site no longer builds");
msg!(cms_panel_not_published() =>
    "Tant que ces erreurs restent, l'aperçu montre la dernière version correcte du site. Corrigez-les dans le formulaire, puis publiez à nouveau.",
    "While these errors remain, the preview shows the last good version of the site. Fix them in the form, then publish again.");
msg!(cms_panel_refused() =>
    "Enregistrement refusé",
    "Not saved");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_are_ordinals() {
        assert_eq!(edition(Lang::Fr, 1), "1re édition");
        assert_eq!(edition(Lang::Fr, 3), "3e édition");
        for (n, text) in [
            (1, "1st"),
            (2, "2nd"),
            (3, "3rd"),
            (4, "4th"),
            (11, "11th"),
            (12, "12th"),
            (21, "21st"),
            (113, "113th"),
        ] {
            assert_eq!(edition(Lang::En, n), format!("{text} edition"));
        }
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::from_tag("en_GB.UTF-8"), Lang::En);
        assert_eq!(Lang::from_tag("fr_FR.UTF-8"), Lang::Fr);
        assert_eq!(Lang::from_tag(""), Lang::Fr);
    }

    #[test]
    fn system_errors_are_told_in_french_and_in_the_systems_words_in_english() {
        let full = std::io::Error::from_raw_os_error(28);
        let long = std::io::Error::from_raw_os_error(36);
        assert_eq!(io_reason(&full).get(Lang::Fr), "le disque est plein");
        assert!(io_reason(&long).get(Lang::Fr).contains("trop long"));
        assert_eq!(io_reason(&full).get(Lang::En), full.to_string());
        // The output folder as a mount point: said, not "code 16".
        let busy = std::io::Error::from_raw_os_error(16);
        assert!(io_reason(&busy).get(Lang::Fr).contains("point de montage"));
    }

    #[test]
    fn every_message_holds_both_languages() {
        let text = unknown_field("auteur");
        assert_eq!(text.get(Lang::Fr), "champ inconnu `auteur`");
        assert_eq!(text.get(Lang::En), "unknown field `auteur`");
        assert!(hint_anchors("").get(Lang::Fr).contains("aucun titre"));
        assert!(hint_anchors("a, b").get(Lang::Fr).ends_with("a, b"));
        assert_eq!(
            type_choice(&["a", "b", "c"]).get(Lang::Fr),
            "une de ces valeurs : `a`, `b` ou `c`"
        );
        assert_eq!(type_choice(&["a", "b"]).get(Lang::En), "one of `a` or `b`");
    }

    #[test]
    fn character_names_in_both_languages() {
        assert_eq!(char_name('\u{c}').get(Lang::Fr), "U+000C (saut de page)");
        assert_eq!(char_name('\u{c}').get(Lang::En), "U+000C (form feed)");
        assert_eq!(char_name('\u{1}').get(Lang::En), "U+0001");
    }
}
