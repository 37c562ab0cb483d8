//! Every field a writer can set, declared once: the front matter of each
//! kind of page, of a section's `_index.md`, and the keys of `site.yaml`.
//!
//! The readers ([`crate::content::front_matter`], [`crate::config`]) take
//! each field through its entry here ([`crate::fields::Fields::read`]), so
//! what is required, its aliases and its rules come from this table; `vitrine
//! new` writes its scaffold from it ([`crate::scaffold`]); the field tables of
//! the writers' guide and of the template reference are generated from it
//! (`docs.rs`, checked by a test). Adding a field is one entry in [`FIELDS`].

#[cfg(test)]
mod docs;

use crate::config::Taxonomy;
use crate::content::front_matter::{Format, Kind, SortBy};
use crate::fields::Choice;
use crate::i18n;

/// What a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Testimonial,
    Programme,
    Page,
    /// A section's `_index.md` (and the home page's).
    Section,
    /// `site.yaml`.
    Site,
}

impl Scope {
    #[cfg(test)]
    pub const ALL: [Scope; 5] = [
        Scope::Testimonial,
        Scope::Programme,
        Scope::Page,
        Scope::Section,
        Scope::Site,
    ];

    /// The front matter of a page of `kind`.
    pub fn of(kind: Kind) -> Scope {
        match kind {
            Kind::Testimonial => Scope::Testimonial,
            Kind::Programme => Scope::Programme,
            Kind::Page => Scope::Page,
        }
    }

    /// The word naming the scope in the docs' markers (`testimonial`, `site`).
    #[cfg(test)]
    pub fn key(self) -> &'static str {
        match self {
            Scope::Testimonial => "testimonial",
            Scope::Programme => "programme",
            Scope::Page => "page",
            Scope::Section => "section",
            Scope::Site => "site",
        }
    }
}

/// What a field holds.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Text,
    /// `YYYY-MM-DD`, optionally with a time.
    Date,
    Bool,
    Integer,
    /// A whole number ≥ 1.
    Positive,
    /// One of a fixed set of words.
    Choice(fn() -> Vec<&'static str>),
    /// A list of words of a fixed set.
    ChoiceList(fn() -> Vec<&'static str>),
    /// A list of texts (one text counts as a list of one).
    List,
    /// Free fields (`extra`).
    Map,
    /// A group of fields declared with keys under this one (`author.name`).
    Mapping,
    /// A file name in the page's folder (a page bundle).
    BundlePath,
    /// An address: `https://…`, `mailto:`, an e-mail, or a page of the site.
    Link,
}

/// The names of a [`Choice`] enum, for [`Ty::Choice`].
pub fn choice_names<T: Choice>() -> Vec<&'static str> {
    T::CHOICES.iter().map(|(name, _)| *name).collect()
}

/// What an empty text (`photo: ""`) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// Kept as written.
    Kept,
    /// No value, as if the field were absent.
    Absent,
    /// A mistake (`title: ""` would give a page without a name).
    Error,
}

/// A field another field needs: when the field carrying the rule is set (a
/// text not blank, `true`), `needs`, in the same mapping, must be set too.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Name of the needed field, in the same mapping (`photo_alt`).
    pub needs: &'static str,
    pub code: &'static str,
    pub message: fn() -> crate::i18n::Text,
    pub hint: fn() -> crate::i18n::Text,
}

/// One field of one or more scopes.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Dotted for a field inside a mapping (`consent.expires`).
    pub key: &'static str,
    pub ty: Ty,
    pub kinds: &'static [Scope],
    /// The scopes where it must be present.
    pub required: &'static [Scope],
    /// Optional for the reader, but a warning when absent (`consent`).
    pub recommended: bool,
    pub blank: Blank,
    /// French, English.
    pub label: [&'static str; 2],
    /// One line, French and English.
    pub help: [&'static str; 2],
    /// Words writers type for it (`auteur`), folded as [`crate::slug::slugify`] does.
    pub aliases: &'static [&'static str],
    /// A YAML value shown in the scaffold (`{today}` and `{title}` are
    /// replaced); the default when empty.
    pub example: &'static str,
    /// The YAML value read when the field is absent.
    pub default: Option<&'static str>,
    pub rule: Option<Rule>,
    /// Written, not commented out, in the scaffold (`draft: true`).
    pub filled: bool,
    /// Has no Rust field: read as a plain value and given to templates as
    /// is ([`crate::fields::Fields::read_untyped`]). A field with a Rust
    /// field must be read by its kind's reader (a test checks it).
    pub plain: bool,
}

impl Field {
    pub const fn new(
        key: &'static str,
        ty: Ty,
        label_fr: &'static str,
        label_en: &'static str,
    ) -> Field {
        Field {
            key,
            ty,
            kinds: &[],
            required: &[],
            recommended: false,
            blank: Blank::Kept,
            label: [label_fr, label_en],
            help: ["", ""],
            aliases: &[],
            example: "",
            default: None,
            rule: None,
            filled: false,
            plain: false,
        }
    }

    pub const fn kinds(self, kinds: &'static [Scope]) -> Field {
        Field { kinds, ..self }
    }

    /// Required in every one of its kinds (call after [`Field::kinds`]).
    pub const fn required(self) -> Field {
        Field {
            required: self.kinds,
            ..self
        }
    }

    pub const fn required_in(self, required: &'static [Scope]) -> Field {
        Field { required, ..self }
    }

    pub const fn recommended(self) -> Field {
        Field {
            recommended: true,
            ..self
        }
    }

    pub const fn help(self, fr: &'static str, en: &'static str) -> Field {
        Field {
            help: [fr, en],
            ..self
        }
    }

    pub const fn aliases(self, aliases: &'static [&'static str]) -> Field {
        Field { aliases, ..self }
    }

    pub const fn example(self, example: &'static str) -> Field {
        Field { example, ..self }
    }

    pub const fn default(self, default: &'static str) -> Field {
        Field {
            default: Some(default),
            ..self
        }
    }

    pub const fn blank(self, blank: Blank) -> Field {
        Field { blank, ..self }
    }

    // Unused while no field of the table is plain: this is how a field with
    // no Rust field of its own is added (README, "Adding a field").
    #[allow(dead_code)]
    pub const fn plain(self) -> Field {
        Field {
            plain: true,
            ..self
        }
    }

    pub const fn filled(self) -> Field {
        Field {
            filled: true,
            ..self
        }
    }

    pub const fn requires(
        self,
        needs: &'static str,
        code: &'static str,
        message: fn() -> crate::i18n::Text,
        hint: fn() -> crate::i18n::Text,
    ) -> Field {
        Field {
            rule: Some(Rule {
                needs,
                code,
                message,
                hint,
            }),
            ..self
        }
    }

    /// The field's own name, without its parents (`expires`).
    pub fn name(&self) -> &'static str {
        self.key.rsplit('.').next().unwrap_or(self.key)
    }

    /// The key of the mapping holding it (`consent`), `""` at the top.
    pub fn parent(&self) -> &'static str {
        self.key.rsplit_once('.').map_or("", |(parent, _)| parent)
    }

    pub fn is_in(&self, scope: Scope) -> bool {
        self.kinds.contains(&scope)
    }

    pub fn is_required_in(&self, scope: Scope) -> bool {
        self.required.contains(&scope)
    }

    /// The value the scaffold shows.
    pub fn example_value(&self) -> &'static str {
        match (self.example, self.default) {
            ("", Some(default)) => default,
            (example, _) => example,
        }
    }
}

