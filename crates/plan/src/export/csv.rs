//! The bill of quantities as CSV, for a spreadsheet.
//!
//! UTF-8 with a byte-order mark (so Excel reads the Chinese descriptions as UTF-8), CRLF line
//! ends and RFC 4180 quoting: a field containing a comma, a double quote, CR or LF is put in
//! double quotes with its quotes doubled. Amounts and quantities have two decimals. The columns:
//!
//! `item,description_zh,description_en,quantity,unit,unit_price,currency,total,price_source,ids`
//!
//! then one row per [`CostLine`](crate::metrics::CostLine) (elements first, then surfaces, as
//! [`metrics`](crate::metrics::metrics) orders them) and a final row with `TOTAL` in `item` and
//! the bill's total in `total`. `ids` lists the zones or elements counted, separated by spaces.

use crate::catalogue::Catalogue;
use crate::metrics::{BillOfQuantities, metrics};
use crate::model::Layout;
use crate::rules::RuleSet;

/// The header row (without the line end).
pub const HEADER: &str =
    "item,description_zh,description_en,quantity,unit,unit_price,currency,total,price_source,ids";

/// The `item` of the last row, which carries the total.
pub const TOTAL_ITEM: &str = "TOTAL";

/// The bill of quantities of `layout` (priced from `catalogue`) as CSV text, starting with a
/// byte-order mark.
///
/// # Examples
/// ```
/// use plotwise_plan::{Catalogue, RuleSet};
/// use plotwise_plan::export::csv::bill_of_quantities_csv;
/// use plotwise_plan::import::geojson::import_layout;
/// let sample = plotwise_plan::samples::sample("guonian-layout-example").unwrap();
/// let layout = import_layout(sample.geojson()).unwrap();
/// let csv = bill_of_quantities_csv(&layout, &RuleSet::default(), &Catalogue::builtin());
/// assert!(csv.starts_with("\u{FEFF}item,description_zh,"));
/// ```
pub fn bill_of_quantities_csv(layout: &Layout, rules: &RuleSet, catalogue: &Catalogue) -> String {
    bill_csv(&metrics(layout, rules, catalogue).cost)
}

/// A bill of quantities as CSV text (what [`bill_of_quantities_csv`] writes).
pub fn bill_csv(bill: &BillOfQuantities) -> String {
    let mut out = String::from("\u{FEFF}");
    out.push_str(HEADER);
    out.push_str("\r\n");
    for line in &bill.lines {
        let fields = [
            field(&line.item),
            field(&line.description.zh),
            field(&line.description.en),
            number(line.quantity),
            field(&line.unit),
            number(line.unit_price),
            field(&bill.currency),
            number(line.total),
            field(&line.source),
            field(&line.ids.join(" ")),
        ];
        push_row(&mut out, &fields);
    }
    let total = [
        TOTAL_ITEM.to_owned(),
        "合计".to_owned(),
        "Total".to_owned(),
        String::new(),
        String::new(),
        String::new(),
        field(&bill.currency),
        number(bill.total),
        if bill.has_estimates {
            "includes estimates".to_owned()
        } else {
            String::new()
        },
        String::new(),
    ];
    push_row(&mut out, &total);
    out
}

