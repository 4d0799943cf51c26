'use strict';
// Loads the native addon (build/Release/akt.node, linked to the libakt.so.0 copied beside it).
const path = require('node:path');

module.exports = require(path.join(__dirname, '..', 'build', 'Release', 'akt.node'));
