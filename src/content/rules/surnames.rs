//! A minor's surname is never published.
//!
//! For a testimonial with `consent.minor: true`, the surname is every word of
//! `author.name` after the first (particles such as « de » or « la » and
//! initials are not looked for alone). The check reads what becomes the
//! site, as written: front matter lines (title, summary, quote, role,
//! school, organisation, tags, `photo:`, `photo_alt`, `slug:`, `extra`…),
//! the Markdown body (text, link texts, image alts, file names), the page's
//! address and the names of its bundle's files. Words match whole, whatever
//! their case and accents (« Benali », « BENALI », « Bénali », not
//! « Benaliste »).
//!
//! - On the minor's own page, the surname alone is an error (only her or
//!   his `author.name` line and the `consent:` block are not published).
//! - On every other published page and section, and in the names of the
//!   content files they publish, the surname is an error next to the
//!   minor's first name (« Inès Benali », « BENALI Inès »): another
//!   « Martin » of the site is someone else, and flagging every one would
//!   make a large site unbuildable. A testimonial whose own author bears the
//!   same full name is a namesake's page and is left alone.
//!
//! A surname that is also an ordinary word (« Petit », « Blanc ») is
//! accepted phrase by phrase: `consent.surname_ok: ["petit déjeuner"]` on
//! the minor's testimonial accepts those words, written that way (any case
//! or accents), anywhere on the site, and nothing else.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::{Content, Details, Page};
use crate::diagnostics::{shown_path, Diagnostic, Lines, Location};
use crate::i18n;

/// Words of a name too common to name anyone on their own: « Inès de la
/// Fontaine » is looked for as `fontaine`, not as every `de` and `la`.
const PARTICLES: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "van", "von", "der", "den", "da", "di", "del", "della",
    "dos", "das", "do", "el", "al", "ben", "bin", "ibn", "bou", "mac", "mc", "st", "ste", "saint",
    "sainte", "ter", "ten", "zu", "af", "op",
];

/// How many words may stand between a minor's first name and surname for
/// them to name her or him on another page (« Inès Marie Benali »).
const GAP: usize = 3;

/// Folded words (lowercase, no accents) that matter to the check, numbered:
/// the other words of the site are never stored.
struct Words {
    ids: HashMap<String, u32>,
    /// The shapes of surnames, by their first two folded letters: bit `n`
    /// set when a surname of `n` letters starts with them (31: longer). Most
    /// words of a site are told apart from every surname by this alone,
    /// without being folded or looked up: the check reads the whole site.
    shapes: Vec<u32>,
}

impl Default for Words {
    fn default() -> Words {
        Words {
            ids: HashMap::new(),
            shapes: vec![0; 128 * 128],
        }
    }
}

/// The first two letters of `word` once folded (« Œuvray » → `oe`), as an
/// index of [`Words::shapes`].
fn head(word: &str) -> usize {
    let mut head = [0u8; 2];
    let mut n = 0;
    let mut buf = [0u8; 4];
    for c in word.chars().filter(|c| !is_invisible(*c)) {
        let folded = if c.is_ascii() {
            c.encode_utf8(&mut buf).as_bytes()
        } else {
            folded_char(c).as_bytes()
        };
        for &b in folded.iter().take(2 - n) {
            head[n] = b.to_ascii_lowercase() & 127;
            n += 1;
        }
        if n == 2 {
            break;
        }
    }
    usize::from(head[0]) * 128 + usize::from(head[1])
}

impl Words {
    fn intern(&mut self, folded: String) -> u32 {
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        *self.ids.entry(folded).or_insert(next)
    }

    fn surname(&mut self, folded: String) -> u32 {
        if let Some(shape) = self.shapes.get_mut(head(&folded)) {
            *shape |= 1 << folded.len().min(31);
        }
        self.intern(folded)
    }

    fn get(&self, folded: &str) -> Option<u32> {
        self.ids.get(folded).copied()
    }

    /// False when `word` (as written) cannot fold to a surname.
    fn may_be_surname(&self, word: &str) -> bool {
        let mask = self.shapes.get(head(word)).copied().unwrap_or(0);
        if mask == 0 {
            return false;
        }
        let len = if word.is_ascii() {
            word.len()
        } else {
            word.chars()
                .filter(|c| !is_invisible(*c))
                .map(|c| folded_char(c).len())
                .sum()
        };
        mask & (1 << len.min(31)) != 0
    }
}

/// `c` without accent (« é » → `e`, « Œ » → `OE`), as ASCII.
fn folded_char(c: char) -> &'static str {
    deunicode::deunicode_char(c).unwrap_or("")
}

/// Characters inside words that no reader sees as letters: the soft hyphen
/// (Word's "optional hyphen"), zero-width spaces and joiners, and combining
/// accents (« e » + « ◌́ », as macOS writes « é »). They belong to the word
/// they are in, and are dropped when it is folded: « Le\u{ad}fèvre » and
/// « Be\u{301}nali » show, and are checked, as « Lefèvre » and « Bénali ».
fn is_invisible(c: char) -> bool {
    crate::slug::is_zero_width(c) || matches!(c, '\u{300}'..='\u{36f}')
}

