//! The sandboxed `exec` tool: a shell command in a child process, in a fresh temporary directory, with a cleared
//! environment, resource limits (CPU time, address space, file size, processes), a wall-time kill of the whole
//! process group, and — where the kernel allows it — no network (a new network namespace).
//!
//! Isolation is detected once per process ([`isolation`]) and reported in every result, so a log says what the
//! model's commands could and could not reach. This is containment for evaluation, not a hardened jail: the
//! filesystem outside the working directory stays readable (and, without a uid drop, writable by the same user).

// The sandbox needs libc calls std does not wrap (rlimits, namespaces and uid drop in `pre_exec`, chown, killing the
// process group); each `unsafe` block carries its SAFETY note.
#![allow(unsafe_code)]

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;

use crate::env::{Environment, ToolDef, ToolResult};
use crate::error::{EvalError, Result};

/// Limits for one command.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxLimits {
    pub cpu_seconds: u64,
    pub memory_bytes: u64,
    pub file_size_bytes: u64,
    pub max_processes: u64,
    pub wall_seconds: f64,
    /// Bytes of stdout and of stderr kept (the rest is dropped and marked).
    pub output_bytes: usize,
    /// Refuse to run when network isolation is unavailable (instead of running with the network reachable).
    pub require_no_network: bool,
}

impl Default for SandboxLimits {
    fn default() -> Self {
        SandboxLimits {
            cpu_seconds: 10,
            memory_bytes: 512 << 20,
            file_size_bytes: 16 << 20,
            max_processes: 64,
            wall_seconds: 30.0,
            output_bytes: 64 << 10,
            require_no_network: false,
        }
    }
}

/// What isolation the machine gives the sandbox.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Isolation {
    /// Unprivileged user namespace + network namespace (we map only our own uid).
    UserAndNetNamespace,
    /// Running as root: a network namespace, then the child drops to uid/gid 65534 (nobody).
    NetNamespaceAsNobody,
    /// No namespaces available: resource limits, temp dir and cleared environment only. The network is reachable.
    RlimitsOnly,
}

impl Isolation {
    pub fn network_isolated(self) -> bool {
        !matches!(self, Isolation::RlimitsOnly)
    }
}

const NOBODY: libc::uid_t = 65534;

/// Probes once which isolation works here, by spawning `true` under each mode, strongest first.
pub fn isolation() -> Isolation {
    static ISOLATION: OnceLock<Isolation> = OnceLock::new();
    *ISOLATION.get_or_init(|| {
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        let candidates: &[Isolation] = if root {
            &[
                Isolation::NetNamespaceAsNobody,
                Isolation::UserAndNetNamespace,
            ]
        } else {
            &[Isolation::UserAndNetNamespace]
        };
        for &mode in candidates {
            let mut cmd = std::process::Command::new("/bin/sh");
            cmd.arg("-c")
                .arg("exit 0")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            install_pre_exec(&mut cmd, mode, &SandboxLimits::default());
            if let Ok(status) = cmd.status()
                && status.success()
            {
                return mode;
            }
        }
        Isolation::RlimitsOnly
    })
}

