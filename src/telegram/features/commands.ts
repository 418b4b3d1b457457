import { Composer } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { ForumIndex } from '../../index/forum-index.js';
import { helpHtml, sourcesHtml } from '../catalog.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format.js';
import { sendHtml } from '../send.js';
import { keepTyping } from '../typing.js';
import { TEXTS, replyLanguage, type Language } from '../texts.js';
import { replyTarget } from './answer.js';

/** The /summary hook another feature fills in: Telegram HTML for the request, or undefined for "not yet". */
export type SummaryHook = (request: { index: ForumIndex; language: Language; args: string }) => Promise<string | undefined>;

export interface CommandSettings {
  index: () => ForumIndex;
  summarize?: SummaryHook;
}

/** /start, /help, /sources and /summary. */
export function commandsFeature(settings: CommandSettings): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const language = (ctx: BotContext) => replyLanguage(undefined, ctx.from?.language_code);

  composer.command(['start', 'help'], (ctx) => sendHtml(ctx.api, replyTarget(ctx), helpHtml(settings.index(), language(ctx))));
  composer.command('sources', (ctx) => sendHtml(ctx.api, replyTarget(ctx), sourcesHtml(settings.index(), language(ctx))));
  composer.command('summary', async (ctx) => {
    const args = ctx.match.trim();
    // Chinese arguments ("全部") ask in Chinese; "all" or a date says nothing about the language. Channels read Chinese, as the articles.
    const lang: Language = /\p{Script=Han}/u.test(args) || (!ctx.from && ctx.chat.type === 'channel') ? 'zh' : replyLanguage(undefined, ctx.from?.language_code);
    const target = replyTarget(ctx);
    const stopTyping = keepTyping(ctx.api, target); // an LLM digest takes a while
    try {
      const html = await settings.summarize?.({ index: settings.index(), language: lang, args });
      await sendHtml(ctx.api, target, html ?? escapeHtml(TEXTS[lang].summaryComing));
    } finally {
      stopTyping();
    }
  });
  return composer;
}

/** The command menu (setMyCommands), per language; /reindex only in admins' own chats. */
export function commandMenu(language: Language, admin = false): BotCommand[] {
  const zh = language === 'zh';
  const menu: BotCommand[] = [
    { command: 'ask', description: zh ? '提问（群里用 /ask 问题）' : 'Ask a question (in groups: /ask <question>)' },
    { command: 'help', description: zh ? '我知道什么、怎么问' : 'What I know and how to ask' },
    { command: 'sources', description: zh ? '已收录的报道' : 'The indexed articles' },
    { command: 'summary', description: zh ? '论坛摘要：最新一场，或 all、年份、日期' : 'Forum digest: the latest, or all, a year, a date' },
    { command: 'subscribe', description: zh ? '订阅新论坛的摘要（群和频道限管理员）' : 'Get digests of new forums here (admins in groups/channels)' },
    { command: 'unsubscribe', description: zh ? '取消订阅论坛摘要' : 'Stop forum digests here' },
  ];
  if (admin) menu.push({ command: 'reindex', description: zh ? '重建索引（管理员）' : 'Rebuild the index (admins)' });
  return menu;
}
