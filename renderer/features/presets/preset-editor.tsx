import type { ReactNode } from 'react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CompositorScene } from '../../../shared/compositor/scene';
import { anchorSchema, layoutSchema, orientationSchema, themeSchema } from '../../../shared/compositor/scene';
import type { Preset } from '../../../shared/show/preset';
import { presetTexts, resolvePreset } from '../../../shared/show/preset';
import { checkTexts } from '../../../shared/show/text-guard';
import { ChoiceSelect, Field, OptionalSelect } from '../../components/form-controls';
import type { CameraDevice } from '../../compositor/cameras';
import { listCameras } from '../../compositor/cameras';
import { showError } from '../../state/errors';
import { useShowLibrary, useShowLibraryActions } from '../../state/show-library';
import { useLiveStore, useLiveSync } from '../../state/show-live';
import { AssetImportButton } from '../assets/asset-import-button';
import { GuardHitList, GuardText } from '../show/guard-highlight';
import { PresetPreview } from './preset-preview';

const platforms = ['douyin', 'taobao', 'kuaishou', 'pinduoduo', 'weixin', 'xiaohongshu', 'other'] as const;
const backgroundKinds = ['camera', 'blur', 'image', 'video'] as const;
const lowerThirdWho = ['host', 'guest', 'custom'] as const;

type Draft = Preset;

