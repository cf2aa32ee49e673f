import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { assertNever } from '../../shared/assert-never';
import { studio } from '../api/client';
import { CentrePage } from '../features/centre/centre-page';
import { FirstRunGuide } from '../features/onboarding/first-run-guide';
import { isGuideOpen } from '../features/onboarding/onboarding-state';
import { ShortcutSheetButton, useGlobalShortcutFeedback } from '../features/onboarding/shortcuts';
import { SettingsPage } from '../pages/settings-page';
import { AnalyticsPageSlot, ProductsPageSlot, ShowsPageSlot, StudioPageSlot } from '../pages/slots';
import type { PageId } from '../state/navigation';
import { pages, useNavigation } from '../state/navigation';
import { useSettings } from '../state/settings';
import { ErrorPanel } from './error-panel';

function PageBody({ page }: { page: PageId }) {
  switch (page) {
    case 'studio':
      return <StudioPageSlot />;
    case 'products':
      return <ProductsPageSlot />;
    case 'shows':
      return <ShowsPageSlot />;
    case 'analytics':
      return <AnalyticsPageSlot />;
    case 'centre':
      return <CentrePage />;
    case 'settings':
      return <SettingsPage />;
    default:
      return assertNever(page, 'page');
  }
}

/** The control window: navigation on the left, one page at a time, errors in one place. */
export function App() {
  const { t } = useTranslation();
  const page = useNavigation((s) => s.page);
  const go = useNavigation((s) => s.go);
  const [isTransportUp, setTransportUp] = useState(true);
  const onboarding = useSettings((s) => s.settings.onboarding);
  useGlobalShortcutFeedback();

  useEffect(() => studio.onTransport(setTransportUp), []);

  if (isGuideOpen(onboarding)) {
    return (
      <div className="guide-shell">
        {!isTransportUp && <div className="banner warn">{t('transport.lost')}</div>}
        <FirstRunGuide onFinished={() => go('studio')} />
        <ErrorPanel />
      </div>
    );
  }

  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('appName')}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            穗
          </span>
          <span>{t('appName')}</span>
        </div>
        {pages.map((id) => (
          <button
            key={id}
            type="button"
            className={id === page ? 'nav-item active' : 'nav-item'}
            aria-current={id === page ? 'page' : undefined}
            data-page={id}
            onClick={() => go(id)}
          >
            {t(`nav.${id}`)}
          </button>
        ))}
        <ShortcutSheetButton />
      </nav>
      <main className="page" data-page={page}>
        {!isTransportUp && <div className="banner warn">{t('transport.lost')}</div>}
        <PageBody page={page} />
      </main>
      <ErrorPanel />
    </div>
  );
}
