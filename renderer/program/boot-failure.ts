import type { TFunction } from 'i18next';

import type { Language } from '../../shared/api/app';
import type { StudioErrorData } from '../../shared/api/result';
import { errorTranslationKey, StudioError } from '../../shared/api/result';

/** Anything thrown during boot, as a coded error (not a StudioError: `app/internal`). */
export function asBootError(error: unknown): StudioErrorData {
  if (error instanceof StudioError) return error.toData();
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'app/internal',
    message,
    ...(error instanceof Error && error.stack !== undefined ? { detail: error.stack } : {}),
  };
}

/** What the failure screen says, in one language. */
export interface FailureText {
  title: string;
  reason: string;
  hint: string;
  code: string;
}

/** The failure screen's sentences from i18next (`app:program.failed.*` and the code's own text). */
export function failureText(t: TFunction, error: StudioErrorData): FailureText {
  const { ns, key } = errorTranslationKey(error.code);
  return {
    title: t('app:program.failed.title'),
    reason: t(`${ns}:${key}`, { defaultValue: error.message }),
    hint: t('app:program.failed.retrying'),
    code: t('app:program.failed.code', { code: error.code }),
  };
}

/** Last resort when i18next itself did not start: the same sentences, without it. */
export const untranslated: Record<Language, Omit<FailureText, 'reason'>> = {
  'zh-CN': { title: '节目画面没能启动', hint: '正在自动重试，恢复后画面会自己出现。', code: '错误代码' },
  en: { title: 'The program picture could not start', hint: 'Retrying by itself.', code: 'Error code' },
};

/** Which language to speak before the settings say: the page's, else Chinese first. */
export function guessLanguage(languages: readonly string[]): Language {
  const first = languages[0]?.toLowerCase() ?? '';
  return first === '' || first.startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * Draws the failure on the program picture (plain DOM: React and i18next may be what failed), so
 * OBS captures a clear message instead of a black frame. `texts`: one block per language, the
 * first large. Replaces an earlier failure screen.
 */
export function showFailure(code: string, texts: readonly FailureText[]): HTMLElement {
  document.querySelector('.program-failed')?.remove();
  const box = document.createElement('div');
  box.className = 'program-failed';
  box.setAttribute('role', 'alert');
  box.dataset.code = code;
  texts.forEach((text, i) => {
    const block = document.createElement('div');
    block.className = i === 0 ? 'program-failed-main' : 'program-failed-second';
    for (const [tag, value] of [
      ['h1', text.title],
      ['p', text.reason],
      ['p', text.hint],
    ] as const) {
      const el = document.createElement(tag);
      el.textContent = value;
      block.appendChild(el);
    }
    box.appendChild(block);
  });
  const codeLine = document.createElement('p');
  codeLine.className = 'program-failed-code';
  codeLine.textContent = texts[0]?.code ?? code;
  box.appendChild(codeLine);
  document.body.appendChild(box);
  document.body.dataset.bootFailed = code;
  return box;
}

export function clearFailure(): void {
  document.querySelector('.program-failed')?.remove();
  delete document.body.dataset.bootFailed;
}
