import { pinyin } from 'pinyin-pro';
import type { Person } from '../corpus/people.js';

/** "黄宇红" → "Huang Yuhong" (surname first, as Chinese names are written in English). */
export function englishName(name: string): string {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' });
  const [surname, ...given] = syllables;
  const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  return [capital(surname ?? ''), capital(given.join(''))].filter(Boolean).join(' ');
}

/** The spellings an English question may use: "huang yuhong", "yuhong huang", "huangyuhong", "huang yu hong". */
export function nameAliases(name: string): string[] {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' }).map((s) => s.replace('ü', 'v'));
  const [surname = '', ...given] = syllables;
  const givenJoined = given.join('');
  return [...new Set([`${surname} ${givenJoined}`, `${givenJoined} ${surname}`, `${surname}${givenJoined}`, syllables.join(' '), `${given.join(' ')} ${surname}`])];
}

/** Members an English question names in pinyin (any order, spacing or case). */
export function peopleNamedInEnglish(question: string, people: Person[]): Person[] {
  const text = ` ${question.normalize('NFKC').toLowerCase().replace(/[^a-z]+/g, ' ')} `;
  const squashed = text.replace(/ /g, '');
  return people.filter((person) =>
    nameAliases(person.name).some((alias) => (alias.includes(' ') ? text.includes(` ${alias} `) : squashed.includes(alias))),
  );
}

const WORDS = /^[a-z]+( [a-z]+)+$/;
const LETTERS = /^[a-z]+$/;

/**
 * Which of a fixed list of names an English question spells in pinyin, exactly as
 * `peopleNamedInEnglish` decides it, but by looking up the question's word runs and letter runs
 * instead of testing every alias of every name: the aliases are computed once.
 */
export class PinyinNameFinder {
  /** name → nameAliases(name). */
  private readonly aliases = new Map<string, string[]>();
  /** "huang yuhong" → the names with that spaced alias. */
  private readonly spaced = new Map<string, string[]>();
  /** "huangyuhong" → the names with that unspaced alias. */
  private readonly unspaced = new Map<string, string[]>();
  private readonly wordCounts: number[];
  private readonly letterCounts: number[];
  /** Aliases of another shape ("a yi·guli"): tested as peopleNamedInEnglish tests them. */
  private readonly irregular: { alias: string; name: string }[] = [];

  constructor(names: Iterable<string>) {
    const add = (map: Map<string, string[]>, key: string, name: string) => {
      const list = map.get(key);
      if (!list) map.set(key, [name]);
      else if (!list.includes(name)) list.push(name);
    };
    for (const name of names) {
      if (this.aliases.has(name)) continue;
      const aliases = nameAliases(name);
      this.aliases.set(name, aliases);
      for (const alias of aliases) {
        if (WORDS.test(alias)) add(this.spaced, alias, name);
        else if (LETTERS.test(alias)) add(this.unspaced, alias, name);
        else this.irregular.push({ alias, name });
      }
    }
    this.wordCounts = [...new Set([...this.spaced.keys()].map((alias) => alias.split(' ').length))].sort((a, b) => a - b);
    this.letterCounts = [...new Set([...this.unspaced.keys()].map((alias) => alias.length))].sort((a, b) => a - b);
  }

  /** nameAliases(name), from the cache when the name is one of the list's. */
  aliasesOf(name: string): string[] {
    return this.aliases.get(name) ?? nameAliases(name);
  }

  /** The names of the list the question spells (each once, in no particular order). */
  namesIn(question: string): Set<string> {
    const text = ` ${question.normalize('NFKC').toLowerCase().replace(/[^a-z]+/g, ' ')} `;
    const squashed = text.replace(/ /g, '');
    const found = new Set<string>();
    const collect = (names: string[] | undefined) => names?.forEach((name) => found.add(name));
    // A spaced alias is found in ` ${text} ` exactly when its words are a run of the question's words.
    const words = text.split(' ').filter(Boolean);
    for (let first = 0; first < words.length; first++) {
      for (const count of this.wordCounts) {
        if (first + count > words.length) break;
        collect(this.spaced.get(words.slice(first, first + count).join(' ')));
      }
    }
    for (let start = 0; start < squashed.length; start++) {
      for (const length of this.letterCounts) {
        if (start + length > squashed.length) break;
        collect(this.unspaced.get(squashed.slice(start, start + length)));
      }
    }
    for (const { alias, name } of this.irregular) {
      if (alias.includes(' ') ? text.includes(` ${alias} `) : squashed.includes(alias)) found.add(name);
    }
    return found;
  }
}
