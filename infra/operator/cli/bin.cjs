#!/usr/bin/env node
// The `tributary` command: runs the TypeScript CLI through tsx's require hook (no build step).
// Stage logs (Powertools, JSON) are quiet unless POWERTOOLS_LOG_LEVEL says otherwise.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// The AWS SDK warns on every command that releases after January 2027 need Node >= 22. The operator
// CLI runs on the machine's Node (20 here; the Lambda functions run 22), so the notice is noise for
// it: silence it with the SDK's own switch (aws/aws-sdk-js-v3#7983), unless the caller set it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('./main.ts').main(process.argv);
