//! Performance targets (绩效目标表) read from the other tables: per target its scope,
//! project, responsible unit, goals and money, and one [`Indicator`] per indicator row, the
//! columns found by their header words (`header`), wherever the header is printed (over the
//! table, or as a row under the goals). A table with a 项目名称 column lists several
//! projects: each is a target. A 一级指标 printed once over several rows (a merged cell) is
//! given to the rows it covers and marked inferred. Nothing is checked here.

mod header;
mod value;

use super::other::figure as money;
use crate::knowledge::targets::VOCABULARY;
use crate::label::label_key;
use crate::model::{Indicator, OtherRow, OtherTable, Target, TargetMoney, TargetScope};
use header::{Field, Map, header_map, money_label, record_map};
use value::parse_value;

/// The target tables among the other tables, in order.
pub fn targets(others: &[OtherTable]) -> Vec<Target> {
    continued(others.iter().filter(|t| is_target_title(&t.title)))
        .iter()
        .flat_map(read)
        .enumerate()
        .map(|(i, mut t)| {
            t.target_index = u32::try_from(i).unwrap_or(u32::MAX);
            t
        })
        .collect()
}

/// The target tables put back together where a title is printed again over the next page:
/// a page with no header under it goes on with the table before (its rows read with that
/// table's columns), and so does a page of a table listing projects that prints its header
/// again.
fn continued<'a>(tables: impl Iterator<Item = &'a OtherTable>) -> Vec<OtherTable> {
    let mut out: Vec<OtherTable> = Vec::new();
    for table in tables {
        if let Some(last) = out.last_mut()
            && last.title == table.title
            && (table.columns.iter().all(String::is_empty)
                || (last.columns == table.columns && lists_projects(&last.columns)))
        {
            last.rows.extend(table.rows.iter().cloned());
            continue;
        }
        out.push(table.clone());
    }
    out
}

/// True for the header of a table with a 项目名称 column beside its indicators.
fn lists_projects(columns: &[String]) -> bool {
    let over: Vec<(usize, String)> = columns.iter().cloned().enumerate().filter(|(_, c)| !c.is_empty()).collect();
    header_map(&over).is_some_and(|m| m.position(Field::Project).is_some())
}

fn is_target_title(title: &str) -> bool {
    let key = label_key(title);
    VOCABULARY.titles.iter().any(|w| key.contains(w.as_str()))
}

fn texts(row: &OtherRow) -> Vec<(usize, String)> {
    row.cells.iter().map(|c| (c.column as usize, c.text.clone())).collect()
}

/// The label cells over the table paired with their text (项目名称 | 名称, 主管部门 | 单位), as
/// rows of two cells. A header path is the words printed over one position, top down: a
/// label position's path lists its labels, the next position's their texts. Where the texts
/// are more lines than the labels (a text wrapped), each label takes one line and the last
/// the rest, except that a unit code (`253_…`) begins the text of the label it is printed for.
fn label_rows(columns: &[String]) -> Vec<Vec<(usize, String)>> {
    let parts = |c: &String| c.split('/').filter(|p| !p.is_empty()).map(str::to_string).collect::<Vec<_>>();
    let mut rows = Vec::new();
    let mut p = 0;
    while p < columns.len() {
        let labels = parts(&columns[p]);
        if labels.is_empty() || !labels.iter().all(|l| is_label(l)) {
            p += 1;
            continue;
        }
        let Some(q) = (p + 1..columns.len()).find(|&q| !columns[q].is_empty()) else { break };
        let texts = parts(&columns[q]);
        if texts.iter().any(|t| is_label(t)) {
            p = q;
            continue;
        }
        // Where each label's text starts among the text lines.
        let mut starts: Vec<usize> = (0..labels.len()).collect();
        if texts.len() > labels.len() {
            for (i, start) in starts.iter_mut().enumerate().skip(1) {
                let coded = (i..texts.len()).find(|&j| is_unit_code(&texts[j]));
                *start = coded.unwrap_or(i);
            }
        }
        for (i, label) in labels.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(texts.len());
            let text: String = texts.get(starts[i]..end.max(starts[i])).unwrap_or_default().concat();
            rows.push(vec![(p, label.clone()), (q, text)]);
        }
        p = q + 1;
    }
    rows
}

