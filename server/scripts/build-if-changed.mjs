// `npm start`, `npm run token` and `npm run kiroku` run this first: it compiles the server only
// when a source changed since the last build, so a token takes well under a second once built.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { binDir, bundle } from './bundle.mjs';

const server = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildInfo = path.join(server, 'dist/.tsbuildinfo');

function newest(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) max = Math.max(max, newest(p));
    else if (entry.name.endsWith('.ts')) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

let built = 0;
try {
  built = statSync(buildInfo).mtimeMs;
} catch {
  // never built
}
const sources = Math.max(newest(path.join(server, 'src')), newest(path.join(server, 'test')), statSync(path.join(server, 'tsconfig.json')).mtimeMs, statSync(path.join(server, '../tsconfig.json')).mtimeMs);
if (sources > built) {
  process.stderr.write(built ? 'kiroku: sources changed since the last build; compiling the server…\n' : 'kiroku: compiling the server (first run, about half a minute)…\n');
  const started = Date.now();
  execFileSync(process.execPath, [path.join(server, '../node_modules/typescript/bin/tsc'), '-p', server], { stdio: 'inherit' });
  // tsc leaves its build info alone when nothing it emits changed; mark the check as done.
  const now = new Date();
  utimesSync(buildInfo, now, now);
  await bundle();
  process.stderr.write(`kiroku: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
} else {
  // Compiled by hand (tsc -p server) since the last bundle: bundle that output.
  const main = path.join(binDir, 'main.js');
  if (!existsSync(main) || statSync(main).mtimeMs < built) await bundle();
}