/// The fields of `scope` directly in the mapping `parent` (`""` for the
/// top), in the table's order.
pub fn fields_of(scope: Scope, parent: &str) -> impl Iterator<Item = &'static Field> + '_ {
    FIELDS
        .iter()
        .copied()
        .filter(move |f| f.is_in(scope) && f.parent() == parent)
}

/// Every field of `scope`, nested ones included, in the table's order.
pub fn all_of(scope: Scope) -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().copied().filter(move |f| f.is_in(scope))
}

/// The field name a writer meant by `word`, one of the French words of
/// [`Field::aliases`] (`auteur` → `author`).
pub fn alias(word: &str) -> Option<&'static str> {
    let folded = crate::slug::slugify(word);
    FIELDS
        .iter()
        .find(|f| f.aliases.contains(&folded.as_str()))
        .map(|f| f.name())
}

use Scope::{Page as P, Programme as Pr, Section as S, Site as Si, Testimonial as T};

const PAGES: &[Scope] = &[T, Pr, P];

pub static TITLE: Field = Field::new("title", Ty::Text, "Titre", "Title")
    .kinds(&[T, Pr, P, S])
    .required_in(PAGES)
    .blank(Blank::Error)
    .filled()
    .example("{title}")
    .aliases(&["titre"])
    .help(
        "Le titre de la page, repris dans les listes.",
        "The page's title, also shown in lists.",
    );
pub static DATE: Field = Field::new("date", Ty::Date, "Date", "Date")
    .kinds(PAGES)
    .required_in(&[T])
    .example("{today}")
    .help(
        "La date de publication, au format `AAAA-MM-JJ` (ex. `2021-03-12`).",
        "The publication date, as `YYYY-MM-DD` (e.g. `2021-03-12`).",
    );
pub static UPDATED: Field = Field::new("updated", Ty::Date, "Mise à jour", "Updated")
    .kinds(PAGES)
    .example("{today}")
    .aliases(&["date-de-mise-a-jour", "mise-a-jour"])
    .help(
        "Date de la dernière mise à jour importante ; affichée « Mis à jour le… ».",
        "Date of the last significant update; shown as “Updated on…”.",
    );
pub static DRAFT: Field = Field::new("draft", Ty::Bool, "Brouillon", "Draft")
    .kinds(PAGES)
    .default("false")
    .example("true")
    .filled()
    .aliases(&["brouillon"])
    .help(
        "`true` pour un brouillon, qui n'est pas publié : retirez la ligne quand la page est prête.",
        "`true` for a draft, which is not published: remove the line when the page is ready.",
    );
pub static ORGANISER: Field = Field::new("organiser", Ty::Text, "Organisateur", "Organiser")
    .kinds(&[Pr])
    .required()
    .blank(Blank::Error)
    .example("\"Nom de l'organisateur\"")
    .aliases(&["organisateur", "organisatrice"])
    .help("Qui organise le programme.", "Who runs the programme.");
pub static AUTHOR: Field = Field::new("author", Ty::Mapping, "Auteur", "Author")
    .kinds(&[T])
    .required()
    .aliases(&["auteur", "autrice"])
    .help(
        "L'auteur ou l'autrice du témoignage : les champs ci-dessous, indentés sous `author:`.",
        "Who wrote the testimonial: the fields below, indented under `author:`.",
    );
pub static AUTHOR_NAME: Field = Field::new("author.name", Ty::Text, "Nom", "Name")
    .kinds(&[T])
    .required()
    .blank(Blank::Error)
    .example("\"Prénom Nom\"")
    .aliases(&["nom"])
    .help(
        "Prénom et nom ; pour un ou une mineure, seul le prénom est publié.",
        "First name and surname; for a minor, only the first name is published.",
    );
pub static AUTHOR_ROLE: Field = Field::new("author.role", Ty::Text, "Rôle", "Role")
    .kinds(&[T])
    .example("\"Élève de 3e\"")
    .aliases(&["role", "fonction"])
    .help("Son rôle ou sa classe.", "Their role or class.");
pub static AUTHOR_SCHOOL: Field = Field::new("author.school", Ty::Text, "Établissement", "School")
    .kinds(&[T])
    .example("\"Collège …\"")
    .aliases(&["ecole", "etablissement"])
    .help("Son établissement.", "Their school.");
pub static AUTHOR_PHOTO: Field = Field::new("author.photo", Ty::BundlePath, "Photo", "Photo")
    .kinds(&[T])
    .blank(Blank::Absent)
    .example("photo.jpg")
    .requires(
        "photo_alt",
        "photo-without-alt",
        i18n::photo_without_alt,
        i18n::hint_photo_alt,
    )
    .help(
        "Une photo placée dans le même dossier que le témoignage (voir « Ajouter une photo »).",
        "A photo in the testimonial's folder (a page bundle).",
    );
pub static AUTHOR_PHOTO_ALT: Field = Field::new(
    "author.photo_alt",
    Ty::Text,
    "Texte de la photo",
    "Photo text",
)
.kinds(&[T])
.blank(Blank::Absent)
.example("\"…\"")
.help(
    "Ce que montre la photo, pour qui ne la voit pas.",
    "What the photo shows, for those who cannot see it.",
);
pub static PROGRAMME: Field = Field::new("programme", Ty::Text, "Programme", "Programme")
    .kinds(&[T])
    .blank(Blank::Absent)
    .example("vis-mon-job")
    .help(
        "Le nom de fichier d'une page de programme, sans `.md` (ex. `vis-mon-job`).",
        "The file name of a programme page, without `.md` (e.g. `vis-mon-job`).",
    );
pub static ORGANISATION: Field = Field::new(
    "organisation",
    Ty::Text,
    "Structure d'accueil",
    "Host organisation",
)
.kinds(&[T])
.example("\"…\"")
.help(
    "La structure qui a accueilli le stagiaire.",
    "The organisation that hosted the intern.",
);
pub static LEVEL: Field = Field::new("level", Ty::Text, "Niveau", "Level")
    .kinds(&[T])
    .example("\"3e\"")
    .aliases(&["niveau"])
    .help(
        "Le niveau d'études : `3e`, `Bac+2`, `Master 2`…",
        "The level of study: `3e`, `Bac+2`, `Master 2`…",
    );
