//! PrefLib files (<https://www.preflib.org/format>): `.soc`, `.soi` (strict orders, complete or
//! incomplete), `.toc`, `.toi` (orders with ties, complete or incomplete) and `.cat`
//! (categorical preferences).
//!
//! Alternatives are named by the `# ALTERNATIVE NAME i:` lines; a data line is `count: order`,
//! where the order lists 1-based alternatives separated by commas and a tied group (or a
//! category) is written `{a,b}` (`{}` for an empty category). The reader checks the data
//! against the declared type (a `.soc` line must be a complete strict order, …) and the
//! declared `NUMBER VOTERS`, and names the line of any problem.
//!
//! The writers put every name and header value on one line: control characters become spaces,
//! ends are trimmed, and names that become empty or equal to another get a number
//! ([`header_names`]). A title with a line break therefore never adds a line (a forged
//! `# NUMBER VOTERS`, a ballot) to an audit export, and every export reads back, with our reader
//! and with PrefLib's reference reader `preflibtools`, to the same ballots.

use std::fmt::Write as _;
use std::str::FromStr;

use thiserror::Error;

use crate::ballot::{
    Approval, Categorized, Profile, ProfileBuilder, ProfileError, Ranking, check_alternatives,
};

/// The PrefLib data types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PreflibKind {
    /// Strict orders, complete.
    Soc,
    /// Strict orders, incomplete.
    Soi,
    /// Orders with ties, complete.
    Toc,
    /// Orders with ties, incomplete.
    Toi,
    /// Categorical preferences.
    Cat,
}

impl PreflibKind {
    /// The extension and `DATA TYPE` value, e.g. `toc`.
    pub fn as_str(self) -> &'static str {
        match self {
            PreflibKind::Soc => "soc",
            PreflibKind::Soi => "soi",
            PreflibKind::Toc => "toc",
            PreflibKind::Toi => "toi",
            PreflibKind::Cat => "cat",
        }
    }

    /// The narrowest order type that holds every ballot of `p`.
    pub fn narrowest(p: &Profile<Ranking>) -> PreflibKind {
        let m = p.alternatives().len();
        let strict = p.entries().iter().all(|(r, _)| r.is_strict());
        let complete = p.entries().iter().all(|(r, _)| r.is_complete(m));
        match (strict, complete) {
            (true, true) => PreflibKind::Soc,
            (true, false) => PreflibKind::Soi,
            (false, true) => PreflibKind::Toc,
            (false, false) => PreflibKind::Toi,
        }
    }
}

impl FromStr for PreflibKind {
    type Err = PreflibError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "soc" => PreflibKind::Soc,
            "soi" => PreflibKind::Soi,
            "toc" => PreflibKind::Toc,
            "toi" => PreflibKind::Toi,
            "cat" => PreflibKind::Cat,
            other => {
                return Err(PreflibError {
                    line: 0,
                    kind: PreflibErrorKind::UnknownType(other.to_owned()),
                });
            }
        })
    }
}

/// An error in a PrefLib file, naming the line (0 when it concerns the whole file).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}{kind}", if *.line > 0 { format!("line {}: ", .line) } else { String::new() })]
pub struct PreflibError {
    /// The 1-based line, or 0 for the whole file.
    pub line: usize,
    /// What is wrong.
    pub kind: PreflibErrorKind,
}

/// What is wrong in a PrefLib file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PreflibErrorKind {
    /// The data type is not one of soc, soi, toc, toi, cat.
    #[error("unknown PrefLib data type {0:?} (expected soc, soi, toc, toi or cat)")]
    UnknownType(String),
    /// Neither a `DATA TYPE` line nor the caller says what the file holds.
    #[error("no '# DATA TYPE:' line and no file extension to tell the type")]
    NoType,
    /// A header line with a number cannot be read.
    #[error("{0}")]
    Header(String),
    /// An alternative has no `ALTERNATIVE NAME` line.
    #[error("alternative {0} has no '# ALTERNATIVE NAME {0}:' line")]
    MissingName(usize),
    /// The alternatives' names are not usable.
    #[error("{0}")]
    Names(ProfileError),
    /// A data line is not `count: order`.
    #[error("{0}")]
    Syntax(String),
    /// An order breaks the declared type.
    #[error("{0}")]
    Type(String),
    /// The counts do not add up to `NUMBER VOTERS`.
    #[error("the counts add up to {counted} voters, but the header says {declared}")]
    VoterCount {
        /// Sum of the counts.
        counted: u64,
        /// The declared `NUMBER VOTERS`.
        declared: u64,
    },
    /// The ballots do not fit in a profile.
    #[error("{0}")]
    Profile(ProfileError),
}

