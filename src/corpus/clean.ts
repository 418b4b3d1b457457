/**
 * Page chrome out, forum content in. News pages wrap a report in navigation bars, app banners,
 * share bars, bylines, editor lines, copyright notices, tip-off addresses and lists of links.
 * They are recognised by their shape and their place on the page, not by the strings of one
 * site: where the report ends (its closing credit line), runs of short unpunctuated lines
 * (link lists, menus), lines of short tokens (share bars, banners), contact details and
 * copyright wording. Reporters are kept as metadata; editors and proofreaders are dropped.
 */
import type { ForumDocument } from '../types.js';
import { forumDate } from './dates.js';
import { toIsoDate } from './metadata.js';

/** Bump when cleaning changes: documents are re-chunked and re-embedded. */
export const CLEANER_VERSION = 2;

const SENTENCE_END = /[。！？!?…”」』]$/;
const PUNCTUATED = /[。！？；，,!?;]/;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/;
// A phone number: area code and number, or a mobile number (not a year or an amount).
const PHONE = /(?<!\d)(?:0\d{2,3}[-\s]?\d{3,4}[-\s]?\d{4}|1[3-9]\d{9})(?!\d)/;
const CREDIT_ROLE = '(?:记者|编辑|责任编辑|责编|校对|终审|审核|审校|监制|统筹|主编|撰文|文字|摄影|摄像|制图|设计|通讯员|实习生)';
// "新京报记者 陈静", "编辑 张树婧 校对 贾宁", "责任编辑：宋予安　校对：梁慕白", "（千龙网记者 田穗禾）", "（来源：人民政协报）".
const CREDIT_LINE = new RegExp(
  `^[（(]?(?:(?:[\\p{Script=Han}A-Za-z]{0,8}?\\s?${CREDIT_ROLE}[\\s:：]*[\\p{Script=Han}·]{2,4}[\\s、，,]*)+|来源[:：]\\s*[^\\s，。]{2,20})[)）]?$`,
  'u',
);
const REPORTER = /(?:^|[\s（(])[\p{Script=Han}A-Za-z]{0,8}?记者[\s:：]*([\p{Script=Han}·]{2,4})(?=$|[\s）)、，,])/gu;
// "来源：千龙网　发布时间：2026年04月23日 10:12　字号：大 中 小": the page's own metadata line.
const PAGE_META = /(?:来源|发布时间|发布日期|时间|作者|记者|字号|浏览|阅读)[:：]/;
const DATE_TIME = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?/;
const COPYRIGHT = /版权(?:声明|所有|归)|未经.{0,12}(?:授权|许可).{0,20}(?:转载|使用|摘编|复制)|(?:转载|摘编).{0,8}请注明/;
const APP_BANNER = /客户端|APP|App|\bapp\b|下载|扫码|二维码|立即打开|打开应用|阅读体验/;
const PHOTO_CAPTION = /(?:供图|摄|摄影|图片来源[:：]?.*|截图|资料图|图\/\S+)[)）]?$/;
// The dateline that opens a news report (电头): "本报讯（记者 何清漪）", "千龙网讯 ", "本台讯 ".
const DATELINE = /^[\p{Script=Han}A-Za-z]{0,10}?(?:讯|电)(?:[（(][^）)]{0,30}[)）])?\s*(?=\S)/u;

type Kind = 'chrome' | 'credit' | 'meta' | 'short' | 'prose';

interface Line {
  text: string;
  kind: Kind;
}

/** A line of navigation: many short items between separators ("首页 | 新闻 | 北京", "首页 > 北京 > 正文"). */
function isNavigation(line: string): boolean {
  const separators = line.match(/\s[|｜>›»/]\s|\s?[|｜]\s?/g)?.length ?? 0;
  if (separators >= 2 && !SENTENCE_END.test(line)) return true;
  return /^(?:当前位置|您的位置|你的位置)[:：]/.test(line);
}

/** A line of short tokens with no sentence in it: share bars, banner slogans, tag lists. */
function isTokenList(line: string): boolean {
  if (line.length > 60 || PUNCTUATED.test(line.replace(/[：:]$/, ''))) return false;
  const tokens = line.split(/[\s\u3000]+/).filter(Boolean);
  return tokens.length >= 3 && tokens.every((token) => token.length <= 8);
}

