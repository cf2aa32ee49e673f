import type { CompositorScene } from '../../../shared/compositor/scene';
import { emptyScene } from '../../../shared/compositor/scene';
import type { Domain, DomainDeps } from '../domain';

/** The show service: holds the scene on program. Presets and the run of show build on it. */
export interface ShowService {
  getScene(): CompositorScene;
  setScene(scene: CompositorScene): void;
}

export function createShowDomain(deps: DomainDeps): Domain<ShowService, 'show:get-scene' | 'show:set-scene'> {
  let scene = emptyScene(deps.settings.get().outputFormat === '1080x1920' ? '9:16' : '16:9');
  const service: ShowService = {
    getScene: () => scene,
    setScene(next) {
      scene = next;
      deps.emit('show:scene-changed', scene);
    },
  };
  return {
    service,
    handlers: {
      'show:get-scene': () => service.getScene(),
      'show:set-scene': (input) => service.setScene(input),
    },
    close: async () => undefined,
  };
}