fn err(line: usize, kind: PreflibErrorKind) -> PreflibError {
    PreflibError { line, kind }
}

/// The ballots of a PrefLib file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreflibData {
    /// Orders (`.soc`, `.soi`, `.toc`, `.toi`).
    Orders(Profile<Ranking>),
    /// Categorical preferences (`.cat`) with the categories' names.
    Categories {
        /// The categories' names, first category first.
        names: Vec<String>,
        /// The ballots.
        profile: Profile<Categorized>,
    },
}

/// A PrefLib file: its type, its header lines and its ballots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflibFile {
    /// The data type.
    pub kind: PreflibKind,
    /// The header lines other than the counts and names, as `(key, value)`, in file order.
    pub metadata: Vec<(String, String)>,
    /// The ballots.
    pub data: PreflibData,
}

impl PreflibFile {
    /// The ballots read as rankings: orders as they are, categories as a weak order (first
    /// category on top; empty categories skipped).
    pub fn ranked(&self) -> Profile<Ranking> {
        match &self.data {
            PreflibData::Orders(p) => p.clone(),
            PreflibData::Categories { profile, .. } => profile.map(Categorized::to_ranking),
        }
    }

    /// The ballots read as approvals, for `.cat` files only: the first category is "approved".
    pub fn approval(&self) -> Option<Profile<Approval>> {
        match &self.data {
            PreflibData::Orders(_) => None,
            PreflibData::Categories { profile, .. } => Some(profile.map(Categorized::to_approval)),
        }
    }

    /// The alternatives' names.
    pub fn alternatives(&self) -> &[String] {
        match &self.data {
            PreflibData::Orders(p) => p.alternatives(),
            PreflibData::Categories { profile, .. } => profile.alternatives(),
        }
    }
}

/// Splits `a,{b,c},d` into groups at top-level commas.
fn groups(body: &str) -> Result<Vec<Vec<usize>>, String> {
    let mut out = Vec::new();
    let mut rest = body.trim();
    if rest.is_empty() {
        return Ok(out);
    }
    loop {
        let (item, tail) = if let Some(inner) = rest.strip_prefix('{') {
            let close = inner
                .find('}')
                .ok_or_else(|| format!("a '{{' is not closed in {body:?}"))?;
            (&inner[..close], inner[close + 1..].trim_start())
        } else {
            match rest.find(',') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            }
        };
        let mut g = Vec::new();
        for tok in item.split(',') {
            let tok = tok.trim();
            if tok.is_empty() {
                if rest.starts_with('{') && item.trim().is_empty() {
                    continue;
                }
                return Err(format!("an empty entry in {body:?}"));
            }
            let a: usize = tok
                .parse()
                .map_err(|_| format!("{tok:?} is not an alternative number"))?;
            if a == 0 {
                return Err("alternatives are numbered from 1".into());
            }
            g.push(a - 1);
        }
        out.push(g);
        if tail.is_empty() {
            break;
        }
        rest = tail
            .strip_prefix(',')
            .ok_or_else(|| format!("expected ',' before {tail:?}"))?
            .trim_start();
        if rest.is_empty() {
            return Err(format!("a trailing ',' in {body:?}"));
        }
    }
    Ok(out)
}

fn header_number(line: usize, key: &str, value: &str) -> Result<u64, PreflibError> {
    value.trim().parse().map_err(|_| {
        err(
            line,
            PreflibErrorKind::Header(format!("{key}: {value:?} is not a whole number")),
        )
    })
}

