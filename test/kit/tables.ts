// The requests the fence is judged by: what a team may try (each must be refused, by the layer
// named) and what the components the platform installs really send (each must go through).
import { fluxBookkeeping, fluxSyncStateAnnotation } from "../../components/engines/flux1/admission";
import { Cluster, podTemplateHash, Request } from "./cluster";
import { gatekeeperWebhooks } from "./fixtures/charts";
import { fieldAttacks, fieldExpected } from "./fieldRows";
import { fluxV2Attacks, fluxV2Expected } from "./flux2Rows";
import { principalAttacks, principalExpected, principals } from "./principalRows";
import { apps, confinedPod, core, event, ns, rbac, stored } from "./requests";
import { clusterAdmin, serviceAccount } from "./users";

type Json = Record<string, any>;

export interface Attack {
    readonly attack: string;
    /** The layer that must refuse it: "RBAC", "Pod Security Admission (baseline)", "admission policy <name>". */
    readonly deniedBy: string;
    /** What the cluster holds first, beyond what the program made. */
    readonly given?: (cluster: Cluster) => Cluster;
    readonly request: (cluster: Cluster) => Request;
}

export interface Expected {
    readonly who: string;
    readonly does: string;
    /** Where upstream it does so. */
    readonly source: string;
    readonly given?: (cluster: Cluster) => Cluster;
    readonly request: (cluster: Cluster) => Request;
}

const teamFlux = serviceAccount("team1", "flux");
const teamPod = serviceAccount("team1", "default");
const restrictedTeamFlux = serviceAccount("team2", "flux");
const systemFlux = serviceAccount("flux-system", "flux");
const flagger = serviceAccount("flagger-system", "flagger");
const gatekeeper = serviceAccount("gatekeeper-system", "gatekeeper-admin");

const platformObjects = "admission policy gitops-platform-objects";
const teamNamespaces = "admission policy gitops-platform-team-namespaces";
const restrictedPods = "admission policy gitops-platform-restricted-pods";
const baselinePsa = "Pod Security Admission (baseline)";

const platformLabels = { "app.kubernetes.io/part-of": "gitops-platform", "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/name": "flux" };
const fluxPodName = `flux-${podTemplateHash}-x7k2p`;

/** A team's own workload, as fluxd applies it: with its garbage-collection mark and checksum. */
const web = (namespace: string): Json => ({
    apiVersion: "apps/v1", kind: "Deployment",
    metadata: {
        name: "web", namespace, labels: { app: "web", [fluxBookkeeping.labels[0]]: "sha256.abc" },
        annotations: { [fluxBookkeeping.annotations[1]]: "0123abcd" },
    },
    spec: {
        replicas: 2, selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: confinedPod("web").spec },
    },
});

/** A Canary of team1's web Deployment, with the fields Flagger's CRD requires (flagger v1.44.0 charts/flagger/crds/crd.yaml). */
const canary: Json = {
    apiVersion: "flagger.app/v1beta1", kind: "Canary", metadata: { name: "web", namespace: "team1" },
    spec: {
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, service: { port: 80 },
        analysis: { interval: "1m", threshold: 5, maxWeight: 50, stepWeight: 10 },
    },
};

/** The team binds its own pods' service account to the team role, as its Flux may. */
const podWithTeamRights = (c: Cluster) => c.with({
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "default-admin", namespace: "team1" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "gitops-platform:flux-tenant" },
    subjects: [{ kind: "ServiceAccount", name: "default", namespace: "team1" }],
});

