// The root `npm run build` (and so every `npm test`) builds the UI: skip codegen, type check and
// bundling when neither the UI's sources nor the schema changed since the last bundle.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(web, 'dist/.built');

function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const e of readdirSync(p)) if (e !== 'gql') max = Math.max(max, newest(path.join(p, e)));
  return max;
}

const inputs = ['src', 'index.html', 'public', 'vite.config.ts', 'codegen.json', 'tsconfig.json', 'package.json', '../scripts/codegen.mjs', '../../schema/schema.graphql']
  .map((f) => path.join(web, f))
  .filter((f) => existsSync(f));
const changed = Math.max(...inputs.map(newest));
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (changed > built || process.argv.includes('--force')) {
  // `npm start` on a fresh clone lands here too: say why the first start pauses.
  process.stderr.write(built ? 'kiroku: web UI sources changed; building the web UI…\n' : 'kiroku: building the web UI (first run, about half a minute)…\n');
  const bin = (pkg, file) => path.join(web, '../../node_modules', pkg, file);
  const run = (args) => execFileSync(process.execPath, args, { cwd: web, stdio: 'inherit' });
  run([path.join(web, '../scripts/codegen.mjs')]);
  run([bin('typescript', 'bin/tsc'), '-p', '.']);
  run([bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn']);
  writeFileSync(stamp, '');
  const now = new Date();
  utimesSync(stamp, now, now);
}
