import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chunkDocument } from '../chunking/chunk.js';
import { splitParagraphs, splitSentences } from '../chunking/sentences.js';
import { cleanDocument } from '../corpus/clean.js';
import { loadArticles } from '../corpus/load.js';
import { extractPeople } from '../corpus/members.js';
import { ForumBotError } from '../errors.js';
import { createRandom, deriveSeed, type Random } from './random.js';

/**
 * A synthetic archive for the benchmark, made by recombining the seed articles: their lead
 * paragraphs, headings, paragraphs and sentences, under new titles, dates, sessions, members
 * and organisations. Written as real article files (front matter + body) so the benchmark
 * ingests it through the whole pipeline. Deterministic: the same seeds and seed number give the
 * same files, byte for byte.
 */
export interface SyntheticCorpusOptions {
  /** Folder with the real articles to recombine (the project's seeds/). */
  seedsDir: string;
  /** Folder to write the articles into (created; should be empty). */
  outDir: string;
  /** Stop once the articles hold at least this many chunks (counted with the real cleaner and chunker). */
  chunks: number;
  seed: number;
}

export interface SyntheticCorpus {
  dir: string;
  articles: number;
  chunks: number;
  /** Characters of article body written. */
  chars: number;
  /** Some of the members the articles introduce, for questions that name one. */
  people: string[];
  /** Years the articles are dated in. */
  years: number[];
}

/** What the seeds offer to recombine. */
export interface SeedMaterial {
  leads: string[];
  headings: string[];
  paragraphs: string[];
  sentences: string[];
  themes: string[];
  /** Members the seeds introduce: name and organisation, replaced in every synthetic article. */
  people: { name: string; affiliation: string }[];
}

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵万钱严武戴莫孔向汤'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建红晨宇浩凯健俊帆帅旭宁颖琳雪慧婷倩博文思远志诚嘉欣睿泽瑞佳航昊然晓雯'];
const PLACES = [...'京华海中科信达智联创新源恒瑞泰安康宏远博睿星辰云天地光电数链芯能'];
const KINDS = ['科技有限公司', '信息技术研究院', '生物医药有限公司', '智能制造研究所', '新能源科技集团', '数据科学研究中心', '医院', '大学'];
const NUMERALS = ['一', '二', '三', '四', '五'];
const TERMS = ['十二', '十三', '十四', '十五'];
const SECTORS = ['科学技术', '经济', '农业', '教育', '医药卫生', '文化艺术', '社会福利', '特邀'];
const PUBLISHERS = ['新京报', '北京日报', '北京晚报', '人民政协报', '千龙网'];

/**
 * The seeds are two sessions about science and industry; an archive spans years of forums on
 * every topic. Each synthetic article takes one theme: the seeds' own topic words (longest
 * first) are replaced by the theme's, so the archive's vocabulary grows with its size as a real
 * one does instead of 100k passages reusing the same few hundred sentences' words.
 */
