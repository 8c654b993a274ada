//! OCR'd row names keyed by the template name they hold (`label-vocabulary`): a label whose
//! list number or edge OCR garbled (`1把一般公共预算拨款收入`, `Y一、社会保障和就业支出`,
//! `人金融支出`) or whose first character it lost (`般公共服务支出`) is keyed by the one name of
//! the table's vocabulary (`data/vocabulary/items.toml`, the function classes) it holds with
//! at most [`MAX_EXTRA`] characters more, or lacks only its first character of, so its
//! figures join the identities and the warehouse's items. The printed label is kept; never on a
//! text layer, a row with a code, a name the vocabulary knows, or where another row of the
//! table already has that key.
//!
//! Column names likewise (`header-vocabulary`): a figure column of its own whose OCR'd name
//! no vocabulary knows and that is the end of one measure name of the table, lacking its
//! first one or two characters (`公共预算` of 一般公共预算: the start of a header cell faded
//! or cut by a ruling), is keyed by that name. What no rule names is reported
//! (`unknown_name`), never keyed by a garbled name in silence.

use crate::knowledge::vocabulary::{ITEMS, MEASURES};
use crate::model::{
    ColumnRole, Finding, FindingKind, Kind, Location, Place, Repair, Row, Severity, Source, Table, TextSource,
};

/// Characters of OCR debris a garbled name may hold besides the name.
const MAX_EXTRA: usize = 3;

/// Shortest name matched: shorter ones (`合计`) are held by too many labels.
const MIN_NAME: usize = 4;

/// Keys OCR'd rows by the vocabulary name they hold, with a repair record each.
pub fn key(tables: &mut [Table], kind: Option<Kind>, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs; // no page read by OCR
    }
    for table in tables.iter_mut() {
        let names: Vec<&str> =
            ITEMS.names(kind, &table.id).into_iter().filter(|n| n.chars().count() >= MIN_NAME).collect();
        if names.is_empty() {
            continue;
        }
        for r in 0..table.rows.len() {
            let row = &table.rows[r];
            if row.code.is_some()
                || source.page_source(row.page) == TextSource::TextLayer
                || names.contains(&row.key.as_str())
            {
                continue;
            }
            let after = after_ordinal(&row.key);
            let named_after =
                after.as_deref().and_then(|k| names.iter().find(|n| **n == k).copied().or_else(|| held(k, &names)));
            let Some(name) = held(&row.key, &names).or(named_after) else { continue };
            let taken = table.rows.iter().any(|o| o.key == name && o.side == row.side && o.under == row.under);
            if taken {
                continue;
            }
            // The names are keys already (label_key'd).
            repairs.push(rekey(table, r, name.to_string(), "label-vocabulary"));
        }
    }
    repairs
}

/// A row whose name may be OCR's garbling of another's (a unit's, a class's): no code, a
/// figure, a name no vocabulary knows, not a total.
pub(super) fn garbled(row: &Row) -> bool {
    row.code.is_none()
        && !row.key.is_empty()
        && !crate::repair::printed::TOTALS.iter().any(|t| row.key.ends_with(t))
        && !ITEMS.knows(&row.key)
        && row.cells.iter().any(|c| c.value.is_some())
}

/// Keys row `r` of `table` by `key` (a name or code a recovery rule read it as), and
/// returns the repair record under `rule`.
pub(super) fn rekey(table: &mut Table, r: usize, key: String, rule: &str) -> Repair {
    let raw = std::mem::replace(&mut table.rows[r].key, key.clone());
    Repair { location: Location::in_row(&table.id, &table.rows[r], None), rule: rule.to_string(), raw, repaired: key }
}

/// Shortest name an OCR'd label one ideograph off is taken for: in a shorter one, one
/// ideograph tells names apart (收入合计, 支出合计).
const MIN_MISREAD: usize = 6;

/// Shortest row name matched against the other tables' rows: a shorter one is one
/// character off too many others.
const MIN_ELSEWHERE: usize = 5;

/// Keys OCR'd rows without a code whose name is one character off the name of a row of
/// another table of the document, and of no row there itself (`科技成果转化与扩贡` where the
/// summary, the fiscal summary and the 一般公共预算支出表 print 科技成果转化与扩散), by that name,
/// with a repair record each (`label-elsewhere`). The tables print one classification, so a
/// name no other table prints, one character off one that two or more do, is that one
/// misread.
pub fn elsewhere(tables: &mut [Table], source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    // How many tables print each name (a name two tables print is no misread of one that
    // a single other table prints: which of the two is, nothing tells).
    let mut printed_in: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for table in tables.iter() {
        let keys: std::collections::BTreeSet<&String> =
            table.rows.iter().filter(|r| r.code.is_none()).map(|r| &r.key).collect();
        keys.into_iter().for_each(|k| *printed_in.entry(k.clone()).or_default() += 1);
    }
    // The names a misread one may be: printed by two tables or more (so by one other than
    // any row's own).
    let common: Vec<&String> =
        printed_in.iter().filter(|(k, n)| **n >= 2 && k.chars().count() >= MIN_ELSEWHERE).map(|(k, _)| k).collect();
    for table in tables.iter_mut() {
        for r in 0..table.rows.len() {
            let row = &table.rows[r];
            let length = row.key.chars().count();
            if row.code.is_some()
                || length < MIN_ELSEWHERE
                || source.page_source(row.page) == TextSource::TextLayer
                || printed_in.get(&row.key).copied().unwrap_or(0) > 1
                || ITEMS.knows(&row.key)
            {
                continue;
            }
            let near: Vec<&&String> = common
                .iter()
                .filter(|k| k.chars().count() == length && crate::label::within_one_edit(k, &row.key))
                .collect();
            let [&name] = near[..] else { continue };
            if table.rows.iter().any(|o| &o.key == name && o.side == row.side && o.under == row.under) {
                continue;
            }
            repairs.push(rekey(table, r, name.clone(), "label-elsewhere"));
        }
    }
    repairs
}

/// Longest start a column name may have lost, in characters, and the shortest name that
/// may have lost it (a shorter tail is held by too many names).
const MAX_LOST: usize = 2;
const MIN_COLUMN_NAME: usize = 6;

/// Shortest measure name an OCR'd column name one character off is taken for (a shorter
/// one is one character off too many).
const MIN_NEAR: usize = 4;

