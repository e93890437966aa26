//! Service-worker registration and updates, done from Rust because the server's
//! Content-Security-Policy allows no inline script except trunk's own loader.
//!
//! A new build's worker installs in the background and then waits; the app offers "update" and
//! only when the worker taps it asks the waiting worker to take over (`skip-waiting` message),
//! then reloads once it controls the page. Nothing swaps under a half-filled form.

use std::cell::{Cell, RefCell};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
    static UPDATE_READY: Cell<bool> = const { Cell::new(false) };
}

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
        match JsFuture::from(container.register("/sw.js")).await {
            Ok(reg) => watch(reg.unchecked_into()),
            Err(e) => gloo::console::warn!("service worker not registered:", e),
        }
        // The office build asks the worker to keep its shell too (a phone keeps only its own).
        if cfg!(feature = "office") {
            keep_office(&container).await;
        }
    });
}

/// Tells the active worker to keep the office build's shell, now and in later versions.
async fn keep_office(container: &web_sys::ServiceWorkerContainer) {
    let Ok(ready) = container.ready() else { return };
    let Ok(reg) = JsFuture::from(ready).await else { return };
    let Some(active) = reg.unchecked_into::<ServiceWorkerRegistration>().active() else { return };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"keep-office".into());
    if let Err(e) = active.post_message(&message) {
        gloo::console::warn!("service worker: keep-office not sent:", e);
    }
}

fn has_controller() -> bool {
    web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some())
}

/// Notes a waiting worker now and whenever a new one finishes installing. The very first worker
/// (no controller yet) activates by itself: there is nothing to replace.
fn watch(reg: ServiceWorkerRegistration) {
    if reg.waiting().is_some() && has_controller() {
        UPDATE_READY.with(|u| u.set(true));
    }
    let reg2 = reg.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        let Some(worker) = reg2.installing() else { return };
        let w2 = worker.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            if w2.state() == ServiceWorkerState::Installed && has_controller() {
                UPDATE_READY.with(|u| u.set(true));
            }
        });
        worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget(); // lives as long as that worker
    });
    reg.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget(); // lives as long as the page
    REGISTRATION.with(|r| *r.borrow_mut() = Some(reg));
}

/// Whether a new version waits to be used.
pub fn update_ready() -> bool {
    UPDATE_READY.with(Cell::get)
}

/// Asks the server for a newer worker (after a successful sync: we are online).
pub fn check_for_update() {
    REGISTRATION.with(|r| {
        if let Some(reg) = r.borrow().as_ref() {
            if let Ok(p) = reg.update() {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(p).await;
                });
            }
        }
    });
}

/// The worker tapped "update": the waiting worker takes over, then the page reloads into it.
pub fn apply_update() {
    let waiting: Option<ServiceWorker> = REGISTRATION.with(|r| r.borrow().as_ref().and_then(|reg| reg.waiting()));
    let Some(window) = web_sys::window() else { return };
    let Some(worker) = waiting else {
        let _ = window.location().reload();
        return;
    };
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    window.navigator().service_worker().set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget(); // the page reloads right after
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"skip-waiting".into());
    let _ = worker.post_message(&msg);
}

/// Whether this device can open the app with no network: the service worker's answer.
#[derive(Clone, PartialEq, Debug)]
pub enum Offline {
    /// No service worker here (a browser without one, or plain http on a LAN address).
    Unsupported,
    /// Still being stored: stay in signal.
    Pending,
    /// Every file of this build's shell is in the worker's cache ("已可离线使用"); `build` is the
    /// worker's build stamp (设置 shows it).
    Ready { build: String },
}

/// Asks the active worker whether its shell is complete (sw.js, message `status`). No active
/// worker yet, or no answer within two seconds: still pending.
pub async fn offline_status() -> Offline {
    let Some(window) = web_sys::window() else { return Offline::Unsupported };
    if !window.is_secure_context() || JsValue::from(&window.navigator().service_worker()).is_undefined() {
        return Offline::Unsupported;
    }
    let container = window.navigator().service_worker();
    let Ok(found) = JsFuture::from(container.get_registration()).await else { return Offline::Pending };
    let Some(active) = found.dyn_into::<ServiceWorkerRegistration>().ok().and_then(|r| r.active()) else {
        return Offline::Pending;
    };
    let Ok(channel) = web_sys::MessageChannel::new() else { return Offline::Pending };
    let answer = js_sys::Promise::new(&mut |resolve, _| {
        let on_message = Closure::once_into_js(move |e: web_sys::MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &e.data());
        });
        channel.port1().set_onmessage(Some(on_message.unchecked_ref()));
    });
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 2_000);
    });
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"status".into());
    let shell = if cfg!(feature = "office") { "/office/" } else { "/" };
    let _ = js_sys::Reflect::set(&message, &"shell".into(), &shell.into());
    let transfer = js_sys::Array::of1(&channel.port2());
    if active.post_message_with_transferable(&message, &transfer).is_err() {
        return Offline::Pending;
    }
    let Ok(reply) = JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&answer, &timeout))).await else {
        return Offline::Pending;
    };
    let field = |name: &str| js_sys::Reflect::get(&reply, &name.into()).ok();
    match (field("ready").and_then(|v| v.as_bool()), field("build").and_then(|v| v.as_string())) {
        (Some(true), Some(build)) => Offline::Ready { build },
        _ => Offline::Pending,
    }
}
