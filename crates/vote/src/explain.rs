//! Plain-text explanations of a count, in English and Simplified Chinese, for the result sheet.

use std::fmt::Write as _;

use crate::method::{Explanation, Method, Outcome};
use crate::tiebreak::TieBreakRecord;

/// The language of a rendered explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese (zh-CN).
    ZhCn,
}

impl Lang {
    /// The BCP 47 tag: `en` or `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }
}

fn method_name(m: Method, lang: Lang) -> &'static str {
    match (m, lang) {
        (Method::Plurality, Lang::En) => "Plurality",
        (Method::Approval, Lang::En) => "Approval voting",
        (Method::Score, Lang::En) => "Score voting",
        (Method::Borda, Lang::En) => "Borda count",
        (Method::Irv, Lang::En) => "Instant-runoff",
        (Method::Schulze, Lang::En) => "Schulze method",
        (Method::Plurality, Lang::ZhCn) => "相对多数制",
        (Method::Approval, Lang::ZhCn) => "认可投票",
        (Method::Score, Lang::ZhCn) => "评分投票",
        (Method::Borda, Lang::ZhCn) => "波达计数法",
        (Method::Irv, Lang::ZhCn) => "即时决选制",
        (Method::Schulze, Lang::ZhCn) => "舒尔茨法",
    }
}

fn list(names: &[String], lang: Lang) -> String {
    names.join(if lang == Lang::En { ", " } else { "、" })
}

/// A table of `name: value` lines, highest value first (ties in the alternatives' order).
fn score_lines<T: Ord + ToString>(out: &mut String, names: &[String], values: &[T]) {
    let mut idx: Vec<usize> = (0..names.len()).collect();
    idx.sort_by(|&a, &b| values[b].cmp(&values[a]).then(a.cmp(&b)));
    for i in idx {
        let _ = writeln!(out, "  {}: {}", names[i], values[i].to_string());
    }
}

fn matrix<T>(
    out: &mut String,
    names: &[String],
    rows: &[Vec<T>],
    legend: bool,
    cell: impl Fn(usize, usize, &T) -> String,
) {
    // Columns are numbered; a legend (before the first matrix) maps numbers to names.
    if legend {
        for (i, n) in names.iter().enumerate() {
            let _ = writeln!(out, "  [{}] {}", i + 1, n);
        }
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(a, r)| r.iter().enumerate().map(|(b, v)| cell(a, b, v)).collect())
        .collect();
    let width = cells
        .iter()
        .flatten()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(1)
        .max(names.len().to_string().len() + 2);
    let mut head = String::from("      ");
    for b in 0..names.len() {
        let _ = write!(head, " {:>width$}", format!("[{}]", b + 1));
    }
    let _ = writeln!(out, "{head}");
    for (a, row) in cells.iter().enumerate() {
        let mut line = format!("  {:>4}", format!("[{}]", a + 1));
        for c in row {
            let _ = write!(line, " {c:>width$}");
        }
        let _ = writeln!(out, "{line}");
    }
}

