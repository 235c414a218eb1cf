// `npm test`: the build, and the test run's database prepared while the build goes on. The test
// runner (server/dist/test/run-tests.js) starts as soon as the server is compiled, sets up its
// PostgreSQL and template databases (about 6 s that used to follow the build), and waits for the
// rest of the build before it looks for test files.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let runner;
let built;
const exited = new Promise((resolve) => {
  const start = () => {
    runner = spawn(process.execPath, [path.join(root, 'server/dist/test/run-tests.js'), ...process.argv.slice(2)], {
      cwd: root,
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, KIROKU_TEST_AFTER_BUILD: '1' },
    });
    runner.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  };
  built = build({ onServerCompiled: start }).then((ok) => {
    if (!runner) resolve(1);
    // The runner stops its database and exits 1 when told the build failed.
    else if (runner.connected) runner.send({ built: ok }, () => runner.connected && runner.disconnect());
  });
});
// Both: a runner that failed early still leaves the build to finish rather than orphaned.
const [code] = await Promise.all([exited, built]);
process.exit(code);
