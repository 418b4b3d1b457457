import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsker, type Asker } from '../../src/answering/ask.js';
import { QuestionError } from '../../src/errors.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { buildSeedIndex, sharedSeedIndex, temporaryDirectory } from '../support/seed-index.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('ask, end to end on the seeds (extractive)', () => {
  let ask: Asker;
  let index: ForumIndex;
  beforeAll(async () => {
    index = await sharedSeedIndex();
    ask = createAsker({ index });
  });
  afterAll(() => index.close());

  it('answers with the cited passage that holds the answer', async () => {
    const result = await ask('黄宇红建议把哪个平台升级为国家级中试平台?');
    expect(result.refused).toBe(false);
    expect(result.mode).toBe('extractive');
    expect(result.answer).toContain('新一代移动信息网络技术产业中试平台');
    expect(result.answer).toMatch(/\[1\]/);
    expect(result.citations[0]).toMatchObject({ n: 1, docId: '000_427e375fdec6027b', date: '2026-01-26' });
    expect(result.citations[0]!.text).toContain('新一代移动信息网络技术产业中试平台');
    for (const marker of result.answer.matchAll(/\[(\d+)\]/g)) {
      expect(result.citations.map((c) => c.n)).toContain(Number(marker[1]));
    }
  });

  it('names the member and their organisation for a who-question', async () => {
    const result = await ask('2026年北京两会期间,是谁带来了《关于推动6G+AI深度融合打造首都高质量发展核心引擎的提案》?');
    expect(result.answer).toContain('黄宇红');
    expect(result.answer).toContain('中国移动通信研究院');
  });

  it('resolves a follow-up against the earlier turn', async () => {
    const first = await ask('2026年座谈会上发言的王磊委员在哪家企业任职?');
    const follow = await ask('他还建议打造一个什么样的联动平台?', { history: [{ question: first.question, answer: first.answer }] });
    expect(follow.answer).toContain('科教产融合平台');
  });

  it('resolves an English follow-up that points back without a pronoun ("And …", "that proposal") to the member of the earlier turn', async () => {
    const first = await ask('What did Yu Huigen say about solid-state batteries?');
    const history = [{ question: first.question, answer: first.answer }];
    for (const question of ['And what did the member propose?', 'What was that proposal?']) {
      const follow = await ask(question, { history });
      expect(follow.refused, question).toBe(false); // before: refused, the member not carried over
      expect(follow.answer, question).toContain('俞会根建议');
    }
    // A question that stands on its own keeps its own topic: its "that" is a relative pronoun.
    const standalone = await ask('Which member wants the pilot platform that tests 6G upgraded to national level?', { history });
    expect(standalone.answer).toContain('黄宇红');
  });

  it('refuses what the articles do not say, and page chrome', async () => {
    for (const question of ['2026年1月26日的专题座谈会是在哪个会场举行的?', '新京报的报料邮箱是多少?', '2019年的座谈会讨论了什么?']) {
      const result = await ask(question);
      expect(result.refused, question).toBe(true);
      expect(result.citations).toEqual([]);
      expect(result.answer).toMatch(/没有提到/);
    }
  });

  it('rejects blank and absurdly long questions with a clear message', async () => {
    await expect(ask('   ')).rejects.toThrow(QuestionError);
    await expect(ask('问'.repeat(5000))).rejects.toThrow(/5000 characters.*limit is 500/);
  });
});

describe('the ask command', () => {
  it('prints one JSON object with --json, logs on stderr, and builds a missing index first', async () => {
    const { dir, remove } = await temporaryDirectory();
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/ask.ts', '--json', '--index', path.join(dir, 'index'), '褚潇炜委员的职务是什么?'], {
        cwd: ROOT,
        env: { ...process.env, EMBEDDER: 'lexical' },
      });
      const result = JSON.parse(stdout);
      expect(Object.keys(result)).toEqual(expect.arrayContaining(['question', 'answer', 'refused', 'mode', 'citations', 'ms']));
      expect(result.answer).toContain('北京科技创新促进中心主任');
      expect(Object.keys(result.citations[0])).toEqual(['n', 'docId', 'title', 'date', 'url', 'chunkId', 'text']);
      expect(stderr).toMatch(/building it/);

      const batch = ['{"id":"a","question":"俞会根希望推动固态电池技术在哪些领域广泛应用?"}', 'not json', '{"id":"c","question":""}'].join('\n');
      const child = run(process.execPath, ['--import', 'tsx', 'scripts/ask.ts', '--batch', '--json', '--index', path.join(dir, 'index')], { cwd: ROOT });
      child.child.stdin!.end(batch);
      const lines = (await child).stdout.trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.map((line) => line.id)).toEqual(['a', null, 'c']);
      expect(lines[0].answer).toContain('储能');
      expect(lines[1].error).toMatch(/line 2 is not valid JSON/);
      expect(lines[2].error).toMatch(/empty/);
    } finally {
      await remove();
    }
  }, 60_000);
});
