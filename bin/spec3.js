#!/usr/bin/env node
// The SDK's notice about its future Node support policy is not actionable in the middle of a deploy.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
