import type { SeedChoice } from '../src/config.js';

/** The seeds `npm test` prepares a template database of, `<KIROKU_TEST_TEMPLATE>_<seed>`. */
export const SEEDED_TEMPLATES: SeedChoice[] = ['demo', 'notice'];

/**
 * The template to clone for a database holding `seed`: the seeded one when the run prepared it
 * (`seeded` true), else the empty one, the caller then importing the seed itself.
 */
export function templateFor(seed: SeedChoice | undefined): { template: string; seeded: boolean } {
  const template = process.env.KIROKU_TEST_TEMPLATE;
  if (!template) throw new Error('run the tests with `npm test` (it starts the test database)');
  const prepared = (process.env.KIROKU_TEST_SEEDED_TEMPLATES ?? '').split(',');
  return seed && seed !== 'none' && prepared.includes(seed) ? { template: `${template}_${seed}`, seeded: true } : { template, seeded: false };
}
