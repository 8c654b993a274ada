//! What a line is, from its cells alone: page furniture (page numbers), a unit line, the
//! 栏次 line, a body row, a note, running text, a section heading.

use crate::model::Unit;
use crate::page::Line;

/// The unit a `单位: 万元` line states.
pub fn unit_of(line: &Line) -> Option<Unit> {
    if !line.filled().any(|(_, cell)| crate::label::may_contain(cell, |c| c == '单')) {
        return None; // most lines, ruled out before their text is made and normalised
    }
    let text: String = crate::label::nfkc(&line.text()).chars().filter(|c| !c.is_whitespace()).collect();
    // `编制单位:某局 单位:万元`: the unit follows whichever `单位:` names one; OCR reads the
    // colon as a comma, semicolon or point too (`单位,元`, `单位;万元`).
    text.match_indices("单位").find_map(|(at, _)| {
        let rest = text[at + "单位".len()..].strip_prefix([':', ',', ';', '.'])?;
        Unit::prefix_of(rest)
    })
}

/// A page number printed as page furniture: `- 4 -`, `第4页`, `第 4 页 共 12 页`.
pub fn is_page_number(line: &Line) -> bool {
    static PAGE: std::sync::LazyLock<crate::pattern::Regex> = std::sync::LazyLock::new(|| {
        crate::pattern::compile(
            r"^(?:[-—–]+[0-9]{1,4}[-—–]+|第[0-9]{1,4}页(?:/?共[0-9]{1,4}页)?|[0-9]{1,4}/[0-9]{1,4})$",
        )
        .expect("page number")
    });
    // Every form has a digit and nothing but digits, dashes, 第, 页, 共 and `/`: most lines
    // are ruled out, cell by cell, before their text is made, normalised and matched.
    let printable = |c: char| c.is_ascii_digit() || matches!(c, '-' | '—' | '–' | '/' | '第' | '页' | '共');
    let cells = || line.filled().map(|(_, cell)| cell);
    if !cells().any(crate::label::may_hold_digit)
        || !cells().all(|cell| crate::label::simple_chars_all(cell, printable))
    {
        return false;
    }
    let text: String = crate::label::nfkc(&line.text()).chars().filter(|c| !c.is_whitespace()).collect();
    PAGE.is_match(&text)
}

/// A page's last line that is a lone number of up to four digits: its page number.
pub fn is_bare_page_number(lines: &[Line], at: usize) -> bool {
    let line = &lines[at];
    let text = line.text();
    let lone = line.filled().count() == 1 && (1..=4).contains(&text.len()) && text.chars().all(|c| c.is_ascii_digit());
    lone && lines[at + 1..].iter().find(|l| !l.is_blank()).is_none_or(|next| next.page != line.page)
}

/// True for the 栏次 line (OCR also reads it as 兰次), or a line of column numbers `1 2 3 …`
/// after marker cells (`**`, `甲`, `乙`) that ends a header without the word 栏次.
pub fn is_numbers_line(line: &Line) -> bool {
    if line
        .filled()
        .next()
        .is_some_and(|(_, c)| c.starts_with("栏次") || c.starts_with("兰次") || c.starts_with("栏 次"))
    {
        return true;
    }
    let cells: Vec<String> = line.filled().map(|(_, c)| crate::label::nfkc(c).replace(' ', "")).collect();
    let marker = |c: &String| c.chars().all(|ch| "*#甲乙丙丁栏次行".contains(ch));
    let mut leading = cells.iter().take_while(|c| marker(c)).count();
    // The 栏次 marker OCR misread (`站`, `栏犬`, `**` as `9`): a short first cell before three
    // numbers, which start at 1 when the first cell is a digit too.
    let misread = leading == 0
        && cells.first().is_some_and(|c| {
            (1..=2).contains(&c.chars().count())
                && (c.parse::<u32>().is_err() || cells.get(1).is_some_and(|n| n == "1"))
        })
        && cells.iter().skip(1).take(3).filter(|c| c.parse::<u32>().is_ok()).count() == 3;
    if misread {
        leading = 1;
    }
    let rest = &cells[leading.min(cells.len())..];
    let Some(start) = rest.first().and_then(|c| c.parse::<u32>().ok()).filter(|&s| s <= 2) else { return false };
    let expected = |i: usize| u32::try_from(i).ok().map(|i| start + i);
    let in_place = rest.iter().enumerate().filter(|&(i, c)| c.parse::<u32>().ok() == expected(i)).count();
    // Without a marker cell, three numbers at least (a body row of small integers is not one).
    // In a line of four or more, OCR may misread a third of them (`6` as `0`, `5` as `$`):
    // each is still a number's short cell.
    rest.len() >= if leading > 0 { 1 } else { 3 }
        && rest.iter().all(|c| (1..=2).contains(&c.chars().count()))
        && (in_place == rest.len() || (rest.len() >= 4 && in_place * 3 >= rest.len() * 2))
}

