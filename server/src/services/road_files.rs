//! Pay sheets, fund allocations and check rankings as office files (XLSX for printing and signing,
//! or CSV).

use super::ledger::Download;
use super::ledger_io::{to_csv, to_xlsx, Cell, FileFormat, Sheet};
use crate::error::AppError;
use xunjian_shared::road::funds::{Allocation, FundLine};
use xunjian_shared::road::patrol::{Check, CheckKind};
use xunjian_shared::road::pay::PaySheet;
use xunjian_shared::road::ranking::Ranked;
use xunjian_shared::road::{ResponsibleUnit, RoadLevel};
use xunjian_shared::time::china_date;

fn render(sheet: &Sheet, format: FileFormat, filename: String) -> Result<Download, AppError> {
    let bytes = match format {
        FileFormat::Xlsx => to_xlsx(sheet)?,
        FileFormat::Csv => to_csv(sheet)?,
    };
    Ok(Download { filename, content_type: format.content_type(), bytes, total: None })
}

/// The pay sheet with each line's parts (责任到位率, the check score, 扣劣奖优), its corrections and
/// the signature lines of 第二十一条 (with who signed, once they have) under the total.
pub fn pay_sheet(s: &PaySheet, format: FileFormat) -> Result<Download, AppError> {
    const HEADERS: [&str; 11] = [
        "姓名",
        "上路天数",
        "责任到位率",
        "管护里程(公里)",
        "基本工资(元)",
        "缺勤扣减(元)",
        "检查得分",
        "扣劣(元)",
        "奖优(元)",
        "应发(元)",
        "备注",
    ];
    // A row with the name first, the amount due in the 应发 column and a remark; the rest blank.
    let row = |first: Cell, due: Cell, remark: Cell| {
        let mut r = vec![Cell::Empty; HEADERS.len()];
        (r[0], r[9], r[10]) = (first, due, remark);
        r
    };
    let mut rows: Vec<Vec<Cell>> = s
        .lines
        .iter()
        .map(|l| {
            vec![
                l.month.name.as_str().into(),
                Cell::Number(f64::from(l.month.days_on_road)),
                format!("{:.0}%", l.attendance_rate * 100.0).into(),
                Cell::Number(l.month.km_covered),
                Cell::Number(l.base_yuan),
                Cell::Number(l.attendance_deduction_yuan),
                l.check_score.map_or(Cell::Empty, Cell::Number),
                Cell::Number(l.check_deduction_yuan),
                Cell::Number(l.bonus_yuan),
                Cell::Number(l.pay_yuan),
                (if l.withheld { "无上路记录，扣发" } else { "" }).into(),
            ]
        })
        .collect();
    // Late records for earlier closed months (docs/roads.md, month close): a line each.
    for c in &s.corrections {
        let mut r = row(
            c.name.as_str().into(),
            Cell::Number(c.yuan),
            format!("{}补记更正（{}天→{}天）", c.month, c.days_was, c.days_now).into(),
        );
        r[1] = Cell::Number(f64::from(c.days_now) - f64::from(c.days_was));
        rows.push(r);
    }
    let total_row = rows.len();
    rows.push(row("合计".into(), Cell::Number(s.total_yuan), Cell::Empty));
    let mut signatures = row(
        format!("交管员签字：{}", s.signed_by_road_officer).into(),
        format!("乡(镇)长审批：{}", s.approved_by_head).into(),
        Cell::Empty,
    );
    signatures[4] = format!("分管副职签字：{}", s.signed_by_deputy_head).into();
    rows.push(signatures);
    if let Some(p) = &s.scheme {
        rows.push(row(
            format!(
                "计发办法：基本工资{}元，每月应上路{}天，每缺一天扣{}元；检查得分低于{}分扣{}元，满勤且不低于{}分奖{}元",
                p.base_yuan,
                p.required_days,
                p.deduction_per_missing_day_yuan,
                p.poor_below,
                p.poor_deduction_yuan,
                p.good_from,
                p.good_bonus_yuan
            )
            .into(),
            Cell::Empty,
            Cell::Empty,
        ));
    }
    let sheet = Sheet {
        name: "工资表".into(),
        title: Some(format!("{} 五级公路管护人员工资表", s.township_name)),
        subtitle: Some(format!("{} 月", s.month)),
        headers: HEADERS.map(String::from).to_vec(),
        widths: vec![12.0, 9.0, 10.0, 13.0, 11.0, 11.0, 9.0, 9.0, 9.0, 11.0, 20.0],
        rows,
        bold_rows: vec![total_row],
        landscape: true,
    };
    render(&sheet, format, format!("pay-{}-{}.{}", s.township_id, s.month, format.extension()))
}

