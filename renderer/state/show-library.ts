import type { AssetEntry } from '../../shared/api/assets';
import type { RequestInput } from '../../shared/api/contract';
import type { GuardFinding } from '../../shared/api/show';
import type { Preset, PresetTemplate } from '../../shared/show/preset';
import type { ProductMedia, ShowProduct } from '../../shared/show/product';
import type { Rundown, RundownSummary } from '../../shared/show/rundown';
import type { GuardTerm } from '../../shared/show/text-guard';
import type { StudioClient } from '../api/client';
import { showError } from './errors';
import { createSyncedStore, defineActions } from './synced-store';

interface ShowLibraryStore {
  presets: Preset[];
  templates: PresetTemplate[];
  rundowns: RundownSummary[];
  products: ShowProduct[];
  guardTerms: GuardTerm[];
  /** The asset library (models, images, videos); empty where the asset service is not there. */
  assets: AssetEntry[];
  /** The last package export or import, said once on the Shows page (this window's own). */
  notice: { kind: 'exported' | 'imported'; text: string } | null;
}

const presetsOf = async (client: StudioClient) => ({ presets: await client.call('show:presets-list') });
const rundownsOf = async (client: StudioClient) => ({ rundowns: await client.call('show:rundowns-list') });
const productsOf = async (client: StudioClient) => ({ products: await client.call('show:products') });
const guardOf = async (client: StudioClient) => ({ guardTerms: await client.call('show:guard-terms-get') });
// The asset library may be missing (older host); the pickers then offer ids typed by hand.
const assetsOf = (client: StudioClient) =>
  client.call('assets:list').then(
    (assets) => ({ assets }),
    () => undefined,
  );

/** The sync behind the hooks below (tests attach it to a fake client). */
export const showLibrarySync = createSyncedStore<ShowLibraryStore>({
  initial: { presets: [], templates: [], rundowns: [], products: [], guardTerms: [], assets: [], notice: null },
  events: {
    'show:library-changed': ({ kind }, { client }) => {
      switch (kind) {
        case 'presets':
          return presetsOf(client);
        case 'rundowns':
          return rundownsOf(client);
        case 'guard':
          return guardOf(client);
        case 'products':
          return productsOf(client);
      }
    },
    'products:changed': (_product, { client }) => productsOf(client),
    'assets:changed': (assets) => ({ assets }),
  },
  async load({ client, later }) {
    // Each list lands as it comes: one slow answer does not hold the others back.
    later(presetsOf(client));
    later(rundownsOf(client));
    later(productsOf(client));
    later(guardOf(client));
    later(assetsOf(client));
    return { templates: await client.call('show:templates-list') };
  },
});

/** Presets, rundowns, products and the guard list, kept fresh by the services' events. */
export const useShowLibrary = showLibrarySync.use;

/** Keeps the library in sync while the calling component is mounted. */
export const useShowLibrarySync = (): void => showLibrarySync.useSync();

function download(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Resolves with the value, or with undefined after showing the error. */
const shown = <T>(work: Promise<T>): Promise<T | undefined> =>
  work.catch((error: unknown) => {
    showError(error);
    return undefined;
  });

/**
 * The library's actions. They change documents in the services; the lists come back through
 * 'show:library-changed'. Those returning a document throw (the editor keeps its draft); the rest
 * show their failure and resolve.
 */
export function showLibraryActions(client: StudioClient) {
  return {
    getRundown: (id: string): Promise<Rundown> => client.call('show:rundown-get', { id }),
    saveRundown: (rundown: RequestInput<'show:rundown-save'>): Promise<Rundown> =>
      client.call('show:rundown-save', rundown),
    duplicateRundown: (id: string) => shown(client.call('show:rundown-duplicate', { id })),
    /** Resolves true once deleted. */
    deleteRundown: async (id: string) =>
      (await shown(client.call('show:rundown-delete', { id }).then(() => true))) ?? false,
    checkGuard: (rundownId: string): Promise<GuardFinding[] | undefined> =>
      shown(client.call('show:guard-check', { rundownId })),
    setGuardTerms: (terms: GuardTerm[]) => shown(client.call('show:guard-terms-set', terms)),
    resetGuardTerms: () => shown(client.call('show:guard-terms-reset')),
    savePreset: (preset: RequestInput<'show:preset-save'>): Promise<Preset> => client.call('show:preset-save', preset),
    presetFromTemplate: (templateId: string): Promise<Preset> =>
      client.call('show:preset-from-template', { templateId }),
    /** Resolves true once deleted. */
    deletePreset: async (id: string) =>
      (await shown(client.call('show:preset-delete', { id }).then(() => true))) ?? false,
    /** Shows a scene on every window's compositor (preset preview). */
    previewScene: (scene: RequestInput<'show:set-scene'>) => shown(client.call('show:set-scene', scene)),
    /** Creates the OBS scenes the presets use. */
    provisionObs: () => shown(client.call('show:obs-provision')),
    /** Sets a product's story, photo and model (the list follows from 'show:library-changed'). */
    async setProductMedia(productId: string, media: ProductMedia): Promise<void> {
      await client.call('show:product-media-set', { productId, media });
    },
    /**
     * Exports a show as one package. In a browser the file is downloaded; the desktop app writes it
     * to the data folder's exports and says where.
     */
    async exportPackage(rundownId: string, title: string): Promise<void> {
      try {
        const result = await client.call('show:package-export', { rundownId, inline: client.transport === 'ws' });
        if (result.dataBase64 !== undefined) download(base64ToBytes(result.dataBase64), `${title}.harvest-show.zip`);
        useShowLibrary.setState({ notice: { kind: 'exported', text: result.path } });
      } catch (error) {
        showError(error);
      }
    },
    /** Imports a package file the user picked; resolves with the new rundown's id. */
    async importPackageFile(file: File): Promise<string | null> {
      try {
        // By path: the file's own in the desktop app, a staged upload in a browser (no base64 over the socket).
        const result = await client.call('show:package-import', { path: await client.stageFile(file) });
        useShowLibrary.setState({ notice: { kind: 'imported', text: result.title } });
        return result.rundownId;
      } catch (error) {
        showError(error);
        return null;
      }
    },
    dismissNotice: () => useShowLibrary.setState({ notice: null }),
  };
}

/** The library's actions bound to this window's client. */
export const useShowLibraryActions = defineActions(showLibraryActions);
