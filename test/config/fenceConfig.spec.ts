import { strict as assert } from "assert";
import { PlatformConfig } from "../../config/types";
import { validateConfig } from "../../config/validate";

function run(values: Record<string, unknown>) {
    const raw: Record<string, string> = { "github:owner": "org" };
    for (const [k, v] of Object.entries(values)) {
        raw[k] = JSON.stringify(v);
    }
    return validateConfig(raw);
}

function valid(values: Record<string, unknown>): PlatformConfig {
    const result = run(values);
    if (!result.ok) {
        assert.fail(`expected valid config, got:\n${result.problems.join("\n")}`);
    }
    return result.config;
}

function problems(values: Record<string, unknown>): readonly string[] {
    const result = run(values);
    assert.equal(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : result.problems;
}

const team = (extra: Record<string, unknown>) => ({ "platform:teams": [{ name: "team1", ...extra }] });

describe("config validation of the fence", () => {
    it("gives a team that sets nothing baseline, the ContainerResources policy, a quota and default limits", () => {
        assert.deepEqual(valid(team({})).teams[0].fence, {
            podSecurity: "baseline",
            policies: { containerResources: true },
            quota: {
                cpu: "2", memory: "4Gi", pods: 30, storage: "20Gi", loadBalancers: 0, nodePorts: 0, ephemeralStorage: "10Gi",
                secrets: 50, configMaps: 50, services: 20, persistentVolumeClaims: 10, customResources: 50,
            },
            limits: { defaultRequest: { cpu: "100m", memory: "128Mi", ephemeralStorage: "100Mi" }, default: { memory: "256Mi", ephemeralStorage: "1Gi" } },
        });
    });

    it("takes every override, and keeps the defaults of what a team leaves out", () => {
        const { fence } = valid(team({
            podSecurity: "restricted",
            policies: { containerResources: false },
            quota: { cpu: "1500m", memory: "1.5Gi", pods: 5, secrets: 200, customResources: 80 },
            limits: { default: { cpu: "1", memory: "1G" } },
        })).teams[0];
        assert.deepEqual(fence, {
            podSecurity: "restricted",
            policies: { containerResources: false },
            quota: {
                cpu: "1500m", memory: "1.5Gi", pods: 5, storage: "20Gi", loadBalancers: 0, nodePorts: 0, ephemeralStorage: "10Gi",
                secrets: 200, configMaps: 50, services: 20, persistentVolumeClaims: 10, customResources: 80,
            },
            limits: { defaultRequest: { cpu: "100m", memory: "128Mi", ephemeralStorage: "100Mi" }, default: { cpu: "1", memory: "1G", ephemeralStorage: "1Gi" } },
        });
        assert.equal(valid(team({ podSecurity: "privileged" })).teams[0].fence.podSecurity, "privileged");
        assert.equal(valid(team({ quota: { storage: "500M", loadBalancers: 1, nodePorts: 2 } })).teams[0].fence.quota.storage, "500M");
    });

    it("names the team and the key of a bad pod security level or policy switch", () => {
        assert.deepEqual(problems({ "platform:teams": [{ name: "team1" }, { name: "team2", podSecurity: "Restricted", policies: { containerResources: "yes" } }] }), [
            'platform:teams[1].podSecurity: "Restricted" is not a pod security level: use baseline, restricted, privileged',
            'platform:teams[1].policies.containerResources: must be true or false, got "yes"',
        ]);
        assert.deepEqual(problems(team({ policies: { containerResource: true } })), [
            'platform:teams[0].policies.containerResource: unknown key; did you mean "containerResources"? (known keys: containerResources)',
        ]);
    });

    it("rejects quantities Kubernetes would not read, with the usual slip spelled out", () => {
        assert.deepEqual(problems(team({ quota: { cpu: "lots", memory: "lots", storage: "1GB", pods: "10" } })), [
            'platform:teams[0].quota.cpu: "lots" is not a cpu quantity: write it as Kubernetes does, in cores or millicores, for example 500m or 2',
            'platform:teams[0].quota.memory: "lots" is not a quantity of bytes: write it as Kubernetes does, for example 512Mi or 4Gi (binary suffixes Ki, Mi, Gi, Ti; decimal k, M, G, T)',
            'platform:teams[0].quota.pods: must be a whole number from 1 to 100000, got "10"',
            'platform:teams[0].quota.storage: "1GB" is not a quantity of bytes (did you mean 1Gi?): write it as Kubernetes does, for example 512Mi or 4Gi (binary suffixes Ki, Mi, Gi, Ti; decimal k, M, G, T)',
        ]);
        assert.deepEqual(problems(team({ quota: { cpu: "0", memory: "-1Gi", pods: 0, loadBalancers: -1 }, limits: { defaultRequest: { cpu: "0.0001" } } })), [
            'platform:teams[0].quota.cpu: "0" must be more than zero',
            'platform:teams[0].quota.memory: "-1Gi" is not a quantity of bytes: write it as Kubernetes does, for example 512Mi or 4Gi (binary suffixes Ki, Mi, Gi, Ti; decimal k, M, G, T)',
            "platform:teams[0].quota.pods: must be a whole number from 1 to 100000, got 0",
            "platform:teams[0].quota.loadBalancers: must be a whole number from 0 to 1000, got -1",
            'platform:teams[0].limits.defaultRequest.cpu: "0.0001" is not a cpu quantity: write it as Kubernetes does, in cores or millicores, for example 500m or 2',
        ]);
        assert.deepEqual(problems(team({ limits: { default: { memory: true } }, quota: { memry: "1Gi" } })), [
            'platform:teams[0].quota.memry: unknown key; did you mean "memory"? (known keys: cpu, memory, pods, storage, loadBalancers, nodePorts, ephemeralStorage, secrets, configMaps, services, persistentVolumeClaims, customResources)',
            "platform:teams[0].limits.default.memory: must be a string, got true",
        ]);
    });

    it("takes a quantity as a number too, as Kubernetes does and as `pulumi config set --path` writes one", () => {
        const result = validateConfig({ "github:owner": "org", "platform:teams": JSON.stringify([{ name: "team1", quota: { cpu: 4, memory: 8589934592 }, limits: { defaultRequest: { cpu: 0.5 } } }]) });
        assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
        const { quota, limits } = result.config.teams[0].fence;
        assert.deepEqual([quota.cpu, quota.memory, limits.defaultRequest.cpu], ["4", "8589934592", "0.5"]);
        assert.deepEqual(problems(team({ quota: { cpu: 0.0001 } })), [
            'platform:teams[0].quota.cpu: "0.0001" is not a cpu quantity: write it as Kubernetes does, in cores or millicores, for example 500m or 2',
        ]);
    });

    it("refuses a quota the team's own Flux would not fit in", () => {
        assert.deepEqual(problems(team({ quota: { cpu: "10m", memory: "256Mi" }, limits: { default: { memory: "128Mi" } } })), [
            'platform:teams[0].quota.cpu: "10m" leaves no room for the team\'s own Flux, which requests 50m',
            'platform:teams[0].quota.memory: "256Mi" leaves no room for the team\'s own Flux, whose memory limit is 512Mi (the quota caps the sum of memory limits)',
        ]);
    });

    it("refuses limits that contradict each other or the quota", () => {
        assert.deepEqual(problems(team({
            quota: { memory: "1Gi" },
            limits: { defaultRequest: { cpu: "1", memory: "4Gi" }, default: { cpu: "500m", memory: "2Gi" } },
        })), [
            'platform:teams[0].limits.defaultRequest.memory: "4Gi" is more than limits.default.memory (2Gi): a container\'s default request may not exceed its default limit',
            'platform:teams[0].limits.defaultRequest.cpu: "1" is more than limits.default.cpu (500m): a container\'s default request may not exceed its default limit',
            'platform:teams[0].limits.default.memory: "2Gi" is more than quota.memory (1Gi): every container left to the default would be refused',
        ]);
        // A team lowering only the default limit below the default request hears which values clash.
        assert.deepEqual(problems(team({ limits: { default: { memory: "100Mi" } } })), [
            'platform:teams[0].limits.defaultRequest.memory: "128Mi" is more than limits.default.memory (100Mi): a container\'s default request may not exceed its default limit',
        ]);
    });

    it("reads the platform's ingress namespaces, and refuses names that are not namespaces or are teams", () => {
        assert.deepEqual(valid({ ...team({}), "platform:network": { ingressNamespaces: ["ingress-nginx", "ingress-nginx", "traefik"] } }).network,
            { ingressNamespaces: ["ingress-nginx", "traefik"] });
        assert.deepEqual(problems({
            "platform:teams": [{ name: "team1" }, { name: "team2" }],
            "platform:network": { ingressNamespaces: ["Ingress_Nginx", "team2"], egress: [] },
        }), [
            'platform:network.egress: unknown key; (known keys: ingressNamespaces)',
            'platform:network.ingressNamespaces[0]: "Ingress_Nginx" is not a namespace name (a DNS-1123 label)',
            'platform:network.ingressNamespaces[1]: "team2" is a team\'s namespace: ingress namespaces are let into every team namespace, so they must be shared ingress controllers, not teams',
        ]);
    });
});