pub static FORMAT: Field = Field::new(
    "format",
    Ty::Choice(choice_names::<Format>),
    "Format",
    "Format",
)
.kinds(&[T, Pr])
.example("on-site")
.help(
    "`on-site` (sur site), `remote` (à distance) ou `hybrid` (hybride).",
    "`on-site`, `remote` or `hybrid`.",
);
pub static DURATION: Field = Field::new("duration", Ty::Text, "Durée", "Duration")
    .kinds(&[T, Pr])
    .example("\"1 semaine\"")
    .aliases(&["duree"])
    .help(
        "La durée, en toutes lettres : `2 semaines`, `1 journée`.",
        "The duration, in words: `2 semaines`, `1 journée`.",
    );
pub static QUOTE: Field = Field::new("quote", Ty::Text, "Citation", "Quote")
    .kinds(&[T])
    .example("\"…\"")
    .aliases(&["citation"])
    .help(
        "Une phrase marquante, reprise dans les vignettes.",
        "A striking sentence, shown on cards.",
    );
pub static PARTNERS: Field = Field::new("partners", Ty::List, "Partenaires", "Partners")
    .kinds(&[Pr])
    .default("[]")
    .example("[\"…\", \"…\"]")
    .aliases(&["partenaires"])
    .help("Les partenaires du programme.", "The programme's partners.");
pub static AUDIENCE: Field = Field::new("audience", Ty::Text, "Public", "Audience")
    .kinds(&[Pr])
    .example("\"…\"")
    .aliases(&["public"])
    .help("Le public visé.", "Who the programme is for.");
pub static LOCATION: Field = Field::new("location", Ty::Text, "Lieu", "Location")
    .kinds(&[Pr])
    .example("\"…\"")
    .aliases(&["lieu"])
    .help("Le lieu.", "Where it takes place.");
pub static EDITION: Field = Field::new("edition", Ty::Positive, "Édition", "Edition")
    .kinds(&[Pr])
    .example("1")
    .help(
        "Le numéro de l'édition, en chiffres : `3` s'affiche « 3e édition ».",
        "The edition's number, in digits: `3` shows as \"3rd edition\".",
    );
pub static START: Field = Field::new("start", Ty::Date, "Début", "Start")
    .kinds(&[Pr])
    .example("{today}")
    .aliases(&["debut"])
    .help(
        "La date de début (AAAA-MM-JJ) ; avant, la page annonce « Commence le … ».",
        "The start date (YYYY-MM-DD); before it, the page says “Starts on …”.",
    );
pub static END: Field = Field::new("end", Ty::Date, "Fin", "End")
    .kinds(&[Pr])
    .example("{today}")
    .aliases(&["fin"])
    .help(
        "La date de fin ; après, la page indique « Programme terminé ».",
        "The end date; after it, the page says “Programme finished”.",
    );
pub static APPLY_URL: Field =
    Field::new("apply_url", Ty::Link, "Lien pour candidater", "Apply link")
        .kinds(&[Pr])
        .example("\"https://…\"")
        .help(
            "Le lien du bouton « Candidater » : une adresse complète ou une page du site.",
            "The link of the “Apply” button: a full address or a page of the site.",
        );
pub static CONTACT: Field = Field::new("contact", Ty::Text, "Contact", "Contact")
    .kinds(&[Pr])
    .example("\"…\"")
    .help(
        "Qui joindre : un texte, une adresse e-mail ou un lien.",
        "Whom to contact: a text, an e-mail address or a link.",
    );
pub static COVER: Field = Field::new("cover", Ty::BundlePath, "Image de couverture", "Cover picture")
    .kinds(&[Pr, S])
    .blank(Blank::Absent)
    .example("couverture.jpg")
    .aliases(&["couverture"])
    .requires(
        "cover_alt",
        "cover-without-alt",
        i18n::cover_without_alt,
        i18n::hint_cover_alt,
    )
    .help(
        "Une image placée dans le dossier de la page (pour l'accueil : `content/`), montrée en haut de la page.",
        "A picture in the page's folder (for the home page: `content/`), shown at the top of the page.",
    );
pub static COVER_ALT: Field = Field::new(
    "cover_alt",
    Ty::Text,
    "Texte de l'image de couverture",
    "Cover picture text",
)
.kinds(&[Pr, S])
.blank(Blank::Absent)
.example("\"…\"")
.help(
    "Ce que montre l'image de couverture, pour qui ne la voit pas.",
    "What the cover picture shows, for those who cannot see it.",
);
pub static SUMMARY: Field = Field::new("summary", Ty::Text, "Résumé", "Summary")
    .kinds(PAGES)
    .example("\"…\"")
    .aliases(&["resume"])
    .help(
        "Le résumé affiché dans les listes ; sinon, le premier paragraphe du texte.",
        "The summary shown in lists; otherwise the text's first paragraph.",
    );
pub static TAGS: Field = Field::new("tags", Ty::List, "Mots-clés", "Tags")
    .kinds(&[T, Pr])
    .default("[]")
    .example("[\"Numérique\"]")
    .aliases(&["mots-cles", "etiquettes", "tags"])
    .help(
        "Des mots-clés entre crochets : `[\"Éducation\", \"Numérique public\"]`.",
        "Tags in square brackets: `[\"Éducation\", \"Numérique public\"]`.",
    );
pub static CONSENT: Field = Field::new("consent", Ty::Mapping, "Consentement", "Consent")
    .kinds(&[T])
    .recommended()
    .aliases(&["consentement"])
    .help(
        "L'accord de publication, à remplir avant de publier (voir « Le consentement »).",
        "The consent to publish, to fill in before publishing.",
    );
pub static CONSENT_OBTAINED: Field =
    Field::new("consent.obtained", Ty::Date, "Accord obtenu le", "Obtained")
        .kinds(&[T])
        .recommended()
        .example("{today}")
        .help(
            "Date à laquelle l'accord écrit a été donné.",
            "When the written consent was given.",
        );
pub static CONSENT_EXPIRES: Field =
    Field::new("consent.expires", Ty::Date, "Fin de l'accord", "Expires")
        .kinds(&[T])
        .example("2030-01-01")
        .help(
            "Dernier jour de l'accord : le témoignage reste publié ce jour-là et est retiré du site le lendemain.",
            "The consent's last day: the testimonial stays published that day and leaves the site the next.",
        );
