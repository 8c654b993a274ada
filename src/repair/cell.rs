//! Cell rules: each takes the text of one cell whose column role is known and returns the
//! repaired text with the rules that fired. Pure functions, so each rule is tested alone.

use std::sync::LazyLock;

use crate::pattern::Regex;

use crate::knowledge::confusions::unconfuse;
use crate::label::{dewrap, nfkc};

/// A rule's result: the new text and the names of the rules that changed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    pub text: String,
    pub rules: Vec<&'static str>,
}

static SPLIT_DECIMAL: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^(-?[0-9]{1,3}(?:,\s*[0-9]{3})+|-?[0-9]+)\.\s*([0-9]{1,2})$").expect("split decimal")
});
pub(super) static THOUSANDS: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$").expect("thousands"));
static DASH: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"^[-—–－]{1,3}$").expect("dash"));
static LEADING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^[0-9]+\s+(\p{Han})").expect("leading number"));
/// A Chinese list number opening a label: `一、`, `(一)`.
static LIST_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))").expect("list number")
});
/// A classification code, then its name, as a label cell prints them (`30399-其他…`).
static CODE_THEN_NAME: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^[0-9]{3,7}[\s\-—:]*\p{Han}").expect("code then name"));
static CODE_NAME: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^([0-9]{3}|[0-9]{5}|[0-9]{7})[\s、]*(\p{Han}.*)$").expect("code name"));

