import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from './server-process.js';

/** The web UI's texts: both languages complete, and none written into the components. */
const web = path.join(repoRoot, 'client/web/src');

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

test('ja.json and en.json have the same keys, and no empty message', async () => {
  const ja = JSON.parse(await fs.readFile(path.join(web, 'i18n/ja.json'), 'utf8'));
  const en = JSON.parse(await fs.readFile(path.join(web, 'i18n/en.json'), 'utf8'));
  const jaKeys = new Set(keys(ja));
  const enKeys = new Set(keys(en));
  assert.deepEqual([...jaKeys].filter((k) => !enKeys.has(k)), [], 'in ja.json only');
  assert.deepEqual([...enKeys].filter((k) => !jaKeys.has(k)), [], 'in en.json only');
  const empty = (o: unknown, k: string) => k.split('.').reduce<any>((x, p) => x[p], o) === '';
  assert.deepEqual([...jaKeys].filter((k) => empty(ja, k) || empty(en, k)), []);
});

/** Attributes people read (or hear, with a screen reader). */
const SHOWN_ATTRIBUTES = new Set(['title', 'placeholder', 'aria-label', 'alt', 'label', 'description', 'subTitle', 'tooltip', 'okText', 'cancelText', 'emptyText', 'extra', 'addonBefore', 'addonAfter']);

/** Literal user-facing text in JSX: text children with a letter, or a shown attribute given as a string literal. */
export function literalTexts(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (n: ts.Node) => `${path.relative(web, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node) => {
    if (ts.isJsxText(n) && /\p{L}/u.test(n.text)) found.push(`${where(n)} ${JSON.stringify(n.text.trim())}`);
    if (ts.isJsxAttribute(n) && SHOWN_ATTRIBUTES.has(n.name.getText()) && n.initializer) {
      const init = ts.isJsxExpression(n.initializer) ? n.initializer.expression : n.initializer;
      if (init && (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) && /\p{L}/u.test(init.text)) found.push(`${where(n)} ${n.name.getText()}=${JSON.stringify(init.text)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

async function tsxFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'gql') out.push(...(await tsxFiles(p)));
    else if (e.name.endsWith('.tsx')) out.push(p);
  }
  return out;
}

test('no JSX in the web UI holds a literal user-facing string (texts come from the message files)', async () => {
  const files = await tsxFiles(web);
  assert.ok(files.length >= 10, 'the scan sees the pages');
  const found = (await Promise.all(files.map(async (f) => literalTexts(f, await fs.readFile(f, 'utf8'))))).flat();
  assert.deepEqual(found, []);
});

test('the scan catches a literal text child and a literal title', () => {
  assert.equal(literalTexts(path.join(web, 'x.tsx'), 'const a = <Button title="Save">保存</Button>;').length, 2);
  assert.equal(literalTexts(path.join(web, 'x.tsx'), "const a = <Button title={t('x')}>{t('y')} +</Button>;").length, 0);
});
