//! Passkey sign-in (WebAuthn through webauthn-rs) and the one-time enrolment links.
//!
//! Enrolment: a link carries a random token (the store keeps its SHA-256); its page runs `static/passkey.js`,
//! which asks `/enrol/{token}/begin` for creation options, has the browser create the passkey, and posts it to
//! `/enrol/{token}/finish`. The link is used up in the same transaction that stores the passkey.
//!
//! Sign-in: the user names themselves, `/signin/begin` answers a challenge for their passkeys, and
//! `/signin/finish` checks the assertion (user verification required) and replaces the visitor's session with
//! a signed-in one. The ceremony's state stays in the server-side session; each challenge answers once.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use haetae_store::{ConsoleRole, Enrolment, Store, StoreError};
use rand::RngCore as _;
use serde::Deserialize;
use serde_json::json;
use webauthn_rs::prelude::{
    Passkey, PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid, WebauthnBuilder,
};

use crate::session::{Ceremony, SessionUser, hash_token};
use crate::{BASE, Console, ConsoleError, Ctx, NewSession, render};

pub fn relying_party(origin: &str) -> Result<webauthn_rs::Webauthn, ConsoleError> {
    let url = Url::parse(origin).map_err(|e| ConsoleError::Origin(format!("{origin}: {e}")))?;
    let host = url
        .host_str()
        .ok_or_else(|| ConsoleError::Origin(format!("{origin}: no host")))?
        .to_string();
    WebauthnBuilder::new(&host, &url)
        .and_then(|b| b.rp_name("Haetae").build())
        .map_err(|e| ConsoleError::Origin(format!("{origin}: {e}")))
}

/// Issues a one-time enrolment link's token for `name`: an operator (no member), or the owner `member_id` of
/// `org_id`. Returns the token; the link is `{origin}/console/enrol/{token}`.
pub async fn issue_enrolment(
    store: &Store,
    role: ConsoleRole,
    name: &str,
    owner_of: Option<(&str, &str)>,
    created_by: &str,
    now: i64,
    ttl_secs: i64,
) -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    store
        .create_enrolment(&Enrolment {
            token_hash: hash_token(&token),
            role,
            name: name.to_string(),
            member_id: owner_of.map(|(m, _)| m.to_string()),
            org_id: owner_of.map(|(_, o)| o.to_string()),
            created_by: created_by.to_string(),
            created_at: now,
            expires_at: now.saturating_add(ttl_secs),
            used_at: None,
        })
        .await?;
    Ok(token)
}

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/signin", get(signin_page))
        .route("/signin/begin", post(signin_begin))
        .route("/signin/finish", post(signin_finish))
        .route("/signout", post(signout))
        .route("/enrol/{token}", get(enrol_page))
        .route("/enrol/{token}/begin", post(enrol_begin))
        .route("/enrol/{token}/finish", post(enrol_finish))
}

#[derive(Deserialize)]
struct SignInQuery {
    idle: Option<String>,
}

async fn signin_page(
    State(console): State<Console>,
    axum::Extension(ctx): axum::Extension<Ctx>,
    axum::extract::Query(q): axum::extract::Query<SignInQuery>,
) -> Result<Response, ConsoleError> {
    render::page(
        &console,
        &ctx,
        "signin.html",
        json!({"idle": q.idle.is_some()}),
    )
}

/// Tokens are 64 hex characters; anything else is not a link of ours (and never reaches the store).
fn valid_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn usable(console: &Console, token: &str) -> Result<Enrolment, ConsoleError> {
    if !valid_token(token) {
        return Err(ConsoleError::NotFound);
    }
    console
        .0
        .gateway
        .store
        .usable_enrolment(&hash_token(token), console.now_unix())
        .await?
        .ok_or(ConsoleError::NotFound)
}

async fn enrol_page(
    State(console): State<Console>,
    axum::Extension(ctx): axum::Extension<Ctx>,
    Path(token): Path<String>,
) -> Result<Response, ConsoleError> {
    let Ok(e) = usable(&console, &token).await else {
        return render::page(&console, &ctx, "enrol.html", json!({"unusable": true}));
    };
    render::page(
        &console,
        &ctx,
        "enrol.html",
        json!({
            "unusable": false,
            "token": token,
            "name": e.name,
            "role": e.role.as_str(),
            "expires_at": e.expires_at,
        }),
    )
}

async fn enrol_begin(
    State(console): State<Console>,
    axum::Extension(ctx): axum::Extension<Ctx>,
    Path(token): Path<String>,
) -> Result<Response, ConsoleError> {
    let e = usable(&console, &token).await?;
    let store = &console.0.gateway.store;
    // A second passkey for an existing user keeps their user handle; a new user gets a fresh one.
    let existing = store.console_user_by_name(&e.name).await?;
    let user_id = existing
        .as_ref()
        .map(|u| u.id.clone())
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    let handle = Uuid::parse_str(&user_id).map_err(|e| ConsoleError::Internal(e.to_string()))?;
    let exclude = match &existing {
        Some(u) => Some(
            known_passkeys(store, &u.id)
                .await?
                .iter()
                .map(|p| p.cred_id().clone())
                .collect(),
        ),
        None => None,
    };
    let (options, state) = console
        .0
        .webauthn
        .start_passkey_registration(handle, &e.name, &e.name, exclude)
        .map_err(|e| ConsoleError::Passkey(e.to_string()))?;
    console.0.sessions.set_ceremony(
        &ctx.current.token_hash,
        Some(Ceremony::Enrol {
            token_hash: hash_token(&token),
            user_id,
            state,
        }),
    );
    Ok(axum::Json(options).into_response())
}