/// The header paths over the table as rows of cells, deepest level last: a path of fewer
/// parts sits at the bottom (its cell is merged upwards). For a header whose labels and texts
/// do not pair by position (the department's table: 部门名称 under the year, its name over
/// 预算支出总额).
fn path_rows(columns: &[String]) -> Vec<Vec<(usize, String)>> {
    let paths: Vec<Vec<&str>> = columns.iter().map(|c| c.split('/').filter(|p| !p.is_empty()).collect()).collect();
    let depth = paths.iter().map(Vec::len).max().unwrap_or(0);
    (0..depth)
        .map(|level| {
            paths
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let at = (level + p.len()).checked_sub(depth)?;
                    p.get(at).map(|t| (i, (*t).to_string()))
                })
                .collect()
        })
        .collect()
}

/// A unit's code before its name (`253_烟台市住房和城乡建设局`, `105001 长春市信访局`).
fn is_unit_code(text: &str) -> bool {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    digits >= 3 && text[digits..].starts_with(['_', ' ', '-'])
}

/// One target being read.
struct Open {
    target: Target,
    goals: Vec<String>,
}

impl Open {
    fn new(table: &OtherTable, scope: TargetScope, page: u32) -> Open {
        let target = Target {
            target_index: 0,
            table_index: table.table_index,
            title: table.title.clone(),
            scope,
            project: None,
            responsible: None,
            goals: None,
            money: Vec::new(),
            page,
            indicators: Vec::new(),
        };
        Open { target, goals: Vec::new() }
    }

    fn close(mut self) -> Target {
        if !self.goals.is_empty() {
            self.target.goals = Some(self.goals.join("\n"));
        }
        fill_levels(&mut self.target.indicators);
        self.target
    }

    fn is_empty(&self) -> bool {
        self.target.indicators.is_empty() && self.target.project.is_none() && self.target.money.is_empty()
    }
}

/// The record cells of a row of a table that lists several projects: its project name,
/// money figures and goals text.
struct Record {
    project: Option<String>,
    money: Vec<TargetMoney>,
    goals: Option<String>,
    responsible: Option<String>,
}

fn record(map: &Map, texts: &[(usize, String)]) -> Record {
    let at = |p: Option<usize>| {
        p.and_then(|p| texts.iter().find(|(q, _)| *q == p)).map(|(_, t)| t.trim().to_string()).filter(|t| !t.is_empty())
    };
    let figures: Vec<TargetMoney> = map
        .money
        .iter()
        .filter_map(|(p, label)| {
            let value = money(&at(Some(*p))?)?;
            Some(TargetMoney { label: label.clone(), value })
        })
        .collect();
    // A name is words, not a figure.
    let project = at(map.position(Field::Project)).filter(|t| money(t).is_none());
    Record {
        project,
        money: figures,
        goals: at(map.position(Field::Goals)),
        responsible: at(map.position(Field::Responsible)),
    }
}