/// A line that is the 栏次 marker alone, no number: OCR sets it on a line of its own,
/// before or after the column numbers it labels.
pub fn is_numbers_marker(line: &Line) -> bool {
    let text: String = line.filled().map(|(_, c)| crate::label::nfkc(c).replace(' ', "")).collect();
    matches!(text.as_str(), "栏次" | "兰次" | "行次")
}

/// True for a line whose first cell is a 序号 (an integer): a body row.
pub fn is_seq_row(line: &Line) -> bool {
    line.cells.first().is_some_and(|c| {
        let c = c.trim();
        !c.is_empty() && c.len() <= 4 && c.chars().all(|ch| ch.is_ascii_digit())
    })
}

pub fn is_note(line: &Line) -> bool {
    line.filled().next().is_some_and(|(_, c)| {
        let c = crate::label::nfkc(c);
        c.starts_with("注:") || c.starts_with("注 :") || c.starts_with("说明:") || c.starts_with("备注")
    })
}

/// A line that reads as a sentence, whatever cells a gap split it into: sentence
/// punctuation and words (`1、“本年预算数”的单位范围包括部门本级及所属0 | 个预算单位。`).
pub fn is_sentence(line: &Line) -> bool {
    let text = crate::label::nfkc(&line.text());
    text.contains(['。', ';', '，', '；']) && crate::label::cjk_count(&text) >= 8
}

/// A line of running text or a section heading: one filled cell of words, long or with
/// sentence punctuation (a header cell is short and bare), that is not a note.
pub fn is_prose(line: &Line) -> bool {
    let filled: Vec<_> = line.filled().collect();
    let [(position, text)] = filled[..] else { return false };
    let text = crate::label::nfkc(text);
    // Running text starts at the left; a long label alone in a later column is a row.
    let sentence = text.contains(['。', ',', ';', '，', '；']) || (position == 0 && text.chars().count() >= 15);
    crate::label::cjk_count(&text) >= 4 && sentence && !is_note(line) && !is_field(&text)
}

/// A line naming the unit a table is of (`预算单位;长春市信访局`, OCR reading its colon as a
/// semicolon): a field's short name ending 单位 or 名称, a mark, the value — not a sentence.
fn is_field(text: &str) -> bool {
    let Some((name, _)) = text.split_once([':', ';', ',', '：', '；', '，']) else { return false };
    let name = name.trim();
    name.chars().count() <= 6 && (name.ends_with("单位") || name.ends_with("名称")) && !text.contains('。')
}

/// A numbered section heading (`七、国有资产信息`) alone on its line. Only meaningful
/// before a table's body: inside a body, `二、事业收入` is a row.
pub fn is_heading(line: &Line) -> bool {
    let filled: Vec<_> = line.filled().collect();
    let [(_, text)] = filled[..] else { return false };
    let text = crate::label::nfkc(text);
    let numbered = text.trim_start().starts_with(|c: char| "一二三四五六七八九十".contains(c)) && text.contains('、');
    numbered && crate::label::label_key(&text) != text.replace(char::is_whitespace, "")
}

