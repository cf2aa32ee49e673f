import { z } from 'zod';

/**
 * The text guard: overlay texts and segment scripts are checked against words that China's
 * Advertising Law (《中华人民共和国广告法》) forbids or that platforms punish in product ads.
 * The list is data the user edits; the built-in one below is where it starts.
 */

export const guardCategorySchema = z.enum(['absolute', 'authority', 'medical', 'guarantee', 'custom']);
/** Why a term is on the list; the UI explains each category with the article of law it breaks. */
export type GuardCategory = z.infer<typeof guardCategorySchema>;

export const guardTermSchema = z.object({
  term: z.string().trim().min(1).max(40),
  category: guardCategorySchema,
  /** The reason shown beside a hit, in the user's words (the built-in list gives the legal basis). */
  reason: z.string().max(200),
  /** Longer words that contain the term but are fine (最近, 第一次): a hit inside one is ignored. */
  exceptions: z.array(z.string().trim().min(1).max(40)).max(50).default([]),
});
/** One entry of the guard list. */
export type GuardTerm = z.infer<typeof guardTermSchema>;

export const guardTermsSchema = z.array(guardTermSchema).max(2000);

const absolute = '广告法第九条第三项：不得使用“国家级”“最高级”“最佳”等绝对化用语';
const authority = '广告法第九条第二项：不得使用或变相使用国家机关、国家机关工作人员的名义或形象';
const medical = '广告法第十七条：除医疗、药品、医疗器械广告外，不得涉及疾病治疗功能或使用医疗用语';
const guarantee = '广告法第四条、第二十八条：不得含有虚假或引人误解的内容，不得对效果作保证性承诺';

const t = (term: string, category: GuardCategory, reason: string, exceptions: string[] = []): GuardTerm => ({
  term,
  category,
  reason,
  exceptions,
});

/** The list a new studio starts with; the user can edit it or reset to it. */
export const defaultGuardTerms: readonly GuardTerm[] = [
  t('最', 'absolute', absolute, ['最近', '最后', '最初', '最终', '最早']),
  t('最好', 'absolute', absolute),
  t('最佳', 'absolute', absolute),
  t('最优', 'absolute', absolute),
  t('最高', 'absolute', absolute),
  t('最低', 'absolute', absolute),
  t('最大', 'absolute', absolute),
  t('最新', 'absolute', absolute),
  t('最先进', 'absolute', absolute),
  t('最高级', 'absolute', absolute),
  t('第一', 'absolute', absolute, ['第一次', '第一天', '第一批', '第一口', '第一步', '第一个']),
  t('唯一', 'absolute', absolute),
  t('首个', 'absolute', absolute),
  t('首选', 'absolute', absolute),
  t('顶级', 'absolute', absolute),
  t('顶尖', 'absolute', absolute),
  t('极品', 'absolute', absolute),
  t('极致', 'absolute', absolute),
  t('国家级', 'absolute', absolute),
  t('世界级', 'absolute', absolute),
  t('全球级', 'absolute', absolute),
  t('宇宙级', 'absolute', absolute),
  t('独一无二', 'absolute', absolute),
  t('史无前例', 'absolute', absolute),
  t('绝对', 'absolute', absolute),
  t('王牌', 'absolute', absolute),
  t('冠军', 'absolute', absolute),
  t('全网最低价', 'absolute', absolute),
  t('销量第一', 'absolute', absolute),
  t('100%', 'absolute', absolute),
  t('百分百', 'absolute', absolute),
  t('百分之百', 'absolute', absolute),
  t('万能', 'absolute', absolute),
  t('特供', 'authority', authority),
  t('专供', 'authority', authority),
  t('国家机关推荐', 'authority', authority),
  t('领导推荐', 'authority', authority),
  t('治疗', 'medical', medical),
  t('治愈', 'medical', medical),
  t('根治', 'medical', medical),
  t('抗癌', 'medical', medical),
  t('防癌', 'medical', medical),
  t('降血压', 'medical', medical),
  t('降血糖', 'medical', medical),
  t('药用', 'medical', medical),
  t('保证', 'guarantee', guarantee),
  t('零风险', 'guarantee', guarantee),
  t('无效退款', 'guarantee', guarantee),
];

/** One forbidden word found in a text, as UTF-16 offsets into the original text. */
export interface GuardHit {
  start: number;
  end: number;
  /** The text as written (may be full-width or upper-case). */
  text: string;
  term: string;
  category: GuardCategory;
  reason: string;
}

/**
 * Folds full-width ASCII (１００％), the ideographic space and Latin case so that `100%` also finds
 * `１００％`. Each UTF-16 unit maps to exactly one unit, so offsets stay those of the original.
 */
export function foldForGuard(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += text[i]!.toLowerCase().length === 1 ? text[i]!.toLowerCase() : text[i]!;
  }
  return out;
}

function isInsideException(folded: string, at: number, term: string, exceptions: readonly string[]): boolean {
  for (const exception of exceptions) {
    const e = foldForGuard(exception);
    let k = e.indexOf(term);
    while (k !== -1) {
      const from = at - k;
      if (from >= 0 && folded.startsWith(e, from)) return true;
      k = e.indexOf(term, k + 1);
    }
  }
  return false;
}

/**
 * Finds the guarded terms in a text. Where terms overlap (最 inside 最好) the longest wins, so each
 * character is reported once, with the most specific reason.
 */
export function checkText(text: string, terms: readonly GuardTerm[]): GuardHit[] {
  if (text === '') return [];
  const folded = foldForGuard(text);
  const candidates: GuardHit[] = [];
  for (const entry of terms) {
    const term = foldForGuard(entry.term.trim());
    if (term === '') continue;
    let at = folded.indexOf(term);
    while (at !== -1) {
      if (!isInsideException(folded, at, term, entry.exceptions)) {
        candidates.push({
          start: at,
          end: at + term.length,
          text: text.slice(at, at + term.length),
          term: entry.term,
          category: entry.category,
          reason: entry.reason,
        });
      }
      at = folded.indexOf(term, at + 1);
    }
  }
  candidates.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const hits: GuardHit[] = [];
  let covered = 0;
  for (const hit of candidates) {
    if (hit.start < covered) continue;
    hits.push(hit);
    covered = hit.end;
  }
  return hits;
}

/** A text with its place in a document, e.g. `{ field: 'segments.2.script', text }`. */
export interface GuardedText {
  field: string;
  text: string;
}

/** Checks many texts; returns only those with hits. */
export function checkTexts(
  texts: readonly GuardedText[],
  terms: readonly GuardTerm[],
): (GuardedText & { hits: GuardHit[] })[] {
  const out: (GuardedText & { hits: GuardHit[] })[] = [];
  for (const item of texts) {
    const hits = checkText(item.text, terms);
    if (hits.length > 0) out.push({ ...item, hits });
  }
  return out;
}

/** Splits a text into plain and flagged runs, for highlighting. */
export function guardRuns(text: string, hits: readonly GuardHit[]): { text: string; hit: GuardHit | null }[] {
  const runs: { text: string; hit: GuardHit | null }[] = [];
  let at = 0;
  for (const hit of hits) {
    if (hit.start > at) runs.push({ text: text.slice(at, hit.start), hit: null });
    runs.push({ text: text.slice(hit.start, hit.end), hit });
    at = hit.end;
  }
  if (at < text.length) runs.push({ text: text.slice(at), hit: null });
  return runs;
}
