#!/usr/bin/env bash
# Runs every Weir test. The test fixtures install and start the real servers they need themselves
# (tests/infra/*.sh: PostgreSQL, git over HTTP, s3rver, azurite, ...), so a fresh Debian machine with
# the .NET SDK needs nothing else. Ends with the line "N passed, N failed" summed over all projects.
set -uo pipefail
cd "$(dirname "$0")"

# git: the tests drive it directly, and Weir's git storage runs it. The servers' own packages are
# installed by their scripts when a fixture first starts them.
# shellcheck source=tests/infra/lib.sh
source tests/infra/lib.sh
if ! command -v git >/dev/null 2>&1 && ! apt_install git git; then
  echo "0 passed, 1 failed"
  exit 1
fi

configuration=${CONFIGURATION:-Release}
results="$PWD/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

echo "== Building Weir.slnx ($configuration)"
if ! dotnet build Weir.slnx -c "$configuration" -nologo -clp:ErrorsOnly; then
  echo "The build failed; no tests ran."
  echo "0 passed, 1 failed"
  exit 1
fi

failed_projects=0
for project in tests/*/*Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  if ! dotnet test "$project" -c "$configuration" --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" ${TEST_FILTER:+--filter "$TEST_FILTER"}; then
    failed_projects=$((failed_projects + 1))
  fi
  if [ ! -f "$results/$name.trx" ]; then
    echo "$name produced no results (the test host crashed or did not start); counting it as one failure."
    echo "<Counters total=\"1\" executed=\"1\" passed=\"0\" failed=\"1\" />" > "$results/$name.trx"
  fi
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ] || [ "$failed_projects" -gt 0 ]; then
  exit 1
fi
