import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformSettings, TeamSettings } from "./settings";
import { buildInTurns } from "../../runtime/buildInTurns";
import { Flagger, flaggerTeamKinds } from "../addons/flagger/flagger";
import { Gatekeeper } from "../addons/gatekeeper/gatekeeper";
import { GitHubRepo } from "../github/gitHubRepo";
import { githubKnownHosts } from "../github/knownHosts";
import { platformLabels, systemNamespace } from "../shared/names";
import { admissionOf, bindRepoEngine, everyEngineAdmission, installedParts, installEngines } from "../engines/registry";
import { platformRemovalGuard } from "./removalGuard";
import { keyTitle } from "./keyTitle";
import { Team } from "./team";
import { teamTemplates } from "./teamTemplates";
import { SystemNetwork } from "../isolation/systemNetwork";
import { TenantGuard } from "../isolation/tenantGuard";
import { ReachGuard } from "../isolation/reachGuard";

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
 * cluster-wide rights, the add-ons, the TenantGuard, and one Team per entry of `platform:teams`.
 */
export class Platform extends pulumi.ComponentResource {
    public readonly cluster: FluxInstanceSummary;
    /** By team name; resolves once every team is built (one per turn of the event loop). */
    public readonly teams: pulumi.Output<Record<string, pulumi.Unwrap<FluxInstanceSummary>>>;

    constructor(name: string, config: PlatformSettings, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Platform", name, {}, opts);
        const parent = { parent: this };

        // First, because every other Namespace waits for its release: Gatekeeper's namespace
        // webhook fails closed (see Gatekeeper.release).
        const gatekeeper = new Gatekeeper(`${name}-gatekeeper`, { mirror: config.mirror }, parent);
        const afterNamespaceWebhook = { parent: this, dependsOn: [gatekeeper.release] };

        const namespace = new k8s.core.v1.Namespace(`${name}-flux-system`, {
            metadata: { name: systemNamespace, labels: platformLabels("flux-system") },
        }, afterNamespaceWebhook);

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

        const flagger = config.flagger.enabled
            ? new Flagger(`${name}-flagger`, { version: config.flagger.version, slack: config.flagger.slack, mirror: config.mirror }, afterNamespaceWebhook)
            : undefined;
        const systemNetwork = new SystemNetwork(`${name}-system-network`, {
            fluxV1: config.engines.flux1 !== undefined,
            flagger: flagger !== undefined,
            namespaces: { system: namespace.metadata.name, gatekeeper: gatekeeper.namespace, flagger: flagger?.namespace },
        }, parent);
        const tenantGuard = new TenantGuard(`${name}-tenant-guard`, {
            engines: admissionOf(installed),
            // Flagger's Canaries and the like: it acts on what their status says.
            addonStatusGroups: flagger === undefined ? [] : ["flagger.app"],
        }, parent);
        // No priority class is offered to teams: their pods run at the cluster's default priority.
        // Every engine's fields, installed or not, so that installing one changes no policy.
        const reachGuard = new ReachGuard(`${name}-reach-guard`, {
            engines: everyEngineAdmission(), offeredPriorityClasses: [], flagger: flagger !== undefined,
        }, parent);
        // Each team's engine, installed once, bound to the team's settings once.
        const teamEngines = new Map(config.teams.map((settings) => [settings.name, bindRepoEngine(installed, settings.engine)]));
        const templates = teamTemplates(name, {
            owner: config.githubOwner,
            teams: config.teams.map((settings) => ({ settings, engine: teamEngines.get(settings.name)! })),
            flaggerInstalled: flagger !== undefined,
            fleetOwner: config.fleet?.owner,
        }, parent);

        // Every engine's and Flagger's kinds are counted, installed or not, so that installing one
        // changes no team's counts; the team's sync waits until its engine's kinds and Flagger's
        // are counted (Team), so that installing an engine changes no other team's quota.
        const customResources = [...new Set([...everyEngineAdmission().flatMap((a) => a.teamKinds ?? []), ...flaggerTeamKinds])];

        // Named: the SDK takes a resource's source position only from a frame that has a name.
        const buildTeam = (settings: TeamSettings) => {
            const engine = teamEngines.get(settings.name)!;
            const team = new Team(`${name}-team-${settings.name}`, {
                settings,
                githubOwner: config.githubOwner,
                fleet: config.fleet,
                engine,
                flagger,
                ingressNamespaces: config.network.ingressNamespaces,
                containerResources: gatekeeper.containerResources,
                customResources,
                installedCustomResources: [...engine.installedKinds, ...(flagger ? flaggerTeamKinds : [])],
                customResourcesInstalledBy: [...engine.kindsInstalledBy, ...(flagger ? [flagger] : [])],
                namespaceWebhook: gatekeeper.release,
                tenantGuard,
                reachGuard,
                template: templates.get(settings.name),
            }, parent);
            return { summary: [settings.name, summary(team.namespace, team.repo, settings, engine)] as const, removalGuard: team.removalGuard };
        };
        const teams = buildInTurns(config.teams, buildTeam);
        this.teams = pulumi.output(teams.then((built) => Object.fromEntries(built.map((team) => team.summary))));

        const installs = installedParts(installed);
        platformRemovalGuard(`${name}-offboard-teams-first`, config.teams.some((team) => !team.offboard),
            teams.then((built) => [gatekeeper, namespace, ...installs, clusterRepo, systemSync, ...(flagger ? [flagger] : []), tenantGuard, reachGuard, systemNetwork,
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
