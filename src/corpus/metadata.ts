import { readFile } from 'node:fs/promises';
import { ArticleFileError } from '../errors.js';

/** What a maintainer may say about an article, in front matter or a sidecar `<name>.meta.json`. */
export interface ArticleMetadata {
  id?: string;
  title?: string;
  date?: string;
  publisher?: string;
  url?: string;
  session?: string;
  /** The members who speak, when the maintainer declares them: they replace extraction. */
  people?: DeclaredMember[];
}

/** A member as a sidecar declares them: `{"name": "…", "organisation": "…", "post": "…", "sector"?: "…"}`. */
export interface DeclaredMember {
  name: string;
  organisation: string;
  post: string;
  sector?: string;
}

const KEYS: Exclude<keyof ArticleMetadata, 'people'>[] = ['id', 'title', 'date', 'publisher', 'url', 'session'];

/**
 * Front matter: a first line `---`, then `key: value` lines, then `---`.
 * Values may be quoted. Unknown keys are ignored.
 */
export function parseFrontMatter(raw: string, file: string): { metadata: ArticleMetadata; body: string } {
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(raw);
  if (!match) return { metadata: {}, body: raw };
  const metadata: ArticleMetadata = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const pair = /^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!pair) throw new ArticleFileError(file, `front matter line "${line}" is not "key: value"; skipped`);
    const key = pair[1]!.toLowerCase() as (typeof KEYS)[number];
    if (KEYS.includes(key)) metadata[key] = unquote(pair[2]!);
  }
  return { metadata: validated(metadata, file), body: raw.slice(match[0].length) };
}

/** The sidecar `NAME.meta.json` at `sidecarPath` (resolved by the loader), for the article `file`. */
export async function readSidecar(sidecarPath: string, file: string): Promise<ArticleMetadata> {
  let text: string;
  try {
    text = await readFile(sidecarPath, 'utf8');
  } catch (error) {
    throw new ArticleFileError(file, `its metadata file ${sidecarPath.split('/').pop()} could not be read; skipped`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ArticleFileError(file, `its metadata file ${sidecarPath.split('/').pop()} is not valid JSON; skipped`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const metadata: ArticleMetadata = {};
  for (const key of KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.trim()) metadata[key] = value.trim();
  }
  const people = (parsed as Record<string, unknown>).people;
  if (people !== undefined) metadata.people = declaredMembers(people, file);
  return validated(metadata, file);
}

function declaredMembers(value: unknown, file: string): DeclaredMember[] {
  const invalid = () => new ArticleFileError(file, 'its metadata "people" must be a list of {"name", "organisation", "post"} with text values; skipped');
  if (!Array.isArray(value)) throw invalid();
  return value.map((entry: unknown) => {
    const record = entry as Record<string, unknown> | null;
    if (!record || typeof record.name !== 'string' || !record.name.trim()) throw invalid();
    const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string).trim() : '');
    return { name: record.name.trim(), organisation: text('organisation'), post: text('post'), ...(text('sector') ? { sector: text('sector') } : {}) };
  });
}

function validated(metadata: ArticleMetadata, file: string): ArticleMetadata {
  if (metadata.date !== undefined) {
    const iso = toIsoDate(metadata.date);
    if (!iso) throw new ArticleFileError(file, `metadata date "${metadata.date}" is not a date like 2026-01-26; skipped`);
    metadata.date = iso;
  }
  return metadata;
}

function unquote(value: string): string {
  return /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** "2026-01-26", "2026/1/26", "2026年1月26日" → "2026-01-26". */
export function toIsoDate(value: string): string | undefined {
  const match = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
