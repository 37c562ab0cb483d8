//! The Tera engine: the theme's templates, our filters and functions, and
//! template errors turned into diagnostics that name the template and line.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use serde_json::Value;
use tera::Tera;

use crate::content::Item;
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Location};
use crate::fields::did_you_mean;
use crate::i18n::{self, Lang, Text};
use crate::theme::{TemplateSource, Theme};
use crate::typography;
use crate::urls::Urls;
use crate::views::{CardWithBody, Cards, SectionView, SectionWithPages};

/// What template functions can look up. Built once per build, shared by
/// every render.
#[derive(Debug, Default)]
pub struct Globals {
    pub urls: Option<Urls>,
    /// Pages and sections by path in `content/` (`temoignages/lea.md`).
    pub items: Arc<HashMap<String, Item>>,
    /// Cards of published pages, and their rendered bodies, by page index.
    pub cards: Arc<Cards>,
    pub bodies: Arc<Vec<Option<crate::markdown::Rendered>>>,
    /// Section objects (without pages) and their sorted page indices, by
    /// path of their `_index.md`.
    pub sections: HashMap<String, (SectionView, Vec<usize>)>,
    /// Short content hashes of static files by output path, for `asset()`.
    pub asset_hashes: BTreeMap<String, String>,
    pub lang: Option<Lang>,
    /// The theme's `labels`, serialised once for the cards `card_html` makes.
    pub card_context: tera::Context,
    /// Cards made by `card_html` in this build, by page and variant.
    pub card_html: Mutex<HashMap<CardKey, String>>,
    /// `site`, `labels` and `menu`: all that the partials of `menu_html` read
    /// besides `current_path`.
    pub shared: tera::Context,
    /// The paths of the menu's entries, in order.
    pub menu_paths: Vec<String>,
    /// Partials made by `menu_html` in this build, by name and menu state.
    pub menu_html: Mutex<HashMap<(String, String), String>>,
}

/// One variant of one card: its partial, heading level, whether it shows
/// its programme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardKey {
    page: usize,
    template: String,
    hx: String,
    hide_programme: bool,
}

/// The partials a card is made of. When all are the default theme's, the
/// default templates get each card's HTML from `card_html`, made once per
/// build and variant, instead of rendering the card again in every list it
/// is in (on a large site, list pages, term pages, programmes and related
/// testimonials show each card about seven times).
const CARD_PARTIALS: [&str; 5] = [
    "partials/card.html",
    "partials/testimonial_card.html",
    "partials/programme_card.html",
    "partials/avatar.html",
    "partials/photo.html",
];

/// The partials that templates include for a card in a loop.
const CARD_INCLUDES: [&str; 3] = [
    "partials/card.html",
    "partials/testimonial_card.html",
    "partials/programme_card.html",
];

/// Partials of the default theme that read only `site`, `labels`, `menu`
/// and where `current_path` sits in the menu. With the default templates,
/// `base.html` gets them from `menu_html`, made once per build and menu
/// state, instead of rendering them again for every page.
const MENU_PARTIALS: [&str; 2] = ["partials/header.html", "partials/footer.html"];

/// Whether `source` is the default theme's own `name`.
fn is_default(name: &str, source: &TemplateSource) -> bool {
    source.file == Path::new(&format!("(vitrine) themes/default/templates/{name}"))
}

/// `text` with its card includes replaced by `card_html` calls. The default
/// partials read only `card`, `hx`, `card_hide_programme` and `labels` (and
/// set their own variables inside the loop that includes them), so the
/// call makes the same HTML.
fn with_card_calls(text: &str) -> Cow<'_, str> {
    with_calls(text, &CARD_INCLUDES, |partial| {
        format!(
            "{{{{ card_html(template=\"{partial}\", file=card.file, \
             hx=hx | default(value=\"\"), \
             hide=card_hide_programme | default(value=false)) | safe }}}}"
        )
    })
}

/// `text` with its includes of [`MENU_PARTIALS`] replaced by `menu_html`
/// calls, which make the same HTML.
fn with_menu_calls(text: &str) -> Cow<'_, str> {
    with_calls(text, &MENU_PARTIALS, |partial| {
        format!("{{{{ menu_html(template=\"{partial}\", current=current_path) | safe }}}}")
    })
}

