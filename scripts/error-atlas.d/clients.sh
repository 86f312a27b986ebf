# The clients of scripts/error-atlas, sourced by it: for each installed and selected client, its
# trust set-up (only the lab root $ca, in the client's own kind of trust store) and one
# `add KEY LABEL COMMAND VERSION`. Uses $work, $here, $ca, $request and the helpers selected,
# have, missing and add from scripts/error-atlas.

if selected curl; then
  if have curl; then add curl curl "curl -sS --cacert {ca} -x {proxy} {url}" "$(curl --version | head -1 | cut -d' ' -f1-2,4)"
  else missing curl "not installed (apt-get install curl)"; fi
fi
if selected wget; then
  if have wget; then add wget wget "wget -nv -O /dev/null --ca-certificate={ca} {url}" "$(wget --version | head -1 | cut -d' ' -f1-3)"
  else missing wget "not installed (apt-get install wget)"; fi
fi
if selected python3; then
  add python3 python3 "python3 $here/https_get.py {url} {ca}" "$(python3 --version) ($(python3 -c 'import ssl; print(ssl.OPENSSL_VERSION)'))"
fi
if selected openssl; then
  if have openssl; then
    add openssl "openssl s_client" "bash -c '$request | openssl s_client -proxy 127.0.0.1:{proxy_port} -connect {host}:{port} -servername {host} -CAfile {ca} -verify_return_error -verify_hostname {host} -ign_eof'" "$(openssl version)"
  else missing openssl "not installed (apt-get install openssl)"; fi
fi
if selected gnutls-cli; then
  if have gnutls-cli; then
    add gnutls-cli gnutls-cli "bash -c '$request | gnutls-cli --x509cafile {ca} -p {sni_port} --sni-hostname {host} --verify-hostname {host} 127.0.0.1'" "$(gnutls-cli --version | head -1)"
  else missing gnutls-cli "not installed (apt-get install gnutls-bin)"; fi
fi
if selected node; then
  if have node; then add node node "node $here/https_get.js {url} {sni_port} {ca}" "node $(node --version)"
  else missing node "not installed (apt-get install nodejs)"; fi
fi
if selected java; then
  if have java && have keytool && have javac; then
    keytool -importcert -noprompt -alias tlsfault-lab -file "$ca" -keystore "$work/trust.p12" -storetype PKCS12 -storepass changeit >/dev/null 2>&1
    javac -d "$work" "$here/HttpsGet.java"
    add java java "java -Djavax.net.ssl.trustStore=$work/trust.p12 -Djavax.net.ssl.trustStorePassword=changeit -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort={proxy_port} -cp $work HttpsGet {url}" "$(java -version 2>&1 | head -1)"
  else missing java "not installed (apt-get install openjdk-17-jdk-headless)"; fi
fi
# Chromium: headless through playwright-core; chromium_get.js puts the lab root in an NSS
# database in a fresh HOME per run and goes through the explicit proxy.
if selected chromium; then
  if ! have chromium || ! have node || ! have certutil; then
    missing chromium "needs chromium, node and certutil (apt-get install chromium nodejs libnss3-tools)"
  elif [ ! -d "$root/tests/browser/node_modules/playwright-core" ]; then
    missing chromium "needs playwright-core: npm ci --prefix tests/browser"
  else
    add chromium chromium "node $here/chromium_get.js {url} {proxy_port} {ca}" "$(chromium --version 2>/dev/null | tail -1 | cut -d' ' -f1-2) (playwright-core $(node -p "require('$root/tests/browser/node_modules/playwright-core/package.json').version"))"
  fi
fi
# Chromium again, with online revocation checks required (the managed policy given to it in a
# private mount namespace by chromium_revocation_get.sh): the strict browser of the revocation cases.
if selected chromium-revocation; then
  if ! have chromium || ! have node || ! have certutil || ! have unshare; then
    missing chromium-revocation "needs chromium, node, certutil and unshare (apt-get install chromium nodejs libnss3-tools util-linux)"
  elif [ ! -d "$root/tests/browser/node_modules/playwright-core" ]; then
    missing chromium-revocation "needs playwright-core: npm ci --prefix tests/browser"
  else
    add chromium-revocation "chromium (revocation required)" "sh $here/chromium_revocation_get.sh {url} {proxy_port} {ca}" "$(chromium --version 2>/dev/null | tail -1 | cut -d' ' -f1-2), policy RequireOnlineRevocationChecksForLocalAnchors"
  fi
fi
# Mono: HttpsGet.cs compiled once; the lab root in Mono's user trust store (cert-sync --user)
# under a HOME of its own, which every run of the client uses.
if selected mono; then
  if ! have mono || ! have mcs || ! have cert-sync; then
    missing mono "needs mono, mcs and cert-sync (apt-get install mono-runtime mono-mcs ca-certificates-mono)"
  else
    mcs -nologo -out:"$work/HttpsGet.exe" "$here/HttpsGet.cs"
    mkdir -p "$work/mono-home"
    env HOME="$work/mono-home" XDG_CONFIG_HOME="$work/mono-home/.config" cert-sync --quiet --user "$ca" >/dev/null
    add mono mono "env HOME=$work/mono-home XDG_CONFIG_HOME=$work/mono-home/.config mono $work/HttpsGet.exe {url} {proxy_port}" "$(mono --version | head -1 | cut -d' ' -f1-5)"
  fi
fi
