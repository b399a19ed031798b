// The program's objects sent to the API server as `pulumi up` sends them: server-side apply, each
// resource once every resource it depends on is done, as many at once as the graph allows.
import type { Created, Recording } from "../harness";
import { autoName } from "../kit/mockOutputs";
import { ApiClient } from "./apiClient";
import { RestMapper } from "./restMapper";

type Json = Record<string, any>;

/** What one recorded resource puts in the cluster, in order; and, after it, what its controllers would. */
export interface Expansion {
    readonly objects: readonly Json[];
    /** Objects a controller of the cluster makes from it (the Flux Operator from a FluxInstance, ...). */
    readonly made?: readonly Json[];
}

export type Expand = (resource: Created, object: Json | undefined) => Expansion;

export interface Refusal {
    readonly resource: string;
    readonly object: string;
    readonly status: number;
    readonly message: string;
}

export interface ApplyReport {
    /** Objects the server took. */
    readonly applied: number;
    readonly refused: readonly Refusal[];
    readonly ms: number;
}

/** The Kubernetes object a recorded resource registers, undefined for any other resource (GitHub, TLS, a Helm release). */
export function recordedObject(created: Created): Json | undefined {
    const match = /^kubernetes:([^:]+):(.+)$/.exec(created.type);
    if (!match || created.type.startsWith("kubernetes:helm.sh/")) {
        return undefined;
    }
    const object: Json = match[2] === "CustomResource" ? { ...created.inputs }
        : { apiVersion: match[1].startsWith("core/") ? match[1].slice("core/".length) : match[1], kind: match[2], ...created.inputs };
    // The provider names an object that has no name (see autoName).
    return object.metadata?.name === undefined ? { ...object, metadata: { ...object.metadata, name: autoName(created.name, created.inputs) } } : object;
}

const describe = (o: Json) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;

export class Applier {
    readonly mapper: RestMapper;

    constructor(private readonly client: ApiClient, private readonly fieldManager = "pulumi-kubernetes") {
        this.mapper = new RestMapper(client);
    }

    /** Server-side apply of one object; a CRD is waited for until it is established. */
    async apply(o: Json, dryRun = false): Promise<{ status: number; message: string; body: any }> {
        let path: string;
        try {
            path = await this.mapper.pathOf(o);
        } catch (e) {
            return { status: 0, message: (e as Error).message, body: undefined };
        }
        const query = `?fieldManager=${this.fieldManager}&force=true${dryRun ? "&dryRun=All" : ""}`;
        const answer = await this.client.request("PATCH", `${path}${query}`, o, "apply");
        if (answer.status < 300 && o.kind === "CustomResourceDefinition" && !dryRun) {
            await this.established(o.metadata.name);
        }
        return { status: answer.status, message: answer.body?.message ?? "", body: answer.body };
    }

    private async established(name: string): Promise<void> {
        const deadline = Date.now() + 20_000;
        for (;;) {
            const crd = await this.client.must("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
            if ((crd.status?.conditions ?? []).some((c: Json) => c.type === "Established" && c.status === "True")) {
                return;
            }
            if (Date.now() > deadline) {
                throw new Error(`CRD ${name} was not established within 20 s`);
            }
            await new Promise((r) => setTimeout(r, 50));
        }
    }

    /**
     * Every resource of the recording, each after the resources it waits for (dependsOn and the
     * outputs it takes, as the recording lists them), at most `parallel` at a time. Objects that
     * carry no namespace of their own go to `default`, as the provider sends them.
     */
    async applyRecording(recording: Recording, expand: Expand,
        options: { dryRun?: boolean; parallel?: number; /** Objects sent already, as JSON: not sent again; each sent is added. */ skip?: Set<string> } = {}): Promise<ApplyReport> {
        const start = Date.now();
        const resources = recording.resources;
        const names = new Set(resources.map((r) => r.name));
        const done = new Set<string>();
        const pending = new Set(resources);
        const refused: Refusal[] = [];
        let applied = 0;
        const applyOne = async (created: Created) => {
            const expansion = expand(created, recordedObject(created));
            for (const o of [...expansion.objects, ...(expansion.made ?? [])]) {
                const text = options.skip && JSON.stringify(o);
                if (text && options.skip!.has(text)) {
                    continue;
                }
                const answer = await this.apply(o, options.dryRun && o.kind !== "Namespace" && o.kind !== "CustomResourceDefinition");
                if (answer.status >= 200 && answer.status < 300) {
                    applied++;
                    if (text) {
                        options.skip!.add(text);
                    }
                } else {
                    refused.push({ resource: created.name, object: describe(o), status: answer.status, message: answer.message });
                }
            }
            done.add(created.name);
        };
        const running = new Set<Promise<void>>();
        while (pending.size > 0 || running.size > 0) {
            const ready = [...pending].filter((r) => r.dependsOn.every((d) => !names.has(d) || done.has(d)));
            for (const r of ready.slice(0, Math.max(0, (options.parallel ?? 16) - running.size))) {
                pending.delete(r);
                const p: Promise<void> = applyOne(r).finally(() => running.delete(p));
                running.add(p);
            }
            if (running.size === 0) {
                throw new Error(`resources wait for each other in a circle: ${[...pending].map((r) => r.name).join(", ")}`);
            }
            await Promise.race(running);
        }
        return { applied, refused, ms: Date.now() - start };
    }
}
