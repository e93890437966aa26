//! The 12-month trend as inline SVG: inspections, hazards registered and hazards closed per month.
//! Drawn by hand (no chart library, nothing fetched): three lines over a light grid.

use crate::ctx::Ctx;
use xunjian_shared::dashboard::MonthPoint;
use yew::prelude::*;

/// A line: its name, colour and value per month.
type Series = (&'static str, &'static str, fn(&MonthPoint) -> i64);

const W: f64 = 720.0;
const H: f64 = 220.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// A round top for the axis: 1, 2 or 5 × 10ⁿ at or above `max`.
fn nice(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max {
                return m * step;
            }
        }
        step *= 10;
    }
}

/// The chart (a plain function, not a component).
pub fn trend(ctx: &Ctx, pts: &[MonthPoint]) -> Html {
    let o = ctx.o();
    if pts.is_empty() {
        return html! {};
    }
    let top = nice(pts.iter().flat_map(|p| [p.inspections, p.registered, p.closed]).max().unwrap_or(0).max(1));
    let step = (W - LEFT - RIGHT) / (pts.len().max(2) - 1) as f64;
    let x = move |i: usize| LEFT + step * i as f64;
    let y = move |v: i64| TOP + (H - TOP - BOTTOM) * (1.0 - v as f64 / top as f64);
    let series: [Series; 3] = [
        (o.trend_inspections, "#1565c0", |p| p.inspections),
        (o.trend_registered, "#b71c1c", |p| p.registered),
        (o.trend_closed, "#2e7d32", |p| p.closed),
    ];
    html! {
        <figure class="trend" data-testid="trend">
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={o.trend_title}>
                { for [0, top / 2, top].into_iter().map(|v| html! {
                    <g class="grid">
                        <line x1={LEFT.to_string()} x2={(W - RIGHT).to_string()} y1={y(v).to_string()} y2={y(v).to_string()} />
                        <text x={(LEFT - 6.0).to_string()} y={(y(v) + 4.0).to_string()} text-anchor="end">{ v }</text>
                    </g>
                }) }
                { for pts.iter().enumerate().map(|(i, p)| html! {
                    <text class="month" x={x(i).to_string()} y={(H - 8.0).to_string()} text-anchor="middle">
                        { p.month.get(5..).unwrap_or(&p.month) }
                    </text>
                }) }
                { for series.iter().map(|(name, colour, value)| {
                    let line: Vec<String> = pts.iter().enumerate().map(|(i, p)| format!("{:.1},{:.1}", x(i), y(value(p)))).collect();
                    html! {
                        <g>
                            <polyline points={line.join(" ")} fill="none" stroke={*colour} stroke-width="2.5" />
                            { for pts.iter().enumerate().map(|(i, p)| html! {
                                <circle cx={x(i).to_string()} cy={y(value(p)).to_string()} r="3.5" fill={*colour}>
                                    <title>{ format!("{} {}：{}", p.month, name, value(p)) }</title>
                                </circle>
                            }) }
                        </g>
                    }
                }) }
            </svg>
            <figcaption class="legend">
                { for series.iter().map(|(name, colour, _)| html! {
                    <span><i style={format!("background:{colour}")}></i>{ *name }</span>
                }) }
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_axis_top_is_round_and_not_below_the_largest_value() {
        assert_eq!(super::nice(1), 1);
        assert_eq!(super::nice(3), 5);
        assert_eq!(super::nice(7), 10);
        assert_eq!(super::nice(180), 200);
        assert_eq!(super::nice(501), 1000);
    }
}
