#!/usr/bin/env bash
# Side-by-side download benchmark. See bench/README.md.
#   bench/run.sh                      # everything, RUNS=3
#   RUNS=1 WORKLOADS="w2" SERVERS=nginx CLIENTS="curl s3pool" bench/run.sh
set -euo pipefail
bench="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$bench")"
out="$bench/out"
RUNS="${RUNS:-3}"
WORKLOADS="${WORKLOADS:-w1 w2 w3}"
SERVERS="${SERVERS:-nginx s3proxy}"
# A JDK 25 or later for s3pool-jdkN and s3pool-cp-jdkN (below), if there is one
JDK_NEW="${JDK_NEW:-}" JDK_NEW_FEATURE=
for j in ${JDK_NEW:-/usr/lib/jvm/*}; do
  f="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$j/release" 2>/dev/null || true)"
  if [[ -x "$j/bin/java" && -n "$f" ]] && ((f >= 25)); then
    JDK_NEW="$j" JDK_NEW_FEATURE="$f"
    break
  fi
  JDK_NEW=
done
# CLIENT-warm: a second batch in the same process, timed inside it (the downloader already running)
CLIENTS="${CLIENTS:-curl reference boto3 crt s3pool reference-warm crt-warm s3pool-warm${JDK_NEW:+ s3pool-jdk$JDK_NEW_FEATURE}}"
COLD="${COLD:-1}"
WARMUP="${WARMUP:-1}" # untimed runs per client and server first (JIT-free caches, CDS archives)
# Seconds between deleting the previous run's output and the next timed run (and, in a warm
# client, between its two batches). This VM hands freed memory back to its host about 2 s after
# it is freed, and a page cache growing into memory handed back faults every page in again: a
# client that writes through the page cache right after another one's output was deleted writes
# 2-4 x faster than one that starts later. With a settle every client starts from the same state,
# whatever ran before it (bench/README.md, Caveats). SETTLE=0: no wait, as before.
SETTLE="${SETTLE:-5}"
[[ $SETTLE =~ ^[0-9]+$ ]] || { echo "SETTLE must be whole seconds, not: $SETTLE" >&2; exit 2; }
export BENCH_SETTLE="$SETTLE"
PORT="${NGINX_PORT:-18080}"
PY=/usr/bin/python3 # Debian's python3 with python3-boto3 / python3-s3transfer
export AWS_ACCESS_KEY_ID=bench-access-key AWS_SECRET_ACCESS_KEY=bench-secret-key
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN || true

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# 1. What it needs
need=()
command -v nginx >/dev/null || need+=(nginx)
command -v curl >/dev/null || need+=(curl)
$PY -c 'import boto3, s3transfer.processpool' 2>/dev/null || need+=(python3-boto3 python3-s3transfer)
if ((${#need[@]})); then
  log "apt-get install ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p "$out"
# s3pool itself (mvn package of cli and its modules, never install) via its launcher's check
if [[ ! -f "$root/cli/target/classpath.txt" ]] || ! "$root/s3pool" --help >/dev/null 2>&1; then
  "$root/s3pool" --help >/dev/null
fi
# Jars only, as an application ships: a classpath with directories gets no class-data archive.
s3pool_cp="$out/classes/s3pool-bench.jar:$root/cli/target/s3pool-cli.jar:$(cat "$root/cli/target/classpath.txt")"
if [[ ! -s "$out/crt-classpath.txt" ]]; then
  log "resolving the CRT transfer manager (bench/java/pom.xml)"
  mvn -B -q -f "$bench/java/pom.xml" dependency:build-classpath \
    -Dmdep.outputFile="$out/crt-classpath.txt" >"$out/crt-mvn.log" 2>&1
fi
crt_cp="$out/classes/crt:$(cat "$out/crt-classpath.txt")"
rm -rf "$out/classes" && mkdir -p "$out/classes/s3pool" "$out/classes/crt"
javac -nowarn -d "$out/classes/s3pool" -cp "$s3pool_cp" "$bench/java/Manifest.java" \
  "$bench/java/Warm.java" "$bench/java/S3poolBench.java" "$bench/java/S3ProxyServer.java"
jar cf "$out/classes/s3pool-bench.jar" -C "$out/classes/s3pool" .
javac -nowarn -d "$out/classes/crt" -cp "$crt_cp" "$bench/java/Manifest.java" "$bench/java/Warm.java" \
  "$bench/java/CrtBench.java"

# 2. Data, once
log "generating data (once) into $out/data"
$PY "$bench/gen_data.py" "$out/data"
manifest="$out/data/manifest.tsv"

# 3. Servers, stopped on exit
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$out/dl"
}
trap cleanup EXIT
declare -A endpoint
if [[ " $SERVERS " == *" nginx "* ]]; then
  mkdir -p "$out/nginx/tmp"
  sed -e "s#@OUT@#$out#g" -e "s#@PORT@#$PORT#g" -e "s#@ROOT@#$out/data#g" \
    "$bench/nginx.conf.in" >"$out/nginx/nginx.conf"
  nginx -c "$out/nginx/nginx.conf" -e "$out/nginx/error.log" &
  pids+=($!)
  endpoint[nginx]="http://127.0.0.1:$PORT"
  for _ in $(seq 50); do curl -sf -o /dev/null -I "${endpoint[nginx]}/bench/w0/one-byte.bin" && break; sleep 0.1; done
fi
if [[ " $SERVERS " == *" s3proxy "* ]]; then
  log "starting S3Proxy and uploading the data (putObject)"
  rm -rf "$out/s3proxy-store" "$out/s3proxy.endpoint"
  mkfifo "$out/s3proxy.stdin" 2>/dev/null || true
  java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$s3pool_cp:$(cat "$root/cli/target/demo-classpath.txt")" S3ProxyServer \
    "$out/s3proxy-store" "$out/data" "$manifest" "$out/s3proxy.endpoint" \
    <"$out/s3proxy.stdin" >"$out/s3proxy.log" 2>&1 &
  pids+=($!)
  exec 9>"$out/s3proxy.stdin" # holds the server's stdin open; closed at exit
  for _ in $(seq 1200); do [[ -s "$out/s3proxy.endpoint" ]] && break; sleep 0.25; done
  endpoint[s3proxy]="$(cat "$out/s3proxy.endpoint")"
fi

s3pool_archive() { # the driver JVM's class-data archive: written by the first run, used after
  local a="$out/classes/s3pool-bench.jsa"
  if [[ -s "$a" ]]; then echo "-XX:SharedArchiveFile=$a"; else echo "-XX:ArchiveClassesAtExit=$a"; fi
}

s3pool_jdk_files() { # the driver JVM's AOT cache on JDK_NEW, and the record it is made from
  echo "$out/classes/s3pool-bench-jdk$JDK_NEW_FEATURE.aot $out/classes/s3pool-bench-jdk$JDK_NEW_FEATURE.aotconf"
}

s3pool_jdk_aot() { # on JDK_NEW: the driver's AOT cache once made, else record what this run loads
  local a conf
  read -r a conf <<<"$(s3pool_jdk_files)"
  if [[ -s "$a" ]]; then echo "-XX:AOTCache=$a"; else echo "-XX:AOTMode=record -XX:AOTConfiguration=$conf"; fi
}

s3pool_jdk_flags() { # what ./s3pool gives its own JVM on Java 24 and later
  echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:aot=off --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp $s3pool_cp"
}

s3pool_jdk_cache() { # after a run that recorded: make the driver's AOT cache (no download runs)
  local a conf
  read -r a conf <<<"$(s3pool_jdk_files)"
  if [[ -s "$conf" && ! -s "$a" ]]; then
    # shellcheck disable=SC2046
    "$JDK_NEW/bin/java" -XX:AOTMode=create -XX:AOTConfiguration="$conf" -XX:AOTCache="$a" $(s3pool_jdk_flags) >"$out/aot-create.log" 2>&1 ||
      log "could not make $a (see $out/aot-create.log)"
  fi
}

client_cmd() { # client endpoint workload dest; CLIENT-warm: the same, timed on a 2nd batch
  local c=$1 e=$2 w=$3 d=$4
  if [[ $c == *-warm ]]; then
    echo "$(client_cmd "${c%-warm}" "$e" "$w" "$d") warm"
    return
  fi
  case $c in
    curl) echo "$PY $bench/clients/curl_ceiling.py $e $manifest $w $d" ;;
    reference) echo "$PY $bench/clients/ref_processpool.py $e $manifest $w $d" ;;
    boto3) echo "$PY $bench/clients/boto3_threads.py $e $manifest $w $d" ;;
    crt) echo "java -cp $crt_cp CrtBench $e $manifest $w $d" ;;
    # The flags ./s3pool gives its own JVM (C1, serial GC, a class-data archive made by the warm-up
    # run), since the embedded broker runs in this JVM; see bench/README.md.
    s3pool) echo "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off $(s3pool_archive) -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp $s3pool_cp S3poolBench $e $manifest $w $d" ;;
    # The same on a JDK 25 or later (JDK_NEW), with an AOT cache instead; the children inherit the JDK.
    s3pool-jdk*) echo "$JDK_NEW/bin/java $(s3pool_jdk_aot) $(s3pool_jdk_flags) S3poolBench $e $manifest $w $d" ;;
  esac
}

results="$out/results.jsonl"
: >"$results"
# 4. Runs: round-robin over clients inside each run, fresh output directory each time
for server in $SERVERS; do
  for w in $WORKLOADS; do
    for run in $(seq $((1 - WARMUP)) "$RUNS"); do
      for c in $CLIENTS; do
        [[ $c == curl && $server != nginx ]] && continue # curl does not sign requests
        rm -rf "$out/dl" && mkdir -p "$out/dl"
        sync
        ((run >= 1 && SETTLE > 0)) && sleep "$SETTLE"
        if ((run < 1)); then
          log "$server $w warm-up: $c"
          BENCH_PHASE_FILE="$out/phase" $(client_cmd "$c" "${endpoint[$server]}" "$w" "$out/dl") >"$out/client.log" 2>&1 || true
          [[ $c == s3pool-jdk* ]] && s3pool_jdk_cache
          continue
        fi
        log "$server $w run $run: $c"
        # shellcheck disable=SC2046
        rm -f "$out/phase"
        if ! BENCH_PHASE_FILE="$out/phase" $PY "$bench/measure.py" "$out/m.json" -- $(client_cmd "$c" "${endpoint[$server]}" "$w" "$out/dl") >"$out/client.log" 2>&1; then
          log "FAILED: $server $w $c (see $out/client.log)"; tail -5 "$out/client.log" >&2
        fi
        [[ $c == s3pool-jdk* ]] && s3pool_jdk_cache
        verified=$($PY "$bench/verify.py" "$manifest" "$w" "$out/dl" "$out/data" "$run")
        $PY -c 'import json,os,sys; d=json.load(open(sys.argv[1])); d.update(server=sys.argv[2], workload=sys.argv[3], client=sys.argv[4], run=int(sys.argv[5]), verified=sys.argv[6], settle_s=float(sys.argv[8])); p=sys.argv[7]; os.path.exists(p) and d.update(phase_s=float(open(p).read())); print(json.dumps(d))' \
          "$out/m.json" "$server" "$w" "$c" "$run" "$verified" "$out/phase" "$SETTLE" >>"$results"
      done
    done
  done
  # 5. Cold start: one 1-byte object, s3pool cp (JVMs included) vs the reference, round-robin;
  # then s3pool-cp-fleet: cp --broker to a fleet started before its runs (the fleet's JVMs are not
  # measured, only the cp command's)
  # s3pool-cp-jdkN: the same cp on a JDK 25 or later when the machine has one (JDK_NEW, else the
  # first under /usr/lib/jvm), where the launcher and the children use AOT caches.
  if [[ $COLD == 1 ]]; then
    cold_cmd() { # client
      case $1 in
        s3pool-cp) echo "$root/s3pool cp s3://bench/w0/one-byte.bin $out/dl/ --endpoint-url ${endpoint[$server]} --region us-east-1" ;;
        s3pool-cp-jdk*) echo "env JAVA_HOME=$JDK_NEW $(cold_cmd s3pool-cp)" ;;
        s3pool-cp-fleet) echo "$root/s3pool cp s3://bench/w0/one-byte.bin $out/dl/ --broker $broker_url" ;;
        *) client_cmd reference "${endpoint[$server]}" w0 "$out/dl" ;;
      esac
    }
    cold_runs() { # clients...
      local run c
      for run in $(seq $((1 - WARMUP)) "$RUNS"); do
        for c in "$@"; do
          rm -rf "$out/dl" && mkdir -p "$out/dl"
          read -r -a cmd <<<"$(cold_cmd "$c")"
          if ((run < 1)); then
            log "$server cold 1-byte warm-up: $c"
            "${cmd[@]}" >"$out/client.log" 2>&1 || true
            # On Java 25 the run after the recording one makes the launcher's AOT cache.
            [[ $c == s3pool-cp-jdk* ]] && { "${cmd[@]}" >"$out/client.log" 2>&1 || true; }
            continue
          fi
          log "$server cold 1-byte run $run: $c"
          $PY "$bench/measure.py" "$out/m.json" -- "${cmd[@]}" >"$out/client.log" 2>&1 || { log "FAILED: cold $c"; tail -5 "$out/client.log" >&2; }
          verified=$($PY "$bench/verify.py" "$manifest" w0 "$out/dl" "$out/data" 1)
          $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); d.update(server=sys.argv[2], workload="w0", client=sys.argv[3], run=int(sys.argv[4]), verified=sys.argv[5]); print(json.dumps(d))' \
            "$out/m.json" "$server" "$c" "$run" "$verified" >>"$results"
        done
      done
    }
    cold_runs reference s3pool-cp ${JDK_NEW:+"s3pool-cp-jdk$JDK_NEW_FEATURE"}

    broker_url="tcp://127.0.0.1:$((PORT + 1))"
    fleet=()
    "$root/s3pool" broker --bind "127.0.0.1:$((PORT + 1))" >"$out/fleet-broker.log" 2>&1 &
    fleet+=($!)
    for role in submitter worker; do
      "$root/s3pool" "$role" --broker "$broker_url" --endpoint-url "${endpoint[$server]}" \
        --region us-east-1 >"$out/fleet-$role.log" 2>&1 &
      fleet+=($!)
    done
    pids+=("${fleet[@]}")
    log "$server: fleet started for s3pool-cp-fleet; the first cp waits until it serves"
    rm -rf "$out/dl" && mkdir -p "$out/dl"
    read -r -a cmd <<<"$(cold_cmd s3pool-cp-fleet)"
    timeout 120 "${cmd[@]}" >"$out/client.log" 2>&1 ||
      { log "FAILED: the fleet served no cp (see $out/fleet-*.log)"; tail -5 "$out/client.log" >&2; }
    cold_runs s3pool-cp-fleet
    kill "${fleet[@]}" 2>/dev/null || true
    wait "${fleet[@]}" 2>/dev/null || true
  fi
done
$PY "$bench/table.py" "$results" | tee "$out/table.md"
