import { readFile } from 'node:fs/promises';
import { createRandom, deriveSeed } from './random.js';
import { THEMES, applyTheme, type SeedMaterial } from './corpus.js';

/**
 * Real-looking questions for the benchmark, seeded: the eval questions as they are, and seed
 * sentences turned into questions (a phrase of the sentence in a question frame, a member the
 * synthetic articles introduce, a year they are dated in).
 */
export interface QueryOptions {
  count: number;
  seed: number;
  material: SeedMaterial;
  /** Members of the synthetic corpus. */
  people: string[];
  years: number[];
  /** eval/questions.jsonl, when present. */
  evalFile?: string;
}

const PHRASE_FRAMES = [
  (phrase: string) => `委员们对${phrase}有什么建议?`,
  (phrase: string) => `关于“${phrase}”,座谈会上是怎么说的?`,
  (phrase: string) => `${phrase}是指什么?`,
  (phrase: string) => `哪位委员谈到了${phrase}?`,
  (phrase: string) => `如何${phrase}?`,
];
const PERSON_FRAMES = [
  (name: string) => `${name}建议了什么?`,
  (name: string) => `${name}在哪个单位任职?担任什么职务?`,
  (name: string) => `${name}委员在座谈会上提出了哪些建议?`,
];

export async function sampleQueries(options: QueryOptions): Promise<string[]> {
  const random = createRandom(deriveSeed(options.seed, 0, 2));
  const fromEval = options.evalFile ? await evalQuestions(options.evalFile) : [];
  const phrases = options.material.sentences.flatMap(phrasesOf);
  // A phrase on one of the archive's themes, as the synthetic articles word it.
  const phrase = () => applyTheme(random.pick(phrases), random.pick(THEMES), random.int(0, 9));
  const queries: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const roll = random.next();
    if (fromEval.length && roll < 0.2) queries.push(random.pick(fromEval));
    else if (options.people.length && roll < 0.4) queries.push(random.pick(PERSON_FRAMES)(random.pick(options.people)));
    else if (options.years.length && roll < 0.5) queries.push(`${random.pick(options.years)}年的座谈会上,委员们如何谈${phrase()}?`);
    else queries.push(random.pick(PHRASE_FRAMES)(phrase()));
  }
  return queries;
}

/** Han phrases of 4–12 characters from a sentence's clauses, connectives and pronouns dropped. */
export function phrasesOf(sentence: string): string[] {
  return sentence
    .split(/[,，、：:；;。！？!?“”"‘’《》（）()]/)
    .map((clause) => clause.replace(/^(对此|此外|同时|他|她|还|也|并|要|将|在|是|建议|表示|指出|认为)+/, ''))
    .map((clause) => /\p{Script=Han}{4,12}/u.exec(clause)?.[0])
    .filter((phrase): phrase is string => Boolean(phrase));
}

async function evalQuestions(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim())
    .flatMap((line) => {
      try {
        const question = (JSON.parse(line) as { question?: unknown }).question;
        return typeof question === 'string' && question.trim() ? [question] : [];
      } catch {
        return [];
      }
    });
}
