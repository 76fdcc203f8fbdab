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
                backends.insert_as(name.clone(), Arc::new(OpenAiBackend::new(c)?));
            }
            BackendConfig::Embedded {
                name,
                model_path,
                parallel,
                queue_depth,
                threads,
                context_len,
            } => {
                let backend = load_embedded(
                    name,
                    model_path.clone(),
                    *parallel,
                    *queue_depth,
                    *threads,
                    *context_len,
                )
                .await?;
                backends.insert_as(name.clone(), backend);
            }
        }
    }
    Ok(backends)
}

/// The model id the embedded backend serves a GGUF under: the default model's catalogue name, or the file's stem.
pub fn embedded_model_id(model_path: Option<&std::path::Path>) -> String {
    match model_path {
        None => "smollm2-135m".to_string(),
        Some(p) => p
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_else(|| "embedded".into()),
    }
}

#[cfg(feature = "embedded")]
async fn load_embedded(
    name: &str,
    model_path: Option<std::path::PathBuf>,
    parallel: usize,
    queue_depth: usize,
    threads: usize,
    context_len: usize,
) -> anyhow::Result<Arc<dyn haetae_models::Backend>> {
    use haetae_models::embedded::{
        EmbeddedBackend, EmbeddedConfig, default_cache_dir, ensure_default_model,
    };
    let model_id = embedded_model_id(model_path.as_deref());
    let name = name.to_string();
    let backend = tokio::task::spawn_blocking(move || -> anyhow::Result<EmbeddedBackend> {
        let path = match model_path {
            Some(p) => p,
            None => {
                eprintln!("Fetching the embedded model (first run only) …");
                ensure_default_model(&default_cache_dir())
                    .context("cannot fetch the embedded model")?
            }
        };
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            threads
        };
        let config = EmbeddedConfig {
            parallel,
            queue_depth,
            threads,
            context_len,
            model_id,
        };
        EmbeddedBackend::load(&path, config)
            .with_context(|| format!("backend '{name}': cannot load {}", path.display()))
    })
    .await??;
    Ok(Arc::new(backend))
}

#[cfg(not(feature = "embedded"))]
async fn load_embedded(
    name: &str,
    _model_path: Option<std::path::PathBuf>,
    _parallel: usize,
    _queue_depth: usize,
    _threads: usize,
    _context_len: usize,
) -> anyhow::Result<Arc<dyn haetae_models::Backend>> {
    anyhow::bail!("backend '{name}': this binary was built without the `embedded` feature")
}
