#!/usr/bin/env node
// The `tributary` command: runs the TypeScript CLI through tsx's require hook (no build step).
require('tsx/cjs');
require('./main.ts');
