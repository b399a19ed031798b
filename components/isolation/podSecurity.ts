// Pod Security Admission labels for a namespace: what replaced the seed's PodSecurityPolicy when
// Kubernetes removed PSP in 1.25. `baseline` is the seed's restrictive PSP: no privileged
// containers, no host network, PID or IPC, no hostPath.

import { looserLevel, PodSecurityLevel } from "../shared/podSecurityLevel";

/** Set on a team's namespace: the level the team asked for, whatever PSA enforces. */
export const requestedLevelLabel = "gitops-platform/pod-security";

/**
 * The level Pod Security Admission enforces on a team's namespace for the level asked for, when
 * the team's engine runs pods there that can live only under `enforceable` (its
 * TenantFootprint). PSA judges every pod of a namespace alike and can exempt only whole
 * namespaces, users or runtime classes cluster-wide, so a stricter request is enforced at
 * `enforceable`; restricted itself is warned and audited in every team namespace, and the
 * TenantGuard enforces the rest of restricted on every pod of the namespace but the engine's.
 */
export function enforcedLevel(requested: PodSecurityLevel, enforceable: PodSecurityLevel = "restricted"): PodSecurityLevel {
    return looserLevel(requested, enforceable);
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
