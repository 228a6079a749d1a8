import { describe, expect, it } from "vitest";
import { TranscriptFormatError } from "../../calls/callErrors";
import { parseZoomVtt } from "./parseZoomVtt";

describe("parseZoomVtt", () => {
  it("reads Zoom's cues (number, timing, Name: text) into numbered turns", () => {
    const vtt = [
      "WEBVTT",
      "",
      "1",
      "00:00:01.000 --> 00:00:04.500",
      "Marie Dupont: Bonjour à tous, on commence ?",
      "",
      "2",
      "00:00:05.000 --> 00:00:07.250",
      "Jean Martin: Oui, allons-y.",
      "",
    ].join("\n");
    expect(parseZoomVtt(vtt)).toEqual([
      {
        id: "T001",
        speaker: "Marie Dupont",
        startMs: 1_000,
        endMs: 4_500,
        text: "Bonjour à tous, on commence ?",
      },
      { id: "T002", speaker: "Jean Martin", startMs: 5_000, endMs: 7_250, text: "Oui, allons-y." },
    ]);
  });

  it("merges consecutive cues of one speaker and keeps the span of all of them", () => {
    const vtt = [
      "WEBVTT",
      "",
      "1",
      "00:00:01.000 --> 00:00:02.000",
      "Marie Dupont: Premier point.",
      "",
      "2",
      "00:00:02.500 --> 00:00:04.000",
      "Marie Dupont: Deuxième point.",
      "",
      "3",
      "00:00:04.000 --> 00:00:05.000",
      "Jean Martin: D'accord.",
    ].join("\n");
    const turns = parseZoomVtt(vtt);
    expect(turns.map((turn) => [turn.id, turn.speaker, turn.text, turn.startMs, turn.endMs])).toEqual([
      ["T001", "Marie Dupont", "Premier point. Deuxième point.", 1_000, 4_000],
      ["T002", "Jean Martin", "D'accord.", 4_000, 5_000],
    ]);
  });

  it("reads a BOM, CRLF line ends, multi-line cues, voice tags and hours past 99 minutes", () => {
    const vtt =
      "\uFEFFWEBVTT - Zoom\r\n\r\n" +
      "1\r\n01:40:00.000 --> 01:40:03.000\r\nMarie Dupont: une phrase\r\nsur deux lignes\r\n\r\n" +
      "2\r\n01:40:03.000 --> 01:40:05.000\r\n<v Jean Martin>Je suis <i>d'accord</i> &amp; ravi.</v>\r\n";
    expect(parseZoomVtt(vtt)).toEqual([
      {
        id: "T001",
        speaker: "Marie Dupont",
        startMs: 6_000_000,
        endMs: 6_003_000,
        text: "une phrase sur deux lignes",
      },
      {
        id: "T002",
        speaker: "Jean Martin",
        startMs: 6_003_000,
        endMs: 6_005_000,
        text: "Je suis d'accord & ravi.",
      },
    ]);
  });

  it("keeps names with brackets, and cues without a speaker as speaker ''", () => {
    const vtt = [
      "WEBVTT",
      "",
      "1",
      "00:00:01.000 --> 00:00:02.000",
      "Léa Moreau (Acme) [invitée]: Bonjour.",
      "",
      "2",
      "00:00:02.000 --> 00:00:03.000",
      "Une voix sans nom dans la salle.",
      "",
      "NOTE a comment that is not a cue",
      "",
      "3",
      "00:00:03.000 --> 00:00:04.000",
      "Dupont, Marie : Voilà : c'est dit.",
    ].join("\n");
    expect(parseZoomVtt(vtt).map((turn) => [turn.speaker, turn.text])).toEqual([
      ["Léa Moreau (Acme) [invitée]", "Bonjour."],
      ["", "Une voix sans nom dans la salle."],
      ["Dupont, Marie", "Voilà : c'est dit."],
    ]);
  });

  it("accepts cues without a number line, and skips cues with no text", () => {
    const vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nA: un\n\n3\n00:00:02.000 --> 00:00:03.000\n\n";
    expect(parseZoomVtt(vtt)).toEqual([
      { id: "T001", speaker: "A", startMs: 1_000, endMs: 2_000, text: "un" },
    ]);
  });

  it("refuses what is not WebVTT, naming the reason", () => {
    expect(() => parseZoomVtt('{"transcript": []}')).toThrow(
      new TranscriptFormatError("not a WebVTT file: the first line must be WEBVTT"),
    );
    expect(() => parseZoomVtt("")).toThrow(TranscriptFormatError);
  });

  it("names the cue whose timing line is malformed", () => {
    const vtt =
      "WEBVTT\n\n11\n00:00:01.000 --> 00:00:02.000\nA: un\n\n12\n00:00:02 --> 00:00:03.000\nA: deux\n";
    expect(() => parseZoomVtt(vtt)).toThrow("cue 12 has a malformed timing line");
    expect(() => parseZoomVtt("WEBVTT\n\n4\nA: deux\n")).toThrow("cue 4 has no timing line");
    expect(() => parseZoomVtt("WEBVTT\n\n5\n00:00:03.000 --> 00:00:02.000\nA: x\n")).toThrow(
      "cue 5 ends before it starts",
    );
  });

  it("refuses a transcript without spoken text", () => {
    expect(() => parseZoomVtt("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n\n")).toThrow(
      "the transcript has no spoken text",
    );
    expect(() => parseZoomVtt("WEBVTT\n")).toThrow("the transcript has no spoken text");
  });
});
