#!/usr/bin/env bash
# A local Elasticsearch node for development and tests: scripts/elasticsearch.sh start|stop|status.
#
# Elasticsearch publishes a runnable distribution on Maven Central (the integ-test zip: the real server with
# a reduced module set and no bundled JDK). `start` fetches it once with Maven into a cache, then runs it in
# the background on loopback as a single node with security off and a small heap, and waits until it is
# healthy. Elasticsearch refuses to run as root, so as root it runs as the system user `elasticsearch`.
#
# To use any other cluster instead, set ELASTICSEARCH_URL for the app and do not run this script.
set -euo pipefail

version="${ES_VERSION:-8.19.21}"
port="${ES_PORT:-9200}"
heap="${ES_HEAP:-512m}"
url="http://127.0.0.1:${port}"
if [ "$(id -u)" = 0 ]; then
  cache="${ES_CACHE_DIR:-/var/cache/hindsight}"
  run_as=elasticsearch
else
  cache="${ES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hindsight}"
  run_as=
fi
home="$cache/elasticsearch-$version"
# The node's own folder (configuration, data, logs, pid file); ES_NODE_DIR for one elsewhere, as a test's.
node="${ES_NODE_DIR:-$cache/node-$port}"
pidfile="$node/elasticsearch.pid"

log() { printf 'elasticsearch: %s\n' "$*" >&2; }

healthy() {
  curl -fsS "$url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}

running_pid() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && cat "$pidfile"
}

java_home() {
  if [ -n "${ES_JAVA_HOME:-}" ]; then echo "$ES_JAVA_HOME"; return; fi
  if [ -n "${JAVA_HOME:-}" ]; then echo "$JAVA_HOME"; return; fi
  command -v java >/dev/null || { log "needs Java 17 or later (java not found)"; exit 1; }
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

download() {
  [ -x "$home/bin/elasticsearch" ] && return
  command -v mvn >/dev/null || { log "needs Maven to fetch the distribution (mvn not found)"; exit 1; }
  mkdir -p "$cache"
  log "fetching Elasticsearch $version from Maven Central (once; about 100 MB)…"
  mvn -q -B dependency:copy \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$version:zip" \
    -DoutputDirectory="$cache" -Dmdep.overWriteReleases=false
  log "unpacking…"
  rm -rf "$home.partial" && mkdir -p "$home.partial"
  (cd "$home.partial" && unzip -q "$cache/elasticsearch-$version.zip")
  mv "$home.partial/elasticsearch-$version" "$home" && rm -rf "$home.partial" "$cache/elasticsearch-$version.zip"
}

configure() {
  mkdir -p "$node/config" "$node/data" "$node/logs"
  cp "$home/config/jvm.options" "$home/config/log4j2.properties" "$node/config/"
  mkdir -p "$node/config/jvm.options.d"
  printf -- '-Xms%s\n-Xmx%s\n' "$heap" "$heap" > "$node/config/jvm.options.d/heap.options"
  cat > "$node/config/elasticsearch.yml" <<YAML
cluster.name: hindsight-local
node.name: hindsight-local-$port
path.data: $node/data
path.logs: $node/logs
network.host: 127.0.0.1
http.port: $port
transport.port: $((port + 100))
discovery.type: single-node
# A local, loopback-only node: no TLS or users. Point ELASTICSEARCH_URL at a secured cluster in production.
xpack.security.enabled: false
# Development machines often run with little free disk; do not turn indices read-only over it.
cluster.routing.allocation.disk.threshold_enabled: false
YAML
  if [ -n "$run_as" ]; then
    id "$run_as" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$run_as"
    chown -R "$run_as" "$node"
    chmod o+rx "$cache"
  fi
}

start() {
  if healthy; then log "already running at $url"; return; fi
  download
  configure
  local launch=(env ES_JAVA_HOME="$(java_home)" ES_PATH_CONF="$node/config" "$home/bin/elasticsearch" -d -p "$pidfile")
  log "starting Elasticsearch $version at $url (heap $heap)…"
  if [ -n "$run_as" ]; then
    runuser -u "$run_as" -- "${launch[@]}"
  else
    "${launch[@]}"
  fi
  for second in $(seq 1 180); do
    if healthy; then log "ready at $url after ${second}s"; return; fi
    if [ -f "$pidfile" ] && ! running_pid >/dev/null; then break; fi
    sleep 1
  done
  log "did not become healthy; last log lines:"
  tail -n 40 "$node/logs/hindsight-local.log" >&2 2>/dev/null || true
  exit 1
}

stop() {
  local pid
  if ! pid=$(running_pid); then log "not running"; return; fi
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { log "stopped"; return; }; sleep 1; done
  log "still running after 60s; killing"
  kill -9 "$pid"
}

status() {
  if healthy; then
    curl -fsS "$url/_cluster/health?pretty"
  else
    log "not running at $url"
    exit 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
