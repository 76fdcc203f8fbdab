//! The model's own chat template (`tokenizer.chat_template` in the GGUF metadata), rendered with minijinja.
//!
//! Hugging Face templates are Jinja2 written against Python objects, so the Python string methods they call
//! (`.strip()`, `.startswith()`, …) come from minijinja-contrib's pycompat layer, and the helpers the
//! `transformers` renderer provides (`raise_exception`, `strftime_now`) are registered here.

use minijinja::{Environment, Error as JinjaError, ErrorKind, Value as JinjaValue, context};
use serde_json::Value;

use super::EmbeddedError;

/// Used only when a GGUF carries no template at all; ChatML is what most small instruct models were tuned on.
pub const CHATML_FALLBACK: &str = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + \
message['content'] + '<|im_end|>' + '\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' \
}}{% endif %}";

const TEMPLATE_NAME: &str = "chat";

/// A compiled chat template plus the special-token strings templates refer to.
pub struct ChatTemplate {
    env: Environment<'static>,
    bos_token: String,
    eos_token: String,
}

impl std::fmt::Debug for ChatTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatTemplate").finish_non_exhaustive()
    }
}

impl ChatTemplate {
    pub fn new(source: &str, bos_token: &str, eos_token: &str) -> Result<Self, EmbeddedError> {
        let mut env = Environment::new();
        // Jinja2 as used by transformers keeps a trailing newline and trims blocks like this.
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(false);
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        env.add_function("raise_exception", raise_exception);
        env.add_function("strftime_now", strftime_now);
        env.add_template_owned(TEMPLATE_NAME, source.to_owned())
            .map_err(|e| {
                EmbeddedError::Template(format!("the model's chat template does not compile: {e}"))
            })?;
        Ok(Self {
            env,
            bos_token: bos_token.to_owned(),
            eos_token: eos_token.to_owned(),
        })
    }

    /// Renders `messages` (already normalised: `content` is a string) into the prompt text.
    pub fn render(
        &self,
        messages: &[Value],
        tools: Option<&Value>,
        add_generation_prompt: bool,
    ) -> Result<String, EmbeddedError> {
        let tmpl = self
            .env
            .get_template(TEMPLATE_NAME)
            .map_err(|e| EmbeddedError::Template(e.to_string()))?;
        let ctx = context! {
            messages => JinjaValue::from_serialize(messages),
            tools => tools.map(JinjaValue::from_serialize),
            add_generation_prompt => add_generation_prompt,
            bos_token => &self.bos_token,
            eos_token => &self.eos_token,
        };
        tmpl.render(ctx).map_err(|e| {
            // A template's own raise_exception() is a statement about the request (e.g. roles must alternate).
            if e.kind() == ErrorKind::InvalidOperation {
                EmbeddedError::BadRequest(format!(
                    "the chat template rejected the messages: {}",
                    detail(&e)
                ))
            } else {
                EmbeddedError::Template(format!(
                    "rendering the chat template failed: {}",
                    detail(&e)
                ))
            }
        })
    }
}

fn detail(e: &JinjaError) -> String {
    e.detail()
        .map(str::to_owned)
        .unwrap_or_else(|| e.to_string())
}

fn raise_exception(message: String) -> Result<JinjaValue, JinjaError> {
    Err(JinjaError::new(ErrorKind::InvalidOperation, message))
}

/// `strftime_now(fmt)` as transformers provides it. Only the common date directives are supported, in UTC, to avoid
/// a date-time dependency for something templates use to print "Today is …".
fn strftime_now(fmt: String) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month_name = MONTHS.get((m - 1) as usize).copied().unwrap_or("");
    fmt.replace("%Y", &format!("{y:04}"))
        .replace("%m", &format!("{m:02}"))
        .replace("%d", &format!("{d:02}"))
        .replace("%B", month_name)
        .replace("%b", month_name.get(..3).unwrap_or(""))
}

