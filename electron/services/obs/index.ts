import type { obsRequests } from '../../../shared/api/obs';
import { StudioError } from '../../../shared/api/result';
import type { Domain, DomainDeps } from '../domain';
import { ObsConnectionStore } from './connection-store';
import { findLocalObs, obsConfigDirs } from './local-obs';
import type { ObsServiceOptions } from './obs-service';
import { ObsService } from './obs-service';

export type { ObsServiceOptions } from './obs-service';
export { ObsService } from './obs-service';

type ObsRequestName = keyof typeof obsRequests;

/** Builds the obs domain: the service, its request handlers, and auto-connect at start. */
export function createObsDomain(
  deps: DomainDeps,
  options: Partial<ObsServiceOptions> & { configDirs?: string[] } = {},
): Domain<ObsService, ObsRequestName> {
  const store = new ObsConnectionStore(deps.dataDir, deps.secrets);
  const service = new ObsService(store, deps.logger, options);
  const unsubscribe = service.onStateChange((state) => deps.emit('obs:state-changed', state));
  const configDirs = options.configDirs ?? obsConfigDirs();

  /** Connects to the OBS on this PC, trying each password its config files hold. */
  const connectLocal = async (readPassword: boolean) => {
    const local = await findLocalObs(configDirs);
    const { finding } = local;
    if (!finding.isRunning) {
      if (finding.isServerDisabled) {
        throw new StudioError('obs/websocket-disabled', 'The OBS WebSocket server is switched off.');
      }
      throw new StudioError('obs/local-not-running', 'No OBS answers on this PC.', {
        detail: `127.0.0.1:${finding.port}`,
      });
    }
    const target = { host: finding.host, port: finding.port };
    if (!readPassword || local.passwords.length === 0) {
      if (finding.isAuthRequired === true && !readPassword && !store.hasPassword()) {
        throw new StudioError('obs/local-no-password', 'OBS asks for a password.');
      }
      return service.connect(target);
    }
    let lastError: unknown;
    for (const password of local.passwords) {
      try {
        const state = await service.connect({ ...target, password });
        deps.logger.info('connected to the local OBS with its own password', { file: finding.configFile });
        return state;
      } catch (error) {
        lastError = error;
        if (!(error instanceof StudioError) || error.code !== 'obs/auth-failed') throw error;
      }
    }
    throw lastError;
  };

  return {
    service,
    handlers: {
      'obs:get-state': () => service.getState(),
      'obs:find-local': async () => (await findLocalObs(configDirs)).finding,
      'obs:connect-local': ({ readPassword }) => connectLocal(readPassword),
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
