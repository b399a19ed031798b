// The cluster the example stack makes, for the tables: the whole program run under mocks with
// Pulumi.migration.yaml, team1's Flux read-only (--git-readonly, so its sync state lives on its key
// Secret), and its Flux v2 team, team3, asking for restricted and given a Slack webhook, so that
// both engines run side by side; plus the RBAC of the Helm releases, which the recording shows only
// as releases, and of the Flux controllers the Flux Operator installs.
import { runProgram } from "./harness";
import { stackFile } from "./stackConfig";
import { Cluster } from "./cluster";
import { flaggerRbac, gatekeeperRbac } from "./fixtures/charts";
import { fluxControllersRbac, fluxOperatorRbac } from "./fixtures/flux2";

type Json = Record<string, any>;

/** The example stack's Flux v2 team. */
export const fluxV2Team = "team3";

/** The Slack webhook of the Flux v2 team: a secret key of the stack. */
export const webhookKey = "platform:teamSlackWebhooks";

/** The example stack, team1's Flux with --git-readonly, and team3 (Flux v2) restricted with its own channel. */
export function exampleStack(): Record<string, unknown> {
    const config = stackFile("migration");
    const teams = (config["platform:teams"] as Json[]).map((team) => {
        if (team.name === "team1") {
            return { ...team, flux: { ...team.flux, args: [...(team.flux?.args ?? []), "--git-readonly"] } };
        }
        return team.name === fluxV2Team ? { ...team, podSecurity: "restricted", slack: { channel: `${fluxV2Team}-deploys` } } : team;
    });
    if (!teams.some((team) => team.name === fluxV2Team && team.engine === "flux2")) {
        throw new Error(`the example stack has no Flux v2 team ${fluxV2Team}`);
    }
    return {
        ...config,
        "platform:teams": teams,
        [webhookKey]: { ...(config[webhookKey] as Json | undefined), [fluxV2Team]: "https://hooks.slack.com/services/T000/B000/TEAM3" },
    };
}

let built: Promise<Cluster> | undefined;

/** Built once per test process: running the program takes a second. */
export function platformCluster(): Promise<Cluster> {
    built ??= runProgram(exampleStack(), [webhookKey]).then((run) => {
        if (run.error) {
            throw run.error;
        }
        return Cluster.fromRecording(run.recording).with(...flaggerRbac, ...gatekeeperRbac, ...fluxOperatorRbac, ...fluxControllersRbac);
    });
    return built;
}
