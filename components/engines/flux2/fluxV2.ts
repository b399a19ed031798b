import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { RepoSyncArgs } from "../../shared/engine";
import { platformLabels } from "../../shared/names";
import { shardingLabel, teamServiceAccountName } from "./fluxInstance";
import { sourceControllerSshUrl } from "./gitUrl";
import { reportFailures } from "./notifications";
import { FluxV2Settings, FluxV2Install } from "./settings";

/** What a sync needs from the install: typed handles, not names to look up. */
export interface FluxV2Installed {
    /** The FluxInstance: Flux's kinds exist once it is ready. */
    readonly instance: pulumi.Resource;
    /** The ClusterRole a team's account is bound to inside its namespace. */
    readonly teamRole: pulumi.Input<string>;
    /** What was installed: the shards and whether the image controllers run. */
    readonly install: Pick<FluxV2Install, "shards" | "imageAutomation">;
}

export interface FluxV2Args extends RepoSyncArgs<FluxV2Settings> {
    readonly installed: FluxV2Installed;
}

// The names of a sync's objects in its namespace. None is a name Flux v1 uses there (ServiceAccount
// and Deployment `flux`, Secret `flux-git-deploy`, ConfigMap `flux-config`, RoleBinding `flux`), so a
// team moving between engines gets the new objects created before the old ones are deleted.

/** The cluster admins' sync account: cluster-admin, in the system namespace only. */
export const clusterSyncServiceAccountName = "flux-cluster-sync";
/** Cluster-scoped, so named apart from Flux v1's `gitops-platform:flux:flux-system`. */
export const clusterSyncBindingName = "gitops-platform:flux2-cluster-sync";
/** The deploy key and the host keys source-controller checks the git host against. */
export const gitSecretName = "flux-git-ssh";
/** The GitRepository and the Kustomization of the repo. */
export const syncObjectName = "gitops-platform";

const sourceApiVersion = "source.toolkit.fluxcd.io/v1";
const kustomizeApiVersion = "kustomize.toolkit.fluxcd.io/v1";

/**
 * One repo synced by Flux v2 into one namespace: objects only, no pod. The account the sync
 * impersonates and its rights, the deploy key Secret, a GitRepository and a Kustomization, and,
 * with alerts, where failures are reported. The shared controllers (or the repo's shard's) in the
 * system namespace do the work.
 */
