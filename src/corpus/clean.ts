import type { ForumDocument } from '../types.js';
import { toIsoDate } from './metadata.js';

/** Bump when cleaning changes: documents are re-chunked and re-embedded. */
export const CLEANER_VERSION = 1;

// Page chrome seen on news-app pages: app banners, tip-off addresses, author pages, related
// articles. None of it is forum content; a question about it must be refused, not answered.
const BANNER_LINE = /(客户端|APP|App|app|立即打开|打开应用|下载|好新闻|无止境|扫码|关注我们)/;
const TAIL_MARKER = /^(来阅读我的更多文章|相关推荐|相关专题|相关阅读|相关新闻|延伸阅读|推荐阅读|记者主页|更多精彩|热门推荐|猜你喜欢|往期回顾|点击进入专题)/;
const CHROME_LINE = /(报料(邮箱|热线|电话)|投稿邮箱|版权所有|未经(授权|许可).{0,8}(转载|使用)|[\w.+-]+@[\w-]+\.[\w.]+|本文来源|来源[:：]\s*\S+$)/;
const ROLE = '(记者|编辑|校对|通讯员|实习生|摄影|摄像|责编|责任编辑|审核|审校|监制|统筹|主编|撰文|文字|制图|设计)';
const BYLINE_LINE = new RegExp(`^(\\S{0,8}\\s*)?${ROLE}[\\s:：]*[\\p{Script=Han}·A-Za-z]{1,12}(\\s+${ROLE}?[\\s:：]*[\\p{Script=Han}·A-Za-z]{1,12})*$`, 'u');
const DATE_LINE = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)(\s+\d{1,2}:\d{2}(:\d{2})?)?$/;
const PHOTO_CAPTION = /(供图|摄影?|图片来源[:：]?.*|截图|资料图|图\/\S+)[)）]?$/;
const SENTENCE_PUNCTUATION = /[。！？；，,!?;]/;

/** A line long enough, and punctuated, to be prose. Everything before the first one is header. */
function isProse(line: string): boolean {
  return line.length >= 40 && SENTENCE_PUNCTUATION.test(line);
}

function isByline(line: string): boolean {
  return line.length <= 40 && !SENTENCE_PUNCTUATION.test(line) && BYLINE_LINE.test(line);
}

/**
 * Removes page chrome, keeps forum content. Bylines, the headline and a date line become
 * metadata (when the metadata does not already say), never answerable text.
 */
export function cleanDocument(document: ForumDocument): ForumDocument {
  const lines = document.text.split('\n').map((line) => line.replace(/[\s\u00a0\u3000\u200b]+/g, ' ').trim());
  const firstProse = lines.findIndex(isProse);
  const byline: string[] = [];
  let title = document.title;
  let date = document.date;
  const kept: string[] = [];

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line) continue;
    if (index > firstProse && TAIL_MARKER.test(line)) break; // the rest of the page is chrome
    if (CHROME_LINE.test(line)) continue;
    if (isByline(line)) {
      byline.push(line);
      continue;
    }
    if (DATE_LINE.test(line)) {
      date ??= toIsoDate(line);
      continue;
    }
    if (index < firstProse) {
      if (line.length <= 15 && BANNER_LINE.test(line)) continue;
      if (!SENTENCE_PUNCTUATION.test(line.slice(0, -1)) || line.length <= 60) {
        // A short unpunctuated line above the body is the headline.
        if (!title) title = line;
        continue;
      }
    }
    if (line.length <= 150 && PHOTO_CAPTION.test(line) && !/[“"]$/.test(line)) continue;
    kept.push(line);
  }

  const text = kept.join('\n');
  return {
    ...document,
    title: title || firstLineTitle(text),
    date: date ?? dateInText(text),
    session: document.session ?? sessionInText(text),
    byline: document.byline ?? (byline.length ? byline : undefined),
    text,
  };
}

/** No headline: the first sentence stands in for it, shortened. */
function firstLineTitle(text: string): string {
  const first = text.split('\n')[0] ?? '';
  const sentence = first.split(/[。！？!?]/)[0] ?? first;
  return sentence.length > 40 ? `${sentence.slice(0, 40)}…` : sentence;
}

/** A full date written in the text ("2025年1月15日"), when there is one. */
function dateInText(text: string): string | undefined {
  const match = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(text) ?? /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(text);
  return match ? toIsoDate(`${match[1]}-${match[2]}-${match[3]}`) : undefined;
}

/** "北京市政协十四届四次会议 “…”专题座谈会", from the sentence that announces the session. */
function sessionInText(text: string): string | undefined {
  const meeting = /(北京市政协[^，。,；\n]{2,16}?会议)/.exec(text);
  const forum = /[“"]([^”"]{4,60})[”"]\s*(专题座谈会|专题协商会|座谈会|协商会|论坛)/.exec(text);
  if (!meeting && !forum) return undefined;
  return [meeting?.[1], forum ? `“${forum[1]}”${forum[2]}` : undefined].filter(Boolean).join(' ');
}
