// The names Flux v1 gives its objects: fixed, since the TeamGuard, the policy pack and users
// find fluxd and its Secret by them.

/**
 * Flux v1's objects: in every namespace a Flux v1 syncs (the system namespace and each Flux v1
 * team's), and the ClusterRoles its teams are bound to. The policy pack knows fluxd by these (test/policies/pack.spec.ts).
 */
export const fluxV1Names = {
    deployment: "flux",
    serviceAccount: "flux",
    /** The RoleBinding that gives a team's fluxd every right in its namespace. */
    roleBinding: "flux",
    /** The Secret holding the repo's private key (fluxd's --k8s-secret-name). */
    gitSecret: "flux-git-deploy",
    /** known_hosts and the kubeconfig. */
    config: "flux-config",
    /** Pod-template annotation: the fingerprint of the key the pod started with. */
    gitKeyAnnotation: "gitops-platform/git-key-fingerprint",
    memcached: "flux-memcached",
    teamRole: "gitops-platform:flux-tenant",
    discoveryRole: "gitops-platform:flux-tenant-discovery",
    /** Each instance's cluster-scoped objects are named this plus its namespace. */
    clusterScopedPrefix: "gitops-platform:flux:",
} as const;
