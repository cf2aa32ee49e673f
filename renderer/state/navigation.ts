import { create } from 'zustand';

export const pages = ['studio', 'products', 'shows', 'analytics', 'centre', 'settings'] as const;
/** A page of the control window. */
export type PageId = (typeof pages)[number];

function fromHash(): PageId {
  const id = location.hash.replace(/^#\/?/, '');
  return (pages as readonly string[]).includes(id) ? (id as PageId) : 'studio';
}

interface NavigationState {
  page: PageId;
  go(page: PageId): void;
}

/** Which page the control window shows; mirrored in the URL hash so reloads keep it. */
export const useNavigation = create<NavigationState>()((set) => ({
  page: fromHash(),
  go(page) {
    history.replaceState(null, '', `#/${page}`);
    set({ page });
  },
}));
