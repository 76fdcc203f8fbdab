//! Misuse signals: a detector that watches every metered decision and opens
//! [`Signal`]s (which the gateway turns into review items) for
//!
//! * **denial bursts** — many policy denials for one key in a short window;
//! * **use-case probing** — repeated requests for use-cases the key's tier lacks;
//! * **high-risk guard hits** — the classifier flags high-risk use-cases
//!   (exploit development, malware creation, credential theft) repeatedly;
//! * **volume anomalies** — an organisation's token volume far above its own baseline;
//! * **many client addresses** — one key used from many distinct addresses.
//!
//! Evidence is structured (counts, use-case ids, times, addresses) and never contains
//! prompt text. Each (kind, subject) pair fires at most once per cooldown, and its window
//! is cleared when it fires, so one burst opens one signal rather than hundreds.
//!
//! State is per process: with several replicas each sees its share of traffic. Memory is
//! bounded per subject (windows are capped) and idle subjects are forgotten. Replicas that
//! share a Redis use [`crate::misuse_redis::RedisMisuseDetector`] instead (feature `redis`):
//! the same signals and thresholds, with the windows in Redis, so a key spreading its
//! probing over several replicas is flagged as one process would flag it.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

/// Detector thresholds. Every field has a documented default; deserialize from the
/// gateway config's `[misuse]` table, overriding only what you need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MisuseConfig {
    /// Seconds during which a (kind, subject) pair that fired stays quiet. Default 3600.
    pub cooldown_secs: u64,
    /// Denial bursts.
    pub denial_burst: DenialBurstConfig,
    /// Probing of use-cases the tier lacks.
    pub use_case_probing: ProbingConfig,
    /// Guard hits on high-risk use-cases.
    pub high_risk_guard: GuardConfig,
    /// Volume far above the organisation's baseline.
    pub volume: VolumeConfig,
    /// Distinct client addresses per key.
    pub client_addresses: AddressConfig,
}

impl Default for MisuseConfig {
    fn default() -> Self {
        Self {
            cooldown_secs: 3600,
            denial_burst: DenialBurstConfig::default(),
            use_case_probing: ProbingConfig::default(),
            high_risk_guard: GuardConfig::default(),
            volume: VolumeConfig::default(),
            client_addresses: AddressConfig::default(),
        }
    }
}

/// Denial-burst thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DenialBurstConfig {
    /// Default true.
    pub enabled: bool,
    /// Denials of one key within the window that fire. Default 20.
    pub threshold: u32,
    /// Window in seconds. Default 300.
    pub window_secs: u64,
    /// Count rate-limit and quota denials too. Default false: those are capacity, not
    /// trust, problems (a batch job hitting 429 is not misuse).
    pub include_capacity_denials: bool,
}

impl Default for DenialBurstConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            threshold: 20,
            window_secs: 300,
            include_capacity_denials: false,
        }
    }
}

/// Use-case probing thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProbingConfig {
    /// Default true.
    pub enabled: bool,
    /// Out-of-tier requests of one key within the window that fire. Default 5.
    pub attempts: u32,
    /// Distinct out-of-tier use-cases within the window that fire (even with fewer
    /// attempts). Default 3.
    pub distinct_use_cases: u32,
    /// Window in seconds. Default 3600.
    pub window_secs: u64,
}

impl Default for ProbingConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            attempts: 5,
            distinct_use_cases: 3,
            window_secs: 3600,
        }
    }
}

/// High-risk guard-hit thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuardConfig {
    /// Default true.
    pub enabled: bool,
    /// Use-cases considered high-risk (the taxonomy's ids). Default `exploit-development`,
    /// `malware-development`, `credential-theft`, `phishing-and-fraud`, `detection-evasion`,
    /// `critical-infrastructure-attack`.
    pub high_risk_use_cases: Vec<String>,
    /// Hits of one key within the window that fire. Default 3.
    pub threshold: u32,
    /// Window in seconds. Default 3600.
    pub window_secs: u64,
}

impl Default for GuardConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            high_risk_use_cases: vec![
                "exploit-development".into(),
                "malware-development".into(),
                "credential-theft".into(),
                "phishing-and-fraud".into(),
                "detection-evasion".into(),
                "critical-infrastructure-attack".into(),
            ],
            threshold: 3,
            window_secs: 3600,
        }
    }
}

