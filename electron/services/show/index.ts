import fs from 'node:fs';
import path from 'node:path';

import { obsDefaultSceneName } from '../../../shared/api/obs';
import { StudioError } from '../../../shared/api/result';
import type { showRequests } from '../../../shared/api/show';
import type { CompositorScene } from '../../../shared/compositor/scene';
import { emptyScene } from '../../../shared/compositor/scene';
import { resolvePreset } from '../../../shared/show/preset';
import type { AssetsService } from '../assets';
import type { Domain, DomainDeps } from '../domain';
import type { SalesService } from '../sales';
import { adaptAssets } from './assets-adapter';
import { ShowLibrary } from './library';
import { LiveController } from './live-controller';
import { ObsFollower } from './obs-follower';
import { exportPackage, importPackage } from './packages';
import type { ShowAssetsPort, ShowObsPort, ShowSalesPort } from './ports';
import { adaptSales } from './sales-adapter';
import { loadTemplates, templatesDir } from './templates';

export type { ShowAssetsPort, ShowObsPort, ShowSalesPort } from './ports';

/** The show service: the scene on program, presets, rundowns, live mode and packages. */
export interface ShowService {
  getScene(): CompositorScene;
  setScene(scene: CompositorScene): void;
  readonly library: ShowLibrary;
  readonly live: LiveController;
}

type ShowRequestName = keyof typeof showRequests;

function appVersion(appRoot: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Builds the show domain from the real OBS and sales services (the composition root's call). */
export function createShowDomain(
  deps: DomainDeps,
  ports: { obs: ShowObsPort; sales: SalesService; assets: AssetsService },
): Domain<ShowService, ShowRequestName> {
  return buildShowDomain(deps, { obs: ports.obs, sales: adaptSales(ports.sales), assets: adaptAssets(ports.assets) });
}

/** Builds the show domain from its ports (tests pass fakes from test/support/show/). */
export function buildShowDomain(
  deps: DomainDeps,
  ports: { obs: ShowObsPort; sales: ShowSalesPort; assets: ShowAssetsPort; now?: () => number },
): Domain<ShowService, ShowRequestName> {
  const now = ports.now ?? Date.now;
  const orientation = deps.settings.get().outputFormat === '1080x1920' ? '9:16' : '16:9';
  let scene = emptyScene(orientation);
  const setScene = (next: CompositorScene) => {
    scene = next;
    deps.emit('show:scene-changed', scene);
  };
  const assets = ports.assets;
  const library = new ShowLibrary({
    dataDir: deps.dataDir,
    logger: deps.logger,
    emit: deps.emit,
    sales: ports.sales,
    templates: loadTemplates(templatesDir(deps.appRoot), deps.logger),
    now,
  });
  // The follower reports to the controller, which needs the follower: tie the knot through a ref.
  const ref: { controller?: LiveController } = {};
  const follower = new ObsFollower(ports.obs, deps.logger.child('obs-follow'), () => ref.controller?.obsChanged(), now);
  const controller = new LiveController({
    dataDir: deps.dataDir,
    logger: deps.logger.child('live'),
    emit: deps.emit,
    library,
    sales: ports.sales,
    obs: ports.obs,
    follower,
    setScene,
    now,
  });
  ref.controller = controller;
  const packageDeps = {
    dataDir: deps.dataDir,
    logger: deps.logger.child('packages'),
    library,
    sales: ports.sales,
    assets,
    appVersion: appVersion(deps.appRoot),
    now,
  };
  const service: ShowService = { getScene: () => scene, setScene, library, live: controller };
  const language = () => deps.settings.get().language;

  return {
    service,
    handlers: {
      'show:get-scene': () => scene,
      'show:set-scene': (input) => setScene(input),
      'show:templates-list': () => [...library.templates],
      'show:presets-list': () => library.listPresets(),
      'show:preset-save': (input) => library.savePreset(input),
      'show:preset-from-template': ({ templateId, name }) => library.presetFromTemplate(templateId, name, language()),
      'show:preset-delete': ({ id }) => library.deletePreset(id),
      'show:preset-preview': async (input) => {
        const preset =
          'orientation' in input.preset ? { ...input.preset, id: input.preset.id } : library.getPreset(input.preset.id);
        const product = input.productId === null ? null : await library.getProduct(input.productId);
        const resolved = resolvePreset(preset, {
          product,
          host: { name: input.host, title: input.hostTitle },
          guest: { name: input.guest, title: input.guestTitle },
          now: now(),
        });
        if (input.apply) setScene(resolved);
        return resolved;
      },
      'show:products': () => library.listProducts(),
      'show:product-media-set': async ({ productId, media }) => {
        await library.getProduct(productId);
        library.setMedia(productId, media);
        return library.getProduct(productId);
      },
      'show:obs-provision': async () => {
        const bound = [...new Set(library.listPresets().map((p) => p.obsScene))].sort();
        // A fresh studio has no presets yet: one scene with the program capture still gives OBS a picture.
        const scenes = bound.length === 0 ? [obsDefaultSceneName] : bound;
        if (!ports.obs.isConnected()) {
          throw new StudioError('show/obs-not-connected', 'Connect OBS first.');
        }
        await ports.obs.provision(scenes);
        return { scenes };
      },
      'show:rundowns-list': () => library.listRundowns(),
      'show:rundown-get': ({ id }) => library.getRundown(id),
      'show:rundown-save': (input) => library.saveRundown(input),
      'show:rundown-delete': async ({ id }) => {
        if (controller.get()?.rundownId === id) {
          throw new StudioError('show/rundown-live', 'This show is on air; end it first.');
        }
        library.deleteRundown(id);
      },
      'show:rundown-duplicate': ({ id, title }) =>
        library.duplicateRundown(id, title, language() === 'en' ? '(copy)' : '（副本）'),
      'show:guard-terms-get': () => library.getGuardTerms(),
      'show:guard-terms-set': (terms) => library.setGuardTerms(terms),
      'show:guard-terms-reset': () => library.resetGuardTerms(),
      'show:guard-check': ({ rundownId }) => library.checkRundown(library.getRundown(rundownId)),
      'show:live-get': () => controller.get(),
      'show:live-start': ({ rundownId, acknowledgeGuard }) => controller.start(rundownId, acknowledgeGuard),
      'show:live-next': () => controller.next(),
      'show:live-back': () => controller.back(),
      'show:live-goto': ({ index }) => controller.goto(index),
      'show:live-end': () => controller.end(),
      'show:package-export': (input) => exportPackage(packageDeps, input),
      'show:package-import': (input) => importPackage(packageDeps, input),
    },
    start: async () => {
      controller.restore();
    },
    close: async () => {
      follower.close();
      await controller.close();
    },
  };
}
