import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ensureDevKeys } from '../src/auth/dev-keys.js';

const devKeys = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/auth/dev-keys.js')).href;

test('processes starting at once on a fresh data dir all get the one dev signing key, never a half-written file', async () => {
  // `npm start` and `npm run token` (or two suites) on the same fresh directory: each either creates
  // the key or reads the complete one another created. A key created empty and written after was
  // read as "Unexpected end of JSON input".
  {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-devkeys-'));
    try {
      const script = `const { ensureDevKeys } = await import(${JSON.stringify(devKeys)}); process.stdout.write((await ensureDevKeys(${JSON.stringify(dir)})).publicJwk.kid);`;
      const kids = await Promise.all(Array.from({ length: 8 }, async () => (await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script])).stdout));
      assert.equal(new Set(kids).size, 1, `one key for all: ${kids.join(', ')}`);
      assert.deepEqual(await fs.readdir(dir), ['dev-signing-key.json'], 'no temporary file left behind');
      assert.equal((await fs.stat(path.join(dir, 'dev-signing-key.json'))).mode & 0o777, 0o600);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
});

test('many callers at once in one process: one key, read whole by all', async () => {
  for (let round = 0; round < 5; round++) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiroku-devkeys-'));
    try {
      const kids = (await Promise.all(Array.from({ length: 40 }, () => ensureDevKeys(dir)))).map((k) => k.publicJwk.kid);
      assert.equal(new Set(kids).size, 1);
      assert.deepEqual(await fs.readdir(dir), ['dev-signing-key.json']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
});
