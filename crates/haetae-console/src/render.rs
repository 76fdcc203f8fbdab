//! Templates (compiled in with `include_str!`), the page frame every page shares, and the vendored static files.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::i18n::{self, Lang};
use crate::{BASE, Console, ConsoleError, Ctx};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("signin.html", include_str!("../templates/signin.html")),
    ("enrol.html", include_str!("../templates/enrol.html")),
    ("overview.html", include_str!("../templates/overview.html")),
    ("orgs.html", include_str!("../templates/orgs.html")),
    ("org.html", include_str!("../templates/org.html")),
    (
        "keys_table.html",
        include_str!("../templates/keys_table.html"),
    ),
    (
        "engagements_table.html",
        include_str!("../templates/engagements_table.html"),
    ),
    (
        "shown_once.html",
        include_str!("../templates/shown_once.html"),
    ),
    ("reviews.html", include_str!("../templates/reviews.html")),
    ("review.html", include_str!("../templates/review.html")),
    ("people.html", include_str!("../templates/people.html")),
    ("my_org.html", include_str!("../templates/my_org.html")),
    ("ledger.html", include_str!("../templates/ledger.html")),
    ("keys.html", include_str!("../templates/keys.html")),
    ("models.html", include_str!("../templates/models.html")),
    ("limits.html", include_str!("../templates/limits.html")),
    (
        "limits_row.html",
        include_str!("../templates/limits_row.html"),
    ),
    ("usage.html", include_str!("../templates/usage.html")),
    ("evals.html", include_str!("../templates/evals.html")),
    ("eval_run.html", include_str!("../templates/eval_run.html")),
    ("release.html", include_str!("../templates/release.html")),
    ("policies.html", include_str!("../templates/policies.html")),
];

const STATIC: &[(&str, &str, &str)] = &[
    (
        "console.css",
        "text/css; charset=utf-8",
        include_str!("../static/console.css"),
    ),
    (
        "passkey.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/passkey.js"),
    ),
    (
        "ledger.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/ledger.js"),
    ),
];

pub fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    for (name, source) in TEMPLATES {
        // The templates are part of the binary and checked by the tests; one that does not parse would fail
        // every page that uses it, which `every_template_parses` catches before a release.
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = *name, error = %e, "console template does not parse");
        }
    }
    env.add_filter("when", |secs: Option<i64>| -> String {
        secs.map(format_unix).unwrap_or_default()
    });
    env
}

/// `YYYY-MM-DD HH:MM UTC`.
pub fn format_unix(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-from-civil, inverted.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

fn frame(console: &Console, lang: Lang, ctx: Option<&Ctx>) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("t".into(), json!(i18n::catalogue(lang)));
    m.insert("lang".into(), json!(lang.code()));
    m.insert("other_lang".into(), json!(lang.other().code()));
    m.insert("base".into(), json!(BASE));
    if let Some(ctx) = ctx {
        m.insert("csrf".into(), json!(ctx.current.session.csrf));
        m.insert("here".into(), json!(ctx.path));
        m.insert("idle_expired".into(), json!(ctx.idle_expired));
        if let Some(u) = ctx.user() {
            m.insert(
                "user".into(),
                json!({"name": u.name, "role": u.role.as_str(), "operator": u.role == crate::ConsoleRole::Operator}),
            );
        }
    }
    let _ = console;
    m
}

fn render_value(console: &Console, template: &str, ctx: &Value) -> Result<String, ConsoleError> {
    console
        .0
        .templates
        .get_template(template)
        .and_then(|t| t.render(ctx))
        .map_err(|e| ConsoleError::Internal(format!("template {template}: {e}")))
}

/// A page: the template with the frame's values (catalogue, language, CSRF token, user) and the page's own.
pub fn page(
    console: &Console,
    ctx: &Ctx,
    template: &str,
    data: Value,
) -> Result<Response, ConsoleError> {
    let mut m = frame(console, ctx.lang, Some(ctx));
    if let Value::Object(d) = data {
        m.extend(d);
    }
    let html = render_value(console, template, &Value::Object(m))?;
    Ok(Html(html).into_response())
}

pub fn error_page(console: &Console, lang: Lang, e: &ConsoleError) -> Response {
    let key = match e {
        ConsoleError::NotFound | ConsoleError::Store(haetae_store::StoreError::NotFound(_)) => {
            "not_found"
        }
        ConsoleError::Forbidden => "forbidden",
        ConsoleError::Csrf => "csrf_refused",
        ConsoleError::LedgerDown => "ledger_down",
        ConsoleError::Invalid(_)
        | ConsoleError::Passkey(_)
        | ConsoleError::Store(haetae_store::StoreError::Invalid(_))
        | ConsoleError::Store(haetae_store::StoreError::Conflict(_)) => "invalid_input",
        _ => "error_title",
    };
    if e.status().is_server_error() {
        tracing::error!(error = %e, "console request failed");
    }
    // Details of client mistakes help the operator fix the form; server-side details stay in the log.
    let detail = match e {
        ConsoleError::Invalid(m) => m.clone(),
        ConsoleError::Passkey(_) => i18n::message(lang, "passkey_failed").to_string(),
        ConsoleError::Store(haetae_store::StoreError::Invalid(m))
        | ConsoleError::Store(haetae_store::StoreError::Conflict(m)) => m.clone(),
        _ => String::new(),
    };
    let mut m = frame(console, lang, None);
    m.insert("message".into(), json!(i18n::message(lang, key)));
    m.insert("detail".into(), json!(detail));
    let html = render_value(console, "error.html", &Value::Object(m))
        .unwrap_or_else(|_| i18n::message(lang, key).to_string());
    (e.status(), Html(html)).into_response()
}

pub fn static_routes() -> Router<Console> {
    Router::new().route("/static/{file}", get(static_file))
}

async fn static_file(Path(file): Path<String>) -> Response {
    match STATIC.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            *body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        let mut env = minijinja::Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn no_inline_script_or_style() {
        for (name, source) in TEMPLATES {
            assert!(!source.contains("<script>"), "{name}: inline script");
            let handler = source.match_indices(" on").any(|(at, _)| {
                let rest = &source[at + 3..];
                let word: String = rest.chars().take_while(char::is_ascii_lowercase).collect();
                !word.is_empty() && rest[word.len()..].starts_with('=')
            });
            assert!(!handler, "{name}: inline event handler");
            assert!(!source.contains("style="), "{name}: inline style");
            assert!(!source.contains("javascript:"), "{name}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(format_unix(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_unix(1_796_000_000), "2026-11-30 00:53 UTC");
    }
}
