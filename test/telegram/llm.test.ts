// The bot with the LLM composer picked by createComposer (as `npm start` does), against the fake
// OpenAI server: the answer streams into one Telegram message by edits, then becomes the verified,
// cited answer; a 429 on an edit is waited out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComposer } from '../../src/app/choose-composer.js';
import { loadConfig } from '../../src/config.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { isRewrite, passageNumber, questionOf } from '../llm/helpers.js';
import { buildTestIndex, replies, startTestBot } from './helpers.js';

const PLATFORM = '新一代移动信息网络技术产业中试平台';

let index: ForumIndex;
let cleanup: () => Promise<void>;
let openai: FakeOpenAi;

beforeAll(async () => {
  ({ index, cleanup } = await buildTestIndex());
  openai = await startFakeOpenAi();
}, 30_000);
afterAll(async () => {
  await openai.close();
  await cleanup();
});

describe('streaming LLM answers', () => {
  it('edits one message as the answer grows (obeying retry_after), ending with the verified, cited answer', async () => {
    openai.setChatHandler((body) =>
      isRewrite(body)
        ? { kind: 'chat', content: questionOf(body) }
        : {
            kind: 'chat',
            // Two sentences: the first is complete (and shown as a preview) well before the stream ends.
            content: `黄宇红建议将“${PLATFORM}”升级为支持“6G+AI”融合开放的国家级中试平台[${passageNumber(body, PLATFORM)}]。该平台将向全球开放和推广以北京为主节点的6G开放试验装置[${passageNumber(body, PLATFORM)}]。`,
            pieceSize: 4,
            delayMs: 40,
          },
    );
    const config = loadConfig({ OPENAI_MODEL: 'fake-chat', OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: 'sk-test', OPENAI_TIMEOUT_MS: '3000' });
    const composer = createComposer(config);
    expect(composer.mode).toBe('llm');
    const bot = await startTestBot({ index: () => index, composer, streamEditIntervalMs: 150 });
    try {
      const { fake } = bot;
      fake.fail('editMessageText', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
      const asked = fake.sendText({ chatId: 90, text: '黄宇红建议把哪个平台升级为国家级中试平台?' });
      await fake.waitFor(() => replies(fake, 90).some((message) => message.params.parse_mode === 'HTML'), 10_000);

      const [message, ...others] = replies(fake, 90);
      expect(others).toEqual([]);
      expect(message!.params.reply_parameters).toMatchObject({ message_id: asked.message.message_id });
      expect(message!.text).toContain('<blockquote expandable>');
      expect(message!.plainText).toContain(`“${PLATFORM}”升级为支持“6G+AI”融合开放的国家级中试平台[1]。`);
      // The article once, then the passage opening on the sentence the paraphrase cites.
      expect(message!.plainText).toMatch(new RegExp(`来源\\n[^\\n]+ · \\d{4}-\\d{2}-\\d{2}\\n\\[1\\] [^\\n]*“${PLATFORM}”`));

      // The preview was plain text, then edits: never closer than the interval, and none during the 429's retry_after.
      expect(fake.callsOf('sendMessage')[0]!.params.parse_mode).toBeUndefined();
      const edits = fake.callsOf('editMessageText');
      expect(edits.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < edits.length; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(140);
      expect(edits[1]!.at - edits[0]!.at).toBeGreaterThanOrEqual(950);
      expect(edits.at(-1)!.params.parse_mode).toBe('HTML');
    } finally {
      await bot.stop();
    }
  }, 20_000);
});
