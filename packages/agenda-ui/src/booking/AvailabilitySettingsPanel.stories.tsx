import type { BookingType } from "@crm-agenda/shared";
import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { createFakeBookingFetch, type FakeBookingOptions } from "../_internal/createFakeBookingFetch";
import { AvailabilitySettingsPanel, type AvailabilitySettingsPanelProps } from "./AvailabilitySettingsPanel";

interface SettingsStoryProps extends Omit<AvailabilitySettingsPanelProps, "fetch" | "baseUrl"> {
  server: FakeBookingOptions;
}

/** The panel over a fake server of its own. */
function SettingsStory({ server, ...props }: SettingsStoryProps) {
  const [fetch] = useState(() => createFakeBookingFetch(server));
  return <AvailabilitySettingsPanel baseUrl="/api/agenda" fetch={fetch} {...props} />;
}

const discovery: BookingType = {
  id: "7d3c6f0e-8b1a-4c2d-9e3f-1a2b3c4d5e6f",
  title: "Premier rendez-vous",
  durationMinutes: 30,
  description: null,
  conference: { provider: "meet" },
  questions: [{ id: "sujet", label: "Quel est l’objet du rendez-vous ?", required: true }],
  linkToken: "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0nOp",
  createdAt: "2026-11-20T09:00:00.000Z",
  updatedAt: "2026-11-20T09:00:00.000Z",
};

const meta = {
  title: "Booking/AvailabilitySettingsPanel",
  component: SettingsStory,
  args: {
    server: { bookingTypes: [discovery] },
    bookingUrl: (token: string) => `https://crm.example/book/${token}`,
  },
} satisfies Meta<typeof SettingsStory>;
export default meta;
type Story = StoryObj<typeof meta>;

/** One booking type with its link to copy. */
export const WithBookingType: Story = {};

/** Nothing set up yet, in English. */
export const Empty: Story = { args: { server: { bookingTypes: [] }, locale: "en" } };
