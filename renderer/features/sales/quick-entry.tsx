import './sales.css';

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Fen } from '../../../shared/money';
import { formatFen, parseYuanToFen } from '../../../shared/money';
import { isTyping } from '../../components/keyboard';
import { useSalesLive, useSalesLiveActions, useSalesLiveSync } from '../../state/sales-live';
import { SalesDbRecovery } from './db-recovery';
import { LiveFeedPanel } from './live-feed-panel';

/** Keys of the quick entry: `+` (or `=`, the same key unshifted) records one, Ctrl+Z undoes. */
export const salesHotkeys = { plusOne: ['+', '='], undo: 'z' } as const;

function useSalesHotkeys(isEnabled: boolean): void {
  const { recordSale, undoLastSale } = useSalesLiveActions();
  useEffect(() => {
    if (!isEnabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.altKey || event.metaKey) return;
      if (event.ctrlKey && event.key.toLowerCase() === salesHotkeys.undo && !event.shiftKey) {
        event.preventDefault();
        void undoLastSale();
        return;
      }
      if (event.ctrlKey || event.repeat) return;
      if ((salesHotkeys.plusOne as readonly string[]).includes(event.key)) {
        event.preventDefault();
        void recordSale(1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [isEnabled, recordSale, undoLastSale]);
}

/**
 * Quick sales entry for the product on air: big +1 / +N buttons, an editable amount, undo, and
 * a confirmation that appears as soon as the commit event arrives. Place it on the Studio page.
 */
export function QuickSalesEntry() {
  useSalesLiveSync();
  const { t } = useTranslation('sales');
  const live = useSalesLive((s) => s.live);
  const totals = useSalesLive((s) => s.totals);
  const recent = useSalesLive((s) => s.recent);
  const lastCommit = useSalesLive((s) => s.lastCommit);
  const pending = useSalesLive((s) => s.pending);
  const { recordSale, undoLastSale } = useSalesLiveActions();
  const [n, setN] = useState(5);
  const [amountText, setAmountText] = useState('');
  useSalesHotkeys(live !== null);

  if (live === null) {
    return (
      <section className="quick-sales card" data-testid="quick-sales" data-live="off">
        <h2>{t('quick.title')}</h2>
        <SalesDbRecovery />
        <p className="muted">{t('quick.noLive')}</p>
        <LiveFeedPanel />
      </section>
    );
  }
  const product = live.product;
  const trimmed = amountText.trim();
  const amountFen: Fen | undefined = trimmed === '' ? undefined : parseYuanToFen(trimmed);
  const isAmountBad = trimmed !== '' && (amountFen === undefined || amountFen < 0);
  const add = (quantity: number) => {
    if (isAmountBad) return;
    void recordSale(quantity, amountFen);
    setAmountText('');
  };

  return (
    <section className="quick-sales card" data-testid="quick-sales" data-live="on">
      <h2>{t('quick.title')}</h2>
      <div className="quick-product">
        <span className="muted">{t('quick.onAir')}</span>
        <strong data-testid="quick-product">{product?.name ?? t('quick.noProduct')}</strong>
        {product !== null && <span className="quick-price">{formatFen(product.priceFen)}</span>}
      </div>
      <div className="quick-buttons">
        <button
          type="button"
          className="primary quick-plus"
          data-testid="quick-plus-one"
          disabled={product === null || isAmountBad}
          onClick={() => add(1)}
        >
          {t('quick.plusOne')}
        </button>
        <button
          type="button"
          className="quick-plus"
          data-testid="quick-plus-n"
          disabled={product === null || isAmountBad}
          onClick={() => add(n)}
        >
          {t('quick.plusN', { n })}
        </button>
      </div>
      <div className="quick-fields">
        <label>
          <span>{t('quick.quantity')}</span>
          <input
            type="number"
            min={1}
            max={9999}
            value={n}
            data-testid="quick-n"
            onChange={(e) => setN(Math.max(1, Math.min(9999, Math.trunc(Number(e.target.value) || 1))))}
          />
        </label>
        <label>
          <span>{t('quick.amount')}</span>
          <input
            inputMode="decimal"
            placeholder={t('quick.amountHint')}
            value={amountText}
            data-testid="quick-amount"
            aria-invalid={isAmountBad}
            onChange={(e) => setAmountText(e.target.value)}
          />
        </label>
      </div>
      {isAmountBad && <p className="quick-bad">{t('quick.badAmount')}</p>}
      <div className="quick-row">
        <button type="button" data-testid="quick-undo" onClick={() => void undoLastSale()}>
          {t('quick.undo')}
        </button>
        <small className="muted">{t('quick.hotkeys')}</small>
      </div>
      {lastCommit !== null && (
        // Keyed by sale and kind: each commit mounts a fresh element, so its flash replays.
        <div
          key={`${lastCommit.kind}-${lastCommit.sale.id}-${lastCommit.at}`}
          className={`quick-confirm ${lastCommit.kind}`}
          role="status"
          data-testid="quick-confirm"
          data-sale-id={lastCommit.sale.id}
        >
          {t(lastCommit.kind === 'saved' ? 'quick.saved' : 'quick.undone', {
            amount: formatFen(lastCommit.sale.amountFen),
          })}
        </div>
      )}
      {totals !== null && (
        <p className="quick-totals" data-testid="quick-totals">
          {t('quick.segmentTotals', { orders: totals.orders, gmv: formatFen(totals.gmvFen) })}
        </p>
      )}
      {pending > 0 && <progress className="quick-pending" aria-busy="true" />}
      {recent.length > 0 && (
        <ol className="quick-recent" aria-label={t('quick.recent')}>
          {recent.map((sale) => (
            <li key={sale.id} className={sale.status === 'voided' ? 'voided' : undefined}>
              <span>#{sale.id}</span>
              <span>×{sale.quantity}</span>
              <span>{formatFen(sale.amountFen)}</span>
              {sale.isOffAir && <span className="tag">{t('quick.offAir')}</span>}
              {sale.status !== 'paid' && <span className="tag">{t(`status.${sale.status}`)}</span>}
            </li>
          ))}
        </ol>
      )}
      <LiveFeedPanel />
    </section>
  );
}
