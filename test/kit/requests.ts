// Building the requests of the tables: API paths, a stored object, a pod that meets restricted.
import { Cluster } from "./cluster";

type Json = Record<string, any>;

export const ns = (name: string) => `/api/v1/namespaces/${name}`;
export const core = (namespace: string, resource: string, name = "") => `${ns(namespace)}/${resource}${name ? `/${name}` : ""}`;
export const apps = (namespace: string, resource: string, name = "") => `/apis/apps/v1/namespaces/${namespace}/${resource}${name ? `/${name}` : ""}`;
export const rbac = (resource: string, name = "") => `/apis/rbac.authorization.k8s.io/v1/${resource}${name ? `/${name}` : ""}`;
export const stored = (cluster: Cluster, group: string, resource: string, namespace: string, name: string): Json => {
    const found = cluster.get(group, resource, namespace, name);
    if (!found) {
        throw new Error(`the kit's cluster has no ${resource} ${namespace}/${name}`);
    }
    return found;
};

/** A pod that meets the restricted profile, so only what a row changes decides it. */
export function confinedPod(name: string, change: (spec: Json) => Json = (s) => s, metadata: Json = {}): Json {
    return {
        apiVersion: "v1", kind: "Pod",
        metadata: { name, labels: { app: name }, ...metadata },
        spec: change({
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            containers: [{
                name: "app", image: "registry.example/app:1",
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            }],
        }),
    };
}

/** An Event as a controller records it: about an object of the namespace it is created in. */
export function event(name: string, reason: string, about: { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly namespace: string }): Json {
    return {
        apiVersion: "v1", kind: "Event", metadata: { name }, involvedObject: about, reason,
        message: reason, type: "Normal", firstTimestamp: "2026-01-01T00:00:00Z", lastTimestamp: "2026-01-01T00:00:00Z", count: 1,
    };
}
