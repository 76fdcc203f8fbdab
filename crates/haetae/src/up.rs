//! `haetae up` (the demo programme) and `haetae serve`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use haetae_core::{ParsedKey, Role, VettingState, now_unix};
use haetae_gateway::{AppState, Backends, GatewayOptions};
use haetae_store::{NewEvidence, NewMember, NewModel, NewOrganisation, Store};
use serde::{Deserialize, Serialize};

use crate::admin_cli::open_store;
use crate::config::{BackendConfig, Config};

#[derive(Args)]
pub struct UpArgs {
    /// Address to listen on (port 0 picks a free port; the chosen one is printed).
    #[arg(long)]
    listen: Option<std::net::SocketAddr>,
    /// Serve the models of this OpenAI-compatible server (e.g. http://127.0.0.1:8000/v1) instead of the
    /// embedded model.
    #[arg(long)]
    upstream: Option<String>,
    /// Environment variable holding the upstream's API key.
    #[arg(long, requires = "upstream")]
    upstream_key_env: Option<String>,
}

/// The demo programme's secrets, kept (mode 0600) in the data directory because the store keeps only hashes.
#[derive(Serialize, Deserialize)]
struct DemoKeys {
    admin_key: String,
    /// Tier name → member key.
    member_keys: BTreeMap<String, String>,
}

const DEMO_FILE: &str = "demo-keys.json";

fn demo_org_name(tier: &str) -> String {
    format!("Demo {} organisation", tier)
}

pub async fn run(mut config: Config, args: UpArgs) -> anyhow::Result<()> {
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            config.data_dir.display()
        )
    })?;
    let store = open_store(&config).await?;

    if let Some(url) = &args.upstream {
        config.backends = vec![BackendConfig::Openai {
            name: "upstream".into(),
            base_url: url.trim_end_matches('/').to_string(),
            api_key_env: args.upstream_key_env.clone(),
            connect_timeout_secs: 5,
            read_timeout_secs: 120,
        }];
    } else if config.backends.is_empty() {
        config.backends = vec![BackendConfig::Embedded {
            name: "embedded".into(),
            model_path: None,
            parallel: 1,
            queue_depth: 8,
            threads: 0,
            context_len: 2048,
        }];
    }
    let backends = crate::backends::build(&config.backends).await?;
    register_demo_models(&store, &backends, &config.backends).await?;
    let keys = ensure_demo_programme(&store, &config.data_dir).await?;
    let ledger = crate::ledger_setup::open(&config).await?;
    let (state, verifier_key) = build_state(store.clone(), backends, ledger, &config).await?;

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let base_url = format!("http://{addr}/v1");
    // Machine-readable lines first, so scripts can `eval` or grep them; then the summary for people.
    println!("HAETAE_BASE_URL={base_url}");
    println!("HAETAE_ADMIN_KEY={}", keys.admin_key);
    println!("HAETAE_LEDGER_KEY={verifier_key}");
    let console = open_console(&state, &config, addr)?;
    // A fresh one-time link every start: whoever runs `haetae up` owns this machine's demo programme.
    let enrol = haetae_console::issue_enrolment(
        &store,
        haetae_console::ConsoleRole::Operator,
        "operator",
        None,
        "haetae up",
        haetae_core::now_unix(),
        console.config().enrolment_ttl_secs,
    )
    .await
    .context("cannot issue the operator's console enrolment link")?;
    println!("HAETAE_CONSOLE_URL={}/console", console.config().origin);
    println!("HAETAE_CONSOLE_ENROL={}", console.enrolment_url(&enrol));
    for tier in store.list_tiers().await? {
        if let Some(key) = keys.member_keys.get(&tier.name) {
            println!(
                "HAETAE_KEY_{}={key}",
                tier.name.to_uppercase().replace('-', "_")
            );
        }
    }
    println!();
    println!("Haetae is serving a demo programme at {base_url}");
    println!(
        "  data directory: {}  (keys in {})",
        config.data_dir.display(),
        config.data_dir.join(DEMO_FILE).display()
    );
    println!("  models:");
    for m in store.list_models().await? {
        println!(
            "    {:<24} min tier {:<10} via {}",
            m.name, m.min_tier, m.backend
        );
    }
    println!(
        "  organisations: one verified demo organisation per tier, each with an analyst key (above)"
    );
    println!("Try:");
    println!("  curl {base_url}/models -H \"Authorization: Bearer $HAETAE_KEY_PUBLIC\"");
    println!("Every decision is recorded in the transparency ledger; check it from outside with:");
    println!(
        "  haetae audit verify --url http://{addr} --key \"$HAETAE_LEDGER_KEY\" --checkpoint saved-checkpoint.txt"
    );
    println!(
        "The console (Korean and English) is at {}/console; enrol the operator's passkey with the",
        console.config().origin
    );
    println!("  one-time link HAETAE_CONSOLE_ENROL above (valid 24 hours).");
    println!("Press Ctrl-C to stop.");

    serve(listener, state, console, store, &config).await
}

