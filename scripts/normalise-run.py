#!/usr/bin/env python3
"""Prints a run folder's results as one normalised text, for comparing two runs that must agree.

Every CSV and JSONL file and every REPORT.md under the folder (unit folders included, by relative path)
is printed line by line, without the wall-clock figures: CSV columns and JSON keys ending in "seconds",
and a report table's timing column (the last one: "0.1", "180 ms", "12 min 05 s"). Everything else
(losses, NFE, accuracies, the claims) must be equal to the last bit of its text.

Usage: normalise-run.py FOLDER
"""
import csv, json, os, re, sys

TIMING = re.compile(r"\| *[0-9][0-9.]*(?: (?:ms|s|min|h))?(?: [0-9]+ (?:s|min))? *\|$")


def normalise(folder):
    out = []
    for directory, subfolders, files in sorted(os.walk(folder)):
        subfolders.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            label = os.path.relpath(path, folder)
            if name.endswith(".csv"):
                rows = list(csv.reader(open(path)))
                drop = {i for i, c in enumerate(rows[0]) if c.endswith("seconds")} if rows else set()
                out += [label + ": " + ",".join(c for i, c in enumerate(r) if i not in drop) for r in rows]
            elif name.endswith(".jsonl"):
                for line in open(path):
                    row = json.loads(line)
                    out.append(label + ": " + json.dumps({k: v for k, v in row.items() if not k.endswith("seconds")}, sort_keys=True))
            elif name == "REPORT.md":
                out += [label + ": " + TIMING.sub("| s |", l.rstrip()) for l in open(path)]
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: normalise-run.py FOLDER")
    print("\n".join(normalise(sys.argv[1])))
