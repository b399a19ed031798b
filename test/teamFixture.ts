// A team as the config module would hand it over with every default, and the platform pieces a
// Team is built next to, for component specs.
import { Flagger } from "../components/flagger";
import { Gatekeeper } from "../components/gatekeeper";
import { TeamArgs } from "../components/team";
import { isolationDefaults } from "../config/isolation";
import { TeamSettings } from "../config/types";

export const teamSettings: TeamSettings = {
    name: "team1", repo: "dev-team1", branch: "main", path: "deploy", create: true, keyVersion: 1,
    flux: { image: "docker.io/fluxcd/flux:1.25.4", gitPollInterval: "5m", syncInterval: "5m", args: [] },
    slack: { channel: "alerts", user: "flagger" },
    isolation: isolationDefaults,
};

/** Args for a Team next to a fresh Gatekeeper (and a Flagger when asked); call inside `record`. */
export function teamArgs(settings: TeamSettings, extra: { flagger?: boolean; ingressNamespaces?: string[] } = {}): TeamArgs {
    const gatekeeper = new Gatekeeper("gatekeeper");
    const flagger = extra.flagger
        ? new Flagger("flagger", { version: "1.44.0", slack: { channel: "alerts", user: "flagger" } })
        : undefined;
    return {
        settings,
        githubOwner: "org",
        memcachedHost: "flux-memcached.flux-system",
        flagger,
        ingressNamespaces: extra.ingressNamespaces ?? [],
        containerResources: { kind: gatekeeper.containerResourcesKind, template: gatekeeper.containerResourcesTemplate },
    };
}
