//! Every string the UI shows, in Chinese (the default: the users are county grid workers) and
//! English: the texts in `zh.rs` and `en.rs`, the names of the domain's enums in `labels.rs`. The choice is kept in localStorage so it survives reloads and works offline.

mod en;
mod labels;
mod office;
mod office_en;
mod office_zh;
mod zh;

pub use labels::*;
pub use office::OfficeTexts;

use en::EN;
use gloo::storage::{LocalStorage, Storage};
use zh::ZH;

const STORAGE_KEY: &str = "xunjian.lang";

/// The UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The saved choice, Chinese when none was made.
    pub fn load() -> Self {
        match LocalStorage::get::<String>(STORAGE_KEY).as_deref() {
            Ok("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// Remembers the choice and tells the page, so screen readers and hyphenation follow it.
    pub fn apply(self) {
        // A full or blocked storage only costs the choice on reload; the switch still happens.
        let _ = LocalStorage::set(STORAGE_KEY, self.code());
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", self.html_lang());
            }
            doc.set_title(self.t().app_name);
        }
    }

    /// The other language, for the toggle.
    pub fn other(self) -> Self {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The strings of this language.
    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// Picks the server's message in this language (problem documents carry both).
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The UI strings of one language.
pub struct Texts {
    pub app_name: &'static str,
    /// Label of the toggle: the name of the *other* language, in that language.
    pub switch_lang: &'static str,
    pub opening: &'static str,
    pub db_failed: &'static str,
    pub db_wiped: &'static str,
    pub db_wiped_suspected: fn(&str) -> String,
    // login
    pub login_title: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub login: &'static str,
    pub logging_in: &'static str,
    pub fill_both: &'static str,
    pub cannot_connect: &'static str,
    pub unexpected: fn(u16) -> String,
    /// Appended to the server's message on 429.
    pub retry_after: fn(u64) -> String,
    pub session_ended: &'static str,
    pub other_owner: fn(u32) -> String,
    // tabs
    pub tab_today: &'static str,
    pub tab_premises: &'static str,
    pub tab_hazards: &'static str,
    pub tab_notifications: &'static str,
    pub tab_settings: &'static str,
    // sync status
    pub syncing: &'static str,
    pub pending_n: fn(u32) -> String,
    pub all_synced: &'static str,
    pub never_synced: &'static str,
    pub last_sync: &'static str,
    pub sync_now: &'static str,
    pub sync_offline: &'static str,
    pub sync_server: &'static str,
    pub storage_failed: &'static str,
    pub inbox_n: fn(u32) -> String,
    pub saved_local: &'static str,
    pub synced: &'static str,
    pub new_version: &'static str,
    /// The service worker holds the whole app: safe to walk out of signal.
    pub offline_ready: &'static str,
    pub offline_pending: &'static str,
    pub offline_unsupported: &'static str,
    pub build_stamp: &'static str,
    pub update_now: &'static str,
    // today
    pub hazards_for_me: &'static str,
    pub overdue: &'static str,
    pub overdue_with_others: &'static str,
    pub due_premises: &'static str,
    pub nothing_here: &'static str,
    /// The button under a long list: how many rows are not drawn yet.
    pub show_more: fn(u32) -> String,
    pub no_data_yet: &'static str,
    pub all_inspected: &'static str,
    pub last_inspected: &'static str,
    pub never_inspected: &'static str,
    pub deadline: &'static str,
    // premises
    pub search_premises: &'static str,
    pub nearest_first: &'static str,
    pub locating: &'static str,
    pub no_position: &'static str,
    pub add_premise: &'static str,
    pub due: &'static str,
    pub not_found: &'static str,
    pub premise_name: &'static str,
    pub premise_type: &'static str,
    pub address: &'static str,
    pub responsible: &'static str,
    pub phone: &'static str,
    pub notes: &'static str,
    pub grid: &'static str,
    pub take_position: &'static str,
    pub save: &'static str,
    pub pick_type_grid: &'static str,
    pub check_field: &'static str,
    pub start_inspection: &'static str,
    pub hazards: &'static str,
    pub inspections: &'static str,
    pub hazards_found: fn(u32) -> String,
    // inspection
    pub no_template: &'static str,
    pub pass: &'static str,
    pub fail: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub not_applicable: &'static str,
    pub note: &'static str,
    pub take_photo: &'static str,
    pub add_photo: &'static str,
    pub photo_saving: &'static str,
    pub photo_failed: &'static str,
    pub fix_on_spot: &'static str,
    pub rectify_by: &'static str,
    pub evidence_photo: &'static str,
    pub draft_saved: &'static str,
    pub blockers_n: fn(u32) -> String,
    pub rest_pass: &'static str,
    pub call: &'static str,
    pub undo_rest_pass: fn(u32) -> String,
    pub older_checklist: fn(i32) -> String,
    pub submit_inspection: &'static str,
    pub inspection_saved: &'static str,
    pub saved_local_long: &'static str,
    pub back_to_premise: &'static str,
    // hazards
    pub open_hazards: &'static str,
    pub my_turn: &'static str,
    pub pick_deadline: &'static str,
    pub confirm: &'static str,
    // settings
    pub inbox_title: &'static str,
    pub inbox_help: &'static str,
    pub conflict: &'static str,
    pub rejected: &'static str,
    pub now_status: &'static str,
    pub dismiss: &'static str,
    pub language: &'static str,
    pub storage: &'static str,
    pub storage_kept: &'static str,
    pub storage_not_kept: &'static str,
    pub keep_storage: &'static str,
    pub export_unsynced: &'static str,
    pub account: &'static str,
    pub logout: &'static str,
    pub logout_anyway: &'static str,
    /// Records and photos not synced.
    pub logout_unsynced: fn(u32, u32) -> String,
    pub sync_log: &'static str,
    pub log_synced: fn(u32, u32, u32, u32) -> String,
    pub log_session_ended: &'static str,
    pub log_server: &'static str,
    // road patrol
    pub tab_patrol: &'static str,
    pub tab_patrols: &'static str,
    pub today_patrol: &'static str,
    pub patrolled_today: fn(u32, &str) -> String,
    pub not_patrolled_today: &'static str,
    /// Before the reasons a patrol today is not an on-road record.
    pub patrol_not_counted: &'static str,
    pub month_days: fn(u32) -> String,
    pub patrol_in_progress: &'static str,
    pub continue_patrol: &'static str,
    pub my_segments: &'static str,
    pub no_segments: &'static str,
    pub no_line: &'static str,
    pub start_patrol: &'static str,
    pub pick_segments: &'static str,
    pub patrolling: &'static str,
    pub elapsed: &'static str,
    pub track_points: &'static str,
    pub distance: &'static str,
    pub coverage: &'static str,
    pub gps_accuracy: &'static str,
    pub gps_waiting: &'static str,
    pub gps_denied: &'static str,
    pub screen_held: &'static str,
    pub keep_screen_on: &'static str,
    pub gps_unavailable: &'static str,
    pub gps_weak: &'static str,
    pub road_checklist: &'static str,
    pub report_problem: &'static str,
    pub problems_found: &'static str,
    pub category: &'static str,
    pub description: &'static str,
    pub remove: &'static str,
    pub end_patrol: &'static str,
    pub confirm_end: &'static str,
    pub patrol_blockers: fn(u32) -> String,
    pub patrol_saved: &'static str,
    pub patrols_title: &'static str,
    pub no_patrols: &'static str,
    pub problems_n: fn(u32) -> String,
    pub failed_n: fn(u32) -> String,
    pub started: &'static str,
    pub checklist_score: &'static str,
    pub back_to_patrols: &'static str,
}
