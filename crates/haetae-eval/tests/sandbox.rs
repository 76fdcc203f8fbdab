//! The sandboxed exec tool refuses to exceed its limits, and has no network where isolation was achieved.

use haetae_eval::env::Environment;
use haetae_eval::sandbox::{Isolation, Sandbox, SandboxEnvironment, SandboxLimits, isolation};
use serde_json::json;

fn limits() -> SandboxLimits {
    SandboxLimits {
        cpu_seconds: 1,
        memory_bytes: 256 << 20,
        file_size_bytes: 1 << 20,
        max_processes: 64,
        wall_seconds: 5.0,
        output_bytes: 4096,
        require_no_network: false,
    }
}

#[tokio::test]
async fn sandbox_enforces_limits_and_isolation() {
    let iso = isolation();
    println!("sandbox isolation on this machine: {iso:?}");
    let sb = Sandbox::new(limits()).expect("sandbox");

    // Runs in its own directory with a cleared environment.
    let r = sb
        .exec("pwd; echo \"$SECRET_TOKEN|$HOME\"; echo hi > f.txt; cat f.txt")
        .await
        .expect("exec");
    assert!(r.success(), "{r:?}");
    let dir = sb.path().to_string_lossy().into_owned();
    assert!(r.stdout.contains(&dir), "{r:?}");
    assert!(
        r.stdout.contains(&format!("|{dir}")),
        "no inherited variables: {r:?}"
    );

    // A CPU loop is killed by RLIMIT_CPU (SIGXCPU, or SIGKILL at the hard limit), well before the wall limit.
    let r = sb.exec("while :; do :; done").await.expect("exec");
    assert!(!r.timed_out, "{r:?}");
    assert!(
        matches!(r.signal, Some(s) if s == libc::SIGXCPU || s == libc::SIGKILL),
        "{r:?}"
    );

    // A memory hog fails under RLIMIT_AS (awk cannot grow its string past the limit).
    let r = sb
        .exec("awk 'BEGIN { s = \"xxxxxxxxxxxxxxxx\"; while (1) s = s s }'")
        .await
        .expect("exec");
    assert!(!r.success() && !r.timed_out, "{r:?}");

    // Writing past RLIMIT_FSIZE fails (SIGXFSZ) and the file stays at the limit.
    let r = sb
        .exec("head -c 4000000 /dev/zero > big.bin")
        .await
        .expect("exec");
    assert!(!r.success(), "{r:?}");
    let size = std::fs::metadata(sb.path().join("big.bin"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert!(size <= 1 << 20, "file grew to {size}");

    // The wall-time limit kills the whole process group.
    let mut short = limits();
    short.wall_seconds = 0.5;
    let sb2 = Sandbox::new(short).expect("sandbox");
    let t = std::time::Instant::now();
    let r = sb2
        .exec("sleep 30 & sleep 30; echo never")
        .await
        .expect("exec");
    assert!(
        r.timed_out && t.elapsed() < std::time::Duration::from_secs(5),
        "{r:?}"
    );

    // Output is capped.
    let r = sb.exec("yes | head -c 100000").await.expect("exec");
    assert!(
        r.stdout.len() < 5000 && r.stdout.contains("more bytes dropped"),
        "{}",
        r.stdout.len()
    );

    // No network: only a loopback interface (down) exists in the namespace.
    if iso.network_isolated() {
        let r = sb.exec("cat /proc/net/dev").await.expect("exec");
        let ifaces: Vec<&str> = r
            .stdout
            .lines()
            .skip(2)
            .filter_map(|l| l.split(':').next())
            .map(str::trim)
            .collect();
        assert_eq!(ifaces, ["lo"], "{r:?}");
        if std::path::Path::new("/bin/bash").exists() {
            let r = sb
                .exec("bash -c 'echo > /dev/tcp/1.1.1.1/53' 2>&1")
                .await
                .expect("exec");
            assert!(!r.success(), "{r:?}");
        }
    } else {
        println!("skipping the no-network check: isolation is {iso:?}");
    }
    if iso == Isolation::NetNamespaceAsNobody {
        let r = sb
            .exec("id -u; touch /etc/haetae-sandbox-probe")
            .await
            .expect("exec");
        assert!(
            r.stdout.starts_with("65534") && !r.success(),
            "runs as nobody and cannot write /etc: {r:?}"
        );
    }
}

#[tokio::test]
async fn sandbox_environment_exposes_exec_as_a_tool() {
    let mut env = SandboxEnvironment::new(limits()).expect("sandbox env");
    assert_eq!(env.tools()[0].name, "exec");
    let out = env
        .call("exec", &json!({"command": "echo 7 > answer; cat answer"}))
        .await
        .expect("tool");
    assert_eq!(out.trim(), "7");
    let out = env
        .call("exec", &json!({"command": "exit 3"}))
        .await
        .expect("tool");
    assert!(out.contains("[exit code 3]"));
    assert!(env.call("exec", &json!({})).await.is_err());
    let state = env.state();
    assert_eq!(state["commands"], 2);
    assert!(
        state["files"]
            .as_array()
            .is_some_and(|f| f.iter().any(|n| n == "answer"))
    );
}
