/** The words of {@link RecurrenceFields}, shipped with it in `@crm-agenda/ui/recurrence`. */
export interface RecurrenceMessages {
  repeat: string;
  repeatNone: string;
  repeatDaily: string;
  repeatWeekly: string;
  repeatMonthly: string;
  repeatYearly: string;
  /** `{day}` is the day of the month. */
  repeatOnDay: string;
  /** `{nth}` is one of `repeatOrdinals`, `{weekday}` the weekday's name. */
  repeatOnWeekday: string;
  /** The words for first, second, third, fourth and last, separated by commas. */
  repeatOrdinals: string;
  repeatEnds: string;
  repeatEndsNever: string;
  repeatEndsOn: string;
  repeatEndsAfter: string;
  repeatCount: string;
}

export const frenchRecurrenceMessages: RecurrenceMessages = {
  repeat: "Répétition",
  repeatNone: "Ne se répète pas",
  repeatDaily: "Tous les jours",
  repeatWeekly: "Toutes les semaines",
  repeatMonthly: "Tous les mois",
  repeatYearly: "Tous les ans",
  repeatOnDay: "Le {day} du mois",
  repeatOnWeekday: "Le {nth} {weekday}",
  repeatOrdinals: "premier,deuxième,troisième,quatrième,dernier",
  repeatEnds: "Se termine",
  repeatEndsNever: "Jamais",
  repeatEndsOn: "Le",
  repeatEndsAfter: "Après",
  repeatCount: "Nombre de fois",
};

export const englishRecurrenceMessages: RecurrenceMessages = {
  repeat: "Repeat",
  repeatNone: "Does not repeat",
  repeatDaily: "Daily",
  repeatWeekly: "Weekly",
  repeatMonthly: "Monthly",
  repeatYearly: "Yearly",
  repeatOnDay: "On day {day}",
  repeatOnWeekday: "On the {nth} {weekday}",
  repeatOrdinals: "first,second,third,fourth,last",
  repeatEnds: "Ends",
  repeatEndsNever: "Never",
  repeatEndsOn: "On",
  repeatEndsAfter: "After",
  repeatCount: "Number of times",
};
