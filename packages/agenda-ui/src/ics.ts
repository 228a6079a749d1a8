// `@crm-agenda/ui/ics`: the ICS feed's settings panel, apart from the main entry that every host loads.
export type { IcsFeedMessages, IcsFeedPanelProps } from "./components/IcsFeedPanel";
export { IcsFeedPanel } from "./components/IcsFeedPanel";
