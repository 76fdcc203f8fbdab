//! The Cedar authorisation engine: loads the programme's schema and policies, validates them, and decides
//! allow / deny / review for each request.
//!
//! Review is modelled with annotations: a `forbid` annotated `@decision("review")` is a *review policy*. When the
//! only policies that deny a request are review policies, and the request would be allowed without them, the
//! decision is `Review`. Any other forbid wins (deny), and no permit means deny ("default-deny").

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use cedar_policy::{
    Authorizer, Context, Decision, Effect, Entities, EntityUid, PolicyId, PolicySet, Request,
    RestrictedExpression, Schema, ValidationMode, Validator,
};
use haetae_core::{ModelEntry, Organisation, Principal, Tier, UseCase};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::engagement::EngagementStatus;
use crate::guard::{Classification, Lang, is_restricted};

/// The file name of the schema inside a policy directory.
pub const SCHEMA_FILE: &str = "haetae.cedarschema";

/// The default programme, compiled in so that a fresh install (and the tests) always have a policy set.
pub const DEFAULT_SCHEMA: &str = include_str!("../../../policies/haetae.cedarschema");
pub const DEFAULT_POLICIES: &[(&str, &str)] = &[
    (
        "00-standing.cedar",
        include_str!("../../../policies/00-standing.cedar"),
    ),
    (
        "10-tiers.cedar",
        include_str!("../../../policies/10-tiers.cedar"),
    ),
    (
        "20-engagement.cedar",
        include_str!("../../../policies/20-engagement.cedar"),
    ),
    (
        "30-review.cedar",
        include_str!("../../../policies/30-review.cedar"),
    ),
    (
        "40-admin.cedar",
        include_str!("../../../policies/40-admin.cedar"),
    ),
    (
        "90-exceptions.cedar",
        include_str!("../../../policies/90-exceptions.cedar"),
    ),
];

/// The policy id reported when no policy permits a request.
pub const DEFAULT_DENY_ID: &str = "default-deny";
/// The policy id reported when the request could not be evaluated at all (fail closed).
pub const EVALUATION_ERROR_ID: &str = "evaluation-error";

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the schema does not parse: {0}")]
    Schema(String),
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: every policy needs an @id(\"…\") annotation ({policy})")]
    MissingId { file: String, policy: String },
    #[error("{file}: templates are not supported in the programme policy set")]
    Template { file: String },
    #[error("policy id '{0}' is used twice")]
    DuplicateId(String),
    #[error("the policy set does not validate against the schema:\n  {}", .0.join("\n  "))]
    Invalid(Vec<String>),
    #[error("{0}")]
    TestFile(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthzEffect {
    Allow,
    Deny,
    Review,
}

impl std::fmt::Display for AuthzEffect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AuthzEffect::Allow => "allow",
            AuthzEffect::Deny => "deny",
            AuthzEffect::Review => "review",
        })
    }
}

impl FromStr for AuthzEffect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "allow" => Ok(AuthzEffect::Allow),
            "deny" => Ok(AuthzEffect::Deny),
            "review" => Ok(AuthzEffect::Review),
            other => Err(format!("unknown effect '{other}' (allow, deny or review)")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthzDecision {
    pub effect: AuthzEffect,
    /// The policies that determined the decision (`@id`s), or [`DEFAULT_DENY_ID`] / [`EVALUATION_ERROR_ID`].
    pub policy_ids: Vec<String>,
    pub reason_en: String,
    pub reason_ko: String,
}

impl AuthzDecision {
    /// The reason in the caller's language.
    pub fn reason(&self, korean: bool) -> &str {
        if korean {
            &self.reason_ko
        } else {
            &self.reason_en
        }
    }
}

/// What the caller wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Invoke,
    ManageMembers,
    ManageKeys,
    ManageEngagements,
    ViewUsage,
    /// Record a commitment to a finding of one's own organisation in the ledger (coordinated disclosure).
    RecordFindings,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Invoke,
        Action::ManageMembers,
        Action::ManageKeys,
        Action::ManageEngagements,
        Action::ViewUsage,
        Action::RecordFindings,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Invoke => "invoke",
            Action::ManageMembers => "manage_members",
            Action::ManageKeys => "manage_keys",
            Action::ManageEngagements => "manage_engagements",
            Action::ViewUsage => "view_usage",
            Action::RecordFindings => "record_findings",
        }
    }
}

impl FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == s.trim())
            .ok_or_else(|| format!("unknown action '{s}'"))
    }
}

/// A catalogued model as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModelResource {
    pub name: String,
    pub min_tier: String,
    pub min_tier_rank: i64,
}

impl ModelResource {
    /// Resolve a catalogue entry's minimum tier against the tier ladder. An unknown tier name resolves to an
    /// unreachable rank, so a mistyped catalogue entry locks the model rather than opening it.
    pub fn from_entry(entry: &ModelEntry, tiers: &[Tier]) -> Self {
        let min_tier_rank = tiers
            .iter()
            .find(|t| t.name == entry.min_tier)
            .map(|t| t.rank)
            .unwrap_or(i64::MAX);
        ModelResource {
            name: entry.name.clone(),
            min_tier: entry.min_tier.clone(),
            min_tier_rank,
        }
    }
}

