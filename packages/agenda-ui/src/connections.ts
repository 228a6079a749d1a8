// The settings panel is an entry of its own, \`@crm-agenda/ui/connections\`: a host shows it on one
// settings page, and the agenda's main entry stays within its size budget without it.
export type { ConnectionsPanelProps } from "./components/ConnectionsPanel";
export { ConnectionsPanel } from "./components/ConnectionsPanel";
