//! Typed client for the Xunjian HTTP API, on the request and response types of `xunjian-shared`,
//! so a change of the contract breaks this build rather than a phone in the field.

use crate::i18n::Lang;
use gloo::net::http::{Method, Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use xunjian_shared::api as paths;
use xunjian_shared::auth::{LoginRequest, RefreshRequest, TokenResponse};
use xunjian_shared::error::Problem;

/// Why a call failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No HTTP answer at all: offline, server down, or the request was cut off.
    Network,
    /// The server refused with a problem document.
    /// Boxed: the problem document is large and errors travel through every `Result` here.
    Problem { problem: Box<Problem>, retry_after: Option<u64> },
    /// An answer outside the contract, e.g. a proxy's HTML error page.
    Unexpected { status: u16 },
}

impl ApiError {
    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Network => None,
            ApiError::Problem { problem, .. } => Some(problem.status),
            ApiError::Unexpected { status } => Some(*status),
        }
    }

    /// A short account for the sync log: `network`, `HTTP 409 conflict: <the server's words>`.
    pub fn describe(&self) -> String {
        match self {
            ApiError::Network => "network".into(),
            ApiError::Problem { problem, .. } => {
                format!("HTTP {} {}: {}", problem.status, problem.code.as_str(), problem.message_en)
            }
            ApiError::Unexpected { status } => format!("HTTP {status}"),
        }
    }

    /// The sentence to show the user.
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.t();
        match self {
            ApiError::Network => t.cannot_connect.to_owned(),
            ApiError::Problem { problem, retry_after } => {
                let text = lang.pick(&problem.message, &problem.message_en);
                match retry_after {
                    Some(secs) => format!("{text}{}", (t.retry_after)(*secs)),
                    None => text.to_owned(),
                }
            }
            ApiError::Unexpected { status } => (t.unexpected)(*status),
        }
    }
}

/// `POST /auth/login`.
pub async fn login(body: &LoginRequest) -> Result<TokenResponse, ApiError> {
    read_json(send_json(Request::post(paths::LOGIN), body).await?).await
}

/// `POST /auth/refresh`. The old refresh token is dead once this succeeds.
pub async fn refresh(refresh_token: &str) -> Result<TokenResponse, ApiError> {
    let body = RefreshRequest { refresh_token: refresh_token.to_owned() };
    read_json(send_json(Request::post(paths::REFRESH), &body).await?).await
}

/// `POST /auth/logout`: revokes the session on the server.
pub async fn logout(refresh_token: &str) -> Result<(), ApiError> {
    let body = RefreshRequest { refresh_token: refresh_token.to_owned() };
    send_json(Request::post(paths::LOGOUT), &body).await.map(drop)
}

/// The body of an authenticated call.
#[derive(Clone, Copy)]
pub enum Body<'a> {
    Empty,
    Json(&'a str),
    /// Bytes with their content type (a photo).
    Bytes(&'a [u8], &'a str),
}

/// One call with the access token to `path`, one of `xunjian_shared::api` (with its query);
/// non-2xx answers become errors.
pub async fn authed(method: Method, path: &str, token: &str, body: Body<'_>) -> Result<Response, ApiError> {
    let builder = RequestBuilder::new(path).method(method).header("Authorization", &format!("Bearer {token}"));
    let request = match body {
        Body::Empty => builder.build(),
        Body::Json(json) => builder.header("Content-Type", "application/json").body(json),
        Body::Bytes(bytes, mime) => builder.header("Content-Type", mime).body(js_sys::Uint8Array::from(bytes)),
    };
    check(request.map_err(|_| ApiError::Network)?.send().await).await
}

/// Reads an answer's JSON body.
pub async fn json_of<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    read_json(response).await
}

async fn send_json<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Response, ApiError> {
    // Serialising our own DTOs cannot fail; if it ever did, no request went out.
    let request = builder.json(body).map_err(|_| ApiError::Network)?;
    check(request.send().await).await
}

/// Turns a non-2xx answer into an error, reading the problem document when there is one.
async fn check(sent: Result<Response, gloo::net::Error>) -> Result<Response, ApiError> {
    let response = sent.map_err(|_| ApiError::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let retry_after = response.headers().get("retry-after").and_then(|v| v.trim().parse().ok());
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem { problem: Box::new(problem), retry_after }),
        Err(_) => Err(ApiError::Unexpected { status }),
    }
}

async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    response.json().await.map_err(|_| ApiError::Unexpected { status })
}