/// Volume-anomaly thresholds (per organisation, tokens per bucket).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VolumeConfig {
    /// Default true.
    pub enabled: bool,
    /// Bucket length in seconds. Default 3600 (hourly volume).
    pub bucket_secs: u64,
    /// Fire when the current bucket exceeds `factor` × baseline. Default 5.0.
    pub factor: f64,
    /// …and at least this many tokens (ignores spikes on tiny baselines). Default 100000.
    pub min_tokens: u64,
    /// Active buckets of history needed before judging. Default 24.
    pub min_history_buckets: u32,
    /// EWMA weight of the newest bucket in the baseline. Default 0.1.
    pub ewma_alpha: f64,
}

impl Default for VolumeConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            bucket_secs: 3600,
            factor: 5.0,
            min_tokens: 100_000,
            min_history_buckets: 24,
            ewma_alpha: 0.1,
        }
    }
}

/// Distinct-address thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AddressConfig {
    /// Default true.
    pub enabled: bool,
    /// Distinct client addresses of one key within the window that fire. Default 10.
    pub threshold: u32,
    /// Window in seconds. Default 3600.
    pub window_secs: u64,
}

impl Default for AddressConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            threshold: 10,
            window_secs: 3600,
        }
    }
}

/// Why a request was denied, as far as misuse detection cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DenialCause {
    /// The classified/declared use-case is not permitted for the organisation's tier.
    UseCaseNotPermitted,
    /// Another policy denial (model tier, scope, suspended, …).
    Policy,
    /// The guard/classifier refused the content.
    Guard,
    /// A rate limit (meter).
    RateLimited,
    /// A token budget (meter).
    Quota,
}

impl DenialCause {
    pub(crate) fn is_capacity(self) -> bool {
        matches!(self, DenialCause::RateLimited | DenialCause::Quota)
    }
}

/// A classifier hit attached to a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardHit {
    /// The use-case the guard assigned.
    pub use_case: String,
    /// Rule or model id that matched (evidence; never the matched text).
    pub rule: Option<String>,
}

/// One request as the detector sees it (built by the gateway after authorise/meter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// When (Unix ms).
    pub at_ms: u64,
    /// Organisation id.
    pub org_id: String,
    /// API key public id.
    pub key_id: String,
    /// Client address, if known.
    pub client_addr: Option<IpAddr>,
    /// `None` = allowed; `Some(cause)` = denied.
    pub denied: Option<DenialCause>,
    /// Use-case requested (declared, else classified), if known.
    pub use_case: Option<String>,
    /// Guard hit, if the classifier matched anything.
    pub guard_hit: Option<GuardHit>,
    /// Tokens consumed (0 for denials).
    pub tokens: u64,
}

impl Observation {
    /// An allowed request.
    pub fn allowed(
        at_ms: u64,
        org_id: impl Into<String>,
        key_id: impl Into<String>,
        tokens: u64,
    ) -> Self {
        Self {
            at_ms,
            org_id: org_id.into(),
            key_id: key_id.into(),
            client_addr: None,
            denied: None,
            use_case: None,
            guard_hit: None,
            tokens,
        }
    }

    /// A denied request.
    pub fn denied(
        at_ms: u64,
        org_id: impl Into<String>,
        key_id: impl Into<String>,
        cause: DenialCause,
    ) -> Self {
        Self {
            denied: Some(cause),
            ..Self::allowed(at_ms, org_id, key_id, 0)
        }
    }

    /// Builder: set the client address.
    pub fn with_addr(mut self, addr: IpAddr) -> Self {
        self.client_addr = Some(addr);
        self
    }

    /// Builder: set the use-case.
    pub fn with_use_case(mut self, uc: impl Into<String>) -> Self {
        self.use_case = Some(uc.into());
        self
    }

    /// Builder: set a guard hit.
    pub fn with_guard_hit(mut self, use_case: impl Into<String>, rule: Option<String>) -> Self {
        self.guard_hit = Some(GuardHit {
            use_case: use_case.into(),
            rule,
        });
        self
    }
}

/// Kind of misuse signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// Many denials in a short window.
    DenialBurst,
    /// Repeated requests for use-cases the tier lacks.
    UseCaseProbing,
    /// Repeated guard hits on high-risk use-cases.
    HighRiskGuardHit,
    /// Volume far above the organisation's own baseline.
    VolumeAnomaly,
    /// A key used from many client addresses.
    ManyClientAddresses,
    /// The access policy sent a request to human review (a `review` decision).
    PolicyReview,
}