/** Edits one preset with a live preview; can put it on program while editing. */
export function PresetEditor({ preset, onDeleted }: { preset: Preset; onDeleted: () => void }) {
  const { t } = useTranslation('show');
  const [draft, setDraft] = useState<Draft>(preset);
  const [productId, setProductId] = useState('');
  const [isLiveOnProgramChosen, setLiveOnProgram] = useState(false);
  const [isConfirmingProgram, setConfirmingProgram] = useState(false);
  useLiveSync();
  // While a show is on air, editing never reaches the program: only the button below, confirmed.
  const isOnAir = useLiveStore((s) => s.live !== null);
  const isLiveOnProgram = isLiveOnProgramChosen && !isOnAir;
  const [isSaving, setSaving] = useState(false);
  const [cameras, setCameras] = useState<CameraDevice[]>([]);
  // The coupon countdown in the preview runs from when the editor opened.
  const [openedAt] = useState(() => Date.now());
  const products = useShowLibrary((s) => s.products);
  const library = useShowLibraryActions();
  const assets = useShowLibrary((s) => s.assets);
  const terms = useShowLibrary((s) => s.guardTerms);

  useEffect(() => {
    listCameras().then(setCameras, () => setCameras([]));
  }, []);

  const product = products.find((p) => p.id === productId) ?? products[0] ?? null;
  const scene: CompositorScene = useMemo(
    () =>
      resolvePreset(draft, {
        product,
        host: { name: t('preset.sampleHost'), title: '' },
        guest: { name: t('preset.sampleGuest'), title: t('preset.sampleGuestTitle') },
        now: openedAt,
      }),
    [draft, product, t, openedAt],
  );

  // Live preview on program: every edit goes out, a little debounced so typing does not flood.
  useEffect(() => {
    if (!isLiveOnProgram) return;
    const timer = setTimeout(() => void library.previewScene(scene), 150);
    return () => clearTimeout(timer);
  }, [scene, isLiveOnProgram, library]);

  const findings = checkTexts(presetTexts(draft), terms);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setOverlay = <K extends keyof Draft['overlays']>(key: K, patch: Partial<Draft['overlays'][K]>) =>
    setDraft((d) => ({ ...d, overlays: { ...d.overlays, [key]: { ...d.overlays[key], ...patch } } }));
  const isDirty = JSON.stringify(draft) !== JSON.stringify(preset);
  const images = assets.filter((a) => a.kind === (draft.background.kind === 'video' ? 'video' : 'image'));
  const models = assets.filter((a) => a.kind === 'model');
  const cameraOptions = cameras.map((c) => ({ value: c.deviceId, label: c.label }));
  const background = draft.background;
  const backgroundUrl = background.kind === 'image' ? assets.find((a) => a.id === background.assetId)?.url : undefined;

  const save = async () => {
    setSaving(true);
    try {
      setDraft(await library.savePreset(draft));
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="preset-editor" data-testid="preset-editor">
      <div className="preset-form">
        <Field label={t('preset.name')}>
          <input
            data-testid="preset-name"
            value={draft.name}
            maxLength={60}
            onChange={(e) => set({ name: e.target.value })}
          />
        </Field>
        <Field label={t('preset.obsScene')}>
          <input value={draft.obsScene} maxLength={100} onChange={(e) => set({ obsScene: e.target.value })} />
          <small>{t('preset.obsSceneHint')}</small>
        </Field>
        <div className="field-row">
          <Field label={t('preset.orientation')}>
            <ChoiceSelect
              value={draft.orientation}
              options={orientationSchema.options}
              label={(o) => t(`preset.orientations.${o === '16:9' ? 'wide' : 'tall'}`)}
              onChange={(orientation) => set({ orientation })}
            />
          </Field>
          <Field label={t('preset.layout')}>
            <ChoiceSelect
              value={draft.layout}
              options={layoutSchema.options}
              label={(o) => t(`preset.layouts.${o}`)}
              onChange={(layout) => set({ layout })}
            />
          </Field>
          <Field label={t('preset.theme')}>
            <ChoiceSelect
              value={draft.theme}
              options={themeSchema.options}
              label={(o) => t(`preset.themes.${o}`)}
              onChange={(theme) => set({ theme })}
            />
          </Field>
        </div>
        <div className="field-row">
          <Field label={t('preset.mainCamera')}>
            <OptionalSelect
              value={draft.cameras.main}
              noneLabel={t('preset.defaultCamera')}
              options={cameraOptions}
              onChange={(main) => set({ cameras: { ...draft.cameras, main } })}
            />
          </Field>
          {draft.layout !== 'single' && (
            <Field label={t('preset.guestCamera')}>
              <OptionalSelect
                value={draft.cameras.guest}
                noneLabel={t('preset.secondCamera')}
                options={cameraOptions}
                onChange={(guest) => set({ cameras: { ...draft.cameras, guest } })}
              />
            </Field>
          )}
        </div>

        <fieldset>
          <legend>{t('preset.background')}</legend>
          <div className="field-row">
            <ChoiceSelect
              value={draft.background.kind}
              options={backgroundKinds}
              label={(k) => t(`preset.backgrounds.${k}`)}
              onChange={(kind) => {
                if (kind === 'camera') set({ background: { kind } });
                else if (kind === 'blur') set({ background: { kind, strength: 0.6 } });
                else {
                  const first = assets.find((a) => a.kind === kind);
                  set({ background: { kind, assetId: first?.id ?? 'builtin:orchard' } });
                }
              }}
            />
            {draft.background.kind === 'blur' && (
              <input
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={draft.background.strength}
                aria-label={t('preset.blurStrength')}
                onChange={(e) => set({ background: { kind: 'blur', strength: Number(e.target.value) } })}
              />
            )}
            {(draft.background.kind === 'image' || draft.background.kind === 'video') && (
              <>
                <AssetPicker
                  value={draft.background.assetId}
                  options={images}
                  onChange={(assetId) =>
                    set({ background: { kind: draft.background.kind === 'video' ? 'video' : 'image', assetId } })
                  }
                />
                {/* The product's own origin: a photo or clip of the orchard, port or workshop. */}
                <AssetImportButton
                  kind={draft.background.kind}
                  onImported={(entry) =>
                    set({ background: { kind: entry.kind === 'video' ? 'video' : 'image', assetId: entry.id } })
                  }
                />
              </>
            )}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('preset.model')}</legend>
          <div className="field-row">
            <select
              value={draft.model === null ? 'none' : draft.model.source}
              onChange={(e) => {
                const v = e.target.value;
                if (v === 'none') set({ model: null });
                else
                  set({
                    model: {
                      source: v === 'asset' ? 'asset' : 'product',
                      assetId: v === 'asset' ? (models[0]?.id ?? null) : null,
                      anchor: draft.model?.anchor ?? 'hand',
                      scale: draft.model?.scale ?? 1,
                    },
                  });
              }}
            >
              <option value="none">{t('preset.modelNone')}</option>
              <option value="product">{t('preset.modelProduct')}</option>
              <option value="asset">{t('preset.modelAsset')}</option>
            </select>
            {draft.model !== null && (
              <>
                <ChoiceSelect
                  aria-label={t('preset.anchor')}
                  value={draft.model.anchor}
                  options={anchorSchema.options}
                  label={(a) => t(`preset.anchors.${a}`)}
                  onChange={(anchor) => set({ model: { ...draft.model!, anchor } })}
                />
                <label className="inline">
                  {t('preset.scale')}
                  <input
                    type="range"
                    min={0.2}
                    max={3}
                    step={0.1}
                    value={draft.model.scale}
                    onChange={(e) => set({ model: { ...draft.model!, scale: Number(e.target.value) } })}
                  />
                </label>
              </>
            )}
            {draft.model?.source === 'asset' && (
              <AssetPicker
                value={draft.model.assetId ?? ''}
                options={models}
                onChange={(assetId) => set({ model: { ...draft.model!, assetId } })}
              />
            )}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('preset.overlays')}</legend>
          <Toggle
            label={t('preset.productCard')}
            checked={draft.overlays.productCard.visible}
            onChange={(v) => setOverlay('productCard', { visible: v })}
          >
            <input
              placeholder={t('preset.storyOverride')}
              value={draft.overlays.productCard.story}
              maxLength={120}
              onChange={(e) => setOverlay('productCard', { story: e.target.value })}
            />
          </Toggle>
          <Toggle
            label={t('preset.priceTag')}
            checked={draft.overlays.priceTag.visible}
            onChange={(v) => setOverlay('priceTag', { visible: v })}
          />
          <Toggle
            label={t('preset.lowerThird')}
            checked={draft.overlays.lowerThird.visible}
            onChange={(v) => setOverlay('lowerThird', { visible: v })}
          >
            <ChoiceSelect
              value={draft.overlays.lowerThird.who}
              options={lowerThirdWho}
              label={(w) => t(`preset.who.${w}`)}
              onChange={(who) => setOverlay('lowerThird', { who })}
            />
            {draft.overlays.lowerThird.who === 'custom' && (
              <input
                placeholder={t('preset.lowerName')}
                value={draft.overlays.lowerThird.name}
                maxLength={40}
                onChange={(e) => setOverlay('lowerThird', { name: e.target.value })}
              />
            )}
            <input
              placeholder={t('preset.lowerTitle')}
              value={draft.overlays.lowerThird.title}
              maxLength={60}
              onChange={(e) => setOverlay('lowerThird', { title: e.target.value })}
            />
          </Toggle>
          <Toggle
            label={t('preset.qr')}
            checked={draft.overlays.qr.visible}
            onChange={(v) => setOverlay('qr', { visible: v })}
          >
            <OptionalSelect
              value={draft.overlays.qr.platform}
              noneLabel={t('preset.qrFirst')}
              options={platforms.map((p) => ({ value: p, label: t(`platforms.${p}`) }))}
              onChange={(platform) => setOverlay('qr', { platform })}
            />
            <input
              placeholder={t('preset.qrCaption')}
              value={draft.overlays.qr.caption}
              maxLength={40}
              onChange={(e) => setOverlay('qr', { caption: e.target.value })}
            />
          </Toggle>
          <Toggle
            label={t('preset.coupon')}
            checked={draft.overlays.coupon.visible}
            onChange={(v) => setOverlay('coupon', { visible: v })}
          >
            <input
              placeholder={t('preset.couponText')}
              value={draft.overlays.coupon.text}
              maxLength={60}
              onChange={(e) => setOverlay('coupon', { text: e.target.value })}
            />
            <input
              type="number"
              min={1}
              max={240}
              placeholder={t('preset.couponMinutes')}
              value={draft.overlays.coupon.minutes ?? ''}
              onChange={(e) =>
                setOverlay('coupon', {
                  minutes:
                    e.target.value === '' ? null : Math.max(1, Math.min(240, Math.round(Number(e.target.value)))),
                })
              }
            />
          </Toggle>
        </fieldset>

        {findings.length > 0 && (
          <div className="banner warn" data-testid="preset-guard">
            <strong>{t('guard.foundInPreset')}</strong>
            {findings.map((f) => (
              <div key={f.field}>
                <GuardText text={f.text} hits={f.hits} />
                <GuardHitList hits={f.hits} />
              </div>
            ))}
          </div>
        )}

        <div className="row">
          <button
            type="button"
            className="primary"
            data-testid="preset-save"
            disabled={!isDirty || isSaving}
            onClick={() => void save()}
          >
            {t('preset.save')}
          </button>
          <button
            type="button"
            disabled={isDirty}
            onClick={() => void library.deletePreset(preset.id).then((isDeleted) => isDeleted && onDeleted())}
          >
            {t('preset.delete')}
          </button>
        </div>
      </div>

      <div className="preset-side">
        <PresetPreview scene={scene} backgroundUrl={backgroundUrl} />
        <Field label={t('preset.previewProduct')}>
          <select value={product?.id ?? ''} onChange={(e) => setProductId(e.target.value)}>
            {products.length === 0 && <option value="">{t('preset.noProducts')}</option>}
            {products.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <div className="row">
          <button
            type="button"
            data-testid="preset-to-program"
            onClick={() => {
              if (isOnAir) setConfirmingProgram(true);
              else void library.previewScene(scene);
            }}
          >
            {t('preset.toProgram')}
          </button>
          <label className="inline">
            <input
              type="checkbox"
              data-testid="preset-live-preview"
              checked={isLiveOnProgram}
              disabled={isOnAir}
              onChange={(e) => setLiveOnProgram(e.target.checked)}
            />
            {t('preset.liveOnProgram')}
          </label>
        </div>
        {isOnAir && isConfirmingProgram && (
          <div className="banner warn" role="alertdialog" data-testid="preset-to-program-confirm">
            <p>{t('preset.onAirConfirm')}</p>
            <div className="row">
              <button
                type="button"
                className="danger"
                data-testid="preset-to-program-yes"
                onClick={() => {
                  setConfirmingProgram(false);
                  void library.previewScene(scene);
                }}
              >
                {t('preset.onAirConfirmYes')}
              </button>
              <button type="button" onClick={() => setConfirmingProgram(false)}>
                {t('preset.onAirConfirmNo')}
              </button>
            </div>
          </div>
        )}
        <small className="muted" data-testid="preset-program-hint">
          {isOnAir ? t('preset.onAirHint') : t('preset.programHint')}
        </small>
      </div>
    </div>
  );
}

function Toggle({
  label,
  checked,
  onChange,
  children,
}: {
  label: string;
  checked: boolean;
  onChange: (value: boolean) => void;
  children?: ReactNode;
}) {
  return (
    <div className="toggle-row">
      <label className="inline">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
      {checked && children}
    </div>
  );
}

function AssetPicker({
  value,
  options,
  onChange,
}: {
  value: string;
  options: readonly { id: string; name: string }[];
  onChange: (assetId: string) => void;
}) {
  const { t } = useTranslation('show');
  // Without an asset library the id can still be typed (a package may name one).
  if (options.length === 0) {
    return (
      <input
        aria-label={t('preset.assetId')}
        value={value}
        maxLength={120}
        onChange={(e) => onChange(e.target.value.trim() || value)}
      />
    );
  }
  return (
    <select aria-label={t('preset.assetId')} value={value} onChange={(e) => onChange(e.target.value)}>
      {!options.some((o) => o.id === value) && <option value={value}>{value}</option>}
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </select>
  );
}
