import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FleetSettings, TeamSettings } from "./settings";
import { GitHubRepo } from "../github/gitHubRepo";
import { RepoTemplateRef } from "../github/repoTemplate";
import { githubKnownHosts } from "../github/knownHosts";
import { BoundEngine } from "../shared/engine";
import { platformLabels, requestedLevelLabel, teamLabel } from "../shared/names";
import { enforcedLevel } from "../fence/podSecurity";
import { podSecurityLabels } from "../shared/podSecurityLevel";
import { InstalledAddon } from "../addons/registry";
import { PodPeer } from "../shared/addon";
import { TeamFence } from "../fence/teamFence";
import { teamRemovalGuard } from "./removalGuard";
import { keyTitle } from "./keyTitle";

export interface TeamArgs {
    readonly settings: TeamSettings;
    readonly githubOwner: string;
    /** The fleet this stack's cluster belongs to, if any: the team's repo serves each of its clusters. */
    readonly fleet?: FleetSettings;
    /** The team's engine, installed once for the cluster, with the team's settings bound. */
    readonly engine: BoundEngine;
    /** The add-ons installed: each adds its part to the team's fence and namespace. */
    readonly addons: readonly InstalledAddon[];
    /** Namespaces of shared ingress controllers, allowed into the team's. */
    readonly ingressNamespaces: readonly string[];
    /** Add-ons' pods that call teams' pods, installed or not (AddonTraits.callers). */
    readonly callers: readonly PodPeer[];
    /** The engines' and add-ons' kinds the team's quota counts, as `<plural>.<group>`, installed or not. */
    readonly customResources: readonly string[];
    /** Those whose CRDs the stack installs: the engine's sync and the team's alerts wait until each is counted. */
    readonly installedCustomResources: readonly string[];
    /** What installs their CRDs: the engine's install and the add-ons' (TeamFence). */
    readonly customResourcesInstalledBy: readonly pulumi.Resource[];
    /** What the team's Namespace waits for: the add-ons' gates (AddonCluster.gate). */
    readonly gates: readonly pulumi.Resource[];
    /**
     * The admission policies that guard every team namespace: the Namespace is created after them
     * and so deleted before them, and they never fall while it stays.
     */
    readonly teamGuard: pulumi.Resource;
    /** The admission policies that keep a team's fields inside its namespace; the same order as teamGuard. */
    readonly reachGuard: pulumi.Resource;
    /** The template the team's repo is made from, when the program creates it (teamTemplates). */
    readonly template?: RepoTemplateRef;
}

/**
 * A development team: its namespace, its repo with a deploy key, and its engine's sync of the
 * repo into the namespace and nowhere else. What the seed's create-team.sh and the manual
 * `fluxctl identity` steps did, from one entry in stack config.
 */
export class Team extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly repo: GitHubRepo;
    /** See TeamRemovalGuard; what must be refused before anything else of the platform is deleted. */
    public readonly removalGuard: pulumi.Resource;

    constructor(name: string, args: TeamArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Team", name, {}, opts);
        const team = args.settings;
        const teamLabels = { [teamLabel]: team.name };

        const engine = args.engine;
        // Pulumi refuses to delete a protected resource; offboarding lifts it (docs/operations.md).
        const protect = !team.offboard;
        const level = team.fence.podSecurity;
        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                name: team.name,
                labels: {
                    ...platformLabels("team", teamLabels),
                    ...podSecurityLabels(enforcedLevel(level, engine.teamFootprint?.enforceableLevel)),
                    [requestedLevelLabel]: level,
                },
            },
        }, { parent: this, dependsOn: [...args.gates, args.teamGuard, args.reachGuard], protect });
        this.namespace = namespace.metadata.name;

        const fence = new TeamFence(`${name}-policy`, {
            team: team.name,
            namespace: this.namespace,
            fence: team.fence,
            ingressNamespaces: args.ingressNamespaces,
            callers: args.callers,
            customResources: args.customResources,
            installedCustomResources: args.installedCustomResources,
            customResourcesInstalledBy: args.customResourcesInstalledBy,
            labels: teamLabels,
        }, { parent: this });
        // What creates counted custom objects in the namespace (the sync's GitRepository and
        // Kustomization, the add-ons' parts, and whatever the team's engine applies) starts
        // once the quota counts them: before, the API server refuses each (TeamFence).
        const counted = fence.countedNamespace;
        const addonTeam = { name: team.name, namespace: counted, settings: team };
        const fenceRef = { name: `${name}-policy`, labels: fence.labels, namespace: this.namespace };
        const addonParts = args.addons.flatMap((addon) => [
            addon.teamFence?.(fenceRef, addonTeam, { parent: fence }),
            addon.teamPart?.(name, addonTeam, { parent: this }),
        ]).filter((part): part is pulumi.Resource => part !== undefined);

        this.repo = new GitHubRepo(`${name}-repo`, {
            owner: args.githubOwner,
            repo: team.repo,
            create: team.create,
            branch: team.branch,
            description: `Workloads of team ${team.name}, synced by Flux into the ${team.name} namespace.`,
            // Its layout comes from the template, in the request that creates the repo.
            start: args.template && { template: args.template },
            deployKeyTitle: keyTitle(team.name, args.fleet),
            keyVersion: team.keyVersion,
            writable: engine.keyWritable,
            // A namespace the cluster already has stops the team before GitHub has anything of it.
            after: [namespace],
            shared: args.fleet !== undefined,
        }, { parent: this });

        const sync = engine.sync(`${name}-flux`, {
            namespace: counted,
            scope: "namespace",
            git: {
                url: this.repo.sshUrl,
                branch: team.branch,
                path: team.path,
                privateKey: this.repo.privateKey,
                keyFingerprint: this.repo.fingerprint,
                knownHosts: githubKnownHosts,
            },
            labels: teamLabels,
            suspended: team.offboard,
        }, { parent: this });

        this.removalGuard = teamRemovalGuard(`${name}-offboard-first`, team.name, protect,
            [namespace, fence, sync, this.repo, ...addonParts], this, args.fleet !== undefined);

        this.registerOutputs({ namespace: this.namespace });
    }
}
