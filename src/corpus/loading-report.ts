import type { ArticleFileError } from '../errors.js';
import type { WebPageRead } from './load.js';

/**
 * What loading the seeds did, a line per file worth mentioning, for the ingest output and
 * /reindex: which files were read as web pages and why, and which were not indexed and why
 * (each reason says whether the file was skipped or refused).
 */
export function loadingReport(loaded: { webPages: readonly WebPageRead[]; problems: readonly ArticleFileError[] }): string[] {
  return [
    ...loaded.webPages.map((page) => `read as a web page: ${page.file} (${page.why}); its article was extracted from the HTML`),
    ...loaded.problems.map((problem) => `not indexed: ${problem.message}`),
  ];
}
