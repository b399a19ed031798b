// The program's objects sent to the API server as `pulumi up` sends them: server-side apply, each
// resource once every resource it depends on is done (and, when it carries `pulumi.com/waitFor`,
// once the server's object meets it, as the provider awaits it: waitFor.ts), as many at once as the
// graph allows.
import type { Created, Recording } from "../kit/harness";
import { withProviderName } from "../kit/mockOutputs";
import { ApiClient } from "./apiClient";
import { planeOf } from "./controlPlane";
import { RestMapper } from "./restMapper";
import { waitForConditions } from "./waitFor";

type Json = Record<string, any>;

/** What one recorded resource puts in the cluster, in order; and, after it, what its controllers would. */
export interface Expansion {
    readonly objects: readonly Json[];
    /** Objects a controller of the cluster makes from it (the Flux Operator from a FluxInstance, ...). */
    readonly made?: readonly Json[];
    /** The status that controller then writes on the first object, from the object as the server holds it. */
    readonly status?: (live: Json) => Json;
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
    /** How long each object with `pulumi.com/waitFor` took to meet it, once taken. */
    readonly waits: readonly { readonly object: string; readonly ms: number }[];
    readonly ms: number;
}

/** The provider's await time-out when the object sets none (pulumi-kubernetes provider/pkg/await/await.go). */
const defaultAwaitMs = 10 * 60_000;

/** The Kubernetes object a recorded resource registers, undefined for any other resource (GitHub, TLS, a Helm release). */
export function recordedObject(created: Created): Json | undefined {
    const match = /^kubernetes:([^:]+):(.+)$/.exec(created.type);
    if (!match || created.type.startsWith("kubernetes:helm.sh/")) {
        return undefined;
    }
    // The provider names an object that has no name (withProviderName).
    const inputs = withProviderName(created.type, created.name, created.inputs);
    return match[2] === "CustomResource" ? { ...inputs }
        : { apiVersion: match[1].startsWith("core/") ? match[1].slice("core/".length) : match[1], kind: match[2], ...inputs };
}

const describe = (o: Json) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;

/** A Helm hook whose delete policy is `before-hook-creation` (Helm pkg/release/hook.go): each run creates it anew. */
function recreatedByHelm(o: Json): boolean {
    const policy = o.metadata?.annotations?.["helm.sh/hook-delete-policy"];
    return typeof policy === "string" && policy.split(",").some((p) => p.trim() === "before-hook-creation");
}

export class Applier {
    readonly mapper: RestMapper;

    constructor(private readonly client: ApiClient, private readonly fieldManager = "pulumi-kubernetes") {
        this.mapper = new RestMapper(client);
    }

    /** Server-side apply of one object; a CRD is waited for until it is established. */
    async apply(o: Json): Promise<{ status: number; message: string; body: any }> {
        let path: string;
        try {
            path = await this.mapper.pathOf(o);
        } catch (e) {
            return { status: 0, message: (e as Error).message, body: undefined };
        }
        if (recreatedByHelm(o)) {
            // Helm deletes such a hook before it creates it again: a Job's template cannot change in place.
            const gone = await this.client.request("DELETE", path, { propagationPolicy: "Background" });
            if (gone.status >= 300 && gone.status !== 404) {
                return { status: gone.status, message: gone.body?.message ?? "", body: gone.body };
            }
        }
        const query = `?fieldManager=${this.fieldManager}&force=true`;
        const answer = await this.client.request("PATCH", `${path}${query}`, o, "apply");
        if (answer.status < 300 && o.kind === "CustomResourceDefinition") {
            await this.established(o.metadata.name);
        }
        return { status: answer.status, message: answer.body?.message ?? "", body: answer.body };
    }

    /**
     * Reads the object until its `pulumi.com/waitFor` holds, within `pulumi.com/timeoutSeconds` or
     * the provider's 10 minutes; what it says when it does not.
     */
    async awaitReady(o: Json): Promise<{ met: true; ms: number } | { met: false; message: string }> {
        const wait = waitForConditions(o);
        const start = Date.now();
        if (wait === undefined) {
            return { met: true, ms: 0 };
        }
        const seconds = Number(o.metadata?.annotations?.["pulumi.com/timeoutSeconds"]);
        const deadline = start + (Number.isInteger(seconds) && seconds > 0 ? seconds * 1000 : defaultAwaitMs);
        const path = await this.mapper.pathOf(o);
        // A quota that awaits counts of custom kinds: the controller manager is made to find CRDs
        // established since it started at once, not at its next 30 s discovery (discoverCrds).
        const plane = o.kind === "ResourceQuota" ? planeOf(this.client) : undefined;
        let rediscovered = false;
        let live: Json | undefined;
        for (;;) {
            const answer = await this.client.request("GET", path);
            live = answer.status === 200 ? answer.body : undefined;
            if (live !== undefined && wait.conditions.every((met) => met(live!))) {
                return { met: true, ms: Date.now() - start };
            }
            if (Date.now() > deadline) {
                return { met: false, message: `pulumi.com/waitFor ${wait.text} not met within ${Math.round((deadline - start) / 1000)} s; status: ${JSON.stringify(live?.status)}` };
            }
            if (plane && !rediscovered && Date.now() - start > 2_000) {
                rediscovered = true;
                await plane.discoverCrds();
            }
            await new Promise((r) => setTimeout(r, 100));
        }
    }

