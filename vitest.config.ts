import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The seed index is built once for the run; tests that only read it load it (sharedSeedIndex).
    globalSetup: ['test/support/global-setup.ts'],
    // The machine is small and shared: end-to-end tests start servers and child processes.
    testTimeout: 30_000,
    // Test files share their worker's modules: jieba's dictionary, CC-CEDICT and the general IDF
    // load once per worker, not once per file (about a second each). The tests keep no state in
    // modules they would need reset; each builds its own index and servers in temp folders.
    isolate: false,
    // vitest's default on 2 cores is one worker; many files mostly wait on the processes and
    // servers they start, so two keep both cores busy (142 s → 85 s here).
    maxWorkers: 2,
    hookTimeout: 60_000,
  },
});
