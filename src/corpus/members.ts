/**
 * The members who speak in a forum report, found by the ways reports introduce them:
 *
 *   A  "(来自X界的)(北京)市政协委员、<organisation><post><name>表示"  (title, organisation, post, name)
 *   B  "来自X界的委员<name>来自<organisation>，担任该校<post>" / "常委<name>是<organisation><post>" /
 *      "委员<name>在<organisation>担任<post>" / "…<name>…。据了解，<name>现任<organisation><post>"
 *   C  "<name>（<organisation><post>）认为"  (not for government organs: those are officials)
 *
 * Moderators and officials ("市政协副主席X出席", "区民政局副局长X") carry no member title and are
 * left out. Names are a surname and one or two characters; which, is decided by how the name
 * recurs in the article ("王磊表示…王磊说") and otherwise by the word that follows it.
 */
import { isCommonWord } from '../text/dictionary.js';
import { surnameLengthAt } from '../text/surnames.js';
import type { Person } from './people.js';

/** Bump when extraction changes: stored documents are re-analysed on the next ingest. */
export const MEMBERS_VERSION = 2;

// An organisation ends with a legal entity's name (公司, 大学, 医院…); sub-units (学院, 系, 科)
// belong to the post unless nothing stronger precedes them ("北京房山职业技术学院").
const STRONG_SUFFIX = /(?:公司|集团|大学|医院|研究院|研究所|研究会|研究中心|中心|事务所|合作社|协会|学会|商会|基金会|联合会|促进会|中学|小学|学校|幼儿园|科技馆|博物馆|图书馆|纪念馆|美术馆|产业园|银行|实验室|出版社|报社|电视台|工作室|科学院|工程院)/gu;
const WEAK_SUFFIX = /(?:学院|院|所|局|委|会|社|厂|站|部|馆|处|室|团|台|队|店|行|园|校)/gu;
// A post ends with one of these heads: 董事长, 主任, 书记, 总经理, 工程师, 研究员, 科学家, 合伙人, 执行官…
const POST_HEAD = /(?:长|主任|书记|经理|总裁|总监|师|员|家|人|官|顾问|教授|院士|主席|专务|秘书|理事|董事|主编|编辑|代表|干事|助理|专员)$/u;
// Government organs and the CPPCC's own offices: people introduced by them are officials.
const GOVERNMENT = /(?:政协|人大|政府|法院|检察院|[^学]局|委员会|发展改革委|[市区县]\p{Script=Han}{0,6}委|办公室|办)$/u;
// Words that follow a name in a report: reporting verbs and the adverbs before them.
const AFTER_NAME = /^(?:表示|认为|建议|指出|提出|介绍|强调|关注|谈到|坦言|直言|呼吁|发言|来自|长期|现任|担任|希望|提醒|补充|透露|举例|分享|说|在|从|则|也|还|是|的|对|把|用|就|以|为|曾|将|已|很|更|又|都|等|（|，|。|、)/u;
const TITLE = '(?:委员|常委)(?![会们、])';
const SECTOR = '(?:来自([\\p{Script=Han}、]{1,14}?界)的)?';
const CPPCC = '(?:(?:北京)?(?:市|[\\p{Script=Han}]{1,3}区|区|县)?政协)';

const INTRO_A = new RegExp(`${SECTOR}${CPPCC}(?:委员|常委)、([^，,。；;“”"：:\\n]{4,70})`, 'gu');
const INTRO_B = new RegExp(`(?<![有些位名多批])${SECTOR}(${CPPCC})?${TITLE}(?=\\p{Script=Han})`, 'gu');
const INTRO_C = /([\p{Script=Han}]{2,6})（((?:[^（）\n]|（[^（）\n]{1,8}）){4,60})）(?=认为|表示|说|指出|建议|提出|介绍|坦言|强调|谈到|直言|呼吁)/gu;

export interface OrganisationAndPost {
  affiliation: string;
  role: string;
}

/**
 * "北京星澜智能科技有限公司（示范）董事长" → organisation and post. The organisation runs to its
 * last legal-entity suffix and the qualifier in brackets after it; the rest is the post.
 * Undefined when there is no organisation in the phrase.
 */
export function splitOrganisationAndPost(phrase: string): OrganisationAndPost | undefined {
  const text = phrase.replace(/^(?:一名|一位|该)/, '');
  const end = organisationEnd(text, STRONG_SUFFIX) ?? organisationEnd(text, WEAK_SUFFIX);
  if (end === undefined) return undefined;
  const role = text.slice(end).replace(/^(?:的|，|,)/, '').replace(/^(?:一名|一位)/, '');
  return { affiliation: text.slice(0, end), role };
}

function organisationEnd(text: string, suffix: RegExp): number | undefined {
  let best: number | undefined;
  for (const match of text.matchAll(suffix)) {
    let end = match.index! + match[0].length;
    if (end < 4) continue;
    const bracket = /^[（(][\p{Script=Han}A-Za-z]{1,8}[）)]/u.exec(text.slice(end));
    if (bracket) end += bracket[0].length;
    // A bracketed qualifier closes the organisation: what follows is its sub-unit or the post.
    if (bracket) return end;
    best = end;
  }
  return best;
}

/** Occurrences of a string in the text. */
function count(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
  return n;
}

/**
 * The name starting at text[at], or undefined when no surname starts there. A given name has
 * one or two characters: the longer reading wins when it recurs, the shorter when only it recurs
 * or when the word after it is one that follows names ("王磊表示").
 */
