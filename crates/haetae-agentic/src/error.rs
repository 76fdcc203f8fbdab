use thiserror::Error;

#[derive(Debug, Error)]
pub enum AgenticError {
    #[error("scenario setup: {0}")]
    Setup(String),
    #[error("task: {0}")]
    Task(String),
    #[error("{0}")]
    Eval(#[from] haetae_eval::EvalError),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T> = std::result::Result<T, AgenticError>;

impl From<AgenticError> for haetae_eval::EvalError {
    fn from(e: AgenticError) -> Self {
        match e {
            AgenticError::Eval(e) => e,
            other => haetae_eval::EvalError::Environment(other.to_string()),
        }
    }
}
