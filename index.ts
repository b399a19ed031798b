// Reads and validates the stack config, then stands the platform up. Nothing else belongs here
// but the one runtime setting that must come before any resource is made.
import { Platform } from "./components/platform";
import { loadConfig } from "./config/load";
import { skipPromiseLeakStacks } from "./runtime/promiseLeakStacks";

skipPromiseLeakStacks();

const platform = new Platform("platform", loadConfig());

/** The system Flux: its namespace, the cluster repo's SSH URL and its deploy key. */
export const cluster = platform.cluster;
/** The same for each team, by team name. */
export const teams = platform.teams;
