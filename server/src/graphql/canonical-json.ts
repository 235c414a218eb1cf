/**
 * PostgreSQL's jsonb orders object keys by length, then bytewise. Writing JSON in that order (and
 * without nulls) lets an identical value compare equal to what was read, so re-imports and
 * repeated updates write nothing.
 */
export function canonicalJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonicalJson);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] != null && (v as Record<string, unknown>)[k] !== '');
    keys.sort((a, b) => (Buffer.byteLength(a) - Buffer.byteLength(b)) || (a < b ? -1 : a > b ? 1 : 0));
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = canonicalJson((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
