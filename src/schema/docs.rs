//! The field tables of the writers' guide (`docs/guide-redaction.md`, in
//! French) and of the template reference (`docs/templates.md`, in English),
//! made from the schema.
//!
//! Each table sits between two markers naming what it lists:
//!
//! ```text
//! <!-- champs : testimonial sauf consent -->
//! …
//! <!-- fin des champs -->
//! ```
//!
//! The test below fails when a table differs from the schema, or when a
//! field of the schema is in no table; `VITRINE_BLESS=1 cargo test --lib
//! schema::docs` rewrites the tables (the prose around them is the writer's).

use super::{Blank, Field, Scope, Ty, FIELDS};

/// A documentation file and its language.
struct Doc {
    path: &'static str,
    /// 0 for French, 1 for English (index of [`Field::label`]).
    lang: usize,
    open: &'static str,
    close: &'static str,
    except: &'static str,
}

const DOCS: [Doc; 2] = [
    Doc {
        path: "docs/guide-redaction.md",
        lang: 0,
        open: "<!-- champs : ",
        close: "<!-- fin des champs -->",
        except: "sauf",
    },
    Doc {
        path: "docs/templates.md",
        lang: 1,
        open: "<!-- fields: ",
        close: "<!-- end of fields -->",
        except: "except",
    },
];

/// What a table lists: the fields of `scope`, only those inside the
/// mapping `only`, or all but those inside `except`.
#[derive(Debug, PartialEq, Eq)]
struct Selection {
    scope: Scope,
    only: Option<String>,
    except: Option<String>,
}

impl Selection {
    /// `testimonial`, `testimonial consent`, `testimonial sauf consent`.
    fn parse(words: &str, except_word: &str) -> Option<Selection> {
        let words: Vec<&str> = words.split_whitespace().collect();
        let scope = Scope::ALL
            .into_iter()
            .find(|s| Some(&s.key()) == words.first())?;
        let (only, except) = match words[1..] {
            [] => (None, None),
            [w, parent] if w == except_word => (None, Some(parent.to_string())),
            [parent] => (Some(parent.to_string()), None),
            _ => return None,
        };
        Some(Selection {
            scope,
            only,
            except,
        })
    }

    fn fields(&self) -> impl Iterator<Item = &'static Field> + '_ {
        let inside = |f: &Field, parent: &Option<String>| {
            parent
                .as_deref()
                .is_some_and(|p| f.key.strip_prefix(p).is_some_and(|r| r.starts_with('.')))
        };
        super::all_of(self.scope).filter(move |f| {
            (self.only.is_none() || inside(f, &self.only)) && !inside(f, &self.except)
        })
    }
}

fn table(selection: &Selection, lang: usize) -> String {
    let head = [
        "| Champ | Obligatoire | Valeur | À quoi il sert |",
        "| field | required | value | meaning |",
    ][lang];
    let mut text = format!("{head}\n|---|---|---|---|\n");
    for field in selection.fields() {
        text.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            field.key,
            required(field, selection.scope, lang),
            value(field, selection.scope, lang),
            field.help[lang].replace('|', "\\|")
        ));
    }
    text
}

fn required(field: &Field, scope: Scope, lang: usize) -> String {
    if field.is_required_in(scope) {
        return ["oui", "yes"][lang].into();
    }
    if field.recommended {
        return ["conseillé", "recommended"][lang].into();
    }
    // A field another one needs (`photo_alt` with `photo`).
    let needed_by = FIELDS.iter().find(|f| {
        f.is_in(scope)
            && f.parent() == field.parent()
            && f.rule.is_some_and(|r| r.needs == field.name())
    });
    match needed_by {
        Some(f) if matches!(f.ty, Ty::Bool) => {
            format!("{} `{}: true`", ["si", "if"][lang], f.name())
        }
        Some(f) => format!("{} `{}`", ["avec", "with"][lang], f.name()),
        None => ["non", "no"][lang].into(),
    }
}