fn read(table: &OtherTable) -> Vec<Target> {
    let title_key = label_key(&table.title);
    let scope = if VOCABULARY.department_words.iter().any(|w| title_key.contains(w.as_str())) {
        TargetScope::Department
    } else {
        TargetScope::Project
    };
    let mut done: Vec<Target> = Vec::new();
    let mut open = Open::new(table, scope, table.page);
    // The header over the table, or a row naming the indicator columns.
    let over: Vec<(usize, String)> =
        table.columns.iter().enumerate().filter(|(_, c)| !c.is_empty()).map(|(i, c)| (i, c.clone())).collect();
    let mut map = header_map(&over).or_else(|| record_map(&over));
    // Money labels over columns of a table whose indicator header comes later (the
    // department's 预算支出总额 | 财政拨款/合计 …, its figures in the row under them).
    let mut money_columns: Vec<(usize, String)> = Vec::new();
    if map.is_none() {
        // Label cells over the table (项目名称 | 名称, 主管部门 | 单位) read as rows.
        let pairs = label_rows(&table.columns);
        let rows = if pairs.is_empty() { path_rows(&table.columns) } else { pairs };
        for row in rows {
            fields(&row, &mut open, None);
        }
        money_columns = over.iter().filter_map(|(i, c)| Some((*i, money_label(c.rsplit('/').next()?)?))).collect();
    }
    // 一级/二级指标 printed on a line of their own, over the indicators they head.
    let mut labels = (String::new(), String::new());
    // An indicator whose cells wrapped onto several lines, being put together.
    let mut partial: Option<Indicator> = None;
    // The row is the first of a page, or the first under a header printed again.
    let mut after_header = false;
    // Rows have gone on with the ruled row above them: a new ruled row is a new record.
    let mut banded = false;
    let mut page = table.page;
    for row in &table.rows {
        let texts = texts(row);
        // The first row of a new page goes on as the first under a repeated header does.
        after_header |= row.page != page;
        page = row.page;
        let short: Vec<(usize, String)> = texts.iter().filter(|(_, t)| !header::is_long(t)).cloned().collect();
        if let Some(again) = header_map(&short) {
            // The header, or the header printed again on a new page (whose money labels may
            // stand on a line of their own under it: those of the first header stay).
            let before = map.as_ref().map(|m| m.money.clone()).unwrap_or_default();
            let mut again = again;
            for (p, label) in before {
                if !again.money.iter().any(|(q, _)| *q == p) {
                    again.money.push((p, label));
                }
            }
            again.money.sort_by_key(|(p, _)| *p);
            map = Some(again);
            after_header = true;
            continue;
        }
        let Some(map) = &map else {
            let figures: Option<Vec<TargetMoney>> = texts
                .iter()
                .filter(|(_, t)| !t.trim().is_empty())
                .map(|(p, t)| {
                    let (_, label) = money_columns.iter().find(|(q, _)| q == p)?;
                    Some(TargetMoney { label: label.clone(), value: money(t)? })
                })
                .collect();
            match figures {
                Some(figures) if !figures.is_empty() && open.target.money.is_empty() => open.target.money = figures,
                _ => fields(&texts, &mut open, Some(row.page)),
            }
            continue;
        };
        if is_header_words(&texts) {
            continue; // the header's second line (`财政资金 | 其他资金`)
        }
        banded |= row.continues_row;
        if map.position(Field::Project).is_some() || !map.money.is_empty() {
            let rec = record(map, &texts);
            if rec.project.is_none() && texts.iter().any(|(_, t)| is_total(t)) {
                continue; // the 合计 row of a list of projects
            }
            let has_record = rec.project.is_some() || !rec.money.is_empty() || rec.goals.is_some();
            // A ruled row of its own in a table whose projects are ruled rows with sub-rows:
            // the next project, its merged cells printed on the next page.
            let opens = banded && !row.continues_row && !row.off_grid && !after_header;
            if !has_record && opens && !open.target.indicators.is_empty() {
                open.target.indicators.extend(partial.take().map(|p| headed(p, &labels)));
                let next = Open::new(table, scope, row.page);
                done.push(std::mem::replace(&mut open, next).close());
                labels = (String::new(), String::new());
            }
            if has_record {
                // The first row under a header printed again goes on with the project the
                // page before ended with, unless it prints a project of its own in full.
                // (Its money is printed on one of the two pages only.)
                let continued = after_header && (rec.money.is_empty() || open.target.money.is_empty());
                let same = rec.project.is_some() && rec.project == open.target.project;
                // A goals cell of its own under a project with indicators starts the next
                // project, whose name and money may be centred on the next page (where rows
                // are ruled, only when it opens a ruled row: not text running below the grid).
                let starts = rec.project.is_some()
                    || !rec.money.is_empty()
                    || (!open.target.indicators.is_empty() && (!banded || opens));
                if !open.is_empty() && !continued && !same && starts {
                    open.target.indicators.extend(partial.take().map(|p| headed(p, &labels)));
                    let next = Open::new(table, scope, row.page);
                    done.push(std::mem::replace(&mut open, next).close());
                    labels = (String::new(), String::new());
                }
                match (&mut open.target.project, rec.project) {
                    (None, Some(name)) => open.target.project = Some(name),
                    // A name cut by the page break goes on at the top of the next page.
                    (Some(name), Some(more)) if continued && *name != more => {
                        name.push_str(&more);
                    }
                    _ => {}
                }
                if open.target.money.is_empty() {
                    open.target.money = rec.money;
                }
                if open.target.responsible.is_none() {
                    open.target.responsible = rec.responsible;
                }
                open.goals.extend(rec.goals);
            }
        }
        let first_on_page = std::mem::take(&mut after_header);
        let Some(read) = indicator(map, &texts, row) else { continue };
        // The top of a page printing only the end of a cell of the indicator the page before
        // ended with (`位的现场核`), or that end running below the grid: its text goes on there.
        let tail = read.value.is_empty() && read.level1.is_empty() && read.level2.is_empty();
        if (first_on_page || row.off_grid)
            && tail
            && partial.is_none()
            && let Some(last) = open.target.indicators.last_mut()
        {
            join(last, read);
            continue;
        }
        let complete = !read.level3.is_empty() && !read.value.is_empty();
        let label_only = [&read.level3, &read.description, &read.value, &read.basis].iter().all(|t| t.is_empty());
        if complete || label_only {
            open.target.indicators.extend(partial.take().map(|p| headed(p, &labels)));
        }
        if label_only {
            if !read.level1.is_empty() {
                labels = (read.level1, String::new());
            }
            if !read.level2.is_empty() {
                labels.1 = read.level2;
            }
        } else if complete {
            open.target.indicators.push(headed(read, &labels));
        } else {
            match partial.as_mut() {
                Some(p) => join(p, read),
                None if !read.level3.is_empty() => partial = Some(read),
                None => {} // a stray value or basis with no indicator to belong to
            }
        }
    }
    open.target.indicators.extend(partial.take().map(|p| headed(p, &labels)));
    if !open.is_empty() || done.is_empty() {
        done.push(open.close());
    }
    done
}

