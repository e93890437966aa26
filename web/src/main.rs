//! Xunjian web client: a Yew app compiled to WebAssembly and served by the Xunjian server as a PWA.

mod api;
mod app;
mod i18n;
mod pages;
mod session;
mod sw;

fn main() {
    // index.html shows a loading line while the wasm downloads (slow on 2G); drop it now.
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    yew::Renderer::<app::App>::new().render();
    // After the first render: the worker's precache competes for a slow link with the app itself.
    sw::register();
}
