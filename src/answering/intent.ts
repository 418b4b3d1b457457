import { PROPOSAL_WORD } from '../text/reporting-verbs.js';
import { contentTerms } from '../retrieval/query.js';

/** The question asks for a member's post or organisation ("在哪家企业任职?担任什么职务?"). */
export function asksRole(question: string): boolean {
  return /(任职|上班|干啥的|做什么的|职务|职位|单位|身份|头衔|担任|哪家|什么工作|来自哪|affiliation|position|job|title|work(s|ed)? (at|for)|where does .{2,40} work|which (company|organi[sz]ation|institute))/i.test(question);
}

/** The question asks who ("是谁", "哪两位委员", "which member"). */
export function asksWho(question: string): boolean {
  return /(谁|哪位|哪两位|哪几位|哪些委员|什么人|(?:委员|常委|人|他|她|位)[^，,。？?\s]{0,3}叫(?:啥|什么)|(?:委员|常委|他|她)的?(?:名字|姓名)|\bwho\b|\bwhich (member|members|delegate|person|people)\b|\bwhat(?:'s| is) (?:his|her|their|the member's) name\b)/i.test(question);
}

// "哪几条建议" asks for a list, "几条" for a number.
const COUNT = /(?:多少|(?<!哪)几)\s*([位名个次家项种条年天人所座场篇届批类级辆张台套栋份])/;
const ENGLISH_COUNT = /how many\s+(?:[\w-]+\s+){0,3}?(members?|people|persons?|delegates?|speakers?|times?|companies|enterprises|firms|institutes?|proposals?|suggestions?|years?|days?|vehicles?|cars?|buses|trucks?|beds?|stations?|schools?|hospitals?|projects?|buildings?|compounds?|sets?|apartments?|flats?|machines?|devices?)\b/i;
const ENGLISH_UNITS: Record<string, string> = {
  member: '位|名|人', people: '位|名|人', person: '位|名|人', delegate: '位|名|人', speaker: '位|名|人',
  time: '次', compan: '家', enterprise: '家', firm: '家', institute: '家|所', proposal: '项|条', suggestion: '项|条',
  year: '年', day: '天',
  // Chinese counts things with the measure word of their kind (辆 vehicles, 张 beds, 座 stations).
  vehicle: '辆', car: '辆', bus: '辆', truck: '辆', bed: '张', station: '座|个|家', school: '所|家', hospital: '家|所',
  project: '个|项', building: '栋|座', compound: '个', set: '套', apartment: '套', flat: '套', machine: '台', device: '台|个',
};
const NUMBER = '[0-9０-９.一二三四五六七八九十百千万亿两]+';
const SESSION_NUMBER = /第?[一二三四五六七八九十]+届[一二三四五六七八九十]+次(?:会议|全会|全体会议)?/gu;
const MONEY_ASKED = /多少钱|多少资金|多少经费|多少投资|\bhow much (?:money|funding)\b/i;

/** countUnit's answer for "是多少", "how much": any stated quantity answers, none does not. */
export const ANY_QUANTITY = '*';
const QUANTITY_ASKED = /(多少|多大|多高|多长|多久|几成|\bhow (much|many|large|big|long)\b)/i;
// A number in digits (not a name like "6G" or "5G", nor a date: 2025年, 11月20日; "3年内" is a duration, so a quantity), or in Chinese numerals with a unit.
const QUANTITY = /(?<![A-Za-z0-9０-９.月])(?!(?:19|20)\d{2}\s*年)[0-9０-９]+(?:\.[0-9]+)?(?![0-9０-９])(?![A-Za-z](?![A-Za-z]))(?!\s*[月日号])|[一二三四五六七八九十百千万亿两]+\s*(?:[个位名家项次种条所座场篇届批类级倍成亿万元吨人天年月]|分之)|%|％/u;

/**
 * The measure word(s) of a "how many" question ("多少位委员" → "位", "how many members" →
 * "位|名|人"); ANY_QUANTITY for one that asks a quantity with no measure word ("年产能是多少").
 */
export function countUnit(question: string): string | undefined {
  // "拨了多少钱", "how much money": an amount of money is stated in 元 (万元, 亿元).
  if (MONEY_ASKED.test(question)) return '元';
  const chinese = COUNT.exec(question)?.[1];
  if (chinese) return chinese;
  const noun = ENGLISH_COUNT.exec(question)?.[1]?.toLowerCase();
  const key = noun && Object.keys(ENGLISH_UNITS).find((stem) => noun.startsWith(stem));
  if (key) return ENGLISH_UNITS[key];
  return QUANTITY_ASKED.test(question) ? ANY_QUANTITY : undefined;
}

