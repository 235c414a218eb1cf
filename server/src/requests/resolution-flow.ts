import type { Row } from '../graphql/loaders.js';
import { DatasetHolding, DatasetMatch, type ResolutionLink, type Resolution } from './resolution.types.js';

/** The node id a link end names: `<targetKind>:<id>`, the country by its code, the person alone. */
export const PERSON = 'Person';
const node = (kind: string, id: unknown) => `${kind}:${String(id)}`;

const RANK = { [DatasetMatch.NOT_HELD]: 0, [DatasetMatch.POSSIBLE]: 1, [DatasetMatch.HELD]: 2 } as const;
const best = (a: DatasetMatch | undefined, b: DatasetMatch) => (a === undefined || RANK[b] > RANK[a] ? b : a);

/** Relations of the resolved records that the flow needs and the lists alone do not carry. */
export interface FlowInput {
  resolution: Pick<Resolution, 'activities' | 'excludedActivities' | 'datasets' | 'processors' | 'jointUsers' | 'thirdPartyRecipients' | 'withheldRecipients'>;
  heldActivityIds: Set<number>;
  /** dataset id → the activities it serves (any, filtered to the resolved ones here). */
  datasetActivities: Map<number, number[]>;
  /** processor id → the resolved activities engaging it. */
  processorActivities: Map<number, number[]>;
  /** [processor, sub-processor] among the reached processors. */
  subProcessing: Array<[number, number]>;
  /** joint use / recipient id → the resolved activities using it. */
  jointUseActivities: Map<number, number[]>;
  recipientActivities: Map<number, number[]>;
  /** Foreign storage and transfers with what leads to each. */
  storage: Array<{ id: number; country: string; activities: number[]; hostingProcessor: number | null }>;
  transfers: Array<{ country: string; activities: number[]; processor: number | null; jointUse: number | null; recipient: number | null }>;
}

/**
 * The resolution as a left-to-right flow: person → data categories → activities → datasets →
 * processors → sub-processors → joint users / recipients → countries. Each link carries how sure
 * it is the person's data flows along it: a dataset's match (a POSSIBLE one settled by the privacy
 * team counts as settled), and downstream of it the best match of what leads there, so hiding
 * NOT_HELD links hides exactly what only a dataset without the person reaches.
 */
