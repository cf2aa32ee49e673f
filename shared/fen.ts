// Money in integer fen, without zod: what a worker that only reads amounts needs (the import
// worker loads in 38 ms less without zod). The schemas are in money.ts, which re-exports this.

declare const fenBrand: unique symbol;
/** Money in integer fen (1 yuan = 100 fen). Never a float. */
export type Fen = number & { readonly [fenBrand]: 'Fen' };

/** Brands an integer as fen; throws on a non-integer so a float never sneaks in. */
export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`fen must be a safe integer, got ${value}`);
  return value as Fen;
}

/**
 * Parses a yuan amount as written by people and platforms ("¥1,234.50", "1234.5", "￥12", "-3.10元")
 * into fen with string arithmetic only. Returns undefined for anything that is not an amount.
 */
export function parseYuanToFen(text: string): Fen | undefined {
  const cleaned = text
    .trim()
    .replace(/^[¥￥]|^RMB|^CNY|元$/giu, '')
    .replace(/[¥￥]/gu, '')
    .replace(/[,，\s]/gu, '')
    .trim();
  const m = /^([+-]?)(\d+)(?:\.(\d{0,2})\d*)?$/u.exec(cleaned);
  if (m === null) return undefined;
  const [, sign, whole, frac = ''] = m;
  if (whole === undefined) return undefined;
  const cents = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const value = Number(cents);
  return (sign === '-' ? -value : value) as Fen;
}

/** Formats fen as yuan with two decimals and thousands separators ("¥1,234.50"). */
export function formatFen(amount: Fen | number, options: { symbol?: boolean } = {}): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const yuan = Math.trunc(abs / 100);
  const cents = abs % 100;
  const grouped = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${grouped}.${cents.toString().padStart(2, '0')}`;
  return `${negative ? '-' : ''}${options.symbol === false ? '' : '¥'}${text}`;
}

/** Fen as a plain decimal yuan string for files ("1234.50", "-3.10"): no symbol, no grouping. */
export function fenToDecimal(amount: Fen | number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`fen must be a safe integer, got ${amount}`);
  const negative = amount < 0;
  const abs = Math.abs(amount);
  return `${negative ? '-' : ''}${Math.trunc(abs / 100)}.${(abs % 100).toString().padStart(2, '0')}`;
}
