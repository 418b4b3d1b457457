import { pinyin } from 'pinyin-pro';
import type { Person } from './people.js';

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
  const spelled = spelledIn(question);
  return people.filter((person) => spelled(nameAliases(person.name)));
}

/**
 * A test of whether an English text spells one of a name's aliases: a spaced alias as a run of
 * its words, an unspaced one anywhere in its letters ("HuangYuhong's").
 */
export function spelledIn(text: string): (aliases: readonly string[]) => boolean {
  const words = ` ${text.normalize('NFKC').toLowerCase().replace(/[^a-z]+/g, ' ')} `;
  const squashed = words.replace(/ /g, '');
  return (aliases) => aliases.some((alias) => (alias.includes(' ') ? words.includes(` ${alias} `) : squashed.includes(alias)));
}

/**
 * The pattern that finds a name romanised in running English: "Huang Yuhong", "Yuhong Huang",
 * "HUANG Yu-hong" (ü as u, v, yu or ü).
 */
export function romanisedPattern(name: string): RegExp {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' }).map((s) =>
    s.toLowerCase().replace(/ü/g, '(?:u|v|yu|ü)'),
  );
  const surnameLength = syllables.length >= 4 ? 2 : 1;
  const surname = syllables.slice(0, surnameLength).join('');
  const given = syllables.slice(surnameLength).join("[\\s'-]?");
  return new RegExp(`\\b(?:${surname}\\s*${given}|${given}\\s+${surname})\\b`, 'i');
}
