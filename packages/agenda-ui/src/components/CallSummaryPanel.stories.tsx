import type { Meta, StoryObj } from "@storybook/react-vite";
import { useEffect, useState } from "react";
import { createFakeSummaryFetch, type FakeSummaryOptions } from "../_internal/createFakeSummaryFetch";
import { languageProps } from "../_internal/languageProps";
import {
  sampleCallEventId,
  sampleReadySummary,
  sampleStreamScript,
  sampleSummaryWith,
} from "../_internal/sampleSummary";
import { AgendaProvider, type AgendaProviderProps } from "../AgendaProvider";
import { CallSummaryPanel } from "./CallSummaryPanel";

interface SummaryStoryProps {
  /** What the fake server holds and how it answers. */
  server: FakeSummaryOptions;
  /** Play the writing of the summary on each stream, one message every this many milliseconds. */
  playEveryMs?: number;
  locale?: AgendaProviderProps["locale"];
  theme?: "light" | "dark";
}

/** The panel over a fake server of its own, inside an agenda root for the styles. */
function SummaryStory({ server, playEveryMs, locale, theme }: SummaryStoryProps) {
  const [timers] = useState(() => new Set<ReturnType<typeof setTimeout>>());
  const [fake] = useState(() =>
    createFakeSummaryFetch({
      writeDelayMs: 400,
      ...server,
      onStream: (stream) => {
        if (playEveryMs === undefined) return;
        sampleStreamScript().forEach((message, index) => {
          const timer = setTimeout(
            () => {
              stream.send(message);
              if (message.type === "summary") stream.close();
            },
            playEveryMs * (index + 1),
          );
          timers.add(timer);
        });
      },
    }),
  );
  useEffect(() => () => timers.forEach(clearTimeout), [timers]);
  return (
    <AgendaProvider
      baseUrl="/api/agenda"
      fetch={fake.fetch}
      {...languageProps(locale)}
      timeZone="Europe/Paris"
    >
      <div className="agenda-root" data-theme={theme} style={{ height: "auto", minHeight: 0, padding: 24 }}>
        <div style={{ maxWidth: 560 }}>
          <CallSummaryPanel eventId={sampleCallEventId} />
        </div>
      </div>
    </AgendaProvider>
  );
}

const meta = {
  title: "Event dialog/Call summary",
  component: SummaryStory,
  args: { server: { summaries: { [sampleCallEventId]: sampleReadySummary } } },
} satisfies Meta<typeof SummaryStory>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The summary: executive summary, key points, decisions, action items, transcript, Copy, Regenerate. */
export const Ready: Story = {};

/** An event that was not a call. */
export const NothingToSummarize: Story = {
  args: {
    server: {
      summaries: { [sampleCallEventId]: sampleSummaryWith({ status: "none", transcriptUrl: null }) },
    },
  },
};

/** The call has ended; its transcript is not there yet. */
export const WaitingForTranscript: Story = {
  args: { server: { summaries: { [sampleCallEventId]: sampleSummaryWith({ status: "pending" }) } } },
};

/** The AI service is unreachable; the server will try again by itself. */
export const WaitingForAi: Story = {
  args: { server: { summaries: { [sampleCallEventId]: sampleSummaryWith({ status: "waiting_for_ai" }) } } },
};

/** Being written: the excerpts are read, then the summary appears as the model writes it. */
export const Writing: Story = {
  args: {
    server: { summaries: { [sampleCallEventId]: sampleSummaryWith({ status: "in_progress" }) } },
    playEveryMs: 120,
  },
};

/** It failed, with the reason and Retry; the retry then writes the summary live. */
export const Failed: Story = {
  args: {
    server: {
      summaries: {
        [sampleCallEventId]: sampleSummaryWith({
          status: "failed",
          error: "Le service de résumé a répondu deux fois un texte illisible.",
        }),
      },
    },
    playEveryMs: 120,
  },
};

/** Regenerate refused: the call has no transcript any more. Click Regenerate twice. */
export const RegenerateRefused: Story = {
  args: {
    server: {
      summaries: { [sampleCallEventId]: sampleReadySummary },
      regenerateFailure: { status: 409, body: { error: { code: "conflict", message: "No transcript" } } },
    },
  },
};

/** Before the server answers. */
export const Loading: Story = { args: { server: { summaryDelayMs: Number.POSITIVE_INFINITY } } };

/** In English. */
export const English: Story = { args: { locale: "en" } };

/** The dark theme, chosen by the host. */
export const Dark: Story = { args: { theme: "dark" }, globals: { backgrounds: { value: "dark" } } };
