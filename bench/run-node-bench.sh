#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and measures message passing between two jdist nodes and two
# erl nodes on loopback: small messages per second, ping-pong round trips p50/p99 and 64 KiB
# binaries MB/s, for Java → Erlang, Erlang → Java, Java ↔ Java and Erlang ↔ Erlang.
#
#   bench/run-node-bench.sh                          # defaults, about a minute
#   bench/run-node-bench.sh --messages 500000 --runs 5
#   SKIP_BUILD=1 bench/run-node-bench.sh ...         # reuse the jar already built
#
# Needs erl and erlc on the PATH (erlang-base) and, for the build, the bench profile
# (/usr/share/java/OtpErlang.jar from erlang-jinterface). Arguments go to io.jdist.bench.NodeBench
# (--help lists them). The Markdown report goes to stdout and to bench/target/node-bench.md;
# progress to stderr. JAVA_OPTS replaces the JVM options below.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
TARGET="$BENCH_DIR/target"
JAVA="${JAVA:-java}"
read -r -a JVM_OPTIONS <<< "${JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"

for tool in erl erlc; do
    if ! command -v "$tool" > /dev/null; then
        echo "$tool is not on the PATH; install Erlang/OTP (apt-get install erlang-base)" >&2
        exit 1
    fi
done
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$ROOT" && mvn -q -P bench -pl bench -am package -DskipTests)
fi
if [[ ! -f "$TARGET/benchmarks.jar" ]]; then
    echo "no $TARGET/benchmarks.jar; run without SKIP_BUILD=1" >&2
    exit 1
fi

"$JAVA" "${JVM_OPTIONS[@]}" -cp "$TARGET/benchmarks.jar" io.jdist.bench.NodeBench \
    --out "$TARGET/node-bench.md" "$@"
