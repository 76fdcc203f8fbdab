//! The call guard: from authentication on, it owns what must happen exactly once when a call ends — settle the
//! meter, record usage, tell the misuse detector, append the ledger entry — whatever ends it. An explicit end
//! runs that work on a spawned task (so a client hanging up mid-append cannot cut it short); a guard dropped
//! without one (the client went away, a stream was abandoned) spawns it from `Drop`.

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::response::Response;
use haetae_core::{Principal, QuotaLevels, UseCase};
use haetae_ledger::Decision;
use haetae_meter::misuse::Observation;
use haetae_meter::usage::UsageRecord;
use haetae_policy::{Classification, OutputBlock};

use super::{Params, Pipeline, Refusal, edge, guard_hit, labels, output_refusal};
use crate::catalogue::Language;
use crate::stages::meter::Settlement;
use crate::stages::record::Record;

/// How a call ended.
pub enum Ending {
    /// A stage refused it.
    Refused(Refusal),
    /// Answered (a whole reply, or a stream that reached its end).
    Served {
        usage: (u64, u64),
        response: Vec<u8>,
        detail: &'static str,
    },
    /// The backend failed (before answering, or mid-stream with what was sent so far).
    Failed {
        refusal: Refusal,
        usage: (u64, u64),
        response: Option<Vec<u8>>,
    },
    /// The output check withheld the answer (or cut the stream).
    OutputBlocked {
        block: OutputBlock,
        usage: (u64, u64),
        response: Vec<u8>,
    },
    /// Nobody ended it: the client went away.
    Abandoned,
}

/// What does not change during a call.
struct Context {
    pipeline: Arc<Pipeline>,
    principal: Principal,
    quotas: QuotaLevels,
    request_id: String,
    action: &'static str,
    addr: Option<IpAddr>,
    accept: Option<Language>,
}

/// What the call has learnt so far.
#[derive(Default)]
struct Progress {
    detected: Option<Language>,
    request_body: Option<Bytes>,
    model: String,
    classification: Option<Classification>,
    declared: Option<UseCase>,
    allow_policy_ids: Vec<String>,
    settlement: Option<Settlement>,
    prompt_estimate: u64,
    streaming: bool,
    sent: Vec<u8>,
    usage: Option<(u64, u64)>,
    produced: u64,
}

pub struct CallGuard {
    ctx: Arc<Context>,
    /// `None` once the call has ended: the work runs once.
    progress: Option<Progress>,
}

pub(crate) fn now_ms() -> u64 {
    crate::api::now_ms()
}

impl CallGuard {
    pub fn new(
        pipeline: Arc<Pipeline>,
        principal: Principal,
        quotas: QuotaLevels,
        request_id: String,
        action: &'static str,
        addr: Option<IpAddr>,
        accept: Option<Language>,
    ) -> Self {
        CallGuard {
            ctx: Arc::new(Context {
                pipeline,
                principal,
                quotas,
                request_id,
                action,
                addr,
                accept,
            }),
            progress: Some(Progress::default()),
        }
    }

    pub fn principal(&self) -> &Principal {
        &self.ctx.principal
    }

    pub fn quotas(&self) -> &QuotaLevels {
        &self.ctx.quotas
    }

    pub fn request_id(&self) -> &str {
        &self.ctx.request_id
    }

    pub fn pipeline(&self) -> &Pipeline {
        &self.ctx.pipeline
    }

    /// The caller's language: `Accept-Language`, else the request's own, else English.
    pub fn language(&self) -> Language {
        self.ctx
            .accept
            .or_else(|| self.progress.as_ref().and_then(|p| p.detected))
            .unwrap_or(Language::En)
    }

    fn with(&mut self, f: impl FnOnce(&mut Progress)) {
        if let Some(p) = self.progress.as_mut() {
            f(p);
        }
    }

    pub fn set_request(&mut self, bytes: &Bytes) {
        let detect = self.ctx.accept.is_none();
        self.with(|p| {
            p.request_body = Some(bytes.clone());
            if detect {
                p.detected = Some(Language::of_body(bytes));
            }
        });
    }

    pub fn classified(&mut self, c: Classification, declared: Option<UseCase>) {
        self.with(|p| {
            p.classification = Some(c);
            p.declared = declared;
        });
    }

    pub fn detected(&mut self, lang: Language) {
        self.with(|p| p.detected = Some(lang));
    }

    pub fn set_model(&mut self, name: &str) {
        self.with(|p| p.model = name.to_string());
    }

