import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;
const parseCode = (v: unknown): string => {
  if (typeof v !== 'string' || !CODE.test(v)) throw new GraphQLError('a refusal-ground code: letters, digits, "_", "." or "-", at most 100 characters');
  return v;
};

/**
 * The code of one of the organization's refusal grounds. It was an enum of four values; a bare
 * name (the former enum literal, e.g. `refusalGround: HINDERS_BUSINESS`) is still accepted
 * beside a string, so clients written against the enum keep working.
 */
export const RefusalGroundCodeScalar = new GraphQLScalarType<string, string>({
  name: 'RefusalGroundCode',
  description: "Code of one of the organization's refusal grounds (requestProcedure.refusalGrounds[].code). Written as a string or, as when it was an enum, a bare name.",
  serialize: (v) => String(v),
  parseValue: parseCode,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING && ast.kind !== Kind.ENUM) throw new GraphQLError('a refusal-ground code is a string');
    return parseCode(ast.value);
  },
});