/// The resource of a request: a model (invoke) or an organisation (administration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Model(ModelResource),
    Organisation { org: Organisation, tier_rank: i64 },
}

/// Everything the policy decides on.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthzInput {
    pub principal: Principal,
    pub action: Action,
    pub resource: Resource,
    /// `X-Haetae-Use-Case`, when given.
    pub declared_use_case: Option<UseCase>,
    /// The guard's labels (empty is treated as `benign`).
    pub classified: Vec<UseCase>,
    /// The guard's confidence in its most dangerous label, 0..=1.
    pub confidence: f32,
    pub engagement: EngagementStatus,
    pub now: i64,
    pub lang: Lang,
}

impl AuthzInput {
    /// The input for a model call, from the guard's classification.
    pub fn invoke(
        principal: Principal,
        model: ModelResource,
        classification: &Classification,
        declared_use_case: Option<UseCase>,
        engagement: EngagementStatus,
        now: i64,
    ) -> Self {
        AuthzInput {
            principal,
            action: Action::Invoke,
            resource: Resource::Model(model),
            declared_use_case,
            classified: classification.labels(),
            confidence: classification
                .use_cases
                .first()
                .map(|u| u.confidence)
                .unwrap_or(1.0),
            engagement,
            now,
            lang: classification.lang,
        }
    }

    /// classified ∪ declared, as the policy authorises them.
    pub fn effective_use_cases(&self) -> Vec<UseCase> {
        let mut v: Vec<UseCase> = self.classified.clone();
        if v.is_empty() {
            v.push(UseCase::Benign);
        }
        if let Some(d) = self.declared_use_case {
            v.push(d);
        }
        v.sort();
        v.dedup();
        v
    }
}

#[derive(Debug, Clone, Default)]
struct PolicyMeta {
    reason_en: Option<String>,
    reason_ko: Option<String>,
    review: bool,
    forbid: bool,
}

/// An organisation's attributes as its Cedar entity carries them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct OrgAttrs {
    id: String,
    vetting_state: &'static str,
    vetting_expires_at: Option<i64>,
    tier: String,
    tier_rank: i64,
    country: String,
    sector: String,
}

impl OrgAttrs {
    fn of(o: &Organisation, tier_rank: i64) -> Self {
        OrgAttrs {
            id: o.id.clone(),
            vetting_state: o.vetting_state.as_str(),
            vetting_expires_at: o.vetting_expires_at,
            tier: o.tier.clone(),
            tier_rank,
            country: o.country.clone(),
            sector: o.sector.clone(),
        }
    }
}

/// Everything a request's entities are built from, by value: equal keys build identical entities, so the
/// entities can be built once and reused. Per-request facts (time, use-cases, engagement, language) are in the
/// context, never here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct EntityKey {
    org: OrgAttrs,
    member_id: String,
    role: &'static str,
    identity_verified: bool,
    resource: ResourceKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ResourceKey {
    Model(ModelResource),
    Organisation(OrgAttrs),
}

impl EntityKey {
    fn of(input: &AuthzInput) -> Self {
        let p = &input.principal;
        EntityKey {
            org: OrgAttrs::of(&p.org, p.tier.rank),
            member_id: p.member.id.clone(),
            role: p.member.role.as_str(),
            identity_verified: p.member.identity_verified,
            resource: match &input.resource {
                Resource::Model(m) => ResourceKey::Model(m.clone()),
                Resource::Organisation { org, tier_rank } => {
                    ResourceKey::Organisation(OrgAttrs::of(org, *tier_rank))
                }
            },
        }
    }
}

/// A request's entities and principal and resource uids, validated against the schema.
struct Prepared {
    entities: Entities,
    principal: EntityUid,
    resource: EntityUid,
}

/// Prepared entities per principal and resource. It lives inside one [`PolicyEngine`], so a policy reload (a new
/// engine) starts with an empty one: entries are per (principal, tier, resource, policy version).
#[derive(Default)]
struct EntityCache {
    map: RwLock<HashMap<EntityKey, Arc<Prepared>>>,
}

/// Entries kept at most (a few KB each); past this the cache starts over (one entry per active member and model).
const MAX_PREPARED: usize = 8_192;

impl EntityCache {
    fn get(&self, key: &EntityKey) -> Option<Arc<Prepared>> {
        // Entries are inserted whole, so a panic elsewhere cannot leave one half-built: a poisoned lock is safe.
        let map = self.map.read().unwrap_or_else(|p| p.into_inner());
        map.get(key).cloned()
    }

    fn put(&self, key: EntityKey, prepared: Arc<Prepared>) {
        let mut map = self.map.write().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_PREPARED {
            map.clear();
        }
        map.insert(key, prepared);
    }
}

