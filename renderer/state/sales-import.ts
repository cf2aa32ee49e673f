import type { RequestInput } from '../../shared/api/contract';
import type { ImportCancelResult, ImportPreview, ImportProgress, ImportResult } from '../../shared/api/sales';
import type { StudioClient } from '../api/client';
import { createSyncedStore, defineActions } from './synced-store';

const importStore = createSyncedStore<{ progress: ImportProgress | null }>({
  initial: { progress: null },
  events: { 'sales:import-progress': (progress) => ({ progress }) },
  // Progress exists only as events: nothing to fetch.
  load: () => Promise.resolve(undefined),
});

/** How far the running order import is (reading, then committing). Fed by 'sales:import-progress'. */
export const useSalesImport = importStore.use;
export const useSalesImportSync = (): void => importStore.useSync();

/** Order-import actions. They throw: the dialog says which step failed and stays where it was. */
export function salesImportActions(client: StudioClient) {
  return {
    /** A path on the studio's disk for a file the user picked. */
    stageFile(file: File): Promise<string> {
      // A new file: the last import's progress (its bar at 100 %, its id) is not this one's.
      useSalesImport.setState({ progress: null });
      return client.stageFile(file);
    },
    async preview(input: RequestInput<'sales:import-preview'>): Promise<ImportPreview> {
      useSalesImport.setState({ progress: null });
      return client.call('sales:import-preview', input);
    },
    commit: (input: RequestInput<'sales:import-commit'>): Promise<ImportResult> =>
      client.call('sales:import-commit', input),
    /** Stops the preview or commit under way, or drops a preview nobody will commit. */
    cancel: (previewId: string): Promise<ImportCancelResult> => client.call('sales:import-cancel', { previewId }),
  };
}

export const useSalesImportActions = defineActions(salesImportActions);
