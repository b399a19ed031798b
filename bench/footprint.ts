// The pods the platform runs and what they request, read off the resources the program registers:
// its own Deployments, and the pods of the two Helm charts as the program sizes them.
import { flaggerPrometheusRequests } from "../components/addons/flagger/flagger";
import { fluxOperatorChart } from "../components/shared/versions";

export interface PodRequest {
    readonly namespace: string;
    readonly pod: string;
    readonly cpuMilli: number;
    readonly memoryMi: number;
}

interface Requests {
    readonly cpu?: string;
    readonly memory?: string;
}

interface DeploymentInputs {
    readonly metadata: { readonly name: string; readonly namespace: string };
    readonly spec?: {
        readonly replicas?: number;
        readonly template: { readonly spec: { readonly containers: ReadonlyArray<{ readonly resources?: { readonly requests?: Requests } }> } };
    };
}

interface ReleaseInputs {
    readonly chart: string;
    readonly namespace: string;
    readonly values: Record<string, unknown>;
}

export function cpuMilli(q: string | undefined): number {
    if (!q) return 0;
    return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

export function memoryMi(q: string | undefined): number {
    if (!q) return 0;
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi)$/.exec(q);
    if (!m) throw new Error(`unexpected memory quantity ${q}`);
    return Number(m[1]) * { Ki: 1 / 1024, Mi: 1, Gi: 1024 }[m[2] as "Ki" | "Mi" | "Gi"];
}

function pod(namespace: string, name: string, replicas: number, requests: Requests | undefined): PodRequest {
    return { namespace, pod: name, cpuMilli: replicas * cpuMilli(requests?.cpu), memoryMi: replicas * memoryMi(requests?.memory) };
}

// Secret values reach the mocks wrapped; their shape is all the footprint needs.
function unwrapped(value: unknown): Record<string, unknown> {
    const wrapped = value as { value?: Record<string, unknown> } | undefined;
    return (wrapped && "value" in wrapped ? wrapped.value : value) as Record<string, unknown>;
}

function at(values: Record<string, unknown>, path: string): unknown {
    return path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], values);
}

export function podsOf(type: string, inputs: Record<string, unknown>): PodRequest[] {
    if (type === "kubernetes:apps/v1:Deployment") {
        const d = inputs as unknown as DeploymentInputs;
        if (!d.spec) return [];
        return d.spec.template.spec.containers.map((c) =>
            pod(d.metadata.namespace, d.metadata.name, d.spec?.replicas ?? 1, c.resources?.requests));
    }
    if (type === "kubernetes:helm.sh/v3:Release") {
        const r = inputs as unknown as ReleaseInputs;
        if (!r.values) return [];
        const values = unwrapped(r.values);
        switch (r.chart) {
            case "flagger":
                return [
                    pod(r.namespace, "flagger", 1, at(values, "resources.requests") as Requests),
                    ...(at(values, "prometheus.install") ? [pod(r.namespace, "flagger-prometheus", 1, flaggerPrometheusRequests)] : []),
                ];
            case "gatekeeper":
                return [
                    pod(r.namespace, "gatekeeper-controller-manager", Number(at(values, "replicas")),
                        at(values, "controllerManager.resources.requests") as Requests),
                    pod(r.namespace, "gatekeeper-audit", 1, at(values, "audit.resources.requests") as Requests),
                ];
            case fluxOperatorChart.chart:
                // Chart value `resources` (FluxV2Cluster).
                return [pod(r.namespace, "flux-operator", 1, at(values, "resources.requests") as Requests)];
            default:
                throw new Error(`the footprint does not know the chart ${r.chart}`);
        }
    }
    if (type === "kubernetes:fluxcd.controlplane.io/v1:FluxInstance") {
        return fluxInstancePods(inputs as unknown as FluxInstanceInputs);
    }
    return [];
}

interface FluxInstanceInputs {
    readonly metadata: { readonly namespace: string };
    readonly spec: {
        readonly components: readonly string[];
        readonly cluster: { readonly size?: "small" | "medium" | "large" };
        readonly sharding?: { readonly shards: readonly string[] };
        readonly kustomize?: { readonly patches: ReadonlyArray<{ readonly target: { readonly name: string }; readonly patch: string }> };
    };
}

/**
 * What each Flux controller requests as Flux 2.9.4 ships it (flux-operator v0.58.1
 * `config/data/flux/v2.9.4/<controller>.yaml`: source-controller 50m/64Mi, every other 100m/64Mi).
 */
function fluxDefaultRequests(component: string): Requests {
    return component === "source-controller" ? { cpu: "50m", memory: "64Mi" } : { cpu: "100m", memory: "64Mi" };
}

/**
 * The requests a size profile sets (flux-operator v0.58.1 `internal/builder/profiles.go`): small
 * every Deployment 100m/64Mi; medium source, kustomize and helm controllers 100m/128Mi; large
 * those three 100m/256Mi. Others keep Flux's own.
 */
function profileRequests(size: "small" | "medium" | "large" | undefined, component: string): Requests {
    const big = ["source-controller", "kustomize-controller", "helm-controller"].includes(component);
    switch (size) {
        case "small": return { cpu: "100m", memory: "64Mi" };
        case "medium": return big ? { cpu: "100m", memory: "128Mi" } : fluxDefaultRequests(component);
        case "large": return big ? { cpu: "100m", memory: "256Mi" } : fluxDefaultRequests(component);
        default: return fluxDefaultRequests(component);
    }
}

/**
 * The controllers a FluxInstance runs: its components with the size profile's requests, then the
 * program's explicit resource patches (applied last, fluxinstance_controller.go), and a
 * Deployment `<controller>-<shard>` per shard for the sharded ones (every component but
 * notification-controller).
 */
function fluxInstancePods(fi: FluxInstanceInputs): PodRequest[] {
    const patched = new Map<string, Requests>();
    for (const p of fi.spec.kustomize?.patches ?? []) {
        const names = /^\((.*)\)$/.exec(p.target.name)?.[1].split("|") ?? [p.target.name];
        const [op] = JSON.parse(p.patch) as Array<{ value: { requests: Requests } }>;
        names.forEach((n) => patched.set(n, op.value.requests));
    }
    const ns = fi.metadata.namespace;
    const deployments = [
        ...fi.spec.components,
        ...(fi.spec.sharding?.shards ?? []).flatMap((shard) =>
            fi.spec.components.filter((c) => c !== "notification-controller").map((c) => `${c}-${shard}`)),
    ];
    return deployments.map((d) => pod(ns, d, 1, patched.get(d) ?? profileRequests(fi.spec.cluster.size, d)));
}
