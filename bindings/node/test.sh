#!/usr/bin/env bash
# Tests of the Node binding: builds it (npm install runs scripts/build.mjs), runs the
# node:test suite, then the conformance cases in C and Node. Called by `make test-node`,
# which sets AKT_BUILD_DIR to the release build (libakt and the C cases); without it the
# build script builds libakt itself in build-core/ and the C cases come from <repo>/build.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

cd "$here"
npm install --no-audit --no-fund
npm test

# `import 'akt'` from conformance/cases/*: a link <repo>/node_modules/akt (gitignored), and
# protobufjs next to it, as a user's project has it (serializers_protobuf imports it; the
# link's own optional dependency stays inside bindings/node/node_modules), at the version
# the binding's lock installed.
pbjs=$(node -p "require('$here/node_modules/protobufjs/package.json').version")
cd "$repo"
npm install --no-save --no-package-lock --ignore-scripts --omit=dev --no-audit --no-fund \
    ./bindings/node "protobufjs@$pbjs"
args=(--lang c,node)
[ -n "${AKT_BUILD_DIR:-}" ] && args+=(--build-dir "$AKT_BUILD_DIR")
python3 conformance/run.py "${args[@]}"
# The remote mode: the cases of run.py's REMOTE_CASES with their actors on a second process.
python3 conformance/run.py --remote --lang node

# The README's example, run as a user would: from the repository root.
bash examples/check_demo.sh node examples/node/demo.mjs
