//! The form-page builder: every form page of the staff and the public side is built the
//! same way — its fields (values kept as typed, each with its translated error), the
//! error summary above the form linking to each wrong field (WCAG 3.3.1), and the
//! status: 422 when the page shows problems, 200 when it does not.
//!
//! ```ignore
//! let mut form = FormBuilder::new(lang, errors);
//! let name = form.field(Field::text(lang, "name", "org-unit-name", values.name));
//! let year = form.field(Field::text(lang, "year", "org-year", values.year).kind("number"));
//! let page = UnitFormPage { name, year, error_summary: form.summary(), ctx };
//! Ok(form::respond(errors, page))
//! ```

use std::borrow::Cow;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{Field, FormErrors, Pairs, scoped_field_id, value};
use crate::web::i18n::Lang;

/// Builds a form page's fields and its error summary.
pub struct FormBuilder<'e> {
    lang: Lang,
    errors: &'e FormErrors,
    labels: Vec<(Cow<'static, str>, String)>,
    scope: &'static str,
    values: &'e Pairs,
}

impl<'e> FormBuilder<'e> {
    pub fn new(lang: Lang, errors: &'e FormErrors) -> Self {
        Self {
            lang,
            errors,
            labels: Vec::new(),
            scope: "",
            values: &[],
        }
    }

    /// The builder of a form shown with the values `values` (as sent, or the defaults
    /// of a new form): [`FormBuilder::input`] keeps each input's value as typed.
    pub fn with_values(lang: Lang, errors: &'e FormErrors, values: &'e Pairs) -> Self {
        Self {
            values,
            ..Self::new(lang, errors)
        }
    }

    /// The value of the input `name` as sent ("" when absent).
    pub fn value(&self, name: &str) -> &'e str {
        value(self.values, name)
    }

    /// The input `name` with its value as sent: optional until `.required()`, its error
    /// attached, its label in the summary. Several forms building the same group of
    /// fields (a unit and a party, in both correspondence registers) build them with it.
    pub fn input(&mut self, name: &'static str, label_key: &str) -> Field {
        let field = Field::text(self.lang, name, label_key, self.value(name)).optional();
        self.field(field)
    }

    /// The builder of one of several forms on a page, whose inputs may share names with
    /// the others': every field it builds, and the summary's links, use the ids
    /// `f-{scope}-{name}` ([`Field::scoped`]).
    pub fn scoped(lang: Lang, errors: &'e FormErrors, scope: &'static str) -> Self {
        Self {
            scope,
            ..Self::new(lang, errors)
        }
    }

    /// The field with its error attached; its label goes in the summary in the order
    /// the fields are built (the order of the page).
    pub fn field(&mut self, field: Field) -> Field {
        let field = field.scoped(self.scope).errors(self.lang, self.errors);
        self.labels.push((field.name.into(), field.label.clone()));
        field
    }

    /// The field with its error attached, listed in the summary under `summary_label`
    /// (for a field whose own label needs its context there, such as a weekday's
    /// opening time in a table).
    pub fn field_summarised_as(&mut self, field: Field, summary_label: String) -> Field {
        let field = field.scoped(self.scope).errors(self.lang, self.errors);
        self.labels.push((field.name.into(), summary_label));
        field
    }

    /// Names a field the page shows by other means (a group of checkboxes, a file
    /// input), so that its problem is listed under its label.
    pub fn label(&mut self, name: &'static str, label_key: &str) {
        self.labels.push((name.into(), self.lang.t(label_key)));
    }

    /// Names, with its label already worded, an input whose name is made at run time
    /// (a row of a repeated group, `fee_amount-2`; a field of an e-service form).
    pub fn label_as(&mut self, name: impl Into<Cow<'static, str>>, label: String) {
        self.labels.push((name.into(), label));
    }

    pub(super) fn lang(&self) -> Lang {
        self.lang
    }

    /// The values the form is shown with.
    pub(super) fn values(&self) -> &'e Pairs {
        self.values
    }

    /// Whether the page shows any problem.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The translated error of a field the page renders itself.
    pub fn error(&self, name: &str) -> Option<String> {
        self.errors.get(name).map(|key| self.lang.t(key))
    }

    /// The items of the error summary: (anchor id, "label: message").
    pub fn summary(&self) -> Vec<(String, String)> {
        error_summary(self.lang, self.errors, &self.labels, self.scope)
    }
}

