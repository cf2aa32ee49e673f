import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useCatalogue, useCatalogueSync } from '../../state/products';
import { useSalesDbActions, useSalesFeed, useSalesFeedSync } from '../../state/sales-db';

/**
 * The live order feed from oba-live-tool (its WebSocket server, port 12354 by default): connect,
 * see whether it is listening, and link the platform's product ids to the catalogue.
 */
export function LiveFeedPanel() {
  const { t } = useTranslation('sales');
  useSalesFeedSync();
  useCatalogueSync();
  const state = useSalesFeed((s) => s.state);
  const catalogue = useCatalogue((s) => s.products);
  const products = useMemo(() => catalogue.filter((p) => !p.isArchived), [catalogue]);
  const { connectFeed, mapFeedProduct } = useSalesDbActions();
  const [url, setUrl] = useState<string | null>(null);

  if (state === null) return null;
  const shownUrl = url ?? state.url;
  const connect = (isEnabled: boolean) => connectFeed(isEnabled, shownUrl);

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
                    void mapFeedProduct({ externalId: u.externalId, title: u.title, productId: e.target.value })
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
