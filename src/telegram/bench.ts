import type { ForumIndex } from '../index/forum-index.js';
import { startFakeTelegram, type FakeTelegram } from '../../test/support/fake-telegram.js';
import { createBot } from './bot.js';
import { Inflight } from './inflight.js';
import { startPolling } from './run.js';

export interface BotBenchOptions {
  /** Chats asking at once, one question each. */
  chats: number;
  index: ForumIndex;
  /**
   * Keep Telegram's outgoing limits (30 messages/s): measures what users would see rather than
   * what the bot can do. Off by default.
   */
  throttle?: boolean;
}

export interface BotBenchResult {
  updatesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  rssMb: number;
}

const QUESTIONS = [
  '黄宇红建议把哪个平台升级为国家级中试平台?',
  '2026年1月26日北京市政协专题座谈会的主题是什么?',
  '王磊委员在哪家企业任职?',
  '据新京报记者统计,“融合”一词被委员们提及了多少次?',
  'What did Huang Yuhong propose?',
  '冯莉琼提出了什么建议?',
  '马光辉建议了什么?',
  '今天北京天气怎么样?',
];

/**
 * Drives `chats` private chats asking at once through the real bot (extractive answers, long
 * polling a fake Bot API server on 127.0.0.1). Latency = the update queued at the fake → the
 * fake receiving the answer's sendMessage.
 */
export async function benchBot(options: BotBenchOptions): Promise<BotBenchResult> {
  const fake = await startFakeTelegram({ username: 'bench_bot' });
  const inflight = new Inflight();
  const bot = createBot({
    token: '100000:bench-token-for-the-fake-server',
    apiRoot: fake.apiRoot,
    index: () => options.index,
    throttle: options.throttle ?? false,
    rateLimit: { questions: 0, windowSeconds: 60 },
    inflight,
    log: () => undefined,
  });
  const running = await startPolling(bot, { inflight, log: () => undefined });
  try {
    // Warm-up (first-question costs such as lazy tables), not measured.
    fake.sendText({ chatId: 1, text: QUESTIONS[0]! });
    fake.sendText({ chatId: 2, text: QUESTIONS[4]! });
    await fake.waitFor(() => fake.callsOf('sendMessage').length >= 2, 30_000);

    return { ...(await askAtOnce(fake, QUESTIONS, options.chats, 120_000)), rssMb: round(process.memoryUsage().rss / 2 ** 20) };
  } finally {
    await running.stop();
    await inflight.drain(5000);
    await fake.close();
  }
}

/**
 * `chats` private chats ask at once (chat ids from 10,000, questions in turn) and wait for every
 * first answer. Latency = the update queued at the fake → the fake receiving the sendMessage.
 */
export async function askAtOnce(
  fake: FakeTelegram,
  questions: readonly string[],
  chats: number,
  timeoutMs: number,
): Promise<{ updatesPerSecond: number; p50Ms: number; p95Ms: number }> {
  const pushedAt = new Map<number, number>();
  const chatIds = Array.from({ length: chats }, (_, i) => 10_000 + i);
  const started = Date.now();
  chatIds.forEach((chatId, i) => {
    pushedAt.set(chatId, Date.now());
    fake.sendText({ chatId, text: questions[i % questions.length]! });
  });
  const answered = () => {
    const first = new Map<number, number>();
    for (const call of fake.callsOf('sendMessage')) {
      const chatId = Number(call.params.chat_id);
      if (pushedAt.has(chatId) && !first.has(chatId)) first.set(chatId, call.at);
    }
    return first;
  };
  await fake.waitFor(() => answered().size >= chatIds.length, timeoutMs);
  const replies = answered();
  const latencies = chatIds.map((chatId) => replies.get(chatId)! - pushedAt.get(chatId)!).sort((a, b) => a - b);
  const elapsedMs = Math.max(1, Math.max(...replies.values()) - started);
  return {
    updatesPerSecond: round((chatIds.length * 1000) / elapsedMs),
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

const round = (value: number) => Math.round(value * 10) / 10;
