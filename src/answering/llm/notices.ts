/** The one-line notices shown with an extractive answer given in place of an LLM one, in the question's language. */
import type { LlmFailureKind } from '../../llm/client.js';

const REASONS: Record<LlmFailureKind, { zh: string; en: string }> = {
  unreachable: { zh: '无法连接', en: 'unreachable' },
  timeout: { zh: '响应超时', en: 'timed out' },
  'rate-limited': { zh: '请求过于频繁', en: 'rate limited' },
  'server-error': { zh: '服务出错', en: 'server error' },
  rejected: { zh: '请求被拒绝', en: 'request rejected' },
  malformed: { zh: '回复格式有误', en: 'malformed reply' },
  'cooling-down': { zh: '刚刚出错，稍后再试', en: 'failing recently' },
};

/** What follows a notice: sentences from the articles, or a refusal (then no "extract" is promised). */
export type NoticeFollows = 'extract' | 'refusal';

export function failureNotice(kind: LlmFailureKind, language: 'zh' | 'en', follows: NoticeFollows = 'extract'): string {
  const reason = REASONS[kind][language];
  if (follows === 'refusal') return language === 'zh' ? `大模型暂不可用（${reason}）。` : `The language model is unavailable (${reason}).`;
  return language === 'zh'
    ? `大模型暂不可用（${reason}），以下为报道原文摘录。`
    : `The language model is unavailable (${reason}); showing sentences from the articles instead.`;
}

export function unverifiableNotice(language: 'zh' | 'en', follows: NoticeFollows = 'extract'): string {
  if (follows === 'refusal') return language === 'zh' ? '大模型的回答无法与报道核对。' : "The language model's answer could not be checked against the articles.";
  return language === 'zh'
    ? '大模型的回答无法与报道核对，以下为报道原文摘录。'
    : "The language model's answer could not be checked against the articles; showing sentences from the articles instead.";
}
