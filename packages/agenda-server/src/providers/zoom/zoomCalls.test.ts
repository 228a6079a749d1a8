import { describe, expect, it } from "vitest";
import { zoomCallSource, zoomMeetingPath } from "./zoomCalls";

describe("zoomMeetingPath", () => {
  it("encodes a plain UUID once", () => {
    expect(zoomMeetingPath("aDYlohsHRtCd4ii1uC2+hA==")).toBe("aDYlohsHRtCd4ii1uC2%2BhA%3D%3D");
  });

  it("encodes twice a UUID that starts with / or holds //", () => {
    expect(zoomMeetingPath("/ajXp112QmuoKj4854875==")).toBe("%252FajXp112QmuoKj4854875%253D%253D");
    expect(zoomMeetingPath("ab//cd==")).toBe("ab%252F%252Fcd%253D%253D");
  });
});

describe("zoomCallSource", () => {
  const meeting = {
    uuid: "u1==",
    id: 85746352014,
    host_id: "host",
    topic: "Appel découverte",
    start_time: "2026-11-23T09:30:00Z",
    duration: 45,
    recording_files: [
      { id: "f1", file_type: "MP4", download_url: "https://zoom.us/rec/download/f1" },
      {
        id: "f2",
        file_type: "TRANSCRIPT",
        status: "completed",
        recording_start: "2026-11-23T09:31:00Z",
        recording_end: "2026-11-23T10:14:00Z",
        download_url: "https://zoom.us/rec/download/f2",
        play_url: "https://zoom.us/rec/play/f2",
      },
    ],
  };

  it("takes the transcript file and its times", () => {
    expect(zoomCallSource(meeting, "c1")).toEqual({
      provider: "zoom",
      connectionId: "c1",
      key: "u1==",
      meetingId: "85746352014",
      topic: "Appel découverte",
      startTime: "2026-11-23T09:31:00.000Z",
      endTime: "2026-11-23T10:14:00.000Z",
      transcriptFileId: "f2",
      transcriptUrl: "https://zoom.us/rec/play/f2",
      downloadUrl: "https://zoom.us/rec/download/f2",
    });
  });

  it("answers null for a recording without a finished transcript", () => {
    expect(zoomCallSource({ ...meeting, recording_files: [meeting.recording_files[0]!] }, "c1")).toBeNull();
  });
});
