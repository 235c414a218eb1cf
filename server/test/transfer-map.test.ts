import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { doc, startTestServer, type TestServer } from './helpers.js';

const MAP = `query Map($basis: [ForeignTransferBasis!], $states: [TransferCountryState!], $countries: [String!]) {
  transferMap(basis: $basis, states: $states, countries: $countries) {
    homeCountry homeCountryName { ja en }
    countries { code name { ja en } state staleReasons reviewDue specialCare specialCareTransferIds
      assessment { id country } transfers { id code basis country } storageLocations { id code country } }
    arcs { country basis transfers }
  }
}`;

interface MapAnswer {
  homeCountry: string;
  homeCountryName: { ja: string | null; en: string | null };
  countries: Array<{ code: string; name: { ja: string | null; en: string | null }; state: string; staleReasons: string[]; reviewDue: string | null; specialCare: boolean; specialCareTransferIds: string[]; assessment: { id: string; country: string } | null; transfers: Array<{ id: string; code: string; basis: string; country: string }>; storageLocations: Array<{ id: string; code: string; country: string }> }>;
  arcs: Array<{ country: string; basis: string; transfers: number }>;
}

async function map(s: TestServer, variables: Record<string, unknown> = {}): Promise<MapAnswer> {
  const r = await s.gql(MAP, variables, { operationName: 'Map' });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.transferMap;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('transferMap on the demo seed', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ seed: 'demo' }); });
  after(() => s?.close());

  test('the countries are those of the transfers and storage locations abroad, as the ordinary resolvers list them', async () => {
    const m = await map(s);
    const r = await s.gql(`{ organization { country } foreignTransfers { id country } storageLocations { id country } countryAssessments { id country } }`);
    const home = r.data.organization.country;
    assert.equal(m.homeCountry, home);
    assert.equal(m.homeCountryName.ja, '日本');
    const transfers = r.data.foreignTransfers.filter((t: any) => t.country !== home);
    const stored = r.data.storageLocations.filter((l: any) => l.country !== home);
    assert.deepEqual(m.countries.map((c) => c.code), [...new Set([...transfers, ...stored].map((x: any) => x.country))].sort());
    assert.ok(m.countries.length >= 4, `${m.countries.length} countries`);
    for (const c of m.countries) {
      assert.deepEqual(c.transfers.map((t) => t.id).sort(), transfers.filter((t: any) => t.country === c.code).map((t: any) => t.id).sort(), c.code);
      assert.deepEqual(c.storageLocations.map((l) => l.id).sort(), stored.filter((l: any) => l.country === c.code).map((l: any) => l.id).sort(), c.code);
      assert.equal(c.assessment?.id ?? null, r.data.countryAssessments.find((a: any) => a.country === c.code)?.id ?? null, c.code);
      assert.ok(c.name.ja && c.name.en, `${c.code} is named`);
    }
    // Every transfer has its line: one per country and basis, counting its transfers.
    assert.equal(m.arcs.reduce((n, a) => n + a.transfers, 0), transfers.length);
    for (const a of m.arcs) assert.equal(a.transfers, transfers.filter((t: any) => t.country === a.country && m.countries.find((c) => c.code === a.country)!.transfers.some((x) => x.id === t.id && x.basis === a.basis)).length);
  });

  test('the basis and state filters narrow countries, transfers and lines alike', async () => {
    const all = await map(s);
    const basis = all.arcs[0].basis;
    const m = await map(s, { basis: [basis] });
    assert.ok(m.countries.length > 0 && m.countries.length < all.countries.length, `${m.countries.length} of ${all.countries.length}`);
    for (const c of m.countries) assert.ok(c.transfers.length > 0 && c.transfers.every((t) => t.basis === basis), c.code);
    assert.deepEqual(m.arcs, all.arcs.filter((a) => a.basis === basis));
    for (const state of ['ASSESSED', 'STALE', 'MISSING']) {
      const f = await map(s, { states: [state] });
      assert.deepEqual(f.countries.map((c) => c.code), all.countries.filter((c) => c.state === state).map((c) => c.code), state);
    }
  });

  test('the lines start from the organization record, not from a constant', async () => {
    const r = await s.gql('{ organization { id version country } }');
    const org = r.data.organization;
    const before = await map(s);
    const moved = await s.gql('mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { organization { country } } }', { i: { id: org.id, version: org.version, country: 'US' } });
    assert.equal(moved.errors, undefined, JSON.stringify(moved.errors));
    const m = await map(s);
    assert.equal(m.homeCountry, 'US');
    assert.match(m.homeCountryName.en ?? '', /^United States/);
    assert.ok(!m.countries.some((c) => c.code === 'US'), 'the home country is not foreign');
    assert.ok(before.countries.some((c) => c.code === 'US'));
    assert.ok(m.countries.some((c) => c.code === org.country), `${org.country} is now abroad`);
    const bad = await s.gql('mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { organization { country } } }', { i: { id: org.id, version: org.version + 1, country: 'Japan' } });
    assert.equal(bad.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(bad.errors));
    assert.match(JSON.stringify(bad.errors?.[0].extensions), /country/);
    assert.equal((await map(s)).homeCountry, 'US', 'a refused write changes nothing');
  });

  test('a state that does not exist, or a country that is not an ISO code, is refused with the argument at fault', async () => {
    const r = await s.gql(MAP, { states: ['OK'] });
    assert.equal(r.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(r.errors));
    assert.match(r.errors?.[0].message, /states/);
    const c = await s.gql(MAP, { countries: ['US', 'Japan'] });
    assert.equal(c.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(c.errors));
    assert.equal(c.errors?.[0].extensions.field, 'countries.1');
    assert.equal(c.data, null);
  });
});