    private async established(name: string): Promise<void> {
        const deadline = Date.now() + 20_000;
        for (;;) {
            const crd = await this.client.must("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
            if ((crd.status?.conditions ?? []).some((c: Json) => c.type === "Established" && c.status === "True")) {
                const plane = planeOf(this.client);
                if (plane) {
                    plane.crdEstablishedAt = Date.now();
                }
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
    async applyRecording(recording: Pick<Recording, "resources">, expand: Expand,
        options: { parallel?: number; /** Objects sent already, as JSON: not sent again; each sent is added. */ skip?: Set<string> } = {}): Promise<ApplyReport> {
        const start = Date.now();
        const resources = recording.resources;
        const names = new Set(resources.map((r) => r.name));
        const done = new Set<string>();
        const pending = new Set(resources);
        const refused: Refusal[] = [];
        const waits: { object: string; ms: number }[] = [];
        let applied = 0;
        // No rescan of what is pending (quadratic at 1,000 teams): each resource counts the names it
        // still waits for, and a name done releases those waiting for it. Ready ones start in the
        // recording's order, as when every pending resource was checked in turn.
        const order = new Map(resources.map((r, i) => [r, i]));
        const waitingFor = new Map<Created, number>();
        const waiters = new Map<string, Created[]>();
        const ready = new MinHeap<Created>((a, b) => order.get(a)! - order.get(b)!);
        for (const r of resources) {
            const awaited = new Set(r.dependsOn.filter((d) => names.has(d)));
            waitingFor.set(r, awaited.size);
            for (const d of awaited) {
                const list = waiters.get(d) ?? [];
                list.push(r);
                waiters.set(d, list);
            }
            if (awaited.size === 0) {
                ready.push(r);
            }
        }
        const finished = (name: string) => {
            if (done.has(name)) {
                return;
            }
            done.add(name);
            for (const r of waiters.get(name) ?? []) {
                const left = waitingFor.get(r)! - 1;
                waitingFor.set(r, left);
                if (left === 0) {
                    ready.push(r);
                }
            }
        };
        const applyOne = async (created: Created) => {
            const expansion = expand(created, recordedObject(created));
            const taken: Json[] = [];
            for (const o of [...expansion.objects, ...(expansion.made ?? [])]) {
                const text = options.skip && JSON.stringify(o);
                if (text && options.skip!.has(text)) {
                    continue;
                }
                const answer = await this.apply(o);
                if (answer.status >= 200 && answer.status < 300) {
                    applied++;
                    taken.push(o);
                    if (text) {
                        options.skip!.add(text);
                    }
                } else {
                    refused.push({ resource: created.name, object: describe(o), status: answer.status, message: answer.message });
                }
            }
            const first = expansion.objects[0];
            if (expansion.status && first && taken.includes(first)) {
                const path = await this.mapper.pathOf(first);
                const live = await this.client.must("GET", path);
                await this.client.must("PATCH", `${path}/status`, { status: expansion.status(live) }, "merge");
            }
            // What the provider awaits before the resource is done: its own objects' waitFor.
            for (const o of expansion.objects.filter((x) => taken.includes(x))) {
                const ready = await this.awaitReady(o);
                if (ready.met) {
                    if (waitForConditions(o)) {
                        waits.push({ object: describe(o), ms: ready.ms });
                    }
                } else {
                    refused.push({ resource: created.name, object: describe(o), status: 0, message: ready.message });
                }
            }
            finished(created.name);
        };
        const running = new Set<Promise<void>>();
        while (pending.size > 0 || running.size > 0) {
            while (ready.size > 0 && running.size < Math.max(0, options.parallel ?? 16)) {
                const r = ready.pop()!;
                pending.delete(r);
                const p: Promise<void> = applyOne(r).finally(() => running.delete(p));
                running.add(p);
            }
            if (running.size === 0) {
                throw new Error(`resources wait for each other in a circle: ${[...pending].map((r) => r.name).join(", ")}`);
            }
            await Promise.race(running);
        }
        return { applied, refused, waits, ms: Date.now() - start };
    }
}

/** The smallest item first, by `before`; push and pop in O(log n). */
class MinHeap<T> {
    private readonly items: T[] = [];

    constructor(private readonly before: (a: T, b: T) => number) {}

    get size(): number {
        return this.items.length;
    }

    push(item: T): void {
        const items = this.items;
        items.push(item);
        for (let i = items.length - 1; i > 0;) {
            const up = (i - 1) >> 1;
            if (this.before(items[i], items[up]) >= 0) {
                break;
            }
            [items[i], items[up]] = [items[up], items[i]];
            i = up;
        }
    }

    pop(): T | undefined {
        const items = this.items;
        const top = items[0];
        const last = items.pop();
        if (items.length > 0 && last !== undefined) {
            items[0] = last;
            for (let i = 0; ;) {
                const [l, r] = [2 * i + 1, 2 * i + 2];
                let least = i;
                if (l < items.length && this.before(items[l], items[least]) < 0) least = l;
                if (r < items.length && this.before(items[r], items[least]) < 0) least = r;
                if (least === i) break;
                [items[i], items[least]] = [items[least], items[i]];
                i = least;
            }
        }
        return top;
    }
}