/// The request shapes that have passed the schema's request check under one engine. A shape is what the check
/// depends on: the action, the resource's entity type and whether a declared use-case is in the context. The
/// direct context's values are strings, longs, booleans, sets of strings and one fixed record, which the check
/// accepts whatever they hold, so a shape that passed once passes always; later requests of that shape skip the
/// check (~2.5% of a request's CPU, measured with perf under load). A reload builds a new engine, so a changed
/// schema is checked again, and a shape the schema does not describe is never marked and keeps being refused.
#[derive(Default)]
struct CheckedShapes([AtomicBool; Action::ALL.len() * 2 * 2]);

impl CheckedShapes {
    fn slot(&self, input: &AuthzInput) -> &AtomicBool {
        // The discriminant, not a search of `Action::ALL`: a search's fallback would let an action missing from
        // `ALL` share another's slot and skip its own schema check (`ALL` is in declaration order: tested).
        let action = input.action as usize;
        let resource = usize::from(matches!(input.resource, Resource::Organisation { .. }));
        let declared = usize::from(input.declared_use_case.is_some());
        &self.0[(action * 2 + resource) * 2 + declared]
    }
}

/// A loaded, validated programme policy set.
pub struct PolicyEngine {
    schema: Schema,
    policies: PolicySet,
    /// The same set without review policies, to tell "review" from "deny".
    without_review: PolicySet,
    meta: HashMap<String, PolicyMeta>,
    authorizer: Authorizer,
    source: Option<PathBuf>,
    /// The action uids, built once.
    actions: HashMap<Action, EntityUid>,
    /// `None` only in the reference mode ([`PolicyEngine::without_entity_cache`]).
    entity_cache: Option<EntityCache>,
    checked_shapes: CheckedShapes,
}

impl std::fmt::Debug for PolicyEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyEngine")
            .field("policies", &self.policy_ids())
            .field("source", &self.source)
            .finish()
    }
}

fn read(path: &Path) -> Result<String, PolicyError> {
    std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The `.cedar` files of a policy directory, sorted by name (the order operators see them in).
pub(crate) fn policy_files(dir: &Path) -> Result<Vec<PathBuf>, PolicyError> {
    let entries = std::fs::read_dir(dir).map_err(|source| PolicyError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "cedar"))
        .collect();
    files.sort();
    Ok(files)
}

impl PolicyEngine {
    /// Load `dir/haetae.cedarschema` and every `dir/*.cedar`, and validate the set against the schema.
    /// An invalid set is an error: the engine never runs policies that do not validate.
    pub fn load(dir: &Path) -> Result<Self, PolicyError> {
        let schema = read(&dir.join(SCHEMA_FILE))?;
        let mut sources = Vec::new();
        for f in policy_files(dir)? {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            sources.push((name, read(&f)?));
        }
        let mut engine = Self::from_sources(&schema, &sources)?;
        engine.source = Some(dir.to_path_buf());
        Ok(engine)
    }

    /// The compiled-in default programme.
    pub fn default_programme() -> Result<Self, PolicyError> {
        let sources: Vec<(String, String)> = DEFAULT_POLICIES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        Self::from_sources(DEFAULT_SCHEMA, &sources)
    }

    /// Write the default programme (schema and policies) into `dir`, for `haetae init`-style commands.
    pub fn write_default_programme(dir: &Path) -> Result<(), PolicyError> {
        let io = |source| PolicyError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        std::fs::write(dir.join(SCHEMA_FILE), DEFAULT_SCHEMA).map_err(io)?;
        for (name, src) in DEFAULT_POLICIES {
            std::fs::write(dir.join(name), src).map_err(io)?;
        }
        Ok(())
    }

    /// Build from in-memory sources: the schema text and `(file name, policy text)` pairs.
    pub fn from_sources(schema_src: &str, files: &[(String, String)]) -> Result<Self, PolicyError> {
        let (schema, _warnings) = Schema::from_cedarschema_str(schema_src)
            .map_err(|e| PolicyError::Schema(format!("{e:?}")))?;
        let mut policies = PolicySet::new();
        let mut without_review = PolicySet::new();
        let mut meta = HashMap::new();
        for (file, src) in files {
            let parsed = PolicySet::from_str(src).map_err(|e| PolicyError::Parse {
                file: file.clone(),
                message: format!("{e:?}"),
            })?;
            if parsed.templates().next().is_some() {
                return Err(PolicyError::Template { file: file.clone() });
            }
            for p in parsed.policies() {
                let id = p.annotation("id").map(str::to_string).ok_or_else(|| {
                    PolicyError::MissingId {
                        file: file.clone(),
                        policy: p.id().to_string(),
                    }
                })?;
                if meta.contains_key(&id) {
                    return Err(PolicyError::DuplicateId(id));
                }
                let review = p.annotation("decision") == Some("review");
                let forbid = p.effect() == Effect::Forbid;
                let renamed = p.new_id(PolicyId::new(&id));
                let dup = |_| PolicyError::DuplicateId(id.clone());
                if !review {
                    without_review.add(renamed.clone()).map_err(dup)?;
                }
                policies.add(renamed).map_err(dup)?;
                meta.insert(
                    id.clone(),
                    PolicyMeta {
                        reason_en: p.annotation("reason_en").map(str::to_string),
                        reason_ko: p.annotation("reason_ko").map(str::to_string),
                        review,
                        forbid,
                    },
                );
            }
        }
        let mut actions = HashMap::new();
        for action in Action::ALL {
            let uid =
                EntityUid::from_json(json!({"type": "Haetae::Action", "id": action.as_str()}))
                    .map_err(|e| PolicyError::Schema(e.to_string()))?;
            actions.insert(action, uid);
        }
        let engine = PolicyEngine {
            schema,
            policies,
            without_review,
            meta,
            authorizer: Authorizer::new(),
            source: None,
            actions,
            entity_cache: Some(EntityCache::default()),
            checked_shapes: CheckedShapes::default(),
        };
        let problems = engine.validate();
        if !problems.is_empty() {
            return Err(PolicyError::Invalid(problems));
        }
        Ok(engine)
    }