export const SEED_TOPIC_WORDS = [
  '人工智能', '固态电池', '锂电池', '动力电池', '低空经济', '中试平台', '生态圈', '实验室', '高端制造', '新质生产力',
  '电池', '制造', '通信', '场景', '数据', '央企', '校企', '开源', '疫苗', '肿瘤', '药物', '储能', '汽车', '6G', 'AI',
];
export const THEMES: readonly (readonly string[])[] = [
  ['养老服务', '社区养老', '老年人', '护理员', '适老化改造', '养老机构', '医养结合', '居家养老', '失能老人', '助餐点'],
  ['城市更新', '老旧小区', '街区改造', '棚户区', '胡同', '历史街区', '平房院落', '加装电梯', '物业管理', '停车位'],
  ['生态环境', '碳排放', '绿色低碳', '垃圾分类', '水源保护', '湿地公园', '大气污染', '新能源汽车', '光伏', '节能改造'],
  ['文化遗产', '中轴线', '博物馆', '非遗传承', '文物保护', '演艺市场', '图书馆', '文创产品', '长城文化带', '大运河'],
  ['义务教育', '课后服务', '职业教育', '学前教育', '教师队伍', '集团化办学', '双减', '校园安全', '托育服务', '研学'],
  ['分级诊疗', '社区医院', '医保支付', '家庭医生', '中医药', '互联网医院', '公共卫生', '急救体系', '慢病管理', '药品集采'],
  ['轨道交通', '公交线路', '慢行系统', '停车治理', '通勤效率', '智慧交通', '共享单车', '交通拥堵', '地铁换乘', '物流配送'],
  ['乡村振兴', '农业科技', '冷链物流', '农产品', '民宿', '种业', '农村电商', '宅基地', '集体经济', '高标准农田'],
  ['冰雪运动', '全民健身', '体育场馆', '冬奥遗产', '青少年体育', '体育产业', '赛事经济', '健身步道', '滑雪场', '体教融合'],
  ['营商环境', '中小企业', '融资担保', '政务服务', '一网通办', '知识产权', '民营经济', '专精特新', '信用体系', '减税降费'],
  ['高校毕业生', '灵活就业', '技能培训', '就业服务', '新就业形态', '劳动权益', '外卖骑手', '社保缴纳', '创业孵化', '人力资源'],
  ['保障性住房', '租赁住房', '共有产权房', '住房公积金', '房地产市场', '人才公寓', '城中村', '长租公寓', '租金', '安居工程'],
  ['数据要素', '区块链', '工业互联网', '数字人民币', '电子商务', '平台经济', '网络安全', '云计算', '智能网联汽车', '元宇宙'],
  ['防汛', '海绵城市', '再生水', '河长制', '排水管网', '南水北调', '节水', '水环境', '雨洪利用', '地下管廊'],
  ['京津冀协同', '城市副中心', '雄安新区', '非首都功能疏解', '通州', '产业转移', '交通一体化', '生态屏障', '公共服务共享', '区域合作'],
  ['食品安全', '农贸市场', '餐饮企业', '冷链食品', '食品追溯', '校园食堂', '预制菜', '外卖平台', '抽检', '标准体系'],
  ['科普教育', '青少年', '科学素养', '科技馆', '创客空间', '心理健康', '网络素养', '家庭教育', '未成年人保护', '校外活动'],
  ['国际交往中心', '服贸会', '外籍人才', '国际学校', '入境旅游', '国际组织', '会展经济', '跨境电商', '自贸区', '对外开放'],
  ['国际消费中心城市', '夜间经济', '商圈', '老字号', '首店经济', '文旅消费', '步行街', '直播电商', '消费券', '品牌建设'],
  ['安全生产', '应急管理', '消防设施', '燃气安全', '韧性城市', '基层治理', '网格化', '接诉即办', '社区治理', '风险排查'],
  ['氢能', '储能电站', '充电桩', '热力管网', '清洁供暖', '天然气', '电网', '地热', '风电', '能源结构'],
  ['创新药', '医疗器械', '临床试验', '基因治疗', '细胞治疗', '生物制造', '合成生物', '医药研发', '罕见病', '疫苗研发'],
  ['商业航天', '卫星互联网', '新材料', '集成电路', '芯片设计', '光刻机', '传感器', '机器人', '无人机', '量子计算'],
  // The seeds' own theme: some articles keep their words.
  SEED_TOPIC_WORDS.slice(0, 10),
];

