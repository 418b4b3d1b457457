import { Composer, type MiddlewareFn } from 'grammy';
import type { Message } from 'grammy/types';
import { RedisUnavailableError, type RedisConnection } from '../../redis.js';
import { isAddressedToBot, questionFor, type BotIdentity } from '../addressing.js';
import type { BotContext } from '../context.js';
import { memoryCounter, redisCounter } from '../rate-limit.js';
import { TEXTS, replyLanguage } from '../texts.js';
import { answerQuestion, replyText, type AnswerSettings } from './answer.js';

export interface RateLimitSettings {
  /** Questions per user per window; 0 = unlimited. */
  questions: number;
  windowSeconds: number;
  /** Shares the counters through Redis; in memory otherwise. While Redis is away nobody is limited. */
  redis?: RedisConnection;
}

/**
 * Questions: any text in a private chat; in groups a mention, a reply to the bot, or /ask.
 * Everything else in a group passes by untouched (the bot stays silent). An edited question gets
 * a fresh answer on the same terms (a fixed typo, a reworded question).
 */
export function questionsFeature(settings: AnswerSettings & { rateLimit: RateLimitSettings }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const limited = rateLimiter(settings.rateLimit);
  const answered = new AnsweredQuestions();
  const answer = (ctx: BotContext, question: string) => {
    answered.remember(ctx.msg!, question);
    return answerQuestion(ctx, question, settings);
  };

  composer.command('ask', limited, async (ctx) => {
    const question = ctx.match.trim();
    if (!question) return void (await replyText(ctx, TEXTS[replyLanguage(undefined, ctx.from?.language_code)].emptyQuestion));
    await answer(ctx, question);
  });

  composer.on('message:text', async (ctx, next) => {
    if (!ctx.msg.text.startsWith('/')) return next();
    // Known commands were handled before this composer; say so only when the command was for this bot.
    const forMe = ctx.chat.type === 'private' || ctx.msg.text.split(/\s/, 1)[0]!.toLowerCase().endsWith(`@${ctx.me.username.toLowerCase()}`);
    if (forMe) await replyText(ctx, TEXTS[replyLanguage(undefined, ctx.from?.language_code)].unknownCommand);
  });

  composer
    .on('message:text')
    .filter((ctx) => isAddressedToBot(ctx.msg, ctx.me))
    .use(limited, async (ctx) => {
      const question = questionFor(ctx.msg, ctx.me) ?? '';
      if (!question) return void (await replyText(ctx, TEXTS[replyLanguage(undefined, ctx.from?.language_code)].mentionOnly));
      await answer(ctx, question);
    });

  // Silence for an edit that leaves no question, or the one already answered (Telegram also reports edits that change no text).
  composer
    .on('edited_message:text')
    .filter((ctx) => {
      const question = editedQuestion(ctx.msg, ctx.me);
      return question !== undefined && !answered.has(ctx.msg, question);
    })
    .use(limited, (ctx) => answer(ctx, editedQuestion(ctx.msg, ctx.me)!));

  return composer;
}

/** The question in an edited message: the text in a private chat, in groups only when addressed (mention, reply, /ask). */
function editedQuestion(message: Message, me: BotIdentity): string | undefined {
  const text = message.text ?? '';
  if (text.startsWith('/')) {
    const ask = /^\/ask(?:@(\w+))?(?:\s+([\s\S]*))?$/i.exec(text);
    if (!ask || (ask[1] && ask[1].toLowerCase() !== me.username.toLowerCase())) return undefined;
    return ask[2]?.trim() || undefined;
  }
  return questionFor(message, me) || undefined;
}

/** The question last answered for each recent message, so an edit that changes nothing is not answered twice. */
class AnsweredQuestions {
  private readonly questions = new Map<string, string>();

  constructor(private readonly capacity = 1000) {}

  remember(message: Message, question: string): void {
    const key = `${message.chat.id}:${message.message_id}`;
    this.questions.delete(key);
    this.questions.set(key, question);
    if (this.questions.size > this.capacity) this.questions.delete(this.questions.keys().next().value!);
  }

  has(message: Message, question: string): boolean {
    return this.questions.get(`${message.chat.id}:${message.message_id}`) === question;
  }
}

/**
 * Per-user limit on questions. The first question past the limit gets one notice saying when the
 * user may ask again (the window's real end) and that questions until then are not answered; the
 * rest of that window stays silent, so a flood is not answered with a flood.
 */
function rateLimiter(settings: RateLimitSettings): MiddlewareFn<BotContext> {
  if (settings.questions <= 0) return (_ctx, next) => next();
  const windowMs = settings.windowSeconds * 1000;
  const counter = settings.redis ? redisCounter(settings.redis, windowMs) : memoryCounter(windowMs);
  return async (ctx, next) => {
    const user = ctx.from?.id;
    if (user === undefined) return next();
    let window;
    try {
      window = await counter.hit(String(user));
    } catch (error) {
      // Redis away: answering matters more than limiting (the connection logs the outage once).
      if (error instanceof RedisUnavailableError) return next();
      throw error;
    }
    if (window.count <= settings.questions) return next();
    if (window.count === settings.questions + 1) {
      await replyText(ctx, TEXTS[replyLanguage(ctx.msg?.text, ctx.from?.language_code)].rateLimited(window.resetInMs / 1000));
    }
  };
}
