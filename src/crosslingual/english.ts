// English questions: the words that frame a question rather than name its topic. Words and
// their base forms are the lexicon's (lexicon/english.ts).
import { lemma } from '../lexicon/english.js';

const STOPWORDS = new Set(`a an the of to in on at for from by with about as into onto over under and or but not no nor
  is are was were be been being do does did done has have had having will would shall should can could may might must
  what which who whom whose when where why how that this these those there here it its it's he she his her they their them
  we our you your i me my any some all each every both either neither other another such same than then so too very also
  just only more most much many few less least own up down out off again further once if whether while during before after
  above below between through until per via vs etc ie eg s even`.split(/\s+/));

// Multi-word connectives and prepositions: alone, "course", "result", "order" or "same time"
// would be translated as topic words (流程|课程 for "over the course of the forum").
const FUNCTION_PHRASES = `over the course of|in the course of|of course|even so|in terms of|in order to|as a result of|as a result
  |in fact|at least|at most|so far|rather than|in particular|for example|for instance|such as|in addition to|in addition
  |as well as|with regard to|with respect to|in view of|on the other hand|at the same time|in general|by contrast|in contrast`
  .split('|')
  .map((phrase) => phrase.trim().split(/\s+/));

/** How many words from `at` on form a multi-word connective ("over the course of" → 4), 0 when none does. */
export function functionPhraseAt(words: readonly string[], at: number): number {
  const phrase = FUNCTION_PHRASES.find((candidate) => candidate.every((word, i) => words[at + i] === word));
  return phrase?.length ?? 0;
}

// Framing words: a question "asks", the articles "say", a member "suggested" something at a
// "forum"; a chat message says "pls" and "sum up" (the English chat register and the verbs of
// summarising).
const FRAME = new Set(`tell say said says mention mentioned mentions talk talked talks speak spoke spoken discuss discussed
  according article articles report reports reported news newspaper propose proposed proposes proposal proposals suggest
  suggested suggests suggestion suggestions recommend recommended recommendation call called urge urged advocate advocated
  want wanted think thought believe believed view views opinion idea ideas explain explained describe described give given
  name named list kind kinds type types specific specifically exactly main mainly total overall existing exist exists
  member members delegate delegates cppcc beijing municipal committee political consultative conference forum forums
  session sessions meeting meetings symposium panel year years held hold event time times theme themes topic topics
  title subject focus focused focuses
  u ur pls plz please thx thanks hey hi hello bot quick quickly short shortly brief briefly sum summary summaries summarise
  summarize summarised summarized rundown recap overview gist outline`.split(/\s+/));

export function isEnglishStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

export function isEnglishFrameWord(word: string): boolean {
  return FRAME.has(word) || FRAME.has(lemma(word));
}
