import './obs.css';

import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Field } from '../../components/form-controls';
import { useObsActions, useObsStore, useObsSync } from '../../state/obs-state';
import { ObsStatusBar } from './obs-status-bar';

/**
 * Host, port and password of OBS's WebSocket server, connect/disconnect (with the status bar, so
 * the result shows where the user typed), and the RTMP destination.
 */
export function ObsConnectionSettings() {
  const { t } = useTranslation('obs');
  const state = useObsSync();
  const { run: runObs } = useObsActions();
  const busy = useObsStore((s) => s.busy);
  // undefined = not edited yet: the field shows the saved value.
  const [hostEdit, setHost] = useState<string | undefined>(undefined);
  const [portEdit, setPort] = useState<string | undefined>(undefined);
  const [password, setPassword] = useState('');
  const [serverEdit, setServer] = useState<string | undefined>(undefined);
  const [key, setKey] = useState('');
  const [isDestinationSaved, setDestinationSaved] = useState(false);

  if (state === undefined) return null;
  const { connection } = state;
  const host = hostEdit ?? connection.host;
  const port = portEdit ?? String(connection.port);
  const server = serverEdit ?? state.stream.destination.server ?? '';
  const isOnline = connection.status !== 'disconnected';

  const connect = async () => {
    // The services check the fields; a bad port comes back as a coded error.
    const result = await runObs('obs:connect', {
      host: host.trim(),
      port: Number(port),
      ...(password === '' ? {} : { password }),
    });
    if (result !== undefined) setPassword('');
  };

  const saveDestination = async () => {
    const result = await runObs('obs:set-stream-destination', {
      server: server.trim(),
      ...(key === '' ? {} : { key }),
    });
    if (result !== undefined) {
      setKey('');
      setDestinationSaved(true);
    }
  };

  return (
    <div className="obs-settings" data-testid="obs-connection-settings">
      <ObsStatusBar />
      <form
        className="obs-settings__row"
        onSubmit={(e) => {
          e.preventDefault();
          void connect();
        }}
      >
        <Field label={t('settings.host')}>
          <input
            data-testid="obs-host"
            value={host}
            onChange={(e) => setHost(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
          <small>{t('settings.hostHint')}</small>
        </Field>
        <Field label={t('settings.port')}>
          <input
            data-testid="obs-port"
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            size={6}
          />
        </Field>
        <Field label={t('settings.password')}>
          <input
            data-testid="obs-password"
            type="password"
            value={password}
            placeholder={connection.hasPassword ? t('settings.passwordSaved') : ''}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="off"
          />
        </Field>
        <button type="submit" className="primary" data-testid="obs-connect" disabled={busy['obs:connect'] === true}>
          {t('settings.connect')}
        </button>
        <button
          type="button"
          data-testid="obs-disconnect"
          disabled={!isOnline}
          onClick={() => void runObs('obs:disconnect')}
        >
          {t('settings.disconnect')}
        </button>
      </form>
      <p className="obs-hint">{t('settings.passwordHint')}</p>
      {connection.status === 'connected' && state.obsVersion !== null && (
        <p className="obs-hint" data-testid="obs-version">
          {t('status.version', { obs: state.obsVersion, ws: state.websocketVersion ?? '?' })}
        </p>
      )}

      <h3>{t('settings.destination')}</h3>
      <form
        className="obs-settings__row"
        onSubmit={(e) => {
          e.preventDefault();
          void saveDestination();
        }}
      >
        <Field label={t('settings.server')}>
          <input
            data-testid="obs-stream-server"
            value={server}
            placeholder="rtmp://"
            onChange={(e) => {
              setServer(e.target.value);
              setDestinationSaved(false);
            }}
            size={36}
            spellCheck={false}
          />
          <small>{t('settings.serverHint')}</small>
        </Field>
        <Field label={t('settings.key')}>
          <input
            data-testid="obs-stream-key"
            type="password"
            value={key}
            placeholder={state.stream.destination.hasKey ? t('settings.keySaved') : ''}
            onChange={(e) => {
              setKey(e.target.value);
              setDestinationSaved(false);
            }}
            autoComplete="off"
          />
        </Field>
        <button type="submit" disabled={busy['obs:set-stream-destination'] === true || server.trim() === ''}>
          {t('settings.saveDestination')}
        </button>
      </form>
      {isDestinationSaved && <p className="obs-hint">{t('settings.destinationSaved')}</p>}
    </div>
  );
}
