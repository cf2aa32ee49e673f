import './app.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';

import { connectStudio } from '../api/connect';
import { StudioProvider } from '../api/studio-context';
import { i18next, initI18n } from '../i18n';
import { errorReporter } from '../state/app-report';
import { showError } from '../state/errors';
import { loadSettings } from '../state/settings';
import { App } from './app';
import { linkDomains } from './cross-domain';
import { RootErrorBoundary } from './error-boundary';

// The page's one client, made here (not at import) and handed down through <StudioProvider>.
const studio = connectStudio();
const { reportError } = errorReporter(studio);

function reportUnhandled(error: unknown, where: string) {
  const err = error instanceof Error ? error : new Error(String(error));
  void reportError({ message: err.message, where, stack: err.stack });
}

window.addEventListener('error', (e) => reportUnhandled(e.error ?? e.message, 'window.error'));
window.addEventListener('unhandledrejection', (e) => reportUnhandled(e.reason, 'unhandledrejection'));

async function boot() {
  const root = document.getElementById('root');
  if (root === null) throw new Error('no #root');
  let language: 'zh-CN' | 'en' = 'zh-CN';
  try {
    language = (await loadSettings(studio)).language;
  } catch (error) {
    showError(error);
  }
  await initI18n(language);
  linkDomains();
  createRoot(root).render(
    <StrictMode>
      <StudioProvider client={studio}>
        <I18nextProvider i18n={i18next}>
          <RootErrorBoundary>
            <App />
          </RootErrorBoundary>
        </I18nextProvider>
      </StudioProvider>
    </StrictMode>,
  );
  document.body.dataset.ready = '1';
  window.dispatchEvent(new Event('harvest:app-ready'));
}

void boot();
