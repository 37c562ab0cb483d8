//! `vitrine new` and `vitrine init`: files that writers start from, every
//! field explained in French in comments.

use std::path::{Path, PathBuf};

use crate::content::front_matter::{self, FileText, Kind};
use crate::content::CONTENT_DIR;
use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::i18n;
use crate::slug::slugify;

/// Where `vitrine new` puts a page of `kind` when `--section` is not given:
/// the first section declaring that kind, else the usual folder.
pub fn default_section(root: &Path, kind: Kind) -> PathBuf {
    let content = root.join(CONTENT_DIR);
    let declared = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "_index.md")
        .find(|e| section_kind(e.path()) == Some(kind))
        .and_then(|e| e.path().parent().map(Path::to_path_buf));
    declared.unwrap_or_else(|| match kind {
        Kind::Testimonial => content.join("temoignages"),
        Kind::Programme => content.join("programmes"),
        Kind::Page => content,
    })
}

fn section_kind(index: &Path) -> Option<Kind> {
    let text = std::fs::read_to_string(index).ok()?;
    let split = front_matter::split(&text).ok()?;
    let file = FileText {
        shown: index,
        text: &text,
        split: &split,
    };
    front_matter::read_section(&file).ok()?.kind
}

/// What `vitrine new` wrote.
#[derive(Debug)]
pub struct NewPage {
    pub path: PathBuf,
    /// The `_index.md` written for a new section of the page's kind.
    pub section: Option<PathBuf>,
}

/// Writes a new page. Never overwrites, never writes outside `content/`, and
/// makes sure the page lands in a section of its kind: a testimonial read as
/// a plain page would fail the build on every testimonial field.
pub fn new_page(
    root: &Path,
    kind: Kind,
    title: &str,
    section: Option<&Path>,
) -> Result<NewPage, Diagnostic> {
    let content = root.join(CONTENT_DIR);
    let dir = match section {
        Some(s) => inside_content(&content, s)?,
        None => default_section(root, kind),
    };
    let path = dir.join(format!("{}.md", slugify(title)));
    if path.exists() {
        return Err(Diagnostic::error(
            "file-exists",
            i18n::file_exists(&path.display().to_string()),
        )
        .help(i18n::hint_file_exists()));
    }
    let index = dir.join("_index.md");
    let shown_dir = dir.strip_prefix(root).unwrap_or(&dir).display().to_string();
    let created = match declared_kind(&content, &dir) {
        Some(found) if found != kind => {
            return Err(Diagnostic::error(
                "section-kind",
                i18n::section_other_kind(&shown_dir, kind_key(found), kind_key(kind)),
            )
            .help(i18n::hint_section_other_kind(kind_key(kind))));
        }
        Some(_) => None,
        None if kind == Kind::Page => None,
        None if index.exists() => {
            // The section exists but holds plain pages.
            return Err(Diagnostic::error(
                "section-kind",
                i18n::section_other_kind(&shown_dir, kind_key(Kind::Page), kind_key(kind)),
            )
            .at_file(index.strip_prefix(root).unwrap_or(&index))
            .help(i18n::hint_section_add_kind(kind_key(kind))));
        }
        None => {
            write_new(&index, &section_template(kind, &dir))?;
            Some(index)
        }
    };
    let text = template(kind, title, Date::today());
    write_new(&path, &text)?;
    Ok(NewPage {
        path,
        section: created,
    })
}

/// `content/section` for `--section section` (with or without `content/`);
/// an absolute path or `..` is refused: `new` writes inside `content/` only.
fn inside_content(content: &Path, section: &Path) -> Result<PathBuf, Diagnostic> {
    let rel = section.strip_prefix(CONTENT_DIR).unwrap_or(section);
    let plain = rel.components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    if !plain {
        return Err(Diagnostic::error(
            "bad-section",
            i18n::bad_section(&section.display().to_string()),
        )
        .help(i18n::hint_bad_section()));
    }
    Ok(content.join(rel))
}

/// The kind declared by the nearest `_index.md` from `dir` up to `content`
/// (sections inherit their parent's kind).
fn declared_kind(content: &Path, dir: &Path) -> Option<Kind> {
    dir.ancestors()
        .take_while(|d| d.starts_with(content))
        .find_map(|d| section_kind(&d.join("_index.md")))
}

