//! `haetae org|member|key|admin-key|model|tier`: programme administration against the store directly.
//! The admin HTTP API offers the same operations remotely.

use anyhow::Context;
use clap::{Args, Subcommand};
use haetae_core::{Role, Tier, VettingState, now_unix};
use haetae_store::{NewEvidence, NewMember, NewModel, NewOrganisation, Page, Store};
use serde::Serialize;

use crate::config::Config;

/// Queues a record of a change made here for the ledger: the serving gateway owns the ledger and appends it (at
/// once if it is running, else on its next start).
pub async fn audit(store: &Store, action: &str, detail: impl Into<String>) -> anyhow::Result<()> {
    let actor = std::env::var("USER").unwrap_or_else(|_| "cli".into());
    store
        .push_outbox(&format!("cli:{actor}"), action, &detail.into())
        .await
        .context("the change was made but could not be queued for the ledger")?;
    Ok(())
}

pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    let store = Store::connect(&config.store_url())
        .await
        .context("cannot open the programme store")?;
    store.ensure_default_tiers().await?;
    Ok(store)
}

#[derive(Args, Clone, Copy)]
pub struct Output {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct PageArgs {
    /// At most this many items.
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// Continue after this cursor (from the previous page).
    #[arg(long)]
    after: Option<String>,
}

impl PageArgs {
    pub fn page(&self) -> Page {
        Page {
            limit: Some(self.limit),
            after: self.after.clone(),
        }
    }
}

fn print<T: Serialize>(
    out: Output,
    value: &T,
    table: impl FnOnce(&T) -> Vec<Vec<String>>,
) -> anyhow::Result<()> {
    if out.json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        print_table(&table(value));
    }
    Ok(())
}

/// Plain aligned columns; the first row is the header.
pub fn print_rows(rows: &[Vec<String>]) {
    print_table(rows)
}

/// JSON of `value` with `--json`, else the rows as a table.
pub fn print_json_or_rows<T: Serialize>(
    out: Output,
    value: &T,
    rows: Vec<Vec<String>>,
) -> anyhow::Result<()> {
    print(out, value, |_| rows)
}

fn print_table(rows: &[Vec<String>]) {
    let Some(header) = rows.first() else { return };
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
}

fn when(t: Option<i64>) -> String {
    t.map_or_else(|| "-".into(), |t| t.to_string())
}

fn days_from_now(days: Option<u32>) -> Option<i64> {
    days.map(|d| now_unix() + i64::from(d) * 86_400)
}

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Register an organisation (it starts as `applied`).
    Create {
        #[arg(long)]
        name: String,
        /// ISO country code.
        #[arg(long)]
        country: String,
        #[arg(long, default_value = "")]
        sector: String,
        /// Tier name (default: the lowest).
        #[arg(long)]
        tier: Option<String>,
        #[command(flatten)]
        out: Output,
    },
    List {
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        out: Output,
    },
    /// An organisation with its vetting evidence.
    Show {
        /// Id or name.
        org: String,
        #[command(flatten)]
        out: Output,
    },
    /// Record a vetting review and move the organisation to its decision.
    Vet {
        org: String,
        /// verified, suspended or revoked.
        #[arg(long)]
        decision: VettingState,
        /// Who reviewed.
        #[arg(long)]
        reviewer: String,
        /// What was checked.
        #[arg(long)]
        checked: String,
        #[arg(long, default_value = "")]
        notes: String,
        /// For `verified`: the vetting expires after this many days.
        #[arg(long)]
        expires_in_days: Option<u32>,
        #[command(flatten)]
        out: Output,
    },
    /// Move an organisation to another tier.
    SetTier {
        org: String,
        tier: String,
        #[command(flatten)]
        out: Output,
    },
}

