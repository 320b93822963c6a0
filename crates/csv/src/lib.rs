//! The one CSV cell writer of Plotwise, used by every CSV the project writes (the bill of
//! quantities, the signed register, the ballot-token list, the ballot exports): RFC 4180
//! quoting, and the guard against spreadsheet formulas.
//!
//! Text that a spreadsheet would run as a formula — starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return — gets a leading `'`, as OWASP advises for CSV injection, so Excel
//! and WPS show it as text. Names, unit ids and titles come from anyone's file or form, so
//! every text cell goes through [`text`]; numbers the program wrote itself go through
//! [`number`] and are never guarded (a negative amount stays a number).
//!
//! Hand-written on purpose: it is twelve lines, it must build for the browser without
//! pulling in a CSV crate, and the `csv` crate has no formula guard.

use std::borrow::Cow;

/// A text cell: the formula guard, then quotes when it holds a comma, a quote or a line
/// break (or begins or ends with a space, which some readers trim).
pub fn text(s: &str) -> Cow<'_, str> {
    let guarded: Cow<'_, str> = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    };
    if guarded.contains([',', '"', '\r', '\n']) || guarded.trim() != guarded {
        Cow::Owned(format!("\"{}\"", guarded.replace('"', "\"\"")))
    } else {
        guarded
    }
}

/// A cell the program made itself (a number, a fixed word): written as it is.
pub fn number(s: &str) -> &str {
    s
}

/// Appends one row of already-written cells and a line end (`\r\n`, as RFC 4180 says).
pub fn push_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(c.as_ref());
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_and_quotes_follow_rfc_4180() {
        assert_eq!(text("=1+1"), "'=1+1");
        assert_eq!(text("+86 139"), "'+86 139");
        assert_eq!(text("-1"), "'-1");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("\tx"), "'\tx");
        assert_eq!(
            text("=HYPERLINK(\"x\",\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
        assert_eq!(text("王, 阿姨"), "\"王, 阿姨\"");
        assert_eq!(text("two\nlines"), "\"two\nlines\"");
        assert_eq!(text(" padded"), "\" padded\"");
        assert_eq!(text("1-101"), "1-101");
        assert_eq!(number("-3.50"), "-3.50");
        let mut out = String::new();
        push_row(&mut out, &[text("a"), text("b,c")]);
        assert_eq!(out, "a,\"b,c\"\r\n");
    }
}
