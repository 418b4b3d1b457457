import { describe, expect, it } from 'vitest';
import { IndexHolder } from '../../src/index/holder.js';
import { loadBotConfig, loadSummaryConfig } from '../../src/telegram/config.js';
import { loadTestIndex } from '../telegram/helpers.js';
import { makeCorpus } from './helpers.js';

describe('summary settings', () => {
  it('defaults: auto mode, no configured chats, the file under .cache/, Redis when REDIS_URL is set', () => {
    expect(loadSummaryConfig({})).toEqual({ mode: 'auto', chats: [], file: '.cache/subscriptions.json', redisUrl: undefined, redisCommandTimeoutMs: 1000 });
    expect(loadBotConfig({ TELEGRAM_BOT_TOKEN: '1:x', REDIS_URL: 'redis://r:6379' }).summaries.redisUrl).toBe('redis://r:6379');
  });

  it('reads SUMMARY_CHAT_IDS with optional languages, SUBSCRIPTIONS_FILE and SUMMARY_MODE', () => {
    const settings = loadSummaryConfig({
      SUMMARY_CHAT_IDS: ' -1001234567890, -1009876543210:en  42:ZH,-1001234567890 ',
      SUBSCRIPTIONS_FILE: '/var/lib/bot/subs.json',
      SUMMARY_MODE: 'Extractive',
    });
    expect(settings).toEqual({
      mode: 'extractive',
      chats: [
        { chatId: -1001234567890, language: 'zh' },
        { chatId: -1009876543210, language: 'en' },
        { chatId: 42, language: 'zh' },
      ],
      file: '/var/lib/bot/subs.json',
      redisUrl: undefined,
      redisCommandTimeoutMs: 1000,
    });
  });

  it.each([
    [{ SUMMARY_CHAT_IDS: '@mychannel' }, /SUMMARY_CHAT_IDS must be numeric chat ids .* \(got "@mychannel"\)/],
    [{ SUMMARY_CHAT_IDS: '-100:fr' }, /\(got "-100:fr"\)/],
    [{ SUMMARY_CHAT_IDS: '0' }, /\(got "0"\)/],
    [{ SUMMARY_MODE: 'llm' }, /SUMMARY_MODE must be auto or extractive \(got "llm"\)/],
  ])('refuses %o with a sentence saying what is wrong', (environment, message) => {
    expect(() => loadSummaryConfig(environment)).toThrow(message);
  });
});

describe('IndexHolder.onSwap (the delivery trigger after /reindex or a new manifest)', () => {
  it('is called once per new index swapped in by reload(), not when nothing changed', async () => {
    const corpus = await makeCorpus();
    try {
      const swapped: number[] = [];
      const holder = await IndexHolder.open({ directory: corpus.indexDir, load: loadTestIndex, onSwap: (index) => swapped.push(index.corpus.documents.size) });
      expect((await holder.reload()).swapped).toBe(false);
      await corpus.ingest();
      expect((await holder.reload()).swapped).toBe(true);
      expect((await holder.reload()).swapped).toBe(false);
      expect(swapped).toEqual([3]);
    } finally {
      await corpus.cleanup();
    }
  });
});
