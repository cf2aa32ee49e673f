// Writes small GLB files from a glTF JSON object and one binary chunk. Used by the sample-asset
// script's tests and by tests that craft broken files; pure, so both Node and the browser can use it.

const pad4 = (n: number) => (4 - (n % 4)) % 4;

/** Builds a GLB container: 12-byte header, JSON chunk (space-padded), optional BIN chunk (zero-padded). */
export function buildGlb(json: unknown, bin?: Uint8Array): Uint8Array {
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonLen = jsonBytes.length + pad4(jsonBytes.length);
  const binLen = bin === undefined ? 0 : bin.length + pad4(bin.length);
  const total = 12 + 8 + jsonLen + (bin === undefined ? 0 : 8 + binLen);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLen, true);
  view.setUint32(16, 0x4e4f534a, true);
  out.set(jsonBytes, 20);
  out.fill(0x20, 20 + jsonBytes.length, 20 + jsonLen);
  if (bin !== undefined) {
    const o = 20 + jsonLen;
    view.setUint32(o, binLen, true);
    view.setUint32(o + 4, 0x004e4942, true);
    out.set(bin, o + 8);
  }
  return out;
}
