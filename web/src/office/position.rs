//! A position without an online map: the coordinates, and a `geo:` link that opens whatever map
//! app the computer or phone has.

use crate::ctx::Ctx;
use xunjian_shared::premise::GeoPoint;
use yew::prelude::*;

/// `35.14520, 110.77310`.
pub fn coords(p: &GeoPoint) -> String {
    format!("{:.5}, {:.5}", p.lat, p.lon)
}

/// The coordinates and the link, under a label.
pub fn position(ctx: &Ctx, label: &'static str, p: &GeoPoint) -> Html {
    html! {
        <div class="position" data-testid="position">
            <span class="muted">{ label }{ "：" }</span>
            <span>{ coords(p) }</span>
            if let Some(acc) = p.accuracy_m { <span class="muted small">{ format!(" ±{acc:.0} m") }</span> }
            { " " }<a href={format!("geo:{:.6},{:.6}", p.lat, p.lon)}>{ ctx.o().open_in_map }</a>
        </div>
    }
}
