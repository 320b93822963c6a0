//! CSV: a small RFC 4180 reader (quotes, doubled quotes, CRLF, a leading BOM) and the ballot
//! tables of DESIGN.md.
//!
//! A ballot table has a header row of alternative names and one row per ballot. A cell is:
//! - for ranked ballots, a rank (1 = first; equal numbers = tied; empty = unranked; ranks need
//!   not be consecutive);
//! - for approval ballots, `1` (approved) or `0` (empty counts as 0);
//! - for score ballots, an integer score (empty counts as 0).
//!
//! Blank lines are skipped. Errors name the line (1-based, the header is line 1) and column.

use std::fmt::Write as _;

use thiserror::Error;

use crate::ballot::{Approval, Ballot, Profile, ProfileBuilder, ProfileError, Ranking, Scores};

/// A CSV record: its 1-based starting line and its fields.
pub type Record = (usize, Vec<String>);

/// An error in a CSV file, naming the line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {kind}")]
pub struct CsvError {
    /// The 1-based line.
    pub line: usize,
    /// What is wrong.
    pub kind: CsvErrorKind,
}

/// What is wrong in a CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CsvErrorKind {
    /// A quoted field is not closed.
    #[error("a quoted field is not closed")]
    UnclosedQuote,
    /// A quote appears inside an unquoted field, or text follows a closing quote.
    #[error("stray quote character")]
    StrayQuote,
    /// The file has no header row.
    #[error("the file is empty: a header row of alternative names is needed")]
    Empty,
    /// The header is not a valid list of alternatives.
    #[error("header: {0}")]
    Header(ProfileError),
    /// A row has the wrong number of cells.
    #[error("{got} cells, but the header names {expected} alternatives")]
    Width {
        /// Cells in the row.
        got: usize,
        /// Alternatives in the header.
        expected: usize,
    },
    /// A cell cannot be read.
    #[error("column {column} ({alternative:?}): {problem}")]
    Cell {
        /// The 1-based column.
        column: usize,
        /// The alternative of that column.
        alternative: String,
        /// What is wrong.
        problem: String,
    },
    /// The ballots do not fit in a profile.
    #[error("{0}")]
    Profile(ProfileError),
}

/// Splits CSV text into records. Blank lines (outside quotes) are skipped.
pub fn records(text: &str) -> Result<Vec<Record>, CsvError> {
    Records::new(text).collect()
}

/// The records of CSV text, one at a time (a large file is never split all at once).
#[derive(Debug, Clone)]
pub struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    failed: bool,
}

impl<'a> Records<'a> {
    /// Starts reading `text` (a leading byte-order mark is skipped).
    pub fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Records {
            chars: text.chars().peekable(),
            line: 1,
            failed: false,
        }
    }

    fn fail(&mut self, line: usize, kind: CsvErrorKind) -> Option<Result<Record, CsvError>> {
        self.failed = true;
        Some(Err(CsvError { line, kind }))
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let mut fields: Vec<String> = Vec::new();
        let mut field = String::new();
        let mut start_line = self.line;
        let mut in_quotes = false;
        let mut after_quote = false;
        let mut row_has_content = false;
        while let Some(c) = self.chars.next() {
            if in_quotes {
                match c {
                    '"' if self.chars.peek() == Some(&'"') => {
                        self.chars.next();
                        field.push('"');
                    }
                    '"' => {
                        in_quotes = false;
                        after_quote = true;
                    }
                    '\n' => {
                        self.line += 1;
                        field.push('\n');
                    }
                    _ => field.push(c),
                }
                continue;
            }
            match c {
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    after_quote = false;
                    row_has_content = true;
                }
                '\r' if self.chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    self.line += 1;
                    if row_has_content || !field.is_empty() || !fields.is_empty() {
                        fields.push(field);
                        return Some(Ok((start_line, fields)));
                    }
                    start_line = self.line;
                    after_quote = false;
                }
                '"' if field.is_empty() && !after_quote => {
                    in_quotes = true;
                    row_has_content = true;
                }
                _ if c == '"' || after_quote => {
                    let line = self.line;
                    return self.fail(line, CsvErrorKind::StrayQuote);
                }
                _ => field.push(c),
            }
        }
        if in_quotes {
            return self.fail(start_line, CsvErrorKind::UnclosedQuote);
        }
        if row_has_content || !field.is_empty() || !fields.is_empty() {
            fields.push(field);
            return Some(Ok((start_line, fields)));
        }
        None
    }
}

