import { Composer } from 'grammy';
import { describeError } from '../../errors.js';
import type { ForumIndex } from '../../index/forum-index.js';
import type { Summarizer } from '../../summaries/digest.js';
import { digestHtml } from '../digests/render.js';
import { latestDocumentId } from '../../summaries/summarise.js';
import { baselineOf, type SubscriptionStore } from '../../summaries/subscriptions.js';
import { topicOf } from '../addressing.js';
import type { BotContext } from '../context.js';
import type { Log } from '../redact.js';
import { sendHtml } from '../send.js';
import { replyLanguage, type Language } from '../texts.js';
import { replyText } from './answer.js';

export interface SummariesSettings {
  store: SubscriptionStore;
  index: () => ForumIndex;
  /** Writes the welcome digest posted after /subscribe. */
  summarizer: Summarizer;
  log: Log;
}

const TEXTS = {
  zh: {
    subscribed: '已订阅论坛摘要：今后每收录一篇新的论坛报道，这里都会收到一份带出处的摘要（只发一次）。发送 /unsubscribe 取消。以下是最新一场的摘要：',
    subscribedEmpty: '已订阅论坛摘要：今后每收录一篇新的论坛报道，这里都会收到一份带出处的摘要（只发一次）。发送 /unsubscribe 取消。',
    already: '这里已经订阅了论坛摘要。发送 /unsubscribe 取消。',
    unsubscribed: '已取消订阅论坛摘要。',
    notSubscribed: '这里没有订阅论坛摘要。管理员可以发送 /subscribe 订阅。',
    adminsOnly: '只有本群的管理员可以订阅或取消订阅论坛摘要。',
    cannotCheck: '暂时无法确认你是否为管理员，请稍后再试。',
  },
  en: {
    subscribed: 'Subscribed to forum digests: whenever a new forum article is indexed, this chat gets its cited digest, once. Send /unsubscribe to stop. Here is the latest one:',
    subscribedEmpty: 'Subscribed to forum digests: whenever a new forum article is indexed, this chat gets its cited digest, once. Send /unsubscribe to stop.',
    already: 'This chat is already subscribed to forum digests. Send /unsubscribe to stop.',
    unsubscribed: 'Unsubscribed from forum digests.',
    notSubscribed: 'This chat is not subscribed to forum digests. An admin can send /subscribe.',
    adminsOnly: "Only this chat's administrators can subscribe it to forum digests or unsubscribe it.",
    cannotCheck: 'I could not check whether you are an administrator here; please try again later.',
  },
} as const;

/** Telegram's helper account that sends on behalf of anonymous group admins. */
const GROUP_ANONYMOUS_BOT = 1087968824;

type Permission = 'allowed' | 'refused' | 'unknown';

/**
 * /subscribe and /unsubscribe. Private chats subscribe themselves; in groups only administrators
 * (getChatMember: creator or administrator; an anonymous admin posting as the group counts);
 * in channels the command arrives as a channel post, which only admins can make. A /subscribe in a
 * forum topic sends the digests to that topic. Removing the bot from a chat unsubscribes it.
 */
