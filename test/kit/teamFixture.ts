// A team as the config module would hand it over with every default, and the platform pieces a
// Team is built next to, for component specs.
import { addons, everyAddonTraits, InstalledAddon } from "../../components/addons/registry";
import { noMirror } from "../../components/shared/mirror";
import * as pulumi from "@pulumi/pulumi";
import { fluxV1Engine } from "../../components/engines/flux1/engine";
import { FluxV1Args } from "../../components/engines/flux1/fluxV1";
import { githubKnownHosts } from "../../components/github/knownHosts";
import { TeamArgs } from "../../components/platform/team";
import { teamTemplates } from "../../components/platform/teamTemplates";
import { bindEngine } from "../../components/shared/engine";
import { FluxV1TeamRoleNames } from "../../components/engines/flux1/teamRoles";
import { fenceDefaults } from "../../config/fence";
import { TeamGuard } from "../../components/fence/teamGuard";
import { ReachGuard } from "../../components/fence/reachGuard";
import { TeamSettings } from "../../config/types";

/** The platform's shared tenant ClusterRoles, by the names the platform gives them. */
export const teamRoles: FluxV1TeamRoleNames = {
    namespaceAdmin: "gitops-platform:flux-tenant",
    discovery: "gitops-platform:flux-tenant-discovery",
};

export const teamSettings: TeamSettings = {
    name: "team1", repo: "dev-team1", branch: "main", path: "deploy", layoutPaths: ["deploy"], create: true, keyVersion: 1,
    engine: { name: "flux1", settings: { image: "docker.io/fluxcd/flux:1.25.4", gitPollInterval: "5m", syncInterval: "5m", args: [] } },
    slack: { channel: "alerts", user: "flagger" },
    fence: fenceDefaults,
    offboard: false,
};

/** Args for a Team next to a fresh Gatekeeper and Flux v1 install (and a Flagger when asked); call inside `record`. */
export function teamArgs(settings: TeamSettings, extra: {
    flagger?: boolean; ingressNamespaces?: string[]; customResources?: string[]; installedCustomResources?: string[];
    /** More installed add-ons, after Gatekeeper and Flagger. */
    addons?: InstalledAddon[];
} = {}): TeamArgs {
    const gatekeeper = addons.gatekeeper.install("gatekeeper", { settings: {}, mirror: noMirror }, {});
    const flagger = extra.flagger
        ? addons.flagger.install("flagger", { settings: { enabled: true, version: "1.44.0", slack: { channel: "alerts", user: "flagger" } }, mirror: noMirror }, {})
        : undefined;
    const installed: InstalledAddon[] = [gatekeeper, ...(flagger ? [flagger] : []), ...(extra.addons ?? [])];
    const engine = bindEngine(fluxV1Engine.install("flux1", { namespace: "flux-system", settings: { image: "memcached:test", maxMemoryMb: 64 } }, {}),
        settings.engine.settings);
    return {
        settings,
        githubOwner: "org",
        engine,
        // As the Platform makes them: the template of the team's layout.
        template: teamTemplates("platform", { owner: "org", teams: [{ settings, engine }], addons: installed }, {})
            .get(settings.name),
        addons: installed,
        ingressNamespaces: extra.ingressNamespaces ?? [],
        callers: everyAddonTraits().flatMap((traits) => traits.callers ?? []),
        customResources: extra.customResources ?? [],
        installedCustomResources: extra.installedCustomResources ?? [],
        customResourcesInstalledBy: flagger && extra.installedCustomResources?.length ? flagger.parts : [],
        gates: [gatekeeper.gate!],
        teamGuard: new TeamGuard("tenant-guard", { engines: [] }),
        reachGuard: new ReachGuard("reach-guard", { engines: [], offeredPriorityClasses: [] }),
    };
}

/** A team's Flux v1 instance in `team1`, with every default, as a Team builds it. */
export function teamFluxArgs(): FluxV1Args {
    return {
        namespace: "team1",
        scope: "namespace",
        git: {
            url: "git@github.com:org/dev-team1.git", branch: "master", path: "",
            privateKey: pulumi.secret("k"), keyFingerprint: "SHA256:k", knownHosts: githubKnownHosts,
        },
        settings: { image: "docker.io/fluxcd/flux:1.25.4", gitPollInterval: "5m", syncInterval: "5m", args: [] },
        memcachedHost: "flux-memcached.flux-system",
        teamRoles,
    };
}
