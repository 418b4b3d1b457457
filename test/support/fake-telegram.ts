/**
 * A fake Telegram Bot API server for end-to-end tests of a grammY bot.
 *
 * It is a real node:http server on 127.0.0.1 (random port). Point a bot at it:
 *
 *   const fake = await startFakeTelegram();
 *   const bot = new Bot('123:TEST', { client: { apiRoot: fake.apiRoot } });
 *
 * Incoming updates are queued with pushUpdate()/sendText()/... and handed out
 * through getUpdates (with real long polling). Every API call is recorded in
 * `calls`; messages the bot sends are kept per chat (see sentMessages()).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export interface ApiCall {
  method: string;
  token: string;
  params: Record<string, any>;
  at: number;
}

export interface TelegramErrorSpec {
  error_code: number;
  description: string;
  parameters?: Record<string, any>;
}

export interface BotInfo {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
}

export interface SentMessage {
  chat_id: number;
  message_id: number;
  /** The text as the bot sent it (raw, i.e. still containing HTML tags); the caption for media. Edits applied. */
  text: string;
  /** Parameters of the sending call, merged with those of later edits. */
  params: any;
  /** Visible text after entity parsing (tags stripped, entities decoded). */
  plainText: string;
  /** The API method that created the message (sendMessage, sendPhoto, ...). */
  method: string;
  /** How many times the message was edited. */
  edits: number;
}

export type ChatType = 'private' | 'group' | 'supergroup';

export interface SendTextOptions {
  chatId: number;
  text: string;
  chatType?: ChatType;
  fromId?: number;
  threadId?: number;
  replyTo?: { message_id: number; from?: any; text?: string };
  isTopicMessage?: boolean;
}

export interface SendDocumentOptions {
  chatId: number;
  fromId?: number;
  chatType?: ChatType;
  fileName?: string;
  content: string | Buffer;
  mimeType?: string;
  caption?: string;
  /** The sender's Telegram language (default 'en'). */
  languageCode?: string;
  /** The size the message claims (default: the content's); Telegram reports it before any download. */
  fileSize?: number;
}

