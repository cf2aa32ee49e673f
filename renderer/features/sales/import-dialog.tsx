import './sales.css';

import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { StudioError } from '../../../shared/api/result';
import type {
  ColumnMapping,
  ImportField,
  ImportPlatform,
  ImportPreview,
  ImportResult,
  SalesPlatform,
} from '../../../shared/api/sales';
import { importFieldSchema, importPlatformSchema, salesPlatformSchema } from '../../../shared/api/sales';
import { formatFen } from '../../../shared/money';
import { showError } from '../../state/errors';
import { useSalesImport, useSalesImportActions, useSalesImportSync } from '../../state/sales-import';
import { importPercent } from './import-progress';

type Phase = 'pick' | 'reading' | 'preview' | 'committing' | 'done';

/** The failure of a preview or commit the user stopped: no error to show. */
const isStopped = (error: unknown): boolean => error instanceof StudioError && error.code === 'sales/import-cancelled';

/**
 * One file, or the two of a 淘宝/千牛 pair (order file and item file, in either order), as paths on
 * the studio's disk: the files' own (desktop) or the staged uploads (browser).
 */
interface PickedFiles {
  name: string;
  path: string;
  companion?: { name: string; path: string };
}

/**
 * Import platform order files: pick a file, see what was recognised (platform, encoding, header
 * row), the bad rows with their row numbers, duplicates and a sample, map columns by hand when
 * the table is unknown, then commit with a progress bar. Reading and writing can be stopped; a
 * preview not committed is dropped when another replaces it or the dialog goes, so its staged
 * rows do not wait half an hour on disk. Modal; `onClose` hides it.
 */
