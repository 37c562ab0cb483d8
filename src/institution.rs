//! The pages a French public body must publish, made from `site.yaml` data
//! and from what vitrine itself does: the accessibility statement (the
//! sections of the official RGAA model), the legal notices, and the
//! personal data page. Each is plain Markdown that goes through the
//! pipeline like a writer's page, and a content file at the same path
//! replaces it.

use crate::dates::Date;
use crate::i18n::Lang;

/// An accessibility audit is valid this long; after it the site counts as
/// not compliant until a new audit (RGAA: renewed every three years).
pub const AUDIT_VALID_YEARS: i32 = 3;

/// The `accessibility:` block of `site.yaml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accessibility {
    /// Who commits to the site's accessibility (defaults to the publisher).
    pub entity: Option<String>,
    pub audit: Option<Audit>,
    /// Non-conformities still present, one line each.
    pub non_conformities: Vec<String>,
    /// Derogations for disproportionate burden, each with its reason.
    pub derogations: Vec<String>,
    /// Contents exempt from the obligation (third-party content…).
    pub exemptions: Vec<String>,
    /// Where a visitor reports a problem: an e-mail address or a form URL.
    pub contact: Option<String>,
    /// The multi-year plan and this year's action plan.
    pub plan_url: Option<String>,
    /// Pages the audit checked.
    pub pages: Vec<String>,
    /// Authorities to turn to besides the Défenseur des droits.
    pub recourse: Vec<String>,
    /// Browser and assistive technology pairs the audit used.
    pub test_environment: Vec<String>,
    /// Tools the audit used.
    pub tools: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub date: Date,
    /// Who audited (a firm, or the team in house).
    pub by: String,
    /// RGAA version the audit followed (`4.1.2`).
    pub rgaa: String,
    /// Percentage of applicable criteria met, 0–100.
    pub rate: f64,
    /// The `audit_date:` value in `site.yaml`, for messages about the date.
    pub date_at: Option<crate::diagnostics::Location>,
}

/// Why a written rate is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum BadRate {
    /// `0.75` without `%`: a share of one, most likely meaning this
    /// percentage (75).
    Fraction(f64),
    /// Not plain digits (`1e2`, `+80`, `.5`, `1 000`, `quatre-vingts`):
    /// with the percentage it reads as, when it reads as one.
    Spelling(Option<f64>),
    /// A number above 100.
    OutOfRange,
}

/// A rate as writers write it: digits with at most one decimal comma or
/// point, and `%` or not (`87,5 %`, `87.5`, `100 %`); 0 to 100. A share
/// of one without `%` (`0.75`) is refused: it reads as 0.75 %, and was
/// most likely meant as 75 %.
pub fn parse_rate(text: &str) -> Result<f64, BadRate> {
    let text = text.trim();
    let (number, percent) = match text.strip_suffix('%') {
        Some(n) => (n.trim_end_matches(['\u{a0}', '\u{202f}', ' ']), true),
        None => (text, false),
    };
    let (whole, decimals) = match number.split_once([',', '.']) {
        Some((w, d)) => (w, Some(d)),
        None => (number, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !decimals.is_none_or(digits) {
        let read = number.replace(',', ".").parse::<f64>().ok();
        let read = read.filter(|r| r.is_finite() && (0.0..=100.0).contains(r));
        return Err(BadRate::Spelling(read));
    }
    let rate = number
        .replace(',', ".")
        .parse::<f64>()
        .map_err(|_| BadRate::Spelling(None))?;
    if rate > 100.0 {
        Err(BadRate::OutOfRange)
    } else if !percent && rate > 0.0 && rate <= 1.0 && decimals.is_some() {
        Err(BadRate::Fraction(rate * 100.0))
    } else {
        Ok(rate)
    }
}

/// The compliance mention every page shows in its footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compliance {
    Total,
    Partial,
    None,
}

impl Compliance {
    /// From the audit data: every criterion met → total, at least half →
    /// partial; no audit, an audit too old, or less → not compliant.
    pub fn of(accessibility: Option<&Accessibility>, today: Date) -> Compliance {
        let Some(audit) = accessibility.and_then(|a| a.audit.as_ref()) else {
            return Compliance::None;
        };
        // An audit dated after today is a typing mistake, not an audit.
        if audit_expired(audit, today) || audit.date.day_only() > today.day_only() {
            return Compliance::None;
        }
        if audit.rate >= 100.0 && accessibility.is_some_and(|a| a.non_conformities.is_empty()) {
            Compliance::Total
        } else if audit.rate >= 50.0 {
            Compliance::Partial
        } else {
            Compliance::None
        }
    }

    /// « totalement conforme », as the mention and the statement word it.
    pub fn words(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Compliance::Total, Lang::Fr) => "totalement conforme",
            (Compliance::Partial, Lang::Fr) => "partiellement conforme",
            (Compliance::None, Lang::Fr) => "non conforme",
            (Compliance::Total, Lang::En) => "fully compliant",
            (Compliance::Partial, Lang::En) => "partially compliant",
            (Compliance::None, Lang::En) => "not compliant",
        }
    }
}

/// The day an audit stops counting.
pub fn audit_end(audit: &Audit) -> Date {
    audit.date.plus_years(AUDIT_VALID_YEARS)
}

pub fn audit_expired(audit: &Audit, today: Date) -> bool {
    audit_end(audit).day_only() <= today.day_only()
}

/// The `publisher:` block of `site.yaml`: who answers for the site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Publisher {
    pub name: String,
    pub address: Option<String>,
    /// Directeur ou directrice de la publication.
    pub director: Option<String>,
    pub contact: Option<String>,
    pub host_name: Option<String>,
    pub host_address: Option<String>,
    pub phone: Option<String>,
    pub host_phone: Option<String>,
    /// How to reach the data protection officer.
    pub dpo: Option<String>,
}

