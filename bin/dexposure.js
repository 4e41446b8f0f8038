#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('dexposure: the CLI is not built yet. Run `npm install` (or `npm run build`) in ' + path.dirname(__dirname));
  process.exit(2);
}
require(cli);
