import type { ReactNode } from 'react';
import { createContext, createElement, useContext } from 'react';

import type { StudioClient } from './client';

const StudioContext = createContext<StudioClient | null>(null);

/** Gives the page's client to everything under it; the page entry makes the client and mounts this. */
// Written without JSX so the Node-side tests (no JSX in their tsconfig) can import the state layer.
export function StudioProvider({ client, children }: { client: StudioClient; children: ReactNode }) {
  return createElement(StudioContext.Provider, { value: client }, children);
}

/** The client of this window. Only `renderer/state` reaches for it (lint): components call state actions. */
export function useStudioClient(): StudioClient {
  const client = useContext(StudioContext);
  if (client === null) throw new Error('useStudioClient outside <StudioProvider>');
  return client;
}

/** For class components (the root error boundary). */
export { StudioContext };
