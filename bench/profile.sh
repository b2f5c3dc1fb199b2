#!/usr/bin/env bash
# Where a cold s3pool download spends its CPU: one run of the bench driver (JVM start included)
# under `perf record -a`, its samples split by process (driver with the embedded broker,
# submitter, worker, nginx) and by kind (compiler threads, interpreter, compiled Java, JVM
# runtime, kernel). See bench/README.md, "Where the time goes" (Profile of a cold run).
#   bench/profile.sh w3            # W1, W2 or W3 (w1 w2 w3), nginx server
# Needs perf (Debian: linux-perf) allowed to sample every CPU (root, or
# kernel.perf_event_paranoid <= 0), and bench/out from bench/run.sh (data, driver jar, nginx
# configuration); it runs a minimal bench/run.sh first when that is missing.
set -euo pipefail
bench="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$bench")"
out="$bench/out"
workload="${1:-w3}"
[[ $workload =~ ^w[123]$ ]] || { echo "profile.sh: workload must be w1, w2 or w3, not '$workload'" >&2; exit 2; }
command -v perf >/dev/null || { echo "profile.sh: perf is missing (Debian package linux-perf)" >&2; exit 2; }
port="${NGINX_PORT:-18080}"

if [[ ! -s $out/data/manifest.tsv || ! -s $out/classes/s3pool-bench.jar || ! -s $out/nginx/nginx.conf ]]; then
  RUNS=1 WORKLOADS="$workload" SERVERS=nginx CLIENTS=s3pool COLD=0 "$bench/run.sh"
fi
cp="$out/classes/s3pool-bench.jar:$root/cli/target/s3pool-cli.jar:$(cat "$root/cli/target/classpath.txt")"
export AWS_ACCESS_KEY_ID=bench-access-key AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_REGION=us-east-1

work="$(mktemp -d)"
nginx_pid=
cleanup() {
  if [[ -s $work/perf.data ]]; then # the JVMs' symbol maps
    for pid in $(perf script -i "$work/perf.data" -F pid 2>/dev/null | sort -u); do rm -f "/tmp/perf-$pid.map"; done
  fi
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$work" "$out/dl"
}
trap cleanup EXIT
if ! curl -sf -o /dev/null -I "http://127.0.0.1:$port/bench/w0/one-byte.bin"; then
  nginx -c "$out/nginx/nginx.conf" -e "$out/nginx/error.log" &
  nginx_pid=$!
  for _ in $(seq 50); do curl -sf -o /dev/null -I "http://127.0.0.1:$port/bench/w0/one-byte.bin" && break; sleep 0.1; done
fi

# The driver runs as in bench/run.sh: C1, serial GC and a class-data archive of its own. Two
# untimed runs come first: the first writes the driver's archive (and the children's), on Java 25
# the second makes the children's AOT caches.
jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp")
args=("http://127.0.0.1:$port" "$out/data/manifest.tsv" "$workload" "$out/dl")
rm -rf "$out/dl" && mkdir -p "$out/dl"
java "-XX:ArchiveClassesAtExit=$work/driver.jsa" "${jvm[@]}" S3poolBench "${args[@]}" >"$work/first.log" 2>&1
rm -rf "$out/dl" && mkdir -p "$out/dl"
java "-XX:SharedArchiveFile=$work/driver.jsa" "${jvm[@]}" S3poolBench "${args[@]}" >"$work/first.log" 2>&1
rm -rf "$out/dl" && mkdir -p "$out/dl" && sync
# Every JVM of the run (children inherit the variable) writes /tmp/perf-PID.map at exit, so
# perf can name compiled methods, the interpreter and the JVM's stubs.
JAVA_TOOL_OPTIONS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" \
  perf record -q -a -F 999 -o "$work/perf.data" -- \
  java "-XX:SharedArchiveFile=$work/driver.jsa" "${jvm[@]}" S3poolBench "${args[@]}" \
  >"$work/run.log" 2>&1 ||
  { cat "$work/run.log" >&2; exit 1; }
grep -h "phases" "$work/run.log" || true
perf script -i "$work/perf.data" -F pid,tid,comm,ip,sym,dso 2>/dev/null | /usr/bin/python3 "$bench/profile.py" 999