/// What the generated pages need beyond their own block.
pub struct Facts<'a> {
    pub site_title: &'a str,
    /// `None` for a relocatable site (`relative_urls`), which has no fixed
    /// address: it is then named by its title.
    pub site_url: Option<&'a str>,
    pub lang: Lang,
    /// Whether the default theme, unchanged, dresses the site: it sets no
    /// cookie and its Content-Security-Policy blocks any other site's
    /// picture, video or script a page may name. The personal data page
    /// says so only then.
    pub no_third_party: bool,
    /// Whether every published testimonial has a dated consent: only then
    /// may the pages say that none is published without one.
    pub all_consented: bool,
    /// The forge the writers' editor (`admin/`) signs in to, if any.
    pub editing: Option<&'a str>,
    /// The `@/` key of the personal data page: a writer's file in its
    /// place may be `donnees-personnelles/index.md`.
    pub data_key: String,
}

/// Adds the three pages to `content`, each unless a writer's file takes its
/// place (`content/accessibilite.md` replaces the statement). Called once
/// the publication rules have said which pages are published.
pub fn add_pages(
    content: &mut crate::content::Content,
    config: &crate::config::Config,
    publication: crate::content::rules::Publication,
) {
    let today = publication.today;
    let lang = config.lang();
    let facts = Facts {
        site_title: &config.title,
        site_url: (!config.relative_urls).then_some(config.base_url.as_str()),
        lang,
        no_third_party: crate::theme::is_unchanged_default(&content.root, config),
        all_consented: all_consented(content, today),
        editing: config.editing.as_ref().map(|e| e.backend.name()),
        data_key: writers_page(content, data_rel(lang), publication.drafts)
            .unwrap_or(data_rel(lang))
            .to_string(),
    };
    let publisher = config.publisher.as_ref();
    let mut pages = vec![accessibility_statement(
        config.accessibility.as_ref(),
        publisher,
        &facts,
        today,
    )];
    // Without `publisher:`, a legal notice would publish placeholders: none
    // is made, and `check` says why.
    if publisher.is_some() {
        pages.push(legal_notice(publisher, &facts));
    }
    pages.push(personal_data(publisher, &facts));
    for page in pages {
        crate::content::add_generated_page(
            content,
            page.rel,
            &page.title,
            &page.markdown,
            publication.drafts,
            lang,
        );
    }
}

/// The `rel` of the writer's page that takes the place of the page
/// generated at `rel`, as [`crate::content::add_generated_page`] finds it.
fn writers_page<'c>(
    content: &'c crate::content::Content,
    rel: &str,
    drafts: bool,
) -> Option<&'c str> {
    let path = format!("{}/", crate::slug::slugify(rel.trim_end_matches(".md")));
    content
        .pages
        .iter()
        .find(|p| (p.rel == rel || p.path == path) && (drafts || !p.meta.common.draft))
        .map(|p| p.rel.as_str())
}

/// Whether every published testimonial has a consent with its date.
fn all_consented(content: &crate::content::Content, today: Date) -> bool {
    use crate::content::rules::{consent_state, ConsentState};
    content
        .pages
        .iter()
        .filter(|p| p.is_published())
        .all(|p| match &p.meta.details {
            crate::content::Details::Testimonial(t) => !matches!(
                consent_state(t, today),
                ConsentState::Missing | ConsentState::Undated(_)
            ),
            _ => true,
        })
}

/// What `check` says of the institution blocks: the audit outdated, ending
/// within [`crate::content::rules::CONSENT_NOTICE_DAYS`], or missing, the
/// publisher's data incomplete. See [`must_tell_now`] for what `build`
/// says too.
pub fn audit_notices(
    config: &crate::config::Config,
    today: Date,
) -> Vec<crate::diagnostics::Diagnostic> {
    use crate::diagnostics::Diagnostic;
    use crate::i18n;
    let file = std::path::Path::new(crate::config::CONFIG_FILE);
    let mut notices = Vec::new();
    match &config.publisher {
        None => notices.push(
            Diagnostic::warning("no-publisher", i18n::no_publisher())
                .at_file(file)
                .help(i18n::hint_no_publisher()),
        ),
        Some(p) => {
            // What the law asks the notice to name (LCEN, art. 6): a page
            // saying « à compléter » must not go out unnoticed.
            let missing: Vec<&str> = [
                ("address", &p.address),
                ("director", &p.director),
                ("phone", &p.phone),
                ("contact", &p.contact),
                ("host_name", &p.host_name),
                ("host_address", &p.host_address),
                ("host_phone", &p.host_phone),
            ]
            .into_iter()
            .filter(|(_, v)| v.as_deref().is_none_or(|v| v.trim().is_empty()))
            .map(|(key, _)| key)
            .collect();
            if !missing.is_empty() {
                let list = missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                notices.push(
                    Diagnostic::warning("publisher-incomplete", i18n::publisher_incomplete(list))
                        .at_file(file)
                        .help(i18n::hint_publisher_incomplete()),
                );
            }
        }
    }
    let contact = config
        .accessibility
        .as_ref()
        .and_then(|a| a.contact.as_ref());
    if contact
        .or(config.publisher.as_ref().and_then(|p| p.contact.as_ref()))
        .is_none()
    {
        // The model's "feedback and contact" section would name nobody.
        notices.push(
            Diagnostic::warning("accessibility-no-contact", i18n::accessibility_no_contact())
                .at_file(file)
                .help(i18n::hint_accessibility_no_contact()),
        );
    }
    let Some(audit) = config.accessibility.as_ref().and_then(|a| a.audit.as_ref()) else {
        notices.push(
            Diagnostic::warning("no-audit", i18n::no_audit())
                .at_file(file)
                .help(i18n::hint_no_audit()),
        );
        return notices;
    };
    let at = |d: Diagnostic| match &audit.date_at {
        Some(location) => d.at(location.clone()),
        None => d.at_file(file),
    };
    if audit.date.day_only() > today.day_only() {
        // « 2062 » for « 2026 »: the audit would silently not count.
        let help = match year_swapped(audit.date, today) {
            Some(fix) => i18n::hint_audit_year_swapped(fix.iso_day()),
            None => i18n::hint_audit_in_future(),
        };
        notices.push(at(Diagnostic::error(
            "audit-in-future",
            i18n::audit_in_future(i18n::long_date(audit.date), i18n::long_date(today)),
        )
        .help(help)));
        return notices;
    }
    let listed = config
        .accessibility
        .as_ref()
        .is_some_and(|a| !a.non_conformities.is_empty());
    if audit.rate < 100.0 && !listed {
        // The statement would say « partiellement conforme » and « no
        // non-conformity known » at once.
        notices.push(at(Diagnostic::warning(
            "non-conformities-missing",
            i18n::non_conformities_missing(
                percent(audit.rate, Lang::Fr),
                percent(audit.rate, Lang::En),
            ),
        )
        .help(i18n::hint_non_conformities_missing())));
    }
    let end = audit_end(audit);
    let days = today.day_only().days_until(&end);
    let last_day = i18n::long_date(end.plus_days(-1));
    let notice = if days <= 0 {
        // `build` says it too (see `must_tell_now`): every footer now says
        // « non conforme », the nightly build must not do it silently.
        i18n::audit_outdated(i18n::long_date(audit.date), &last_day)
    } else if days <= crate::content::rules::CONSENT_NOTICE_DAYS {
        i18n::audit_ending(&last_day, i18n::day_count(days))
    } else {
        return notices;
    };
    notices.push(at(
        Diagnostic::warning("audit-outdated", notice).help(i18n::hint_audit_renew())
    ));
    notices
}

