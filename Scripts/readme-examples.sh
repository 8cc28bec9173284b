#!/usr/bin/env bash
# Runs the README's "Run a server, query it" commands as written (extracted from README.md,
# all but `swift build`) against the debug binary, and checks each `get ... # WORD` printed WORD.
# Fails on any error or after 30 s. Needs `swift build` first; .ci/run calls it after the build.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .build/debug/randwire ] || { echo "error: .build/debug/randwire is missing: run 'swift build' first" >&2; exit 2; }

# The indented lines of the section, up to the next heading's paragraph.
block=$(awk '/^## Run a server, query it/ { inside = 1; next }
             inside && /^[^ ]/ && seen { exit }
             inside && /^    / { seen = 1; print substr($0, 5) }' README.md | grep -v '^swift build$')
[ -n "$block" ] || { echo "error: no commands found under '## Run a server, query it' in README.md" >&2; exit 1; }

output=$(mktemp)
trap 'rm -f "$output" serve.out' EXIT
if ! timeout 30 bash -euo pipefail -c "$block" > "$output"; then
    echo "error: the README's commands failed (or took over 30 s):" >&2
    printf '%s\n' "$block" | sed 's/^/    /' >&2
    echo "their output:" >&2
    sed 's/^/    /' "$output" >&2
    exit 1
fi

# Every `# word` comment on a get line is the answer that get must print, in order.
expected=$(printf '%s\n' "$block" | sed -n 's/^[^#]* get .*# *\([a-z-]*\)$/\1/p')
for word in $expected; do
    grep -qx -- "$word" "$output" || { echo "error: the README says a get prints '$word'; it did not:" >&2; cat "$output" >&2; exit 1; }
done
echo "readme-examples: $(printf '%s\n' "$block" | grep -c 'randwire get') get commands of README.md ran as written"
