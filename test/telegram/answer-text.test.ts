import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsker, type Asker } from '../../src/answering/ask.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { renderAnswer } from '../../src/telegram/format.js';
import { parseTelegramHtml } from '../support/fake-telegram.js';
import { buildSeedIndex, temporaryDirectory } from '../support/seed-index.js';

// A report written for this test in the way forum reports are written: a quotation spanning
// sentences with its speaker after it, a connective pointing back, a quoted term inside a quote,
// narration about a member, and a member's own words.
const REPORT = `市政协召开专题协商会 委员建言完善社区养老服务
3月12日,北京市政协召开“完善社区养老服务体系”专题协商会,来自社会福利界的市政协委员围绕社区养老服务积极建言献策。
把驿站办到老人家门口
“社区是居家养老的第一线。驿站要办在老人家门口,服务要送到老人床头。”来自社会福利界的北京市政协委员、北京康乐养老服务中心主任林晓岚表示。林晓岚介绍,全市已建成社区养老服务驿站1200家,但约三成驿站收支难以平衡。有鉴于此,今年全会期间,林晓岚专门带来了《关于完善社区养老服务体系的提案》。
“同时,要打造‘邻里互助’平台。建议每个街道设立互助站点,让低龄老人帮扶高龄老人。”林晓岚说。她建议,推行助餐服务进楼门,对高龄老人给予分级补贴。
加装电梯不再难
市政协委员、北京城市规划设计研究院高级工程师周岩同样关注老旧小区的适老化改造。他建议,简化加装电梯审批流程,实行“一站式”办理,对低收入家庭给予补贴。
“老旧小区改造要把老人的需求放在前面。”周岩说。
`;

let index: ForumIndex;
let ask: Asker;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const { dir, remove } = await temporaryDirectory();
  cleanup = remove;
  const seeds = path.join(dir, 'seeds');
  await mkdir(seeds);
  await writeFile(path.join(seeds, 'care.txt'), REPORT);
  await writeFile(path.join(seeds, 'care.meta.json'), JSON.stringify({ title: '市政协召开专题协商会 委员建言完善社区养老服务', date: '2031-03-12', publisher: '测试日报' }));
  index = await buildSeedIndex(path.join(dir, 'index'), seeds);
  ask = createAsker({ index });
});
afterAll(async () => {
  await index.close();
  await cleanup();
});

/** What the reader sees of the answer in Telegram, cut into its cited sentences. */
async function shownSentences(question: string): Promise<string[]> {
  const result = await ask(question);
  expect(result.refused, question).toBe(false);
  const { text } = parseTelegramHtml(renderAnswer(result, /[a-z]/i.test(question) ? 'en' : 'zh'));
  const answer = text.slice(0, text.lastIndexOf(/[a-z]/i.test(question) ? '\n\nSources' : '\n\n来源'));
  return answer.split(/(?:\[\d+\])+/).map((part) => part.trim()).filter(Boolean);
}

const PAIRS: Record<string, string> = { '“': '”', '‘': '’', '《': '》', '「': '」' };
function balanced(text: string): boolean {
  const open: string[] = [];
  for (const character of text) {
    if (PAIRS[character]) open.push(PAIRS[character]!);
    else if (Object.values(PAIRS).includes(character) && open.pop() !== character) return false;
  }
  return open.length === 0;
}

describe('answers read as whole sentences', () => {
  it('a sentence cut out of a longer quotation has its quotation marks paired', async () => {
    const sentences = await shownSentences('互助站点怎么设？');
    expect(sentences.join('')).toContain('建议每个街道设立互助站点');
    for (const sentence of sentences) expect(balanced(sentence), sentence).toBe(true);
  });

  it('a speaker named after the quotation comes with the quotation, not alone', async () => {
    const sentences = await shownSentences('林晓岚怎么看社区养老驿站？');
    const naming = sentences.find((sentence) => sentence.includes('林晓岚表示'));
    expect(naming, sentences.join('\n')).toBeDefined();
    expect(naming).toMatch(/^“.+”来自社会福利界的北京市政协委员、北京康乐养老服务中心主任林晓岚表示。$/);
    for (const sentence of sentences) expect(balanced(sentence), sentence).toBe(true);
  });

  it('a connective pointing back at what is not shown is left out', async () => {
    const sentences = await shownSentences('林晓岚带来了什么提案？');
    const proposal = sentences.find((sentence) => sentence.includes('《关于完善社区养老服务体系的提案》'));
    expect(proposal).toBeDefined();
    expect(proposal).not.toMatch(/有鉴于此/);
  });

  it('in English, a member\'s own words are speech and the reporter\'s narration is the report\'s', async () => {
    const [speech] = await shownSentences('What did Lin Xiaolan say about where stations should be?');
    expect(speech).toMatch(/^Lin Xiaolan \(林晓岚, 北京康乐养老服务中心主任\) said: “社区是居家养老的第一线。/);
    expect(speech).not.toContain('表示');

    const [narration] = await shownSentences('What did Zhou Yan propose?');
    expect(narration).toMatch(/^The report says Zhou Yan \(周岩, 北京城市规划设计研究院高级工程师\) proposed: “他建议,简化加装电梯审批流程/);
    expect(balanced(narration!)).toBe(true);
  });
});
