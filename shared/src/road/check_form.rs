//! The county's check form (考核表) of 第二十四条: a township's score in a monthly random check or a
//! quarterly full inspection is the road part — the seven items of 第十五条 on its drawn segments —
//! and the road station's own items (交管站的建设, 交管员的配备, 公路养护队伍的组建、管理, 公路法规的宣传,
//! 打药灭草), out of 100 together. The county sets the form as data; a check keeps the form it was
//! drawn with, so a later change does not rescore it.

use crate::ids::{OrgUnitId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Most station items a form holds.
pub const MAX_STATION_ITEMS: usize = 12;

/// One of the road station's items, scored once per township in a check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StationItem {
    /// Unique in the form: 1 to 40 of a–z, 0–9 and `_`, starting with a letter.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 40, pattern = "^[a-z][a-z0-9_]{0,39}$"))]
    pub key: String,
    /// What the inspectors check, as printed on the form (1 to 60 characters, not blank).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub label: String,
    /// Its full points (1 to 99).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 99))]
    pub points: u32,
}

/// The check form: the road part's points and the station items, 100 points in all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckForm {
    /// Points of the road part: the township's mean segment score (0–100) counts this share
    /// (1 to 100; 100 when the form has no station items).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub road_points: u32,
    /// The station's items, in the order of the form (at most 12).
    #[cfg_attr(feature = "openapi", schema(max_items = 12))]
    pub station_items: Vec<StationItem>,
}

impl CheckForm {
    /// The county's default, until it sets its own: 75 points for the roads, 5 for each of the
    /// five station items the article names. The article gives no weights: these are our choice
    /// (docs/roads.md), the roads keeping the larger share as 第二十四条's checks are of the roads.
    pub fn county_default() -> Self {
        let item = |key: &str, label: &str| StationItem { key: key.into(), label: label.into(), points: 5 };
        CheckForm {
            road_points: 75,
            station_items: vec![
                item("station", "交管站建设"),
                item("officer", "交管员配备"),
                item("crew", "养护队伍组建与管理"),
                item("publicity", "公路法规宣传"),
                item("weeding", "打药灭草"),
            ],
        }
    }

    /// The form of a check drawn before the county had forms: the road part alone.
    pub fn road_only() -> Self {
        CheckForm { road_points: 100, station_items: vec![] }
    }

    /// Checks the form: 100 points in all, the roads at least 1, each item at least 1, keys unique
    /// and well formed, labels written. The error names the field.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if !(1..=100).contains(&self.road_points) {
            return Err(("road_points", "1 to 100".into()));
        }
        if self.station_items.len() > MAX_STATION_ITEMS {
            return Err(("station_items", format!("at most {MAX_STATION_ITEMS} items")));
        }
        for (i, item) in self.station_items.iter().enumerate() {
            let k = &item.key;
            let well_formed = k.len() <= 40
                && k.starts_with(|c: char| c.is_ascii_lowercase())
                && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !well_formed {
                return Err(("station_items", format!("item {}: key {k:?} is not 1–40 of a–z, 0–9, _", i + 1)));
            }
            if self.station_items[..i].iter().any(|o| o.key == *k) {
                return Err(("station_items", format!("item {}: key {k:?} is used twice", i + 1)));
            }
            let n = item.label.trim().chars().count();
            if n == 0 || item.label.chars().count() > 60 {
                return Err(("station_items", format!("item {}: the label is 1 to 60 characters", i + 1)));
            }
            if !(1..=99).contains(&item.points) {
                return Err(("station_items", format!("item {}: 1 to 99 points", i + 1)));
            }
        }
        let total = self.road_points + self.station_items.iter().map(|i| i.points).sum::<u32>();
        if total != 100 {
            return Err(("road_points", format!("the form adds up to {total}, not 100")));
        }
        Ok(())
    }

    /// A township's total (0–100): its mean segment score weighted by the road points, plus the
    /// points its station was given (none yet: 0).
    pub fn total(&self, road_score: f64, station_points: Option<f64>) -> f64 {
        road_score * f64::from(self.road_points) / 100.0 + station_points.unwrap_or(0.0)
    }

    /// Checks a station scoring against the form: each item once, 0 to its full points. Answers
    /// the points given in all.
    pub fn score_station(&self, scores: &[StationScore]) -> Result<f64, String> {
        if self.station_items.is_empty() {
            return Err("this check's form has no station items".into());
        }
        for s in scores {
            let Some(item) = self.station_items.iter().find(|i| i.key == s.key) else {
                return Err(format!("{:?} is not an item of this check's form", s.key));
            };
            if !s.points.is_finite() || s.points < 0.0 || s.points > f64::from(item.points) {
                return Err(format!("{}: 0 to {} points", item.label, item.points));
            }
        }
        for item in &self.station_items {
            let n = scores.iter().filter(|s| s.key == item.key).count();
            if n != 1 {
                return Err(format!("{} must be scored once (scored {n} times)", item.label));
            }
        }
        Ok(scores.iter().map(|s| s.points).sum())
    }
}

/// The points given to one station item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StationScore {
    /// The item's key in the check's form.
    pub key: String,
    /// 0 to the item's full points.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 99))]
    pub points: f64,
}

/// Body of `PUT /api/v1/road-checks/{id}/station/{township_id}`: a drawn inspector's scoring of
/// the township's station items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoreStation {
    /// Each item of the check's form once.
    pub items: Vec<StationScore>,
    /// What the inspectors found (at most 500 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