    /// Strict schema validation of the policy set; returns the problems found (empty when valid).
    pub fn validate(&self) -> Vec<String> {
        let validator = Validator::new(self.schema.clone());
        let result = validator.validate(&self.policies, ValidationMode::Strict);
        result.validation_errors().map(|e| e.to_string()).collect()
    }

    /// The `@id`s of the loaded policies, sorted.
    pub fn policy_ids(&self) -> Vec<String> {
        let mut v: Vec<String> = self.meta.keys().cloned().collect();
        v.sort();
        v
    }

    /// The directory this engine was loaded from, if any.
    pub fn source(&self) -> Option<&Path> {
        self.source.as_deref()
    }

    /// The same engine building every request's entities and context from JSON, as it did before the entity
    /// cache and the direct context: for measuring what they save (`benches/authz_entities.rs`) and checking
    /// that they change no decision.
    pub fn without_entity_cache(mut self) -> Self {
        self.entity_cache = None;
        self
    }

    /// The entities of a request and its principal and resource uids: everything but the context.
    fn prepare(&self, input: &AuthzInput) -> Result<Prepared, String> {
        let p = &input.principal;
        let org_json = |o: &Organisation, rank: i64| {
            json!({
                "uid": {"type": "Haetae::Organisation", "id": o.id},
                "attrs": {
                    "vetting_state": o.vetting_state.as_str(),
                    "vetting_expires_at": o.vetting_expires_at.unwrap_or(i64::MAX),
                    "tier": o.tier,
                    "tier_rank": rank,
                    "country": o.country,
                    "sector": o.sector,
                },
                "parents": []
            })
        };
        let mut entities = vec![
            org_json(&p.org, p.tier.rank),
            json!({
                "uid": {"type": "Haetae::Member", "id": p.member.id},
                "attrs": {
                    "org": {"__entity": {"type": "Haetae::Organisation", "id": p.org.id}},
                    "role": p.member.role.as_str(),
                    "identity_verified": p.member.identity_verified,
                },
                "parents": [{"type": "Haetae::Organisation", "id": p.org.id}]
            }),
        ];
        let resource = match &input.resource {
            Resource::Model(m) => {
                entities.push(json!({
                    "uid": {"type": "Haetae::Model", "id": m.name},
                    "attrs": {"name": m.name, "min_tier": m.min_tier, "min_tier_rank": m.min_tier_rank},
                    "parents": []
                }));
                EntityUid::from_json(json!({"type": "Haetae::Model", "id": m.name}))
            }
            Resource::Organisation { org, tier_rank } => {
                if org.id != p.org.id {
                    entities.push(org_json(org, *tier_rank));
                }
                EntityUid::from_json(json!({"type": "Haetae::Organisation", "id": org.id}))
            }
        }
        .map_err(|e| e.to_string())?;
        let principal = EntityUid::from_json(json!({"type": "Haetae::Member", "id": p.member.id}))
            .map_err(|e| e.to_string())?;
        let entities = Entities::from_json_value(json!(entities), Some(&self.schema))
            .map_err(|e| e.to_string())?;
        Ok(Prepared {
            entities,
            principal,
            resource,
        })
    }

    /// The request's prepared entities: from the cache when this principal and resource were seen before under
    /// this policy set, built (and cached) otherwise.
    fn prepared(&self, input: &AuthzInput) -> Result<Arc<Prepared>, String> {
        let Some(cache) = &self.entity_cache else {
            return self.prepare(input).map(Arc::new);
        };
        let key = EntityKey::of(input);
        if let Some(hit) = cache.get(&key) {
            return Ok(hit);
        }
        let prepared = Arc::new(self.prepare(input)?);
        cache.put(key, prepared.clone());
        Ok(prepared)
    }

