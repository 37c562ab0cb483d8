//! The escaping of text put into markup: one function for HTML and XML
//! (templates, feeds, sitemap), one for JSON inside a `<script>` element.

/// Escapes text for HTML and XML, in text and in quoted attributes. Unlike
/// Tera's default it leaves `/` alone, so URLs stay readable. `'` becomes
/// `&#39;`, which both HTML and XML read (HTML 4 has no `&apos;`). Control
/// characters, which XML 1.0 forbids and HTML reports as errors, are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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

/// Escapes the characters of JSON text that could end a `<script>` element
/// or open a comment; the JSON still reads the same.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 50);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
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

    #[test]
    fn json_cannot_break_out_of_script() {
        let json = r#"{"t":"</script><!-- & -->"}"#;
        let safe = script_safe(json);
        assert!(!safe.contains(['<', '>', '&']), "{safe}");
        let read: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(read["t"], "</script><!-- & -->");
    }
}
