// Pod Security Admission labels for a namespace: what replaced the seed's PodSecurityPolicy when
// Kubernetes removed PSP in 1.25. `baseline` is the seed's restrictive PSP: no privileged
// containers, no host network, PID or IPC, no hostPath.

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export const podSecurityLevels: readonly PodSecurityLevel[] = ["baseline", "restricted", "privileged"];

/** Set on a team's namespace: the level the team asked for, whatever PSA enforces. */
export const requestedLevelLabel = "gitops-platform/pod-security";

/**
 * The level Pod Security Admission enforces on a team's namespace for the level asked for.
 *
 * A team's own Flux v1 runs in its namespace, and fluxd runs as root: its image has no user,
 * and at start it chmods its mounted key to 0400, which fails unless it owns the file (upstream
 * fluxcd/flux#1327 and #3097 were closed without non-root support). PSA judges every pod of a
 * namespace alike and can exempt only whole namespaces, users or runtime classes cluster-wide,
 * so "restricted" is enforced one level down, at baseline; restricted itself is warned and
 * audited in every team namespace, and the TenantGuard enforces the rest of restricted on
 * every pod of the namespace but the team's Flux.
 */
export function enforcedLevel(requested: PodSecurityLevel): PodSecurityLevel {
    return requested === "restricted" ? "baseline" : requested;
}

/** Enforce the level given; warn and audit at restricted always, so teams see what restricted would refuse. */
export function podSecurityLabels(enforce: PodSecurityLevel): Record<string, string> {
    const prefix = "pod-security.kubernetes.io";
    return {
        [`${prefix}/enforce`]: enforce,
        // Judged by the rules of the cluster's own version, so an upgrade can tighten them.
        [`${prefix}/enforce-version`]: "latest",
        [`${prefix}/warn`]: "restricted",
        [`${prefix}/warn-version`]: "latest",
        [`${prefix}/audit`]: "restricted",
        [`${prefix}/audit-version`]: "latest",
    };
}