/// Whether a notice of [`audit_notices`] is for every build, not only
/// `check`: a mistaken audit (an error), an audit past its end, which
/// turned every page's mention to « non conforme », and a legal page that
/// goes out missing or with « à compléter » in it (a writer who only runs
/// `build` must hear of it).
pub fn must_tell_now(
    notice: &crate::diagnostics::Diagnostic,
    config: &crate::config::Config,
    today: Date,
) -> bool {
    let ended = config
        .accessibility
        .as_ref()
        .and_then(|a| a.audit.as_ref())
        .is_some_and(|audit| audit_expired(audit, today));
    const LEGAL_GAPS: [&str; 3] = [
        "no-publisher",
        "publisher-incomplete",
        "accessibility-no-contact",
    ];
    notice.is_error()
        || (notice.code == "audit-outdated" && ended)
        || LEGAL_GAPS.contains(&notice.code)
}

/// The day the audit stops counting, if it counts today: the site must be
/// built again that day for the footers to say so.
pub fn next_audit_end(config: &crate::config::Config, today: Date) -> Option<Date> {
    let audit = config.accessibility.as_ref()?.audit.as_ref()?;
    let counts = audit.date.day_only() <= today.day_only() && !audit_expired(audit, today);
    counts.then(|| audit_end(audit))
}

/// `date` with the last two digits of its year swapped (« 2062 » typed for
/// « 2026 »), when that gives a day already past.
fn year_swapped(date: Date, today: Date) -> Option<Date> {
    let year = date.year();
    let swapped = year - year % 100 + year % 10 * 10 + year % 100 / 10;
    let fixed = date.plus_years(swapped - year);
    (swapped != year && fixed.day_only() <= today.day_only()).then_some(fixed)
}

/// The footer's mention and links: « Accessibilité : partiellement
/// conforme », linked to the statement.
pub fn compliance_label(config: &crate::config::Config, today: Date) -> String {
    let lang = config.lang();
    let words = Compliance::of(config.accessibility.as_ref(), today).words(lang);
    match lang {
        Lang::Fr => format!("Accessibilité : {words}"),
        Lang::En => format!("Accessibility: {words}"),
    }
}

/// A generated page: where it goes and its Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// Path in `content/` a writer's file would have (`accessibilite.md`).
    pub rel: &'static str,
    pub title: String,
    pub markdown: String,
}

/// Whether `page` is one of the three pages, generated or a writer's in
/// its place: the footer links them, the menu does not.
pub fn is_institution_page(page: &crate::content::Page, lang: Lang) -> bool {
    page.is_generated()
        || [accessibility_rel(lang), legal_rel(lang), data_rel(lang)]
            .into_iter()
            .any(|rel| {
                let path = format!("{}/", crate::slug::slugify(rel.trim_end_matches(".md")));
                page.rel == rel || page.path == path
            })
}

pub fn accessibility_rel(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "accessibilite.md",
        Lang::En => "accessibility.md",
    }
}

pub fn legal_rel(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "mentions-legales.md",
        Lang::En => "legal-notice.md",
    }
}

pub fn data_rel(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "donnees-personnelles.md",
        Lang::En => "personal-data.md",
    }
}

/// Lines of a Markdown list, or the words for "none".
fn list(items: &[String], none: &str) -> String {
    if items.is_empty() {
        return format!("{none}\n");
    }
    items.iter().map(|i| format!("- {}\n", text(i))).collect()
}

/// A value of `site.yaml` as Markdown text: HTML and Markdown marks shown
/// as written, never interpreted (`<img onerror=…>` stays text).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A contact as a Markdown link when it is an e-mail address (with or
/// without `mailto:`), a web address (`https:`/`http:`) or a page of the
/// site (`@/contact.md`); anything else (`javascript:…`) as text.
fn contact_link(contact: &str) -> String {
    let contact = contact.trim();
    let address = contact
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
        .map_or(contact, |_| &contact[7..]);
    let plain_address = address.contains('@')
        && !address.starts_with('@')
        && !address.contains(':')
        && address
            .chars()
            .all(|c| c.is_alphanumeric() || "@.-_+".contains(c));
    let site_page = contact.starts_with("@/")
        && !contact
            .chars()
            .any(|c| c.is_whitespace() || "<>\"'`".contains(c));
    if plain_address {
        format!("[{}](mailto:{address})", text(address))
    } else if web_address(contact) {
        format!("<{contact}>")
    } else if site_page {
        // Named by its place in the site: `@/contact/index.md` → « contact ».
        let name = contact[2..].trim_end_matches(".md");
        let name = name.trim_end_matches("/_index").trim_end_matches("/index");
        format!("[{}](<{contact}>)", text(name))
    } else {
        text(contact)
    }
}

