/** A member who spoke, as the article introduces them. */
export interface Person {
  name: string;
  /** Organisation, e.g. "中国移动通信研究院". */
  affiliation: string;
  /** Post, e.g. "院长". */
  role: string;
  /** Sector (界别) when the article says, e.g. "科技界". */
  sector?: string;
  /** Offset of the introduction in the cleaned text. */
  start: number;
}

// Reports introduce members as "(来自X界的)(北京)市政协委员、<organisation><post><name><verb>".
const INTRODUCTION = /(?:来自([\p{Script=Han}]{1,8}界)的)?(?:北京)?市政协委员、([^，,。；;“”"]{4,60}?)(?=(?:表示|建议|指出|认为|说|提出|介绍|谈到|坦言|强调|同样|也|今年|备受|一直|长期|带来|关注|呼吁|直言|告诉)|[，,。])/gu;
const POSTS = [
  '董事长兼总经理', '执行副总裁', '副总裁', '总裁', '总经理', '副总经理', '董事长', '副董事长', '首席执行官', '创始人',
  '主任医师', '副主任医师', '主治医师', '医师', '主任', '副主任', '院长', '副院长', '所长', '副所长', '高级专务', '专务',
  '研究员', '副研究员', '教授', '副教授', '院士', '校长', '副校长', '书记', '党委书记', '会长', '副会长', '理事长', '秘书长',
  '主席', '副主席', '局长', '处长', '总工程师', '工程师', '总监', '顾问', '律师', '合伙人', '主编', '社长', '经理', '厂长',
  '负责人', '专家', '董事', '部长', '行长', '站长', '馆长', '团长', '队长', '校长助理',
].sort((a, b) => b.length - a.length);

/**
 * The members an article introduces, in order of appearance. Names are the 2–4 Han characters
 * between the post and the verb; what cannot be parsed is left out rather than guessed.
 */
export function extractPeople(text: string): Person[] {
  const people: Person[] = [];
  for (const match of text.matchAll(INTRODUCTION)) {
    const phrase = match[2]!;
    const parsed = splitPostAndName(phrase);
    if (!parsed) continue;
    if (people.some((person) => person.name === parsed.name)) continue;
    people.push({ ...parsed, sector: match[1], start: match.index! });
  }
  return people;
}

function splitPostAndName(phrase: string): { name: string; affiliation: string; role: string } | undefined {
  let best: { index: number; post: string } | undefined;
  for (const post of POSTS) {
    const index = phrase.lastIndexOf(post);
    if (index < 0) continue;
    const end = index + post.length;
    if (!best || end > best.index + best.post.length) best = { index, post };
  }
  if (!best) return undefined;
  const name = phrase.slice(best.index + best.post.length);
  if (!/^[\p{Script=Han}·]{2,4}$/u.test(name)) return undefined;
  // A post word may end a longer compound ("骨科主任医师"): keep the qualifier with the post.
  const before = phrase.slice(0, best.index);
  const qualifier = /(骨科|内科|外科|儿科|眼科|高级|首席|常务|执行|资深)$/.exec(before)?.[0] ?? '';
  return { name, affiliation: before.slice(0, before.length - qualifier.length), role: qualifier + best.post };
}

const PRONOUN = /^(?:[“"]?\s*)?(此外，|此外,|同时，|同时,)?(她|他)/;
const ATTRIBUTION = /^[^。！？\n]{0,40}?(表示|说|指出|认为|展望道|坦言|强调|介绍|谈到|称)/;

/**
 * Who is speaking in text[start, end): a member named in it; for a quotation, the member the
 * attribution right after it names ("“…。”来自科技界的…黄宇红表示。"); otherwise the last member
 * introduced or named before it (reports say "她建议…" after introducing a member once).
 */
export function speakerAt(people: Person[], text: string, start: number, end = start): Person | undefined {
  const inside = people
    .map((person) => ({ person, at: text.indexOf(person.name, start) }))
    .filter(({ at, person }) => at >= 0 && at + person.name.length <= end)
    .sort((a, b) => a.at - b.at);
  if (/[”"」]\s*$/.test(text.slice(start, end))) {
    const after = text.slice(end, end + 60);
    const attribution = ATTRIBUTION.exec(after);
    if (attribution) {
      const named = people.find((person) => attribution[0].includes(person.name));
      if (named) return named;
      if (/^\s*[他她]/.test(after)) return inside[0]?.person ?? lastBefore(people, text, start);
    }
  }
  if (inside.length) return inside[0]!.person;
  return lastBefore(people, text, start);
}

function lastBefore(people: Person[], text: string, offset: number): Person | undefined {
  let current: Person | undefined;
  let currentAt = -1;
  for (const person of people) {
    const at = text.lastIndexOf(person.name, offset - 1);
    if (at >= 0 && at > currentAt) {
      current = person;
      currentAt = at;
    }
  }
  return current;
}

/** True when a sentence refers to its speaker by pronoun only. */
export function startsWithPronoun(sentence: string): boolean {
  return PRONOUN.test(sentence);
}

/** Person names jieba cuts as one token: lets callers ask whether a question names a member. */
export function namesIn(text: string, people: Person[]): Person[] {
  return people.filter((person) => text.includes(person.name));
}

