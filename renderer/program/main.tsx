import './program.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';

import { RootErrorBoundary } from '../app/error-boundary';
import { ProgramOutput } from '../features/compositor/program-output';
import { i18next, initI18n } from '../i18n';
import { loadSettings } from '../state/settings';

// The program page: only the picture, at the exact output size, for OBS to capture.
async function boot() {
  const root = document.getElementById('root');
  if (root === null) throw new Error('no #root');
  const settings = await loadSettings();
  await initI18n(settings.language);
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18next}>
        <RootErrorBoundary>
          <ProgramOutput />
        </RootErrorBoundary>
      </I18nextProvider>
    </StrictMode>,
  );
}

void boot();
