#!/bin/sh
# Chromium with online revocation checks required for locally trusted roots (the enterprise policy
# RequireOnlineRevocationChecksForLocalAnchors), the strict browser of the revocation field cases.
# Debian's chromium reads policies only from /etc/chromium/policies/managed, so chromium_get.js runs
# in a private mount namespace (unshare -rm: a user namespace, no root needed where the kernel
# allows them) in which a temporary folder holding that one policy is bound over /etc/chromium.
# Nothing outside that namespace changes: other Chromiums on the machine never see the policy.
# Usage: chromium_revocation_get.sh URL PROXY_PORT CA_FILE   (NODE: the node to run; default node)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
etc=$(mktemp -d "${TMPDIR:-/tmp}/tlsfault-chromium-policy.XXXXXX")
trap 'rm -rf "$etc"' EXIT
mkdir -p "$etc/policies/managed"
if [ -f /etc/chromium/master_preferences ]; then cp /etc/chromium/master_preferences "$etc/"; fi
printf '{"RequireOnlineRevocationChecksForLocalAnchors": true}\n' >"$etc/policies/managed/tlsfault-revocation.json"
if [ ! -d /etc/chromium ]; then
  echo "error: /etc/chromium does not exist (is Debian's chromium installed?)" >&2
  exit 2
fi
status=0
unshare -rm sh -c 'mount --bind "$1" /etc/chromium && shift && exec "$@"' sh "$etc" "${NODE:-node}" "$here/chromium_get.js" "$@" || status=$?
exit "$status"
