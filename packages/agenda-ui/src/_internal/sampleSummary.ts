import type { CrmClient, EventSummary, SummaryStreamMessage } from "@crm-agenda/shared";

/** The call the summary stories and the demo show. */
export const sampleCallEventId = "2b7d9c1e-3f4a-4b5c-8d6e-7f8091a2b3c4";

/** A ready summary of a sales call, with every kind of item. */
export const sampleReadySummary: EventSummary = {
  eventId: sampleCallEventId,
  status: "ready",
  summary: {
    executiveSummary:
      "Dupont SA accepte la remise de 8 % sur trois ans en échange d’un engagement ferme avant le 15 décembre. Le budget 2027 est validé ; la direction financière veut le contrat révisé cette semaine. La formation des équipes commencera en janvier.",
    keyPoints: [
      { text: "Le budget 2027 de Dupont SA est validé par la direction financière", at: "00:04:12" },
      { text: "Le concurrent propose 10 % mais sans support en français", at: "00:12:31" },
      { text: "Les équipes de Lyon et de Nantes seront équipées en premier", at: "00:27:48" },
    ],
    decisions: [
      { text: "Remise de 8 % sur trois ans, facturation annuelle", at: "00:31:05" },
      { text: "Signature avant le 15 décembre", at: "00:38:40" },
    ],
    actionItems: [
      { text: "Envoyer le contrat révisé", owner: "Camille Martin", due: "2026-12-03", at: "00:39:10" },
      { text: "Planifier la formation de janvier", owner: "Jean Dupont", at: "00:41:22" },
      { text: "Confirmer le nombre de licences" },
    ],
  },
  error: null,
  transcriptUrl: "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit",
  language: "fr",
  durationSeconds: 2_640,
  participants: [{ name: "Camille Martin" }, { name: "Jean Dupont" }, { name: "Sophie Leroy" }],
  updatedAt: "2026-11-25T10:05:00.000Z",
};

/** The same call at another stage. */
export function sampleSummaryWith(fields: Partial<EventSummary>): EventSummary {
  return { ...sampleReadySummary, summary: null, ...fields };
}

/** What the server streams while it writes {@link sampleReadySummary}, message by message. */
export function sampleStreamScript(): SummaryStreamMessage[] {
  const answer = JSON.stringify({
    executiveSummary: sampleReadySummary.summary?.executiveSummary,
    keyPoints: [],
  });
  const tokens: SummaryStreamMessage[] = [];
  for (let index = 0; index < answer.length; index += 6) {
    tokens.push({ type: "token", token: answer.slice(index, index + 6) });
  }
  return [
    { type: "progress", stage: 1, step: 1, of: 4 },
    { type: "progress", stage: 1, step: 2, of: 4 },
    { type: "progress", stage: 1, step: 3, of: 4 },
    { type: "progress", stage: 1, step: 4, of: 4 },
    { type: "progress", stage: 2, step: 1, of: 1 },
    ...tokens,
    { type: "summary", summary: sampleReadySummary },
  ];
}

/** The host's CRM clients the picker stories search. */
export const sampleClients: CrmClient[] = [
  { id: "client-dupont", name: "Dupont SA", emails: ["jean.dupont@dupont-sa.fr"] },
  { id: "client-martin", name: "Martin & Fils", emails: ["contact@martin-fils.fr"] },
  { id: "client-marty", name: "Marty Conseil", emails: ["bonjour@marty-conseil.fr"] },
  { id: "client-leroy", name: "Leroy Industrie", emails: ["achats@leroy-industrie.fr"] },
];
