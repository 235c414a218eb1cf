import { createRequire } from 'node:module';
import { registerDecorator, type ValidationOptions } from 'class-validator';

const require = createRequire(import.meta.url);
// The library without its Node entry point, which loads all of its ~80 languages: two are used.
const countries = require('i18n-iso-countries/index.js') as typeof import('i18n-iso-countries');
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

let httpLocalhostUrls = false;

/** Dev only (KIROKU_HTTP_LOCALHOST_URLS): also accept `http://localhost` URLs. Set once at boot. */
export function allowHttpLocalhostUrls(on: boolean): void {
  httpLocalhostUrls = on;
}

const LOCALHOST = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A URL the inventory may hold and publish: absolute https (a notice links to it, a reader's
 * browser opens it), no credentials in it. Kiroku itself never fetches these.
 */
export function isAllowedUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2000 || /\s/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || !url.hostname) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && httpLocalhostUrls && LOCALHOST.has(url.hostname);
}

export function IsAllowedUrl(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isAllowedUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an https URL', ...options },
      validator: { validate: (v: unknown) => isAllowedUrl(v) },
    });
  };
}
