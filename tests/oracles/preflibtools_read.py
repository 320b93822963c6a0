#!/usr/bin/env python3
"""What PrefLib's reference reader, preflibtools, reads from PrefLib files: the oracle of the
round-trip tests of our PrefLib writer (crates/vote/tests/preflib_oracle.rs).

Usage: preflibtools_read.py FILE [FILE ...]

Each FILE ends in .soc, .soi, .toc, .toi or .cat and is parsed by preflibtools'
`get_parsed_instance` (the type comes from the extension, as on preflib.org). Prints one JSON
object on stdout:

    {FILE: {"data_type": "toi", "num_alternatives": M, "num_voters": N,
            "alternatives": {"1": name, ...},
            "categories": {"1": name, ...},            # .cat only
            "ballots": [[count, [[a, ...], ...]], ...]}}

A ballot is its groups in order, each a list of 1-based alternatives: tied alternatives for
orders, the members of each category (possibly none) for .cat. Any parse error fails the run.
"""

import json
import sys

from preflibtools.instances import get_parsed_instance


def read(path):
    inst = get_parsed_instance(path)
    entry = {
        "data_type": inst.data_type,
        "num_alternatives": inst.num_alternatives,
        "num_voters": inst.num_voters,
        "alternatives": {str(k): v for k, v in inst.alternatives_name.items()},
    }
    if inst.data_type == "cat":
        entry["categories"] = {str(k): v for k, v in inst.categories_name.items()}
        prefs = inst.preferences
    else:
        prefs = inst.orders
    entry["ballots"] = [[inst.multiplicity[p], [list(g) for g in p]] for p in prefs]
    return entry


def main():
    print(json.dumps({path: read(path) for path in sys.argv[1:]}))


if __name__ == "__main__":
    main()
