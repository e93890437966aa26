//! A patrol's track drawn over its segments' surveyed lines, as inline SVG (no map tiles: the
//! office may be offline and no online map is used). Positions are projected flat — a few km of
//! road — with longitude scaled by the cosine of the latitude, north up.

use xunjian_shared::premise::GeoPoint;
use yew::prelude::*;

const W: f64 = 640.0;
const H: f64 = 420.0;
const PAD: f64 = 24.0;

/// The map: the segments' surveyed lines, the thinned track, the problems found as markers.
pub fn track_map(lines: &[Vec<GeoPoint>], track: &[GeoPoint], marks: &[GeoPoint]) -> Html {
    let all: Vec<&GeoPoint> = lines.iter().flatten().chain(track).chain(marks).collect();
    if all.is_empty() {
        return html! {};
    }
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in &all {
        lat0 = lat0.min(p.lat);
        lat1 = lat1.max(p.lat);
        lon0 = lon0.min(p.lon);
        lon1 = lon1.max(p.lon);
    }
    let k = ((lat0 + lat1) / 2.0).to_radians().cos();
    let (w, h) = (((lon1 - lon0) * k).max(1e-6), (lat1 - lat0).max(1e-6));
    let scale = ((W - 2.0 * PAD) / w).min((H - 2.0 * PAD) / h);
    // Centred in the frame.
    let (ox, oy) = ((W - w * scale) / 2.0, (H - h * scale) / 2.0);
    let xy = move |p: &GeoPoint| (ox + (p.lon - lon0) * k * scale, H - oy - (p.lat - lat0) * scale);
    let path =
        |pts: &[GeoPoint]| pts.iter().map(&xy).map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    // 500 m of scale bar, in the same units (1° of latitude ≈ 111.2 km).
    let bar = 500.0 / 111_195.0 * scale;
    html! {
        <figure class="trend track" data-testid="track-map">
            <svg viewBox={format!("0 0 {W} {H}")} role="img">
                <rect x="0" y="0" width={W.to_string()} height={H.to_string()} fill="#f7f8f4" />
                { for lines.iter().map(|l| html! {
                    <polyline class="road" points={path(l)} fill="none" stroke="#9aa3ad" stroke-width="9" stroke-linecap="round" stroke-linejoin="round" />
                }) }
                if !track.is_empty() {
                    <polyline class="walked" points={path(track)} fill="none" stroke="#b71c1c" stroke-width="3" stroke-linejoin="round" />
                }
                { for track.first().map(|p| { let (x, y) = xy(p); html! { <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="6" fill="#2e7d32" /> } }) }
                { for track.last().map(|p| { let (x, y) = xy(p); html! { <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="6" fill="#1f2328" /> } }) }
                { for marks.iter().map(|p| { let (x, y) = xy(p); html! {
                    <text x={format!("{x:.1}")} y={format!("{y:.1}")} font-size="20" text-anchor="middle">{ "⚠" }</text>
                } }) }
                if bar < W - 2.0 * PAD {
                    <g class="grid">
                        <line x1={PAD.to_string()} x2={format!("{:.1}", PAD + bar)} y1={(H - 10.0).to_string()} y2={(H - 10.0).to_string()} stroke="#1f2328" stroke-width="2" />
                        <text x={PAD.to_string()} y={(H - 14.0).to_string()}>{ "500 m" }</text>
                    </g>
                }
                <text x={(W - 14.0).to_string()} y="22" text-anchor="end" font-size="14">{ "N ↑" }</text>
            </svg>
        </figure>
    }
}
