import './onboarding.css';

import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

import type { OnboardingStep } from '../../../shared/api/app';
import { onboardingSteps } from '../../../shared/api/app';
import { assertNever } from '../../../shared/assert-never';
import { showError } from '../../state/errors';
import { useSettings, useSettingsActions } from '../../state/settings';
import { CameraStep } from './camera-step';
import { LanguageStep } from './language-step';
import { webglRendererName } from './machine';
import { ObsStep } from './obs-step';
import { PlatformStep } from './platform-step';
import { SampleStep } from './sample-step';

function StepBody({ step, onNext }: { step: OnboardingStep; onNext: () => void }) {
  switch (step) {
    case 'language':
      return <LanguageStep />;
    case 'camera':
      return <CameraStep />;
    case 'obs':
      return <ObsStep />;
    case 'platform':
      return <PlatformStep />;
    case 'sample':
      return <SampleStep onDone={onNext} />;
    default:
      return assertNever(step);
  }
}

/**
 * The first-run guide: language, camera, OBS, where the user goes live, and a sample show that
 * can go on air at once. Skippable at any step, resumed where it was left, restartable.
 */
export function FirstRunGuide({ onFinished }: { onFinished: () => void }) {
  const { t } = useTranslation('onboarding');
  const onboarding = useSettings((s) => s.settings.onboarding);
  const { saveOnboarding, reportMachine } = useSettingsActions();
  const isReporting = useRef(false);
  const step = onboarding.step;
  const index = onboardingSteps.indexOf(step);

  // A first run: the graphics decide the output size, once, before the user sees the size.
  useEffect(() => {
    if (onboarding.status !== 'new' || isReporting.current) return;
    isReporting.current = true;
    reportMachine(webglRendererName())
      .catch(showError)
      .finally(() => void saveOnboarding({ status: 'in-progress' }));
  }, [onboarding.status, saveOnboarding, reportMachine]);

  const go = (to: number) => {
    const next = onboardingSteps[to];
    if (next !== undefined) void saveOnboarding({ status: 'in-progress', step: next });
  };
  const finish = (status: 'done' | 'skipped') => {
    void saveOnboarding({ status }).then(onFinished);
  };

  return (
    <div className="guide" data-testid="first-run-guide" data-step={step}>
      <header className="guide-head">
        <div className="guide-brand">
          <span className="brand-mark" aria-hidden="true">
            穗
          </span>
          <strong>{t('title')}</strong>
        </div>
        <ol className="guide-steps" aria-label={t('progress')}>
          {onboardingSteps.map((id, i) => (
            <li key={id} className={i === index ? 'now' : i < index ? 'past' : undefined} aria-current={i === index}>
              <span className="guide-dot">{i + 1}</span>
              {t(`steps.${id}`)}
            </li>
          ))}
        </ol>
        <button type="button" className="guide-skip" data-testid="guide-skip" onClick={() => finish('skipped')}>
          {t('skip')}
        </button>
      </header>
      <main className="guide-body">
        <StepBody step={step} onNext={() => finish('done')} />
      </main>
      <footer className="guide-foot">
        <button type="button" data-testid="guide-back" disabled={index === 0} onClick={() => go(index - 1)}>
          {t('back')}
        </button>
        <small className="muted">{t('resumeHint')}</small>
        {index < onboardingSteps.length - 1 ? (
          <button type="button" className="primary" data-testid="guide-next" onClick={() => go(index + 1)}>
            {t('next')}
          </button>
        ) : (
          <button type="button" data-testid="guide-finish" onClick={() => finish('done')}>
            {t('finishWithoutSample')}
          </button>
        )}
      </footer>
    </div>
  );
}
