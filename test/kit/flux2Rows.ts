// The rows of a team synced by Flux v2 (team3 in the kit's cluster): what its account may try,
// what Flux's controllers and the Flux Operator really send, and what the API server admits and
// only a controller's flag refuses. Spread into the tables of tables.ts.
import { fluxInstanceName, shardingLabel, teamServiceAccountName } from "../../components/engines/flux2/fluxInstance";
import { gitSecretName, syncObjectName } from "../../components/engines/flux2/fluxV2";
import { fluxV2TeamRoleName } from "../../components/engines/flux2/fluxV2Cluster";
import { alertName, slackProviderName, slackWebhookSecretName } from "../../components/engines/flux2/notifications";
import { systemNamespace, teamFenceNames } from "../../components/shared/names";
import { Cluster, Impersonation, Request } from "./cluster";
import { fluxControllerAccounts, fluxOperatorAccount } from "./fixtures/flux2";
import { fluxV2Team } from "./platformCluster";
import { apps, confinedPod, core, event, ns, rbac, stored } from "./requests";
import type { Attack, Expected } from "./tables";
import { clusterAdmin, serviceAccount } from "./users";

type Json = Record<string, any>;

/** A request the API server admits whose effect a Flux controller refuses: the kit models only the API server. */
export interface LeftToControllers {
    readonly attempt: string;
    /** Who refuses it instead, and where upstream. */
    readonly refusedBy: string;
    readonly request: (cluster: Cluster) => Request;
}

const team = fluxV2Team;
/** The account the team's Kustomization impersonates, and every object its repo holds is applied as. */
const tenant = serviceAccount(team, teamServiceAccountName);
const teamPod = serviceAccount(team, "default");
const controller = (name: string) => serviceAccount(systemNamespace, name);
const kustomizeController = controller(fluxControllerAccounts.kustomize);
const sourceController = controller(fluxControllerAccounts.source);
const notificationController = controller(fluxControllerAccounts.notification);
const operator = controller(fluxOperatorAccount);

/**
 * kustomize-controller (and the operator's ResourceSets) acting as the team's account: the
 * Impersonate-User header `system:serviceaccount:<the object's namespace>:<its account>`
 * (fluxcd/pkg runtime/v0.110.1 `runtime/client/impersonator.go`, setImpersonationConfig).
 */
const asTenant: Impersonation = { serviceAccount: { namespace: team, name: teamServiceAccountName } };

const platformObjects = "admission policy gitops-platform-objects";
const teamNamespaces = "admission policy gitops-platform-team-namespaces";

const flux = (group: string, version: string, resource: string, name = "", namespace = team) =>
    `/apis/${group}/${version}/namespaces/${namespace}/${resource}${name ? `/${name}` : ""}`;
const gitRepositories = (name = "", namespace = team) => flux("source.toolkit.fluxcd.io", "v1", "gitrepositories", name, namespace);
const kustomizations = (name = "", namespace = team) => flux("kustomize.toolkit.fluxcd.io", "v1", "kustomizations", name, namespace);
const notifications = (resource: string, name = "") => flux("notification.toolkit.fluxcd.io", "v1beta3", resource, name);
const resourceSets = () => flux("fluxcd.controlplane.io", "v1", "resourcesets");
const fluxInstance = flux("fluxcd.controlplane.io", "v1", "fluxinstances", fluxInstanceName, systemNamespace);
/** Server-side apply as kustomize-controller sends it (fluxcd/pkg ssa/v0.76.1 `ssa/manager_apply.go`: client.Apply, ForceOwnership, its field manager). */
const applied = (path: string) => `${path}?fieldManager=${fluxControllerAccounts.kustomize}&force=true`;

/**
 * What kustomize-controller sets on every object it applies: its owner labels
 * (fluxcd/kustomize-controller v1.9.4 `internal/controller/kustomization_controller.go`,
 * `resourceManager.SetOwnerLabels(objects, obj.GetName(), obj.GetNamespace())` with the group
 * `kustomize.toolkit.fluxcd.io`), which its pruning selects by (`deleteObjects`, Inclusions).
 */
const ownerLabels = { "kustomize.toolkit.fluxcd.io/name": syncObjectName, "kustomize.toolkit.fluxcd.io/namespace": team };

