/** Tunable thresholds, kept together so the eval can be read against them. */
export const EXTRACTIVE_SETTINGS = {
  /** How many retrieved passages sentences are drawn from. */
  passages: 5,
  /** Evidence is multiplied by this when a word the question asks about is in no article. */
  unknownFocusFactor: 0.6,
  /** Evidence (soft coverage of the question by the best sentence's window) below which a question is refused; chosen on eval/dev.jsonl. */
  minimumEvidence: 0.4,
  /** Longest sentence shown whole; longer ones are cut to their relevant clauses. */
  maxSentenceChars: 110,
  /** Answers stop growing past this (a list question may take more sentences up to it). */
  maxAnswerChars: 220,
  /** A list answer (an enumeration 一是…最后) may take this much. */
  maxListChars: 600,
  /** An enumeration's item is shown whole up to this, so its 二是/三是 stays in view. */
  maxListItemChars: 160,
  /** A forum summary's line per member: their main proposal, cut to this. */
  maxSummaryItemChars: 80,
};
