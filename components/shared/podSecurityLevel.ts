// The three Pod Security Standards levels, from least to most strict
// (kubernetes.io/docs/concepts/security/pod-security-standards). Shared vocabulary: a team asks
// for a level, an engine says which level its own pods can live under, the fence enforces.

import { podSecurityLabelPrefix } from "./names";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** In the order config documents them: the default first. */
export const podSecurityLevels: readonly PodSecurityLevel[] = ["baseline", "restricted", "privileged"];

const strictness: Readonly<Record<PodSecurityLevel, number>> = { privileged: 0, baseline: 1, restricted: 2 };

/** The less strict of two levels. */
export function looserLevel(a: PodSecurityLevel, b: PodSecurityLevel): PodSecurityLevel {
    return strictness[a] <= strictness[b] ? a : b;
}

/**
 * Pod Security Admission's namespace labels (pod-security.kubernetes.io/*): enforce the level
 * given; warn and audit at restricted always, so teams see what restricted would refuse.
 */
export function podSecurityLabels(enforce: PodSecurityLevel): Record<string, string> {
    const prefix = podSecurityLabelPrefix;
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
