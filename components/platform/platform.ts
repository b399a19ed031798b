import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformSettings, TeamSettings } from "./settings";
import { buildInTurns } from "../../runtime/buildInTurns";
import { everyAddonTraits, installAddons } from "../addons/registry";
import { GitHubRepo } from "../github/gitHubRepo";
import { githubKnownHosts } from "../github/knownHosts";
import { platformLabels, systemNamespace } from "../shared/names";
import { admissionOf, bindRepoEngine, everyEngineAdmission, installedParts, installEngines, systemPeersOf } from "../engines/registry";
import { platformRemovalGuard } from "./removalGuard";
import { keyTitle } from "./keyTitle";
import { Team } from "./team";
import { teamTemplates } from "./teamTemplates";
import { SystemNetwork } from "../fence/systemNetwork";
import { TeamGuard } from "../fence/teamGuard";
import { ReachGuard } from "../fence/reachGuard";

/** What a user needs to find a Flux instance, push to it, see its sync and check its key; never the private key. */
export interface FluxInstanceSummary {
    readonly namespace: pulumi.Output<string>;
    readonly repo: string;
    readonly sshUrl: string;
    /** Where the engine reads: the branch, and the folder in the repo ("" the root). */
    readonly branch: string;
    readonly path: string;
    /** The command that shows the sync. */
    readonly sync: pulumi.Output<string>;
    readonly deployKey: {
        readonly publicKey: pulumi.Output<string>;
        readonly fingerprint: pulumi.Output<string>;
    };
}

/**
 * The whole platform: the engine installed once, the cluster admins' repo synced with
 * cluster-wide rights, the add-ons, the TeamGuard, and one Team per entry of `platform:teams`.
 */
export class Platform extends pulumi.ComponentResource {
    public readonly cluster: FluxInstanceSummary;
    /** By team name; resolves once every team is built (one per turn of the event loop). */
    public readonly teams: pulumi.Output<Record<string, pulumi.Unwrap<FluxInstanceSummary>>>;

