#!/bin/sh
# The tls case's certificates, made in DIR by the tests' helper (tests/tools/tls_certs.sh):
# ca.pem, node.pem/node.key from it, and rogue.pem/rogue.key from a CA nobody trusts.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec sh "$here/../../../tests/tools/tls_certs.sh" "${1:?usage: certs.sh DIR}"
