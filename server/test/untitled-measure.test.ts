import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Role } from '../src/auth/roles.js';
import { doc, startTestServer, token, type TestServer } from './helpers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({
    docs: [doc({
      securityMeasures: [
        { code: 'sm-titled', category: 'ORGANIZATIONAL', title: { ja: '組織体制の整備', en: 'Organization' }, description: { ja: '責任者を定めています。', en: 'A manager is appointed.' } },
        { code: 'sm-untitled', description: { ja: '従業者に定期的な研修を行っています。', en: 'Staff are trained regularly.' } },
      ],
      processingActivities: [{ code: 'pa', name: { ja: '顧客管理', en: 'Customers' }, securityMeasures: ['sm-titled', 'sm-untitled'] }],
    })],
  });
});
after(() => s?.close());

test('a security measure without title or category is kept and printed by its text in the RoPA and the notice', async () => {
  const auditor = await token(Role.AUDITOR);
  const r = await s.gql('{ securityMeasures { code title { ja } category } ropa: ropaExport(format: JSON, framework: APPI, language: JA) { content } notice: publicNotice(language: JA) }', {}, { token: auditor });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data.securityMeasures.find((m: any) => m.code === 'sm-untitled'), { code: 'sm-untitled', title: null, category: null });
  assert.match(r.data.ropa.content, /従業者に定期的な研修を行っています。/);
  assert.match(r.data.notice, /従業者に定期的な研修を行っています。/);
  assert.doesNotMatch(r.data.notice, /#### \(\)/, 'no empty heading for an untitled measure');
});