/// A part heading of the document (`第二部分 2026年部门预算表`, `第四部分 名词解释`) at the
/// start of a line.
pub fn is_part_heading(line: &Line) -> bool {
    let Some((_, first)) = line.filled().next() else { return false };
    let key = crate::label::label_key(first);
    let Some(rest) = key.strip_prefix('第') else { return false };
    let numeral = rest.chars().take_while(|c| "一二三四五六七八九十".contains(*c)).count();
    numeral > 0 && rest.chars().skip(numeral).collect::<String>().starts_with("部分")
}

/// The 合计 row of a table printed empty: the one word 合计 (or 总计), nothing else.
pub fn is_total_row(line: &Line) -> bool {
    let filled: Vec<_> = line.filled().collect();
    matches!(filled[..], [(_, t)] if matches!(crate::label::label_key(t).as_str(), "合计" | "总计"))
}

/// True when the next line holds header words (two cells or more, words and no figure; on
/// an OCR'd page a third of its cells may be specks read as punctuation, `、。`): a lone
/// `合计` above it is the total column's header, not an empty table's total row.
pub fn header_words_follow(lines: &[Line], at: usize) -> bool {
    let words_line = |next: &Line| {
        let filled = next.filled().count();
        let words = next.filled().filter(|(_, c)| crate::label::cjk_count(c) > 0).count();
        words >= 2 && (words == filled || (3 * words >= 2 * filled && !has_figure(next)))
    };
    // Or one header name between (`功能分类科目名称`, the label column's name printed a line
    // lower than the total's, OCR keeping the two apart), then header words.
    let lone_header_name = |next: &Line| {
        let filled: Vec<_> = next.filled().collect();
        matches!(filled[..], [(_, c)] if crate::knowledge::templates::is_header_name(&crate::label::label_key(c)))
    };
    let mut next = lines[at + 1..].iter().filter(|l| !l.is_blank());
    match next.next() {
        Some(first) if words_line(first) => true,
        Some(first) if lone_header_name(first) => next.next().is_some_and(words_line),
        _ => false,
    }
}

/// True when a cell of the line is a money figure: a decimal (`198.30`, `1,208.20`) or an
/// integer grouped in thousands (`288,280,739`, a table in 元), or two cells are integers of
/// four digits or more (元 printed ungrouped); one bare integer could be a code, a year or a
/// 序号.
pub fn has_figure(line: &Line) -> bool {
    let long = |c: &str| c.trim().len() >= 4 && c.trim().chars().all(|ch| ch.is_ascii_digit());
    // On an OCR'd line, a figure with a speck read against it (`9,616.338314:`, `38.00000(`)
    // is a figure all the same: the row is a row, and repair judges the cell.
    let ocr = line.boxes.iter().flatten().any(|b| b.confidence.is_some());
    let specks: &[char] = &[':', ';', ',', '，', '.', '(', ')', '[', ']', '|', '"', '\'', '“', '”', '、'];
    line.filled().filter(|(_, c)| long(c)).count() >= 2
        || line.filled().any(|(_, c)| {
            is_figure(c)
                || (ocr && is_figure(c.trim().trim_matches(specks)))
                || (ocr && digits_for_letters(c.trim()).is_some())
        })
}

/// The digit a letter OCR reads for one of its shape stands for (`O`, `o` → 0; `l`, `I` →
/// 1), where no other digit shares the shape.
pub fn digit_of_shape(c: char) -> Option<char> {
    match c {
        'O' | 'o' => Some('0'),
        'l' | 'I' => Some('1'),
        _ => None,
    }
}

