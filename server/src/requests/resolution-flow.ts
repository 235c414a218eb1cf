import type { Row } from '../graphql/loaders.js';
import { DatasetHolding, DatasetMatch, type ResolutionLink, type Resolution } from './resolution.types.js';

/** The node id a link end names: `<targetKind>:<id>`, the country by its code, the person alone. */
export const PERSON = 'Person';

const RANK = { [DatasetMatch.NOT_HELD]: 0, [DatasetMatch.POSSIBLE]: 1, [DatasetMatch.HELD]: 2 } as const;

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
  // One whose datasets are all known not to hold the person is someone else's processing, whether
  // or not their fields are categorized (or read at all by the query).
  const activityMatch = new Map<number, DatasetMatch>();
  const withData = new Set<number>();
  const maybeTheirs = new Set<number>();
  for (const [d, acts] of f.datasetActivities) {
    const m = datasetMatch.get(d);
    if (m === undefined) continue;
    for (const a of acts) {
      withData.add(a);
      if (m !== DatasetMatch.NOT_HELD) maybeTheirs.add(a);
    }
  }
  for (const a of activityIds) {
    activityMatch.set(a, f.heldActivityIds.has(a) ? DatasetMatch.HELD : withData.has(a) && !maybeTheirs.has(a) ? DatasetMatch.NOT_HELD : DatasetMatch.POSSIBLE);
  }
  for (const [d, acts] of f.datasetActivities) {
    if (datasetMatch.get(d) === DatasetMatch.HELD) for (const a of acts) if (activityIds.has(a)) activityMatch.set(a, DatasetMatch.HELD);
  }
  // One no dataset serves is as the privacy team found it.
  for (const a of r.activities) {
    if (a.confirmation) activityMatch.set(id(a.activity), a.confirmation.holding === DatasetHolding.HELD ? DatasetMatch.HELD : DatasetMatch.NOT_HELD);
  }

  const links: ResolutionLink[] = [];
  // Nested by the ends rather than one concatenated key: the ids are shared strings whose hashes
  // are kept, and a large resolution makes this lookup hundreds of thousands of times.
  const index = new Map<string, Map<string, Map<string, ResolutionLink>>>();
  const nodeMatch = new Map<string, DatasetMatch>([[PERSON, DatasetMatch.HELD]]);
  // Called once per (dataset, category, activity) on a large resolution: no allocation when the link exists.
  const link = (source: string, target: string, kind: string, match: DatasetMatch) => {
    let bySource = index.get(kind);
    if (!bySource) index.set(kind, (bySource = new Map()));
    let byTarget = bySource.get(source);
    if (!byTarget) bySource.set(source, (byTarget = new Map()));
    const had = byTarget.get(target);
    if (!had) {
      const l = { source, target, kind, match };
      byTarget.set(target, l);
      links.push(l);
    } else if (RANK[match] > RANK[had.match]) had.match = match;
    const m = nodeMatch.get(target);
    if (m === undefined || RANK[match] > RANK[m]) nodeMatch.set(target, match);
  };
  // One string per node id, so that the maps below hash each id once.
  const ids = new Map<string, Map<unknown, string>>();
  const node = (kind: string, n: unknown) => {
    let ofKind = ids.get(kind);
    if (!ofKind) ids.set(kind, (ofKind = new Map()));
    let v = ofKind.get(n);
    if (v === undefined) ofKind.set(n, (v = `${kind}:${String(n)}`));
    return v;
  };

  // Categories come from the datasets' fields; an activity none of whose datasets has a
  // categorized field is linked to the person directly, so nothing hangs loose.
  const categorized = new Set<number>();
  for (const d of r.datasets) {
    const m = datasetMatch.get(id(d.dataset))!;
    const acts = (f.datasetActivities.get(id(d.dataset)) ?? []).filter((a) => activityIds.has(a));
    for (const c of d.dataCategories) {
      const cn = node('DataCategory', id(c));
      link(PERSON, cn, 'HAS_CATEGORY', m);
      for (const a of acts) {
        // Only as sure as the less sure of the dataset and the activity.
        const am = activityMatch.get(a)!;
        link(cn, node('ProcessingActivity', a), 'PROCESSED_IN', RANK[m] < RANK[am] ? m : am);
        categorized.add(a);
      }
    }
  }
  // What leads to an activity is as sure as the activity itself: one held through a dataset without
  // categorized fields (or with none at all) is linked to the person directly as well.
  for (const a of activityIds) {
    const an = node('ProcessingActivity', a);
    const m = nodeMatch.get(an);
    if (!categorized.has(a) || m === undefined || RANK[m] < RANK[activityMatch.get(a)!]) link(PERSON, an, 'SUBJECT_OF', activityMatch.get(a)!);
  }
  for (const [d, acts] of f.datasetActivities) {
    for (const a of acts) if (activityIds.has(a) && datasetMatch.has(d)) link(node('ProcessingActivity', a), node('Dataset', d), 'USES_DATASET', datasetMatch.get(d)!);
  }
  const from = (n: string) => nodeMatch.get(n) ?? DatasetMatch.POSSIBLE;
  // Only the processors the resolution lists (an archived one is reached but not listed).
  const reached = new Set(r.processors.map((p) => id(p.processor)));
  for (const d of r.datasets) {
    const p = (d.dataset as Row).processor;
    if (p != null && reached.has(Number(p))) link(node('Dataset', id(d.dataset)), node('Processor', Number(p)), 'ENTRUSTS', datasetMatch.get(id(d.dataset))!);
  }
  for (const [p, acts] of f.processorActivities) {
    if (reached.has(p)) for (const a of acts) link(node('ProcessingActivity', a), node('Processor', p), 'ENTRUSTS', from(node('ProcessingActivity', a)));
  }
  // Sub-processors after their engaging processor: the resolution lists processors by chain length.
  const order = new Map(r.processors.map((p, i) => [id(p.processor), i]));
  const subs = f.subProcessing.filter(([p, s]) => reached.has(p) && reached.has(s)).sort((a, b) => order.get(a[1])! - order.get(b[1])!);
  for (const [parent, s] of subs) link(node('Processor', parent), node('Processor', s), 'SUB_PROCESSES', from(node('Processor', parent)));
  for (const [j, acts] of f.jointUseActivities) for (const a of acts) link(node('ProcessingActivity', a), node('JointUseArrangement', j), 'JOINT_USE', from(node('ProcessingActivity', a)));
  for (const [rc, acts] of f.recipientActivities) for (const a of acts) link(node('ProcessingActivity', a), node('ThirdPartyRecipient', rc), 'PROVIDES', from(node('ProcessingActivity', a)));

  const datasetsAt = new Map<number, number[]>();
  for (const d of r.datasets) {
    const s = (d.dataset as Row).storageLocation;
    if (s == null) continue;
    const at = datasetsAt.get(Number(s));
    if (at) at.push(id(d.dataset));
    else datasetsAt.set(Number(s), [id(d.dataset)]);
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
  return links;
}
