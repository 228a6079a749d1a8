import type { ReminderAction, ReminderAnswer } from "@crm-agenda/shared";
import type { AgendaError } from "../errors";

export type PageLanguage = "en" | "fr";

const texts = {
  en: {
    heading: { confirm: "Confirm your appointment", cancel: "Cancel your appointment" },
    button: { confirm: "Confirm", cancel: "Cancel the appointment" },
    done: {
      confirmed: "Thank you: your attendance is confirmed.",
      cancelled: "Your appointment is cancelled; the organiser has been told.",
    },
    failed: "This link cannot be used",
    because: {
      forbidden: "The link is not valid or has expired.",
      conflict: "The appointment was moved: use the links of the newer reminder.",
      not_found: "This appointment no longer exists.",
      rate_limited:
        "Too many links that do not work were opened from your network; try again in a few minutes.",
      other: "Something went wrong; try again later.",
    },
  },
  fr: {
    heading: { confirm: "Confirmez votre rendez-vous", cancel: "Annulez votre rendez-vous" },
    button: { confirm: "Confirmer", cancel: "Annuler le rendez-vous" },
    done: {
      confirmed: "Merci : votre présence est confirmée.",
      cancelled: "Votre rendez-vous est annulé ; l’organisateur en est informé.",
    },
    failed: "Ce lien ne peut pas être utilisé",
    because: {
      forbidden: "Le lien n’est pas valide ou a expiré.",
      conflict: "Le rendez-vous a été déplacé : utilisez les liens du rappel le plus récent.",
      not_found: "Ce rendez-vous n’existe plus.",
      rate_limited:
        "Trop de liens invalides ont été ouverts depuis votre réseau ; réessayez dans quelques minutes.",
      other: "Une erreur est survenue ; réessayez plus tard.",
    },
  },
} as const;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(language: PageLanguage, title: string, body: string): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.5rem 1rem}</style></head><body>${body}</body></html>`;
}

function when(answer: ReminderAnswer, language: PageLanguage): string {
  return new Intl.DateTimeFormat(language, {
    dateStyle: "full",
    timeStyle: "short",
    timeZone: answer.timeZone,
  }).format(new Date(answer.start));
}

/** The link's page: what it is about and one button; opening it changes nothing. */
export function reminderLinkPage(answer: ReminderAnswer, language: PageLanguage): string {
  const text = texts[language];
  const heading = text.heading[answer.action];
  const already = answer.attendance === null ? "" : `<p>${text.done[answer.attendance]}</p>`;
  return page(
    language,
    heading,
    `<h1>${heading}</h1><p><strong>${escapeHtml(answer.title)}</strong><br>${escapeHtml(when(answer, language))}</p>${already}<form method="post"><button type="submit">${text.button[answer.action satisfies ReminderAction]}</button></form>`,
  );
}

/** After the button: the answer recorded. */
export function reminderAnsweredPage(answer: ReminderAnswer, language: PageLanguage): string {
  const text = texts[language];
  const done = text.done[answer.attendance ?? (answer.action === "confirm" ? "confirmed" : "cancelled")];
  return page(
    language,
    done,
    `<h1>${done}</h1><p><strong>${escapeHtml(answer.title)}</strong><br>${escapeHtml(when(answer, language))}</p>`,
  );
}

/** A refused link, said plainly to the client (the JSON answer carries the precise message). */
export function reminderErrorPage(error: AgendaError, language: PageLanguage): string {
  const text = texts[language];
  const reason =
    error.code === "forbidden" ||
    error.code === "conflict" ||
    error.code === "not_found" ||
    error.code === "rate_limited"
      ? text.because[error.code]
      : text.because.other;
  return page(language, text.failed, `<h1>${text.failed}</h1><p>${reason}</p>`);
}
