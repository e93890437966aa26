//! The quarter's and the year's roll-up of the published checks (第九条 季度评议、年终考核).

use super::*;
use xunjian_shared::road::rollup::Rollup;

async fn published(app: &TestApp, admin: &str, period: &str, pass: &dyn Fn(&str) -> bool) -> Vec<Ranked> {
    let body = CreateCheck { period: period.into(), ..demo_month_check() };
    let check = start_check(app, admin, &body).await;
    score_all(app, admin, &check, pass).await;
    expect_json::<Check>(app.send_json(Method::POST, &api::road_check_publish(check.id), Some(admin), &()).await, 200)
        .await;
    expect_json(app.get(&api::road_check_ranking(check.id), admin).await, 200).await
}

both_backends!(a_quarter_rolls_up_its_published_checks_by_mean_rank, |app| {
    let admin = app.login("admin").await.access_token;
    // January: nobody patrolled, every township is last by rule; February: 牛杜镇 is.
    let january = published(&app, &admin, "2026-01", &|_| true).await;
    let february = published(&app, &admin, "2026-02", &|_| true).await;
    assert!(january.iter().all(|r| r.last_by_rule));
    // March's check is drawn but not published: it is not in the roll-up.
    start_check(&app, &admin, &CreateCheck { period: "2026-03".into(), ..demo_month_check() }).await;

    let url = |p: &str| format!("{}?period={p}", api::ROADS_ROLLUP);
    let station = app.login("yishi.road").await.access_token;
    let q1: Rollup = expect_json(app.get(&url("2026-Q1"), &station).await, 200).await;
    let periods: Vec<&str> = q1.checks.iter().map(|c| c.period.as_str()).collect();
    assert_eq!(periods, ["2026-01", "2026-02"], "the published ones, oldest first");
    for line in &q1.lines {
        let rank_in =
            |ranking: &[Ranked]| ranking.iter().find(|r| r.result.township_id == line.township_id).map(|r| r.rank);
        assert_eq!(line.ranks, [rank_in(&january), rank_in(&february)], "{}", line.name);
    }
    let by_name = |n: &str| q1.lines.iter().find(|l| l.name == n).unwrap();
    let (yishi, niudu) = (by_name("猗氏镇"), by_name("牛杜镇"));
    assert!(yishi.mean_rank < niudu.mean_rank && yishi.rank < niudu.rank, "{q1:?}");
    assert_eq!((yishi.times_last_by_rule, niudu.times_last_by_rule), (1, 2));
    assert_eq!(q1.lines[0].name, "猗氏镇", "by rank");
    // The year holds the same checks; a quarter without checks has no lines.
    let year: Rollup = expect_json(app.get(&url("2026"), &admin).await, 200).await;
    assert_eq!((year.checks.clone(), year.lines.clone()), (q1.checks.clone(), q1.lines.clone()));
    let q2: Rollup = expect_json(app.get(&url("2026-Q2"), &admin).await, 200).await;
    assert!(q2.checks.is_empty() && q2.lines.is_empty());
    // Who may read it, and what a period is.
    let worker = app.login("yishi.patrol").await.access_token;
    expect_problem(app.get(&url("2026-Q1"), &worker).await, 403, "forbidden").await;
    for bad in ["2026-Q5", "2026-03", "26"] {
        expect_problem(app.get(&url(bad), &admin).await, 422, "validation_failed").await;
    }
    app.stop().await;
});
