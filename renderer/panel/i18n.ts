import type { Language } from '../../shared/api/app';
import { errors as appEn } from '../i18n/locales/en/app.json';
import en from '../i18n/locales/en/lan.json';
import { errors as salesEn } from '../i18n/locales/en/sales.json';
import { errors as showEn } from '../i18n/locales/en/show.json';
import { errors as appZh } from '../i18n/locales/zh-CN/app.json';
import zh from '../i18n/locales/zh-CN/lan.json';
import { errors as salesZh } from '../i18n/locales/zh-CN/sales.json';
import { errors as showZh } from '../i18n/locales/zh-CN/show.json';

// The phone page has no i18next: it needs one namespace and the error sentences of the domains
// its requests reach, and every kilobyte counts on a weak rural Wi-Fi.
type Dict = Record<string, unknown>;
const lan: Record<Language, Dict> = { 'zh-CN': zh, en };
const errorsByNs: Record<Language, Record<string, Dict>> = {
  'zh-CN': { lan: zh.errors, app: appZh, sales: salesZh, show: showZh },
  en: { lan: en.errors, app: appEn, sales: salesEn, show: showEn },
};

const storageKey = 'harvest-panel-language';

/** zh-CN first; English only when this phone chose it. */
export function panelLanguage(): Language {
  return localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh-CN';
}

export function setPanelLanguage(language: Language): void {
  localStorage.setItem(storageKey, language);
  document.documentElement.lang = language;
}

const interpolate = (text: string, params: Record<string, string | number> = {}) =>
  text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k] ?? ''));

function lookup(dict: Dict, key: string): string | undefined {
  let node: unknown = dict;
  for (const part of key.split('.')) node = (node as Dict | undefined)?.[part];
  return typeof node === 'string' ? node : undefined;
}

/** Translates a key of the lan namespace. */
export function t(key: string, params?: Record<string, string | number>): string {
  const text = lookup(lan[panelLanguage()], key) ?? lookup(lan['zh-CN'], key) ?? key;
  return interpolate(text, params);
}

/** The sentence for a coded error, in the phone's language; the English message otherwise. */
export function errorText(error: { code: string; message: string; params?: Record<string, string | number> }): string {
  const slash = error.code.indexOf('/');
  const ns = error.code.slice(0, slash);
  const reason = error.code.slice(slash + 1);
  const text = errorsByNs[panelLanguage()][ns]?.[reason];
  return typeof text === 'string' ? interpolate(text, error.params) : error.message;
}
