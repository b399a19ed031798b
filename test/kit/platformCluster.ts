// The cluster the example stack makes, for the tables: the whole program run under mocks with
// Pulumi.dev.yaml, team1's Flux read-only (--git-readonly, so its sync state lives on its key
// Secret), plus the RBAC of the Helm releases, which the recording shows only as releases.
import { runProgram } from "../harness";
import { stackFile } from "../stackConfig";
import { Cluster } from "./cluster";
import { flaggerRbac, gatekeeperRbac } from "./fixtures/charts";

type Json = Record<string, any>;

/** The example stack, team1's Flux with --git-readonly. */
export function exampleStack(): Record<string, unknown> {
    const config = stackFile("dev");
    const teams = (config["platform:teams"] as Json[]).map((team) => team.name === "team1"
        ? { ...team, flux: { ...team.flux, args: [...(team.flux?.args ?? []), "--git-readonly"] } }
        : team);
    return { ...config, "platform:teams": teams };
}

let built: Promise<Cluster> | undefined;

/** Built once per test process: running the program takes a second. */
export function platformCluster(): Promise<Cluster> {
    built ??= runProgram(exampleStack()).then((run) => {
        if (run.error) {
            throw run.error;
        }
        return Cluster.fromRecording(run.recording).with(...flaggerRbac, ...gatekeeperRbac);
    });
    return built;
}