/** True when the text states a number with that measure word ("42次", "104家", "三位"), or any quantity. */
export function statesCount(text: string, unit: string): boolean {
  if (unit === ANY_QUANTITY) return QUANTITY.test(text);
  // "十四届三次会议" numbers a session, it does not count anything.
  return new RegExp(`${NUMBER}\\s*(?:${unit})(?!会议|全会|常委会|全体会议)`).test(text.replace(SESSION_NUMBER, ''));
}

// Chinese does not mark the plural: "提出了什么建议" asks for the proposals, however many there are.
const ASKS_LIST = /哪几|哪些|(?:什么|啥)(?:样的)?(?:建议|措施|举措|对策|意见)|几点|几条|几项|几个方面|[二三四五六七八九十两]点|[二三四五六七八九十两]条|[二三四五六七八九十两]个方面|都有啥|都提了|列一下|\bwhat (?:are|were) (?:the|his|her|their)\b|\bwhich (?:proposals|suggestions|measures)\b|\blist\b/i;

// Proposal words in questions (PROPOSAL_WORD), "propose", "suggest", "recommend".
const ASKS_PROPOSALS = new RegExp(`${PROPOSAL_WORD}|\\b(?:propos|suggest|recommend)`, 'i');

// Asking for the proposals themselves (哪几条建议, 三点建议, 哪些措施, 从哪三个方面): an enumeration.
export const ASKS_FOR_PROPOSALS_LIST = /哪(?:几|些)?[条点项]|[几两二三四五六七八九十][条点项]|(?:哪些|哪几|几)(?:条|点|项)?(?:建议|措施|举措|意见|对策|提案)|哪?[几两二三四五六七八九十]个方面/u;
// Why and how questions: 为什么/为啥/怎么/咋/如何, "why", "how do/does/did/would/should/can".
export const ASKS_REASON_OR_WAY = /为什么|为啥|为何|怎么|怎样|咋|如何|\bwhy\b|\bhow (?:do|does|did|would|should|can|could|to)\b/i;

// A later part that refers back to what the first found: 他/她/其/这位委员/该委员.
export const POINTS_BACK = /[他她其]|这位|该委员|\b(?:he|she|his|her)\b/i;

const ASKING_WORD = /什么|哪|谁|多少|几|怎|咋|啥|为何|如何|是否|吗|呢|\b(?:how|what|which|who|whom|when|where|why|whether|is|are|was|were|do|does|did)\b/i;

// Where one question asks several things: "？" between them, or ", and which year" in English.
const PART_BOUNDARY = /(?<=[？?])|[，,;；]\s*and\s+(?=(?:how|what|which|when|where|who|by|in)\b)/i;

/** The asked parts of a question, in order; one part when it asks one thing. */
export function questionParts(question: string): string[] {
  // A part asks something: it has an interrogative, or topic words of its own ("求解" after the question does not).
  const parts = question.split(PART_BOUNDARY).map((part) => part.trim()).filter((part) => /[\p{Script=Han}a-z]{2}/iu.test(part) && (ASKING_WORD.test(part) || contentTerms(part).length > 0));
  return parts.length > 1 ? parts : [question];
}

export function asksProposals(question: string): boolean {
  return ASKS_PROPOSALS.test(question);
}

// Comparing what several members said: 分别/各自/区别/不同/相比/对比, "compare", "differ", "each".
const ASKS_COMPARISON = /分别|各自|各是|区别|不同|不一样|异同|相比|对比|比较|\b(?:compare|differ|each|both|respectively|versus|vs)\b/i;

export function asksComparison(question: string): boolean {
  return ASKS_COMPARISON.test(question);
}

export function asksList(question: string): boolean {
  return ASKS_LIST.test(question);
}

// Who chaired or spoke for the organisers is an official's role, not a member's: "由哪位领导主持",
// "哪位负责同志出席", "who moderated". A member's sentence does not answer it, however close its words.
const ASKS_OFFICIAL = /(?:哪位|哪一位|谁|哪个)[^，,。？?]{0,6}(?:领导|负责人|负责同志|官员|主持人)|(?:领导|负责人|官员|主持人)[^，,。？?]{0,4}(?:是谁|有谁|是哪位)|由谁主持|谁主持|\bwho (?:moderated|chaired|presided|hosted|opened)\b|\bwhich (?:official|leader)s?\b/iu;

export function asksOfficial(question: string): boolean {
  return ASKS_OFFICIAL.test(question);
}
