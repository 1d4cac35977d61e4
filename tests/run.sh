#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests talk to (redis-cli) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-cli >/dev/null || need+=(redis-tools)
if ((${#need[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

dotnet build OrleansLua.sln -c Release -warnaserror -nologo -v q
dotnet test OrleansLua.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@"
