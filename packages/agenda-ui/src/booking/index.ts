// `@crm-agenda/ui/booking`: the public booking pages and the booking settings, an entry of their own
// so hosts without booking links download none of it.
export type { AvailabilitySettingsPanelProps } from "./AvailabilitySettingsPanel";
export { AvailabilitySettingsPanel } from "./AvailabilitySettingsPanel";
export type { BookingPageProps, PublicBookingProps } from "./BookingPage";
export { BookingPage } from "./BookingPage";
export type { BookingMessages } from "./bookingMessages";
export { englishBookingMessages, frenchBookingMessages } from "./bookingMessages";
export type { GuestBookingPageProps } from "./GuestBookingPage";
export { GuestBookingPage } from "./GuestBookingPage";
export type { SlotDay } from "./groupSlotsByDay";
export { formatSlotWhen, groupSlotsByDay } from "./groupSlotsByDay";
export type { SlotPickerProps } from "./SlotPicker";
export { SlotPicker } from "./SlotPicker";