    pub fn admitted(
        &mut self,
        settlement: Settlement,
        policy_ids: Vec<String>,
        prompt_estimate: u64,
    ) {
        self.with(|p| {
            p.settlement = Some(settlement);
            p.allow_policy_ids = policy_ids;
            p.prompt_estimate = prompt_estimate;
        });
    }

    pub fn streaming(&mut self) {
        self.with(|p| p.streaming = true);
    }

    /// A streamed event went to the caller.
    pub fn sent(&mut self, bytes: &[u8], produced_delta: bool) {
        self.with(|p| {
            p.sent.extend_from_slice(bytes);
            if produced_delta {
                p.produced += 1;
                if let Some(s) = p.settlement.as_mut() {
                    s.produced += 1;
                }
            }
        });
    }

    pub fn stream_usage(&mut self, usage: (u64, u64)) {
        self.with(|p| p.usage = Some(usage));
    }

    /// A stream's tokens so far: the backend's usage when it sent one, else the prompt's bound and the deltas.
    pub fn tokens_so_far(&self) -> (u64, u64) {
        self.progress.as_ref().map_or((0, 0), |p| {
            p.usage.unwrap_or((p.prompt_estimate, p.produced))
        })
    }

    pub fn take_sent(&mut self) -> Vec<u8> {
        self.progress
            .as_mut()
            .map(|p| std::mem::take(&mut p.sent))
            .unwrap_or_default()
    }

    /// Ends the call: the once-only work runs on its own task, so it completes even if this future is dropped.
    /// Returns the ledger index, or the refusal that recording became (the ledger failed).
    pub async fn end(&mut self, ending: Ending) -> Result<Option<u64>, Refusal> {
        let Some(progress) = self.progress.take() else {
            return Ok(None);
        };
        match tokio::spawn(settle(self.ctx.clone(), progress, ending)).await {
            Ok(result) => result,
            Err(e) => Err(Refusal::internal(super::Stage::Record, e)),
        }
    }

    /// Ends the call with a refusal and renders it at the edge in the caller's language.
    pub async fn refuse(mut self, refusal: Refusal) -> Response {
        let lang = self.language();
        let headers = match &*refusal.params {
            Params::Meter(_) => Vec::new(),
            _ => {
                let ctx = self.ctx.clone();
                ctx.pipeline.meter.peek(&ctx.principal, &ctx.quotas).await
            }
        };
        match self.end(Ending::Refused(refusal.clone())).await {
            Ok(index) => edge(&refusal, lang, &headers, index),
            Err(ledger) => edge(&ledger, lang, &headers, None),
        }
    }