/// Reads a PrefLib file. `hint` is the type from the file's extension, used when the file has
/// no `# DATA TYPE:` line (the line wins when both exist).
///
/// # Examples
/// ```
/// use plotwise_vote::preflib::{parse, PreflibKind};
/// let text = [
///     "# DATA TYPE: toi",
///     "# NUMBER ALTERNATIVES: 3",
///     "# ALTERNATIVE NAME 1: Garden",
///     "# ALTERNATIVE NAME 2: Parking",
///     "# ALTERNATIVE NAME 3: Plaza",
///     "5: 1,{2,3}",
///     "2: 3",
/// ]
/// .join("\n");
/// let f = parse(&text, None).unwrap();
/// assert_eq!(f.kind, PreflibKind::Toi);
/// assert_eq!(f.ranked().voters(), 7);
/// ```
pub fn parse(text: &str, hint: Option<PreflibKind>) -> Result<PreflibFile, PreflibError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut kind = None;
    let mut n_alts: Option<(usize, u64)> = None;
    let mut n_voters: Option<u64> = None;
    let mut n_cats: Option<(usize, u64)> = None;
    let mut alt_names: Vec<(usize, usize, String)> = Vec::new();
    let mut cat_names: Vec<(usize, usize, String)> = Vec::new();
    let mut metadata = Vec::new();
    // Data lines are kept as text and read one by one into the profile below, so a large
    // file is never held twice.
    let mut data_lines: Vec<(usize, u64, &str)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(h) = l.strip_prefix('#') {
            let Some((key, value)) = h.split_once(':') else {
                continue;
            };
            let key = key.trim();
            let value = value.trim();
            let upper = key.to_ascii_uppercase();
            if upper == "DATA TYPE" {
                kind = Some(
                    value
                        .parse::<PreflibKind>()
                        .map_err(|e| err(line, e.kind))?,
                );
            } else if upper == "NUMBER ALTERNATIVES" {
                n_alts = Some((line, header_number(line, key, value)?));
            } else if upper == "NUMBER VOTERS" {
                n_voters = Some(header_number(line, key, value)?);
            } else if upper == "NUMBER CATEGORIES" {
                n_cats = Some((line, header_number(line, key, value)?));
            } else if let Some(n) = upper.strip_prefix("ALTERNATIVE NAME ") {
                let idx = header_number(line, key, n)? as usize;
                alt_names.push((line, idx, value.to_owned()));
            } else if let Some(n) = upper.strip_prefix("CATEGORY NAME ") {
                let idx = header_number(line, key, n)? as usize;
                cat_names.push((line, idx, value.to_owned()));
            } else if !upper.starts_with("NUMBER UNIQUE") {
                metadata.push((key.to_owned(), value.to_owned()));
            }
            continue;
        }
        let (count, body) = l.split_once(':').ok_or_else(|| {
            err(
                line,
                PreflibErrorKind::Syntax(format!("expected 'count: order', found {l:?}")),
            )
        })?;
        let count: u64 = count.trim().parse().map_err(|_| {
            err(
                line,
                PreflibErrorKind::Syntax(format!("count {:?} is not a whole number", count.trim())),
            )
        })?;
        data_lines.push((line, count, body));
    }
    let kind = kind.or(hint).ok_or(err(0, PreflibErrorKind::NoType))?;

    // Names: NUMBER ALTERNATIVES, else the largest named index.
    let m = match n_alts {
        Some((line, n)) => {
            if n as usize > crate::MAX_ALTERNATIVES {
                return Err(err(
                    line,
                    PreflibErrorKind::Names(ProfileError::TooManyAlternatives(n as usize)),
                ));
            }
            n as usize
        }
        // Bounded like NUMBER ALTERNATIVES: `# ALTERNATIVE NAME 99999999999999:` alone
        // must not ask for room for that many names (found by fuzzing).
        None => match alt_names.iter().max_by_key(|(_, i, _)| *i) {
            Some(&(line, i, _)) if i > crate::MAX_ALTERNATIVES => {
                return Err(err(
                    line,
                    PreflibErrorKind::Names(ProfileError::TooManyAlternatives(i)),
                ));
            }
            Some(&(_, i, _)) => i,
            None => 0,
        },
    };
    let mut names = vec![None; m];
    for (line, idx, name) in alt_names {
        if idx == 0 || idx > m {
            return Err(err(
                line,
                PreflibErrorKind::Header(format!(
                    "ALTERNATIVE NAME {idx}: there are {m} alternatives"
                )),
            ));
        }
        names[idx - 1] = Some(name);
    }
    let names: Vec<String> = names
        .into_iter()
        .enumerate()
        .map(|(i, n)| n.ok_or(err(0, PreflibErrorKind::MissingName(i + 1))))
        .collect::<Result<_, _>>()?;
    check_alternatives(&names).map_err(|e| err(0, PreflibErrorKind::Names(e)))?;

    let counted = data_lines
        .iter()
        .try_fold(0u64, |acc, (_, c, _)| acc.checked_add(*c));
    if let Some(declared) = n_voters {
        let counted = counted.ok_or(err(
            0,
            PreflibErrorKind::Profile(ProfileError::TooManyVoters),
        ))?;
        if counted != declared {
            return Err(err(0, PreflibErrorKind::VoterCount { counted, declared }));
        }
    }

    let data = if kind == PreflibKind::Cat {
        let c = match n_cats {
            Some((line, c)) if c == 0 || c > 1000 => {
                return Err(err(
                    line,
                    PreflibErrorKind::Header(format!(
                        "NUMBER CATEGORIES: {c} is not from 1 to 1000"
                    )),
                ));
            }
            Some((_, c)) => Some(c as usize),
            None => None,
        };
        let c = c
            .or_else(|| {
                data_lines
                    .iter()
                    .filter_map(|(_, _, body)| groups(body).ok().map(|g| g.len()))
                    .max()
            })
            .unwrap_or(0);
        if c == 0 {
            // As `NUMBER CATEGORIES: 0` is refused: a file of no categories cannot be written
            // back (found by fuzzing).
            return Err(err(
                0,
                PreflibErrorKind::Header(
                    "no '# NUMBER CATEGORIES:' line and no ballot with a category (a .cat file has 1 to 1000 categories)".into(),
                ),
            ));
        }
        let mut cnames = vec![None; c];
        for (line, idx, name) in cat_names {
            if idx == 0 || idx > c {
                return Err(err(
                    line,
                    PreflibErrorKind::Header(format!(
                        "CATEGORY NAME {idx}: there are {c} categories"
                    )),
                ));
            }
            cnames[idx - 1] = Some(name);
        }
        let cnames: Vec<String> = cnames
            .into_iter()
            .enumerate()
            .map(|(i, n)| n.unwrap_or_else(|| format!("Category {}", i + 1)))
            .collect();
        let mut b = ProfileBuilder::new(names).map_err(|e| err(0, PreflibErrorKind::Names(e)))?;
        for (line, count, body) in data_lines {
            let g = groups(body).map_err(|e| err(line, PreflibErrorKind::Syntax(e)))?;
            if g.len() != c {
                return Err(err(
                    line,
                    PreflibErrorKind::Type(format!("{} categories, but the file has {c}", g.len())),
                ));
            }
            let ballot = Categorized::new(&g, m)
                .map_err(|e| err(line, PreflibErrorKind::Syntax(e.to_string())))?;
            b.add(ballot, count)
                .map_err(|e| err(line, PreflibErrorKind::Profile(e)))?;
        }
        PreflibData::Categories {
            names: cnames,
            profile: b.build(),
        }
    } else {
        let strict = matches!(kind, PreflibKind::Soc | PreflibKind::Soi);
        let complete = matches!(kind, PreflibKind::Soc | PreflibKind::Toc);
        let mut b = ProfileBuilder::new(names).map_err(|e| err(0, PreflibErrorKind::Names(e)))?;
        for (line, count, body) in data_lines {
            let g = groups(body).map_err(|e| err(line, PreflibErrorKind::Syntax(e)))?;
            if g.iter().any(|g| g.is_empty()) {
                return Err(err(
                    line,
                    PreflibErrorKind::Syntax("an empty group '{}' in an order".into()),
                ));
            }
            let r = Ranking::new(g, m)
                .map_err(|e| err(line, PreflibErrorKind::Syntax(e.to_string())))?;
            if strict && !r.is_strict() {
                return Err(err(
                    line,
                    PreflibErrorKind::Type(format!(
                        "a tie in a .{} file (strict orders only)",
                        kind.as_str()
                    )),
                ));
            }
            if complete && !r.is_complete(m) {
                return Err(err(
                    line,
                    PreflibErrorKind::Type(format!(
                        "ranks {} of {m} alternatives in a .{} file (complete orders only)",
                        r.ranked_len(),
                        kind.as_str()
                    )),
                ));
            }
            b.add(r, count)
                .map_err(|e| err(line, PreflibErrorKind::Profile(e)))?;
        }
        PreflibData::Orders(b.build())
    };
    Ok(PreflibFile {
        kind,
        metadata,
        data,
    })
}

