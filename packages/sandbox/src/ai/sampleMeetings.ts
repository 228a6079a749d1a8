/**
 * Short sales meetings, one in each language the agenda's summaries are tested in, written for the
 * sandbox (not taken from any corpus). Each has a decision, a task someone takes on with a deadline,
 * and a task asked of a named participant, so a summary in that language has something in every list.
 */
export interface SampleMeeting {
  /** ISO 639-1 code of the language spoken. */
  language: "fr" | "en" | "es" | "de" | "it" | "pt" | "nl";
  title: string;
  participants: string[];
  turns: { speaker: string; text: string }[];
  /** The sentence that states the decision, word for word. */
  decision: string;
  /** The task taken on with a deadline: its sentence, who said it, the deadline words. */
  commitment: { text: string; owner: string; due: string };
}

export const sampleMeetings: Record<SampleMeeting["language"], SampleMeeting> = {
  fr: {
    language: "fr",
    title: "Renouvellement du contrat — Dupont SA",
    participants: ["Claire Moreau", "Julien Petit", "Sophie Bernard"],
    turns: [
      {
        speaker: "Claire Moreau",
        text: "Bonjour à tous, merci d'être là. On fait le point sur le renouvellement du contrat de maintenance.",
      },
      {
        speaker: "Julien Petit",
        text: "Bonjour Claire. De notre côté, le contrat actuel se termine fin janvier et la direction veut une réponse avant les congés.",
      },
      {
        speaker: "Claire Moreau",
        text: "Très bien. Vous aviez des remarques sur les délais d'intervention de l'an dernier ?",
      },
      {
        speaker: "Julien Petit",
        text: "Oui, deux pannes en mars ont pris plus de quarante-huit heures, c'est trop long pour nos ateliers.",
      },
      {
        speaker: "Sophie Bernard",
        text: "C'était pendant le changement de prestataire logistique, les pièces détachées arrivaient en retard.",
      },
      {
        speaker: "Claire Moreau",
        text: "Nous proposons donc une intervention garantie en vingt-quatre heures avec un stock de pièces chez vous.",
      },
      {
        speaker: "Julien Petit",
        text: "Ça nous intéresse, mais le tarif a augmenté de huit pour cent, c'est difficile à faire accepter.",
      },
      {
        speaker: "Sophie Bernard",
        text: "Sur trois ans, on peut ramener la hausse à cinq pour cent et inclure la formation des techniciens.",
      },
      {
        speaker: "Julien Petit",
        text: "Trois ans avec la formation, ça change la discussion. Il faut que je vérifie avec les achats.",
      },
      {
        speaker: "Claire Moreau",
        text: "Est-ce que le stock de pièces sur place pose un problème de place dans vos ateliers ?",
      },
      {
        speaker: "Julien Petit",
        text: "Non, on a une réserve libre depuis le déménagement de l'entrepôt de Lyon.",
      },
      {
        speaker: "Claire Moreau",
        text: "On part sur le contrat de trois ans avec l'intervention en vingt-quatre heures.",
      },
      { speaker: "Sophie Bernard", text: "Je vais envoyer la proposition révisée d'ici vendredi." },
      { speaker: "Claire Moreau", text: "Julien, tu peux nous transmettre le contact des achats demain ?" },
      { speaker: "Julien Petit", text: "Oui, sans problème. Merci à vous deux, bonne journée." },
    ],
    decision: "On part sur le contrat de trois ans avec l'intervention en vingt-quatre heures.",
    commitment: {
      text: "Je vais envoyer la proposition révisée d'ici vendredi.",
      owner: "Sophie Bernard",
      due: "d'ici vendredi",
    },
  },
  en: {
    language: "en",
    title: "Pilot review — Harbour Logistics",
    participants: ["Emma Clarke", "David Hughes", "Priya Shah"],
    turns: [
      {
        speaker: "Emma Clarke",
        text: "Good morning everyone, thanks for joining. Today we're reviewing the first month of the pilot.",
      },
      {
        speaker: "David Hughes",
        text: "Morning. Overall the drivers like the new routing app, but the warehouse team had some trouble with the scanners.",
      },
      {
        speaker: "Priya Shah",
        text: "The scanner issue was a firmware problem, and we pushed a fix to all the devices last Thursday.",
      },
      {
        speaker: "Emma Clarke",
        text: "Have you seen any difference in delivery times since the pilot started?",
      },
      {
        speaker: "David Hughes",
        text: "Yes, the average route is about twelve minutes shorter, which is more than we expected.",
      },
      {
        speaker: "Priya Shah",
        text: "That matches our dashboard, and fuel costs on the pilot vans are down by roughly six percent.",
      },
      {
        speaker: "Emma Clarke",
        text: "That's great news. What would you need to roll it out to the other depots?",
      },
      {
        speaker: "David Hughes",
        text: "Mostly training for the night shift, and a clear price for the extra sixty licences.",
      },
      {
        speaker: "Priya Shah",
        text: "For sixty licences on a two-year term we can offer the pilot price, without the setup fee.",
      },
      {
        speaker: "David Hughes",
        text: "That sounds reasonable. The finance director will still want to see the numbers in writing.",
      },
      {
        speaker: "Emma Clarke",
        text: "Understood. Is the night shift training something we could do on site in Bristol?",
      },
      {
        speaker: "David Hughes",
        text: "On site would be ideal, the team can't really travel during the peak season.",
      },
      {
        speaker: "Emma Clarke",
        text: "Then we'll go with the two-year rollout to all depots, starting with Bristol.",
      },
      { speaker: "Priya Shah", text: "I'll send the written offer with the licence pricing by Friday." },
      {
        speaker: "Emma Clarke",
        text: "David, can you share the night shift schedule tomorrow? Thanks everyone, talk soon.",
      },
    ],
    decision: "Then we'll go with the two-year rollout to all depots, starting with Bristol.",
    commitment: {
      text: "I'll send the written offer with the licence pricing by Friday.",
      owner: "Priya Shah",
      due: "by Friday",
    },
  },
  es: {
    language: "es",
    title: "Ampliación del servicio — Grupo Alameda",
    participants: ["Lucía Fernández", "Javier Ruiz", "Marta Gómez"],
    turns: [
      {
        speaker: "Lucía Fernández",
        text: "Buenos días a todos, gracias por conectaros. Hoy queremos hablar de la ampliación del servicio a las tiendas del norte.",
      },
      {
        speaker: "Javier Ruiz",
        text: "Buenos días. Nosotros estamos contentos con el piloto en Madrid, pero las tiendas del norte tienen otro horario.",
      },
      {
        speaker: "Marta Gómez",
        text: "Lo sabemos, por eso hemos preparado un plan con entregas por la tarde en Bilbao y Santander.",
      },
      { speaker: "Lucía Fernández", text: "¿Cuántas tiendas entrarían en la primera fase de la ampliación?" },
      {
        speaker: "Javier Ruiz",
        text: "Serían unas catorce tiendas, y después otras diez en primavera si todo va bien.",
      },
      {
        speaker: "Marta Gómez",
        text: "Con catorce tiendas podemos mantener el mismo precio por entrega que en Madrid.",
      },
      {
        speaker: "Javier Ruiz",
        text: "Eso es importante, porque el presupuesto de este año ya está bastante ajustado.",
      },
      {
        speaker: "Lucía Fernández",
        text: "También podemos incluir el informe mensual de incidencias sin coste adicional.",
      },
      { speaker: "Javier Ruiz", text: "Perfecto, el informe nos ayudaría mucho con el equipo de calidad." },
      {
        speaker: "Marta Gómez",
        text: "¿Tenéis ya las direcciones exactas de las tiendas y los horarios de recepción?",
      },
      {
        speaker: "Javier Ruiz",
        text: "Tenemos casi todo en una hoja de cálculo, solo faltan dos tiendas de Santander.",
      },
      {
        speaker: "Lucía Fernández",
        text: "Entonces hemos decidido empezar la ampliación con las catorce tiendas del norte en febrero.",
      },
      { speaker: "Marta Gómez", text: "Yo me encargo de enviar el contrato actualizado el viernes." },
      {
        speaker: "Lucía Fernández",
        text: "Javier, ¿puedes mandarnos la hoja de cálculo con las direcciones mañana?",
      },
      { speaker: "Javier Ruiz", text: "Claro que sí. Muchas gracias a las dos, hablamos pronto." },
    ],
    decision: "Entonces hemos decidido empezar la ampliación con las catorce tiendas del norte en febrero.",
    commitment: {
      text: "Yo me encargo de enviar el contrato actualizado el viernes.",
      owner: "Marta Gómez",
      due: "el viernes",
    },
  },
  de: {
    language: "de",
    title: "Jahresgespräch — Müller Maschinenbau",
    participants: ["Katrin Schneider", "Thomas Weber", "Jonas Becker"],
    turns: [
      {
        speaker: "Katrin Schneider",
        text: "Guten Morgen zusammen, danke, dass ihr euch die Zeit nehmt. Heute geht es um die Verlängerung des Wartungsvertrags.",
      },
      {
        speaker: "Thomas Weber",
        text: "Guten Morgen. Grundsätzlich sind wir zufrieden, aber die Reaktionszeiten im Sommer waren nicht gut.",
      },
      {
        speaker: "Jonas Becker",
        text: "Das stimmt, im Juli hatten wir zu wenige Techniker in der Region Stuttgart.",
      },
      {
        speaker: "Katrin Schneider",
        text: "Deshalb schlagen wir für das nächste Jahr einen festen Techniker für euer Werk vor.",
      },
      { speaker: "Thomas Weber", text: "Das klingt gut. Was würde das für den Preis bedeuten?" },
      {
        speaker: "Jonas Becker",
        text: "Bei einer Laufzeit von drei Jahren bleibt der Preis fast gleich, nur vier Prozent mehr.",
      },
      {
        speaker: "Thomas Weber",
        text: "Vier Prozent ist vertretbar, wenn die Reaktionszeit garantiert wird.",
      },
      {
        speaker: "Katrin Schneider",
        text: "Wir garantieren vier Stunden Reaktionszeit und eine Ersatzmaschine bei längeren Ausfällen.",
      },
      { speaker: "Thomas Weber", text: "Die Ersatzmaschine ist für unsere Produktion wirklich wichtig." },
      { speaker: "Jonas Becker", text: "Gibt es bei euch noch Fragen zur Schulung der neuen Mitarbeiter?" },
      {
        speaker: "Thomas Weber",
        text: "Ja, wir haben im Frühjahr sechs neue Leute in der Montage und brauchen eine Einführung.",
      },
      {
        speaker: "Katrin Schneider",
        text: "Dann haben wir beschlossen, den Vertrag um drei Jahre mit festem Techniker zu verlängern.",
      },
      { speaker: "Jonas Becker", text: "Ich schicke euch das überarbeitete Angebot bis Freitag." },
      {
        speaker: "Katrin Schneider",
        text: "Thomas, kannst du uns morgen die Termine für die Schulung nennen?",
      },
      { speaker: "Thomas Weber", text: "Ja, mache ich. Vielen Dank euch beiden und bis bald." },
    ],
    decision: "Dann haben wir beschlossen, den Vertrag um drei Jahre mit festem Techniker zu verlängern.",
    commitment: {
      text: "Ich schicke euch das überarbeitete Angebot bis Freitag.",
      owner: "Jonas Becker",
      due: "bis Freitag",
    },
  },
  it: {
    language: "it",
    title: "Rinnovo della fornitura — Ferrari Alimentari",
    participants: ["Giulia Romano", "Marco Esposito", "Francesca Colombo"],
    turns: [
      {
        speaker: "Giulia Romano",
        text: "Buongiorno a tutti e grazie per il tempo. Oggi parliamo del rinnovo della fornitura per il prossimo anno.",
      },
      {
        speaker: "Marco Esposito",
        text: "Buongiorno. Siamo soddisfatti della qualità, ma le consegne di ottobre sono arrivate spesso in ritardo.",
      },
      {
        speaker: "Francesca Colombo",
        text: "Sì, abbiamo avuto un problema con il nuovo magazzino di Bologna, adesso è risolto.",
      },
      {
        speaker: "Giulia Romano",
        text: "Per evitare altri ritardi proponiamo due consegne alla settimana invece di una.",
      },
      {
        speaker: "Marco Esposito",
        text: "Due consegne ci aiuterebbero molto, soprattutto per i prodotti freschi.",
      },
      {
        speaker: "Francesca Colombo",
        text: "Il costo del trasporto aumenta un po', ma possiamo compensarlo con uno sconto sui volumi.",
      },
      {
        speaker: "Marco Esposito",
        text: "Quale sconto potreste offrire se confermiamo gli stessi volumi di quest'anno?",
      },
      {
        speaker: "Giulia Romano",
        text: "Con gli stessi volumi possiamo fare il tre per cento, e il cinque con un contratto di due anni.",
      },
      {
        speaker: "Marco Esposito",
        text: "Il contratto di due anni è interessante, devo però parlarne con il direttore acquisti.",
      },
      {
        speaker: "Francesca Colombo",
        text: "Avete bisogno anche delle etichette in tedesco per i punti vendita in Alto Adige?",
      },
      {
        speaker: "Marco Esposito",
        text: "Sì, dalla primavera apriamo tre negozi a Bolzano e le etichette bilingui sono obbligatorie.",
      },
      {
        speaker: "Giulia Romano",
        text: "Allora abbiamo deciso di passare a due consegne settimanali da gennaio.",
      },
      { speaker: "Francesca Colombo", text: "Mi occupo io di preparare la nuova offerta entro venerdì." },
      { speaker: "Giulia Romano", text: "Marco, puoi mandarci domani il contatto del direttore acquisti?" },
      { speaker: "Marco Esposito", text: "Certo, lo faccio volentieri. Grazie a tutte e due, a presto." },
    ],
    decision: "Allora abbiamo deciso di passare a due consegne settimanali da gennaio.",
    commitment: {
      text: "Mi occupo io di preparare la nuova offerta entro venerdì.",
      owner: "Francesca Colombo",
      due: "entro venerdì",
    },
  },
  pt: {
    language: "pt",
    title: "Renovação do contrato — Costa & Filhos",
    participants: ["Ana Ferreira", "Ricardo Santos", "Beatriz Oliveira"],
    turns: [
      {
        speaker: "Ana Ferreira",
        text: "Bom dia a todos e obrigada pela presença. Hoje vamos falar da renovação do contrato de limpeza dos escritórios.",
      },
      {
        speaker: "Ricardo Santos",
        text: "Bom dia. Estamos satisfeitos com a equipa, mas o serviço ao sábado nem sempre foi cumprido.",
      },
      {
        speaker: "Beatriz Oliveira",
        text: "Tem razão, tivemos falta de pessoal em setembro, mas já contratámos mais duas pessoas.",
      },
      {
        speaker: "Ana Ferreira",
        text: "Para o próximo ano propomos um supervisor dedicado aos vossos três edifícios.",
      },
      {
        speaker: "Ricardo Santos",
        text: "Um supervisor dedicado seria ótimo, assim temos uma pessoa de contacto para tudo.",
      },
      {
        speaker: "Beatriz Oliveira",
        text: "O preço mensal sobe cerca de quatro por cento com o supervisor incluído.",
      },
      {
        speaker: "Ricardo Santos",
        text: "Quatro por cento é aceitável, desde que o serviço de sábado fique garantido no contrato.",
      },
      {
        speaker: "Ana Ferreira",
        text: "Podemos garantir o sábado e acrescentar uma limpeza profunda por trimestre sem custo.",
      },
      {
        speaker: "Ricardo Santos",
        text: "A limpeza trimestral interessa-nos bastante, sobretudo no edifício do Porto.",
      },
      {
        speaker: "Beatriz Oliveira",
        text: "Os horários de acesso aos edifícios mantêm-se iguais no próximo ano?",
      },
      {
        speaker: "Ricardo Santos",
        text: "Quase todos, só o edifício de Lisboa passa a abrir às sete da manhã.",
      },
      {
        speaker: "Ana Ferreira",
        text: "Então ficou decidido renovar por dois anos com o supervisor dedicado.",
      },
      { speaker: "Beatriz Oliveira", text: "Eu vou enviar a proposta final até sexta-feira." },
      { speaker: "Ana Ferreira", text: "Ricardo, você pode confirmar amanhã os novos horários de Lisboa?" },
      { speaker: "Ricardo Santos", text: "Posso sim. Muito obrigado às duas e até breve." },
    ],
    decision: "Então ficou decidido renovar por dois anos com o supervisor dedicado.",
    commitment: {
      text: "Eu vou enviar a proposta final até sexta-feira.",
      owner: "Beatriz Oliveira",
      due: "até sexta-feira",
    },
  },
  nl: {
    language: "nl",
    title: "Evaluatie van de samenwerking — Van Dijk Bouw",
    participants: ["Sanne de Vries", "Pieter Jansen", "Lotte Visser"],
    turns: [
      {
        speaker: "Sanne de Vries",
        text: "Goedemorgen allemaal, fijn dat jullie er zijn. Vandaag bespreken we de samenwerking van het afgelopen jaar.",
      },
      {
        speaker: "Pieter Jansen",
        text: "Goedemorgen. Over het algemeen zijn we tevreden, maar de levering van de steigers was twee keer te laat.",
      },
      {
        speaker: "Lotte Visser",
        text: "Dat klopt, dat kwam door de drukte in het voorjaar en een tekort aan vrachtwagens.",
      },
      {
        speaker: "Sanne de Vries",
        text: "Daarom stellen we voor om voor jullie projecten een vaste planner in te zetten.",
      },
      {
        speaker: "Pieter Jansen",
        text: "Een vaste planner zou veel schelen, dan hoeven we niet steeds opnieuw alles uit te leggen.",
      },
      { speaker: "Lotte Visser", text: "De huurprijs blijft gelijk als jullie voor twee jaar tekenen." },
      { speaker: "Pieter Jansen", text: "Twee jaar is prima, als de levertijd dan wel gegarandeerd wordt." },
      {
        speaker: "Sanne de Vries",
        text: "We garanderen levering binnen drie werkdagen en anders krijgen jullie korting op de huur.",
      },
      {
        speaker: "Pieter Jansen",
        text: "Dat is duidelijk. Hebben jullie ook steigers voor het nieuwe project in Utrecht?",
      },
      {
        speaker: "Lotte Visser",
        text: "Ja, we hebben genoeg materiaal, we moeten alleen de precieze startdatum weten.",
      },
      {
        speaker: "Pieter Jansen",
        text: "De bouw in Utrecht begint waarschijnlijk half maart, als de vergunning op tijd komt.",
      },
      {
        speaker: "Sanne de Vries",
        text: "Dan hebben we besloten om de samenwerking met twee jaar te verlengen, met een vaste planner.",
      },
      { speaker: "Lotte Visser", text: "Ik stuur jullie het nieuwe contract voor vrijdag." },
      {
        speaker: "Sanne de Vries",
        text: "Pieter, kun je ons morgen de planning van het project in Utrecht sturen?",
      },
      { speaker: "Pieter Jansen", text: "Ja, dat doe ik. Bedankt allebei en tot snel." },
    ],
    decision: "Dan hebben we besloten om de samenwerking met twee jaar te verlengen, met een vaste planner.",
    commitment: {
      text: "Ik stuur jullie het nieuwe contract voor vrijdag.",
      owner: "Lotte Visser",
      due: "voor vrijdag",
    },
  },
};
