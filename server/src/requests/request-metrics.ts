import type pg from 'pg';
import { SLA_COUNTS } from './request.resolver.js';
import { CLOSED } from './request.service.js';
import { numbered } from '../graphql/loaders.js';

/**
 * Gauges of request deadlines, read from the database when scraped. They are appended to the
 * metrics text rather than registered: with several workers the registry figures are summed, and a
 * count of the database's requests must not be multiplied by the number of workers.
 */
export async function requestDeadlineMetrics(pool: pg.Pool): Promise<string> {
  try {
    const { rows } = await pool.query(numbered(SLA_COUNTS), [CLOSED]);
    const r = rows[0] as { onTrack: number; dueSoon: number; overdue: number };
    return [
      '# HELP kiroku_requests_overdue Open data-subject requests past their due date.',
      '# TYPE kiroku_requests_overdue gauge',
      `kiroku_requests_overdue ${r.overdue}`,
      '# HELP kiroku_requests_due_soon Open data-subject requests due today or within 3 days.',
      '# TYPE kiroku_requests_due_soon gauge',
      `kiroku_requests_due_soon ${r.dueSoon}`,
      '',
    ].join('\n');
  } catch {
    // The database is unreachable: the process figures still answer, the gauges are left out.
    return '';
  }
}