/// Descriptive header lines for a written file; empty values are written empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreflibMeta {
    /// `# FILE NAME:`
    pub file_name: String,
    /// `# TITLE:`
    pub title: String,
    /// `# DESCRIPTION:`
    pub description: String,
    /// `# PUBLICATION DATE:` (YYYY-MM-DD)
    pub publication_date: String,
    /// `# MODIFICATION DATE:` (YYYY-MM-DD)
    pub modification_date: String,
}

/// A header value made safe for one line: control characters (line breaks, tabs, the
/// separators Python's `splitlines` breaks at: `\v`, `\f`, `\x1c`–`\x1e`, `\x85`,
/// U+2028, U+2029) become spaces, and the ends are trimmed (readers trim them).
///
/// # Examples
/// ```
/// use plotwise_vote::preflib::one_line;
/// assert_eq!(one_line(" Garden\n# NUMBER VOTERS: 9\r"), "Garden # NUMBER VOTERS: 9");
/// assert_eq!(one_line("花园\u{2028}方案"), "花园 方案");
/// ```
pub fn one_line(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .collect();
    mapped.trim().to_owned()
}

/// Names as they are written in a PrefLib header: each on one line ([`one_line`]); a name
/// left empty becomes `{fallback} i`; a name that another one already took gets ` (i)`
/// (its 1-based number) so names stay distinct and the file reads back.
///
/// # Examples
/// ```
/// use plotwise_vote::preflib::header_names;
/// let names = ["Lawn\nnorth".to_string(), "Lawn north".to_string(), "\n".to_string()];
/// assert_eq!(header_names(&names, "Alternative"), ["Lawn north", "Lawn north (2)", "Alternative 3"]);
/// ```
pub fn header_names(names: &[String], fallback: &str) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        let mut name = one_line(n);
        if name.is_empty() {
            name = format!("{fallback} {}", i + 1);
        }
        if taken.contains(&name) {
            let base = name;
            name = format!("{base} ({})", i + 1);
            let mut k = 2;
            while taken.contains(&name) {
                name = format!("{base} ({}-{k})", i + 1);
                k += 1;
            }
        }
        taken.insert(name.clone());
        out.push(name);
    }
    out
}

