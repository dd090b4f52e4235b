import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    typecheck: { enabled: false },
    // expect.poll waits for something to happen (a request to arrive, a server to stop); the
    // default 1 s made such waits fail on a loaded machine (npm run test:stress found it).
    // A poll still fails when the thing never happens, after 30 s.
    expect: { poll: { timeout: 30_000, interval: 20 } },
  },
});
