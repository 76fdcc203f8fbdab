//! `haetae.toml` and its environment overrides.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty: a SQLite file in the data directory.
    pub store_url: String,
    pub max_body_bytes: usize,
    pub request_timeout_secs: u64,
    /// `text` or `json`.
    pub log_format: String,
    /// The ledger's origin line (the log's name in its checkpoints), conventionally `<host>/ledger`.
    pub ledger_origin: String,
    /// Verifier keys (`name+hash+key`, type cosignature/v1) of the witnesses whose cosignatures the ledger accepts.
    pub ledger_witnesses: Vec<String>,
    /// Cosignatures from distinct witnesses a checkpoint needs before it counts (0: none; at most the number of
    /// witnesses).
    pub ledger_required_cosignatures: usize,
    /// Longest a witnessing round waits for a witness that has not cosigned yet; witnesses must poll more often.
    pub ledger_witness_round_secs: u64,
    /// `file` (the log in `<data_dir>/ledger`) or `postgres` (one log shared by every replica, in
    /// `ledger_postgres_url`; the replicas need the same ledger keys).
    pub ledger_backend: String,
    /// `postgres://…` of the shared ledger; empty: `store_url` (which must then be PostgreSQL).
    pub ledger_postgres_url: String,
    /// Schema of the shared ledger's tables (one schema, one log).
    pub ledger_postgres_schema: String,
    /// Whether this replica stands for election as the shared ledger's integrator.
    pub ledger_integrate: bool,
    /// Rotating the shared ledger's log key: the retiring key's verifier string (`log.pub`'s content). Empty: no
    /// rotation (a replica whose key is not the log's refuses to start). See docs/ledger.md.
    pub ledger_postgres_rotate_from: String,
    /// Seconds the shared ledger keeps the cosignatures of a witness missing from `ledger_witnesses` after its
    /// last one (long enough for a change of the list to reach every replica). See docs/ledger.md.
    pub ledger_postgres_retired_witness_secs: u64,
    pub backends: Vec<BackendConfig>,
    /// The programme's Cedar policies; empty: `<data_dir>/policies`, written from the default programme on
    /// first start. Reloaded when the files change.
    pub policy_dir: String,
    pub guard: GuardSettings,
    /// `redis://…` to share rate-limit and budget counters between gateway replicas; empty: in-process.
    pub meter_redis_url: String,
    /// Prefix of every Redis key and channel this programme uses (counters, misuse windows, policy sync), so
    /// several programmes can share one Redis; every replica of one programme needs the same.
    pub meter_redis_prefix: String,
    pub meter: haetae_meter::MeterConfig,
    pub misuse: haetae_meter::misuse::MisuseConfig,
    /// Seconds between writes of usage counters to the store.
    pub usage_flush_secs: u64,
    pub stages: haetae_gateway::Stages,
    /// The console's origin as browsers reach it (`https://console.cert.example`); its host is the passkeys'
    /// relying party. Empty: `http://localhost:<port>` (an IP address cannot hold passkeys).
    pub console_origin: String,
}

/// The guard's optional model stage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuardSettings {
    /// A catalogue model to ask after the rules (Llama-Guard style); empty: rules only.
    pub model: String,
    /// Longest the guard model may take; past it the request is refused.
    pub timeout_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("haetae-data"),
            store_url: String::new(),
            max_body_bytes: 4 * 1024 * 1024,
            request_timeout_secs: 300,
            log_format: "text".into(),
            ledger_origin: "haetae.local/ledger".into(),
            ledger_witnesses: Vec::new(),
            ledger_required_cosignatures: 0,
            ledger_witness_round_secs: 30,
            ledger_backend: "file".into(),
            ledger_postgres_url: String::new(),
            ledger_postgres_schema: "haetae_ledger".into(),
            ledger_integrate: true,
            ledger_postgres_rotate_from: String::new(),
            ledger_postgres_retired_witness_secs: 7 * 24 * 3600,
            backends: Vec::new(),
            policy_dir: String::new(),
            guard: GuardSettings {
                model: String::new(),
                timeout_secs: 10,
            },
            meter_redis_url: String::new(),
            meter_redis_prefix: "haetae:".into(),
            meter: haetae_meter::MeterConfig::default(),
            misuse: haetae_meter::misuse::MisuseConfig::default(),
            usage_flush_secs: 5,
            stages: haetae_gateway::Stages::default(),
            console_origin: String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BackendConfig {
    /// Any OpenAI-compatible server.
    Openai {
        name: String,
        base_url: String,
        /// Environment variable holding the upstream's API key (the key itself never goes in the file).
        #[serde(default)]
        api_key_env: Option<String>,
        #[serde(default = "default_connect_timeout")]
        connect_timeout_secs: u64,
        #[serde(default = "default_read_timeout")]
        read_timeout_secs: u64,
    },
    /// A GGUF model run inside the gateway process.
    Embedded {
        name: String,
        /// Path to a GGUF file; absent: the default SmolLM2-135M-Instruct, fetched on first use.
        #[serde(default)]
        model_path: Option<PathBuf>,
        /// Generations run at once.
        #[serde(default = "one")]
        parallel: usize,
        /// Requests waiting beyond those; more are refused with 503.
        #[serde(default = "default_queue")]
        queue_depth: usize,
        /// CPU threads per generation; 0: all cores.
        #[serde(default)]
        threads: usize,
        #[serde(default = "default_context")]
        context_len: usize,
    },
}

