//! What is wrong with a submitted form, field by field.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// Field-level problems: field name → Fluent id of the message. The first problem of a
/// field wins (the one to fix first: "required" before "too long"). A name is usually a
/// fixed input's (`"code"`), but may be made at run time: a row of a repeated group
/// (`fee_amount-2`) or a field of an e-service form definition.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FormErrors(BTreeMap<Cow<'static, str>, String>);

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, message_key: impl Into<String>) {
        self.0
            .entry(field.into())
            .or_insert_with(|| message_key.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    /// Fails the field when `value` is blank.
    pub fn require(&mut self, field: &'static str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, "form-required");
        }
    }

    /// Fails the field when `value` is longer than `max` characters.
    pub fn max_len(&mut self, field: &'static str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, "form-too-long");
        }
    }
}

impl std::fmt::Display for FormErrors {
    /// `field: message-id, …` — for logs and test failures, not for people.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (field, key)) in self.fields().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{field}: {key}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FormErrors {}

impl FormErrors {
    /// One problem at one field.
    pub fn one(field: impl Into<Cow<'static, str>>, message_key: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message_key);
        errors
    }

    /// Adds every problem of `other` (a field keeps its first), for a page whose form
    /// is read in parts.
    pub fn merge(&mut self, other: FormErrors) {
        for (field, key) in other.0 {
            self.add(field, key);
        }
    }
}