fn org_rows(orgs: &[haetae_core::Organisation]) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "ID",
            "NAME",
            "COUNTRY",
            "SECTOR",
            "STATE",
            "TIER",
            "VETTING EXPIRES",
        ]
        .map(String::from)
        .to_vec(),
    ];
    rows.extend(orgs.iter().map(|o| {
        vec![
            o.id.clone(),
            o.name.clone(),
            o.country.clone(),
            o.sector.clone(),
            o.vetting_state.as_str().into(),
            o.tier.clone(),
            when(o.vetting_expires_at),
        ]
    }));
    rows
}

pub async fn org(config: &Config, cmd: OrgCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        OrgCommand::Create {
            name,
            country,
            sector,
            tier,
            out,
        } => {
            let org = store
                .create_org(&NewOrganisation {
                    name,
                    country,
                    sector,
                    tier,
                })
                .await?;
            audit(
                &store,
                "org.create",
                format!(
                    "organisation {} ({}) created in tier {}",
                    org.id, org.name, org.tier
                ),
            )
            .await?;
            print(out, &org, |o| org_rows(std::slice::from_ref(o)))
        }
        OrgCommand::List { page, out } => {
            let paged = store.list_orgs(&page.page()).await?;
            print(out, &paged, |p| org_rows(&p.data))?;
            if let (false, Some(c)) = (out.json, &paged.next_cursor) {
                println!("(more: --after {c})");
            }
            Ok(())
        }
        OrgCommand::Show { org, out } => {
            let org = store.get_org(&org).await?;
            let evidence = store.list_evidence(&org.id).await?;
            let value = serde_json::json!({"organisation": org, "evidence": evidence});
            print(out, &value, |_| {
                let mut rows = org_rows(std::slice::from_ref(&org));
                rows.push(vec![]);
                rows.push(
                    ["EVIDENCE", "REVIEWER", "CHECKED", "DECISION", "NOTES", "AT"]
                        .map(String::from)
                        .to_vec(),
                );
                rows.extend(evidence.iter().map(|e| {
                    vec![
                        e.id.clone(),
                        e.reviewer.clone(),
                        e.checked.clone(),
                        e.decision.as_str().into(),
                        e.notes.clone(),
                        e.created_at.to_string(),
                    ]
                }));
                rows
            })
        }
        OrgCommand::Vet {
            org,
            decision,
            reviewer,
            checked,
            notes,
            expires_in_days,
            out,
        } => {
            let evidence = NewEvidence {
                reviewer,
                checked,
                decision,
                notes,
                expires_at: days_from_now(expires_in_days),
            };
            let (org, ev) = store.record_vetting(&org, &evidence).await?;
            audit(
                &store,
                "org.vet",
                format!(
                    "organisation {} became {} (evidence {}, reviewer {}, checked: {})",
                    org.id,
                    org.vetting_state.as_str(),
                    ev.id,
                    ev.reviewer,
                    ev.checked
                ),
            )
            .await?;
            print(out, &org, |o| org_rows(std::slice::from_ref(o)))
        }
        OrgCommand::SetTier { org, tier, out } => {
            let org = store.set_org_tier(&org, &tier).await?;
            audit(
                &store,
                "org.set-tier",
                format!("organisation {} moved to tier {}", org.id, org.tier),
            )
            .await?;
            print(out, &org, |o| org_rows(std::slice::from_ref(o)))
        }
    }
}

#[derive(Subcommand)]
pub enum MemberCommand {
    /// Add a member to an organisation.
    Add {
        /// Organisation id or name.
        #[arg(long)]
        org: String,
        /// E-mail address or directory name.
        #[arg(long)]
        identity: String,
        #[arg(long, default_value = "")]
        display_name: String,
        /// owner, reviewer or analyst.
        #[arg(long, default_value = "analyst")]
        role: Role,
        /// The member's identity has been verified.
        #[arg(long)]
        identity_verified: bool,
        #[command(flatten)]
        out: Output,
    },
    List {
        #[arg(long)]
        org: String,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        out: Output,
    },
}

