//! Names of the domain's enums on screen: Chinese from the shared crate's `label_zh` (the words
//! the county uses in its notices), English here.

use super::Lang;
use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::{ActionKind, HazardStatus, Refusal};
use xunjian_shared::premise::PremiseType;
use xunjian_shared::road::checklist::RoadCheckItem;
use xunjian_shared::road::issue::FindingCategory;
use xunjian_shared::road::register::RoadLevel;
use xunjian_shared::road::works::{WorksKind, WorksStatus};
use xunjian_shared::Role;

pub fn premise_type(lang: Lang, t: PremiseType) -> &'static str {
    match lang {
        Lang::Zh => t.label_zh(),
        Lang::En => match t {
            PremiseType::StreetShop => "Street shop",
            PremiseType::FamilyWorkshop => "Family workshop",
            PremiseType::SmallVenue => "Small venue / workshop",
            PremiseType::Residential => "Residential compound",
            PremiseType::Unit => "Unit (office, enterprise)",
        },
    }
}

pub fn status(lang: Lang, s: HazardStatus) -> &'static str {
    use HazardStatus as S;
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => match s {
            S::Registered => "Registered",
            S::FixedOnSpot => "Fixed on the spot",
            S::RectificationOrdered => "Rectification ordered",
            S::Filed => "Filed",
            S::Rectified => "Rectified, re-check due",
            S::Supervised => "Overdue, supervised",
            S::Referred => "Referred",
            S::ReferralAccepted => "Referral accepted",
            S::EnforcementConcluded => "Enforcement concluded",
            S::Returned => "Returned",
            S::AwaitingBrigadeReview => "Awaiting brigade review",
            S::Closed => "Closed",
        },
    }
}

pub fn severity(lang: Lang, s: Severity) -> &'static str {
    match (lang, s) {
        (Lang::Zh, _) => s.label_zh(),
        (Lang::En, Severity::General) => "General",
        (Lang::En, Severity::Major) => "Major",
    }
}

/// A hazard's category (for statistics), in the checklists' words.
pub fn category(lang: Lang, c: HazardCategory) -> &'static str {
    use HazardCategory as C;
    match lang {
        Lang::Zh => c.label_zh(),
        Lang::En => match c {
            C::Electrical => "Electrical wiring",
            C::FireAndGas => "Fire and gas use",
            C::FireEquipment => "Fire equipment",
            C::Evacuation => "Evacuation",
            C::Combustibles => "Combustibles",
            C::EBike => "E-bikes",
            C::ThreeInOne => "Three-in-one premises",
            C::Management => "Fire safety management",
            C::Other => "Other",
        },
    }
}

pub fn action(lang: Lang, k: ActionKind) -> &'static str {
    use ActionKind as K;
    match lang {
        Lang::Zh => k.label_zh(),
        Lang::En => match k {
            K::FixOnSpot => "Fixed on the spot",
            K::OrderRectification => "Order rectification",
            K::File => "File",
            K::ReportRectified => "Report rectified",
            K::RecheckPass => "Re-check: passed",
            K::RecheckFail => "Re-check: failed",
            K::Close => "Close",
            K::MarkOverdue => "Mark overdue",
            K::Refer => "Refer",
            K::AcceptReferral => "Accept referral",
            K::ReturnReferral => "Return referral",
            K::RecordOutcome => "Record outcome",
            K::BrigadeAccept => "Accept (brigade)",
            K::BrigadeSendBack => "Send back (brigade)",
            K::Reclassify => "Change severity",
        },
    }
}

pub fn role(lang: Lang, r: Role) -> &'static str {
    match lang {
        Lang::Zh => r.label_zh(),
        Lang::En => r.label_en(),
    }
}

/// Why the shared machine refuses an action, as the worker reads it.
pub fn refusal(lang: Lang, r: Refusal) -> &'static str {
    match (lang, r) {
        (Lang::Zh, Refusal::EvidenceRequired) => "请拍摄整改后的照片",
        (Lang::Zh, Refusal::InvalidDeadline) => "期限须在今天之后、180 天之内",
        (Lang::Zh, Refusal::ReasonRequired) => "请填写原因",
        (Lang::Zh, _) => "当前状态下不能进行这项操作",
        (Lang::En, Refusal::EvidenceRequired) => "Take a photo of the fixed state",
        (Lang::En, Refusal::InvalidDeadline) => "The deadline must be after today and within 180 days",
        (Lang::En, Refusal::ReasonRequired) => "Give a reason",
        (Lang::En, _) => "This action is not possible in the current state",
    }
}

/// What an outbox operation was, for the inbox (`kind`: the tag of its body, as sent).
pub fn op_kind(lang: Lang, kind: &str) -> &'static str {
    let (zh, en) = match kind {
        "create_premise" => ("新增场所", "New premise"),
        "update_premise" => ("修改场所", "Premise edit"),
        "submit_inspection" => ("检查记录", "Inspection"),
        "register_hazard" => ("登记隐患", "Hazard report"),
        "act_on_hazard" => ("隐患处理", "Hazard action"),
        "mark_notification_read" => ("消息已读", "Message read"),
        "submit_patrol" => ("上路记录", "Patrol record"),
        // Kinds the shared crate gains before this build has screens for them.
        _ => ("其他记录", "Other record"),
    };
    lang.pick(zh, en)
}

