//! Opens the transparency ledger in the data directory, creating its keys on first use.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use haetae_gateway::stages::record::Recorder;
use haetae_ledger::{
    CommitKey, DigestKey, Ledger, LedgerConfig, NoteSigner, NoteVerifier, WitnessPolicy,
    postgres::PostgresOptions,
};

pub struct OpenLedger {
    pub recorder: Recorder,
    /// The public verifier key outsiders check checkpoints with.
    pub verifier_key: String,
}

/// `<data_dir>/ledger/`: `log.key` (Ed25519 signing key, 0600), `log.pub` (its verifier key, to publish),
/// `digest.key` (HMAC key for body digests, 0600), `commit.key` (master key of the entries' keyed commitments,
/// 0600), and the log itself.
pub async fn open(settings: &crate::config::Config) -> anyhow::Result<OpenLedger> {
    let (data_dir, origin) = (settings.data_dir.as_path(), settings.ledger_origin.as_str());
    let witnesses = witness_policy(settings)?;
    let dir = data_dir.join("ledger");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let key_path = dir.join("log.key");
    let signer = if key_path.exists() {
        NoteSigner::load_private_key(&key_path)
            .with_context(|| format!("cannot read the ledger key {}", key_path.display()))?
    } else {
        let signer = NoteSigner::generate(origin).context("cannot generate the ledger key")?;
        signer
            .save_private_key(&key_path)
            .context("cannot save the ledger key")?;
        signer
    };
    let verifier_key = signer.verifier().to_string();
    std::fs::write(dir.join("log.pub"), format!("{verifier_key}\n"))?;
    let digest_path = dir.join("digest.key");
    let digest_key = if digest_path.exists() {
        let text = std::fs::read_to_string(&digest_path)?;
        DigestKey::parse(text.trim())
            .map_err(|e| anyhow::anyhow!("cannot read the digest key: {e}"))?
    } else {
        let id = format!("d{}", haetae_core::now_unix());
        let key = DigestKey::generate(&id)
            .map_err(|e| anyhow::anyhow!("cannot generate the digest key: {e}"))?;
        write_private(&digest_path, key.to_key_string().as_bytes())?;
        key
    };
    let commit_path = dir.join("commit.key");
    let commit_key = if commit_path.exists() {
        let text = std::fs::read_to_string(&commit_path)?;
        CommitKey::parse(text.trim())
            .map_err(|e| anyhow::anyhow!("cannot read the commitment key: {e}"))?
    } else {
        let id = format!("c{}", haetae_core::now_unix());
        let key = CommitKey::generate(&id)
            .map_err(|e| anyhow::anyhow!("cannot generate the commitment key: {e}"))?;
        write_private(&commit_path, key.to_key_string().as_bytes())?;
        key
    };
    let mut config = LedgerConfig::new(signer);
    config.witnesses = witnesses;
    let ledger = match settings.ledger_backend.as_str() {
        "file" | "" => open_file(&dir, config).await?,
        "postgres" => open_postgres(settings, config).await?,
        other => anyhow::bail!(
            "ledger_backend: unknown backend {other:?} (use \"file\" or \"postgres\")"
        ),
    };
    Ok(OpenLedger {
        recorder: Recorder::new(ledger, Arc::new(digest_key), Arc::new(commit_key)),
        verifier_key,
    })
}

/// The single-machine log in `dir`, with a checkpoint signed every second the tree has grown.
async fn open_file(dir: &Path, config: LedgerConfig) -> anyhow::Result<Ledger> {
    let ledger_dir = dir.to_owned();
    let ledger = tokio::task::spawn_blocking(move || Ledger::open(&ledger_dir, config))
        .await?
        .with_context(|| format!("cannot open the ledger in {}", dir.display()))?;
    // Sign a checkpoint every second the tree has grown (it signs nothing when it has not).
    let ticker = ledger.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        loop {
            interval.tick().await;
            let l = ticker.clone();
            match tokio::task::spawn_blocking(move || l.checkpoint()).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!(error = %e, "cannot publish a ledger checkpoint"),
                Err(e) => tracing::error!(error = %e, "checkpoint task failed"),
            }
        }
    });
    Ok(ledger)
}

/// The programme's shared log in PostgreSQL. Its elected integrator signs the checkpoints, so no
/// ticker here; witness cosignatures are kept in the database too, so every replica serves them.
async fn open_postgres(
    settings: &crate::config::Config,
    config: LedgerConfig,
) -> anyhow::Result<Ledger> {
    let url = if settings.ledger_postgres_url.trim().is_empty() {
        settings.store_url()
    } else {
        settings.ledger_postgres_url.clone()
    };
    anyhow::ensure!(
        url.starts_with("postgres://") || url.starts_with("postgresql://"),
        "ledger_backend = \"postgres\" needs ledger_postgres_url (or store_url) to be a postgres:// URL"
    );
    let mut options = PostgresOptions::new(url);
    options.schema = settings.ledger_postgres_schema.clone();
    options.integrate = settings.ledger_integrate;
    let rotate_from = settings.ledger_postgres_rotate_from.trim();
    options.rotate_from = (!rotate_from.is_empty()).then(|| rotate_from.to_owned());
    options.retired_witness_grace =
        Duration::from_secs(settings.ledger_postgres_retired_witness_secs);
    Ledger::open_postgres(options, config)
        .await
        .context("cannot open the shared ledger in PostgreSQL")
}

/// `ledger_witnesses` and `ledger_required_cosignatures`, checked before the ledger opens so a typo in a key is
/// named rather than reported as a generic configuration error.
fn witness_policy(config: &crate::config::Config) -> anyhow::Result<WitnessPolicy> {
    let witnesses = config
        .ledger_witnesses
        .iter()
        .map(|k| {
            NoteVerifier::parse(k)
                .map_err(|e| anyhow::anyhow!("ledger_witnesses: invalid witness key {k:?}: {e}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let policy = WitnessPolicy {
        witnesses,
        required: config.ledger_required_cosignatures,
        round: Duration::from_secs(config.ledger_witness_round_secs.max(1)),
    };
    policy
        .validate()
        .map_err(|e| anyhow::anyhow!("ledger_witnesses / ledger_required_cosignatures: {e}"))?;
    Ok(policy)
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}
