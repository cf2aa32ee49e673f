import './lan.css';

import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { PairedDevice } from '../../../shared/api/lan';
import { closePairing, useLan, useLanActions, useLanSync } from '../../state/lan';
import { useNow } from '../show/use-now';

/**
 * LAN mode in Settings: on/off (off by default), the one network to listen on, pairing a phone by
 * QR code (a one-time code, two minutes), and the paired phones (rename, remove).
 */
export function LanSettings() {
  useLanSync();
  const { t } = useTranslation('lan');
  const state = useLan((s) => s.state);
  const devices = useLan((s) => s.devices);
  const pairing = useLan((s) => s.pairing);
  const isBusy = useLan((s) => s.isBusy);
  const { configureLan, startPairing } = useLanActions();
  if (state === undefined) return null;
  const { config } = state;
  const address = config.address ?? state.interfaces[0]?.address ?? '';

  return (
    <div className="lan-settings" data-testid="lan-settings">
      <p className="muted">{t('settings.hint')}</p>
      <label className="lan-toggle">
        <input
          type="checkbox"
          data-testid="lan-enable"
          checked={config.isEnabled}
          disabled={isBusy || (state.interfaces.length === 0 && !config.isEnabled)}
          onChange={(e) =>
            void configureLan(
              e.target.checked ? { isEnabled: true, address: address === '' ? null : address } : { isEnabled: false },
            )
          }
        />
        <span>{t('settings.enable')}</span>
      </label>
      <div className="lan-row">
        <label className="field">
          <span>{t('settings.interface')}</span>
          {state.interfaces.length === 0 ? (
            <small>{t('settings.noInterfaces')}</small>
          ) : (
            <select
              data-testid="lan-interface"
              value={address}
              disabled={isBusy}
              onChange={(e) => void configureLan({ address: e.target.value })}
            >
              {state.interfaces.map((i) => (
                <option key={i.address} value={i.address}>
                  {i.name === '' ? i.address : `${i.address} (${i.name})`}
                </option>
              ))}
            </select>
          )}
        </label>
        <label className="field">
          <span>{t('settings.port')}</span>
          <input
            type="number"
            min={1024}
            max={65535}
            defaultValue={config.port === 0 ? '' : config.port}
            disabled={isBusy}
            onBlur={(e) => {
              const port = Number(e.target.value);
              if (Number.isInteger(port) && port !== config.port && port > 0) void configureLan({ port });
            }}
          />
        </label>
      </div>
      {config.isEnabled && !state.isListening && state.errorCode !== null && (
        // Switched on but not listening (the Wi-Fi address changed since): say why, here.
        <p className="banner warn" data-testid="lan-error">
          {t(state.errorCode.replace('/', ':errors.'), { address: config.address ?? '', port: config.port })}
        </p>
      )}
      <dl className="facts">
        <dt>{t('settings.address')}</dt>
        <dd data-testid="lan-url">{state.url === null ? t('settings.off') : <code>{state.url}</code>}</dd>
      </dl>
      <div className="lan-actions">
        <button
          type="button"
          data-testid="lan-pair-producer"
          disabled={!state.isListening || isBusy}
          onClick={() => void startPairing('producer')}
        >
          {t('settings.pairProducer')}
        </button>
        <button
          type="button"
          data-testid="lan-pair-prompter"
          disabled={!state.isListening || isBusy}
          onClick={() => void startPairing('prompter')}
        >
          {t('settings.pairPrompter')}
        </button>
      </div>
      {pairing !== undefined && <PairingCard />}
      <h3>{t('settings.devices')}</h3>
      {devices.length === 0 ? (
        <p className="muted">{t('settings.noDevices')}</p>
      ) : (
        <ul className="lan-devices" data-testid="lan-devices">
          {devices.map((d) => (
            <DeviceRow key={d.id} device={d} />
          ))}
        </ul>
      )}
    </div>
  );
}

function PairingCard() {
  const { t } = useTranslation('lan');
  const pairing = useLan((s) => s.pairing)!;
  const now = useNow(500);
  const seconds = Math.max(0, Math.ceil((pairing.expiresAt - now) / 1000));
  return (
    <div className="lan-pairing card" data-testid="lan-pairing">
      <h3>{t(pairing.role === 'producer' ? 'settings.pairProducer' : 'settings.pairPrompter')}</h3>
      {seconds > 0 ? (
        <>
          <img
            className="lan-qr"
            alt={pairing.url}
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(pairing.qrSvg)}`}
          />
          <p>{t('settings.scan')}</p>
          <p>
            <b>{pairing.name}</b> · {t('settings.expiresIn', { seconds })}
          </p>
        </>
      ) : (
        <p>{t('settings.expired')}</p>
      )}
      <button type="button" onClick={closePairing}>
        {t('settings.close')}
      </button>
    </div>
  );
}

function DeviceRow({ device }: { device: PairedDevice }) {
  const { t } = useTranslation('lan');
  const [name, setName] = useState<string | undefined>(undefined);
  const { renameDevice, revokeDevice } = useLanActions();
  return (
    <li data-testid="lan-device" data-connected={device.isConnected}>
      <span
        className={device.isConnected ? 'dot on' : 'dot'}
        title={t(device.isConnected ? 'settings.online' : 'settings.offline')}
      />
      <span className="role">{t(`settings.roles.${device.role}`)}</span>
      {name === undefined ? (
        <span className="name">{device.name}</span>
      ) : (
        <input
          value={name}
          maxLength={40}
          onChange={(e) => setName(e.target.value)}
          aria-label={t('settings.rename')}
        />
      )}
      {name === undefined ? (
        <button type="button" onClick={() => setName(device.name)}>
          {t('settings.rename')}
        </button>
      ) : (
        <>
          <button
            type="button"
            disabled={name.trim() === ''}
            onClick={() => void renameDevice(device.id, name.trim()).then(() => setName(undefined))}
          >
            {t('settings.save')}
          </button>
          <button type="button" onClick={() => setName(undefined)}>
            {t('settings.cancel')}
          </button>
        </>
      )}
      <button
        type="button"
        className="danger"
        data-testid="lan-revoke"
        onClick={() => {
          if (window.confirm(t('settings.revokeConfirm', { name: device.name }))) void revokeDevice(device.id);
        }}
      >
        {t('settings.revoke')}
      </button>
    </li>
  );
}