/// `text` with each `{% include "P" %}` of `partials` replaced by `call(P)`.
fn with_calls<'t>(text: &'t str, partials: &[&str], call: impl Fn(&str) -> String) -> Cow<'t, str> {
    let mut text = Cow::Borrowed(text);
    for partial in partials {
        let include = format!("{{% include \"{partial}\" %}}");
        if text.contains(&include) {
            text = Cow::Owned(text.replace(&include, &call(partial)));
        }
    }
    text
}

/// Where the page at `current` sits in the menu, as far as the partials of
/// [`MENU_PARTIALS`] can tell: the home page or not, each entry the page
/// itself, an ancestor of it or neither, the search page or not.
fn menu_state(current: &str, menu_paths: &[String]) -> String {
    let mut state = String::with_capacity(menu_paths.len() + 2);
    state.push(if current.is_empty() { 'h' } else { '-' });
    for path in menu_paths {
        state.push(if current == path {
            'c'
        } else if current.starts_with(path.as_str()) {
            'a'
        } else {
            '-'
        });
    }
    state.push(if matches!(current, "recherche/" | "search/") {
        's'
    } else {
        '-'
    });
    state
}

impl Globals {
    fn urls(&self) -> Urls {
        self.urls
            .clone()
            .unwrap_or_else(|| Urls::from_parts("http://localhost/", false))
    }
}

pub struct Engine {
    tera: Tera,
    sources: BTreeMap<String, TemplateSource>,
    lang: Lang,
    /// What the functions read. Swapped by [`Engine::set_globals`], so that a
    /// `serve` rebuild keeps the compiled templates and only brings new data.
    globals: Slot,
    /// Whether every template is the default theme's: their lists of cards
    /// then read only each card's `file` (see [`Engine::lists_by_file`]).
    all_default: bool,
}

/// The current [`Globals`], shared by the engine's functions.
type Slot = Arc<RwLock<Arc<Globals>>>;

/// The globals in `slot` now (a poisoned lock still holds valid data: it is
/// only ever replaced whole).
fn current(slot: &Slot) -> Arc<Globals> {
    Arc::clone(&slot.read().unwrap_or_else(|e| e.into_inner()))
}

impl Engine {
    /// Compiles every template of `theme`; all syntax errors are reported.
    pub fn new(theme: &Theme, globals: Arc<Globals>) -> Result<Engine, Vec<Diagnostic>> {
        let mut tera = new_tera();
        let cached_cards = CARD_PARTIALS.iter().all(|name| {
            let source = theme.templates.get(*name);
            source.is_some_and(|s| is_default(name, s))
        });
        let all_default = theme
            .templates
            .iter()
            .filter(|(name, _)| is_template(name))
            .all(|(name, s)| is_default(name, s));
        let all: Vec<(&str, Cow<str>)> = theme
            .templates
            .iter()
            .filter(|(name, _)| is_template(name))
            .map(|(name, s)| {
                let mut text = Cow::Borrowed(s.text.as_str());
                if cached_cards && is_default(name, s) {
                    text = Cow::Owned(with_card_calls(&text).into_owned());
                }
                if all_default {
                    text = Cow::Owned(with_menu_calls(&text).into_owned());
                }
                (name.as_str(), text)
            })
            .collect();
        if let Err(e) = tera.add_raw_templates(all.iter().map(|(n, t)| (*n, t.as_ref()))) {
            // Tera stops at the first broken template: find them all.
            let mut diagnostics = syntax_errors(theme);
            if diagnostics.is_empty() {
                diagnostics.push(diagnostic(&e, &theme.templates, None));
            }
            return Err(diagnostics);
        }
        let lang = globals.lang.unwrap_or(Lang::Fr);
        let slot: Slot = Arc::new(RwLock::new(globals));
        register(&mut tera, lang, &slot);
        if cached_cards {
            register_card_html(&mut tera, theme, lang, &slot)?;
        }
        if all_default {
            register_menu_html(&mut tera, theme, lang, &slot)?;
        }
        Ok(Engine {
            tera,
            sources: theme.templates.clone(),
            lang,
            globals: slot,
            all_default,
        })
    }

