#!/usr/bin/env bash
# Runs each fuzz target for SECONDS seconds (make fuzz SECONDS=N), on a corpus kept in
# BUILD/corpus/<target> between runs and seeded from the sample books and seeds/.
# Crashes are written to BUILD/crashes/<target>/; a target that crashes fails the run.
# Each run's executions and coverage are appended to BUILD/fuzz-history.tsv.
set -uo pipefail
build=${1:?usage: run.sh BUILD SECONDS [TARGET...]}
seconds=${2:?usage: run.sh BUILD SECONDS [TARGET...]}
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(article layout manifest cache)
here=$(cd "$(dirname "$0")" && pwd)
history="$build/fuzz-history.tsv"
[ -f "$history" ] || printf 'date\ttarget\tseconds\texecutions\tcoverage\tfeatures\tcorpus\tresult\n' >"$history"

declare -A dict=([article]=markdown.dict [layout]=markdown.dict [manifest]=yaml.dict [cache]=)
declare -A max_len=([article]=65536 [layout]=16384 [manifest]=16384 [cache]=4096)
failed=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t" seeds="$build/seeds/$t" crashes="$build/crashes/$t" log="$build/fuzz-$t.log"
  mkdir -p "$corpus" "$seeds" "$crashes"
  while IFS= read -r f; do [ -n "$f" ] && cp "$f" "$seeds/$(echo "$f" | tr / _)"; done <"$build/tests/fuzz/seeds_$t.txt"
  echo "fuzzing $t for $seconds s"
  started=$(date +%s)
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS="suppressions=$here/../lsan.supp:print_suppressions=0" \
    "$build/tests/fuzz/fuzz_$t" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
    -max_len="${max_len[$t]}" ${dict[$t]:+-dict="$here/${dict[$t]}"} -artifact_prefix="$crashes/" -print_final_stats=1 \
    >"$log" 2>&1
  status=$?
  elapsed=$(($(date +%s) - started))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  last=$(grep -E '#[0-9]+.*cov: ' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*')
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*')
  units=$(find "$corpus" -type f | wc -l)
  result=ok
  if [ $status -ne 0 ]; then result=crash; failed=1; grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$elapsed" "${execs:-0}" "${cov:-0}" "${ft:-0}" \
    "$units" "$result" >>"$history"
  echo "  $t: $result, ${execs:-0} executions, coverage ${cov:-0} edges, ${ft:-0} features, corpus $units (log: $log)"
done
echo "totals so far ($history):"
awk -F'\t' 'NR > 1 { s[$2] += $3; e[$2] += $4 } END { for (t in s) printf "  %s: %d s, %d executions\n", t, s[t], e[t] }' "$history"
exit $failed