/**
 * A Kustomization of the team's repo, as kustomize-controller applies it (server-side, as the
 * team's account), labelled with `shardLabels`: the operator's shard key hands it to the
 * controllers of the shard it names (flux-operator v0.58.1 internal/builder/templates.go,
 * `--watch-label-selector`).
 */
const ownKustomization = (c: Cluster, name: string, shardLabels: Record<string, string>): Request => ({
    user: kustomizeController, impersonate: asTenant, method: "PATCH", patchType: "apply", path: applied(kustomizations(name)),
    body: {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization",
        metadata: { name, namespace: team, labels: { ...ownerLabels, ...shardLabels } },
        spec: stored(c, "kustomize.toolkit.fluxcd.io", "kustomizations", team, syncObjectName).spec,
    },
});

/** A team's workload as kustomize-controller applies it from the team's repo. */
const web: Json = {
    apiVersion: "apps/v1", kind: "Deployment",
    metadata: { name: "web", namespace: team, labels: { app: "web", ...ownerLabels } },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: confinedPod("web").spec } },
};

/** The team binds its own pods' service account to the Flux v2 team role, as its repo may. */
const podWithTeamRights = (c: Cluster) => c.with({
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "default-admin", namespace: team },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: fluxV2TeamRoleName },
    subjects: [{ kind: "ServiceAccount", name: "default", namespace: team }],
});

const clusterAdminBinding = (name: string): Json => ({
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    subjects: [{ kind: "ServiceAccount", name: teamServiceAccountName, namespace: team }],
});

