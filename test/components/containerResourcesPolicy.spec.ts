import { strict as assert } from "assert";
import { celSource } from "../../components/addons/gatekeeper/containerResourcesRules";
import { FluxV1 } from "../../components/engines/flux1/fluxV1";
import { gatekeeperViolations } from "../kit/cel";
import { teamFluxArgs } from "../kit/teamFixture";
import { record } from "../kit/harness";

type Container = Record<string, unknown>;

const complete = { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } };

function container(name: string, resources?: unknown): Container {
    return resources === undefined ? { name, image: "ghcr.io/stefanprodan/podinfo:6.7.0" } : { name, image: "x", resources };
}

function workload(kind: string, containers: Container[], initContainers?: Container[]) {
    return {
        apiVersion: "apps/v1",
        kind,
        metadata: { name: "podinfo", namespace: "team1" },
        spec: {
            selector: { matchLabels: { app: "podinfo" } },
            template: {
                metadata: { labels: { app: "podinfo" } },
                spec: { containers, ...(initContainers ? { initContainers } : {}) },
            },
        },
    };
}

const judge = (containers: Container[], initContainers?: Container[], kind = "Deployment") =>
    gatekeeperViolations(celSource, workload(kind, containers, initContainers));

describe("the ContainerResources policy (its CEL, evaluated)", () => {
    it("admits Deployments, StatefulSets and DaemonSets whose containers request cpu and memory and limit memory", () => {
        for (const kind of ["Deployment", "StatefulSet", "DaemonSet"]) {
            assert.deepEqual(judge([container("podinfo", complete)], undefined, kind), [], kind);
        }
    });

    it("needs no cpu limit", () => {
        assert.deepEqual(judge([container("podinfo", { ...complete, limits: { memory: "1Gi" } })]), []);
        assert.deepEqual(judge([container("podinfo", { ...complete, limits: { memory: "1Gi", cpu: "1" } })]), []);
    });

    it("rejects a container without resources, as written or as the API server defaults it", () => {
        for (const kind of ["Deployment", "StatefulSet", "DaemonSet"]) {
            assert.deepEqual(judge([container("podinfo")], undefined, kind), ["container <podinfo> has no resources"], kind);
        }
        assert.deepEqual(judge([container("podinfo", {})]), ["container <podinfo> has no resources"]);
    });

    it("names the one thing missing: the seed's `container <podinfo> has no memory requests`", () => {
        const cases: Array<[unknown, string]> = [
            [{ requests: { cpu: "100m" }, limits: { memory: "128Mi" } }, "container <podinfo> has no memory requests"],
            [{ requests: { memory: "64Mi" }, limits: { memory: "128Mi" } }, "container <podinfo> has no cpu requests"],
            [{ limits: { memory: "128Mi" } }, "container <podinfo> has no requests"],
            [{ requests: { cpu: "100m", memory: "64Mi" } }, "container <podinfo> has no limits"],
            [{ requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1" } }, "container <podinfo> has no memory limits"],
        ];
        for (const [resources, message] of cases) {
            assert.deepEqual(judge([container("podinfo", resources)]), [message]);
        }
    });

    it("reports both gaps of a container that has empty requests", () => {
        assert.deepEqual(judge([container("podinfo", { requests: {}, limits: { memory: "1Gi" } })]), [
            "container <podinfo> has no cpu requests",
            "container <podinfo> has no memory requests",
        ]);
    });

    it("judges every container: the seed's podinfo and sidecar, and several containers with one gap", () => {
        assert.deepEqual(judge([
            container("podinfo", { requests: { cpu: "100m" }, limits: { memory: "128Mi" } }),
            container("sidecar", { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m" } }),
            container("ok", complete),
        ]), [
            "container <podinfo> has no memory requests",
            "container <sidecar> has no memory limits",
        ]);
        assert.deepEqual(judge([container("a", { requests: complete.requests }), container("b", { requests: complete.requests })]),
            ["container <a> has no limits, container <b> has no limits"]);
    });

    it("checks init containers too, and names them as such", () => {
        assert.deepEqual(judge([container("podinfo", complete)], [container("migrate", complete)]), []);
        assert.deepEqual(judge([container("podinfo", complete)], [container("migrate")]), ["init container <migrate> has no resources"]);
        assert.deepEqual(judge(
            [container("podinfo", { requests: complete.requests })],
            [container("migrate", { requests: complete.requests })],
        ), ["container <podinfo> has no limits, init container <migrate> has no limits"]);
    });

    it("admits the platform's own Flux Deployment, which runs under the same policy in every team namespace", async () => {
        const { recording } = await record(() => new FluxV1("flux", teamFluxArgs()));
        const flux = recording.k8s("kubernetes:apps/v1:Deployment", "team1", "flux").inputs;
        assert.deepEqual(gatekeeperViolations(celSource, { apiVersion: "apps/v1", kind: "Deployment", ...flux }), []);
        const withoutLimit = structuredClone(flux);
        delete withoutLimit.spec.template.spec.containers[0].resources.limits;
        assert.deepEqual(gatekeeperViolations(celSource, withoutLimit), ["container <flux> has no limits"]);
    });
});
