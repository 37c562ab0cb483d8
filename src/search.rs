//! The client-side search index: `search.json`, the whole index for other
//! tools, and the parts the search page's script loads as a query needs them
//! (`parts`): a manifest, shards of terms by prefix, facet lists and packs of
//! result cards, each a script so that it also works from `file://`.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::escape::script_safe;
use crate::output::OutputFile;
use crate::render::Model;

mod parts;

/// How much of a body goes into the index: enough to find a page by what it
/// says, small enough to keep the index light on large sites.
pub(crate) const BODY_CHARS: usize = 1200;

#[derive(Debug, Serialize)]
pub struct Item {
    pub title: String,
    /// Site path, relative to the root (`temoignages/lea/`).
    pub url: String,
    pub kind: Kind,
    pub date: Option<String>,
    pub summary: String,
    pub quote: Option<String>,
    pub author: Option<String>,
    pub programme: Option<String>,
    pub organisation: Option<String>,
    pub level: Option<String>,
    pub format: Option<String>,
    pub tags: Vec<String>,
    /// Lowercase, accent-free text the script matches queries against.
    pub text: String,
}

/// What the index starts with; `items` follow, newest first.
const HEADER: &str =
    r#"{"version":1,"facets":["programme","organisation","level","format","tags"],"items":["#;

/// Each published page's entry of the index, by page index, and the
/// manifest the last outputs named. `serve` keeps them: after an edit only
/// the changed pages' entries are made again, not 10 000 folded texts.
#[derive(Default)]
pub struct Entries {
    items: HashMap<usize, Entry>,
    /// What the entries made again since the last outputs were, by page.
    replaced: HashMap<usize, Item>,
    parts: parts::Index,
    manifest: Option<String>,
}

/// An item and its JSON in `search.json`.
struct Entry {
    item: Item,
    json: String,
}

impl Entries {
    /// The output path of the search page's manifest, once made.
    pub fn manifest(&self) -> Option<&str> {
        self.manifest.as_deref()
    }

    /// The output paths of the search page's parts, once made.
    pub fn part_paths(&self) -> impl Iterator<Item = String> + '_ {
        self.parts.names().map(crate::urls::search_part_file)
    }
}

/// The part of a body that goes into the index.
pub fn indexed_text(body: &crate::markdown::Rendered) -> std::io::Result<String> {
    Ok(indexed(&body.text()?).to_string())
}

