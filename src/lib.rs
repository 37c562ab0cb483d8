//! vitrine — a static site generator for intern testimonials and programme pages.
//!
//! Data flows one way: `config` and `content` load and validate the site
//! (every field declared once in `schema`), `markdown` turns bodies into
//! HTML, `lists` orders and groups the pages, `render` fills the templates
//! of `templates` with the typed `views`, and `output` writes the result
//! atomically. [`site`] runs those stages; [`serve`] previews the site and
//! keeps, in `serve::memo`, what a rebuild can reuse; [`cli`] is the command
//! line around them. Problems found on the way are [`diagnostics`],
//! collected and printed once by the caller. Only these modules are the
//! library's API (the binary and the tests use it); the rest is private, so
//! the compiler reports what nothing uses.

#[macro_use]
mod terminal;

pub mod cli;
pub(crate) mod cms_config;
pub(crate) mod config;
pub(crate) mod consents;
pub(crate) mod content;
pub mod dates;
pub mod diagnostics;
pub(crate) mod escape;
pub(crate) mod feeds;
pub(crate) mod fields;
pub(crate) mod i18n;
pub(crate) mod images;
pub(crate) mod inputs;
pub(crate) mod institution;
pub(crate) mod lists;
pub(crate) mod markdown;
pub(crate) mod output;
pub(crate) mod render;
pub(crate) mod scaffold;
pub(crate) mod schema;
pub(crate) mod search;
pub mod serve;
pub mod site;
pub(crate) mod slug;
pub(crate) mod spill;
pub(crate) mod templates;
pub(crate) mod theme;
pub(crate) mod typography;
pub(crate) mod urls;
pub(crate) mod views;
pub(crate) mod yaml;
