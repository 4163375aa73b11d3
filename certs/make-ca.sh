#!/usr/bin/env bash
# Creates a certificate authority for a jdist/Erlang cluster: ca.key (the CA's private key, readable by
# its owner only; keep it off the nodes) and ca.pem (the CA certificate, which every node trusts).
#
#   certs/make-ca.sh DIR [DAYS] [NAME]
#
# DAYS defaults to 365, NAME (the CA's common name) to "jdist cluster CA". Refuses to overwrite.
set -euo pipefail

dir=${1:?usage: make-ca.sh DIR [DAYS] [NAME]}
days=${2:-365}
name=${3:-jdist cluster CA}
mkdir -p "$dir"
if [ -e "$dir/ca.key" ] || [ -e "$dir/ca.pem" ]; then
    echo "make-ca.sh: $dir/ca.key or $dir/ca.pem exists already; refusing to overwrite" >&2
    exit 1
fi

umask 077
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key"
umask 022
# A CA that signs node certificates directly: basicConstraints CA:TRUE with pathlen 0, and
# keyUsage keyCertSign/cRLSign only.
openssl req -new -x509 -key "$dir/ca.key" -out "$dir/ca.pem" -days "$days" -subj "/CN=$name" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
echo "wrote $dir/ca.pem (give it to every node) and $dir/ca.key (keep it secret, off the nodes)"
