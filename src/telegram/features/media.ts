import { Composer } from 'grammy';
import { isAddressedToBot } from '../addressing.js';
import type { BotContext } from '../context.js';
import { TEXTS, replyLanguage } from '../texts.js';
import { replyText } from './answer.js';

/** Stickers, photos, voice and other media: a one-line hint, when the message is for the bot. */
export function mediaFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on(
    ['message:sticker', 'message:photo', 'message:voice', 'message:audio', 'message:video', 'message:video_note', 'message:animation', 'message:document'],
    async (ctx) => {
      if (!isAddressedToBot(ctx.msg, ctx.me)) return;
      await replyText(ctx, TEXTS[replyLanguage(ctx.msg.caption, ctx.from?.language_code)].media);
    },
  );
  return composer;
}
