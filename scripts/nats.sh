#!/usr/bin/env bash
# The broker for development and tests: scripts/nats.sh start|stop|status.
#
# `start` uses the nats-server with JetStream that answers at NATS_URL (default nats://127.0.0.1:4222) if one
# does; otherwise it starts Debian's `nats-server` (apt-get install nats-server) in the background on loopback
# with JetStream and a store folder of its own, and waits until JetStream answers. `stop` stops only a server
# this script started. `status` says whether JetStream answers.
#
# To use any other NATS server or cluster instead, set NATS_URL for the shop and do not run this script.
set -euo pipefail
cd "$(dirname "$0")/.."

url="${NATS_URL:-nats://127.0.0.1:4222}"
port="${url##*:}"
port="${port%%,*}"
store="${NATS_STORE_DIR:-.data/nats-$port}"
pidfile="$store/nats-server.pid"

log() { printf 'nats: %s\n' "$*" >&2; }

answers() { NATS_URL="$url" npx --no-install tsx scripts/nats-check.ts "$@"; }

ours() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-status}" in
  start)
    if answers --quiet; then
      log "JetStream answers at $url"
      exit 0
    fi
    if ! command -v nats-server >/dev/null; then
      log "nothing answers at $url, and nats-server is not installed: apt-get install nats-server (Debian), or set NATS_URL"
      exit 1
    fi
    mkdir -p "$store"
    log "starting nats-server with JetStream on 127.0.0.1:$port (store: $store)"
    # setsid: the server outlives this script and the terminal it ran in, like the PostgreSQL server does.
    setsid nats-server --jetstream --addr 127.0.0.1 --port "$port" --store_dir "$store" --pid "$pidfile" \
      --log "$store/nats-server.log" </dev/null >/dev/null 2>&1 &
    for _ in $(seq 50); do
      answers --quiet && { log "JetStream answers at $url"; exit 0; }
      sleep 0.2
    done
    log "nats-server did not answer within 10 s; its log: $store/nats-server.log"
    tail -n 20 "$store/nats-server.log" >&2 || true
    exit 1
    ;;
  stop)
    if ours; then
      kill "$(cat "$pidfile")"
      log "stopped the nats-server this script started"
    else
      log "no nats-server started by this script is running (a system one is left alone)"
    fi
    ;;
  status)
    answers
    ;;
  *)
    echo "usage: scripts/nats.sh start|stop|status" >&2
    exit 2
    ;;
esac