fn default_connect_timeout() -> u64 {
    5
}
fn default_read_timeout() -> u64 {
    120
}
fn one() -> usize {
    1
}
fn default_queue() -> usize {
    8
}
fn default_context() -> usize {
    2048
}

impl BackendConfig {
    pub fn name(&self) -> &str {
        match self {
            BackendConfig::Openai { name, .. } | BackendConfig::Embedded { name, .. } => name,
        }
    }
}

impl Config {
    /// Defaults, then the file (if given or present as ./haetae.toml), then `HAETAE_*` environment variables
    /// (`HAETAE_LISTEN`, `HAETAE_DATA_DIR`, `HAETAE_STORE_URL`, `HAETAE_MAX_BODY_BYTES`, …).
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match path {
            Some(p) => {
                anyhow::ensure!(
                    p.exists(),
                    "the configuration file {} does not exist",
                    p.display()
                );
                figment = figment.merge(Toml::file(p));
            }
            None if Path::new("haetae.toml").exists() => {
                figment = figment.merge(Toml::file("haetae.toml"))
            }
            None => {}
        }
        let keys = [
            "listen",
            "data_dir",
            "store_url",
            "max_body_bytes",
            "request_timeout_secs",
            "log_format",
            "policy_dir",
            "meter_redis_url",
            "meter_redis_prefix",
            "usage_flush_secs",
            "ledger_required_cosignatures",
            "ledger_witness_round_secs",
            "ledger_backend",
            "ledger_postgres_url",
            "ledger_postgres_schema",
            "ledger_integrate",
            "ledger_postgres_rotate_from",
            "ledger_postgres_retired_witness_secs",
        ];
        figment = figment.merge(Env::prefixed("HAETAE_").only(&keys));
        figment.extract().context("invalid configuration")
    }

    pub fn policy_dir(&self) -> PathBuf {
        if self.policy_dir.trim().is_empty() {
            self.data_dir.join("policies")
        } else {
            PathBuf::from(&self.policy_dir)
        }
    }

    /// `meter_redis_prefix`, refused when empty or holding spaces or control characters (an empty prefix would
    /// put the programme's keys among anyone else's).
    pub fn meter_redis_prefix(&self) -> anyhow::Result<&str> {
        let p = self.meter_redis_prefix.as_str();
        anyhow::ensure!(
            !p.is_empty() && !p.chars().any(|c| c.is_whitespace() || c.is_control()),
            "meter_redis_prefix must be non-empty, without spaces or control characters (got {p:?})"
        );
        Ok(p)
    }

    pub fn store_url(&self) -> String {
        if self.store_url.trim().is_empty() {
            format!("sqlite://{}", self.data_dir.join("haetae.db").display())
        } else {
            self.store_url.clone()
        }
    }
}

/// The commented file `haetae init` writes.
pub const TEMPLATE: &str = r#"# Haetae configuration. Most top-level settings can be overridden by an environment variable named
# HAETAE_<SETTING> (e.g. HAETAE_LISTEN=0.0.0.0:8080; the README lists which: not ledger_origin, ledger_witnesses or
# the tables). Command-line flags override both.

# Where the gateway listens.
listen = "127.0.0.1:8080"

# Where Haetae keeps its data: the SQLite store, the demo programme's keys (mode 0600), the ledger.
data_dir = "haetae-data"

# The programme store. Empty: an embedded SQLite file in data_dir. For several gateway replicas use PostgreSQL:
# store_url = "postgres://haetae@db.internal/haetae"
store_url = ""

# Largest request body accepted, in bytes (larger requests get 413).
max_body_bytes = 4194304

# Longest a model call may take before the caller gets 504.
request_timeout_secs = 300

# Log format: "text" or "json". Prompt text is never logged.
log_format = "text"

# The transparency ledger's name in its signed checkpoints. Its keys are created in data_dir/ledger/ on first
# start: log.key (signing key, keep secret), log.pub (publish this), digest.key (HMAC key for body digests).
ledger_origin = "haetae.local/ledger"

# Witnesses: independent parties that check each checkpoint is consistent with the last one they cosigned, and
# cosign it (`haetae witness init|cosign|run`, docs/ledger.md). List their verifier keys; the gateway refuses
# cosignatures from anyone else. A checkpoint counts (/ledger/checkpoint/witnessed) once it carries
# ledger_required_cosignatures of them. Witnesses must poll more often than every ledger_witness_round_secs.
# ledger_witnesses = ["witness.example.org+1a2b3c4d+BP...", "cert.example.kr/witness+5e6f7a8b+BJ..."]
ledger_witnesses = []
ledger_required_cosignatures = 0
ledger_witness_round_secs = 30