/// A decimal whose digits OCR read, one or two, as letters of their shape (`S79.89` for
/// 579.89, `2O.00`, `l98.30`), with those letters the digits; `None` for any other text. A
/// decimal point, two decimals and a digit left of the point are required: no word of a
/// disclosure is such a thing.
pub fn digits_for_letters(cell: &str) -> Option<String> {
    let digit = |c: char| match c {
        'S' | 's' => Some('5'),
        c if c.is_ascii_digit() || c == '.' || c == ',' => Some(c),
        c => digit_of_shape(c),
    };
    let letters = cell.chars().filter(char::is_ascii_alphabetic).count();
    let mapped: String = cell.chars().map(digit).collect::<Option<String>>()?;
    let (whole, decimals) = mapped.rsplit_once('.')?;
    let digit_before = cell.split('.').next().is_some_and(|w| w.chars().any(|c| c.is_ascii_digit()));
    ((1..=2).contains(&letters) && decimals.len() == 2 && digit_before && !whole.is_empty() && is_figure(&mapped))
        .then_some(mapped)
}

/// A decimal (`198.30`, `1,208.20`), an integer grouped in thousands (`288,280,739`), or a
/// decimal whose thousands commas OCR read as points (`9.616.338314`, which repair mends).
pub fn is_figure(cell: &str) -> bool {
    let joined = unspaced(cell.trim());
    let c = joined.as_str();
    if points_for_commas(c) {
        return true;
    }
    let plain = c.replace(',', "");
    let decimal = c.contains('.') && plain.parse::<rust_decimal::Decimal>().is_ok();
    let grouped = c.contains(',')
        && c.trim_start_matches('-').split(',').enumerate().all(|(i, g)| {
            g.chars().all(|ch| ch.is_ascii_digit()) && (if i == 0 { (1..=3).contains(&g.len()) } else { g.len() == 3 })
        });
    decimal || grouped
}