/// A township's scored station items in a check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationScoreCard {
    /// The township.
    pub township_id: OrgUnitId,
    /// The items as scored.
    pub items: Vec<StationScore>,
    /// Their sum.
    pub points: f64,
    /// What the inspectors found.
    pub note: Option<String>,
    /// The inspector.
    pub scored_by: Option<UserId>,
    /// Their name.
    pub scored_by_name: String,
    /// When scored.
    pub scored_at: DateTime<Utc>,
}

/// `GET /api/v1/roads/check-form`: the form new checks are drawn with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountyCheckForm {
    /// The form.
    #[serde(flatten)]
    pub form: CheckForm,
    /// The county has not set a form: this is the default ([`CheckForm::county_default`]).
    pub county_default: bool,
    /// Who set it (empty for the default).
    pub updated_by_name: String,
    /// When it was set.
    pub updated_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(form: &CheckForm, f: impl Fn(&StationItem) -> f64) -> Vec<StationScore> {
        form.station_items.iter().map(|i| StationScore { key: i.key.clone(), points: f(i) }).collect()
    }

    #[test]
    fn the_default_is_the_articles_five_items_and_adds_up_to_100() {
        let form = CheckForm::county_default();
        assert_eq!(form.validate(), Ok(()));
        assert_eq!(form.station_items.len(), 5);
        assert_eq!(form.station_items[4].label, "打药灭草");
        assert_eq!(CheckForm::road_only().validate(), Ok(()));
    }

    #[test]
    fn a_form_must_add_up_to_100_with_well_formed_items() {
        let ok = CheckForm::county_default();
        let with = |f: &dyn Fn(&mut CheckForm)| {
            let mut form = ok.clone();
            f(&mut form);
            form.validate().map_err(|(field, _)| field)
        };
        assert_eq!(with(&|f| f.road_points = 76), Err("road_points"), "101");
        assert_eq!(with(&|f| f.road_points = 74), Err("road_points"), "99");
        assert_eq!(with(&|f| f.road_points = 0), Err("road_points"));
        assert_eq!(with(&|f| f.station_items[1].key = "station".into()), Err("station_items"), "twice");
        assert_eq!(with(&|f| f.station_items[1].key = "Officer".into()), Err("station_items"));
        assert_eq!(with(&|f| f.station_items[1].key = "1st".into()), Err("station_items"));
        assert_eq!(with(&|f| f.station_items[1].key = String::new()), Err("station_items"));
        assert_eq!(with(&|f| f.station_items[1].key = "a".repeat(40)), Ok(()));
        assert_eq!(with(&|f| f.station_items[1].key = "a".repeat(41)), Err("station_items"));
        assert_eq!(with(&|f| f.station_items[1].label = "  ".into()), Err("station_items"));
        assert_eq!(with(&|f| f.station_items[1].label = "字".repeat(60)), Ok(()));
        assert_eq!(with(&|f| f.station_items[1].label = "字".repeat(61)), Err("station_items"));
        assert_eq!(
            with(&|f| {
                f.station_items[1].points = 0;
                f.road_points = 80;
            }),
            Err("station_items"),
            "an item of 0 points"
        );
        let many: Vec<_> =
            (0..13).map(|i| StationItem { key: format!("k{i}"), label: "x".into(), points: 1 }).collect();
        assert_eq!(with(&|f| (f.road_points, f.station_items) = (87, many.clone())), Err("station_items"));
        let twelve: Vec<_> = many[..12].to_vec();
        assert_eq!(with(&|f| (f.road_points, f.station_items) = (88, twelve.clone())), Ok(()));
    }

    #[test]
    fn a_township_total_weights_the_roads_and_adds_the_station() {
        let form = CheckForm::county_default();
        assert_eq!(form.total(100.0, Some(25.0)), 100.0);
        assert!((form.total(600.0 / 7.0, Some(20.0)) - (75.0 * 6.0 / 7.0 + 20.0)).abs() < 1e-9);
        assert_eq!(form.total(80.0, None), 60.0, "a station not scored gives nothing");
        assert_eq!(CheckForm::road_only().total(80.0, None), 80.0, "a check of the road alone");
    }

    #[test]
    fn a_station_scoring_gives_each_item_once_within_its_points() {
        let form = CheckForm::county_default();
        assert_eq!(form.score_station(&scores(&form, |i| f64::from(i.points))), Ok(25.0));
        assert_eq!(form.score_station(&scores(&form, |_| 0.0)), Ok(0.0));
        assert_eq!(form.score_station(&scores(&form, |_| 2.5)), Ok(12.5));
        assert!(form.score_station(&scores(&form, |_| 5.01)).is_err(), "above the item's points");
        assert!(form.score_station(&scores(&form, |_| -0.01)).is_err());
        assert!(form.score_station(&scores(&form, |_| f64::NAN)).is_err());
        let mut missing = scores(&form, |_| 5.0);
        missing.pop();
        assert!(form.score_station(&missing).unwrap_err().contains("打药灭草"));
        let mut twice = scores(&form, |_| 5.0);
        twice.push(twice[0].clone());
        assert!(form.score_station(&twice).is_err());
        let mut stranger = scores(&form, |_| 5.0);
        stranger[0].key = "parking".into();
        assert!(form.score_station(&stranger).unwrap_err().contains("parking"));
        assert!(CheckForm::road_only().score_station(&[]).is_err(), "nothing to score");
    }
}
