//! The consent register (`vitrine consents`): whose consent covers which
//! testimonial until when, most urgent first. Printed on the terminal or
//! written as CSV for a spreadsheet; never part of the site.

use std::path::Path;

use crate::content::rules::{self, ConsentState, CONSENT_NOTICE_DAYS};
use crate::content::{Content, Details, Kind, Page};
use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::i18n::{self, Lang, Text};

/// Where one testimonial stands, most urgent first (the order of the
/// register).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// Its file has mistakes: the build stops until they are fixed.
    Invalid,
    /// Published with no `consent:` block: nothing proves the right to.
    Missing,
    /// Published, the consent ends in that many days (at most
    /// [`CONSENT_NOTICE_DAYS`]).
    ExpiresIn(i64),
    /// Consent given for a later day: published from that day.
    NotYet(Date),
    Published,
    /// Consent valid but the page is a draft.
    Draft,
    Expired,
    Withdrawn,
}

/// A value of the register as its file gives it, or unknown: written but
/// unreadable (`minor: oui`), or in a file that could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Known<T> {
    Is(T),
    Unknown,
}

impl<T> Known<T> {
    fn unless(unknown: bool, value: T) -> Known<T> {
        if unknown {
            Known::Unknown
        } else {
            Known::Is(value)
        }
    }
}

/// One line of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// File relative to the site root, `/`-separated.
    pub file: String,
    /// The name as published: a minor's first name only, and only the
    /// first name while nothing says the author is of age.
    pub name: Known<String>,
    pub minor: Known<bool>,
    pub guardian: Known<bool>,
    pub obtained: Known<Option<Date>>,
    pub expires: Known<Option<Date>>,
    pub withdrawn: Known<Option<Date>>,
    pub standing: Standing,
}

/// Every testimonial of `content` (readable or not, even one whose front
/// matter could not be split from its text), most urgent first, then by
/// the date its consent ends and by file.
pub fn register(content: &Content, today: Date) -> Vec<Entry> {
    let readable = content.pages.iter().map(|p| (p, false));
    let unreadable = content.partial.iter().map(|p| (p, true));
    let mut entries: Vec<Entry> = readable
        .chain(unreadable)
        .filter_map(|(page, invalid)| entry(page, invalid, today))
        .collect();
    entries.extend(unread_testimonials(content));
    entries.sort_by(|a, b| {
        let ends = |e: &Entry| match e.expires {
            Known::Is(Some(d)) => (false, Some(d)),
            _ => (true, None),
        };
        (a.standing, ends(a), &a.file).cmp(&(b.standing, ends(b), &b.file))
    });
    entries
}

/// Files of testimonial sections that gave no page at all (a front matter
/// never closed): nothing of them is known but their file.
fn unread_testimonials(content: &Content) -> Vec<Entry> {
    let partial: Vec<&str> = content.partial.iter().map(|p| p.rel.as_str()).collect();
    content
        .invalid
        .iter()
        .filter(|rel| !partial.contains(&rel.as_str()))
        .filter(|rel| section_kind(content, rel) == Some(Kind::Testimonial))
        .map(|rel| Entry {
            file: format!("{}/{rel}", crate::content::CONTENT_DIR),
            name: Known::Unknown,
            minor: Known::Unknown,
            guardian: Known::Unknown,
            obtained: Known::Unknown,
            expires: Known::Unknown,
            withdrawn: Known::Unknown,
            standing: Standing::Invalid,
        })
        .collect()
}

