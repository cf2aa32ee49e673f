import { createHash, randomBytes } from 'node:crypto';

import type { DeviceRole } from '../../../shared/api/lan';
import { panelLimits } from '../../../shared/lan/panel';

interface Offer {
  role: DeviceRole;
  name: string;
  expiresAt: number;
}

const digest = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * One-time pairing codes: 128 random bits each (a guesser at the listener's rate limit would need
 * ~10^36 years for one), valid two minutes, gone at first use. Only their hashes are held, so
 * looking one up takes the same time whatever the guess.
 */
export class PairingCodes {
  private readonly offers = new Map<string, Offer>();

  constructor(private readonly now: () => number) {}

  issue(role: DeviceRole, name: string): { code: string; expiresAt: number } {
    this.prune();
    const code = randomBytes(16).toString('base64url');
    const expiresAt = this.now() + panelLimits.pairingTtlMs;
    this.offers.set(digest(code), { role, name, expiresAt });
    return { code, expiresAt };
  }

  /** Spends a code: the offer it stands for, or undefined when it is wrong, used or expired. */
  redeem(code: string): Offer | undefined {
    const key = digest(code);
    const offer = this.offers.get(key);
    this.offers.delete(key);
    if (offer === undefined || offer.expiresAt <= this.now()) return undefined;
    return offer;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, offer] of this.offers) if (offer.expiresAt <= now) this.offers.delete(key);
  }
}