/// `word` without case or accents, into `buf`.
fn fold_into(word: &str, buf: &mut String) {
    buf.clear();
    for c in word.chars() {
        if c.is_ascii() {
            buf.push(c);
        } else if is_invisible(c) {
            continue;
        } else {
            buf.push_str(folded_char(c));
        }
    }
    buf.make_ascii_lowercase();
}

fn fold(word: &str) -> String {
    let mut buf = String::new();
    fold_into(word, &mut buf);
    buf
}

/// Whether `c` is a letter or a digit; quick for the letters and signs of
/// French text, which are most of what the check reads.
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{7f}' => false,
        // Latin-1 letters and Latin Extended-A (« é », « œ », « ł »), but
        // not « × » and « ÷ ».
        '\u{c0}'..='\u{17f}' => c != '×' && c != '÷',
        '\u{a0}' | '«' | '»' | '’' | '‘' | '“' | '”' | '…' | '–' | '—' | '\u{202f}' => {
            false
        }
        c if is_invisible(c) => true,
        _ => c.is_alphanumeric(),
    }
}

/// Calls `found` with each word (run of letters and digits) of `text`, as
/// a byte range: [`word_ranges`], quicker on the long texts of a site
/// (ASCII is read byte by byte).
fn for_each_word(text: &str, mut found: impl FnMut(Range<usize>)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (in_word, len) = match bytes[i] {
            b if b < 0x80 => (b.is_ascii_alphanumeric(), 1),
            _ => text
                .get(i..)
                .and_then(|rest| rest.chars().next())
                .map_or((false, 1), |c| (is_word_char(c), c.len_utf8())),
        };
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                found(s..i);
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        found(s..bytes.len());
    }
}

/// Up to `n` words of `text` that end at or before byte `end`, in order.
fn words_before(text: &str, end: usize, n: usize) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut word_end: Option<usize> = None;
    for (i, c) in text.get(..end).unwrap_or("").char_indices().rev() {
        match (is_word_char(c), word_end) {
            (true, None) => word_end = Some(i + c.len_utf8()),
            (false, Some(e)) => {
                words.push(i + c.len_utf8()..e);
                word_end = None;
                if words.len() == n {
                    break;
                }
            }
            _ => {}
        }
    }
    if let Some(e) = word_end.filter(|_| words.len() < n) {
        words.push(0..e);
    }
    words.reverse();
    words
}

/// Up to `n` words of `text` that start at or after byte `start`.
fn words_after(text: &str, start: usize, n: usize) -> Vec<Range<usize>> {
    let rest = text.get(start..).unwrap_or("");
    word_ranges(rest)
        .take(n)
        .map(|r| r.start + start..r.end + start)
        .collect()
}

/// The words (runs of letters and digits) of `text`, as byte ranges.
fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = chars.next()?;
            if is_word_char(c) {
                break i;
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !is_word_char(c) {
                end = i;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}

/// Some words of a text being checked (a surname and the words around it,
/// or a short text), each folded and looked up once.
struct Tokens<'t> {
    text: &'t str,
    ranges: Vec<Range<usize>>,
    /// The number of each word that matters ([`Words`]).
    ids: Vec<Option<u32>>,
}

impl<'t> Tokens<'t> {
    /// Every word of a short text (a file name, an address).
    fn new(text: &'t str, words: &'t Words) -> Tokens<'t> {
        Tokens::of(text, word_ranges(text).collect(), words)
    }

    fn of(text: &'t str, ranges: Vec<Range<usize>>, words: &Words) -> Tokens<'t> {
        let mut buf = String::new();
        let ids = ranges
            .iter()
            .map(|r| {
                fold_into(&text[r.clone()], &mut buf);
                words.get(&buf)
            })
            .collect();
        Tokens { text, ranges, ids }
    }

    fn len(&self) -> usize {
        self.ranges.len()
    }

    fn word(&self, k: usize) -> &'t str {
        self.ranges.get(k).map_or("", |r| &self.text[r.clone()])
    }

    /// The number of word `k`, when it is a word that matters.
    fn id(&self, k: usize) -> Option<u32> {
        self.ids.get(k).copied().flatten()
    }

    /// Whether the words from `start` are `ids`.
    fn matches_at(&self, start: usize, ids: &[u32]) -> bool {
        start + ids.len() <= self.len()
            && ids
                .iter()
                .enumerate()
                .all(|(j, id)| self.id(start + j) == Some(*id))
    }
}

/// A minor, as the check looks for her or him.
struct Minor {
    page: usize,
    file: PathBuf,
    /// `author.name` as written.
    name: String,
    /// The first word of the name, as written: what may be published.
    first: String,
    first_ids: Vec<u32>,
    /// The surname's words, without particles and initials: numbered, and
    /// folded.
    surname: Vec<u32>,
    surname_words: Vec<String>,
    /// Every folded word of the name, to recognise a namesake's own page.
    full: Vec<String>,
    /// `consent.surname_ok`, word by word.
    phrases: Vec<Vec<u32>>,
}

