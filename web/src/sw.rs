//! Service-worker registration, done from Rust because the server's Content-Security-Policy allows
//! no inline script except trunk's own loader.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Registers `/sw.js` when the browser can run service workers.
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    // Browsers hide `navigator.serviceWorker` outside secure contexts (plain http on a LAN address);
    // calling into the missing object would throw and stop the app.
    if !window.is_secure_context() {
        return;
    }
    let container = window.navigator().service_worker();
    if JsValue::from(&container).is_undefined() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = JsFuture::from(container.register("/sw.js")).await {
            gloo::console::warn!("service worker not registered:", e);
        }
    });
}
