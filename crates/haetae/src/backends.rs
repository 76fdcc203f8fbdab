//! Builds the configured model backends.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use haetae_gateway::Backends;
use haetae_models::{OpenAiBackend, OpenAiConfig};

use crate::config::BackendConfig;

pub async fn build(configs: &[BackendConfig]) -> anyhow::Result<Backends> {
    let mut backends = Backends::default();
    for config in configs {
        match config {
            BackendConfig::Openai {
                name,
                base_url,
                api_key_env,
                connect_timeout_secs,
                read_timeout_secs,
            } => {
                let api_key = match api_key_env {
                    Some(var) => Some(std::env::var(var).with_context(|| {
                        format!("backend '{name}': the variable {var} is not set")
                    })?),
                    None => None,
                };
                let mut c = OpenAiConfig::new(name.clone(), base_url.clone());
                c.api_key = api_key;
                c.connect_timeout = Duration::from_secs(*connect_timeout_secs);
                c.read_timeout = Duration::from_secs(*read_timeout_secs);
                backends.insert(Arc::new(OpenAiBackend::new(c)?));
            }
            BackendConfig::Embedded { name, .. } => {
                anyhow::bail!(
                    "backend '{name}': the embedded model backend is not built into this binary yet"
                );
            }
        }
    }
    Ok(backends)
}
