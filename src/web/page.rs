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

    /// The staff menu: only what the user may open.
    #[allow(
        clippy::too_many_lines,
        reason = "one line per menu entry; the list grows with the capabilities"
    )]
    pub fn staff_nav(&self) -> Vec<NavItem> {
        let entries = [
            ("/staff", "nav-staff-home", Permission::StaffArea),
            ("/staff/cases", "nav-cases", Permission::ViewCases),
            (
                "/staff/cases/workload",
                "nav-workload",
                Permission::ViewWorkload,
            ),
            ("/staff/deadline", "nav-deadline", Permission::StaffArea),
            ("/staff/jrwa", "nav-jrwa", Permission::StaffArea),
            (
                "/staff/correspondence",
                "nav-correspondence",
                Permission::ViewCorrespondence,
            ),
            ("/staff/org", "nav-org", Permission::ViewOrg),
            ("/staff/employees", "nav-employees", Permission::ViewOrg),
            ("/staff/locations", "nav-locations", Permission::ViewOrg),
            (
                "/staff/service-cards",
                "nav-service-cards",
                Permission::ManageServiceCards,
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
            ("/staff/bip", "nav-bip", Permission::EditBip),
            ("/staff/news", "nav-news", Permission::EditBip),
            ("/staff/users", "nav-users", Permission::ManageUsers),
            ("/staff/audit", "nav-audit", Permission::ViewAudit),
            ("/staff/appeals", "nav-appeals", Permission::ViewCases),
            (
                "/staff/satisfaction",
                "nav-satisfaction",
                Permission::StaffArea,
            ),
            ("/staff/reports", "nav-reports", Permission::HandleReports),
            ("/staff/api-keys", "nav-api-keys", Permission::ManageApiKeys),
            ("/staff/archive", "nav-archive", Permission::KeepRegisters),
            (
                "/staff/archive/files",
                "nav-archive-files",
                Permission::KeepArchive,
            ),
            (
                "/staff/report-categories",
                "nav-report-categories",
                Permission::ManageServiceCards,
            ),
            ("/staff/surveys", "nav-surveys", Permission::RunSurveys),
            ("/staff/rodo", "nav-rodo", Permission::KeepDataProtection),
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

    /// Whether this is the page at `href` (for `aria-current="page"`).
    pub fn is_current(&self, href: &str) -> bool {
        self.path == href
    }

    pub fn date(&self, date: &jiff::civil::Date) -> String {
        crate::web::i18n::long_date(self.lang, *date)
    }

    /// An instant shown in the office's time zone.
    pub fn datetime(&self, t: &crate::db::UtcTime) -> String {
        t.in_warsaw().strftime("%Y-%m-%d %H:%M:%S").to_string()
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