async fn enrol_finish(
    State(console): State<Console>,
    axum::Extension(ctx): axum::Extension<Ctx>,
    Path(token): Path<String>,
    axum::Json(credential): axum::Json<RegisterPublicKeyCredential>,
) -> Result<Response, ConsoleError> {
    let Some(Ceremony::Enrol {
        token_hash,
        user_id,
        state,
    }) = console.0.sessions.take_ceremony(&ctx.current.token_hash)
    else {
        return Err(ConsoleError::Passkey("no enrolment in progress".into()));
    };
    if !valid_token(&token) || hash_token(&token) != token_hash {
        return Err(ConsoleError::Passkey(
            "the link changed during enrolment".into(),
        ));
    }
    let passkey = console
        .0
        .webauthn
        .finish_passkey_registration(&credential, &state)
        .map_err(|e| ConsoleError::Passkey(e.to_string()))?;
    let credential_id = credential_id_text(&passkey);
    let record =
        serde_json::to_string(&passkey).map_err(|e| ConsoleError::Internal(e.to_string()))?;
    let user = console
        .0
        .gateway
        .store
        .complete_enrolment(
            &token_hash,
            console.now_unix(),
            &credential_id,
            &record,
            &user_id,
        )
        .await?;
    tracing::info!(user = %user.name, role = user.role.as_str(), "console passkey enrolled");
    console.0.sessions.close(&ctx.current.token_hash);
    let token = console.sign_in(SessionUser {
        user_id: user.id,
        name: user.name,
        role: user.role,
        org_id: user.org_id,
        member_id: user.member_id,
        passkey_id: credential_id,
    });
    signed_in(token)
}

fn signed_in(token: String) -> Result<Response, ConsoleError> {
    let mut r = axum::Json(json!({"redirect": BASE})).into_response();
    r.extensions_mut().insert(NewSession(Some(token)));
    Ok(r)
}

fn credential_id_text(passkey: &Passkey) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(passkey.cred_id().as_ref())
}

async fn known_passkeys(store: &Store, user_id: &str) -> Result<Vec<Passkey>, ConsoleError> {
    store
        .active_passkeys(user_id)
        .await?
        .iter()
        .map(|p| {
            serde_json::from_str::<Passkey>(&p.passkey)
                .map_err(|e| ConsoleError::Internal(format!("stored passkey {}: {e}", p.id)))
        })
        .collect()
}

#[derive(Deserialize)]
struct SignInBody {
    name: String,
}

async fn signin_begin(
    State(console): State<Console>,
    axum::Extension(ctx): axum::Extension<Ctx>,
    axum::Json(body): axum::Json<SignInBody>,
) -> Result<Response, ConsoleError> {
    let store = &console.0.gateway.store;
    let fail = || ConsoleError::Passkey("no usable passkey".into());
    let user = store
        .console_user_by_name(body.name.trim())
        .await?
        .filter(|u| u.disabled_at.is_none())
        .ok_or_else(fail)?;
    let passkeys = known_passkeys(store, &user.id).await?;
    if passkeys.is_empty() {
        return Err(fail());
    }
    let (options, state) = console
        .0
        .webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(|e| ConsoleError::Passkey(e.to_string()))?;
    console.0.sessions.set_ceremony(
        &ctx.current.token_hash,
        Some(Ceremony::SignIn {
            user_id: user.id,
            state,
        }),
    );
    Ok(axum::Json(options).into_response())
}

async fn signin_finish(
    State(console): State<Console>,
    axum::Extension(ctx): axum::Extension<Ctx>,
    axum::Json(credential): axum::Json<PublicKeyCredential>,
) -> Result<Response, ConsoleError> {
    let Some(Ceremony::SignIn { user_id, state }) =
        console.0.sessions.take_ceremony(&ctx.current.token_hash)
    else {
        return Err(ConsoleError::Passkey("no sign-in in progress".into()));
    };
    let store = &console.0.gateway.store;
    let result = console
        .0
        .webauthn
        .finish_passkey_authentication(&credential, &state)
        .map_err(|e| ConsoleError::Passkey(e.to_string()))?;
    let user = store
        .console_user(&user_id)
        .await?
        .filter(|u| u.disabled_at.is_none())
        .ok_or_else(|| ConsoleError::Passkey("the user is gone".into()))?;
    let mut used = None;
    for mut p in known_passkeys(store, &user.id).await? {
        if p.cred_id() == result.cred_id() {
            p.update_credential(&result);
            used = Some(p);
        }
    }
    let passkey = used.ok_or_else(|| ConsoleError::Passkey("unknown credential".into()))?;
    let id = credential_id_text(&passkey);
    let record =
        serde_json::to_string(&passkey).map_err(|e| ConsoleError::Internal(e.to_string()))?;
    store.touch_passkey(&id, &record).await?;
    tracing::info!(user = %user.name, "console sign-in");
    console.0.sessions.close(&ctx.current.token_hash);
    let token = console.sign_in(SessionUser {
        user_id: user.id,
        name: user.name,
        role: user.role,
        org_id: user.org_id,
        member_id: user.member_id,
        passkey_id: id,
    });
    signed_in(token)
}

async fn signout(
    State(console): State<Console>,
    axum::Extension(ctx): axum::Extension<Ctx>,
) -> Response {
    console.0.sessions.close(&ctx.current.token_hash);
    let mut r = axum::response::Redirect::to(&format!("{BASE}/signin")).into_response();
    r.extensions_mut().insert(NewSession(None));
    r
}