pub static CONSENT_WITHDRAWN: Field = Field::new(
    "consent.withdrawn",
    Ty::Date,
    "Accord retiré le",
    "Withdrawn",
)
.kinds(&[T])
.example("2030-01-01")
.help(
    "Date à laquelle l'auteur a retiré son accord (retire le témoignage).",
    "When the author withdrew consent (takes the testimonial off).",
);
pub static CONSENT_MINOR: Field = Field::new("consent.minor", Ty::Bool, "Mineur", "Minor")
    .kinds(&[T])
    .default("false")
    .example("true")
    .aliases(&["mineur", "mineure"])
    .requires(
        "guardian",
        "minor-without-guardian",
        i18n::minor_without_guardian,
        i18n::hint_guardian,
    )
    .help(
        "`true` si l'auteur est mineur : seul son prénom est publié.",
        "`true` if the author is a minor: only the first name is published.",
    );
pub static CONSENT_GUARDIAN: Field = Field::new(
    "consent.guardian",
    Ty::Bool,
    "Accord du représentant légal",
    "Guardian",
)
.kinds(&[T])
.default("false")
.example("true")
.aliases(&["tuteur", "parent", "responsable-legal"])
.help(
    "`true` si un responsable légal a donné son accord (obligatoire pour un mineur).",
    "`true` if a legal guardian consented (required for a minor).",
);
pub static CONSENT_SURNAME_OK: Field =
    Field::new("consent.surname_ok", Ty::List, "Expressions acceptées", "Accepted phrases")
        .kinds(&[T])
        .default("[]")
        .example("[\"petit déjeuner\"]")
        .help(
            "Pour un mineur : les expressions où son nom de famille est un mot courant, acceptées telles quelles.",
            "For a minor: phrases where the surname is an ordinary word, accepted as written.",
        );
pub static KIND: Field = Field::new("kind", Ty::Choice(choice_names::<Kind>), "Type de pages", "Kind of pages")
    .kinds(&[S])
    .example("{kind}")
    .filled()
    .help(
        "Ce que contient la section : `testimonial`, `programme` ou `page` (par défaut, celui de la section parente).",
        "What the section holds: `testimonial`, `programme` or `page` (by default, its parent's kind).",
    );
pub static SORT_BY: Field = Field::new(
    "sort_by",
    Ty::Choice(choice_names::<SortBy>),
    "Tri",
    "Sort by",
)
.kinds(&[S])
.example("date")
.help(
    "L'ordre des pages de la liste : `date`, `title` (titre) ou `weight` (poids).",
    "The order of the list: `date`, `title` or `weight`.",
);
pub static SECTION_PAGINATE_BY: Field =
    Field::new("paginate_by", Ty::Positive, "Pages par liste", "Per page")
        .kinds(&[S])
        .example("12")
        .help(
            "Le nombre de vignettes par page de la liste (sinon, celui de `site.yaml`).",
            "Cards per page of the list (otherwise the one of `site.yaml`).",
        );
pub static DESCRIPTION: Field = Field::new("description", Ty::Text, "Description", "Description")
    .kinds(&[S])
    .example("\"…\"")
    .help(
        "Une phrase qui présente la section.",
        "A sentence presenting the section.",
    );
pub static WEIGHT: Field = Field::new("weight", Ty::Integer, "Poids", "Weight")
    .kinds(&[T, Pr, P, S])
    .example("10")
    .aliases(&["poids"])
    .help(
        "Ordre manuel (les petits nombres d'abord) dans les listes triées par poids et dans le menu.",
        "Manual order (smaller first) in lists sorted by weight and in the menu.",
    );
pub static SLUG: Field = Field::new("slug", Ty::Text, "Adresse", "Slug")
    .kinds(PAGES)
    .example("mon-adresse")
    .help(
        "L'adresse de la page ; sinon, elle est tirée du nom du fichier.",
        "The page's address; otherwise taken from the file name.",
    );
pub static TEMPLATE: Field = Field::new("template", Ty::Text, "Gabarit", "Template")
    .kinds(&[T, Pr, P, S])
    .blank(Blank::Absent)
    .example("page.html")
    .help(
        "Un gabarit particulier pour cette page (voir la documentation des gabarits).",
        "Another template of `templates/` for this page.",
    );
pub static EXTRA: Field = Field::new("extra", Ty::Map, "Champs libres", "Extra")
    .kinds(&[T, Pr, P, S, Si])
    .default("{}")
    .help(
        "Champs libres, pour les gabarits.",
        "Free fields, for templates.",
    );
pub static SITE_TITLE: Field = Field::new("title", Ty::Text, "Nom du site", "Site name")
    .kinds(&[Si])
    .required()
    .example("{title}")
    .help("Le nom du site.", "The site's name.");
pub static SITE_DESCRIPTION: Field =
    Field::new("description", Ty::Text, "Description", "Description")
        .kinds(&[Si])
        .default("\"\"")
        .example("\"Témoignages de stagiaires et programmes de stage\"")
        .help(
            "Une phrase qui présente le site (moteurs de recherche, flux).",
            "A sentence presenting the site (search engines, feed).",
        );
pub static BASE_URL: Field = Field::new("base_url", Ty::Link, "Adresse du site", "Base URL")
    .kinds(&[Si])
    .required()
    .example("\"https://exemple.fr/\"")
    .help(
        "L'adresse publique du site, avec son sous-dossier éventuel.",
        "The site's public address, with its sub-path if any.",
    );
pub static LANGUAGE: Field = Field::new("language", Ty::Text, "Langue", "Language")
    .kinds(&[Si])
    .default("fr")
    .help(
        "La langue du site (`fr`, `en`…) : typographie, dates, libellés.",
        "The site's language (`fr`, `en`…): typography, dates, labels.",
    );
pub static THEME: Field = Field::new("theme", Ty::Text, "Thème", "Theme")
    .kinds(&[Si])
    .default("default")
    .help(
        "Le thème intégré ; surchargez un gabarit dans `templates/`.",
        "The built-in theme; override a template in `templates/`.",
    );
pub static RELATIVE_URLS: Field =
    Field::new("relative_urls", Ty::Bool, "Liens relatifs", "Relative URLs")
        .kinds(&[Si])
        .default("false")
        .help(
            "`true` : le site fonctionne sous n'importe quel sous-dossier.",
            "`true`: the site works under any sub-path.",
        );
pub static SITE_PAGINATE_BY: Field =
    Field::new("paginate_by", Ty::Positive, "Pages par liste", "Per page")
        .kinds(&[Si])
        .default("12")
        .help(
            "Le nombre de vignettes par page des listes.",
            "Cards per page of lists.",
        );