# Where the ledger lives. "file": data_dir/ledger (one machine). "postgres": one log for every gateway replica,
# in ledger_postgres_url (empty: store_url), schema ledger_postgres_schema; every replica needs the same
# data_dir/ledger/log.key, digest.key and commit.key (copy them from the first). One replica at a time (elected)
# builds the tree and signs checkpoints; ledger_integrate = false keeps a replica out of that election.
ledger_backend = "file"
ledger_postgres_url = ""
ledger_postgres_schema = "haetae_ledger"
ledger_integrate = true
# Rotating the shared log's key (docs/ledger.md): the retiring key (its log.pub line) on the one replica started
# first with the new log.key; empty otherwise.
ledger_postgres_rotate_from = ""
# A witness removed from ledger_witnesses cosigns nothing more; the shared log deletes its cosignatures this many
# seconds after its last one (7 days; a replica that still lists it keeps counting it until then).
ledger_postgres_retired_witness_secs = 604800

# The programme's access policies (Cedar). Empty: data_dir/policies, written from the default programme on first
# start. Edit the files and the gateway reloads them within a second (an invalid change is refused and logged;
# the previous policies stay in force). Check changes first with `haetae policy validate --dir …`.
policy_dir = ""

# Rate-limit and budget counters. Empty: in this process. Several gateway replicas share them through Redis:
# meter_redis_url = "redis://127.0.0.1:6379"
meter_redis_url = ""
# Every Redis key and channel of this programme starts with this, so two programmes can share one Redis (each
# with its own prefix); all replicas of one programme need the same.
meter_redis_prefix = "haetae:"

# Seconds between writes of the usage counters to the store.
usage_flush_secs = 5

# The console (/console) as browsers reach it; its host name is the relying party of the operators' and owners'
# passkeys, so it must not change once they enrol. Empty: http://localhost:<port>.
# console_origin = "https://console.cert.example"
console_origin = ""

# The guard's optional second stage: a catalogue model asked to classify every request (Llama-Guard style).
# If it fails or takes longer than timeout_secs, the request is refused, never waved through.
[guard]
model = ""
timeout_secs = 10

# Reservations not settled within lease_ttl_secs are reclaimed (a crashed replica cannot hold budget forever).
[meter]
lease_ttl_secs = 900
on_drop = "release"
budget_retention_days = 35

# Misuse signals that open review items. Every threshold is documented in docs/metering.md.
[misuse.denial_burst]
threshold = 20
window_secs = 300

[misuse.use_case_probing]
attempts = 5
distinct_use_cases = 3
window_secs = 3600

[misuse.high_risk_guard]
threshold = 3
window_secs = 3600

[misuse.volume]
factor = 5.0
min_tokens = 100000

[misuse.client_addresses]
threshold = 10
window_secs = 3600

# Pipeline stages. Authentication and the deny-by-default tier floor always run; switching a stage off is for
# measuring its cost, never for production.
[stages]
guard = true
policy = true
meter = true
ledger = true

# Model backends. Catalogue entries (`haetae model add`) name one of these.
#
# An OpenAI-compatible upstream (OpenAI, vLLM, llama.cpp server, Ollama, another Haetae):
# [[backends]]
# kind = "openai"
# name = "upstream"
# base_url = "http://127.0.0.1:8000/v1"
# api_key_env = "UPSTREAM_API_KEY"     # the variable holding the key; the key never goes in this file
# connect_timeout_secs = 5
# read_timeout_secs = 120
#
# The embedded model, run in-process on CPU (default: SmolLM2-135M-Instruct, fetched on first use):
[[backends]]
kind = "embedded"
name = "embedded"
# model_path = "/path/to/model.gguf"
parallel = 1
queue_depth = 8
threads = 0          # 0: all cores
context_len = 2048
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses_to_the_defaults() {
        let parsed: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string(TEMPLATE))
            .extract()
            .expect("template parses");
        assert_eq!(parsed.listen, Config::default().listen);
        assert_eq!(parsed.backends.len(), 1);
        assert_eq!(parsed.backends[0].name(), "embedded");
        assert_eq!(parsed.meter_redis_prefix, "haetae:");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's own test-jail error type
    fn environment_overrides_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "haetae.toml",
                "listen = \"127.0.0.1:9000\"\nmax_body_bytes = 10\n",
            )?;
            jail.set_env("HAETAE_LISTEN", "127.0.0.1:9100");
            jail.set_env("HAETAE_METER_REDIS_PREFIX", "cert-b:");
            let config = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(config.listen.port(), 9100);
            assert_eq!(config.max_body_bytes, 10);
            assert!(config.store_url().starts_with("sqlite://"));
            assert_eq!(
                config.meter_redis_prefix().map_err(|e| e.to_string())?,
                "cert-b:"
            );
            Ok(())
        });
    }

    #[test]
    fn an_empty_or_spaced_redis_prefix_is_refused() {
        for bad in ["", "two words:", "tab\t:"] {
            let c = Config {
                meter_redis_prefix: bad.into(),
                ..Config::default()
            };
            assert!(c.meter_redis_prefix().is_err(), "{bad:?}");
        }
        assert_eq!(Config::default().meter_redis_prefix().ok(), Some("haetae:"));
    }
}
