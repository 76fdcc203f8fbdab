//! Redis backend: shared counters for several gateway replicas.
//!
//! Each operation is one Lua script, which Redis runs atomically, so a reserve checks and
//! charges every rate rule and budget counter of a request with no interleaving from other
//! replicas — the same all-or-nothing semantics as [`crate::InMemoryBackend`].
//!
//! Layout (all names under the backend's prefix):
//! * `{p}rl:…` — string: GCRA theoretical arrival time in ms (float), expires when the
//!   bucket would be full again.
//! * `{p}bu:…` — hash: `used`, `reserved`, and `l:<reservation id>` = reserved amount;
//!   expires `budget_retention_days` after the period ends.
//! * `{p}bu:…:leases` — sorted set: reservation id scored by lease expiry, so expired
//!   leases of crashed replicas are reclaimed by the next reserve on that counter.
//!
//! The scripts touch only keys passed in `KEYS`, so they stay valid on Redis Cluster when
//! the gateway's subject ids are hash-tagged; Lua numbers are doubles, which is exact for
//! token counts below 2^53 and keeps TATs to sub-microsecond precision.

use std::sync::LazyLock;

use futures::future::BoxFuture;
use redis::Script;
use redis::aio::ConnectionManager;

use crate::backend::{
    BackendError, BudgetOutcome, BudgetUsage, MeterBackend, RateOutcome, ReserveOutcome,
    ReservePlan, SettleOutcome, SettlePlan,
};

const RESERVE_LUA: &str = r#"
local now = tonumber(ARGV[1])
local commit = ARGV[2] == '1'
local rid = ARGV[3]
local lease_exp = ARGV[4]
local amount = tonumber(ARGV[5])
local nr = tonumber(ARGV[6])
local nb = tonumber(ARGV[7])
local eps = 1e-6
local admitted = true
local a = 8
local rates = {}
for i = 1, nr do
  local limit = tonumber(ARGV[a]); local window = tonumber(ARGV[a + 1]); local cost = tonumber(ARGV[a + 2])
  a = a + 3
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  local fill = tat - now
  if fill < 0 then fill = 0 end
  local after = fill + cost * (window / limit)
  local ok = after <= window + eps
  if not ok then admitted = false end
  rates[i] = {ok, fill, after}
end
local budgets = {}
for j = 1, nb do
  local hk = KEYS[nr + 2 * j - 1]; local lk = KEYS[nr + 2 * j]
  local limit = tonumber(ARGV[a]); local exp = ARGV[a + 1]
  a = a + 2
  local expired = redis.call('ZRANGEBYSCORE', lk, '-inf', now, 'LIMIT', 0, 256)
  for _, id in ipairs(expired) do
    local amt = redis.call('HGET', hk, 'l:' .. id)
    if amt then
      redis.call('HINCRBY', hk, 'reserved', -tonumber(amt))
      redis.call('HDEL', hk, 'l:' .. id)
    end
    redis.call('ZREM', lk, id)
  end
  local used = tonumber(redis.call('HGET', hk, 'used') or '0')
  local reserved = tonumber(redis.call('HGET', hk, 'reserved') or '0')
  local ok = used + reserved + amount <= limit
  if not ok then admitted = false end
  budgets[j] = {ok, used, reserved, hk, lk, exp}
end
if admitted and commit then
  for i = 1, nr do
    local after = rates[i][3]
    redis.call('SET', KEYS[i], string.format('%.4f', now + after), 'PX', math.ceil(after) + 1000)
    rates[i][2] = after
  end
  for j = 1, nb do
    local b = budgets[j]
    b[3] = redis.call('HINCRBY', b[4], 'reserved', string.format('%d', amount))
    redis.call('HSET', b[4], 'l:' .. rid, string.format('%d', amount))
    redis.call('ZADD', b[5], lease_exp, rid)
    redis.call('PEXPIREAT', b[4], b[6])
    redis.call('PEXPIREAT', b[5], b[6])
  end
