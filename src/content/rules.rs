//! Publication rules and relations between pages, applied once everything is
//! loaded: drafts, consent, programme references, photos, link fields, a
//! minor's surname ([`surnames`]).

mod surnames;
pub mod third_party;

use std::collections::HashMap;

use super::{Content, Details, Item, Kind, Page, Status};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Location};
use crate::fields::did_you_mean;
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
    apply_to(content, publication)
}

/// [`apply`] for a `serve` rebuild after the pages at `changed` were read
/// again, the last build having succeeded (same day) and those pages
/// keeping their address, publication and [`same_people`]: only their status
/// is set again, and only what the rules say of them is returned
/// ([`page_checks`]); the other pages' diagnostics are those of the last build.
pub fn apply_again(
    content: &mut Content,
    publication: Publication,
    changed: &[usize],
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut ignored = (Vec::new(), Vec::new());
    for &i in changed {
        if let Some(page) = content.pages.get(i) {
            let status = status(page, publication, &mut ignored.0, &mut ignored.1);
            content.pages[i].status = status;
        }
    }
    let (mut diagnostics, expiring) = page_checks(content, publication, changed);
    let reading = surnames::Reading::Pages(changed);
    diagnostics.extend(surnames::check(content, reading));
    (diagnostics, expiring)
}

/// What [`apply`] says of the pages at `pages` (errors and warnings, then the
/// consents ending soon), given the other pages as they are: every rule but
/// the spelling of terms, which only a full build makes one, and a minor's
/// surname (always an error: [`apply_again`] checks it). A page's status
/// must be set already.
pub fn page_checks(
    content: &Content,
    publication: Publication,
    pages: &[usize],
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut expiring = Vec::new();
    let list: Vec<&Page> = pages.iter().filter_map(|&i| content.pages.get(i)).collect();
    for page in &list {
        status(page, publication, &mut diagnostics, &mut expiring);
    }
    for page in &list {
        diagnostics.extend(page.meta.warnings.iter().cloned());
    }
    check_programmes(content, &list, &mut diagnostics);
    check_photos(&list, &mut diagnostics);
    check_covers(&list, &mut diagnostics);
    check_programme_dates(&list, &mut diagnostics);
    let published: Vec<&Page> = list.into_iter().filter(|p| p.is_published()).collect();
    check_links(content, &published, &mut diagnostics);
    (diagnostics, expiring)
}

/// A minor's surname in the name of a published file outside bundles
/// (`content/img/ines-benali.jpg` linked from a page): such files are known
/// to be published only once the bodies are rendered.
pub fn check_loose_files(
    content: &Content,
    published: &std::collections::HashSet<std::path::PathBuf>,
) -> Vec<Diagnostic> {
    surnames::check(content, surnames::Reading::LooseFiles(published))
}

/// A minor's surname in the text of published pages as rendered (`texts`,
/// by page index), where formatting or HTML codes hid it from the check of
/// the text as written. Pages of `skip` were already reported.
pub fn check_rendered(
    content: &Content,
    texts: &[(usize, &str)],
    skip: &std::collections::HashSet<std::path::PathBuf>,
) -> Vec<Diagnostic> {
    surnames::check(content, surnames::Reading::Rendered { texts, skip })
}

/// A minor's first name and surname together in published files that are
/// not content: `site.yaml`, templates, text files of `static/` (each as
/// shown to the writer, with its text).
pub fn check_site_files(
    content: &Content,
    files: &[(std::path::PathBuf, String)],
) -> Vec<Diagnostic> {
    surnames::check(content, surnames::Reading::SiteFiles(files))
}

/// Whether two versions of a page name the same people the same way (the
/// author, whether a minor, the phrases accepted): otherwise the surname
/// check of every page may change.
pub fn same_people(a: &Page, b: &Page) -> bool {
    let people = |page: &Page| match &page.meta.details {
        Details::Testimonial(t) => Some((
            t.author.name.clone(),
            t.consent.as_ref().map(|c| (c.minor, c.surname_ok.clone())),
        )),
        _ => None,
    };
    people(a) == people(b)
}