export function summariesFeature(settings: SummariesSettings): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { store, log } = settings;

  composer.command('subscribe', async (ctx) => {
    const chat = ctx.chat;
    const language = chosenLanguage(ctx);
    const texts = TEXTS[language];
    const permission = await permissionOf(ctx, log);
    if (permission !== 'allowed') return void (await replyText(ctx, permission === 'refused' ? texts.adminsOnly : texts.cannotCheck));

    const existing = await store.get(chat.id);
    if (existing?.active) return void (await replyText(ctx, TEXTS[existing.language].already));
    const index = settings.index();
    const threadId = topicOf(ctx.msg);
    await store.subscribe(
      {
        chatId: chat.id,
        source: chat.type === 'private' ? 'private' : 'command',
        language,
        since: new Date().toISOString(),
        ...(chatTitle(ctx) ? { title: chatTitle(ctx) } : {}),
        ...(ctx.from && ctx.from.id !== GROUP_ANONYMOUS_BOT ? { by: ctx.from.id } : {}),
        ...(threadId !== undefined ? { threadId } : {}),
      },
      baselineOf(index.corpus.documents.values()),
    );
    log(`Summaries: ${chat.type} ${chat.id}${chatTitle(ctx) ? ` (${chatTitle(ctx)})` : ''} subscribed${ctx.from ? ` by user ${ctx.from.id}` : ''}${threadId !== undefined ? `, topic ${threadId}` : ''}.`);

    // The welcome: the latest digest once, so the chat sees what it will get. Past articles are
    // counted as delivered (the baseline above): only articles indexed from now on are pushed.
    const latest = latestDocumentId(index);
    await replyText(ctx, latest ? texts.subscribed : texts.subscribedEmpty);
    if (latest) {
      const digest = await settings.summarizer.digest(index, latest, language);
      await sendHtml(ctx.api, { chatId: chat.id, ...(threadId !== undefined ? { threadId } : {}) }, digestHtml(digest));
    }
  });

  composer.command('unsubscribe', async (ctx) => {
    const known = await store.get(ctx.chat.id);
    const texts = TEXTS[known?.language ?? chosenLanguage(ctx)];
    const permission = await permissionOf(ctx, log);
    if (permission !== 'allowed') return void (await replyText(ctx, permission === 'refused' ? texts.adminsOnly : texts.cannotCheck));
    const ended = await store.end(ctx.chat.id, 'unsubscribed', ctx.from ? `by user ${ctx.from.id}` : undefined);
    if (ended) log(`Summaries: ${ctx.chat.type} ${ctx.chat.id} unsubscribed${ctx.from ? ` by user ${ctx.from.id}` : ''}.`);
    await replyText(ctx, ended ? texts.unsubscribed : texts.notSubscribed);
  });

  // The bot was removed from a group or channel (or a private chat blocked it).
  composer.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status !== 'left' && status !== 'kicked') return;
    if (await store.end(ctx.chat.id, 'removed', `bot ${status}`)) log(`Summaries: the bot was removed from ${ctx.chat.type} ${ctx.chat.id} (${status}); unsubscribed.`);
  });

  return composer;
}

/** "/subscribe en" or "/subscribe zh" chooses; else the sender's Telegram language; channels: Chinese, as the articles. */
function chosenLanguage(ctx: BotContext): Language {
  const argument = (typeof ctx.match === 'string' ? ctx.match : '').trim().toLowerCase();
  if (argument === 'en' || argument === 'english') return 'en';
  if (argument === 'zh' || argument === 'cn' || /\p{Script=Han}/u.test(argument)) return 'zh';
  if (ctx.chat?.type === 'channel' || !ctx.from || ctx.from.id === GROUP_ANONYMOUS_BOT) return 'zh';
  return replyLanguage(undefined, ctx.from.language_code);
}

function chatTitle(ctx: BotContext): string | undefined {
  const chat = ctx.chat;
  if (!chat || chat.type === 'private') return undefined;
  return chat.title ?? (chat as { username?: string }).username;
}

async function permissionOf(ctx: BotContext, log: Log): Promise<Permission> {
  const chat = ctx.chat!;
  if (chat.type === 'private') return 'allowed';
  // Only a channel's admins can post in it; the command is the post itself.
  if (chat.type === 'channel') return ctx.channelPost?.chat.id === chat.id ? 'allowed' : 'refused';
  const message = ctx.message;
  if (!message) return 'refused';
  // An anonymous admin writes as the group itself.
  if (message.sender_chat?.id === chat.id) return 'allowed';
  // A linked channel's post forwarded into its discussion group is not an admin's command.
  if (message.sender_chat || !ctx.from || message.is_automatic_forward) return 'refused';
  try {
    const member = await ctx.api.getChatMember(chat.id, ctx.from.id);
    return member.status === 'creator' || member.status === 'administrator' ? 'allowed' : 'refused';
  } catch (error) {
    log(`Summaries: could not check user ${ctx.from.id}'s status in chat ${chat.id}: ${describeError(error)}`);
    return 'unknown';
  }
}
