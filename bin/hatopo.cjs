#!/usr/bin/env node
// Launcher: refuses an old Node with one clear line before anything else can fail, turns on Node's
// compile cache (server/compile-cache.ts) and loads the CLI.
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
    process.stderr.write(
        `hatopo: needs Node.js 22 or newer, this is ${process.version}; run it through npm (npx hatopo …), which brings Node 24\n`
    );
    process.exit(2);
}
require('../out/compile-cache.cjs').enableCompileCache();
require('../out/cli.cjs');
