#!/usr/bin/env node
// Committed entry point, so that `npx kiroku` is linked by `npm ci` before anything is built.
import('../dist/cli.js').catch((e) => {
  if (e?.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('kiroku: the CLI is not built yet; run `npm run build` at the repository root\n');
    process.exit(3);
  }
  throw e;
});
