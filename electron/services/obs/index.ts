import type { obsRequests } from '../../../shared/api/obs';
import type { Domain, DomainDeps } from '../domain';
import { ObsConnectionStore } from './connection-store';
import type { ObsServiceOptions } from './obs-service';
import { ObsService } from './obs-service';

export type { ObsServiceOptions } from './obs-service';
export { ObsService } from './obs-service';

type ObsRequestName = keyof typeof obsRequests;

/** Builds the obs domain: the service, its request handlers, and auto-connect at start. */
export function createObsDomain(
  deps: DomainDeps,
  options: Partial<ObsServiceOptions> = {},
): Domain<ObsService, ObsRequestName> {
  const store = new ObsConnectionStore(deps.dataDir, deps.secrets);
  const service = new ObsService(store, deps.logger, options);
  const unsubscribe = service.onStateChange((state) => deps.emit('obs:state-changed', state));
  return {
    service,
    handlers: {
      'obs:get-state': () => service.getState(),
      'obs:connect': (input) => service.connect(input),
      'obs:disconnect': () => service.disconnect(),
      'obs:switch-scene': async ({ sceneName, target }) => {
        if (target === 'preview') await service.switchPreviewScene(sceneName);
        else await service.switchProgramScene(sceneName);
      },
      'obs:transition': () => service.transition(),
      'obs:stream-start': () => service.startStream(),
      'obs:stream-stop': () => service.stopStream(),
      'obs:record-start': () => service.startRecord(),
      'obs:record-stop': () => service.stopRecord(),
      'obs:virtualcam-start': () => service.startVirtualCam(),
      'obs:virtualcam-stop': () => service.stopVirtualCam(),
      'obs:set-stream-destination': (input) => service.setStreamDestination(input),
      'obs:set-text': ({ inputName, text }) => service.setText(inputName, text),
      'obs:set-image': ({ inputName, file }) => service.setImage(inputName, file),
      'obs:provision': ({ sceneNames }) => service.provision(sceneNames),
    },
    start: async () => service.start(),
    close: async () => {
      unsubscribe();
      await service.close();
    },
  };
}