export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported?: (r: ImportResult) => void }) {
  const { t } = useTranslation('sales');
  const [phase, setPhase] = useState<Phase>('pick');
  const [file, setFile] = useState<PickedFiles | null>(null);
  const [platform, setPlatform] = useState<ImportPlatform | 'auto'>('auto');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [saveMapping, setSaveMapping] = useState(true);
  const [result, setResult] = useState<ImportResult | null>(null);
  /** Stop asked for and not yet done; `wasStopped` says so afterwards. */
  const [isStopping, setStopping] = useState(false);
  const [wasStopped, setWasStopped] = useState(false);

  useSalesImportSync();
  const progress = useSalesImport((s) => s.progress);
  const actions = useSalesImportActions();
  /** The preview shown and not committed. */
  const uncommitted = useRef<string | null>(null);
  /** Stop asked for, set at once (the state lags a render): an await that returns after the click sees it. */
  const stopRequested = useRef(false);
  const requestStop = () => {
    stopRequested.current = true;
    setStopping(true);
  };
  const endStop = () => {
    stopRequested.current = false;
    setStopping(false);
  };
  const stopped = () => new StudioError('sales/import-cancelled', 'The import was cancelled; nothing was imported.');
  /** Drops the preview shown (one replaces it, or it goes): its staged rows go at once. */
  const dropUncommitted = () => {
    const id = uncommitted.current;
    uncommitted.current = null;
    if (id !== null) void actions.cancel(id).catch(() => undefined);
  };

  // The dialog going (closed, or the page left) drops the preview nobody committed.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- on unmount only; dropUncommitted reads refs
  useEffect(() => dropUncommitted, []);

  // Stop asked for before the import had an id (the file still uploading, say): sent once the
  // first progress names it. A preview that finished meanwhile is dropped where it resolves.
  const runningId = progress?.phase === 'done' ? undefined : progress?.previewId;
  useEffect(() => {
    if (isStopping && runningId !== undefined) void actions.cancel(runningId).catch(showError);
  }, [isStopping, runningId, actions]);

  const runPreview = async (source: PickedFiles, chosen: ImportPlatform | 'auto', withMapping?: ColumnMapping) => {
    setPhase('reading');
    setWasStopped(false);
    try {
      if (stopRequested.current) throw stopped();
      const next = await actions.preview({
        source: { kind: 'path', path: source.path },
        ...(source.companion === undefined
          ? {}
          : { companion: { kind: 'path' as const, path: source.companion.path } }),
        platform: withMapping === undefined ? chosen : 'generic',
        ...(withMapping === undefined ? {} : { mapping: withMapping }),
      });
      if (stopRequested.current) {
        // Asked to stop while it finished: drop it as if it had been stopped mid-file.
        await actions.cancel(next.previewId).catch(() => undefined);
        throw stopped();
      }
      dropUncommitted();
      if (!next.needsMapping) uncommitted.current = next.previewId;
      setPreview(next);
      setMapping(next.needsMapping ? next.mapping : null);
      setSkipBadRows(false);
      setPhase('preview');
    } catch (error) {
      if (isStopped(error)) setWasStopped(true);
      else showError(error);
      setPhase(preview === null ? 'pick' : 'preview');
    } finally {
      endStop();
    }
  };

  const onPick = async (list: readonly File[]) => {
    const [picked, second] = list;
    if (picked === undefined) return;
    // No size cap here: the desktop app imports by path, a browser uploads (stageFile refuses past its limit).
    dropUncommitted();
    setPreview(null);
    setResult(null);
    try {
      setPhase('reading');
      const source: PickedFiles = { name: picked.name, path: await actions.stageFile(picked) };
      if (second !== undefined) source.companion = { name: second.name, path: await actions.stageFile(second) };
      setFile(source);
      await runPreview(source, platform);
    } catch (error) {
      // The upload failed (a stop asked for meanwhile is moot). One stopped during the upload
      // reaches runPreview, which ends it at once and says so.
      showError(error);
      setPhase('pick');
      endStop();
    }
  };

  const commit = async () => {
    if (preview === null) return;
    setPhase('committing');
    setWasStopped(false);
    try {
      const done = await actions.commit({
        previewId: preview.previewId,
        skipBadRows,
        saveMapping: preview.platform === 'generic' && saveMapping,
      });
      uncommitted.current = null;
      setResult(done);
      setPhase('done');
      onImported?.(done);
    } catch (error) {
      // Stopped: rolled back, the preview still there to commit again.
      if (isStopped(error)) setWasStopped(true);
      else showError(error);
      setPhase('preview');
    } finally {
      endStop();
    }
  };

  const isBusy = phase === 'reading' || phase === 'committing';
  // Shown above the buttons: after 导入 under a long preview, brought into view.
  const progressBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (isBusy) progressBox.current?.scrollIntoView({ block: 'nearest' });
  }, [isBusy]);
  const percent = phase === 'reading' || phase === 'committing' ? importPercent(phase, progress, preview) : undefined;

  return (
    <div
      className="import-dialog"
      role="dialog"
      aria-modal="true"
      aria-label={t('import.title')}
      data-testid="import-dialog"
    >
      <div className="import-box">
        <h2>{t('import.title')}</h2>
        <div className="import-row">
          <div className="field">
            {/* The native file button speaks the browser's language; this label speaks ours. */}
            <label className={`file-button${isBusy ? ' disabled' : ''}`}>
              {t('import.pick')}
              <input
                type="file"
                hidden
                accept=".csv,.xlsx,.xls,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                multiple
                data-testid="import-file"
                disabled={isBusy}
                onChange={(e) => {
                  const picked = Array.from(e.target.files ?? []);
                  // Emptied, so picking the same file again (after a stop or a failure) reads it again.
                  e.target.value = '';
                  void onPick(picked);
                }}
              />
            </label>
            {file !== null && (
              <span data-testid="import-file-name">
                {file.companion === undefined ? file.name : `${file.name} + ${file.companion.name}`}
              </span>
            )}
            <small>{t('import.pickHint')}</small>
          </div>
          <label className="field">
            <span>{t('import.platform')}</span>
            <select
              value={platform}
              disabled={isBusy}
              data-testid="import-platform"
              onChange={(e) => {
                const next = e.target.value as ImportPlatform | 'auto';
                setPlatform(next);
                if (file !== null) void runPreview(file, next);
              }}
            >
              <option value="auto">{t('import.auto')}</option>
              {importPlatformSchema.options
                .filter((p) => p !== 'generic')
                .map((p) => (
                  <option key={p} value={p}>
                    {t(`platforms.${p}`)}
                  </option>
                ))}
            </select>
          </label>
        </div>
        {phase !== 'pick' && preview !== null && mapping !== null && (
          <MappingEditor
            preview={preview}
            mapping={mapping}
            onChange={setMapping}
            onPreview={() => file !== null && void runPreview(file, 'generic', mapping)}
          />
        )}
        {preview !== null && !preview.needsMapping && phase !== 'done' && <PreviewView preview={preview} />}
        {phase === 'done' && result !== null && (
          <p className="banner" data-testid="import-done">
            {t('import.done', result)}
          </p>
        )}
        {isBusy && (
          <div data-testid="import-progress" ref={progressBox}>
            <p>{t(isStopping ? 'import.stopping' : phase === 'reading' ? 'import.reading' : 'import.committing')}</p>
            <div className="import-row">
              <progress className="import-progress" max={100} value={percent} />
              {/* Beside the bar, not where the close button is: a stop that lands as the import ends closes nothing. */}
              <button type="button" data-testid="import-stop" disabled={isStopping} onClick={requestStop}>
                {t(isStopping ? 'import.stopping' : 'import.stop')}
              </button>
            </div>
          </div>
        )}
        {!isBusy && wasStopped && (
          <p className="banner" data-testid="import-stopped">
            {t('import.stopped')}
          </p>
        )}
        <div className="import-row">
          {preview !== null && !preview.needsMapping && phase === 'preview' && (
            <>
              {preview.badRowCount > 0 && (
                <label>
                  <input type="checkbox" checked={skipBadRows} onChange={(e) => setSkipBadRows(e.target.checked)} />{' '}
                  {t('import.skipBadRows')}
                </label>
              )}
              {preview.platform === 'generic' && (
                <label>
                  <input type="checkbox" checked={saveMapping} onChange={(e) => setSaveMapping(e.target.checked)} />{' '}
                  {t('import.saveMapping')}
                </label>
              )}
              <button
                type="button"
                className="primary"
                data-testid="import-commit"
                disabled={preview.badRowCount > 0 && !skipBadRows}
                onClick={() => void commit()}
              >
                {t('import.commit')}
              </button>
            </>
          )}
          <button type="button" data-testid="import-close" disabled={isBusy} onClick={onClose}>
            {t(phase === 'done' ? 'import.close' : 'import.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}

const encodingNames: Record<ImportPreview['encoding'], string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 (BOM)',
  gb18030: 'GBK/GB18030',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16',
  binary: 'xlsx',
};

// Order times are shown as the platforms wrote them: China time.
const wallTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'short',
  timeStyle: 'medium',
  hourCycle: 'h23',
});