fn apply_to(content: &mut Content, publication: Publication) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut expiring = Vec::new();
    for page in &mut content.pages {
        page.status = status(page, publication, &mut diagnostics, &mut expiring);
    }
    // One spelling per term, and no page with thousands of terms, before
    // any list is made.
    diagnostics.extend(crate::lists::unify_terms(content));
    // Pages with errors of their own too: one run reports every mistake.
    let all: Vec<&Page> = content.pages.iter().chain(&content.partial).collect();
    for page in &all {
        diagnostics.extend(page.meta.warnings.iter().cloned());
    }
    check_programmes(content, &all, &mut diagnostics);
    check_photos(&all, &mut diagnostics);
    check_covers(&all, &mut diagnostics);
    check_section_covers(content, &mut diagnostics);
    check_programme_dates(&all, &mut diagnostics);
    let published = content.pages.iter().filter(|p| p.is_published());
    let linking: Vec<&Page> = published.chain(&content.partial).collect();
    check_links(content, &linking, &mut diagnostics);
    diagnostics.extend(surnames::check(content, surnames::Reading::All));
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
    let today = publication.today.day_only();
    check_consent_dates(page, t, today, diagnostics);
    match consent_state(t, today) {
        ConsentState::Missing => {
            // Whether the author is a minor is written in `consent:`: without
            // it, nothing tells that only the first name may be published.
            diagnostics.push(
                Diagnostic::warning("consent-missing", i18n::consent_missing())
                    .at(page.locate("author"))
                    .help(i18n::hint_consent_missing(publication.today.iso_day())),
            );
            Status::Published
        }
        ConsentState::Undated(end) => {
            diagnostics.push(
                Diagnostic::warning("consent-undated", i18n::consent_undated())
                    .at(page.locate("consent"))
                    .help(i18n::hint_consent_undated(publication.today.iso_day())),
            );
            valid_until(page, t, end, today, expiring)
        }
        ConsentState::NotYet(obtained) => {
            diagnostics.push(
                Diagnostic::warning("consent-not-yet", i18n::consent_not_yet(obtained.iso_day()))
                    .at(page.locate("consent.obtained"))
                    .help(i18n::hint_consent_not_yet()),
            );
            Status::ConsentEnded
        }
        ConsentState::Withdrawn(withdrawn) => {
            diagnostics.push(
                Diagnostic::warning(
                    "consent-withdrawn",
                    i18n::consent_withdrawn(withdrawn.iso_day()),
                )
                .at(page.locate("consent.withdrawn"))
                .help(i18n::hint_consent_renew()),
            );
            Status::ConsentEnded
        }
        ConsentState::Expired(expires) => {
            diagnostics.push(
                Diagnostic::warning("consent-expired", i18n::consent_expired(expires.iso_day()))
                    .at(page.locate("consent.expires"))
                    .help(i18n::hint_consent_renew()),
            );
            Status::ConsentEnded
        }
        ConsentState::Valid(end) => valid_until(page, t, end, today, expiring),
    }
}

/// A consent cannot end before it was given; a withdrawal written for a
/// later day is said at once, with its day (`2062` typed for `2026` would
/// otherwise keep the page online for years without a word).
fn check_consent_dates(
    page: &Page,
    t: &crate::content::front_matter::Testimonial,
    today: Date,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(consent) = &t.consent else { return };
    if let Some(obtained) = consent.obtained {
        for (key, date) in [
            ("expires", consent.expires),
            ("withdrawn", consent.withdrawn),
        ] {
            let Some(date) = date.filter(|d| d.day_only() < obtained.day_only()) else {
                continue;
            };
            let path = format!("consent.{key}");
            diagnostics.push(
                Diagnostic::error(
                    "consent-dates-order",
                    i18n::consent_ends_before_obtained(&path, date.iso_day(), obtained.iso_day()),
                )
                .at(page.locate(&path))
                .help(i18n::hint_consent_dates_order(key, date.iso_day())),
            );
        }
    }
    if let Some(withdrawn) = consent.withdrawn.filter(|d| d.day_only() > today) {
        diagnostics.push(
            Diagnostic::warning(
                "consent-withdrawal-planned",
                i18n::consent_withdrawal_planned(withdrawn.iso_day()),
            )
            .at(page.locate("consent.withdrawn"))
            .help(i18n::hint_consent_withdrawal_planned(withdrawn.iso_day())),
        );
    }
}

