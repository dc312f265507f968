//! The API's reference as a page, made from the same OpenAPI document as `/api/openapi.json`
//! (no viewer from a CDN): each operation with its method, path, who may call it, its
//! parameters and the schemas of its body and answer.

use askama::Template;
use axum::response::Html;
use serde_json::Value;

use super::{Page, render};
use crate::auth::Ctx;
use crate::error::AppResult;

pub struct Operation {
    pub method: String,
    pub path: String,
    pub anchor: String,
    pub summary: String,
    pub permission: String,
    /// (name, where, type or choices, required)
    pub parameters: Vec<(String, String, String, bool)>,
    pub request: Option<String>,
    pub response: Option<String>,
}

#[derive(Template)]
#[template(path = "api_reference.html")]
struct ReferencePage {
    page: Page,
    groups: Vec<(String, Vec<Operation>)>,
    schemas: Vec<(String, String)>,
}

/// A schema as a reader names it: the type it refers to, or its JSON.
fn schema_name(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    if let Some(choices) = schema["enum"].as_array() {
        return choices.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | ");
    }
    // One type, or several ("string | null").
    let kind = match &schema["type"] {
        Value::String(kind) => Some(kind.clone()),
        Value::Array(kinds) => Some(kinds.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | ")),
        _ => None,
    };
    match (kind, schema["format"].as_str()) {
        (Some(kind), Some(format)) => format!("{kind} ({format})"),
        (Some(kind), None) => kind,
        _ => serde_json::to_string(schema).unwrap_or_default(),
    }
}

pub async fn show_reference(ctx: Ctx) -> AppResult<Html<String>> {
    let document = crate::openapi_document();
    let page = Page::new(&ctx, page_title(&ctx));
    let mut groups: Vec<(String, Vec<Operation>)> = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        // The document itself is linked above the list, not listed as an operation.
        let Some(rest) = path.strip_prefix("/api/v1/") else { continue };
        for (method, op) in item.as_object().into_iter().flatten() {
            let group = rest.split('/').next().unwrap_or_default().to_owned();
            let content = |v: &Value| v["content"]["application/json"]["schema"].clone();
            let answer = op["responses"].as_object().and_then(|r| {
                r.iter().find(|(status, _)| status.starts_with('2')).map(|(status, v)| (status.clone(), content(v)))
            });
            let operation = Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                anchor: op["operationId"].as_str().unwrap_or_default().to_owned(),
                summary: op["summary"].as_str().unwrap_or_default().to_owned(),
                permission: op["x-kaigi-permission"].as_str().unwrap_or_default().to_owned(),
                parameters: op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        (
                            p["name"].as_str().unwrap_or_default().to_owned(),
                            p["in"].as_str().unwrap_or_default().to_owned(),
                            schema_name(&p["schema"]),
                            p["required"].as_bool().unwrap_or(false),
                        )
                    })
                    .collect(),
                request: op.get("requestBody").map(|b| schema_name(&content(b))),
                response: answer.map(|(status, schema)| format!("{status} {}", schema_name(&schema))),
            };
            match groups.iter_mut().find(|(name, _)| *name == group) {
                Some((_, list)) => list.push(operation),
                None => groups.push((group, vec![operation])),
            }
        }
    }
    let schemas = document["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.clone(), serde_json::to_string_pretty(schema).unwrap_or_default()))
        .collect();
    render(&ReferencePage { page, groups, schemas })
}

fn page_title(ctx: &Ctx) -> String {
    kaigi_core::i18n::t(ctx.lang, "api-reference-title")
}