/// `https://…` or `http://…` with nothing that could end a Markdown
/// autolink early.
pub(crate) fn web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || "<>\"'`".contains(c))
}

/// The accessibility statement, with the sections of the official model.
pub fn accessibility_statement(
    a: Option<&Accessibility>,
    publisher: Option<&Publisher>,
    facts: &Facts,
    today: Date,
) -> Generated {
    let compliance = Compliance::of(a, today);
    let entity = a
        .and_then(|a| a.entity.clone())
        .or_else(|| publisher.map(|p| p.name.clone()))
        .unwrap_or_else(|| facts.site_title.to_string());
    let entity = text(&entity);
    let audit = a.and_then(|a| a.audit.as_ref());
    let empty = Accessibility::default();
    let a = a.unwrap_or(&empty);
    let fr = facts.lang == Lang::Fr;
    let mut md = String::new();
    let url = facts.site_url.map_or_else(
        || format!("« {} »", text(facts.site_title)),
        |u| format!("<{u}>"),
    );
    if fr {
        md += &format!("{entity} s'engage à rendre son site accessible, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.\n\n");
        if let Some(plan) = a.plan_url.as_deref().filter(|p| web_address(p)) {
            md += &format!("Sa stratégie et ses actions sont décrites dans son [schéma pluriannuel et son plan d'actions](<{plan}>).\n\n");
        }
        md += &format!("Cette déclaration d'accessibilité s'applique au site {url}.\n\n");
        md += "## État de conformité\n\n";
        md += &format!(
            "Le site {url} est **{}** avec le référentiel général d'amélioration de l'accessibilité (RGAA){}.\n\n",
            compliance.words(Lang::Fr),
            audit.map(|x| format!(", version {}", text(&x.rgaa))).unwrap_or_default()
        );
        md += "## Résultats des tests\n\n";
        match audit {
            Some(x) if audit_expired(x, today) => md += &format!(
                "Le dernier audit, réalisé le {} par {}, date de plus de {AUDIT_VALID_YEARS} ans : il ne permet plus de mesurer la conformité du site. Un nouvel audit est à prévoir.\n\n",
                x.date.long(Lang::Fr), text(&x.by)
            ),
            Some(x) => md += &format!(
                "L'audit de conformité réalisé le {} par {} révèle que {} % des critères du RGAA version {} sont respectés.\n\n",
                x.date.long(Lang::Fr), text(&x.by), percent(x.rate, Lang::Fr), text(&x.rgaa)
            ),
            None => md += "Aucun audit de conformité n'a encore été réalisé : le site est donc déclaré non conforme.\n\n",
        }
        md += "## Contenus non accessibles\n\n### Non-conformités\n\n";
        md += &list(
            &a.non_conformities,
            if audit.is_some_and(|x| x.rate < 100.0) {
                "Les critères non respectés relevés par l'audit ne sont pas encore détaillés ici."
            } else {
                "Aucune non-conformité n'est connue à ce jour."
            },
        );
        md += "\n### Dérogations pour charge disproportionnée\n\n";
        md += &list(&a.derogations, "Aucune.");
        md += "\n### Contenus non soumis à l'obligation d'accessibilité\n\n";
        md += &list(&a.exemptions, "Aucun.");
        md += "\n## Établissement de cette déclaration d'accessibilité\n\n";
        md += &format!(
            "Cette déclaration a été établie le {}.\n\n",
            audit.map_or(today, |x| x.date).long(Lang::Fr)
        );
        md += "Technologies utilisées pour la réalisation du site : HTML5, CSS, JavaScript (facultatif : chaque page fonctionne sans).\n\n";
        if !a.test_environment.is_empty() {
            md += "### Environnement de test\n\nLes vérifications de restitution de contenus ont été réalisées avec :\n\n";
            md += &list(&a.test_environment, "");
            md += "\n";
        }
        if !a.tools.is_empty() {
            md += "### Outils pour évaluer l'accessibilité\n\n";
            md += &list(&a.tools, "");
            md += "\n";
        }
        if !a.pages.is_empty() {
            md += "### Pages du site ayant fait l'objet de la vérification de conformité\n\n";
            md += &list(&a.pages, "");
            md += "\n";
        }
        md += "## Retour d'information et contact\n\n";
        md += "Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable du site pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme";
        md += &match a
            .contact
            .as_deref()
            .or(publisher.and_then(|p| p.contact.as_deref()))
        {
            Some(c) => format!(" : {}.\n\n", contact_link(c)),
            None => ".\n\n".to_string(),
        };
        md += "## Voies de recours\n\n";
        md += "Si vous avez signalé au responsable du site un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service, et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :\n\n";
        md += "- écrire un message au Défenseur des droits (formulaire sur le site du Défenseur des droits, defenseurdesdroits.fr) ;\n";
        md += "- contacter le délégué du Défenseur des droits dans votre région ;\n";
        md += "- envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.\n";
        if !a.recourse.is_empty() {
            md += "\nVous pouvez aussi vous adresser à :\n\n";
            md += &list(&a.recourse, "");
        }
    } else {
        md += &format!("{entity} is committed to making its website accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005.\n\n");
        if let Some(plan) = a.plan_url.as_deref().filter(|p| web_address(p)) {
            md += &format!("Its strategy and actions are described in its [multi-year plan and action plan](<{plan}>).\n\n");
        }
        md += &format!("This accessibility statement applies to {url}.\n\n");
        md += "## Compliance status\n\n";
        md += &format!(
            "{url} is **{}** with the French accessibility framework (RGAA){}.\n\n",
            compliance.words(Lang::En),
            audit
                .map(|x| format!(", version {}", text(&x.rgaa)))
                .unwrap_or_default()
        );
        md += "## Test results\n\n";
        match audit {
            Some(x) if audit_expired(x, today) => md += &format!(
                "The last audit, made on {} by {}, is more than {AUDIT_VALID_YEARS} years old: it no longer measures the site's compliance. A new audit is due.\n\n",
                x.date.long(Lang::En), text(&x.by)
            ),
            Some(x) => md += &format!(
                "The compliance audit made on {} by {} shows that {} % of the criteria of RGAA version {} are met.\n\n",
                x.date.long(Lang::En), text(&x.by), percent(x.rate, Lang::En), text(&x.rgaa)
            ),
            None => md += "No compliance audit has been made yet: the site is therefore declared not compliant.\n\n",
        }
        md += "## Non-accessible content\n\n### Non-conformities\n\n";
        md += &list(
            &a.non_conformities,
            if audit.is_some_and(|x| x.rate < 100.0) {
                "The criteria the audit found unmet are not detailed here yet."
            } else {
                "No non-conformity is known to date."
            },
        );
        md += "\n### Disproportionate burden\n\n";
        md += &list(&a.derogations, "None.");
        md += "\n### Content outside the scope of the law\n\n";
        md += &list(&a.exemptions, "None.");
        md += "\n## Preparation of this statement\n\n";
        md += &format!(
            "This statement was prepared on {}.\n\n",
            audit.map_or(today, |x| x.date).long(Lang::En)
        );
        md += "Technologies used: HTML5, CSS, JavaScript (optional: every page works without it).\n\n";
        if !a.test_environment.is_empty() {
            md += "### Test environment\n\nContent rendering was checked with:\n\n";
            md += &list(&a.test_environment, "");
            md += "\n";
        }
        if !a.tools.is_empty() {
            md += "### Tools used to evaluate accessibility\n\n";
            md += &list(&a.tools, "");
            md += "\n";
        }
        if !a.pages.is_empty() {
            md += "### Pages checked by the audit\n\n";
            md += &list(&a.pages, "");
            md += "\n";
        }
        md += "## Feedback and contact\n\n";
        md += "If you cannot access a content or a service, contact the site's manager to be directed to an accessible alternative or to get the content in another form";
        md += &match a
            .contact
            .as_deref()
            .or(publisher.and_then(|p| p.contact.as_deref()))
        {
            Some(c) => format!(": {}.\n\n", contact_link(c)),
            None => ".\n\n".to_string(),
        };
        md += "## Remedies\n\n";
        md += "If you reported an accessibility problem to the site's manager and got no satisfactory answer, you can write to the Défenseur des droits (defenseurdesdroits.fr), contact its delegate in your region, or send a letter (free, no stamp needed): Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.\n";
        if !a.recourse.is_empty() {
            md += "\nYou can also turn to:\n\n";
            md += &list(&a.recourse, "");
        }
    }
    Generated {
        rel: accessibility_rel(facts.lang),
        title: statement_title(facts.lang).to_string(),
        markdown: md,
    }
}

