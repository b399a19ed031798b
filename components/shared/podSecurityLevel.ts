// The three Pod Security Standards levels, from least to most strict
// (kubernetes.io/docs/concepts/security/pod-security-standards). Shared vocabulary: a team asks
// for a level, an engine says which level its own pods can live under, isolation enforces.

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** In the order config documents them: the default first. */
export const podSecurityLevels: readonly PodSecurityLevel[] = ["baseline", "restricted", "privileged"];

const strictness: Readonly<Record<PodSecurityLevel, number>> = { privileged: 0, baseline: 1, restricted: 2 };

/** The less strict of two levels. */
export function looserLevel(a: PodSecurityLevel, b: PodSecurityLevel): PodSecurityLevel {
    return strictness[a] <= strictness[b] ? a : b;
}