end
local out = {admitted and '1' or '0'}
for i = 1, nr do
  out[#out + 1] = rates[i][1] and '1' or '0'
  out[#out + 1] = string.format('%.4f', rates[i][2])
end
for j = 1, nb do
  out[#out + 1] = budgets[j][1] and '1' or '0'
  out[#out + 1] = string.format('%d', budgets[j][2])
  out[#out + 1] = string.format('%d', budgets[j][3])
end
return out
"#;

const SETTLE_LUA: &str = r#"
local now = tonumber(ARGV[1])
local rid = ARGV[2]
local reserved = tonumber(ARGV[3])
local actual = tonumber(ARGV[4])
local nr = tonumber(ARGV[5])
local nb = tonumber(ARGV[6])
local delta = -reserved
if actual >= 0 then delta = actual - reserved end
local a = 7
for i = 1, nr do
  local limit = tonumber(ARGV[a]); local window = tonumber(ARGV[a + 1])
  a = a + 2
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if tat < now then tat = now end
  local new = tat + delta * (window / limit)
  if new > now then
    redis.call('SET', KEYS[i], string.format('%.4f', new), 'PX', math.ceil(new - now) + 1000)
  else
    redis.call('DEL', KEYS[i])
  end
end
local found = (nb == 0)
local out = {}
for j = 1, nb do
  local hk = KEYS[nr + 2 * j - 1]; local lk = KEYS[nr + 2 * j]
  local limit = tonumber(ARGV[a]); local exp = ARGV[a + 1]
  a = a + 2
  local amt = redis.call('HGET', hk, 'l:' .. rid)
  if amt then
    redis.call('HINCRBY', hk, 'reserved', -tonumber(amt))
    redis.call('HDEL', hk, 'l:' .. rid)
    found = true
  end
  redis.call('ZREM', lk, rid)
  if actual >= 0 then
    redis.call('HINCRBY', hk, 'used', string.format('%d', actual))
    redis.call('PEXPIREAT', hk, exp)
  end
  local used = tonumber(redis.call('HGET', hk, 'used') or '0')
  local res = tonumber(redis.call('HGET', hk, 'reserved') or '0')
  out[#out + 1] = (used + res <= limit) and '1' or '0'
  out[#out + 1] = string.format('%d', used)
  out[#out + 1] = string.format('%d', res)
end
table.insert(out, 1, found and '1' or '0')
return out
"#;

static RESERVE: LazyLock<Script> = LazyLock::new(|| Script::new(RESERVE_LUA));
static SETTLE: LazyLock<Script> = LazyLock::new(|| Script::new(SETTLE_LUA));

/// The Redis [`MeterBackend`]. Cheap to clone (multiplexed, auto-reconnecting connection).
#[derive(Clone)]
pub struct RedisBackend {
    conn: ConnectionManager,
    prefix: String,
}

impl std::fmt::Debug for RedisBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBackend")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

fn redis_err(e: redis::RedisError) -> BackendError {
    BackendError::Redis(e.to_string())
}

impl RedisBackend {
    /// Connect to `url` (e.g. `redis://127.0.0.1:6379/0`). Every key is prefixed with
    /// `prefix` (e.g. `haetae:meter:`), so several deployments or tests can share a server.
    pub async fn connect(url: &str, prefix: impl Into<String>) -> Result<Self, BackendError> {
        let client = redis::Client::open(url).map_err(redis_err)?;
        let conn = client.get_connection_manager().await.map_err(redis_err)?;
        Ok(Self::from_connection(conn, prefix))
    }

    /// Wrap an existing connection manager.
    pub fn from_connection(conn: ConnectionManager, prefix: impl Into<String>) -> Self {
        Self {
            conn,
            prefix: prefix.into(),
        }
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    async fn settle(
        &self,
        plan: &SettlePlan,
        actual: Option<u64>,
    ) -> Result<SettleOutcome, BackendError> {
        let mut inv = SETTLE.prepare_invoke();
        for r in &plan.token_rates {
            inv.key(format!("{}{}", self.prefix, r.counter));
        }
        for b in &plan.budgets {
            inv.key(format!("{}{}", self.prefix, b.counter));
            inv.key(format!("{}{}:leases", self.prefix, b.counter));
        }
        inv.arg(plan.now_ms)
            .arg(&plan.reservation_id)
            .arg(plan.reserved)
            .arg(actual.map_or(-1i64, |a| i64::try_from(a).unwrap_or(i64::MAX)))
            .arg(plan.token_rates.len())
            .arg(plan.budgets.len());
        for r in &plan.token_rates {
            inv.arg(r.limit).arg(r.window_ms);
        }
        for b in &plan.budgets {
            inv.arg(b.limit).arg(b.expire_at_ms);
        }
        let mut conn = self.conn.clone();
        let reply: Vec<String> = inv.invoke_async(&mut conn).await.map_err(redis_err)?;
        let mut it = reply.iter();
        let lease_found = flag(it.next())?;
        let mut budgets = Vec::with_capacity(plan.budgets.len());
        for _ in &plan.budgets {
            budgets.push(BudgetOutcome {
                allowed: flag(it.next())?,
                used: int(it.next())?,
                reserved: int(it.next())?,
            });
        }
        Ok(SettleOutcome {
            budgets,
            lease_found,
        })
    }
}

fn flag(v: Option<&String>) -> Result<bool, BackendError> {
    match v.map(String::as_str) {
        Some("1") => Ok(true),
        Some("0") => Ok(false),
        other => Err(BackendError::Protocol(format!(
            "expected flag, got {other:?}"
        ))),
    }
}

fn int(v: Option<&String>) -> Result<u64, BackendError> {
    let s = v.ok_or_else(|| BackendError::Protocol("short reply".into()))?;
    // Negative values cannot occur (reserved is only decremented by what was added);
    // clamp defensively instead of failing a request.
    s.parse::<i64>()
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(|_| BackendError::Protocol(format!("expected integer, got {s:?}")))
}

fn float(v: Option<&String>) -> Result<f64, BackendError> {
    let s = v.ok_or_else(|| BackendError::Protocol("short reply".into()))?;
    s.parse::<f64>()
        .map_err(|_| BackendError::Protocol(format!("expected number, got {s:?}")))
}

impl MeterBackend for RedisBackend {
    fn reserve<'a>(
        &'a self,
        plan: &'a ReservePlan,
    ) -> BoxFuture<'a, Result<ReserveOutcome, BackendError>> {
        Box::pin(async move {
            let mut inv = RESERVE.prepare_invoke();
            for r in &plan.rates {
                inv.key(format!("{}{}", self.prefix, r.counter));
            }
            for b in &plan.budgets {
                inv.key(format!("{}{}", self.prefix, b.counter));
                inv.key(format!("{}{}:leases", self.prefix, b.counter));
            }
            inv.arg(plan.now_ms)
                .arg(if plan.commit { "1" } else { "0" })
                .arg(&plan.reservation_id)
                .arg(plan.lease_expires_ms)
                .arg(plan.amount)
                .arg(plan.rates.len())
                .arg(plan.budgets.len());
            for r in &plan.rates {
                inv.arg(r.limit).arg(r.window_ms).arg(r.cost);
            }
            for b in &plan.budgets {
                inv.arg(b.limit).arg(b.expire_at_ms);
            }
            let mut conn = self.conn.clone();
            let reply: Vec<String> = inv.invoke_async(&mut conn).await.map_err(redis_err)?;
            let mut it = reply.iter();
            let admitted = flag(it.next())?;
            let mut rates = Vec::with_capacity(plan.rates.len());
            for _ in &plan.rates {
                rates.push(RateOutcome {
                    allowed: flag(it.next())?,
                    fill_ms: float(it.next())?,
                });
            }
            let mut budgets = Vec::with_capacity(plan.budgets.len());
            for _ in &plan.budgets {
                budgets.push(BudgetOutcome {
                    allowed: flag(it.next())?,
                    used: int(it.next())?,
                    reserved: int(it.next())?,
                });
            }
            Ok(ReserveOutcome {
                admitted,
                rates,
                budgets,
            })
        })
    }

    fn reconcile<'a>(
        &'a self,
        plan: &'a SettlePlan,
        actual: u64,
    ) -> BoxFuture<'a, Result<SettleOutcome, BackendError>> {
        Box::pin(self.settle(plan, Some(actual)))
    }

    fn release<'a>(
        &'a self,
        plan: &'a SettlePlan,
    ) -> BoxFuture<'a, Result<SettleOutcome, BackendError>> {
        Box::pin(self.settle(plan, None))
    }

    fn budget_usage<'a>(
        &'a self,
        counter: &'a str,
    ) -> BoxFuture<'a, Result<BudgetUsage, BackendError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let (used, reserved): (Option<u64>, Option<u64>) = redis::cmd("HMGET")
                .arg(format!("{}{}", self.prefix, counter))
                .arg("used")
                .arg("reserved")
                .query_async(&mut conn)
                .await
                .map_err(redis_err)?;
            Ok(BudgetUsage {
                used: used.unwrap_or(0),
                reserved: reserved.unwrap_or(0),
            })
        })
    }
}
