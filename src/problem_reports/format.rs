//! Open311's two formats from one tree: XML (schemaless, no namespace, UTF-8, the
//! spec's element names) and JSON (the "Spark convention": the wrapper element
//! disappears, a list becomes an array). Written by hand: the documents are small and
//! flat, and one escaping function is easier to check than a crate's configuration.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// The format a resource's suffix asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// Splits `services.json` into (`services`, Json); `None` without a known suffix.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        if let Some(stem) = file.strip_suffix(".xml") {
            Some((stem, Format::Xml))
        } else {
            file.strip_suffix(".json").map(|stem| (stem, Format::Json))
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
        }
    }
}

/// A document: text, a number, a boolean, nothing, a list of same-named elements, or
/// an element with named children.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Text(String),
    Int(i64),
    Real(f64),
    Bool(bool),
    Null,
    /// Items, each an XML element of this name.
    List(&'static str, Vec<Node>),
    Obj(Vec<(&'static str, Node)>),
}

impl Node {
    pub fn text(s: impl Into<String>) -> Node {
        Node::Text(s.into())
    }

    pub fn opt_text(s: Option<impl Into<String>>) -> Node {
        s.map_or(Node::Null, |s| Node::Text(s.into()))
    }

    fn json(&self) -> Value {
        match self {
            Node::Text(s) => Value::from(s.as_str()),
            Node::Int(n) => Value::from(*n),
            Node::Real(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Node::Bool(b) => Value::from(*b),
            Node::Null => Value::Null,
            Node::List(_, items) => Value::Array(items.iter().map(Node::json).collect()),
            Node::Obj(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.json()))
                    .collect(),
            ),
        }
    }

    fn xml(&self, name: &str, out: &mut String) {
        match self {
            Node::Null => {
                out.push('<');
                out.push_str(name);
                out.push_str("/>");
            }
            Node::List(item, items) => {
                open(name, out);
                for i in items {
                    i.xml(item, out);
                }
                close(name, out);
            }
            Node::Obj(fields) => {
                open(name, out);
                for (k, v) in fields {
                    v.xml(k, out);
                }
                close(name, out);
            }
            leaf => {
                open(name, out);
                let text = match leaf {
                    Node::Text(s) => s.clone(),
                    Node::Int(n) => n.to_string(),
                    Node::Real(x) => x.to_string(),
                    Node::Bool(b) => b.to_string(),
                    _ => String::new(),
                };
                escape_into(&text, out);
                close(name, out);
            }
        }
    }

    /// The whole document in `format`, `root` being the XML wrapper element.
    pub fn render(&self, root: &str, format: Format) -> String {
        match format {
            Format::Json => self.json().to_string(),
            Format::Xml => {
                let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
                self.xml(root, &mut out);
                out.push('\n');
                out
            }
        }
    }

    /// The response: `status`, the format's content type, the document.
    pub fn respond(&self, status: StatusCode, root: &str, format: Format) -> Response {
        (
            status,
            [(header::CONTENT_TYPE, format.content_type())],
            self.render(root, format),
        )
            .into_response()
    }
}

fn open(name: &str, out: &mut String) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(name: &str, out: &mut String) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Escapes text for an XML element, and leaves out characters XML 1.0 cannot carry
/// at all (controls other than tab and line breaks, U+FFFE/U+FFFF).
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// The spec's error list: one or more (code, description).
pub fn errors(status: StatusCode, format: Format, list: &[(u16, String)]) -> Response {
    let items = list
        .iter()
        .map(|(code, description)| {
            Node::Obj(vec![
                ("code", Node::Int(i64::from(*code))),
                ("description", Node::text(description.clone())),
            ])
        })
        .collect();
    Node::List("error", items).respond(status, "errors", format)
}

/// One error whose code is the HTTP status.
pub fn error(status: StatusCode, format: Format, description: impl Into<String>) -> Response {
    errors(status, format, &[(status.as_u16(), description.into())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_and_json_from_one_tree() {
        let doc = Node::List(
            "service",
            vec![Node::Obj(vec![
                ("service_code", Node::text("001")),
                (
                    "service_name",
                    Node::text("Dziury & <śmieci> \"x\" 'y'\u{1}"),
                ),
                ("metadata", Node::Bool(true)),
                ("lat", Node::Real(52.5)),
                ("group", Node::Null),
            ])],
        );
        assert_eq!(
            doc.render("services", Format::Xml),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<services><service><service_code>001\
             </service_code><service_name>Dziury &amp; &lt;śmieci&gt; &quot;x&quot; &apos;y&apos;\
             </service_name><metadata>true</metadata><lat>52.5</lat><group/></service></services>\n"
        );
        assert_eq!(
            doc.render("services", Format::Json),
            r#"[{"group":null,"lat":52.5,"metadata":true,"service_code":"001","service_name":"Dziury & <śmieci> \"x\" 'y'\u0001"}]"#
        );
        assert_eq!(
            Format::split("services.xml"),
            Some(("services", Format::Xml))
        );
        assert_eq!(Format::split("01.json"), Some(("01", Format::Json)));
        assert_eq!(Format::split("services.html"), None);
    }
}