export const attacks: readonly Attack[] = [
    {
        attack: "relabel its own Namespace to enforce privileged",
        deniedBy: teamNamespaces,
        request: () => ({ user: teamFlux, method: "PATCH", path: ns("team1"), body: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "privileged" } } } }),
    },
    {
        attack: "drop the team label from its Namespace (out of every label-selected policy)",
        deniedBy: teamNamespaces,
        request: () => ({ user: teamFlux, method: "PATCH", path: ns("team1"), body: { metadata: { labels: { "gitops-platform/team": null } } } }),
    },
    {
        attack: "commit its Namespace without the platform's labels (kubectl apply replaces it)",
        deniedBy: teamNamespaces,
        request: () => ({ user: teamFlux, method: "PUT", path: ns("team1"), body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team1" } } }),
    },
    {
        attack: "annotate its Namespace to place its pods on other nodes (PodNodeSelector)",
        deniedBy: teamNamespaces,
        request: () => ({ user: teamFlux, method: "PATCH", path: ns("team1"), body: { metadata: { annotations: { "scheduler.alpha.kubernetes.io/node-selector": "node-role.kubernetes.io/control-plane=" } } } }),
    },
    {
        attack: "give its Namespace an owner that does not exist, for the garbage collector to delete it",
        deniedBy: teamNamespaces,
        request: () => ({ user: teamFlux, method: "PATCH", path: ns("team1"), body: { metadata: { ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "gone", uid: "0000" }] } } }),
    },
    {
        attack: "delete its own Namespace",
        deniedBy: teamNamespaces,
        request: () => ({ user: teamFlux, method: "DELETE", path: ns("team1") }),
    },
    {
        attack: "write its Namespace's finalize subresource",
        deniedBy: teamNamespaces,
        request: (c) => ({ user: teamFlux, method: "PUT", path: `${ns("team1")}/finalize`, body: { ...stored(c, "", "namespaces", "", "team1"), spec: { finalizers: [] } } }),
    },
    {
        attack: "create a Gatekeeper Config in its namespace, outside every quota (Gatekeeper reads only gatekeeper-system's)",
        deniedBy: "admission policy gitops-platform-kinds",
        request: () => ({
            user: teamFlux, method: "POST", path: "/apis/config.gatekeeper.sh/v1alpha1/namespaces/team1/configs",
            body: { apiVersion: "config.gatekeeper.sh/v1alpha1", kind: "Config", metadata: { name: "config", namespace: "team1" }, spec: {} },
        }),
    },
    {
        attack: "forge a Gatekeeper ConstraintPodStatus in its namespace, outside every quota",
        deniedBy: "admission policy gitops-platform-kinds",
        request: () => ({
            user: teamFlux, method: "POST", path: "/apis/status.gatekeeper.sh/v1beta1/namespaces/team1/constraintpodstatuses",
            body: { apiVersion: "status.gatekeeper.sh/v1beta1", kind: "ConstraintPodStatus", metadata: { name: "forged", namespace: "team1" }, status: { enforced: true } },
        }),
    },
    {
        attack: "relabel a team Namespace with no credentials at all (system:anonymous)",
        deniedBy: "RBAC",
        request: () => ({ user: principals.anonymous, method: "PATCH", path: ns("team1"), body: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "privileged" } } } }),
    },
    {
        attack: "read a team's deploy key as a person the cluster knows, with no binding (system:authenticated)",
        deniedBy: "RBAC",
        request: () => ({ user: principals.member, method: "GET", path: core("team1", "secrets", "flux-git-deploy") }),
    },
    {
        attack: "change another team's Namespace",
        deniedBy: "RBAC",
        request: () => ({ user: teamFlux, method: "PATCH", path: ns("team2"), body: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "privileged" } } } }),
    },
    {
        attack: "create a Namespace",
        deniedBy: "RBAC",
        request: () => ({ user: teamFlux, method: "POST", path: "/api/v1/namespaces", body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team1-free" } } }),
    },
    {
        attack: "delete its quota",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "DELETE", path: core("team1", "resourcequotas", "platform-quota") }),
    },
    {
        attack: "raise its quota",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "PATCH", path: core("team1", "resourcequotas", "platform-quota"), body: { spec: { hard: { "requests.cpu": "64" } } } }),
    },
    {
        attack: "delete its limit range",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "DELETE", path: core("team1", "limitranges", "platform-defaults") }),
    },
    {
        attack: "delete its network policy",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "DELETE", path: "/apis/networking.k8s.io/v1/namespaces/team1/networkpolicies/platform-isolation" }),
    },
    {
        attack: "delete its quota from another pod of the namespace, to which the team granted every right there",
        deniedBy: platformObjects,
        given: podWithTeamRights,
        request: () => ({ user: teamPod, method: "DELETE", path: core("team1", "resourcequotas", "platform-quota") }),
    },
    {
        attack: "delete its ContainerResources constraint",
        deniedBy: "RBAC",
        request: () => ({ user: teamFlux, method: "DELETE", path: "/apis/constraints.gatekeeper.sh/v1beta1/containerresources/team1" }),
    },
    {
        attack: "delete the TeamGuard's admission policy",
        deniedBy: "RBAC",
        request: () => ({ user: teamFlux, method: "DELETE", path: "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/gitops-platform-objects" }),
    },
    {
        attack: "bind itself to cluster-admin cluster-wide",
        deniedBy: "RBAC",
        request: () => ({
            user: teamFlux, method: "POST", path: rbac("clusterrolebindings"),
            body: {
                apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "team1-admin" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
                subjects: [{ kind: "ServiceAccount", name: "flux", namespace: "team1" }],
            },
        }),
    },
    {
        attack: "create a ClusterRoleBinding to the team role (every verb, everywhere)",
        deniedBy: "RBAC",
        request: () => ({
            user: teamFlux, method: "POST", path: rbac("clusterrolebindings"),
            body: {
                apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "team1-everywhere" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "gitops-platform:flux-tenant" },
                subjects: [{ kind: "ServiceAccount", name: "flux", namespace: "team1" }],
            },
        }),
    },
    {
        attack: "widen its cluster-wide discovery role",
        deniedBy: "RBAC",
        request: () => ({ user: teamFlux, method: "PATCH", path: rbac("clusterroles", "gitops-platform:flux-tenant-discovery"), body: { rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] } }),
    },
    {
        attack: "create a RoleBinding in another team's namespace",
        deniedBy: "RBAC",
        request: () => ({
            user: teamFlux, method: "POST", path: `/apis/rbac.authorization.k8s.io/v1/namespaces/team2/rolebindings`,
            body: {
                apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "team1-in" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
                subjects: [{ kind: "ServiceAccount", name: "flux", namespace: "team1" }],
            },
        }),
    },
    {
        attack: "read another team's Secret (its deploy key)",
        deniedBy: "RBAC",
        request: () => ({ user: teamFlux, method: "GET", path: core("team2", "secrets", "flux-git-deploy") }),
    },
    {
        attack: "list another team's Secrets",
        deniedBy: "RBAC",
        request: () => ({ user: teamFlux, method: "GET", path: core("team2", "secrets") }),
    },
    {
        attack: "write another team's Secret",
        deniedBy: "RBAC",
        request: () => ({ user: teamFlux, method: "PATCH", path: core("team2", "secrets", "flux-git-deploy"), body: { data: { identity: "b3duZWQ=" } } }),
    },
    {
        attack: "read another team's Secret after binding cluster-admin in its own namespace",
        deniedBy: "RBAC",
        given: (c) => c.with({
            apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "own-admin", namespace: "team1" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
            subjects: [{ kind: "ServiceAccount", name: "flux", namespace: "team1" }],
        }),
        request: () => ({ user: teamFlux, method: "GET", path: core("team2", "secrets", "flux-git-deploy") }),
    },
    {
        attack: "run a privileged pod",
        deniedBy: baselinePsa,
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "pods"), body: confinedPod("root", (s) => ({ ...s, containers: [{ ...s.containers[0], securityContext: { privileged: true } }] })) }),
    },
    {
        attack: "run a host-network pod",
        deniedBy: baselinePsa,
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "pods"), body: confinedPod("sniffer", (s) => ({ ...s, hostNetwork: true })) }),
    },
    {
        attack: "run a pod in the host's PID namespace",
        deniedBy: baselinePsa,
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "pods"), body: confinedPod("ps", (s) => ({ ...s, hostPID: true })) }),
    },
    {
        attack: "mount the node's filesystem (hostPath)",
        deniedBy: baselinePsa,
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "pods"), body: confinedPod("node", (s) => ({ ...s, volumes: [{ name: "root", hostPath: { path: "/" } }] })) }),
    },
    {
        attack: "add SYS_ADMIN to a container",
        deniedBy: baselinePsa,
        request: () => ({ user: teamFlux, method: "POST", path: core("team1", "pods"), body: confinedPod("admin", (s) => ({ ...s, containers: [{ ...s.containers[0], securityContext: { capabilities: { add: ["SYS_ADMIN"] } } }] })) }),
    },
    {
        attack: "in a restricted namespace, run as root",
        deniedBy: restrictedPods,
        request: () => ({ user: restrictedTeamFlux, method: "POST", path: core("team2", "pods"), body: confinedPod("root", (s) => ({ ...s, securityContext: { seccompProfile: { type: "RuntimeDefault" } } })) }),
    },
    {
        attack: "in a restricted namespace, run as root in a pod that claims the Flux ReplicaSet as its owner",
        deniedBy: restrictedPods,
        request: () => ({
            user: restrictedTeamFlux, method: "POST", path: core("team2", "pods"),
            body: confinedPod("fake-flux", (s) => ({ ...s, securityContext: {} }), {
                labels: { "app.kubernetes.io/name": "flux", "pod-template-hash": podTemplateHash },
                ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `flux-${podTemplateHash}`, uid: "u", controller: true }],
            }),
        }),
    },
    {
        attack: "in a restricted namespace, pass a root pod off as the platform's Flux (its labels, owner and hash)",
        deniedBy: platformObjects,
        request: () => ({
            user: restrictedTeamFlux, method: "POST", path: core("team2", "pods"),
            body: confinedPod("fake-flux", (s) => ({ ...s, securityContext: {} }), {
                labels: { ...platformLabels, "pod-template-hash": podTemplateHash },
                ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `flux-${podTemplateHash}`, uid: "u", controller: true }],
            }),
        }),
    },
    {
        attack: "create a ReplicaSet named like the Flux Deployment's",
        deniedBy: platformObjects,
        request: (c) => ({
            user: restrictedTeamFlux, method: "POST", path: apps("team2", "replicasets"),
            body: { ...stored(c, "apps", "replicasets", "team2", `flux-${podTemplateHash}`), metadata: { name: "flux-6b8c7d9f4", labels: { app: "x" } } },
        }),
    },
    {
        attack: "in a restricted namespace, add a root debug container to the Flux pod (exempt from restricted)",
        deniedBy: platformObjects,
        request: (c) => {
            const pod = stored(c, "", "pods", "team2", fluxPodName);
            return {
                user: restrictedTeamFlux, method: "PUT", path: `${core("team2", "pods", fluxPodName)}/ephemeralcontainers`,
                body: { ...pod, spec: { ...pod.spec, ephemeralContainers: [{ name: "debug", image: "busybox", targetContainerName: "flux" }] } },
            };
        },
    },
    {
        attack: "edit the platform's Flux Deployment (its image)",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "PATCH", path: apps("team1", "deployments", "flux"), body: { spec: { template: { metadata: { labels: { patched: "yes" } } } } } }),
    },
    {
        attack: "scale the platform's Flux Deployment",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "PATCH", path: `${apps("team1", "deployments", "flux")}/scale`, body: { spec: { replicas: 0 } } }),
    },
    {
        attack: "rebind the Flux RoleBinding to another subject",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "PATCH", path: "/apis/rbac.authorization.k8s.io/v1/namespaces/team1/rolebindings/flux", body: { subjects: [{ kind: "Group", name: "system:authenticated" }] } }),
    },
    {
        attack: "replace the key in the platform's key Secret",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "PATCH", path: core("team1", "secrets", "flux-git-deploy"), body: { data: { identity: "b3duZWQ=" } } }),
    },
    {
        attack: "replace the key along with the sync-state annotation",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "PATCH", path: core("team1", "secrets", "flux-git-deploy"), body: { metadata: { annotations: { [fluxSyncStateAnnotation]: "0".repeat(40) } }, data: { identity: "b3duZWQ=" } } }),
    },
    {
        attack: "strip the platform's label from the key Secret along with the sync-state annotation",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "PATCH", path: core("team1", "secrets", "flux-git-deploy"), body: { metadata: { labels: { "app.kubernetes.io/part-of": null }, annotations: { [fluxSyncStateAnnotation]: "" } } } }),
    },
    {
        attack: "send fluxd's sync-state patch from another service account of the namespace, with every right there",
        deniedBy: platformObjects,
        given: podWithTeamRights,
        request: () => ({ user: teamPod, method: "PATCH", path: core("team1", "secrets", "flux-git-deploy"), body: { metadata: { annotations: { [fluxSyncStateAnnotation]: "0".repeat(40) } } } }),
    },
    {
        attack: "delete the platform's key Secret",
        deniedBy: platformObjects,
        request: () => ({ user: teamFlux, method: "DELETE", path: core("team1", "secrets", "flux-git-deploy") }),
    },
    {
        attack: "edit the system Flux in flux-system",
        deniedBy: "RBAC",
        request: () => ({ user: teamFlux, method: "PATCH", path: apps("flux-system", "deployments", "flux"), body: { spec: { replicas: 0 } } }),
    },
    ...fluxV2Attacks,
    ...principalAttacks,
    ...fieldAttacks,
];

