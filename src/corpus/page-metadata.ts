/**
 * What a news page says about itself: Open Graph and article tags (og:title,
 * article:published_time, og:site_name, og:url), the <link rel=canonical>, and the tags Chinese
 * government and news sites carry by the national site guidelines (ArticleTitle, PubDate,
 * ContentSource, SiteName, Url). Without them, the page's <h1> and a labelled date line
 * ("发布时间：2025-03-12") stand in.
 */
import { toIsoDate, type ArticleMetadata } from './metadata.js';

type PageFields = Pick<ArticleMetadata, 'title' | 'date' | 'publisher' | 'url'>;

// In order of preference; keys are compared lower-case (property, name or itemprop).
const TITLE_KEYS = ['og:title', 'twitter:title', 'articletitle', 'headline', 'dc.title', 'title'];
const DATE_KEYS = [
  'article:published_time', 'og:published_time', 'datepublished', 'pubdate', 'publishdate', 'publish_date',
  'publication_date', 'dc.date.issued', 'dc.date', 'date', 'article:modified_time',
];
// og:site_name is the site; ContentSource the paper a reprinted report comes from (来源).
const PUBLISHER_KEYS = ['og:site_name', 'contentsource', 'source', 'sitename', 'publisher', 'dc.publisher', 'application-name'];
const URL_KEYS = ['og:url', 'url'];
/** Separators between a page's title and its site's name: "标题_新京报", "标题-北京市政协", "标题 | 千龙网". */
const TITLE_SUFFIX = /\s*[_|｜\-–—]\s*([^_|｜\-–—]{2,20})$/;
const LABELLED_DATE = /(?:发布时间|发布日期|发表时间|发稿时间|日期|时间)\s*[:：]\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})/;

export function pageMetadata(document: Document): PageFields {
  const metas = metaValues(document);
  const first = (keys: string[]) => keys.map((key) => metas.get(key)).find(Boolean);
  const publisher = first(PUBLISHER_KEYS);
  const date = DATE_KEYS.map((key) => metas.get(key)).map((value) => value && toIsoDate(value)).find(Boolean)
    ?? timeElementDate(document)
    ?? labelledDate(document);
  return {
    title: first(TITLE_KEYS) ?? headline(document) ?? documentTitle(document, new Set(PUBLISHER_KEYS.map((key) => metas.get(key) ?? ''))),
    date,
    publisher,
    url: absoluteUrl(first(URL_KEYS)) ?? absoluteUrl(document.querySelector('link[rel~="canonical"]')?.getAttribute('href')),
  };
}

function metaValues(document: Document): Map<string, string> {
  const values = new Map<string, string>();
  for (const meta of document.querySelectorAll('meta')) {
    const key = (meta.getAttribute('property') ?? meta.getAttribute('name') ?? meta.getAttribute('itemprop'))?.trim().toLowerCase();
    const value = squeeze(meta.getAttribute('content') ?? '');
    if (key && value && !values.has(key)) values.set(key, value);
  }
  return values;
}

/** The page's headline: an <h1> whose text the <title> repeats, else the first long enough to be one (a logo's is not). */
function headline(document: Document): string | undefined {
  const pageTitle = document.title ?? '';
  const candidates = [...document.querySelectorAll('h1')].map((h1) => squeeze(h1.textContent ?? '')).filter((text) => text.length >= 6 && text.length <= 100);
  return candidates.find((text) => pageTitle.includes(text)) ?? candidates[0];
}

/**
 * <title> without the site's name after it: the part after the last separator when it is a
 * name the page gives itself, or after "_", "|" or a spaced dash (a bare "-" also joins words
 * inside titles: "6G-AI").
 */
function documentTitle(document: Document, siteNames: Set<string>): string | undefined {
  const title = squeeze(document.title ?? '');
  const suffix = TITLE_SUFFIX.exec(title);
  if (!suffix) return title || undefined;
  const rest = title.slice(0, suffix.index);
  const strong = /[_|｜]|\s[-–—]\s/.test(suffix[0]);
  return rest.length >= 4 && (siteNames.has(suffix[1]!.trim()) || strong) ? rest : title;
}

function timeElementDate(document: Document): string | undefined {
  for (const time of document.querySelectorAll('time[datetime]')) {
    const date = toIsoDate(time.getAttribute('datetime') ?? '');
    if (date) return date;
  }
  return undefined;
}

/** "发布时间：2025-03-12 09:30" on the page: the first labelled date (a menu's today's date has no label). */
function labelledDate(document: Document): string | undefined {
  const match = LABELLED_DATE.exec(squeeze(document.body?.textContent ?? ''));
  return match ? toIsoDate(match[1]!) : undefined;
}

function absoluteUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function squeeze(text: string): string {
  return text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}