/// Where a surname was found.
enum Place<'c> {
    /// In the text of a page or section: its file and whole text.
    Text { file: &'c Path, text: &'c str },
    /// In a page's address, made from a file or folder name.
    Url { page: &'c Page },
    /// In the name of a file published with a page.
    File { shown: PathBuf },
    /// In a page's text as rendered (the range is in that text).
    Rendered { page: &'c Page },
}

struct Finding<'c> {
    minor: usize,
    place: Place<'c>,
    /// The surname as written, and where in the text of `place`.
    range: Range<usize>,
    /// The words the help offers for `surname_ok`, and whether the first
    /// name was next to the surname (then it is no ordinary word).
    phrase: String,
    with_first_name: bool,
}

/// At most this many pages read (a `serve` rebuild): only the minors
/// whose names their words hold are looked for.
const FEW_PAGES: usize = 64;

/// Which part of the site a check reads.
pub(super) enum Reading<'a> {
    /// Every page, section and bundle file (a full build).
    All,
    /// The text of these pages alone (a `serve` rebuild, see
    /// [`super::apply_again`]): nothing else changed since a build without
    /// such errors.
    Pages(&'a [usize]),
    /// The names of these files outside bundles, known to be published only
    /// once the bodies that link them are rendered.
    LooseFiles(&'a HashSet<PathBuf>),
    /// The text of these pages as rendered (by page index): what a reader
    /// sees once HTML codes (`&#108;`), tags (`<span>`) and Markdown marks
    /// (`**Ben**ali`) are read. Pages in `skip` already have a surname
    /// error from their text as written; one is enough.
    Rendered {
        texts: &'a [(usize, &'a str)],
        skip: &'a HashSet<PathBuf>,
    },
    /// Published text that is not content: `site.yaml`, templates, text
    /// files of `static/` (each as shown, with its text). A minor is named
    /// there by first name and surname together, as on another page.
    SiteFiles(&'a [(PathBuf, String)]),
}

/// Every minor's surname published anywhere, as errors.
pub(super) fn check(content: &Content, reading: Reading) -> Vec<Diagnostic> {
    let only = match reading {
        Reading::Pages(pages) => Some(pages),
        _ => None,
    };
    let mut words = Words::default();
    // A rebuild reads a few pages: only the minors they may name matter.
    let present = only.map(|changed| {
        let mut present = HashSet::new();
        for page in changed.iter().filter_map(|&i| content.pages.get(i)) {
            for_each_word(&page.text, |r| {
                present.insert(fold(&page.text[r]));
            });
        }
        present
    });
    // The same for the few pages of a rebuild as rendered.
    let rendered_pages: Option<Vec<usize>> = match &reading {
        Reading::Rendered { texts, .. } if texts.len() <= FEW_PAGES => {
            Some(texts.iter().map(|(i, _)| *i).collect())
        }
        _ => None,
    };
    let present = present.or_else(|| {
        let Reading::Rendered { texts, .. } = &reading else {
            return None;
        };
        rendered_pages.as_ref()?;
        let mut present = HashSet::new();
        for (_, text) in texts.iter() {
            for_each_word(text, |r| {
                present.insert(fold(&text[r]));
            });
        }
        Some(present)
    });
    let relevant = present.as_ref().zip(only.or(rendered_pages.as_deref()));
    let (minors, mut diagnostics) = minors(content, &mut words, relevant);
    if minors.is_empty() {
        return diagnostics;
    }
    let mut by_name: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
    for (m, minor) in minors.iter().enumerate() {
        let Some(&first) = minor.first_ids.first() else {
            continue;
        };
        let mut surname = minor.surname.clone();
        surname.sort_unstable();
        surname.dedup();
        for id in surname {
            by_name.entry((id, first)).or_default().push(m);
        }
    }
    let own_minor = minors
        .iter()
        .enumerate()
        .map(|(m, minor)| (minor.page, m))
        .collect();
    let longest = |lists: &mut dyn Iterator<Item = usize>| lists.max().unwrap_or(0);
    let reach = GAP
        + longest(&mut minors.iter().map(|m| m.first_ids.len()))
        + longest(&mut minors.iter().flat_map(|m| m.phrases.iter().map(Vec::len)));
    let scan = Scan {
        minors: &minors,
        own_minor,
        by_name,
        words: &words,
        reach,
    };
    if let Some(only) = only {
        let findings: Vec<Finding> = only
            .iter()
            .filter_map(|&i| Some((i, content.pages.get(i)?)))
            .filter(|(_, page)| page.is_published())
            .flat_map(|(i, page)| {
                let exclusions = Exclusions::of(&page.text, page.body_start);
                let author = author_words(page);
                scan.text(
                    &page.file,
                    &page.text,
                    Some(i),
                    &exclusions,
                    author.as_deref(),
                )
            })
            .collect();
        diagnostics.extend(findings.iter().map(|f| report(f, &minors, content)));
        return diagnostics;
    }
    if let Reading::Rendered { texts, skip } = reading {
        let findings: Vec<Finding> = texts
            .par_iter()
            .filter_map(|&(i, text)| Some((i, content.pages.get(i)?, text)))
            .filter(|(_, page, _)| page.is_published() && !skip.contains(&page.file))
            .filter_map(|(i, page, text)| {
                let author = author_words(page);
                let exclusions = Exclusions::default();
                let found = scan.text(&page.file, text, Some(i), &exclusions, author.as_deref());
                // One per page: the writer fixes the formatting of them all.
                let first = found.into_iter().next()?;
                Some(Finding {
                    place: Place::Rendered { page },
                    ..first
                })
            })
            .collect();
        diagnostics.extend(findings.iter().map(|f| report(f, &minors, content)));
        return diagnostics;
    }
    if let Reading::SiteFiles(files) = reading {
        let findings: Vec<Finding> = files
            .par_iter()
            .flat_map_iter(|(file, text)| {
                let yaml = file.extension().is_some_and(|e| e == "yaml" || e == "yml");
                let exclusions = if yaml {
                    Exclusions::comments(text)
                } else {
                    Exclusions::default()
                };
                scan.text(file, text, None, &exclusions, None)
            })
            .collect();
        diagnostics.extend(findings.iter().map(|f| report(f, &minors, content)));
        return diagnostics;
    }
    if let Reading::LooseFiles(published) = reading {
        let findings = scan.files(content, Some(published));
        diagnostics.extend(findings.iter().map(|f| report(f, &minors, content)));
        return diagnostics;
    }
    // Pages left out for errors of their own are never published, but a
    // surname on them is one more mistake to report in the same run.
    let pages: Vec<(usize, &Page)> = content.published().chain(partial_pages(content)).collect();
    let mut findings: Vec<Finding> = pages
        .par_iter()
        .flat_map_iter(|(i, page)| scan.page(*i, page))
        .collect();
    findings.extend(
        content
            .sections
            .par_iter()
            .flat_map_iter(|s| {
                let exclusions = Exclusions::of(&s.text, s.body_start);
                scan.text(&s.file, &s.text, None, &exclusions, None)
            })
            .collect::<Vec<_>>(),
    );
    findings.extend(scan.files(content, None));
    diagnostics.extend(findings.iter().map(|f| report(f, &minors, content)));
    diagnostics
}

