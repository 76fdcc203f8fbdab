//! `haetae engagement|review|usage|limits`: running the programme from the command line, against the store.
//! Each change is queued for the ledger (see `admin_cli::audit`); the admin API offers the same remotely.

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use haetae_core::{Quota, TierLimits, now_unix};
use haetae_meter::review::{ReviewAction, ReviewItem, ReviewState};
use haetae_meter::usage::{GroupBy, UsageReport};
use haetae_store::{NewEngagement, UsageQuery};

use crate::admin_cli::{Output, PageArgs, audit, open_store, print_json_or_rows};
use crate::config::Config;

#[derive(Subcommand)]
pub enum EngagementCommand {
    /// Register an authorised test of named targets. Only an owner of the organisation may register one.
    Register {
        /// Organisation id or name.
        #[arg(long)]
        org: String,
        /// The registering owner's member id.
        #[arg(long)]
        owner: String,
        #[arg(long)]
        name: String,
        /// A target in scope: host, `*.domain`, IP, CIDR, or `github.com/owner/repo[/*]`. Repeat for more.
        #[arg(long = "target", required = true)]
        targets: Vec<String>,
        /// Valid for this many days from now.
        #[arg(long, default_value_t = 30)]
        days: u32,
        #[command(flatten)]
        out: Output,
    },
    List {
        /// Organisation id or name.
        org: String,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        out: Output,
    },
    /// End an engagement now.
    Revoke { id: String },
}

pub async fn engagement(config: &Config, cmd: EngagementCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        EngagementCommand::Register {
            org,
            owner,
            name,
            targets,
            days,
            out,
        } => {
            let org = store.get_org(&org).await?;
            let now = now_unix();
            let new = NewEngagement {
                name,
                targets,
                valid_from: now,
                valid_until: now + i64::from(days.max(1)) * 86_400,
                registered_by: owner,
            };
            haetae_gateway::admin_ops::validate_engagement(&org.id, &new)
                .map_err(|e| anyhow::anyhow!("invalid engagement: {e}"))?;
            let e = store.register_engagement(&org.id, &new).await?;
            audit(
                &store,
                "engagement.register",
                format!(
                    "engagement {} for {} by {}: {} until {}",
                    e.id,
                    org.name,
                    e.registered_by,
                    e.targets.join(" "),
                    e.valid_until
                ),
            )
            .await?;
            print_json_or_rows(out, &e, engagement_rows(std::slice::from_ref(&e)))
        }
        EngagementCommand::List { org, page, out } => {
            let paged = store.list_engagements(&org, &page.page()).await?;
            print_json_or_rows(out, &paged, engagement_rows(&paged.data))
        }
        EngagementCommand::Revoke { id } => {
            let e = store.revoke_engagement(&id).await?;
            audit(
                &store,
                "engagement.revoke",
                format!("engagement {} revoked", e.id),
            )
            .await?;
            println!("revoked {}", e.id);
            Ok(())
        }
    }
}

fn engagement_rows(items: &[haetae_store::EngagementRecord]) -> Vec<Vec<String>> {
    let mut rows = vec![
        ["ID", "NAME", "TARGETS", "FROM", "UNTIL", "REVOKED"]
            .map(String::from)
            .to_vec(),
    ];
    rows.extend(items.iter().map(|e| {
        vec![
            e.id.clone(),
            e.name.clone(),
            e.targets.join(" "),
            e.valid_from.to_string(),
            e.valid_until.to_string(),
            e.revoked_at.map_or_else(|| "-".into(), |t| t.to_string()),
        ]
    }));
    rows
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StateArg {
    Open,
    Claimed,
    Resolved,
}

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Review items, oldest first.
    List {
        #[arg(long, value_enum)]
        state: Option<StateArg>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        out: Output,
    },
    /// One item with its evidence and history (JSON).
    Show { id: String },
    /// Take an open item.
    Claim {
        id: String,
        #[arg(long)]
        reviewer: String,
    },
    /// Give a claimed item back.
    Unclaim {
        id: String,
        #[arg(long)]
        reviewer: String,
    },
    /// Decide a claimed item: dismiss, warn, suspend-key or suspend-org (effective on the next request).
    Resolve {
        id: String,
        #[arg(long)]
        reviewer: String,
        #[arg(long)]
        action: ReviewAction,
        /// Why (required for everything but dismiss).
        #[arg(long)]
        note: Option<String>,
    },
}

fn review_rows(items: &[ReviewItem]) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "ID",
            "KIND",
            "SEVERITY",
            "STATE",
            "ORGANISATION",
            "KEY",
            "SIGNALS",
            "CLAIMED BY",
        ]
        .map(String::from)
        .to_vec(),
    ];
    rows.extend(items.iter().map(|i| {
        vec![
            i.id.simple().to_string(),
            i.kind.as_str().into(),
            format!("{:?}", i.severity).to_lowercase(),
            i.state.as_str().into(),
            i.subject.org_id().into(),
            i.subject.key_id().unwrap_or("-").into(),
            i.signals.len().to_string(),
            i.claimed_by.clone().unwrap_or_else(|| "-".into()),
        ]
    }));
    rows
}