    /// Whether the templates read nothing of the cards they list but `file`
    /// (`paginator.pages`, `page.related`, `page.testimonials`): true of
    /// the default theme's, whose card includes become `card_html(file=…)`
    /// calls. A site template of its own may read any field, so one is
    /// enough to give every list whole cards.
    pub fn lists_by_file(&self) -> bool {
        self.all_default
    }

    /// Whether this engine was compiled from exactly these templates for
    /// this language (then a rebuild can keep it).
    pub fn compiled_from(&self, theme: &Theme, lang: Lang) -> bool {
        self.lang == lang && self.sources == theme.templates
    }

    /// Hands the functions the data of a new build.
    pub fn set_globals(&self, globals: Arc<Globals>) {
        *self.globals.write().unwrap_or_else(|e| e.into_inner()) = globals;
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Names of the theme's templates.
    pub fn names(&self) -> Vec<&str> {
        self.sources
            .keys()
            .map(String::as_str)
            .filter(|n| is_template(n))
            .collect()
    }

    /// Renders `name`; an error names the template, its line and `for_file`.
    pub fn render(
        &self,
        name: &str,
        context: &tera::Context,
        for_file: &Path,
    ) -> Result<String, Diagnostic> {
        if !self.has(name) {
            let names = self.names().join(", ");
            return Err(
                Diagnostic::error("missing-template", i18n::template_missing(name))
                    .at_file(for_file)
                    .help(i18n::hint_template_missing(&names)),
            );
        }
        self.tera
            .render(name, context)
            .map_err(|e| diagnostic(&e, &self.sources, Some(for_file)))
    }
}

fn new_tera() -> Tera {
    let mut tera = Tera::default();
    tera.set_escape_fn(crate::escape::escape);
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    tera
}

/// `card_html(template, file, hx, hide)`: the card of the page at `file`
/// as `template` makes it, rendered by an engine of the card partials alone
/// and kept for the rest of the build.
fn register_card_html(
    tera: &mut Tera,
    theme: &Theme,
    lang: Lang,
    slot: &Slot,
) -> Result<(), Vec<Diagnostic>> {
    let cards = partials_engine(theme, &CARD_PARTIALS, lang, slot)?;
    let g = Arc::clone(slot);
    tera.register_function("card_html", move |args: &HashMap<String, Value>| {
        let g = current(&g);
        let file = string_arg(args, "file")?;
        let Some(Item::Page(page)) = g.items.get(&file).copied() else {
            return Err(tera::Error::msg(format!("card_html: no page `{file}`")));
        };
        let key = CardKey {
            page,
            template: string_arg(args, "template")?,
            hx: string_arg(args, "hx")?,
            hide_programme: args.get("hide").and_then(Value::as_bool).unwrap_or(false),
        };
        cached(&g.card_html, key, |key| {
            let card = g
                .cards
                .get(&page)
                .ok_or_else(|| tera::Error::msg(format!("card_html: `{file}` is not published")))?;
            let mut context = g.card_context.clone();
            context.insert("card", card);
            if !key.hx.is_empty() {
                context.insert("hx", &key.hx);
            }
            if key.hide_programme {
                context.insert("card_hide_programme", &true);
            }
            cards.render(&key.template, &context)
        })
    });
    Ok(())
}

/// The HTML kept in `cache` under `key`, made by `make` the first time.
fn cached<K: std::hash::Hash + Eq>(
    cache: &Mutex<HashMap<K, String>>,
    key: K,
    make: impl FnOnce(&K) -> tera::Result<String>,
) -> tera::Result<Value> {
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(html) = lock().get(&key) {
        return Ok(Value::String(html.clone()));
    }
    // Not locked while rendering: other pages' cards render meanwhile.
    let html = make(&key)?;
    lock().insert(key, html.clone());
    Ok(Value::String(html))
}

/// An engine of the partials `names` of `theme` alone, with our filters
/// and functions: what `card_html` and `menu_html` render with.
fn partials_engine(
    theme: &Theme,
    names: &[&str],
    lang: Lang,
    slot: &Slot,
) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = new_tera();
    let sources = names
        .iter()
        .filter_map(|name| Some((*name, theme.templates.get(*name)?.text.as_str())));
    tera.add_raw_templates(sources)
        .map_err(|e| vec![diagnostic(&e, &theme.templates, None)])?;
    register(&mut tera, lang, slot);
    Ok(tera)
}