impl SignalKind {
    /// Stable snake_case id.
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::DenialBurst => "denial_burst",
            SignalKind::UseCaseProbing => "use_case_probing",
            SignalKind::HighRiskGuardHit => "high_risk_guard_hit",
            SignalKind::VolumeAnomaly => "volume_anomaly",
            SignalKind::ManyClientAddresses => "many_client_addresses",
            SignalKind::PolicyReview => "policy_review",
        }
    }
}

/// What a signal is about. Key subjects carry their organisation so a reviewer can
/// escalate to the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SignalSubject {
    /// An API key.
    Key {
        /// Key public id.
        key_id: String,
        /// Its organisation.
        org_id: String,
    },
    /// An organisation.
    Org {
        /// Organisation id.
        org_id: String,
    },
}

impl SignalSubject {
    /// The organisation concerned.
    pub fn org_id(&self) -> &str {
        match self {
            SignalSubject::Key { org_id, .. } | SignalSubject::Org { org_id } => org_id,
        }
    }

    /// The key concerned, if the subject is a key.
    pub fn key_id(&self) -> Option<&str> {
        match self {
            SignalSubject::Key { key_id, .. } => Some(key_id),
            SignalSubject::Org { .. } => None,
        }
    }

    pub(crate) fn label(&self) -> String {
        match self {
            SignalSubject::Key { key_id, .. } => format!("key:{key_id}"),
            SignalSubject::Org { org_id } => format!("org:{org_id}"),
        }
    }
}

/// How urgent a signal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look.
    Low,
    /// Review soon.
    Medium,
    /// Review now.
    High,
}

/// Structured evidence (no prompt text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// Denial burst.
    DenialBurst {
        /// Denials counted in the window.
        denials: u32,
        /// Window in seconds.
        window_secs: u64,
        /// First and last counted denial (Unix ms).
        first_at_ms: u64,
        /// Last counted denial.
        last_at_ms: u64,
        /// Denials by cause.
        by_cause: BTreeMap<DenialCause, u32>,
    },
    /// Use-case probing.
    UseCaseProbing {
        /// Out-of-tier requests in the window.
        attempts: u32,
        /// Window in seconds.
        window_secs: u64,
        /// Attempts per use-case.
        use_cases: BTreeMap<String, u32>,
    },
    /// High-risk guard hits.
    HighRiskGuardHit {
        /// Hits in the window.
        hits: u32,
        /// Window in seconds.
        window_secs: u64,
        /// Hits per use-case.
        use_cases: BTreeMap<String, u32>,
        /// Rule / model ids that matched.
        rules: BTreeSet<String>,
        /// Hits on requests that were nonetheless allowed (the tier permits them).
        allowed: u32,
    },
    /// Volume anomaly.
    VolumeAnomaly {
        /// Start of the current bucket (Unix ms).
        bucket_start_ms: u64,
        /// Bucket length in seconds.
        bucket_secs: u64,
        /// Tokens so far in the current bucket.
        tokens: u64,
        /// Baseline tokens per active bucket.
        baseline_tokens: f64,
        /// tokens / baseline.
        ratio: f64,
    },
    /// Many client addresses.
    ManyClientAddresses {
        /// Distinct addresses in the window.
        distinct: u32,
        /// Window in seconds.
        window_secs: u64,
        /// Up to 20 of the addresses (sorted).
        sample: Vec<IpAddr>,
    },
    /// A request the access policy held for review.
    PolicyReview {
        /// The held request (its ledger entry has the same id).
        request_id: String,
        /// The model asked for.
        model: String,
        /// The policies that decided "review".
        policy_ids: Vec<String>,
        /// The use-cases the request was authorised against (classified and declared).
        use_cases: Vec<String>,
    },
}

/// A misuse signal; the gateway opens a review item for it (see [`crate::review`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// Unique id (UUIDv7, time-ordered).
    pub id: uuid::Uuid,
    /// Kind.
    pub kind: SignalKind,
    /// Key or organisation.
    pub subject: SignalSubject,
    /// Urgency.
    pub severity: Severity,
    /// When it fired (Unix ms).
    pub at_ms: u64,
    /// Evidence.
    pub evidence: Evidence,
}

