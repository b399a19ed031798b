// Pod Security Admission labels for a namespace: what replaced the seed's PodSecurityPolicy when
// Kubernetes removed PSP in 1.25. `baseline` is the seed's restrictive PSP: no privileged
// containers, no host network, PID or IPC, no hostPath.

import { looserLevel, PodSecurityLevel } from "../shared/podSecurityLevel";

/**
 * The level Pod Security Admission enforces on a team's namespace for the level asked for, when
 * the team's engine runs pods there that can live only under `enforceable` (its TeamFootprint).
 * PSA cannot exempt one Deployment's pods, so a stricter request is enforced at `enforceable`,
 * restricted is warned and audited, and the TeamGuard enforces the rest on all but the engine's.
 */
export function enforcedLevel(requested: PodSecurityLevel, enforceable: PodSecurityLevel = "restricted"): PodSecurityLevel {
    return looserLevel(requested, enforceable);
}
