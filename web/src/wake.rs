//! Keeps the screen on while a patrol is recorded (the Screen Wake Lock API): on most phones the
//! browser stops `watchPosition` once the screen locks, which would leave gaps in the track — and
//! gaps lower the coverage that pay and the township's ranking count. The browser drops the lock
//! whenever the page is hidden, so it is asked for again each time the page becomes visible.
//! Browsers without the API simply record while the screen happens to be on; the live screen says
//! so (`Live::awake`).

use gloo::events::EventListener;
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Holds the lock until dropped.
pub struct ScreenLock {
    sentinel: Rc<RefCell<Option<JsValue>>>,
    _visible: Option<EventListener>,
}

impl ScreenLock {
    /// Asks for the lock now and after every return to the page; `on_change` hears whether the
    /// screen is held on.
    pub fn hold(on_change: impl Fn(bool) + 'static) -> ScreenLock {
        let sentinel = Rc::new(RefCell::new(None));
        let on_change = Rc::new(on_change);
        request(sentinel.clone(), on_change.clone());
        let visible = web_sys::window().and_then(|w| w.document()).map(|doc| {
            let (sentinel, on_change, d) = (sentinel.clone(), on_change.clone(), doc.clone());
            EventListener::new(&doc, "visibilitychange", move |_| {
                if d.visibility_state() == web_sys::VisibilityState::Visible {
                    request(sentinel.clone(), on_change.clone());
                }
            })
        });
        ScreenLock { sentinel, _visible: visible }
    }
}

impl Drop for ScreenLock {
    fn drop(&mut self) {
        if let Some(s) = self.sentinel.borrow_mut().take() {
            if let Ok(release) = Reflect::get(&s, &"release".into()).and_then(|f| f.dyn_into::<Function>()) {
                let _ = release.call0(&s);
            }
        }
    }
}

fn request(sentinel: Rc<RefCell<Option<JsValue>>>, on_change: Rc<dyn Fn(bool)>) {
    let call = || -> Option<Promise> {
        let nav = web_sys::window()?.navigator();
        let lock = Reflect::get(&nav, &"wakeLock".into()).ok().filter(|v| !v.is_undefined())?;
        let request = Reflect::get(&lock, &"request".into()).ok()?.dyn_into::<Function>().ok()?;
        request.call1(&lock, &"screen".into()).ok()?.dyn_into::<Promise>().ok()
    };
    let Some(promise) = call() else {
        on_change(false);
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        match JsFuture::from(promise).await {
            Ok(s) => {
                // Dropped meanwhile (the patrol ended): `sentinel` is ours alone then; let go.
                if Rc::strong_count(&sentinel) == 1 {
                    if let Ok(release) = Reflect::get(&s, &"release".into()).and_then(|f| f.dyn_into::<Function>()) {
                        let _ = release.call0(&s);
                    }
                    return;
                }
                *sentinel.borrow_mut() = Some(s);
                on_change(true);
            }
            // Refused (battery saver, no user gesture yet, an iframe): record all the same.
            Err(_) => on_change(false),
        }
    });
}
