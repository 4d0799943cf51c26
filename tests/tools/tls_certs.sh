#!/bin/sh
# Makes the certificates the TLS tests use, in DIR (created if needed), with the openssl CLI:
#   ca.pem             a test CA ("akt test CA")
#   node.pem node.key  a node certificate from that CA, for 127.0.0.1 and localhost, good
#                      for both TLS server and client (every node is both)
#   other-ca.pem       a second CA, trusted by nobody
#   rogue.pem rogue.key a certificate for 127.0.0.1 from the second CA
# Keys are EC P-256 (quick to make); certificates last a day. Prints nothing on success.
set -eu
dir=${1:?usage: tls_certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
ext=ext.cnf
cat > "$ext" <<'CNF'
[node]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
CNF
ca() { # name subject
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$1.key" -out "$1.pem" -days 1 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
    2>/dev/null
}
leaf() { # name ca subject
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$1.key" -out "$1.csr" -subj "/CN=$3" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
    -out "$1.pem" -days 1 -extfile "$ext" -extensions node 2>/dev/null
  rm -f "$1.csr"
}
ca ca "akt test CA"
ca other-ca "akt untrusted CA"
leaf node ca "akt node"
leaf rogue other-ca "akt rogue node"
rm -f "$ext" ./*.srl