/// `menu_html(template, current)`: one of [`MENU_PARTIALS`] for the page at
/// `current`, rendered by an engine of those partials alone and kept for the
/// rest of the build for every page at the same place in the menu.
fn register_menu_html(
    tera: &mut Tera,
    theme: &Theme,
    lang: Lang,
    slot: &Slot,
) -> Result<(), Vec<Diagnostic>> {
    let partials = partials_engine(theme, &MENU_PARTIALS, lang, slot)?;
    let g = Arc::clone(slot);
    tera.register_function("menu_html", move |args: &HashMap<String, Value>| {
        let g = current(&g);
        let template = string_arg(args, "template")?;
        let current_path = string_arg(args, "current")?;
        let key = (template, menu_state(&current_path, &g.menu_paths));
        cached(&g.menu_html, key, |(template, _)| {
            let mut context = g.shared.clone();
            context.insert("current_path", &current_path);
            partials.render(template, &context)
        })
    });
    Ok(())
}

/// The syntax errors of every template, each parsed with empty stand-ins
/// for the others (so inheritance resolves).
fn syntax_errors(theme: &Theme) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (name, source) in &theme.templates {
        if !is_template(name) {
            continue;
        }
        let mut alone = Tera::default();
        let stand_ins = theme
            .templates
            .keys()
            .filter(|n| *n != name && is_template(n))
            .map(|n| (n.as_str(), ""));
        let templates = std::iter::once((name.as_str(), source.text.as_str())).chain(stand_ins);
        if let Err(e) = alone.add_raw_templates(templates) {
            diagnostics.push(diagnostic(&e, &theme.templates, None));
        }
    }
    diagnostics
}

fn is_template(name: &str) -> bool {
    name.ends_with(".html")
        || name.ends_with(".xml")
        || name.ends_with(".txt")
        || name.ends_with(".svg")
}

fn register(tera: &mut Tera, lang: Lang, slot: &Slot) {
    tera.register_filter("typo", move |value: &Value, _: &HashMap<String, Value>| {
        let text = value_text(value);
        Ok(Value::String(if lang == Lang::Fr {
            typography::french(&text)
        } else {
            text
        }))
    });
    tera.register_filter(
        "date_fr",
        move |value: &Value, _: &HashMap<String, Value>| {
            let text = value_text(value);
            match Date::parse(&text) {
                Some(d) => Ok(Value::String(d.long(lang))),
                None => Err(tera::Error::chain(
                    "date_fr",
                    i18n::Carried(i18n::filter_not_a_date(&text)),
                )),
            }
        },
    );

    tera.register_filter(
        "edition",
        move |value: &Value, _: &HashMap<String, Value>| match value.as_i64() {
            Some(n) => Ok(Value::String(i18n::edition(lang, n))),
            None => Ok(value.clone()),
        },
    );

    let g = Arc::clone(slot);
    tera.register_function("url", move |args: &HashMap<String, Value>| {
        let g = current(&g);
        let path = string_arg(args, "path")?;
        Ok(Value::String(g.urls().link_written(&path)))
    });
    let g = Arc::clone(slot);
    tera.register_function("asset", move |args: &HashMap<String, Value>| {
        let g = current(&g);
        let path = string_arg(args, "path")?;
        let key = crate::urls::normalise(&path);
        let link = g.urls().link(&key);
        match g.asset_hashes.get(&key) {
            Some(hash) => Ok(Value::String(format!("{link}?v={hash}"))),
            None => Err(tera::Error::msg(format!("asset: no static file `{key}`"))),
        }
    });
    let g = Arc::clone(slot);
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        let g = current(&g);
        let path = string_arg(args, "path")?;
        let key = path.trim_start_matches("@/").trim_start_matches('/');
        let index = match g.items.get(key) {
            Some(Item::Page(i)) => Some(*i),
            _ => None,
        };
        match index.and_then(|i| g.cards.get(&i).map(|card| (i, card))) {
            // A card plus its body: enough for any template, and built only
            // when asked for.
            Some((i, card)) => match g.bodies.get(i) {
                Some(Some(body)) => to_value(&CardWithBody {
                    card,
                    content: &body.html_text().map_err(tera::Error::msg)?,
                    toc: &body.headings,
                }),
                _ => to_value(card),
            },
            None => {
                let published = g.items.iter().filter_map(|(rel, item)| match item {
                    Item::Page(i) if g.cards.contains_key(i) => Some(rel),
                    _ => None,
                });
                Err(not_found(published, key, "get_page"))
            }
        }
    });
    let g = Arc::clone(slot);
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        let g = current(&g);
        let path = string_arg(args, "path")?;
        let key = path.trim_start_matches("@/").trim_start_matches('/');
        match g.sections.get(key) {
            Some((section, pages)) => to_value(&SectionWithPages {
                section,
                pages: pages.iter().filter_map(|i| g.cards.get(i)).collect(),
            }),
            None => Err(not_found(g.sections.keys(), key, "get_section")),
        }
    });
}

