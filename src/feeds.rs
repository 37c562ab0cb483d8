//! Machine-readable outputs: Atom feed, sitemap, robots.txt and schema.org
//! JSON-LD. Feeds and sitemap always use absolute URLs.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::config::Config;
use crate::content::{Details, Format, Page};
use crate::output::OutputFile;
use crate::render::Model;
use crate::urls::{pager_path, search_path, taxonomy_path, Urls};

/// `atom.xml` (when enabled), `sitemap.xml` and `robots.txt`.
pub fn outputs(config: &Config, urls: &Urls, model: &Model) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile::text(crate::urls::SITEMAP_FILE, sitemap(config, urls, model)),
        OutputFile::text(crate::urls::ROBOTS_FILE, robots(urls)),
    ];
    if config.feed {
        files.push(OutputFile::text(
            crate::urls::FEED_FILE,
            atom(config, urls, model),
        ));
    }
    files
}

pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Last significant change of a page: `updated`, else `date`.
fn last_change(page: &Page) -> Option<crate::dates::Date> {
    page.meta.common.updated.or(page.meta.common.date)
}

/// Feed readers only look at recent entries; a bounded feed stays small on
/// large sites.
pub const FEED_ENTRIES: usize = 50;

fn atom(config: &Config, urls: &Urls, model: &Model) -> String {
    let content = model.content();
    let entries: Vec<usize> = model
        .lists()
        .testimonials
        .iter()
        .copied()
        .take(FEED_ENTRIES)
        .collect();
    let updated = entries
        .iter()
        .filter_map(|i| last_change(&content.pages[*i]))
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <subtitle>{subtitle}</subtitle>\n  <id>{home}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n  <updated>{updated}</updated>\n  <generator>vitrine</generator>\n",
        lang = escape_xml(&config.language),
        title = escape_xml(&config.title),
        subtitle = escape_xml(&config.description),
        home = escape_xml(&urls.permalink("")),
        feed = escape_xml(&urls.permalink(crate::urls::FEED_FILE)),
    );
    for i in entries {
        let page = &content.pages[i];
        let card = model.card_value(i).cloned().unwrap_or(Value::Null);
        let link = urls.permalink(&page.path);
        let published = page
            .meta
            .common
            .date
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| updated.clone());
        let changed = last_change(page)
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| published.clone());
        let author = card["author"]["name"].as_str().unwrap_or("").to_string();
        let summary = card["summary"].as_str().unwrap_or("").to_string();
        let _ = write!(
            xml,
            "  <entry>\n    <title>{title}</title>\n    <id>{link}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <published>{published}</published>\n    <updated>{changed}</updated>\n    <author><name>{author}</name></author>\n    <summary>{summary}</summary>\n  </entry>\n",
            title = escape_xml(page.title()),
            link = escape_xml(&link),
            author = escape_xml(if author.is_empty() { &config.title } else { &author }),
            summary = escape_xml(&summary),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

fn sitemap(config: &Config, urls: &Urls, model: &Model) -> String {
    let content = model.content();
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for (_, page) in content.published() {
        entries.push((
            urls.permalink(&page.path),
            last_change(page).map(|d| d.iso_day()),
        ));
    }
    for section in &content.sections {
        entries.push((urls.permalink(&section.path), None));
    }
    for (taxonomy, terms) in &model.lists().taxonomies {
        let base = taxonomy_path(*taxonomy, model.lang());
        entries.push((urls.permalink(base), None));
        for term in terms {
            entries.push((
                urls.permalink(&pager_path(
                    &crate::urls::term_path(*taxonomy, model.lang(), &term.slug),
                    1,
                )),
                None,
            ));
        }
    }
    if config.search {
        entries.push((urls.permalink(search_path(model.lang())), None));
    }
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (loc, lastmod) in entries {
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", escape_xml(&loc));
        if let Some(lastmod) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{lastmod}</lastmod>");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.permalink(crate::urls::SITEMAP_FILE)
    )
}

/// schema.org JSON-LD for a page, safe to put inside `<script>`.
pub fn json_ld(config: &Config, urls: &Urls, page: &Page, value: &Value) -> String {
    let url = urls.permalink(&page.path);
    let common = &page.meta.common;
    let description = value["summary"].as_str().unwrap_or("");
    let data = match &page.meta.details {
        Details::Testimonial(t) => {
            let mut data = json!({
                "@context": "https://schema.org",
                "@type": "Article",
                "headline": common.title,
                "description": description,
                "url": url,
                "mainEntityOfPage": url,
                "inLanguage": config.language,
                "datePublished": common.date.map(|d| d.iso_day()),
                "dateModified": last_change(page).map(|d| d.iso_day()),
                "author": {"@type": "Person", "name": value["author"]["name"]},
                "publisher": {"@type": "Organization", "name": config.title, "url": urls.permalink("")},
                "keywords": common.tags.join(", "),
            });
            if let Some(programme) = value["programme"].as_object() {
                data["about"] = json!({
                    "@type": "EducationalOccupationalProgram",
                    "name": programme.get("title"),
                    "url": programme.get("permalink"),
                });
            }
            if let Some(photo) = value["author"]["photo"]["permalink"].as_str() {
                data["image"] = json!(photo);
            }
            if let Some(org) = &t.organisation {
                data["sourceOrganization"] = json!({"@type": "Organization", "name": org});
            }
            data
        }
        Details::Programme(p) => {
            let mut data = json!({
                "@context": "https://schema.org",
                "@type": "EducationalOccupationalProgram",
                "name": common.title,
                "description": description,
                "url": url,
                "inLanguage": config.language,
                "provider": {"@type": "Organization", "name": p.organiser},
            });
            if let Some(d) = p.duration.as_deref().and_then(iso_duration) {
                data["timeToComplete"] = json!(d);
            }
            if let Some(f) = p.format {
                data["educationalProgramMode"] = json!(match f {
                    Format::OnSite => "onsite",
                    Format::Remote => "online",
                    Format::Hybrid => "blended",
                });
            }
            if let Some(s) = p.start {
                data["startDate"] = json!(s.iso_day());
            }
            if let Some(e) = p.end {
                data["endDate"] = json!(e.iso_day());
            }
            if let Some(a) = &p.audience {
                data["audience"] = json!({"@type": "EducationalAudience", "audienceType": a});
            }
            data
        }
        Details::Page => json!({
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": common.title,
            "description": description,
            "url": url,
            "inLanguage": config.language,
        }),
    };
    let data = strip_nulls(data);
    // A relocatable site (relative URLs) has no fixed address to announce.
    let data = if urls.is_relative() {
        strip_urls(data)
    } else {
        data
    };
    script_safe_json(&data)
}

fn strip_urls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| !matches!(k.as_str(), "url" | "mainEntityOfPage" | "image"))
                .map(|(k, v)| (k, strip_urls(v)))
                .collect(),
        ),
        other => other,
    }
}

fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        other => other,
    }
}

/// JSON that cannot close a `<script>` element or open a comment.
pub fn script_safe_json(value: &Value) -> String {
    script_safe(&serde_json::to_string(value).unwrap_or_default())
}

/// Escapes the characters of JSON text that could end a `<script>`.
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

/// "2 semaines" → `P2W`, "1 journée" → `P1D`, "3 mois" → `P3M`, "10 heures" → `PT10H`.
pub fn iso_duration(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let (n, unit) = match first.parse::<u32>() {
        Ok(n) => (n, words.next()?),
        Err(_) => (1, first),
    };
    let unit = deunicode::deunicode(unit).to_lowercase();
    let code = match unit.trim_end_matches('s') {
        "jour" | "journee" | "day" => "D",
        "semaine" | "week" => "W",
        "moi" | "mois" | "month" => "M",
        "an" | "annee" | "year" => "Y",
        "heure" | "hour" | "h" => return Some(format!("PT{n}H")),
        _ => return None,
    };
    Some(format!("P{n}{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(iso_duration("2 semaines").as_deref(), Some("P2W"));
        assert_eq!(iso_duration("1 journée").as_deref(), Some("P1D"));
        assert_eq!(iso_duration("une journée"), None);
        assert_eq!(iso_duration("3 mois").as_deref(), Some("P3M"));
    }

    #[test]
    fn json_cannot_break_out_of_script() {
        let v = json!({"t": "</script><script>alert(1)</script>"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<'));
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(escape_xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