/// The kind of the deepest section whose folder holds `rel`.
fn section_kind(content: &Content, rel: &str) -> Option<Kind> {
    content
        .sections
        .iter()
        .filter_map(|s| {
            let dir = s.rel.strip_suffix("_index.md")?;
            rel.starts_with(dir).then_some((dir.len(), s.kind))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

fn entry(page: &Page, invalid: bool, today: Date) -> Option<Entry> {
    let Details::Testimonial(t) = &page.meta.details else {
        return None;
    };
    // A `consent:` written but not a block of fields: nothing of it is known.
    let block_unread = t.consent.is_none() && page.keys.has("consent");
    let consent = t.consent.clone().unwrap_or_default();
    let unknown = |field: &str| block_unread || consent.unread.contains(&field);
    let standing = match rules::consent_state(t, today) {
        _ if invalid => Standing::Invalid,
        // Not published: a draft without consent is a draft.
        ConsentState::Missing if page.meta.common.draft => Standing::Draft,
        ConsentState::Missing | ConsentState::Undated(_) => Standing::Missing,
        ConsentState::NotYet(from) => Standing::NotYet(from),
        ConsentState::Withdrawn(_) => Standing::Withdrawn,
        ConsentState::Expired(_) => Standing::Expired,
        ConsentState::Valid(_) if page.meta.common.draft => Standing::Draft,
        ConsentState::Valid(Some(end)) => {
            let days = today.day_only().days_until(&end.day_only());
            if days <= CONSENT_NOTICE_DAYS {
                Standing::ExpiresIn(days)
            } else {
                Standing::Published
            }
        }
        ConsentState::Valid(None) => Standing::Published,
    };
    let minor = Known::unless(unknown("minor"), consent.minor);
    let full_name = t.author.name.trim();
    let name = if full_name.is_empty() && invalid {
        Known::Unknown
    } else if minor == Known::Is(false) {
        Known::Is(full_name.to_string())
    } else {
        let first = full_name.split_whitespace().next().unwrap_or("");
        Known::Is(first.to_string())
    };
    Some(Entry {
        file: crate::urls::slash_path(&page.file),
        name,
        minor,
        guardian: Known::unless(unknown("guardian"), consent.guardian),
        obtained: Known::unless(unknown("obtained"), consent.obtained),
        expires: Known::unless(unknown("expires"), consent.expires),
        withdrawn: Known::unless(unknown("withdrawn"), consent.withdrawn),
        standing,
    })
}

/// The register's column titles, in the writer's language.
fn headings(lang: Lang) -> [String; 8] {
    i18n::consent_register_headings(lang).map(str::to_string)
}

/// The cells of one line, as shown and as written in the CSV file.
fn cells(entry: &Entry, lang: Lang) -> [String; 8] {
    let unknown = || i18n::unknown_value().get(lang).to_string();
    let date = |d: Known<Option<Date>>| match d {
        Known::Is(d) => d.map(|d| d.iso_day()).unwrap_or_default(),
        Known::Unknown => unknown(),
    };
    let yes_no = |b: Known<bool>| match b {
        Known::Is(b) => i18n::yes_no(b).get(lang).to_string(),
        Known::Unknown => unknown(),
    };
    [
        entry.file.clone(),
        match &entry.name {
            Known::Is(name) => name.clone(),
            Known::Unknown => unknown(),
        },
        yes_no(entry.minor),
        // Said only where it matters: for a minor, or one maybe a minor.
        if entry.minor == Known::Is(false) {
            String::new()
        } else {
            yes_no(entry.guardian)
        },
        date(entry.obtained),
        date(entry.expires),
        date(entry.withdrawn),
        standing_text(entry.standing).get(lang).to_string(),
    ]
}

fn standing_text(standing: Standing) -> Text {
    match standing {
        Standing::Invalid => i18n::standing_invalid(),
        Standing::Missing => i18n::standing_missing(),
        Standing::ExpiresIn(days) => i18n::standing_expires_in(days),
        Standing::NotYet(from) => i18n::standing_not_yet(from.iso_day()),
        Standing::Published => i18n::standing_published(),
        Standing::Draft => i18n::standing_draft(),
        Standing::Expired => i18n::standing_expired(),
        Standing::Withdrawn => i18n::standing_withdrawn(),
    }
}

/// The register as an aligned table for the terminal (cells escaped: file
/// names and front matter may hold control characters).
pub fn table(entries: &[Entry], lang: Lang) -> String {
    let rows: Vec<[String; 8]> = std::iter::once(headings(lang))
        .chain(entries.iter().map(|e| cells(e, lang)))
        .map(|row| row.map(|c| crate::diagnostics::escape_line(&c).into_owned()))
        .collect();
    let widths: Vec<usize> = (0..8)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The register as CSV for Excel and LibreOffice as French offices set them
/// up: `;`-separated, UTF-8 with a byte order mark (without it, Excel reads
/// the accents as Windows-1252).
pub fn csv(entries: &[Entry], lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer("\u{feff}".as_bytes().to_vec());
    writer.write_record(headings(lang))?;
    for entry in entries {
        writer.write_record(cells(entry, lang).map(|c| spreadsheet_safe(&c)))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// A cell a spreadsheet shows as text: one starting with `=`, `+`, `-` or
/// `@` would be run as a formula (a name typed `=HYPERLINK(…)` in a front
/// matter), so it gets a leading apostrophe, as OWASP advises.
fn spreadsheet_safe(cell: &str) -> String {
    // Control characters (a file name with a terminal code) are written
    // as the terminal shows them, `\x1b`: a register is read, not run.
    let cell = crate::diagnostics::escape_line(cell);
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.into_owned()
    }
}

/// Writes the register as CSV at `file`, outside the site (its sources go
/// to a Git repository, its outputs to a server) and outside any folder
/// vitrine built; written whole or not at all, never over a file of another
/// kind: an existing file is replaced only when it is an earlier register
/// (its first line is the register's, in either language), or with `force`.
pub fn write_csv(
    root: &Path,
    file: &Path,
    entries: &[Entry],
    lang: Lang,
    force: bool,
) -> Result<(), Diagnostic> {
    let shown = crate::diagnostics::escape_line(&file.display().to_string()).into_owned();
    let refuse = |message: Text| {
        Diagnostic::error("csv-refused", message).help(i18n::hint_csv_inside_site())
    };
    let target =
        crate::output::resolve(file).map_err(|e| refuse(i18n::csv_unusable(&shown, e.reason())))?;
    let root = root
        .canonicalize()
        .map_err(|e| Diagnostic::write_failed(root, &e))?;
    if target.starts_with(&root) {
        return Err(refuse(i18n::csv_inside_site(&shown)));
    }
    let published = target
        .ancestors()
        .skip(1)
        .any(|dir| dir.join(crate::output::MARKER).is_file());
    if published {
        return Err(refuse(i18n::csv_in_output(&shown)));
    }
    if target.is_dir() {
        return Err(refuse(i18n::csv_is_folder(&shown)));
    }
    let is_csv = target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if target.exists() && !force && !is_register(&target) {
        // A class list or a school's own spreadsheet: never lost unasked.
        let message = if is_csv {
            i18n::csv_not_register(&shown)
        } else {
            i18n::csv_would_replace(&shown)
        };
        return Err(Diagnostic::error("csv-refused", message).help(i18n::hint_csv_force()));
    }
    let bytes = csv(entries, lang).map_err(|e| Diagnostic::write_failed(&target, &e.into()))?;
    let tmp = target.with_file_name(format!(".vitrine-{}.csv.tmp", std::process::id()));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, &target));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Diagnostic::error(
            "write-failed",
            i18n::write_failed(&shown, i18n::io_reason(&e)),
        ));
    }
    Ok(())
}

/// Whether `file` starts with the register's column titles (in French or
/// in English): a register written by an earlier run.
fn is_register(file: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let read = std::fs::File::open(file).and_then(|f| f.take(4096).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let first_line = |bytes: &[u8]| -> Option<String> {
        let text = String::from_utf8_lossy(bytes);
        let text = text.trim_start_matches('\u{feff}');
        Some(text.lines().next()?.trim_end_matches('\r').to_string())
    };
    let Some(line) = first_line(&head) else {
        return false;
    };
    [Lang::Fr, Lang::En].into_iter().any(|lang| {
        csv(&[], lang)
            .ok()
            .and_then(|header| first_line(&header))
            .is_some_and(|header| header == line)
    })
}

/// The next day a published testimonial's consent ends, and its file: the
/// day the site must be built again.
pub fn next_expiry(content: &Content, today: Date) -> Option<(Date, &Path)> {
    content
        .pages
        .iter()
        .filter(|page| !page.meta.common.draft)
        .filter_map(|page| match &page.meta.details {
            Details::Testimonial(t) => match rules::consent_state(t, today) {
                // Published, until then.
                ConsentState::Valid(Some(_)) | ConsentState::Undated(Some(_))
                    if page.is_published() =>
                {
                    let consent = t.consent.as_ref()?;
                    Some((rules::unpublished_from(consent)?, page.file.as_path()))
                }
                // Published from then.
                ConsentState::NotYet(start) => Some((start, page.file.as_path())),
                _ => None,
            },
            _ => None,
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_shown_as_text() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("-2"), "'-2");
        assert_eq!(spreadsheet_safe("Léa"), "Léa");
        assert_eq!(spreadsheet_safe("a\x1b[31mb.md"), "a\\x1b[31mb.md");
    }

    #[test]
    fn standings_sort_by_urgency() {
        let mut s = vec![
            Standing::Withdrawn,
            Standing::Published,
            Standing::ExpiresIn(30),
            Standing::Missing,
            Standing::ExpiresIn(2),
            Standing::NotYet(Date::from_ymd(2026, 3, 1).unwrap_or_else(Date::today)),
            Standing::Expired,
            Standing::Draft,
            Standing::Invalid,
        ];
        s.sort();
        assert_eq!(
            s,
            vec![
                Standing::Invalid,
                Standing::Missing,
                Standing::ExpiresIn(2),
                Standing::ExpiresIn(30),
                Standing::NotYet(Date::from_ymd(2026, 3, 1).unwrap_or_else(Date::today)),
                Standing::Published,
                Standing::Draft,
                Standing::Expired,
                Standing::Withdrawn,
            ]
        );
    }
}
