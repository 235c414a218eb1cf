import fs from 'node:fs/promises';
import type { ErrorObject } from 'ajv';
import { suggestionList } from 'graphql/jsutils/suggestionList.js';
import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { RegisterDatasetsInput } from './sdk/generated/graphql.js';
import { manifestValidator } from './manifest-validator.js';

/** A problem in a manifest, with its line and column; `path` is the YAML path (`systems[0].datasets[1].name`). */
export interface ManifestIssue {
  line: number;
  col: number;
  path: string;
  message: string;
}

type Segment = string | number;

/** `systems[0].datasets[1].name`: the path as a reader finds it in the file. */
export function yamlPath(segments: Segment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(document)';
}

// graphql-js's own "Did you mean" ranking (internal to graphql 16, a dependency already): a typo in
// the manifest is suggested the way the server suggests a typo in a code.
export function didYouMean(value: string, known: readonly string[]): string {
  const best = suggestionList(value, known)[0];
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** `anyOf: [T, null]` reports three errors for one bad value; keep the one that explains it. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && (e.params as { type?: string }).type === 'null'));
}
async function validate(data: unknown): Promise<ErrorObject[]> {
  const validator = await manifestValidator();
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
  pushes: Array<Omit<RegisterDatasetsInput, 'prune' | 'dryRun'>>;
  issues: ManifestIssue[];
  /** Where in the file a problem the server reports for push `i` (a path such as `push.datasets[0].name`) is. */
  locate(push: number, apiPath: string, message: string): ManifestIssue;
  /** Where in the file a JSON Pointer (`/processingActivities/3/purposes/0`, as an import reports) is. */
  locatePointer(pointer: string, message: string): ManifestIssue;
  /** The manifest's sections other than `systems` (an inventory manifest, which `kiroku import` applies). */
  inventorySections: string[];
  text: string;
}

const pointerSegments = (pointer: string): Segment[] =>
  pointer.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));

/** Top-level keys that describe the file rather than hold records. */
const HEADER_KEYS = new Set(['apiVersion', 'kind', 'illustrative', 'description', 'systems']);

/** The manifest's name of each property of a push (the API's names on the left). */
const API_TO_MANIFEST: Record<string, string> = { systemKey: 'key', processorCode: 'processor', activityCodes: 'activities', location: 'storageLocation', dataCategoryCodes: 'dataCategories' };

/** `push.datasets[0].fields[2].dataCategoryCodes[1]` (or `input.…`) of push `i` → `systems[i].datasets[0].fields[2].dataCategories[1]`. */
function manifestSegments(push: number, apiPath: string): Segment[] {
  const out: Segment[] = ['systems', push];
  const parts = apiPath.replace(/^(push|input)\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  for (const p of parts) {
    if (p.startsWith('[')) out.push(Number(p.slice(1, -1)));
    // `location.code` and `location.country` are both the one storageLocation of the manifest.
    else if (out[out.length - 1] === 'storageLocation') continue;
    else out.push(API_TO_MANIFEST[p] ?? p);
  }
  return out;
}

/** The node at `segments`, or the deepest one that exists on the way (a missing property is reported on its map). */
function nearestNode(doc: Document, segments: Segment[]): { node: Node | undefined; segments: Segment[] } {
  for (let n = segments.length; n >= 0; n--) {
    const node = (n ? doc.getIn(segments.slice(0, n), true) : doc.contents) as Node | undefined;
    if (node) return { node, segments: segments.slice(0, n) };
  }
  return { node: undefined, segments: [] };
}

/** The enum values, properties or constant an error's schema allows, to name them in the message. */
function explain(e: ErrorObject, value: unknown): string {
  const params = e.params as { allowedValues?: unknown[]; allowedValue?: unknown; additionalProperty?: string };
  if (e.keyword === 'enum' && params.allowedValues) {
    const allowed = params.allowedValues.map(String);
    return `must be one of ${allowed.join(', ')}${typeof value === 'string' ? didYouMean(value, allowed) : ''}`;
  }
  if (e.keyword === 'const') return `must be ${JSON.stringify(params.allowedValue)}`;
  if (e.keyword === 'additionalProperties') {
    const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return `unknown property "${params.additionalProperty}"${didYouMean(params.additionalProperty!, known) || (known.length ? ` (allowed: ${known.join(', ')})` : '')}`;
  }
  return e.message ?? e.keyword;
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
  const issueAt = (node: Node | null | undefined, segments: Segment[], message: string): ManifestIssue => {
    const pos = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    return { line: pos.line, col: pos.col, path: yamlPath(segments), message };
  };
  const at = (segments: Segment[], message: string) => issues.push(issueAt(doc.getIn(segments, true) as Node, segments, message));
  const locate = (push: number, apiPath: string, message: string) => {
    const { node, segments } = nearestNode(doc, manifestSegments(push, apiPath));
    return issueAt(node, segments, message);
  };
  const locatePointer = (pointer: string, message: string) => {
    const { node, segments } = nearestNode(doc, pointerSegments(pointer));
    return issueAt(node, segments, message);
  };
  const inventorySections = isMap(doc.contents) ? doc.contents.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)).filter((k) => !HEADER_KEYS.has(k)) : [];
  const base = { locate, locatePointer, inventorySections, text };
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    issues.push({ line: pos.line, col: pos.col, path: '(document)', message: e.message.split('\n')[0] });
  }
  if (issues.length) return { pushes: [], issues, ...base };
  const data = doc.toJS() as Record<string, unknown> | null;
  for (const e of relevant(await validate(data ?? {}))) {
    const segments = pointerSegments(e.instancePath);
    let node = (segments.length ? doc.getIn(segments, true) : doc.contents) as Node | undefined;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    if (extra !== undefined && isMap(node)) {
      // A misspelt property is pointed at by its own key, not by the map that holds it.
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === extra);
      if (pair && isScalar(pair.key)) node = pair.key;
      segments.push(extra);
    }
    issues.push(issueAt(node, segments, explain(e, isScalar(node) ? node.value : undefined)));
  }
  const systems = (data?.systems as Array<{ key: string; datasets?: ManifestDataset[] }> | undefined) ?? [];
  systems.forEach((sys, i) => {
    const keys = new Set<string>();
    (sys.datasets ?? []).forEach((d, j) => {
      if (keys.has(d.key)) at(['systems', i, 'datasets', j, 'key'], `duplicate dataset key "${d.key}"`);
      keys.add(d.key);
      const paths = new Set<string>();
      (d.fields ?? []).forEach((f, k) => {
        if (paths.has(f.path)) at(['systems', i, 'datasets', j, 'fields', k, 'path'], `duplicate field path "${f.path}"`);
        paths.add(f.path);
      });
    });
  });
  // An inventory manifest (for `kiroku import`) need not list systems; one for `push` must.
  if ((!isMap(doc.contents) || !isSeq(doc.get('systems'))) && !inventorySections.length) {
    if (!issues.length) issues.push(issueAt(doc.contents as Node, ['systems'], 'the manifest has no systems section to push'));
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
  return { pushes, issues, ...base };
}
