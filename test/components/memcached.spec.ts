import { strict as assert } from "assert";
import { Memcached } from "../../components/engines/flux1/memcached";
import { record, resolve } from "../kit/harness";

describe("Memcached", () => {
    async function build(maxMemoryMb = 512) {
        return record(() => new Memcached("memcached", { namespace: "flux-system", image: "memcached:test", maxMemoryMb }));
    }

    it("serves flux-memcached on port 11211 in flux-system, the host every Flux is given", async () => {
        const { recording, result } = await build();
        const service = recording.k8s("kubernetes:core/v1:Service", "flux-system", "flux-memcached");
        assert.deepEqual(service.inputs.spec.ports, [{ name: "memcached", port: 11211, targetPort: "memcached", protocol: "TCP" }]);
        const deployment = recording.k8s("kubernetes:apps/v1:Deployment", "flux-system", "flux-memcached");
        assert.deepEqual(service.inputs.spec.selector, deployment.inputs.spec.selector.matchLabels);
        for (const [k, v] of Object.entries(service.inputs.spec.selector)) {
            assert.equal(deployment.inputs.spec.template.metadata.labels[k], v, `pods must carry ${k}`);
        }
        assert.equal((await resolve(result.host)).value, "flux-memcached.flux-system");
    });

    it("caps the cache at maxMemoryMb and runs unprivileged", async () => {
        const { recording } = await build(1024);
        const c = recording.k8s("kubernetes:apps/v1:Deployment", "flux-system", "flux-memcached").inputs.spec.template.spec.containers[0];
        assert.equal(c.image, "memcached:test");
        assert.deepEqual(c.args, ["-m", "1024", "-p", "11211", "-I", "5m"]);
        assert.deepEqual(c.resources, { requests: { cpu: "50m", memory: "120Mi" }, limits: { memory: "1088Mi" } });
        assert.equal(c.securityContext.runAsUser, 11211);
        assert.equal(c.securityContext.runAsNonRoot, true);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    });
});
