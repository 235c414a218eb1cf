import type { Localized } from '../graphql/localized-text.js';

export interface DeskRow {
  code: string;
  name?: Localized | null;
  address?: Localized | null;
  phones?: Array<{ label?: Localized | null; number: string }> | null;
  email?: string | null;
  url?: string | null;
  hours?: Localized | null;
  closedDays?: Localized | null;
}
interface ChannelRow { phone?: string | null; hours?: Localized | null; url?: string | null; deskCode?: string | null }

/**
 * How a channel is reached: what it states itself, else what the desk it names states once for
 * every channel (inquiry, complaint, request). Every output that prints a channel reads this.
 */
export function channelReach(desks: DeskRow[] | null | undefined, c: ChannelRow, t: (l: unknown) => string) {
  const d = c.deskCode ? (desks ?? []).find((x) => x.code === c.deskCode) : undefined;
  const phones = (d?.phones ?? []).map((p) => [t(p.label), p.number].filter(Boolean).join(' ')).join(' / ');
  return {
    phone: c.phone || phones || null,
    hours: [t(c.hours) || t(d?.hours), t(d?.closedDays)].filter(Boolean).join(' ') || null,
    email: d?.email || null,
    url: c.url || d?.url || null,
  };
}
