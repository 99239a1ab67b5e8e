//! What every page template gets: [`PageCtx`] (language, user, CSRF token, navigation,
//! one-time message) and the helpers templates call (`ctx.t("key")`).

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, OriginalUri};
use axum::http::request::Parts;

use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::{CurrentUser, Visitor};
use crate::org::public::PublicOfficeCache;
use crate::web::error::AppError;
use crate::web::i18n::{Arg, Lang};

/// How many staff menu entries one row at 1280 px holds besides „Więcej”.
pub const NAV_ROW: usize = 7;

/// A day as the database keeps it, however a template holds it.
pub trait StoredDay {
    fn civil(&self) -> jiff::civil::Date;
}

impl StoredDay for jiff_sqlx::Date {
    fn civil(&self) -> jiff::civil::Date {
        self.to_jiff()
    }
}

impl<T: StoredDay + ?Sized> StoredDay for &T {
    fn civil(&self) -> jiff::civil::Date {
        (**self).civil()
    }
}

/// The staff menu's row and the entries under „Więcej”.
pub struct NavRows {
    pub row: Vec<NavItem>,
    pub more: Vec<NavItem>,
    /// The page shown is one of `more`.
    pub more_current: bool,
}

/// A link in the staff navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

pub struct PageCtx {
    pub lang: Lang,
    pub user: Option<Arc<CurrentUser>>,
    pub csrf_token: String,
    /// The path of this page, for the language switch and `aria-current`.
    pub path: String,
    pub office_name: String,
    pub flash: Option<String>,
}

impl PageCtx {
    pub fn new(visitor: &Visitor, path: String, office_name: String) -> Self {
        Self {
            lang: visitor.lang,
            user: visitor.user.clone(),
            csrf_token: visitor.csrf_token.clone(),
            path,
            office_name,
            flash: visitor.flash.clone(),
        }
    }

    /// A translated message.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// A translated message with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl Into<Arg>) -> String {
        self.lang.t_args(key, &[(name, value.into())])
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The other language, for the switch: (code, its own name).
    pub fn other_lang(&self) -> (&'static str, &'static str) {
        match self.lang {
            Lang::Pl => ("en", "English"),
            Lang::En => ("pl", "Polski"),
        }
    }

    pub fn is_signed_in(&self) -> bool {
        self.user.is_some()
    }

    pub fn user_name(&self) -> &str {
        self.user
            .as_ref()
            .map(|u| u.display_name.as_str())
            .unwrap_or_default()
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.user.as_ref().is_some_and(|u| u.can(permission))
    }

    pub fn flash_message(&self) -> Option<String> {
        self.flash.as_deref().map(|k| self.t(&format!("flash-{k}")))
    }

