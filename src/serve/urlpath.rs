//! URL paths as the dev server reads them: request targets split into path
//! and query, and the base path the site is served under. Percent-decoding
//! and -encoding are [`crate::urls`]'s.

use crate::urls::percent_decode_strict;

/// Splits a request target into its path and query. Accepts origin-form
/// (`/a?b`) and absolute-form (`http://host/a?b`); `None` for anything else
/// (`*`, `secret.txt`).
pub(crate) fn split_target(target: &str) -> Option<(&str, Option<&str>)> {
    let target = target.split('#').next().unwrap_or(target);
    let path_and_query = if target.starts_with('/') {
        target
    } else {
        match split_absolute(target)? {
            (_, rest) if rest.starts_with('/') => rest,
            _ => "/",
        }
    };
    Some(match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    })
}

/// `http://host:port/a?b` → (`host:port`, `/a?b`): an absolute-form
/// request target or an `Origin`, split as it came (no dot segment
/// resolved, no escape decoded: the routing rules judge the raw path).
/// `None` unless http(s).
pub(crate) fn split_absolute(target: &str) -> Option<(&str, &str)> {
    let rest = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))?;
    Some(rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len())))
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
    let path = percent_decode_strict(&path).unwrap_or(path);
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
