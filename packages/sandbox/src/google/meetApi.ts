import { randomBytes } from "node:crypto";
import type { Express, Request, Response } from "express";
import type { OAuthAuthority, SandboxAccount } from "../oauth/createOAuthAuthority";
import { googleApiError } from "./googleApiError";

/** What {@link createMeetApi}'s `addMeetCall` takes: one finished, transcribed Meet call. */
export interface AddMeetCallInput {
  /** The account whose call it is (the space's owner, who reads it with their token). */
  account: SandboxAccount;
  /** The meeting's title; Meet itself keeps none, it names the transcript document ("{title} - Transcript"). */
  title: string;
  start: Date;
  end: Date;
  /** What was said, in order; `speaker` is a participant's name, `offsetMs` the time into the call. */
  entries: { speaker: string; text: string; offsetMs: number; durationMs?: number }[];
  /** Who took part. Those with an e-mail are signed-in Google users; the others join anonymously. */
  participants: { name: string; email?: string }[];
  /** The space's meeting code; a fresh `abc-defg-hij` one by default. */
  meetingCode?: string;
  /** Language of the entries, BCP 47. @default "fr-FR" */
  languageCode?: string;
}

/** The resource names of a call added with `addMeetCall`, as the Meet REST API spells them. */
export interface SandboxMeetCall {
  conferenceRecord: string;
  transcript: string;
  space: string;
  meetingCode: string;
  title: string;
  /** The transcript's Google Docs document id and its export link. */
  document: string;
  exportUri: string;
}

interface StoredCall extends SandboxMeetCall {
  ownerId: string;
  start: string;
  end: string;
  entries: {
    name: string;
    participant: string;
    text: string;
    languageCode: string;
    startTime: string;
    endTime: string;
  }[];
  participants: Record<string, unknown>[];
}

const defaultPageSizes = { conferenceRecords: 25, transcripts: 10, entries: 10, participants: 100 };
const maxPageSizes = { conferenceRecords: 100, transcripts: 100, entries: 100, participants: 250 };

/**
 * The Google Meet REST API v2, as documented at
 * https://developers.google.com/workspace/meet/api/reference/rest/v2 (served at its real paths under
 * the sandbox's base URL, standing for https://meet.googleapis.com):
 * - GET /v2/conferenceRecords — `filter` (EBNF over `start_time`, `end_time`, `space.name`,
 *   `space.meeting_code`, e.g. `end_time>="2024-01-01T00:00:00.000Z"`), `pageSize` (25 by default, 100
 *   at most), `pageToken`; newest first; only the caller's conferences.
 * - GET /v2/conferenceRecords/{id}; GET /v2/spaces/{id} (`meetingCode`, `meetingUri`).
 * - GET /v2/conferenceRecords/{id}/transcripts[/{id}] — `state` FILE_GENERATED and
 *   `docsDestination { document, exportUri }`.
 * - GET …/transcripts/{id}/entries — 10 entries a page by default, 100 at most, oldest first.
 * - GET /v2/conferenceRecords/{id}/participants — `signedinUser { user, displayName }` or
 *   `anonymousUser { displayName }`; never an e-mail.
 * Every route wants the owner's OAuth bearer token. Test controls: `failNext(status, count)` makes the
 * next requests answer an error (429, 503…), `stats.requests` counts them.
 */
