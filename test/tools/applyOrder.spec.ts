// The cluster tier's Applier schedules resources as `pulumi up` does: each once those it depends on
// are done, at most `parallel` at a time, ready ones in the recording's order. Checked here against
// a fake API server that answers every request at once, so no control plane is needed.
import { strict as assert } from "assert";
import { Created } from "../kit/harness";
import { ApiClient, Answer } from "../cluster/apiClient";
import { Applier, Expand } from "../cluster/applyStack";

/** A ConfigMap resource named `name`, waiting for `dependsOn`. */
function resource(name: string, dependsOn: string[] = []): Created {
    return {
        type: "kubernetes:core/v1:ConfigMap", name, inputs: { metadata: { name, namespace: "default" } },
        secretInputs: new Set(), dependsOn, protect: false,
    };
}

/** Records each apply's start and end; every answer comes a turn later, in the order asked. */
function fakeServer(): { client: ApiClient; log: string[]; maxInFlight: () => number } {
    const log: string[] = [];
    let inFlight = 0;
    let most = 0;
    const request = async (method: string, path: string): Promise<Answer> => {
        if (method === "GET") {
            return { status: 200, body: { resources: [{ name: "configmaps", kind: "ConfigMap", namespaced: true }] } };
        }
        const name = path.slice(path.lastIndexOf("/") + 1, path.indexOf("?"));
        inFlight++;
        most = Math.max(most, inFlight);
        log.push(`start ${name}`);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        log.push(`end ${name}`);
        return { status: 200, body: {} };
    };
    return { client: { request } as unknown as ApiClient, log, maxInFlight: () => most };
}

const asIs: Expand = (_created, object) => ({ objects: object ? [object] : [] });

describe("the cluster tier's Applier: the order of a recording's applies", () => {
    it("starts each resource only once every resource it depends on is done", async () => {
        const { client, log } = fakeServer();
        const resources = [resource("c", ["a", "b"]), resource("a"), resource("b", ["a"]), resource("d", ["elsewhere"])];
        const report = await new Applier(client).applyRecording({ resources }, asIs, { parallel: 4 });
        assert.equal(report.applied, 4);
        for (const [later, earlier] of [["c", "a"], ["c", "b"], ["b", "a"]]) {
            assert.ok(log.indexOf(`start ${later}`) > log.indexOf(`end ${earlier}`), `${later} started before ${earlier} ended: ${log.join(", ")}`);
        }
        // A dependency outside the recording does not hold a resource back.
        assert.ok(log.indexOf("start d") < log.indexOf("end a"), log.join(", "));
    });

    it("runs at most `parallel` at a time, ready ones in the recording's order", async () => {
        const { client, log, maxInFlight } = fakeServer();
        const resources = [resource("root"), ...Array.from({ length: 6 }, (_, i) => resource(`leaf${i}`, ["root"])), resource("free")];
        await new Applier(client).applyRecording({ resources }, asIs, { parallel: 2 });
        assert.equal(maxInFlight(), 2);
        const starts = log.filter((l) => l.startsWith("start ")).map((l) => l.slice("start ".length));
        assert.deepEqual(starts, ["root", "free", "leaf0", "leaf1", "leaf2", "leaf3", "leaf4", "leaf5"]);
    });

    it("waits for a name once, however often a resource lists it", async () => {
        const { client } = fakeServer();
        const report = await new Applier(client).applyRecording({ resources: [resource("b", ["a", "a"]), resource("a")] }, asIs);
        assert.equal(report.applied, 2);
    });

    it("refuses resources that wait for each other in a circle, naming them", async () => {
        const { client } = fakeServer();
        const resources = [resource("a", ["b"]), resource("b", ["a"]), resource("c")];
        await assert.rejects(new Applier(client).applyRecording({ resources }, asIs), /in a circle: a, b$/);
    });
});