/// The minors of the site, whatever their page's status: a withdrawn
/// minor's name must not stay on other pages. Also checks `surname_ok`.
/// With `relevant` (the words of the pages a rebuild reads, and those
/// pages), only the minors of those pages and those whose surname is there.
fn minors(
    content: &Content,
    words: &mut Words,
    relevant: Option<(&HashSet<String>, &[usize])>,
) -> (Vec<Minor>, Vec<Diagnostic>) {
    let mut minors = Vec::new();
    let mut diagnostics = Vec::new();
    let mut buf = String::new();
    let every_page = content
        .pages
        .iter()
        .enumerate()
        .chain(partial_pages(content));
    for (i, page) in every_page {
        let Details::Testimonial(t) = &page.meta.details else {
            continue;
        };
        let Some(consent) = t.consent.as_ref().filter(|c| c.minor) else {
            continue;
        };
        let name = t.author.name.trim();
        let mut parts = name.split_whitespace();
        let Some(first) = parts.next() else { continue };
        let rest: Vec<&str> = parts.collect();
        if let Some((present, changed)) = relevant {
            let mut named = rest.iter().flat_map(|w| word_ranges(w).map(move |r| &w[r]));
            let there = named.any(|w| {
                fold_into(w, &mut buf);
                present.contains(buf.as_str())
            });
            if !there && !changed.contains(&i) {
                continue;
            }
        }
        let parts: Vec<String> = rest
            .iter()
            .flat_map(|w| word_ranges(w).map(move |r| fold(&w[r])))
            .collect();
        let mut surname_words: Vec<String> = parts
            .iter()
            .filter(|w| w.chars().count() >= 2 && !PARTICLES.contains(&w.as_str()))
            .cloned()
            .collect();
        // « D'Angelo », « Le Goff », « Benali-Durand » are also written
        // joined (« Dangelo », « LeGoff »), and slugs join them so.
        if parts.len() > 1 && !surname_words.is_empty() {
            surname_words.push(parts.concat());
        }
        let surname: Vec<u32> = surname_words
            .iter()
            .map(|w| words.surname(w.clone()))
            .collect();
        if surname.is_empty() {
            continue;
        }
        let first_ids = word_ranges(first)
            .map(|r| words.intern(fold(&first[r])))
            .collect();
        let full = word_ranges(name).map(|r| fold(&name[r])).collect();
        let mut phrases = Vec::new();
        for phrase in &consent.surname_ok {
            let ids: Vec<u32> = word_ranges(phrase)
                .map(|r| words.intern(fold(&phrase[r])))
                .collect();
            let named = ids.iter().any(|id| surname.contains(id));
            let other = ids.iter().any(|id| !surname.contains(id));
            if named && other {
                phrases.push(ids);
            } else {
                diagnostics.push(
                    Diagnostic::error("surname-ok-invalid", i18n::surname_ok_invalid(phrase))
                        .at(page.locate_value("consent.surname_ok", phrase))
                        .help(i18n::hint_surname_ok()),
                );
            }
        }
        minors.push(Minor {
            page: i,
            file: page.file.clone(),
            name: name.to_string(),
            first: first.to_string(),
            first_ids,
            surname,
            surname_words,
            full,
            phrases,
        });
    }
    (minors, diagnostics)
}