fn value(field: &Field, scope: Scope, lang: usize) -> String {
    let or = [" ou ", " or "][lang];
    let choices = |names: Vec<&str>| {
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        match quoted.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{}{or}{last}", rest.join(", ")),
            None => String::new(),
        }
    };
    let kind = match field.ty {
        Ty::Text if field.blank == Blank::Error && field.is_required_in(scope) => {
            ["texte non vide", "non-empty text"][lang].into()
        }
        Ty::Text => ["texte", "text"][lang].into(),
        Ty::Date => ["date AAAA-MM-JJ", "date YYYY-MM-DD"][lang].into(),
        Ty::Bool => format!("`true`{or}`false`"),
        Ty::Integer => ["nombre entier", "whole number"][lang].into(),
        Ty::Positive => ["nombre entier ≥ 1", "whole number ≥ 1"][lang].into(),
        Ty::Choice(names) => choices(names()),
        Ty::ChoiceList(names) => {
            format!("{} {}", ["liste parmi", "list of"][lang], choices(names()))
        }
        Ty::List => ["liste de textes", "list of texts"][lang].into(),
        Ty::Map => ["champs libres", "free fields"][lang].into(),
        Ty::Mapping => ["champs indentés dessous", "fields indented below"][lang].into(),
        Ty::BundlePath => {
            ["fichier du dossier de la page", "file in the page's folder"][lang].into()
        }
        Ty::Link => ["adresse ou page du site", "address or page of the site"][lang].into(),
    };
    match field.default {
        Some(default) if !matches!(default, "[]" | "{}" | "\"\"") => {
            format!("{kind} ({} `{default}`)", ["par défaut", "default"][lang])
        }
        _ => kind,
    }
}

/// `text` with every table between markers made again from the schema,
/// and the selections found.
fn regenerate(doc: &Doc, text: &str) -> Result<(String, Vec<Selection>), String> {
    let mut out = String::new();
    let mut selections = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(doc.open) {
        let after = &rest[start + doc.open.len()..];
        let end = after
            .find("-->")
            .ok_or_else(|| format!("{}: unclosed marker", doc.path))?;
        let words = &after[..end];
        let selection = Selection::parse(words, doc.except)
            .ok_or_else(|| format!("{}: bad marker `{words}`", doc.path))?;
        let body = &after[end + 3..];
        let close = body
            .find(doc.close)
            .ok_or_else(|| format!("{}: `{words}` has no `{}`", doc.path, doc.close))?;
        out.push_str(&rest[..start + doc.open.len() + end + 3]);
        out.push('\n');
        out.push_str(&table(&selection, doc.lang));
        selections.push(selection);
        rest = &body[close..];
    }
    out.push_str(rest);
    Ok((out, selections))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(doc: &Doc) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(doc.path);
        std::fs::read_to_string(&path).unwrap_or_default()
    }

    /// Fails when a field of the schema is missing from the guide's or
    /// the template reference's tables, or when a table says otherwise
    /// than the schema; `VITRINE_BLESS=1` rewrites the tables.
    #[test]
    fn every_field_is_documented_in_the_guide_and_the_template_reference() {
        let bless = std::env::var_os("VITRINE_BLESS").is_some();
        let mut problems = Vec::new();
        for doc in &DOCS {
            let text = read(doc);
            let (fresh, selections) = match regenerate(doc, &text) {
                Ok(r) => r,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            for field in FIELDS {
                for scope in field.kinds {
                    let listed = selections
                        .iter()
                        .any(|s| s.scope == *scope && s.fields().any(|f| std::ptr::eq(f, *field)));
                    if !listed {
                        problems.push(format!(
                            "{}: `{}` ({}) is in no table",
                            doc.path,
                            field.key,
                            scope.key()
                        ));
                    }
                }
            }
            if fresh != text {
                if bless {
                    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(doc.path);
                    std::fs::write(path, &fresh).unwrap();
                } else {
                    problems.push(format!(
                        "{}: a field table differs from the schema (VITRINE_BLESS=1 cargo test --lib schema::docs rewrites it)",
                        doc.path
                    ));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn markers_name_a_scope_and_a_mapping() {
        assert_eq!(
            Selection::parse("testimonial sauf consent", "sauf"),
            Some(Selection {
                scope: Scope::Testimonial,
                only: None,
                except: Some("consent".into())
            })
        );
        let consent = Selection::parse("testimonial consent", "sauf").unwrap();
        let keys: Vec<&str> = consent.fields().map(|f| f.key).collect();
        assert!(
            keys.contains(&"consent.minor") && !keys.contains(&"consent"),
            "{keys:?}"
        );
        assert_eq!(Selection::parse("temoignage", "sauf"), None);
        assert_eq!(Selection::parse("site a b c", "sauf"), None);
    }

    #[test]
    fn a_field_missing_from_a_doc_is_found() {
        let doc = &DOCS[0];
        let text = "a\n<!-- champs : site -->\nold\n<!-- fin des champs -->\nb\n";
        let (fresh, selections) = regenerate(doc, text).unwrap();
        assert_ne!(fresh, text);
        assert!(fresh.contains("| `base_url` | oui |"), "{fresh}");
        assert!(fresh.ends_with("<!-- fin des champs -->\nb\n"), "{fresh}");
        assert_eq!(regenerate(doc, &fresh).unwrap().0, fresh);
        assert_eq!(selections.len(), 1);
    }
}
