#!/usr/bin/env bash
# s3rver, a fake S3 server from npm, for tests: listens on 127.0.0.1 only, keeps its data in DIR.
# Installs itself from package-lock.json (npm ci) when tests/infra/node_modules is missing.
#
#   s3rver.sh start DIR PORT   starts it in the background, records its PID in DIR, prints the endpoint URL
#   s3rver.sh stop DIR         stops it by that PID
# Credentials are s3rver's fixed pair: access key S3RVER, secret S3RVER.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage="usage: s3rver.sh start DIR PORT | stop DIR"
command=${1:?$usage}
dir=$(realpath -m "${2:?$usage}")
infra=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

stop() { stop_by_pidfile "$dir/s3rver.pid"; }

case "$command" in
  start)
    port=${3:?$usage}
    npm_ci "s3rver and azurite" "$infra" node_modules/.bin/s3rver
    mkdir -p "$dir/data"
    stop
    # Its own session, so that stop ends it and anything it started.
    # s3rver makes list continuation tokens with a cipher that OpenSSL 3 keeps in its legacy provider.
    NODE_OPTIONS=--openssl-legacy-provider setsid "$infra/node_modules/.bin/s3rver" --address 127.0.0.1 --port "$port" --directory "$dir/data" --silent >"$dir/s3rver.log" 2>&1 < /dev/null &
    echo $! >"$dir/s3rver.pid"
    wait_for_port "s3rver" "$port" "$dir/s3rver.pid" "$dir/s3rver.log" 30
    ;;
  stop)
    stop
    ;;
  *)
    echo "$usage" >&2
    exit 2
    ;;
esac
