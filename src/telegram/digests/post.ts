/**
 * `npm run summary -- --post CHAT_ID`: one digest (or the overview) posted by a maintainer,
 * through the Bot API as the bot does it (HTML split under 4096, plain text when Telegram rejects
 * the formatting, 429 waited out). A manual post: subscriptions and delivery records are untouched.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Api, GrammyError } from 'grammy';
import { ConfigError, ForumBotError } from '../../errors.js';
import { redactToken } from '../redact.js';
import { sendHtml } from '../send.js';

export interface PostOptions {
  token: string;
  /** A self-hosted Bot API server, or a test fake; default api.telegram.org. */
  apiRoot?: string;
  chatId: number | string;
  html: string;
  /** A forum topic to post in. */
  threadId?: number;
}

/** Parses --post's value: a numeric chat id, or @channelusername. */
export function parseChatId(value: string): number | string {
  const text = value.trim();
  if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  if (/^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(text)) return text;
  throw new ConfigError(`--post needs a chat id (e.g. -1001234567890) or a public channel's @username (got "${value}").`);
}

/** Posts and returns the message ids; failures become one sentence saying what to fix, never showing the token. */
export async function postHtml(options: PostOptions): Promise<number[]> {
  const api = new Api(options.token, options.apiRoot ? { apiRoot: options.apiRoot } : undefined);
  api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 120 }));
  const target = { chatId: options.chatId as number, ...(options.threadId !== undefined ? { threadId: options.threadId } : {}) };
  try {
    return await sendHtml(api, target, options.html);
  } catch (error) {
    throw new ForumBotError(redactToken(postProblem(error, options.chatId), options.token));
  }
}

function postProblem(error: unknown, chatId: number | string): string {
  if (error instanceof GrammyError) {
    const said = `Telegram said ${error.error_code}: ${error.description}`;
    if (error.error_code === 401) return `${said}. Check TELEGRAM_BOT_TOKEN.`;
    if (error.error_code === 403) return `Cannot post to ${chatId}: ${said}. The bot was blocked or removed there, or the chat was deleted.`;
    if (error.error_code === 400) return `Cannot post to ${chatId}: ${said}. Check the chat id, and that the bot is a member allowed to post (in a channel: an administrator who can post).`;
    return `Posting to ${chatId} failed: ${said}.`;
  }
  return `Posting to ${chatId} failed: ${error instanceof Error ? error.message : String(error)}`;
}