/// The cell without the spaces OCR sets beside a figure's separators (`198. 30`,
/// `14,770. 62`, `13 ,873.36`): a space between a digit and a point or comma, the other
/// side of which is a digit. Repair joins these (`split-decimal`); a line holding one is a
/// row of figures all the same.
fn unspaced(cell: &str) -> String {
    let chars: Vec<char> = cell.chars().collect();
    let mut out = String::with_capacity(cell.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let after = chars.get(i + 1).copied();
            let separator = |c: Option<char>| matches!(c, Some('.' | ','));
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
            let joins =
                (separator(before) && digit(after) && digit(i.checked_sub(2).and_then(|j| chars.get(j)).copied()))
                    || (digit(before) && separator(after) && digit(chars.get(i + 2).copied()));
            if joins {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A decimal grouped in thousands by points, not commas (`9.616.338314`): two points or
/// more, groups of three digits between them, the first group no `0` (`0.000.000.00` is
/// three zeros OCR ran together, not a grouped number).
pub fn points_for_commas(cell: &str) -> bool {
    let groups: Vec<&str> = cell.trim_start_matches('-').split('.').collect();
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    groups.len() >= 3
        && groups.iter().all(|g| digits(g))
        && groups[0].len() <= 3
        && !groups[0].starts_with('0')
        && groups[1..groups.len() - 1].iter().all(|g| g.len() == 3)
}

#[cfg(test)]
mod sentence_tests {
    #[test]
    fn numbered_sentences_under_a_note_are_notes_not_rows() {
        let text = "“三公”经费支出表\n单位：万元\n合计\t因公出国（境）费\t公务接待费\n7.61\t0.00\t0.86\n说明：\n1、“本年预算数”的单位范围包括部门本级及所属0\t个预算单位。\n";
        let layout = crate::testing::layout(text);
        let block = &layout.blocks[0];
        assert_eq!(block.notes.len(), 2, "{:?}", block.notes);
        assert!(block.segments.iter().all(|s| s.body.iter().all(|l| !l.text().contains("预算单位"))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: &[&str]) -> Line {
        Line {
            number: 1,
            page: 1,
            cells: cells.iter().map(ToString::to_string).collect(),
            spans: vec![],
            boxes: vec![],
            continues_row: false,
        }
    }

    #[test]
    fn a_lone_total_over_header_words_is_the_total_columns_header() {
        let total = line(&["合计"]);
        let words = line(&["全", "、。", "一般公共预算", "预", "国有资本经营", "财政专户管理"]);
        assert!(header_words_follow(&[total.clone(), words], 0), "specks among the header words");
        let row = line(&["一般公共服务支出", "、", "12.00"]);
        assert!(!header_words_follow(&[total.clone(), row], 0), "a row of figures follows");
        let specks = line(&["、", "。", "一般公共预算"]);
        assert!(!header_words_follow(&[total.clone(), specks], 0), "mostly specks");
        // The label column's name a line lower, then the rest of the header.
        let name = line(&["功能分类科目名称"]);
        let leaves = line(&["事业单位", "基本支", "项目支", "事业单位经"]);
        assert!(header_words_follow(&[total.clone(), name.clone(), leaves], 0));
        let title = line(&["本年政府性基金预算支出表"]);
        let unit = line(&["预算单位:某某局", "单位:万元"]);
        assert!(!header_words_follow(&[total, title, unit], 0), "an empty table's total, the next table");
    }

    #[test]
    fn a_units_name_after_a_colon_read_as_a_semicolon_is_no_sentence() {
        assert!(!is_prose(&line(&["预算单位;长春市信访局单人“"])));
        assert!(!is_prose(&line(&["单位名称，某某市统计局"])));
        assert!(is_prose(&line(&["其中，一般公共预算拨款收入增加，主要是人员增加"])));
        assert!(is_prose(&line(&["本单位;负责全市的信访工作。"])), "a sentence ends in its stop");
    }

    #[test]
    fn a_unit_follows_its_colon_or_what_ocr_reads_for_it() {
        assert_eq!(unit_of(&line(&["编制单位:某局", "单位:万元"])), Some(Unit::WanYuan));
        assert_eq!(unit_of(&line(&["单位,元"])), Some(Unit::Yuan));
        assert_eq!(unit_of(&line(&["金额单位;万元"])), Some(Unit::WanYuan));
        assert_eq!(unit_of(&line(&["编制单位,某局"])), None);
    }

    #[test]
    fn a_figure_ocr_spaced_at_its_separator_is_a_figure() {
        assert!(has_figure(&line(&["合", "计", "14,770. 62"])), "the total line under the header");
        assert!(is_figure("198. 30") && is_figure("13 ,873.36"));
        assert!(!is_figure("2026 年") && !is_figure("1. 概况") && !is_figure("一. 30"));
    }

    #[test]
    fn column_numbers_after_a_misread_marker_are_the_numbers_line() {
        assert!(is_numbers_line(&line(&["栏次", "1", "2", "3"])));
        assert!(is_numbers_line(&line(&["**", "1", "2", "3"])));
        assert!(is_numbers_line(&line(&["站", "1", "2", "3"])));
        // `**` read as a digit: the numbers after it start at 1.
        assert!(is_numbers_line(&line(&["9", "1", "2", "3"])));
        assert!(is_numbers_line(&line(&["1", "2", "3", "4"])));
        // One of four or more misread.
        assert!(is_numbers_line(&line(&["宁玉", "1", "2", "3", "4", "5", "0"])));
        assert!(!is_numbers_line(&line(&["1", "2", "0"])));
        assert!(is_numbers_line(&line(&["+", "1", "2", "3", "4", "$", "0"])));
        assert!(!is_numbers_line(&line(&["1", "2", "3", "4", "0.5"])));
        // A body row of small integers is not.
        assert!(!is_numbers_line(&line(&["9", "4", "5", "6"])));
    }
}
