//! Loading what an office screen shows from the server, and keeping it: every answer of a `GET`
//! is stored in IndexedDB under its path (store/views.rs), so with the server unreachable the
//! screen shows the last copy, read-only, and says when it was loaded. A refusal (403, 404) is
//! never covered up by an old copy: the screen says what the server said.

use crate::api::{ApiError, Body};
use crate::ctx::{use_ctx, Ctx};
use crate::util::now;
use chrono::{DateTime, Utc};
use gloo::net::http::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// Where a screen's data stands.
pub enum Load<T> {
    Loading,
    /// The data, and when it was loaded if this is the stored copy (the server is unreachable).
    Ready(Rc<T>, Option<DateTime<Utc>>),
    Failed(ApiError),
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        match self {
            Load::Loading => Load::Loading,
            Load::Ready(d, at) => Load::Ready(d.clone(), *at),
            Load::Failed(e) => Load::Failed(e.clone()),
        }
    }
}

impl<T> Load<T> {
    /// The data, fresh or stored.
    pub fn data(&self) -> Option<&Rc<T>> {
        match self {
            Load::Ready(d, _) => Some(d),
            _ => None,
        }
    }

    /// Shown from the stored copy: nothing may be changed.
    pub fn offline(&self) -> bool {
        matches!(self, Load::Ready(_, Some(_)))
    }
}

/// A screen's data and a way to load it again (after an action).
pub struct View<T> {
    pub load: Load<T>,
    pub reload: Callback<()>,
}

/// What the server (or the stored copy) said, before it is read as a type: one hook and one
/// fetch for every screen, whatever it shows (a generic hook would be compiled once per type).
#[derive(Clone)]
enum Raw {
    Loading,
    Ready(Rc<str>, Option<DateTime<Utc>>),
    Failed(ApiError),
}

/// `GET path` for a screen, falling back to the stored copy when the server cannot be reached.
/// The answer is read as `T` at each render (a screen renders a handful of times per load).
#[hook]
pub fn use_view<T: DeserializeOwned + 'static>(path: String) -> View<T> {
    let (raw, reload) = use_raw(path);
    let load = match raw {
        Raw::Loading => Load::Loading,
        Raw::Failed(e) => Load::Failed(e),
        Raw::Ready(text, at) => match serde_json::from_str::<T>(&text) {
            Ok(data) => Load::Ready(Rc::new(data), at),
            Err(_) => Load::Failed(ApiError::Unexpected { status: 200 }),
        },
    };
    View { load, reload }
}

#[hook]
fn use_raw(path: String) -> (Raw, Callback<()>) {
    let ctx = use_ctx();
    let raw = use_state(|| Raw::Loading);
    let nonce = use_state(|| 0u32);
    // A slower answer for an older path or reload must not overwrite a newer one.
    let generation = use_mut_ref(|| Rc::new(Cell::new(0u32)));
    let shown = use_mut_ref(String::new);
    {
        let (raw, ctx, generation, shown) = (raw.clone(), ctx.clone(), generation.clone(), shown.clone());
        use_effect_with((path, *nonce), move |(path, _)| {
            let gen = generation.borrow().clone();
            gen.set(gen.get() + 1);
            let mine = gen.get();
            if *shown.borrow() != *path {
                raw.set(Raw::Loading);
                *shown.borrow_mut() = path.clone();
            }
            let path = path.clone();
            spawn_local(async move {
                let got = fetch(&ctx, &path).await;
                if gen.get() == mine {
                    raw.set(got);
                }
            });
        });
    }
    let reload = {
        let nonce = nonce.clone();
        Callback::from(move |()| nonce.set(*nonce + 1))
    };
    ((*raw).clone(), reload)
}

async fn fetch(ctx: &Ctx, path: &str) -> Raw {
    match get_text(ctx, path).await {
        Ok(text) => {
            if let Err(e) = ctx.db.put_view(path, &text, now()).await {
                gloo::console::warn!("view not kept:", e.0);
            }
            Raw::Ready(text.into(), None)
        }
        Err(e) if unreachable(&e) => match ctx.db.view(path).await {
            Ok(Some((text, at))) => Raw::Ready(text.into(), Some(at)),
            _ => Raw::Failed(e),
        },
        Err(e) => Raw::Failed(e),
    }
}

/// No answer from the server itself: down, or a proxy in front of it saying so.
pub fn unreachable(e: &ApiError) -> bool {
    matches!(e, ApiError::Network | ApiError::Unexpected { status: 502..=504 })
}

/// `GET path` as text.
pub async fn get_text(ctx: &Ctx, path: &str) -> Result<String, ApiError> {
    let response = ctx.runner.call(Method::GET, path, Body::Empty).await?;
    let status = response.status();
    response.text().await.map_err(|_| ApiError::Unexpected { status })
}

/// Sends JSON (`POST`, `PUT`, `PATCH`) and reads the answer's JSON.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    ctx: &Ctx,
    method: Method,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Network)?;
    crate::api::json_of(ctx.runner.call(method, path, Body::Json(&json)).await?).await
}