/// Keys OCR'd figure columns of their own that no vocabulary knows by the name OCR garbled,
/// with a repair record each (at the table's first row, the column's figures being the
/// cells), the first that holds of:
/// - `header-vocabulary`: the end of one measure name of the table, lacking its first one or
///   two characters (`公共预算` of 一般公共预算: the start of a header cell faded or cut by a
///   ruling), the start of the names of one measure lacking their last one or two (`上年结`
///   of 上年结转: the end cut by OCR), or one character off one measure name of four
///   characters or more (`页人员经费`, `国有资本经营矣算`);
/// - `header-elsewhere`: one character off a name two figure columns or more of the document
///   print and printed nowhere else itself (`久制预算` on the 支出 side where the 收入 side and
///   the summary print 编制预算);
/// - `header-series`: beside a sibling of a series (`data/vocabulary/measures.toml`: the fund
///   types in their order) read whole, ending as the name the series puts there ends
///   (`需和扫吉收入` left of 政府性基金预算拨款收入 is 一般公共预算拨款收入) or starting as it starts
///   (two characters: `国有--一党` right of it); or, a name the measures know, that name with
///   its end lost (`国有资本经营预算拨款` right of it; any end, where a rule above gave it to a
///   garbled name: `政府性基金人` → 政府性基金);
/// - `header-template`: the one figure column of a one-sided table no name is known of, where
///   the table prints every column of its template but one (`RE` beside 经营支出 and
///   上缴上级支出 in a 支出总表 that lacks only 对附属单位补助支出);
/// - `header-start`: the start a garbled name shares with the names of one figure column of
///   the table's templates it does not print, placed between the column's known neighbours
///   (`其他` → 其他收入, `事业用和` → 事业收入);
/// - `header-subtotal`: a 小计 whose group name OCR lost, right before the addends of a
///   columns identity of the table (`data/identities/`) whose total the table lacks
///   (`小计 | 人员经费 | 公用经费` → 基本支出);
/// - `header-twin`: in a table printing its columns twice (小计 | 人员经费 | 公用经费 | 项目支出
///   under 当年预算 and again under 上年结转结余), the one measure name a twin column prints
///   that the garbled name holds half the characters of, two at least (`入员生费` → 人员经费).
pub fn columns(tables: &mut [Table], kind: Option<Kind>, source: &Source) -> Vec<Repair> {
    let mut repairs = Vec::new();
    if source.text_source == TextSource::TextLayer {
        return repairs;
    }
    let mut printed_in: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for column in tables.iter().flat_map(|t| &t.columns).filter(|c| c.role == ColumnRole::Value) {
        *printed_in.entry(column.key.clone()).or_default() += 1;
    }
    for table in tables.iter_mut() {
        if table.pages.iter().all(|&p| source.page_source(p) == TextSource::TextLayer) {
            continue;
        }
        let names = MEASURES.names(kind, &table.id);
        // Twins last: a twin's name may be one the first pass mended (`页人员经费`).
        let width = table.columns.len();
        for (twins, c) in [false, true].into_iter().flat_map(|t| (0..width).map(move |c| (t, c))) {
            let column = &table.columns[c];
            let known = MEASURES.lookup(kind, &table.id, &column.key).is_some();
            if column.role != ColumnRole::Value || (!known && ITEMS.knows(&column.key)) || (twins && known) {
                continue;
            }
            let found = if twins {
                twin_name(table, c, kind).map(|n| (n, "header-twin"))
            } else if column.key == "小计" {
                subtotal_of(table, c, kind).map(|n| (n, "header-subtotal"))
            } else if known {
                series_whole(table, c, &column.key, kind, false).map(|n| (n, "header-series"))
            } else {
                lost_start(&column.key, &names)
                    .or_else(|| lost_end(&column.key, &names, |n| MEASURES.lookup(kind, &table.id, n)))
                    .or_else(|| near_name(&column.key, &names))
                    .map(|n| (n.to_string(), "header-vocabulary"))
                    .or_else(|| elsewhere_name(&column.key, &printed_in).map(|n| (n, "header-elsewhere")))
                    .or_else(|| series_name(table, c, kind).map(|n| (n, "header-series")))
                    .or_else(|| template_left(table, c, kind).map(|n| (n, "header-template")))
                    .or_else(|| shared_start(table, c, kind).map(|n| (n, "header-start")))
            };
            let Some((name, rule)) = found else { continue };
            // A name the series prints whole where the vocabulary's is it with its end lost.
            let name = series_whole(table, c, &name, kind, !known).unwrap_or(name);
            let twin = rule == "header-twin";
            if table.rows.is_empty() || (!twin && table.columns.iter().any(|o| o.key == name && o.side == column.side))
            {
                continue;
            }
            // Only this column's cells: another column may be keyed as this one was (`小计`
            // printed twice), and its cells stay its own (where a row's cell could be either's,
            // it stays as keyed).
            let placed: Vec<Vec<Option<usize>>> =
                table.rows.iter().map(|r| super::by_totals::placed(&table.columns, r)).collect();
            let raw = std::mem::replace(&mut table.columns[c].key, name.clone());
            table.columns[c].label.clone_from(&name);
            for (row, at) in table.rows.iter_mut().zip(&placed) {
                for (cell, _) in row.cells.iter_mut().zip(at).filter(|(_, at)| **at == Some(c)) {
                    cell.column.clone_from(&name);
                }
            }
            repairs.push(Repair {
                location: Location::in_row(&table.id, &table.rows[0], Some(&name)),
                rule: rule.to_string(),
                raw,
                repaired: name,
            });
        }
        apart_by_headings(table);
    }
    repairs
}

/// A name a rule above gave a column that another column of its side already has (a twin
/// mended in the first block, `入员生费` → 人员经费, the second block's read whole): the later
/// one, printed under a heading, is keyed by it (`上年结转结余/人员经费`), as `repair` keys a
/// name printed twice.
fn apart_by_headings(table: &mut Table) {
    for again in 0..table.columns.len() {
        let column = &table.columns[again];
        let same = |o: &crate::model::Column| {
            o.role == ColumnRole::Value && o.side == column.side && o.block == column.block && o.key == column.key
        };
        if column.role != ColumnRole::Value || column.path.is_empty() || !table.columns[..again].iter().any(same) {
            continue;
        }
        let raw = column.key.clone();
        let key = format!("{}/{}", column.path.join("/"), raw);
        table.columns[again].key.clone_from(&key);
        // The later cell of the name in each row is this column's.
        let first = table.columns[..again].iter().filter(|o| o.key == raw).count();
        for row in &mut table.rows {
            if let Some(cell) = row.cells.iter_mut().filter(|c| c.column == raw).nth(first) {
                cell.column.clone_from(&key);
            }
        }
    }
}

/// In a table naming function classes, one row in this many at most may be unknown for
/// its unknown rows to be taken for garbled names.
const MOSTLY_KNOWN: usize = 5;

