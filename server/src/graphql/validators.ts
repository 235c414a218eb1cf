import countries from 'i18n-iso-countries';
import { createRequire } from 'node:module';
import { registerDecorator, type ValidationOptions } from 'class-validator';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/ja.json'));
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

/** ISO 3166-1 alpha-2, upper case, officially assigned (not merely well-formed). */
export function isCountryCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && countries.isValid(value);
}

export function IsCountryCode(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCountryCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO 3166-1 alpha-2 country code (e.g. JP, US)', ...options },
      validator: { validate: (v: unknown) => isCountryCode(v) },
    });
  };
}

export function countryName(code: string, lang: 'ja' | 'en'): string | undefined {
  return countries.getName(code, lang);
}
