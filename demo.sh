#!/usr/bin/env bash
# Weir's main job, end to end, on the embedded default:
#   1. start the Weir server (SQLite under a temporary WEIR_HOME) on 127.0.0.1
#   2. serve a private git repository over HTTP with a token (nginx + git-http-backend on 127.0.0.1)
#   3. push an example flow, store the token in a Secret block, deploy with git storage
#   4. start a worker, run the deployment and show its output and commit
#   5. change a task's code, commit and push, run again (no re-deploy) and show the new output and commit
# Everything it starts is stopped again; it exits 0 when both runs show what they should.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/weir-demo.XXXXXX)
export WEIR_HOME="$work/home"
port=${WEIR_DEMO_PORT:-4280}
git_port=${WEIR_DEMO_GIT_PORT:-4281}
export WEIR_API_URL="http://127.0.0.1:$port"
token="demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
pids=()

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  "$root/tests/infra/git-server.sh" stop "$work/git" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# WEIR_CLI=path/to/Weir.Cli.dll runs an existing build instead of ./weir (the test suite does this).
if [ -n "${WEIR_CLI:-}" ]; then cli=(dotnet "$WEIR_CLI"); else cli=("$root/weir"); fi
weir() { "${cli[@]}" "$@"; }

say "Building weir"
weir --help >/dev/null

for p in "$port" "$git_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "Port $p is already in use on 127.0.0.1; stop what uses it, or pick others with WEIR_DEMO_PORT and WEIR_DEMO_GIT_PORT." >&2
    exit 1
  fi
done

say "Starting the Weir server on $WEIR_API_URL (SQLite in $WEIR_HOME)"
# Started directly (not through the function), so $! is the process itself and cleanup stops it.
"${cli[@]}" server start --port "$port" >"$work/server.log" 2>&1 &
pids+=($!)
# Wait for the port with bash alone (no curl needed on a fresh machine).
up() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
for _ in $(seq 1 300); do up && break; sleep 0.1; done
up || { echo "The server did not start:"; cat "$work/server.log"; exit 1; }

say "Serving a private git repository on http://127.0.0.1:$git_port (token auth)"
mkdir -p "$work/git"
printf 'x-access-token:{PLAIN}%s\n' "$token" >"$work/git/users"
"$root/tests/infra/git-server.sh" start "$work/git" "$git_port" >/dev/null
git init -q --bare --initial-branch=main "$work/git/repos/flows.git"
repo_url="http://127.0.0.1:$git_port/flows.git"

say "Pushing the example flow"
project="$work/project"
mkdir -p "$project/flows"
cp "$root/examples/flows/my_flow.cs" "$project/flows/my_flow.cs"
cat >"$project/weir.yaml" <<YAML
name: demo
pull:
- git_clone:
    id: clone
    repository: $repo_url
    branch: main
    access_token: '{{ weir.blocks.secret.demo-repo-token }}'
deployments:
- name: nightly
  entrypoint: flows/my_flow.cs:example
  work_pool: { name: demo-pool }
  parameters: { limit: 3 }
YAML
git -C "$project" init -q -b main
git -C "$project" add -A
git -C "$project" -c user.email=demo@weir.local -c user.name=demo commit -qm "Add the example flow"
git -C "$project" push -q "$work/git/repos/flows.git" main

say "Storing the token in a Secret block and deploying"
printf '%s' "$token" | weir secret set demo-repo-token
(cd "$project" && weir deploy nightly)

say "Starting a worker"
"${cli[@]}" worker start --pool demo-pool >"$work/worker.log" 2>&1 &
pids+=($!)

say "Run 1"
weir deployment run example/nightly --watch | tee "$work/run1.txt"

say "Changing PrintData and pushing (no re-deploy)"
sed -i 's/Console.WriteLine(string.Join(", ", data));/Console.WriteLine("Data: " + string.Join(" | ", data));/' "$project/flows/my_flow.cs"
git -C "$project" -c user.email=demo@weir.local -c user.name=demo commit -qam "Print the data differently"
git -C "$project" push -q "$work/git/repos/flows.git" main
# A worker asks the git server about a branch at most once per refresh window (git_clone's refresh_seconds, 1 s by
# default): every run that starts more than that after the push uses the pushed code.
sleep 1.2

say "Run 2"
weir deployment run example/nightly --watch | tee "$work/run2.txt"

say "What ran"
commit1=$(grep -o 'commit [0-9a-f]\{12\}' "$work/run1.txt" | head -n1 || true)
commit2=$(grep -o 'commit [0-9a-f]\{12\}' "$work/run2.txt" | head -n1 || true)
echo "Run 1: $(grep -o '1, 2, 3' "$work/run1.txt" | head -n1) ($commit1)"
echo "Run 2: $(grep -o 'Data: 1 | 2 | 3' "$work/run2.txt" | head -n1) ($commit2)"
grep -q '1, 2, 3' "$work/run1.txt" && grep -q 'Data: 1 | 2 | 3' "$work/run2.txt" && [ -n "$commit1" ] && [ "$commit1" != "$commit2" ]
say "Done: the second run used the pushed code without a re-deploy."