fn write_head(
    out: &mut String,
    kind: PreflibKind,
    meta: &PreflibMeta,
    m: usize,
    voters: u64,
    unique: usize,
) {
    let _ = writeln!(out, "# FILE NAME: {}", one_line(&meta.file_name));
    let _ = writeln!(out, "# TITLE: {}", one_line(&meta.title));
    let _ = writeln!(out, "# DESCRIPTION: {}", one_line(&meta.description));
    let _ = writeln!(out, "# DATA TYPE: {}", kind.as_str());
    let _ = writeln!(out, "# MODIFICATION TYPE: original");
    let _ = writeln!(out, "# RELATES TO: ");
    let _ = writeln!(out, "# RELATED FILES: ");
    let _ = writeln!(
        out,
        "# PUBLICATION DATE: {}",
        one_line(&meta.publication_date)
    );
    let _ = writeln!(
        out,
        "# MODIFICATION DATE: {}",
        one_line(&meta.modification_date)
    );
    let _ = writeln!(out, "# NUMBER ALTERNATIVES: {m}");
    let _ = writeln!(out, "# NUMBER VOTERS: {voters}");
    let key = if kind == PreflibKind::Cat {
        "PREFERENCES"
    } else {
        "ORDERS"
    };
    let _ = writeln!(out, "# NUMBER UNIQUE {key}: {unique}");
}

fn write_names(out: &mut String, names: &[String]) {
    // A name cannot hold a line break in this format (it would add a line to the file).
    for (i, n) in header_names(names, "Alternative").iter().enumerate() {
        let _ = writeln!(out, "# ALTERNATIVE NAME {}: {n}", i + 1);
    }
}

