#!/usr/bin/env bash
# Field case 2 (CRM E-mail Router vs Exchange) without the proxy: make the certificates an
# Exchange server would wrongly present, then judge them as a strict client does.
set -euo pipefail
tlsfault="${TLSFAULT:-$(dirname "$0")/../build/tlsfault}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$tlsfault" certgen --out "$out" --host exchange.contoso.com --profile self-signed --profile wrong-host --profile good
for profile in good self-signed wrong-host; do
  dir="$out/exchange.contoso.com/$profile"
  printf '%-12s ' "$profile:"
  openssl verify -CAfile "$out/ca/root.pem" -untrusted "$dir/fullchain.pem" \
    -verify_hostname exchange.contoso.com "$dir/cert.pem" 2>&1 | grep -E 'error|OK' | head -1 || true
done
echo "On the Exchange server: import $out/exchange.contoso.com/self-signed/bundle.p12 (password tlsfault)."
