//! The dependency rule, enforced (docs/architecture.md): a capability uses `platform`,
//! `web`, `db` and the other capabilities' service and store functions — never another
//! capability's `pages` (its HTTP handlers) or `rules` (its forms' validation). Shared
//! pieces move into the owning capability's service/store module or into the platform.
//!
//! The check reads every source file under `src/`: a file belongs to the capability of
//! its folder (`src/cases/…` to `cases`; `src/app.rs`, `src/demo.rs`, … to none), and any
//! path naming `<other capability>::pages` or `<other capability>::rules` — also inside a
//! `use other::{pages, …}` group — is a violation.

use std::path::{Path, PathBuf};

/// The folders under `src/`: each is a capability, or a shared layer that no capability
/// reaches into either way.
fn capabilities(src: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(src)
        .expect("src/ is readable")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The source without `//` comments (a `//` inside a string cuts the line short, which
/// can only hide text after it, never invent a violation).
fn without_comments(source: &str) -> String {
    source
        .lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers at the top level of the `{ … }` group starting at `text[0]`.
fn group_members(text: &str) -> Vec<String> {
    let mut depth = 0;
    let mut members = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_ident(c) {
            word.push(c);
            continue;
        }
        if depth == 1 && !word.is_empty() {
            members.push(std::mem::take(&mut word));
        }
        word.clear();
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    members
}

/// Each `<capability>::pages` / `<capability>::rules` in `source` naming a capability
/// other than `owner`.
fn violations(owner: Option<&str>, source: &str, capabilities: &[String]) -> Vec<String> {
    let code = without_comments(source);
    let mut found = Vec::new();
    for cap in capabilities.iter().filter(|c| Some(c.as_str()) != owner) {
        let needle = format!("{cap}::");
        for (at, _) in code.match_indices(&needle) {
            if code[..at].chars().next_back().is_some_and(is_ident) {
                continue; // `not_cases::`, part of a longer name
            }
            let rest = code[at + needle.len()..].trim_start();
            let next: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            let members = if rest.starts_with('{') {
                group_members(rest)
            } else {
                vec![next]
            };
            for m in members {
                if m == "pages" || m == "rules" {
                    found.push(format!("{cap}::{m}"));
                }
            }
        }
    }
    found
}

#[test]
fn no_capability_uses_another_capabilitys_pages_or_rules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let caps = capabilities(&src);
    assert!(caps.contains(&"cases".to_owned()), "{caps:?}");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src/");
        let owner = relative
            .components()
            .next()
            .filter(|_| relative.components().count() > 1)
            .and_then(|c| c.as_os_str().to_str());
        let source = std::fs::read_to_string(file).expect("readable source");
        for v in violations(owner, &source, &caps) {
            problems.push(format!("src/{} uses {v}", relative.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "the dependency rule is broken (use the capability's service/store, or move the \
         shared piece into src/platform/):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_catches_each_form_of_the_import() {
    let caps: Vec<String> = ["cases", "org", "applications"].map(str::to_owned).to_vec();
    let cases = [
        (
            "use crate::cases::pages::status_label;",
            vec!["cases::pages"],
        ),
        (
            "let v = crate::org::rules::value(&p, \"x\");",
            vec!["org::rules"],
        ),
        (
            "use crate::applications::{\n    pages::{self, check},\n    store,\n};",
            vec!["applications::pages"],
        ),
        ("use crate::cases::{rules, store};", vec!["cases::rules"]),
        ("use crate::cases::store::{pages, x};", vec![]),
        ("use crate::cases::store;", vec![]),
        ("// see cases::pages::list", vec![]),
        ("use crate::showcases::pages;", vec![]),
        ("use super::pages::list;", vec![]),
    ];
    for (source, expected) in cases {
        assert_eq!(
            violations(Some("home"), source, &caps),
            expected,
            "{source}"
        );
    }
    // A capability's own pages and rules are its business.
    assert!(violations(Some("cases"), "use crate::cases::pages::x;", &caps).is_empty());
    // Modules outside every capability (app.rs, demo.rs) are held to the rule too.
    assert_eq!(
        violations(None, "use crate::org::rules::value;", &caps),
        vec!["org::rules"]
    );
}