/// The items of the error summary, in the order of the form: (anchor, "label: message").
/// A problem of a field without a label on the page is listed last, message only.
fn error_summary(
    lang: Lang,
    errors: &FormErrors,
    labels: &[(Cow<'static, str>, String)],
    scope: &str,
) -> Vec<(String, String)> {
    let mut items: Vec<(String, String)> = labels
        .iter()
        .filter_map(|(name, label)| {
            errors.get(name).map(|key| {
                (
                    scoped_field_id(scope, name),
                    format!("{label}: {}", lang.t(key)),
                )
            })
        })
        .collect();
    for (name, key) in errors.fields() {
        if !labels.iter().any(|(n, _)| *n == name) {
            items.push((scoped_field_id(scope, name), lang.t(key)));
        }
    }
    items
}

/// A rendered form page: 422 Unprocessable Content when it shows `errors`, else 200.
pub fn respond(errors: &FormErrors, page: impl IntoResponse) -> Response {
    if errors.is_empty() {
        page.into_response()
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_follows_the_page_and_keeps_unlabelled_problems() {
        let lang = Lang::En;
        let mut errors = FormErrors::new();
        errors.add("b", "form-required");
        errors.add("z", "form-date-invalid");
        errors.add("a", "form-too-long");
        let mut form = FormBuilder::new(lang, &errors);
        let b = form.field(Field::text(lang, "b", "form-save", "x"));
        let a = form.field(Field::text(lang, "a", "form-cancel", ""));
        let c = form.field(Field::text(lang, "c", "form-cancel", "kept"));
        assert_eq!(b.error.as_deref(), Some(lang.t("form-required").as_str()));
        assert_eq!(b.described_by(), "f-b-error");
        assert_eq!(c.error, None);
        assert_eq!(c.value, "kept");
        assert_eq!(c.described_by(), "");
        let summary = form.summary();
        let anchors: Vec<&str> = summary.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(anchors, ["f-b", "f-a", "f-z"]);
        assert_eq!(
            summary[0].1,
            format!("{}: {}", lang.t("form-save"), lang.t("form-required"))
        );
        assert_eq!(summary[2].1, lang.t("form-date-invalid"));
        assert!(a.error.is_some());
    }

    #[test]
    fn a_scoped_form_has_its_own_ids_and_summary_links() {
        let lang = Lang::En;
        let errors = FormErrors::one("on", "form-date-invalid");
        let mut form = FormBuilder::scoped(lang, &errors, "suspend");
        let on = form.field(Field::text(lang, "on", "form-save", "x").hint(lang, "form-save"));
        assert_eq!(on.name, "on", "the name sent stays the input's own");
        assert_eq!(on.id(), "f-suspend-on");
        assert_eq!(on.described_by(), "f-suspend-on-hint f-suspend-on-error");
        let anchors: Vec<String> = form.summary().into_iter().map(|(id, _)| id).collect();
        assert_eq!(anchors, ["f-suspend-on"]);
        let unscoped =
            FormBuilder::new(lang, &errors).field(Field::text(lang, "on", "form-save", ""));
        assert_eq!(unscoped.id(), "f-on");
    }

    #[test]
    fn problems_answer_422() {
        assert_eq!(respond(&FormErrors::new(), "ok").status(), StatusCode::OK);
        let errors = FormErrors::one("name", "form-required");
        assert_eq!(
            respond(&errors, "wrong").status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
