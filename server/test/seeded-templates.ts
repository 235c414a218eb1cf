/**
 * The template database to clone for a suite starting on `seed`: the run's copy already holding that
 * seed when `npm test` prepared one (KIROKU_TEST_SEEDED_TEMPLATES, seed → database), else the
 * migrated template, the caller then importing the seed itself.
 */
export function templateFor(seed: string | undefined): { template: string; seeded: boolean } {
  const template = process.env.KIROKU_TEST_TEMPLATE;
  if (!template) throw new Error('run the tests with `npm test` (it starts the test database)');
  const prepared = JSON.parse(process.env.KIROKU_TEST_SEEDED_TEMPLATES || '{}') as Record<string, string>;
  return seed && prepared[seed] ? { template: prepared[seed], seeded: true } : { template, seeded: false };
}
