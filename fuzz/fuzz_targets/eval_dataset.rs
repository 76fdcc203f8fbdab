//! Dataset loading (`DatasetSpec::load`, JSONL and CSV) from fuzzed bytes written to a temp file, with the
//! spec's options (field mapping, filter, shuffle, choice shuffle, range, limit) taken from the input too.
//!
//! Input: byte 0 = flags (bit 0 CSV, bit 1 shuffle, bit 2 shuffle_choices, bit 3 range, bit 4 limit, bit 5
//! Inspect-style field names `question`/`answer`, bit 6 filter `category: arithmetic`), byte 1 = seed, bytes 2–3
//! = range, byte 4 = limit; the rest is the file.
//!
//! Checks: no panic; loading is deterministic; ids are unique (resume relies on it); `range` and `limit` are
//! respected; inputs are strings or message lists; and shuffling choices keeps each letter target pointing at
//! the same choice text.

#![no_main]

use std::collections::HashMap;

use haetae_eval::dataset::{DatasetSpec, Format, letter_index};
use haetae_fuzz::scratch_dir;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let (head, body) = data.split_at(5);
    let flags = head[0];
    let csv = flags & 1 != 0;
    let name = if csv { "data.csv" } else { "data.jsonl" };
    std::fs::write(scratch_dir().join(name), body).expect("write dataset");

    let mut spec = DatasetSpec::new(name);
    spec.format = Some(if csv { Format::Csv } else { Format::Jsonl });
    spec.shuffle = flags & 2 != 0;
    spec.seed = Some(u64::from(head[1]));
    if flags & 8 != 0 {
        spec.range = Some((usize::from(head[2] % 32), usize::from(head[3] % 32)));
    }
    if flags & 16 != 0 {
        spec.limit = Some(usize::from(head[4] % 16));
    }
    if flags & 32 != 0 {
        spec.fields.input = "question".into();
        spec.fields.target = "answer".into();
    }
    if flags & 64 != 0 {
        spec.filter
            .insert("category".into(), Value::String("arithmetic".into()));
    }

    let Ok(plain) = spec.load(scratch_dir()) else {
        return;
    };
    let again = spec
        .load(scratch_dir())
        .expect("second load of the same file");
    assert_eq!(plain, again, "loading is not deterministic");

    let mut ids = std::collections::HashSet::new();
    for s in &plain {
        assert!(
            ids.insert(s.id.as_str()),
            "duplicate id {:?} accepted",
            s.id
        );
        match &s.input {
            Value::String(t) => assert!(!csv || !t.trim().is_empty(), "empty CSV input accepted"),
            Value::Array(_) => assert!(!csv),
            other => panic!("input {other} is neither text nor messages"),
        }
    }
    if let Some(limit) = spec.limit {
        assert!(plain.len() <= limit);
    }
    if let Some((start, end)) = spec.range {
        assert!(plain.len() <= end.saturating_sub(start));
    }

    spec.shuffle_choices = flags & 4 != 0;
    if spec.shuffle_choices {
        let shuffled = spec
            .load(scratch_dir())
            .expect("load with shuffled choices");
        assert_eq!(shuffled.len(), plain.len());
        let by_id: HashMap<&str, _> = plain.iter().map(|s| (s.id.as_str(), s)).collect();
        for s in &shuffled {
            let orig = by_id[s.id.as_str()];
            let (Some(new_choices), Some(old_choices)) = (&s.choices, &orig.choices) else {
                assert_eq!(s.choices, orig.choices);
                continue;
            };
            let mut a = new_choices.clone();
            let mut b = old_choices.clone();
            a.sort();
            b.sort();
            assert_eq!(a, b, "shuffling changed the choices themselves");
            for (new_t, old_t) in s.target.iter().zip(&orig.target) {
                if let Some(k) = letter_index(old_t).filter(|&k| k < old_choices.len()) {
                    let k2 = letter_index(new_t).expect("a letter target stays a letter");
                    assert_eq!(
                        new_choices.get(k2),
                        Some(&old_choices[k]),
                        "target {old_t} -> {new_t} no longer names the same choice ({} choices)",
                        old_choices.len()
                    );
                }
            }
        }
    }
});