export interface FakeTelegram {
  /** http://127.0.0.1:PORT (no trailing slash) */
  apiRoot: string;
  /** Every call, in order of arrival. */
  calls: ApiCall[];
  callsOf(method: string): ApiCall[];
  botInfo: BotInfo;
  /** Queue an incoming update; update_id is assigned automatically. Returns the Update. */
  pushUpdate(update: Record<string, any>): any;
  /** Queue a text message; computes bot_command and mention entities. Returns the Update. */
  sendText(opts: SendTextOptions): any;
  channelPost(opts: { chatId: number; text: string; title?: string }): any;
  sendSticker(opts: { chatId: number; fromId?: number }): any;
  sendPhoto(opts: { chatId: number; fromId?: number; caption?: string }): any;
  /**
   * Queue a message carrying a file (a document) the user sends; its bytes are served to the bot
   * through getFile and the file download URL, as Telegram does.
   */
  sendDocument(opts: SendDocumentOptions): any;
  /** Queue a callback_query update (an inline button press) on a message. */
  callbackQuery(opts: { chatId: number; messageId: number; data: string; fromId?: number }): any;
  /** Script failures for the next `times` (default 1) calls of a method. */
  fail(method: string, error: TelegramErrorSpec, times?: number): void;
  /**
   * Override the result of a method. The return value (may be a promise) is the
   * result; throw a FakeApiError (or any {error_code, description}) to answer
   * with an error. Pass undefined to remove the override.
   */
  handle(method: string, fn: ((params: any, call: ApiCall) => any) | undefined): void;
  /**
   * Faults of the link. stall: the next `times` calls of a method get no response at all (the
   * connection stays open, as behind a hung proxy); a stalled getUpdates hands out no update.
   * loseResponse: the next `times` calls are carried out (a sendMessage is delivered) but the
   * connection is cut before the response is written. Recorded in `calls` like any other.
   */
  stall(method: string, times?: number): void;
  /** The next `times` calls are carried out and answered only after `ms` (a slow Telegram), whether or not the client still waits. */
  delay(method: string, ms: number, times?: number): void;
  /** With hang: the call is carried out and then never answered (the connection stays open). */
  loseResponse(method: string, times?: number, options?: { hang?: boolean }): void;
  /**
   * An outage: the server stops listening (connections are refused, open ones are cut) until
   * comeBack(), or for `ms` when given. Updates queued meanwhile wait for the bot's return.
   */
  goDown(ms?: number): Promise<void>;
  comeBack(): Promise<void>;
  /** The bot's description / short description as set for a language code ('' = the default). */
  botText(kind: 'description' | 'short_description', languageCode?: string): string | undefined;
  /** Resolves when predicate(calls) holds (checked every 10 ms); rejects after timeoutMs (default 5000). */
  waitFor(predicate: (calls: ApiCall[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Messages the bot sent (not deleted), in send order, optionally for one chat; edits applied. */
  sentMessages(chatId?: number): SentMessage[];
  /** Ends pending long polls (they answer []) and shuts the server down. */
  close(): Promise<void>;
}

/** Throw from a handle() callback to answer with an API error. */
export class FakeApiError extends Error {
  readonly error_code: number;
  readonly description: string;
  readonly parameters: Record<string, any> | undefined;
  constructor(error_code: number, description: string, parameters?: Record<string, any>) {
    super(description);
    this.name = 'FakeApiError';
    this.error_code = error_code;
    this.description = description;
    this.parameters = parameters;
  }
}

const badRequest = (description: string) => new FakeApiError(400, `Bad Request: ${description}`);

// ---------------------------------------------------------------------------
// Telegram HTML parsing (validation + entity extraction)
// ---------------------------------------------------------------------------

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

const TAG_ENTITY: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  'tg-emoji': 'custom_emoji',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
}

/**
 * Parses text the way Telegram does for parse_mode "HTML" (a bit stricter:
 * every `&` must start one of &lt; &gt; &amp; &quot; or a numeric entity,
 * which is what the Bot API docs demand). Throws FakeApiError
 * "Bad Request: can't parse entities: ..." on violations.
 */
export function parseTelegramHtml(src: string): { text: string; entities: MessageEntity[] } {
  const fail = (what: string): never => {
    throw badRequest(`can't parse entities: ${what}`);
  };
  const byteOffset = (i: number) => Buffer.byteLength(src.slice(0, i), 'utf8');

  /** Decodes an entity starting at src[i] === '&'; returns [decoded, nextIndex]. */
  const entityRe = /&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z][a-zA-Z0-9]*));/y;
  const decodeEntityAt = (i: number): [string, number] => {
    entityRe.lastIndex = i;
    const m = entityRe.exec(src);
    if (!m) {
      return fail(`Character '&' is reserved and must be escaped as "&amp;" (byte offset ${byteOffset(i)})`);
    }
    if (m[3] !== undefined) {
      const named = NAMED_ENTITIES[m[3]];
      if (named === undefined) {
        return fail(
          `Unsupported HTML entity "${m[0]}" at byte offset ${byteOffset(i)}; only &lt; &gt; &amp; &quot; and numeric entities are supported`,
        );
      }
      return [named, i + m[0].length];
    }
    const cp = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] ?? '', 16);
    if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) {
      return fail(`Invalid numeric HTML entity "${m[0]}" at byte offset ${byteOffset(i)}`);
    }
    return [String.fromCodePoint(cp), i + m[0].length];
  };

  const decodeAttr = (raw: string, base: number): string => {
    let out = '';
    for (let k = 0; k < raw.length; ) {
      if (raw[k] === '&') {
        const [dec, next] = decodeEntityAt(base + k);
        out += dec;
        k = next - base;
      } else {
        out += raw[k];
        k++;
      }
    }
    return out;
  };

  interface Open {
    tag: string;
    start: number; // UTF-16 offset in output
    attrs: Record<string, string>;
    language?: string;
  }
  const stack: Open[] = [];
  const entities: MessageEntity[] = [];
  let out = '';
  let i = 0;
  const n = src.length;
  const nameRe = /[a-zA-Z0-9-]*/y;
  const attrNameRe = /[a-zA-Z0-9_-]*/y;

  while (i < n) {
    const c = src[i];
    if (c === '&') {
      const [dec, next] = decodeEntityAt(i);
      out += dec;
      i = next;
      continue;
    }
    if (c !== '<') {
      out += c;
      i++;
      continue;
    }
    const tagBegin = i;
    if (src[i + 1] === '/') {
      // end tag
      nameRe.lastIndex = i + 2;
      const name = (nameRe.exec(src)?.[0] ?? '').toLowerCase();
      let j = i + 2 + name.length;
      while (isSpace(src[j])) j++;
      if (src[j] !== '>') fail(`Unclosed end tag at byte offset ${byteOffset(tagBegin)}`);
      const open = stack.pop();
      if (!open) fail(`Unexpected end tag at byte offset ${byteOffset(tagBegin)}`);
      if (open!.tag !== name) {
        fail(`Unmatched end tag at byte offset ${byteOffset(tagBegin)}, expected "</${open!.tag}>", found "</${name}>"`);
      }
      closeEntity(open!);
      i = j + 1;
      continue;
    }
    // start tag
    nameRe.lastIndex = i + 1;
    const name = (nameRe.exec(src)?.[0] ?? '').toLowerCase();
    if (name === '' || TAG_ENTITY[name] === undefined) {
      fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(tagBegin)}`);
    }
    let j = i + 1 + name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      while (isSpace(src[j])) j++;
      if (j >= n) fail(`Unclosed start tag at byte offset ${byteOffset(tagBegin)}`);
      if (src[j] === '>') {
        j++;
        break;
      }
      if (src[j] === '/' && src[j + 1] === '>') {
        fail(`Unsupported self-closing tag "${name}" at byte offset ${byteOffset(tagBegin)}`);
      }
      attrNameRe.lastIndex = j;
      const attrName = (attrNameRe.exec(src)?.[0] ?? '').toLowerCase();
      if (attrName === '') fail(`Empty attribute name in the tag "${name}" at byte offset ${byteOffset(tagBegin)}`);
      j += attrName.length;
      while (isSpace(src[j])) j++;
      let value = '';
      if (src[j] === '=') {
        j++;
        while (isSpace(src[j])) j++;
        const q = src[j];
        if (q === '"' || q === "'") {
          const end = src.indexOf(q, j + 1);
          if (end < 0) fail(`Unclosed start tag at byte offset ${byteOffset(tagBegin)}`);
          value = decodeAttr(src.slice(j + 1, end), j + 1);
          j = end + 1;
        } else {
          const startVal = j;
          while (j < n && !isSpace(src[j]) && src[j] !== '>') j++;
          value = decodeAttr(src.slice(startVal, j), startVal);
        }
      }
      attrs[attrName] = value;
    }
    if (name === 'span' && attrs['class'] !== 'tg-spoiler') {
      fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(tagBegin)}`);
    }
    if (name === 'tg-emoji' && !attrs['emoji-id']) {
      fail(`Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${byteOffset(tagBegin)}`);
    }
    stack.push({ tag: name, start: out.length, attrs });
    i = j;
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);

  function closeEntity(open: Open): void {
    const length = out.length - open.start;
    const parent = stack[stack.length - 1];
    // <pre><code class="language-x">...</code></pre> → a single pre entity with a language
    if (open.tag === 'code' && parent?.tag === 'pre' && open.attrs['class']?.startsWith('language-')) {
      parent.language = open.attrs['class'].slice('language-'.length);
      return;
    }
    if (length === 0) return;
    let type = TAG_ENTITY[open.tag] ?? 'unknown';
    const entity: MessageEntity = { type, offset: open.start, length };
    if (open.tag === 'a') {
      const href = open.attrs['href'];
      if (!href) return; // Telegram silently drops links without a URL
      entity.url = href;
    } else if (open.tag === 'blockquote' && 'expandable' in open.attrs) {
      type = 'expandable_blockquote';
      entity.type = type;
    } else if (open.tag === 'pre' && open.language) {
      entity.language = open.language;
    } else if (open.tag === 'tg-emoji') {
      entity.custom_emoji_id = open.attrs['emoji-id'];
    }
    entities.push(entity);
  }

  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

