//! The county's check form (第二十四条): the station's own items beside the roads, set by the
//! county, kept by each check as drawn, scored per township by a drawn inspector, and the ranking
//! by the form's total.

use super::*;
use xunjian_shared::road::check_form::{CheckForm, CountyCheckForm, StationItem};

fn custom_form() -> CheckForm {
    let item = |key: &str, label: &str, points| StationItem { key: key.into(), label: label.into(), points };
    CheckForm {
        road_points: 60,
        station_items: vec![item("station", "交管站建设", 20), item("weeding", "打药灭草", 20)],
    }
}

both_backends!(the_check_form_scores_the_stations_beside_the_roads_and_ranks_by_its_total, |app| {
    let admin = app.login("admin").await.access_token;
    let station = app.login("yishi.road").await.access_token;
    let grid = app.login("yishi.grid").await.access_token;
    // The default: the roads 75 and the five items of the article, 5 each; read by the station.
    let form: CountyCheckForm = expect_json(app.get(api::ROADS_CHECK_FORM, &station).await, 200).await;
    assert!(form.county_default);
    assert_eq!(form.form, CheckForm::county_default());
    expect_problem(app.get(api::ROADS_CHECK_FORM, &grid).await, 403, "forbidden").await;
    // Only the county sets it, and only a form of 100 points.
    let put = |token: &str, body: serde_json::Value| {
        let token = token.to_owned();
        let app = &app;
        async move { app.send_json(Method::PUT, api::ROADS_CHECK_FORM, Some(&token), &body).await }
    };
    let custom = serde_json::to_value(custom_form()).unwrap();
    expect_problem(put(&station, custom.clone()).await, 403, "forbidden").await;
    let mut ninety_nine = custom.clone();
    ninety_nine["road_points"] = 59.into();
    let p = expect_problem(put(&admin, ninety_nine).await, 422, "validation_failed").await;
    assert!(format!("{p:?}").contains("99"), "{p:?}");
    let mut twice = custom.clone();
    twice["station_items"][1]["key"] = "station".into();
    expect_problem(put(&admin, twice).await, 422, "validation_failed").await;
    let set: CountyCheckForm = expect_json(put(&admin, custom).await, 200).await;
    assert!(!set.county_default && set.updated_at == Some(app.now()));
    assert_eq!(set.form, custom_form());

    // A check drawn now keeps that form, whatever the county sets later.
    let check = start_check(&app, &admin, &demo_month_check()).await;
    assert_eq!(check.form, custom_form());
    let reset: CountyCheckForm =
        expect_json(app.send_json(Method::DELETE, api::ROADS_CHECK_FORM, Some(&admin), &()).await, 200).await;
    assert!(reset.county_default);
    let detail: CheckDetail = expect_json(app.get(&api::road_check(check.id), &admin).await, 200).await;
    assert_eq!(detail.check.form, custom_form(), "the check keeps the form it was drawn with");

    // 猗氏镇's roads are perfect, 牛杜镇's fail everything; but 猗氏镇's station gets nothing.
    let segs = segments(&app, &admin).await;
    let town_of = |seg: &str| segs.iter().find(|s| s.id.to_string() == seg).unwrap().township_id;
    let yishi = segments(&app, &station).await[0].township_id;
    let niudu = check.draw.segments.iter().map(|s| town_of(s)).find(|t| *t != yishi).unwrap();
    score_all(&app, &admin, &check, &|seg| town_of(seg) == yishi).await;
    let station_url = |t: OrgUnitId| api::road_check_station(check.id, t);
    let scoring = |points: &[(&str, f64)]| ScoreStation {
        items: points.iter().map(|(k, p)| StationScore { key: (*k).into(), points: *p }).collect(),
        note: None,
    };
    let send = |t: OrgUnitId, token: &str, body: ScoreStation| {
        let (app, url, token) = (&app, station_url(t), token.to_owned());
        async move { app.send_json(Method::PUT, &url, Some(&token), &body).await }
    };
    // Each item of the check's form once, within its points; the county's default items are not
    // this check's.
    for bad in [
        scoring(&[("station", 20.0)]),
        scoring(&[("station", 20.0), ("weeding", 20.5)]),
        scoring(&[("station", 20.0), ("weeding", -1.0)]),
        scoring(&[("station", 20.0), ("weeding", 20.0), ("station", 0.0)]),
        scoring(&[("station", 5.0), ("officer", 5.0)]),
    ] {
        expect_problem(send(yishi, &admin, bad).await, 422, "validation_failed").await;
    }
    // The county itself is not a township of the draw.
    let county = app.login("admin").await.user.org_chain[0].id;
    let full = scoring(&[("station", 20.0), ("weeding", 20.0)]);
    expect_problem(send(county, &admin, full.clone()).await, 422, "validation_failed").await;
    // A county admin not drawn for the check does not score it; nor does the station.
    let (_, other) = super::checks::new_admin(&app, &admin, "inspector3", county).await;
    expect_problem(send(yishi, &other, full.clone()).await, 403, "not_an_inspector").await;
    expect_problem(send(yishi, &station, full.clone()).await, 403, "forbidden").await;
    let d: CheckDetail =
        expect_json(send(yishi, &admin, scoring(&[("station", 0.0), ("weeding", 0.0)])).await, 200).await;
    let by_id = |t: OrgUnitId| d.station_scores.iter().find(|c| c.township_id == t).map(|c| c.points);
    assert_eq!((by_id(yishi), by_id(niudu)), (Some(0.0), Some(40.0)));

    // 猗氏镇: 100 × 60 % + 0 = 60; 牛杜镇: 0 × 60 % + 40 = 40, and last by rule (no February record).
    let ranked: Vec<Ranked> = expect_json(app.get(&api::road_check_ranking(check.id), &admin).await, 200).await;
    let of = |t: OrgUnitId| ranked.iter().find(|r| r.result.township_id == t.to_string()).unwrap();
    let (y, n) = (of(yishi), of(niudu));
    assert_eq!((y.result.road_score, y.result.station_points, y.result.score), (Some(100.0), Some(0.0), 60.0));
    assert_eq!((n.result.road_score, n.result.station_points, n.result.score), (Some(0.0), Some(40.0), 40.0));
    // A better station lifts 猗氏镇 to 90 with the same roads.
    expect_json::<CheckDetail>(send(yishi, &admin, scoring(&[("station", 20.0), ("weeding", 10.0)])).await, 200).await;
    let ranked: Vec<Ranked> = expect_json(app.get(&api::road_check_ranking(check.id), &admin).await, 200).await;
    let y = ranked.iter().find(|r| r.result.township_id == yishi.to_string()).unwrap();
    assert_eq!(y.result.score, 90.0);
    let published = super::checks::publish(&app, &admin, &check).await;
    assert!(published.published_at.is_some());
    expect_problem(send(yishi, &admin, full).await, 409, "conflict").await;
    app.stop().await;
});