    /// The per-request part: the context, and the request that joins it to the prepared uids.
    fn request(&self, input: &AuthzInput, prepared: &Prepared) -> Result<Request, String> {
        let action = self
            .actions
            .get(&input.action)
            .cloned()
            .ok_or_else(|| format!("no uid for action '{}'", input.action.as_str()))?;
        let context = if self.entity_cache.is_some() {
            direct_context(input)?
        } else {
            Context::from_json_value(json_context(input), Some((&self.schema, &action)))
                .map_err(|e| e.to_string())?
        };
        // The schema check of the request (its context's shape and types included) is what refuses a context
        // the operator's schema does not describe. The reference mode runs it on every request; the fast mode
        // once per request shape (see `CheckedShapes`).
        let checked = self
            .entity_cache
            .is_some()
            .then(|| self.checked_shapes.slot(input));
        let schema = match checked {
            Some(slot) if slot.load(Ordering::Acquire) => None,
            _ => Some(&self.schema),
        };
        let request = Request::new(
            prepared.principal.clone(),
            action,
            prepared.resource.clone(),
            context,
            schema,
        )
        .map_err(|e| e.to_string())?;
        if let (Some(slot), Some(_)) = (checked, schema) {
            slot.store(true, Ordering::Release);
        }
        Ok(request)
    }

    /// Decide a request. Never panics and never fails open: a request that cannot be evaluated is denied.
    pub fn decide(&self, input: &AuthzInput) -> AuthzDecision {
        let built = self
            .prepared(input)
            .and_then(|p| self.request(input, &p).map(|r| (r, p)));
        let (request, prepared) = match built {
            Ok(x) => x,
            Err(e) => {
                tracing::error!(error = %e, "policy request could not be built; denying");
                return AuthzDecision {
                    effect: AuthzEffect::Deny,
                    policy_ids: vec![EVALUATION_ERROR_ID.into()],
                    reason_en: "The request could not be evaluated by the programme policy.".into(),
                    reason_ko: "프로그램 정책으로 요청을 평가할 수 없습니다.".into(),
                };
            }
        };
        let entities = &prepared.entities;
        let response = self
            .authorizer
            .is_authorized(&request, &self.policies, entities);
        let reasons: Vec<String> = response
            .diagnostics()
            .reason()
            .map(|id| id.to_string())
            .collect();
        // Cedar skips a policy whose evaluation errors. For a forbid that would fail open, so an erroring
        // forbid counts as a denial.
        let erroring_forbids: Vec<String> = response
            .diagnostics()
            .errors()
            .map(|e| match e {
                cedar_policy::AuthorizationError::PolicyEvaluationError(e) => {
                    e.policy_id().to_string()
                }
            })
            .filter(|id| self.meta.get(id).is_some_and(|m| m.forbid && !m.review))
            .collect();
        if !erroring_forbids.is_empty() {
            tracing::error!(policies = ?erroring_forbids, "forbid policies failed to evaluate; denying");
            return self.explain(AuthzEffect::Deny, erroring_forbids, input);
        }
        if response.decision() == Decision::Allow {
            return self.explain(AuthzEffect::Allow, reasons, input);
        }
        if reasons.is_empty() {
            return self.explain(AuthzEffect::Deny, vec![DEFAULT_DENY_ID.into()], input);
        }
        let all_review = reasons
            .iter()
            .all(|id| self.meta.get(id).is_some_and(|m| m.review));
        if all_review {
            let base = self
                .authorizer
                .is_authorized(&request, &self.without_review, entities);
            if base.decision() == Decision::Allow {
                return self.explain(AuthzEffect::Review, reasons, input);
            }
            let base_reasons: Vec<String> = base
                .diagnostics()
                .reason()
                .map(|id| id.to_string())
                .collect();
            let ids = if base_reasons.is_empty() {
                vec![DEFAULT_DENY_ID.into()]
            } else {
                base_reasons
            };
            return self.explain(AuthzEffect::Deny, ids, input);
        }
        let hard: Vec<String> = reasons
            .into_iter()
            .filter(|id| !self.meta.get(id).is_some_and(|m| m.review))
            .collect();
        self.explain(AuthzEffect::Deny, hard, input)
    }

    fn explain(
        &self,
        effect: AuthzEffect,
        mut policy_ids: Vec<String>,
        input: &AuthzInput,
    ) -> AuthzDecision {
        policy_ids.sort();
        policy_ids.dedup();
        let (mut en, mut ko) = (Vec::new(), Vec::new());
        for id in &policy_ids {
            if id == DEFAULT_DENY_ID {
                let (e, k) = default_deny_reason(input);
                en.push(e);
                ko.push(k);
                continue;
            }
            let m = self.meta.get(id).cloned().unwrap_or_default();
            en.push(
                m.reason_en
                    .unwrap_or_else(|| format!("Decided by programme policy '{id}'.")),
            );
            ko.push(
                m.reason_ko
                    .unwrap_or_else(|| format!("프로그램 정책 '{id}'에 따라 결정되었습니다.")),
            );
        }
        AuthzDecision {
            effect,
            policy_ids,
            reason_en: en.join(" "),
            reason_ko: ko.join(" "),
        }
    }
}

