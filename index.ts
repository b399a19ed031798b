// Reads and validates the stack config, then stands the platform up. Nothing else belongs here
// but the runtime settings that must come before any resource is made.
import * as pulumi from "@pulumi/pulumi";
import { Platform } from "./components/platform/platform";
import { loadConfig } from "./config/load";
import { promiseStackPlaceholder, skipPromiseLeakStacks } from "./runtime/promiseLeakStacks";
import { warnOnSdkMismatch } from "./runtime/sdkInternals";

const skipped = skipPromiseLeakStacks();
warnOnSdkMismatch(skipped ? promiseStackPlaceholder : undefined, (message) => void pulumi.log.warn(message));

const platform = new Platform("platform", loadConfig());

/** The system Flux: its namespace, the cluster repo's SSH URL and its deploy key. */
export const cluster = platform.cluster;
/** The same for each team, by team name. */
export const teams = platform.teams;
