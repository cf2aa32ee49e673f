import { EmptyState } from './empty-state';
import { StudioPage } from './studio-page';

// Where each domain's page is mounted. Until a domain's UI lands, its page says what to do next.
export const StudioPageSlot = () => <StudioPage />;
export const ProductsPageSlot = () => <EmptyState what="products" />;
export const ShowsPageSlot = () => <EmptyState what="shows" />;
export const AnalyticsPageSlot = () => <EmptyState what="analytics" />;
