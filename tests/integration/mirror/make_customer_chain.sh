#!/bin/sh
# Makes a "customer" chain with the openssl CLI, the way a public CA's looks: root (EC P-384,
# SHA-384) -> policy CA (RSA 2048) -> issuing CA (EC P-256) -> leaf (RSA 2048) for
# www.contoso.test, with certificate policies, EKU, CDP and AIA URLs and SANs.
# Writes into DIR: chain.pem (leaf first), bundle.pem (shuffled), leaf.cer (DER), root.pem.
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"

cat > ext.cnf <<'CNF'
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[policy_ca]
basicConstraints = critical,CA:TRUE,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
certificatePolicies = 2.5.29.32.0
crlDistributionPoints = URI:http://crl.contoso.test/root.crl
authorityInfoAccess = OCSP;URI:http://ocsp.contoso.test/root,caIssuers;URI:http://pki.contoso.test/root.cer
[issuing_ca]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,digitalSignature,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
certificatePolicies = 1.3.6.1.4.1.311.21.10,2.23.140.1.2.2
crlDistributionPoints = URI:http://crl.contoso.test/policy1.crl
authorityInfoAccess = caIssuers;URI:http://pki.contoso.test/policy1.cer
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:www.contoso.test,DNS:api.contoso.test,DNS:localhost,IP:127.0.0.1
certificatePolicies = 2.23.140.1.2.2,1.3.6.1.4.1.311.42.1
crlDistributionPoints = URI:http://crl.contoso.test/issuing2.crl
authorityInfoAccess = OCSP;URI:http://ocsp.contoso.test/issuing2,caIssuers;URI:http://pki.contoso.test/issuing2.cer
CNF

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out root.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out policy.key 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out issuing.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out leaf.key 2>/dev/null

openssl req -new -x509 -key root.key -sha384 -days 3650 -subj "/C=US/O=Contoso Trust/CN=Contoso Root CA R1" \
  -config ext.cnf -extensions root -out root.pem 2>/dev/null
openssl req -new -key policy.key -subj "/C=US/O=Contoso Trust/CN=Contoso Policy CA 1" -out policy.csr
openssl x509 -req -in policy.csr -CA root.pem -CAkey root.key -set_serial 0x2002 -days 2000 -sha384 \
  -extfile ext.cnf -extensions policy_ca -out policy.pem 2>/dev/null
openssl req -new -key issuing.key -subj "/C=US/O=Contoso Trust/OU=Servers/CN=Contoso Issuing CA 2" -out issuing.csr
openssl x509 -req -in issuing.csr -CA policy.pem -CAkey policy.key -set_serial 0x3003 -days 1500 -sha256 \
  -extfile ext.cnf -extensions issuing_ca -out issuing.pem 2>/dev/null
openssl req -new -key leaf.key -subj "/C=US/ST=Washington/L=Redmond/O=Contoso Ltd/OU=Web/CN=www.contoso.test" -out leaf.csr
openssl x509 -req -in leaf.csr -CA issuing.pem -CAkey issuing.key -set_serial 0x4004 -days 365 -sha256 \
  -extfile ext.cnf -extensions leaf -out leaf.pem 2>/dev/null

cat leaf.pem issuing.pem policy.pem root.pem > chain.pem
cat policy.pem root.pem leaf.pem issuing.pem > bundle.pem
openssl x509 -in leaf.pem -outform DER -out leaf.cer
