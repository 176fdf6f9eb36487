#!/bin/sh
# Install the Debian packages sekisho needs, only those missing.
# Runs as root (CI, fresh machine); as another user it prints what is missing.
set -eu
PKGS="build-essential pkg-config clang libclang-rt-14-dev libmicrohttpd-dev libjansson-dev \
libsqlite3-dev libssl-dev libcurl4-openssl-dev libcmocka-dev sqlite3 \
nodejs npm wrk curl libnftables-dev libnftnl-dev libmnl-dev nftables iproute2 netcat-openbsd socat \
iputils-ping jq python3"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $p"
done
# Node 20 may come from outside Debian's archive; accept any node >= 18.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  missing=$(echo "$missing" | sed 's/ nodejs//; s/ npm//')
fi
[ -z "$(echo "$missing" | tr -d ' ')" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages:$missing (run as root: apt-get install$missing)" >&2
  exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