/** Replaces the seeds' topic words by a theme's (rotated by `offset`), longest first. */
export function applyTheme(text: string, theme: readonly string[], offset: number): string {
  if (theme === THEMES[THEMES.length - 1]) return text;
  const replacements = SEED_TOPIC_WORDS.map((word, i) => [word, theme[(i + offset) % theme.length]!] as const);
  // One pass with an alternation, so a replacement is never replaced again.
  const pattern = new RegExp([...SEED_TOPIC_WORDS].sort((a, b) => b.length - a.length).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const byWord = new Map(replacements);
  return text.replace(pattern, (word) => byWord.get(word) ?? word);
}

export async function loadSeedMaterial(seedsDir: string): Promise<SeedMaterial> {
  const { documents } = await loadArticles(seedsDir);
  if (documents.length === 0) throw new ForumBotError(`No seed articles in ${seedsDir} to build a synthetic corpus from.`);
  const material: SeedMaterial = { leads: [], headings: [], paragraphs: [], sentences: [], themes: [], people: [] };
  for (const document of documents) {
    const cleaned = cleanDocument(document);
    const paragraphs = splitParagraphs(cleaned.text).map((span) => cleaned.text.slice(span.start, span.end));
    paragraphs.forEach((paragraph, i) => {
      if (paragraph.length <= 40 && !/[。！？；!?;]$/.test(paragraph)) {
        material.headings.push(paragraph);
        material.themes.push(paragraph);
        return;
      }
      if (i === 0) material.leads.push(paragraph);
      else material.paragraphs.push(paragraph);
      for (const span of splitSentences(paragraph)) {
        const sentence = paragraph.slice(span.start, span.end);
        if (sentence.length >= 12) material.sentences.push(sentence);
      }
    });
    for (const match of `${cleaned.session ?? ''} ${cleaned.text}`.matchAll(/“([^”]{6,40})”专题座谈会/g)) material.themes.push(match[1]!);
    for (const person of extractPeople(cleaned.text)) material.people.push({ name: person.name, affiliation: person.affiliation });
  }
  if (material.paragraphs.length === 0 || material.sentences.length === 0) {
    throw new ForumBotError(`The seed articles in ${seedsDir} have no prose paragraphs to recombine.`);
  }
  if (material.headings.length === 0) material.headings.push('委员建言');
  if (material.themes.length === 0) material.themes.push('推动首都高质量发展');
  return material;
}

export interface SyntheticArticle {
  /** File name, e.g. "000042_1a2b3c4d5e6f7a8b.txt". */
  file: string;
  title: string;
  date: string;
  session: string;
  /** The whole file: front matter and body. */
  content: string;
  body: string;
  people: string[];
}

/** The n-th synthetic article; a pure function of (material, seed, n). */
export function syntheticArticle(material: SeedMaterial, seed: number, n: number): SyntheticArticle {
  const random = createRandom(deriveSeed(seed, n));
  const year = random.int(2015, 2026);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const meeting = `北京市政协${random.pick(TERMS)}届${random.pick(NUMERALS)}次会议`;
  const topic = random.pick(THEMES);
  const topicOffset = random.int(0, 9);
  const themed = (text: string) => applyTheme(text, topic, topicOffset);
  const theme = themed(random.pick(material.themes));
  const session = `${meeting} “${theme}”专题座谈会`;

  // Every member and organisation of the seeds gets a new name in this article.
  const replacements = new Map<string, string>();
  for (const person of material.people) {
    replacements.set(person.name, personName(random));
    if (person.affiliation.length >= 4 && random.chance(0.7)) replacements.set(person.affiliation, organisation(random));
  }

  const paragraphs: string[] = [
    `${month}月${day}日,${meeting}举行“${theme}”专题座谈会,来自${random.pick(SECTORS)}等界别的市政协委员围绕${random.pick(material.themes)}建言献策。`,
  ];
  if (random.chance(0.5)) paragraphs.push(withoutDate(random.pick(material.leads)));
  const sections = random.int(3, 6);
  for (let s = 0; s < sections; s++) {
    paragraphs.push(random.pick(material.headings));
    const count = random.int(2, 4);
    for (let p = 0; p < count; p++) {
      // Mostly new paragraphs of sentences from anywhere in the seeds; a seed paragraph verbatim
      // now and then. (Verbatim paragraphs as the rule repeat each one thousands of times at
      // 100k chunks: a near-duplicate cloud no real archive has.)
      if (random.chance(0.1)) paragraphs.push(random.pick(material.paragraphs));
      else {
        const sentences = random.int(2, 5);
        let paragraph = '';
        for (let k = 0; k < sentences; k++) paragraph += random.pick(material.sentences);
        paragraphs.push(paragraph);
      }
    }
  }
  let body = themed(paragraphs.join('\n'));
  for (const [from, to] of [...replacements].sort((a, b) => b[0].length - a[0].length)) body = body.split(from).join(to);
  // Counts vary from article to article ("提及了42次" → "提及了17次").
  body = body.replace(/\d+(?=[次家个项名位亿万%])/g, (digits) => (random.chance(0.5) ? String(random.int(2, 10 ** digits.length - 1)) : digits));

  const title = `${year}年${meeting}专题座谈会：${themed(random.pick(material.headings))}（${n + 1}）`;
  const publisher = random.pick(PUBLISHERS);
  const content = `---\ntitle: ${title}\ndate: ${date}\nsession: ${session}\npublisher: ${publisher}\n---\n${body}\n`;
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
  const people = material.people.map((person) => replacements.get(person.name)!).filter((name) => body.includes(name));
  return { file: `${String(n).padStart(6, '0')}_${hash}.txt`, title, date, session, content, body, people };
}

/** Writes synthetic articles until they hold `chunks` chunks (the last article may overshoot a little). */
export async function generateCorpus(options: SyntheticCorpusOptions): Promise<SyntheticCorpus> {
  const material = await loadSeedMaterial(options.seedsDir);
  await mkdir(options.outDir, { recursive: true });
  const corpus: SyntheticCorpus = { dir: options.outDir, articles: 0, chunks: 0, chars: 0, people: [], years: [] };
  const years = new Set<number>();
  const peopleSample = createRandom(deriveSeed(options.seed, 0, 1));
  while (corpus.chunks < options.chunks) {
    const article = syntheticArticle(material, options.seed, corpus.articles);
    const id = article.file.replace(/\.txt$/, '');
    const cleaned = cleanDocument({ id, file: article.file, title: article.title, date: article.date, session: article.session, text: article.body });
    const chunkCount = chunkDocument(cleaned).length;
    if (chunkCount === 0) {
      corpus.articles++;
      continue;
    }
    await writeFile(path.join(options.outDir, article.file), article.content);
    corpus.articles++;
    corpus.chunks += chunkCount;
    corpus.chars += article.body.length;
    years.add(Number(article.date.slice(0, 4)));
    // A bounded, seeded sample of members (reservoir-free: keep early ones, then some later ones).
    for (const name of article.people) {
      if (corpus.people.length < 200) corpus.people.push(name);
      else if (peopleSample.chance(0.01)) corpus.people[peopleSample.int(0, 199)] = name;
    }
  }
  corpus.years = [...years].sort((a, b) => a - b);
  return corpus;
}

function personName(random: Random): string {
  return random.pick(SURNAMES) + random.pick(GIVEN) + (random.chance(0.6) ? random.pick(GIVEN) : '');
}

function organisation(random: Random): string {
  return `北京${random.pick(PLACES)}${random.pick(PLACES)}${random.pick(KINDS)}`;
}

/** The seed lead's own date ("1月26日,") would contradict the article's. */
function withoutDate(paragraph: string): string {
  return paragraph.replace(/^\d{1,2}月\d{1,2}日[,，]/, '');
}
