//! SVG pictures of `content/`: a drawing is text, so it is checked and
//! cleaned as text, the way sanitisers of publishing tools do (refuse what
//! runs or loads, drop what only describes). Refused: scripts, event
//! attributes (`onload=`…), `javascript:` links, embedded HTML, XML entities
//! and any reference to another file or site (`href`, `url(…)`, `@import`):
//! a picture opened at its own address would run or fetch them. Removed:
//! `<metadata>` (author, licence, RDF), comments, processing instructions
//! and what drawing programs keep for themselves (Inkscape's and
//! Sodipodi's elements and attributes, with the file's path on the
//! writer's computer; Adobe Illustrator's private data).

use std::ops::Range;

use roxmltree::{Document, Node, NodeType, ParsingOptions};

/// Why a drawing is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not well-formed XML (the parser's own words).
    Unreadable(String),
    Script,
    /// An attribute that runs code (`onload`, `onclick`…).
    Event(String),
    JavaScript,
    Html,
    Entity,
    /// A reference to another file or site, as written.
    External(String),
}

/// A refusal and the byte offset in the drawing of what causes it (line
/// and column for parse errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub refusal: Refusal,
    pub at: Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Offset(usize),
    LineColumn(usize, usize),
}

/// Namespaces of drawing programs' private data: never published.
const EDITOR_NAMESPACES: [&str; 4] = [
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://ns.adobe.com/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
];

const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// The drawing `text` as published: without metadata, or why it is refused.
pub fn clean(text: &str) -> Result<String, Problem> {
    if let Some(at) = text.find("<!ENTITY") {
        // Entities can hide anything behind a name; drawings do not need them.
        return Err(problem(Refusal::Entity, at));
    }
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| Problem {
        refusal: Refusal::Unreadable(e.to_string()),
        at: Place::LineColumn(e.pos().row as usize, e.pos().col as usize),
    })?;
    let mut cut = Vec::new();
    visit(doc.root(), &mut cut)?;
    cut.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for range in cut {
        if range.start >= from {
            out.push_str(&text[from..range.start]);
            from = range.end;
        }
    }
    out.push_str(&text[from..]);
    Ok(out)
}

fn problem(refusal: Refusal, offset: usize) -> Problem {
    Problem {
        refusal,
        at: Place::Offset(offset),
    }
}

fn is_editor_namespace(namespace: Option<&str>) -> bool {
    namespace.is_some_and(|ns| EDITOR_NAMESPACES.iter().any(|e| ns.starts_with(e)))
}

/// Checks `node`'s children, adding to `cut` the byte ranges to remove.
fn visit(node: Node, cut: &mut Vec<Range<usize>>) -> Result<(), Problem> {
    for child in node.children() {
        match child.node_type() {
            NodeType::Comment => cut.push(child.range()),
            NodeType::PI => {
                let pi = child.pi().map(|p| p.target).unwrap_or_default();
                if pi.eq_ignore_ascii_case("xml-stylesheet") {
                    let what = child.pi().and_then(|p| p.value).unwrap_or_default();
                    return Err(problem(
                        Refusal::External(what.to_string()),
                        child.range().start,
                    ));
                }
                cut.push(child.range());
            }
            NodeType::Element => {
                let tag = child.tag_name();
                let name = tag.name();
                let start = child.range().start;
                if name.eq_ignore_ascii_case("script") {
                    return Err(problem(Refusal::Script, start));
                }
                if name.eq_ignore_ascii_case("foreignObject") || tag.namespace() == Some(XHTML) {
                    return Err(problem(Refusal::Html, start));
                }
                if name == "metadata" || is_editor_namespace(tag.namespace()) {
                    cut.push(child.range());
                    continue;
                }
                check_attributes(child, cut)?;
                if name == "style" {
                    let css: String = child.children().filter_map(|t| t.text()).collect();
                    check_css(&css, start)?;
                }
                visit(child, cut)?;
            }
            NodeType::Text | NodeType::Root => {}
        }
    }
    Ok(())
}