interface Formatted {
  raw: string;
  text: string;
  entities: MessageEntity[] | undefined;
}

/** Validates a text/caption the way Telegram does (HTML parse, emptiness, length). */
function formatText(
  raw: unknown,
  parseMode: unknown,
  entities: unknown,
  opts: { limit: number; tooLong: string; allowEmpty: boolean; emptyMessage: string },
): Formatted {
  const rawText = raw === undefined || raw === null ? '' : String(raw);
  let text = rawText;
  let ents: MessageEntity[] | undefined = Array.isArray(entities) ? (entities as MessageEntity[]) : undefined;
  const mode = typeof parseMode === 'string' ? parseMode.toLowerCase() : '';
  if (mode === 'html') {
    const parsed = parseTelegramHtml(rawText);
    text = parsed.text;
    ents = parsed.entities.length ? parsed.entities : undefined;
  } else if (mode === 'markdownv2' || mode === 'markdown') {
    // Not validated; approximate the visible text by dropping escapes.
    text = rawText.replace(/\\([\s\S])/g, '$1');
  }
  if (!opts.allowEmpty && text.trim() === '') throw badRequest(opts.emptyMessage);
  if (text.length > opts.limit) throw badRequest(opts.tooLong);
  return { raw: rawText, text, entities: ents };
}

const TEXT_LIMITS = { limit: 4096, tooLong: 'message is too long', allowEmpty: false, emptyMessage: 'message text is empty' };
const CAPTION_LIMITS = { limit: 1024, tooLong: 'message caption is too long', allowEmpty: true, emptyMessage: '' };

// ---------------------------------------------------------------------------
// Request body parsing
// ---------------------------------------------------------------------------

const NUMERIC_KEYS = new Set([
  'chat_id',
  'from_chat_id',
  'message_id',
  'message_thread_id',
  'reply_to_message_id',
  'offset',
  'limit',
  'timeout',
  'user_id',
  'draft_id',
  'cache_time',
  'until_date',
]);
const TEXTUAL_KEYS = new Set(['text', 'caption', 'title', 'description', 'short_description', 'name', 'data', 'query', 'url']);

