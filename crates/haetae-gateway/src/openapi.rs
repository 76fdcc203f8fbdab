//! The OpenAPI document served at `/openapi.json`.

use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response};
use utoipa::{Modify, OpenApi, ToSchema};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |desc: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(desc.to_string()))
                    .build(),
            )
        };
        components
            .add_security_scheme("member_key", bearer("A member's API key, hk_<id>_<secret>"));
        components.add_security_scheme(
            "admin_key",
            bearer("An administrator key, hka_<id>_<secret>"),
        );
    }
}

/// The OpenAI-format error every refusal and every client error is answered with (`error.rs`).
#[derive(serde::Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ErrorDetail {
    pub message: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub param: Option<String>,
    pub code: Option<String>,
}

/// The OpenAI request types, documented from the same serde types the gateway's translation and the Responses
/// endpoint parse with (`haetae-openai`); fields they do not name pass through (`additionalProperties`).
pub use haetae_openai::{ChatCompletionRequest, EmbeddingsRequest, ResponsesRequest};

/// The error statuses every operation of a kind can answer, so that each operation's annotation lists only its
/// own: 401 and 503 (store or ledger down; fail closed) wherever a key is required, 400 wherever a body or query
/// is read, 413 wherever a body is. Every 4xx/5xx is documented as an [`ErrorBody`].
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let ops = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
            ];
            for op in ops.into_iter().flatten() {
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let query = op
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| p.parameter_in == ParameterIn::Query);
                let body = op.request_body.is_some();
                let responses = &mut op.responses.responses;
                let mut add = |code: &str, why: &str| {
                    responses
                        .entry(code.to_string())
                        .or_insert_with(|| Response::new(why).into());
                };
                if secured {
                    add("401", "Missing, malformed, unknown, revoked or expired key");
                    add(
                        "503",
                        "The programme store or the ledger is unavailable (fail closed)",
                    );
                }
                if body || query {
                    add("400", "Invalid request (the message names the field)");
                }
                if body {
                    add("413", "Body too large");
                }
                for (code, response) in responses.iter_mut() {
                    if let RefOr::T(r) = response
                        && (code.starts_with('4') || code.starts_with('5'))
                        && r.content.is_empty()
                    {
                        r.content.insert(
                            "application/json".into(),
                            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                        );
                    }
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Haetae gateway", description = "Trusted access to cyber-capable AI models: the OpenAI-compatible API and the programme's admin API."),
    paths(
        crate::api::chat_completions, crate::api::embeddings, crate::api::list_models,
        crate::responses::create_response,
        crate::ops::healthz, crate::ops::readyz, crate::ops::metrics,
        crate::admin::list_tiers, crate::admin::put_tier, crate::admin::list_orgs, crate::admin::create_org,
        crate::admin::get_org, crate::admin::record_vetting, crate::admin::list_vetting, crate::admin::set_tier,
        crate::admin::list_members, crate::admin::add_member, crate::admin::list_keys, crate::admin::issue_key,
        crate::admin::revoke_key, crate::admin::list_models, crate::admin::put_model, crate::admin::remove_model,
        crate::admin_ops::get_tier_limits, crate::admin_ops::put_tier_limits, crate::admin_ops::get_org_limits,
        crate::admin_ops::put_org_limits, crate::admin_ops::put_key_limits, crate::admin_ops::list_engagements,
        crate::admin_ops::register_engagement, crate::admin_ops::get_engagement, crate::admin_ops::revoke_engagement,
        crate::admin_ops::list_reviews, crate::admin_ops::get_review, crate::admin_ops::claim_review,
        crate::admin_ops::unclaim_review, crate::admin_ops::resolve_review, crate::admin_ops::usage_report,
    ),
    components(schemas(ErrorBody, ErrorDetail, ChatCompletionRequest, EmbeddingsRequest, ResponsesRequest)),
    modifiers(&Security, &CommonErrors),
    tags((name = "openai", description = "OpenAI-compatible model API"), (name = "admin", description = "Programme administration"),
         (name = "operations", description = "Health and metrics"))
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    /// Regression for what schemathesis found undocumented (bench/schemathesis/RESULTS.md).
    #[test]
    fn every_operation_documents_its_error_statuses() {
        let doc = serde_json::to_value(super::document()).expect("serialise");
        let mut operations = 0;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                operations += 1;
                let responses = op["responses"].as_object().expect("responses");
                let has = |code: &str| responses.contains_key(code);
                if op.get("security").is_some() {
                    assert!(has("401") && has("503"), "{method} {path}");
                }
                if op.get("requestBody").is_some() {
                    assert!(has("400") && has("413"), "{method} {path}");
                }
                for (code, r) in responses {
                    if code.starts_with('4') || code.starts_with('5') {
                        assert_eq!(
                            r["content"]["application/json"]["schema"]["$ref"],
                            "#/components/schemas/ErrorBody",
                            "{method} {path} {code}"
                        );
                    }
                }
            }
        }
        assert!(operations > 30);
        let responses = |path: &str, method: &str| doc["paths"][path][method]["responses"].clone();
        assert!(
            responses("/admin/v1/orgs", "post").get("404").is_some(),
            "unknown tier"
        );
        assert!(
            responses("/admin/v1/keys", "get").get("404").is_some(),
            "unknown org filter"
        );
        let chat = &doc["components"]["schemas"]["ChatCompletionRequest"];
        assert_eq!(chat["required"], serde_json::json!(["model", "messages"]));
        assert!(matches!(
            doc["components"]["schemas"]["Role"]["enum"],
            Value::Array(_)
        ));
        let responses_request = &doc["components"]["schemas"]["ResponsesRequest"];
        assert_eq!(
            responses_request["required"],
            serde_json::json!(["model", "input"])
        );
        assert!(responses("/v1/responses", "post").get("400").is_some());
    }
}