describe('transferMap states, special care and statements', () => {
  /** `n` extra transfers to countries spread over the alphabet, so the large inventory has many more rows. */
  function inventory(n: number) {
    const extra = ['KR', 'TW', 'AU', 'CA', 'BR'];
    return doc({
      dataCategories: [{ code: 'contact.email', name: { en: 'Email' }, identityType: 'EMAIL' }, { code: 'health', name: { ja: '健康情報' }, kind: 'SPECIAL_CARE' }],
      countryAssessments: [
        { country: 'DE', regime: { en: 'GDPR' }, reviewedAt: day(-10) },
        { country: 'CN', regime: { en: 'PIPL' }, reviewedAt: '2000-01-01' },
        { country: 'GB', regime: { en: 'UK GDPR' } },
      ],
      storageLocations: [
        { code: 'sg-1', name: { en: 'Singapore' }, country: 'SG' },
        { code: 'jp-1', name: { en: 'Tokyo' }, country: 'JP' },
      ],
      foreignTransfers: [
        { code: 'ft-us', recipientName: { en: 'US Inc.' }, recipientKind: 'THIRD_PARTY', country: 'US', basis: 'CONSENT_WITH_INFORMATION', dataCategories: ['health'] },
        { code: 'ft-us-2', recipientName: { en: 'US Corp.' }, recipientKind: 'THIRD_PARTY', country: 'US', basis: 'EQUIVALENT_MEASURES_CONTRACT', dataCategories: ['contact.email'] },
        { code: 'ft-de', recipientName: { en: 'DE GmbH' }, recipientKind: 'THIRD_PARTY', country: 'DE', basis: 'ADEQUATE_COUNTRY' },
        { code: 'ft-cn', recipientName: { en: 'CN Ltd.' }, recipientKind: 'THIRD_PARTY', country: 'CN', basis: 'EQUIVALENT_MEASURES_CONTRACT' },
        { code: 'ft-gb', recipientName: { en: 'GB Ltd.' }, recipientKind: 'THIRD_PARTY', country: 'GB', basis: 'STATUTORY_EXCEPTION' },
        ...Array.from({ length: n }, (_, i) => ({ code: `ft-x${i}`, recipientName: { en: `X${i}` }, recipientKind: 'THIRD_PARTY', country: extra[i % extra.length], basis: 'CONSENT_WITH_INFORMATION' })),
      ],
      processingActivities: [
        // Its transfer names no categories: it carries the activity's special-care data.
        { code: 'a-cn', name: { en: 'CN' }, dataCategories: ['health'], foreignTransfers: ['ft-cn'] },
        { code: 'a-sg', name: { en: 'SG' }, dataCategories: ['health'], storageLocations: ['sg-1'] },
        { code: 'a-de', name: { en: 'DE' }, dataCategories: ['contact.email'], foreignTransfers: ['ft-de'] },
      ],
    });
  }
  let small: TestServer;
  let large: TestServer;
  before(async () => {
    [small, large] = await Promise.all([startTestServer({ docs: [inventory(0)] }), startTestServer({ docs: [inventory(300)] })]);
  });
  after(() => Promise.all([small?.close(), large?.close()]));

  test('each country has the state of its assessment and says whether special-care data goes there', async () => {
    const m = await map(small);
    assert.equal(m.homeCountry, 'JP', 'no organization yet: the default home country');
    const by = Object.fromEntries(m.countries.map((c) => [c.code, c]));
    assert.deepEqual(Object.keys(by), ['CN', 'DE', 'GB', 'SG', 'US']);
    assert.deepEqual([by.DE.state, by.DE.staleReasons], ['ASSESSED', []]);
    assert.equal(by.DE.reviewDue, day(355));
    // Reviewed in 2000: overdue, and the reference data is dated later.
    assert.deepEqual([by.CN.state, by.CN.staleReasons], ['STALE', ['REVIEW_OVERDUE', 'REFERENCE_CHANGED']]);
    assert.deepEqual([by.GB.state, by.GB.staleReasons], ['STALE', ['NEVER_REVIEWED']]);
    assert.deepEqual([by.US.state, by.SG.state], ['MISSING', 'MISSING']);
    assert.deepEqual(Object.fromEntries(m.countries.map((c) => [c.code, c.specialCare])), { CN: true, DE: false, GB: false, SG: true, US: true });
    assert.deepEqual(by.US.specialCareTransferIds, [by.US.transfers.find((t) => t.code === 'ft-us')!.id]);
    assert.deepEqual(by.SG.transfers, []);
    assert.deepEqual(by.SG.storageLocations.map((l) => l.code), ['sg-1']);
    assert.deepEqual(m.arcs, [
      { country: 'CN', basis: 'EQUIVALENT_MEASURES_CONTRACT', transfers: 1 },
      { country: 'DE', basis: 'ADEQUATE_COUNTRY', transfers: 1 },
      { country: 'GB', basis: 'STATUTORY_EXCEPTION', transfers: 1 },
      { country: 'US', basis: 'CONSENT_WITH_INFORMATION', transfers: 1 },
      { country: 'US', basis: 'EQUIVALENT_MEASURES_CONTRACT', transfers: 1 },
    ]);
    assert.deepEqual((await map(small, { countries: ['SG', 'DE', 'FR'] })).countries.map((c) => c.code), ['DE', 'SG']);
    // Storage alone does not answer "where do consent transfers go".
    assert.deepEqual((await map(small, { basis: ['CONSENT_WITH_INFORMATION'] })).countries.map((c) => c.code), ['US']);
  });

  test('reference data dated after the last review makes an assessment stale', async () => {
    const r = await small.gql('{ countryAssessments { id version country } }');
    const de = r.data.countryAssessments.find((a: any) => a.country === 'DE');
    const upd = await small.gql('mutation($i: UpdateCountryAssessmentInput!) { updateCountryAssessment(input: $i) { countryAssessment { reviewedAt reference { asOf } } } }', { i: { id: de.id, version: de.version, reviewedAt: '2025-01-01' } });
    assert.equal(upd.errors, undefined, JSON.stringify(upd.errors));
    const asOf = upd.data.updateCountryAssessment.countryAssessment.reference.asOf;
    assert.ok(asOf > '2025-01-01', asOf);
    const m = await map(small);
    const c = m.countries.find((x) => x.code === 'DE')!;
    assert.equal(c.state, 'STALE');
    assert.ok(c.staleReasons.includes('REFERENCE_CHANGED'), JSON.stringify(c.staleReasons));
  });

  test('a bounded number of statements, the same on 5 and on 305 transfers', async () => {
    const count = async (s: TestServer) => {
      const labels = { operation_name: 'Map' };
      const before = await s.metric('kiroku_sql_statements_per_operation_sum', labels);
      const m = await map(s);
      return { statements: (await s.metric('kiroku_sql_statements_per_operation_sum', labels)) - before, transfers: m.countries.reduce((n, c) => n + c.transfers.length, 0), countries: m.countries.length };
    };
    const a = await count(small);
    const b = await count(large);
    assert.ok(a.transfers === 5 && b.transfers === 305 && b.countries > a.countries, JSON.stringify([a, b]));
    assert.equal(b.statements, a.statements, `small ${a.statements}, large ${b.statements}`);
    assert.ok(b.statements <= 6, `${b.statements} statements`);
    console.log(`transferMap: ${b.statements} statements for ${a.transfers} and ${b.transfers} transfers`);
  });
});
