#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and runs the term codec benchmarks (jdist vs JInterface).
#
#   bench/run-codec-bench.sh                       # everything, about 6 minutes
#   bench/run-codec-bench.sh -p term=small         # one term
#   bench/run-codec-bench.sh 'decode' -prof gc     # only decoding, with allocation per op
#   SKIP_BUILD=1 bench/run-codec-bench.sh ...      # reuse the jar already built
#
# Any argument is passed to JMH; -f, -wi, -w, -i, -r, -rf and -rff replace the defaults below,
# which suit a 2-core machine: one fork, 3 warm-up and 5 measured iterations of 2 s each.
# Results: bench/target/jmh-result.json (written by JMH; another -rf changes the extension),
# bench/target/jmh-result.csv, and the console output in bench/target/jmh-output.txt.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
TARGET="$BENCH_DIR/target"
JAVA="${JAVA:-java}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$ROOT" && mvn -q -P bench -pl bench -am package -DskipTests)
fi
if [[ ! -f "$TARGET/benchmarks.jar" ]]; then
    echo "no $TARGET/benchmarks.jar; run without SKIP_BUILD=1" >&2
    exit 1
fi

# JMH refuses an option given twice, so a default is added only when the caller did not give it.
FORMAT=json
previous=
for arg in "$@"; do
    if [[ "$previous" == -rf ]]; then
        FORMAT="${arg,,}"
    fi
    previous="$arg"
done
declare -A DEFAULTS=(
    [-f]=1 [-wi]=3 [-w]=2s [-i]=5 [-r]=2s
    [-rf]=json [-rff]="$TARGET/jmh-result.$FORMAT"
)
ARGS=()
for option in -f -wi -w -i -r -rf -rff; do
    given=0
    for arg in "$@"; do
        if [[ "$arg" == "$option" ]]; then
            given=1
        fi
    done
    if [[ $given == 0 ]]; then
        ARGS+=("$option" "${DEFAULTS[$option]}")
    fi
done

mkdir -p "$TARGET"
echo "JMH $(basename "$TARGET")/benchmarks.jar ${ARGS[*]} $*" >&2
"$JAVA" -Djdist.bench.csv="$TARGET/jmh-result.csv" -cp "$TARGET/benchmarks.jar" io.jdist.bench.CodecBench \
    "${ARGS[@]}" "$@" 2>&1 | tee "$TARGET/jmh-output.txt"