/// Days since 1970-01-01 to (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Turns OpenAI `messages` into what templates expect: every `content` a plain string. Text parts of multi-part
/// content are joined; other part types (images, audio) cannot be honoured by a text-only model.
pub fn normalise_messages(messages: &Value) -> Result<Vec<Value>, EmbeddedError> {
    let list = messages
        .as_array()
        .ok_or_else(|| EmbeddedError::BadRequest("`messages` must be an array".into()))?;
    if list.is_empty() {
        return Err(EmbeddedError::BadRequest(
            "`messages` must not be empty".into(),
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, m)| {
            let obj = m
                .as_object()
                .ok_or_else(|| EmbeddedError::BadRequest(format!("messages[{i}] must be an object")))?;
            let role = obj
                .get("role")
                .and_then(Value::as_str)
                .ok_or_else(|| EmbeddedError::BadRequest(format!("messages[{i}].role must be a string")))?;
            // OpenAI's newer name for the system role; templates only know "system".
            let role = if role == "developer" { "system" } else { role };
            let content = match obj.get("content") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(parts)) => {
                    let mut text = String::new();
                    for (j, part) in parts.iter().enumerate() {
                        match part.get("type").and_then(Value::as_str) {
                            Some("text") => text.push_str(part.get("text").and_then(Value::as_str).unwrap_or("")),
                            other => {
                                return Err(EmbeddedError::BadRequest(format!(
                                    "messages[{i}].content[{j}] has type {}; the embedded model reads text only",
                                    other.unwrap_or("(none)")
                                )));
                            }
                        }
                    }
                    text
                }
                Some(_) => {
                    return Err(EmbeddedError::BadRequest(format!(
                        "messages[{i}].content must be a string or an array of parts"
                    )));
                }
            };
            let mut out = obj.clone();
            out.insert("role".into(), Value::String(role.into()));
            out.insert("content".into(), Value::String(content));
            Ok(Value::Object(out))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// SmolLM2-135M-Instruct's template, verbatim from its GGUF metadata.
    pub const SMOLLM2: &str = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    fn msgs(v: Value) -> Vec<Value> {
        normalise_messages(&v).unwrap()
    }

    #[test]
    fn smollm2_template_adds_default_system_prompt() {
        let t = ChatTemplate::new(SMOLLM2, "<|im_start|>", "<|im_end|>").unwrap();
        let out = t
            .render(&msgs(json!([{"role":"user","content":"Hi"}])), None, true)
            .unwrap();
        assert_eq!(
            out,
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n\
             <|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
    }

    #[test]
    fn smollm2_template_keeps_callers_system_prompt() {
        let t = ChatTemplate::new(SMOLLM2, "", "").unwrap();
        let out = t
            .render(
                &msgs(json!([{"role":"developer","content":"Be brief."},{"role":"user","content":"Hi"}])),
                None,
                false,
            )
            .unwrap();
        assert_eq!(
            out,
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
        );
    }

    #[test]
    fn python_string_methods_and_helpers_work() {
        let src = "{{ bos_token }}{% for m in messages %}{% if m.role not in ['user','assistant','system'] %}\
                   {{ raise_exception('bad role') }}{% endif %}[{{ m.role.upper() }}]{{ m.content.strip() }}\
                   {% endfor %}{% if tools %}{{ tools | tojson }}{% endif %}";
        let t = ChatTemplate::new(src, "<s>", "</s>").unwrap();
        let out = t
            .render(
                &msgs(json!([{"role":"user","content":"  padded  "}])),
                Some(&json!([{"type":"function"}])),
                true,
            )
            .unwrap();
        assert_eq!(out, "<s>[USER]padded[{\"type\":\"function\"}]");
        let err = t
            .render(&msgs(json!([{"role":"tool","content":"x"}])), None, true)
            .unwrap_err();
        assert!(
            matches!(err, EmbeddedError::BadRequest(ref m) if m.contains("bad role")),
            "{err}"
        );
    }

    #[test]
    fn multipart_text_content_is_joined_and_images_rejected() {
        let m = msgs(
            json!([{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]),
        );
        assert_eq!(m[0]["content"], "ab");
        let err = normalise_messages(&json!([{"role":"user","content":[{"type":"image_url"}]}]))
            .unwrap_err();
        assert!(matches!(err, EmbeddedError::BadRequest(_)));
        assert!(normalise_messages(&json!([])).is_err());
        assert!(normalise_messages(&json!([{"content":"no role"}])).is_err());
    }

    #[test]
    fn broken_template_is_an_error_not_a_panic() {
        assert!(ChatTemplate::new("{% for %}", "", "").is_err());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_517), (2026, 3, 5));
    }
}
