//! Stage 6: send the request to the model's backend. The catalogue name becomes the backend's model id on the
//! way out and comes back in every response, so callers only ever see the names they asked for.

use std::collections::HashMap;
use std::sync::Arc;

use haetae_models::Backend;
use serde_json::Value;

#[derive(Clone, Default)]
pub struct Backends {
    by_name: HashMap<String, Arc<dyn Backend>>,
}

impl Backends {
    pub fn insert(&mut self, backend: Arc<dyn Backend>) {
        self.by_name.insert(backend.name().to_string(), backend);
    }

    /// Registers a backend under its configured name (which catalogue entries refer to).
    pub fn insert_as(&mut self, name: impl Into<String>, backend: Arc<dyn Backend>) {
        self.by_name.insert(name.into(), backend);
    }

    pub fn get(&self, name: &str) -> Option<Arc<dyn Backend>> {
        self.by_name.get(name).cloned()
    }

    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.by_name.keys().cloned().collect();
        names.sort();
        names
    }
}

/// The request as the backend should receive it.
pub fn outbound_body(mut body: Value, upstream_model: &str) -> Value {
    if let Some(obj) = body.as_object_mut() {
        obj.insert("model".into(), Value::String(upstream_model.to_string()));
    }
    body
}

/// A backend's response as the caller should receive it.
pub fn inbound_body(mut body: Value, catalogue_name: &str) -> Value {
    if let Some(obj) = body.as_object_mut() {
        if obj.contains_key("model") {
            obj.insert("model".into(), Value::String(catalogue_name.to_string()));
        }
    }
    body
}
