// Units of verification: numbers, dates, names, markers, sentences, streaming view, budgets.
import { describe, expect, it } from 'vitest';
import { claimsOf, knownPerson, unsupportedClaims, evidenceOf } from '../../src/answering/llm/claims.js';
import { normalizeMarkers, partialMarkerLength, renumber } from '../../src/answering/llm/markers.js';
import { dateSupported, extractDates, extractNumbers, parseChineseNumeral } from '../../src/answering/llm/numbers.js';
import type { PromptPassage } from '../../src/answering/llm/passages.js';
import { splitAnswer } from '../../src/answering/llm/sentences.js';
import { streamView } from '../../src/answering/llm/stream-view.js';
import { estimateTokens, fitToBudget, trimHistory } from '../../src/answering/llm/tokens.js';
import { verifyAnswer } from '../../src/answering/llm/verify.js';
import { echoedNumbers } from '../../src/answering/llm/support.js';

const people = ['黄宇红', '王磊', '俞会根'].map(knownPerson);

function passage(n: number, text: string, options: { date?: string; speaker?: string } = {}): PromptPassage {
  const document = { id: `d${n}`, file: `d${n}.txt`, title: '座谈会报道', date: options.date ?? '2026-01-26', text, contentHash: '', people: [] };
  const speaker = options.speaker ? { name: options.speaker, affiliation: '中国移动通信研究院', role: '院长', start: 0 } : undefined;
  return { n, chunk: { id: `d${n}#0`, docId: `d${n}`, ordinal: 0, start: 0, end: text.length, text, score: 1 }, document, speaker };
}

const supported = (sentence: string, ...passages: PromptPassage[]) =>
  unsupportedClaims(claimsOf(sentence, people), passages.map((p) => evidenceOf(p, people)));

describe('numbers', () => {
  it('reads Chinese numerals', () => {
    expect(parseChineseNumeral('四十二')).toBe(42);
    expect(parseChineseNumeral('十四')).toBe(14);
    expect(parseChineseNumeral('二〇二六')).toBe(2026);
    expect(parseChineseNumeral('一百零五')).toBe(105);
    expect(parseChineseNumeral('三千万')).toBe(30_000_000);
    expect(parseChineseNumeral('百')).toBeUndefined();
  });

  it('42, ４２ and 四十二 are the same number; 一些 and 两位 are not checked as claims', () => {
    for (const text of ['提及了42次', '提及了４２次', '提及了四十二次']) expect([...extractNumbers(text, 'strict')]).toEqual([42]);
    expect([...extractNumbers('一些委员统一认为，两位委员都发言了', 'strict')]).toEqual([]);
    expect([...extractNumbers('1.5万元', 'strict')]).toEqual([15000]);
    expect([...extractNumbers('15,000 yuan', 'strict')]).toEqual([15000]);
  });

  it('the passage side reads generously: 三是 states 3, 十四届四次 states 14 and 4', () => {
    expect(extractNumbers('三是在强化人才培育方面', 'generous').has(3)).toBe(true);
    expect([...extractNumbers('十四届四次会议', 'generous')]).toEqual(expect.arrayContaining([14, 4]));
  });
});

describe('shares', () => {
  it('a percentage needs the passage to write it: the day of the report\'s date does not state 26%', () => {
    const report = passage(1, '央企收入占前200家企业的62%。', { date: '2026-01-26' });
    expect(supported('Central SOEs earned 26% of the revenue.', report)).toEqual(['26']);
    expect(supported('Central SOEs earned 62% of the revenue.', report)).toEqual([]);
    // A plain 26 may still be the date's day ("on the 26th").
    expect(supported('The forum met on the 26th.', report)).toEqual([]);
  });
});

describe('counts of what the sentence lists', () => {
  it('a number counting the items the sentence enumerates needs no passage to write it', () => {
    expect([...echoedNumbers('在资金、人才和场地这三个方面仍有短板。', '', 0)]).toContain(3);
    expect([...echoedNumbers('由高校、企业和科研机构三方联动。', '', 0)]).toContain(3);
    // A count that does not match the list is a claim to check.
    expect([...echoedNumbers('在资金、人才和场地这四个方面仍有短板。', '', 0)]).not.toContain(4);
    expect([...echoedNumbers('全市建成了四个中心。', '', 0)]).not.toContain(4);
  });
});

