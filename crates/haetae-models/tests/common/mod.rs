//! What the embedded-model tests share: where the model file is.

use std::path::PathBuf;

use haetae_models::embedded;

/// The model file (`HAETAE_MODEL_PATH`, else the default cache path that `scripts/fetch-model.sh` fills), or
/// `None` after saying loudly why the test is skipped. Under `CI=true` a missing model fails the test instead:
/// CI fetches it, so its absence there is a broken setup, not a reason to pass.
pub fn model_path() -> Option<PathBuf> {
    let path = std::env::var_os("HAETAE_MODEL_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(embedded::default_model_path);
    if path.is_file() {
        return Some(path);
    }
    let why = format!(
        "no model at {} (run scripts/fetch-model.sh or set HAETAE_MODEL_PATH)",
        path.display()
    );
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{why}; CI must fetch it"
    );
    eprintln!("SKIPPED: {why}");
    None
}
