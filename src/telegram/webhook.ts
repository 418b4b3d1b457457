import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { describeError } from '../errors.js';
import type { BotContext } from './context.js';
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
}

const MAX_BODY_BYTES = 1 << 20;

/**
 * Webhook mode on node:http. Each update is acknowledged at once and handled in the background:
 * answers can take longer than Telegram waits, and a late 200 makes Telegram deliver it again.
 * The secret token header is checked in constant time.
 */
export async function startWebhook(bot: Bot<BotContext>, options: WebhookOptions): Promise<RunningBot & { port: number }> {
  await bot.init();
  const expected = Buffer.from(options.secret);
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
    let update: Update;
    try {
      update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update;
    } catch {
      return void response.writeHead(400).end();
    }
    response.writeHead(200).end();
    // bot.catch handles the update's own errors; this only sees a failing error handler.
    void bot.handleUpdate(update).catch((error: unknown) => options.log(`Update ${update.update_id} failed: ${describeError(error)}`));
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
