//! Train the learned guard stage from the `train` split of the adversarial set, choose its harmful and clearance
//! thresholds on `dev` and `val` (family C: phrasings the model never trained on), and write the weights the crate
//! embeds. The `heldout` split is never read.
//!
//! ```text
//! cargo run -p haetae-policy --example train_classifier -- \
//!     suites/guard-adversarial/set.jsonl crates/haetae-policy/model/guard-classifier.bin
//! ```
//!
//! Deterministic: same set, same seed (in `TrainConfig::default()`), same bytes out.

use std::path::PathBuf;

use haetae_policy::classifier::{Example, Model, TrainConfig, train};
use haetae_policy::guard::{classify_rules_views, clearable, guard_views, learned_texts};
use haetae_policy::{AdvLabel, load_adversarial_set};
use sha2::{Digest, Sha256};

/// The harmful threshold is the lowest at which at most this share of the defensive/benign items is flagged
/// harmful, on `dev` and on `val` each. `dev` alone cannot set it: it shares family A's phrasings with `train`, so
/// the model is sure of it at any threshold (no dev item is flagged even at 0.15), while on family C's unseen
/// phrasings a threshold of 0.15 flagged 47 of 1,218 ordinary requests — Japanese product photography, Excel
/// formulas — as attacks.
const MAX_FALSE_FLAGS: f64 = 0.01;
/// The clearance threshold is the lowest at which, on `dev` and on `val` each, at most this share of the harmful
/// items the rules catch would be cleared (a cleared harmful request is answered: this is pass-through).
const MAX_HARMFUL_CLEARED: f64 = 0.002;

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
    let val: Vec<&(String, &haetae_policy::AdvItem)> =
        texts.iter().filter(|(_, i)| i.split == "val").collect();
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
    // Scored as the gateway scores a request: the most harmful of the message and its decoded views. Choosing the
    // threshold on the message alone let an encoded defensive request's decoded view (the same words with a
    // wrapper the model never saw) cross it.
    let score = |set: &[&(String, &haetae_policy::AdvItem)]| -> Vec<(AdvLabel, f32)> {
        set.iter()
            .map(|(t, i)| {
                let views = guard_views(t);
                let p = learned_texts(t, &views)
                    .iter()
                    .map(|v| model.harmful_score(v).1)
                    .fold(0.0f32, f32::max);
                (i.label, p)
            })
            .collect()
    };
    let scored = score(&dev);
    let scored_val = score(&val);
    eprintln!(
        "harmful threshold: tau | dev harmful caught | dev safe flagged | val harmful caught | val safe flagged"
    );
    for step in (0..=16).map(|s| 0.15 + s as f32 * 0.05) {
        let row = |set: &[(AdvLabel, f32)], harmful: bool| {
            let rel: Vec<&(AdvLabel, f32)> = set
                .iter()
                .filter(|(l, _)| (*l == AdvLabel::Harmful) == harmful)
                .collect();
            let hit = rel.iter().filter(|(_, p)| *p >= step).count();
            format!("{hit}/{}", rel.len())
        };
        eprintln!(
            "  {step:.2} | {} | {} | {} | {}",
            row(&scored, true),
            row(&scored, false),
            row(&scored_val, true),
            row(&scored_val, false)
        );
    }
    let harmful = scored
        .iter()
        .filter(|(l, _)| *l == AdvLabel::Harmful)
        .count();
    let safe = scored.len() - harmful;
    let flags_within = |set: &[(AdvLabel, f32)], tau: f32| {
        let safe = set.iter().filter(|(l, _)| *l != AdvLabel::Harmful).count();
        let flagged = set
            .iter()
            .filter(|(l, p)| *l != AdvLabel::Harmful && *p >= tau)
            .count();
        (flagged as f64) <= MAX_FALSE_FLAGS * safe as f64
    };
    let mut chosen = 0.95f32;
    for step in 0..=80 {
        let tau = 0.15 + step as f32 * 0.01;
        if flags_within(&scored, tau) && flags_within(&scored_val, tau) {
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
    let val_caught = scored_val
        .iter()
        .filter(|(l, p)| *l == AdvLabel::Harmful && *p >= chosen)
        .count();
    let val_flagged = scored_val
        .iter()
        .filter(|(l, p)| *l != AdvLabel::Harmful && *p >= chosen)
        .count();
    let val_harmful = scored_val
        .iter()
        .filter(|(l, _)| *l == AdvLabel::Harmful)
        .count();
    eprintln!(
        "val (classifier alone, threshold {chosen:.2}): harmful caught {val_caught}/{val_harmful}, \
         defensive/benign flagged {val_flagged}/{}",
        scored_val.len() - val_harmful
    );
    let clear = choose_clearance(&model, &texts);
    let bytes = model
        .with_threshold(chosen)
        .with_clear_threshold(clear)
        .to_bytes();
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

/// Per tuning item: whether the rules gave it a label the clearance may remove, and the lowest probability of
/// the model's non-harmful prediction over the request's views (`None` when some view reads harmful).
struct ClearanceCase {
    split: String,
    label: AdvLabel,
    clearable: bool,
    safe_p: Option<f32>,
}

/// Choose the clearance threshold on `dev` and `val` (never `heldout`, never `train`, where the model has seen
/// the phrasings): the lowest on a 0.01 grid at which at most [`MAX_HARMFUL_CLEARED`] of the harmful items the
/// rules label would be cleared, on each split separately. Prints the trade-off table.
fn choose_clearance(model: &Model, texts: &[(String, &haetae_policy::AdvItem)]) -> f32 {
    let cases: Vec<ClearanceCase> = texts
        .iter()
        .filter(|(_, i)| i.split == "dev" || i.split == "val")
        .map(|(t, i)| {
            let views = guard_views(t);
            let rules = classify_rules_views(t, &views);
            let learned = learned_texts(t, &views);
            let mut safe_p: Option<f32> = Some(1.0);
            for v in &learned {
                safe_p = match (safe_p, model.safe_score(v)) {
                    (Some(low), Some((_, p))) => Some(low.min(p)),
                    _ => None,
                };
            }
            ClearanceCase {
                split: i.split.clone(),
                label: i.label,
                clearable: !rules.creation && rules.use_cases.iter().any(|s| clearable(s.use_case)),
                safe_p,
            }
        })
        .collect();
    let count = |split: &str, harmful: bool, tau: f32| -> (usize, usize) {
        let rel: Vec<&ClearanceCase> = cases
            .iter()
            .filter(|c| {
                c.split == split && (c.label == AdvLabel::Harmful) == harmful && c.clearable
            })
            .collect();
        let cleared = rel
            .iter()
            .filter(|c| c.safe_p.is_some_and(|p| p >= tau))
            .count();
        (cleared, rel.len())
    };
    eprintln!(
        "clearance: tau | dev harmful cleared | val harmful cleared | dev safe cleared | val safe cleared"
    );
    let mut chosen = 1.0f32;
    for step in (50..=99).rev() {
        let tau = step as f32 / 100.0;
        let (dh, dn) = count("dev", true, tau);
        let (vh, vn) = count("val", true, tau);
        let (ds, dsn) = count("dev", false, tau);
        let (vs, vsn) = count("val", false, tau);
        if step % 5 == 0 {
            eprintln!("  {tau:.2} | {dh}/{dn} | {vh}/{vn} | {ds}/{dsn} | {vs}/{vsn}");
        }
        let ok = |a: usize, n: usize| a as f64 <= MAX_HARMFUL_CLEARED * n as f64;
        if ok(dh, dn) && ok(vh, vn) {
            chosen = tau;
        } else {
            break;
        }
    }
    eprintln!("clearance threshold: {chosen:.2} (1.00 = off)");
    chosen
}
