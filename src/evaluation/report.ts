import type { MemberScore } from './members.js';
import { summarize, type QuestionScore, type Summary } from './score.js';

/** A question's score with the baseline's beside it. */
export interface ComparedScore extends QuestionScore {
  baseline: { hitAt1: boolean | null; allFacts: boolean | null };
}

export interface GroupRow {
  group: string;
  summary: Summary;
  baselineHitAt1: number;
  baselineAllFacts: number;
  /** Questions with an answer span (hit@1 counts these). */
  withPassage: number;
}

/** Rows for Chinese, English, each style and each kind. */
export function groupRows(scores: ComparedScore[]): GroupRow[] {
  const rows: GroupRow[] = [];
  const add = (group: string, members: ComparedScore[]) => {
    if (!members.length) return;
    const withPassage = members.filter((score) => score.baseline.hitAt1 !== null);
    const answerable = members.filter((score) => score.answerable);
    rows.push({
      group,
      summary: summarize(members),
      withPassage: withPassage.length,
      baselineHitAt1: share(withPassage.filter((score) => score.baseline.hitAt1).length, withPassage.length),
      baselineAllFacts: share(answerable.filter((score) => score.baseline.allFacts).length, answerable.length),
    });
  };
  add('zh', scores.filter((score) => score.lang === 'zh'));
  add('en', scores.filter((score) => score.lang === 'en'));
  for (const style of unique(scores.map((score) => score.style))) add(`style ${style}`, scores.filter((score) => score.style === style));
  for (const kind of unique(scores.map((score) => score.kind))) add(`kind ${kind}`, scores.filter((score) => score.kind === kind));
  return rows;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function share(count: number, total: number): number {
  return total ? count / total : 0;
}

/** The issue's targets for the dev set and the archive (built-in defaults, no network). */
export function missedGeneralisationTargets(scores: ComparedScore[], rows: GroupRow[], members?: MemberScore): string[] {
  const missed: string[] = [];
  const zh = summarize(scores.filter((score) => score.lang === 'zh'));
  const en = summarize(scores.filter((score) => score.lang === 'en'));
  const all = summarize(scores);
  if (zh.questions) {
    if (zh.hitAt1 < 0.85) missed.push(`zh hit@1 ${zh.hitAt1.toFixed(2)} < 0.85`);
    if (zh.allFacts < 0.8) missed.push(`zh all facts ${zh.allFacts.toFixed(2)} < 0.80`);
  }
  if (en.questions && en.hitAt1 < 0.6) missed.push(`en hit@1 ${en.hitAt1.toFixed(2)} < 0.60`);
  if (all.answerable && all.falseRefusals / all.answerable > 0.05) missed.push(`false refusals ${all.falseRefusals}/${all.answerable} > 5%`);
  if (all.shouldRefuse && all.correctRefusals / all.shouldRefuse < 0.9) missed.push(`refused ${all.correctRefusals}/${all.shouldRefuse} unanswerable/chrome < 90%`);
  for (const row of rows) {
    if (!row.withPassage || row.group === 'zh' || row.group === 'en') continue;
    const ours = row.summary.hitAt1;
    if (ours < row.baselineHitAt1 || (ours === row.baselineHitAt1 && ours < 1)) {
      missed.push(`${row.group}: hit@1 ${ours.toFixed(2)} does not beat the baseline's ${row.baselineHitAt1.toFixed(2)}`);
    }
  }
  const short = scores.filter((score) => !score.refused && !['list', 'summary'].includes(score.kind));
  const meanShort = short.length ? short.reduce((sum, score) => sum + score.answerChars, 0) / short.length : 0;
  if (meanShort > 150) missed.push(`mean answer ${Math.round(meanShort)} chars > 150 (lists and summaries aside)`);
  if (members) {
    if (members.exactRecall < 0.95) missed.push(`member recall ${members.exactRecall.toFixed(2)} < 0.95`);
    if (members.exactPrecision < 0.95) missed.push(`member precision ${members.exactPrecision.toFixed(2)} < 0.95`);
  }
  return missed;
}

/** The public set's gate (CI): Chinese and English targets of the first issues. */
export function missedPublicTargets(scores: QuestionScore[]): string[] {
  const zh = summarize(scores.filter((score) => score.lang === 'zh'));
  const en = summarize(scores.filter((score) => score.lang === 'en'));
  const missed: string[] = [];
  if (zh.hitAt1 < 0.9) missed.push(`hit@1 ${zh.hitAt1.toFixed(2)} < 0.90`);
  if (zh.allFacts < 0.8) missed.push(`all facts ${zh.allFacts.toFixed(2)} < 0.80`);
  if (zh.correctRefusals < zh.shouldRefuse) missed.push(`refused ${zh.correctRefusals}/${zh.shouldRefuse} unanswerable questions`);
  if (zh.falseRefusals > 0) missed.push(`${zh.falseRefusals} answerable question(s) refused`);
  if (en.questions) {
    if (en.hitAt1 < 0.7) missed.push(`English hit@1 ${en.hitAt1.toFixed(2)} < 0.70`);
    if (en.correctRefusals < en.shouldRefuse) missed.push(`English: refused ${en.correctRefusals}/${en.shouldRefuse} unanswerable questions`);
  }
  return missed;
}

const pct = (value: number) => value.toFixed(2);

export function formatRows(rows: GroupRow[]): string {
  const header = ['group', 'n', 'hit@1', 'hit@5', 'facts', 'refused', 'false ref.', 'chars', 'p95 ms', '| base hit@1', 'base facts'];
  const lines = rows.map((row) => {
    const s = row.summary;
    return [
      row.group,
      String(s.questions),
      row.withPassage ? pct(s.hitAt1) : '-',
      row.withPassage ? pct(s.hitAt5) : '-',
      s.answerable ? pct(s.allFacts) : '-',
      s.shouldRefuse ? `${s.correctRefusals}/${s.shouldRefuse}` : '-',
      s.answerable ? `${s.falseRefusals}/${s.answerable}` : '-',
      String(s.meanAnswerChars),
      String(s.p95Ms),
      row.withPassage ? `| ${pct(row.baselineHitAt1)}` : '| -',
      s.answerable ? pct(row.baselineAllFacts) : '-',
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}

export function formatMembers(score: MemberScore): string {
  const lines = [
    `members: ${score.expected} expected, ${score.extracted} extracted · names recall ${pct(score.nameRecall)} precision ${pct(score.namePrecision)} · name+organisation+post recall ${pct(score.exactRecall)} precision ${pct(score.exactPrecision)}`,
  ];
  if (score.missed.length) lines.push(`  missed: ${score.missed.map((m) => `${m.article} ${m.name}`).join(', ')}`);
  if (score.falsePositives.length) lines.push(`  not members: ${score.falsePositives.map((m) => `${m.article} ${m.name}`).join(', ')}`);
  for (const mismatch of score.mismatches) lines.push(`  ${mismatch.article} ${mismatch.name}: expected ${mismatch.expected}, got ${mismatch.got}`);
  return lines.join('\n');
}

export function formatScore(score: ComparedScore, verbose: boolean): string {
  const mark = (value: boolean | null) => (value === null ? '-' : value ? '✓' : '✗');
  const outcome = score.answerable
    ? `${score.refused ? 'REFUSED' : 'answered'} hit@1 ${mark(score.hitAt1)} hit@5 ${mark(score.hitAt5)} facts ${mark(score.allFacts)}${score.missingFacts.length ? ` (missing ${score.missingFacts.join(', ')})` : ''}`
    : `${score.refused ? 'refused ✓' : 'ANSWERED ✗'}`;
  const evidence = score.evidence !== undefined ? ` · evidence ${score.evidence.toFixed(2)}${score.hardRefusal ? ' (rule)' : ''}` : '';
  const line = `${score.id.padEnd(5)} ${score.lang} ${score.style.padEnd(10)} ${score.kind.padEnd(12)} ${outcome} · ${score.answerChars} chars · ${score.ms} ms${evidence} · base hit@1 ${mark(score.baseline.hitAt1)}`;
  const wrong = score.answerable ? !score.allFacts || !score.hitAt1 : !score.refused;
  return verbose || wrong ? `${line}\n      ${score.answer.replace(/\n/g, '\n      ')}` : line;
}

export interface CurvePoint {
  threshold: number;
  correctRefusals: number;
  shouldRefuse: number;
  falseRefusals: number;
  answerable: number;
}

/**
 * The refusal trade-off: for each threshold on the evidence score, how many unanswerable and
 * page-chrome questions would be refused and how many answerable ones would be (falsely).
 * Refusals by rule (a named person, year or number the articles lack) stay refusals.
 */
export function refusalCurve(scores: QuestionScore[], thresholds: number[]): CurvePoint[] {
  const scored = scores.filter((score) => score.evidence !== undefined);
  return thresholds.map((threshold) => {
    const refuses = (score: QuestionScore) => Boolean(score.hardRefusal) || score.evidence! < threshold;
    return {
      threshold,
      correctRefusals: scored.filter((score) => !score.answerable && refuses(score)).length,
      shouldRefuse: scored.filter((score) => !score.answerable).length,
      falseRefusals: scored.filter((score) => score.answerable && refuses(score)).length,
      answerable: scored.filter((score) => score.answerable).length,
    };
  });
}

export function formatCurve(points: CurvePoint[], current?: number): string {
  return [
    'threshold  unanswerable refused  answerable refused (false)',
    ...points.map(
      (point) =>
        `${point.threshold.toFixed(2).padStart(9)}  ${`${point.correctRefusals}/${point.shouldRefuse}`.padStart(20)}  ${`${point.falseRefusals}/${point.answerable}`.padStart(26)}${current !== undefined && Math.abs(point.threshold - current) < 1e-9 ? '   ← configured' : ''}`,
    ),
  ].join('\n');
}
