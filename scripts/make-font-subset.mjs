#!/usr/bin/env node
// Makes assets/fonts/harvest-cjk.woff2: Noto Sans CJK SC Bold (SIL OFL 1.1) cut down to the
// characters overlays need — GB2312's symbols and its level-1 hanzi (the 3,755 most frequent
// characters, ~99.7% of running Simplified Chinese text), ASCII, CJK and full-width punctuation,
// and every character of our zh-CN locale files — so overlay text is crisp and identical on every
// machine, at ~1.5 MB instead of the 19 MB collection. Anything else falls back to the OS font
// (Microsoft YaHei, PingFang SC, Noto Sans CJK SC…). Level 2 is left out on purpose: hb-subset
// (harfbuzzjs 1.6) fails on this CFF font past ~4,000 glyphs.
//
// The subsetter (HarfBuzz's hb-subset, via the npm package subset-font) is a tool for this
// one-off step, not a dependency of the studio; the output is committed. To re-run:
//   npm i --no-save subset-font@2.9.0 && node scripts/make-font-subset.mjs [path/to/NotoSansCJK-Bold.ttc]
// (Debian: apt-get install fonts-noto-cjk puts the collection in /usr/share/fonts/opentype/noto/.)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const source = process.argv[2] ?? '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc';
const wantedFamily = 'Noto Sans CJK SC';

/** Reads the family names (name ID 1) of an sfnt at `offset` in `buf`. */
function familyNames(buf, offset) {
  const numTables = buf.readUInt16BE(offset + 4);
  for (let i = 0; i < numTables; i++) {
    const rec = offset + 12 + i * 16;
    if (buf.toString('latin1', rec, rec + 4) !== 'name') continue;
    const table = buf.readUInt32BE(rec + 8);
    const count = buf.readUInt16BE(table + 2);
    const strings = table + buf.readUInt16BE(table + 4);
    const names = [];
    for (let j = 0; j < count; j++) {
      const r = table + 6 + j * 12;
      const [platform, , , nameId, length, off] = [0, 2, 4, 6, 8, 10].map((k) => buf.readUInt16BE(r + k));
      if (nameId !== 1 || platform !== 3) continue;
      const raw = buf.subarray(strings + off, strings + off + length);
      names.push(Buffer.from(raw).swap16().toString('utf16le'));
    }
    return names;
  }
  return [];
}

/** Copies one face out of a TrueType/OpenType collection into a standalone font file. */
function extractFace(ttc) {
  if (ttc.toString('latin1', 0, 4) !== 'ttcf') return ttc;
  const count = ttc.readUInt32BE(8);
  const offsets = Array.from({ length: count }, (_, i) => ttc.readUInt32BE(12 + 4 * i));
  const offset = offsets.find((o) => familyNames(ttc, o).includes(wantedFamily));
  if (offset === undefined) throw new Error(`${wantedFamily} not found in ${source}`);
  const numTables = ttc.readUInt16BE(offset + 4);
  const header = Buffer.from(ttc.subarray(offset, offset + 12 + numTables * 16));
  const parts = [header];
  let at = header.length;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    const from = header.readUInt32BE(rec + 8);
    const length = header.readUInt32BE(rec + 12);
    const data = Buffer.alloc(length + ((4 - (length % 4)) % 4));
    ttc.copy(data, 0, from, from + length);
    header.writeUInt32BE(at, rec + 8);
    parts.push(data);
    at += data.length;
  }
  return Buffer.concat(parts);
}

/** The subsetter from the project, or from SUBSET_TOOL_DIR (a folder with node_modules/) if installed elsewhere. */
function resolveTool(name) {
  try {
    return require.resolve(name);
  } catch {
    if (process.env.SUBSET_TOOL_DIR === undefined)
      throw new Error(`${name} is not installed: npm i --no-save ${name}@2.9.0`);
    return createRequire(path.join(process.env.SUBSET_TOOL_DIR, 'package.json')).resolve(name);
  }
}

function characters() {
  const iconv = require('iconv-lite');
  const chars = new Set();
  const addRange = (a, b) => {
    for (let c = a; c <= b; c++) chars.add(String.fromCodePoint(c));
  };
  addRange(0x20, 0x7e); // ASCII
  addRange(0x3000, 0x303f); // CJK symbols and punctuation
  addRange(0xff01, 0xff5e); // full-width forms
  for (const c of '¥￥·×÷—–‘’“”…•℃№') chars.add(c);
  // GB2312 symbols (rows 0xA1–0xA9) and level-1 hanzi (rows 0xB0–0xD7); cells 0xA1–0xFE.
  for (let hi = 0xa1; hi <= 0xd7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const ch = iconv.decode(Buffer.from([hi, lo]), 'gb2312');
      if (ch.length === 1 && ch !== '\ufffd') chars.add(ch);
    }
  }
  const locales = path.join(root, 'renderer/i18n/locales/zh-CN');
  for (const file of fs.readdirSync(locales)) {
    for (const ch of fs.readFileSync(path.join(locales, file), 'utf8')) if (ch.codePointAt(0) >= 0x20) chars.add(ch);
  }
  return [...chars].join('');
}

const subsetFont = (await import(resolveTool('subset-font'))).default;
const face = extractFace(fs.readFileSync(source));
const text = characters();
const out = await subsetFont(face, text, { targetFormat: 'woff2' });
const target = path.join(root, 'assets/fonts/harvest-cjk.woff2');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, out);
process.stdout.write(`${out.length} bytes, ${text.length} characters → ${path.relative(root, target)}\n`);