/// Sets up the child between fork and exec. Only async-signal-safe calls happen in the closure: everything it
/// needs (including the uid-map text) is prepared before the fork.
fn install_pre_exec(cmd: &mut std::process::Command, mode: Isolation, limits: &SandboxLimits) {
    // SAFETY: geteuid/getegid have no preconditions.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    let uid_map = format!("0 {uid} 1\n").into_bytes();
    let gid_map = format!("0 {gid} 1\n").into_bytes();
    let cpu = limits.cpu_seconds.max(1);
    let rlimits: [(libc::__rlimit_resource_t, u64, u64); 4] = [
        // The soft CPU limit sends SIGXCPU (fatal); the hard limit one second later is SIGKILL for a handler.
        (libc::RLIMIT_CPU, cpu, cpu + 1),
        (libc::RLIMIT_AS, limits.memory_bytes, limits.memory_bytes),
        (
            libc::RLIMIT_FSIZE,
            limits.file_size_bytes,
            limits.file_size_bytes,
        ),
        (
            libc::RLIMIT_NPROC,
            limits.max_processes,
            limits.max_processes,
        ),
    ];
    let core = (libc::RLIMIT_CORE, 0u64, 0u64);
    // SAFETY: the closure runs in the forked child before exec and uses only raw syscalls on pre-built buffers.
    unsafe {
        cmd.pre_exec(move || {
            let fail = || Err(std::io::Error::last_os_error());
            // Limits first, while still privileged; never above the current hard limit (raising it needs privilege).
            for (res, soft, hard) in rlimits.iter().copied().chain(std::iter::once(core)) {
                let mut cur = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                if libc::getrlimit(res, &mut cur) != 0 {
                    return fail();
                }
                let hard = (hard as libc::rlim_t).min(cur.rlim_max);
                let lim = libc::rlimit {
                    rlim_cur: (soft as libc::rlim_t).min(hard),
                    rlim_max: hard,
                };
                if libc::setrlimit(res, &lim) != 0 {
                    return fail();
                }
            }
            match mode {
                Isolation::NetNamespaceAsNobody => {
                    if libc::unshare(libc::CLONE_NEWNET) != 0 {
                        return fail();
                    }
                    if libc::setgroups(0, std::ptr::null()) != 0
                        || libc::setgid(NOBODY) != 0
                        || libc::setuid(NOBODY) != 0
                    {
                        return fail();
                    }
                }
                Isolation::UserAndNetNamespace => {
                    if libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) != 0 {
                        return fail();
                    }
                    // Map our own ids so files the command creates have an owner (unmapped ids cannot create files).
                    write_proc(c"/proc/self/setgroups", b"deny")?;
                    write_proc(c"/proc/self/uid_map", &uid_map)?;
                    write_proc(c"/proc/self/gid_map", &gid_map)?;
                }
                Isolation::RlimitsOnly => {}
            }
            Ok(())
        });
    }
}

fn write_proc(path: &std::ffi::CStr, data: &[u8]) -> std::io::Result<()> {
    // SAFETY: raw open/write/close on a NUL-terminated path and a live buffer; async-signal-safe.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let n = libc::write(fd, data.as_ptr().cast(), data.len());
        libc::close(fd);
        if n < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The outcome of one command.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExecResult {
    pub exit_code: Option<i32>,
    /// The signal that ended it (e.g. 9 after the wall-time kill, 24 SIGXCPU, 25 SIGXFSZ).
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub stdout: String,
    pub stderr: String,
    pub duration_ms: u64,
    pub isolation: Isolation,
}

impl ExecResult {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0)
    }
    /// How the command ended, in words: `exit 1`, `killed by signal 9`, `killed at the wall-time limit`.
    pub fn ending(&self) -> String {
        if self.timed_out {
            "killed at the wall-time limit".to_owned()
        } else if let Some(sig) = self.signal {
            format!("killed by signal {sig}")
        } else {
            format!("exit {}", self.exit_code.unwrap_or(-1))
        }
    }
    /// The text shown to the model.
    pub fn render(&self) -> String {
        let mut s = String::new();
        if !self.stdout.is_empty() {
            s.push_str(&self.stdout);
        }
        if !self.stderr.is_empty() {
            s.push_str("\n[stderr]\n");
            s.push_str(&self.stderr);
        }
        if self.timed_out {
            s.push_str("\n[killed: wall-time limit]");
        } else if let Some(sig) = self.signal {
            s.push_str(&format!("\n[killed by signal {sig}]"));
        } else if let Some(code) = self.exit_code
            && code != 0
        {
            s.push_str(&format!("\n[exit code {code}]"));
        }
        s
    }
}

/// The last `max` characters of `s` (cut on a character boundary): the end of a command's output, where compilers,
/// sanitizers and test runners say what went wrong.
pub fn tail(s: &str, max: usize) -> &str {
    match s.char_indices().rev().nth(max.saturating_sub(1)) {
        Some((i, _)) if max > 0 => &s[i..],
        Some(_) => "",
        None => s,
    }
}

/// A sandbox: one temporary working directory that persists across the commands of one sample.
#[derive(Debug)]
pub struct Sandbox {
    dir: tempfile::TempDir,
    pub limits: SandboxLimits,
    pub isolation: Isolation,
}

