//! vitrine — a static site generator for intern testimonials and programme pages.
//!
//! Data flows one way: [`config`] and [`content`] load and validate the site,
//! [`markdown`] turns bodies into HTML, [`lists`] orders and groups the pages,
//! [`render`] fills the templates of [`templates`], and [`output`] writes the
//! result atomically. [`site`] runs the pipeline (and keeps what a `serve`
//! rebuild can reuse); [`cli`] is the command line around it. Problems found on
//! the way are [`diagnostics`], collected and printed once by the caller.

#[macro_use]
mod terminal;

pub mod cli;
pub mod cms_config;
pub mod config;
pub mod consents;
pub mod content;
pub mod dates;
pub mod diagnostics;
pub mod escape;
pub mod feeds;
pub mod fields;
pub mod i18n;
pub mod images;
pub mod inputs;
pub mod institution;
pub mod lists;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod templates;
pub mod theme;
pub mod typography;
pub mod urls;
pub mod views;
pub mod yaml;
