import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bot, BotError } from 'grammy';
import type { Update } from 'grammy/types';
import { describeError } from '../errors.js';
import type { BotContext } from './context.js';
import type { Inflight } from './inflight.js';
import { tellRestarting } from './notices.js';
import type { Log } from './redact.js';
import { ALLOWED_UPDATES, type RunningBot } from './run.js';

export interface WebhookOptions {
  /** The public https URL Telegram posts to. */
  url: string;
  /** The local path to serve (the URL's path, unless a proxy rewrites it). */
  path: string;
  host: string;
  port: number;
  secret: string;
  log: Log;
  /** The bot's in-flight tracker: at shutdown, updates not answered are told to ask again. */
  inflight?: Inflight;
  /** How many recent update ids are remembered to drop Telegram's redeliveries. */
  dedupeWindow?: number;
}

const MAX_BODY_BYTES = 1 << 20;

/**
 * The last `size` update ids seen. Telegram delivers an update again when it did not get the
 * 200 in time (a slow network, a restart between receipt and reply); the same update_id must
 * not be answered twice. Ids arrive roughly in order, so a window of recent ones is enough.
 */
class RecentIds {
  private readonly ids = new Set<number>();

  constructor(private readonly size: number) {}

  /** False when the id was seen already; otherwise remembers it. */
  add(id: number): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.size) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

const isUpdate = (value: unknown): value is Update =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Number.isSafeInteger((value as { update_id?: unknown }).update_id);

/**
 * Webhook mode on node:http. Each update is acknowledged at once and handled in the background:
 * answers can take longer than Telegram waits, and a late 200 makes Telegram deliver it again.
 * The secret token header is checked in constant time.
 */
export async function startWebhook(bot: Bot<BotContext>, options: WebhookOptions): Promise<RunningBot & { port: number }> {
  await bot.init();
  const expected = Buffer.from(options.secret);
  const seen = new RecentIds(options.dedupeWindow ?? 10_000);
  const server = http.createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      options.log(`Webhook request failed: ${describeError(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'POST' || path !== options.path) return void response.writeHead(404).end();
    const given = Buffer.from(String(request.headers['x-telegram-bot-api-secret-token'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void response.writeHead(401).end();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return void response.writeHead(413).end();
      chunks.push(chunk as Buffer);
    }
    let update: unknown;
    try {
      update = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      update = undefined;
    }
    // null, an array, a number or an object without update_id: not an update (and nothing to answer).
    if (!isUpdate(update)) return void response.writeHead(400).end();
    response.writeHead(200).end();
    if (!seen.add(update.update_id)) return void options.log(`Update ${update.update_id} was delivered again by Telegram; already handled, ignored.`);
    const id = update.update_id;
    // handleUpdate rethrows what middleware threw: bot.catch gets it (apology, notice); this only sees a failing error handler.
    const handling = bot
      .handleUpdate(update)
      .catch((error: unknown) => bot.errorHandler(error as BotError<BotContext>))
      .catch((error: unknown) => options.log(`Update ${id} failed: ${describeError(error)}`))
      .finally(() => options.inflight?.finished(id));
    void (options.inflight?.track(handling) ?? handling);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await bot.api.setWebhook(options.url, { secret_token: options.secret, allowed_updates: [...ALLOWED_UPDATES] });
  return {
    mode: 'webhook',
    port: (server.address() as AddressInfo).port,
    failed: new Promise<never>(() => undefined),
    // Every update was acknowledged on arrival: one not answered by now is told to ask again.
    async finish() {
      let told = 0;
      for (const ctx of options.inflight?.unfinished() ?? []) {
        const said = await tellRestarting(ctx).catch((error: unknown) => {
          options.log(`Could not tell chat ${ctx.chat?.id} to ask again: ${describeError(error)}`);
          return false;
        });
        if (said) told++;
      }
      return { kept: 0, told };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        // The webhook stays registered: Telegram keeps updates until the bot is back.
        server.close(() => resolve());
        server.closeIdleConnections();
        // A connection still busy after a second is cut: every update was acknowledged on arrival anyway.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }),
  };
}