fn member_rows(members: &[haetae_core::Member]) -> Vec<Vec<String>> {
    let mut rows = vec![
        ["ID", "IDENTITY", "NAME", "ROLE", "IDENTITY VERIFIED"]
            .map(String::from)
            .to_vec(),
    ];
    rows.extend(members.iter().map(|m| {
        vec![
            m.id.clone(),
            m.identity.clone(),
            m.display_name.clone(),
            m.role.as_str().into(),
            m.identity_verified.to_string(),
        ]
    }));
    rows
}

pub async fn member(config: &Config, cmd: MemberCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        MemberCommand::Add {
            org,
            identity,
            display_name,
            role,
            identity_verified,
            out,
        } => {
            let m = store
                .add_member(
                    &org,
                    &NewMember {
                        identity,
                        display_name,
                        role,
                        identity_verified,
                    },
                )
                .await?;
            audit(
                &store,
                "member.add",
                format!(
                    "member {} ({}) added to {} as {}",
                    m.id,
                    m.identity,
                    m.org_id,
                    m.role.as_str()
                ),
            )
            .await?;
            print(out, &m, |m| member_rows(std::slice::from_ref(m)))
        }
        MemberCommand::List { org, page, out } => {
            let paged = store.list_members(&org, &page.page()).await?;
            print(out, &paged, |p| member_rows(&p.data))
        }
    }
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Issue a key for a member. The key is printed once; only its hash is kept.
    Issue {
        /// Member id.
        #[arg(long)]
        member: String,
        #[arg(long, default_value = "")]
        label: String,
        #[arg(long)]
        expires_in_days: Option<u32>,
        #[command(flatten)]
        out: Output,
    },
    List {
        /// Only this organisation's keys (id or name).
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        page: PageArgs,
        #[command(flatten)]
        out: Output,
    },
    /// Revoke a key; the next request with it is refused.
    Revoke {
        /// The key's public id (the part after `hk_`).
        id: String,
        #[command(flatten)]
        out: Output,
    },
}

fn key_rows(keys: &[haetae_core::ApiKeyInfo]) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "ID", "MEMBER", "ORG", "LABEL", "CREATED", "EXPIRES", "REVOKED",
        ]
        .map(String::from)
        .to_vec(),
    ];
    rows.extend(keys.iter().map(|k| {
        vec![
            k.id.clone(),
            k.member_id.clone(),
            k.org_id.clone(),
            k.label.clone(),
            k.created_at.to_string(),
            when(k.expires_at),
            when(k.revoked_at),
        ]
    }));
    rows
}

pub async fn key(config: &Config, cmd: KeyCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        KeyCommand::Issue {
            member,
            label,
            expires_in_days,
            out,
        } => {
            let (info, secret) = store
                .issue_key(&member, &label, days_from_now(expires_in_days))
                .await?;
            audit(
                &store,
                "key.issue",
                format!(
                    "key {} issued to member {} of {}",
                    info.id, info.member_id, info.org_id
                ),
            )
            .await?;
            if out.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"key": secret.full, "info": info})
                    )?
                );
            } else {
                println!("{}", secret.full);
                eprintln!(
                    "Issued key {} for member {}. Store it now: it is not shown again.",
                    info.id, info.member_id
                );
            }
            Ok(())
        }
        KeyCommand::List { org, page, out } => {
            let paged = store.list_keys(org.as_deref(), &page.page()).await?;
            print(out, &paged, |p| key_rows(&p.data))
        }
        KeyCommand::Revoke { id, out } => {
            let key = store.revoke_key(id.trim_start_matches("hk_")).await?;
            audit(&store, "key.revoke", format!("key {} revoked", key.id)).await?;
            print(out, &key, |k| key_rows(std::slice::from_ref(k)))
        }
    }
}

#[derive(Subcommand)]
pub enum AdminKeyCommand {
    /// Issue an administrator key for the admin API. Printed once.
    Issue {
        #[arg(long, default_value = "")]
        label: String,
    },
    Revoke {
        id: String,
    },
}

