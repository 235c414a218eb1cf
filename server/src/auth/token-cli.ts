import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.js';
import { mintDevToken } from './dev-keys.js';
import { ALL_ROLES, isRole, Role } from './roles.js';

/** `npm run -s token -- --role <ROLE> [--system <key>] [--sub <name>]`: a dev-mode token on stdout, nothing else. */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { role: { type: 'string', multiple: true }, system: { type: 'string' }, sub: { type: 'string' }, hours: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`usage: npm run -s token -- --role <${ALL_ROLES.join('|')}> [--system <key>] [--sub <name>] [--hours <n>]
  A dev-mode token on stdout, signed with the key in KIROKU_DATA_DIR (default .kiroku): give the
  same KIROKU_DATA_DIR as the server. INTEGRATION tokens need --system and carry no other role.
`);
    return 0;
  }
  const roles = values.role ?? [];
  if (roles.length === 0 || !roles.every(isRole)) {
    process.stderr.write(`usage: npm run -s token -- --role <${ALL_ROLES.join('|')}> [--system <key>] [--sub <name>]\n`);
    return 2;
  }
  if (roles.includes(Role.INTEGRATION) && roles.length > 1) {
    process.stderr.write('an INTEGRATION token cannot carry another role\n');
    return 2;
  }
  if (roles.includes(Role.INTEGRATION) && !values.system) {
    process.stderr.write('an INTEGRATION token needs --system <system key>\n');
    return 2;
  }
  const config = loadConfigOrExit();
  if (config.auth.mode !== 'dev') {
    process.stderr.write('tokens are issued by your identity provider: JWT settings are configured, dev tokens are not accepted\n');
    return 2;
  }
  const token = await mintDevToken(config.auth, config.dataDir, roles, { system: values.system, sub: values.sub, hours: Number(values.hours ?? 12) });
  process.stdout.write(token + '\n');
  return 0;
}

process.exitCode = await main();
