//! French typography for pages whose language starts with `fr`.
//!
//! French puts a (no-break) space before the "high" punctuation marks and
//! inside guillemets, uses a typographic apostrophe, and keeps the groups of a
//! number together. Authors rarely type those spaces, and a normal space lets
//! the browser wrap a lonely `!` onto the next line, so we fix the text here:
//!
//! * U+202F NARROW NO-BREAK SPACE before `;` `!` `?`, after `«`, before `»`,
//!   between digit groups (`10 000`) and before `%` / currency / `°`;
//! * U+00A0 NO-BREAK SPACE before `:`;
//! * `'` → `’` after a letter (`l’été`), `‘` at the start of a word;
//! * `...` → `…`;
//! * `"texte"` (and the `“texte”` of smart punctuation) → `« texte »`, with
//!   `“ ”` for a quotation nested inside guillemets.
//!
//! Only *text* is touched: code spans and blocks, raw HTML, math, link
//! destinations and titles, image alt text (it becomes an attribute), autolinks,
//! links whose text is their URL, bare URLs inside text, and the content of
//! inline HTML elements that hold code rather than prose (`<code>`, `<kbd>`,
//! `<script>`… see [`VERBATIM_ELEMENTS`]) stay verbatim.
//!
//! The transformation is idempotent: every decision depends only on what has
//! already been *written* (never on what was read) and on the class of the next
//! character, which no rule changes. Running it on its own output (or on text
//! that is already correct) changes nothing.
//!
//! [`french`] handles plain strings (titles, summaries); [`french_events`]
//! wraps a pulldown-cmark event stream.

use std::collections::VecDeque;
use std::iter::Fuse;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// U+202F NARROW NO-BREAK SPACE: before `; ! ?`, inside « », in numbers.
const NNBSP: char = '\u{202F}';
/// U+00A0 NO-BREAK SPACE: before `:`.
const NBSP: char = '\u{a0}';

/// Apply French typography to a plain string (a title, a summary): the whole
/// string is text, except bare URLs which are copied verbatim.
pub fn french(text: &str) -> String {
    Typographer::default().text(text)
}

/// Markdown event adapter: applies the rules to `Event::Text` only, outside code blocks,
/// passes `Code`, `Html`, `InlineHtml`, `InlineMath`, `DisplayMath`, `FootnoteReference`, etc. untouched,
/// carries context across events of one block (reset at block starts/ends),
/// and leaves the text of autolinks / links whose text is a URL untouched, as
/// well as the text inside inline `<code>`, `<kbd>`, `<script>`… elements.
///
/// Consecutive `Text` events (pulldown-cmark splits text around entities,
/// escapes and smart punctuation) are merged into one before being transformed,
/// so the output may contain fewer `Text` events; the rendered HTML is the same
/// apart from the typography.
pub fn french_events<'a, I>(events: I) -> impl Iterator<Item = Event<'a>>
where
    I: Iterator<Item = Event<'a>>,
{
    FrenchEvents {
        inner: events.fuse(),
        typo: Typographer::default(),
        raw: String::new(),
        held: Vec::new(),
        ready: VecDeque::new(),
        verbatim_block: false,
        image_depth: 0,
        link: None,
        element_depth: [0; VERBATIM_ELEMENTS.len()],
    }
}

// ---------------------------------------------------------------------------
// The character-level state machine
// ---------------------------------------------------------------------------

/// Walks text one character at a time and writes the corrected text.
///
/// The state describes what has been *written so far* in the current block
/// (not what was read): that is what makes a second pass see the same state at
/// the same place, hence idempotence.
#[derive(Debug, Default)]
struct Typographer {
    /// Last character written in this block, `None` at the start of a block.
    prev: Option<char>,
    /// The character written before `prev` (to see the digit in `100 %`).
    before_prev: Option<char>,
    /// How many ASCII digits end the output (`10 000` is grouped, `2020 300` is not).
    digit_run: usize,
    /// A `«` has been written and not closed yet.
    open_quote: bool,
    /// A nested `“` has been written and not closed yet.
    open_inner: bool,
    /// We are copying a bare URL (`https://…`) verbatim until whitespace.
    in_url: bool,
    /// Set when a rule had to change the last character of the *previous*
    /// chunk (the space in `Bravo <em>!</em>` belongs to the text before the
    /// tag); the event adapter applies it. `french` never needs it because the
    /// whole string is one chunk.
    retouch: Option<char>,
}

impl Typographer {
    /// Forget everything: a new block starts.
    fn reset(&mut self) {
        *self = Self::default();
    }