export const fluxV2Attacks: readonly Attack[] = [
    {
        attack: "Flux v2: repoint its GitRepository at another repo",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "PATCH", path: gitRepositories(syncObjectName), body: { spec: { url: "ssh://git@github.com/elsewhere/repo.git" } } }),
    },
    {
        attack: "Flux v2: delete its GitRepository",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "DELETE", path: gitRepositories(syncObjectName) }),
    },
    {
        attack: "Flux v2: point its Kustomization at the cluster admins' source in the system namespace",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "PATCH", path: kustomizations(syncObjectName), body: { spec: { sourceRef: { kind: "GitRepository", name: syncObjectName, namespace: systemNamespace } } } }),
    },
    {
        attack: "Flux v2: have its Kustomization impersonate another account, or none",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "PATCH", path: kustomizations(syncObjectName), body: { spec: { serviceAccountName: null, targetNamespace: null } } }),
    },
    {
        attack: "Flux v2: delete its Kustomization (stops the sync, prunes its objects)",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "DELETE", path: kustomizations(syncObjectName) }),
    },
    {
        attack: "Flux v2: delete the ServiceAccount its Kustomization impersonates",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "DELETE", path: core(team, "serviceaccounts", teamServiceAccountName) }),
    },
    {
        attack: "Flux v2: rebind its RoleBinding to every authenticated user",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "PATCH", path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/rolebindings/${teamServiceAccountName}`, body: { subjects: [{ kind: "Group", name: "system:authenticated" }] } }),
    },
    {
        attack: "Flux v2: replace the key in its key Secret",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "PATCH", path: core(team, "secrets", gitSecretName), body: { data: { identity: "b3duZWQ=" } } }),
    },
    {
        attack: "Flux v2: send its alerts elsewhere (the webhook Secret's address)",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "PATCH", path: core(team, "secrets", slackWebhookSecretName), body: { data: { address: "aHR0cHM6Ly9ldmlsLmV4YW1wbGU=" } } }),
    },
    {
        attack: "Flux v2: change its notification Provider's channel",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "PATCH", path: notifications("providers", slackProviderName), body: { spec: { channel: "muted" } } }),
    },
    {
        attack: "Flux v2: delete its Alert (failed syncs no longer reported)",
        deniedBy: platformObjects,
        request: () => ({ user: tenant, method: "DELETE", path: notifications("alerts", alertName) }),
    },
    {
        attack: "Flux v2: pass a Kustomization of its own off as the platform's (its part-of label)",
        deniedBy: platformObjects,
        request: (c) => ({
            user: tenant, method: "POST", path: kustomizations(),
            body: { ...stored(c, "kustomize.toolkit.fluxcd.io", "kustomizations", team, syncObjectName), metadata: { name: "second", labels: { "app.kubernetes.io/part-of": "gitops-platform" } } },
        }),
    },
    {
        attack: "Flux v2: delete its GitRepository from another pod of the namespace, to which the team granted every right there",
        deniedBy: platformObjects,
        given: podWithTeamRights,
        request: () => ({ user: teamPod, method: "DELETE", path: gitRepositories(syncObjectName) }),
    },
    {
        attack: "Flux v2: commit the platform's quota to its repo, raised (kustomize-controller applies it as the team's account)",
        deniedBy: platformObjects,
        request: () => ({
            user: kustomizeController, impersonate: asTenant, method: "PATCH", patchType: "apply", path: applied(core(team, "resourcequotas", teamFenceNames.quota)),
            body: { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: teamFenceNames.quota, namespace: team, labels: ownerLabels }, spec: { hard: { "requests.cpu": "64" } } },
        }),
    },
    {
        attack: "Flux v2: relabel its own Namespace to enforce privileged",
        deniedBy: teamNamespaces,
        request: () => ({ user: tenant, method: "PATCH", path: ns(team), body: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "privileged" } } } }),
    },
    {
        attack: "Flux v2: commit its Namespace to its repo labelled privileged (applied as the team's account)",
        deniedBy: teamNamespaces,
        request: () => ({
            user: kustomizeController, impersonate: asTenant, method: "PATCH", patchType: "apply", path: applied(ns(team)),
            body: { apiVersion: "v1", kind: "Namespace", metadata: { name: team, labels: { ...ownerLabels, "pod-security.kubernetes.io/enforce": "privileged" } } },
        }),
    },
    {
        attack: "Flux v2: delete its own Namespace",
        deniedBy: teamNamespaces,
        request: () => ({ user: tenant, method: "DELETE", path: ns(team) }),
    },
    {
        attack: "Flux v2: read another team's key Secret",
        deniedBy: "RBAC",
        request: () => ({ user: tenant, method: "GET", path: core("team1", "secrets", "flux-git-deploy") }),
    },
    {
        attack: "Flux v2: bind itself to cluster-admin cluster-wide",
        deniedBy: "RBAC",
        request: () => ({ user: tenant, method: "POST", path: rbac("clusterrolebindings"), body: clusterAdminBinding(`${team}-admin`) }),
    },
    {
        attack: "Flux v2: a ResourceSet of its own making the operator bind it to cluster-admin (the operator applies it as the team's account, chart value multitenancy.enabled)",
        deniedBy: "RBAC",
        request: () => ({
            user: operator, impersonate: asTenant, method: "PATCH", patchType: "apply",
            path: `${rbac("clusterrolebindings", `${team}-admin`)}?fieldManager=${fluxOperatorAccount}&force=true`, body: clusterAdminBinding(`${team}-admin`),
        }),
    },
    {
        attack: "Flux v2: impersonate kustomize-controller (cluster-admin)",
        deniedBy: "RBAC",
        request: () => ({
            user: tenant, impersonate: { serviceAccount: { namespace: systemNamespace, name: fluxControllerAccounts.kustomize } },
            method: "POST", path: rbac("clusterrolebindings"), body: clusterAdminBinding(`${team}-admin`),
        }),
    },
    {
        attack: "Flux v2: impersonate a user in the group system:masters",
        deniedBy: "RBAC",
        request: () => ({ user: tenant, impersonate: { user: "someone", groups: ["system:masters"] }, method: "GET", path: core("team1", "secrets") }),
    },
    {
        attack: "Flux v2: turn the multi-tenancy lockdown off in the FluxInstance",
        deniedBy: "RBAC",
        request: () => ({ user: tenant, method: "PATCH", path: fluxInstance, body: { spec: { cluster: { multitenant: false } } } }),
    },
    {
        attack: "Flux v2: create a FluxInstance of its own in its namespace, outside every quota (the operator reads only flux-system's)",
        deniedBy: "admission policy gitops-platform-kinds",
        request: () => ({
            user: kustomizeController, impersonate: asTenant, method: "POST", path: flux("fluxcd.controlplane.io", "v1", "fluxinstances"),
            body: {
                apiVersion: "fluxcd.controlplane.io/v1", kind: "FluxInstance", metadata: { name: fluxInstanceName, namespace: team },
                spec: { distribution: { version: "2.x", registry: "ghcr.io/fluxcd" } },
            },
        }),
    },
    {
        attack: "Flux v2: create a FluxReport in its namespace, outside every quota",
        deniedBy: "admission policy gitops-platform-kinds",
        request: () => ({
            user: tenant, method: "POST", path: flux("fluxcd.controlplane.io", "v1", "fluxreports"),
            body: { apiVersion: "fluxcd.controlplane.io/v1", kind: "FluxReport", metadata: { name: "flux", namespace: team }, spec: { distribution: { entitlement: "x", status: "x" } } },
        }),
    },
    {
        attack: "Flux v2: create a Kustomization in the system namespace (no account there to impersonate but the controllers')",
        deniedBy: "RBAC",
        request: (c) => ({
            user: tenant, method: "POST", path: kustomizations("", systemNamespace),
            body: { ...stored(c, "kustomize.toolkit.fluxcd.io", "kustomizations", team, syncObjectName), metadata: { name: "escape" } },
        }),
    },
    {
        attack: "Flux v2: in its restricted namespace (no engine pod to exempt), run as root",
        deniedBy: "Pod Security Admission (restricted)",
        request: () => ({ user: tenant, method: "POST", path: core(team, "pods"), body: confinedPod("root", (s) => ({ ...s, securityContext: { seccompProfile: { type: "RuntimeDefault" } } })) }),
    },
    {
        attack: "Flux v2: a Flux object of its own labelled for another team's dedicated controllers (they would spend that team's capacity)",
        deniedBy: platformObjects,
        request: (c) => ownKustomization(c, "on-a-shard", { [shardingLabel]: "team1" }),
    },
    {
        attack: "Flux v2: move a Flux object of its own onto another team's dedicated controllers",
        deniedBy: platformObjects,
        given: (c) => c.with(ownKustomization(c, "apps", {}).body as Json),
        request: () => ({ user: tenant, method: "PATCH", path: kustomizations("apps"), body: { metadata: { labels: { [shardingLabel]: "team1" } } } }),
    },
    {
        attack: "Flux v1: a Flux v2 object in its namespace labelled for the Flux v2 team's dedicated controllers",
        deniedBy: platformObjects,
        request: () => ({
            user: serviceAccount("team1", "flux"), method: "POST", path: flux("helm.toolkit.fluxcd.io", "v2", "helmreleases", "", "team1"),
            body: {
                apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", metadata: { name: "on-a-shard", namespace: "team1", labels: { [shardingLabel]: team } },
                spec: { interval: "10m", chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } } },
            },
        }),
    },
];

const sha = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

export const fluxV2Expected: readonly Expected[] = [
    {
        who: "kustomize-controller", does: "check that the team's account exists before impersonating it",
        source: "fluxcd/pkg runtime/v0.110.1 runtime/client/impersonator.go, CanImpersonate",
        request: () => ({ user: kustomizeController, method: "GET", path: core(team, "serviceaccounts", teamServiceAccountName) }),
    },
    {
        who: "kustomize-controller, as the team's account", does: "create a workload from the team's repo (server-side apply, with its owner labels)",
        source: "fluxcd/kustomize-controller v1.9.4 internal/controller/kustomization_controller.go (SetOwnerLabels, ApplyAllStaged); fluxcd/pkg ssa/v0.76.1 ssa/manager_apply.go",
        request: () => ({ user: kustomizeController, impersonate: asTenant, method: "PATCH", patchType: "apply", path: applied(apps(team, "deployments", "web")), body: web }),
    },
    {
        who: "kustomize-controller, as the team's account", does: "apply a changed workload (server-side apply)",
        source: "fluxcd/kustomize-controller v1.9.4 internal/controller/kustomization_controller.go, apply",
        given: (c) => c.with(web),
        request: () => ({ user: kustomizeController, impersonate: asTenant, method: "PATCH", patchType: "apply", path: applied(apps(team, "deployments", "web")), body: { ...web, spec: { ...web.spec, replicas: 3 } } }),
    },
    {
        who: "kustomize-controller, as the team's account", does: "prune a workload gone from the team's repo",
        source: "fluxcd/kustomize-controller v1.9.4 internal/controller/kustomization_controller.go, deleteObjects (prune: true)",
        given: (c) => c.with(web),
        request: () => ({ user: kustomizeController, impersonate: asTenant, method: "DELETE", path: apps(team, "deployments", "web") }),
    },
    {
        who: "kustomize-controller, as the team's account", does: "apply the team's Namespace manifest, which gains only the owner labels",
        source: "fluxcd/kustomize-controller v1.9.4 internal/controller/kustomization_controller.go, SetOwnerLabels; components/engines/flux2/engine.ts (bookkeeping)",
        request: () => ({
            user: kustomizeController, impersonate: asTenant, method: "PATCH", patchType: "apply", path: applied(ns(team)),
            body: { apiVersion: "v1", kind: "Namespace", metadata: { name: team, labels: ownerLabels } },
        }),
    },
    {
        who: "kustomize-controller", does: "record its status on the team's Kustomization",
        source: "fluxcd/kustomize-controller v1.9.4 internal/controller/kustomization_controller.go (finalizer, patch with the status manager); crd-controller role in flux-operator v0.58.1 config/data/flux/v2.9.4/rbac.yaml",
        request: () => ({ user: kustomizeController, method: "PATCH", path: `${kustomizations(syncObjectName)}/status`, body: { status: { lastAppliedRevision: `main@sha1:${sha}` } } }),
    },
    {
        who: "kustomize-controller", does: "add its finalizer to the team's Kustomization (the object, not its status)",
        source: "fluxcd/kustomize-controller v1.9.4 internal/controller/kustomization_controller.go, Reconcile (controllerutil.AddFinalizer, patch)",
        request: () => ({ user: kustomizeController, method: "PATCH", path: kustomizations(syncObjectName), body: { metadata: { finalizers: ["finalizers.fluxcd.io"] } } }),
    },
    {
        who: "source-controller", does: "read the team's key Secret to clone its repo",
        source: "fluxcd/source-controller v1.9.1 internal/controller/gitrepository_controller.go, getAuthOpts (spec.secretRef); crd-controller role (secrets get)",
        request: () => ({ user: sourceController, method: "GET", path: core(team, "secrets", gitSecretName) }),
    },
    {
        who: "source-controller", does: "record the team's GitRepository's artifact in its status",
        source: "crd-controller role in flux-operator v0.58.1 config/data/flux/v2.9.4/rbac.yaml (source.toolkit.fluxcd.io *)",
        request: () => ({ user: sourceController, method: "PATCH", path: `${gitRepositories(syncObjectName)}/status`, body: {
            status: {
                artifact: {
                    revision: `main@sha1:${sha}`, digest: `sha256:${"0".repeat(64)}`, lastUpdateTime: "2026-01-01T00:00:00Z",
                    path: `gitrepository/${team}/${syncObjectName}/${sha}.tar.gz`,
                    url: `http://source-controller.${systemNamespace}.svc.cluster.local./gitrepository/${team}/${syncObjectName}/${sha}.tar.gz`,
                },
            },
        } }),
    },
    {
        who: "source-controller", does: "record an event in the team's namespace",
        source: "crd-controller role in flux-operator v0.58.1 config/data/flux/v2.9.4/rbac.yaml (events create, patch)",
        request: () => ({ user: sourceController, method: "POST", path: core(team, "events"), body: event("gitops-platform.1", "NewArtifact", { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", name: syncObjectName, namespace: team }) }),
    },
    {
        who: "notification-controller", does: "read the team's Provider and its webhook Secret to post a failed sync",
        source: "fluxcd/notification-controller v1.9.3 internal/server/event_handlers.go (getSecret for provider.Spec.SecretRef); crd-controller role",
        request: () => ({ user: notificationController, method: "GET", path: core(team, "secrets", slackWebhookSecretName) }),
    },
    {
        who: "notification-controller", does: "list the team's Alerts that match an event",
        source: "fluxcd/notification-controller v1.9.3 internal/server/event_handlers.go; crd-controller role (notification.toolkit.fluxcd.io *)",
        request: () => ({ user: notificationController, method: "GET", path: notifications("alerts") }),
    },
    {
        who: "the Flux Operator", does: "record the FluxInstance's status",
        source: "controlplaneio-fluxcd/flux-operator v0.58.1 internal/controller/fluxinstance_controller.go; its cluster-admin binding (chart admin-clusterrole.yaml)",
        request: () => ({ user: operator, method: "PATCH", path: `${fluxInstance}/status`, body: { status: { lastAppliedRevision: "v2.9.4@sha256:0" } } }),
    },
    {
        who: "the Flux Operator", does: "apply Flux's controllers in the system namespace (server-side apply)",
        source: "controlplaneio-fluxcd/flux-operator v0.58.1 internal/controller/fluxinstance_controller.go (ssa.NewResourceManager, field manager flux-operator)",
        request: () => ({
            user: operator, method: "PATCH", patchType: "apply", path: `${apps(systemNamespace, "deployments", fluxControllerAccounts.kustomize)}?fieldManager=${fluxOperatorAccount}&force=true`,
            body: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: fluxControllerAccounts.kustomize, namespace: systemNamespace }, spec: { replicas: 1 } },
        }),
    },
    {
        who: "the Flux Operator", does: "apply the controllers' cluster-admin binding",
        source: "flux-operator v0.58.1 config/data/flux/v2.9.4/rbac.yaml (cluster-reconciler) and internal/builder/templates.go (nameSuffix)",
        request: () => ({
            user: operator, method: "PATCH", patchType: "apply", path: `${rbac("clusterrolebindings", `cluster-reconciler-${systemNamespace}`)}?fieldManager=${fluxOperatorAccount}&force=true`,
            body: {
                apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: `cluster-reconciler-${systemNamespace}` },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
                subjects: [{ kind: "ServiceAccount", name: fluxControllerAccounts.kustomize, namespace: systemNamespace }],
            },
        }),
    },
    {
        who: "the platform (pulumi up, a cluster admin)", does: "update a Flux v2 team's Kustomization",
        source: "components/engines/flux2/fluxV2.ts",
        request: () => ({ user: clusterAdmin, method: "PATCH", path: kustomizations(syncObjectName), body: { spec: { interval: "1m" } } }),
    },
    {
        who: "kustomize-controller, as the team's account", does: "apply a Flux object of the team's repo labelled for the team's own dedicated controllers",
        source: "flux-operator v0.58.1 internal/builder/templates.go (`--watch-label-selector=<key>=<shard>`); a team's shard is named after it (components/engines/flux2/config.ts)",
        request: (c) => ownKustomization(c, "on-its-own-shard", { [shardingLabel]: team }),
    },
];