/// A consent that covers today: published, and listed by `check` when it
/// ends within [`CONSENT_NOTICE_DAYS`].
fn valid_until(
    page: &Page,
    t: &crate::content::front_matter::Testimonial,
    end: Option<Date>,
    today: Date,
    expiring: &mut Vec<Diagnostic>,
) -> Status {
    let Some(expires) = end else {
        return Status::Published;
    };
    let days = today.days_until(&expires.day_only());
    let withdrawal = t.consent.as_ref().and_then(|c| c.withdrawn) == Some(expires);
    let key = if withdrawal {
        "consent.withdrawn"
    } else {
        "consent.expires"
    };
    if days <= CONSENT_NOTICE_DAYS {
        expiring.push(
            Diagnostic::warning(
                "consent-expires-soon",
                i18n::consent_expires_soon(&expires.iso_day(), days),
            )
            .at(page.locate(key))
            .help(i18n::hint_consent_expires_soon()),
        );
    }
    Status::Published
}

/// Where a testimonial's consent stands on a day: the one reading of the
/// `consent:` block, for publication and for the consent register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentState {
    Missing,
    /// A `consent:` block without the date it was given: nothing proves it.
    /// Published as if valid (as without `consent:`), until the day given.
    Undated(Option<Date>),
    /// Given on a later day: the page waits for it.
    NotYet(Date),
    /// Withdrawn on that day (today or before).
    Withdrawn(Date),
    /// Ended on that day (before today: a consent covers its expiry day).
    Expired(Date),
    /// Covers today; ends on the day given (expiry, or a withdrawal already
    /// written for a later day), if any.
    Valid(Option<Date>),
}

/// The day a consent ending as `consent` says takes its page off the site:
/// a withdrawal on its own day, an expiry the day after (a testimonial is
/// published through its expiry day). `None`: nothing ends it.
pub fn unpublished_from(consent: &crate::content::front_matter::Consent) -> Option<Date> {
    let after_expiry = consent.expires.map(|d| d.day_only().plus_days(1));
    let withdrawal = consent.withdrawn.map(|d| d.day_only());
    after_expiry.into_iter().chain(withdrawal).min()
}

pub fn consent_state(t: &crate::content::front_matter::Testimonial, today: Date) -> ConsentState {
    let Some(consent) = &t.consent else {
        return ConsentState::Missing;
    };
    let today = today.day_only();
    if let Some(withdrawn) = consent.withdrawn.filter(|d| d.day_only() <= today) {
        return ConsentState::Withdrawn(withdrawn);
    }
    if let Some(expires) = consent.expires.filter(|d| d.day_only() < today) {
        return ConsentState::Expired(expires);
    }
    // What ends it first: a withdrawal on the day an expiry is its last.
    let end = match (consent.expires, consent.withdrawn) {
        (Some(e), Some(w)) if w.day_only() <= e.day_only() => Some(w),
        (Some(e), _) => Some(e),
        (None, w) => w,
    };
    match consent.obtained {
        None => ConsentState::Undated(end),
        Some(obtained) if obtained.day_only() > today => ConsentState::NotYet(obtained),
        Some(_) => ConsentState::Valid(end),
    }
}

