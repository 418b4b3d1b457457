import type { Api } from 'grammy';
import type { ReplyTarget } from './send.js';

// Telegram shows a chat action for about 5 s: renew a little before it fades.
const RENEW_MS = 4500;

/** Shows "typing…" until the returned stop() is called. Failures only cost the indicator. */
export function keepTyping(api: Api, target: ReplyTarget): () => void {
  let stopped = false;
  const send = () => {
    if (stopped) return;
    const options = target.threadId !== undefined ? { message_thread_id: target.threadId } : {};
    api.sendChatAction(target.chatId, 'typing', options).catch(() => undefined);
  };
  send();
  const timer = setInterval(send, RENEW_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
