// Whether the controller manager got every Deployment its pods: with no nodes they stay Pending,
// but each was admitted (Pod Security, quotas, limits, the admission policies) and exists.
import { admin, ControlPlane } from "./controlPlane";

type Json = Record<string, any>;

export interface PodsReport {
    readonly deployments: number;
    /** "<namespace>/<deployment>: <why>" for each Deployment short of its replicas. */
    readonly missing: string[];
}

/** Waits until every Deployment has its replicas as pods, or a ReplicaSet reports why not. */
export async function waitForPods(plane: ControlPlane, timeoutMs = 60_000): Promise<PodsReport> {
    const client = plane.as(admin);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const deployments = (await client.must("GET", "/apis/apps/v1/deployments")).items as Json[];
        const replicaSets = (await client.must("GET", "/apis/apps/v1/replicasets")).items as Json[];
        const missing: string[] = [];
        for (const d of deployments) {
            const wanted = d.spec.replicas ?? 1;
            const owned = replicaSets.filter((rs) => rs.metadata.ownerReferences?.some((o: Json) => o.uid === d.metadata.uid));
            const pods = owned.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
            if (pods < wanted) {
                const failure = owned.flatMap((rs) => (rs.status?.conditions ?? []) as Json[]).find((c) => c.type === "ReplicaFailure");
                missing.push(`${d.metadata.namespace}/${d.metadata.name}: ${pods} of ${wanted} pods${failure ? `: ${failure.message}` : ""}`);
            }
        }
        if (missing.length === 0 || Date.now() > deadline) {
            return { deployments: deployments.length, missing };
        }
        await new Promise((r) => setTimeout(r, 500));
    }
}
