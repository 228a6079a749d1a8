/// <reference types="vite/client" />
// The page stories.browser.test.ts drives: every story of the package, composed with Storybook's
// preview (decorators, styles.css), rendered and its play function run as in Storybook (?story=<id>).
import { composeStories, setProjectAnnotations } from "@storybook/react-vite";
import preview from "../../../../.storybook/preview";

declare global {
  interface Window {
    /** "passed", or why the story failed to render or its play function failed; unset while it runs. */
    storyOutcome?: string;
  }
}

setProjectAnnotations(preview);

const modules = import.meta.glob<Parameters<typeof composeStories>[0]>("../../src/**/*.stories.tsx", {
  eager: true,
});
/** What this page needs of a composed story. */
interface PortableStory {
  id: string;
  run: (context: { canvasElement: HTMLElement }) => Promise<void>;
}

const stories = Object.values(modules).flatMap(
  (module) => Object.values(composeStories(module)) as PortableStory[],
);
const wanted = new URLSearchParams(window.location.search).get("story");
const story = stories.find((candidate) => candidate.id === wanted);

if (story === undefined) {
  window.storyOutcome = `no story ${wanted}; there are ${stories.map((candidate) => candidate.id).join(", ")}`;
} else {
  story.run({ canvasElement: document.getElementById("storybook-root")! }).then(
    () => {
      window.storyOutcome = "passed";
    },
    (error: unknown) => {
      window.storyOutcome = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
    },
  );
}
