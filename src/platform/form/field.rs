//! Form fields as the page shows them, rendered by one template macro
//! (`templates/macros.html`, `m::field`) so that every field has a `<label>`, its hint
//! and error tied to it with `aria-describedby`, and `aria-invalid` when wrong (WCAG
//! 1.3.1, 3.3.1, 3.3.2). The ids are fixed: the control is `f-{name}`, its hint
//! `f-{name}-hint`, its error `f-{name}-error`; the error summary links to `#f-{name}`.
//! A page with several forms whose inputs share a name (the case page's step forms each
//! have a date `on` and a `reason`) gives each form a scope: the control is then
//! `f-{scope}-{name}` while the input's `name` stays `{name}`.

use super::FormErrors;
use crate::web::i18n::Lang;

/// The `id` of a field's control; its hint and error are `{id}-hint`, `{id}-error`.
pub fn field_id(name: &str) -> String {
    format!("f-{name}")
}

/// The `id` of a field's control in a form scoped `scope` (no scope: [`field_id`]).
pub fn scoped_field_id(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        field_id(name)
    } else {
        format!("f-{scope}-{name}")
    }
}

/// The control's `aria-describedby`: its hint and its error, those it has.
pub fn described_by(name: &str, has_hint: bool, has_error: bool) -> String {
    described_by_id(&field_id(name), has_hint, has_error)
}

fn described_by_id(id: &str, has_hint: bool, has_error: bool) -> String {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{id}-hint"));
    }
    if has_error {
        ids.push(format!("{id}-error"));
    }
    ids.join(" ")
}

/// An `<optgroup>`: its label and its options (value, label).
#[derive(Debug, Clone, Default)]
pub struct OptionGroup {
    pub label: String,
    pub options: Vec<(String, String)>,
}

/// One input as the template renders it.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub kind: &'static str,
    pub required: bool,
    pub autocomplete: &'static str,
    pub hint: Option<String>,
    pub error: Option<String>,
    /// For `kind == "select"`: (value, label).
    pub options: Vec<(String, String)>,
    /// For `kind == "select"`: groups of options after `options`, each an `<optgroup>`
    /// with its label (the JRWA classes of the official's unit, then the others).
    pub groups: Vec<OptionGroup>,
    /// The form's scope on a page of several forms ("" for none): part of the ids,
    /// not of the name sent.
    pub scope: &'static str,
}

impl Field {
    pub fn text(lang: Lang, name: &'static str, label_key: &str, value: impl Into<String>) -> Self {
        Self {
            name,
            label: lang.t(label_key),
            value: value.into(),
            kind: "text",
            required: true,
            autocomplete: "off",
            hint: None,
            error: None,
            options: Vec::new(),
            groups: Vec::new(),
            scope: "",
        }
    }

    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn autocomplete(mut self, value: &'static str) -> Self {
        self.autocomplete = value;
        self
    }

    pub fn hint(mut self, lang: Lang, key: &str) -> Self {
        self.hint = Some(lang.t(key));
        self
    }

    pub fn select(mut self, options: Vec<(String, String)>) -> Self {
        self.kind = "select";
        self.options = options;
        self
    }

    /// A select of `options` after a first, empty one worded by `first_key` ("Choose…",
    /// "None").
    pub fn select_after(
        self,
        lang: Lang,
        first_key: &str,
        options: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        let mut all = vec![(String::new(), lang.t(first_key))];
        all.extend(options);
        self.select(all)
    }

    /// Options in groups after those the select has (empty groups are left out; a
    /// single group is shown without its heading — there is nothing to tell apart).
    pub fn grouped(mut self, groups: Vec<OptionGroup>) -> Self {
        self.kind = "select";
        let mut groups: Vec<OptionGroup> = groups
            .into_iter()
            .filter(|g| !g.options.is_empty())
            .collect();
        if let [one] = groups.as_mut_slice() {
            self.options.append(&mut one.options);
            groups.clear();
        }
        self.groups = groups;
        self
    }

    /// Whether `value` is one of the select's options, grouped or not.
    pub fn offers(&self, value: &str) -> bool {
        self.options
            .iter()
            .chain(self.groups.iter().flat_map(|g| &g.options))
            .any(|(v, _)| v == value)
    }

    /// Attaches this field's error, if any, translated.
    pub fn errors(mut self, lang: Lang, errors: &FormErrors) -> Self {
        self.error = errors.get(self.name).map(|k| lang.t(k));
        self
    }

    /// In the form scoped `scope` (its ids `f-{scope}-{name}`).
    pub fn scoped(mut self, scope: &'static str) -> Self {
        self.scope = scope;
        self
    }

    pub fn id(&self) -> String {
        scoped_field_id(self.scope, self.name)
    }

    pub fn described_by(&self) -> String {
        described_by_id(&self.id(), self.hint.is_some(), self.error.is_some())
    }

    pub fn is_selected(&self, option: &str) -> bool {
        self.value == option
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(label: &str, values: &[&str]) -> OptionGroup {
        OptionGroup {
            label: label.to_owned(),
            options: values
                .iter()
                .map(|v| ((*v).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn groups_follow_the_first_options_and_a_lone_group_is_no_group() {
        let field = Field::text(Lang::Pl, "jrwa_symbol", "case-jrwa", "")
            .select(vec![(String::new(), "—".to_owned())])
            .grouped(vec![group("A", &["1"]), group("B", &["2", "3"])]);
        assert_eq!(field.options.len(), 1);
        assert_eq!(field.groups.len(), 2);
        assert!(field.offers("3") && field.offers("") && !field.offers("4"));
        let lone = Field::text(Lang::Pl, "jrwa_symbol", "case-jrwa", "")
            .select(vec![(String::new(), "—".to_owned())])
            .grouped(vec![group("A", &[]), group("B", &["2", "3"])]);
        assert!(lone.groups.is_empty());
        assert_eq!(lone.options.len(), 3);
    }
}
