// One stack over time on a real API server, as successive `pulumi up`s run it: each run's
// recording applied in full (what is unchanged is a no-op), then what the run no longer has
// deleted in the engine's order, its protected resources refused, each deletion waited for.
import { engineDeletes } from "../kit/engineDeletes";
import { Created, ProgramRun, Recording } from "../kit/harness";
import { EngineRun, plan, resourceId, runForEngine } from "../kit/runDiff";
import { ApplyReport, Applier, Expand, recordedObject } from "./applyStack";
import { admin, ControlPlane } from "./controlPlane";
import { expandFor } from "./expand";

type Json = Record<string, any>;

export interface Deletion {
    /** `type::name` of the resource. */
    readonly resource: string;
    /** The object it removes from the cluster, when it is a Kubernetes one. */
    readonly object?: string;
    /** The DELETE's status. */
    readonly status?: number;
    readonly message?: string;
    /** From the DELETE until a GET answers 404. */
    readonly goneAfterMs?: number;
}

export interface Up {
    readonly run: EngineRun;
    readonly report: ApplyReport;
    /** Deletions in the engine's order (one antichain after another). */
    readonly deleted: readonly Deletion[];
    /** Condemned but protected: the Pulumi engine refuses them (nothing is sent to the cluster). */
    readonly refused: readonly string[];
    /** Condemned, left alone because a refused resource depends on them. */
    readonly spared: readonly string[];
}

const describeObject = (o: Json) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;

export class ServerStack {
    readonly applier: Applier;
    private readonly expand: Expand;
    private last?: EngineRun;

    constructor(readonly plane: ControlPlane, private readonly deleteTimeoutMs = 60_000) {
        this.applier = new Applier(plane.as(admin));
        this.expand = expandFor(plane.version);
    }

    get current(): ProgramRun {
        if (!this.last) {
            throw new Error("nothing is up yet");
        }
        return this.last.run;
    }

    /** What each of the run's resources puts in the cluster (a chart's objects, for a release). */
    objectsOf(created: Created): Json[] {
        return [...this.expand(created, recordedObject(created)).objects];
    }

    /** The run of `config`, applied, then the deletions it implies (none for the first). */
    async up(config: Record<string, unknown>, secretKeys: string[] = []): Promise<Up> {
        const next = await runForEngine(config, secretKeys);
        if (next.run.error) {
            throw next.run.error;
        }
        return this.upWith(next);
    }

    /** Applies what changed in a run, then deletes what the previous run had and this one does not. */
    async upWith(next: EngineRun): Promise<Up> {
        const previous = this.last;
        this.last = next;
        if (previous === undefined) {
            const report = await this.applier.applyRecording(next.run.recording, this.expand);
            return { run: next, report, deleted: [], refused: [], spared: [] };
        }
        // The engine goes by URN, so a resource whose parent changed is a create and a delete
        // even under the same name (plan); engineDeletes orders those deletes and applies `protect`.
        const steps = plan(previous, next);
        const firstDeleted = steps.during.filter((s) => s.op === "delete" && s.resource.startsWith("kubernetes:"));
        if (firstDeleted.length > 0) {
            throw new Error(`a delete-before-replace of a Kubernetes object is not modelled: ${firstDeleted.map((s) => s.resource).join(", ")}`);
        }
        const sent = new Set(steps.during.filter((s) => s.op !== "delete" && s.op !== "same").map((s) => s.resource));
        const changed = new Recording(next.run.recording.resources.filter((r) => sent.has(resourceId(r))));
        const report = await this.applier.applyRecording(changed, this.expand);
        const condemned = new Set(steps.after.filter((s) => s.op === "delete").map((s) => s.resource));
        const kept = previous.run.recording.resources.filter((r) => !condemned.has(resourceId(r)));
        const order = engineDeletes(previous.run, { recording: new Recording(kept) });
        const byId = new Map(previous.run.recording.resources.map((r) => [resourceId(r), r]));
        const deleted: Deletion[] = [];
        for (const id of order.deleted) {
            const objects = this.objectsOf(byId.get(id)!);
            if (objects.length === 0) {
                deleted.push({ resource: id });
            }
            for (const o of objects.reverse()) {
                deleted.push({ resource: id, ...await this.deleteAndWait(o) });
            }
        }
        return { run: next, report, deleted, refused: order.refused, spared: order.spared };
    }

    /**
     * A DELETE with the server's default propagation, then a wait until the object is gone, as the
     * provider waits for a deletion before the engine goes on to what the object depends on.
     */
    private async deleteAndWait(o: Json): Promise<Omit<Deletion, "resource">> {
        const client = this.plane.as(admin);
        const path = await this.applier.mapper.pathOf(o);
        const object = describeObject(o);
        const start = Date.now();
        const answer = await client.request("DELETE", path);
        if (answer.status >= 300) {
            return { object, status: answer.status, message: answer.body?.message ?? "" };
        }
        for (;;) {
            if ((await client.request("GET", path)).status === 404) {
                return { object, status: answer.status, goneAfterMs: Date.now() - start };
            }
            if (Date.now() - start > this.deleteTimeoutMs) {
                return { object, status: answer.status, message: `still there ${this.deleteTimeoutMs} ms after the DELETE` };
            }
            await new Promise((r) => setTimeout(r, 100));
        }
    }
}
