import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startFakeTelegram } from '../../test/support/fake-telegram.js';
import { askAtOnce } from '../telegram/bench.js';

/**
 * The bot as users run it: `npm start`'s command (the compiled bot under plain node) in its own
 * process, serving an index through the fake Bot API server on 127.0.0.1, extractive answers.
 * Its memory is read from /proc (Linux), so it is the whole process: the HNSW thread, jieba's
 * native dictionary and V8 together.
 */
export interface BotProcessResult {
  /** RSS once the bot polls, before any question. */
  idleRssMb: number | null;
  /** The first Chinese and English questions, asked together before the measured chats. */
  warmUpMs: number;
  /** RSS after every chat was answered. */
  rssMb: number | null;
  /** Peak RSS of the process (VmHWM). */
  peakRssMb: number | null;
  updatesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Compiles the bot to dist/ as `npm run build` does. */
export function buildBot(): void {
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'pipe' });
}

export async function benchBotProcess(options: { indexDir: string; questions: string[]; chats: number }): Promise<BotProcessResult> {
  const fake = await startFakeTelegram({ username: 'bench_bot' });
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(ROOT, 'dist/scripts/bot.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DOTENV_CONFIG_QUIET: 'true',
      TELEGRAM_BOT_TOKEN: '100000:bench-token-for-the-fake-server',
      TELEGRAM_API_ROOT: fake.apiRoot,
      INDEX_DIR: options.indexDir,
      EMBEDDER: 'lexical',
      OPENAI_BASE_URL: '',
      OPENAI_MODEL: '',
      RATE_LIMIT_QUESTIONS: '0',
      TELEGRAM_THROTTLE: 'false',
      SUBSCRIPTIONS_FILE: path.join(options.indexDir, '..', 'bench-subscriptions.json'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (data: Buffer) => (errors += data.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const memory = (field: 'VmRSS' | 'VmHWM') => {
    try {
      const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith(`${field}:`));
      return line ? Math.round(Number(line.split(/\s+/)[1]) / 102.4) / 10 : null;
    } catch {
      return null; // not Linux
    }
  };
  try {
    await fake.waitFor((calls) => calls.some((call) => call.method === 'getUpdates'), 120_000).catch(() => {
      throw new Error(`the bot process did not start polling: ${errors.trim().slice(-500)}`);
    });
    const idleRssMb = memory('VmRSS');
    // One Chinese and one English question first, timed on their own: they pay the one-time
    // costs (jieba's dictionary, the IDF table, the bilingual lexicon) that users meet once.
    const warmStarted = Date.now();
    const chinese = options.questions.find((question) => /[\u4e00-\u9fff]/u.test(question)) ?? options.questions[0]!;
    const english = options.questions.find((question) => !/[\u4e00-\u9fff]/u.test(question)) ?? chinese;
    fake.sendText({ chatId: 1, text: chinese });
    fake.sendText({ chatId: 2, text: english });
    await fake.waitFor(() => fake.sentMessages(1).length > 0 && fake.sentMessages(2).length > 0, 600_000);
    const warmUpMs = Date.now() - warmStarted;
    const chats = await askAtOnce(fake, options.questions, options.chats, 600_000);
    return { idleRssMb, warmUpMs, rssMb: memory('VmRSS'), peakRssMb: memory('VmHWM'), ...chats };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await fake.close();
  }
}
