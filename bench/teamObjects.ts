// The bench's recording as the cluster tier's Applier takes it, and the Kubernetes objects it puts
// in the cluster counted by team: those in the team's namespace and the cluster-scoped ones named
// for it (its Namespace, its ClusterRoleBinding, its constraint).
import { Expand } from "../test/cluster/applyStack";
import { unwrapSecrets } from "../test/kit/mockOutputs";
import { RecordedRegistration } from "./recordedRegistration";

/** A recorded resource as the Applier reads it (test/kit/harness's Created). */
export type AppliedResource = Parameters<Expand>[0];

/**
 * Each registration as a resource to apply: its inputs with the secrets unwrapped, as the harness
 * records them (the Applier names an unnamed object as the provider would, recordedObject).
 */
export function toApplied(recorded: readonly RecordedRegistration[]): AppliedResource[] {
    return recorded.map((r) => {
        const { inputs, secretInputs } = unwrapSecrets(r.inputs ?? {});
        return { type: r.type, name: r.name, inputs, secretInputs, dependsOn: r.dependencies ?? [], parent: r.parent, protect: false };
    });
}

/** What the counting reads of an object. */
export interface ObjectKey {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

export interface TeamCount {
    readonly inNamespace: number;
    readonly clusterScoped: number;
}

export interface ObjectsByTeam {
    readonly byTeam: ReadonlyMap<string, TeamCount>;
    /** Objects of no team: the platform's, the charts', the CRDs. */
    readonly shared: number;
}

/**
 * Counts `objects` by team. `namespaced` says whether a kind lives in a namespace (the server's
 * discovery); a namespaced object without one goes to `default`, as the Applier sends it. A
 * cluster-scoped object is a team's when the team's name is its name, or a part of it between
 * characters a namespace name cannot hold (`gitops-platform:flux:team001`).
 */
export function objectsByTeam(objects: readonly ObjectKey[], teams: readonly string[], namespaced: (o: ObjectKey) => boolean): ObjectsByTeam {
    const counts = new Map<string, { inNamespace: number; clusterScoped: number }>(teams.map((t) => [t, { inNamespace: 0, clusterScoped: 0 }]));
    let shared = 0;
    for (const o of objects) {
        if (namespaced(o)) {
            const count = counts.get(o.metadata?.namespace ?? "default");
            if (count) count.inNamespace++;
            else shared++;
            continue;
        }
        const name = o.metadata?.name ?? "";
        const owners = name.split(/[^a-z0-9-]/).filter((part) => counts.has(part));
        if (new Set(owners).size > 1) {
            throw new Error(`${o.kind} ${name} is named for several teams: ${owners.join(", ")}`);
        }
        if (owners.length > 0) counts.get(owners[0])!.clusterScoped++;
        else shared++;
    }
    return { byTeam: counts, shared };
}
