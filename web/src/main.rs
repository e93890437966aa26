//! Xunjian web client: a Yew app compiled to WebAssembly and served by the Xunjian server as a PWA.
//! Field workers use it all day with no signal: everything lives in IndexedDB (`store`) and is
//! synced with the server when a connection appears (`sync`).
//!
//! Two builds of this crate: the phones' (no default features: no office screens) and the full one
//! with the `office` feature (web/README.md, "Two builds"). Helpers only the office screens use are
//! dead code in the phones' build by design; the full build is the one linted for dead code.
#![cfg_attr(not(feature = "office"), allow(dead_code, unused_imports))]

mod api;
mod app;
#[cfg(feature = "bench")]
mod bench;
mod components;
mod ctx;
mod draft;
mod geo;
mod i18n;
mod local;
mod office;
mod pages;
mod patrol_draft;
mod photo;
mod recorder;
mod route;
mod session;
mod shell;
mod store;
mod sw;
mod sync;
mod util;
mod wake;
mod world;

fn main() {
    // index.html shows a loading line while the wasm downloads (slow on 2G); drop it now.
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    yew::Renderer::<app::App>::new().render();
    // After the first render: the worker's precache competes for a slow link with the app itself.
    sw::register();
}