    constructor(name: string, config: PlatformSettings, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Platform", name, {}, opts);
        const parent = { parent: this };

        // First, because every other Namespace waits for their gates: Gatekeeper's namespace
        // webhook fails closed (see Gatekeeper.release).
        const { installed: addons, gates } = installAddons(name, { flagger: config.flagger }, config.mirror, parent);
        const afterGates = { parent: this, dependsOn: [...gates] };

        const namespace = new k8s.core.v1.Namespace(`${name}-flux-system`, {
            metadata: { name: systemNamespace, labels: platformLabels("flux-system") },
        }, afterGates);

        const installed = installEngines(name, namespace.metadata.name, config.engines, config.mirror, parent);
        const clusterEngine = bindRepoEngine(installed, config.cluster.engine);

        const clusterRepo = new GitHubRepo(`${name}-cluster-repo`, {
            owner: config.githubOwner,
            repo: config.cluster.repo,
            create: config.cluster.create,
            branch: config.cluster.branch,
            description: "Cluster-wide configuration, synced by the system Flux with cluster-admin rights.",
            // One repo per stack: its files are committed one by one, not worth a template.
            start: { files: clusterEngine.clusterRepoFiles(config.cluster.path) },
            deployKeyTitle: keyTitle(systemNamespace, config.fleet),
            keyVersion: config.cluster.keyVersion,
            writable: clusterEngine.keyWritable,
        }, parent);

        const systemSync = clusterEngine.sync(`${name}-system-flux`, {
            namespace: namespace.metadata.name,
            scope: "cluster",
            git: {
                url: clusterRepo.sshUrl,
                branch: config.cluster.branch,
                path: config.cluster.path,
                privateKey: clusterRepo.privateKey,
                keyFingerprint: clusterRepo.fingerprint,
                knownHosts: githubKnownHosts,
            },
        }, parent);
        this.cluster = summary(namespace.metadata.name, clusterRepo, config.cluster, clusterEngine);

        const addonTraits = everyAddonTraits();
        const systemNetwork = new SystemNetwork(`${name}-system-network`, {
            enginePeers: systemPeersOf(installed),
            system: namespace.metadata.name,
            addons: addons.map((addon) => ({ traits: addon.traits, namespace: addon.namespace })),
        }, parent);
        const statusGroups = addons.flatMap((addon) => addon.statusGroups);
        const teamGuard = new TeamGuard(`${name}-tenant-guard`, {
            engines: admissionOf(installed),
            addonStatusGroups: statusGroups,
            // Every engine's and add-on's, installed or not, so that installing one changes no policy.
            platformKinds: [...everyEngineAdmission().flatMap((a) => a.platformKinds ?? []), ...addonTraits.flatMap((t) => t.platformKinds ?? [])],
        }, parent);
        // No priority class is offered to teams: their pods run at the cluster's default priority.
        // Every engine's fields, installed or not, so that installing one changes no policy.
        const reachGuard = new ReachGuard(`${name}-reach-guard`, {
            engines: everyEngineAdmission(), offeredPriorityClasses: [], addonGroups: statusGroups,
        }, parent);
        // Each team's engine, installed once, bound to the team's settings once.
        const teamEngines = new Map(config.teams.map((settings) => [settings.name, bindRepoEngine(installed, settings.engine)]));
        const templates = teamTemplates(name, {
            owner: config.githubOwner,
            teams: config.teams.map((settings) => ({ settings, engine: teamEngines.get(settings.name)! })),
            addons,
            fleetOwner: config.fleet?.owner,
        }, parent);

        // Every engine's and add-on's kinds are counted, installed or not, so that installing one
        // changes no team's counts; the team's sync waits until its engine's kinds and the
        // add-ons' are counted (Team), so that installing an engine changes no other team's quota.
        const customResources = [...new Set([...everyEngineAdmission().flatMap((a) => a.teamKinds ?? []), ...addonTraits.flatMap((t) => t.teamKinds)])];
        const callers = addonTraits.flatMap((traits) => traits.callers ?? []);

        // Named: the SDK takes a resource's source position only from a frame that has a name.
        const buildTeam = (settings: TeamSettings) => {
            const engine = teamEngines.get(settings.name)!;
            const team = new Team(`${name}-team-${settings.name}`, {
                settings,
                githubOwner: config.githubOwner,
                fleet: config.fleet,
                engine,
                addons,
                ingressNamespaces: config.network.ingressNamespaces,
                callers,
                customResources,
                installedCustomResources: [...engine.installedKinds, ...addons.flatMap((addon) => addon.traits.teamKinds)],
                customResourcesInstalledBy: [...engine.kindsInstalledBy, ...addons.filter((addon) => addon.traits.teamKinds.length > 0).flatMap((addon) => addon.parts)],
                gates,
                teamGuard,
                reachGuard,
                template: templates.get(settings.name),
            }, parent);
            return { summary: [settings.name, summary(team.namespace, team.repo, settings, engine)] as const, removalGuard: team.removalGuard };
        };
        const teams = buildInTurns(config.teams, buildTeam);
        this.teams = pulumi.output(teams.then((built) => Object.fromEntries(built.map((team) => team.summary))));

        const installs = installedParts(installed);
        platformRemovalGuard(`${name}-offboard-teams-first`, config.teams.some((team) => !team.offboard),
            teams.then((built) => [...addons.flatMap((addon) => addon.parts), namespace, ...installs, clusterRepo, systemSync, teamGuard, reachGuard, systemNetwork,
                ...built.map((team) => team.removalGuard)]), this);

        this.registerOutputs({ cluster: this.cluster, teams: this.teams });
    }
}

function summary(namespace: pulumi.Output<string>, repo: GitHubRepo, where: { readonly branch: string; readonly path: string },
    engine: { syncStatusCommand(namespace: string): string }): FluxInstanceSummary {
    return {
        namespace,
        repo: repo.fullName,
        sshUrl: repo.sshUrl,
        branch: where.branch,
        path: where.path,
        sync: namespace.apply((ns) => engine.syncStatusCommand(ns)),
        deployKey: { publicKey: repo.publicKey, fingerprint: repo.fingerprint },
    };
}