impl Sandbox {
    pub fn new(limits: SandboxLimits) -> Result<Self> {
        let isolation = isolation();
        if limits.require_no_network && !isolation.network_isolated() {
            return Err(EvalError::Sandbox(
                "network isolation is required but unavailable on this machine".into(),
            ));
        }
        let dir = tempfile::Builder::new()
            .prefix("haetae-sandbox-")
            .tempdir()
            .map_err(|e| EvalError::io("creating the sandbox directory", e))?;
        if isolation == Isolation::NetNamespaceAsNobody {
            // The child runs as nobody: give it its own directory (and only that).
            // SAFETY: chown on a path we just created; failure is reported, not undefined.
            let c = std::ffi::CString::new(dir.path().as_os_str().as_encoded_bytes())
                .map_err(|_| EvalError::Sandbox("temporary path contains NUL".into()))?;
            if unsafe { libc::chown(c.as_ptr(), NOBODY, NOBODY) } != 0 {
                return Err(EvalError::io(
                    "chown of the sandbox directory",
                    std::io::Error::last_os_error(),
                ));
            }
        }
        Ok(Sandbox {
            dir,
            limits,
            isolation,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Makes a path inside the sandbox the child's: when commands run as nobody, what the harness copies in as
    /// root would otherwise be read-only to them (a build could not write its objects next to its sources).
    fn hand_over(&self, path: &Path) -> Result<()> {
        if self.isolation != Isolation::NetNamespaceAsNobody {
            return Ok(());
        }
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())
            .map_err(|_| EvalError::Sandbox("path contains NUL".into()))?;
        // SAFETY: lchown on a NUL-terminated path we just created; failure is reported, not undefined.
        if unsafe { libc::lchown(c.as_ptr(), NOBODY, NOBODY) } != 0 {
            return Err(EvalError::io(
                format!("chown of {}", path.display()),
                std::io::Error::last_os_error(),
            ));
        }
        Ok(())
    }

    /// Resolves a relative path inside the sandbox, refusing absolute paths and `..` (a file name from a model
    /// reply must not land outside the working directory).
    fn inside(&self, rel: &Path) -> Result<PathBuf> {
        use std::path::Component;
        if rel.as_os_str().is_empty()
            || !rel.components().all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(EvalError::Sandbox(format!(
                "'{}' is not a relative path inside the sandbox",
                rel.display()
            )));
        }
        Ok(self.dir.path().join(rel))
    }

    /// Writes a file (creating its directories) inside the working directory, owned by the command's user.
    pub fn write_file(&self, rel: &Path, contents: &[u8]) -> Result<()> {
        let dest = self.inside(rel)?;
        if let Some(parent) = dest.parent() {
            self.create_dirs(parent)?;
        }
        std::fs::write(&dest, contents)
            .map_err(|e| EvalError::io(format!("writing {}", dest.display()), e))?;
        self.hand_over(&dest)
    }

    fn create_dirs(&self, dir: &Path) -> Result<()> {
        if dir.exists() {
            return Ok(());
        }
        if let Some(parent) = dir.parent() {
            self.create_dirs(parent)?;
        }
        std::fs::create_dir(dir)
            .map_err(|e| EvalError::io(format!("creating {}", dir.display()), e))?;
        self.hand_over(dir)
    }

    /// Copies a directory tree into the working directory (regular files and directories; symbolic links are
    /// skipped so a task cannot point the sandbox at the host's files), leaving out top-level entries named in
    /// `exclude`. Permissions (the executable bit of a script) are kept.
    pub fn copy_in(&self, src: &Path, exclude: &[&str]) -> Result<()> {
        fn walk(sb: &Sandbox, src: &Path, rel: &Path, exclude: &[&str]) -> Result<()> {
            let rd = std::fs::read_dir(src)
                .map_err(|e| EvalError::io(format!("reading {}", src.display()), e))?;
            for entry in rd {
                let entry =
                    entry.map_err(|e| EvalError::io(format!("reading {}", src.display()), e))?;
                let name = entry.file_name();
                if rel.as_os_str().is_empty()
                    && exclude.iter().any(|x| std::ffi::OsStr::new(x) == name)
                {
                    continue;
                }
                let ty = entry
                    .file_type()
                    .map_err(|e| EvalError::io(format!("reading {}", src.display()), e))?;
                let from = entry.path();
                let to_rel = rel.join(&name);
                if ty.is_dir() {
                    sb.create_dirs(&sb.inside(&to_rel)?)?;
                    walk(sb, &from, &to_rel, exclude)?;
                } else if ty.is_file() {
                    let dest = sb.inside(&to_rel)?;
                    std::fs::copy(&from, &dest)
                        .map_err(|e| EvalError::io(format!("copying {}", from.display()), e))?;
                    sb.hand_over(&dest)?;
                }
            }
            Ok(())
        }
        walk(self, src, Path::new(""), exclude)
    }

    pub async fn exec(&self, command: &str) -> Result<ExecResult> {
        let mut cmd = std::process::Command::new("/bin/sh");
        cmd.arg("-c")
            .arg(command)
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", self.dir.path())
            .env("TMPDIR", self.dir.path())
            .env("LANG", "C.UTF-8")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Own process group, so the wall-time kill reaches every descendant.
            .process_group(0);
        install_pre_exec(&mut cmd, self.isolation, &self.limits);
        let mut cmd = tokio::process::Command::from(cmd);
        cmd.kill_on_drop(true);
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .map_err(|e| EvalError::io("spawning the sandboxed command", e))?;
        let pid = child.id();
        let cap = self.limits.output_bytes;
        let mut stdout = child.stdout.take();
        let mut stderr = child.stderr.take();
        let read_capped = |pipe: Option<tokio::process::ChildStdout>| async move {
            read_limited(pipe, cap).await
        };
        let read_capped_err = |pipe: Option<tokio::process::ChildStderr>| async move {
            read_limited(pipe, cap).await
        };
        let work = async {
            let (out, err, status) = tokio::join!(
                read_capped(stdout.take()),
                read_capped_err(stderr.take()),
                child.wait()
            );
            (out, err, status)
        };
        let wall = Duration::from_secs_f64(self.limits.wall_seconds.max(0.01));
        match tokio::time::timeout(wall, work).await {
            Ok((out, err, status)) => {
                let status =
                    status.map_err(|e| EvalError::io("waiting for the sandboxed command", e))?;
                use std::os::unix::process::ExitStatusExt as _;
                Ok(ExecResult {
                    exit_code: status.code(),
                    signal: status.signal(),
                    timed_out: false,
                    stdout: out,
                    stderr: err,
                    duration_ms: started.elapsed().as_millis() as u64,
                    isolation: self.isolation,
                })
            }
            Err(_) => {
                if let Some(pid) = pid {
                    // SAFETY: kill on the process group we created; a stale group id is harmless (ESRCH).
                    unsafe { libc::kill(-(pid as libc::pid_t), libc::SIGKILL) };
                }
                let _ = child.kill().await;
                Ok(ExecResult {
                    exit_code: None,
                    signal: Some(libc::SIGKILL),
                    timed_out: true,
                    stdout: String::new(),
                    stderr: String::new(),
                    duration_ms: started.elapsed().as_millis() as u64,
                    isolation: self.isolation,
                })
            }
        }
    }
}

async fn read_limited<R: tokio::io::AsyncRead + Unpin>(pipe: Option<R>, cap: usize) -> String {
    let Some(mut pipe) = pipe else {
        return String::new();
    };
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    let mut dropped = 0usize;
    // Keep reading past the cap (and discard) so the child never blocks on a full pipe.
    while let Ok(n) = pipe.read(&mut buf).await {
        if n == 0 {
            break;
        }
        let room = cap.saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
        dropped += n.saturating_sub(room);
    }
    let mut s = String::from_utf8_lossy(&kept).into_owned();
    if dropped > 0 {
        s.push_str(&format!("\n[{dropped} more bytes dropped]"));
    }
    s
}

/// The sandbox as an environment: one tool, `exec`.
#[derive(Debug)]
pub struct SandboxEnvironment {
    sandbox: Sandbox,
    pub history: Vec<(String, ExecResult)>,
}

impl SandboxEnvironment {
    pub fn new(limits: SandboxLimits) -> Result<Self> {
        Ok(SandboxEnvironment {
            sandbox: Sandbox::new(limits)?,
            history: Vec::new(),
        })
    }
    pub fn workdir(&self) -> PathBuf {
        self.sandbox.path().to_owned()
    }
}

#[async_trait]
impl Environment for SandboxEnvironment {
    fn name(&self) -> &str {
        "sandbox"
    }
    fn tools(&self) -> Vec<ToolDef> {
        vec![ToolDef::new(
            "exec",
            "Run a shell command (/bin/sh -c) in an isolated working directory. Returns stdout, stderr and the exit status.",
            json!({"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]}),
        )]
    }
    async fn call(&mut self, tool: &str, args: &Value) -> ToolResult {
        if tool != "exec" {
            return Err(format!("unknown tool '{tool}'"));
        }
        let command = args
            .get("command")
            .and_then(Value::as_str)
            .ok_or("missing string argument 'command'")?;
        let result = self
            .sandbox
            .exec(command)
            .await
            .map_err(|e| e.to_string())?;
        let text = result.render();
        self.history.push((command.to_owned(), result));
        Ok(text)
    }
    fn state(&self) -> Value {
        let files: Vec<String> = std::fs::read_dir(self.sandbox.path())
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        json!({
            "isolation": self.sandbox.isolation,
            "commands": self.history.len(),
            "last_exit_code": self.history.last().and_then(|(_, r)| r.exit_code),
            "files": files,
        })
    }
}
