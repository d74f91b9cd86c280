#!/usr/bin/env bash
# A GCS JSON-API emulator for tests: firebase-tools' Cloud Storage emulator (pinned in gcs/package.json),
# on 127.0.0.1 only, started by gcs/emulator.js with a stub of its Java rules runtime (gcs/RulesRuntimeStub.java,
# compiled here) because the real one is downloaded from the internet at first use. Installs itself with
# npm ci (and a JDK with apt-get when javac is missing).
#
#   gcs-emulator.sh start DIR PORT   starts it in the background, records its PID in DIR, prints the endpoint URL
#   gcs-emulator.sh stop DIR         stops it (and the rules runtime it started) by that PID
# The emulator's GCS API does not check credentials.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

gcs=$(cd "$(dirname "${BASH_SOURCE[0]}")/gcs" && pwd)

start_server() {
  npm_ci "firebase-tools (its storage emulator)" "$gcs" node_modules/firebase-tools/package.json
  if ! command -v javac >/dev/null 2>&1 || ! command -v jar >/dev/null 2>&1; then
    apt_install "a JDK for the stub rules runtime" openjdk-17-jdk-headless
  fi
  mkdir -p "$dir/emulators" "$dir/classes"
  # The emulator looks for its rules runtime under FIREBASE_EMULATORS_PATH by this versioned name.
  local jar_name
  jar_name=$(node -e 'const i = require(process.argv[1]); console.log(i.storage.downloadPathRelativeToCacheDir)' "$gcs/node_modules/firebase-tools/lib/emulator/downloadableEmulatorInfo.json")
  javac -d "$dir/classes" "$gcs/RulesRuntimeStub.java"
  printf 'Main-Class: RulesRuntimeStub\n' >"$dir/manifest.txt"
  jar cfm "$dir/emulators/$jar_name" "$dir/manifest.txt" -C "$dir/classes" .
  cat >"$dir/storage.rules" <<'RULES'
rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /{allPaths=**} { allow read, write: if true; }
  }
}
RULES
  # Its own session, so that stop ends the rules runtime it starts too.
  start_in_background gcs-emulator 30 "http://127.0.0.1:$port" env FIREBASE_EMULATORS_PATH="$dir/emulators" NO_UPDATE_NOTIFIER=1 \
    node "$gcs/emulator.js" "$port" "$dir/storage.rules"
}

server_main gcs-emulator "usage: gcs-emulator.sh start DIR PORT | stop DIR" "$@"