export function nameAt(text: string, at: number, document: string): string | undefined {
  const surname = surnameLengthAt(text, at);
  if (!surname) return undefined;
  const short = text.slice(at, at + surname + 1);
  const long = text.slice(at, at + surname + 2);
  if (!/^\p{Script=Han}+$/u.test(short)) return undefined;
  const longValid = long.length === surname + 2 && /^\p{Script=Han}+$/u.test(long);
  if (longValid && count(document, long) >= 2) return long;
  if (count(document, short) > (longValid ? count(document, long) : 0) && count(document, short) >= 2) return short;
  if (!longValid || AFTER_NAME.test(text.slice(at + surname + 1))) return short;
  // "赵宇同样关注": the last character of the longer reading starts a word with the next one.
  if (isCommonWord(text.slice(at + surname + 1, at + surname + 3))) return short;
  return long;
}

/** Where a phrase "…<post><name>…" puts the name: right after a post head, after an organisation. */
function nameAfterPost(phrase: string, document: string): { name: string; at: number; split: OrganisationAndPost } | undefined {
  for (let at = 4; at < phrase.length - 1; at++) {
    if (!surnameLengthAt(phrase, at) || !POST_HEAD.test(phrase.slice(0, at))) continue;
    const split = splitOrganisationAndPost(phrase.slice(0, at));
    if (!split || !split.role || !POST_HEAD.test(split.role)) continue;
    const name = nameAt(phrase, at, document);
    if (name) return { name, at, split };
  }
  return undefined;
}

/** Organisation and post the sentences after an introduction give ("现任X董事长", "作为X创始合伙人，他"). */
function detailsAfter(text: string, name: string, from: number, until: number): OrganisationAndPost | undefined {
  const window = text.slice(from, Math.min(until, from + 400));
  const surname = name.slice(0, surnameLengthAt(name, 0) || 1);
  const subject = `(?:${name}|${surname}(?:委员|常委)|他|她)`;
  const clause = '([^，,。；;\\n]{4,60})';
  const patterns = [
    new RegExp(`^来自${clause}(?:[，,](?:担任|是)(?:该校|该院|该公司|该中心|该所|该会|该单位)?(?:一名|一位)?([^，,。；;\\n]{2,20}))?`, 'u'),
    new RegExp(`^在([^，,。；;\\n]{4,40}?)担任([^，,。；;\\n]{2,20})`, 'u'),
    new RegExp(`^(?:是|现任|担任)${clause}`, 'u'),
    new RegExp(`(?:^|[，,。])${subject}?(?:现任|担任)${clause}`, 'u'),
    new RegExp(`(?:^|[。])${subject}是${clause}`, 'u'),
    new RegExp(`作为(?:一名|一位)?${clause}[，,]${subject}`, 'u'),
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(window);
    if (!match) continue;
    const split = splitOrganisationAndPost(match[1]!);
    if (!split) continue;
    const role = match[2] ? match[2].replace(/^(?:一名|一位)/, '') : split.role;
    if (role && !POST_HEAD.test(role)) continue;
    return { affiliation: split.affiliation, role };
  }
  return undefined;
}

/**
 * The members an article introduces, in order of appearance, each once. Who cannot be parsed is
 * left out rather than guessed.
 */
export function extractPeople(text: string): Person[] {
  const found: Person[] = [];
  const add = (person: Person) => {
    if (found.some((other) => other.name === person.name)) return;
    found.push(person);
  };

  for (const match of text.matchAll(INTRO_A)) {
    const parsed = nameAfterPost(match[2]!, text);
    if (parsed) add({ name: parsed.name, ...parsed.split, sector: match[1], start: match.index! });
  }

  for (const match of text.matchAll(INTRO_B)) {
    const at = match.index! + match[0].length;
    const name = nameAt(text, at, text);
    if (!name || found.some((person) => person.name === name)) continue;
    const rest = text.slice(at + name.length);
    // A title before a name that is never repeated and leads nowhere is a phrase ("委员从各自领域").
    const introduced = /^(?:来自|是|在[^，。]{2,30}担任|现任)/.test(rest) || count(text, name) >= 2;
    if (!introduced || /^(?:会|们)/.test(rest)) continue;
    const details = detailsAfter(text, name, at + name.length, nextIntroduction(text, at + name.length));
    add({ name, affiliation: details?.affiliation ?? '', role: details?.role ?? '', sector: match[1], start: match.index! });
  }

  for (const match of text.matchAll(INTRO_C)) {
    const before = match[1]!;
    const split = splitOrganisationAndPost(match[2]!);
    if (!split || GOVERNMENT.test(split.affiliation)) continue;
    const name = trailingName(before, text);
    if (name) add({ name, ...split, start: match.index! + before.length - name.length });
  }

  // Members introduced without an organisation get it from what the article says about them later.
  for (const person of found) {
    if (person.affiliation) continue;
    const details = laterDetails(text, person.name);
    if (details) Object.assign(person, details);
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The next member introduction after an offset, or the end of the text. */
function nextIntroduction(text: string, from: number): number {
  const next = new RegExp(`${CPPCC}?${TITLE}`, 'gu');
  next.lastIndex = from;
  return next.exec(text)?.index ?? text.length;
}

/** "据了解，曲瀚之现任…", "郝星野是…董事长": a sentence starting with the name that gives the organisation. */
function laterDetails(text: string, name: string): OrganisationAndPost | undefined {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const details = detailsAfter(text, name, at + name.length, text.length);
    const sentence = text.slice(at + name.length, at + name.length + 4);
    if (details && /^(?:现任|是|担任|来自|在)/.test(sentence)) return details;
  }
  return undefined;
}

/** The name that ends a run of characters ("在委员发言环节，苗砚清" → 苗砚清). */
function trailingName(run: string, document: string): string | undefined {
  for (const length of [3, 2, 4]) {
    const at = run.length - length;
    if (at < 0) continue;
    const name = nameAt(run, at, document);
    if (name && at + name.length === run.length) return name;
  }
  return undefined;
}
