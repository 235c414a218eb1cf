// graphql-js's own "Did you mean" ranking (internal to graphql 16, which the server pins): a typo in
// a code is then suggested the way a typo in a field name is, without another dependency.
import { suggestionList } from 'graphql/jsutils/suggestionList.js';

/** ` (did you mean "x"?)` for a near-miss of one of `known`, else an empty string. */
export function didYouMean(value: string, known: Iterable<string>): string {
  const best = suggestionList(value, [...known])[0];
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