/// Repairs a money cell: full-width digits (`full-width`), a ruling or quote glued to the
/// figure by OCR (`ocr-debris`: `509.01|` → `509.01`), a space after the decimal point
/// or a thousands separator (`split-decimal`: `198. 30` → `198.30`, `9, 483. 72` →
/// `9,483.72`, never across cells), thousands separators
/// (`thousands-separator`), thousands separators OCR read as points (`point-for-comma`:
/// `9.616.338314` → `9616.338314`; a figure has one decimal point, so every point before
/// the last, between groups of three digits, was a comma), and a dash printed for "none"
/// (`dash-blank` → empty).
pub fn value(raw: &str) -> Fixed {
    let mut rules = Vec::new();
    let mut text = raw.trim().to_string();
    let normal = nfkc(&text);
    if normal != text {
        rules.push("full-width");
        text = normal.trim().to_string();
    }
    // A ruling or quote read into the figure's box (`509.01|`, `”198.30`).
    let trimmed = text.trim_matches(is_debris);
    if trimmed != text
        && trimmed.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        && trimmed.ends_with(|c: char| c.is_ascii_digit())
    {
        text = trimmed.to_string();
        rules.push("ocr-debris");
    }
    // An opening bracket after the figure (`0.0(`): no figure ends with one (a negative is
    // printed `(1.00)`, closed); it is the edge of the cell's ruling or a last zero OCR broke,
    // and the table's places (`decimal-places`) or its identities give the figure its digit.
    if let Some(figure) = text.strip_suffix('(')
        && figure.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        && figure.ends_with(|c: char| c.is_ascii_digit())
    {
        text = figure.to_string();
        if !rules.contains(&"ocr-debris") {
            rules.push("ocr-debris");
        }
    }
    // A character of the label beside it read into the figure's box (`训38.000000`): one
    // or two ideographs before a figure that is whole without them. (Not before one digit:
    // `人4` is as likely the last line of a figure wrapped in a narrow cell, `1378.4 / 1`.)
    let figure = text.trim_start_matches(crate::label::is_cjk);
    if figure.len() < text.len()
        && figure.chars().filter(char::is_ascii_digit).count() >= 2
        && text.chars().take_while(|&c| crate::label::is_cjk(c)).count() <= 2
        && figure.starts_with(|c: char| c.is_ascii_digit())
        && figure.ends_with(|c: char| c.is_ascii_digit())
        && figure.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        text = figure.to_string();
        if !rules.contains(&"ocr-debris") {
            rules.push("ocr-debris");
        }
    }
    // A comma or colon after a figure's decimals (`502.233096，`, `9,616.338314:`): no figure
    // goes on after them. (After an integer, `40，`, it is a figure cut short: `40,340` with its
    // last group lost.)
    if let Some(figure) = text.strip_suffix([',', ':', ';'])
        && figure.contains('.')
        && figure.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        && figure.ends_with(|c: char| c.is_ascii_digit())
    {
        text = figure.to_string();
        if !rules.contains(&"ocr-debris") {
            rules.push("ocr-debris");
        }
    }
    // An ideograph read inside a figure against its comma or point (`7了,045.905745`: the
    // comma's tail read as a character of its own): one, where the figure is whole without
    // it, its groups of three digits intact.
    let mut inside = text.char_indices().filter(|&(_, c)| crate::label::is_cjk(c));
    if let (Some((at, c)), None) = (inside.next(), inside.next()) {
        let without = format!("{}{}", &text[..at], &text[at + c.len_utf8()..]);
        let beside = |s: &str| s.starts_with([',', '.']) || s.ends_with([',', '.']);
        if at > 0 && (beside(&text[..at]) || beside(&text[at + c.len_utf8()..])) && THOUSANDS.is_match(&without) {
            text = without;
            if !rules.contains(&"ocr-debris") {
                rules.push("ocr-debris");
            }
        }
    }
    // A digit OCR read as a letter of its shape (`2O.00`, `l98.30`): the digit. (An `S` is
    // a 5 or a 6 as often: left unreadable, for the identities to infer.)
    if !text.contains(['S', 's'])
        && let Some(figure) = crate::layout::digits_for_letters(&text)
    {
        text = figure;
        rules.push("ocr-confusion");
    }
    // (Most cells are a plain figure: the patterns below run only on one with a space or a comma.)
    if text.contains(char::is_whitespace)
        && let Some(c) = SPLIT_DECIMAL.captures(&text)
    {
        text = format!("{}.{}", c[1].split_whitespace().collect::<String>(), &c[2]);
        rules.push("split-decimal");
    }
    if text.contains(',') && THOUSANDS.is_match(&text) {
        text = text.replace(',', "");
        rules.push("thousands-separator");
    }
    if crate::layout::points_for_commas(&text) {
        let point = text.rfind('.').unwrap_or(text.len());
        text = format!("{}{}", text[..point].replace('.', ""), &text[point..]);
        rules.push("point-for-comma");
    }
    if DASH.is_match(&text) {
        text.clear();
        rules.push("dash-blank");
    }
    Fixed { text, rules }
}

/// Repairs a row label: NFKC, wrapped text joined (`label-dewrap`), and a stray number the
/// OCR glued before the label of a row that already has its 序号 (`label-stray-number`:
/// `31 本年支出合计` → `本年支出合计`).
pub fn label(raw: &str) -> Fixed {
    let mut rules = Vec::new();
    let normal = nfkc(raw.trim());
    let mut text = dewrap(&normal);
    if text != normal.trim() {
        rules.push("label-dewrap");
    }
    if let Some(c) = LEADING_NUMBER.captures(&text) {
        let start = c.get(1).expect("group").start();
        text = text[start..].to_string();
        rules.push("label-stray-number");
    }
    // A speck or ruling read as punctuation before the label, or after its 其中: (`,(一)因公
    // 出国(境)支出`, `其中:,(一)…`): no row label begins with one (a quote may: `“三公”经费`).
    let lead = if text.starts_with("其中:") { "其中:".len() } else { 0 };
    let rest = &text[lead..];
    let trimmed = rest.trim_start_matches([',', '.', '。', '·', '|', ':', ';']);
    // Or before a code and its name (`;30399-其他对个人和家庭的补助`).
    let coded = lead == 0 && CODE_THEN_NAME.is_match(trimmed);
    if trimmed.len() != rest.len()
        && (coded || trimmed.starts_with(|c: char| c == '(' || crate::label::is_ideograph(c)))
    {
        text = format!("{}{trimmed}", &text[..lead]);
        rules.push("ocr-debris");
    }
    // Or as a Latin letter or two before its Chinese list number (`SS一、社会保障和就业支出`):
    // a label may begin with letters (`PPP项目`), never with letters and then 一、 or (一).
    let rest = &text[lead..];
    let after = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if (1..=3).contains(&(rest.len() - after.len())) && LIST_NUMBER.is_match(after) {
        text = format!("{}{after}", &text[..lead]);
        if !rules.contains(&"ocr-debris") {
            rules.push("ocr-debris");
        }
    }
    if let Some(fixed) = unconfuse(&text) {
        text = fixed;
        rules.push("ocr-confusion");
    }
    Fixed { text, rules }
}