/// Renders an outcome (and how a tie was broken, if it was) as text a committee can read.
///
/// # Examples
/// ```
/// use plotwise_vote::{plurality, render, Lang, Profile, Ranking};
/// let names = vec!["garden".to_string(), "parking".to_string()];
/// let p = Profile::from_counts(names, vec![(Ranking::strict(&[0], 2).unwrap(), 3)]).unwrap();
/// let text = render(&plurality(&p), None, Lang::ZhCn);
/// assert!(text.contains("当选：garden"));
/// ```
pub fn render(outcome: &Outcome, tie: Option<&TieBreakRecord>, lang: Lang) -> String {
    let en = lang == Lang::En;
    let names = &outcome.alternatives;
    let mut out = String::new();
    let _ = if en {
        writeln!(
            out,
            "{}: {} ballots, {} alternatives.",
            method_name(outcome.method, lang),
            outcome.voters,
            names.len()
        )
    } else {
        writeln!(
            out,
            "{}：共 {} 张选票，{} 个选项。",
            method_name(outcome.method, lang),
            outcome.voters,
            names.len()
        )
    };
    match &outcome.explanation {
        Explanation::Plurality {
            scores,
            tied_first_ballots,
            empty_ballots,
        } => {
            out.push_str(if en {
                "First places:\n"
            } else {
                "第一选择票数：\n"
            });
            score_lines(&mut out, names, scores);
            let _ = if en {
                writeln!(
                    out,
                    "{tied_first_ballots} ballots had a tie for first place (each tied alternative got a full point); {empty_ballots} ballots ranked nobody."
                )
            } else {
                writeln!(
                    out,
                    "{tied_first_ballots} 张选票的第一位并列（并列选项各得 1 票）；{empty_ballots} 张选票未排任何选项。"
                )
            };
        }
        Explanation::Approval { scores } => {
            out.push_str(if en {
                "Approvals:\n"
            } else {
                "认可票数：\n"
            });
            score_lines(&mut out, names, scores);
        }
        Explanation::Score { totals } => {
            out.push_str(if en { "Total scores:\n" } else { "总分：\n" });
            score_lines(&mut out, names, totals);
        }
        Explanation::Borda { scores } => {
            let _ = if en {
                writeln!(
                    out,
                    "Borda points (first place {} points, last 0; tied and unranked alternatives share the average):",
                    names.len() - 1
                )
            } else {
                writeln!(
                    out,
                    "波达分（第一位 {} 分，最后一位 0 分；并列及未排序的选项平分所占名次的平均分）：",
                    names.len() - 1
                )
            };
            score_lines(&mut out, names, scores);
        }
        Explanation::Irv { rounds } => {
            for (i, r) in rounds.iter().enumerate() {
                let _ = if en {
                    writeln!(out, "Round {}:", i + 1)
                } else {
                    writeln!(out, "第 {} 轮：", i + 1)
                };
                let votes: Vec<u64> = r.votes.iter().map(|v| v.unwrap_or(0)).collect();
                let mut idx: Vec<usize> =
                    (0..names.len()).filter(|&a| r.votes[a].is_some()).collect();
                idx.sort_by(|&a, &b| votes[b].cmp(&votes[a]).then(a.cmp(&b)));
                for a in idx {
                    let _ = writeln!(out, "  {}: {}", names[a], votes[a]);
                }
                let _ = if en {
                    writeln!(out, "  exhausted ballots: {}", r.exhausted)
                } else {
                    writeln!(out, "  已用尽的选票：{}", r.exhausted)
                };
                let gone: Vec<String> = r.eliminated.iter().map(|&a| names[a].clone()).collect();
                if !gone.is_empty() {
                    let _ = if en {
                        writeln!(out, "  eliminated (fewest votes): {}", list(&gone, lang))
                    } else {
                        writeln!(out, "  淘汰（得票最少）：{}", list(&gone, lang))
                    };
                } else if r.all_tied {
                    out.push_str(if en {
                        "  everyone left is tied: they all win.\n"
                    } else {
                        "  剩余选项票数相同，全部并列当选。\n"
                    });
                }
            }
        }
        Explanation::Schulze { margins, strengths } => {
            out.push_str(if en {
                "Pairwise margins (row over column: voters preferring row minus voters preferring column):\n"
            } else {
                "两两比较的票差（行对列：偏好行者减偏好列者）：\n"
            });
            matrix(&mut out, names, margins, true, |a, b, v| {
                if a == b { "-".into() } else { v.to_string() }
            });
            out.push_str(if en {
                "Strongest paths (a path is as strong as its weakest margin; - = none):\n"
            } else {
                "最强路径强度（路径强度取其最弱一环；- 表示无路径）：\n"
            });
            matrix(&mut out, names, strengths, false, |_, _, v| match v {
                Some(s) => s.to_string(),
                None => "-".into(),
            });
            out.push_str(if en {
                "An alternative wins when no rival has a stronger path to it than it has back.\n"
            } else {
                "若没有任何对手到它的最强路径强于它到对手的最强路径，该选项胜出。\n"
            });
        }
    }
    let _ = match (outcome.winners.len(), en) {
        (0, true) => writeln!(out, "No winner."),
        (0, false) => writeln!(out, "无当选选项。"),
        (1, true) => writeln!(out, "Winner: {}.", outcome.winners[0]),
        (1, false) => writeln!(out, "当选：{}。", outcome.winners[0]),
        (_, true) => writeln!(out, "Tied winners: {}.", list(&outcome.winners, lang)),
        (_, false) => writeln!(out, "并列当选：{}。", list(&outcome.winners, lang)),
    };
    if let Some(t) = tie {
        let _ = match (t, en) {
            (TieBreakRecord::Order { order, winner, .. }, true) => writeln!(
                out,
                "Tie broken by the published order {}: {winner} wins.",
                list(order, lang)
            ),
            (TieBreakRecord::Order { order, winner, .. }, false) => writeln!(
                out,
                "按事先公布的顺序（{}）打破平局：{winner} 当选。",
                list(order, lang)
            ),
            (
                TieBreakRecord::Seed {
                    seed,
                    sorted_tied,
                    draw,
                    index,
                    winner,
                    ..
                },
                true,
            ) => writeln!(
                out,
                "Tie broken by the published seed {seed}: SplitMix64 drew {draw}; {draw} mod {} = {index} picks {winner} from {} (sorted).",
                sorted_tied.len(),
                list(sorted_tied, lang)
            ),
            (
                TieBreakRecord::Seed {
                    seed,
                    sorted_tied,
                    draw,
                    index,
                    winner,
                    ..
                },
                false,
            ) => writeln!(
                out,
                "按公布的种子 {seed} 打破平局：SplitMix64 抽得 {draw}；{draw} 除以 {} 余 {index}，在排序后的 {} 中选出 {winner}。",
                sorted_tied.len(),
                list(sorted_tied, lang)
            ),
            (TieBreakRecord::Decision { winner, .. }, true) => {
                writeln!(
                    out,
                    "Tie broken by the committee's decision: {winner} wins."
                )
            }
            (TieBreakRecord::Decision { winner, .. }, false) => {
                writeln!(out, "由委员会决定打破平局：{winner} 当选。")
            }
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Profile, Ranking, TieBreak, break_tie, instant_runoff, schulze};

    fn profile() -> Profile<Ranking> {
        let names: Vec<String> = ["Garden", "Parking", "Plaza"].map(String::from).to_vec();
        let b = |o: &[usize], n| (Ranking::strict(o, 3).unwrap(), n);
        Profile::from_counts(names, vec![b(&[0, 2], 4), b(&[1], 4), b(&[2, 0], 1)]).unwrap()
    }

    #[test]
    fn irv_text_names_rounds_in_both_languages() {
        let o = instant_runoff(&profile());
        let en = render(&o, None, Lang::En);
        assert!(en.contains("Round 1:"), "{en}");
        assert!(en.contains("eliminated (fewest votes): Plaza"), "{en}");
        assert!(en.contains("Winner: Garden."), "{en}");
        let zh = render(&o, None, Lang::ZhCn);
        assert!(zh.contains("第 2 轮"), "{zh}");
        assert!(zh.contains("当选：Garden。"), "{zh}");
    }

    #[test]
    fn schulze_text_has_matrices() {
        let o = schulze(&profile());
        let en = render(&o, None, Lang::En);
        assert!(en.contains("Pairwise margins"));
        assert!(en.contains("[3] Plaza"));
    }

    #[test]
    fn tie_break_is_explained() {
        let names: Vec<String> = ["A", "B"].map(String::from).to_vec();
        let p = Profile::from_counts(
            names,
            vec![
                (Ranking::strict(&[0], 2).unwrap(), 1),
                (Ranking::strict(&[1], 2).unwrap(), 1),
            ],
        )
        .unwrap();
        let o = crate::plurality(&p);
        let t = break_tie(&o, &TieBreak::Seed { seed: 5 }).unwrap().unwrap();
        let en = render(&o, Some(&t), Lang::En);
        assert!(en.contains("Tied winners: A, B."), "{en}");
        assert!(en.contains("published seed 5"), "{en}");
        let zh = render(&o, Some(&t), Lang::ZhCn);
        assert!(zh.contains("并列当选：A、B。"), "{zh}");
    }
}
