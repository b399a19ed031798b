// The program: reads and validates the stack config, then stands the platform up. Exported as one
// function, which Pulumi calls and whose result are the stack's outputs, so the specs build the
// program in-process as often as they like without loading it again. Nothing else belongs here
// but the runtime settings that must come before any resource is made.
import * as pulumi from "@pulumi/pulumi";
import { Platform } from "./components/platform/platform";
import { loadConfig } from "./config/load";
import { promiseStackPlaceholder, skipPromiseLeakStacks } from "./runtime/promiseLeakStacks";
import { warnOnSdkMismatch } from "./runtime/sdkInternals";

function main() {
    const skipped = skipPromiseLeakStacks();
    warnOnSdkMismatch(skipped ? promiseStackPlaceholder : undefined, (message) => void pulumi.log.warn(message));

    const platform = new Platform("platform", loadConfig());
    return {
        /** The system Flux: its namespace, the cluster repo's SSH URL and its deploy key. */
        cluster: platform.cluster,
        /** The same for each team, by team name. */
        teams: platform.teams,
    };
}

export = main;
