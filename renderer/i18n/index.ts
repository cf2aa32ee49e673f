import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import type { Language } from '../../shared/api/app';

// Every namespace is a JSON file per language: locales/<lng>/<ns>.json. New domains add files,
// nothing here changes.
const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { eager: true, import: 'default' });

const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, content] of Object.entries(files)) {
  const m = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (m?.[1] === undefined || m[2] === undefined) continue;
  (resources[m[1]] ??= {})[m[2]] = content;
}

/** Namespaces found on disk; `common` is the default. */
export const namespaces = Object.keys(resources['zh-CN'] ?? {});

export async function initI18n(language: Language): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'zh-CN',
    ns: namespaces,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

export async function setLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

export { i18next };