    /// Ends the call with a backend failure.
    pub async fn fail(
        mut self,
        refusal: Refusal,
        rate_headers: &[(&'static str, String)],
    ) -> Response {
        let lang = self.language();
        let ending = Ending::Failed {
            refusal: refusal.clone(),
            usage: (0, 0),
            response: None,
        };
        match self.end(ending).await {
            Ok(index) => edge(&refusal, lang, rate_headers, index),
            Err(ledger) => edge(&ledger, lang, rate_headers, None),
        }
    }

    /// Ends the call with the output check's block, replacing the answer with a refusal.
    pub async fn output_blocked(
        mut self,
        block: OutputBlock,
        usage: (u64, u64),
        response: Vec<u8>,
        rate_headers: &[(&'static str, String)],
    ) -> Response {
        let lang = self.language();
        let refusal = output_refusal(&block);
        match self
            .end(Ending::OutputBlocked {
                block,
                usage,
                response,
            })
            .await
        {
            Ok(index) => edge(&refusal, lang, rate_headers, index),
            Err(ledger) => edge(&ledger, lang, rate_headers, None),
        }
    }
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        let Some(progress) = self.progress.take() else {
            return;
        };
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                let ctx = self.ctx.clone();
                handle.spawn(async move {
                    if let Err(r) = settle(ctx, progress, Ending::Abandoned).await {
                        tracing::error!(code = r.code.as_str(), "cannot record an abandoned call");
                    }
                });
            }
            Err(_) => tracing::error!("a call ended outside the runtime and could not be recorded"),
        }
    }
}

/// The once-only work: meter, usage, misuse detector, ledger.
async fn settle(
    ctx: Arc<Context>,
    mut pr: Progress,
    ending: Ending,
) -> Result<Option<u64>, Refusal> {
    let p = &ctx.principal;
    let admitted = pr.settlement.is_some();
    let allow_ids = std::mem::take(&mut pr.allow_policy_ids);
    let abandoned_tokens = pr.usage.unwrap_or((pr.prompt_estimate, pr.produced));
    let sent = std::mem::take(&mut pr.sent);

    enum Seen {
        Allowed,
        Denied(Option<haetae_meter::misuse::DenialCause>),
        Blocked(String, String),
        Nothing,
    }
    let (decision, policy_ids, detail, (prompt, completion), response, seen, charge) = match ending
    {
        Ending::Refused(r) => (
            Decision::Deny,
            r.recorded_policy_ids(),
            r.code.as_str().to_string(),
            (0, 0),
            None,
            Seen::Denied(r.code.denial_cause()),
            false,
        ),
        Ending::Served {
            usage,
            response,
            detail,
        } => (
            Decision::Allow,
            allow_ids,
            detail.to_string(),
            usage,
            Some(response),
            Seen::Allowed,
            true,
        ),
        Ending::Failed {
            refusal,
            usage,
            response,
        } => {
            let charge = response.is_some();
            (
                Decision::Allow,
                allow_ids,
                format!("dispatch_failed:{}", refusal.code.as_str()),
                usage,
                response,
                Seen::Allowed,
                charge,
            )
        }
        Ending::OutputBlocked {
            block,
            usage,
            response,
        } => (
            Decision::Deny,
            vec![format!("output-guard.{}", block.rule_id)],
            "output_blocked".to_string(),
            usage,
            Some(response),
            Seen::Blocked(block.use_case.as_str().to_string(), block.rule_id.clone()),
            true,
        ),
        Ending::Abandoned if admitted => (
            Decision::Allow,
            allow_ids,
            if pr.streaming {
                "stream_abandoned"
            } else {
                "client_closed"
            }
            .to_string(),
            abandoned_tokens,
            pr.streaming.then_some(sent),
            Seen::Allowed,
            true,
        ),
        Ending::Abandoned => (
            Decision::Deny,
            vec!["client_closed".to_string()],
            "client_closed".to_string(),
            (0, 0),
            None,
            Seen::Nothing,
            false,
        ),
    };
    let total = prompt.saturating_add(completion);

    // meter: charge what was produced, give back what never was
    if let Some(mut s) = pr.settlement.take() {
        if charge {
            s.reconcile(total).await;
        } else {
            s.release().await;
        }
    }

    // usage
    let use_case = pr
        .declared
        .or_else(|| pr.classification.as_ref().map(Classification::primary))
        .map(|u| u.as_str().to_string());
    if admitted && charge {
        ctx.pipeline.state.usage.record(UsageRecord::request(
            &p.org.id,
            &p.member.id,
            &p.key_id,
            &pr.model,
            use_case.as_deref().unwrap_or("benign"),
            now_ms(),
            prompt,
            completion,
        ));
    }

    // misuse detector
    let blocked = matches!(seen, Seen::Blocked(..));
    let obs = match seen {
        Seen::Allowed => Some(Observation::allowed(now_ms(), &p.org.id, &p.key_id, total)),
        Seen::Denied(Some(cause)) => {
            Some(Observation::denied(now_ms(), &p.org.id, &p.key_id, cause))
        }
        Seen::Blocked(uc, rule) => Some(
            Observation::denied(
                now_ms(),
                &p.org.id,
                &p.key_id,
                haetae_meter::misuse::DenialCause::Guard,
            )
            .with_guard_hit(uc, Some(rule)),
        ),
        Seen::Denied(None) | Seen::Nothing => None,
    };
    if let Some(mut obs) = obs {
        if let Some(uc) = &use_case {
            obs = obs.with_use_case(uc);
        }
        if let Some((uc, rule)) = pr
            .classification
            .as_ref()
            .and_then(guard_hit)
            .filter(|_| !blocked)
        {
            obs = obs.with_guard_hit(uc, rule);
        }
        crate::api::observe(&ctx.pipeline.state, obs, ctx.addr);
    }

    // ledger
    let classified = pr.classification.as_ref().map(labels).unwrap_or_default();
    ctx.pipeline
        .ledger
        .record(Record {
            request_id: &ctx.request_id,
            principal: Some(p),
            model: &pr.model,
            action: ctx.action,
            decision: Some(decision),
            policy_ids,
            declared_use_case: pr.declared.map(|u| u.as_str()).unwrap_or_default(),
            classified_use_case: &classified,
            prompt_tokens: prompt,
            completion_tokens: completion,
            request_body: pr.request_body.as_deref(),
            response_body: response.as_deref(),
            detail,
            ..Record::default()
        })
        .await
}
