//! Checklist templates: data published by the county, one per premise type, versioned and
//! immutable once published. An inspection records the template version it used.

pub mod defaults;
mod evaluate;

pub use evaluate::{failed_items, validate_answers, AnswerProblem};

use crate::premise::PremiseType;
use serde::{Deserialize, Serialize};

/// The hazard categories of the county's checklists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum HazardCategory {
    /// 电气线路
    Electrical,
    /// 用火用气
    FireAndGas,
    /// 消防设施器材
    FireEquipment,
    /// 安全疏散
    Evacuation,
    /// 易燃可燃物
    Combustibles,
    /// 电动车
    EBike,
    /// 三合一场所
    ThreeInOne,
    /// 消防安全管理
    Management,
    /// 其他
    Other,
}

crate::wire_name::wire_names!(HazardCategory, &HazardCategory::ALL);

impl HazardCategory {
    /// Every category.
    pub const ALL: [HazardCategory; 9] = [
        Self::Electrical,
        Self::FireAndGas,
        Self::FireEquipment,
        Self::Evacuation,
        Self::Combustibles,
        Self::EBike,
        Self::ThreeInOne,
        Self::Management,
        Self::Other,
    ];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Electrical => "electrical",
            Self::FireAndGas => "fire_and_gas",
            Self::FireEquipment => "fire_equipment",
            Self::Evacuation => "evacuation",
            Self::Combustibles => "combustibles",
            Self::EBike => "e_bike",
            Self::ThreeInOne => "three_in_one",
            Self::Management => "management",
            Self::Other => "other",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The Chinese name shown on screen and in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Electrical => "电气线路",
            Self::FireAndGas => "用火用气",
            Self::FireEquipment => "消防设施器材",
            Self::Evacuation => "安全疏散",
            Self::Combustibles => "易燃可燃物",
            Self::EBike => "电动车",
            Self::ThreeInOne => "三合一场所",
            Self::Management => "消防安全管理",
            Self::Other => "其他",
        }
    }
}

/// How serious a hazard is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
#[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
pub enum Severity {
    /// 一般隐患: closed inside the grid.
    General,
    /// 重大火灾隐患: must be reviewed and accepted by the fire brigade before closing.
    Major,
}

impl Severity {
    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Major => "major",
        }
    }

    /// Parses the wire and database spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::General, Self::Major].into_iter().find(|v| v.as_str() == s)
    }

    /// The Chinese name shown on screen.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::General => "一般",
            Self::Major => "重大",
        }
    }
}

/// What kind of answer an item takes, and when it fails.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerKind {
    /// 是 / 否 / 不适用. `pass_when` is the compliant answer ("灭火器在有效期内?" passes on yes;
    /// "电动车在室内充电?" passes on no).
    YesNo {
        /// The answer that is compliant.
        pass_when: bool,
    },
    /// A number; outside `[min_ok, max_ok]` fails.
    Number {
        /// Smallest compliant value.
        #[serde(default)]
        min_ok: Option<f64>,
        /// Largest compliant value.
        #[serde(default)]
        max_ok: Option<f64>,
        /// Unit shown after the field, e.g. 具.
        #[serde(default)]
        unit: Option<String>,
    },
    /// Free text (never fails).
    Text,
    /// A photo must be taken (fails only when missing).
    Photo,
}

/// One item of a checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// Stable key within the template, kept across versions for the same question (e.g. `ebike-indoor`).
    pub id: String,
    /// The question in Chinese.
    pub text_zh: String,
    /// The question in English.
    pub text_en: String,
    /// What a failing answer means, said as a finding (私拉乱接电线，电线未穿管保护): the title of the
    /// hazard it registers. None: the question stands in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding_zh: Option<String>,
    /// The finding in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding_en: Option<String>,
    /// Category for statistics.
    pub category: HazardCategory,
    /// Answer kind and failing rule.
    pub answer: AnswerKind,
    /// Whether a failing answer registers a hazard.
    pub makes_hazard: bool,
    /// Severity of that hazard by default.
    pub severity: Severity,
    /// Whether it can usually be fixed on the spot (当场改正).
    pub fixable_on_spot: bool,
    /// Whether a failing answer needs a photo.
    pub photo_required_on_fail: bool,
    /// Whether 不适用 (not applicable) is allowed.
    #[serde(default = "yes")]
    pub allow_not_applicable: bool,
    /// Whether the item may be left unanswered (其他情况及整改要求（没有可不填）): the phone does not
    /// mark it and the server does not refuse it. Every other item is answered (or 不适用 where
    /// allowed).
    #[serde(default)]
    pub optional: bool,
}

fn yes() -> bool {
    true
}

/// Longest finding, in characters.
pub const MAX_FINDING: usize = crate::text::MAX_SHORT_TEXT;

impl ChecklistItem {
    /// The description of the hazard a failing answer registers, the same on the phone and the
    /// server: the finding (the question where none is written), and the inspector's note after it
    /// in brackets — 私拉乱接电线，电线未穿管保护（收银台下插排）.
    pub fn hazard_description(&self, note: Option<&str>) -> String {
        let title = self.finding_zh.as_deref().map(str::trim).filter(|f| !f.is_empty()).unwrap_or(&self.text_zh);
        match note.map(str::trim).filter(|n| !n.is_empty()) {
            Some(note) => format!("{title}（{note}）"),
            None => title.to_owned(),
        }
    }
}

/// The content of a template version (what the county writes and publishes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TemplateContent {
    /// The premise type this checklist is for.
    pub premise_type: PremiseType,
    /// Title, e.g. 沿街门店消防安全检查表.
    pub title: String,
    /// Items in display order.
    pub items: Vec<ChecklistItem>,
}

/// Fewest and most items a template may have.
pub const ITEM_RANGE: std::ops::RangeInclusive<usize> = 1..=60;

impl TemplateContent {
    /// Checks a template before publishing: items present, ids unique and well-formed, texts
    /// present, number ranges sensible.
    pub fn validate(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("title must not be empty".into());
        }
        if !ITEM_RANGE.contains(&self.items.len()) {
            return Err(format!("a template has {} to {} items", ITEM_RANGE.start(), ITEM_RANGE.end()));
        }
        let mut seen = std::collections::HashSet::new();
        for item in &self.items {
            let id_ok = !item.id.is_empty()
                && item.id.len() <= 48
                && item.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !id_ok {
                return Err(format!("item id '{}' must be 1-48 of a-z, 0-9, '-'", item.id));
            }
            if !seen.insert(item.id.as_str()) {
                return Err(format!("item id '{}' is used twice", item.id));
            }
            if item.text_zh.trim().is_empty() || item.text_en.trim().is_empty() {
                return Err(format!("item '{}' needs a Chinese and an English text", item.id));
            }
            for f in [&item.finding_zh, &item.finding_en].into_iter().flatten() {
                if f.chars().count() > MAX_FINDING {
                    return Err(format!("item '{}': a finding has at most {MAX_FINDING} characters", item.id));
                }
            }
            if let AnswerKind::Number { min_ok: Some(lo), max_ok: Some(hi), .. } = item.answer {
                if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                    return Err(format!("item '{}' has an empty number range", item.id));
                }
            }
        }
        Ok(())
    }
}

/// A published template version as the API returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Template {
    /// Id of this version.
    pub id: crate::ids::TemplateId,
    /// Version number within the premise type, from 1.
    pub version: i32,
    /// The content.
    #[serde(flatten)]
    pub content: TemplateContent,
    /// When it was published.
    pub published_at: chrono::DateTime<chrono::Utc>,
}
