/**
 * A node:test reporter that `run-tests.ts` adds next to the visible one: it writes the run's counts
 * and failed tests as one JSON document, so the runner can print them last, after the benchmark
 * smoke, where a failure cannot scroll out of sight.
 */
interface TestEvent {
  type: string;
  data: { name?: string; nesting?: number; file?: string; message?: string; details?: { duration_ms?: number; error?: { message?: string; cause?: { message?: string } } } };
}

export interface RunSummary {
  counts: Record<string, number>;
  failed: Array<{ name: string; file?: string; nesting: number; message?: string }>;
  /** Seconds spent in each file's top-level tests (a grouped file: under its relative path), for the runner to start the longest files first next time. */
  fileSeconds: Record<string, number>;
}

export default async function* summaryReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const summary: RunSummary = { counts: {}, failed: [], fileSeconds: {} };
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      // In a group of server suites (run-tests.ts), each top-level suite is one file, named by its path.
      const f = /\.test\.js$/.test(event.data.name ?? '') ? event.data.name! : event.data.file;
      summary.fileSeconds[f] = (summary.fileSeconds[f] ?? 0) + (event.data.details?.duration_ms ?? 0) / 1000;
    }
    if (event.type === 'test:fail') {
      const error = event.data.details?.error;
      summary.failed.push({ name: event.data.name ?? '?', file: event.data.file, nesting: event.data.nesting ?? 0, message: (error?.cause?.message ?? error?.message)?.split('\n')[0] });
    } else if (event.type === 'test:diagnostic' && event.data.nesting === 0) {
      // The closing diagnostics of the whole run: "tests 12", "pass 11", "fail 1", …
      const m = /^(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(event.data.message ?? '');
      if (m) summary.counts[m[1]] = Number(m[2]);
    }
  }
  yield JSON.stringify(summary);
}