/// `programme:` of `pages` must name an existing programme page.
fn check_programmes(content: &Content, pages: &[&Page], diagnostics: &mut Vec<Diagnostic>) {
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
    for page in pages {
        let Details::Testimonial(t) = &page.meta.details else {
            continue;
        };
        let Some(slug) = &t.programme else { continue };
        if let Some(programme) = programmes.get(slug.as_str()) {
            // A draft programme: the testimonial would lose its programme
            // line without a word.
            if page.is_published() && !programme.is_published() {
                diagnostics.push(
                    Diagnostic::warning("programme-unpublished", i18n::programme_unpublished(slug))
                        .at(page.locate("programme"))
                        .help(i18n::hint_programme_unpublished(
                            programme.file.display().to_string(),
                        )),
                );
            }
            continue;
        }
        if broken.contains(slug) {
            continue;
        }
        let help = match did_you_mean(slug, &slugs) {
            Some(s) => i18n::did_you_mean(&s),
            None if slugs.is_empty() => i18n::hint_no_programmes(),
            None => i18n::hint_programmes(slugs.join(", ")),
        };
        diagnostics.push(
            Diagnostic::error("unknown-programme", i18n::unknown_programme(slug))
                .at(page.locate("programme"))
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
fn check_photos(pages: &[&Page], diagnostics: &mut Vec<Diagnostic>) {
    for page in pages {
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
                    .at(page.locate("author.photo"))
                    .help(i18n::hint_photo_missing()),
            );
        }
    }
}

/// A cover must be a file of the page's folder (`content/` for the home).
/// A programme that would end before it starts: a typo, shown otherwise as
/// « Du 20 décembre au 1er novembre » with an open call.
fn check_programme_dates(pages: &[&Page], diagnostics: &mut Vec<Diagnostic>) {
    for page in pages {
        let Details::Programme(p) = &page.meta.details else {
            continue;
        };
        if let (Some(start), Some(end)) = (p.start, p.end) {
            if end.day_only() < start.day_only() {
                diagnostics.push(
                    Diagnostic::error(
                        "programme-ends-before-start",
                        i18n::programme_ends_before_start(end.iso_day(), start.iso_day()),
                    )
                    .at(page.locate("end"))
                    .help(i18n::hint_programme_dates()),
                );
            }
        }
    }
}

fn check_covers(pages: &[&Page], diagnostics: &mut Vec<Diagnostic>) {
    for page in pages {
        let Details::Programme(p) = &page.meta.details else {
            continue;
        };
        if let Some(cover) = &p.cover {
            if let Some(d) = cover_problem(cover, page.cover_source(), page.locate("cover")) {
                diagnostics.push(d);
            }
        }
    }
}

/// A section's cover, as a programme's ([`check_covers`]).
fn check_section_covers(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    for section in &content.sections {
        if let Some(cover) = &section.meta.cover {
            let at = section.locate("cover");
            if let Some(d) = cover_problem(cover, section.cover_source(&content.root), at) {
                diagnostics.push(d);
            }
        }
    }
}

/// A cover that is no file of the page's folder, or no picture (a PDF
/// would be published as it is).
fn cover_problem(
    cover: &str,
    source: Option<std::path::PathBuf>,
    at: Location,
) -> Option<Diagnostic> {
    // A link to a file elsewhere is no file of the page's folder either:
    // the build does not publish what a link outside leads to.
    let linked_out = source.as_deref().is_some_and(links_out_of_its_folder);
    if cover.contains("..") || cover.starts_with('/') || linked_out {
        return Some(
            Diagnostic::error("cover-outside", i18n::cover_outside(cover))
                .at(crate::fields::at_value(
                    at,
                    "cover",
                    &serde_json::Value::String(cover.to_string()),
                ))
                .help(i18n::hint_cover_outside()),
        );
    }
    match source {
        Some(file) if file.is_file() && crate::images::is_image(&file) => None,
        Some(file) if file.is_file() => Some(
            Diagnostic::error("cover-not-picture", i18n::cover_not_picture(cover))
                .at(at)
                .help(i18n::hint_disguised_picture()),
        ),
        _ => Some(cover_missing(cover, at)),
    }
}

/// Whether `file` is a symbolic link to something outside its folder.
fn links_out_of_its_folder(file: &std::path::Path) -> bool {
    let is_link = std::fs::symlink_metadata(file).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return false;
    }
    let folder = file.parent().and_then(|d| d.canonicalize().ok());
    match (folder, file.canonicalize()) {
        (Some(folder), Ok(target)) => !target.starts_with(folder),
        // A link leading nowhere: reported as missing below.
        _ => false,
    }
}