    /// Transform one chunk of text, continuing from the current state.
    fn text(&mut self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len() + 8);
        let mut i = 0;
        while i < chars.len() {
            // Inside a word no rule applies (`step` would write each letter
            // as it is): copy the rest of the word at once.
            let run = self.rest_of_word(&chars[i..]);
            for &c in run {
                out.push(c);
                self.note(c);
            }
            i += run.len();
            if i < chars.len() {
                // `step` always consumes at least one character.
                i += self.step(&chars[i..], &mut out);
            }
        }
        out
    }

    /// The letters and digits that start `rest` when the last character
    /// written is one too (outside a URL): what `step` copies unchanged.
    fn rest_of_word<'c>(&self, rest: &'c [char]) -> &'c [char] {
        if self.in_url || !self.prev.is_some_and(char::is_alphanumeric) {
            return &[];
        }
        let n = rest.iter().take_while(|c| c.is_alphanumeric()).count();
        &rest[..n]
    }

    /// Record text we must not change (code, URLs, alt text) so that the next
    /// rule knows what precedes it, e.g. the `!` in `` `code`! ``.
    fn observe(&mut self, s: &str) {
        s.chars().for_each(|c| self.note(c));
        self.in_url = false;
    }

    /// A soft or hard line break: whitespace that is not ours to change.
    fn line_break(&mut self) {
        self.note('\n');
        self.in_url = false;
    }

    /// Handle the first character of `rest` (never empty), write the result
    /// to `out`, and return how many characters were consumed.
    fn step(&mut self, rest: &[char], out: &mut String) -> usize {
        let Some((&c, ahead)) = rest.split_first() else {
            return 1;
        };
        let next = ahead.first().copied();

        // A bare URL is copied as is: `?` and `:` in it are not punctuation.
        if self.in_url {
            if !ends_url(c) {
                self.push(out, c);
                return 1;
            }
            self.in_url = false;
        }

        // Right after `«` comes a narrow no-break space, whatever follows.
        if self.prev == Some('«') {
            match c {
                ' ' | NBSP => {
                    self.push(out, NNBSP);
                    return 1;
                }
                c if c.is_whitespace() => {}
                _ => self.push(out, NNBSP),
            }
        }

        if !self.prev.is_some_and(char::is_alphanumeric) && starts_url(rest) {
            self.in_url = true;
            self.push(out, c);
            return 1;
        }

        match c {
            '.' if ahead.starts_with(&['.', '.']) => {
                self.push(out, '…');
                return 3;
            }
            '\'' => {
                let apostrophe = self.apostrophe(next);
                self.push(out, apostrophe);
            }
            '"' | '“' | '”' => self.quote(out, c, next),
            '»' => self.close_guillemets(out),
            ';' | '!' | '?' => {
                if is_punctuation(next) {
                    self.space_before(out, NNBSP, &[' ', NBSP]);
                }
                self.push(out, c);
            }
            ':' => {
                // `10:30`, `C:\`, `http://`, `a::b`, `clé:valeur` are not the
                // French colon, which is always followed by a space or the end.
                if is_punctuation(next) && !matches!(next, Some('/' | '\\' | ':')) {
                    // An existing U+202F is accepted too: it is still unbreakable.
                    if self.prev != Some(NNBSP) {
                        self.space_before(out, NBSP, &[' ']);
                    }
                }
                self.push(out, c);
            }
            '%' | '‰' => {
                if is_punctuation(next) {
                    self.unit_space(out, true);
                }
                self.push(out, c);
            }
            // `20 °C`, `5 €`: only an existing space is fixed, since `20°` (an
            // angle) or `$5` are written without one.
            '€' | '$' | '£' | '¥' | '°' => {
                self.unit_space(out, false);
                self.push(out, c);
            }
            ' ' | NBSP if self.joins_digit_groups(ahead) => self.push(out, NNBSP),
            _ => self.push(out, c),
        }
        1
    }

    /// Write `c` and update the state.
    fn push(&mut self, out: &mut String, c: char) {
        out.push(c);
        self.note(c);
        match c {
            '«' => self.open_quote = true,
            '»' => {
                self.open_quote = false;
                self.open_inner = false;
            }
            '“' => self.open_inner = true,
            '”' => self.open_inner = false,
            _ => {}
        }
    }

    /// Remember `c` as the last character of the block (without writing it).
    fn note(&mut self, c: char) {
        self.before_prev = self.prev;
        self.prev = Some(c);
        self.digit_run = if c.is_ascii_digit() {
            self.digit_run.saturating_add(1)
        } else {
            0
        };
    }

    /// Replace the last written character (a space) by `c`. If it was written
    /// by an earlier chunk, ask the caller to do it through `retouch`.
    fn replace_last(&mut self, out: &mut String, c: char) {
        if out.pop().is_some() {
            out.push(c);
        } else {
            self.retouch = Some(c);
        }
        self.prev = Some(c);
        self.digit_run = 0;
    }

    /// Make sure `space` precedes the mark about to be written: replace one of
    /// the `replaceable` spaces, or insert it right after a word. Nothing is
    /// inserted at the start of a block or after other punctuation, so `?!`
    /// gets a single space, before the `?`.
    fn space_before(&mut self, out: &mut String, space: char, replaceable: &[char]) {
        match self.prev {
            Some(p) if p == space => {}
            Some(p) if replaceable.contains(&p) => self.replace_last(out, space),
            Some(p) if ends_word(p) => self.push(out, space),
            _ => {}
        }
    }

    /// `100 %` / `100%` → `100 %` with U+202F, only right after a number.
    fn unit_space(&mut self, out: &mut String, insert: bool) {
        let after_number = self.before_prev.is_some_and(|p| p.is_ascii_digit());
        match self.prev {
            Some(' ' | NBSP) if after_number => self.replace_last(out, NNBSP),
            Some(p) if insert && p.is_ascii_digit() => self.push(out, NNBSP),
            _ => {}
        }
    }

    /// Is the space about to be written between two groups of a number
    /// (`10 000`, `1 000 000`)? The group before has 1 to 3 digits, the one
    /// after exactly 3, so a year next to a number (`2020 300`) is left alone.
    fn joins_digit_groups(&self, ahead: &[char]) -> bool {
        let group_before = (1..=3).contains(&self.digit_run);
        let group_after = ahead.len() >= 3
            && ahead.iter().take(3).all(char::is_ascii_digit)
            && !ahead.get(3).is_some_and(char::is_ascii_digit);
        group_before && group_after
    }

    /// `'` after a letter is an apostrophe (`l’été`, `aujourd’hui`); at the
    /// start of a word it opens a quotation (`‘quote’`), as pulldown-cmark's
    /// smart punctuation does, so titles and bodies agree. Anything else
    /// (`5'`, a lone `'`) is left alone.
    fn apostrophe(&self, next: Option<char>) -> char {
        match self.prev {
            Some(p) if p.is_alphabetic() => '’',
            p if opens(p) && next.is_some_and(char::is_alphanumeric) => '‘',
            _ => '\'',
        }
    }

    /// Straight or curly double quote. Curly quotes tell their direction; a
    /// straight one opens after a space (or at the start), closes otherwise.
    /// The outer level becomes « », a quotation inside it keeps “ ”.
    fn quote(&mut self, out: &mut String, c: char, next: Option<char>) {
        let quoting = self.open_quote || self.open_inner;
        let opening = match c {
            '“' => true,
            '”' => false,
            // `« texte "`: a spaced straight quote closes the open quotation
            // unless a word starts right after it.
            _ => opens(self.prev) && (!quoting || next.is_some_and(char::is_alphanumeric)),
        };
        if opening {
            let mark = if self.open_quote { '“' } else { '«' };
            self.push(out, mark);
        } else if self.open_inner {
            self.push(out, '”');
        } else if self.open_quote {
            self.close_guillemets(out);
        } else {
            // Nothing to close (`12"`, a stray `”`): leave it as written.
            self.push(out, c);
        }
    }

    /// Write `»` with a narrow no-break space before it.
    fn close_guillemets(&mut self, out: &mut String) {
        match self.prev {
            Some(' ' | NBSP) => self.replace_last(out, NNBSP),
            Some(p) if !p.is_whitespace() => self.push(out, NNBSP),
            _ => {}
        }
        self.push(out, '»');
    }
}

