import { nameAliases, romanisedPattern, spelledIn } from './name-spellings.js';
import type { Person } from './people.js';
import { NameFinder } from '../text/name-finder.js';

/** How one member's name is written in English: the pinyin spellings a question may use, and the pattern that finds it in running text. */
export interface MemberSpelling {
  name: string;
  /** "huang yuhong", "yuhong huang", "huangyuhong", … (nameAliases). */
  aliases: readonly string[];
  /** Matches "Huang Yuhong", "Yuhong Huang", "HUANG Yu-hong". */
  romanised: RegExp;
}

/**
 * The members the articles introduce, in document order, with every way a question or an
 * answer names them: in Chinese (a look-up by name), in pinyin and romanised. Built once, when
 * the index is loaded, from the members ingest stored with each article.
 */
export class MemberTable {
  /** Every member of every article, in article order (one entry per introduction). */
  readonly everyone: readonly Person[];
  /** Their distinct names, in order of first appearance. */
  readonly names: readonly string[];
  /** One spelling per distinct name, in the order of `names`. */
  readonly spellings: readonly MemberSpelling[];
  private readonly byName: NameFinder<Person>;
  private readonly spellingOf: ReadonlyMap<string, MemberSpelling>;

  constructor(everyone: readonly Person[]) {
    this.everyone = everyone;
    this.names = [...new Set(everyone.map((person) => person.name))];
    this.byName = new NameFinder(everyone, (person) => person.name);
    this.spellings = this.names.map((name) => ({ name, aliases: nameAliases(name), romanised: romanisedPattern(name) }));
    this.spellingOf = new Map(this.spellings.map((spelling) => [spelling.name, spelling]));
  }

  /** Every member whose Chinese name occurs in `text`, in article order. */
  in(text: string): Person[] {
    return this.byName.in(text);
  }

  /** The members with any of these names, in article order. */
  named(names: Iterable<string>): Person[] {
    return this.byName.ofNames(names);
  }

  /** True when some member has exactly this name. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Every member an English text spells in pinyin (any order, spacing or case), in article order. */
  spelledIn(text: string): Person[] {
    const spells = spelledIn(text);
    return this.named(this.spellings.filter((spelling) => spells(spelling.aliases)).map((spelling) => spelling.name));
  }

  /** The pinyin spellings of a name, a member's or not. */
  aliasesOf(name: string): readonly string[] {
    return this.spellingOf.get(name)?.aliases ?? nameAliases(name);
  }
}