pub static TAXONOMIES: Field = Field::new(
    "taxonomies",
    Ty::ChoiceList(choice_names::<Taxonomy>),
    "Classements",
    "Taxonomies",
)
.kinds(&[Si])
.default("[tags, organisations, levels]")
.help(
    "Les classements qui ont leurs pages : `tags`, `organisations`, `levels`, `programmes`.",
    "The taxonomies that get pages: `tags`, `organisations`, `levels`, `programmes`.",
);
pub static FEED: Field = Field::new("feed", Ty::Bool, "Flux", "Feed")
    .kinds(&[Si])
    .default("true")
    .help(
        "`true` : le site publie un flux Atom.",
        "`true`: the site has an Atom feed.",
    );
pub static SEARCH: Field = Field::new("search", Ty::Bool, "Recherche", "Search")
    .kinds(&[Si])
    .default("true")
    .help(
        "`true` : le site a une page de recherche.",
        "`true`: the site has a search page.",
    );
pub static EDITING: Field = Field::new(
    "editing",
    Ty::Mapping,
    "Édition en ligne",
    "Online editing",
)
.kinds(&[Si])
.help(
    "Le dépôt Git où l'éditeur du site publié enregistre : avec lui, `vitrine build` écrit aussi `admin/`.",
    "The Git repository the published site's editor saves to: with it, `vitrine build` also writes `admin/`.",
);
pub static EDITING_BACKEND: Field = Field::new(
    "editing.backend",
    Ty::Choice(choice_names::<crate::config::GitBackend>),
    "Forge",
    "Backend",
)
.kinds(&[Si])
.required()
.example("gitlab")
.help("`gitlab` ou `github`.", "`gitlab` or `github`.");
pub static EDITING_REPO: Field = Field::new("editing.repo", Ty::Text, "Dépôt", "Repository")
    .kinds(&[Si])
    .required()
    .blank(Blank::Error)
    .example("\"college/site-stages\"")
    .help(
        "Le dépôt, `groupe/projet` : celui dont la CI construit le site.",
        "The repository, `group/project`: the one whose CI builds the site.",
    );
pub static EDITING_BRANCH: Field = Field::new("editing.branch", Ty::Text, "Branche", "Branch")
    .kinds(&[Si])
    .default("main")
    .help(
        "La branche où l'éditeur enregistre.",
        "The branch the editor commits to.",
    );
pub static EDITING_BASE_URL: Field = Field::new(
    "editing.base_url",
    Ty::Link,
    "Adresse de la forge",
    "Forge address",
)
.kinds(&[Si])
.blank(Blank::Absent)
.example("\"https://gitlab.exemple.fr\"")
.help(
    "Pour un GitLab d'établissement ou d'académie : son adresse (sinon gitlab.com ou github.com).",
    "For a self-hosted GitLab: its address (otherwise gitlab.com or github.com).",
);
pub static EDITING_APP_ID: Field = Field::new(
    "editing.app_id",
    Ty::Text,
    "Identifiant d'application",
    "Application ID",
)
.kinds(&[Si])
.blank(Blank::Absent)
.example("\"…\"")
.help(
    "GitLab : l'identifiant de l'application OAuth (PKCE) créée pour l'éditeur.",
    "GitLab: the ID of the OAuth application (PKCE) made for the editor.",
);

pub static PUBLISHER: Field = Field::new("publisher", Ty::Mapping, "Éditeur", "Publisher")
    .kinds(&[Si])
    .aliases(&["editeur"])
    .help(
        "Qui publie le site : les mentions légales en sont faites.",
        "Who publishes the site: the legal notice is made from it.",
    );
pub static PUBLISHER_NAME: Field = Field::new("publisher.name", Ty::Text, "Nom", "Name")
    .kinds(&[Si])
    .blank(Blank::Absent)
    .example("\"Lycée Jean Moulin\"")
    .help(
        "Le nom de l'établissement ou de l'organisme (sinon, le nom du site).",
        "The organisation's name (otherwise, the site's name).",
    );
pub static PUBLISHER_ADDRESS: Field =
    Field::new("publisher.address", Ty::Text, "Adresse", "Address")
        .kinds(&[Si])
        .blank(Blank::Absent)
        .example("\"12 rue des Écoles, 69000 Lyon\"")
        .help("Son adresse postale.", "Its postal address.");
pub static PUBLISHER_DIRECTOR: Field = Field::new(
    "publisher.director",
    Ty::Text,
    "Directeur ou directrice de la publication",
    "Director of publication",
)
.kinds(&[Si])
.blank(Blank::Absent)
.example("\"Claire Martin, proviseure\"")
.help(
    "La personne responsable de ce qui est publié (souvent le chef d'établissement).",
    "The person responsible for what is published (often the head of the school).",
);
pub static PUBLISHER_CONTACT: Field =
    Field::new("publisher.contact", Ty::Text, "Contact", "Contact")
        .kinds(&[Si])
        .blank(Blank::Absent)
        .example("\"communication@lycee.example\"")
        .help(
            "Une adresse e-mail ou la page d'un formulaire de contact.",
            "An e-mail address or a contact form's page.",
        );
pub static PUBLISHER_HOST_NAME: Field =
    Field::new("publisher.host_name", Ty::Text, "Hébergeur", "Host")
        .kinds(&[Si])
        .blank(Blank::Absent)
        .example("\"Académie de Lyon\"")
        .help(
            "Qui héberge le site (l'académie, un prestataire…).",
            "Who hosts the site.",
        );
pub static PUBLISHER_HOST_ADDRESS: Field = Field::new(
    "publisher.host_address",
    Ty::Text,
    "Adresse de l'hébergeur",
    "Host's address",
)
.kinds(&[Si])
.blank(Blank::Absent)
.example("\"92 rue de Marseille, 69007 Lyon\"")
.help(
    "L'adresse postale de l'hébergeur.",
    "The host's postal address.",
);
pub static PUBLISHER_PHONE: Field = Field::new("publisher.phone", Ty::Text, "Téléphone", "Phone")
    .kinds(&[Si])
    .blank(Blank::Absent)
    .example("\"04 78 00 00 00\"")
    .help(
        "Le numéro de téléphone de l'éditeur (la loi le demande).",
        "The publisher's phone number (the law asks for it).",
    );
pub static PUBLISHER_HOST_PHONE: Field = Field::new(
    "publisher.host_phone",
    Ty::Text,
    "Téléphone de l'hébergeur",
    "Host's phone",
)
.kinds(&[Si])
.blank(Blank::Absent)
.example("\"04 72 00 00 00\"")
.help(
    "Le numéro de téléphone de l'hébergeur (la loi le demande).",
    "The host's phone number (the law asks for it).",
);
pub static PUBLISHER_DPO: Field = Field::new(
    "publisher.dpo",
    Ty::Text,
    "Délégué à la protection des données",
    "Data protection officer",
)
.kinds(&[Si])
    .blank(Blank::Absent)