/// The key of a kind, as written in `kind:`.
fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Testimonial => "testimonial",
        Kind::Programme => "programme",
        Kind::Page => "page",
    }
}

/// The `_index.md` of a new section holding pages of `kind`.
fn section_template(kind: Kind, dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let mut title: String = name.chars().take(1).flat_map(char::to_uppercase).collect();
    title.extend(name.chars().skip(1));
    format!(
        "---\ntitle: {}\nkind: {}\n---\n",
        quoted(&title),
        kind_key(kind)
    )
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| Diagnostic::write_failed(path, &e);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    // `create_new` makes the no-overwrite rule hold even against a race.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(fail)
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// The text of a new page: required fields filled, the others commented.
pub fn template(kind: Kind, title: &str, today: Date) -> String {
    let title = quoted(title);
    let today = today.iso_day();
    match kind {
        Kind::Testimonial => format!(
            r#"---
title: {title}
date: {today}                  # date de publication (AAAA-MM-JJ)
# updated: {today}             # date de la dernière mise à jour importante
draft: true                    # retirez cette ligne quand le témoignage est prêt à publier
author:
  name: "Prénom Nom"           # obligatoire ; pour un ou une mineure, seul le prénom sera publié
  # role: "Élève de 3e"        # rôle ou classe
  # school: "Collège …"        # établissement
  # photo: photo.jpg           # photo placée dans le même dossier (voir le guide)
  # photo_alt: "…"             # obligatoire avec une photo : ce que montre la photo
# programme: vis-mon-job       # slug (nom de fichier) d'une page de programme existante
# organisation: "…"            # structure d'accueil
# level: "3e"                  # niveau : 3e, Bac+2, Master 2…
# format: on-site              # on-site (sur site), remote (à distance) ou hybrid (hybride)
# duration: "1 semaine"        # durée du stage
# quote: "…"                   # phrase mise en avant dans les listes
# summary: "…"                 # résumé ; sinon le premier paragraphe
# tags: ["Numérique"]          # mots-clés
# consent:                     # accord de publication : à remplir avant de publier (sinon, avertissement)
#   obtained: {today}          # date de l'accord écrit
#   expires: 2030-01-01        # après cette date, le témoignage est retiré du site
#   withdrawn: 2030-01-01      # date de retrait de l'accord (retire le témoignage)
#   minor: true                # l'auteur ou l'autrice est mineur(e) : seul le prénom sera publié
#   surname_ok: ["petit déjeuner"]  # mots courants égaux au nom de famille d'un mineur, acceptés tels quels
#   guardian: true             # accord d'un représentant légal (obligatoire pour un mineur)
# weight: 10                   # ordre manuel dans les listes triées par poids
# slug: mon-adresse            # adresse de la page, sinon tirée du nom de fichier
# extra:                       # champs libres pour les gabarits
#   couleur: bleu
---

Racontez ici le stage : le contexte, les missions, ce qui a marqué.

## Ce que j'ai découvert

…
"#
        ),
        Kind::Programme => format!(
            r#"---
title: {title}
organiser: "Nom de l'organisateur"   # obligatoire : qui organise le programme
draft: true                    # retirez cette ligne quand la page est prête à publier
# partners: ["…", "…"]         # partenaires
# audience: "…"                # public visé
# format: on-site              # on-site (sur site), remote (à distance) ou hybrid (hybride)
# duration: "1 journée"        # durée
# location: "…"                # lieu
# edition: 1                   # numéro de l'édition (nombre entier)
# start: {today}               # date de début (AAAA-MM-JJ)
# end: {today}                 # date de fin
# apply_url: "https://…"       # lien pour candidater
# contact: "…"                 # contact
# summary: "…"                 # résumé affiché dans les listes
# tags: ["…"]                  # mots-clés
# updated: {today}             # date de la dernière mise à jour
# weight: 10                   # ordre manuel
# slug: mon-programme          # adresse de la page, sinon tirée du nom de fichier
# extra: {{}}                  # champs libres pour les gabarits
---

Présentez le programme : ce qu'il propose, à qui, comment il se déroule.

## Comment participer

…
"#
        ),
        Kind::Page => format!(
            r#"---
title: {title}
draft: true                    # retirez cette ligne quand la page est prête à publier
# date: {today}                # date de publication (AAAA-MM-JJ)
# updated: {today}             # date de la dernière mise à jour
# summary: "…"                 # résumé
# weight: 10                   # ordre dans le menu
# slug: mon-adresse            # adresse de la page, sinon tirée du nom de fichier
# template: page.html          # gabarit particulier
# extra: {{}}                  # champs libres pour les gabarits
---

Écrivez le texte de la page ici.
"#
        ),
    }
}

/// Creates a new site in `dir` that builds as-is.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let not_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if not_empty {
        return Err(Diagnostic::error(
            "init-not-empty",
            i18n::init_not_empty(&dir.display().to_string()),
        )
        .help(i18n::hint_init_not_empty()));
    }
    let today = Date::today();
    let site_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "Stages".to_string());
    let files: Vec<(&str, String)> = vec![
        ("site.yaml", site_yaml(&site_name)),
        ("content/_index.md", "---\ntitle: \"Stages et témoignages\"\n---\n\nBienvenue ! Ce site rassemble les récits de nos stagiaires et présente les programmes qui les accueillent.\n".into()),
        ("content/temoignages/_index.md", "---\ntitle: \"Témoignages\"\nkind: testimonial\nsort_by: date\n---\n\nCe que nos stagiaires racontent.\n".into()),
        ("content/programmes/_index.md", "---\ntitle: \"Programmes\"\nkind: programme\nsort_by: title\n---\n\nLes dispositifs de stage et d'immersion.\n".into()),
        ("content/programmes/decouverte.md",
            "---\ntitle: \"Semaine de découverte\"\norganiser: \"Votre établissement\"\naudience: \"Élèves de 3e\"\nformat: on-site\nduration: \"1 semaine\"\nsummary: \"Une semaine pour découvrir un métier.\"\n---\n\nDécrivez ici le programme.\n\n## Comment participer\n\nIndiquez les démarches.\n".into()
        ),
        ("content/temoignages/premier-temoignage.md", format!(
            "---\ntitle: \"Mon premier témoignage\"\ndate: {}\nauthor:\n  name: \"Camille\"\n  role: \"Élève de 3e\"\nprogramme: decouverte\nformat: on-site\nlevel: \"3e\"\nquote: \"Une semaine qui m'a donné envie d'en savoir plus.\"\ntags: [\"Découverte\"]\nconsent:                 # accord écrit de publication (voir le guide)\n  obtained: {}\n  minor: true            # seul le prénom d'un ou d'une mineure est publié\n  guardian: true         # accord du représentant légal, obligatoire pour un mineur\n---\n\nRemplacez ce texte par le récit d'un ou d'une stagiaire.\n",
            today.iso_day(),
            today.iso_day()
        )),
        ("content/a-propos.md", "---\ntitle: \"À propos\"\n---\n\nQui publie ce site, et comment joindre l'équipe.\n".into()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

fn site_yaml(name: &str) -> String {
    format!(
        r#"# Configuration du site (voir le README de vitrine).
title: {title}
description: "Témoignages de stagiaires et programmes de stage"
base_url: "https://exemple.fr/"   # adresse publique du site, avec son sous-chemin éventuel
language: fr
theme: default                    # thème intégré ; surchargez un gabarit dans templates/
relative_urls: false              # true : le site fonctionne sous n'importe quel sous-chemin
paginate_by: 12
taxonomies: [tags, organisations, levels]
feed: true
search: true
extra: {{}}
"#,
        title = quoted(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_as_their_kind() {
        let today = Date::parse("2026-01-15").unwrap();
        for kind in [Kind::Testimonial, Kind::Programme, Kind::Page] {
            let text = template(kind, "Mon stage à la DINUM", today);
            let split = front_matter::split(&text).unwrap();
            let file = FileText {
                shown: Path::new("x.md"),
                text: &text,
                split: &split,
            };
            let meta = front_matter::read_page(&file, kind);
            assert!(meta.is_ok(), "{kind:?}: {:?}", meta.err());
            assert!(meta.unwrap().common.draft);
        }
    }
}