both_backends!(the_stations_need_a_scoring_before_a_check_of_the_default_form_publishes, |app| {
    let admin = app.login("admin").await.access_token;
    let check = start_check(&app, &admin, &demo_month_check()).await;
    assert_eq!(check.form, CheckForm::county_default());
    for seg in &check.draw.segments {
        let url = api::road_check_score(check.id, seg.parse().unwrap());
        let body = ScoreSegment { items: checks(true) };
        expect_json::<Check>(app.send_json(Method::PUT, &url, Some(&admin), &body).await, 200).await;
    }
    let url = api::road_check_publish(check.id);
    let p = expect_problem(app.send_json(Method::POST, &url, Some(&admin), &()).await, 409, "segments_unscored").await;
    assert!(p.detail.as_deref().unwrap_or_default().contains("2 of 2 townships"), "{p:?}");
    // Before publishing, the ranking counts the roads only: 75 of 100.
    let ranked: Vec<Ranked> = expect_json(app.get(&api::road_check_ranking(check.id), &admin).await, 200).await;
    assert!(ranked.iter().all(|r| r.result.score == 75.0 && r.result.station_points.is_none()), "{ranked:?}");
    score_stations(&app, &admin, &check, &|_| 0.8).await;
    let published = super::checks::publish(&app, &admin, &check).await;
    assert!(published.published_at.is_some());
    let ranked: Vec<Ranked> = expect_json(app.get(&api::road_check_ranking(check.id), &admin).await, 200).await;
    assert!(ranked.iter().all(|r| (r.result.score - 95.0).abs() < 1e-9), "{ranked:?}");
    app.stop().await;
});
