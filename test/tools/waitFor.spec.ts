import { strict as assert } from "assert";
import { customQuotaReady } from "../../components/fence/teamFence";
import { waitForConditions } from "../cluster/waitFor";

// The cluster tier's reading of `pulumi.com/waitFor` (test/cluster/waitFor.ts), on the expressions
// the program writes: what the Applier awaits is what the provider would await.
const met = (annotation: string, o: Record<string, any>) =>
    waitForConditions({ ...o, metadata: { ...o.metadata, annotations: { "pulumi.com/waitFor": annotation } } })!.conditions.every((c) => c(o));

describe("pulumi.com/waitFor as the Applier reads it (test/cluster/waitFor.ts)", () => {
    const kinds = ["gitrepositories.source.toolkit.fluxcd.io", "canaries.flagger.app"];
    const quota = (used: Record<string, string> | undefined) => ({
        metadata: { name: "platform-quota-custom" },
        status: used === undefined ? undefined : { hard: Object.fromEntries(kinds.map((k) => [`count/${k}`, "50"])), used },
    });

    it("the custom quota's: met once status.used holds every installed kind, whatever its count", () => {
        const ready = customQuotaReady(kinds);
        assert.equal(met(ready, quota(undefined)), false);
        assert.equal(met(ready, quota({})), false);
        assert.equal(met(ready, quota({ "count/gitrepositories.source.toolkit.fluxcd.io": "1" })), false);
        assert.equal(met(ready, quota({ "count/gitrepositories.source.toolkit.fluxcd.io": "1", "count/canaries.flagger.app": "0" })), true);
        assert.equal(met(customQuotaReady([]), quota(undefined)), false);
        assert.equal(met(customQuotaReady([]), quota({})), true);
    });

    it("jsonpath=...=value compares the printed value; condition= a status condition, True by default", () => {
        assert.equal(met("jsonpath={.status.created}=true", { status: { created: true } }), true);
        assert.equal(met("jsonpath={.status.created}=true", { status: { created: false } }), false);
        const instance = (status: string, observedGeneration: number) =>
            ({ metadata: { generation: 2 }, status: { conditions: [{ type: "Ready", status, observedGeneration }] } });
        assert.equal(met("condition=Ready", instance("True", 2)), true);
        assert.equal(met("condition=Ready", instance("True", 1)), false, "an older generation's condition");
        assert.equal(met("condition=Ready=False", instance("False", 2)), true);
    });

    it("refuses what it does not read rather than guess", () => {
        assert.throws(() => met("jsonpath={.status.conditions[?(@.type=='Ready')].status}=True", {}), /does not read/);
        assert.throws(() => met("ready", {}), /prefix/);
        assert.throws(() => met("jsonpath={.a}=b=c", {}), /format/);
    });
});
