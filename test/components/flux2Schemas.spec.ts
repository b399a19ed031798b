// Every Flux object the engine creates, validated against Flux's own schemas
// (@kubernetes-models/flux-cd), and the FluxInstance against a schema written by hand from the
// operator's CRD (test/fixtures/fluxInstanceSchema.ts says why).
import { strict as assert } from "assert";
import { defaultShardResources } from "../../components/engines/flux2/settings";
import { fluxInstanceSchema } from "../fixtures/fluxInstanceSchema";
import { assertEveryFieldKnown, validateFluxObject } from "../kit/fluxSchemas";
import { Recording } from "../kit/harness";
import { buildFluxV2, shared, types } from "../kit/flux2Fixture";
import { schemaProblems } from "../kit/schemaSubset";

const shard = { name: "team1", resources: defaultShardResources };

/** Every variation of what the engine writes: alerts, a shard, image automation, both scopes. */
async function everything(): Promise<Recording> {
    return buildFluxV2(shared({ shards: [shard], imageAutomation: true }), [
        { scope: "cluster", namespace: "flux-system", alertsChannel: "alerts" },
        { scope: "namespace", namespace: "team1", alertsChannel: "team1", settings: { dedicatedControllers: shard, imageAutomation: true } },
        { scope: "namespace", namespace: "team2" },
    ]);
}

function fluxObjects(recording: Recording) {
    return recording.resources.filter((r) => /^kubernetes:[a-z]+\.toolkit\.fluxcd\.io\//.test(r.type));
}

describe("Flux v2 objects against Flux's schemas", () => {
    it("are each valid, every field they set one the schema knows", async () => {
        const objects = fluxObjects(await everything());
        assert.deepEqual([...new Set(objects.map((o) => o.type))].sort(),
            [types.alert, types.provider, types.gitRepository, types.kustomization].sort());
        for (const object of objects) {
            assertEveryFieldKnown(object.inputs as any);
        }
    });

    it("would catch an object the schema rejects, or a field it does not know", () => {
        const kustomization = {
            apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization",
            metadata: { name: "a", namespace: "b" },
            spec: { interval: "5m", prune: true, sourceRef: { kind: "GitRepository", name: "a" } },
        };
        validateFluxObject(kustomization);
        assert.throws(() => validateFluxObject({ ...kustomization, spec: { ...kustomization.spec, prune: "yes" } }), /prune/);
        assert.throws(() => assertEveryFieldKnown({ ...kustomization, spec: { ...kustomization.spec, serviceAcountName: "x" } }), /serviceAcountName/);
        assert.throws(() => validateFluxObject({
            apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name: "a" },
            spec: { interval: "5m", url: "git@github.com:org/repo.git" },
        }), /url/, "source-controller takes no scp-like URL");
    });
});

describe("the FluxInstance against the operator's CRD", () => {
    const variations = {
        "the defaults": shared(),
        "explicit resources": shared({ controllers: { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } } } }),
        "shards and image automation": shared({ shards: [shard, { ...shard, name: "team2" }], imageAutomation: true, networkPolicy: false }),
    };
    for (const [what, settings] of Object.entries(variations)) {
        it(`is valid with ${what}`, async () => {
            const instance = (await buildFluxV2(settings)).k8s(types.fluxInstance, "flux-system", "flux");
            assert.deepEqual(schemaProblems(fluxInstanceSchema, instance.inputs), []);
        });
    }

    it("would catch a misspelt field, a value outside an enum, or another name", () => {
        const valid = { apiVersion: "fluxcd.controlplane.io/v1", kind: "FluxInstance", metadata: { name: "flux" }, spec: { distribution: { version: "2.9.4", registry: "ghcr.io/fluxcd" } } };
        assert.deepEqual(schemaProblems(fluxInstanceSchema, valid), []);
        assert.deepEqual(schemaProblems(fluxInstanceSchema, { ...valid, spec: { ...valid.spec, cluster: { multiTenant: true } } }),
            ["$.spec.cluster.multiTenant: not a field of the schema"]);
        assert.deepEqual(schemaProblems(fluxInstanceSchema, { ...valid, spec: { ...valid.spec, cluster: { size: "huge" } } }),
            ["$.spec.cluster.size: \"huge\" is not one of small, medium, large"]);
        assert.deepEqual(schemaProblems(fluxInstanceSchema, { ...valid, metadata: { name: "flux2" } }), ["$.metadata.name: must be \"flux\""]);
        assert.deepEqual(schemaProblems(fluxInstanceSchema, { ...valid, spec: { sharding: { shards: [] } } }),
            ["$.spec.distribution: required", "$.spec.sharding.shards: fewer than 1 items"]);
    });
});
