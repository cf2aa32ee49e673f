import './program.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';

import type { Language, Settings } from '../../shared/api/app';
import type { StudioErrorData } from '../../shared/api/result';
import { connectStudio } from '../api/connect';
import { StudioProvider } from '../api/studio-context';
import { RootErrorBoundary } from '../app/error-boundary';
import { ProgramOutput } from '../features/compositor/program-output';
import { i18next, initI18n, setLanguage } from '../i18n';
import { loadSettings } from '../state/settings';
import type { FailureText } from './boot-failure';
import { asBootError, clearFailure, failureText, guessLanguage, showFailure, untranslated } from './boot-failure';

// The program page: only the picture, at the exact output size, for OBS to capture. A failed start
// (the studio service down or restarting, settings or i18n failing) is shown on the picture, reported
// when the service can be reached, and retried until it works: the program is never silently black.

const studio = connectStudio();

function report(error: StudioErrorData, where: string): Promise<boolean> {
  return studio
    .call('app:report-error', {
      message: `${error.code}: ${error.message}`.slice(0, 4000),
      where,
      ...(error.detail === undefined ? {} : { stack: error.detail.slice(0, 20_000) }),
    })
    .then(
      () => true,
      () => false,
    );
}

window.addEventListener('error', (e) => void report(asBootError(e.error ?? e.message), 'program window.error'));
window.addEventListener('unhandledrejection', (e) => void report(asBootError(e.reason), 'program unhandledrejection'));

let language: Language = guessLanguage(navigator.languages);
let i18nReady = false;
let settings: Settings | undefined;

async function boot(root: HTMLElement): Promise<void> {
  if (!i18nReady) {
    // First, in a guessed language, so a failure after this can be told in words.
    await initI18n(language);
    i18nReady = true;
  }
  settings ??= await loadSettings(studio);
  if (settings.language !== language) {
    language = settings.language;
    await setLanguage(language);
  }
  createRoot(root).render(
    <StrictMode>
      <StudioProvider client={studio}>
        <I18nextProvider i18n={i18next}>
          <RootErrorBoundary>
            <ProgramOutput />
          </RootErrorBoundary>
        </I18nextProvider>
      </StudioProvider>
    </StrictMode>,
  );
}

function texts(error: StudioErrorData): FailureText[] {
  const order: Language[] = language === 'zh-CN' ? ['zh-CN', 'en'] : ['en', 'zh-CN'];
  return order.map((lng) => {
    if (i18nReady && i18next.isInitialized) return failureText(i18next.getFixedT(lng), error);
    const plain = untranslated[lng];
    return { ...plain, reason: error.message, code: `${plain.code}: ${error.code}` };
  });
}

const retryMs = [1_000, 2_000, 5_000, 10_000, 15_000];

function start(): void {
  const root = document.getElementById('root');
  if (root === null) return;
  let booting = false;
  let done = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Failures not yet in the studio's log (the service was down when they happened), oldest first. */
  const backlog: StudioErrorData[] = [];
  let flushing: Promise<void> | undefined;
  const flush = async (where: string): Promise<void> => {
    // One report at a time, in order; a flush asked for meanwhile runs after this one.
    while (flushing !== undefined) await flushing;
    flushing = (async () => {
      while (backlog[0] !== undefined && (await report(backlog[0], where))) backlog.shift();
    })();
    await flushing;
    flushing = undefined;
  };
  let lastCode = '';
  let lastShown = '';

  const attempt = async () => {
    if (booting || done) return;
    booting = true;
    clearTimeout(timer);
    try {
      await boot(root);
      done = true;
      offTransport();
      clearFailure();
      // The service is reachable now: say in its log what went wrong before.
      void flush('program boot (recovered)');
    } catch (error) {
      const coded = asBootError(error);
      failures++;
      if (`${coded.code}|${language}` !== lastShown) {
        showFailure(coded.code, texts(coded));
        lastShown = `${coded.code}|${language}`;
      }
      if (coded.code !== lastCode) {
        lastCode = coded.code;
        backlog.push(coded);
        // Not awaited: with the service down a report waits for the socket.
        void flush('program boot');
      }
      // Keep trying: the host may be restarting; a reconnect retries at once (below).
      timer = setTimeout(() => void attempt(), retryMs[Math.min(failures - 1, retryMs.length - 1)]);
    } finally {
      booting = false;
    }
  };
  const offTransport = studio.onTransport((connected) => {
    if (connected) void attempt();
  });
  void attempt();
}

start();