pub fn statement_title(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Déclaration d'accessibilité",
        Lang::En => "Accessibility statement",
    }
}

/// `87,5` in French, `87.5` in English; whole numbers without decimals.
fn percent(rate: f64, lang: Lang) -> String {
    // Rounded down: 49,96 % must not read « 50,0 % » beside « non conforme ».
    let rate = (rate.clamp(0.0, 100.0) * 10.0).floor() / 10.0;
    match lang {
        _ if rate.fract() == 0.0 => format!("{rate:.0}"),
        Lang::Fr => format!("{rate:.1}").replace('.', ","),
        Lang::En => format!("{rate:.1}"),
    }
}

/// Legal notices (« Mentions légales »).
pub fn legal_notice(publisher: Option<&Publisher>, facts: &Facts) -> Generated {
    let fr = facts.lang == Lang::Fr;
    let unknown = if fr {
        "à compléter dans `site.yaml` (bloc `publisher:`)"
    } else {
        "to be filled in `site.yaml` (`publisher:` block)"
    };
    let field = |v: Option<&String>| v.map_or_else(|| unknown.to_string(), |v| text(v));
    let name = publisher.map_or_else(|| unknown.to_string(), |p| text(&p.name));
    let p = publisher.cloned().unwrap_or_default();
    let mut md = String::new();
    // The first paragraph is the page's summary (its lead and its
    // description): the publisher's address block would read as one line.
    if fr {
        md += &format!("Ce site est édité par {name}. Cette page dit qui en répond et qui l'héberge, comme le demande la loi pour la confiance dans l'économie numérique (article 6).\n\n");
        md += "## Éditeur du site\n\n";
        md += &format!(
            "{name}  \nAdresse : {}  \nTéléphone : {}\n\n",
            field(p.address.as_ref()),
            field(p.phone.as_ref())
        );
        md += &format!(
            "Directeur ou directrice de la publication : {}\n\n",
            field(p.director.as_ref())
        );
        md += &format!(
            "Contact : {}\n\n",
            p.contact
                .as_deref()
                .map_or(unknown.to_string(), contact_link)
        );
        md += "## Hébergement\n\n";
        md += &format!(
            "{}  \nAdresse : {}  \nTéléphone : {}\n\n",
            field(p.host_name.as_ref()),
            field(p.host_address.as_ref()),
            field(p.host_phone.as_ref())
        );
        md += "## Témoignages\n\n";
        md += if facts.all_consented {
            "Les témoignages sont publiés avec l'accord écrit de leurs auteurs (et de leurs représentants légaux pour les mineurs)."
        } else {
            "Les témoignages sont publiés sur la base du consentement de leurs auteurs (et de leurs représentants légaux pour les mineurs)."
        };
        md += &format!(
            " Cet accord peut être retiré à tout moment : voir la page [Données personnelles](<@/{}>).\n",
            facts.data_key
        );
    } else {
        md += &format!("This site is published by {name}. This page says who answers for it and who hosts it, as French law requires (LCEN, article 6).\n\n");
        md += "## Publisher\n\n";
        md += &format!(
            "{name}  \nAddress: {}  \nPhone: {}\n\n",
            field(p.address.as_ref()),
            field(p.phone.as_ref())
        );
        md += &format!(
            "Director of publication: {}\n\n",
            field(p.director.as_ref())
        );
        md += &format!(
            "Contact: {}\n\n",
            p.contact
                .as_deref()
                .map_or(unknown.to_string(), contact_link)
        );
        md += "## Hosting\n\n";
        md += &format!(
            "{}  \nAddress: {}  \nPhone: {}\n\n",
            field(p.host_name.as_ref()),
            field(p.host_address.as_ref()),
            field(p.host_phone.as_ref())
        );
        md += "## Testimonials\n\n";
        md += if facts.all_consented {
            "Testimonials are published with the written consent of their authors (and of their legal guardians for minors)."
        } else {
            "Testimonials are published on the basis of their authors' consent (and of their legal guardians' for minors)."
        };
        md += &format!(
            " Consent can be withdrawn at any time: see the [personal data](<@/{}>) page.\n",
            facts.data_key
        );
    }
    Generated {
        rel: legal_rel(facts.lang),
        title: if fr {
            "Mentions légales"
        } else {
            "Legal notice"
        }
        .to_string(),
        markdown: md,
    }
}

