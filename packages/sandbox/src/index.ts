export type { Database } from "./startDatabase";
export { freePort, startDatabase } from "./startDatabase";
