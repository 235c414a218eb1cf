// `npm run build`: the TypeScript projects (server and its bundle, SDK and CLI, end-to-end tests) in one lane and
// the web UI (codegen, type check, bundle) in another. Neither reads the other's output, and side by
// side they take the time of the longer lane instead of the sum.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${path.relative(root, args[0])} ${args.slice(1).join(' ')}: ${signal ?? `exit ${code}`}`))));
  });
}

/**
 * Every project; true when all built. `onServerCompiled` is called once the server's tsc output is
 * complete (`npm test` starts preparing its database then, while the rest builds).
 */
export async function build({ onServerCompiled } = {}) {
  const lanes = await Promise.allSettled([
    (async () => {
      await run([tsc, '-p', 'server']);
      onServerCompiled?.();
      // The bundle reads only the server's output; the other projects compile beside it.
      await Promise.all([bundle(), (async () => {
        await run([tsc, '-p', 'client']);
        await Promise.all([run([path.join(root, 'client/scripts/compile-validator.mjs')]), run([tsc, '-p', 'e2e'])]);
      })()]);
    })(),
    run([path.join(root, 'client/web/scripts/build-if-changed.mjs')]),
  ]);
  const failed = lanes.filter((l) => l.status === 'rejected');
  for (const f of failed) process.stderr.write(`build failed: ${f.reason.message}\n`);
  return failed.length === 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit((await build()) ? 0 : 1);