impl Signal {
    /// The signal for a request the access policy held for review. One open item per key collects them.
    pub fn policy_review(
        at_ms: u64,
        org_id: impl Into<String>,
        key_id: impl Into<String>,
        request_id: impl Into<String>,
        model: impl Into<String>,
        policy_ids: Vec<String>,
        use_cases: Vec<String>,
    ) -> Self {
        Signal {
            id: uuid::Uuid::now_v7(),
            kind: SignalKind::PolicyReview,
            subject: SignalSubject::Key {
                key_id: key_id.into(),
                org_id: org_id.into(),
            },
            severity: Severity::Medium,
            at_ms,
            evidence: Evidence::PolicyReview {
                request_id: request_id.into(),
                model: model.into(),
                policy_ids,
                use_cases,
            },
        }
    }

    /// `kind:subject` — the store can keep at most one *open* review item per dedup key
    /// and attach later signals to it.
    pub fn dedup_key(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.subject.label())
    }
}

#[derive(Debug, Default)]
struct KeyState {
    last_seen_ms: u64,
    denials: VecDeque<(u64, DenialCause)>,
    probes: VecDeque<(u64, String)>,
    guard_hits: VecDeque<(u64, String, Option<String>, bool)>,
    addrs: HashMap<IpAddr, u64>,
}

#[derive(Debug, Default)]
struct OrgVolume {
    bucket: u64,
    tokens: u64,
    baseline: f64,
    history: u32,
    last_seen_ms: u64,
}

#[derive(Debug, Default)]
struct State {
    keys: HashMap<String, KeyState>,
    orgs: HashMap<String, OrgVolume>,
    last_fired: HashMap<String, u64>,
    last_prune_ms: u64,
}

/// Upper bound on remembered entries per key window (memory bound against floods).
pub(crate) const MAX_WINDOW_ENTRIES: usize = 1024;
/// Prune idle subjects at most this often (ms).
const PRUNE_INTERVAL_MS: u64 = 300_000;
/// Forget organisations' baselines after this long without traffic (ms): 30 days.
pub(crate) const ORG_IDLE_MS: u64 = 30 * 86_400_000;

/// The misuse detector. Thread-safe; share one per gateway process.
#[derive(Debug, Default)]
pub struct MisuseDetector {
    config: MisuseConfig,
    state: Mutex<State>,
}

fn trim_window<T>(q: &mut VecDeque<T>, now: u64, window_ms: u64, at: impl Fn(&T) -> u64) {
    while q
        .front()
        .is_some_and(|e| at(e).saturating_add(window_ms) <= now)
    {
        q.pop_front();
    }
    while q.len() > MAX_WINDOW_ENTRIES {
        q.pop_front();
    }
}

