//! Shared fixtures for the fuzz targets in `fuzz_targets/`.
//!
//! The ledger targets need a real log to tamper with: [`ledger::fixture`] builds one deterministically (fixed
//! Ed25519 seeds, fixed entries), so the seed corpus under `corpus/ledger_*` — real signed checkpoints and real
//! proof responses — stays valid across builds. `HAETAE_FUZZ_WRITE_SEEDS=<dir>` makes a ledger target write those
//! seeds into `<dir>` and exit instead of fuzzing (see `bench/fuzz/run.sh --write-ledger-seeds`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub mod ledger {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as B64;
    use ed25519_dalek::SigningKey;
    use haetae_ledger::api::{ConsistencyProofResponse, InclusionProofResponse};
    use haetae_ledger::merkle::{Hash, MerkleTree};
    use haetae_ledger::note::{ALG_COSIGNATURE_V1, ALG_ED25519};
    use haetae_ledger::{
        Checkpoint, Decision, Entry, EntryKind, NoteSigner, NoteVerifier, witness,
    };

    pub const LOG_NAME: &str = "fuzz.haetae.example/ledger";
    pub const WITNESS_NAME: &str = "witness.fuzz.haetae.example";
    /// Enough leaves for two levels of hash tiles (256 wide) and partial tiles.
    pub const LEAVES: u64 = 1100;
    /// Cosignature timestamps are `BASE_TS + tree size`.
    pub const BASE_TS: u64 = 1_764_000_000;

    pub struct Fixture {
        pub signer: NoteSigner,
        pub verifier: NoteVerifier,
        pub witness_signer: NoteSigner,
        pub witness: NoteVerifier,
        /// Canonical encodings of the log's entries, leaf `i` at index `i`.
        pub entries: Vec<Vec<u8>>,
        pub tree: MerkleTree,
    }

    fn entry(i: u64) -> Entry {
        let decision = match i % 3 {
            0 => Decision::Allow,
            1 => Decision::Deny,
            _ => Decision::Review,
        };
        let kind = if i % 7 == 3 {
            EntryKind::Admin
        } else {
            EntryKind::Request
        };
        let mut e = Entry::new(
            kind,
            decision,
            1_764_000_000_000 + i * 1000,
            &format!("req_{i:05}"),
        );
        e.organisation = format!("org_{:02}", i % 5);
        e.member = format!("mem_{:03}", i % 11);
        e.key_id = format!("key_{:03}", i % 13);
        e.model = ["smollm2-135m", "gpt-sec", ""][(i % 3) as usize].into();
        e.action = if kind == EntryKind::Admin {
            "key.issue".into()
        } else {
            "chat.completions".into()
        };
        e.declared_use_case = if i % 2 == 0 {
            "vulnerability-analysis".into()
        } else {
            String::new()
        };
        e.classified_use_case =
            ["benign", "malware-analysis", "exploit-development"][(i % 3) as usize].into();
        if decision != Decision::Allow {
            e.policy_ids = vec![format!("policy-{}", i % 4)];
        }
        e.prompt_tokens = i * 3;
        e.completion_tokens = i;
        e.digest_key_id = "2026-11".into();
        let mut d = [0u8; 32];
        d[..8].copy_from_slice(&i.to_be_bytes());
        e.request_digest = Some(d);
        if i % 2 == 1 {
            d[31] = 0xff;
            e.response_digest = Some(d);
        }
        e
    }

    pub fn fixture() -> &'static Fixture {
        static F: OnceLock<Fixture> = OnceLock::new();
        F.get_or_init(|| {
            let signer = NoteSigner::from_signing_key(
                LOG_NAME,
                ALG_ED25519,
                SigningKey::from_bytes(&[7u8; 32]),
            )
            .expect("log key");
            let witness_signer = NoteSigner::from_signing_key(
                WITNESS_NAME,
                ALG_COSIGNATURE_V1,
                SigningKey::from_bytes(&[9u8; 32]),
            )
            .expect("witness key");
            let entries: Vec<Vec<u8>> = (0..LEAVES)
                .map(|i| entry(i).encode().expect("encode"))
                .collect();
            let tree = MerkleTree::from_leaves(entries.iter());
            Fixture {
                verifier: signer.verifier(),
                witness: witness_signer.verifier(),
                signer,
                witness_signer,
                entries,
                tree,
            }
        })
    }

    impl Fixture {
        pub fn root(&self, size: u64) -> Hash {
            self.tree.root_at(size).expect("size within the tree")
        }

        pub fn checkpoint(&self, size: u64) -> Checkpoint {
            Checkpoint {
                origin: LOG_NAME.into(),
                size,
                root: self.root(size),
                extensions: Vec::new(),
            }
        }

        /// The signed checkpoint note at `size`, cosigned by the witness when `cosigned`.
        pub fn signed_checkpoint(&self, size: u64, cosigned: bool) -> String {
            let cp = self.checkpoint(size);
            let mut text = cp.sign(&self.signer).expect("sign");
            if cosigned {
                let sig = witness::cosign(&self.witness_signer, &cp.body(), BASE_TS + size)
                    .expect("cosign");
                text.push_str(&sig.to_line());
            }
            text
        }

        /// Whether `cp` states the truth about this log: its origin, a size it reached, and the root at that size.
        pub fn is_genuine(&self, cp: &Checkpoint) -> bool {
            cp.origin == LOG_NAME
                && cp.extensions.is_empty()
                && cp.size <= LEAVES
                && self.tree.root_at(cp.size).ok() == Some(cp.root)
        }

        pub fn inclusion_response(&self, index: u64, size: u64) -> InclusionProofResponse {
            InclusionProofResponse {
                request_id: format!("req_{index:05}"),
                leaf_index: index,
                tree_size: size,
                entry: B64.encode(&self.entries[index as usize]),
                proof: self.tree.inclusion_proof(index, size).expect("proof"),
                checkpoint: self.signed_checkpoint(size, false),
            }
        }

        pub fn consistency_response(&self, old: u64, new: u64) -> ConsistencyProofResponse {
            ConsistencyProofResponse {
                old_size: old,
                new_size: new,
                proof: self.tree.consistency_proof(old, new).expect("proof"),
                checkpoint: self.signed_checkpoint(new, false),
            }
        }
    }

    /// Sizes worth seeding: tiny trees, powers of two and their neighbours, tile boundaries.
    pub const SEED_SIZES: &[u64] = &[1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 255, 256, 257, 1000, 1100];

    /// Writes the `ledger_note` seeds (checkpoints, proof responses, verifier keys) into `dir`.
    pub fn write_note_seeds(dir: &Path) -> std::io::Result<()> {
        let f = fixture();
        std::fs::create_dir_all(dir)?;
        for &n in SEED_SIZES {
            std::fs::write(
                dir.join(format!("checkpoint-{n}.txt")),
                f.signed_checkpoint(n, false),
            )?;
            std::fs::write(
                dir.join(format!("checkpoint-{n}-cosigned.txt")),
                f.signed_checkpoint(n, true),
            )?;
            std::fs::write(
                dir.join(format!("checkpoint-body-{n}.txt")),
                f.checkpoint(n).body(),
            )?;
        }
        for (i, n) in [(0, 1), (2, 3), (4, 5), (6, 8), (100, 257), (999, 1100)] {
            let r = f.inclusion_response(i, n);
            std::fs::write(
                dir.join(format!("inclusion-{i}-{n}.json")),
                serde_json::to_vec(&r)?,
            )?;
        }
        for (m, n) in [(1, 2), (3, 7), (4, 8), (5, 17), (256, 1000), (1000, 1100)] {
            let r = f.consistency_response(m, n);
            std::fs::write(
                dir.join(format!("consistency-{m}-{n}.json")),
                serde_json::to_vec(&r)?,
            )?;
        }
        std::fs::write(dir.join("log-key.txt"), f.verifier.to_string())?;
        std::fs::write(dir.join("witness-key.txt"), f.witness.to_string())?;
        Ok(())
    }

    /// Writes the `ledger_entry` seeds (real canonical entries) into `dir`.
    pub fn write_entry_seeds(dir: &Path) -> std::io::Result<()> {
        let f = fixture();
        std::fs::create_dir_all(dir)?;
        for i in [0usize, 1, 2, 3, 10, 17] {
            std::fs::write(dir.join(format!("entry-{i}.bin")), &f.entries[i])?;
        }
        Ok(())
    }

    /// `HAETAE_FUZZ_WRITE_SEEDS=<dir>`: write this target's seeds and exit (called from a target's `init`).
    pub fn maybe_write_seeds(write: fn(&Path) -> std::io::Result<()>) {
        if let Some(dir) = std::env::var_os("HAETAE_FUZZ_WRITE_SEEDS") {
            match write(Path::new(&dir)) {
                Ok(()) => std::process::exit(0),
                Err(e) => {
                    eprintln!("writing seeds to {}: {e}", Path::new(&dir).display());
                    std::process::exit(1)
                }
            }
        }
    }
}

/// A per-process scratch directory (under /dev/shm when there is one, so writing a file per input is cheap).
pub fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let builder = tempfile::Builder::new()
            .prefix("haetae-fuzz-")
            .tempdir_in(if shm.is_dir() {
                shm.to_path_buf()
            } else {
                std::env::temp_dir()
            });
        builder.expect("scratch directory")
    })
    .path()
}

/// Writes `bytes` to `name` in the scratch directory and returns the path.
pub fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let p = scratch_dir().join(name);
    std::fs::write(&p, bytes).expect("write scratch file");
    p
}
