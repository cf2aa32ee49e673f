import './app.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';

import { studio } from '../api/client';
import { i18next, initI18n } from '../i18n';
import { showError } from '../state/errors';
import { loadSettings } from '../state/settings';
import { App } from './app';
import { linkDomains } from './cross-domain';
import { RootErrorBoundary } from './error-boundary';

function reportUnhandled(error: unknown, where: string) {
  const err = error instanceof Error ? error : new Error(String(error));
  void studio
    .call('app:report-error', { message: err.message, where, ...(err.stack === undefined ? {} : { stack: err.stack }) })
    .catch(() => undefined);
}

window.addEventListener('error', (e) => reportUnhandled(e.error ?? e.message, 'window.error'));
window.addEventListener('unhandledrejection', (e) => reportUnhandled(e.reason, 'unhandledrejection'));

async function boot() {
  const root = document.getElementById('root');
  if (root === null) throw new Error('no #root');
  let language: 'zh-CN' | 'en' = 'zh-CN';
  try {
    language = (await loadSettings()).language;
  } catch (error) {
    showError(error);
  }
  await initI18n(language);
  linkDomains();
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18next}>
        <RootErrorBoundary>
          <App />
        </RootErrorBoundary>
      </I18nextProvider>
    </StrictMode>,
  );
  document.body.dataset.ready = '1';
  window.dispatchEvent(new Event('harvest:app-ready'));
}

void boot();