/// A warning for each figure column, and each row of figures of a table whose rows are items
/// (its names scoped to it: the 三公 items, the summaries' where nearly all their rows are
/// known; not a unit's row), on an OCR'd page whose name no
/// template, vocabulary or code list knows once the rules above have run (`入员生费`,
/// `公务拉竺要`): its facts are keyed by the name as read. So is a row of any table, uncoded,
/// whose name holds a figure (`12,418.84`, `其他收入资41,130.`: a line's figure read among its
/// words, its other figures maybe a column off), and a row printed with no code among rows
/// keyed by their codes ([`uncoded_among_codes`]: OCR lost the code, the row is keyed by its
/// name). A text layer prints its names; a coded row is keyed by its code.
pub fn unknown(tables: &[Table], kind: Option<Kind>, source: &Source) -> Vec<Finding> {
    let mut findings = Vec::new();
    let known = |key: &str| key.is_empty() || crate::knowledge::vocabulary::is_known(key);
    // (A column keyed by the headings over it, `上年结转结余/小计`, is known by its leaf.)
    let known_column = |key: &str| known(key.rsplit('/').next().unwrap_or(key));
    for table in tables {
        let ocr = |page: u32| source.page_source(page) != TextSource::TextLayer;
        let Some(&first) = table.pages.iter().find(|&&p| ocr(p)) else { continue };
        if table.rows.is_empty() {
            continue;
        }
        let on_column = |column: &crate::model::Column, message: String| {
            let place = Place {
                table: Some(table.id.clone()),
                column: Some(column.key.clone()),
                page: Some(first),
                ..Place::default()
            };
            Finding::located(Severity::Warning, FindingKind::UnknownName, place, message)
        };
        for column in table.columns.iter().filter(|c| c.role == ColumnRole::Value && !known_column(&c.key)) {
            findings.push(on_column(column, format!("{}: column {:?} is no name the templates or vocabularies know (OCR garbled it): its figures are keyed by it as read", table.id, column.label)));
        }
        // A column keyed by a name it was not printed under: a piece of a name no vocabulary
        // knows (`算`, two characters at most, none of them its key's), the key the template's
        // at its place — a guess at which of its columns it is.
        let guessed = |c: &&crate::model::Column| {
            let printed = crate::label::label_key(&c.label);
            let leaf = c.key.rsplit('/').next().unwrap_or(&c.key);
            (1..=2).contains(&printed.chars().count())
                && !known(&printed)
                && known_column(&c.key)
                && !printed.chars().any(|ch| leaf.contains(ch))
        };
        for column in table.columns.iter().filter(|c| c.role == ColumnRole::Value).filter(guessed) {
            findings.push(on_column(column, format!("{}: column {:?} (a piece of a name OCR garbled) is keyed {} by its place among the template's columns, not by a name printed over it", table.id, column.label, column.key)));
        }
        // A row whose name holds a figure (`12,418.84`, `其他收入资41,130.`): OCR set a figure
        // of the line among its words, so its figures may be a column off; in any table.
        // (A coded row's name too: `工资福利支出911.21`, its first figure read into its name.)
        let figured = |r: &Row| ocr(r.page) && holds_figure(&crate::label::label_key(&r.label));
        for row in table.rows.iter().filter(|r| figured(r) && r.cells.iter().any(|c| c.value.is_some())) {
            findings.push(Finding::located(
                Severity::Warning,
                FindingKind::UnknownName,
                Place::row(&table.id, row),
                format!("{} line {}: row {:?} is named by a figure (OCR set a figure of the line among its words): its figures may be a column off", table.id, row.line, row.label),
            ));
        }
        // A row printed with no code among rows keyed by their codes: OCR lost its code or
        // set it on another line, so its figures (right, as often as not) are keyed by its
        // name, a key the text layer's conversion gives no row.
        let code_lengths: Vec<usize> = table.rows.iter().filter_map(|r| r.code.as_ref().map(String::len)).collect();
        for row in table.rows.iter().filter(|r| !figured(r) && ocr(r.page) && uncoded_among_codes(&code_lengths, r)) {
            findings.push(Finding::located(
                Severity::Warning,
                FindingKind::UnknownName,
                Place::row(&table.id, row),
                format!("{} line {}: row {:?} has no code where the table's rows have theirs (OCR lost it or set it on another line): its figures are keyed by its name", table.id, row.line, row.label),
            ));
        }
        // A row of figures with neither name nor code, in any table: OCR lost its name or
        // set it on another line (or read it as a figure), so its figures are keyed by no row.
        let nameless =
            |r: &Row| r.key.is_empty() && r.code.is_none() && ocr(r.page) && r.cells.iter().any(|c| c.value.is_some());
        for row in table.rows.iter().filter(|r| nameless(r) && !uncoded_among_codes(&code_lengths, r)) {
            findings.push(Finding::located(
                Severity::Warning,
                FindingKind::UnknownName,
                Place::row(&table.id, row),
                format!("{} line {}: a row of figures with neither name nor code (OCR lost them, set them on another line or read them as a figure): its figures are keyed by no row", table.id, row.line),
            ));
        }
        if !ITEMS.scopes(&table.id) {
            continue;
        }
        // Rows of figures (not a note's line); a unit's row (三公 by unit) is its name's.
        let rows: Vec<&Row> = table
            .rows
            .iter()
            .filter(|r| {
                r.code.is_none()
                    && ocr(r.page)
                    && r.cells.iter().any(|c| c.value.is_some())
                    && !crate::label::is_unit_label(&r.label)
            })
            .collect();
        let unknown_rows: Vec<&Row> = rows
            .iter()
            .copied()
            .filter(|r| !known(&r.key) && ITEMS.lookup(kind, &table.id, &r.key).is_none() && !figured(r))
            .collect();
        // A table naming function classes may name subjects of every level (款, 项: names
        // no vocabulary lists); only where nearly all its rows are names gongkai knows is one
        // it does not a garbled name.
        let names_subjects = ITEMS.classes_in.iter().any(|t| t == &table.id);
        if names_subjects && unknown_rows.len() * MOSTLY_KNOWN > rows.len() {
            continue;
        }
        for row in unknown_rows {
            findings.push(Finding::located(
                Severity::Warning,
                FindingKind::UnknownName,
                Place::row(&table.id, row),
                format!("{} line {}: row {:?} is no item the templates or vocabularies know (OCR garbled it): its figures are keyed by it as read", table.id, row.line, row.label),
            ));
        }
    }
    findings
}

/// True for a row with figures and no code in a table two rows of which or more have codes
/// (`code_lengths`: the length of each row's code), that is not a total (`合计`, `…总计`), a
/// unit's row, or a subject of a level the table prints by name only (杭州's 支出总表 names its
/// 类 rows: a class or economic subject whose code's length no row of the table has).
fn uncoded_among_codes(code_lengths: &[usize], row: &Row) -> bool {
    if row.code.is_some() || code_lengths.len() < 2 || row.cells.iter().all(|c| c.value.is_none()) {
        return false;
    }
    let key = crate::label::label_key(&row.key);
    let total = key.ends_with("合计") || key.ends_with("总计");
    let class = crate::knowledge::identities::catalogue::class_code(&key).map(str::len).or_else(|| {
        let economic = crate::knowledge::subjects::ECONOMIC.iter().find(|s| s.names.contains(&key));
        economic.map(|s| s.code.len())
    });
    let by_name_only = class.is_some_and(|length| !code_lengths.contains(&length));
    !total && !by_name_only && !crate::label::is_unit_label(&row.label)
}

/// True where a row name holds a figure: digits with a decimal point (`12,418.84`,
/// `资41,130.`, `行政单位医疗32.65`), never a name's list number (`1.一般…`).
fn holds_figure(key: &str) -> bool {
    let chars: Vec<char> = key.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let digits_before = chars[..i].iter().rev().take_while(|d| d.is_ascii_digit() || **d == ',').count();
        c == '.' && digits_before >= 2 && chars[..i].iter().rev().take(digits_before).any(char::is_ascii_digit)
    })
}

/// Shortest start of a name a column's name may be, with its end lost (`上年结` of 上年结转).
const MIN_START: usize = 3;