describe('dates', () => {
  it('reads Chinese, full-width, ISO and English dates', () => {
    expect(extractDates('2026年1月26日').dates).toEqual([{ year: 2026, month: 1, day: 26 }]);
    expect(extractDates('１月２６日').dates).toEqual([{ month: 1, day: 26 }]);
    expect(extractDates('二〇二六年一月二十六日').dates).toEqual([{ year: 2026, month: 1, day: 26 }]);
    expect(extractDates('on January 26, 2026').dates).toEqual([{ month: 1, day: 26, year: 2026 }]);
    expect(extractDates('on 15 January 2025').dates).toEqual([{ day: 15, month: 1, year: 2025 }]);
    expect(extractDates('the 2025 forum').dates).toEqual([{ year: 2025 }]);
  });

  it('2026年1月26日 is supported by 1月26日 in an article dated 2026, not in one dated 2025', () => {
    const claim = { year: 2026, month: 1, day: 26 };
    expect(dateSupported(claim, [{ month: 1, day: 26 }], 2026)).toBe(true);
    expect(dateSupported(claim, [{ month: 1, day: 26 }], 2025)).toBe(false);
    expect(dateSupported({ month: 1, day: 15 }, [{ month: 1, day: 26 }], 2026)).toBe(false);
  });

  it('the date digits are not read again as numbers', () => {
    expect(supported('2026年1月26日，融合被提及42次[1]。', passage(1, '1月26日,“融合”一词被提及了42次。'))).toEqual([]);
  });
});

describe('claims', () => {
  const platform = passage(1, '最后,将北京现有“新一代移动信息网络技术产业中试平台”升级建设为国家级中试平台。', { speaker: '黄宇红' });

  it('names: in the text, or the speaker the passage continues (她建议…)', () => {
    expect(supported('黄宇红建议升级中试平台。', platform)).toEqual([]);
    expect(supported('王磊建议升级中试平台。', platform)).toEqual(['王磊']);
  });

  it('romanised names are names too', () => {
    expect(supported('Huang Yuhong proposed it.', platform)).toEqual([]);
    expect(supported('Yuhong Huang proposed it.', platform)).toEqual([]);
    expect(supported('Wang Lei proposed it.', platform)).toEqual(['王磊']);
  });

  it('quoted Chinese must be verbatim (punctuation aside); English parentheses too', () => {
    expect(supported('她建议升级“新一代移动信息网络技术产业中试平台”。', platform)).toEqual([]);
    expect(supported('她建议升级“新一代移动通信产业平台”。', platform)).toEqual(['“新一代移动通信产业平台”']);
    expect(supported('She proposed the pilot platform (国家级中试平台).', platform)).toEqual([]);
    expect(supported('She proposed the pilot platform (国家实验室).', platform)).toEqual(['“国家实验室”']);
  });
});

describe('markers and sentences', () => {
  it('normalises citation forms', () => {
    expect(normalizeMarkers('甲【1】乙［２］丙[1, 3]丁[2-4]戊[Passage 5][5]')).toBe('甲[1]乙[2]丙[1][3]丁[2][3][4]戊[5]');
  });

  it('renumbers by first use', () => {
    expect(renumber('a[3] b[1] c[3]')).toEqual({ text: 'a[1] b[2] c[1]', order: [3, 1] });
  });

  it('holds back a trailing partial marker', () => {
    expect(partialMarkerLength('平台[1')).toBe(2);
    expect(partialMarkerLength('平台【')).toBe(1);
    expect(partialMarkerLength('平台[1]')).toBe(0);
  });

  it('splits sentences with their markers, keeping list numbers out of the claims', () => {
    const lines = splitAnswer('1. 王磊建议甲[1]。黄宇红建议乙。[2]\n- It grew 1.5 times [3]. Then more.');
    expect(lines[0]!.prefix).toBe('1. ');
    expect(lines[0]!.sentences.map((s) => s.text)).toEqual(['王磊建议甲[1]。', '黄宇红建议乙。[2]']);
    expect(lines[1]!.sentences.map((s) => s.text)).toEqual(['It grew 1.5 times [3].', 'Then more.']);
  });
});