pub async fn admin_key(config: &Config, cmd: AdminKeyCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        AdminKeyCommand::Issue { label } => {
            let key = store.issue_admin_key(&label).await?;
            audit(
                &store,
                "admin-key.issue",
                format!("administrator key {} issued", key.public_id),
            )
            .await?;
            println!("{}", key.full);
            eprintln!(
                "Issued administrator key {}. Store it now: it is not shown again.",
                key.public_id
            );
        }
        AdminKeyCommand::Revoke { id } => {
            store
                .revoke_admin_key(id.trim_start_matches("hka_"))
                .await?;
            audit(
                &store,
                "admin-key.revoke",
                format!("administrator key {id} revoked"),
            )
            .await?;
            println!("revoked {id}");
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum ModelCommand {
    /// Add a model to the catalogue (or replace its entry).
    Add {
        /// The name callers use.
        #[arg(long)]
        name: String,
        /// The configured backend that serves it.
        #[arg(long)]
        backend: String,
        /// The model id at the backend.
        #[arg(long)]
        upstream_model: String,
        /// The lowest tier that may use it.
        #[arg(long)]
        min_tier: String,
        #[arg(long, default_value = "")]
        description: String,
        #[command(flatten)]
        out: Output,
    },
    List {
        #[command(flatten)]
        out: Output,
    },
    Remove {
        name: String,
    },
}

fn model_rows(models: &[haetae_core::ModelEntry]) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "NAME",
            "BACKEND",
            "UPSTREAM MODEL",
            "MIN TIER",
            "DESCRIPTION",
        ]
        .map(String::from)
        .to_vec(),
    ];
    rows.extend(models.iter().map(|m| {
        vec![
            m.name.clone(),
            m.backend.clone(),
            m.upstream_model.clone(),
            m.min_tier.clone(),
            m.description.clone(),
        ]
    }));
    rows
}

pub async fn model(config: &Config, cmd: ModelCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        ModelCommand::Add {
            name,
            backend,
            upstream_model,
            min_tier,
            description,
            out,
        } => {
            if !config.backends.is_empty() && !config.backends.iter().any(|b| b.name() == backend) {
                eprintln!(
                    "warning: no backend named '{backend}' is configured here; the gateway will answer 503 for this model until one is"
                );
            }
            let m = store
                .upsert_model(&NewModel {
                    name,
                    backend,
                    upstream_model,
                    min_tier,
                    description,
                })
                .await?;
            audit(
                &store,
                "model.put",
                format!(
                    "model {} via {} ({}) min tier {}",
                    m.name, m.backend, m.upstream_model, m.min_tier
                ),
            )
            .await?;
            print(out, &m, |m| model_rows(std::slice::from_ref(m)))
        }
        ModelCommand::List { out } => {
            let models = store.list_models().await?;
            print(out, &models, |m| model_rows(m))
        }
        ModelCommand::Remove { name } => {
            store.remove_model(&name).await?;
            audit(&store, "model.remove", format!("model {name} removed")).await?;
            println!("removed {name}");
            Ok(())
        }
    }
}

#[derive(Subcommand)]
pub enum TierCommand {
    List {
        #[command(flatten)]
        out: Output,
    },
    /// Create a tier or change its rank (higher rank = more access).
    Set {
        name: String,
        #[arg(long)]
        rank: i64,
        #[arg(long, default_value = "")]
        description: String,
    },
}

pub async fn tier(config: &Config, cmd: TierCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    match cmd {
        TierCommand::List { out } => {
            let tiers = store.list_tiers().await?;
            print(out, &tiers, |tiers| {
                let mut rows = vec![["NAME", "RANK", "DESCRIPTION"].map(String::from).to_vec()];
                rows.extend(
                    tiers
                        .iter()
                        .map(|t| vec![t.name.clone(), t.rank.to_string(), t.description.clone()]),
                );
                rows
            })
        }
        TierCommand::Set {
            name,
            rank,
            description,
        } => {
            store
                .upsert_tier(&Tier {
                    name: name.clone(),
                    rank,
                    description,
                })
                .await?;
            audit(&store, "tier.set", format!("tier {name} has rank {rank}")).await?;
            println!("tier {name} has rank {rank}");
            Ok(())
        }
    }
}
