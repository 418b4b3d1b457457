import { limit } from '@grammyjs/ratelimiter';
import { Composer, type MiddlewareFn } from 'grammy';
import { isAddressedToBot, questionFor } from '../addressing.js';
import type { BotContext } from '../context.js';
import { TEXTS, replyLanguage } from '../texts.js';
import { answerQuestion, replyText, type AnswerSettings } from './answer.js';

export interface RateLimitSettings {
  /** Questions per user per window; 0 = unlimited. */
  questions: number;
  windowSeconds: number;
  /** An ioredis client to share the counters; in memory otherwise. */
  redis?: { incr(key: string): Promise<number>; pexpire(key: string, milliseconds: number): Promise<number> };
}

/**
 * Questions: any text in a private chat; in groups a mention, a reply to the bot, or /ask.
 * Everything else in a group passes by untouched (the bot stays silent).
 */
export function questionsFeature(settings: AnswerSettings & { rateLimit: RateLimitSettings }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const limited = rateLimiter(settings.rateLimit);

  composer.command('ask', limited, async (ctx) => {
    const question = ctx.match.trim();
    if (!question) return void (await replyText(ctx, TEXTS[replyLanguage(undefined, ctx.from?.language_code)].emptyQuestion));
    await answerQuestion(ctx, question, settings);
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
      await answerQuestion(ctx, question, settings);
    });

  return composer;
}

/** Per-user limit on questions, with one friendly notice per window rather than silence. */
function rateLimiter(settings: RateLimitSettings): MiddlewareFn<BotContext> {
  if (settings.questions <= 0) return (_ctx, next) => next();
  const middleware = limit<BotContext, NonNullable<RateLimitSettings['redis']>>({
    timeFrame: settings.windowSeconds * 1000,
    limit: settings.questions,
    storageClient: settings.redis ?? 'MEMORY_STORE',
    keyPrefix: 'forum-bot:questions:',
    keyGenerator: (ctx) => ctx.from?.id.toString(),
    onLimitExceeded: async (ctx) => {
      const language = replyLanguage(ctx.msg?.text, ctx.from?.language_code);
      await replyText(ctx, TEXTS[language].rateLimited(settings.windowSeconds));
    },
  });
  return middleware as MiddlewareFn<BotContext>;
}
