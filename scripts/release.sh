#!/usr/bin/env bash
# Writes release/mod_event_sync_component.lua (the built file with the package version and
# git commit in its header) and release/SHA256SUMS.
set -euo pipefail
cd "$(dirname "$0")/.."

dist=dist/mod_event_sync_component.lua
version=$(node -p 'require("./package.json").version')
commit=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain -- src types dist package.json)" ]; then
  commit="$commit+uncommitted"
fi

first_line=$(head -n 1 "$dist")
if [ "$first_line" != "-- mod_event_sync_component $version" ]; then
  echo "release: $dist does not start with '-- mod_event_sync_component $version' (got '$first_line'); run make build" >&2
  exit 1
fi

mkdir -p release
{
  echo "-- mod_event_sync_component $version (git commit $commit)"
  tail -n +2 "$dist"
} > release/mod_event_sync_component.lua
(cd release && sha256sum mod_event_sync_component.lua > SHA256SUMS)
echo "release/mod_event_sync_component.lua $version ($commit)"
cat release/SHA256SUMS