export const leftToControllers: readonly LeftToControllers[] = [
    {
        attempt: "Flux v2: a Kustomization of its own on the cluster admins' GitRepository in the system namespace",
        refusedBy: "kustomize-controller under `--no-cross-namespace-refs=true` (fluxcd/kustomize-controller v1.9.4 internal/controller/kustomization_controller.go: \"cross-namespace references have been blocked\"), which the FluxInstance's `cluster.multitenant` sets (flux-operator v0.58.1 internal/builder/profiles.go, profileClusterMultitenant)",
        request: (c) => ({
            user: tenant, method: "POST", path: kustomizations(),
            body: {
                apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", metadata: { name: "cluster-copy" },
                spec: { ...stored(c, "kustomize.toolkit.fluxcd.io", "kustomizations", team, syncObjectName).spec, sourceRef: { kind: "GitRepository", name: syncObjectName, namespace: systemNamespace } },
            },
        }),
    },
    {
        attempt: "Flux v2: a Kustomization of its own that names `serviceAccountName: kustomize-controller`",
        refusedBy: "kustomize-controller impersonates that name in the Kustomization's own namespace, `system:serviceaccount:team3:kustomize-controller`, which does not exist (fluxcd/pkg runtime/v0.110.1 runtime/client/impersonator.go, CanImpersonate and setImpersonationConfig)",
        request: (c) => ({
            user: tenant, method: "POST", path: kustomizations(),
            body: {
                apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", metadata: { name: "as-controller" },
                spec: { ...stored(c, "kustomize.toolkit.fluxcd.io", "kustomizations", team, syncObjectName).spec, serviceAccountName: fluxControllerAccounts.kustomize },
            },
        }),
    },
    {
        attempt: "Flux v2: an operator ResourceSet that would create a cluster-admin binding",
        refusedBy: "the operator applies it as the team's `flux-tenant` (chart value `multitenancy.enabled` sets `--default-service-account`; flux-operator v0.58.1 internal/controller/resourceset_controller.go, makeImpersonator), and RBAC refuses that apply (the attack table)",
        request: () => ({
            user: tenant, method: "POST", path: resourceSets(),
            body: { apiVersion: "fluxcd.controlplane.io/v1", kind: "ResourceSet", metadata: { name: "escalate" }, spec: { resources: [clusterAdminBinding(`${team}-admin`)] } },
        }),
    },
];