/// A problem of the picture `source` (unreadable, not a picture), moved to
/// the front matter line naming it (`photo:`, `cover:`) when there is one:
/// that line is what the writer fixes.
pub fn at_picture_field(content: &Content, source: &std::path::Path, d: Diagnostic) -> Diagnostic {
    let Some((name, at)) = picture_field(content, source) else {
        return d;
    };
    // The file as the error named it (`content/…/photo.jpg`), else as
    // written; the message is escaped when shown.
    let file = d
        .location
        .as_ref()
        .map_or(name, |l| l.file.display().to_string());
    let message = i18n::picture_field(&file, &d.message);
    Diagnostic { message, ..d }.at(at)
}

/// The value and location of the `photo:` or `cover:` naming `source`.
fn picture_field(content: &Content, source: &std::path::Path) -> Option<(String, Location)> {
    let on_value = |at: Location, key: &str, name: &str| {
        let value = serde_json::Value::String(name.to_string());
        (name.to_string(), crate::fields::at_value(at, key, &value))
    };
    for page in content.pages.iter().chain(&content.partial) {
        match &page.meta.details {
            Details::Programme(p) if page.cover_source().as_deref() == Some(source) => {
                let cover = p.cover.as_deref().unwrap_or_default();
                return Some(on_value(page.locate("cover"), "cover", cover));
            }
            Details::Testimonial(t) => {
                let Some(photo) = t.author.photo.as_deref() else {
                    continue;
                };
                if page.bundle_dir.as_ref().map(|d| d.join(photo)).as_deref() == Some(source) {
                    return Some(on_value(page.locate("author.photo"), "photo", photo));
                }
            }
            _ => {}
        }
    }
    let section = content
        .sections
        .iter()
        .find(|s| s.cover_source(&content.root).as_deref() == Some(source))?;
    let at = section.locate("cover");
    Some(on_value(at, "cover", section.meta.cover.as_deref()?))
}

fn cover_missing(cover: &str, at: Location) -> Diagnostic {
    Diagnostic::error("cover-missing", i18n::cover_missing(cover))
        .at(at)
        .help(i18n::hint_cover_missing())
}

/// Where a link field (`apply_url`, a `contact` that is an address) leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldLink {
    /// An `https:`, `http:` or `mailto:` address (an e-mail gets `mailto:`).
    External(String),
    /// `@/programmes/vis-mon-job.md#anchor`: a page or section of the site.
    Page { rel: String, anchor: Option<String> },
    /// `/a-propos/`: a path from the site's root, placed under the base path.
    Root(String),
}

/// Why a link field cannot be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadLink {
    /// `www.exemple.fr/x`: an address without `https://` (the fix given).
    NoScheme(String),
    /// `javascript:`, `data:`, `ftp:`…
    Scheme(String),
    /// `candidater.html`: relative to nothing the writer can see.
    Relative,
}

/// Reads a link field: only web and mail addresses and the site's own
/// pages may become an `href`.
pub fn parse_link(text: &str) -> Result<FieldLink, BadLink> {
    let text = text.trim();
    if let Some(internal) = text.strip_prefix("@/") {
        let (target, anchor) = match internal.split_once('#') {
            Some((t, a)) => (t, Some(a.to_string())),
            None => (internal, None),
        };
        return Ok(FieldLink::Page {
            rel: crate::urls::percent_decode(target),
            anchor,
        });
    }
    if let Some(rest) = text.strip_prefix("//") {
        return Err(BadLink::NoScheme(format!("https://{rest}")));
    }
    if text.starts_with('/') {
        return Ok(FieldLink::Root(text.to_string()));
    }
    if let Some(scheme) = scheme_of(text) {
        let rest = &text[scheme.len() + 1..];
        return match scheme.to_ascii_lowercase().as_str() {
            "https" | "http" => match rest.strip_prefix("//").filter(|r| !r.is_empty()) {
                Some(_) => Ok(FieldLink::External(text.to_string())),
                None => Err(BadLink::NoScheme(format!(
                    "https://{}",
                    rest.trim_start_matches('/')
                ))),
            },
            "mailto" if !rest.trim().is_empty() => Ok(FieldLink::External(text.to_string())),
            _ => Err(BadLink::Scheme(scheme.to_string())),
        };
    }
    if is_email(text) {
        return Ok(FieldLink::External(format!("mailto:{text}")));
    }
    if looks_like_host(text) {
        return Err(BadLink::NoScheme(format!("https://{text}")));
    }
    Err(BadLink::Relative)
}