.example("\"dpo@ac-lyon.fr\"")
.help(
    "Comment joindre le délégué ou la déléguée à la protection des données (celui de l'académie pour un établissement scolaire) : une adresse e-mail ou une page.",
    "How to reach the data protection officer (the education authority's for a school): an e-mail address or a page.",
);
pub static IDENTITY: Field = Field::new("identity", Ty::Mapping, "Identité", "Identity")
    .kinds(&[Si])
    .aliases(&["identite"])
    .help(
        "Le nom de l'établissement, son logo et les couleurs du site.",
        "The organisation's name, its logo and the site's colours.",
    );
pub static IDENTITY_NAME: Field = Field::new("identity.name", Ty::Text, "Établissement", "Organisation")
    .kinds(&[Si])
    .blank(Blank::Absent)
    .example("\"Lycée des métiers Jean Moulin\"")
    .help(
        "Le nom de l'établissement ou de l'organisme, en tête et en pied de chaque page (sinon, celui de l'éditeur).",
        "The organisation's name, in every page's header and footer (otherwise, the publisher's).",
    );
pub static IDENTITY_LOGO: Field = Field::new("identity.logo", Ty::Text, "Logo", "Logo")
    .kinds(&[Si])
    .blank(Blank::Absent)
    .example("logo.svg")
    .requires(
        "logo_alt",
        "logo-without-alt",
        i18n::logo_without_alt,
        i18n::hint_logo_alt,
    )
    .help(
        "Une image placée dans le dossier `static/` du site (SVG ou PNG), à la place du pictogramme.",
        "An image in the site's `static/` folder (SVG or PNG), in place of the default mark.",
    );
pub static IDENTITY_LOGO_ALT: Field =
    Field::new("identity.logo_alt", Ty::Text, "Texte du logo", "Logo text")
        .kinds(&[Si])
        .blank(Blank::Absent)
        .example("\"Lycée Jean Moulin\"")
        .help(
            "Ce qu'écrit le logo, pour qui ne le voit pas (souvent le nom de l'établissement).",
            "What the logo says, for those who cannot see it (often the organisation's name).",
        );
pub static IDENTITY_PALETTE: Field = Field::new(
    "identity.palette",
    Ty::Choice(choice_names::<crate::config::Palette>),
    "Couleurs",
    "Colours",
)
.kinds(&[Si])
.aliases(&["couleurs"])
.default("bleu")
.help(
    "Les couleurs du thème : `bleu`, `vert`, `violet` ou `terracotta` (en anglais aussi : `blue`, `green`, `purple`).",
    "The theme's colours: `blue`, `green`, `purple` or `terracotta` (French names too: `bleu`, `vert`, `violet`).",
);
pub static ACCESSIBILITY: Field = Field::new(
    "accessibility",
    Ty::Mapping,
    "Accessibilité",
    "Accessibility",
)
.kinds(&[Si])
.aliases(&["accessibilite"])
.help(
    "Les résultats de l'audit RGAA : la déclaration d'accessibilité en est faite.",
    "The RGAA audit's results: the accessibility statement is made from them.",
);
pub static ACCESSIBILITY_ENTITY: Field =
    Field::new("accessibility.entity", Ty::Text, "Entité", "Entity")
        .kinds(&[Si])
        .blank(Blank::Absent)
        .example("\"Lycée Jean Moulin\"")
        .help(
            "Qui s'engage sur l'accessibilité (par défaut, l'éditeur).",
            "Who commits to accessibility (by default, the publisher).",
        );
pub static ACCESSIBILITY_AUDIT_DATE: Field = Field::new(
    "accessibility.audit_date",
    Ty::Date,
    "Date de l'audit",
    "Audit date",
)
.kinds(&[Si])
.example("2026-03-01")
.help(
    "Le jour de l'audit ; il vaut trois ans.",
    "The day of the audit; it is valid three years.",
);
pub static ACCESSIBILITY_AUDITED_BY: Field = Field::new(
    "accessibility.audited_by",
    Ty::Text,
    "Audit réalisé par",
    "Audited by",
)
.kinds(&[Si])
.blank(Blank::Absent)
.example("\"la mission numérique de l'académie\"")
.help(
    "L'organisme ou l'équipe qui a fait l'audit.",
    "Who made the audit.",
);
pub static ACCESSIBILITY_RGAA: Field = Field::new(
    "accessibility.rgaa",
    Ty::Text,
    "Version du RGAA",
    "RGAA version",
)
.kinds(&[Si])
.blank(Blank::Absent)
.default("\"4.1.2\"")
.help(
    "La version du RGAA suivie par l'audit.",
    "The RGAA version the audit followed.",
);
pub static ACCESSIBILITY_RATE: Field = Field::new(
    "accessibility.rate",
    Ty::Text,
    "Taux de conformité",
    "Compliance rate",
)
.kinds(&[Si])
.example("\"87,5 %\"")
.help(
    "La part des critères respectés, en pourcentage (« 87,5 % »).",
    "The share of criteria met, as a percentage (\"87.5 %\").",
);
pub static ACCESSIBILITY_NON_CONFORMITIES: Field = Field::new(
    "accessibility.non_conformities",
    Ty::List,
    "Non-conformités",
    "Non-conformities",
)
.kinds(&[Si])
.default("[]")
.help(
    "Ce qui n'est pas encore accessible, une ligne chacun.",
    "What is not accessible yet, one line each.",
);
pub static ACCESSIBILITY_DEROGATIONS: Field = Field::new(
    "accessibility.derogations",
    Ty::List,
    "Dérogations",
    "Derogations",
)
.kinds(&[Si])
.default("[]")
.help(
    "Les contenus exclus pour charge disproportionnée, avec la raison.",
    "Content left out for disproportionate burden, with the reason.",
);
pub static ACCESSIBILITY_EXEMPTIONS: Field = Field::new(
    "accessibility.exemptions",
    Ty::List,
    "Contenus exemptés",
    "Exemptions",
)
.kinds(&[Si])
.default("[]")
.help(
    "Les contenus non soumis à l'obligation (contenus de tiers…).",
    "Content outside the obligation (third-party content…).",
);
pub static ACCESSIBILITY_CONTACT: Field = Field::new(
    "accessibility.contact",
    Ty::Text,
    "Contact accessibilité",
    "Accessibility contact",
)
.kinds(&[Si])
.blank(Blank::Absent)
.example("\"accessibilite@lycee.example\"")
.help(
    "Où signaler un défaut d'accessibilité (sinon, le contact de l'éditeur).",
    "Where to report an accessibility problem (otherwise, the publisher's contact).",
);
pub static ACCESSIBILITY_PLAN_URL: Field = Field::new(
    "accessibility.plan_url",
    Ty::Text,
    "Schéma pluriannuel",
    "Multi-year plan",
)
.kinds(&[Si])
.blank(Blank::Absent)
.example("\"https://lycee.example/accessibilite/plan.pdf\"")
.help(
    "L'adresse du schéma pluriannuel et du plan d'actions de l'année.",
    "The address of the multi-year plan and this year's action plan.",
);
pub static ACCESSIBILITY_PAGES: Field = Field::new(
    "accessibility.pages",
    Ty::List,
    "Pages auditées",
    "Pages audited",
)
.kinds(&[Si])
.default("[]")
.help(
    "Les pages vérifiées par l'audit.",
    "The pages the audit checked.",
);

