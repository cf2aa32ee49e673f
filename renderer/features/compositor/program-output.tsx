import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { outputFormats } from '../../../shared/api/app';
import { useSettings } from '../../state/settings';

/** Placeholder program output until the compositor lands: the exact output size, black. */
export function ProgramOutput() {
  const { t } = useTranslation();
  const format = useSettings((s) => s.settings.outputFormat);
  const { width, height } = outputFormats[format];
  useEffect(() => {
    document.body.dataset.sceneReady = '1';
    window.dispatchEvent(new Event('harvest:scene-ready'));
  }, []);
  return (
    <div className="program-output" style={{ width, height, color: '#555' }}>
      {t('program.waiting')}
    </div>
  );
}
