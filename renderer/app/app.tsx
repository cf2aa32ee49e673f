import { useTranslation } from 'react-i18next';

import { assertNever } from '../../shared/assert-never';
import { FirstRunGuide } from '../features/onboarding/first-run-guide';
import { isGuideOpen } from '../features/onboarding/onboarding-state';
import { ShortcutSheetButton } from '../features/onboarding/shortcuts';
import { AnalyticsPage } from '../pages/analytics-page';
import { CentrePage } from '../pages/centre-page';
import { ProductsPage } from '../pages/products-page';
import { SettingsPage } from '../pages/settings-page';
import { ShowsPage } from '../pages/shows-page';
import { StudioPage } from '../pages/studio-page';
import type { PageId } from '../state/navigation';
import { pages, useNavigation } from '../state/navigation';
import { useGlobalShortcutFeedback, useSettings } from '../state/settings';
import { useTransportUp } from '../state/transport';
import { ErrorPanel } from './error-panel';

function PageBody({ page }: { page: PageId }) {
  switch (page) {
    case 'studio':
      return <StudioPage />;
    case 'products':
      return <ProductsPage />;
    case 'shows':
      return <ShowsPage />;
    case 'analytics':
      return <AnalyticsPage />;
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
  const isTransportUp = useTransportUp();
  const onboarding = useSettings((s) => s.settings.onboarding);
  useGlobalShortcutFeedback();

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