/// The start of `text` that goes into the index.
fn indexed(text: &str) -> &str {
    match text.char_indices().nth(BODY_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Lowercase ASCII folding, as the script does to queries.
pub fn normalise(text: &str) -> String {
    normalise_all(&[text])
}

/// [`normalise`] of `texts` joined by spaces, without joining them first.
fn normalise_all(texts: &[&str]) -> String {
    let size = texts.iter().map(|t| t.len() + 1).sum();
    let mut out = String::with_capacity(size);
    // Pending space: collapses runs of whitespace and trims both ends.
    let mut space = false;
    for (k, text) in texts.iter().enumerate() {
        let joint = (k > 0).then_some(' ');
        for c in joint.into_iter().chain(text.chars()) {
            if c.is_whitespace() {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else if let Some(folded) = deunicode::deunicode_char(c) {
                out.extend(folded.chars().map(|f| f.to_ascii_lowercase()));
            }
        }
    }
    out
}

/// The entries of every published page.
pub fn all_entries(model: &Model) -> Entries {
    let pages: Vec<usize> = model.published_pages().map(|(i, _)| i).collect();
    let mut entries = Entries::default();
    update_entries(model, &mut entries, &pages);
    entries
}

/// Makes the entries of `pages` again (dropping those no longer published).
pub fn update_entries(model: &Model, entries: &mut Entries, pages: &[usize]) {
    let fresh: Vec<(usize, Entry)> = pages
        .par_iter()
        .filter_map(|&i| {
            // `serve`'s bodies are never packed away: their text is at hand.
            let item = item(model, i).ok()??;
            // Escaped as if inline: a title of `</script>` stays text.
            let json = script_safe(&serde_json::to_string(&item).ok()?);
            Some((i, Entry { item, json }))
        })
        .collect();
    for i in pages {
        if let Some(old) = entries.items.remove(i) {
            entries.replaced.entry(*i).or_insert(old.item);
        }
    }
    entries.items.extend(fresh);
}

/// The entry of page `i`, if it is published.
fn item(model: &Model, i: usize) -> Result<Option<Item>, Diagnostic> {
    let Some((page, card)) = model.content().pages.get(i).zip(model.card_view(i)) else {
        return Ok(None);
    };
    let testimonial = card.testimonial();
    let mut item = Item {
        title: page.title().to_string(),
        url: page.path.clone(),
        kind: page.kind,
        date: card.date.clone(),
        summary: card.summary.clone(),
        quote: testimonial.and_then(|t| t.quote.clone()),
        author: card.author_name().map(str::to_string),
        programme: testimonial
            .and_then(|t| t.programme.as_ref())
            .map(|p| p.title.clone()),
        organisation: match testimonial {
            Some(t) => t.organisation.clone(),
            None => card.programme().map(|p| p.organiser.clone()),
        },
        level: testimonial.and_then(|t| t.level.clone()),
        format: card.format().map(|f| f.label.to_string()),
        tags: card.tags.iter().map(|t| t.name.clone()).collect(),
        text: String::new(),
    };
    let text = model
        .body(i)
        .map(crate::markdown::Rendered::text)
        .transpose();
    let text = text.map_err(|e| Diagnostic::body_unreadable(&page.file, &e))?;
    let body = text.as_deref().map_or("", indexed);
    let tags = item.tags.join(" ");
    let parts = [
        Some(item.title.as_str()),
        Some(item.summary.as_str()),
        item.quote.as_deref(),
        item.author.as_deref(),
        item.programme.as_deref(),
        item.organisation.as_deref(),
        item.level.as_deref(),
        item.format.as_deref(),
        Some(tags.as_str()),
        Some(body),
    ];
    let parts: Vec<&str> = parts.into_iter().flatten().collect();
    item.text = normalise_all(&parts);
    item.text.shrink_to_fit();
    Ok(Some(item))
}

/// `search.json` and the search page's parts, with the entries newest
/// first; remembers the manifest's path in `entries`.
///
/// After [`update_entries`] that left every entry in its place, only the
/// parts that changed are made (the others stay as written).
pub fn outputs(model: &Model, entries: &mut Entries) -> Vec<OutputFile> {
    let order: Vec<usize> = model
        .lists()
        .published_by_date
        .iter()
        .copied()
        .filter(|i| entries.items.contains_key(i))
        .collect();
    let listed: Vec<&Entry> = order.iter().filter_map(|i| entries.items.get(i)).collect();
    let items: Vec<&Item> = listed.iter().map(|e| &e.item).collect();
    let replaced = std::mem::take(&mut entries.replaced);
    // Parts first: their working memory is freed before the whole index
    // is made.
    let changed = parts::changed_files(&mut entries.parts, &items, &order, &replaced);
    let mut files = changed.unwrap_or_else(|| {
        let (index, files) = parts::files(&items, &order);
        entries.parts = index;
        files
    });
    let json = whole_index(&listed);
    entries.manifest = files.first().map(|f| f.path.clone());
    files.push(OutputFile::text(crate::urls::SEARCH_INDEX_FILE, json));
    files
}

/// Pages whose entries a build makes at a time.
const BUILD_CHUNK: usize = 4096;

/// What [`write_all`] wrote.
pub struct Written {
    /// Output path of the search page's manifest.
    pub manifest: Option<String>,
    /// Every file's output path, the manifest first.
    pub paths: Vec<String>,
}

/// A build's index, the same files as [`outputs`] after [`all_entries`],
/// made a few thousand pages at a time and handed to `sink` as they are
/// made: of each batch's items only their JSON in `search.json` (written
/// whole at the end), the keys' items, facets and pack names outlive the
/// batch. At 100 000 pages every entry (item and JSON), every part and
/// `search.json` held at once were the build's peak of memory (+1.2 GB); a
/// build keeps no entries anyway.
pub fn write_all(
    model: &Model,
    sink: &mut dyn FnMut(Vec<OutputFile>) -> Result<(), Diagnostic>,
) -> Result<Written, Diagnostic> {
    let published: HashSet<usize> = model.published_pages().map(|(i, _)| i).collect();
    let by_date = model.lists().published_by_date.iter().copied();
    let pages: Vec<usize> = by_date.filter(|i| published.contains(i)).collect();
    drop(published);
    let made = |chunk: &[usize]| -> Result<Vec<(usize, Item)>, Diagnostic> {
        let items: Result<Vec<_>, Diagnostic> = chunk
            .par_iter()
            .map(|&i| Ok(item(model, i)?.map(|item| (i, item))))
            .collect();
        Ok(items?.into_iter().flatten().collect())
    };
    let mut json = String::from(HEADER);
    let mut builder = parts::Builder::default();
    let mut order = Vec::with_capacity(pages.len());
    let mut pending: Vec<Item> = Vec::new();
    let mut packs = Vec::new();
    let mut hand = |files: Vec<OutputFile>, paths: &mut Vec<String>| {
        paths.extend(files.iter().map(|f| f.path.clone()));
        sink(files)
    };
    for chunk in pages.chunks(BUILD_CHUNK) {
        let items = made(chunk)?;
        let entries: Vec<String> = items
            .par_iter()
            .filter_map(|(_, item)| Some(script_safe(&serde_json::to_string(item).ok()?)))
            .collect();
        for entry in entries {
            if json.len() > HEADER.len() {
                json.push(',');
            }
            json.push_str(&entry);
        }
        for (i, item) in items {
            order.push(i);
            pending.push(item);
        }
        // Whole packs only: the rest waits for the next batch.
        let rest = pending.split_off(pending.len() - pending.len() % parts::PACK_ITEMS);
        builder.add(&pending.iter().collect::<Vec<_>>());
        pending = rest;
        hand(builder.take_files(), &mut packs)?;
    }
    json.push_str("]}");
    let whole = OutputFile::text(crate::urls::SEARCH_INDEX_FILE, json);
    hand(vec![whole], &mut Vec::new())?;
    builder.add(&pending.iter().collect::<Vec<_>>());
    drop(pending);
    hand(builder.take_files(), &mut packs)?;
    let (_, files) = builder.finish(order);
    let manifest = files.first().map(|f| f.path.clone());
    let mut paths = Vec::new();
    hand(files, &mut paths)?;
    paths.append(&mut packs);
    paths.push(crate::urls::SEARCH_INDEX_FILE.to_string());
    Ok(Written { manifest, paths })
}

/// `search.json`: every entry, newest first, from each entry's JSON.
fn whole_index(listed: &[&Entry]) -> String {
    let size = HEADER.len() + listed.iter().map(|e| e.json.len() + 1).sum::<usize>() + 2;
    let mut json = String::with_capacity(size);
    json.push_str(HEADER);
    for (k, entry) in listed.iter().enumerate() {
        if k > 0 {
            json.push(',');
        }
        json.push_str(&entry.json);
    }
    json.push_str("]}");
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(
            normalise("École  Numérique\nDINUM"),
            "ecole numerique dinum"
        );
    }
}