/// Quotes a field when it holds a comma, quote, line break or outer spaces.
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) || field.trim() != field {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

fn header(recs: &mut Records<'_>) -> Result<Vec<String>, CsvError> {
    let (line, names) = recs.next().unwrap_or(Err(CsvError {
        line: 1,
        kind: CsvErrorKind::Empty,
    }))?;
    let names: Vec<String> = names.iter().map(|n| n.trim().to_owned()).collect();
    crate::ballot::check_alternatives(&names).map_err(|e| CsvError {
        line,
        kind: CsvErrorKind::Header(e),
    })?;
    Ok(names)
}

fn read_table<B: Ballot>(
    text: &str,
    mut cell: impl FnMut(&str) -> Result<Option<i64>, String>,
    make: impl Fn(&[Option<i64>]) -> Result<B, String>,
) -> Result<Profile<B>, CsvError> {
    let mut recs = Records::new(text);
    let names = header(&mut recs)?;
    let m = names.len();
    let mut builder = ProfileBuilder::new(names.clone()).map_err(|e| CsvError {
        line: 1,
        kind: CsvErrorKind::Header(e),
    })?;
    let mut values = vec![None; m];
    for rec in recs {
        let (line, row) = rec?;
        let line = &line;
        if row.len() != m {
            return Err(CsvError {
                line: *line,
                kind: CsvErrorKind::Width {
                    got: row.len(),
                    expected: m,
                },
            });
        }
        for (i, c) in row.iter().enumerate() {
            values[i] = cell(c.trim()).map_err(|problem| CsvError {
                line: *line,
                kind: CsvErrorKind::Cell {
                    column: i + 1,
                    alternative: names[i].clone(),
                    problem,
                },
            })?;
        }
        let ballot = make(&values).map_err(|problem| CsvError {
            line: *line,
            kind: CsvErrorKind::Cell {
                column: 0,
                alternative: String::new(),
                problem,
            },
        })?;
        builder.add_one(&ballot).map_err(|e| CsvError {
            line: *line,
            kind: CsvErrorKind::Profile(e),
        })?;
    }
    Ok(builder.build())
}

/// Reads a ranked ballot table.
///
/// # Examples
/// ```
/// let p = plotwise_vote::csv::read_ranked("Garden,Parking,Plaza\n1,2,\n2,1,1\n").unwrap();
/// assert_eq!(p.voters(), 2);
/// ```
pub fn read_ranked(text: &str) -> Result<Profile<Ranking>, CsvError> {
    read_table(
        text,
        |c| {
            if c.is_empty() {
                return Ok(None);
            }
            match c.parse::<u32>() {
                Ok(r) if r >= 1 => Ok(Some(i64::from(r))),
                _ => Err(format!(
                    "rank {c:?} is not a whole number from 1 up (leave the cell empty for unranked)"
                )),
            }
        },
        |v| {
            let ranks: Vec<Option<u64>> = v.iter().map(|r| r.map(|r| r as u64)).collect();
            Ranking::from_ranks(&ranks).map_err(|e| e.to_string())
        },
    )
}

/// Reads an approval ballot table (`1` approved, `0` or empty not).
pub fn read_approval(text: &str) -> Result<Profile<Approval>, CsvError> {
    read_table(
        text,
        |c| match c {
            "1" => Ok(Some(1)),
            "0" | "" => Ok(Some(0)),
            _ => Err(format!("{c:?} is not 1 (approved) or 0 (not approved)")),
        },
        |v| {
            Approval::new((0..v.len()).filter(|&i| v[i] == Some(1)), v.len())
                .map_err(|e| e.to_string())
        },
    )
}

/// Reads a score ballot table (integers; empty counts as 0).
pub fn read_scores(text: &str) -> Result<Profile<Scores>, CsvError> {
    read_table(
        text,
        |c| {
            if c.is_empty() {
                return Ok(Some(0));
            }
            c.parse::<i64>()
                .map(Some)
                .map_err(|_| format!("score {c:?} is not an integer"))
        },
        |v| Ok(Scores::new(v.iter().map(|s| s.unwrap_or(0)).collect())),
    )
}

fn write_header(out: &mut String, names: &[String]) {
    let cells: Vec<String> = names.iter().map(|n| quote(n)).collect();
    let _ = writeln!(out, "{}", cells.join(","));
}

fn write_rows<B: Ballot>(p: &Profile<B>, out: &mut String, row: impl Fn(&B) -> String) {
    for (b, count) in p.entries() {
        let mut line = row(b);
        if line.is_empty() {
            // One empty cell (a ballot ranking nothing of one alternative): a blank line would
            // be skipped on reading, losing the ballot (found by fuzzing).
            line.push_str("\"\"");
        }
        for _ in 0..*count {
            out.push_str(&line);
            out.push('\n');
        }
    }
}

/// Writes ranked ballots as a table, one row per voter (ranks 1, 2, … per group).
pub fn write_ranked(p: &Profile<Ranking>) -> String {
    let mut out = String::new();
    write_header(&mut out, p.alternatives());
    let m = p.alternatives().len();
    write_rows(p, &mut out, |r| {
        let pos = r.positions(m);
        pos.iter()
            .map(|&g| {
                if g == u32::MAX {
                    String::new()
                } else {
                    (g + 1).to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    });
    out
}

/// Writes approval ballots as a table of 1/0, one row per voter.
pub fn write_approval(p: &Profile<Approval>) -> String {
    let mut out = String::new();
    write_header(&mut out, p.alternatives());
    let m = p.alternatives().len();
    write_rows(p, &mut out, |b| {
        let mut cells = vec!["0"; m];
        for &a in b.approved() {
            cells[a as usize] = "1";
        }
        cells.join(",")
    });
    out
}

/// Writes score ballots as a table of integers, one row per voter.
pub fn write_scores(p: &Profile<Scores>) -> String {
    let mut out = String::new();
    write_header(&mut out, p.alternatives());
    write_rows(p, &mut out, |b| {
        b.scores()
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(",")
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_handle_quotes_crlf_and_bom() {
        let r = records("\u{feff}a,\"b, c\"\r\n\r\n\"say \"\"hi\"\"\",x\n").unwrap();
        assert_eq!(
            r,
            vec![
                (1, vec!["a".to_string(), "b, c".to_string()]),
                (3, vec!["say \"hi\"".to_string(), "x".to_string()]),
            ]
        );
        assert_eq!(
            records("a,\"b\nc").unwrap_err(),
            CsvError {
                line: 1,
                kind: CsvErrorKind::UnclosedQuote
            }
        );
        assert_eq!(records("a,b\"c\n").unwrap_err().line, 1);
    }

    #[test]
    fn ranked_table_with_ties_and_blanks() {
        let p = read_ranked("A,B,C\n1,1,\n2,1,3\n").unwrap();
        assert_eq!(p.voters(), 2);
        let groups: Vec<Vec<Vec<usize>>> = p.entries().iter().map(|(r, _)| r.to_groups()).collect();
        assert!(groups.contains(&vec![vec![0, 1]]));
        assert!(groups.contains(&vec![vec![1], vec![0], vec![2]]));
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = read_ranked("A,B\n1,2\n1,x\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().contains("column 2 (\"B\")"), "{e}");
        let e = read_ranked("A,B\n1\n").unwrap_err();
        assert_eq!(
            e.kind,
            CsvErrorKind::Width {
                got: 1,
                expected: 2
            }
        );
        let e = read_approval("A,B\n1,2\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(read_ranked("A,A\n1,2\n").is_err());
        assert!(read_ranked("").is_err());
        assert!(read_ranked("A,B\n0,1\n").is_err());
    }

    #[test]
    fn round_trips() {
        let text = "\"Lawn, north\",Garden,Pergola\n1,2,2\n1,2,2\n,1,\n";
        let p = read_ranked(text).unwrap();
        let again = read_ranked(&write_ranked(&p)).unwrap();
        assert_eq!(p, again);
        let a = read_approval("x,y\n1,0\n,1\n1,1\n").unwrap();
        assert_eq!(read_approval(&write_approval(&a)).unwrap(), a);
        let s = read_scores("x,y\n3,-1\n,7\n").unwrap();
        assert_eq!(read_scores(&write_scores(&s)).unwrap(), s);
    }
}
