import { copyFile } from "node:fs/promises";
import { defineConfig } from "tsup";

export default defineConfig({
  // English is an entry of its own, so a French-only host never downloads its words; the settings
  // panel, the ICS feed's panel and the repetition fields too: only the hosts that show them load them.
  entry: {
    index: "src/index.ts",
    "messages/en": "src/messages/englishMessages.ts",
    connections: "src/connections.ts",
    // The booking pages and settings: most hosts' agenda pages never show them.
    booking: "src/booking/index.ts",
    ics: "src/ics.ts",
    recurrence: "src/recurrence.ts",
  },
  format: ["esm", "cjs"],
  // CommonJS too: the panel's entry must share the main entry's context and cache code, not copy it.
  splitting: true,
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // Peers come from the host, once: bundling a second React or QueryClient would break hooks and cache,
  // and a second Radix would keep its own stack of layers (two dialogs both "on top" for Escape).
  external: ["react", "react-dom", "react/jsx-runtime", "@tanstack/react-query", "@radix-ui/react-dialog"],
  // Hooks and context: a client module for React Server Components hosts.
  banner: { js: '"use client";' },
  onSuccess: async () => {
    await copyFile("src/styles.css", "dist/styles.css");
  },
});