/// The pages read with errors ([`Content::partial`]), numbered after
/// [`Content::pages`] so that a page index names one page of either list.
fn partial_pages(content: &Content) -> impl Iterator<Item = (usize, &Page)> {
    let offset = content.pages.len();
    content
        .partial
        .iter()
        .enumerate()
        .map(move |(j, page)| (offset + j, page))
}

/// Parts of a file's text that are not published: YAML comments, the
/// `consent:` block, and the `author.name` line (published as the first
/// name only, so skipped on the author's own page).
#[derive(Default)]
struct Exclusions {
    hidden: Vec<Range<usize>>,
    name_line: Option<Range<usize>>,
}

impl Exclusions {
    /// Of `text`, whose front matter (if any) ends before `body_start`.
    fn of(text: &str, body_start: usize) -> Exclusions {
        let mut out = Exclusions::default();
        let Some(first_end) = text.find('\n') else {
            return out;
        };
        if text[..first_end].trim_end() != "---" {
            return out;
        }
        let end = body_start.min(text.len());
        let mut offset = first_end + 1;
        let (mut in_consent, mut in_author) = (false, false);
        let mut block_scalar: Option<usize> = None;
        while offset < end {
            let line_end = text[offset..end].find('\n').map_or(end, |i| offset + i + 1);
            let line = &text[offset..line_end];
            let content = line.trim_start();
            let indent = line.len() - content.len();
            if let Some(block) = block_scalar {
                if indent > block || content.trim().is_empty() {
                    if in_consent {
                        out.hidden.push(offset..line_end);
                    }
                    offset = line_end;
                    continue;
                }
                block_scalar = None;
            }
            let top_level = indent == 0 && !content.starts_with(['-', '#']) && !content.is_empty();
            let (key, value) = content.split_once(':').unwrap_or((content, ""));
            let key = key.trim().trim_matches(['"', '\'']);
            if top_level {
                in_consent = key == "consent";
                in_author = key == "author";
                if in_author && !value.trim().is_empty() && out.name_line.is_none() {
                    // `author: {name: …}`: the whole line.
                    out.name_line = Some(offset..line_end);
                }
            } else if in_author && key == "name" && out.name_line.is_none() {
                out.name_line = Some(offset..line_end);
            }
            if in_consent && !content.trim().is_empty() {
                out.hidden.push(offset..line_end);
            } else if let Some(hash) = comment_start(line) {
                out.hidden.push(offset + hash..line_end);
            }
            if value.trim_start().starts_with(['|', '>']) {
                block_scalar = Some(indent);
            }
            offset = line_end;
        }
        out
    }

    /// The YAML comments of `text` (`site.yaml`), which are not published.
    fn comments(text: &str) -> Exclusions {
        let mut out = Exclusions::default();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if let Some(hash) = comment_start(line) {
                out.hidden.push(offset + hash..offset + line.len());
            }
            offset += line.len();
        }
        out
    }

    fn hides(&self, range: &Range<usize>) -> bool {
        self.hidden
            .iter()
            .any(|h| h.start <= range.start && range.end <= h.end)
    }

    fn in_name_line(&self, range: &Range<usize>) -> bool {
        self.name_line
            .as_ref()
            .is_some_and(|h| h.start <= range.start && range.end <= h.end)
    }
}

/// Where a YAML comment starts in `line`: a `#` at its start or after a
/// space, outside quotes. An apostrophe counts as a quote here, so a `#` is
/// taken as text rather than as a comment when in doubt.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut after_space = true;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && after_space => return Some(i),
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
        after_space = c.is_whitespace();
    }
    None
}

struct Scan<'s> {
    minors: &'s [Minor],
    /// The minor whose testimonial each page is, by page index.
    own_minor: HashMap<usize, usize>,
    /// Minors by a word of their surname and the first word of their first
    /// name: a surname on another page is looked up with the words around
    /// it, whatever the number of minors who bear it.
    by_name: HashMap<(u32, u32), Vec<usize>>,
    words: &'s Words,
    /// How many words around a surname decide whether it is reported: a
    /// first name within [`GAP`] words, an accepted phrase.
    reach: usize,
}

