/** A discovery call between the demo user and a client, as Zoom's transcript would have it. */
export function demoCallTranscript(user: string, client: { name: string }): string {
  const lines: [string, string][] = [
    [client.name, "Bonjour, merci de prendre le temps. On a lu votre proposition avec attention."],
    [user, "Avec plaisir. Pour commencer, où en êtes-vous sur le projet de déploiement régional ?"],
    [
      client.name,
      "On a trois agences à équiper : Lyon, Grenoble et Annecy. Lyon est la priorité, l'équipe démarre en janvier.",
    ],
    [user, "D'accord. Et côté budget, l'enveloppe est-elle déjà arbitrée ?"],
    [
      client.name,
      "Oui, la direction a validé quarante-cinq mille euros pour la première année, formation comprise.",
    ],
    [
      user,
      "Très bien. Vu le calendrier, je vous propose de commencer par Lyon avec l'offre Premium, puis d'étendre au printemps.",
    ],
    [client.name, "Ça nous va. On part sur l'offre Premium pour Lyon, c'est décidé de notre côté."],
    [user, "Parfait. Il y a un point sur la sécurité que vous aviez soulevé par e-mail."],
    [
      client.name,
      "Oui, notre DSI veut savoir où sont hébergées les données et comment elles sont chiffrées.",
    ],
    [
      user,
      "Les données restent en France, chiffrées au repos et en transit. Je vais vous envoyer la note technique demain.",
    ],
    [
      client.name,
      "Merci. De mon côté je m'occupe de faire signer le bon de commande par la direction avant vendredi.",
    ],
    [user, "Super. Je peux aussi organiser une démonstration pour l'équipe de Grenoble ?"],
    [client.name, "Bonne idée, proposez-nous deux créneaux la semaine prochaine."],
    [
      user,
      "Entendu. Je récapitule : Premium pour Lyon, note de sécurité demain, bon de commande signé avant vendredi.",
    ],
    [client.name, "C'est ça. Merci beaucoup, à bientôt !"],
  ];
  const time = (seconds: number) =>
    `${String(Math.floor(seconds / 3600)).padStart(2, "0")}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}.000`;
  return `WEBVTT\n\n${lines
    .map(
      ([speaker, text], index) =>
        `${index + 1}\n${time(index * 28)} --> ${time(index * 28 + 26)}\n${speaker}: ${text}`,
    )
    .join("\n\n")}\n`;
}