fn to_value(view: &impl serde::Serialize) -> tera::Result<Value> {
    serde_json::to_value(view).map_err(|e| tera::Error::msg(e.to_string()))
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn string_arg(args: &HashMap<String, Value>, name: &str) -> tera::Result<String> {
    match args.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(tera::Error::msg(format!(
            "missing argument `{name}` (text)"
        ))),
    }
}

fn not_found<'a>(keys: impl Iterator<Item = &'a String>, key: &str, function: &str) -> tera::Error {
    let keys: Vec<&str> = keys.map(String::as_str).collect();
    let hint = did_you_mean(key, &keys)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    tera::Error::msg(format!("{function}: nothing at `{key}`{hint}"))
}

/// Turns a Tera error into a diagnostic pointing at the template line.
fn diagnostic(
    error: &tera::Error,
    sources: &BTreeMap<String, TemplateSource>,
    for_file: Option<&Path>,
) -> Diagnostic {
    // Each error of the chain: Tera's own words (English, which the
    // patterns below read), or what our filters said in both languages.
    let mut chain = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        chain.push(i18n::Carried::text_of(e));
        current = e.source();
    }
    let messages: Vec<String> = chain.iter().map(|t| t.get(Lang::En).to_owned()).collect();
    // What the writer reads: the same, Tera's frequent words translated.
    let said: Vec<Text> = chain.into_iter().map(tera_words).collect();
    let page = for_file
        .map(|f| f.display().to_string())
        .unwrap_or_default();
    let template = messages.iter().rev().find_map(|m| quoted_template(m));
    // Variable errors: Tera gives no line, so find the variable in the template text.
    if let Some(variable) = messages
        .iter()
        .find_map(|m| between(m, "Variable `", "` not found"))
    {
        let location = find_in_templates(&variable, template.as_deref(), sources);
        let mut d = Diagnostic::error(
            "template-undefined",
            i18n::template_undefined(&variable, &page),
        )
        .help(i18n::hint_template_undefined());
        if let Some(loc) = location {
            d = d.at(loc);
        }
        return d;
    }
    let detail = messages.last().cloned().unwrap_or_default();
    let last = said.last().cloned().unwrap_or_default();
    let mut d = Diagnostic::error("template-error", i18n::template_error(last.map(summary)));
    // A failing function or filter: point at its call, wherever it is in
    // the chain of templates.
    let call = messages.iter().find_map(|m| {
        between(m, "Function call '", "' failed")
            .map(|f| format!("{f}("))
            .or_else(|| between(m, "Filter call '", "' failed"))
    });
    // The argument our functions quote (`css/nope.css`) finds the very call.
    let argument = call
        .as_ref()
        .and_then(|_| between(&detail, "`", "`"))
        .filter(|a| !a.is_empty());
    let location = argument
        .into_iter()
        .chain(call)
        .find_map(|c| find_in_templates(&c, template.as_deref(), sources));
    if let Some(location) = location {
        d = d.at(location);
    } else if let Some(name) = &template {
        if let Some(source) = sources.get(name) {
            let (line, column) = parse_position(&messages).unwrap_or((1, 1));
            d = d.at(Location::in_text(
                &source.file,
                &source.text,
                line,
                column,
                1,
            ));
        }
    }
    if !page.is_empty() {
        let chain = Text::join(&said, " → ").map(|c| c.replace('\n', " "));
        d = d.help(i18n::template_in_page(page, chain));
    }
    d
}