/// The personal data page, from what vitrine does with a testimonial.
pub fn personal_data(publisher: Option<&Publisher>, facts: &Facts) -> Generated {
    let fr = facts.lang == Lang::Fr;
    let who = text(publisher.map_or(facts.site_title, |p| p.name.as_str()));
    let contact = publisher
        .and_then(|p| p.contact.as_deref())
        .map(contact_link);
    let mut md = String::new();
    if fr {
        md += &format!("Ce site est publié par {who}. Cette page dit quelles données personnelles il publie, pourquoi, et comment exercer vos droits.\n\n");
        md += "## Les données publiées\n\n";
        md += "Un témoignage publie le prénom et le nom de son auteur (le **prénom seul** pour un mineur), éventuellement sa photo, l'organisme d'accueil, le niveau d'études, les dates et la durée du stage, et le texte du témoignage. Les photos publiées ne contiennent aucune métadonnée (position, appareil, auteur).\n\n";
        md += "## Base légale : le consentement\n\n";
        md += if facts.all_consented {
            "Chaque témoignage n'est publié qu'avec l'accord écrit de son auteur, dont la date est enregistrée."
        } else {
            "La publication d'un témoignage repose sur le consentement de son auteur."
        };
        md += " Pour un mineur, l'accord d'un représentant légal est aussi exigé ; sans lui, le site ne peut pas être construit.\n\n";
        md += "## Durée de conservation\n\n";
        md += "Un témoignage est publié jusqu'à la date de fin de l'accord, s'il en a une. Le site est reconstruit régulièrement : à la première construction après cette date, le témoignage disparaît de toutes les pages, des listes, de la recherche, du flux et du plan du site.\n\n";
        md += "## Vos droits : retrait et effacement\n\n";
        md += "Vous pouvez à tout moment retirer votre accord, demander l'accès à vos données, leur rectification ou leur effacement";
        md += &match &contact {
            Some(c) => format!(", en écrivant à {c}.",),
            // The notice that names the publisher exists only with `publisher:`.
            None if publisher.is_some() => {
                ", en écrivant à l'éditeur du site (voir les mentions légales).".to_string()
            }
            None => ", en écrivant à l'éditeur du site.".to_string(),
        };
        if let Some(dpo) = publisher.and_then(|p| p.dpo.as_deref()) {
            md += &format!(
                " Vous pouvez aussi joindre le délégué à la protection des données : {}.",
                contact_link(dpo)
            );
        }
        md += " Le témoignage est alors retiré du site à la construction suivante. Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (cnil.fr).\n\n";
        if facts.no_third_party {
            md += "## Cookies et services tiers\n\n";
            md += "Ce site ne dépose aucun cookie et ne fait appel à aucun service tiers : aucune police, statistique ou contenu n'est chargé depuis un autre site.";
            if let Some(forge) = facts.editing {
                md += &format!(" Seul l'espace de rédaction (`admin/`), réservé à l'équipe du site, échange avec {forge} et garde la session de connexion dans le navigateur.");
            }
            md += "\n";
        }
    } else {
        md += &format!("This site is published by {who}. This page tells which personal data it publishes, why, and how to exercise your rights.\n\n");
        md += "## Data published\n\n";
        md += "A testimonial publishes its author's first name and surname (the **first name only** for a minor), possibly a photo, the host organisation, the level of study, the dates and length of the internship, and the text. Published photos carry no metadata (location, camera, author).\n\n";
        md += "## Legal basis: consent\n\n";
        md += if facts.all_consented {
            "Each testimonial is published only with its author's written consent, whose date is recorded."
        } else {
            "Publishing a testimonial rests on its author's consent."
        };
        md += " For a minor, a legal guardian's consent is required too; without it, the site cannot be built.\n\n";
        md += "## Retention\n\n";
        md += "A testimonial is published until its consent ends, if it has an end date. The site is rebuilt regularly: at the first build after that date, the testimonial disappears from every page, list, search, feed and sitemap.\n\n";
        md += "## Your rights: withdrawal and erasure\n\n";
        md += "You may withdraw your consent, ask for access to your data, its correction or its erasure at any time";
        md += &match &contact {
            Some(c) => format!(", by writing to {c}."),
            None if publisher.is_some() => {
                ", by writing to the site's publisher (see the legal notice).".to_string()
            }
            None => ", by writing to the site's publisher.".to_string(),
        };
        if let Some(dpo) = publisher.and_then(|p| p.dpo.as_deref()) {
            md += &format!(
                " You may also reach the data protection officer: {}.",
                contact_link(dpo)
            );
        }
        md += " The testimonial is then removed at the next build. If you think your rights are not respected, you can complain to the CNIL (cnil.fr).\n\n";
        if facts.no_third_party {
            md += "## Cookies and third parties\n\n";
            md += "This site sets no cookie and uses no third-party service: no font, analytics or content is loaded from another site.";
            if let Some(forge) = facts.editing {
                md += &format!(" Only the editing space (`admin/`), for the site's team, talks to {forge} and keeps its sign-in session in the browser.");
            }
            md += "\n";
        }
    }
    Generated {
        rel: data_rel(facts.lang),
        title: if fr {
            "Données personnelles"
        } else {
            "Personal data"
        }
        .to_string(),
        markdown: md,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn audited(rate: f64, date: &str) -> Accessibility {
        Accessibility {
            audit: Some(Audit {
                date: day(date),
                by: "Access42".into(),
                rgaa: "4.1.2".into(),
                rate,
                date_at: None,
            }),
            ..Accessibility::default()
        }
    }

    #[test]
    fn a_rate_is_a_percentage_in_plain_digits() {
        assert_eq!(parse_rate("87,5 %"), Ok(87.5));
        assert_eq!(parse_rate("87.5"), Ok(87.5));
        assert_eq!(parse_rate("100\u{a0}%"), Ok(100.0));
        assert_eq!(parse_rate("0"), Ok(0.0));
        assert_eq!(parse_rate("1"), Ok(1.0));
        assert_eq!(parse_rate("0,75 %"), Ok(0.75));
        assert_eq!(parse_rate("0.75"), Err(BadRate::Fraction(75.0)));
        assert_eq!(parse_rate("1.0"), Err(BadRate::Fraction(100.0)));
        assert_eq!(parse_rate("1e2"), Err(BadRate::Spelling(Some(100.0))));
        assert_eq!(parse_rate("+80"), Err(BadRate::Spelling(Some(80.0))));
        assert_eq!(parse_rate(".5"), Err(BadRate::Spelling(Some(0.5))));
        assert_eq!(parse_rate("1 000"), Err(BadRate::Spelling(None)));
        assert_eq!(parse_rate("NaN"), Err(BadRate::Spelling(None)));
        assert_eq!(parse_rate("inf"), Err(BadRate::Spelling(None)));
        assert_eq!(parse_rate("beaucoup"), Err(BadRate::Spelling(None)));
        assert_eq!(parse_rate("120 %"), Err(BadRate::OutOfRange));
        assert_eq!(parse_rate("-5"), Err(BadRate::Spelling(None)));
    }

    #[test]
    fn a_future_year_with_two_digits_swapped_is_taken_back() {
        let today = day("2026-01-15");
        let swapped = |d: &str| year_swapped(day(d), today).map(|d| d.iso_day());
        assert_eq!(swapped("2062-01-02").as_deref(), Some("2026-01-02"));
        // Swapped back it is still to come, or it reads the same.
        assert_eq!(swapped("2062-03-01"), None);
        assert_eq!(swapped("2033-01-02"), None);
    }

    #[test]
    fn compliance_follows_the_rate_and_the_audit_age() {
        let today = day("2026-01-15");
        assert_eq!(Compliance::of(None, today), Compliance::None);
        assert_eq!(
            Compliance::of(Some(&audited(100.0, "2025-06-01")), today),
            Compliance::Total
        );
        assert_eq!(
            Compliance::of(Some(&audited(75.0, "2025-06-01")), today),
            Compliance::Partial
        );
        assert_eq!(
            Compliance::of(Some(&audited(50.0, "2025-06-01")), today),
            Compliance::Partial
        );
        assert_eq!(
            Compliance::of(Some(&audited(49.9, "2025-06-01")), today),
            Compliance::None
        );
        // Three years to the day: no longer valid.
        assert_eq!(
            Compliance::of(Some(&audited(100.0, "2023-01-15")), today),
            Compliance::None
        );
        assert_eq!(
            Compliance::of(Some(&audited(100.0, "2023-01-16")), today),
            Compliance::Total
        );
        let mut known = audited(100.0, "2025-06-01");
        known.non_conformities.push("Le plan du site manque".into());
        assert_eq!(Compliance::of(Some(&known), today), Compliance::Partial);
    }

    #[test]
    fn an_audit_of_29_february_ends_on_28_february() {
        let audit = audited(100.0, "2024-02-29").audit.unwrap();
        assert_eq!(audit_end(&audit), day("2027-02-28"));
    }

    fn facts(lang: Lang) -> Facts<'static> {
        Facts {
            site_title: "Stages",
            site_url: Some("https://lycee.example/stages/"),
            lang,
            no_third_party: true,
            all_consented: true,
            editing: None,
            data_key: data_rel(lang).to_string(),
        }
    }

    #[test]
    fn other_authorities_join_the_defenseur_des_droits_in_remedies() {
        let mut a = audited(87.5, "2025-06-01");
        let fr = accessibility_statement(Some(&a), None, &facts(Lang::Fr), day("2026-01-15"));
        assert!(
            !fr.markdown.contains("Vous pouvez aussi"),
            "{}",
            fr.markdown
        );
        a.recourse = vec!["Le médiateur de l'académie de Lyon".into()];
        for (lang, intro) in [
            (Lang::Fr, "Vous pouvez aussi vous adresser à :"),
            (Lang::En, "You can also turn to:"),
        ] {
            let page = accessibility_statement(Some(&a), None, &facts(lang), day("2026-01-15"));
            let remedies = page.markdown.split("\n## ").last().unwrap_or_default();
            assert!(
                remedies.contains(intro)
                    && remedies.contains("- Le médiateur de l'académie de Lyon\n"),
                "{}",
                page.markdown
            );
        }
    }

    #[test]
    fn the_statement_has_every_section_of_the_model() {
        let a = audited(87.5, "2025-06-01");
        let page = accessibility_statement(Some(&a), None, &facts(Lang::Fr), day("2026-01-15"));
        for heading in [
            "## État de conformité",
            "## Résultats des tests",
            "## Contenus non accessibles",
            "### Non-conformités",
            "### Dérogations pour charge disproportionnée",
            "### Contenus non soumis à l'obligation d'accessibilité",
            "## Établissement de cette déclaration d'accessibilité",
            "## Retour d'information et contact",
            "## Voies de recours",
        ] {
            assert!(page.markdown.contains(heading), "{heading}");
        }
        assert!(page.markdown.contains("**partiellement conforme**"));
        assert!(page.markdown.contains("87,5 % des critères"));
        assert!(page.markdown.contains("Défenseur des droits"));
    }

    #[test]
    fn an_old_audit_makes_the_statement_say_so() {
        let a = audited(100.0, "2020-01-01");
        let page = accessibility_statement(Some(&a), None, &facts(Lang::Fr), day("2026-01-15"));
        assert!(page.markdown.contains("**non conforme**"));
        assert!(page.markdown.contains("date de plus de 3 ans"));
    }

    #[test]
    fn the_data_page_speaks_of_cookies_only_with_the_default_theme() {
        let mut f = facts(Lang::Fr);
        assert!(personal_data(None, &f).markdown.contains("aucun cookie"));
        f.no_third_party = false;
        assert!(!personal_data(None, &f).markdown.contains("cookie"));
    }

    /// Review of #16: with `editing:`, the published `admin/` signs in to
    /// the forge, which the « no third party » paragraph did not say.
    #[test]
    fn the_data_page_names_the_forge_the_editor_signs_in_to() {
        for lang in [Lang::Fr, Lang::En] {
            let mut f = facts(lang);
            assert!(!personal_data(None, &f).markdown.contains("admin/"));
            f.editing = Some("GitLab");
            let md = personal_data(None, &f).markdown;
            assert!(md.contains("`admin/`") && md.contains("GitLab"), "{md}");
        }
    }

    /// Review of #16: the model's « Environnement de test » and « Outils »,
    /// the phone numbers the law asks for, the data protection officer.
    #[test]
    fn test_environment_tools_phones_and_dpo_are_shown() {
        let f = facts(Lang::Fr);
        let mut a = audited(90.0, "2025-06-01");
        a.test_environment = vec!["Firefox 128 et NVDA 2024.1".into()];
        a.tools = vec!["Assistant RGAA".into()];
        let page = accessibility_statement(Some(&a), None, &f, day("2026-01-15"));
        assert!(
            page.markdown.contains("### Environnement de test"),
            "{}",
            page.markdown
        );
        assert!(page.markdown.contains("- Firefox 128 et NVDA 2024.1"));
        assert!(page
            .markdown
            .contains("### Outils pour évaluer l'accessibilité\n\n- Assistant RGAA"));
        let publisher = Publisher {
            name: "Lycée".into(),
            phone: Some("04 78 00 00 00".into()),
            dpo: Some("dpo@ac-lyon.fr".into()),
            ..Publisher::default()
        };
        let notice = legal_notice(Some(&publisher), &f).markdown;
        assert!(notice.contains("Téléphone : 04 78 00 00 00"), "{notice}");
        let data = personal_data(Some(&publisher), &f).markdown;
        assert!(
            data.contains("délégué à la protection des données"),
            "{data}"
        );
    }

    /// Review of #16: without `publisher:` there is no legal notice to
    /// send the reader to.
    #[test]
    fn the_data_page_points_to_the_legal_notice_only_when_there_is_one() {
        let f = facts(Lang::Fr);
        assert!(!personal_data(None, &f)
            .markdown
            .contains("mentions légales"));
        let publisher = Publisher {
            name: "Lycée".into(),
            ..Publisher::default()
        };
        assert!(personal_data(Some(&publisher), &f)
            .markdown
            .contains("(voir les mentions légales)"));
    }

    #[test]
    fn site_yaml_values_are_shown_as_text_never_run() {
        let publisher = Publisher {
            name: "<img src=x onerror=alert(1)> [l](javascript:alert(0))".into(),
            contact: Some("javascript:alert(2)".into()),
            ..Publisher::default()
        };
        let mut a = audited(90.0, "2025-06-01");
        a.plan_url = Some("javascript:alert(3)".into());
        a.non_conformities.push("<script>x</script>".into());
        let f = facts(Lang::Fr);
        let pages = [
            accessibility_statement(Some(&a), Some(&publisher), &f, day("2026-01-15")),
            legal_notice(Some(&publisher), &f),
            personal_data(Some(&publisher), &f),
        ];
        for page in pages {
            let mut html = String::new();
            pulldown_cmark::html::push_html(
                &mut html,
                pulldown_cmark::Parser::new_ext(&page.markdown, crate::markdown::options()),
            );
            for bad in [
                "<img",
                "<script",
                "javascript:alert(2)\"",
                "href=\"javascript",
            ] {
                assert!(!html.contains(bad), "{bad} in {}:\n{html}", page.rel);
            }
        }
        assert_eq!(
            contact_link("a.b@lycee.example"),
            "[a.b@lycee.example](mailto:a.b@lycee.example)"
        );
        assert_eq!(
            contact_link("https://lycee.example/contact"),
            "<https://lycee.example/contact>"
        );
        // Review of #16: `mailto:` and a page of the site were left as text.
        assert_eq!(
            contact_link("mailto:dpo@ac-lyon.fr"),
            "[dpo@ac-lyon.fr](mailto:dpo@ac-lyon.fr)"
        );
        assert_eq!(
            contact_link("@/contact/index.md"),
            "[contact](<@/contact/index.md>)"
        );
        assert_eq!(contact_link("@/a b.md"), "@/a b.md");
        assert_eq!(contact_link("@dpo"), "@dpo");
    }

    /// Its first paragraph is the page's lead and description: a sentence,
    /// not the publisher's address block run into one line.
    #[test]
    fn the_legal_notice_opens_with_a_sentence_naming_the_publisher() {
        let publisher = Publisher {
            name: "Lycée Jean Moulin".into(),
            address: Some("12 rue des Écoles, 69000 Lyon".into()),
            ..Publisher::default()
        };
        for (lang, opening) in [
            (Lang::Fr, "Ce site est édité par Lycée Jean Moulin. "),
            (Lang::En, "This site is published by Lycée Jean Moulin. "),
        ] {
            let page = legal_notice(Some(&publisher), &facts(lang));
            let first = page.markdown.split("\n\n").next().unwrap_or_default();
            assert!(first.starts_with(opening), "{}", page.markdown);
            assert!(!first.contains("12 rue"), "{first}");
        }
    }

    #[test]
    fn missing_publisher_data_is_named_not_invented() {
        let page = legal_notice(None, &facts(Lang::Fr));
        assert!(page.markdown.contains("à compléter dans `site.yaml`"));
    }
}