export function resolutionLinks(f: FlowInput): ResolutionLink[] {
  const r = f.resolution;
  const id = (row: unknown) => Number((row as Row).id);
  const activityIds = new Set([...r.activities.map((a) => id(a.activity)), ...r.excludedActivities.map((a) => id(a.activity))]);
  const datasetMatch = new Map<number, DatasetMatch>();
  for (const d of r.datasets) {
    const settled = d.match === DatasetMatch.POSSIBLE && d.confirmation ? (d.confirmation.holding === DatasetHolding.HELD ? DatasetMatch.HELD : DatasetMatch.NOT_HELD) : d.match;
    datasetMatch.set(id(d.dataset), settled);
  }
  // An activity is held where the index put the person in it or one of its datasets holds them;
  // otherwise only its subject category (claimed, or none claimed) brings it in.
  const activityMatch = new Map<number, DatasetMatch>();
  for (const a of activityIds) activityMatch.set(a, f.heldActivityIds.has(a) ? DatasetMatch.HELD : DatasetMatch.POSSIBLE);
  for (const [d, acts] of f.datasetActivities) {
    if (datasetMatch.get(d) === DatasetMatch.HELD) for (const a of acts) if (activityIds.has(a)) activityMatch.set(a, DatasetMatch.HELD);
  }

  const links = new Map<string, ResolutionLink>();
  const nodeMatch = new Map<string, DatasetMatch>([[PERSON, DatasetMatch.HELD]]);
  const link = (source: string, target: string, kind: string, match: DatasetMatch) => {
    const key = `${source}|${target}|${kind}`;
    const had = links.get(key);
    links.set(key, { source, target, kind, match: best(had?.match, match) });
    nodeMatch.set(target, best(nodeMatch.get(target), match));
  };

  // Categories come from the datasets' fields; an activity none of whose datasets has a
  // categorized field is linked to the person directly, so nothing hangs loose.
  const categorized = new Set<number>();
  for (const d of r.datasets) {
    const m = datasetMatch.get(id(d.dataset))!;
    for (const c of d.dataCategories) {
      link(PERSON, node('DataCategory', id(c)), 'HAS_CATEGORY', m);
      for (const a of f.datasetActivities.get(id(d.dataset)) ?? []) {
        if (!activityIds.has(a)) continue;
        // Only as sure as the less sure of the dataset and the activity.
        const am = activityMatch.get(a)!;
        link(node('DataCategory', id(c)), node('ProcessingActivity', a), 'PROCESSED_IN', RANK[m] < RANK[am] ? m : am);
        categorized.add(a);
      }
    }
  }
  for (const a of activityIds) if (!categorized.has(a)) link(PERSON, node('ProcessingActivity', a), 'SUBJECT_OF', activityMatch.get(a)!);
  for (const [d, acts] of f.datasetActivities) {
    for (const a of acts) if (activityIds.has(a) && datasetMatch.has(d)) link(node('ProcessingActivity', a), node('Dataset', d), 'USES_DATASET', datasetMatch.get(d)!);
  }
  const from = (n: string) => nodeMatch.get(n) ?? DatasetMatch.POSSIBLE;
  for (const d of r.datasets) {
    const p = (d.dataset as Row).processor;
    if (p != null) link(node('Dataset', id(d.dataset)), node('Processor', p), 'ENTRUSTS', datasetMatch.get(id(d.dataset))!);
  }
  for (const [p, acts] of f.processorActivities) for (const a of acts) link(node('ProcessingActivity', a), node('Processor', p), 'ENTRUSTS', from(node('ProcessingActivity', a)));
  // Sub-processors after their engaging processor: the resolution lists processors by chain length.
  const reached = new Set(r.processors.map((p) => id(p.processor)));
  const order = new Map(r.processors.map((p, i) => [id(p.processor), i]));
  const subs = f.subProcessing.filter(([p, s]) => reached.has(p) && reached.has(s)).sort((a, b) => order.get(a[1])! - order.get(b[1])!);
  for (const [parent, s] of subs) link(node('Processor', parent), node('Processor', s), 'SUB_PROCESSES', from(node('Processor', parent)));
  for (const [j, acts] of f.jointUseActivities) for (const a of acts) link(node('ProcessingActivity', a), node('JointUseArrangement', j), 'JOINT_USE', from(node('ProcessingActivity', a)));
  for (const [rc, acts] of f.recipientActivities) for (const a of acts) link(node('ProcessingActivity', a), node('ThirdPartyRecipient', rc), 'PROVIDES', from(node('ProcessingActivity', a)));

  const datasetsAt = new Map<number, number[]>();
  for (const d of r.datasets) {
    const s = (d.dataset as Row).storageLocation;
    if (s != null) datasetsAt.set(Number(s), [...(datasetsAt.get(Number(s)) ?? []), id(d.dataset)]);
  }
  const country = (c: string) => node('Country', c);
  for (const s of f.storage) {
    for (const a of s.activities) link(node('ProcessingActivity', a), country(s.country), 'STORED_IN', from(node('ProcessingActivity', a)));
    for (const d of datasetsAt.get(s.id) ?? []) link(node('Dataset', d), country(s.country), 'STORED_IN', datasetMatch.get(d)!);
    if (s.hostingProcessor != null && reached.has(s.hostingProcessor)) link(node('Processor', s.hostingProcessor), country(s.country), 'STORED_IN', from(node('Processor', s.hostingProcessor)));
  }
  for (const t of f.transfers) {
    const sources = [
      ...t.activities.map((a) => node('ProcessingActivity', a)),
      ...(t.processor != null && reached.has(t.processor) ? [node('Processor', t.processor)] : []),
      ...(t.jointUse != null ? [node('JointUseArrangement', t.jointUse)] : []),
      ...(t.recipient != null ? [node('ThirdPartyRecipient', t.recipient)] : []),
    ].filter((n) => nodeMatch.has(n));
    for (const n of sources) link(n, country(t.country), 'TRANSFERS_TO', from(n));
  }
  return [...links.values()];
}
