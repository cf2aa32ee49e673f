import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PickList } from '../../components/pick-list';
import { showError } from '../../state/errors';
import { useSettings } from '../../state/settings';
import { useShowLibrary, useShowLibraryActions } from '../../state/show-library';
import { PresetEditor } from './preset-editor';

/** The scene presets: the templates to start from, the user's presets, and the editor. */
export function PresetsPanel() {
  const { t } = useTranslation('show');
  const presets = useShowLibrary((s) => s.presets);
  const library = useShowLibraryActions();
  const templates = useShowLibrary((s) => s.templates);
  const assets = useShowLibrary((s) => s.assets);
  const thumbnail = (tpl: (typeof templates)[number]) => {
    const bg = tpl.background;
    const url = bg.kind === 'image' ? assets.find((a) => a.id === bg.assetId)?.url : undefined;
    return url === undefined
      ? undefined
      : { backgroundImage: `url("${url}")`, backgroundSize: 'cover', backgroundPosition: 'center' };
  };
  const language = useSettings((s) => s.settings.language);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [isPickingTemplate, setPickingTemplate] = useState(false);
  const selected = presets.find((p) => p.id === selectedId) ?? (isPickingTemplate ? undefined : presets[0]);

  const fromTemplate = async (templateId: string) => {
    try {
      const preset = await library.presetFromTemplate(templateId);
      setSelectedId(preset.id);
      setPickingTemplate(false);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <div className="presets-panel">
      <aside className="list-pane">
        <button type="button" className="primary" data-testid="preset-new" onClick={() => setPickingTemplate(true)}>
          {t('preset.new')}
        </button>
        <PickList
          items={presets}
          pickedId={selected?.id}
          onPick={(p) => {
            setSelectedId(p.id);
            setPickingTemplate(false);
          }}
          title={(p) => p.name}
          detail={(p) => `${p.orientation} · ${t(`preset.layouts.${p.layout}`)} · ${p.obsScene}`}
        />
        {presets.length > 0 && (
          <button type="button" onClick={() => void library.provisionObs()} title={t('preset.provisionHint')}>
            {t('preset.provision')}
          </button>
        )}
      </aside>
      <div className="main-pane">
        {isPickingTemplate || selected === undefined ? (
          <div>
            <h2>{t('preset.templates')}</h2>
            <p className="muted">{t('preset.templatesHint')}</p>
            <div className="template-grid" data-testid="template-grid">
              {templates.map((tpl) => (
                <button
                  key={tpl.templateId}
                  type="button"
                  className="template-card"
                  onClick={() => void fromTemplate(tpl.templateId)}
                >
                  <span
                    className={`template-shape o-${tpl.orientation === '16:9' ? 'wide' : 'tall'} theme-${tpl.theme}`}
                    style={thumbnail(tpl)}
                  />
                  <strong>{tpl.name[language]}</strong>
                  <small>{tpl.description[language]}</small>
                </button>
              ))}
            </div>
          </div>
        ) : (
          <PresetEditor key={selected.id} preset={selected} onDeleted={() => setSelectedId(null)} />
        )}
      </div>
    </div>
  );
}