fn write_group(out: &mut String, g: &[usize]) {
    let items: Vec<String> = g.iter().map(|a| (a + 1).to_string()).collect();
    if g.len() == 1 {
        out.push_str(&items[0]);
    } else {
        let _ = write!(out, "{{{}}}", items.join(","));
    }
}

/// Writes ranked ballots as the narrowest order type that holds them ([`PreflibKind::narrowest`]);
/// names and header values are written on one line each ([`header_names`], [`one_line`]);
/// returns the type (for the extension) and the text.
pub fn write_orders(p: &Profile<Ranking>, meta: &PreflibMeta) -> (PreflibKind, String) {
    let kind = PreflibKind::narrowest(p);
    (kind, orders_text(p, kind, meta))
}

/// Writes ranked ballots as a given order type (e.g. always `.toi` for an audit export); an
/// error when a ballot does not fit it (a tie in `.soc`/`.soi`, an incomplete order in
/// `.soc`/`.toc`) or the type is `.cat`.
pub fn write_orders_as(
    p: &Profile<Ranking>,
    kind: PreflibKind,
    meta: &PreflibMeta,
) -> Result<String, PreflibError> {
    let fits = match kind {
        PreflibKind::Toi => true,
        PreflibKind::Cat => false,
        _ => {
            let narrowest = PreflibKind::narrowest(p);
            let strict_ok = !matches!(kind, PreflibKind::Soc | PreflibKind::Soi)
                || matches!(narrowest, PreflibKind::Soc | PreflibKind::Soi);
            let complete_ok = !matches!(kind, PreflibKind::Soc | PreflibKind::Toc)
                || matches!(narrowest, PreflibKind::Soc | PreflibKind::Toc);
            strict_ok && complete_ok
        }
    };
    if !fits {
        return Err(err(
            0,
            PreflibErrorKind::Type(format!(
                "these ballots do not fit a .{} file (the narrowest type that holds them is .{})",
                kind.as_str(),
                PreflibKind::narrowest(p).as_str()
            )),
        ));
    }
    Ok(orders_text(p, kind, meta))
}

fn orders_text(p: &Profile<Ranking>, kind: PreflibKind, meta: &PreflibMeta) -> String {
    let mut out = String::new();
    write_head(
        &mut out,
        kind,
        meta,
        p.alternatives().len(),
        p.voters(),
        p.entries().len(),
    );
    write_names(&mut out, p.alternatives());
    for (r, count) in p.entries() {
        let _ = write!(out, "{count}: ");
        for (i, g) in r.groups().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let g: Vec<usize> = g.iter().map(|&a| a as usize).collect();
            write_group(&mut out, &g);
        }
        out.push('\n');
    }
    out
}

/// Writes categorical ballots as a `.cat` file with these category names.
pub fn write_categories(
    p: &Profile<Categorized>,
    category_names: &[String],
    meta: &PreflibMeta,
) -> String {
    let mut out = String::new();
    write_head(
        &mut out,
        PreflibKind::Cat,
        meta,
        p.alternatives().len(),
        p.voters(),
        p.entries().len(),
    );
    let _ = writeln!(out, "# NUMBER CATEGORIES: {}", category_names.len());
    for (i, n) in header_names(category_names, "Category").iter().enumerate() {
        let _ = writeln!(out, "# CATEGORY NAME {}: {n}", i + 1);
    }
    write_names(&mut out, p.alternatives());
    for (b, count) in p.entries() {
        let _ = write!(out, "{count}: ");
        for c in 0..category_names.len() {
            if c > 0 {
                out.push(',');
            }
            write_group(&mut out, &b.members(c as u16));
        }
        out.push('\n');
    }
    out
}

