import { describeGuide, type RefusalGuide } from '../answering/refusal-guide.js';
import { escapeHtml } from './html.js';
import type { Language } from './texts.js';

/**
 * After "the articles don't cover this": the forums they do cover that came closest, with who
 * spoke, and the commands that show the rest. A refusal that points somewhere, not a dead end.
 */
export function refusalHelpHtml(guide: RefusalGuide, language: Language): string {
  const [heading, ...forums] = describeGuide(guide, language);
  const commands =
    language === 'zh'
      ? '可以换个问法，或发送 /summary 看论坛摘要、/sources 看全部报道。'
      : 'Try asking another way, or send /summary for the forum digests and /sources for all the articles.';
  return [...(heading ? [`<b>${escapeHtml(heading)}</b>\n${forums.map(escapeHtml).join('\n')}`] : []), escapeHtml(commands)].join('\n\n');
}