fn km(line: &FundLine, level: RoadLevel) -> Cell {
    Cell::Number(line.km_by_level.get(&level).copied().unwrap_or(0.0))
}

fn fund_rows(lines: &[FundLine], label: impl Fn(&str) -> String) -> Vec<Vec<Cell>> {
    lines
        .iter()
        .map(|l| {
            let mut row: Vec<Cell> = vec![label(&l.to).into()];
            row.extend(RoadLevel::ALL.into_iter().map(|lv| km(l, lv)));
            row.push(Cell::Number(l.amount_yuan));
            row
        })
        .collect()
}

/// The year's allocation: per responsible unit, then per township.
pub fn funds(a: &Allocation, format: FileFormat) -> Result<Download, AppError> {
    let unit_label = |s: &str| ResponsibleUnit::parse(s).map_or(s.to_owned(), |u| u.label_zh().to_owned());
    let mut rows = fund_rows(&a.by_responsible, unit_label);
    let mut bold = vec![];
    let blank = || vec![Cell::Empty; 7];
    rows.push(blank());
    rows.extend(fund_rows(&a.by_township, str::to_owned));
    bold.push(rows.len());
    rows.push(vec![
        "合计".into(),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Number(a.total_yuan),
    ]);
    let mut headers = vec!["单位/乡镇".to_owned()];
    headers.extend(RoadLevel::ALL.into_iter().map(|l| format!("{}(公里)", l.label_zh())));
    headers.push("资金(元)".into());
    let sheet = Sheet {
        name: "管护资金".into(),
        title: Some(format!("{} 年五级公路管护资金分配表", a.year)),
        subtitle: Some("国、省道每公里8000元，县道5000元，乡、村道4000元（第二十条）".into()),
        headers,
        widths: vec![16.0, 10.0, 10.0, 10.0, 10.0, 10.0, 14.0],
        rows,
        bold_rows: bold,
        landscape: true,
    };
    render(&sheet, format, format!("funds-{}.{}", a.year, format.extension()))
}

/// A check's township ranking with the marks of 第二十五、二十六条, for the notice (通报).
pub fn ranking(check: &Check, ranked: &[Ranked], format: FileFormat) -> Result<Download, AppError> {
    let mark = |b: bool| Cell::from(if b { "是" } else { "" });
    let rows = ranked
        .iter()
        .map(|r| {
            vec![
                Cell::Number(f64::from(r.rank)),
                r.result.name.as_str().into(),
                // A township none of whose drawn segments could be checked has no score, not 0.
                if r.result.not_checkable {
                    "不具备检查条件".into()
                } else {
                    Cell::Number((r.result.score * 10.0).round() / 10.0)
                },
                // The form's two parts (第二十四条); blank in a ranking published before the form.
                match r.result.road_score {
                    Some(s) if !r.result.not_checkable => Cell::Number((s * 10.0).round() / 10.0),
                    _ => "".into(),
                },
                r.result.station_points.map_or_else(|| "".into(), |p| Cell::Number((p * 10.0).round() / 10.0)),
                Cell::Number(f64::from(r.result.workers_without_record)),
                mark(r.last_by_rule),
                mark(r.bottom_two),
                mark(r.flagged),
            ]
        })
        .collect();
    let kind = match check.kind {
        CheckKind::MonthlyRandom => "月度随机抽查",
        CheckKind::QuarterlyFull => "季度全面检查",
    };
    let published = check.published_at.map_or("未通报".to_owned(), |t| format!("{} 通报", china_date(t)));
    let sheet = Sheet {
        name: "考核排名".into(),
        title: Some(format!("{} 五级公路管护{}排名", check.period, kind)),
        subtitle: Some(format!(
            "{published}；得分 = 路段得分 × {}% + 站所考核得分（第二十四条）；无上路记录的乡镇排末位（第二十六条），连续两次后两名问责（第二十五条）",
            check.form.road_points
        )),
        headers: [
            "名次",
            "乡镇",
            "得分",
            "路段得分(百分制)",
            "站所考核得分",
            "无上路记录人数",
            "排末位(第二十六条)",
            "后两名",
            "连续两次后两名(第二十五条)",
        ]
        .map(String::from)
        .to_vec(),
        widths: vec![6.0, 12.0, 8.0, 14.0, 16.0, 8.0, 24.0],
        rows,
        bold_rows: vec![],
        landscape: true,
    };
    render(&sheet, format, format!("ranking-{}-{}.{}", check.kind.as_str(), check.period, format.extension()))
}
