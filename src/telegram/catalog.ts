import { englishName } from '../corpus/name-spellings.js';
import type { ForumIndex } from '../index/forum-index.js';
import type { StoredDocument } from '../index/store.js';
import { escapeHtml, linkedTitle } from './format.js';
import { TEXTS, type Language } from './texts.js';

const MAX_SESSIONS = 15;

/** Newest first; undated last. */
function byDate(documents: Iterable<StoredDocument>): StoredDocument[] {
  return [...documents].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title));
}

/** /start and /help: what the bot knows (sessions and dates, from the index), how to ask, examples. */
export function helpHtml(index: ForumIndex, language: Language): string {
  const texts = TEXTS[language];
  const documents = byDate(index.corpus.documents.values());
  const sessions = new Map<string, Set<string>>();
  for (const document of documents) {
    const name = (document.session ?? document.title).replace(/\s+/g, ' ').trim();
    const dates = sessions.get(name) ?? new Set<string>();
    if (document.date) dates.add(document.date);
    sessions.set(name, dates);
  }
  const sessionLines = [...sessions].slice(0, MAX_SESSIONS).map(([name, dates]) => {
    const when = [...dates].sort().join(', ');
    return `• ${escapeHtml(name)}${when ? (language === 'zh' ? `（${when}）` : ` (${when})`) : ''}`;
  });
  if (sessions.size > MAX_SESSIONS) sessionLines.push(texts.moreSessions(sessions.size - MAX_SESSIONS));

  return [
    escapeHtml(texts.helpIntro),
    `<b>${escapeHtml(texts.helpSessions)}</b>\n${sessionLines.join('\n') || escapeHtml(texts.noDocuments)}`,
    escapeHtml(texts.helpHowTo),
    `<b>${escapeHtml(texts.helpExamples)}</b>\n${examples(documents, language).map((example) => `• ${escapeHtml(example)}`).join('\n')}`,
    escapeHtml(texts.helpCommands),
  ].join('\n\n');
}

/** Example questions the index can answer: speakers it names and the latest session's theme. */
function examples(documents: StoredDocument[], language: Language): string[] {
  const texts = TEXTS[language];
  const people = documents.flatMap((document) => document.people.slice(0, 2).map((person) => person.name));
  // English questions name members in pinyin, as English answers do.
  const result = [...new Set(people)].slice(0, 2).map((name) => texts.exampleWho(language === 'en' ? englishName(name) : name));
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(documents.find((document) => document.date)?.date ?? '');
  if (date) result.push(texts.exampleTheme(`${date[1]}年${Number(date[2])}月${Number(date[3])}日座谈会的主题是什么？`));
  if (result.length === 0) result.push(language === 'zh' ? '委员们提出了哪些建议？' : 'What did the members propose?');
  return result;
}

/** /sources: every indexed article with date, publisher and link. */
export function sourcesHtml(index: ForumIndex, language: Language): string {
  const documents = byDate(index.corpus.documents.values());
  if (documents.length === 0) return escapeHtml(TEXTS[language].noDocuments);
  const lines = documents.map((document, i) => {
    const details = [document.date, document.publisher].filter(Boolean).map((detail) => escapeHtml(detail!));
    return `${i + 1}. ${linkedTitle(document.title, document.url)}${details.length ? ` · ${details.join(' · ')}` : ''}`;
  });
  return `<b>${escapeHtml(TEXTS[language].sourcesTitle(documents.length))}</b>\n${lines.join('\n')}`;
}
