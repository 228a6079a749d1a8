import { sampleMeetings } from "@crm-agenda/sandbox";
import { describe, expect, it } from "vitest";
import { detectLanguage, fallbackSummaryLanguage } from "./detectLanguage";
import { type SpeakerTurn, turnId } from "./SpeakerTurn";

function turns(texts: readonly { speaker: string; text: string }[]): SpeakerTurn[] {
  return texts.map((turn, index) => ({
    id: turnId(index + 1),
    speaker: turn.speaker,
    startMs: index * 20_000,
    endMs: index * 20_000 + 18_000,
    text: turn.text,
  }));
}

describe("detectLanguage", () => {
  it.each(Object.values(sampleMeetings))("tells a meeting in $language", (meeting) => {
    expect(detectLanguage(turns(meeting.turns))).toBe(meeting.language);
  });

  it("reads turns across the whole call, so opening greetings in another language do not decide", () => {
    const spanish = sampleMeetings.es.turns;
    const call = [
      {
        speaker: "Lucía Fernández",
        text: "Hi everyone, can you hear me? Let me share my screen, one second please.",
      },
      ...Array.from({ length: 40 }, (_, index) => spanish[index % spanish.length]!),
    ];
    expect(detectLanguage(turns(call))).toBe("es");
  });

  it("falls back when there is too little speech or no language stands out", () => {
    expect(fallbackSummaryLanguage).toBe("fr");
    expect(detectLanguage(turns([{ speaker: "A", text: "Ok, merci." }]))).toBe("fr");
    expect(detectLanguage(turns([{ speaker: "A", text: "Ok, thanks." }]), { fallback: "de" })).toBe("de");
    const noise = Array.from({ length: 30 }, () => ({ speaker: "A", text: "ok ok ok ok" }));
    expect(detectLanguage(turns(noise), { fallback: "en" })).toBe("en");
  });
});
