//! The OpenAPI document served at `/openapi.json`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

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

#[derive(OpenApi)]
#[openapi(
    info(title = "Haetae gateway", description = "Trusted access to cyber-capable AI models: the OpenAI-compatible API and the programme's admin API."),
    paths(
        crate::api::chat_completions, crate::api::embeddings, crate::api::list_models,
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
    modifiers(&Security),
    tags((name = "openai", description = "OpenAI-compatible model API"), (name = "admin", description = "Programme administration"),
         (name = "operations", description = "Health and metrics"))
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
