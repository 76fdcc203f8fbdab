//! Misuse windows shared by every gateway replica through Redis.
//!
//! [`crate::misuse::MisuseDetector`] keeps its windows in the process, so a key that spreads
//! its probing over three replicas shows each of them a third of the pattern and is never
//! flagged. [`RedisMisuseDetector`] runs the same signals with the same thresholds, but
//! keeps the windows, the organisation baselines and the cooldowns in Redis: one Lua script
//! per observation (atomic, so replicas never interleave inside one decision) pushes the
//! observation, trims its windows, decides what fires and clears what fired — the same
//! steps, in the same order, as the in-process detector. Fed the same observations in the
//! same order, any number of replicas together open exactly the signals one in-process
//! detector would open.
//!
//! Layout (all names under the detector's prefix; every key carries a TTL, so Redis memory
//! stays bounded by the active keys and organisations):
//! * `{p}mu:k:<key>:d` / `:p` / `:g` — lists of `<ms>|<json>` (denials, out-of-tier
//!   use-cases, high-risk guard hits), capped at 1024 entries, expiring one window after
//!   the last push;
//! * `{p}mu:k:<key>:a` — hash client address → last seen ms;
//! * `{p}mu:o:<org>` — hash `bucket`, `tokens`, `baseline`, `history` (volume baseline),
//!   expiring after 30 days without traffic;
//! * `{p}mu:f:<kind>:<subject>` — the last time that (kind, subject) fired, expiring with
//!   the cooldown.
//!
//! Times are the observations' own (the gateways' clocks), as in the in-process detector;
//! the TTLs only reclaim memory of idle subjects.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::sync::LazyLock;

use redis::Script;
use redis::aio::ConnectionManager;

use crate::backend::BackendError;
use crate::misuse::{
    DenialCause, Evidence, MAX_WINDOW_ENTRIES, MisuseConfig, ORG_IDLE_MS, Observation, Severity,
    Signal, SignalKind, SignalSubject,
};

const OBSERVE_LUA: &str = r#"
local now = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local cooldown = tonumber(ARGV[3])
local org_idle = tonumber(ARGV[4])
local out = {}

local function ts(e) return tonumber(string.match(e, '^(%d+)|')) or 0 end

-- Push, drop expired entries from the front, cap the length: trim_window in misuse.rs.
local function window(k, entry, w)
  redis.call('RPUSH', k, entry)
  while true do
    local f = redis.call('LINDEX', k, 0)
    if not f then break end
    if ts(f) + w <= now then redis.call('LPOP', k) else break end
  end
  local n = redis.call('LLEN', k)
  if n > cap then
    redis.call('LTRIM', k, n - cap, -1)
    n = cap
  end
  redis.call('PEXPIRE', k, w + 1000)
  return n
end

-- One signal per (kind, subject) per cooldown.
local function cool(k)
  local last = tonumber(redis.call('GET', k) or '')
  if last and now < last + cooldown then return false end
  redis.call('SET', k, ARGV[1], 'PX', cooldown + 1000)
  return true
end

