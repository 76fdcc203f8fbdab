//! Witnesses through the real binary: `haetae witness init|cosign|run` against a gateway configured with
//! `ledger_witnesses` and `ledger_required_cosignatures`, the gateway's refusals, `haetae audit` requiring
//! cosignatures, and a witness refusing (and keeping evidence of) a log that forked.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{Gateway, client, haetae, mock, start_gateway, witness_init};

fn cosign(gw: &Gateway, dir: &Path) -> (bool, String) {
    haetae(&[
        "witness",
        "cosign",
        "--url",
        &gw.root_url(),
        "--log-key",
        &gw.vars["HAETAE_LEDGER_KEY"],
        "--dir",
        dir.to_str().expect("utf8"),
    ])
}

/// `haetae witness run` against `url` every second, keeping its state in `dir`, output discarded.
fn witness_run(url: &str, log_key: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_haetae"));
    cmd.args([
        "witness",
        "run",
        "--interval",
        "1",
        "--url",
        url,
        "--log-key",
        log_key,
        "--dir",
    ])
    .arg(dir)
    .env_remove("HAETAE_CONFIG")
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    cmd
}

async fn traffic(gw: &Gateway, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let r = client()
            .post(format!("{}/chat/completions", gw.base_url()))
            .bearer_auth(gw.key("public"))
            .json(&json!({"model": "mock-1", "messages": [{"role": "user", "content": format!("hello {i}")}]}))
            .send()
            .await
            .expect("chat");
        assert_eq!(r.status(), 200);
        ids.push(
            r.headers()["x-request-id"]
                .to_str()
                .expect("id")
                .to_string(),
        );
    }
    ids
}

async fn get(gw: &Gateway, path: &str) -> (u16, String) {
    let r = client()
        .get(format!("{}{path}", gw.root_url()))
        .send()
        .await
        .expect("get");
    (r.status().as_u16(), r.text().await.expect("body"))
}

