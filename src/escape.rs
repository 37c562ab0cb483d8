//! The escaping of text put into markup: one function for HTML and XML
//! (templates, feeds, sitemap), one for JSON inside a `<script>` element.

/// Escapes text for HTML and XML, in text and in quoted attributes. Unlike
/// Tera's default it leaves `/` alone, so URLs stay readable. `'` becomes
/// `&#39;`, which both HTML and XML read (HTML 4 has no `&apos;`). Control
/// characters, which XML 1.0 forbids and HTML reports as errors, are dropped.
pub fn escape(text: &str) -> String {
    replace_ascii(text, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        b if b < 0x20 && !matches!(b, b'\n' | b'\t' | b'\r') => Some(""),
        _ => None,
    })
}

/// `text` with the ASCII bytes `replacement` names replaced. The runs
/// between them are copied whole: every page's text goes through here, and
/// a byte never part of a longer UTF-8 character is all it looks at.
fn replace_ascii(text: &str, replacement: impl Fn(u8) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if let Some(with) = replacement(b) {
            // `i` is at an ASCII byte, hence at a character boundary.
            out.push_str(&text[start..i]);
            out.push_str(with);
            start = i + 1;
        }
    }
    out.push_str(&text[start..]);
    out
}

/// Escapes the characters of JSON text that could end a `<script>` element
/// or open a comment; the JSON still reads the same.
pub fn script_safe(json: &str) -> String {
    replace_ascii(json, |b| match b {
        b'<' => Some("\\u003c"),
        b'>' => Some("\\u003e"),
        b'&' => Some("\\u0026"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_without_mangling_urls() {
        assert_eq!(
            escape("<a href=\"/x/\">'"),
            "&lt;a href=&quot;/x/&quot;&gt;&#39;"
        );
        assert_eq!(escape("a<b & \"c\"\u{1}\n"), "a&lt;b &amp; &quot;c&quot;\n");
    }

    /// Character by character, as `escape` did before it copied runs.
    fn escape_by_char(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn runs_of_accented_text_are_kept_whole() {
        assert_eq!(
            escape("Léa « l’été » <b>\u{202f}!</b>"),
            "Léa « l’été » &lt;b&gt;\u{202f}!&lt;/b&gt;"
        );
        assert_eq!(script_safe("\"é<\""), "\"é\\u003c\"");
    }

    proptest::proptest! {
        #[test]
        fn escape_reads_like_the_char_by_char_version(text in "\\PC*|[<>&\"'a-zé\u{1}\n ]*") {
            proptest::prop_assert_eq!(escape(&text), escape_by_char(&text));
        }
    }

    #[test]
    fn json_cannot_break_out_of_script() {
        let json = r#"{"t":"</script><!-- & -->"}"#;
        let safe = script_safe(json);
        assert!(!safe.contains(['<', '>', '&']), "{safe}");
        let read: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(read["t"], "</script><!-- & -->");
    }
}
