import { AnalyticsPage } from '../features/analytics/analytics-page';
import { CompositorPreview } from '../features/compositor/compositor-preview';
import { ProductsPage } from '../features/products/products-page';
import { QuickSalesEntry } from '../features/sales/quick-entry';
import { LivePanel } from '../features/show/live-panel';
import { ShowsPage } from '../features/show/shows-page';
import { StudioPage } from './studio-page';

// Where each domain's page is mounted. Until a domain's UI lands, its page says what to do next.
export const StudioPageSlot = () => (
  <StudioPage preview={<CompositorPreview />} live={<LivePanel />} sales={<QuickSalesEntry />} />
);
export const ProductsPageSlot = () => <ProductsPage />;
export const ShowsPageSlot = () => <ShowsPage />;
export const AnalyticsPageSlot = () => <AnalyticsPage />;
