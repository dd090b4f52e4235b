#!/usr/bin/env bash
# The lost-SKU swap on BEIR SciFact, as README's "lost-SKU swap on real data" passage runs it:
# the same pairlift commands, in the same order, with the dataset and output folders as variables.
# Every number that passage quotes is in what this prints (eval's judged@10 line and condensed
# column, compare's tables, gate verdicts and exit codes).
#
#   bash bench/lost-sku.sh            # from the repository root (the index cache is ./.cache)
#
# SCIFACT: the BEIR folder (default ../shared/data/beir/scifact, read in place).
# OUT: where the probe set and eval reports go (default: a fresh temporary folder).
# Runs the TypeScript sources (npx tsx src/cli/main.ts), so no build is needed.
set -u
SCIFACT=${SCIFACT:-../shared/data/beir/scifact}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/pairlift-lost-sku.XXXXXX")}
if [ ! -f "$SCIFACT/corpus.jsonl" ]; then
  echo "bench: SciFact not found at $SCIFACT; nothing measured."
  exit 0
fi

# Prints the command as README writes it, runs it, and prints its exit code.
pairlift() {
  echo "\$ pairlift $*"
  npx tsx src/cli/main.ts "$@"
  echo "(exit $?)"
  echo
}

# The qrels' grades: SciFact lists only relevant documents (what condensed lists then keep).
echo "grades in $SCIFACT/qrels/test.tsv (count, grade):"
tail -n +2 "$SCIFACT/qrels/test.tsv" | cut -f3 | sort | uniq -c
echo

pairlift probe --dataset "$SCIFACT" --out "$OUT/probe-scifact"
pairlift eval --dataset "$SCIFACT" --pipeline bm25 --probe "$OUT/probe-scifact" \
  --condensed --json "$OUT/bm25.json"
pairlift eval --dataset "$SCIFACT" --pipeline hybrid:glove --probe "$OUT/probe-scifact" \
  --condensed --json "$OUT/hybrid.json"
pairlift compare "$OUT/bm25.json" "$OUT/hybrid.json" --gate
pairlift compare "$OUT/bm25.json" "$OUT/hybrid.json" --gate --condensed
echo "outputs in $OUT"
