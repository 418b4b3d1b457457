import { GrammyError, type Api } from 'grammy';
import { describeError } from '../errors.js';
import { previewText } from './format.js';
import type { Log } from './redact.js';
import { editPart, isNotModified, sendHtml, sendPart, type ReplyTarget } from './send.js';
import { splitHtml } from './split.js';

export interface StreamingOptions {
  /** Minimum gap between two edits (Telegram throttles frequent edits). */
  intervalMs: number;
  log?: Log;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Shows a streaming composer's text as it grows by editing one message, at most once per
 * interval and never while a previous edit is in flight, then replaces it with the final
 * (verified, formatted) answer. Without any update it is just a normal reply.
 */
export class StreamingReply {
  private messageId: number | undefined;
  private pending: string | undefined;
  private shown: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** No edit before this time: the interval, or Telegram's retry_after. */
  private notBefore = 0;
  private finished = false;
  private broken = false;

  constructor(
    private readonly api: Api,
    private readonly target: ReplyTarget,
    private readonly options: StreamingOptions,
  ) {}

  /** The composer's text so far; cheap to call often. */
  update(textSoFar: string): void {
    if (this.finished || this.broken || !textSoFar.trim()) return;
    this.pending = previewText(textSoFar);
    this.schedule();
  }

  /** Waits for any edit in flight, then shows the final answer (editing the preview when there is one). */
  async finish(html: string): Promise<void> {
    this.finished = true;
    clearTimeout(this.timer);
    await this.inFlight;
    if (this.messageId === undefined) {
      await sendHtml(this.api, this.target, html);
      return;
    }
    const wait = this.notBefore - Date.now();
    if (wait > 0) await sleep(wait);
    const [first, ...rest] = splitHtml(html);
    try {
      await editPart(this.api, this.target.chatId, this.messageId, first ?? '…');
    } catch (error) {
      // The preview is gone (deleted, too old to edit): the answer still arrives, as a new message.
      this.options.log?.(`Could not edit the streamed answer in chat ${this.target.chatId} (${describeError(error)}); sending it anew.`);
      await sendHtml(this.api, this.target, html);
      return;
    }
    for (const part of rest) await sendPart(this.api, this.target, part, false);
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.finished) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, Math.max(0, this.notBefore - Date.now()));
  }

  private flush(): void {
    const text = this.pending;
    this.pending = undefined;
    if (text === undefined || text === this.shown || this.finished) return;
    this.inFlight = this.show(text).finally(() => {
      this.inFlight = undefined;
      if (this.pending !== undefined) this.schedule();
    });
  }

  private async show(text: string): Promise<void> {
    try {
      if (this.messageId === undefined) {
        const options = {
          ...(this.target.threadId !== undefined ? { message_thread_id: this.target.threadId } : {}),
          ...(this.target.replyTo !== undefined ? { reply_parameters: { message_id: this.target.replyTo, allow_sending_without_reply: true } } : {}),
        };
        this.messageId = (await this.api.sendMessage(this.target.chatId, text, options)).message_id;
      } else {
        await this.api.editMessageText(this.target.chatId, this.messageId, text);
      }
      this.shown = text;
      this.notBefore = Date.now() + this.options.intervalMs;
    } catch (error) {
      if (isNotModified(error)) return;
      const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
      if (retryAfter !== undefined) {
        // Still limited after the retry policy's own waiting (src/telegram/retry.ts): skip this frame, resume when Telegram allows.
        this.notBefore = Date.now() + retryAfter * 1000;
        this.pending ??= text;
        return;
      }
      // A preview is a nicety: stop streaming, the final answer is still sent.
      this.broken = true;
      this.options.log?.(`Streaming preview stopped in chat ${this.target.chatId}: ${describeError(error)}`);
    }
  }
}