impl<'s> Scan<'s> {
    /// A published page: its text, its address.
    fn page<'c>(&self, index: usize, page: &'c Page) -> Vec<Finding<'c>> {
        let exclusions = Exclusions::of(&page.text, page.body_start);
        let author = author_words(page);
        let mut found = self.text(
            &page.file,
            &page.text,
            Some(index),
            &exclusions,
            author.as_deref(),
        );
        // The address: its folders, and its last part when it comes from
        // the file name (a `slug:` is a front matter line, checked above).
        let path = page.path.trim_end_matches('/');
        let checked = match page.meta.common.slug {
            Some(_) => path.rsplit_once('/').map_or("", |(dir, _)| dir),
            None => path,
        };
        let tokens = Tokens::new(checked, self.words);
        for (minor, k, with_first_name) in self.matches(&tokens, Some(index), author.as_deref()) {
            found.push(Finding {
                minor,
                place: Place::Url { page },
                range: tokens.ranges[k].clone(),
                phrase: String::new(),
                with_first_name,
            });
        }
        found
    }

    /// The surnames in `text` (a page's or a section's whole file).
    fn text<'c>(
        &self,
        file: &'c Path,
        text: &'c str,
        own: Option<usize>,
        exclusions: &Exclusions,
        author: Option<&[String]>,
    ) -> Vec<Finding<'c>> {
        let mut found = Vec::new();
        let mut buf = String::new();
        // Most words are no surname: each is looked at alone, and only a
        // surname gets the words around it read.
        for_each_word(text, |range| {
            let word = &text[range.clone()];
            if !self.words.may_be_surname(word) {
                return;
            }
            fold_into(word, &mut buf);
            let Some(id) = self.words.get(&buf) else {
                return;
            };
            let mut ranges = words_before(text, range.start, self.reach);
            let k = ranges.len();
            ranges.push(range.clone());
            ranges.extend(words_after(text, range.end, self.reach));
            let tokens = Tokens::of(text, ranges, self.words);
            let skip =
                |own: bool| exclusions.hides(&range) || (own && exclusions.in_name_line(&range));
            if let Some((minor, with_first_name)) = self.judge(&tokens, k, id, own, &skip, author) {
                found.push(Finding {
                    minor,
                    place: Place::Text { file, text },
                    range: range.clone(),
                    phrase: phrase_around(&tokens, k, &self.minors[minor]),
                    with_first_name,
                });
            }
        });
        found
    }

    /// The content files published with pages (a bundle's pictures), by
    /// name; with `loose`, the published files outside bundles instead.
    fn files<'c>(
        &self,
        content: &'c Content,
        loose: Option<&HashSet<PathBuf>>,
    ) -> Vec<Finding<'c>> {
        let bundles: HashMap<&Path, usize> = content
            .pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((p.bundle_dir.as_deref()?, i)))
            .collect();
        let mut found = Vec::new();
        for asset in &content.assets {
            let bundle = asset
                .source
                .ancestors()
                .skip(1)
                .find_map(|a| Some((a, *bundles.get(a)?)));
            // Its name inside the bundle, or its path in the output: never
            // the folders above the site (« /home/ines.benali/… »).
            let (name, own) = match bundle {
                Some(_) if loose.is_some() => continue,
                None if !loose.is_some_and(|l| l.contains(&asset.source)) => continue,
                Some((_, i)) if !content.pages[i].is_published() => continue,
                Some((dir, i)) => (
                    asset
                        .source
                        .strip_prefix(dir)
                        .map(crate::urls::slash_path)
                        .unwrap_or_default(),
                    Some(i),
                ),
                None => (asset.dest.clone(), None),
            };
            let tokens = Tokens::new(&name, self.words);
            let author = own.and_then(|i| author_words(&content.pages[i]));
            if let Some((minor, k, with_first_name)) = self
                .matches(&tokens, own, author.as_deref())
                .into_iter()
                .next()
            {
                let shown = shown_path(&content.root, &asset.source);
                found.push(Finding {
                    minor,
                    place: Place::File { shown },
                    range: 0..0,
                    phrase: tokens.word(k).to_string(),
                    with_first_name,
                });
            }
        }
        found
    }

    /// The surnames of `tokens` to report: (minor, token index, whether her
    /// or his first name is next to it). `own` is the page being read, whose
    /// author's surname counts alone; `author` the full name of that page's
    /// own author (a namesake's page is left alone).
    fn matches(
        &self,
        tokens: &Tokens,
        own: Option<usize>,
        author: Option<&[String]>,
    ) -> Vec<(usize, usize, bool)> {
        (0..tokens.len())
            .filter_map(|k| {
                let id = tokens.id(k)?;
                let (minor, first) = self.judge(tokens, k, id, own, &|_| false, author)?;
                Some((minor, k, first))
            })
            .collect()
    }

    /// Whether word `k` of `tokens`, numbered `id`, is a surname to report,
    /// and as which minor's (with whether her or his first name is next to
    /// it). `skip` tells, for the author's own page or another, whether the
    /// word is in an unpublished part.
    fn judge(
        &self,
        tokens: &Tokens,
        k: usize,
        id: u32,
        own: Option<usize>,
        skip: &dyn Fn(bool) -> bool,
        author: Option<&[String]>,
    ) -> Option<(usize, bool)> {
        // On the minor's own page, the surname alone.
        let own_minor = own.and_then(|page| self.own_minor.get(&page)).copied();
        if let Some(m) = own_minor {
            let minor = &self.minors[m];
            if minor.surname.contains(&id) && !skip(true) && !accepted(tokens, k, &minor.phrases) {
                let first = first_name_near(tokens, k, &minor.first_ids);
                return Some((m, first.is_some()));
            }
        }
        // Elsewhere, next to the first name: the minors named so are found
        // by the words around it.
        if skip(false) {
            return None;
        }
        let lo = k.saturating_sub(self.reach);
        let hi = (k + self.reach + 1).min(tokens.len());
        for j in (lo..hi).filter(|&j| j != k) {
            let Some(first) = tokens.id(j) else { continue };
            for &m in self.by_name.get(&(id, first)).into_iter().flatten() {
                let minor = &self.minors[m];
                if Some(m) == own_minor
                    || author == Some(minor.full.as_slice())
                    || first_name_near(tokens, k, &minor.first_ids).is_none()
                    || accepted(tokens, k, &minor.phrases)
                {
                    continue;
                }
                return Some((m, true));
            }
        }
        None
    }
}