/// Characters after which a space-less `; ! ? :` is still French punctuation
/// that needs its space: the end of a word, number or closing sign.
fn ends_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ')' | ']' | '»' | '”' | '’' | '…')
}

/// A quote opens after nothing, whitespace or an opening bracket/dash.
fn opens(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => p.is_whitespace() || matches!(p, '(' | '[' | '{' | '—' | '–'),
    }
}

/// A mark directly followed by a letter or digit is not prose punctuation
/// (`a;b`, `?id=3`, `50%off`), so it gets no space.
fn is_punctuation(next: Option<char>) -> bool {
    !next.is_some_and(char::is_alphanumeric)
}

/// Does a bare URL start here? Checked only at the start of a word.
fn starts_url(rest: &[char]) -> bool {
    const PREFIXES: [&str; 6] = [
        "http://", "https://", "ftp://", "ftps://", "mailto:", "www.",
    ];
    // Most characters start no prefix: skip the six comparisons for them.
    if !rest
        .first()
        .is_some_and(|c| matches!(c.to_ascii_lowercase(), 'h' | 'f' | 'm' | 'w'))
    {
        return false;
    }
    PREFIXES.iter().any(|prefix| {
        let n = prefix.len(); // ASCII: bytes == chars
        rest.len() > n
            && rest
                .iter()
                .zip(prefix.chars())
                .all(|(a, b)| a.to_ascii_lowercase() == b)
            && !ends_url(rest[n])
    })
}

/// A bare URL runs until whitespace or a character that cannot be in a URL
/// and is likely typography around it (quotes, guillemets, angle brackets).
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '«' | '»' | '“' | '”')
}

// ---------------------------------------------------------------------------
// The event adapter
// ---------------------------------------------------------------------------

/// Inline HTML elements whose content is code or not prose: the text between
/// their tags is left verbatim (tag names are compared case-insensitively).
const VERBATIM_ELEMENTS: [&str; 10] = [
    "code", "kbd", "samp", "var", "pre", "script", "style", "textarea", "math", "svg",
];

/// Those of [`VERBATIM_ELEMENTS`] whose content HTML does not parse as tags:
/// inside them, only their own tags count (`<script>"<code>"</script>`).
const RAW_TEXT_ELEMENTS: [&str; 3] = ["script", "style", "textarea"];

/// Destination of the link we are in, to recognise a link whose text is its URL.
struct LinkText {
    dest: String,
    /// `<https://…>` or `<a@b.fr>`: the text is the URL, always verbatim.
    autolink: bool,
}