function coerceFormValue(key: string, value: string): unknown {
  if (NUMERIC_KEYS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (TEXTUAL_KEYS.has(key)) return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function parseMultipart(body: Buffer, boundary: string): Record<string, any> {
  const params: Record<string, any> = {};
  const files: Record<string, { filename: string; size: number; content_type: string }> = {};
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    let start = pos + delim.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing "--"
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers);
      const contentType = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
      if (name !== undefined) {
        if (filename) {
          files[name] = { filename: (filename[1] ?? filename[2] ?? '').trim(), size: content.length, content_type: contentType };
        } else {
          params[name] = coerceFormValue(name, content.toString('utf8'));
        }
      }
    }
    pos = next;
  }
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string' && v.startsWith('attach://')) {
      const file = files[v.slice('attach://'.length)];
      if (file) params[k] = file;
    }
  }
  return params;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseParams(req: http.IncomingMessage, url: URL, body: Buffer): Record<string, any> {
  const params: Record<string, any> = {};
  for (const [k, v] of url.searchParams) params[k] = coerceFormValue(k, v);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return params;
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON request body");
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
  } else if (type.includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = coerceFormValue(k, v);
  } else if (type.includes('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    const b = boundary?.[1] ?? boundary?.[2];
    if (b) Object.assign(params, parseMultipart(body, b.trim()));
  }
  return params;
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

interface StoredMessage {
  message: any; // the Message object as Telegram would return it
  outgoing: boolean;
  deleted: boolean;
  sent?: SentMessage;
}

const DEFAULT_GROUP_USER_ID = 10001;
const MEDIA_METHODS: Record<string, string> = {
  sendphoto: 'photo',
  senddocument: 'document',
  sendvideo: 'video',
  sendaudio: 'audio',
  sendvoice: 'voice',
  sendanimation: 'animation',
  sendsticker: 'sticker',
  sendvideonote: 'video_note',
  sendlocation: 'location',
  sendvenue: 'venue',
  sendcontact: 'contact',
  senddice: 'dice',
  sendpoll: 'poll',
};

export async function startFakeTelegram(options: { username?: string } = {}): Promise<FakeTelegram> {
  const botInfo: BotInfo = {
    id: 7000000001,
    is_bot: true,
    first_name: 'Test Bot',
    username: options.username ?? 'test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
  const botUser = () => ({ id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username });

  const calls: ApiCall[] = [];
  const updates: any[] = [];
  let nextUpdateId = 1;
  const failures = new Map<string, Array<{ error: TelegramErrorSpec; remaining: number }>>();
  const handlers = new Map<string, (params: any, call: ApiCall) => any>();
  const waiters = new Set<() => void>();
  const chats = new Map<string, any>();
  const messages = new Map<string, Map<number, StoredMessage>>();
  const lastMessageId = new Map<string, number>();
  const outgoing: SentMessage[] = [];
  const commands = new Map<string, any[]>();
  const botTexts = new Map<string, string>(); // description / short_description / name
  const inflight = new Set<Promise<void>>();
  let closed = false;
  const stalls = new Map<string, number>();
  const losses = new Map<string, number>();
  const hangs = new Map<string, number>();
  const delays = new Map<string, { ms: number; remaining: number }>();
  const stalled = new Set<http.ServerResponse>();
  let down = false;
  let downTimer: NodeJS.Timeout | undefined;
  const takeFault = (faults: Map<string, number>, method: string): boolean => {
    const left = faults.get(method) ?? 0;
    if (left <= 0) return false;
    faults.set(method, left - 1);
    return true;
  };

  const now = () => Math.floor(Date.now() / 1000);
  const chatKey = (chatId: unknown) => String(chatId);

  const userFor = (id: number) => ({
    id,
    is_bot: false,
    first_name: 'Test',
    last_name: `User${id}`,
    username: `user${id}`,
    language_code: 'en',
  });

  function chatFor(chatId: number | string, type?: ChatType | 'channel', title?: string): any {
    const key = chatKey(chatId);
    const known = chats.get(key);
    if (known && (type === undefined || known.type === type) && title === undefined) return known;
    let chat: any;
    const resolvedType =
      type ??
      (typeof chatId === 'string'
        ? 'channel'
        : chatId > 0
          ? 'private'
          : chatId <= -1000000000000
            ? 'supergroup'
            : 'group');
    if (resolvedType === 'private') {
      const u = userFor(Number(chatId));
      chat = { id: chatId, type: 'private', first_name: u.first_name, last_name: u.last_name, username: u.username };
    } else if (resolvedType === 'channel') {
      chat =
        typeof chatId === 'string'
          ? { id: -1001000000001, type: 'channel', title: title ?? 'Test Channel', username: chatId.replace(/^@/, '') }
          : { id: chatId, type: 'channel', title: title ?? 'Test Channel' };
    } else {
      chat = { id: chatId, type: resolvedType, title: title ?? (resolvedType === 'group' ? 'Test Group' : 'Test Supergroup') };
    }
    if (known?.is_forum) chat.is_forum = true;
    chats.set(key, chat);
    return chat;
  }

  function allocMessageId(chatId: unknown): number {
    const key = chatKey(chatId);
    const id = (lastMessageId.get(key) ?? 0) + 1;
    lastMessageId.set(key, id);
    return id;
  }

  function storeMessage(message: any, isOutgoing: boolean): StoredMessage {
    const key = chatKey(message.chat?.id);
    let perChat = messages.get(key);
    if (!perChat) messages.set(key, (perChat = new Map()));
    const stored: StoredMessage = { message, outgoing: isOutgoing, deleted: false };
    perChat.set(message.message_id, stored);
    if (typeof message.message_id === 'number' && message.message_id > (lastMessageId.get(key) ?? 0)) {
      lastMessageId.set(key, message.message_id);
    }
    return stored;
  }

  function findMessage(chatId: unknown, messageId: unknown): StoredMessage | undefined {
    const s = messages.get(chatKey(chatId))?.get(Number(messageId));
    return s && !s.deleted ? s : undefined;
  }

  /** A one-level copy of a message for use as reply_to_message (Telegram doesn't nest further). */
  function replyStub(m: any): any {
    const { reply_to_message: _ignored, ...rest } = m;
    return rest;
  }

  function wakeWaiters(): void {
    for (const w of [...waiters]) w();
  }

  // ---- incoming updates ---------------------------------------------------

  function pushUpdate(update: Record<string, any>): any {
    const u: any = { ...update };
    if (typeof u.update_id === 'number') {
      nextUpdateId = Math.max(nextUpdateId, u.update_id + 1);
    } else {
      u.update_id = nextUpdateId++;
    }
    for (const kind of ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_message']) {
      const m = u[kind];
      if (m && typeof m === 'object' && m.chat && m.message_id !== undefined) {
        if (!chats.has(chatKey(m.chat.id))) chats.set(chatKey(m.chat.id), m.chat);
        if (!kind.startsWith('edited')) storeMessage(m, false);
        else {
          const s = findMessage(m.chat.id, m.message_id);
          if (s) s.message = m;
        }
      }
    }
    updates.push(u);
    wakeWaiters();
    return u;
  }

  function computeEntities(text: string): MessageEntity[] {
    const entities: MessageEntity[] = [];
    const cmdRe = /(?<![\w/@])\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/@])/g;
    for (const m of text.matchAll(cmdRe)) {
      entities.push({ type: 'bot_command', offset: m.index ?? 0, length: m[0].length });
    }
    const mentionRe = /(?<![\w/@])@[a-zA-Z0-9_]{4,32}(?![\w@])/g;
    for (const m of text.matchAll(mentionRe)) {
      entities.push({ type: 'mention', offset: m.index ?? 0, length: m[0].length });
    }
    return entities.sort((a, b) => a.offset - b.offset);
  }

  function baseIncoming(chatId: number, chatType: ChatType | undefined, fromId: number | undefined): any {
    const chat = chatFor(chatId, chatType);
    const from = userFor(fromId ?? (chat.type === 'private' ? chatId : DEFAULT_GROUP_USER_ID));
    return { message_id: allocMessageId(chatId), from, chat, date: now() };
  }

  function sendText(opts: SendTextOptions): any {
    if (opts.threadId !== undefined) {
      // the thread's first message (e.g. the topic-creation service message) precedes this one
      const key = chatKey(opts.chatId);
      lastMessageId.set(key, Math.max(lastMessageId.get(key) ?? 0, opts.threadId));
    }
    const msg = baseIncoming(opts.chatId, opts.chatType, opts.fromId);
    if (opts.isTopicMessage) {
      msg.chat = { ...msg.chat, is_forum: true };
      chats.set(chatKey(opts.chatId), msg.chat);
    }
    if (opts.threadId !== undefined) msg.message_thread_id = opts.threadId;
    if (opts.isTopicMessage) msg.is_topic_message = true;
    if (opts.replyTo) {
      const known = findMessage(opts.chatId, opts.replyTo.message_id);
      const base = known
        ? replyStub(known.message)
        : { message_id: opts.replyTo.message_id, from: userFor(DEFAULT_GROUP_USER_ID), chat: msg.chat, date: now() };
      const stub: any = { ...base };
      if (opts.replyTo.from !== undefined) stub.from = opts.replyTo.from;
      if (opts.replyTo.text !== undefined) stub.text = opts.replyTo.text;
      msg.reply_to_message = stub;
    } else if (opts.isTopicMessage && opts.threadId !== undefined) {
      // What Telegram does: a plain message in a forum topic "replies" to the topic's service message.
      msg.reply_to_message = {
        message_id: opts.threadId,
        from: userFor(DEFAULT_GROUP_USER_ID),
        chat: msg.chat,
        date: now(),
        message_thread_id: opts.threadId,
        forum_topic_created: { name: 'Test Topic', icon_color: 7322096 },
        is_topic_message: true,
      };
    }
    msg.text = opts.text;
    const entities = computeEntities(opts.text);
    if (entities.length) msg.entities = entities;
    return pushUpdate({ message: msg });
  }

  function channelPost(opts: { chatId: number; text: string; title?: string }): any {
    const chat = chatFor(opts.chatId, 'channel', opts.title);
    const post: any = {
      message_id: allocMessageId(opts.chatId),
      sender_chat: chat,
      chat,
      date: now(),
      text: opts.text,
    };
    const entities = computeEntities(opts.text);
    if (entities.length) post.entities = entities;
    return pushUpdate({ channel_post: post });
  }

  let fileCounter = 0;
  const fileIds = () => {
    fileCounter++;
    return { file_id: `FAKEFILE${fileCounter}AgAD`, file_unique_id: `FAKEUNIQ${fileCounter}` };
  };
  const photoSizes = () => [
    { ...fileIds(), width: 90, height: 60, file_size: 1200 },
    { ...fileIds(), width: 320, height: 213, file_size: 15000 },
    { ...fileIds(), width: 1280, height: 853, file_size: 120000 },
  ];
  const stickerObj = () => ({
    ...fileIds(),
    type: 'regular',
    width: 512,
    height: 512,
    is_animated: false,
    is_video: false,
    emoji: '👍',
    set_name: 'TestStickers',
    file_size: 20000,
  });

  function sendSticker(opts: { chatId: number; fromId?: number }): any {
    const msg = baseIncoming(opts.chatId, undefined, opts.fromId);
    msg.sticker = stickerObj();
    return pushUpdate({ message: msg });
  }

  function sendPhoto(opts: { chatId: number; fromId?: number; caption?: string }): any {
    const msg = baseIncoming(opts.chatId, undefined, opts.fromId);
    msg.photo = photoSizes();
    if (opts.caption !== undefined) {
      msg.caption = opts.caption;
      const entities = computeEntities(opts.caption);
      if (entities.length) msg.caption_entities = entities;
    }
    return pushUpdate({ message: msg });
  }

  // ---- files users send: getFile + /file/bot<token>/<file_path> ----------------

  const servedFiles = new Map<string, { path: string; content: Buffer }>(); // by file_id
  const servedPaths = new Map<string, Buffer>(); // by file_path

  function sendDocument(opts: SendDocumentOptions): any {
    const msg = baseIncoming(opts.chatId, opts.chatType, opts.fromId);
    if (opts.languageCode !== undefined) msg.from = { ...msg.from, language_code: opts.languageCode };
    const content = Buffer.isBuffer(opts.content) ? opts.content : Buffer.from(opts.content, 'utf8');
    const ids = fileIds();
    const extension = /\.[A-Za-z0-9]{1,8}$/.exec(opts.fileName ?? '')?.[0] ?? '';
    const filePath = `documents/file_${fileCounter}${extension}`;
    servedFiles.set(ids.file_id, { path: filePath, content });
    servedPaths.set(filePath, content);
    msg.document = {
      ...ids,
      ...(opts.fileName !== undefined ? { file_name: opts.fileName } : {}),
      mime_type: opts.mimeType ?? 'text/plain',
      file_size: opts.fileSize ?? content.length,
    };
    if (opts.caption !== undefined) msg.caption = opts.caption;
    return pushUpdate({ message: msg });
  }

  /** getFile for a file a test sent; undefined for other ids (the generic answer below). */
  function servedFile(fileId: unknown): any {
    const file = servedFiles.get(String(fileId));
    if (!file) return undefined;
    return { file_id: String(fileId), file_unique_id: `U${String(fileId).slice(0, 16)}`, file_size: file.content.length, file_path: file.path };
  }

  let callbackCounter = 0;
  function callbackQuery(opts: { chatId: number; messageId: number; data: string; fromId?: number }): any {
    const chat = chatFor(opts.chatId);
    const from = userFor(opts.fromId ?? (chat.type === 'private' ? opts.chatId : DEFAULT_GROUP_USER_ID));
    const known = findMessage(opts.chatId, opts.messageId);
    const message = known?.message ?? { message_id: opts.messageId, from: botUser(), chat, date: now(), text: '' };
    return pushUpdate({
      callback_query: {
        id: `${Date.now()}${++callbackCounter}`,
        from,
        message,
        chat_instance: `-${Math.abs(opts.chatId)}`,
        data: opts.data,
      },
    });
  }

  // ---- getUpdates -----------------------------------------------------------

  function takeUpdates(offset: number, limit: number): any[] {
    if (offset > 0) {
      while (updates.length && updates[0].update_id < offset) updates.shift();
    } else if (offset < 0) {
      const keep = -offset;
      if (updates.length > keep) updates.splice(0, updates.length - keep);
    }
    return updates.slice(0, limit);
  }

  async function getUpdates(params: Record<string, any>, res: http.ServerResponse): Promise<any[]> {
    const offset = Number(params['offset'] ?? 0) || 0;
    const limit = Math.min(100, Math.max(1, Number(params['limit'] ?? 100) || 100));
    const timeoutSec = Math.max(0, Number(params['timeout'] ?? 0) || 0);
    const deadline = Date.now() + timeoutSec * 1000;
    let aborted = false;
    const onClose = () => {
      if (!res.writableEnded) {
        aborted = true;
        wakeWaiters();
      }
    };
    res.on('close', onClose);
    try {
      for (;;) {
        const batch = takeUpdates(offset, limit);
        const remaining = deadline - Date.now();
        if (batch.length || closed || aborted || remaining <= 0) return batch;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, remaining);
          waiters.add(done);
        });
      }
    } finally {
      res.off('close', onClose);
    }
  }

  // ---- outgoing messages ------------------------------------------------------

  function resolveReply(chatId: unknown, params: Record<string, any>): any | undefined {
    const rp = params['reply_parameters'] ?? (params['reply_to_message_id'] !== undefined ? { message_id: params['reply_to_message_id'] } : undefined);
    if (!rp || rp.message_id === undefined) return undefined;
    const targetChat = rp.chat_id ?? chatId;
    const known = findMessage(targetChat, rp.message_id);
    if (!known) {
      if (rp.allow_sending_without_reply || params['allow_sending_without_reply']) return undefined;
      throw badRequest('message to be replied not found');
    }
    return replyStub(known.message);
  }

  function newOutgoing(method: string, params: Record<string, any>, fill: (m: any) => void, formatted: Formatted): any {
    const chatId = params['chat_id'];
    if (chatId === undefined || chatId === null || chatId === '') throw badRequest('chat_id is empty');
    const chat = chatFor(chatId);
    const reply = resolveReply(chatId, params);
    const message: any = { message_id: allocMessageId(chatId) };
    if (chat.type === 'channel') message.sender_chat = chat;
    else message.from = botUser();
    message.chat = chat;
    message.date = now();
    if (params['message_thread_id'] !== undefined) {
      message.message_thread_id = params['message_thread_id'];
      if (chat.is_forum) message.is_topic_message = true;
    }
    if (reply) message.reply_to_message = reply;
    fill(message);
    if (params['reply_markup']?.inline_keyboard) message.reply_markup = params['reply_markup'];
    const stored = storeMessage(message, true);
    const sent: SentMessage = {
      chat_id: chatId,
      message_id: message.message_id,
      text: formatted.raw,
      params: { ...params },
      plainText: formatted.text,
      method,
      edits: 0,
    };
    stored.sent = sent;
    outgoing.push(sent);
    return message;
  }

  function sendMessage(method: string, params: Record<string, any>): any {
    const formatted = formatText(params['text'], params['parse_mode'], params['entities'], TEXT_LIMITS);
    return newOutgoing(method, params, (m) => {
      m.text = formatted.text;
      if (formatted.entities) m.entities = formatted.entities;
      if (params['link_preview_options']) m.link_preview_options = params['link_preview_options'];
    }, formatted);
  }

  function sendMedia(method: string, kind: string, params: Record<string, any>): any {
    const formatted = formatText(params['caption'], params['parse_mode'], params['caption_entities'], CAPTION_LIMITS);
    return newOutgoing(method, params, (m) => {
      switch (kind) {
        case 'photo':
          m.photo = photoSizes();
          break;
        case 'sticker':
          m.sticker = stickerObj();
          break;
        case 'location':
          m.location = { latitude: params['latitude'], longitude: params['longitude'] };
          break;
        case 'dice':
          m.dice = { emoji: params['emoji'] ?? '🎲', value: 1 };
          break;
        case 'contact':
          m.contact = { phone_number: params['phone_number'], first_name: params['first_name'] };
          break;
        case 'venue':
          m.venue = { location: { latitude: params['latitude'], longitude: params['longitude'] }, title: params['title'], address: params['address'] };
          break;
        case 'poll':
          m.poll = { id: String(Date.now()), question: params['question'], options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false };
          break;
        default:
          m[kind] = { ...fileIds(), file_name: typeof params[kind]?.filename === 'string' ? params[kind].filename : undefined, file_size: 1000 };
      }
      if (formatted.raw !== '') {
        m.caption = formatted.text;
        if (formatted.entities) m.caption_entities = formatted.entities;
      }
    }, formatted);
  }

  function editTarget(params: Record<string, any>): StoredMessage {
    const s = findMessage(params['chat_id'], params['message_id']);
    if (!s) throw badRequest('message to edit not found');
    if (!s.outgoing) throw badRequest("message can't be edited");
    return s;
  }

  const FORMAT_KEYS = ['text', 'caption', 'parse_mode', 'entities', 'caption_entities', 'reply_markup', 'link_preview_options'];

  function applyEdit(s: StoredMessage, params: Record<string, any>, formatted: Formatted | undefined): void {
    const sent = s.sent;
    if (!sent) return;
    const base: Record<string, any> = { ...sent.params };
    for (const k of FORMAT_KEYS) {
      if (formatted || k === 'reply_markup') delete base[k];
    }
    const { chat_id: _c, message_id: _m, inline_message_id: _i, ...rest } = params;
    sent.params = { ...base, ...rest };
    if (formatted) {
      sent.text = formatted.raw;
      sent.plainText = formatted.text;
    }
    sent.edits++;
  }

  function editMessageText(params: Record<string, any>): any {
    const formatted = formatText(params['text'], params['parse_mode'], params['entities'], TEXT_LIMITS);
    if (params['inline_message_id'] !== undefined) return true;
    const s = editTarget(params);
    const m = s.message;
    if (m.text === undefined) throw badRequest('there is no text in the message to edit');
    const markup = params['reply_markup']?.inline_keyboard ? params['reply_markup'] : undefined;
    if (
      m.text === formatted.text &&
      JSON.stringify(m.entities ?? []) === JSON.stringify(formatted.entities ?? []) &&
      JSON.stringify(m.reply_markup) === JSON.stringify(markup)
    ) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const updated: any = { ...m, edit_date: now(), text: formatted.text };
    delete updated.entities;
    delete updated.reply_markup;
    if (formatted.entities) updated.entities = formatted.entities;
    if (markup) updated.reply_markup = markup;
    s.message = updated;
    applyEdit(s, params, formatted);
    return updated;
  }

  function editMessageCaption(params: Record<string, any>): any {
    const formatted = formatText(params['caption'], params['parse_mode'], params['caption_entities'], CAPTION_LIMITS);
    if (params['inline_message_id'] !== undefined) return true;
    const s = editTarget(params);
    const m = s.message;
    const markup = params['reply_markup']?.inline_keyboard ? params['reply_markup'] : undefined;
    if (
      (m.caption ?? '') === formatted.text &&
      JSON.stringify(m.caption_entities ?? []) === JSON.stringify(formatted.entities ?? []) &&
      JSON.stringify(m.reply_markup) === JSON.stringify(markup)
    ) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const updated: any = { ...m, edit_date: now() };
    delete updated.caption;
    delete updated.caption_entities;
    delete updated.reply_markup;
    if (formatted.raw !== '') updated.caption = formatted.text;
    if (formatted.entities) updated.caption_entities = formatted.entities;
    if (markup) updated.reply_markup = markup;
    s.message = updated;
    applyEdit(s, params, formatted);
    return updated;
  }

  function editMessageReplyMarkup(params: Record<string, any>): any {
    if (params['inline_message_id'] !== undefined) return true;
    const s = editTarget(params);
    const markup = params['reply_markup']?.inline_keyboard ? params['reply_markup'] : undefined;
    if (JSON.stringify(s.message.reply_markup) === JSON.stringify(markup)) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const updated: any = { ...s.message, edit_date: now() };
    delete updated.reply_markup;
    if (markup) updated.reply_markup = markup;
    s.message = updated;
    applyEdit(s, params, undefined);
    return updated;
  }

  function deleteMessage(chatId: unknown, messageId: unknown): void {
    const s = messages.get(chatKey(chatId))?.get(Number(messageId));
    if (s?.deleted) throw badRequest('message to delete not found');
    if (s) s.deleted = true;
  }

  // ---- dispatch -------------------------------------------------------------

  const commandsKey = (p: Record<string, any>) => JSON.stringify([p['scope'] ?? { type: 'default' }, p['language_code'] ?? '']);

  async function builtin(key: string, method: string, params: Record<string, any>, res: http.ServerResponse): Promise<any> {
    switch (key) {
      case 'getme':
        return { ...botInfo };
      case 'getupdates':
        return getUpdates(params, res);
      case 'deletewebhook':
        if (params['drop_pending_updates']) updates.length = 0;
        return true;
      case 'getwebhookinfo':
        return { url: '', has_custom_certificate: false, pending_update_count: updates.length };
      case 'setmycommands':
        commands.set(commandsKey(params), Array.isArray(params['commands']) ? params['commands'] : []);
        return true;
      case 'deletemycommands':
        commands.delete(commandsKey(params));
        return true;
      case 'getmycommands':
        return commands.get(commandsKey(params)) ?? [];
      case 'setmydescription': {
        const description = String(params['description'] ?? '');
        if (description.length > 512) throw badRequest('description is too long');
        botTexts.set(`description:${params['language_code'] ?? ''}`, description);
        return true;
      }
      case 'getmydescription':
        return { description: botTexts.get(`description:${params['language_code'] ?? ''}`) ?? '' };
      case 'setmyshortdescription': {
        const short = String(params['short_description'] ?? '');
        if (short.length > 120) throw badRequest('short description is too long');
        botTexts.set(`short_description:${params['language_code'] ?? ''}`, short);
        return true;
      }
      case 'getmyshortdescription':
        return { short_description: botTexts.get(`short_description:${params['language_code'] ?? ''}`) ?? '' };
      case 'setmyname':
        botTexts.set('name', String(params['name'] ?? ''));
        return true;
      case 'getmyname':
        return { name: botTexts.get('name') ?? botInfo.first_name };
      case 'getchat': {
        const chat = chatFor(params['chat_id']);
        return { ...chat, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false } };
      }
      case 'getchatmember': {
        const userId = Number(params['user_id']);
        const user = userId === botInfo.id ? botUser() : userFor(userId);
        return { status: 'member', user };
      }
      case 'getchatadministrators':
        return [
          {
            status: 'creator',
            user: { id: 1, is_bot: false, first_name: 'Chat', last_name: 'Owner', username: 'chat_owner' },
            is_anonymous: false,
          },
        ];
      case 'getchatmembercount':
      case 'getchatmemberscount':
        return 2;
      case 'getfile':
        return servedFile(params['file_id']) ?? {
          file_id: params['file_id'],
          file_unique_id: `U${String(params['file_id']).slice(0, 16)}`,
          file_size: 17,
          file_path: `documents/${encodeURIComponent(String(params['file_id']))}.dat`,
        };
      case 'sendmessage':
        return sendMessage(method, params);
      case 'sendmessagedraft':
        if (!params['chat_id']) throw badRequest('chat_id is empty');
        formatText(params['text'], params['parse_mode'], params['entities'], { ...TEXT_LIMITS, allowEmpty: true });
        return true;
      case 'editmessagetext':
        return editMessageText(params);
      case 'editmessagecaption':
        return editMessageCaption(params);
      case 'editmessagereplymarkup':
        return editMessageReplyMarkup(params);
      case 'deletemessage':
        deleteMessage(params['chat_id'], params['message_id']);
        return true;
      case 'deletemessages':
        for (const id of Array.isArray(params['message_ids']) ? params['message_ids'] : []) {
          const s = messages.get(chatKey(params['chat_id']))?.get(Number(id));
          if (s) s.deleted = true;
        }
        return true;
      case 'copymessage': {
        const src = findMessage(params['from_chat_id'], params['message_id']);
        if (!src) throw badRequest('message to copy not found');
        const copy = newOutgoing(method, params, (m) => {
          const { message_id: _i, from: _f, chat: _c, date: _d, reply_to_message: _r, sender_chat: _s, ...content } = src.message;
          Object.assign(m, content);
        }, { raw: src.message.text ?? src.message.caption ?? '', text: src.message.text ?? src.message.caption ?? '', entities: undefined });
        return { message_id: copy.message_id };
      }
      case 'forwardmessage': {
        const src = findMessage(params['from_chat_id'], params['message_id']);
        if (!src) throw badRequest('message to forward not found');
        return newOutgoing(method, params, (m) => {
          const { message_id: _i, from: _f, chat: _c, date: _d, reply_to_message: _r, sender_chat: _s, ...content } = src.message;
          Object.assign(m, content, { forward_origin: { type: 'user', sender_user: src.message.from, date: src.message.date } });
        }, { raw: src.message.text ?? '', text: src.message.text ?? '', entities: undefined });
      }
      case 'sendmediagroup': {
        const media = Array.isArray(params['media']) ? params['media'] : [];
        const groupId = String(Date.now());
        return media.map((item: any) =>
          sendMedia(method, String(item?.type ?? 'photo'), { ...params, media: undefined, caption: item?.caption, parse_mode: item?.parse_mode }),
        ).map((m: any) => ({ ...m, media_group_id: groupId }));
      }
      default: {
        const kind = MEDIA_METHODS[key];
        if (kind) return sendMedia(method, kind, params);
        // sendChatAction, answerCallbackQuery, setWebhook, setMessageReaction,
        // pinChatMessage, banChatMember, ... and anything unknown: True.
        return true;
      }
    }
  }

  function errorBody(e: TelegramErrorSpec): Record<string, any> {
    const body: Record<string, any> = { ok: false, error_code: e.error_code, description: e.description };
    if (e.parameters) body['parameters'] = e.parameters;
    return body;
  }

  function isErrorSpec(e: unknown): e is TelegramErrorSpec {
    return !!e && typeof e === 'object' && typeof (e as any).error_code === 'number' && typeof (e as any).description === 'string';
  }

  async function dispatch(call: ApiCall, res: http.ServerResponse): Promise<Record<string, any>> {
    const key = call.method.toLowerCase();
    const queue = failures.get(key);
    const head = queue?.[0];
    if (queue && head) {
      head.remaining--;
      if (head.remaining <= 0) queue.shift();
      return errorBody(head.error);
    }
    try {
      const handler = handlers.get(key);
      const result = handler ? await handler(call.params, call) : await builtin(key, call.method, call.params, res);
      return { ok: true, result };
    } catch (e) {
      if (isErrorSpec(e)) return errorBody(e);
      return { ok: false, error_code: 500, description: `Internal Server Error: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  function send(res: http.ServerResponse, body: Record<string, any>): void {
    if (res.writableEnded || res.destroyed) return;
    const code = body['ok'] ? 200 : Number(body['error_code']);
    const status = code >= 100 && code <= 599 ? code : 500;
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }

  async function onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file && servedPaths.has(decodeURIComponent(file[2] ?? ''))) {
      // Only a token the bot has been calling the API with may download (as with a real bot token).
      const content = calls.some((call) => call.token === file[1]) ? servedPaths.get(decodeURIComponent(file[2] ?? '')) : undefined;
      if (!content) return void send(res, { ok: false, error_code: 401, description: 'Unauthorized' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': content.length });
      res.end(content);
      return;
    }
    if (file) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end('fake file content');
      return;
    }
    const m = /^\/bot([^/]*)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    if (!m || !m[1]) {
      send(res, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const body = await readBody(req);
    let params: Record<string, any>;
    try {
      params = parseParams(req, url, body);
    } catch (e) {
      send(res, isErrorSpec(e) ? errorBody(e) : { ok: false, error_code: 400, description: 'Bad Request' });
      return;
    }
    const call: ApiCall = { method: m[2] ?? '', token: m[1], params, at: Date.now() };
    calls.push(call);
    const key = call.method.toLowerCase();
    if (takeFault(stalls, key)) {
      // No answer, ever: the client has to give up by itself (cut when the fake closes or goes down).
      stalled.add(res);
      res.once('close', () => stalled.delete(res));
      return;
    }
    const slow = delays.get(key);
    if (slow && slow.remaining > 0) {
      slow.remaining--;
      await new Promise((resolve) => setTimeout(resolve, slow.ms));
    }
    const lose = takeFault(losses, key);
    const hang = !lose && takeFault(hangs, key);
    const answer = await dispatch(call, res);
    if (lose) {
      res.socket?.destroy();
      return;
    }
    if (hang) {
      stalled.add(res);
      res.once('close', () => stalled.delete(res));
      return;
    }
    send(res, answer);
  }

  const server = http.createServer((req, res) => {
    const p = onRequest(req, res).catch((e) => {
      send(res, { ok: false, error_code: 500, description: `Internal Server Error: ${String(e)}` });
    });
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  });
  server.keepAliveTimeout = 1000;

  function listen(port: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  await listen(0);
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;

  const fake: FakeTelegram = {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    botInfo,
    pushUpdate,
    sendText,
    channelPost,
    sendSticker,
    sendPhoto,
    sendDocument,
    callbackQuery,
    fail(method, error, times = 1) {
      const key = method.toLowerCase();
      let queue = failures.get(key);
      if (!queue) failures.set(key, (queue = []));
      queue.push({ error: { ...error }, remaining: times });
    },
    handle(method, fn) {
      if (fn) handlers.set(method.toLowerCase(), fn);
      else handlers.delete(method.toLowerCase());
    },
    stall(method, times = 1) {
      stalls.set(method.toLowerCase(), (stalls.get(method.toLowerCase()) ?? 0) + times);
    },
    delay(method, ms, times = 1) {
      delays.set(method.toLowerCase(), { ms, remaining: times });
    },
    loseResponse(method, times = 1, options = {}) {
      const faults = options.hang ? hangs : losses;
      faults.set(method.toLowerCase(), (faults.get(method.toLowerCase()) ?? 0) + times);
    },
    async goDown(ms) {
      if (!down) {
        down = true;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      if (ms !== undefined) {
        clearTimeout(downTimer);
        downTimer = setTimeout(() => void fake.comeBack(), ms);
      }
    },
    async comeBack() {
      clearTimeout(downTimer);
      if (!down || closed) return;
      down = false;
      await listen(port);
    },
    botText(kind, languageCode = '') {
      return botTexts.get(`${kind}:${languageCode}`);
    },
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          let ok: boolean;
          try {
            ok = predicate(calls);
          } catch (e) {
            reject(e);
            return;
          }
          if (ok) {
            resolve();
          } else if (Date.now() - started >= timeoutMs) {
            reject(new Error(`fake-telegram waitFor timed out after ${timeoutMs} ms; methods called: ${summarize(calls)}`));
          } else {
            setTimeout(check, 10);
          }
        };
        check();
      });
    },
    sentMessages(chatId) {
      return outgoing.filter((s) => {
        if (chatId !== undefined && chatKey(s.chat_id) !== chatKey(chatId)) return false;
        return !messages.get(chatKey(s.chat_id))?.get(s.message_id)?.deleted;
      });
    },
    close() {
      closing ??= (async () => {
        closed = true;
        clearTimeout(downTimer);
        for (const res of stalled) res.destroy();
        wakeWaiters(); // pending long polls answer [] right away
        if (down) return;
        // Give the pending responses a moment to be written, then drop every connection.
        await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 200))]);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
  return fake;
}

function summarize(calls: ApiCall[]): string {
  if (calls.length === 0) return '(none)';
  const parts: string[] = [];
  let prev = '';
  let count = 0;
  const flush = () => {
    if (count) parts.push(count > 1 ? `${prev} x${count}` : prev);
  };
  for (const c of calls) {
    if (c.method === prev) count++;
    else {
      flush();
      prev = c.method;
      count = 1;
    }
  }
  flush();
  return parts.join(', ');
}
