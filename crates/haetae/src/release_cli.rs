//! `haetae release decide`: turns evaluation results into the tiers a model may serve (haetae-eval's release
//! gate), records the decision in the ledger, and with `--apply` sets the model's minimum tier in the catalogue.

use anyhow::Context;
use haetae_eval::release::{
    ReleaseCommand, allowed_tiers, run_decide, summary, tiers_from_decision,
};
use haetae_store::NewModel;

use crate::admin_cli::{audit, open_store};
use crate::config::Config;

/// The catalogue name an evaluation's model spec refers to: `gateway:<url>#<name>` and `openai:<url>#<name>`
/// name it after `#`; `embedded` is the embedded backend's model.
fn catalogue_name(spec: &str) -> &str {
    match spec.rsplit_once('#') {
        Some((_, name)) => name,
        // The embedded default model's catalogue id (haetae-models' DEFAULT_MODEL_ID, behind a feature).
        None if spec.starts_with("embedded") => "smollm2-135m",
        None => spec,
    }
}

pub async fn run(config: &Config, cmd: ReleaseCommand) -> anyhow::Result<()> {
    let decision = run_decide(&cmd)?;
    let ReleaseCommand::Decide { apply, .. } = cmd;
    let store = open_store(config).await?;
    audit(&store, "release.decide", summary(&decision)).await?;
    if !apply {
        eprintln!("recorded for the ledger; pass --apply to set the catalogue's minimum tier");
        return Ok(());
    }
    let name = catalogue_name(&decision.model);
    let entry = store.get_model(name).await?.with_context(|| {
        format!("the model '{name}' is not in the catalogue; add it first (haetae model add)")
    })?;
    match tiers_from_decision(&decision) {
        Some(tier) => {
            let updated = store
                .upsert_model(&NewModel {
                    name: entry.name.clone(),
                    backend: entry.backend.clone(),
                    upstream_model: entry.upstream_model.clone(),
                    min_tier: tier.clone(),
                    description: entry.description.clone(),
                })
                .await?;
            audit(
                &store,
                "release.apply",
                format!(
                    "model {} minimum tier {} -> {} (allowed: {})",
                    entry.name,
                    entry.min_tier,
                    updated.min_tier,
                    allowed_tiers(&decision).join(", ")
                ),
            )
            .await?;
            println!(
                "{}: minimum tier {} -> {}",
                entry.name, entry.min_tier, updated.min_tier
            );
        }
        None => {
            // The gate allows no tier: the model must not serve anyone, so it leaves the catalogue.
            store.remove_model(&entry.name).await?;
            audit(
                &store,
                "release.apply",
                format!(
                    "model {} withheld from every tier: removed from the catalogue",
                    entry.name
                ),
            )
            .await?;
            println!(
                "{}: no tier passed the release policy; removed from the catalogue",
                entry.name
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_name_their_catalogue_model() {
        assert_eq!(
            catalogue_name("gateway:http://127.0.0.1:8080/v1#gpt-sec"),
            "gpt-sec"
        );
        assert_eq!(catalogue_name("embedded"), "smollm2-135m");
        assert_eq!(catalogue_name("embedded:/models/x.gguf"), "smollm2-135m");
        assert_eq!(catalogue_name("mock-1"), "mock-1");
    }
}
