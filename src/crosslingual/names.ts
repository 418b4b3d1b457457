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
