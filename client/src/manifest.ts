import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import type { RegisterDatasetsInput } from './sdk/generated/graphql.js';

/** A problem in a manifest, with its line and column. */
export interface ManifestIssue {
  line: number;
  col: number;
  path: string;
  message: string;
}

const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/manifest.schema.json');

let validator: ReturnType<Ajv['compile']> | undefined;

/** `anyOf: [T, null]` reports three errors for one bad value; keep the one that explains it. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && (e.params as { type?: string }).type === 'null'));
}
async function validate(data: unknown): Promise<ErrorObject[]> {
  if (!validator) {
    const schema = JSON.parse(await fs.readFile(schemaFile, 'utf8'));
    delete schema.$schema;
    // The schema's own format for URL fields; the server decides whether http://localhost is allowed (dev).
    const url = /^https:\/\/\S+$|^http:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]\S*)?$/;
    validator = new Ajv({ allErrors: true, strict: false }).addFormat('https-url', url).compile(schema);
  }
  return validator(data) ? [] : validator.errors ?? [];
}

interface ManifestDataset {
  key: string;
  name: string;
  description?: string | null;
  publicDescription?: { ja?: string | null; en?: string | null } | null;
  storageLocation?: string | null;
  processor?: string | null;
  activities?: string[];
  fields?: Array<{ path: string; description?: string | null; identityType?: string | null; dataCategories?: string[] }>;
}

export interface ParsedManifest {
  /** One registration push per system of the manifest. */
  pushes: Array<Omit<RegisterDatasetsInput, 'prune'>>;
  issues: ManifestIssue[];
}

/**
 * Reads a manifest and checks it locally against the project's JSON Schema (and for duplicate keys
 * and paths), so that a push is refused with line numbers before anything is sent.
 */
export async function readManifest(file: string): Promise<ParsedManifest> {
  const text = await fs.readFile(file, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const issues: ManifestIssue[] = [];
  const at = (node: Node | null | undefined, pathText: string, message: string) => {
    const pos = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    issues.push({ line: pos.line, col: pos.col, path: pathText, message });
  };
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    issues.push({ line: pos.line, col: pos.col, path: '/', message: e.message.split('\n')[0] });
  }
  if (issues.length) return { pushes: [], issues };
  const data = doc.toJS() as Record<string, unknown> | null;
  for (const e of relevant(await validate(data ?? {}))) {
    const segments = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    const node = (segments.length ? doc.getIn(segments, true) : doc.contents) as Node | undefined;
    const extra = e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : '';
    at(node, e.instancePath || '/', `${e.message}${extra}`);
  }
  const systems = (data?.systems as Array<{ key: string; datasets?: ManifestDataset[] }> | undefined) ?? [];
  systems.forEach((sys, i) => {
    const keys = new Set<string>();
    (sys.datasets ?? []).forEach((d, j) => {
      if (keys.has(d.key)) at(doc.getIn(['systems', i, 'datasets', j, 'key'], true) as Node, `/systems/${i}/datasets/${j}/key`, `duplicate dataset key "${d.key}"`);
      keys.add(d.key);
      const paths = new Set<string>();
      (d.fields ?? []).forEach((f, k) => {
        if (paths.has(f.path)) at(doc.getIn(['systems', i, 'datasets', j, 'fields', k, 'path'], true) as Node, `/systems/${i}/datasets/${j}/fields/${k}/path`, `duplicate field path "${f.path}"`);
        paths.add(f.path);
      });
    });
  });
  if (!isMap(doc.contents) || !isSeq(doc.get('systems'))) {
    if (!issues.length) at(doc.contents as Node, '/systems', 'the manifest has no systems section to push');
  }
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  const pushes = systems.map((sys) => ({
    systemKey: sys.key,
    datasets: (sys.datasets ?? []).map((d) => ({
      key: d.key,
      name: d.name,
      description: d.description ?? null,
      publicDescription: d.publicDescription ?? null,
      location: d.storageLocation ? { code: d.storageLocation } : null,
      processorCode: d.processor ?? null,
      activityCodes: d.activities ?? [],
      fields: (d.fields ?? []).map((f) => ({
        path: f.path,
        description: f.description ?? null,
        identityType: (f.identityType ?? null) as never,
        dataCategoryCodes: f.dataCategories ?? [],
      })),
    })),
  }));
  return { pushes, issues };
}
