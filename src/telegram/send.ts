import { GrammyError, type Api } from 'grammy';
import { htmlToPlain } from './html.js';
import { splitHtml } from './split.js';

/** Where a reply goes: the chat, the forum topic (when the question was in one) and the asking message. */
export interface ReplyTarget {
  chatId: number;
  threadId?: number;
  replyTo?: number;
}

export const isParseError = (error: unknown): boolean =>
  error instanceof GrammyError && error.error_code === 400 && /can't parse entities|unsupported start tag|can't find end/i.test(error.description);

export const isNotModified = (error: unknown): boolean =>
  error instanceof GrammyError && error.error_code === 400 && /message is not modified/i.test(error.description);

function baseParams(target: ReplyTarget, first: boolean) {
  return {
    link_preview_options: { is_disabled: true },
    ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
    // Only the first part replies; allow_sending_without_reply keeps the answer if the question was deleted meanwhile.
    ...(first && target.replyTo !== undefined ? { reply_parameters: { message_id: target.replyTo, allow_sending_without_reply: true } } : {}),
  };
}

/** Sends one part as HTML; a part Telegram cannot parse is re-sent as plain text rather than lost. */
export async function sendPart(api: Api, target: ReplyTarget, html: string, first: boolean): Promise<number> {
  const params = baseParams(target, first);
  try {
    return (await api.sendMessage(target.chatId, html, { ...params, parse_mode: 'HTML' })).message_id;
  } catch (error) {
    if (!isParseError(error)) throw error;
    return (await api.sendMessage(target.chatId, htmlToPlain(html), params)).message_id;
  }
}

/** Splits and sends an HTML reply in order; returns the message ids. */
export async function sendHtml(api: Api, target: ReplyTarget, html: string): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, part] of splitHtml(html).entries()) ids.push(await sendPart(api, target, part, i === 0));
  return ids;
}

/** Replaces a message's text with HTML (plain-text fallback as for sending); "not modified" is success. */
export async function editPart(api: Api, chatId: number, messageId: number, html: string): Promise<void> {
  const options = { link_preview_options: { is_disabled: true } };
  try {
    await api.editMessageText(chatId, messageId, html, { ...options, parse_mode: 'HTML' });
  } catch (error) {
    if (isNotModified(error)) return;
    if (!isParseError(error)) throw error;
    try {
      await api.editMessageText(chatId, messageId, htmlToPlain(html), options);
    } catch (plainError) {
      if (!isNotModified(plainError)) throw plainError;
    }
  }
}
