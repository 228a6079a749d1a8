import type { Preview } from "@storybook/react-vite";
import "../packages/agenda-ui/src/styles.css";

const preview: Preview = {
  parameters: {
    layout: "fullscreen",
    a11y: { test: "error" },
  },
  decorators: [
    (Story) => (
      <div style={{ height: "100vh", minHeight: 640 }}>
        <Story />
      </div>
    ),
  ],
};

export default preview;
