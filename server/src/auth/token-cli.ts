import { parseArgs } from 'node:util';
import { importJWK, SignJWT } from 'jose';
import { loadConfigOrExit } from '../config.js';
import { DEV_ALG, ensureDevKeys } from './dev-keys.js';
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
  const hours = Number(values.hours ?? 12);
  const { privateJwk } = await ensureDevKeys(config.dataDir);
  const key = await importJWK(privateJwk, DEV_ALG);
  const token = await new SignJWT({ [config.auth.rolesClaim]: roles, ...(values.system ? { [config.auth.systemClaim]: values.system } : {}) })
    .setProtectedHeader({ alg: DEV_ALG, kid: privateJwk.kid, typ: 'at+jwt' })
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setSubject(values.sub ?? `dev-${roles[0].toLowerCase()}`)
    .setIssuedAt()
    .setExpirationTime(`${Number.isFinite(hours) && hours > 0 ? hours : 12}h`)
    .sign(key);
  process.stdout.write(token + '\n');
  return 0;
}

process.exitCode = await main();
