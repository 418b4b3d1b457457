/**
 * An admin adds an article by sending its file to the bot in a private chat: downloaded from
 * Telegram, checked with the same loader as seeds/ (nothing is saved when it fails), saved into
 * seeds/, indexed by the same rebuild as /reindex, and answered with what arrived (title, date,
 * members found) and which subscribed chats received its digest.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Composer, type Api } from 'grammy';
import type { Document } from 'grammy/types';
import { cleanDocument } from '../../corpus/clean.js';
import { ARTICLE_EXTENSIONS, MAX_ARTICLE_BYTES, documentIdFor, loadArticle } from '../../corpus/load.js';
import { removeArticle, safeArticleName, saveArticle, type SavedArticle, type WhenTaken } from '../../corpus/save.js';
import { ArticleFileError, ForumBotError, describeError } from '../../errors.js';
import type { ForumIndex } from '../../index/forum-index.js';
import type { StoredDocument } from '../../index/store.js';
import type { BotContext } from '../context.js';
import { articleName, articleProblem, awaitDigests, digestReport } from '../maintenance-report.js';
import type { Log } from '../redact.js';
import type { RebuildQueue, ReindexOutcome } from '../reindex.js';
import { MAINTENANCE_TEXTS, replyLanguage, type Language } from '../texts.js';
import { replyText } from './answer.js';

export interface UploadSettings {
  adminUserIds: ReadonlySet<number>;
  /** Where uploaded articles are saved; without it (or without rebuilds) uploads are not offered. */
  seedsDir?: string;
  rebuilds?: RebuildQueue;
  index: () => ForumIndex;
  /** The download URL of a file Telegram stores (it holds the bot token: never logged). */
  fileUrl: (filePath: string) => string;
  track: <T>(work: Promise<T>) => Promise<T>;
  log: Log;
}

/** A caption asking to overwrite an article of the same name. */
const REPLACE_CAPTION = /^\s*(replace|替换|覆盖)\s*$/i;
const DOWNLOAD_TIMEOUT_MS = 30_000;

/** Every line of it is page chrome (navigation, share bars, copyright…): indexing it would add nothing to answer from. */
const NOTHING_LEFT = 'nothing is left of it once page chrome is removed';

class TooLarge extends ForumBotError {}

export function uploadFeature(settings: UploadSettings): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType('private').on('message:document', async (ctx) => {
    const language = replyLanguage(ctx.msg.caption, ctx.from.language_code);
    const texts = MAINTENANCE_TEXTS[language];
    if (!settings.adminUserIds.has(ctx.from.id)) return void (await replyText(ctx, texts.uploadNotAdmin));
    const { seedsDir, rebuilds } = settings;
    if (!seedsDir || !rebuilds) return void (await replyText(ctx, texts.uploadUnavailable));

    const document = ctx.msg.document;
    const original = document.file_name ?? '';
    const name = safeArticleName(original);
    if (!name || !ARTICLE_EXTENSIONS.includes(path.extname(name))) {
      return void (await replyText(ctx, texts.uploadWrongType(original || document.mime_type || '?', texts.list(ARTICLE_EXTENSIONS))));
    }
    if ((document.file_size ?? 0) > MAX_ARTICLE_BYTES) return void (await replyText(ctx, texts.uploadTooLarge(MAX_ARTICLE_BYTES / 1048576)));

    settings.log(`Article upload from admin ${ctx.from.id}: ${name} (${document.file_size ?? '?'} bytes).`);
    await replyText(ctx, texts.uploadReceived(original));
    const upload: Upload = { document, name, replace: REPLACE_CAPTION.test(ctx.msg.caption ?? ''), seedsDir, rebuilds, language };
    // In the background, as /reindex: the admin's chat is not held up behind the rebuild.
    void settings.track(
      addArticle(ctx.api, upload, settings)
        .then((report) => replyText(ctx, report))
        .catch((error: unknown) => settings.log(`Could not answer the upload of ${name}: ${describeError(error)}`)),
    );
  });
  return composer;
}

interface Upload {
  document: Document;
  /** The safe file name it is saved under (unless taken). */
  name: string;
  replace: boolean;
  seedsDir: string;
  rebuilds: RebuildQueue;
  language: Language;
}

