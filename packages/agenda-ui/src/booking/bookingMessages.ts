/**
 * Every piece of text the booking page, the guest's booking page and the booking settings show.
 * `{name}` marks a value filled in at run time.
 */
export interface BookingMessages {
  loading: string;
  retry: string;
  /** The link is unknown or was replaced by its owner. */
  linkNotFound: string;
  /** The guest's own link to their booking does not work. */
  bookingNotFound: string;
  rateLimited: string;
  slotTaken: string;
  failed: string;
  /** `{minutes}` is the appointment's length. */
  duration: string;
  videoZoom: string;
  videoMeet: string;
  timeZone: string;
  previousWeek: string;
  nextWeek: string;
  /** Label of the list of free times; `{range}` is the week shown. */
  slotsLabel: string;
  noSlots: string;
  /** A slot's accessible name; `{when}` is its full date and time. */
  pickSlot: string;
  /** Heading of the form once a slot is picked; `{when}` is the slot. */
  yourDetails: string;
  changeSlot: string;
  name: string;
  email: string;
  required: string;
  book: string;
  booking: string;
  /** Heading of the confirmation. */
  confirmed: string;
  /** `{when}` is the slot, `{email}` the guest's address. */
  confirmedText: string;
  downloadIcs: string;
  manageLink: string;
  joinCall: string;
  /** Heading of the guest's booking page. */
  yourBooking: string;
  cancelled: string;
  cancelBooking: string;
  cancelConfirm: string;
  keepBooking: string;
  reschedule: string;
  /** Heading of the picker of a new time. */
  rescheduleTitle: string;
  rescheduled: string;
  cancelledText: string;

  // The owner's booking settings
  bookingTypesHeading: string;
  bookingTypesEmpty: string;
  bookingTypeTitle: string;
  bookingTypeDuration: string;
  bookingTypeVideo: string;
  videoNone: string;
  /** One question a line; a line ending with * is required. */
  bookingTypeQuestions: string;
  bookingTypeQuestionsHint: string;
  addBookingType: string;
  copyLink: string;
  copied: string;
  renewLink: string;
  renewLinkHint: string;
  deleteBookingType: string;
  /** `{title}` is the booking type. */
  linkOf: string;
  availabilityHeading: string;
  workingHours: string;
  /** `{day}` is the weekday. */
  dayOff: string;
  from: string;
  to: string;
  bufferBefore: string;
  bufferAfter: string;
  minimumNotice: string;
  dailyCap: string;
  dailyCapHint: string;
  save: string;
  saved: string;
  minutes: string;
}

export const frenchBookingMessages: BookingMessages = {
  loading: "Chargement…",
  retry: "Réessayer",
  linkNotFound:
    "Ce lien de réservation ne fonctionne pas. Demandez-en un nouveau à la personne qui vous l’a donné.",
  bookingNotFound: "Ce lien vers votre réservation ne fonctionne pas. Vérifiez qu’il a été copié en entier.",
  rateLimited: "Trop de demandes à la suite. Patientez un instant, puis réessayez.",
  slotTaken: "Ce créneau vient d’être pris. Choisissez-en un autre.",
  failed: "Quelque chose n’a pas fonctionné. Réessayez.",
  duration: "{minutes} min",
  videoZoom: "Visioconférence Zoom",
  videoMeet: "Visioconférence Google Meet",
  timeZone: "Fuseau horaire",
  previousWeek: "Semaine précédente",
  nextWeek: "Semaine suivante",
  slotsLabel: "Créneaux libres, {range}",
  noSlots: "Aucun créneau libre cette semaine.",
  pickSlot: "Choisir le {when}",
  yourDetails: "Vos coordonnées pour le {when}",
  changeSlot: "Changer de créneau",
  name: "Nom",
  email: "E-mail",
  required: "obligatoire",
  book: "Réserver",
  booking: "Réservation…",
  confirmed: "Rendez-vous confirmé",
  confirmedText: "Votre rendez-vous du {when} est réservé. Une confirmation est à votre nom ({email}).",
  downloadIcs: "Ajouter à mon agenda (.ics)",
  manageLink: "Annuler ou déplacer ce rendez-vous",
  joinCall: "Lien de la visioconférence",
  yourBooking: "Votre rendez-vous",
  cancelled: "Ce rendez-vous est annulé.",
  cancelBooking: "Annuler le rendez-vous",
  cancelConfirm: "Oui, annuler",
  keepBooking: "Non, le garder",
  reschedule: "Déplacer",
  rescheduleTitle: "Choisissez un nouveau créneau",
  rescheduled: "Votre rendez-vous est déplacé au {when}.",
  cancelledText: "Votre rendez-vous est annulé.",
  bookingTypesHeading: "Types de rendez-vous",
  bookingTypesEmpty: "Aucun type de rendez-vous pour l’instant.",
  bookingTypeTitle: "Intitulé",
  bookingTypeDuration: "Durée (minutes)",
  bookingTypeVideo: "Visioconférence",
  videoNone: "Aucune",
  bookingTypeQuestions: "Questions à poser",
  bookingTypeQuestionsHint: "Une question par ligne ; terminez-la par * pour la rendre obligatoire.",
  addBookingType: "Ajouter",
  copyLink: "Copier le lien",
  copied: "Lien copié",
  renewLink: "Nouveau lien",
  renewLinkHint: "L’ancien lien cessera de fonctionner.",
  deleteBookingType: "Supprimer",
  linkOf: "Lien public de « {title} »",
  availabilityHeading: "Disponibilités",
  workingHours: "Heures de travail",
  dayOff: "{day} : repos",
  from: "De",
  to: "À",
  bufferBefore: "Battement avant (minutes)",
  bufferAfter: "Battement après (minutes)",
  minimumNotice: "Délai minimal de réservation (minutes)",
  dailyCap: "Rendez-vous par jour au plus",
  dailyCapHint: "Laissez vide pour ne pas limiter.",
  save: "Enregistrer",
  saved: "Enregistré",
  minutes: "minutes",
};