/// A row before the indicators: label cells (项目名称, 主管部门, 绩效目标, a money label) each
/// followed by its text, and lines of goals text.
fn fields(texts: &[(usize, String)], open: &mut Open, page: Option<u32>) {
    if texts.iter().all(|(_, t)| t.trim().is_empty()) {
        return;
    }
    let f = &VOCABULARY.fields;
    let is = |key: &str, words: &[String]| words.iter().any(|w| key.starts_with(w.as_str()));
    let mut labelled = false;
    let mut i = 0;
    while i < texts.len() {
        let label = &texts[i].1;
        let key = label_key(label);
        // The cells up to the next label are this label's text.
        let mut j = i + 1;
        while j < texts.len() && !is_label(&texts[j].1) {
            j += 1;
        }
        let rest = texts[i + 1..j].iter().map(|(_, t)| t.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>();
        let text = rest.join(" ");
        if is(&key, &f.project) {
            labelled = true;
            if open.target.project.is_none() && !text.is_empty() {
                open.target.project = Some(text);
            }
        } else if is(&key, &f.responsible) {
            labelled = true;
            if open.target.responsible.is_none() && !text.is_empty() {
                open.target.responsible = Some(text);
            }
        } else if is(&key, &f.goals) {
            labelled = true;
            // `绩效目标 | 1. …` or the label after the text, as OCR may read it.
            open.goals.push(if text.is_empty() { label.clone() } else { text });
        } else if let Some(label) = money_label(label) {
            labelled = true;
            if let Some(value) = rest.first().and_then(|t| money(t)) {
                open.target.money.push(TargetMoney { label, value });
            }
        }
        i = j;
    }
    if !labelled && (!open.goals.is_empty() || texts.len() == 1) && page.is_some() {
        // The goals go on (`2. …`), or a line of text before any label.
        open.goals.push(texts.iter().map(|(_, t)| t.trim()).collect::<Vec<_>>().join(" "));
    }
}

/// True for the label of a total row (合计, 总计).
fn is_total(text: &str) -> bool {
    matches!(label_key(text).as_str(), "合计" | "总计")
}

/// True for a row of header words only (money labels, field names, `其中：`).
fn is_header_words(texts: &[(usize, String)]) -> bool {
    let mut words = texts.iter().map(|(_, t)| t.trim()).filter(|t| !t.is_empty()).peekable();
    words.peek().is_some()
        && words.all(|t| {
            if header::is_long(t) {
                return false;
            }
            let key = label_key(t);
            key == "其中:" || money_label(t).is_some() || !header::fields_named(t).is_empty()
        })
}

/// True for a cell that labels the text after it.
fn is_label(text: &str) -> bool {
    let key = label_key(text);
    let f = &VOCABULARY.fields;
    [&f.project, &f.responsible, &f.goals].iter().any(|words| words.iter().any(|w| key.starts_with(w.as_str())))
        || money_label(text).is_some()
}

/// An indicator given the 一级/二级指标 printed over it where its own cells are blank.
fn headed(mut indicator: Indicator, labels: &(String, String)) -> Indicator {
    if indicator.level1.is_empty() && !labels.0.is_empty() {
        indicator.level1.clone_from(&labels.0);
        indicator.level1_inferred = true;
    }
    if indicator.level2.is_empty() {
        indicator.level2.clone_from(&labels.1);
    }
    indicator
}

/// The next line of an indicator whose cells wrapped: each text goes after its field's.
fn join(into: &mut Indicator, next: Indicator) {
    for (field, more) in [
        (&mut into.level1, next.level1),
        (&mut into.level2, next.level2),
        (&mut into.level3, next.level3),
        (&mut into.description, next.description),
        (&mut into.basis, next.basis),
    ] {
        field.push_str(&more);
    }
    if !next.value.is_empty() {
        into.value.push_str(&next.value);
        into.parsed = parse_value(&into.value);
    }
}

/// The fields of one indicator line (`None` for a line with nothing under the columns).
fn indicator(map: &Map, texts: &[(usize, String)], row: &OtherRow) -> Option<Indicator> {
    let get = |field: Field| -> String {
        map.fields
            .iter()
            .find(|(_, f)| *f == field)
            .and_then(|(p, _)| texts.iter().find(|(q, _)| q == p))
            .map(|(_, t)| t.trim().to_string())
            .unwrap_or_default()
    };
    let filled = map
        .fields
        .iter()
        .filter(|(_, f)| !matches!(f, Field::Project | Field::Goals))
        .filter(|(p, _)| texts.iter().any(|(q, t)| q == p && !t.trim().is_empty()))
        .count();
    let (level3, value) = (get(Field::Level3), get(Field::Value));
    if filled == 0 {
        return None;
    }
    let optional = |field: Field| Some(get(field)).filter(|s| !s.is_empty());
    // 一级/二级指标 are the framework's words: a cell without one ideograph is OCR noise
    // (`,шти`), and the level is inferred as for a merged cell.
    let words = |field: Field| Some(get(field)).filter(|s| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    Some(Indicator {
        level1: words(Field::Level1).unwrap_or_default(),
        level1_inferred: false,
        level2: words(Field::Level2).unwrap_or_default(),
        level3,
        description: get(Field::Description),
        parsed: parse_value(&value),
        value,
        basis: get(Field::Basis),
        direction: optional(Field::Direction),
        unit: optional(Field::Unit),
        score: optional(Field::Score),
        page: row.page,
        line: row.line,
    })
}

/// Gives each indicator its 二级 and 一级指标 where a merged cell printed them once: the 二级
/// from the row above; the 一级 the framework's parent of the 二级 where the table prints that
/// parent, else the nearest printed above (or below, for the rows over a centred label).
fn fill_levels(indicators: &mut [Indicator]) {
    for i in 1..indicators.len() {
        if indicators[i].level2.is_empty() {
            indicators[i].level2 = indicators[i - 1].level2.clone();
        }
    }
    let printed: Vec<Option<String>> =
        indicators.iter().map(|x| Some(x.level1.clone()).filter(|l| !l.is_empty())).collect();
    for i in 0..indicators.len() {
        if printed[i].is_some() {
            continue;
        }
        let parent = VOCABULARY
            .level1_of
            .get(&label_key(&indicators[i].level2))
            .filter(|p| printed.iter().flatten().any(|l| label_key(l) == **p))
            .cloned();
        let above = printed[..i].iter().rev().flatten().next().cloned();
        let below = printed[i..].iter().flatten().next().cloned();
        // Rows over a centred label belong to it when the framework says so.
        let guess = parent.or_else(|| {
            below.clone().filter(|b| VOCABULARY.level1_of.get(&label_key(&indicators[i].level2)) == Some(b))
        });
        if let Some(level1) = guess.or(above).or(below) {
            indicators[i].level1 = level1;
            indicators[i].level1_inferred = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u32, cells: &[(u32, &str)]) -> OtherRow {
        let cells = cells
            .iter()
            .map(|&(column, text)| crate::model::OtherCell { column, text: text.to_string(), value: None })
            .collect();
        OtherRow { page: 1, line, cells, continues_row: false, off_grid: false }
    }

    #[test]
    fn wrapped_indicators_are_put_together_under_the_labels_over_them() {
        let table = OtherTable {
            table_index: 0,
            title: "项目支出绩效目标表".into(),
            page: 1,
            columns: vec![String::new(); 5],
            rows: vec![
                row(1, &[(1, "一级指标"), (2, "二级指标"), (3, "三级指标"), (4, "指标值")]),
                row(2, &[(0, "绩效指标"), (1, "产出指标"), (2, "数量指标")]),
                row(3, &[(3, "城区建筑节能采集")]),
                row(4, &[(4, "≥158栋楼")]),
                row(5, &[(3, "样本数量")]),
                row(6, &[(3, "完工及时率"), (4, "=100%")]),
            ],
        };
        let target = read(&table).remove(0);
        let got: Vec<(&str, &str, &str, &str)> = target
            .indicators
            .iter()
            .map(|i| (i.level1.as_str(), i.level2.as_str(), i.level3.as_str(), i.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("产出指标", "数量指标", "城区建筑节能采集样本数量", "≥158栋楼"),
                ("产出指标", "数量指标", "完工及时率", "=100%")
            ]
        );
    }
}