/// Iterator returned by [`french_events`].
///
/// Text flows through three buffers:
/// * `raw`: consecutive `Text` events, merged, not transformed yet (so a rule
///   sees `10 000` or `l’été` whole even when pulldown-cmark split them);
/// * `held`: the last transformed text plus the inline tags after it, kept
///   back because the next text may need to change its last character (the
///   space in `Bravo *!*`);
/// * `ready`: events that can be handed out.
struct FrenchEvents<'a, I: Iterator<Item = Event<'a>>> {
    inner: Fuse<I>,
    typo: Typographer,
    raw: String,
    held: Vec<Event<'a>>,
    ready: VecDeque<Event<'a>>,
    /// Inside a code block or a metadata block: text passes untouched.
    verbatim_block: bool,
    /// Inside an image: its "text" is the alt attribute, left untouched.
    image_depth: usize,
    link: Option<LinkText>,
    /// How many of each of [`VERBATIM_ELEMENTS`] are open in the inline HTML
    /// of this block (reset with the block, so an unclosed tag cannot leak).
    element_depth: [usize; VERBATIM_ELEMENTS.len()],
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for FrenchEvents<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            match self.inner.next() {
                Some(event) => self.handle(event),
                None => {
                    self.settle();
                    self.flush();
                    return self.ready.pop_front();
                }
            }
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> FrenchEvents<'a, I> {
    fn handle(&mut self, event: Event<'a>) {
        match event {
            Event::Text(text) if self.verbatim_block => {
                self.settle();
                self.flush();
                self.ready.push_back(Event::Text(text));
            }
            Event::Text(text) => self.raw.push_str(&text),
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            // Inline HTML is invisible to the reader's eye: `x</span> !` is
            // still "x !", so it does not break the context.
            // Text inside `<code>…</code>` & co. is settled (verbatim) first.
            Event::InlineHtml(ref html) => {
                self.settle();
                self.inline_html(html);
                self.hold(event);
            }
            // Atoms that read like a word: untouched, but the next text must
            // know what precedes it.
            Event::Code(ref content)
            | Event::InlineMath(ref content)
            | Event::DisplayMath(ref content)
            | Event::FootnoteReference(ref content) => {
                self.settle();
                self.flush();
                self.typo.observe(content);
                self.ready.push_back(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.settle();
                self.flush();
                self.typo.line_break();
                self.ready.push_back(event);
            }
            // Block-level HTML, rules, task list markers: a fresh start.
            _ => {
                self.settle();
                self.flush();
                self.new_block();
                self.ready.push_back(event);
            }
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        self.settle();
        match &tag {
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => {}
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                self.link = Some(LinkText {
                    dest: dest_url.to_string(),
                    autolink: matches!(link_type, LinkType::Autolink | LinkType::Email),
                });
            }
            Tag::Image { .. } => self.image_depth += 1,
            // Any other tag starts a block.
            _ => {
                self.verbatim_block = matches!(tag, Tag::CodeBlock(_) | Tag::MetadataBlock(_));
                self.flush();
                self.new_block();
                self.ready.push_back(Event::Start(tag));
                return;
            }
        }
        self.hold(Event::Start(tag));
    }

    fn end(&mut self, tag: TagEnd) {
        self.settle();
        match tag {
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {}
            TagEnd::Link => self.link = None,
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            _ => {
                self.verbatim_block = false;
                self.flush();
                self.new_block();
                self.ready.push_back(Event::End(tag));
                return;
            }
        }
        self.hold(Event::End(tag));
    }

    /// Transform the merged text collected in `raw` (or pass it through if it
    /// must stay verbatim) and make it the new held text.
    fn settle(&mut self) {
        if self.raw.is_empty() {
            return;
        }
        let raw = std::mem::take(&mut self.raw);
        if self.raw_is_verbatim(&raw) {
            self.flush();
            self.typo.observe(&raw);
            self.ready.push_back(Event::Text(raw.into()));
            return;
        }
        let text = self.typo.text(&raw);
        if let Some(c) = self.typo.retouch.take() {
            self.retouch_held(c);
        }
        self.flush();
        self.held.push(Event::Text(text.into()));
    }

    /// Forget the context: a block starts or ends.
    fn new_block(&mut self) {
        self.typo.reset();
        self.element_depth = [0; VERBATIM_ELEMENTS.len()];
    }

    /// Follow the opening and closing tags of [`VERBATIM_ELEMENTS`] in a piece
    /// of inline HTML (usually one tag; nested same-name tags are counted).
    fn inline_html(&mut self, html: &str) {
        let depth = &mut self.element_depth;
        for_each_tag(html, |name, closing, self_closing| {
            let Some(k) = VERBATIM_ELEMENTS
                .iter()
                .position(|e| name.eq_ignore_ascii_case(e))
            else {
                return;
            };
            let in_raw_text = VERBATIM_ELEMENTS.iter().zip(depth.iter()).any(|(e, &d)| {
                d > 0 && *e != VERBATIM_ELEMENTS[k] && RAW_TEXT_ELEMENTS.contains(e)
            });
            if in_raw_text {
                return;
            }
            if closing {
                depth[k] = depth[k].saturating_sub(1);
            } else if !self_closing {
                depth[k] += 1;
            }
        });
    }

    /// Alt text, text inside `<code>` & co., autolinks, and link text that is
    /// the link's URL.
    fn raw_is_verbatim(&self, raw: &str) -> bool {
        if self.image_depth > 0 || self.element_depth.iter().any(|&d| d > 0) {
            return true;
        }
        let Some(link) = &self.link else {
            return false;
        };
        let chars: Vec<char> = raw.chars().collect();
        link.autolink
            || raw == link.dest
            || starts_url(&chars)
            // `[ex.fr/?q=1](https://ex.fr/?q=1)`
            || (raw.contains('.') && !raw.contains(char::is_whitespace) && link.dest.ends_with(raw))
    }

    /// Replace the last character of the held text (see `Typographer::retouch`).
    fn retouch_held(&mut self, c: char) {
        if let Some(Event::Text(text)) = self.held.first_mut() {
            let mut s = text.to_string();
            if s.pop().is_some() {
                s.push(c);
                *text = CowStr::from(s);
            }
        }
    }

    /// Queue an inline event behind the held text, or hand it out if nothing is held.
    fn hold(&mut self, event: Event<'a>) {
        if self.held.is_empty() {
            self.ready.push_back(event);
        } else {
            self.held.push(event);
        }
    }

    /// Nothing can change the held events any more: hand them out.
    fn flush(&mut self) {
        self.ready.extend(self.held.drain(..));
    }
}

/// Call `f(name, closing, self_closing)` for each tag in a piece of HTML
/// (`<name …>`, `</name>`, `<name … />`), skipping comments, declarations and
/// `>` inside quoted attribute values. An unterminated tag is ignored.
fn for_each_tag(html: &str, mut f: impl FnMut(&str, bool, bool)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        // Every index below sits on an ASCII byte, hence on a char boundary.
        i += offset + 1;
        if html[i..].starts_with("!--") {
            match html[i + 3..].find("-->") {
                Some(end) => i += 3 + end + 3,
                None => return,
            }
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_len = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        let name = &html[i..i + name_len];
        i += name_len;
        let mut quote = None;
        let mut last = None;
        let mut terminated = false;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'>' => {
                    terminated = true;
                    break;
                }
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b.is_ascii_whitespace() => {}
                None => last = Some(b),
            }
        }
        if !terminated {
            return;
        }
        f(name, closing, last == Some(b'/'));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{html, Parser};

