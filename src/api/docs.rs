//! `/api/v1/docs`: the API reference for people, rendered by the binary from the same
//! OpenAPI document served at `/api/v1/openapi.json` (no external viewer, no CDN).

use askama::Template;
use askama_web::WebTemplate;
use serde_json::Value;
use utoipa::OpenApi;

use super::ApiDoc;
use crate::web::page::PageCtx;

pub struct Param {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub schema: String,
    pub description: String,
}

pub struct ResponseDoc {
    pub status: String,
    pub description: String,
    pub schema: String,
}

pub struct Operation {
    pub method: String,
    pub path: String,
    pub anchor: String,
    pub summary: String,
    pub description: String,
    pub params: Vec<Param>,
    pub responses: Vec<ResponseDoc>,
}

pub struct Property {
    pub name: String,
    pub schema: String,
    pub required: bool,
    pub description: String,
}

pub struct Schema {
    pub name: String,
    pub description: String,
    pub properties: Vec<Property>,
}

#[derive(Template, WebTemplate)]
#[template(path = "api/docs.html")]
pub struct DocsPage {
    pub ctx: PageCtx,
    pub title: String,
    pub version: String,
    pub openapi: String,
    pub description: String,
    pub operations: Vec<Operation>,
    pub schemas: Vec<Schema>,
}

fn s(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A schema written short: `string`, `integer (int64)`, `CardSummary[]`, `string | null`.
pub fn schema_text(v: &Value) -> String {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = v.get(key).and_then(Value::as_array) {
            return list.iter().map(schema_text).collect::<Vec<_>>().join(" | ");
        }
    }
    let base = match v.get("type") {
        Some(Value::String(t)) if t == "array" => {
            format!("{}[]", v.get("items").map(schema_text).unwrap_or_default())
        }
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .map(|t| match t.as_str() {
                Some("array") => {
                    format!("{}[]", v.get("items").map(schema_text).unwrap_or_default())
                }
                Some(t) => t.to_owned(),
                None => String::new(),
            })
            .collect::<Vec<_>>()
            .join(" | "),
        _ => String::new(),
    };
    match v.get("format").and_then(Value::as_str) {
        Some(f) => format!("{base} ({f})"),
        None => base,
    }
}

/// The reference, read from the OpenAPI document.
pub fn describe(doc: &Value) -> (Vec<Operation>, Vec<Schema>) {
    let mut operations = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in ["get", "post", "put", "patch", "delete"] {
                let Some(op) = item.get(method) else { continue };
                let params = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| Param {
                        name: s(p, "name"),
                        location: s(p, "in"),
                        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        schema: p.get("schema").map(schema_text).unwrap_or_default(),
                        description: s(p, "description"),
                    })
                    .collect();
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(status, r)| ResponseDoc {
                        status: status.clone(),
                        description: s(r, "description"),
                        schema: r
                            .pointer("/content/application~1json/schema")
                            .map(schema_text)
                            .unwrap_or_default(),
                    })
                    .collect();
                operations.push(Operation {
                    method: method.to_uppercase(),
                    anchor: format!(
                        "op-{method}-{}",
                        path.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
                    ),
                    path: path.clone(),
                    summary: s(op, "summary"),
                    description: s(op, "description"),
                    params,
                    responses,
                });
            }
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, schema)| {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            Schema {
                name: name.clone(),
                description: s(schema, "description"),
                properties: schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(p, v)| Property {
                        name: p.clone(),
                        schema: schema_text(v),
                        required: required.contains(&p.as_str()),
                        description: s(v, "description"),
                    })
                    .collect(),
            }
        })
        .collect();
    (operations, schemas)
}

pub async fn page(ctx: PageCtx) -> DocsPage {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    let (operations, schemas) = describe(&doc);
    DocsPage {
        ctx,
        title: doc
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        version: doc
            .pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        description: doc
            .pointer("/info/description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        openapi: s(&doc, "openapi"),
        operations,
        schemas,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_lists_every_operation_and_schema() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
        assert!(s(&doc, "openapi").starts_with("3.1"));
        let (ops, schemas) = describe(&doc);
        let paths: Vec<(&str, &str)> = ops
            .iter()
            .map(|o| (o.method.as_str(), o.path.as_str()))
            .collect();
        assert!(paths.contains(&("GET", "/api/v1/service-cards")));
        assert!(paths.contains(&("GET", "/api/v1/service-cards/{code}")));
        let list = ops.iter().find(|o| o.path == "/api/v1/service-cards");
        let params: Vec<&str> = list
            .map(|o| o.params.iter().map(|p| p.name.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(params, ["page", "per_page", "q", "unit"]);
        let detail = schemas.iter().find(|s| s.name == "CardDetail");
        assert!(detail.is_some_and(|d| {
            d.properties
                .iter()
                .any(|p| p.name == "form" && p.schema.contains("Form"))
        }));
        assert_eq!(
            schema_text(
                &serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/X"}})
            ),
            "X[]"
        );
        assert_eq!(
            schema_text(&serde_json::json!({"type": ["string", "null"]})),
            "string | null"
        );
    }
}
