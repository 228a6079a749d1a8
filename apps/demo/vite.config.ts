import { defineConfig } from "vite";

export default defineConfig({
  resolve: { conditions: ["@crm-agenda/source"] },
  oxc: { jsx: { runtime: "automatic" } },
});
