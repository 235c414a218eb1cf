import { LocalDateResolver } from 'graphql-scalars';

/** A calendar date, `YYYY-MM-DD` (contract dates, audit dates, notification dates). */
export const LocalDate = LocalDateResolver;
