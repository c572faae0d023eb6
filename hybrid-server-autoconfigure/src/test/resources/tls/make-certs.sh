#!/usr/bin/env bash
# Makes the TLS material the tests use: throw-away keys for tests only, valid for 100 years.
# Rerun it (from this directory) to replace them; tests read serial numbers, so keep the serials below.
#
#   ca.pem / ca.key                 test CA (EC P-256) that signs the server and client certificates
#   server.pem / server.key         CN=localhost, SAN localhost + 127.0.0.1, serial 0x1001
#   server-renewed.pem / .key       the same names, serial 0x1002 (the reload test swaps it in)
#   alt.pem / alt.key               CN=alt.example.test, serial 0x1003 (the SNI test's second host)
#   client.pem / client.key         CN=test-client, signed by the test CA, serial 0x2001
#   stranger.pem / stranger.key     CN=stranger, self-signed: a client certificate nobody trusts
#   server.p12 / server.jks         server.pem + server.key under alias "server" (password "secret")
#   truststore.p12                  ca.pem as a trusted entry (password "secret")
set -euo pipefail
days=36500
ec() { openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$1"; }

ec ca.key
openssl req -x509 -new -key ca.key -sha256 -days $days -subj "/CN=hybrid-server test CA" -set_serial 0x100 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

sign() { # name cn serial extensions
  ec "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
  printf '%s\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "$3" -days $days -sha256 \
    -extfile "$1.ext" -out "$1.pem"
  rm -f "$1.csr" "$1.ext"
}
server_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth'
sign server localhost 0x1001 "$server_ext
subjectAltName=DNS:localhost,IP:127.0.0.1"
sign server-renewed localhost 0x1002 "$server_ext
subjectAltName=DNS:localhost,IP:127.0.0.1"
sign alt alt.example.test 0x1003 "$server_ext
subjectAltName=DNS:alt.example.test"
sign client test-client 0x2001 'basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth'

ec stranger.key
openssl req -x509 -new -key stranger.key -sha256 -days $days -subj "/CN=stranger" -set_serial 0x3001 \
  -addext "extendedKeyUsage=clientAuth" -out stranger.pem

rm -f server.p12 server.jks truststore.p12
openssl pkcs12 -export -name server -inkey server.key -in server.pem -certfile ca.pem \
  -passout pass:secret -out server.p12
keytool -importkeystore -srckeystore server.p12 -srcstoretype PKCS12 -srcstorepass secret \
  -destkeystore server.jks -deststoretype JKS -deststorepass secret -noprompt 2>/dev/null
keytool -importcert -alias test-ca -file ca.pem -keystore truststore.p12 -storetype PKCS12 \
  -storepass secret -noprompt 2>/dev/null