/// The shortest name of one measure that `key` ([`MIN_START`] characters or more) is the
/// start of, lacking at most [`MAX_LOST`] characters; `None` where the names it may be
/// start two measures.
fn lost_end<'a>(
    key: &str,
    names: &std::collections::BTreeSet<&'a str>,
    measure: impl Fn(&str) -> Option<&'static str>,
) -> Option<&'a str> {
    let length = key.chars().count();
    if length < MIN_START {
        return None;
    }
    let fitting: Vec<&str> = names
        .iter()
        .filter(|n| n.chars().count() > length && n.chars().count() - length <= MAX_LOST && n.starts_with(key))
        .copied()
        .collect();
    let first = measure(fitting.first()?)?;
    fitting.iter().all(|n| measure(n) == Some(first)).then(|| fitting.into_iter().min_by_key(|n| n.chars().count()))?
}

/// The one measure name of [`MIN_NEAR`] characters or more `key` is one character off.
fn near_name<'a>(key: &str, names: &std::collections::BTreeSet<&'a str>) -> Option<&'a str> {
    the_one(names.iter().filter(|n| n.chars().count() >= MIN_NEAR && crate::label::within_one_edit(n, key))).copied()
}

/// The one name of [`MIN_NEAR`] characters or more that two figure columns of the document
/// print or more and `key`, printed once, is one character off.
fn elsewhere_name(key: &str, printed_in: &std::collections::BTreeMap<String, usize>) -> Option<String> {
    if printed_in.get(key).copied().unwrap_or(0) > 1 {
        return None;
    }
    the_one(printed_in.iter().filter(|(name, n)| {
        **n >= 2 && name.as_str() != key && name.chars().count() >= MIN_NEAR && crate::label::within_one_edit(name, key)
    }))
    .map(|(one, _)| one.clone())
}