pub static ACCESSIBILITY_RECOURSE: Field = Field::new(
    "accessibility.recourse",
    Ty::List,
    "Autres recours",
    "Other remedies",
)
.kinds(&[Si])
.default("[]")
.help(
    "Les autres autorités à saisir en plus du Défenseur des droits (médiateur académique…), une par ligne.",
    "Other authorities to turn to besides the Défenseur des droits (the education authority's mediator…), one a line.",
);

pub static ACCESSIBILITY_TEST_ENVIRONMENT: Field = Field::new(
    "accessibility.test_environment",
    Ty::List,
    "Environnement de test",
    "Test environment",
)
.kinds(&[Si])
.default("[]")
.help(
    "Les combinaisons navigateur et lecteur d'écran de l'audit, une par ligne (« Firefox 128 et NVDA 2024.1 »).",
    "The browser and screen reader pairs the audit used, one a line (\"Firefox 128 with NVDA 2024.1\").",
);
pub static ACCESSIBILITY_TOOLS: Field = Field::new(
    "accessibility.tools",
    Ty::List,
    "Outils d'évaluation",
    "Evaluation tools",
)
.kinds(&[Si])
.default("[]")
.help(
    "Les outils de l'audit, un par ligne (« Assistant RGAA », « Colour Contrast Analyser »…).",
    "The audit's tools, one a line (\"RGAA assistant\", \"Colour Contrast Analyser\"…).",
);

