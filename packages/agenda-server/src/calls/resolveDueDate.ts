/**
 * A deadline as spoken ("vendredi", "d'ici demain", "lundi prochain", "15/12", "le 15 décembre",
 * "by Friday", "2025-12-15", and their Spanish, German, Italian, Portuguese and Dutch forms: "el
 * viernes", "bis Freitag", "entro domani", "até sexta-feira", "15 de marzo", "voor vrijdag") as an ISO
 * date, relative to the call's date. Anything else — "bientôt",
 * "la semaine prochaine", "vendredi dernier", an impossible date — gives `undefined`: a wrong due date
 * is worse than none.
 *
 * A weekday is the next such day after the call ("vendredi" said on a Friday is a week later);
 * "lundi prochain" / "next Monday" is read the same way. A day and month without a year is the next
 * such date on or after the call. `15/12` is day/month, except in `en-US` where it is month/day.
 *
 * @param callDate the call's date, `YYYY-MM-DD`, in the user's time zone
 * @param language BCP 47 language of the transcript, for `en-US` month/day order
 */
export function resolveDueDate(
  spoken: string | undefined,
  callDate: string,
  language = "fr",
): string | undefined {
  if (!spoken) return undefined;
  const call = parseIsoDate(callDate);
  if (!call) return undefined;
  const words = normalize(spoken);
  if (!words) return undefined;

  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(spoken);
  if (iso) return formatDate(validDate(Number(iso[1]), Number(iso[2]), Number(iso[3])));

  const numeric = /\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?\b/.exec(words);
  if (numeric) {
    const monthFirst = language.toLowerCase() === "en-us";
    const day = Number(monthFirst ? numeric[2] : numeric[1]);
    const month = Number(monthFirst ? numeric[1] : numeric[2]);
    const date = dayAndMonth(call, day, month, numeric[3]);
    if (date) return formatDate(date);
  }

  const named = namedDate(words);
  if (named) return formatDate(dayAndMonth(call, named.day, named.month, named.year));

  if (
    /\b(apres demain|day after tomorrow|pasado manana|ubermorgen|dopodomani|depois de amanha|overmorgen)\b/.test(
      words,
    )
  )
    return formatDate(addDays(call, 2));
  if (
    /\b(dernier|derniere|last|passe|passee|pasado|letzten?|scorso|scorsa|passado|passada|vorige|afgelopen)\b/.test(
      words,
    )
  )
    return undefined;
  if (/\b(demain|tomorrow|manana|morgen|domani|amanha)\b/.test(words)) return formatDate(addDays(call, 1));
  if (
    /\b(aujourd hui|today|ce soir|tonight|end of day|fin de journee|hoy|heute|oggi|hoje|vandaag)\b/.test(
      words,
    )
  )
    return formatDate(call);
  const inDays =
    /\b(?:dans|in|en|tra|fra|em|binnen) (\d{1,2}) (?:jours?|days?|dias?|tagen?|giorni|dagen)\b/.exec(words);
  if (inDays) return formatDate(addDays(call, Number(inDays[1])));

  const weekday = weekdays.findIndex((names) =>
    names.some((name) => new RegExp(`\\b${name}\\b`).test(words)),
  );
  if (weekday !== -1) {
    const ahead = (weekday - call.getUTCDay() + 7) % 7 || 7;
    return formatDate(addDays(call, ahead));
  }
  return undefined;
}

/** Sunday first, as `Date.getUTCDay()` counts. */
const weekdays = [
  ["dimanche", "sunday", "domingo", "sonntag", "domenica", "zondag"],
  ["lundi", "monday", "lunes", "montag", "lunedi", "segunda feira", "maandag"],
  ["mardi", "tuesday", "martes", "dienstag", "martedi", "terca feira", "dinsdag"],
  ["mercredi", "wednesday", "miercoles", "mittwoch", "mercoledi", "quarta feira", "woensdag"],
  ["jeudi", "thursday", "jueves", "donnerstag", "giovedi", "quinta feira", "donderdag"],
  ["vendredi", "friday", "viernes", "freitag", "venerdi", "sexta feira", "vrijdag"],
  ["samedi", "saturday", "sabado", "samstag", "sabato", "zaterdag"],
];

/** French, English, Spanish, German, Italian, Portuguese, Dutch, then abbreviations; without accents. */
const months = [
  ["janvier", "january", "enero", "januar", "gennaio", "janeiro", "januari", "jan"],
  ["fevrier", "february", "febrero", "februar", "febbraio", "fevereiro", "februari", "feb", "fev"],
  ["mars", "march", "marzo", "marz", "marco", "maart", "mar"],
  ["avril", "april", "abril", "aprile", "apr", "avr"],
  ["mai", "may", "mayo", "maggio", "maio", "mei"],
  ["juin", "june", "junio", "juni", "giugno", "junho", "jun"],
  ["juillet", "july", "julio", "juli", "luglio", "julho", "jul", "juil"],
  ["aout", "august", "agosto", "augustus", "aug"],
  ["septembre", "september", "septiembre", "settembre", "setembro", "sept", "sep"],
  ["octobre", "october", "octubre", "oktober", "ottobre", "outubro", "oct", "okt"],
  ["novembre", "november", "noviembre", "novembro", "nov"],
  ["decembre", "december", "diciembre", "dezember", "dicembre", "dezembro", "dec"],
];
const monthPattern = months.flat().join("|");

/** "15 décembre", "1er mars 2026", "December 15", "15th of December", "15 de marzo", "15. März". */
function namedDate(words: string): { day: number; month: number; year?: string } | undefined {
  const dayFirst = new RegExp(
    `\\b(\\d{1,2})(?:er|st|nd|rd|th|\\.)? (?:of |de |di )?(${monthPattern})\\b(?: (?:de )?(\\d{4}))?`,
  ).exec(words);
  const monthFirst = new RegExp(`\\b(${monthPattern}) (\\d{1,2})(?:st|nd|rd|th)?\\b(?: (\\d{4}))?`).exec(
    words,
  );
  const match = dayFirst
    ? { day: dayFirst[1]!, month: dayFirst[2]!, year: dayFirst[3] }
    : monthFirst
      ? { day: monthFirst[2]!, month: monthFirst[1]!, year: monthFirst[3] }
      : undefined;
  if (!match) return undefined;
  const month = months.findIndex((names) => names.includes(match.month)) + 1;
  return { day: Number(match.day), month, ...(match.year ? { year: match.year } : {}) };
}

/** The date with that day and month: in the year said, else the next one on or after the call. */
function dayAndMonth(call: Date, day: number, month: number, year: string | undefined): Date | undefined {
  if (year) return validDate(year.length === 2 ? 2000 + Number(year) : Number(year), month, day);
  const thisYear = validDate(call.getUTCFullYear(), month, day);
  if (thisYear && thisYear >= call) return thisYear;
  return validDate(call.getUTCFullYear() + 1, month, day);
}

function validDate(year: number, month: number, day: number): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : undefined;
}

function parseIsoDate(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  return match ? validDate(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function formatDate(date: Date | undefined): string | undefined {
  return date?.toISOString().slice(0, 10);
}

/** Lower case, no accents, words separated by one space ("D'ici Vendredi !" → "d ici vendredi"). */
function normalize(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9/.]+/g, " ")
    .trim();
}