/** Download, check, save, index; returns the reply. */
async function addArticle(api: Api, upload: Upload, settings: UploadSettings): Promise<string> {
  const texts = MAINTENANCE_TEXTS[upload.language];
  let bytes: Buffer;
  try {
    bytes = await download(api, upload.document.file_id, settings.fileUrl);
  } catch (error) {
    if (error instanceof TooLarge) return texts.uploadTooLarge(MAX_ARTICLE_BYTES / 1048576);
    settings.log(`Could not download the uploaded ${upload.name}: ${describeError(error)}`);
    return texts.uploadDownloadFailed;
  }
  const checked = await checkArticle(bytes, upload.name);
  if ('problem' in checked) {
    settings.log(`Uploaded ${upload.name} refused: ${checked.problem}`);
    return texts.uploadRefused(articleProblem(checked.problem, upload.language));
  }

  return upload.rebuilds.exclusive(async (rebuild) => {
    const id = documentIdFor(upload.name);
    const earlier = settings.index().corpus.documents.get(id);
    // The same report (same title) changed under its own name is most likely a new version of it:
    // replacing it is the admin's call. Another report that only shares the name is saved beside it.
    const whenTaken: WhenTaken = upload.replace ? 'replace' : earlier && earlier.title === checked.title ? 'refuse' : 'rename';
    const saved = await saveArticle(upload.seedsDir, upload.name, bytes, whenTaken);
    if (saved.status === 'taken') return texts.uploadEarlierVersion(articleName(earlier!, upload.language), saved.existing!);
    const savedId = documentIdFor(saved.file);
    const before = settings.index().corpus.documents.get(savedId)?.contentHash;
    settings.log(`Uploaded article ${saved.status === 'renamed' ? `${id} saved as ${saved.file} (${saved.existing} kept)` : `${saved.file}: ${saved.status}`}; indexing.`);
    let outcome: ReindexOutcome;
    try {
      outcome = await rebuild();
    } catch (error) {
      settings.log(`Indexing the uploaded ${saved.file} failed: ${describeError(error)}`);
      return texts.uploadNotIndexed(saved.file, articleProblem(describeError(error), upload.language));
    }
    const skipped = outcome.skipped.find((file) => file.file === saved.file);
    if (skipped && (saved.status === 'new' || saved.status === 'renamed')) {
      await removeArticle(upload.seedsDir, saved.file);
      return texts.uploadRefused(articleProblem(skipped.reason, upload.language));
    }
    const indexed = settings.index().corpus.documents.get(savedId);
    if (!indexed || indexed.file !== saved.file) {
      return texts.uploadNotIndexed(saved.file, skipped ? articleProblem(skipped.reason, upload.language) : '?');
    }
    const arrived = indexed.contentHash !== before;
    const digests = arrived ? digestReport(await awaitDigests(outcome.digests), [savedId], upload.language) : [];
    return [arrivalLine(saved, indexed, arrived, upload.language), membersLine(indexed, upload.language), ...digests].join('\n');
  });
}

/** The loader's own checks (as for seeds/) on a private copy, and that cleaning leaves some text: the article's title, or why not. */
async function checkArticle(bytes: Buffer, name: string): Promise<{ title: string } | { problem: string }> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'forum-upload-'));
  try {
    const file = path.join(folder, name);
    await writeFile(file, bytes);
    const cleaned = cleanDocument(await loadArticle(folder, name));
    return cleaned.text.trim() === '' ? { problem: NOTHING_LEFT } : { title: cleaned.title };
  } catch (error) {
    if (!(error instanceof ArticleFileError)) throw error;
    return { problem: error.message.startsWith(`${name}: `) ? error.message.slice(name.length + 2) : error.message };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** getFile, then the file itself, read up to the article size limit and no further. */
async function download(api: Api, fileId: string, fileUrl: (filePath: string) => string): Promise<Buffer> {
  const file = await api.getFile(fileId);
  if (!file.file_path) throw new ForumBotError('Telegram gave no file path for it');
  if ((file.file_size ?? 0) > MAX_ARTICLE_BYTES) throw new TooLarge('too large');
  const response = await fetch(fileUrl(file.file_path), { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok || !response.body) throw new ForumBotError(`the file download answered HTTP ${response.status}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > MAX_ARTICLE_BYTES) {
      await response.body.cancel().catch(() => undefined);
      throw new TooLarge('too large');
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function arrivalLine(saved: SavedArticle, indexed: StoredDocument, arrived: boolean, language: Language): string {
  const texts = MAINTENANCE_TEXTS[language];
  const article = articleName(indexed, language);
  if (!arrived) return texts.uploadUnchanged(article, saved.file);
  if (saved.status === 'renamed') return `${texts.uploadRenamed(saved.existing!, saved.file)}\n${texts.uploadAdded(article, saved.file)}`;
  if (saved.status === 'replaced') return texts.uploadReplaced(article, saved.file);
  return texts.uploadAdded(article, saved.file);
}

function membersLine(indexed: StoredDocument, language: Language): string {
  const texts = MAINTENANCE_TEXTS[language];
  if (indexed.people.length === 0) return texts.uploadNoMembers;
  const members = indexed.people.map((person) => texts.member(person.name, `${person.affiliation}${person.role}`));
  return texts.uploadMembers(members.length, texts.list(members));
}
