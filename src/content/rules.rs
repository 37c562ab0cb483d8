//! Publication rules and relations between pages, applied once everything is
//! loaded: drafts, consent, programme references, photos.

use std::collections::HashMap;

use super::{Content, Details, Kind, Page, Status};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Location};
use crate::fields::{did_you_mean, YamlSource};
use crate::i18n;

/// Consents ending within this many days are listed by `vitrine check`.
pub const CONSENT_NOTICE_DAYS: i64 = 60;

/// Options that change what is published.
#[derive(Debug, Clone, Copy)]
pub struct Publication {
    pub drafts: bool,
    pub today: Date,
}

/// Marks unpublished pages and checks cross-page rules. Returns errors and
/// warnings; `expiring` lists consents that end soon (for `check`).
pub fn apply(
    content: &mut Content,
    publication: Publication,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut expiring = Vec::new();
    for page in &mut content.pages {
        page.status = status(page, publication, &mut diagnostics, &mut expiring);
    }
    check_programmes(content, &mut diagnostics);
    check_photos(content, &mut diagnostics);
    (diagnostics, expiring)
}

fn status(
    page: &Page,
    publication: Publication,
    diagnostics: &mut Vec<Diagnostic>,
    expiring: &mut Vec<Diagnostic>,
) -> Status {
    if page.meta.common.draft && !publication.drafts {
        return Status::Draft;
    }
    let Details::Testimonial(t) = &page.meta.details else {
        return Status::Published;
    };
    let Some(consent) = &t.consent else {
        return Status::Published;
    };
    let today = publication.today.day_only();
    if let Some(withdrawn) = consent.withdrawn.filter(|d| d.day_only() <= today) {
        diagnostics.push(
            Diagnostic::warning(
                "consent-withdrawn",
                i18n::consent_withdrawn(&withdrawn.iso_day()),
            )
            .at(locate(page, "consent.withdrawn"))
            .help(i18n::hint_consent_renew()),
        );
        return Status::ConsentEnded;
    }
    if let Some(expires) = consent.expires {
        if expires.day_only() <= today {
            diagnostics.push(
                Diagnostic::warning("consent-expired", i18n::consent_expired(&expires.iso_day()))
                    .at(locate(page, "consent.expires"))
                    .help(i18n::hint_consent_renew()),
            );
            return Status::ConsentEnded;
        }
        let days = today.days_until(&expires.day_only());
        if days <= CONSENT_NOTICE_DAYS {
            expiring.push(
                Diagnostic::warning(
                    "consent-expires-soon",
                    i18n::consent_expires_soon(&expires.iso_day(), days),
                )
                .at(locate(page, "consent.expires"))
                .help(i18n::hint_consent_expires_soon()),
            );
        }
    }
    Status::Published
}

/// Location of a front matter key of `page`.
pub fn locate(page: &Page, key: &str) -> Location {
    let Some(yaml) = yaml_of(page) else {
        return Location::in_text(&page.file, &page.text, 1, 1, 0);
    };
    YamlSource::new(&page.file, &page.text, yaml, 2).locate(key)
}

fn yaml_of(page: &Page) -> Option<&str> {
    let start = page.text.find('\n')? + 1;
    let end = page.text[..page.body_start].trim_end_matches('\n');
    let end = end.rfind('\n').map(|i| i + 1)?;
    page.text.get(start..end.max(start))
}

/// `programme:` must name an existing programme page.
fn check_programmes(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    let programmes: HashMap<&str, &Page> = content
        .pages
        .iter()
        .filter(|p| p.kind == Kind::Programme)
        .map(|p| (p.slug.as_str(), p))
        .collect();
    let mut slugs: Vec<&str> = programmes.keys().copied().collect();
    slugs.sort_unstable();
    // A programme page with errors of its own is left out of `pages`; the
    // testimonials naming it must not get a second, misleading error.
    let broken: Vec<String> = content
        .invalid
        .iter()
        .map(|rel| natural_slug(rel))
        .collect();
    // Pages with errors of their own too: one run reports every mistake.
    for page in content.pages.iter().chain(&content.partial) {
        let Details::Testimonial(t) = &page.meta.details else {
            continue;
        };
        let Some(slug) = &t.programme else { continue };
        if programmes.contains_key(slug.as_str()) || broken.contains(slug) {
            continue;
        }
        let help = match did_you_mean(slug, &slugs) {
            Some(s) => i18n::did_you_mean(&s),
            None if slugs.is_empty() => i18n::hint_no_programmes(),
            None => i18n::hint_programmes(&slugs.join(", ")),
        };
        diagnostics.push(
            Diagnostic::error("unknown-programme", i18n::unknown_programme(slug))
                .at(locate(page, "programme"))
                .help(help),
        );
    }
}

/// The slug a Markdown file gets from its name (`programmes/vis-mon-job.md`,
/// `programmes/vis-mon-job/index.md` → `vis-mon-job`).
fn natural_slug(rel: &str) -> String {
    let rel = rel.strip_suffix("/index.md").unwrap_or(rel);
    let name = rel.rsplit('/').next().unwrap_or(rel);
    crate::slug::slugify(name.strip_suffix(".md").unwrap_or(name))
}

/// A photo must be a file of the page's bundle.
fn check_photos(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    for page in content.pages.iter().chain(&content.partial) {
        let Details::Testimonial(t) = &page.meta.details else {
            continue;
        };
        let Some(photo) = &t.author.photo else {
            continue;
        };
        let exists = page.bundle_dir.as_ref().is_some_and(|dir| {
            !photo.contains("..") && !photo.starts_with('/') && dir.join(photo).is_file()
        });
        if !exists {
            diagnostics.push(
                Diagnostic::error("photo-missing", i18n::photo_missing(photo))
                    .at(locate(page, "author.photo"))
                    .help(i18n::hint_photo_missing()),
            );
        }
    }
}

/// The name shown for an author: a minor's first name only.
pub fn public_name(page: &Page) -> Option<String> {
    let Details::Testimonial(t) = &page.meta.details else {
        return None;
    };
    let minor = t.consent.as_ref().is_some_and(|c| c.minor);
    Some(if minor {
        t.author
            .name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string()
    } else {
        t.author.name.trim().to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_slugs_of_files_and_bundles() {
        assert_eq!(natural_slug("programmes/Vis mon job.md"), "vis-mon-job");
        assert_eq!(
            natural_slug("programmes/vis-mon-job/index.md"),
            "vis-mon-job"
        );
    }

    #[test]
    fn a_broken_programme_is_not_also_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join("content").join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("p/_index.md", "---\nkind: programme\n---\n");
        write(
            "p/vis-mon-job.md",
            "---\ntitle: V\norganiser: D\nedition: trois\n---\n",
        );
        write("t/_index.md", "---\nkind: testimonial\n---\n");
        let testimonial = |programme: &str| {
            format!("---\ntitle: S\ndate: 2021-01-01\nauthor:\n  name: L\nprogramme: {programme}\n---\n")
        };
        write("t/a.md", &testimonial("vis-mon-job"));
        write("t/b.md", &testimonial("vis-ton-job"));
        let (mut content, loaded) = crate::content::load(root);
        assert_eq!(loaded.len(), 1, "{loaded:?}");
        let publication = Publication {
            drafts: false,
            today: Date::parse("2024-01-01").unwrap(),
        };
        let (found, _) = apply(&mut content, publication);
        let files: Vec<_> = found
            .iter()
            .map(|d| d.location.as_ref().unwrap().file.clone())
            .collect();
        assert_eq!(
            files,
            [std::path::PathBuf::from("content/t/b.md")],
            "{found:?}"
        );
    }
}
