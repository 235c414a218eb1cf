import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './server-process.js';

/**
 * `npm run bench` at its smallest size, beside the other suites: the generator, the embedded
 * database, the hand-written SQL floor, the answer comparison and the report. No timing is asserted:
 * the figures of a run on a shared machine say nothing.
 */
test('the benchmark at size XS: Kiroku answers as the SQL floor does, every workload runs without a failed request, the report is written', async () => {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bench/run.mjs'), '--size', 'XS', '--duration', '0.5', '--connections', '2'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, `bench exited ${code}:\n${err.slice(-4000)}`);
  console.log(out.trim());
  for (const q of ['Q1', 'Q2', 'Q3', 'Q4', 'G1']) assert.match(err, new RegExp(`${q}: answers match`), `${q} compared with the floor`);
  for (const w of ['Q1', 'Q2', 'Q3', 'Q4', 'G1', 'W1', 'W1r', 'W2', 'D1']) assert.match(out, new RegExp(`^\\| ${w} \\| \\d+`, 'm'), `${w} in the report`);
  const json = /^JSON: (.+)$/m.exec(out)?.[1];
  assert.ok(json, 'the JSON results file is named');
  const results = JSON.parse(await fs.readFile(path.resolve(repoRoot, json!), 'utf8'));
  await fs.rm(path.resolve(repoRoot, json!));
  assert.deepEqual(results.workloads.map((w: { name: string }) => w.name), ['Q1', 'Q2', 'Q3', 'Q4', 'G1', 'W1', 'W1r', 'W2', 'D1']);
  for (const w of results.workloads) assert.equal(w.kiroku.failed, 0, `${w.name}: no failed request`);
  // The dashboard after the writes, which makes every processor's audit anew, is timed on its own.
  assert.ok(Number.isFinite(results.workloads.find((w: { name: string }) => w.name === 'D1').kiroku.afterWriteMs));
  // The RoPA export of the whole inventory was downloaded and measured.
  assert.equal(results.ropa.status, 200);
  assert.ok(results.ropa.bytes > 0 && results.ropa.serverRssMb > 0, JSON.stringify(results.ropa));
  assert.match(out, /^RoPA export \(GET \/exports\/ropa\.xlsx/m);
  // The targets, judged from the run's own figures and printed as a table.
  const targets: Array<{ target: string; measured: string; met: boolean | null }> = results.targets;
  const judged = (prefix: string) => targets.find((t) => t.target.startsWith(prefix));
  for (const prefix of ['Q1 ≥ 0.5', 'Q2 ≥ 0.5', 'Q3 ≥ 0.5', 'W1 ≥ 10,000', 'W1r ≥ 30,000', 'W2 ≥ 5,000', 'RoPA export', 'peak RSS', 'cold start', 'statements per request']) {
    const t = judged(prefix);
    assert.ok(t, `target "${prefix}" judged`);
    assert.ok(out.includes(`| ${t!.target} | ${t!.measured} |`), `target "${prefix}" printed`);
  }
  const rps = (name: string) => results.workloads.find((w: { name: string }) => w.name === name).kiroku.rps;
  assert.equal(judged('W1 ≥')!.met, rps('W1') >= 10_000);
  assert.equal(judged('W2 ≥')!.met, rps('W2') >= 5_000);
  assert.equal(judged('Q1 ≥')!.met, results.workloads[0].ratio >= 0.5);
  assert.equal(judged('peak RSS')!.met, results.rssPeakMb <= 500);
});
