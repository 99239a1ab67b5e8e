//! E-service form definitions: parsing arbitrary JSON never panics; a parsed definition
//! round-trips through its stored form; validating arbitrary values (against the parsed
//! definition and against a fixed one using every field kind) never panics, and what it
//! accepts holds only the form's fields, each within its length.
#![no_main]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use magistrat_domain::form_definition::{FormDefinition, validate_submission};

static EVERY_KIND: LazyLock<Option<FormDefinition>> = LazyLock::new(|| {
    let fields: Vec<String> = FormDefinition::KINDS_FOR_FUZZING
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let options = if *kind == "select" {
                r#", "options": [{"value": "a", "label": {"pl": "A"}}]"#
            } else {
                ""
            };
            format!(r#"{{"name": "f{i}", "type": "{kind}", "label": {{"pl": "P"}}, "required": {}{options}}}"#, i % 2 == 0)
        })
        .collect();
    let json = format!(
        r#"{{"fields": [{}], "attachments": {{"max_files": 1, "max_size_bytes": 100, "allowed_types": ["pdf"]}}}}"#,
        fields.join(",")
    );
    FormDefinition::parse(&json).ok()
});

#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    definition: String,
    values: Vec<(String, String)>,
}

fn check(def: &FormDefinition, values: &BTreeMap<String, String>) {
    if let Ok(submission) = validate_submission(def, values) {
        for (name, value) in &submission.values {
            let field = def
                .field(name)
                .expect("accepted a field the form does not have");
            assert!(
                value.chars().count() <= field.max_length.max(10),
                "{name} too long"
            );
        }
    }
}

fuzz_target!(|input: Input| {
    let values: BTreeMap<String, String> = input.values.into_iter().collect();
    if let Ok(def) = FormDefinition::parse(&input.definition) {
        let again = FormDefinition::parse(&def.to_json()).expect("stored form parses");
        assert_eq!(again, def);
        check(&def, &values);
    }
    if let Some(def) = EVERY_KIND.as_ref() {
        let mut renamed = BTreeMap::new();
        for (i, (_, v)) in values.iter().enumerate() {
            renamed.insert(format!("f{}", i % 14), v.clone());
        }
        check(def, &renamed);
    }
});
