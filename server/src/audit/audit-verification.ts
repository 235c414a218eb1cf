import type pg from 'pg';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum AuditTrailProblem { EVENT_ALTERED = 'EVENT_ALTERED', EVENT_MISSING = 'EVENT_MISSING', CHAIN_BROKEN = 'CHAIN_BROKEN', UNCHAINED_EVENT = 'UNCHAINED_EVENT' }
registerEnumType(AuditTrailProblem, {
  name: 'AuditTrailProblem',
  description: 'How the audit trail differs from its hash chain.',
  valuesConfig: {
    EVENT_ALTERED: { description: 'The event no longer matches the hash recorded when it was written.' },
    EVENT_MISSING: { description: 'The chain records an event that is gone.' },
    CHAIN_BROKEN: { description: 'A link does not follow the one before it (a link removed or forged).' },
    UNCHAINED_EVENT: { description: 'An event was written without its link (triggers bypassed).' },
  },
});

@ObjectType({ simpleResolvers: true, description: "The audit trail's hash chain recomputed from the stored events." })
export class AuditTrailVerification {
  @Field({ description: 'True when every event matches its link and every link follows the one before it.' }) ok!: boolean;
  @Field(() => Int, { description: 'Links checked.' }) checked!: number;
  @Field(() => String, { nullable: true, description: 'Hash of the last link (hex): kept outside Kiroku, it shows later that no event was removed from the end.' }) headHash!: string | null;
  @Field(() => ID, { nullable: true, description: 'The first event (in chain order) where the trail and its chain differ.' }) firstBrokenEventId!: string | null;
  @Field(() => AuditTrailProblem, { nullable: true }) problem!: AuditTrailProblem | null;
}

/**
 * Two set-based statements whatever the trail's length: every link against its event and its
 * predecessor, then events without a link.
 */
export async function verifyAuditTrail(pool: pg.Pool): Promise<AuditTrailVerification> {
  const { rows: [r] } = await pool.query(`with links as (
      select c.seq, c.event_id, c.prev_hash, c.hash, e.id as found,
             coalesce(lag(c.hash) over (order by c.seq), '\\x'::bytea) as expected_prev,
             case when e.id is null then null else sha256(c.prev_hash || kiroku_audit_event_digest(e)) end as recomputed
      from audit_chain c left join audit_event e on e.id = c.event_id
    ), problems as (
      select seq, event_id, case when found is null then 'EVENT_MISSING' when recomputed <> hash then 'EVENT_ALTERED' when prev_hash <> expected_prev then 'CHAIN_BROKEN' end as problem
      from links
    )
    select (select count(*)::int from audit_chain) as checked,
           (select encode(hash, 'hex') from audit_chain order by seq desc limit 1) as head,
           p.event_id::text as event_id, p.problem
    from (select 1) one left join lateral (select * from problems where problem is not null order by seq limit 1) p on true`);
  if (r.problem) return { ok: false, checked: r.checked, headHash: r.head, firstBrokenEventId: r.event_id, problem: r.problem };
  // Events of transactions still open have no link yet and are not visible here either.
  const { rows: [u] } = await pool.query(`select min(e.id)::text as id from audit_event e where not exists (select 1 from audit_chain c where c.event_id = e.id)`);
  if (u.id) return { ok: false, checked: r.checked, headHash: r.head, firstBrokenEventId: u.id, problem: AuditTrailProblem.UNCHAINED_EVENT };
  return { ok: true, checked: r.checked, headHash: r.head, firstBrokenEventId: null, problem: null };
}