/// How many characters `a` and `b` begin with alike.
fn common_start(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// The name a series puts at column `c` of `table`, by a sibling beside it on its side read
/// whole (`政府性基金预算` + `拨款收入`): the series' start before or after the sibling's with
/// the sibling's rest, a name the measures know, that the column's garbled name ends as (two
/// characters at least) or starts as ([`MIN_SHARED`]: `国有--一党` beside 政府性基金预算拨款收入).
fn series_name(table: &Table, c: usize, kind: Option<Kind>) -> Option<String> {
    let key = &table.columns[c].key;
    let ends_as = |name: &String| name.chars().rev().zip(key.chars().rev()).take_while(|(a, b)| a == b).count() >= 2;
    let starts_as = |name: &String| common_start(name, key) >= MIN_SHARED;
    let mut found = series_names(table, c, kind).into_iter().filter(|n| ends_as(n) || starts_as(n));
    let first = found.next()?;
    found.all(|other| other == first).then_some(first)
}

/// The series' name at column `c`, whose known name `key` (`国有资本经营预算拨款`) is that name
/// with its end lost ([`MAX_LOST`] characters at most; `收入` beside 政府性基金预算拨款收入), the
/// same measure: the column as the table prints it. A name a rule gave a garbled column
/// (`政府性基金人` → 政府性基金) may have lost more (`garbled`: a header cell's lower lines); one
/// read whole is printed so where it lacks more (`政府性基金预算` beside 一般公共预算财政拨款).
fn series_whole(table: &Table, c: usize, key: &str, kind: Option<Kind>, garbled: bool) -> Option<String> {
    let measure = MEASURES.lookup(kind, &table.id, key)?;
    let mut found = series_names(table, c, kind).into_iter().filter(|n| {
        n.len() > key.len()
            && n.starts_with(key)
            && (garbled || n.chars().count() - key.chars().count() <= MAX_LOST)
            && MEASURES.lookup(kind, &table.id, n) == Some(measure)
    });
    let first = found.next()?;
    found.all(|other| other == first).then_some(first)
}

/// The names a series puts at column `c` of `table` that the measures know, by each
/// sibling beside it on its side (`政府性基金预算` + `拨款收入`): the series' start before or
/// after the sibling's with the sibling's rest.
fn series_names(table: &Table, c: usize, kind: Option<Kind>) -> Vec<String> {
    let column = &table.columns[c];
    let neighbours = [(c + 1, true), (c.wrapping_sub(1), false)];
    neighbours
        .iter()
        .filter_map(|&(n, right)| {
            let sibling = table.columns.get(n).filter(|s| s.side == column.side && s.role == ColumnRole::Value)?;
            MEASURES.series.iter().find_map(|series| {
                let i = series.starts.iter().position(|s| sibling.key.starts_with(s.as_str()))?;
                let rest = &sibling.key[series.starts[i].len()..];
                let start = if right { series.starts.get(i.checked_sub(1)?)? } else { series.starts.get(i + 1)? };
                let name = format!("{start}{rest}");
                MEASURES.lookup(kind, &table.id, &name).is_some().then_some(name)
            })
        })
        .collect()
}

/// The template's name for column `c` of `table` where it is the table's one figure column no
/// name is known of and the table prints every figure column its templates have but one (the
/// same measure in every variant): a one-sided table, not transposed, whose other columns are
/// all the template's, so the columns are the template's own.
fn template_left(table: &Table, c: usize, kind: Option<Kind>) -> Option<String> {
    let kind = kind?;
    let variants = crate::knowledge::templates::variants(kind, &table.id);
    if variants.is_empty() || variants.iter().any(|t| t.two_sided || t.transposed) {
        return None;
    }
    let measure = |key: &str| MEASURES.lookup(Some(kind), &table.id, key).map(str::to_string);
    let values: Vec<&crate::model::Column> = table.columns.iter().filter(|o| o.role == ColumnRole::Value).collect();
    let unknown: Vec<&&crate::model::Column> =
        values.iter().filter(|o| measure(&o.key).is_none() && !ITEMS.knows(&o.key)).collect();
    if unknown.len() != 1 || unknown[0].key != table.columns[c].key {
        return None;
    }
    let printed: Vec<String> = values.iter().filter_map(|o| measure(&o.key)).collect();
    let in_template: Vec<(String, String)> = variants
        .iter()
        .flat_map(|t| t.columns.iter().filter(|o| o.role == ColumnRole::Value))
        .filter_map(|o| measure(&o.key()).map(|m| (m, o.key())))
        .collect();
    // Every other column one of the template's: the table is the template's columns, not
    // one that splits them further (人员经费 of 基本支出).
    if !printed.iter().all(|m| in_template.iter().any(|(t, _)| t == m)) {
        return None;
    }
    let mut left: Vec<(String, String)> = in_template.into_iter().filter(|(m, _)| !printed.contains(m)).collect();
    left.sort();
    left.dedup_by(|a, b| a.0 == b.0);
    (left.len() == 1).then(|| left.remove(0).1)
}

/// Shortest start a garbled column name must share with a name of the template column it
/// is taken for (`其他` of 其他收入).
const MIN_SHARED: usize = 2;

/// The template's key for column `c` of `table` by the start its garbled name shares with
/// the names of a figure column of the table's templates that the table does not print
/// (`其他` → 其他收入, `国有资本经入作` → 国有资本经营预算拨款收入, `事业用和` → 事业收入 where
/// 事业单位经营收入 is printed: OCR kept a header cell's first characters and garbled the
/// rest): the longest start shared, [`MIN_SHARED`] characters or more, with one measure's
/// names only; and a template that prints that measure between the known measures printed
/// either side of the column. A one-sided table, not transposed.
fn shared_start(table: &Table, c: usize, kind: Option<Kind>) -> Option<String> {
    let kind = kind?;
    let variants = crate::knowledge::templates::variants(kind, &table.id);
    if variants.is_empty() || variants.iter().any(|t| t.two_sided || t.transposed) {
        return None;
    }
    let measure = |key: &str| MEASURES.lookup(Some(kind), &table.id, key);
    let key = &table.columns[c].key;
    let values: Vec<&crate::model::Column> = table.columns.iter().filter(|o| o.role == ColumnRole::Value).collect();
    let printed: Vec<&str> = values.iter().filter_map(|o| measure(&o.key)).collect();
    let at = values.iter().position(|o| o.key == *key)?;
    let left = values[..at].iter().rev().find_map(|o| measure(&o.key));
    let right = values[at + 1..].iter().find_map(|o| measure(&o.key));
    let names = MEASURES.names(Some(kind), &table.id);
    let shared = |name: &str| common_start(name, key);
    // (measure, template key, start shared) of each figure column of a template, not printed,
    // placed between the known neighbours.
    let mut found: Vec<(&str, String, usize)> = Vec::new();
    for template in &variants {
        let order: Vec<Option<&str>> =
            template.columns.iter().filter(|o| o.role == ColumnRole::Value).map(|o| measure(&o.key())).collect();
        let place = |m: Option<&str>| m.map(|m| order.iter().position(|o| *o == Some(m)));
        for (i, o) in template.columns.iter().filter(|o| o.role == ColumnRole::Value).enumerate() {
            let Some(m) = order[i].filter(|m| !printed.contains(m)) else { continue };
            let between = match (place(left), place(right)) {
                (Some(None), _) | (_, Some(None)) => false,
                (l, r) => l.flatten().is_none_or(|l| l < i) && r.flatten().is_none_or(|r| i < r),
            };
            let most = names.iter().filter(|n| measure(n) == Some(m)).map(|n| shared(n)).max().unwrap_or(0);
            if between && most >= MIN_SHARED {
                found.push((m, o.key(), most));
            }
        }
    }
    let most = found.iter().map(|f| f.2).max()?;
    let mut best = found.into_iter().filter(|f| f.2 == most);
    let first = best.next()?;
    best.all(|f| f.0 == first.0).then_some(first.1)
}

/// The total of a columns identity of `table` whose addends are the columns right after
/// column `c` (a 小计), in order, where no column of the table is that total.
fn subtotal_of(table: &Table, c: usize, kind: Option<Kind>) -> Option<String> {
    use crate::knowledge::identities::catalogue::{CATALOGUES, Shape};
    let kind = kind?;
    let side = table.columns[c].side;
    let after: Vec<&str> = table.columns[c + 1..].iter().filter(|o| o.side == side).map(|o| o.key.as_str()).collect();
    let rules = CATALOGUES.iter().filter(|k| k.kind == kind).flat_map(|k| &k.rules).filter(|r| r.table == table.id);
    let totals = rules.filter_map(|r| match &r.shape {
        Shape::Columns(sum)
            if sum.side == side && after.starts_with(&sum.addends.iter().map(String::as_str).collect::<Vec<_>>()) =>
        {
            Some(sum.total.clone())
        }
        _ => None,
    });
    let mut totals: Vec<String> =
        totals.filter(|t| !table.columns.iter().any(|o| &o.key == t && o.side == side)).collect();
    totals.sort();
    totals.dedup();
    the_one(totals.into_iter())
}

/// The name a twin prints for column `c` of `table`, where the table prints its measures
/// twice (two names at least printed by two columns each): the one measure name another
/// column prints whose characters, two at least and half of them, the garbled name holds.
fn twin_name(table: &Table, c: usize, kind: Option<Kind>) -> Option<String> {
    let key = &table.columns[c].key;
    // (A column keyed by the heading it is printed under, `上年结转结余/人员经费`, is its leaf.)
    let known: Vec<&str> = table
        .columns
        .iter()
        .filter(|o| o.role == ColumnRole::Value && o.side == table.columns[c].side)
        .map(|o| o.key.rsplit('/').next().unwrap_or(&o.key))
        .filter(|k| MEASURES.lookup(kind, &table.id, k).is_some())
        .collect();
    let twice = |k: &&str| known.iter().filter(|o| *o == k).count() >= 2;
    let mut twins: Vec<&str> = known.iter().copied().filter(twice).collect();
    twins.sort_unstable();
    twins.dedup();
    if twins.len() < 2 {
        return None;
    }
    let mut names: Vec<&str> = known.clone();
    names.sort_unstable();
    names.dedup();
    let holds = |n: &&str| {
        let common = crate::label::common_chars(n, key);
        common >= 2 && common * 2 >= n.chars().count()
    };
    the_one(names.into_iter().filter(holds)).map(str::to_string)
}

/// The one name of [`MIN_COLUMN_NAME`] characters or more that ends in `key` and is at
/// most [`MAX_LOST`] characters longer.
fn lost_start<'a>(key: &str, names: &std::collections::BTreeSet<&'a str>) -> Option<&'a str> {
    let length = key.chars().count();
    let fitting = names.iter().filter(|n| {
        let n_length = n.chars().count();
        n_length >= MIN_COLUMN_NAME && n_length > length && n_length - length <= MAX_LOST && n.ends_with(key)
    });
    the_one(fitting).copied()
}

/// The only item of `items`; `None` for none or several.
fn the_one<T>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let one = items.next()?;
    items.next().is_none().then_some(one)
}

/// The one name `key` holds at its start or end with at most [`MAX_EXTRA`] characters more,
/// or is with its first character lost; the longest when several are held, none on a tie.
/// A key whose list number follows one or two characters (`其(一)因公出国(境)支出`: 其中 and
/// its colon garbled, or specks before the number): the name after the number.
fn after_ordinal(key: &str) -> Option<String> {
    (1..=2).find_map(|skip| {
        let rest: String = key.chars().skip(skip).collect();
        crate::label::has_ordinal(&rest).then(|| crate::label::label_key(&rest)).filter(|r| !r.is_empty())
    })
}

