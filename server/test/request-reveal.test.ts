import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { startTestServer, token, type TestServer } from './helpers.js';

/**
 * The web UI masks a request's contact and agent until someone asks; revealRequestContact shows
 * them and leaves an audit event naming who, when and which request. AUDITOR may not reveal.
 */
let s: TestServer;
let analyst: string;
let auditor: string;
let id: string;
before(async () => {
  s = await startTestServer({ seed: 'demo' });
  analyst = await token(Role.PRIVACY_ANALYST, { sub: 'analyst-reveal' });
  auditor = await token(Role.AUDITOR, { sub: 'auditor-reveal' });
  const c = await s.gql(`mutation C($input: CreateDataSubjectRequestInput!) { createDataSubjectRequest(input: $input) { request { id } } }`, {
    input: { framework: 'APPI', type: 'DISCLOSE', channel: 'MAIL', requester: { kind: 'AGENT', agentName: 'Agent Sato, Tokyo Bar' }, responseMethod: 'WRITTEN', contact: '1-2-3 Chiyoda, Tokyo', identities: [{ type: 'EMAIL', value: 'reveal@example.com' }] },
  }, { token: analyst });
  assert.equal(c.errors, undefined, JSON.stringify(c.errors));
  id = c.data.createDataSubjectRequest.request.id;
});
after(() => s?.close());

const REVEAL = 'mutation R($id: ID!) { revealRequestContact(input: { requestId: $id }) { requestId contact agentName identityTypes contactErasedAt revealedAt } }';
const EVENTS = `query E($id: String!) { auditEvents(first: 50, filter: { entityType: "DataSubjectRequest", entityId: $id }) { edges { node { operation outcome actorSub actorRoles at entityId } } } }`;
const reveals = async () => (await s.gql(EVENTS, { id })).data.auditEvents.edges.map((e: any) => e.node).filter((e: any) => e.operation === 'revealRequestContact');

test('a reveal returns the contact and agent, and the audit trail records who revealed which request and when', async () => {
  const t0 = Date.now();
  const r = await s.gql(REVEAL, { id }, { token: analyst });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual({ ...r.data.revealRequestContact, revealedAt: undefined }, { requestId: id, contact: '1-2-3 Chiyoda, Tokyo', agentName: 'Agent Sato, Tokyo Bar', identityTypes: ['EMAIL'], contactErasedAt: null, revealedAt: undefined });
  const events = await reveals();
  assert.equal(events.length, 1);
  assert.equal(events[0].actorSub, 'analyst-reveal');
  assert.deepEqual(events[0].actorRoles, ['PRIVACY_ANALYST']);
  assert.equal(events[0].outcome, 'SUCCESS');
  assert.equal(events[0].entityId, id);
  assert.ok(Math.abs(Date.parse(events[0].at) - t0) < 60_000, 'stamped with the time of the reveal');
});

test('AUDITOR is refused and nothing is revealed or recorded as a reveal', async () => {
  const before = (await reveals()).length;
  const r = await s.gql(REVEAL, { id }, { token: auditor });
  assert.equal(r.errors?.[0].extensions.code, 'FORBIDDEN');
  assert.equal(r.data?.revealRequestContact ?? null, null);
  assert.equal((await reveals()).length, before);
});

test('an unknown or malformed request id is NOT_FOUND on input.requestId, with no event', async () => {
  const before = (await reveals()).length;
  for (const bad of ['999999', 'abc']) {
    const r = await s.gql(REVEAL, { id: bad }, { token: analyst });
    assert.equal(r.errors?.[0].extensions.code, 'NOT_FOUND');
    assert.equal(r.errors?.[0].extensions.field, 'input.requestId');
  }
  assert.equal((await reveals()).length, before);
});