async fn post_note(gw: &Gateway, body: &str) -> (u16, serde_json::Value) {
    let r = client()
        .post(format!("{}/ledger/witness/cosignature", gw.root_url()))
        .body(body.to_string())
        .send()
        .await
        .expect("post");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

fn size_of(note: &str) -> u64 {
    note.lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .expect("checkpoint size line")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn witnesses_cosign_the_log_and_refuse_a_fork() {
    let upstream = mock().await;
    let wdir = tempfile::tempdir().expect("tmp");
    let (w1, w2, w3) = (
        wdir.path().join("w1"),
        wdir.path().join("w2"),
        wdir.path().join("w3"),
    );
    let k1 = witness_init("w1.example", &w1);
    let k2 = witness_init("w2.example", &w2);
    let _k3 = witness_init("w3.example", &w3);
    let (ok, text) = haetae(&[
        "witness",
        "init",
        "--name",
        "w1.example",
        "--dir",
        w1.to_str().expect("utf8"),
    ]);
    assert!(
        !ok && text.contains("already holds a witness key"),
        "{text}"
    );

    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("a");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::write(
        data.join("haetae.toml"),
        format!("ledger_witnesses = [\"{k1}\", \"{k2}\"]\nledger_required_cosignatures = 2\n"),
    )
    .expect("config");
    let mut gw = start_gateway(&data, &upstream.base_url(), &[]);
    let root = gw.root_url();
    let log_key = gw.vars["HAETAE_LEDGER_KEY"].clone();
    let ids = traffic(&gw, 3).await;
    let audit = |extra: &[&str]| {
        let mut args = vec![
            "audit",
            "verify",
            "--url",
            root.as_str(),
            "--key",
            log_key.as_str(),
        ];
        args.extend_from_slice(extra);
        haetae(&args)
    };

    // One witness: the checkpoint does not count yet.
    let (ok, text) = cosign(&gw, &w1);
    assert!(
        ok && text.contains("cosigned") && text.contains("1 cosignatures on it, 2 required"),
        "{text}"
    );
    let (status, text) = get(&gw, "/ledger/checkpoint/witnessed").await;
    assert_eq!(status, 404, "{text}");
    assert!(
        text.contains("No checkpoint has 2 witness cosignatures yet"),
        "{text}"
    );
    let (ok, text) = audit(&["--witness", &k1, "--witness", &k2]);
    assert!(!ok && text.contains("VERIFICATION FAILED"), "{text}");
    let (ok, text) = audit(&["--witness", &k1, "--witness", &k2, "--cosignatures", "1"]);
    assert!(
        ok && text.contains("cosigned by 1 of the 2 given witnesses (1 required)"),
        "{text}"
    );

    // The second: it counts, and auditors requiring both accept it.
    let (ok, text) = cosign(&gw, &w2);
    assert!(
        ok && text.contains("2 cosignatures on it, 2 required: it counts"),
        "{text}"
    );
    let saved = dir.path().join("saved.txt");
    let saved_s = saved.to_str().expect("utf8");
    let (ok, text) = audit(&[
        "--witness",
        &k1,
        "--witness",
        &k2,
        "--full",
        "--checkpoint",
        saved_s,
    ]);
    assert!(
        ok && text.contains("cosigned by 2 of the 2 given witnesses"),
        "{text}"
    );
    assert!(text.contains("recomputed the tree from all"), "{text}");
    let (ok, text) = haetae(&[
        "audit",
        "prove",
        &ids[1],
        "--url",
        &root,
        "--key",
        &log_key,
        "--witness",
        &k1,
        "--witness",
        &k2,
    ]);
    assert!(ok && text.contains("is in the log"), "{text}");
    let (status, published) = get(&gw, "/ledger/checkpoint").await;
    assert_eq!(status, 200);
    assert!(
        published.contains("— w1.example ") && published.contains("— w2.example "),
        "the checkpoint is served with its cosignatures: {published}"
    );
    let (status, counted) = get(&gw, "/ledger/checkpoint/witnessed").await;
    assert_eq!((status, size_of(&counted)), (200, size_of(&published)));

    // Witnesses the gateway does not know, forged and malformed cosignatures: clear 4xx, nothing kept.
    let (ok, text) = cosign(&gw, &w3);
    assert!(
        !ok && text.contains("403") && text.contains("not one of this log's witnesses"),
        "{text}"
    );
    let (_, candidate) = get(&gw, "/ledger/witness/candidate").await;
    let mut forged = haetae_ledger::Note::parse(&candidate).expect("note");
    forged.signatures.last_mut().expect("a cosignature").sig[20] ^= 1;
    let (status, body) = post_note(&gw, &forged.to_text()).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "bad_cosignature", "{body}");
    let (status, body) = post_note(&gw, "hello\n").await;
    assert_eq!(status, 400, "{body}");
    let (_, latest) = get(&gw, "/ledger/checkpoint").await;
    let log_only: String = latest.split_inclusive('\n').take(5).collect();
    let (status, body) = post_note(&gw, &log_only).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("no witness cosignature"),
        "{body}"
    );

    // The log grows; one witness runs continuously, the other cosigns once, and the new round counts. Auditors see
    // it extend the checkpoint they saved.
    traffic(&gw, 3).await;
    let mut runner = witness_run(&root, &log_key, &w2)
        .spawn()
        .expect("witness run");
    let (ok, text) = cosign(&gw, &w1);
    assert!(ok, "{text}");
    let grown = size_of(&counted) + 3;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, text) = get(&gw, "/ledger/checkpoint/witnessed").await;
        if status == 200 && size_of(&text) >= grown {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the grown checkpoint was never witnessed: {status} {text}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    runner.kill().expect("stop witness run");
    let _ = runner.wait();
    let (ok, text) = audit(&["--witness", &k1, "--witness", &k2, "--checkpoint", saved_s]);
    assert!(
        ok && text.contains("consistent with the saved checkpoint"),
        "{text}"
    );

    // A fork: copy the data directory, let both copies grow differently. w1 cosigns one history and must refuse
    // the other, keeping the evidence; its state does not move.
    gw.stop();
    let fork = dir.path().join("b");
    copy_dir(&data, &fork);
    let mut gw = start_gateway(&data, &upstream.base_url(), &[]);
    traffic(&gw, 2).await;
    let (ok, text) = cosign(&gw, &w1);
    assert!(ok, "{text}");
    gw.stop();
    let state_before = std::fs::read_to_string(w1.join("state.json")).expect("state");
    let mut forked = start_gateway(&fork, &upstream.base_url(), &[]);
    assert_eq!(forked.vars["HAETAE_LEDGER_KEY"], log_key, "same log key");
    traffic(&forked, 3).await;
    let (ok, text) = cosign(&forked, &w1);
    assert!(
        !ok && text.contains("LOG MISBEHAVIOUR") && text.contains("forked"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(w1.join("state.json")).expect("state"),
        state_before
    );
    let evidence: Vec<_> = std::fs::read_dir(w1.join("evidence"))
        .expect("evidence dir")
        .collect();
    assert_eq!(evidence.len(), 1);
    // `run` stops on it too, with a non-zero exit.
    let status = witness_run(&forked.root_url(), &log_key, &w1)
        .status()
        .expect("witness run");
    assert!(!status.success());
    // A witness that never saw the other branch finds the fork consistent with what it cosigned and cosigns it:
    // that is why a log needs several witnesses.
    let (ok, text) = cosign(&forked, &w2);
    assert!(ok, "{text}");
    forked.stop();
}
