import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { FeedState, Product } from '../../../shared/api/sales';
import { studio } from '../../api/client';
import { showError } from '../../state/errors';

/**
 * The live order feed from oba-live-tool (its WebSocket server, port 12354 by default): connect,
 * see whether it is listening, and link the platform's product ids to the catalogue.
 */
export function LiveFeedPanel() {
  const { t } = useTranslation('sales');
  const [state, setState] = useState<FeedState | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [products, setProducts] = useState<Product[]>([]);

  useEffect(() => {
    studio.call('sales:feed-state').then(setState, showError);
    studio.call('products:list', {}).then(setProducts, showError);
    return studio.on('sales:feed-state', setState);
  }, []);

  if (state === null) return null;
  const shownUrl = url ?? state.url;
  const connect = (isEnabled: boolean) =>
    studio.call('sales:feed-connect', { isEnabled, url: shownUrl }).then(setState, showError);

  return (
    <details className="live-feed" data-testid="live-feed" data-status={state.status}>
      <summary>
        {t('feed.title')} · {t(`feed.states.${state.status}`)}
      </summary>
      <div className="import-row">
        <label>
          <span className="muted">{t('feed.url')} </span>
          <input value={shownUrl} onChange={(e) => setUrl(e.target.value)} disabled={state.isEnabled} />
        </label>
        {state.isEnabled ? (
          <button type="button" onClick={() => void connect(false)}>
            {t('feed.disconnect')}
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void connect(true)}>
            {t('feed.connect')}
          </button>
        )}
      </div>
      <p className="muted">{t('feed.received', { n: state.ordersReceived })}</p>
      {state.unmappedProducts.length > 0 && (
        <>
          <p>{t('feed.unmapped')}</p>
          <ul>
            {state.unmappedProducts.map((u) => (
              <li key={u.externalId}>
                {u.title !== '' ? u.title : u.externalId}{' '}
                <select
                  defaultValue=""
                  onChange={(e) =>
                    e.target.value !== '' &&
                    void studio
                      .call('sales:feed-map-product', {
                        externalId: u.externalId,
                        title: u.title,
                        productId: e.target.value,
                      })
                      .catch(showError)
                  }
                >
                  <option value="">—</option>
                  {products.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
