//! Train the learned guard stage from the `train` split of the adversarial set, choose its threshold on the
//! `dev` split, and write the weights the crate embeds. The `heldout` split is never read.
//!
//! ```text
//! cargo run -p haetae-policy --example train_classifier -- \
//!     suites/guard-adversarial/set.jsonl crates/haetae-policy/model/guard-classifier.bin
//! ```
//!
//! Deterministic: same set, same seed (in `TrainConfig::default()`), same bytes out.

use std::path::PathBuf;

use haetae_policy::classifier::{Example, TrainConfig, train};
use haetae_policy::{AdvLabel, load_adversarial_set};
use sha2::{Digest, Sha256};

/// The threshold is the lowest at which at most this share of dev defensive/benign items is flagged harmful.
const MAX_DEV_FALSE_FLAGS: f64 = 0.01;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let set = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "suites/guard-adversarial/set.jsonl".into()),
    );
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "crates/haetae-policy/model/guard-classifier.bin".into()),
    );
    let items = load_adversarial_set(&set)?;
    let texts: Vec<(String, &haetae_policy::AdvItem)> =
        items.iter().map(|i| (i.text(), i)).collect();
    let train_set: Vec<Example<'_>> = texts
        .iter()
        .filter(|(_, i)| i.split == "train")
        .map(|(t, i)| Example {
            text: t,
            class: i.use_case,
        })
        .collect();
    let dev: Vec<&(String, &haetae_policy::AdvItem)> =
        texts.iter().filter(|(_, i)| i.split == "dev").collect();
    let cfg = TrainConfig::default();
    let start = std::time::Instant::now();
    let model = train(&train_set, &cfg);
    eprintln!(
        "trained on {} items ({} classes, dim {}, {} epochs) in {:.1}s",
        train_set.len(),
        model.classes().len(),
        cfg.dim,
        cfg.epochs,
        start.elapsed().as_secs_f64()
    );
    let train_acc = train_set
        .iter()
        .filter(|e| {
            let p = model.probabilities(e.text);
            let best = p
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, _)| model.classes()[i]);
            best == Some(e.class)
        })
        .count();
    eprintln!(
        "train accuracy (use-case, argmax): {}/{} = {:.1}%",
        train_acc,
        train_set.len(),
        100.0 * train_acc as f64 / train_set.len() as f64
    );
    let scored: Vec<(AdvLabel, f32)> = dev
        .iter()
        .map(|(t, i)| (i.label, model.harmful_score(t).1))
        .collect();
    let harmful = scored
        .iter()
        .filter(|(l, _)| *l == AdvLabel::Harmful)
        .count();
    let safe = scored.len() - harmful;
    let mut chosen = 0.95f32;
    for step in 0..=80 {
        let tau = 0.15 + step as f32 * 0.01;
        let flagged_safe = scored
            .iter()
            .filter(|(l, p)| *l != AdvLabel::Harmful && *p >= tau)
            .count();
        if (flagged_safe as f64) <= MAX_DEV_FALSE_FLAGS * safe as f64 {
            chosen = tau;
            break;
        }
    }
    let caught = scored
        .iter()
        .filter(|(l, p)| *l == AdvLabel::Harmful && *p >= chosen)
        .count();
    let flagged = scored
        .iter()
        .filter(|(l, p)| *l != AdvLabel::Harmful && *p >= chosen)
        .count();
    eprintln!(
        "dev (classifier alone, threshold {chosen:.2}): harmful caught {caught}/{harmful} = {:.1}%, \
         defensive/benign flagged {flagged}/{safe} = {:.1}%",
        100.0 * caught as f64 / harmful.max(1) as f64,
        100.0 * flagged as f64 / safe.max(1) as f64
    );
    let bytes = model.with_threshold(chosen).to_bytes();
    std::fs::write(&out, &bytes)?;
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    eprintln!(
        "wrote {} ({} bytes, sha256 {hex})",
        out.display(),
        bytes.len()
    );
    Ok(())
}