fn check_attributes(element: Node, cut: &mut Vec<Range<usize>>) -> Result<(), Problem> {
    for attr in element.attributes() {
        let name = attr.name();
        let at = attr.range().start;
        if is_editor_namespace(attr.namespace()) {
            cut.push(attr.range());
            continue;
        }
        if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
            return Err(problem(Refusal::Event(name.to_string()), at));
        }
        let value = attr.value();
        // Browsers ignore spaces and control characters inside a scheme.
        let squeezed: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect::<String>()
            .to_ascii_lowercase();
        if squeezed.contains("javascript:") {
            return Err(problem(Refusal::JavaScript, at));
        }
        if name == "href" && !value.trim_start().starts_with('#') {
            return Err(problem(Refusal::External(value.to_string()), at));
        }
        check_css(value, at)?;
    }
    Ok(())
}

/// `url(…)` to anything but an element of the drawing (`url(#degrade)`),
/// and `@import`, load another file.
fn check_css(css: &str, at: usize) -> Result<(), Problem> {
    let lower = css.to_ascii_lowercase();
    if lower.contains("@import") {
        return Err(problem(Refusal::External("@import".into()), at));
    }
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let target = rest.trim_start().trim_start_matches(['"', '\'']);
        if !target.starts_with('#') {
            let shown: String = target
                .chars()
                .take_while(|c| !matches!(c, ')' | '"' | '\''))
                .collect();
            return Err(problem(Refusal::External(shown), at));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const INKSCAPE: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Created with Inkscape by ines.benali -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"
   width="10" height="10" sodipodi:docname="logo.svg" inkscape:export-filename="/home/ines/Bureau/logo.png">
  <metadata><rdf:RDF><dc:creator>Inès Benali</dc:creator></rdf:RDF></metadata>
  <sodipodi:namedview pagecolor="#ffffff" inkscape:window-width="1920"/>
  <defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>
  <rect width="10" height="10" fill="url(#g)" inkscape:label="fond"/>
  <title>Logo du lycée</title>
</svg>
"##;

    #[test]
    fn metadata_and_editor_data_are_removed_and_the_drawing_kept() {
        let out = clean(INKSCAPE).unwrap();
        for gone in [
            "Benali",
            "ines",
            "metadata",
            "sodipodi:docname",
            "namedview",
            "inkscape:label",
            "<!--",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for kept in [
            "<rect",
            "fill=\"url(#g)\"",
            "<title>Logo du lycée</title>",
            "<?xml",
        ] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
        roxmltree::Document::parse(&out).unwrap();
    }

    #[test]
    fn what_runs_or_loads_is_refused_where_it_is() {
        let refused = |svg: &str| clean(svg).err().map(|p| p.refusal);
        let svg = |inner: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{inner}</svg>");
        assert_eq!(
            refused(&svg("<script>alert(1)</script>")),
            Some(Refusal::Script)
        );
        assert_eq!(
            refused(&svg("<rect onLoad=\"alert(1)\"/>")),
            Some(Refusal::Event("onLoad".into()))
        );
        assert_eq!(
            refused(&svg("<a href=\" java\tscript:alert(1)\"><rect/></a>")),
            Some(Refusal::JavaScript)
        );
        assert_eq!(
            refused(&svg("<image href=\"https://pisteur.example/p.png\"/>")),
            Some(Refusal::External("https://pisteur.example/p.png".into()))
        );
        assert_eq!(
            refused(&svg("<style>@import url(x.css);</style>")),
            Some(Refusal::External("@import".into()))
        );
        assert_eq!(
            refused(&svg("<rect style=\"fill:url('https://x.example/a')\"/>")),
            Some(Refusal::External("https://x.example/a".into()))
        );
        assert_eq!(
            refused(&svg(
                "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\"/></foreignObject>"
            )),
            Some(Refusal::Html)
        );
        assert_eq!(
            refused("<!DOCTYPE svg [<!ENTITY x \"y\">]><svg/>"),
            Some(Refusal::Entity)
        );
        assert!(matches!(refused("<svg"), Some(Refusal::Unreadable(_))));
        let at = clean(&svg("\n<script/>")).err().map(|p| p.at);
        assert_eq!(at, Some(Place::Offset(41)));
        assert!(clean(&svg("<use href=\"#g\"/>")).is_ok());
    }
}
