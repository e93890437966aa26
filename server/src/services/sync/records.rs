//! The pull's side of the feed: the current state of the records a page of changes names, loaded kind
//! by kind.

use crate::db::changes::Kind;
use crate::db::{self, DbConn};
use crate::error::AppError;
use diesel::prelude::*;

/// The current state of the records of one kind named by `ids`, by id, in one query per 1,000 ids
/// (a pull page loads its records kind by kind, not one query per change). Missing ids are left out.
pub(super) fn records(
    conn: &mut DbConn,
    kind: Kind,
    ids: &[String],
) -> Result<std::collections::HashMap<String, xunjian_shared::sync::Record>, AppError> {
    use crate::db::schema::{
        checklist_templates, hazards, inspections, notifications, org_units, premises, road_segments,
    };
    use crate::db::{hazards::HazardRow, inspections::InspectionRow, notifications::NotificationRow};
    use crate::db::{org_units::OrgUnitRow, premises::PremiseRow, roads::SegmentRow, templates::TemplateRow};
    use xunjian_shared::sync::Record;
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    macro_rules! load {
        ($chunk:expr, $table:ident, $row:ty, $variant:ident) => {{
            let rows: Vec<$row> =
                $table::table.filter($table::id.eq_any($chunk)).select(<$row>::as_select()).load(conn)?;
            for r in rows {
                out.insert(r.id.to_string(), Record::$variant(r.to_dto()?));
            }
        }};
    }
    for chunk in ids.chunks(1000) {
        match kind {
            Kind::OrgUnit => load!(chunk, org_units, OrgUnitRow, OrgUnit),
            Kind::Premise => load!(chunk, premises, PremiseRow, Premise),
            Kind::Template => load!(chunk, checklist_templates, TemplateRow, Template),
            Kind::Inspection => load!(chunk, inspections, InspectionRow, Inspection),
            Kind::Hazard => load!(chunk, hazards, HazardRow, Hazard),
            Kind::Notification => load!(chunk, notifications, NotificationRow, Notification),
            Kind::Segment => load!(chunk, road_segments, SegmentRow, Segment),
            Kind::Road => {
                for id in chunk {
                    if let Some(row) = db::roads::find_road(conn, id.parse().map_err(AppError::internal)?)? {
                        out.insert(row.id.clone(), Record::Road(db::roads::road_dto(conn, &row)?));
                    }
                }
            }
            Kind::HazardTimeline => {
                for (id, events) in db::timelines::Timeline::Hazards.of_many(conn, chunk)? {
                    let hazard = id.parse().map_err(AppError::internal)?;
                    out.insert(
                        id,
                        Record::HazardTimeline(xunjian_shared::hazard::HazardTimeline { id: hazard, events }),
                    );
                }
            }
            Kind::RoadIssue => {
                for f in db::road_issues::find_many(conn, chunk)? {
                    out.insert(f.row.id.to_string(), Record::RoadIssue(f.row.to_dto(&f.road_id)?));
                }
            }
            Kind::Patrol => {
                for id in chunk {
                    if let Some((row, cov)) = db::patrols::find(conn, id.parse().map_err(AppError::internal)?)? {
                        out.insert(row.id.clone(), Record::Patrol(db::patrols::to_dto(&row, cov)?));
                    }
                }
            }
        }
    }
    Ok(out)
}
