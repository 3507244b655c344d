#!/bin/sh
# Writes the JDK 25 AOT cache (JEP 483/514/515) of the packaged bridge: one training start with
# -XX:AOTCacheOutput until Quarkus reports "started", then a normal stop (SIGTERM); the JVM writes
# the cache as it exits. Run by docker/Dockerfile.jvm during the image build, and by the benchmark
# harness (P3) for the figure it reports, so both measure the same cache.
#
# No broker and no API server exist during an image build: the training start points both at a
# closed port. It covers the JVM's and Quarkus' boot and the Kafka, Fabric8 and Vert.x classes loaded
# up to "started"; what follows (the first LIST and watch, joining the consumer group) waits on the
# network, which no cache shortens.
#
#   JAVA       the java to train with (default: java)          APP_DIR   the fast-jar directory
#   AOT_CACHE  the cache to write (default: $APP_DIR/app.aot)  JAVA_OPTS the runtime's JVM options
# The runtime must start with the same JAVA_OPTS, the same JVM and the same jars at the same paths
# (-XX:AOTCache=$AOT_CACHE); otherwise the JVM ignores the cache, says so, and starts without it.
set -eu
JAVA="${JAVA:-java}"
APP_DIR="${APP_DIR:-/deployments}"
AOT_CACHE="${AOT_CACHE:-$APP_DIR/app.aot}"
LOG="${TMPDIR:-/tmp}/aot-train.$$.log"

cd "$APP_DIR"
rm -f "$AOT_CACHE"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
"$JAVA" ${JAVA_OPTS:-} -XX:AOTCacheOutput="$AOT_CACHE" \
  -Dquarkus.http.port=0 \
  -Dkafka.bootstrap.servers=127.0.0.1:1 \
  -Dquarkus.kubernetes-client.api-server-url=http://127.0.0.1:1 \
  -jar "$APP_DIR/quarkus-run.jar" >"$LOG" 2>&1 &
pid=$!
tries=0
until grep -q ' started in ' "$LOG"; do
  if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -ge 240 ]; then
    echo "aot-train: the training start did not reach 'started' (log follows)" >&2
    cat "$LOG" >&2
    kill -KILL "$pid" 2>/dev/null || true
    exit 1
  fi
  tries=$((tries + 1))
  sleep 0.5
done
kill -TERM "$pid"
wait "$pid" || true # the exit code of a stop by SIGTERM is 143
if [ ! -s "$AOT_CACHE" ]; then
  echo "aot-train: no AOT cache was written (log follows)" >&2
  cat "$LOG" >&2
  exit 1
fi
rm -f "$LOG"
echo "aot-train: wrote $AOT_CACHE ($(wc -c <"$AOT_CACHE") bytes)"