/// Writes approval ballots as a `.cat` file with two categories, `Yes` (approved) and `No`.
pub fn write_approval(p: &Profile<Approval>, meta: &PreflibMeta) -> String {
    let m = p.alternatives().len();
    let cats = p.map(|b| Categorized::from_approval(b, m));
    write_categories(&cats, &["Yes".to_string(), "No".to_string()], meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOI: &str = "# FILE NAME: t.toi\n# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 7\n\
        # ALTERNATIVE NAME 1: Garden\n# ALTERNATIVE NAME 2: Parking\n# ALTERNATIVE NAME 3: Plaza\n\
        5: 1,{2,3}\n2: 3\n";

    #[test]
    fn reads_orders_with_ties() {
        let f = parse(TOI, None).unwrap();
        let p = f.ranked();
        assert_eq!(p.alternatives(), &["Garden", "Parking", "Plaza"]);
        assert_eq!(p.entries()[0].0.to_groups(), vec![vec![0], vec![1, 2]]);
        assert_eq!(p.entries()[1].0.to_groups(), vec![vec![2]]);
        assert!(f.approval().is_none());
    }

    #[test]
    fn type_and_count_are_enforced() {
        let e = parse(&TOI.replace("toi", "soi"), None).unwrap_err();
        assert_eq!(e.line, 8);
        assert!(e.to_string().contains("tie"), "{e}");
        let e = parse(&TOI.replace("VOTERS: 7", "VOTERS: 8"), None).unwrap_err();
        assert!(matches!(
            e.kind,
            PreflibErrorKind::VoterCount {
                counted: 7,
                declared: 8
            }
        ));
        let e = parse(&TOI.replace("2: 3\n", "2: 4\n"), None).unwrap_err();
        assert_eq!(e.line, 9);
        let e = parse(&TOI.replace("# ALTERNATIVE NAME 2: Parking\n", ""), None).unwrap_err();
        assert_eq!(e.kind, PreflibErrorKind::MissingName(2));
        let e = parse(&TOI.replace("5: 1,{2,3}", "5 1,2"), None).unwrap_err();
        assert_eq!(e.line, 8);
        let e = parse(&TOI.replace("5: 1,{2,3}", "5: 1,{2,3"), None).unwrap_err();
        assert_eq!(e.line, 8);
        let e = parse(&TOI.replace("5: 1,{2,3}", "5: 1,1"), None).unwrap_err();
        assert_eq!(e.line, 8);
    }

    #[test]
    fn hint_is_used_without_data_type() {
        let text = TOI.replace("# DATA TYPE: toi\n", "");
        assert_eq!(
            parse(&text, None).unwrap_err().kind,
            PreflibErrorKind::NoType
        );
        assert_eq!(
            parse(&text, Some(PreflibKind::Toi)).unwrap().kind,
            PreflibKind::Toi
        );
    }

    #[test]
    fn reads_categories_with_empty_first() {
        let text = "# DATA TYPE: cat\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 4\n\
            # NUMBER CATEGORIES: 2\n# CATEGORY NAME 1: Yes\n# CATEGORY NAME 2: No\n\
            # ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n# ALTERNATIVE NAME 3: c\n\
            3: {},{1,2,3}\n1: {1,3},2\n";
        let f = parse(text, None).unwrap();
        let a = f.approval().unwrap();
        assert_eq!(
            crate::approval(&a).explanation,
            crate::Explanation::Approval {
                scores: vec![1, 0, 1]
            }
        );
        let PreflibData::Categories { names, profile } = &f.data else {
            panic!()
        };
        assert_eq!(names, &["Yes", "No"]);
        let again = parse(
            &write_categories(profile, names, &PreflibMeta::default()),
            None,
        )
        .unwrap();
        assert_eq!(again.data, f.data);
    }

    #[test]
    fn write_read_round_trip_picks_narrowest_type() {
        let f = parse(TOI, None).unwrap();
        let p = f.ranked();
        let (kind, text) = write_orders(&p, &PreflibMeta::default());
        assert_eq!(kind, PreflibKind::Toi);
        assert_eq!(parse(&text, None).unwrap().ranked(), p);
        let soc = Profile::from_counts(
            vec!["x".into(), "y".into()],
            vec![(Ranking::strict(&[1, 0], 2).unwrap(), 3)],
        )
        .unwrap();
        let (kind, text) = write_orders(&soc, &PreflibMeta::default());
        assert_eq!(kind, PreflibKind::Soc);
        assert!(text.contains("\n3: 2,1\n"), "{text}");
    }

    #[test]
    fn write_as_a_given_type() {
        let p = parse(TOI, None).unwrap().ranked();
        assert!(write_orders_as(&p, PreflibKind::Toc, &PreflibMeta::default()).is_err());
        assert!(write_orders_as(&p, PreflibKind::Soi, &PreflibMeta::default()).is_err());
        assert!(write_orders_as(&p, PreflibKind::Cat, &PreflibMeta::default()).is_err());
        let soc = Profile::from_counts(
            vec!["x".into(), "y".into()],
            vec![(Ranking::strict(&[1, 0], 2).unwrap(), 3)],
        )
        .unwrap();
        for kind in [
            PreflibKind::Soc,
            PreflibKind::Soi,
            PreflibKind::Toc,
            PreflibKind::Toi,
        ] {
            let text = write_orders_as(&soc, kind, &PreflibMeta::default()).unwrap();
            let back = parse(&text, None).unwrap();
            assert_eq!(back.kind, kind);
            assert_eq!(back.ranked(), soc);
        }
    }

    /// Names and titles that try to break the format.
    fn nasty() -> Vec<String> {
        [
            "Garden\n# NUMBER VOTERS: 999\n5: 1,2",
            "Car park, north",
            "\"Plaza\" #2",
            "花园\r\n方案 A",
            "  padded\t",
            "Garden # NUMBER VOTERS: 999 5: 1,2",
            "\u{2028}\u{85}\x0b\x0c\x01",
            "line\x1cbreak\u{2029}",
            "{1,2}: 3",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn nasty_names_stay_on_one_line_and_read_back() {
        let names = nasty();
        let m = names.len();
        let ballots = vec![
            (Ranking::strict(&(0..m).collect::<Vec<_>>(), m).unwrap(), 2),
            (Ranking::new(vec![vec![8, 0], vec![3]], m).unwrap(), 1),
        ];
        let p = Profile::from_counts(names.clone(), ballots).unwrap();
        let meta = PreflibMeta {
            file_name: "a\nb.toi".into(),
            title: "Vote\n# NUMBER VOTERS: 1".into(),
            description: "two\rlines".into(),
            ..PreflibMeta::default()
        };
        let (kind, text) = write_orders(&p, &meta);
        assert_eq!(kind, PreflibKind::Toi);
        // 12 header lines, one per name, one per distinct ballot: nothing added.
        assert_eq!(text.lines().count(), 12 + m + 2, "{text}");
        let voters_lines = text
            .lines()
            .filter(|l| l.starts_with("# NUMBER VOTERS"))
            .count();
        assert_eq!(voters_lines, 1, "{text}");
        let clean = header_names(&names, "Alternative");
        assert_eq!(clean[0], "Garden # NUMBER VOTERS: 999 5: 1,2");
        assert_eq!(clean[5], "Garden # NUMBER VOTERS: 999 5: 1,2 (6)");
        assert_eq!(clean[3], "花园  方案 A");
        assert_eq!(clean[4], "padded");
        assert_eq!(clean[6], "Alternative 7");
        let back = parse(&text, None).unwrap();
        assert_eq!(back.alternatives(), clean.as_slice());
        assert_eq!(back.ranked().entries(), p.entries());
        assert!(
            back.metadata
                .contains(&("TITLE".into(), "Vote # NUMBER VOTERS: 1".into()))
        );

        let cats = p.map(|r| {
            Categorized::from_approval(
                &Approval::new(
                    r.groups().next().unwrap_or(&[]).iter().map(|&a| a as usize),
                    m,
                )
                .unwrap(),
                m,
            )
        });
        let text = write_categories(&cats, &["Yes\nNo".into(), "".into()], &meta);
        assert_eq!(
            text.lines().count(),
            12 + 1 + 2 + m + cats.entries().len(),
            "{text}"
        );
        let back = parse(&text, None).unwrap();
        let PreflibData::Categories { names: cn, profile } = &back.data else {
            panic!("categories expected")
        };
        assert_eq!(cn, &["Yes No", "Category 2"]);
        assert_eq!(profile.entries(), cats.entries());
    }

    #[test]
    fn approval_writes_yes_no() {
        let p = Profile::from_counts(
            vec!["x".into(), "y".into()],
            vec![
                (Approval::new([1], 2).unwrap(), 2),
                (Approval::new([], 2).unwrap(), 1),
            ],
        )
        .unwrap();
        let text = write_approval(&p, &PreflibMeta::default());
        assert!(
            text.contains("2: 2,1\n") && text.contains("1: {},{1,2}\n"),
            "{text}"
        );
        assert_eq!(parse(&text, None).unwrap().approval().unwrap(), p);
    }
}
