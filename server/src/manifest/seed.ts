import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { repoRoot, type SeedChoice } from '../config.js';
import { importManifests, readManifests } from './importer.js';

/** What each KIROKU_SEED choice loads: the notice alone, or the notice with the demo around it. */
export function seedDirs(choice: SeedChoice): string[] {
  const seeds = path.join(repoRoot, 'seeds');
  if (choice === 'notice') return [path.join(seeds, 'notice')];
  if (choice === 'demo') return [path.join(seeds, 'notice'), path.join(seeds, 'demo')];
  return [];
}

/** Loads the chosen seed into an empty database (no organization yet); otherwise leaves it alone. */
export async function seedIfEmpty(orm: MikroORM, choice: SeedChoice): Promise<string | null> {
  if (choice === 'none') return null;
  const [{ n }] = await orm.em.getConnection().execute<Array<{ n: string }>>('select count(*) as n from "organization"');
  if (Number(n) > 0) return null;
  const result = await importManifests(orm, await readManifests(seedDirs(choice)));
  return `${choice} (${result.created} records)`;
}
