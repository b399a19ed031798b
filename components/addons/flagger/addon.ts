// Flagger on the add-on contract (shared/addon.ts): installed once with its Prometheus; per team,
// the example Canary of a new repo and, with the team's own webhook, its AlertProvider.
import { Addon, AddonCluster } from "../../shared/addon";
import { flaggerNamespace } from "../../shared/names";
import { canaryExampleFiles } from "./canaryExample";
import { flaggerConfig } from "./config";
import { Flagger, flaggerCallerPods, flaggerTeamKinds } from "./flagger";
import { FlaggerSettings, SlackSettings } from "./settings";
import { TeamAlerts, teamAlertProviderName } from "./teamAlerts";

/** The part of a team's settings Flagger reads. */
export interface FlaggerTeam {
    readonly slack: SlackSettings;
}

/** Whether a team gets its own AlertProvider: the team has a webhook (Flagger being installed). */
const hasTeamAlerts = (team: FlaggerTeam) => team.slack.webhook !== undefined;

export const flaggerAddon: Addon<FlaggerSettings, FlaggerTeam> = {
    name: "flagger",
    config: flaggerConfig,
    traits: {
        namespace: flaggerNamespace,
        teamKinds: flaggerTeamKinds,
        // Flagger calls a Canary's webhooks (a load tester, a gate) and its Prometheus scrapes
        // annotated pods, each on whatever port the team chose.
        callers: { namespace: flaggerNamespace, ...flaggerCallerPods },
    },
    install(name, args, opts): AddonCluster<FlaggerTeam> {
        const flagger = new Flagger(name, { version: args.settings.version, slack: args.settings.slack, mirror: args.mirror }, opts);
        return {
            addon: "flagger",
            traits: flaggerAddon.traits,
            namespace: flagger.namespace,
            parts: [flagger],
            // Canaries and the like: Flagger acts on what their status says.
            statusGroups: ["flagger.app"],
            teamRepo: (team) => {
                const provider = hasTeamAlerts(team) ? teamAlertProviderName : undefined;
                return { variant: provider ? "team-alerts" : "platform-alerts", files: (path) => canaryExampleFiles(path, provider) };
            },
            // A team without its own webhook gets no provider: its Canaries use the platform's channel.
            teamPart: (teamName, team, opts) => {
                const { channel, user, webhook } = team.settings.slack;
                return webhook === undefined ? undefined
                    : new TeamAlerts(`${teamName}-alerts`, { team: team.name, namespace: team.namespace, channel, user, webhook, flagger }, opts);
            },
        };
    },
};
