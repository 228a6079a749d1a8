import type { EnglishAgendaProps, FrenchAgendaProps } from "../AgendaProvider";
import type { AgendaLocale } from "../messages/AgendaMessages";
import { englishMessages } from "../messages/englishMessages";

/** The provider's language props for a locale, with the English words when it is English (stories). */
export function languageProps(locale: AgendaLocale | undefined): FrenchAgendaProps | EnglishAgendaProps {
  return locale === "en" ? { locale, messages: englishMessages } : { locale };
}
