import { create } from 'zustand';

import type { StudioErrorData } from '../../shared/api/result';
import { StudioError } from '../../shared/api/result';

/** An error as the UI shows it: the code picks the translated sentence. */
export interface ShownError extends StudioErrorData {
  readonly id: number;
  readonly at: number;
}

interface ErrorState {
  errors: ShownError[];
  dismiss(id: number): void;
}

let nextId = 1;

export const useErrors = create<ErrorState>()((set) => ({
  errors: [],
  dismiss: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
}));

/** The one way UI code reports an error to the user; also logged in the main process. */
export function showError(error: unknown): void {
  const data: StudioErrorData =
    error instanceof StudioError
      ? error.toData()
      : {
          code: 'app/internal',
          message: error instanceof Error ? error.message : String(error),
          ...(error instanceof Error && error.stack !== undefined ? { detail: error.stack } : {}),
        };
  useErrors.setState((s) => ({ errors: [...s.errors.slice(-4), { ...data, id: nextId++, at: Date.now() }] }));
}
