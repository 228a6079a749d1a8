// Published as `@crm-agenda/shared/tools`: the agenda's operations as tool definitions a chat or
// voice assistant's model can call. A subpath of its own, so no browser bundle evaluates it.
import { z } from "zod";
import { availabilityQuerySchema, createBookingInputSchema } from "./availability";

/** One tool as OpenAI function calling (`{ type: "function", function: tool }`) and Anthropic tool use take it. */
export interface AgendaTool {
  name: "check_availability" | "book_appointment";
  description: string;
  /** JSON Schema (draft 2020-12) of the arguments, generated from the route's own Zod schema. */
  parameters: Record<string, unknown>;
  /** The agenda route that carries out a call: its arguments go in the query (GET) or the JSON body (POST). */
  route: { method: "get" | "post"; path: string };
}

type JsonSchema = Record<string, unknown>;

function argumentsSchema(schema: z.ZodType): JsonSchema {
  // `input`: what the assistant writes (defaults may be left out); shared parts inlined.
  const generated = z.toJSONSchema(schema, { io: "input", reused: "inline" }) as JsonSchema;
  // A schema with an OpenAPI id comes out as a `$ref` to itself; function calling wants the object.
  const definitions = (generated.$defs ?? {}) as Record<string, JsonSchema>;
  const reference = typeof generated.$ref === "string" ? generated.$ref.replace("#/$defs/", "") : null;
  const root = reference ? definitions[reference]! : generated;
  return withoutPatterns(root) as JsonSchema;
}

// The date-time regex Zod adds beside `format: "date-time"` is long and tells a model nothing more.
function withoutPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutPatterns);
  if (node === null || typeof node !== "object") return node;
  const entries = Object.entries(node).filter(
    ([key]) => !(key === "pattern" && (node as JsonSchema).format === "date-time"),
  );
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutPatterns(value)]));
}

/** `check_availability`: free slots of a user between two instants for an appointment length. */
export const checkAvailabilityTool: AgendaTool = {
  name: "check_availability",
  description:
    "Find when the user can be booked: free slots between `from` and `to` (ISO 8601 date-times with an offset) for an appointment of `duration` minutes, within their working hours, buffers, minimum notice and daily cap. Answers { userId, timeZone, duration, slots: [{ start, end }] } in UTC; offer a few slots to the person in their own time zone.",
  parameters: argumentsSchema(availabilityQuerySchema),
  route: { method: "get", path: "/availability" },
};

/** `book_appointment`: books one slot `check_availability` gave. */
export const bookAppointmentTool: AgendaTool = {
  name: "book_appointment",
  description:
    "Book an appointment at `start` for `duration` minutes, usually a slot from check_availability. Give the client's e-mail and name so the event is linked to the CRM client. Answers 201 { event } when booked; 409 with error.code slot_taken when the time is no longer free (check availability again and offer another slot).",
  parameters: argumentsSchema(createBookingInputSchema),
  route: { method: "post", path: "/bookings" },
};

/** Both tools, for an assistant's `tools` list. */
export const agendaTools: readonly AgendaTool[] = [checkAvailabilityTool, bookAppointmentTool];

/** The tools in OpenAI's Chat Completions / Responses shape: `{ type: "function", function }`. */
export function openAiTools() {
  return agendaTools.map(({ name, description, parameters }) => ({
    type: "function" as const,
    function: { name, description, parameters },
  }));
}

/** The tools in Anthropic's Messages API shape: `{ name, description, input_schema }`. */
export function anthropicTools() {
  return agendaTools.map(({ name, description, parameters }) => ({
    name,
    description,
    input_schema: parameters,
  }));
}
