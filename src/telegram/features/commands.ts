import { Composer } from 'grammy';
import type { BotCommand } from 'grammy/types';
import type { ForumIndex } from '../../index/forum-index.js';
import { helpHtml, sourcesHtml } from '../catalog.js';
import type { BotContext } from '../context.js';
import { escapeHtml } from '../format.js';
import { sendHtml } from '../send.js';
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
    const lang = replyLanguage(args || undefined, ctx.from?.language_code);
    const html = await settings.summarize?.({ index: settings.index(), language: lang, args });
    await sendHtml(ctx.api, replyTarget(ctx), html ?? escapeHtml(TEXTS[lang].summaryComing));
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
    { command: 'summary', description: zh ? '论坛摘要（即将推出）' : 'Forum summaries (coming soon)' },
  ];
  if (admin) menu.push({ command: 'reindex', description: zh ? '重建索引（管理员）' : 'Rebuild the index (admins)' });
  return menu;
}