/// A `contact:` is free text (`Équipe Vis mon job, DINUM`); written as an
/// address (an e-mail, `https://…`, `@/…`), it becomes a link and is
/// checked like one. `None`: plain text.
pub fn contact_link(text: &str) -> Option<Result<FieldLink, BadLink>> {
    let text = text.trim();
    if text.is_empty() || text.chars().any(char::is_whitespace) {
        return None;
    }
    let address = text.starts_with("@/")
        || text.starts_with('/')
        || scheme_of(text).is_some()
        || is_email(text)
        || text.to_ascii_lowercase().starts_with("www.");
    address.then(|| parse_link(text))
}

/// `https` in `https://…`: letters, digits, `+`, `-`, `.` before a `:`,
/// starting with a letter (one letter is a Windows drive, `C:`).
fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let valid = scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(['/', ':'])
        && !text.chars().any(char::is_whitespace)
}

/// `www.numerique.gouv.fr/vis-mon-job`, `numerique.gouv.fr`: a host name
/// written without `https://` (not a file name such as `fiche.pdf`).
fn looks_like_host(text: &str) -> bool {
    let host = text.split(['/', '?', '#']).next().unwrap_or("");
    if host.to_ascii_lowercase().starts_with("www.") {
        return true;
    }
    let Some((name, tld)) = host.rsplit_once('.') else {
        return false;
    };
    const FILES: &[&str] = &[
        "html", "htm", "php", "pdf", "md", "jpg", "jpeg", "png", "gif", "webp", "svg", "doc",
        "docx", "odt", "txt",
    ];
    !name.is_empty()
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && !FILES.contains(&tld.to_ascii_lowercase().as_str())
}

/// `apply_url` and `contact` of the programmes of `pages` (the published
/// ones, and those with errors of their own, so that one run reports every
/// mistake): only web and mail addresses and existing pages of the site.
fn check_links(content: &Content, pages: &[&Page], diagnostics: &mut Vec<Diagnostic>) {
    let mut targets: Option<Vec<String>> = None;
    for page in pages {
        let Details::Programme(p) = &page.meta.details else {
            continue;
        };
        let fields = [
            ("apply_url", p.apply_url.as_deref().map(parse_link)),
            ("contact", p.contact.as_deref().and_then(contact_link)),
        ];
        for (field, link) in fields {
            let Some(link) = link else { continue };
            let location = || page.locate(field);
            let problem = match link {
                Ok(FieldLink::Page { rel, .. }) => {
                    match content.item(&rel) {
                        Some(Item::Page(i)) if !content.pages[i].is_published() => {
                            diagnostics.push(
                                Diagnostic::warning(
                                    "link-to-unpublished",
                                    i18n::field_link_unpublished(field, &rel),
                                )
                                .at(location()),
                            );
                            continue;
                        }
                        Some(_) => continue,
                        // Reported in its own file.
                        None if content.invalid.contains(&rel) => continue,
                        None => {}
                    }
                    let targets = targets.get_or_insert_with(|| {
                        let mut all: Vec<String> = content.by_rel.keys().cloned().collect();
                        all.sort_unstable();
                        all
                    });
                    let help = match did_you_mean(&rel, targets) {
                        Some(s) => i18n::did_you_mean(format!("@/{s}")),
                        None => i18n::hint_link_path(),
                    };
                    (i18n::field_link_broken(field, &rel), help)
                }
                Ok(_) => continue,
                Err(BadLink::NoScheme(fixed)) => (
                    i18n::field_link_no_scheme(field),
                    i18n::hint_field_link_fixed(format!("{field}: \"{fixed}\"")),
                ),
                Err(BadLink::Scheme(scheme)) => (
                    i18n::field_link_scheme(field, &scheme),
                    i18n::hint_field_link(),
                ),
                Err(BadLink::Relative) => {
                    (i18n::field_link_relative(field), i18n::hint_field_link())
                }
            };
            diagnostics.push(
                Diagnostic::error("bad-link", problem.0)
                    .at(location())
                    .help(problem.1),
            );
        }
    }
}

