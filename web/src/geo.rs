//! The phone's position (navigator.geolocation): one fix as a promise the app can await, or a
//! watch that follows the worker along the road during a patrol.

use js_sys::Reflect;
use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::PositionOptions;
use xunjian_shared::premise::GeoPoint;

/// Why there is no position.
#[derive(Clone, Debug, PartialEq)]
pub enum GeoError {
    /// The browser has no geolocation or the worker refused it.
    Denied,
    /// No fix in time (indoors, cold GPS).
    Unavailable,
}

/// The current position, waiting at most 20 s for a fix; a fix up to a minute old will do.
pub async fn position() -> Result<GeoPoint, GeoError> {
    let geo = web_sys::window().and_then(|w| w.navigator().geolocation().ok()).ok_or(GeoError::Denied)?;
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Closure::once_into_js(move |p: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &p);
        });
        let fail = Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        let options = PositionOptions::new();
        options.set_enable_high_accuracy(true);
        options.set_timeout(20_000);
        options.set_maximum_age(60_000);
        let _ = geo.get_current_position_with_error_callback_and_options(
            ok.unchecked_ref(),
            Some(fail.unchecked_ref()),
            &options,
        );
    });
    match JsFuture::from(promise).await {
        Ok(p) => {
            // Read by name: web-sys gates the typed GeolocationPosition behind unstable APIs.
            let coords = Reflect::get(&p, &"coords".into()).unwrap_or(JsValue::UNDEFINED);
            let num = |k: &str| Reflect::get(&coords, &k.into()).ok().and_then(|v| v.as_f64());
            let (lat, lon) =
                (num("latitude").ok_or(GeoError::Unavailable)?, num("longitude").ok_or(GeoError::Unavailable)?);
            Ok(GeoPoint { lat, lon, accuracy_m: num("accuracy") })
        }
        Err(e) => {
            let code = Reflect::get(&e, &"code".into()).ok().and_then(|c| c.as_f64());
            Err(if code == Some(1.0) { GeoError::Denied } else { GeoError::Unavailable })
        }
    }
}

/// A running `watchPosition`; dropping it stops the GPS.
pub struct Watch {
    id: i32,
    // Kept alive while the browser may call them.
    _fix: Closure<dyn FnMut(JsValue)>,
    _fail: Closure<dyn FnMut(JsValue)>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) {
            geo.clear_watch(self.id);
        }
    }
}

/// Follows the phone's position: `on_fix` gets each fix with its time (ms since epoch), `on_error`
/// each failure (a denied permission ends the watch; a timeout does not).
pub fn watch(
    mut on_fix: impl FnMut(GeoPoint, f64) + 'static,
    mut on_error: impl FnMut(GeoError) + 'static,
) -> Result<Watch, GeoError> {
    let geo = web_sys::window().and_then(|w| w.navigator().geolocation().ok()).ok_or(GeoError::Denied)?;
    let fix = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        let coords = Reflect::get(&p, &"coords".into()).unwrap_or(JsValue::UNDEFINED);
        let num = |o: &JsValue, k: &str| Reflect::get(o, &k.into()).ok().and_then(|v| v.as_f64());
        if let (Some(lat), Some(lon)) = (num(&coords, "latitude"), num(&coords, "longitude")) {
            let at = num(&p, "timestamp").unwrap_or_else(js_sys::Date::now);
            on_fix(GeoPoint { lat, lon, accuracy_m: num(&coords, "accuracy") }, at);
        }
    });
    let fail = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let code = Reflect::get(&e, &"code".into()).ok().and_then(|c| c.as_f64());
        on_error(if code == Some(1.0) { GeoError::Denied } else { GeoError::Unavailable });
    });
    let options = PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(30_000);
    options.set_maximum_age(5_000);
    let id = geo
        .watch_position_with_error_callback_and_options(
            fix.as_ref().unchecked_ref(),
            Some(fail.as_ref().unchecked_ref()),
            &options,
        )
        .map_err(|_| GeoError::Denied)?;
    Ok(Watch { id, _fix: fix, _fail: fail })
}
