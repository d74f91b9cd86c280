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
infra=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

start_server() {
  npm_ci "s3rver and azurite" "$infra" node_modules/.bin/s3rver
  mkdir -p "$dir/data"
  # s3rver makes list continuation tokens with a cipher that OpenSSL 3 keeps in its legacy provider.
  start_in_background s3rver 30 "http://127.0.0.1:$port" env NODE_OPTIONS=--openssl-legacy-provider \
    "$infra/node_modules/.bin/s3rver" --address 127.0.0.1 --port "$port" --directory "$dir/data" --silent
}

server_main s3rver "usage: s3rver.sh start DIR PORT | stop DIR" "$@"
