// Pairing codes a centre gives a studio: 12 characters of Crockford base32 in three groups
// (XXXX-XXXX-XXXX). The first group names the studio's PostgreSQL role, the other eight are its
// one-time password (40 bits; the role is valid for minutes and PostgreSQL checks each try with
// SCRAM, so guessing is hopeless). Typed by people: no I, L, O, U; case and dashes do not matter.

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A code's two halves: the role's suffix and the one-time password. */
export interface PairingCodeParts {
  readonly roleSuffix: string;
  readonly secret: string;
}

/** Formats 12 random bytes (one symbol per byte, 5 bits each) as a code. */
export function formatPairingCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < 12) throw new Error('12 random bytes needed');
  let code = '';
  for (let i = 0; i < 12; i++) code += alphabet[(randomBytes[i] ?? 0) & 31];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

/** Reads what a person typed; undefined when it cannot be a code. */
export function parsePairingCode(typed: string): PairingCodeParts | undefined {
  const cleaned = typed
    .toUpperCase()
    .replace(/[\s\-_]/gu, '')
    .replace(/O/gu, '0')
    .replace(/[IL]/gu, '1');
  if (cleaned.length !== 12) return undefined;
  for (const ch of cleaned) if (!alphabet.includes(ch)) return undefined;
  return { roleSuffix: cleaned.slice(0, 4).toLowerCase(), secret: cleaned.slice(4) };
}

/** The PostgreSQL role a code's studio logs in as. */
export function studioRoleName(roleSuffix: string): string {
  return `harvest_s_${roleSuffix.toLowerCase()}`;
}
