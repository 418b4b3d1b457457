import type { ArticleIndex } from '../index/article-index.js';
import { MAX_SOUND_CHARS, soundOf } from '../lexicon/sounds.js';
import { isDictionaryWord } from '../text/dictionary.js';
import { segmenter } from '../text/tokenize.js';

/**
 * Chinese is typed through a pinyin input method, and the commonest typo is the wrong character
 * with the right sound: 建意 for 建议, 人工只能 for 人工智能, 白明单 for 白名单, a name's 鸾 for 峦.
 * A stretch of the question that is no dictionary word and that no article contains, but sounds exactly
 * like one word of the articles (tones aside), is read as that word. The articles' words by sound
 * are computed at ingest (lexicon/sounds.ts).
 */
export function repairHomophones(index: ArticleIndex, question: string): string {
  const sounds = index.words.sounds;
  // Stretches start and end where jieba cuts the question (a typo is cut into pieces, 建意 →
  // 建/意, but a stretch across two real words, 期间举行 → 间举, is no typo).
  const boundaries = new Set([0]);
  let offset = 0;
  for (const token of segmenter().cut(question, true)) boundaries.add((offset += token.length));
  let repaired = '';
  for (let at = 0; at < question.length; ) {
    let replaced = false;
    for (let length = MAX_SOUND_CHARS; length >= 2 && !replaced && boundaries.has(at); length--) {
      if (!boundaries.has(at + length)) continue;
      const stretch = question.slice(at, at + length);
      if (!HAN_RUN.test(stretch) || FUNCTION_CHARACTER.test(stretch)) continue;
      if (isDictionaryWord(stretch) || QUESTION_WORD.test(stretch) || index.presence.holds(stretch)) continue;
      const candidates = sounds.get(soundOf(stretch));
      // Only one article word with that sound: a guess between several would be a guess.
      if (candidates?.length === 1 && candidates[0] !== stretch) {
        repaired += candidates[0];
        at += length;
        replaced = true;
      }
    }
    if (!replaced) repaired += question[at++];
  }
  return repaired;
}

const HAN_RUN = /^\p{Script=Han}+$/u;
// A typo that changes 的/了/是… changes nothing the articles are searched for.
const FUNCTION_CHARACTER = /[的了是在和与也都就吗呢吧啊呀么这那哪谁啥]/u;

// Interrogatives are the question's own words, never the articles' (多大 is not 多达).
const QUESTION_WORD = /多[大少久长高远重]|怎[么样]|为什么|什么|几/u;
