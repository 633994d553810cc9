/** `npm run lab -- restore --in FILE [--yes]`: see ./backup.ts. */
export { runRestore as run } from "./backup";