fn push_row(out: &mut String, fields: &[String]) {
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// One text field: `plotwise-csv`'s cell writer (RFC 4180 quoting and the spreadsheet
/// formula guard, shared by every CSV the project writes). Numbers are written by [`number`].
fn field(s: &str) -> String {
    plotwise_csv::text(s).into_owned()
}

/// A number with two decimals (never `-0.00`).
fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    if s == "-0.00" { "0.00".to_owned() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::CostLine;
    use crate::text::Text;

    /// A small RFC 4180 reader: rows of fields, quotes undone.
    fn read(csv: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = csv.chars().peekable();
        while let Some(c) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        cur.push('"');
                    }
                    '"' => quoted = false,
                    c => cur.push(c),
                }
                continue;
            }
            match c {
                '"' => {
                    assert!(cur.is_empty(), "a quote inside an unquoted field: {cur}");
                    quoted = true;
                }
                ',' => row.push(std::mem::take(&mut cur)),
                '\r' => assert_eq!(chars.next(), Some('\n'), "CR without LF"),
                '\n' => panic!("a bare LF line end"),
                c => cur.push(c),
            }
            if c == '\r' {
                row.push(std::mem::take(&mut cur));
                rows.push(std::mem::take(&mut row));
            }
        }
        assert!(!quoted, "unterminated quote");
        assert!(
            cur.is_empty() && row.is_empty(),
            "no line end after the last row"
        );
        rows
    }

    fn body(csv: &str) -> Vec<Vec<String>> {
        let text = csv.strip_prefix('\u{FEFF}').expect("a byte-order mark");
        let rows = read(text);
        assert_eq!(rows[0].join(","), HEADER);
        for r in &rows {
            assert_eq!(r.len(), 10, "{r:?}");
        }
        rows[1..].to_vec()
    }

    fn cents(s: &str) -> i64 {
        let (whole, frac) = s.split_once('.').expect("two decimals");
        assert_eq!(frac.len(), 2, "{s}");
        let sign = if whole.starts_with('-') { -1 } else { 1 };
        let whole: i64 = whole.parse().unwrap();
        whole * 100 + sign * frac.parse::<i64>().unwrap()
    }

    fn line(item: &str, en: &str, zh: &str, q: f64, price: f64) -> CostLine {
        CostLine {
            item: item.to_owned(),
            description: Text::new(en, zh),
            quantity: q,
            unit: "each".to_owned(),
            unit_price: price,
            total: (q * price * 100.0).round() / 100.0,
            source: "estimate".to_owned(),
            ids: vec!["e1".to_owned(), "e2".to_owned()],
        }
    }

    #[test]
    fn quotes_commas_quotes_and_line_breaks() {
        let bill = BillOfQuantities {
            currency: "CNY".to_owned(),
            lines: vec![
                line(
                    "bench",
                    "Bench, \"park\" style",
                    "长椅，\"公园\"款",
                    2.0,
                    850.0,
                ),
                line("sign", "Sign\r\nboard", "标识牌", 1.0, 120.5),
            ],
            total: 1820.5,
            has_estimates: true,
        };
        let csv = bill_csv(&bill);
        assert!(
            csv.contains("bench,\"长椅，\"\"公园\"\"款\",\"Bench, \"\"park\"\" style\",2.00,each,850.00,CNY,1700.00,estimate,e1 e2\r\n"),
            "{csv}"
        );
        assert!(csv.contains("\"Sign\r\nboard\""), "{csv}");
        let rows = body(&csv);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][1], "长椅，\"公园\"款");
        assert_eq!(rows[0][2], "Bench, \"park\" style");
        assert_eq!(rows[1][2], "Sign\r\nboard");
        assert_eq!(rows[1][5], "120.50");
        assert_eq!(rows[2][0], TOTAL_ITEM);
        assert_eq!(rows[2][7], "1820.50");
        assert_eq!(rows[2][8], "includes estimates");
    }

    #[test]
    fn plain_fields_are_not_quoted_and_no_negative_zero() {
        assert_eq!(field("m2"), "m2");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-e1"), "'-e1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("e-1"), "e-1");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(number(-0.0), "0.00");
        assert_eq!(number(1234.5), "1234.50");
        assert_eq!(number(0.125 + 0.001), "0.13");
    }

    #[test]
    fn guonian_example_has_a_row_per_cost_line_and_the_total_is_the_sum() {
        let sample = crate::samples::sample("guonian-layout-example").expect("the sample");
        let layout = crate::import::geojson::import_layout(sample.geojson()).expect("imports");
        let rules = RuleSet::default();
        let catalogue = Catalogue::builtin();
        let bill = metrics(&layout, &rules, &catalogue).cost;
        assert!(bill.lines.len() >= 3, "{bill:?}");
        let csv = bill_of_quantities_csv(&layout, &rules, &catalogue);
        let rows = body(&csv);
        assert_eq!(rows.len(), bill.lines.len() + 1);
        for (row, l) in rows.iter().zip(&bill.lines) {
            assert_eq!(row[0], l.item);
            assert_eq!(row[1], l.description.zh);
            assert_eq!(row[2], l.description.en);
            assert_eq!(row[4], l.unit);
            assert_eq!(row[6], bill.currency);
            assert_eq!(row[8], l.source);
            assert_eq!(row[9], l.ids.join(" "));
            assert!((row[3].parse::<f64>().unwrap() - l.quantity).abs() <= 0.005);
            assert!((row[5].parse::<f64>().unwrap() - l.unit_price).abs() <= 0.005);
            assert_eq!(cents(&row[7]), (l.total * 100.0).round() as i64);
        }
        let (total, lines) = rows.split_last().unwrap();
        assert_eq!(total[0], TOTAL_ITEM);
        assert!(cents(&total[7]) > 0);
        assert_eq!(
            cents(&total[7]),
            lines.iter().map(|r| cents(&r[7])).sum::<i64>(),
            "the TOTAL row is the sum of the line totals"
        );
    }
}
