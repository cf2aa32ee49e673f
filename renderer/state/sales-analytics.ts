import { create } from 'zustand';

/** Which show and product the analytics page looks at; kept while the user moves between pages. */
export const useAnalyticsSelection = create<{
  showId: string | null;
  productId: string | null;
  setShow(id: string | null): void;
  setProduct(id: string | null): void;
}>()((set) => ({
  showId: null,
  productId: null,
  setShow: (showId) => set({ showId }),
  setProduct: (productId) => set({ productId }),
}));
