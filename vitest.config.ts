import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The machine is small and shared: end-to-end tests start servers and child processes.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