/// The request's context as JSON, for `Context::from_json_value` (the reference mode).
fn json_context(input: &AuthzInput) -> serde_json::Value {
    match input.action {
        Action::Invoke => {
            let strs = |v: &[UseCase]| v.iter().map(|u| u.as_str()).collect::<Vec<_>>();
            let classified = if input.classified.is_empty() {
                vec![UseCase::Benign]
            } else {
                input.classified.clone()
            };
            let primary = classified
                .iter()
                .copied()
                .max_by_key(|u| crate::guard::risk_rank(*u))
                .unwrap_or(UseCase::Benign);
            let e = &input.engagement;
            let mut c = json!({
                "now": input.now,
                "classified_use_cases": strs(&classified),
                "use_cases": strs(&input.effective_use_cases()),
                "primary_use_case": primary.as_str(),
                "confidence_pct": (input.confidence.clamp(0.0, 1.0) * 100.0).round() as i64,
                "engagement": {
                    "present": e.present,
                    "id": e.id.clone().unwrap_or_default(),
                    "own_org": e.own_org,
                    "valid": e.valid,
                    "in_scope": e.in_scope,
                },
                "target_count": e.targets.len() as i64,
                "lang": if input.lang.is_korean() { "ko" } else { "en" },
            });
            if let (Some(d), Some(obj)) = (input.declared_use_case, c.as_object_mut()) {
                obj.insert("declared_use_case".into(), json!(d.as_str()));
            }
            c
        }
        _ => json!({"now": input.now}),
    }
}

/// The request's context built as Cedar values directly. The JSON route (`Context::from_json_value` with the
/// schema) builds the same values but costs about 40 µs a request, most of the decision; the request's schema
/// validation still checks the result.
fn direct_context(input: &AuthzInput) -> Result<Context, String> {
    let string = |s: &str| RestrictedExpression::new_string(s.to_string());
    let long = RestrictedExpression::new_long;
    let mut pairs: Vec<(String, RestrictedExpression)> = vec![("now".into(), long(input.now))];
    if input.action == Action::Invoke {
        let set =
            |v: &[UseCase]| RestrictedExpression::new_set(v.iter().map(|u| string(u.as_str())));
        let benign = [UseCase::Benign];
        let classified: &[UseCase] = if input.classified.is_empty() {
            &benign
        } else {
            &input.classified
        };
        let primary = classified
            .iter()
            .copied()
            .max_by_key(|u| crate::guard::risk_rank(*u))
            .unwrap_or(UseCase::Benign);
        let e = &input.engagement;
        let engagement = RestrictedExpression::new_record([
            (
                "present".to_string(),
                RestrictedExpression::new_bool(e.present),
            ),
            (
                "id".to_string(),
                string(e.id.as_deref().unwrap_or_default()),
            ),
            (
                "own_org".to_string(),
                RestrictedExpression::new_bool(e.own_org),
            ),
            ("valid".to_string(), RestrictedExpression::new_bool(e.valid)),
            (
                "in_scope".to_string(),
                RestrictedExpression::new_bool(e.in_scope),
            ),
        ])
        .map_err(|e| e.to_string())?;
        pairs.extend([
            ("classified_use_cases".into(), set(classified)),
            ("use_cases".into(), set(&input.effective_use_cases())),
            ("primary_use_case".into(), string(primary.as_str())),
            (
                "confidence_pct".into(),
                long((input.confidence.clamp(0.0, 1.0) * 100.0).round() as i64),
            ),
            ("engagement".into(), engagement),
            ("target_count".into(), long(e.targets.len() as i64)),
            (
                "lang".into(),
                string(if input.lang.is_korean() { "ko" } else { "en" }),
            ),
        ]);
        if let Some(d) = input.declared_use_case {
            pairs.push(("declared_use_case".into(), string(d.as_str())));
        }
    }
    Context::from_pairs(pairs).map_err(|e| e.to_string())
}

/// Korean names of the use-cases, for denial messages.
pub fn use_case_ko(u: UseCase) -> &'static str {
    match u {
        UseCase::Benign => "일반",
        UseCase::DefensiveAnalysis => "방어 분석",
        UseCase::VulnerabilityResearch => "취약점 연구",
        UseCase::PatchDevelopment => "패치 개발",
        UseCase::ExploitDevelopment => "익스플로잇 개발",
        UseCase::PenetrationTesting => "모의해킹",
        UseCase::MalwareDevelopment => "악성코드 개발",
        UseCase::PhishingAndFraud => "피싱·사기",
        UseCase::CredentialTheft => "계정 정보 탈취",
        UseCase::CriticalInfrastructureAttack => "기반시설 공격",
        UseCase::DetectionEvasion => "탐지 회피",
    }
}