impl MisuseDetector {
    /// A detector with `config`.
    pub fn new(config: MisuseConfig) -> Self {
        Self {
            config,
            state: Mutex::new(State::default()),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &MisuseConfig {
        &self.config
    }

    /// Feed one request; returns the signals it opens (usually none).
    pub fn observe(&self, obs: &Observation) -> Vec<Signal> {
        let cfg = &self.config;
        let now = obs.at_ms;
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let st = &mut *st;
        if now.saturating_sub(st.last_prune_ms) >= PRUNE_INTERVAL_MS {
            prune(st, cfg, now);
        }
        let mut out = Vec::new();
        let key_subject = || SignalSubject::Key {
            key_id: obs.key_id.clone(),
            org_id: obs.org_id.clone(),
        };
        let ks = st.keys.entry(obs.key_id.clone()).or_default();
        ks.last_seen_ms = ks.last_seen_ms.max(now);

        // 1. Denial bursts.
        if cfg.denial_burst.enabled
            && let Some(cause) = obs.denied
            && (cfg.denial_burst.include_capacity_denials || !cause.is_capacity())
        {
            let w = cfg.denial_burst.window_secs.saturating_mul(1000);
            ks.denials.push_back((now, cause));
            trim_window(&mut ks.denials, now, w, |e| e.0);
            if ks.denials.len() >= cfg.denial_burst.threshold.max(1) as usize {
                let mut by_cause = BTreeMap::new();
                for (_, c) in &ks.denials {
                    *by_cause.entry(*c).or_insert(0u32) += 1;
                }
                let denials = u32::try_from(ks.denials.len()).unwrap_or(u32::MAX);
                let ev = Evidence::DenialBurst {
                    denials,
                    window_secs: cfg.denial_burst.window_secs,
                    first_at_ms: ks.denials.front().map_or(now, |e| e.0),
                    last_at_ms: now,
                    by_cause,
                };
                let sev = if denials >= cfg.denial_burst.threshold.saturating_mul(3) {
                    Severity::High
                } else {
                    Severity::Medium
                };
                ks.denials.clear();
                out.push((SignalKind::DenialBurst, key_subject(), sev, ev));
            }
        }

        // 2. Probing of use-cases the tier lacks.
        if cfg.use_case_probing.enabled && obs.denied == Some(DenialCause::UseCaseNotPermitted) {
            let w = cfg.use_case_probing.window_secs.saturating_mul(1000);
            let uc = obs.use_case.clone().unwrap_or_else(|| "unknown".into());
            ks.probes.push_back((now, uc));
            trim_window(&mut ks.probes, now, w, |e| e.0);
            let mut use_cases: BTreeMap<String, u32> = BTreeMap::new();
            for (_, u) in &ks.probes {
                *use_cases.entry(u.clone()).or_insert(0) += 1;
            }
            let attempts = u32::try_from(ks.probes.len()).unwrap_or(u32::MAX);
            let distinct = u32::try_from(use_cases.len()).unwrap_or(u32::MAX);
            if attempts >= cfg.use_case_probing.attempts.max(1)
                || distinct >= cfg.use_case_probing.distinct_use_cases.max(1)
            {
                let sev = if distinct >= cfg.use_case_probing.distinct_use_cases.max(1) {
                    Severity::High
                } else {
                    Severity::Medium
                };
                ks.probes.clear();
                out.push((
                    SignalKind::UseCaseProbing,
                    key_subject(),
                    sev,
                    Evidence::UseCaseProbing {
                        attempts,
                        window_secs: cfg.use_case_probing.window_secs,
                        use_cases,
                    },
                ));
            }
        }

        // 3. Guard hits on high-risk use-cases.
        if cfg.high_risk_guard.enabled
            && let Some(hit) = &obs.guard_hit
            && cfg
                .high_risk_guard
                .high_risk_use_cases
                .iter()
                .any(|u| u == &hit.use_case)
        {
            let w = cfg.high_risk_guard.window_secs.saturating_mul(1000);
            ks.guard_hits.push_back((
                now,
                hit.use_case.clone(),
                hit.rule.clone(),
                obs.denied.is_none(),
            ));
            trim_window(&mut ks.guard_hits, now, w, |e| e.0);
            if ks.guard_hits.len() >= cfg.high_risk_guard.threshold.max(1) as usize {
                let mut use_cases: BTreeMap<String, u32> = BTreeMap::new();
                let mut rules = BTreeSet::new();
                let mut allowed = 0u32;
                for (_, u, r, a) in &ks.guard_hits {
                    *use_cases.entry(u.clone()).or_insert(0) += 1;
                    if let Some(r) = r {
                        rules.insert(r.clone());
                    }
                    allowed += u32::from(*a);
                }
                let hits = u32::try_from(ks.guard_hits.len()).unwrap_or(u32::MAX);
                ks.guard_hits.clear();
                out.push((
                    SignalKind::HighRiskGuardHit,
                    key_subject(),
                    Severity::High,
                    Evidence::HighRiskGuardHit {
                        hits,
                        window_secs: cfg.high_risk_guard.window_secs,
                        use_cases,
                        rules,
                        allowed,
                    },
                ));
            }
        }

        // 4. Many client addresses.
        if cfg.client_addresses.enabled
            && let Some(addr) = obs.client_addr
        {
            let w = cfg.client_addresses.window_secs.saturating_mul(1000);
            ks.addrs.insert(addr, now);
            let threshold = cfg.client_addresses.threshold.max(1) as usize;
            if ks.addrs.len() >= threshold {
                ks.addrs.retain(|_, seen| seen.saturating_add(w) > now);
            }
            if ks.addrs.len() > MAX_WINDOW_ENTRIES {
                // Keep the most recent ones; the count already exceeds any sane threshold.
                let mut v: Vec<(IpAddr, u64)> = ks.addrs.drain().collect();
                v.sort_by_key(|e| std::cmp::Reverse(e.1));
                v.truncate(MAX_WINDOW_ENTRIES);
                ks.addrs.extend(v);
            }
            if ks.addrs.len() >= threshold {
                let mut sample: Vec<IpAddr> = ks.addrs.keys().copied().collect();
                sample.sort();
                sample.truncate(20);
                let distinct = u32::try_from(ks.addrs.len()).unwrap_or(u32::MAX);
                ks.addrs.clear();
                let sev = if distinct as usize >= threshold.saturating_mul(3) {
                    Severity::High
                } else {
                    Severity::Medium
                };
                out.push((
                    SignalKind::ManyClientAddresses,
                    key_subject(),
                    sev,
                    Evidence::ManyClientAddresses {
                        distinct,
                        window_secs: cfg.client_addresses.window_secs,
                        sample,
                    },
                ));
            }
        }

        // 5. Organisation volume against its own baseline.
        if cfg.volume.enabled && obs.tokens > 0 {
            let v = &cfg.volume;
            let bucket_ms = v.bucket_secs.max(1).saturating_mul(1000);
            let bucket = now / bucket_ms;
            let org = st.orgs.entry(obs.org_id.clone()).or_default();
            org.last_seen_ms = org.last_seen_ms.max(now);
            if bucket > org.bucket {
                // Close the previous bucket into the baseline. Empty buckets (nights,
                // weekends) are skipped: the baseline is the volume of an *active* bucket,
                // so a normal morning after a quiet night does not look anomalous.
                if org.tokens > 0 {
                    let t = org.tokens as f64;
                    org.baseline = if org.history == 0 {
                        t
                    } else {
                        v.ewma_alpha * t + (1.0 - v.ewma_alpha) * org.baseline
                    };
                    org.history = org.history.saturating_add(1);
                }
                org.bucket = bucket;
                org.tokens = 0;
            }
            // Out-of-order observations from an older bucket are counted in the current one.
            org.tokens = org.tokens.saturating_add(obs.tokens);
            if org.history >= v.min_history_buckets
                && org.tokens >= v.min_tokens
                && org.baseline > 0.0
            {
                let ratio = org.tokens as f64 / org.baseline;
                if ratio > v.factor {
                    let sev = if ratio > v.factor * 2.0 {
                        Severity::High
                    } else {
                        Severity::Medium
                    };
                    out.push((
                        SignalKind::VolumeAnomaly,
                        SignalSubject::Org {
                            org_id: obs.org_id.clone(),
                        },
                        sev,
                        Evidence::VolumeAnomaly {
                            bucket_start_ms: bucket.saturating_mul(bucket_ms),
                            bucket_secs: v.bucket_secs,
                            tokens: org.tokens,
                            baseline_tokens: org.baseline,
                            ratio,
                        },
                    ));
                }
            }
        }

        // De-duplicate: one signal per (kind, subject) per cooldown.
        let cooldown = cfg.cooldown_secs.saturating_mul(1000);
        let mut signals = Vec::with_capacity(out.len());
        for (kind, subject, severity, evidence) in out {
            let dedup = format!("{}:{}", kind.as_str(), subject.label());
            if st
                .last_fired
                .get(&dedup)
                .is_some_and(|t| now < t.saturating_add(cooldown))
            {
                continue;
            }
            st.last_fired.insert(dedup, now);
            signals.push(Signal {
                id: uuid::Uuid::now_v7(),
                kind,
                subject,
                severity,
                at_ms: now,
                evidence,
            });
        }
        signals
    }

    /// Forget idle subjects now (also done automatically every few minutes).
    pub fn prune(&self, now_ms: u64) {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        prune(&mut st, &self.config, now_ms);
    }

    /// Number of keys and organisations tracked (for metrics and memory tests).
    pub fn tracked(&self) -> (usize, usize) {
        let st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        (st.keys.len(), st.orgs.len())
    }
}

fn prune(st: &mut State, cfg: &MisuseConfig, now: u64) {
    st.last_prune_ms = now;
    let longest = [
        cfg.denial_burst.window_secs,
        cfg.use_case_probing.window_secs,
        cfg.high_risk_guard.window_secs,
        cfg.client_addresses.window_secs,
    ]
    .into_iter()
    .max()
    .unwrap_or(0)
    .saturating_mul(1000);
    st.keys
        .retain(|_, k| k.last_seen_ms.saturating_add(longest) > now);
    st.orgs
        .retain(|_, o| o.last_seen_ms.saturating_add(ORG_IDLE_MS) > now);
    let cooldown = cfg.cooldown_secs.saturating_mul(1000);
    st.last_fired
        .retain(|_, t| t.saturating_add(cooldown) > now);
}
