// The call-summary pipeline's own time for a 2-hour transcript, with an instant AI stand-in (so the
// AI's time is left out): parse the Zoom WebVTT, chunk, build every prompt, read every answer, merge.
// Target: under 1 s. It times internal steps the package does not export, so it runs our source; the
// webhook bench, which measures what a host serves, runs the built package.
//
//   npm run bench:calls
import { performance } from "node:perf_hooks";
import { summarizeTranscript } from "../../packages/agenda-server/src/calls/summarizeTranscript";
import { parseZoomVtt } from "../../packages/agenda-server/src/providers/zoom/parseZoomVtt";

function twoHourTranscript(): string {
  const speakers = ["Marie Dupont", "Alice Martin", "Paul Lefèvre", "Sophie Leroy"];
  const sentences = [
    "On a validé le budget pour le déploiement à Lyon.",
    "Je vais envoyer la proposition révisée vendredi.",
    "La sécurité des données reste un point à éclaircir avec la DSI.",
    "On part sur l'offre Premium avec la formation incluse.",
    "Il faudra prévoir une démonstration pour l'équipe de Grenoble.",
    "Les délais de livraison dépendent du fournisseur de matériel.",
  ];
  const cues: string[] = [];
  const time = (seconds: number) =>
    `${String(Math.floor(seconds / 3600)).padStart(2, "0")}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}.000`;
  for (let index = 0; index < 1_500; index++) {
    const start = index * 4.8;
    cues.push(
      `${index + 1}\n${time(Math.floor(start))} --> ${time(Math.floor(start + 4.5))}\n${speakers[index % 4]}: ${sentences[index % sentences.length]} (${index})`,
    );
  }
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

/** Answers each prompt at once with a valid summary that cites the first turn it finds. */
const instantAi = {
  promptBudget: 15_000,
  async generate(prompt: string, options: { onToken?: (token: string) => void } = {}) {
    const turn = /\[(T\d{3,})/.exec(prompt)?.[1] ?? "T001";
    const answer = JSON.stringify({
      executiveSummary: "Le client valide l'offre Premium pour Lyon ; la sécurité reste à préciser.",
      keyPoints: [{ text: "Budget validé pour Lyon", turns: [turn] }],
      decisions: [{ text: "Offre Premium retenue", turns: [turn] }],
      actionItems: [
        { text: "Envoyer la proposition révisée", owner: "Alice Martin", due: "vendredi", turns: [turn] },
      ],
    });
    options.onToken?.(answer);
    return answer;
  },
};

const vtt = twoHourTranscript();
const runs: number[] = [];
for (let run = 0; run < 7; run++) {
  const started = performance.now();
  const turns = parseZoomVtt(vtt);
  await summarizeTranscript({
    ai: instantAi,
    turns,
    title: "Comité de pilotage",
    callDate: "2026-11-25",
    participants: ["Marie Dupont", "Alice Martin"],
  });
  runs.push(performance.now() - started);
}
runs.sort((a, b) => a - b);
console.log(
  `Call-summary pipeline, 2-hour transcript (1,500 cues, ${Math.round(vtt.length / 1024)} KB), instant AI stand-in`,
);
console.log(
  `median ${runs[3]!.toFixed(1)} ms, best ${runs[0]!.toFixed(1)} ms, worst ${runs[6]!.toFixed(1)} ms (target < 1000 ms)`,
);