fn default_deny_reason(input: &AuthzInput) -> (String, String) {
    let uses: Vec<UseCase> = input
        .effective_use_cases()
        .into_iter()
        .filter(|u| is_restricted(*u))
        .collect();
    if uses.is_empty() {
        return (
            "No programme policy allows this request.".into(),
            "이 요청을 허용하는 프로그램 정책이 없습니다.".into(),
        );
    }
    let en_list = uses
        .iter()
        .map(|u| u.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let ko_list = uses
        .iter()
        .map(|u| use_case_ko(*u))
        .collect::<Vec<_>>()
        .join(", ");
    let tier = &input.principal.tier.name;
    let mut en = format!(
        "The request was classified as {en_list}, which your organisation's tier '{tier}' may not use"
    );
    let mut ko = format!(
        "요청이 [{ko_list}] 용도로 분류되었으며, 소속 기관의 등급('{tier}')으로는 허용되지 않습니다"
    );
    let never = [
        UseCase::MalwareDevelopment,
        UseCase::PhishingAndFraud,
        UseCase::CredentialTheft,
        UseCase::DetectionEvasion,
    ];
    let engagement_bound = [
        UseCase::ExploitDevelopment,
        UseCase::PenetrationTesting,
        UseCase::CriticalInfrastructureAttack,
    ];
    if uses.iter().any(|u| never.contains(u)) {
        en.push_str(
            ": malware development, phishing and fraud, credential theft and detection evasion are not available \
             to any tier without an explicit engagement-scoped exception.",
        );
        ko.push_str(": 악성코드 개발, 피싱·사기, 계정 정보 탈취, 탐지 회피는 명시적인 점검(engagement) 단위 예외 없이는 어떤 등급에도 허용되지 않습니다.");
    } else if uses.iter().any(|u| engagement_bound.contains(u)) && !input.engagement.ok() {
        en.push_str(
            ": exploitation, penetration testing and critical-infrastructure work need the trusted (or, for \
             critical infrastructure, government) tier and a valid, in-scope engagement of your organisation \
             named with X-Haetae-Engagement.",
        );
        ko.push_str(": 익스플로잇 개발, 모의해킹, 기반시설 관련 작업은 trusted 등급(기반시설은 government 등급)과 X-Haetae-Engagement로 지정한 자기 기관의 유효하고 범위 안에 있는 점검(engagement)이 필요합니다.");
    } else {
        en.push('.');
        ko.push('.');
    }
    (en, ko)
}

/// The set of review policy ids (for documentation and tests).
impl PolicyEngine {
    pub fn review_policy_ids(&self) -> HashSet<String> {
        self.meta
            .iter()
            .filter(|(_, m)| m.review)
            .map(|(k, _)| k.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policytest::{TEST_NOW, test_principal};
    use haetae_core::{Role, VettingState};

    fn engine() -> PolicyEngine {
        match PolicyEngine::default_programme() {
            Ok(e) => e,
            Err(e) => panic!("default programme: {e}"),
        }
    }

    /// Every principal here has the same member and organisation ids; only their attributes differ (standing,
    /// vetting expiry, tier, role), so an entity cache keyed by ids alone would serve one principal's entities to
    /// the next. The cached engine (with its directly built context) must decide every input exactly as the
    /// reference engine that builds entities and context from JSON on every request, the first time and from
    /// the cache, whatever the request's context (declared use-case, engagement, language).
    #[test]
    fn cached_entities_decide_exactly_as_fresh_ones() {
        let cached = engine();
        let fresh = engine().without_entity_cache();
        let tiers = [
            ("public", 0),
            ("verified", 10),
            ("trusted", 20),
            ("government", 30),
        ];
        let standings = [
            (VettingState::Verified, false),
            (VettingState::Verified, true),
            (VettingState::Suspended, false),
            (VettingState::Applied, false),
        ];
        let uses: [&[UseCase]; 3] = [
            &[],
            &[UseCase::VulnerabilityResearch],
            &[UseCase::ExploitDevelopment],
        ];
        let engaged = EngagementStatus {
            present: true,
            id: Some("eng-1".into()),
            own_org: true,
            valid: true,
            in_scope: true,
            targets: vec!["10.0.0.5".into()],
            ..Default::default()
        };
        let foreign = EngagementStatus {
            own_org: false,
            in_scope: false,
            ..engaged.clone()
        };
        let contexts = [
            (None, EngagementStatus::none(&[]), Lang::En, 0.9),
            (Some(UseCase::PenetrationTesting), engaged, Lang::Ko, 0.55),
            (Some(UseCase::Benign), foreign, Lang::Mixed, 1.0),
        ];
        let (mut allowed, mut refused, mut cases) = (0, 0, 0);
        for pass in 0..2 {
            for (min_tier, min_rank) in tiers {
                for (tier, rank) in tiers {
                    for (vetting, expired) in standings {
                        for role in [Role::Analyst, Role::Owner] {
                            let principal = test_principal(tier, rank, vetting, expired, role);
                            let model = ModelResource {
                                name: format!("model-{min_tier}"),
                                min_tier: min_tier.into(),
                                min_tier_rank: min_rank,
                            };
                            for (classified, (declared, engagement, lang, confidence)) in uses
                                .iter()
                                .flat_map(|u| contexts.iter().map(move |c| (u, c)))
                            {
                                let input = AuthzInput {
                                    principal: principal.clone(),
                                    action: Action::Invoke,
                                    resource: Resource::Model(model.clone()),
                                    declared_use_case: *declared,
                                    classified: classified.to_vec(),
                                    confidence: *confidence,
                                    engagement: engagement.clone(),
                                    now: TEST_NOW,
                                    lang: *lang,
                                };
                                let want = fresh.decide(&input);
                                assert_eq!(cached.decide(&input), want, "pass {pass}: {input:?}");
                                cases += 1;
                                if want.effect == AuthzEffect::Allow {
                                    allowed += 1;
                                } else {
                                    refused += 1;
                                }
                            }
                            let admin = AuthzInput {
                                principal: principal.clone(),
                                action: Action::ManageKeys,
                                resource: Resource::Organisation {
                                    org: principal.org.clone(),
                                    tier_rank: rank,
                                },
                                declared_use_case: None,
                                classified: Vec::new(),
                                confidence: 1.0,
                                engagement: EngagementStatus::none(&[]),
                                now: TEST_NOW,
                                lang: Lang::Ko,
                            };
                            assert_eq!(cached.decide(&admin), fresh.decide(&admin), "{admin:?}");
                        }
                    }
                }
            }
        }
        assert!(allowed > 0 && refused > 0, "the table covers both outcomes");
        assert!(cases > 0);
        let entries = cached
            .entity_cache
            .as_ref()
            .map(|c| c.map.read().map(|m| m.len()).unwrap_or(0));
        // One entry per distinct (principal attributes, resource): 4 model tiers × 4 tiers × 4 standings ×
        // 2 roles, plus the organisation resource per principal; the second pass added none.
        assert_eq!(entries, Some(4 * 4 * 4 * 2 + 4 * 4 * 2));
    }

    /// A verified trusted analyst's `action` on a public model, with `declared` as the declared use-case.
    fn analyst_call(action: Action, declared: Option<UseCase>) -> AuthzInput {
        AuthzInput {
            principal: test_principal("trusted", 20, VettingState::Verified, false, Role::Analyst),
            action,
            resource: Resource::Model(ModelResource {
                name: "model".into(),
                min_tier: "public".into(),
                min_tier_rank: 0,
            }),
            declared_use_case: declared,
            classified: Vec::new(),
            confidence: 0.9,
            engagement: EngagementStatus::none(&[]),
            now: TEST_NOW,
            lang: Lang::En,
        }
    }

    /// Every action has its own schema-check slot: `Action::ALL` lists the actions in declaration order, so the
    /// discriminant `CheckedShapes::slot` indexes by is the action's place in `ALL`, and no two actions share one.
    #[test]
    fn every_action_has_its_own_shape_slot() {
        for (i, action) in Action::ALL.iter().enumerate() {
            assert_eq!(*action as usize, i, "{action:?}");
        }
        let shapes = CheckedShapes::default();
        let slots: std::collections::HashSet<*const AtomicBool> = Action::ALL
            .iter()
            .flat_map(|a| {
                [None, Some(UseCase::Benign)]
                    .map(|declared| std::ptr::from_ref(shapes.slot(&analyst_call(*a, declared))))
            })
            .collect();
        assert_eq!(slots.len(), Action::ALL.len() * 2);
    }

    /// The schema's request check runs once per request shape, not once per engine: an operator's schema that
    /// does not describe one shape (here: no `declared_use_case`) keeps refusing that shape on every request,
    /// before and after the other shape passed, in the cached and in the reference mode alike.
    #[test]
    fn a_shape_the_schema_does_not_describe_is_refused_every_time() {
        let schema = DEFAULT_SCHEMA.replace("declared_use_case?: String,", "");
        assert_ne!(
            schema, DEFAULT_SCHEMA,
            "the schema line this test removes moved"
        );
        let files: Vec<(String, String)> = DEFAULT_POLICIES
            .iter()
            .filter(|(n, _)| !n.starts_with("30-review"))
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let build = || match PolicyEngine::from_sources(&schema, &files) {
            Ok(e) => e,
            Err(e) => panic!("programme without declared use-cases: {e}"),
        };
        let plain = analyst_call(Action::Invoke, None);
        let declared = analyst_call(Action::Invoke, Some(UseCase::Benign));
        for engine in [build(), build().without_entity_cache()] {
            for _ in 0..3 {
                assert_eq!(engine.decide(&plain).effect, AuthzEffect::Allow);
                let refused = engine.decide(&declared);
                assert_eq!(refused.effect, AuthzEffect::Deny);
                assert_eq!(refused.policy_ids, vec![EVALUATION_ERROR_ID.to_string()]);
            }
        }
    }
}
