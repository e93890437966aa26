//! The shared ids and codes in the two-backend connection: `xunjian_shared::sql` makes each one
//! read and write itself on SQLite and PostgreSQL; the connection type derived over both
//! (`DbConn`, whose backend is `MultiBackend`) needs one impl more per type, which only this crate
//! can write. Rows then carry `HazardId`, `HazardStatus`, … and never convert by hand.

use super::connection::MultiBackend;
use diesel::serialize::{IsNull, Output, ToSql};
use diesel::sql_types::Text;

macro_rules! text_on_both_backends {
    ($($t:ty),* $(,)?) => {$(
        impl ToSql<Text, MultiBackend> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> diesel::serialize::Result {
                out.set_value((Text, self));
                Ok(IsNull::No)
            }
        }
    )*};
}

use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::{HazardStatus, ReferralTarget};
use xunjian_shared::ids::{DeviceId, OpId};
use xunjian_shared::road::issue::FindingCategory;
use xunjian_shared::road::roadside::{PartyKind, RoadSide};
use xunjian_shared::{
    CheckId, HazardId, InspectionId, NotificationId, OrgUnitId, PatrolId, PremiseId, RoadId, RoadIssueId,
    RoadsidePartyId, SegmentId, TemplateId, UserId, WorksId,
};
text_on_both_backends!(
    UserId,
    OrgUnitId,
    PremiseId,
    TemplateId,
    InspectionId,
    HazardId,
    NotificationId,
    RoadId,
    SegmentId,
    PatrolId,
    RoadIssueId,
    WorksId,
    CheckId,
    DeviceId,
    OpId,
    HazardCategory,
    Severity,
    HazardStatus,
    ReferralTarget,
    FindingCategory,
    RoadsidePartyId,
    PartyKind,
    RoadSide,
);