/// An item of the road checklist (第十五条), in the article's words.
pub fn road_check(lang: Lang, item: RoadCheckItem) -> &'static str {
    match lang {
        Lang::Zh => item.label_zh(),
        Lang::En => item.label_en(),
    }
}

/// What a patrol finding is (第六条's list).
pub fn finding_category(lang: Lang, c: FindingCategory) -> &'static str {
    use FindingCategory as C;
    match lang {
        Lang::Zh => c.label_zh(),
        Lang::En => match c {
            C::PavementDamage => "Potholes, damaged pavement",
            C::Rubbish => "Rubbish",
            C::GrainDrying => "Grain threshed or dried on the road",
            C::Piling => "Goods, straw or manure piled",
            C::Sewage => "Sewage discharged",
            C::IllegalBuilding => "Illegal building",
            C::Stalls => "Street stalls",
            C::IllegalParking => "Parked vehicles",
            C::DitchDigging => "Ditch dug up or encroached",
            C::SafetyFacilities => "Safety facilities damaged",
            C::UnfiledWorks => "Works not filed",
            C::Other => "Other",
        },
    }
}

/// A premise field named by `validate_premise`.
pub fn premise_field(lang: Lang, field: &str) -> &'static str {
    let zh = matches!(lang, Lang::Zh);
    match field {
        "name" => {
            if zh {
                "场所名称"
            } else {
                "name"
            }
        }
        "address" => {
            if zh {
                "地址"
            } else {
                "address"
            }
        }
        "responsible_person" => {
            if zh {
                "消防安全责任人"
            } else {
                "responsible person"
            }
        }
        "responsible_phone" => {
            if zh {
                "联系电话"
            } else {
                "phone"
            }
        }
        "notes" => {
            if zh {
                "备注"
            } else {
                "notes"
            }
        }
        _ => {
            if zh {
                "位置"
            } else {
                "position"
            }
        }
    }
}

/// What kind of works a filing is for.
pub fn works_kind(lang: Lang, k: WorksKind) -> &'static str {
    match (lang, k) {
        (Lang::Zh, _) => k.label_zh(),
        (Lang::En, WorksKind::Pipe) => "Pipe laying",
        (Lang::En, WorksKind::Pole) => "Poles",
        (Lang::En, WorksKind::Opening) => "New access",
        (Lang::En, WorksKind::Channel) => "Channel",
        (Lang::En, WorksKind::Other) => "Other",
    }
}

/// Where a works filing stands (先报备、再批复、后实施).
pub fn works_status(lang: Lang, s: WorksStatus) -> &'static str {
    match (lang, s) {
        (Lang::Zh, _) => s.label_zh(),
        (Lang::En, WorksStatus::Requested) => "Filed, awaiting approval",
        (Lang::En, WorksStatus::Approved) => "Approved",
        (Lang::En, WorksStatus::Refused) => "Refused",
        (Lang::En, WorksStatus::Done) => "Done",
    }
}

/// A road's administrative level (国道 … 村道).
pub fn road_level(lang: Lang, l: RoadLevel) -> &'static str {
    match (lang, l) {
        (Lang::Zh, _) => l.label_zh(),
        (Lang::En, RoadLevel::National) => "National",
        (Lang::En, RoadLevel::Provincial) => "Provincial",
        (Lang::En, RoadLevel::County) => "County",
        (Lang::En, RoadLevel::Township) => "Township",
        (Lang::En, RoadLevel::Village) => "Village",
    }
}

/// Why a patrol is not an on-road record.
pub fn on_road_fault(lang: Lang, f: &xunjian_shared::road::on_road::OnRoadFault) -> String {
    match lang {
        Lang::Zh => f.label_zh(),
        Lang::En => f.label_en(),
    }
}

/// A mark on a patrol for the road station (上下班管理).
pub fn patrol_flag(lang: Lang, f: &xunjian_shared::road::attendance::PatrolFlag) -> String {
    match lang {
        Lang::Zh => f.label_zh(),
        Lang::En => f.label_en(),
    }
}

/// 农户, 果库, 企业.
pub fn party_kind(lang: Lang, k: xunjian_shared::road::roadside::PartyKind) -> &'static str {
    use xunjian_shared::road::roadside::PartyKind as K;
    match (lang, k) {
        (Lang::Zh, _) => k.label_zh(),
        (Lang::En, K::Household) => "Household",
        (Lang::En, K::FruitStore) => "Fruit store",
        (Lang::En, K::Enterprise) => "Business",
    }
}

/// 左侧, 右侧, 两侧.
pub fn road_side(lang: Lang, s: xunjian_shared::road::roadside::RoadSide) -> &'static str {
    use xunjian_shared::road::roadside::RoadSide as S;
    match (lang, s) {
        (Lang::Zh, _) => s.label_zh(),
        (Lang::En, S::Left) => "left",
        (Lang::En, S::Right) => "right",
        (Lang::En, S::Both) => "both sides",
    }
}
