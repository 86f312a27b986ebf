#!/usr/bin/env python3
"""Client certificates certgen does not make, for the client_cert tests:
expired.pem/key: issued by the lab intermediate, clientAuth, validity ended 30 days ago;
untrusted.pem/key: self-signed, clientAuth (no lab CA issued it).
Usage: make_client_certs.py CA_DIR OUT_DIR (CA_DIR holds intermediate.pem and intermediate.key)."""
import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, ed448
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def write(out_dir, name, cert, key):
    with open(f"{out_dir}/{name}.pem", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(f"{out_dir}/{name}.key", "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def client_cert(common_name, key, issuer_name, issuer_key, not_before, not_after):
    digest = None if isinstance(issuer_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else hashes.SHA256()
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(issuer_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(issuer_key, digest))


def main():
    ca_dir, out_dir = sys.argv[1], sys.argv[2]
    with open(f"{ca_dir}/intermediate.pem", "rb") as f:
        intermediate = x509.load_pem_x509_certificate(f.read())
    with open(f"{ca_dir}/intermediate.key", "rb") as f:
        intermediate_key = serialization.load_pem_private_key(f.read(), password=None)
    now = datetime.datetime.now(datetime.timezone.utc)

    key = ec.generate_private_key(ec.SECP256R1())
    cert = client_cert("expired lab client", key, intermediate.subject, intermediate_key,
                       now - datetime.timedelta(days=60), now - datetime.timedelta(days=30))
    write(out_dir, "expired", cert, key)

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "untrusted client")])
    cert = client_cert("untrusted client", key, name, key, now - datetime.timedelta(days=1), now + datetime.timedelta(days=30))
    write(out_dir, "untrusted", cert, key)


if __name__ == "__main__":
    main()
