import { readFile } from 'node:fs/promises';

/** eval/archive/members.json: per article, the speaking members and the other people named. */
export type ExpectedMembers = Record<string, { members: { name: string; organisation: string; post: string }[]; others: { name: string; role: string }[] }>;

export interface ExtractedMember {
  name: string;
  organisation: string;
  post: string;
}

export interface MemberScore {
  expected: number;
  extracted: number;
  /** Members found by name. */
  namesFound: number;
  /** Members found with name, organisation and post exactly as the article states them. */
  exactFound: number;
  /** Extracted people who are not speaking members (moderators, officials, reporters, chrome). */
  falsePositives: { article: string; name: string }[];
  /** Members found by name whose organisation or post differ. */
  mismatches: { article: string; name: string; expected: string; got: string }[];
  missed: { article: string; name: string }[];
  nameRecall: number;
  namePrecision: number;
  exactRecall: number;
  exactPrecision: number;
}

export async function readExpectedMembers(file: string): Promise<ExpectedMembers> {
  return JSON.parse(await readFile(file, 'utf8')) as ExpectedMembers;
}

/** Member extraction against the expected members, article by article. */
export function scoreMembers(expected: ExpectedMembers, extractedBy: (article: string) => ExtractedMember[]): MemberScore {
  const score: MemberScore = {
    expected: 0, extracted: 0, namesFound: 0, exactFound: 0, falsePositives: [], mismatches: [], missed: [],
    nameRecall: 0, namePrecision: 0, exactRecall: 0, exactPrecision: 0,
  };
  for (const [article, { members }] of Object.entries(expected)) {
    const extracted = extractedBy(article);
    score.expected += members.length;
    score.extracted += extracted.length;
    for (const member of members) {
      const found = extracted.find((person) => person.name === member.name);
      if (!found) {
        score.missed.push({ article, name: member.name });
        continue;
      }
      score.namesFound++;
      if (found.organisation === member.organisation && found.post === member.post) score.exactFound++;
      else score.mismatches.push({ article, name: member.name, expected: `${member.organisation} | ${member.post}`, got: `${found.organisation} | ${found.post}` });
    }
    for (const person of extracted) {
      if (!members.some((member) => member.name === person.name)) score.falsePositives.push({ article, name: person.name });
    }
  }
  const share = (count: number, total: number) => (total ? count / total : 0);
  score.nameRecall = share(score.namesFound, score.expected);
  score.namePrecision = share(score.namesFound, score.extracted);
  score.exactRecall = share(score.exactFound, score.expected);
  score.exactPrecision = share(score.exactFound, score.extracted);
  return score;
}
