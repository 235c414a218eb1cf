import { registerEnumType } from 'type-graphql';

export enum Role {
  PRIVACY_ADMIN = 'PRIVACY_ADMIN',
  PRIVACY_ANALYST = 'PRIVACY_ANALYST',
  AUDITOR = 'AUDITOR',
  INTEGRATION = 'INTEGRATION',
}

registerEnumType(Role, { name: 'Role', description: 'What a token may do: PRIVACY_ADMIN everything; PRIVACY_ANALYST reads and curates; AUDITOR reads everything, changes nothing; INTEGRATION writes its own system only.' });

export const ALL_ROLES = Object.values(Role) as Role[];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ALL_ROLES as string[]).includes(v);
}