    /// Render a page body to HTML the way a build of a French site does:
    /// through [`crate::markdown::render`] (its Markdown options, heading ids,
    /// link rewriting, then this adapter). Links and images resolve to
    /// nothing, as for external ones.
    fn render(md: &str) -> String {
        let no_page = |_: &str| None;
        let no_file = |_: &str| None;
        let rendered = crate::markdown::render(&crate::markdown::Context {
            file: std::path::Path::new("content/x.md"),
            file_text: md,
            body_start: 0,
            root: std::path::Path::new("/nulle/part"),
            french: true,
            resolve: &no_page,
            resolve_file: &no_file,
            resolve_site: &no_file,
        });
        rendered.html
    }

    /// The adapter applied `passes` times to the events of the Markdown
    /// options the site uses (no smart punctuation: quotes reach the adapter
    /// as typed).
    fn adapt(md: &str, passes: usize) -> String {
        let mut events: Box<dyn Iterator<Item = Event>> =
            Box::new(Parser::new_ext(md, crate::markdown::options()));
        for _ in 0..passes {
            events = Box::new(french_events(events));
        }
        let mut out = String::new();
        html::push_html(&mut out, events);
        out
    }

    /// Check `(markdown, expected html)` cases through the site's rendering,
    /// and that a second pass of the adapter changes nothing.
    fn check_cases(cases: &[(&str, &str)]) {
        let mut failures = Vec::new();
        for (md, expected) in cases {
            let got = render(md);
            if got != *expected {
                failures.push(format!(
                    "input:    {md:?}\nexpected: {expected:?}\ngot:      {got:?}"
                ));
            }
            assert_eq!(adapt(md, 2), adapt(md, 1), "not idempotent: {md:?}");
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
    }

    /// Markdown input → expected HTML, as a French page of the site renders
    /// it (see [`render`]): straight `"` and `'` reach the adapter as typed.
    const GOLDEN: &[(&str, &str)] = &[
        // `; ! ? :` with and without a space
        ("Bonjour !", "<p>Bonjour\u{202F}!</p>\n"),
        ("Bonjour!", "<p>Bonjour\u{202F}!</p>\n"),
        ("Ça va ?", "<p>Ça va\u{202F}?</p>\n"),
        ("Ça va?", "<p>Ça va\u{202F}?</p>\n"),
        ("Oui ; non", "<p>Oui\u{202F}; non</p>\n"),
        ("Oui; non", "<p>Oui\u{202F}; non</p>\n"),
        ("Note : ceci", "<p>Note\u{a0}: ceci</p>\n"),
        ("Note: ceci", "<p>Note\u{a0}: ceci</p>\n"),
        ("Bravo\u{a0}!", "<p>Bravo\u{202F}!</p>\n"),
        // `?!` and `!!`: one space, before the first mark
        ("Quoi?!", "<p>Quoi\u{202F}?!</p>\n"),
        ("Quoi ?!", "<p>Quoi\u{202F}?!</p>\n"),
        ("Vraiment!!", "<p>Vraiment\u{202F}!!</p>\n"),
        // nothing before the mark in the block
        ("! début", "<p>! début</p>\n"),
        // code spans and blocks are untouched
        (
            "Tapez `a : b ; c !` ici !",
            "<p>Tapez <code>a : b ; c !</code> ici\u{202F}!</p>\n",
        ),
        (
            "```\nx : y ; z ! \"q\" l'a...\n```",
            "<pre><code>x : y ; z ! \"q\" l'a...\n</code></pre>\n",
        ),
        ("`code`!", "<p><code>code</code>\u{202F}!</p>\n"),
        // URLs: autolinks, bare URLs in text, link text that is the URL
        (
            "Voir <https://ex.fr/?q=1> !",
            "<p>Voir <a href=\"https://ex.fr/?q=1\">https://ex.fr/?q=1</a>\u{202F}!</p>\n",
        ),
        (
            "Site : https://x.fr/?a=1&b=2 !",
            "<p>Site\u{a0}: https://x.fr/?a=1&amp;b=2\u{202F}!</p>\n",
        ),
        (
            "[https://x.fr/?a=1](https://x.fr/?a=1)",
            "<p><a href=\"https://x.fr/?a=1\">https://x.fr/?a=1</a></p>\n",
        ),
        (
            "[ex.fr/?a=1](https://ex.fr/?a=1)",
            "<p><a href=\"https://ex.fr/?a=1\">ex.fr/?a=1</a></p>\n",
        ),
        (
            "Écrire à <contact@ex.fr> : merci",
            "<p>Écrire à <a href=\"mailto:contact@ex.fr\">contact@ex.fr</a>\u{a0}: merci</p>\n",
        ),
        // link destination and title untouched, link text transformed
        (
            "[le site : ici](https://x.fr/a:b?c=d \"titre : x\")",
            "<p><a href=\"https://x.fr/a:b?c=d\" title=\"titre : x\">le site\u{a0}: ici</a></p>\n",
        ),
        // image alt text becomes an attribute: untouched
        (
            "![photo : x](a.png) !",
            "<p><img src=\"a.png\" alt=\"photo : x\" />\u{202F}!</p>\n",
        ),
        // times, Windows paths, identifiers
        (
            "À 10:30 ou 10h30 !",
            "<p>À 10:30 ou 10h30\u{202F}!</p>\n",
        ),
        ("Dans C:\\Temp: rien", "<p>Dans C:\\Temp\u{a0}: rien</p>\n"),
        (
            "Ratio 16:9, clé:valeur",
            "<p>Ratio 16:9, clé:valeur</p>\n",
        ),
        // guillemets
        ("«bonjour»", "<p>«\u{202F}bonjour\u{202F}»</p>\n"),
        ("« bonjour »", "<p>«\u{202F}bonjour\u{202F}»</p>\n"),
        ("«\u{a0}bonjour\u{a0}»", "<p>«\u{202F}bonjour\u{202F}»</p>\n"),
        (
            "«\u{202F}bonjour\u{202F}»",
            "<p>«\u{202F}bonjour\u{202F}»</p>\n",
        ),
        ("«*oui*»", "<p>«<em>\u{202F}oui</em>\u{202F}»</p>\n"),
        // straight double quotes
        ("\"citation\"", "<p>«\u{202F}citation\u{202F}»</p>\n"),
        (
            "Il dit \"oui\", puis \"non\" !",
            "<p>Il dit «\u{202F}oui\u{202F}», puis «\u{202F}non\u{202F}»\u{202F}!</p>\n",
        ),
        (
            "« Il a dit \"oui\" » !",
            "<p>«\u{202F}Il a dit “oui”\u{202F}»\u{202F}!</p>\n",
        ),
        // apostrophes
        ("l'été", "<p>l’été</p>\n"),
        ("aujourd'hui", "<p>aujourd’hui</p>\n"),
        ("'quote'", "<p>‘quote’</p>\n"),
        // ellipsis
        ("Et puis...", "<p>Et puis…</p>\n"),
        // dashes and inch marks stay as typed: the site has no smart
        // punctuation, which would make `--` a dash and curl the `"`
        ("De 10--12 ans -- ou plus", "<p>De 10--12 ans -- ou plus</p>\n"),
        ("Un écran 12\" !", "<p>Un écran 12\"\u{202F}!</p>\n"),
        ("Et puis... !", "<p>Et puis…\u{202F}!</p>\n"),
        // numbers
        ("10 000 stagiaires", "<p>10\u{202F}000 stagiaires</p>\n"),
        ("1 000 000", "<p>1\u{202F}000\u{202F}000</p>\n"),
        ("En 2020 300 stagiaires", "<p>En 2020 300 stagiaires</p>\n"),
        ("100 %", "<p>100\u{202F}%</p>\n"),
        ("100%", "<p>100\u{202F}%</p>\n"),
        (
            "Prix : 10 000 € ; TVA 20 %.",
            "<p>Prix\u{a0}: 10\u{202F}000\u{202F}€\u{202F}; TVA 20\u{202F}%.</p>\n",
        ),
        // inline HTML is untouched, but does not break the context
        (
            "<span title=\"a : b\">x</span> !",
            "<p><span title=\"a : b\">x</span>\u{202F}!</p>\n",
        ),
        (
            "<div title=\"a : b\">\nx : y\n</div>",
            "<div title=\"a : b\">\nx : y\n</div>",
        ),
        // context carried across inline tags and split text
        ("*Bravo* !", "<p><em>Bravo</em>\u{202F}!</p>\n"),
        ("*Bravo*!", "<p><em>Bravo</em>\u{202F}!</p>\n"),
        ("Bravo *!*", "<p>Bravo\u{202F}<em>!</em></p>\n"),
        ("**Attention** : danger", "<p><strong>Attention</strong>\u{a0}: danger</p>\n"),
        ("a \\! b", "<p>a\u{202F}! b</p>\n"),
        ("Texte &amp; suite : fin", "<p>Texte &amp; suite\u{a0}: fin</p>\n"),
        // a line break starts a new line: nothing to glue
        ("Bonjour\n! oui", "<p>Bonjour\n! oui</p>\n"),
        // already fully correct text is unchanged
        (
            "Il a dit\u{a0}: «\u{202F}l’été, c’est 10\u{202F}000\u{202F}€\u{202F}!\u{202F}» Ah\u{202F}? Bon\u{202F}; voilà…",
            "<p>Il a dit\u{a0}: «\u{202F}l’été, c’est 10\u{202F}000\u{202F}€\u{202F}!\u{202F}» Ah\u{202F}? Bon\u{202F}; voilà…</p>\n",
        ),
        // empty input
        ("", ""),
        // blocks: heading, list item, blockquote, table, footnote
        (
            "# Titre : sous-titre !",
            "<h1 id=\"titre-sous-titre\">Titre\u{a0}: sous-titre\u{202F}!</h1>\n",
        ),
        (
            "- Premier point : ok\n- Second ?",
            "<ul>\n<li>Premier point\u{a0}: ok</li>\n<li>Second\u{202F}?</li>\n</ul>\n",
        ),
        (
            "> Citation ; fin",
            "<blockquote>\n<p>Citation\u{202F}; fin</p>\n</blockquote>\n",
        ),
        (
            "| a | b |\n|---|---|\n| x : y | z ! |",
            "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n<tr><td>x\u{a0}: y</td><td>z\u{202F}!</td></tr>\n</tbody></table>\n",
        ),
    ];

    #[test]
    fn inline_code_elements_are_untouched() {
        check_cases(&[
            (
                "Voir <code>x ? y : z</code> ici",
                "<p>Voir <code>x ? y : z</code> ici</p>\n",
            ),
            (
                "Tapez <kbd>Ctrl : C</kbd> puis <kbd>Entrée ; 10 000</kbd>",
                "<p>Tapez <kbd>Ctrl : C</kbd> puis <kbd>Entrée ; 10 000</kbd></p>\n",
            ),
            (
                "Sortie <samp class=\"out\">Erreur : non ?</samp>, <var>a ; b</var>",
                "<p>Sortie <samp class=\"out\">Erreur : non ?</samp>, <var>a ; b</var></p>\n",
            ),
            // emphasis, escapes and entities inside the element stay verbatim too
            (
                "<code>*a* : b \\! c &amp; d ?</code>",
                "<p><code><em>a</em> : b ! c &amp; d ?</code></p>\n",
            ),
            // nested same-name tags are counted
            (
                "<code>a <code>b</code> c : d</code>",
                "<p><code>a <code>b</code> c : d</code></p>\n",
            ),
            (
                "<svg viewBox=\"0 0 1 1\"><text>a : b</text></svg>",
                "<p><svg viewBox=\"0 0 1 1\"><text>a : b</text></svg></p>\n",
            ),
        ]);
        // The quotes of a script reach us straight and must stay so.
        let md = "Voir <script>var a = b ? \"c\" : 'd';</script> ici";
        let expected = "<p>Voir <script>var a = b ? \"c\" : 'd';</script> ici</p>\n";
        assert_eq!(render(md), expected);
        let md = "Style <style>a::before { content: \"x\" ; }</style>";
        assert_eq!(render(md), format!("<p>{md}</p>\n"));
    }

    #[test]
    fn prose_around_inline_code_elements_is_typographed() {
        check_cases(&[
            (
                "Voir <code>x ? y : z</code> ici !",
                "<p>Voir <code>x ? y : z</code> ici\u{202F}!</p>\n",
            ),
            // what precedes the mark is the element's content, as for `code`!
            (
                "Tapez <kbd>Ctrl</kbd>: ok ; <code>x</code>!",
                "<p>Tapez <kbd>Ctrl</kbd>\u{a0}: ok\u{202F}; <code>x</code>\u{202F}!</p>\n",
            ),
            // ordinary inline HTML keeps its text typographed
            (
                "<em>Bravo</em> ! <span class=\"x\">Note : ceci</span> <abbr title=\"a : b\">ONU</abbr> ?",
                "<p><em>Bravo</em>\u{202F}! <span class=\"x\">Note\u{a0}: ceci</span> <abbr title=\"a : b\">ONU</abbr>\u{202F}?</p>\n",
            ),
            // `<code>` in a raw-text element is text, it opens nothing
            (
                "Avant <script>s = 1;</script> <code>x</code> puis : fin",
                "<p>Avant <script>s = 1;</script> <code>x</code> puis\u{a0}: fin</p>\n",
            ),
            // a comment mentioning `<code>` opens nothing either
            (
                "Avant <!-- <code> --> Note : ceci",
                "<p>Avant <!-- <code> --> Note\u{a0}: ceci</p>\n",
            ),
            // a self-closing element has no content
            (
                "<svg/> Note : ceci",
                "<p><svg/> Note\u{a0}: ceci</p>\n",
            ),
        ]);
        let md = "Il dit \"oui\" : <script>x = \"a\";</script> l'été !";
        let expected =
            "<p>Il dit «\u{202F}oui\u{202F}»\u{a0}: <script>x = \"a\";</script> l’été\u{202F}!</p>\n";
        assert_eq!(render(md), expected);
    }

    #[test]
    fn unclosed_code_element_stops_at_the_end_of_the_block() {
        check_cases(&[
            (
                "Début <code>x : y\n\nSuite : fin !",
                "<p>Début <code>x : y</p>\n<p>Suite\u{a0}: fin\u{202F}!</p>\n",
            ),
            (
                "- <kbd>a : b\n- c : d",
                "<ul>\n<li><kbd>a : b</li>\n<li>c\u{a0}: d</li>\n</ul>\n",
            ),
            // a stray closing tag does nothing
            ("</code> Note : ceci", "<p></code> Note\u{a0}: ceci</p>\n"),
        ]);
    }

    #[test]
    fn uppercase_code_element_is_untouched() {
        check_cases(&[(
            "<CODE>x : y</CODE> et <Kbd data-k=\"1\">a ; b</kbd> : fin",
            "<p><CODE>x : y</CODE> et <Kbd data-k=\"1\">a ; b</kbd>\u{a0}: fin</p>\n",
        )]);
    }

    #[test]
    fn tags_are_found_in_inline_html() {
        let mut tags = Vec::new();
        for_each_tag(
            "<picture><source srcset=\"a.png 1x\" title='>'><img src=a /></picture>\
             <!-- <code> --><!DOCTYPE x></CODE><code",
            |name, closing, self_closing| tags.push((name.to_string(), closing, self_closing)),
        );
        let expected = [
            ("picture", false, false),
            ("source", false, false),
            ("img", false, true),
            ("picture", true, false),
            ("CODE", true, false),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(n, c, s)| (n.to_string(), *c, *s))
            .collect();
        assert_eq!(tags, expected);
    }

    #[test]
    fn golden_table() {
        assert!(GOLDEN.len() >= 35);
        let mut failures = Vec::new();
        for (md, expected) in GOLDEN {
            let got = render(md);
            if got != *expected {
                failures.push(format!(
                    "input:    {md:?}\nexpected: {expected:?}\ngot:      {got:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
    }

    #[test]
    fn golden_table_is_idempotent() {
        for (md, _) in GOLDEN {
            assert_eq!(adapt(md, 2), adapt(md, 1), "input: {md:?}");
        }
    }

    #[test]
    fn golden_inputs_are_idempotent_as_plain_text() {
        for (md, _) in GOLDEN {
            let once = french(md);
            assert_eq!(french(&once), once, "input: {md:?}");
        }
    }

    /// The rules on plain strings (titles, summaries), including curly quotes
    /// a writer typed.
    #[test]
    fn plain_text() {
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("\"citation\"", "«\u{202F}citation\u{202F}»"),
            ("« texte \"", "«\u{202F}texte\u{202F}»"),
            ("« il dit \"oui\" »", "«\u{202F}il dit “oui”\u{202F}»"),
            ("“citation”", "«\u{202F}citation\u{202F}»"),
            ("12\" de long", "12\" de long"),
            ("l'école, aujourd'hui", "l’école, aujourd’hui"),
            ("'quote'", "‘quote’"),
            ("5' et ' seul", "5' et ' seul"),
            ("Attendez...", "Attendez…"),
            ("Quoi....", "Quoi…."),
            (
                "https://x.fr/?a=1 ; mailto:a@b.fr",
                "https://x.fr/?a=1\u{202F}; mailto:a@b.fr",
            ),
            ("«https://x.fr»", "«\u{202F}https://x.fr\u{202F}»"),
            ("a::b, a;b, page?id=3", "a::b, a;b, page?id=3"),
            ("« seul", "«\u{202F}seul"),
            ("«", "«"),
            ("»", "»"),
            ("«»", "«\u{202F}»"),
            ("20 °C, 5 $, 20°", "20\u{202F}°C, 5\u{202F}$, 20°"),
            ("06 12 34 56", "06 12 34 56"),
        ];
        for (input, expected) in cases {
            assert_eq!(french(input), *expected, "input: {input:?}");
            assert_eq!(french(expected), *expected, "not idempotent: {expected:?}");
        }
    }

    /// Pieces that exercise the rules and their interactions.
    const TOKENS: &[&str] = &[
        "'", "\"", "“", "”", ":", ";", "!", "?", "«", "»", ".", "...", "0", "1", "10", "000", " ",
        "\u{a0}", "\u{202F}", "a", "z", "é", "l'", "%", "€", "°", "(", ")", "\n", "\\", "/",
        "https://", "www.", "mailto:", "C:\\", "h", "’", "…",
    ];

    fn tokens() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(TOKENS), 0..40).prop_map(|v| v.concat())
    }

    /// Tokens plus markdown syntax, for the event pipeline.
    fn markdown() -> impl Strategy<Value = String> {
        let syntax = proptest::sample::select(
            &[
                "*",
                "**",
                "`",
                "\\",
                "<b>",
                "</b>",
                "<https://ex.fr/?q=1>",
                "[",
                "](https://x.fr/?a=1)",
                "![",
                "\n",
                "\n\n",
                "> ",
                "- ",
                "# ",
                "&amp;",
                "[^1]",
                "\n\n[^1]: ",
                "$",
                "<code>",
                "</code>",
                "<KBD title=\"a : b\">",
                "</kbd>",
                "<svg/>",
                "<span>",
                "</span>",
            ][..],
        );
        let token = prop_oneof![proptest::sample::select(TOKENS), syntax];
        proptest::collection::vec(token, 0..40).prop_map(|v| v.concat())
    }

    fn chars() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(
                &[
                    '\'', '"', ':', ';', '!', '?', '«', '»', '.', '0', '5', '9', ' ', 'a', 'z', 'é',
                ][..],
            ),
            0..40,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn idempotent_on_any_string(s in any::<String>()) {
            let once = french(&s);
            prop_assert_eq!(french(&once), once);
        }

        #[test]
        fn idempotent_on_interesting_chars(s in chars()) {
            let once = french(&s);
            prop_assert_eq!(french(&once), once);
        }

        #[test]
        fn idempotent_on_interesting_tokens(s in tokens()) {
            let once = french(&s);
            prop_assert_eq!(french(&once), once);
        }

        #[test]
        fn markdown_pipeline_is_idempotent(s in markdown()) {
            prop_assert_eq!(adapt(&s, 2), adapt(&s, 1));
        }

        #[test]
        fn markdown_pipeline_is_idempotent_on_any_string(s in any::<String>()) {
            prop_assert_eq!(adapt(&s, 2), adapt(&s, 1));
        }

        #[test]
        fn code_element_is_untouched(
            before in "[a-zé'\":;!?«». 0-9]{0,20}",
            code in "[a-zé'\":;!?«». 0-9]{0,20}",
            after in "[a-zé'\":;!?«». 0-9]{0,20}",
            tag in proptest::sample::select(&VERBATIM_ELEMENTS[..]),
        ) {
            let md = format!("x {before}<{tag}>{code}</{tag}>{after}");
            let options = crate::markdown::options();
            let mut inside = false;
            let mut content = String::new();
            for event in french_events(Parser::new_ext(&md, options)) {
                match event {
                    Event::InlineHtml(html) => inside = !html.starts_with("</"),
                    Event::Text(text) if inside => content.push_str(&text),
                    _ => {}
                }
            }
            prop_assert_eq!(content, code);
        }

        #[test]
        fn code_span_is_untouched(
            before in "[a-zé'\":;!?«». 0-9]{0,20}",
            code in "[a-zé'\":;!?«».0-9]([a-zé'\":;!?«». 0-9]{0,20}[a-zé'\":;!?«».0-9])?",
            after in "[a-zé'\":;!?«». 0-9]{0,20}",
        ) {
            let md = format!("x {before}`{code}`{after}");
            let codes: Vec<Event> = french_events(Parser::new_ext(&md, crate::markdown::options()))
                .filter(|e| matches!(e, Event::Code(_)))
                .collect();
            prop_assert_eq!(codes, vec![Event::Code(code.clone().into())]);

            let mut expected = String::new();
            html::push_html(&mut expected, std::iter::once(Event::Code(code.into())));
            prop_assert!(render(&md).contains(&expected));
        }
    }
}