/// Splits a classification code glued to its name in one cell (`code-name-split`):
/// `2120899 其他国有土地…` → (`2120899`, `其他国有土地…`).
pub fn split_code_name(raw: &str) -> Option<(String, String)> {
    let text = nfkc(raw.trim());
    let c = CODE_NAME.captures(&text)?;
    Some((c[1].to_string(), c[2].trim().to_string()))
}

/// A classification code, a space and one or two digits more that joined to it would make no
/// code's length (`22102 0`: a speck OCR read as a digit, not a code printed in groups, `201
/// 01`): the code and the rest.
pub fn code_and_speck(text: &str) -> Option<(String, String)> {
    let mut words = text.split_whitespace();
    let (code, rest) = (words.next()?, words.next()?);
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let whole = words.next().is_none() && matches!(code.len(), 3 | 5 | 7) && digits(code) && digits(rest);
    (whole && rest.len() <= 2 && !matches!(code.len() + rest.len(), 3 | 5 | 7))
        .then(|| (code.to_string(), rest.to_string()))
}

/// Repairs a code cell: NFKC and no inner spaces (`201 03 01` as one cell → `2010301`).
pub fn code(raw: &str) -> Fixed {
    let normal = nfkc(raw);
    let mut text: String = normal.chars().filter(|c| !c.is_whitespace()).collect();
    let mut rules = if text != raw.trim() && !raw.trim().is_empty() { vec!["code-spaces"] } else { vec![] };
    if let Some((code, _speck)) = code_and_speck(&normal) {
        return Fixed { text: code, rules: vec!["ocr-debris"] };
    }
    // A ruling or quote read into the code's box (`02“`, `|213`), as around a figure.
    let trimmed = text.trim_matches(is_debris);
    if trimmed != text && !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit()) {
        text = trimmed.to_string();
        rules.push("ocr-debris");
    }
    // A letter OCR reads for a digit of its shape inside a code (`0l` for `01`, `2O5`, and
    // `ol` for `01`: two such letters are no word a code column prints).
    let digit = |c: char| if c.is_ascii_digit() { Some(c) } else { crate::layout::digit_of_shape(c) };
    if (text.chars().any(|c| c.is_ascii_digit()) || text.chars().count() >= 2)
        && !text.chars().all(|c| c.is_ascii_digit())
        && let Some(digits) = text.chars().map(digit).collect::<Option<String>>()
    {
        text = digits;
        rules.push("ocr-confusion");
    }
    Fixed { text, rules }
}