/// The folded words of the author's name of a testimonial.
fn author_words(page: &Page) -> Option<Vec<String>> {
    let Details::Testimonial(t) = &page.meta.details else {
        return None;
    };
    let name = &t.author.name;
    Some(word_ranges(name).map(|r| fold(&name[r])).collect())
}

/// Where the first name (its words `first`) stands within [`GAP`] words
/// before or after token `k`: the index of its first word.
fn first_name_near(tokens: &Tokens, k: usize, first: &[u32]) -> Option<usize> {
    let n = first.len();
    if n == 0 {
        return None;
    }
    let lo = k.saturating_sub(n + GAP);
    let hi = (k + 1 + GAP).min(tokens.len());
    (lo..hi)
        .filter(|&s| s + n <= k || s > k)
        .find(|&s| tokens.matches_at(s, first))
}

/// Whether token `k` is inside one of the accepted `phrases`.
fn accepted(tokens: &Tokens, k: usize, phrases: &[Vec<u32>]) -> bool {
    phrases.iter().any(|phrase| {
        ((k + 1).saturating_sub(phrase.len())..=k).any(|s| tokens.matches_at(s, phrase))
    })
}

/// The words the help offers for `surname_ok`: the surname and the word
/// written next to it (« petit déjeuner »), or the full name found.
fn phrase_around(tokens: &Tokens, k: usize, minor: &Minor) -> String {
    let r = &tokens.ranges;
    // Words written together: « petit déjeuner », « petit-déjeuner ».
    let close = |a: usize, b: usize| {
        let gap = &tokens.text[r[a].end..r[b].start];
        gap.chars().count() <= 2
            && gap
                .chars()
                .all(|c| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '-' | '\'' | '’'))
    };
    let (start, end) = match first_name_near(tokens, k, &minor.first_ids) {
        Some(s) => (s.min(k), (s + minor.first_ids.len() - 1).max(k)),
        None => match k.checked_sub(1) {
            _ if k + 1 < r.len() && close(k, k + 1) => (k, k + 1),
            Some(before) if close(before, k) => (before, k),
            _ => (k, k),
        },
    };
    let span = &tokens.text[r[start].start..r[end].end];
    span.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn report(finding: &Finding, minors: &[Minor], content: &Content) -> Diagnostic {
    let minor = &minors[finding.minor];
    let minor_file = minor.file.display().to_string();
    let entry = format!(
        "[{}]",
        serde_json::to_string(&finding.phrase).unwrap_or_default()
    );
    let own_page = |file: &Path| file == minor.file;
    match &finding.place {
        Place::Text { file, text } => {
            let lines = Lines::new(text);
            let location =
                Location::at_offset(file, &lines, finding.range.start, finding.range.len());
            let written = &text[finding.range.clone()];
            let own = own_page(file);
            let message = if own {
                i18n::minor_surname(written)
            } else {
                i18n::minor_full_name(&minor.name, &minor_file)
            };
            let alone = finding.phrase == written;
            let help = match (own, finding.with_first_name) {
                (true, true) => i18n::hint_minor_name_only(&minor.first),
                (true, false) if alone => i18n::hint_minor_surname_alone(&minor.first),
                (true, false) => i18n::hint_minor_surname(&minor.first, &finding.phrase, &entry),
                (false, _) => i18n::hint_minor_surname_elsewhere(
                    &minor.first,
                    &finding.phrase,
                    &entry,
                    &minor_file,
                ),
            };
            Diagnostic::error("minor-surname", message)
                .at(location)
                .help(help)
        }
        Place::Url { page } => {
            let written = page.path.get(finding.range.clone()).unwrap_or("");
            let url = format!("/{}", page.path);
            let shown = match &page.bundle_dir {
                Some(dir) => shown_path(&content.root, dir),
                None => page.file.clone(),
            };
            let suggestion: Vec<&str> = page
                .slug
                .split('-')
                .filter(|part| !minor.surname_words.contains(&fold(part)))
                .collect();
            let suggestion = if suggestion.is_empty() {
                "temoignage".to_string()
            } else {
                suggestion.join("-")
            };
            Diagnostic::error("minor-surname", i18n::minor_surname_in_url(&url, written))
                .at_file(&shown)
                .help(i18n::hint_minor_surname_url(&suggestion))
        }
        Place::Rendered { page } => {
            let surname = &minor.surname_words;
            let line = rendered_line(page, surname).unwrap_or(page.body_line);
            let location = Location::in_text(&page.file, &page.text, line, 1, 0);
            let message = if own_page(&page.file) {
                i18n::minor_surname_formatted(&finding.phrase)
            } else {
                i18n::minor_full_name_formatted(&minor.name, &minor_file)
            };
            Diagnostic::error("minor-surname", message)
                .at(location)
                .help(i18n::hint_minor_surname_formatted(&minor.first))
        }
        Place::File { shown } => Diagnostic::error(
            "minor-surname",
            i18n::minor_surname_in_file(&finding.phrase),
        )
        .at_file(shown)
        .help(i18n::hint_minor_surname_file()),
    }
}

