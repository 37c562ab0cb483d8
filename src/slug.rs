//! Slugs: the lowercase ASCII names used in URLs, heading ids and taxonomy terms.

/// Folds `text` to a URL-safe slug: ASCII lowercase letters, digits and single
/// dashes, never empty, never starting or ending with a dash.
///
/// `Économie sociale` → `economie-sociale`. A text with nothing sluggable
/// (e.g. only punctuation) gives `fallback`.
pub fn slugify_or(text: &str, fallback: &str) -> String {
    let folded = deunicode::deunicode(&without_control_sequences(text));
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    }
}

/// `text` without its control characters, nor the terminal codes they
/// start (`\x1b[31m`, pasted from a terminal): none of it is text.
pub fn without_control_sequences(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(char::is_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            match chars.peek() {
                // CSI: parameters and intermediates, then one final byte.
                Some('[') => {
                    chars.next();
                    for p in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&p) {
                            break;
                        }
                    }
                }
                // OSC (a terminal title): up to BEL or ESC \.
                Some(']') => {
                    while let Some(p) = chars.next() {
                        if p == '\u{7}' || (p == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                Some(_) => {
                    chars.next();
                }
                None => {}
            }
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out.into()
}

/// [`slugify_or`] with `page` as the fallback.
pub fn slugify(text: &str) -> String {
    slugify_or(text, "page")
}

/// The slug of a taxonomy term (`/etiquettes/SLUG/`): [`slugify`], with the
/// signs that end a word spelled out, so that « C », « C++ » and « C# » stay
/// three terms (`c`, `c-plus-plus`, `c-sharp`). Between a word and a digit
/// a sign stays a separator: « Bac+3 » is `bac-3`, as it always was.
/// `None` when the term has no letter nor digit (« !!! »): it would have
/// no address.
pub fn term_slug(text: &str) -> Option<String> {
    let is_sign = |c: char| matches!(c, '+' | '#' | '♯');
    let chars: Vec<char> = text.chars().collect();
    let mut spelled = String::with_capacity(text.len());
    let mut word_before = false;
    for (i, &c) in chars.iter().enumerate() {
        let ends_word = || {
            let next = chars[i + 1..].iter().find(|n| !is_sign(**n));
            word_before && !next.is_some_and(|n| n.is_alphanumeric())
        };
        match c {
            '+' if ends_word() => spelled.push_str(" plus "),
            '#' | '♯' if ends_word() => spelled.push_str(" sharp "),
            c => spelled.push(c),
        }
        word_before = c.is_alphanumeric() || (word_before && is_sign(c));
    }
    let slug = slugify_or(&spelled, "");
    (!slug.is_empty()).then_some(slug)
}

/// True when `text` is already a slug as [`slugify`] would make it.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty() && slugify(text) == text
}

/// Characters with no width that word processors put inside words: the soft
/// hyphen (Word's "optional hyphen"), zero-width spaces and joiners, the
/// byte order mark. A reader sees the word whole.
pub fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_accents_and_spaces() {
        assert_eq!(slugify("Économie sociale"), "economie-sociale");
        assert_eq!(slugify("Mon stage à la DINUM"), "mon-stage-a-la-dinum");
        assert_eq!(slugify("  Vis mon job !  "), "vis-mon-job");
        assert_eq!(slugify("Œuvre d’art"), "oeuvre-d-art");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("???"), "page");
        assert_eq!(slugify_or("", "x"), "x");
    }

    #[test]
    fn terms_told_apart_by_signs_keep_apart() {
        let slug = |s: &str| term_slug(s);
        assert_eq!(slug("C").as_deref(), Some("c"));
        assert_eq!(slug("C++").as_deref(), Some("c-plus-plus"));
        assert_eq!(slug("C#").as_deref(), Some("c-sharp"));
        assert_eq!(slug("F♯ mineur").as_deref(), Some("f-sharp-mineur"));
        assert_eq!(slug("#numérique").as_deref(), Some("numerique"));
        assert_eq!(slug("Bac+3").as_deref(), Some("bac-3"));
        assert_eq!(slug("Bac +3").as_deref(), Some("bac-3"));
        assert_eq!(slug("Google+").as_deref(), Some("google-plus"));
        assert_eq!(slug("C++ moderne").as_deref(), Some("c-plus-plus-moderne"));
        assert_eq!(
            slug("Économie sociale").as_deref(),
            Some("economie-sociale")
        );
        assert_eq!(slug("!!!"), None);
        assert_eq!(slug(".."), None);
        assert_eq!(slug("  "), None);
    }

    #[test]
    fn control_sequences_are_dropped() {
        assert_eq!(slugify("Titre \u{1b}[31mrouge\u{1b}[0m"), "titre-rouge");
        assert_eq!(slugify("Titre\u{1b}[31mrouge"), "titrerouge");
        assert_eq!(slugify("a\u{1b}]0;pwned\u{7}b"), "ab");
        assert_eq!(slugify("a\u{7}\u{c}b"), "ab");
        assert_eq!(without_control_sequences("x\u{1b}"), "x");
    }

    #[test]
    fn recognises_slugs() {
        assert!(is_slug("vis-mon-job"));
        assert!(!is_slug("Vis-mon-job"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug(""));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn slugs_are_always_safe(s in any::<String>()) {
            let slug = slugify(&s);
            prop_assert!(!slug.is_empty());
            prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!slug.contains(".."));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
            prop_assert_eq!(slugify(&slug), slug.clone());
        }
    }
}