pub async fn serve_configured(config: Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)?;
    let store = open_store(&config).await?;
    let backends = crate::backends::build(&config.backends).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let ledger = crate::ledger_setup::open(&config).await?;
    let (state, verifier_key) = build_state(store.clone(), backends, ledger, &config).await?;
    let addr = listener.local_addr()?;
    let console = open_console(&state, &config, addr)?;
    tracing::info!(%addr, ledger_key = %verifier_key, console = %console.config().origin, "serving");
    serve(listener, state, console, store, &config).await
}

/// The console, at `console_origin` or, by default, `http://localhost:<port>`.
fn open_console(
    state: &AppState,
    config: &Config,
    addr: std::net::SocketAddr,
) -> anyhow::Result<haetae_console::Console> {
    let origin = match config.console_origin.trim() {
        "" => format!("http://localhost:{}", addr.port()),
        o => o.to_string(),
    };
    haetae_console::Console::new(
        state.clone(),
        haetae_console::ConsoleConfig::new(origin),
        std::sync::Arc::new(haetae_meter::SystemClock),
    )
    .context("cannot set up the console")
}

/// Everything the gateway serves with — policies, meter, guard, ledger — ready before anything says "serving",
/// so a start that cannot succeed fails before it prints its keys.
async fn build_state(
    store: Store,
    backends: Backends,
    ledger: crate::ledger_setup::OpenLedger,
    config: &Config,
) -> anyhow::Result<(AppState, String)> {
    let options = GatewayOptions {
        max_body_bytes: config.max_body_bytes,
        request_timeout: Duration::from_secs(config.request_timeout_secs),
    };
    let policy = open_policy(config)?;
    let policy_sync = open_policy_sync(config, &policy).await?;
    let meter = open_meter(config).await?;
    let model_guard = open_model_guard(config, &store, &backends).await?;
    let verifier_key = ledger.verifier_key.clone();
    let state = AppState::new(store, backends, options)
        .with_policy(policy)
        .with_model_guard(model_guard)
        .with_meter(Some(meter))
        .with_misuse(config.misuse.clone())
        .with_shared_misuse(open_shared_misuse(config).await?)
        .with_policy_sync(policy_sync)
        .with_ledger(ledger.recorder, ledger.verifier_key)
        .with_stages(config.stages);
    Ok((state, verifier_key))
}

