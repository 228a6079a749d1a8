import { z } from "zod";
import { plainText } from "./plainText";

/** A CRM client as the host's `clients` adapter describes it. */
export const crmClientSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    emails: z.array(z.string()).default([]),
  })
  .meta({ id: "CrmClient" });
export type CrmClient = z.infer<typeof crmClientSchema>;

export const clientSearchQuerySchema = z.object({ q: plainText().trim().max(200).default("") });
export const clientListSchema = z.object({ clients: z.array(crmClientSchema) }).meta({ id: "CrmClientList" });
export type CrmClientList = z.infer<typeof clientListSchema>;
