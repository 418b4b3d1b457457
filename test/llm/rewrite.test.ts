// Follow-ups and English questions are rewritten by the LLM into a standalone Chinese query, and
// retrieval runs on that query; relative dates are resolved against the articles' dates.
import { describe, expect, it } from 'vitest';
import { resolveRelativeDates } from '../../src/answering/llm/rewrite.js';
import { retrieve } from '../../src/retrieval/retrieve.js';
import { isAnswer, isRewrite, llmAsker, passageNumber, scripted, userOf, useSeedIndexAndModel } from './helpers.js';

const YU_DOC = '003_e28bedb5bee0dbd7';

const suite = useSeedIndexAndModel();

async function retrievedFor(query: string, documentIds?: Set<string>): Promise<string[]> {
  return (await retrieve(suite.index, query, { k: 8, documentIds })).map((chunk) => chunk.id).sort();
}

describe('follow-up rewriting', () => {
  const history = [{ question: '2026年座谈会上发言的王磊委员在哪家企业任职?', answer: '王磊是北京中科闻歌科技股份有限公司董事长[1]。' }];

  it('sends the history to the rewrite request and answers the follow-up from the standalone query', async () => {
    const standalone = '王磊 建议打造 高校-企业-科研机构联动的科教产融合平台';
    suite.fake.setChatHandler(scripted((body) => `王磊建议打造“科教产融合平台”[${passageNumber(body, '科教产融合平台')}]。`, () => standalone));
    const trace = await llmAsker(suite.index, suite.fake)('他还建议打造一个什么样的联动平台?', { history });

    const [rewrite, answer] = suite.fake.chatRequests().map((request) => request.body);
    expect(isRewrite(rewrite)).toBe(true);
    const user = userOf(rewrite);
    expect(user).toContain('<conversation>\n<user>2026年座谈会上发言的王磊委员在哪家企业任职?</user>');
    expect(user).toContain('<assistant>王磊是北京中科闻歌科技股份有限公司董事长。</assistant>'); // old markers stripped
    expect(user).toContain('<question>他还建议打造一个什么样的联动平台?</question>');
    expect(rewrite.stream).toBeUndefined();

    expect(isAnswer(answer)).toBe(true);
    expect(userOf(answer)).toContain(`<question-standalone>${standalone}</question-standalone>`);
    expect(userOf(answer)).toContain('<conversation>');
    expect(trace.question).toBe('他还建议打造一个什么样的联动平台?');
    expect(trace.answer).toBe('王磊建议打造“科教产融合平台”[1]。');
    expect(trace.retrieved.map((chunk) => chunk.chunkId).sort()).toEqual(await retrievedFor(standalone));
  });

  it('retrieval runs on the rewritten query, whatever the question said', async () => {
    // A deliberately different query proves which text retrieval used.
    const standalone = '2025年 俞会根 固态电池 应用领域';
    suite.fake.setChatHandler(scripted(() => 'NO_ANSWER', () => standalone));
    const trace = await llmAsker(suite.index, suite.fake)('他还建议打造一个什么样的联动平台?', { history });
    expect(trace.retrieved.every((chunk) => chunk.chunkId.startsWith(YU_DOC))).toBe(true);
    expect(trace.retrieved.map((chunk) => chunk.chunkId).sort()).toEqual(await retrievedFor(standalone, new Set([YU_DOC])));
  });

  it('keeps only the last turns, within the history budget', async () => {
    const long = Array.from({ length: 10 }, (_, i) => ({ question: `第${i}个问题：王磊说了什么?`, answer: '王磊表示要推动融合。'.repeat(40) }));
    suite.fake.setChatHandler(scripted(() => 'NO_ANSWER', () => '王磊 建议'));
    await llmAsker(suite.index, suite.fake, { composer: { historyTurns: 3, historyTokens: 300 } })('他还说了什么?', { history: long });
    for (const request of suite.fake.chatRequests()) {
      const user = userOf(request.body);
      expect(user).not.toContain('第6个问题');
      expect(user).toContain('第9个问题');
      const conversation = /<conversation>([^]*)<\/conversation>/.exec(user)![1]!;
      expect([...conversation.matchAll(/\p{Script=Han}/gu)].length).toBeLessThanOrEqual(330);
    }
  });

  it('a failed rewrite leaves retrieval to the built-in analysis and still answers', async () => {
    suite.fake.enqueue({ kind: 'status', status: 400 });
    suite.fake.setChatHandler(scripted((body) => `王磊建议打造“科教产融合平台”[${passageNumber(body, '科教产融合平台')}]。`));
    const logs: string[] = [];
    const trace = await llmAsker(suite.index, suite.fake, { logs })('他还建议打造一个什么样的联动平台?', { history });
    expect(trace.mode).toBe('llm');
    expect(logs.some((line) => line.startsWith('Query rewriting skipped'))).toBe(true);
  });
});