const sha = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

export const expected: readonly Expected[] = [
    {
        who: "a team's fluxd", does: "read its own Namespace, to know it exists",
        source: "fluxcd/flux 1.25.4 pkg/cluster/kubernetes/kubernetes.go, getAllowedAndExistingNamespaces",
        request: () => ({ user: teamFlux, method: "GET", path: ns("team1") }),
    },
    {
        who: "a team's fluxd", does: "list Namespaces and CustomResourceDefinitions (cluster-scoped objects it syncs or skips)",
        source: "fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, getAllowedResourcesBySelector (listAllowedResources)",
        request: () => ({ user: teamFlux, method: "GET", path: "/api/v1/namespaces" }),
    },
    {
        who: "a team's fluxd", does: "list CustomResourceDefinitions",
        source: "fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, getAllowedResourcesBySelector",
        request: () => ({ user: teamFlux, method: "GET", path: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions" }),
    },
    {
        who: "a team's fluxd", does: "discover the API groups",
        source: "fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, discoveryClient.ServerGroups",
        request: () => ({ user: teamFlux, method: "GET", path: "/apis" }),
    },
    {
        who: "a team's fluxd", does: "list its namespace's objects by its garbage-collection label",
        source: "fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, getAllowedResourcesBySelector(gcMarkLabel)",
        request: () => ({ user: teamFlux, method: "GET", path: `${apps("team1", "deployments")}?labelSelector=fluxcd.io%2Fsync-gc-mark` }),
    },
    {
        who: "a team's fluxd", does: "read its sync state from its key Secret (--git-readonly)",
        source: "fluxcd/flux 1.25.4 pkg/sync/secret.go, GetRevision",
        request: () => ({ user: teamFlux, method: "GET", path: core("team1", "secrets", "flux-git-deploy") }),
    },
    {
        who: "a team's fluxd", does: "record its sync state on its key Secret, the patch it sends (--git-readonly)",
        source: "fluxcd/flux 1.25.4 pkg/sync/secret.go, setRevision and patch; cmd/fluxd/main.go forces --sync-state=secret",
        request: () => ({ user: teamFlux, method: "PATCH", path: core("team1", "secrets", "flux-git-deploy"), body: { metadata: { annotations: { [fluxSyncStateAnnotation]: sha } } } }),
    },
    {
        who: "a team's fluxd", does: "reset its sync state (the same patch with an empty revision)",
        source: "fluxcd/flux 1.25.4 pkg/sync/secret.go, DeleteMarker",
        given: (c) => c.with({ ...stored(c, "", "secrets", "team1", "flux-git-deploy"), metadata: { ...stored(c, "", "secrets", "team1", "flux-git-deploy").metadata, annotations: { [fluxSyncStateAnnotation]: sha } } }),
        request: () => ({ user: teamFlux, method: "PATCH", path: core("team1", "secrets", "flux-git-deploy"), body: { metadata: { annotations: { [fluxSyncStateAnnotation]: "" } } } }),
    },
    {
        who: "a team's fluxd", does: "apply a new workload (kubectl apply creates it)",
        source: "fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, applyMetadata and Kubectl.apply",
        request: () => ({ user: teamFlux, method: "POST", path: apps("team1", "deployments"), body: web("team1") }),
    },
    {
        who: "a team's fluxd", does: "apply a changed workload (kubectl apply patches it)",
        source: "fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, Kubectl.apply",
        given: (c) => c.with(web("team1")),
        request: () => ({ user: teamFlux, method: "PATCH", path: apps("team1", "deployments", "web"), body: { spec: { replicas: 3 } } }),
    },
    {
        who: "a team's fluxd", does: "delete a workload gone from its repo (--sync-garbage-collection)",
        source: "fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, collectGarbage",
        given: (c) => c.with(web("team1")),
        request: () => ({ user: teamFlux, method: "DELETE", path: apps("team1", "deployments", "web") }),
    },
    {
        who: "a team's fluxd", does: "apply its own Namespace manifest unchanged (only kubectl's and fluxd's bookkeeping)",
        source: "fluxcd/flux 1.25.4 pkg/cluster/kubernetes/kubernetes.go, IsAllowedResource; sync.go, applyMetadata",
        request: () => ({
            user: teamFlux, method: "PATCH", path: ns("team1"),
            body: {
                metadata: {
                    labels: { [fluxBookkeeping.labels[0]]: "sha256.team1" },
                    annotations: { [fluxBookkeeping.annotations[0]]: "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team1\"}}", [fluxBookkeeping.annotations[1]]: "0123abcd" },
                },
            },
        }),
    },
    {
        who: "a team's fluxd", does: "bind cluster-admin in its own namespace (RBAC allows: it holds bind there; it gains nothing beyond the namespace)",
        source: "kubernetes pkg/registry/rbac/rolebinding/policybased/storage.go, BindingAuthorized",
        request: () => ({
            user: teamFlux, method: "POST", path: "/apis/rbac.authorization.k8s.io/v1/namespaces/team1/rolebindings",
            body: {
                apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "own-admin" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
                subjects: [{ kind: "ServiceAccount", name: "flux", namespace: "team1" }],
            },
        }),
    },
    {
        who: "the system Flux", does: "apply a ClusterRole from the cluster repo",
        source: "README: the system Flux syncs the cluster repo with every right",
        request: () => ({ user: systemFlux, method: "POST", path: rbac("clusterroles"), body: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "shared-reader" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] } }),
    },
    {
        who: "the system Flux", does: "apply a ClusterRoleBinding to cluster-admin from the cluster repo",
        source: "kubernetes pkg/registry/rbac/clusterrolebinding/policybased/storage.go, BindingAuthorized",
        request: () => ({
            user: systemFlux, method: "POST", path: rbac("clusterrolebindings"),
            body: {
                apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "ops-admins" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "Group", name: "ops" }],
            },
        }),
    },
    {
        who: "the system Flux", does: "apply a shared Namespace and a ConfigMap in a team namespace",
        source: "README: the system Flux syncs the cluster repo with every right",
        request: () => ({ user: systemFlux, method: "POST", path: core("team1", "configmaps"), body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "shared-settings" }, data: { a: "b" } } }),
    },
    {
        who: "the system Flux", does: "relabel a team namespace (the cluster admins' repo may)",
        source: "README: the system Flux syncs the cluster repo with every right",
        request: () => ({ user: systemFlux, method: "PATCH", path: ns("team1"), body: { metadata: { labels: { "example.com/cost-centre": "42" } } } }),
    },
    {
        who: "Flagger", does: "create a Canary's primary Deployment in a team namespace",
        source: "fluxcd/flagger v1.44.0 charts/flagger/templates/rbac.yaml (apps deployments)",
        request: () => ({ user: flagger, method: "POST", path: apps("team1", "deployments"), body: { ...web("team1"), metadata: { name: "web-primary", labels: { app: "web-primary" } } } }),
    },
    {
        who: "Flagger", does: "scale the Canary's target down (spec.replicas)",
        source: "fluxcd/flagger v1.44.0 charts/flagger/templates/rbac.yaml (apps deployments update, patch)",
        given: (c) => c.with(web("team1")),
        request: () => ({ user: flagger, method: "PATCH", path: apps("team1", "deployments", "web"), body: { spec: { replicas: 0 } } }),
    },
    {
        who: "Flagger", does: "create the canary and primary Services, and copy ConfigMaps and Secrets",
        source: "fluxcd/flagger v1.44.0 charts/flagger/templates/rbac.yaml (services, configmaps, secrets)",
        request: () => ({ user: flagger, method: "POST", path: core("team1", "services"), body: { apiVersion: "v1", kind: "Service", metadata: { name: "web-canary" }, spec: { ports: [{ port: 80 }] } } }),
    },
    {
        who: "Flagger", does: "write a Canary's status",
        source: "fluxcd/flagger v1.44.0 charts/flagger/templates/rbac.yaml (canaries/status)",
        given: (c) => c.with(canary),
        request: () => ({ user: flagger, method: "PUT", path: "/apis/flagger.app/v1beta1/namespaces/team1/canaries/web/status", body: { ...canary, status: { phase: "Progressing" } } }),
    },
    {
        who: "Flagger", does: "record an event in a team namespace",
        source: "fluxcd/flagger v1.44.0 charts/flagger/templates/rbac.yaml (events)",
        request: () => ({ user: flagger, method: "POST", path: core("team1", "events"), body: event("web.1", "Synced", { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "team1" }) }),
    },
    {
        who: "Gatekeeper", does: "write a team's constraint status (audit)",
        source: "open-policy-agent/gatekeeper v3.23.0 charts/gatekeeper/templates/gatekeeper-manager-role-clusterrole.yaml (constraints.gatekeeper.sh *)",
        request: (c) => ({ user: gatekeeper, method: "PUT", path: "/apis/constraints.gatekeeper.sh/v1beta1/containerresources/team1/status", body: { ...stored(c, "constraints.gatekeeper.sh", "containerresources", "", "team1"), status: { totalViolations: 0 } } }),
    },
    {
        who: "Gatekeeper", does: "write the ConstraintTemplate's status",
        source: "open-policy-agent/gatekeeper v3.23.0 charts/gatekeeper/templates/gatekeeper-manager-role-clusterrole.yaml (constrainttemplates/status)",
        request: (c) => ({ user: gatekeeper, method: "PUT", path: "/apis/templates.gatekeeper.sh/v1/constrainttemplates/containerresources/status", body: { ...stored(c, "templates.gatekeeper.sh", "constrainttemplates", "", "containerresources"), status: { created: true } } }),
    },
    {
        who: "Gatekeeper", does: "create the ValidatingAdmissionPolicy it generates from the CEL template",
        source: "open-policy-agent/gatekeeper v3.23.0 charts/gatekeeper/templates/gatekeeper-manager-role-clusterrole.yaml (validatingadmissionpolicies)",
        request: () => ({ user: gatekeeper, method: "POST", path: "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies", body: {
            apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", metadata: { name: "gatekeeper-containerresources" },
            spec: {
                failurePolicy: "Fail", paramKind: { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "ContainerResources" },
                matchConstraints: { resourceRules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["*"] }] },
                validations: [{ expression: "true" }],
            },
        } }),
    },
    {
        who: "Gatekeeper", does: "rotate its webhook's CA bundle",
        source: "open-policy-agent/gatekeeper v3.23.0 charts/gatekeeper/templates/gatekeeper-manager-role-clusterrole.yaml (validatingwebhookconfigurations, by name)",
        given: (c) => c.with({ apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration", metadata: { name: gatekeeperWebhooks.validating }, webhooks: [] }),
        request: () => ({ user: gatekeeper, method: "PATCH", path: `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${gatekeeperWebhooks.validating}`, body: { webhooks: [] } }),
    },
    {
        who: "Gatekeeper", does: "rotate its serving certificate Secret",
        source: "open-policy-agent/gatekeeper v3.23.0 charts/gatekeeper/templates/gatekeeper-manager-role-role.yaml (secrets)",
        given: (c) => c.with({ apiVersion: "v1", kind: "Secret", metadata: { name: "gatekeeper-webhook-server-cert", namespace: "gatekeeper-system" }, data: {} }),
        request: () => ({ user: gatekeeper, method: "PATCH", path: core("gatekeeper-system", "secrets", "gatekeeper-webhook-server-cert"), body: { data: { "tls.crt": "Y2VydA==" } } }),
    },
    {
        who: "Gatekeeper", does: "record an event in a team namespace",
        source: "open-policy-agent/gatekeeper v3.23.0 charts/gatekeeper/templates/gatekeeper-manager-role-clusterrole.yaml (events)",
        request: () => ({ user: gatekeeper, method: "POST", path: core("team1", "events"), body: event("web.2", "FailedAdmission", { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "team1" }) }),
    },
    {
        who: "the platform (pulumi up, a cluster admin)", does: "change a team's Pod Security level on its Namespace",
        source: "components/platform/team.ts",
        request: () => ({ user: clusterAdmin, method: "PATCH", path: ns("team1"), body: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } } } }),
    },
    {
        who: "the platform (pulumi up, a cluster admin)", does: "rotate a team's key and update its quota",
        source: "components/engines/flux1/fluxV1.ts, components/fence/teamFence.ts",
        request: () => ({ user: clusterAdmin, method: "PATCH", path: core("team1", "secrets", "flux-git-deploy"), body: { data: { identity: "bmV3" } } }),
    },
    {
        who: "the platform (pulumi up, a cluster admin)", does: "delete a removed team's Namespace",
        source: "README: Removing a team",
        request: () => ({ user: clusterAdmin, method: "DELETE", path: ns("team2") }),
    },
    ...fluxV2Expected,
    ...principalExpected,
    ...fieldExpected,
];