local function emit(tag, items)
  out[#out + 1] = tag
  out[#out + 1] = tostring(#items)
  for _, v in ipairs(items) do out[#out + 1] = v end
end

-- 1. Denial bursts.
if ARGV[5] == '1' then
  local k = KEYS[1]
  local n = window(k, ARGV[6], tonumber(ARGV[7]))
  if n >= tonumber(ARGV[8]) then
    local items = redis.call('LRANGE', k, 0, -1)
    redis.call('DEL', k)
    if cool(KEYS[6]) then emit('d', items) end
  end
end

-- 2. Probing of use-cases the tier lacks.
if ARGV[9] == '1' then
  local k = KEYS[2]
  local n = window(k, ARGV[10], tonumber(ARGV[11]))
  local items = redis.call('LRANGE', k, 0, -1)
  local seen = {}
  local distinct = 0
  for _, e in ipairs(items) do
    local uc = string.match(e, '^%d+|(.*)$') or ''
    if not seen[uc] then seen[uc] = true; distinct = distinct + 1 end
  end
  if n >= tonumber(ARGV[12]) or distinct >= tonumber(ARGV[13]) then
    redis.call('DEL', k)
    if cool(KEYS[7]) then emit('p', items) end
  end
end

-- 3. Guard hits on high-risk use-cases.
if ARGV[14] == '1' then
  local k = KEYS[3]
  local n = window(k, ARGV[15], tonumber(ARGV[16]))
  if n >= tonumber(ARGV[17]) then
    local items = redis.call('LRANGE', k, 0, -1)
    redis.call('DEL', k)
    if cool(KEYS[8]) then emit('g', items) end
  end
end

-- 4. Many client addresses.
if ARGV[18] == '1' then
  local k = KEYS[4]
  local w = tonumber(ARGV[20])
  local thr = tonumber(ARGV[21])
  redis.call('HSET', k, ARGV[19], ARGV[1])
  local n = redis.call('HLEN', k)
  if n >= thr then
    local all = redis.call('HGETALL', k)
    for i = 1, #all, 2 do
      if tonumber(all[i + 1]) + w <= now then redis.call('HDEL', k, all[i]) end
    end
    n = redis.call('HLEN', k)
  end
  if n > cap then
    local all = redis.call('HGETALL', k)
    local v = {}
    for i = 1, #all, 2 do v[#v + 1] = {all[i], tonumber(all[i + 1])} end
    table.sort(v, function(x, y) return x[2] > y[2] end)
    for i = cap + 1, #v do redis.call('HDEL', k, v[i][1]) end
    n = cap
  end
  if n >= thr then
    local addrs = redis.call('HKEYS', k)
    redis.call('DEL', k)
    if cool(KEYS[9]) then emit('a', addrs) end
  else
    redis.call('PEXPIRE', k, w + 1000)
  end
end

-- 5. Organisation volume against its own baseline.
if ARGV[22] == '1' then
  local k = KEYS[5]
  local tokens = tonumber(ARGV[23])
  local bucket = tonumber(ARGV[24])
  local alpha = tonumber(ARGV[25])
  local h = redis.call('HMGET', k, 'bucket', 'tokens', 'baseline', 'history')
  local ob = tonumber(h[1] or '0') or 0
  local ot = tonumber(h[2] or '0') or 0
  local base = tonumber(h[3] or '0') or 0
  local hist = tonumber(h[4] or '0') or 0
  if bucket > ob then
    -- Empty buckets are skipped, as in misuse.rs: the baseline is an active bucket's volume.
    if ot > 0 then
      if hist == 0 then base = ot else base = alpha * ot + (1 - alpha) * base end
      hist = hist + 1
    end
    ob = bucket
    ot = 0
  end
  ot = ot + tokens
  redis.call('HSET', k, 'bucket', string.format('%.0f', ob), 'tokens', string.format('%.0f', ot),
    'baseline', string.format('%.17g', base), 'history', string.format('%.0f', hist))
  redis.call('PEXPIRE', k, org_idle)
  if hist >= tonumber(ARGV[26]) and ot >= tonumber(ARGV[27]) and base > 0 then
    if ot / base > tonumber(ARGV[28]) and cool(KEYS[10]) then
      emit('v', {string.format('%.0f', ot), string.format('%.17g', base)})
    end
  end
end

return out
"#;

static OBSERVE: LazyLock<Script> = LazyLock::new(|| Script::new(OBSERVE_LUA));

/// The misuse detector with its windows in Redis, shared by every replica on that Redis.
/// Cheap to clone (multiplexed, auto-reconnecting connection).
#[derive(Clone)]
pub struct RedisMisuseDetector {
    conn: ConnectionManager,
    prefix: String,
    config: MisuseConfig,
}

impl std::fmt::Debug for RedisMisuseDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisMisuseDetector")
            .field("prefix", &self.prefix)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn redis_err(e: redis::RedisError) -> BackendError {
    BackendError::Redis(e.to_string())
}

fn protocol(what: impl Into<String>) -> BackendError {
    BackendError::Protocol(what.into())
}

fn flag(on: bool) -> &'static str {
    if on { "1" } else { "0" }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, BackendError> {
    serde_json::to_string(v).map_err(|e| protocol(e.to_string()))
}

/// Splits a window entry `<ms>|<json>` into its time and decoded payload.
fn entry<T: serde::de::DeserializeOwned>(e: &str) -> Result<(u64, T), BackendError> {
    let (at, payload) = e
        .split_once('|')
        .ok_or_else(|| protocol(format!("malformed misuse window entry {e:?}")))?;
    let at = at
        .parse::<u64>()
        .map_err(|_| protocol(format!("malformed time in misuse window entry {e:?}")))?;
    let payload = serde_json::from_str(payload)
        .map_err(|_| protocol(format!("malformed payload in misuse window entry {e:?}")))?;
    Ok((at, payload))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl RedisMisuseDetector {
    /// Connect to `url`. Every key is prefixed with `prefix` (e.g. `haetae:`), so several
    /// deployments or tests can share a server; replicas of one deployment must use the same
    /// prefix and the same [`MisuseConfig`].
    pub async fn connect(
        url: &str,
        prefix: impl Into<String>,
        config: MisuseConfig,
    ) -> Result<Self, BackendError> {
        let client = redis::Client::open(url).map_err(redis_err)?;
        let conn = client.get_connection_manager().await.map_err(redis_err)?;
        Ok(Self::from_connection(conn, prefix, config))
    }

    /// Wrap an existing connection manager.
    pub fn from_connection(
        conn: ConnectionManager,
        prefix: impl Into<String>,
        config: MisuseConfig,
    ) -> Self {
        Self {
            conn,
            prefix: prefix.into(),
            config,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &MisuseConfig {
        &self.config
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Feed one request; returns the signals it opens (usually none), exactly those
    /// [`crate::misuse::MisuseDetector::observe`] would open had it seen every replica's
    /// observations.
    pub async fn observe(&self, obs: &Observation) -> Result<Vec<Signal>, BackendError> {
        let cfg = &self.config;
        let now = obs.at_ms;
        let p = &self.prefix;
        let key = format!("{p}mu:k:{}", obs.key_id);
        let key_subject = SignalSubject::Key {
            key_id: obs.key_id.clone(),
            org_id: obs.org_id.clone(),
        };
        let org_subject = SignalSubject::Org {
            org_id: obs.org_id.clone(),
        };
        let fired = |kind: SignalKind, s: &SignalSubject| {
            format!("{p}mu:f:{}:{}", kind.as_str(), s.label())
        };

        let denial = obs.denied.filter(|c| {
            cfg.denial_burst.enabled
                && (cfg.denial_burst.include_capacity_denials || !c.is_capacity())
        });
        let probe =
            cfg.use_case_probing.enabled && obs.denied == Some(DenialCause::UseCaseNotPermitted);
        let guard = obs.guard_hit.as_ref().filter(|h| {
            cfg.high_risk_guard.enabled
                && cfg
                    .high_risk_guard
                    .high_risk_use_cases
                    .iter()
                    .any(|u| u == &h.use_case)
        });
        let addr = obs.client_addr.filter(|_| cfg.client_addresses.enabled);
        let volume = cfg.volume.enabled && obs.tokens > 0;
        let bucket_ms = cfg.volume.bucket_secs.max(1).saturating_mul(1000);
        let bucket = now / bucket_ms;

        let mut inv = OBSERVE.prepare_invoke();
        inv.key(format!("{key}:d"))
            .key(format!("{key}:p"))
            .key(format!("{key}:g"))
            .key(format!("{key}:a"))
            .key(format!("{p}mu:o:{}", obs.org_id))
            .key(fired(SignalKind::DenialBurst, &key_subject))
            .key(fired(SignalKind::UseCaseProbing, &key_subject))
            .key(fired(SignalKind::HighRiskGuardHit, &key_subject))
            .key(fired(SignalKind::ManyClientAddresses, &key_subject))
            .key(fired(SignalKind::VolumeAnomaly, &org_subject));
        inv.arg(now)
            .arg(MAX_WINDOW_ENTRIES)
            .arg(cfg.cooldown_secs.saturating_mul(1000))
            .arg(ORG_IDLE_MS);
        // 1. Denials.
        inv.arg(flag(denial.is_some()))
            .arg(match denial {
                Some(c) => format!("{now}|{}", json(&c)?),
                None => String::new(),
            })
            .arg(cfg.denial_burst.window_secs.saturating_mul(1000))
            .arg(cfg.denial_burst.threshold.max(1));
        // 2. Probing.
        let use_case = obs.use_case.clone().unwrap_or_else(|| "unknown".into());
        inv.arg(flag(probe))
            .arg(format!("{now}|{}", json(&use_case)?))
            .arg(cfg.use_case_probing.window_secs.saturating_mul(1000))
            .arg(cfg.use_case_probing.attempts.max(1))
            .arg(cfg.use_case_probing.distinct_use_cases.max(1));
        // 3. Guard hits.
        inv.arg(flag(guard.is_some()))
            .arg(match guard {
                Some(h) => format!(
                    "{now}|{}",
                    json(&(&h.use_case, &h.rule, obs.denied.is_none()))?
                ),
                None => String::new(),
            })
            .arg(cfg.high_risk_guard.window_secs.saturating_mul(1000))
            .arg(cfg.high_risk_guard.threshold.max(1));
        // 4. Addresses.
        inv.arg(flag(addr.is_some()))
            .arg(addr.map(|a| a.to_string()).unwrap_or_default())
            .arg(cfg.client_addresses.window_secs.saturating_mul(1000))
            .arg(cfg.client_addresses.threshold.max(1));
        // 5. Volume. Floats travel in Rust's shortest round-trip form, so Lua computes the
        // EWMA on exactly the same doubles.
        inv.arg(flag(volume))
            .arg(obs.tokens)
            .arg(bucket)
            .arg(cfg.volume.ewma_alpha.to_string())
            .arg(cfg.volume.min_history_buckets)
            .arg(cfg.volume.min_tokens)
            .arg(cfg.volume.factor.to_string());

        let mut conn = self.conn.clone();
        let reply: Vec<String> = inv.invoke_async(&mut conn).await.map_err(redis_err)?;

        let mut signals = Vec::new();
        let mut it = reply.iter();
        while let Some(tag) = it.next() {
            let n = it
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| protocol("misuse script: missing item count"))?;
            let items: Vec<&String> = it.by_ref().take(n).collect();
            if items.len() != n {
                return Err(protocol("misuse script: short reply"));
            }
            let (kind, subject, severity, evidence) = match tag.as_str() {
                "d" => {
                    let mut by_cause = BTreeMap::new();
                    let mut first_at_ms = now;
                    for (i, e) in items.iter().enumerate() {
                        let (at, cause): (u64, DenialCause) = entry(e)?;
                        if i == 0 {
                            first_at_ms = at;
                        }
                        *by_cause.entry(cause).or_insert(0u32) += 1;
                    }
                    let denials = count(n);
                    let sev = if denials >= cfg.denial_burst.threshold.saturating_mul(3) {
                        Severity::High
                    } else {
                        Severity::Medium
                    };
                    let ev = Evidence::DenialBurst {
                        denials,
                        window_secs: cfg.denial_burst.window_secs,
                        first_at_ms,
                        last_at_ms: now,
                        by_cause,
                    };
                    (SignalKind::DenialBurst, key_subject.clone(), sev, ev)
                }
                "p" => {
                    let mut use_cases: BTreeMap<String, u32> = BTreeMap::new();
                    for e in &items {
                        let (_, uc): (u64, String) = entry(e)?;
                        *use_cases.entry(uc).or_insert(0) += 1;
                    }
                    let sev = if count(use_cases.len())
                        >= cfg.use_case_probing.distinct_use_cases.max(1)
                    {
                        Severity::High
                    } else {
                        Severity::Medium
                    };
                    let ev = Evidence::UseCaseProbing {
                        attempts: count(n),
                        window_secs: cfg.use_case_probing.window_secs,
                        use_cases,
                    };
                    (SignalKind::UseCaseProbing, key_subject.clone(), sev, ev)
                }
                "g" => {
                    let mut use_cases: BTreeMap<String, u32> = BTreeMap::new();
                    let mut rules = BTreeSet::new();
                    let mut allowed = 0u32;
                    for e in &items {
                        let (_, (uc, rule, ok)): (u64, (String, Option<String>, bool)) = entry(e)?;
                        *use_cases.entry(uc).or_insert(0) += 1;
                        rules.extend(rule);
                        allowed += u32::from(ok);
                    }
                    let ev = Evidence::HighRiskGuardHit {
                        hits: count(n),
                        window_secs: cfg.high_risk_guard.window_secs,
                        use_cases,
                        rules,
                        allowed,
                    };
                    (
                        SignalKind::HighRiskGuardHit,
                        key_subject.clone(),
                        Severity::High,
                        ev,
                    )
                }
                "a" => {
                    let mut sample = items
                        .iter()
                        .map(|a| {
                            a.parse::<IpAddr>()
                                .map_err(|_| protocol(format!("malformed address {a:?}")))
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    sample.sort();
                    sample.truncate(20);
                    let threshold = cfg.client_addresses.threshold.max(1) as usize;
                    let sev = if n >= threshold.saturating_mul(3) {
                        Severity::High
                    } else {
                        Severity::Medium
                    };
                    let ev = Evidence::ManyClientAddresses {
                        distinct: count(n),
                        window_secs: cfg.client_addresses.window_secs,
                        sample,
                    };
                    (
                        SignalKind::ManyClientAddresses,
                        key_subject.clone(),
                        sev,
                        ev,
                    )
                }
                "v" => {
                    let (Some(tokens), Some(baseline)) = (
                        items.first().and_then(|t| t.parse::<u64>().ok()),
                        items.get(1).and_then(|b| b.parse::<f64>().ok()),
                    ) else {
                        return Err(protocol("misuse script: malformed volume reply"));
                    };
                    let ratio = tokens as f64 / baseline;
                    let sev = if ratio > cfg.volume.factor * 2.0 {
                        Severity::High
                    } else {
                        Severity::Medium
                    };
                    let ev = Evidence::VolumeAnomaly {
                        bucket_start_ms: bucket.saturating_mul(bucket_ms),
                        bucket_secs: cfg.volume.bucket_secs,
                        tokens,
                        baseline_tokens: baseline,
                        ratio,
                    };
                    (SignalKind::VolumeAnomaly, org_subject.clone(), sev, ev)
                }
                other => return Err(protocol(format!("misuse script: unknown tag {other:?}"))),
            };
            signals.push(Signal {
                id: uuid::Uuid::now_v7(),
                kind,
                subject,
                severity,
                at_ms: now,
                evidence,
            });
        }
        Ok(signals)
    }
}
