/**
 * The admin's view of a rebuild or an uploaded article, in their language: articles by title and
 * date, files by name, digests by chat; never server paths or index internals.
 */
import { describeError } from '../errors.js';
import type { ArticleRef } from '../index/changes.js';
import { chineseDate } from '../index/context.js';
import type { DigestChat, DigestOutcome, ReindexOutcome, SkippedFile } from './reindex.js';
import { MAINTENANCE_TEXTS, type Language } from './texts.js';

/** Longest wait for the digests after a swap before the admin is answered without them. */
export const DIGEST_REPORT_WAIT_MS = 60_000;

export function articleName(article: Pick<ArticleRef, 'title' | 'date' | 'file'>, language: Language): string {
  const texts = MAINTENANCE_TEXTS[language];
  const date = article.date ? texts.date(language === 'zh' ? chineseDate(article.date) || article.date : article.date) : '';
  return `${texts.title(article.title || article.file)}${date}`;
}

/** The /reindex result: what changed, what could not be indexed, where the digests went. */
export function reindexReport(outcome: ReindexOutcome, digests: DigestOutcome | 'pending' | undefined, language: Language): string {
  const texts = MAINTENANCE_TEXTS[language];
  if (!outcome.changed && outcome.skipped.length === 0) return texts.indexUnchanged(outcome.articles);
  const names = (articles: readonly ArticleRef[]) => texts.list(articles.map((article) => articleName(article, language)));
  const { added, updated, removed } = outcome.changes;
  const lines = [outcome.changed ? texts.indexUpdated(outcome.articles) : texts.indexUnchanged(outcome.articles)];
  if (added.length) lines.push(texts.added + names(added));
  if (updated.length) lines.push(texts.updated + names(updated));
  if (removed.length) lines.push(texts.removed + names(removed));
  if (outcome.skipped.length) lines.push(texts.skipped(outcome.skipped.length) + skippedFiles(outcome.skipped, language));
  const digestLines = digestReport(digests, [...added, ...updated].map((article) => article.id), language);
  return [...lines, ...digestLines].join('\n');
}

function skippedFiles(skipped: readonly SkippedFile[], language: Language): string {
  const texts = MAINTENANCE_TEXTS[language];
  return texts.list(skipped.map((problem) => `${problem.file}${language === 'zh' ? `（${articleProblem(problem.reason, language)}）` : ` (${articleProblem(problem.reason, language)})`}`));
}

/** Which subscribed chats got the digests of these articles, and which did not. */
export function digestReport(digests: DigestOutcome | 'pending' | undefined, articleIds: readonly string[], language: Language): string[] {
  const texts = MAINTENANCE_TEXTS[language];
  if (!digests || articleIds.length === 0) return [];
  if (digests === 'pending') return [texts.digestsStillSending];
  const union = (map: ReadonlyMap<string, DigestChat[]>) => {
    const chats = new Map<number, DigestChat>();
    for (const id of articleIds) for (const chat of map.get(id) ?? []) chats.set(chat.chatId, chat);
    return [...chats.values()];
  };
  const received = union(digests.received);
  const missing = union(digests.missing);
  if (received.length === 0 && missing.length === 0) return [texts.digestsNone];
  const named = (chats: DigestChat[]) => texts.list(chats.map((chat) => chat.title ?? texts.chatWithoutTitle(chat.chatId)));
  return [
    ...(received.length ? [texts.digestsSent(received.length, named(received))] : []),
    ...(missing.length ? [texts.digestsMissing(missing.length, named(missing))] : []),
  ];
}

/** Waits for the digests up to `waitMs`; 'pending' when they take longer. */
export async function awaitDigests(digests: Promise<DigestOutcome> | undefined, waitMs = DIGEST_REPORT_WAIT_MS): Promise<DigestOutcome | 'pending' | undefined> {
  if (!digests) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), waitMs);
    timer.unref();
  });
  try {
    return await Promise.race([digests.catch(() => 'pending' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A rebuild failure in words, in the admin's language. */
export function failureReport(error: unknown, language: Language): string {
  return MAINTENANCE_TEXTS[language].reindexFailed(failureReason(describeError(error), language));
}

/**
 * The loader's and the build's reasons are English sentences for maintainers (src/corpus/load.ts,
 * metadata.ts, ingest-lock.ts). A Chinese reply gets the known ones in Chinese; one not listed here
 * is quoted as it is, marked as the original wording.
 */
const CHINESE_REASONS: readonly [RegExp, (match: RegExpExecArray) => string][] = [
  [/^the file is empty/, () => '文件是空的'],
  [/^the file is ([\d.]+) MiB, more than an article \(limit ([\d.]+) MiB\)/, (m) => `文件有 ${m[1]} MiB，超过单篇报道 ${m[2]} MiB 的上限`],
  [/^the file has no text/, () => '文件里没有正文'],
  [/^one line is (\d+) characters long \(limit (\d+)\)/, (m) => `有一行长达 ${m[1]} 个字符（上限 ${m[2]}），不像是报道`],
  [/^this is a binary file/, () => '这是二进制文件，不是文本'],
  [/^the file is not UTF-8 \(it looks like GBK\/GB18030\)/, () => '文件不是 UTF-8 编码（看起来是 GBK/GB18030），请先转换成 UTF-8（iconv -f GB18030 -t UTF-8）'],
  [/^the file is not valid UTF-8 text/, () => '文件不是有效的 UTF-8 文本'],
  [/^front matter line "(.*)" is not "key: value"/, (m) => `开头元数据的一行“${m[1]}”不是“键: 值”的格式`],
  [/^metadata date "(.*)" is not a date/, (m) => `元数据里的日期“${m[1]}”不是 2026-01-26 这样的日期`],
  [/^its metadata "people" must be a list/, () => '元数据里的 people 必须是 {"name", "organisation", "post"} 的列表'],
  [/^nothing is left of it once page chrome is removed/, () => '去掉导航、分享栏、版权声明等网页内容后没有剩下正文'],
  [/^Another ingest \(process (\d+)\) is updating/, (m) => `另一个索引任务（进程 ${m[1]}）正在更新索引，这次没有做任何改动；请等它完成后再试`],
  [/^No articles could be indexed/, () => '报道文件夹里没有能收录的报道'],
];

/** Why an article file cannot be indexed, as a clause for a reply (no trailing "skipped", no paths). */
export function articleProblem(reason: string, language: Language): string {
  const clause = withoutServerPaths(reason).replace(/;\s*skipped\.?$/, '').replace(/\.$/, '');
  if (language === 'en') return clause;
  for (const [pattern, chinese] of CHINESE_REASONS) {
    const match = pattern.exec(clause);
    if (match) return chinese(match);
  }
  return `（原文）${clause}`;
}

function failureReason(reason: string, language: Language): string {
  const clause = articleProblem(reason, language);
  return language === 'zh' ? `${clause}。` : `${clause}.`;
}

/** An absolute path becomes its last part ("/srv/bot/embeddings/" → "embeddings/"): the admin needs the name, not the server's layout. */
export function withoutServerPaths(text: string): string {
  return text.replace(/(^|[\s(“"'`])(\/[^\s()“”"'`;,]+)/g, (_match, before: string, file: string) => {
    const folder = file.endsWith('/');
    const parts = file.split('/').filter(Boolean);
    return `${before}${parts.at(-1) ?? ''}${folder ? '/' : ''}`;
  });
}
