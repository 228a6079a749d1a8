import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@crm-agenda/source"] },
  ssr: { resolve: { conditions: ["@crm-agenda/source"] } },
  test: {
    include: [
      "packages/*/src/**/*.test.{ts,tsx}",
      "packages/*/test/**/*.test.{ts,tsx}",
      "apps/*/src/**/*.test.ts",
      "test/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
    ],
    globalSetup: ["test/globalSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A poll waits for a condition (a stream's message, a hook's call, a focus given back): on a
    // loaded 2-core machine these can take more than the default second without anything being wrong.
    expect: { poll: { timeout: 10_000 } },
  },
});
