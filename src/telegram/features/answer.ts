import type { Asker } from '../../answering/ask.js';
import { QuestionError, describeError } from '../../errors.js';
import { topicOf } from '../addressing.js';
import type { BotContext } from '../context.js';
import { escapeHtml, renderAnswer } from '../format.js';
import type { Log } from '../redact.js';
import { sendHtml, type ReplyTarget } from '../send.js';
import { recentHistory, rememberTurn, type HistorySettings } from '../session.js';
import { StreamingReply } from '../stream.js';
import { TEXTS, replyLanguage, type Language } from '../texts.js';
import { keepTyping } from '../typing.js';

export interface AnswerSettings {
  ask: Asker;
  history: HistorySettings;
  maxQuestionChars: number;
  streamEditIntervalMs: number;
  log: Log;
  /** Aborted when shutdown gives up waiting: the composer stops instead of holding the process. */
  signal?: AbortSignal;
}

/** Where to answer a message: same chat, same forum topic, as a reply to it. */
export function replyTarget(ctx: BotContext): ReplyTarget {
  return { chatId: ctx.chat!.id, threadId: topicOf(ctx.msg), replyTo: ctx.msg?.message_id };
}

/** Answers one question: typing…, ask with the chat's recent history (streaming if the composer does), reply, remember. */
export async function answerQuestion(ctx: BotContext, question: string, settings: AnswerSettings): Promise<void> {
  const language = replyLanguage(question, ctx.from?.language_code);
  const target = replyTarget(ctx);
  const stopTyping = keepTyping(ctx.api, target);
  try {
    // Without its history (e.g. Redis down) a question is still answered, just not as a follow-up.
    const session = await Promise.resolve(ctx.session).catch((error: unknown) => {
      settings.log(`Session unavailable in chat ${target.chatId}: ${describeError(error)}`);
      return null;
    });
    const stream = new StreamingReply(ctx.api, target, { intervalMs: settings.streamEditIntervalMs, log: settings.log });
    let trace;
    try {
      trace = await settings.ask(question, {
        history: recentHistory(session ?? undefined, settings.history),
        signal: settings.signal,
        onText: (textSoFar) => stream.update(textSoFar),
      });
    } catch (error) {
      if (!(error instanceof QuestionError)) throw error;
      await stream.finish(escapeHtml(questionProblem(error, question, language, settings.maxQuestionChars)));
      return;
    }
    await stream.finish(renderAnswer(trace, language));
    if (session !== null) ctx.session = rememberTurn(session, { question: trace.question, answer: trace.answer }, settings.history);
  } finally {
    stopTyping();
  }
}

/** QuestionError messages are written for users (in English); the common one is said in Chinese too. */
function questionProblem(error: QuestionError, question: string, language: Language, limit: number): string {
  const length = [...question.replace(/\s+/g, ' ').trim()].length;
  if (language === 'zh' && length > limit) return TEXTS.zh.tooLong(length, limit);
  return error.message;
}

/** A short HTML-escaped reply to the message being handled. */
export function replyText(ctx: BotContext, text: string): Promise<number[]> {
  return sendHtml(ctx.api, replyTarget(ctx), escapeHtml(text));
}
