//! Road patrol under the county's 五级公路管护办法 (临政办发〔2023〕2号): the road register, patrol
//! records with GPS tracks and the seven-item checklist, coverage, checks and ranking, pay and funds.
//! Pure rules and types; the server stores and enforces them, the phone shows them offline.

pub mod attendance;
pub mod check;
pub mod check_form;
pub mod checklist;
pub mod draw;
pub mod funds;
pub mod issue;
pub mod month_close;
pub mod on_road;
pub mod patrol;
pub mod pay;
pub mod ranking;
pub mod register;
pub mod register_file;
pub mod roadside;
pub mod rollup;
pub mod track;
pub mod works;

pub use register::{ResponsibleUnit, RoadLevel};
