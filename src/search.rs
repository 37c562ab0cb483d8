//! The client-side search index: `search.json`, and the same data as
//! `search-index.js` for pages opened from `file://`, where `fetch` is not
//! allowed. The theme's dependency-free script reads either.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::content::{Kind, SortBy};
use crate::feeds::script_safe;
use crate::lists::sort_pages;
use crate::output::OutputFile;
use crate::render::Model;

/// How much of a body goes into the index: enough to find a page by what it
/// says, small enough to keep the index light on large sites.
const BODY_CHARS: usize = 1200;

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

#[derive(Debug, Serialize)]
pub struct Index {
    pub version: u32,
    pub facets: [&'static str; 5],
    pub items: Vec<Item>,
}

/// The part of a body that goes into the index.
pub fn indexed_text(body: &crate::markdown::Rendered) -> String {
    body.plain_text.chars().take(BODY_CHARS).collect()
}

/// Lowercase ASCII folding, as the script does to queries.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Pending space: collapses runs of whitespace and trims both ends.
    let mut space = false;
    for c in text.chars() {
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
    out
}

pub fn build(model: &Model) -> Index {
    let content = model.content();
    let mut pages: Vec<usize> = content.published().map(|(i, _)| i).collect();
    sort_pages(&mut pages, &content.pages, SortBy::Date);
    let items = pages
        .into_par_iter()
        .filter_map(|i| {
            let page = &content.pages[i];
            let card = model.card_value(i)?;
            let text_of = |v: &Value| v.as_str().map(str::to_string);
            let tags: Vec<String> = card["tags"]
                .as_array()
                .map(|a| a.iter().filter_map(|t| text_of(&t["name"])).collect())
                .unwrap_or_default();
            let mut item = Item {
                title: page.title().to_string(),
                url: page.path.clone(),
                kind: page.kind,
                date: text_of(&card["date"]),
                summary: text_of(&card["summary"]).unwrap_or_default(),
                quote: text_of(&card["quote"]),
                author: text_of(&card["author"]["name"]),
                programme: text_of(&card["programme"]["title"]),
                organisation: text_of(&card["organisation"])
                    .or_else(|| text_of(&card["organiser"])),
                level: text_of(&card["level"]),
                format: text_of(&card["format"]["label"]),
                tags,
                text: String::new(),
            };
            let body: String = model.body(i).map(indexed_text).unwrap_or_default();
            let parts = [
                Some(item.title.as_str()),
                Some(item.summary.as_str()),
                item.quote.as_deref(),
                item.author.as_deref(),
                item.programme.as_deref(),
                item.organisation.as_deref(),
                item.level.as_deref(),
                item.format.as_deref(),
                Some(&item.tags.join(" ")),
                Some(body.as_str()),
            ];
            item.text = normalise(
                &parts
                    .iter()
                    .flatten()
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            Some(item)
        })
        .collect();
    Index {
        version: 1,
        facets: ["programme", "organisation", "level", "format", "tags"],
        items,
    }
}

pub fn outputs(model: &Model) -> Vec<OutputFile> {
    let index = build(model);
    let json = script_safe(&serde_json::to_string(&index).unwrap_or_default());
    vec![
        OutputFile::text(
            "search-index.js",
            format!("window.VITRINE_SEARCH_INDEX = {json};\n"),
        ),
        OutputFile::text("search.json", json),
    ]
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
