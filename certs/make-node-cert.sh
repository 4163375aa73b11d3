#!/usr/bin/env bash
# Creates a node certificate signed by the CA that make-ca.sh made: NAME.key (the node's private key,
# readable by its owner only) and NAME.pem (its certificate). The certificate can authenticate both
# ends of a connection (extendedKeyUsage serverAuth and clientAuth, keyUsage digitalSignature), as
# every distribution node both accepts and dials, and names the node's hosts as subject alternative
# names: give every host part your node names use (erl -sname app => the short host name;
# -name app@db1.example.com => db1.example.com; app@10.0.0.5 => IP:10.0.0.5).
#
#   certs/make-node-cert.sh CA_DIR OUT_DIR NAME DAYS SAN...
#
# SAN is DNS:host or IP:address, for example DNS:db1 DNS:db1.example.com IP:10.0.0.5.
set -euo pipefail

if [ $# -lt 5 ]; then
    echo "usage: make-node-cert.sh CA_DIR OUT_DIR NAME DAYS SAN..." >&2
    exit 2
fi
ca_dir=$1
out=$2
name=$3
days=$4
shift 4
sans=$(IFS=,; echo "$*")
mkdir -p "$out"
if [ -e "$out/$name.key" ]; then
    echo "make-node-cert.sh: $out/$name.key exists already; refusing to overwrite" >&2
    exit 1
fi

umask 077
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/$name.key"
umask 022
extensions=$(mktemp)
trap 'rm -f "$extensions" "$out/$name.csr"' EXIT
cat > "$extensions" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$sans
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
openssl req -new -key "$out/$name.key" -out "$out/$name.csr" -subj "/CN=$name"
openssl x509 -req -in "$out/$name.csr" -CA "$ca_dir/ca.pem" -CAkey "$ca_dir/ca.key" -CAcreateserial \
    -CAserial "$ca_dir/ca.srl" -out "$out/$name.pem" -days "$days" -extfile "$extensions"
echo "wrote $out/$name.pem and $out/$name.key ($sans)"