describe('verifyAnswer', () => {
  const p1 = passage(1, '“融合”一词,被委员们前后提及了42次,成为会议现场的高频词。');
  const p2 = passage(2, '最后,将北京现有“新一代移动信息网络技术产业中试平台”升级建设为国家级中试平台。', { speaker: '黄宇红' });

  it('keeps supported sentences, re-cites a misplaced one, drops an unsupported one, renumbers', () => {
    const result = verifyAnswer('黄宇红建议升级中试平台[2]。融合被提及42次[2]。融合被提及43次[1]。', [p1, p2], people);
    expect(result.text).toBe('黄宇红建议升级中试平台[1]。融合被提及42次[2]。');
    expect(result.cited.map((p) => p.n)).toEqual([2, 1]);
    expect(result.recited).toBe(1);
    expect(result.dropped).toEqual(['融合被提及43次。']);
  });

  it('drops uncited claims but keeps lead-ins and statements of what the passages do not say', () => {
    const result = verifyAnswer('具体如下：\n黄宇红建议升级中试平台[2]。\n报道没有提到具体的投资金额。\n她认为这很重要。', [p1, p2], people);
    expect(result.text).toBe('具体如下：\n黄宇红建议升级中试平台[1]。\n报道没有提到具体的投资金额。');
    expect(result.dropped).toEqual(['她认为这很重要。']);
  });

  it('a statement of absence carrying an unsupported fact is dropped like any claim', () => {
    const result = verifyAnswer('黄宇红建议升级中试平台[2]。报道未提及5G，但她表示投资500亿元。', [p1, p2], people);
    expect(result.dropped).toEqual(['报道未提及5G，但她表示投资500亿元。']);
  });

  it('lends a line-end citation to the sentences before it on the line', () => {
    const result = verifyAnswer('黄宇红提出了建议。她建议升级中试平台[2]。', [p1, p2], people);
    expect(result.text).toBe('黄宇红提出了建议[1]。她建议升级中试平台[1]。');
  });

  it('refuses on the marker, or when only statements of absence are left', () => {
    expect(verifyAnswer('NO_ANSWER', [p1], people).refused).toBe(true);
    expect(verifyAnswer('The passages do not mention the venue.', [p1], people).refused).toBe(true);
    expect(verifyAnswer('这是编造的内容。', [p1], people)).toMatchObject({ refused: false, text: '', dropped: ['这是编造的内容。'] });
  });
});

describe('streaming view', () => {
  it('never shows a partial marker or the refusal marker, and renumbers', () => {
    expect(streamView('黄宇红建议[3', 4)).toBe('黄宇红建议');
    expect(streamView('黄宇红建议[3]。王磊[1', 4)).toBe('黄宇红建议[1]。王磊');
    expect(streamView('黄宇红建议[9]。', 4)).toBe('黄宇红建议。');
    expect(streamView('NO_ANS', 4)).toBe('');
    expect(streamView('<think>reasoning</think>答案[2]', 4)).toBe('答案[1]');
    expect(streamView('<think>still thinking', 4)).toBe('');
  });
});

describe('token budget', () => {
  it('counts Han characters as one token and other text as a quarter', () => {
    expect(estimateTokens('北京市政协')).toBe(5);
    expect(estimateTokens('abcdefgh')).toBe(2);
  });

  it('keeps the best items that fit, never none', () => {
    expect(fitToBudget(['一二三', '四五六七八', '九'], (s) => s, 4)).toEqual(['一二三', '九']);
    expect(fitToBudget(['一二三四五六'], (s) => s, 2)).toEqual(['一二三四五六']);
  });

  it('history: last turns only, markers stripped, within budget', () => {
    const history = Array.from({ length: 6 }, (_, i) => ({ question: `问题${i}`, answer: `回答${i}[1]。`.repeat(50) }));
    const trimmed = trimHistory(history, 3, 200);
    expect(trimmed.length).toBeLessThanOrEqual(3);
    expect(trimmed.at(-1)!.question).toBe('问题5');
    expect(trimmed.every((turn) => !turn.answer.includes('[1]'))).toBe(true);
    expect(trimmed.reduce((sum, turn) => sum + estimateTokens(turn.question) + estimateTokens(turn.answer), 0)).toBeLessThanOrEqual(200);
  });
});
