#!/usr/bin/env bash
# Packs Weir's NuGet packages into artifacts/nupkg (or the folder given with -o):
#   Weir            the SDK flow files reference (#:package Weir@VERSION)
#   Weir.Client     the wire contract and the HTTP client
#   Weir.Cli        the weir tool, with the flow runner (Weir.Runner) that workers start beside it
#   Weir.Templates  dotnet new weir-flow and weir-project
# each with its README and, where it holds code, a symbol package (.snupkg). Any other argument goes to every
# dotnet pack: --version-suffix preview.1 for a pre-release, -p:PackageVersion=1.2.3 for the packages' version only.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
out="$root/artifacts/nupkg"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o|--output) out=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
mkdir -p "$out"
for project in src/Weir src/Weir.Client src/Weir.Cli templates/Weir.Templates; do
  echo "Packing $project" >&2
  dotnet pack "$root/$project" -c Release -o "$out" -nologo -clp:ErrorsOnly "${args[@]}"
done
