import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TeamSettings } from "../config/types";
import { FluxV1, fluxV1Writes } from "./fluxV1";
import { FluxV1TenantRoleNames } from "./fluxV1TenantRoles";
import { GitHubRepo } from "./gitHubRepo";
import { githubKnownHosts } from "./knownHosts";
import { platformLabels, teamLabel } from "./labels";
import { enforcedLevel, podSecurityLabels, requestedLevelLabel } from "./podSecurity";
import { teamRepoLayout } from "./repoLayout";
import { TeamAlerts } from "./teamAlerts";
import { ConstraintTemplateRef, TenantPolicy } from "./tenantPolicy";

export interface TeamArgs {
    readonly settings: TeamSettings;
    readonly githubOwner: string;
    /** What every team's Flux v1 shares: the memcached, and the ClusterRoles its bindings name. */
    readonly fluxShared: {
        readonly memcachedHost: pulumi.Input<string>;
        readonly tenantRoles: FluxV1TenantRoleNames;
    };
    /** The platform's Flagger, when it is installed; the team's AlertProvider waits for it. */
    readonly flagger?: pulumi.Resource;
    /** Namespaces of shared ingress controllers, allowed into the team's. */
    readonly ingressNamespaces: readonly string[];
    readonly containerResources: ConstraintTemplateRef;
    /**
     * What the team's Namespace waits for: Gatekeeper's release, whose namespace webhook fails
     * closed until it answers (see Gatekeeper.release).
     */
    readonly namespaceWebhook: pulumi.Resource;
}

/**
 * A development team: its namespace, its repo with a deploy key, and a Flux instance that syncs
 * the repo into the namespace and nowhere else. What the seed's create-team.sh and the manual
 * `fluxctl identity` steps did, from one entry in stack config.
 */
export class Team extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly repo: GitHubRepo;

    constructor(name: string, args: TeamArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:Team", name, {}, opts);
        const team = args.settings;
        const teamLabels = { [teamLabel]: team.name };

        const level = team.isolation.podSecurity;
        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                name: team.name,
                labels: {
                    ...platformLabels("team", teamLabels),
                    ...podSecurityLabels(enforcedLevel(level)),
                    [requestedLevelLabel]: level,
                },
            },
        }, { parent: this, dependsOn: [args.namespaceWebhook] });
        this.namespace = namespace.metadata.name;

        // A team without its own webhook gets no provider: its Canaries use the platform's channel.
        const alerts = args.flagger && team.slack.webhook
            ? new TeamAlerts(`${name}-alerts`, {
                team: team.name,
                namespace: this.namespace,
                channel: team.slack.channel,
                user: team.slack.user,
                webhook: team.slack.webhook,
                flagger: args.flagger,
            }, { parent: this })
            : undefined;
        new TenantPolicy(`${name}-policy`, {
            team: team.name,
            namespace: this.namespace,
            isolation: team.isolation,
            ingressNamespaces: args.ingressNamespaces,
            containerResources: args.containerResources,
            labels: teamLabels,
        }, { parent: this });

        this.repo = new GitHubRepo(`${name}-repo`, {
            owner: args.githubOwner,
            repo: team.repo,
            create: team.create,
            branch: team.branch,
            description: `Workloads of team ${team.name}, synced by Flux into the ${team.name} namespace.`,
            initialFiles: teamRepoLayout(team.name, team.path, {
                flagger: args.flagger ? { alertProvider: alerts?.providerName } : undefined,
            }),
            deployKeyTitle: `flux in namespace ${team.name}`,
            keyVersion: team.keyVersion,
            writable: fluxV1Writes(team.flux),
        }, { parent: this });

        new FluxV1(`${name}-flux`, {
            namespace: this.namespace,
            scope: "namespace",
            git: {
                url: this.repo.sshUrl,
                branch: team.branch,
                path: team.path,
                privateKey: this.repo.privateKey,
                keyFingerprint: this.repo.fingerprint,
                knownHosts: githubKnownHosts,
            },
            settings: team.flux,
            labels: teamLabels,
            memcachedHost: args.fluxShared.memcachedHost,
            tenantRoles: args.fluxShared.tenantRoles,
        }, { parent: this });

        this.registerOutputs({ namespace: this.namespace });
    }
}
