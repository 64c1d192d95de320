#!/usr/bin/env node
// The `tributary` command: runs the TypeScript CLI through tsx's require hook (no build step).
// Stage logs (Powertools, JSON) are quiet unless POWERTOOLS_LOG_LEVEL says otherwise.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
require('tsx/cjs');
require('./main.ts').main(process.argv);
