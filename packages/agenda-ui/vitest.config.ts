import { defineConfig } from "vitest/config";

// Runs this package's tests on their own (`pnpm --filter @crm-agenda/ui exec vitest run`), without the
// workspace's global setup, which starts a database the UI does not need.
export default defineConfig({
  resolve: { conditions: ["@crm-agenda/source"] },
  ssr: { resolve: { conditions: ["@crm-agenda/source"] } },
  test: { include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"] },
});