fn held<'a>(key: &str, names: &[&'a str]) -> Option<&'a str> {
    let length = key.chars().count();
    let fits = |name: &&&str| {
        let n = name.chars().count();
        let held = (key.starts_with(**name) || key.ends_with(**name)) && length - n <= MAX_EXTRA && length > n;
        // (The name is of MIN_NAME characters or more, so `出总计` is 支出总计.)
        let lost_first = n == length + 1 && name.ends_with(key);
        // One character read as a speck (`本年收入合;`): the name, all of it, as long.
        let differing: Vec<char> = key.chars().zip(name.chars()).filter(|(k, c)| k != c).map(|(k, _)| k).collect();
        let speck = n == length && matches!(differing[..], [k] if !crate::label::is_ideograph(k));
        // Or one ideograph misread in a long name (`一般公共预算搜款`): the name, not the
        // shorter one it starts with.
        let misread = n == length && n >= MIN_MISREAD && differing.len() == 1;
        // Or one character read in a long name that it does not print, or one of it lost
        // (`灾害防治及应和急管理支出`, `社会保障和就支出`).
        let one_more_or_less = n.abs_diff(length) == 1 && n >= MIN_MISREAD && crate::label::within_one_edit(name, key);
        held || lost_first || speck || misread || one_more_or_less
    };
    let mut fitting: Vec<&str> = names.iter().filter(fits).copied().collect();
    fitting.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    match fitting[..] {
        [one] => Some(one),
        [first, second, ..] if first.chars().count() > second.chars().count() => Some(first),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<&'static str> {
        let all = ITEMS.names(Some(Kind::Budget), "summary");
        all.into_iter().filter(|n| n.chars().count() >= MIN_NAME).collect()
    }

    #[test]
    fn a_garbled_list_number_or_edge_leaves_the_name() {
        let names = names();
        assert_eq!(held("1把一般公共预算拨款收入", &names), Some("一般公共预算拨款收入"));
        assert_eq!(held("Y一、社会保障和就业支出", &names), Some("社会保障和就业支出"));
        assert_eq!(held("人金融支出", &names), Some("金融支出"));
        assert_eq!(held("般公共服务支出", &names), Some("一般公共服务支出"));
        assert_eq!(held("灾害防治及应和急管理支出", &names), Some("灾害防治及应急管理支出"), "one character more");
        assert_eq!(held("社会保障和就支出", &names), Some("社会保障和就业支出"), "one character lost");
        assert_eq!(held("革虐、城乡社区支出", &names), Some("城乡社区支出"));
        assert_eq!(held("出总计", &names), Some("支出总计"));
        assert_eq!(held("了预算拨款", &names), Some("预算拨款"));
        assert_eq!(held("本年收入合;", &names), Some("本年收入合计"));
        assert_eq!(held("本年收入合针", &names), Some("本年收入合计"), "one ideograph misread in a long name");
        let names = ITEMS.names(Some(Kind::Budget), "fiscal_summary");
        let names: Vec<&str> = names.into_iter().filter(|n| n.chars().count() >= MIN_NAME).collect();
        assert_eq!(held("一般公共预算搜款", &names), Some("一般公共预算拨款"), "one ideograph misread");
    }

    #[test]
    fn a_name_after_a_list_number_that_follows_a_garbled_of_which_is_the_name() {
        // 广州 2026 at 300 dpi: `其中:(一)因公出国(境)支出`, 中 and the colon lost.
        assert_eq!(after_ordinal("其(一)因公出国(境)支出").as_deref(), Some("因公出国(境)支出"));
        assert_eq!(after_ordinal("、,3、公务接待费").as_deref(), Some("公务接待费"));
        assert_eq!(after_ordinal("公务接待费"), None);
        assert_eq!(after_ordinal("(一)因公出国(境)支出"), None, "its own number: label_key's");
    }

    fn table(id: &str, keys: &[&str]) -> Table {
        crate::testing::table(id, keys, |_| Vec::new())
    }

    fn ocr() -> Source {
        crate::testing::source(TextSource::Ocr)
    }

    #[test]
    fn a_name_one_character_off_what_other_tables_print_is_theirs() {
        let mut tables = vec![
            table("summary", &["科技成果转化与扩散"]),
            table("expense", &["科技成果转化与扩贡"]),
            table("gpb_expense", &["科技成果转化与扩散"]),
        ];
        let repairs = elsewhere(&mut tables, &ocr());
        assert_eq!(tables[1].rows[0].key, "科技成果转化与扩散");
        assert_eq!((repairs[0].raw.as_str(), repairs[0].rule.as_str()), ("科技成果转化与扩贡", "label-elsewhere"));
        // Printed once on each side, nothing tells which is the misread.
        let mut tables = vec![table("summary", &["科技成果转化与扩散"]), table("expense", &["科技成果转化与扩贡"])];
        assert!(elsewhere(&mut tables, &ocr()).is_empty());
    }

    #[test]
    fn a_row_name_holding_a_figure_is_told() {
        for named in ["12,418.84", "其他收入资41,130.", "行政单位医疗32.65", "交903.85"] {
            assert!(holds_figure(named), "{named}");
        }
        for name in ["1.一般公共预算拨款收入", "因公出国(境)费", "2014001", "收入总计"] {
            assert!(!holds_figure(name), "{name}");
        }
    }

    #[test]
    fn a_column_name_that_lost_its_start_is_the_measure_it_ends() {
        let names = MEASURES.names(Some(Kind::Budget), "three_public");
        assert_eq!(lost_start("公共预算", &names), Some("一般公共预算"));
        assert_eq!(lost_start("预算", &names), None, "a tail too short to tell");
        assert_eq!(lost_start("基金预算", &names), None, "政府性基金预算 lost three");
    }

    fn with_columns(id: &str, keys: &[&str]) -> Table {
        let mut table = table(id, &["合计"]);
        table.columns = keys
            .iter()
            .map(|k| crate::model::Column::own(crate::label::label_key(k), k, ColumnRole::Value, None))
            .collect();
        table
    }

    #[test]
    fn a_column_name_ocr_garbled_is_the_name_it_nearly_is_here_or_elsewhere_or_in_its_series() {
        let names = MEASURES.names(Some(Kind::Budget), "gpb_expense");
        assert_eq!(near_name("页人员经费", &names), Some("人员经费"), "a speck read before it");
        assert_eq!(near_name("去公用经费", &names), Some("公用经费"));
        assert_eq!(near_name("入员生费", &names), None, "two characters off a four-character name");
        let measure = |n: &str| MEASURES.lookup(Some(Kind::Budget), "summary", n);
        let names = MEASURES.names(Some(Kind::Budget), "summary");
        assert_eq!(lost_end("上年结", &names, measure), Some("上年结转"), "its end lost");
        assert_eq!(lost_end("上年", &names, measure), None, "too short a start to tell");
        let mut tables = vec![
            with_columns("summary", &["本年预算", "核定预算", "核定预算"]),
            with_columns("fiscal_summary", &["核定预算", "亥定预算", "需和扫吉收入", "政府性基金预算拨款收入"]),
        ];
        // The 收入 side prints 核定预算 (no measure name), the 支出 side its misread and the
        // fund columns.
        for (i, column) in tables[1].columns.iter_mut().enumerate() {
            column.side = Some(if i == 0 { crate::model::Side::Income } else { crate::model::Side::Expense });
        }
        let repairs = columns(&mut tables, Some(Kind::Budget), &ocr());
        let keys: Vec<&str> = tables[1].columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["核定预算", "核定预算", "一般公共预算拨款收入", "政府性基金预算拨款收入"]);
        let rules: Vec<(&str, &str)> = repairs.iter().map(|r| (r.raw.as_str(), r.rule.as_str())).collect();
        assert_eq!(rules, [("亥定预算", "header-elsewhere"), ("需和扫吉收入", "header-series")]);
        // A known name, the series' with its end lost: as the table prints it.
        let mut tables = vec![with_columns("income", &["政府性基金预算拨款收入", "国有资本经营预算拨款"])];
        let repairs = columns(&mut tables, Some(Kind::Budget), &ocr());
        assert_eq!(tables[0].columns[1].key, "国有资本经营预算拨款收入");
        assert_eq!(repairs[0].rule, "header-series");
        let mut tables = vec![with_columns("income", &["政府性基金预算拨款收入", "国有资本经营预入反款"])];
        columns(&mut tables, Some(Kind::Budget), &ocr());
        assert_eq!(tables[0].columns[1].key, "国有资本经营预算拨款收入", "its start read");
        let mut tables = vec![with_columns("income", &["政府性基金预算拨款收入", "国有--一党"])];
        columns(&mut tables, Some(Kind::Budget), &ocr());
        assert_eq!(tables[0].columns[1].key, "国有资本经营预算拨款收入", "its first two characters read");
        let mut tables = vec![with_columns("income", &["政府性基金预算拨款收入", "国有资本经营预沁拨款"])];
        columns(&mut tables, Some(Kind::Budget), &ocr());
        assert_eq!(tables[0].columns[1].key, "国有资本经营预算拨款收入", "the vocabulary's name, its end lost");
        let mut tables = vec![with_columns("income", &["政府性基金预算", "国有资本经营预算"])];
        assert!(columns(&mut tables, Some(Kind::Budget), &ocr()).is_empty(), "its siblings print it so");
        // No sibling read whole beside it, or an end the series' name does not share: kept.
        let mut tables = vec![with_columns("income", &["需和扫吉收入", "事业收入"])];
        assert!(columns(&mut tables, Some(Kind::Budget), &ocr()).is_empty());
        let mut tables = vec![with_columns("income", &["需和扫吉支出", "政府性基金预算拨款收入"])];
        assert!(columns(&mut tables, Some(Kind::Budget), &ocr()).is_empty());
        // A text layer prints its names: never renamed.
        let mut tables = vec![with_columns("income", &["需和扫吉收入", "政府性基金预算拨款收入"])];
        assert!(columns(&mut tables, Some(Kind::Budget), &crate::testing::source(TextSource::TextLayer)).is_empty());
    }

    #[test]
    fn a_name_no_rule_knows_is_reported_where_it_keys_figures() {
        let mut tables = vec![
            with_columns("gpb_expense", &["入员生费", "公用经费"]),
            crate::testing::table(
                "three_public",
                &["公务拉竺要", "公务接待费", "某某市气象局", "注:本表无数据"],
                |i| {
                    let value = (i < 3).then(|| rust_decimal::Decimal::new(86, 2));
                    vec![crate::model::Cell {
                        column: "预算数".into(),
                        raw: value.map(|v| v.to_string()).unwrap_or_default(),
                        value,
                        status: crate::model::CellStatus::Read,
                        inferred_by: None,
                        bbox: None,
                        confidence: None,
                        readings: Vec::new(),
                    }]
                },
            ),
        ];
        tables[1].columns = vec![crate::model::Column::own("预算数".into(), "预算数", ColumnRole::Value, None)];
        let found = unknown(&tables, Some(Kind::Budget), &ocr());
        let at: Vec<(Option<&str>, Option<&str>)> =
            found.iter().map(|f| (f.column.as_deref(), f.row.as_deref())).collect();
        assert_eq!(at, [(Some("入员生费"), None), (None, Some("公务拉竺要"))]);
        assert!(found.iter().all(|f| f.kind == FindingKind::UnknownName && f.severity == Severity::Warning));
        // (A unit's row, `某某市气象局`, is its name's; a note's line holds no figure.) A text
        // layer prints its names; rows keyed by unit names are no items (not scoped).
        assert!(unknown(&tables, Some(Kind::Budget), &crate::testing::source(TextSource::TextLayer)).is_empty());
        // A summary: a garbled name among names it knows is reported, subjects of every
        // level (款, 项) that it names are its own.
        let figures = |keys: &[&str]| {
            crate::testing::table("summary", keys, |_| {
                let mut cell = tables[1].rows[0].cells[0].clone();
                cell.column = "预算数".into();
                vec![cell]
            })
        };
        let classes = ["一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出", "教育支"];
        let found = unknown(&[figures(&classes)], Some(Kind::Budget), &ocr());
        assert_eq!(found.iter().map(|f| f.row.as_deref()).collect::<Vec<_>>(), [Some("教育支")]);
        let subjects = ["一般公共服务支出", "技术研究与开发", "行政运行", "气象事务"];
        assert!(unknown(&[figures(&subjects)], Some(Kind::Budget), &ocr()).is_empty());
        let units = vec![table("income", &["合计", "某某市统计普查中心"])];
        assert!(unknown(&units, Some(Kind::Budget), &ocr()).is_empty());
    }

    #[test]
    fn a_column_keyed_by_its_place_under_a_piece_of_a_name_is_reported() {
        // 广州's income table in tesseract's TSV: `算` (of 一般公共预算) over the column the
        // template names 小计 at that place; `计` is what is left of 合计, its own name.
        let mut income = crate::testing::table("income", &["合计"], |_| {
            vec![crate::testing::cell("合计", "9483.72"), crate::testing::cell("小计", "9433.72")]
        });
        let column = |key: &str, label: &str| crate::model::Column::own(key.into(), label, ColumnRole::Value, None);
        income.columns = vec![column("合计", "计"), column("小计", "算")];
        let found = unknown(std::slice::from_ref(&income), Some(Kind::Budget), &ocr());
        let columns: Vec<Option<&str>> = found.iter().map(|f| f.column.as_deref()).collect();
        assert_eq!(columns, [Some("小计")]);
        assert!(found[0].message.contains("by its place"));
        assert!(unknown(&[income], Some(Kind::Budget), &crate::testing::source(TextSource::TextLayer)).is_empty());
    }

    #[test]
    fn a_row_with_no_code_among_coded_rows_is_reported() {
        let figure = |_| vec![crate::testing::cell("合计", "6453.03")];
        let keys = ["合计", "一般公共服务支出", "20105", "行政运行", "2010502"];
        let mut expense = crate::testing::table("gpb_expense", &keys, figure);
        for row in expense.rows.iter_mut().filter(|r| r.key.starts_with('2')) {
            row.code = Some(row.key.clone());
        }
        let found = unknown(std::slice::from_ref(&expense), Some(Kind::Budget), &ocr());
        // The total and a class printed by name only where no row has a class's code are the
        // layout's; `行政运行` lost its code.
        assert_eq!(found.iter().map(|f| f.row.as_deref()).collect::<Vec<_>>(), [Some("行政运行")]);
        assert!(
            unknown(std::slice::from_ref(&expense), Some(Kind::Budget), &crate::testing::source(TextSource::TextLayer))
                .is_empty()
        );
        // A row of figures with neither name nor code, in a table no row of which has a code.
        let nameless = crate::testing::table("three_public", &["", "公务接待费"], |_| {
            vec![crate::testing::cell("合计", "9.20")]
        });
        let found = unknown(std::slice::from_ref(&nameless), Some(Kind::Budget), &ocr());
        assert!(found.iter().any(|f| f.row.as_deref() == Some("") && f.message.contains("neither name nor code")));
        assert!(unknown(&[nameless], Some(Kind::Budget), &crate::testing::source(TextSource::TextLayer)).is_empty());
        // A coded row whose name holds its first figure (`基本工资297.50`): its figures may be a
        // column off.
        expense.rows[4].label = "行政运行6453.03".into();
        let found = unknown(&[expense], Some(Kind::Budget), &ocr());
        assert!(found.iter().any(|f| f.row.as_deref() == Some("2010502") && f.message.contains("named by a figure")));
    }

    #[test]
    fn the_one_column_a_table_lacks_of_its_template_names_its_one_unknown_column() {
        let printed = ["合计", "基本支出", "项目支出", "经营支出", "RE", "上缴上级支出"];
        let mut tables = vec![with_columns("expense", &printed)];
        let repairs = columns(&mut tables, Some(Kind::Budget), &ocr());
        assert_eq!(tables[0].columns[4].key, "对附属单位补助支出");
        assert_eq!((repairs[0].raw.as_str(), repairs[0].rule.as_str()), ("RE", "header-template"));
        // Two template columns not printed: which one, nothing tells.
        let mut tables = vec![with_columns("expense", &["合计", "基本支出", "项目支出", "RE", "上缴上级支出"])];
        assert!(columns(&mut tables, Some(Kind::Budget), &ocr()).is_empty());
        // Two unknown columns: neither.
        let mut tables = vec![with_columns("expense", &["合计", "基本支出", "项目支出", "经营支出", "RE", "XY"])];
        assert!(columns(&mut tables, Some(Kind::Budget), &ocr()).is_empty());
    }

    #[test]
    fn a_garbled_name_sharing_its_start_with_one_column_the_table_lacks_is_that_column() {
        // A 收入总表 whose header cells OCR kept the start of only: the fund names by the
        // series (the first two mended by the vocabulary), the rest by the start they share.
        let printed = [
            "合计",
            "一般公共预算投款收入",
            "政府性基金人",
            "国有资本经入作",
            "财政专户收入",
            "事业用和",
            "经营收入",
            "上级补助收入",
            "附属单位收入上向禾入-长全",
            "其他",
            "上年结转",
        ];
        let mut tables = vec![with_columns("income", &printed)];
        let repairs = columns(&mut tables, Some(Kind::Budget), &ocr());
        let keys: Vec<&str> = tables[0].columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "合计",
                "一般公共预算拨款收入",
                "政府性基金预算拨款收入",
                "国有资本经营预算拨款收入",
                "财政专户收入",
                "事业收入",
                "经营收入",
                "上级补助收入",
                "附属单位上缴收入",
                "其他收入",
                "上年结转"
            ]
        );
        let started: Vec<&str> = repairs.iter().filter(|r| r.rule == "header-start").map(|r| r.raw.as_str()).collect();
        assert_eq!(started, ["事业用和", "附属单位收入上向禾入-长全", "其他"]);
        // The column it shares its start with printed already, or the template placing it
        // elsewhere than between its neighbours: kept as read.
        let mut tables = vec![with_columns("income", &["合计", "其他", "事业收入", "上年结转"])];
        assert!(columns(&mut tables, Some(Kind::Budget), &ocr()).is_empty(), "其他收入 comes after 事业收入");
        let mut tables = vec![with_columns("income", &["合计", "事业收入", "其他收入", "其他"])];
        assert!(columns(&mut tables, Some(Kind::Budget), &ocr()).is_empty(), "其他收入 is printed");
    }

    #[test]
    fn a_garbled_twin_of_a_column_printed_twice_takes_its_twins_name() {
        // 当年预算 | 上年结转结余 each over 小计 | 人员经费 | 公用经费 | 项目支出; the first 人员经费
        // read `入员生费`, the second `页人员经费` (mended first, by the vocabulary).
        let printed =
            ["合计", "小计", "入员生费", "公用经费", "项目支出", "小计", "页人员经费", "公用经费", "项目支出"];
        let mut tables = vec![with_columns("gpb_expense", &printed)];
        let repairs = columns(&mut tables, Some(Kind::Budget), &ocr());
        let rules: Vec<(&str, &str)> = repairs.iter().map(|r| (r.raw.as_str(), r.rule.as_str())).collect();
        assert_eq!(rules, [("页人员经费", "header-vocabulary"), ("入员生费", "header-twin")]);
        // Printed once each: no twin to take a name from.
        let mut tables = vec![with_columns("gpb_expense", &["合计", "入员生费", "人员经费", "项目支出"])];
        assert!(columns(&mut tables, Some(Kind::Budget), &ocr()).is_empty());
    }

    #[test]
    fn a_subtotal_before_the_parts_of_a_total_the_table_lacks_is_that_total() {
        let mut tables = vec![with_columns("gpb_expense", &["合计", "小计", "人员经费", "公用经费", "项目支出"])];
        let repairs = columns(&mut tables, Some(Kind::Budget), &ocr());
        assert_eq!((tables[0].columns[1].key.as_str(), repairs[0].rule.as_str()), ("基本支出", "header-subtotal"));
        // The table prints that total already: the 小计 is another.
        let printed = ["合计", "基本支出", "人员经费", "项目支出", "小计", "人员经费", "公用经费"];
        let mut tables = vec![with_columns("gpb_expense", &printed)];
        assert!(columns(&mut tables, Some(Kind::Budget), &ocr()).is_empty());
    }

    #[test]
    fn a_column_renamed_takes_only_its_own_cells() {
        // 小计 printed twice (its heading lost): the first, before 人员经费 | 公用经费, is the
        // 基本支出 the table lacks; the second's figures stay the second's.
        let mut tables =
            vec![with_columns("gpb_expense", &["合计", "小计", "人员经费", "公用经费", "项目支出", "小计"])];
        let figures = ["10.00", "6.00", "4.00", "2.00", "4.00", "0.00"];
        tables[0].rows[0].cells =
            tables[0].columns.iter().zip(figures).map(|(c, f)| crate::testing::cell(&c.key, f)).collect();
        let repairs = columns(&mut tables, Some(Kind::Budget), &ocr());
        assert_eq!(repairs[0].rule, "header-subtotal");
        let keys: Vec<&str> = tables[0].rows[0].cells.iter().map(|c| c.column.as_str()).collect();
        assert_eq!(keys, ["合计", "基本支出", "人员经费", "公用经费", "项目支出", "小计"]);
    }

    #[test]
    fn too_much_else_or_no_name_is_left() {
        let names = names();
        assert_eq!(held("公共安全支出阔IIUI册瑟届", &names), None, "eight characters of debris");
        assert_eq!(held("上年一般公共预算拨款收入结转", &names), None);
        assert_eq!(held("办公费", &names), None);
        assert_eq!(held("总计", &names), None, "a name lost its first character, or is a shorter one");
    }
}