/// What OCR makes of a ruling or a speck beside a figure or a code: bars, quotes, brackets.
fn is_debris(c: char) -> bool {
    matches!(c, '|' | '丨' | '”' | '“' | '"' | '\'' | '‘' | '’' | '[' | ']' | ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ideograph_against_a_figures_comma_and_a_comma_after_it_are_debris() {
        assert_eq!(value("7了,045.905745").text, "7045.905745");
        assert_eq!(value("7了,045.905745").rules, ["ocr-debris", "thousands-separator"]);
        assert_eq!(value("502.233096，").text, "502.233096");
        assert_eq!(value("9,616.338314:").text, "9616.338314");
        assert_eq!(value("40，").text, "40,", "a figure cut short is left for the identities");
        // Not where the groups of three would not be whole without it.
        assert_eq!(value("7了,04.905745").text, "7了,04.905745");
        assert_eq!(value("70了45.905745").text, "70了45.905745");
    }

    #[test]
    fn an_opening_bracket_after_a_figure_is_debris_a_negative_is_not() {
        assert_eq!(value("0.0(").text, "0.0");
        assert_eq!(value("0.0(").rules, ["ocr-debris"]);
        assert_eq!(value("(1.00)").text, "(1.00)");
    }

    #[test]
    fn split_decimal_joins_a_space_after_the_point() {
        assert_eq!(value("198. 30"), Fixed { text: "198.30".into(), rules: vec!["split-decimal"] });
        assert_eq!(
            value("9, 483. 72"),
            Fixed { text: "9483.72".into(), rules: vec!["split-decimal", "thousands-separator"] }
        );
        assert_eq!(value("9, 483.72").text, "9483.72");
        assert_eq!(value("52. 27").text, "52.27");
        assert_eq!(value("509.01").rules, Vec::<&str>::new());
        assert_eq!(value("训38.000000"), Fixed { text: "38.000000".into(), rules: vec!["ocr-debris"] });
        assert!(value("合计38").rules.contains(&"ocr-debris"));
        assert_eq!(value("人4").text, "人4", "one digit: a piece of a wrapped figure, not a figure");
        assert!(value("合计费用38").rules.is_empty(), "three ideographs are a label, not debris");
        assert_eq!(code("0l"), Fixed { text: "01".into(), rules: vec!["ocr-confusion"] });
        assert_eq!(code("2O5").text, "205");
        assert!(code("合计").rules.is_empty() && code("l").rules.is_empty(), "one letter alone is no code to mend");
        assert_eq!(code("ol"), Fixed { text: "01".into(), rules: vec!["ocr-confusion"] });
        // Integer fragments are not decimals: left for the reader.
        assert_eq!(value("1 12.2").text, "1 12.2");
        assert_eq!(value("37. 73.").text, "37. 73.");
    }

    #[test]
    fn thousands_separator_and_full_width() {
        assert_eq!(value("91,016,775.35").text, "91016775.35");
        assert_eq!(value("91,016,775.35").rules, vec!["thousands-separator"]);
        assert_eq!(value("9.616.338314"), Fixed { text: "9616.338314".into(), rules: vec!["point-for-comma"] });
        assert_eq!(value("1.803.849.10").text, "1803849.10");
        assert!(value("1.80.849").rules.is_empty(), "groups of three between the points, or not a figure");
        assert!(value("0.000.000.00").rules.is_empty(), "three zeros run together are no grouped number");
        assert_eq!(value("１２.５０"), Fixed { text: "12.50".into(), rules: vec!["full-width"] });
    }

    #[test]
    fn ocr_debris_around_a_figure() {
        assert_eq!(value("509.01| |"), Fixed { text: "509.01".into(), rules: vec!["ocr-debris"] });
        assert_eq!(value("”198.30").text, "198.30");
        assert_eq!(value("|").text, "|", "debris alone is not a figure: left for the reader");
    }

    #[test]
    fn a_digit_read_as_a_letter_of_its_shape_is_the_digit() {
        assert_eq!(value("2O.00").text, "20.00");
        assert_eq!(value("2O.00").rules, ["ocr-confusion"]);
        assert_eq!(value("S79.89").text, "S79.89", "a 5 or a 6: no reading chosen");
        assert_eq!(value("1,2O8.20").text, "1208.20");
        for word in ["SO.OO", "S.00", "IS", "Sl.5", "OS79.89a"] {
            assert!(value(word).rules.is_empty(), "{word}");
        }
    }

    #[test]
    fn ocr_debris_around_a_code() {
        assert_eq!(code("02“"), Fixed { text: "02".into(), rules: vec!["ocr-debris"] });
        assert_eq!(code("|2130199").text, "2130199");
        assert_eq!(code("“").text, "“", "debris alone is not a code: left as read");
    }

    #[test]
    fn dash_blank() {
        assert_eq!(value("—"), Fixed { text: String::new(), rules: vec!["dash-blank"] });
        assert_eq!(value("-12.5").text, "-12.5");
    }

    #[test]
    fn label_dewrap_and_stray_number() {
        assert_eq!(label("一般公共服务 支出"), Fixed { text: "一般公共服务支出".into(), rules: vec!["label-dewrap"] });
        assert_eq!(label("31 本年支出合计"), Fixed { text: "本年支出合计".into(), rules: vec!["label-stray-number"] });
        assert_eq!(label("其中:教育科研人员因公出国 (境)费").text, "其中:教育科研人员因公出国(境)费");
        assert_eq!(label("政务公开审批").rules, Vec::<&str>::new());
    }

    #[test]
    fn code_name_split() {
        assert_eq!(
            split_code_name("2120899 其他国有土地使用权出让收入安排的支出"),
            Some(("2120899".into(), "其他国有土地使用权出让收入安排的支出".into()))
        );
        assert_eq!(split_code_name("2120899"), None);
        assert_eq!(split_code_name("12345678 名称"), None);
    }

    #[test]
    fn a_digit_a_space_after_a_whole_code_is_a_speck() {
        assert_eq!((code("22102 0").text.as_str(), code("22102 0").rules), ("22102", vec!["ocr-debris"]));
        assert_eq!(code("201 03 01").text, "2010301");
        assert_eq!(code("201 01").text, "20101", "a code printed in groups");
    }

    #[test]
    fn code_spaces() {
        assert_eq!(code("201 03 01").text, "2010301");
        assert_eq!(code("2010306").rules, Vec::<&str>::new());
    }

    #[test]
    fn punctuation_before_a_label_is_ocr_debris() {
        assert_eq!(
            label(",(一)因公出国(境)支出"),
            Fixed { text: "(一)因公出国(境)支出".into(), rules: vec!["ocr-debris"] }
        );
        assert_eq!(label("|一般公共服务支出").text, "一般公共服务支出");
        assert_eq!(label(";30399-其他对个人和家庭的补助").text, "30399-其他对个人和家庭的补助");
        assert_eq!(label(";30399").text, ";30399", "no name after the digits: no code's label");
        assert!(label("“三公”经费").rules.is_empty(), "a quote is printed");
        assert_eq!(label("其中:,(一)因公出国(境)支出").text, "其中:(一)因公出国(境)支出");
        assert!(label("(一)因公出国(境)支出").rules.is_empty());
        assert_eq!(label("SS一、社会保障和就业支出").text, "一、社会保障和就业支出");
        assert_eq!(label("Y(二)公务接待费").text, "(二)公务接待费");
        assert!(label("PPP项目支出").rules.is_empty(), "letters before a name are printed");
        assert_eq!(label("其中,(一)因公出国(境)支出").text, "其中:(一)因公出国(境)支出", "a colon read as a comma");
        assert_eq!(label("上+二、农林水支出").text, "十二、农林水支出", "十 read as a plus sign");
    }

    #[test]
    fn ocr_confusions_in_labels_are_undone() {
        assert_eq!(label("住房保障文出").text, "住房保障支出");
        assert_eq!(label("住房保障文出").rules, ["ocr-confusion"]);
        assert_eq!(label("1，一般公共预算资金").text, "1.一般公共预算资金");
        assert_eq!(label("一般公共服务支出").rules, Vec::<&str>::new());
    }
}
