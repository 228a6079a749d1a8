import type { StorybookConfig } from "@storybook/react-vite";
import { defaultClientConditions, mergeConfig } from "vite";

const config: StorybookConfig = {
  stories: ["../packages/*/src/**/*.stories.@(ts|tsx)"],
  addons: ["@storybook/addon-a11y"],
  framework: { name: "@storybook/react-vite", options: {} },
  core: { disableTelemetry: true },
  // Workspace packages are read from source through their `@crm-agenda/source` export condition,
  // so stories run without building anything first.
  viteFinal: (viteConfig) =>
    mergeConfig(viteConfig, {
      logLevel: "warn",
      resolve: { conditions: ["@crm-agenda/source", ...defaultClientConditions] },
      build: {
        // Storybook's own manager and preview make big chunks; ours are measured by bench:ui.
        chunkSizeWarningLimit: 4096,
        // Radix marks its modules "use client" for server-component hosts; in a client bundle the
        // directive means nothing, so the bundler's notice about dropping it is noise.
        rollupOptions: {
          onwarn(warning, warn) {
            if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
          },
          // Where the build's time goes is not news in a test run.
          checks: { pluginTimings: false },
        },
      },
    }),
};

export default config;
