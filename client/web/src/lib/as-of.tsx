import { useMemo } from 'react';
import { Alert, Button, DatePicker } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { graphql } from '../gql';
import type { RegisterAsOfQuery } from '../gql/graphql';
import { useUrlState } from './url-state';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A notice and a register speak of Japanese days, whatever the browser's zone: "as of 2026-04-01"
 * is the register at the end of that day in Japan, "since 2026-04-01" counts from its start.
 */
export const startOfDayJst = (day: string) => new Date(`${day}T00:00:00+09:00`).toISOString();
export const endOfDayJst = (day: string) => new Date(new Date(`${day}T00:00:00+09:00`).getTime() + 86_400_000).toISOString();

/** The `?asOf=YYYY-MM-DD` of the page: null for the current register. */
export function useAsOf(): { asOf: string | null; at: string | null; setAsOf: (day: string | null) => void } {
  const [get, set] = useUrlState<'asOf'>();
  const raw = get('asOf');
  const asOf = DAY.test(raw) && dayjs(raw).isValid() ? raw : null;
  return { asOf, at: asOf ? endOfDayJst(asOf) : null, setAsOf: (day) => set({ asOf: day }) };
}

export function AsOfPicker() {
  const { t } = useTranslation();
  const { asOf, setAsOf } = useAsOf();
  return (
    <DatePicker
      aria-label={t('asOf.pick')} placeholder={t('asOf.pick')} data-testid="as-of-picker" allowClear
      value={asOf ? dayjs(asOf) : null} disabledDate={(d) => d.isAfter(dayjs(), 'day')}
      onChange={(d) => setAsOf(d ? d.format('YYYY-MM-DD') : null)}
    />
  );
}

/** Says the page shows the past and cannot be edited; the way back to the current register. */
export function AsOfBanner() {
  const { t } = useTranslation();
  const { asOf, setAsOf } = useAsOf();
  if (!asOf) return null;
  return (
    <Alert
      type="warning" showIcon role="status" style={{ marginBottom: 12 }} data-testid="as-of-banner"
      title={t('asOf.banner', { date: asOf })} description={t('asOf.bannerNote')}
      action={<Button size="small" onClick={() => setAsOf(null)} data-testid="as-of-clear">{t('asOf.current')}</Button>}
    />
  );
}

const RegisterAsOfDoc = graphql(`
  query RegisterAsOf($at: DateTimeISO!) {
    inventoryAsOf(at: $at) {
      activities { id code name { ja en } record }
      subjectCategories { id name { ja en } }
      dataCategories { id name { ja en } record }
      purposes { id name { ja en } }
      legalBases { id name { ja en } }
      processors { id name { ja en } record }
      storageLocations { id record }
      foreignTransfers { id record }
    }
  }
`);

type Named = { id: string; name?: { ja?: string | null; en?: string | null } | null; record?: unknown };
type Rec = Record<string, unknown>;

/** An activity as the register held it then, in the shape the register's list shows. */
export interface ActivityAsOf {
  id: string; code: string; status: string; role: string;
  name: { ja?: string | null; en?: string | null };
  retention: { ja?: string | null; en?: string | null } | null;
  subjectCategories: Array<{ id: string; name: { ja?: string | null; en?: string | null } }>;
  dataCategories: Array<{ id: string; kind: string; name: { ja?: string | null; en?: string | null } }>;
  purposes: Array<{ id: string; text: { ja?: string | null; en?: string | null } }>;
  legalBases: Array<{ id: string; title: { ja?: string | null; en?: string | null } }>;
  processors: Array<{ id: string; name: { ja?: string | null; en?: string | null }; country: string | null }>;
  jointUses: Array<{ id: string }>;
  foreignTransfers: Array<{ id: string; country: string }>;
  storageLocations: Array<{ id: string; country: string }>;
  countryProcessors: Array<{ id: string; country: string | null }>;
}

function toActivities(d: RegisterAsOfQuery['inventoryAsOf']): ActivityAsOf[] {
  const index = (list: Named[]) => new Map(list.map((x) => [x.id, x]));
  const [subjects, data, purposes, bases, processors, locations, transfers] = [d.subjectCategories, d.dataCategories, d.purposes, d.legalBases, d.processors, d.storageLocations, d.foreignTransfers].map(index);
  const ids = (r: Rec, key: string) => ((r[key] as Array<string | number> | undefined) ?? []).map(String);
  // An id whose record did not exist then (or was archived) names nothing then: it is left out.
  const resolve = <T,>(r: Rec, key: string, from: Map<string, Named>, shape: (x: Named, rec: Rec) => T): T[] =>
    ids(r, key).flatMap((id) => { const x = from.get(id); return x ? [shape(x, (x.record ?? {}) as Rec)] : []; });
  const name = (x: Named) => x.name ?? {};
  return d.activities.map((a) => {
    const r = (a.record ?? {}) as Rec;
    const procs = resolve(r, 'processorIds', processors, (x, rec) => ({ id: x.id, name: name(x), country: (rec.country as string | null) ?? null }));
    return {
      id: a.id, code: a.code ?? '', status: String(r.status ?? ''), role: String(r.role ?? ''), name: a.name ?? {},
      retention: (r.retention as ActivityAsOf['retention']) ?? null,
      subjectCategories: resolve(r, 'subjectCategoryIds', subjects, (x) => ({ id: x.id, name: name(x) })),
      dataCategories: resolve(r, 'dataCategoryIds', data, (x, rec) => ({ id: x.id, kind: String(rec.kind ?? ''), name: name(x) })),
      purposes: resolve(r, 'purposeIds', purposes, (x) => ({ id: x.id, text: name(x) })),
      legalBases: resolve(r, 'legalBasisIds', bases, (x) => ({ id: x.id, title: name(x) })),
      processors: procs,
      jointUses: ids(r, 'jointUseIds').map((id) => ({ id })),
      foreignTransfers: resolve(r, 'foreignTransferIds', transfers, (x, rec) => ({ id: x.id, country: String(rec.country ?? '') })),
      storageLocations: resolve(r, 'storageLocationIds', locations, (x, rec) => ({ id: x.id, country: String(rec.country ?? '') })),
      countryProcessors: procs.map((p) => ({ id: p.id, country: p.country })),
    };
  });
}

export function activityCountries(a: Pick<ActivityAsOf, 'storageLocations' | 'foreignTransfers' | 'countryProcessors'>): string[] {
  return [...new Set([...a.storageLocations.map((l) => l.country), ...a.foreignTransfers.map((f) => f.country), ...a.countryProcessors.map((p) => p.country ?? '')].filter(Boolean))].sort();
}

/**
 * The register's activities at `at`, filtered on the client the way processingActivities filters
 * on the server (search in code and names, status, role, country): inventoryAsOf has no filter.
 */
export function useActivitiesAsOf(at: string | null, filter: { search?: string; status?: string; role?: string; country?: string }) {
  const [{ data, fetching, error }] = useQuery({ query: RegisterAsOfDoc, variables: { at: at ?? '' }, pause: !at });
  const rows = useMemo(() => {
    if (!data) return [];
    const q = filter.search?.toLowerCase();
    return toActivities(data.inventoryAsOf).filter((a) =>
      (!q || [a.code, a.name.ja, a.name.en].some((s) => s?.toLowerCase().includes(q)))
      && (!filter.status || a.status === filter.status)
      && (!filter.role || a.role === filter.role)
      && (!filter.country || activityCountries(a).includes(filter.country)));
  }, [data, filter.search, filter.status, filter.role, filter.country]);
  return { rows, fetching, error, loaded: !!data };
}
