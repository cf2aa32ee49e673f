import { CompositorPreview } from '../features/compositor/compositor-preview';
import { ProductsPage } from '../features/products/products-page';
import { LivePanel } from '../features/show/live-panel';
import { ShowsPage } from '../features/show/shows-page';
import { EmptyState } from './empty-state';
import { StudioPage } from './studio-page';

// Where each domain's page is mounted. Until a domain's UI lands, its page says what to do next.
export const StudioPageSlot = () => <StudioPage preview={<CompositorPreview />} live={<LivePanel />} />;
export const ProductsPageSlot = () => <ProductsPage />;
export const ShowsPageSlot = () => <ShowsPage />;
export const AnalyticsPageSlot = () => <EmptyState what="analytics" />;
