import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** True when this file runs as TypeScript (tsx, vitest), false when compiled to dist/ by `npm run build`. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * Starts a worker thread on a TypeScript module of this project, named the way imports name
 * modules (`new URL('./x-thread.js', import.meta.url)`), in every way the project runs:
 * - compiled (`npm run build`, `npm start`): the .js file tsc wrote next to the caller's;
 * - from source (tsx scripts, vitest): the .ts file. Node 20 cannot load it alone: tsx does not
 *   register itself in worker threads on Node 20 (its loader checks isMainThread), and vitest's
 *   module runner does not reach them. So the thread first registers tsx's require hook, then
 *   requires the module. (tsx's ES module loader would do too, but it starts a second thread
 *   for its hooks: about 4× the start-up time, which every index load would wait for.)
 * A module that fails to load surfaces as the Worker's 'error' event, like any error in it.
 */
export function startModuleThread(module: URL, options: WorkerOptions = {}): Worker {
  if (!FROM_SOURCE) return new Worker(module, options);
  const file = fileURLToPath(module).replace(/\.js$/, '.ts');
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  // import(), not require: the code is evaluated as an ES module when the parent runs with
  // --input-type=module (workers inherit it), as a CommonJS script otherwise.
  const bootstrap = `import('node:module').then(({ createRequire }) => {
    const require = createRequire(${JSON.stringify(file)});
    require(${JSON.stringify(tsx)}).register();
    require(${JSON.stringify(file)});
  });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