/// Every field, in the order the scaffold and the docs show them.
pub static FIELDS: &[&Field] = &[
    &TITLE,
    &DATE,
    &UPDATED,
    &DRAFT,
    &ORGANISER,
    &AUTHOR,
    &AUTHOR_NAME,
    &AUTHOR_ROLE,
    &AUTHOR_SCHOOL,
    &AUTHOR_PHOTO,
    &AUTHOR_PHOTO_ALT,
    &PROGRAMME,
    &ORGANISATION,
    &LEVEL,
    &FORMAT,
    &DURATION,
    &QUOTE,
    &PARTNERS,
    &AUDIENCE,
    &LOCATION,
    &EDITION,
    &START,
    &END,
    &APPLY_URL,
    &CONTACT,
    &COVER,
    &COVER_ALT,
    &SUMMARY,
    &TAGS,
    &CONSENT,
    &CONSENT_OBTAINED,
    &CONSENT_EXPIRES,
    &CONSENT_WITHDRAWN,
    &CONSENT_MINOR,
    &CONSENT_GUARDIAN,
    &CONSENT_SURNAME_OK,
    &KIND,
    &SORT_BY,
    &SECTION_PAGINATE_BY,
    &DESCRIPTION,
    &WEIGHT,
    &SLUG,
    &TEMPLATE,
    &SITE_TITLE,
    &SITE_DESCRIPTION,
    &BASE_URL,
    &LANGUAGE,
    &THEME,
    &RELATIVE_URLS,
    &SITE_PAGINATE_BY,
    &TAXONOMIES,
    &FEED,
    &SEARCH,
    &PUBLISHER,
    &PUBLISHER_NAME,
    &PUBLISHER_ADDRESS,
    &PUBLISHER_DIRECTOR,
    &PUBLISHER_CONTACT,
    &PUBLISHER_HOST_NAME,
    &PUBLISHER_HOST_ADDRESS,
    &PUBLISHER_PHONE,
    &PUBLISHER_HOST_PHONE,
    &PUBLISHER_DPO,
    &IDENTITY,
    &IDENTITY_NAME,
    &IDENTITY_LOGO,
    &IDENTITY_LOGO_ALT,
    &IDENTITY_PALETTE,
    &ACCESSIBILITY,
    &ACCESSIBILITY_ENTITY,
    &ACCESSIBILITY_AUDIT_DATE,
    &ACCESSIBILITY_AUDITED_BY,
    &ACCESSIBILITY_RGAA,
    &ACCESSIBILITY_RATE,
    &ACCESSIBILITY_NON_CONFORMITIES,
    &ACCESSIBILITY_DEROGATIONS,
    &ACCESSIBILITY_EXEMPTIONS,
    &ACCESSIBILITY_CONTACT,
    &ACCESSIBILITY_PLAN_URL,
    &ACCESSIBILITY_PAGES,
    &ACCESSIBILITY_RECOURSE,
    &ACCESSIBILITY_TEST_ENVIRONMENT,
    &ACCESSIBILITY_TOOLS,
    &EDITING,
    &EDITING_BACKEND,
    &EDITING_REPO,
    &EDITING_BRANCH,
    &EDITING_BASE_URL,
    &EDITING_APP_ID,
    &EXTRA,
];

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::front_matter::{self, FileText};
    use crate::dates::Date;
    use crate::diagnostics::Diagnostic;
    use crate::fields::{FieldValue, Positive};
    use serde_json::{Map, Value};
    use std::path::Path;

    /// Whether `value` reads as a value of `ty`, as the readers read it.
    fn reads_as(ty: Ty, value: &Value) -> bool {
        match ty {
            Ty::Text | Ty::BundlePath | Ty::Link => String::read(value).is_some(),
            Ty::Date => Date::read(value).is_some(),
            Ty::Bool => bool::read(value).is_some(),
            Ty::Integer => i64::read(value).is_some(),
            Ty::Positive => Positive::read(value).is_some(),
            Ty::Choice(names) => value.as_str().is_some_and(|v| names().contains(&v)),
            Ty::ChoiceList(names) => Vec::<String>::read(value)
                .is_some_and(|items| items.iter().all(|i| names().contains(&i.as_str()))),
            Ty::List => Vec::<String>::read(value).is_some(),
            Ty::Map => Map::<String, Value>::read(value).is_some(),
            Ty::Mapping => true,
        }
    }

    fn example(field: &Field) -> String {
        field
            .example_value()
            .replace("{title}", "\"Titre\"")
            .replace("{today}", "2026-01-15")
            .replace("{kind}", "testimonial")
    }

    /// A front matter (or `site.yaml`) of `scope` with every field set to
    /// its example, but those `left_out` says.
    pub(crate) fn example_yaml(scope: Scope, left_out: impl Fn(&Field) -> bool) -> String {
        let mut text = String::new();
        for field in fields_of(scope, "").filter(|f| !left_out(f)) {
            if matches!(field.ty, Ty::Mapping) {
                text.push_str(&format!("{}:\n", field.key));
                for child in fields_of(scope, field.key).filter(|f| !left_out(f)) {
                    text.push_str(&format!("  {}: {}\n", child.name(), example(child)));
                }
            } else {
                text.push_str(&format!("{}: {}\n", field.key, example(field)));
            }
        }
        text
    }

    /// Every diagnostic of reading `yaml` as a file of `scope`.
    fn read(scope: Scope, yaml: &str) -> Vec<Diagnostic> {
        if scope == Scope::Site {
            return crate::config::parse(Path::new("site.yaml"), yaml)
                .err()
                .unwrap_or_default();
        }
        let text = format!("---\n{yaml}---\n");
        let split = front_matter::split(&text).unwrap();
        let file = FileText {
            shown: Path::new("content/x.md"),
            text: &text,
            split: &split,
        };
        let kind = match scope {
            Scope::Testimonial => Kind::Testimonial,
            Scope::Programme => Kind::Programme,
            Scope::Page => Kind::Page,
            _ => return front_matter::read_section_parts(&file).diagnostics,
        };
        let read = front_matter::read_page_parts(&file, kind);
        // A field with a Rust field that its reader forgot would land here.
        let declared: Vec<&String> = read.meta.common.declared.keys().collect();
        let plain: Vec<&str> = fields_of(scope, "")
            .filter(|f| f.plain)
            .map(Field::name)
            .collect();
        assert_eq!(declared, plain, "{scope:?}: fields read as plain values");
        read.diagnostics
            .into_iter()
            .chain(read.meta.warnings)
            .collect()
    }

    #[test]
    fn every_field_of_each_kind_is_read_by_its_reader() {
        for scope in Scope::ALL {
            let yaml = example_yaml(scope, |_| false);
            let d = read(scope, &yaml);
            assert!(d.is_empty(), "{scope:?}:\n{yaml}\n{d:#?}");
        }
    }

    #[test]
    fn a_field_of_another_kind_is_unknown() {
        // The reader takes only its own kind's fields.
        let yaml = example_yaml(Scope::Testimonial, |_| false);
        let d = read(Scope::Page, &yaml);
        assert!(
            d.iter()
                .any(|d| d.code == "unknown-field" && d.message.contains("`author`")),
            "{d:#?}"
        );
        assert!(
            d.iter()
                .any(|d| d.code == "unknown-field" && d.message.contains("`tags`")),
            "{d:#?}"
        );
    }

    #[test]
    fn each_missing_required_field_is_reported() {
        let mut checked = 0;
        for scope in Scope::ALL {
            for field in all_of(scope).filter(|f| f.is_required_in(scope)) {
                let yaml = example_yaml(scope, |f| std::ptr::eq(f, field));
                let d = read(scope, &yaml);
                let missing = i18n::missing_field(field.key);
                assert!(
                    d.iter()
                        .any(|d| d.code == "missing-field" && d.message == missing),
                    "{scope:?} without {}:\n{yaml}\n{d:#?}",
                    field.key
                );
                checked += 1;
            }
        }
        assert!(checked >= 7, "{checked}");
    }

    #[test]
    fn each_rule_is_checked_by_the_reader() {
        let mut checked = 0;
        for scope in Scope::ALL {
            for field in all_of(scope) {
                let Some(rule) = field.rule else { continue };
                let yaml = example_yaml(scope, |f| {
                    f.parent() == field.parent() && f.name() == rule.needs
                });
                let d = read(scope, &yaml);
                assert!(
                    d.iter().any(|d| d.code == rule.code),
                    "{}: {d:#?}",
                    field.key
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 5);
    }

    #[test]
    fn defaults_and_examples_read_as_their_type() {
        for field in FIELDS {
            let example = example(field);
            if !matches!(field.ty, Ty::Mapping) {
                let value = crate::yaml::parse(&example).unwrap_or(Value::Null);
                assert!(
                    reads_as(field.ty, &value),
                    "{}: example {example}",
                    field.key
                );
            }
            if let Some(default) = field.default {
                let value = crate::yaml::parse(default).unwrap_or(Value::Null);
                assert!(
                    reads_as(field.ty, &value),
                    "{}: default {default}",
                    field.key
                );
            }
        }
    }

    #[test]
    fn the_table_is_consistent() {
        for (i, field) in FIELDS.iter().enumerate() {
            assert!(!field.kinds.is_empty(), "{}", field.key);
            assert!(
                field.required.iter().all(|s| field.is_in(*s)),
                "{}",
                field.key
            );
            for text in field.label.iter().chain(&field.help) {
                assert!(
                    !text.is_empty() && !text.contains('\n'),
                    "{}: {text:?}",
                    field.key
                );
            }
            // One entry per key and scope.
            for other in &FIELDS[i + 1..] {
                assert!(
                    other.key != field.key || !other.kinds.iter().any(|s| field.is_in(*s)),
                    "{} twice",
                    field.key
                );
            }
            // A nested field sits in a mapping of the same scopes.
            if !field.parent().is_empty() {
                let parent = FIELDS.iter().find(|p| p.key == field.parent());
                assert!(
                    parent
                        .is_some_and(|p| matches!(p.ty, Ty::Mapping)
                            && field.kinds.iter().all(|s| p.is_in(*s))),
                    "{}",
                    field.key
                );
            }
            if let Some(rule) = field.rule {
                assert!(
                    FIELDS.iter().any(|f| f.parent() == field.parent()
                        && f.name() == rule.needs
                        && field.kinds.iter().all(|s| f.is_in(*s))),
                    "{}: {}",
                    field.key,
                    rule.needs
                );
            }
            for alias in field.aliases {
                assert_eq!(crate::slug::slugify(alias), *alias, "folded");
                assert_eq!(alias_of(alias), vec![field.name()], "{alias}");
            }
        }
    }

    fn alias_of(word: &str) -> Vec<&'static str> {
        FIELDS
            .iter()
            .filter(|f| f.aliases.contains(&word))
            .map(|f| f.name())
            .collect()
    }

    #[test]
    fn writers_french_words_are_aliases() {
        for (word, field) in [
            ("auteur", "author"),
            ("Autrice", "author"),
            ("Résumé", "summary"),
            ("responsable légal", "guardian"),
            ("mots-clés", "tags"),
            ("Date de mise à jour", "updated"),
        ] {
            assert_eq!(alias(word), Some(field), "{word}");
        }
        assert_eq!(alias("zzz"), None);
    }
}