function classify(line: string): Kind {
  if (isNavigation(line)) return 'chrome';
  if (CREDIT_LINE.test(line)) return 'credit';
  if (line.length <= 80 && (EMAIL.test(line) || PHONE.test(line))) return 'chrome';
  if (COPYRIGHT.test(line)) return 'chrome';
  if (PAGE_META.test(line) && DATE_TIME.test(line) && line.length <= 80) return 'meta';
  if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?$/.test(line)) return 'meta';
  if (line.length <= 40 && APP_BANNER.test(line) && !SENTENCE_END.test(line)) return 'chrome';
  if (line.startsWith('分享到') || isTokenList(line)) return 'chrome';
  if (/^[·•●▪■□◆◇>»\-–—]\s*/.test(line) && line.length <= 60) return 'short';
  if (line.length <= 150 && PHOTO_CAPTION.test(line) && !/[“"]$/.test(line)) return 'chrome';
  // Short and without a sentence in it: a headline, a section heading or a link.
  if (line.length <= 40 && !SENTENCE_END.test(line)) return 'short';
  return line.length <= 60 && !/[。！？!?；;]/.test(line) ? 'short' : 'prose';
}

/**
 * Removes page chrome, keeps forum content. The headline and the page's date become metadata
 * (when the metadata does not already say), reporters too; nothing of it stays answerable text.
 */
export function cleanDocument(document: ForumDocument): ForumDocument {
  const lines: Line[] = document.text
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u3000\u200b]+/g, ' ').trim())
    .filter(Boolean)
    .map((text) => ({ text, kind: classify(text) }));
  const reporters = new Set<string>();
  const noteReporters = (text: string) => {
    for (const match of text.matchAll(REPORTER)) reporters.add(match[1]!);
  };
  let published: string | undefined;
  let publisher = document.publisher;
  const firstProse = lines.findIndex((line) => line.kind === 'prose');
  // The report ends at its closing credit ("新京报记者 张璐", "（来源：人民政协报）"): what follows
  // on the page (author blurbs, related articles, tip-off lines) is the site's, not the report's.
  let end = lines.length;
  const closing = lines.findIndex((line, i) => i > firstProse && firstProse >= 0 && line.kind === 'credit');
  if (closing >= 0) end = closing;
  for (const line of lines.slice(0, closing >= 0 ? closing + 1 : lines.length)) {
    if (line.kind === 'meta' || line.kind === 'credit') noteReporters(line.text);
    if (line.kind === 'meta') {
      const date = DATE_TIME.exec(line.text);
      published ??= date ? toIsoDate(`${date[1]}-${date[2]}-${date[3]}`) : undefined;
      publisher ??= /来源[:：]\s*([^\s　]{2,20})/.exec(line.text)?.[1];
    }
  }

  // Then a tail of short unpunctuated lines (link lists, menus, slogans) goes too.
  while (end > 0 && lines[end - 1]!.kind !== 'prose') end--;

  let title = document.title;
  const body: string[] = [];
  for (let i = 0; i < end; i++) {
    const line = lines[i]!;
    if (line.kind === 'chrome' || line.kind === 'credit' || line.kind === 'meta') continue;
    if (i < firstProse) {
      // Above the body: the headline (the first title-like line), and anything else is chrome.
      if (!title && line.text.length >= 6 && line.text.length <= 80) title = line.text;
      continue;
    }
    if (line.kind === 'short' && isLinkRun(lines, i)) continue;
    body.push(line.text);
  }
  if (body.length && firstProse >= 0) {
    const dateline = DATELINE.exec(body[0]!);
    if (dateline && dateline[0].length <= 30) {
      noteReporters(dateline[0]);
      body[0] = body[0]!.slice(dateline[0].length);
    }
  }

  const text = body.join('\n');
  return {
    ...document,
    title: title || firstLineTitle(text),
    date: document.date ?? forumDate(body, published),
    publisher,
    session: document.session ?? sessionInText(text),
    reporters: document.reporters ?? (reporters.size ? [...reporters] : undefined),
    text,
  };
}

/** Four or more short unpunctuated lines in a row inside the body are a list of links, not headings. */
function isLinkRun(lines: Line[], at: number): boolean {
  let first = at;
  while (first > 0 && lines[first - 1]!.kind === 'short') first--;
  let last = at;
  while (last + 1 < lines.length && lines[last + 1]!.kind === 'short') last++;
  return last - first + 1 >= 4;
}

/** No headline: the first sentence stands in for it, shortened. */
function firstLineTitle(text: string): string {
  const first = text.split('\n')[0] ?? '';
  const sentence = first.split(/[。！？!?]/)[0] ?? first;
  return sentence.length > 40 ? `${sentence.slice(0, 40)}…` : sentence;
}

/** "北京市政协十四届四次会议 “…”专题座谈会": the body, the meeting and the theme, from the lede. */
function sessionInText(text: string): string | undefined {
  const lede = text.split('\n')[0] ?? '';
  const organ = /(?:北京市)?(?:[\p{Script=Han}]{1,3}[区县])?政协/u.exec(lede)?.[0];
  const meeting = /(?:第)?十[一二三四五六七八九]?届(?:[一二三四五六七八九]次会议|常委会第[一二三四五六七八九十]+次会议)/.exec(lede)?.[0];
  const forum = /[“"]([^”"]{4,60})[”"]\s*(专题座谈会|专题协商会|专题议政会|协商座谈会|座谈会|协商会|议政会|论坛|协商议政)/.exec(lede);
  if (!organ && !forum) return undefined;
  return [organ && `${organ}${meeting ?? ''}`, forum ? `“${forum[1]}”${forum[2]}` : undefined].filter(Boolean).join(' ');
}
