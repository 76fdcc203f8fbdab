//! Embeddings.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::{WireError, check_model};

/// `POST /v1/embeddings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EmbeddingsRequest {
    #[serde(default)]
    #[schema(min_length = 1, required = true)]
    pub model: String,
    pub input: EmbeddingsInput,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl EmbeddingsRequest {
    pub fn validate(&self) -> Result<(), WireError> {
        if self.model.is_empty() {
            return Err(WireError::new("model", "'model' is required."));
        }
        check_model(&self.model)?;
        let empty = match &self.input {
            EmbeddingsInput::Text(_) => false,
            EmbeddingsInput::Texts(v) => v.is_empty(),
            EmbeddingsInput::Tokens(v) => v.is_empty(),
            EmbeddingsInput::TokenArrays(v) => v.is_empty(),
        };
        if empty {
            return Err(WireError::new("input", "'input' must not be empty."));
        }
        Ok(())
    }

    /// The texts to embed (token-id inputs have none the guard could read).
    pub fn texts(&self) -> Vec<&str> {
        match &self.input {
            EmbeddingsInput::Text(t) => vec![t.as_str()],
            EmbeddingsInput::Texts(v) => v.iter().map(String::as_str).collect(),
            EmbeddingsInput::Tokens(_) | EmbeddingsInput::TokenArrays(_) => Vec::new(),
        }
    }
}

/// A string, or a non-empty array of strings, of token ids, or of token-id arrays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(
    untagged,
    expecting = "a string, an array of strings, or an array of token arrays"
)]
pub enum EmbeddingsInput {
    Text(String),
    Texts(Vec<String>),
    Tokens(Vec<u64>),
    TokenArrays(Vec<Vec<u64>>),
}

/// A `list` of `embedding` objects.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct EmbeddingsResponse {
    #[serde(default = "list_object")]
    pub object: String,
    #[serde(default)]
    pub data: Vec<Embedding>,
    #[serde(default)]
    pub model: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<crate::Usage>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn list_object() -> String {
    "list".into()
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct Embedding {
    #[serde(default)]
    pub index: u32,
    /// A list of floats, or a base64 string when the request asked for `encoding_format: base64`.
    #[schema(value_type = Object)]
    pub embedding: Value,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_value;
    use serde_json::json;

    #[test]
    fn inputs() {
        let cases = [
            (json!({"model": "e", "input": "x"}), None),
            (
                json!({"model": "e", "input": ["x", "y"], "dimensions": 8}),
                None,
            ),
            (json!({"model": "e", "input": [[1, 2]]}), None),
            (json!({"model": "e", "input": [1, "x"]}), Some("input")),
            (json!({"model": "e"}), Some("input")),
            (json!({"model": "e", "input": []}), Some("input")),
            (json!({"input": "x"}), Some("model")),
        ];
        for (body, param) in cases {
            let result = from_value::<EmbeddingsRequest>(&body).and_then(|r| {
                r.validate()?;
                Ok(r)
            });
            match (result, param) {
                (Ok(r), None) => assert_eq!(serde_json::to_value(&r).expect("ser"), body),
                (Err(e), Some(p)) => {
                    assert_eq!(e.param.as_deref().unwrap_or("."), p, "{body}: {e}")
                }
                (r, p) => panic!("{body}: {r:?} vs {p:?}"),
            }
        }
    }
}