async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    console: haetae_console::Console,
    store: Store,
    config: &Config,
) -> anyhow::Result<()> {
    let background = haetae_gateway::spawn_background(
        state.clone(),
        Duration::from_secs(config.usage_flush_secs.max(1)),
    );
    // The console's routes (all under /console) beside the gateway's.
    let app = haetae_gateway::router(state).merge(console.router());
    haetae_gateway::server::serve(listener, app, shutdown_signal()).await?;
    background.stop().await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The policy directory, written from the default programme when it does not exist yet.
fn open_policy(config: &Config) -> anyhow::Result<haetae_gateway::Policy> {
    let dir = config.policy_dir();
    if !dir.join(haetae_policy::engine::SCHEMA_FILE).exists() {
        haetae_policy::PolicyEngine::write_default_programme(&dir)
            .with_context(|| format!("cannot write the default policies into {}", dir.display()))?;
        tracing::info!(dir = %dir.display(), "wrote the default programme's policies");
    }
    let engine = haetae_policy::ReloadingPolicyEngine::load(&dir)
        .with_context(|| format!("the policies in {} do not load", dir.display()))?;
    Ok(haetae_gateway::Policy::Reloading(engine))
}

/// With the meter on Redis, policy changes are shared through it with every replica within a second.
async fn open_policy_sync(
    config: &Config,
    policy: &haetae_gateway::Policy,
) -> anyhow::Result<Option<haetae_gateway::policy_sync::PolicySync>> {
    let url = config.meter_redis_url.trim();
    let haetae_gateway::Policy::Reloading(engine) = policy else {
        return Ok(None);
    };
    if url.is_empty() {
        return Ok(None);
    }
    let prefix = config.meter_redis_prefix()?;
    let sync = haetae_gateway::policy_sync::PolicySync::connect(url, prefix, engine.clone())
        .await
        .context("cannot reach the meter's Redis to share policy changes")?;
    Ok(Some(sync))
}

/// With the meter on Redis, the misuse windows go there too, so replicas flag a pattern
/// spread over them.
async fn open_shared_misuse(
    config: &Config,
) -> anyhow::Result<Option<haetae_meter::RedisMisuseDetector>> {
    let url = config.meter_redis_url.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let prefix = config.meter_redis_prefix()?;
    let shared = haetae_meter::RedisMisuseDetector::connect(url, prefix, config.misuse.clone())
        .await
        .context("cannot reach the meter's Redis for the misuse windows")?;
    Ok(Some(shared))
}

async fn open_meter(config: &Config) -> anyhow::Result<haetae_meter::Meter> {
    use std::sync::Arc;
    let backend: Arc<dyn haetae_meter::MeterBackend> = if config.meter_redis_url.trim().is_empty() {
        Arc::new(haetae_meter::InMemoryBackend::new())
    } else {
        Arc::new(
            haetae_meter::RedisBackend::connect(
                config.meter_redis_url.trim(),
                config.meter_redis_prefix()?,
            )
            .await
            .context("cannot reach the meter's Redis")?,
        )
    };
    Ok(haetae_meter::Meter::new(
        backend,
        Arc::new(haetae_meter::SystemClock),
        config.meter.clone(),
    ))
}

async fn open_model_guard(
    config: &Config,
    store: &Store,
    backends: &Backends,
) -> anyhow::Result<Option<haetae_policy::ModelGuard>> {
    let name = config.guard.model.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let entry = store
        .get_model(name)
        .await?
        .with_context(|| format!("the guard model '{name}' is not in the catalogue"))?;
    let backend = backends.get(&entry.backend).with_context(|| {
        format!(
            "the guard model's backend '{}' is not configured",
            entry.backend
        )
    })?;
    Ok(Some(haetae_policy::ModelGuard::new(
        backend,
        entry.upstream_model,
        Duration::from_secs(config.guard.timeout_secs.max(1)),
    )))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// Every model each backend serves goes into the catalogue, open to the lowest tier, unless already there.
async fn register_demo_models(
    store: &Store,
    backends: &Backends,
    configs: &[BackendConfig],
) -> anyhow::Result<()> {
    let lowest = store
        .list_tiers()
        .await?
        .into_iter()
        .next()
        .context("no tiers")?;
    for config in configs {
        let Some(backend) = backends.get(config.name()) else {
            continue;
        };
        let ids = backend
            .list_models()
            .await
            .with_context(|| format!("cannot list the models of backend '{}'", config.name()))?;
        for id in ids {
            if store.get_model(&id).await?.is_none() {
                store
                    .upsert_model(&NewModel {
                        name: id.clone(),
                        backend: config.name().to_string(),
                        upstream_model: id.clone(),
                        min_tier: lowest.name.clone(),
                        description: format!("served by backend '{}'", config.name()),
                    })
                    .await?;
            }
        }
    }
    Ok(())
}

/// Reuses the demo programme when its keys still work; otherwise (first run, or a store that was reset) creates
/// it, keeping existing demo organisations.
async fn ensure_demo_programme(store: &Store, data_dir: &Path) -> anyhow::Result<DemoKeys> {
    let path = data_dir.join(DEMO_FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        if let Ok(keys) = serde_json::from_str::<DemoKeys>(&text) {
            if demo_keys_valid(store, &keys).await? {
                return Ok(keys);
            }
            tracing::warn!("the saved demo keys no longer match the store; issuing new ones");
        }
    }
    let admin = store
        .issue_admin_key("demo administrator (haetae up)")
        .await?;
    let mut member_keys = BTreeMap::new();
    for tier in store.list_tiers().await? {
        let name = demo_org_name(&tier.name);
        let org = match store.get_org(&name).await {
            Ok(org) => org,
            Err(haetae_store::StoreError::NotFound(_)) => {
                store
                    .create_org(&NewOrganisation {
                        name: name.clone(),
                        country: "KR".into(),
                        sector: "demo".into(),
                        tier: Some(tier.name.clone()),
                    })
                    .await?
            }
            Err(e) => return Err(e.into()),
        };
        if org.vetting_state != VettingState::Verified || org.standing_problem(now_unix()).is_some()
        {
            store
                .record_vetting(
                    &org.id,
                    &NewEvidence {
                        reviewer: "haetae up".into(),
                        checked: "demo programme: no real vetting was done".into(),
                        decision: VettingState::Verified,
                        notes: String::new(),
                        expires_at: Some(now_unix() + 365 * 86_400),
                    },
                )
                .await
                .with_context(|| format!("cannot verify {name}"))?;
        }
        let identity = format!("analyst@{}.demo", tier.name);
        let member = match store
            .add_member(
                &org.id,
                &NewMember {
                    identity: identity.clone(),
                    display_name: format!("Demo analyst ({})", tier.name),
                    role: Role::Analyst,
                    identity_verified: true,
                },
            )
            .await
        {
            Ok(m) => m,
            Err(haetae_store::StoreError::Conflict(_)) => {
                let page = store
                    .list_members(&org.id, &haetae_store::Page::first(500))
                    .await?;
                page.data
                    .into_iter()
                    .find(|m| m.identity == identity)
                    .context("demo member vanished")?
            }
            Err(e) => return Err(e.into()),
        };
        let (_, key) = store
            .issue_key(&member.id, "demo key (haetae up)", None)
            .await?;
        member_keys.insert(tier.name.clone(), key.full);
    }
    let keys = DemoKeys {
        admin_key: admin.full,
        member_keys,
    };
    write_private(&path, &serde_json::to_vec_pretty(&keys)?)?;
    Ok(keys)
}

async fn demo_keys_valid(store: &Store, keys: &DemoKeys) -> anyhow::Result<bool> {
    let Ok(admin) = ParsedKey::parse(&keys.admin_key) else {
        return Ok(false);
    };
    match store.lookup_admin_key(admin.public_id).await? {
        Some(rec) if rec.revoked_at.is_none() && admin.matches(&rec.secret_hash) => {}
        _ => return Ok(false),
    }
    for key in keys.member_keys.values() {
        let Ok(parsed) = ParsedKey::parse(key) else {
            return Ok(false);
        };
        match store.lookup_key(parsed.public_id).await? {
            Some(rec) if parsed.matches(&rec.secret_hash) && rec.key.is_usable(now_unix()) => {}
            _ => return Ok(false),
        }
    }
    Ok(!keys.member_keys.is_empty())
}

/// Writes a file readable by its owner only, created with that mode so it is never briefly world-readable.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    // Test setup: a failed step should abort loudly.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use haetae_meter::misuse::{DenialCause, Observation, SignalKind};
    use haetae_meter::{BudgetSpec, LimitSpec, Limits, MeterError, Subjects};

    fn redis_url() -> Option<String> {
        match std::env::var("HAETAE_TEST_REDIS_URL") {
            Ok(u) if !u.trim().is_empty() => Some(u),
            _ => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "HAETAE_TEST_REDIS_URL is not set, and CI=true requires the Redis prefix test"
                );
                eprintln!(
                    "!!!!! SKIPPED: HAETAE_TEST_REDIS_URL is not set; the Redis prefix test did not run !!!!!"
                );
                None
            }
        }
    }

    /// One programme's settings on the shared Redis.
    fn programme(url: &str, prefix: &str) -> Config {
        let mut c = Config {
            meter_redis_url: url.into(),
            meter_redis_prefix: prefix.into(),
            ..Config::default()
        };
        c.misuse.denial_burst.threshold = 3;
        c
    }

    fn denied<T>(r: Result<T, MeterError>) -> bool {
        matches!(r, Err(MeterError::Denied(_)))
    }

    #[tokio::test]
    async fn two_programmes_on_one_redis_keep_their_own_limits_and_windows() {
        let Some(url) = redis_url() else { return };
        let run = haetae_core::new_id().to_lowercase();
        let a = programme(&url, &format!("haetae-test:{run}:a:"));
        let b = programme(&url, &format!("haetae-test:{run}:b:"));
        // The same ids in both programmes: only the prefix keeps their keys apart.
        let who = Subjects::new("key-1", "org-1", "tier-1");
        let rate = Limits {
            key: LimitSpec {
                requests_per_minute: Some(2),
                ..LimitSpec::default()
            },
            ..Limits::default()
        };
        let budget = Limits {
            org_budget: BudgetSpec {
                tokens_per_day: Some(100),
                tokens_per_month: None,
            },
            ..Limits::default()
        };
        let (ma, mb) = (open_meter(&a).await.unwrap(), open_meter(&b).await.unwrap());
        let mut held = Vec::new();
        for _ in 0..2 {
            held.push(ma.reserve(&who, &rate, 1).await.unwrap());
        }
        held.push(ma.reserve(&who, &budget, 100).await.unwrap());
        assert!(denied(ma.reserve(&who, &rate, 1).await));
        assert!(denied(ma.reserve(&who, &budget, 1).await));
        held.push(
            mb.reserve(&who, &rate, 1)
                .await
                .expect("B's rate limit is its own"),
        );
        held.push(
            mb.reserve(&who, &budget, 100)
                .await
                .expect("B's budget is its own"),
        );
        // Another replica of A (the same prefix) shares A's counters: the isolation above is the prefix's doing.
        let a2 = open_meter(&a).await.unwrap();
        assert!(denied(a2.reserve(&who, &rate, 1).await));
        assert!(denied(a2.reserve(&who, &budget, 1).await));

        // Two denials in each programme, three fire: neither has seen three.
        let (da, db) = (
            open_shared_misuse(&a)
                .await
                .unwrap()
                .expect("Redis windows"),
            open_shared_misuse(&b)
                .await
                .unwrap()
                .expect("Redis windows"),
        );
        let now = haetae_meter::Clock::now_ms(&haetae_meter::SystemClock);
        let denial = |i: u64| Observation::denied(now + i, "org-1", "key-1", DenialCause::Policy);
        for i in 0..2 {
            assert!(da.observe(&denial(i)).await.unwrap().is_empty());
            assert!(db.observe(&denial(10 + i)).await.unwrap().is_empty());
        }
        let fired = da.observe(&denial(2)).await.unwrap();
        assert!(
            fired.iter().any(|s| s.kind == SignalKind::DenialBurst),
            "A's third denial fires in A: {fired:?}"
        );
        drop(held);
    }
}
