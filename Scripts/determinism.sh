#!/usr/bin/env bash
# Runs `randwire check --self` N times (default 100) and checks that every run gives the same
# verdict for every check of every profile. Prints the count of identical runs; exits 1 on any
# difference, showing which checks changed.
#
#   Scripts/determinism.sh [N]        uses a release build (built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}
swift build -c release --product randwire >/dev/null
bin=.build/release/randwire
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

verdicts() {
    python3 -c '
import json, sys
reports = json.load(open(sys.argv[1]))
for r in reports:
    for c in r["results"]:
        print(r["profile"], c["id"], c["status"])
' "$1"
}

same=0
start=$(date +%s)
for i in $(seq 1 "$runs"); do
    code=0
    "$bin" check --self --format json --seed "$i" > "$work/run.json" || code=$?
    verdicts "$work/run.json" > "$work/run.txt"
    echo "exit $code" >> "$work/run.txt"
    if [ "$i" -eq 1 ]; then
        cp "$work/run.txt" "$work/first.txt"
        same=1
    elif diff -q "$work/first.txt" "$work/run.txt" >/dev/null; then
        same=$((same + 1))
    else
        echo "run $i differs from run 1:"
        diff "$work/first.txt" "$work/run.txt" || true
    fi
done
elapsed=$(( $(date +%s) - start ))
checks=$(grep -c . "$work/first.txt")
echo "check --self: $same of $runs runs gave identical verdicts ($((checks - 1)) checks over 5 profiles, ${elapsed} s in all)"
[ "$same" -eq "$runs" ]
