//! Checkboxes as the form kit builds them: one box on its own (`active`, `bookable`) and a
//! group of boxes under one legend, several of a list chosen (the service cards a ticket
//! category covers, the categories a desk serves). `templates/macros.html` renders them
//! with `checkbox` and `checkboxes`.

use super::{FormBuilder, field_id};

/// One checkbox with its label beside it.
#[derive(Debug, Clone)]
pub struct Checkbox {
    pub name: &'static str,
    pub label: String,
    pub checked: bool,
}

impl Checkbox {
    pub fn id(&self) -> String {
        field_id(self.name)
    }
}

/// A group of checkboxes sent under one name, with the group's error.
#[derive(Debug, Clone)]
pub struct Choices {
    pub name: &'static str,
    pub legend: String,
    /// (value, label, chosen)
    pub options: Vec<(String, String, bool)>,
    pub error: Option<String>,
}

impl Choices {
    pub fn id(&self) -> String {
        field_id(self.name)
    }

    /// The id of the box of `value`: `f-{name}-{value}`.
    pub fn option_id(&self, value: &str) -> String {
        format!("{}-{value}", self.id())
    }
}

impl FormBuilder<'_> {
    /// The checkbox `name`, ticked when the values sent (or the defaults) have it.
    pub fn checkbox(&self, name: &'static str, label_key: &str) -> Checkbox {
        Checkbox {
            name,
            label: self.lang().t(label_key),
            checked: super::checked(self.values(), name),
        }
    }

    /// The group `name` offering `options` (value, label), each ticked when sent; its
    /// problem goes in the summary under the legend.
    pub fn choices(
        &mut self,
        name: &'static str,
        legend_key: &str,
        options: impl IntoIterator<Item = (String, String)>,
    ) -> Choices {
        self.label(name, legend_key);
        let values = self.values();
        let chosen = |v: &str| values.iter().any(|(k, x)| k == name && x == v);
        Choices {
            name,
            legend: self.lang().t(legend_key),
            options: options
                .into_iter()
                .map(|(value, label)| {
                    let on = chosen(&value);
                    (value, label, on)
                })
                .collect(),
            error: self.error(name),
        }
    }
}
