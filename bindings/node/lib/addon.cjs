'use strict';
// Loads the native addon: a source build (build/Release/akt.node, with the libakt.so.0
// copied beside it) when there is one, else the prebuilt one a packed tarball carries for
// this platform (prebuilds/<platform>-<arch>/akt.node, with libakt.so.0 and its libraries).
// Both find their libakt.so.0 through the $ORIGIN rpath.
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'build', 'Release', 'akt.node');
const prebuilt = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'akt.node');
const chosen = existsSync(built) ? built : prebuilt;
if (!existsSync(chosen)) {
  throw new Error(`akt: no native addon: neither ${built} (a source build: npm rebuild akt) ` +
    `nor a prebuilt one for ${process.platform}-${process.arch}`);
}
module.exports = require(chosen);
