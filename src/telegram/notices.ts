/**
 * Telling users that their message got no answer, instead of silence: at shutdown ("the bot is
 * restarting, please ask again"), and after an answer that could not be delivered (a 429 storm,
 * a retry_after too long to wait, repeated 5xx, Telegram unreachable), once Telegram accepts
 * messages again.
 */
import { GrammyError, HttpError, type Api, type Context, type Transformer } from 'grammy';
import { describeError } from '../errors.js';
import { isAddressedToBot, topicOf } from './addressing.js';
import { escapeHtml } from './html.js';
import type { Log } from './redact.js';
import { isUncertainDelivery } from './retry.js';
import { sendPart, type ReplyTarget } from './send.js';
import { TEXTS, replyLanguage, type Language } from './texts.js';

/** Whether the user expects a reply to this update: a question or a command to the bot. */
export function expectsReply(ctx: Context): boolean {
  const message = ctx.msg;
  if (!ctx.chat || !message) return false;
  return isAddressedToBot(message, ctx.me) || message.entities?.[0]?.type === 'bot_command';
}

/** A failure of Telegram's side or of the link, after retries: the answer did not (surely) arrive. */
export function isDeliveryFailure(error: unknown): boolean {
  if (error instanceof HttpError) return true;
  return error instanceof GrammyError && (error.error_code === 429 || error.error_code >= 500);
}

const targetOf = (ctx: Context): ReplyTarget => ({ chatId: ctx.chat!.id, threadId: topicOf(ctx.msg), replyTo: ctx.msg?.message_id });
const languageOf = (ctx: Context): Language => replyLanguage(ctx.msg?.text, ctx.from?.language_code);

/** "The bot is restarting, please ask again", to an update shutdown could not answer. */
export async function tellRestarting(ctx: Context): Promise<boolean> {
  if (!expectsReply(ctx)) return false;
  await sendPart(ctx.api, targetOf(ctx), escapeHtml(TEXTS[languageOf(ctx)].restarting), true);
  return true;
}

interface Waiting {
  target: ReplyTarget;
  text: string;
  notBefore: number;
  delayMs: number;
}

export interface NoticeSettings {
  log: Log;
  /** First wait before trying again when the notice itself fails (doubled up to maxRetryMs; a retry_after wins). */
  retryMs?: number;
  maxRetryMs?: number;
  /** At most this many chats are remembered; the oldest is dropped (and logged) beyond. */
  max?: number;
}

/**
 * Users whose answer could not be delivered, each told once (one notice per chat and topic) as
 * soon as a call to Telegram works again and any retry_after has passed. Kept in memory: a
 * shutdown logs the chats still waiting.
 */
export class UndeliveredNotices {
  private readonly waiting = new Map<string, Waiting>();
  private api: Api | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly settings: NoticeSettings) {}

  get size(): number {
    return this.waiting.size;
  }

  /** The API the notices go through (the bot's, with its throttler and retries). */
  attach(api: Api): void {
    this.api = api;
  }

  /** Remembers to tell the user who sent this update that the answer did not (surely) arrive. */
  add(ctx: Context, error: unknown): void {
    if (!ctx.chat || this.stopped) return;
    const target = targetOf(ctx);
    const texts = TEXTS[languageOf(ctx)];
    const question = snippet(ctx.msg?.text ?? '');
    const text = isUncertainDelivery(error) ? texts.answerUncertain(question) : texts.answerLost(question);
    const key = `${target.chatId}:${target.threadId ?? ''}`;
    const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
    const retryMs = this.settings.retryMs ?? 1000;
    this.waiting.delete(key);
    this.waiting.set(key, { target, text, notBefore: Date.now() + (retryAfter !== undefined ? retryAfter * 1000 : retryMs), delayMs: retryMs });
    this.settings.log(`The answer in chat ${target.chatId} could not be delivered (${describeError(error)}); the user is told once Telegram accepts messages again.`);
    const max = this.settings.max ?? 1000;
    if (this.waiting.size > max) {
      const [oldest] = this.waiting.keys();
      this.waiting.delete(oldest!);
      this.settings.log(`More than ${max} chats wait to be told of a lost answer: chat ${oldest} will not be told.`);
    }
    this.schedule();
  }

  /** Installed on the bot's API: a call that works means delivery may work again; try the waiting notices. */
  readonly observe: Transformer = async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (result.ok && this.waiting.size > 0 && !this.sending) this.schedule(0);
    return result;
  };

  /** One last try for the notices that are due, then logs the chats that were not told. */
  async stop(timeoutMs: number): Promise<void> {
    clearTimeout(this.timer);
    await Promise.race([this.sending ?? this.flush(), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.waiting.size) {
      const chats = [...this.waiting.values()].map((waiting) => waiting.target.chatId).join(', ');
      this.settings.log(`Stopping with ${this.waiting.size} user(s) not yet told that their answer was lost (chats ${chats}).`);
    }
  }

  private schedule(atLeastMs?: number): void {
    if (this.stopped || this.waiting.size === 0) return;
    const due = Math.min(...[...this.waiting.values()].map((waiting) => waiting.notBefore));
    const delay = Math.max(atLeastMs ?? 0, due - Date.now(), 0);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delay);
    this.timer.unref();
  }

  private flush(): Promise<void> {
    if (this.sending) return this.sending;
    this.sending = (async () => {
      for (const [key, waiting] of [...this.waiting]) {
        if (!this.api || this.stopped || Date.now() < waiting.notBefore) continue;
        try {
          await sendPart(this.api, waiting.target, escapeHtml(waiting.text), true);
          this.waiting.delete(key);
          this.settings.log(`Told chat ${waiting.target.chatId} that its answer was lost.`);
        } catch (error) {
          // Blocked, or a notice that may itself have arrived: telling again would be worse than not.
          if ((error instanceof GrammyError && error.error_code < 429) || isUncertainDelivery(error)) {
            this.waiting.delete(key);
            continue;
          }
          const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
          waiting.notBefore = Date.now() + (retryAfter !== undefined ? retryAfter * 1000 : waiting.delayMs);
          waiting.delayMs = Math.min(waiting.delayMs * 2, this.settings.maxRetryMs ?? 60_000);
        }
      }
    })().finally(() => {
      this.sending = undefined;
      this.schedule();
    });
    return this.sending;
  }
}

function snippet(text: string): string {
  const characters = [...text.replace(/\s+/g, ' ').trim()];
  return characters.length > 30 ? `${characters.slice(0, 30).join('')}…` : characters.join('');
}
