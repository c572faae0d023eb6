#!/usr/bin/env bash
# Makes the sample's development certificate: self-signed, EC P-256, for localhost and 127.0.0.1, valid 10 years.
# The key is committed on purpose: it belongs to nobody, protects nothing, and lets the https profile work from a
# clean clone. Never use it (or this profile) for anything but local development.
#   cd sample-app/src/main/resources/dev-tls && ./make-dev-cert.sh
set -euo pipefail
openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out dev-key.pem
openssl req -x509 -new -key dev-key.pem -sha256 -days 3650 -subj "/CN=localhost/O=hybrid-server sample (development only)" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=serverAuth" -out dev-cert.pem
