import i18next from 'i18next';
import { describe, expect, it } from 'vitest';

import { StudioError } from '../../shared/api/result';
import enApp from '../i18n/locales/en/app.json';
import enCompositor from '../i18n/locales/en/compositor.json';
import zhApp from '../i18n/locales/zh-CN/app.json';
import zhCompositor from '../i18n/locales/zh-CN/compositor.json';
import { asBootError, failureText, guessLanguage } from './boot-failure';

describe('program boot failure texts', () => {
  it('codes whatever a boot throws', () => {
    expect(asBootError(new StudioError('app/not-connected', 'Lost the connection'))).toMatchObject({
      code: 'app/not-connected',
      message: 'Lost the connection',
    });
    expect(asBootError(new TypeError('i18n exploded'))).toMatchObject({
      code: 'app/internal',
      message: 'i18n exploded',
    });
    expect(asBootError('odd')).toEqual({ code: 'app/internal', message: 'odd' });
  });

  it('speaks Chinese first unless the page says otherwise', () => {
    expect(guessLanguage([])).toBe('zh-CN');
    expect(guessLanguage(['zh-TW', 'en'])).toBe('zh-CN');
    expect(guessLanguage(['en-US', 'zh-CN'])).toBe('en');
  });

  it('says the failure and its code in both languages', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      resources: {
        'zh-CN': { app: zhApp, compositor: zhCompositor },
        en: { app: enApp, compositor: enCompositor },
      },
      lng: 'zh-CN',
      fallbackLng: 'zh-CN',
      ns: ['app', 'compositor'],
      interpolation: { escapeValue: false },
    });
    const error = { code: 'compositor/webgl-unavailable', message: 'no WebGL' };
    const zh = failureText(i18n.getFixedT('zh-CN'), error);
    expect(zh).toEqual({
      title: '节目画面没能启动',
      reason: zhCompositor.errors['webgl-unavailable'],
      hint: zhApp.program.failed.retrying,
      code: '错误代码：compositor/webgl-unavailable',
    });
    const en = failureText(i18n.getFixedT('en'), { code: 'app/not-connected', message: 'x' });
    expect(en.title).toBe('The program picture could not start');
    expect(en.reason).toBe(enApp.errors['not-connected']);
    expect(en.code).toBe('Error code: app/not-connected');
    // A code without a sentence still says something: the message it came with.
    expect(failureText(i18n.getFixedT('en'), { code: 'app/brand-new', message: 'Brand new fault' }).reason).toBe(
      'Brand new fault',
    );
  });
});