    /// The staff menu: only what the user may open, in the order of [`Self::staff_nav_rows`].
    #[allow(
        clippy::too_many_lines,
        reason = "one line per menu entry; the list grows with the capabilities"
    )]
    pub fn staff_nav(&self) -> Vec<NavItem> {
        // The daily work first, the reference tools last: a long menu shows its first
        // entries in the row and the rest under „Więcej” (`staff_nav_rows`).
        let entries = [
            ("/staff", "nav-staff-home", Permission::StaffArea),
            ("/staff/cases", "nav-cases", Permission::ViewCases),
            (
                "/staff/cases/workload",
                "nav-workload",
                Permission::ViewWorkload,
            ),
            (
                "/staff/correspondence",
                "nav-correspondence",
                Permission::ViewCorrespondence,
            ),
            ("/staff/appeals", "nav-appeals", Permission::ViewCases),
            ("/staff/reports", "nav-reports", Permission::HandleReports),
            ("/staff/users", "nav-users", Permission::ManageUsers),
            ("/staff/org", "nav-org", Permission::ViewOrg),
            ("/staff/audit", "nav-audit", Permission::ViewAudit),
            ("/staff/bip", "nav-bip", Permission::EditBip),
            ("/staff/news", "nav-news", Permission::EditBip),
            (
                "/staff/service-points",
                "nav-service-points",
                Permission::ServeDesk,
            ),
            (
                "/staff/service-points",
                "nav-service-points",
                Permission::ManageServicePoints,
            ),
            (
                "/staff/service-points",
                "nav-service-points",
                Permission::ViewServicePointStats,
            ),
            (
                "/staff/satisfaction",
                "nav-satisfaction",
                Permission::StaffArea,
            ),
            ("/staff/surveys", "nav-surveys", Permission::RunSurveys),
            ("/staff/rodo", "nav-rodo", Permission::KeepDataProtection),
            (
                "/staff/service-cards",
                "nav-service-cards",
                Permission::ManageServiceCards,
            ),
            ("/staff/archive", "nav-archive", Permission::KeepRegisters),
            (
                "/staff/archive/files",
                "nav-archive-files",
                Permission::KeepArchive,
            ),
            (
                "/staff/letter-templates",
                "nav-letter-templates",
                Permission::ManageLetterTemplates,
            ),
            (
                "/staff/authorisations",
                "nav-authorisations",
                Permission::ManageAuthorisations,
            ),
            (
                "/staff/report-categories",
                "nav-report-categories",
                Permission::ManageServiceCards,
            ),
            ("/staff/api-keys", "nav-api-keys", Permission::ManageApiKeys),
            ("/staff/deadline", "nav-deadline", Permission::StaffArea),
            ("/staff/jrwa", "nav-jrwa", Permission::StaffArea),
            ("/staff/employees", "nav-employees", Permission::ViewOrg),
            ("/staff/locations", "nav-locations", Permission::ViewOrg),
        ];
        let matches = |href: &str| {
            self.path == href || (href != "/staff" && self.path.starts_with(&format!("{href}/")))
        };
        // The most specific entry is the current one (/staff/cases/workload, not also
        // /staff/cases).
        let current = entries
            .iter()
            .filter(|(href, _, _)| matches(href))
            .map(|(href, _, _)| *href)
            .max_by_key(|href| href.len());
        let mut shown = std::collections::BTreeSet::new();
        entries
            .into_iter()
            .filter(|(_, _, p)| self.can(*p))
            // An entry reached by either of two permissions is listed once.
            .filter(|(href, _, _)| shown.insert(*href))
            .map(|(href, key, _)| NavItem {
                href,
                label: self.t(key),
                current: current == Some(href),
            })
            .collect()
    }

    /// The staff menu as one row at 1280 px: every entry when there are few, else the
    /// first [`NAV_ROW`] and the rest for the „Więcej” disclosure (issue 15: the menu
    /// of a head or an administrator took two or three rows).
    pub fn staff_nav_rows(&self) -> NavRows {
        let mut row = self.staff_nav();
        let more = if row.len() <= NAV_ROW + 1 {
            Vec::new()
        } else {
            row.split_off(NAV_ROW)
        };
        NavRows {
            more_current: more.iter().any(|i| i.current),
            row,
            more,
        }
    }

    /// Whether this is the page at `href` (for `aria-current="page"`).
    pub fn is_current(&self, href: &str) -> bool {
        self.path == href
    }

    pub fn date(&self, date: &jiff::civil::Date) -> String {
        crate::web::i18n::long_date(self.lang, *date)
    }

    /// A stored day written out („3 grudnia 2026”), for templates (which hand it over
    /// by value or behind a reference or two).
    pub fn day(&self, date: impl StoredDay) -> String {
        crate::web::i18n::long_date(self.lang, date.civil())
    }

    /// An instant shown in the office's time zone as people write it in a table or a
    /// line of text: „4.12.2026, 18:05” (issue 15: one Polish format everywhere, never
    /// `2026-12-04 18:05:42`).
    pub fn datetime(&self, t: &crate::db::UtcTime) -> String {
        crate::web::i18n::short_date_time(&t.in_warsaw())
    }

    /// The same to the second, where the second matters (the audit trail).
    pub fn datetime_exact(&self, t: &crate::db::UtcTime) -> String {
        let at = t.in_warsaw();
        format!(
            "{}:{:02}",
            crate::web::i18n::short_date_time(&at),
            at.second()
        )
    }

    /// On an English page, the note that the office's own content below is in Polish
    /// (WCAG 3.1.2: that content is marked `lang="pl"`); nothing on a Polish page.
    pub fn polish_content_note(&self) -> Option<String> {
        (self.lang == crate::web::i18n::Lang::En).then(|| self.t("content-in-polish"))
    }
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map(|u| u.0.path().to_owned())
            .unwrap_or_else(|| parts.uri.path().to_owned());
        let office_name = PublicOfficeCache::from_ref(state).office_name().await;
        Ok(PageCtx::new(&visitor, path, office_name))
    }
}
