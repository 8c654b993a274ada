//! A target value read as a comparison (`≥150件` → `>=`, 150, `件`).

use std::str::FromStr;
use std::sync::LazyLock;

use crate::pattern::Regex;
use rust_decimal::Decimal;

use crate::label::nfkc;
use crate::model::TargetValue;

/// A comparator, a number and what follows it.
static VALUE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"^(>=|<=|≥|≤|≧|≦|>|<|=|不低于|不少于|不高于|不超过|大于|小于|等于|达到)?([0-9]+(?:\.[0-9]+)?)(.*)$",
    )
    .expect("value pattern")
});

/// `≥150件` → (`>=`, 150, `件`); `None` for a date (`2023年底前`), words or a range.
pub fn parse_value(value: &str) -> Option<TargetValue> {
    let plain: String = nfkc(value).chars().filter(|c| !c.is_whitespace()).collect();
    let found = VALUE.captures(&plain)?;
    let unit = found[3].to_string();
    if unit.chars().any(|c| c.is_ascii_digit()) || unit.starts_with('年') || unit.starts_with('-') {
        return None;
    }
    let comparator = match found.get(1).map_or("", |m| m.as_str()) {
        ">=" | "≥" | "≧" | "不低于" | "不少于" | "达到" => ">=",
        "<=" | "≤" | "≦" | "不高于" | "不超过" => "<=",
        ">" | "大于" => ">",
        "<" | "小于" => "<",
        _ => "=",
    };
    Some(TargetValue { comparator: comparator.to_string(), number: Decimal::from_str(&found[2]).ok()?, unit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_as_comparisons_where_they_are_one() {
        let v = parse_value("≥ 150 件").unwrap();
        assert_eq!((v.comparator.as_str(), v.number.to_string().as_str(), v.unit.as_str()), (">=", "150", "件"));
        let v = parse_value("≤0.97万元").unwrap();
        assert_eq!((v.comparator.as_str(), v.number.to_string().as_str(), v.unit.as_str()), ("<=", "0.97", "万元"));
        assert_eq!(parse_value("100%").unwrap().comparator, "=");
        for words in ["2023 年底前", "好", "1-3个", ""] {
            assert!(parse_value(words).is_none(), "{words}");
        }
    }
}
