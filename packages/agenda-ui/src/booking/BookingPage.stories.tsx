import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { createFakeBookingFetch, type FakeBookingOptions } from "../_internal/createFakeBookingFetch";
import { BookingPage, type BookingPageProps } from "./BookingPage";

const now = new Date("2026-12-01T07:00:00Z");
const token = "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0nOp";

function weekOfSlots(): FakeBookingOptions["slots"] {
  const slots = [];
  for (let day = 0; day < 7; day++) {
    for (const hour of [8, 9, 13, 15]) {
      const start = new Date(Date.UTC(2026, 11, 1 + day, hour, 0));
      if ([0, 6].includes(start.getUTCDay())) continue;
      slots.push({ start: start.toISOString(), end: new Date(start.getTime() + 30 * 60_000).toISOString() });
    }
  }
  return slots;
}

interface BookingStoryProps extends Omit<BookingPageProps, "fetch" | "baseUrl" | "token"> {
  server: FakeBookingOptions;
}

/** The page over a fake server of its own. */
function BookingStory({ server, ...props }: BookingStoryProps) {
  const [fetch] = useState(() => createFakeBookingFetch(server));
  return <BookingPage baseUrl="/api/agenda" token={token} fetch={fetch} {...props} />;
}

const type = {
  title: "Premier rendez-vous",
  durationMinutes: 30,
  description: "Une demi-heure pour faire connaissance.",
  video: "meet" as const,
  questions: [
    { id: "sujet", label: "Quel est l’objet du rendez-vous ?", required: true },
    { id: "societe", label: "Votre société", required: false },
  ],
};

const meta = {
  title: "Booking/BookingPage",
  component: BookingStory,
  args: {
    server: { type, slots: weekOfSlots() },
    now,
    defaultTimeZone: "Europe/Paris",
    manageUrl: (secret: string) => `#${secret}`,
  },
} satisfies Meta<typeof BookingStory>;
export default meta;
type Story = StoryObj<typeof meta>;

/** A week of free slots, in French, in Paris time. */
export const FreeSlots: Story = {};

/** The same link in English, for a guest in New York. */
export const English: Story = { args: { locale: "en", defaultTimeZone: "America/New_York" } };

/** A week with nothing free. */
export const NoFreeSlot: Story = { args: { server: { type, slots: [] } } };

/** A link its owner replaced. */
export const LinkNotFound: Story = { args: { server: { type: null } } };
