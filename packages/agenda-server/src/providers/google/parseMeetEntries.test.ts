import { describe, expect, it } from "vitest";
import { TranscriptFormatError } from "../../calls/callErrors";
import { parseMeetEntries } from "./parseMeetEntries";

const participants = [
  {
    name: "conferenceRecords/c1/participants/p1",
    signedinUser: { user: "users/1", displayName: "Marie Dupont" },
  },
  { name: "conferenceRecords/c1/participants/p2", anonymousUser: { displayName: "Invité Acme" } },
  { name: "conferenceRecords/c1/participants/p3", phoneUser: { displayName: "+33 6** ** ** 42" } },
];

function entry(participant: string, startTime: string, endTime: string, text: string) {
  return {
    name: `conferenceRecords/c1/transcripts/t1/entries/${startTime}`,
    participant: `conferenceRecords/c1/participants/${participant}`,
    text,
    languageCode: "fr-FR",
    startTime,
    endTime,
  };
}

describe("parseMeetEntries", () => {
  it("names speakers by display name and times turns from the first entry", () => {
    const turns = parseMeetEntries(
      [
        entry("p1", "2025-03-14T09:00:02.500Z", "2025-03-14T09:00:05Z", "Bonjour à tous."),
        entry("p2", "2025-03-14T09:00:06.123456789Z", "2025-03-14T09:00:08Z", "Bonjour !"),
        entry("p3", "2025-03-14T10:00:07+01:00", "2025-03-14T10:00:09+01:00", "Je vous entends mal."),
      ],
      participants,
    );
    expect(turns).toEqual([
      { id: "T001", speaker: "Marie Dupont", startMs: 0, endMs: 2_500, text: "Bonjour à tous." },
      { id: "T002", speaker: "Invité Acme", startMs: 3_623, endMs: 5_500, text: "Bonjour !" },
      { id: "T003", speaker: "+33 6** ** ** 42", startMs: 4_500, endMs: 6_500, text: "Je vous entends mal." },
    ]);
  });

  it("orders entries by start, merges one speaker's consecutive entries, and uses a given conference start", () => {
    const turns = parseMeetEntries(
      [
        entry("p1", "2025-03-14T09:01:10Z", "2025-03-14T09:01:12Z", "Suite."),
        entry("p1", "2025-03-14T09:01:00Z", "2025-03-14T09:01:09Z", "Début."),
        entry("unknown", "2025-03-14T09:01:20Z", "2025-03-14T09:01:21Z", "Qui parle ?"),
      ],
      participants,
      { conferenceStart: "2025-03-14T09:00:00Z" },
    );
    expect(turns.map((turn) => [turn.id, turn.speaker, turn.text, turn.startMs, turn.endMs])).toEqual([
      ["T001", "Marie Dupont", "Début. Suite.", 60_000, 72_000],
      ["T002", "", "Qui parle ?", 80_000, 81_000],
    ]);
  });

  it("refuses an entry whose time is not RFC 3339, and entries without text", () => {
    expect(() =>
      parseMeetEntries([entry("p1", "14/03/2025 09:00", "2025-03-14T09:00:01Z", "x")], participants),
    ).toThrow(new TranscriptFormatError("entry 1 has an invalid startTime"));
    expect(() =>
      parseMeetEntries([entry("p1", "2025-03-14T09:00:00Z", "2025-03-14T09:00:01Z", " ")], participants),
    ).toThrow("the transcript has no spoken text");
    expect(() => parseMeetEntries([], participants)).toThrow("the transcript has no spoken text");
  });
});
