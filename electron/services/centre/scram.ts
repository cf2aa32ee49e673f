import crypto from 'node:crypto';

/**
 * A PostgreSQL SCRAM-SHA-256 verifier for `password` (what `ALTER ROLE … PASSWORD` stores), so a
 * password never crosses to the server or into its logs in clear: PostgreSQL takes a string in
 * this form as already encrypted (src/common/scram-common.c `scram_build_secret`).
 */
export function scramVerifier(password: string, iterations = 4096, salt = crypto.randomBytes(16)): string {
  const salted = crypto.pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = crypto.createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = crypto.createHash('sha256').update(clientKey).digest();
  const serverKey = crypto.createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
