//! URL paths as the dev server reads and writes them: request targets split
//! into path and query, percent-decoding (strict: a request that cannot be
//! decoded is refused), percent-encoding for `Location` headers and HTML
//! attributes, and the base path the site is served under.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Escaped in paths we write: everything but unreserved characters and `/`,
/// so the result is safe in a `Location` header and in an HTML attribute.
const PATH_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-decodes once. `None` for a malformed escape (`%2`, `%zz`),
/// invalid UTF-8 (`%ff`, overlong `%c0%ae`) or NUL: such a path names no
/// file, and refusing it (400) is safer than guessing. `%2F` decodes to a
/// `/` like any other escape (the segment rules then apply to the result).
pub(crate) fn decode(path: &str) -> Option<String> {
    if !escapes_well_formed(path) {
        return None;
    }
    let text = percent_decode_str(path).decode_utf8().ok()?;
    (!text.contains('\0')).then(|| text.into_owned())
}

/// Whether every `%` starts an escape of two hex digits (the crate's
/// decoder passes malformed ones through as text).
fn escapes_well_formed(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    })
}

/// Percent-encodes everything but unreserved characters and `/`.
pub(crate) fn encode(path: &str) -> String {
    utf8_percent_encode(path, PATH_ESCAPED).to_string()
}

/// Splits a request target into its path and query. Accepts origin-form
/// (`/a?b`) and absolute-form (`http://host/a?b`); `None` for anything else
/// (`*`, `secret.txt`).
pub(crate) fn split_target(target: &str) -> Option<(&str, Option<&str>)> {
    let target = target.split('#').next().unwrap_or(target);
    let path_and_query = if target.starts_with('/') {
        target
    } else {
        let after_scheme = target
            .strip_prefix("http://")
            .or_else(|| target.strip_prefix("https://"))?;
        match after_scheme.find(['/', '?']) {
            Some(i) if after_scheme[i..].starts_with('/') => &after_scheme[i..],
            _ => "/",
        }
    };
    Some(match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    })
}

/// `?query` when the query is plain visible ASCII, else nothing: it is
/// copied into `Location` headers as it came.
pub(crate) fn query_suffix(query: Option<&str>) -> String {
    match query {
        Some(q) if !q.is_empty() && q.bytes().all(|b| b.is_ascii_graphic()) => format!("?{q}"),
        _ => String::new(),
    }
}

/// `/`, or the path with one leading and one trailing slash. A full URL
/// (`https://host/path/`) is reduced to its path; escapes are decoded, as
/// request paths are before they are compared with it.
pub(crate) fn normalize_base(base: &str) -> String {
    let base = base.trim();
    let path = if base.contains("://") {
        crate::urls::parse_base_url(base).map_or_else(String::new, |url| url.path().to_owned())
    } else {
        base.to_owned()
    };
    let path = decode(&path).unwrap_or(path);
    let inner = path.trim_matches('/');
    if inner.is_empty() {
        "/".to_owned()
    } else {
        format!("/{inner}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_is_strict() {
        assert_eq!(decode("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(decode("/%C3%A9").as_deref(), Some("/é"));
        assert_eq!(decode("/%c3%a9").as_deref(), Some("/é"));
        assert_eq!(decode("/%2e%2E/").as_deref(), Some("/../"));
        assert_eq!(decode("/a%2fb").as_deref(), Some("/a/b"));
        assert_eq!(decode("/%252e").as_deref(), Some("/%2e"), "decoded once");
        for bad in [
            "/%2", "/%", "/%g0", "/%ZZ/x", "%%41", "/a%4", "/%00", "/a\0b", "/%ff", "/%c0%ae",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn encoding_keeps_only_unreserved_characters_and_slashes() {
        assert_eq!(encode("/é a/"), "/%C3%A9%20a/");
        assert_eq!(encode("/a-b.c_d~e/"), "/a-b.c_d~e/");
        assert_eq!(encode("/a\"b<c>?#%/"), "/a%22b%3Cc%3E%3F%23%25/");
        for path in ["/é a/", "/a%b/", "/x?y#z/"] {
            assert_eq!(decode(&encode(path)).as_deref(), Some(path));
        }
    }

    #[test]
    fn targets_split_into_path_and_query() {
        assert_eq!(split_target("/a?b=c"), Some(("/a", Some("b=c"))));
        assert_eq!(split_target("/a#frag"), Some(("/a", None)));
        assert_eq!(split_target("http://h:1/a/b?q"), Some(("/a/b", Some("q"))));
        assert_eq!(split_target("https://h/a"), Some(("/a", None)));
        assert_eq!(split_target("http://h"), Some(("/", None)));
        assert_eq!(split_target("http://h?q"), Some(("/", None)));
        for other in ["*", "secret.txt", "../x", "ftp://h/x", ""] {
            assert_eq!(split_target(other), None, "{other:?}");
        }
        assert_eq!(query_suffix(Some("a=1&b=2")), "?a=1&b=2");
        assert_eq!(query_suffix(Some("a b")), "");
        assert_eq!(query_suffix(Some("é")), "");
        assert_eq!(query_suffix(Some("")), "");
        assert_eq!(query_suffix(None), "");
    }

    #[test]
    fn base_paths_are_normalized() {
        assert_eq!(normalize_base("ecole/stages"), "/ecole/stages/");
        assert_eq!(normalize_base("/ecole/"), "/ecole/");
        assert_eq!(normalize_base(" //ecole// "), "/ecole/");
        assert_eq!(normalize_base(""), "/");
        assert_eq!(normalize_base("/"), "/");
        assert_eq!(normalize_base("https://ex.org/ecole/"), "/ecole/");
        assert_eq!(normalize_base("https://ex.org"), "/");
        assert_eq!(normalize_base("/mon%20site/"), "/mon site/");
        assert_eq!(normalize_base("/bad%zz/"), "/bad%zz/");
    }
}
