//! The office dashboard against what the test did through the API: an inspection with hazards, a
//! deadline that passes, the scheduler; per village for the township office, per township for the
//! fire brigade; scope and roles.

use super::*;
use chrono::Duration;
use xunjian_shared::api;
use xunjian_shared::checklist::Severity;
use xunjian_shared::dashboard::Dashboard;
use xunjian_shared::hazard::HazardStatus;
use xunjian_shared::premise::{Premise, PremiseType};
use xunjian_tests::fire::{hazard_items, inspection, premise_of, submit, template_for};

async fn dashboard(app: &TestApp, token: &str) -> Dashboard {
    expect_json(app.get(api::DASHBOARD, token).await, 200).await
}

fn open(d: &Dashboard, s: HazardStatus) -> i64 {
    d.open_by_status.iter().find(|(x, _)| *x == s).map_or(0, |(_, n)| *n)
}

both_backends!(the_dashboard_counts_what_happened, |app| {
    let office = app.login("yishi.office").await.access_token;
    let before = dashboard(&app, &office).await;
    assert_eq!(before.unit_name, "猗氏镇");
    assert!(before.rows.len() > 1, "one row per village");
    assert_eq!(before.total.premises, before.rows.iter().map(|r| r.counts.premises).sum::<i64>());
    assert_eq!(before.total.outstanding, before.total.premises, "nothing inspected yet this month");
    assert_eq!((before.total.open_hazards, before.total.inspected_this_month), (0, 0));
    assert_eq!(before.trend.len(), 12);
    assert_eq!(before.trend.last().unwrap().month, before.month);

    // The grid worker inspects a shop: two general hazards ordered for rectification.
    let grid = app.login("yishi.grid").await.access_token;
    let premise: Premise = premise_of(&app, &grid, PremiseType::StreetShop).await;
    let t = template_for(&app, &grid, PremiseType::StreetShop).await;
    let items = hazard_items(&t, false);
    let failing: Vec<&str> = items.iter().take(2).map(String::as_str).collect();
    submit(&app, &grid, &inspection(&premise, &t, &failing, &[], app.now())).await;

    let after = dashboard(&app, &office).await;
    assert_eq!(after.total.inspected_this_month, 1);
    assert_eq!(after.total.outstanding, before.total.outstanding - 1);
    assert_eq!(after.total.open_hazards, 2);
    assert_eq!(open(&after, HazardStatus::RectificationOrdered), 2);
    assert_eq!(after.open_by_severity, vec![(Severity::General, 2)]);
    assert_eq!(after.total.overdue, 0);
    let row: Vec<_> = after.rows.iter().filter(|r| r.counts.inspected_this_month == 1).collect();
    assert_eq!(row.len(), 1, "the premise's village alone");
    assert_eq!(row[0].counts.open_hazards, 2);
    assert_eq!(after.trend.last().unwrap().registered, 2);

    // The deadline passes: overdue at once (before the scheduler runs), and still after it.
    app.clock.advance(Duration::days(11));
    let office = app.login("yishi.office").await.access_token;
    assert_eq!(dashboard(&app, &office).await.total.overdue, 2);
    app.run_scheduler();
    let later = dashboard(&app, &office).await;
    assert_eq!((later.total.overdue, open(&later, HazardStatus::Supervised)), (2, 2));

    // The fire brigade sees the county by township; 牛杜镇 has none of it.
    let brigade = app.login("brigade").await.access_token;
    let county = dashboard(&app, &brigade).await;
    let yishi = county.rows.iter().find(|r| r.name == "猗氏镇").unwrap();
    assert_eq!((yishi.counts.open_hazards, yishi.counts.overdue), (2, 2));
    assert_eq!(yishi.counts.overdue_rate(), 1.0);
    assert_eq!(county.rows.iter().find(|r| r.name == "牛杜镇").unwrap().counts.open_hazards, 0);
    // A township cannot look at another's dashboard; field roles have none.
    let niudu = app.login("niudu.office").await.access_token;
    expect_problem(
        app.get(&format!("{}?org_unit_id={}", api::DASHBOARD, later.unit_id), &niudu).await,
        403,
        "out_of_scope",
    )
    .await;
    let grid = app.login("yishi.grid").await.access_token;
    expect_problem(app.get(api::DASHBOARD, &grid).await, 403, "forbidden").await;
    app.stop().await;
});
