#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cannot read the programme generation: {0}")]
    Generation(String),
}

impl StoreError {
    /// Maps unique-constraint violations to `Conflict`, so callers can say "already exists" instead of failing.
    pub(crate) fn from_write(e: sqlx::Error, what: impl FnOnce() -> String) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::Conflict(format!("{} already exists", what()));
            }
            if db.is_foreign_key_violation() {
                return StoreError::Invalid(format!(
                    "{} refers to something that does not exist",
                    what()
                ));
            }
        }
        StoreError::Database(e)
    }
}
