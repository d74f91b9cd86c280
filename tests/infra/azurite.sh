#!/usr/bin/env bash
# azurite, the Azure Storage emulator from npm (blob service only), for tests: listens on 127.0.0.1 only, keeps its data in DIR.
# Installs itself from package-lock.json (npm ci) when tests/infra/node_modules is missing.
#
#   azurite.sh start DIR PORT   starts it in the background, records its PID in DIR, prints the endpoint URL
#   azurite.sh stop DIR         stops it by that PID
# Credentials are azurite's well-known development account devstoreaccount1 and its published key.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
infra=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

start_server() {
  npm_ci "s3rver and azurite" "$infra" node_modules/.bin/azurite-blob
  mkdir -p "$dir/data"
  start_in_background azurite 60 "http://127.0.0.1:$port/devstoreaccount1" \
    "$infra/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$port" --location "$dir/data" --disableTelemetry --silent --skipApiVersionCheck --loose
}

server_main azurite "usage: azurite.sh start DIR PORT | stop DIR" "$@"
