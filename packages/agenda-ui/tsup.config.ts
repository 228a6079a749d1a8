import { copyFile } from "node:fs/promises";
import { defineConfig } from "tsup";

export default defineConfig({
  // English is an entry of its own, so a French-only host never downloads its words.
  // The booking pages and settings too: most hosts' agenda pages never show them.
  entry: {
    index: "src/index.ts",
    "messages/en": "src/messages/englishMessages.ts",
    booking: "src/booking/index.ts",
  },
  format: ["esm", "cjs"],
  // Each entry whole, as the CommonJS build is: a chunk shared with the booking entry costs the main
  // entry 0.2 kB gzipped (measured), and the two are rarely on one page.
  splitting: false,
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