/// The name shown for an author: a minor's first name only.
pub fn public_name(page: &Page) -> Option<String> {
    let Details::Testimonial(t) = &page.meta.details else {
        return None;
    };
    // Unknown (`minor: oui`) is taken as a minor: a surname is never guessed out.
    let minor = t
        .consent
        .as_ref()
        .is_some_and(|c| c.minor || c.unread.contains(&"minor"));
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
    fn link_fields() {
        let ext = |s: &str| Ok(FieldLink::External(s.to_string()));
        assert_eq!(parse_link(" https://a.fr/x "), ext("https://a.fr/x"));
        assert_eq!(parse_link("HTTP://a.fr"), ext("HTTP://a.fr"));
        assert_eq!(parse_link("mailto:a@b.fr"), ext("mailto:a@b.fr"));
        assert_eq!(parse_link("a@b.fr"), ext("mailto:a@b.fr"));
        assert_eq!(
            parse_link("@/programmes/vis%20mon-job.md#comment"),
            Ok(FieldLink::Page {
                rel: "programmes/vis mon-job.md".into(),
                anchor: Some("comment".into())
            })
        );
        assert_eq!(
            parse_link("/a-propos/"),
            Ok(FieldLink::Root("/a-propos/".into()))
        );
        let fix = |s: &str| Err(BadLink::NoScheme(s.to_string()));
        assert_eq!(
            parse_link("www.numerique.gouv.fr/vis-mon-job"),
            fix("https://www.numerique.gouv.fr/vis-mon-job")
        );
        assert_eq!(
            parse_link("numerique.gouv.fr"),
            fix("https://numerique.gouv.fr")
        );
        assert_eq!(parse_link("//cdn.fr/x"), fix("https://cdn.fr/x"));
        assert_eq!(parse_link("https:/a.fr"), fix("https://a.fr"));
        for (bad, scheme) in [
            ("javascript:alert(4)", "javascript"),
            ("JavaScript:x", "JavaScript"),
            ("data:text/html,x", "data"),
            ("ftp://a.fr", "ftp"),
            ("mailto:", "mailto"),
        ] {
            assert_eq!(
                parse_link(bad),
                Err(BadLink::Scheme(scheme.into())),
                "{bad}"
            );
        }
        for relative in ["candidater.html", "fiche.pdf", "C:\\x", ""] {
            assert_eq!(parse_link(relative), Err(BadLink::Relative), "{relative}");
        }
    }

    #[test]
    fn a_contact_is_text_unless_written_as_an_address() {
        for text in [
            "Direction du numérique (DINUM)",
            "DINUM",
            "01.23.45.67.89",
            "@DINUM",
            "",
        ] {
            assert_eq!(contact_link(text), None, "{text}");
        }
        assert_eq!(
            contact_link("equipe@exemple.fr"),
            Some(Ok(FieldLink::External("mailto:equipe@exemple.fr".into())))
        );
        assert!(matches!(
            contact_link("javascript:alert(1)"),
            Some(Err(BadLink::Scheme(_)))
        ));
        assert!(matches!(
            contact_link("www.exemple.fr"),
            Some(Err(BadLink::NoScheme(_)))
        ));
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
            .filter(|d| d.is_error())
            .map(|d| d.location.as_ref().unwrap().file.clone())
            .collect();
        assert_eq!(
            files,
            [std::path::PathBuf::from("content/t/b.md")],
            "{found:?}"
        );
    }
}