function PreviewView({ preview }: { preview: ImportPreview }) {
  const { t } = useTranslation('sales');
  return (
    <div data-testid="import-preview">
      <p>
        {t('import.detected', {
          platform: t(`platforms.${preview.platform === 'generic' ? 'generic' : preview.platform}`),
          encoding: encodingNames[preview.encoding],
          line: preview.headerLine,
        })}
      </p>
      <p>
        <strong>
          {t('import.summary', {
            total: preview.totalRows,
            ok: preview.okRows,
            orders: preview.orders,
            amount: formatFen(preview.amountFen),
          })}
        </strong>
      </p>
      {preview.gmv !== null && (
        <p className="import-gmv">
          {t(
            preview.gmv.field === 'orderAmount'
              ? 'import.gmvOrder'
              : preview.gmv.field === 'unitPrice'
                ? 'import.gmvUnit'
                : 'import.gmvLine',
            {
              column: preview.gmv.column,
              meaning: t(`import.amountMeaning.${preview.gmv.meaning}`),
            },
          )}
        </p>
      )}
      <ul className="import-notes">
        {preview.duplicateRows > 0 && <li>{t('import.duplicates', { count: preview.duplicateRows })}</li>}
        {preview.repeatedRows > 0 && <li>{t('import.repeated', { count: preview.repeatedRows })}</li>}
        {preview.skippedRows > 0 && <li>{t('import.skipped', { count: preview.skippedRows })}</li>}
        {preview.unmatchedProducts > 0 && <li>{t('import.unmatched', { count: preview.unmatchedProducts })}</li>}
      </ul>
      {preview.badRowCount > 0 && (
        <div className="import-bad" data-testid="import-bad-rows">
          <h3>{t('import.badRows', { count: preview.badRowCount })}</h3>
          {preview.badRowCount > preview.badRows.length && (
            <p>{t('import.badRowsMore', { shown: preview.badRows.length })}</p>
          )}
          <table className="sales-table">
            <thead>
              <tr>
                <th className="num">{t('import.line')}</th>
                <th>{t('import.reason')}</th>
                <th>{t('import.column')}</th>
                <th>{t('import.value')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.badRows.map((b) => (
                <tr key={`${b.line}-${b.code}`}>
                  <td className="num">{b.line}</td>
                  <td>{t(`importRow.${b.code}`)}</td>
                  <td>{b.column}</td>
                  <td>{b.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {preview.sample.length > 0 && (
        <>
          <h3>{t('import.sample')}</h3>
          <table className="sales-table">
            <thead>
              <tr>
                <th className="num">{t('import.line')}</th>
                <th>{t('import.fields.orderId')}</th>
                <th>{t('import.fields.orderedAt')}</th>
                <th>{t('import.fields.productTitle')}</th>
                <th className="num">{t('import.fields.quantity')}</th>
                <th className="num">{t('import.fields.lineAmount')}</th>
                <th>{t('import.fields.status')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.sample.map((o) => (
                <tr key={`${o.orderId}-${o.lineId}`}>
                  <td className="num">{o.line}</td>
                  <td>{o.orderId}</td>
                  <td>{wallTime.format(o.orderedAt)}</td>
                  <td>{o.productTitle}</td>
                  <td className="num">{o.quantity}</td>
                  <td className="num">{formatFen(o.amountFen)}</td>
                  <td>{t(`status.${o.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function MappingEditor({
  preview,
  mapping,
  onChange,
  onPreview,
}: {
  preview: ImportPreview;
  mapping: ColumnMapping;
  onChange: (m: ColumnMapping) => void;
  onPreview: () => void;
}) {
  const { t } = useTranslation('sales');
  const setColumn = (field: ImportField, column: string) => {
    const columns = { ...mapping.columns };
    if (column === '') delete columns[field];
    else columns[field] = column;
    onChange({ ...mapping, columns });
  };
  const isReady =
    mapping.columns.orderId !== undefined && (mapping.columns.orderedAt ?? mapping.columns.paidAt) !== undefined;
  return (
    <div className="card" data-testid="import-mapping">
      <h3>{t('import.mappingTitle')}</h3>
      <div className="mapping-grid">
        <span>{t('import.mappingName')}</span>
        <input value={mapping.name} maxLength={60} onChange={(e) => onChange({ ...mapping, name: e.target.value })} />
        <span>{t('import.mappingPlatform')}</span>
        <select
          value={mapping.platform}
          onChange={(e) => onChange({ ...mapping, platform: e.target.value as SalesPlatform })}
        >
          {salesPlatformSchema.options.map((p) => (
            <option key={p} value={p}>
              {t(`platforms.${p}`)}
            </option>
          ))}
        </select>
        {importFieldSchema.options.map((field) => (
          <label key={field} style={{ display: 'contents' }}>
            <span>{t(`import.fields.${field}`)}</span>
            <select
              value={mapping.columns[field] ?? ''}
              data-field={field}
              onChange={(e) => setColumn(field, e.target.value)}
            >
              <option value="">{t('import.notMapped')}</option>
              {preview.columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <div className="import-row">
        <button type="button" className="primary" disabled={!isReady || mapping.name.trim() === ''} onClick={onPreview}>
          {t('import.preview')}
        </button>
      </div>
    </div>
  );
}
