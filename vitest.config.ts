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
  },
});