pub async fn review(config: &Config, cmd: ReviewCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        ReviewCommand::List { state, page, out } => {
            let state = state.map(|s| match s {
                StateArg::Open => ReviewState::Open,
                StateArg::Claimed => ReviewState::Claimed,
                StateArg::Resolved => ReviewState::Resolved,
            });
            let paged = store.list_reviews(state, &page.page()).await?;
            print_json_or_rows(out, &paged, review_rows(&paged.data))
        }
        ReviewCommand::Show { id } => {
            let item = store.get_review(&id).await?;
            println!("{}", serde_json::to_string_pretty(&item)?);
            Ok(())
        }
        ReviewCommand::Claim { id, reviewer } => {
            let item = store.claim_review(&id, &reviewer).await?;
            audit(
                &store,
                "review.claim",
                format!("review {} claimed by {reviewer}", item.id.simple()),
            )
            .await?;
            println!("claimed {}", item.id.simple());
            Ok(())
        }
        ReviewCommand::Unclaim { id, reviewer } => {
            let item = store.unclaim_review(&id, &reviewer).await?;
            audit(
                &store,
                "review.unclaim",
                format!("review {} unclaimed by {reviewer}", item.id.simple()),
            )
            .await?;
            println!("unclaimed {}", item.id.simple());
            Ok(())
        }
        ReviewCommand::Resolve {
            id,
            reviewer,
            action,
            note,
        } => {
            let (item, enforcement) = store
                .resolve_review(&id, &reviewer, action, note.as_deref())
                .await?;
            let item_id = item.id.simple().to_string();
            audit(
                &store,
                "review.resolve",
                format!(
                    "review {item_id} resolved by {reviewer}: {} ({})",
                    action.as_str(),
                    serde_json::to_string(&enforcement)?
                ),
            )
            .await?;
            println!("resolved {item_id}: {}", action.as_str());
            Ok(())
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
}

#[derive(Subcommand)]
pub enum UsageCommand {
    /// Usage per organisation, member, key, model, use-case and day (the gateway writes it every few seconds).
    Report {
        /// First UTC day, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// Last UTC day, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
        /// One organisation (id or name).
        #[arg(long)]
        org: Option<String>,
        /// Comma-separated: org, member, key, model, use_case, day.
        #[arg(long, default_value = "org,model,day")]
        group_by: String,
        #[arg(long, value_enum, default_value = "table")]
        format: ReportFormat,
    },
}

pub async fn usage(config: &Config, cmd: UsageCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let UsageCommand::Report {
        from,
        to,
        org,
        group_by,
        format,
    } = cmd;
    let group_by = GroupBy::parse_list(&group_by).map_err(|e| anyhow::anyhow!("{e}"))?;
    let rows = store.usage(&UsageQuery { from, to, org }).await?;
    let report = UsageReport::build(&rows, &group_by);
    match format {
        ReportFormat::Table => print!("{}", report.to_table()),
        ReportFormat::Csv => print!("{}", report.to_csv()),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report.to_json())?),
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum LimitsCommand {
    /// The limits of a tier, an organisation or a key.
    Show {
        #[arg(long, conflicts_with_all = ["org", "key"])]
        tier: Option<String>,
        #[arg(long, conflicts_with = "key")]
        org: Option<String>,
        #[arg(long)]
        key: Option<String>,
    },
    /// Replace the limits of a tier (JSON TierLimits: per_key, per_org, pool), an organisation or a key (JSON
    /// Quota: requests_per_minute, tokens_per_minute, requests_per_day, tokens_per_day, tokens_per_month).
    Set {
        #[arg(long, conflicts_with_all = ["org", "key"])]
        tier: Option<String>,
        #[arg(long, conflicts_with = "key")]
        org: Option<String>,
        #[arg(long)]
        key: Option<String>,
        /// The limits as JSON, e.g. '{"requests_per_minute": 30, "tokens_per_day": 200000}'.
        json: String,
    },
}

pub async fn limits(config: &Config, cmd: LimitsCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        LimitsCommand::Show { tier, org, key } => {
            let value = match (tier, org, key) {
                (Some(t), _, _) => serde_json::to_value(store.tier_limits(&t).await?)?,
                (_, Some(o), _) => serde_json::to_value(store.org_limits(&o).await?)?,
                (_, _, Some(k)) => {
                    let rec = store
                        .lookup_key(k.trim_start_matches("hk_"))
                        .await?
                        .with_context(|| format!("no API key {k}"))?;
                    serde_json::json!({"key": rec.quotas.key, "effective_key": rec.quotas.key(), "effective_org": rec.quotas.org(), "tier_pool": rec.quotas.tier.pool})
                }
                _ => anyhow::bail!("name one of --tier, --org or --key"),
            };
            println!("{}", serde_json::to_string_pretty(&value)?);
            Ok(())
        }
        LimitsCommand::Set {
            tier,
            org,
            key,
            json,
        } => {
            let (what, value) = match (tier, org, key) {
                (Some(t), _, _) => {
                    let l: TierLimits =
                        serde_json::from_str(&json).context("not TierLimits JSON")?;
                    (
                        format!("tier {t}"),
                        serde_json::to_value(store.set_tier_limits(&t, &l).await?)?,
                    )
                }
                (_, Some(o), _) => {
                    let q: Quota = serde_json::from_str(&json).context("not Quota JSON")?;
                    (
                        format!("organisation {o}"),
                        serde_json::to_value(store.set_org_limits(&o, &q).await?)?,
                    )
                }
                (_, _, Some(k)) => {
                    let q: Quota = serde_json::from_str(&json).context("not Quota JSON")?;
                    let k = k.trim_start_matches("hk_").to_string();
                    (
                        format!("key {k}"),
                        serde_json::to_value(store.set_key_limits(&k, &q).await?)?,
                    )
                }
                _ => anyhow::bail!("name one of --tier, --org or --key"),
            };
            audit(&store, "limits.set", format!("{what} limits {value}")).await?;
            println!("{}", serde_json::to_string_pretty(&value)?);
            Ok(())
        }
    }
}