export const englishBookingMessages: BookingMessages = {
  loading: "Loading…",
  retry: "Try again",
  linkNotFound: "This booking link does not work. Ask the person who gave it to you for a new one.",
  bookingNotFound: "This link to your booking does not work. Check that it was copied whole.",
  rateLimited: "Too many requests in a row. Wait a moment, then try again.",
  slotTaken: "This time was just taken. Pick another one.",
  failed: "Something went wrong. Try again.",
  duration: "{minutes} min",
  videoZoom: "Zoom video call",
  videoMeet: "Google Meet video call",
  timeZone: "Time zone",
  previousWeek: "Previous week",
  nextWeek: "Next week",
  slotsLabel: "Free times, {range}",
  noSlots: "No free time this week.",
  pickSlot: "Pick {when}",
  yourDetails: "Your details for {when}",
  changeSlot: "Change time",
  name: "Name",
  email: "E-mail",
  required: "required",
  book: "Book",
  booking: "Booking…",
  confirmed: "Appointment confirmed",
  confirmedText: "Your appointment on {when} is booked, under your name ({email}).",
  downloadIcs: "Add to my calendar (.ics)",
  manageLink: "Cancel or reschedule this appointment",
  joinCall: "Video call link",
  yourBooking: "Your appointment",
  cancelled: "This appointment is cancelled.",
  cancelBooking: "Cancel the appointment",
  cancelConfirm: "Yes, cancel",
  keepBooking: "No, keep it",
  reschedule: "Reschedule",
  rescheduleTitle: "Pick a new time",
  rescheduled: "Your appointment is moved to {when}.",
  cancelledText: "Your appointment is cancelled.",
  bookingTypesHeading: "Booking types",
  bookingTypesEmpty: "No booking type yet.",
  bookingTypeTitle: "Title",
  bookingTypeDuration: "Length (minutes)",
  bookingTypeVideo: "Video call",
  videoNone: "None",
  bookingTypeQuestions: "Questions to ask",
  bookingTypeQuestionsHint: "One question a line; end it with * to make it required.",
  addBookingType: "Add",
  copyLink: "Copy link",
  copied: "Link copied",
  renewLink: "New link",
  renewLinkHint: "The old link will stop working.",
  deleteBookingType: "Delete",
  linkOf: "Public link of “{title}”",
  availabilityHeading: "Availability",
  workingHours: "Working hours",
  dayOff: "{day}: day off",
  from: "From",
  to: "To",
  bufferBefore: "Buffer before (minutes)",
  bufferAfter: "Buffer after (minutes)",
  minimumNotice: "Minimum notice (minutes)",
  dailyCap: "Most appointments a day",
  dailyCapHint: "Leave empty for no limit.",
  save: "Save",
  saved: "Saved",
  minutes: "minutes",
};

/** The words of a locale, with a host's changes. */
export function bookingMessagesFor(
  locale: "fr" | "en",
  overrides: Partial<BookingMessages> | undefined,
): BookingMessages {
  const base = locale === "en" ? englishBookingMessages : frenchBookingMessages;
  return overrides ? { ...base, ...overrides } : base;
}