export class FluxV2 extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;

    constructor(name: string, args: FluxV2Args, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:FluxV2", name, {}, opts);
        checkInstalled(args.settings, args.installed.install);
        const parent = { parent: this };
        const namespace = pulumi.output(args.namespace);
        this.namespace = namespace;
        const labels = platformLabels("flux2", args.labels);
        const meta = (objectName: string, extra: Record<string, string> = {}) =>
            ({ name: objectName, namespace, labels: { ...labels, ...extra } });
        const shard = args.settings.dedicatedControllers?.name;
        // Only these two kinds are reconciled by sharded controllers; notification-controller
        // serves every shard (docs/upstream.md, "Shards").
        const shardLabels: Record<string, string> = shard === undefined ? {} : { [shardingLabel]: shard };

        // Suspended: nothing is fetched, applied or pruned, not even when the Kustomization is
        // deleted; the namespace's deletion takes what it applied (docs/upstream.md, "The objects a
        // sync creates"). Absent otherwise, so a sync that runs keeps the inputs it always had.
        const suspension = args.suspended ? { suspend: true } : {};
        if (args.suspended && shard !== undefined) {
            // Said at step 1, where the user reads what step 2 takes (docs/operations.md).
            void pulumi.log.warn(`${shard} is offboarded and has dedicated controllers: remove its entry in the same change that adds ` +
                `"${shard}" to platform:flux2.retiredShards, or the same up removes the controllers that alone finalize its Flux objects ` +
                "and its namespace is never deleted (docs/operations.md, \"Offboarding a team\").", this);
        }
        const accountName = args.scope === "cluster" ? clusterSyncServiceAccountName : teamServiceAccountName;
        const account = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta(accountName) }, parent);
        const rights = this.grantRights(name, args, account, labels);

        const gitKey = new k8s.core.v1.Secret(`${name}-git-key`, {
            metadata: meta(gitSecretName),
            type: "Opaque",
            // The keys source-controller reads for SSH (docs/upstream.md, "The objects a sync creates").
            stringData: pulumi.secret(pulumi.output(args.git.privateKey).apply((identity) => ({
                identity,
                known_hosts: args.git.knownHosts,
            }))),
        }, parent);

        // Names, not outputs, reference the other objects: a replaced Secret then never replaces
        // this object (Pulumi replaces a dependent only through a property that depends on it).
        const source = new k8s.apiextensions.CustomResource(`${name}-source`, {
            apiVersion: sourceApiVersion,
            kind: "GitRepository",
            metadata: meta(syncObjectName, shardLabels),
            spec: {
                url: sourceControllerSshUrl(args.git.url),
                ref: { branch: args.git.branch },
                secretRef: { name: gitSecretName },
                interval: args.settings.interval,
                ...suspension,
            },
        }, { parent: this, dependsOn: [args.installed.instance, gitKey] });

        // Created first and deleted last, so that a failed pruning on removal is reported too.
        const reporting = args.settings.alerts === undefined ? [] : reportFailures(this, name, {
            namespace,
            labels,
            alerts: args.settings.alerts,
            sources: [
                { kind: "GitRepository", name: syncObjectName },
                { kind: "Kustomization", name: syncObjectName },
            ],
            instance: args.installed.instance,
        });

        new k8s.apiextensions.CustomResource(`${name}-kustomization`, {
            apiVersion: kustomizeApiVersion,
            kind: "Kustomization",
            metadata: meta(syncObjectName, shardLabels),
            spec: {
                sourceRef: { kind: "GitRepository", name: syncObjectName },
                path: `./${args.git.path}`,
                prune: true,
                // Explicit in both scopes: under the lockdown an object that names no account
                // impersonates the team default one, which has no rights in the system namespace.
                serviceAccountName: accountName,
                interval: args.settings.interval,
                timeout: args.settings.timeout,
                ...suspension,
                ...(args.scope === "namespace" ? {
                    // Everything the team's repo holds lands in the team's namespace.
                    targetNamespace: namespace,
                    // Deleting the Kustomization deletes nothing of the team's: a removed team was
                    // offboarded (suspended; its namespace's deletion takes the rest), and a team
                    // moving back to Flux v1 keeps its workloads and volumes for fluxd to take over.
                    deletionPolicy: "Orphan",
                } : {
                    // The cluster repo holds CRDs and cluster roles other teams depend on; removing
                    // the platform or moving the cluster repo to another engine must not delete them.
                    deletionPolicy: "Orphan",
                }),
                // The team's own Flux objects (a HelmRelease, its image automation) go to its
                // shard too: every object the Kustomization applies carries these labels.
                ...(shard === undefined ? {} : { commonMetadata: { labels: shardLabels } }),
            },
        }, {
            parent: this,
            // Pulumi deletes the Kustomization first and waits until it is gone: the account, its
            // rights and the key outlive the pruning (docs/upstream.md, "The objects a sync creates").
            dependsOn: [args.installed.instance, account, ...rights, gitKey, source, ...reporting],
        });

        this.registerOutputs({ namespace });
    }

    private grantRights(name: string, args: FluxV2Args, account: k8s.core.v1.ServiceAccount,
        labels: Record<string, string>): pulumi.Resource[] {
        const subjects = [{ kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace }];
        if (args.scope === "cluster") {
            // The cluster admins' repo may change anything, as the operator's own sync would
            // (docs/upstream.md, "The FluxInstance", multi-tenancy); an account of the platform's
            // own keeps the sync's rights out of Flux's internals.
            return [new k8s.rbac.v1.ClusterRoleBinding(`${name}-cluster-role-binding`, {
                metadata: { name: clusterSyncBindingName, labels },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
                subjects,
            }, { parent: this })];
        }
        // Every right, but through a RoleBinding: only in the team's own namespace.
        return [new k8s.rbac.v1.RoleBinding(`${name}-role-binding`, {
            metadata: { name: teamServiceAccountName, namespace: account.metadata.namespace, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: args.installed.teamRole },
            subjects,
        }, { parent: this })];
    }
}

/** A repo's settings must name only what was installed: a programming error otherwise, caught before anything is created. */
function checkInstalled(settings: FluxV2Settings, install: FluxV2Installed["install"]): void {
    const shard = settings.dedicatedControllers?.name;
    if (shard !== undefined && !install.shards.some((s) => s.name === shard)) {
        throw new Error(`Flux v2: the shard "${shard}" is not installed (installed: ${install.shards.map((s) => s.name).join(", ") || "none"})`);
    }
    if (settings.imageAutomation && !install.imageAutomation) {
        throw new Error("Flux v2: a repo automates images, but the image automation controllers are not installed");
    }
}