export function createMeetApi(app: Express, oauth: OAuthAuthority) {
  const calls: StoredCall[] = [];
  const stats = { requests: 0 };
  const failures: number[] = [];

  const before = (req: Request, res: Response): SandboxAccount | undefined => {
    stats.requests++;
    const failure = failures.shift();
    if (failure !== undefined) {
      res
        .status(failure)
        .json(
          googleApiError(
            failure,
            failure === 429 ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE",
            "Injected failure.",
          ),
        );
      return undefined;
    }
    const account = oauth.bearer(req);
    if (!account) {
      res
        .status(401)
        .json(googleApiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
      return undefined;
    }
    return account;
  };
  const notFound = (res: Response, what: string) =>
    res.status(404).json(googleApiError(404, "NOT_FOUND", `Requested entity was not found: ${what}.`));
  const callOf = (account: SandboxAccount, recordId: string) =>
    calls.find(
      (call) => call.conferenceRecord === `conferenceRecords/${recordId}` && call.ownerId === account.id,
    );

  function page<T>(req: Request, res: Response, items: T[], kind: keyof typeof defaultPageSizes) {
    const asked = Number(req.query.pageSize ?? 0);
    const size = Math.min(asked > 0 ? asked : defaultPageSizes[kind], maxPageSizes[kind]);
    const token = String(req.query.pageToken ?? "");
    const offset =
      token === ""
        ? 0
        : Number(
            Buffer.from(token, "base64url")
              .toString("utf8")
              .replace(/^offset:/, ""),
          );
    if (!Number.isInteger(offset) || offset < 0) {
      res.status(400).json(googleApiError(400, "INVALID_ARGUMENT", "Invalid page token."));
      return undefined;
    }
    const next =
      offset + size < items.length ? Buffer.from(`offset:${offset + size}`).toString("base64url") : undefined;
    return { items: items.slice(offset, offset + size), ...(next && { nextPageToken: next }) };
  }

  const recordJson = (call: StoredCall) => ({
    name: call.conferenceRecord,
    startTime: call.start,
    endTime: call.end,
    expireTime: new Date(Date.parse(call.end) + 30 * 86_400_000).toISOString(),
    space: call.space,
  });
  const transcriptJson = (call: StoredCall) => ({
    name: call.transcript,
    state: "FILE_GENERATED",
    startTime: call.start,
    endTime: call.end,
    docsDestination: { document: call.document, exportUri: call.exportUri },
  });

  app.get("/v2/conferenceRecords", (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const filter = parseFilter(String(req.query.filter ?? ""));
    if (filter === null) {
      res.status(400).json(googleApiError(400, "INVALID_ARGUMENT", "Invalid filter."));
      return;
    }
    const mine = calls
      .filter((call) => call.ownerId === account.id && filter(call))
      .sort((first, second) => Date.parse(second.start) - Date.parse(first.start));
    const answer = page(req, res, mine.map(recordJson), "conferenceRecords");
    if (answer)
      res.json({
        conferenceRecords: answer.items,
        ...(answer.nextPageToken && { nextPageToken: answer.nextPageToken }),
      });
  });

  app.get("/v2/conferenceRecords/:record", (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const call = callOf(account, req.params.record);
    if (!call) return notFound(res, `conferenceRecords/${req.params.record}`);
    res.json(recordJson(call));
  });

  app.get("/v2/conferenceRecords/:record/transcripts", (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const call = callOf(account, req.params.record);
    if (!call) return notFound(res, `conferenceRecords/${req.params.record}`);
    const answer = page(req, res, [transcriptJson(call)], "transcripts");
    if (answer)
      res.json({
        transcripts: answer.items,
        ...(answer.nextPageToken && { nextPageToken: answer.nextPageToken }),
      });
  });

  app.get("/v2/conferenceRecords/:record/transcripts/:transcript", (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const call = callOf(account, req.params.record);
    if (!call || call.transcript !== `${call.conferenceRecord}/transcripts/${req.params.transcript}`)
      return notFound(res, `transcripts/${req.params.transcript}`);
    res.json(transcriptJson(call));
  });

  app.get("/v2/conferenceRecords/:record/transcripts/:transcript/entries", (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const call = callOf(account, req.params.record);
    if (!call || call.transcript !== `${call.conferenceRecord}/transcripts/${req.params.transcript}`)
      return notFound(res, `transcripts/${req.params.transcript}`);
    const answer = page(req, res, call.entries, "entries");
    if (answer)
      res.json({
        transcriptEntries: answer.items,
        ...(answer.nextPageToken && { nextPageToken: answer.nextPageToken }),
      });
  });

  app.get("/v2/conferenceRecords/:record/participants", (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const call = callOf(account, req.params.record);
    if (!call) return notFound(res, `conferenceRecords/${req.params.record}`);
    const answer = page(req, res, call.participants, "participants");
    if (answer)
      res.json({
        participants: answer.items,
        totalSize: call.participants.length,
        ...(answer.nextPageToken && { nextPageToken: answer.nextPageToken }),
      });
  });

  app.get("/v2/spaces/:space", (req, res) => {
    const account = before(req, res);
    if (!account) return;
    const call = calls.find(
      (candidate) => candidate.space === `spaces/${req.params.space}` && candidate.ownerId === account.id,
    );
    if (!call) return notFound(res, `spaces/${req.params.space}`);
    res.json({
      name: call.space,
      meetingUri: `https://meet.google.com/${call.meetingCode}`,
      meetingCode: call.meetingCode,
      config: { accessType: "TRUSTED", entryPointAccess: "ALL" },
    });
  });

  return {
    stats,
    /** Makes the next `count` requests answer `status` (e.g. 429 or 503) before any other check. */
    failNext(status: number, count = 1) {
      for (let index = 0; index < count; index++) failures.push(status);
    },
    /** Holds a finished call with its generated transcript, as Meet has it once the file is written. */
    addMeetCall(input: AddMeetCallInput): SandboxMeetCall {
      const id = () => randomBytes(9).toString("base64url");
      const conferenceRecord = `conferenceRecords/${id()}`;
      const transcript = `${conferenceRecord}/transcripts/${id()}`;
      const document = randomBytes(18).toString("base64url");
      const letters = () =>
        Array.from({ length: 10 }, () => "abcdefghijkmnopqrstuvwxyz"[randomBytes(1)[0]! % 25]).join("");
      const code = letters();
      const meetingCode = input.meetingCode ?? `${code.slice(0, 3)}-${code.slice(3, 7)}-${code.slice(7)}`;
      const participants = input.participants.map((person, index) => {
        const name = `${conferenceRecord}/participants/${1000 + index}`;
        const earliestStartTime = input.start.toISOString();
        const latestEndTime = input.end.toISOString();
        return person.email
          ? {
              name,
              earliestStartTime,
              latestEndTime,
              signedinUser: { user: `users/${100_000 + index}`, displayName: person.name },
            }
          : { name, earliestStartTime, latestEndTime, anonymousUser: { displayName: person.name } };
      });
      const participantOf = (speaker: string) =>
        participants.find(
          (participant) => (participant.signedinUser ?? participant.anonymousUser)?.displayName === speaker,
        )?.name ?? `${conferenceRecord}/participants/unknown`;
      const entries = input.entries.map((entry, index) => ({
        name: `${transcript}/entries/${String(index + 1).padStart(5, "0")}`,
        participant: participantOf(entry.speaker),
        text: entry.text,
        languageCode: input.languageCode ?? "fr-FR",
        startTime: new Date(input.start.getTime() + entry.offsetMs).toISOString(),
        endTime: new Date(input.start.getTime() + entry.offsetMs + (entry.durationMs ?? 4_000)).toISOString(),
      }));
      const call: StoredCall = {
        conferenceRecord,
        transcript,
        space: `spaces/${id()}`,
        meetingCode,
        title: input.title,
        document,
        exportUri: `https://docs.google.com/document/d/${document}/export?format=txt`,
        ownerId: input.account.id,
        start: input.start.toISOString(),
        end: input.end.toISOString(),
        entries,
        participants,
      };
      calls.push(call);
      const {
        ownerId: _owner,
        start: _start,
        end: _end,
        entries: _entries,
        participants: _participants,
        ...names
      } = call;
      return names;
    },
  };
}

export type MeetApi = ReturnType<typeof createMeetApi>;

/**
 * The `conferenceRecords.list` filter: comparisons joined by AND, over `start_time` and `end_time`
 * (`>=`, `<=`, `>`, `<`, `=` with a quoted RFC 3339 time, or `IS NULL`), `space.name` and
 * `space.meeting_code` (`=`). Null for a filter it cannot read, which Meet answers with 400.
 */
function parseFilter(text: string): ((call: StoredCall) => boolean) | null {
  if (text.trim() === "") return () => true;
  const tests: ((call: StoredCall) => boolean)[] = [];
  for (const part of text.split(/\s+AND\s+/i)) {
    const nullTest = /^\s*(start_time|end_time)\s+IS\s+NULL\s*$/i.exec(part);
    if (nullTest) {
      // Every sandbox call has ended.
      tests.push(() => nullTest[1] === "start_time" && false);
      continue;
    }
    const match =
      /^\s*(start_time|end_time|space\.name|space\.meeting_code)\s*(>=|<=|>|<|=)\s*"([^"]*)"\s*$/.exec(part);
    if (!match) return null;
    const [, field, operator, value] = match as unknown as [string, string, string, string];
    if (field === "space.name" || field === "space.meeting_code") {
      if (operator !== "=") return null;
      tests.push((call) => (field === "space.name" ? call.space : call.meetingCode) === value);
      continue;
    }
    const limit = Date.parse(value);
    if (Number.isNaN(limit)) return null;
    tests.push((call) => {
      const time = Date.parse(field === "start_time" ? call.start : call.end);
      if (operator === ">=") return time >= limit;
      if (operator === "<=") return time <= limit;
      if (operator === ">") return time > limit;
      if (operator === "<") return time < limit;
      return time === limit;
    });
  }
  return (call) => tests.every((test) => test(call));
}
