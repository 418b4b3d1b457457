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
