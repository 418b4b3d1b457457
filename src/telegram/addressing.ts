import type { Message, MessageEntity } from 'grammy/types';

export interface BotIdentity {
  id: number;
  username: string;
}

/**
 * Whether a group message is meant for the bot: it mentions the bot or replies to one of its
 * messages. In private chats everything is. Channels are never answered.
 */
export function isAddressedToBot(message: Message, me: BotIdentity): boolean {
  if (message.chat.type === 'private') return true;
  if (message.chat.type === 'channel') return false;
  const reply = message.reply_to_message;
  // In forum topics every message "replies" to the topic's creation message; that is not talking to the bot.
  if (reply?.from?.id === me.id && !reply.forum_topic_created) return true;
  return botMentions(message, me).length > 0;
}

/** The question in a text message addressed to the bot (mentions removed); undefined when not addressed. */
export function questionFor(message: Message, me: BotIdentity): string | undefined {
  if (message.text === undefined || !isAddressedToBot(message, me)) return undefined;
  let text = message.text;
  // Remove from the end so earlier offsets stay valid (offsets are UTF-16, like JS strings).
  for (const entity of botMentions(message, me).sort((a, b) => b.offset - a.offset)) {
    text = `${text.slice(0, entity.offset)} ${text.slice(entity.offset + entity.length)}`;
  }
  return text.replace(/^[\s,，:：]+/, '').replace(/\s+/g, ' ').trim();
}

function botMentions(message: Message, me: BotIdentity): MessageEntity[] {
  const text = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities ?? [];
  const handle = `@${me.username}`.toLowerCase();
  return entities.filter(
    (entity) =>
      (entity.type === 'mention' && text.slice(entity.offset, entity.offset + entity.length).toLowerCase() === handle) ||
      (entity.type === 'text_mention' && entity.user.id === me.id),
  );
}

/** The forum topic to answer in; undefined outside forum topics (a thread id elsewhere is rejected). */
export function topicOf(message: Message | undefined): number | undefined {
  return message?.is_topic_message ? message.message_thread_id : undefined;
}
