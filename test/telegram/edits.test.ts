/**
 * Edited questions: in a private chat an edit gets a fresh answer to the new text; in groups only
 * an edit addressed to the bot does (mention, /ask), the rest stays silent as before; an edit that
 * changes nothing is not answered twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { buildTestIndex, replies, startTestBot, type TestBot } from './helpers.js';

const QUESTION = '黄宇红建议把哪个平台升级为国家级中试平台?';
const PLATFORM = '新一代移动信息网络技术产业中试平台';
const GROUP = -100888;

let index: ForumIndex;
let cleanup: () => Promise<void>;
let bot: TestBot | undefined;

beforeAll(async () => {
  ({ index, cleanup } = await buildTestIndex());
}, 30_000);
afterAll(() => cleanup());
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** Queues an update and waits until the bot has handled it. */
async function handled(update: { update_id: number }): Promise<void> {
  await bot!.fake.waitFor(() => bot!.inflight.lastUpdateId >= update.update_id && bot!.inflight.size === 0);
}

/** Telegram's edited_message for a message sent earlier: same id and chat, new text (and its entities). */
function edit(original: { message: Record<string, unknown> }, text: string, entities?: unknown[]) {
  const { entities: _old, ...message } = original.message;
  return bot!.fake.pushUpdate({ edited_message: { ...message, text, edit_date: Math.floor(Date.now() / 1000), ...(entities ? { entities } : {}) } });
}

describe('edited messages', () => {
  it('are asked for by the bot (allowed_updates)', async () => {
    bot = await startTestBot({ index: () => index });
    expect(bot.fake.callsOf('getUpdates')[0]!.params.allowed_updates).toContain('edited_message');
  });

  it('get a fresh answer in a private chat, as a reply to the edited message, once per change', async () => {
    bot = await startTestBot({ index: () => index });
    const asked = bot.fake.sendText({ chatId: 71, text: '黄宇红建议把哪个平台升级?' });
    await handled(asked);
    await handled(edit(asked, QUESTION));
    const [, again] = replies(bot.fake, 71);
    expect(again!.plainText).toContain(PLATFORM);
    expect(again!.params.reply_parameters).toMatchObject({ message_id: asked.message.message_id });

    // Telegram also reports edits that leave the text as it was: not answered again.
    await handled(edit(asked, QUESTION));
    expect(replies(bot.fake, 71)).toHaveLength(2);
  });

  it('in groups, are answered only when addressed to the bot', async () => {
    bot = await startTestBot({ index: () => index });
    const chatter = bot.fake.sendText({ chatId: GROUP, chatType: 'supergroup', text: '今天开会吗' });
    await handled(chatter);
    await handled(edit(chatter, QUESTION)); // not addressed: silence, as for the message itself
    expect(replies(bot.fake, GROUP)).toHaveLength(0);

    await handled(edit(chatter, `@test_bot ${QUESTION}`, [{ type: 'mention', offset: 0, length: 9 }]));
    await handled(edit(chatter, `/ask ${QUESTION}然后呢`, [{ type: 'bot_command', offset: 0, length: 4 }]));
    await handled(edit(chatter, `/ask@other_bot ${QUESTION}`, [{ type: 'bot_command', offset: 0, length: 14 }]));
    const answers = replies(bot.fake, GROUP);
    expect(answers).toHaveLength(2);
    for (const answer of answers) {
      expect(answer.plainText).toContain(PLATFORM);
      expect(answer.params.reply_parameters).toMatchObject({ message_id: chatter.message.message_id });
    }
  });
});
