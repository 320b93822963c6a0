#!/usr/bin/env python3
"""Reference winners from pref_voting, for the differential tests of `plotwise tally`.

Usage: pref_voting_oracle.py FILE [FILE ...]

Each FILE is a PrefLib file (.soc/.soi/.toc/.toi/.cat, parsed with preflibtools, not with our
reader) or a CSV ballot table (header of alternative names; ranked cells are ranks, empty =
unranked; a file whose name ends in `.approval.csv` holds 1/0 approvals; `.score.csv` holds
integer scores). Prints one JSON object on stdout:

    {FILE: {"alternatives": [...], "voters": N,
            "winners": {"plurality": [...] | null, "irv": [...], "schulze": [...],
                        "borda": [...], "approval": [...]}}}

Winners are alternative names, every tied winner, in the order of the alternatives. Conventions
(matching DESIGN.md's counting conventions):
- ranked ballots become a ProfileWithTies with every alternative as a candidate, and
  `use_extended_strict_preference()` so a ranked alternative beats an unranked one (Schulze);
- plurality: pref_voting's `plurality` refuses ballots with a tie at the top; for such files
  the winners are the maxima of pref_voting's `tops_scores(score_type="approval")` (a full
  point to each alternative tied at the top) and `plurality_source` says so; for ordinal
  PrefLib files preflibtools' `plurality_winner` (the same convention) must agree;
- irv: `instant_runoff` (all tied for fewest eliminated at once; on ProfileWithTies a tie at
  the top of a ballot gives each a full vote);
- schulze: `beat_path` (Floyd-Warshall, margin strength);
- borda: `borda` (symmetric Borda on weak orders: the same winners as averaged positions);
- approval: `approval` on a GradeProfile of 0/1 grades; from .cat the first category is 1.
"""

import csv
import json
import sys

from pref_voting.grade_methods import approval, score_voting
from pref_voting.grade_profiles import GradeProfile
from pref_voting.iterative_methods import instant_runoff
from pref_voting.margin_based_methods import beat_path
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.scoring_methods import borda, plurality


def names_of(candidates, names, winners):
    """Winners as names, in the alternatives' order."""
    return [names[c] for c in candidates if c in set(winners)]


def ranked_winners(rankings, counts, candidates, names):
    prof = ProfileWithTies(rankings, rcounts=counts, candidates=candidates)
    prof.use_extended_strict_preference()
    out = {"plurality_source": "pref_voting"}
    try:
        out["plurality"] = names_of(candidates, names, plurality(prof))
    except (ValueError, AssertionError):
        scores = prof.tops_scores(score_type="approval")
        best = max(scores.values())
        out["plurality"] = names_of(candidates, names, [c for c in scores if scores[c] == best])
        out["plurality_source"] = "pref_voting tops_scores"

    out["irv"] = names_of(candidates, names, instant_runoff(prof))
    out["schulze"] = names_of(candidates, names, beat_path(prof))
    out["borda"] = names_of(candidates, names, borda(prof))
    return out


def approval_winners(grade_maps, counts, candidates, names):
    gprof = GradeProfile(grade_maps, [0, 1], gcounts=counts, candidates=candidates)
    return names_of(candidates, names, approval(gprof))


def read_preflib(path):
    # preflibtools is installed with pref_voting.
    from preflibtools.instances import CategoricalInstance, OrdinalInstance

    if path.endswith(".cat"):
        inst = CategoricalInstance()
        inst.parse_file(path)
        candidates = sorted(inst.alternatives_name)
        names = {c: inst.alternatives_name[c] for c in candidates}
        grade_maps, counts, rankings = [], [], []
        for pref in inst.preferences:
            first = set(pref[0]) if pref else set()
            grade_maps.append({c: (1 if c in first else 0) for c in candidates})
            rank = {}
            r = 0
            for group in pref:
                if group:
                    r += 1
                    for c in group:
                        rank[c] = r
            rankings.append(rank)
            counts.append(inst.multiplicity[pref])
        winners = ranked_winners(rankings, counts, candidates, names)
        winners["approval"] = approval_winners(grade_maps, counts, candidates, names)
        return candidates, names, sum(counts), winners

    from preflibtools.aggregation.singlewinner import plurality_winner

    inst = OrdinalInstance()
    inst.parse_file(path)
    candidates = sorted(inst.alternatives_name)
    names = {c: inst.alternatives_name[c] for c in candidates}
    rankings, counts = [], []
    for order in inst.orders:
        rankings.append({c: r + 1 for r, group in enumerate(order) for c in group})
        counts.append(inst.multiplicity[order])
    winners = ranked_winners(rankings, counts, candidates, names)
    if winners["plurality_source"] != "pref_voting" and inst.orders:
        check = names_of(candidates, names, plurality_winner(inst))
        if check != winners["plurality"]:
            sys.exit(f"{path}: preflibtools plurality {check} != tops_scores {winners['plurality']}")
    return candidates, names, sum(counts), winners


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [row for row in csv.reader(f) if any(cell.strip() for cell in row)]
    header = [h.strip() for h in rows[0]]
    candidates = list(range(len(header)))
    names = dict(enumerate(header))
    body = rows[1:]
    if path.endswith(".approval.csv"):
        grade_maps = [{c: (1 if row[c].strip() == "1" else 0) for c in candidates} for row in body]
        return candidates, names, len(body), {
            "approval": approval_winners(grade_maps, [1] * len(body), candidates, names)
        }
    if path.endswith(".score.csv"):
        grades = sorted({int(row[c] or 0) for row in body for c in candidates} | {0})
        grade_maps = [{c: int(row[c] or 0) for c in candidates} for row in body]
        gprof = GradeProfile(grade_maps, grades, candidates=candidates)
        return candidates, names, len(body), {
            "score": names_of(candidates, names, score_voting(gprof, ungraded_score=0))
        }
    rankings = [{c: int(row[c]) for c in candidates if row[c].strip()} for row in body]
    return candidates, names, len(body), ranked_winners(
        rankings, [1] * len(body), candidates, names
    )


def main(paths):
    result = {}
    for path in paths:
        reader = read_csv if path.endswith(".csv") else read_preflib
        candidates, names, voters, winners = reader(path)
        result[path] = {
            "alternatives": [names[c] for c in candidates],
            "voters": voters,
            "winners": winners,
        }
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
