// The pods the platform runs and what they request, read off the resources the program registers:
// its own Deployments, and the pods of the two Helm charts as the program sizes them.
import { flaggerPrometheusRequests } from "../components/addons/flagger/flagger";

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
            default:
                throw new Error(`the footprint does not know the chart ${r.chart}`);
        }
    }
    return [];
}
