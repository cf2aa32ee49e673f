import { describe, expect, it } from 'vitest';

import { checkText, checkTexts, defaultGuardTerms, foldForGuard, guardRuns, guardTermsSchema } from './text-guard';

describe('text guard', () => {
  it('flags 最好 and 国家级 in a script, with their reasons and positions', () => {
    const script = '这是我们县最好的脐橙，获得国家级认证！';
    const hits = checkText(script, defaultGuardTerms);
    expect(hits.map((h) => h.text)).toEqual(['最好', '国家级']);
    for (const hit of hits) {
      expect(script.slice(hit.start, hit.end)).toBe(hit.text);
      expect(hit.category).toBe('absolute');
      expect(hit.reason).toContain('广告法第九条');
    }
  });

  it('reports the longest term where terms overlap, once', () => {
    const hits = checkText('全网最低价', defaultGuardTerms);
    expect(hits).toHaveLength(1);
    expect(hits[0]?.term).toBe('全网最低价');
  });

  it('ignores terms inside listed exceptions but still finds them elsewhere', () => {
    expect(checkText('最近天气好，第一批橙子到了', defaultGuardTerms)).toEqual([]);
    const hits = checkText('最近最甜', defaultGuardTerms);
    expect(hits.map((h) => [h.start, h.text])).toEqual([[2, '最']]);
  });

  it('finds full-width and upper-case forms without moving offsets', () => {
    const text = '甜度１００％保证';
    expect(foldForGuard(text)).toHaveLength(text.length);
    const hits = checkText(text, defaultGuardTerms);
    expect(hits.map((h) => h.text)).toEqual(['１００％', '保证']);
    expect(checkText('NO.1 BEST', [{ term: 'best', category: 'custom', reason: 'r', exceptions: [] }])[0]?.text).toBe(
      'BEST',
    );
  });

  it('uses the user-edited list: removed terms stop matching, added ones match', () => {
    const edited = guardTermsSchema.parse([
      ...defaultGuardTerms.filter((t) => t.term !== '国家级'),
      { term: '包邮到家', category: 'custom', reason: '平台规则' },
    ]);
    const hits = checkText('国家级 包邮到家', edited);
    expect(hits.map((h) => h.term)).toEqual(['包邮到家']);
    expect(hits[0]?.reason).toBe('平台规则');
  });

  it('splits text into runs for highlighting and checks many texts', () => {
    const text = '最好的蜂蜜';
    const runs = guardRuns(text, checkText(text, defaultGuardTerms));
    expect(runs.map((r) => [r.text, r.hit !== null])).toEqual([
      ['最好', true],
      ['的蜂蜜', false],
    ]);
    const found = checkTexts(
      [
        { field: 'a', text: '好吃' },
        { field: 'b', text: '顶级好茶' },
      ],
      defaultGuardTerms,
    );
    expect(found.map((f) => f.field)).toEqual(['b']);
  });

  it('the built-in list is valid and every entry has a reason', () => {
    const parsed = guardTermsSchema.parse(defaultGuardTerms);
    expect(parsed.every((t) => t.reason.length > 0)).toBe(true);
    expect(parsed.map((t) => t.term)).toEqual(expect.arrayContaining(['最', '第一', '国家级', '顶级', '100%', '最好']));
  });
});
