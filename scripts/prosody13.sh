#!/usr/bin/env bash
# Puts Prosody 13 from Debian's bookworm-backports beside the system's Prosody 0.12, without
# installing it: the .deb is unpacked into .cache/prosody-13/ (outside git) and started through
# copies of its launchers whose source and plugin directories point into the unpacked tree.
# 13's runtime dependencies are the Lua 5.4 packages Debian's 0.12 already uses (plus the few
# listed below). Idempotent: does nothing when the unpacked version is the archive's.
#
#   scripts/prosody13.sh            unpack (if needed) and print the launcher's path
#   .cache/prosody-13/bin/prosody   run it as you would run `prosody`
set -euo pipefail
cd "$(dirname "$0")/.."
dest="$PWD/.cache/prosody-13"
# What 13.0's Debian package depends on (apt-cache show prosody=13.0.1-1~bpo12+1).
runtime_deps=(lua5.4 lua-bitop lua-expat lua-filesystem lua-sec lua-socket libicu72 ssl-cert)

backports_version() {
  apt-cache madison prosody 2>/dev/null | awk -F'|' '$2 ~ /~bpo/ && $2 ~ / 13\./ { gsub(/ /, "", $2); print $2; exit }'
}

version=$(backports_version)
if [ -z "$version" ]; then
  # Add bookworm-backports, on the same mirror the machine's own Debian sources use.
  src=/etc/apt/sources.list.d/debian.sources
  uri=$(awk '/^URIs:/ { print $2; exit }' "$src" 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '/^deb / && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  if [ -z "$uri" ]; then
    echo "prosody13.sh: cannot tell which Debian mirror this machine uses (no $src or bookworm line in sources.list)" >&2
    exit 1
  fi
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
    >/etc/apt/sources.list.d/event-sync-backports.sources
  echo "prosody13.sh: added bookworm-backports to apt's sources (priority 100: nothing is upgraded from it)" >&2
  apt-get update -qq
  version=$(backports_version)
fi
if [ -z "$version" ]; then
  echo "prosody13.sh: bookworm-backports has no Prosody 13" >&2
  exit 1
fi

if [ -x "$dest/bin/prosody" ] && [ "$(cat "$dest/debian-version" 2>/dev/null)" = "$version" ]; then
  echo "$dest/bin/prosody"
  exit 0
fi

missing=()
for p in "${runtime_deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 777 "$work" # apt-get download drops to the _apt user
(cd "$work" && apt-get download -q "prosody=$version" >&2)
rm -rf "$dest"
mkdir -p "$dest/bin"
dpkg-deb -x "$work"/prosody_*.deb "$dest/root"
root="$dest/root"
for tool in prosody prosodyctl; do
  sed -e "s|^CFG_SOURCEDIR=.*|CFG_SOURCEDIR='$root/usr/lib/prosody';|" \
      -e "s|^CFG_PLUGINDIR=.*|CFG_PLUGINDIR='$root/usr/lib/prosody/modules/';|" \
      "$root/usr/bin/$tool" >"$dest/bin/$tool"
  chmod +x "$dest/bin/$tool"
  grep -q "^CFG_SOURCEDIR='$root" "$dest/bin/$tool" || { echo "prosody13.sh: could not point $tool at $root" >&2; exit 1; }
done
echo "$version" >"$dest/debian-version"
echo "prosody13.sh: Prosody $version unpacked into $dest" >&2
echo "$dest/bin/prosody"