/// What went wrong, in one line. A parse error's first line is only its
/// position (` --> 4:1`); the explanation is its last line (`= expected …`).
fn summary(detail: &str) -> String {
    detail
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("= "))
        .map(str::to_string)
        .unwrap_or_else(|| first_line(detail))
}

fn first_line(text: &str) -> String {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Tera's most frequent words in the writer's language; the rest (its
/// parser's) are quoted as Tera wrote them.
fn tera_words(said: Text) -> Text {
    let english = said.get(Lang::En);
    if let Some(name) = between(english, "Failed to render '", "'") {
        return i18n::template_rendering(name);
    }
    if let Some(name) = between(english, "Template '[", "]' not found")
        .or_else(|| between(english, "Template '", "' not found"))
    {
        return i18n::template_missing(name);
    }
    said
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(text[from..to].to_string())
}

fn quoted_template(message: &str) -> Option<String> {
    // "Failed to render 'base.html'" / "while rendering 'x.html'"
    let mut found = None;
    let mut rest = message;
    while let Some(i) = rest.find('\'') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('\'') else { break };
        let candidate = &after[..j];
        if is_template(candidate) {
            found = Some(candidate.to_string());
        }
        rest = &after[j + 1..];
    }
    found
}

/// ` --> 3:9` in pest's parse error messages.
fn parse_position(messages: &[String]) -> Option<(usize, usize)> {
    messages.iter().find_map(|m| {
        let at = m.find("--> ")? + 4;
        let rest = &m[at..];
        let end = rest
            .find(|c: char| !c.is_ascii_digit() && c != ':')
            .unwrap_or(rest.len());
        let (line, column) = rest[..end].split_once(':')?;
        Some((line.parse().ok()?, column.parse().ok()?))
    })
}

/// The first line mentioning `variable` inside a tag, in `preferred` then in
/// every other template.
fn find_in_templates(
    variable: &str,
    preferred: Option<&str>,
    sources: &BTreeMap<String, TemplateSource>,
) -> Option<Location> {
    let order = preferred
        .and_then(|p| sources.get_key_value(p))
        .into_iter()
        .chain(
            sources
                .iter()
                .filter(|(n, _)| Some(n.as_str()) != preferred),
        );
    for (_, source) in order {
        for (i, line) in source.text.lines().enumerate() {
            if let Some(col) = find_word(line, variable) {
                return Some(Location::in_text(
                    &source.file,
                    &source.text,
                    i + 1,
                    // Locations count columns in characters.
                    line[..col].chars().count() + 1,
                    variable.len(),
                ));
            }
        }
    }
    None
}

/// Byte index of `word` in `line` when not part of a longer name.
fn find_word(line: &str, word: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut start = 0;
    while let Some(i) = line[start..].find(word) {
        let at = start + i;
        let before = line[..at].chars().next_back();
        let after = line[at + word.len()..].chars().next();
        let open_ended = !word.ends_with(|c: char| c.is_alphanumeric() || c == '_');
        if !before.is_some_and(is_name)
            && (open_ended || !after.is_some_and(|c| c.is_alphanumeric() || c == '_'))
        {
            return Some(at);
        }
        start = at + word.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn theme(templates: &[(&str, &str)]) -> Theme {
        let mut t = Theme::default();
        for (name, text) in templates {
            t.templates.insert(
                name.to_string(),
                TemplateSource {
                    text: text.to_string(),
                    file: PathBuf::from(format!("templates/{name}")),
                },
            );
        }
        t
    }

    #[test]
    fn unknown_variable_names_template_and_line() {
        let t = theme(&[(
            "page.html",
            "<h1>{{ page.title }}</h1>\n<p>{{ page.auteur }}</p>\n",
        )]);
        let engine = Engine::new(&t, Arc::new(Globals::default())).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("page", &serde_json::json!({"title": "x"}));
        let d = engine
            .render("page.html", &ctx, Path::new("content/a.md"))
            .unwrap_err();
        assert_eq!(d.code, "template-undefined");
        let loc = d.location.unwrap();
        assert_eq!(
            (loc.file.to_str(), loc.line),
            (Some("templates/page.html"), 2)
        );
        assert!(d.message.contains("page.auteur") && d.message.contains("content/a.md"));
    }

    #[test]
    fn a_failing_filter_points_at_its_call() {
        let t = theme(&[(
            "page.html",
            "<h1>{{ page.title }}</h1>\n<p>{{ page.updated | date_fr }}</p>\n",
        )]);
        let engine = Engine::new(&t, Arc::new(Globals::default())).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("page", &serde_json::json!({"title": "x", "updated": ""}));
        let d = engine
            .render("page.html", &ctx, Path::new("content/a.md"))
            .unwrap_err();
        assert_eq!(d.code, "template-error");
        assert_eq!(d.location.map(|l| l.line), Some(2));
        assert!(d.message.contains("date_fr"), "{}", d.message);
    }

    #[test]
    fn syntax_errors_are_all_reported_with_lines() {
        let t = theme(&[("a.html", "ok\n{% if %}\n"), ("b.html", "{{ x \n")]);
        let errors = Engine::new(&t, Arc::new(Globals::default())).err().unwrap();
        assert_eq!(errors.len(), 2);
        assert!(errors
            .iter()
            .all(|d| d.location.as_ref().is_some_and(|l| l.line >= 1)));
        assert_eq!(errors[0].location.as_ref().map(|l| l.line), Some(2));
        // The message says what is expected, not just where.
        assert!(
            errors[0].message.contains("expected a value"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn card_includes_become_card_html_calls() {
        let text = "{% for card in cards %}{% include \"partials/card.html\" %}{% endfor %}\
                    {% include \"partials/toc.html\" %}";
        let out = with_card_calls(text);
        assert!(out.contains("card_html(template=\"partials/card.html\", file=card.file"));
        assert!(!out.contains("include \"partials/card.html\""));
        assert!(out.contains("{% include \"partials/toc.html\" %}"));
    }

    #[test]
    fn menu_state_tells_apart_what_the_header_shows() {
        let menu = ["temoignages/".to_string(), "programmes/".to_string()];
        assert_eq!(menu_state("", &menu), "h---");
        assert_eq!(menu_state("temoignages/", &menu), "-c--");
        // Every testimonial shares its section's state: one header for all.
        assert_eq!(menu_state("temoignages/lea/", &menu), "-a--");
        assert_eq!(menu_state("temoignages/page/2/", &menu), "-a--");
        assert_eq!(menu_state("recherche/", &menu), "---s");
        assert_eq!(menu_state("mentions-legales/", &menu), "----");
    }

    #[test]
    fn a_site_card_partial_is_not_the_default_one() {
        let t = theme(&[("partials/card.html", "mine")]);
        assert!(!is_default(
            "partials/card.html",
            &t.templates["partials/card.html"]
        ));
        let source = TemplateSource {
            text: String::new(),
            file: "(vitrine) themes/default/templates/partials/card.html".into(),
        };
        assert!(is_default("partials/card.html", &source));
    }

    #[test]
    fn url_function_and_filters() {
        let t = theme(&[("p.html", "{{ url(path='a-propos/') }} {{ d | date_fr }}")]);
        let g = Globals {
            urls: Some(Urls::from_parts("https://x.example/ecole/", false)),
            lang: Some(Lang::Fr),
            ..Globals::default()
        };
        let engine = Engine::new(&t, Arc::new(g)).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("d", "2020-04-16");
        let out = engine.render("p.html", &ctx, Path::new("x")).unwrap();
        assert_eq!(out, "/ecole/a-propos/ 16\u{a0}avril\u{a0}2020");
    }
}