describe('relative dates', () => {
  it('resolves 今年/去年/last year against the newest article (2026)', () => {
    expect(resolveRelativeDates('去年的座谈会上谁发言了?', 2026)).toBe('2025年的座谈会上谁发言了?');
    expect(resolveRelativeDates('今年两会', 2026)).toBe('2026年两会');
    expect(resolveRelativeDates('Who spoke at last year’s forum?', 2026)).toBe('Who spoke at 2025’s forum?');
  });

  it('a standalone Chinese question with 去年 is resolved without an LLM call and filtered to that year', async () => {
    suite.fake.setChatHandler(scripted((body) => `俞会根希望推动固态电池技术在汽车、储能和低空经济动力等领域广泛应用[${passageNumber(body, '低空经济')}]。`));
    const trace = await llmAsker(suite.index, suite.fake)('去年的座谈会上,俞会根希望推动固态电池技术在哪些领域广泛应用?');
    expect(suite.fake.chatRequests()).toHaveLength(1);
    expect(userOf(suite.fake.chatRequests()[0]!.body)).toContain('<question-standalone>2025年的座谈会上,俞会根');
    expect(trace.retrieved.every((chunk) => chunk.chunkId.startsWith(YU_DOC))).toBe(true);
    expect(trace.answer).toContain('低空经济');
  });

  it('the rewrite request tells the model what this year and last year are', async () => {
    suite.fake.setChatHandler(scripted(() => 'NO_ANSWER', () => '2025年 座谈会 委员'));
    await llmAsker(suite.index, suite.fake)('Who spoke at last year’s forum?');
    expect(userOf(suite.fake.chatRequests()[0]!.body)).toContain('今年 / this year = 2026年; 去年 / last year = 2025年');
  });
});

describe('cross-lingual', () => {
  it('an English question is searched in Chinese and answered in English citing the Chinese passage', async () => {
    const platform = '新一代移动信息网络技术产业中试平台';
    suite.fake.setChatHandler(
      scripted(
        (body) =>
          `Huang Yuhong (黄宇红) suggested upgrading Beijing's existing “${platform}” into a national-level pilot platform for 6G+AI [${passageNumber(body, platform)}].`,
        () => '黄宇红 建议 将北京现有新一代移动信息网络技术产业中试平台 升级为国家级中试平台',
      ),
    );
    const trace = await llmAsker(suite.index, suite.fake)(
      'Which existing Beijing pilot-testing platform did Huang Yuhong suggest upgrading into a national-level 6G+AI pilot platform?',
    );
    const [rewrite, answer] = suite.fake.chatRequests().map((request) => request.body);
    expect(isRewrite(rewrite)).toBe(true);
    expect(userOf(rewrite)).toContain('黄宇红'); // the known members are listed for the model
    expect(userOf(answer)).toContain('Answer the question in English');
    expect(trace).toMatchObject({ mode: 'llm', refused: false, dropped: [] });
    expect(trace.answer).toMatch(/^Huang Yuhong \(黄宇红\) suggested .* \[1\]\.$/);
    expect(trace.citations[0]!.text).toContain(platform);
  });

  it('an English sentence naming a member the cited passage does not know is dropped', async () => {
    const platform = '新一代移动信息网络技术产业中试平台';
    suite.fake.setChatHandler(
      scripted(
        (body) => {
          const n = passageNumber(body, platform);
          return `Huang Yuhong suggested upgrading the “${platform}” [${n}]. Zhao Yu agreed with her [${n}].`;
        },
        () => '黄宇红 新一代移动信息网络技术产业中试平台 国家级中试平台',
      ),
    );
    const trace = await llmAsker(suite.index, suite.fake)('Which platform did Huang Yuhong suggest upgrading?');
    expect(trace.dropped).toEqual(['Zhao Yu agreed with her.']);
    expect(trace.answer).toBe(`Huang Yuhong suggested upgrading the “${platform}” [1].`);
  });
});