/// The line of `page`'s body that shows one of the `surname` words once
/// rendered: each line is read as Markdown alone, its text folded and
/// joined (« **Ben**ali », « Bena&#108;i » → `benali`).
fn rendered_line(page: &Page, surname: &[String]) -> Option<usize> {
    let body = page.body();
    body.lines().enumerate().find_map(|(n, line)| {
        let mut shown = String::new();
        for event in pulldown_cmark::Parser::new(line) {
            if let pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) = event {
                shown.push_str(&t);
            }
        }
        let letters: String = fold(&shown)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        surname
            .iter()
            .any(|w| letters.contains(w.as_str()))
            .then_some(page.body_line + n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let text = "Inès BENALI-Dupont, l’école n°3 (IMG_benali.jpg)";
        let words: Vec<&str> = word_ranges(text).map(|r| &text[r]).collect();
        assert_eq!(
            words,
            ["Inès", "BENALI", "Dupont", "l", "école", "n", "3", "IMG", "benali", "jpg"]
        );
        assert_eq!(fold("BÉNALİ"), "benali");
        assert_eq!(fold("Œuvray"), "oeuvray");
        for c in ['é', 'Ç', 'ÿ', 'ł', 'ß', 'ж', '٣'] {
            assert!(is_word_char(c) && c.is_alphanumeric(), "{c}");
        }
        for c in ['×', '÷', '’', '«', '\u{a0}', '-', '_', '\u{202f}'] {
            assert!(!is_word_char(c) && !c.is_alphanumeric(), "{c}");
        }
    }

    #[test]
    fn the_quick_walk_finds_the_same_words() {
        let text = "« Inès » a dit : l’école — n°3, Œuvre×2 ÉTÉ\u{a0}ok ж٣ fin";
        let mut quick = Vec::new();
        for_each_word(text, |r| quick.push(r));
        let slow: Vec<_> = word_ranges(text).collect();
        assert_eq!(quick, slow);
        let at = text.find("école").unwrap();
        let words = |rs: Vec<Range<usize>>| rs.into_iter().map(|r| &text[r]).collect::<Vec<_>>();
        assert_eq!(words(words_before(text, at, 3)), ["a", "dit", "l"]);
        assert_eq!(words(words_before(text, at, 10)), ["Inès", "a", "dit", "l"]);
        assert_eq!(words(words_after(text, at + "école".len(), 2)), ["n", "3"]);
        assert!(words_before(text, 0, 2).is_empty());
    }

    #[test]
    fn only_likely_words_are_looked_up() {
        let mut words = Words::default();
        words.surname("benali".into());
        words.surname("oeuvray".into());
        for maybe in ["Benali", "BENALI", "Bénali", "Œuvray", "ŒUVRAY"] {
            assert!(words.may_be_surname(maybe), "{maybe}");
        }
        for not in ["Benalis", "bénalis", "Bonali", "Petit", "b", ""] {
            assert!(!words.may_be_surname(not), "{not}");
        }
    }

    #[test]
    fn comments_start_outside_quotes() {
        assert_eq!(comment_start("title: Stage # note"), Some(13));
        assert_eq!(comment_start("# note"), Some(0));
        assert_eq!(comment_start("title: \"Stage #1 Benali\""), None);
        assert_eq!(comment_start("title: Stage#1"), None);
    }

    #[test]
    fn unpublished_parts_of_the_front_matter() {
        let text = "---\ntitle: Stage # Benali\nauthor:\n  name: Inès Benali\n  role: Élève\nconsent:\n  minor: true\n  surname_ok: [\"Petit déjeuner\"]\nsummary: |\n  Texte # pas un commentaire\n---\nCorps # pas un commentaire\n";
        let body = text.find("Corps").unwrap();
        let x = Exclusions::of(text, body);
        let hidden = |word: &str| {
            let start = text.find(word).unwrap();
            x.hides(&(start..start + word.len()))
        };
        assert!(hidden("# Benali"));
        assert!(hidden("minor"));
        assert!(hidden("Petit"));
        assert!(!hidden("Stage"));
        assert!(!hidden("Élève"));
        assert!(!hidden("# pas un commentaire\n---"));
        assert!(!hidden("Corps # pas"));
        let name = text.find("Inès Benali").unwrap();
        assert!(x.in_name_line(&(name..name + 5)));
        assert!(!x.in_name_line(&(0..3)));
    }
}
