import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import ja from './ja.json';
import en from './en.json';

export type Language = 'ja' | 'en';
const KEY = 'kiroku.language';

/** Japanese first; the choice is kept in this browser only, never in the URL. */
export function storedLanguage(): Language {
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'ja';
}

export function setLanguage(lang: Language): void {
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export function initI18n(): void {
  const lng = storedLanguage();
  document.documentElement.lang = lng;
  void i18n.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export default i18n;
